// SPDX-License-Identifier: Apache-2.0
/* loop.c: a loop run as many times as the first input byte says, to compare hit counts (afl_guest vs native). */
#include <stdint.h>
#include <stddef.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
extern volatile unsigned wf_loop_sink;
volatile unsigned wf_loop_sink;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	for (unsigned i = 0; i < data[0]; i++)
		wf_loop_sink += i;
	return 0;
}
