#!/bin/bash
# Fuzz suite: each libFuzzer target (ASan + UBSan, see Makefile) runs for
# FUZZ_SECONDS (default 20) from its committed seeds corpus/<target>/
# plus what earlier runs found (tests/out/fuzz/corpus/<target>/, not
# committed).  A target passes when it ran its time without a crash,
# leak, sanitizer report, per-input timeout (FUZZ_TIMEOUT, 10 s) or
# out-of-memory (2 GiB); <target>.dict, where present, gives the format's
# tokens to the mutator; the crashing input is saved as
# tests/out/fuzz/<target>-crash-<sha1> (or -timeout-, -leak-, -oom-).
# Prints per target the executions and libFuzzer's final `cov:` and
# `ft:` figures, then "fuzz: N passed, M failed".
#   FUZZ_SECONDS=300 tests/fuzz/run.sh     (make fuzz)
#   tests/fuzz/run.sh dis elf              (some targets only)
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
out=${OVSCRASH_TEST_OUT:-$top/tests/out}/fuzz
secs=${FUZZ_SECONDS:-20}
per_input=${FUZZ_TIMEOUT:-10}
mkdir -p "$out"
passed=0 failed=0

targets=${*:-$(sed -n 's/^TARGETS := //p' "$here/Makefile")}
if ! make -s -C "$here" >"$out/build.log" 2>&1; then
	cat "$out/build.log"
	n=$(echo $targets | wc -w)
	echo "FAIL fuzz: the targets do not build (clang with libFuzzer: libclang-rt-14-dev)"
	echo "fuzz: 0 passed, $n failed"
	exit 1
fi

for t in $targets; do
	bin=$top/build/fuzz/fuzz_$t
	seeds=$here/corpus/$t
	work=$out/corpus/$t
	log=$out/$t.log
	mkdir -p "$work"
	[ -d "$seeds" ] || { echo "FAIL fuzz $t: no seed corpus $seeds"; failed=$((failed + 1)); continue; }
	dict=
	[ -f "$here/$t.dict" ] && dict=-dict=$here/$t.dict
	t0=$(date +%s)
	# the wall-clock bound covers start-up (loading the corpus) too
	timeout -k 10 $((secs * 2 + 120)) "$bin" -max_total_time="$secs" \
		-timeout="$per_input" -rss_limit_mb=2048 -print_final_stats=1 \
		-artifact_prefix="$out/$t-" $dict "$work" "$seeds" >"$log" 2>&1
	rc=$?
	took=$(($(date +%s) - t0))
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n1)
	cov=$(grep -oE 'cov: [0-9]+ ft: [0-9]+' "$log" | tail -n1)
	echo "# fuzz $t: ${execs:-?} executions in ${took}s, ${cov:-no coverage line}," \
		"corpus $(ls "$work" | wc -l) found + $(ls "$seeds" | wc -l) seeds"
	if [ $rc -eq 0 ] && ! grep -qE '^==[0-9]+==ERROR|runtime error:|^SUMMARY: ' "$log"; then
		echo "PASS fuzz $t"
		passed=$((passed + 1))
	else
		art=$(sed -n 's/.*Test unit written to \(.*\)/\1/p' "$log" | tail -n1)
		why=$(grep -m1 -E '^==[0-9]+==ERROR|runtime error:|^SUMMARY: |ERROR: libFuzzer' "$log")
		echo "FAIL fuzz $t (exit $rc): ${why:-see $log}${art:+; input: $art}"
		failed=$((failed + 1))
	fi
done
echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
