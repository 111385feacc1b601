// SPDX-License-Identifier: Apache-2.0
/* hostile_cmp.c: a target that corrupts its own comparison log, to show the host survives it (fuzz_cmp test). */
#include <stdint.h>
#include <stddef.h>
#include <string.h>

#include "fuzz_abi.h"

extern struct warmfork_cmp_log warmfork_cmp;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* Records from the input itself, and a length past the end of the log. */
	size_t n = size < sizeof(warmfork_cmp.data) ? size : sizeof(warmfork_cmp.data);
	memcpy(warmfork_cmp.data, data, n);
	warmfork_cmp.used = size > 0 && data[0] & 1 ? 0xffffffffu : (uint32_t)n;
	if (size >= 32) {
		/* A switch record whose case table points anywhere, with a huge count. */
		struct warmfork_cmp_rec r = {.kind = WARMFORK_CMP_SWITCH, .size = 8};
		memcpy(&r.b, data + 8, sizeof(r.b));
		memcpy(warmfork_cmp.data, &r, sizeof(r));
	}
	return 0;
}
