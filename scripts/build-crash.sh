#!/bin/sh
# Build crash from Debian's source package (unstable's, which is unpatched
# enough to read current 6.x dumps) and cache it outside the repository.
#
#   build-crash.sh [X86_64|ARM64]      prints the path of the built crash
#
# Cache: $OVSCRASH_CACHE/crash/<target>-<recipe hash>/crash (default
# /var/cache/ovscrash).  Rebuilt only when missing or the recipe changes.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/aptpriv.sh"

target=${1:-X86_64}
suite=${CRASH_SUITE:-sid}
cache=${OVSCRASH_CACHE:-/var/cache/ovscrash}
recipe=$(cat "$0" "$here/aptpriv.sh" | sha256sum | cut -c1-12)
out="$cache/crash/$(echo "$target" | tr A-Z a-z)-$suite-$recipe"

if [ -x "$out/crash" ] && [ -f "$out/defs.h" ]; then
	echo "$out/crash"
	exit 0
fi

log() { echo "build-crash: $*" >&2; }
mkdir -p "$cache/crash"
work=$(mktemp -d "$cache/crash/.build.XXXXXX")
trap 'rm -rf "$work"' EXIT

log "fetching crash source from Debian $suite"
aptpriv_init "$work/apt" "$suite" deb-src >&2
(cd "$work" && aptpriv "$work/apt" source --download-only -q crash) >&2
dsc=$(ls "$work"/crash_*.dsc | head -n1)
(cd "$work" && dpkg-source --no-check -x "$dsc" src) >&2
ver=$(basename "$dsc" .dsc | sed 's/^crash_//')
log "building crash $ver target=$target (takes ~10 minutes on 2 cores)"
tgt=""
[ "$target" = X86_64 ] || tgt="target=$target"
(cd "$work/src" && make -j"$(nproc)" $tgt lzo snappy zstd >"$work/build.log" 2>&1) ||
	{ tail -n 30 "$work/build.log" >&2; log "build failed"; exit 1; }
"$work/src/crash" --version >/dev/null ||
	{ log "built crash does not run"; exit 1; }

stage="$work/out"
mkdir -p "$stage"
cp "$work/src/crash" "$work/src/defs.h" "$stage/"
# GDB_x_y the extension must be built with (extensions/Makefile derives it the same way)
sed -n 's/^GDB=gdb-\([0-9]*\)\.\([0-9]*\).*/GDB_\1_\2/p' "$work/src/Makefile" | head -n1 >"$stage/gdb-define"
echo "$ver" >"$stage/version"
echo "$target" >"$stage/target"
rm -rf "$out"
mv "$stage" "$out"
log "cached $out"
echo "$out/crash"
