// SPDX-License-Identifier: Apache-2.0
/* bench_guest.c: guest for `warmfork bench`: say hello, or make N getpid syscalls and exit. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc < 2) {
		puts("hello");
		return 0;
	}
	long n = atol(argv[1]);
	for (long i = 0; i < n; i++)
		syscall(SYS_getpid);
	return 0;
}
