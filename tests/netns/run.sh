#!/bin/bash
# The netns command and the namespace names shown by netdev, vport and
# triage (issue 13): real crash + ovscrash on the lockup and race dumps of
# every fixture set, checked against the manifests and crash's own list,
# mount and struct commands (tests/netns/check.py).
#   OVSCRASH_ARCHES="amd64 arm64" (default both)
#   OVSCRASH_NETNS_SETS="DIR ..." fixture set dirs to use instead of asking
#   fixtures/mkfixture.sh for them (the arch is the directory name's prefix)
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
export OVSCRASH_CACHE=${OVSCRASH_CACHE:-/var/cache/ovscrash}
crash_of() { "$top/scripts/build-crash.sh" "$1"; }
ext_of() {
	case "$1" in
	amd64) echo "$top/extension/ovscrash.so" ;;
	arm64) echo "$top/extension/ovscrash-arm64.so" ;;
	esac
}
target_of() { case "$1" in amd64) echo X86_64 ;; arm64) echo ARM64 ;; esac; }
sets=()
add() {	# arch set_dir
	local ext
	ext=$(ext_of "$1")
	[ -f "$ext" ] || { echo "missing $ext: run make (and make arm64)" >&2; exit 1; }
	sets+=(--set "$1:$2:$(crash_of "$(target_of "$1")"):$ext")
}
if [ -n "${OVSCRASH_NETNS_SETS:-}" ]; then
	for d in $OVSCRASH_NETNS_SETS; do
		arch=$(basename "$d"); arch=${arch%%-*}
		add "$arch" "$d"
	done
else
	for arch in ${OVSCRASH_ARCHES:-amd64 arm64}; do
		for line in $("$top/fixtures/lines.sh" "$arch"); do
			add "$arch" "$("$top/fixtures/mkfixture.sh" "$arch" "$line")"
		done
	done
fi
exec python3 "$top/tests/netns/check.py" "${sets[@]}" "$@"
