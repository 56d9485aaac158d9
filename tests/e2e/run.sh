#!/bin/bash
# End-to-end test of ovscrash-batch + ovscrash-report on the real fixture
# vmcores of both arches (x86_64 and arm64 mixed in one archive, each read
# by its own crash): builds a .tar.zst archive of dumps and side files, a
# Debian -dbg style symbol store holding both vmlinux files and a .build-id
# store, runs the batch (1 and 2 workers, SIGKILL + resume, shards, an arch
# without crash), renders every report format and loads the HTML in
# headless chromium; then a Debian kdump-tools /var/crash tree made by
# tests/e2e/mkkdumptree.py (flattened dump.<stamp>, plain and compressed,
# dump-incomplete, vmcore.<stamp>) is triaged twice on one reassembly cache.
# Artifacts (reports, screenshot) go to tests/out/e2e/.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
export OVSCRASH_CACHE=${OVSCRASH_CACHE:-/var/cache/ovscrash}
crash=$("$top/scripts/build-crash.sh" X86_64)
set_dir=$("$top/fixtures/mkfixture.sh" amd64)
# arm64: the x86_64-hosted crash built with target=ARM64 (cached; ~10 min
# the first time) and the arm64 fixture set
crash_arm64=$("$top/scripts/build-crash.sh" ARM64)
set_dir_arm64=$("$top/fixtures/mkfixture.sh" arm64)
# the other kernel lines' sets (5.10, 6.12): their dumps join the scenario batch
extra=()
for arch in amd64 arm64; do
	for line in $("$top/fixtures/lines.sh" "$arch"); do
		[ "$line" = bookworm ] && continue
		d=$("$top/fixtures/mkfixture.sh" "$arch" "$line")
		extra+=(--fixtures-extra "$([ "$arch" = amd64 ] && echo x86_64 || echo arm64):$d")
	done
done
out=${OVSCRASH_TEST_OUT:-$top/tests/out}/e2e
mkdir -p "$out"
work=$(mktemp -d "${TMPDIR:-/tmp}/ovscrash-e2e.XXXXXX")
trap 'rm -rf "$work"' EXIT
py=/usr/bin/python3; [ -x "$py" ] || py=python3
"$py" "$top/tests/e2e/check.py" --top "$top" --crash "$crash" \
	--ext "$top/extension/ovscrash.so" --fixtures "$set_dir" \
	--crash-arm64 "$crash_arm64" --ext-arm64 "$top/extension/ovscrash-arm64.so" \
	--fixtures-arm64 "$set_dir_arm64" "${extra[@]}" --work "$work" --out "$out" "$@"
