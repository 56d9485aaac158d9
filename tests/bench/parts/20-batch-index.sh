#!/bin/bash
# Benchmark (not a test): ovscrash-batch on the fixture dumps (x86_64 and
# arm64, lockup + healthy) with and without the symbol index cache, in one
# run, each batch into a fresh result directory:
#   cold    the index cache starts empty: the batch builds one indexed
#           vmlinux per build-id (reported separately: the one-time cost)
#   index   later batches with the cache filled (what every batch pays)
#   plain   --no-index: crash reads the original vmlinux
# Prints per-dump crash seconds (median over the rounds), the ratio
# plain/index, and the wall time per batch.  Then a kdump-tools tree
# (tests/e2e/mkkdumptree.py) is batched twice on one reassembly cache: the
# first run pays for decompression + makedumpfile -R, the rerun hits the
# cache; both against a baseline batch over the same kdump-compressed dumps.
# Every batch runs with --full: crash on every dump, the fast path off
# (what is measured is crash with and without the index).
# Usage: tests/bench/parts/20-batch-index.sh [ROUNDS]   (default 3; env: BENCH_JOBS=1,
#   BENCH_INDEX_CACHE=DIR to reuse a cache, BENCH_FIXTURES_AMD64/_ARM64=set dir)
set -euo pipefail
top=$(cd "$(dirname "$0")/../../.." && pwd)
rounds=${1:-${BENCH_RUNS:-3}}
jobs=${BENCH_JOBS:-1}
cache=${OVSCRASH_CACHE:-/var/cache/ovscrash}

bench_name=bench-batch
. "$top/tests/bench/lib.sh"

fx_amd64=${BENCH_FIXTURES_AMD64:-$(fixture_set amd64)}
fx_arm64=${BENCH_FIXTURES_ARM64:-$(fixture_set arm64)}
crash_x86=$("$top/scripts/build-crash.sh" X86_64)
crash_arm=$("$top/scripts/build-crash.sh" ARM64)
command -v gdb-add-index >/dev/null || echo "bench-batch: gdb-add-index missing (apt-get install gdb): the index runs will fall back" >&2

tmp=$(mktemp -d "${TMPDIR:-/tmp}/ovscrash-bench-batch.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
idx=${BENCH_INDEX_CACHE:-$tmp/symindex}
for a in amd64 arm64; do
	fx=$fx_amd64; [ $a = arm64 ] && fx=$fx_arm64
	for k in lockup healthy; do
		mkdir -p "$tmp/dumps/$a/$k"
		ln -s "$fx/$k/vmcore" "$tmp/dumps/$a/$k/vmcore"
	done
done

batch() {	# name extra-args...
	local name=$1 t0 t1
	shift
	t0=$(date +%s.%N)
	"$top/scripts/ovscrash-batch" --out "$tmp/out-$name" -j "$jobs" --no-progress-bar --full \
		--crash "x86_64=$crash_x86" --crash "arm64=$crash_arm" \
		--symbols "$fx_amd64/lockup" --symbols "$fx_arm64/lockup" "$@" "$tmp/dumps" \
		2>"$tmp/log-$name" || { cat "$tmp/log-$name" >&2; exit 1; }
	t1=$(date +%s.%N)
	echo "$name $(echo "$t1 - $t0" | bc -l)" >>"$tmp/walls"
}

echo "bench-batch: fixtures $fx_amd64, $fx_arm64; index cache $idx; -j $jobs; $rounds round(s)" >&2
batch cold --index-cache "$idx"
for ((r = 1; r <= rounds; r++)); do	# alternate, so drift hits both alike
	batch "plain$r" --no-index
	batch "index$r" --index-cache "$idx"
done

# kdump-tools tree (tests/e2e/mkkdumptree.py: flattened dump.<stamp>, plain and
# .gz/.bz2/.lz4/.xz, vmcore.<stamp>, dump-incomplete): the first batch pays
# for decompression + makedumpfile -R into an empty reassembly cache, the
# rerun (fresh results dir, same cache) hits it; the baseline is a batch
# over the same scenarios' kdump-compressed vmcores, which need neither
"$top/tests/e2e/mkkdumptree.py" --fixtures "$fx_amd64" --out "$tmp/kdt" >/dev/null
python3 - "$tmp" <<'PY'
import json, os, sys
tmp = sys.argv[1]
man = json.load(open(os.path.join(tmp, "kdt", "manifest.json")))
for e in man["entries"]:
    if e["expect_status"] == "ok":
        d = os.path.join(tmp, "kdt-base", e["stamp"])
        os.makedirs(d)
        os.symlink(e["source"], os.path.join(d, "vmcore"))
PY
kdt() {	# name input extra-args...
	local name=$1 in=$2 t0 t1
	shift 2
	t0=$(date +%s.%N)
	"$top/scripts/ovscrash-batch" --out "$tmp/out-$name" -j "$jobs" --no-progress-bar --full \
		--crash "x86_64=$crash_x86" --symbols "$fx_amd64" --index-cache "$idx" "$@" "$in" \
		2>"$tmp/log-$name" || { cat "$tmp/log-$name" >&2; exit 1; }
	t1=$(date +%s.%N)
	echo "$name $(echo "$t1 - $t0" | bc -l)" >>"$tmp/walls"
}
kdt kdtbase "$tmp/kdt-base"
kdt kdtfirst "$tmp/kdt" --reassembly-cache "$tmp/kdt-cache"
kdt kdtrerun "$tmp/kdt" --reassembly-cache "$tmp/kdt-cache"

python3 - "$tmp" "$rounds" <<'EOF'
import glob, json, os, re, statistics as st, sys
tmp, rounds = sys.argv[1], int(sys.argv[2])
rows, sys.stdout = sys.stdout, sys.stderr	# figures on stderr, BENCH rows on stdout
walls = dict(l.split() for l in open(os.path.join(tmp, "walls")))
def load(name):
    out = {}
    for p in glob.glob(os.path.join(tmp, f"out-{name}", "*.json")):
        if not re.fullmatch(r"[0-9a-f]{64}\.json", os.path.basename(p)):
            continue
        r = json.load(open(p))
        if r["status"] != "ok":
            sys.exit(f"bench-batch: {name}: {r['input']['path']} is {r['status']}: {r['error']}")
        key = os.path.relpath(r["input"]["path"], os.path.join(tmp, "dumps"))
        out[key] = r
    return out
cold = load("cold")
plain = [load(f"plain{i}") for i in range(1, rounds + 1)]
index = [load(f"index{i}") for i in range(1, rounds + 1)]
print("one-time index cost (cold cache, built by the first dump of each kernel):")
seen = False
for k, r in sorted(cold.items()):
    ix = r["crash"]["index"]
    if ix.get("state") == "built":
        seen = True
        print(f"  {r['arch']:<7} build-id {ix['build_id'][:12]}  {ix['build_seconds']:6.2f}s "
              f"(copy {ix['copy_seconds']}s + gdb-add-index {ix['index_seconds']}s)")
    elif ix.get("state") not in ("cached",):
        print(f"  {r['arch']:<7} {k}: no index: {ix.get('reason')}")
if not seen:
    print("  nothing built: the cache was already filled")
for name, runs in (("plain", plain), ("index", index)):
    for res in runs:
        for k, r in res.items():
            want = name == "index"
            if r["crash"]["indexed"] != want:
                sys.exit(f"bench-batch: {name} run: {k} indexed={r['crash']['indexed']} "
                         f"({r['crash']['index']})")
print(f"\nper-dump crash seconds (median of {rounds} rounds; plain = --no-index):")
print(f"  {'DUMP':<22} {'ARCH':<7} {'PLAIN':>7} {'INDEX':>7} {'RATIO':>6}  SAME VERDICT")
tp = ti = 0
for k in sorted(plain[0]):
    p = st.median(x[k]["crash"]["seconds"] for x in plain)
    i = st.median(x[k]["crash"]["seconds"] for x in index)
    tp += p
    ti += i
    same = all((x[k]["signature"], x[k]["verdict"], x[k]["pc_function"]) ==
               (plain[0][k]["signature"], plain[0][k]["verdict"], plain[0][k]["pc_function"])
               for x in plain + index + [cold])
    print(f"  {k:<22} {plain[0][k]['arch']:<7} {p:7.2f} {i:7.2f} {p / i:6.2f}  {'yes' if same else 'NO'}")
n = len(plain[0])
print(f"  {'mean':<22} {'':<7} {tp / n:7.2f} {ti / n:7.2f} {tp / ti:6.2f}")
rows.write(f"BENCH\tbatch crash seconds per dump: gdb-indexed vmlinux / original vmlinux\t{ti / tp:.2f}\t-\t"
           f"{ti / n:.2f} s vs {tp / n:.2f} s, {n} dumps, {rounds} rounds\n")
wp = st.median(float(walls[f"plain{i}"]) for i in range(1, rounds + 1))
wi = st.median(float(walls[f"index{i}"]) for i in range(1, rounds + 1))
print(f"\nbatch wall time ({n} dumps): plain {wp:.2f}s, index {wi:.2f}s (ratio {wp / wi:.2f}), "
      f"cold-cache first batch {float(walls['cold']):.2f}s")

# kdump-tools tree: reassembly paid once, then a cache hit
def kload(name):
    out = {}
    for p in glob.glob(os.path.join(tmp, f"out-{name}", "*.json")):
        if not re.fullmatch(r"[0-9a-f]{64}\.json", os.path.basename(p)):
            continue
        r = json.load(open(p))
        out[os.path.basename(r["input"]["path"]) if name != "kdtbase"
            else os.path.basename(os.path.dirname(r["input"]["path"]))] = r
    return out
base, first, rerun = kload("kdtbase"), kload("kdtfirst"), kload("kdtrerun")
print("\nkdump-tools tree (flattened dump.<stamp>, plain + compressed; -j "
      f"{os.environ.get('BENCH_JOBS', '1')}; seconds per dump):")
print(f"  {'FILE':<26} {'SIZE MB':>7} {'REASM 1st':>9} {'REASM 2nd':>9} {'CRASH 1st':>9} "
      f"{'CRASH 2nd':>9} {'BASE':>6}  SAME VERDICT")
tr1 = tr2 = 0.0
for k in sorted(first):
    r1, r2 = first[k], rerun.get(k)
    if r1["status"] != "ok" or not r2:
        print(f"  {k:<26} {r1['status']}")
        continue
    stamp = k.split(".")[1] if "." in k else None
    b = base.get(stamp)
    ra1, ra2 = (r1["crash"].get("reassembly") or {}), (r2["crash"].get("reassembly") or {})
    s1, s2 = ra1.get("seconds") or 0.0, ra2.get("seconds") or 0.0
    tr1 += s1
    tr2 += s2
    same = b is not None and all(x["verdict"] == b["verdict"] for x in (r1, r2))
    print(f"  {k:<26} {r1['input']['size'] / 1e6:7.1f} {s1:9.2f} {s2:9.2f} {r1['crash']['seconds']:9.2f} "
          f"{r2['crash']['seconds']:9.2f} {b['crash']['seconds'] if b else float('nan'):6.2f}  "
          f"{'yes' if same else 'NO'}  ({ra1.get('state')}/{ra2.get('state')})")
wb, w1, w2 = (float(walls[k]) for k in ("kdtbase", "kdtfirst", "kdtrerun"))
print(f"  reassembly (decompression + makedumpfile -R) total: first run {tr1:.2f}s, rerun {tr2:.2f}s")
print(f"  batch wall: baseline (kdump-compressed sources, {len(base)} dumps) {wb:.2f}s, "
      f"first run {w1:.2f}s ({w1 / wb:.2f}x baseline), rerun {w2:.2f}s ({w2 / wb:.2f}x baseline); "
      f"first/rerun {w1 / w2:.2f}")
rows.write(f"BENCH\tkdump-tools tree: batch rerun on a filled reassembly cache / first run (wall)\t{w2 / w1:.2f}\t-\t"
           f"{w2:.2f} s vs {w1:.2f} s, {len(first)} files\n")
EOF
