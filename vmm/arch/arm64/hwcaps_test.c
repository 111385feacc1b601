// SPDX-License-Identifier: Apache-2.0
/* hwcaps_test.c: Check tests of the HWCAP decoding against the rules of Linux's arm64 cpufeature table. */
#include <check.h>
#include <asm/hwcap.h>

#include "check_main.h"
#include "hwcaps_arm64.h"

#define ISAR0 WF_ARM64_ISAR0
#define ISAR1 WF_ARM64_ISAR1
#define PFR0  WF_ARM64_PFR0
#define PFR1  WF_ARM64_PFR1
#define MMFR2 WF_ARM64_MMFR2

/* A 4-bit ID register field of value v at shift s. */
#define F(s, v) ((uint64_t)(v) << (s))

static uint64_t h, h2;

static void decode(uint64_t isar0, uint64_t isar1, uint64_t pfr0, uint64_t pfr1, uint64_t mmfr2,
		   bool pauth)
{
	const uint64_t id[WF_ARM64_NIDREGS] = {[ISAR0] = isar0, [ISAR1] = isar1, [PFR0] = pfr0,
					       [PFR1] = pfr1, [MMFR2] = mmfr2};
	wf_arm64_hwcaps(id, pauth, &h, &h2);
}

/* FP and AdvSIMD are signed fields: 0 is the base feature, 1 adds half precision, 0xf is
 * absent. Every other field is unsigned and zero means nothing. */
START_TEST(test_fp_simd)
{
	decode(0, 0, 0, 0, 0, false);
	ck_assert_uint_eq(h, HWCAP_FP | HWCAP_ASIMD);
	ck_assert_uint_eq(h2, 0);
	decode(0, 0, F(16, 1) | F(20, 1), 0, 0, false);
	ck_assert_uint_eq(h, HWCAP_FP | HWCAP_FPHP | HWCAP_ASIMD | HWCAP_ASIMDHP);
	decode(0, 0, F(16, 0xf) | F(20, 0xf), 0, 0, false);
	ck_assert_uint_eq(h, 0);
}
END_TEST

/* A Neoverse-N1-like ID_AA64ISAR0_EL1: AES with PMULL, SHA1, SHA2 (not SHA512), CRC32, LSE
 * atomics, RDM and dot product. */
START_TEST(test_isar0_levels)
{
	decode(0x0000100010211120ull, 0, F(16, 0xf) | F(20, 0xf), 0, 0, false);
	ck_assert_uint_eq(h, HWCAP_AES | HWCAP_PMULL | HWCAP_SHA1 | HWCAP_SHA2 | HWCAP_CRC32 |
				     HWCAP_ATOMICS | HWCAP_ASIMDRDM | HWCAP_ASIMDDP);
	ck_assert_uint_eq(h2, 0);
	/* AES level 1 is AES without PMULL; ATOMIC level 1 is not LSE. */
	decode(F(4, 1) | F(20, 1), 0, F(16, 0xf) | F(20, 0xf), 0, 0, false);
	ck_assert_uint_eq(h, HWCAP_AES);
	/* TS: 1 is FLAGM, 2 adds FLAGM2 (an AT_HWCAP2 bit); RNDR is AT_HWCAP2's RNG. */
	decode(F(52, 2) | F(60, 1), 0, F(16, 0xf) | F(20, 0xf), 0, 0, false);
	ck_assert_uint_eq(h, HWCAP_FLAGM);
	ck_assert_uint_eq(h2, HWCAP2_FLAGM2 | HWCAP2_RNG);
}
END_TEST

/* Pointer authentication is reported only when the vCPU has it enabled. */
START_TEST(test_pauth_needs_the_vcpu)
{
	const uint64_t none = F(16, 0xf) | F(20, 0xf);
	decode(0, F(4, 1) | F(24, 1), none, 0, 0, false);
	ck_assert_uint_eq(h, 0);
	decode(0, F(4, 1) | F(24, 1), none, 0, 0, true);
	ck_assert_uint_eq(h, HWCAP_PACA | HWCAP_PACG);
	decode(0, F(8, 3) | F(28, 1), none, 0, 0, true); /* IMPLEMENTATION DEFINED algorithms */
	ck_assert_uint_eq(h, HWCAP_PACA | HWCAP_PACG);
}
END_TEST

/* ISAR1, PFR1 and MMFR2 fields, each at its own minimum. */
START_TEST(test_other_registers)
{
	const uint64_t none = F(16, 0xf) | F(20, 0xf);
	decode(0, F(0, 2) | F(12, 1) | F(16, 1) | F(20, 2) | F(32, 1) | F(36, 1) | F(44, 1) |
			  F(48, 1) | F(52, 1),
	       none, 0, 0, false);
	ck_assert_uint_eq(h, HWCAP_DCPOP | HWCAP_JSCVT | HWCAP_FCMA | HWCAP_LRCPC | HWCAP_ILRCPC |
				     HWCAP_SB);
	ck_assert_uint_eq(h2, HWCAP2_DCPODP | HWCAP2_FRINT | HWCAP2_BF16 | HWCAP2_DGH |
				      HWCAP2_I8MM);
	/* SSBS level 1 has no EL0 bit (Linux reports HWCAP_SSBS from level 2); BT is BTI. */
	decode(0, 0, none, F(4, 1) | F(0, 1), 0, false);
	ck_assert_uint_eq(h, 0);
	ck_assert_uint_eq(h2, HWCAP2_BTI);
	decode(0, 0, none, F(4, 2), F(32, 1), false);
	ck_assert_uint_eq(h, HWCAP_SSBS | HWCAP_USCAT);
	decode(0, 0, F(48, 1) | F(16, 0xf) | F(20, 0xf), 0, 0, false);
	ck_assert_uint_eq(h, HWCAP_DIT);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("hwcaps");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_fp_simd);
	tcase_add_test(tc, test_isar0_levels);
	tcase_add_test(tc, test_pauth_needs_the_vcpu);
	tcase_add_test(tc, test_other_registers);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return wf_check_run(suite());
}
