// SPDX-License-Identifier: Apache-2.0
/* symtest_guest.c: aarch64 guest with marker functions at known lines, for symbolize_test. */
#include <stdio.h>

/*
 * symbolize_test finds each function's line range by searching this file for the
 * "MARK:<name>:begin" and "MARK:<name>:end" comments, so keep them on the lines that
 * open and close the function.
 */

volatile int wf_symtest_sink;

int wf_symtest_alpha(int x) /* MARK:wf_symtest_alpha:begin */
{
	int acc = 0;
	for (int i = 0; i < x; i++)
		acc += i * 3;
	wf_symtest_sink = acc;
	return acc;
} /* MARK:wf_symtest_alpha:end */

int wf_symtest_beta(int x, int y) /* MARK:wf_symtest_beta:begin */
{
	int r = wf_symtest_alpha(x) + y;
	if (r > 100)
		r -= 7;
	wf_symtest_sink = r;
	return r;
} /* MARK:wf_symtest_beta:end */

int main(int argc, char **argv) /* MARK:main:begin */
{
	(void)argv;
	int r = wf_symtest_beta(argc, 5);
	printf("%d\n", r);
	return 0;
} /* MARK:main:end */
