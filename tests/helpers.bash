# Shared by every test file: load the bats libraries, find the binary,
# and build fixture trees in the test's own temporary directory.

bats_load_library bats-support
bats_load_library bats-assert
bats_load_library bats-file

VUF="${VUF:-$BATS_TEST_DIRNAME/../src/vhost-user-find}"
VUF="$(cd "$(dirname "$VUF")" && pwd)/$(basename "$VUF")"

# A clean environment: the user directory comes from $HOME only when a
# test says so, and nothing from the machine running the suite leaks in.
common_setup() {
	T="$BATS_TEST_TMPDIR"
	export HOME="$T/home"
	unset XDG_CONFIG_HOME
	export LC_ALL=C
	# Files the tests make are read and run by nobody: the caller's
	# umask must not decide that.  man formats as the tests expect.
	umask 022
	unset MAN_KEEP_FORMATTING MANOPT MANROFFOPT
	mkdir -p "$HOME"
}

# one_dir_setup: $D, an empty directory $T/d, for the tests that need a
# single --dir.
one_dir_setup() {
	D="$T/d"
	mkdir -p "$D"
}

# make check VALGRIND=1: $VUF becomes a script that runs the binary
# under valgrind, so that every way a test runs it (vuf, "$VUF", a copy
# run as nobody) is checked; a memory error or leak makes it exit 99,
# which fails the test by its status (no test expects 99).  Tests that
# measure time or count processes skip when $VUF_VALGRIND is set.
VUF_VALGRIND=

# valgrind_wrapper SCRIPT BINARY: write SCRIPT, which runs BINARY under
# valgrind (written aside and renamed, for tests running in parallel).
valgrind_wrapper() {
	local q="'${2//\'/\'\\\'\'}'"	# quoted for sh, a ' in the path too
	mkdir -p "${1%/*}"
	printf '#!/bin/sh\nexec valgrind -q --leak-check=full --show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect --error-exitcode=99 --trace-children=no %s "$@"\n' \
		"$q" >"$1.$$"
	chmod 755 "$1.$$"
	mv -f "$1.$$" "$1"
}

if [ "${VALGRIND:-0}" = 1 ]; then
	VUF_VALGRIND=$VUF
	VUF="$BATS_RUN_TMPDIR/valgrind/vhost-user-find"
	[ -x "$VUF" ] || valgrind_wrapper "$VUF" "$VUF_VALGRIND"
fi

# vuf ARGS...: run the binary (bats `run`: $status, $output, $stderr).
# A probed backend gets a minimal environment: the fakes are given the
# FAKE_DIR they note things in, when a test has one.
# validate's libvirt notes speak for the libvirt given: pinned, so that
# what a test expects does not depend on the machine (SPEC §10); a test
# of the installed one's detection runs "$VUF" itself.
VUF_LIBVIRT=11.3
vuf() {
	"$VUF" --libvirt-version "$VUF_LIBVIRT" ${FAKE_DIR:+--env FAKE_DIR} "$@"
}

# vuf_dirs_1_2 ARGS...: the tool on the two-layer tree $T/1 (distro)
# and $T/2 (sysadmin); vuf_dirs_1_2_3 adds $T/3 (user).  The test makes
# the directories.
vuf_dirs_1_2() {
	vuf --dir "$T/1" --dir "$T/2" "$@"
}

vuf_dirs_1_2_3() {
	vuf --dir "$T/1" --dir "$T/2" --dir "$T/3" "$@"
}

# nobody_vuf_dirs_1_2 ARGS...: the copy of the tool, run as nobody, on
# the two-layer tree $NB_TOP/1, $NB_TOP/2 (after as_nobody_setup).
nobody_vuf_dirs_1_2() {
	as_nobody "$NB_VUF" --libvirt-version "$VUF_LIBVIRT" --dir "$NB_TOP/1" --dir "$NB_TOP/2" "$@"
}

# vuf_libvirt_notes_cut ARGS...: the tool, each of validate's notes on
# what libvirt does there cut short on stderr, to "FILE: warning: [VUF4NN]
# libvirt ...".  For tests whose subject is the tool's own finding (a
# syntax error's position and wording): the note must still be there,
# for that file and in its place, but its sentence is checked once, in
# tests/libvirt.bats, not wherever a file is broken.
vuf_libvirt_notes_cut() {
	local err rc=0
	{ err=$(vuf "$@" 2>&1 >&3 3>&-) || rc=$?; } 3>&1
	[ -z "$err" ] ||
		printf '%s\n' "$err" |
		sed 's/^\(.*: warning: \[VUF4[0-9]*\] libvirt\) .*/\1 .../' >&2
	return "$rc"
}

# desc FILE TYPE BINARY [DESCRIPTION]: write a valid descriptor.
desc() {
	local file=$1 type=$2 binary=$3 description=${4:-"test $2 backend"}
	mkdir -p "$(dirname "$file")"
	printf '{\n  "description": "%s",\n  "type": "%s",\n  "binary": "%s"\n}\n' \
		"$description" "$type" "$binary" >"$file"
}

# fake_backends_setup: $B, the fake backends in fixtures/backends (small
# scripts, each described in its first lines), and $FAKE_DIR, where they
# note that they ran and what they saw.
fake_backends_setup() {
	B="$BATS_TEST_DIRNAME/fixtures/backends"
	export FAKE_DIR="$T/fake"
	mkdir -p "$FAKE_DIR"
}

# fake_backend FILE JSON [EXIT]: a backend that prints JSON and exits.
fake_backend() {
	mkdir -p "$(dirname "$1")"
	printf '#!/bin/sh\nprintf "%%s\\n" '\''%s'\''\nexit %s\n' "$2" "${3:-0}" >"$1"
	chmod 755 "$1"
}

# elf_backend NAME: $T/NAME, the ELF fake backend (fixtures/elf-backend.c)
# installed under NAME, which says what it does.  Built once per test file.
elf_backend() {
	local bin="$BATS_FILE_TMPDIR/elf-backend"
	if [ ! -x "$bin" ]; then
		cc -O2 -o "$bin.$$" "$BATS_TEST_DIRNAME/fixtures/elf-backend.c" ||
			fail "cannot build fixtures/elf-backend.c"
		mv -f "$bin.$$" "$bin"
	fi
	cp "$bin" "$T/$1"
	echo "$T/$1"
}

# containment [nobody]: how -v says a probe is contained, for the tool run
# as root (or as nobody): unshare(1) asks the kernel the same question.
containment() {
	local no=${VHOST_USER_FIND_NO_NAMESPACE:-}
	if [ -n "$no" ]; then
		echo "under a subreaper (VHOST_USER_FIND_NO_NAMESPACE is set)"
	elif [ "${1:-}" = nobody ] || [ "$(id -u)" != 0 ]; then
		if ${1:+as_nobody} unshare --user --pid --fork --map-current-user true 2>/dev/null; then
			echo "in a user and a PID namespace"
		else
			echo "under a subreaper (the kernel refused a namespace)"
		fi
	elif unshare --pid --fork true 2>/dev/null; then
		echo "in a PID namespace"
	else
		echo "under a subreaper (the kernel refused a namespace)"
	fi
}

# gone PID...: fail when any of the processes still exists (zombies too).
gone() {
	local p
	for p in "$@"; do
		[ -n "$p" ] || fail "no pid recorded"
		if kill -0 "$p" 2>/dev/null; then
			fail "process $p is still there: $(ps -o pid,stat,cmd -p "$p")"
		fi
	done
}

# now_ms: the wall clock in milliseconds, for bounds on how long a run took.
now_ms() {
	echo $(($(date +%s%N) / 1000000))
}

# on_tty CMD...: run CMD with a terminal for its stdin, stdout and stderr
# (script(1)), and print what it wrote there, line ends as \n.  script
# runs the command with $SHELL -c, and the quoting is bash's ($'\E'):
# name bash, whatever shell the caller has (CI's may be sh).
on_tty() {
	local cmd
	cmd=$(printf '%q ' "$@")
	SHELL=$BASH script -qefc "$cmd" /dev/null </dev/null | tr -d '\r'
}

# The last `run --separate-stderr`'s stderr is checked with one of these
# three, which say what was expected and what came.

# stderr_has TEXT: the last `run --separate-stderr` wrote TEXT on stderr.
stderr_has() {
	[[ "$stderr" == *"$1"* ]] && return 0
	printf 'expected on stderr: %s\nstderr was:\n%s\n' "$1" "$stderr" >&2
	return 1
}

# stderr_is TEXT: stderr was exactly TEXT.
stderr_is() {
	[[ "$stderr" == "$1" ]] && return 0
	printf 'expected stderr:\n%s\nstderr was:\n%s\n' "$1" "$stderr" >&2
	return 1
}

# stderr_lacks TEXT: stderr did not contain TEXT.
stderr_lacks() {
	[[ "$stderr" != *"$1"* ]] && return 0
	printf 'not expected on stderr: %s\nstderr was:\n%s\n' "$1" "$stderr" >&2
	return 1
}

# expect STATUS STDOUT STDERR -- ARGS...: one case a line, the way
# pkgconf's tests are written: run the tool (vuf ARGS..., as `run
# --separate-stderr`) and check its exit status, its stdout and its
# stderr, all three exactly.  How the values are written:
#   - each is the whole text without its last newline, as $(...) gives
#     it; '' is nothing at all (so "expect 0 '' '' -- ..." is a run
#     that exits 0 and writes nothing);
#   - a value of several lines is one quoted string across the lines,
#     as the suite writes them for assert_output and stderr_is, the
#     rest of the call after its closing quote; when that buries the
#     command, set the value in a local first and pass "$out";
#   - ARGS may begin with one of the vuf_* runners above (vuf_dirs_1_2
#     show 50-gpu), to run the tool through it, on its tree.
# When any of the three differs, it prints the command and, for each,
# what was expected and what came, said to be the same or to differ.
# $status, $output and $stderr stay set, for checks of another kind.
expect() {
	local want_status=$1 want_out=$2 want_err=$3 runner=vuf
	[ "$#" -ge 4 ] && [ "$4" = -- ] && [[ $want_status =~ ^[0-9]+$ ]] ||
		fail "usage: expect STATUS STDOUT STDERR -- ARGS... (got: $*)"
	shift 4
	if [[ ${1:-} == vuf_* ]] && declare -F -- "$1" >/dev/null; then
		runner=$1
		shift
	fi
	run --separate-stderr "$runner" "$@"
	[[ $status == "$want_status" && $output == "$want_out" &&
		$stderr == "$want_err" ]] && return 0
	{
		printf 'expect: %s' "$runner"
		[ "$#" -eq 0 ] || printf ' %q' "$@"
		printf '\n'
		expect_part status "$want_status" "$status"
		expect_part stdout "$want_out" "$output"
		expect_part stderr "$want_err" "$stderr"
	} >&2
	return 1
}

# expect_part NAME EXPECTED ACTUAL: one of expect's three, for its
# failure message; a text of several lines is shown indented below.
expect_part() {
	local verdict=same
	[[ $2 == "$3" ]] || verdict=DIFFERS
	printf '%s: %s\n' "$1" "$verdict"
	expect_value expected "$2"
	expect_value actual "$3"
}

expect_value() {
	if [ -z "$2" ]; then
		printf '  %-9s (nothing)\n' "$1:"
	elif [[ $2 != *$'\n'* ]]; then
		printf '  %-9s %s\n' "$1:" "$2"
	else
		printf '  %s\n' "$1:"
		printf '%s\n' "$2" | sed 's/^/    /'
	fi
}

# as_nobody_setup: a tree that the unprivileged user can traverse, with
# a copy of the binary in it ($NB_TOP, $NB_VUF).  Tests that need a
# permission check to bite run the tool as nobody, since CI runs as root.
as_nobody_setup() {
	command -v setpriv >/dev/null || fail "setpriv (util-linux) is missing"
	NB_TOP=$(mktemp -d /tmp/vuf-nobody.XXXXXX)
	chmod 755 "$NB_TOP"
	NB_VUF="$NB_TOP/vhost-user-find"
	if [ -n "$VUF_VALGRIND" ]; then
		# The wrapper names the binary in the checkout, which nobody
		# may not reach (a clone under /root): wrap a copy instead.
		cp "$VUF_VALGRIND" "$NB_TOP/vhost-user-find.bin"
		chmod 755 "$NB_TOP/vhost-user-find.bin"
		valgrind_wrapper "$NB_VUF" "$NB_TOP/vhost-user-find.bin"
	else
		cp "$VUF" "$NB_VUF"
		chmod 755 "$NB_VUF"
	fi
}

as_nobody_teardown() {
	[ -n "${NB_TOP:-}" ] && chmod -R u+rwx "$NB_TOP" && rm -rf "$NB_TOP"
	return 0
}

# as_nobody CMD...: run CMD as nobody:nogroup without supplementary groups.
# TMPDIR is one nobody can write (valgrind makes its files there).
as_nobody() {
	setpriv --reuid=nobody --regid=nogroup --clear-groups -- \
		env TMPDIR=/tmp "$@"
}

# staged_root_setup: a staged tree $R with its distro (U), admin (E) and
# backend (X) directories, for --root.
staged_root_setup() {
	R="$T/lv"
	U="$R/usr/share/qemu/vhost-user"
	E="$R/etc/qemu/vhost-user"
	X="$R/usr/libexec/qemu/vhost-user"
	mkdir -p "$U" "$E" "$X"
}

# with_dri yes|no ARGS...: the tool (as vuf runs it) where the host's
# /dev/dri holds a render node, or is not there at all: libvirt's render
# node lookup reads the host's devices (SPEC §8), so a test pins them.
# In a mount namespace of its own, over a /dev of its own that keeps the
# devices the tool uses.  needs_mount_ns first skips where that is
# refused.
needs_mount_ns() {
	unshare --mount --propagation private true 2>/dev/null ||
		skip "no mount namespace here (unshare --mount refused)"
}

with_dri() {
	mkdir -p "$T/olddev"
	unshare --mount --propagation private -- env OLD="$T/olddev" bash -c '
		set -e
		want=$1; shift
		mount --rbind /dev "$OLD"
		mount -t tmpfs -o mode=755 tmpfs /dev
		for n in null zero full random urandom tty; do
			[ -e "$OLD/$n" ] || continue
			: >"/dev/$n"
			mount --bind "$OLD/$n" "/dev/$n"
		done
		ln -s /proc/self/fd /dev/fd
		if [ "$want" = yes ]; then
			mkdir /dev/dri
			: >/dev/dri/renderD128
		fi
		exec "$@"' with_dri "$1" "$VUF" --libvirt-version "$VUF_LIBVIRT" \
		${FAKE_DIR:+--env FAKE_DIR} "${@:2}"
}
