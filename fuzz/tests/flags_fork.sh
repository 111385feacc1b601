#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# flags_fork.sh: libFuzzer's -fork=N and -jobs=N -workers=N run fuzz_guest children on the -guest= guest.
# usage: flags_fork.sh FUZZ_GUEST DEMO_GUEST SMOKE_GUEST CORPUS_DIR   (in the ARM64 machine)
set -u
fg=$1 demo=$2 smoke=$3 corpus=$4
. "$(dirname "$0")/lib.sh"
# The children must get the guest from the WARMFORK_GUEST that fuzz_guest sets from -guest=
# (libFuzzer does not pass -guest= on: fuzz_guest takes it out of argv), not from outside.
unset WARMFORK_GUEST

# 1. -fork=2 on the demo as a guest file (not fuzz_guest's embedded copy): the child jobs fuzz
# that file, grow the corpus and find the planted bug; the parent prints the crashing job's
# log and exits with its status. Bounded by -max_total_time and -runs.
mkdir "$tmp/corpus" "$tmp/art"
cp "$corpus"/* "$tmp/corpus/"
nseeds=$(ls "$tmp/corpus" | wc -l)
rc=0
"$fg" -guest="$demo" -fork=2 -seed=1 -max_total_time=90 -runs=1000000 -verbosity=2 \
	-artifact_prefix="$tmp/art/" "$tmp/corpus" >"$tmp/fork.log" 2>&1 || rc=$?
[ $rc != 0 ] || fail "-fork=2: the demo bug was not found in 90 s"
grep -q '^INFO: -fork=2: fuzzing in separate process(s)' "$tmp/fork.log" || fail "-fork=2 did not fork"
jobs=$(grep -c '^Job [0-9]*/0x[0-9a-f]* Created: ' "$tmp/fork.log")
[ "$jobs" -ge 2 ] || fail "-fork=2 started $jobs child jobs, not 2 or more"
grep -q '^Job [0-9]*/.* Created: .*-guest=' "$tmp/fork.log" &&
	fail "a child's command line has -guest= (expected only WARMFORK_GUEST to carry it)"
grep -q '^#[0-9]*: cov: [1-9][0-9]* ft: [1-9][0-9]* corp: [0-9]* ' "$tmp/fork.log" ||
	fail "the parent merged no coverage from its jobs"
sed -n '/^INFO: log from the inner process:/,$p' "$tmp/fork.log" >"$tmp/inner.txt"
[ -s "$tmp/inner.txt" ] || fail "-fork=2: no log from the crashing child"
grep -q "^INFO: warmfork: $demo: [1-9][0-9]* guest counters," "$tmp/inner.txt" ||
	fail "the crashing child did not run the -guest= file ($demo)"
grep -q '^==warmfork== guest crashed: SIGSEGV at pc ' "$tmp/inner.txt" || fail "no guest crash report in the child's log"
grep -q ' in parse_name' "$tmp/inner.txt" || fail "the child's crash is not in parse_name"
n=$(ls "$tmp/corpus" | wc -l)
[ "$n" -gt "$nseeds" ] || fail "-fork=2: the corpus did not grow ($n files, $nseeds seeds)"
set -- "$tmp"/art/crash-*
[ -f "$1" ] || fail "-fork=2: no crash-* artifact in -artifact_prefix"
crash=$1
rc=0
"$fg" -guest="$demo" "$crash" >"$tmp/replay.log" 2>&1 || rc=$?
[ $rc != 0 ] || fail "the -fork artifact $crash does not crash when replayed"
grep -q '^==warmfork== guest crashed: SIGSEGV at pc ' "$tmp/replay.log" || fail "the replay has no guest crash report"
echo "ok: -fork=2 -guest=demo file: $jobs jobs, corpus $nseeds -> $n files, child log names $demo," \
	"$(basename "$crash") replays (exit $rc)"
grep -E '^(#[0-9]+: cov|Job [0-9]+/)' "$tmp/fork.log" | cut -c1-110 | head -6
grep -m1 '^==warmfork== guest crashed' "$tmp/inner.txt"

# 2. -fork=2 on another target (the smoke guest) from an empty corpus, ended by
# -max_total_time: the jobs' new inputs land in the corpus, and replayed on that guest they
# cover at least what the parent reported. libFuzzer deletes a job's log once it has merged
# the job, so a background loop copies the logs from the parent's temporary dir (TMPDIR) while
# the jobs run (each runs >= 1 s): each must show the smoke guest.
mkdir "$tmp/smoke" "$tmp/ftmp" "$tmp/jlogs"
(
	while :; do
		for f in "$tmp"/ftmp/libFuzzerTemp.FuzzWithFork*.dir/[0-9]*.log; do
			[ -f "$f" ] && cp "$f" "$tmp/jlogs/" 2>/dev/null
		done
		sleep 0.2 2>/dev/null || sleep 1
	done
) &
poller=$!
rc=0
TMPDIR=$tmp/ftmp "$fg" -guest="$smoke" -fork=2 -seed=1 -max_total_time=8 -runs=10000000 \
	-artifact_prefix="$tmp/" "$tmp/smoke" \
	>"$tmp/smokefork.log" 2>&1 || rc=$?
kill $poller
wait $poller 2>/dev/null
[ $rc = 0 ] || fail "-fork=2 on the smoke guest failed (exit $rc)"
grep -q '^INFO: fuzzed for [0-9]* seconds, wrapping up soon' "$tmp/smokefork.log" ||
	fail "-fork=2 -max_total_time=8 was not ended by its time limit"
[ "$(grep -c '^#[0-9]*: cov: ' "$tmp/smokefork.log")" -ge 2 ] || fail "-fork=2: fewer than 2 jobs merged"
cov=$(sed -n 's/^#[0-9]*: cov: \([0-9]*\) .*/\1/p' "$tmp/smokefork.log" | tail -1)
[ "$cov" -gt 0 ] || fail "-fork=2 on the smoke guest: the parent reports no coverage"
n=$(ls "$tmp/smoke" | wc -l)
[ "$n" -gt 0 ] || fail "-fork=2 on the smoke guest: the corpus stayed empty"
"$fg" -guest="$smoke" -runs=0 "$tmp/smoke" >"$tmp/smokereplay.log" 2>&1 || fail "replaying the smoke corpus failed"
rcov=$(sed -n 's/^#[0-9]*[[:space:]]*INITED cov: \([0-9]*\) .*/\1/p' "$tmp/smokereplay.log")
[ -n "$rcov" ] && [ "$rcov" -ge "$cov" ] ||
	fail "the -fork corpus replays on the smoke guest to cov ${rcov:-?} < the parent's $cov"
nlogs=$(ls "$tmp/jlogs" | wc -l)
[ "$nlogs" -gt 0 ] || fail "no job log could be copied while the jobs ran"
for f in "$tmp"/jlogs/*; do
	grep -q "^INFO: warmfork: $smoke: [1-9][0-9]* guest counters," "$f" ||
		{ cat "$f"; fail "job log $(basename "$f") does not show the -guest= guest"; }
done
echo "ok: -fork=2 -guest=smoke: $nlogs job logs seen, each on $smoke; corpus 0 -> $n files," \
	"cov $cov (replayed: $rcov)"

# 3. -jobs=2 -workers=2: each job is a whole fuzz_guest run with its own fuzz-N.log in the
# working directory, on the -guest= guest, doing its -runs.
mkdir "$tmp/jobs"
(cd "$tmp/jobs" && "$fg" -guest="$smoke" -jobs=2 -workers=2 -seed=1 -runs=300) >"$tmp/jobs.log" 2>&1 ||
	fail "-jobs=2 -workers=2 failed"
[ "$(grep -c "^$fg .*>fuzz-[0-9]*\\.log 2>&1\$" "$tmp/jobs.log")" = 2 ] ||
	fail "the parent did not start 2 job commands"
grep "^$fg .*>fuzz-[0-9]*\\.log" "$tmp/jobs.log" | grep -c -- '-guest=' >/dev/null &&
	fail "a job's command line has -guest="
[ "$(ls "$tmp/jobs" | grep -c '^fuzz-[0-9]*\.log$')" = 2 ] || fail "not 2 fuzz-N.log files: $(ls "$tmp/jobs")"
for j in 0 1; do
	f=$tmp/jobs/fuzz-$j.log
	[ -f "$f" ] || fail "no fuzz-$j.log"
	grep -q "^INFO: warmfork: $smoke: [1-9][0-9]* guest counters," "$f" ||
		{ tail -20 "$f"; fail "fuzz-$j.log: the job did not run the -guest= guest"; }
	grep -q '^Done 300 runs' "$f" || { tail -20 "$f"; fail "fuzz-$j.log: no 'Done 300 runs'"; }
done
echo "ok: -jobs=2 -workers=2: fuzz-0.log and fuzz-1.log each ran $smoke and did 300 runs"
