/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

/*
 * base/fbnic_irq.c against the model: a vector raised while masked sends
 * its message once unmasked (and a second unmask sends nothing), clear
 * drops the event, the CQ re-arm latches both moderation timeouts, capped
 * at 14 bits, and unmasks; the RIM threshold counts two completions per
 * frame; the TIM mask keeps Tx completions from the vector.
 */

#include "fbnic_irq.h"
#include "fbnic_txrx_hw.h"
#include "test_base.h"

static int
test_vector_mask_raise_clear_and_rearm(void)
{
	struct fbnic_hw hw;
	struct fbm_dev *dev = tb_setup(&hw, FBNIC_FW_LINK_MODE_25CR, FBNIC_FW_LINK_FEC_RS);
	const unsigned int v = FBNIC_QUEUE_MSIX_VECTOR(37);	/* word 1, bit 7 */
	uint64_t n0;

	TEST_ASSERT_NOT_NULL(dev, "setup");
	TEST_CHECK_EQUAL(v, 39u);
	n0 = fbm_intr_messages(dev, (int)v);

	fbnic_irq_mask(&hw, v);
	fbnic_irq_raise(&hw, v);
	TEST_CHECK_EQUAL(fbm_intr_messages(dev, (int)v), n0, "raised while masked");
	TEST_CHECK(fbnic_rd32(&hw, FBNIC_INTR_STATUS(1)) & (1u << 7), "status of the raise");
	fbnic_irq_unmask(&hw, v);
	TEST_CHECK_EQUAL(fbm_intr_messages(dev, (int)v), n0 + 1, "unmasked with a pending event");
	TEST_CHECK(fbnic_rd32(&hw, FBNIC_INTR_MASK(1)) & (1u << 7), "masked by its message");
	fbnic_irq_unmask(&hw, v);
	TEST_CHECK_EQUAL(fbm_intr_messages(dev, (int)v), n0 + 1, "a second unmask fired");

	/* A cleared event does not fire. */
	fbnic_irq_mask(&hw, v);
	fbnic_irq_raise(&hw, v);
	fbnic_irq_clear(&hw, v);
	fbnic_irq_unmask(&hw, v);
	TEST_CHECK_EQUAL(fbm_intr_messages(dev, (int)v), n0 + 1, "a cleared event fired");

	/* CQ re-arm: timeouts latched, capped, and the unmask in the same write. */
	fbnic_irq_mask(&hw, v);
	fbnic_irq_raise(&hw, v);
	fbnic_irq_cq_rearm(&hw, v, 30, 35, false);
	TEST_CHECK_EQUAL(fbnic_rd32(&hw, FBNIC_INTR_RCQ_TIMEOUT(v)), 30u, "Rx timeout");
	TEST_CHECK_EQUAL(fbnic_rd32(&hw, FBNIC_INTR_TCQ_TIMEOUT(v)), 35u, "Tx timeout");
	TEST_CHECK_EQUAL(fbm_intr_messages(dev, (int)v), n0 + 1, "re-arm without unmask fired");
	fbnic_irq_cq_rearm(&hw, v, UINT16_MAX, 0, true);
	TEST_CHECK_EQUAL(fbnic_rd32(&hw, FBNIC_INTR_RCQ_TIMEOUT(v)), FBNIC_IRQ_USECS_MAX,
			 "Rx timeout capped");
	TEST_CHECK_EQUAL(fbnic_rd32(&hw, FBNIC_INTR_TCQ_TIMEOUT(v)), 0u, "Tx timeout");
	TEST_CHECK_EQUAL(fbm_intr_messages(dev, (int)v), n0 + 2, "re-arm with unmask");

	/* Out of range: nothing written, nothing sent. */
	n0 = fbm_intr_messages(dev, -1);
	fbnic_irq_unmask(&hw, FBNIC_IRQ_MAX_VECTORS);
	fbnic_irq_raise(&hw, FBNIC_IRQ_MAX_VECTORS);
	fbnic_irq_cq_rearm(&hw, FBNIC_IRQ_MAX_VECTORS, 1, 1, true);
	TEST_CHECK_EQUAL(fbm_intr_messages(dev, -1), n0, "a vector beyond the last fired");

	/* TIM mask of a queue page. */
	fbnic_irq_tim_mask(&hw, 4, true);
	TEST_CHECK_EQUAL(fbnic_queue_rd32(&hw, 4, FBNIC_QUEUE_TIM_MASK), 1u, "TIM masked");
	fbnic_irq_tim_mask(&hw, 4, false);
	TEST_CHECK_EQUAL(fbnic_queue_rd32(&hw, 4, FBNIC_QUEUE_TIM_MASK), 0u, "TIM unmasked");
	tb_teardown(&hw, dev);
	return TEST_SUCCESS;
}

static int
test_rim_threshold_counts_two_completions_per_frame(void)
{
	TEST_CHECK_EQUAL(fbnic_irq_rim_threshold(0), 0, "0: the ring's default");
	TEST_CHECK_EQUAL(fbnic_irq_rim_threshold(16), 32);
	TEST_CHECK_EQUAL(fbnic_irq_rim_threshold(FBNIC_IRQ_FRAMES_MAX), 0x7ffe);
	TEST_CHECK_EQUAL(fbnic_irq_rim_threshold(UINT16_MAX), 0x7ffe, "capped at 15 bits");
	return TEST_SUCCESS;
}

int
main(int argc, char **argv)
{
	if (tb_eal_init(argc, argv) != 0)
		return 1;
	TK_RUN(test_vector_mask_raise_clear_and_rearm);
	TK_RUN(test_rim_threshold_counts_two_completions_per_frame);
	tb_eal_fini();
	return tk_report("test_base_irq");
}
