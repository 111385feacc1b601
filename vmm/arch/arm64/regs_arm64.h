// SPDX-License-Identifier: Apache-2.0
/* regs_arm64.h: KVM ONE_REG ids for arm64 core and system registers, built from the uapi macros. */
#ifndef WARMFORK_REGS_ARM64_H
#define WARMFORK_REGS_ARM64_H

#include <linux/kvm.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define WF_CORE_REG(field)                                                                         \
	(KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE |                                     \
	 (offsetof(struct kvm_regs, field) / sizeof(__u32)))
#define WF_REG_X(n)     WF_CORE_REG(regs.regs[n])
#define WF_REG_SP_EL0   WF_CORE_REG(regs.sp)
#define WF_REG_PC       WF_CORE_REG(regs.pc)
#define WF_REG_PSTATE   WF_CORE_REG(regs.pstate)
#define WF_REG_SP_EL1   WF_CORE_REG(sp_el1)
#define WF_REG_ELR_EL1  WF_CORE_REG(elr_el1)
#define WF_REG_SPSR_EL1 WF_CORE_REG(spsr[KVM_SPSR_EL1])

/* System registers by (op0, op1, CRn, CRm, op2). */
#define WF_SYSREG(op0, op1, crn, crm, op2) ARM64_SYS_REG(op0, op1, crn, crm, op2)
#define WF_REG_SCTLR_EL1 WF_SYSREG(3, 0, 1, 0, 0)
#define WF_REG_CPACR_EL1 WF_SYSREG(3, 0, 1, 0, 2)
#define WF_REG_TTBR0_EL1 WF_SYSREG(3, 0, 2, 0, 0)
#define WF_REG_TTBR1_EL1 WF_SYSREG(3, 0, 2, 0, 1)
#define WF_REG_TCR_EL1   WF_SYSREG(3, 0, 2, 0, 2)
#define WF_REG_ESR_EL1   WF_SYSREG(3, 0, 5, 2, 0)
#define WF_REG_FAR_EL1   WF_SYSREG(3, 0, 6, 0, 0)
#define WF_REG_MAIR_EL1  WF_SYSREG(3, 0, 10, 2, 0)
#define WF_REG_VBAR_EL1  WF_SYSREG(3, 0, 12, 0, 0)
#define WF_REG_TPIDR_EL0 WF_SYSREG(3, 3, 13, 0, 2)
#define WF_REG_TPIDRRO_EL0 WF_SYSREG(3, 3, 13, 0, 3)
#define WF_REG_TPIDR_EL1 WF_SYSREG(3, 0, 13, 0, 4)
/* ID registers (read for the guest's HWCAPs: hwcaps_arm64.c). */
#define WF_REG_ID_AA64PFR0_EL1  WF_SYSREG(3, 0, 0, 4, 0)
#define WF_REG_ID_AA64PFR1_EL1  WF_SYSREG(3, 0, 0, 4, 1)
#define WF_REG_ID_AA64ISAR0_EL1 WF_SYSREG(3, 0, 0, 6, 0)
#define WF_REG_ID_AA64ISAR1_EL1 WF_SYSREG(3, 0, 0, 6, 1)
#define WF_REG_ID_AA64MMFR2_EL1 WF_SYSREG(3, 0, 0, 7, 2)

/* ESR_EL1 (ARM ARM D19.2.46): the exception class and the fields warmfork decodes. */
enum {
	EC_UNKNOWN = 0x00, EC_WFX = 0x01, EC_ILL_STATE = 0x0e, EC_SVC64 = 0x15, EC_SYSREG = 0x18,
	EC_SVE = 0x19, EC_FPAC = 0x1c, EC_IABT_LOW = 0x20, EC_PC_ALIGN = 0x22, EC_DABT_LOW = 0x24,
	EC_SP_ALIGN = 0x26, EC_FP_EXC64 = 0x2c, EC_SERROR = 0x2f, EC_BREAKPT_LOW = 0x30,
	EC_SOFTSTP_LOW = 0x32, EC_WATCHPT_LOW = 0x34, EC_BRK64 = 0x3c,
};
#define WF_FSC_ALIGNMENT 0x21 /* DFSC/IFSC: alignment fault */

static inline unsigned wf_esr_ec(uint64_t esr)
{
	return (unsigned)(esr >> 26) & 0x3f;
}

/* Instruction and data aborts: the fault status code; a translation fault (0b0001xx, any
 * level); a data abort's write-not-read bit. */
static inline unsigned wf_esr_fsc(uint64_t esr)
{
	return (unsigned)esr & 0x3f;
}

static inline bool wf_esr_translation_fault(uint64_t esr)
{
	return (wf_esr_fsc(esr) & 0x3c) == 0x04;
}

static inline bool wf_esr_wnr(uint64_t esr)
{
	return (esr >> 6) & 1;
}

/* BRK: the instruction's 16-bit immediate. */
static inline unsigned wf_esr_brk_imm(uint64_t esr)
{
	return (unsigned)esr & 0xffff;
}

/* PSTATE values. */
#define WF_PSTATE_EL0t  0x0ull
#define WF_PSTATE_EL1h  0x5ull
#define WF_PSTATE_DAIF  (0xfull << 6)

#endif
