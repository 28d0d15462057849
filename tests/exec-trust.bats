#!/usr/bin/env bats
# What root starts is everything execve loads (SPEC §3.1): a script's
# interpreter at each level of its chain, an ELF file's dynamic loader,
# the libraries its run paths give, "#!/usr/bin/env NAME" through PATH,
# a probe's LD_ variables; and every step of the path match prints.
# Alice is a user made for these tests; CI runs them as root.  The
# candidates are of type rng, which no Debian package describes, so the
# system's own descriptors do not change what is printed.

load helpers
bats_require_minimum_version 1.5.0

ALICE_USER=vuf-alice
G0_USER=vuf-group0

setup_file() {
	[ "$(id -u)" = 0 ] || return 0
	userdel "$ALICE_USER" 2>/dev/null || true
	userdel "$G0_USER" 2>/dev/null || true
	useradd --system --no-create-home --shell /usr/sbin/nologin \
		"$ALICE_USER"
}

teardown_file() {
	[ "$(id -u)" = 0 ] || return 0
	groupdel -f vuf-root-alias 2>/dev/null || true
	userdel "$ALICE_USER" 2>/dev/null || true
	userdel "$G0_USER" 2>/dev/null || true
}

setup() {
	common_setup
	[ "$(id -u)" = 0 ] || skip "the rules are for root; CI runs as root"
	as_nobody_setup
	AUID=$(id -u "$ALICE_USER")
	WHO="$ALICE_USER (uid $AUID)"
	# Root's own tree (R) and Alice's home (A), side by side.
	R="$NB_TOP/root"
	A="$NB_TOP/alice"
	mkdir -p "$R" "$A"
	chown "$ALICE_USER" "$A"
	U="$HOME/.config/qemu/vhost-user"
	mkdir -p "$U"
	"$VUF" --system list --type rng | grep -q . &&
		skip "this machine has rng descriptors of its own"
	return 0
}

teardown() {
	[ -n "${RACER:-}" ] && kill "$RACER" 2>/dev/null && wait "$RACER" 2>/dev/null
	as_nobody_teardown
}

# answer FILE: a script, root's, that notes it ran and answers as rng.
answer() {
	printf '#!/bin/sh\ntouch %s/ran.%s\necho %s\n' "$NB_TOP" "${1##*/}" \
		"'{\"type\": \"rng\", \"features\": [\"x\"]}'" >"$1"
	chmod 755 "$1"
}

# program FILE [CC-ARGS...]: an ELF program that answers as rng.
program() {
	local out=$1
	shift
	printf '#include <stdio.h>\nint main(void) { puts("{\\"type\\": \\"rng\\", \\"features\\": [\\"x\\"]}"); return 0; }\n' >"$NB_TOP/p.c"
	cc -o "$out" "$NB_TOP/p.c" "$@" || fail "cannot build $out"
}

# main_calling_vuf_f: $NB_TOP/m.c, a program that answers as rng and
# needs vuf_f from a library.
main_calling_vuf_f() {
	printf '#include <stdio.h>\nint vuf_f(void);\nint main(void) { puts("{\\"type\\": \\"rng\\", \\"features\\": [\\"x\\"]}"); return vuf_f(); }\n' >"$NB_TOP/m.c"
}

# refused BINARY REASON: match, match --feature, caps --type and
# validate all turn the one rng candidate down with REASON, and nothing ran.
refused() {
	desc "$U/10-x.json" rng "$1"
	run --separate-stderr vuf match --type rng
	assert_failure 1
	assert_output ""
	stderr_is "vhost-user-find: $U/10-x.json: $1: not trusted: $2
vhost-user-find: no rng backend with an executable binary"
	run --separate-stderr vuf match --type rng --feature x
	assert_failure 1
	stderr_has "$U/10-x.json: $1: not trusted: $2"
	run --separate-stderr vuf caps --type rng
	assert_failure 1
	stderr_has "$U/10-x.json: $1: not trusted: $2"
	run --separate-stderr vuf validate
	assert_failure 1
	stderr_has "$U/10-x.json:4:13: error: [VUF301] binary $1: not trusted: $2"
	run ls "$NB_TOP"
	refute_output --partial ran.
}

# cannot_start BINARY REASON: match passes over the one rng candidate
# without running it, for REASON.
cannot_start() {
	desc "$U/10-x.json" rng "$1"
	run --separate-stderr vuf match --type rng
	assert_failure 1
	stderr_has "$1: $2"
}

# chosen BINARY: the one rng candidate is match's answer, and runs.
chosen() {
	desc "$U/10-x.json" rng "$1"
	run --separate-stderr vuf match --type rng
	assert_success
	assert_output "$1"
	run --separate-stderr vuf match --type rng --feature x
	assert_success
	assert_output "$1"
}

@test "a script whose interpreter is another user's is refused, and the interpreter never runs" {
	answer "$A/interp"
	chown "$ALICE_USER" "$A/interp"
	printf '#!%s\n' "$A/interp" >"$R/gpu"
	chmod 755 "$R/gpu"
	refused "$R/gpu" "interpreter $A/interp: directory $A is owned by $WHO"
	# Alice's file in root's directory: the file itself is named.
	mv "$A/interp" "$R/interp"
	printf '#!%s\n' "$R/interp" >"$R/gpu"
	refused "$R/gpu" "interpreter $R/interp is owned by $WHO"
	# Root's interpreter: chosen, and it runs.
	chown root "$R/interp"
	chosen "$R/gpu"
	assert_exists "$NB_TOP/ran.interp"
}

@test "each level of a #! chain is judged" {
	answer "$R/level2"
	printf '#!%s\n' "$R/level2" >"$R/level1"
	printf '#!%s\n' "$R/level1" >"$R/gpu"
	chmod 755 "$R/level1" "$R/gpu"
	chown "$ALICE_USER" "$R/level2"
	refused "$R/gpu" "interpreter $R/level2 is owned by $WHO"
	chown root "$R/level2"
	chosen "$R/gpu"
	# More levels than the kernel follows cannot start at all.
	for i in 3 4 5 6 7; do
		printf '#!%s\n' "$R/level$((i - 1))" >"$R/level$i"
		chmod 755 "$R/level$i"
	done
	cannot_start "$R/level7" "cannot run: more than 5 levels of #! interpreters"
}

@test "an ELF program whose dynamic loader is another user's is refused" {
	command -v cc >/dev/null || fail "cc is missing"
	loader=$(readelf -l /bin/true | sed -n 's/.*program interpreter: \(.*\)]/\1/p')
	[ -n "$loader" ] || fail "no PT_INTERP in /bin/true"
	cp "$loader" "$A/ld.so"
	chown "$ALICE_USER" "$A/ld.so"
	program "$R/gpu" -Wl,--dynamic-linker="$A/ld.so"
	refused "$R/gpu" "dynamic loader $A/ld.so: directory $A is owned by $WHO"
	# The loader missing: it cannot start, for any caller, and nothing runs.
	program "$R/gpu" -Wl,--dynamic-linker="$R/no-such-ld.so"
	cannot_start "$R/gpu" "cannot run: dynamic loader $R/no-such-ld.so not found"
}

@test "libraries found through DT_RUNPATH and DT_RPATH are judged, with their directories" {
	command -v cc >/dev/null || fail "cc is missing"
	mkdir -p "$R/lib" "$A/lib"
	printf 'int vuf_f(void) { return 0; }\n' >"$NB_TOP/f.c"
	cc -shared -fPIC -o "$R/lib/libvuf.so" "$NB_TOP/f.c"
	main_calling_vuf_f
	cc -o "$R/gpu" "$NB_TOP/m.c" -L"$R/lib" -lvuf \
		-Wl,--enable-new-dtags,-rpath,'$ORIGIN/lib'
	chosen "$R/gpu"
	# The library another user's: refused, named.
	chown "$ALICE_USER" "$R/lib/libvuf.so"
	refused "$R/gpu" "library $R/lib/libvuf.so is owned by $WHO"
	chown root "$R/lib/libvuf.so"
	# Its directory writable by others.
	chmod 777 "$R/lib"
	refused "$R/gpu" "run path directory $R/lib is writable by others (mode 0777): chmod o-w $R/lib"
	chmod 755 "$R/lib"
	# DT_RPATH through another user's directory, even before the library is found.
	cc -o "$R/gpu" "$NB_TOP/m.c" -L"$R/lib" -lvuf \
		-Wl,--disable-new-dtags,-rpath,"$A/lib:$R/lib"
	refused "$R/gpu" "run path directory $A/lib: directory $A is owned by $WHO"
	# A token other than $ORIGIN cannot be judged.
	cc -o "$R/gpu" "$NB_TOP/m.c" -L"$R/lib" -lvuf \
		-Wl,--enable-new-dtags,-rpath,"$R/\$LIB"
	refused "$R/gpu" "its run path '$R/\$LIB' names a token other than \$ORIGIN, which is not judged"
}

@test "a library's own run path is judged too, transitively" {
	command -v cc >/dev/null || fail "cc is missing"
	mkdir -p "$R/lib" "$R/lib2"
	printf 'int vuf_g(void) { return 0; }\n' >"$NB_TOP/g.c"
	cc -shared -fPIC -o "$R/lib2/libvufg.so" "$NB_TOP/g.c"
	printf 'int vuf_g(void);\nint vuf_f(void) { return vuf_g(); }\n' >"$NB_TOP/f.c"
	cc -shared -fPIC -o "$R/lib/libvuf.so" "$NB_TOP/f.c" -L"$R/lib2" -lvufg \
		-Wl,--enable-new-dtags,-rpath,"$R/lib2"
	main_calling_vuf_f
	cc -o "$R/gpu" "$NB_TOP/m.c" -L"$R/lib" -lvuf \
		-Wl,--enable-new-dtags,-rpath,"$R/lib" -Wl,-rpath-link,"$R/lib2"
	chosen "$R/gpu"
	chown "$ALICE_USER" "$R/lib2/libvufg.so"
	refused "$R/gpu" "library $R/lib2/libvufg.so is owned by $WHO"
}

@test "#!/usr/bin/env NAME: NAME as PATH finds it; other env forms are refused" {
	printf '#!/usr/bin/env sh\necho %s\n' "'{\"type\": \"rng\", \"features\": [\"x\"]}'" >"$R/gpu"
	chmod 755 "$R/gpu"
	chosen "$R/gpu"
	printf '#!/usr/bin/env -S sh -e\necho %s\n' "'{\"type\": \"rng\"}'" >"$R/gpu"
	refused "$R/gpu" "its #! line runs env with '-S sh -e': only '#!/usr/bin/env NAME' can be judged"
	# A probe's PATH through another user's directory: refused before it runs.
	mkdir -p "$A/bin"
	printf '#!/usr/bin/env vuf-answer\n' >"$R/gpu"
	answer "$R/vuf-answer"
	desc "$U/10-x.json" rng "$R/gpu"
	run --separate-stderr vuf --env PATH="$A/bin:$R" caps --binary "$R/gpu"
	assert_failure 1
	stderr_is "vhost-user-find: $R/gpu: not trusted: PATH directory $A/bin: directory $A is owned by $WHO"
	run --separate-stderr vuf --env PATH="$R" caps --binary "$R/gpu"
	assert_success
	assert_output x
	# match judges NAME through the default PATH, where it is not found:
	# it cannot start.
	run --separate-stderr vuf match --type rng
	assert_failure 1
	stderr_has "$R/gpu: cannot run: env finds no 'vuf-answer' in PATH"
}

@test "as root, a probe's LD_PRELOAD, LD_LIBRARY_PATH and LD_AUDIT are judged" {
	mkdir -p "$A/lib"
	answer "$R/gpu"
	desc "$U/10-x.json" rng "$R/gpu"
	for v in "LD_LIBRARY_PATH=$A/lib" "LD_PRELOAD=$A/lib/x.so" "LD_AUDIT=$A/lib/x.so"; do
		run --separate-stderr vuf --env "$v" caps --type rng
		assert_failure 1
		stderr_has "$R/gpu: not trusted: ${v%%=*} "
		stderr_has "directory $A is owned by $WHO"
	done
	run ls "$NB_TOP"
	refute_output --partial ran.
	# Root's own directory is fine.
	run --separate-stderr vuf --env LD_LIBRARY_PATH="$R" caps --type rng
	assert_success
}

@test "the printed path is judged: another user's link on the way is refused" {
	answer "$R/gpu"
	# Alice's link, in her directory, to root's binary.
	ln -s "$R/gpu" "$A/gpu"
	chown -h "$ALICE_USER" "$A/gpu"
	refused "$A/gpu" "directory $A is owned by $WHO"
	# Alice's link in root's directory.
	ln -s gpu "$R/alias"
	chown -h "$ALICE_USER" "$R/alias"
	refused "$R/alias" "link $R/alias is owned by $WHO"
	# A link whose target passes through Alice's directory.
	mkdir -p "$A/real"
	cp "$R/gpu" "$A/real/gpu"
	rm "$R/alias"
	ln -s "$A/real/gpu" "$R/alias"
	refused "$R/alias" "directory $A is owned by $WHO"
	# Root's link, in root's directories, to root's binary: still wins.
	rm "$R/alias"
	ln -s gpu "$R/alias"
	chosen "$R/alias"
}

@test "renaming a directory back and forth never gets a path under another user's directory printed or run" {
	[ -z "$VUF_VALGRIND" ] || skip "a race needs many runs; valgrind makes each slow"
	mkdir -p "$A/d"
	answer "$A/d/gpu"
	chown "$ALICE_USER" "$A"
	desc "$U/10-x.json" rng "$A/d/gpu"
	answer "$R/good"
	desc "$U/20-good.json" rng "$R/good"
	setpriv --reuid="$ALICE_USER" --regid=nogroup --clear-groups -- \
		timeout 30 python3 -c 'import os, sys
while True:
    os.rename(sys.argv[1], sys.argv[2])
    os.rename(sys.argv[2], sys.argv[1])' "$A/d" "$A/e" 2>/dev/null &
	RACER=$!
	end=$(($(date +%s) + 3))
	n=0
	while [ "$(date +%s)" -lt "$end" ]; do
		run --separate-stderr vuf match --type rng --feature x
		assert_success
		assert_output "$R/good"
		n=$((n + 1))
	done
	[ "$n" -gt 10 ] || fail "only $n runs"
	assert_not_exists "$NB_TOP/ran.gpu"
}

@test "write by group 0 is root's only while no other user belongs to group 0" {
	answer "$R/gpu"
	chmod 775 "$R"
	chosen "$R/gpu"
	rm "$NB_TOP/ran.gpu"
	useradd --system --no-create-home --shell /usr/sbin/nologin -g 0 "$G0_USER"
	refused "$R/gpu" "directory $R is writable by group root (gid 0, mode 0775), of which $G0_USER is a member: chmod g-w $R"
	userdel "$G0_USER"
	useradd --system --no-create-home --shell /usr/sbin/nologin -N -G root "$G0_USER"
	refused "$R/gpu" "directory $R is writable by group root (gid 0, mode 0775), of which $G0_USER is a member: chmod g-w $R"
	userdel "$G0_USER"
	chosen "$R/gpu"
}

@test "a run-as probe takes the owner's own pieces, and no third user's" {
	mkdir -p "$A/d"
	answer "$A/interp"
	printf '#!%s\n' "$A/interp" >"$A/gpu"
	chmod 755 "$A/gpu"
	chown -R "$ALICE_USER" "$A"
	desc "$A/d/50-gpu.json" rng "$A/gpu"
	run --separate-stderr vuf --dir "$A/d" caps 50-gpu
	assert_success
	assert_output x
	chown nobody "$A/interp"
	run --separate-stderr vuf --dir "$A/d" caps 50-gpu
	assert_failure 1
	stderr_is "vhost-user-find: $A/d/50-gpu.json: $A/gpu: not trusted: interpreter $A/interp is owned by nobody (uid 65534)"
}

@test "an ELF file whose headers cannot be read is not judged trusted; a caller that is not root runs it" {
	head -c 100 /bin/true >"$R/gpu"
	chmod 755 "$R/gpu"
	refused "$R/gpu" "$R/gpu cannot be judged: its program headers lie past the end of the file"
	# valgrind cannot recover from the kernel's refusal of the file.
	[ -z "$VUF_VALGRIND" ] || return 0
	run --separate-stderr as_nobody "$NB_VUF" caps --binary "$R/gpu"
	assert_failure 1
	stderr_has "$R/gpu: not executable: Exec format error"
}

@test "what names a piece relative to where root starts it, or through a loader token, is refused" {
	command -v cc >/dev/null || fail "cc is missing"
	printf '#!bin/sh\necho x\n' >"$R/gpu"
	chmod 755 "$R/gpu"
	refused "$R/gpu" "interpreter 'bin/sh' is relative: what it names depends on where it is started"
	# A DT_NEEDED with $ORIGIN in it.
	printf 'int vuf_f(void) { return 0; }\n' >"$NB_TOP/f.c"
	cc -shared -fPIC -o "$R/libvuf.so" "$NB_TOP/f.c" -Wl,-soname,'$ORIGIN/libvuf.so'
	main_calling_vuf_f
	cc -o "$R/gpu" "$NB_TOP/m.c" "$R/libvuf.so"
	refused "$R/gpu" "library '\$ORIGIN/libvuf.so' names a dynamic string token, which is not judged"
	# $ORIGINX is no $ORIGIN: a relative directory to the loader.
	cc -shared -fPIC -o "$R/libvuf.so" "$NB_TOP/f.c"
	cc -o "$R/gpu" "$NB_TOP/m.c" -L"$R" -lvuf -Wl,--enable-new-dtags,-rpath,'$ORIGINX'
	refused "$R/gpu" "its run path '\$ORIGINX' names a token other than \$ORIGIN, which is not judged"
}

@test "env is known by what the interpreter resolves to, and passes over what it cannot execute" {
	mkdir -p "$R/bin" "$A/bin"
	printf '#!/bin/sh\necho root\n' >"$R/bin/vuf-x"
	chmod 644 "$R/bin/vuf-x"
	answer "$A/bin/vuf-x"
	chown -R "$ALICE_USER" "$A/bin"
	ln -s /usr/bin/env "$R/e"
	printf '#!%s vuf-x\n' "$R/e" >"$R/gpu"
	chmod 755 "$R/gpu"
	run --separate-stderr vuf --env PATH="$R/bin:$A/bin" caps --binary "$R/gpu"
	assert_failure 1
	stderr_is "vhost-user-find: $R/gpu: not trusted: PATH directory $A/bin: directory $A is owned by $WHO"
	run ls "$NB_TOP"
	refute_output --partial ran.
	# An interpreter that is no executable file cannot start, and is not opened.
	mkfifo -m 644 "$R/fifo"
	printf '#!%s\n' "$R/fifo" >"$R/gpu"
	desc "$U/10-x.json" rng "$R/gpu"
	run --separate-stderr timeout 20 "$VUF" match --type rng
	assert_failure 1
	stderr_has "$R/gpu: cannot run: interpreter $R/fifo is not an executable file"
}

@test "every group entry with gid 0 counts for group 0" {
	answer "$R/gpu"
	chmod 775 "$R"
	groupdel -f vuf-root-alias 2>/dev/null || true
	groupadd -o -g 0 vuf-root-alias
	gpasswd -a "$ALICE_USER" vuf-root-alias >/dev/null
	refused "$R/gpu" "directory $R is writable by group root (gid 0, mode 0775), of which $ALICE_USER is a member: chmod g-w $R"
	groupdel -f vuf-root-alias
	chosen "$R/gpu"
}

@test "an interpreter's argument that is a path is judged as a piece" {
	answer "$A/x"
	chown "$ALICE_USER" "$A/x"
	printf '#!/bin/sh %s\n' "$A/x" >"$R/gpu"
	chmod 755 "$R/gpu"
	refused "$R/gpu" "interpreter argument $A/x: directory $A is owned by $WHO"
	mv "$A/x" "$R/x"
	chown root "$R/x"
	printf '#!/bin/sh %s\n' "$R/x" >"$R/gpu"
	chosen "$R/gpu"
}
