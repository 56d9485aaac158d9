#!/bin/bash
# Benchmark (not a test): what ovscrash-watch costs the traffic it
# watches (issue 15).  One boot of the cached 6.1 amd64 fixture kernel
# (stock openvswitch, with BTF: the vport programs load too) under QEMU
# TCG, the recipe's OVS set-up, a UDP flood on CPU 1 through the flow
# p1 -> p2 (tests/watch/guest-run.sh bench, tests/watch/guest-init.sh).
# Phases run in turn, round after round, so that drift hits all of them:
#   base      no watcher: the baseline of the same run
#   watch     the default attach (fentry on netdev_core_pick_tx and
#             ovs_vport_send)
#   kprobe    -k (the fallback of kernels without a BPF trampoline)
#   mitigate  -M -m p1: the tc ingress program alone on the flood's port
# The figure is p2's tx_packets over a window (packets per second through
# the OVS flow); the ratio is each phase's median over the base median.
# Emulated CPUs (TCG, JIT code emulated too): the ratios, not the
# absolute rates, are the result; real hardware was not available here.
# Env: BENCH_RUNS (rounds; at least 5 here), BENCH_WATCH_WINDOW seconds (4).
set -euo pipefail
top=$(cd "$(dirname "$0")/../../.." && pwd)
cache=${OVSCRASH_CACHE:-/var/cache/ovscrash}
rounds=${BENCH_RUNS:-3}
[ "$rounds" -ge 5 ] || rounds=5
window=${BENCH_WATCH_WINDOW:-4}
kdir=$(ls -d "$cache"/kernels/6.1.*-cloud-amd64-* 2>/dev/null | tail -n1)
[ -n "$kdir" ] || { echo "bench-watch: no cached 6.1 amd64 kernel (make fixtures)" >&2; exit 1; }
make -s -C "$top" watch >&2
tmp=$(mktemp -d "${BENCH_TMP:-${TMPDIR:-/tmp}}/watch.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

echo "bench-watch: $rounds rounds of ${window} s per phase on $(basename "$kdir")" >&2
if ! OVSCRASH_WATCH_ROUNDS=$rounds OVSCRASH_WATCH_WINDOW=$window OVSCRASH_WATCH_OUT=$tmp/console.log \
	"$top/tests/watch/guest-run.sh" bench "$kdir" >"$tmp/run.out" 2>"$tmp/run.err"; then
	cat "$tmp/run.err" >&2
	grep -E '^(FAIL|PASS)' "$tmp/run.out" >&2 || :
	for m in watch kprobe mitigate; do
		printf 'BENCH\tpps %s / none\tn/a\t>=0.9\tthe guest bench failed (above)\n' "$m"
	done
	exit 1
fi
grep '^BENCHRAW ' "$tmp/run.out" >"$tmp/raw"
python3 - "$tmp/raw" <<'PY'
import statistics, sys
pps = {}
for line in open(sys.argv[1]):
    _, phase, rnd, packets, seconds = line.split()
    pps.setdefault(phase, []).append(int(packets) / float(seconds))
base = statistics.median(pps["base"])
print("bench-watch: pps per phase (median of %d): %s" % (len(pps["base"]), ", ".join(
    "%s %.0f [%s]" % (p, statistics.median(v), " ".join("%.0f" % x for x in v))
    for p, v in pps.items())), file=sys.stderr)
what = {"watch": "fentry + vport programs", "kprobe": "kprobe + vport programs",
        "mitigate": "tc ingress program alone"}
for p in ("watch", "kprobe", "mitigate"):
    m = statistics.median(pps[p])
    print("BENCH\tpps %s / none\t%.2f\t>=0.9\t%s: %.0f vs %.0f pkt/s, median of %d rounds, TCG guest"
          % (p, m / base, what[p], m, base, len(pps[p])))
PY
