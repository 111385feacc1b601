// SPDX-License-Identifier: Apache-2.0
/* smoke_target.c: a second libFuzzer target for fuzz_guest's tests: libc work, exit, hang, OOM. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *table; /* made by LLVMFuzzerInitialize, so in the warm master */

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	table = malloc(256);
	for (int i = 0; i < 256; i++)
		table[i] = (char)('a' + i % 26);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size >= 4 && !memcmp(data, "EXIT", 4))
		exit(3); /* fuzz_guest reports it as libFuzzer does: "fuzz target exited" */
	if (size >= 4 && !memcmp(data, "HANG", 4))
		for (;;)
			__asm__ volatile("" ::: "memory");
	if (size >= 4 && !memcmp(data, "OOM!", 4)) {
		/* Touch memory until the heap gives out, then die as a program would. */
		static char *volatile keep;
		while ((keep = malloc(1 << 20)) != NULL)
			memset(keep, 1, 1 << 20);
		abort();
	}
	if (size > 0 && data[0] == '#')
		return -1; /* rejected: not added to the corpus */
	/* Some libc and heap work per input, all undone by the reset. */
	char *s = malloc(size * 2 + 1);
	if (!s)
		return 0;
	for (size_t i = 0; i < size; i++) {
		s[2 * i] = table[data[i]];
		s[2 * i + 1] = (char)(data[i] % 2 ? 'x' : 'y');
	}
	s[2 * size] = 0;
	char buf[64];
	snprintf(buf, sizeof(buf), "%zu:%.40s", strlen(s), s);
	if (strstr(buf, "xx"))
		table[0] = buf[0];
	free(s);
	return 0;
}
