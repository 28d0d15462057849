#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# make bench: how fast vhost-user-find is against baselines measured in
# the same run, on the same files.  Usage: bench.sh BINARY FLOOR
#
# FLOOR is bench/floor.c built: the least work that answers list.  Every
# figure is the median of repeated runs, timed with bash's $EPOCHREALTIME
# (no extra process in the measured interval), after one warm-up run so
# that all of them read from the page cache; what is compared is run
# interleaved, so that the machine's drift falls on both sides.
set -eu
export LC_ALL=C

VUF=$(realpath "${1:-src/vhost-user-find}")
FLOOR=$(realpath "${2:-bench/floor}")
OUT=${BENCH_DIR:-$(dirname "$0")/out}
REPS=${BENCH_REPS:-11}
BIG_REPS=${BENCH_BIG_REPS:-5}
STARTUP_REPS=${BENCH_STARTUP_REPS:-301}

for tool in jq awk /usr/bin/time; do
	command -v "$tool" >/dev/null ||
		{ echo "bench: $tool is missing (make deps-test)" >&2; exit 2; }
done

# tree DIR N: N files in DIR/1 (distro), DIR/2 (admin), DIR/3 (user):
# 70% distro descriptors; of the rest, admin files that override a
# distro name or add their own, and user files that override, mask with
# an empty file or mask with a link to /dev/null.
tree() {
	rm -rf "$1"
	mkdir -p "$1/1" "$1/2" "$1/3"
	awk -v top="$1" -v n="$2" 'BEGIN {
		n1 = int(n * 0.7); n2 = int(n * 0.2); n3 = n - n1 - n2
		for (i = 0; i < n1; i++)
			put(top "/1", i, "distro")
		for (i = 0; i < n2; i++)	# half override, half new
			put(top "/2", i % 2 ? i : n1 + i, "admin")
		for (i = 0; i < n3; i++) {
			k = i * 7 % n1
			if (i % 4 == 0)
				put(top "/3", k, "user")
			else if (i % 4 == 1)
				printf "" >name(top "/3", k)
			else
				links = links sprintf("ln -sf /dev/null %s\n", name(top "/3", k))
			close(name(top "/3", k))
		}
		printf "%s", links | "sh"
	}
	function name(dir, i) { return sprintf("%s/%06d-backend.json", dir, i) }
	function put(dir, i, who,    f) {
		f = name(dir, i)
		printf "{\n  \"description\": \"%s backend %d\",\n" \
		       "  \"type\": \"%s\",\n" \
		       "  \"binary\": \"/usr/libexec/vhost-user-%d\",\n" \
		       "  \"tags\": [\"bench\", \"%s\"]\n}\n", who, i,
		       i % 3 ? "gpu" : "fs", i, who >f
		close(f)
	}'
}

# median_ms REPS CMD...: the median wall time of CMD, in milliseconds.
median_ms() {
	local reps=$1 i s e
	shift
	"$@" >/dev/null 2>&1 || true
	for ((i = 0; i < reps; i++)); do
		s=$EPOCHREALTIME
		"$@" >/dev/null 2>&1 || true
		e=$EPOCHREALTIME
		echo "$s $e"
	done | awk '{ t[NR] = ($2 - $1) * 1000 }
		END { n = asort_(t, NR); printf "%.3f\n", t[int((NR + 1) / 2)] }
		function asort_(a, n,    i, j, x) {	# insertion sort: mawk has no asort
			for (i = 2; i <= n; i++) {
				x = a[i]
				for (j = i - 1; j > 0 && a[j] > x; j--)
					a[j + 1] = a[j]
				a[j + 1] = x
			}
			return n
		}'
}

# interleaved REPS NAME... : run the commands NAME_cmd round-robin REPS
# times (after a warm-up round); print each one's median ms, in order.
interleaved() {
	local reps=$1 i n s e
	shift
	for n in "$@"; do "${n}_cmd" >/dev/null 2>&1 || true; done
	for ((i = 0; i < reps; i++)); do
		for n in "$@"; do
			s=$EPOCHREALTIME
			"${n}_cmd" >/dev/null 2>&1 || true
			e=$EPOCHREALTIME
			echo "$n $s $e"
		done
	done | awk -v order="$*" '{ t[$1, ++k[$1]] = ($3 - $2) * 1000 }
		END {
			m = split(order, name, " ")
			for (j = 1; j <= m; j++) {
				c = k[name[j]]
				for (i = 1; i <= c; i++)
					v[i] = t[name[j], i]
				for (i = 2; i <= c; i++) {	# insertion sort
					x = v[i]
					for (l = i - 1; l > 0 && v[l] > x; l--)
						v[l + 1] = v[l]
					v[l + 1] = x
				}
				printf "%.3f\n", v[int((c + 1) / 2)]
			}
		}'
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
# verdict VALUE OP LIMIT: "ok" or "MISSED".
verdict() {
	awk -v v="$1" -v op="$2" -v l="$3" 'BEGIN {
		ok = op == "<=" ? v <= l : v >= l
		print ok ? "ok" : "MISSED"
	}'
}
# rss_mib CMD...: peak resident memory of CMD, in MiB.
rss_mib() {
	/usr/bin/time -f %M -o "$OUT/rss" "$@" >/dev/null 2>&1 || true
	awk '{ v = $1 } END { printf "%.1f", v / 1024 }' "$OUT/rss"	# after time's exit-status line
}

# The commands compared, on the tree in $TREE.
vuf() { "$VUF" --dir "$TREE/1" --dir "$TREE/2" --dir "$TREE/3" -q "$@"; }
floor_cmd() { "$FLOOR" "$TREE/1" "$TREE/2" "$TREE/3"; }
spec_cmd() { "$FLOOR" spec "$TREE/1" "$TREE/2" "$TREE/3"; }
jansson_cmd() { "$FLOOR" jansson "$TREE/1" "$TREE/2" "$TREE/3"; }
dumps_cmd() { "$FLOOR" dumps "$TREE/1" "$TREE/2" "$TREE/3"; }
json_cmd() { vuf list --json; }
text_cmd() { vuf list; }
match_cmd() { vuf match --type net; }
all_cmd() { vuf list --all; }
validate_cmd() { vuf validate; }
jq_cmd() { jq -c . "${FILES[@]}"; }

mkdir -p "$OUT"
echo "machine: $(nproc) CPUs, $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo), $(uname -sr)"
echo "binary:  $("$VUF" --version)"
echo "load:    $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min; other work on the machine skews wall times)"
echo "floor:   for each name that takes effect: openat, fstat, read, close"
echo "  spec:    the same, opened by SPEC 4.3's careful route (O_PATH, fstat, reopen)"
echo "  jansson: the floor, and each file parsed by json_loadb"
echo "  dumps:   the same, and each parsed file written by json_dumps"
echo

declare -A T ACTIVE
for size in 10k 100k; do
	TREE=$OUT/$size
	tree "$TREE" "${size%k}000"
	# What takes effect and is read: the files a floor reads (masks too).
	mapfile -t FILES < <(json_cmd | jq -r '.[].file')
	ACTIVE[$size]=${#FILES[@]}
	echo "$size: $(find "$TREE" -name '*.json' | wc -l) entries in 3 directories, ${#FILES[@]} active"
	reps=$([ "$size" = 10k ] && echo "$REPS" || echo "$BIG_REPS")
	extra=()
	[ "$size" != 10k ] || extra=(jq)
	mapfile -t t < <(interleaved "$reps" floor spec jansson dumps json text \
		match all validate "${extra[@]}")
	T[$size,floor]=${t[0]} T[$size,spec]=${t[1]} T[$size,jansson]=${t[2]}
	T[$size,dumps]=${t[3]} T[$size,json]=${t[4]} T[$size,text]=${t[5]}
	T[$size,match]=${t[6]} T[$size,all]=${t[7]} T[$size,validate]=${t[8]}
	printf '  %-34s %9.1f ms\n' "floor (median of $reps, interleaved)" "${t[0]}"
	printf '  %-34s %9.1f ms  %5sx floor  (reported)\n' "floor, spec" \
		"${t[1]}" "$(ratio "${t[1]}" "${t[0]}")"
	printf '  %-34s %9.1f ms  %5sx floor  (reported)\n' "floor, jansson" \
		"${t[2]}" "$(ratio "${t[2]}" "${t[0]}")"
	printf '  %-34s %9.1f ms  %5sx floor  (reported)\n' "floor, dumps" \
		"${t[3]}" "$(ratio "${t[3]}" "${t[0]}")"
	for m in "json:1.7:dumps:list --json" "text:1.5:jansson:list" \
		"match:1.5:jansson:match --type net (no probe)"; do
		IFS=: read -r k limit base words <<<"$m"
		r=$(ratio "${T[$size,$k]}" "${t[0]}")
		printf '  %-34s %9.1f ms  %5sx floor  (target <= %s: %s)  %sx floor, %s\n' \
			"$words" "${T[$size,$k]}" "$r" "$limit" \
			"$(verdict "$r" "<=" "$limit")" \
			"$(ratio "${T[$size,$k]}" "${T[$size,$base]}")" "$base"
	done
	printf '  %-34s %9.1f ms  %5sx floor  (reported)\n' "list --all" \
		"${T[$size,all]}" "$(ratio "${T[$size,all]}" "${t[0]}")"
	r=$(ratio "${T[$size,validate]}" "${T[$size,text]}")
	if [ "$size" = 10k ]; then
		printf '  %-34s %9.1f ms  %5sx list  (reported)\n' "validate" \
			"${T[$size,validate]}" "$r"
	else
		printf '  %-34s %9.1f ms  %5sx list  (target <= 3: %s)\n' "validate" \
			"${T[$size,validate]}" "$r" "$(verdict "$r" "<=" 3)"
	fi
	if [ "$size" = 10k ]; then
		t_jq=${t[9]}
		r=$(ratio "$t_jq" "${T[$size,json]}")
		printf '  %-34s %9.1f ms  %5sx list --json  (target >= 3: %s)\n' \
			"jq -c . over the same files" "$t_jq" "$r" "$(verdict "$r" ">=" 3)"
	else
		for m in "list --json" "list" "match --type net" "validate"; do
			# shellcheck disable=SC2086 # the words of the command
			mib=$(rss_mib "$VUF" --dir "$TREE/1" --dir "$TREE/2" \
				--dir "$TREE/3" -q $m)
			printf '  %-34s %9.1f MiB              (target <= 24: %s)\n' \
				"peak RSS, $m" "$mib" "$(verdict "$mib" "<=" 24)"
		done
		printf '  %-34s %9.1f MiB              (reported)\n' "peak RSS, floor" \
			"$(rss_mib "$FLOOR" "$TREE/1" "$TREE/2" "$TREE/3")"
	fi
done
echo
echo "cost per active entry, 100k / 10k (target <= 1.2):"
for m in "json:list --json" "text:list" "match:match --type net" \
	"validate:validate"; do
	a=$(awk -v t="${T[10k,${m%%:*}]}" -v n="${ACTIVE[10k]}" 'BEGIN { print t * 1000 / n }')
	b=$(awk -v t="${T[100k,${m%%:*}]}" -v n="${ACTIVE[100k]}" 'BEGIN { print t * 1000 / n }')
	r=$(ratio "$b" "$a")
	printf '  %-34s %6.1f / %6.1f us  %5sx  (%s)\n' "${m#*:}" "$b" "$a" "$r" \
		"$(verdict "$r" "<=" 1.2)"
done
rm -rf "$OUT/100k"
echo

mkdir -p "$OUT/tiny"
printf '{"description": "tiny", "type": "gpu", "binary": "/bin/true"}\n' \
	>"$OUT/tiny/50-tiny.json"
t_match=$(median_ms "$STARTUP_REPS" "$VUF" --dir "$OUT/tiny" match --type gpu)
t_true=$(median_ms "$STARTUP_REPS" /bin/true)
r_true=$(ratio "$t_match" "$t_true")
printf '%-36s %9.3f ms\n' "match on a tiny tree (median of $STARTUP_REPS)" "$t_match"
printf '%-36s %9.3f ms  match/true = %s  (target <= 1.3: %s)\n' "/bin/true" \
	"$t_true" "$r_true" "$(verdict "$r_true" "<=" 1.3)"

# What containing a probe costs: caps --binary on a backend that only
# answers, in the namespace the kernel allows and in the subreaper
# fallback.  The difference is the price of the namespace.
PROBE_REPS=${BENCH_PROBE_REPS:-101}
printf '#!/bin/sh\necho '"'"'{"type": "gpu", "features": ["virgl"]}'"'"'\n' \
	>"$OUT/tiny/answer"
chmod 755 "$OUT/tiny/answer"
how=$("$VUF" -v caps --binary "$OUT/tiny/answer" 2>&1 >/dev/null |
	sed -n 's/.*--print-capabilities //p')
t_ns=$(median_ms "$PROBE_REPS" "$VUF" caps --binary "$OUT/tiny/answer")
t_fb=$(VHOST_USER_FIND_NO_NAMESPACE=1 median_ms "$PROBE_REPS" "$VUF" caps \
	--binary "$OUT/tiny/answer")
printf '%-36s %9.3f ms\n' "a probe $how" "$t_ns"
printf '%-36s %9.3f ms  namespace/subreaper = %s (+%.3f ms)\n' \
	"a probe under a subreaper (fallback)" "$t_fb" "$(ratio "$t_ns" "$t_fb")" \
	"$(awk -v a="$t_ns" -v b="$t_fb" 'BEGIN { print a - b }')"
echo "  (caps --binary on a script that only answers, median of $PROBE_REPS)"

# What a handshake costs next to a probe of the same backend: Debian's
# real vhost-user-gpu, started on a private socket and spoken to, against
# its --print-capabilities run.
GPU=/usr/lib/qemu/vhost-user-gpu
if [ -x "$GPU" ]; then
	HS_REPS=${BENCH_HANDSHAKE_REPS:-31}
	printf '{"description": "gpu", "type": "gpu", "binary": "%s"}\n' "$GPU" \
		>"$OUT/tiny/50-qemu-gpu.json"
	t_caps=$(median_ms "$HS_REPS" "$VUF" --dir "$OUT/tiny" caps 50-qemu-gpu)
	t_hs=$(median_ms "$HS_REPS" "$VUF" --dir "$OUT/tiny" handshake 50-qemu-gpu)
	printf '%-36s %9.3f ms\n' "caps of vhost-user-gpu" "$t_caps"
	printf '%-36s %9.3f ms  handshake/caps = %s\n' "handshake of vhost-user-gpu" \
		"$t_hs" "$(ratio "$t_hs" "$t_caps")"
	echo "  ($GPU, median of $HS_REPS)"
else
	echo "handshake: $GPU is missing (qemu-system-gui), not measured"
fi
echo "load:    $(cut -d' ' -f1-3 /proc/loadavg) at the end"
