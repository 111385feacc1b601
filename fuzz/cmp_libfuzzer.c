// SPDX-License-Identifier: Apache-2.0
/* cmp_libfuzzer.c: a guest's comparisons, replayed into libFuzzer's own hooks after each input (fuzz_guest). */
#include <stddef.h>
#include <string.h>

#include "cmp.h"
#include "fuzz_abi.h"

/*
 * libFuzzer's runtime (libclang_rt.fuzzer) defines these. The trace-cmp hooks key on their
 * return address, so they are called through a call site of the guest site's own (tramp.S);
 * the memcmp-family hooks take the caller's PC as an argument: the guest's own PC is given.
 * They only act while libFuzzer runs the target's callback, which is when this runs.
 */
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
void __sanitizer_weak_hook_memcmp(void *pc, const void *s1, const void *s2, size_t n, int result);
void __sanitizer_weak_hook_strncmp(void *pc, const char *s1, const char *s2, size_t n,
				   int result);
void __sanitizer_weak_hook_strcmp(void *pc, const char *s1, const char *s2, int result);
void __sanitizer_weak_hook_strncasecmp(void *pc, const char *s1, const char *s2, size_t n,
				       int result);
void __sanitizer_weak_hook_strcasecmp(void *pc, const char *s1, const char *s2, int result);
void __sanitizer_weak_hook_strstr(void *pc, const char *s1, const char *s2, char *result);
void __sanitizer_weak_hook_strcasestr(void *pc, const char *s1, const char *s2, char *result);
void __sanitizer_weak_hook_memmem(void *pc, const void *s1, size_t n1, const void *s2,
				  size_t n2, void *result);

/* Cases of a switch, at most this many (libFuzzer's own limit for a switch it tracks is the
 * same order). */
#define MAX_CASES 4096

static void *const int_hooks[2][4] = {
	{(void *)__sanitizer_cov_trace_cmp1, (void *)__sanitizer_cov_trace_cmp2,
	 (void *)__sanitizer_cov_trace_cmp4, (void *)__sanitizer_cov_trace_cmp8},
	{(void *)__sanitizer_cov_trace_const_cmp1, (void *)__sanitizer_cov_trace_const_cmp2,
	 (void *)__sanitizer_cov_trace_const_cmp4, (void *)__sanitizer_cov_trace_const_cmp8},
};

static int size_index(uint8_t size)
{
	switch (size) {
	case 1: return 0;
	case 2: return 1;
	case 4: return 2;
	case 8: return 3;
	default: return -1;
	}
}

/* The switch's case table, read from the guest: {count, bits, values...}. */
static void replay_switch(struct wf_harness *h, const struct warmfork_cmp_rec *r)
{
	static uint64_t cases[2 + MAX_CASES];
	struct wf_vm *vm = h->fork ? h->fork : h->master;
	if (wf_mem_read(&wf_vm_proc(vm)->mem, cases, r->b, 2 * sizeof(uint64_t)) ||
	    cases[0] > MAX_CASES ||
	    wf_mem_read(&wf_vm_proc(vm)->mem, cases + 2, r->b + 16, cases[0] * sizeof(uint64_t)))
		return;
	wf_tramp_call(r->a, (uint64_t)(uintptr_t)cases, 0, (void *)__sanitizer_cov_trace_switch,
		      wf_tramp_slot(r->pc));
}

struct replay {
	struct wf_harness *h;
};

static void replay_one(void *ctx, const struct warmfork_cmp_rec *r, const uint8_t *bytes)
{
	struct replay *rp = ctx;
	uint64_t slot = wf_tramp_slot(r->pc);
	void *pc = (void *)(uintptr_t)r->pc;
	/* The operands, NUL-terminated: the string hooks measure them. */
	char s1[WARMFORK_CMP_WORD + 1], s2[WARMFORK_CMP_WORD + 1];
	memcpy(s1, bytes, r->n1);
	s1[r->n1] = 0;
	memcpy(s2, bytes + r->n1, r->n2);
	s2[r->n2] = 0;
	size_t n = r->n1 < r->n2 ? r->n1 : r->n2;
	int i;
	switch (r->kind) {
	case WARMFORK_CMP_INT:
	case WARMFORK_CMP_CONST:
		if ((i = size_index(r->size)) >= 0)
			wf_tramp_call(r->a, r->b, 0, int_hooks[r->kind == WARMFORK_CMP_CONST][i],
				      slot);
		break;
	case WARMFORK_CMP_SWITCH:
		replay_switch(rp->h, r);
		break;
	case WARMFORK_CMP_DIV:
		wf_tramp_call(r->a, 0, 0,
			      r->size == 4 ? (void *)__sanitizer_cov_trace_div4 :
					     (void *)__sanitizer_cov_trace_div8, slot);
		break;
	case WARMFORK_CMP_GEP:
		wf_tramp_call(r->a, 0, 0, (void *)__sanitizer_cov_trace_gep, slot);
		break;
	case WARMFORK_CMP_INDIR:
		wf_tramp_call(r->a, 0, 0, (void *)__sanitizer_cov_trace_pc_indir, slot);
		break;
	case WARMFORK_CMP_MEMCMP:
		__sanitizer_weak_hook_memcmp(pc, s1, s2, n, r->result);
		break;
	case WARMFORK_CMP_STRNCMP:
		__sanitizer_weak_hook_strncmp(pc, s1, s2, r->a < WARMFORK_CMP_WORD ? r->a :
						  WARMFORK_CMP_WORD, r->result);
		break;
	case WARMFORK_CMP_STRCMP:
		__sanitizer_weak_hook_strcmp(pc, s1, s2, r->result);
		break;
	case WARMFORK_CMP_STRNCASECMP:
		__sanitizer_weak_hook_strncasecmp(pc, s1, s2, r->a < WARMFORK_CMP_WORD ? r->a :
						      WARMFORK_CMP_WORD, r->result);
		break;
	case WARMFORK_CMP_STRCASECMP:
		__sanitizer_weak_hook_strcasecmp(pc, s1, s2, r->result);
		break;
	case WARMFORK_CMP_STRSTR:
		__sanitizer_weak_hook_strstr(pc, s1, s2, r->result ? s1 : NULL);
		break;
	case WARMFORK_CMP_STRCASESTR:
		__sanitizer_weak_hook_strcasestr(pc, s1, s2, r->result ? s1 : NULL);
		break;
	case WARMFORK_CMP_MEMMEM:
		__sanitizer_weak_hook_memmem(pc, s1, r->n1, s2, r->n2, r->result ? s1 : NULL);
		break;
	default:
		break;
	}
}

unsigned wf_cmp_to_libfuzzer(struct wf_harness *h)
{
	struct replay rp = {.h = h};
	return wf_harness_cmp_each(h, replay_one, &rp);
}
