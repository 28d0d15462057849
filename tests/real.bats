#!/usr/bin/env bats
# The real thing: Debian's qemu-system-common installs
# /usr/share/qemu/vhost-user/50-qemu-virtiofsd.json and
# /usr/lib/qemu/virtiofsd; the default search path must find them.

load helpers
bats_require_minimum_version 1.5.0

setup_file() {
	if ! dpkg-query -W -f='${Status}' qemu-system-common 2>/dev/null |
		grep -q 'install ok installed'; then
		[ "$(id -u)" = 0 ] ||
			skip "qemu-system-common is not installed (run: sudo apt-get install qemu-system-common)"
		apt-get update -q >&2 &&
			DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
				--no-install-recommends qemu-system-common >&2
	fi
}

setup() { common_setup; }

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
