#!/bin/bash -eu
# SPDX-License-Identifier: Apache-2.0
# build.sh: the ClusterFuzzLite/OSS-Fuzz build: every warmfork fuzz target, its seed corpus, dictionary and libraries into $OUT.
#
# Runs in the ClusterFuzzLite build image (as $SRC/build.sh, the checkout in $SRC/warmfork)
# or directly from a checkout:  OUT=... SRC=... WORK=... .clusterfuzzlite/build.sh
# For every target of warmfork_add_fuzz_target() (the list CMake writes, fuzz_targets.txt):
#   $OUT/fuzz_NAME                   the libFuzzer binary, its guest embedded (aarch64)
#   $OUT/fuzz_NAME_seed_corpus.zip   its seed corpus, when it has one
#   $OUT/fuzz_NAME.dict              its dictionary, when it has one
#   $OUT/lib/                        the shared libraries the binaries load, except glibc's
#                                    own (their RUNPATH is $ORIGIN/lib)
# The targets are aarch64 programs that need /dev/kvm where they run (an arm64 machine, or
# ci/arm64-run's emulated one). They are built with warmfork's own cross toolchain from
# Debian's packages (ci/deps), not with $CC/$CFLAGS/$LIB_FUZZING_ENGINE, which describe the
# builder's x86_64 libFuzzer; the code under test is the guest, instrumented by warmfork-cc.
: "${OUT:?set OUT}" "${SRC:?set SRC}" "${WORK:?set WORK}"

here=$(cd "$(dirname "$0")" && pwd)
if [ -f "$here/../ci/deps" ]; then
	repo=$(cd "$here/.." && pwd)
elif [ -f "$SRC/warmfork/ci/deps" ]; then
	repo=$SRC/warmfork
else
	echo "build.sh: cannot find the warmfork checkout (next to this script, or in \$SRC/warmfork)" >&2
	exit 1
fi
. "$repo/ci/lib.sh"
mkdir -p "$OUT" "$WORK"
OUT=$(cd "$OUT" && pwd -P) WORK=$(cd "$WORK" && pwd -P)

# Not Debian (the OSS-Fuzz base-builder is Ubuntu): build inside the Debian userland the
# Dockerfile put in /debian (WARMFORK_DEBIAN_ROOT), with the checkout, $OUT and $WORK bound in.
if ! grep -qx 'ID=debian' /etc/os-release 2>/dev/null; then
	droot=${WARMFORK_DEBIAN_ROOT:-/debian}
	[ -x "$droot/usr/bin/apt-get" ] || {
		echo "build.sh: not a Debian system, and no Debian root in $droot" >&2
		exit 1
	}
	cp /etc/resolv.conf "$droot/etc/resolv.conf" 2>/dev/null || true
	trap 'chroot_unmount "$droot" || true' EXIT
	chroot_mount "$droot" "$repo" "$OUT" "$WORK"
	chroot_run "$droot" env OUT="$OUT" SRC="$SRC" WORK="$WORK" \
		bash -eu "$repo/.clusterfuzzlite/build.sh"
	exit 0
fi

"$repo/ci/deps" build cflite || { echo "build.sh: cannot install what it needs (ci/deps)" >&2; exit 1; }
build=$WORK/warmfork-arm64
cross=()
[ "$(uname -m)" = aarch64 ] || cross=(-DCMAKE_TOOLCHAIN_FILE="$repo/cmake/aarch64-linux-gnu.cmake")
cmake -S "$repo" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo "${cross[@]}" >/dev/null
cmake --build "$build" --target fuzz_targets -j"$(nproc)"

# The binaries, corpora and dictionaries, by the names ClusterFuzzLite looks for.
n=0
while IFS=$'\t' read -r name bin corpus dict; do
	[ -n "$name" ] || continue
	install -m 755 "$bin" "$OUT/fuzz_$name"
	patchelf --set-rpath '$ORIGIN/lib' "$OUT/fuzz_$name"
	rm -f "$OUT/fuzz_${name}_seed_corpus.zip"
	if [ -n "$corpus" ]; then
		(cd "$corpus" && zip -q -r -X "$OUT/fuzz_${name}_seed_corpus.zip" .)
	fi
	[ -z "$dict" ] || install -m 644 "$dict" "$OUT/fuzz_$name.dict"
	n=$((n + 1))
done <"$build/fuzz_targets.txt"

# The shared libraries they load (and those load), from the aarch64 library directories,
# except glibc's, which belong to the machine they run on.
mkdir -p "$OUT/lib"
libdirs=(/usr/lib/aarch64-linux-gnu /lib/aarch64-linux-gnu /usr/aarch64-linux-gnu/lib)
is_glibc() {
	case "$1" in
	libc.so.* | libm.so.* | libpthread.so.* | libdl.so.* | librt.so.* | libresolv.so.* | \
		libutil.so.* | ld-linux-aarch64.so.*) return 0 ;;
	esac
	return 1
}
want=$(for f in "$OUT"/fuzz_*; do [ -x "$f" ] && readelf -d "$f"; done |
	sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | sort -u)
copied=()
while [ -n "$want" ]; do
	next=
	for l in $want; do
		is_glibc "$l" && continue
		[ -f "$OUT/lib/$l" ] && continue
		src=
		for d in "${libdirs[@]}"; do
			[ -f "$d/$l" ] && { src=$d/$l; break; }
		done
		[ -n "$src" ] || { echo "build.sh: no aarch64 $l in ${libdirs[*]}" >&2; exit 1; }
		cp -L "$src" "$OUT/lib/$l"
		patchelf --set-rpath '$ORIGIN' "$OUT/lib/$l"
		copied+=("$l")
		next+=" $(readelf -d "$OUT/lib/$l" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')"
	done
	want=$next
done
echo "build.sh: $n fuzz targets in $OUT; libraries in $OUT/lib: ${copied[*]:-none}"
