#!/bin/bash
# The Debian package, built, checked, installed on this machine, used and
# removed (issue 14, deb; docs/packaging.md):
#   0. the ovscrash-crash wrapper from the tree (tests/package/wrapper.sh:
#      arch choice and one-line errors against a crafted libexec);
#   1. `make deb` (build/deb/), lintian on the .changes: any error or
#      warning tag that debian/ovscrash.lintian-overrides does not
#      override fails (tests/out/package/lintian.txt);
#   2. a file list of /usr /etc /var/lib (names; not /var/lib/dpkg,
#      /var/lib/apt, /var/cache, /tmp) before the install;
#   3. `apt-get install ./ovscrash_*.deb`, then: dpkg -L lists the layout;
#      ovscrash-crash with `extend ovscrash.so` (no path) + `triage -j` on
#      the amd64 and the arm64 lockup gives the manifest's verdict (the
#      arm64 one through the wrapper's e_machine choice); the private crash
#      alone finds /usr/lib/crash/extensions/ovscrash.so; the installed
#      ovscrash-batch (cwd and PATH outside the tree) + ovscrash-report on
#      copies of two fixture dumps give the manifests' verdicts; the man
#      pages render and `man -w` finds them; the systemd units are
#      installed but not enabled;
#   4. `apt-get purge ovscrash`: every path dpkg -L listed that was not
#      there before is gone, and the file list equals the one of step 2.
# The package is purged on every exit (trap), failed checks or not.  A
# file of the package's layout already on the machine and owned by no
# package (an earlier `make install`) is moved aside to
# tests/out/package/aside/ for the run and put back at the end.
# Needs root, the crash builds (scripts/build-crash.sh X86_64 and ARM64,
# cached) and the fixtures (fixtures/mkfixture.sh amd64 / arm64, cached).
# Ends with "package: N passed, M failed".
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
out=${OVSCRASH_TEST_OUT:-$top/tests/out}/package
rm -rf "$out"
mkdir -p "$out"
pass=0 fail=0 t0=$(date +%s)
ok() { echo "ok: $*"; pass=$((pass + 1)); }
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }
finish() {
	echo "package: took $(($(date +%s) - t0))s"
	echo "package: $pass passed, $fail failed"
	[ "$fail" -eq 0 ]
	exit
}
# check DESCRIPTION CMD...: one counted check, its output in checks.log
check() {
	local d=$1
	shift
	echo "## $d" >>"$out/checks.log"
	if "$@" >>"$out/checks.log" 2>&1; then ok "$d"; else bad "$d (tests/out/package/checks.log)"; fi
}

# the wrapper's arch choice and errors, from the tree (no install)
"$top/tests/package/wrapper.sh" >"$out/wrapper.txt" 2>&1
cat "$out/wrapper.txt"
pass=$((pass + $(grep -c '^ok: ' "$out/wrapper.txt")))
fail=$((fail + $(grep -c '^FAIL: ' "$out/wrapper.txt")))

if [ "$(id -u)" -ne 0 ]; then
	bad "not root: the package suite installs the .deb with apt-get"
	finish
fi
if dpkg-query -W -f '${Status}' ovscrash 2>/dev/null | grep -q 'installed\|config-files'; then
	bad "a package ovscrash is already on this machine: the suite would remove it (apt-get purge ovscrash first)"
	finish
fi
fx64=$("$top/fixtures/mkfixture.sh" amd64 2>/dev/null) && [ -d "$fx64/lockup" ] ||
	{ bad "no amd64 fixture set (fixtures/mkfixture.sh amd64)"; finish; }
fxa64=$("$top/fixtures/mkfixture.sh" arm64 2>/dev/null) && [ -d "$fxa64/lockup" ] ||
	{ bad "no arm64 fixture set (fixtures/mkfixture.sh arm64)"; finish; }

# -- 1. build and lintian
echo "== make deb (log: tests/out/package/build.log)"
tb=$(date +%s)
if make -C "$top" deb >"$out/build.log" 2>&1; then
	ok "make deb built $(cd "$top/build/deb" && ls ovscrash_*.deb) in $(($(date +%s) - tb))s"
else
	tail -n 20 "$out/build.log"
	bad "make deb failed (tests/out/package/build.log)"
	finish
fi
deb=$(ls "$top"/build/deb/ovscrash_*_*.deb | head -n1)
changes=$(ls "$top"/build/deb/ovscrash_*.changes | head -n1)
# the gate: lintian's own verdict on errors and warnings (overridden tags
# excluded); the listing for the report also shows the overridden ones
# (with --show-overrides lintian counts those as failures, so two runs)
lintian --fail-on error,warning --info --display-info "$changes" >"$out/lintian-gate.txt" 2>&1
lrc=$?
lintian --info --display-info --show-overrides "$changes" >"$out/lintian.txt" 2>&1
if [ $lrc -eq 0 ] && ! grep -qE '^[EW]: ' "$out/lintian-gate.txt" "$out/lintian.txt"; then
	ok "lintian: no error or warning tag left (tests/out/package/lintian.txt, $(grep -c '^O: ' "$out/lintian.txt") overridden)"
else
	grep -hE '^[EW]: ' "$out/lintian-gate.txt"
	bad "lintian: error or warning tags (rc $lrc; tests/out/package/lintian.txt)"
fi
dpkg-deb -c "$deb" >"$out/contents.txt"

# -- 2. what is there before; files of the layout moved aside
snapshot() {
	# names only; __pycache__ outside ovscrash_batch is left out: any
	# Python started on the machine meanwhile may write one
	find /usr /etc /var/lib -xdev \( -path /var/lib/dpkg -o -path /var/lib/apt \) -prune \
		-o -print 2>/dev/null | grep -v '/__pycache__\(/\|$\)' | LC_ALL=C sort
	find /usr/lib/python3/dist-packages/ovscrash_batch 2>/dev/null | LC_ALL=C sort
}
snapshot >"$out/before.txt"
aside=$out/aside
dpkg-deb --fsys-tarfile "$deb" | tar -t | sed 's|^\./|/|; s|/$||' | grep -v '^/$' >"$out/deb-paths.txt"
while read -r p; do
	[ -f "$p" ] || [ -L "$p" ] || continue
	dpkg -S "$p" >/dev/null 2>&1 && continue
	mkdir -p "$aside$(dirname "$p")"
	mv "$p" "$aside$p" && echo "moved aside (restored at the end): $p"
done <"$out/deb-paths.txt"
restore() {
	[ -d "$aside" ] || return 0
	(cd "$aside" && find . -type f -o -type l) | while read -r f; do
		mkdir -p "$(dirname "${f#.}")"
		mv -f "$aside/$f" "${f#.}" && echo "restored $f"
	done
}
apt_opts=(-y -q -o DPkg::Lock::Timeout=300)
cleanup() {
	if dpkg-query -W -f '${Status}' ovscrash 2>/dev/null | grep -q 'installed\|config-files'; then
		apt-get "${apt_opts[@]}" purge ovscrash >>"$out/apt.log" 2>&1
	fi
	restore
}
trap 'cleanup' EXIT
trap 'cleanup; exit 130' INT TERM

# -- 3. install, use
echo "== apt-get install ./$(basename "$deb") (log: tests/out/package/apt.log)"
if (cd "$(dirname "$deb")" && apt-get "${apt_opts[@]}" install "./$(basename "$deb")") >"$out/apt.log" 2>&1; then
	ok "apt-get install ./$(basename "$deb")"
else
	tail -n 20 "$out/apt.log"
	bad "apt-get install failed (tests/out/package/apt.log)"
	finish
fi
dpkg -L ovscrash >"$out/dpkg-L.txt"

layout=(/usr/bin/ovscrash-crash /usr/bin/ovscrash-batch /usr/bin/ovscrash-report
	/usr/bin/ovscrash-log /usr/lib/ovscrash/crash /usr/lib/ovscrash/crash-arm64
	/usr/lib/ovscrash/extensions/x86_64/ovscrash.so
	/usr/lib/ovscrash/extensions/arm64/ovscrash.so
	/usr/lib/crash/extensions/ovscrash.so
	/usr/lib/python3/dist-packages/ovscrash_batch/__init__.py
	/usr/lib/python3/dist-packages/ovscrash_batch/cli.py
	/usr/share/ovscrash/ovscrash-array.sbatch /usr/share/doc/ovscrash/copyright)
[ -f "$top/scripts/ovscrash-arrival" ] && layout+=(/usr/sbin/ovscrash-arrival)
[ -f "$top/data/crashrc" ] && layout+=(/usr/share/doc/ovscrash/examples/crashrc)
[ -f "$top/watch/ovscrash-watch.c" ] && layout+=(/usr/sbin/ovscrash-watch)
[ -f "$top/docs/guide.md" ] && layout+=(/usr/share/doc/ovscrash/guide.md /usr/share/doc/ovscrash/packaging.md)
[ -f "$top/docs/img/report.png" ] && layout+=(/usr/share/doc/ovscrash/img/report.png)
for u in "$top"/data/systemd/*.path "$top"/data/systemd/*.service; do
	[ -f "$u" ] && layout+=("/lib/systemd/system/$(basename "$u")")
done
for m in "$top"/man/*.scd; do
	[ -f "$m" ] || continue
	n=$(basename "$m" .scd)
	layout+=("/usr/share/man/man${n##*.}/$n.gz")
done
missing=()
for p in "${layout[@]}"; do
	grep -qxF "$p" "$out/dpkg-L.txt" && [ -e "$p" ] || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
	ok "dpkg -L ovscrash lists the ${#layout[@]} paths of the layout, each on disk"
else
	bad "dpkg -L ovscrash lacks (or the disk lacks): ${missing[*]}"
fi

# the installed watcher: linked against the shared libbpf, which the
# package's Depends names; its usage runs (tracing itself needs a kernel
# that allows it: tests/watch and tests/watch-guest)
if [ -f "$top/watch/ovscrash-watch.c" ]; then
	check "/usr/sbin/ovscrash-watch uses the shared libbpf, in the package's Depends; --help exits 0" \
		sh -c 'ldd /usr/sbin/ovscrash-watch | grep -q "libbpf\.so\.1 => /" &&
			dpkg-query -W -f "\${Depends}\n" ovscrash | tee /dev/stderr | grep -q "libbpf1" &&
			/usr/sbin/ovscrash-watch --help | grep -q -- "--mitigate-only"'
fi

# the installed docs read as in the tree: each relative link of an
# installed .md names a file installed beside it
check "the relative links of the installed docs (/usr/share/doc/ovscrash/*.md) resolve there" \
	python3 - /usr/share/doc/ovscrash <<'PY'
import glob, os, re, sys
bad = []
for md in glob.glob(os.path.join(sys.argv[1], "*.md")):
    for t in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", open(md, errors="replace").read()):
        if "://" in t or t.startswith("mailto:"):
            continue
        if not os.path.exists(os.path.join(os.path.dirname(md), t)):
            bad.append(f"{os.path.basename(md)}: {t}")
print("\n".join(bad) or "all resolve")
sys.exit(1 if bad else 0)
PY

# every run below: cwd and HOME outside the tree, PATH without it
run=$out/run
mkdir -p "$run/home"
cleanenv=(env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME="$run/home" LANG=C.UTF-8 TERM=dumb)
printf 'extend ovscrash.so\ntriage -j\nexit\n' >"$run/cmds"
for a in amd64 arm64; do
	fx=$fx64 ext=/usr/lib/ovscrash/extensions/x86_64/ovscrash.so
	[ $a = arm64 ] && fx=$fxa64 ext=/usr/lib/ovscrash/extensions/arm64/ovscrash.so
	(cd "$run" && timeout 300 "${cleanenv[@]}" ovscrash-crash -s --no_crashrc \
		"$fx/lockup/vmlinux" "$fx/lockup/vmcore" -i "$run/cmds") >"$run/crash-$a.txt" 2>&1 </dev/null
	check "ovscrash-crash, $a lockup: extend ovscrash.so (no path) loads $ext and triage -j gives the manifest's verdict" \
		"$top/tests/package/verdict.py" crash "$run/crash-$a.txt" "$fx/lockup/manifest.json" "$ext"
done
# the host-target build where a plain crash finds it: the private crash
# alone, CRASH_EXTENSIONS unset
(cd "$run" && timeout 300 "${cleanenv[@]}" /usr/lib/ovscrash/crash -s --no_crashrc \
	"$fx64/lockup/vmlinux" "$fx64/lockup/vmcore" -i "$run/cmds") >"$run/crash-plain.txt" 2>&1 </dev/null
check "the private crash without the wrapper: extend ovscrash.so loads /usr/lib/crash/extensions/ovscrash.so, verdict as the manifest's" \
	"$top/tests/package/verdict.py" crash "$run/crash-plain.txt" "$fx64/lockup/manifest.json" \
	/usr/lib/crash/extensions/ovscrash.so

# the installed batch and report on copies of two dumps (amd64 lockup,
# arm64 healthy: both private crashes, both verdicts), a symbol store of
# -dbg layout made of links to the fixtures' debug files
dumps=$run/dumps sym=$run/sym
for pair in "amd64-lockup:$fx64/lockup" "arm64-healthy:$fxa64/healthy"; do
	n=${pair%%:*} d=${pair#*:}
	mkdir -p "$dumps/$n"
	cp "$d/vmcore" "$d/vmcore-dmesg.txt" "$d/manifest.json" "$dumps/$n/"
	rel=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["kernel_release"])' "$d/manifest.json")
	mkdir -p "$sym/usr/lib/debug/boot" "$sym/usr/lib/debug/lib/modules/$rel/kernel/net/openvswitch"
	ln -sf "$(realpath "$d/vmlinux")" "$sym/usr/lib/debug/boot/vmlinux-$rel"
	ln -sf "$(realpath "$d/openvswitch.ko.debug")" \
		"$sym/usr/lib/debug/lib/modules/$rel/kernel/net/openvswitch/openvswitch.ko"
done
(cd "$run" && timeout 900 "${cleanenv[@]}" ovscrash-batch --out "$run/results" --symbols "$sym" \
	--index-cache "$run/idx" --full --no-progress-bar -j 2 "$dumps") >"$run/batch.txt" 2>&1 </dev/null
check "installed ovscrash-batch (cwd $run, PATH /usr/bin:/bin) on two dumps exits 0" test $? -eq 0
(cd "$run" && "${cleanenv[@]}" ovscrash-report "$run/results" --json "$run/report.json" \
	--md "$run/report.md" --html "$run/report.html") >"$run/report.txt" 2>&1 </dev/null
check "installed ovscrash-report writes the report" test $? -eq 0 -a -s "$run/report.json"
check "installed batch + report: each dump's verdict and signature are its manifest's, from crash with /usr/lib/ovscrash's crash and extension of its arch" \
	"$top/tests/package/verdict.py" report "$run/report.json" "$dumps"

# man pages: only when the tree has them (the i14-man branch)
pages=$(grep -E '^/usr/share/man/man[0-9]/.*\.gz$' "$out/dpkg-L.txt")
if [ -z "$pages" ]; then
	echo "skip: man pages: the package has none (no man/*.scd in this tree)"
else
	rendered=0 broken=""
	for p in $pages; do
		if [ "$(MANWIDTH=80 man -l "$p" 2>"$run/man-err.txt" | wc -l)" -gt 5 ] && [ ! -s "$run/man-err.txt" ]; then
			rendered=$((rendered + 1))
		else
			broken="$broken $p"
		fi
	done
	check "man -l renders each of the package's $(echo "$pages" | wc -l) man pages without a warning${broken:+ (not:$broken)}" \
		test -z "$broken"
	if grep -q '/man7/ovscrash.7.gz$' <<<"$pages"; then
		check "man -w ovscrash finds /usr/share/man/man7/ovscrash.7.gz" \
			test "$("${cleanenv[@]}" man -w ovscrash 2>&1)" = /usr/share/man/man7/ovscrash.7.gz
	fi
fi

# systemd units: installed, not enabled, nothing started
units=$(grep -E '^/lib/systemd/system/[^/]+\.(path|service)$' "$out/dpkg-L.txt")
if [ -z "$units" ]; then
	echo "skip: systemd units: the package has none (no data/systemd/ units in this tree)"
else
	en=$(find /etc/systemd/system /lib/systemd/system/*.wants -name 'ovscrash-*' 2>/dev/null)
	check "the systemd units are installed ($(echo $units)) and not enabled (no link under /etc/systemd/system${en:+: $en})" \
		test -z "$en"
fi

# state as the arrival unit leaves it (StateDirectory=ovscrash), which
# purge removes; only when no /var/lib/ovscrash was there before
state=/var/lib/ovscrash/arrival
if [ ! -e /var/lib/ovscrash ]; then
	mkdir -p "$state/done" && : >"$state/done/crafted-by-tests-package"
else
	state=
	echo "skip: purge of the arrival state: /var/lib/ovscrash existed before the install"
fi

# -- 4. purge; nothing left
cp "$out/dpkg-L.txt" "$out/listed.txt"
if apt-get "${apt_opts[@]}" purge ovscrash >>"$out/apt.log" 2>&1; then
	ok "apt-get purge ovscrash"
else
	bad "apt-get purge ovscrash failed (tests/out/package/apt.log)"
fi
left=()
while read -r p; do
	[ "$p" = /. ] && continue
	# a shared directory, there before (/lib/... through merged /usr's link)
	grep -qxF "$p" "$out/before.txt" && continue
	grep -qxF "$(readlink -f "$p")" "$out/before.txt" && continue
	[ -e "$p" ] || [ -L "$p" ] && left+=("$p")
done <"$out/listed.txt"
if [ ${#left[@]} -eq 0 ]; then
	ok "after purge no path dpkg -L listed is left (but the directories there before)"
else
	bad "left after purge: ${left[*]}"
fi
if [ -n "$state" ]; then
	check "purge removed the arrival state /var/lib/ovscrash" test ! -e /var/lib/ovscrash
fi
snapshot >"$out/after.txt"
if diff -u "$out/before.txt" "$out/after.txt" >"$out/snapshot.diff"; then
	ok "after purge /usr /etc /var/lib hold the same names as before the install ($(wc -l <"$out/before.txt") names)"
else
	head -n 40 "$out/snapshot.diff"
	bad "/usr /etc /var/lib differ from before the install (tests/out/package/snapshot.diff)"
fi
finish
