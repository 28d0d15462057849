#!/usr/bin/env bats
# The output rules (SPEC §6 "Output"): text escapes control characters,
# bidirectional controls, invalid UTF-8 and the backslash, so that an escape is never ambiguous;
# a single value for $(...) is its exact bytes unless stdout is a
# terminal; JSON gives a name that is not UTF-8 as its bytes; columns
# line up by the width a terminal gives each character.

load helpers
bats_require_minimum_version 1.5.0

setup() {
	common_setup
	one_dir_setup
	LATIN1=$(printf 'caf\351')
	# U+202E RIGHT-TO-LEFT OVERRIDE and U+2066 LEFT-TO-RIGHT ISOLATE.
	RLO=$(printf '\342\200\256')
	LRI=$(printf '\342\201\246')
}

@test "a backslash is escaped in text, so that an escape is never ambiguous" {
	# The file's JSON says back\\slash: the binary is back\slash.
	desc "$D/10-a\\x1b.json" gpu '/usr/bin/back\\slash'
	run --separate-stderr vuf --dir "$D" list
	assert_success
	assert_output "10-a\\\\x1b.json  gpu  /usr/bin/back\\\\slash  $D/10-a\\\\x1b.json"
	run --separate-stderr vuf --dir "$D" show '10-a\x1b'
	assert_success
	run jq -r .binary <<<"$output"
	assert_output '/usr/bin/back\slash'
}

@test "match prints the exact bytes for \$(...), escaped on a terminal" {
	# A descriptor's JSON is UTF-8; the directory it is in need not be.
	mkdir "$T/$LATIN1"
	desc "$T/$LATIN1/50-x.json" net /bin/sh
	run --separate-stderr vuf --dir "$T/$LATIN1" match --type net --file
	assert_success
	assert_output "$T/$LATIN1/50-x.json"
	[ -f "$output" ]
	run on_tty "$VUF" --dir "$T/$LATIN1" match --type net --file
	assert_output "$T/caf\\xe9/50-x.json"
	run on_tty "$VUF" --dir "$T/$LATIN1" paths
	assert_output "$T/caf\\xe9"
	run --separate-stderr vuf --dir "$T/$LATIN1" paths
	assert_output "$T/$LATIN1"
}

@test "JSON gives a value that is not UTF-8 as its bytes, and the escape it looks like as a string" {
	mkdir "$T/$LATIN1"
	desc "$T/$LATIN1/50-x.json" net /bin/sh
	run --separate-stderr vuf --dir "$T/$LATIN1" match --type net --json
	assert_success
	run jq -c '.file | if type == "array" then implode else . end' <<<"$output"
	assert_output "\"$T/café/50-x.json\""
	mkdir "$T/caf\\xe9"
	desc "$T/caf\\xe9/50-y.json" net /bin/sh
	run --separate-stderr vuf --dir "$T/caf\\xe9" match --type net --json
	run jq -r '.file | type' <<<"$output"
	assert_output string
}

@test "complete names leaves out names with a C1 control or bytes that are not UTF-8" {
	desc "$D/10-ok.json" gpu /usr/bin/a
	desc "$D/20-$(printf '\302\233')2J.json" gpu /usr/bin/b
	desc "$D/30-$LATIN1.json" gpu /usr/bin/c
	desc "$D/40-caf$(printf '\303\251').json" gpu /usr/bin/d
	run --separate-stderr vuf --dir "$D" complete names
	assert_success
	assert_output "10-ok.json
40-café.json"
}

@test "a bidirectional control is escaped per byte in text tables and messages" {
	printf '{"description": "evil %s", "type": "gpu", "binary": "/usr/bin/a%sb", "x%sy": 1}\n' \
		"$RLO" "$RLO" "$LRI" >"$D/10-$RLO.json"
	desc "$D/20-ok.json" gpu /usr/bin/c
	local rlo='\xe2\x80\xae'
	run --separate-stderr vuf --dir "$D" list
	assert_success
	assert_output "10-$rlo.json  gpu  /usr/bin/a${rlo}b  $D/10-$rlo.json
20-ok.json            gpu  /usr/bin/c               $D/20-ok.json"
	stderr_is ""
	run --separate-stderr vuf --dir "$D" show -v "10-$RLO"
	assert_success
	stderr_is "vhost-user-find: 10-$rlo.json: from $D/10-$rlo.json
vhost-user-find: warning: $D/10-$rlo.json:1:68: unknown member 'x\\xe2\\x81\\xa6y'"
	run --separate-stderr vuf --dir "$D" match --type gpu
	assert_failure 1
	stderr_has "vhost-user-find: $D/10-$rlo.json: /usr/bin/a${rlo}b: not found"
	[[ "$stderr" != *"$RLO"* && "$stderr" != *"$LRI"* ]] ||
		fail "a raw bidirectional control reached stderr: $stderr"
}

@test "complete names leaves out a name holding a bidirectional control" {
	desc "$D/10-ok.json" gpu /usr/bin/a
	desc "$D/20-a${RLO}b.json" gpu /usr/bin/b
	desc "$D/30-a${LRI}b.json" gpu /usr/bin/c
	desc "$D/40-$(printf '\342\200\217')b.json" gpu /usr/bin/d	# U+200F: no control
	run --separate-stderr vuf --dir "$D" complete names
	assert_success
	assert_output "10-ok.json
40-$(printf '\342\200\217')b.json"
}

@test "JSON keeps a bidirectional control as the valid UTF-8 it is, as \\u on a terminal" {
	printf '{"description": "evil %s", "type": "gpu", "binary": "/usr/bin/a%sb"}\n' \
		"$RLO" "$RLO" >"$D/10-$RLO.json"
	run --separate-stderr vuf --dir "$D" list --json
	assert_success
	run jq -r '.[0] | .name, .binary, .description' <<<"$output"
	assert_output "10-$RLO.json
/usr/bin/a${RLO}b
evil $RLO"
	run --separate-stderr vuf --dir "$D" show "10-$RLO"
	assert_success
	assert_output "{
  \"description\": \"evil $RLO\",
  \"type\": \"gpu\",
  \"binary\": \"/usr/bin/a${RLO}b\"
}"
	run on_tty "$VUF" --dir "$D" show "10-$RLO"
	assert_output '{
  "description": "evil \u202E",
  "type": "gpu",
  "binary": "/usr/bin/a\u202Eb"
}'
}

@test "columns line up by display width: a wide character takes two" {
	desc "$D/10-漢字.json" gpu /usr/bin/漢字
	desc "$D/20-ab.json" gpu /b
	# e and a combining acute accent: one column.
	local e=e$(printf '\314\201')
	desc "$D/30-$e.json" gpu /c
	run --separate-stderr vuf --dir "$D" list
	assert_success
	assert_output "10-漢字.json  gpu  /usr/bin/漢字  $D/10-漢字.json
20-ab.json    gpu  /b             $D/20-ab.json
30-$e.json     gpu  /c             $D/30-$e.json"
}

@test "messages: a quoted value escapes a ' and a \\ inside with \\, once; an unquoted path doubles its \\" {
	expect 2 '' "vhost-user-find: unknown type 'it\\'s' (known types: 9p, balloon, block, caif, console, crypto, gpu, input, net, rng, rpmsg, rproc-serial, scsi, vsock, fs)
Try 'vhost-user-find list --help' for more information." -- list --type "it's"
	expect 2 '' "vhost-user-find: unknown command 'a\\\\b'
Try 'vhost-user-find --help' for more information." -- 'a\b'
	expect 2 '' "vhost-user-find: --timeout 'x\\\\\\'y\\x1b': not a number of seconds greater than 0 and at most 86400
Try 'vhost-user-find --help' for more information." -- --timeout "x\\'y"$'\e' paths
	# A path is not quoted: its backslash is doubled, and a ' stays.
	desc "$D/10-it's\\x.json" gpu "$T/no-such-binary"
	expect 1 '' "vhost-user-find: $D/10-it's\\\\x.json: $T/no-such-binary: not found
vhost-user-find: no gpu backend with an executable binary" -- --dir "$D" match --type gpu
	expect 1 '' "vhost-user-find: a'b\\\\c.json: no such descriptor in the search path" -- --dir "$D" show "a'b\\c"
}
