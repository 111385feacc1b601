// SPDX-License-Identifier: Apache-2.0
/* fork_test_guest.c: guest for fork_test and the fork benchmarks: state to scribble and check. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>

#include "warmfork.h"

#define PAGES 300
static uint8_t pages[PAGES][4096] __attribute__((aligned(4096)));
static uint64_t counter = 1234;
static char *heap;
static int data_fd = -1;
static char cwd_at_ready[256];

/* FNV-1a over the state the tests care about: globals, the heap block, the page array. */
static uint64_t hash(const void *p, size_t n, uint64_t h)
{
	const uint8_t *b = p;
	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 1099511628211ull;
	return h;
}

long wf_state(void);
long wf_state(void)
{
	uint64_t h = hash(&counter, sizeof(counter), 14695981039346656037ull);
	h = hash(heap, 4096, h);
	return (long)hash(pages, sizeof(pages), h);
}

long wf_add(long a, long b);
long wf_add(long a, long b)
{
	return a + b;
}

long wf_empty(void);
long wf_empty(void)
{
	return 0;
}

/* n getpid system calls, each a VM exit (for the syscall benchmark). */
long wf_getpids(long n);
long wf_getpids(long n)
{
	long sum = 0;
	for (long i = 0; i < n; i++)
		sum += syscall(SYS_getpid);
	return sum;
}

/* Write to n distinct pages of a static array (for the reset benchmarks). */
long wf_dirty(long n);
long wf_dirty(long n)
{
	for (long i = 0; i < n && i < PAGES; i++)
		pages[i][0]++;
	return n;
}

/* Write everywhere a program can: globals, heap, stack, brk growth, new and existing maps. */
long wf_scribble(void);
long wf_scribble(void)
{
	volatile uint8_t stack[64 * 1024];
	memset((void *)stack, 0xab, sizeof(stack));
	counter += 99;
	memset(pages, 0xcd, sizeof(pages));
	memset(heap, 0xef, 4096);
	char *more = malloc(1 << 20);
	memset(more, 1, 1 << 20);
	void *brk_end = sbrk(1 << 16);
	if (brk_end != (void *)-1)
		memset(brk_end, 2, 1 << 16);
	char *m = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	memset(m, 3, 1 << 20);
	/* Replace an existing mapping (the page array) with fresh pages. */
	mmap(pages, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	return stack[100];
}

long wf_sum(const uint8_t *p, long n);
long wf_sum(const uint8_t *p, long n)
{
	long s = 0;
	for (long i = 0; i < n; i++)
		s += p[i];
	return s;
}

long wf_strlen(const char *s);
long wf_strlen(const char *s)
{
	return (long)strlen(s);
}

long wf_spin(void);
long wf_spin(void)
{
	for (;;)
		counter++;
}

long wf_crash(void);
long wf_crash(void)
{
	volatile uintptr_t bad = 16; /* a wild pointer the compiler cannot see through */
	*(volatile int *)bad = 1;
	return 0;
}

long wf_exit(long code);
long wf_exit(long code)
{
	_exit((int)code);
}

/* State-leak probes: each changes one piece of VMM-side state and reports it. */
long wf_open_fd(void);
long wf_open_fd(void)
{
	return open("/proc/self/status", O_RDONLY) >= 0 ? 1 : dup(1);
}

long wf_read_byte(void);
long wf_read_byte(void)
{
	char c;
	long off = lseek(data_fd, 0, SEEK_CUR);
	if (read(data_fd, &c, 1) != 1)
		return -1;
	return off;
}

long wf_handler(void);
long wf_handler(void)
{
	struct sigaction sa = {.sa_handler = SIG_IGN}, old;
	sigaction(SIGUSR1, &sa, &old);
	return old.sa_handler == SIG_DFL ? 0 : 1;
}

long wf_brk(void);
long wf_brk(void)
{
	long before = (long)sbrk(0);
	sbrk(1 << 20);
	return before;
}

long wf_mmap(void);
long wf_mmap(void)
{
	return (long)mmap(NULL, 1 << 16, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
}

/* A new mapping, written (so its translations are cached), for the TLB check. */
long wf_map_touch(void);
long wf_map_touch(void)
{
	uint8_t *p = mmap(NULL, 1 << 16, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return 0;
	for (int i = 0; i < 16; i++)
		p[i * 4096] = 1;
	return (long)p;
}

long wf_chdir(void);
long wf_chdir(void)
{
	char now[256];
	long same = getcwd(now, sizeof(now)) && !strcmp(now, cwd_at_ready);
	chdir("/");
	return same;
}

long wf_fp(void);
long wf_fp(void)
{
	/* An FP register value set before the ready point must be there in every fork. */
	double v;
	__asm__ volatile("fmov %d0, d9" : "=w"(v));
	__asm__ volatile("fmov d9, %d0" ::"w"(1.0) : "d9");
	return (long)(v * 1000);
}

/* Allocate until guest memory runs out, then abort() as a program would. */
long wf_oom(void);
long wf_oom(void)
{
	while (mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) !=
	       MAP_FAILED)
		;
	abort();
}

/* 1 if TPIDR_EL0 is the same after a write of "clobber" (the test host changes it then). */
long wf_tpidr_across_write(void);
long wf_tpidr_across_write(void)
{
	uint64_t a, b;
	__asm__ volatile("mrs %0, tpidr_el0" : "=r"(a));
	if (write(1, "clobber", 7) != 7)
		return -1;
	__asm__ volatile("mrs %0, tpidr_el0" : "=r"(b));
	return a == b;
}

/* errno (thread-local) written after a write of "wildtls" (the test host makes TPIDR_EL0 the
 * host thread's own then, past the stub): 1 if that worked and TPIDR_EL0 is ours again. */
long wf_tls_after_write(void);
long wf_tls_after_write(void)
{
	uint64_t a, b;
	__asm__ volatile("mrs %0, tpidr_el0" : "=r"(a));
	if (write(1, "wildtls", 7) != 7)
		return -1;
	errno = 77;
	__asm__ volatile("mrs %0, tpidr_el0" : "=r"(b));
	return errno == 77 && a == b;
}

/* TPIDR_EL0 (the thread pointer glibc set up) must be the master's in every fork. */
long wf_tpidr(void);
long wf_tpidr(void)
{
	uint64_t t;
	__asm__ volatile("mrs %0, tpidr_el0" : "=r"(t));
	__asm__ volatile("msr tpidr_el0, %0" ::"r"(t + 16));
	return (long)t;
}

/* Signal state a fuzz input may leave behind, and a probe for it. */
static sigjmp_buf segv_jb;
static volatile sig_atomic_t usr1_seen;

static void on_segv_jump(int sig)
{
	siglongjmp(segv_jb, sig);
}

static void on_usr1_count(int sig)
{
	(void)sig;
	usr1_seen++;
}

static volatile sig_atomic_t esr_seen;

static void on_usr1_probe(int sig, siginfo_t *si, void *ucv)
{
	(void)sig, (void)si;
	const ucontext_t *uc = ucv;
	const uint32_t *rec = (const uint32_t *)(const void *)uc->uc_mcontext.__reserved;
	/* fpsimd_context first (528 bytes), then an esr_context if a fault left one */
	esr_seen = rec[0] == 0x46508001 && rec[528 / 4] == 0x45535201;
}

/* Bits for the signal state that differs from a fresh process's: handlers 1, mask 2,
 * pending 4, altstack 8, a fault record 16. */
long wf_signals_state(void);
long wf_signals_state(void)
{
	long bad = 0;
	struct sigaction old;
	for (int s = 1; s < 32; s++)
		if (s != SIGKILL && s != SIGSTOP && !sigaction(s, NULL, &old) &&
		    old.sa_handler != SIG_DFL)
			bad |= 1;
	sigset_t cur;
	sigprocmask(SIG_BLOCK, NULL, &cur);
	if (!sigisemptyset(&cur))
		bad |= 2;
	sigpending(&cur);
	if (!sigisemptyset(&cur))
		bad |= 4;
	stack_t ss;
	if (sigaltstack(NULL, &ss) || !(ss.ss_flags & SS_DISABLE))
		bad |= 8;
	struct sigaction sa = {.sa_sigaction = on_usr1_probe, .sa_flags = SA_SIGINFO};
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
	esr_seen = 0;
	raise(SIGUSR1);
	if (esr_seen)
		bad |= 16;
	return bad;
}

/* Handlers, a caught fault left by siglongjmp (SIGSEGV stays blocked), a handled signal, a
 * pending one, an altstack: returns state bits * 100 + caught * 10 + handled. */
long wf_signals_dirty(void);
long wf_signals_dirty(void)
{
	static char alt[16384];
	struct sigaction sa = {.sa_handler = on_segv_jump};
	sigemptyset(&sa.sa_mask);
	sigaction(SIGSEGV, &sa, NULL);
	sa.sa_handler = on_usr1_count;
	sigaction(SIGUSR1, &sa, NULL);
	stack_t ss = {.ss_sp = alt, .ss_size = sizeof(alt)};
	sigaltstack(&ss, NULL);
	sigset_t s;
	sigemptyset(&s);
	sigaddset(&s, SIGUSR2);
	sigprocmask(SIG_BLOCK, &s, NULL);
	raise(SIGUSR2);
	usr1_seen = 0;
	raise(SIGUSR1);
	volatile long caught = 0;
	volatile uintptr_t bad = 16; /* a wild pointer the compiler cannot see through */
	if (!sigsetjmp(segv_jb, 0))
		*(volatile int *)bad = 1;
	else
		caught = 1;
	return wf_signals_state() * 100 + caught * 10 + usr1_seen;
}

int main(int argc, char **argv)
{
	heap = malloc(4096);
	memset(heap, 0x5a, 4096);
	for (int i = 0; i < PAGES; i++)
		pages[i][1] = (uint8_t)i;
	if (argc > 1)
		data_fd = open(argv[1], O_RDONLY);
	getcwd(cwd_at_ready, sizeof(cwd_at_ready));
	double d9 = 2.5;
	__asm__ volatile("fmov d9, %d0" ::"w"(d9) : "d9");
	warmfork_ready();
	return 0;
}
