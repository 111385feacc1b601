// SPDX-License-Identifier: Apache-2.0
/* testproc.h: unit-test helper: a wf_proc over fake guest RAM, a fake MMU, a capturing printer. */
#ifndef WARMFORK_TESTPROC_H
#define WARMFORK_TESTPROC_H

#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"
#include "syscall.h"

/*
 * Guest RAM is a 1 MiB host buffer at guest address TP_BASE with a per-page prot array, so a
 * test can make pages unreadable (tp_protect) and check EFAULT. Guest addresses for test data
 * come from a bump allocator (tp_alloc, tp_str). The process allows one fresh writable temp
 * directory, tp->dir; fd 1/2 output is captured in tp->out[0]/[1].
 */
#define TP_BASE   0x10000ull
#define TP_SIZE   (1ull << 20)
#define TP_PAGES  (TP_SIZE / WF_PAGE_SIZE)
#define TP_OUTCAP 65536

struct tp {
	struct wf_proc p;
	uint8_t *ram;
	uint8_t prot[TP_PAGES];
	wf_gaddr_t next;          /* bump allocator: next free guest address */
	char out[2][TP_OUTCAP];   /* what fd 1 and fd 2 printed */
	size_t outlen[2];
	char dir[64];             /* the allowed, writable temp directory */
};

static inline int tp_mmu_protect(void *ctx, wf_gaddr_t addr, uint64_t len, unsigned prot)
{
	struct tp *t = ctx;
	if (addr < TP_BASE || addr - TP_BASE > TP_SIZE || len > TP_SIZE - (addr - TP_BASE))
		return -ENOMEM;
	for (uint64_t a = addr; a < addr + len; a += WF_PAGE_SIZE)
		t->prot[(a - TP_BASE) / WF_PAGE_SIZE] = (uint8_t)prot;
	return 0;
}

static inline int tp_mmu_zero(void *ctx, wf_gaddr_t addr, uint64_t len)
{
	struct tp *t = ctx;
	if (addr < TP_BASE || addr - TP_BASE > TP_SIZE || len > TP_SIZE - (addr - TP_BASE))
		return -ENOMEM;
	memset(t->ram + (addr - TP_BASE), 0, len);
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

/* Set up: limits as given (0: defaults). Returns 0 or -errno. Heap-allocate struct tp. */
static inline int tp_init(struct tp *t, unsigned max_fds, uint64_t max_output)
{
	memset(t, 0, sizeof(*t));
	t->ram = calloc(1, TP_SIZE);
	if (!t->ram)
		return -ENOMEM;
	memset(t->prot, WF_PROT_READ | WF_PROT_WRITE, sizeof(t->prot));
	t->p.mem = (struct wf_mem){.host = t->ram, .base = TP_BASE, .size = TP_SIZE, .prot = t->prot};
	t->p.mmu = &tp_mmu;
	t->p.mmu_ctx = t;
	t->p.print = tp_print;
	t->p.print_ctx = t;
	t->p.lim.max_fds = max_fds;
	t->p.lim.max_output = max_output;
	t->next = TP_BASE + WF_PAGE_SIZE; /* page 0 stays free for tests to unmap */
	int rc = wf_proc_init(&t->p);
	if (rc)
		return rc;
	strcpy(t->dir, "/tmp/wf-test-XXXXXX");
	if (!mkdtemp(t->dir))
		return -errno;
	return wf_proc_allow(&t->p, t->dir, true);
}

static inline int tp_rm(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	return remove(path);
}

static inline void tp_fini(struct tp *t)
{
	wf_proc_fini(&t->p);
	if (t->dir[0] && strcmp(t->dir, "/tmp/wf-test-XXXXXX"))
		nftw(t->dir, tp_rm, 16, FTW_DEPTH | FTW_PHYS);
	free(t->ram);
}

/* A zeroed guest buffer of len bytes (16-byte aligned); 0 when the fake RAM is used up. */
static inline wf_gaddr_t tp_alloc(struct tp *t, uint64_t len)
{
	wf_gaddr_t a = (t->next + 15) & ~15ull;
	if (len > TP_BASE + TP_SIZE - a)
		return 0;
	t->next = a + len;
	memset(t->ram + (a - TP_BASE), 0, len);
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
	return t->ram + (addr - TP_BASE);
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

/* Call syscall nr through the fs and io tables, as the dispatcher would. */
static inline int64_t tp_call6(struct tp *t, int nr, const uint64_t a[6])
{
	const struct wf_syscall_def *tabs[] = {wf_sys_fs, wf_sys_io};
	for (size_t i = 0; i < ARRAY_SIZE(tabs); i++)
		for (const struct wf_syscall_def *d = tabs[i]; d->name; d++)
			if (d->nr == nr)
				return d->fn(&t->p, a);
	return -ENOSYS;
}

#define TP_CALL(t, nr, ...) tp_call6((t), (nr), (const uint64_t[6]){__VA_ARGS__})

#endif
