// SPDX-License-Identifier: Apache-2.0
/* fuzz_abi.h: what a fuzz guest (libwarmfork_fuzz) shows its host: where the coverage is, and the comparison log. */
#ifndef WARMFORK_FUZZ_ABI_H
#define WARMFORK_FUZZ_ABI_H

#include <stdint.h>

/*
 * The guest's exported `warmfork_cov` (fuzz_main.c): guest addresses of the inline 8-bit
 * counters and of the PC table (pairs of {pc, flags}), as the compiler's start-up
 * constructors report them. Zero: the guest was built without coverage.
 */
#define WARMFORK_COV_MAGIC 0x31766f6366776bull /* "kwfcov1" */
struct warmfork_cov {
	uint64_t magic;
	uint64_t ctr_start, ctr_end;
	uint64_t pcs_start, pcs_end;
};

/*
 * warmfork_fuzz_one(data, size) returns LLVMFuzzerTestOneInput's int in its low 32 bits and,
 * in the high 32, the deepest stack the input reached below its own frame (bytes, from
 * -fsanitize-coverage=stack-depth; libFuzzer makes a feature of it): in a register, so it
 * dirties no page.
 */
#define WARMFORK_FUZZ_RESULT(v) ((int)(uint32_t)(v))
#define WARMFORK_FUZZ_DEPTH(v)  ((uint64_t)(v) >> 32)

/*
 * The guest's exported `warmfork_cmp` (fuzz_cmp.c): every comparison the compiler's
 * -fsanitize-coverage=trace-cmp hooks, and the memcmp family (linked with --wrap), report
 * during one input, as records the host replays into its fuzzer's own hooks after the input
 * (fuzz_guest: libFuzzer's; afl_guest: AFL++'s cmplog). A fork starts every input from the
 * master's log, which is empty: `used` is 0.
 *
 * Records follow each other in data[0..used), each 8-byte aligned, starting with a struct
 * warmfork_cmp_rec. A record that does not fit is counted in `dropped` and left out.
 */
#define WARMFORK_CMP_MAGIC 0x31706d6366776bull /* "kwfcmp1" */
#define WARMFORK_CMP_BYTES (256u * 1024)       /* a fork's log per input */
#define WARMFORK_CMP_WORD 64                   /* bytes kept of each memcmp-style operand */

enum warmfork_cmp_kind {
	WARMFORK_CMP_INT = 1,   /* a == b of `size` bytes: a, b */
	WARMFORK_CMP_CONST,     /* the same, b a compile-time constant */
	WARMFORK_CMP_SWITCH,    /* a: the value; b: guest address of the case table */
	WARMFORK_CMP_DIV,       /* a: the divisor (size 4 or 8) */
	WARMFORK_CMP_GEP,       /* a: the index */
	WARMFORK_CMP_INDIR,     /* a: the callee of an indirect call */
	WARMFORK_CMP_MEMCMP,    /* the memcmp family: n1/n2 bytes of both operands follow */
	WARMFORK_CMP_STRNCMP,
	WARMFORK_CMP_STRCMP,
	WARMFORK_CMP_STRNCASECMP,
	WARMFORK_CMP_STRCASECMP,
	WARMFORK_CMP_STRSTR,    /* the needle follows (n2 bytes); n1 is 0 */
	WARMFORK_CMP_STRCASESTR,
	WARMFORK_CMP_MEMMEM,
};

struct warmfork_cmp_rec {
	uint8_t kind;   /* enum warmfork_cmp_kind */
	uint8_t size;   /* operand bytes (1, 2, 4, 8) of an integer comparison */
	uint8_t n1, n2; /* bytes of the first and second operand that follow (memcmp family) */
	int32_t result; /* memcmp family: the call's result (strstr family: found or not) */
	uint64_t pc;    /* guest return address into the comparing code */
	uint64_t a, b;  /* integers; memcmp family: the length argument in a */
};

/* What the host wants logged (it sets `flags` in the master, before any fork): nothing by
 * default; with ON every comparison but those of 1 and 2 bytes, which only libFuzzer's
 * -use_value_profile=1 and AFL++'s cmplog use (SMALL). */
#define WARMFORK_CMP_F_ON    1u
#define WARMFORK_CMP_F_SMALL 2u

struct warmfork_cmp_log {
	uint64_t magic;
	uint32_t used, dropped;
	uint32_t size, flags;
	uint8_t data[WARMFORK_CMP_BYTES];
};

#endif
