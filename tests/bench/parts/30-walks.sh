#!/bin/bash
# Benchmark part: ovscrash's walks against the same walks in drgn, their
# growth with the number of devices, and triage against a bare crash
# start-up (issue 12, item 2).  On each scale fixture (scale-100, -1k,
# -10k; the lockup fixture when there is no scale set, with a note):
#   - `netdev` and `vport` in one crash session, timed in-session by the
#     extension itself (OVSCRASH_TIMING: each command's own wall and CPU
#     time, start-up and shell forks excluded), after `ovsmod` and `picktx`
#     (module debuginfo loaded and the CPU search done: what drgn does at
#     start-up / does not do): the session's first walk (its pages read
#     and decompressed), then the median of BENCH_RUNS more (pages from
#     the session's page cache);
#   - tests/bench/drgn_netdev.py / drgn_vport.py: the same walks printing
#     the same fields in drgn, timed with time.perf_counter() around the
#     walk alone, after one warm-up walk, median of BENCH_RUNS runs;
#   - both tools on the same file, the kdump-compressed vmcore: Debian's
#     drgn reads it itself, through libkdumpfile (no conversion; an ELF
#     copy from tests/damage/kdump2elf.py does not serve: it has no
#     PT_LOAD of the kernel image, and drgn 0.0.22 then cannot translate
#     addresses -- see docs/performance.md).
# The device and vport counts of netdev -j / vport -j must equal the
# manifest's "scale" counts (measured in the guest): otherwise the part
# fails (a fast wrong walk is worthless).
# Rows: netdev and vport speed-up vs drgn (>=3), us/device at each size
# and the 10k/100 ratio of per-device time (<=1.5: linear), the slope,
# triage session / bare crash start-up on the largest dump (<=1.05).
# Usage: tests/bench/parts/30-walks.sh [RUNS]
#   BENCH_SCALE_SET=DIR: the scale set to use (default: mkfixture.sh's, else
#   the newest complete $OVSCRASH_CACHE/fixtures/amd64-*-scale set)
set -euo pipefail
top=$(cd "$(dirname "$0")/../../.." && pwd)
runs=${1:-${BENCH_RUNS:-3}}
cache=${OVSCRASH_CACHE:-/var/cache/ovscrash}
py=/usr/bin/python3	# Debian's: python3-drgn is installed for it
die() { echo "bench-walks: $*" >&2; exit 1; }

crash=$("$top/scripts/build-crash.sh" X86_64) || die "no crash (scripts/build-crash.sh X86_64)"
so="$top/extension/ovscrash.so"
[ -f "$so" ] || make -C "$top" -s "$so" >&2 || die "cannot build $so"
"$py" -c 'import drgn' 2>/dev/null || die "python3-drgn missing (make deps)"
[ -x /usr/bin/time ] || die "needs /usr/bin/time (make deps)"
if [ -n "${BENCH_TMP:-}" ]; then
	tmp=$BENCH_TMP/walks
else
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
fi
mkdir -p "$tmp"

# ---- which dumps
set_dir=${BENCH_SCALE_SET:-}
if [ -z "$set_dir" ]; then
	set_dir=$("$top/fixtures/mkfixture.sh" amd64 "" scale 2>/dev/null) || set_dir=""
	[ -n "$set_dir" ] && [ -f "$set_dir/.complete" ] && [ -d "$set_dir/scale-100" ] || set_dir=""
fi
if [ -z "$set_dir" ]; then
	set_dir=$(ls -td "$cache"/fixtures/amd64-*-scale/ 2>/dev/null | while read -r s; do
		[ -f "$s/.complete" ] && { echo "${s%/}"; break; }; done)
fi
note=""
dumps=()
if [ -n "$set_dir" ]; then
	for s in scale-100 scale-1k scale-10k; do
		if [ -e "$set_dir/$s/vmcore" ]; then dumps+=("$set_dir/$s"); fi
	done
fi
if [ ${#dumps[@]} = 0 ]; then
	d=$("$top/fixtures/mkfixture.sh" amd64 2>/dev/null) && [ -e "$d/lockup/vmcore" ] ||
		d=$(ls -td "$cache"/fixtures/amd64-6.1*/ 2>/dev/null | while read -r s; do
			[ -f "$s/.complete" ] && [ -e "$s/lockup/vmcore" ] && { echo "${s%/}"; break; }; done)
	[ -n "$d" ] || die "no scale set and no amd64 lockup fixture"
	dumps=("$d/lockup")
	note="NO SCALE SET (make scale-fixtures): the lockup fixture only, counts not checked; "
	echo "bench-walks: no scale fixture set; measuring the lockup fixture $d/lockup only" >&2
fi
echo "bench-walks: dumps: ${dumps[*]}; $runs runs per figure" >&2

# ---- one crash session: netdev and vport timed by the extension
session() {	# dir core tag
	local d=$1 core=$2 tag=$3 i
	{
		echo "extend $so"
		echo "ovsmod > /dev/null"
		echo "picktx > /dev/null"
		for ((i = 0; i <= runs; i++)); do	# the first is the cold walk
			echo "netdev > /dev/null"
			echo "vport > /dev/null"
		done
		echo "netdev -j > $tmp/$tag.netdev.json"
		echo "vport -j > $tmp/$tag.vport.json"
		echo q
	} >"$tmp/$tag.cmd"
	OVSCRASH_TIMING=1 "$crash" -s "$d/vmlinux" "$core" -i "$tmp/$tag.cmd" \
		</dev/null >"$tmp/$tag.out" 2>"$tmp/$tag.err" ||
		die "$core: crash failed: $(tail -n 3 "$tmp/$tag.err" | tr '\n' ' ')"
}

drgn_walk() {	# dir core tag
	local d=$1 core=$2 tag=$3 w
	for w in netdev vport; do
		"$py" "$top/tests/bench/drgn_$w.py" "$core" "$d/vmlinux" "$d/openvswitch.ko.debug" \
			--runs "$runs" >"$tmp/$tag.drgn-$w" 2>"$tmp/$tag.drgn-$w.err" ||
			die "$core: drgn_$w.py failed: $(tail -n 3 "$tmp/$tag.drgn-$w.err" | tr '\n' ' ')"
	done
}

for d in "${dumps[@]}"; do
	n=$(basename "$d")
	echo "bench-walks: $n: crash session, drgn" >&2
	session "$d" "$d/vmcore" "$n.kdump"
	drgn_walk "$d" "$d/vmcore" "$n.kdump"
done

# ---- triage session vs bare crash start-up, on the largest dump
big=${dumps[${#dumps[@]}-1]}
printf 'q\n' >"$tmp/bare.cmd"
printf 'extend %s\ntriage -j\nq\n' "$so" >"$tmp/triage.cmd"
: >"$tmp/startup.times"
for ((i = 0; i < runs; i++)); do	# alternate, so drift hits both alike
	for c in bare triage; do
		/usr/bin/time -f "$c %e %U %S" -a -o "$tmp/startup.times" "$crash" -s "$big/vmlinux" \
			"$big/vmcore" -i "$tmp/$c.cmd" </dev/null >"$tmp/$c.out" 2>&1 ||
			die "$big/vmcore: crash ($c) failed"
	done
done
grep -q '"verdict"' "$tmp/triage.out" || die "$big/vmcore: triage -j gave no verdict"

"$py" - "$tmp" "$runs" "$note" "${dumps[@]}" <<'PY'
import json, os, statistics as st, sys

tmp, runs, note, dumps = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4:]
rows, sys.stdout = sys.stdout, sys.stderr	# figures on stderr, BENCH rows on stdout
bad = []


def row(metric, measured, target, detail):
    rows.write(f"BENCH\t{metric}\t{measured}\t{target}\t{note}{detail}\n")


def timings(tag):
    """each ovscrash command of the session: (median wall ms, median cpu ms)
    of its runs after the first, and (wall, cpu) of the first (cold) run"""
    t = {}
    for l in open(os.path.join(tmp, tag + ".err"), errors="replace"):
        f = l.split()
        if len(f) >= 6 and f[0] == "OVSCRASH_TIMING":
            t.setdefault(f[1], []).append((float(f[3]), float(f[5])))
    return {k: (st.median(w for w, _ in (v[1:] or v)), st.median(c for _, c in (v[1:] or v)),
                v[0][0], v[0][1])
            for k, v in t.items()}


def drgn(tag, w):
    kv = dict(l.split() for l in open(os.path.join(tmp, f"{tag}.drgn-{w}")) if l.strip())
    return (int(kv["count"]), float(kv["median"]) * 1e3, float(kv["first"]) * 1e3,
            float(kv["cpu"]) * 1e3)


res = {}
print(f"{'DUMP':<12} {'FILE':<5} {'NETDEVS':>7} {'VPORTS':>6} {'NETDEV_MS':>9} {'CPU_MS':>7} "
      f"{'DRGN_MS':>8} {'CPU_MS':>7} {'VPORT_MS':>8} {'CPU_MS':>7} {'DRGN_MS':>8} {'CPU_MS':>7}")
for d in dumps:
    n = os.path.basename(d)
    man = json.load(open(os.path.join(d, "manifest.json")))
    sc = man.get("scale")
    for v in ("kdump",):
        tag = f"{n}.{v}"
        t = timings(tag)
        nd = json.load(open(os.path.join(tmp, tag + ".netdev.json")))
        vp = json.load(open(os.path.join(tmp, tag + ".vport.json")))
        ndev, nvp = len(nd["devices"]), len(vp["vports"])
        dn, dn_ms, dn_first, dn_cpu = drgn(tag, "netdev")
        dv, dv_ms, dv_first, dv_cpu = drgn(tag, "vport")
        if nd.get("truncated") or vp.get("truncated"):
            bad.append(f"{tag}: the walk was truncated by the work budget")
        if sc:
            # the guest counts the devices of init_net and of the
            # namespaces /run/netns names; the tenants' others (tenancy
            # recipe: the private-mount one, the socket-held one) hold
            # only their loopback device (guest/init makes none there)
            want = sc["netdevs"] + sum(
                1 for x in (man.get("tenancy") or {}).get("netns", {}).values()
                if not any(n.startswith("/run/netns/") for n in x["names"]))
            if ndev != want:
                bad.append(f"{tag}: netdev found {ndev} devices, the manifest counts {want}")
            if nvp != sc["vports"]:
                bad.append(f"{tag}: vport found {nvp} vports, the manifest counts {sc['vports']}")
        listed = sum(1 for x in nd["devices"] if x.get("listed"))
        if dn != listed:
            bad.append(f"{tag}: drgn listed {dn} devices, netdev {listed}")
        if dv != nvp:
            bad.append(f"{tag}: drgn found {dv} vports, vport {nvp}")
        res[tag] = dict(ndev=ndev, nvp=nvp, nd=t["netdev"], vp=t["vport"],
                        dn=dn_ms, dv=dv_ms, dn_first=dn_first, dv_first=dv_first,
                        dn_cpu=dn_cpu, dv_cpu=dv_cpu)
        print(f"{n:<12} {v:<5} {ndev:>7} {nvp:>6} {t['netdev'][0]:>9.1f} {t['netdev'][1]:>7.1f} "
              f"{dn_ms:>8.1f} {dn_cpu:>7.1f} {t['vport'][0]:>8.1f} {t['vport'][1]:>7.1f} "
              f"{dv_ms:>8.1f} {dv_cpu:>7.1f}")
print(f"(medians of {runs} runs, ms of the walk alone; CPU = the crash process's CPU time "
      "in the command; drgn's first walk: " +
      ", ".join(f"{k} {r['dn_first']:.0f}/{r['dv_first']:.0f}" for k, r in res.items()) + ")")

big = os.path.basename(dumps[-1])
for v in ("kdump",):
    r = res[f"{big}.{v}"]
    file = "kdump-compressed vmcore"
    row(f"{big} netdev speed-up vs drgn ({file}, same file; each tool's walks after its first)", f"{r['dn'] / r['nd'][0]:.2f}", ">=3",
        f"{r['ndev']} devices: netdev {r['nd'][0]:.1f} ms, drgn {r['dn']:.1f} ms; "
        f"CPU {r['nd'][1]:.1f} vs {r['dn_cpu']:.1f} ms ({r['dn_cpu'] / r['nd'][1]:.2f}x); {runs} runs")
    row(f"{big} vport speed-up vs drgn ({file}, same file; each tool's walks after its first)", f"{r['dv'] / r['vp'][0]:.2f}", ">=3",
        f"{r['nvp']} vports: vport {r['vp'][0]:.1f} ms, drgn {r['dv']:.1f} ms; "
        f"CPU {r['vp'][1]:.1f} vs {r['dv_cpu']:.1f} ms ({r['dv_cpu'] / r['vp'][1]:.2f}x); {runs} runs")
    row(f"{big} netdev speed-up vs drgn, CPU time", f"{r['dn_cpu'] / r['nd'][1]:.2f}", "-",
        "the same runs' CPU times (robust on a loaded machine)")
    row(f"{big} netdev speed-up vs drgn, first walk of each (cold caches)",
        f"{r['dn_first'] / r['nd'][2]:.2f}", "-",
        f"netdev {r['nd'][2]:.1f} ms (CPU {r['nd'][3]:.1f}), drgn {r['dn_first']:.1f} ms: every page "
        "decompressed by both")
    row(f"{big} vport speed-up vs drgn, CPU time", f"{r['dv_cpu'] / r['vp'][1]:.2f}", "-",
        "the same runs' CPU times")
    row(f"{big} vport speed-up vs drgn, first walk of each (cold caches)",
        f"{r['dv_first'] / r['vp'][2]:.2f}", "-",
        f"vport {r['vp'][2]:.1f} ms (CPU {r['vp'][3]:.1f}), drgn {r['dv_first']:.1f} ms; in the crash session vport's first walk follows netdev's, whose pages it shares")

# growth: us per device of netdev (kdump-compressed), from the smallest to the largest
per = []
for d in dumps:
    n = os.path.basename(d)
    r = res[f"{n}.kdump"]
    us = r["nd"][0] * 1e3 / r["ndev"]
    per.append((n, r["ndev"], r["nd"][0], us))
    row(f"netdev us/device, {n}", f"{us:.1f}", "-",
        f"{r['ndev']} devices in {r['nd'][0]:.1f} ms (CPU {r['nd'][1] * 1e3 / r['ndev']:.1f} us/device)")
if len(per) > 1:
    (n0, c0, t0, u0), (n1, c1, t1, u1) = per[0], per[-1]
    row(f"netdev per-device time {n1} / {n0}", f"{u1 / u0:.2f}", "<=1.5",
        f"{u1:.1f} vs {u0:.1f} us/device")
    row(f"netdev slope {n0}..{n1} (us/device)", f"{(t1 - t0) * 1e3 / (c1 - c0):.1f}", "-",
        f"({t1:.1f} - {t0:.1f} ms) / ({c1} - {c0} devices)")
    rv0, rv1 = res[f"{n0}.kdump"], res[f"{n1}.kdump"]
    if rv1["nvp"] > rv0["nvp"]:
        row(f"vport slope {n0}..{n1} (us/vport)",
            f"{(rv1['vp'][0] - rv0['vp'][0]) * 1e3 / (rv1['nvp'] - rv0['nvp']):.1f}", "-",
            f"{rv0['nvp']} -> {rv1['nvp']} vports")

tt = {}
for l in open(os.path.join(tmp, "startup.times")):
    f = l.split()
    if len(f) == 4 and f[0] in ("bare", "triage"):
        tt.setdefault(f[0], []).append((float(f[1]), float(f[2]) + float(f[3])))
bw, bc = st.median(w for w, _ in tt["bare"]), st.median(c for _, c in tt["bare"])
tw, tc = st.median(w for w, _ in tt["triage"]), st.median(c for _, c in tt["triage"])
print(f"{big}: bare crash start-up {bw:.2f} s (CPU {bc:.2f}), triage session {tw:.2f} s (CPU {tc:.2f})")
row(f"{big} triage session / bare crash start-up", f"{tw / bw:.2f}", "<=1.05",
    f"{tw:.2f} s vs {bw:.2f} s (CPU {tc:.2f} vs {bc:.2f} s); {runs} runs")
for b in bad:
    print(f"bench-walks: WRONG: {b}")
sys.exit(1 if bad else 0)
PY
