// SPDX-License-Identifier: Apache-2.0
/* abi.h: the guest-host ABI: the exception frame page, the doorbell and the fixed memory layout. */
#ifndef WARMFORK_ABI_H
#define WARMFORK_ABI_H

/*
 * Version of this contract. Bump it on any change of meaning; structures only ever grow at
 * the end. Documented in docs/abi.md.
 */
#define WF_ABI_VERSION 1

/*
 * Every exception the guest takes into EL1 is handled by the vectors in
 * vmm/arch/arm64/vectors.S: they save the EL0 state into the frame page, make one 32-bit
 * store to the doorbell (an IPA no memory slot backs, so KVM exits to the host with
 * KVM_EXIT_MMIO), and when the host resumes the vCPU they restore EL0 state from the frame,
 * as the host may have changed it, and ERET. One exit per syscall, no ONE_REG ioctls.
 */

#ifdef __ASSEMBLER__
#define WF_U64(x) x
#else
#define WF_U64(x) x##ull
#endif

/* Frame field offsets (bytes), shared with the assembly. */
#define WF_FRAME_X       0    /* x0..x30                      IN/OUT */
#define WF_FRAME_SP      248  /* SP_EL0                       IN/OUT */
#define WF_FRAME_PC      256  /* ELR_EL1: where EL0 resumes   IN/OUT */
#define WF_FRAME_PSTATE  264  /* SPSR_EL1                     IN/OUT */
#define WF_FRAME_ESR     272  /* ESR_EL1 of the exception     OUT (guest to host) */
#define WF_FRAME_FAR     280  /* FAR_EL1 of the exception     OUT */
#define WF_FRAME_VECTOR  288  /* vector slot 0..15 taken      OUT */
#define WF_FRAME_FLAGS   296  /* WF_FRAME_F_* requests        IN (host to guest), cleared */
#define WF_FRAME_TPIDR   304  /* TPIDR_EL0                    OUT, IN (always loaded) */
#define WF_FRAME_VERSION 312  /* WF_ABI_VERSION, written by the host at set-up */
#define WF_FRAME_FPSR    320  /* FPSR                         IN with F_LOAD_FP */
#define WF_FRAME_FPCR    328  /* FPCR                         IN with F_LOAD_FP */
#define WF_FRAME_V       336  /* q0..q31, 16 bytes each       IN with F_LOAD_FP */
#define WF_FRAME_HEALS   848  /* TPIDR_EL0 found changed under EL0 and put back  OUT */
#define WF_FRAME_SIZE    856

/* Frame flags the host sets before resuming the vCPU. */
#define WF_FRAME_F_TLBI_BIT      0 /* page tables changed: invalidate the stage-1 TLB */
#define WF_FRAME_F_SET_TPIDR_BIT 1 /* the host set a new TPIDR_EL0 (not counted as a heal) */
#define WF_FRAME_F_LOAD_FP_BIT   2 /* load q0..q31, FPSR and FPCR from the frame (reset, switch) */

/*
 * VMM calls a guest makes with SVC, outside Linux's syscall numbers (natively they fail with
 * ENOSYS, so SDK-built guests still run on plain Linux).
 */
#define WF_SYS_READY       0x7757f001 /* the guest's initialisation is done: capture master */
#define WF_SYS_VMCALL_RET  0x7757f002 /* return from a vmcall (the trampoline makes it) */

/* PSTATE for EL0 (AArch64 EL0t, interrupts unmasked), as a new Linux process starts. */
#define WF_ABI_PSTATE_EL0 0x0

/* Vector slots: 4 groups (EL1 SP0, EL1 SPx, EL0 AArch64, EL0 AArch32) x (sync, irq, fiq, serror). */
#define WF_VEC_EL1_SYNC  4
#define WF_VEC_EL0_SYNC  8
#define WF_VEC_EL0_IRQ   9
#define WF_VEC_EL0_FIQ   10
#define WF_VEC_EL0_SERR  11

/*
 * Guest memory layout: a 39-bit address space over guest RAM (IPA 0 .. RAM size). The low
 * part of RAM is identity-mapped (VA == IPA): program, heap, mmap arena. The main thread's
 * stack is RAM just below the VMM's pages, mapped at the top of the user range (it ends at
 * WF_USER_TOP), as on a 39-bit Linux. Anywhere else below WF_USER_TOP a mapping is
 * demand-paged: each page gets a RAM page from a pool when first touched (linux/mm.c). The
 * VMM's own pages (vectors, frame, trampolines) sit at the top of RAM and are mapped at
 * WF_KAREA_VA, above the user range; the page-table pool after them is never mapped. The
 * doorbell page is device memory, EL1 only, just below 2^39.
 */
#define WF_VA_BITS       39
#define WF_USER_TOP      WF_U64(0x7ff0000000) /* the end of what EL0 may map */
#define WF_KAREA_VA      WF_U64(0x7fffe00000) /* guest address of the VMM's pages */
#define WF_DOORBELL      WF_U64(0x7ffffff000)
#define WF_KAREA_VECTORS WF_U64(0x0000) /* offset in the VMM area: vectors + stub, 2 pages */
#define WF_KAREA_FRAME   WF_U64(0x2000) /* the frame page (SP_EL1 points here) */
#define WF_KAREA_TRAMP   WF_U64(0x3000) /* EL0-executable trampolines (signal return, vmcall) */
#define WF_KAREA_TABLES  WF_U64(0x4000) /* page-table pool */

#ifndef __ASSEMBLER__
#include <stddef.h>
#include <stdint.h>

struct wf_abi_frame {
	uint64_t x[31];
	uint64_t sp;
	uint64_t pc;
	uint64_t pstate;
	uint64_t esr;
	uint64_t far;
	uint64_t vector;
	uint64_t flags;
	uint64_t tpidr;
	uint64_t version;
	uint64_t fpsr;
	uint64_t fpcr;
	uint8_t v[32][16];
	uint64_t tpidr_heals;
};

_Static_assert(offsetof(struct wf_abi_frame, x) == WF_FRAME_X, "frame x");
_Static_assert(offsetof(struct wf_abi_frame, sp) == WF_FRAME_SP, "frame sp");
_Static_assert(offsetof(struct wf_abi_frame, pc) == WF_FRAME_PC, "frame pc");
_Static_assert(offsetof(struct wf_abi_frame, pstate) == WF_FRAME_PSTATE, "frame pstate");
_Static_assert(offsetof(struct wf_abi_frame, esr) == WF_FRAME_ESR, "frame esr");
_Static_assert(offsetof(struct wf_abi_frame, far) == WF_FRAME_FAR, "frame far");
_Static_assert(offsetof(struct wf_abi_frame, vector) == WF_FRAME_VECTOR, "frame vector");
_Static_assert(offsetof(struct wf_abi_frame, flags) == WF_FRAME_FLAGS, "frame flags");
_Static_assert(offsetof(struct wf_abi_frame, tpidr) == WF_FRAME_TPIDR, "frame tpidr");
_Static_assert(offsetof(struct wf_abi_frame, version) == WF_FRAME_VERSION, "frame version");
_Static_assert(offsetof(struct wf_abi_frame, fpsr) == WF_FRAME_FPSR, "frame fpsr");
_Static_assert(offsetof(struct wf_abi_frame, fpcr) == WF_FRAME_FPCR, "frame fpcr");
_Static_assert(offsetof(struct wf_abi_frame, v) == WF_FRAME_V, "frame v");
_Static_assert(offsetof(struct wf_abi_frame, tpidr_heals) == WF_FRAME_HEALS, "frame heals");
_Static_assert(sizeof(struct wf_abi_frame) == WF_FRAME_SIZE, "frame size");
_Static_assert(WF_FRAME_SIZE <= 4096, "frame fits its page");
#endif

#endif
