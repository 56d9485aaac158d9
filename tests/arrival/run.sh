#!/bin/bash
# Triage on arrival (issue 14): ovscrash-arrival run as the
# ovscrash-triage.service unit runs it, on a kdump-tools /var/crash tree
# made of the amd64 and arm64 fixture dumps, and the units checked by
# systemd-analyze verify (tests/arrival/check.py, docs/arrival.md).
# Ends with "arrival: N passed, M failed".
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
export OVSCRASH_CACHE=${OVSCRASH_CACHE:-/var/cache/ovscrash}
crash=$("$top/scripts/build-crash.sh" X86_64)
set_dir=$("$top/fixtures/mkfixture.sh" amd64)
set_dir_arm64=$("$top/fixtures/mkfixture.sh" arm64)
work=$(mktemp -d "${TMPDIR:-/tmp}/ovscrash-arrival.XXXXXX")
trap 'rm -rf "$work"' EXIT
/usr/bin/python3 "$top/tests/arrival/check.py" --top "$top" --fixtures "$set_dir" \
	--fixtures-arm64 "$set_dir_arm64" --crash "$crash" --work "$work" "$@"
