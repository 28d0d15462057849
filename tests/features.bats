#!/usr/bin/env bats
# "features" in a descriptor (SPEC §2): upstream virtiofsd ships it.  A
# known member, shown, never decided on; its shape and names are checked
# as warnings, and validate --probe says where it disagrees with what the
# backend reports.

load helpers
bats_require_minimum_version 1.5.0

UPSTREAM="$BATS_TEST_DIRNAME/fixtures/real/50-virtiofsd.json"

setup() {
	common_setup
	R="$T/stage"
	mkdir -p "$R/usr/share/qemu/vhost-user" "$R/usr/libexec"
	cp "$UPSTREAM" "$R/usr/share/qemu/vhost-user/50-virtiofsd.json"
}

@test "upstream virtiofsd's descriptor passes validate --strict --probe when the backend reports both features" {
	fake_backend "$R/usr/libexec/virtiofsd" '{"type":"fs","features":["migrate-precopy","separate-options"]}'
	run --separate-stderr vuf --root "$R" validate --strict --probe
	assert_success
	stderr_is "1 file checked, 0 errors, 0 warnings"
	run --separate-stderr vuf validate --strict "$UPSTREAM"
	stderr_is "$UPSTREAM:4:13: warning: [VUF300] binary /usr/libexec/virtiofsd: not found
1 file checked, 0 errors, 1 warning"
}

@test "validate --probe names a listed feature the backend does not report, and one it reports unlisted" {
	fake_backend "$R/usr/libexec/virtiofsd" '{"type":"fs","features":["migrate-precopy"]}'
	F="$R/usr/share/qemu/vhost-user/50-virtiofsd.json"
	run --separate-stderr vuf --root "$R" validate --strict --probe
	assert_failure 1
	stderr_is "$F:7:7: warning: [VUF304] 'features' lists 'separate-options', which /usr/libexec/virtiofsd does not report
1 file checked, 0 errors, 1 warning"
	printf '{"type": "fs", "binary": "/usr/libexec/virtiofsd", "description": "d", "features": []}\n' >"$F"
	run --separate-stderr vuf --root "$R" validate --probe
	assert_success
	stderr_is "$F:1:84: warning: [VUF305] /usr/libexec/virtiofsd reports 'migrate-precopy', which 'features' does not list
1 file checked, 0 errors, 1 warning"
}

@test "features of the wrong kind, or unknown to the type, are warnings, and never decide" {
	F="$R/usr/share/qemu/vhost-user/50-virtiofsd.json"
	fake_backend "$R/usr/libexec/virtiofsd" '{"type":"fs"}'
	printf '{"type": "fs", "binary": "/usr/libexec/virtiofsd", "description": "d", "features": "migrate-precopy"}\n' >"$F"
	run --separate-stderr vuf --root "$R" validate
	stderr_is "$F:1:84: warning: [VUF107] member 'features' is a string, not a list of strings
1 file checked, 0 errors, 1 warning"
	printf '{"type": "fs", "binary": "/usr/libexec/virtiofsd", "description": "d", "features": ["migrate-precopy", 7]}\n' >"$F"
	run --separate-stderr vuf --root "$R" validate
	stderr_is "$F:1:104: warning: [VUF107] member 'features' has a number at index 1, not a string
1 file checked, 0 errors, 1 warning"
	printf '{"type": "fs", "binary": "/usr/libexec/virtiofsd", "description": "d", "features": ["migrate-precopy", "teleport"]}\n' >"$F"
	run --separate-stderr vuf --root "$R" validate
	stderr_is "$F:1:104: warning: [VUF111] feature 'teleport' is not a known feature of type fs
1 file checked, 0 errors, 1 warning"
	# What the descriptor says is never what match decides on: the probe is.
	run --separate-stderr vuf --root "$R" match --type fs --feature migrate-precopy
	assert_failure 1
	stderr_has "lacks feature migrate-precopy (reports no features)"
	# show prints them as the file has them.
	run --separate-stderr vuf --root "$R" show 50-virtiofsd
	run jq -c .features <<<"$output"
	assert_output '["migrate-precopy","teleport"]'
}
