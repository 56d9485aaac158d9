#!/bin/bash
# The debug vmlinux of another build of a fixture's kernel release: Debian's
# generic flavour of the same ABI and package version as the cloud kernel
# (6.1.0-56-cloud-amd64 6.1.192-2 -> linux-image-6.1.0-56-amd64-dbg
# 6.1.192-2).  Only the vmlinux is extracted from the -dbg package and
# kept; the package is deleted.  Prints the vmlinux's path.
#   fetch-other-vmlinux.sh MANIFEST CACHE_DIR
set -euo pipefail
manifest=$1 cache=$2
log() { echo "fetch-other-vmlinux: $*" >&2; }
read -r release version < <(python3 -c 'import json, sys
m = json.load(open(sys.argv[1]))
print(m["kernel_release"], m["kernel_package_version"])' "$manifest")
other=${release/-cloud-/-}
[ "$other" != "$release" ] || { log "$release is not a cloud kernel"; exit 1; }
dir="$cache/$other-$version"
if [ -s "$dir/vmlinux" ]; then
	echo "$dir/vmlinux"
	exit 0
fi
mkdir -p "$cache"
dl=$(mktemp -d "$cache/.dl.XXXXXX")
trap 'rm -rf "$dl"' EXIT
chmod 755 "$dl"	# apt-get download drops privileges to _apt
pkg="linux-image-$other-dbg"
if ! (cd "$dl" && apt-get download -q "$pkg=$version" >&2); then
	log "cannot download $pkg=$version"
	exit 1
fi
log "extracting vmlinux-$other from $pkg (about a minute)"
# tar stops at the file (--occurrence): dpkg-deb then dies of SIGPIPE,
# which is not a failure; the file's presence is the check
(dpkg-deb --fsys-tarfile "$dl"/"$pkg"_*.deb 2>/dev/null || true) |
	tar -x -C "$dl" --occurrence=1 "./usr/lib/debug/boot/vmlinux-$other"
[ -s "$dl/usr/lib/debug/boot/vmlinux-$other" ] || { log "no vmlinux-$other in $pkg"; exit 1; }
mkdir -p "$dir"
mv "$dl/usr/lib/debug/boot/vmlinux-$other" "$dir/vmlinux.tmp"
mv "$dir/vmlinux.tmp" "$dir/vmlinux"
echo "$dir/vmlinux"
