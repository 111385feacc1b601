// SPDX-License-Identifier: Apache-2.0
/* heap_overflow.c: a planted read a few bytes past a heap buffer, only ASan sees it (fuzz/bench --find). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 3 || data[0] != 'H')
		return 0;
	size_t n = data[1] % 64 + 1;
	char *p = malloc(n);
	if (!p)
		return 0;
	memset(p, 'x', n);
	volatile char c = p[n - 1 + data[2] % 4]; /* past the end when data[2] % 4 > 0 */
	(void)c;
	free(p);
	return 0;
}
