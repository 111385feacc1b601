#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# native-test.sh GUESTDIR: the guests_native test (no VMM needed), in one ARM64 machine boot.
# 1. Every case of every case file runs natively twice: the guests must be deterministic and
#    meet each case's expected status and output (compare.sh --native-only).
# 2. The compare path itself, with fakewarmfork (a native stand-in for the CLI) as WARMFORK,
#    on the cases that have no warmfork-only expectations.
here=$(cd "$(dirname "$0")" && pwd)
G=${1:?usage: native-test.sh GUESTDIR}
rc=0
sh "$here/compare.sh" --native-only -v G="$G" - \
	"$here/cases/basic.cases" "$here/cases/crash.cases" "$here/cases/busybox.cases" \
	"$here/cases/signals.cases" "$here/cases/threads.cases" || rc=1
sh "$here/compare.sh" -v G="$G" -v FAKE=1 "$G/fakewarmfork.gcc" "$here/cases/crash.cases" || rc=1
exit $rc
