/* adversarial.c: a hostile guest: writes, jumps and syscalls aimed at what a VMM keeps for itself. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

/*
 *   adversarial poke ADDR     store to ADDR (hex)        natively and in warmfork: SIGSEGV
 *   adversarial peek ADDR     load from ADDR
 *   adversarial jump ADDR     branch to ADDR
 *   adversarial syscalls      wild, wrapping and huge pointers and lengths: errno names
 *   adversarial fds           dup() until it fails: the errno name
 *   adversarial sigreturn     rt_sigreturn on a garbage stack
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
