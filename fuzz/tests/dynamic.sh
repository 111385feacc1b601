#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# dynamic.sh: a dynamically linked fuzz guest (warmfork-cc -dynamic: ld.so maps libc into it)
# under fuzz_NAME and afl_guest: the same coverage as the static build, the demo bug found,
# the crash replayed, 100% stability across resets of its file-backed mappings.
# usage: dynamic.sh FUZZ_DEMO_DYN AFL_GUEST DYN_GUEST CORPUS   (in the ARM64 machine)
set -u
fz=$1 ag=$2 guest=$3 corpus=$4
. "$(dirname "$0")/lib.sh"

mkdir "$tmp/c" "$tmp/art"
cp "$corpus"/* "$tmp/c/"
rc=0
"$fz" -seed=1 -runs=60000 -artifact_prefix="$tmp/art/" "$tmp/c" >"$tmp/fuzz.log" 2>&1 || rc=$?
grep -q 'INFO: warmfork: the embedded demo_dyn guest: 34 guest counters' "$tmp/fuzz.log" ||
	fail "fuzz_demo_dyn does not see the demo's 34 counters"
[ $rc != 0 ] || fail "fuzz_demo_dyn found no crash in 60000 runs"
grep -q '^==warmfork== guest crashed: SIGSEGV' "$tmp/fuzz.log" || fail "no guest crash report"
set -- "$tmp"/art/crash-*
[ -f "$1" ] || fail "no crash-* artifact"
crash=$1
rc=0
"$fz" "$crash" >"$tmp/replay.log" 2>&1 || rc=$?
[ $rc != 0 ] || fail "the crash did not replay"
a=$(grep '^==warmfork== guest crashed' "$tmp/fuzz.log")
b=$(grep '^==warmfork== guest crashed' "$tmp/replay.log")
[ "$a" = "$b" ] || fail "the replay differs: '$a' / '$b'"
echo "ok: fuzz_demo_dyn: $a"

rc=0
"$ag" "$guest" <"$crash" >"$tmp/afl_replay.log" 2>&1 || rc=$?
[ $rc = 139 ] || fail "afl_guest $guest < crash exited $rc, want 139"
AFL_NO_UI=1 AFL_BENCH_UNTIL_CRASH=1 afl-fuzz -s 1 -i "$corpus" -o "$tmp/out" -V 240 -t 5000 \
	-- "$ag" "$guest" >"$tmp/afl.log" 2>&1 || fail "afl-fuzz failed"
st=$tmp/out/default/fuzzer_stats
[ "$(sed -n 's/^stability *: //p' "$st")" = "100.00%" ] || fail "stability is not 100%"
set -- "$tmp"/out/default/crashes/id:*
[ -f "$1" ] || fail "afl-fuzz saved no crash"
echo "ok: afl_guest on the dynamic guest: crash found, stability 100%," \
	"$(sed -n 's/^execs_per_sec *: //p' "$st") execs/s"
