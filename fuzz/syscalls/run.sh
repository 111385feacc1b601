#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# run.sh: a bounded fuzz_syscalls run from the seeds; any native/warmfork divergence fails it.
# usage: run.sh FUZZ_SYSCALLS SEED_DIR RUNS   (in the ARM64 machine)
set -u
fz=$1 seeds=$2 runs=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/corpus" "$tmp/art"
cp "$seeds"/* "$tmp/corpus/"
rc=0
"$fz" -seed=1 -runs="$runs" -max_total_time=100 -max_len=128 -artifact_prefix="$tmp/art/" \
	-print_final_stats=1 "$tmp/corpus" >"$tmp/log" 2>&1 || rc=$?
grep -E '^(INFO: fuzz_syscalls|#[0-9]+ +(INITED|DONE))|^stat::number_of_executed_units' "$tmp/log"
if [ $rc != 0 ] || ls "$tmp"/art/* >/dev/null 2>&1; then
	echo "FAIL: fuzz_syscalls exited $rc"
	sed -n '/==warmfork==/,$p' "$tmp/log" | head -60
	exit 1
fi
n=$(sed -n 's/^stat::number_of_executed_units: *//p' "$tmp/log")
[ "${n:-0}" -ge 100 ] || { echo "FAIL: only ${n:-0} sequences ran"; tail -20 "$tmp/log"; exit 1; }
echo "ok: $n syscall sequences, native Linux and warmfork agree on every result"
