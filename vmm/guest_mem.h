// SPDX-License-Identifier: Apache-2.0
/* guest_mem.h: the one checked accessor for guest memory; every guest pointer goes through it. */
#ifndef WARMFORK_GUEST_MEM_H
#define WARMFORK_GUEST_MEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util.h"

/* A guest address. Never dereferenced on the host: translate it with wf_mem_ptr(). */
typedef uint64_t wf_gaddr_t;

enum { WF_PROT_READ = 1, WF_PROT_WRITE = 2, WF_PROT_EXEC = 4 };

/*
 * Guest addresses reach guest RAM (host[0 .. ram)) three ways:
 *   - [base, base + size): RAM from host[0] (the low part of the address space);
 *   - [win_va, win_va + win_len): RAM from host[win_off] (the stack, high in the address
 *     space), when win_len is not 0;
 *   - any other page through page(), when set: demand-paged mappings (the RAM of each page
 *     is chosen when it is first touched; page() checks the access and finds or makes it).
 * prot and dirty are indexed by RAM page, whichever way an address reaches it.
 */
struct wf_mem {
	uint8_t *host;     /* host mapping of guest RAM */
	wf_gaddr_t base;   /* guest address of host[0] */
	uint64_t size;     /* bytes of guest RAM at base */
	uint64_t ram;      /* bytes of guest RAM in all (0: size) */
	wf_gaddr_t win_va; /* the second window: guest [win_va, win_va+win_len) is host[win_off..] */
	uint64_t win_off, win_len;
	/* A demand-paged page: its RAM offset in *off, or -EFAULT (no mapping allows `prot`). */
	int (*page)(void *ctx, wf_gaddr_t va, unsigned prot, uint64_t *off);
	void *page_ctx;
	uint8_t *prot;     /* per-4KiB-page WF_PROT_* bits, or NULL: all of RAM readable+writable */
	uint64_t *dirty;   /* per-page bitmap of host writes (fork reset), or NULL: not tracked */
	/* RAM [off, off+len) the accessor is about to hand out: 0, or -EFAULT when touching it
	 * would fault in the host (a shared file map past its file's end). NULL: none can. */
	int (*check)(void *ctx, uint64_t off, uint64_t len);
	void *check_ctx;
	/* The last failed access, for reports: where in the VMM and what the guest asked for. */
	const char *fail_file;
	int fail_line;
	wf_gaddr_t fail_addr;
	uint64_t fail_len;
};

/*
 * Translate guest [addr, addr+len) to a host pointer when the whole range lies in guest RAM
 * (in one window, or on demand-paged pages whose RAM is contiguous) and every page in it
 * allows `prot`; NULL otherwise (and the failure is recorded). A zero-length range is valid
 * anywhere in [base, base+size]. Arithmetic cannot overflow. The copy helpers below also
 * cross demand-paged pages whose RAM is not contiguous.
 */
void *wf_mem_ptr_at(struct wf_mem *m, wf_gaddr_t addr, uint64_t len, unsigned prot,
		    const char *file, int line);
#define wf_mem_ptr(m, addr, len, prot) wf_mem_ptr_at(m, addr, len, prot, __FILE__, __LINE__)

/*
 * The RAM offset of guest [addr, addr+len) when it lies inside one of the two windows (not a
 * demand-paged page): 0 and *off, else -EFAULT. No access check: for the VMM's own use.
 */
int wf_mem_offset(const struct wf_mem *m, wf_gaddr_t addr, uint64_t len, uint64_t *off);

/*
 * Host pointer to RAM bytes [off, off+len) by RAM offset (the VMM's own page pool, not a guest
 * address); NULL when the range leaves RAM. Marks the pages dirty when `write`.
 */
void *wf_mem_ram(struct wf_mem *m, uint64_t off, uint64_t len, bool write);

/* Record host writes to guest pages [page, page+n) in a dirty bitmap (NULL: no-op). */
static inline void wf_dirty_mark(uint64_t *bitmap, uint64_t page, uint64_t n)
{
	if (!bitmap)
		return;
	for (uint64_t p = page; p < page + n; p++)
		bitmap[p / 64] |= 1ull << (p % 64);
}

/* Note that the host wrote guest [addr, addr+len) by other means than wf_mem_ptr. */
void wf_mem_mark_dirty(struct wf_mem *m, wf_gaddr_t addr, uint64_t len);

/* Copy helpers on top of wf_mem_ptr. Return 0 or -EFAULT. */
#define wf_mem_read(m, dst, addr, len) wf_mem_read_at(m, dst, addr, len, __FILE__, __LINE__)
#define wf_mem_write(m, addr, src, len) wf_mem_write_at(m, addr, src, len, __FILE__, __LINE__)
int wf_mem_read_at(struct wf_mem *m, void *dst, wf_gaddr_t addr, uint64_t len, const char *file,
		   int line);
int wf_mem_write_at(struct wf_mem *m, wf_gaddr_t addr, const void *src, uint64_t len,
		    const char *file, int line);

/*
 * Length of the NUL-terminated guest string at addr, at most max; -EFAULT if it runs into
 * memory the guest cannot read before a NUL, -ENAMETOOLONG if no NUL within max bytes.
 */
#define wf_mem_strnlen(m, addr, max) wf_mem_strnlen_at(m, addr, max, __FILE__, __LINE__)
int64_t wf_mem_strnlen_at(struct wf_mem *m, wf_gaddr_t addr, uint64_t max, const char *file,
			  int line);

#endif
