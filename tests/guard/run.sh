#!/bin/bash
# The crash version guard and the .crashrc snippet (issue 14): real crash
# sessions on the amd64 6.1 and 5.10 and arm64 6.1 lockup fixtures with
# the project's crashes (X86_64, ARM64 target) and Debian's crash 8.0.2,
# and the Makefile's guard of the build (tests/guard/check.py).
# Builds build/system/ovscrash.so (make ext-system) if missing; needs
# extension/ovscrash.so and extension/ovscrash-arm64.so (make, make arm64).
# Prints "guard: N passed, M failed".
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
export OVSCRASH_CACHE=${OVSCRASH_CACHE:-/var/cache/ovscrash}
cd "$top"
for so in extension/ovscrash.so extension/ovscrash-arm64.so; do
	[ -f "$so" ] || { echo "guard: missing $so: run make and make arm64" >&2; exit 1; }
done
make -s --no-print-directory ext-system
exec python3 "$top/tests/guard/check.py" --top "$top" \
	--crash "$("$top/scripts/build-crash.sh" X86_64)" \
	--crash-arm64 "$("$top/scripts/build-crash.sh" ARM64)" \
	--ext "$top/extension/ovscrash.so" \
	--ext-arm64 "$top/extension/ovscrash-arm64.so" \
	--ext-system "$top/build/system/ovscrash.so" \
	--set "$("$top/fixtures/mkfixture.sh" amd64 bookworm)" \
	--set-510 "$("$top/fixtures/mkfixture.sh" amd64 bullseye 2>/dev/null)" \
	--set-arm64 "$("$top/fixtures/mkfixture.sh" arm64 bookworm)" "$@"
