#!/bin/bash
# Benchmark (not a test): what the batch's fast path costs per dump
# (ovscrash_batch/fastpath.py: side-file checks, makedumpfile
# --dump-dmesg, ovscrash-log -j, the decision) against a bare crash
# start-up on the same dump (`crash -s VMLINUX VMCORE` reading `quit`,
# with the gdb-indexed vmlinux when the symbol index cache has one, as
# the batch runs it).  Dumps: every fixture the manifests call
# NOT_THIS_BUG in the x86_64 and arm64 sets of the host's line, plus the
# scale fixture's dumps when they exist.  Figures per dump are medians of
# BENCH_RUNS runs (crash) and 5x that (fast path).  Rows:
#   fast path (side file) / crash start-up, on the dumps it resolves
#   fast path (log read from the dump) / crash start-up, idem (x86_64)
#   fast path overhead on a dump that goes to crash / crash start-up
# Usage: tests/bench/parts/40-fastpath.sh   (env: BENCH_RUNS, BENCH_TMP,
#   BENCH_FIXTURES_AMD64/_ARM64=set dir)
set -euo pipefail
top=$(cd "$(dirname "$0")/../../.." && pwd)
cache=${OVSCRASH_CACHE:-/var/cache/ovscrash}
runs=${BENCH_RUNS:-3}
tmp=$(mktemp -d "${BENCH_TMP:-${TMPDIR:-/tmp}}/ovscrash-bench-fastpath.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

bench_name=bench-fastpath
. "$top/tests/bench/lib.sh"
fx_amd64=${BENCH_FIXTURES_AMD64:-$(fixture_set amd64)}
fx_arm64=${BENCH_FIXTURES_ARM64:-$(fixture_set arm64)}
crash_x86=$("$top/scripts/build-crash.sh" X86_64)
crash_arm=$("$top/scripts/build-crash.sh" ARM64)
make -s -C "$top" tools >&2
scale=$(ls -d "$cache"/fixtures/amd64-*scale*/*/ 2>/dev/null || true)

python3 - "$top" "$tmp" "$runs" "$crash_x86" "$crash_arm" "$cache" "$fx_amd64" "$fx_arm64" $scale <<'EOF'
import glob, json, os, statistics as st, subprocess, sys, time, types
top, tmp, runs, crash_x86, crash_arm, cache = sys.argv[1:7]
runs = int(runs)
sys.path.insert(0, top)
from ovscrash_batch.fastpath import try_fast_path
from ovscrash_batch.formats import probe_dump, BadDump
from ovscrash_batch.links import LinkDir
from ovscrash_batch.runner import Batch
rows, sys.stdout = sys.stdout, sys.stderr	# figures on stderr, BENCH rows on stdout

dumps = []
for s in sys.argv[7:9]:
    for mf in sorted(glob.glob(os.path.join(s, "*", "manifest.json"))):
        m = json.load(open(mf))
        if (m.get("expected") or {}).get("verdict_kind") == "NOT_THIS_BUG":
            dumps.append(os.path.dirname(mf))
dumps += [d.rstrip("/") for d in sys.argv[9:] if os.path.isfile(os.path.join(d, "vmcore"))]

args = types.SimpleNamespace(no_index=True, index_cache=None, reassembly_cache=tmp,
                             no_progress_bar=True, out=tmp, timeout=300, jobs=1, full=False,
                             shard_str=None)
b = Batch(args)
b.links = LinkDir(tmp)
b.logtool, b.logtool_why = os.path.join(top, "tools", "ovscrash-log"), None


def fast(d, dump, side):
    item = {"id": "0" * 64, "dump": dump,
            "logs": [(side, {"path": side})] if side else []}
    ts, fp = [], None
    for _ in range(5 * runs):
        t0 = time.perf_counter()
        fp = try_fast_path(b, item, os.path.join(d, "vmcore"), tmp)
        ts.append(time.perf_counter() - t0)
    return st.median(ts), fp


def crash_start(d, dump):
    vml = os.path.realpath(os.path.join(d, "vmlinux"))
    idx = os.path.join(cache, "symindex", dump.get("build_id") or "-", "vmlinux")
    if os.path.isfile(idx):
        vml = idx
    crash = crash_x86 if dump["arch"] == "x86_64" else crash_arm
    ts = []
    for _ in range(runs):
        t0 = time.perf_counter()
        p = subprocess.run([crash, "-s", vml, os.path.join(d, "vmcore")], input=b"quit\n",
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        ts.append(time.perf_counter() - t0)
        if p.returncode != 0:
            return None, vml
    return st.median(ts), vml


print(f"bench-fastpath: {len(dumps)} not-this-bug dumps; {runs} crash runs, {5 * runs} fast-path runs each")
print(f"  {'DUMP':<44} {'CRASH s':>8} {'SIDE s':>7} {'RATIO':>6} {'DUMP-LOG s':>10} {'RATIO':>6}  DECISION")
res = {"side": [], "own": [], "over": []}
for d in dumps:
    try:
        dump = probe_dump(os.path.join(d, "vmcore"), "kdump-compressed")
    except (OSError, BadDump) as e:
        # a scale fixture being rebuilt, a damaged cache entry
        print(f"  {d}: not read: {e}; skipped")
        continue
    c, vml = crash_start(d, dump)
    if not c:
        print(f"  {d}: crash failed to start on it; skipped")
        continue
    side = os.path.join(d, "vmcore-dmesg.txt")
    fs, fps = fast(d, dump, side if os.path.isfile(side) else None)
    fo, fpo = fast(d, dump, None)
    # "x86_64 6.1.0-56-cloud-amd64 oops-null"
    name = f"{dump['arch']} {dump.get('release')} {os.path.basename(d)}"[:44]
    dec = "resolved" if fps["decided"] else f"to crash: {fps['reason'][:60]}"
    print(f"  {name:<44} {c:8.2f} {fs:7.3f} {fs / c:6.3f} {fo:10.3f} {fo / c:6.3f}  {dec}"
          f"{'' if vml.startswith(os.path.join(cache, 'symindex')) else ' (crash on the original vmlinux)'}")
    if fps["decided"]:
        res["side"].append((fs / c, fs, c, name))
    else:
        res["over"].append((fs / c, fs, c, name))
    if fpo["decided"]:
        res["own"].append((fo / c, fo, c, name))
b.links.close()


def row(metric, lst, target):
    if not lst:
        rows.write(f"BENCH\t{metric}\tn/a\t{target}\tno such dump among the fixtures\n")
        return
    worst = max(lst)
    rows.write(f"BENCH\t{metric}\t{worst[0]:.3f}\t{target}\tworst of {len(lst)} dumps: "
               f"{worst[3]} {worst[1] * 1000:.0f} ms vs crash start-up {worst[2]:.2f} s; "
               f"median ratio {st.median(x[0] for x in lst):.3f}\n")


row("fast path per resolved dump, side file / crash start-up", res["side"], "<=0.1")
row("fast path per resolved dump, log read from the dump / crash start-up", res["own"], "<=0.1")
row("fast path overhead on a dump sent to crash / crash start-up", res["over"], "-")
EOF
