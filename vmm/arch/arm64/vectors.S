/* SPDX-License-Identifier: Apache-2.0 */
/* vectors.S: EL1 exception vectors: save EL0 state to the frame page, ring the doorbell, resume. */
#include "abi.h"

/*
 * Runs at EL1 with SP_EL1 = the frame page (set once by the host). The stub never touches
 * FP/SIMD registers or any memory but the frame, and keeps no state of its own between
 * exceptions, so the host can rewrite the frame at will while the vCPU is stopped.
 */

	.section .rodata.wf_vectors, "a"
	.balign 4096
	.global wf_vectors_start, wf_vectors_end, wf_vectors_resume
wf_vectors_start:

/* One 0x80-byte slot per vector: save x0/x1, put the slot number in x0, go to the common path. */
.macro slot n
	.balign 0x80
	stp	x0, x1, [sp, #WF_FRAME_X]
	mov	x0, #\n
	b	wf_exception
.endm

	slot 0
	slot 1
	slot 2
	slot 3
	slot 4
	slot 5
	slot 6
	slot 7
	slot 8
	slot 9
	slot 10
	slot 11
	slot 12
	slot 13
	slot 14
	slot 15

	.balign 0x80
wf_exception:
	stp	x2, x3, [sp, #WF_FRAME_X + 2 * 8]
	stp	x4, x5, [sp, #WF_FRAME_X + 4 * 8]
	stp	x6, x7, [sp, #WF_FRAME_X + 6 * 8]
	stp	x8, x9, [sp, #WF_FRAME_X + 8 * 8]
	stp	x10, x11, [sp, #WF_FRAME_X + 10 * 8]
	stp	x12, x13, [sp, #WF_FRAME_X + 12 * 8]
	stp	x14, x15, [sp, #WF_FRAME_X + 14 * 8]
	stp	x16, x17, [sp, #WF_FRAME_X + 16 * 8]
	stp	x18, x19, [sp, #WF_FRAME_X + 18 * 8]
	stp	x20, x21, [sp, #WF_FRAME_X + 20 * 8]
	stp	x22, x23, [sp, #WF_FRAME_X + 22 * 8]
	stp	x24, x25, [sp, #WF_FRAME_X + 24 * 8]
	stp	x26, x27, [sp, #WF_FRAME_X + 26 * 8]
	stp	x28, x29, [sp, #WF_FRAME_X + 28 * 8]
	str	x30, [sp, #WF_FRAME_X + 30 * 8]
	mrs	x1, sp_el0
	str	x1, [sp, #WF_FRAME_SP]
	mrs	x1, elr_el1
	str	x1, [sp, #WF_FRAME_PC]
	mrs	x1, spsr_el1
	str	x1, [sp, #WF_FRAME_PSTATE]
	mrs	x1, esr_el1
	str	x1, [sp, #WF_FRAME_ESR]
	mrs	x1, far_el1
	str	x1, [sp, #WF_FRAME_FAR]
	mrs	x1, tpidr_el0
	str	x1, [sp, #WF_FRAME_TPIDR]
	str	x0, [sp, #WF_FRAME_VECTOR]

	/* The one VM exit: a 32-bit store to the doorbell; the value is the slot number. */
	ldr	x1, =WF_DOORBELL
	str	w0, [x1]

/* The host starts EL0 here too (PC = wf_vectors_resume, EL1h, with the frame filled in). */
wf_vectors_resume:
	ldr	x1, [sp, #WF_FRAME_FLAGS]
	tbz	x1, #WF_FRAME_F_TLBI_BIT, 1f
	/* The host rewrote page tables (or code: a breakpoint, a fork reset): nothing is
	 * invalidated for us, so do it here, TLB and instruction cache. */
	dsb	ishst
	tlbi	vmalle1is
	ic	iallu
	dsb	ish
	isb
	/*
	 * TPIDR_EL0 is loaded from the frame on every return: the value saved at entry, or a
	 * new one the host set (F_SET_TPIDR: a new process, a reset, a thread switch). Under
	 * nested KVM in the emulated test machine, EL0 has been seen to come back from an exit
	 * holding the host thread's TPIDR_EL0 (docs/architecture.md); a value changed without
	 * F_SET_TPIDR is put back and counted.
	 */
1:	ldr	x2, [sp, #WF_FRAME_TPIDR]
	tbnz	x1, #WF_FRAME_F_SET_TPIDR_BIT, 4f
	mrs	x3, tpidr_el0
	cmp	x2, x3
	b.eq	4f
	ldr	x3, [sp, #WF_FRAME_HEALS]
	add	x3, x3, #1
	str	x3, [sp, #WF_FRAME_HEALS]
4:	msr	tpidr_el0, x2
2:	tbz	x1, #WF_FRAME_F_LOAD_FP_BIT, 3f
	/* A fork reset: FP/SIMD state comes from the master's frame. */
	ldr	x2, [sp, #WF_FRAME_FPSR]
	msr	fpsr, x2
	ldr	x2, [sp, #WF_FRAME_FPCR]
	msr	fpcr, x2
	add	x2, sp, #WF_FRAME_V
	ldp	q0, q1, [x2, #0 * 32]
	ldp	q2, q3, [x2, #1 * 32]
	ldp	q4, q5, [x2, #2 * 32]
	ldp	q6, q7, [x2, #3 * 32]
	ldp	q8, q9, [x2, #4 * 32]
	ldp	q10, q11, [x2, #5 * 32]
	ldp	q12, q13, [x2, #6 * 32]
	ldp	q14, q15, [x2, #7 * 32]
	ldp	q16, q17, [x2, #8 * 32]
	ldp	q18, q19, [x2, #9 * 32]
	ldp	q20, q21, [x2, #10 * 32]
	ldp	q22, q23, [x2, #11 * 32]
	ldp	q24, q25, [x2, #12 * 32]
	ldp	q26, q27, [x2, #13 * 32]
	ldp	q28, q29, [x2, #14 * 32]
	ldp	q30, q31, [x2, #15 * 32]
3:	str	xzr, [sp, #WF_FRAME_FLAGS]
	ldr	x1, [sp, #WF_FRAME_SP]
	msr	sp_el0, x1
	ldr	x1, [sp, #WF_FRAME_PC]
	msr	elr_el1, x1
	ldr	x1, [sp, #WF_FRAME_PSTATE]
	msr	spsr_el1, x1
	ldp	x0, x1, [sp, #WF_FRAME_X]
	ldp	x2, x3, [sp, #WF_FRAME_X + 2 * 8]
	ldp	x4, x5, [sp, #WF_FRAME_X + 4 * 8]
	ldp	x6, x7, [sp, #WF_FRAME_X + 6 * 8]
	ldp	x8, x9, [sp, #WF_FRAME_X + 8 * 8]
	ldp	x10, x11, [sp, #WF_FRAME_X + 10 * 8]
	ldp	x12, x13, [sp, #WF_FRAME_X + 12 * 8]
	ldp	x14, x15, [sp, #WF_FRAME_X + 14 * 8]
	ldp	x16, x17, [sp, #WF_FRAME_X + 16 * 8]
	ldp	x18, x19, [sp, #WF_FRAME_X + 18 * 8]
	ldp	x20, x21, [sp, #WF_FRAME_X + 20 * 8]
	ldp	x22, x23, [sp, #WF_FRAME_X + 22 * 8]
	ldp	x24, x25, [sp, #WF_FRAME_X + 24 * 8]
	ldp	x26, x27, [sp, #WF_FRAME_X + 26 * 8]
	ldp	x28, x29, [sp, #WF_FRAME_X + 28 * 8]
	ldr	x30, [sp, #WF_FRAME_X + 30 * 8]
	eret
	.ltorg
wf_vectors_end:

/*
 * EL0 trampolines, copied to the VMM area's trampoline page (EL0 read+execute). A vmcall
 * sets LR to wf_tramp_vmcall_ret, so returning from the called function lands here.
 */
	.balign 4096
	.global wf_tramp_start, wf_tramp_end, wf_tramp_vmcall_ret, wf_tramp_sigreturn
wf_tramp_start:
wf_tramp_vmcall_ret:
	ldr	x8, =WF_SYS_VMCALL_RET
	svc	#0
	brk	#0xf02			/* never resumed: the host ends the call at the svc */

/*
 * A signal handler returns here (its LR) unless its action has SA_RESTORER: the VMM's
 * stand-in for the vDSO's __kernel_rt_sigreturn. Exactly these two instructions, as there,
 * because unwinders (libgcc's) recognise a signal frame by them; the nop before them keeps
 * a lookup of "return address - 1" inside the trampoline, as the vDSO's does.
 */
	nop
wf_tramp_sigreturn:
	mov	x8, #139		/* __NR_rt_sigreturn */
	svc	#0
	.ltorg
wf_tramp_end:
