#!/bin/sh
# The tour `make demo` gives: the bundled example tree, three layers.
# Usage: sh examples/demo.sh PATH-TO-vhost-user-find
set -e
vuf=${1:-src/vhost-user-find}
ex=$(dirname "$0")
root=$ex/root

run() {
	printf '\n$ vhost-user-find %s\n' "$*"
	"$vuf" "$@" || printf '(exit status %s)\n' "$?"
}

run --root "$root" paths
run --root "$root" list
run --root "$root" list --all
run --root "$root" show 50-qemu-gpu
# The user layer: --dir names all three layers, --root still says where
# binaries are.
run --root "$root" --dir "$root/usr/share/qemu/vhost-user" \
	--dir "$root/etc/qemu/vhost-user" --dir "$ex/user/qemu/vhost-user" \
	list --all --type gpu
# match and caps run the example backends (scripts under $root/usr) to
# ask for their capabilities.
run --root "$root" match --type gpu
run --root "$root" match --type gpu --feature virgl --json
run --root "$root" caps 50-qemu-virtiofsd
run --root "$root" caps --type gpu --json
# With the user layer first, its gpu lacks virgl: -v says why it lost.
run --root "$root" --dir "$root/usr/share/qemu/vhost-user" \
	--dir "$root/etc/qemu/vhost-user" --dir "$ex/user/qemu/vhost-user" \
	-v match --type gpu --feature virgl
# The sysadmin masked the input backend: nothing qualifies, exit 1.
run --root "$root" match --type input
