#!/usr/bin/env bats
# handshake (SPEC §9): Debian's real vhost-user-gpu and virtiofsd serve,
# as root and as nobody where they can; hostile fake back-ends each end
# with one reason, within the deadline, with nothing left running and
# the private directory gone.

load helpers
bats_require_minimum_version 1.5.0

GPU=/usr/lib/qemu/vhost-user-gpu
FS=/usr/lib/qemu/virtiofsd

setup() {
	common_setup
	one_dir_setup
	export FAKE_DIR="$T/fake"
	# The tool makes its private directories here: the tests look.
	export TMPDIR="$T/tmp"
	mkdir -p "$FAKE_DIR" "$TMPDIR"
	fake_vhost "$T/bin/fake"
	desc "$D/50-fake.json" gpu "$T/bin/fake"
}

teardown() {
	as_nobody_teardown
}

# fake_vhost FILE: a fake vhost-user back-end.  --socket-path=S, then
# --mode=M says how it misbehaves; it notes its pid (and a child's), its
# argv and its private directory's owner and mode in $FAKE_DIR, and its
# --print-capabilities answer is $FAKE_CAPS.
fake_vhost() {
	mkdir -p "${1%/*}"
	cat >"$1" <<'EOF'
#!/usr/bin/python3
import os, signal, socket, struct, sys, time

args = sys.argv[1:]
if args == ["--print-capabilities"]:
    print(os.environ.get("FAKE_CAPS", '{"type": "gpu"}'))
    sys.exit(0)
def note(name, text):
    with open(os.path.join(os.environ["FAKE_DIR"], name), "w") as f:
        f.write(text + "\n")
# Its pid as the host sees it: /proc is the host's, not its namespace's.
note("pid", os.readlink("/proc/self"))
note("argv", " ".join(args))
path = args[0].split("=", 1)[1]
st = os.stat(os.path.dirname(path))
note("dir", "%d %o" % (st.st_uid, st.st_mode & 0o7777))
for a in args:
    if a.startswith("--blk-file="):
        st = os.stat(a.split("=", 1)[1])
        note("disk", "%d %o %d" % (st.st_uid, st.st_mode & 0o777, st.st_size))
mode = next((a[7:] for a in args if a.startswith("--mode=")), "serve")
if mode == "ignore-term":
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
if mode == "never-listen":
    time.sleep(60)
if mode == "fork-exit":
    r, w = os.pipe()
    if os.fork():
        os.read(r, 1)
        sys.exit(0)
    note("child", os.readlink("/proc/self"))
    os.write(w, b"x")
    time.sleep(60)
srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
if mode == "symlink":
    srv.bind(path + "-real")
    os.symlink(path + "-real", path)
else:
    srv.bind(path)
srv.listen(1)
conn, _ = srv.accept()
if mode == "silent":
    time.sleep(60)
if mode == "close":
    conn.close()
    time.sleep(60)
if mode == "garbage":
    conn.sendall(b"hello, world")
    time.sleep(60)
virgl = "--virgl" in args and mode != "no-virgl"
features = 1 << 32 | 1 << 30 | 1 << 28 | (1 if virgl else 0)
answers = {1: features, 15: 0x8003, 17: 1, 36: 8}
def reply(req, value):
    if mode == "huge":
        return struct.pack("=III", req, 5, 0xffffffff)
    if mode == "wrong-request":
        req = 2
    if mode == "bigger":
        return struct.pack("=IIIQQ", req, 5, 8, value, 0)
    return struct.pack("=IIIQ", req, 5, 8, value)
try:
    while True:
        head = conn.recv(12, socket.MSG_WAITALL)
        if len(head) < 12:
            break
        req, flags, size = struct.unpack("=III", head)
        if size:
            conn.recv(size, socket.MSG_WAITALL)
        if req not in answers:
            continue
        msg = reply(req, answers[req])
        if mode == "slow":
            for b in msg:
                conn.send(bytes([b]))
                time.sleep(1)
        else:
            conn.sendall(msg)
except OSError:
    pass
if mode == "ignore-term":
    time.sleep(60)
EOF
	chmod 755 "$1"
}

# no_trace: no process of the fake is left, nor anything in $TMPDIR.
no_trace() {
	local f
	for f in pid child; do
		[ -f "$FAKE_DIR/$f" ] && gone "$(cat "$FAKE_DIR/$f")"
	done
	run pgrep -f -- "$TMPDIR/"
	[ "$status" -eq 1 ] || fail "still running: $output"
	run ls -A "$TMPDIR"
	assert_output ""
}

FAKE_TEXT='name               50-fake.json
binary             '

# fake_text: what handshake prints for the fake that serves.
fake_text() {
	printf '%s%s\n%s\n' "$FAKE_TEXT" "$T/bin/fake" \
'virtio features    0x150000000 VIRTIO_RING_F_INDIRECT_DESC
                   VHOST_USER_F_PROTOCOL_FEATURES VIRTIO_F_VERSION_1
protocol features  0x8003 MQ LOG_SHMFD CONFIGURE_MEM_SLOTS
queues             1
memory slots       8'
}

GPU_FEATURES='virtio features    0x175000000 VIRTIO_F_NOTIFY_ON_EMPTY VHOST_F_LOG_ALL
                   VIRTIO_RING_F_INDIRECT_DESC VIRTIO_RING_F_EVENT_IDX
                   VHOST_USER_F_PROTOCOL_FEATURES VIRTIO_F_VERSION_1'

@test "Debian's vhost-user-gpu serves: its features by name, as root" {
	desc "$D/50-gpu.json" gpu "$GPU"
	run --separate-stderr vuf --dir "$D" handshake 50-gpu
	assert_success
	assert_output "name               50-gpu.json
binary             $GPU
$GPU_FEATURES
protocol features  0x8f2b MQ LOG_SHMFD REPLY_ACK BACKEND_REQ PAGEFAULT CONFIG
                   BACKEND_SEND_FD HOST_NOTIFIER CONFIGURE_MEM_SLOTS
queues             2
memory slots       32"
	stderr_is ""
	no_trace
}

@test "handshake --type gpu --json: the object for CI" {
	rm "$D/50-fake.json"
	desc "$D/50-gpu.json" gpu "$GPU"
	run --separate-stderr vuf --dir "$D" handshake --type gpu --json
	assert_success
	assert_equal "$(jq -c . <<<"$output")" \
		'{"name":"50-gpu.json","binary":"/usr/lib/qemu/vhost-user-gpu","virtio-features":{"value":"0x175000000","names":["VIRTIO_F_NOTIFY_ON_EMPTY","VHOST_F_LOG_ALL","VIRTIO_RING_F_INDIRECT_DESC","VIRTIO_RING_F_EVENT_IDX","VHOST_USER_F_PROTOCOL_FEATURES","VIRTIO_F_VERSION_1"]},"protocol-features":{"value":"0x8f2b","names":["MQ","LOG_SHMFD","REPLY_ACK","BACKEND_REQ","PAGEFAULT","CONFIG","BACKEND_SEND_FD","HOST_NOTIFIER","CONFIGURE_MEM_SLOTS"]},"queues":2,"memory-slots":32}'
	stderr_is ""
}

@test "Debian's virtiofsd serves as root, sharing an empty private directory" {
	desc "$D/50-fs.json" fs "$FS"
	run --separate-stderr vuf --dir "$D" handshake --type fs
	assert_success
	assert_output "name               50-fs.json
binary             $FS
$GPU_FEATURES
protocol features  0x8c2b MQ LOG_SHMFD REPLY_ACK BACKEND_REQ BACKEND_SEND_FD
                   HOST_NOTIFIER CONFIGURE_MEM_SLOTS
queues             2
memory slots       32"
	stderr_is ""
	no_trace
}

@test "as nobody: vhost-user-gpu serves; virtiofsd cannot, and says why" {
	as_nobody_setup
	mkdir -p "$NB_TOP/d" "$NB_TOP/tmp"
	desc "$NB_TOP/d/50-gpu.json" gpu "$GPU"
	desc "$NB_TOP/d/50-fs.json" fs "$FS"
	chmod -R a+rX "$NB_TOP"
	chown nobody "$NB_TOP/tmp"
	run --separate-stderr as_nobody env TMPDIR="$NB_TOP/tmp" "$NB_VUF" \
		--dir "$NB_TOP/d" handshake 50-gpu
	assert_success
	assert_line --index 2 "virtio features    0x175000000 VIRTIO_F_NOTIFY_ON_EMPTY VHOST_F_LOG_ALL"
	assert_line --index 7 "queues             2"
	stderr_is ""
	run --separate-stderr as_nobody env TMPDIR="$NB_TOP/tmp" "$NB_VUF" \
		--dir "$NB_TOP/d" handshake 50-fs
	assert_failure 1
	assert_output ""
	# virtiofsd writes a pid file in /var/run/virtiofsd, root's.
	local head tail
	head="vhost-user-find: $NB_TOP/d/50-fs.json: $FS: did not listen on its socket: exited with status 1 (stderr: 'Could not create "
	tail="socket.pid"
	[[ $stderr == "$head"*"/var/run/virtiofsd/"*"$tail"*": Permission denied')" ]] ||
		fail "stderr: $stderr"
	run ls -A "$NB_TOP/tmp"
	assert_output ""
}

@test "the fake serves: argv is --socket-path in a private 0700 directory, then --arg" {
	run --separate-stderr vuf --dir "$D" handshake 50-fake --arg one --arg 'two words'
	assert_success
	assert_output "$(fake_text)"
	stderr_is ""
	[[ $(cat "$FAKE_DIR/argv") =~ ^"--socket-path=$TMPDIR/vhost-user-find."[A-Za-z0-9]{6}"/socket one two words"$ ]] ||
		fail "argv: $(cat "$FAKE_DIR/argv")"
	assert_equal "$(cat "$FAKE_DIR/dir")" "0 700"
	no_trace
}

@test "a backend run as its owner gets a private directory that user owns" {
	# Where nobody can reach it, and note what it saw.
	as_nobody_setup
	export TMPDIR="$NB_TOP/tmp" FAKE_DIR="$NB_TOP/fake"
	mkdir -p "$TMPDIR" "$FAKE_DIR"
	chmod 777 "$FAKE_DIR"
	fake_vhost "$NB_TOP/bin/fake"
	chmod 755 "$NB_TOP/bin"
	chown nobody "$NB_TOP/bin/fake"
	desc "$D/50-fake.json" gpu "$NB_TOP/bin/fake"
	run --separate-stderr vuf --dir "$D" handshake 50-fake
	assert_success
	assert_equal "$(cat "$FAKE_DIR/dir")" "$(id -u nobody) 700"
	no_trace
}

@test "a socket path too long under TMPDIR goes under /tmp" {
	local long="$T/tmp/$(printf 'x%.0s' {1..80})"
	mkdir -p "$long"
	run --separate-stderr env TMPDIR="$long" "$VUF" --env FAKE_DIR \
		--dir "$D" handshake 50-fake
	assert_success
	[[ $(cat "$FAKE_DIR/argv") =~ ^"--socket-path=/tmp/vhost-user-find."[A-Za-z0-9]{6}"/socket"$ ]] ||
		fail "argv: $(cat "$FAKE_DIR/argv")"
	[ ! -e "$(sed 's/^--socket-path=//; s,/socket$,,' "$FAKE_DIR/argv")" ] ||
		fail "the private directory is left"
}

@test "fs: -o source=D, or --shared-dir=D with separate-options; block: a 1 MiB --blk-file" {
	desc "$D/50-fake.json" fs "$T/bin/fake"
	run --separate-stderr vuf --env 'FAKE_CAPS={"type": "fs"}' --dir "$D" handshake 50-fake
	assert_success
	local dir='vhost-user-find\.[A-Za-z0-9]{6}'
	[[ $(cat "$FAKE_DIR/argv") =~ ^"--socket-path=$TMPDIR/"($dir)"/socket -o source=$TMPDIR/"($dir)"/shared"$ ]] &&
		[ "${BASH_REMATCH[1]}" = "${BASH_REMATCH[2]}" ] || fail "argv: $(cat "$FAKE_DIR/argv")"
	run --separate-stderr vuf --env 'FAKE_CAPS={"type": "fs", "features": ["separate-options"]}' \
		--dir "$D" handshake 50-fake
	assert_success
	[[ $(cat "$FAKE_DIR/argv") =~ ^"--socket-path=$TMPDIR/"$dir"/socket --shared-dir=$TMPDIR/"$dir"/shared"$ ]] ||
		fail "argv: $(cat "$FAKE_DIR/argv")"
	desc "$D/50-fake.json" block "$T/bin/fake"
	run --separate-stderr vuf --dir "$D" handshake 50-fake
	assert_success
	[[ $(cat "$FAKE_DIR/argv") =~ ^"--socket-path=$TMPDIR/"$dir"/socket --blk-file=$TMPDIR/"$dir"/disk"$ ]] ||
		fail "argv: $(cat "$FAKE_DIR/argv")"
	assert_equal "$(cat "$FAKE_DIR/disk")" "0 600 1048576"
	no_trace
}

@test "--feature passes the feature's option and checks its device bit" {
	needs_mount_ns
	run --separate-stderr with_dri yes --dir "$D" handshake 50-fake --feature virgl
	assert_success
	assert_line --index 2 "virtio features    0x150000001 VIRTIO_GPU_F_VIRGL VIRTIO_RING_F_INDIRECT_DESC"
	stderr_is ""
	[[ $(cat "$FAKE_DIR/argv") == *"/socket --virgl" ]] || fail "argv: $(cat "$FAKE_DIR/argv")"
	# The bit missing: it does not offer what was asked.
	run --separate-stderr with_dri yes --dir "$D" handshake 50-fake --feature virgl --arg --mode=no-virgl
	assert_failure 1
	assert_output ""
	stderr_is "vhost-user-find: $D/50-fake.json: $T/bin/fake: does not offer VIRTIO_GPU_F_VIRGL (for --feature 'virgl')"
	desc "$D/50-fake.json" block "$T/bin/fake"
	run --separate-stderr with_dri yes --dir "$D" handshake 50-fake --feature read-only
	assert_failure 1
	assert_output ""
	stderr_is "vhost-user-find: $D/50-fake.json: $T/bin/fake: does not offer VIRTIO_BLK_F_RO (for --feature 'read-only')"
	no_trace
}

@test "--feature virgl on a host without a render node: said, and the bit is not required" {
	needs_mount_ns
	run --separate-stderr with_dri no --dir "$D" handshake 50-fake --feature virgl
	assert_success
	stderr_is "vhost-user-find: warning: $D/50-fake.json: no DRM render node on this host (cannot open directory '/dev/dri': No such file or directory): virgl cannot render here, and VIRTIO_GPU_F_VIRGL is not required"
}

@test "--feature: a value or no option is for --arg; input needs --evdev-path" {
	expect 2 "" "vhost-user-find: --feature 'render-node' needs a value: give the backend's option with --arg (--arg --render-node=VALUE)
Try 'vhost-user-find handshake --help' for more information." -- \
		--dir "$D" handshake 50-fake --feature render-node
	expect 2 "" "vhost-user-find: --feature 'migrate-precopy' has no option to pass: give the backend's own with --arg
Try 'vhost-user-find handshake --help' for more information." -- \
		--dir "$D" handshake 50-fake --feature migrate-precopy
	expect 2 "" "vhost-user-find: --feature 'virgl,edid': one feature each; repeat --feature for more (--feature virgl --feature ...)
Try 'vhost-user-find handshake --help' for more information." -- \
		--dir "$D" handshake 50-fake --feature virgl,edid
	desc "$D/50-in.json" input "$T/bin/fake"
	expect 2 "" "vhost-user-find: $D/50-in.json: an input backend needs its device: add --arg --evdev-path=/dev/input/eventN
Try 'vhost-user-find handshake --help' for more information." -- \
		--dir "$D" handshake 50-in
	expect 2 "" "vhost-user-find: an input backend needs its device: add --arg --evdev-path=/dev/input/eventN
Try 'vhost-user-find handshake --help' for more information." -- \
		--dir "$D" handshake --type input
	[ ! -e "$FAKE_DIR/pid" ] || fail "a backend ran"
	run --separate-stderr vuf --dir "$D" handshake 50-in --arg --evdev-path=/dev/null
	assert_success
	[[ $(cat "$FAKE_DIR/argv") == *"/socket --evdev-path=/dev/null" ]] || fail "argv: $(cat "$FAKE_DIR/argv")"
}

@test "usage: one of NAME|PATH and --type" {
	expect 2 "" "vhost-user-find: missing NAME, PATH or --type
Try 'vhost-user-find handshake --help' for more information." -- handshake
	expect 2 "" "vhost-user-find: give one of NAME|PATH and --type
Try 'vhost-user-find handshake --help' for more information." -- \
		--dir "$D" handshake 50-fake --type gpu
}

# hostile MODE REASON: the fake in MODE fails the handshake with REASON,
# and leaves nothing behind.
hostile() {
	run --separate-stderr vuf --timeout 1 --dir "$D" handshake 50-fake --arg "--mode=$1"
	assert_failure 1
	assert_output ""
	stderr_is "vhost-user-find: $D/50-fake.json: $T/bin/fake: $2"
	no_trace
}

@test "hostile: never listens" {
	hostile never-listen "did not listen on its socket: timed out after 1 s"
}

@test "hostile: listens and never answers" {
	hostile silent "no reply to GET_FEATURES: timed out after 1 s"
}

@test "hostile: closes the connection at once" {
	hostile close "closed the connection before replying to GET_FEATURES"
}

@test "hostile: a garbage header" {
	hostile garbage "bad reply to GET_FEATURES: request code 1819043176 in its header"
}

@test "hostile: a huge size field is refused unread" {
	hostile huge "bad reply to GET_FEATURES: payload size 4294967295, not 8"
}

@test "hostile: the wrong request code" {
	hostile wrong-request "bad reply to GET_FEATURES: request code 2 in its header"
}

@test "hostile: one byte a second runs into the deadline" {
	run --separate-stderr vuf --timeout 2 --dir "$D" handshake 50-fake --arg --mode=slow
	assert_failure 1
	assert_output ""
	# How many bytes came by then depends on how soon Python started.
	[[ $stderr =~ ^"vhost-user-find: $D/50-fake.json: $T/bin/fake: an incomplete reply to GET_FEATURES ("[12]" of 20 bytes): timed out after 2 s"$ ]] ||
		fail "stderr: $stderr"
	no_trace
}

@test "hostile: a reply bigger than asked" {
	hostile bigger "bad reply to GET_FEATURES: more bytes than its 20-byte message"
}

@test "hostile: a link at the socket path is not followed" {
	hostile symlink "made a symbolic link at its socket path, not a socket"
}

@test "hostile: forks and exits" {
	hostile fork-exit "did not listen on its socket: exited with status 0"
}

@test "hostile: serves, then ignores SIGTERM: killed after the grace" {
	[ -z "$VUF_VALGRIND" ] || skip "measures time, not valgrind"
	local start end
	start=$(now_ms)
	run --separate-stderr vuf --timeout 5 --dir "$D" handshake 50-fake --arg --mode=ignore-term
	end=$(now_ms)
	assert_success
	assert_output "$(fake_text)"
	stderr_is ""
	[ $((end - start)) -lt 4000 ] || fail "took $((end - start)) ms"
	no_trace
}

@test "under the subreaper fallback too: nothing left, the directory gone" {
	export VHOST_USER_FIND_NO_NAMESPACE=1
	hostile fork-exit "did not listen on its socket: exited with status 0"
	rm -f "$FAKE_DIR"/*
	hostile silent "no reply to GET_FEATURES: timed out after 1 s"
	rm -f "$FAKE_DIR"/*
	run --separate-stderr vuf -v --dir "$D" handshake 50-fake --arg --mode=ignore-term
	assert_success
	assert_output "$(fake_text)"
	stderr_is "vhost-user-find: $D/50-fake.json: $T/bin/fake: handshake run under a subreaper (VHOST_USER_FIND_NO_NAMESPACE is set)"
	no_trace
}

@test "the tool terminated mid-handshake: the backend ended, the private directory gone" {
	"$VUF" --env FAKE_DIR --timeout 30 --dir "$D" handshake 50-fake --arg --mode=silent \
		>/dev/null 2>&1 &
	local tool=$! i rc=0
	for ((i = 0; i < 100; i++)); do
		[ -s "$FAKE_DIR/dir" ] && break
		sleep 0.1
	done
	[ -s "$FAKE_DIR/dir" ] || fail "the fake did not start"
	kill -TERM "$tool"
	wait "$tool" || rc=$?
	assert_equal "$rc" 143
	no_trace
}

@test "a backend that cannot start: the probe's reason, nothing made" {
	desc "$D/50-none.json" gpu "$T/bin/none"
	expect 1 "" "vhost-user-find: $D/50-none.json: $T/bin/none: not found" -- \
		--dir "$D" handshake 50-none
	run ls -A "$TMPDIR"
	assert_output ""
}

@test "validate --handshake: a failed handshake is an error, an input backend skipped with a warning" {
	rm "$D/50-fake.json"
	desc "$D/50-gpu.json" gpu "$GPU"
	desc "$D/60-input.json" input "$T/bin/fake"
	desc "$D/70-true.json" gpu /bin/true
	expect 1 "" "$D/60-input.json: warning: [VUF307] handshake with $T/bin/fake skipped: an input backend needs a device (handshake --arg --evdev-path=DEVICE)
$D/70-true.json: error: [VUF306] handshake with /bin/true failed: did not listen on its socket: exited with status 0
3 files checked, 1 error, 1 warning" -- --dir "$D" validate --handshake
	[ ! -e "$FAKE_DIR/pid" ] || fail "the input backend ran"
	# A file named: only it.
	expect 0 "" "1 file checked, 0 errors, 0 warnings" -- \
		--dir "$D" validate --handshake "$D/50-gpu.json"
	no_trace
}
