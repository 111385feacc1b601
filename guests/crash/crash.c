// SPDX-License-Identifier: Apache-2.0
/* crash.c: die in a chosen way, so a sandbox's fault handling can be compared with Linux's.
 *
 *   crash null     write through a NULL pointer        -> SIGSEGV (shell status 139)
 *   crash wild     write to 0xdead0000000 (unmapped)   -> SIGSEGV (139)
 *   crash read     read from 0xdead0000000             -> SIGSEGV (139)
 *   crash exec     jump to 0xdead0000000               -> SIGSEGV (139)
 *   crash rodata   write to a const array in .rodata   -> SIGSEGV (139)
 *   crash abort    abort()                             -> SIGABRT (134)
 *   crash trap     __builtin_trap() (brk on arm64)     -> SIGTRAP (133)
 *   crash exit N   exit(N)                             -> N
 *   crash _exit N  _exit(N) without flushing stdio     -> N (and the buffered line is lost)
 *
 * Before dying it writes "crash: MODE" to stdout and flushes, so the captured output shows how
 * far it got.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void say(const char *mode)
{
	printf("crash: %s\n", mode);
	fflush(stdout);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: crash null|wild|read|exec|rodata|abort|trap|exit N|_exit N\n");
		return 64;
	}
	const char *m = argv[1];
	if (strcmp(m, "null") == 0) {
		say(m);
		*(volatile int *)(uintptr_t)0 = 1;
	} else if (strcmp(m, "wild") == 0) {
		say(m);
		*(volatile int *)(uintptr_t)0xdead0000000ULL = 1;
	} else if (strcmp(m, "read") == 0) {
		say(m);
		printf("read %d\n", *(volatile int *)(uintptr_t)0xdead0000000ULL);
	} else if (strcmp(m, "exec") == 0) {
		say(m);
		void (*volatile f)(void) = (void (*)(void))(uintptr_t)0xdead0000000ULL;
		f();
	} else if (strcmp(m, "rodata") == 0) {
		say(m);
		static const char ro[] = "read-only data";
		volatile char *volatile p = (volatile char *)ro;
		p[0] = 'A';
	} else if (strcmp(m, "abort") == 0) {
		say(m);
		abort();
	} else if (strcmp(m, "trap") == 0) {
		say(m);
		__builtin_trap();
	} else if (strcmp(m, "exit") == 0 && argc > 2) {
		say(m);
		printf("unflushed line, flushed by exit\n");
		exit(atoi(argv[2]));
	} else if (strcmp(m, "_exit") == 0 && argc > 2) {
		say(m);
		printf("unflushed line, lost by _exit\n");
		_exit(atoi(argv[2]));
	} else {
		fprintf(stderr, "crash: unknown mode %s\n", m);
		return 64;
	}
	printf("crash: still alive after %s\n", m);
	return 0;
}
