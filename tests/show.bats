#!/usr/bin/env bats
# SPEC §6 show: one descriptor by name through the search path, or a file.

load helpers
bats_require_minimum_version 1.5.0

setup() {
	common_setup
	mkdir -p "$T/1" "$T/2"
	desc "$T/1/50-gpu.json" gpu /usr/libexec/distro-gpu "distro gpu"
	desc "$T/2/50-gpu.json" gpu /opt/admin-gpu "admin gpu"
	desc "$T/1/60-input.json" input /usr/libexec/input "input"
	: >"$T/2/60-input.json"
	printf '{"type": "gpu"}' >"$T/2/70-bad.json"
	mkfifo "$T/2/80-fifo.json"
}

@test "show NAME: the descriptor that takes effect, with or without .json" {
	expect 0 '{
  "description": "admin gpu",
  "type": "gpu",
  "binary": "/opt/admin-gpu"
}' '' -- vuf_dirs_1_2 show 50-gpu
	run vuf_dirs_1_2 show 50-gpu.json
	assert_success
	assert_line '  "binary": "/opt/admin-gpu"'
}

@test "show: --json changes nothing" {
	run vuf_dirs_1_2 show 50-gpu
	local plain=$output
	run vuf_dirs_1_2 show --json 50-gpu
	assert_success
	assert_output "$plain"
}

@test "show -v: stderr says where it came from and what it overrides" {
	run --separate-stderr vuf_dirs_1_2 -v show 50-gpu
	assert_success
	stderr_is "vhost-user-find: 50-gpu.json: from $T/2/50-gpu.json
vhost-user-find: 50-gpu.json: overrides $T/1/50-gpu.json"
}

@test "show PATH: a file directly, even outside the search path" {
	desc "$T/elsewhere/x.json" net /usr/bin/net "net"
	run vuf_dirs_1_2 show "$T/elsewhere/x.json"
	assert_success
	assert_line '  "type": "net",'
	run vuf_dirs_1_2 show "$T/1/50-gpu.json"
	assert_success
	assert_line '  "binary": "/usr/libexec/distro-gpu"'
}

@test "show: a masked name exits 1 naming the mask" {
	expect 1 '' "vhost-user-find: 60-input.json: masked by $T/2/60-input.json" -- vuf_dirs_1_2 show 60-input
}

@test "show PATH: an empty file is a mask" {
	expect 1 '' "vhost-user-find: $T/2/60-input.json: is a mask (an empty file)" -- vuf_dirs_1_2 show "$T/2/60-input.json"
	expect 1 '' "vhost-user-find: /dev/null: is a mask (the /dev/null device)" -- vuf_dirs_1_2 show /dev/null
}

@test "show: an invalid descriptor exits 1 with the reason" {
	expect 1 '' "vhost-user-find: $T/2/70-bad.json:1:1: missing required member 'binary'" -- vuf_dirs_1_2 show 70-bad
}

@test "show: an ignored entry exits 1 with the reason, without hanging" {
	run --separate-stderr timeout 10 "$VUF" --dir "$T/1" --dir "$T/2" show 80-fifo
	assert_failure 1
	stderr_is "vhost-user-find: $T/2/80-fifo.json: is a FIFO"
	run --separate-stderr timeout 10 "$VUF" show "$T/2/80-fifo.json"
	assert_failure 1
	stderr_is "vhost-user-find: $T/2/80-fifo.json: is a FIFO"
}

@test "show: an absent name or file exits 1" {
	expect 1 '' "vhost-user-find: 99-none.json: no such descriptor in the search path" -- vuf_dirs_1_2 show 99-none
	expect 1 '' "vhost-user-find: $T/none.json: No such file or directory" -- vuf_dirs_1_2 show "$T/none.json"
}

@test "show: a missing or extra operand is a usage error" {
	run --separate-stderr vuf_dirs_1_2 show
	assert_failure 2
	stderr_has "missing NAME or PATH"
	run --separate-stderr vuf_dirs_1_2 show a b
	assert_failure 2
	stderr_has "too many arguments"
}

@test "show: a binary's name given for a descriptor's names the descriptors that use it" {
	desc "$T/2/90-other.json" gpu /usr/lib/other/admin-gpu "other"
	desc "$T/1/95-hidden.json" gpu /usr/lib/admin-gpu "hidden"
	: >"$T/2/95-hidden.json"
	expect 1 '' "vhost-user-find: admin-gpu.json: no such descriptor in the search path; '50-gpu.json', '90-other.json' use a binary of that name" -- vuf_dirs_1_2 show admin-gpu
	expect 1 '' "vhost-user-find: distro-gpu.json: no such descriptor in the search path" -- vuf_dirs_1_2 show distro-gpu
	desc "$T/1/60-input.json" input /usr/libexec/input "input"
	expect 1 '' "vhost-user-find: input.json: no such descriptor in the search path" -- vuf_dirs_1_2 show input
	rm "$T/2/90-other.json"
	expect 1 '' "vhost-user-find: admin-gpu.json: no such descriptor in the search path; '50-gpu.json' uses a binary of that name" -- vuf_dirs_1_2 caps admin-gpu
}
