#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# arm64-run-test.sh: checks ci/arm64-run itself: arch, /dev/kvm, checkout visibility, status, streams.
set -uo pipefail
run=$(cd "$(dirname "$0")" && pwd)/arm64-run
cd "$(dirname "$0")/.."
fails=0
check() { # check NAME CONDITION...
	local name=$1; shift
	if "$@"; then echo "ok: $name"; else echo "FAIL: $name"; fails=$((fails + 1)); fi
}

# A file placed under the checkout just before the call is visible at the same relative path.
probe=build/arm64-run-probe.$$
mkdir -p build && echo "probe-$$" >"$probe"
out=$(WARMFORK_PROBE_VAR=passed "$run" sh -c \
	'uname -m; test -c /dev/kvm && echo kvm-ok; cat "$1"; echo "$WARMFORK_PROBE_VAR"; pwd' sh "$probe")
rc=$?
rm -f "$probe"
check "exit 0" [ $rc = 0 ]
check "uname -m is aarch64" [ "$(sed -n 1p <<<"$out")" = aarch64 ]
check "/dev/kvm is a character device" [ "$(sed -n 2p <<<"$out")" = kvm-ok ]
check "file under the checkout is readable" [ "$(sed -n 3p <<<"$out")" = "probe-$$" ]
check "WARMFORK_* environment passes" [ "$(sed -n 4p <<<"$out")" = passed ]
check "working directory maps" [ "$(sed -n 5p <<<"$out")" = "$(pwd -P)" ]

# Exit status and the two output streams come back separately.
err=$(mktemp)
out=$("$run" sh -c 'echo to-out; echo to-err >&2; exit 42' 2>"$err")
rc=$?
check "exit status passes through" [ $rc = 42 ]
check "stdout passes through" [ "$out" = to-out ]
check "stderr passes through" grep -qx to-err "$err"

# A timeout is loud and distinct.
"$run" --timeout 2 sleep 60 2>"$err"
rc=$?
check "timeout exits 124" [ $rc = 124 ]
check "timeout says why" grep -q 'arm64-run: timed out' "$err"

# Bad usage is refused with a reason.
"$run" --mem lots true 2>"$err"
rc=$?
check "junk option value is refused" [ $rc = 125 ]
check "and names it" grep -q 'not a positive integer: lots' "$err"
rm -f "$err"
exit $((fails > 0))
