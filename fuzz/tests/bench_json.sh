#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# bench_json.sh: fuzz/bench --json runs all three targets and prints an object with the expected keys.
# usage: bench_json.sh BENCH BUILD_DIR RUNS AFL_EXECS   (in the ARM64 machine; the figures are
# not judged). AFL_EXECS 0: no afl_guest in this build, no "afl" object expected.
set -u
out=$("$1" --json --runs "$3" --afl-execs "$4" --build "$2") || { echo "FAIL: fuzz/bench failed"; exit 1; }
echo "$out"
num='[0-9][0-9.]*'
for t in trivial realistic png; do
	echo "$out" | grep -q "\"$t\": {\"guest_execs_per_s\": $num, \"native_execs_per_s\": $num, \"ratio\": $num," ||
		{ echo "FAIL: no \"$t\" object with guest_execs_per_s, native_execs_per_s, ratio"; exit 1; }
done
echo "$out" | grep -q "\"realistic_asan\": {\"guest_execs_per_s\": $num, \"native_execs_per_s\": $num, \"ratio\": $num, \"reset_pages_per_input\": $num, \"plain_reset_pages_per_input\": $num," ||
	{ echo "FAIL: no \"realistic_asan\" object with execs/s, ratio and reset pages per input"; exit 1; }
if [ "$4" -gt 0 ]; then
	for t in trivial realistic png; do
		echo "$out" | grep -q "\"$t\": {\"afl_guest_execs_per_s\": $num, \"native_forkserver_execs_per_s\": $num, \"ratio\": $num," ||
			{ echo "FAIL: no \"afl\" \"$t\" object with afl_guest_execs_per_s, native_forkserver_execs_per_s, ratio"; exit 1; }
	done
	echo "$out" | grep -q '"afl": {"trivial"' || { echo "FAIL: no \"afl\" object"; exit 1; }
fi
case $out in
"{"*"}") ;;
*) echo "FAIL: not one JSON object"; exit 1 ;;
esac
echo "ok: fuzz/bench --json has trivial, realistic, png and ASan figures (libFuzzer$([ "$4" -gt 0 ] && echo ' and AFL++'))"
