/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

#ifndef _FBH_CHECK_H_
#define _FBH_CHECK_H_

/*
 * Checks and test reporting shared by every model test, with or without
 * the device harness (fbm_harness.h): a failed check prints where and what,
 * counts, and the test goes on.
 */

#include <stdio.h>

extern int fbh_failures;

#define FBH_CHECK(cond) do { \
	if (!(cond)) { \
		fprintf(stderr, "%s:%d: %s: check failed: %s\n", \
			__FILE__, __LINE__, __func__, #cond); \
		fbh_failures++; \
	} \
} while (0)

#define FBH_CHECK_EQ(a, b) do { \
	unsigned long long va_ = (unsigned long long)(a); \
	unsigned long long vb_ = (unsigned long long)(b); \
	if (va_ != vb_) { \
		fprintf(stderr, "%s:%d: %s: %s = 0x%llx (%llu), expected %s = 0x%llx\n", \
			__FILE__, __LINE__, __func__, #a, va_, va_, #b, vb_); \
		fbh_failures++; \
	} \
} while (0)

/* Run one test function and report it; returns its failures. */
int fbh_run_test(const char *name, void (*fn)(void));
#define FBH_RUN(fn)	fbh_run_test(#fn, fn)
/* Exit code of main(): 0 all passed, 1 failures. */
int fbh_exit_code(void);

#endif /* _FBH_CHECK_H_ */
