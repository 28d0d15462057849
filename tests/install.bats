#!/usr/bin/env bats
# make install and make uninstall into a staging DESTDIR, as a package
# build does: the installed binary runs, the installed pages render, the
# installed bash completion works, and uninstall leaves nothing behind.
# And a per-user install as nobody, found by nobody's bash, zsh and fish.

load helpers
bats_require_minimum_version 1.5.0

REPO="$BATS_TEST_DIRNAME/.."

setup() {
	common_setup
	S="$T/stage"
}

teardown() { as_nobody_teardown; }

# mk TARGET VAR=VALUE...: make in the repository.  -o: the binary under
# test is installed as it is, never rebuilt with other flags under a
# test suite that is using it.
mk() {
	make -s -C "$REPO" -o src/vhost-user-find "$@"
}

# What is in the staging tree besides directories, one path a line.
staged_files() {
	(cd "$1" && find . ! -type d | sort)
}

@test "make install puts every file under PREFIX=/usr/local, the default" {
	run mk install DESTDIR="$S"
	assert_success
	run staged_files "$S"
	assert_output "$(printf '%s\n' \
		./usr/local/bin/vhost-user-find \
		./usr/local/share/bash-completion/completions/vhost-user-find \
		./usr/local/share/fish/vendor_completions.d/vhost-user-find.fish \
		./usr/local/share/man/man1/vhost-user-find.1 \
		./usr/local/share/man/man5/vhost-user-backend.5 \
		./usr/local/share/zsh/site-functions/_vhost-user-find)"
	run stat -c %a "$S/usr/local/bin/vhost-user-find" \
		"$S/usr/local/share/man/man1/vhost-user-find.1" \
		"$S/usr/local/share/zsh/site-functions/_vhost-user-find"
	assert_output "$(printf '755\n644\n644')"
}

@test "PREFIX=/usr puts the zsh and fish completions in Debian's vendor directories" {
	run mk install DESTDIR="$S" PREFIX=/usr
	assert_success
	run staged_files "$S"
	assert_output "$(printf '%s\n' \
		./usr/bin/vhost-user-find \
		./usr/share/bash-completion/completions/vhost-user-find \
		./usr/share/fish/vendor_completions.d/vhost-user-find.fish \
		./usr/share/man/man1/vhost-user-find.1 \
		./usr/share/man/man5/vhost-user-backend.5 \
		./usr/share/zsh/vendor-completions/_vhost-user-find)"
	run mk uninstall DESTDIR="$S" PREFIX=/usr
	assert_success
	run staged_files "$S"
	assert_output ""
}

@test "the installed binary runs and finds descriptors" {
	mk install DESTDIR="$S"
	run --separate-stderr "$S/usr/local/bin/vhost-user-find" --version
	assert_success
	assert_output --regexp '^vhost-user-find [0-9]+\.[0-9]+\.[0-9]+$'
	desc "$T/d/50-gpu.json" gpu /usr/bin/gpu
	run --separate-stderr "$S/usr/local/bin/vhost-user-find" --dir "$T/d" list
	assert_success
	assert_output "50-gpu.json  gpu  /usr/bin/gpu  $T/d/50-gpu.json"
}

@test "the installed manual pages render with man -l and mandoc" {
	mk install DESTDIR="$S"
	run --separate-stderr env MANPAGER=cat MANWIDTH=80 \
		man -l "$S/usr/local/share/man/man1/vhost-user-find.1"
	assert_success
	assert_output --regexp "vhost-user-find (-|--|—) find vhost-user backends by QEMU"
	run --separate-stderr mandoc -Tlint -Wwarning \
		"$S/usr/local/share/man/man1/vhost-user-find.1" \
		"$S/usr/local/share/man/man5/vhost-user-backend.5"
	assert_success
	# man finds them by name under the installed MANDIR.
	run --separate-stderr env MANPAGER=cat MANWIDTH=80 \
		MANPATH="$S/usr/local/share/man" man 5 vhost-user-backend
	assert_success
	assert_output --partial "vhost-user backend descriptor files"
}

@test "the installed bash completion loads on demand and uses the installed binary" {
	mk install DESTDIR="$S"
	run bash --norc --noprofile -c '
		export XDG_DATA_DIRS="$1/usr/local/share" PATH="$1/usr/local/bin:/usr/bin:/bin"
		source /usr/share/bash-completion/bash_completion
		__load_completion vhost-user-find || exit 3
		COMP_WORDS=(vhost-user-find list --type g)
		COMP_CWORD=3 COMP_LINE="vhost-user-find list --type g"
		COMP_POINT=${#COMP_LINE}
		_vhost_user_find vhost-user-find g --type
		printf "%s\n" "${COMPREPLY[@]}"' bash "$S"
	assert_success
	assert_output gpu
}

@test "make uninstall removes exactly what was installed" {
	mk install DESTDIR="$S"
	# Another package's files in the same directories stay.
	: >"$S/usr/local/bin/other-tool"
	: >"$S/usr/local/share/zsh/site-functions/_other"
	run mk uninstall DESTDIR="$S"
	assert_success
	run staged_files "$S"
	assert_output "$(printf '%s\n' ./usr/local/bin/other-tool \
		./usr/local/share/zsh/site-functions/_other)"
}

@test "PREFIX, BINDIR, MANDIR and the completion directories are honoured, both ways" {
	local vars=(DESTDIR="$S" PREFIX=/usr BINDIR=/usr/sbin
		MANDIR=/usr/share/doc-man BASHCOMPDIR=/opt/bash
		ZSHCOMPDIR=/opt/zsh FISHCOMPDIR=/opt/fish)
	run mk install "${vars[@]}"
	assert_success
	run staged_files "$S"
	assert_output "$(printf '%s\n' ./opt/bash/vhost-user-find \
		./opt/fish/vhost-user-find.fish ./opt/zsh/_vhost-user-find \
		./usr/sbin/vhost-user-find \
		./usr/share/doc-man/man1/vhost-user-find.1 \
		./usr/share/doc-man/man5/vhost-user-backend.5)"
	run mk uninstall "${vars[@]}"
	assert_success
	run staged_files "$S"
	assert_output ""
}

@test "PREFIX moves the binary, the pages and every completion" {
	run mk install DESTDIR="$S" PREFIX=/opt/vuf
	assert_success
	run staged_files "$S"
	assert_output "$(printf '%s\n' \
		./opt/vuf/bin/vhost-user-find \
		./opt/vuf/share/bash-completion/completions/vhost-user-find \
		./opt/vuf/share/fish/vendor_completions.d/vhost-user-find.fish \
		./opt/vuf/share/man/man1/vhost-user-find.1 \
		./opt/vuf/share/man/man5/vhost-user-backend.5 \
		./opt/vuf/share/zsh/site-functions/_vhost-user-find)"
	run mk uninstall DESTDIR="$S" PREFIX=/opt/vuf
	assert_success
	run staged_files "$S"
	assert_output ""
}

@test "a DESTDIR with a space in it works" {
	S="$T/stage dir"
	run mk install DESTDIR="$S"
	assert_success
	assert_file_exists "$S/usr/local/bin/vhost-user-find"
	run mk uninstall DESTDIR="$S"
	assert_success
	run staged_files "$S"
	assert_output ""
}

# per_user_setup: for nobody, what make install reads (the Makefile, the
# pages, the completions and the built binary) copied out of the
# checkout, which may be under /root, and a HOME of nobody's own
# ($NB_REPO, $NB_HOME, both under $NB_TOP).
per_user_setup() {
	as_nobody_setup
	NB_REPO="$NB_TOP/repo"
	NB_HOME="$NB_TOP/home"
	mkdir -p "$NB_REPO/src" "$NB_HOME"
	cp -R "$REPO/Makefile" "$REPO/man" "$REPO/completions" "$NB_REPO/"
	cp "$NB_VUF" "$NB_REPO/src/vhost-user-find"
	chmod -R a+rX "$NB_REPO"
	chown nobody:nogroup "$NB_HOME"
}

# nb CMD...: CMD as nobody in its HOME, with that HOME and a PATH with
# ~/.local/bin and nothing else from the test's environment (no
# XDG_DATA_DIRS, no MAKEFLAGS).
nb() {
	(cd "$NB_HOME" && as_nobody env -i HOME="$NB_HOME" TMPDIR=/tmp \
		PATH="$NB_HOME/.local/bin:/usr/bin:/bin" LC_ALL=C TERM=dumb "$@")
}

@test "make install PREFIX=\$HOME/.local as nobody: no root, and bash, zsh, fish and man find it" {
	per_user_setup
	local l="$NB_HOME/.local"
	run nb make -s -C "$NB_REPO" -o src/vhost-user-find install PREFIX="$l"
	assert_success
	run staged_files "$NB_HOME"
	assert_output "$(printf '%s\n' \
		./.local/bin/vhost-user-find \
		./.local/share/bash-completion/completions/vhost-user-find \
		./.local/share/fish/vendor_completions.d/vhost-user-find.fish \
		./.local/share/man/man1/vhost-user-find.1 \
		./.local/share/man/man5/vhost-user-backend.5 \
		./.local/share/zsh/site-functions/_vhost-user-find)"
	run stat -c %U "$l/bin/vhost-user-find" \
		"$l/share/zsh/site-functions/_vhost-user-find"
	assert_output "$(printf 'nobody\nnobody')"

	# bash: bash-completion's loader finds it in the user's data dir on
	# demand, and it completes with the installed binary.
	run nb bash --norc --noprofile -c '
		source /usr/share/bash-completion/bash_completion
		complete -p vhost-user-find >/dev/null 2>&1 && exit 3
		_completion_loader vhost-user-find
		[ $? = 124 ] || exit 4
		shopt -s extdebug
		set -- $(declare -F _vhost_user_find)
		echo "$3"
		COMP_WORDS=(vhost-user-find li)
		COMP_CWORD=1 COMP_LINE="vhost-user-find li"
		COMP_POINT=${#COMP_LINE}
		_vhost_user_find vhost-user-find li vhost-user-find
		printf "%s\n" "${COMPREPLY[@]}"'
	assert_success
	assert_output "$(printf '%s\n' \
		"$l/share/bash-completion/completions/vhost-user-find" list)"

	# fish: its user data dir's vendor_completions.d, with no set-up.
	run nb fish -c '
		complete -C "vhost-user-find " | string replace -r "\t.*" ""
		functions --details __vhost_user_find_expand'
	assert_success
	assert_output "$(printf '%s\n' caps complete handshake list match paths \
		show validate "$l/share/fish/vendor_completions.d/vhost-user-find.fish")"

	# zsh: compinit finds it once site-functions is on fpath.
	run nb zsh -f -c '
		fpath=(~/.local/share/zsh/site-functions $fpath)
		autoload -Uz compinit && compinit -u -D
		print -r -- $_comps[vhost-user-find]
		autoload +X _vhost-user-find && whence -v _vhost-user-find'
	assert_success
	assert_output "$(printf '%s\n' _vhost-user-find \
		"_vhost-user-find is a shell function from $l/share/zsh/site-functions/_vhost-user-find")"

	# man: from ~/.local/share/man, next to ~/.local/bin on PATH.
	run nb man -w vhost-user-find vhost-user-backend
	assert_success
	assert_output "$(printf '%s\n' "$l/share/man/man1/vhost-user-find.1" \
		"$l/share/man/man5/vhost-user-backend.5")"

	run nb make -s -C "$NB_REPO" -o src/vhost-user-find uninstall PREFIX="$l"
	assert_success
	run staged_files "$NB_HOME"
	assert_output ""
}
