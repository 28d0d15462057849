#!/usr/bin/env bats
# The real thing: Debian's qemu-system-common installs
# /usr/share/qemu/vhost-user/50-qemu-virtiofsd.json and
# /usr/lib/qemu/virtiofsd, qemu-system-gui 50-qemu-gpu.json and
# /usr/lib/qemu/vhost-user-gpu; the default search path must find them,
# and their probes must work as root and as an unprivileged user.

load helpers
bats_require_minimum_version 1.5.0

setup_file() {
	local p missing=
	for p in qemu-system-common qemu-system-gui; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
			grep -q 'install ok installed' || missing="$missing $p"
	done
	[ -n "$missing" ] || return 0
	[ "$(id -u)" = 0 ] ||
		skip "not installed:$missing (run: sudo apt-get install$missing)"
	apt-get update -q >&2 &&
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
			--no-install-recommends $missing >&2
}

setup() {
	common_setup
	pin_setup
}

# What the tests read is Debian's two descriptors, and nothing an admin
# or another package added: in a mount namespace of our own, the search
# path's system directories hold exactly those (PIN: their copies).
# Without a mount namespace, a machine with more there is skipped, with
# the reason, rather than failing as if the tool were wrong.
pin_setup() {
	local d=/usr/share/qemu/vhost-user extra
	PIN=
	if unshare --mount --propagation private true 2>/dev/null; then
		PIN="$T/pin"
		mkdir -p "$PIN"
		cp -p "$d/50-qemu-gpu.json" "$d/50-qemu-virtiofsd.json" "$PIN/"
		return
	fi
	extra=$(ls -A /etc/qemu/vhost-user 2>/dev/null | head -1)
	[ -z "$extra" ] ||
		skip "local overrides in /etc/qemu/vhost-user ($extra), and no mount namespace to pin the search path"
	extra=$(ls -A "$d" | grep -vx -e 50-qemu-gpu.json -e 50-qemu-virtiofsd.json | head -1)
	[ -z "$extra" ] ||
		skip "$d holds more than Debian's descriptors ($extra), and no mount namespace to pin the search path"
}

# pinned CMD...: CMD on the pinned search path (see pin_setup).
pinned() {
	[ -n "$PIN" ] || { "$@"; return; }
	unshare --mount --propagation private -- bash -c '
		set -e
		pin=$1; shift
		mount -t tmpfs -o mode=755 tmpfs /usr/share/qemu/vhost-user
		cp -p "$pin"/*.json /usr/share/qemu/vhost-user/
		[ ! -d /etc/qemu/vhost-user ] ||
			mount -t tmpfs -o mode=755 tmpfs /etc/qemu/vhost-user
		exec "$@"' pinned "$PIN" "$@"
}

# real_vuf ARGS...: the tool, as vuf runs it, on the pinned search path.
real_vuf() {
	pinned "$VUF" --libvirt-version "$VUF_LIBVIRT" "$@"
}

# real_nobody ARGS...: nobody's copy of the tool, on the pinned search path.
real_nobody() {
	export -f as_nobody
	pinned bash -c 'as_nobody "$@"' real_nobody "$NB_VUF" "$@"
}

teardown() { as_nobody_teardown; }

@test "real: the default search path lists Debian's virtiofsd descriptor" {
	[ -f /usr/share/qemu/vhost-user/50-qemu-virtiofsd.json ] ||
		fail "qemu-system-common did not install its descriptor"
	run --separate-stderr real_vuf --system list --type fs
	assert_success
	assert_line "50-qemu-virtiofsd.json  fs  /usr/lib/qemu/virtiofsd  /usr/share/qemu/vhost-user/50-qemu-virtiofsd.json"
	run real_vuf --system list --json --type fs
	assert_success
	run jq -r '.[] | select(.name == "50-qemu-virtiofsd.json") | .description' <<<"$output"
	assert_output "QEMU virtiofsd vhost-user-fs"
}

@test "real: show finds it by name and prints the file as shipped" {
	run --separate-stderr real_vuf --system show 50-qemu-virtiofsd
	assert_success
	assert_output "$(jq . /usr/share/qemu/vhost-user/50-qemu-virtiofsd.json)"
}

@test "real: a user mask in ~/.config hides it, and --system does not see the mask" {
	mkdir -p "$HOME/.config/qemu/vhost-user"
	ln -s /dev/null "$HOME/.config/qemu/vhost-user/50-qemu-virtiofsd.json"
	run --separate-stderr real_vuf show 50-qemu-virtiofsd
	assert_failure 1
	stderr_is "vhost-user-find: 50-qemu-virtiofsd.json: masked by $HOME/.config/qemu/vhost-user/50-qemu-virtiofsd.json"
	run real_vuf --system show 50-qemu-virtiofsd
	assert_success
}

@test "real: Debian's vhost-user-gpu and virtiofsd probe, as root" {
	run --separate-stderr real_vuf --system caps 50-qemu-gpu
	assert_success
	assert_output "render-node
virgl"
	run --separate-stderr real_vuf --system caps 50-qemu-virtiofsd
	assert_success
	assert_output ""
	run --separate-stderr real_vuf --system match --type gpu --feature virgl
	assert_success
	assert_output /usr/lib/qemu/vhost-user-gpu
	run --separate-stderr real_vuf --system validate --probe
	assert_success
}

@test "real: Debian's vhost-user-gpu and virtiofsd probe, as nobody" {
	as_nobody_setup
	run --separate-stderr real_nobody --system caps 50-qemu-gpu
	assert_success
	assert_output "render-node
virgl"
	run --separate-stderr real_nobody --system caps --type fs
	assert_success
	assert_output ""
	run --separate-stderr real_nobody --system match --type gpu --feature render-node
	assert_success
	assert_output /usr/lib/qemu/vhost-user-gpu
}

@test "real: the search path the tests read is pinned to Debian's two descriptors" {
	run --separate-stderr real_vuf --system list
	assert_success
	assert_output "50-qemu-gpu.json        gpu  /usr/lib/qemu/vhost-user-gpu  /usr/share/qemu/vhost-user/50-qemu-gpu.json
50-qemu-virtiofsd.json  fs   /usr/lib/qemu/virtiofsd       /usr/share/qemu/vhost-user/50-qemu-virtiofsd.json"
	stderr_is ""
}
