// SPDX-License-Identifier: Apache-2.0
/* adversarial.c: a hostile guest: writes, jumps and syscalls aimed at what a VMM keeps for itself. */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/futex.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

/*
 *   adversarial poke ADDR     store to ADDR (hex)        natively and in warmfork: SIGSEGV
 *   adversarial peek ADDR     load from ADDR
 *   adversarial jump ADDR     branch to ADDR
 *   adversarial syscalls      wild, wrapping and huge pointers and lengths: errno names
 *   adversarial fds           dup() until it fails: the errno name
 *   adversarial sigreturn     rt_sigreturn on a garbage stack
 *   adversarial store ADDR N  an N-byte store (1, 2, 4, 8; 16: a store pair) to ADDR
 *   adversarial load ADDR N   an N-byte load from ADDR
 *   adversarial execdata      run an instruction written to a data page: SIGSEGV
 *   adversarial threads       start threads (blocked in futex waits) until it fails
 *   adversarial maps          one-page mappings until mmap fails; then splits are refused, and
 *                             unmapping a whole mapping makes room for one more
 *   adversarial memory        touch 1 MiB mappings until mmap fails, then malloc, then sbrk
 *   adversarial output        write 4 KiB blocks to stdout until it fails: exit status errno
 *   adversarial spin          loop forever; spin-syscalls: loop in getppid(); block-read:
 *                             read an empty pipe; block-wait: wait for a blocked signal
 * Addresses worth aiming at in warmfork: the top of guest RAM (the VMM's vectors, frame page,
 * trampolines and page tables sit there, EL1-only), just past RAM, the end of the 48-bit
 * user range, and the kernel half.
 */
static const char *ename(int e)
{
	switch (e) {
	case 0: return "OK";
	case EFAULT: return "EFAULT";
	case EINVAL: return "EINVAL";
	case EBADF: return "EBADF";
	case EMFILE: return "EMFILE";
	case ENOMEM: return "ENOMEM";
	case ENOENT: return "ENOENT";
	case ENAMETOOLONG: return "ENAMETOOLONG";
	case EAGAIN: return "EAGAIN";
	case EFBIG: return "EFBIG";
	default: return "other";
	}
}

static void wild_syscalls(void)
{
	static const uintptr_t bad[] = {0x10, 0x1ffff000, 0x20000000, 1ull << 39, 0xfffffffffff0ull,
					 0xffff800000000000ull, ~(uintptr_t)0 - 4};
	char buf[16] = "0123456789abcdef";
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		long r1 = syscall(SYS_write, 1, bad[i], 8);
		int e1 = r1 < 0 ? errno : 0;
		/* read(2) of a bad buffer: Linux finds it only when data would be copied, so
		 * a read at end of file returns 0 there; warmfork says EFAULT at once. Read
		 * from an fd that is not open, whose check comes first either way. */
		long r2 = syscall(SYS_read, 99, bad[i], 8);
		int e2 = r2 < 0 ? errno : 0;
		long r3 = syscall(SYS_openat, AT_FDCWD, bad[i], 0, 0);
		int e3 = r3 < 0 ? errno : 0;
		long r4 = syscall(SYS_clock_gettime, 1, bad[i]);
		int e4 = r4 < 0 ? errno : 0;
		printf("%#lx: write %s, read %s, openat %s, clock_gettime %s\n", (unsigned long)bad[i],
		       ename(e1), ename(e2), ename(e3), ename(e4));
	}
	/* A valid buffer with a length that runs past the end of the address space. */
	long r = syscall(SYS_write, 1, buf, ~(size_t)0 >> 1);
	printf("write huge length: %s\n", r < 0 ? ename(errno) : "written");
	r = syscall(SYS_getcwd, buf, (size_t)0);
	printf("getcwd size 0: %s\n", r < 0 ? ename(errno) : "OK");
	fflush(stdout);
}

static void access_sized(uintptr_t a, int n, bool store)
{
	uint64_t v = 0x4141414141414141ull, w = v;
	switch (n * (store ? 1 : -1)) {
	case 1: __asm__ volatile("strb %w0, [%1]" ::"r"(v), "r"(a) : "memory"); break;
	case 2: __asm__ volatile("strh %w0, [%1]" ::"r"(v), "r"(a) : "memory"); break;
	case 4: __asm__ volatile("str %w0, [%1]" ::"r"(v), "r"(a) : "memory"); break;
	case 8: __asm__ volatile("str %0, [%1]" ::"r"(v), "r"(a) : "memory"); break;
	case 16: __asm__ volatile("stp %0, %1, [%2]" ::"r"(v), "r"(w), "r"(a) : "memory"); break;
	case -1: __asm__ volatile("ldrb %w0, [%1]" : "=r"(v) : "r"(a) : "memory"); break;
	case -2: __asm__ volatile("ldrh %w0, [%1]" : "=r"(v) : "r"(a) : "memory"); break;
	case -4: __asm__ volatile("ldr %w0, [%1]" : "=r"(v) : "r"(a) : "memory"); break;
	case -8: __asm__ volatile("ldr %0, [%1]" : "=r"(v) : "r"(a) : "memory"); break;
	case -16: __asm__ volatile("ldp %0, %1, [%2]" : "=r"(v), "=r"(w) : "r"(a) : "memory"); break;
	default: exit(64);
	}
	printf("%llx\n", (unsigned long long)(v ^ w));
}

static void execdata(void)
{
	uint32_t *page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
			      -1, 0);
	if (page == MAP_FAILED)
		exit(3);
	page[0] = 0xd65f03c0; /* ret */
	__builtin___clear_cache((char *)page, (char *)(page + 1));
	((void (*)(void))page)();
}

static int never; /* threads wait for it to change: it never does */

static void *blocked(void *arg)
{
	(void)arg;
	for (;;)
		syscall(SYS_futex, &never, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0);
	return NULL;
}

static void threads(void)
{
	pthread_attr_t at;
	pthread_attr_init(&at);
	pthread_attr_setstacksize(&at, 64 * 1024);
	for (int n = 0; n < 100000; n++) {
		pthread_t t;
		int e = pthread_create(&t, &at, blocked, NULL);
		if (e) {
			printf("pthread_create: %s after %d threads\n", ename(e), n);
			exit(0);
		}
	}
	exit(1);
}

static void maps(void)
{
	char *three = mmap(NULL, 3 * 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (three == MAP_FAILED)
		exit(3);
	for (int n = 0; n < 1000000; n++) {
		/* Alternate protections so that no kernel merges neighbours. */
		void *p = mmap(NULL, 4096, n % 2 ? PROT_READ : PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p != MAP_FAILED)
			continue;
		printf("mmap: %s\n", ename(errno));
		/* At the limit a split needs one more mapping: refused, and nothing changes. */
		int r = mprotect(three + 4096, 4096, PROT_NONE);
		printf("mprotect of a middle page: %s\n", r ? ename(errno) : "OK");
		r = munmap(three + 4096, 4096);
		printf("munmap of a middle page: %s\n", r ? ename(errno) : "OK");
		r = mprotect(three, 3 * 4096, PROT_READ | PROT_WRITE);
		printf("mprotect of all three: %s\n", r ? ename(errno) : "OK");
		three[0] = three[4096] = three[2 * 4096] = 1;
		/* Unmapping it whole frees one slot: a new mapping fits, once. */
		r = munmap(three, 3 * 4096);
		printf("munmap of all three: %s\n", r ? ename(errno) : "OK");
		p = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		printf("mmap after it: %s\n", p == MAP_FAILED ? ename(errno) : "OK");
		p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		printf("and another: %s\n", p == MAP_FAILED ? ename(errno) : "OK");
		exit(0);
	}
	exit(1);
}

static void *volatile sink;

static void memory(void)
{
	for (int n = 0; n < 1000000; n++) {
		char *p = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
			       -1, 0);
		if (p == MAP_FAILED) {
			printf("mmap: %s\n", ename(errno));
			/* malloc may still find room in the heap (brk), and brk below the mappings:
			 * both run out too. */
			int k = 0;
			while (k < 100000 && (sink = malloc(1 << 20)) != NULL)
				k++; /* through a volatile: clang may not drop the allocation */
			printf("malloc: %s\n", k < 100000 ? "NULL" : "never fails");
			for (k = 0; k < 100000 && sbrk(1 << 20) != (void *)-1; k++)
				;
			printf("sbrk: %s\n", k < 100000 ? ename(errno) : "never fails");
			exit(0);
		}
		for (int i = 0; i < 1 << 20; i += 4096)
			p[i] = 1;
	}
	exit(1);
}

static void output(void)
{
	static char block[4096];
	memset(block, 'o', sizeof(block));
	for (;;)
		if (write(1, block, sizeof(block)) < 0)
			exit(errno);
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return 64;
	const char *m = argv[1];
	uintptr_t a = argc > 2 ? (uintptr_t)strtoull(argv[2], NULL, 16) : 0;
	printf("adversarial: %s %s\n", m, argc > 2 ? argv[2] : "");
	fflush(stdout);
	if (!strcmp(m, "poke")) {
		*(volatile uint64_t *)a = 0x4141414141414141ull;
	} else if (!strcmp(m, "peek")) {
		printf("%llx\n", (unsigned long long)*(volatile uint64_t *)a);
	} else if (!strcmp(m, "jump")) {
		((void (*)(void))a)();
	} else if (!strcmp(m, "syscalls")) {
		wild_syscalls();
		return 0;
	} else if (!strcmp(m, "fds")) {
		for (int i = 0; i < 100000; i++)
			if (dup(1) < 0) {
				printf("dup: %s\n", ename(errno));
				return 0;
			}
		return 1;
	} else if (!strcmp(m, "store") || !strcmp(m, "load")) {
		access_sized(a, argc > 3 ? atoi(argv[3]) : 8, m[0] == 's');
	} else if (!strcmp(m, "execdata")) {
		execdata();
	} else if (!strcmp(m, "threads")) {
		threads();
	} else if (!strcmp(m, "maps")) {
		maps();
	} else if (!strcmp(m, "memory")) {
		memory();
	} else if (!strcmp(m, "output")) {
		output();
	} else if (!strcmp(m, "spin")) {
		for (volatile int i = 0;; i++)
			;
	} else if (!strcmp(m, "spin-syscalls")) {
		for (;;)
			getppid();
	} else if (!strcmp(m, "block-read")) {
		int fds[2];
		char c;
		if (pipe(fds) == 0)
			read(fds[0], &c, 1); /* the write end stays open: no end of file */
	} else if (!strcmp(m, "block-wait")) {
		sigset_t set;
		sigemptyset(&set);
		sigaddset(&set, SIGUSR1);
		sigprocmask(SIG_BLOCK, &set, NULL);
		sigwaitinfo(&set, NULL);
	} else if (!strcmp(m, "sigreturn")) {
		__asm__ volatile("mov sp, %0\n\tmov x8, %1\n\tsvc #0" ::"r"(0x10ull),
				 "r"((unsigned long)SYS_rt_sigreturn)
				 : "memory");
	} else {
		return 64;
	}
	printf("survived\n");
	return 2;
}
