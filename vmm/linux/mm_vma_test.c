// SPDX-License-Identifier: Apache-2.0
/* mm_vma_test.c: table-driven Check tests for mm.c's mapping list: map, unmap, protect, split, merge, limits. */
#include <check.h>
#include <sys/mman.h>

#include "linux/mm.h"
#include "linux/testproc.h"
#include "check_main.h"

/* Page n of the area the cases work in (inside the fake process's RAM window). */
#define P(n)   (TP_BASE + 16 * WF_PAGE_SIZE + (uint64_t)(n) * WF_PAGE_SIZE)
#define NP(n)  ((uint64_t)(n) * WF_PAGE_SIZE)
#define R      PROT_READ
#define RW     (PROT_READ | PROT_WRITE)
#define ANON   (MAP_PRIVATE | MAP_ANONYMOUS)
#define FIXED  (ANON | MAP_FIXED)
#define MAXOPS 8
#define MAXV   6

struct op {
	int nr;
	uint64_t a[5];
	int64_t want; /* the syscall's result */
};

struct vma_want {
	unsigned from, to; /* pages P(from) .. P(to) */
	unsigned prot;
};

struct mm_case {
	const char *name;
	unsigned max_vmas; /* 0: the default limit */
	struct op ops[MAXOPS];
	struct vma_want vmas[MAXV]; /* ended by from == to */
};

#define MMAP(n, len, prot, flags) {WF_NR_mmap, {P(n), NP(len), prot, flags, (uint64_t)-1}, (int64_t)P(n)}
#define MMAP_FAILS(n, len, prot, flags, err) \
	{WF_NR_mmap, {P(n), NP(len), prot, flags, (uint64_t)-1}, -(err)}
#define MUNMAP(n, len, want)        {WF_NR_munmap, {P(n), NP(len)}, want}
#define MPROTECT(n, len, prot, want) {WF_NR_mprotect, {P(n), NP(len), prot}, want}
#define MREMAP(n, len, nlen, want)  {WF_NR_mremap, {P(n), NP(len), NP(nlen), 0}, want}

static const struct mm_case cases[] = {
	{"map", 0, {MMAP(0, 4, RW, FIXED)}, {{0, 4, RW}}},
	{"unmap the middle splits", 0,
	 {MMAP(0, 4, RW, FIXED), MUNMAP(1, 1, 0)},
	 {{0, 1, RW}, {2, 4, RW}}},
	{"unmap a hole is no error", 0,
	 {MMAP(0, 1, RW, FIXED), MUNMAP(4, 2, 0)},
	 {{0, 1, RW}}},
	{"unmap across several", 0,
	 {MMAP(0, 2, RW, FIXED), MMAP(3, 2, R, FIXED), MMAP(6, 2, RW, FIXED), MUNMAP(1, 6, 0)},
	 {{0, 1, RW}, {7, 8, RW}}},
	{"protect the middle splits in three", 0,
	 {MMAP(0, 4, RW, FIXED), MPROTECT(1, 2, R, 0)},
	 {{0, 1, RW}, {1, 3, R}, {3, 4, RW}}},
	{"protect back merges", 0,
	 {MMAP(0, 4, RW, FIXED), MPROTECT(1, 2, R, 0), MPROTECT(1, 2, RW, 0)},
	 {{0, 4, RW}}},
	{"protect across a hole fails and changes nothing", 0,
	 {MMAP(0, 2, RW, FIXED), MMAP(3, 1, RW, FIXED), MPROTECT(0, 4, R, -ENOMEM)},
	 {{0, 2, RW}, {3, 4, RW}}},
	{"neighbours of the same kind merge", 0,
	 {MMAP(0, 2, RW, FIXED), MMAP(2, 2, RW, FIXED), MMAP(4, 1, R, FIXED)},
	 {{0, 4, RW}, {4, 5, R}}},
	{"a map between two joins all three", 0,
	 {MMAP(0, 1, RW, FIXED), MMAP(2, 1, RW, FIXED), MMAP(1, 1, RW, FIXED)},
	 {{0, 3, RW}}},
	{"stack and anonymous stay apart", 0,
	 {MMAP(0, 1, RW, FIXED), MMAP(1, 1, RW, FIXED | MAP_GROWSDOWN)},
	 {{0, 1, RW}, {1, 2, RW}}},
	{"fixed over the middle replaces", 0,
	 {MMAP(0, 6, RW, FIXED), MMAP(2, 2, R, FIXED)},
	 {{0, 2, RW}, {2, 4, R}, {4, 6, RW}}},
	{"fixed_noreplace over a mapping is EEXIST", 0,
	 {MMAP(0, 2, RW, FIXED),
	  MMAP_FAILS(1, 2, RW, ANON | MAP_FIXED_NOREPLACE, EEXIST)},
	 {{0, 2, RW}}},
	{"mremap grows in place, then moves as one mapping", 0,
	 {MMAP(0, 1, RW, FIXED), MREMAP(0, 1, 2, (int64_t)P(0)), MMAP(2, 1, R, FIXED),
	  MREMAP(0, 2, 1, (int64_t)P(0))},
	 {{0, 1, RW}, {2, 3, R}}},
	{"mremap of a range across two mappings is EFAULT", 0,
	 {MMAP(0, 1, RW, FIXED), MMAP(1, 1, R, FIXED), MREMAP(0, 2, 1, -EFAULT)},
	 {{0, 1, RW}, {1, 2, R}}},
	{"limit: a split is refused and nothing changes", 2,
	 {MMAP(0, 4, RW, FIXED), MMAP(5, 1, R, FIXED), MPROTECT(1, 1, R, -ENOMEM),
	  MUNMAP(1, 1, -ENOMEM), MMAP_FAILS(7, 1, RW, FIXED, ENOMEM), MUNMAP(0, 1, 0)},
	 {{1, 4, RW}, {5, 6, R}}},
	{"limit: joining a neighbour needs no slot", 2,
	 {MMAP(0, 1, RW, FIXED), MMAP(2, 1, R, FIXED), MMAP(1, 1, RW, FIXED),
	  MMAP(3, 1, R, FIXED), MPROTECT(2, 2, RW, 0), MMAP(5, 1, R, FIXED)},
	 {{0, 4, RW}, {5, 6, R}}},
};

static const char *check_case(const struct mm_case *c)
{
	static char why[256];
	struct tp *t = tp_new(0, 0);
	ck_assert_ptr_nonnull(t);
	struct wf_proc *p = &t->p;
	p->mmap_min = TP_BASE;
	p->mmap_top = p->user_top = TP_BASE + TP_SIZE;
	p->lim.max_vmas = c->max_vmas;
	tp_protect(t, P(0), NP(16), 0); /* the cases' area starts unmapped */
	const char *fail = NULL;
	for (unsigned k = 0; k < MAXOPS && c->ops[k].nr && !fail; k++) {
		const struct op *o = &c->ops[k];
		const uint64_t a[6] = {o->a[0], o->a[1], o->a[2], o->a[3], o->a[4], 0};
		int64_t got = -ENOSYS;
		for (const struct wf_syscall_def *d = wf_sys_mm; d->name; d++)
			if (d->nr == o->nr)
				got = d->fn(p, a);
		if (got != o->want) {
			snprintf(why, sizeof(why), "step %u: got %lld, want %lld", k, (long long)got,
				 (long long)o->want);
			fail = why;
		}
	}
	unsigned n = 0;
	while (n < MAXV && c->vmas[n].from != c->vmas[n].to)
		n++;
	if (!fail && p->nvmas != n) {
		snprintf(why, sizeof(why), "%u mappings, want %u", p->nvmas, n);
		fail = why;
	}
	for (unsigned k = 0; !fail && k < n; k++) {
		const struct wf_vma *v = &p->vmas[k];
		const struct vma_want *w = &c->vmas[k];
		if (v->start != P(w->from) || v->end != P(w->to) || v->prot != w->prot) {
			snprintf(why, sizeof(why), "mapping %u is pages %lld-%lld prot %u, want %u-%u %u",
				 k, (long long)((v->start - P(0)) / WF_PAGE_SIZE),
				 (long long)((v->end - P(0)) / WF_PAGE_SIZE), v->prot, w->from, w->to,
				 w->prot);
			fail = why;
		}
	}
	/* The page protections the MMU was given agree with the list, page by page. */
	for (unsigned pg = 0; !fail && pg < 16; pg++) {
		unsigned want = 0;
		for (unsigned k = 0; k < n; k++)
			if (pg >= c->vmas[k].from && pg < c->vmas[k].to)
				want = c->vmas[k].prot;
		unsigned have = t->prot[(P(pg) - TP_BASE) / WF_PAGE_SIZE];
		if (have != want) {
			snprintf(why, sizeof(why), "page %u has prot %u, want %u", pg, have, want);
			fail = why;
		}
	}
	tp_delete(t);
	return fail;
}

START_TEST(test_mapping_list)
{
	const struct mm_case *c = &cases[_i];
	const char *fail = check_case(c);
	ck_assert_msg(!fail, "%s: %s", c->name, fail);
}
END_TEST

/* The table itself is sound: every case ends with its list in order and without overlaps. */
START_TEST(test_cases_are_ordered)
{
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
		for (unsigned k = 1; k < MAXV && cases[i].vmas[k].from != cases[i].vmas[k].to; k++)
			ck_assert_uint_ge(cases[i].vmas[k].from, cases[i].vmas[k - 1].to);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("mm_vma");
	TCase *tc = tcase_create("core");
	tcase_add_loop_test(tc, test_mapping_list, 0, (int)ARRAY_SIZE(cases));
	tcase_add_test(tc, test_cases_are_ordered);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return wf_check_run(suite());
}
