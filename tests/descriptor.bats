#!/usr/bin/env bats
# SPEC §2: what makes a descriptor invalid, what is only a warning.
# `show PATH` loads one file directly and reports every error.

load helpers
bats_require_minimum_version 1.5.0

setup() { common_setup; }

# bad NAME CONTENT: write CONTENT (printf format) to $T/NAME.json.
bad() {
	printf "$2" >"$T/$1.json"
}

# invalid NAME MESSAGE: show exits 1 naming the file and the cause
# (MESSAGE follows the file name: ":1:5: ..." or ": ...").
invalid() {
	expect 1 '' "vhost-user-find: $T/$1.json$2" -- show "$T/$1.json"
}

@test "descriptor: a valid one is printed with its members in file order" {
	printf '{"type": "gpu", "tags": ["x"], "binary": "/usr/bin/g", "description": "d"}' >"$T/a.json"
	run --separate-stderr vuf show "$T/a.json"
	assert_success
	assert_output '{
  "type": "gpu",
  "tags": [
    "x"
  ],
  "binary": "/usr/bin/g",
  "description": "d"
}'
	stderr_is ""
}

@test "descriptor: every known type is accepted" {
	for t in 9p balloon block caif console crypto gpu input net rng rpmsg rproc-serial scsi vsock fs; do
		desc "$T/$t.json" "$t" /usr/bin/x
		run vuf show "$T/$t.json"
		assert_success
	done
}

@test "descriptor: not an object" {
	bad arr '[{"type": "gpu", "binary": "/x"}]'
	invalid arr ":1:1: not a JSON object but an array"
	bad str '"gpu"'
	invalid str ":1:5: '[' or '{' expected near '\"gpu\"'"
}

@test "descriptor: a duplicate key, with its position" {
	bad dup '{\n  "type": "gpu",\n  "binary": "/x",\n  "type": "net"\n}'
	invalid dup ":4:8: duplicate object key near '\"type\"'"
}

@test "descriptor: missing type or binary" {
	bad notype '{"binary": "/x", "description": "d"}'
	invalid notype ":1:1: missing required member 'type'"
	bad nobinary '{"type": "gpu", "description": "d"}'
	invalid nobinary ":1:1: missing required member 'binary'"
}

@test "descriptor: a wrong JSON kind for type or binary" {
	bad typenum '{"type": 7, "binary": "/x", "description": "d"}'
	invalid typenum ":1:10: member 'type' is a number, not a string"
	bad binarr '{"type": "gpu", "binary": ["/x"], "description": "d"}'
	invalid binarr ":1:27: member 'binary' is an array, not a string"
	bad binnull '{"type": "gpu", "binary": null, "description": "d"}'
	invalid binnull ":1:27: member 'binary' is null, not a string"
}

@test "descriptor: an unknown type names the known ones" {
	bad unk '{"type": "floppy", "binary": "/x", "description": "d"}'
	invalid unk ":1:10: unknown type 'floppy' (known types: 9p, balloon, block, caif, console, crypto, gpu, input, net, rng, rpmsg, rproc-serial, scsi, vsock, fs)"
}

@test "descriptor: a relative or empty binary" {
	bad rel '{"type": "gpu", "binary": "usr/bin/x", "description": "d"}'
	invalid rel ":1:27: member 'binary' is not an absolute path: 'usr/bin/x'"
	bad empty '{"type": "gpu", "binary": "", "description": "d"}'
	invalid empty ":1:27: member 'binary' is empty"
}

@test "descriptor: every error is reported, not only the first" {
	bad two '{"type": "floppy", "binary": "x"}'
	expect 1 '' "vhost-user-find: $T/two.json:1:10: unknown type 'floppy' (known types: 9p, balloon, block, caif, console, crypto, gpu, input, net, rng, rpmsg, rproc-serial, scsi, vsock, fs)
vhost-user-find: $T/two.json:1:30: member 'binary' is not an absolute path: 'x'" -- show "$T/two.json"
}

@test "descriptor: over 1 MiB is invalid; exactly 1 MiB is read" {
	python3 - "$T" <<'PY'
import sys
t = sys.argv[1]
body = '{"type": "gpu", "binary": "/x", "description": "d"}'
open(t + "/max.json", "w").write(body + " " * (1048576 - len(body)))
open(t + "/over.json", "w").write(body + " " * (1048577 - len(body)))
PY
	run vuf show "$T/max.json"
	assert_success
	invalid over ": file is larger than 1048576 bytes"
}

@test "descriptor: jansson's strictness — BOM, NUL, bad UTF-8, depth, trailing data" {
	bad bom '\xef\xbb\xbf{"type": "gpu", "binary": "/x", "description": "d"}'
	invalid bom ":1:1: byte-order mark at the start of the file (not allowed in JSON)"
	bad nul '{"type": "gpu", "binary": "/x", "description": "a\\u0000b"}'
	invalid nul ':1:57: a string contains U+0000 (NUL), which is not allowed'
	bad utf8 '{"type": "gpu", "binary": "/x", "description": "\xff"}'
	invalid utf8 ":1:48: unable to decode byte 0xff near '\"'"
	bad trailing '{"type": "gpu", "binary": "/x", "description": "d"} {}'
	invalid trailing ":1:53: end of file expected near '{'"
	python3 -c 'print("{\"x\": " + "[" * 3000 + "]" * 3000 + ", \"type\": \"gpu\", \"binary\": \"/x\"}")' >"$T/deep.json"
	invalid deep ":1:2054: maximum parsing depth reached near '['"
}

@test "descriptor: a missing description, unknown members and odd tags are warnings" {
	bad warn '{"type": "gpu", "binary": "/x", "extra": ["virgl"], "tags": [1]}'
	run --separate-stderr vuf show "$T/warn.json"
	assert_success
	assert_line --index 0 "{"
	stderr_is "vhost-user-find: warning: $T/warn.json:1:1: missing member 'description'
vhost-user-find: warning: $T/warn.json:1:62: member 'tags' has a number at index 0, not a string
vhost-user-find: warning: $T/warn.json:1:33: unknown member 'extra'"
	run --separate-stderr vuf -q show "$T/warn.json"
	assert_success
	stderr_is ""
}

@test "descriptor: a description or tags of the wrong kind are warnings" {
	bad kinds '{"type": "gpu", "binary": "/x", "description": 1, "tags": "t"}'
	run --separate-stderr vuf show "$T/kinds.json"
	assert_success
	stderr_is "vhost-user-find: warning: $T/kinds.json:1:48: member 'description' is a number, not a string
vhost-user-find: warning: $T/kinds.json:1:59: member 'tags' is a string, not a list of strings"
}

@test "descriptor: invalid files never stop the others from resolving" {
	mkdir "$T/d"
	desc "$T/d/50-good.json" gpu /usr/bin/good
	printf '[1]' >"$T/d/10-arr.json"
	printf '{"type":"gpu","type":"gpu","binary":"/x"}' >"$T/d/20-dup.json"
	printf '\xef\xbb\xbf{}' >"$T/d/30-bom.json"
	printf '{"type":"gpu","binary":"/x","description":"\xc0\xaf"}' >"$T/d/40-overlong.json"
	printf '{"type":"gpu","binary":"rel"}' >"$T/d/60-rel.json"
	run --separate-stderr vuf -q --dir "$T/d" list
	assert_success
	assert_output "50-good.json  gpu  /usr/bin/good  $T/d/50-good.json"
	run --separate-stderr vuf --dir "$T/d" list --all
	assert_success
	assert_output "invalid  10-arr.json       -    -              $T/d/10-arr.json       1:1: not a JSON object but an array
invalid  20-dup.json       -    -              $T/d/20-dup.json       1:20: duplicate object key near '\"type\"'
invalid  30-bom.json       -    -              $T/d/30-bom.json       1:1: byte-order mark at the start of the file (not allowed in JSON)
invalid  40-overlong.json  -    -              $T/d/40-overlong.json  1:43: unable to decode byte 0xc0 near '\"'
active   50-good.json      gpu  /usr/bin/good  $T/d/50-good.json
invalid  60-rel.json       gpu  -              $T/d/60-rel.json       1:24: member 'binary' is not an absolute path: 'rel'"
}

@test "descriptor: a raw NUL byte is named, with its position" {
	bad rawnul '{"type": "gpu",\n "binary": "/x"}\0'
	invalid rawnul ":2:17: NUL byte in the file (not allowed in JSON)"
}
