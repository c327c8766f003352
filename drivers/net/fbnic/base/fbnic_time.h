/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

#ifndef _FBNIC_TIME_H_
#define _FBNIC_TIME_H_

/*
 * The PTP block (fbnic_hw.rst 10): a free-running 64-bit nanosecond
 * counter that adds PTP_ADD_VAL (Q16.32 ns) every cycle of the 600 MHz
 * clock. As with Linux, the counter is never written once reset: setting
 * or stepping the time moves a software offset, and a frequency change
 * writes a new increment. Descriptors carry bits 39:0 of the counter; the
 * upper bits come from a copy of PTP_CTR_VAL_HI refreshed well within the
 * 2^40 ns (18 minutes) the low bits take to wrap.
 */

#include <stdint.h>

#include "fbnic_hw.h"

/* The increment at nominal rate: 10^9 / 600 MHz in Q16.32 ns (0x1_AAAAAAAA). */
#define FBNIC_TIME_NOMINAL_INCR	((UINT64_C(1000000000) << 32) / FBNIC_CLOCK_FREQ)
/* Largest frequency change, in ppb: the increment stays above 0 (Linux's max_adj). */
#define FBNIC_TIME_MAX_ADJ_PPB	INT64_C(999999999)
/* Largest scaled_ppm (ppm with 16 fractional bits) within FBNIC_TIME_MAX_ADJ_PPB. */
#define FBNIC_TIME_MAX_SCALED_PPM \
	((FBNIC_TIME_MAX_ADJ_PPB << 16) / 1000)
/*
 * How often the cached high word must be refreshed at the least: 2^40 / 16
 * ns (68.7 s), Linux's period. The driver refreshes it far more often.
 */
#define FBNIC_TIME_REFRESH_MAX_MS	((UINT64_C(1) << 40) / 16 / 1000000)
/* The cache is kept this much below the counter's high word (in 2^32 ns). */
#define FBNIC_TIME_HIGH_LAG		16u

/*
 * Software side of the clock. The data paths read offset and high while
 * the control path writes them: every access is one aligned atomic load
 * or store.
 */
struct fbnic_time {
	int64_t offset;		/* ns added to the counter (settime, adjtime) */
	uint32_t high;		/* PTP_CTR_VAL_HI - FBNIC_TIME_HIGH_LAG at the last refresh */
	uint64_t refresh_ms;	/* monotonic time of that refresh */
	int64_t scaled_ppm;	/* frequency change in force */
};

/* Linux's reset sequence (fbnic_hw.rst 10 "Reset"); the software side is cleared. */
void fbnic_time_reset(struct fbnic_hw *hw, struct fbnic_time *t);

/* The raw 64-bit counter, high word read twice (fbnic_hw.rst 10 "Reading the clock"). */
uint64_t fbnic_time_counter(struct fbnic_hw *hw);

/* Counter + offset: the PTP time in ns. */
uint64_t fbnic_time_get(struct fbnic_hw *hw, struct fbnic_time *t);

/* Make the PTP time read ns now (the counter is left alone). */
void fbnic_time_set(struct fbnic_hw *hw, struct fbnic_time *t, uint64_t ns);

/* Step the PTP time by delta ns. */
void fbnic_time_step(struct fbnic_time *t, int64_t delta);

/*
 * Run the counter faster (scaled_ppm > 0) or slower by scaled_ppm / 2^16
 * parts per million of the nominal rate. 0, -ERANGE beyond
 * FBNIC_TIME_MAX_SCALED_PPM (nothing written), or -ENODEV when the device
 * is gone.
 */
int fbnic_time_adjust_freq(struct fbnic_hw *hw, struct fbnic_time *t, int64_t scaled_ppm);

/* The increment for a frequency change, as fbnic_time_adjust_freq() writes it. */
uint64_t fbnic_time_incr(int64_t scaled_ppm);

/* Refresh the cached high word (now_ms: monotonic time, for the staleness check). */
void fbnic_time_refresh(struct fbnic_hw *hw, struct fbnic_time *t, uint64_t now_ms);

/*
 * The PTP time of a 40-bit descriptor timestamp: bits 63:40 from the
 * cached high word, one wrap of the low bits more when the stamp's bits
 * 39:32 are far below the cache's (the cache lags the counter, never
 * leads it), plus the offset.
 */
static inline uint64_t
fbnic_time_ts40_to_ns(const struct fbnic_time *t, uint64_t ts40)
{
	uint32_t high = __atomic_load_n(&t->high, __ATOMIC_RELAXED);
	int64_t offset = __atomic_load_n(&t->offset, __ATOMIC_RELAXED);
	uint64_t ns = ((uint64_t)(high >> 8) << 40) | ts40;
	uint8_t top = (uint8_t)(ts40 >> 32), cached = (uint8_t)high;

	if (top < cached && cached - top > UINT8_MAX / 2)
		ns += UINT64_C(1) << 40;
	return ns + (uint64_t)offset;
}

#endif /* _FBNIC_TIME_H_ */
