// SPDX-License-Identifier: Apache-2.0
/* vm_test_guest.c: guest for vm_test: one behaviour per argv[1] (exits, faults, spins, WFx). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static volatile uint64_t sink;

int main(int argc, char **argv)
{
	const char *m = argc > 1 ? argv[1] : "exit";
	uint64_t arg = argc > 2 ? strtoull(argv[2], NULL, 0) : 0;
	if (!strcmp(m, "exit"))
		return (int)arg;
	if (!strcmp(m, "print")) {
		printf("out %s\n", argc > 2 ? argv[2] : "");
		fprintf(stderr, "err\n");
		return 0;
	}
	if (!strcmp(m, "read"))
		sink = *(volatile uint64_t *)(uintptr_t)arg;
	if (!strcmp(m, "write"))
		*(volatile uint64_t *)(uintptr_t)arg = 1;
	if (!strcmp(m, "ro-write")) {
		char *p = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		printf("%p\n", (void *)p);
		fflush(stdout);
		*(volatile char *)p = 1;
	}
	if (!strcmp(m, "exec-data")) {
		static uint32_t code[4] = {0xd503201f}; /* a nop, in a non-executable page */
		((void (*)(void))(uintptr_t)code)();
	}
	if (!strcmp(m, "udf"))
		__asm__ volatile(".inst 0x00000000");
	if (!strcmp(m, "brk"))
		__asm__ volatile("brk #0x7");
	if (!strcmp(m, "mrs"))
		__asm__ volatile("mrs x0, sctlr_el1" ::: "x0");
	if (!strcmp(m, "wfi")) {
		__asm__ volatile("wfi; wfe");
		return 42;
	}
	if (!strcmp(m, "misaligned-sp"))
		__asm__ volatile("mov x0, sp; sub x0, x0, #4; mov sp, x0; ldr x1, [sp]" ::: "x0", "x1");
	if (!strcmp(m, "misaligned-pc"))
		((void (*)(void))(uintptr_t)((uintptr_t)main + 2))();
	if (!strcmp(m, "spin"))
		for (;;)
			sink++;
	if (!strcmp(m, "spin-syscall"))
		for (;;)
			sink += (uint64_t)getpid();
	if (!strcmp(m, "abort"))
		abort();
	if (!strcmp(m, "sleep"))
		usleep((useconds_t)arg);
	if (!strcmp(m, "tpidr")) {
		uint64_t t;
		__asm__ volatile("mrs %0, tpidr_el0" : "=r"(t));
		printf("%d\n", t != 0);
	}
	return 3;
}
