#!/bin/bash
# Integration tests: real crash + ovscrash on the real fixture vmcores of
# each architecture, checked against the manifests the generator wrote.
#   OVSCRASH_ARCHES="amd64 arm64" (default both)
#   OVSCRASH_LINES="bookworm bullseye bookworm-backports" (default: the
#   three Debian kernel lines on amd64, bookworm and bullseye on arm64;
#   a line the arch has no fixtures of is skipped)
#   OVSCRASH_CHECK_SCENARIOS="lockup hostile ..." (default: every scenario;
#   not OVSCRASH_SCENARIOS, which makes mkfixture.sh build another set)
#   OVSCRASH_CHECK_PACKAGING=0 skips `make install` and the build against
#   Debian's crash (they use the plain extension, whatever is loaded)
#   OVSCRASH_EXT_AMD64, OVSCRASH_EXT_ARM64: another extension build to
#   load (tests/asan/run.sh: the ASan one); OVSCRASH_CRASH_AMD64,
#   OVSCRASH_CRASH_ARM64: another crash command (its ASan wrapper)
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
export OVSCRASH_CACHE=${OVSCRASH_CACHE:-/var/cache/ovscrash}
out=${OVSCRASH_TEST_OUT:-$top/tests/out}
mkdir -p "$out"
sets=()
for arch in ${OVSCRASH_ARCHES:-amd64 arm64}; do
	case "$arch" in
	amd64) target=X86_64 ext="$top/extension/ovscrash.so" ;;
	arm64) target=ARM64 ext="$top/extension/ovscrash-arm64.so" ;;
	*) echo "unknown arch $arch" >&2; exit 1 ;;
	esac
	crash=$("$top/scripts/build-crash.sh" "$target")
	override=OVSCRASH_EXT_${arch^^}
	ext=${!override:-$ext}
	override=OVSCRASH_CRASH_${arch^^}
	crash=${!override:-$crash}
	[ -f "$ext" ] || { echo "missing $ext: run make (and make arm64)" >&2; exit 1; }
	for line in $("$top/fixtures/lines.sh" "$arch"); do
		set_dir=$("$top/fixtures/mkfixture.sh" "$arch" "$line")
		sets+=(--set "$arch:$set_dir:$crash:$ext")
	done
done
exec python3 "$top/tests/integration/check.py" --out "$out" "${sets[@]}" "$@"
