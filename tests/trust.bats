#!/usr/bin/env bats
# Privileged callers (SPEC §3.1): as root, the default search path takes
# only what root alone controls, a candidate whose binary another user
# controls is rejected, and a probe runs as root only for a binary root
# alone controls, as its owner for one another user owns, else not at
# all.  CI runs as root; the other user is nobody.

load helpers
bats_require_minimum_version 1.5.0

setup() {
	common_setup
	[ "$(id -u)" = 0 ] || skip "the rules are for root; CI runs as root"
	as_nobody_setup
	fake_backends_setup
	# Debian's own descriptor, in the distro directory, root's.
	DEBIAN=/usr/share/qemu/vhost-user/50-qemu-virtiofsd.json
	[ -f "$DEBIAN" ] || fail "qemu-system-common's $DEBIAN is missing"
	# Alice, played by nobody, with her own configuration directory.
	ALICE="$NB_TOP/alice"
	AU="$ALICE/.config/qemu/vhost-user"
	mkdir -p "$AU"
	printf '#!/bin/sh\ntouch %s/ran\necho %s\n' "$NB_TOP" \
		"'{\"type\": \"fs\"}'" >"$NB_TOP/evil"
	chmod 755 "$NB_TOP/evil"
	desc "$AU/10-evil.json" fs "$NB_TOP/evil"
	chown -R nobody:nogroup "$ALICE" "$NB_TOP/evil"
}

teardown() { as_nobody_teardown; }

@test "root with XDG_CONFIG_HOME at another user's directory: it takes no part, a warning names it" {
	XDG_CONFIG_HOME="$ALICE/.config" run --separate-stderr vuf match --type fs
	assert_success
	assert_output /usr/lib/qemu/virtiofsd
	stderr_is "vhost-user-find: warning: $AU: not trusted: owned by nobody (uid 65534); its descriptors take no part"
	XDG_CONFIG_HOME="$ALICE/.config" run --separate-stderr vuf list --type fs
	assert_output "50-qemu-virtiofsd.json  fs  /usr/lib/qemu/virtiofsd  $DEBIAN"
	assert_not_exists "$NB_TOP/ran"
}

@test "root with HOME at another user's home (sudo -E): the same, and nothing of it runs" {
	HOME="$ALICE" run --separate-stderr vuf match --type fs --feature migrate-precopy --all
	stderr_has "$AU: not trusted: owned by nobody (uid 65534)"
	stderr_lacks "10-evil.json"
	HOME="$ALICE" run --separate-stderr vuf validate --probe
	stderr_lacks "10-evil.json"
	HOME="$ALICE" run --separate-stderr vuf caps 10-evil
	assert_failure 1
	stderr_has "10-evil.json: no such descriptor in the search path"
	assert_not_exists "$NB_TOP/ran"
}

@test "root: a descriptor another user owns, in root's own directory, takes no part" {
	D="$HOME/.config/qemu/vhost-user"
	mkdir -p "$D"
	desc "$D/50-qemu-virtiofsd.json" fs "$NB_TOP/evil"
	chown nobody "$D/50-qemu-virtiofsd.json"
	run --separate-stderr vuf match --type fs
	assert_success
	assert_output /usr/lib/qemu/virtiofsd
	stderr_is "vhost-user-find: warning: $D/50-qemu-virtiofsd.json: ignored: not trusted: owned by nobody (uid 65534)"
	assert_not_exists "$NB_TOP/ran"
}

@test "root: a descriptor or directory writable by others or another group is not trusted" {
	D="$HOME/.config/qemu/vhost-user"
	mkdir -p "$D"
	desc "$D/20-a.json" fs /usr/lib/qemu/virtiofsd
	desc "$D/30-b.json" fs /usr/lib/qemu/virtiofsd
	desc "$D/40-c.json" fs /usr/lib/qemu/virtiofsd
	chmod 666 "$D/20-a.json"
	chgrp 100 "$D/30-b.json"
	chmod 664 "$D/30-b.json"
	# Group 0's members are root's to choose.
	chmod 664 "$D/40-c.json"
	run --separate-stderr vuf list --type fs
	assert_success
	assert_output "40-c.json               fs  /usr/lib/qemu/virtiofsd  $D/40-c.json
50-qemu-virtiofsd.json  fs  /usr/lib/qemu/virtiofsd  $DEBIAN"
	stderr_is "vhost-user-find: warning: $D/20-a.json: ignored: not trusted: writable by others (mode 0666): chmod o-w $D/20-a.json
vhost-user-find: warning: $D/30-b.json: ignored: not trusted: writable by group users (gid 100, mode 0664): chmod g-w $D/30-b.json"
	chmod 777 "$D"
	run --separate-stderr vuf list --type fs
	stderr_is "vhost-user-find: warning: $D: not trusted: writable by others (mode 0777): chmod o-w $D; its descriptors take no part"
}

@test "root: a candidate whose binary another user controls is rejected, and an error in validate" {
	D="$HOME/.config/qemu/vhost-user"
	mkdir -p "$D"
	desc "$D/10-evil.json" fs "$NB_TOP/evil"
	run --separate-stderr vuf match --type fs
	assert_success
	assert_output /usr/lib/qemu/virtiofsd
	run --separate-stderr vuf -v match --type fs
	stderr_has "$D/10-evil.json: $NB_TOP/evil: not trusted: owned by nobody (uid 65534)"
	run --separate-stderr vuf caps --type fs
	stderr_has "$D/10-evil.json: $NB_TOP/evil: not trusted: owned by nobody (uid 65534)"
	run --separate-stderr vuf validate
	assert_failure 1
	stderr_has "$D/10-evil.json:4:13: error: [VUF301] binary $NB_TOP/evil: not trusted: owned by nobody (uid 65534)"
	assert_not_exists "$NB_TOP/ran"
}

# whoami_backend FILE: a gpu backend reporting who it runs as.
whoami_backend() {
	printf '#!/bin/sh\nprintf %s "$(id -u)" "$(id -g)" "$(id -G | tr " " ,)"\n' \
		"'{\"type\": \"gpu\", \"features\": [\"uid=%s\", \"gid=%s\", \"groups=%s\"]}'" >"$1"
	chmod 755 "$1"
}

@test "root probes a backend another user owns as that user, without root's groups" {
	mkdir -p "$NB_TOP/d"
	whoami_backend "$NB_TOP/who"
	chown nobody:nogroup "$NB_TOP/who"
	desc "$NB_TOP/d/50-who.json" gpu "$NB_TOP/who"
	run --separate-stderr vuf --dir "$NB_TOP/d" caps 50-who
	assert_success
	assert_output "uid=65534
gid=65534
groups=65534"
	# Under --root too.
	mkdir -p "$NB_TOP/r/usr/share/qemu/vhost-user" "$NB_TOP/r/usr/libexec"
	mv "$NB_TOP/who" "$NB_TOP/r/usr/libexec/who"
	desc "$NB_TOP/r/usr/share/qemu/vhost-user/50-who.json" gpu /usr/libexec/who
	run --separate-stderr vuf --root "$NB_TOP/r" caps 50-who
	assert_success
	assert_output "uid=65534
gid=65534
groups=65534"
}

@test "root probes its own trusted backend as root" {
	mkdir -p "$NB_TOP/d"
	whoami_backend "$NB_TOP/who"
	desc "$NB_TOP/d/50-who.json" gpu "$NB_TOP/who"
	run --separate-stderr vuf --dir "$NB_TOP/d" caps 50-who
	assert_success
	# Root's own ids, its groups too, whatever they are.
	assert_output "uid=0
gid=0
groups=$(id -G | tr ' ' ,)"
}

@test "root never runs a backend others may write, under --dir or --root, and says why" {
	mkdir -p "$NB_TOP/d"
	whoami_backend "$NB_TOP/who"
	chmod 777 "$NB_TOP/who"
	desc "$NB_TOP/d/50-who.json" gpu "$NB_TOP/who"
	run --separate-stderr vuf --dir "$NB_TOP/d" caps 50-who
	assert_failure 1
	stderr_is "vhost-user-find: $NB_TOP/d/50-who.json: $NB_TOP/who: not trusted: writable by others (mode 0777): chmod o-w $NB_TOP/who"
	chown nobody "$NB_TOP/who"
	run --separate-stderr vuf --dir "$NB_TOP/d" match --type gpu --feature uid=65534
	assert_failure 1
	stderr_has "$NB_TOP/who: not trusted: writable by others (mode 0777): chmod o-w $NB_TOP/who"
	run --separate-stderr vuf --dir "$NB_TOP/d" validate --probe
	assert_failure 1
	stderr_has "probe of $NB_TOP/who failed: not trusted: writable by others (mode 0777): chmod o-w $NB_TOP/who"
	# Without a probe, --dir is the caller's choice: match names it.
	run --separate-stderr vuf --dir "$NB_TOP/d" match --type gpu
	assert_success
	assert_output "$NB_TOP/who"
}

@test "a caller that is not root is never restricted" {
	mkdir -p "$NB_TOP/d"
	desc "$NB_TOP/d/50-evil.json" fs "$NB_TOP/evil"
	chmod 777 "$NB_TOP/d"
	chmod 666 "$NB_TOP/d/50-evil.json"
	run --separate-stderr as_nobody env HOME="$NB_TOP/d/.." \
		XDG_CONFIG_HOME="$ALICE/.config" "$NB_VUF" match --type fs --all
	assert_success
	assert_output "$NB_TOP/evil
/usr/lib/qemu/virtiofsd"
	stderr_is ""
}

@test "root: a descriptor or directory another user may write through an ACL is not trusted" {
	command -v setfacl >/dev/null || fail "setfacl (acl) is missing (make deps-test)"
	D="$HOME/.config/qemu/vhost-user"
	mkdir -p "$D"
	desc "$D/20-a.json" fs /usr/lib/qemu/virtiofsd
	setfacl -m u:nobody:rw "$D/20-a.json"
	run --separate-stderr vuf list --type fs
	stderr_is "vhost-user-find: warning: $D/20-a.json: ignored: not trusted: writable through an ACL (user:nobody:rw-): setfacl -x u:nobody $D/20-a.json"
	setfacl -b "$D/20-a.json"
	setfacl -m u:nobody:rwx "$D"
	run --separate-stderr vuf list --type fs
	stderr_is "vhost-user-find: warning: $D: not trusted: writable through an ACL (user:nobody:rwx): setfacl -x u:nobody $D; its descriptors take no part"
}

@test "root: a root-owned binary in a directory another user may write is not a candidate" {
	D="$HOME/.config/qemu/vhost-user"
	mkdir -p "$D" "$NB_TOP/theirs"
	printf '#!/bin/sh\necho %s\n' "'{\"type\": \"fs\"}'" >"$NB_TOP/theirs/fs"
	chmod 755 "$NB_TOP/theirs/fs"
	chown nobody "$NB_TOP/theirs"
	desc "$D/10-fs.json" fs "$NB_TOP/theirs/fs"
	run --separate-stderr vuf -v match --type fs
	assert_success
	assert_output /usr/lib/qemu/virtiofsd
	stderr_has "$D/10-fs.json: $NB_TOP/theirs/fs: not trusted: directory $NB_TOP/theirs is owned by nobody (uid 65534)"
	# In a sticky directory of root's, root's file is safe.
	mkdir -p "$NB_TOP/sticky"
	chmod 1777 "$NB_TOP/sticky"
	mv "$NB_TOP/theirs/fs" "$NB_TOP/sticky/fs"
	desc "$D/10-fs.json" fs "$NB_TOP/sticky/fs"
	run --separate-stderr vuf match --type fs
	assert_output "$NB_TOP/sticky/fs"
}

@test "root never probes as its owner a binary its group may write, or whose owner has no passwd entry" {
	mkdir -p "$NB_TOP/d"
	whoami_backend "$NB_TOP/who"
	desc "$NB_TOP/d/50-who.json" gpu "$NB_TOP/who"
	chown nobody:users "$NB_TOP/who"
	chmod 775 "$NB_TOP/who"
	run --separate-stderr vuf --dir "$NB_TOP/d" caps 50-who
	assert_failure 1
	stderr_is "vhost-user-find: $NB_TOP/d/50-who.json: $NB_TOP/who: not trusted: writable by group users (gid 100, mode 0775): chmod g-w $NB_TOP/who"
	chmod 755 "$NB_TOP/who"
	chown 54321:0 "$NB_TOP/who"
	run --separate-stderr vuf --dir "$NB_TOP/d" caps 50-who
	assert_failure 1
	stderr_is "vhost-user-find: $NB_TOP/d/50-who.json: $NB_TOP/who: not trusted: owned by uid 54321, which has no passwd entry"
}

@test "root: validate --probe says libvirt would run what the trust rules refuse, and does not guess its answer" {
	mkdir -p "$NB_TOP/d"
	whoami_backend "$NB_TOP/ww"
	chmod 777 "$NB_TOP/ww"
	desc "$NB_TOP/d/10-ww.json" gpu "$NB_TOP/ww"
	desc "$NB_TOP/d/20-good.json" gpu "$B/gpu-virgl"
	run --separate-stderr vuf --dir "$NB_TOP/d" validate --probe
	stderr_has "$NB_TOP/d/10-ww.json: warning: [VUF404] libvirt 11.3 would run $NB_TOP/ww for its gpu probe (not trusted: writable by others (mode 0777): chmod o-w $NB_TOP/ww), which the tool does not do"
	stderr_lacks "would choose"
}

@test "a set-uid backend gains nothing: every probe runs with no new privileges" {
	command -v cc >/dev/null || fail "cc is missing"
	printf '#include <stdio.h>\n#include <unistd.h>\nint main(void) { printf("{\\"type\\": \\"gpu\\", \\"features\\": [\\"euid=%%d\\"]}\\n", (int)geteuid()); return 0; }\n' >"$NB_TOP/suid.c"
	cc -o "$NB_TOP/suid" "$NB_TOP/suid.c"
	chmod 4755 "$NB_TOP/suid"
	run --separate-stderr as_nobody "$NB_VUF" caps --binary "$NB_TOP/suid"
	assert_success
	assert_output "euid=65534"
	run --separate-stderr as_nobody env VHOST_USER_FIND_NO_NAMESPACE=1 \
		"$NB_VUF" caps --binary "$NB_TOP/suid"
	assert_success
	assert_output "euid=65534"
}
