// SPDX-License-Identifier: Apache-2.0
/* bigimage.c: a dynamic guest with a 4 MiB image (bss), for the loader's "no room for the interpreter" check. */
#include <stdio.h>

extern char big[4 << 20];
char big[4 << 20]; /* external: the compiler cannot drop it */

int main(void)
{
	volatile char *last = &big[sizeof(big) - 1];
	*last = 'x';
	printf("big image %c\n", *last);
	return 0;
}
