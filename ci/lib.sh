# ci/lib.sh: shared by ci/test and ci/demo: dependencies and the builds (sourced, not run).
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
