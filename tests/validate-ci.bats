#!/usr/bin/env bats
# SPEC §6 validate and §10 (issue 18, points 2 and 6): validate in CI.
# Rule ids, a position for every finding of a member or value, --ignore,
# --format=gcc|json|github, validate - and validate DIR, the trailing
# comma, a program where a descriptor is expected, did-you-mean for
# members, types and features.

load helpers
bats_require_minimum_version 1.5.0

setup() {
	common_setup
	one_dir_setup
}

# The schema findings of one file: every one at its member or value.
schema_file() {
	printf '{\n  "type": "gpuu",\n  "binray": "x",\n\t"binary": "rel",\n  "description": "d"\n}\n' >"$1"
}

# ---- rule ids and positions ----------------------------------------------

@test "validate: schema findings have a rule id and the position of the member or value at fault" {
	schema_file "$D/50-a.json"
	expect 1 '' "$D/50-a.json:2:11: error: [VUF108] unknown type 'gpuu' (did you mean 'gpu'?)
$D/50-a.json:4:12: error: [VUF109] member 'binary' is not an absolute path: 'rel'
$D/50-a.json:3:3: warning: [VUF112] unknown member 'binray' (did you mean 'binary'?)
$D/50-a.json: warning: [VUF400] libvirt ...
1 file checked, 2 errors, 2 warnings" -- vuf_libvirt_notes_cut validate "$D/50-a.json"
}

@test "validate --json: every finding has rule, line and, where known, column" {
	schema_file "$D/50-a.json"
	run --separate-stderr vuf validate --json "$D/50-a.json"
	assert_failure 1
	run jq -c '.[] | [.rule, .line, .column, .severity]' <<<"$output"
	assert_output '["VUF108",2,11,"error"]
["VUF109",4,12,"error"]
["VUF112",3,3,"warning"]
["VUF400",null,null,"warning"]'
}

@test "validate: a column counts characters, as jansson does: a tab and a two-byte character are one each" {
	printf '{"type": "gpu", "binary": "/usr/bin/true", "description": "é",\t"x": 1}' >"$D/50-a.json"
	expect 0 '' "$D/50-a.json:1:64: warning: [VUF112] unknown member 'x'
1 file checked, 0 errors, 1 warning" -- validate "$D/50-a.json"
}

@test "validate: a wrong kind, a missing member, an element of a list: each at its place" {
	printf '{\n  "type": 7,\n  "tags": ["a",\n           2]\n}\n' >"$D/50-a.json"
	expect 1 '' "$D/50-a.json:2:11: error: [VUF107] member 'type' is a number, not a string
$D/50-a.json:1:1: error: [VUF106] missing required member 'binary'
$D/50-a.json:1:1: warning: [VUF110] missing member 'description'
$D/50-a.json:4:12: warning: [VUF107] member 'tags' has a number at index 1, not a string
1 file checked, 2 errors, 2 warnings" -- validate "$D/50-a.json" --ignore VUF400
}

@test "validate: did you mean, for members, types and features; none when nothing is near" {
	printf '{"type": "gpu", "binary": "/usr/bin/true", "descripton": "d", "features": ["virgll", "teleport"]}' >"$D/50-a.json"
	expect 0 '' "$D/50-a.json:1:1: warning: [VUF110] missing member 'description'
$D/50-a.json:1:76: warning: [VUF111] feature 'virgll' is not a known feature of type gpu (did you mean 'virgl'?)
$D/50-a.json:1:86: warning: [VUF111] feature 'teleport' is not a known feature of type gpu
$D/50-a.json:1:44: warning: [VUF112] unknown member 'descripton' (did you mean 'description'?)
1 file checked, 0 errors, 4 warnings" -- validate "$D/50-a.json"
	printf '{"type": "GPU", "binary": "/usr/bin/true"}' >"$D/50-b.json"
	run --separate-stderr vuf validate --ignore VUF400 --ignore VUF110 "$D/50-b.json"
	assert_failure 1
	stderr_is "$D/50-b.json:1:10: error: [VUF108] unknown type 'GPU' (did you mean 'gpu'?)
1 file checked, 1 error, 0 warnings"
}

@test "validate: the position is said by every command, without the rule id outside validate" {
	schema_file "$D/50-a.json"
	expect 1 '' "vhost-user-find: $D/50-a.json:2:11: unknown type 'gpuu' (did you mean 'gpu'?)
vhost-user-find: $D/50-a.json:4:12: member 'binary' is not an absolute path: 'rel'" -- show "$D/50-a.json"
	expect 0 "invalid  50-a.json  -  -  $D/50-a.json  2:11: unknown type 'gpuu' (did you mean 'gpu'?)" '' -- --dir "$D" list --all
}

# ---- --ignore ------------------------------------------------------------

@test "validate --ignore: the rule's findings are neither shown nor counted; the status follows" {
	schema_file "$D/50-a.json"
	expect 1 '' "$D/50-a.json:4:12: error: [VUF109] member 'binary' is not an absolute path: 'rel'
1 file checked, 1 error, 0 warnings" -- validate --ignore VUF108 --ignore vuf112 --ignore VUF400 "$D/50-a.json"
	expect 0 '' "1 file checked, 0 errors, 0 warnings" -- \
		validate --ignore VUF108 --ignore VUF109 --ignore VUF112 --ignore VUF400 --strict "$D/50-a.json"
}

@test "validate --ignore: an id that is none is a usage error, with the nearest id" {
	expect 2 '' "vhost-user-find: --ignore 'VUF1122': not a rule id (VUF and a number, as vhost-user-find(1) lists them) (did you mean 'VUF112'?)
Try 'vhost-user-find validate --help' for more information." -- validate --ignore VUF1122
	expect 2 '' "vhost-user-find: --ignore 'unknown-member': not a rule id (VUF and a number, as vhost-user-find(1) lists them)
Try 'vhost-user-find validate --help' for more information." -- validate --ignore unknown-member
}

# ---- --format ------------------------------------------------------------

@test "validate --format=gcc is the default text, --format=json is --json" {
	schema_file "$D/50-a.json"
	run --separate-stderr vuf validate "$D/50-a.json"
	local text=$stderr
	run --separate-stderr vuf validate --format=gcc "$D/50-a.json"
	assert_failure 1
	assert_output ""
	stderr_is "$text"
	run --separate-stderr vuf validate --json "$D/50-a.json"
	local json=$output
	run --separate-stderr vuf validate --format json "$D/50-a.json"
	assert_failure 1
	assert_output "$json"
	run --separate-stderr vuf validate --json --format=json "$D/50-a.json"
	assert_output "$json"
}

@test "validate --format: --json with another format, and an unknown format, are usage errors" {
	expect 2 '' "vhost-user-find: --json and --format=github: give one format
Try 'vhost-user-find validate --help' for more information." -- validate --json --format=github
	expect 2 '' "vhost-user-find: --json and --format=gcc: give one format
Try 'vhost-user-find validate --help' for more information." -- validate --format=gcc --json
	expect 2 '' "vhost-user-find: --format 'githb': not a format (gcc, json, github) (did you mean 'github'?)
Try 'vhost-user-find validate --help' for more information." -- validate --format=githb
}

@test "validate --format=github: one annotation a finding on stdout, line and col where known" {
	schema_file "$D/50-a.json"
	expect 1 "::error file=$D/50-a.json,line=2,col=11::[VUF108] unknown type 'gpuu' (did you mean 'gpu'?)
::error file=$D/50-a.json,line=4,col=12::[VUF109] member 'binary' is not an absolute path: 'rel'
::warning file=$D/50-a.json,line=3,col=3::[VUF112] unknown member 'binray' (did you mean 'binary'?)
::warning file=$D/50-a.json::[VUF400] libvirt 11.3 would fail every vhost-user lookup on this file instead of skipping it: it has no known 'type'" \
		"1 file checked, 2 errors, 2 warnings" -- validate --format=github "$D/50-a.json"
	printf '{"type": "gpu",\n' >"$D/50-cut.json"
	expect 0 "::error file=$D/50-cut.json,line=2::[VUF102] string or '}' expected near end of file" \
		"1 file checked, 1 error, 0 warnings (not shown: -q)" -- -q validate --format=github --ignore VUF400 "$D/50-cut.json" || true
}

@test "validate --format=github: a finding of the whole search path has no file; -q hides warnings" {
	mkdir "$T/empty"
	expect 0 "::warning::[VUF203] no descriptor in the search path ($T/empty)" \
		"0 files checked, 0 errors, 1 warning" -- --dir "$T/empty" validate --format=github
	expect 0 '' '' -- -q --dir "$T/empty" validate --format=github
}

@test "validate --format=github: % , : in the file and % in the message are %-encoded; CR and LF never reach it raw" {
	mkdir -p "$T/a%b,c:d"
	printf '{"type": "gpu", "binary": "/usr/bin/true", "description": "d", "100%%\\r\\nx": 1}' \
		>"$T/a%b,c:d/50-a.json"
	expect 0 "::warning file=$T/a%25b%2Cc%3Ad/50-a.json,line=1,col=64::[VUF112] unknown member '100%25\\r\\nx'" \
		"1 file checked, 0 errors, 1 warning" -- validate --format=github "$T/a%b,c:d/50-a.json"
	[ "${#lines[@]}" -eq 1 ]
}

# ---- validate - and validate DIR -----------------------------------------

@test "validate -: one descriptor from stdin, as <stdin>, without the naming or libvirt rules" {
	schema_file "$T/x"
	run --separate-stderr vuf validate - <"$T/x"
	assert_failure 1
	stderr_is "<stdin>:2:11: error: [VUF108] unknown type 'gpuu' (did you mean 'gpu'?)
<stdin>:4:12: error: [VUF109] member 'binary' is not an absolute path: 'rel'
<stdin>:3:3: warning: [VUF112] unknown member 'binray' (did you mean 'binary'?)
1 file checked, 2 errors, 1 warning"
	printf '{"type": "gpu", "binary": "%s/missing", "description": "d"}' "$T" |
		{ run --separate-stderr vuf validate --format=github -; 
		  assert_success
		  assert_output "::warning file=<stdin>,line=1,col=27::[VUF300] binary $T/missing: not found"; }
	expect 0 '' "1 file checked, 0 errors, 0 warnings" -- validate - < <(printf '{"type": "fs", "binary": "/usr/bin/true", "description": "d"}')
}

@test "validate -: binaries are still looked for under --root; an empty stdin is a syntax error" {
	R="$T/stage"
	mkdir -p "$R"
	printf '{"type": "fs", "binary": "/usr/bin/nowhere", "description": "d"}' >"$T/x"
	expect 0 '' "<stdin>:1:26: warning: [VUF300] binary /usr/bin/nowhere: not found (looked for $R/usr/bin/nowhere)
1 file checked, 0 errors, 1 warning" -- --root "$R" validate - <"$T/x"
	expect 1 '' "<stdin>:1: error: [VUF102] '[' or '{' expected near end of file
1 file checked, 1 error, 0 warnings" -- validate - </dev/null
}

@test "validate DIR: that directory as a one-directory search path, beside files" {
	mkdir -p "$T/pkg"
	desc "$T/pkg/50-gpu.json" gpu /usr/bin/true
	desc "$T/pkg/gpu.json" gpu /usr/bin/true
	: >"$T/pkg/60-mask.json"
	desc "$T/50-one.json" fs /usr/bin/true
	expect 0 '' "$T/pkg/gpu.json: warning: [VUF206] the name does not follow the NN-name.json convention (two digits, a dash, a name) that orders descriptors
4 files checked, 0 errors, 1 warning" -- validate "$T/pkg" "$T/50-one.json"
	mkdir "$T/none"
	expect 1 '' "warning: [VUF203] no descriptor in the search path ($T/none)
0 files checked, 0 errors, 1 warning" -- validate --strict "$T/none"
}

# ---- the trailing comma and a program ------------------------------------

@test "validate: a trailing comma is said in plain words, at the comma, in objects and arrays" {
	printf '{"type": "gpu",}' >"$D/50-a.json"
	printf '{"type": "gpu", "binary": "/usr/bin/true",\n  "tags": ["a",\n  ]\n}\n' >"$D/50-b.json"
	printf '{"type": "gpu",\n\n}' >"$D/50-c.json"
	expect 1 '' "$D/50-a.json:1:15: error: [VUF103] trailing comma before '}' (JSON allows none)
$D/50-b.json:2:15: error: [VUF103] trailing comma before ']' (JSON allows none)
$D/50-c.json:1:15: error: [VUF103] trailing comma before '}' (JSON allows none)
3 files checked, 3 errors, 0 warnings" -- validate --ignore VUF400 "$D/50-a.json" "$D/50-b.json" "$D/50-c.json"
	# A comma alone is jansson's to word.
	printf '{"type": [,]}' >"$D/50-d.json"
	expect 1 '' "$D/50-d.json:1:11: error: [VUF102] unexpected token near ','
1 file checked, 1 error, 0 warnings" -- validate --ignore VUF400 "$D/50-d.json"
}

@test "a program where a descriptor is expected says so and points to caps --binary, in show, caps and validate" {
	cp /bin/true "$D/50-elf.json"
	printf '#!/bin/sh\necho hi\n' >"$D/50-sh.json"
	expect 1 '' "vhost-user-find: /bin/true:1:1: a program (an ELF executable), not a descriptor: for its capabilities, run 'caps --binary /bin/true'" -- caps /bin/true
	expect 1 '' "vhost-user-find: $D/50-sh.json:1:1: a program (a #! script), not a descriptor: for its capabilities, run 'caps --binary $D/50-sh.json'" -- show "$D/50-sh.json"
	expect 1 '' "$D/50-elf.json:1:1: error: [VUF104] a program (an ELF executable), not a descriptor: for its capabilities, run 'caps --binary $D/50-elf.json'
$D/50-sh.json:1:1: error: [VUF104] a program (a #! script), not a descriptor: for its capabilities, run 'caps --binary $D/50-sh.json'
2 files checked, 2 errors, 0 warnings" -- validate --ignore VUF400 "$D/50-elf.json" "$D/50-sh.json"
}

# ---- the table ------------------------------------------------------------

@test "complete rules: every id once, grouped by kind, each with a description" {
	run --separate-stderr vuf complete rules
	assert_success
	[ "$(cut -f1 <<<"$output" | sort -u | wc -l)" -eq "${#lines[@]}" ]
	run grep -cvE '^VUF[1-4][0-9][0-9]	[a-z].+$' <<<"$output"
	assert_output 0
	run --separate-stderr vuf complete rules
	assert_line --index 0 "VUF100	the file cannot be read, or is no regular file"
	assert_line "VUF112	a member the schema does not know"
}
