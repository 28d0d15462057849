#!/usr/bin/env bats
# --root DIR is a root, not a prefix (SPEC §3): every path under it —
# the directories, their links, binary and every link on its way — is
# resolved as if DIR were /, so a staged tree's absolute links find the
# staged files and ".." never leaves DIR.

load helpers
bats_require_minimum_version 1.5.0

setup() {
	common_setup
	fake_backends_setup
	R="$T/stage"
	mkdir -p "$R/usr/share/qemu/vhost-user" "$R/etc/qemu/vhost-user" \
		"$R/usr/lib/qemu" "$R/usr/libexec"
}

@test "--root: an absolute link to a descriptor finds the staged file" {
	desc "$R/usr/share/qemu/vhost-user/50-gpu.json" gpu /usr/libexec/gpu
	ln -s /usr/share/qemu/vhost-user/50-gpu.json "$R/etc/qemu/vhost-user/40-gpu.json"
	run --separate-stderr vuf --root "$R" list
	assert_success
	assert_output "40-gpu.json  gpu  /usr/libexec/gpu  $R/etc/qemu/vhost-user/40-gpu.json
50-gpu.json  gpu  /usr/libexec/gpu  $R/usr/share/qemu/vhost-user/50-gpu.json"
	stderr_is ""
}

@test "--root: an absolute link to a binary finds the staged backend and runs it" {
	cp "$B/gpu-virgl" "$R/usr/lib/qemu/vhost-user-gpu"
	ln -s /usr/lib/qemu/vhost-user-gpu "$R/usr/libexec/vhost-user-gpu"
	desc "$R/usr/share/qemu/vhost-user/50-gpu.json" gpu /usr/libexec/vhost-user-gpu
	run --separate-stderr vuf --root "$R" match --type gpu --feature virgl
	assert_success
	assert_output /usr/libexec/vhost-user-gpu
	assert_exists "$FAKE_DIR/ran.gpu-virgl"
	run --separate-stderr vuf --root "$R" validate --strict
	assert_success
}

@test "--root: a link to a path only the host has is missing, and the host's file is not run" {
	# /bin/true exists on the host, not in the stage.
	ln -s /bin/true "$R/usr/libexec/true"
	desc "$R/usr/share/qemu/vhost-user/50-net.json" net /usr/libexec/true
	run --separate-stderr vuf --root "$R" match --type net
	assert_failure 1
	stderr_is "vhost-user-find: $R/usr/share/qemu/vhost-user/50-net.json: /usr/libexec/true: not found (looked for $R/usr/libexec/true)
vhost-user-find: no net backend with an executable binary"
}

@test "--root: .. in binary never climbs out of DIR" {
	desc "$R/usr/share/qemu/vhost-user/50-net.json" net /../../../../../bin/true
	run --separate-stderr vuf --root "$R" match --type net
	assert_failure 1
	stderr_has "/../../../../../bin/true: not found"
	# Inside the stage, .. stops at DIR: /../bin/x is DIR/bin/x.
	mkdir -p "$R/bin"
	cp "$B/net" "$R/bin/x"
	desc "$R/usr/share/qemu/vhost-user/50-net.json" net /../../bin/x
	run --separate-stderr vuf --root "$R" match --type net
	assert_success
	assert_output /../../bin/x
}

@test "--root: a relative link climbing out of DIR stays inside it" {
	mkdir -p "$R/opt"
	cp "$B/net" "$R/opt/net"
	# ../../../../opt/net from DIR/usr/libexec climbs only to DIR.
	ln -s ../../../../../../opt/net "$R/usr/libexec/net"
	desc "$R/usr/share/qemu/vhost-user/50-net.json" net /usr/libexec/net
	run --separate-stderr vuf --root "$R" match --type net
	assert_success
	assert_output /usr/libexec/net
}

@test "--root: a descriptor linked to a host path is dangling in the stage" {
	desc "$T/host.json" gpu /usr/libexec/gpu
	ln -s "$T/host.json" "$R/etc/qemu/vhost-user/40-gpu.json"
	run --separate-stderr vuf --root "$R" list --all
	assert_success
	assert_output "ignored  40-gpu.json  -  -  $R/etc/qemu/vhost-user/40-gpu.json  dangling symbolic link"
}

@test "--root: a link to /dev/null is a mask, as on the target system" {
	desc "$R/usr/share/qemu/vhost-user/50-gpu.json" gpu /usr/libexec/gpu
	ln -s /dev/null "$R/etc/qemu/vhost-user/50-gpu.json"
	run --separate-stderr vuf --root "$R" list --all
	assert_success
	assert_output "masked  50-gpu.json  -    -                 $R/etc/qemu/vhost-user/50-gpu.json        mask: a link to /dev/null
masked  50-gpu.json  gpu  /usr/libexec/gpu  $R/usr/share/qemu/vhost-user/50-gpu.json  masked by $R/etc/qemu/vhost-user/50-gpu.json"
}

@test "--root: the directories themselves may be absolute links inside DIR" {
	rm -r "$R/etc/qemu/vhost-user"
	mkdir -p "$R/srv/admin"
	ln -s /srv/admin "$R/etc/qemu/vhost-user"
	desc "$R/srv/admin/50-gpu.json" gpu /usr/libexec/gpu
	run --separate-stderr vuf --root "$R" list
	assert_success
	# Named where it is: the host's /srv/admin is not the stage's.
	assert_output "50-gpu.json  gpu  /usr/libexec/gpu  $R/srv/admin/50-gpu.json"
}

@test "--root: caps runs the staged backend through its absolute link" {
	cp "$B/gpu-render" "$R/usr/lib/qemu/gpu"
	ln -s /usr/lib/qemu/gpu "$R/usr/libexec/gpu"
	desc "$R/usr/share/qemu/vhost-user/50-gpu.json" gpu /usr/libexec/gpu
	run --separate-stderr vuf --root "$R" caps 50-gpu
	assert_success
	assert_output render-node
	run --separate-stderr vuf --root "$R" caps --type gpu
	assert_success
	assert_output render-node
}

@test "--root: a chain of links that ends at /dev/null masks too" {
	desc "$R/usr/share/qemu/vhost-user/50-gpu.json" gpu /usr/libexec/gpu
	desc "$R/usr/share/qemu/vhost-user/60-gpu.json" gpu /usr/libexec/gpu
	desc "$R/usr/share/qemu/vhost-user/70-gpu.json" gpu /usr/libexec/gpu
	ln -s /dev/null "$R/etc/qemu/vhost-user/null"
	ln -s null "$R/etc/qemu/vhost-user/50-gpu.json"
	ln -s ../../../dev/null "$R/etc/qemu/vhost-user/60-gpu.json"
	ln -s /dev//./null "$R/etc/qemu/vhost-user/70-gpu.json"
	run --separate-stderr vuf --root "$R" list
	assert_failure 1
	assert_output ""
	run --separate-stderr vuf --root "$R" list --all
	assert_line --regexp "^masked +50-gpu.json .* mask: a link to /dev/null$"
	assert_line --regexp "^masked +60-gpu.json .* mask: a link to /dev/null$"
	assert_line --regexp "^masked +70-gpu.json .* mask: a link to /dev/null$"
}

@test "--root: a printed descriptor path never names the host's file the stage's link led away from" {
	mkdir -p "$R/srv/admin"
	rmdir "$R/etc/qemu/vhost-user"
	# On the host, /srv/admin is not the stage's: the path must say so.
	ln -s /srv/admin "$R/etc/qemu/vhost-user"
	desc "$R/srv/admin/50-gpu.json" gpu /usr/libexec/gpu "staged"
	cp "$B/gpu-virgl" "$R/usr/libexec/gpu"
	run --separate-stderr vuf --root "$R" match --type gpu --file
	assert_success
	assert_output "$R/srv/admin/50-gpu.json"
	run jq -r .description "$output"
	assert_output staged
	# Where the host finds the same directory, the path is as given.
	rm "$R/etc/qemu/vhost-user"
	mkdir "$R/etc/qemu/vhost-user"
	desc "$R/etc/qemu/vhost-user/50-gpu.json" gpu /usr/libexec/gpu
	run --separate-stderr vuf --root "$R" match --type gpu --file
	assert_output "$R/etc/qemu/vhost-user/50-gpu.json"
}
