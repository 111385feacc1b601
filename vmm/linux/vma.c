// SPDX-License-Identifier: Apache-2.0
/* vma.c: the process's sorted VMA list: lookup, carving, merging, the mapping limit, free gaps. */
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "linux/mm.h"
#include "linux/vma.h"

/* Index of the first VMA whose end is above addr. */
unsigned wf_vma_find(const struct wf_proc *p, wf_gaddr_t addr)
{
	unsigned lo = 0, hi = p->nvmas;
	while (lo < hi) {
		unsigned mid = (lo + hi) / 2;
		if (p->vmas[mid].end <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

bool wf_range_free(const struct wf_proc *p, wf_gaddr_t start, wf_gaddr_t end)
{
	unsigned i = wf_vma_find(p, start);
	return i == p->nvmas || p->vmas[i].start >= end;
}

/* Every page of [start, end) belongs to some VMA. */
bool wf_range_mapped(const struct wf_proc *p, wf_gaddr_t start, wf_gaddr_t end)
{
	wf_gaddr_t cur = start;
	for (unsigned i = wf_vma_find(p, start); i < p->nvmas && cur < end; i++) {
		if (p->vmas[i].start > cur)
			return false;
		cur = p->vmas[i].end;
	}
	return cur >= end;
}

bool wf_mm_mapped(const struct wf_proc *p, wf_gaddr_t addr)
{
	unsigned i = wf_vma_find(p, addr);
	return i < p->nvmas && p->vmas[i].start <= addr;
}

/* Room for n more VMAs, within the limit and allocated, before anything changes. */
static int vma_reserve(struct wf_proc *p, unsigned n)
{
	unsigned max = p->lim.max_vmas ? p->lim.max_vmas : WF_MAX_VMAS_DEFAULT;
	if (p->nvmas + n > max)
		return -ENOMEM;
	while (p->nvmas + n > p->cap_vmas) {
		unsigned cap = p->cap_vmas ? p->cap_vmas * 2 : 32;
		struct wf_vma *v = realloc(p->vmas, cap * sizeof(*v));
		if (!v)
			return -ENOMEM;
		p->vmas = v;
		p->cap_vmas = cap;
	}
	return 0;
}

int wf_vma_insert_at(struct wf_proc *p, unsigned i, struct wf_vma v)
{
	int rc = vma_reserve(p, 1);
	if (rc)
		return rc;
	if (i < p->nvmas)
		memmove(&p->vmas[i + 1], &p->vmas[i], (p->nvmas - i) * sizeof(*p->vmas));
	p->vmas[i] = v;
	p->nvmas++;
	return 0;
}

/*
 * Linux merges a mapping with a neighbour of the same kind (vma_merge): here anonymous ones
 * that touch, with the same protection and the flags that tell mappings apart. File mappings
 * are never merged (the VMA does not record the file).
 */
#define MERGE_FLAGS (G_MAP_TYPE | G_MAP_ANONYMOUS | G_MAP_GROWSDOWN | G_MAP_STACK | G_MAP_NORESERVE)

bool wf_vma_mergeable(const struct wf_vma *a, const struct wf_vma *b)
{
	return a->end == b->start && a->prot == b->prot && (a->flags & G_MAP_ANONYMOUS) &&
	       !((a->flags ^ b->flags) & MERGE_FLAGS);
}

/* Merge VMAs lo-1 .. hi (indices; out-of-range ends are clamped) with their neighbours. */
void wf_vma_merge(struct wf_proc *p, unsigned lo, unsigned hi)
{
	unsigned k = lo ? lo : 1;
	while (k <= hi && k < p->nvmas) {
		if (!wf_vma_mergeable(&p->vmas[k - 1], &p->vmas[k])) {
			k++;
			continue;
		}
		p->vmas[k - 1].end = p->vmas[k].end;
		memmove(&p->vmas[k], &p->vmas[k + 1], (p->nvmas - k - 1) * sizeof(*p->vmas));
		p->nvmas--;
		hi--;
	}
}

/*
 * Cut [start, end) out of the VMA list, splitting VMAs at the edges. With `prot` >= 0 the
 * cut range is re-inserted with that protection (mprotect); otherwise it is dropped (munmap).
 */
int wf_vma_carve(struct wf_proc *p, wf_gaddr_t start, wf_gaddr_t end, int prot)
{
	unsigned i = wf_vma_find(p, start), e = wf_vma_find(p, end);
	bool split_start = i < p->nvmas && p->vmas[i].start < start;
	bool split_end = e < p->nvmas && p->vmas[e].start < end;
	if (prot < 0 && !(split_start && split_end && i == e)) {
		/* Removal that cuts no VMA in two needs no new slot, at the limit too (Linux's
		 * munmap only checks vm.max_map_count when it splits one VMA in three). */
		if (split_start)
			p->vmas[i++].end = start;
		if (split_end)
			p->vmas[e].start = end;
		if (e > i) {
			memmove(&p->vmas[i], &p->vmas[e], (p->nvmas - e) * sizeof(*p->vmas));
			p->nvmas -= e - i;
		}
		return 0;
	}
	/* Both splits are reserved first: one refused at the mapping limit (ENOMEM, as Linux's
	 * vm.max_map_count) must leave every mapping as it was. Truncating a VMA and then failing
	 * to insert its tail lost the tail's pages (found by the adversarial guest's `maps`). */
	int rc = vma_reserve(p, (unsigned)split_start + (unsigned)split_end);
	if (rc)
		return rc;
	if (split_start) {
		struct wf_vma tail = p->vmas[i];
		tail.start = start;
		p->vmas[i].end = start;
		wf_vma_insert_at(p, i + 1, tail); /* reserved: cannot fail */
		i++;
	}
	unsigned j = i;
	while (j < p->nvmas && p->vmas[j].end <= end)
		j++;
	if (j < p->nvmas && p->vmas[j].start < end) {
		struct wf_vma head = p->vmas[j];
		head.end = end;
		p->vmas[j].start = end;
		wf_vma_insert_at(p, j, head); /* reserved: cannot fail */
		j++;
	}
	if (prot >= 0) {
		for (unsigned k = i; k < j; k++)
			p->vmas[k].prot = (unsigned)prot;
		wf_vma_merge(p, i, j);
		return 0;
	}
	if (j > i) {
		memmove(&p->vmas[i], &p->vmas[j], (p->nvmas - j) * sizeof(*p->vmas));
		p->nvmas -= j - i;
	}
	return 0;
}

/* Top-down search for a free gap of len bytes in [min, top). */
wf_gaddr_t wf_find_gap_in(const struct wf_proc *p, uint64_t len, wf_gaddr_t min, wf_gaddr_t top)
{
	unsigned i = wf_vma_find(p, top);
	while (len <= top && top - len >= min) { /* no overflow for any len */
		wf_gaddr_t below_end = i > 0 ? p->vmas[i - 1].end : 0;
		if (below_end <= top - len)
			return top - len;
		if (i == 0)
			break;
		i--;
		top = p->vmas[i].start;
	}
	return 0;
}

/*
 * A free gap for a new mapping: in the mmap arena of the low window; a MAP_NORESERVE
 * anonymous one (it reserves much and touches little) first in the demand-paged arena
 * between the low window and the stack, when there is one. Other mappings stay in the low
 * window, so that running out of memory is mmap's ENOMEM, as before, not a fault later.
 */
wf_gaddr_t wf_find_gap(const struct wf_proc *p, uint64_t len, bool noreserve)
{
	wf_gaddr_t at = 0;
	if (noreserve && p->mmu->next_page && p->dmap_top > p->dmap_min)
		at = wf_find_gap_in(p, len, p->dmap_min, p->dmap_top);
	return at ? at : wf_find_gap_in(p, len, p->mmap_min, p->mmap_top);
}
