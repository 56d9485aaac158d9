# Shared by the bench parts (sourced): $top and $cache set by the part,
# $bench_name names it in messages.

# fixture_set ARCH -> the set directory: mkfixture.sh's, else the newest
# complete cached set with a lockup dump (the host's 6.1 line first)
fixture_set() {
	local d
	if d=$("$top/fixtures/mkfixture.sh" "$1" 2>/dev/null) && [ -f "$d/.complete" ]; then
		echo "$d"
		return
	fi
	d=$(ls -td "$cache/fixtures/$1"-6.1.*/ "$cache/fixtures/$1"-*/ 2>/dev/null | while read -r s; do
		[ -f "$s/.complete" ] && [ -e "$s/lockup/vmcore" ] && { echo "${s%/}"; break; }
	done)
	[ -n "$d" ] || { echo "${bench_name:-bench}: no $1 fixture set" >&2; exit 1; }
	echo "${bench_name:-bench}: fixtures/mkfixture.sh $1 failed; using the newest complete set $d" >&2
	echo "$d"
}
