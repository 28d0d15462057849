#!/usr/bin/env bats
# One fact, one wording: every command that states a position or says why
# a binary cannot start says it the same way (issue 9).  Each test runs
# the commands on the same file and compares what they say.

load helpers
bats_require_minimum_version 1.5.0

setup() {
	common_setup
	fake_backends_setup
	one_dir_setup
}

# A truncated descriptor: jansson knows the line, not the column.
@test "a position without a column is FILE:LINE everywhere, and JSON has no column" {
	F="$D/50-cut.json"
	printf '{"type": "gpu",\n' >"$F"
	msg="string or '}' expected near end of file"
	expect 1 '' "$F:2: error: [VUF102] $msg
$F: warning: [VUF400] libvirt ...
1 file checked, 1 error, 1 warning" -- vuf_libvirt_notes_cut validate "$F"
	expect 1 '' "vhost-user-find: $F:2: $msg" -- show "$F"
	expect 1 '' "vhost-user-find: warning: $F:2: $msg" -- --dir "$D" list
	expect 0 "invalid  50-cut.json  -  -  $F  2: $msg" '' -- --dir "$D" list --all
	run --separate-stderr vuf --dir "$D" list --all --json
	assert_success
	run jq -c '.[0] | [.reason, .line, has("column")]' <<<"$output"
	assert_output "[\"$msg\",2,false]"
}

@test "a position with a column is FILE:LINE:COLUMN everywhere, and in JSON" {
	F="$D/50-col.json"
	printf '{"type": "gpu" "binary": "/x"}\n' >"$F"
	msg="'}' expected near '\"binary\"'"
	expect 1 '' "$F:1:23: error: [VUF102] $msg
$F: warning: [VUF400] libvirt ...
1 file checked, 1 error, 1 warning" -- vuf_libvirt_notes_cut validate "$F"
	expect 1 '' "vhost-user-find: $F:1:23: $msg" -- show "$F"
	expect 0 "invalid  50-col.json  -  -  $F  1:23: $msg" '' -- --dir "$D" list --all
	run --separate-stderr vuf --dir "$D" list --all --json
	run jq -c '.[0] | [.line, .column]' <<<"$output"
	assert_output "[1,23]"
}

# what_is_said BINARY: the reason match -v, caps --type, caps NAME and
# validate give for one descriptor naming BINARY, one a line.
what_is_said() {
	rm -f "$D"/*.json
	desc "$D/50-x.json" gpu "$1"
	run --separate-stderr vuf --dir "$D" -v match --type gpu
	assert_failure 1
	printf 'match: %s\n' "${stderr_lines[0]#"vhost-user-find: $D/50-x.json: $1: "}"
	run --separate-stderr vuf --dir "$D" caps --type gpu
	assert_failure 1
	printf 'caps --type: %s\n' "${stderr_lines[0]#"vhost-user-find: $D/50-x.json: $1: "}"
	run --separate-stderr vuf --dir "$D" caps 50-x
	assert_failure 1
	printf 'caps NAME: %s\n' "${stderr_lines[0]#"vhost-user-find: $D/50-x.json: $1: "}"
	run --separate-stderr vuf --dir "$D" validate
	assert_success
	printf 'validate: %s\n' "${stderr_lines[0]#"$D/50-x.json:4:13: warning: [VUF300] binary $1: "}"
}

# said_everywhere REASON: what_is_said printed REASON for every command.
said_everywhere() {
	assert_output "match: $1
caps --type: $1
caps NAME: $1
validate: $1"
}

@test "a missing binary is 'not found' in match, caps and validate" {
	run what_is_said "$T/no-such-binary"
	said_everywhere "not found"
}

@test "a binary without the x bit is 'not executable' in match, caps and validate" {
	run what_is_said "$B/not-executable"
	said_everywhere "not executable"
}

@test "a directory is 'not executable (a directory)' in match, caps and validate" {
	run what_is_said "$T"
	said_everywhere "not executable (a directory)"
}

@test "an ELF program whose dynamic loader is missing says so in match, caps and validate, and is passed over" {
	command -v cc >/dev/null || fail "cc is missing"
	printf 'int main(void) { return 0; }\n' >"$T/p.c"
	cc -o "$T/noloader" "$T/p.c" -Wl,--dynamic-linker=/nonexistent/ld.so
	run what_is_said "$T/noloader"
	said_everywhere "cannot run: dynamic loader /nonexistent/ld.so not found"
	desc "$D/60-good.json" gpu "$B/gpu-virgl"
	run --separate-stderr vuf --dir "$D" match --type gpu --feature virgl
	assert_success
	assert_output "$B/gpu-virgl"
}

@test "a script whose interpreter is missing says so in match, caps and validate" {
	run what_is_said "$B/no-interpreter"
	said_everywhere "cannot run: interpreter /nonexistent/interpreter not found"
	# match passes over it without running it, and takes the next one.
	desc "$D/60-good.json" gpu "$B/gpu-virgl"
	run --separate-stderr vuf --dir "$D" match --type gpu
	assert_success
	assert_output "$B/gpu-virgl"
	assert_not_exists "$FAKE_DIR/ran.gpu-virgl"
}
