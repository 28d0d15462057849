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

setup() { common_setup; }

teardown() { as_nobody_teardown; }

@test "real: the default search path lists Debian's virtiofsd descriptor" {
	[ -f /usr/share/qemu/vhost-user/50-qemu-virtiofsd.json ] ||
		fail "qemu-system-common did not install its descriptor"
	run --separate-stderr vuf --system list --type fs
	assert_success
	assert_line "50-qemu-virtiofsd.json  fs  /usr/lib/qemu/virtiofsd  /usr/share/qemu/vhost-user/50-qemu-virtiofsd.json"
	run vuf --system list --json --type fs
	assert_success
	run jq -r '.[] | select(.name == "50-qemu-virtiofsd.json") | .description' <<<"$output"
	assert_output "QEMU virtiofsd vhost-user-fs"
}

@test "real: show finds it by name and prints the file as shipped" {
	run --separate-stderr vuf --system show 50-qemu-virtiofsd
	assert_success
	assert_output "$(jq . /usr/share/qemu/vhost-user/50-qemu-virtiofsd.json)"
}

@test "real: a user mask in ~/.config hides it, and --system does not see the mask" {
	mkdir -p "$HOME/.config/qemu/vhost-user"
	ln -s /dev/null "$HOME/.config/qemu/vhost-user/50-qemu-virtiofsd.json"
	run --separate-stderr vuf show 50-qemu-virtiofsd
	assert_failure 1
	stderr_is "vhost-user-find: 50-qemu-virtiofsd.json: masked by $HOME/.config/qemu/vhost-user/50-qemu-virtiofsd.json"
	run vuf --system show 50-qemu-virtiofsd
	assert_success
}

@test "real: Debian's vhost-user-gpu and virtiofsd probe, as root" {
	run --separate-stderr vuf --system caps 50-qemu-gpu
	assert_success
	assert_output "render-node
virgl"
	run --separate-stderr vuf --system caps 50-qemu-virtiofsd
	assert_success
	assert_output ""
	run --separate-stderr vuf --system match --type gpu --feature virgl
	assert_success
	assert_output /usr/lib/qemu/vhost-user-gpu
	run --separate-stderr vuf --system validate --probe
	assert_success
}

@test "real: Debian's vhost-user-gpu and virtiofsd probe, as nobody" {
	as_nobody_setup
	run --separate-stderr as_nobody "$NB_VUF" --system caps 50-qemu-gpu
	assert_success
	assert_output "render-node
virgl"
	run --separate-stderr as_nobody "$NB_VUF" --system caps --type fs
	assert_success
	assert_output ""
	run --separate-stderr as_nobody "$NB_VUF" --system match --type gpu --feature render-node
	assert_success
	assert_output /usr/lib/qemu/vhost-user-gpu
}
