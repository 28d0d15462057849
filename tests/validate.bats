#!/usr/bin/env bats
# SPEC §6 validate: every diagnostic, its position, the exit status with
# and without --strict, --probe, --root, and the bare form on a search
# path with each kind of problem (including where libvirt <= 11 differs).

load helpers
bats_require_minimum_version 1.5.0

setup() {
	common_setup
	mkdir -p "$T/1" "$T/2"
}

teardown() { as_nobody_teardown; }

# ---- one file ---------------------------------------------------------

@test "validate FILE: a good descriptor says nothing but the summary" {
	desc "$T/50-gpu.json" gpu /usr/bin/true
	expect 0 '' "1 file checked, 0 errors, 0 warnings" -- validate "$T/50-gpu.json"
	expect 0 '' "1 file checked, 0 errors, 0 warnings" -- validate --strict "$T/50-gpu.json"
}

@test "validate FILE: a syntax error at its exact line and column" {
	printf '{\n  "type": "gpu",\n  "binary": "/usr/bin/true" "x"\n}\n' >"$T/50-a.json"
	expect 1 '' "$T/50-a.json:3:31: error: [VUF102] '}' expected near '\"x\"'
$T/50-a.json: warning: [VUF400] libvirt ...
1 file checked, 1 error, 1 warning" -- vuf_libvirt_notes_cut validate "$T/50-a.json"
}

@test "validate FILE: an unterminated object is an error at the end of the file" {
	printf '{\n  "type": "gpu",\n' >"$T/50-a.json"
	expect 1 '' "$T/50-a.json:3: error: [VUF102] string or '}' expected near end of file
$T/50-a.json: warning: [VUF400] libvirt ...
1 file checked, 1 error, 1 warning" -- vuf_libvirt_notes_cut validate "$T/50-a.json"
}

@test "validate FILE: trailing data and invalid UTF-8 are errors at their position" {
	printf '{"type": "gpu", "binary": "/usr/bin/true", "description": "d"}\n{}\n' >"$T/50-a.json"
	printf '{"type": "gpu",\n"binary": "/usr/bin/tr\377ue"}' >"$T/50-b.json"
	expect 1 '' "$T/50-a.json:2:1: error: [VUF102] end of file expected near '{'
$T/50-a.json: warning: [VUF400] libvirt ...
$T/50-b.json:2:22: error: [VUF102] unable to decode byte 0xff near '\"/usr/bin/tr'
$T/50-b.json: warning: [VUF400] libvirt ...
2 files checked, 2 errors, 2 warnings" -- vuf_libvirt_notes_cut validate "$T/50-a.json" "$T/50-b.json"
}

@test "validate FILE: a duplicate key is an error at its position" {
	printf '{"type": "gpu",\n "binary": "/usr/bin/true",\n   "type": "fs"}\n' >"$T/50-a.json"
	expect 1 '' "$T/50-a.json:3:9: error: [VUF102] duplicate object key near '\"type\"'
$T/50-a.json: warning: [VUF401] libvirt ...
1 file checked, 1 error, 1 warning" -- vuf_libvirt_notes_cut validate "$T/50-a.json"
}

@test "validate FILE: schema errors at the member or value at fault" {
	printf '{"binary": "/usr/bin/true", "description": "d"}' >"$T/50-a.json"
	printf '{"type": "disk", "binary": "/usr/bin/true", "description": "d"}' >"$T/50-b.json"
	printf '{"type": "gpu", "binary": "bin/true", "description": "d"}' >"$T/50-c.json"
	printf '[1, 2]' >"$T/50-d.json"
	expect 1 '' "$T/50-a.json:1:1: error: [VUF106] missing required member 'type'
$T/50-a.json: warning: [VUF400] libvirt ...
$T/50-b.json:1:10: error: [VUF108] unknown type 'disk' (known types: 9p, balloon, block, caif, console, crypto, gpu, input, net, rng, rpmsg, rproc-serial, scsi, vsock, fs)
$T/50-b.json: warning: [VUF400] libvirt ...
$T/50-c.json:1:27: error: [VUF109] member 'binary' is not an absolute path: 'bin/true'
$T/50-c.json: warning: [VUF401] libvirt ...
$T/50-d.json:1:1: error: [VUF105] not a JSON object but an array
$T/50-d.json: warning: [VUF400] libvirt ...
4 files checked, 4 errors, 4 warnings" -- vuf_libvirt_notes_cut validate "$T/50-a.json" "$T/50-b.json" \
		"$T/50-c.json" "$T/50-d.json"
}

@test "validate FILE: each warning, and --strict makes them fail" {
	printf '{"type": "gpu", "binary": "/usr/bin/true", "tags": ["a", 1], "x-vendor": 1}' \
		>"$T/50-a.json"
	run --separate-stderr vuf validate "$T/50-a.json"
	assert_success
	assert_output ""
	stderr_is "$T/50-a.json:1:1: warning: [VUF110] missing member 'description'
$T/50-a.json:1:58: warning: [VUF107] member 'tags' has a number at index 1, not a string
$T/50-a.json:1:62: warning: [VUF112] unknown member 'x-vendor'
1 file checked, 0 errors, 3 warnings"
	run --separate-stderr vuf validate --strict "$T/50-a.json"
	assert_failure 1
	stderr_has "1 file checked, 0 errors, 3 warnings"
}

@test "validate FILE: tags that are not a list are a warning" {
	printf '{"type": "gpu", "binary": "/usr/bin/true", "description": "d", "tags": "a"}' \
		>"$T/50-a.json"
	expect 0 '' "$T/50-a.json:1:72: warning: [VUF107] member 'tags' is a string, not a list of strings
1 file checked, 0 errors, 1 warning" -- validate "$T/50-a.json"
}

@test "validate FILE: a name not of the NN-name.json form is a warning" {
	for n in gpu.json 5-gpu.json 50gpu.json 50-.json ab-gpu.json; do
		desc "$T/$n" gpu /usr/bin/true
	done
	desc "$T/50-gpu.conf" gpu /usr/bin/true
	desc "$T/99-x.json" gpu /usr/bin/true
	run --separate-stderr vuf validate "$T/gpu.json" "$T/5-gpu.json" \
		"$T/50gpu.json" "$T/50-.json" "$T/ab-gpu.json" "$T/99-x.json" \
		"$T/50-gpu.conf"
	assert_success
	convention="warning: [VUF206] the name does not follow the NN-name.json convention (two digits, a dash, a name) that orders descriptors"
	stderr_is "$T/gpu.json: $convention
$T/5-gpu.json: $convention
$T/50gpu.json: $convention
$T/50-.json: $convention
$T/ab-gpu.json: $convention
$T/50-gpu.conf: warning: [VUF205] the name does not end in '.json' or starts with '.': never read from the search path
7 files checked, 0 errors, 6 warnings"
}

@test "validate FILE: a missing or non-executable binary is a warning" {
	printf 'x' >"$T/not-exec"
	chmod 644 "$T/not-exec"
	mkdir "$T/a-dir"
	desc "$T/50-a.json" gpu "$T/missing"
	desc "$T/50-b.json" gpu "$T/not-exec"
	desc "$T/50-c.json" gpu "$T/a-dir"
	run --separate-stderr vuf validate "$T/50-a.json" "$T/50-b.json" "$T/50-c.json"
	assert_success
	stderr_is "$T/50-a.json:4:13: warning: [VUF300] binary $T/missing: not found
$T/50-b.json:4:13: warning: [VUF300] binary $T/not-exec: not executable
$T/50-c.json:4:13: warning: [VUF300] binary $T/a-dir: not executable (a directory)
3 files checked, 0 errors, 3 warnings"
	run --separate-stderr vuf validate --strict "$T/50-a.json"
	assert_failure 1
}

@test "validate FILE: a binary that only the unprivileged cannot run is a warning for them" {
	as_nobody_setup
	printf '#!/bin/sh\n' >"$NB_TOP/root-only"
	chmod 700 "$NB_TOP/root-only"
	desc "$NB_TOP/50-a.json" gpu "$NB_TOP/root-only"
	chmod 644 "$NB_TOP/50-a.json"
	run --separate-stderr as_nobody "$NB_VUF" --libvirt-version "$VUF_LIBVIRT" validate "$NB_TOP/50-a.json"
	assert_success
	stderr_is "$NB_TOP/50-a.json:4:13: warning: [VUF300] binary $NB_TOP/root-only: not executable
1 file checked, 0 errors, 1 warning"
}

@test "validate FILE: features outside the known table are a warning" {
	printf '{"type": "gpu", "binary": "/usr/bin/true", "description": "d", "features": ["virgl", "vulkan"]}' \
		>"$T/50-a.json"
	expect 0 '' "$T/50-a.json:1:86: warning: [VUF111] feature 'vulkan' is not a known feature of type gpu
1 file checked, 0 errors, 1 warning" -- validate "$T/50-a.json"
}

@test "validate FILE: an empty file or a link to /dev/null is a mask, a warning" {
	: >"$T/50-a.json"
	ln -s /dev/null "$T/50-b.json"
	run --separate-stderr vuf validate "$T/50-a.json" "$T/50-b.json"
	assert_success
	stderr_is "$T/50-a.json: warning: [VUF113] a mask (an empty file), not a descriptor
$T/50-b.json: warning: [VUF113] a mask (a link to /dev/null), not a descriptor
$T/50-b.json: warning: [VUF402] libvirt 11.3 does not take a link to /dev/null as a mask: it skips it (an empty file is a mask to both)
2 files checked, 0 errors, 3 warnings"
	run --separate-stderr vuf validate --strict "$T/50-a.json"
	assert_failure 1
}

@test "validate FILE: what cannot be a descriptor is an error" {
	mkfifo "$T/50-fifo.json"
	ln -s "$T/nowhere" "$T/50-dangling.json"
	run --separate-stderr vuf validate "$T/50-fifo.json" \
		"$T/50-dangling.json" "$T/50-absent.json"
	assert_failure 1
	assert_output ""
	stderr_is "$T/50-fifo.json: error: [VUF100] not a descriptor: is a FIFO
$T/50-dangling.json: error: [VUF100] not a descriptor: dangling symbolic link
$T/50-absent.json: error: [VUF100] No such file or directory
3 files checked, 3 errors, 0 warnings"
}

@test "validate FILE: an unreadable file is an error naming the cause" {
	as_nobody_setup
	desc "$NB_TOP/50-a.json" gpu /usr/bin/true
	chmod 600 "$NB_TOP/50-a.json"
	run --separate-stderr as_nobody "$NB_VUF" --libvirt-version "$VUF_LIBVIRT" validate "$NB_TOP/50-a.json"
	assert_failure 1
	stderr_is "$NB_TOP/50-a.json: error: [VUF100] Permission denied
$NB_TOP/50-a.json: warning: [VUF400] libvirt 11.3 would fail every vhost-user lookup on this file instead of skipping it: it cannot read it (Permission denied)
1 file checked, 1 error, 1 warning"
}

@test "validate FILE: errors and warnings together; the status counts errors" {
	printf '{"type": "gpu", "binary": "rel"}' >"$T/a.json"
	run --separate-stderr vuf validate "$T/a.json"
	assert_failure 1
	stderr_is "$T/a.json:1:27: error: [VUF109] member 'binary' is not an absolute path: 'rel'
$T/a.json:1:1: warning: [VUF110] missing member 'description'
$T/a.json: warning: [VUF206] the name does not follow the NN-name.json convention (two digits, a dash, a name) that orders descriptors
$T/a.json: warning: [VUF401] libvirt 11.3 does not reject this file: it does not check 'binary', and passes over it as a gpu backend once its probe fails
1 file checked, 1 error, 3 warnings"
}

@test "validate -q: errors only, no warnings; the summary only when it fails; --strict still counts warnings" {
	printf '{"type": "gpu", "binary": "/usr/bin/true"}' >"$T/50-a.json"
	printf '{"type": "gpu"}' >"$T/50-b.json"
	expect 0 '' '' -- -q validate "$T/50-a.json"
	# A failing run never leaves the log empty; under --strict it shows
	# the warnings that fail it.
	expect 1 '' "$T/50-a.json:1:1: warning: [VUF110] missing member 'description'
1 file checked, 0 errors, 1 warning" -- validate -q --strict "$T/50-a.json"
	expect 1 '' "$T/50-b.json:1:1: error: [VUF106] missing required member 'binary'
2 files checked, 1 error, 3 warnings (not shown: -q)" -- validate -q "$T/50-a.json" "$T/50-b.json"
}

@test "validate FILE: control characters in names and values are escaped" {
	f="$T/50-a"$'\e'"[31m.json"
	printf '{"type": "gpu", "binary": "/usr/bin/true", "description": "d", "x\\u001b[2J": 1}' >"$f"
	run --separate-stderr vuf validate "$f"
	assert_success
	stderr_is "$T/50-a\\x1b[31m.json:1:64: warning: [VUF112] unknown member 'x\\x1b[2J'
1 file checked, 0 errors, 1 warning"
}

# ---- --probe ------------------------------------------------------------

@test "validate --probe: a backend that agrees passes" {
	fake_backend "$T/bin/gpu" '{"type": "gpu", "features": ["virgl"]}'
	desc "$T/50-gpu.json" gpu "$T/bin/gpu"
	expect 0 '' "1 file checked, 0 errors, 0 warnings" -- validate --probe --strict "$T/50-gpu.json"
}

@test "validate --probe: failures and a type that disagrees are errors" {
	fake_backend "$T/bin/fs" '{"type": "fs"}'
	fake_backend "$T/bin/fails" '{"type": "gpu"}' 3
	fake_backend "$T/bin/garbage" 'hello'
	desc "$T/50-a.json" gpu "$T/bin/fs"
	desc "$T/50-b.json" gpu "$T/bin/fails"
	desc "$T/50-c.json" gpu "$T/bin/garbage"
	desc "$T/50-d.json" gpu "$T/bin/missing"
	run --separate-stderr vuf validate --probe "$T/50-a.json" "$T/50-b.json" \
		"$T/50-c.json" "$T/50-d.json"
	assert_failure 1
	assert_output ""
	stderr_has "$T/50-a.json:4:13: error: [VUF302] probe of $T/bin/fs failed: reports type 'fs', not 'gpu'"
	stderr_has "$T/50-b.json:4:13: error: [VUF302] probe of $T/bin/fails failed: exited with status 3"
	stderr_has "$T/50-c.json:4:13: error: [VUF302] probe of $T/bin/garbage failed: "
	stderr_has "$T/50-d.json:4:13: error: [VUF302] probe of $T/bin/missing failed: not found"
	stderr_has "4 files checked, 4 errors, 0 warnings"
	# Without --probe, a missing binary is only a warning.
	run --separate-stderr vuf validate "$T/50-d.json"
	assert_success
}

@test "validate --probe: a backend past the deadline is an error" {
	printf '#!/bin/sh\nexec sleep 30\n' >"$T/slow"
	chmod 755 "$T/slow"
	desc "$T/50-a.json" gpu "$T/slow"
	expect 1 '' "$T/50-a.json:4:13: error: [VUF302] probe of $T/slow failed: timed out after 0.2 s
1 file checked, 1 error, 0 warnings" -- --timeout 0.2 validate --probe "$T/50-a.json"
}

@test "validate --probe: a reported feature outside the table is a warning" {
	fake_backend "$T/bin/gpu" '{"type": "gpu", "features": ["virgl", "vulkan"]}'
	desc "$T/50-gpu.json" gpu "$T/bin/gpu"
	expect 0 '' "$T/50-gpu.json:4:13: warning: [VUF303] $T/bin/gpu reports feature 'vulkan', not a known feature of type gpu
1 file checked, 0 errors, 1 warning" -- validate --probe "$T/50-gpu.json"
	run --separate-stderr vuf validate --probe --strict "$T/50-gpu.json"
	assert_failure 1
}

@test "validate --probe: invalid descriptors are not probed" {
	printf '#!/bin/sh\ntouch "%s/ran"\n' "$T" >"$T/b"
	chmod 755 "$T/b"
	printf '{"type": "gpu", "binary": "%s", "description": "d", "type": "gpu"}' "$T/b" >"$T/50-a.json"
	run --separate-stderr vuf validate --probe "$T/50-a.json"
	assert_failure 1
	assert_file_not_exists "$T/ran"
}

# ---- --root -------------------------------------------------------------

@test "validate --root: a staged tree is checked with binaries under the root" {
	R="$T/stage"
	fake_backend "$R/usr/libexec/vhost-user-gpu" '{"type": "gpu", "features": ["render-node"]}'
	desc "$R/usr/share/qemu/vhost-user/50-gpu.json" gpu /usr/libexec/vhost-user-gpu
	# Its render-node makes libvirt look for one on the host: pinned.
	needs_mount_ns
	run --separate-stderr with_dri yes --root "$R" validate --strict --probe
	assert_success
	assert_output ""
	stderr_is "1 file checked, 0 errors, 0 warnings"
	run --separate-stderr vuf --root "$R" validate --strict \
		"$R/usr/share/qemu/vhost-user/50-gpu.json"
	assert_success
}

@test "validate --root: a binary missing from the staged tree is named where it was looked for" {
	R="$T/stage"
	desc "$R/etc/qemu/vhost-user/50-fs.json" fs /usr/bin/true-but-not-staged
	run --separate-stderr vuf --root "$R" validate
	assert_success
	stderr_is "$R/etc/qemu/vhost-user/50-fs.json:4:13: warning: [VUF300] binary /usr/bin/true-but-not-staged: not found (looked for $R/usr/bin/true-but-not-staged)
$R/etc/qemu/vhost-user/50-fs.json: warning: [VUF404] libvirt 11.3 would choose this fs backend although its binary cannot start (not found), and the guest would then fail to start; match chooses none
1 file checked, 0 errors, 2 warnings"
	run --separate-stderr vuf --root "$R" validate --probe
	assert_failure 1
	stderr_has "$R/etc/qemu/vhost-user/50-fs.json:4:13: error: [VUF302] probe of /usr/bin/true-but-not-staged failed: not found"
}

# ---- the bare form: the search path -------------------------------------

@test "validate: a clean search path passes, mask and override included" {
	desc "$T/1/50-gpu.json" gpu /usr/bin/true
	desc "$T/2/50-gpu.json" gpu /usr/bin/true "the admin's"
	desc "$T/1/60-fs.json" fs /usr/bin/true
	: >"$T/2/60-fs.json"
	expect 0 '' "4 files checked, 0 errors, 0 warnings" -- vuf_dirs_1_2 validate --strict
}

@test "validate: a search path without a descriptor is a warning: a check of the wrong tree must not pass" {
	expect 0 '' "warning: [VUF203] no descriptor in the search path ($T/1, $T/2)
0 files checked, 0 errors, 1 warning" -- vuf_dirs_1_2 validate
	run --separate-stderr vuf_dirs_1_2 validate --strict
	assert_failure 1
	mkdir -p "$T/empty"
	expect 1 '' "warning: [VUF203] no descriptor in the search path ($T/empty/usr/share/qemu/vhost-user, $T/empty/etc/qemu/vhost-user)
0 files checked, 0 errors, 1 warning" -- --root "$T/empty" validate --strict
	# Masks alone are no descriptor either.
	: >"$T/1/50-a.json"
	run --separate-stderr vuf_dirs_1_2 validate --strict
	assert_failure 1
	stderr_has "warning: [VUF203] no descriptor in the search path"
}

@test "validate: a --dir that does not exist is a warning" {
	desc "$T/1/50-a.json" gpu /usr/bin/true
	expect 1 '' "$T/typo: warning: [VUF202] no such directory
1 file checked, 0 errors, 1 warning" -- --dir "$T/1" --dir "$T/typo" validate --strict
}

@test "validate --json: the findings as one array on stdout, for CI" {
	printf '{"type": "gpu",\n' >"$T/1/50-cut.json"
	printf '{"type": "gpu" "binary": "/x"}' >"$T/1/60-col.json"
	desc "$T/2/gpu.json" gpu /usr/bin/true
	run --separate-stderr vuf_dirs_1_2 validate --json
	assert_failure 1
	run jq -c '.[]' <<<"$output"
	assert_output "{\"file\":\"$T/1/50-cut.json\",\"line\":2,\"rule\":\"VUF102\",\"severity\":\"error\",\"message\":\"string or '}' expected near end of file\"}
{\"file\":\"$T/1/60-col.json\",\"line\":1,\"column\":23,\"rule\":\"VUF102\",\"severity\":\"error\",\"message\":\"'}' expected near '\\\"binary\\\"'\"}
{\"file\":\"$T/2/gpu.json\",\"rule\":\"VUF206\",\"severity\":\"warning\",\"message\":\"the name does not follow the NN-name.json convention (two digits, a dash, a name) that orders descriptors\"}
{\"file\":\"$T/1/50-cut.json\",\"rule\":\"VUF400\",\"severity\":\"warning\",\"message\":\"libvirt 11.3 would fail every vhost-user lookup on this file instead of skipping it: its JSON parser cannot parse it\"}
{\"file\":\"$T/1/60-col.json\",\"rule\":\"VUF400\",\"severity\":\"warning\",\"message\":\"libvirt 11.3 would fail every vhost-user lookup on this file instead of skipping it: its JSON parser cannot parse it\"}"
	stderr_is "3 files checked, 2 errors, 3 warnings"
	# Without a file: no "file" member.
	rm "$T"/1/* "$T"/2/*
	run --separate-stderr vuf_dirs_1_2 validate --json
	run jq -c '.[0]' <<<"$output"
	assert_output "{\"rule\":\"VUF203\",\"severity\":\"warning\",\"message\":\"no descriptor in the search path ($T/1, $T/2)\"}"
	# -q leaves out the summary, not the findings.
	run --separate-stderr vuf_dirs_1_2 -q validate --json
	assert_output --partial "no descriptor in the search path"
	stderr_is ""
}

@test "validate: an invalid file that takes effect is an error, and libvirt would fail" {
	printf '{"type": "gpu",\n "binary": }\n' >"$T/2/50-gpu.json"
	printf '{"type": "gpu", "binary": "", "description": "d"}' >"$T/1/60-gpu.json"
	run --separate-stderr vuf_dirs_1_2 validate
	assert_failure 1
	assert_output ""
	stderr_is "$T/2/50-gpu.json:2:12: error: [VUF102] unexpected token near '}'
$T/1/60-gpu.json:1:27: error: [VUF109] member 'binary' is empty
$T/2/50-gpu.json: warning: [VUF400] libvirt 11.3 would fail every vhost-user lookup on this file instead of skipping it: its JSON parser cannot parse it
$T/1/60-gpu.json: warning: [VUF401] libvirt 11.3 does not reject this file: it does not check 'binary', and passes over it as a gpu backend once its probe fails
2 files checked, 2 errors, 2 warnings"
}

@test "validate: an invalid file that is overridden or masked is a warning" {
	printf '{"type": "gpu"}' >"$T/1/50-a.json"
	desc "$T/2/50-a.json" gpu /usr/bin/true
	printf '{\n"type": 1}' >"$T/1/60-b.json"
	: >"$T/2/60-b.json"
	expect 0 '' "$T/1/50-a.json:1:1: warning: [VUF106] missing required member 'binary' (takes no effect: overridden by $T/2/50-a.json)
$T/1/60-b.json:2:9: warning: [VUF107] member 'type' is a number, not a string (takes no effect: masked by $T/2/60-b.json)
4 files checked, 0 errors, 2 warnings" -- vuf_dirs_1_2 validate
	run --separate-stderr vuf_dirs_1_2 validate --strict
	assert_failure 1
}

@test "validate: descriptors on the path get every file check" {
	printf '{"type": "gpu", "extra": true, "binary": "%s/missing"}' "$T" >"$T/1/gpu.json"
	expect 0 '' "$T/1/gpu.json:1:1: warning: [VUF110] missing member 'description'
$T/1/gpu.json:1:17: warning: [VUF112] unknown member 'extra'
$T/1/gpu.json: warning: [VUF206] the name does not follow the NN-name.json convention (two digits, a dash, a name) that orders descriptors
$T/1/gpu.json:1:42: warning: [VUF300] binary $T/missing: not found
1 file checked, 0 errors, 4 warnings" -- vuf_dirs_1_2 validate
}

@test "validate: ignored entries are warnings; a dangling link would make libvirt fail" {
	desc "$T/1/50-a.json" gpu /usr/bin/true
	mkdir "$T/2/50-a.json"
	mkfifo "$T/2/60-fifo.json"
	ln -s "$T/nowhere" "$T/2/70-link.json"
	ln -s loop "$T/2/80-loop.json"
	ln -s 80-loop.json "$T/2/loop"
	run --separate-stderr vuf_dirs_1_2 validate
	assert_success
	assert_output ""
	stderr_is "$T/2/50-a.json: warning: [VUF204] ignored: is a directory
$T/2/60-fifo.json: warning: [VUF204] ignored: is a FIFO
$T/2/70-link.json: warning: [VUF204] ignored: dangling symbolic link
$T/2/80-loop.json: warning: [VUF204] ignored: symbolic link loop
$T/2/70-link.json: warning: [VUF400] libvirt 11.3 would fail every vhost-user lookup on this entry: it cannot stat it (dangling symbolic link)
$T/2/80-loop.json: warning: [VUF400] libvirt 11.3 would fail every vhost-user lookup on this entry: it cannot stat it (symbolic link loop)
$T/2/loop: warning: [VUF400] not a candidate (name does not end in '.json'), but libvirt 11.3 reads it and would fail every vhost-user lookup: it cannot stat it (symbolic link loop)
5 files checked, 0 errors, 7 warnings"
}

@test "validate: files without .json that libvirt would read are warnings; hidden ones are not" {
	desc "$T/1/50-a.json" gpu /usr/bin/true
	desc "$T/1/50-a.json.dpkg-old" gpu /usr/bin/old
	desc "$T/1/50-a.json~" gpu /usr/bin/old
	echo 'see the manual' >"$T/1/README"
	: >"$T/1/empty"
	desc "$T/1/.50-hidden.json" gpu /usr/bin/old
	desc "$T/1/.hidden" gpu /usr/bin/old
	mkdir "$T/1/subdir"
	ln -s /dev/null "$T/1/null-link"
	ln -s "$T/nowhere" "$T/1/dangling"
	run --separate-stderr vuf_dirs_1_2 validate
	assert_success
	assert_output ""
	stderr_is "$T/1/dangling: warning: [VUF400] not a candidate (name does not end in '.json'), but libvirt 11.3 reads it and would fail every vhost-user lookup: it cannot stat it (dangling symbolic link)
$T/1/50-a.json.dpkg-old: warning: [VUF401] not a candidate (name does not end in '.json'), but libvirt 11.3 reads it and would offer it as a gpu backend
$T/1/50-a.json~: warning: [VUF401] not a candidate (name does not end in '.json'), but libvirt 11.3 reads it and would offer it as a gpu backend
$T/1/README: warning: [VUF400] not a candidate (name does not end in '.json'), but libvirt 11.3 reads it and would fail every vhost-user lookup: its JSON parser cannot parse it
1 file checked, 0 errors, 4 warnings"
}

@test "validate: libvirt reads only the most specific file of a name without .json" {
	echo 'old' >"$T/1/notes"
	desc "$T/2/notes" gpu /usr/bin/true
	run --separate-stderr vuf_dirs_1_2 validate
	assert_success
	stderr_is "warning: [VUF203] no descriptor in the search path ($T/1, $T/2)
$T/2/notes: warning: [VUF401] not a candidate (name does not end in '.json'), but libvirt 11.3 reads it and would offer it as a gpu backend
0 files checked, 0 errors, 2 warnings"
}

@test "validate: a /dev/null mask is a warning saying what libvirt would read instead" {
	desc "$T/1/50-a.json" gpu /usr/bin/true
	ln -s /dev/null "$T/2/50-a.json"
	printf 'broken' >"$T/1/60-b.json"
	ln -s /dev/null "$T/2/60-b.json"
	ln -s /dev/null "$T/2/70-c.json"
	: >"$T/1/80-d.json"
	ln -s /dev/null "$T/2/80-d.json"
	run --separate-stderr vuf_dirs_1_2 validate
	assert_success
	assert_output ""
	stderr_is "$T/1/60-b.json:1:6: warning: [VUF102] '[' or '{' expected near 'broken' (takes no effect: masked by $T/2/60-b.json)
$T/2/50-a.json: warning: [VUF402] a link to /dev/null: libvirt 11.3 does not take it as a mask and would read $T/1/50-a.json instead; use an empty file
$T/2/60-b.json: warning: [VUF402] a link to /dev/null: libvirt 11.3 does not take it as a mask and would read $T/1/60-b.json instead (and fail every vhost-user lookup on it); use an empty file
$T/2/70-c.json: warning: [VUF402] a link to /dev/null: libvirt 11.3 does not take it as a mask; use an empty file
$T/2/80-d.json: warning: [VUF402] a link to /dev/null: libvirt 11.3 does not take it as a mask; use an empty file
7 files checked, 0 errors, 5 warnings"
}

@test "validate: an unreadable directory is a warning; libvirt would fail" {
	as_nobody_setup
	local top="$NB_TOP"
	mkdir -p "$top/1" "$top/2"
	desc "$top/1/50-a.json" gpu /usr/bin/true
	chmod 755 "$top/1"
	chmod 644 "$top/1/50-a.json"
	chmod 000 "$top/2"
	run --separate-stderr nobody_vuf_dirs_1_2 validate
	assert_success
	assert_output ""
	stderr_is "$NB_TOP/2: warning: [VUF200] cannot read directory: Permission denied
$NB_TOP/2: warning: [VUF400] libvirt 11.3 would fail every vhost-user lookup: it cannot read this directory (Permission denied)
1 file checked, 0 errors, 2 warnings"
	run --separate-stderr nobody_vuf_dirs_1_2 validate --strict
	assert_failure 1
}

@test "validate: an unreadable file that takes effect is an error" {
	as_nobody_setup
	local top="$NB_TOP"
	mkdir -p "$top/1"
	desc "$top/1/50-a.json" gpu /usr/bin/true
	chmod 755 "$top/1"
	chmod 600 "$top/1/50-a.json"
	run --separate-stderr as_nobody "$NB_VUF" --libvirt-version "$VUF_LIBVIRT" --dir "$top/1" validate
	assert_failure 1
	stderr_is "$NB_TOP/1/50-a.json: error: [VUF100] Permission denied
$NB_TOP/1/50-a.json: warning: [VUF400] libvirt 11.3 would fail every vhost-user lookup on this file instead of skipping it: it cannot read it (Permission denied)
1 file checked, 1 error, 1 warning"
}

@test "validate: files in the user directory are a warning: a privileged libvirtd will not see them" {
	desc "$HOME/.config/qemu/vhost-user/50-mine.json" gpu /usr/bin/true
	desc "$HOME/.config/qemu/vhost-user/60-mine.json" gpu /usr/bin/true
	run --separate-stderr vuf validate
	stderr_has "$HOME/.config/qemu/vhost-user: warning: [VUF403] 2 files in the user directory: the system daemon of libvirt 11.3 never reads it, so a privileged libvirtd chooses without them"
	run --separate-stderr vuf --system validate
	stderr_lacks "user directory"
}

@test "validate: an empty user directory is no warning" {
	mkdir -p "$HOME/.config/qemu/vhost-user"
	run --separate-stderr vuf validate
	stderr_lacks "user directory"
}

@test "validate --probe: the bare form probes each active descriptor only" {
	# With features: libvirt would choose the same gpu backend.
	fake_backend "$T/bin/good" '{"type": "gpu", "features": []}'
	fake_backend "$T/bin/bad" '{"type": "gpu", "features": []}' 1
	desc "$T/1/50-a.json" gpu "$T/bin/bad"
	desc "$T/2/50-a.json" gpu "$T/bin/good"
	desc "$T/1/60-b.json" gpu "$T/bin/bad"
	: >"$T/2/60-b.json"
	expect 0 '' "4 files checked, 0 errors, 0 warnings" -- vuf_dirs_1_2 validate --probe --strict
	desc "$T/2/70-c.json" gpu "$T/bin/bad"
	expect 1 '' "$T/2/70-c.json:4:13: error: [VUF302] probe of $T/bin/bad failed: exited with status 1
5 files checked, 1 error, 0 warnings" -- vuf_dirs_1_2 validate --probe
}

# ---- usage --------------------------------------------------------------

@test "validate: a bad option is a usage error" {
	run --separate-stderr vuf validate --bogus
	assert_failure 2
	stderr_has "validate --help"
}

@test "validate -h: the options are listed" {
	run --separate-stderr vuf validate -h
	assert_success
	assert_line --partial "validate [FILE|DIR|-]... [--probe] [--handshake] [--strict] [--ignore RULE]... [--format FORMAT|--json]"
	assert_line --partial "--probe"
	assert_line --partial "--strict"
}
