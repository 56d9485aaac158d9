#!/bin/sh
# The static libraries and headers ovscrash-watch links against when it is
# cross-built for another architecture (`make watch WATCH_ARCH=arm64`):
# libbpf-dev, libelf-dev, zlib1g-dev and libzstd-dev of that architecture,
# downloaded through the fixture recipe's private APT configuration
# (fixtures/aptarch.sh: the host's own Debian sources, nothing added to the
# host's dpkg) and unpacked, never installed.
#
#   scripts/watch-sysroot.sh ARCH     prints the sysroot directory
#
# Cached as $OVSCRASH_CACHE/watch-sysroot/ARCH/ (usr/include,
# usr/lib/<triplet>/*.a, and `packages`: what was unpacked, with versions);
# made once, then only printed.  Errors: one line on stderr, exit 1.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
arch=${1:-}
cache=${OVSCRASH_CACHE:-/var/cache/ovscrash}
pkgs="libbpf-dev libelf-dev zlib1g-dev libzstd-dev"
die() { echo "watch-sysroot: $*" >&2; exit 1; }

case "$arch" in
arm64) triplet=aarch64-linux-gnu ;;
amd64) triplet=x86_64-linux-gnu ;;
*) die "unsupported architecture '$arch' (arm64 or amd64)" ;;
esac
dir=$cache/watch-sysroot/$arch
if [ -f "$dir/.complete" ]; then
	echo "$dir"
	exit 0
fi
mkdir -p "$cache/watch-sysroot"
work=$(mktemp -d "$cache/watch-sysroot/.build.XXXXXX")
trap 'rm -rf "$work"' EXIT
# aptarch.sh finds scripts/aptpriv.sh beside the directory named by $here
here=$top/fixtures
. "$top/fixtures/aptarch.sh"
aptdir=$(aptarch_init "amd64 arm64") || die "no private APT configuration (fixtures/aptarch.sh)"
mkdir -p "$work/debs" "$work/root"
(cd "$work/debs" && aptpriv "$aptdir" download -q $(for p in $pkgs; do echo "$p:$arch"; done)) \
	>"$work/apt.log" 2>&1 ||
	die "cannot download $pkgs for $arch: $(grep -E '^E:' "$work/apt.log" | head -n1)"
: >"$work/root/packages"
for p in $pkgs; do
	deb=$(ls "$work/debs/$p"_*_"$arch".deb 2>/dev/null | head -n1)
	[ -n "$deb" ] || die "APT gave no $p .deb for $arch"
	dpkg-deb -x "$deb" "$work/root"
	echo "$p $(dpkg-deb -f "$deb" Version)" >>"$work/root/packages"
done
for a in libbpf libelf libz libzstd; do
	[ -f "$work/root/usr/lib/$triplet/$a.a" ] || die "no $a.a for $arch in $pkgs"
done
rm -rf "$dir"
mv "$work/root" "$dir"
touch "$dir/.complete"
echo "$dir"
