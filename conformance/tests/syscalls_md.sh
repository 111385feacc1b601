#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# syscalls_md.sh: the docs/syscalls.md generator joins the cases and expected differences, and
# refuses names it does not know (so the table cannot drift from the sources).
# usage: syscalls_md.sh SYSCALLS_MD SOURCE_DIR
set -u
tool=$1 src=$2
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
fail=0
check() { # check WHAT CONDITION...
	what=$1
	shift
	if "$@"; then echo "ok: $what"; else echo "FAIL: $what"; fail=1; fi
}

# The real inputs: accepted; every case is listed, every entry's reason is shown.
"$tool" -o "$tmp/doc.md" --expected "$src/conformance/expected-differences" \
	--results "$tmp/none" "$src"/conformance/cases/*.c 2>"$tmp/err"
check "the tree's cases and expected differences are accepted" [ $? = 0 ]
cases=$(cat "$src"/conformance/cases/*.c | grep -c '^CONF_CASE(')
check "the summary counts all $cases cases" grep -q "has $cases cases" "$tmp/doc.md"
check "openat is emulated and exercised" grep -Eq '^\| 56 \| openat \| (supported|partial) \| fs \| [a-z]' "$tmp/doc.md"
check "an unemulated syscall is unsupported" grep -q '^| 0 | io_setup | unsupported (ENOSYS) |' "$tmp/doc.md"

# A case that names a syscall that does not exist.
printf 'CONF_CASE(bad, "read no_such_call")\n{\n}\n' >"$tmp/bogus.c"
"$tool" -o "$tmp/x.md" "$tmp/bogus.c" 2>"$tmp/err"
check "an unknown syscall name fails" [ $? = 1 ]
check "... and is named" grep -q 'not an arm64 syscall name: no_such_call' "$tmp/err"

# An expected difference for a case that does not exist, and one with no reason.
printf 'CONF_CASE(good, "read")\n{\n}\n' >"$tmp/one.c"
printf 'one.good read the reason\none.missing read why\none.good\n' >"$tmp/exp"
"$tool" -o "$tmp/x.md" --expected "$tmp/exp" "$tmp/one.c" 2>"$tmp/err"
check "an entry naming no case fails" grep -q 'names no case: one.missing' "$tmp/err"
check "an entry without a reason fails" grep -q 'needs ID SYSCALLS REASON' "$tmp/err"

# Statuses: blamed by an entry is partial; a failing result is marked.
printf 'one.good read the reason\n' >"$tmp/exp"
printf 'one.good FAIL\n' >"$tmp/res"
"$tool" -o "$tmp/x.md" --expected "$tmp/exp" --results "$tmp/res" "$tmp/one.c"
check "a blamed syscall is partial, a failed case marked" \
	grep -q '^| 63 | read | partial | io | one.good ✗ FAIL | one.good |' "$tmp/x.md"
printf 'one.good pass\n' >"$tmp/res"
"$tool" -o "$tmp/y.md" --expected "$tmp/exp" --results "$tmp/res" "$tmp/one.c"
"$tool" -o "$tmp/z.md" --expected "$tmp/exp" "$tmp/one.c"
check "a passing results file changes nothing" cmp -s "$tmp/y.md" "$tmp/z.md"
exit $fail
