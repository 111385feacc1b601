#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# compare.sh: run programs natively and under `warmfork run`, and compare what they print.
#
# usage: compare.sh [--native-only] [--keep DIR] [-v NAME=VALUE]... WARMFORK CASEFILE...
#
# Runs on the ARM64 machine (busybox sh and busybox tools only), normally as ONE ci/arm64-run
# call per case file group, e.g.
#   ci/arm64-run sh guests/compare.sh -v G=build/arm64/guests build/arm64/vmm/warmfork \
#       guests/cases/basic.cases
#
# WARMFORK      the CLI binary; each sandboxed run is `WARMFORK run [OPTS] -- PROG ARGS...`
#               (ignored with --native-only; pass "-").
# CASEFILE      a shell fragment sourced by this script; it calls the two functions below.
#               Variables it can use: $SRC (this guests/ directory), $FIX (busybox fixtures),
#               $WORK (an empty scratch directory for generated inputs), and whatever -v sets
#               (the CMake tests set G to the directory holding the built guests).
# --native-only run each compare case natively twice instead (proves the guests deterministic
#               and meeting their expectations without a VMM); skip warmfork-only cases.
# --keep DIR    keep every case's raw and normalised outputs under DIR.
# Environment:  WARMFORK_RUN_OPTS, extra options for every `warmfork run` (e.g. --trace).
#
# Case functions (options first, then `--`, then the program and its arguments):
#
#   case_compare NAME [OPTIONS] -- PROG [ARGS...]
#       Runs PROG natively and under warmfork with the same argv, environment and stdin.
#       Passes when both exit with the expected status (--status, default 0), their normalised
#       stdouts are byte-identical (and stderrs with --stderr), plus any --stdout/--wf-stderr.
#   case_warmfork NAME [OPTIONS] -- PROG [ARGS...]
#       Runs PROG only under warmfork (for behaviour that must differ from native, such as an
#       allow-list denial) and checks --status, --stdout and --wf-stderr.
#
#   Options:
#     --stdin FILE       stdin for the program (default /dev/null)
#     --allow-read DIR   pass --allow-read DIR to warmfork run (repeatable)
#     --allow-write DIR  pass --allow-write DIR to warmfork run (repeatable)
#     --wf-opt OPT       pass OPT to warmfork run (repeatable; e.g. --wf-opt --mem --wf-opt 256M)
#     --env NAME=VALUE   add to the program's environment (repeatable)
#     --sed EXPR         sed expression normalising stdout and stderr of both runs (repeatable)
#     --status N         expected exit status (128+SIG for a death by signal); default 0
#     --stdout TEXT      expected normalised stdout, exactly (a final newline is implied;
#                        '' means empty)
#     --stderr           also compare normalised stderr byte for byte
#     --wf-stderr ERE    warmfork's raw stderr, lines joined by spaces (no trailing one),
#                        must match this extended regex (grep -E)
#     --timeout SEC      kill a run after SEC seconds (default 300)
#
# Every program runs as `env -i PATH=/usr/bin:/bin [--env ...] PROG ARGS...` on both sides, so
# the environment the guest sees is fixed. Prints "ok: NAME" or the differences and
# "FAIL: NAME: why", ends with a summary line, and exits 1 if any case failed.

# shellcheck shell=dash # POSIX sh plus `local` (busybox ash, dash)
usage() {
	sed -n '3,/^$/s/^# \{0,1\}//p' "$0" >&2
	exit 2
}

native_only=0
keep=
while [ $# -gt 0 ]; do
	case $1 in
	--native-only) native_only=1; shift ;;
	--keep) [ $# -ge 2 ] || usage; keep=$2; shift 2 ;;
	-v)
		[ $# -ge 2 ] || usage
		vname=${2%%=*}
		case $vname in
		'' | *[!A-Za-z0-9_]* | [0-9]*) echo "compare.sh: bad -v $2" >&2; exit 2 ;;
		esac
		[ "$vname" != "$2" ] || { echo "compare.sh: bad -v $2" >&2; exit 2; }
		eval "$vname=\${2#*=}"
		shift 2
		;;
	-h | --help) usage ;;
	--) shift; break ;;
	-) break ;; # WARMFORK "-" with --native-only
	-*) echo "compare.sh: unknown option $1" >&2; usage ;;
	*) break ;;
	esac
done
[ $# -ge 2 ] || usage
WARMFORK=$1
shift
if [ "$native_only" = 0 ] && [ ! -x "$WARMFORK" ]; then
	echo "compare.sh: $WARMFORK is not an executable" >&2
	exit 2
fi

SRC=$(cd "$(dirname "$0")" && pwd)
# shellcheck disable=SC2034 # FIX and WORK are for the case files
FIX=$SRC/busybox/fixtures
TMPROOT=$(mktemp -d /tmp/compare.XXXXXX) || exit 2
WORK=$TMPROOT/work
mkdir "$WORK"
trap 'rm -rf "$TMPROOT"' EXIT
trap 'exit 130' INT TERM

n_ok=0 n_fail=0 n_skip=0 n_case=0

# q ARG: ARG quoted for eval.
q() {
	printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"
}

# qall ARGS...: every ARG quoted for eval, space-separated.
qall() {
	for a; do
		printf ' %s' "$(q "$a")"
	done
}

# indent FILE: show at most 30 lines of FILE, indented.
indent() {
	if [ -s "$1" ]; then
		head -n 30 "$1" | sed 's/^/  | /'
		[ "$(wc -l <"$1")" -le 30 ] || echo "  | ..."
	else
		echo "  | (empty)"
	fi
}

# Parse the options of a case into c_* variables; leaves the program in "$@" via c_prog.
# (ash `local` keeps the case state out of the caller.)
parse_case() {
	c_stdin=/dev/null c_wfopts=${WARMFORK_RUN_OPTS:-} c_env='' c_sed='' c_status=0 c_stdout=''
	c_has_stdout=0 c_stderr=0 c_wfstderr='' c_timeout=300 c_prog=
	while [ $# -gt 0 ]; do
		case $1 in
		--stdin) c_stdin=$2; shift 2 ;;
		--allow-read | --allow-write) c_wfopts="$c_wfopts $1 $(q "$2")"; shift 2 ;;
		--wf-opt) c_wfopts="$c_wfopts $(q "$2")"; shift 2 ;;
		--env) c_env="$c_env $(q "$2")"; shift 2 ;;
		--sed) c_sed="$c_sed -e $(q "$2")"; shift 2 ;;
		--status) c_status=$2; shift 2 ;;
		--stdout) c_stdout=$2; c_has_stdout=1; shift 2 ;;
		--stderr) c_stderr=1; shift ;;
		--wf-stderr) c_wfstderr=$2; shift 2 ;;
		--timeout) c_timeout=$2; shift 2 ;;
		--) shift; break ;;
		*) echo "compare.sh: case $c_name: unknown option $1" >&2; return 1 ;;
		esac
	done
	[ $# -ge 1 ] || { echo "compare.sh: case $c_name: no program" >&2; return 1; }
	c_prog=$(qall "$@")
}

# run_side DIR SIDE native|warmfork: run the case's program, leaving DIR/SIDE.{out,err,rc} and
# the normalised DIR/SIDE.nout, DIR/SIDE.nerr.
run_side() {
	local d="$1" side="$2" how="$3" cmd
	if [ "$how" = native ]; then
		cmd=$c_prog
	else
		cmd="$(q "$WARMFORK") run $c_wfopts --$c_prog"
	fi
	echo "\$ ${cmd# }" >"$d/$side.cmd"
	eval "env -i PATH=/usr/bin:/bin $c_env timeout -s KILL $(q "$c_timeout") $cmd" \
		<"$c_stdin" >"$d/$side.out" 2>"$d/$side.err"
	echo $? >"$d/$side.rc"
	for s in out err; do
		if [ -n "$c_sed" ]; then
			eval "sed $c_sed" <"$d/$side.$s" >"$d/$side.n$s"
		else
			cp "$d/$side.$s" "$d/$side.n$s"
		fi
	done
}

# rcnote RC: a hint for statuses with a likely cause.
rcnote() {
	case $1 in
	137) echo " (SIGKILL: over the ${c_timeout}s timeout?)" ;;
	124) echo " (warmfork: timeout)" ;;
	125) echo " (warmfork: VMM error)" ;;
	126) echo " (cannot be loaded or executed)" ;;
	127) echo " (program not found)" ;;
	esac
}

pass() {
	n_ok=$((n_ok + 1))
	echo "ok: $c_name${1:+ ($1)}"
}

# fail WHY: report a failed case with both sides' stderr.
fail() {
	n_fail=$((n_fail + 1))
	for side in native warmfork native2; do
		[ -f "$c_dir/$side.rc" ] || continue
		echo "  $side: $(cat "$c_dir/$side.cmd") -> exit $(cat "$c_dir/$side.rc"); stderr:"
		indent "$c_dir/$side.err"
	done
	echo "FAIL: $c_name: $1"
}

# expect_stdout SIDE: compare SIDE's normalised stdout with --stdout.
expect_stdout() {
	if [ -z "$c_stdout" ]; then
		: >"$c_dir/expected.nout"
	else
		printf '%s\n' "$c_stdout" >"$c_dir/expected.nout"
	fi
	if ! cmp -s "$c_dir/expected.nout" "$c_dir/$1.nout"; then
		diff -u "$c_dir/expected.nout" "$c_dir/$1.nout"
		return 1
	fi
}

new_case() {
	c_name=$1
	n_case=$((n_case + 1))
	c_dir=$TMPROOT/$n_case
	mkdir "$c_dir"
	printf '%s\n' "$c_name" >"$c_dir/name"
}

case_compare() {
	local c_name c_dir c_stdin c_wfopts c_env c_sed c_status c_stdout c_has_stdout c_stderr \
		c_wfstderr c_timeout c_prog other rc1 rc2
	new_case "$1"
	shift
	parse_case "$@" || { fail "bad case"; return; }
	run_side "$c_dir" native native
	if [ "$native_only" = 1 ]; then
		other=native2
		run_side "$c_dir" native2 native
	else
		other=warmfork
		run_side "$c_dir" warmfork warmfork
	fi
	rc1=$(cat "$c_dir/native.rc") rc2=$(cat "$c_dir/$other.rc")
	if [ "$rc1" != "$c_status" ]; then
		fail "native exit status $rc1$(rcnote "$rc1"), want $c_status (broken case or fixture)"
		return
	fi
	if [ "$c_has_stdout" = 1 ] && ! expect_stdout native; then
		fail "native stdout differs from the expected text (broken case or guest)"
		return
	fi
	if ! cmp -s "$c_dir/native.nout" "$c_dir/$other.nout"; then
		diff -u "$c_dir/native.nout" "$c_dir/$other.nout"
		fail "stdout differs (native vs $other${c_sed:+, after normalisation})"
		return
	fi
	if [ "$c_stderr" = 1 ] && ! cmp -s "$c_dir/native.nerr" "$c_dir/$other.nerr"; then
		diff -u "$c_dir/native.nerr" "$c_dir/$other.nerr"
		fail "stderr differs (native vs $other)"
		return
	fi
	if [ "$rc1" != "$rc2" ]; then
		fail "exit status: native $rc1, $other $rc2$(rcnote "$rc2")"
		return
	fi
	if [ "$other" = warmfork ] && [ -n "$c_wfstderr" ] &&
		! tr '\n' ' ' <"$c_dir/warmfork.err" | sed 's/ $//' | grep -Ec -e "$c_wfstderr" >/dev/null; then
		fail "warmfork stderr does not match /$c_wfstderr/"
		return
	fi
	pass "$([ "$other" = native2 ] && echo "native twice, ")exit $rc1"
}

case_warmfork() {
	local c_name c_dir c_stdin c_wfopts c_env c_sed c_status c_stdout c_has_stdout c_stderr \
		c_wfstderr c_timeout c_prog rc
	new_case "$1"
	shift
	parse_case "$@" || { fail "bad case"; return; }
	if [ "$native_only" = 1 ]; then
		n_skip=$((n_skip + 1))
		echo "skip: $c_name (warmfork only)"
		return
	fi
	run_side "$c_dir" warmfork warmfork
	rc=$(cat "$c_dir/warmfork.rc")
	if [ "$c_has_stdout" = 1 ] && ! expect_stdout warmfork; then
		fail "warmfork stdout differs from the expected text"
		return
	fi
	if [ "$rc" != "$c_status" ]; then
		fail "warmfork exit status $rc$(rcnote "$rc"), want $c_status"
		return
	fi
	if [ -n "$c_wfstderr" ] &&
		! tr '\n' ' ' <"$c_dir/warmfork.err" | sed 's/ $//' | grep -Ec -e "$c_wfstderr" >/dev/null; then
		fail "warmfork stderr does not match /$c_wfstderr/"
		return
	fi
	pass "warmfork only, exit $rc"
}

for casefile; do
	[ -r "$casefile" ] || { echo "compare.sh: cannot read $casefile" >&2; exit 2; }
	case $casefile in */*) ;; *) casefile=./$casefile ;; esac # `.` would search PATH
	echo "=== $casefile$([ "$native_only" = 1 ] && echo " (native only)")"
	t0=$(date +%s)
	# shellcheck source=/dev/null
	. "$casefile"
	echo "=== $casefile: $(($(date +%s) - t0)) s"
done

if [ -n "$keep" ]; then
	mkdir -p "$keep" && cp -R "$TMPROOT/." "$keep/"
fi
echo "compare.sh: $n_ok ok, $n_fail failed, $n_skip skipped"
[ "$n_fail" = 0 ]
