/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

/*
 * Register semantics of the core (fbnic_hw.rst 1, 1.2, 4.4, 6.2):
 * reset values, read-only, write-1-to-clear, self-clearing bits, unknown
 * registers, invalid accesses.
 */

#include <string.h>

#include "fbm_harness.h"

static int
test_unknown_registers_read_zero_then_hold_writes(void)
{
	/* FAB and a hole in the INTR block are owned by no component. */
	const uint32_t regs[] = { FBNIC_FAB_AXI4_AR_SPACER_2_CFG, 0x0200, 0x0c430 };
	struct fbh h;
	size_t i;

	TEST_CHECK_EQUAL(fbh_init(&h, NULL, 0), 0);
	for (i = 0; i < FBM_DIM(regs); i++) {
		TEST_CHECK_EQUAL(fbh_rd(&h, regs[i]), 0);
		fbh_wr(&h, regs[i], 0x5a5a0000u + (uint32_t)i);
		TEST_CHECK_EQUAL(fbh_rd(&h, regs[i]), 0x5a5a0000u + (uint32_t)i);
	}
	/* BAR4 outside the mailbox behaves the same. */
	TEST_CHECK_EQUAL(fbh_rd4(&h, 0x30000), 0);
	fbh_wr4(&h, 0x30000, 0x1234);
	TEST_CHECK_EQUAL(fbh_rd4(&h, 0x30000), 0x1234);
	fbh_fini(&h);
	return TEST_SUCCESS;
}

static int
test_master_spare_0_never_reads_all_ones(void)
{
	struct fbh h;

	TEST_CHECK_EQUAL(fbh_init(&h, NULL, 0), 0);
	TEST_CHECK_EQUAL(fbh_rd(&h, FBNIC_MASTER_SPARE_0), 0);
	fbh_wr(&h, FBNIC_MASTER_SPARE_0, UINT32_MAX);
	TEST_CHECK(fbh_rd(&h, FBNIC_MASTER_SPARE_0) != UINT32_MAX);
	fbh_fini(&h);
	return TEST_SUCCESS;
}

static int
test_interrupt_registers_reset_masked_and_clear(void)
{
	struct fbh h;
	unsigned int w;

	TEST_CHECK_EQUAL(fbh_init(&h, NULL, 0), 0);
	for (w = 0; w < FBNIC_INTR_STATUS_CNT; w++) {
		TEST_CHECK_EQUAL(fbh_rd(&h, FBNIC_INTR_STATUS(w)), 0);
		TEST_CHECK_EQUAL(fbh_rd(&h, FBNIC_INTR_MASK(w)), UINT32_MAX);
		TEST_CHECK_EQUAL(fbh_rd(&h, FBNIC_INTR_SW_AC_MODE(w)), UINT32_MAX);
		TEST_CHECK_EQUAL(fbh_rd(&h, FBNIC_INTR_SW_STATUS(w)), 0);
	}
	TEST_CHECK_EQUAL(fbh_rd(&h, FBNIC_INTR_MSIX_CTRL(FBNIC_INTR_MSIX_CTRL_PCS_IDX)), 0);
	TEST_CHECK_EQUAL(fbh_rd(&h, FBNIC_INTR_CQ_REARM(5)), 0);
	fbh_fini(&h);
	return TEST_SUCCESS;
}

static int
test_intr_status_and_mask_are_read_only(void)
{
	struct fbh h;

	TEST_CHECK_EQUAL(fbh_init(&h, NULL, 0), 0);
	fbh_wr(&h, FBNIC_INTR_STATUS(1), 0xf0f0);
	TEST_CHECK_EQUAL(fbh_rd(&h, FBNIC_INTR_STATUS(1)), 0);
	fbh_wr(&h, FBNIC_INTR_MASK(1), 0);
	TEST_CHECK_EQUAL(fbh_rd(&h, FBNIC_INTR_MASK(1)), UINT32_MAX);
	/* SET / CLEAR / MASK_SET / MASK_CLEAR are actions and read 0. */
	fbh_wr(&h, FBNIC_INTR_SET(1), 0x3);
	TEST_CHECK_EQUAL(fbh_rd(&h, FBNIC_INTR_SET(1)), 0);
	TEST_CHECK_EQUAL(fbh_rd(&h, FBNIC_INTR_STATUS(1)), 0x3);
	fbh_fini(&h);
	return TEST_SUCCESS;
}

static int
test_intr_clear_is_write_one_to_clear(void)
{
	struct fbh h;

	TEST_CHECK_EQUAL(fbh_init(&h, NULL, 0), 0);
	fbh_wr(&h, FBNIC_INTR_SET(2), 0xff);		/* masked: status stays */
	fbh_wr(&h, FBNIC_INTR_CLEAR(2), 0x0f);
	TEST_CHECK_EQUAL(fbh_rd(&h, FBNIC_INTR_STATUS(2)), 0xf0);
	fbh_wr(&h, FBNIC_INTR_CLEAR(2), 0);
	TEST_CHECK_EQUAL(fbh_rd(&h, FBNIC_INTR_STATUS(2)), 0xf0);
	fbh_wr(&h, FBNIC_INTR_MASK_CLEAR(2), 0x00ff0000);
	TEST_CHECK_EQUAL(fbh_rd(&h, FBNIC_INTR_MASK(2)), 0xff00ffff);
	fbh_wr(&h, FBNIC_INTR_MASK_SET(2), 0x00010000);
	TEST_CHECK_EQUAL(fbh_rd(&h, FBNIC_INTR_MASK(2)), 0xff01ffff);
	fbh_fini(&h);
	return TEST_SUCCESS;
}

static int
test_msix_ctrl_keeps_only_vector_and_enable(void)
{
	struct fbh h;

	TEST_CHECK_EQUAL(fbh_init(&h, NULL, 0), 0);
	fbh_wr(&h, FBNIC_INTR_MSIX_CTRL(FBNIC_INTR_MSIX_CTRL_PCS_IDX), UINT32_MAX);
	TEST_CHECK_EQUAL(fbh_rd(&h, FBNIC_INTR_MSIX_CTRL(FBNIC_INTR_MSIX_CTRL_PCS_IDX)),
			 FBNIC_INTR_MSIX_CTRL_ENABLE | FBNIC_INTR_MSIX_CTRL_VECTOR_MASK);
	fbh_fini(&h);
	return TEST_SUCCESS;
}

static int
test_cq_rearm_latches_timeouts_only_with_update_enable(void)
{
	struct fbh h;
	uint32_t v;

	TEST_CHECK_EQUAL(fbh_init(&h, NULL, 0), 0);
	fbh_wr(&h, FBNIC_INTR_CQ_REARM(3),
	       FBNIC_FIELD_PREP(FBNIC_INTR_CQ_REARM_RCQ_TIMEOUT, 30) |
	       FBNIC_INTR_CQ_REARM_RCQ_TIMEOUT_UPD_EN |
	       FBNIC_FIELD_PREP(FBNIC_INTR_CQ_REARM_TCQ_TIMEOUT, 35) |
	       FBNIC_INTR_CQ_REARM_TCQ_TIMEOUT_UPD_EN | FBNIC_INTR_CQ_REARM_INTR_UNMASK);
	v = fbh_rd(&h, FBNIC_INTR_CQ_REARM(3));
	TEST_CHECK_EQUAL(FBNIC_FIELD_GET(FBNIC_INTR_CQ_REARM_RCQ_TIMEOUT, v), 30);
	TEST_CHECK_EQUAL(FBNIC_FIELD_GET(FBNIC_INTR_CQ_REARM_TCQ_TIMEOUT, v), 35);
	TEST_CHECK_EQUAL(v & (FBNIC_INTR_CQ_REARM_INTR_UNMASK |
			      FBNIC_INTR_CQ_REARM_RCQ_TIMEOUT_UPD_EN |
			      FBNIC_INTR_CQ_REARM_TCQ_TIMEOUT_UPD_EN), 0);
	TEST_CHECK_EQUAL(fbh_rd(&h, FBNIC_INTR_RCQ_TIMEOUT(3)), 30);
	TEST_CHECK_EQUAL(fbh_rd(&h, FBNIC_INTR_TCQ_TIMEOUT(3)), 35);
	/* UNMASK cleared the mask bit of vector 3. */
	TEST_CHECK_EQUAL(fbh_rd(&h, FBNIC_INTR_MASK(0)) & (1u << 3), 0);

	/* Without UPD_EN the old values stay. */
	fbh_wr(&h, FBNIC_INTR_CQ_REARM(3), FBNIC_FIELD_PREP(FBNIC_INTR_CQ_REARM_RCQ_TIMEOUT, 7));
	TEST_CHECK_EQUAL(FBNIC_FIELD_GET(FBNIC_INTR_CQ_REARM_RCQ_TIMEOUT,
					 fbh_rd(&h, FBNIC_INTR_CQ_REARM(3))), 30);
	fbh_fini(&h);
	return TEST_SUCCESS;
}

static int
test_pul_flush_bits_self_clear_and_bme_sticks(void)
{
	struct fbh h;

	TEST_CHECK_EQUAL(fbh_init(&h, NULL, 0), 0);
	TEST_CHECK_EQUAL(fbh_rd(&h, FBNIC_PUL_OB_TLP_HDR_AW_CFG), 0);
	TEST_CHECK_EQUAL(fbh_rd(&h, FBNIC_PUL_OB_TLP_HDR_AR_CFG), 0);
	fbh_wr(&h, FBNIC_PUL_OB_TLP_HDR_AW_CFG, FBNIC_PUL_OB_TLP_HDR_AW_CFG_BME |
	       FBNIC_PUL_OB_TLP_HDR_AW_CFG_FLUSH | FBNIC_PUL_OB_TLP_HDR_AW_CFG_FLUSH_MODE |
	       FBNIC_FIELD_PREP(FBNIC_PUL_OB_TLP_HDR_AW_CFG_RDE_ATTR, FBNIC_TLP_ATTR_RO));
	TEST_CHECK_EQUAL(fbh_rd(&h, FBNIC_PUL_OB_TLP_HDR_AW_CFG), FBNIC_PUL_OB_TLP_HDR_AW_CFG_BME |
			 FBNIC_FIELD_PREP(FBNIC_PUL_OB_TLP_HDR_AW_CFG_RDE_ATTR, FBNIC_TLP_ATTR_RO));
	fbh_wr(&h, FBNIC_PUL_OB_TLP_HDR_AR_CFG, FBNIC_PUL_OB_TLP_HDR_AR_CFG_FLUSH);
	TEST_CHECK_EQUAL(fbh_rd(&h, FBNIC_PUL_OB_TLP_HDR_AR_CFG), 0);
	fbh_fini(&h);
	return TEST_SUCCESS;
}

static int
test_invalid_bar_accesses_read_all_ones_and_are_logged(void)
{
	struct fbh h;

	TEST_CHECK_EQUAL(fbh_init(&h, NULL, 0), 0);
	h.quiet = true;
	TEST_CHECK_EQUAL(fbm_read32(h.dev, 0, 2), UINT32_MAX);		/* unaligned */
	TEST_CHECK_EQUAL(fbm_read32(h.dev, 0, FBM_BAR0_SIZE), UINT32_MAX);	/* past the end */
	TEST_CHECK_EQUAL(fbm_read32(h.dev, 4, FBM_BAR4_SIZE + 4), UINT32_MAX);
	TEST_CHECK_EQUAL(fbm_read32(h.dev, 2, 0), UINT32_MAX);		/* no BAR2 */
	fbm_write32(h.dev, 1, 0, 1);
	fbm_write32(h.dev, 0, UINT64_MAX - 3, 1);
	TEST_CHECK(atomic_load(&h.log_errors) >= 1);
	/* The last word of each BAR is fine. */
	fbm_write32(h.dev, 0, FBM_BAR0_SIZE - 4, 0x77);
	TEST_CHECK_EQUAL(fbm_read32(h.dev, 0, FBM_BAR0_SIZE - 4), 0x77);
	fbh_fini(&h);
	return TEST_SUCCESS;
}

static int
test_function_level_reset_restores_power_on_values(void)
{
	uint16_t devctl = 0x8000 | 0x2810;
	struct fbh h;

	TEST_CHECK_EQUAL(fbh_init(&h, NULL, 0), 0);
	fbh_wr(&h, FBNIC_FAB_AXI4_AR_SPACER_2_CFG, 0x10002);
	fbh_wr(&h, FBNIC_INTR_MASK_CLEAR(0), 0xff);
	fbh_wr(&h, FBNIC_PUL_OB_TLP_HDR_AW_CFG, FBNIC_PUL_OB_TLP_HDR_AW_CFG_BME);
	TEST_CHECK_EQUAL(fbm_cfg_write(h.dev, 0x48, &devctl, 2), 0);	/* PCIe DevCtl */
	TEST_CHECK_EQUAL(fbh_rd(&h, FBNIC_FAB_AXI4_AR_SPACER_2_CFG), UINT32_MAX); /* MEM off */
	devctl = 0x0006;
	TEST_CHECK_EQUAL(fbm_cfg_write(h.dev, 0x04, &devctl, 2), 0);	/* MEM | MASTER */
	TEST_CHECK_EQUAL(fbh_rd(&h, FBNIC_FAB_AXI4_AR_SPACER_2_CFG), 0);
	TEST_CHECK_EQUAL(fbh_rd(&h, FBNIC_INTR_MASK(0)), UINT32_MAX);
	TEST_CHECK_EQUAL(fbh_rd(&h, FBNIC_PUL_OB_TLP_HDR_AW_CFG), 0);
	fbh_fini(&h);
	return TEST_SUCCESS;
}

static int
test_fbm_reset_clears_generic_storage(void)
{
	struct fbh h;

	TEST_CHECK_EQUAL(fbh_init(&h, NULL, 0), 0);
	fbh_wr(&h, FBNIC_FAB_AXI4_AR_SPACER_2_CFG, 0x10002);
	fbm_reset(h.dev);
	TEST_CHECK_EQUAL(fbh_rd(&h, FBNIC_FAB_AXI4_AR_SPACER_2_CFG), 0);
	fbh_fini(&h);
	return TEST_SUCCESS;
}

int
main(void)
{
	TK_RUN(test_unknown_registers_read_zero_then_hold_writes);
	TK_RUN(test_master_spare_0_never_reads_all_ones);
	TK_RUN(test_interrupt_registers_reset_masked_and_clear);
	TK_RUN(test_intr_status_and_mask_are_read_only);
	TK_RUN(test_intr_clear_is_write_one_to_clear);
	TK_RUN(test_msix_ctrl_keeps_only_vector_and_enable);
	TK_RUN(test_cq_rearm_latches_timeouts_only_with_update_enable);
	TK_RUN(test_pul_flush_bits_self_clear_and_bme_sticks);
	TK_RUN(test_invalid_bar_accesses_read_all_ones_and_are_logged);
	TK_RUN(test_function_level_reset_restores_power_on_values);
	TK_RUN(test_fbm_reset_clears_generic_storage);
	return tk_report("test_core_regs");
}
