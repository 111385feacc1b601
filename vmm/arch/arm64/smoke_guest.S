/* SPDX-License-Identifier: Apache-2.0 */
/* smoke_guest.S: a few EL1 instructions for the KVM smoke test: compute, then one MMIO store. */
	.section .rodata.smoke_guest, "a"
	.balign 4
	.global wf_smoke_guest_start, wf_smoke_guest_end
wf_smoke_guest_start:
	movz	x0, #0x1234
	movk	x0, #0xabcd, lsl #16	/* x0 = 0xabcd1234 */
	add	x1, x0, #0x11		/* x1 = 0xabcd1245, the value stored */
	mov	x2, x3			/* x3 = MMIO doorbell address, set by the host */
	str	w1, [x2]		/* unbacked IPA: KVM_EXIT_MMIO */
	add	x0, x0, #1		/* runs after the host resumes the vCPU */
	str	w0, [x2, #4]		/* second exit at doorbell + 4 */
1:	b	1b
wf_smoke_guest_end:
