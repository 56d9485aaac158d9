#!/bin/bash
# Benchmark part: what the namespace table (issue 13: names from the nsfs
# mounts of every mount namespace) adds to the first walk of a session,
# on the largest scale fixture (scale-10k: 1,003 namespaces; the lockup
# fixture when there is no scale set, with a note).  One crash session:
# `netdev` (the session's first walk: it builds the table), `netdev`
# again, then `netns` BENCH_RUNS+1 times; the extension's OVSCRASH_TIMING
# lines give each command's own CPU time and the table build's share
# ("netns-table").  CPU times, not wall: the machine is shared.
# The namespace and name counts must equal crash's and the manifest's
# (netns -j rows = the manifest's scale count of namespaces), or the part
# fails: a fast wrong table is worthless.
# Rows: table CPU / netdev's first walk without it (<=0.25), netns's first
# run after netdev (device counts from warm pages) in ms.
# Usage: tests/bench/parts/35-netns.sh [RUNS]
#   BENCH_SCALE_SET=DIR: the scale set (default: the newest complete
#   $OVSCRASH_CACHE/fixtures/amd64-*-scale set)
set -euo pipefail
top=$(cd "$(dirname "$0")/../../.." && pwd)
runs=${1:-${BENCH_RUNS:-3}}
cache=${OVSCRASH_CACHE:-/var/cache/ovscrash}
die() { echo "bench-netns: $*" >&2; exit 1; }
crash=$("$top/scripts/build-crash.sh" X86_64) || die "no crash (scripts/build-crash.sh X86_64)"
so="$top/extension/ovscrash.so"
[ -f "$so" ] || make -C "$top" -s "$so" >&2 || die "cannot build $so"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

set_dir=${BENCH_SCALE_SET:-$(ls -td "$cache"/fixtures/amd64-*-scale/ 2>/dev/null | while read -r s; do
	[ -f "$s/.complete" ] && [ -e "$s/scale-10k/vmcore" ] && { echo "${s%/}"; break; }; done)}
note=""
if [ -n "$set_dir" ] && [ -e "$set_dir/scale-10k/vmcore" ]; then
	d=$set_dir/scale-10k
else
	d=$(ls -td "$cache"/fixtures/amd64-6.1*/ 2>/dev/null | while read -r s; do
		[ -f "$s/.complete" ] && [ -e "$s/lockup/vmcore" ] && { echo "${s%/}/lockup"; break; }; done)
	[ -n "$d" ] || die "no scale set and no amd64 lockup fixture"
	note="NO SCALE SET (make scale-fixtures): the lockup fixture; "
fi
{
	echo "extend $so"
	echo "netdev > /dev/null"
	echo "netdev > /dev/null"
	for ((i = 0; i <= runs; i++)); do echo "netns > /dev/null"; done
	echo "netns -j > $tmp/netns.json"
	echo q
} >"$tmp/cmd"
OVSCRASH_TIMING=1 "$crash" -s "$d/vmlinux" "$d/vmcore" -i "$tmp/cmd" </dev/null \
	>"$tmp/out" 2>"$tmp/err" || die "$d: crash failed: $(tail -n 3 "$tmp/err" | tr '\n' ' ')"

python3 - "$tmp" "$d" "$note" <<'PY'
import json, os, statistics as st, sys

tmp, d, note = sys.argv[1:4]
t = {}
for l in open(os.path.join(tmp, "err"), errors="replace"):
    f = l.split()
    if len(f) >= 6 and f[0] == "OVSCRASH_TIMING":
        t.setdefault(f[1], []).append(dict(zip(f[2::2], f[3::2])))
m = json.load(open(os.path.join(d, "manifest.json")))
rows = json.load(open(os.path.join(tmp, "netns.json")))["namespaces"]
want = (m.get("scale") or {}).get("netns", len(m["netns"]))
# the guest counts the namespaces /run/netns names (ip -all netns exec)
# and init_net; the tenants' others (tenancy recipe: one named only in a
# private mount namespace, one held by a socket) are on the list too
want += sum(1 for t in (m.get("tenancy") or {}).get("netns", {}).values()
            if not any(n.startswith("/run/netns/") for n in t["names"]))
got = len([r for r in rows if r["listed"]])
if got != want:
    sys.exit(f"bench-netns: {got} listed namespaces in netns -j, the manifest counts {want}")
if "netns-table" not in t or "netdev" not in t or "netns" not in t:
    sys.exit(f"bench-netns: OVSCRASH_TIMING lines missing: {sorted(t)}")
tab = t["netns-table"][0]
nd = float(t["netdev"][0]["cpu_ms"]) - float(tab["cpu_ms"])
ns_first = float(t["netns"][0]["cpu_ms"])
ns_later = st.median(float(x["cpu_ms"]) for x in t["netns"][1:])
n = os.path.basename(d)
print(f"bench-netns: {n}: table {float(tab['cpu_ms']):.1f} ms CPU ({tab['namespaces']} namespaces, "
      f"{tab['mount_namespaces']} mount namespaces, {tab['nsfs_mounts']} nsfs mounts, "
      f"{tab['pages_read']} pages read, {tab['page_hits']} cached reads); netdev's first walk "
      f"without it {nd:.1f} ms CPU; netns first {ns_first:.1f}, later {ns_later:.1f} ms CPU",
      file=sys.stderr)
print(f"BENCH\t{n} netns table build / netdev first walk (CPU)\t{float(tab['cpu_ms']) / nd:.3f}\t"
      f"<=0.25\t{note}table {float(tab['cpu_ms']):.1f} ms, netdev {nd:.1f} ms; "
      f"{tab['namespaces']} namespaces, {tab['nsfs_mounts']} nsfs mounts in "
      f"{tab['mount_namespaces']} mount namespaces")
print(f"BENCH\t{n} netns command after netdev (CPU ms; device counts from warm pages)\t"
      f"{ns_first:.1f}\t-\t{note}later runs {ns_later:.1f} ms")
PY
