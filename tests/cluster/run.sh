#!/bin/bash
# The cluster engine on a real single-node Slurm (tests/cluster/check.py):
# munged, slurmctld and slurmd of this test on 127.0.0.1, a 4-task job
# array of scripts/ovscrash-array.sbatch over an archive of real fixture
# dumps of both arches, its merged report against the single-machine
# run's, a merge with a shard missing, and the GNU parallel recipe.
# Needs root (the daemons run as root) and Debian's slurm-wlm, munge and
# parallel (scripts/install-deps.sh).  A cluster that cannot start is a
# failure with its daemons' logs, never a skip.  The daemons are stopped
# at the end, on failure too: check.py stops them, and the trap below
# kills by pid file whatever is left (check.py itself killed).
# Ends with "cluster: N passed, M failed"; ~2-4 min on 2 cores.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
export OVSCRASH_CACHE=${OVSCRASH_CACHE:-/var/cache/ovscrash}
out=${OVSCRASH_TEST_OUT:-$top/tests/out}/cluster
mkdir -p "$out"
work=$(mktemp -d "${TMPDIR:-/tmp}/ovscrash-cluster.XXXXXX")
# munged wants every directory above its socket searchable by all
chmod 755 "$work"
cleanup() {
	local f pid
	for f in slurmd slurmctld munged; do
		pid=$(cat "$work/slurm/run/$f.pid" 2>/dev/null) || continue
		# only the daemon this test started: a stale pid file's pid may
		# belong to another process by now
		[ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$f" ] || continue
		kill "$pid" 2>/dev/null || continue
		sleep 1
		[ "$(cat "/proc/$pid/comm" 2>/dev/null)" != "$f" ] || kill -9 "$pid" 2>/dev/null || true
	done
	rm -rf "$work"
	return 0
}
trap cleanup EXIT
if [ "$(id -u)" != 0 ]; then
	echo "FAIL cluster: needs root (slurmctld, slurmd and munged of the test run as root)"
	echo "cluster: 0 passed, 1 failed"
	exit 1
fi
crash=$("$top/scripts/build-crash.sh" X86_64)
crash_arm64=$("$top/scripts/build-crash.sh" ARM64)
set_amd64=$("$top/fixtures/mkfixture.sh" amd64)
set_arm64=$("$top/fixtures/mkfixture.sh" arm64)
py=/usr/bin/python3; [ -x "$py" ] || py=python3
t0=$(date +%s)
rc=0
"$py" "$top/tests/cluster/check.py" --top "$top" --crash "$crash" \
	--ext "$top/extension/ovscrash.so" --crash-arm64 "$crash_arm64" \
	--ext-arm64 "$top/extension/ovscrash-arm64.so" --fixtures-amd64 "$set_amd64" \
	--fixtures-arm64 "$set_arm64" --work "$work" --out "$out" "$@" || rc=$?
echo "cluster: took $(( $(date +%s) - t0 ))s"
exit $rc
