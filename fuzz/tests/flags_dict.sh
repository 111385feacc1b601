#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# flags_dict.sh: libFuzzer's -dict=FILE loads corpus/demo.dict and its entries drive fuzz_guest.
# usage: flags_dict.sh FUZZ_GUEST DICT   (in the ARM64 machine; FUZZ_GUEST embeds the demo)
set -u
fg=$1 dict=$2
. "$(dirname "$0")/lib.sh"
unset WARMFORK_GUEST

grep -q '^[A-Za-z0-9_]*="WFZ!"$' "$dict" || fail "$dict has no entry with the demo's magic"
n=$(grep -c '^[A-Za-z0-9_]*="' "$dict")

# The same seed and run budget from an empty corpus, with and without the dictionary: only
# with it is the bug found (the magic arrives whole as a dictionary entry, "DE:" in the
# mutation sequence of NEW/REDUCE lines); without it, neither (the guest has no comparison
# tracing for libFuzzer to learn "WFZ!" from).
runs=10000
mkdir "$tmp/d" "$tmp/dart" "$tmp/n" "$tmp/nart"
rc=0
"$fg" -dict="$dict" -seed=2 -runs=$runs -artifact_prefix="$tmp/dart/" "$tmp/d" >"$tmp/dict.log" 2>&1 || rc=$?
grep -q "^Dictionary: $n entries$" "$tmp/dict.log" || fail "libFuzzer did not load $n dictionary entries"
[ $rc != 0 ] || fail "with -dict: the demo bug was not found in $runs runs"
grep -q '^==warmfork== guest crashed: SIGSEGV at pc ' "$tmp/dict.log" || fail "with -dict: no guest crash report"
ls "$tmp"/dart/crash-* >/dev/null 2>&1 || fail "with -dict: no crash-* artifact"
de=$(grep -cE '^#[0-9]+[[:space:]]+(NEW|REDUCE) .* MS: .* DE: .*"WFZ!"' "$tmp/dict.log")
[ "$de" -gt 0 ] || fail "with -dict: no NEW/REDUCE line used the \"WFZ!\" entry"
found=$(grep -o '^#[0-9]*' "$tmp/dict.log" | tail -1)
rc=0
"$fg" -seed=2 -runs=$runs -artifact_prefix="$tmp/nart/" "$tmp/n" >"$tmp/nodict.log" 2>&1 || rc=$?
[ $rc = 0 ] || fail "without -dict: exit $rc (expected $runs clean runs)"
grep -q "^Done $runs runs" "$tmp/nodict.log" || fail "without -dict: not $runs runs"
grep -q '^Dictionary:' "$tmp/nodict.log" && fail "without -dict: a dictionary was loaded"
grep -q 'DE: .*"WFZ!"' "$tmp/nodict.log" && fail "without -dict: \"WFZ!\" came from a dictionary"
echo "ok: -dict=$(basename "$dict"): $n entries; -seed=2 finds the bug after ${found#\#} runs" \
	"($de NEW/REDUCE lines use \"WFZ!\"); without it, $runs runs find nothing"
grep -m2 'DE: .*"WFZ!"' "$tmp/dict.log" | cut -c1-140
