// SPDX-License-Identifier: Apache-2.0
/* fakeproc.h: a fake process for syscall unit tests: a host buffer as guest RAM, no-op MMU. */
#ifndef WARMFORK_FAKEPROC_H
#define WARMFORK_FAKEPROC_H

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proc.h"
#include "signals.h"
#include "syscall.h"

/*
 * Guest RAM is FAKE_PAGES pages at FAKE_BASE, all read+write unless a test changes
 * f->prot[page]. Addresses: G(off) is the guest address of RAM offset off, H(f, off) the host
 * pointer to it. SYS(f, nr, args...) runs a syscall through the real dispatcher (missing
 * arguments are 0). Tests run forked (Check's default), so nothing here needs undoing on
 * a failed assertion.
 */
#define FAKE_BASE  0x400000ull
#define FAKE_PAGES 16
#define FAKE_PID   4242
#define FAKE_BAD   0x10ull /* an address outside guest RAM */

#define G(off)      (FAKE_BASE + (uint64_t)(off))
#define H(f, off)   ((void *)((f)->ram + (off)))
#define SYS(f, ...) fake_sys(f, (const uint64_t[7]){__VA_ARGS__})

struct fakeproc {
	struct wf_proc p;
	struct wf_systab tab;
	uint8_t *ram;
	uint8_t *prot; /* per-page WF_PROT_* of guest RAM */
	char *trace;   /* what the dispatcher traced (after fake_trace_text) */
	size_t trace_len;
};

static int fake_protect(void *ctx, wf_gaddr_t addr, uint64_t len, unsigned prot)
{
	(void)ctx;
	(void)addr;
	(void)len;
	(void)prot;
	return 0;
}

static int fake_zero(void *ctx, wf_gaddr_t addr, uint64_t len)
{
	(void)ctx;
	(void)addr;
	(void)len;
	return 0;
}

static const struct wf_mmu_ops fake_mmu = {.protect = fake_protect, .zero = fake_zero};

/* A process with `pages` pages of guest RAM (fake_init: FAKE_PAGES). */
static inline void fake_init_sized(struct fakeproc *f, uint64_t pages)
{
	memset(f, 0, sizeof(*f));
	f->ram = calloc(pages, WF_PAGE_SIZE);
	f->prot = malloc(pages);
	ck_assert_ptr_nonnull(f->ram);
	ck_assert_ptr_nonnull(f->prot);
	memset(f->prot, WF_PROT_READ | WF_PROT_WRITE, pages);
	f->p.mem = (struct wf_mem){
		.host = f->ram, .base = FAKE_BASE, .size = pages * WF_PAGE_SIZE, .prot = f->prot};
	f->p.mmu = &fake_mmu;
	f->p.deterministic = true;
	ck_assert_int_eq(wf_proc_init(&f->p), 0);
	f->p.pid = f->p.tid = FAKE_PID;
	f->p.ppid = 1;
	f->p.uid = 1000;
	f->p.gid = 100;
	ck_assert_int_eq(wf_systab_init(&f->tab), 0);
}

static inline void fake_init(struct fakeproc *f)
{
	fake_init_sized(f, FAKE_PAGES);
}

/* Send the trace to a memory buffer; fake_trace_text() returns what it holds so far. */
static inline void fake_trace(struct fakeproc *f)
{
	f->p.trace_out = open_memstream(&f->trace, &f->trace_len);
	ck_assert_ptr_nonnull(f->p.trace_out);
	f->p.trace = true;
}

static inline const char *fake_trace_text(struct fakeproc *f)
{
	fflush(f->p.trace_out);
	return f->trace ? f->trace : "";
}

static inline void fake_fini(struct fakeproc *f)
{
	if (f->p.trace_out)
		fclose(f->p.trace_out);
	free(f->trace);
	wf_proc_fini(&f->p);
	free(f->ram);
	free(f->prot);
}

static inline int64_t fake_sys(struct fakeproc *f, const uint64_t v[7])
{
	return wf_syscall(&f->p, &f->tab, v[0], v + 1);
}

/* Give the process registers (a host frame page) with sp at guest offset sp_off. */
static inline void fake_regs(struct fakeproc *f, struct wf_abi_frame *r, uint64_t sp_off)
{
	memset(r, 0, sizeof(*r));
	r->sp = G(sp_off);
	r->pc = G(0x100);
	f->p.regs = r;
	f->p.sigtramp = 0x7fff0000;
}

/*
 * A syscall as the VM makes it: the arguments in x0..x5 and the number in x8 of p->regs, the
 * result into x0, then the return to the guest, which delivers signals.
 */
#define SYSR(f, ...) fake_sys_return(f, (const uint64_t[7]){__VA_ARGS__})
static inline int64_t fake_sys_return(struct fakeproc *f, const uint64_t v[7])
{
	struct wf_abi_frame *r = f->p.regs;
	memcpy(r->x, v + 1, 6 * sizeof(uint64_t));
	r->x[8] = v[0];
	struct wf_sysexit sx = {.syscall = true, .orig_x0 = r->x[0]};
	sx.ret = wf_syscall(&f->p, &f->tab, v[0], r->x);
	r->x[0] = (uint64_t)sx.ret;
	ck_assert_int_eq(wf_signal_deliver(&f->p, &sx, NULL, NULL), 0);
	return sx.ret;
}

/* The return to the guest after anything else (a fault). */
static inline void fake_return(struct fakeproc *f)
{
	ck_assert_int_eq(wf_signal_deliver(&f->p, NULL, NULL, NULL), 0);
}

/* Copy bytes into guest RAM at offset off (test set-up, not through the accessor). */
static inline void fake_put(struct fakeproc *f, uint64_t off, const void *src, size_t len)
{
	ck_assert_uint_le(off + len, f->p.mem.size);
	memcpy(f->ram + off, src, len);
}

#endif
