// SPDX-License-Identifier: Apache-2.0
/* vma.h: the VMA list behind the memory syscalls (vma.c), and the guest's mmap flag values. */
#ifndef WARMFORK_VMA_H
#define WARMFORK_VMA_H

#include <errno.h>
#include <stdbool.h>

#include "proc.h"

/* Guest (asm-generic) mmap flag and madvise values, spelled out: never the host's. */
enum {
	G_MAP_SHARED = 0x01,
	G_MAP_PRIVATE = 0x02,
	G_MAP_SHARED_VALIDATE = 0x03,
	G_MAP_TYPE = 0x0f,
	G_MAP_FIXED = 0x10,
	G_MAP_ANONYMOUS = 0x20,
	G_MAP_GROWSDOWN = 0x100,
	G_MAP_DENYWRITE = 0x800,
	G_MAP_EXECUTABLE = 0x1000,
	G_MAP_LOCKED = 0x2000,
	G_MAP_NORESERVE = 0x4000,
	G_MAP_POPULATE = 0x8000,
	G_MAP_NONBLOCK = 0x10000,
	G_MAP_STACK = 0x20000,
	G_MAP_HUGETLB = 0x40000,
	G_MAP_SYNC = 0x80000,
	G_MAP_FIXED_NOREPLACE = 0x100000,
	/* Not a guest flag (mmap drops it): a shared file mapping of a descriptor not open for
	 * writing, which mprotect may not make writable (Linux's VM_MAYWRITE unset). */
	G_VMA_NOMAYWRITE = 0x40000000,
	G_MREMAP_MAYMOVE = 1,
	G_MREMAP_FIXED = 2,
	G_MREMAP_DONTUNMAP = 4,
	G_PROT_MASK = WF_PROT_READ | WF_PROT_WRITE | WF_PROT_EXEC,
};

/* Index of the first VMA whose end is above addr (p->nvmas if none). */
unsigned wf_vma_find(const struct wf_proc *p, wf_gaddr_t addr);
/* No page of [start, end) is in a VMA / every page is. */
bool wf_range_free(const struct wf_proc *p, wf_gaddr_t start, wf_gaddr_t end);
bool wf_range_mapped(const struct wf_proc *p, wf_gaddr_t start, wf_gaddr_t end);
/* Insert v at index i (room checked against the mapping limit): 0 or -ENOMEM. */
int wf_vma_insert_at(struct wf_proc *p, unsigned i, struct wf_vma v);
/* Whether b may join a (touching anonymous mappings of one kind, as Linux's vma_merge). */
bool wf_vma_mergeable(const struct wf_vma *a, const struct wf_vma *b);
/* Merge VMAs lo-1 .. hi (indices; out-of-range ends are clamped) with their neighbours. */
void wf_vma_merge(struct wf_proc *p, unsigned lo, unsigned hi);
/*
 * [start, end) (page aligned) out of the list (prot < 0), or given WF_PROT_* prot with its
 * VMAs split at the ends and merged with their neighbours. Refused at the mapping limit
 * (-ENOMEM, nothing changed) when it would cut a VMA in more pieces than the limit allows.
 * Only the list changes: the caller changes the pages.
 */
int wf_vma_carve(struct wf_proc *p, wf_gaddr_t start, wf_gaddr_t end, int prot);
/* Top-down search for a free gap of len bytes in [min, top) (0: none). */
wf_gaddr_t wf_find_gap_in(const struct wf_proc *p, uint64_t len, wf_gaddr_t min, wf_gaddr_t top);
/* A free gap of len bytes for a new mapping (0: none); MAP_NORESERVE ones may go to the
 * demand-paged arena. */
wf_gaddr_t wf_find_gap(const struct wf_proc *p, uint64_t len, bool noreserve);

#endif
