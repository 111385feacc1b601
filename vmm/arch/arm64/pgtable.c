// SPDX-License-Identifier: Apache-2.0
/* pgtable.c: build and edit arm64 stage-1 translation tables in guest RAM (pure C, no KVM). */
#include "pgtable.h"
#include "guest_mem.h"

#include <errno.h>
#include <string.h>

#define ENTRIES 512

static int table_alloc(struct wf_pgt *t, uint64_t *pa, struct wf_err *e)
{
	if (t->pool_size - t->pool_used < WF_PAGE_SIZE)
		return wf_fail(e, -ENOMEM, "page-table pool exhausted (%llu KiB)",
			       (unsigned long long)(t->pool_size / 1024));
	*pa = t->pool_pa + t->pool_used;
	t->pool_used += WF_PAGE_SIZE;
	memset(t->ram + *pa, 0, WF_PAGE_SIZE);
	wf_dirty_mark(t->dirty, *pa / WF_PAGE_SIZE, 1);
	return 0;
}

static uint64_t *table_at(const struct wf_pgt *t, uint64_t pa)
{
	return (uint64_t *)(void *)(t->ram + pa);
}

int wf_pgt_init(struct wf_pgt *t, uint8_t *ram, uint64_t ram_size, uint64_t pool_pa,
		uint64_t pool_size, struct wf_err *e)
{
	uint64_t end;
	if ((pool_pa | pool_size) % WF_PAGE_SIZE || __builtin_add_overflow(pool_pa, pool_size, &end) ||
	    end > ram_size)
		return wf_fail(e, -EINVAL, "page-table pool [%#llx, +%#llx) is not inside RAM",
			       (unsigned long long)pool_pa, (unsigned long long)pool_size);
	*t = (struct wf_pgt){.ram = ram, .ram_size = ram_size, .pool_pa = pool_pa,
			     .pool_size = pool_size};
	return table_alloc(t, &t->root_pa, e);
}

static uint64_t leaf(uint64_t pa, unsigned attrs)
{
	uint64_t d = (pa & WF_PTE_ADDR) | WF_PTE_VALID | WF_PTE_TABLE | WF_PTE_AF;
	if (attrs & WF_PGT_DEVICE) {
		d |= WF_PTE_ATTR(WF_MAIR_DEVICE);
	} else {
		d |= WF_PTE_ATTR(WF_MAIR_NORMAL) | WF_PTE_SH_IS;
	}
	if (attrs & WF_PGT_EL1) {
		/* EL1 only: AP[1] clear; read-only unless EL1_W; never executable at EL0. */
		if (!(attrs & WF_PGT_EL1_W))
			d |= WF_PTE_AP_RO;
		d |= WF_PTE_UXN;
		if (!(attrs & WF_PGT_EL1_X))
			d |= WF_PTE_PXN;
	} else {
		/* EL0 pages are readable whenever mapped; EL1 never executes them. */
		d |= WF_PTE_AP_EL0 | WF_PTE_PXN;
		if (!(attrs & WF_PGT_EL0_W))
			d |= WF_PTE_AP_RO;
		if (!(attrs & WF_PGT_EL0_X))
			d |= WF_PTE_UXN;
	}
	return d;
}

/* Index of va in the table of `level` (1..3) for a 39-bit VA. */
static unsigned idx(uint64_t va, int level)
{
	return (unsigned)((va >> (12 + 9 * (3 - level))) & (ENTRIES - 1));
}

static uint64_t *walk(struct wf_pgt *t, uint64_t va, int create, struct wf_err *e, int *rc)
{
	uint64_t pa = t->root_pa;
	for (int level = 1; level < 3; level++) {
		uint64_t *ent = &table_at(t, pa)[idx(va, level)];
		if (!(*ent & WF_PTE_VALID)) {
			if (!create)
				return NULL;
			uint64_t next;
			*rc = table_alloc(t, &next, e);
			if (*rc)
				return NULL;
			*ent = next | WF_PTE_VALID | WF_PTE_TABLE;
			wf_dirty_mark(t->dirty, pa / WF_PAGE_SIZE, 1);
		}
		pa = *ent & WF_PTE_ADDR;
	}
	return &table_at(t, pa)[idx(va, 3)];
}

int wf_pgt_map(struct wf_pgt *t, uint64_t va, uint64_t pa, uint64_t len, unsigned attrs,
	       struct wf_err *e)
{
	uint64_t end;
	if ((va | pa | len) % WF_PAGE_SIZE || __builtin_add_overflow(va, len, &end) ||
	    end > (1ull << 39))
		return wf_fail(e, -EINVAL, "bad mapping va %#llx pa %#llx len %#llx",
			       (unsigned long long)va, (unsigned long long)pa,
			       (unsigned long long)len);
	for (uint64_t off = 0; off < len; off += WF_PAGE_SIZE) {
		int rc = 0;
		uint64_t *pte = walk(t, va + off, attrs != 0, e, &rc);
		if (rc)
			return rc;
		if (pte) {
			*pte = attrs ? leaf(pa + off, attrs) : 0;
			wf_dirty_mark(t->dirty, ((uint64_t)((uint8_t *)pte - t->ram)) / WF_PAGE_SIZE, 1);
		}
	}
	return 0;
}

uint64_t wf_pgt_lookup(const struct wf_pgt *t, uint64_t va)
{
	if (va >= (1ull << 39))
		return 0;
	uint64_t pa = t->root_pa;
	for (int level = 1; level < 3; level++) {
		uint64_t ent = table_at(t, pa)[idx(va, level)];
		if (!(ent & WF_PTE_VALID))
			return 0;
		pa = ent & WF_PTE_ADDR;
	}
	return table_at(t, pa)[idx(va, 3)];
}

uint64_t wf_pgt_next(const struct wf_pgt *t, uint64_t va, uint64_t end, uint64_t *pte)
{
	if (end > (1ull << 39))
		end = 1ull << 39;
	while (va < end) {
		/* Down the tree; an absent table skips its whole span. */
		uint64_t pa = t->root_pa, span = 0;
		int level = 1;
		for (; level < 3; level++) {
			uint64_t ent = table_at(t, pa)[idx(va, level)];
			if (!(ent & WF_PTE_VALID)) {
				span = 1ull << (12 + 9 * (3 - level));
				break;
			}
			pa = ent & WF_PTE_ADDR;
		}
		if (level < 3) {
			va = (va & ~(span - 1)) + span;
			continue;
		}
		uint64_t d = table_at(t, pa)[idx(va, 3)];
		if (d & WF_PTE_VALID) {
			*pte = d;
			return va;
		}
		va += WF_PAGE_SIZE;
	}
	return end;
}
