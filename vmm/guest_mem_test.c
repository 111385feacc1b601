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
	suite_add_tcase(s, tc);
	return wf_check_run(s);
}
