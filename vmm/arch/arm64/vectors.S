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
	/* The host rewrote page tables: nothing is invalidated for us, so do it here. */
	dsb	ishst
	tlbi	vmalle1is
	dsb	ish
	isb
1:	tbz	x1, #WF_FRAME_F_SET_TPIDR_BIT, 2f
	ldr	x2, [sp, #WF_FRAME_TPIDR]
	msr	tpidr_el0, x2
2:	str	xzr, [sp, #WF_FRAME_FLAGS]
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
