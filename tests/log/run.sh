#!/bin/bash
# Log-only triage tests: tools/ovscrash-log on the original report's arm64
# 5.10 evidence (text reconstruction in tests/unit/data), on the real
# fixture logs of both arches with --vmlinux (checked against the fixture
# manifests, objdump and addr2line), and on hostile input.
#   OVSCRASH_ARCHES="amd64 arm64" (default both; "" for no fixture checks)
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
export OVSCRASH_CACHE=${OVSCRASH_CACHE:-/var/cache/ovscrash}
out=${OVSCRASH_TEST_OUT:-$top/tests/out}/log
mkdir -p "$out"
make -s -C "$top" tools
sets=()
for arch in ${OVSCRASH_ARCHES-amd64 arm64}; do
	for line in $("$top/fixtures/lines.sh" "$arch"); do
		set_dir=$("$top/fixtures/mkfixture.sh" "$arch" "$line")
		sets+=(--set "$arch:$set_dir")
	done
done
exec python3 "$top/tests/log/check.py" --tool "$top/tools/ovscrash-log" \
	--data "$top/tests/unit/data" --top "$top" --out "$out" "${sets[@]}" "$@"
