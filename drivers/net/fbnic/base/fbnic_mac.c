/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

#include "fbnic_mac.h"

/* log2 of a power of two (or of the largest power of two below v); v > 0. */
static unsigned int
fbnic_ilog2(uint32_t v)
{
	return 31u - (unsigned int)__builtin_clz(v);
}

/* Encode a PCIe size as the 2-bit field value log2(size) - 6, clamped to 0..3. */
static uint32_t
fbnic_pcie_size_code(uint32_t bytes)
{
	unsigned int l = bytes ? fbnic_ilog2(bytes) : 6;

	if (l < 6)
		return 0;
	return l - 6 > 3 ? 3 : l - 6;
}

void
fbnic_pcie_cfg_default(struct fbnic_pcie_cfg *cfg)
{
	if (cfg->mps == 0)
		cfg->mps = FBNIC_PCIE_DEFAULT_MPS;
	if (cfg->mrrs == 0)
		cfg->mrrs = FBNIC_PCIE_DEFAULT_MRRS;
	if (cfg->cls == 0)
		cfg->cls = FBNIC_PCIE_DEFAULT_CLS;
}

/* Read-request size registers: keep outstanding limits, set MRRS and CLS. */
static void
fbnic_init_readrq(struct fbnic_hw *hw, uint32_t idx, uint32_t cls, uint32_t mrrs)
{
	uint32_t v = fbnic_rd32(hw, idx);

	v &= FBNIC_QM_TNI_TDF_CTL_MAX_OT | FBNIC_QM_TNI_TDF_CTL_MAX_OB;
	v |= FBNIC_FIELD_PREP(FBNIC_QM_TNI_TDF_CTL_MRRS, mrrs) |
	     FBNIC_FIELD_PREP(FBNIC_QM_TNI_TDF_CTL_CLS, cls);
	fbnic_wr32(hw, idx, v);
}

/* Payload size registers: replace MPS and CLS, keep the rest. */
static void
fbnic_init_mps(struct fbnic_hw *hw, uint32_t idx, uint32_t cls, uint32_t mps)
{
	uint32_t v = fbnic_rd32(hw, idx);

	v &= ~(FBNIC_QM_TNI_TCM_CTL_MPS | FBNIC_QM_TNI_TCM_CTL_CLS);
	v |= FBNIC_FIELD_PREP(FBNIC_QM_TNI_TCM_CTL_MPS, mps) |
	     FBNIC_FIELD_PREP(FBNIC_QM_TNI_TCM_CTL_CLS, cls);
	fbnic_wr32(hw, idx, v);
}

static void
fbnic_init_axi(struct fbnic_hw *hw)
{
	struct fbnic_pcie_cfg cfg = hw->pcie;
	uint32_t mrrs, mps, cls;
	bool mrrs_1k;

	fbnic_pcie_cfg_default(&cfg);
	mrrs = fbnic_pcie_size_code(cfg.mrrs);
	mrrs_1k = cfg.mrrs > 512;
	mps = fbnic_pcie_size_code(cfg.mps);
	cls = fbnic_pcie_size_code(cfg.cls);

	fbnic_init_readrq(hw, FBNIC_QM_TNI_TDF_CTL, cls, mrrs);
	fbnic_init_mps(hw, FBNIC_QM_TNI_TCM_CTL, cls, mps);

	/* 704 of 768 AXI beats for data leaves 8% of the buffer to descriptors. */
	fbnic_wr32(hw, FBNIC_QM_TNI_TDE_CTL,
		   FBNIC_FIELD_PREP(FBNIC_QM_TNI_TDE_CTL_MRRS_1K, mrrs_1k ? 1 : 0) |
		   FBNIC_FIELD_PREP(FBNIC_QM_TNI_TDE_CTL_MAX_OB, 704) |
		   FBNIC_FIELD_PREP(FBNIC_QM_TNI_TDE_CTL_MAX_OT, 128) |
		   FBNIC_FIELD_PREP(FBNIC_QM_TNI_TDE_CTL_MRRS, mrrs) |
		   FBNIC_FIELD_PREP(FBNIC_QM_TNI_TDE_CTL_CLS, cls));

	fbnic_init_readrq(hw, FBNIC_QM_RNI_RBP_CTL, cls, mrrs);
	fbnic_init_mps(hw, FBNIC_QM_RNI_RDE_CTL, cls, mps);
	fbnic_init_mps(hw, FBNIC_QM_RNI_RCM_CTL, cls, mps);
}

static void
fbnic_init_qm(struct fbnic_hw *hw)
{
	uint64_t meta = FBNIC_FIELD_PREP(FBNIC_TWD_L2_HLEN_MASK, 14) |
			FBNIC_TWD_FLAG_REQ_COMPLETION;

	fbnic_wr32(hw, FBNIC_QM_TWQ_DEFAULT_META_L, (uint32_t)meta);
	fbnic_wr32(hw, FBNIC_QM_TWQ_DEFAULT_META_H, (uint32_t)(meta >> 32));

	fbnic_wr32(hw, FBNIC_QM_TQS_CTL0,
		   FBNIC_FIELD_PREP(FBNIC_QM_TQS_CTL0_LSO_TS_MASK,
				    FBNIC_QM_TQS_CTL0_LSO_TS_LAST) |
		   FBNIC_FIELD_PREP(FBNIC_QM_TQS_CTL0_PREFETCH_THRESH,
				    FBNIC_QM_TQS_CTL0_PREFETCH_THRESH_MIN));
	fbnic_wr32(hw, FBNIC_QM_TQS_EDT_TS_RANGE, INT32_MAX);

	/* MTU + 1: the hardware rejects values within 16 B of a 64 B boundary. */
	fbnic_wr32(hw, FBNIC_QM_TQS_MTU_CTL0, FBNIC_MAX_FRAME_SIZE + 1);
	fbnic_wr32(hw, FBNIC_QM_TQS_MTU_CTL1,
		   FBNIC_FIELD_PREP(FBNIC_QM_TQS_MTU_CTL1_BULK, FBNIC_MAX_FRAME_SIZE + 1));

	/* 1 us timer tick; completions coalesced up to 80 us (TX) / 2 us (RX). */
	fbnic_wr32(hw, FBNIC_QM_TCQ_CTL0,
		   FBNIC_FIELD_PREP(FBNIC_QM_TCQ_CTL0_TICK_CYCLES, FBNIC_CLOCK_FREQ / 1000000) |
		   FBNIC_FIELD_PREP(FBNIC_QM_TCQ_CTL0_COAL_WAIT, FBNIC_CLOCK_FREQ / 12500));
	fbnic_wr32(hw, FBNIC_QM_RCQ_CTL0,
		   FBNIC_FIELD_PREP(FBNIC_QM_RCQ_CTL0_TICK_CYCLES, FBNIC_CLOCK_FREQ / 1000000) |
		   FBNIC_FIELD_PREP(FBNIC_QM_RCQ_CTL0_COAL_WAIT, FBNIC_CLOCK_FREQ / 500000));

	fbnic_wr32(hw, FBNIC_FAB_AXI4_AR_SPACER_2_CFG,
		   FBNIC_FAB_AXI4_AR_SPACER_MASK |
		   FBNIC_FIELD_PREP(FBNIC_FAB_AXI4_AR_SPACER_THREADSHOLD, 2));
}

/* RX buffer FIFO layout: base in 64 B units, size in 2 KiB units. */
static const struct {
	uint16_t base;
	uint16_t size;
} fbnic_rxb_fifo[8] = {
	[0] = { 0x1800, 0x20 },	/* network to host and BMC (multicast) */
	[3] = { 0x1c00, 0x10 },	/* network to BMC */
	[4] = { 0x0000, 0xc0 },	/* network to host, 384 KiB */
	[6] = { 0x1e00, 0x10 },	/* BMC to host */
};

/* Threshold word: both halves off (0x1FFF) when the FIFO is not in mask. */
static uint32_t
fbnic_rxb_thld(unsigned int fifo, uint32_t en_mask, uint32_t on_mask, uint32_t on,
	       uint32_t off_mask, uint32_t off)
{
	if (!(en_mask & (1u << fifo)))
		return 0x1fff;
	return (uint32_t)(FBNIC_FIELD_PREP(on_mask, on) | FBNIC_FIELD_PREP(off_mask, off));
}

static void
fbnic_init_rxb(struct fbnic_hw *hw)
{
	bool rx_running = fbnic_rd32(hw, FBNIC_RPC_RMI_CONFIG) & FBNIC_RPC_RMI_CONFIG_ENABLE;
	const uint32_t jumbo_units = FBNIC_MAX_FRAME_SIZE / 64;
	unsigned int i;

	for (i = 0; i < FBNIC_ARRAY_SIZE(fbnic_rxb_fifo); i++) {
		uint32_t size = fbnic_rxb_fifo[i].size;
		uint32_t ecn;

		if (rx_running) {
			/* A BMC may have the RX path up: keep its FIFOs, derive thresholds. */
			size = (uint32_t)FBNIC_FIELD_GET(FBNIC_RXB_PBUF_SIZE,
							 fbnic_rd32(hw, FBNIC_RXB_PBUF_CFG(i)));
			if (size < fbnic_rxb_fifo[i].size)
				FBNIC_BASE_LOG(WARNING,
					       "port %u: RXB FIFO %u is %u bytes, expected %u",
					       hw->port_id, i, size << 11,
					       (uint32_t)fbnic_rxb_fifo[i].size << 11);
		} else {
			fbnic_wr32(hw, FBNIC_RXB_CT_SIZE(i),
				   FBNIC_FIELD_PREP(FBNIC_RXB_CT_SIZE_HEADER, 4) |
				   FBNIC_FIELD_PREP(FBNIC_RXB_CT_SIZE_PAYLOAD, 2));
			fbnic_wr32(hw, FBNIC_RXB_PBUF_CFG(i),
				   FBNIC_FIELD_PREP(FBNIC_RXB_PBUF_BASE_ADDR,
						    fbnic_rxb_fifo[i].base) |
				   FBNIC_FIELD_PREP(FBNIC_RXB_PBUF_SIZE, size));
			fbnic_wr32(hw, FBNIC_RXB_PBUF_CREDIT(i),
				   FBNIC_FIELD_PREP(FBNIC_RXB_PBUF_CREDIT_MASK,
						    size ? size * 32 + 4 : 0));
		}
		if (size == 0)
			continue;

		/* Pause with 56 KiB of skid; drop when one jumbo frame is left. */
		fbnic_wr32(hw, FBNIC_RXB_PAUSE_THLD(i),
			   fbnic_rxb_thld(i, FBNIC_RXB_PAUSE_EN_MASK,
					  FBNIC_RXB_PAUSE_THLD_ON, size * 32 - 0x380,
					  FBNIC_RXB_PAUSE_THLD_OFF, 0x380));
		fbnic_wr32(hw, FBNIC_RXB_DROP_THLD(i),
			   fbnic_rxb_thld(i, FBNIC_RXB_DROP_EN_MASK,
					  FBNIC_RXB_DROP_THLD_ON, size * 32 - jumbo_units,
					  FBNIC_RXB_DROP_THLD_OFF, size * 32 - jumbo_units));
		/* ECN at a quarter full, but never below one jumbo frame. */
		ecn = size * 8 > jumbo_units ? size * 8 : jumbo_units;
		fbnic_wr32(hw, FBNIC_RXB_ECN_THLD(i),
			   fbnic_rxb_thld(i, FBNIC_RXB_ECN_EN_MASK,
					  FBNIC_RXB_ECN_THLD_ON, ecn,
					  FBNIC_RXB_ECN_THLD_OFF, ecn));
	}

	/* Pause (and the storm guard) are armed at link-up. */
	fbnic_wr32(hw, FBNIC_RXB_PAUSE_DROP_CTRL,
		   FBNIC_FIELD_PREP(FBNIC_RXB_PAUSE_DROP_CTRL_DROP_ENABLE,
				    FBNIC_RXB_DROP_EN_MASK) |
		   FBNIC_FIELD_PREP(FBNIC_RXB_PAUSE_DROP_CTRL_ECN_ENABLE,
				    FBNIC_RXB_ECN_EN_MASK));

	fbnic_wr32(hw, FBNIC_RXB_INTF_CREDIT,
		   FBNIC_RXB_INTF_CREDIT_MASK0 | FBNIC_RXB_INTF_CREDIT_MASK1 |
		   FBNIC_RXB_INTF_CREDIT_MASK2 |
		   FBNIC_FIELD_PREP(FBNIC_RXB_INTF_CREDIT_MASK3, 8));

	/* Calendar: RX DMA first in slots 0-62, BMC first in slot 63. */
	for (i = 0; i < FBNIC_RXB_CLDR_PRIO_CFG_CNT; i++)
		fbnic_wr32(hw, FBNIC_RXB_CLDR_PRIO_CFG(i), i == 15 ? 0x1e1b1b1b : 0x1b1b1b1b);

	fbnic_wr32(hw, FBNIC_RXB_DWRR_RDE_WEIGHT0,
		   FBNIC_FIELD_PREP(FBNIC_RXB_DWRR_RDE_WEIGHT0_QUANTUM0, 0x40) |
		   FBNIC_FIELD_PREP(FBNIC_RXB_DWRR_RDE_WEIGHT0_QUANTUM2, 0x50));
	fbnic_wr32(hw, FBNIC_RXB_DWRR_RDE_WEIGHT0_EXT,
		   FBNIC_FIELD_PREP(FBNIC_RXB_DWRR_RDE_WEIGHT0_QUANTUM0, 0x1f));
	fbnic_wr32(hw, FBNIC_RXB_DWRR_RDE_WEIGHT1,
		   FBNIC_FIELD_PREP(FBNIC_RXB_DWRR_RDE_WEIGHT1_QUANTUM4, 0x40));
	fbnic_wr32(hw, FBNIC_RXB_DWRR_RDE_WEIGHT1_EXT,
		   FBNIC_FIELD_PREP(FBNIC_RXB_DWRR_RDE_WEIGHT1_QUANTUM4, 0x1f));

	fbnic_wr32(hw, FBNIC_RXB_ENDIAN_FCS, 0x0aaaaaa0);
}

/* TCP flag bits as they sit in the TCP header's flags byte. */
#define FBNIC_TCP_FIN	0x01
#define FBNIC_TCP_PSH	0x08
#define FBNIC_TCP_CWR	0x80

static void
fbnic_init_txb(struct fbnic_hw *hw)
{
	unsigned int i;

	fbnic_wr32(hw, FBNIC_TCE_TXB_CTRL, 0);

	fbnic_wr32(hw, FBNIC_QM_TQS_CTL1,
		   FBNIC_FIELD_PREP(FBNIC_QM_TQS_CTL1_MC_MAX_CREDITS, 0x40) |
		   FBNIC_FIELD_PREP(FBNIC_QM_TQS_CTL1_BULK_MAX_CREDITS, 0x20));

	fbnic_wr32(hw, FBNIC_TCE_TXB_TEI_Q0_CTRL, 0);
	fbnic_wr32(hw, FBNIC_TCE_TXB_TEI_Q1_CTRL, 0);
	fbnic_wr32(hw, FBNIC_TCE_TXB_MC_Q_CTRL,
		   FBNIC_FIELD_PREP(FBNIC_TCE_TXB_Q_CTRL_SIZE, 0x400) |
		   FBNIC_FIELD_PREP(FBNIC_TCE_TXB_Q_CTRL_START, 0x000));
	fbnic_wr32(hw, FBNIC_TCE_TXB_RX_TEI_Q_CTRL, 0);
	fbnic_wr32(hw, FBNIC_TCE_TXB_TX_BMC_Q_CTRL,
		   FBNIC_FIELD_PREP(FBNIC_TCE_TXB_Q_CTRL_SIZE, 0x200) |
		   FBNIC_FIELD_PREP(FBNIC_TCE_TXB_Q_CTRL_START, 0x400));
	fbnic_wr32(hw, FBNIC_TCE_TXB_RX_BMC_Q_CTRL,
		   FBNIC_FIELD_PREP(FBNIC_TCE_TXB_Q_CTRL_SIZE, 0x200) |
		   FBNIC_FIELD_PREP(FBNIC_TCE_TXB_Q_CTRL_START, 0x600));

	/* TSO: increment IP ID; flags cleared in first / middle / last segment. */
	fbnic_wr32(hw, FBNIC_TCE_LSO_CTRL,
		   FBNIC_TCE_LSO_CTRL_IPID_MODE_INC |
		   FBNIC_FIELD_PREP(FBNIC_TCE_LSO_CTRL_TCPF_CLR_1ST,
				    FBNIC_TCP_PSH | FBNIC_TCP_FIN) |
		   FBNIC_FIELD_PREP(FBNIC_TCE_LSO_CTRL_TCPF_CLR_MID,
				    FBNIC_TCP_PSH | FBNIC_TCP_CWR | FBNIC_TCP_FIN) |
		   FBNIC_FIELD_PREP(FBNIC_TCE_LSO_CTRL_TCPF_CLR_END, FBNIC_TCP_CWR));
	fbnic_wr32(hw, FBNIC_TCE_CSO_CTRL, 0);

	fbnic_wr32(hw, FBNIC_TCE_BMC_MAX_PKTSZ,
		   FBNIC_FIELD_PREP(FBNIC_TCE_BMC_MAX_PKTSZ_TX, FBNIC_MAX_FRAME_SIZE) |
		   FBNIC_FIELD_PREP(FBNIC_TCE_BMC_MAX_PKTSZ_RX, FBNIC_MAX_FRAME_SIZE));
	fbnic_wr32(hw, FBNIC_TCE_MC_MAX_PKTSZ,
		   FBNIC_FIELD_PREP(FBNIC_TCE_MC_MAX_PKTSZ_TMI, FBNIC_MAX_FRAME_SIZE));

	/* Calendar: TMI first in slots 0-62, BMC first in slot 63. */
	for (i = 0; i < FBNIC_TCE_TXB_CLDR_SLOT_CFG_CNT; i++)
		fbnic_wr32(hw, FBNIC_TCE_TXB_CLDR_SLOT_CFG(i),
			   i == 15 ? 0x1e1b1b1b : 0x1b1b1b1b);

	fbnic_wr32(hw, FBNIC_TCE_TXB_ENQ_WRR_CTRL,
		   FBNIC_FIELD_PREP(FBNIC_TCE_TXB_ENQ_WRR_CTRL_WEIGHT0, 0x64) |
		   FBNIC_FIELD_PREP(FBNIC_TCE_TXB_ENQ_WRR_CTRL_WEIGHT2, 0x04));
	fbnic_wr32(hw, FBNIC_TCE_TXB_TEI_DWRR_CTRL, 0);
	fbnic_wr32(hw, FBNIC_TCE_TXB_TEI_DWRR_CTRL_EXT, 0);
	fbnic_wr32(hw, FBNIC_TCE_TXB_BMC_DWRR_CTRL,
		   FBNIC_FIELD_PREP(FBNIC_TCE_TXB_BMC_DWRR_CTRL_QUANTUM0, 0x50) |
		   FBNIC_FIELD_PREP(FBNIC_TCE_TXB_BMC_DWRR_CTRL_QUANTUM1, 0x82));
	fbnic_wr32(hw, FBNIC_TCE_TXB_BMC_DWRR_CTRL_EXT, 0);
	fbnic_wr32(hw, FBNIC_TCE_TXB_NTWRK_DWRR_CTRL,
		   FBNIC_FIELD_PREP(FBNIC_TCE_TXB_NTWRK_DWRR_CTRL_QUANTUM1, 0x50) |
		   FBNIC_FIELD_PREP(FBNIC_TCE_TXB_NTWRK_DWRR_CTRL_QUANTUM2, 0x20));
	fbnic_wr32(hw, FBNIC_TCE_TXB_NTWRK_DWRR_CTRL_EXT,
		   FBNIC_FIELD_PREP(FBNIC_TCE_TXB_NTWRK_DWRR_CTRL_QUANTUM2, 0x03));

	fbnic_wr32(hw, FBNIC_TCE_SOP_PROT_CTRL,
		   FBNIC_FIELD_PREP(FBNIC_TCE_SOP_PROT_CTRL_TBI, 0x78) |
		   FBNIC_FIELD_PREP(FBNIC_TCE_SOP_PROT_CTRL_TTI_FRM, 0x40) |
		   FBNIC_FIELD_PREP(FBNIC_TCE_SOP_PROT_CTRL_TTI_CM, 0x0c));
	/* Minimum SOP FIFO depth (64 B units) before frames go to the MAC. */
	fbnic_wr32(hw, FBNIC_TMI_SOP_PROT_CTRL, 8);

	fbnic_hw_flush(hw);
	fbnic_wr32(hw, FBNIC_TCE_TXB_CTRL,
		   FBNIC_TCE_TXB_CTRL_TCAM_ENABLE | FBNIC_TCE_TXB_CTRL_LOAD);
}

void
fbnic_init_regs(struct fbnic_hw *hw)
{
	fbnic_init_axi(hw);
	fbnic_init_qm(hw);
	fbnic_init_rxb(hw);
	fbnic_init_txb(hw);
}

int
fbnic_link_mode_from_fw(uint32_t fw_mode, uint32_t fw_fec, uint8_t *aui, uint8_t *fec)
{
	switch (fw_mode) {
	case FBNIC_FW_LINK_MODE_25CR:
		*aui = FBNIC_AUI_25GAUI;
		break;
	case FBNIC_FW_LINK_MODE_50CR2:
		*aui = FBNIC_AUI_LAUI2;
		break;
	case FBNIC_FW_LINK_MODE_50CR:
		/* PAM4 modes always run RS-FEC. */
		*aui = FBNIC_AUI_50GAUI1;
		*fec = FBNIC_FEC_RS;
		return 0;
	case FBNIC_FW_LINK_MODE_100CR2:
		*aui = FBNIC_AUI_100GAUI2;
		*fec = FBNIC_FEC_RS;
		return 0;
	default:
		*aui = FBNIC_AUI_UNKNOWN;
		return -EINVAL;
	}

	switch (fw_fec) {
	case FBNIC_FW_LINK_FEC_NONE:
		*fec = FBNIC_FEC_OFF;
		break;
	case FBNIC_FW_LINK_FEC_BASER:
		*fec = FBNIC_FEC_BASER;
		break;
	default:
		*fec = FBNIC_FEC_RS;
		break;
	}
	return 0;
}

uint32_t
fbnic_link_speed_mbps(uint8_t aui)
{
	switch (aui) {
	case FBNIC_AUI_25GAUI:
		return 25000;
	case FBNIC_AUI_LAUI2:
	case FBNIC_AUI_50GAUI1:
		return 50000;
	case FBNIC_AUI_100GAUI2:
		return 100000;
	default:
		return 0;
	}
}

/* COMMAND_CONFIG common to link up and down. */
static uint32_t
fbnic_mac_cmd_config(struct fbnic_hw *hw, bool tx_pause, bool rx_pause)
{
	/* The MAC stays promiscuous: DA filtering happens in the RPC TCAM. */
	uint32_t cmd = FBNIC_MAC_COMMAND_CONFIG_TX_PAD_EN | FBNIC_MAC_COMMAND_CONFIG_PROMISC_EN;

	if (!tx_pause)
		cmd |= FBNIC_MAC_COMMAND_CONFIG_TX_PAUSE_DIS;
	if (!rx_pause)
		cmd |= FBNIC_MAC_COMMAND_CONFIG_RX_PAUSE_DIS;
	if (hw->link_fec == FBNIC_FEC_OFF)
		cmd |= FBNIC_MAC_COMMAND_CONFIG_FLT_HDL_DIS;
	return cmd;
}

#define FBNIC_SIG_MAC_IN0_RESETS \
	(FBNIC_SIG_MAC_IN0_RESET_FF_TX_CLK | FBNIC_SIG_MAC_IN0_RESET_TX_CLK | \
	 FBNIC_SIG_MAC_IN0_RESET_FF_RX_CLK | FBNIC_SIG_MAC_IN0_RESET_RX_CLK)

void
fbnic_mac_link_down(struct fbnic_hw *hw)
{
	uint32_t cmd = fbnic_mac_cmd_config(hw, false, false);
	uint32_t sig = fbnic_rd32(hw, FBNIC_SIG_MAC_IN0);

	fbnic_wr32(hw, FBNIC_SIG_MAC_IN0, sig | FBNIC_SIG_MAC_IN0_RESETS);
	fbnic_wr32(hw, FBNIC_MAC_COMMAND_CONFIG, cmd);
	hw->link_up = false;
}

static void
fbnic_mac_tx_pause_config(struct fbnic_hw *hw, bool tx_pause)
{
	uint32_t v = fbnic_rd32(hw, FBNIC_RXB_PAUSE_DROP_CTRL);

	v &= ~FBNIC_RXB_PAUSE_DROP_CTRL_PAUSE_ENABLE;
	if (tx_pause)
		v |= FBNIC_FIELD_PREP(FBNIC_RXB_PAUSE_DROP_CTRL_PAUSE_ENABLE,
				      FBNIC_RXB_PAUSE_EN_MASK);
	fbnic_wr32(hw, FBNIC_RXB_PAUSE_DROP_CTRL, v);
}

static uint16_t
fbnic_mac_ps_timeout(struct fbnic_hw *hw, bool enable)
{
	return enable && hw->ps_timeout_ms ? hw->ps_timeout_ms : FBNIC_MAC_PS_TIMEOUT_DEFAULT_MS;
}

/* Program the storm timer with FORCE_NORMAL pulsed, re-arming the guard. */
static void
fbnic_mac_ps_timer_reset(struct fbnic_hw *hw, uint16_t timeout_ms)
{
	uint32_t thld = (uint32_t)FBNIC_FIELD_PREP(FBNIC_RXB_PAUSE_STORM_THLD_TIME,
						   (uint32_t)timeout_ms * 100);

	fbnic_wr32(hw, FBNIC_RXB_PAUSE_STORM_UNIT_WR, FBNIC_RXB_PS_CLK_DIV);
	fbnic_wr32(hw, FBNIC_RXB_PAUSE_STORM(0), thld | FBNIC_RXB_PAUSE_STORM_FORCE_NORMAL);
	fbnic_hw_flush(hw);
	fbnic_wr32(hw, FBNIC_RXB_PAUSE_STORM(0), thld);
}

/* Pause-storm guard: timer programming, PS_ENABLE and its interrupt mask. */
static void
fbnic_mac_ps_protect_config(struct fbnic_hw *hw, bool enable)
{
	uint32_t v;

	enable = enable && hw->ps_timeout_ms;
	fbnic_mac_ps_timer_reset(hw, fbnic_mac_ps_timeout(hw, enable));

	v = fbnic_rd32(hw, FBNIC_RXB_PAUSE_DROP_CTRL);
	v &= ~FBNIC_RXB_PAUSE_DROP_CTRL_PS_ENABLE;
	if (enable)
		v |= FBNIC_FIELD_PREP(FBNIC_RXB_PAUSE_DROP_CTRL_PS_ENABLE, FBNIC_RXB_PS_EN_MASK);
	fbnic_wr32(hw, FBNIC_RXB_PAUSE_DROP_CTRL, v);

	/* Clear a stale storm status, then unmask it only when guarding. */
	fbnic_wr32(hw, FBNIC_RXB_ERR_INTR_STS,
		   FBNIC_FIELD_PREP(FBNIC_RXB_ERR_INTR_STS_PS, FBNIC_RXB_PS_EN_MASK));
	v = fbnic_rd32(hw, FBNIC_RXB_ERR_INTR_MASK) | FBNIC_RXB_ERR_INTR_STS_PS;
	if (enable)
		v &= ~FBNIC_RXB_ERR_INTR_STS_PS;
	fbnic_wr32(hw, FBNIC_RXB_ERR_INTR_MASK, v);
}

bool
fbnic_mac_ps_protect_handler(struct fbnic_hw *hw)
{
	uint32_t net = (uint32_t)FBNIC_FIELD_PREP(FBNIC_RXB_ERR_INTR_STS_PS, FBNIC_RXB_PS_EN_MASK);

	if (hw->ps_timeout_ms == 0 || !fbnic_mac_tx_pause_enabled(hw))
		return false;
	if (!(fbnic_rd32(hw, FBNIC_RXB_ERR_INTR_STS) & net) || hw->removed)
		return false;
	fbnic_wr32(hw, FBNIC_RXB_ERR_INTR_STS, net);
	fbnic_mac_ps_timer_reset(hw, hw->ps_timeout_ms);
	return true;
}

void
fbnic_mac_link_up(struct fbnic_hw *hw, bool tx_pause, bool rx_pause)
{
	uint32_t cmd, sig;

	fbnic_mac_tx_pause_config(hw, tx_pause);
	fbnic_mac_ps_protect_config(hw, tx_pause);

	cmd = fbnic_mac_cmd_config(hw, tx_pause, rx_pause) |
	      FBNIC_MAC_COMMAND_CONFIG_RX_ENA | FBNIC_MAC_COMMAND_CONFIG_TX_ENA;
	sig = fbnic_rd32(hw, FBNIC_SIG_MAC_IN0) & ~FBNIC_SIG_MAC_IN0_RESETS;

	fbnic_wr32(hw, FBNIC_SIG_MAC_IN0, sig);
	fbnic_wr32(hw, FBNIC_MAC_COMMAND_CONFIG, cmd);
	hw->tx_pause = tx_pause;
	hw->rx_pause = rx_pause;
	hw->link_up = true;
}

void
fbnic_mac_pause_thresholds(struct fbnic_hw *hw, uint32_t *on, uint32_t *off)
{
	uint32_t v = fbnic_rd32(hw, FBNIC_RXB_PAUSE_THLD(FBNIC_RXB_FIFO_HOST));

	/* Both fields count 64-byte units of the FIFO. */
	*on = (uint32_t)FBNIC_FIELD_GET(FBNIC_RXB_PAUSE_THLD_ON, v) * 64;
	*off = (uint32_t)FBNIC_FIELD_GET(FBNIC_RXB_PAUSE_THLD_OFF, v) * 64;
}

uint16_t
fbnic_mac_pause_quanta(struct fbnic_hw *hw)
{
	return (uint16_t)fbnic_rd32(hw, FBNIC_MAC_CL01_PAUSE_QUANTA);
}

bool
fbnic_mac_tx_pause_enabled(struct fbnic_hw *hw)
{
	return !(fbnic_rd32(hw, FBNIC_MAC_COMMAND_CONFIG) & FBNIC_MAC_COMMAND_CONFIG_TX_PAUSE_DIS);
}

/* Lock pattern a healthy link shows for a mode/FEC pair; 0 when impossible. */
static uint32_t
fbnic_pcs_lane_mask(uint8_t aui, uint8_t fec)
{
	switch (aui) {
	case FBNIC_AUI_100GAUI2:
		return 0xf;
	case FBNIC_AUI_50GAUI1:
		return 0x3;
	case FBNIC_AUI_LAUI2:
		switch (fec) {
		case FBNIC_FEC_OFF:
			return 0x63;
		case FBNIC_FEC_RS:
			return 0x5;
		case FBNIC_FEC_BASER:
			return 0xf;
		default:
			return 0;
		}
	case FBNIC_AUI_25GAUI:
		return 0x1;
	default:
		return 0;
	}
}

/* Instantaneous PCS state: LINK bit and the lock field exactly as 8 requires. */
static bool
fbnic_pcs_link_status(struct fbnic_hw *hw, uint8_t aui, uint8_t fec)
{
	uint32_t out0 = fbnic_rd32(hw, FBNIC_SIG_PCS_OUT0);
	uint32_t want = fbnic_pcs_lane_mask(aui, fec);
	uint32_t lock;

	if (hw->removed || !(out0 & FBNIC_SIG_PCS_OUT0_LINK) || want == 0)
		return false;

	switch (fec) {
	case FBNIC_FEC_OFF:
		lock = (uint32_t)FBNIC_FIELD_GET(FBNIC_SIG_PCS_OUT0_BLOCK_LOCK, out0);
		break;
	case FBNIC_FEC_RS:
		lock = (uint32_t)FBNIC_FIELD_GET(FBNIC_SIG_PCS_OUT0_AMPS_LOCK, out0);
		break;
	case FBNIC_FEC_BASER:
		lock = (uint32_t)FBNIC_FIELD_GET(FBNIC_SIG_PCS_OUT1_FCFEC_LOCK,
						 fbnic_rd32(hw, FBNIC_SIG_PCS_OUT1));
		break;
	default:
		return false;
	}
	/* Exactly the expected lanes: a missing or an extra lock is no link. */
	return lock == want;
}

/*
 * Training hold-off: report link only after hw->link_hold_off_ms of
 * continuous PCS link, restarting on every loss.
 */
static bool
fbnic_pmd_update(struct fbnic_hw *hw, bool pcs_link)
{
	uint64_t now;

	if (!pcs_link) {
		hw->pmd_state = FBNIC_PMD_INITIALIZE;
		return false;
	}

	now = fbnic_osdep_time_ms();
	switch (hw->pmd_state) {
	case FBNIC_PMD_SEND_DATA:
		return true;
	case FBNIC_PMD_TRAINING:
		if (now < hw->pmd_training_end_ms)
			return false;
		hw->pmd_state = FBNIC_PMD_SEND_DATA;
		return true;
	default:
		break;
	}

	if (hw->link_hold_off_ms == 0) {
		hw->pmd_state = FBNIC_PMD_SEND_DATA;
		return true;
	}
	hw->pmd_training_end_ms = now + hw->link_hold_off_ms;
	hw->pmd_state = FBNIC_PMD_TRAINING;
	return false;
}

void
fbnic_pcs_prepare(struct fbnic_hw *hw)
{
	fbnic_wr32(hw, FBNIC_SIG_PCS_INTR_MASK, UINT32_MAX);
	fbnic_wr32(hw, FBNIC_SIG_PCS_INTR_STS, UINT32_MAX);

	if (!fbnic_pcs_link_status(hw, hw->link_aui, hw->link_fec))
		hw->pmd_state = FBNIC_PMD_INITIALIZE;
}

bool
fbnic_pcs_link_check(struct fbnic_hw *hw, uint8_t aui, uint8_t fec)
{
	bool link;

	/* Writing ones clears latched values; a live link sets them again. */
	fbnic_wr32(hw, FBNIC_SIG_PCS_OUT0,
		   FBNIC_SIG_PCS_OUT0_LINK | FBNIC_SIG_PCS_OUT0_BLOCK_LOCK |
		   FBNIC_SIG_PCS_OUT0_AMPS_LOCK);
	fbnic_wr32(hw, FBNIC_SIG_PCS_OUT1, FBNIC_SIG_PCS_OUT1_FCFEC_LOCK);
	fbnic_hw_flush(hw);

	fbnic_wr32(hw, FBNIC_SIG_PCS_INTR_STS,
		   FBNIC_SIG_PCS_INTR_LINK_DOWN | FBNIC_SIG_PCS_INTR_LINK_UP);

	link = fbnic_pmd_update(hw, fbnic_pcs_link_status(hw, aui, fec));

	/* From now on only link changes interrupt, on vector 1. */
	fbnic_wr32(hw, FBNIC_SIG_PCS_INTR_MASK,
		   ~(FBNIC_SIG_PCS_INTR_LINK_DOWN | FBNIC_SIG_PCS_INTR_LINK_UP));
	fbnic_wr32(hw, FBNIC_INTR_MASK_CLEAR(0), 1u << FBNIC_PCS_MSIX_VECTOR);
	return link;
}

void
fbnic_pcs_irq_enable(struct fbnic_hw *hw, unsigned int vector)
{
	fbnic_wr32(hw, FBNIC_INTR_MSIX_CTRL(FBNIC_INTR_MSIX_CTRL_PCS_IDX),
		   FBNIC_FIELD_PREP(FBNIC_INTR_MSIX_CTRL_VECTOR_MASK, vector) |
		   FBNIC_INTR_MSIX_CTRL_ENABLE);
	fbnic_wr32(hw, FBNIC_INTR_MSIX_CTRL(FBNIC_INTR_MSIX_CTRL_RXB_IDX), 0);
}

void
fbnic_pcs_irq_disable(struct fbnic_hw *hw)
{
	fbnic_wr32(hw, FBNIC_INTR_MSIX_CTRL(FBNIC_INTR_MSIX_CTRL_PCS_IDX),
		   FBNIC_FIELD_PREP(FBNIC_INTR_MSIX_CTRL_VECTOR_MASK, FBNIC_PCS_MSIX_VECTOR));
	fbnic_hw_flush(hw);
	fbnic_wr32(hw, FBNIC_INTR_MASK_SET(0), 1u << FBNIC_PCS_MSIX_VECTOR);
}

/*
 * MMD 3 register r of XPCS instance inst lives at PCS_PAGE(inst) + r', where
 * r' moves the Synopsys vendor bit 15 down to bit 9. Addresses with any of
 * bits 14:9 set have no backing register.
 */
#define FBNIC_XPCS_ZERO_MASK	0x7e00u
#define FBNIC_XPCS_PAGE_VENDOR	0x0200u

static bool
fbnic_xpcs_word(unsigned int inst, uint32_t reg, uint32_t *idx)
{
	uint32_t r = reg & 0xffff;

	if (inst >= FBNIC_XPCS_INSTANCES || (r & FBNIC_XPCS_ZERO_MASK))
		return false;
	if (r & FBNIC_XPCS_DW_VENDOR)
		r = (r & ~FBNIC_XPCS_DW_VENDOR) | FBNIC_XPCS_PAGE_VENDOR;
	*idx = FBNIC_PCS_PAGE(inst) + r;
	return true;
}

/* XPCS access through the PCS pages, as Linux's software MDIO bus maps it. */
static uint16_t
fbnic_xpcs_read(struct fbnic_hw *hw, unsigned int inst, uint32_t reg)
{
	uint32_t idx;

	if (!fbnic_xpcs_word(inst, reg, &idx))
		return 0;
	return (uint16_t)fbnic_rd32(hw, idx);
}

static void
fbnic_xpcs_write(struct fbnic_hw *hw, unsigned int inst, uint32_t reg, uint16_t val)
{
	uint32_t idx;

	if (fbnic_xpcs_word(inst, reg, &idx))
		fbnic_wr32(hw, idx, val);
}

static int
fbnic_xpcs_speed_bits(uint8_t aui, uint16_t *bits)
{
	switch (aui) {
	case FBNIC_AUI_25GAUI:
		*bits = FBNIC_XPCS_CTRL1_SPEED25G;
		return 0;
	case FBNIC_AUI_LAUI2:
	case FBNIC_AUI_50GAUI1:
		*bits = FBNIC_XPCS_CTRL1_SPEED50G;
		return 0;
	case FBNIC_AUI_100GAUI2:
		*bits = FBNIC_XPCS_CTRL1_SPEED100G;
		return 0;
	default:
		return -EINVAL;
	}
}

int
fbnic_pcs_setup(struct fbnic_hw *hw)
{
	uint16_t speed, ctrl1;

	if (fbnic_xpcs_speed_bits(hw->link_aui, &speed) != 0) {
		FBNIC_BASE_LOG(ERR, "port %u: unknown link mode %u", hw->port_id, hw->link_aui);
		return -EINVAL;
	}

	/*
	 * Firmware trains the PMD and owns the PCS: like Linux's XPCS driver for
	 * this PMA, never soft-reset it. Only fix the speed selection if it does
	 * not match the mode firmware reported.
	 */
	ctrl1 = fbnic_xpcs_read(hw, 0, FBNIC_XPCS_CTRL1);
	if (hw->removed)
		return -ENODEV;
	if ((ctrl1 & FBNIC_XPCS_CTRL1_SPEEDSEL) != speed) {
		FBNIC_BASE_LOG(DEBUG, "port %u: PCS CTRL1 0x%04x, setting speed bits 0x%04x",
			       hw->port_id, ctrl1, speed);
		ctrl1 &= (uint16_t)~(FBNIC_XPCS_CTRL1_SPEEDSEL | FBNIC_XPCS_CTRL1_RESET);
		fbnic_xpcs_write(hw, 0, FBNIC_XPCS_CTRL1, ctrl1 | speed);
	}
	return 0;
}

int
fbnic_pcs_loopback(struct fbnic_hw *hw, bool on)
{
	uint16_t ctrl1 = fbnic_xpcs_read(hw, 0, FBNIC_XPCS_CTRL1);

	if (hw->removed)
		return -ENODEV;
	ctrl1 &= (uint16_t)~(FBNIC_XPCS_CTRL1_LOOPBACK | FBNIC_XPCS_CTRL1_RESET);
	if (on)
		ctrl1 |= FBNIC_XPCS_CTRL1_LOOPBACK;
	fbnic_xpcs_write(hw, 0, FBNIC_XPCS_CTRL1, ctrl1);
	fbnic_hw_flush(hw);
	return 0;
}
