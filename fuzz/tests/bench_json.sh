#!/bin/sh
# bench_json.sh: fuzz/bench --json runs all three targets and prints an object with the expected keys.
# usage: bench_json.sh BENCH BUILD_DIR RUNS   (in the ARM64 machine; the figures are not judged)
set -u
out=$("$1" --json --runs "$3" --build "$2") || { echo "FAIL: fuzz/bench failed"; exit 1; }
echo "$out"
num='[0-9][0-9.]*'
for t in trivial realistic png; do
	echo "$out" | grep -q "\"$t\": {\"guest_execs_per_s\": $num, \"native_execs_per_s\": $num, \"ratio\": $num," ||
		{ echo "FAIL: no \"$t\" object with guest_execs_per_s, native_execs_per_s, ratio"; exit 1; }
done
case $out in
"{"*"}") ;;
*) echo "FAIL: not one JSON object"; exit 1 ;;
esac
echo "ok: fuzz/bench --json has trivial, realistic and png figures"
