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
