#!/usr/bin/env bats
# caps NAME|PATH | --type TYPE | --binary BIN [--json] (SPEC §6): one
# backend's capabilities, found the way show finds a descriptor.

load helpers
bats_require_minimum_version 1.5.0

setup() {
	common_setup
	fake_backends_setup
	one_dir_setup
}

@test "caps NAME prints the features one per line, with or without .json" {
	desc "$D/50-gpu.json" gpu "$B/gpu-virgl"
	run --separate-stderr vuf --dir "$D" caps 50-gpu
	assert_success
	assert_output "virgl
render-node"
	stderr_is ""
	run --separate-stderr vuf --dir "$D" caps 50-gpu.json
	assert_success
	assert_output "virgl
render-node"
}

@test "caps takes the descriptor that takes effect for the name" {
	mkdir -p "$T/a" "$T/b"
	desc "$T/a/50-gpu.json" gpu "$B/gpu-virgl"
	desc "$T/b/50-gpu.json" gpu "$B/gpu-render"
	run --separate-stderr vuf --dir "$T/a" --dir "$T/b" caps 50-gpu
	assert_success
	assert_output render-node
}

@test "caps PATH probes that descriptor's backend" {
	desc "$T/elsewhere/x.json" gpu "$B/gpu-render"
	run --separate-stderr vuf --dir "$D" caps "$T/elsewhere/x.json"
	assert_success
	assert_output render-node
}

@test "no features prints nothing and succeeds" {
	desc "$D/50-fs.json" fs "$B/fs-old"
	run --separate-stderr vuf --dir "$D" caps 50-fs
	assert_success
	assert_output ""
	stderr_is ""
}

@test "unknown features are kept and printed" {
	desc "$D/50-gpu.json" gpu "$B/gpu-future"
	run --separate-stderr vuf --dir "$D" caps 50-gpu
	assert_success
	assert_output "virgl
hdr-10"
}

@test "--json prints the checked capabilities object" {
	desc "$D/50-gpu.json" gpu "$B/gpu-virgl"
	run --separate-stderr vuf --dir "$D" caps 50-gpu --json
	assert_success
	run jq -c . <<<"$output"
	assert_output '{"type":"gpu","features":["virgl","render-node"]}'
}

@test "--type takes the first descriptor of the type whose binary exists" {
	desc "$D/10-missing.json" gpu "$T/no-such-binary"
	desc "$D/20-render.json" gpu "$B/gpu-render"
	desc "$D/30-virgl.json" gpu "$B/gpu-virgl"
	run --separate-stderr vuf --dir "$D" caps --type gpu
	assert_success
	assert_output render-node
	assert_not_exists "$FAKE_DIR/ran.gpu-virgl"
}

@test "--type without a usable descriptor fails naming each candidate" {
	desc "$D/10-missing.json" gpu "$T/no-such-binary"
	run --separate-stderr vuf --dir "$D" caps --type gpu
	assert_failure 1
	stderr_is "vhost-user-find: $D/10-missing.json: $T/no-such-binary: not found
vhost-user-find: no gpu backend with an executable binary"
	run --separate-stderr vuf --dir "$D" caps --type input
	assert_failure 1
	stderr_is "vhost-user-find: no active input descriptor in the search path ($D)"
}

@test "--binary probes a binary directly, with no type to agree with" {
	run --separate-stderr vuf caps --binary "$B/net" --json
	assert_success
	run jq -c . <<<"$output"
	assert_output '{"type":"net"}'
}

@test "a failing probe exits 1 naming the descriptor and the binary" {
	desc "$D/50-gpu.json" gpu "$B/exit-3"
	run --separate-stderr vuf --dir "$D" caps 50-gpu
	assert_failure 1
	assert_output ""
	stderr_is "vhost-user-find: $D/50-gpu.json: $B/exit-3: exited with status 3"
}

@test "masked, invalid and absent names exit 1 with the reason" {
	: >"$D/50-masked.json"
	printf '{"type": "gpu"}\n' >"$D/50-broken.json"
	run --separate-stderr vuf --dir "$D" caps 50-masked
	assert_failure 1
	stderr_is "vhost-user-find: 50-masked.json: masked by $D/50-masked.json"
	run --separate-stderr vuf --dir "$D" caps 50-broken
	assert_failure 1
	stderr_is "vhost-user-find: $D/50-broken.json:1:1: missing required member 'binary'"
	run --separate-stderr vuf --dir "$D" caps 50-nothing
	assert_failure 1
	stderr_is "vhost-user-find: 50-nothing.json: no such descriptor in the search path"
}

@test "a name masked in a more specific directory names the mask and runs nothing" {
	mkdir -p "$T/a" "$T/b"
	desc "$T/a/50-gpu.json" gpu "$B/gpu-virgl"
	ln -s /dev/null "$T/b/50-gpu.json"
	run --separate-stderr vuf --dir "$T/a" --dir "$T/b" caps 50-gpu
	assert_failure 1
	stderr_is "vhost-user-find: 50-gpu.json: masked by $T/b/50-gpu.json"
	assert_not_exists "$FAKE_DIR/ran.gpu-virgl"
}

@test "with --root, caps runs ROOT+binary" {
	mkdir -p "$T/root/usr/libexec"
	cp "$B/gpu-render" "$T/root/usr/libexec/gpu"
	desc "$T/root/etc/qemu/vhost-user/50-gpu.json" gpu /usr/libexec/gpu
	run --separate-stderr vuf --root "$T/root" caps 50-gpu
	assert_success
	assert_output render-node
	run --separate-stderr vuf -v --root "$T/root" caps 50-gpu
	assert_success
	stderr_is "vhost-user-find: $T/root/etc/qemu/vhost-user/50-gpu.json: running $T/root/usr/libexec/gpu --print-capabilities $(containment)"
}

@test "usage errors: none or several of NAME, --type, --binary; unknown type" {
	run --separate-stderr vuf caps
	assert_failure 2
	assert_equal "${stderr_lines[0]}" "vhost-user-find: missing NAME, PATH, --type or --binary"
	run --separate-stderr vuf caps 50-gpu --type gpu
	assert_failure 2
	assert_equal "${stderr_lines[0]}" "vhost-user-find: give one of NAME|PATH, --type and --binary"
	run --separate-stderr vuf caps --type gpu --binary /bin/true
	assert_failure 2
	run --separate-stderr vuf caps a b
	assert_failure 2
	run --separate-stderr vuf caps --type gpus
	assert_failure 2
	assert_equal "${stderr_lines[0]}" "vhost-user-find: unknown type 'gpus' (did you mean 'gpu'?) (known types: 9p, balloon, block, caif, console, crypto, gpu, input, net, rng, rpmsg, rproc-serial, scsi, vsock, fs)"
	run --separate-stderr vuf caps --binary ''
	assert_failure 2
}

@test "caps -h prints the command's usage" {
	run --separate-stderr vuf caps -h
	assert_success
	assert_line --index 0 "Usage: vhost-user-find [OPTION]... caps NAME|PATH | --type TYPE | --binary BIN [--json]"
}

@test "real backend: caps on Debian's virtiofsd succeeds with no features" {
	[ -x /usr/lib/qemu/virtiofsd ] || skip "qemu-system-common is not installed"
	run --separate-stderr vuf caps 50-qemu-virtiofsd
	assert_success
	assert_output ""
	stderr_is ""
	run --separate-stderr vuf caps --type fs --json
	assert_success
	run jq -c . <<<"$output"
	assert_output '{"type":"fs"}'
}

@test "caps --type -v: the policy view of the choice, as match's" {
	mkdir -p "$T/1" "$T/2"
	desc "$T/1/10-masked.json" gpu "$B/gpu-render"
	: >"$T/2/10-masked.json"
	desc "$T/1/20-missing.json" gpu "$T/no-such-binary"
	desc "$T/1/30-virgl.json" gpu "$B/gpu-virgl"
	desc "$T/1/40-late.json" gpu "$B/gpu-marker"
	run --separate-stderr vuf_dirs_1_2 -v caps --type gpu
	assert_success
	assert_output "virgl
render-node"
	assert_equal "${stderr_lines[*]:0:4}" "vhost-user-find: $T/1/10-masked.json: $B/gpu-render: masked by $T/2/10-masked.json vhost-user-find: $T/1/20-missing.json: $T/no-such-binary: not found vhost-user-find: $T/1/30-virgl.json: $B/gpu-virgl: selected (first by name that qualifies) vhost-user-find: $T/1/40-late.json: $B/gpu-marker: not considered (after the winner)"
	assert_not_exists "$FAKE_DIR/ran.gpu-marker"
}
