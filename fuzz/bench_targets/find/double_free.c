// SPDX-License-Identifier: Apache-2.0
/* double_free.c: a planted double free (fuzz/bench --find). */
#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
extern char *volatile wf_df_keep;
char *volatile wf_df_keep; /* the pointer escapes: the compiler cannot drop the allocation */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 2 || data[0] != 'D')
		return 0;
	wf_df_keep = malloc(48);
	free(wf_df_keep);
	if (data[1] & 1)
		free(wf_df_keep);
	return 0;
}
