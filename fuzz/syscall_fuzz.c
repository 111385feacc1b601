/* syscall_fuzz.c: libFuzzer target (ASan + UBSan, native): fuzzer-chosen syscalls and hostile pointers into the syscall layer. */
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "proc.h"
#include "signals.h"
#include "syscall.h"

/*
 * Each input is a short program: up to MAX_CALLS syscalls, each a number picked from the
 * emulated ones and six arguments, each of one kind: a small or raw integer, a pointer into
 * guest RAM, one just before its end, one into a page with no access or a read-only page,
 * an address outside RAM, or a length-like value. They run through the real dispatcher
 * (wf_syscall) on a fresh process with a host buffer as guest RAM and no MMU, as the unit
 * tests' fake process does; every input starts from the same state. Calls that can block
 * the host thread on their own (reads of empty pipes, sleeps, waits) or need the VM's
 * scheduler (clone) are left out: a hang there would be Linux's behaviour too.
 */
int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define BASE      0x400000ull
#define PAGES     32
#define RAM       (PAGES * WF_PAGE_SIZE)
#define MAX_CALLS 8

static const char *const denied[] = {
	"read", "readv", "pread64", "preadv", "preadv2", "ppoll", "pselect6", "nanosleep",
	"clock_nanosleep", "futex", "rt_sigsuspend", "rt_sigtimedwait", "wait4", "waitid",
	"epoll_pwait", "execve", "clone", "clone3", "pipe2", "socketpair", "socket", "accept",
	"accept4", "connect", "recvfrom", "recvmsg", "sendto", "sendmsg", "flock",
};

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
	wf_systab_init(&tab);
	for (int nr = 0; nr < WF_NR_MAX; nr++) {
		const struct wf_syscall_def *d = tab.by_nr[nr];
		bool ok = d != NULL;
		for (size_t i = 0; ok && i < sizeof(denied) / sizeof(denied[0]); i++)
			ok = strcmp(d->name, denied[i]) != 0;
		if (ok)
			nrs[nnrs++] = nr;
	}
	ram = calloc(PAGES, WF_PAGE_SIZE);
	if (!ram)
		abort();
	fprintf(stderr, "INFO: syscall_fuzz: %u emulated syscalls in play\n", nnrs);
	return 0;
}

struct cursor {
	const uint8_t *p, *end;
};

static uint64_t take(struct cursor *c, unsigned n)
{
	uint64_t v = 0;
	for (unsigned i = 0; i < n && c->p < c->end; i++)
		v |= (uint64_t)*c->p++ << (8 * i);
	return v;
}

static uint64_t arg(struct cursor *c)
{
	switch (take(c, 1) % 9) {
	case 0:
		return (uint64_t)(int64_t)(int8_t)take(c, 1); /* small, maybe negative */
	case 1:
		return take(c, 4);
	case 2:
		return take(c, 8);
	case 3:
		return BASE + take(c, 2) % RAM; /* anywhere in RAM */
	case 4:
		return BASE + RAM - 1 - take(c, 1); /* just before the end */
	case 5:
		return BASE + (PAGES - 1) * WF_PAGE_SIZE + take(c, 2) % WF_PAGE_SIZE; /* no access */
	case 6:
		return BASE + (PAGES - 2) * WF_PAGE_SIZE + take(c, 2) % WF_PAGE_SIZE; /* read-only */
	case 7: {
		static const uint64_t bad[] = {0, 0x10, BASE - 1, BASE + RAM, ~0ull, ~0ull - 7,
					      1ull << 47, 0x7fffffffffffull};
		return bad[take(c, 1) % 8];
	}
	default: {
		unsigned s = take(c, 1) % 66;
		return s == 65 ? ~0ull : s == 64 ? 0 : 1ull << s; /* length-like */
	}
	}
}

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

	struct cursor c = {data, data + size};
	for (int i = 0; i < MAX_CALLS && c.p < c.end && !p.exited && !p.killed_by; i++) {
		int nr = nrs[take(&c, 2) % nnrs];
		uint64_t a[6];
		for (int k = 0; k < 6; k++)
			a[k] = arg(&c);
		(void)wf_syscall(&p, &tab, (uint64_t)nr, a);
		seen[nr] = 1;
	}
	wf_proc_fini(&p);
	return 0;
}
