#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# native_fuzz.sh NAME FUZZER SECONDS [SEEDS]: a bounded run of a libFuzzer target of the VMM's
# own code (ASan + UBSan; natively, or syscall_fuzz_kvm in the ARM64 machine) from a copy of
# SEEDS. Any sanitizer report, crash, leak or timeout fails; prints "NAME: N executions ...
# 0 crashes" (ci/test shows that line).
set -u
name=$1 fz=$2 secs=$3 seeds=${4:-}
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
mkdir "$t/corpus" "$t/art"
[ -z "$seeds" ] || cp "$seeds"/* "$t/corpus/"
if ! "$fz" -seed=1 -max_total_time="$secs" -timeout=10 -print_final_stats=1 \
	-artifact_prefix="$t/art/" "$t/corpus" >"$t/log" 2>&1; then
	tail -40 "$t/log"
	echo "FAIL: $name found a problem (artifact: $(ls "$t/art"); input as base64 above)"
	exit 1
fi
n=$(sed -n 's/^stat::number_of_executed_units: *//p' "$t/log")
cov=$(grep -o 'cov: [0-9]*' "$t/log" | tail -1)
extra=$(sed -n "s/^INFO: $name: \\(.* ran\\)\$/, \\1/p" "$t/log" | tail -1)
echo "$name: $n executions in ${secs} s ($cov$extra), 0 crashes"
[ "${n:-0}" -gt 0 ]
