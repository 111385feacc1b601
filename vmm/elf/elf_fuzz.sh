#!/bin/sh
# elf_fuzz.sh ELF_FUZZ TESTDATA SECONDS: a bounded elf_fuzz run from the malformed-ELF corpus.
# Any sanitizer report, crash, leak or timeout fails; prints the number of executions.
set -u
fz=$1 seeds=$2 secs=$3
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
mkdir "$t/corpus" "$t/art"
cp "$seeds"/* "$t/corpus/"
if ! "$fz" -seed=1 -max_total_time="$secs" -timeout=10 -print_final_stats=1 \
	-artifact_prefix="$t/art/" "$t/corpus" >"$t/log" 2>&1; then
	tail -40 "$t/log"
	echo "FAIL: elf_fuzz found a problem (artifact: $(ls "$t/art"))"
	exit 1
fi
n=$(sed -n 's/^stat::number_of_executed_units: *//p' "$t/log")
cov=$(grep -o 'cov: [0-9]*' "$t/log" | tail -1)
echo "elf_fuzz: $n executions in ${secs} s ($cov, $(ls "$t/corpus" | wc -l) corpus files), 0 crashes"
[ "${n:-0}" -gt 0 ]
