#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# find_demo.sh: fuzz_guest finds the demo guest's bug from its seeds, and the crash file replays.
# usage: find_demo.sh FUZZ_GUEST CORPUS_DIR MAX_RUNS DEMO_GUEST   (in the ARM64 machine)
set -u
fg=$1 corpus=$2 runs=$3 demo=$4
. "$(dirname "$0")/lib.sh"

# 1. The seeds are valid inputs: replaying each runs cleanly.
"$fg" "$corpus"/* >"$tmp/seeds.log" 2>&1 || fail "the seed corpus crashed"
grep -q "INFO: warmfork: the embedded demo guest: [1-9][0-9]* guest counters," "$tmp/seeds.log" ||
	fail "the embedded guest has no coverage counters"
echo "ok: $(ls "$corpus" | wc -l) seeds replay without a crash"

# 2. Fuzz a copy of the corpus with a fixed seed: the planted bug is found in at most $runs.
mkdir "$tmp/corpus" "$tmp/art"
cp "$corpus"/* "$tmp/corpus/"
start=$(date +%s)
rc=0
"$fg" -seed=1 -runs="$runs" -artifact_prefix="$tmp/art/" -print_final_stats=1 \
	"$tmp/corpus" >"$tmp/fuzz.log" 2>&1 || rc=$?
end=$(date +%s)
[ $rc != 0 ] || fail "no crash found in $runs runs"
grep -q '^==warmfork== guest crashed: SIGSEGV at pc ' "$tmp/fuzz.log" || fail "no guest crash report"
grep -q 'ERROR: libFuzzer: deadly signal' "$tmp/fuzz.log" || fail "libFuzzer did not see a crash"
set -- "$tmp"/art/crash-*
[ $# = 1 ] && [ -f "$1" ] || fail "expected exactly one crash-* artifact, got: $*"
crash=$1
found=$(grep -o '^#[0-9]*' "$tmp/fuzz.log" | tail -1)
echo "ok: crash found after ${found#\#} inputs in $((end - start)) s (exit $rc): $(basename "$crash")"
grep -E '^(INFO: (Loaded|warmfork)|#[0-9]+.*(NEW|pulse))' "$tmp/fuzz.log" | tail -6
grep -A3 '^==warmfork== guest crashed' "$tmp/fuzz.log"
od -A d -c "$crash" | head -4

# 3. Replaying the artifact reproduces the same signal, PC, fault address and backtrace.
rc=0
"$fg" "$crash" >"$tmp/replay.log" 2>&1 || rc=$?
[ $rc != 0 ] || fail "replaying $crash did not crash"
# The report: the ==warmfork== line and the guest frames under it (not libFuzzer's host stack).
report() {
	sed -n '/^==warmfork== guest crashed/,/^[^ ]/p' "$1" | grep -E '^(==warmfork==|    #)'
}
report "$tmp/fuzz.log" >"$tmp/a.txt"
report "$tmp/replay.log" >"$tmp/b.txt"
[ -s "$tmp/a.txt" ] || fail "no report to compare"
cmp -s "$tmp/a.txt" "$tmp/b.txt" || { diff "$tmp/a.txt" "$tmp/b.txt"; fail "the replay's report differs"; }
grep -q 'in parse_name' "$tmp/a.txt" || fail "the backtrace does not name parse_name"
# The sanitizers' signature of the crash (-minimize_crash compares it): the top guest frames.
tok=$(grep '^DEDUP_TOKEN: ' "$tmp/fuzz.log")
[ "$tok" = "DEDUP_TOKEN: parse_name--parse--LLVMFuzzerTestOneInput" ] || fail "dedup token: $tok"
[ "$(grep '^DEDUP_TOKEN: ' "$tmp/replay.log")" = "$tok" ] || fail "the replay's dedup token differs"
echo "ok: replay reproduces the crash ($(wc -l <"$tmp/a.txt") identical report lines)"

# 4. The guest is an ordinary program too: natively it replays files, and dies the same way.
rc=0
"$demo" "$crash" >"$tmp/native.log" 2>&1 || rc=$?
[ $rc = 139 ] || fail "natively, the demo guest on $crash exited $rc, not 139 (SIGSEGV)"
"$demo" "$corpus"/* >"$tmp/native-seeds.log" 2>&1 || fail "natively, the seeds failed"
echo "ok: natively the crash input kills the guest with SIGSEGV too; the seeds run cleanly"
