#!/bin/sh
# ovscrash-watch checks that need no guest (docs/watch.md):
#  - it builds, statically linked (`file`);
#  - every CO-RE relocation of the BPF object resolves against the BTF of
#    each cached Debian kernel (bpftool gen min_core_btf: libbpf's own
#    relocation code, run offline), and the fields the watcher reads are in
#    the result;
#  - the openvswitch module's BTF holds the vport/datapath members the
#    attribution reads (bpftool, with the vmlinux as base), where the kernel
#    has module BTF;
#  - bad options and an unloadable kernel give one line and an exit code,
#    never a hang; hostile device names are escaped.
# The guest run (the warning before a real lockup) is tests/watch/guest-run.sh.
# Prints "watch: N passed, M failed".
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
cache=${OVSCRASH_CACHE:-/var/cache/ovscrash}
bin=$top/build/watch/ovscrash-watch
obj=$top/build/watch/ovscrash-watch.bpf.o
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "PASS: $*"; }
nok() { fail=$((fail + 1)); echo "FAIL: $*"; }
check() {	# description command...
	d=$1
	shift
	if "$@"; then ok "$d"; else nok "$d"; fi
}

t0=$(date +%s)
if make -s -C "$top" watch >"$tmp/build.log" 2>&1; then
	ok "make watch"
else
	nok "make watch: $(tail -n 5 "$tmp/build.log" | tr '\n' ' ')"
	echo "watch: $pass passed, $fail failed"
	exit 1
fi
file "$bin" | grep -q 'statically linked' && ok "loader statically linked: $(file -b "$bin" | cut -d, -f1,5)" ||
	nok "loader not static: $(file -b "$bin")"

# --- event formatting: crafted events (tests/watch/fmt_test.c) through the
# loader's own on_event(); expectations computed here from the crafted bytes
if make -s -C "$top/watch" fmt-test >"$tmp/fmt.log" 2>&1 && "$top/build/watch/fmt_test" >"$tmp/fmt.out"; then
	if python3 - "$tmp/fmt.out" <<'PY'
import json, sys
names = [b"veth-payments", b'<p2"\033[7m&\001\376\\\177>', b"0123456789abcdef"]
def esc_text(b):
    return "".join(chr(c) if 0x20 <= c < 0x7f and c not in (0x22, 0x5c) else "\\x%02x" % c for c in b)
lines = open(sys.argv[1], "rb").read().split(b"\n")[:-1]
assert len(lines) == 10, len(lines)
for i, n in enumerate(names):
    text, js = lines[2 * i], lines[2 * i + 1]
    assert all(0x20 <= c < 0x7f for c in text), ("raw byte in text", text)
    assert ('device "%s" ' % esc_text(n)).encode() in text, (esc_text(n), text)
    d = json.loads(js)
    assert d["name"] == n.decode("latin-1"), (d["name"], n)
    assert d["real_num_tx_queues"] == 0 and d["why"] == "no_tx_queues,not_registered"
    assert d["stack"][1] == "do_execute_actions [openvswitch]+0x234", d["stack"]
    assert d["state_names"] == "PRESENT|NOCARRIER|LINKWATCH_PENDING"
last = json.loads(lines[6])
assert last["vport"] == -1 and last["datapath"] is None, last
loop = json.loads(lines[7])
assert loop["stack"] == ["netdev_core_pick_tx+0x5", "do_execute_actions [openvswitch]+0x234"], loop["stack"]
# arm64 kprobe: the caller from the link register after the hooked frame,
# once (crafted: caller 0xffffffff810011a8 = __dev_queue_xmit + 0x1a8)
want = ["netdev_core_pick_tx+0x0", "__dev_queue_xmit+0x1a8", "do_execute_actions [openvswitch]+0x234"]
for j in (8, 9):
    lr = json.loads(lines[j])
    assert lr["stack"] == want and lr["hook"] == "kprobe", (j, lr["stack"])
PY
	then
		ok "event lines: JSON parses, hostile names round-trip and are escaped in text (3 names + no-vport); frames before netdev_core_pick_tx (the BPF program's) skipped; an arm64 kprobe's caller (link register) inserted once"
	else
		nok "event lines: see above; $(head -c 300 "$tmp/fmt.out")"
	fi
else
	nok "fmt_test did not build or run: $(tail -n 3 "$tmp/fmt.log" | tr '\n' ' ')"
fi
# the JSON schema in ovscrash-watch(8): exactly the members of a real
# event line, in their order
if python3 - "$tmp/fmt.out" "$top/man/ovscrash-watch.8.scd" <<'PY'
import json, re, sys
keys = list(json.loads(open(sys.argv[1], "rb").read().split(b"\n")[1]))
page = open(sys.argv[2]).read()
sec = page.split("# JSON OUTPUT", 1)[1].split("\n# ", 1)[0]
named = [m for m in re.findall(r"\*([a-z_]+)\*", sec) if m not in ("j",)]
assert named == keys, ("page", named, "event", keys)
PY
then
	ok "ovscrash-watch(8) JSON OUTPUT names exactly the event's members, in order"
else
	nok "ovscrash-watch(8) JSON OUTPUT and the event's members differ (above)"
fi

# --- CO-RE against each cached kernel
for k in "$cache"/kernels/6.1.*-cloud-amd64-* "$cache"/kernels/6.1.*-cloud-arm64-* \
	"$cache"/kernels/5.10.*-cloud-amd64-* "$cache"/kernels/5.10.*-cloud-arm64-*; do
	[ -f "$k/vmlinux" ] || continue
	rel=$(cat "$k/release")
	if bpftool gen min_core_btf "$k/vmlinux" "$tmp/min.btf" "$obj" >"$tmp/min.log" 2>&1; then
		bpftool btf dump file "$tmp/min.btf" >"$tmp/min.txt"
		miss=""
		for f in real_num_tx_queues num_tx_queues ifindex state nd_net name reg_state; do
			sed -n "/STRUCT 'net_device'/,/STRUCT/p" "$tmp/min.txt" | grep -q "'$f'" || miss="$miss $f"
		done
		grep -q "'inum'" "$tmp/min.txt" || miss="$miss ns.inum"
		[ -z "$miss" ] && ok "$rel: CO-RE relocations resolve (net_device fields, ns.inum)" ||
			nok "$rel: relocated BTF lacks:$miss"
	else
		nok "$rel: CO-RE relocation failed: $(tail -n 2 "$tmp/min.log" | tr '\n' ' ')"
	fi
	ovs=$k/modules/kernel/net/openvswitch/openvswitch.ko
	[ -f "$ovs" ] || continue
	if readelf -SW "$ovs" | grep -q '\.BTF '; then
		bpftool -B "$k/vmlinux" btf dump file "$ovs" >"$tmp/ovs.txt" 2>&1
		miss=""
		for f in dev dp port_no dp_hash_node; do
			sed -n "/STRUCT 'vport' /,/STRUCT/p" "$tmp/ovs.txt" | grep -q "'$f'" || miss="$miss vport.$f"
		done
		sed -n "/STRUCT 'datapath' /,/STRUCT/p" "$tmp/ovs.txt" | grep -q "'ports'" || miss="$miss datapath.ports"
		grep -q "FUNC 'ovs_vport_send'" "$tmp/ovs.txt" || miss="$miss FUNC:ovs_vport_send"
		[ -z "$miss" ] && ok "$rel: openvswitch.ko BTF has vport/datapath members and ovs_vport_send" ||
			nok "$rel: openvswitch.ko BTF lacks:$miss"
	else
		ok "$rel: openvswitch.ko has no BTF (vport attribution off there: the loader's fallback)"
	fi
done

# --- options and failure paths: one line, an exit code, no hang
timeout 20 "$bin" -r abc >"$tmp/o" 2>"$tmp/e"
rc=$?
[ $rc = 1 ] && [ "$(wc -l <"$tmp/e")" = 1 ] && grep -q '"abc" is not a number' "$tmp/e" &&
	ok "-r abc: exit 1, one line: $(cat "$tmp/e")" || nok "-r abc: rc $rc, $(cat "$tmp/e")"
timeout 20 "$bin" -m "$(printf 'x"\033[7m\\\001')" >"$tmp/o" 2>"$tmp/e"
rc=$?
if [ $rc = 1 ] && [ "$(wc -l <"$tmp/e")" = 1 ] && ! LC_ALL=C grep -q "$(printf '[\001-\037]')" "$tmp/e" &&
	grep -qF 'x\x22\x1b[7m\x5c\x01' "$tmp/e"; then
	ok "-m with a hostile name: one escaped line: $(cat "$tmp/e")"
else
	nok "-m with a hostile name: rc $rc: $(od -c "$tmp/e" | head -n 3 | tr '\n' ' ')"
fi
timeout 20 "$bin" extra >"$tmp/o" 2>"$tmp/e"
rc=$?
[ $rc = 2 ] && [ "$(wc -l <"$tmp/e")" = 1 ] && grep -q 'unexpected argument near "extra"' "$tmp/e" &&
	ok "stray argument: one line, exit 2" || nok "stray argument: rc $rc: $(head -c 300 "$tmp/e")"
# a bad option and a hostile argument: one line each, the bytes escaped
timeout 20 "$bin" --no-such-option >"$tmp/o" 2>"$tmp/e"
rc=$?
[ $rc = 2 ] && [ "$(wc -l <"$tmp/e")" = 1 ] && grep -q 'near "--no-such-option"; see .* --help' "$tmp/e" &&
	ok "unknown long option: one line, exit 2" || nok "unknown long option: rc $rc: $(head -c 300 "$tmp/e")"
timeout 20 "$bin" "$(printf '\033[7m"x\ny')" >"$tmp/o" 2>"$tmp/e"
rc=$?
[ $rc = 2 ] && [ "$(wc -l <"$tmp/e")" = 1 ] && grep -qF 'near "\x1b[7m\x22x\x0ay"' "$tmp/e" &&
	ok "hostile argument escaped on one line" || nok "hostile argument: rc $rc: $(od -c "$tmp/e" | head -n 3)"
"$bin" --help >"$tmp/o" 2>&1 && grep -q -- '--mitigate-only' "$tmp/o" && ok "--help: usage on stdout, exit 0" ||
	nok "--help: $(head -c 200 "$tmp/o")"

# --- on this kernel: attached (then a short run), or a clear refusal
timeout 30 "$bin" -d 2 >"$tmp/o" 2>"$tmp/e"
rc=$?
if [ $rc = 0 ]; then
	grep -q 'watching netdev_core_pick_tx' "$tmp/e" && grep -q 'counters hits=' "$tmp/e" &&
		ok "attached on $(uname -r): $(head -n1 "$tmp/e")" || nok "ran but said: $(cat "$tmp/e")"
elif [ $rc = 124 ]; then
	nok "hung (30 s) on $(uname -r)"
else
	last=$(tail -n 1 "$tmp/e")
	n=$(grep -c 'not loaded:' "$tmp/e")
	case "$last" in
	"ovscrash-watch: cannot load or attach to netdev_core_pick_tx"*)
		ok "$(uname -r) cannot trace: exit $rc, $n variants each with a reason, then: $last" ;;
	*) nok "unexpected end (rc $rc): $last" ;;
	esac
fi

# --- the mitigation's tc program on this kernel, on a veth pair we make:
# the sender's XPS sends from every CPU on tx queue Q, which veth keeps in
# skb->queue_mapping (rx queue "recorded" at the peer when Q >= 1).
# Q = 0: nothing to clear (control); Q = 1: every packet cleared.
tc_run() {	# Q -> prints the last rx_queue_cleared count
	ns=owns$$ a=owa$$ b=owb$$
	ip netns add $ns || return 1
	ip link add $a numtxqueues 4 numrxqueues 4 type veth peer name $b \
		numtxqueues 4 numrxqueues 4 netns $ns || { ip netns del $ns; return 1; }
	ip addr add 10.77.0.1/24 dev $a && ip link set $a up &&
	ip -n $ns addr add 10.77.0.2/24 dev $b && ip -n $ns link set $b up &&
	# every CPU to queue Q (IPv6 DAD and ARP leave from other CPUs too)
	mask=$(printf '%x' $(((1 << $(nproc)) - 1)))
	ip netns exec $ns sh -c "for q in 0 1 2 3; do echo 0 >/sys/class/net/$b/queues/tx-\$q/xps_cpus; done;
		echo $mask >/sys/class/net/$b/queues/tx-$1/xps_cpus" || { ip link del $a; ip netns del $ns; return 1; }
	"$bin" -M -m $a -i 1 -d 4 -w "$tmp/ready" 2>"$tmp/tc.err" &
	w=0
	while [ ! -e "$tmp/ready" ] && [ $w -lt 50 ]; do sleep 0.1; w=$((w + 1)); done
	ip netns exec $ns bash -c 'for i in $(seq 20); do echo x >/dev/udp/10.77.0.1/9; done' 2>/dev/null
	wait
	rm -f "$tmp/ready"
	ip link del $a 2>/dev/null
	ip netns del $ns
	grep -o 'rx_queue_cleared=[0-9]*' "$tmp/tc.err" | tail -n1 | cut -d= -f2
}
if [ "$(id -u)" = 0 ] && bpftool feature probe kernel 2>/dev/null | grep -q 'program_type sched_cls is available'; then
	if c0=$(tc_run 0) && c1=$(tc_run 1); then
		if [ -n "$c0" ] && [ -n "$c1" ] && [ "$c0" = 0 ] && [ "$c1" -ge 20 ]; then
			ok "tc mitigation on $(uname -r): sender on tx queue 0: $c0 cleared; on tx queue 1: $c1 cleared (20 datagrams + ARP)"
		else
			nok "tc mitigation: tx queue 0 -> '${c0:-no count}', tx queue 1 -> '${c1:-no count}' cleared: $(tail -n 3 "$tmp/tc.err" | tr '\n' ' ')"
		fi
	else
		echo "SKIP: tc mitigation: cannot make the veth pair or set XPS here"
	fi
else
	echo "SKIP: tc mitigation on this kernel (needs root and sched_cls programs)"
fi

echo "watch: took $(($(date +%s) - t0)) s"
echo "watch: $pass passed, $fail failed"
[ "$fail" = 0 ]
