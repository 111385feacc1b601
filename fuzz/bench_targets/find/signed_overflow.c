// SPDX-License-Identifier: Apache-2.0
/* signed_overflow.c: a planted signed integer overflow, only UBSan sees it (fuzz/bench --find). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int32_t a;
	volatile int32_t sum;
	if (size < sizeof(a) || data[0] != 'S')
		return 0;
	memcpy(&a, data, sizeof(a));
	a = a >> 8 | (int32_t)data[0] << 24; /* the top byte is 'S': a is large */
	sum = a + (int32_t)(size << 24);     /* overflows for a long enough input */
	(void)sum;
	return 0;
}
