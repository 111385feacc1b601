// SPDX-License-Identifier: Apache-2.0
/* bench_guest.c: guest for `warmfork bench`'s VM creation figure: say hello and exit. */
#include <stdio.h>

int main(void)
{
	puts("hello");
	return 0;
}
