#!/bin/sh
# Which crash version a defs.h belongs to, as that crash's build_version
# holds it (what `crash --version` prints after "crash "): the version the
# extension records for its load-time guard (extension/guard.c).
#
#   crash-version.sh DIR     DIR holds the defs.h the extension is built with
#
# Asks, in order: DIR/crash --version (the project's crash build dir holds
# its binary beside defs.h); the crash binary of the Debian package that
# owns DIR/defs.h (/usr/include/crash: package crash, /usr/bin/crash);
# DIR/version (a Debian source version, "9.0.2+~16.3-1": its upstream part).
# Prints nothing and fails with one line on stderr when none answers.
set -u
dir=${1:?usage: crash-version.sh DIR}

# the first "crash 9.0.2" line of `crash --version` (a blank line precedes it)
ask() {
	"$1" --version 2>/dev/null | awk '$1 == "crash" && $2 ~ /^[0-9]/ { print $2; exit }'
}

if [ -x "$dir/crash" ] && v=$(ask "$dir/crash") && [ -n "$v" ]; then
	echo "$v"
	exit 0
fi
if [ -f "$dir/defs.h" ] && pkg=$(dpkg-query -S "$(realpath "$dir/defs.h")" 2>/dev/null); then
	pkg=${pkg%%:*}
	bin=$(dpkg-query -L "$pkg" 2>/dev/null | grep -m1 '/bin/crash$')
	if [ -n "$bin" ] && [ -x "$bin" ] && v=$(ask "$bin") && [ -n "$v" ]; then
		echo "$v"
		exit 0
	fi
fi
if [ -s "$dir/version" ]; then
	# strip an epoch, then everything from the first +, ~ or - on
	v=$(sed -n '1{s/^[0-9]*://; s/[-+~].*//; p}' "$dir/version")
	if [ -n "$v" ]; then
		echo "$v"
		exit 0
	fi
fi
echo "crash-version.sh: cannot tell which crash '$dir/defs.h' belongs to (no $dir/crash, no Debian package owns it, no $dir/version): set OVSCRASH_CRASH_VERSION to what that crash's \`crash --version\` prints" >&2
exit 1
