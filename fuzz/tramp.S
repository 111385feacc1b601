/* SPDX-License-Identifier: Apache-2.0 */
/* tramp.S: call sites for hooks that key on their return address: one per guest comparison site (fuzz_guest, afl_guest). */

/*
 * libFuzzer's __sanitizer_cov_trace_* hooks and AFL++'s __cmplog_ins_hook* tell comparison
 * sites apart by their return address. The hosts replay a guest's comparisons from one
 * place, so each call goes through one of WF_TRAMP_SLOTS call sites, chosen from the guest
 * PC (fuzz/cmp.h): the hook sees a return address of its own per slot.
 *
 *   void wf_tramp_call(uint64_t a, uint64_t b, uint64_t c, void *fn, uint64_t slot)
 *   calls fn(a, b, c) from call site `slot` (slot < WF_TRAMP_SLOTS) and returns.
 */
#define WF_TRAMP_SLOTS 16384

	.text
	.globl	wf_tramp_call
	.type	wf_tramp_call, %function
	.p2align 3
wf_tramp_call:
	stp	x29, x30, [sp, #-16]!
	mov	x29, sp
	adr	x5, 1f
	add	x5, x5, x4, lsl #3	/* each slot is two instructions */
	br	x5
	.p2align 3
1:
	.rept	WF_TRAMP_SLOTS
	blr	x3
	b	2f
	.endr
2:
	ldp	x29, x30, [sp], #16
	ret
	.size	wf_tramp_call, . - wf_tramp_call

	.section .note.GNU-stack, "", %progbits
