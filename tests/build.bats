#!/usr/bin/env bats
# Promises that no other file checks: build-time directories, the
# default deadline, JSON's final newline, match --root without features.

load helpers
bats_require_minimum_version 1.5.0

setup() {
	common_setup
	TOP=$(cd "$BATS_TEST_DIRNAME/.." && pwd)
	fake_backends_setup
}

@test "build: QEMU_DATADIR and SYSCONFDIR are set at build time, apart from PREFIX" {
	# A private copy, so the binary the suite runs is never rebuilt.
	mkdir "$T/b"
	cp -r "$TOP/Makefile" "$TOP/src" "$T/b/"
	make -s -C "$T/b" clean
	run make -s -C "$T/b" all QEMU_DATADIR=/opt/qemu-data SYSCONFDIR=/opt/etc PREFIX=/elsewhere
	assert_success
	run "$T/b/src/vhost-user-find" --system paths
	assert_success
	assert_output "/opt/qemu-data/vhost-user
/opt/etc/qemu/vhost-user"
	run "$T/b/src/vhost-user-find" --root "$T" paths
	assert_output "$T/opt/qemu-data/vhost-user
$T/opt/etc/qemu/vhost-user"
}

@test "probe: the default deadline is 5 s" {
	[ -z "${VUF_VALGRIND:-}" ] || skip "timing under valgrind"
	local start=$SECONDS
	run --separate-stderr vuf caps --binary "$B/hang"
	assert_failure 1
	stderr_is "vhost-user-find: $B/hang: timed out after 5 s"
	[ $((SECONDS - start)) -lt 15 ] || fail "took $((SECONDS - start)) s"
}

@test "json: every JSON answer ends with a newline" {
	mkdir -p "$T/d"
	desc "$T/d/50-gpu.json" gpu "$B/gpu-virgl"
	for cmd in "list --json" "list --all --json" "show 50-gpu" \
		"match --type gpu --json" "match --type gpu --feature virgl --json" \
		"match --type gpu --all --json" "caps 50-gpu --json"; do
		# $(...) would strip it: look at the last byte itself.
		run sh -c '"$1" --dir "$2" $3 | tail -c 1 | od -An -c' sh "$VUF" "$T/d" "$cmd"
		assert_success
		[ "$(echo $output)" = '\n' ] || fail "$cmd: last byte is '$output'"
	done
}

@test "match --root without features: the binary is checked under the root" {
	mkdir -p "$T/root/usr/share/qemu/vhost-user" "$T/root/opt"
	# /bin/true exists on this system but not under the root: rejected.
	desc "$T/root/usr/share/qemu/vhost-user/10-host.json" gpu /bin/true
	desc "$T/root/usr/share/qemu/vhost-user/20-staged.json" gpu /opt/gpu
	cp "$B/gpu-virgl" "$T/root/opt/gpu"
	run --separate-stderr vuf --root "$T/root" -v match --type gpu
	assert_success
	assert_output "/opt/gpu"
	stderr_is "vhost-user-find: $T/root/usr/share/qemu/vhost-user/10-host.json: /bin/true: not found (looked for $T/root/bin/true)
vhost-user-find: $T/root/usr/share/qemu/vhost-user/20-staged.json: /opt/gpu: selected (first by name that qualifies)"
	# No backend ran: no features were asked for.
	assert_not_exists "$FAKE_DIR/ran.gpu-virgl"
}
