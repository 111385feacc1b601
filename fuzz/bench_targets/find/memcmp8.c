// SPDX-License-Identifier: Apache-2.0
/* memcmp8.c: a planted bug behind an 8-byte memcmp key (fuzz/bench --find). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size >= 8 && memcmp(data, "WARMFORK", 8) == 0)
		abort();
	return 0;
}
