#!/bin/bash
# Faults of the batch run and a hostile archive (issue 11), on the real
# project crash and real fixture dumps (the amd64 set's healthy and lockup
# vmcores, copied): a crash SIGKILLed, the batch SIGTERMed and SIGKILLed
# during extraction, probing and gdb-add-index, Ctrl-C on a pty, a crash
# that hangs and one that dies at start-up, ENOSPC on the output and the
# scratch directory (1 MiB tmpfs mounts: needs root), a read-only dump
# tree, and an archive of 1,000 hostile entries made at test time.  Every
# check asserts the reason recorded, no result lost, no temp file or
# process left, the exit status, and that a rerun finishes the rest.
# Prints PASS/FAIL lines and `faults: N passed, M failed`.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
export OVSCRASH_CACHE=${OVSCRASH_CACHE:-/var/cache/ovscrash}
crash=$("$top/scripts/build-crash.sh" X86_64)
set_dir=$("$top/fixtures/mkfixture.sh" amd64)
[ -f "$top/extension/ovscrash.so" ] || make -s -C "$top" extension/ovscrash.so
out=${OVSCRASH_TEST_OUT:-$top/tests/out}/faults
mkdir -p "$out"
work=$(mktemp -d "${TMPDIR:-/tmp}/faults-work.XXXXXX")
# (a mount left by a killed run is undone before the removal)
trap 'set +e; for m in "$work"/mnt/*; do mountpoint -q "$m" && umount "$m"; done 2>/dev/null; rm -rf "$work"' EXIT
py=/usr/bin/python3; [ -x "$py" ] || py=python3
"$py" "$top/tests/faults/faults.py" --top "$top" --crash "$crash" \
	--ext "$top/extension/ovscrash.so" --fixtures "$set_dir" --work "$work" --out "$out" "$@"
