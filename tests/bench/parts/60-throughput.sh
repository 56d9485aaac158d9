#!/bin/bash
# Benchmark (not a test): batch throughput with 2 workers against 1, and
# peak memory per worker against crash alone (issue 12, item 5).
#
# Archive: every scenario of the amd64 6.1 fixture set, each twice, as
# copies with a distinct 4 KiB tail (>= 20 dumps).  Links would not do:
# the batch keys dumps by identity (size + first and last MiB) and
# triages a dump reached under two names once.  crash reads the copies
# as the originals (the tail lies past the last page the header names).
#
# Throughput: `ovscrash-batch -j 1` and `-j 2` over the archive (fresh
# results, the index cache filled by a warm-up batch), BENCH_RUNS rounds
# alternating; dumps per minute from the batch's wall time.  Target >= 1.8.
#
# Memory, counted per worker as: the highest peak RSS of any crash the
# batch ran (each crash through /usr/bin/time, a wrapper given as --crash)
# + the batch's own Python process's peak RSS (getrusage RUSAGE_SELF:
# its threads, not its children) divided by the worker count; against
# the highest peak RSS of a bare `crash -s VMLINUX VMCORE` (no extension,
# script `exit`) on the same dumps, with the same indexed vmlinux the
# batch gave crash.  Target <= 1.10.
set -euo pipefail
top=$(cd "$(dirname "$0")/../../.." && pwd)
runs=${BENCH_RUNS:-3}
cache=${OVSCRASH_CACHE:-/var/cache/ovscrash}

bench_name=bench-throughput
. "$top/tests/bench/lib.sh"

fx=${BENCH_FIXTURES_AMD64:-$(fixture_set amd64)}
crash=$("$top/scripts/build-crash.sh" X86_64)
ext="$top/extension/ovscrash.so"
[ -f "$ext" ] || { echo "bench-throughput: $ext not built (make)" >&2; exit 1; }
tmp=$(mktemp -d "${BENCH_TMP:-${TMPDIR:-/tmp}}/throughput.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
idx=${BENCH_INDEX_CACHE:-$cache/symindex}
py=/usr/bin/python3	# the interpreter scripts/ovscrash-batch runs on
[ -x "$py" ] || py=python3

n=0
for d in "$fx"/*/; do
	[ -f "$d/vmcore" ] || continue
	s=$(basename "$d")
	for c in 1 2; do
		mkdir -p "$tmp/in/$s-$c"
		cp "$d/vmcore" "$tmp/in/$s-$c/vmcore"
		{ printf 'ovscrash bench copy %s %s\n' "$s" "$c"; head -c 4000 /dev/zero; } \
			>>"$tmp/in/$s-$c/vmcore"
		n=$((n + 1))
	done
done
[ "$n" -ge 20 ] || echo "bench-throughput: only $n dumps in $fx (wanted >= 20)" >&2

# the crash wrapper: peak RSS of every crash the batch runs
cat >"$tmp/crash-rss" <<EOF
#!/bin/sh
exec /usr/bin/time -a -f "%M" -o "$tmp/crash-rss.log" "$crash" "\$@"
EOF
chmod +x "$tmp/crash-rss"

batch() {	# name jobs crash [extra...]: one batch, in a Python process that
	# prints its own peak RSS (KiB) on its last stderr line
	local name=$1 jobs=$2 cr=$3 t0 t1
	shift 3
	t0=$(date +%s.%N)
	PYTHONPATH="$top" "$py" -c '
import resource, sys
from ovscrash_batch import cli
rc = cli.main(sys.argv[1:])
print(f"PARENT_MAXRSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}", file=sys.stderr)
sys.exit(rc)' --out "$tmp/out-$name" -j "$jobs" --no-progress-bar \
		--crash "x86_64=$cr" --ext "x86_64=$ext" --symbols "$fx" --index-cache "$idx" \
		"$@" "$tmp/in" 2>"$tmp/log-$name" || { tail -20 "$tmp/log-$name" >&2; exit 1; }
	t1=$(date +%s.%N)
	echo "$name $jobs $(echo "$t1 - $t0" | bc -l)" >>"$tmp/walls"
}

echo "bench-throughput: $n dumps from $fx; index cache $idx; $runs round(s)" >&2
: >"$tmp/walls"
batch warm 2 "$crash"
for ((r = 1; r <= runs; r++)); do
	batch "j1-$r" 1 "$crash"
	batch "j2-$r" 2 "$crash"
done
: >"$tmp/crash-rss.log"
batch rss 2 "$tmp/crash-rss"

# bare crash on the same dumps and the same indexed vmlinux, one at a time
printf 'exit\n' >"$tmp/exit.cmd"
python3 - "$tmp/out-rss" >"$tmp/pairs" <<'PY'
import glob, json, os, re, sys
for p in sorted(glob.glob(os.path.join(sys.argv[1], "*.json"))):
    if not re.fullmatch(r"[0-9a-f]{64}\.json", os.path.basename(p)):
        continue
    r = json.load(open(p))
    if r["status"] == "ok" and r.get("crash"):	# not the fast path's, no crash
        print(r["crash"]["vmlinux"], r["input"]["path"])
PY
: >"$tmp/bare-rss.log"
while read -r v d; do
	/usr/bin/time -a -f "%M" -o "$tmp/bare-rss.log" "$crash" -s "$v" "$d" -i "$tmp/exit.cmd" \
		</dev/null >/dev/null 2>&1 || true
done <"$tmp/pairs"

python3 - "$tmp" "$runs" "$n" <<'PY'
import glob, json, os, re, statistics as st, sys
tmp, runs, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rows, sys.stdout = sys.stdout, sys.stderr	# figures on stderr, BENCH rows on stdout
walls = {}
for l in open(os.path.join(tmp, "walls")):
    name, jobs, w = l.split()
    walls[name] = float(w)
def results(name):
    rs = [json.load(open(p)) for p in glob.glob(os.path.join(tmp, f"out-{name}", "*.json"))
          if re.fullmatch(r"[0-9a-f]{64}\.json", os.path.basename(p))]
    bad = [(r["input"]["path"], r["status"], r["error"]) for r in rs if r["status"] != "ok"]
    if bad or len(rs) != n:
        sys.exit(f"bench-throughput: {name}: {len(rs)} results of {n}, not ok: {bad}")
    return {r["input"]["path"]: r["signature"] for r in rs}
ref = results("warm")
for name in walls:
    if results(name) != ref:
        sys.exit(f"bench-throughput: {name}: verdicts differ from the warm-up batch's")
w1 = st.median(walls[f"j1-{r}"] for r in range(1, runs + 1))
w2 = st.median(walls[f"j2-{r}"] for r in range(1, runs + 1))
r1, r2 = n * 60 / w1, n * 60 / w2
print(f"batch wall, {n} dumps: -j 1 {w1:.1f} s ({r1:.1f} dumps/min), -j 2 {w2:.1f} s "
      f"({r2:.1f} dumps/min); median of {runs}; {os.cpu_count()} CPUs")
rows.write(f"BENCH\tthroughput -j 2 / -j 1 (dumps/min)\t{r2 / r1:.2f}\t>=1.8\t"
           f"{r2:.1f} vs {r1:.1f} dumps/min, {n} dumps (amd64 6.1 scenarios x 2), {runs} runs\n")
def kib(name):
    # GNU time adds "Command exited with non-zero status N" lines
    return [int(l) for l in open(os.path.join(tmp, name)).read().splitlines() if l.strip().isdigit()]
crss, brss = kib("crash-rss.log"), kib("bare-rss.log")
m = re.findall(r"^PARENT_MAXRSS (\d+)$", open(os.path.join(tmp, "log-rss")).read(), re.M)
# one crash per dump that ran one (the fast path's dumps ran none)
if not crss or len(crss) != len(brss) or not m:
    sys.exit(f"bench-throughput: RSS figures missing: {len(crss)} crash, {len(brss)} bare, "
             f"parent {m}")
parent = int(m[-1])
worker = max(crss) + parent / 2
print(f"peak RSS: worker crash max {max(crss) / 1024:.0f} MiB (median {st.median(crss) / 1024:.0f}), "
      f"batch parent {parent / 1024:.0f} MiB (/2 workers), bare crash max {max(brss) / 1024:.0f} MiB")
rows.write(f"BENCH\tpeak RSS per worker (its crash + parent/2) / bare crash on the same dumps\t"
           f"{worker / max(brss):.2f}\t<=1.10\t{worker / 1024:.0f} MiB ({max(crss) / 1024:.0f} crash + "
           f"{parent / 2048:.0f} parent share) vs {max(brss) / 1024:.0f} MiB, {n} dumps, -j 2\n")
PY
