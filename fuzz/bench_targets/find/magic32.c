// SPDX-License-Identifier: Apache-2.0
/* magic32.c: a planted bug behind a 32-bit magic (fuzz/bench --find). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint32_t v;
	if (size < sizeof(v))
		return 0;
	memcpy(&v, data, sizeof(v));
	if (v == 0x5eed1234u)
		abort();
	return 0;
}
