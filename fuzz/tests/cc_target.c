// SPDX-License-Identifier: Apache-2.0
/* cc_target.c: an out-of-tree C libFuzzer target that fuzz/tests/cc.sh builds with warmfork-cc. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A checksum over a heap copy: some libc and branches for the counters. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *copy = malloc(size + 1);
	unsigned sum = 0;
	if (!copy)
		return 0;
	memcpy(copy, data, size);
	for (size_t i = 0; i < size; i++) {
		if (copy[i] & 1)
			sum += copy[i];
		else if (copy[i] > 'a')
			sum ^= copy[i];
		else
			sum <<= 1;
	}
	free(copy);
	return sum == 0xdeadbeef ? -1 : 0;
}
