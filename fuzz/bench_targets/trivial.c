// SPDX-License-Identifier: Apache-2.0
/* trivial.c: the cheapest possible libFuzzer target (fuzz/bench: per-input overhead). */
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	(void)data;
	(void)size;
	return 0;
}
