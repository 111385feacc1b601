#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# parity.sh: libFuzzer sees the same coverage (counters and PCs) from a target run as a guest
# (fuzz_NAME) as from the same source built as a native in-process libFuzzer binary.
# usage: parity.sh NATIVE FUZZ_NAME CORPUS_DIR [NATIVE FUZZ_NAME CORPUS_DIR]...  (in the ARM64
# machine; every triple is checked, e.g. the demo and fuzz/bench's png target, which links zlib)
set -u
. "$(dirname "$0")/lib.sh"

# "INFO: Loaded 1 modules   (N inline 8-bit counters): ..." and "INFO: Loaded 1 PC tables (N PCs): ..."
counts() {
	ctr=$(sed -n 's/^INFO: Loaded 1 modules *(\([0-9]*\) inline 8-bit counters).*/\1/p' "$1")
	pcs=$(sed -n 's/^INFO: Loaded 1 PC tables *(\([0-9]*\) PCs).*/\1/p' "$1")
	[ -n "$ctr" ] || fail "$1: no single module of inline 8-bit counters"
	[ -n "$pcs" ] || fail "$1: no single PC table"
	[ "$ctr" -gt 0 ] && [ "$pcs" -gt 0 ] || fail "$1: no coverage ($ctr counters, $pcs PCs)"
	echo "$ctr $pcs"
}

[ $# -ge 3 ] && [ $(($# % 3)) = 0 ] || fail "usage: parity.sh NATIVE FUZZ_NAME CORPUS_DIR..."
i=0
while [ $# -ge 3 ]; do
	native=$1 guest=$2 corpus=$3
	shift 3
	i=$((i + 1))
	for b in native guest; do
		eval bin=\$$b
		mkdir "$tmp/$b$i"
		cp "$corpus"/* "$tmp/$b$i/"
		"$bin" -runs=0 "$tmp/$b$i" >"$tmp/$b$i.log" 2>&1 || fail "$b: $bin -runs=0 failed"
	done
	n=$(counts "$tmp/native$i.log") || { echo "$n"; exit 1; }
	g=$(counts "$tmp/guest$i.log") || { echo "$g"; exit 1; }
	echo "native ($(basename "$native")): ${n% *} counters, ${n#* } PCs"
	echo "guest  ($(basename "$guest")): ${g% *} counters, ${g#* } PCs"
	[ "$n" = "$g" ] || fail "coverage differs: native $n, guest $g (counters PCs)"
	echo "ok: same coverage: ${n% *} inline 8-bit counters, ${n#* } PCs"
done
