#!/bin/bash
# Damaged dumps made from a real one (issue 11): the amd64 lockup fixture
# of the host's kernel line turned into an ELF copy, patched (device list,
# OVS vport table, net_generic, ovs_net_id, printk ring), plus a vmlinux of
# another build of the same release and mismatched openvswitch.ko files;
# ovscrash's commands on each, checked against what was patched.
#   OVSCRASH_DAMAGE_DIR   where the ELF copy, the plan and the other
#                         build's vmlinux are cached ($OVSCRASH_CACHE/damaged)
#   OVSCRASH_DAMAGE_TIMEOUT  bound of one crash session, seconds (90)
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
export OVSCRASH_CACHE=${OVSCRASH_CACHE:-/var/cache/ovscrash}
dmg=${OVSCRASH_DAMAGE_DIR:-$OVSCRASH_CACHE/damaged}
out=${OVSCRASH_TEST_OUT:-$top/tests/out}
mkdir -p "$out" "$dmg"
crash=$("$top/scripts/build-crash.sh" X86_64)
ext="$top/extension/ovscrash.so"
[ -f "$ext" ] || { echo "missing $ext: run make" >&2; exit 1; }
# the host's own line (6.1): the plan reads 6.1's structures
set_dir=$("$top/fixtures/mkfixture.sh" amd64 bookworm)
fx="$set_dir/lockup"
args=()
if other=$("$top/tests/damage/fetch-other-vmlinux.sh" "$fx/manifest.json" "$dmg/kernels"); then
	args+=(--other-vmlinux "$other")
fi
# the openvswitch.ko of another kernel line (5.10), when its fixtures were made
ko=$(ls "$OVSCRASH_CACHE"/kernels/5.10.*-cloud-amd64-*/debug/kernel/net/openvswitch/openvswitch.ko 2>/dev/null | tail -n1 || true)
[ -n "$ko" ] && args+=(--other-ko "$ko")
exec python3 "$top/tests/damage/check.py" --fixture "$fx" --crash "$crash" --ext "$ext" \
	--cache "$dmg" --out "$out" "${args[@]}" "$@"
