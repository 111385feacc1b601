// SPDX-License-Identifier: Apache-2.0
/* pgtable_test.c: Check tests for the stage-1 page-table builder (descriptor bits, walks, pool). */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "pgtable.h"
#include "check_main.h"

enum { RAM = 4 << 20, POOL_PA = 3 << 20, POOL = 64 * 4096 };

static uint8_t *ram;
static struct wf_pgt t;
static struct wf_err err;

static void setup(void)
{
	ram = calloc(1, RAM);
	ck_assert_ptr_nonnull(ram);
	ck_assert_int_eq(wf_pgt_init(&t, ram, RAM, POOL_PA, POOL, &err), 0);
}

static void teardown(void)
{
	free(ram);
}

START_TEST(test_el0_read_write)
{
	ck_assert_int_eq(wf_pgt_map(&t, 0x400000, 0x400000, 0x2000, WF_PGT_EL0_R | WF_PGT_EL0_W,
				    &err),
			 0);
	uint64_t d = wf_pgt_lookup(&t, 0x401000);
	ck_assert_uint_eq(d & WF_PTE_ADDR, 0x401000);
	ck_assert(d & WF_PTE_VALID);
	ck_assert(d & WF_PTE_TABLE); /* level-3 "page" descriptor */
	ck_assert(d & WF_PTE_AF);
	ck_assert(d & WF_PTE_AP_EL0);
	ck_assert(!(d & WF_PTE_AP_RO));
	ck_assert(d & WF_PTE_UXN); /* not executable */
	ck_assert(d & WF_PTE_PXN); /* never executable at EL1 */
	ck_assert_uint_eq(wf_pgt_lookup(&t, 0x402000), 0);
	ck_assert_uint_eq(wf_pgt_lookup(&t, 0x3ff000), 0);
}
END_TEST

START_TEST(test_el0_exec_readonly)
{
	ck_assert_int_eq(wf_pgt_map(&t, 0x10000, 0x10000, 0x1000, WF_PGT_EL0_R | WF_PGT_EL0_X, &err),
			 0);
	uint64_t d = wf_pgt_lookup(&t, 0x10000);
	ck_assert(d & WF_PTE_AP_RO);
	ck_assert(!(d & WF_PTE_UXN));
	ck_assert(d & WF_PTE_PXN);
}
END_TEST

START_TEST(test_el1_only_and_device)
{
	ck_assert_int_eq(wf_pgt_map(&t, 0x7ffffff000ull, 0x7ffffff000ull, 0x1000,
				    WF_PGT_EL1 | WF_PGT_EL1_W | WF_PGT_DEVICE, &err),
			 0);
	uint64_t d = wf_pgt_lookup(&t, 0x7ffffff000ull);
	ck_assert(!(d & WF_PTE_AP_EL0));
	ck_assert(!(d & WF_PTE_AP_RO));
	ck_assert_uint_eq(d & (7ull << 2), WF_PTE_ATTR(WF_MAIR_DEVICE));
	ck_assert(d & WF_PTE_UXN);
	ck_assert_int_eq(wf_pgt_map(&t, 0x200000, 0x200000, 0x1000, WF_PGT_EL1 | WF_PGT_EL1_X, &err),
			 0);
	d = wf_pgt_lookup(&t, 0x200000);
	ck_assert(!(d & WF_PTE_PXN));
	ck_assert(d & WF_PTE_UXN);
	ck_assert(d & WF_PTE_AP_RO);
}
END_TEST

START_TEST(test_unmap_and_remap)
{
	ck_assert_int_eq(wf_pgt_map(&t, 0x400000, 0x400000, 0x3000, WF_PGT_EL0_R, &err), 0);
	ck_assert_int_eq(wf_pgt_map(&t, 0x401000, 0x401000, 0x1000, 0, &err), 0);
	ck_assert_uint_eq(wf_pgt_lookup(&t, 0x401000), 0);
	ck_assert_uint_ne(wf_pgt_lookup(&t, 0x400000), 0);
	ck_assert_uint_ne(wf_pgt_lookup(&t, 0x402000), 0);
	/* Unmapping where no table exists allocates nothing. */
	uint64_t used = t.pool_used;
	ck_assert_int_eq(wf_pgt_map(&t, 0x40000000, 0x40000000, 0x1000, 0, &err), 0);
	ck_assert_uint_eq(t.pool_used, used);
}
END_TEST

START_TEST(test_tables_live_in_the_pool)
{
	ck_assert_uint_ge(t.root_pa, POOL_PA);
	ck_assert_uint_lt(t.root_pa, POOL_PA + POOL);
	ck_assert_int_eq(wf_pgt_map(&t, 0x400000, 0x400000, 0x1000, WF_PGT_EL0_R, &err), 0);
	/* Walk by hand: L1[0] -> L2[2] -> L3[0]. */
	uint64_t l1 = ((uint64_t *)(void *)(ram + t.root_pa))[0];
	ck_assert(l1 & 3);
	uint64_t l2 = ((uint64_t *)(void *)(ram + (l1 & WF_PTE_ADDR)))[2];
	ck_assert(l2 & 3);
	uint64_t l3 = ((uint64_t *)(void *)(ram + (l2 & WF_PTE_ADDR)))[0];
	ck_assert_uint_eq(l3, wf_pgt_lookup(&t, 0x400000));
}
END_TEST

START_TEST(test_bad_arguments)
{
	ck_assert_int_eq(wf_pgt_map(&t, 0x400001, 0x400000, 0x1000, WF_PGT_EL0_R, &err), -EINVAL);
	ck_assert_int_eq(wf_pgt_map(&t, 0x400000, 0x400000, 0x1001, WF_PGT_EL0_R, &err), -EINVAL);
	ck_assert_int_eq(wf_pgt_map(&t, 1ull << 39, 0, 0x1000, WF_PGT_EL0_R, &err), -EINVAL);
	ck_assert_int_eq(wf_pgt_map(&t, ~0xfffull, 0, 0x2000, WF_PGT_EL0_R, &err), -EINVAL);
	ck_assert_uint_eq(wf_pgt_lookup(&t, 1ull << 40), 0);
	struct wf_pgt t2;
	ck_assert_int_eq(wf_pgt_init(&t2, ram, RAM, RAM - 4096, 8192, &err), -EINVAL);
}
END_TEST

START_TEST(test_pool_exhaustion)
{
	/* Each 1 GiB apart needs a new level-2 and level-3 table: the pool runs dry cleanly. */
	int rc = 0;
	for (uint64_t va = 0; va < (1ull << 39) && !rc; va += 1ull << 30)
		rc = wf_pgt_map(&t, va, 0, 0x1000, WF_PGT_EL0_R, &err);
	ck_assert_int_eq(rc, -ENOMEM);
	ck_assert_ptr_nonnull(strstr(err.msg, "pool exhausted"));
}
END_TEST

/* wf_pgt_next: the mapped pages of a sparse range, in order, absent tables skipped. */
START_TEST(test_next_mapped)
{
	const uint64_t shadow = 0x1000000000ull, far = 0x1400000000ull;
	uint64_t pte = 0;
	ck_assert_uint_eq(wf_pgt_next(&t, shadow, far + (1ull << 30), &pte), far + (1ull << 30));
	ck_assert_int_eq(wf_pgt_map(&t, shadow + 0x5000, 0x200000, 0x1000,
				    WF_PGT_EL0_R | WF_PGT_EL0_W, &err), 0);
	ck_assert_int_eq(wf_pgt_map(&t, far + 0x7000, 0x201000, 0x1000, WF_PGT_EL0_R, &err), 0);
	uint64_t va = wf_pgt_next(&t, shadow, far + (1ull << 30), &pte);
	ck_assert_uint_eq(va, shadow + 0x5000);
	ck_assert_uint_eq(pte & WF_PTE_ADDR, 0x200000);
	va = wf_pgt_next(&t, va + 0x1000, far + (1ull << 30), &pte);
	ck_assert_uint_eq(va, far + 0x7000);
	ck_assert_uint_eq(pte & WF_PTE_ADDR, 0x201000);
	ck_assert(pte & WF_PTE_AP_RO);
	/* The end bounds the search; an unmapped page is not found. */
	ck_assert_uint_eq(wf_pgt_next(&t, shadow, shadow + 0x5000, &pte), shadow + 0x5000);
	ck_assert_int_eq(wf_pgt_map(&t, shadow + 0x5000, 0, 0x1000, 0, &err), 0);
	ck_assert_uint_eq(wf_pgt_next(&t, shadow, far, &pte), far);
	/* Past the 39-bit space there is nothing. */
	ck_assert_uint_eq(wf_pgt_next(&t, far + 0x8000, UINT64_MAX, &pte), 1ull << 39);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("pgtable");
	TCase *tc = tcase_create("builder");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_el0_read_write);
	tcase_add_test(tc, test_el0_exec_readonly);
	tcase_add_test(tc, test_el1_only_and_device);
	tcase_add_test(tc, test_unmap_and_remap);
	tcase_add_test(tc, test_tables_live_in_the_pool);
	tcase_add_test(tc, test_bad_arguments);
	tcase_add_test(tc, test_pool_exhaustion);
	tcase_add_test(tc, test_next_mapped);
	suite_add_tcase(s, tc);
	return wf_check_run(s);
}
