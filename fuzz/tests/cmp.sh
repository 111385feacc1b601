#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# cmp.sh BUILD [AFL_GUEST LOOP_AFL]: comparison feedback from guests (in the ARM64 machine).
#  - fuzz_find_{magic32,memcmp8,switch32}: the bug behind a 32-bit magic, an 8-byte memcmp
#    key and a switch case is found within a budget (-seed=1) with the
#    guest's comparisons forwarded to libFuzzer, in as many executions as in-process
#    libFuzzer on the same source (find_*_native) takes; the magic is not found in the same
#    budget with WARMFORK_CMP=0 (forwarding off), nor with -use_cmp=0.
#  - -use_value_profile=1 runs with the guest's comparisons and finds the magic too.
#  - a guest that corrupts its own comparison log (fuzz_find_hostile_cmp) cannot hurt its host.
#  - AFL++: afl-fuzz -c 0 (afl_guest as its own cmplog binary) finds the magic; without -c it
#    does not in the same number of executions. The loop's raw hit counts reach afl-showmap's
#    map as from the same source built natively with AFL++'s runtime (LOOP_AFL, compiled as
#    the guest is), slot for slot.
set -u
b=$1
. "$(dirname "$0")/lib.sh"

# execs_to_find BIN [flags...]: the executions until the first crash, or "none".
execs_to_find() {
	bin=$1
	shift
	rm -rf "$tmp/c" "$tmp/a"
	mkdir -p "$tmp/c" "$tmp/a"
	"$bin" -seed=1 -runs=20000 -print_final_stats=1 -artifact_prefix="$tmp/a/" "$@" "$tmp/c" \
		>"$tmp/run.log" 2>&1
	n=$(sed -n 's/^stat::number_of_executed_units: *//p' "$tmp/run.log")
	if ls "$tmp"/a/crash-* >/dev/null 2>&1; then echo "$n"; else echo none; fi
}

for t in magic32 memcmp8 switch32; do
	g=$(execs_to_find "$b/fuzz_find_$t")
	n=$(execs_to_find "$b/find_${t}_native")
	[ "$g" != none ] || fail "fuzz_find_$t: not found in 20000 runs (in-process: $n)"
	[ "$n" = none ] || [ "$g" -le $((2 * n)) ] ||
		fail "fuzz_find_$t: found after $g executions, in-process after $n"
	echo "ok: $t found after $g executions (in-process libFuzzer: $n)"
done
g=$(WARMFORK_CMP=0 execs_to_find "$b/fuzz_find_magic32")
[ "$g" = none ] || fail "magic32 found with forwarding off (after $g): the test proves nothing"
echo "ok: magic32 not found in 20000 runs with WARMFORK_CMP=0"
g=$(execs_to_find "$b/fuzz_find_magic32" -use_cmp=0)
[ "$g" = none ] || fail "magic32 found with -use_cmp=0 (after $g)"
echo "ok: magic32 not found in 20000 runs with -use_cmp=0"
g=$(execs_to_find "$b/fuzz_find_magic32" -use_value_profile=1)
[ "$g" != none ] || fail "magic32 not found with -use_value_profile=1"
echo "ok: magic32 found with -use_value_profile=1 after $g executions"

# A hostile comparison log: inputs set its length past its end, fake records, a switch whose
# case table is anywhere. The host must run every input and exit 0.
mkdir -p "$tmp/h"
printf '\001AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' >"$tmp/h/odd"
printf '\003\010\000\000\000\000\000\000\377\377\377\377\377\377\377\377AAAAAAAAAAAAAAAAAAAA' >"$tmp/h/sw"
"$b/fuzz_find_hostile_cmp" -seed=1 -runs=3000 "$tmp/h" >"$tmp/hostile.log" 2>&1 ||
	{ tail -n 20 "$tmp/hostile.log"; fail "a guest corrupting its comparison log broke its host"; }
echo "ok: 3000 inputs that corrupt the comparison log, host unharmed"

if [ $# -ge 3 ]; then
	ag=$2 loop_afl=$3
	mkdir -p "$tmp/in"
	printf 'AAAAAAAA' >"$tmp/in/a"
	# afl_find_execs CMPLOG_FLAGS...: executions until afl-fuzz's first crash, or "none".
	afl_find_execs() {
		rm -rf "$tmp/o"
		AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_BENCH_UNTIL_CRASH=1 afl-fuzz -i "$tmp/in" -o "$tmp/o" \
			-s 1 -t 1000 -E 3000 "$@" -- "$ag" "$b/fuzz/find_magic32.guest" >"$tmp/afl.log" 2>&1
		set -- "$tmp"/o/default/crashes/id:*
		[ -f "$1" ] && echo "$1" | sed 's/.*execs:\([0-9]*\).*/\1/' || echo none
	}
	a=$(afl_find_execs -c 0)
	[ "$a" != none ] || { tail -n 20 "$tmp/afl.log"; fail "afl-fuzz -c 0 did not find the magic in 3000 executions"; }
	echo "ok: afl-fuzz -c 0 on afl_guest finds magic32 after $a executions (cmplog)"
	a=$(afl_find_execs)
	[ "$a" = none ] || fail "afl-fuzz without cmplog found the magic (after $a): the test proves nothing"
	echo "ok: without -c 0, not found in 3000 executions"

	# Hit counts: afl-showmap -r (raw counts) of one input, guest and the same source built
	# natively as the guest is (one process per input): the same map, slot for slot.
	for n in 0 1 3 7 40 200; do
		printf "$(printf '\\%03o' "$n")" >"$tmp/loop$n"
		afl-showmap -r -q -o "$tmp/g$n" -- "$ag" "$b/fuzz/find_loop.guest" <"$tmp/loop$n" 2>/dev/null || true
		afl-showmap -r -q -o "$tmp/n$n" -- "$loop_afl" <"$tmp/loop$n" 2>/dev/null || true
		[ -s "$tmp/g$n" ] && cmp -s "$tmp/g$n" "$tmp/n$n" ||
			fail "loop $n: afl_guest's map '$(tr '\n' ' ' <"$tmp/g$n")', native '$(tr '\n' ' ' <"$tmp/n$n")'"
		echo "ok: loop of $n: the same raw hit counts as native: $(tr '\n' ' ' <"$tmp/g$n")"
	done
	grep -q ":$((200 - 1))\$" "$tmp/g200" || fail "200 iterations do not show as 199 hits of the loop body"
fi
echo "cmp: ok"
