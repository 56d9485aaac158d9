#!/bin/sh
# ovscrash-watch on real kernels: each run boots a cached fixture kernel
# under QEMU TCG with the watcher started first (tests/watch/guest-run.sh,
# which composes the initramfs and checks the console), expectations from
# the guest's own OVSCRASH lines (the recipe's victim, ovs-dpctl's ports):
#
#   race            5.10 amd64, stock openvswitch (neither fix): the real
#                   race (a pod's veth deleted under traffic); the warning
#                   for the victim with no tx queue before the soft lockup
#   healthy         5.10 amd64, the same traffic, no trigger: no warning
#   race            6.1 amd64, the recipe's rebuilt fix-less module
#   healthy         6.1 amd64, stock module with BTF (vport programs on)
#   attribution     6.1 amd64: the warning names the vport and datapath
#   race-mitigated  5.10 amd64: the race with `-M -m p1`: no lockup in the
#                   recipe's 40 tries
#   race            5.10 arm64 (the original report's platform), stock
#                   module: the same warning, on the kprobe path (no BPF
#                   trampoline for kernel functions on arm64 before 6.4)
#   healthy         5.10 arm64: no warning
#   attribution     6.1 arm64, stock module (BTF): the warning names the
#                   vport and datapath, the vport program on its kprobe
#
# Needs the fixture kernels in the cache (make fixtures) and the watcher,
# native and arm64 (this builds both: make watch, make watch
# WATCH_ARCH=arm64).  A missing kernel or
# module is a failure, never a skip.  OVSCRASH_WATCH_GUEST_ONLY="label ..."
# runs only those runs (by the labels below, e.g. race-5.10-arm64), for
# development; make check leaves it unset.  Prints "watch-guest: N passed, M
# failed"; the console logs are kept in tests/out/watch-guest/.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
cache=${OVSCRASH_CACHE:-/var/cache/ovscrash}
out=$top/tests/out/watch-guest
mkdir -p "$out"
pass=0 fail=0

make -s -C "$top" watch >"$out/build.log" 2>&1 ||
	{ echo "FAIL: make watch: $(tail -n 3 "$out/build.log" | tr '\n' ' ')"; echo "watch-guest: 0 passed, 1 failed"; exit 1; }
make -s -C "$top" watch WATCH_ARCH=arm64 >"$out/build-arm64.log" 2>&1 ||
	{ echo "FAIL: make watch WATCH_ARCH=arm64: $(tail -n 3 "$out/build-arm64.log" | tr '\n' ' ')"; echo "watch-guest: 0 passed, 1 failed"; exit 1; }

kernel() {	# release-glob [arch]
	ls -d "$cache"/kernels/$1-cloud-${2:-amd64}-* 2>/dev/null | tail -n1
}
k510=$(kernel '5.10.*')
k61=$(kernel '6.1.*')
k510arm=$(kernel '5.10.*' arm64)
k61arm=$(kernel '6.1.*' arm64)

run() {	# mode kernel-dir label
	case " ${OVSCRASH_WATCH_GUEST_ONLY:-$3} " in *" $3 "*) ;; *) return ;; esac
	log=$out/$3.log
	t0=$(date +%s)
	echo "== $3 ($1 on $(basename "${2:-none}"))"
	if [ -z "$2" ]; then
		echo "FAIL: $3: no cached kernel (make fixtures builds it)"
		fail=$((fail + 1))
		return
	fi
	OVSCRASH_WATCH_OUT=$out/$3.console.log "$top/tests/watch/guest-run.sh" "$1" "$2" >"$log" 2>&1
	rc=$?
	grep -E '^(PASS|FAIL|INFO): ' "$log" | sed "s/^\([A-Z]*\): /\1: $3: /"
	p=$(sed -n 's/^watch-guest: \([0-9]*\) passed, \([0-9]*\) failed$/\1/p' "$log")
	f=$(sed -n 's/^watch-guest: \([0-9]*\) passed, \([0-9]*\) failed$/\2/p' "$log")
	if [ -z "$p" ]; then	# died before counting
		echo "FAIL: $3: guest-run.sh ended with $rc before its checks: $(grep 'watch-guest:' "$log" | tail -n 2 | tr '\n' ' ')"
		fail=$((fail + 1))
		return
	fi
	# the watcher's own lines, for the log reader
	grep '^ovscrash-watch: WARNING' "$log" | head -n 2 | cut -c1-400
	pass=$((pass + p))
	fail=$((fail + f))
	echo "   $3: $p passed, $f failed, $(($(date +%s) - t0)) s"
}

run race "$k510" race-5.10
run healthy "$k510" healthy-5.10
run race "$k61" race-6.1
run healthy "$k61" healthy-6.1
run attribution "$k61" attribution-6.1
run race-mitigated "$k510" race-mitigated-5.10
run race "$k510arm" race-5.10-arm64
run healthy "$k510arm" healthy-5.10-arm64
run attribution "$k61arm" attribution-6.1-arm64
echo "watch-guest: $pass passed, $fail failed"
[ "$fail" = 0 ]
