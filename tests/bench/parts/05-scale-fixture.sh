#!/bin/bash
# Benchmark part (informational): the scale fixtures (make scale-fixtures:
# the lockup on hosts of ~100, ~1,000 and ~11,000 devices), their counts
# as the guest measured them (manifest.json "scale": net_devices of every
# namespace, namespaces, OVS vports) and a bare crash start-up per dump
# (`crash -s vmlinux vmcore` reading only `q`: the cost every session on
# that dump pays before any command), median of BENCH_RUNS.  Rows have no
# target ("-").  Exits non-zero when the scale set or one of its dumps is
# missing: `make bench` builds it first (make scale-fixtures).
# Usage: tests/bench/parts/05-scale-fixture.sh [RUNS]   (default $BENCH_RUNS, else 3)
#   BENCH_SCALE_SET=DIR uses that set instead of mkfixture.sh's.
set -euo pipefail
top=$(cd "$(dirname "$0")/../../.." && pwd)
runs=${1:-${BENCH_RUNS:-3}}
scenarios="scale-100 scale-1k scale-10k"
die() { echo "bench-scale: $*" >&2; exit 1; }

# the set of the current recipe: mkfixture.sh prints it at once when it is
# complete (after make scale-fixtures it is; run alone, this builds it)
set_dir=${BENCH_SCALE_SET:-$("$top/fixtures/mkfixture.sh" amd64 "" scale)} ||
	die "no scale fixture set: fixtures/mkfixture.sh amd64 \"\" scale failed (make scale-fixtures)"
[ -f "$set_dir/.complete" ] || die "$set_dir: not a complete scale fixture set (no .complete; make scale-fixtures)"
for s in $scenarios; do
	for f in vmcore vmlinux manifest.json; do
		[ -e "$set_dir/$s/$f" ] || die "$set_dir/$s/$f: missing (make scale-fixtures)"
	done
done
crash=$("$top/scripts/build-crash.sh" X86_64) || die "no crash (scripts/build-crash.sh X86_64)"
tmp=${BENCH_TMP:-$(mktemp -d)}
[ -n "${BENCH_TMP:-}" ] || trap 'rm -rf "$tmp"' EXIT
printf 'q\n' >"$tmp/scale-q"

startup() {	# scenario dir -> "wall cpu": medians of a bare crash start-up
	local i
	: >"$tmp/scale-times"
	for ((i = 0; i < runs; i++)); do
		/usr/bin/time -f '%e %U %S' -o "$tmp/scale-time" "$crash" -s "$1/vmlinux" "$1/vmcore" \
			-i "$tmp/scale-q" </dev/null >"$tmp/scale-out" 2>&1 ||
			die "$1/vmcore: crash failed: $(tail -n 3 "$tmp/scale-out" | tr '\n' ' ')"
		tail -n1 "$tmp/scale-time" >>"$tmp/scale-times"
	done
	# user + system seconds too: on a loaded machine the wall time is noise
	median() { sort -n | awk '{ a[NR] = $1 } END { printf "%.3f", a[int((NR + 1) / 2)] }'; }
	echo "$(awk '{ print $1 }' "$tmp/scale-times" | median)" \
		"$(awk '{ print $2 + $3 }' "$tmp/scale-times" | median)"
}

# the manifest's scale counts: netdevs netns vports veth internal setup_seconds
counts_py='
import json, sys
try:
    sc = json.load(open(sys.argv[1]))["scale"]
    print(sc["netdevs"], sc["netns"], sc["vports"], sc["veth_vports"],
          sc["internal_vports"], sc["setup_seconds"])
except (OSError, ValueError, KeyError, TypeError) as e:
    sys.exit(f"bench-scale: {sys.argv[1]}: no scale counts ({e!r})")
'
[ -x /usr/bin/time ] || die "needs /usr/bin/time (make deps)"
printf '%-10s %8s %6s %7s %10s %8s %10s %10s\n' SCENARIO NETDEVS NETNS VPORTS VMCORE_MB SETUP_S STARTUP_S CPU_S >&2
for s in $scenarios; do
	d="$set_dir/$s"
	counts=$(python3 -c "$counts_py" "$d/manifest.json") || exit 1
	read -r nd ns vp vpv vpi setup <<<"$counts"
	mb=$(($(stat -c %s "$d/vmcore") >> 20))
	read -r st cpu <<<"$(startup "$d")"
	printf '%-10s %8d %6d %7d %10d %8s %10s %10s\n' "$s" "$nd" "$ns" "$vp" "$mb" "$setup" "$st" "$cpu" >&2
	printf 'BENCH\t%s: net_devices (all netns, lo incl.) / netns / OVS vports\t%d\t-\t%d netns, %d vports (%d veth, %d internal); guest setup %s s; vmcore %d MiB\n' \
		"$s" "$nd" "$ns" "$vp" "$vpv" "$vpi" "$setup" "$mb"
	printf 'BENCH\t%s: bare crash start-up (s)\t%s\t-\tcrash -s vmlinux vmcore, q; median of %d runs: %s s wall, %s s user+sys; %d net_devices\n' \
		"$s" "$st" "$runs" "$st" "$cpu" "$nd"
done
