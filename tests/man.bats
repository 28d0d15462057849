#!/usr/bin/env bats
# The manual pages: lint clean, and in step with the binary's own help,
# command table and schema, so that a new command or option cannot land
# undocumented.

load helpers
bats_require_minimum_version 1.5.0

MAN1="$BATS_TEST_DIRNAME/../man/vhost-user-find.1"
MAN5="$BATS_TEST_DIRNAME/../man/vhost-user-backend.5"

setup() {
	common_setup
}

# render PAGE: the page as plain text, lines unwrapped.
render() {
	mandoc -Tascii -O width=500 "$1" | col -bx
}

# section PAGE NAME: the text of one section of PAGE.
section() {
	render "$1" | awk -v s="$2" '
		/^[A-Z]/ { on = ($0 == s); next }
		on'
}

@test "vhost-user-find.1 and vhost-user-backend.5 are clean under mandoc -Tlint -Wwarning" {
	run --separate-stderr mandoc -Tlint -Wwarning "$MAN1" "$MAN5"
	assert_success
	assert_output ""
	stderr_is ""
}

@test "Debian's man (man-db with groff) renders both pages without a warning, within 80 columns" {
	local page
	for page in "$MAN1" "$MAN5"; do
		run --separate-stderr env MANWIDTH=80 MANPAGER=cat man --warnings -l "$page"
		assert_success
		stderr_is ""
		# Columns, not bytes: the quotes groff uses are UTF-8.
		run python3 -c '
import sys
for n, l in enumerate(sys.stdin.read().splitlines(), 1):
    if len(l) > 80:
        print(n, len(l), l)' <<<"$output"
		assert_output ""
	done
}

@test "make lint-man runs the same check" {
	run make -s -C "$BATS_TEST_DIRNAME/.." lint-man
	assert_success
	# And fails on a page with a warning.
	printf '.Dd November 25, 2026\n.Dt BAD 1\n.Os\n.Sh NAME\n.Nm bad\n.Nd bad\n.Sh DESCRIPTION\n.Xr\n' >"$T/bad.1"
	run make -s -C "$BATS_TEST_DIRNAME/.." lint-man MANPAGES="$T/bad.1"
	assert_failure
}

@test "vhost-user-find.1 has the sections a user looks for" {
	run render "$MAN1"
	for s in NAME SYNOPSIS DESCRIPTION "SHELL COMPLETION" \
		"IMPLEMENTATION NOTES" ENVIRONMENT FILES "EXIT STATUS" EXAMPLES \
		"SEE ALSO"; do
		assert_line "$s"
	done
}

@test "vhost-user-find.1: every command of the table is in the synopsis and described" {
	run vuf complete commands
	assert_success
	local synopsis commands
	synopsis=$(section "$MAN1" SYNOPSIS)
	commands=$(section "$MAN1" DESCRIPTION)
	for c in "${lines[@]}"; do
		[[ $synopsis == *"vhost-user-find [options] $c"* ]] ||
			fail "command $c is not in the SYNOPSIS"
		grep -qE "^     $c( |$)" <<<"$commands" ||
			fail "command $c is not described under Commands"
	done
}

# table_names [COMMAND]: the names of COMMAND's own options (with none,
# the global ones) in its popt table, as `complete options` gives them.
table_names() {
	vuf complete options "$@" | cut -f1 | sed 's/=[^ ]*$//' | tr ' ' '\n'
}

# option_items [COMMAND]: the tags of the items in DESCRIPTION that
# document COMMAND's own options (the command's item's own list), or
# with none the global ones (Global options), one a line.
option_items() {
	section "$MAN1" DESCRIPTION | awk -v cmd="${1-}" '
		/^   [^ ]/ { sub(/^ +/, ""); part = $0; next }
		cmd == "" { if (part == "Global options" && /^     -/) print; next }
		part != "Commands" { next }
		/^     [^ ]/ { on = ($1 == cmd); next }
		on && /^             -/'
}

@test "vhost-user-find.1: each command's options in the synopsis are those of its table" {
	run vuf complete commands
	local synopsis c table man_opts
	synopsis=$(section "$MAN1" SYNOPSIS)
	for c in "${lines[@]}"; do
		table=$(table_names "$c" | sort -u)
		man_opts=$(grep -- "\[options\] $c" <<<"$synopsis" |
			grep -o -- '--[a-z-]*' | sort -u)
		assert_equal "$man_opts" "$table"
	done
}

@test "vhost-user-find.1: every option of every popt table is an item, under its command" {
	local c o items n=0
	for c in '' $(vuf complete commands); do
		items=$(option_items $c)
		for o in $(table_names $c); do
			n=$((n + 1))
			grep -qE -- "^ +$o([ ,[]|$)|, $o( |$)" <<<"$items" ||
				fail "option $o of ${c:-the global table} is not an item under ${c:-Global options}"
		done
	done
	# The tables were read: every global option and every command's.
	[ "$n" -ge 20 ] || fail "only $n options were found"
}

@test "vhost-user-find.1: ENVIRONMENT, FILES and EXAMPLES for each user" {
	run section "$MAN1" ENVIRONMENT
	assert_line --partial XDG_CONFIG_HOME
	assert_line --regexp '^     HOME'
	run section "$MAN1" FILES
	assert_line --partial /usr/share/qemu/vhost-user/
	assert_line --partial /etc/qemu/vhost-user/
	run section "$MAN1" EXAMPLES
	assert_line "   For the system administrator"
	assert_line "   For the packager"
	assert_line "   In a script"
	assert_line "   In CI"
}

@test "vhost-user-find.1: the exit statuses are 0, 1 and 2" {
	run section "$MAN1" "EXIT STATUS"
	assert_line --regexp '^     0[[:space:]]+Success'
	assert_line --regexp '^     1[[:space:]]+Not found'
	assert_line --regexp '^     2[[:space:]]+A usage error'
}

@test "vhost-user-backend.5 names every type and every known feature" {
	local page
	page=$(render "$MAN5")
	run vuf complete types
	for t in "${lines[@]}"; do
		[[ $page == *"$t"* ]] || fail "type $t is missing"
		while read -r f; do
			[[ -z $f || $page == *"$f"* ]] || fail "feature $f of $t is missing"
		done < <(vuf complete features "$t")
	done
}

@test "vhost-user-backend.5 covers the format, search path, rules, capabilities and libvirt" {
	run render "$MAN5"
	assert_line "   The descriptor"
	assert_line "   The search path"
	assert_line "   Override and mask"
	assert_line "   A worked example"
	assert_line "   Capabilities"
	assert_line "   How libvirt differs"
	assert_output --partial -- "--print-capabilities"
}

@test "--help mirrors the synopsis: usage lines for every command" {
	run --separate-stderr vuf --help
	assert_success
	assert_line --index 0 "Usage: vhost-user-find [OPTION]... COMMAND [ARG]..."
	assert_line "  complete commands|types|features TYPE|options [COMMAND]|names|rules"
	assert_line "  paths [--json]"
}

@test "vhost-user-find.1 lists every rule id of validate, with its description, as the tool's table has them" {
	run --separate-stderr vuf complete rules
	assert_success
	local table=$output
	[ "$(printf '%s\n' "$table" | wc -l)" -ge 30 ]
	# The list under "The rules of validate": ".It ID", then its line.
	run awk '/^\.Ss The rules of validate/ { on = 1; next }
		on && /^\.El/ { exit }
		on && /^\.It / { id = $2; next }
		on && id != "" { print id "\t" $0; id = "" }' \
		"$BATS_TEST_DIRNAME/../man/vhost-user-find.1"
	assert_success
	assert_equal "$output" "$table"
}
