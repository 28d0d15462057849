#!/usr/bin/env bats
# Hostile input (issue 6): files and environments built to break the
# tool.  Each test asserts the exact outcome and that a good descriptor
# beside the hostile one is still found.

load helpers
bats_require_minimum_version 1.5.0

setup() {
	common_setup
	one_dir_setup
	desc "$D/50-good.json" net /usr/lib/good "the good one"
	GOOD="50-good.json  net  /usr/lib/good  $D/50-good.json"
}

# A flipper left running by a failing test is stopped here, not left
# to hold bats' output open.
teardown() {
	[ -z "${FLIPPER:-}" ] || { kill "$FLIPPER"; wait "$FLIPPER"; } 2>/dev/null || true
	as_nobody_teardown
}

# good_still_resolves [GLOBAL-OPTION]...: the good descriptor is found.
good_still_resolves() {
	run --separate-stderr vuf --dir "$D" -q "$@" list --type net
	assert_success
	assert_output "$GOOD"
	stderr_is ""
}

# many FROM TO MEMBERS: descriptors $D/N-x.json for FROM <= N < TO, each
# {"type": "gpu", "description": "d", MEMBERS}, a %d in MEMBERS being N.
# One awk, not thousands of shell commands: bats traces every one.
many() {
	awk -v d="$D" -v from="$1" -v to="$2" -v m="$3" 'BEGIN {
		for (i = from; i < to; i++) {
			f = d "/" i "-x.json"
			printf "{\"type\": \"gpu\", \"description\": \"d\", " m "}\n", i >f
			close(f)
		}
	}'
}

# put NAME FORMAT [ARG]...: write a file in $D with printf.
put() {
	local name=$1

	shift
	# shellcheck disable=SC2059
	printf "$@" >"$D/$name"
}

# no_raw_controls FILE [json]: FILE holds no C0 control but newline, no
# DEL and no C1 control encoded in UTF-8; with json, only no C0 control
# (jansson escapes those and passes DEL and C1 through, as JSON allows).
# Files, not $output: the shell drops NUL bytes from command output.
no_raw_controls() {
	local re='[\x00-\x09\x0b-\x1f\x7f]|\xc2[\x80-\x9f]'

	[ "${2:-}" = json ] && re='[\x00-\x09\x0b-\x1f]'
	if LC_ALL=C grep -qaP "$re" "$1"; then
		echo "raw control character in $1:" >&2
		cat -v "$1" >&2
		return 1
	fi
}

# bytes_read TRACE PATH: bytes read(2) from PATH, from an strace -y log
# (which names the file of each descriptor, however it was opened);
# with a third argument "calls", how many read(2) calls it made on it.
bytes_read() {
	awk -v file="<$2>," -v what="${3:-bytes}" '
		/^[0-9]+ +(read|pread64)\(/ && index($0, file) {
			calls++; if ($NF > 0) n += $NF
		}
		END { print what == "calls" ? calls + 0 : n + 0 }' "$1"
}

@test "hostile: a 100 MB sparse descriptor is rejected without being read" {
	truncate -s 100M "$D/10-big.json"
	run --separate-stderr vuf --dir "$D" list
	assert_success
	assert_output "$GOOD"
	stderr_is "vhost-user-find: warning: $D/10-big.json: file is larger than 1048576 bytes"

	run --separate-stderr vuf show "$D/10-big.json"
	assert_failure 1
	assert_output ""
	stderr_is "vhost-user-find: $D/10-big.json: file is larger than 1048576 bytes"
	good_still_resolves
}

@test "hostile: the 100 MB file costs no read(2) and no memory, a good one one read(2)" {
	[ -z "$VUF_VALGRIND" ] || skip "measures the binary, not valgrind"
	command -v strace >/dev/null || fail "strace is missing (make deps-test)"
	truncate -s 100M "$D/10-big.json"
	# LeakSanitizer cannot run under ptrace; leaks are checked elsewhere.
	ASAN_OPTIONS=detect_leaks=0 strace -f -qq -y -o "$T/trace" \
		-e trace=open,openat,read,pread64,close \
		"$VUF" --dir "$D" -q list --all >/dev/null
	# The trace works: the good file was read, whole.
	[ "$(bytes_read "$T/trace" "$D/50-good.json")" -eq "$(stat -c %s "$D/50-good.json")" ]
	[ "$(bytes_read "$T/trace" "$D/10-big.json")" -eq 0 ]
	# In one read(2): no second one to see the end of a file read whole.
	[ "$(bytes_read "$T/trace" "$D/50-good.json" calls)" -eq 1 ] ||
		fail "$(grep 'read(' "$T/trace")"

	/usr/bin/time -f %M -o "$T/rss" "$VUF" --dir "$D" -q list --all >/dev/null
	# Tens of MiB under ASan, a few without; reading it would be 100.
	[ "$(cat "$T/rss")" -lt $((64 * 1024)) ]
}

# reads N FILE ARG...: the tool run with ARG... makes N read(2) calls on FILE.
reads() {
	local n=$1 f=$2

	shift 2
	ASAN_OPTIONS=detect_leaks=0 strace -f -qq -y -o "$T/trace" \
		-e trace=open,openat,read,close "$VUF" "$@" >/dev/null 2>&1
	[ "$(bytes_read "$T/trace" "$f" calls)" -eq "$n" ] ||
		fail "$*: $(grep -F "$f" "$T/trace")"
}

@test "hostile: show and validate read a file once, also one found by a search" {
	[ -z "$VUF_VALGRIND" ] || skip "measures the binary, not valgrind"
	local good=$D/50-good.json extra=$D/60-extra.json
	put 60-extra.json '{"type": "gpu", "binary": "/usr/lib/x", "description": "d", "x": 1}'
	reads 1 "$good" --dir "$D" show 50-good
	reads 1 "$good" show "$good"
	reads 1 "$good" validate "$good"
	reads 1 "$good" --dir "$D" validate
	reads 1 "$extra" show "$extra"
	reads 1 "$extra" validate "$extra"
	# A search for one name keeps that name's descriptors whole.
	reads 1 "$extra" --dir "$D" show 60-extra
	reads 1 "$extra" --dir "$D" validate
}

@test "hostile: a descriptor of exactly 1 MiB is read, one byte more is not" {
	local obj='{"type": "gpu", "binary": "/usr/lib/big", "description": "padded"}'

	{ printf '%s' "$obj"; head -c $((1048576 - ${#obj})) /dev/zero | tr '\0' ' '; } >"$D/10-max.json"
	{ printf '%s' "$obj"; head -c $((1048577 - ${#obj})) /dev/zero | tr '\0' ' '; } >"$D/20-over.json"
	run --separate-stderr vuf --dir "$D" list
	assert_success
	assert_output "10-max.json   gpu  /usr/lib/big   $D/10-max.json
$GOOD"
	stderr_is "vhost-user-find: warning: $D/20-over.json: file is larger than 1048576 bytes"
}

@test "hostile: nesting 100,000 deep is invalid, never a crash" {
	local deep
	deep=$(printf '%*s' 100000 '' | tr ' ' '[')
	printf '%s\n' "$deep" >"$D/10-array.json"
	printf '{"type": "gpu", "binary": "/b", "description": "d", "tags": %s}\n' \
		"$deep" >"$D/20-tags.json"
	{
		printf '{"type": "gpu", "binary": "/b", "description": "d", "x": '
		printf '%*s' 100000 '' | sed 's/ /{"a": /g'
		printf '1'
		printf '%*s' 100000 '' | tr ' ' '}'
		printf '}\n'
	} >"$D/30-object.json"
	run --separate-stderr vuf --dir "$D" list
	assert_success
	assert_output "$GOOD"
	stderr_is "vhost-user-find: warning: $D/10-array.json:1:2049: maximum parsing depth reached near '['
vhost-user-find: warning: $D/20-tags.json:1:2108: maximum parsing depth reached near '['
vhost-user-find: warning: $D/30-object.json:1:12340: maximum parsing depth reached near '{'"

	run --separate-stderr vuf --dir "$D" list --all --json
	assert_success
	[ "$(jq -r '.[] | "\(.name) \(.status) \(.line):\(.column)"' <<<"$output")" = \
"10-array.json invalid 1:2049
20-tags.json invalid 1:2108
30-object.json invalid 1:12340
50-good.json active null:null" ]
}

@test "hostile: nesting just under the limit is valid and printed whole" {
	{
		printf '{"type": "gpu", "binary": "/b", "description": "d", "x": '
		printf '%*s' 2000 '' | tr ' ' '['
		printf '%*s' 2000 '' | tr ' ' ']'
		printf '}\n'
	} >"$D/10-deep.json"
	run --separate-stderr vuf show "$D/10-deep.json"
	assert_success
	stderr_is "vhost-user-find: warning: $D/10-deep.json:1:53: unknown member 'x'"
	# (jq stops at depth 256: count the brackets instead)
	[ "$(tr -cd '[' <<<"$output" | wc -c)" -eq 2000 ]
	[ "$(tr -cd ']' <<<"$output" | wc -c)" -eq 2000 ]
	[ "${lines[-1]}" = "}" ]
	good_still_resolves
}

# cpu_ms FILE: the user and system CPU time /usr/bin/time -f '%U %S'
# wrote to FILE, in milliseconds (its last line: before it, time says
# when the status was not zero).
cpu_ms() {
	awk 'END { printf "%d", ($1 + $2) * 1000 }' "$1"
}

@test "hostile: show, validate and list take linear time on 1 MiB descriptors of marker-like strings and of reals" {
	[ -z "$VUF_VALGRIND" ] || skip "measures time, not valgrind"
	local f=$D/10-markers.json cpu
	# show prints each real through a marker string that the file must
	# not hold: 55,000 strings that look like markers 0, 1, 2, ..., 64
	# arrays deep so that the indented dump is 8 MB.  Trying one marker
	# after another with a search of the whole dump took 8 s here; a
	# linear run takes a tenth of a second (a few tenths under ASan).
	awk -v n=55000 -v depth=64 'BEGIN {
		printf "{\"type\": \"gpu\", \"binary\": \"/usr/lib/x\", \"description\": \"d\", \"r\": 0.1, \"a\": "
		for (i = 0; i < depth; i++) printf "["
		for (i = 0; i < n; i++) printf "%s\"\\u0001vuf%d:\"", i ? "," : "", i
		for (i = 0; i < depth; i++) printf "]"
		printf "}\n"
	}' >"$f"
	[ "$(stat -c %s "$f")" -lt 1048576 ]
	run --separate-stderr /usr/bin/time -o "$T/cpu" -f '%U %S' \
		"$VUF" -q show "$f"
	assert_success
	# The real is written as the file wrote it; every string as it was.
	assert_line --index 4 '  "r": 0.1,'
	[ "$(grep -c '"\\u0001vuf[0-9]*:"' <<<"$output")" -eq 55000 ]
	# Each element is 65 levels in: the object and 64 arrays.
	assert_line --index 69 "$(printf '%*s' 130 '')\"\\u0001vuf0:\","
	assert_line --index 55068 "$(printf '%*s' 130 '')\"\\u0001vuf54999:\""
	cpu=$(cpu_ms "$T/cpu")
	[ "$cpu" -lt 3000 ] || fail "show took $cpu ms of CPU"

	run --separate-stderr /usr/bin/time -o "$T/cpu" -f '%U %S' \
		"$VUF" validate "$f"
	assert_success
	cpu=$(cpu_ms "$T/cpu")
	[ "$cpu" -lt 3000 ] || fail "validate took $cpu ms of CPU"
	run --separate-stderr /usr/bin/time -o "$T/cpu" -f '%U %S' \
		"$VUF" -q --dir "$D" list --type gpu
	assert_success
	assert_output "10-markers.json  gpu  /usr/lib/x  $f"
	cpu=$(cpu_ms "$T/cpu")
	[ "$cpu" -lt 3000 ] || fail "list took $cpu ms of CPU"

	# 250,000 reals, each put back in place of its marker: a search of
	# the rest of the dump for each took 220 s under ASan.
	awk -v n=250000 'BEGIN {
		printf "{\"type\": \"gpu\", \"binary\": \"/usr/lib/x\", \"description\": \"d\", \"a\": ["
		for (i = 0; i < n; i++) printf "%s0.1", i ? "," : ""
		printf "]}\n"
	}' >"$f"
	run --separate-stderr /usr/bin/time -o "$T/cpu" -f '%U %S' \
		"$VUF" -q show "$f"
	assert_success
	[ "$(grep -c '^    0\.1,\?$' <<<"$output")" -eq 250000 ]
	cpu=$(cpu_ms "$T/cpu")
	[ "$cpu" -lt 3000 ] || fail "show of reals took $cpu ms of CPU"
	good_still_resolves
}

@test "hostile: a byte-order mark makes a file invalid" {
	put 10-bom.json '\xef\xbb\xbf{"type": "gpu", "binary": "/b", "description": "d"}'
	run --separate-stderr vuf show "$D/10-bom.json"
	assert_failure 1
	assert_output ""
	stderr_is "vhost-user-find: $D/10-bom.json:1:1: byte-order mark at the start of the file (not allowed in JSON)"
	good_still_resolves
}

@test "hostile: a raw NUL and an escaped NUL make a file invalid" {
	put 10-raw.json '{"type": "gpu", "binary": "/b\0in", "description": "d"}'
	put 20-value.json '{"type": "gpu", "binary": "/b\\u0000in", "description": "d"}'
	put 30-key.json '{"type": "gpu", "binary": "/b", "description": "d", "\\u0000": 1}'
	put 40-tag.json '{"type": "gpu", "binary": "/b", "description": "d", "tags": ["\\u0000"]}'
	run --separate-stderr vuf --dir "$D" list
	assert_success
	assert_output "$GOOD"
	stderr_is "vhost-user-find: warning: $D/10-raw.json:1:30: NUL byte in the file (not allowed in JSON)
vhost-user-find: warning: $D/20-value.json:1:38: a string contains U+0000 (NUL), which is not allowed
vhost-user-find: warning: $D/30-key.json:1:60: NUL byte in object key not supported near '\"\\\\u0000\"'
vhost-user-find: warning: $D/40-tag.json:1:69: a string contains U+0000 (NUL), which is not allowed"
}

@test "hostile: invalid and overlong UTF-8 make a file invalid" {
	put 10-ff.json '{"type": "gpu", "binary": "/b\xff", "description": "d"}'
	put 20-overlong.json '{"type": "gpu", "binary": "/b\xc0\xaf", "description": "d"}'
	put 30-surrogate.json '{"type": "gpu", "binary": "/b\xed\xa0\x80", "description": "d"}'
	put 40-toolarge.json '{"type": "gpu", "binary": "/b\xf4\x90\x80\x80", "description": "d"}'
	put 50-truncated.json '{"type": "gpu", "binary": "/b", "description": "d\xe2\x82"}'
	put 60-key.json '{"type": "gpu", "binary": "/b", "description": "d", "\xfe": 1}'
	run --separate-stderr vuf --dir "$D" list --all
	assert_success
	assert_output "invalid  10-ff.json         -    -              $D/10-ff.json         1:29: unable to decode byte 0xff near '\"/b'
invalid  20-overlong.json   -    -              $D/20-overlong.json   1:29: unable to decode byte 0xc0 near '\"/b'
invalid  30-surrogate.json  -    -              $D/30-surrogate.json  1:29: unable to decode byte 0xed near '\"/b'
invalid  40-toolarge.json   -    -              $D/40-toolarge.json   1:29: unable to decode byte 0xf4 near '\"/b'
active   50-good.json       net  /usr/lib/good  $D/50-good.json
invalid  50-truncated.json  -    -              $D/50-truncated.json  1:49: unable to decode byte 0xe2 near '\"d'
invalid  60-key.json        -    -              $D/60-key.json        1:53: unable to decode byte 0xfe near '\"'"
	good_still_resolves
}

@test "hostile: lone surrogates in escapes make a file invalid, a pair does not" {
	put 10-high.json '{"type": "gpu", "binary": "/b\\ud800", "description": "d"}'
	put 20-low.json '{"type": "gpu", "binary": "/b\\udc00", "description": "d"}'
	put 30-unpaired.json '{"type": "gpu", "binary": "/b\\ud800\\u0041", "description": "d"}'
	put 40-pair.json '{"type": "gpu", "binary": "/b\\ud83d\\ude00", "description": "d"}'
	run --separate-stderr vuf --dir "$D" list
	assert_success
	# The emoji takes two columns on a terminal.
	assert_output "40-pair.json  gpu  /b😀           $D/40-pair.json
$GOOD"
	stderr_is "vhost-user-find: warning: $D/10-high.json:1:36: invalid Unicode '\\\\uD800' near '\"/b\\\\ud800\"'
vhost-user-find: warning: $D/20-low.json:1:36: invalid Unicode '\\\\uDC00' near '\"/b\\\\udc00\"'
vhost-user-find: warning: $D/30-unpaired.json:1:42: invalid Unicode '\\\\uD800\\\\u0041' near '\"/b\\\\ud800\\\\u0041\"'"
}

@test "hostile: control characters in every member never reach the terminal raw" {
	# ESC (a colour and a title change), BEL, CR, DEL and the C1 CSI.
	put 10-esc.json '{"type": "gpu", "binary": "/b\\u001b[31mred\\u0007", "description": "\\u001b]0;owned\\u0007\\r", "tags": ["\\u009b2J", "\\u007f"], "\\u001b[2J": "\\u001b[5m"}'
	put 20-type.json '{"type": "gpu\\u001b[2J", "binary": "/b", "description": "d"}'
	put 30-relative.json '{"type": "gpu", "binary": "b\\u009b2J", "description": "d"}'
	put 40-kind.json '{"type": "gpu", "binary": "/b", "description": "d", "tags": ["\\u001b", 1]}'
	local n=0 cmd

	for cmd in "list" "list --all" "-v list --all" "show 10-esc" \
		   "-v show 10-esc" "show $D/20-type.json" \
		   "show $D/30-relative.json" "show $D/40-kind.json" \
		   "validate $D/10-esc.json $D/20-type.json $D/30-relative.json $D/40-kind.json" \
		   "list --json" "list --all --json"; do
		# shellcheck disable=SC2086
		vuf --dir "$D" $cmd >"$T/out.$n" 2>"$T/err.$n" || true
		no_raw_controls "$T/err.$n"
		case $cmd in
		*json* | *show*) no_raw_controls "$T/out.$n" json ;;
		*) no_raw_controls "$T/out.$n" ;;
		esac
		n=$((n + 1))
	done
	# The escapes that were printed instead, exactly.
	[ "$(cat "$T/out.0")" = "10-esc.json   gpu  /b\\x1b[31mred\\x07  $D/10-esc.json
40-kind.json  gpu  /b                 $D/40-kind.json
50-good.json  net  /usr/lib/good      $D/50-good.json" ]
	[ "$(cat "$T/err.0")" = "vhost-user-find: warning: $D/20-type.json:1:10: unknown type 'gpu\\x1b[2J' (known types: 9p, balloon, block, caif, console, crypto, gpu, input, net, rng, rpmsg, rproc-serial, scsi, vsock, fs)
vhost-user-find: warning: $D/30-relative.json:1:27: member 'binary' is not an absolute path: 'b\\xc2\\x9b2J'" ]
	grep -qF "vhost-user-find: warning: $D/10-esc.json:1:125: unknown member '\\x1b[2J'" "$T/err.3"
	grep -qF "vhost-user-find: warning: $D/40-kind.json:1:72: member 'tags' has a number at index 1, not a string" "$T/err.7"
	# JSON keeps every character, escaped by jansson.
	[ "$(jq -r .binary "$T/out.3")" = "$(printf '/b\033[31mred\a')" ]
	[ "$(jq -r '.tags[0]' "$T/out.3")" = "$(printf '\302\2332J')" ]
	good_still_resolves
}

@test "hostile: control characters in file and directory names are escaped" {
	local esc nl
	esc=$(printf '\033')
	nl=$'\n'
	desc "$D/20-${esc}[31mred.json" gpu /usr/lib/red
	desc "$D/30-new${nl}line.json" gpu /usr/lib/newline
	printf '[]' >"$D/40-${esc}]0;title${esc}\\.json"
	mkdir "$T/${esc}[2J"
	desc "$T/${esc}[2J/60-dir.json" gpu /usr/lib/dir
	run --separate-stderr vuf --dir "$D" --dir "$T/${esc}[2J" list
	assert_success
	assert_output "20-\\x1b[31mred.json  gpu  /usr/lib/red      $D/20-\\x1b[31mred.json
30-new\\nline.json    gpu  /usr/lib/newline  $D/30-new\\nline.json
$(printf '%-19s' 50-good.json)  net  /usr/lib/good     $D/50-good.json
60-dir.json          gpu  /usr/lib/dir      $T/\\x1b[2J/60-dir.json"
	stderr_is "vhost-user-find: warning: $D/40-\\x1b]0;title\\x1b\\\\.json:1:1: not a JSON object but an array"

	# A single value is its exact bytes for $(...), escaped on a terminal.
	run --separate-stderr vuf --dir "$T/${esc}[2J" paths
	assert_success
	assert_output "$T/${esc}[2J"
	run on_tty "$VUF" --dir "$T/${esc}[2J" paths
	assert_output "$T/\\x1b[2J"

	run --separate-stderr vuf --dir "$D" show "${esc}[2J"
	assert_failure 1
	stderr_is "vhost-user-find: \\x1b[2J.json: no such descriptor in the search path"

	run --separate-stderr vuf show "$D/${esc}[2J.json"
	assert_failure 1
	stderr_is "vhost-user-find: $D/\\x1b[2J.json: No such file or directory"

	run --separate-stderr vuf --root "$T/${esc}[5m" list
	assert_failure 2
	stderr_is "vhost-user-find: --root $T/\\x1b[5m: No such file or directory
Try 'vhost-user-find list --help' for more information."

	run --separate-stderr vuf list --type "gpu${esc}[2J"
	assert_failure 2
	stderr_has "vhost-user-find: unknown type 'gpu\\x1b[2J' (known types: 9p,"

	run --separate-stderr vuf list "--${esc}[2J"
	assert_failure 2
	stderr_has "vhost-user-find: --\\x1b[2J: unknown option"
	good_still_resolves
}

@test "hostile: a binary with a newline is one escaped line in text, exact in JSON" {
	put 10-nl.json '{"type": "gpu", "binary": "/usr/lib/a\\nb", "description": "d"}'
	run --separate-stderr vuf --dir "$D" list
	assert_success
	assert_output "10-nl.json    gpu  /usr/lib/a\\nb  $D/10-nl.json
$GOOD"
	[ "${#lines[@]}" -eq 2 ]
	run --separate-stderr vuf --dir "$D" list --json
	assert_success
	[ "$(jq -r '.[0].binary' <<<"$output")" = "/usr/lib/a
b" ]
	good_still_resolves
}

@test "hostile: duplicate keys make a file invalid, at any depth" {
	put 10-top.json '{"type": "gpu", "binary": "/b", "type": "net", "description": "d"}'
	put 20-nested.json '{"type": "gpu", "binary": "/b", "description": "d", "x": {"a": 1, "a": 2}}'
	put 30-in-array.json '{"type": "gpu", "binary": "/b", "description": "d", "tags": [], "x": [{"k": 1, "k": 1}]}'
	put 40-case.json '{"type": "gpu", "binary": "/b", "description": "d", "Type": "net"}'
	run --separate-stderr vuf --dir "$D" list
	assert_success
	assert_output "40-case.json  gpu  /b             $D/40-case.json
$GOOD"
	stderr_is "vhost-user-find: warning: $D/10-top.json:1:38: duplicate object key near '\"type\"'
vhost-user-find: warning: $D/20-nested.json:1:69: duplicate object key near '\"a\"'
vhost-user-find: warning: $D/30-in-array.json:1:82: duplicate object key near '\"k\"'"
}

@test "hostile: huge numbers make a file invalid, a tiny one is zero" {
	put 10-real.json '{"type": "gpu", "binary": "/b", "description": "d", "n": 1e99999}'
	put 20-negative.json '{"type": "gpu", "binary": "/b", "description": "d", "n": -1e99999}'
	put 30-integer.json '{"type": "gpu", "binary": "/b", "description": "d", "n": 123456789012345678901234567890}'
	put 40-type.json '{"type": 1e400, "binary": "/b", "description": "d"}'
	put 60-tiny.json '{"type": "gpu", "binary": "/b", "description": "d", "n": 1e-99999}'
	run --separate-stderr vuf --dir "$D" list
	assert_success
	assert_output "$GOOD
60-tiny.json  gpu  /b             $D/60-tiny.json"
	stderr_is "vhost-user-find: warning: $D/10-real.json:1:64: real number overflow near '1e99999'
vhost-user-find: warning: $D/20-negative.json:1:65: real number overflow near '-1e99999'
vhost-user-find: warning: $D/30-integer.json:1:87: too big integer
vhost-user-find: warning: $D/40-type.json:1:14: real number overflow near '1e400'"
	run --separate-stderr vuf show "$D/60-tiny.json"
	assert_success
	[ "$(jq -c .n <<<"$output")" = 0 ]
}

@test "hostile: symlink loops and links to a FIFO are ignored and never block" {
	mkdir "$T/general"
	desc "$T/general/10-self.json" gpu /usr/lib/self
	desc "$T/general/20-cycle.json" gpu /usr/lib/cycle
	desc "$T/general/30-fifo.json" gpu /usr/lib/fifo
	ln -s 10-self.json "$D/10-self.json"
	ln -s 20-other "$D/20-cycle.json"
	ln -s 20-cycle.json "$D/20-other"
	mkfifo "$T/fifo"
	ln -s "$T/fifo" "$D/30-fifo.json"
	run --separate-stderr timeout 30 "$VUF" --dir "$T/general" --dir "$D" list
	assert_success
	assert_output "10-self.json   gpu  /usr/lib/self   $T/general/10-self.json
20-cycle.json  gpu  /usr/lib/cycle  $T/general/20-cycle.json
30-fifo.json   gpu  /usr/lib/fifo   $T/general/30-fifo.json
50-good.json   net  /usr/lib/good   $D/50-good.json"
	stderr_is "vhost-user-find: warning: $D/10-self.json: ignored: symbolic link loop
vhost-user-find: warning: $D/20-cycle.json: ignored: symbolic link loop
vhost-user-find: warning: $D/30-fifo.json: ignored: is a FIFO"
	run --separate-stderr timeout 30 "$VUF" show "$D/30-fifo.json"
	assert_failure 1
	stderr_is "vhost-user-find: $D/30-fifo.json: is a FIFO"
	run --separate-stderr timeout 30 "$VUF" show "$D/20-cycle.json"
	assert_failure 1
	stderr_is "vhost-user-find: $D/20-cycle.json: symbolic link loop"
}

@test "hostile: show names what a FIFO, a socket or a directory *.json is" {
	mkfifo "$D/10-fifo.json"
	python3 -c 'import socket,sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' "$D/20-sock.json"
	mkdir "$D/30-dir.json"
	run --separate-stderr timeout 30 "$VUF" show "$D/10-fifo.json"
	assert_failure 1
	assert_output ""
	stderr_is "vhost-user-find: $D/10-fifo.json: is a FIFO"
	run --separate-stderr timeout 30 "$VUF" --dir "$D" show 20-sock
	assert_failure 1
	stderr_is "vhost-user-find: $D/20-sock.json: is a socket"
	run --separate-stderr timeout 30 "$VUF" --dir "$D" show 30-dir.json
	assert_failure 1
	stderr_is "vhost-user-find: $D/30-dir.json: is a directory"
	run --separate-stderr timeout 30 "$VUF" validate "$D/10-fifo.json"
	assert_failure 1
	stderr_has "$D/10-fifo.json"
	good_still_resolves
}

@test "hostile: an unreadable file, as nobody: invalid, named, still overriding" {
	as_nobody_setup
	local top="$NB_TOP"
	mkdir -p "$top/1" "$top/2"
	desc "$top/1/50-good.json" net /usr/lib/good
	desc "$top/1/60-secret.json" gpu /usr/lib/public
	desc "$top/2/60-secret.json" gpu /usr/lib/secret
	chmod 755 "$top/1" "$top/2"
	chmod 644 "$top/1/50-good.json" "$top/1/60-secret.json"
	chmod 000 "$top/2/60-secret.json"
	run --separate-stderr nobody_vuf_dirs_1_2 show 60-secret
	assert_failure 1
	assert_output ""
	stderr_is "vhost-user-find: $top/2/60-secret.json: Permission denied"
	run --separate-stderr as_nobody "$NB_VUF" show "$top/2/60-secret.json"
	assert_failure 1
	stderr_is "vhost-user-find: $top/2/60-secret.json: Permission denied"
	run --separate-stderr nobody_vuf_dirs_1_2 list
	assert_success
	assert_output "50-good.json  net  /usr/lib/good  $top/1/50-good.json"
	stderr_is "vhost-user-find: warning: $top/2/60-secret.json: Permission denied"
}

@test "hostile: unreadable and untraversable directories, as nobody" {
	as_nobody_setup
	local top="$NB_TOP"
	mkdir -p "$top/ok" "$top/closed" "$top/listonly" "$top/private/d"
	desc "$top/ok/50-good.json" net /usr/lib/good
	desc "$top/closed/10-a.json" gpu /usr/lib/a
	desc "$top/listonly/20-b.json" gpu /usr/lib/b
	desc "$top/private/d/30-c.json" gpu /usr/lib/c
	chmod 755 "$top/ok" "$top/private/d"
	chmod 644 "$top/ok/50-good.json"
	chmod 000 "$top/closed"
	chmod 444 "$top/listonly"
	chmod 700 "$top/private"
	run --separate-stderr as_nobody "$NB_VUF" --dir "$top/ok" \
		--dir "$top/closed" --dir "$top/listonly" --dir "$top/private/d" list
	assert_success
	assert_output "50-good.json  net  /usr/lib/good  $top/ok/50-good.json"
	stderr_is "vhost-user-find: warning: $top/closed: cannot read directory: Permission denied
vhost-user-find: warning: $top/private/d: cannot read directory: Permission denied
vhost-user-find: warning: $top/listonly/20-b.json: ignored: Permission denied"
	run --separate-stderr as_nobody "$NB_VUF" show "$top/private/d/30-c.json"
	assert_failure 1
	stderr_is "vhost-user-find: $top/private/d/30-c.json: Permission denied"
}

@test "hostile: HOME unset, empty or relative falls back to the passwd entry" {
	local pwhome
	pwhome=$(getent passwd "$(id -u)" | cut -d: -f6)
	for home in unset "" relative/dir; do
		if [ "$home" = unset ]; then
			run --separate-stderr env -u HOME -u XDG_CONFIG_HOME "$VUF" paths
		else
			run --separate-stderr env -u XDG_CONFIG_HOME HOME="$home" "$VUF" paths
		fi
		assert_success
		assert_line --index 2 "$pwhome/.config/qemu/vhost-user"
		stderr_is ""
	done
	# nobody's passwd home does not exist: the user directory is empty.
	as_nobody_setup
	run --separate-stderr as_nobody env -u HOME -u XDG_CONFIG_HOME "$NB_VUF" paths
	assert_success
	assert_line --index 2 "$(getent passwd nobody | cut -d: -f6)/.config/qemu/vhost-user"
	# XDG_CONFIG_HOME alone is enough.
	desc "$T/xdg/qemu/vhost-user/99-hostile-home.json" net /usr/lib/home
	run --separate-stderr env -u HOME XDG_CONFIG_HOME="$T/xdg" "$VUF" -v show 99-hostile-home
	assert_success
	[ "$(jq -r .binary <<<"$output")" = /usr/lib/home ]
	stderr_is "vhost-user-find: 99-hostile-home.json: from $T/xdg/qemu/vhost-user/99-hostile-home.json"
}

@test "hostile: a closed stdout or /dev/full is status 2 with a message" {
	local cmd
	for cmd in "list" "list --json" "list --all" "show 50-good" "paths" "--help"; do
		# shellcheck disable=SC2086
		run --separate-stderr "$VUF" --dir "$D" $cmd
		assert_success
		[ -n "$output" ]
		# shellcheck disable=SC2086
		run --separate-stderr bash -c '"$@" >&-' _ "$VUF" --dir "$D" $cmd
		assert_failure 2
		stderr_is "vhost-user-find: write error on standard output: Bad file descriptor"
		# shellcheck disable=SC2086
		run --separate-stderr bash -c '"$@" >/dev/full' _ "$VUF" --dir "$D" $cmd
		assert_failure 2
		stderr_is "vhost-user-find: write error on standard output: No space left on device"
	done
}

@test "hostile: | head -1 ends the tool quietly; with SIGPIPE ignored it says why" {
	many 1000 3000 '"binary": "/usr/lib/backend-with-a-long-name-%d"'
	# More than a pipe holds, so the tool is still writing when head exits.
	# SIGPIPE at its default, whatever the caller of the suite left.
	run --separate-stderr bash -c '"$@" | head -1; echo "${PIPESTATUS[0]}" >&2' _ \
		env --default-signal=PIPE "$VUF" --dir "$D" list --json
	assert_success
	assert_output "["
	stderr_is "141"
	run --separate-stderr bash -c 'trap "" PIPE; "$@" | head -1; echo "${PIPESTATUS[0]}" >&2' _ \
		"$VUF" --dir "$D" list
	assert_success
	assert_output "1000-x.json   gpu  /usr/lib/backend-with-a-long-name-1000  $D/1000-x.json"
	stderr_is "vhost-user-find: write error on standard output: Broken pipe
2"
}

@test "hostile: closed stdin and stderr do not disturb the answer" {
	[ -z "$VUF_VALGRIND" ] || skip "valgrind itself will not start without stderr"
	put 10-bad.json '[]'
	run bash -c '"$@" <&- 2>&-' _ "$VUF" --dir "$D" list
	assert_success
	assert_output "$GOOD"
}

@test "hostile: list --json of 3,000 entries is one valid array, printed as it goes" {
	many 1000 4000 '"binary": "/usr/lib/b%d", "tags": ["t"]'
	run --separate-stderr vuf --dir "$D" list --json
	assert_success
	[ "$(jq length <<<"$output")" -eq 3001 ]
	# Exactly the layout of jansson's indented array, whole.
	[ "$output" = "$(jq --indent 2 . <<<"$output")" ]
	[ "${lines[0]}" = "[" ] && [ "${lines[1]}" = "  {" ] && [ "${lines[-1]}" = "]" ]
	run --separate-stderr vuf --dir "$D" list --json --type vsock
	assert_failure 1
	assert_output "[]"
}

@test "hostile: list --json holds no binary: its memory does not grow with their length" {
	[ -z "$VUF_VALGRIND" ] || skip "measures the binary, not valgrind"
	local rss
	# 1,000 descriptors with a binary of 64 KiB each: 64 MiB of them.
	awk -v d="$D" 'BEGIN {
		for (pad = "x"; length(pad) < 65536; pad = pad pad)
			;
		for (i = 0; i < 1000; i++) {
			f = d "/" (10000 + i) "-long.json"
			print "{\"type\": \"gpu\", \"description\": \"d\", \"binary\": \"/usr/lib/" pad i "\"}" >f
			close(f)
		}
	}'
	# ASan keeps what is freed in a quarantine of 256 MiB: none here, so
	# that the peak is what the tool holds (9 MiB, against 86 before).
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=0 \
		/usr/bin/time -o "$T/rss" -f %M "$VUF" --dir "$D" -q list --json >"$T/out"
	[ "$(jq length "$T/out")" -eq 1001 ]
	[ "$(jq -r '.[999].binary | length' "$T/out")" -eq $((9 + 65536 + 3)) ]
	# A few MiB (tens under ASan); holding every binary took over 64.
	rss=$(tail -1 "$T/rss")
	[ "$rss" -lt $((48 * 1024)) ] || fail "peak RSS $rss KiB"
}

# The flipper for the next test: D/60-flip.json becomes, over and over,
# a regular file and a link to /dev/zero, each by an atomic rename.
flip_forever() {
	while :; do
		ln -sfn /dev/zero "$D/.link" && mv -fT "$D/.link" "$D/60-flip.json"
		cp "$D/50-good.json" "$D/.file" && mv -fT "$D/.file" "$D/60-flip.json"
	done
}

@test "hostile: an entry flipped between a file and a link to a device is never opened as the device" {
	[ -z "$VUF_VALGRIND" ] || skip "measures the binary, not valgrind"
	command -v strace >/dev/null || fail "strace is missing (make deps-test)"
	cp "$D/50-good.json" "$D/60-flip.json"
	flip_forever 3>&- &
	FLIPPER=$!
	local flipper=$FLIPPER i saw_file=0 saw_device=0
	for i in $(seq 300); do
		ASAN_OPTIONS=detect_leaks=0 strace -f -qq -y -o "$T/trace.$i" \
			-e trace=open,openat,openat2 \
			"$VUF" --dir "$D" -q list --all >"$T/out.$i" 2>/dev/null
		grep -q '^active  *60-flip.json' "$T/out.$i" && saw_file=$((saw_file + 1))
		grep -q 'is a character device' "$T/out.$i" && saw_device=$((saw_device + 1))
	done
	kill "$flipper"
	wait "$flipper" 2>/dev/null || true
	FLIPPER=
	# Both sides were seen: the race was run for real.
	[ "$saw_file" -gt 0 ] && [ "$saw_device" -gt 0 ] ||
		fail "file $saw_file times, device $saw_device times"
	# /dev/zero was reached, but only by handles that cannot read.
	grep -qh 'O_PATH.*</dev/zero>' "$T"/trace.* || fail "the device was never reached"
	run grep -h '</dev/zero>' "$T"/trace.*
	run grep -v O_PATH <<<"$output"
	assert_output ""
}

# The next test's flipper: D/70-flip.json becomes a regular file, a FIFO
# and a character device node (as /dev/zero), each by an atomic rename.
flip_nodes_forever() {
	while :; do
		mkfifo "$D/.fifo" && mv -fT "$D/.fifo" "$D/70-flip.json"
		mknod "$D/.dev" c 1 5 && mv -fT "$D/.dev" "$D/70-flip.json"
		cp "$D/50-good.json" "$D/.file" && mv -fT "$D/.file" "$D/70-flip.json"
	done
}

@test "hostile: an entry swapped for a FIFO or a device node between readdir and open is never opened by name" {
	[ -z "$VUF_VALGRIND" ] || skip "measures the binary, not valgrind"
	[ "$(id -u)" = 0 ] || skip "mknod needs root"
	command -v strace >/dev/null || fail "strace is missing (make deps-test)"
	cp "$D/50-good.json" "$D/70-flip.json"
	# Another user can write the directory: a swap is possible, so every
	# entry takes the careful route (SPEC 4.3), as paths -v says.
	chown nobody "$D"
	run --separate-stderr vuf --dir "$D" -v paths
	stderr_is "vhost-user-find: $D: present: entries looked at before they are read (another user can write it)"
	flip_nodes_forever 3>&- 2>/dev/null &
	FLIPPER=$!
	local flipper=$FLIPPER i
	for i in $(seq 200); do
		ASAN_OPTIONS=detect_leaks=0 strace -f -qq -o "$T/trace.$i" \
			-e trace=open,openat,openat2 \
			"$VUF" --dir "$D" -q list --all >/dev/null 2>&1
		ASAN_OPTIONS=detect_leaks=0 strace -f -qq -o "$T/show.$i" \
			-e trace=open,openat,openat2 \
			"$VUF" --dir "$D" -q show 70-flip >/dev/null 2>&1 || true
	done
	kill "$flipper"
	wait "$flipper" 2>/dev/null || true
	FLIPPER=
	# An entry is opened by its name only as a handle that cannot read;
	# a regular file is then reopened through /proc/self/fd.
	run grep -h '"70-flip.json"' "$T"/trace.* "$T"/show.*
	[ -n "$output" ] || fail "the entry was never looked at"
	run grep -v O_PATH <<<"$output"
	assert_output ""
}

@test "hostile: in a directory only root can write, a regular file is opened directly, never following a link" {
	[ -z "$VUF_VALGRIND" ] || skip "measures the binary, not valgrind"
	command -v strace >/dev/null || fail "strace is missing (make deps-test)"
	ln -s 50-good.json "$D/60-link.json"
	run --separate-stderr vuf --dir "$D" -v paths
	stderr_is "vhost-user-find: $D: present: entries read directly (only the caller or root can write it)"
	ASAN_OPTIONS=detect_leaks=0 strace -f -qq -o "$T/trace" \
		-e trace=open,openat,openat2 "$VUF" --dir "$D" -q list >"$T/out"
	assert_equal "$(cat "$T/out")" "$GOOD
60-link.json  net  /usr/lib/good  $D/60-link.json"
	# The regular file: by name, to read, the final link not followed.
	run grep -c '"50-good.json", O_RDONLY|O_NOCTTY|O_NONBLOCK|O_NOFOLLOW|O_CLOEXEC) = [0-9]' "$T/trace"
	assert_output 1
	# The link readdir reports as one: the careful route (O_PATH first).
	run grep '"60-link.json"' "$T/trace"
	assert_output --regexp 'O_PATH'
	refute_output --partial 'O_RDONLY|O_NOCTTY'
}
