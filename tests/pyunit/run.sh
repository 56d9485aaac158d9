#!/bin/bash
# Unit and property tests of the batch's Python package (ovscrash_batch):
# pytest + Hypothesis from Debian (python3-pytest, python3-hypothesis).
# No crash, no fixtures: dumps, archives and result files are crafted by
# the tests.  Hypothesis runs derandomized (the same examples every run);
# OVSCRASH_HYPOTHESIS_EXAMPLES raises or lowers the examples per property
# (default 150).  Ends with "pyunit: N passed, M failed".
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
out=${OVSCRASH_TEST_OUT:-$top/tests/out}/pyunit
mkdir -p "$out"
py=/usr/bin/python3; [ -x "$py" ] || py=python3
if ! "$py" -c 'import pytest, hypothesis' 2>/dev/null; then
	echo "pyunit: $py lacks pytest or hypothesis (scripts/install-deps.sh installs python3-pytest python3-hypothesis)"
	echo "pyunit: 0 passed, 1 failed"
	exit 1
fi
cd "$top"
export HYPOTHESIS_STORAGE_DIRECTORY="$out/hypothesis"
t0=$(date +%s)
PYTHONDONTWRITEBYTECODE=1 "$py" -m pytest -q -p no:cacheprovider -o console_output_style=classic \
	--junitxml="$out/junit.xml" --basetemp="$out/tmp" "$@" tests/pyunit 2>&1 | tee "$out/pytest.log"
rc=${PIPESTATUS[0]}
p=$(grep -oE '[0-9]+ passed' "$out/pytest.log" | tail -n1 | awk '{print $1}')
f=$(grep -oE '[0-9]+ (failed|error)' "$out/pytest.log" | awk '{s+=$1} END {print s+0}')
if [ "$rc" -ne 0 ] && [ "${f:-0}" -eq 0 ]; then f=1; fi	# pytest itself failed
echo "pyunit: took $(( $(date +%s) - t0 ))s"
echo "pyunit: ${p:-0} passed, ${f:-0} failed"
[ "$rc" -eq 0 ]
