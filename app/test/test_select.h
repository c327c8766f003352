/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

#ifndef _TEST_SELECT_H_
#define _TEST_SELECT_H_

/*
 * Programs that run one of their test functions per process, chosen by
 * name on the command line: the meson test of the same name runs it (the
 * naming rule of app/test/meson.build), so that git grep of a test's name
 * finds its function, its meson test and the run that selects it.
 */

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "fbnic_tk.h"

struct test_case {
	const char *name;
	int (*fn)(void);
};

/* A test function, under its own name. */
#define TEST_CASE(fn)	{ #fn, fn }

/* The case named name, or NULL after listing the names there are. */
static inline const struct test_case *
test_case_find(const struct test_case *cases, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (name != NULL && strcmp(cases[i].name, name) == 0)
			return &cases[i];
	printf("unknown test '%s'; the tests are:\n", name != NULL ? name : "");
	for (i = 0; i < n; i++)
		printf("  %s\n", cases[i].name);
	return NULL;
}

#endif /* _TEST_SELECT_H_ */
