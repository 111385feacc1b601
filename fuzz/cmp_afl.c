// SPDX-License-Identifier: Apache-2.0
/* cmp_afl.c: a guest's comparisons, replayed into AFL++'s cmplog hooks after each input (afl_guest as afl-fuzz -c). */
#include <stddef.h>
#include <string.h>

#include "cmp.h"
#include "fuzz_abi.h"

/*
 * AFL++'s runtime (afl-compiler-rt.o) defines these. When afl-fuzz runs this binary as its
 * cmplog binary (afl-fuzz -c 0, or -c PATH), the runtime maps the cmplog table into
 * __afl_cmp_map; otherwise it is NULL and nothing is replayed. Every hook keys its table
 * slot on its return address: each guest comparison site gets its own call site (tramp.S).
 * The operands are what AFL++'s own __sanitizer_cov_trace_cmp* forwarding gives them
 * (attribute 0: the predicate is not known), switch cases as it logs them (one key per
 * case, attribute 1), and the memcmp family as its routine hooks.
 */
extern void *__afl_cmp_map;
void __cmplog_ins_hook1(uint8_t a, uint8_t b, uint8_t attr);
void __cmplog_ins_hook2(uint16_t a, uint16_t b, uint8_t attr);
void __cmplog_ins_hook4(uint32_t a, uint32_t b, uint8_t attr);
void __cmplog_ins_hook8(uint64_t a, uint64_t b, uint8_t attr);
void __cmplog_rtn_hook(uint8_t *p1, uint8_t *p2);
void __cmplog_rtn_hook_str(uint8_t *p1, uint8_t *p2);
void __cmplog_rtn_hook_strn(uint8_t *p1, uint8_t *p2, uint64_t len);

#define MAX_CASES 4096

static void *int_hook(uint8_t size)
{
	switch (size) {
	case 1: return (void *)__cmplog_ins_hook1;
	case 2: return (void *)__cmplog_ins_hook2;
	case 4: return (void *)__cmplog_ins_hook4;
	case 8: return (void *)__cmplog_ins_hook8;
	default: return NULL;
	}
}

static void replay_switch(struct wf_harness *h, const struct warmfork_cmp_rec *r)
{
	static uint64_t cases[2 + MAX_CASES];
	struct wf_vm *vm = h->fork ? h->fork : h->master;
	if (wf_mem_read(&wf_vm_proc(vm)->mem, cases, r->b, 2 * sizeof(uint64_t)) ||
	    cases[0] > MAX_CASES ||
	    wf_mem_read(&wf_vm_proc(vm)->mem, cases + 2, r->b + 16, cases[0] * sizeof(uint64_t)))
		return;
	uint64_t slot = wf_tramp_slot(r->pc);
	for (uint64_t i = 0; i < cases[0]; i++)
		wf_tramp_call(r->a, cases[2 + i], 1, (void *)__cmplog_ins_hook8,
			      (slot + i) % WF_TRAMP_SLOTS);
}

static void replay_one(void *ctx, const struct warmfork_cmp_rec *r, const uint8_t *bytes)
{
	uint64_t slot = wf_tramp_slot(r->pc);
	/* The routine hooks read up to 32 bytes of each operand: pad them with zeros. */
	uint8_t s1[WARMFORK_CMP_WORD + 32] = {0}, s2[WARMFORK_CMP_WORD + 32] = {0};
	memcpy(s1, bytes, r->n1);
	memcpy(s2, bytes + r->n1, r->n2);
	void *hook;
	switch (r->kind) {
	case WARMFORK_CMP_INT:
	case WARMFORK_CMP_CONST:
		if ((hook = int_hook(r->size)) && r->a != r->b)
			wf_tramp_call(r->a, r->b, 0, hook, slot);
		break;
	case WARMFORK_CMP_SWITCH:
		replay_switch(ctx, r);
		break;
	case WARMFORK_CMP_MEMCMP:
		wf_tramp_call((uintptr_t)s1, (uintptr_t)s2, 0, (void *)__cmplog_rtn_hook, slot);
		break;
	case WARMFORK_CMP_STRCMP:
	case WARMFORK_CMP_STRCASECMP:
		wf_tramp_call((uintptr_t)s1, (uintptr_t)s2, 0, (void *)__cmplog_rtn_hook_str, slot);
		break;
	case WARMFORK_CMP_STRNCMP:
	case WARMFORK_CMP_STRNCASECMP:
		wf_tramp_call((uintptr_t)s1, (uintptr_t)s2, r->a, (void *)__cmplog_rtn_hook_strn,
			      slot);
		break;
	default:
		break; /* div, gep, indirect calls and searches: AFL++ logs none of them */
	}
}

unsigned wf_cmp_to_afl(struct wf_harness *h)
{
	if (!__afl_cmp_map)
		return 0;
	return wf_harness_cmp_each(h, replay_one, h);
}
