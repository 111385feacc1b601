// SPDX-License-Identifier: Apache-2.0
/* magic16.c: a planted bug behind a 16-bit magic (fuzz/bench --find). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint16_t v;
	if (size < sizeof(v))
		return 0;
	memcpy(&v, data, sizeof(v));
	if (v == 0xc0de)
		abort();
	return 0;
}
