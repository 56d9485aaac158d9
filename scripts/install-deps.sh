#!/bin/sh
# Install every Debian package ovscrash needs to build, test and make its
# fixtures.  Idempotent: installs only what is missing.  Run as root on
# Debian 12 (bookworm).
set -eu

PKGS="
build-essential pkg-config git ca-certificates curl xz-utils zstd cpio file
binutils-dev bison flex zlib1g-dev libncurses-dev liblzo2-dev libsnappy-dev
libzstd-dev texinfo libgmp-dev libmpfr-dev dpkg-dev
libjson-c-dev libelf-dev libdw-dev liblzma-dev libcmocka-dev libdebuginfod-dev debuginfod libarchive-tools
qemu-system-x86 busybox-static python3 socat kmod iproute2 bc time
qemu-system-arm gcc-aarch64-linux-gnu libc6-dev-arm64-cross binutils-aarch64-linux-gnu
linux-libc-dev-arm64-cross
libbpf1 libcap-ng0 libnuma1 libssl3 libunbound8 libxdp1
crash makedumpfile chromium gdb valgrind lz4 bzip2 gzip
python3-pytest python3-hypothesis
slurm-wlm munge parallel
python3-drgn linux-perf
clang libclang-rt-14-dev llvm libbpf-dev bpftool
debhelper dh-python fakeroot lintian scdoc man-db groff-base
systemd-container debootstrap
"

missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing="$missing $p"
done

if [ -n "$missing" ]; then
	if [ "$(id -u)" != 0 ]; then
		echo "install-deps: need root to install:$missing" >&2
		exit 1
	fi
	echo "install-deps: installing:$missing"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -q
	apt-get install -y -q --no-install-recommends $missing
fi
echo "install-deps: all build/test packages present"
