// SPDX-License-Identifier: Apache-2.0
/* cover_cfg_test.c: Check tests for cover_cfg: blocks, and what ran, on hand-assembled aarch64 functions. */
#include <check.h>
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "check_main.h"
#include "cover_cfg.h"

/* aarch64 encodings (as aarch64-linux-gnu-as assembles them). */
#define CMP_X1_4 0xf100103fu  /* cmp x1, #4 */
#define CMP_X0_0 0xf100001fu  /* cmp x0, #0 */
#define LDRB_W8 0x39400008u   /* ldrb w8, [x0] */
#define CMP_W8_87 0x71015d1fu /* cmp w8, #87 */
#define NOP 0xd503201fu
#define RET 0xd65f03c0u
#define BR_X8 0xd61f0100u     /* br x8 */
#define BL_0 0x94000000u      /* bl . (a call: it returns) */
#define UDF 0x00000000u       /* udf #0: nothing continues after it */
/* b.cond and b, by offset in instructions. */
#define BCOND(off, cond) (0x54000000u | ((uint32_t)(off) & 0x7ffffu) << 5 | (cond))
#define B(off) (0x14000000u | ((uint32_t)(off) & 0x3ffffffu))
enum { EQ = 0, NE = 1, HI = 8 };

#define BASE 0x1000ull

static struct wf_cfg *build(const uint32_t *code, size_t n, const uint64_t *pts, size_t npts)
{
	uint8_t bytes[256];
	ck_assert_uint_le(n * 4, sizeof(bytes));
	memcpy(bytes, code, n * 4); /* little-endian host, as aarch64 code is */
	struct wf_cfg *g = NULL;
	int rc = wf_cfg_build(bytes, BASE, n * 4, pts, npts, &g);
	ck_assert_int_eq(rc, 0);
	ck_assert_ptr_nonnull(g);
	return g;
}

/* Which block starts at BASE + off. */
static size_t at(const struct wf_cfg *g, uint64_t off)
{
	size_t i = wf_cfg_find(g, BASE + off);
	ck_assert_uint_ne(i, SIZE_MAX);
	uint64_t s, e;
	wf_cfg_block(g, i, &s, &e);
	ck_assert_msg(s == BASE + off, "no block starts at +%#llx", (unsigned long long)off);
	return i;
}

/* A parser's shape: a size check, then a magic byte checked in a block SanitizerCoverage
 * leaves uncounted (it dominates both its successors), then a join it also leaves out. */
static const uint32_t parser[] = {
	CMP_X1_4,       /* +00 entry, point 0 */
	BCOND(3, HI),   /* +04 -> +10 */
	NOP,            /* +08 point 1: too short */
	B(9),           /* +0c -> +30 */
	LDRB_W8,        /* +10 uncounted: the magic check */
	CMP_W8_87,      /* +14 */
	BCOND(4, NE),   /* +18 -> +28 */
	NOP,            /* +1c point 2: magic matched */
	NOP,            /* +20 */
	B(3),           /* +24 -> +30 */
	NOP,            /* +28 point 3: no magic */
	NOP,            /* +2c */
	NOP,            /* +30 uncounted join */
	RET,            /* +34 */
};
static const uint64_t parser_pts[] = {BASE, BASE + 0x08, BASE + 0x1c, BASE + 0x28};

START_TEST(test_blocks)
{
	struct wf_cfg *g = build(parser, 14, parser_pts, 4);
	ck_assert_uint_eq(wf_cfg_nblocks(g), 6);
	static const uint64_t starts[] = {0, 0x08, 0x10, 0x1c, 0x28, 0x30};
	for (size_t i = 0; i < 6; i++)
		ck_assert_uint_eq(at(g, starts[i]), i);
	ck_assert_uint_eq(wf_cfg_find(g, BASE + 0x14), 2);
	ck_assert_uint_eq(wf_cfg_find(g, BASE + 0x37), 5);
	ck_assert_uint_eq(wf_cfg_find(g, BASE + 0x38), SIZE_MAX);
	ck_assert_uint_eq(wf_cfg_find(g, BASE - 4), SIZE_MAX);
	uint64_t s, e;
	wf_cfg_block(g, 5, &s, &e);
	ck_assert_uint_eq(e, BASE + 0x38);
	wf_cfg_free(g);
}
END_TEST

START_TEST(test_ran)
{
	struct wf_cfg *g = build(parser, 14, parser_pts, 4);
	bool ran[6];
	/* Magic matched: the uncounted check dominates point 2, and the join follows it. */
	wf_cfg_ran(g, (const bool[]){1, 0, 1, 0}, ran);
	ck_assert(ran[0] && !ran[1] && ran[2] && ran[3] && !ran[4] && ran[5]);
	/* Too short: the check never ran; the join did. */
	wf_cfg_ran(g, (const bool[]){1, 1, 0, 0}, ran);
	ck_assert(ran[0] && ran[1] && !ran[2] && !ran[3] && !ran[4] && ran[5]);
	/* No magic: the check and the join ran. */
	wf_cfg_ran(g, (const bool[]){1, 0, 0, 1}, ran);
	ck_assert(ran[0] && !ran[1] && ran[2] && !ran[3] && ran[4] && ran[5]);
	/* Nothing hit (the function never ran): nothing is inferred. */
	wf_cfg_ran(g, (const bool[]){0, 0, 0, 0}, ran);
	for (size_t i = 0; i < 6; i++)
		ck_assert(!ran[i]);
	wf_cfg_free(g);
}
END_TEST

/* An indirect jump may reach any block: an uncounted block no longer dominates the counted
 * block after it, so that block's hit says nothing about it. */
START_TEST(test_indirect_jump)
{
	uint32_t code[] = {
		CMP_X0_0,     /* +00 entry, point 0 */
		BCOND(3, EQ), /* +04 -> +10 */
		NOP,          /* +08 point 1 */
		RET,          /* +0c (replaced by br x8 below) */
		NOP,          /* +10 uncounted U */
		NOP,          /* +14 */
		NOP,          /* +18 point 2 */
		RET,          /* +1c */
	};
	const uint64_t pts[] = {BASE, BASE + 0x08, BASE + 0x18};
	bool ran[8];
	struct wf_cfg *g = build(code, 8, pts, 3);
	size_t u = at(g, 0x10);
	wf_cfg_ran(g, (const bool[]){1, 0, 1}, ran);
	ck_assert(ran[u]); /* only through U can point 2 be reached */
	wf_cfg_free(g);

	code[3] = BR_X8;
	g = build(code, 8, pts, 3);
	u = at(g, 0x10);
	wf_cfg_ran(g, (const bool[]){1, 1, 1}, ran);
	ck_assert(!ran[u]); /* point 2 may have been reached by the br */
	wf_cfg_ran(g, (const bool[]){1, 0, 1}, ran);
	ck_assert(!ran[u]);
	wf_cfg_free(g);
}
END_TEST

/* A call returns (its block goes on); an undecodable word and a branch out of the function
 * (a tail call) end their blocks with no successor. */
START_TEST(test_calls_and_exits)
{
	const uint32_t code[] = {
		NOP,     /* +00 entry, point 0 */
		BL_0,    /* +04 a call: the block goes on */
		NOP,     /* +08 */
		UDF,     /* +0c no successor */
		NOP,     /* +10 uncounted, unreachable */
		B(64),   /* +14 out of the function: a tail call */
		NOP,     /* +18 uncounted, unreachable */
		RET,     /* +1c */
	};
	const uint64_t pts[] = {BASE};
	struct wf_cfg *g = build(code, 8, pts, 1);
	ck_assert_uint_eq(wf_cfg_nblocks(g), 3);
	ck_assert_uint_eq(wf_cfg_find(g, BASE + 0x0c), 0);
	bool ran[3];
	wf_cfg_ran(g, (const bool[]){1}, ran);
	ck_assert(ran[0] && !ran[at(g, 0x10)] && !ran[at(g, 0x18)]);
	wf_cfg_free(g);
}
END_TEST

START_TEST(test_bad_arguments)
{
	uint8_t code[16] = {0};
	struct wf_cfg *g = NULL;
	const uint64_t outside[] = {BASE + 16}, odd[] = {BASE + 2}, ok[] = {BASE};
	ck_assert_int_eq(wf_cfg_build(code, BASE, 16, outside, 1, &g), -EINVAL);
	ck_assert_int_eq(wf_cfg_build(code, BASE, 16, odd, 1, &g), -EINVAL);
	ck_assert_int_eq(wf_cfg_build(code, BASE + 2, 16, ok, 1, &g), -EINVAL);
	ck_assert_int_eq(wf_cfg_build(code, BASE, 3, ok, 1, &g), -EINVAL);
	ck_assert_int_eq(wf_cfg_build(NULL, BASE, 16, ok, 1, &g), -EINVAL);
	ck_assert_int_eq(wf_cfg_build(code, BASE, 16, NULL, 1, &g), -EINVAL);
	ck_assert_ptr_null(g);
	/* A trailing partial word is ignored; zeros are no instructions. */
	ck_assert_int_eq(wf_cfg_build(code, BASE, 15, ok, 1, &g), 0);
	ck_assert_uint_eq(wf_cfg_find(g, BASE + 12), SIZE_MAX);
	wf_cfg_free(g);
	wf_cfg_free(NULL);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("cover_cfg");
	TCase *tc = tcase_create("cover_cfg");
	tcase_add_test(tc, test_blocks);
	tcase_add_test(tc, test_ran);
	tcase_add_test(tc, test_indirect_jump);
	tcase_add_test(tc, test_calls_and_exits);
	tcase_add_test(tc, test_bad_arguments);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return wf_check_run(suite());
}
