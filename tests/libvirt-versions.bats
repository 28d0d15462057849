#!/usr/bin/env bats
# The libvirt model per release (SPEC §8, §10): which libvirt the notes
# speak for (given, found from the library's name, or none), and the
# behaviours that differ between 9.x and 11.x on one small tree each.

load helpers
bats_require_minimum_version 1.5.0

teardown() { as_nobody_teardown; }

setup() {
	common_setup
	fake_backends_setup
	staged_root_setup
	dup_error="$U/50-dup.json:1:58: error: [VUF102] duplicate object key near '\"type\"'"
}

# A file the notes are about: a duplicate key, which every release
# models and which 9.x and 11.x judge otherwise.
dup_tree() {
	printf '{"type": "gpu", "binary": "/b", "description": "d", "type": "net"}\n' >"$U/50-dup.json"
}

# installed DIR VERSION-NAME [driver]: a staged libvirt library in DIR
# of the root, with its QEMU driver module when asked.
installed() {
	mkdir -p "$R$1"
	: >"$R$1/$2"
	if [ "${3:-}" = driver ]; then
		mkdir -p "$R$1/libvirt/connection-driver"
		: >"$R$1/libvirt/connection-driver/libvirt_driver_qemu.so"
	fi
}

@test "--libvirt-version: not a version, older than 9.0, or two versions on a line are usage errors" {
	run --separate-stderr "$VUF" --libvirt-version 9 validate
	assert_failure 2
	stderr_is "vhost-user-find: --libvirt-version '9': not a version X.Y or X.Y.Z
Try 'vhost-user-find --help' for more information."
	run --separate-stderr "$VUF" --libvirt-version 8.10 validate
	assert_failure 2
	stderr_is "vhost-user-find: --libvirt-version '8.10': older than the oldest libvirt modelled (9.0)
Try 'vhost-user-find --help' for more information."
	run --separate-stderr "$VUF" --libvirt-version 9.0 validate --libvirt-version 11.3
	assert_failure 2
	stderr_is "vhost-user-find: --libvirt-version '11.3': another libvirt version was given already
Try 'vhost-user-find validate --help' for more information."
	# The same version twice is no conflict.
	run --separate-stderr "$VUF" --libvirt-version 9.0 --dir "$U" validate --libvirt-version 9.0.0
	assert_success
}

@test "a duplicate key: libvirt 9.0 (yajl) fails every lookup; 11.3 (json-c) keeps the last value" {
	dup_tree
	VUF_LIBVIRT=9.0
	expect 1 '' "$dup_error
$U/50-dup.json: warning: [VUF400] libvirt 9.0 would fail every vhost-user lookup on this file instead of skipping it: its JSON parser (yajl) refuses a duplicate key
1 file checked, 1 error, 1 warning" -- --root "$R" validate
	VUF_LIBVIRT=11.3
	expect 1 '' "$dup_error
$U/50-dup.json: warning: [VUF401] libvirt 11.3 uses this file as a net backend: its JSON parser keeps the last value of a duplicate key
1 file checked, 1 error, 1 warning" -- --root "$R" validate
	# A file named is judged by the same rules.
	VUF_LIBVIRT=9.0
	expect 1 '' "$dup_error
$U/50-dup.json: warning: [VUF400] libvirt 9.0 would fail every vhost-user lookup on this file instead of skipping it: its JSON parser (yajl) refuses a duplicate key
1 file checked, 1 error, 1 warning" -- validate "$U/50-dup.json"
}

@test "nesting 40 deep: libvirt 9.0 takes it, 11.3 fails every lookup" {
	python3 -c 'print("{\"type\": \"gpu\", \"binary\": \"/bin/true\", \"description\": \"d\", \"x\": " + "[" * 39 + "1" + "]" * 39 + "}")' >"$U/50-deep.json"
	VUF_LIBVIRT=9.0
	expect 0 '' "$U/50-deep.json:1:60: warning: [VUF112] unknown member 'x'
1 file checked, 0 errors, 1 warning" -- --dir "$U" validate
	VUF_LIBVIRT=11.3
	expect 0 '' "$U/50-deep.json:1:60: warning: [VUF112] unknown member 'x'
$U/50-deep.json: warning: [VUF400] libvirt 11.3 would fail every vhost-user lookup on this file: a value is nested 32 deep or more, past its JSON parser's limit
1 file checked, 0 errors, 2 warnings" -- --dir "$U" validate
}

@test "fs: libvirt 9.0 takes the first candidate unprobed; 11.3 passes over one whose answer is not JSON; both against match and match --probe" {
	desc "$U/10-text.json" fs "$B/text-first"
	desc "$U/20-fs.json" fs "$B/fs-old"
	# match without features takes the first that can start, as 9.0 does.
	local probe_error="$U/10-text.json:4:13: error: [VUF302] probe of $B/text-first failed: output is not one JSON object: 1:8: '[' or '{' expected near 'starting'"
	# 9.0 agrees with match, not with match --probe: said too.
	VUF_LIBVIRT=9.0
	expect 1 '' "$probe_error
warning: [VUF404] libvirt 9.0 would choose $U/10-text.json for fs, unprobed; match chooses $U/10-text.json, match --probe $U/20-fs.json
2 files checked, 1 error, 1 warning" -- --dir "$U" validate --probe
	VUF_LIBVIRT=11.3
	expect 1 '' "$probe_error
warning: [VUF404] libvirt 11.3 would choose $U/20-fs.json for fs; match chooses $U/10-text.json (its answer is not JSON), match --probe $U/20-fs.json
2 files checked, 1 error, 1 warning" -- --dir "$U" validate --probe
}

@test "fs: libvirt 9.0 never runs its fs choice, even with --probe, and says it chose unprobed" {
	desc "$U/10-gone.json" fs /usr/libexec/virtiofsd-gone
	desc "$U/20-fs.json" fs "$B/fs-old"
	VUF_LIBVIRT=9.0
	expect 1 '' "$U/10-gone.json:4:13: error: [VUF302] probe of /usr/libexec/virtiofsd-gone failed: not found
$U/10-gone.json: warning: [VUF404] libvirt 9.0 would choose this fs backend although its binary cannot start (not found), and the guest would then fail to start; match chooses $U/20-fs.json
warning: [VUF404] libvirt 9.0 would choose $U/10-gone.json for fs, unprobed; match chooses $U/20-fs.json
2 files checked, 1 error, 2 warnings" -- --dir "$U" validate --probe
}

@test "the installed libvirt: its version from the library's name in the staged tree" {
	dup_tree
	installed /usr/lib libvirt.so.0.9000.0 driver
	run --separate-stderr "$VUF" --root "$R" validate
	assert_failure 1
	stderr_is "$dup_error
$U/50-dup.json: warning: [VUF400] libvirt 9.0 would fail every vhost-user lookup on this file instead of skipping it: its JSON parser (yajl) refuses a duplicate key
1 file checked, 1 error, 1 warning"
	# The multiarch directory is looked in first, and wins.
	installed "/usr/lib/$(cc -print-multiarch)" libvirt.so.0.11003.0 driver
	run --separate-stderr "$VUF" --root "$R" validate
	stderr_has "libvirt 11.3 uses this file as a net backend"
	# --libvirt-version wins over what is installed.
	run --separate-stderr "$VUF" --root "$R" --libvirt-version 9.0 validate
	stderr_has "libvirt 9.0 would fail every vhost-user lookup"
}

@test "an installed libvirt older than every release modelled: the oldest's rules, said so" {
	dup_tree
	installed /usr/lib libvirt.so.0.8000.0 driver
	run --separate-stderr "$VUF" --root "$R" validate
	assert_failure 1
	stderr_is "$dup_error
$U/50-dup.json: warning: [VUF400] libvirt 8.0 would fail every vhost-user lookup on this file instead of skipping it: its JSON parser (yajl) refuses a duplicate key
warning: [VUF405] libvirt 8.0 is older than every release modelled: the libvirt notes follow libvirt 9.0, the oldest
1 file checked, 1 error, 2 warnings"
	run --separate-stderr "$VUF" --root "$R" match --type gpu --libvirt
	assert_failure 1
	stderr_is "vhost-user-find: $U/50-dup.json: its JSON parser (yajl) refuses a duplicate key
vhost-user-find: libvirt 8.0 would fail, saying: internal error: unable to parse json file '$U/50-dup.json'"
	# Given, such a version is a usage error; so is a minor of 1000.
	run --separate-stderr "$VUF" --libvirt-version 10.1000 validate
	assert_failure 2
}

@test "the installed libvirt without its QEMU driver: no daemon reads descriptors, said once" {
	dup_tree
	installed /usr/lib64 libvirt.so.0.9000.0
	run --separate-stderr "$VUF" --root "$R" validate
	assert_failure 1
	stderr_is "$dup_error
$U/50-dup.json: warning: [VUF400] libvirt 9.0 would fail every vhost-user lookup on this file instead of skipping it: its JSON parser (yajl) refuses a duplicate key
$R/usr/lib64/libvirt.so.0.9000.0: warning: [VUF405] libvirt 9.0 is installed without its QEMU driver: no daemon on this machine reads descriptors
1 file checked, 1 error, 2 warnings"
}

@test "no libvirt found: the notes speak for the newest modelled, and say so only when there is a note" {
	dup_tree
	run --separate-stderr "$VUF" --root "$R" validate
	assert_failure 1
	stderr_is "$dup_error
$U/50-dup.json: warning: [VUF401] libvirt 11.3 uses this file as a net backend: its JSON parser keeps the last value of a duplicate key
warning: [VUF405] no libvirt found (libvirt.so.0.* in /usr/lib/$(cc -print-multiarch), /usr/lib64, /usr/lib): the libvirt notes speak for libvirt 11.3, the newest modelled
1 file checked, 1 error, 2 warnings"
	rm "$U/50-dup.json"
	desc "$U/50-gpu.json" gpu /usr/libexec/qemu/vhost-user/gpu
	fake_backend "$R/usr/libexec/qemu/vhost-user/gpu" '{"type": "gpu", "features": []}'
	run --separate-stderr "$VUF" --root "$R" validate --strict
	assert_success
	stderr_is "1 file checked, 0 errors, 0 warnings"
}

@test "a release between two modelled ones follows the earlier, and says so" {
	dup_tree
	VUF_LIBVIRT=10.5
	expect 1 '' "$dup_error
$U/50-dup.json: warning: [VUF400] libvirt 10.5 would fail every vhost-user lookup on this file instead of skipping it: its JSON parser (yajl) refuses a duplicate key
warning: [VUF405] libvirt 10.5 is not modelled itself: the libvirt notes follow libvirt 10.0, the release modelled before it
1 file checked, 1 error, 2 warnings" -- --root "$R" validate
	VUF_LIBVIRT=10.8.1
	expect 1 '' "$dup_error
$U/50-dup.json: warning: [VUF401] libvirt 10.8 uses this file as a net backend: its JSON parser keeps the last value of a duplicate key
1 file checked, 1 error, 1 warning" -- --root "$R" validate
}

# as_session_user ARGS...: the tool as nobody, on the default search
# path, whose distro and admin directories are pinned: in a mount
# namespace of its own, /usr/share/qemu and /etc are overlays holding
# only $NB_TOP/share's descriptors and an empty /etc/qemu/vhost-user.
as_session_user() {
	mkdir -p "$T/ovl/etc" "$T/ovl/etc.work" "$T/ovl/qemu" "$T/ovl/qemu.work"
	unshare --mount --propagation private -- env O="$T/ovl" S="$NB_TOP/share" bash -c '
		set -e
		mount -t overlay overlay -o "lowerdir=/etc,upperdir=$O/etc,workdir=$O/etc.work" /etc
		mount -t overlay overlay -o "lowerdir=/usr/share/qemu,upperdir=$O/qemu,workdir=$O/qemu.work" /usr/share/qemu
		rm -rf /etc/qemu/vhost-user /usr/share/qemu/vhost-user
		mkdir -p /etc/qemu/vhost-user /usr/share/qemu/vhost-user
		cp "$S"/* /usr/share/qemu/vhost-user/
		exec setpriv --reuid=nobody --regid=nogroup --clear-groups -- "$@"' \
		as_session_user env HOME="$NB_TOP/home" "$NB_VUF" "$@"
}

@test "a session daemon: libvirt 9.0 refuses virtiofs before any lookup; 10.0 starts it" {
	needs_mount_ns
	[ -d /usr/share/qemu ] || skip "no /usr/share/qemu to lay the overlay on"
	as_nobody_setup
	mkdir -p "$NB_TOP/share" "$NB_TOP/home"
	fake_backend "$NB_TOP/fs" '{"type": "fs", "features": []}'
	desc "$NB_TOP/share/50-fs.json" fs "$NB_TOP/fs"
	run --separate-stderr as_session_user --libvirt-version 9.0 validate
	assert_success
	assert_output ""
	stderr_is "warning: [VUF404] the session daemon of libvirt 9.0 refuses fs before any lookup ('unsupported configuration: virtiofs is not yet supported in session mode'); match chooses /usr/share/qemu/vhost-user/50-fs.json
1 file checked, 0 errors, 1 warning"
	run --separate-stderr as_session_user --libvirt-version 9.0 match --type fs --libvirt
	assert_failure 1
	assert_output ""
	stderr_is "vhost-user-find: libvirt 9.0 would fail, saying: unsupported configuration: virtiofs is not yet supported in session mode"
	run --separate-stderr as_session_user --libvirt-version 10.0 match --type fs --libvirt
	assert_success
	assert_output "$NB_TOP/fs"
	run --separate-stderr as_session_user --libvirt-version 10.0 validate
	assert_success
	stderr_is "1 file checked, 0 errors, 0 warnings"
}
