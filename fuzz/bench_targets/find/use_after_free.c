// SPDX-License-Identifier: Apache-2.0
/* use_after_free.c: a planted read of a freed buffer, only ASan sees it (fuzz/bench --find). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 2 || data[0] != 'U')
		return 0;
	char *p = malloc(32);
	if (!p)
		return 0;
	memset(p, 'y', 32);
	if (data[1] & 1)
		free(p);
	volatile char c = p[size % 32]; /* freed when data[1] is odd */
	(void)c;
	if (!(data[1] & 1))
		free(p);
	return 0;
}
