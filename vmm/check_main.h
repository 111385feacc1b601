// SPDX-License-Identifier: Apache-2.0
/* check_main.h: the one way a warmfork Check test program runs its suite and reports. */
#ifndef WARMFORK_CHECK_MAIN_H
#define WARMFORK_CHECK_MAIN_H

#include <check.h>

/* Run every test of `s` (forking per test, Check's default) and return the exit status. */
static inline int wf_check_run(Suite *s)
{
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}

#endif
