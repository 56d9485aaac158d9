#!/bin/bash
# The batch's fast path (issue 12, item 3): on every fixture dump of every
# set (both arches, every kernel line), the fast path's decision agrees
# with crash's verdict (a --full batch over the same dumps); the log
# extracted from the dump itself (kdump-compressed, ELF, flattened);
# hostile side files (huge, binary, empty, another dump's, another
# release's); the damage suite's broken copies.
#   OVSCRASH_ARCHES="amd64 arm64" (default both)
#   OVSCRASH_FASTPATH_SETS="DIR ..." fixture set dirs to use instead of
#   asking fixtures/mkfixture.sh for them
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
export OVSCRASH_CACHE=${OVSCRASH_CACHE:-/var/cache/ovscrash}
out=${OVSCRASH_TEST_OUT:-$top/tests/out}/fastpath
mkdir -p "$out"
make -s -C "$top" tools
sets=()
if [ -n "${OVSCRASH_FASTPATH_SETS:-}" ]; then
	for d in $OVSCRASH_FASTPATH_SETS; do sets+=(--set "$d"); done
else
	for arch in ${OVSCRASH_ARCHES-amd64 arm64}; do
		for line in $("$top/fixtures/lines.sh" "$arch"); do
			sets+=(--set "$("$top/fixtures/mkfixture.sh" "$arch" "$line")")
		done
	done
fi
crash=$("$top/scripts/build-crash.sh" X86_64)
crash_arm64=$("$top/scripts/build-crash.sh" ARM64)
work=$(mktemp -d "${TMPDIR:-/tmp}/ovscrash-fastpath.XXXXXX")
trap 'rm -rf "$work"' EXIT
python3 "$top/tests/fastpath/check.py" --top "$top" --work "$work" --out "$out" \
	--crash "x86_64=$crash" --crash "arm64=$crash_arm64" \
	--ext "x86_64=$top/extension/ovscrash.so" --ext "arm64=$top/extension/ovscrash-arm64.so" \
	--damaged "${OVSCRASH_DAMAGE_DIR:-$OVSCRASH_CACHE/damaged}" "${sets[@]}" "$@"
