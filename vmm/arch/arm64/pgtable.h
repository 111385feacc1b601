// SPDX-License-Identifier: Apache-2.0
/* pgtable.h: arm64 stage-1 page tables (4 KiB granule, 39-bit VA) kept in guest RAM. */
#ifndef WARMFORK_PGTABLE_H
#define WARMFORK_PGTABLE_H

#include <stdbool.h>
#include <stdint.h>

#include "err.h"

/* Access attributes of a mapping. 0 means unmapped (an invalid descriptor). */
enum {
	WF_PGT_EL0_R = 1 << 0,
	WF_PGT_EL0_W = 1 << 1,
	WF_PGT_EL0_X = 1 << 2,
	WF_PGT_EL1_W = 1 << 3, /* EL1 pages are always readable */
	WF_PGT_EL1_X = 1 << 4,
	WF_PGT_EL1 = 1 << 5,   /* an EL1-only mapping (no EL0 access) */
	WF_PGT_DEVICE = 1 << 6,
};

struct wf_pgt {
	uint8_t *ram;       /* host view of guest RAM (IPA 0 upwards) */
	uint64_t ram_size;
	uint64_t pool_pa;   /* page-table pool [pool_pa, pool_pa + pool_size) inside RAM */
	uint64_t pool_size;
	uint64_t pool_used;
	uint64_t root_pa;   /* level-1 table: the TTBR0_EL1 value */
	uint64_t *dirty;    /* page bitmap to mark table pages written (fork reset), or NULL */
};

/* Lay out an empty tree with its tables drawn from the pool. */
int wf_pgt_init(struct wf_pgt *t, uint8_t *ram, uint64_t ram_size, uint64_t pool_pa,
		uint64_t pool_size, struct wf_err *e);

/*
 * Map [va, va+len) to [pa, pa+len) with `attrs`, or unmap it when attrs is 0. Page aligned.
 * The caller must make the guest invalidate its TLB before it runs again.
 */
int wf_pgt_map(struct wf_pgt *t, uint64_t va, uint64_t pa, uint64_t len, unsigned attrs,
	       struct wf_err *e);

/* The level-3 descriptor for va, or 0 if none. */
uint64_t wf_pgt_lookup(const struct wf_pgt *t, uint64_t va);

/*
 * The first page in [va, end) (page aligned) with a valid level-3 descriptor, its descriptor
 * in *pte; end when there is none. Absent tables are skipped whole, so a sparse range costs
 * what is mapped in it, not its size.
 */
uint64_t wf_pgt_next(const struct wf_pgt *t, uint64_t va, uint64_t end, uint64_t *pte);

/* Descriptor bits, for tests and reports. */
#define WF_PTE_VALID   (1ull << 0)
#define WF_PTE_TABLE   (1ull << 1) /* also "page" at level 3 */
#define WF_PTE_ATTR(i) ((uint64_t)(i) << 2)
#define WF_PTE_AP_EL0  (1ull << 6)
#define WF_PTE_AP_RO   (1ull << 7)
#define WF_PTE_SH_IS   (3ull << 8)
#define WF_PTE_AF      (1ull << 10)
#define WF_PTE_PXN     (1ull << 53)
#define WF_PTE_UXN     (1ull << 54)
#define WF_PTE_ADDR    0x0000fffffffff000ull

/* What generic code may ask of a descriptor (wf_pgt_lookup, wf_pgt_next): is it valid, and
 * the RAM offset it maps. Generic code never looks at the bits themselves. */
static inline bool wf_pte_valid(uint64_t pte)
{
	return pte & WF_PTE_VALID;
}

static inline uint64_t wf_pte_pa(uint64_t pte)
{
	return pte & WF_PTE_ADDR;
}

/* MAIR_EL1 attribute indices used in descriptors. */
#define WF_MAIR_NORMAL 0
#define WF_MAIR_DEVICE 1

#endif
