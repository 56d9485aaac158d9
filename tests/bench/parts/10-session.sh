#!/bin/bash
# Benchmarks (not tests): time and peak memory of ovscrash on the real
# lockup fixture, as ratios against a baseline measured in the same run:
#   baseline  crash opening the dump and running `sys`
#   triage    the same plus `extend ovscrash.so; triage -j`
#   all       the same plus every ovscrash command
# Usage: tests/bench/parts/10-session.sh [RUNS]   (default $BENCH_RUNS, else 5)
# (a part of tests/bench/run.sh: the table on stderr, BENCH rows on stdout)
set -euo pipefail
top=$(cd "$(dirname "$0")/../../.." && pwd)
runs=${1:-${BENCH_RUNS:-5}}
crash=$("$top/scripts/build-crash.sh" X86_64)
d="$("$top/fixtures/mkfixture.sh" amd64)/lockup"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf 'sys\nq\n' >"$tmp/baseline"
printf 'sys\nextend %s\ntriage -j\nq\n' "$top/extension/ovscrash.so" >"$tmp/triage"
printf 'sys\nextend %s\novscrash -j\nnetdev -j\nvport -j\npicktx -j\ntriage -j\nq\n' \
	"$top/extension/ovscrash.so" >"$tmp/all"

measure() {	# name -> "median_seconds max_rss_kb"
	local i t0 t1 rss
	: >"$tmp/$1.times"
	for ((i = 0; i < runs; i++)); do
		t0=$(date +%s.%N)
		/usr/bin/env time -f '%M' -o "$tmp/$1.rss" "$crash" -s "$d/vmlinux" "$d/vmcore" \
			-i "$tmp/$1" </dev/null >/dev/null 2>&1
		t1=$(date +%s.%N)
		echo "$t1 - $t0" | bc -l >>"$tmp/$1.times"
		rss=$(tail -n1 "$tmp/$1.rss")
	done
	echo "$(sort -n "$tmp/$1.times" | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}') $rss"
}

command -v bc >/dev/null && [ -x /usr/bin/time ] || { echo "bench needs bc and time (make deps)" >&2; exit 1; }
read -r bt brss < <(measure baseline)
read -r tt trss < <(measure triage)
read -r at arss < <(measure all)
exec 3>&1 1>&2
printf '%-10s %10s %12s %10s %10s\n' CASE SECONDS MAX_RSS_KB TIME_RATIO RSS_RATIO
printf '%-10s %10.3f %12d %10.2f %10.2f\n' baseline "$bt" "$brss" 1 1
printf '%-10s %10.3f %12d %10.2f %10.2f\n' triage "$tt" "$trss" "$(echo "$tt / $bt" | bc -l)" "$(echo "$trss / $brss" | bc -l)"
printf '%-10s %10.3f %12d %10.2f %10.2f\n' all "$at" "$arss" "$(echo "$at / $bt" | bc -l)" "$(echo "$arss / $brss" | bc -l)"
echo "(median of $runs runs; triage adds $(echo "($tt - $bt) * 1000" | bc -l | cut -d. -f1) ms to a crash session)"
printf 'BENCH\tsmall lockup dump: triage session / crash+sys session (time)\t%.2f\t-\t%.3f s vs %.3f s, %s runs\n' \
	"$(echo "$tt / $bt" | bc -l)" "$tt" "$bt" "$runs" >&3
printf 'BENCH\tsmall lockup dump: triage session / crash+sys session (peak RSS)\t%.2f\t-\t%d KiB vs %d KiB\n' \
	"$(echo "$trss / $brss" | bc -l)" "$trss" "$brss" >&3
