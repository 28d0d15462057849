#!/usr/bin/env bats
# match --libvirt[=VERSION] (SPEC §6, §8, §10): what that libvirt would
# start for gpu or fs, by its rules, printed as match prints; exit 1 with
# libvirt's own error where it would fail.  The version is pinned (vuf),
# and so are the host's render nodes where they matter (with_dri).

load helpers
bats_require_minimum_version 1.5.0

setup() {
	common_setup
	fake_backends_setup
	one_dir_setup
	mkdir -p "$T/bin"
}

@test "match --libvirt: its value only after '=', gpu and fs only, no --all, --probe or other features" {
	expect 2 '' "vhost-user-find: unexpected argument '9.0'
Try 'vhost-user-find match --help' for more information." -- --dir "$D" match --type gpu --libvirt 9.0
	expect 2 '' "vhost-user-find: --libvirt: libvirt chooses vhost-user backends for gpu and fs only
Try 'vhost-user-find match --help' for more information." -- --dir "$D" match --type net --libvirt
	expect 2 '' "vhost-user-find: --libvirt and --all exclude each other
Try 'vhost-user-find match --help' for more information." -- --dir "$D" match --type gpu --libvirt --all
	expect 2 '' "vhost-user-find: --libvirt and --probe exclude each other
Try 'vhost-user-find match --help' for more information." -- --dir "$D" match --type gpu --libvirt --probe
	expect 2 '' "vhost-user-find: --libvirt: feature 'edid' is no part of a domain libvirt knows (virgl is a 3D domain, render-node one that names its render node)
Try 'vhost-user-find match --help' for more information." -- --dir "$D" match --type gpu --libvirt --feature edid
	# --libvirt=X.Y is --libvirt-version X.Y: two different ones conflict.
	expect 2 '' "vhost-user-find: --libvirt '9.0': another libvirt version was given already
Try 'vhost-user-find match --help' for more information." -- --dir "$D" match --type gpu --libvirt=9.0
}

@test "match --libvirt, gpu: every candidate probed, one without features passed over, the answer's type never read" {
	fake_backend "$T/bin/fs-answer" '{"type": "fs", "features": ["migrate-precopy"]}'
	desc "$D/10-plain.json" gpu "$B/fs-old"
	desc "$D/20-net.json" gpu "$B/net"
	desc "$D/30-fs.json" gpu "$T/bin/fs-answer"
	desc "$D/40-marker.json" gpu "$B/gpu-marker"
	# match itself takes the first that can start; libvirt, the third.
	expect 0 "$B/fs-old" '' -- --dir "$D" match --type gpu
	expect 0 "$T/bin/fs-answer" '' -- --dir "$D" match --type gpu --libvirt
	expect 0 "$D/30-fs.json" "vhost-user-find: $D/10-plain.json: $B/fs-old: its answer has no 'features'
vhost-user-find: $D/20-net.json: $B/net: its answer has no 'features'" -- -v --dir "$D" match --type gpu --libvirt --file
}

@test "match --libvirt --feature virgl: a 3D domain; a render node is looked for on the host" {
	desc "$D/10-render.json" gpu "$B/gpu-render"
	desc "$D/20-virgl.json" gpu "$B/gpu-virgl"
	needs_mount_ns
	run --separate-stderr with_dri yes --dir "$D" match --type gpu --libvirt --feature virgl
	assert_success
	assert_output "$B/gpu-virgl"
	stderr_is ""
	run --separate-stderr with_dri no --dir "$D" match --type gpu --libvirt --feature virgl
	assert_failure 1
	assert_output ""
	stderr_is "vhost-user-find: $D/20-virgl.json: reports render-node, and this host has no DRM render node
vhost-user-find: libvirt 11.3 would fail, saying: cannot open directory '/dev/dri': No such file or directory"
	# A domain that names its render node: nothing is looked for.
	run --separate-stderr with_dri no --dir "$D" match --type gpu --libvirt --feature render-node
	assert_success
	assert_output "$B/gpu-render"
}

@test "match --libvirt: none satisfies; libvirt's error, and each candidate's fate" {
	desc "$D/10-plain.json" gpu "$B/fs-old"
	desc "$D/20-gone.json" gpu /usr/libexec/vuf-gone
	printf '{"type": "gpu", "description": "no binary"}\n' >"$D/30-none.json"
	expect 1 '' "vhost-user-find: $D/10-plain.json: $B/fs-old: its answer has no 'features'
vhost-user-find: $D/20-gone.json: /usr/libexec/vuf-gone: its probe fails: not found
vhost-user-find: $D/30-none.json: no 'binary': its probe fails: no absolute 'binary'
vhost-user-find: libvirt 11.3 would fail, saying: operation failed: Unable to find a satisfying vhost-user-gpu" -- --dir "$D" match --type gpu --libvirt
}

@test "match --libvirt: a file libvirt cannot use first in line fails the lookup, by the version's parser" {
	printf '{"type": "gpu", "binary": "%s", "description": "d", "type": "gpu"}\n' "$B/gpu-marker" >"$D/10-dup.json"
	desc "$D/20-marker.json" gpu "$B/gpu-marker"
	VUF_LIBVIRT=9.0
	expect 1 '' "vhost-user-find: $D/10-dup.json: its JSON parser (yajl) refuses a duplicate key
vhost-user-find: libvirt 9.0 would fail, saying: internal error: unable to parse json file '$D/10-dup.json'" -- --dir "$D" match --type gpu --libvirt
	VUF_LIBVIRT=11.3
	expect 0 "$D/10-dup.json" '' -- --dir "$D" match --type gpu --libvirt --file
	printf '{"type": "disk", "binary": "/b", "description": "d"}\n' >"$D/05-disk.json"
	expect 1 '' "vhost-user-find: $D/05-disk.json: it has no known 'type'
vhost-user-find: libvirt 11.3 would fail, saying: internal error: unknown vhost-user type: 'disk'" -- --dir "$D" match --type gpu --libvirt
}

@test "match --libvirt, fs: 9.0 takes the first unprobed, 11.3 passes over one whose answer is not JSON" {
	desc "$D/10-text.json" fs "$B/text-first"
	desc "$D/20-fs.json" fs "$B/fs-old"
	VUF_LIBVIRT=9.0
	expect 0 "$B/text-first" '' -- --dir "$D" match --type fs --libvirt
	VUF_LIBVIRT=11.3
	expect 0 "$B/fs-old" '' -- --dir "$D" match --type fs --libvirt
	expect 0 "{
  \"name\": \"20-fs.json\",
  \"file\": \"$D/20-fs.json\",
  \"type\": \"fs\",
  \"binary\": \"$B/fs-old\",
  \"libvirt\": \"11.3\"
}" '' -- --dir "$D" match --type fs --libvirt --json
}

@test "match --libvirt: a probe the tool will not run stops the answer, in the tool's words" {
	# Writable by others: root probes it on no search path (SPEC §3.1).
	cp "$B/gpu-marker" "$T/bin/gpu"
	chmod 0777 "$T/bin/gpu"
	desc "$D/10-theirs.json" gpu "$T/bin/gpu"
	desc "$D/20-marker.json" gpu "$B/gpu-marker"
	run --separate-stderr vuf --dir "$D" match --type gpu --libvirt
	assert_failure 1
	assert_output ""
	stderr_is "vhost-user-find: cannot tell what libvirt 11.3 would choose: the tool does not run a probe it would run"
	run --separate-stderr vuf -v --dir "$D" match --type gpu --libvirt
	stderr_is "vhost-user-find: $D/10-theirs.json: $T/bin/gpu: the tool does not run its probe (not trusted: writable by others (mode 0777): chmod o-w $T/bin/gpu)
vhost-user-find: cannot tell what libvirt 11.3 would choose: the tool does not run a probe it would run"
}

@test "match --libvirt, fs: a first candidate that cannot be executed is chosen, and the guest fails" {
	desc "$D/10-gone.json" fs /usr/libexec/vuf-gone
	desc "$D/20-fs.json" fs "$B/fs-old"
	local out="vhost-user-find: $D/10-gone.json: its binary cannot be executed
vhost-user-find: libvirt VERSION would fail, saying: internal error: virtiofsd binary '/usr/libexec/vuf-gone' is not executable"
	# 9.0 takes it unprobed; 11.3 takes one whose probe cannot run.
	VUF_LIBVIRT=9.0
	expect 1 '' "${out/VERSION/9.0}" -- --dir "$D" match --type fs --libvirt
	VUF_LIBVIRT=11.3
	expect 1 '' "${out/VERSION/11.3}" -- --dir "$D" match --type fs --libvirt
	# match itself passes over it.
	expect 0 "$B/fs-old" '' -- --dir "$D" match --type fs
}
