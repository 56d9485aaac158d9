#!/bin/bash
# The whole test suite: unit (cmocka, no crash needed), pyunit (the batch
# package: pytest + Hypothesis, no crash needed), fuzz (each libFuzzer
# target of tests/fuzz for 20 s), integration (real crash on real fixture
# vmcores), tasks (the task/cgroup index against crash's ps and the
# manifests' tenancy), asan (the extension under ASan + UBSan on an integration
# subset, unit tests under valgrind), fixture set handling (pruning, no
# guest), log-only triage, end-to-end batch tests, the cluster engine on
# a single-node Slurm (tests/cluster, root), batch faults (tests/faults:
# needs root for tmpfs and bind mounts), damaged dumps and the batch's
# fast path (after damage, whose damaged copies it reuses), the version
# guard and .crashrc (guard), the man pages (man), the user guide's
# screenshot (guide), triage on arrival and its systemd units (arrival),
# the live watcher's build, CO-RE and failure paths (watch) and in
# fixture guests: the warning before the real race's lockup (watch-guest),
# and the Debian package built, installed, used and removed (package,
# last: it installs onto this machine), each where present.  Ends with one
# "total: N passed, M failed" line; exit 1 on any failure.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
mkdir -p tests/out
passed=0 failed=0 broken=""

tally() {	# name logfile pattern-for-"N passed, M failed"
	local p f
	p=$(grep -oE '[0-9]+ passed, [0-9]+ failed' "$2" | tail -n1 | awk '{print $1}')
	f=$(grep -oE '[0-9]+ passed, [0-9]+ failed' "$2" | tail -n1 | awk '{print $3}')
	passed=$((passed + ${p:-0}))
	failed=$((failed + ${f:-0}))
}

echo "== unit tests (cmocka)"
if make -s -C tests/unit check 2>&1 | tee tests/out/unit.log; then :; else broken="$broken unit"; fi
up=$(grep -E '^\[  PASSED  \] [0-9]+ test' tests/out/unit.log | awk '{s+=$4} END {print s+0}')
uf=$(grep -E '^\[  FAILED  \] [0-9]+ test' tests/out/unit.log | awk '{s+=$4} END {print s+0}')
echo "unit: $up passed, $uf failed"
passed=$((passed + up)); failed=$((failed + uf))

for suite in pyunit fuzz fixtures integration tasks netns guard man asan log e2e guide arrival cluster faults damage fastpath watch watch-guest package; do
	[ -x "tests/$suite/run.sh" ] || continue
	echo "== $suite tests"
	if "tests/$suite/run.sh" 2>&1 | tee "tests/out/$suite.log"; then :; else broken="$broken $suite"; fi
	tally "$suite" "tests/out/$suite.log"
done
if [ -n "$broken" ] && [ "$failed" -eq 0 ]; then
	failed=1	# a suite died before counting
	echo "suites that failed to run:$broken"
fi
echo "total: $passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ -z "$broken" ]
