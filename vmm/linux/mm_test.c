// SPDX-License-Identifier: Apache-2.0
/* mm_test.c: Check tests for demand-paged mappings in mm.c: far MAP_FIXED, first touch, unmap, DONTNEED, mprotect, the RAM pool. */
#include <check.h>
#include <sys/mman.h>

#include "linux/mm.h"
#include "linux/testproc.h"
#include "check_main.h"

/*
 * The fake process's RAM: the low half is its low window (TP_BASE up, identity); the high
 * half is the pool of RAM pages for demand-paged mappings. A fake MMU keeps the pages it is
 * asked to map (va -> RAM offset, prot) in a table, as the VM's page tables would.
 */
enum { MAXPAGES = 64 };
static const wf_gaddr_t FAR = 0x1000000000ull, TOP = 0x7ff0000000ull;

static struct tp *t;
static struct {
	wf_gaddr_t va;
	uint64_t off;
	unsigned prot;
} pages[MAXPAGES];
static unsigned npages;

static int find(wf_gaddr_t va)
{
	for (unsigned i = 0; i < npages; i++)
		if (pages[i].va == va)
			return (int)i;
	return -1;
}

static wf_gaddr_t fake_next(void *ctx, wf_gaddr_t va, wf_gaddr_t end, uint64_t *off)
{
	(void)ctx;
	wf_gaddr_t best = end;
	for (unsigned i = 0; i < npages; i++)
		if (pages[i].va >= va && pages[i].va < best) {
			best = pages[i].va;
			*off = pages[i].off;
		}
	return best;
}

static int fake_map(void *ctx, wf_gaddr_t va, uint64_t off, unsigned prot)
{
	(void)ctx;
	int i = find(va);
	if (!prot) {
		ck_assert_int_ge(i, 0);
		pages[i] = pages[--npages];
		return 0;
	}
	if (i < 0) {
		ck_assert_uint_lt(npages, MAXPAGES);
		i = (int)npages++;
	}
	pages[i].va = va, pages[i].off = off, pages[i].prot = prot;
	return 0;
}

static struct wf_mmu_ops ops;

/* The accessor's way to demand-paged pages, as the VM gives it. */
static int tp_page(void *ctx, wf_gaddr_t va, unsigned prot, uint64_t *off)
{
	(void)ctx;
	return wf_mm_touch(&t->p, va, prot, off);
}

static void setup(void)
{
	t = tp_new(0, 0);
	ck_assert_ptr_nonnull(t);
	npages = 0;
	ops = *t->p.mmu;
	ops.next_page = fake_next;
	ops.map_page = fake_map;
	struct wf_proc *p = &t->p;
	p->mmu = &ops;
	p->mem.size = TP_SIZE / 2;
	p->mem.ram = TP_SIZE;
	p->mem.page = tp_page;
	p->mmap_min = TP_BASE;
	p->mmap_top = TP_BASE + TP_SIZE / 2;
	p->user_top = TOP;
	p->dmap_min = FAR;
	p->dmap_top = TOP;
	p->frame_next = TP_SIZE / 2;
	p->frame_end = TP_SIZE / 2 + 8 * WF_PAGE_SIZE; /* 8 pages of pool */
}

static void teardown(void)
{
	tp_delete(t);
}

static int64_t mm(int nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3)
{
	const uint64_t a[6] = {a0, a1, a2, a3, (uint64_t)-1, 0};
	for (const struct wf_syscall_def *d = wf_sys_mm; d->name; d++)
		if (d->nr == nr)
			return d->fn(&t->p, a);
	return -ENOSYS;
}

#define RW (PROT_READ | PROT_WRITE)
#define ANON (MAP_PRIVATE | MAP_ANONYMOUS)

START_TEST(test_far_fixed_costs_nothing_until_touched)
{
	/* 48 GiB at a fixed far address: a VMA, no RAM, no pages. */
	ck_assert_int_eq(mm(WF_NR_mmap, FAR, 48ull << 30, RW, ANON | MAP_FIXED | MAP_NORESERVE),
			 (int64_t)FAR);
	ck_assert_uint_eq(npages, 0);
	ck_assert_uint_eq(t->p.frames, 0);
	/* A touch gives one page a zeroed RAM page from the pool, mapped with the VMA's prot. */
	uint64_t off;
	memset(t->ram + TP_SIZE / 2, 0xaa, WF_PAGE_SIZE);
	ck_assert_int_eq(wf_mm_touch(&t->p, FAR + (5ull << 30) + 123, WF_PROT_WRITE, &off), 0);
	ck_assert_uint_eq(off, TP_SIZE / 2);
	ck_assert_uint_eq(t->ram[off], 0);
	ck_assert_uint_eq(npages, 1);
	ck_assert_uint_eq(pages[0].va, FAR + (5ull << 30));
	ck_assert_uint_eq(pages[0].prot, RW);
	ck_assert_uint_eq(t->p.frames, 1);
	/* Touching it again finds the same page; the accessor reaches it too. */
	uint64_t again;
	ck_assert_int_eq(wf_mm_touch(&t->p, FAR + (5ull << 30), WF_PROT_READ, &again), 0);
	ck_assert_uint_eq(again, off);
	ck_assert_uint_eq(t->p.frames, 1);
	/* Outside every VMA, in the low window, or past the top: not a demand page. */
	ck_assert_int_eq(wf_mm_touch(&t->p, FAR - WF_PAGE_SIZE, WF_PROT_READ, &off), -EFAULT);
	ck_assert_int_eq(wf_mm_touch(&t->p, TP_BASE, WF_PROT_READ, &off), -EFAULT);
	ck_assert_int_eq(mm(WF_NR_mmap, TOP, WF_PAGE_SIZE, RW, ANON | MAP_FIXED), -ENOMEM);
}
END_TEST

START_TEST(test_unmap_dontneed_mprotect)
{
	uint64_t off;
	ck_assert_int_eq(mm(WF_NR_mmap, FAR, 16 * WF_PAGE_SIZE, RW, ANON | MAP_FIXED), (int64_t)FAR);
	for (int i = 0; i < 4; i++)
		ck_assert_int_eq(wf_mm_touch(&t->p, FAR + (uint64_t)i * WF_PAGE_SIZE, WF_PROT_WRITE,
					     &off), 0);
	ck_assert_uint_eq(t->p.frames, 4);
	/* mprotect changes the pages that have RAM, and what may touch the rest. */
	ck_assert_int_eq(mm(WF_NR_mprotect, FAR, 2 * WF_PAGE_SIZE, PROT_READ, 0), 0);
	ck_assert_uint_eq(pages[find(FAR)].prot, PROT_READ);
	ck_assert_uint_eq(pages[find(FAR + 2 * WF_PAGE_SIZE)].prot, RW);
	ck_assert_int_eq(wf_mm_touch(&t->p, FAR, WF_PROT_WRITE, &off), -EFAULT);
	/* DONTNEED gives the RAM back: the next touch is a fresh zero page. */
	t->ram[pages[find(FAR + 3 * WF_PAGE_SIZE)].off] = 7;
	ck_assert_int_eq(mm(WF_NR_madvise, FAR + 3 * WF_PAGE_SIZE, WF_PAGE_SIZE, MADV_DONTNEED, 0), 0);
	ck_assert_int_eq(find(FAR + 3 * WF_PAGE_SIZE), -1);
	ck_assert_uint_eq(t->p.frames, 3);
	ck_assert_int_eq(wf_mm_touch(&t->p, FAR + 3 * WF_PAGE_SIZE, WF_PROT_READ, &off), 0);
	ck_assert_uint_eq(t->ram[off], 0);
	/* munmap frees every page; mapping over a range does too. */
	ck_assert_int_eq(mm(WF_NR_munmap, FAR, 2 * WF_PAGE_SIZE, 0, 0), 0);
	ck_assert_uint_eq(t->p.frames, 2);
	ck_assert_int_eq(mm(WF_NR_mmap, FAR, 16 * WF_PAGE_SIZE, RW, ANON | MAP_FIXED), (int64_t)FAR);
	ck_assert_uint_eq(t->p.frames, 0);
	ck_assert_uint_eq(npages, 0);
}
END_TEST

START_TEST(test_pool_runs_out_and_refills)
{
	uint64_t off;
	ck_assert_int_eq(mm(WF_NR_mmap, FAR, 16 * WF_PAGE_SIZE, RW, ANON | MAP_FIXED), (int64_t)FAR);
	for (int i = 0; i < 8; i++)
		ck_assert_int_eq(wf_mm_touch(&t->p, FAR + (uint64_t)i * WF_PAGE_SIZE, WF_PROT_READ,
					     &off), 0);
	ck_assert(!t->p.mem_exhausted);
	ck_assert_int_eq(wf_mm_touch(&t->p, FAR + 8 * WF_PAGE_SIZE, WF_PROT_READ, &off), -ENOMEM);
	ck_assert(t->p.mem_exhausted);
	/* Pages given back are used again (through the free list), zeroed. */
	uint64_t freed = pages[find(FAR + 2 * WF_PAGE_SIZE)].off;
	t->ram[freed + 100] = 9;
	ck_assert_int_eq(mm(WF_NR_munmap, FAR + 2 * WF_PAGE_SIZE, WF_PAGE_SIZE, 0, 0), 0);
	ck_assert_int_eq(wf_mm_touch(&t->p, FAR + 8 * WF_PAGE_SIZE, WF_PROT_READ, &off), 0);
	ck_assert_uint_eq(off, freed);
	ck_assert_uint_eq(t->ram[freed + 100], 0);
}
END_TEST

START_TEST(test_arenas)
{
	/* A plain anonymous mmap stays in the low window; a MAP_NORESERVE one goes to the
	 * demand-paged arena, top-down; a file mapping never goes there. */
	int64_t a = mm(WF_NR_mmap, 0, 4 * WF_PAGE_SIZE, RW, ANON);
	ck_assert_int_ge(a, (int64_t)TP_BASE);
	ck_assert_int_lt(a, (int64_t)(TP_BASE + TP_SIZE / 2));
	int64_t b = mm(WF_NR_mmap, 0, 1ull << 30, RW, ANON | MAP_NORESERVE);
	ck_assert_int_eq(b, (int64_t)(TOP - (1ull << 30)));
	/* A far hint is honoured. */
	int64_t c = mm(WF_NR_mmap, FAR + (1ull << 20), WF_PAGE_SIZE, RW, ANON);
	ck_assert_int_eq(c, (int64_t)(FAR + (1ull << 20)));
	/* The accessor reaches far pages through touches (write: allowed). */
	const char hello[] = "hi";
	ck_assert_int_eq(wf_mem_write(&t->p.mem, (wf_gaddr_t)c + 10, hello, 3), 0);
	char back[3];
	ck_assert_int_eq(wf_mem_read(&t->p.mem, back, (wf_gaddr_t)c + 10, 3), 0);
	ck_assert_str_eq(back, "hi");
	ck_assert_uint_eq(t->p.frames, 1);
	/* A read-only far mapping refuses the accessor's write. */
	int64_t d = mm(WF_NR_mmap, FAR + (2ull << 20), WF_PAGE_SIZE, PROT_READ, ANON | MAP_FIXED);
	ck_assert_int_eq(wf_mem_write(&t->p.mem, (wf_gaddr_t)d, hello, 1), -EFAULT);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("mm");
	TCase *tc = tcase_create("demand");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_far_fixed_costs_nothing_until_touched);
	tcase_add_test(tc, test_unmap_dontneed_mprotect);
	tcase_add_test(tc, test_pool_runs_out_and_refills);
	tcase_add_test(tc, test_arenas);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return wf_check_run(suite());
}
