#!/usr/bin/env bats
# A probe is a clean and contained process (SPEC §5, the trust issue):
# what a backend gets (environment, session, descriptors, signals), and
# that when a probe ends, however it ends, no process of it is left,
# while a process the tool did not start is never touched.
#
# Each property is checked in four ways: with the namespace the kernel
# allows (a PID namespace as root, a user and a PID namespace as
# nobody) and with the subreaper fallback (VHOST_USER_FIND_NO_NAMESPACE),
# each with the tool run as root and as nobody.

load helpers
bats_require_minimum_version 1.5.0

setup() {
	common_setup
	fake_backends_setup
}

teardown() {
	# A failed test must not leave a fork chain running.
	local i
	for i in $(seq 200); do
		pgrep -f -- "$T/chain" >/dev/null || break
		pkill -KILL -f -- "$T/chain"
	done
	pgrep -f -- "${NB_TOP:-$T}/chain" >/dev/null &&
		pkill -KILL -f -- "$NB_TOP/chain"
	as_nobody_teardown
}

# use MODE WHO: the tool runs as WHO (root, nobody) with MODE (ns: what
# the kernel allows; fallback: VHOST_USER_FIND_NO_NAMESPACE=1).  Sets
# $DIR, where backends are put (one WHO can reach), and $FAKE_DIR.
use() {
	MODE=$1 WHO=$2 NONS=
	[ "$MODE" = fallback ] && NONS=1
	DIR=$T
	if [ "$WHO" = nobody ]; then
		as_nobody_setup
		DIR=$NB_TOP
		export FAKE_DIR="$NB_TOP/fake"
		mkdir -p "$FAKE_DIR"
		chmod 1777 "$FAKE_DIR"
	fi
}

# tool ARGS...: run the tool as use said, giving backends FAKE_DIR.
tool() {
	if [ "$WHO" = nobody ]; then
		as_nobody env VHOST_USER_FIND_NO_NAMESPACE="$NONS" "$NB_VUF" \
			--env FAKE_DIR "$@"
	else
		VHOST_USER_FIND_NO_NAMESPACE="$NONS" "$VUF" --env FAKE_DIR "$@"
	fi
}

# tool_cmd [as-is]: the same as words for a shell, for bash -c and
# script(1); with as-is, without the change of user (already made).
tool_cmd() {
	local cmd= rest
	if [ "$WHO" = nobody ] && [ "${1:-}" != as-is ]; then
		printf -v cmd '%q ' setpriv --reuid=nobody --regid=nogroup \
			--clear-groups -- env TMPDIR=/tmp
	fi
	printf -v rest '%q ' env VHOST_USER_FIND_NO_NAMESPACE="$NONS" \
		"${NB_VUF:-$VUF}" --env FAKE_DIR
	echo "$cmd$rest"
}

# backend NAME: the path of fake backend NAME where WHO can run it: the
# ELF one (record*, chain*) or a script from fixtures/backends.
backend() {
	local b
	case $1 in
	record* | chain*)
		b=$(elf_backend "$1")
		;;
	*)
		b="$T/$1"
		cp "$B/$1" "$b"
		;;
	esac
	if [ "$DIR" != "$T" ]; then
		cp "$b" "$DIR/$1"
		b="$DIR/$1"
	fi
	echo "$b"
}

# expected_containment: what -v says for MODE and WHO.
expected_containment() {
	VHOST_USER_FIND_NO_NAMESPACE=$NONS containment "$WHO"
}

namespaced() {
	[[ "$(expected_containment)" == in* ]]
}

# soon_gone PID...: gone, allowing 5 s for a reaper that outlives the tool.
soon_gone() {
	local i p left
	for i in $(seq 100); do
		left=
		for p in "$@"; do
			kill -0 "$p" 2>/dev/null && left=$p
		done
		[ -z "$left" ] && return 0
		sleep 0.05
	done
	gone "$@"
}

# no_process_with TEXT: no process has TEXT in its command line.
no_process_with() {
	run pgrep -a -f -- "$1"
	[ "$status" -eq 1 ] || fail "left running: $output"
}

# wait_for FILE: until a backend has noted FILE (at most 10 s).
wait_for() {
	local i
	for i in $(seq 200); do
		[ -s "$1" ] && return 0
		sleep 0.05
	done
	fail "$1 was never written"
}

# with_odd_signals CMD...: run CMD with signals ignored and blocked, as
# a careless or a signalfd-using caller would start it; by posix_spawn,
# as GNU make does, which hands glibc's own two (32, 33) over ignored.
with_odd_signals() {
	/usr/bin/python3 -c 'import os, signal, sys
for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGUSR1):
    signal.signal(s, signal.SIG_IGN)
signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR2, signal.SIGCHLD, signal.SIGALRM})
pid = os.posix_spawnp(sys.argv[1], sys.argv[1:], os.environ)
sys.exit(os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]))' "$@"
}

check_clean_start() {
	use "$1" "$2"
	local rec
	rec=$(backend record)
	# A caller in another directory, with a tight umask, odd signals and
	# secrets; valgrind's own LD_PRELOAD is one more.
	cd "$DIR"
	umask 077
	export SECRET_TOKEN=hunter2 LD_PRELOAD= FROM_CALLER="the caller's"
	run --separate-stderr with_odd_signals bash -c "$(tool_cmd)"'"$@"' _ \
		--env ADDED=1 --env FROM_CALLER --env UNSET_HERE caps --binary "$rec"
	umask 022
	assert_success
	assert_output virgl
	stderr_is ""
	assert_equal "$(cat "$FAKE_DIR/env")" "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
LC_ALL=C
FAKE_DIR=$FAKE_DIR
ADDED=1
FROM_CALLER=the caller's"
	assert_equal "$(cat "$FAKE_DIR/argv")" "2 $rec --print-capabilities"
	assert_equal "$(cat "$FAKE_DIR/cwd")" /
	assert_equal "$(cat "$FAKE_DIR/umask")" 0022
	assert_equal "$(cat "$FAKE_DIR/fds")" "0 1 2"
	assert_equal "$(cat "$FAKE_DIR/stdin")" /dev/null
	assert_equal "$(cat "$FAKE_DIR/session")" own
	# Every signal, real-time ones included: none blocked, none ignored.
	assert_equal "$(cat "$FAKE_DIR/signals")" "SigBlk:	0000000000000000
SigIgn:	0000000000000000"

	# A later --env replaces an earlier one, the defaults included.
	run --separate-stderr tool --env PATH=/x --env LC_ALL=C.UTF-8 \
		--env TWICE=1 --env TWICE=2 caps --binary "$rec"
	assert_success
	assert_equal "$(cat "$FAKE_DIR/env")" "FAKE_DIR=$FAKE_DIR
PATH=/x
LC_ALL=C.UTF-8
TWICE=2"
}

@test "a backend starts clean: environment, --env, cwd, umask, descriptors, signals (namespace, root)" {
	check_clean_start ns root
}

@test "a backend starts clean: environment, --env, cwd, umask, descriptors, signals (fallback, root)" {
	check_clean_start fallback root
}

@test "a backend starts clean: environment, --env, cwd, umask, descriptors, signals (namespace, nobody)" {
	check_clean_start ns nobody
}

@test "a backend starts clean: environment, --env, cwd, umask, descriptors, signals (fallback, nobody)" {
	check_clean_start fallback nobody
}

check_no_terminal() {
	use "$1" "$2"
	command -v script >/dev/null || fail "script (util-linux) is missing"
	local rec cmd
	rec=$(backend record)
	# script runs CMD with $SHELL -c; the quoting below is bash's.
	local -x SHELL=$BASH
	# The tool has a controlling terminal (the control proves it); the
	# backend, in a session of its own, cannot open /dev/tty.
	printf -v cmd 'sh -c %q; %s caps --binary %q' \
		'exec 3<>/dev/tty && echo opened >"$FAKE_DIR/control"' \
		"$(tool_cmd as-is)" "$rec"
	if [ "$WHO" = nobody ]; then
		run as_nobody script -qec "$cmd" /dev/null
	else
		run script -qec "$cmd" /dev/null
	fi
	assert_success
	assert_equal "$(cat "$FAKE_DIR/control")" opened
	assert_equal "$(cat "$FAKE_DIR/session")" own
	assert_equal "$(cat "$FAKE_DIR/tty")" "No such device or address"
}

@test "a backend has no controlling terminal when the tool has one (namespace, root)" {
	check_no_terminal ns root
}

@test "a backend has no controlling terminal when the tool has one (fallback, root)" {
	check_no_terminal fallback root
}

@test "a backend has no controlling terminal when the tool has one (namespace, nobody)" {
	check_no_terminal ns nobody
}

@test "a backend has no controlling terminal when the tool has one (fallback, nobody)" {
	check_no_terminal fallback nobody
}

check_not_pid_1() {
	use "$1" "$2"
	local rec nspid
	rec=$(backend record)
	run --separate-stderr tool -v caps --binary "$rec"
	assert_success
	stderr_is "vhost-user-find: running $rec --print-capabilities $(expected_containment)"
	nspid=$(awk '/^NSpid:/ { $1 = ""; print substr($0, 2) }' "$FAKE_DIR/ids")
	if namespaced; then
		# Process 1 is our reaper; the backend is the first it starts.
		assert_equal "$nspid" "$(cat "$FAKE_DIR/pid") 2"
		assert_equal "$(cat "$FAKE_DIR/nspid")" 2
	else
		assert_equal "$nspid" "$(cat "$FAKE_DIR/pid")"
	fi
	# It sees its real ids: a user namespace maps exactly the caller's.
	if [ "$WHO" = nobody ] && namespaced; then
		assert_equal "$(cat "$FAKE_DIR/uid_map")" "65534 65534 1"
	else
		# Root's, as the test sees it (all ids, or a container's).
		assert_equal "$(cat "$FAKE_DIR/uid_map")" \
			"$(awk '{ print $1, $2, $3 }' /proc/self/uid_map)"
	fi
	local uid
	uid=$(id -u "$WHO")
	grep -q "^Uid:	$uid	$uid	$uid	$uid\$" "$FAKE_DIR/ids" ||
		fail "not uid $uid: $(cat "$FAKE_DIR/ids")"
}

@test "a backend is not process 1, and -v says how it is contained (namespace, root)" {
	check_not_pid_1 ns root
}

@test "a backend is not process 1, and -v says how it is contained (fallback, root)" {
	check_not_pid_1 fallback root
}

@test "a backend is not process 1, and -v says how it is contained (namespace, nobody)" {
	check_not_pid_1 ns nobody
}

@test "a backend is not process 1, and -v says how it is contained (fallback, nobody)" {
	check_not_pid_1 fallback nobody
}

# The tool, killed by SIG mid-probe, dies of it and leaves nothing.
check_killed_by() {
	local sig=$1 b=$2 vpid rc=0
	rm -f "$FAKE_DIR/pid" "$FAKE_DIR/child"
	# A simple command, so that $! is the tool (setpriv and env exec it);
	# every signal at its default, whatever the caller of the suite left.
	if [ "$WHO" = nobody ]; then
		setpriv --reuid=nobody --regid=nogroup --clear-groups -- \
			env --default-signal TMPDIR=/tmp \
			VHOST_USER_FIND_NO_NAMESPACE="$NONS" \
			"$NB_VUF" --env FAKE_DIR --timeout 60 caps --binary "$b" \
			>/dev/null 2>&1 3>&- &
	else
		env --default-signal VHOST_USER_FIND_NO_NAMESPACE="$NONS" \
			"$VUF" --env FAKE_DIR --timeout 60 caps --binary "$b" \
			>/dev/null 2>&1 3>&- &
	fi
	vpid=$!
	wait_for "$FAKE_DIR/child"
	kill -"$sig" "$vpid"
	wait "$vpid" || rc=$?
	assert_equal "$rc $sig" "$((128 + $(kill -l "$sig"))) $sig"
	if [ "$sig" = KILL ]; then
		# The reaper does it, told by the kernel that the tool died.
		soon_gone "$(cat "$FAKE_DIR/pid")" "$(cat "$FAKE_DIR/child")"
	else
		# The tool ended the probe before it died.
		gone "$(cat "$FAKE_DIR/pid")" "$(cat "$FAKE_DIR/child")"
	fi
}

check_tool_killed() {
	use "$1" "$2"
	local b sig
	b=$(backend hang)
	for sig in KILL TERM USR1; do
		check_killed_by "$sig" "$b"
	done
	# A backend ignoring SIGTERM changes nothing.
	b=$(backend ignore-term)
	check_killed_by KILL "$b"
	check_killed_by TERM "$b"
}

@test "SIGKILL, SIGTERM or SIGUSR1 of the tool mid-probe leave no process of the backend (namespace, root)" {
	check_tool_killed ns root
}

@test "SIGKILL, SIGTERM or SIGUSR1 of the tool mid-probe leave no process of the backend (fallback, root)" {
	check_tool_killed fallback root
}

@test "SIGKILL, SIGTERM or SIGUSR1 of the tool mid-probe leave no process of the backend (namespace, nobody)" {
	check_tool_killed ns nobody
}

@test "SIGKILL, SIGTERM or SIGUSR1 of the tool mid-probe leave no process of the backend (fallback, nobody)" {
	check_tool_killed fallback nobody
}

check_deadline() {
	use "$1" "$2"
	local name b start end other
	# Each with the other process it starts: a child, one in a session
	# of its own.
	for name in hang:child ignore-term:child escape-session-hang:escaped; do
		other=${name#*:}
		b=$(backend "${name%:*}")
		rm -f "$FAKE_DIR/pid" "$FAKE_DIR/$other"
		start=$(now_ms)
		run --separate-stderr tool --timeout 0.5 caps --binary "$b"
		end=$(now_ms)
		assert_failure 1
		stderr_is "vhost-user-find: $b: timed out after 0.5 s"
		# By the time the tool returns, nothing of the backend is left.
		gone "$(cat "$FAKE_DIR/pid")" "$(cat "$FAKE_DIR/$other")"
		[ -n "$VUF_VALGRIND" ] || [ $((end - start)) -lt 5000 ] ||
			fail "$b took $((end - start)) ms"
	done
}

@test "after a deadline no process of the backend is left (namespace, root)" {
	check_deadline ns root
}

@test "after a deadline no process of the backend is left (fallback, root)" {
	check_deadline fallback root
}

@test "after a deadline no process of the backend is left (namespace, nobody)" {
	check_deadline ns nobody
}

@test "after a deadline no process of the backend is left (fallback, nobody)" {
	check_deadline fallback nobody
}

check_fork_chain() {
	use "$1" "$2"
	local b i start end
	# It answers while its chain runs: the answer counts, the chain dies.
	b=$(backend chain)
	for i in $(seq 10); do
		run --separate-stderr tool --timeout 10 caps --binary "$b"
		assert_success
		assert_output virgl
		no_process_with "$b"
	done
	# It never answers: the deadline, then the chain dies all the same.
	b=$(backend chain-hang)
	for i in 1 2 3; do
		start=$(now_ms)
		run --separate-stderr tool --timeout 0.2 caps --binary "$b"
		end=$(now_ms)
		assert_failure 1
		stderr_is "vhost-user-find: $b: timed out after 0.2 s"
		no_process_with "$b"
		[ -n "$VUF_VALGRIND" ] || [ $((end - start)) -lt 5000 ] ||
			fail "took $((end - start)) ms"
	done
}

@test "a fork chain that keeps calling setsid() is killed to the last link (namespace, root)" {
	check_fork_chain ns root
}

@test "a fork chain that keeps calling setsid() is killed to the last link (fallback, root)" {
	check_fork_chain fallback root
}

@test "a fork chain that keeps calling setsid() is killed to the last link (namespace, nobody)" {
	check_fork_chain ns nobody
}

@test "a fork chain that keeps calling setsid() is killed to the last link (fallback, nobody)" {
	check_fork_chain fallback nobody
}

check_orphan_survives() {
	use "$1" "$2"
	local b orphan
	# A backend still running when the caller's orphan is orphaned.
	b="$DIR/slow"
	printf '#!/bin/sh\nsleep 0.6\necho %s\n' \
		"'{\"type\": \"gpu\", \"features\": [\"virgl\"]}'" >"$b"
	chmod 755 "$b"
	# The shell's child becomes the tool's (exec); its own child is
	# orphaned mid-probe.  The tool must neither adopt nor kill it.  All
	# of them are WHO's: nothing but the tool's restraint spares it.
	local caller='sh -c "sleep 99 >/dev/null 2>&1 & echo \$! >\"\$1/orphan\"; sleep 0.2" sh "$FAKE_DIR" &
		exec '"$(tool_cmd as-is)"'"$@"'
	if [ "$WHO" = nobody ]; then
		run --separate-stderr as_nobody bash -c "$caller" _ caps --binary "$b"
	else
		run --separate-stderr bash -c "$caller" _ caps --binary "$b"
	fi
	assert_success
	assert_output virgl
	orphan=$(cat "$FAKE_DIR/orphan")
	kill -0 "$orphan" || fail "the caller's orphan $orphan was killed"
	kill "$orphan"
}

@test "a caller's orphan survives a probe (namespace, root)" {
	check_orphan_survives ns root
}

@test "a caller's orphan survives a probe (fallback, root)" {
	check_orphan_survives fallback root
}

@test "a caller's orphan survives a probe (namespace, nobody)" {
	check_orphan_survives ns nobody
}

@test "a caller's orphan survives a probe (fallback, nobody)" {
	check_orphan_survives fallback nobody
}

# In a namespace the kernel, not our reaper, is the guarantee: kill the
# reaper itself and the backend dies with it.  (The fallback cannot do
# this; the manual says so.)
check_reaper_killed() {
	use ns "$1"
	namespaced || skip "the kernel refuses a namespace here"
	local b vpid reaper rc=0
	b=$(backend hang)
	if [ "$WHO" = nobody ]; then
		setpriv --reuid=nobody --regid=nogroup --clear-groups -- \
			env TMPDIR=/tmp "$NB_VUF" --env FAKE_DIR --timeout 60 \
			caps --binary "$b" >"$T/out" 2>"$T/err" 3>&- &
	else
		"$VUF" --env FAKE_DIR --timeout 60 caps --binary "$b" \
			>"$T/out" 2>"$T/err" 3>&- &
	fi
	vpid=$!
	wait_for "$FAKE_DIR/child"
	reaper=$(pgrep -P "$vpid")
	[ -n "$reaper" ] || fail "no reaper under $vpid"
	kill -KILL "$reaper"
	wait "$vpid" || rc=$?
	assert_equal "$rc" 2
	assert_equal "$(cat "$T/err")" "vhost-user-find: $b: cannot run: the probe's reaper ended early: killed by signal SIGKILL"
	gone "$(cat "$FAKE_DIR/pid")" "$(cat "$FAKE_DIR/child")"
}

@test "a namespace dies with its reaper: SIGKILL of the reaper leaves nothing (root)" {
	check_reaper_killed root
}

@test "a namespace dies with its reaper: SIGKILL of the reaper leaves nothing (nobody)" {
	check_reaper_killed nobody
}

@test "a signal the caller ignored stays ignored during a probe" {
	use ns root
	local b vpid rc=0
	b=$(backend hang)
	bash -c 'trap "" TERM; exec "$@"' _ "$VUF" --env FAKE_DIR --timeout 1 \
		caps --binary "$b" >/dev/null 2>"$T/err" 3>&- &
	vpid=$!
	wait_for "$FAKE_DIR/child"
	kill -TERM "$vpid"
	wait "$vpid" || rc=$?
	# Not ended by the signal: by the deadline, which cleaned up.
	assert_equal "$rc" 1
	assert_equal "$(cat "$T/err")" "vhost-user-find: $b: timed out after 1 s"
	gone "$(cat "$FAKE_DIR/pid")" "$(cat "$FAKE_DIR/child")"
}
