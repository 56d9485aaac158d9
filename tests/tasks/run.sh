#!/bin/bash
# The task/cgroup index (extension/tasks.c, through the hidden ovstasks
# command) on the real fixture vmcores of each architecture, checked
# against crash's own ps -G and gdb's reading of task->nsproxy->net_ns,
# and against the manifests' "tenancy" (pids, comms, cgroup v2 and v1
# paths; namespaces held only by a mount or a socket) where present.
#   OVSCRASH_ARCHES, OVSCRASH_LINES as for tests/integration/run.sh
#   OVSCRASH_TASKS_SETS="arch:SET_DIR ..." names fixture sets directly
#   (no fixtures/mkfixture.sh call: for trying an older or a dev set)
#   OVSCRASH_EXT_AMD64, OVSCRASH_EXT_ARM64, OVSCRASH_CRASH_AMD64,
#   OVSCRASH_CRASH_ARM64: another extension build and crash command (the
#   ASan suite's); OVSCRASH_TASKS_SLOW=0 skips the damaged copies and the
#   scale-10k timing
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
export OVSCRASH_CACHE=${OVSCRASH_CACHE:-/var/cache/ovscrash}
out=${OVSCRASH_TEST_OUT:-$top/tests/out}/tasks
mkdir -p "$out"
ext_of() {
	case "$1" in
	amd64) echo "$top/extension/ovscrash.so X86_64" ;;
	arm64) echo "$top/extension/ovscrash-arm64.so ARM64" ;;
	*) echo "unknown arch $1" >&2; exit 1 ;;
	esac
}
sets=()
add_set() {	# arch set_dir
	local ext target crash
	read -r ext target <<<"$(ext_of "$1")"
	crash=$("$top/scripts/build-crash.sh" "$target")
	local override=OVSCRASH_EXT_${1^^}
	ext=${!override:-$ext}
	override=OVSCRASH_CRASH_${1^^}
	crash=${!override:-$crash}
	[ -f "$ext" ] || { echo "missing $ext: run make (and make arm64)" >&2; exit 1; }
	sets+=(--set "$1:$2:$crash:$ext")
}
if [ -n "${OVSCRASH_TASKS_SETS:-}" ]; then
	for s in $OVSCRASH_TASKS_SETS; do
		add_set "${s%%:*}" "${s#*:}"
	done
else
	for arch in ${OVSCRASH_ARCHES:-amd64 arm64}; do
		for line in $("$top/fixtures/lines.sh" "$arch"); do
			add_set "$arch" "$("$top/fixtures/mkfixture.sh" "$arch" "$line")"
		done
	done
fi
exec python3 "$top/tests/tasks/check.py" --out "$out" "${sets[@]}" "$@"
