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
	mkdir -p "$HOME"
}

# vuf ARGS...: run the binary (bats `run`: $status, $output, $stderr).
vuf() {
	"$VUF" "$@"
}

# desc FILE TYPE BINARY [DESCRIPTION]: write a valid descriptor.
desc() {
	local file=$1 type=$2 binary=$3 description=${4:-"test $2 backend"}
	mkdir -p "$(dirname "$file")"
	printf '{\n  "description": "%s",\n  "type": "%s",\n  "binary": "%s"\n}\n' \
		"$description" "$type" "$binary" >"$file"
}
