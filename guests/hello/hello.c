// SPDX-License-Identifier: Apache-2.0
/* hello.c: the smallest guest: print a line and exit with a chosen status. */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
	printf("hello from %s\n", argc > 0 ? argv[0] : "?");
	return argc > 1 ? atoi(argv[1]) : 0;
}
