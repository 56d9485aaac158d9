#!/bin/bash
# The user guide's checks (tests/guide/check.py): the batch on fixture dumps
# of both arches, ovscrash-report --html, a screenshot in headless chromium
# checked as a PNG of the window's size that is not blank, the page's DOM
# against the fixture manifests; docs/guide.md's link to docs/img/report.png
# and its `crash> ` commands against the extension's command table and
# crash's own help; its pasted verdict lines against today's triage and
# ovscrash-log output (lockup, race) and the manifests; its links.  `--update` copies the fresh screenshot to
# docs/img/report.png (commit it).  Artifacts go to tests/out/guide/.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
export OVSCRASH_CACHE=${OVSCRASH_CACHE:-/var/cache/ovscrash}
crash=$("$top/scripts/build-crash.sh" X86_64)
crash_arm64=$("$top/scripts/build-crash.sh" ARM64)
set_dir=$("$top/fixtures/mkfixture.sh" amd64)
set_dir_arm64=$("$top/fixtures/mkfixture.sh" arm64)
for so in "$top/extension/ovscrash.so" "$top/extension/ovscrash-arm64.so"; do
	if [ ! -f "$so" ]; then
		echo "FAIL $so not built (make all; make TARGET=ARM64 all)"
		echo "guide: 0 passed, 1 failed"
		exit 1
	fi
done
out=${OVSCRASH_TEST_OUT:-$top/tests/out}/guide
mkdir -p "$out"
work=$(mktemp -d "${TMPDIR:-/tmp}/ovscrash-guide.XXXXXX")
trap 'rm -rf "$work"' EXIT
py=/usr/bin/python3; [ -x "$py" ] || py=python3
"$py" "$top/tests/guide/check.py" --top "$top" --crash "$crash" \
	--ext "$top/extension/ovscrash.so" --fixtures "$set_dir" \
	--crash-arm64 "$crash_arm64" --ext-arm64 "$top/extension/ovscrash-arm64.so" \
	--fixtures-arm64 "$set_dir_arm64" --work "$work" --out "$out" "$@"
