#!/usr/bin/env bats
# SPEC §4: candidates, symlinks, masks, override by basename, order.
# Three directories stand for distro (1), sysadmin (2) and user (3).

load helpers
bats_require_minimum_version 1.5.0

setup() {
	common_setup
	mkdir -p "$T/1" "$T/2" "$T/3"
}

teardown() { as_nobody_teardown; }

# names: the first column of the last run's output.
names() {
	printf '%s\n' "$output" | awk '{print $1}'
}

@test "resolve: only *.json names that do not start with a dot are candidates" {
	desc "$T/1/50-a.json" gpu /usr/bin/a
	for n in 50-b.json.dpkg-old 50-c.json~ .50-d.json 50-e 50-f.JSON .json; do
		desc "$T/1/$n" gpu /usr/bin/x
	done
	run --separate-stderr vuf_dirs_1_2_3 list --all
	assert_success
	assert_output "active  50-a.json  gpu  /usr/bin/a  $T/1/50-a.json"
	stderr_is ""
}

@test "resolve: a more specific directory overrides by basename" {
	desc "$T/1/50-a.json" gpu /usr/bin/distro
	desc "$T/2/50-a.json" gpu /usr/bin/admin
	desc "$T/3/50-a.json" gpu /usr/bin/user
	desc "$T/2/60-b.json" gpu /usr/bin/admin-b
	desc "$T/1/60-b.json" gpu /usr/bin/distro-b
	run vuf_dirs_1_2_3 list
	assert_success
	assert_output "50-a.json  gpu  /usr/bin/user     $T/3/50-a.json
60-b.json  gpu  /usr/bin/admin-b  $T/2/60-b.json"
	run vuf_dirs_1_2_3 list --all
	assert_success
	assert_output "active      50-a.json  gpu  /usr/bin/user      $T/3/50-a.json
overridden  50-a.json  gpu  /usr/bin/admin     $T/2/50-a.json  overridden by $T/3/50-a.json
overridden  50-a.json  gpu  /usr/bin/distro    $T/1/50-a.json  overridden by $T/3/50-a.json
active      60-b.json  gpu  /usr/bin/admin-b   $T/2/60-b.json
overridden  60-b.json  gpu  /usr/bin/distro-b  $T/1/60-b.json  overridden by $T/2/60-b.json"
}

@test "resolve: entries sort by basename, whatever the directory" {
	desc "$T/3/90-z.json" gpu /z
	desc "$T/1/10-a.json" gpu /a
	desc "$T/2/50-m.json" gpu /m
	run vuf_dirs_1_2_3 list
	assert_success
	run names
	assert_output "10-a.json
50-m.json
90-z.json"
}

@test "resolve: order is bytewise, whatever the locale" {
	[ -d /usr/share/i18n/locales ] || fail "the locales package is missing"
	mkdir -p "$T/locale"
	localedef -i en_US -f UTF-8 "$T/locale/en_US.UTF-8" 2>/dev/null || true
	[ -d "$T/locale/en_US.UTF-8" ] || fail "could not build en_US.UTF-8"
	desc "$T/1/b.json" gpu /b
	desc "$T/1/B.json" gpu /B
	desc "$T/1/_.json" gpu /_
	desc "$T/1/a.json" gpu /a
	# The locale really sorts differently...
	run env LOCPATH="$T/locale" LC_ALL=en_US.UTF-8 sh -c 'printf "b\nB\n_\na\n" | sort'
	assert_output "_
a
b
B"
	# ...and the tool does not follow it.
	LOCPATH="$T/locale" LC_ALL=en_US.UTF-8 run vuf_dirs_1_2_3 list
	assert_success
	run names
	assert_output "B.json
_.json
a.json
b.json"
}

@test "resolve: an empty file masks, and hides less specific files" {
	desc "$T/1/50-a.json" gpu /usr/bin/a
	desc "$T/1/60-b.json" gpu /usr/bin/b
	: >"$T/2/50-a.json"
	run vuf_dirs_1_2_3 list
	assert_success
	assert_output "60-b.json  gpu  /usr/bin/b  $T/1/60-b.json"
	run vuf_dirs_1_2_3 list --all
	assert_success
	assert_output "masked  50-a.json  -    -           $T/2/50-a.json  mask: an empty file
masked  50-a.json  gpu  /usr/bin/a  $T/1/50-a.json  masked by $T/2/50-a.json
active  60-b.json  gpu  /usr/bin/b  $T/1/60-b.json"
}

@test "resolve: a symbolic link to /dev/null masks" {
	desc "$T/1/50-a.json" gpu /usr/bin/a
	ln -s /dev/null "$T/3/50-a.json"
	run vuf_dirs_1_2_3 list
	assert_failure 1
	assert_output ""
	run vuf_dirs_1_2_3 list --all
	assert_success
	assert_output "masked  50-a.json  -    -           $T/3/50-a.json  mask: a link to /dev/null
masked  50-a.json  gpu  /usr/bin/a  $T/1/50-a.json  masked by $T/3/50-a.json"
}

@test "resolve: a symbolic link to an empty file masks" {
	desc "$T/1/50-a.json" gpu /usr/bin/a
	: >"$T/empty"
	ln -s ../empty "$T/2/50-a.json"
	run vuf_dirs_1_2_3 list --all
	assert_success
	assert_line --index 0 --partial "masked  50-a.json"
	assert_line --index 1 --partial "masked by $T/2/50-a.json"
}

@test "resolve: a mask in the most general directory masks nothing else" {
	: >"$T/1/50-a.json"
	desc "$T/2/50-a.json" gpu /usr/bin/a
	run vuf_dirs_1_2_3 list
	assert_success
	assert_output "50-a.json  gpu  /usr/bin/a  $T/2/50-a.json"
}

@test "resolve: symbolic links to descriptors are followed" {
	desc "$T/elsewhere/real.json" gpu /usr/bin/linked
	ln -s ../elsewhere/real.json "$T/2/50-a.json"
	run vuf_dirs_1_2_3 list
	assert_success
	assert_output "50-a.json  gpu  /usr/bin/linked  $T/2/50-a.json"
}

@test "resolve: an invalid file overrides by name, and is reported" {
	desc "$T/1/50-a.json" gpu /usr/bin/a
	desc "$T/1/60-b.json" gpu /usr/bin/b
	echo '{"type": "gpu"' >"$T/2/50-a.json"
	run --separate-stderr vuf_dirs_1_2_3 list
	assert_success
	assert_output "60-b.json  gpu  /usr/bin/b  $T/1/60-b.json"
	stderr_is "vhost-user-find: warning: $T/2/50-a.json:2: '}' expected near end of file"
	run --separate-stderr vuf_dirs_1_2_3 list --all
	assert_success
	assert_output "invalid     50-a.json  -    -           $T/2/50-a.json  2: '}' expected near end of file
overridden  50-a.json  gpu  /usr/bin/a  $T/1/50-a.json  overridden by $T/2/50-a.json
active      60-b.json  gpu  /usr/bin/b  $T/1/60-b.json"
	stderr_is ""
}

@test "resolve: -q silences the warning about an invalid file" {
	echo '[]' >"$T/2/50-a.json"
	desc "$T/1/60-b.json" gpu /usr/bin/b
	run --separate-stderr vuf_dirs_1_2_3 -q list
	assert_success
	assert_output "60-b.json  gpu  /usr/bin/b  $T/1/60-b.json"
	stderr_is ""
}

@test "resolve: a FIFO is ignored, takes no part in override, and does not hang" {
	desc "$T/1/50-a.json" gpu /usr/bin/a
	mkfifo "$T/2/50-a.json"
	run --separate-stderr timeout 10 "$VUF" --dir "$T/1" --dir "$T/2" list
	assert_success
	assert_output "50-a.json  gpu  /usr/bin/a  $T/1/50-a.json"
	stderr_is "vhost-user-find: warning: $T/2/50-a.json: ignored: is a FIFO"
	run timeout 10 "$VUF" --dir "$T/1" --dir "$T/2" list --all
	assert_success
	assert_output "ignored  50-a.json  -    -           $T/2/50-a.json  is a FIFO
active   50-a.json  gpu  /usr/bin/a  $T/1/50-a.json"
}

@test "resolve: a directory, a socket, a dangling link and a link loop are ignored" {
	desc "$T/1/10-dir.json" gpu /usr/bin/dir
	desc "$T/1/20-dangling.json" gpu /usr/bin/dangling
	desc "$T/1/30-loop.json" gpu /usr/bin/loop
	desc "$T/1/40-sock.json" gpu /usr/bin/sock
	mkdir "$T/2/10-dir.json"
	ln -s "$T/nowhere" "$T/2/20-dangling.json"
	ln -s 30-loop.json "$T/2/30-loop.json"
	python3 -c 'import socket,sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' "$T/2/40-sock.json"
	run --separate-stderr vuf_dirs_1_2_3 list
	assert_success
	assert_output "10-dir.json       gpu  /usr/bin/dir       $T/1/10-dir.json
20-dangling.json  gpu  /usr/bin/dangling  $T/1/20-dangling.json
30-loop.json      gpu  /usr/bin/loop      $T/1/30-loop.json
40-sock.json      gpu  /usr/bin/sock      $T/1/40-sock.json"
	stderr_is "vhost-user-find: warning: $T/2/10-dir.json: ignored: is a directory
vhost-user-find: warning: $T/2/20-dangling.json: ignored: dangling symbolic link
vhost-user-find: warning: $T/2/30-loop.json: ignored: symbolic link loop
vhost-user-find: warning: $T/2/40-sock.json: ignored: is a socket"
}

@test "resolve: a character device other than /dev/null is ignored" {
	ln -s /dev/zero "$T/2/50-a.json"
	desc "$T/1/50-a.json" gpu /usr/bin/a
	run --separate-stderr timeout 10 "$VUF" --dir "$T/1" --dir "$T/2" list
	assert_success
	assert_output "50-a.json  gpu  /usr/bin/a  $T/1/50-a.json"
	stderr_is "vhost-user-find: warning: $T/2/50-a.json: ignored: is a character device"
}

@test "resolve: a missing directory is silently empty" {
	desc "$T/1/50-a.json" gpu /usr/bin/a
	run --separate-stderr vuf --dir "$T/missing" --dir "$T/1" list
	assert_success
	assert_output "50-a.json  gpu  /usr/bin/a  $T/1/50-a.json"
	stderr_is ""
}

@test "resolve: a path that is not a directory is a warning, the rest still counts" {
	desc "$T/1/50-a.json" gpu /usr/bin/a
	touch "$T/file"
	run --separate-stderr vuf --dir "$T/1" --dir "$T/file" list
	assert_success
	assert_output "50-a.json  gpu  /usr/bin/a  $T/1/50-a.json"
	stderr_is "vhost-user-find: warning: $T/file: cannot read directory: Not a directory"
}

@test "resolve: an unreadable directory is a warning, the others still count" {
	as_nobody_setup
	local top="$NB_TOP"
	mkdir -p "$top/1" "$top/2"
	desc "$top/1/50-a.json" gpu /usr/bin/a
	desc "$top/2/60-b.json" gpu /usr/bin/b
	chmod 755 "$top/1"
	chmod 000 "$top/2"
	run --separate-stderr nobody_vuf_dirs_1_2 list
	assert_success
	assert_output "50-a.json  gpu  /usr/bin/a  $top/1/50-a.json"
	stderr_is "vhost-user-find: warning: $top/2: cannot read directory: Permission denied"
}

@test "resolve: an unreadable file is invalid and still overrides by name" {
	as_nobody_setup
	local top="$NB_TOP"
	mkdir -p "$top/1" "$top/2"
	desc "$top/1/50-a.json" gpu /usr/bin/a
	desc "$top/2/50-a.json" gpu /usr/bin/secret
	desc "$top/1/60-b.json" gpu /usr/bin/b
	chmod 755 "$top/1" "$top/2"
	chmod 644 "$top/1/50-a.json" "$top/1/60-b.json"
	chmod 600 "$top/2/50-a.json"
	run --separate-stderr nobody_vuf_dirs_1_2 list --all
	assert_success
	assert_output "invalid     50-a.json  -    -           $top/2/50-a.json  Permission denied
overridden  50-a.json  gpu  /usr/bin/a  $top/1/50-a.json  overridden by $top/2/50-a.json
active      60-b.json  gpu  /usr/bin/b  $top/1/60-b.json"
}

@test "resolve: the same directory twice counts once, at its most specific place" {
	desc "$T/1/50-a.json" gpu /usr/bin/one
	desc "$T/2/50-a.json" gpu /usr/bin/two
	ln -s 1 "$T/one-again"
	run --separate-stderr vuf --dir "$T/1" --dir "$T/2" --dir "$T/one-again" list --all
	assert_success
	assert_output "active      50-a.json  gpu  /usr/bin/one  $T/one-again/50-a.json
overridden  50-a.json  gpu  /usr/bin/two  $T/2/50-a.json          overridden by $T/one-again/50-a.json"
	stderr_is ""
}

# big_descriptors DIR TYPE: 20 descriptors of type TYPE in DIR, each
# ~0.7 MiB, a tree of 340,000 objects in a member outside the schema.
big_descriptors() {
	python3 - "$1" "$2" <<'PY'
import sys
for i in range(20):
    body = ('{"type": "%s", "binary": "/x", "description": "d", "x": ['
            % sys.argv[2] + ",".join(["{}"] * 340000) + "]}")
    open("%s/%02d-big.json" % (sys.argv[1], i), "w").write(body)
PY
}

@test "resolve: many large descriptors are not all held in memory at once" {
	[ -z "${VUF_VALGRIND:-}" ] || skip "peak memory is valgrind's under valgrind"
	[ -x /usr/bin/time ] || fail "GNU time is missing"
	# 20 valid descriptors of ~0.7 MiB, each a tree of 340,000 objects:
	# kept whole, they take over a gigabyte.
	big_descriptors "$T/1" gpu
	# ASan holds freed memory in a quarantine: let it go at once here.
	ASAN_OPTIONS=quarantine_size_mb=0 run --separate-stderr \
		/usr/bin/time -f '%M' "$VUF" -q --dir "$T/1" list --all --json
	assert_success
	local kib=${stderr##*$'\n'}
	[ "$kib" -lt 512000 ] || fail "peak RSS $kib KiB"
	run vuf -q --dir "$T/1" show 19-big
	assert_success
	assert_line '  "x": ['
}

@test "resolve: many large invalid descriptors are not all held either, in any command" {
	[ -z "${VUF_VALGRIND:-}" ] || skip "peak memory is valgrind's under valgrind"
	[ -x /usr/bin/time ] || fail "GNU time is missing"
	# Invalid (an unknown type) ones are kept for their errors: by their
	# schema members only, or 20 trees of 340,000 objects are held.
	big_descriptors "$T/1" nope
	local c cmd kib
	# Each command, with its exit status.
	for c in "1 list" "0 list --all --json" "1 validate" "1 match --type gpu"; do
		cmd=${c#* }
		# shellcheck disable=SC2086 # the words of the command
		ASAN_OPTIONS=quarantine_size_mb=0 run --separate-stderr \
			/usr/bin/time -f '%M' "$VUF" -q --dir "$T/1" $cmd
		assert_equal "$status" "${c%% *}"
		kib=${stderr##*$'\n'}
		[ "$kib" -lt 512000 ] || fail "$cmd: peak RSS $kib KiB"
	done
}

@test "resolve: a device node that is /dev/null masks too" {
	[ "$(id -u)" = 0 ] || skip "mknod needs root"
	desc "$T/1/50-a.json" gpu /usr/bin/a
	mknod "$T/2/50-a.json" c "$(stat -c '%Hr' /dev/null)" "$(stat -c '%Lr' /dev/null)"
	run vuf_dirs_1_2_3 list --all
	assert_success
	assert_output "masked  50-a.json  -    -           $T/2/50-a.json  mask: the /dev/null device
masked  50-a.json  gpu  /usr/bin/a  $T/1/50-a.json  masked by $T/2/50-a.json"
}
