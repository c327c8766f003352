/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

/*
 * base/fbnic_mac.c against the model: the registers fbnic_init_regs()
 * programs, PCS link detection and loss, PCS loopback, pause and the link
 * hold-off.
 */

#include "fbnic_mac.h"
#include "test_base.h"

/* MMD 3 register reg of XPCS 0 (no vendor page): word reg of PCS page 0. */
static uint16_t
xpcs_rd(struct fbnic_hw *hw, uint32_t reg)
{
	return (uint16_t)fbnic_rd32(hw, FBNIC_PCS_PAGE(0) + reg);
}

static int
test_init_regs_programs_spec_values(void)
{
	struct fbnic_hw hw;
	struct fbm_dev *dev = tb_setup(&hw, FBNIC_FW_LINK_MODE_100CR2, FBNIC_FW_LINK_FEC_RS);

	TEST_ASSERT_NOT_NULL(dev, "model creation failed");
	fbnic_init_regs(&hw);

	/* Defaults MPS 256 (code 2), MRRS 512 (code 3), cache line 64 (code 0). */
	TB_CHECK_REG(&hw, FBNIC_QM_TNI_TDE_CTL, (704u << 12) | (128u << 4) | 3u);
	TB_CHECK_REG(&hw, FBNIC_QM_TWQ_DEFAULT_META_L, 0x0000000e);
	TB_CHECK_REG(&hw, FBNIC_QM_TWQ_DEFAULT_META_H, 0x00000020);
	TB_CHECK_REG(&hw, FBNIC_QM_TQS_CTL0, 0x21);
	TB_CHECK_REG(&hw, FBNIC_QM_TQS_MTU_CTL0, 9743);
	TB_CHECK_REG(&hw, FBNIC_QM_TQS_MTU_CTL1, 9743);
	TB_CHECK_REG(&hw, FBNIC_QM_TCQ_CTL0, (600u << 16) | 48000u);
	TB_CHECK_REG(&hw, FBNIC_QM_RCQ_CTL0, (600u << 16) | 1200u);
	TB_CHECK_REG(&hw, FBNIC_FAB_AXI4_AR_SPACER_2_CFG, 0x10002);
	TB_CHECK_REG(&hw, FBNIC_RXB_CT_SIZE(4), 4u | (2u << 6));
	TB_CHECK_REG(&hw, FBNIC_RXB_PBUF_CFG(4), 0xc0u << 13);
	TB_CHECK_REG(&hw, FBNIC_RXB_PBUF_CFG(0), 0x1800u | (0x20u << 13));
	TB_CHECK_REG(&hw, FBNIC_RXB_PBUF_CREDIT(4), 0xc0u * 32 + 4);
	TB_CHECK_REG(&hw, FBNIC_RXB_PAUSE_THLD(4), (0xc0u * 32 - 0x380) | (0x380u << 13));
	TB_CHECK_REG(&hw, FBNIC_RXB_PAUSE_THLD(0), 0x1fff);
	TB_CHECK_REG(&hw, FBNIC_RXB_DROP_THLD(4), (0xc0u * 32 - 152) | ((0xc0u * 32 - 152) << 13));
	TB_CHECK_REG(&hw, FBNIC_RXB_ECN_THLD(4), (0xc0u * 8) | ((0xc0u * 8) << 13));
	TB_CHECK_REG(&hw, FBNIC_RXB_PAUSE_DROP_CTRL, 0x7du | (0x10u << 16));
	TB_CHECK_REG(&hw, FBNIC_RXB_INTF_CREDIT, 0x8fff);
	TB_CHECK_REG(&hw, FBNIC_RXB_CLDR_PRIO_CFG(15), 0x1e1b1b1b);
	TB_CHECK_REG(&hw, FBNIC_RXB_ENDIAN_FCS, 0x0aaaaaa0);
	TB_CHECK_REG(&hw, FBNIC_TCE_TXB_MC_Q_CTRL, 0x400u << 11);
	TB_CHECK_REG(&hw, FBNIC_TCE_TXB_RX_BMC_Q_CTRL, 0x600u | (0x200u << 11));
	TB_CHECK_REG(&hw, FBNIC_TCE_LSO_CTRL, (1u << 27) | 0x09u | (0x89u << 9) | (0x80u << 18));
	TB_CHECK_REG(&hw, FBNIC_TCE_BMC_MAX_PKTSZ, 9742u | (9742u << 14));
	TB_CHECK_REG(&hw, FBNIC_TCE_SOP_PROT_CTRL, 0x78u | (0x40u << 8) | (0x0cu << 15));
	TB_CHECK_REG(&hw, FBNIC_TMI_SOP_PROT_CTRL, 8);
	TB_CHECK_REG(&hw, FBNIC_TCE_TXB_CTRL, 0x3);
	tb_teardown(&hw, dev);
	return TEST_SUCCESS;
}

static int
test_link_check_reports_pcs_link_and_loss(void)
{
	struct fbnic_hw hw;
	struct fbm_dev *dev = tb_setup(&hw, FBNIC_FW_LINK_MODE_50CR2, FBNIC_FW_LINK_FEC_BASER);
	bool link = false;
	unsigned int i;

	TEST_ASSERT_NOT_NULL(dev, "setup");
	TEST_CHECK(hw.link_aui == FBNIC_AUI_LAUI2 && hw.link_fec == FBNIC_FEC_BASER, "mode");
	TEST_CHECK_EQUAL(fbnic_link_speed_mbps(hw.link_aui), 50000, "speed");
	hw.link_hold_off_ms = 0;
	fbnic_init_regs(&hw);
	TEST_CHECK_EQUAL(fbnic_pcs_setup(&hw), 0, "PCS setup");
	TEST_CHECK((xpcs_rd(&hw, FBNIC_XPCS_CTRL1) & FBNIC_XPCS_CTRL1_SPEEDSEL) ==
		   FBNIC_XPCS_CTRL1_SPEED50G, "PCS speed");
	fbnic_pcs_prepare(&hw);
	fbnic_mac_link_down(&hw);
	for (i = 0; i < 1000 && !link; i++) {
		link = fbnic_pcs_link_check(&hw, hw.link_aui, hw.link_fec);
		if (!link)
			fbnic_osdep_usleep(1000);
	}
	TEST_CHECK(link, "no link after %u checks", i);
	TB_CHECK_REG(&hw, FBNIC_SIG_PCS_INTR_MASK, ~0x3u);
	hw.ps_timeout_ms = FBNIC_MAC_PS_TIMEOUT_DEFAULT_MS;
	fbnic_mac_link_up(&hw, true, true);
	TB_CHECK_REG(&hw, FBNIC_RXB_PAUSE_DROP_CTRL,
		     0x7du | (0x14u << 8) | (0x10u << 16) | (1u << 24));
	TB_CHECK_REG(&hw, FBNIC_RXB_PAUSE_STORM(0), 500u * 100);
	TB_CHECK_REG(&hw, FBNIC_RXB_PAUSE_STORM_UNIT_WR, 6000);
	TEST_CHECK(fbnic_mac_tx_pause_enabled(&hw), "TX pause off");
	fbnic_mac_link_up(&hw, false, false);
	TB_CHECK_REG(&hw, FBNIC_RXB_PAUSE_DROP_CTRL, 0x7du | (0x10u << 16));
	TEST_CHECK_EQUAL((fbnic_rd32(&hw, FBNIC_MAC_COMMAND_CONFIG) & 0x3), 0x3, "MAC TX/RX off");
	TEST_CHECK(!fbnic_mac_tx_pause_enabled(&hw), "TX pause on");
	/* MMD 3 STAT1 link status latches low: the second read is the live one */
	(void)xpcs_rd(&hw, FBNIC_XPCS_STAT1);
	TEST_CHECK(xpcs_rd(&hw, FBNIC_XPCS_STAT1) & FBNIC_XPCS_STAT1_LSTATUS, "XPCS link status");

	/* The wrong FEC's lock field does not count as link. */
	TEST_CHECK(!fbnic_pcs_link_check(&hw, hw.link_aui, FBNIC_FEC_RS),
		   "RS lock on Base-R link");

	fbm_fault_set(dev, FBM_FAULT_LINK_DOWN, true);
	TEST_CHECK(fbnic_rd32(&hw, FBNIC_SIG_PCS_INTR_STS) & FBNIC_SIG_PCS_INTR_LINK_DOWN,
		   "no link-down event");
	TEST_CHECK(!fbnic_pcs_link_check(&hw, hw.link_aui, hw.link_fec), "link survives loss");
	TEST_CHECK_EQUAL(fbnic_rd32(&hw, FBNIC_SIG_PCS_INTR_STS) &
			 (FBNIC_SIG_PCS_INTR_LINK_DOWN | FBNIC_SIG_PCS_INTR_LINK_UP), 0,
			 "event not cleared");

	/* PCS loopback brings the PCS back without the wire. */
	TEST_CHECK_EQUAL(fbnic_pcs_loopback(&hw, true), 0, "loopback on");
	TEST_CHECK(xpcs_rd(&hw, FBNIC_XPCS_CTRL1) & FBNIC_XPCS_CTRL1_LOOPBACK, "bit 14");
	for (i = 0, link = false; i < 1000 && !link; i++) {
		link = fbnic_pcs_link_check(&hw, hw.link_aui, hw.link_fec);
		if (!link)
			fbnic_osdep_usleep(1000);
	}
	TEST_CHECK(link, "no link in PCS loopback");
	TEST_CHECK_EQUAL(fbnic_pcs_loopback(&hw, false), 0, "loopback off");
	TEST_CHECK(!(xpcs_rd(&hw, FBNIC_XPCS_CTRL1) & FBNIC_XPCS_CTRL1_LOOPBACK),
		   "bit 14");

	fbnic_mac_link_down(&hw);
	TEST_CHECK_EQUAL((fbnic_rd32(&hw, FBNIC_MAC_COMMAND_CONFIG) & 0x3), 0, "MAC still on");
	tb_teardown(&hw, dev);
	return TEST_SUCCESS;
}

static int
test_link_hold_off_delays_link(void)
{
	struct fbnic_hw hw;
	struct fbm_dev *dev = tb_setup(&hw, FBNIC_FW_LINK_MODE_25CR, FBNIC_FW_LINK_FEC_NONE);
	bool link = false;
	uint64_t t0;
	unsigned int i;

	TEST_ASSERT_NOT_NULL(dev, "setup");
	/* No signal at prepare time: training starts when the signal appears. */
	fbm_fault_set(dev, FBM_FAULT_LINK_DOWN, true);
	hw.link_hold_off_ms = 50;
	fbnic_pcs_prepare(&hw);
	TEST_CHECK(!fbnic_pcs_link_check(&hw, hw.link_aui, hw.link_fec), "link without signal");
	fbm_fault_set(dev, FBM_FAULT_LINK_DOWN, false);
	t0 = fbnic_osdep_time_ms();
	TEST_CHECK(!fbnic_pcs_link_check(&hw, hw.link_aui, hw.link_fec), "link before hold-off");
	for (i = 0; i < 400 && !link; i++) {
		link = fbnic_pcs_link_check(&hw, hw.link_aui, hw.link_fec);
		if (!link)
			fbnic_osdep_usleep(1000);
	}
	TEST_CHECK(link, "no link after hold-off");
	TEST_CHECK(fbnic_osdep_time_ms() - t0 >= 50, "link after %u ms",
		   (unsigned int)(fbnic_osdep_time_ms() - t0));
	tb_teardown(&hw, dev);
	return TEST_SUCCESS;
}

int
main(int argc, char **argv)
{
	if (tb_eal_init(argc, argv) != 0)
		return 1;
	TK_RUN(test_init_regs_programs_spec_values);
	TK_RUN(test_link_check_reports_pcs_link_and_loss);
	TK_RUN(test_link_hold_off_delays_link);
	tb_eal_fini();
	return tk_report("test_base_mac");
}
