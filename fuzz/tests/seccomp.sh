#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# seccomp.sh: warmfork run, fuzz_guest and afl_guest run under the VMM's seccomp filter by
# default (/proc/PID/status "Seccomp: 2" while the guest runs) and without it when asked
# (--no-seccomp, WARMFORK_SECCOMP=0); AFL++'s fork server itself stays unfiltered.
# usage: seccomp.sh WARMFORK SPIN_GUEST FUZZ_GUEST AFL_GUEST CORPUS_DIR   (in the ARM64 machine)
set -u
wf=$1 spin=$2 fg=$3 ag=$4 corpus=$5
. "$(dirname "$0")/lib.sh"
mode_of() { sed -n 's/^Seccomp:[[:space:]]*//p' "/proc/$1/status" 2>/dev/null; }

# wait_mode PID WANT: poll PID's filter mode for up to 10 s (a loaded machine is slow to
# start a VM) until it is WANT; print the last mode seen.
wait_mode() {
	i=0
	while :; do
		m=$(mode_of "$1")
		[ "$m" = "$2" ] || [ $i -ge 20 ] && break
		sleep 0.5
		i=$((i + 1))
	done
	echo "$m"
}

# warmfork run: the guest spins until --timeout; look at the VMM meanwhile (its filter is on
# before the guest's first instruction, so 2 s in it is settled either way).
run_mode() { # run_mode [OPTION...]: the filter mode of warmfork run while its guest spins
	"$wf" run "$@" --timeout 25 "$spin" spin >"$tmp/run.log" 2>&1 &
	pid=$!
	sleep 2
	m=$(wait_mode $pid 2)
	kill $pid
	wait $pid
	echo "$m"
}
m=$(run_mode) || exit 1
[ "$m" = 2 ] || fail "warmfork run: Seccomp '$m', want 2"
m=$(run_mode --no-seccomp) || exit 1
[ "$m" = 0 ] || fail "warmfork run --no-seccomp: Seccomp '$m', want 0"
echo "ok: warmfork run filtered, --no-seccomp not"

# fuzz_guest: one input, run over and over (libFuzzer's -runs with a file). Each run has its
# own log, so nothing a run left behind can be mistaken for the next one's.
fuzz_mode() { # fuzz_mode LOG [VAR=VAL]: the filter mode of fuzz_guest while it runs inputs
	log=$tmp/$1.log
	shift
	env "$@" "$fg" -runs=100000000 "$corpus/values" >"$log" 2>&1 &
	pid=$!
	i=0
	until grep -q 'Running: ' "$log" || [ $i -ge 120 ]; do
		kill -0 $pid 2>/dev/null || break
		sleep 0.5
		i=$((i + 1))
	done
	if ! grep -q 'Running: ' "$log"; then
		kill $pid 2>/dev/null
		wait $pid
		echo "no input run (fuzz_guest $* exited $? after ${i} half-seconds)"
		return
	fi
	sleep 1
	m=$(wait_mode $pid 2)
	kill $pid
	wait $pid
	echo "$m"
}
m=$(fuzz_mode fuzz-on WARMFORK_SECCOMP=1) || exit 1
[ "$m" = 2 ] || fail "fuzz_guest: Seccomp '$m', want 2"
m=$(fuzz_mode fuzz-off WARMFORK_SECCOMP=0) || exit 1
[ "$m" = 0 ] || fail "fuzz_guest WARMFORK_SECCOMP=0: Seccomp '$m', want 0"
echo "ok: fuzz_guest filtered, WARMFORK_SECCOMP=0 not"

# afl_guest under afl-fuzz: the fork server (which forks) unfiltered, its child filtered.
if command -v afl-fuzz >/dev/null; then
	mkdir "$tmp/in"
	cp "$corpus"/* "$tmp/in/"
	AFL_NO_UI=1 afl-fuzz -s 1 -i "$tmp/in" -o "$tmp/out" -V 12 -t 5000 -- "$ag" \
		>"$tmp/afl.log" 2>&1 &
	apid=$!
	modes=
	for i in 1 2 3 4 5 6 7 8 9 10; do
		sleep 1
		modes=
		for p in /proc/[0-9]*; do
			[ "$(cat "$p/comm" 2>/dev/null)" = afl_guest ] &&
				modes="$modes $(mode_of "${p#/proc/}")"
		done
		case "$modes" in *0*2* | *2*0*) break ;; esac
	done
	wait $apid || fail "afl-fuzz failed"
	case "$modes" in
	*0*2* | *2*0*) echo "ok: afl_guest fork server unfiltered, its child filtered ($modes)" ;;
	*) fail "afl_guest processes' Seccomp modes:$modes (want a 0 and a 2)" ;;
	esac
fi
echo "seccomp: all ok"
