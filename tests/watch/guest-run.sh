#!/bin/sh
# Boot a cached fixture kernel under QEMU (TCG) with the fixture recipe's
# guest init (fixtures/guest/init, unchanged) and ovscrash-watch started
# before it, then check the console: a warning naming the victim before
# the soft lockup (race), none at all (healthy).
#
#   tests/watch/guest-run.sh [race|healthy|race-mitigated|lockup|attribution|bench] [KERNEL_DIR]
#
# attribution, bench: our own init (tests/watch/guest-init.sh) on the
# recipe's OVS set-up, for what the recipe has no mode for: the warning
# naming the vport and datapath (the lockup state induced on p2 with only
# CPU 1 flooding, so that CPU 0 is left to print), and packets per second
# through the OVS flow without the watcher, with it (fentry, kprobe) and
# with the mitigation alone (make bench: tests/bench/parts/70-watch.sh;
# OVSCRASH_WATCH_ROUNDS, OVSCRASH_WATCH_WINDOW seconds).
#
# lockup: the recipe's induced lockup (its helper zeroes the running OVS
# port p2's real_num_tx_queues) on the stock module: with module BTF (6.1)
# the warning also names the vport and datapath.
#
# race-mitigated: the race with a second watcher, `-M -m p1`, clearing the
# recorded rx queue at the ingress of the OVS port the flood enters by
# (docs/watch.md, "A candidate that can work"): expected, no lockup in the
# recipe's 40 tries, the warning still given, the counter > 0.
#
# KERNEL_DIR defaults to the cached bullseye 5.10 amd64 kernel, whose stock
# openvswitch.ko carries neither fix (the real race, no rebuilt module).
# The guest's architecture is the kernel directory's (fetch-kernel.sh names
# it <release>-<version>, e.g. 5.10.0-32-cloud-arm64-5.10.223-1): arm64
# boots as the fixture recipe boots it (fixtures/mkfixture.sh: the virt
# machine, gic-version=3, cortex-a57, multi-threaded TCG, 1 GB,
# crashkernel=256M, console ttyAMA0), with the userland and its libraries
# from the cached arm64 .debs only, the flood and helper modules
# cross-built (aarch64-linux-gnu-gcc) and build/watch-arm64/ovscrash-watch
# (make watch WATCH_ARCH=arm64).
# The initramfs is composed in a temporary directory from the recipe's
# parts, never under the cache (read only here) and never by editing the
# hashed recipe files: busybox, ip, tc, ovs-dpctl and kexec with their
# libraries (the host's, else the cached bookworm .debs), the kernel's
# veth + openvswitch modules, fixtures/guest/flood.c and
# fixtures/helper/ovscrash_delay.c built for that kernel, a capture
# "kernel" for the recipe's kexec -p (the same image, with an initramfs that
# only powers off: no dump is wanted), and our /init, which starts the
# watcher and execs the recipe's init.
#
# Prints "watch-guest: N passed, M failed".  Needs build/watch/ovscrash-watch
# (make watch), qemu-system-x86_64, gcc and the kernel's headers; for arm64
# build/watch-arm64/ovscrash-watch, qemu-system-aarch64 and
# gcc-aarch64-linux-gnu.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
mode=${1:-race}
cache=${OVSCRASH_CACHE:-/var/cache/ovscrash}
kdir=${2:-$(ls -d "$cache"/kernels/5.10.*-cloud-amd64-* 2>/dev/null | tail -n1)}
timeout=${OVSCRASH_WATCH_GUEST_TIMEOUT:-600}
log() { echo "watch-guest: $*" >&2; }
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "PASS: $*"; }
nok() { fail=$((fail + 1)); echo "FAIL: $*"; }

case "$mode" in race | healthy | race-mitigated | lockup | attribution | bench) ;;
*) log "unknown mode '$mode' (race, healthy, race-mitigated, lockup, attribution or bench)"; exit 2 ;;
esac
rmode=$mode
[ "$mode" = race-mitigated ] && rmode=race
[ -d "$kdir" ] && [ -f "$kdir/vmlinuz" ] || { log "no cached kernel at '$kdir'"; exit 2; }
# --- per arch (as fixtures/mkfixture.sh boots each): the watcher build,
# the toolchain, where the userland comes from, QEMU's machine
case "$(basename "$kdir")" in
*-cloud-arm64-*)
	arch=arm64
	watch_bin=$top/build/watch-arm64/ovscrash-watch
	watch_make="make watch WATCH_ARCH=arm64"
	triplet=aarch64-linux-gnu
	cc=aarch64-linux-gnu-gcc
	kmake="ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu- CC=aarch64-linux-gnu-gcc"
	host_userland=no	# the host's binaries are x86_64
	qemu=qemu-system-aarch64
	machine="-M virt,gic-version=3 -cpu cortex-a57 -smp 2 -m 1024M"
	accel=${OVSCRASH_WATCH_ACCEL:-tcg,thread=multi}
	console=ttyAMA0
	crashkernel=256M
	;;
*)
	arch=amd64
	watch_bin=$top/build/watch/ovscrash-watch
	watch_make="make watch"
	triplet=x86_64-linux-gnu
	cc=gcc
	kmake="CC=gcc"
	host_userland=yes
	qemu=qemu-system-x86_64
	machine="-cpu max,la57=off -smp 2 -m 512M"
	accel=${OVSCRASH_WATCH_ACCEL:-tcg}
	console=ttyS0
	crashkernel=128M
	;;
esac
[ -x "$watch_bin" ] || { log "$watch_bin missing: run $watch_make"; exit 2; }
file -L "$watch_bin" | grep -q "$(case $arch in arm64) echo 'ARM aarch64' ;; *) echo 'x86-64' ;; esac)" ||
	{ log "$watch_bin is not an $arch executable: $(file -L "$watch_bin" | cut -d: -f2 | cut -c1-80)"; exit 2; }
headers="$kdir/headers"
[ -e "$headers" ] || headers="/usr/src/linux-headers-$(cat "$kdir/release")"
[ -d "$headers" ] || { log "no headers for $(cat "$kdir/release")"; exit 2; }

work=$(mktemp -d /tmp/ovscrash-watch-guest.XXXXXX)
[ -n "${OVSCRASH_WATCH_KEEP:-}" ] || trap 'rm -rf "$work"' EXIT
root=$work/root x=$work/x
mkdir -p "$root/bin" "$root/sbin" "$root/modules" "$root/kdump" "$x"

# --- userland: the host's binary when it has one (amd64), else the
# cached .deb's
debs=$cache/debs/$arch
from_deb() {	# package path-in-package dest
	d=$(ls "$debs/$1"_*_"$arch".deb 2>/dev/null | tail -n1)
	[ -n "$d" ] || { log "no cached $1 .deb under $debs"; exit 1; }
	[ -d "$x/$1" ] || dpkg-deb -x "$d" "$x/$1"
	cp "$x/$1$2" "$3"
}
if [ "$host_userland" = yes ]; then
	cp /usr/bin/busybox "$root/bin/busybox" 2>/dev/null || from_deb busybox-static /bin/busybox "$root/bin/busybox"
	cp /usr/sbin/ip /usr/sbin/tc "$root/sbin/"
else
	from_deb busybox-static /bin/busybox "$root/bin/busybox"
	from_deb iproute2 /bin/ip "$root/sbin/ip"
	from_deb iproute2 /sbin/tc "$root/sbin/tc"
fi
file -L "$root/bin/busybox" | grep -q 'statically linked' || { log "busybox is not static"; exit 1; }
ln -s busybox "$root/bin/sh"
from_deb openvswitch-switch /usr/sbin/ovs-dpctl "$root/bin/ovs-dpctl" 2>/dev/null ||
	from_deb openvswitch-switch /usr/bin/ovs-dpctl "$root/bin/ovs-dpctl"
from_deb kexec-tools /sbin/kexec "$root/bin/kexec" 2>/dev/null ||
	from_deb kexec-tools /usr/sbin/kexec "$root/bin/kexec"

# shared libraries: NEEDED closure, from the host's multiarch dirs (amd64),
# else from every cached library .deb (kexec's libxen* chain is not on
# hosts; zlib1g's name does not start with lib)
find_lib() {
	[ "$host_userland" = yes ] && for d in /lib/x86_64-linux-gnu /usr/lib/x86_64-linux-gnu; do
		[ -e "$d/$1" ] && { echo "$d/$1"; return 0; }
	done
	for deb in "$debs"/lib*_"$arch".deb "$debs"/zlib*_"$arch".deb; do
		p=$(basename "$deb" | cut -d_ -f1)
		[ -d "$x/$p" ] || dpkg-deb -x "$deb" "$x/$p"
	done
	f=$(find "$x" -name "$1" \( -type f -o -type l \) 2>/dev/null | head -n1)
	[ -n "$f" ] && { echo "$f"; return 0; }
	return 1
}
mkdir -p "$root/lib/$triplet"
if [ "$arch" = amd64 ]; then
	mkdir -p "$root/lib64"
	cp -L /lib64/ld-linux-x86-64.so.2 "$root/lib64/"
else	# the dynamic loader the binaries name (PT_INTERP), from libc6
	interp=$(readelf -l "$root/sbin/ip" | sed -n 's/.*program interpreter: \(.*\)]/\1/p')
	[ -n "$interp" ] || { log "no program interpreter in ip"; exit 1; }
	mkdir -p "$root$(dirname "$interp")"
	from_deb libc6 "$interp" "$root$interp"
fi
todo="$root/sbin/ip $root/sbin/tc $root/bin/ovs-dpctl $root/bin/kexec"
seen=" "
while [ -n "$todo" ]; do
	set -- $todo
	elf=$1
	shift
	todo="$*"
	for so in $(readelf -d "$elf" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
		case "$seen" in *" $so "*) continue ;; esac
		seen="$seen$so "
		src=$(find_lib "$so") || { log "no library $so (needed by ${elf#$root})"; exit 1; }
		cp -L "$src" "$root/lib/$triplet/$so"
		todo="$todo $root/lib/$triplet/$so"
	done
done
log "userland: busybox ip tc ovs-dpctl kexec +$(echo $seen | wc -w) libraries"

# --- kernel modules (veth, openvswitch and their dependencies)
mods=$kdir/modules
: >"$root/modules.order"
add_mod() {	# name (recursive: its variables must be local)
	local f d
	f=$(find "$mods/kernel" -name "$1.ko" -o -name "$1.ko.xz" | head -n1)
	grep -qx "$1.ko" "$root/modules.order" && return 0
	[ -n "$f" ] || { grep -q "/$1\.ko" "$mods/modules.builtin" 2>/dev/null && return 0
		log "module $1 not found"; exit 1; }
	for d in $(modinfo -F depends "$f" | tr ',' ' '); do add_mod "$d"; done
	case "$f" in *.xz) xz -dc "$f" >"$root/modules/$1.ko" ;; *) cp "$f" "$root/modules/" ;; esac
	echo "$1.ko" >>"$root/modules.order"
}
add_mod veth
add_mod openvswitch
# clsact and cls_bpf for the mitigation's tc program, loaded by our init
cp "$root/modules.order" "$work/modules.base"
add_mod sch_ingress
add_mod cls_bpf
grep -vxFf "$work/modules.base" "$root/modules.order" >"$root/modules.tc" || :
cp "$work/modules.base" "$root/modules.order"
[ "$mode" = race-mitigated ] && touch "$root/watch.mitigate"

# --- the recipe's flood and timing aid, built for this kernel
$cc -O2 -static -o "$root/flood" "$top/fixtures/guest/flood.c"
cp -r "$top/fixtures/helper" "$work/helper"
make -s -C "$headers" M="$work/helper" $kmake CONFIG_DEBUG_INFO_BTF_MODULES= modules \
	>"$work/helper.log" 2>&1 || { cat "$work/helper.log" >&2; log "helper modules failed to build"; exit 1; }
cp "$work/helper/ovscrash_delay.ko" "$work/helper/ovscrash_helper.ko" "$root/"
# race on a kernel whose stock module has the fixes (6.1): the recipe's
# rebuilt fix-less module, as fixtures/build-ovs-race.sh cached it
if [ "$rmode" = race ]; then
	rmod=$(ls "$cache"/ovs-race/"$arch"-"$(cat "$kdir/release")"-*/openvswitch.ko 2>/dev/null | tail -n1)
	if python3 "$top/fixtures/ovsfixes.py" "$kdir/debug/kernel/net/openvswitch/openvswitch.ko" |
		grep -q true; then
		[ -n "$rmod" ] || { log "the stock openvswitch.ko has a fix and no rebuilt one is cached"; exit 1; }
		mkdir -p "$root/race"
		cp "$rmod" "$root/race/openvswitch.ko"
		log "race: rebuilt module $rmod"
	fi
fi

# --- capture kernel for the recipe's kexec -p: powers off at once
c=$work/capture
mkdir -p "$c/bin" "$c/proc"
cp "$root/bin/busybox" "$c/bin/busybox"
ln -s busybox "$c/bin/sh"
printf '#!/bin/sh\n/bin/busybox echo "OVSCRASH capture=booted (no dump taken)"\n/bin/busybox poweroff -f\n' >"$c/init"
chmod 755 "$c/init"
(cd "$c" && find . | cpio -o -H newc --quiet | gzip -1) >"$root/kdump/initrd.gz"
cp "$kdir/vmlinuz" "$root/kdump/vmlinuz"
readelf -sW "$kdir/vmlinux" | python3 -c '
import sys
a = {f[7]: int(f[1], 16) for f in (l.split() for l in sys.stdin) if len(f) >= 8 and f[7] in ("_text", "_stext")}
print(hex(a["_stext"] - a["_text"]))' >"$root/kdump/stext-offset" || { log "no _text/_stext in $kdir/vmlinux"; exit 1; }

# --- the watcher and our init
cp "$watch_bin" "$root/ovscrash-watch"
cp "$top/fixtures/guest/init" "$root/init.recipe"
cp "$top/tests/watch/guest-init.sh" "$root/init.watch"
cat >"$root/init" <<'EOF'
#!/bin/sh
# ovscrash-watch first, then the fixture recipe's init (tests/watch);
# attribution and bench: tests/watch/guest-init.sh instead
/bin/busybox mkdir -p /proc /sys
/bin/busybox mount -t proc proc /proc
/bin/busybox mount -t sysfs sys /sys
/bin/busybox mount -t devtmpfs dev /dev
/bin/busybox mkdir -p /sys/kernel/debug /sys/kernel/tracing
/bin/busybox mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null
/bin/busybox mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
case " $(/bin/busybox cat /proc/cmdline) " in
*" ovscrash.watch="*) exec /init.watch ;;	# proc, sys, dev mounted here
esac
# the modules first, so that the watcher finds openvswitch's BTF (vport
# attribution); not when the recipe loads a rebuilt module (race, 6.1):
# its insmod would fail.  The recipe's own insmods then only warn.
if [ ! -e /race/openvswitch.ko ]; then
	for m in $(/bin/busybox cat /modules.order); do
		/bin/busybox insmod /modules/$m
	done
fi
/ovscrash-watch -r 1000 -i 5 -w /watch.ready >/dev/console 2>&1 &
pid=$!
i=0
while [ $i -lt 60 ] && [ ! -e /watch.ready ] && [ -e /proc/$pid ]; do
	/bin/busybox sleep 1
	i=$((i + 1))
done
echo "OVSCRASH watch_pid=$pid watch_ready=$([ -e /watch.ready ] && echo 1 || echo 0) watch_wait_s=$i" >/dev/console
# race-mitigated: the tc program on p1 (the flood's way into OVS) as soon
# as the recipe has made it
if [ -e /watch.mitigate ]; then
	for m in $(/bin/busybox cat /modules.tc); do
		/bin/busybox insmod /modules/$m
	done
	(
		n=0
		while [ ! -e /sys/class/net/p1 ] && [ $n -lt 600 ]; do
			/bin/busybox sleep 0.1
			n=$((n + 1))
		done
		exec /ovscrash-watch -M -m p1 -i 5 >/dev/console 2>&1
	) &
fi
exec /init.recipe
EOF
chmod 755 "$root/init" "$root/init.recipe" "$root/init.watch"
(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) >"$work/initrd.gz"
log "initramfs $(du -h "$work/initrd.gz" | cut -f1) for $(cat "$kdir/release"), mode $mode"

if [ -n "${OVSCRASH_WATCH_NO_BOOT:-}" ]; then	# compose only (debugging)
	log "OVSCRASH_WATCH_NO_BOOT: not booting; initramfs at $work/initrd.gz"
	trap - EXIT
	exit 0
fi

# --- boot
con=$work/console.log
# the recipe's modes keep their command line; ours boot our init and
# reboot (so QEMU, with -no-reboot, exits) on the soft lockup's panic
append="softlockup_panic=1 watchdog_thresh=5 panic=0 loglevel=7 ovscrash.mode=$rmode"
case "$mode" in attribution | bench)
	append="softlockup_panic=1 watchdog_thresh=5 panic=1 loglevel=7 ovscrash.watch=$mode"
	# the watcher attaches and detaches under traffic here: under
	# multi-threaded TCG that has twice left a vCPU at a stale
	# netdev_core_pick_tx entry (docs/watch.md, "Attach under traffic");
	# one host thread for both vCPUs makes QEMU's code invalidation exact
	accel=${OVSCRASH_WATCH_ACCEL:-tcg,thread=single}
	append="$append ovscrash.rounds=${OVSCRASH_WATCH_ROUNDS:-5} ovscrash.window=${OVSCRASH_WATCH_WINDOW:-4}"
	[ -n "${OVSCRASH_WATCH_PHASES:-}" ] && append="$append ovscrash.phases=$OVSCRASH_WATCH_PHASES"
	;;
esac
t0=$(date +%s)
timeout "$timeout" $qemu -accel "$accel" $machine \
	-no-reboot -nodefaults -display none -serial "file:$con" \
	-kernel "$kdir/vmlinuz" -initrd "$work/initrd.gz" \
	-append "console=$console crashkernel=$crashkernel $append" ||
	log "qemu ended with $? after $(($(date +%s) - t0)) s"
log "guest ran $(($(date +%s) - t0)) s ($accel); console: $(wc -l <"$con") lines"
out=${OVSCRASH_WATCH_OUT:-}
[ -n "$out" ] && cp "$con" "$out"

# --- checks (expectations from the recipe's own OVSCRASH lines); the
# serial console ends lines with CR LF
tr -d '\r' <"$con" >"$con.lf" && mv "$con.lf" "$con"
grep -q 'ovscrash-watch: watching netdev_core_pick_tx' "$con" &&
	ok "the watcher attached ($(grep -o 'watching netdev_core_pick_tx ([a-z]*)' "$con" | head -n1))" ||
	nok "the watcher did not attach: $(grep 'ovscrash-watch' "$con" | head -n3 | tr '\n' ' ')"
# no BPF trampoline for kernel functions without ftrace direct calls
# (arm64 before 6.4, docs/watch.md section 1): the kernel's own .config
# says the watcher must have fallen back to its kprobe
if [ -f "$headers/.config" ] && ! grep -q '^CONFIG_DYNAMIC_FTRACE_WITH_DIRECT_CALLS=y' "$headers/.config"; then
	grep -q 'watching netdev_core_pick_tx (kprobe)' "$con" &&
		ok "kprobe path, as the kernel's .config (no DYNAMIC_FTRACE_WITH_DIRECT_CALLS) requires" ||
		nok "not on the kprobe path although the kernel has no ftrace direct calls"
fi
lock=$(grep -n 'soft lockup' "$con" | head -n1 | cut -d: -f1)
# warned_before WHAT PATTERN: a watcher warning whose device part matches
# PATTERN, on a console line before the lockup's; sets $warn to that line
warned_before() {
	warn=$(grep -n "ovscrash-watch: WARNING transmit to broken device $2" "$con" | head -n1 | cut -d: -f1)
	if [ -n "$warn" ] && [ -n "$lock" ] && [ "$warn" -lt "$lock" ]; then
		ok "$1 (line $warn) before the lockup (line $lock)"
	else
		nok "no $1 before the lockup (warning line '${warn:-none}', lockup line '${lock:-none}')"
	fi
}
case "$mode" in
race)
	victim=$(sed -n 's/.*race_victim=\([^ ]*\).*/\1/p' "$con" | tail -n1)
	[ -n "$lock" ] && ok "the guest locked up (console line $lock)" || nok "no soft lockup in $timeout s"
	# a warning for the victim on OVS's transmit path, its stack running
	# from netdev_core_pick_tx into openvswitch's frames, named (even when
	# the module was loaded after the watcher started).  Usually the
	# spinning transmit's own (real 0 of N); but a transmit that entered
	# netdev_core_pick_tx just before the queue count went to 0 passes
	# the entry probe as "not registered" (real N of N) and then spins
	# (seen on arm64 under load): either warns before the lockup
	warned_before "warning for the victim '$victim' from OVS's transmit path" \
		"\"$victim\" .* stack netdev_core_pick_tx+0x[0-9a-f]*<-.*\\[openvswitch\\]"
	echo "INFO: warnings for the victim: $(grep -c "WARNING transmit to broken device \"$victim\"" "$con" || :)," \
		"of which with no tx queue: $(grep -c "WARNING transmit to broken device \"$victim\" .* tx_queues real 0 of" "$con" || :)," \
		"the first one before the lockup: $(sed -n "${warn:-0}p" "$con" | grep -o 'why [a-z_,]*' || echo none)"
	# arm64's kprobe fires before netdev_core_pick_tx saves its frame
	# record: its caller comes from the link register.  The expected
	# frame: the return address after __dev_queue_xmit's call of it, in
	# the vmlinux's own disassembly
	if [ "$arch" = arm64 ] && grep -q 'watching netdev_core_pick_tx (kprobe)' "$con"; then
		# (64-bit kernel addresses: python, not sh arithmetic, which
		# dash clamps at INTMAX_MAX)
		rets=$(python3 - "$kdir/vmlinux" <<'PY'
import re, subprocess, sys
v = sys.argv[1]
for l in subprocess.run(["nm", "-S", v], capture_output=True, text=True).stdout.splitlines():
    f = l.split()
    if len(f) == 4 and f[3] == "__dev_queue_xmit":
        start, size = int(f[0], 16), int(f[1], 16)
        break
else:
    sys.exit("no __dev_queue_xmit in " + v)
dis = subprocess.run(["aarch64-linux-gnu-objdump", "-d", "--start-address=%#x" % start,
                      "--stop-address=%#x" % (start + size), v],
                     capture_output=True, text=True).stdout
for m in re.finditer(r"^ *([0-9a-f]+):.*\bbl\b.*<netdev_core_pick_tx>$", dis, re.M):
    print("__dev_queue_xmit+%#x" % (int(m.group(1), 16) + 4 - start))
PY
		)
		got=$(sed -n "${warn:-0}p" "$con" | sed -n 's/.* stack netdev_core_pick_tx+0x0<-\([^<]*\)<-.*/\1/p')
		if [ -n "$rets" ] && [ -n "$got" ] && echo "$rets" | grep -qxF "$got"; then
			ok "the stack's second frame is $got, the return address after __dev_queue_xmit's bl netdev_core_pick_tx (objdump)"
		else
			nok "second frame '${got:-none}', expected one of: $(echo $rets) (objdump of __dev_queue_xmit)"
		fi
	fi
	;;
lockup)
	# both CPUs spin here (the recipe floods from both): no CPU is left
	# to print an event, so only the attach and attribution are checked
	[ -n "$lock" ] && ok "the guest locked up (console line $lock)" || nok "no soft lockup in $timeout s"
	if readelf -SW "$kdir/modules/kernel/net/openvswitch/openvswitch.ko" | grep -q '\.BTF '; then
		grep -q 'OVS vport attribution on' "$con" && ok "vport attribution on (module BTF)" ||
			nok "vport attribution off although the module has BTF"
		c=$(grep -o 'vport_send_[a-z]* calls=[0-9]*' "$con" | tail -n1 | sed 's/.*=//')
		[ "${c:-0}" -gt 0 ] && ok "the vport program ran: $c calls" || nok "the vport program never ran"
	fi
	echo "INFO: warnings printed: $(grep -c 'ovscrash-watch: WARNING' "$con" || :) (both CPUs spin: none expected)"
	;;
race-mitigated)
	[ -z "$lock" ] && ok "no soft lockup" || nok "soft lockup despite the mitigation (console line $lock)"
	grep -q 'OVSCRASH error=race: no lockup in' "$con" &&
		ok "the recipe ran out of tries: $(grep -o 'no lockup in [0-9]* tries' "$con" | head -n1)" ||
		nok "the recipe did not finish its tries"
	grep -q 'mitigation on "p1" ingress' "$con" && ok "mitigation attached on p1" ||
		nok "mitigation not attached: $(grep 'ovscrash-watch' "$con" | grep -v WARNING | head -n3 | tr '\n' ' ')"
	# two watchers print counters; the -M one's is the largest
	cleared=$(grep -o 'rx_queue_cleared=[0-9]*' "$con" | cut -d= -f2 | sort -n | tail -n1)
	[ "${cleared:-0}" -gt 0 ] && ok "rx queue records cleared: $cleared" || nok "rx_queue_cleared ${cleared:-absent}"
	n=$(grep -c 'ovscrash-watch: WARNING transmit to broken device' "$con" || :)
	echo "INFO: $n watcher warnings; kernel cap lines: $(grep -c 'but real number of TX queues is 0' "$con" || :)"
	;;
attribution)
	# expectations from ovs-dpctl's own port list, printed by the guest
	vport=$(sed -n 's/^OVSCRASH port=\([0-9]*\) port_dev=p2$/\1/p' "$con" | head -n1)
	dp=$(sed -n 's/^OVSCRASH port=0 port_dev=\(.*\)$/\1/p' "$con" | head -n1)
	idx=$(sed -n 's/^OVSCRASH victim_ifindex=\([0-9]*\)$/\1/p' "$con" | head -n1)
	[ -n "$vport" ] && [ -n "$dp" ] && [ -n "$idx" ] && ok "ovs-dpctl: p2 is port $vport of datapath $dp, ifindex $idx" ||
		nok "the guest did not report p2's port, the datapath or the ifindex"
	grep -q 'OVS vport attribution on' "$con" && ok "vport attribution on (module BTF)" ||
		nok "vport attribution off: $(grep 'ovscrash-watch' "$con" | head -n3 | tr '\n' ' ')"
	[ -n "$lock" ] && ok "the guest locked up (console line $lock)" || nok "no soft lockup in $timeout s"
	# the helper stores reg_state, then real_num_tx_queues: either event
	# (not registered; or no tx queue, the spinning transmit) shows the
	# attribution
	warned_before "warning for p2 naming vport '$vport' and datapath '$dp'" \
		"\"p2\" ifindex $idx .* vport $vport datapath \"$dp\" "
	echo "INFO: p2 warnings before the lockup: $(head -n "${lock:-0}" "$con" | grep -c 'WARNING transmit to broken device "p2"' || :)," \
		"of which with no tx queue: $(head -n "${lock:-0}" "$con" | grep -c 'WARNING transmit to broken device "p2" .* tx_queues real 0 of' || :)"
	;;
bench)
	grep -q 'OVSCRASH stage=bench-done' "$con" && ok "the bench ran to its end" ||
		nok "the bench did not finish: $(grep 'OVSCRASH error=' "$con" | head -n1)"
	rounds=${OVSCRASH_WATCH_ROUNDS:-5}
	for ph in base watch kprobe mitigate; do
		n=$(grep -c "^OVSCRASH bench_phase=$ph round=[0-9]* packets=[1-9][0-9]* seconds=" "$con" || :)
		[ "$n" = "$rounds" ] && ok "phase $ph: $n rounds with packets" ||
			nok "phase $ph: $n of $rounds rounds with packets"
	done
	n=$(grep -c 'ovscrash-watch: WARNING' "$con" || :)
	[ "$n" = 0 ] && ok "no warning under healthy traffic" || nok "$n warnings under healthy traffic"
	grep -q 'mitigation on "p1" ingress' "$con" && ok "mitigation attached on p1" ||
		nok "mitigation not attached on p1"
	# the raw figures, for tests/bench/parts/70-watch.sh
	sed -n 's/^OVSCRASH bench_phase=\([a-z]*\) round=\([0-9]*\) packets=\([0-9]*\) seconds=\([0-9.]*\).*/BENCHRAW \1 \2 \3 \4/p' "$con"
	;;
healthy)
	# the recipe's line, or the kernel's own panic line (the recipe's
	# line can be lost in the serial buffer when the panic comes at once)
	grep -q -e 'OVSCRASH stage=trigger sysrq' -e 'Kernel panic - not syncing: sysrq triggered crash' "$con" &&
		ok "healthy run reached its trigger" || nok "healthy run did not reach its trigger"
	# the silence means something only if traffic crossed OVS meanwhile
	pk=$(sed -n 's/^OVSCRASH flows=.*packets:\([0-9]*\),.*/\1/p' "$con" | head -n1)
	[ "${pk:-0}" -gt 0 ] && ok "traffic through the OVS flow while watched: $pk packets" ||
		nok "no packet through the OVS flow (flows line: $(grep -m1 'OVSCRASH flows=' "$con"))"
	n=$(grep -c 'ovscrash-watch: WARNING' "$con" || :)
	[ "$n" = 0 ] && ok "no warning on the healthy run" || nok "$n warnings on the healthy run"
	;;
esac
grep 'ovscrash-watch' "$con" | head -n 8 >&2 || :
echo "watch-guest: $pass passed, $fail failed"
[ "$fail" = 0 ]
