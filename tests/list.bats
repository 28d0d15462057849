#!/usr/bin/env bats
# SPEC §6 list: the active descriptors in priority order; --type, --all,
# --json; exit 1 when nothing is listed; escaped text.

load helpers
bats_require_minimum_version 1.5.0

setup() {
	common_setup
	mkdir -p "$T/1" "$T/2"
	desc "$T/1/50-gpu.json" gpu /usr/libexec/vhost-user-gpu "QEMU gpu"
	desc "$T/1/60-input.json" input /usr/libexec/vhost-user-input "QEMU input"
	desc "$T/1/70-fs.json" fs /usr/libexec/virtiofsd "virtiofsd"
	printf '{"type": "gpu", "binary": "/opt/gpu", "description": "local", "tags": ["a", "b"]}' >"$T/2/10-gpu.json"
	: >"$T/2/60-input.json"
	desc "$T/2/70-fs.json" fs /opt/virtiofsd "local fs"
}

@test "list: name, type, binary and file, in priority order" {
	expect 0 "10-gpu.json  gpu  /opt/gpu                     $T/2/10-gpu.json
50-gpu.json  gpu  /usr/libexec/vhost-user-gpu  $T/1/50-gpu.json
70-fs.json   fs   /opt/virtiofsd               $T/2/70-fs.json" '' -- vuf_dirs_1_2 list
}

@test "list --type: only that type" {
	expect 0 "70-fs.json  fs  /opt/virtiofsd  $T/2/70-fs.json" '' -- vuf_dirs_1_2 list --type fs
}

@test "list: exit 1 when nothing is listed, so it works in if" {
	expect 1 '' '' -- vuf_dirs_1_2 list --type vsock
	run vuf --dir "$T/empty" list
	assert_failure 1
}

@test "list --all --type: every entry of a name that has the type" {
	expect 0 "masked  60-input.json  -      -                              $T/2/60-input.json  mask: an empty file
masked  60-input.json  input  /usr/libexec/vhost-user-input  $T/1/60-input.json  masked by $T/2/60-input.json" '' -- vuf_dirs_1_2 list --all --type input
}

@test "list --json: one array with the members of §6" {
	run --separate-stderr vuf_dirs_1_2 list --json --type gpu
	assert_success
	assert_output "[
  {
    \"name\": \"10-gpu.json\",
    \"file\": \"$T/2/10-gpu.json\",
    \"status\": \"active\",
    \"type\": \"gpu\",
    \"binary\": \"/opt/gpu\",
    \"description\": \"local\",
    \"tags\": [
      \"a\",
      \"b\"
    ]
  },
  {
    \"name\": \"50-gpu.json\",
    \"file\": \"$T/1/50-gpu.json\",
    \"status\": \"active\",
    \"type\": \"gpu\",
    \"binary\": \"/usr/libexec/vhost-user-gpu\",
    \"description\": \"QEMU gpu\",
    \"tags\": []
  }
]"
	stderr_is ""
}

@test "list --json: an empty array and exit 1 when nothing matches" {
	expect 1 '[]' '' -- vuf_dirs_1_2 list --json --type vsock
}

@test "list --all --json: status, reason, overridden-by, masked-by" {
	printf '{"type": "gpu", "type": "x"}' >"$T/2/50-gpu.json"
	mkdir "$T/2/80-dir.json"
	run vuf_dirs_1_2 list --all --json
	assert_success
	run jq -c '.[] | [.name, .status, .reason, ."overridden-by", ."masked-by", .mask, .line, .column]' <<<"$output"
	assert_output "[\"10-gpu.json\",\"active\",null,null,null,null,null,null]
[\"50-gpu.json\",\"invalid\",\"duplicate object key near '\\\"type\\\"'\",null,null,null,1,22]
[\"50-gpu.json\",\"overridden\",null,\"$T/2/50-gpu.json\",null,null,null,null]
[\"60-input.json\",\"masked\",null,null,null,\"empty file\",null,null]
[\"60-input.json\",\"masked\",null,null,\"$T/2/60-input.json\",null,null,null]
[\"70-fs.json\",\"active\",null,null,null,null,null,null]
[\"70-fs.json\",\"overridden\",null,\"$T/2/70-fs.json\",null,null,null,null]
[\"80-dir.json\",\"ignored\",\"is a directory\",null,null,null,null,null]"
}

@test "list: control characters from files never reach the terminal raw" {
	mkdir "$T/c"
	printf '{"type": "gpu", "binary": "/usr/bin/\\u001b[31mred\\n", "description": "d"}' >"$T/c/50-esc.json"
	desc "$T/c/$(printf '60-\033]0;title\007.json')" gpu /usr/bin/t
	run --separate-stderr vuf --dir "$T/c" list
	assert_success
	assert_output "50-esc.json               gpu  /usr/bin/\\x1b[31mred\\n  $T/c/50-esc.json
60-\\x1b]0;title\\x07.json  gpu  /usr/bin/t              $T/c/60-\\x1b]0;title\\x07.json"
	[[ "$output" != *$'\033'* ]]
	# JSON keeps the real values, escaped by jansson.
	run vuf --dir "$T/c" list --json
	assert_line '    "binary": "/usr/bin/\u001B[31mred\n",'
}

@test "list: a file name that is not UTF-8 is escaped in text, its bytes in JSON" {
	mkdir "$T/u"
	desc "$T/u/$(printf '50-\xff.json')" gpu /usr/bin/u
	# A name that spells out the escape prints differently.
	desc "$T/u/60-\\xff.json" gpu /usr/bin/v
	run vuf --dir "$T/u" list
	assert_success
	assert_output "50-\\xff.json   gpu  /usr/bin/u  $T/u/50-\\xff.json
60-\\\\xff.json  gpu  /usr/bin/v  $T/u/60-\\\\xff.json"
	run vuf --dir "$T/u" list --json
	assert_success
	run jq -c '.[] | .name' <<<"$output"
	assert_output '[53,48,45,255,46,106,115,111,110]
"60-\\xff.json"'
	# A program gets the bytes back exactly.
	vuf --dir "$T/u" list --json | python3 -c '
import json, sys
sys.stdout.buffer.write(bytes(json.load(sys.stdin)[0]["file"]))' >"$T/got"
	printf '%s/u/50-\xff.json' "$T" >"$T/want"
	cmp "$T/got" "$T/want"
}

@test "list: an unexpected argument is a usage error" {
	run --separate-stderr vuf_dirs_1_2 list gpu
	assert_failure 2
	stderr_has "unexpected argument 'gpu'"
}

@test "list with nothing at all: a warning names the directories searched; --type stays silent" {
	mkdir -p "$T/empty"
	expect 1 '' "vhost-user-find: warning: no descriptor in the search path ($T/empty)" -- --dir "$T/empty" list
	expect 1 '[]' "vhost-user-find: warning: no descriptor in the search path ($T/empty)" -- --dir "$T/empty" list --json
	expect 1 '' '' -- -q --dir "$T/empty" list
	expect 1 '' '' -- --dir "$T/empty" list --type gpu
	# A mask alone is no descriptor; a descriptor of another type is one.
	: >"$T/empty/50-a.json"
	expect 1 '' "vhost-user-find: warning: no descriptor in the search path ($T/empty)" -- --dir "$T/empty" list
	desc "$T/empty/60-b.json" net /bin/true
	expect 1 '' '' -- --dir "$T/empty" list --type gpu
}
