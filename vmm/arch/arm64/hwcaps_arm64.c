// SPDX-License-Identifier: Apache-2.0
/* hwcaps_arm64.c: AT_HWCAP and AT_HWCAP2 decoded from the vCPU's ID registers, as Linux does. */
#include <stdbool.h>
#include <asm/hwcap.h>

#include "hwcaps_arm64.h"
#include "regs_arm64.h"
#include "vm_internal.h"

/* The ID registers read, by index (hwcaps_arm64.h). */
enum { ISAR0 = WF_ARM64_ISAR0, ISAR1 = WF_ARM64_ISAR1, PFR0 = WF_ARM64_PFR0,
       PFR1 = WF_ARM64_PFR1, MMFR2 = WF_ARM64_MMFR2, NIDREGS = WF_ARM64_NIDREGS };

static const uint64_t id_regs[NIDREGS] = {
	[ISAR0] = WF_REG_ID_AA64ISAR0_EL1, [ISAR1] = WF_REG_ID_AA64ISAR1_EL1,
	[PFR0] = WF_REG_ID_AA64PFR0_EL1,   [PFR1] = WF_REG_ID_AA64PFR1_EL1,
	[MMFR2] = WF_REG_ID_AA64MMFR2_EL1,
};

/* ID register fields (ARM ARM D19.2), each 4 bits, by their shift. */
enum {
	ISAR0_AES = 4, ISAR0_SHA1 = 8, ISAR0_SHA2 = 12, ISAR0_CRC32 = 16, ISAR0_ATOMIC = 20,
	ISAR0_RDM = 28, ISAR0_SHA3 = 32, ISAR0_SM3 = 36, ISAR0_SM4 = 40, ISAR0_DP = 44,
	ISAR0_FHM = 48, ISAR0_TS = 52, ISAR0_RNDR = 60,
	ISAR1_DPB = 0, ISAR1_APA = 4, ISAR1_API = 8, ISAR1_JSCVT = 12, ISAR1_FCMA = 16,
	ISAR1_LRCPC = 20, ISAR1_GPA = 24, ISAR1_GPI = 28, ISAR1_FRINTTS = 32, ISAR1_SB = 36,
	ISAR1_BF16 = 44, ISAR1_DGH = 48, ISAR1_I8MM = 52,
	PFR0_FP = 16, PFR0_ADVSIMD = 20, PFR0_DIT = 48,
	PFR1_BT = 0, PFR1_SSBS = 4,
	MMFR2_AT = 32,
};

/* One capability bit: set when the field is at least min (and, for pointer authentication,
 * when the vCPU has it enabled). FP and AdvSIMD are signed fields: 0xf means absent. */
struct hwcap_rule {
	unsigned char reg, shift, min;
	bool pauth, hwcap2;
	uint64_t bit;
};

#define H(reg, f, min, bit)  {reg, reg##_##f, min, false, false, bit}
#define H2(reg, f, min, bit) {reg, reg##_##f, min, false, true, bit}
#define HP(reg, f, bit)      {reg, reg##_##f, 1, true, false, bit}

static const struct hwcap_rule rules[] = {
	H(PFR0, DIT, 1, HWCAP_DIT),
	H(ISAR0, AES, 1, HWCAP_AES),         H(ISAR0, AES, 2, HWCAP_PMULL),
	H(ISAR0, SHA1, 1, HWCAP_SHA1),       H(ISAR0, SHA2, 1, HWCAP_SHA2),
	H(ISAR0, SHA2, 2, HWCAP_SHA512),     H(ISAR0, CRC32, 1, HWCAP_CRC32),
	H(ISAR0, ATOMIC, 2, HWCAP_ATOMICS),  H(ISAR0, RDM, 1, HWCAP_ASIMDRDM),
	H(ISAR0, SHA3, 1, HWCAP_SHA3),       H(ISAR0, SM3, 1, HWCAP_SM3),
	H(ISAR0, SM4, 1, HWCAP_SM4),         H(ISAR0, DP, 1, HWCAP_ASIMDDP),
	H(ISAR0, FHM, 1, HWCAP_ASIMDFHM),    H(ISAR0, TS, 1, HWCAP_FLAGM),
	H2(ISAR0, TS, 2, HWCAP2_FLAGM2),     H2(ISAR0, RNDR, 1, HWCAP2_RNG),
	H(ISAR1, DPB, 1, HWCAP_DCPOP),       H2(ISAR1, DPB, 2, HWCAP2_DCPODP),
	H(ISAR1, JSCVT, 1, HWCAP_JSCVT),     H(ISAR1, FCMA, 1, HWCAP_FCMA),
	H(ISAR1, LRCPC, 1, HWCAP_LRCPC),     H(ISAR1, LRCPC, 2, HWCAP_ILRCPC),
	H2(ISAR1, FRINTTS, 1, HWCAP2_FRINT), H(ISAR1, SB, 1, HWCAP_SB),
	H2(ISAR1, BF16, 1, HWCAP2_BF16),     H2(ISAR1, DGH, 1, HWCAP2_DGH),
	H2(ISAR1, I8MM, 1, HWCAP2_I8MM),
	HP(ISAR1, APA, HWCAP_PACA),          HP(ISAR1, API, HWCAP_PACA),
	HP(ISAR1, GPA, (uint64_t)HWCAP_PACG), HP(ISAR1, GPI, (uint64_t)HWCAP_PACG),
	H(PFR1, SSBS, 2, HWCAP_SSBS),        H2(PFR1, BT, 1, HWCAP2_BTI),
	H(MMFR2, AT, 1, HWCAP_USCAT),
};

static unsigned field(uint64_t reg, unsigned shift)
{
	return (unsigned)((reg >> shift) & 0xf);
}

void wf_arm64_hwcaps(const uint64_t id[WF_ARM64_NIDREGS], bool pauth, uint64_t *hwcap,
		     uint64_t *hwcap2)
{
	uint64_t h = 0, h2 = 0;
	unsigned fp = field(id[PFR0], PFR0_FP), simd = field(id[PFR0], PFR0_ADVSIMD);
	if (fp != 0xf)
		h |= HWCAP_FP | (fp >= 1 ? HWCAP_FPHP : 0);
	if (simd != 0xf)
		h |= HWCAP_ASIMD | (simd >= 1 ? HWCAP_ASIMDHP : 0);
	for (size_t i = 0; i < ARRAY_SIZE(rules); i++) {
		const struct hwcap_rule *r = &rules[i];
		if (field(id[r->reg], r->shift) < r->min || (r->pauth && !pauth))
			continue;
		if (r->hwcap2)
			h2 |= r->bit;
		else
			h |= r->bit;
	}
	*hwcap = h;
	*hwcap2 = h2;
}

/*
 * Report only what this vCPU offers. HWCAP_CPUID is left out on purpose: EL0 reads of ID
 * registers are not emulated, and glibc only makes them when the bit is set.
 */
int wf_arch_hwcaps(struct wf_vm *vm, struct wf_err *e)
{
	uint64_t id[NIDREGS];
	for (unsigned i = 0; i < NIDREGS; i++) {
		int rc = wf_kvm_get_reg(&vm->vcpu, id_regs[i], &id[i], e);
		if (rc)
			return rc;
	}
	wf_arm64_hwcaps(id, vm->arch.pauth, &vm->arch.hwcap, &vm->arch.hwcap2);
	vm->proc.sig_bti = (vm->arch.hwcap2 & HWCAP2_BTI) != 0; /* handlers start with BTYPE=C */
	return 0;
}
