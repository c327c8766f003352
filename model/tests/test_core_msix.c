/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

/*
 * MSI-X semantics of the INTR block (fbnic_hw.rst 1.2, 4.4): Linux's MSI-X
 * self-test for every queue vector, cause routing, re-arm, auto-clear mode
 * and the PCIe MSI-X enable / function mask.
 */

#include "fbm_internal.h"
#include "fbm_harness.h"

#define NUM_VECTORS	130	/* 2 + 128 queue vectors, what Linux asks for */

/* One pass of fbnic_msix_test() for vector v; returns the failing step or 0. */
static int
msix_self_test_vector(struct fbh *h, unsigned int v)
{
	uint32_t mask = 1u << (v % 32);
	unsigned int w = v / 32;
	uint64_t base = fbh_msix_count(h, v);

	fbh_wr(h, FBNIC_INTR_MASK_SET(w), mask);
	fbh_wr(h, FBNIC_INTR_CLEAR(w), mask);

	fbh_wr(h, FBNIC_INTR_SET(w), mask);		/* masked: no message */
	if (fbh_msix_count(h, v) != base)
		return 1;
	fbh_wr(h, FBNIC_INTR_MASK_CLEAR(w), mask);	/* pending: fires */
	if (fbh_msix_count(h, v) != base + 1)
		return 2;
	fbh_wr(h, FBNIC_INTR_MASK_CLEAR(w), mask);	/* nothing new: silent */
	if (fbh_msix_count(h, v) != base + 1)
		return 3;
	fbh_wr(h, FBNIC_INTR_SET(w), mask);		/* unmasked: fires */
	if (fbh_msix_count(h, v) != base + 2)
		return 4;
	if (fbh_rd(h, FBNIC_INTR_STATUS(w)) & mask)	/* auto-cleared */
		return 5;
	if (!(fbh_rd(h, FBNIC_INTR_MASK(w)) & mask))	/* auto-masked */
		return 6;
	return 0;
}

static int
test_linux_msix_self_test_passes_for_every_vector(void)
{
	struct fbh h;
	unsigned int v;

	TEST_CHECK_EQUAL(fbh_init(&h, NULL, 0), 0);
	for (v = 2; v < NUM_VECTORS; v++) {
		int step = msix_self_test_vector(&h, v);

		if (step != 0)
			fprintf(stderr, "vector %u failed at step %d\n", v, step);
		TEST_CHECK_EQUAL(step, 0);
	}
	/* No stray message on any other vector. */
	TEST_CHECK_EQUAL(fbh_msix_count(&h, 0), 0);
	TEST_CHECK_EQUAL(fbh_msix_count(&h, 1), 0);
	TEST_CHECK_EQUAL(fbh_msix_count(&h, NUM_VECTORS), 0);
	fbh_fini(&h);
	return TEST_SUCCESS;
}

static int
test_vector_without_auto_clear_keeps_status_until_cleared(void)
{
	const uint32_t bit = 1u << 3;
	struct fbh h;

	TEST_CHECK_EQUAL(fbh_init(&h, NULL, 0), 0);
	fbh_wr(&h, FBNIC_INTR_SW_AC_MODE(0), ~bit);	/* what Linux does for vector 0 */
	fbh_wr(&h, FBNIC_INTR_MASK_CLEAR(0), bit);
	fbh_wr(&h, FBNIC_INTR_SET(0), bit);
	TEST_CHECK_EQUAL(fbh_msix_count(&h, 3), 1);
	TEST_CHECK_EQUAL(fbh_rd(&h, FBNIC_INTR_STATUS(0)) & bit, bit);
	TEST_CHECK_EQUAL(fbh_rd(&h, FBNIC_INTR_MASK(0)) & bit, bit);
	/* Unmasking with the status still set fires again. */
	fbh_wr(&h, FBNIC_INTR_MASK_CLEAR(0), bit);
	TEST_CHECK_EQUAL(fbh_msix_count(&h, 3), 2);
	fbh_wr(&h, FBNIC_INTR_CLEAR(0), bit);
	fbh_wr(&h, FBNIC_INTR_MASK_CLEAR(0), bit);
	TEST_CHECK_EQUAL(fbh_msix_count(&h, 3), 2);
	fbh_fini(&h);
	return TEST_SUCCESS;
}

static int
test_cause_routes_to_programmed_vector_only_when_enabled(void)
{
	struct fbh h;

	TEST_CHECK_EQUAL(fbh_init(&h, NULL, 0), 0);
	fbh_wr(&h, FBNIC_INTR_MASK_CLEAR(0), 0x2);
	fbm_dev_lock(h.dev);
	fbm_intr_cause(h.dev, FBNIC_INTR_MSIX_CTRL_PCS_IDX);	/* not enabled */
	fbm_dev_unlock(h.dev);
	TEST_CHECK_EQUAL(fbh_msix_count(&h, 1), 0);
	TEST_CHECK_EQUAL(fbh_rd(&h, FBNIC_INTR_STATUS(0)), 0);

	fbh_wr(&h, FBNIC_INTR_MSIX_CTRL(FBNIC_INTR_MSIX_CTRL_PCS_IDX),
	       1 | FBNIC_INTR_MSIX_CTRL_ENABLE);
	fbm_dev_lock(h.dev);
	fbm_intr_cause(h.dev, FBNIC_INTR_MSIX_CTRL_PCS_IDX);
	fbm_intr_cause(h.dev, 1000);				/* out of range: ignored */
	fbm_dev_unlock(h.dev);
	TEST_CHECK_EQUAL(fbh_msix_count(&h, 1), 1);
	fbh_fini(&h);
	return TEST_SUCCESS;
}

static int
test_cq_rearm_unmask_fires_pending_vector(void)
{
	struct fbh h;

	TEST_CHECK_EQUAL(fbh_init(&h, NULL, 0), 0);
	fbh_wr(&h, FBNIC_INTR_SET(1), 1u << 8);			/* vector 40, masked */
	TEST_CHECK_EQUAL(fbh_msix_count(&h, 40), 0);
	fbh_wr(&h, FBNIC_INTR_CQ_REARM(40), FBNIC_INTR_CQ_REARM_INTR_UNMASK);
	TEST_CHECK_EQUAL(fbh_msix_count(&h, 40), 1);
	fbh_wr(&h, FBNIC_INTR_CQ_REARM(40), FBNIC_INTR_CQ_REARM_INTR_UNMASK);
	TEST_CHECK_EQUAL(fbh_msix_count(&h, 40), 1);
	fbh_fini(&h);
	return TEST_SUCCESS;
}

static int
test_msix_disabled_holds_message_until_enabled(void)
{
	struct fbm_config cfg;
	uint16_t ctrl;
	struct fbh h;

	fbh_config_default(&cfg);
	cfg.msix_enable = false;
	TEST_CHECK_EQUAL(fbh_init(&h, &cfg, 0), 0);
	fbh_wr(&h, FBNIC_INTR_MASK_CLEAR(0), 1u << 5);
	fbh_wr(&h, FBNIC_INTR_SET(0), 1u << 5);
	TEST_CHECK_EQUAL(fbh_msix_count(&h, 5), 0);
	/* The INTR block still sent it: auto-mask and auto-clear happened. */
	TEST_CHECK_EQUAL(fbh_rd(&h, FBNIC_INTR_STATUS(0)) & (1u << 5), 0);

	TEST_CHECK_EQUAL(fbm_cfg_read(h.dev, 0x82, &ctrl, 2), 0);
	TEST_CHECK_EQUAL(ctrl & 0x7ff, FBM_MSIX_VECTORS - 1);
	ctrl |= 0x8000 | 0x4000;				/* enable, function mask */
	TEST_CHECK_EQUAL(fbm_cfg_write(h.dev, 0x82, &ctrl, 2), 0);
	TEST_CHECK_EQUAL(fbh_msix_count(&h, 5), 0);
	ctrl &= ~0x4000;
	TEST_CHECK_EQUAL(fbm_cfg_write(h.dev, 0x82, &ctrl, 2), 0);
	TEST_CHECK_EQUAL(fbh_msix_count(&h, 5), 1);
	fbh_fini(&h);
	return TEST_SUCCESS;
}

static int
test_raise_beyond_last_vector_is_ignored(void)
{
	struct fbh h;

	TEST_CHECK_EQUAL(fbh_init(&h, NULL, 0), 0);
	fbm_dev_lock(h.dev);
	fbm_intr_raise(h.dev, 256);
	fbm_intr_raise(h.dev, UINT32_MAX);
	fbm_dev_unlock(h.dev);
	TEST_CHECK_EQUAL(fbh_rd(&h, FBNIC_INTR_STATUS(7)), 0);
	fbh_fini(&h);
	return TEST_SUCCESS;
}

/*
 * fbm_intr_messages() counts what the INTR block sent, per vector and in
 * all, also the messages the PBA holds while MSI-X is off.
 */
static int
test_intr_messages_count_each_vector(void)
{
	struct fbm_config cfg;
	struct fbh h;

	fbh_config_default(&cfg);
	cfg.msix_enable = false;
	TEST_CHECK_EQUAL(fbh_init(&h, &cfg, 0), 0);
	TEST_CHECK_EQUAL(fbm_intr_messages(h.dev, -1), 0);
	fbh_wr(&h, FBNIC_INTR_MASK_CLEAR(1), 1u << 2);		/* vector 34 */
	fbh_wr(&h, FBNIC_INTR_SET(1), 1u << 2);
	fbh_wr(&h, FBNIC_INTR_SET(1), 1u << 2);			/* masked by the first */
	fbh_wr(&h, FBNIC_INTR_MASK_CLEAR(1), 1u << 2);
	TEST_CHECK_EQUAL(fbm_intr_messages(h.dev, 34), 2);
	TEST_CHECK_EQUAL(fbm_intr_messages(h.dev, 33), 0);
	TEST_CHECK_EQUAL(fbm_intr_messages(h.dev, -1), 2);
	TEST_CHECK_EQUAL(fbm_intr_messages(h.dev, FBM_MSIX_VECTORS), 0);
	TEST_CHECK_EQUAL(fbh_msix_count(&h, 34), 0);		/* held in the PBA */
	fbh_fini(&h);
	return TEST_SUCCESS;
}

int
main(void)
{
	TK_RUN(test_linux_msix_self_test_passes_for_every_vector);
	TK_RUN(test_vector_without_auto_clear_keeps_status_until_cleared);
	TK_RUN(test_cause_routes_to_programmed_vector_only_when_enabled);
	TK_RUN(test_cq_rearm_unmask_fires_pending_vector);
	TK_RUN(test_msix_disabled_holds_message_until_enabled);
	TK_RUN(test_raise_beyond_last_vector_is_ignored);
	TK_RUN(test_intr_messages_count_each_vector);
	return tk_report("test_core_msix");
}
