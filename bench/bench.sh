#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# make bench: how fast vhost-user-find is against baselines measured in
# the same run, on the same files (issue 6).  Usage: bench.sh [BINARY]
#
# Every figure is the median of repeated runs, timed with bash's
# $EPOCHREALTIME (no extra process in the measured interval), after one
# warm-up run so that all of them read from the page cache.
set -eu
export LC_ALL=C

VUF=$(realpath "${1:-src/vhost-user-find}")
OUT=${BENCH_DIR:-$(dirname "$0")/out}
REPS=${BENCH_REPS:-11}
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

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
# verdict VALUE OP LIMIT: "ok" or "MISSED".
verdict() {
	awk -v v="$1" -v op="$2" -v l="$3" 'BEGIN {
		ok = op == "<=" ? v <= l : v >= l
		print ok ? "ok" : "MISSED"
	}'
}

vuf_list() { "$VUF" --dir "$1/1" --dir "$1/2" --dir "$1/3" -q list --json; }
files_of() { find "$1/1" "$1/2" "$1/3" -name '*.json' | sort; }
cat_all() { cat "${FILES[@]}"; }
jq_all() { jq . "${FILES[@]}"; }
# A script's way: one jq per file.  10,000 of those take minutes, so
# it is timed on the first 1,000 files and scaled to all of them.
jq_each() { printf '%s\0' "${FILES[@]:0:1000}" | xargs -0 -n 1 jq . ; }

mkdir -p "$OUT"
echo "machine: $(nproc) CPUs, $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo), $(uname -sr)"
echo "binary:  $("$VUF" --version)"

tree "$OUT/10k" 10000
# The floor is reading what list reads: the files that take effect
# (overridden files and masks are examined, not read).
mapfile -t FILES < <(vuf_list "$OUT/10k" | jq -r '.[].file')
echo "tree:    $(files_of "$OUT/10k" | wc -l) files in 3 directories (${#FILES[@]} take effect and are read)"
echo

t_vuf=$(median_ms "$REPS" vuf_list "$OUT/10k")
t_cat=$(median_ms "$REPS" cat_all)
t_jq=$(median_ms "$REPS" jq_all)
t_jq1=$(median_ms 3 jq_each | awk -v n="${#FILES[@]}" '{ print $1 * n / 1000 }')
r_cat=$(ratio "$t_vuf" "$t_cat")
r_jq=$(ratio "$t_jq" "$t_vuf")
r_jq1=$(ratio "$t_jq1" "$t_vuf")
printf '%-44s %9.1f ms\n' "list --json (median of $REPS)" "$t_vuf"
printf '%-44s %9.1f ms  list/cat = %s  (target <= 1.5: %s)\n' \
	"cat of the same files" "$t_cat" "$r_cat" "$(verdict "$r_cat" "<=" 1.5)"
printf '%-44s %9.1f ms  jq/list  = %s  (target >= 20: %s)\n' \
	"jq . on the same files, one process" "$t_jq" "$r_jq" "$(verdict "$r_jq" ">=" 20)"
printf '%-44s %9.1f ms  jq/list  = %s  (target >= 20: %s)\n' \
	"jq . on each file, as a script would (*)" "$t_jq1" "$r_jq1" "$(verdict "$r_jq1" ">=" 20)"

echo "  (*) timed on 1,000 of the files, scaled to all"
/usr/bin/time -f %M -o "$OUT/rss" "$VUF" --dir "$OUT/10k/1" --dir "$OUT/10k/2" \
	--dir "$OUT/10k/3" -q list --json >/dev/null
rss=$(awk '{ printf "%.1f", $1 / 1024 }' "$OUT/rss")
printf '%-44s %9.1f MiB            (target <= 16: %s)\n' "peak RSS of list --json" \
	"$rss" "$(verdict "$rss" "<=" 16)"

mkdir -p "$OUT/tiny"
printf '{"description": "tiny", "type": "gpu", "binary": "/bin/true"}\n' \
	>"$OUT/tiny/50-tiny.json"
t_match=$(median_ms "$STARTUP_REPS" "$VUF" --dir "$OUT/tiny" match --type gpu)
t_true=$(median_ms "$STARTUP_REPS" /bin/true)
r_true=$(ratio "$t_match" "$t_true")
printf '%-44s %9.3f ms\n' "match on a tiny tree (median of $STARTUP_REPS)" "$t_match"
printf '%-44s %9.3f ms  match/true = %s (target <= 1.5: %s)\n' "/bin/true" \
	"$t_true" "$r_true" "$(verdict "$r_true" "<=" 1.5)"

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
printf '%-44s %9.3f ms\n' "a probe $how" "$t_ns"
printf '%-44s %9.3f ms  namespace/subreaper = %s (+%.3f ms)\n' \
	"a probe under a subreaper (the fallback)" "$t_fb" "$(ratio "$t_ns" "$t_fb")" \
	"$(awk -v a="$t_ns" -v b="$t_fb" 'BEGIN { print a - b }')"
echo "  (caps --binary on a script that only answers, median of $PROBE_REPS)"

echo
echo "scaling of list --json (cost per file should stay flat):"
for n in 1000 10000 100000; do
	if [ "$n" = 10000 ]; then
		t=$t_vuf
	else
		tree "$OUT/n$n" "$n"
		t=$(median_ms "$([ "$n" = 100000 ] && echo 5 || echo "$REPS")" \
			vuf_list "$OUT/n$n")
	fi
	printf '  %6d files %9.1f ms  %6.1f us/file\n' "$n" "$t" \
		"$(awk -v t="$t" -v n="$n" 'BEGIN { print t * 1000 / n }')"
done
rm -rf "$OUT/n1000" "$OUT/n100000"
