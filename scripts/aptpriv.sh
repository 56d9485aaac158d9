# Sourced helper: a private APT configuration, so the project can read
# other suites (sid sources) or other architectures (arm64 binaries)
# without changing the host's dpkg/apt setup.
#   aptpriv_init DIR "SUITE" "deb|deb-src" [ARCHS]
#   aptpriv DIR <apt-get args...>

# The host's own Debian mirror, read from its APT sources (never hard-coded).
aptpriv_mirror() {
	m=$(grep -h '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null |
		awk '{print $2}' | grep -v security | grep -i debian | head -n1)
	[ -n "$m" ] || m=$(grep -h '^deb ' /etc/apt/sources.list 2>/dev/null |
		awk '{print $2}' | grep -v security | head -n1)
	[ -n "$m" ] || { echo "aptpriv: no Debian mirror in /etc/apt" >&2; return 1; }
	echo "$m"
}

aptpriv_init() {
	d=$1 suite=$2 kind=$3 archs=${4:-amd64}
	mkdir -p "$d/lists/partial" "$d/cache/archives/partial" "$d/etc"
	mirror=$(aptpriv_mirror) || return 1
	echo "$kind [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror $suite main" >"$d/etc/sources.list"
	: >"$d/etc/status"
	cat >"$d/etc/apt.conf" <<EOC
Dir::Etc::SourceList "$d/etc/sources.list";
Dir::Etc::SourceParts "/dev/null";
Dir::State::Lists "$d/lists";
Dir::Cache "$d/cache";
APT::Architectures { $(for a in $archs; do printf '"%s"; ' "$a"; done)};
APT::Get::AllowUnauthenticated "false";
EOC
	APT_CONFIG="$d/etc/apt.conf" apt-get -q update >"$d/update.log" 2>&1 ||
		{ echo "aptpriv: apt-get update failed, see $d/update.log" >&2; return 1; }
}

aptpriv() {
	d=$1; shift
	APT_CONFIG="$d/etc/apt.conf" apt-get "$@"
}
