#!/bin/sh
# The guest's init for two tests/watch/guest-run.sh modes that the fixture
# recipe's init (fixtures/guest/init, hashed, not edited) has no mode for.
# The OVS set-up is the recipe's: netns A's vA <-> p1 (OVS port 1), OVS
# port 2 p2 <-> vB in netns B, one flow in_port 1 -> 2, a UDP flood from A.
#
#   ovscrash.watch=bench        packets per second through the OVS flow,
#       read as p2's tx_packets over a fixed window while the flood runs on
#       CPU 1 (the watcher and this script on CPU 0), in phases that are
#       run in turn, round after round: base (no watcher), watch (the
#       default attach, with the vport programs where the module has BTF),
#       kprobe (-k), mitigate (-M -m p1, the tc program alone).  One line
#       per phase and round: "OVSCRASH bench_phase=P round=N packets=K
#       seconds=S".  Then power off.
#   ovscrash.watch=attribution  the watcher (vport attribution on where
#       the module has BTF), the flood on CPU 1 only, then the recipe's
#       helper module makes p2's lockup state (reg_state UNREGISTERING,
#       real_num_tx_queues 0) while p2 is still OVS port 2: the warning,
#       printed by CPU 0, names the vport and the datapath; CPU 1 then
#       spins and softlockup_panic ends the boot.  Induced, not the race:
#       the vport is still linked here, which the real race does not
#       leave; the test asserts only what the watcher reports.
/bin/busybox --install -s /bin
export PATH=/sbin:/usr/sbin:/bin:/usr/bin
mkdir -p /run /tmp
mount -t tmpfs run /run
mkdir -p /run/netns

say() { echo "OVSCRASH $*" >/dev/console; }
die() { say "error=$*"; poweroff -f; }

what=
rounds=5
window=4
phases="base watch kprobe mitigate"
for a in $(cat /proc/cmdline); do
	case "$a" in
	ovscrash.watch=*) what=${a#ovscrash.watch=} ;;
	ovscrash.rounds=*) rounds=${a#ovscrash.rounds=} ;;
	ovscrash.window=*) window=${a#ovscrash.window=} ;;
	ovscrash.phases=*) phases=$(echo "${a#ovscrash.phases=}" | tr , ' ') ;;
	esac
done
say "stage=boot watch_mode=$what rounds=$rounds window=$window"
for m in $(cat /modules.order) $(cat /modules.tc); do
	insmod "/modules/$m" || die "insmod $m"
done

IP=/sbin/ip
$IP netns add A || die "ip netns add A"
$IP netns add B || die "ip netns add B"
$IP link add vA numtxqueues 8 numrxqueues 8 type veth peer name p1 numtxqueues 8 numrxqueues 8 ||
	die "ip link add vA"
$IP link add p2 numtxqueues 8 numrxqueues 8 type veth peer name vB numtxqueues 8 numrxqueues 8 ||
	die "ip link add p2"
$IP link set vA netns A
$IP link set vB netns B
$IP netns exec A $IP addr add 10.0.0.1/24 dev vA
$IP netns exec B $IP addr add 10.0.0.2/24 dev vB
$IP netns exec A $IP link set vA up
$IP netns exec B $IP link set vB up
# no IPv6 on the OVS ports: p2's own router solicitations and MLD
# reports (sent from CPU 0, not through OVS) would otherwise reach the
# broken p2 first now and then, and the watcher's rate limit (one event
# per device and condition a second) would hold back the OVS transmit's
# warning that the attribution mode checks for (2 of 3 boots on main)
for d in p1 p2; do
	echo 1 >/proc/sys/net/ipv6/conf/$d/disable_ipv6 || say "warning=ipv6 left on $d"
done
$IP link set p1 up
$IP link set p2 up
macB=$($IP netns exec B cat /sys/class/net/vB/address)
$IP netns exec A $IP neigh add 10.0.0.2 lladdr "$macB" dev vA nud permanent
# every CPU transmits on vA's tx queue 1, as in the recipe: the skb
# reaching OVS records an rx queue, so skb_tx_hash() takes the loop
$IP netns exec A sh -c 'echo 3 >/sys/class/net/vA/queues/tx-1/xps_cpus' ||
	say "warning=xps not set"
ovs-dpctl add-dp dp0 p1 p2 || die "ovs-dpctl add-dp"
ovs-dpctl add-flow dp0 'in_port(1),eth(),eth_type(0x0800),ipv4(frag=no)' 2 ||
	die "ovs-dpctl add-flow"
ovs-dpctl show dp0 | sed -n 's/^ *port \([0-9]*\): \([^ ]*\).*$/OVSCRASH port=\1 port_dev=\2/p' >/dev/console

# start_watcher ARGS...: sets $wpid once the watcher is attached
start_watcher() {
	rm -f /watch.ready
	taskset -c 0 /ovscrash-watch -w /watch.ready "$@" >/dev/console 2>&1 &
	wpid=$!
	n=0
	while [ ! -e /watch.ready ] && [ -e /proc/$wpid ] && [ $n -lt 600 ]; do
		sleep 0.1
		n=$((n + 1))
	done
	[ -e /watch.ready ] || die "watcher $* not attached"
}
stop_watcher() {
	kill -INT "$wpid"
	wait "$wpid"
}
uptime_s() { cut -d' ' -f1 /proc/uptime; }

$IP netns exec A taskset -c 1 /flood 10.0.0.2 &
flood=$!
sleep 2
[ -e /proc/$flood ] || die "the flood did not start"

case "$what" in
bench)
	r=1
	while [ "$r" -le "$rounds" ]; do
		for phase in $phases; do
			case "$phase" in
			watch) start_watcher ;;
			kprobe) start_watcher -k ;;
			mitigate) start_watcher -M -m p1 ;;
			watch-noovs) start_watcher -k -s ;;
			esac
			sleep 1
			t0=$(uptime_s)
			p0=$(cat /sys/class/net/p2/statistics/tx_packets)
			sleep "$window"
			p1=$(cat /sys/class/net/p2/statistics/tx_packets)
			t1=$(uptime_s)
			[ "$phase" = base ] || stop_watcher
			say "bench_phase=$phase round=$r packets=$((p1 - p0))" \
				"seconds=$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')"
		done
		r=$((r + 1))
	done
	say "flows=$(ovs-dpctl dump-flows dp0 | tr '\n' ' ')"
	say "stage=bench-done"
	poweroff -f
	;;
attribution)
	start_watcher -r 1000
	say "victim_ifindex=$(cat /sys/class/net/p2/ifindex)"
	# only CPU 1 floods, so only CPU 1 spins; CPU 0 prints, then its
	# watchdog (softlockup_panic=1) sees CPU 1 stuck
	# The helper writes reg_state, then real_num_tx_queues: a transmit
	# already inside netdev_core_pick_tx in between passed the watcher's
	# entry probe with 8 queues (its "not registered" event rate-limited)
	# and then spins unreported (3 of 6 boots).  So no transmit is in
	# flight while the helper writes: the flood stopped (in user space,
	# where SIGSTOP takes it) and its backlog drained, then resumed.
	kill -STOP "$flood"
	sleep 0.5
	say "stage=trigger helper"
	insmod /ovscrash_helper.ko ifname=p2 || die "helper insmod"
	kill -CONT "$flood"
	sleep 60
	die "no lockup within 60 s"
	;;
*)
	die "unknown ovscrash.watch=$what (bench or attribution)"
	;;
esac
