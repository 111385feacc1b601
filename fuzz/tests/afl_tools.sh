#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# afl_tools.sh: AFL++'s tools on afl_guest: afl-showmap (identical, non-empty maps), afl-tmin
# (a smaller input that still crashes), afl-cmin, and -M/-S instances syncing one output dir.
# usage: afl_tools.sh AFL_GUEST CORPUS_DIR SECONDS   (in the ARM64 machine)
set -u
ag=$1 corpus=$2 secs=$3
. "$(dirname "$0")/lib.sh"

# 1. afl-showmap: the same input twice gives the same map, with guest edges in it.
seed=$corpus/name-values
afl-showmap -q -o "$tmp/map1" -- "$ag" <"$seed" >"$tmp/showmap1.log" 2>&1 || fail "afl-showmap failed"
afl-showmap -q -o "$tmp/map2" -- "$ag" <"$seed" >"$tmp/showmap2.log" 2>&1 || fail "afl-showmap failed"
[ -s "$tmp/map1" ] || fail "afl-showmap wrote an empty map"
cmp -s "$tmp/map1" "$tmp/map2" || fail "two afl-showmap runs on the same input differ"
n=$(wc -l <"$tmp/map1")
[ "$n" -ge 5 ] || fail "only $n edges for a seed that walks the demo parser"
# A different input reaches other edges.
printf 'WFZ!' >"$tmp/short"
afl-showmap -q -o "$tmp/map3" -- "$ag" <"$tmp/short" >"$tmp/showmap3.log" 2>&1 || fail "afl-showmap failed"
cmp -s "$tmp/map1" "$tmp/map3" && fail "a different input gave the same map"
echo "ok: afl-showmap: $n edges, identical over two runs"

# 2. afl-tmin shrinks a crashing input to one that still crashes the same way.
printf 'WFZ!\002N\020\000abcdefghijklmnopqrstuvwxyzV\003\000xyzE\000\000' >"$tmp/crash"
rc=0
"$ag" <"$tmp/crash" >"$tmp/crash.log" 2>&1 || rc=$?
[ $rc = 139 ] || fail "the planted crash exited $rc, want 139"
afl-tmin -i "$tmp/crash" -o "$tmp/min" -- "$ag" >"$tmp/tmin.log" 2>&1 || fail "afl-tmin failed"
grep -q 'Program exits with a signal, minimizing in' "$tmp/tmin.log" || fail "afl-tmin did not see a crash"
a=$(wc -c <"$tmp/crash") b=$(wc -c <"$tmp/min")
[ "$b" -lt "$a" ] || fail "afl-tmin left $b of $a bytes"
rc=0
"$ag" <"$tmp/min" >"$tmp/min.log" 2>&1 || rc=$?
[ $rc = 139 ] || fail "the minimised input exited $rc, want 139"
grep -q '^DEDUP_TOKEN: parse_name--parse--LLVMFuzzerTestOneInput' "$tmp/min.log" ||
	fail "the minimised input crashes elsewhere"
echo "ok: afl-tmin: $a -> $b bytes, still the demo's SIGSEGV"

# 3. afl-cmin keeps a smaller set with the same coverage (duplicates go).
mkdir "$tmp/dup"
for f in "$corpus"/*; do
	cp "$f" "$tmp/dup/"
	cp "$f" "$tmp/dup/copy-$(basename "$f")"
done
# afl-cmin refuses /tmp (a shared directory) unless told; $tmp is this test's own mktemp -d.
AFL_ALLOW_TMP=1 afl-cmin -i "$tmp/dup" -o "$tmp/cmin" -- "$ag" >"$tmp/cmin.log" 2>&1 ||
	fail "afl-cmin failed"
k=$(ls "$tmp/cmin" | wc -l) all=$(ls "$tmp/dup" | wc -l)
[ "$k" -ge 1 ] && [ "$k" -le $((all / 2)) ] || fail "afl-cmin kept $k of $all inputs"
echo "ok: afl-cmin: kept $k of $all"

# 4. A main and a secondary instance share one output directory and sync.
mkdir "$tmp/in"
cp "$corpus"/* "$tmp/in/"
AFL_NO_UI=1 AFL_IMPORT_FIRST=1 afl-fuzz -M main -i "$tmp/in" -o "$tmp/sync" -V "$secs" -t 5000 \
	-- "$ag" >"$tmp/main.log" 2>&1 &
m=$!
AFL_NO_UI=1 AFL_IMPORT_FIRST=1 afl-fuzz -S sec1 -i "$tmp/in" -o "$tmp/sync" -V "$secs" -t 5000 \
	-- "$ag" >"$tmp/sec1.log" 2>&1 &
s=$!
wait $m || fail "afl-fuzz -M failed"
wait $s || fail "afl-fuzz -S failed"
for i in main sec1; do
	[ -f "$tmp/sync/$i/fuzzer_stats" ] || fail "no fuzzer_stats for $i"
	e=$(sed -n 's/^execs_done *: //p' "$tmp/sync/$i/fuzzer_stats")
	[ "${e:-0}" -gt 0 ] || fail "$i ran no inputs"
done
[ -f "$tmp/sync/sec1/.synced/main" ] || [ -f "$tmp/sync/main/.synced/sec1" ] ||
	fail "neither instance synced from the other"
echo "ok: -M main and -S sec1 ran and synced:" $(cd "$tmp/sync" && ls -d */.synced/*)
