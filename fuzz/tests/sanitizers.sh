#!/bin/sh
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
echo "sanitizers: ok"
