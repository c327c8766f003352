/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

#include <stdarg.h>
#include <string.h>

#include "fbnic_tk.h"

unsigned int tk_checks;
unsigned int tk_failures;
static unsigned int tk_tests_failed;

/* The optional message, after the blank that TK_MSG_ puts before it. */
static void
tk_print_msg(const char *fmt, va_list ap)
{
	if (fmt[0] == ' ' && fmt[1] == '\0')
		return;
	fputs(":", stdout);
	vprintf(fmt, ap);
}

void
tk_fail(const char *file, int line, const char *func, const char *what, const char *fmt, ...)
{
	va_list ap;

	tk_failures++;
	printf("FAIL %s:%d: %s(): %s", file, line, func, what);
	va_start(ap, fmt);
	tk_print_msg(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

/* A value in decimal (negative when its top bit is set: errno codes) and hex. */
static void
tk_print_value(unsigned long long v)
{
	if ((long long)v < 0)
		printf("%lld (0x%llx)", (long long)v, v);
	else
		printf("%llu (0x%llx)", v, v);
}

void
tk_fail_eq(const char *file, int line, const char *func, const char *a, const char *b,
	   unsigned long long va, unsigned long long vb, const char *fmt, ...)
{
	va_list ap;

	tk_failures++;
	printf("FAIL %s:%d: %s(): %s = ", file, line, func, a);
	tk_print_value(va);
	printf(", expected %s = ", b);
	tk_print_value(vb);
	va_start(ap, fmt);
	tk_print_msg(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

int
tk_run(const char *name, int (*fn)(void))
{
	unsigned int before = tk_failures;
	int ret = fn();

	if (ret == TEST_SKIPPED && tk_failures == before) {
		printf("skip %s\n", name);
		return 0;
	}
	if (ret != TEST_SUCCESS || tk_failures != before) {
		if (tk_failures == before)
			tk_failures++;	/* a failure without a failed check */
		printf("FAIL %s (%u checks failed)\n", name, tk_failures - before);
		tk_tests_failed++;
		fflush(stdout);
		return 1;
	}
	printf("ok   %s\n", name);
	fflush(stdout);
	return 0;
}

int
tk_report(const char *name)
{
	printf("%s: %u checks, %u failures, %u tests failed\n", name, tk_checks, tk_failures,
	       tk_tests_failed);
	fflush(stdout);
	return tk_failures != 0 || tk_tests_failed != 0 ? 1 : 0;
}
