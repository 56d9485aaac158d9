#!/bin/bash
# scripts/ovscrash-crash from the tree, against a crafted libexec
# (OVSCRASH_LIBEXEC) whose "crash" builds print what they were run as, and
# crafted ELF headers: the arch choice (e_machine, --arch, the file after
# -i skipped, host default) and each one-line error.  No crash, no
# install.  Prints "ok: ..." / "FAIL: ..." lines; exit 1 on any failure.
# Called by tests/package/run.sh, which counts the lines.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
w=$(mktemp -d)
trap 'rm -rf "$w"' EXIT
fail=0
ok() { echo "ok: wrapper: $*"; }
bad() { echo "FAIL: wrapper: $*"; fail=1; }
wrap=$top/scripts/ovscrash-crash
host=$(uname -m); [ "$host" = aarch64 ] && host=arm64
other=arm64; [ "$host" = arm64 ] && other=x86_64

lx=$w/libexec
for c in crash "crash-$other"; do
	mkdir -p "$lx"
	printf '#!/bin/sh\necho "ran=$(basename "$0") ext=$CRASH_EXTENSIONS args=$*"\n' >"$lx/$c"
	chmod +x "$lx/$c"
done
for a in x86_64 arm64; do mkdir -p "$lx/extensions/$a" && : >"$lx/extensions/$a/ovscrash.so"; done
# ELF headers: 64 bytes, little-endian, e_machine 62 (x86_64), 183
# (aarch64), 40 (32-bit ARM); a big-endian one; a text file
python3 - "$w" <<'PY'
import struct, sys
d = sys.argv[1]
def elf(name, machine, data=1):
    h = bytearray(64)
    h[0:4] = b"\x7fELF"; h[4] = 2; h[5] = data; h[6] = 1
    struct.pack_into("<HH" if data == 1 else ">HH", h, 16, 2, machine)
    open(f"{d}/{name}", "wb").write(bytes(h))
elf("vmlinux-x86", 62); elf("vmlinux-arm64", 183); elf("vmlinux-arm32", 40)
elf("vmlinux-be", 62, data=2)
open(f"{d}/vmcore", "wb").write(b"KDUMP   " + bytes(56))
PY
arch_of() { sed -n 's/^ran=\([^ ]*\) ext=.*extensions\/\([a-z0-9_]*\) .*/\1 \2/p'; }
want() {	# DESCRIPTION EXPECTED-"ran ext" ARGS...
	local d=$1 e=$2 got
	shift 2
	got=$(OVSCRASH_LIBEXEC=$lx "$wrap" "$@" 2>&1 | arch_of)
	[ "$got" = "$e" ] && ok "$d -> $e" || bad "$d: expected '$e', got '$got'"
}
hc=crash oc=crash-$other
[ "$host" = x86_64 ] && { x=$hc; a=$oc; } || { x=$oc; a=$hc; }
want "x86_64 vmlinux (e_machine 62)" "$x x86_64" -s "$w/vmlinux-x86" "$w/vmcore"
want "arm64 vmlinux (e_machine 183)" "$a arm64" -s "$w/vmlinux-arm64" "$w/vmcore"
want "--arch arm64 overrides the vmlinux" "$a arm64" --arch arm64 "$w/vmlinux-x86" "$w/vmcore"
want "--arch amd64 (Debian's name)" "$x x86_64" --arch amd64 "$w/vmlinux-arm64" "$w/vmcore"
want "the ELF file after -i is crash's command file, not the vmlinux" "$x x86_64" \
	-i "$w/vmlinux-arm64" "$w/vmlinux-x86" "$w/vmcore"
want "no ELF file among the arguments: the host's crash" "$hc $host" "$w/vmcore"

# errors: one line on stderr naming the file or arch, exit 2, crash not run
err() {	# DESCRIPTION PATTERN ARGS...
	local d=$1 p=$2 o rc
	shift 2
	o=$(OVSCRASH_LIBEXEC=$lx "$wrap" "$@" 2>&1)
	rc=$?
	if [ $rc -eq 2 ] && [ "$(printf '%s\n' "$o" | wc -l)" -eq 1 ] && grep -q -- "$p" <<<"$o" &&
		! grep -q '^ran=' <<<"$o"; then
		ok "$d: $o"
	else
		bad "$d: rc $rc, output '$o' (wanted one line matching '$p', exit 2)"
	fi
}
err "32-bit ARM vmlinux" "vmlinux-arm32: an ELF file for a machine other than x86_64 or arm64" \
	"$w/vmlinux-arm32" "$w/vmcore"
err "big-endian ELF" "vmlinux-be: an ELF file for a machine other than" "$w/vmlinux-be" "$w/vmcore"
nl=$w/$'bad\n\e[31mname'
cp "$w/vmlinux-arm32" "$nl"
err "a file name with a newline and ESC: escaped, one line" "bad??\[31mname: an ELF file" "$nl" "$w/vmcore"
err "--arch ppc64" "--arch ppc64: unknown architecture" --arch ppc64 "$w/vmlinux-x86"
err "--arch without a value" "--arch needs x86_64 or arm64" --arch
cp "$w/vmlinux-x86" "$w/unreadable"
chmod 000 "$w/unreadable"
if [ "$(id -u)" -ne 0 ]; then
	err "unreadable vmlinux" "unreadable: cannot read the file" "$w/unreadable" "$w/vmcore"
else
	# root reads a mode-000 file: run the check as nobody through setpriv
	chmod 755 "$w" && chmod -R a+rX "$lx"
	o=$(OVSCRASH_LIBEXEC=$lx setpriv --reuid=nobody --regid=nogroup --clear-groups \
		"$wrap" "$w/unreadable" "$w/vmcore" 2>&1)
	rc=$?
	[ $rc -eq 2 ] && grep -q 'unreadable: cannot read the file' <<<"$o" && ok "unreadable vmlinux: $o" ||
		bad "unreadable vmlinux: rc $rc, '$o'"
fi
rm "$lx/crash-$other"
err "no private crash for the arch" "no crash for $other dumps ($lx/crash-$other is missing" \
	--arch "$other" "$w/vmcore"
rm "$lx/extensions/$host/ovscrash.so"
err "no extension for the arch" "no ovscrash.so for $host ($lx/extensions/$host/ovscrash.so is missing)" \
	"$w/vmcore"
exit $fail
