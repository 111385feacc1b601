#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# cc.sh: guests built out of tree by warmfork-cc and warmfork-c++ fuzz and crash under fuzz_guest.
# usage: cc.sh FUZZ_GUEST C_GUEST CXX_GUEST   (in the ARM64 machine; CMake built the guests)
set -u
fg=$1 cguest=$2 cxxguest=$3
. "$(dirname "$0")/lib.sh"

# 1. Both guests fuzz with coverage: 200 runs, counters found, corpus grows.
for g in "$cguest" "$cxxguest"; do
	n=$(basename "$g" .guest)
	mkdir "$tmp/$n"
	"$fg" -guest="$g" -seed=1 -runs=200 "$tmp/$n" >"$tmp/$n.log" 2>&1 || fail "$n: fuzzing failed"
	grep -q '^Done 200 runs' "$tmp/$n.log" || fail "$n: did not do 200 runs"
	grep -q "INFO: warmfork: $g: [1-9][0-9]* guest counters," "$tmp/$n.log" ||
		fail "$n: no coverage counters"
	[ "$(ls "$tmp/$n" | wc -l)" -gt 1 ] || fail "$n: coverage did not grow the corpus"
	echo "ok: $n: 200 runs, $(grep -o '[0-9]* guest counters' "$tmp/$n.log" | head -1)," \
		"$(ls "$tmp/$n" | wc -l) corpus entries"
done

# 2. The C++ guest throws and catches an exception inside LLVMFuzzerTestOneInput.
printf 'THROW' >"$tmp/throw.in"
"$fg" -guest="$cxxguest" "$tmp/throw.in" >"$tmp/throw.log" 2>&1 || fail "exception input failed"
grep -q "cxx_target: caught: bad field 'THROW'" "$tmp/throw.log" || fail "the exception was not caught"
echo "ok: C++ exception thrown and caught in the guest"

# 3. Its planted bug: replaying the input gives the guest crash report and a deadly signal.
printf '1,2,3,4,5' >"$tmp/crash.in"
rc=0
"$fg" -guest="$cxxguest" "$tmp/crash.in" >"$tmp/crash.log" 2>&1 || rc=$?
[ $rc != 0 ] || fail "the crash input did not fail"
grep -q '^==warmfork== guest crashed: SIG[A-Z]* at pc' "$tmp/crash.log" || fail "no guest crash report"
grep -q 'LLVMFuzzerTestOneInput' "$tmp/crash.log" || fail "the report has no guest backtrace"
grep -q 'ERROR: libFuzzer: deadly signal' "$tmp/crash.log" || fail "libFuzzer saw no crash"
echo "ok: C++ crash input: $(grep -m1 '^==warmfork== guest crashed' "$tmp/crash.log") (exit $rc)"
