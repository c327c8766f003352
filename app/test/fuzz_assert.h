/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

#ifndef _FUZZ_ASSERT_H_
#define _FUZZ_ASSERT_H_

/*
 * The invariant of a fuzz target: reported as the test kit reports a
 * failed check (file:line, function, expression, message), then the
 * process aborts, since a fuzzer (libFuzzer, or the targets' own replay
 * and mutation loop) takes a crash for a finding. LLVMFuzzerTestOneInput()
 * cannot return a failure, so TEST_ASSERT is of no use there.
 */

#include <stdlib.h>

#include "fbnic_tk.h"

#define FUZZ_ASSERT(cond, ...) do { \
	if (!(cond)) { \
		tk_fail(__FILE__, __LINE__, __func__, #cond, TK_MSG_(__VA_ARGS__)); \
		abort(); \
	} \
} while (0)

#endif /* _FUZZ_ASSERT_H_ */
