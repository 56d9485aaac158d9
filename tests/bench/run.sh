#!/bin/bash
# make bench: every benchmark part of tests/bench/parts/ (sorted by name),
# run one after another in this one run on this machine, then one table
# of every ratio next to its target.  Benchmarks, not tests: a missed
# target is printed as "MISSED", never a failure; a part that dies is.
#
# A part is an executable tests/bench/parts/NN-name.sh.  It prints its own
# progress and raw figures on stderr and one line per measured ratio on
# stdout:
#   BENCH<TAB>metric<TAB>measured<TAB>target<TAB>detail
# measured: the ratio (a number, or "n/a" when it could not be measured:
# detail says why); target: "<=X" or ">=X"; detail: device counts, the
# raw seconds / KiB behind the ratio, the runs.  Parts read BENCH_RUNS
# (default 3) and write scratch files under $BENCH_TMP only.
#
# Output: the table on stdout, and build/bench/table.md + table.tsv.
# Usage: tests/bench/run.sh [PART-NAME-SUBSTRING...]
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
export BENCH_RUNS=${BENCH_RUNS:-3}
out="$top/build/bench"
mkdir -p "$out"
BENCH_TMP=$(mktemp -d "${TMPDIR:-/tmp}/ovscrash-bench.XXXXXX")
export BENCH_TMP
trap 'rm -rf "$BENCH_TMP"' EXIT
rows="$out/table.tsv.new"
: >"$rows"
dead=""
for p in "$top"/tests/bench/parts/*.sh; do
	[ -x "$p" ] || continue
	name=$(basename "$p" .sh)
	if [ $# -gt 0 ]; then
		sel=0
		for want in "$@"; do case "$name" in *"$want"*) sel=1 ;; esac; done
		[ $sel = 1 ] || continue
	fi
	echo "== bench part $name" >&2
	t0=$(date +%s)
	if ! "$p" >"$BENCH_TMP/$name.out"; then
		dead="$dead $name"
		echo "bench part $name failed (exit status above)" >&2
	fi
	grep -P '^BENCH\t' "$BENCH_TMP/$name.out" | cut -f2- |
		awk -F'\t' -v p="$name" 'BEGIN { OFS = "\t" } { print p, $0 }' >>"$rows"
	echo "== bench part $name: $(($(date +%s) - t0)) s" >&2
done
mv "$rows" "$out/table.tsv"
python3 - "$out/table.tsv" "$out/table.md" <<'PY'
import sys

def verdict(measured, target):
    try:
        m = float(measured)
        op, t = target[:2], float(target[2:])
    except (ValueError, IndexError):
        return "n/a"
    ok = m <= t if op == "<=" else m >= t if op == ">=" else None
    return "n/a" if ok is None else ("met" if ok else "MISSED")

rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
rows = [(r + [""] * 5)[:5] for r in rows]
head = ("part", "metric", "measured", "target", "result", "detail")
table = [head] + [(p, m, v, t, verdict(v, t), d) for p, m, v, t, d in rows]
w = [max(len(r[i]) for r in table) for i in range(5)]
for r in table:
    print("  ".join(r[i].ljust(w[i]) for i in range(5)) + "  " + r[5])
with open(sys.argv[2], "w") as f:
    f.write("| " + " | ".join(head) + " |\n|" + "---|" * len(head) + "\n")
    for r in table[1:]:
        f.write("| " + " | ".join(c.replace("|", "\\|") for c in r) + " |\n")
PY
echo "(table: $out/table.md; $BENCH_RUNS runs per figure; $(nproc) CPUs; load $(cut -d' ' -f1-3 /proc/loadavg))"
if [ -n "$dead" ]; then
	echo "bench parts that failed:$dead" >&2
	exit 1
fi
