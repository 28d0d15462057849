#!/usr/bin/env bats
# What the source promises that no run can show: the far side of
# clone(), src/reaper.c, calls only async-signal-safe functions (the
# rule at the top of that file), and has one way in.

load helpers

setup() {
	common_setup
	TOP=$(cd "$BATS_TEST_DIRNAME/.." && pwd)
}

# What reaper.o may call.  Add a name only with its reason, and only
# if it is async-signal-safe: it runs in a raw clone() of the tool.
#
# In signal-safety(7) (POSIX.1's list); memcpy and memset also because
# the compiler may call them for a struct's copy or initializer.
SAFE_POSIX="_exit chdir clock_gettime close dup2 execve fcntl kill memcpy
memset open poll read recv send setpgid setsid sigaction sigaddset
sigemptyset sigfillset sigismember sigprocmask strlen umask waitpid write"
# Not in that list, being Linux's, or newer than it: each a system call
# behind glibc's thin wrapper, no lock and no allocation.  _Fork is
# async-signal-safe in POSIX.1-2024; waitid is the system call that
# waitpid also is; closefrom is close_range(2), or else a walk of
# /proc/self/fd with a buffer on the stack; setgroups, setresgid and
# setresuid are one system call while glibc's __libc_single_threaded
# holds (the tool starts no thread), else a broadcast to the threads.
SAFE_LINUX="_Fork closefrom dup3 pipe2 ppoll prctl setgroups setresgid
setresuid syscall waitid"
# What the compiler calls: errno (signal-safety(7), "errno"), and the
# stack protector's end, only on a smashed stack.
SAFE_RUNTIME="__errno_location __stack_chk_fail"

# unsafe_calls OBJECT: the functions OBJECT calls that are not on the
# list, one a line.  _FORTIFY_SOURCE's __NAME_chk is NAME, checked;
# make SANITIZE=1 adds its runtime's __asan_* and __ubsan_* calls.
unsafe_calls() {
	local safe=" $(echo $SAFE_POSIX $SAFE_LINUX $SAFE_RUNTIME) " sym
	nm -u "$1" > "$T/nm" || return 2
	# Not an empty list by accident: the reaper ends in _exit().
	grep -qw _exit "$T/nm" || return 2
	while read -r _ sym; do
		sym=${sym%%@*}
		case $sym in
		__asan_* | __ubsan_*) continue ;;
		__*_chk) sym=${sym#__} sym=${sym%_chk} ;;
		esac
		[[ $safe == *" $sym "* ]] || echo "$sym"
	done < "$T/nm"
}

# A private copy of the sources, for builds the suite's binary is not.
copy_sources() {
	mkdir "$T/b"
	cp -r "$TOP/Makefile" "$TOP/src" "$T/b/"
	make -s -C "$T/b" clean
}

@test "source: the reaper calls only async-signal-safe functions" {
	[ -f "$TOP/src/reaper.o" ] || fail "no src/reaper.o: run make first"
	run unsafe_calls "$TOP/src/reaper.o"
	assert_success
	assert_output ""
}

# Whichever of these built the suite's binary, each is checked.
@test "source: so it does as built by default, unoptimized and sanitized" {
	copy_sources
	for flags in "" "CFLAGS=-O0" "SANITIZE=1"; do
		make -s -C "$T/b" clean
		make -s -C "$T/b" src/reaper.o $flags
		run unsafe_calls "$T/b/src/reaper.o"
		assert_success
		[ -z "$output" ] || fail "with ${flags:-the default flags}: $output"
	done
}

@test "source: a malloc() or a printf() in the reaper is found" {
	copy_sources
	cat >> "$T/b/src/reaper.c" <<-'EOF'
	#include <stdio.h>
	#include <stdlib.h>
	void reaper_unsafe(int n);
	void reaper_unsafe(int n)
	{
		char *p = malloc(n);

		printf("%p %d\n", (void *)p, n);
		free(p);
	}
	EOF
	for flags in "" "SANITIZE=1"; do
		make -s -C "$T/b" clean
		make -s -C "$T/b" src/reaper.o $flags
		run unsafe_calls "$T/b/src/reaper.o"
		assert_success
		assert_line malloc
		assert_line free
		# __printf_chk under _FORTIFY_SOURCE, printf without.
		assert_line printf
	done
}

@test "source: reaper.o has one entry point, reaper_main" {
	[ -f "$TOP/src/reaper.o" ] || fail "no src/reaper.o: run make first"
	run sh -c 'nm -g --defined-only "$1" | awk "{ print \$3 }"' sh \
		"$TOP/src/reaper.o"
	assert_success
	assert_output reaper_main
}
