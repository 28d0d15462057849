#!/usr/bin/env bats
# SPEC §3: which directories are searched, general to specific.

load helpers
bats_require_minimum_version 1.5.0

setup() { common_setup; }
teardown() { as_nobody_teardown; }

@test "paths: default directories, then the user's from XDG_CONFIG_HOME" {
	XDG_CONFIG_HOME=/srv/xdg run --separate-stderr vuf paths
	assert_success
	assert_output "/usr/share/qemu/vhost-user
/etc/qemu/vhost-user
/srv/xdg/qemu/vhost-user"
	stderr_is ""
}

@test "paths: XDG_CONFIG_HOME unset means \$HOME/.config" {
	run vuf paths
	assert_success
	assert_line --index 2 "$HOME/.config/qemu/vhost-user"
}

@test "paths: an empty XDG_CONFIG_HOME does not count" {
	XDG_CONFIG_HOME= run vuf paths
	assert_success
	assert_line --index 2 "$HOME/.config/qemu/vhost-user"
}

@test "paths: a relative XDG_CONFIG_HOME does not count" {
	XDG_CONFIG_HOME=relative/xdg run vuf paths
	assert_success
	assert_line --index 2 "$HOME/.config/qemu/vhost-user"
}

@test "paths: a relative HOME falls back to the passwd entry" {
	local pwhome
	pwhome=$(getent passwd "$(id -u)" | cut -d: -f6)
	HOME=relative/home run vuf paths
	assert_success
	assert_line --index 2 "$pwhome/.config/qemu/vhost-user"
}

@test "paths: an empty HOME falls back to the passwd entry" {
	local pwhome
	pwhome=$(getent passwd "$(id -u)" | cut -d: -f6)
	HOME= run vuf paths
	assert_success
	assert_line --index 2 "$pwhome/.config/qemu/vhost-user"
}

@test "paths: HOME unset falls back to the passwd entry" {
	local pwhome
	pwhome=$(getent passwd "$(id -u)" | cut -d: -f6)
	run env -u HOME "$VUF" paths
	assert_success
	assert_line --index 2 "$pwhome/.config/qemu/vhost-user"
}

@test "paths: --system leaves out the user directory" {
	XDG_CONFIG_HOME=/srv/xdg run vuf --system paths
	assert_success
	assert_output "/usr/share/qemu/vhost-user
/etc/qemu/vhost-user"
}

@test "paths: global options are accepted after the command too" {
	run vuf paths --system
	assert_success
	assert_output "/usr/share/qemu/vhost-user
/etc/qemu/vhost-user"
}

@test "paths: --root prefixes the system directories and drops the user's" {
	mkdir -p "$T/stage"
	XDG_CONFIG_HOME=/srv/xdg run vuf --root "$T/stage/" paths
	assert_success
	assert_output "$T/stage/usr/share/qemu/vhost-user
$T/stage/etc/qemu/vhost-user"
}

@test "paths: --root / is the plain system path" {
	run vuf --root / paths
	assert_success
	assert_output "/usr/share/qemu/vhost-user
/etc/qemu/vhost-user"
}

@test "paths: --root that does not exist is a usage error" {
	run --separate-stderr vuf --root "$T/nope" paths
	assert_failure 2
	assert_output ""
	stderr_has "--root $T/nope: No such file or directory"
	stderr_has "Try 'vhost-user-find paths --help'"
}

@test "paths: --root that is a file is a usage error" {
	touch "$T/file"
	run --separate-stderr vuf --root "$T/file" paths
	assert_failure 2
	stderr_has "--root $T/file: not a directory"
}

@test "paths: --dir replaces the path, in the order given" {
	run vuf --dir /b --dir /a --dir rel/c paths
	assert_success
	assert_output "/b
/a
rel/c"
}

@test "paths: an unexpected argument is a usage error" {
	run --separate-stderr vuf paths extra
	assert_failure 2
	stderr_has "unexpected argument 'extra'"
}

@test "paths -v and --json: each directory's state: present, missing, unreadable" {
	as_nobody_setup
	mkdir -p "$NB_TOP/a" "$NB_TOP/closed"
	chmod 0 "$NB_TOP/closed"
	run --separate-stderr as_nobody "$NB_VUF" --dir "$NB_TOP/a" \
		--dir "$NB_TOP/none" --dir "$NB_TOP/closed" -v paths
	assert_success
	assert_output "$NB_TOP/a
$NB_TOP/none
$NB_TOP/closed"
	stderr_is "vhost-user-find: $NB_TOP/a: present: entries read directly (only the caller or root can write it)
vhost-user-find: $NB_TOP/none: missing
vhost-user-find: $NB_TOP/closed: unreadable: Permission denied"
	run --separate-stderr as_nobody "$NB_VUF" --dir "$NB_TOP/a" \
		--dir "$NB_TOP/none" --dir "$NB_TOP/closed" paths --json
	assert_success
	stderr_is ""
	run jq -c . <<<"$output"
	assert_output "[{\"path\":\"$NB_TOP/a\",\"state\":\"present\",\"route\":\"direct\"},{\"path\":\"$NB_TOP/none\",\"state\":\"missing\"},{\"path\":\"$NB_TOP/closed\",\"state\":\"unreadable\",\"reason\":\"Permission denied\"}]"
}

@test "paths -v and --json: which route a directory's entries take, by who can write it" {
	as_nobody_setup
	# nobody's own; root's; root's but open to all; a third user's.
	mkdir -p "$NB_TOP/mine" "$NB_TOP/roots" "$NB_TOP/open" "$NB_TOP/theirs"
	chown nobody "$NB_TOP/mine"
	chmod 1777 "$NB_TOP/open"
	chown daemon "$NB_TOP/theirs"
	run --separate-stderr as_nobody "$NB_VUF" --dir "$NB_TOP/mine" \
		--dir "$NB_TOP/roots" --dir "$NB_TOP/open" --dir "$NB_TOP/theirs" -v paths
	assert_success
	stderr_is "vhost-user-find: $NB_TOP/mine: present: entries read directly (only the caller or root can write it)
vhost-user-find: $NB_TOP/roots: present: entries read directly (only the caller or root can write it)
vhost-user-find: $NB_TOP/open: present: entries looked at before they are read (another user can write it)
vhost-user-find: $NB_TOP/theirs: present: entries looked at before they are read (another user can write it)"
	# Root's view: nobody's directory is another user's.
	run --separate-stderr vuf --dir "$NB_TOP/mine" --dir "$NB_TOP/roots" paths --json
	assert_success
	run jq -c '[.[].route]' <<<"$output"
	assert_output '["checked","direct"]'
}

@test "paths -v: a group other than root's, or an ACL, that grants write takes the careful route" {
	command -v setfacl >/dev/null || fail "setfacl (acl) is missing"
	mkdir -p "$T/group" "$T/acl"
	chgrp nogroup "$T/group"
	chmod 775 "$T/group"
	setfacl -m u:nobody:rwx "$T/acl"
	run --separate-stderr vuf --dir "$T/group" --dir "$T/acl" -v paths
	assert_success
	stderr_is "vhost-user-find: $T/group: present: entries looked at before they are read (another user can write it)
vhost-user-find: $T/acl: present: entries looked at before they are read (another user can write it)"
}

@test "paths -v as root: a user directory root cannot trust is untrusted, with why" {
	mkdir -p "$HOME/.config/qemu/vhost-user"
	chown nobody "$HOME/.config/qemu/vhost-user"
	run --separate-stderr vuf -v paths
	assert_success
	assert_line --index 2 "$HOME/.config/qemu/vhost-user"
	stderr_has "vhost-user-find: $HOME/.config/qemu/vhost-user: untrusted: owned by nobody (uid 65534)"
}
