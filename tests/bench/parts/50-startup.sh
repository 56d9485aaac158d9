#!/bin/bash
# Benchmark (not a test): a candidate's crash start-up and triage as the
# batch runs it, against a plain `crash vmlinux vmcore` start-up with the
# original vmlinux (no index), side by side in one run on the amd64 6.1
# lockup dump (issue 12, item 4; target <= 0.6).
#   plain      crash -s VMLINUX VMCORE, a script holding only `exit`
#   candidate  the batch's own argv (ovscrash_batch.tools.crash_argv) on
#              the indexed copy the batch made, script `extend ovscrash.so`
#              + `triage -j`: what one candidate dump costs in a batch
# Then, informational, every crash start-up option that might be cut:
# the indexed start-up with the option vs without it (seconds saved), and
# the indexed start-up (no extension, no triage) against plain.
# Figures are medians of BENCH_RUNS rounds; the plain and candidate runs
# alternate so that drift hits both.  CPU seconds (user + sys) are given
# beside the wall seconds: on a loaded machine they move less.
# Env: BENCH_FIXTURES_AMD64 (set dir), BENCH_INDEX_CACHE (default: the
# batch's own, $OVSCRASH_CACHE/symindex), BENCH_STARTUP_OPTIONS=0 skips
# the per-option rounds.
set -euo pipefail
top=$(cd "$(dirname "$0")/../../.." && pwd)
runs=${BENCH_RUNS:-3}
cache=${OVSCRASH_CACHE:-/var/cache/ovscrash}

bench_name=bench-startup
. "$top/tests/bench/lib.sh"

fx=${BENCH_FIXTURES_AMD64:-$(fixture_set amd64)}
crash=$("$top/scripts/build-crash.sh" X86_64)
ext="$top/extension/ovscrash.so"
[ -f "$ext" ] || { echo "bench-startup: $ext not built (make)" >&2; exit 1; }
tmp=$(mktemp -d "${BENCH_TMP:-${TMPDIR:-/tmp}}/startup.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
idx=${BENCH_INDEX_CACHE:-$cache/symindex}
vmcore="$fx/lockup/vmcore"
vmlinux=$(readlink -f "$fx/lockup/vmlinux")
mkdir -p "$tmp/in/lockup"
ln -s "$vmcore" "$tmp/in/lockup/vmcore"

# one batch: makes (or finds) the indexed copy, checks the candidate's
# verdict against the fixture's manifest, and warms the page cache
"$top/scripts/ovscrash-batch" --out "$tmp/out" -j 1 --no-progress-bar \
	--crash "x86_64=$crash" --ext "x86_64=$ext" --symbols "$fx/lockup" \
	--index-cache "$idx" "$tmp/in" 2>"$tmp/batch.log" ||
	{ cat "$tmp/batch.log" >&2; exit 1; }
python3 - "$tmp/out" "$fx/lockup/manifest.json" >"$tmp/cand" <<'PY'
import glob, json, os, re, sys
rs = [json.load(open(p)) for p in glob.glob(os.path.join(sys.argv[1], "*.json"))
      if re.fullmatch(r"[0-9a-f]{64}\.json", os.path.basename(p))]
want = json.load(open(sys.argv[2]))["expected"]["verdict"]
if len(rs) != 1 or rs[0]["status"] != "ok" or rs[0]["signature"] != want:
    sys.exit(f"bench-startup: the batch did not triage the lockup dump as {want}: "
             f"{[(r['status'], r['signature'], r['error']) for r in rs]}")
if not rs[0]["crash"]["indexed"]:
    print(f"bench-startup: no indexed vmlinux ({rs[0]['crash']['index']}): the candidate "
          f"reads the original", file=sys.stderr)
print(rs[0]["crash"]["vmlinux"], rs[0]["signature"])
PY
read -r ivml verdict <"$tmp/cand"
printf 'exit\n' >"$tmp/exit.cmd"
printf 'extend %s\ntriage -j\n' "$ext" >"$tmp/triage.cmd"
# the batch's own argv, from the package
PYTHONPATH="$top" python3 -c '
import sys
from ovscrash_batch.tools import crash_argv
print("\n".join(crash_argv(*sys.argv[1:])))' "$crash" "$ivml" "$vmcore" "$tmp/triage.cmd" >"$tmp/argv"
mapfile -t cand <"$tmp/argv"
PYTHONPATH="$top" python3 -c '
from ovscrash_batch.tools import CRASH_OPTS
print("\n".join(CRASH_OPTS))' >"$tmp/opts"
mapfile -t opts <"$tmp/opts"

timed() {	# name cmd...: one run, "name wall cpu maxrss_kib" appended to $tmp/times
	local name=$1
	shift
	/usr/bin/time -f "%e %U %S %M" -o "$tmp/t" "$@" </dev/null >"$tmp/last.out" 2>&1 || true
	awk -v n="$name" 'END { printf "%s %s %.2f %s\n", n, $1, $2 + $3, $4 }' "$tmp/t" >>"$tmp/times"
}

echo "bench-startup: $vmcore; plain vmlinux $vmlinux; indexed $ivml; $runs round(s)" >&2
: >"$tmp/times"
for ((r = 1; r <= runs; r++)); do
	timed plain "$crash" -s "$vmlinux" "$vmcore" -i "$tmp/exit.cmd"
	timed candidate "${cand[@]}"
	grep -q "\"verdict\"" "$tmp/last.out" ||
		{ echo "bench-startup: candidate run gave no triage JSON:" >&2; tail -5 "$tmp/last.out" >&2; exit 1; }
	timed indexed "$crash" "${opts[@]}" "$ivml" "$vmcore" -i "$tmp/exit.cmd"
done
if [ "${BENCH_STARTUP_OPTIONS:-1}" != 0 ]; then
	# crash 9.0.2's start-up options that skip work (crash -h); --minimal
	# is left out: it refuses every extension command
	for o in --no_kmem_cache --kmem_cache_delay --no_ikconfig --no_data_debug --no_kallsyms \
		--no_modules --no_elf_notes --no_panic --no_strip; do
		for ((r = 1; r <= runs; r++)); do
			timed "opt$o" "$crash" "${opts[@]}" "$o" "$ivml" "$vmcore" -i "$tmp/exit.cmd"
			timed "base$o" "$crash" "${opts[@]}" "$ivml" "$vmcore" -i "$tmp/exit.cmd"
		done
	done
fi

python3 - "$tmp/times" "$runs" "$verdict" <<'PY'
import statistics as st, sys
rows, sys.stdout = sys.stdout, sys.stderr	# figures on stderr, BENCH rows on stdout
fig = {}
for l in open(sys.argv[1]):
    n, wall, cpu, rss = l.split()
    fig.setdefault(n, []).append((float(wall), float(cpu), int(rss)))
def med(n, i):
    return st.median(x[i] for x in fig[n])
runs, verdict = sys.argv[2], sys.argv[3]
print(f"{'RUN':<22} {'WALL s':>7} {'CPU s':>7} {'MAXRSS MiB':>10}")
for n in fig:
    print(f"{n:<22} {med(n, 0):7.2f} {med(n, 1):7.2f} {med(n, 2) / 1024:10.1f}")
pw, pc = med("plain", 0), med("plain", 1)
cw, cc = med("candidate", 0), med("candidate", 1)
iw, ic = med("indexed", 0), med("indexed", 1)
rows.write(f"BENCH\tcandidate triage (batch's crash argv, indexed vmlinux, extend + triage -j) / "
           f"plain crash start-up (original vmlinux)\t{cw / pw:.2f}\t<=0.6\t"
           f"{cw:.2f} s vs {pw:.2f} s wall (CPU {cc:.2f} s vs {pc:.2f} s, ratio {cc / pc:.2f}); "
           f"lockup dump, verdict {verdict}, {runs} runs\n")
rows.write(f"BENCH\tindexed crash start-up (batch's options, no extension) / plain start-up\t"
           f"{iw / pw:.2f}\t-\t{iw:.2f} s vs {pw:.2f} s wall (CPU {ic:.2f} vs {pc:.2f})\n")
for n in sorted(fig):
    if not n.startswith("opt"):
        continue
    o = n[3:]
    bw, bc = med("base" + o, 0), med("base" + o, 1)
    ow, oc = med(n, 0), med(n, 1)
    rows.write(f"BENCH\tstart-up with {o} / without (indexed)\t{oc / bc:.2f}\t-\t"
               f"CPU {oc:.2f} s vs {bc:.2f} s, wall {ow:.2f} vs {bw:.2f}, "
               f"max RSS {med(n, 2) / 1024:.0f} vs {med('base' + o, 2) / 1024:.0f} MiB\n")
PY
