// SPDX-License-Identifier: Apache-2.0
/* fuzz_cmp.c: the guest SDK's comparison log: the trace-cmp hooks record operands for the host. */
#include <stddef.h>
#include <stdint.h>

#include "fuzz_cmp.h"

/*
 * clang's -fsanitize-coverage=trace-cmp,indirect-calls calls these hooks at every
 * comparison, switch and indirect call of the target's code (fuzz_wrap.c does the memcmp
 * family). Each appends one record to warmfork_cmp (fuzz_abi.h), which the host reads after
 * the input and replays into its fuzzer's hooks: what libFuzzer's own hooks would have seen
 * in-process. The PC is the return address into the comparing code, as libFuzzer's hooks
 * take it. Nothing here is instrumented, and nothing calls back into instrumented code.
 */

/* In .bss (the log is large); a constructor marks it, main() empties it at the ready point. */
struct warmfork_cmp_log warmfork_cmp;

__attribute__((constructor)) static void mark(void)
{
	warmfork_cmp.magic = WARMFORK_CMP_MAGIC;
	warmfork_cmp.size = WARMFORK_CMP_BYTES;
}

struct warmfork_cmp_rec *warmfork_cmp_reserve(size_t extra)
{
	uint32_t at = warmfork_cmp.used;
	size_t need = (sizeof(struct warmfork_cmp_rec) + extra + 7) & ~(size_t)7;
	if (at > WARMFORK_CMP_BYTES || need > WARMFORK_CMP_BYTES - at) {
		warmfork_cmp.dropped++;
		return NULL;
	}
	warmfork_cmp.used = at + (uint32_t)need;
	return (struct warmfork_cmp_rec *)(void *)(warmfork_cmp.data + at);
}

static void put_int(uint8_t kind, uint8_t size, uint64_t pc, uint64_t a, uint64_t b)
{
	if (!(warmfork_cmp.flags & WARMFORK_CMP_F_ON))
		return;
	struct warmfork_cmp_rec *r = warmfork_cmp_reserve(0);
	if (r)
		*r = (struct warmfork_cmp_rec){.kind = kind, .size = size, .pc = pc, .a = a, .b = b};
}

/* The compiler's hooks (their prototypes are the sanitizer interface's). */
void __sanitizer_cov_trace_cmp1(uint8_t a, uint8_t b);
void __sanitizer_cov_trace_cmp2(uint16_t a, uint16_t b);
void __sanitizer_cov_trace_cmp4(uint32_t a, uint32_t b);
void __sanitizer_cov_trace_cmp8(uint64_t a, uint64_t b);
void __sanitizer_cov_trace_const_cmp1(uint8_t a, uint8_t b);
void __sanitizer_cov_trace_const_cmp2(uint16_t a, uint16_t b);
void __sanitizer_cov_trace_const_cmp4(uint32_t a, uint32_t b);
void __sanitizer_cov_trace_const_cmp8(uint64_t a, uint64_t b);
void __sanitizer_cov_trace_switch(uint64_t val, uint64_t *cases);
void __sanitizer_cov_trace_div4(uint32_t val);
void __sanitizer_cov_trace_div8(uint64_t val);
void __sanitizer_cov_trace_gep(uintptr_t idx);
void __sanitizer_cov_trace_pc_indir(uintptr_t callee);

/* Comparisons of 1 and 2 bytes are many (a parser's every character) and few fuzzers use
 * them: only logged when the host asks. */
#define SMALL() (warmfork_cmp.flags & WARMFORK_CMP_F_SMALL)

void __sanitizer_cov_trace_cmp1(uint8_t a, uint8_t b)
{
	if (SMALL())
		put_int(WARMFORK_CMP_INT, 1, PC(), a, b);
}
void __sanitizer_cov_trace_cmp2(uint16_t a, uint16_t b)
{
	if (SMALL())
		put_int(WARMFORK_CMP_INT, 2, PC(), a, b);
}
void __sanitizer_cov_trace_cmp4(uint32_t a, uint32_t b) { put_int(WARMFORK_CMP_INT, 4, PC(), a, b); }
void __sanitizer_cov_trace_cmp8(uint64_t a, uint64_t b) { put_int(WARMFORK_CMP_INT, 8, PC(), a, b); }
void __sanitizer_cov_trace_const_cmp1(uint8_t a, uint8_t b)
{
	if (SMALL())
		put_int(WARMFORK_CMP_CONST, 1, PC(), a, b);
}
void __sanitizer_cov_trace_const_cmp2(uint16_t a, uint16_t b)
{
	if (SMALL())
		put_int(WARMFORK_CMP_CONST, 2, PC(), a, b);
}
void __sanitizer_cov_trace_const_cmp4(uint32_t a, uint32_t b) { put_int(WARMFORK_CMP_CONST, 4, PC(), a, b); }
void __sanitizer_cov_trace_const_cmp8(uint64_t a, uint64_t b) { put_int(WARMFORK_CMP_CONST, 8, PC(), a, b); }
void __sanitizer_cov_trace_switch(uint64_t val, uint64_t *cases)
{
	put_int(WARMFORK_CMP_SWITCH, 8, PC(), val, (uint64_t)(uintptr_t)cases);
}
void __sanitizer_cov_trace_div4(uint32_t val) { put_int(WARMFORK_CMP_DIV, 4, PC(), val, 0); }
void __sanitizer_cov_trace_div8(uint64_t val) { put_int(WARMFORK_CMP_DIV, 8, PC(), val, 0); }
void __sanitizer_cov_trace_gep(uintptr_t idx) { put_int(WARMFORK_CMP_GEP, 8, PC(), idx, 0); }
void __sanitizer_cov_trace_pc_indir(uintptr_t callee) { put_int(WARMFORK_CMP_INDIR, 8, PC(), callee, 0); }

