#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# smoke.sh: fuzz_guest on a blind guest, another target via -guest=, exit, hang and OOM ends.
# usage: smoke.sh FUZZ_GUEST DEMO_GCC SMOKE_CLANG   (in the ARM64 machine)
set -u
fg=$1 blind=$2 smoke=$3
. "$(dirname "$0")/lib.sh"

# 1. A gcc-built guest has no counters: a warning, then it still fuzzes (one "returned" counter).
"$fg" -guest="$blind" -seed=1 -runs=50 >"$tmp/blind.log" 2>&1 || fail "blind run failed"
grep -q '^==warmfork== no coverage in .*: fuzzing blind' "$tmp/blind.log" || fail "no blind warning"
grep -q '^Done 50 runs' "$tmp/blind.log" || fail "blind run did not do 50 runs"
grep -q 'WARNING: unrecognized flag' "$tmp/blind.log" && fail "libFuzzer saw -guest="
echo "ok: blind guest: $(grep -m1 '^==warmfork== no coverage' "$tmp/blind.log" | cut -c1-60)..., 50 runs"

# 2. Another target through -guest= (and WARMFORK_GUEST): coverage, libc and heap work.
mkdir "$tmp/corpus"
"$fg" -guest="$smoke" -seed=2 -runs=50 "$tmp/corpus" >"$tmp/smoke.log" 2>&1 || fail "smoke run failed"
grep -q '^Done 50 runs' "$tmp/smoke.log" || fail "smoke run did not do 50 runs"
grep -q "INFO: warmfork: $smoke: [1-9][0-9]* guest counters," "$tmp/smoke.log" || fail "no counters"
[ "$(ls "$tmp/corpus" | wc -l)" -gt 0 ] || fail "no corpus entries from coverage"
WARMFORK_GUEST=$smoke "$fg" -seed=2 -runs=50 >"$tmp/env.log" 2>&1 || fail "WARMFORK_GUEST run failed"
grep -q "INFO: warmfork: $smoke:" "$tmp/env.log" || fail "WARMFORK_GUEST was not used"
echo "ok: -guest= and WARMFORK_GUEST: 50 runs, $(ls "$tmp/corpus" | wc -l) corpus entries"
"$fg" -guest="$smoke" -seed=2 -runs=20 -print_pcs=1 -print_coverage=1 >"$tmp/pcs.log" 2>&1 ||
	fail "-print_pcs run failed"
grep -q 'NEW_PC: 0x[0-9a-f]* in LLVMFuzzerTestOneInput .*/smoke_target.c:[0-9]' "$tmp/pcs.log" ||
	fail "-print_pcs does not name guest code"
grep -q '^COVERED_FUNC: .* LLVMFuzzerTestOneInput .*/smoke_target.c:' "$tmp/pcs.log" ||
	fail "-print_coverage does not name guest code"
echo "ok: -print_pcs/-print_coverage describe guest PCs: $(grep -m1 NEW_PC "$tmp/pcs.log" | sed 's/^[[:space:]]*//')"

# 3. A guest exit() is what libFuzzer makes of a native one: "fuzz target exited", crash-*.
printf 'EXIT' >"$tmp/exit.in"
rc=0
"$fg" -guest="$smoke" "$tmp/exit.in" >"$tmp/exit.log" 2>&1 || rc=$?
[ $rc != 0 ] || fail "guest exit was not an error"
grep -q '^==warmfork== guest exited with status 3' "$tmp/exit.log" || fail "no exit report"
grep -q 'ERROR: libFuzzer: fuzz target exited' "$tmp/exit.log" || fail "libFuzzer missed the exit"
echo "ok: guest exit(3) -> libFuzzer 'fuzz target exited' (exit $rc)"

# 4. A hang: libFuzzer's own -timeout fires (its SIGALRM interrupts KVM_RUN): timeout-*.
printf 'HANG' >"$tmp/corpus/hang"
rc=0
"$fg" -guest="$smoke" -timeout=2 -runs=10 -artifact_prefix="$tmp/" "$tmp/corpus" \
	>"$tmp/hang.log" 2>&1 || rc=$?
grep -q 'ALARM: working on the last Unit for' "$tmp/hang.log" || fail "libFuzzer's timeout did not fire"
ls "$tmp"/timeout-* >/dev/null 2>&1 || fail "no timeout-* artifact"
echo "ok: hang -> libFuzzer timeout after -timeout=2 (exit $rc)"

# 5. WARMFORK_TIMEOUT: the VMM's own vmcall limit, reported as a guest crash.
rc=0
WARMFORK_TIMEOUT=0.5 "$fg" -guest="$smoke" "$tmp/corpus/hang" >"$tmp/vmto.log" 2>&1 || rc=$?
grep -q '^==warmfork== guest timeout: timeout after 0.5 s' "$tmp/vmto.log" || fail "no vmcall timeout"
echo "ok: WARMFORK_TIMEOUT=0.5 -> guest timeout report (exit $rc)"

# 6. Guest memory exhausted: libFuzzer's own out-of-memory report and an oom-* artifact
# (not crash-*), as for a native target over -malloc_limit_mb.
mkdir "$tmp/oom"
printf 'OOM!' >"$tmp/oom/in"
rc=0
"$fg" -guest="$smoke" -runs=10 -artifact_prefix="$tmp/oom/" "$tmp/oom" >"$tmp/oom.log" 2>&1 || rc=$?
grep -q '^==warmfork== guest out of memory: out of guest memory, then killed by SIGABRT' \
	"$tmp/oom.log" || fail "no guest OOM report"
grep -q 'ERROR: libFuzzer: out-of-memory (malloc(2147483648))' "$tmp/oom.log" ||
	fail "libFuzzer did not report an out-of-memory"
grep -q '^SUMMARY: libFuzzer: out-of-memory' "$tmp/oom.log" || fail "no OOM summary"
ls "$tmp"/oom/oom-* >/dev/null 2>&1 || fail "no oom-* artifact"
ls "$tmp"/oom/crash-* >/dev/null 2>&1 && fail "an OOM left a crash-* artifact"
[ $rc = 71 ] || fail "exit status $rc, not libFuzzer's OOM status 71"
# -malloc_limit_mb=0 -rss_limit_mb=0 turn libFuzzer's OOM reports off: then it is a crash.
rc=0
"$fg" -guest="$smoke" -rss_limit_mb=0 -artifact_prefix="$tmp/oom/off-" "$tmp/oom/in" \
	>"$tmp/oomoff.log" 2>&1 || rc=$?
grep -q 'ERROR: libFuzzer: out-of-memory' "$tmp/oomoff.log" && fail "OOM reported with limits off"
grep -q '^==warmfork== ERROR: guest out-of-memory' "$tmp/oomoff.log" || fail "no OOM line (off)"
echo "ok: guest out of memory -> libFuzzer out-of-memory, $(ls "$tmp"/oom | grep -c '^oom-') oom-* (exit $rc)"
