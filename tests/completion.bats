#!/usr/bin/env bats
# Shell completion: the `complete` query, and the bash, zsh and fish
# scripts driven as their shells drive them.

load helpers
bats_require_minimum_version 1.5.0

COMPLETIONS="$BATS_TEST_DIRNAME/../completions"

setup() {
	common_setup
	# The scripts run the tool by its name, as an installed one would be.
	# A directory of our own: fish under LC_ALL=C finds no command in a
	# PATH entry with non-ASCII bytes, which a checkout's path may have.
	mkdir -p "$T/bin"
	ln -s "$VUF" "$T/bin/vhost-user-find"
	PATH="$T/bin:$PATH"
	R="$T/root"
	desc "$R/usr/share/qemu/vhost-user/50-qemu-gpu.json" gpu /usr/libexec/vhost-user-gpu
	desc "$R/usr/share/qemu/vhost-user/50-qemu-virtiofsd.json" fs /usr/libexec/virtiofsd
	desc "$R/etc/qemu/vhost-user/10-local-gpu.json" gpu /opt/gpu/bin/gpu
	desc "$R/usr/share/qemu/vhost-user/60-old-input.json" input /usr/libexec/input
	: >"$R/etc/qemu/vhost-user/60-old-input.json"
	mkdir -p "$T/dirs/a" "$T/dirs/b"
	: >"$T/dirs/file"
}

# bash_complete WORD...: what bash completion offers for the cursor at the
# end of the last word (COMPREPLY, sorted, one a line).  A fresh bash, so
# that bash-completion's shell options stay out of the test's shell.
bash_complete() {
	bash --norc --noprofile -c '
		source /usr/share/bash-completion/bash_completion || exit 2
		source "$1" || exit 2
		shift
		COMP_WORDS=("$@")
		COMP_CWORD=$(($# - 1))
		COMP_LINE="$*"
		COMP_POINT=${#COMP_LINE}
		_vhost_user_find "$1" "${COMP_WORDS[COMP_CWORD]}" \
			"${COMP_WORDS[COMP_CWORD - 1]}"
		[ ${#COMPREPLY[@]} -eq 0 ] || printf "%s\n" "${COMPREPLY[@]}" | sort
	' bash "$COMPLETIONS/vhost-user-find" "$@"
}

# table_options [COMMAND]: the names of every option COMMAND takes, its
# own and the global ones, as `complete options` gives them: sorted, one
# a line.  What each shell must offer after COMMAND for "-".
table_options() {
	{ vuf complete options; [ -z "${1-}" ] || vuf complete options "$1"; } |
		cut -f1 | sed 's/=[^ ]*$//' | tr ' ' '\n' | sort -u
}

# --- the query -----------------------------------------------------------

@test "complete commands: every command of the table, one a line" {
	run --separate-stderr vuf complete commands
	assert_success
	assert_line list
	assert_line show
	assert_line paths
	assert_line complete
	stderr_is ""
}

@test "complete types: the schema's types in its order" {
	run --separate-stderr vuf complete types
	assert_success
	assert_output "$(printf '%s\n' 9p balloon block caif console crypto gpu input net rng rpmsg rproc-serial scsi vsock fs)"
}

@test "complete features TYPE: the known features of TYPE" {
	run --separate-stderr vuf complete features gpu
	assert_success
	assert_output "$(printf 'render-node\nvirgl')"
	run --separate-stderr vuf complete features fs
	assert_output "$(printf 'migrate-precopy\nseparate-options')"
}

@test "complete features: an unknown type or one without features is nothing, exit 1, silently" {
	run --separate-stderr vuf complete features nosuchtype
	assert_failure 1
	assert_output ""
	stderr_is ""
	run --separate-stderr vuf complete features net
	assert_failure 1
	assert_output ""
}

@test "complete names: active descriptors only, honouring --root" {
	run --separate-stderr vuf --root "$R" complete names
	assert_success
	assert_output "$(printf '10-local-gpu.json\n50-qemu-gpu.json\n50-qemu-virtiofsd.json')"
	stderr_is ""
}

@test "complete names: no warnings, even for invalid and ignored entries" {
	printf 'not json' >"$R/etc/qemu/vhost-user/70-broken.json"
	mkfifo "$R/etc/qemu/vhost-user/80-fifo.json"
	run --separate-stderr vuf --root "$R" complete names
	assert_success
	refute_line 70-broken.json
	refute_line 80-fifo.json
	stderr_is ""
}

@test "complete names: --dir and the user directory; --system leaves it out" {
	desc "$HOME/.config/qemu/vhost-user/90-mine.json" rng /usr/bin/rng
	run --separate-stderr vuf --dir "$R/etc/qemu/vhost-user" complete names
	assert_output 10-local-gpu.json
	run --separate-stderr vuf complete names
	assert_line 90-mine.json
	run --separate-stderr vuf --system complete names
	refute_line 90-mine.json
}

@test "complete names: a name with a newline is left out, nothing else" {
	desc "$T/d/good.json" gpu /bin/gpu
	desc "$T/d/$(printf 'bad\nname.json')" gpu /bin/gpu
	run --separate-stderr vuf --dir "$T/d" complete names
	assert_success
	assert_output good.json
}

@test "complete names: nothing found is exit 1 and silent" {
	run --separate-stderr vuf --dir "$T/empty" complete names
	assert_failure 1
	assert_output ""
	stderr_is ""
}

@test "complete options COMMAND: the command's own options, names, a tab, the help" {
	run --separate-stderr vuf complete options list
	assert_success
	assert_output "$(printf '%s\t%s\n' \
		--type=TYPE 'only descriptors of this type' \
		--all 'also overridden, masked, invalid and ignored entries' \
		--json 'print a JSON array')"
	stderr_is ""
	# A repeatable option's value ends in "...".
	run vuf complete options match
	assert_line "$(printf -- '--feature=FEATURE...\trequire a feature (repeatable; probes backends)')"
}

@test "complete options: with no command, the global ones, short names first, help on one line" {
	run --separate-stderr vuf complete options
	assert_success
	assert_line "$(printf -- '-v --verbose\tsay why each candidate was rejected')"
	assert_line "$(printf -- '--dir=DIR...\tsearch DIR instead (repeatable, general to specific)')"
	assert_line "$(printf -- "--env=NAME[=VALUE]...\tgive a probed backend this variable (repeatable; NAME alone passes on the caller's value)")"
	assert_line --regexp $'^--root=DIR\tsearch DIR/usr/share/qemu/vhost-user and DIR/etc/qemu/vhost-user, check and run'
	assert_equal "${#lines[@]}" 10
}

@test "complete options: every option of every table has a help text" {
	local c
	for c in '' $(vuf complete commands); do
		while IFS=$'\t' read -r names help; do
			[[ $names == -* && -n $help ]] ||
				fail "${c:-global}: '$names' has no help"
		done < <(vuf complete options $c)
	done
}

@test "complete options: a command without options, or none of ours, is nothing, exit 1, silently" {
	for c in complete nosuchcommand; do
		run --separate-stderr vuf complete options "$c"
		assert_failure 1
		assert_output ""
		stderr_is ""
	done
}

@test "complete: a malformed query is a usage error" {
	run --separate-stderr vuf complete
	assert_failure 2
	assert_equal "$output" ""
	stderr_has "missing WHAT"
	run --separate-stderr vuf complete bogus
	assert_failure 2
	stderr_has "unknown WHAT 'bogus'"
	run --separate-stderr vuf complete features
	assert_failure 2
	run --separate-stderr vuf complete types extra
	assert_failure 2
	stderr_has "unexpected argument 'extra'"
	run --separate-stderr vuf complete options list extra
	assert_failure 2
	stderr_has "unexpected argument 'extra'"
}

# --- bash ----------------------------------------------------------------

@test "bash: the script loads and registers itself for vhost-user-find" {
	run bash --norc --noprofile -c '
		source /usr/share/bash-completion/bash_completion
		source "$1" && complete -p vhost-user-find' bash \
		"$COMPLETIONS/vhost-user-find"
	assert_success
	assert_output "complete -F _vhost_user_find vhost-user-find"
}

@test "bash: commands" {
	run bash_complete vhost-user-find ''
	assert_success
	assert_line list
	assert_line show
	assert_line complete
	run bash_complete vhost-user-find --system pa
	assert_output paths
}

@test "bash: global options, before the command" {
	run bash_complete vhost-user-find --ver
	assert_output "$(printf -- '--verbose\n--version')"
	run bash_complete vhost-user-find --r
	assert_output -- --root
}

@test "bash: each command's options, with the global ones" {
	run bash_complete vhost-user-find list --
	assert_line -- --type
	assert_line -- --all
	assert_line -- --json
	assert_line -- --root
	refute_line -- --feature
	run bash_complete vhost-user-find match --f
	assert_output "$(printf -- '--feature\n--file')"
	run bash_complete vhost-user-find caps --
	assert_line -- --binary
	assert_line -- --type
	run bash_complete vhost-user-find validate --
	assert_line -- --probe
	assert_line -- --strict
	run bash_complete vhost-user-find show --j
	assert_output -- --json
}

@test "bash: for \"-\", each command offers exactly its table's options and the global ones" {
	local c
	for c in '' $(vuf complete commands); do
		run bash_complete vhost-user-find $c -
		assert_output "$(table_options $c)"
	done
}

@test "no script keeps a list of options: it names only those with a role of its own" {
	# The search path options, --type, --feature, --binary, --env and
	# the help have their values or exclusions completed; the rest
	# come from `complete options` alone.
	run grep -n -E -e '--(timeout|all|json|probe|file|strict|verbose|quiet)\b' \
		"$COMPLETIONS/vhost-user-find" "$COMPLETIONS/_vhost-user-find" \
		"$COMPLETIONS/vhost-user-find.fish"
	assert_output ""
}

@test "bash: --type values are the types" {
	run bash_complete vhost-user-find list --type ''
	assert_equal "${#lines[@]}" 15
	assert_line gpu
	assert_line rproc-serial
	run bash_complete vhost-user-find match --type r
	assert_output "$(printf 'rng\nrpmsg\nrproc-serial')"
	run bash_complete vhost-user-find list --type=g
	assert_output gpu
}

@test "bash: --feature values are the features of the --type on the line" {
	run bash_complete vhost-user-find match --type gpu --feature ''
	assert_output "$(printf 'render-node\nvirgl')"
	run bash_complete vhost-user-find match --type=input --feature=n
	assert_output no-grab
	run bash_complete vhost-user-find match --feature virgl --type fs --all --feature m
	assert_output migrate-precopy
	# No type yet: nothing to offer.
	run bash_complete vhost-user-find match --feature ''
	assert_output ""
}

@test "bash: show and caps complete the active names under the --root on the line" {
	run bash_complete vhost-user-find --root "$R" show ''
	assert_output "$(printf '10-local-gpu.json\n50-qemu-gpu.json\n50-qemu-virtiofsd.json')"
	run bash_complete vhost-user-find caps --root="$R" 50
	assert_output "$(printf '50-qemu-gpu.json\n50-qemu-virtiofsd.json')"
	# One operand only.
	run bash_complete vhost-user-find --root "$R" show 50-qemu-gpu.json ''
	assert_output ""
	# caps with --type or --binary takes no name.
	run bash_complete vhost-user-find --root "$R" caps --type gpu ''
	assert_output ""
}

@test "bash: names honour --dir and --system on the line" {
	desc "$HOME/.config/qemu/vhost-user/90-mine.json" rng /usr/bin/rng
	run bash_complete vhost-user-find show 9
	assert_output 90-mine.json
	run bash_complete vhost-user-find --system show 9
	assert_output ""
	run bash_complete vhost-user-find show --dir "$R/etc/qemu/vhost-user" ''
	assert_output 10-local-gpu.json
	run bash_complete vhost-user-find show --dir "'$R/etc/qemu/vhost-user'" ''
	assert_output 10-local-gpu.json
}

@test "bash: a name with a space comes back quoted for the line" {
	desc "$T/sp/my gpu.json" gpu /bin/gpu
	run bash_complete vhost-user-find --dir "$T/sp" show my
	assert_output 'my\ gpu.json'
}

# bash_readline LINE: what an interactive bash, on a pseudo-terminal,
# with bash-completion and the script loaded, makes of LINE after <Tab>:
# readline's own word breaking and quoting, as a user gets them.
bash_readline() {
	cat >"$T/readline.py" <<'PY'
import os, pty, re, select, sys, time
script, line = sys.argv[1], sys.argv[2]
pid, fd = pty.fork()
if pid == 0:
    os.execvpe("bash", ["bash", "--norc", "--noprofile", "-i"],
               dict(os.environ, INPUTRC="/dev/null", PS1="", TERM="dumb"))
def read_until(token, seconds=20):
    out, end = b"", time.time() + seconds
    while time.time() < end and token not in out:
        if select.select([fd], [], [], 0.1)[0]:
            try:
                out += os.read(fd, 4096)
            except OSError:
                break
    return out.decode(errors="replace")
# ^T prints the line being edited; READ''Y is not echoed as READY.
os.write(fd, ("source /usr/share/bash-completion/bash_completion; "
              "source '%s'; bind -x '\"\\C-t\": printf \"<LINE>%%s</LINE>\\n\" "
              "\"$READLINE_LINE\"'; echo READ''Y\n" % script).encode())
read_until(b"READY\r\n")
os.write(fd, (line + "\t\x14").encode())
found = re.findall(r"<LINE>(.*?)</LINE>", read_until(b"</LINE>"))
print(found[-1] if found else "(no line)")
os.write(fd, b"\x03exit\n")
PY
	timeout 60 python3 "$T/readline.py" "$COMPLETIONS/vhost-user-find" "$1"
}

@test "bash: a name completes after an opening quote and past a colon, as readline edits the line" {
	desc "$T/q/15-one.json" gpu /bin/gpu
	desc "$T/q/60-a:b.json" gpu /bin/gpu
	desc "$T/q/70-x y.json" gpu /bin/gpu
	run bash_readline "vhost-user-find --dir $T/q show '15"
	assert_output "vhost-user-find --dir $T/q show '15-one.json' "
	run bash_readline "vhost-user-find --dir $T/q show \"70"
	assert_output "vhost-user-find --dir $T/q show \"70-x y.json\" "
	run bash_readline "vhost-user-find --dir $T/q show 70"
	assert_output "vhost-user-find --dir $T/q show 70-x\\ y.json "
	run bash_readline "vhost-user-find --dir $T/q show 60-a:"
	assert_output "vhost-user-find --dir $T/q show 60-a:b.json "
	run bash_readline "vhost-user-find --dir $T/q caps 60-a:"
	assert_output "vhost-user-find --dir $T/q caps 60-a:b.json "
}

@test "bash: show with a slash completes files" {
	cd "$T"
	run bash_complete vhost-user-find show dirs/f
	assert_output dirs/file
}

@test "bash: validate and --binary complete files" {
	cd "$T"
	run bash_complete vhost-user-find validate dirs/
	assert_output "$(printf 'dirs/a\ndirs/b\ndirs/file')"
	run bash_complete vhost-user-find caps --binary dirs/f
	assert_output dirs/file
}

@test "bash: --root and --dir complete directories only" {
	cd "$T"
	run bash_complete vhost-user-find --root dirs/
	assert_output "$(printf 'dirs/a\ndirs/b')"
	run bash_complete vhost-user-find list --dir dirs/
	assert_output "$(printf 'dirs/a\ndirs/b')"
}

@test "bash: complete's own arguments" {
	run bash_complete vhost-user-find complete ''
	assert_output "$(printf 'commands\nfeatures\nnames\noptions\nrules\ntypes')"
	run bash_complete vhost-user-find complete features g
	assert_output gpu
	run bash_complete vhost-user-find complete options li
	assert_output list
	run bash_complete vhost-user-find complete types ''
	assert_output ""
}

@test "bash: validate --ignore offers the rule ids, --format the formats" {
	run bash_complete vhost-user-find validate --ignore VUF11
	assert_output "$(printf 'VUF110\nVUF111\nVUF112\nVUF113')"
	run bash_complete vhost-user-find validate --ignore=VUF40
	assert_output "$(printf 'VUF400\nVUF401\nVUF402\nVUF403\nVUF404\nVUF405')"
	run bash_complete vhost-user-find validate --format ''
	assert_output "$(printf 'gcc\ngithub\njson')"
	run bash_complete vhost-user-find validate --format=g
	assert_output "$(printf 'gcc\ngithub')"
}

@test "bash: --timeout takes seconds: nothing is offered" {
	run bash_complete vhost-user-find --timeout ''
	assert_success
	assert_output ""
}

@test "bash: --env offers the caller's variables, and takes the next word" {
	export VUF_COMPLETION_PROBE=1
	run bash_complete vhost-user-find --env VUF_COMPLETION_P
	assert_output VUF_COMPLETION_PROBE
	run bash_complete vhost-user-find --env X --r
	assert_output --root
	# X is --env's value, not the command: commands are still offered.
	run bash_complete vhost-user-find --env X li
	assert_output list
}

@test "bash: completion never runs a backend, nor what is typed on the line" {
	mkdir -p "$R/usr/libexec"
	printf '#!/bin/sh\ntouch "%s/ran"\necho "{\\"type\\": \\"gpu\\", \\"features\\": [\\"virgl\\"]}"\n' "$T" \
		>"$R/usr/libexec/vhost-user-gpu"
	chmod +x "$R/usr/libexec/vhost-user-gpu"
	# The fixture really is a backend that leaves a trace when run.
	"$R/usr/libexec/vhost-user-gpu" --print-capabilities
	assert_file_exists "$T/ran"
	rm "$T/ran"

	run bash_complete vhost-user-find --root "$R" show ''
	assert_line 50-qemu-gpu.json
	run bash_complete vhost-user-find --root "$R" caps ''
	assert_line 50-qemu-gpu.json
	run bash_complete vhost-user-find --root "$R" match --type gpu --feature ''
	assert_line virgl
	run bash_complete vhost-user-find --root "$R" list --type g
	run bash_complete vhost-user-find --root '$(touch '"$T"'/ran)' show ''
	run bash_complete vhost-user-find --root "\"\$(touch $T/ran)\"" show ''
	assert_file_not_exists "$T/ran"
}

# --- zsh -----------------------------------------------------------------

@test "zsh: the script parses and compinit registers it for vhost-user-find" {
	run zsh -n "$COMPLETIONS/_vhost-user-find"
	assert_success
	run zsh -f -c '
		fpath=("$1" $fpath)
		autoload -Uz compinit && compinit -u -d "$2/zcompdump"
		print -r -- $_comps[vhost-user-find]
		autoload +X _vhost-user-find && whence -w _vhost-user-find' \
		zsh "$COMPLETIONS" "$T"
	assert_success
	assert_output "$(printf '_vhost-user-find\n_vhost-user-find: function')"
}

# zsh_complete LINE...: for each LINE, what zsh completion offers at its
# end (sorted, one a line), then "--".  An interactive zsh on a
# pseudo-terminal (zsh/zpty) with compinit and the script on $fpath; the
# matches are read off compadd.  timeout: a broken script fails, not hangs.
zsh_complete() {
	cat >"$T/zcomplete.zsh" <<'ZSH'
# zsh -f zcap.zsh COMPDIR LINE...: for each LINE, the matches zsh
# completion offers at its end, sorted, then a line "--".
zmodload zsh/zpty || exit 2
# A plain terminal: zle pads for vt100 and its like with NUL bytes.
zpty z env TERM=dumb zsh -f -i
zpty -w z "PROMPT='' RPROMPT='' PS2=''"
zpty -w z "fpath=(${(q)1} \$fpath); autoload -Uz compinit; compinit -u -D"
zpty -w z "zstyle ':completion:*' insert-tab false"
# Print every match compadd is given, instead of a menu.
zpty -w z 'compadd() { builtin compadd -O __m "$@"; (( $#__m )) && print -rl -- "<M>"${^__m}; builtin compadd "$@" }'
zpty -w z 'comptest() { print -r -- "<START>"; zle complete-word; print -r -- "<END>"; zle send-break }'
zpty -w z 'zle -N comptest; bindkey "^T" comptest'
zpty -w z "print -r -- '<READY>'"
local line out
while zpty -r z line; do [[ $line == '<READY>'* ]] && break; done
shift
for l in "$@"; do
  zpty -w -n z "$l"$'\x14'
  out=''
  while zpty -r z line; do
    [[ $line == *'<END>'* ]] && break
    out+=$line
  done
  print -r -- $out | tr -d '\r' | grep -a -o '<M>[^<]*' | sed 's/^<M>//' | sort -u
  print -r -- --
done
zpty -d z
ZSH
	timeout 120 zsh -f "$T/zcomplete.zsh" "$COMPLETIONS" "$@"
}

@test "zsh: commands, options, types, features, names and complete's arguments" {
	run zsh_complete 'vhost-user-find ' 'vhost-user-find list --' \
		'vhost-user-find list --type g' \
		'vhost-user-find match --type gpu --feature ' \
		'vhost-user-find match --type=input --feature=' \
		'vhost-user-find complete ' 'vhost-user-find complete options ma'
	assert_success
	assert_output "$(printf '%s\n' caps complete handshake list match paths show validate -- \
		--all --dir --env --help --json --libvirt-version --quiet --root \
		--system --timeout --type --verbose --version -- gpu -- \
		render-node virgl -- \
		evdev-path no-grab -- commands features names options rules types -- \
		match --)"
}

@test "zsh: validate --ignore offers the rule ids, --format the formats" {
	run zsh_complete 'vhost-user-find validate --ignore VUF20' \
		'vhost-user-find validate --format '
	assert_success
	assert_output "$(printf '%s\n' VUF200 VUF201 VUF202 VUF203 VUF204 VUF205 \
		VUF206 -- gcc github json --)"
}

@test "zsh: for \"-\", each command offers exactly its table's options and the global ones" {
	local c expected='' lines=()
	for c in '' $(vuf complete commands); do
		lines+=("vhost-user-find ${c:+$c }-")
		expected+="$(table_options $c)"$'\n--\n'
	done
	run zsh_complete "${lines[@]}"
	assert_success
	assert_output "${expected%$'\n'}"
}

@test "zsh: the table's exclusions: -v once, nothing after -h, caps' --type or --binary" {
	run zsh_complete 'vhost-user-find -v -' 'vhost-user-find caps --type gpu --' \
		'vhost-user-find match --feature virgl --fe'
	assert_success
	assert_output "$(printf '%s\n' --dir --env --help --libvirt-version \
		--quiet --root --system --timeout --version -V -h -q -- --dir \
		--env --help --json --libvirt-version --quiet --root --system \
		--timeout --verbose --version -- --feature --)"
}

@test "zsh: names come from the --root/--dir/--system on the line, before or after the command" {
	desc "$HOME/.config/qemu/vhost-user/90-mine.json" rng /usr/bin/rng
	run zsh_complete "vhost-user-find --root $R show 50" \
		"vhost-user-find show --root=$R " \
		"vhost-user-find caps --dir $R/etc/qemu/vhost-user " \
		'vhost-user-find show 9' 'vhost-user-find --system show 9'
	assert_success
	assert_output "$(printf '%s\n' 50-qemu-gpu.json 50-qemu-virtiofsd.json -- \
		10-local-gpu.json 50-qemu-gpu.json 50-qemu-virtiofsd.json -- \
		10-local-gpu.json -- 90-mine.json -- --)"
}

# --- fish ----------------------------------------------------------------

# fish_complete LINE: the completions fish offers for LINE (values only).
fish_complete() {
	fish --no-config -c 'source $argv[1]; and complete -C $argv[2]' \
		"$COMPLETIONS/vhost-user-find.fish" "$1" | cut -f1
}

@test "fish: the script loads without error" {
	run --separate-stderr fish --no-config -c 'source $argv[1]' \
		"$COMPLETIONS/vhost-user-find.fish"
	assert_success
	stderr_is ""
}

@test "fish: commands, options, types, features and names" {
	run fish_complete 'vhost-user-find li'
	assert_output list
	run fish_complete 'vhost-user-find match --fi'
	assert_output -- --file
	run fish_complete 'vhost-user-find list --type g'
	assert_output gpu
	run fish_complete 'vhost-user-find match --type gpu --feature '
	assert_output "$(printf 'render-node\nvirgl')"
	run fish_complete "vhost-user-find --root $R show 50"
	assert_output "$(printf '50-qemu-gpu.json\n50-qemu-virtiofsd.json')"
	run fish_complete 'vhost-user-find complete features f'
	assert_output fs
	run fish_complete 'vhost-user-find complete options ma'
	assert_output match
	run fish_complete 'vhost-user-find validate --ignore VUF11'
	assert_output "$(printf 'VUF110\nVUF111\nVUF112\nVUF113')"
	run fish_complete 'vhost-user-find validate --format '
	assert_output "$(printf 'gcc\ngithub\njson')"
}

@test "fish: for \"-\", each command offers exactly its table's options and the global ones" {
	local c
	for c in '' $(vuf complete commands); do
		run fish_complete "vhost-user-find ${c:+$c }-"
		assert_equal "$(sort <<<"$output")" "$(table_options $c)"
	done
}

@test "fish: --env offers the caller's variables, and takes the next word" {
	VUF_COMPLETION_PROBE=1 run fish_complete 'vhost-user-find --env VUF_COMPLETION_P'
	assert_output VUF_COMPLETION_PROBE
	run fish_complete 'vhost-user-find --env X li'
	assert_output list
}

@test "fish: names honour --dir and --system, one operand only, none for caps --type" {
	desc "$HOME/.config/qemu/vhost-user/90-mine.json" rng /usr/bin/rng
	run fish_complete 'vhost-user-find show 9'
	assert_output 90-mine.json
	run fish_complete 'vhost-user-find --system show 9'
	assert_output ""
	run fish_complete "vhost-user-find caps --dir=$R/etc/qemu/vhost-user 1"
	assert_output 10-local-gpu.json
	run fish_complete "vhost-user-find --root $R show 50-qemu-gpu.json 5"
	assert_output ""
	run fish_complete "vhost-user-find --root $R caps --type gpu 5"
	assert_output ""
}

@test "bash, zsh, fish: --type is not offered again once it is on the line" {
	run bash_complete vhost-user-find match --type gpu --t
	assert_output -- --timeout
	run bash_complete vhost-user-find list --type=gpu --
	assert_output "$(table_options list | grep -- '^--' | grep -vx -- --type)"
	run bash_complete vhost-user-find match --t
	assert_output "$(printf '%s\n' --timeout --type)"
	run zsh_complete 'vhost-user-find match --type gpu --t' 'vhost-user-find list --type=gpu --'
	assert_success
	assert_output "$(printf '%s\n' --timeout -- --all --dir --env --help \
		--json --libvirt-version --quiet --root --system --timeout \
		--verbose --version --)"
	run fish_complete 'vhost-user-find match --type gpu --t'
	assert_output -- --timeout
	run fish_complete 'vhost-user-find caps --type=gpu --'
	assert_equal "$(sort <<<"$output")" "$(table_options caps | grep -- '^--' | grep -vx -- --type)"
	run fish_complete 'vhost-user-find match --t'
	assert_equal "$(sort <<<"$output")" "$(printf '%s\n' --timeout --type)"
}
