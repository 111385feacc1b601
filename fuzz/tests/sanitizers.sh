#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# sanitizers.sh BUILD [AFL_GUEST]: sanitizers inside guests (in the ARM64 machine). For each
# planted bug that only a sanitizer sees: fuzz_find_NAME (built with warmfork-cc -fsanitize=...)
# finds it within twice the executions in-process libFuzzer (find_NAME_native, same flags)
# needs; the report is the sanitizer's (its text, its SUMMARY line), then warmfork's frame
# report and the sanitizer's stack symbolised, then a DEDUP_TOKEN made of that stack; the crash-* artifact
# replays the same report through fuzz_NAME ARTIFACT and afl_guest GUEST < ARTIFACT.
set -u
b=$1 ag=${2:-}
. "$(dirname "$0")/lib.sh"

# check NAME RUNS REPORT_ERE SUMMARY_ERE
check() {
	name=$1 runs=$2 report=$3 summary=$4
	for kind in native guest; do
		bin=$b/find_${name}_native
		[ $kind = guest ] && bin=$b/fuzz_find_$name
		rm -rf "$tmp/c" "$tmp/a"
		mkdir -p "$tmp/c" "$tmp/a"
		"$bin" -seed=1 -runs="$runs" -print_final_stats=1 -artifact_prefix="$tmp/a/" "$tmp/c" \
			>"$tmp/$kind.log" 2>&1
		eval "n_$kind=\$(sed -n 's/^stat::number_of_executed_units: *//p' \"\$tmp/\$kind.log\")"
		ls "$tmp"/a/crash-* >/dev/null 2>&1 || fail "$name: $kind found nothing in $runs runs"
	done
	[ "$n_guest" -le $((2 * n_native)) ] ||
		fail "$name: guest needed $n_guest executions, in-process $n_native"
	log=$tmp/guest.log
	grep -Eq "$report" "$log" || fail "$name: no sanitizer report /$report/"
	grep -Eq "$summary" "$log" || fail "$name: no sanitizer SUMMARY /$summary/"
	grep -q '^==warmfork== guest crashed: SIGABRT' "$log" || fail "$name: no warmfork report"
	# The token is the sanitizer's stack's (an interceptor may come first), never its runtime's
	# own frames or libc's abort.
	grep -Eq '^DEDUP_TOKEN: ([a-z_]*--)?LLVMFuzzerTestOneInput' "$log" ||
		fail "$name: DEDUP_TOKEN is not the target's stack: $(grep DEDUP_TOKEN "$log")"
	grep -q "^==warmfork== the sanitizer's stack above, symbolised:" "$log" ||
		[ "$name" = signed_overflow ] || fail "$name: the sanitizer's stack was not symbolised"
	grep -Eq "in LLVMFuzzerTestOneInput.* .*/$name.c:[0-9]+" "$log" ||
		fail "$name: no frame names the target's source line"
	set -- "$tmp"/a/crash-*
	crash=$1
	"$b/fuzz_find_$name" "$crash" >"$tmp/replay.log" 2>&1 && fail "$name: the artifact did not crash again"
	grep -Eq "$report" "$tmp/replay.log" || fail "$name: the replay has no sanitizer report"
	if [ -n "$ag" ]; then
		rc=0
		"$ag" "$b/fuzz/find_$name.guest" <"$crash" >"$tmp/afl.log" 2>&1 || rc=$?
		[ $rc = 134 ] || fail "$name: afl_guest < artifact exited $rc, not SIGABRT (134)"
		grep -Eq "$report" "$tmp/afl.log" || fail "$name: afl_guest's replay has no report"
	fi
	echo "ok: $name: found after $n_guest executions (in-process libFuzzer: $n_native); report, DEDUP_TOKEN and replays agree"
}

check signed_overflow 60000 'runtime error: signed integer overflow' \
	'^SUMMARY: UndefinedBehaviorSanitizer: undefined-behavior .*signed_overflow.c'
check heap_overflow 30000 'ERROR: AddressSanitizer: heap-buffer-overflow' \
	'^SUMMARY: AddressSanitizer: heap-buffer-overflow'
check use_after_free 30000 'ERROR: AddressSanitizer: heap-use-after-free' \
	'^SUMMARY: AddressSanitizer: heap-use-after-free'
check double_free 30000 'ERROR: AddressSanitizer: attempting double-free' \
	'^SUMMARY: AddressSanitizer: double-free'
# -minimize_crash=1 on an ASan artifact: libFuzzer's children compare DEDUP_TOKENs, so the
# smaller input it keeps is the same bug.
rm -rf "$tmp/a" "$tmp/m" && mkdir -p "$tmp/a" "$tmp/m" "$tmp/c"
"$b/fuzz_find_heap_overflow" -seed=1 -runs=30000 -artifact_prefix="$tmp/a/" "$tmp/c" >"$tmp/h.log" 2>&1
set -- "$tmp"/a/crash-*
[ -f "$1" ] || fail "heap_overflow: no artifact to minimise"
cp "$1" "$tmp/m/big"
head -c 200 /dev/zero >>"$tmp/m/big" # a longer input for the same bug
"$b/fuzz_find_heap_overflow" -minimize_crash=1 -runs=300 -seed=1 \
	-exact_artifact_path="$tmp/m/small" "$tmp/m/big" >"$tmp/min.log" 2>&1
[ -f "$tmp/m/small" ] && [ "$(wc -c <"$tmp/m/small")" -lt "$(wc -c <"$tmp/m/big")" ] ||
	fail "-minimize_crash=1 kept no smaller input"
"$b/fuzz_find_heap_overflow" "$tmp/m/small" >"$tmp/small.log" 2>&1 && fail "the minimised input does not crash"
grep -q 'ERROR: AddressSanitizer: heap-buffer-overflow' "$tmp/small.log" ||
	fail "the minimised input is another bug"
echo "ok: -minimize_crash=1 shrinks an ASan crash from $(wc -c <"$tmp/m/big") to $(wc -c <"$tmp/m/small") bytes, the same bug"

# afl-fuzz on an ASan guest: the report is a crash it saves under crashes/.
if [ -n "$ag" ]; then
	mkdir -p "$tmp/in" && printf 'AAAA' >"$tmp/in/a"
	rm -rf "$tmp/o"
	AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_BENCH_UNTIL_CRASH=1 afl-fuzz -i "$tmp/in" -o "$tmp/o" \
		-s 1 -t 5000 -E 20000 -- "$ag" "$b/fuzz/find_use_after_free.guest" >"$tmp/aflf.log" 2>&1
	set -- "$tmp"/o/default/crashes/id:*
	[ -f "$1" ] || fail "afl-fuzz saved no crash of the ASan guest's use after free"
	"$ag" "$b/fuzz/find_use_after_free.guest" <"$1" >"$tmp/aflr.log" 2>&1
	grep -q 'ERROR: AddressSanitizer: heap-use-after-free' "$tmp/aflr.log" ||
		fail "afl-fuzz's crash is not the use after free"
	echo "ok: afl-fuzz saves the ASan guest's use after free under crashes/ ($(basename "$1" | cut -d, -f1-3))"
fi
echo "sanitizers: ok"
