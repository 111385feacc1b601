#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# afl_find.sh: afl-fuzz on afl_guest (no AFL_* set by hand) finds the demo bug in persistent,
# shared-memory mode at 100% stability with a map sized to the guest; the crash replays.
# usage: afl_find.sh AFL_GUEST FUZZ_GUEST CORPUS_DIR MAX_SECONDS   (in the ARM64 machine)
set -u
ag=$1 fg=$2 corpus=$3 secs=$4
. "$(dirname "$0")/lib.sh"
stat() { sed -n "s/^$1 *: //p" "$tmp/out/default/fuzzer_stats"; }

# 1. The map is sized to the guest: the runtime reports one slot per guest counter (+1).
n=$("$ag" </dev/null 2>&1 | sed -n 's/^INFO: warmfork: .*: \([0-9]*\) guest counters$/\1/p')
[ -n "$n" ] && [ "$n" -gt 0 ] || fail "afl_guest reports no guest counters"
size=$(AFL_DUMP_MAP_SIZE=1 "$ag" 2>/dev/null)
[ "$size" = $((n + 1)) ] || fail "AFL_DUMP_MAP_SIZE printed '$size', want $((n + 1)) ($n counters)"
echo "ok: $n guest counters, map size $size"

# 2. afl-fuzz finds the bug within the time bound (it stops at the first crash).
mkdir "$tmp/in"
cp "$corpus"/* "$tmp/in/"
start=$(date +%s)
AFL_NO_UI=1 AFL_BENCH_UNTIL_CRASH=1 afl-fuzz -s 1 -i "$tmp/in" -o "$tmp/out" -V "$secs" -t 5000 \
	-- "$ag" >"$tmp/afl.log" 2>&1 || fail "afl-fuzz failed"
end=$(date +%s)
grep -q 'Persistent mode binary detected' "$tmp/afl.log" || fail "afl-fuzz did not see persistent mode"
grep -q 'Deferred forkserver binary detected' "$tmp/afl.log" || fail "afl-fuzz did not see the deferred fork server"
grep -q 'Using SHARED MEMORY FUZZING feature' "$tmp/afl.log" || fail "no shared-memory test cases"
mode=$(stat target_mode)
case "$mode" in *persistent*shmem_testcase*deferred*) ;; *) fail "target_mode is '$mode'" ;; esac
grep -Eq "Target map size: $size([^0-9]|\$)" "$tmp/afl.log" ||
	fail "afl-fuzz did not take the map size $size from the fork server"
[ "$(stat total_edges)" = "$size" ] || fail "afl-fuzz's map has $(stat total_edges) slots, want $size"
[ "$(stat stability)" = "100.00%" ] || fail "stability $(stat stability), want 100.00%"
set -- "$tmp"/out/default/crashes/id:*
[ -f "$1" ] || fail "no file in out/default/crashes after $((end - start)) s"
crash=$1
echo "ok: crash found in $((end - start)) s after $(stat execs_done) execs" \
	"($(stat execs_per_sec) execs/s, stability $(stat stability), mode $mode): $(basename "$crash")"

# 3. The saved input replays under afl_guest (dies of the guest's SIGSEGV, after the same
#    report as fuzz_guest) and under fuzz_guest.
rc=0
"$ag" <"$crash" >"$tmp/replay_afl.log" 2>&1 || rc=$?
[ $rc = 139 ] || fail "afl_guest < crash exited $rc, want 139 (SIGSEGV)"
grep -q '^==warmfork== guest crashed: SIGSEGV at pc ' "$tmp/replay_afl.log" || fail "no guest crash report"
grep -q '^DEDUP_TOKEN: parse_name--parse--LLVMFuzzerTestOneInput' "$tmp/replay_afl.log" ||
	fail "the crash is not the demo's bug"
rc=0
"$fg" "$crash" >"$tmp/replay_fg.log" 2>&1 || rc=$?
[ $rc != 0 ] || fail "fuzz_guest $crash did not crash"
grep -q 'ERROR: libFuzzer: deadly signal' "$tmp/replay_fg.log" || fail "libFuzzer saw no crash"
a=$(grep '^==warmfork== guest crashed' "$tmp/replay_afl.log")
b=$(grep '^==warmfork== guest crashed' "$tmp/replay_fg.log")
[ "$a" = "$b" ] || fail "the two replays differ: '$a' / '$b'"
echo "ok: replays under afl_guest (SIGSEGV) and fuzz_guest: $a"

# 4. Bad use gets a clear error, not a crash.
rc=0
"$ag" -x </dev/null >"$tmp/bad.log" 2>&1 || rc=$?
[ $rc = 1 ] && grep -q 'afl_guest: unexpected argument -x' "$tmp/bad.log" || fail "junk flag: exit $rc"
rc=0
"$ag" "$corpus" </dev/null >"$tmp/bad.log" 2>&1 || rc=$?
[ $rc = 1 ] && grep -q 'afl_guest: cannot read the guest' "$tmp/bad.log" || fail "a directory as guest: exit $rc"
rc=0
"$ag" "$crash" </dev/null >"$tmp/bad.log" 2>&1 || rc=$?
[ $rc = 1 ] && grep -q 'afl_guest: cannot load' "$tmp/bad.log" || fail "a non-ELF guest: exit $rc"
echo "ok: junk flags and bad guests are refused with a message"
