#!/usr/bin/env bats
# The README's tour and `make demo` show real output: each "$ command"
# in the README's indented blocks is run from the top of the tree and
# must print exactly the lines that follow it.

load helpers
bats_require_minimum_version 1.5.0

setup() {
	common_setup
	TOP=$(cd "$BATS_TEST_DIRNAME/.." && pwd)
	mkdir -p "$T/bin"
	ln -s "$VUF" "$T/bin/vhost-user-find"
}

# readme_examples SECTION: run each "$ command" of the README's section
# "## SECTION" (its indented blocks) from the top of the tree, and check
# that it prints exactly the lines that follow it; $n is how many ran.
readme_examples() {
	local cmd expected actual
	n=0
	# Blocks: a line "    $ CMD" (with "\" continuations), then the
	# indented lines up to the next "    $" or an unindented line.
	while IFS= read -r -d '' cmd && IFS= read -r -d '' expected; do
		n=$((n + 1))
		actual=$(cd "$TOP" && PATH="$T/bin:$PATH" bash -c "$cmd" 2>&1)
		if [ "$actual" != "$expected" ]; then
			printf 'README command: %s\nexpected:\n%s\nactual:\n%s\n' \
				"$cmd" "$expected" "$actual" >&2
			return 1
		fi
	done < <(awk -v section="## $1" '
		function flush() {
			if (cmd != "") printf "%s%c%s%c", cmd, 0, out, 0
			cmd = ""; out = ""; cont = 0
		}
		index($0, section) == 1 { on = 1; next }
		/^## / { if (on) flush(); on = 0 }
		!on { next }
		cont { sub(/^ +/, ""); cmd = cmd " " $0; cont = sub(/ \\$/, "", cmd); next }
		/^    \$ / { flush(); cmd = substr($0, 7); cont = sub(/ \\$/, "", cmd); next }
		/^    / && cmd != "" { out = out (out == "" ? "" : "\n") substr($0, 5); next }
		{ flush() }
		END { flush() }
	' "$TOP/README.md")
}

@test "readme: every command of the tour prints what the README shows" {
	readme_examples "A tour"
	[ "$n" -ge 7 ] || fail "only $n README commands were found"
}

@test "readme: every example of the common mistakes prints what the README shows" {
	readme_examples "Common mistakes"
	[ "$n" -ge 9 ] || fail "only $n README commands were found"
}

@test "readme: make demo's tour runs on the bundled tree" {
	run --separate-stderr sh "$TOP/examples/demo.sh" "$VUF"
	assert_success
	assert_line "\$ vhost-user-find --root $TOP/examples/root list --all"
	assert_line --partial "masked by $TOP/examples/root/etc/qemu/vhost-user/50-qemu-input.json"
	assert_line "/usr/local/libexec/vhost-user-gpu"
}

@test "readme: the Layout section names every file of src/, and only those" {
	local listed actual
	listed=$(awk '/^### Layout/ { on = 1; next } /^#/ { on = 0 }
		on' "$BATS_TEST_DIRNAME/../README.md" |
		grep -o '^- `[a-z*-]*\.c`' | sed 's/^- `\(.*\)`$/\1/' | sort)
	actual=$(cd "$BATS_TEST_DIRNAME/../src" && ls *.c |
		sed 's/^cmd-.*\.c$/cmd-*.c/' | sort -u)
	[ -n "$listed" ]
	if [ "$listed" != "$actual" ]; then
		diff <(echo "$listed") <(echo "$actual") >&2
		return 1
	fi
}
