/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

#ifndef FBNIC_TEST_H
#define FBNIC_TEST_H

/* Helpers shared by the C test programs of app/test. */

#include <stdint.h>
#include <stdio.h>
#include <time.h>

/*
 * Count a failed check in the including program's `failures` counter and
 * print where it failed and why (printf-style message); the test goes on.
 */
#define CHECK(cond, ...) do { \
	if (!(cond)) { \
		failures++; \
		printf("FAIL %s:%d: ", __func__, __LINE__); \
		printf(__VA_ARGS__); \
		printf("\n"); \
	} \
} while (0)

/* Monotonic time in milliseconds, to bound waits. */
static inline uint64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

#endif /* FBNIC_TEST_H */
