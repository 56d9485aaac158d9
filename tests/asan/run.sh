#!/bin/bash
# Sanitizer suite (make check-asan; tests/run-all.sh runs it as "asan"):
#  1. the extension built with ASan + UBSan (make asan: build/asan-x86_64/
#     ovscrash-asan.so) is loaded into the project's crash, which is not
#     instrumented, with the ASan runtime preloaded (LD_PRELOAD), and the
#     integration suite runs against it (amd64, the host's kernel line,
#     the scenarios in OVSCRASH_ASAN_SCENARIOS, default "lockup hostile":
#     the lockup's checks take every command through real data, bad
#     input, compressed and mismatched module debuginfo and debuginfod;
#     hostile, the escaping of hostile names.  The whole suite took 5 min
#     on 2 loaded cores (2m43s CPU); each more scenario adds one session,
#     20-30 s under ASan);
#  2. a planted heap over-read and signed overflow (tests/asan/canary.c)
#     must each be reported: the check that the set-up is not blind;
#  3. the unit tests under valgrind (make -C tests/unit valgrind).
# Any sanitizer report fails the suite: the runtimes halt on the first
# error and write it to a log file (log_path) that this script reads, so a
# report is seen whatever the test that triggered it made of crash's exit.
# Ends with "asan: N passed, M failed".
#
# Runtime options, and why:
#   detect_leaks=0      crash and its gdb free little at exit: leak reports
#                       would be crash's, not the extension's
#   allow_user_segv_handler=0
#                       gdb installs SIGSEGV handlers (at start-up, and
#                       around every C++ demangling); with this, ASan's own
#                       handler stays, so a wild access in the extension is
#                       an ASan report with a stack, not a gdb error
#   halt_on_error=1, UBSan halt_on_error=1 (and -fno-sanitize-recover=all
#                       in the build): the first report ends the session
#   suppressions=tests/asan/crash.supp: crash's own interceptor reports
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
out=${OVSCRASH_TEST_OUT:-$top/tests/out}/asan
scenarios=${OVSCRASH_ASAN_SCENARIOS-lockup hostile}
rm -rf "$out"
mkdir -p "$out/reports"
passed=0 failed=0
pass() { echo "PASS asan: $1"; passed=$((passed + 1)); }
fail() { echo "FAIL asan: $1"; failed=$((failed + 1)); }

t0=$(date +%s)
if ! make -s -C "$top" asan asan-canary >"$out/build.log" 2>&1; then
	cat "$out/build.log"
	echo "asan: 0 passed, 1 failed"
	exit 1
fi
so=$top/build/asan-x86_64/ovscrash-asan.so
canary=$top/build/asan-x86_64/asan-canary.so
realcrash=$("$top/scripts/build-crash.sh" X86_64) || { echo "asan: 0 passed, 1 failed"; exit 1; }
libasan=$(gcc -print-file-name=libasan.so)

# crash with the runtime preloaded.  ASan writes each report to
# $out/reports/asan.<pid>; UBSan (its own runtime, loaded with the
# extension) ignores log_path there and prints to stderr, which the
# wrapper copies to $out/reports/stderr.<pid>.  The copying tee must not
# be crash's child: crash waits for all its children after each input
# file, and tee only ends when crash does.
wrapper=$out/crash-asan
cat >"$wrapper" <<EOS
#!/bin/bash
export LD_PRELOAD=$libasan
export ASAN_OPTIONS=detect_leaks=0:allow_user_segv_handler=0:halt_on_error=1:suppressions=$here/crash.supp:log_path=$out/reports/asan
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
fifo=\$(mktemp -u "$out/reports/.fifo.XXXXXX")
mkfifo "\$fifo" || exit 1
( tee -a "$out/reports/stderr.\$\$" <"\$fifo" >&2 & )
exec 2>"\$fifo"
rm -f "\$fifo"
exec $realcrash "\$@"
EOS
chmod +x "$wrapper"

reports() {	# the sanitizer reports written since the last call, moved to $1
	mkdir -p "$1"
	find "$out/reports" -maxdepth 1 -type f -exec mv -t "$1" {} +
	grep -lE 'ERROR: AddressSanitizer|runtime error:' "$1"/* 2>/dev/null
}

# A suite run against the ASan build: its "N passed, M failed" added to
# this suite's counts, then every sanitizer report its crash sessions
# wrote is a failure naming its first frame.
#   suite_result NAME WHAT   (log $out/NAME.log, reports to $out/NAME-reports)
suite_result() {
	local name=$1 what=$2 line r f
	line=$(grep -oE '[0-9]+ passed, [0-9]+ failed' "$out/$name.log" | tail -n1)
	if [ -z "$line" ]; then
		fail "$name suite under ASan did not finish ($what; see $out/$name.log)"
	else
		passed=$((passed + $(echo "$line" | awk '{print $1}')))
		failed=$((failed + $(echo "$line" | awk '{print $3}')))
		echo "# $name under ASan ($what): $line"
	fi
	r=$(reports "$out/$name-reports")
	if [ -z "$r" ]; then
		pass "no ASan/UBSan report from any crash session of the $name suite"
	else
		for f in $r; do
			fail "sanitizer report $f: $(grep -m1 -E 'ERROR: AddressSanitizer|runtime error:' "$f") at $(first_frame "$f")"
		done
	fi
}

# The in-process symbolizer gives no names for frames in the dlopen()ed
# extension (crash's frames are named); name the first frame of a report
# that lies in an ASan-built .so with addr2line.
first_frame() {
	local so off
	read -r so off < <(grep -m1 -oE '\(/[^ ]*/build/asan-[^ ]*\.so\+0x[0-9a-f]+\)' "$1" |
		tr -d '()' | tr '+' ' ')
	[ -n "$so" ] && addr2line -f -e "$so" "$off" | paste -sd' '
}

# 2. the planted faults: each must come back as a report
export OVSCRASH_CACHE=${OVSCRASH_CACHE:-/var/cache/ovscrash}
fx=$("$top/fixtures/mkfixture.sh" amd64 bookworm)/lockup
for c in "heap:heap-buffer-overflow" "overflow:signed integer overflow"; do
	cmd=${c%%:*} want=${c#*:}
	printf 'extend %s\nasan_canary %s\nq\n' "$canary" "$cmd" >"$out/canary.cmds"
	timeout 300 "$wrapper" -s "$fx/vmlinux" "$fx/vmcore" -i "$out/canary.cmds" \
		>"$out/canary-$cmd.out" 2>&1 </dev/null
	rc=$?
	r=$(reports "$out/canary-$cmd")
	where=""
	where=$(for f in $r; do grep -ohm1 'canary\.c:[0-9]*' "$f" || first_frame "$f"; done | head -n1)
	if [ -n "$r" ] && grep -q "$want" $r && [[ "$where" == *canary.c:* ]] && [ $rc -ne 0 ]; then
		pass "planted $want in an extension is reported at ${where##*/} (crash exit $rc)"
	else
		fail "planted $want not reported (crash exit $rc; reports: ${r:-none}; see $out/canary-$cmd.out)"
	fi
done

# 1. the integration suite against the ASan build
export OVSCRASH_EXT_AMD64=$so OVSCRASH_CRASH_AMD64=$wrapper
# (the slow search/budget/module-file/Ctrl-C checks are left to the plain run)
export OVSCRASH_CHECK_SCENARIOS="$scenarios" OVSCRASH_CHECK_PACKAGING=0 OVSCRASH_CHECK_SLOW=0
OVSCRASH_TEST_OUT=$out/integration OVSCRASH_ARCHES=amd64 \
	OVSCRASH_LINES=${OVSCRASH_ASAN_LINES:-bookworm} \
	"$top/tests/integration/run.sh" >"$out/integration.log" 2>&1
rc=$?
sed -n 's/^\(PASS\|FAIL\|#\) */  &/p' "$out/integration.log" | grep -E '^  (FAIL|#)' || true
suite_result integration "$scenarios, exit $rc"

# 1b. the task/cgroup index suite against the ASan build (amd64 6.1;
# no damaged copies, no scale timing)
OVSCRASH_TEST_OUT=$out/tasks OVSCRASH_ARCHES=amd64 \
	OVSCRASH_LINES=${OVSCRASH_ASAN_LINES:-bookworm} OVSCRASH_TASKS_SLOW=0 \
	"$top/tests/tasks/run.sh" >"$out/tasks.log" 2>&1
sed -n 's/^\(FAIL\|#\) */  &/p' "$out/tasks.log" || true
suite_result tasks "amd64 6.1"
t1=$(date +%s)
echo "# ASan part took $((t1 - t0))s"

# 3. the unit tests under valgrind
if make -s -C "$top/tests/unit" valgrind >"$out/valgrind.log" 2>&1; then
	pass "unit tests under valgrind: no error ($(grep -cE '^\[       OK \]' "$out/valgrind.log") tests)"
else
	tail -n 30 "$out/valgrind.log"
	fail "unit tests under valgrind (see $out/valgrind.log)"
fi
echo "# valgrind part took $(($(date +%s) - t1))s"
echo "asan: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
