#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# flags_merge.sh: libFuzzer's -merge=1 and -minimize_crash=1 work on fuzz_guest as on any target.
# usage: flags_merge.sh FUZZ_GUEST DEMO_GUEST CORPUS_DIR   (in the ARM64 machine)
set -u
fg=$1 demo=$2 corpus=$3
. "$(dirname "$0")/lib.sh"
unset WARMFORK_GUEST # the inner processes must get the guest from fuzz_guest's -guest=

# The demo guest is passed as a file: its path in an inner process's "INFO: warmfork:" line
# shows that -guest= reached it (without it, the embedded demo would run, under another name).

# "cov: C ft: F" of the INITED line of a -runs=0 pass over the given dirs.
initcov() {
	log=$1
	shift
	"$fg" -guest="$demo" -runs=0 "$@" >"$log" 2>&1 || fail "-runs=0 over $* failed"
	sed -n 's/^#[0-9]*[[:space:]]*INITED \(cov: [0-9]* ft: [0-9]*\) .*/\1/p' "$log"
}

# 1. -merge=1 OUT IN...: IN is a fuzzed corpus, the seeds again (same contents: redundant) and
# one crashing input. The inner process dies on the crash and is restarted past it; OUT gets
# a strict subset of the (non-crashing) inputs with the same coverage and features.
mkdir "$tmp/gen" "$tmp/dup" "$tmp/bad" "$tmp/out" "$tmp/mart"
cp "$corpus"/* "$tmp/gen/"
cp "$corpus"/* "$tmp/dup/"
"$fg" -guest="$demo" -seed=1 -runs=2000 "$tmp/gen" >"$tmp/gen.log" 2>&1 || fail "making a corpus failed"
printf 'WFZ!\002N\100\000crash' >"$tmp/bad/crash"
nin=$(($(ls "$tmp/gen" | wc -l) + $(ls "$tmp/dup" | wc -l)))
"$fg" -guest="$demo" -merge=1 -artifact_prefix="$tmp/mart/" "$tmp/out" "$tmp/gen" "$tmp/dup" "$tmp/bad" \
	>"$tmp/merge.log" 2>&1 || fail "-merge=1 failed"
grep -q '^MERGE-OUTER: successful in 2 attempt(s)' "$tmp/merge.log" ||
	fail "-merge=1: expected 2 attempts (the inner process crashing once on bad/crash)"
sed -n '/^MERGE-OUTER: attempt 1/,$p' "$tmp/merge.log" >"$tmp/inner.txt"
[ "$(grep -c "^INFO: warmfork: $demo: [1-9][0-9]* guest counters," "$tmp/inner.txt")" -ge 2 ] ||
	fail "-merge=1: the inner processes did not run the -guest= file"
grep -q '^==warmfork== guest crashed: SIGSEGV' "$tmp/inner.txt" || fail "-merge=1: the inner crash was not a guest crash"
cmp -s "$tmp"/mart/crash-* "$tmp/bad/crash" || fail "-merge=1: the inner crash left no crash-* of bad/crash"
nout=$(ls "$tmp/out" | wc -l)
[ "$nout" -gt 0 ] || fail "-merge=1: OUT is empty"
[ "$nout" -lt "$nin" ] || fail "-merge=1: OUT has $nout files, not fewer than the $nin inputs"
for o in "$tmp"/out/*; do
	cmp -s "$o" "$tmp/bad/crash" && fail "-merge=1: the crashing input is in OUT"
	found=0
	for i in "$tmp"/gen/* "$tmp"/dup/*; do
		cmp -s "$o" "$i" && { found=1; break; }
	done
	[ $found = 1 ] || fail "-merge=1: $(basename "$o") in OUT is none of the inputs"
done
sed -n 's/^MERGE-OUTER: \([0-9]*\) new files with [0-9]* new features added; \([0-9]*\) new coverage edges$/\1 \2/p' \
	"$tmp/merge.log" >"$tmp/summary.txt"
read -r mfiles medges <"$tmp/summary.txt" || fail "-merge=1: no MERGE-OUTER summary"
[ "$mfiles" = "$nout" ] || fail "-merge=1 says $mfiles new files, OUT has $nout"
cin=$(initcov "$tmp/cin.log" "$tmp/gen" "$tmp/dup")
cout=$(initcov "$tmp/cout.log" "$tmp/out")
[ -n "$cin" ] || fail "no INITED line over the inputs"
[ "$cin" = "$cout" ] || fail "-merge=1: OUT has '$cout', the inputs '$cin'"
[ "$cout" != "${cout#cov: $medges }" ] || fail "-merge=1 says $medges edges, OUT replays to '$cout'"
echo "ok: -merge=1: $nin inputs + 1 crashing -> $nout files in OUT (a subset), $cout as the inputs"

# 2. -minimize_crash=1 -runs=N on a padded demo crash: libFuzzer re-runs fuzz_guest, writes
# minimized-from-* artifacts, each shorter; the last one still crashes at the same guest PC
# with the same guest backtrace (the fault address is the record length, so it may change).
mkdir "$tmp/min"
printf 'WFZ!\002V\020\000abcdefghijklmnopN\100\000hello, this is a long name' >"$tmp/crash.in"
size0=$(wc -c <"$tmp/crash.in")
report() { # the guest crash line without its fault address, and the guest frames
	sed -n '/^==warmfork== guest crashed/,/^[^ ]/p' "$1" | grep -E '^(==warmfork==|    #)' |
		sed 's/^\(==warmfork== guest crashed: SIG[A-Z]* at pc 0x[0-9a-f]*\).*/\1/'
}
rc=0
"$fg" -guest="$demo" "$tmp/crash.in" >"$tmp/orig.log" 2>&1 || rc=$?
[ $rc != 0 ] || fail "the hand-made crash input does not crash"
report "$tmp/orig.log" >"$tmp/orig.txt"
grep -q 'in parse_name' "$tmp/orig.txt" || fail "the hand-made crash is not in parse_name"
"$fg" -guest="$demo" -minimize_crash=1 -seed=1 -runs=2000 -artifact_prefix="$tmp/min/" "$tmp/crash.in" \
	>"$tmp/minimize.log" 2>&1 || fail "-minimize_crash=1 failed"
grep -q '^CRASH_MIN: executing: .*-guest=' "$tmp/minimize.log" && fail "-guest= in an inner command line"
sed -n '/^CRASH_MIN: executing: /,$p' "$tmp/minimize.log" >"$tmp/inner-min.txt"
grep -q "^INFO: warmfork: $demo: [1-9][0-9]* guest counters," "$tmp/inner-min.txt" ||
	fail "-minimize_crash=1: the inner processes did not run the -guest= file"
grep -qE '^(CRASH_MIN: failed to minimize beyond |INFO: The input is small enough, exiting)' "$tmp/minimize.log" ||
	fail "-minimize_crash=1 did not finish"
last=$(sed -n "s/^CRASH_MIN: minimizing crash input: '\(.*\)' ([0-9]* bytes)$/\1/p" "$tmp/minimize.log" | tail -1)
case $last in
"$tmp"/min/minimized-from-*) ;;
*) fail "-minimize_crash=1 wrote no minimized-from-* (last input: $last)" ;;
esac
[ -f "$last" ] || fail "$last does not exist"
for f in "$tmp"/min/*; do
	[ "$(wc -c <"$f")" -le "$size0" ] || fail "$(basename "$f") is longer than the original"
done
size1=$(wc -c <"$last")
[ "$size1" -lt "$size0" ] || fail "-minimize_crash=1 did not shorten the input ($size1 bytes)"
rc=0
"$fg" -guest="$demo" "$last" >"$tmp/min.log" 2>&1 || rc=$?
[ $rc != 0 ] || fail "the minimized input does not crash"
report "$tmp/min.log" >"$tmp/min.txt"
cmp -s "$tmp/orig.txt" "$tmp/min.txt" || { diff "$tmp/orig.txt" "$tmp/min.txt"; fail "the minimized crash differs"; }
echo "ok: -minimize_crash=1: $size0 -> $size1 bytes in $(ls "$tmp/min" | wc -l) steps," \
	"same guest crash: $(head -1 "$tmp/min.txt")"
od -A d -c "$last" | head -2
