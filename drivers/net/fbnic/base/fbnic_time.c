/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

#include <errno.h>

#include "fbnic_osdep.h"
#include "fbnic_time.h"

/* A high word that changes between two reads is read again, a few times at most. */
#define FBNIC_TIME_READ_TRIES	8

__extension__ typedef unsigned __int128 fbnic_u128;

static void
fbnic_time_write_incr(struct fbnic_hw *hw, uint64_t incr)
{
	fbnic_wr32(hw, FBNIC_PTP_ADD_VAL_NS,
		   (uint32_t)FBNIC_FIELD_PREP(FBNIC_PTP_ADD_VAL_NS_MASK, incr >> 32));
	fbnic_wr32(hw, FBNIC_PTP_ADD_VAL_SUBNS, (uint32_t)incr);
}

void
fbnic_time_reset(struct fbnic_hw *hw, struct fbnic_time *t)
{
	uint32_t tick = (uint32_t)FBNIC_FIELD_PREP(FBNIC_PTP_CTRL_TICK_IVAL, 1);

	/* Counting, then loaded with 0 at the nominal rate, then the outputs on. */
	fbnic_wr32(hw, FBNIC_PTP_CTRL, FBNIC_PTP_CTRL_EN | tick);
	fbnic_time_write_incr(hw, FBNIC_TIME_NOMINAL_INCR);
	fbnic_wr32(hw, FBNIC_PTP_INIT_HI, 0);
	fbnic_wr32(hw, FBNIC_PTP_INIT_LO, 0);
	fbnic_wr32(hw, FBNIC_PTP_ADJUST, FBNIC_PTP_ADJUST_INIT);
	fbnic_wr32(hw, FBNIC_PTP_CTRL, FBNIC_PTP_CTRL_EN | FBNIC_PTP_CTRL_TQS_OUT_EN |
		   (uint32_t)FBNIC_FIELD_PREP(FBNIC_PTP_CTRL_MAC_OUT_IVAL, 3) | tick);
	(void)fbnic_rd32(hw, FBNIC_PTP_SPARE);

	__atomic_store_n(&t->offset, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&t->high, 0, __ATOMIC_RELAXED);
	t->refresh_ms = 0;
	t->scaled_ppm = 0;
}

uint64_t
fbnic_time_counter(struct fbnic_hw *hw)
{
	uint32_t hi, lo, again = fbnic_rd32(hw, FBNIC_PTP_CTR_VAL_HI);
	unsigned int i;

	/* The low word may wrap between the reads: take it under an unchanged high word. */
	for (i = 0; i < FBNIC_TIME_READ_TRIES; i++) {
		hi = again;
		lo = fbnic_rd32(hw, FBNIC_PTP_CTR_VAL_LO);
		again = fbnic_rd32(hw, FBNIC_PTP_CTR_VAL_HI);
		if (again == hi)
			break;
	}
	/* Still moving after that: the low word just wrapped, the new high word goes with 0. */
	if (again != hi)
		return (uint64_t)again << 32;
	return (uint64_t)hi << 32 | lo;
}

uint64_t
fbnic_time_get(struct fbnic_hw *hw, struct fbnic_time *t)
{
	return fbnic_time_counter(hw) + (uint64_t)__atomic_load_n(&t->offset, __ATOMIC_RELAXED);
}

void
fbnic_time_set(struct fbnic_hw *hw, struct fbnic_time *t, uint64_t ns)
{
	__atomic_store_n(&t->offset, (int64_t)(ns - fbnic_time_counter(hw)), __ATOMIC_RELAXED);
}

void
fbnic_time_step(struct fbnic_time *t, int64_t delta)
{
	int64_t offset = __atomic_load_n(&t->offset, __ATOMIC_RELAXED);

	__atomic_store_n(&t->offset, (int64_t)((uint64_t)offset + (uint64_t)delta),
			 __ATOMIC_RELAXED);
}

uint64_t
fbnic_time_incr(int64_t scaled_ppm)
{
	uint64_t mag = scaled_ppm < 0 ? (uint64_t)-scaled_ppm : (uint64_t)scaled_ppm;
	/* incr * |scaled_ppm| / (10^6 * 2^16), exact in 128 bits */
	uint64_t diff = (uint64_t)(((fbnic_u128)FBNIC_TIME_NOMINAL_INCR * mag) /
				   ((fbnic_u128)1000000 << 16));

	return scaled_ppm < 0 ? FBNIC_TIME_NOMINAL_INCR - diff : FBNIC_TIME_NOMINAL_INCR + diff;
}

int
fbnic_time_adjust_freq(struct fbnic_hw *hw, struct fbnic_time *t, int64_t scaled_ppm)
{
	if (scaled_ppm > FBNIC_TIME_MAX_SCALED_PPM || scaled_ppm < -FBNIC_TIME_MAX_SCALED_PPM)
		return -ERANGE;
	fbnic_time_write_incr(hw, fbnic_time_incr(scaled_ppm));
	fbnic_wr32(hw, FBNIC_PTP_ADJUST, FBNIC_PTP_ADJUST_ADDEND_SET);
	/* The read keeps ADD_VAL unchanged for the 4 cycles ADDEND_SET takes (Linux). */
	(void)fbnic_rd32(hw, FBNIC_PTP_SPARE);
	if (hw->removed)
		return -ENODEV;
	t->scaled_ppm = scaled_ppm;
	return 0;
}

void
fbnic_time_refresh(struct fbnic_hw *hw, struct fbnic_time *t, uint64_t now_ms)
{
	uint32_t hi = fbnic_rd32(hw, FBNIC_PTP_CTR_VAL_HI);

	if (hw->removed)
		return;
	if (t->refresh_ms != 0 && now_ms - t->refresh_ms > FBNIC_TIME_REFRESH_MAX_MS * 3 / 2)
		FBNIC_BASE_LOG(WARNING,
			       "port %u: PTP high word refreshed after %" PRIu64
			       " ms: timestamps of that time may be off by 2^40 ns",
			       hw->port_id, now_ms - t->refresh_ms);
	/* Kept behind the counter, so that a fresh stamp is never older than the cache. */
	__atomic_store_n(&t->high, hi - FBNIC_TIME_HIGH_LAG, __ATOMIC_RELAXED);
	t->refresh_ms = now_ms;
}
