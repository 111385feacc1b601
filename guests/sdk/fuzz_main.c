// SPDX-License-Identifier: Apache-2.0
/* fuzz_main.c: the guest SDK's main for libFuzzer targets: coverage ranges, ready point, entry. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "fuzz_abi.h"
#include "fuzz_cmp.h"
#include "warmfork.h"

/* The target's own functions (an unmodified libFuzzer target source provides them). */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

/*
 * Where the coverage lives, found by the host (fuzz/harness.c) through the symbol
 * warmfork_cov (fuzz_abi.h).
 */
struct warmfork_cov warmfork_cov = {.magic = WARMFORK_COV_MAGIC};

/*
 * Called by the constructors clang emits for -fsanitize-coverage=inline-8bit-counters and
 * pc-table. In a static program every translation unit reports the same linker-made section
 * bounds; the union is kept in case a toolchain ever reports pieces.
 */
void __sanitizer_cov_8bit_counters_init(uint8_t *start, uint8_t *end);
void __sanitizer_cov_8bit_counters_init(uint8_t *start, uint8_t *end)
{
	uint64_t s = (uintptr_t)start, e = (uintptr_t)end;
	if (s >= e)
		return;
	if (!warmfork_cov.ctr_start || s < warmfork_cov.ctr_start)
		warmfork_cov.ctr_start = s;
	if (e > warmfork_cov.ctr_end)
		warmfork_cov.ctr_end = e;
}

void __sanitizer_cov_pcs_init(const uintptr_t *beg, const uintptr_t *end);
void __sanitizer_cov_pcs_init(const uintptr_t *beg, const uintptr_t *end)
{
	uint64_t s = (uintptr_t)beg, e = (uintptr_t)end;
	if (s >= e)
		return;
	if (!warmfork_cov.pcs_start || s < warmfork_cov.pcs_start)
		warmfork_cov.pcs_start = s;
	if (e > warmfork_cov.pcs_end)
		warmfork_cov.pcs_end = e;
}

/*
 * -fsanitize-coverage=stack-depth (in -fsanitize=fuzzer-no-link) keeps the lowest stack
 * pointer the target's code reached here, as libFuzzer's runtime does in-process.
 */
__attribute__((tls_model("initial-exec"))) __thread uintptr_t __sancov_lowest_stack;

/*
 * Options for the sanitizers a guest may be built with (warmfork-cc -fsanitize=...), read by
 * their runtimes at start-up (the environment's ASAN_OPTIONS/UBSAN_OPTIONS come after
 * these). A report ends with abort(), so the host sees a crash, as libFuzzer's death callback
 * makes it one in-process; there is no leak check (a fork is reset, it never exits); the
 * guest has no llvm-symbolizer (the host symbolises guest frames); the report is written to
 * fd 2 without buffering. Defining these in a target is a duplicate definition.
 */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
	return "abort_on_error=1:detect_leaks=0:symbolize=0:handle_abort=0:print_summary=1";
}

const char *__ubsan_default_options(void);
const char *__ubsan_default_options(void)
{
	return "abort_on_error=1:halt_on_error=1:print_stacktrace=1:symbolize=0:print_summary=1";
}

/* The host calls this in a fork, once per input, after a reset to the master's state. */
long warmfork_fuzz_one(const uint8_t *data, size_t size);
long warmfork_fuzz_one(const uint8_t *data, size_t size)
{
	uintptr_t top = (uintptr_t)__builtin_frame_address(0);
	__sancov_lowest_stack = top;
	int r = LLVMFuzzerTestOneInput(data, size);
	uint64_t depth = top > __sancov_lowest_stack ? top - __sancov_lowest_stack : 0;
	if (depth > 0xffffffffu)
		depth = 0xffffffffu;
	return (long)(depth << 32 | (uint32_t)r);
}

/* Natively (no VMM): run each file named on the command line once, like a libFuzzer replay. */
static int run_files(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		FILE *f = fopen(argv[i], "rb");
		if (!f) {
			perror(argv[i]);
			return 1;
		}
		size_t cap = 4096, n = 0;
		uint8_t *buf = malloc(cap);
		size_t got;
		while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
			n += got;
			if (n == cap) {
				uint8_t *bigger = realloc(buf, cap *= 2);
				if (!bigger)
					free(buf);
				buf = bigger;
			}
		}
		fclose(f);
		if (!buf) {
			fprintf(stderr, "%s: out of memory\n", argv[i]);
			return 1;
		}
		fprintf(stderr, "Running: %s\n", argv[i]);
		LLVMFuzzerTestOneInput(buf, n);
		free(buf);
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (LLVMFuzzerInitialize)
		LLVMFuzzerInitialize(&argc, &argv);
	/*
	 * Every fork starts from the master's memory, so zero the counters now: each input then
	 * begins with zero counters, and initialisation's coverage is not charged to input 1.
	 * Nothing instrumented runs between here and the ready point.
	 */
	for (uint64_t a = warmfork_cov.ctr_start; a < warmfork_cov.ctr_end; a++)
		*(volatile uint8_t *)(uintptr_t)a = 0;
	/* Likewise the comparison log (fuzz_cmp.c): each input starts with an empty one. */
	warmfork_cmp.used = 0;
	warmfork_cmp.dropped = 0;
	if (warmfork_ready() == 0)
		return 0; /* under warmfork the host calls warmfork_fuzz_one in forks instead */
	return run_files(argc, argv);
}
