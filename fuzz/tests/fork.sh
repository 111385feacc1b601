#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# fork.sh: fuzz_guest and afl_guest on a target that forks for every input: runs complete,
# a bug behind the child's answer is found, children left running by an input are gone
# after its reset.
# usage: fork.sh FUZZ_GUEST FORK_TARGET [AFL_GUEST]   (in the ARM64 machine)
set -u
fg=$1 target=$2 ag=${3:-}
. "$(dirname "$0")/lib.sh"

procs() { # how many processes run binary $1 (default fuzz_guest) now
	n=0 want=$(readlink -f "${1:-$fg}")
	for d in /proc/[0-9]*; do
		[ "$(readlink "$d/exe" 2>/dev/null)" = "$want" ] && n=$((n + 1))
	done
	echo $n
}

gone() { # gone BINARY: wait up to 5 s for no process to run it (children die on their own)
	i=0
	while [ "$(procs "$1")" != 0 ] && [ $i -lt 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	[ "$(procs "$1")" = 0 ]
}

# 1. Plain fuzzing: every input forks, waits and reads the child's answer.
mkdir "$tmp/corpus"
"$fg" -guest="$target" -seed=1 -runs=300 "$tmp/corpus" >"$tmp/run.log" 2>&1 ||
	{ tail -20 "$tmp/run.log"; fail "fuzzing a forking target failed"; }
grep -q '^Done 300 runs' "$tmp/run.log" || fail "did not do 300 runs"
echo "ok: 300 runs of a target that forks on each input"

# 2. Inputs that leave a blocked child: after each reset it is gone.
printf 'LEAK1' >"$tmp/corpus/leak1"
printf 'LEAK22' >"$tmp/corpus/leak2"
# Only LEAK inputs (-only_ascii and a dictionary keep mutations near them): without the
# reset's kill, every one of them would leave a process behind.
printf '"LEAK"\n' >"$tmp/leak.dict"
"$fg" -guest="$target" -seed=2 -runs=400 -dict="$tmp/leak.dict" "$tmp/corpus" \
	>"$tmp/leak.log" 2>&1 &
bg=$!
most=0 samples=0
while kill -0 $bg 2>/dev/null; do
	n=$(procs)
	[ "$n" -gt "$most" ] && most=$n
	samples=$((samples + 1))
	sleep 0.3
done
wait $bg || { tail -20 "$tmp/leak.log"; fail "fuzzing with leaked children failed"; }
grep -q '^Done 400 runs' "$tmp/leak.log" || fail "did not do 400 runs with leaked children"
gone "$fg" || fail "$(procs) fuzz_guest processes left after the run"
after=$(procs)
[ "$most" -le 3 ] || fail "up to $most fuzz_guest processes during the run: children pile up"
echo "ok: children left by LEAK inputs are killed at each reset (at most $most processes in $samples samples, $after after)"

# 3. The bug needs the child's answer: found and reported as a crash.
printf 'BOOM' >"$tmp/boom"
rc=0
"$fg" -guest="$target" "$tmp/boom" >"$tmp/boom.log" 2>&1 || rc=$?
[ $rc != 0 ] && grep -q 'deadly signal' "$tmp/boom.log" ||
	{ tail -20 "$tmp/boom.log"; fail "the crash was not reported"; }
echo "ok: BOOM -> a crash in the parent after the child's answer (exit $rc)"

# 4. afl_guest: the same target, replayed and under afl-fuzz in persistent mode.
[ -n "$ag" ] || exit 0
rc=0
WARMFORK_GUEST=$target "$ag" <"$tmp/boom" >"$tmp/afl_boom.log" 2>&1 || rc=$?
[ $rc = 139 ] || { tail -5 "$tmp/afl_boom.log"; fail "afl_guest < BOOM exited $rc, want 139"; }
# afl_guest exits without a reset: the child sees its sandbox's init gone and ends. Its
# parent often exits while the child is still starting (a lost wake-up there once left 2
# children in 24 replays): replay a few times.
for i in 1 2 3 4 5 6; do
	rc=0
	WARMFORK_GUEST=$target "$ag" <"$tmp/corpus/leak1" >"$tmp/afl_leak.log" 2>&1 || rc=$?
	[ $rc = 0 ] || fail "afl_guest < LEAK1 exited $rc"
	gone "$ag" || fail "afl_guest left processes after replay $i"
done
echo "ok: afl_guest replays: BOOM dies of SIGSEGV, LEAK leaves no process"
if command -v afl-fuzz >/dev/null 2>&1; then
	mkdir -p "$tmp/afl_in"
	cp "$tmp/corpus/leak1" "$tmp/afl_in/"
	printf 'abc' >"$tmp/afl_in/plain"
	WARMFORK_GUEST=$target AFL_NO_UI=1 afl-fuzz -s 1 -i "$tmp/afl_in" -o "$tmp/afl_out" -V 20 \
		-t 5000 -- "$ag" >"$tmp/afl.log" 2>&1 || { tail -20 "$tmp/afl.log"; fail "afl-fuzz failed"; }
	execs=$(sed -n 's/^execs_done *: //p' "$tmp/afl_out/default/fuzzer_stats")
	[ "${execs:-0}" -gt 0 ] || fail "afl-fuzz did no executions"
	gone "$ag" || fail "$(procs "$ag") afl_guest processes left after afl-fuzz"
	echo "ok: afl-fuzz, 20 s: $execs executions of the forking target, no process left"
fi
