// SPDX-License-Identifier: Apache-2.0
/* strcmp.c: a planted bug behind a strcmp key: the input as a string (fuzz/bench --find). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char buf[32];
	if (size >= sizeof(buf))
		return 0;
	memcpy(buf, data, size);
	buf[size] = 0;
	if (strcmp(buf, "fuzzing!") == 0)
		abort();
	return 0;
}
