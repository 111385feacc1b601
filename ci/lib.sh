# SPDX-License-Identifier: Apache-2.0
# ci/lib.sh: shared by the ci/ scripts: dependencies, the builds, chroots (sourced, not run).
# shellcheck shell=bash
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
host_arch=$(uname -m)
jobs=$(nproc 2>/dev/null || echo 2)

# build/arm64: the aarch64 build (cross-compiled on x86_64, native on arm64).
# build/host:  on non-arm64 hosts, a native build for the architecture-neutral unit tests.
build_all() {
	"$repo/ci/deps" all
	local cross=()
	if [ "$host_arch" != aarch64 ]; then
		cross=(-DCMAKE_TOOLCHAIN_FILE="$repo/cmake/aarch64-linux-gnu.cmake")
		cmake -S "$repo" -B "$repo/build/host" -DWARMFORK_WERROR=ON >/dev/null
		cmake --build "$repo/build/host" -j"$jobs"
	fi
	local afl sysroot
	afl=$("$repo/ci/afl-arm64") || return 1
	sysroot=$("$repo/ci/arm64-machine/sysroot" "$repo/build/arm64/sysroot") || return 1
	cmake -S "$repo" -B "$repo/build/arm64" -DWARMFORK_WERROR=ON "${cross[@]}" \
		-DWARMFORK_AFL_RUNTIME_DIR="$afl" -DWARMFORK_SYSROOT="$sysroot" >/dev/null
	cmake --build "$repo/build/arm64" -j"$jobs"
}

# Where tests that need ARM64 + KVM run, in words.
machine_kind() {
	if [ "$host_arch" = aarch64 ] && [ -c /dev/kvm ] && [ -r /dev/kvm ] && [ -w /dev/kvm ]; then
		echo "this arm64 host's /dev/kvm"
	else
		echo "the emulated ARM64 machine (qemu-system-aarch64 TCG, nested KVM)"
	fi
}

# Chroots into a Debian root (ci/fresh-check, .clusterfuzzlite/build.sh), as root (sudo when
# needed). chroot_mount ROOT [HOST_DIR...]: /proc, /sys, /dev and a fresh /tmp, and each
# HOST_DIR bound at the same path inside. chroot_run ROOT CMD...: run CMD there with a clean
# environment (HOME=/root, LANG, TERM, PATH; add more with env NAME=VALUE in CMD).
# chroot_unmount ROOT: every mount under ROOT, deepest first; fails if one stays.
as_root() {
	if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}
mounts_under() {
	awk -v r="$1" '$2 == r || index($2, r "/") == 1 { print $2 }' /proc/mounts | sort -r
}
chroot_mount() {
	local root=$1 d
	shift
	as_root mount -t proc proc "$root/proc"
	as_root mount -t sysfs sysfs "$root/sys"
	as_root mount --rbind /dev "$root/dev"
	as_root mount --make-rslave "$root/dev"
	as_root mount -t tmpfs tmpfs "$root/tmp"
	for d in "$@"; do
		as_root mkdir -p "$root$d"
		as_root mount --bind "$d" "$root$d"
	done
}
chroot_run() {
	local root=$1
	shift
	as_root chroot "$root" /usr/bin/env -i HOME=/root LANG=C.UTF-8 TERM=dumb \
		PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "$@"
}
chroot_unmount() {
	local m
	while read -r m; do
		as_root umount -l "$m" 2>/dev/null || true
	done < <(mounts_under "$1")
	[ -z "$(mounts_under "$1")" ]
}
