/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

/*
 * base/fbnic_time.c against the model on virtual time, where every count
 * is exact: the reset sequence of fbnic_hw.rst 10, the nominal rate, the
 * rate after a frequency change, time set and stepped through the offset,
 * and 40-bit stamps extended across a wrap of the low 40 bits.
 */

#include <errno.h>
#include <inttypes.h>

#include "fbnic_time.h"
#include "test_base.h"

#define SEC	UINT64_C(1000000000)

static struct fbm_dev *
time_setup(struct fbnic_hw *hw, struct fbnic_time *t)
{
	struct fbm_dev *dev = tb_setup(hw, FBNIC_FW_LINK_MODE_25CR, FBNIC_FW_LINK_FEC_RS);

	if (dev == NULL)
		return NULL;
	fbm_clock_set_virtual(dev, true, 5 * SEC);
	fbnic_time_reset(hw, t);
	return dev;
}

/* Load the counter with ns (PTP_ADJUST.INIT), as only a test does. */
static void
counter_load(struct fbnic_hw *hw, uint64_t ns)
{
	fbnic_wr32(hw, FBNIC_PTP_INIT_HI, (uint32_t)(ns >> 32));
	fbnic_wr32(hw, FBNIC_PTP_INIT_LO, (uint32_t)ns);
	fbnic_wr32(hw, FBNIC_PTP_ADJUST, FBNIC_PTP_ADJUST_INIT);
}

static int
test_reset_runs_the_clock_at_nominal_rate(void)
{
	struct fbnic_hw hw;
	struct fbnic_time t;
	struct fbm_dev *dev = time_setup(&hw, &t);
	uint64_t c0, c1;

	TEST_ASSERT_NOT_NULL(dev, "setup");
	TB_CHECK_REG(&hw, FBNIC_PTP_CTRL, FBNIC_PTP_CTRL_EN | FBNIC_PTP_CTRL_TQS_OUT_EN |
		     FBNIC_FIELD_PREP(FBNIC_PTP_CTRL_MAC_OUT_IVAL, 3) |
		     FBNIC_FIELD_PREP(FBNIC_PTP_CTRL_TICK_IVAL, 1));
	TB_CHECK_REG(&hw, FBNIC_PTP_ADD_VAL_NS, 1);
	TB_CHECK_REG(&hw, FBNIC_PTP_ADD_VAL_SUBNS, 0xaaaaaaaa);
	TEST_CHECK_EQUAL(FBNIC_TIME_NOMINAL_INCR, UINT64_C(0x1aaaaaaaa));
	c0 = fbnic_time_counter(&hw);
	TEST_CHECK_EQUAL(c0, 0, "counter from INIT 0");
	fbm_clock_advance(dev, SEC);
	c1 = fbnic_time_counter(&hw);
	/* 0x1_AAAAAAAA is 2/3 of 2^-32 ns short of 5/3 ns: 1 ns lost per 10 s at most. */
	TEST_CHECK(c1 - c0 >= SEC - 1 && c1 - c0 <= SEC, "1 s counted as %" PRIu64 " ns",
		   c1 - c0);
	tb_teardown(&hw, dev);
	return TEST_SUCCESS;
}

static int
test_adjust_freq_changes_rate_by_request(void)
{
	/* ppb, and the scaled ppm given for it */
	static const int64_t ppb[] = { 100000, -100000, 1, -999999, 500000000, -999999999 };
	struct fbnic_hw hw;
	struct fbnic_time t;
	struct fbm_dev *dev = time_setup(&hw, &t);
	unsigned int i;

	TEST_ASSERT_NOT_NULL(dev, "setup");
	for (i = 0; i < TK_DIM(ppb); i++) {
		int64_t sppm = ppb[i] * 65536 / 1000, got;
		uint64_t c0, c1;

		TEST_CHECK_EQUAL(fbnic_time_adjust_freq(&hw, &t, sppm), 0, "%" PRId64 " ppb",
				 ppb[i]);
		c0 = fbnic_time_counter(&hw);
		fbm_clock_advance(dev, SEC);
		c1 = fbnic_time_counter(&hw);
		got = (int64_t)(c1 - c0) - (int64_t)SEC;
		/* 1 s at ppb runs ppb ns ahead; the increment's rounding costs 2 ns at most. */
		TEST_CHECK(got >= ppb[i] - 2 && got <= ppb[i] + 2,
			   "%" PRId64 " ppb: 1 s counted %" PRId64 " ns off", ppb[i], got);
	}
	TEST_CHECK_EQUAL(fbnic_time_adjust_freq(&hw, &t, FBNIC_TIME_MAX_SCALED_PPM + 1), -ERANGE);
	TEST_CHECK_EQUAL(fbnic_time_adjust_freq(&hw, &t, -FBNIC_TIME_MAX_SCALED_PPM - 1),
			 -ERANGE);
	/* Refused: the last accepted increment stays. */
	TEST_CHECK_EQUAL((uint64_t)fbnic_rd32(&hw, FBNIC_PTP_ADD_VAL_NS) << 32 |
			 fbnic_rd32(&hw, FBNIC_PTP_ADD_VAL_SUBNS),
			 fbnic_time_incr(ppb[5] * 65536 / 1000));
	tb_teardown(&hw, dev);
	return TEST_SUCCESS;
}

static int
test_set_and_step_move_the_offset_only(void)
{
	struct fbnic_hw hw;
	struct fbnic_time t;
	struct fbm_dev *dev = time_setup(&hw, &t);
	uint64_t c;

	TEST_ASSERT_NOT_NULL(dev, "setup");
	fbm_clock_advance(dev, 3 * SEC);
	fbnic_time_set(&hw, &t, 1000 * SEC);
	c = fbnic_time_counter(&hw);
	TEST_CHECK_EQUAL(fbnic_time_get(&hw, &t), 1000 * SEC);
	TEST_CHECK(c >= 3 * SEC - 1 && c <= 3 * SEC, "counter untouched: %" PRIu64, c);
	fbnic_time_step(&t, -(int64_t)(250 * SEC));
	fbm_clock_advance(dev, SEC / 2);
	TEST_CHECK(fbnic_time_get(&hw, &t) >= 750 * SEC + SEC / 2 - 1 &&
		   fbnic_time_get(&hw, &t) <= 750 * SEC + SEC / 2, "stepped");
	tb_teardown(&hw, dev);
	return TEST_SUCCESS;
}

static int
test_ts40_extends_across_the_40_bit_wrap(void)
{
	const uint64_t wrap = UINT64_C(1) << 40, base = UINT64_C(7) * wrap;
	struct fbnic_hw hw;
	struct fbnic_time t;
	struct fbm_dev *dev = time_setup(&hw, &t);
	uint64_t now;

	TEST_ASSERT_NOT_NULL(dev, "setup");
	/* A counter 1 us short of the wrap; the cache is read there. */
	counter_load(&hw, base + wrap - 1000);
	fbnic_time_refresh(&hw, &t, 1);
	TEST_CHECK_EQUAL(t.high, (uint32_t)((base + wrap - 1000) >> 32) - FBNIC_TIME_HIGH_LAG);
	fbnic_time_set(&hw, &t, fbnic_time_counter(&hw) + 42);	/* offset 42 */

	/* A stamp from before the wrap, one from after it (low bits small again). */
	TEST_CHECK_EQUAL(fbnic_time_ts40_to_ns(&t, wrap - 1000), base + wrap - 1000 + 42);
	fbm_clock_advance(dev, 3000);
	now = fbnic_time_counter(&hw);
	TEST_CHECK(now >= base + wrap + 1999 && now <= base + wrap + 2000, "counter %" PRIu64,
		   now);
	TEST_CHECK_EQUAL(fbnic_time_ts40_to_ns(&t, now & (wrap - 1)), now + 42);
	/* A stamp as old as the cache (16 * 2^32 ns back) is still before the wrap. */
	TEST_CHECK_EQUAL(fbnic_time_ts40_to_ns(&t, wrap - (UINT64_C(16) << 32)),
			 base + wrap - (UINT64_C(16) << 32) + 42);
	tb_teardown(&hw, dev);
	return TEST_SUCCESS;
}

static int
test_counter_read_takes_low_word_under_its_high_word(void)
{
	struct fbnic_hw hw;
	struct fbnic_time t;
	struct fbm_dev *dev = time_setup(&hw, &t);
	uint64_t c;

	TEST_ASSERT_NOT_NULL(dev, "setup");
	counter_load(&hw, (UINT64_C(5) << 32) - 2);
	c = fbnic_time_counter(&hw);
	TEST_CHECK_EQUAL(c, (UINT64_C(5) << 32) - 2);
	fbm_clock_advance(dev, 5);
	c = fbnic_time_counter(&hw);
	TEST_CHECK(c >= (UINT64_C(5) << 32) + 2 && c <= (UINT64_C(5) << 32) + 3,
		   "after the low word wrapped: 0x%" PRIx64, c);
	tb_teardown(&hw, dev);
	return TEST_SUCCESS;
}

int
main(int argc, char **argv)
{
	if (tb_eal_init(argc, argv) != 0)
		return 1;
	TK_RUN(test_reset_runs_the_clock_at_nominal_rate);
	TK_RUN(test_adjust_freq_changes_rate_by_request);
	TK_RUN(test_set_and_step_move_the_offset_only);
	TK_RUN(test_ts40_extends_across_the_40_bit_wrap);
	TK_RUN(test_counter_read_takes_low_word_under_its_high_word);
	tb_eal_fini();
	return tk_report("test_base_time");
}
