#!/bin/bash
# Integration tests: real crash + ovscrash.so on the real fixture vmcores,
# checked against the manifests the fixture generator wrote.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
export OVSCRASH_CACHE=${OVSCRASH_CACHE:-/var/cache/ovscrash}
crash=$("$top/scripts/build-crash.sh" X86_64)
set_dir=$("$top/fixtures/mkfixture.sh" amd64)
out=${OVSCRASH_TEST_OUT:-$top/tests/out}
mkdir -p "$out"
exec python3 "$top/tests/integration/check.py" --crash "$crash" \
	--ext "$top/extension/ovscrash.so" --fixtures "$set_dir" --out "$out" "$@"
