/* double_free.c: a planted double free (fuzz/bench --find). */
#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 2 || data[0] != 'D')
		return 0;
	char *p = malloc(48);
	if (!p)
		return 0;
	free(p);
	if (data[1] & 1)
		free(p);
	return 0;
}
