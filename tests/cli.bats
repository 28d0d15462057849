#!/usr/bin/env bats
# SPEC §6: global options, usage errors, help, version, exit status,
# write errors.

load helpers
bats_require_minimum_version 1.5.0

setup() { common_setup; }

@test "cli: no command is a usage error with a hint" {
	expect 2 '' "vhost-user-find: missing command
Try 'vhost-user-find --help' for more information." --
}

@test "cli: an unknown command is a usage error" {
	expect 2 '' "vhost-user-find: unknown command 'frobnicate'
Try 'vhost-user-find --help' for more information." -- frobnicate
}

@test "cli: an unknown global option is a usage error" {
	expect 2 '' "vhost-user-find: --frob: unknown option
Try 'vhost-user-find --help' for more information." -- --frob list
}

@test "cli: an unknown option after the command names the command's help" {
	expect 2 '' "vhost-user-find: --frob: unknown option
Try 'vhost-user-find list --help' for more information." -- list --frob
}

@test "cli: a missing option argument is a usage error" {
	expect 2 '' "vhost-user-find: --type: missing argument
Try 'vhost-user-find list --help' for more information." -- list --type
	expect 2 '' "vhost-user-find: --dir: missing argument
Try 'vhost-user-find --help' for more information." -- --dir
}

@test "cli: an unknown --type is a usage error that lists the known types" {
	expect 2 '' "vhost-user-find: unknown type 'floppy' (known types: 9p, balloon, block, caif, console, crypto, gpu, input, net, rng, rpmsg, rproc-serial, scsi, vsock, fs)
Try 'vhost-user-find list --help' for more information." -- list --type floppy
}

@test "cli: a bad --timeout is a usage error" {
	for v in abc 0 -1 1e9 5s; do
		run --separate-stderr vuf --timeout "$v" paths
		assert_failure 2
		stderr_has "--timeout '$v': not a number of seconds"
	done
	run vuf --timeout 0.5 paths
	assert_success
}

@test "cli: --help prints the usage on stdout and exits 0" {
	run --separate-stderr vuf --help
	assert_success
	assert_line --index 0 "Usage: vhost-user-find [OPTION]... COMMAND [ARG]..."
	assert_line "  list [--type TYPE] [--all] [--json]"
	assert_line "  show NAME|PATH [--json]"
	assert_line "  paths [--json]"
	assert_line --partial "Types: 9p, balloon, block,"
	stderr_is ""
	run vuf -h
	assert_success
	assert_line --index 0 "Usage: vhost-user-find [OPTION]... COMMAND [ARG]..."
}

@test "cli: COMMAND -h prints that command's usage" {
	run vuf list -h
	assert_success
	assert_line --index 0 "Usage: vhost-user-find [OPTION]... list [--type TYPE] [--all] [--json]"
	# One column for the command's options and the global ones.
	assert_line "      --all                  also overridden, masked, invalid and ignored entries"
	assert_line "  -q, --quiet                print no warnings"
	run vuf show --help
	assert_success
	assert_line --index 0 "Usage: vhost-user-find [OPTION]... show NAME|PATH [--json]"
	run vuf --help paths
	assert_success
	assert_line --index 0 "Usage: vhost-user-find [OPTION]... paths [--json]"
}

# help_items ARGS...: the options of `vuf ARGS...`'s help, one a line:
# as shown ("-v, --verbose", "--root DIR"), a tab, the help (its lines
# joined by spaces).
help_items() {
	vuf "$@" | awk '
		function flush() { if (item != "") print item; item = "" }
		/^  (-[[:alnum:]],|   ) --/ {
			flush(); label = $0; sub(/^ +/, "", label)
			help = label; sub(/  +.*/, "", label); sub(/^[^ ]+( [^ ]+)*  +/, "", help)
			item = label "\t" help; next
		}
		/^                    +[^ ]/ && item != "" { sub(/^ +/, ""); item = item " " $0; next }
		{ flush() }
		END { flush() }'
}

@test "cli: --help and each COMMAND -h show every option of its popt table, with its help" {
	local c names help label items
	for c in '' $(vuf complete commands); do
		items=$(help_items ${c:---help} ${c:+-h})
		while IFS=$'\t' read -r names help; do
			label=${names%...}
			label=${label/=/ }
			[[ $label == -?\ * ]] && label="${label:0:2},${label:2}"
			grep -qxF -- "$label"$'\t'"$help" <<<"$items" ||
				fail "${c:---help}: no '$label' with '$help' in:"$'\n'"$items"
		done < <(vuf complete options $c)
	done
}

@test "cli: each command's usage line names exactly the options of its table" {
	local c usage table
	for c in $(vuf complete commands); do
		usage=$(vuf "$c" -h | head -n 1 | sed 's/.*\] '"$c"'//' |
			grep -o -- '--[a-z-]*' | sort -u)
		table=$(vuf complete options "$c" | cut -f1 | grep -o -- '--[a-z-]*' |
			sort -u)
		assert_equal "$usage" "$table"
	done
}

@test "cli: --version and -V, before or after the command" {
	run vuf --version
	assert_success
	assert_output --regexp '^vhost-user-find [0-9]+\.[0-9]+\.[0-9]+$'
	local v=$output
	run vuf -V
	assert_output "$v"
	run vuf list -V
	assert_output "$v"
}

@test "cli: a failed write to stdout exits 2 with a message" {
	mkdir "$T/d"
	desc "$T/d/50-a.json" gpu /usr/bin/a
	run --separate-stderr sh -c '"$1" --dir "$2" list >/dev/full' sh "$VUF" "$T/d"
	assert_failure 2
	stderr_is "vhost-user-find: write error on standard output: No space left on device"
	run --separate-stderr sh -c '"$1" --help >/dev/full' sh "$VUF"
	assert_failure 2
	run --separate-stderr sh -c '"$1" --dir "$2" show 50-a >/dev/full' sh "$VUF" "$T/d"
	assert_failure 2
}

@test "cli: a closed stdout exits 2, and no file takes its place" {
	mkdir "$T/d"
	desc "$T/d/50-a.json" gpu /usr/bin/a
	run --separate-stderr sh -c '"$1" --dir "$2" list >&-' sh "$VUF" "$T/d"
	assert_failure 2
	stderr_has "write error on standard output: Bad file descriptor"
}

@test "cli: options and -- end option parsing for operands" {
	mkdir "$T/-d"
	desc "$T/-d/50-a.json" gpu /usr/bin/a
	run vuf show -- "$T/-d/50-a.json"
	assert_success
	assert_line --index 2 '  "type": "gpu",'
}

@test "cli: options after operands work even with POSIXLY_CORRECT set" {
	mkdir "$T/d"
	desc "$T/d/50-a.json" gpu /usr/bin/a
	POSIXLY_CORRECT=1 run --separate-stderr vuf show 50-a --dir "$T/d" --json
	assert_success
	assert_line '  "binary": "/usr/bin/a"'
	POSIX_ME_HARDER=1 run vuf show 50-a --dir "$T/d"
	assert_success
}

@test "cli: an empty --dir is a usage error" {
	expect 2 '' "vhost-user-find: --dir: empty directory name
Try 'vhost-user-find --help' for more information." -- --dir '' list
}

@test "cli: a near miss of a command says what was meant" {
	expect 2 '' "vhost-user-find: unknown command 'lsit' (did you mean 'list'?)
Try 'vhost-user-find --help' for more information." -- lsit
	expect 2 '' "vhost-user-find: unknown command 'Match' (did you mean 'match'?)
Try 'vhost-user-find --help' for more information." -- Match
}

@test "cli: a near miss of an option says what was meant, the command's or a global one" {
	expect 2 '' "vhost-user-find: --typ: unknown option (did you mean '--type'?)
Try 'vhost-user-find list --help' for more information." -- list --typ gpu
	expect 2 '' "vhost-user-find: --typ=gpu: unknown option (did you mean '--type'?)
Try 'vhost-user-find match --help' for more information." -- match --typ=gpu
	expect 2 '' "vhost-user-find: --verbos: unknown option (did you mean '--verbose'?)
Try 'vhost-user-find paths --help' for more information." -- paths --verbos
	expect 2 '' "vhost-user-find: --verbos: unknown option (did you mean '--verbose'?)
Try 'vhost-user-find --help' for more information." -- --verbos paths
	expect 2 '' "vhost-user-find: --typ: unknown option (did you mean '--type'?)
Try 'vhost-user-find --help' for more information." -- --typ gpu list
	expect 2 '' "vhost-user-find: -x: unknown option
Try 'vhost-user-find --help' for more information." -- -x list
}

@test "cli: an option of a command given before it says so, naming the commands that have it" {
	expect 2 '' "vhost-user-find: --json is an option of list, match, show, caps, handshake, paths, validate: put it after the command
Try 'vhost-user-find --help' for more information." -- --json list
	expect 2 '' "vhost-user-find: --type is an option of list, match, caps, handshake: put it after the command
Try 'vhost-user-find --help' for more information." -- --type=gpu match
	expect 1 '[]' '' -- -q --dir "$T" list --json
}

@test "cli: a near miss of a type says what was meant, and still lists the known types" {
	expect 2 '' "vhost-user-find: unknown type 'GPU' (did you mean 'gpu'?) (known types: 9p, balloon, block, caif, console, crypto, gpu, input, net, rng, rpmsg, rproc-serial, scsi, vsock, fs)
Try 'vhost-user-find list --help' for more information." -- list --type GPU
	expect 2 '' "vhost-user-find: unknown type 'gpuu' (did you mean 'gpu'?) (known types: 9p, balloon, block, caif, console, crypto, gpu, input, net, rng, rpmsg, rproc-serial, scsi, vsock, fs)
Try 'vhost-user-find match --help' for more information." -- match --type gpuu
	expect 2 '' "vhost-user-find: unknown type 'blok' (did you mean 'block'?) (known types: 9p, balloon, block, caif, console, crypto, gpu, input, net, rng, rpmsg, rproc-serial, scsi, vsock, fs)
Try 'vhost-user-find caps --help' for more information." -- caps --type blok
}

@test "cli: a type given as an operand says to use --type" {
	expect 2 '' "vhost-user-find: unexpected argument 'gpu' (did you mean '--type gpu'?)
Try 'vhost-user-find match --help' for more information." -- match gpu
	expect 2 '' "vhost-user-find: unexpected argument 'gpuu' (did you mean '--type gpu'?)
Try 'vhost-user-find list --help' for more information." -- list gpuu
	expect 2 '' "vhost-user-find: unexpected argument 'floppy'
Try 'vhost-user-find list --help' for more information." -- list floppy
	expect 2 '' "vhost-user-find: unexpected argument 'gpu'
Try 'vhost-user-find paths --help' for more information." -- paths gpu
}
