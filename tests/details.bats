#!/usr/bin/env bats
# Smaller things a careful user trips on (issue 11, point 7): each is a
# promise of the man page.

load helpers
bats_require_minimum_version 1.5.0

setup() {
	common_setup
	fake_backends_setup
	one_dir_setup
}

@test "COMMAND -h wins over any other error on the line" {
	run --separate-stderr vuf match -h --type bogus
	assert_success
	assert_line --index 0 --partial "Usage: vhost-user-find [OPTION]... match --type TYPE"
	stderr_is ""
	run --separate-stderr vuf list --bogus -h
	assert_success
	assert_line --index 0 --partial "list [--type TYPE]"
	run --separate-stderr vuf caps --timeout x --binary '' -h
	assert_success
	stderr_is ""
}

@test "--timeout takes decimal seconds only: no hex, exponent, space or sign" {
	local t
	for t in 0x10 ' 5' '5 ' 1e1 +5 -1 inf nan . '' 0 0.0 86400.5; do
		run --separate-stderr vuf --timeout "$t" paths
		assert_failure 2
		stderr_has "--timeout '$t': not a number of seconds greater than 0 and at most 86400"
	done
	for t in 5 0.25 .5 5. 86400; do
		run --separate-stderr vuf --timeout "$t" paths
		assert_success
	done
}

@test "show prints numbers as the file wrote them, or as short as reads back the same" {
	printf '{"type": "gpu", "binary": "/b", "description": "d", "x": [0.1, 1e2, 2.5, 3, -0.0001]}\n' >"$D/50-n.json"
	run --separate-stderr vuf show "$D/50-n.json"
	assert_success
	run jq -c .x <<<"$output"
	assert_output '[0.1,100,2.5,3,-0.0001]'
	run --separate-stderr vuf show "$D/50-n.json"
	assert_line '    0.1,'
	assert_line '    1e2,'
	assert_line '    -0.0001'
	# Each number with its own digits, not the most any of them needs.
	printf '{"type": "gpu", "binary": "/b", "description": "d", "x": [0.1, 0.30000000000000004]}\n' >"$D/50-n.json"
	run --separate-stderr vuf show "$D/50-n.json"
	assert_line '    0.1,'
	assert_line '    0.30000000000000004'
}

@test "show prints strings that look like its number markers as they are, beside numbers" {
	# show writes each real through a string marker "\u0001vufK:..."
	# with a K that no string of the file starts with: here 0, 1 and 2
	# are taken (2 by a key), 01 and 3 without a colon are not markers.
	printf '%s\n' '{"type": "gpu", "binary": "/b", "description": "d",' \
		'"x": ["\u0001vuf0:", "\u0001vuf1:x", 0.1, "\u0001vuf01:", "\u0001vuf3"],' \
		'"\u0001vuf2:": 2.5}' >"$D/50-m.json"
	run --separate-stderr vuf -q show "$D/50-m.json"
	assert_success
	run jq -c '[.x, .["\u0001vuf2:"]]' <<<"$output"
	assert_output '[["\u0001vuf0:","\u0001vuf1:x",0.1,"\u0001vuf01:","\u0001vuf3"],2.5]'
	run --separate-stderr vuf -q show "$D/50-m.json"
	assert_line '    0.1,'
	assert_line '  "\u0001vuf2:": 2.5'
}

@test "a link to a zero-size pseudo-file is read, not taken for an empty mask" {
	[ -r /proc/cpuinfo ] || skip "no /proc/cpuinfo"
	ln -s /proc/cpuinfo "$D/50-cpu.json"
	: >"$D/60-empty.json"
	run --separate-stderr vuf --dir "$D" list --all
	assert_success
	assert_line --partial "invalid  50-cpu.json"
	assert_line --regexp '^masked +60-empty.json .* mask: an empty file$'
	run --separate-stderr vuf show "$D/50-cpu.json"
	assert_failure 1
	stderr_has "'[' or '{' expected near"
}

@test "show /dev/null calls the device the device, and a link to it a link" {
	run --separate-stderr vuf show /dev/null
	assert_failure 1
	stderr_is "vhost-user-find: /dev/null: is a mask (the /dev/null device)"
	ln -s /dev/null "$D/50-m.json"
	run --separate-stderr vuf show "$D/50-m.json"
	stderr_is "vhost-user-find: $D/50-m.json: is a mask (a link to /dev/null)"
	run --separate-stderr vuf validate /dev/null
	stderr_is "/dev/null: warning: [VUF113] a mask (the /dev/null device), not a descriptor
1 file checked, 0 errors, 1 warning"
}

@test "a chain of 46 links is too long, not a loop; a loop is a loop" {
	local i
	desc "$D/end" gpu /b
	for i in $(seq 1 45); do ln -s "l$((i + 1))" "$D/l$i"; done
	ln -s end "$D/l46"
	ln -s l1 "$D/50-chain.json"
	ln -s 61-loop.json "$D/60-loop.json"
	ln -s 60-loop.json "$D/61-loop.json"
	run --separate-stderr vuf --dir "$D" list --all
	assert_line --regexp '^ignored +50-chain.json .* too many levels of symbolic links$'
	assert_line --regexp '^ignored +60-loop.json .* symbolic link loop$'
	run --separate-stderr vuf show "$D/50-chain.json"
	stderr_is "vhost-user-find: $D/50-chain.json: too many levels of symbolic links"
	# Under --root too, where the walk is the root's.
	mkdir -p "$T/r/etc/qemu" "$T/r/usr/share/qemu"
	ln -s /d "$T/r/etc/qemu/vhost-user"
	mv "$D" "$T/r/d"
	run --separate-stderr vuf --root "$T/r" list --all
	assert_line --regexp '^ignored +50-chain.json .* too many levels of symbolic links$'
	assert_line --regexp '^ignored +60-loop.json .* symbolic link loop$'
}

@test "a rejection lists at most ten of the features asked for, and so do the warning and the closing line" {
	desc "$D/10-virgl.json" gpu "$B/gpu-virgl"
	run --separate-stderr vuf --dir "$D" match --type gpu $(printf -- '--feature=f%d ' $(seq 1 12))
	assert_failure 1
	stderr_is "vhost-user-find: warning: features 'f1', 'f2', 'f3', 'f4', 'f5', 'f6', 'f7', 'f8', 'f9', 'f10' and 2 more are not known gpu features; matching them anyway
vhost-user-find: $D/10-virgl.json: $B/gpu-virgl: lacks features f1, f2, f3, f4, f5, f6, f7, f8, f9, f10 and 2 more (reports virgl, render-node)
vhost-user-find: no gpu backend with features f1, f2, f3, f4, f5, f6, f7, f8, f9, f10 and 2 more"
}
