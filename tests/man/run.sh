#!/bin/bash
# The man pages (issue 14): every page of man/*.scd renders with scdoc and
# man/groff without a warning; ovscrash(7) has a section naming every
# option of every command crash lists for the extension; every option of
# ovscrash-batch, -report, -log (and ovscrash-crash, ovscrash-arrival where
# the tree has them, and ovscrash-watch) appears in its page, and no page offers an option the
# program lacks; every top-level member of real -j documents, of a real
# batch result and report (amd64 6.1 lockup fixture) is in ovscrash-json(5),
# and every JSON example there parses and has the members of the real
# document.  Prints PASS/FAIL lines, then "man: N passed, M failed".
#   OVSCRASH_MAN_FIXTURE=DIR  a lockup fixture dir (vmcore, vmlinux) to use
#   instead of the amd64 set's lockup; "" for no fixture checks (skipped)
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
export OVSCRASH_CACHE=${OVSCRASH_CACHE:-/var/cache/ovscrash}
out=${OVSCRASH_TEST_OUT:-$top/tests/out}/man
mkdir -p "$out"
make -s -C "$top" man
make -s -C "$top" watch	# ovscrash-watch(8) is checked against its --help
args=()
if [ -z "${OVSCRASH_MAN_FIXTURE+set}" ]; then
	make -s -C "$top"
	set_dir=$(OVSCRASH_LINES=bookworm "$top/fixtures/mkfixture.sh" amd64 bookworm)
	args+=(--fixture "$set_dir/lockup" --crash "$("$top/scripts/build-crash.sh" X86_64)")
elif [ -n "$OVSCRASH_MAN_FIXTURE" ]; then
	make -s -C "$top"
	args+=(--fixture "$OVSCRASH_MAN_FIXTURE" --crash "$("$top/scripts/build-crash.sh" X86_64)")
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/ovscrash-man.XXXXXX")
trap 'rm -rf "$work"' EXIT
python3 "$top/tests/man/check.py" --top "$top" --work "$work" --out "$out" ${args[@]+"${args[@]}"} "$@"
