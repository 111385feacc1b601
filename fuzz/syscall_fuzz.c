// SPDX-License-Identifier: Apache-2.0
/* syscall_fuzz.c: libFuzzer target (ASan + UBSan, native): fuzzer-chosen syscalls and hostile pointers into the syscall layer. */
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"
#include "proc.h"
#include "linux/signals.h"
#include "linux/syscall.h"
#include "syscall_fuzz_input.h"

/*
 * Inputs are read as syscall_fuzz_input.h says. They run through the real dispatcher
 * (wf_syscall) on a fresh process with a host buffer as guest RAM and no MMU, as the unit
 * tests' fake process does; every input starts from the same state. syscall_fuzz_kvm does
 * the same against a real fork in the ARM64 machine.
 */
int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define BASE      0x400000ull
#define PAGES     32
#define RAM       (PAGES * WF_PAGE_SIZE)

static struct wf_systab tab;
static uint8_t seen[WF_NR_MAX]; /* syscalls run at least once, for the exit report */
static int nrs[WF_NR_MAX];
static unsigned nnrs;
static uint8_t *ram, prot[PAGES];

static void discard(void *ctx, int fd, const void *buf, size_t len)
{
	(void)ctx, (void)fd, (void)buf, (void)len;
}

static int no_protect(void *ctx, wf_gaddr_t addr, uint64_t len, unsigned p)
{
	(void)ctx, (void)addr, (void)len, (void)p;
	return 0;
}

static int no_zero(void *ctx, wf_gaddr_t addr, uint64_t len)
{
	(void)ctx;
	if (addr >= BASE && addr - BASE <= RAM && len <= RAM - (addr - BASE))
		memset(ram + (addr - BASE), 0, len);
	return 0;
}

static const struct wf_mmu_ops mmu = {.protect = no_protect, .zero = no_zero};

/* At exit (libFuzzer ends with exit()): how many distinct syscalls ran. */
static void report(void)
{
	unsigned n = 0;
	for (int nr = 0; nr < WF_NR_MAX; nr++)
		n += seen[nr];
	fprintf(stderr, "INFO: syscall_fuzz: %u distinct syscalls ran\n", n);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	atexit(report);
	/* fd 0 of the guest is the host's stdin: make it empty rather than a terminal. */
	int fd = open("/dev/null", O_RDONLY);
	if (fd >= 0 && fd != 0) {
		dup2(fd, 0);
		close(fd);
	}
	if (wf_systab_init(&tab))
		abort();
	nnrs = sf_numbers(&tab, nrs);
	ram = calloc(PAGES, WF_PAGE_SIZE);
	if (!ram)
		abort();
	fprintf(stderr, "INFO: syscall_fuzz: %u emulated syscalls in play\n", nnrs);
	return 0;
}

static const uint64_t bad[] = {0, 0x10, BASE - 1, BASE + RAM, ~0ull, ~0ull - 7, 1ull << 47,
			      0x7fffffffffffull};
static const struct sf_space space = {
	.lo = BASE, .size = RAM, .end = BASE + RAM,
	.noaccess = BASE + (PAGES - 1) * WF_PAGE_SIZE, /* see the prot array below */
	.rdonly = BASE + (PAGES - 2) * WF_PAGE_SIZE,
	.bad = bad, .nbad = ARRAY_SIZE(bad),
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct wf_proc p;
	memset(&p, 0, sizeof(p));
	memset(ram, 0, RAM);
	memset(prot, WF_PROT_READ | WF_PROT_WRITE, PAGES);
	prot[PAGES - 1] = 0;
	prot[PAGES - 2] = WF_PROT_READ;
	p.mem = (struct wf_mem){.host = ram, .base = BASE, .size = RAM, .prot = prot};
	p.mmu = &mmu;
	p.print = discard;
	p.deterministic = true;
	p.lim.max_fds = 64;
	if (wf_proc_init(&p))
		abort();
	p.pid = p.tid = 4242;
	p.ppid = 1;
	p.user_top = BASE + RAM;
	p.mmap_min = BASE;
	p.mmap_top = BASE + RAM / 2;
	struct wf_abi_frame regs;
	memset(&regs, 0, sizeof(regs));
	regs.sp = BASE + RAM / 2;
	p.regs = &regs;

	struct sf_cursor c = {data, data + size};
	for (int i = 0; i < SF_MAX_CALLS && c.p < c.end && !p.exited && !p.killed_by; i++) {
		int nr = nrs[sf_take(&c, 2) % nnrs];
		uint64_t a[6];
		for (int k = 0; k < 6; k++)
			a[k] = sf_arg(&c, &space);
		if (sf_may_block(nr, a))
			continue;
		(void)wf_syscall(&p, &tab, (uint64_t)nr, a);
		seen[nr] = 1;
	}
	wf_proc_fini(&p);
	return 0;
}
