// SPDX-License-Identifier: Apache-2.0
/* regs_arm64.h: KVM ONE_REG ids for arm64 core and system registers, built from the uapi macros. */
#ifndef WARMFORK_REGS_ARM64_H
#define WARMFORK_REGS_ARM64_H

#include <linux/kvm.h>
#include <stddef.h>

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

/* PSTATE values. */
#define WF_PSTATE_EL0t  0x0ull
#define WF_PSTATE_EL1h  0x5ull
#define WF_PSTATE_DAIF  (0xfull << 6)

#endif
