#!/usr/bin/env bats
# match --type TYPE [--feature F]... [--all] [--json] [--file] (SPEC §6):
# the winner in priority order, lazy probing, and why others lost.

load helpers
bats_require_minimum_version 1.5.0

setup() {
	common_setup
	fake_backends_setup
	one_dir_setup
}

@test "without features the first executable binary wins and nothing runs" {
	desc "$D/10-missing.json" gpu "$T/no-such-binary"
	desc "$D/20-render.json" gpu "$B/gpu-render"
	desc "$D/30-virgl.json" gpu "$B/gpu-virgl"
	desc "$D/05-fs.json" fs "$B/fs-old"
	expect 0 "$B/gpu-render" '' -- --dir "$D" match --type gpu
	assert_not_exists "$FAKE_DIR/ran.gpu-render"
}

@test "a feature is probed lazily, in order, and probing stops at the winner" {
	desc "$D/10-render.json" gpu "$B/gpu-render"
	desc "$D/20-virgl.json" gpu "$B/gpu-virgl"
	desc "$D/30-marker.json" gpu "$B/gpu-marker"
	expect 0 "$B/gpu-virgl" '' -- --dir "$D" match --type gpu --feature virgl
	assert_exists "$FAKE_DIR/ran.gpu-render"
	assert_not_exists "$FAKE_DIR/ran.gpu-marker"
}

@test "every --feature must be reported" {
	desc "$D/10-marker.json" gpu "$B/gpu-marker"
	desc "$D/20-virgl.json" gpu "$B/gpu-virgl"
	expect 0 "$B/gpu-virgl" '' -- --dir "$D" match --type gpu --feature virgl --feature render-node
}

@test "no match: exit 1 and one line per rejected candidate" {
	desc "$D/10-missing.json" gpu "$T/no-such-binary"
	desc "$D/20-render.json" gpu "$B/gpu-render"
	desc "$D/30-exit.json" gpu "$B/exit-3"
	desc "$D/40-net.json" gpu "$B/net"
	expect 1 '' "vhost-user-find: $D/10-missing.json: $T/no-such-binary: not found
vhost-user-find: $D/20-render.json: $B/gpu-render: lacks feature virgl (reports render-node)
vhost-user-find: $D/30-exit.json: $B/exit-3: exited with status 3
vhost-user-find: $D/40-net.json: $B/net: reports type 'net', not 'gpu'
vhost-user-find: no gpu backend with feature virgl" -- --dir "$D" match --type gpu --feature virgl
}

@test "no executable binary: exit 1 naming each" {
	desc "$D/10-missing.json" gpu "$T/no-such-binary"
	desc "$D/20-plain.json" gpu "$B/not-executable"
	expect 1 '' "vhost-user-find: $D/10-missing.json: $T/no-such-binary: not found
vhost-user-find: $D/20-plain.json: $B/not-executable: not executable
vhost-user-find: no gpu backend with an executable binary" -- --dir "$D" match --type gpu
}

@test "no descriptor of the type at all" {
	desc "$D/10-fs.json" fs "$B/fs-old"
	expect 1 '' "vhost-user-find: no active input descriptor in the search path ($D)" -- --dir "$D" match --type input
}

@test "-v says why candidates lost and which won, also on success" {
	desc "$D/10-render.json" gpu "$B/gpu-render"
	desc "$D/20-virgl.json" gpu "$B/gpu-virgl"
	expect 0 "$B/gpu-virgl" "vhost-user-find: $D/10-render.json: $B/gpu-render: lacks feature virgl (reports render-node)
vhost-user-find: $D/20-virgl.json: $B/gpu-virgl: selected (first by name that qualifies)" -- -v --dir "$D" match --type gpu --feature virgl
}

@test "--all lists every qualifying candidate in order" {
	desc "$D/10-virgl.json" gpu "$B/gpu-virgl"
	desc "$D/20-render.json" gpu "$B/gpu-render"
	desc "$D/30-marker.json" gpu "$B/gpu-marker"
	expect 0 "$B/gpu-virgl
$B/gpu-marker" '' -- --dir "$D" match --type gpu --feature virgl --all
	expect 0 "$B/gpu-virgl
$B/gpu-render
$B/gpu-marker" '' -- --dir "$D" match --type gpu --all
}

@test "--file prints the descriptor's path" {
	desc "$D/10-render.json" gpu "$B/gpu-render"
	desc "$D/20-virgl.json" gpu "$B/gpu-virgl"
	expect 0 "$D/20-virgl.json" '' -- --dir "$D" match --type gpu --feature virgl --file
}

@test "--json prints the winner with the features it reported" {
	desc "$D/20-virgl.json" gpu "$B/gpu-virgl" "A gpu"
	run --separate-stderr vuf --dir "$D" match --type gpu --feature virgl --json
	assert_success
	run jq -c . <<<"$output"
	assert_output "{\"name\":\"20-virgl.json\",\"file\":\"$D/20-virgl.json\",\"status\":\"active\",\"type\":\"gpu\",\"binary\":\"$B/gpu-virgl\",\"description\":\"A gpu\",\"tags\":[],\"features\":[\"virgl\",\"render-node\"]}"
}

@test "--json without features has no features member; --all --json is an array" {
	desc "$D/10-render.json" gpu "$B/gpu-render"
	desc "$D/20-virgl.json" gpu "$B/gpu-virgl"
	run --separate-stderr vuf --dir "$D" match --type gpu --json
	assert_success
	run jq -c '[.name, has("features")]' <<<"$output"
	assert_output '["10-render.json",false]'
	run --separate-stderr vuf --dir "$D" match --type gpu --json --all
	assert_success
	run jq -c 'map(.name)' <<<"$output"
	assert_output '["10-render.json","20-virgl.json"]'
}

@test "--all --json with no match prints an empty array and exits 1" {
	desc "$D/10-render.json" gpu "$B/gpu-render"
	expect 1 '[]' "vhost-user-find: $D/10-render.json: $B/gpu-render: lacks feature virgl (reports render-node)
vhost-user-find: no gpu backend with feature virgl" -- --dir "$D" match --type gpu --feature virgl --json --all
}

@test "masked, overridden and invalid descriptors are not candidates" {
	mkdir -p "$T/a" "$T/b"
	desc "$T/a/10-virgl.json" gpu "$B/gpu-virgl"
	: >"$T/b/10-virgl.json"
	desc "$T/a/20-render.json" gpu "$B/gpu-render"
	desc "$T/b/20-render.json" gpu "$B/gpu-marker"
	printf '{"type": "gpu"}\n' >"$T/b/05-broken.json"
	expect 0 "$B/gpu-marker" '' -- -q --dir "$T/a" --dir "$T/b" match --type gpu --all
}

@test "a feature unknown to the schema still matches, with a warning" {
	desc "$D/10-virgl.json" gpu "$B/gpu-virgl"
	desc "$D/20-future.json" gpu "$B/gpu-future"
	expect 0 "$B/gpu-future" "vhost-user-find: warning: feature 'hdr-10' is not a known gpu feature; matching it anyway" -- --dir "$D" match --type gpu --feature hdr-10
	expect 0 "$B/gpu-future" '' -- -q --dir "$D" match --type gpu --feature hdr-10
}

@test "a hanging backend costs at most the deadline and the next one wins" {
	[ -z "$VUF_VALGRIND" ] || skip "measures time and processes, not valgrind"
	desc "$D/10-hang.json" gpu "$B/hang"
	desc "$D/20-virgl.json" gpu "$B/gpu-virgl"
	local start end
	start=$(now_ms)
	run --separate-stderr vuf --timeout 1 --dir "$D" match --type gpu --feature virgl
	end=$(now_ms)
	assert_success
	assert_output "$B/gpu-virgl"
	# The deadline, not the hanging backend's 60 s sleep; the room above
	# it is for a loaded machine (and ASan's start-up).
	[ $((end - start)) -ge 1000 ] || fail "gave up early: $((end - start)) ms"
	[ $((end - start)) -lt 10000 ] || fail "took $((end - start)) ms"
	run kill -0 "$(cat "$FAKE_DIR/pid")"
	assert_failure
}

@test "a flooding backend is cut off and the next one wins" {
	desc "$D/10-endless.json" gpu "$B/endless"
	desc "$D/20-virgl.json" gpu "$B/gpu-virgl"
	expect 0 "$B/gpu-virgl" "vhost-user-find: $D/10-endless.json: $B/endless: printed more than 1 MiB
vhost-user-find: $D/20-virgl.json: $B/gpu-virgl: selected (first by name that qualifies)" -- -v --timeout 20 --dir "$D" match --type gpu --feature virgl
}

@test "missing --type, an unknown type and an operand are usage errors" {
	run --separate-stderr vuf --dir "$D" match
	assert_failure 2
	assert_equal "${stderr_lines[0]}" "vhost-user-find: missing --type TYPE"
	run --separate-stderr vuf --dir "$D" match --type gpus
	assert_failure 2
	assert_equal "${stderr_lines[0]}" "vhost-user-find: unknown type 'gpus' (did you mean 'gpu'?) (known types: 9p, balloon, block, caif, console, crypto, gpu, input, net, rng, rpmsg, rproc-serial, scsi, vsock, fs)"
	run --separate-stderr vuf --dir "$D" match --type gpu extra
	assert_failure 2
	run --separate-stderr vuf --dir "$D" match --type gpu --feature ''
	assert_failure 2
	assert_equal "${stderr_lines[0]}" "vhost-user-find: --feature: empty feature name"
	run --separate-stderr vuf --dir "$D" match --type gpu --json --file
	assert_failure 2
}

@test "--feature a,b is a usage error that says to repeat --feature" {
	expect 2 '' "vhost-user-find: --feature 'virgl,edid': one feature each; repeat --feature for more (--feature virgl --feature ...)
Try 'vhost-user-find match --help' for more information." -- --dir "$D" match --type gpu --feature virgl,edid
}

@test "real backend: match --type fs finds Debian's virtiofsd" {
	[ -x /usr/lib/qemu/virtiofsd ] || skip "qemu-system-common is not installed"
	run --separate-stderr vuf match --type fs
	assert_success
	assert_output /usr/lib/qemu/virtiofsd
	run --separate-stderr vuf match --type fs --feature migrate-precopy
	assert_failure 1
	stderr_is "vhost-user-find: /usr/share/qemu/vhost-user/50-qemu-virtiofsd.json: /usr/lib/qemu/virtiofsd: lacks feature migrate-precopy (reports no features)
vhost-user-find: no fs backend with feature migrate-precopy"
}

@test "a backend reporting 200,000 features is rejected at once, ten of them listed" {
	[ -z "$VUF_VALGRIND" ] || skip "measures time, not valgrind"
	desc "$D/10-many.json" gpu "$B/many-features"
	local start end
	start=$(now_ms)
	run --separate-stderr vuf --timeout 20 --dir "$D" match --type gpu --feature virgl
	end=$(now_ms)
	assert_failure 1
	assert_output ""
	stderr_is "vhost-user-find: $D/10-many.json: $B/many-features: lacks feature virgl (reports f0, x, x, x, x, x, x, x, x, x and 199990 more)
vhost-user-find: no gpu backend with feature virgl"
	[ $((end - start)) -lt 10000 ] || fail "took $((end - start)) ms"
}

@test "ten features are listed whole, and none is said as such" {
	printf '#!/bin/sh\necho %s\n' \
		"'{\"type\": \"gpu\", \"features\": [\"a\", \"b\", \"c\", \"d\", \"e\", \"f\", \"g\", \"h\", \"i\", \"j\"]}'" >"$T/ten"
	printf '#!/bin/sh\necho %s\n' "'{\"type\": \"gpu\", \"features\": []}'" >"$T/none"
	chmod +x "$T/ten" "$T/none"
	desc "$D/10-ten.json" gpu "$T/ten"
	desc "$D/20-none.json" gpu "$T/none"
	expect 1 '' "vhost-user-find: $D/10-ten.json: $T/ten: lacks features virgl, k (reports a, b, c, d, e, f, g, h, i, j)
vhost-user-find: $D/20-none.json: $T/none: lacks features virgl, k (reports no features)
vhost-user-find: no gpu backend with features virgl, k" -- -q --dir "$D" match --type gpu --feature virgl --feature k
}

@test "60,000 --feature options are taken in linear time, and ten of them listed" {
	[ -z "$VUF_VALGRIND" ] || skip "measures time, not valgrind"
	desc "$D/10-virgl.json" gpu "$B/gpu-virgl"
	local -a args
	local list cpu
	# Built without a shell loop, which bats' tracing makes slow.
	mapfile -t args < <(yes -- --feature=f | head -n 60000)
	list="f, f, f, f, f, f, f, f, f, f and 59990 more"
	# The tool's own CPU time: the wall time of handing 60,000 arguments
	# through bash and exec is most of the run, and a loaded machine's.
	run --separate-stderr /usr/bin/time -o "$T/cpu" -f '%U %S' \
		"$VUF" -q --dir "$D" match --type gpu "${args[@]}"
	assert_failure 1
	stderr_is "vhost-user-find: $D/10-virgl.json: $B/gpu-virgl: lacks features $list (reports virgl, render-node)
vhost-user-find: no gpu backend with features $list"
	# The quadratic build took over 20 s here; linear takes a tenth of
	# a second (a few tenths under ASan).
	# (time says first that the status was not zero: the last line.)
	cpu=$(awk 'END { printf "%d", ($1 + $2) * 1000 }' "$T/cpu")
	[ "$cpu" -lt 5000 ] || fail "took $cpu ms of CPU"
}

@test "--probe probes every candidate even without features, and passes over those that fail" {
	desc "$D/10-bad.json" gpu "$B/exit-3"
	desc "$D/20-notype.json" gpu "$B/no-type"
	desc "$D/30-render.json" gpu "$B/gpu-render"
	desc "$D/40-virgl.json" gpu "$B/gpu-virgl"
	# Without --probe the first that can start wins, unprobed.
	run --separate-stderr vuf --dir "$D" match --type gpu
	assert_success
	assert_output "$B/exit-3"
	run --separate-stderr vuf --dir "$D" match --type gpu --probe
	assert_success
	assert_output "$B/gpu-render"
	stderr_is ""
	assert_not_exists "$FAKE_DIR/ran.gpu-virgl"
	run --separate-stderr vuf --dir "$D" -v match --type gpu --probe
	stderr_has "$D/10-bad.json: $B/exit-3: exited with status 3"
	stderr_has "$D/30-render.json: $B/gpu-render: selected"
	run --separate-stderr vuf --dir "$D" match --type gpu --probe --json
	run jq -c '[.name, .features]' <<<"$output"
	assert_output '["30-render.json",["render-node"]]'
	run --separate-stderr vuf --dir "$D" match --type gpu --probe --all
	assert_output "$B/gpu-render
$B/gpu-virgl"
}

@test "--probe with no candidate whose probe succeeds exits 1 and says so" {
	desc "$D/10-bad.json" gpu "$B/exit-3"
	expect 1 '' "vhost-user-find: $D/10-bad.json: $B/exit-3: exited with status 3
vhost-user-find: no gpu backend whose probe succeeds" -- --dir "$D" match --type gpu --probe
}

@test "an unknown feature near a known one says what was meant, and matching goes on" {
	desc "$D/10-virgl.json" gpu "$B/gpu-virgl"
	desc "$D/20-future.json" gpu "$B/gpu-future"
	expect 1 '' "vhost-user-find: warning: feature 'virgll' (did you mean 'virgl'?) is not a known gpu feature; matching it anyway
vhost-user-find: $D/10-virgl.json: $B/gpu-virgl: lacks feature virgll (reports virgl, render-node)
vhost-user-find: $D/20-future.json: $B/gpu-future: lacks feature virgll (reports virgl, hdr-10)
vhost-user-find: no gpu backend with feature virgll" -- --dir "$D" match --type gpu --feature virgll
	expect 1 '' "vhost-user-find: warning: features 'virgll' (did you mean 'virgl'?), 'hdr-10' are not known gpu features; matching them anyway
vhost-user-find: $D/10-virgl.json: $B/gpu-virgl: lacks features virgll, hdr-10 (reports virgl, render-node)
vhost-user-find: $D/20-future.json: $B/gpu-future: lacks feature virgll (reports virgl, hdr-10)
vhost-user-find: no gpu backend with features virgll, hdr-10" -- --dir "$D" match --type gpu --feature virgll --feature hdr-10
}

# The tree of the policy view: 10 loses on features, 20 is masked, 30's
# binary is missing, 40 overrides a lower 40, 50 comes after the winner.
policy_tree() {
	desc "$T/1/10-render.json" gpu "$B/gpu-render"
	desc "$T/1/20-masked.json" gpu "$B/gpu-virgl"
	: >"$T/2/20-masked.json"
	desc "$T/1/30-missing.json" gpu "$T/no-such-binary"
	desc "$T/1/40-over.json" gpu "$B/gpu-marker"
	desc "$T/2/40-over.json" gpu "$B/gpu-virgl"
	desc "$T/1/50-late.json" gpu "$B/gpu-virgl"
	desc "$T/1/05-net.json" net "$B/net"
}

@test "-v is a policy view: every candidate's fate in order, the winner and why, the rest not considered" {
	mkdir -p "$T/1" "$T/2"
	policy_tree
	expect 0 "$B/gpu-virgl" "vhost-user-find: $T/1/10-render.json: $B/gpu-render: lacks feature virgl (reports render-node)
vhost-user-find: $T/1/20-masked.json: $B/gpu-virgl: masked by $T/2/20-masked.json
vhost-user-find: $T/1/30-missing.json: $T/no-such-binary: not found
vhost-user-find: $T/2/40-over.json: $B/gpu-virgl: selected (first by name that qualifies; overrides $T/1/40-over.json)
vhost-user-find: $T/1/40-over.json: $B/gpu-marker: overridden by $T/2/40-over.json
vhost-user-find: $T/1/50-late.json: $B/gpu-virgl: not considered (after the winner)" -- vuf_dirs_1_2 -v match --type gpu --feature virgl
	assert_not_exists "$FAKE_DIR/ran.gpu-marker"
	# Without features the first wins; --all considers every one.
	expect 0 "$B/gpu-render" "vhost-user-find: $T/1/10-render.json: $B/gpu-render: selected (first by name)
vhost-user-find: $T/1/20-masked.json: $B/gpu-virgl: masked by $T/2/20-masked.json
vhost-user-find: $T/1/30-missing.json: $T/no-such-binary: not considered (after the winner)
vhost-user-find: $T/2/40-over.json: $B/gpu-virgl: not considered (after the winner)
vhost-user-find: $T/1/40-over.json: $B/gpu-marker: overridden by $T/2/40-over.json
vhost-user-find: $T/1/50-late.json: $B/gpu-virgl: not considered (after the winner)" -- vuf_dirs_1_2 -v match --type gpu
}

@test "-v with every candidate masked says by which file, and the closing line names the directories" {
	mkdir -p "$T/1" "$T/2"
	desc "$T/1/10-a.json" gpu "$B/gpu-virgl"
	desc "$T/1/20-b.json" gpu "$B/gpu-render"
	: >"$T/2/10-a.json"
	: >"$T/2/20-b.json"
	expect 1 '' "vhost-user-find: $T/1/10-a.json: $B/gpu-virgl: masked by $T/2/10-a.json
vhost-user-find: $T/1/20-b.json: $B/gpu-render: masked by $T/2/20-b.json
vhost-user-find: no active gpu descriptor in the search path ($T/1, $T/2)" -- vuf_dirs_1_2 -v match --type gpu
	expect 1 '' "vhost-user-find: no active gpu descriptor in the search path ($T/1, $T/2)" -- vuf_dirs_1_2 match --type gpu
}

@test "-v under --root says where a missing binary was looked for, inside the root" {
	R="$T/root"
	desc "$R/usr/share/qemu/vhost-user/50-gpu.json" gpu /../../../usr/lib/qemu/vhost-user-gpu
	expect 1 '' "vhost-user-find: $R/usr/share/qemu/vhost-user/50-gpu.json: /../../../usr/lib/qemu/vhost-user-gpu: not found (looked for $R/usr/lib/qemu/vhost-user-gpu)
vhost-user-find: no gpu backend with an executable binary" -- --root "$R" -v match --type gpu
}
