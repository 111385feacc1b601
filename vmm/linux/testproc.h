// SPDX-License-Identifier: Apache-2.0
/* testproc.h: the one fake process for syscall unit tests: fake guest RAM, a fake MMU, a capturing printer, the real dispatcher. */
#ifndef WARMFORK_TESTPROC_H
#define WARMFORK_TESTPROC_H

#include <check.h>
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"
#include "proc.h"
#include "linux/signals.h"
#include "linux/syscall.h"

/*
 * Guest RAM is a host buffer with a per-page prot array (the fake MMU keeps it, so a test can
 * make pages unreadable with tp_protect and check EFAULT). Two set-ups:
 *
 * - tp_init: 1 MiB at TP_BASE with a bump allocator for test data (tp_alloc, tp_str), a
 *   fresh writable temp directory the process may use (t->dir), and fd 1/2 output captured in
 *   t->out[0]/[1]. Heap-allocate the struct (the capture buffers are large).
 * - tp_init_fixed: TP_FIXED_PAGES pages at TP_FIXED_BASE and a fixed identity (TP_PID, uid
 *   1000), for tests that lay out guest memory by offset: G(off) is the guest address of RAM
 *   offset off, H(t, off) the host pointer to it.
 *
 * Either way SYS(t, nr, args...) runs a syscall through the real dispatcher (missing
 * arguments are 0) and SYSR also returns to the guest as the VM does (signals delivered).
 * Tests run forked (Check's default), so nothing here needs undoing on a failed assertion.
 */
#define TP_BASE   0x10000ull
#define TP_SIZE   (1ull << 20)
#define TP_PAGES  (TP_SIZE / WF_PAGE_SIZE)
#define TP_OUTCAP 65536

#define TP_FIXED_BASE  0x400000ull
#define TP_FIXED_PAGES 16
#define TP_PID         4242
#define TP_BAD         0x10ull /* an address outside guest RAM */

#define G(off)      (TP_FIXED_BASE + (uint64_t)(off))
#define H(t, off)   ((void *)((t)->ram + (off)))
#define SYS(t, ...) tp_sys(t, (const uint64_t[7]){__VA_ARGS__})
#define SYSR(t, ...) tp_sys_return(t, (const uint64_t[7]){__VA_ARGS__})

struct tp {
	struct wf_proc p;
	struct wf_systab tab;     /* the dispatcher's table (SYS, SYSR) */
	uint8_t *ram;
	uint8_t *prot;            /* per-page WF_PROT_* of guest RAM */
	wf_gaddr_t next;          /* bump allocator: next free guest address */
	char out[2][TP_OUTCAP];   /* what fd 1 and fd 2 printed */
	size_t outlen[2];
	char dir[64];             /* the allowed, writable temp directory (tp_init) */
	char *trace;              /* what the dispatcher traced (tp_trace) */
	size_t trace_len;
};

/* Is [addr, addr+len) inside the fake RAM? */
static inline bool tp_in_ram(const struct tp *t, wf_gaddr_t addr, uint64_t len)
{
	const struct wf_mem *m = &t->p.mem;
	return addr >= m->base && addr - m->base <= m->size && len <= m->size - (addr - m->base);
}

static inline int tp_mmu_protect(void *ctx, wf_gaddr_t addr, uint64_t len, unsigned prot)
{
	struct tp *t = ctx;
	if (!tp_in_ram(t, addr, len))
		return -ENOMEM;
	for (uint64_t a = addr; a < addr + len; a += WF_PAGE_SIZE)
		t->prot[(a - t->p.mem.base) / WF_PAGE_SIZE] = (uint8_t)prot;
	return 0;
}

static inline int tp_mmu_zero(void *ctx, wf_gaddr_t addr, uint64_t len)
{
	struct tp *t = ctx;
	if (!tp_in_ram(t, addr, len))
		return -ENOMEM;
	memset(t->ram + (addr - t->p.mem.base), 0, len);
	return 0;
}

static const struct wf_mmu_ops tp_mmu = {.protect = tp_mmu_protect, .zero = tp_mmu_zero};

static inline void tp_print(void *ctx, int fd, const void *buf, size_t len)
{
	struct tp *t = ctx;
	int c = fd == 2 ? 1 : 0;
	size_t room = TP_OUTCAP - 1 - t->outlen[c];
	if (len > room)
		len = room;
	memcpy(t->out[c] + t->outlen[c], buf, len);
	t->outlen[c] += len;
	t->out[c][t->outlen[c]] = 0;
}

/* What both set-ups share: RAM of `pages` pages at base, all read+write; the MMU, the
 * printer, the dispatcher's table. 0 or -errno. */
static inline int tp_setup(struct tp *t, wf_gaddr_t base, uint64_t pages)
{
	memset(t, 0, sizeof(*t));
	t->ram = calloc(pages, WF_PAGE_SIZE);
	t->prot = malloc(pages);
	if (!t->ram || !t->prot)
		return -ENOMEM;
	memset(t->prot, WF_PROT_READ | WF_PROT_WRITE, pages);
	t->p.mem = (struct wf_mem){
		.host = t->ram, .base = base, .size = pages * WF_PAGE_SIZE, .prot = t->prot};
	t->p.mmu = &tp_mmu;
	t->p.mmu_ctx = t;
	t->p.print = tp_print;
	t->p.print_ctx = t;
	t->next = base + WF_PAGE_SIZE; /* page 0 stays free for tests to unmap */
	return wf_systab_init(&t->tab);
}

/* tp_init: limits as given (0: defaults). Returns 0 or -errno. */
static inline int tp_init(struct tp *t, unsigned max_fds, uint64_t max_output)
{
	int rc = tp_setup(t, TP_BASE, TP_PAGES);
	if (rc)
		return rc;
	t->p.lim.max_fds = max_fds;
	t->p.lim.max_output = max_output;
	if ((rc = wf_proc_init(&t->p)))
		return rc;
	strcpy(t->dir, "/tmp/wf-test-XXXXXX");
	if (!mkdtemp(t->dir))
		return -errno;
	return wf_proc_allow(&t->p, t->dir, true);
}

/* A tp_init'ed fixture on the heap (too large for a test's stack), or NULL; tp_delete ends it. */
static inline struct tp *tp_new(unsigned max_fds, uint64_t max_output)
{
	struct tp *t = malloc(sizeof(*t));
	if (t && tp_init(t, max_fds, max_output)) {
		free(t);
		t = NULL;
	}
	return t;
}

/* tp_init_fixed with `pages` pages of RAM (tp_init_fixed: TP_FIXED_PAGES). */
static inline void tp_init_fixed_sized(struct tp *t, uint64_t pages)
{
	ck_assert_int_eq(tp_setup(t, TP_FIXED_BASE, pages), 0);
	t->p.deterministic = true;
	ck_assert_int_eq(wf_proc_init(&t->p), 0);
	t->p.pid = t->p.tid = TP_PID;
	t->p.ppid = 1;
	t->p.uid = 1000;
	t->p.gid = 100;
}

static inline void tp_init_fixed(struct tp *t)
{
	tp_init_fixed_sized(t, TP_FIXED_PAGES);
}

/* Send the trace to a memory buffer; tp_trace_text() returns what it holds so far. */
static inline void tp_trace(struct tp *t)
{
	t->p.trace_out = open_memstream(&t->trace, &t->trace_len);
	ck_assert_ptr_nonnull(t->p.trace_out);
	t->p.trace = true;
}

static inline const char *tp_trace_text(struct tp *t)
{
	fflush(t->p.trace_out);
	return t->trace ? t->trace : "";
}

static inline int tp_rm(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	return remove(path);
}

static inline void tp_fini(struct tp *t)
{
	if (t->p.trace_out)
		fclose(t->p.trace_out);
	free(t->trace);
	wf_proc_fini(&t->p);
	if (t->dir[0] && strcmp(t->dir, "/tmp/wf-test-XXXXXX"))
		nftw(t->dir, tp_rm, 16, FTW_DEPTH | FTW_PHYS);
	free(t->ram);
	free(t->prot);
}

static inline void tp_delete(struct tp *t)
{
	tp_fini(t);
	free(t);
}

/* A zeroed guest buffer of len bytes (16-byte aligned); 0 when the fake RAM is used up. */
static inline wf_gaddr_t tp_alloc(struct tp *t, uint64_t len)
{
	const struct wf_mem *m = &t->p.mem;
	wf_gaddr_t a = (t->next + 15) & ~15ull;
	if (len > m->base + m->size - a)
		return 0;
	t->next = a + len;
	memset(t->ram + (a - m->base), 0, len);
	return a;
}

/* A fresh page-aligned guest range of n pages (for prot tests). */
static inline wf_gaddr_t tp_alloc_pages(struct tp *t, uint64_t n)
{
	t->next = (t->next + WF_PAGE_SIZE - 1) & ~(WF_PAGE_SIZE - 1);
	return tp_alloc(t, n * WF_PAGE_SIZE);
}

static inline void tp_protect(struct tp *t, wf_gaddr_t addr, uint64_t len, unsigned prot)
{
	tp_mmu_protect(t, addr, len, prot);
}

/* The host view of guest memory, for checking what a handler wrote (tests only). */
static inline void *tp_host(struct tp *t, wf_gaddr_t addr)
{
	return t->ram + (addr - t->p.mem.base);
}

/* Copy bytes / a C string into fresh guest memory and return the guest address. */
static inline wf_gaddr_t tp_bytes(struct tp *t, const void *data, size_t len)
{
	wf_gaddr_t a = tp_alloc(t, len);
	if (a)
		memcpy(tp_host(t, a), data, len);
	return a;
}

static inline wf_gaddr_t tp_str(struct tp *t, const char *s)
{
	return tp_bytes(t, s, strlen(s) + 1);
}

/* A guest string "<tp->dir>/<rel>" (or tp->dir itself when rel is empty). */
static inline wf_gaddr_t tp_path(struct tp *t, const char *rel)
{
	char buf[4200];
	snprintf(buf, sizeof(buf), "%s%s%s", t->dir, rel[0] ? "/" : "", rel);
	return tp_str(t, buf);
}

/* Call syscall nr through the fs, io and links tables, as the dispatcher would. */
static inline int64_t tp_call6(struct tp *t, int nr, const uint64_t a[6])
{
	const struct wf_syscall_def *tabs[] = {wf_sys_fs, wf_sys_io, wf_sys_links};
	for (size_t i = 0; i < ARRAY_SIZE(tabs); i++)
		for (const struct wf_syscall_def *d = tabs[i]; d->name; d++)
			if (d->nr == nr)
				return d->fn(&t->p, a);
	return -ENOSYS;
}

#define TP_CALL(t, nr, ...) tp_call6((t), (nr), (const uint64_t[6]){__VA_ARGS__})

/* A syscall through the real dispatcher (SYS). */
static inline int64_t tp_sys(struct tp *t, const uint64_t v[7])
{
	return wf_syscall(&t->p, &t->tab, v[0], v + 1);
}

/* Give the process registers (a host frame page) with sp at guest offset sp_off. */
static inline void tp_regs(struct tp *t, struct wf_abi_frame *r, uint64_t sp_off)
{
	memset(r, 0, sizeof(*r));
	r->sp = G(sp_off);
	r->pc = G(0x100);
	t->p.regs = r;
	t->p.sigtramp = 0x7fff0000;
}

/*
 * A syscall as the VM makes it (SYSR): the arguments in x0..x5 and the number in x8 of
 * p->regs, the result into x0, then the return to the guest, which delivers signals.
 */
static inline int64_t tp_sys_return(struct tp *t, const uint64_t v[7])
{
	struct wf_abi_frame *r = t->p.regs;
	memcpy(r->x, v + 1, 6 * sizeof(uint64_t));
	r->x[8] = v[0];
	struct wf_sysexit sx = {.syscall = true, .orig_x0 = r->x[0]};
	sx.ret = wf_syscall(&t->p, &t->tab, v[0], r->x);
	r->x[0] = (uint64_t)sx.ret;
	ck_assert_int_eq(wf_signal_deliver(&t->p, &sx, NULL, NULL), 0);
	return sx.ret;
}

/* The return to the guest after anything else (a fault). */
static inline void tp_return(struct tp *t)
{
	ck_assert_int_eq(wf_signal_deliver(&t->p, NULL, NULL, NULL), 0);
}

/* Copy bytes into guest RAM at offset off (test set-up, not through the accessor). */
static inline void tp_put(struct tp *t, uint64_t off, const void *src, size_t len)
{
	ck_assert_uint_le(off + len, t->p.mem.size);
	memcpy(t->ram + off, src, len);
}

#endif
