// SPDX-License-Identifier: Apache-2.0
/* switch32.c: a planted bug in one case of a switch on a 32-bit value (fuzz/bench --find). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint32_t v;
	volatile int sink = 0;
	if (size < sizeof(v))
		return 0;
	memcpy(&v, data, sizeof(v));
	switch (v) {
	case 0x1badb002: sink = 1; break;
	case 0x2badc0de: sink = 2; break;
	case 0x3cafef00: sink = 3; break;
	case 0x4deadbea: abort();
	case 0x5ca1ab1e: sink = 5; break;
	default: break;
	}
	return sink;
}
