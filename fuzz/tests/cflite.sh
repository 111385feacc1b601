#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# cflite.sh REPO DIR: .clusterfuzzlite/build.sh run directly (OUT, SRC, WORK under DIR), then
# its $OUT checked as ClusterFuzzLite would use it, and every $OUT/fuzz_* run with -runs=100
# on its seed corpus in the ARM64 machine, loading its libraries from $OUT/lib.
set -uo pipefail
repo=$1 dir=$2
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
ok() { echo "ok: $*"; }
rm -rf "$dir"
mkdir -p "$dir"
out=$dir/out
OUT=$out SRC=$(dirname "$repo") WORK=$dir/work bash "$repo/.clusterfuzzlite/build.sh" >"$dir/build.log" 2>&1
rc=$?
tail -n 3 "$dir/build.log"
[ $rc = 0 ] || { tail -n 30 "$dir/build.log"; echo "FAIL: build.sh exited $rc"; exit 1; }
ok "build.sh exits 0"

# Every target CMake lists is there, named as ClusterFuzzLite expects.
manifest=$dir/work/warmfork-arm64/fuzz_targets.txt
names=$(cut -f1 "$manifest")
[ "$(echo "$names" | wc -w)" -ge 6 ] && ok "$(echo $names | wc -w) targets listed: $(echo $names)" ||
	fail "fuzz_targets.txt lists: $names"
for n in $names; do
	f=$out/fuzz_$n
	[ -x "$f" ] || { fail "$f missing"; continue; }
	[[ "fuzz_$n" =~ ^[a-zA-Z0-9_-]+$ ]] || fail "fuzz_$n: not a name ClusterFuzzLite takes"
	grep -q LLVMFuzzerTestOneInput "$f" || fail "fuzz_$n lacks LLVMFuzzerTestOneInput (not found as a target)"
	readelf -h "$f" | grep -q 'AArch64' || fail "fuzz_$n is not aarch64"
	[ "$(readelf -d "$f" | sed -n 's/.*(RUNPATH).*\[\(.*\)\]/\1/p')" = '$ORIGIN/lib' ] ||
		fail "fuzz_$n: RUNPATH is not \$ORIGIN/lib"
	for l in $(readelf -d "$f" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
		case "$l" in
		libc.so.* | libm.so.* | libpthread.so.* | libdl.so.* | librt.so.* | ld-linux-*) ;;
		*) [ -f "$out/lib/$l" ] || fail "fuzz_$n needs $l, which is not in \$OUT/lib" ;;
		esac
	done
done
ok "binaries: aarch64, RUNPATH \$ORIGIN/lib, every non-glibc library in \$OUT/lib"
# Seed corpora and dictionaries, from the targets' CORPUS and DICT.
want=$(ls "$repo/corpus/demo" | sort)
got=$(unzip -Z1 "$out/fuzz_demo_seed_corpus.zip" 2>/dev/null | sort)
[ -n "$got" ] && [ "$got" = "$want" ] && ok "fuzz_demo_seed_corpus.zip holds corpus/demo" ||
	fail "fuzz_demo_seed_corpus.zip: '$got', want '$want'"
cmp -s "$out/fuzz_demo.dict" "$repo/corpus/demo.dict" && ok "fuzz_demo.dict" || fail "fuzz_demo.dict"
[ -f "$out/fuzz_bench_png_seed_corpus.zip" ] && ok "fuzz_bench_png has a seed corpus" ||
	fail "no fuzz_bench_png_seed_corpus.zip"
[ ! -e "$out/fuzz_cxx_seed_corpus.zip" ] && ok "fuzz_cxx has none (no corpus)" || fail "fuzz_cxx_seed_corpus.zip"

# Each target, as a fuzzing infrastructure runs it: from $OUT, its seed corpus unpacked.
runs=$dir/runs.sh
cat >"$runs" <<'RUN'
out=$1 fails=0
for f in "$out"/fuzz_*; do
	[ -x "$f" ] && [ -f "$f" ] || continue
	n=${f##*/}
	c=$out/../corpus-$n
	rm -rf "$c" && mkdir -p "$c"
	[ -f "${f}_seed_corpus.zip" ] && (cd "$c" && unzip -q "${f}_seed_corpus.zip")
	# The libraries come from $OUT/lib (RUNPATH), not the machine's /usr/lib.
	lib=$(LD_TRACE_LOADED_OBJECTS=1 "$f" | grep 'libelf\.so')
	case "$lib" in *"$out/lib/libelf.so"*) ;; *) echo "FAIL: $n loads libelf from: $lib"; fails=$((fails + 1)) ;; esac
	if "$f" -runs=100 -seed=1337 "$c" >"$c.log" 2>&1 && grep -q 'Done 100 runs' "$c.log"; then
		echo "ok: $n -runs=100"
	else
		echo "FAIL: $n -runs=100"; tail -n 15 "$c.log"; fails=$((fails + 1))
	fi
done
exit $fails
RUN
"$repo/ci/arm64-run" sh "$runs" "$out"
rc=$?
[ $rc = 0 ] && ok "every target runs 100 inputs in the ARM64 machine" || fail "$rc targets failed to run"
[ $fails = 0 ] && echo "cflite: ok: build.sh and all targets ($(echo $names | wc -w))"
echo "cflite_test: $fails failed"
[ $fails = 0 ]
