/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

#include "fbh_check.h"

int fbh_failures;
static int fbh_tests_failed;

int
fbh_run_test(const char *name, void (*fn)(void))
{
	int before = fbh_failures;

	fn();
	if (fbh_failures != before) {
		fprintf(stderr, "FAIL %s (%d checks)\n", name, fbh_failures - before);
		fbh_tests_failed++;
		return fbh_failures - before;
	}
	printf("ok   %s\n", name);
	return 0;
}

int
fbh_exit_code(void)
{
	return fbh_tests_failed != 0 || fbh_failures != 0 ? 1 : 0;
}
