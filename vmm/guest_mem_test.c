// SPDX-License-Identifier: Apache-2.0
/* guest_mem_test.c: Check tests for the checked guest-memory accessor (overflow, wrap, range, prot). */
#include <check.h>
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "guest_mem.h"
#include "check_main.h"

enum { PAGES = 4 };
static uint8_t ram[PAGES * WF_PAGE_SIZE];
static uint8_t prot[PAGES];
static const wf_gaddr_t BASE = 0x400000;

static struct wf_mem mem(int with_prot)
{
	struct wf_mem m = {.host = ram, .base = BASE, .size = sizeof(ram)};
	if (with_prot) {
		memset(prot, WF_PROT_READ | WF_PROT_WRITE, sizeof(prot));
		m.prot = prot;
	}
	return m;
}

/*
 * Windows and demand paging: RAM page 3 is also seen at guest 0x7ff0000000 (the stack's
 * window); guest pages at 0x1000000000.. are demand-paged: a fake page() maps even pages to
 * RAM pages 1, 2 (in that order: contiguous) and odd ones to RAM page 0, allows writes only
 * below 0x1000004000, and refuses 0x1000008000 and above.
 */
static const wf_gaddr_t WIN = 0x7ff0000000ull, DEMAND = 0x1000000000ull;
static unsigned page_calls;

static int fake_page(void *ctx, wf_gaddr_t va, unsigned want, uint64_t *off)
{
	(void)ctx;
	page_calls++;
	ck_assert_uint_eq(va % WF_PAGE_SIZE, 0);
	if (va < DEMAND || va >= DEMAND + 0x8000 || ((want & WF_PROT_WRITE) && va >= DEMAND + 0x4000))
		return -EFAULT;
	uint64_t n = (va - DEMAND) / WF_PAGE_SIZE;
	*off = n % 2 ? 0 : (1 + (n / 2) % 2) * WF_PAGE_SIZE;
	return 0;
}

static struct wf_mem windows(void)
{
	struct wf_mem m = {.host = ram, .base = BASE, .size = 2 * WF_PAGE_SIZE,
			   .ram = sizeof(ram), .win_va = WIN, .win_off = 3 * WF_PAGE_SIZE,
			   .win_len = WF_PAGE_SIZE, .page = fake_page};
	memset(prot, WF_PROT_READ | WF_PROT_WRITE, sizeof(prot));
	m.prot = prot;
	return m;
}

START_TEST(test_windows_and_demand)
{
	struct wf_mem m = windows();
	uint64_t off;
	/* The low window, and the second one mapping RAM page 3. */
	ck_assert_ptr_eq(wf_mem_ptr(&m, BASE + 5, 10, WF_PROT_READ), ram + 5);
	ck_assert_ptr_eq(wf_mem_ptr(&m, WIN + 8, 8, WF_PROT_WRITE), ram + 3 * WF_PAGE_SIZE + 8);
	ck_assert_int_eq(wf_mem_offset(&m, WIN, WF_PAGE_SIZE, &off), 0);
	ck_assert_uint_eq(off, 3 * WF_PAGE_SIZE);
	ck_assert_int_eq(wf_mem_offset(&m, WIN, WF_PAGE_SIZE + 1, &off), -EFAULT);
	ck_assert_int_eq(wf_mem_offset(&m, BASE + WF_PAGE_SIZE, WF_PAGE_SIZE + 1, &off), -EFAULT);
	/* Straddling a window's end is not a window access. */
	page_calls = 0;
	ck_assert_ptr_null(wf_mem_ptr(&m, WIN + WF_PAGE_SIZE - 4, 8, WF_PROT_READ));
	/* The window's prot is its RAM page's. */
	prot[3] = WF_PROT_READ;
	ck_assert_ptr_null(wf_mem_ptr(&m, WIN, 1, WF_PROT_WRITE));
	ck_assert_ptr_nonnull(wf_mem_ptr(&m, WIN, 1, WF_PROT_READ));

	/* Demand-paged: one page, its RAM from page(). */
	ck_assert_ptr_eq(wf_mem_ptr(&m, DEMAND + 0x10, 4, WF_PROT_READ), ram + WF_PAGE_SIZE + 0x10);
	ck_assert_int_eq(wf_mem_offset(&m, DEMAND, 1, &off), -EFAULT); /* not a window */
	/* Two pages whose RAM is not contiguous: no single pointer, but the copies work. */
	ck_assert_ptr_null(wf_mem_ptr(&m, DEMAND + WF_PAGE_SIZE - 2, 4, WF_PROT_READ));
	memset(ram, 0, sizeof(ram));
	const uint8_t in[4] = {1, 2, 3, 4};
	ck_assert_int_eq(wf_mem_write(&m, DEMAND + WF_PAGE_SIZE - 2, in, 4), 0);
	ck_assert_int_eq(ram[2 * WF_PAGE_SIZE - 2], 1);
	ck_assert_int_eq(ram[2 * WF_PAGE_SIZE - 1], 2);
	ck_assert_int_eq(ram[0], 3);
	ck_assert_int_eq(ram[1], 4);
	uint8_t back[4] = {0};
	ck_assert_int_eq(wf_mem_read(&m, back, DEMAND + WF_PAGE_SIZE - 2, 4), 0);
	ck_assert_int_eq(memcmp(back, in, 4), 0);
	/* page() refuses: writes above 0x4000, anything at 0x8000. */
	ck_assert_int_eq(wf_mem_write(&m, DEMAND + 0x4000, in, 1), -EFAULT);
	ck_assert_int_eq(wf_mem_read(&m, back, DEMAND + 0x4000, 1), 0);
	ck_assert_int_eq(wf_mem_read(&m, back, DEMAND + 0x7fff, 2), -EFAULT);
	/* Huge or wrapping ranges fail without walking forever. */
	ck_assert_ptr_null(wf_mem_ptr(&m, DEMAND, UINT64_MAX, WF_PROT_READ));
	ck_assert_ptr_null(wf_mem_ptr(&m, UINT64_MAX - 10, 20, WF_PROT_READ));
	/* Without page() nothing outside the windows is memory. */
	m.page = NULL;
	ck_assert_ptr_null(wf_mem_ptr(&m, DEMAND, 1, WF_PROT_READ));
}
END_TEST

/* Host writes are recorded by RAM page, whichever way the address reached it. */
START_TEST(test_dirty_by_ram_page)
{
	struct wf_mem m = windows();
	uint64_t dirty[1] = {0};
	m.dirty = dirty;
	ck_assert_ptr_nonnull(wf_mem_ptr(&m, WIN, 1, WF_PROT_WRITE));
	ck_assert_uint_eq(dirty[0], 1u << 3);
	ck_assert_ptr_nonnull(wf_mem_ptr(&m, DEMAND + 2 * WF_PAGE_SIZE, 1, WF_PROT_WRITE));
	ck_assert_uint_eq(dirty[0], (1u << 3) | (1u << 2));
	wf_mem_mark_dirty(&m, BASE, 1);
	ck_assert_uint_eq(dirty[0], (1u << 3) | (1u << 2) | 1u);
	/* Reads mark nothing. */
	dirty[0] = 0;
	ck_assert_ptr_nonnull(wf_mem_ptr(&m, WIN, 1, WF_PROT_READ));
	ck_assert_uint_eq(dirty[0], 0);
}
END_TEST

START_TEST(test_in_range)
{
	struct wf_mem m = mem(0);
	ck_assert_ptr_eq(wf_mem_ptr(&m, BASE, 1, WF_PROT_READ), ram);
	ck_assert_ptr_eq(wf_mem_ptr(&m, BASE + 10, sizeof(ram) - 10, WF_PROT_READ), ram + 10);
	/* Zero length at the very end is fine; one byte there is not. */
	ck_assert_ptr_eq(wf_mem_ptr(&m, BASE + sizeof(ram), 0, WF_PROT_READ), ram + sizeof(ram));
	ck_assert_ptr_null(wf_mem_ptr(&m, BASE + sizeof(ram), 1, WF_PROT_READ));
}
END_TEST

START_TEST(test_out_of_range)
{
	struct wf_mem m = mem(0);
	ck_assert_ptr_null(wf_mem_ptr(&m, BASE - 1, 1, WF_PROT_READ));
	ck_assert_ptr_null(wf_mem_ptr(&m, 0, 1, WF_PROT_READ));
	ck_assert_ptr_null(wf_mem_ptr(&m, BASE, sizeof(ram) + 1, WF_PROT_READ));
	ck_assert_ptr_null(wf_mem_ptr(&m, BASE + sizeof(ram) - 1, 2, WF_PROT_READ));
	ck_assert_uint_eq(m.fail_addr, BASE + sizeof(ram) - 1);
	ck_assert_uint_eq(m.fail_len, 2);
	ck_assert_ptr_nonnull(strstr(m.fail_file, "guest_mem_test.c"));
}
END_TEST

START_TEST(test_overflow_and_wrap)
{
	struct wf_mem m = mem(0);
	/* addr + len wraps around 2^64 and would land inside RAM if computed naively. */
	ck_assert_ptr_null(wf_mem_ptr(&m, BASE + 8, UINT64_MAX, WF_PROT_READ));
	ck_assert_ptr_null(wf_mem_ptr(&m, UINT64_MAX, 2, WF_PROT_READ));
	ck_assert_ptr_null(wf_mem_ptr(&m, UINT64_MAX - 4, UINT64_MAX, WF_PROT_READ));
	ck_assert_ptr_null(wf_mem_ptr(&m, BASE, UINT64_MAX - BASE + 1, WF_PROT_READ));
	uint8_t b;
	ck_assert_int_eq(wf_mem_read(&m, &b, UINT64_MAX, 1), -EFAULT);
}
END_TEST

START_TEST(test_page_protection)
{
	struct wf_mem m = mem(1);
	prot[1] = WF_PROT_READ;  /* read-only page */
	prot[2] = 0;             /* PROT_NONE page */
	ck_assert_ptr_nonnull(wf_mem_ptr(&m, BASE + WF_PAGE_SIZE, 8, WF_PROT_READ));
	ck_assert_ptr_null(wf_mem_ptr(&m, BASE + WF_PAGE_SIZE, 8, WF_PROT_WRITE));
	/* A range that starts writable and runs into the read-only page fails as a whole. */
	ck_assert_ptr_null(wf_mem_ptr(&m, BASE + WF_PAGE_SIZE - 4, 8, WF_PROT_WRITE));
	ck_assert_ptr_null(wf_mem_ptr(&m, BASE + 2 * WF_PAGE_SIZE + 100, 1, WF_PROT_READ));
	uint32_t v = 7;
	ck_assert_int_eq(wf_mem_write(&m, BASE + 8, &v, sizeof(v)), 0);
	ck_assert_int_eq(wf_mem_write(&m, BASE + WF_PAGE_SIZE, &v, sizeof(v)), -EFAULT);
	uint32_t r = 0;
	ck_assert_int_eq(wf_mem_read(&m, &r, BASE + 8, sizeof(r)), 0);
	ck_assert_uint_eq(r, 7);
}
END_TEST

START_TEST(test_strnlen)
{
	struct wf_mem m = mem(1);
	memset(ram, 'a', sizeof(ram));
	ram[5] = 0;
	ck_assert_int_eq(wf_mem_strnlen(&m, BASE, 100), 5);
	ck_assert_int_eq(wf_mem_strnlen(&m, BASE, 3), -ENAMETOOLONG);
	/* A string ending right before an unreadable page is fine... */
	ram[2 * WF_PAGE_SIZE - 1] = 0;
	prot[2] = 0;
	ck_assert_int_eq(wf_mem_strnlen(&m, BASE + WF_PAGE_SIZE, 1 << 20), WF_PAGE_SIZE - 1);
	/* ...one that runs into it is a fault, as is one running off the end of RAM. */
	ram[2 * WF_PAGE_SIZE - 1] = 'a';
	ck_assert_int_eq(wf_mem_strnlen(&m, BASE + WF_PAGE_SIZE, 1 << 20), -EFAULT);
	ck_assert_int_eq(wf_mem_strnlen(&m, BASE + 3 * WF_PAGE_SIZE, 1 << 20), -EFAULT);
	ck_assert_int_eq(wf_mem_strnlen(&m, UINT64_MAX - 2, 1 << 20), -EFAULT);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("guest_mem");
	TCase *tc = tcase_create("accessor");
	tcase_add_test(tc, test_in_range);
	tcase_add_test(tc, test_out_of_range);
	tcase_add_test(tc, test_overflow_and_wrap);
	tcase_add_test(tc, test_page_protection);
	tcase_add_test(tc, test_strnlen);
	tcase_add_test(tc, test_windows_and_demand);
	tcase_add_test(tc, test_dirty_by_ram_page);
	suite_add_tcase(s, tc);
	return wf_check_run(s);
}
