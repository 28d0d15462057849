#!/usr/bin/env bats
# The model of libvirt 11.3 (src/libvirt.c, SPEC §6 validate): on libvirt's
# own test tree it agrees with libvirt's tests and says nothing; on one
# small tree per divergence, validate says what libvirt 11.3 does there.

load helpers
bats_require_minimum_version 1.5.0

setup() {
	common_setup
	fake_backends_setup
	staged_root_setup
}

teardown() { as_nobody_teardown; }

# libvirt_tree: libvirt's tests/qemuvhostuserdata, rebuilt (its links as
# links): 50-gpu.json with 30- and 60- linking to it, etc's 40-gpu.json
# a relative link up to it, etc's empty 50-gpu.json masking the name,
# and an fs descriptor; two backends that answer as libvirt's do.
libvirt_tree() {
	cat >"$U/50-gpu.json" <<'JSON'
{
  "description": "QEMU vhost-user-gpu",
  "type": "gpu",
  "binary": "/usr/libexec/qemu/vhost-user/test-vhost-user-gpu",
  "tags": [
    "CONFIG_OPENGL_DMABUF=y"
  ]
}
JSON
	ln -s 50-gpu.json "$U/30-gpu.json"
	ln -s 50-gpu.json "$U/60-gpu.json"
	desc "$U/50-qemu-virtiofsd.json" fs /usr/libexec/qemu/vhost-user/test-virtiofsd \
		"virtiofsd vhost-user-fs"
	ln -s ../../../usr/share/qemu/vhost-user/50-gpu.json "$E/40-gpu.json"
	: >"$E/50-gpu.json"
	fake_backend "$X/test-vhost-user-gpu" '{"type": "gpu", "features": ["render-node", "virgl"]}'
	fake_backend "$X/test-virtiofsd" '{"type": "fs", "features": ["migrate-precopy"]}'
}

@test "libvirt's own test tree: list gives libvirt's precedence, match libvirt's choices" {
	libvirt_tree
	run --separate-stderr vuf --root "$R" list
	assert_success
	assert_output "30-gpu.json             gpu  /usr/libexec/qemu/vhost-user/test-vhost-user-gpu  $U/30-gpu.json
40-gpu.json             gpu  /usr/libexec/qemu/vhost-user/test-vhost-user-gpu  $E/40-gpu.json
50-qemu-virtiofsd.json  fs   /usr/libexec/qemu/vhost-user/test-virtiofsd       $U/50-qemu-virtiofsd.json
60-gpu.json             gpu  /usr/libexec/qemu/vhost-user/test-vhost-user-gpu  $U/60-gpu.json"
	stderr_is ""
	run --separate-stderr vuf --root "$R" list --all --type gpu
	assert_line --regexp "^masked +50-gpu.json .* mask: an empty file$"
	assert_line --regexp "^masked +50-gpu.json +gpu .* masked by $E/50-gpu.json$"
	run --separate-stderr vuf --root "$R" match --type gpu --file
	assert_success
	assert_output "$U/30-gpu.json"
	run --separate-stderr vuf --root "$R" match --type gpu --feature virgl --feature render-node
	assert_output /usr/libexec/qemu/vhost-user/test-vhost-user-gpu
	run --separate-stderr vuf --root "$R" match --type fs
	assert_output /usr/libexec/qemu/vhost-user/test-virtiofsd
	run --separate-stderr vuf --root "$R" caps --type fs
	assert_output migrate-precopy
}

@test "libvirt's own test tree: validate finds no divergence, with and without --probe" {
	libvirt_tree
	run --separate-stderr vuf --root "$R" validate
	assert_success
	stderr_lacks "libvirt"
	# Its gpu reports render-node: on a host with a render node.
	needs_mount_ns
	run --separate-stderr with_dri yes --root "$R" validate --probe
	assert_success
	stderr_lacks "libvirt"
}

@test "render-node: libvirt's gpu choice fails the guest on a host without a DRM render node" {
	libvirt_tree
	needs_mount_ns
	run --separate-stderr with_dri no --root "$R" validate --probe
	assert_success
	stderr_is "$U/30-gpu.json: warning: [VUF404] libvirt 11.3 would choose this gpu backend, which reports render-node, and then fail to start the guest: this host has no DRM render node (libvirt: cannot open directory '/dev/dri': No such file or directory)
6 files checked, 0 errors, 1 warning"
	# Unprobed, the gpu choice is not claimed.
	run --separate-stderr with_dri no --root "$R" validate
	stderr_is "6 files checked, 0 errors, 0 warnings"
}

# The notes below are the tool's words for what libvirt does; the
# tests of syntax and of the tool's own errors cut them short
# (vuf_libvirt_notes_cut), so each is said in full here.

@test "a syntax error: libvirt fails every lookup instead of skipping the file" {
	printf '{"type": "gpu", "binary": "/b",}\n' >"$U/50-comma.json"
	expect 1 '' "$U/50-comma.json:1:31: error: [VUF103] trailing comma before '}' (JSON allows none)
$U/50-comma.json: warning: [VUF400] libvirt 11.3 would fail every vhost-user lookup on this file instead of skipping it: its JSON parser cannot parse it
1 file checked, 1 error, 1 warning" -- --root "$R" validate
}

@test "a duplicate key: libvirt uses the file, with the last value" {
	printf '{"type": "gpu", "binary": "/b", "description": "d", "type": "net"}\n' >"$U/50-dup.json"
	expect 1 '' "$U/50-dup.json:1:58: error: [VUF102] duplicate object key near '\"type\"'
$U/50-dup.json: warning: [VUF401] libvirt 11.3 uses this file as a net backend: its JSON parser keeps the last value of a duplicate key
1 file checked, 1 error, 1 warning" -- --root "$R" validate
}

@test "no type, an unknown type, not an object: libvirt fails every lookup instead of skipping the file" {
	printf '{"binary": "/usr/bin/true", "description": "d"}' >"$U/10-notype.json"
	printf '{"type": "disk", "binary": "/usr/bin/true", "description": "d"}' >"$U/20-disk.json"
	printf '[1]' >"$U/30-array.json"
	expect 1 '' "$U/10-notype.json:1:1: error: [VUF106] missing required member 'type'
$U/10-notype.json: warning: [VUF400] libvirt 11.3 would fail every vhost-user lookup on this file instead of skipping it: it has no known 'type'
$U/20-disk.json:1:10: error: [VUF108] unknown type 'disk' (known types: 9p, balloon, block, caif, console, crypto, gpu, input, net, rng, rpmsg, rproc-serial, scsi, vsock, fs)
$U/20-disk.json: warning: [VUF400] libvirt 11.3 would fail every vhost-user lookup on this file instead of skipping it: it has no known 'type'
$U/30-array.json:1:1: error: [VUF105] not a JSON object but an array
$U/30-array.json: warning: [VUF400] libvirt 11.3 would fail every vhost-user lookup on this file instead of skipping it: it has no known 'type'
3 files checked, 3 errors, 3 warnings" -- validate "$U/10-notype.json" "$U/20-disk.json" "$U/30-array.json"
}

@test "a relative binary: libvirt does not reject the file, and passes over it once its probe fails" {
	printf '{"type": "gpu", "binary": "bin/b", "description": "d"}' >"$U/50-rel.json"
	expect 1 '' "$U/50-rel.json:1:27: error: [VUF109] member 'binary' is not an absolute path: 'bin/b'
$U/50-rel.json: warning: [VUF401] libvirt 11.3 does not reject this file: it does not check 'binary', and passes over it as a gpu backend once its probe fails
1 file checked, 1 error, 1 warning" -- --root "$R" validate
}

@test "a \\u0000 in a string: libvirt cuts the string there and uses the file" {
	printf '{"type": "gpu\\u0000x", "binary": "/b", "description": "d"}\n' >"$U/50-nul.json"
	run --separate-stderr vuf --root "$R" validate
	assert_failure 1
	stderr_has "$U/50-nul.json: warning: [VUF401] libvirt 11.3 uses this file as a gpu backend: its JSON parser cuts a string at U+0000"
}

# nested N INNER: a valid gpu descriptor with a value inside N arrays
# and objects, counting the descriptor's own object; INNER is what the
# innermost holds.
nested() {
	python3 -c 'import sys
n, inner = int(sys.argv[1]), sys.argv[2]
print("{\"type\": \"gpu\", \"binary\": \"/b\", \"description\": \"d\", \"x\": " + "[" * (n - 1) + inner + "]" * (n - 1) + "}")' "$1" "$2"
}

@test "nesting 32 deep: libvirt fails every lookup; 31, or an empty 32nd, is fine" {
	nested 32 1 >"$U/50-deep.json"
	run --separate-stderr vuf --root "$R" validate
	stderr_has "$U/50-deep.json: warning: [VUF400] libvirt 11.3 would fail every vhost-user lookup on this file: a value is nested 32 deep or more, past its JSON parser's limit"
	# The tool itself takes it: jansson's limit is far deeper.
	run --separate-stderr vuf --root "$R" list
	assert_output --partial 50-deep.json
	nested 31 1 >"$U/50-deep.json"
	run --separate-stderr vuf --root "$R" validate
	stderr_lacks "libvirt"
	nested 32 '' >"$U/50-deep.json"
	run --separate-stderr vuf --root "$R" validate
	stderr_lacks "libvirt"
}

@test "an empty XDG_CONFIG_HOME: libvirt's session daemon uses it as is" {
	# Pinned: the notes speak for the libvirt given, not the installed one.
	as_nobody_setup
	mkdir -p "$NB_TOP/home/.config/qemu/vhost-user"
	desc "$NB_TOP/home/.config/qemu/vhost-user/50-x.json" net /bin/true
	run --separate-stderr as_nobody env HOME="$NB_TOP/home" XDG_CONFIG_HOME= \
		"$NB_VUF" --libvirt-version "$VUF_LIBVIRT" validate
	stderr_has "warning: [VUF403] the session daemon of libvirt 11.3 reads /qemu/vhost-user, not $NB_TOP/home/.config/qemu/vhost-user: it takes XDG_CONFIG_HOME and HOME as they are"
	run --separate-stderr as_nobody env HOME="$NB_TOP/home" XDG_CONFIG_HOME=rel \
		"$NB_VUF" --libvirt-version "$VUF_LIBVIRT" validate
	stderr_has "warning: [VUF403] the session daemon of libvirt 11.3 reads rel/qemu/vhost-user, not $NB_TOP/home/.config/qemu/vhost-user"
	run --separate-stderr as_nobody env HOME="$NB_TOP/home" \
		"$NB_VUF" --libvirt-version "$VUF_LIBVIRT" validate
	stderr_lacks "session daemon"
}

@test "gpu: libvirt probes every candidate and skips one whose answer has no features" {
	desc "$U/10-plain.json" gpu "$B/fs-old"
	desc "$U/20-virgl.json" gpu "$B/gpu-virgl"
	run --separate-stderr vuf --dir "$U" validate --probe
	stderr_has "warning: [VUF404] libvirt 11.3 would choose $U/20-virgl.json for gpu; match chooses $U/10-plain.json (its answer has no 'features')"
	# Unprobed, the gpu choice is not claimed.
	run --separate-stderr vuf --dir "$U" validate
	stderr_lacks "would choose"
}

@test "fs: libvirt takes the first candidate even when its binary cannot start" {
	desc "$U/10-gone.json" fs /usr/libexec/virtiofsd-gone
	desc "$U/20-fs.json" fs /usr/libexec/qemu/vhost-user/virtiofsd
	fake_backend "$X/virtiofsd" '{"type": "fs"}'
	run --separate-stderr vuf --root "$R" match --type fs
	assert_output /usr/libexec/qemu/vhost-user/virtiofsd
	run --separate-stderr vuf --root "$R" validate
	stderr_has "$U/10-gone.json: warning: [VUF404] libvirt 11.3 would choose this fs backend although its binary cannot start (not found), and the guest would then fail to start; match chooses $U/20-fs.json"
	run --separate-stderr vuf --root "$R" validate --probe
	stderr_has "warning: [VUF404] libvirt 11.3 would choose $U/10-gone.json for fs; match chooses $U/20-fs.json"
}

@test "fs: a probe that prints something other than JSON is the one libvirt passes over" {
	desc "$U/10-text.json" fs "$B/text-first"
	desc "$U/20-fs.json" fs "$B/fs-old"
	run --separate-stderr vuf --dir "$U" validate --probe
	# match without features takes the first that can start: the same
	# as libvirt's first would be, were it not printing text.
	stderr_has "warning: [VUF404] libvirt 11.3 would choose $U/20-fs.json for fs; match chooses $U/10-text.json (its answer is not JSON)"
}

@test "files json-c takes and jansson does not: no note claims libvirt fails on them" {
	printf '{"type": "gpu", "binary": "/b", "description": "\\ud800"}\n' >"$U/10-surrogate.json"
	printf '{"type": "gpu", "binary": "/b", "description": "\300\200"}\n' >"$U/20-overlong.json"
	printf '{"type": "gpu", "binary": "/b", "description": "d", "x": NaN}\n' >"$U/30-nan.json"
	printf '{"type": "gpu", "binary": "/b", "description": "d", "x": 1.}\n' >"$U/40-dot.json"
	run --separate-stderr vuf --root "$R" validate
	assert_failure 1
	stderr_has "$U/10-surrogate.json:1:"
	stderr_lacks "would fail every vhost-user lookup"
	stderr_lacks "would choose"
	# A syntax error json-c rejects too is still said.
	printf '{"type": "gpu", "binary": "/b",}\n' >"$U/50-comma.json"
	run --separate-stderr vuf --root "$R" validate
	stderr_has "$U/50-comma.json: warning: [VUF400] libvirt 11.3 would fail every vhost-user lookup on this file instead of skipping it: its JSON parser cannot parse it"
}
