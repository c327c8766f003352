/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

/*
 * base/fbnic_txrx_hw.c against the model: queue enable programs the rings
 * as fbnic_hw.rst 4.2 says, disable masks and idles them.
 */

#include <errno.h>

#include "fbnic_txrx_hw.h"
#include "test_base.h"

static int
test_queue_enable_programs_ring_and_disable_idles(void)
{
	struct fbnic_txq_hw_cfg tx = {
		.qid = 3, .twq0_iova = UINT64_C(0x123456780000), .twq0_log2 = 10,
		.tcq_iova = UINT64_C(0x123456790000), .tcq_log2 = 10, .vector = 2,
	};
	struct fbnic_rxq_hw_cfg rx = {
		.qid = 5, .hpq_iova = UINT64_C(0x200000), .hpq_log2 = 9,
		.ppq_iova = UINT64_C(0x300000), .ppq_log2 = 12,
		.rcq_iova = UINT64_C(0x400000), .rcq_log2 = 16,
		.drop_mode = FBNIC_QUEUE_RDE_CTL0_DROP_NEVER, .min_hroom = 128, .min_troom = 64,
		.max_hdr = 0, .vector = 3, .rim_threshold = 8,
	};
	struct fbnic_hw hw;
	struct fbm_dev *dev = tb_setup(&hw, FBNIC_FW_LINK_MODE_25CR, FBNIC_FW_LINK_FEC_RS);

	TEST_ASSERT_NOT_NULL(dev, "setup");
	TEST_CHECK_EQUAL(fbnic_txq_hw_enable(&hw, &tx), 0, "TX enable");
	TEST_CHECK_EQUAL(fbnic_rxq_hw_enable(&hw, &rx), 0, "RX enable");
	fbnic_hw_flush(&hw);
	TEST_CHECK_EQUAL(fbnic_queue_rd32(&hw, 3, FBNIC_QUEUE_TWQ0_BAL), 0x56780000, "TWQ0 BAL");
	TEST_CHECK_EQUAL(fbnic_queue_rd32(&hw, 3, FBNIC_QUEUE_TWQ0_BAH), 0x1234, "TWQ0 BAH");
	TEST_CHECK_EQUAL(fbnic_queue_rd32(&hw, 3, FBNIC_QUEUE_TWQ0_SIZE), 10, "TWQ0 SIZE");
	TEST_CHECK_EQUAL((fbnic_queue_rd32(&hw, 3, FBNIC_QUEUE_TWQ0_CTL) & 1), 0, "TWQ0 in reset");
	TEST_CHECK_EQUAL(fbnic_queue_rd32(&hw, 3, FBNIC_QUEUE_TIM_THRESHOLD), 511, "TIM threshold");
	TEST_CHECK_EQUAL(fbnic_queue_rd32(&hw, 3, FBNIC_QUEUE_TIM_CTL), 2, "TIM vector");
	TEST_CHECK_EQUAL(fbnic_queue_rd32(&hw, 5, FBNIC_QUEUE_RCQ_SIZE), 0, "64K RCQ size field");
	TEST_CHECK_EQUAL(fbnic_queue_rd32(&hw, 5, FBNIC_QUEUE_BDQ_PPQ_SIZE), 12, "PPQ size");
	TEST_CHECK_EQUAL(fbnic_queue_rd32(&hw, 5, FBNIC_QUEUE_RIM_THRESHOLD), 8, "RIM threshold");
	TEST_CHECK(fbnic_queue_rd32(&hw, 5, FBNIC_QUEUE_RDE_CTL0) ==
		   ((2u << 29) | (128u << 20) | (64u << 11)), "RDE_CTL0 0x%08x",
		   fbnic_queue_rd32(&hw, 5, FBNIC_QUEUE_RDE_CTL0));
	TEST_CHECK_EQUAL(fbnic_queue_rd32(&hw, 5, FBNIC_QUEUE_RDE_CTL1), (256u << 12), "RDE_CTL1");

	tx.twq0_log2 = 17;
	TEST_CHECK_EQUAL(fbnic_txq_hw_enable(&hw, &tx), -EINVAL, "2^17 ring accepted");
	rx.min_hroom = 512;
	TEST_CHECK(fbnic_rxq_hw_enable(&hw, &rx) == -EINVAL, "9-bit headroom overflow accepted");

	fbnic_txq_hw_disable(&hw, 3);
	fbnic_rxq_hw_disable(&hw, 5);
	fbnic_hw_flush(&hw);
	TEST_CHECK_EQUAL(fbnic_queue_rd32(&hw, 3, FBNIC_QUEUE_TCQ_CTL), 0, "TCQ still enabled");
	TEST_CHECK_EQUAL(fbnic_queue_rd32(&hw, 3, FBNIC_QUEUE_TIM_MASK), 1, "TIM unmasked");
	TEST_CHECK_EQUAL(fbnic_queue_rd32(&hw, 5, FBNIC_QUEUE_RIM_MASK), 1, "RIM unmasked");
	TEST_CHECK_EQUAL(fbnic_queue_rd32(&hw, 5, FBNIC_QUEUE_BDQ_CTL) & FBNIC_QUEUE_BDQ_CTL_ENABLE,
			 0, "BDQ still enabled");
	TEST_CHECK_EQUAL(fbnic_txq_wait_idle(&hw, 3), 0, "TX queue 3 not idle");
	TEST_CHECK_EQUAL(fbnic_rxq_wait_idle(&hw, 5), 0, "RX queue 5 not idle");
	tb_teardown(&hw, dev);
	return TEST_SUCCESS;
}

int
main(int argc, char **argv)
{
	if (tb_eal_init(argc, argv) != 0)
		return 1;
	TK_RUN(test_queue_enable_programs_ring_and_disable_idles);
	tb_eal_fini();
	return tk_report("test_base_txrx_hw");
}
