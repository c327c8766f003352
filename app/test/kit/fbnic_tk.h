/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

#ifndef _FBNIC_TK_H_
#define _FBNIC_TK_H_

/*
 * The test kit's assertions, for every test program of the project
 * (app/test, model/tests, vfio-user/tests). No DPDK types: model tests
 * use it as well as ethdev tests.
 *
 * One family, two strengths, both printing file:line, the function, the
 * expression and, for the _EQUAL forms, both values:
 * - TEST_ASSERT*: the check must hold for the rest of the test to make
 *   sense; a failure returns TEST_FAILED from the calling function (which
 *   returns int), as DPDK's app/test macros of the same names do.
 * - TEST_CHECK*: one of many independent observations; a failure is
 *   counted and the test goes on, so that one run reports every mismatch.
 * Every failure of either kind is counted in tk_failures; tk_run() reports
 * a test function as failed if it returned non-zero or counted a failure.
 */

#include <stdint.h>
#include <stdio.h>
#include <time.h>

#define TEST_SUCCESS	0
#define TEST_FAILED	(-1)
#define TEST_SKIPPED	77

extern unsigned int tk_checks;
extern unsigned int tk_failures;

/* Print one failure: "file:line: func(): what[: message]". */
void tk_fail(const char *file, int line, const char *func, const char *what,
	     const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* The same, with the two values of an _EQUAL check. */
void tk_fail_eq(const char *file, int line, const char *func, const char *a,
		const char *b, unsigned long long va, unsigned long long vb,
		const char *fmt, ...) __attribute__((format(printf, 8, 9)));

/*
 * The optional message: a printf format and its arguments. The leading
 * blank keeps an empty message from being a zero-length format.
 */
#define TK_MSG_(...)	" " __VA_ARGS__

/*
 * One check; on failure print it and run on_fail: return TEST_FAILED for
 * the fatal forms, (void)0 for the others (which may then be used in
 * functions of any return type). The public macros stringify the
 * expression (text), so that it prints as written, before expansion.
 */
#define TK_TEST_(on_fail, cond, text, ...) do { \
	tk_checks++; \
	if (!(cond)) { \
		tk_fail(__FILE__, __LINE__, __func__, text, TK_MSG_(__VA_ARGS__)); \
		on_fail; \
	} \
} while (0)

#define TK_TEST_EQ_(on_fail, a, b, text_a, text_b, ...) do { \
	unsigned long long tk_a_ = (unsigned long long)(a); \
	unsigned long long tk_b_ = (unsigned long long)(b); \
	tk_checks++; \
	if (tk_a_ != tk_b_) { \
		tk_fail_eq(__FILE__, __LINE__, __func__, text_a, text_b, tk_a_, tk_b_, \
			   TK_MSG_(__VA_ARGS__)); \
		on_fail; \
	} \
} while (0)

/* Fatal: return TEST_FAILED from the calling function. */
#define TEST_ASSERT(cond, ...) \
	TK_TEST_(return TEST_FAILED, cond, #cond, __VA_ARGS__)
#define TEST_ASSERT_EQUAL(a, b, ...) \
	TK_TEST_EQ_(return TEST_FAILED, a, b, #a, #b, __VA_ARGS__)
#define TEST_ASSERT_NOT_EQUAL(a, b, ...) \
	TK_TEST_(return TEST_FAILED, (a) != (b), #a " != " #b, __VA_ARGS__)
#define TEST_ASSERT_SUCCESS(val, ...) \
	TK_TEST_EQ_(return TEST_FAILED, val, 0, #val, "0", __VA_ARGS__)
#define TEST_ASSERT_NULL(p, ...) \
	TK_TEST_(return TEST_FAILED, (p) == NULL, #p " == NULL", __VA_ARGS__)
#define TEST_ASSERT_NOT_NULL(p, ...) \
	TK_TEST_(return TEST_FAILED, (p) != NULL, #p " != NULL", __VA_ARGS__)

/* Non-fatal: count the failure and go on; usable in any function. */
#define TEST_CHECK(cond, ...)		TK_TEST_((void)0, cond, #cond, __VA_ARGS__)
#define TEST_CHECK_EQUAL(a, b, ...)	TK_TEST_EQ_((void)0, a, b, #a, #b, __VA_ARGS__)

/*
 * Run one test function: "ok   name" or "FAIL name (N checks failed)".
 * fn returns TEST_SUCCESS, TEST_FAILED or TEST_SKIPPED. Returns non-zero
 * if the test failed.
 */
int tk_run(const char *name, int (*fn)(void));
#define TK_RUN(fn)	tk_run(#fn, fn)

/*
 * The exit code of a test program (0 passed, 1 failed) after printing
 * "name: N checks, N failures".
 */
int tk_report(const char *name);

/* The number of elements of an array. */
#define TK_DIM(a)	(sizeof(a) / sizeof((a)[0]))

/* Monotonic time in milliseconds, to bound waits. */
static inline uint64_t
tk_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

#endif /* _FBNIC_TK_H_ */
