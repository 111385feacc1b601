/* SPDX-License-Identifier: Apache-2.0 */
/* bench_exit.S: EL1 guest loop for the bare-exit benchmark: one MMIO store per iteration. */
	.section .rodata.wf_bench_exit, "a"
	.balign 4
	.global wf_bench_exit_start, wf_bench_exit_end
wf_bench_exit_start:
1:	str	w1, [x2]	/* x2 = an unbacked IPA: KVM_EXIT_MMIO */
	b	1b
wf_bench_exit_end:
