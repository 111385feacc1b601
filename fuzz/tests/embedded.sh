#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# embedded.sh: fuzz_<name> binaries from warmfork_add_fuzz_target() fuzz their own guest, no -guest=.
# usage: embedded.sh FUZZ_DEMO FUZZ_CXX   (in the ARM64 machine)
set -u
. "$(dirname "$0")/lib.sh"

for fz in "$@"; do
	n=$(basename "$fz")
	name=${n#fuzz_}
	(unset WARMFORK_GUEST; "$fz" -seed=1 -runs=100) >"$tmp/$n.log" 2>&1 || fail "$n: fuzzing failed"
	grep -q '^Done 100 runs' "$tmp/$n.log" || fail "$n: did not do 100 runs"
	grep -q "INFO: warmfork: the embedded $name guest: [1-9][0-9]* guest counters," "$tmp/$n.log" ||
		fail "$n: its embedded guest was not used or has no counters"
	echo "ok: $n: 100 runs on the embedded $name guest"
done

# The embedded C++ guest crashes as its out-of-tree build does.
printf '1,2,3,4,5' >"$tmp/crash.in"
rc=0
"$2" "$tmp/crash.in" >"$tmp/crash.log" 2>&1 || rc=$?
grep -q '^==warmfork== guest crashed: SIG[A-Z]* at pc' "$tmp/crash.log" || fail "no guest crash report"
echo "ok: $(basename "$2") replays the crash input: exit $rc"
