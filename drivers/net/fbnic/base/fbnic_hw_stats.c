/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

#include "fbnic_hw_stats.h"

#define S64(n, r, off)	{ .name = (n), .reg = (r), .hi_off = (off), .kind = FBNIC_STAT_64 }
#define S32(n, r)	{ .name = (n), .reg = (r), .hi_off = 0, .kind = FBNIC_STAT_32 }
#define SCOR(n, r)	{ .name = (n), .reg = (r), .hi_off = 1, .kind = FBNIC_STAT_COR_16X2 }
#define SGAUGE(n, r)	{ .name = (n), .reg = (r), .hi_off = 0, .kind = FBNIC_STAT_GAUGE }
/* MAC_STAT and most 64-bit counters keep the high word right after the low one. */
#define MAC64(n, r)	S64(n, r, 1)

#define RXB_FIFO(i) \
	S32("rxb_fifo" #i "_drop_frames", FBNIC_RXB_DROP_FRMS_STS(i)), \
	S64("rxb_fifo" #i "_drop_bytes", FBNIC_RXB_DROP_BYTES_STS_L(i), 1), \
	S32("rxb_fifo" #i "_trunc_frames", FBNIC_RXB_TRUN_FRMS_STS(i)), \
	S64("rxb_fifo" #i "_trunc_bytes", FBNIC_RXB_TRUN_BYTES_STS_L(i), 1), \
	S32("rxb_fifo" #i "_pause_transitions", FBNIC_RXB_TRANS_PAUSE_STS(i)), \
	S32("rxb_fifo" #i "_drop_transitions", FBNIC_RXB_TRANS_DROP_STS(i)), \
	S32("rxb_fifo" #i "_ecn_transitions", FBNIC_RXB_TRANS_ECN_STS(i)), \
	SGAUGE("rxb_fifo" #i "_level", FBNIC_RXB_PBUF_FIFO_LEVEL(i))

/* RXB interface i: frames in (enqueue side) and out (dequeue side). */
#define RXB_INTF(i) \
	S32("rxb_in" #i "_frames", FBNIC_RXB_DRBO_FRM_CNT_SRC(i)), \
	S64("rxb_in" #i "_bytes", FBNIC_RXB_DRBO_BYTE_CNT_SRC_L(i), 4), \
	S32("rxb_in" #i "_integrity_errors", FBNIC_RXB_INTEGRITY_ERR(i)), \
	S32("rxb_in" #i "_mac_errors", FBNIC_RXB_MAC_ERR(i)), \
	S32("rxb_in" #i "_parser_errors", FBNIC_RXB_PARSER_ERR(i)), \
	S32("rxb_in" #i "_framing_errors", FBNIC_RXB_FRM_ERR(i)), \
	S32("rxb_out" #i "_frames", FBNIC_RXB_INTF_FRM_CNT_DST(i)), \
	S64("rxb_out" #i "_bytes", FBNIC_RXB_INTF_BYTE_CNT_DST_L(i), 4), \
	S32("rxb_out" #i "_pbuf_frames", FBNIC_RXB_PBUF_FRM_CNT_DST(i)), \
	S64("rxb_out" #i "_pbuf_bytes", FBNIC_RXB_PBUF_BYTE_CNT_DST_L(i), 4)

static const struct fbnic_stat_desc fbnic_dev_stats[] = {
	/* MAC receive (fbnic_hw.rst 9, MAC_STAT) */
	MAC64("mac_rx_ok_frames", FBNIC_MAC_STAT_RX_RECEIVED_OK_L),
	MAC64("mac_rx_ok_bytes", FBNIC_MAC_STAT_RX_BYTE_COUNT_L),
	MAC64("mac_rx_xoff_frames", FBNIC_MAC_STAT_RX_XOFF_STB_L),
	MAC64("mac_rx_align_errors", FBNIC_MAC_STAT_RX_ALIGN_ERROR_L),
	MAC64("mac_rx_too_long_errors", FBNIC_MAC_STAT_RX_TOOLONG_L),
	MAC64("mac_rx_fcs_errors", FBNIC_MAC_STAT_RX_PACKET_BAD_FCS_L),
	MAC64("mac_rx_if_errors", FBNIC_MAC_STAT_RX_IFINERRORS_L),
	MAC64("mac_rx_multicast_frames", FBNIC_MAC_STAT_RX_MULTICAST_L),
	MAC64("mac_rx_broadcast_frames", FBNIC_MAC_STAT_RX_BROADCAST_L),
	MAC64("mac_rx_undersize_frames", FBNIC_MAC_STAT_RX_UNDERSIZE_L),
	MAC64("mac_rx_size_64_frames", FBNIC_MAC_STAT_RX_PACKET_64_BYTES_L),
	MAC64("mac_rx_size_65_127_frames", FBNIC_MAC_STAT_RX_PACKET_65_127_BYTES_L),
	MAC64("mac_rx_size_128_255_frames", FBNIC_MAC_STAT_RX_PACKET_128_255_BYTES_L),
	MAC64("mac_rx_size_256_511_frames", FBNIC_MAC_STAT_RX_PACKET_256_511_BYTES_L),
	MAC64("mac_rx_size_512_1023_frames", FBNIC_MAC_STAT_RX_PACKET_512_1023_BYTES_L),
	MAC64("mac_rx_size_1024_1518_frames", FBNIC_MAC_STAT_RX_PACKET_1024_1518_BYTES_L),
	MAC64("mac_rx_size_1519_max_frames", FBNIC_MAC_STAT_RX_PACKET_1519_MAX_BYTES_L),
	MAC64("mac_rx_oversize_frames", FBNIC_MAC_STAT_RX_OVERSIZE_L),
	MAC64("mac_rx_jabber_frames", FBNIC_MAC_STAT_RX_JABBER_L),
	MAC64("mac_rx_fragment_frames", FBNIC_MAC_STAT_RX_FRAGMENT_L),
	MAC64("mac_rx_control_frames", FBNIC_MAC_STAT_RX_CONTROL_FRAMES_L),
	/* Jumbo bins kept by the RPC */
	MAC64("rpc_rx_size_1519_2047_frames", FBNIC_RPC_STAT_RX_PACKET_1519_2047_BYTES_L),
	MAC64("rpc_rx_size_2048_4095_frames", FBNIC_RPC_STAT_RX_PACKET_2048_4095_BYTES_L),
	MAC64("rpc_rx_size_4096_8191_frames", FBNIC_RPC_STAT_RX_PACKET_4096_8191_BYTES_L),
	MAC64("rpc_rx_size_8192_9216_frames", FBNIC_RPC_STAT_RX_PACKET_8192_9216_BYTES_L),
	MAC64("rpc_rx_size_9217_max_frames", FBNIC_RPC_STAT_RX_PACKET_9217_MAX_BYTES_L),

	/* MAC transmit */
	MAC64("mac_tx_ok_frames", FBNIC_MAC_STAT_TX_TRANSMITTED_OK_L),
	MAC64("mac_tx_ok_bytes", FBNIC_MAC_STAT_TX_BYTE_COUNT_L),
	MAC64("mac_tx_xoff_frames", FBNIC_MAC_STAT_TX_XOFF_STB_L),
	MAC64("mac_tx_if_errors", FBNIC_MAC_STAT_TX_IFOUTERRORS_L),
	MAC64("mac_tx_multicast_frames", FBNIC_MAC_STAT_TX_MULTICAST_L),
	MAC64("mac_tx_broadcast_frames", FBNIC_MAC_STAT_TX_BROADCAST_L),
	MAC64("mac_tx_size_64_frames", FBNIC_MAC_STAT_TX_PACKET_64_BYTES_L),
	MAC64("mac_tx_size_65_127_frames", FBNIC_MAC_STAT_TX_PACKET_65_127_BYTES_L),
	MAC64("mac_tx_size_128_255_frames", FBNIC_MAC_STAT_TX_PACKET_128_255_BYTES_L),
	MAC64("mac_tx_size_256_511_frames", FBNIC_MAC_STAT_TX_PACKET_256_511_BYTES_L),
	MAC64("mac_tx_size_512_1023_frames", FBNIC_MAC_STAT_TX_PACKET_512_1023_BYTES_L),
	MAC64("mac_tx_size_1024_1518_frames", FBNIC_MAC_STAT_TX_PACKET_1024_1518_BYTES_L),
	MAC64("mac_tx_size_1519_max_frames", FBNIC_MAC_STAT_TX_PACKET_1519_MAX_BYTES_L),
	MAC64("mac_tx_control_frames", FBNIC_MAC_STAT_TX_CONTROL_FRAMES_L),
	/* Jumbo bins kept by the TMI */
	MAC64("tmi_tx_size_1519_2047_frames", FBNIC_TMI_STAT_TX_PACKET_1519_2047_BYTES_L),
	MAC64("tmi_tx_size_2048_4095_frames", FBNIC_TMI_STAT_TX_PACKET_2048_4095_BYTES_L),
	MAC64("tmi_tx_size_4096_8191_frames", FBNIC_TMI_STAT_TX_PACKET_4096_8191_BYTES_L),
	MAC64("tmi_tx_size_8192_9216_frames", FBNIC_TMI_STAT_TX_PACKET_8192_9216_BYTES_L),
	MAC64("tmi_tx_size_9217_max_frames", FBNIC_TMI_STAT_TX_PACKET_9217_MAX_BYTES_L),

	/* RS-FEC engine 0 and PCS lanes: 16 + 16 bits, clear on read */
	SCOR("fec_corrected_blocks", FBNIC_RSFEC_CCW_LO(0)),
	SCOR("fec_uncorrectable_blocks", FBNIC_RSFEC_NCCW_LO(0)),
	SCOR("pcs_lane0_symbol_errors", FBNIC_PCS_SYMBLERR_LO(0)),
	SCOR("pcs_lane1_symbol_errors", FBNIC_PCS_SYMBLERR_LO(1)),
	SCOR("pcs_lane2_symbol_errors", FBNIC_PCS_SYMBLERR_LO(2)),
	SCOR("pcs_lane3_symbol_errors", FBNIC_PCS_SYMBLERR_LO(3)),

	/* TX MAC interface and TX classifier drops */
	S32("tmi_drop_frames", FBNIC_TMI_DROP_PKTS),
	S64("tmi_drop_bytes", FBNIC_TMI_DROP_BYTE_L, 1),
	S32("tmi_ptp_illegal_requests", FBNIC_TMI_ILLEGAL_PTP_REQS),
	S32("tmi_ptp_good_timestamps", FBNIC_TMI_GOOD_PTP_TS),
	S32("tmi_ptp_bad_timestamps", FBNIC_TMI_BAD_PTP_TS),
	S32("tti_cm_drop_frames", FBNIC_TCE_TTI_CM_DROP_PKTS),
	S64("tti_cm_drop_bytes", FBNIC_TCE_TTI_CM_DROP_BYTE_L, 1),
	S32("tti_frame_drop_frames", FBNIC_TCE_TTI_FRAME_DROP_PKTS),
	S64("tti_frame_drop_bytes", FBNIC_TCE_TTI_FRAME_DROP_BYTE_L, 1),
	S32("tbi_drop_frames", FBNIC_TCE_TBI_DROP_PKTS),
	S64("tbi_drop_bytes", FBNIC_TCE_TBI_DROP_BYTE_L, 1),

	/* RX parser */
	S32("rpc_tcp_option_errors", FBNIC_RPC_CNTR_TCP_OPT_ERR),
	S32("rpc_unknown_ethertype", FBNIC_RPC_CNTR_UNKN_ETYPE),
	S32("rpc_ipv4_fragments", FBNIC_RPC_CNTR_IPV4_FRAG),
	S32("rpc_ipv6_fragments", FBNIC_RPC_CNTR_IPV6_FRAG),
	S32("rpc_ipv4_esp", FBNIC_RPC_CNTR_IPV4_ESP),
	S32("rpc_ipv6_esp", FBNIC_RPC_CNTR_IPV6_ESP),
	S32("rpc_unknown_ext_header", FBNIC_RPC_CNTR_UNKN_EXT_HDR),
	S32("rpc_out_of_header_errors", FBNIC_RPC_CNTR_OUT_OF_HDR_ERR),
	S32("rpc_oversize_errors", FBNIC_RPC_CNTR_OVR_SIZE_ERR),

	/* RX buffer FIFOs and interfaces */
	RXB_FIFO(0), RXB_FIFO(1), RXB_FIFO(2), RXB_FIFO(3),
	RXB_FIFO(4), RXB_FIFO(5), RXB_FIFO(6), RXB_FIFO(7),
	RXB_INTF(0), RXB_INTF(1), RXB_INTF(2), RXB_INTF(3),
	S32("rxb_in0_pause_storms", FBNIC_RXB_INTR_PS_COUNT(0)),
	S32("rxb_in1_pause_storms", FBNIC_RXB_INTR_PS_COUNT(1)),

	/* PCIe outbound traffic */
	S64("pcie_ob_rd_tlp", FBNIC_PUL_USER_OB_RD_TLP_CNT_31_0, 1),
	S64("pcie_ob_rd_dwords", FBNIC_PUL_USER_OB_RD_DWORD_CNT_31_0, 1),
	S64("pcie_ob_wr_tlp", FBNIC_PUL_USER_OB_WR_TLP_CNT_31_0, 1),
	S64("pcie_ob_wr_dwords", FBNIC_PUL_USER_OB_WR_DWORD_CNT_31_0, 1),
	S64("pcie_ob_cpl_tlp", FBNIC_PUL_USER_OB_CPL_TLP_CNT_31_0, 1),
	S64("pcie_ob_cpl_dwords", FBNIC_PUL_USER_OB_CPL_DWORD_CNT_31_0, 1),
	S64("pcie_ob_rd_no_tag", FBNIC_PUL_USER_OB_RD_DBG_CNT_TAG_31_0, 1),
	S64("pcie_ob_rd_no_cpl_credit", FBNIC_PUL_USER_OB_RD_DBG_CNT_CPL_CRED_31_0, 1),
	S64("pcie_ob_rd_no_np_credit", FBNIC_PUL_USER_OB_RD_DBG_CNT_NP_CRED_31_0, 1),
};

static const struct fbnic_stat_desc fbnic_q_stats[FBNIC_Q_STAT_NUM] = {
	[FBNIC_Q_STAT_RDE_PKT] = S32("rde_packets", FBNIC_QUEUE_RDE_PKT_CNT),
	[FBNIC_Q_STAT_RDE_PKT_ERR] = S32("rde_errors", FBNIC_QUEUE_RDE_PKT_ERR_CNT),
	[FBNIC_Q_STAT_RDE_CQ_DROP] = S32("rde_cq_drops", FBNIC_QUEUE_RDE_CQ_DROP_CNT),
	[FBNIC_Q_STAT_RDE_BDQ_DROP] = S32("rde_bdq_drops", FBNIC_QUEUE_RDE_BDQ_DROP_CNT),
};

unsigned int
fbnic_hw_stats_count(void)
{
	return FBNIC_ARRAY_SIZE(fbnic_dev_stats);
}

const struct fbnic_stat_desc *
fbnic_hw_stats_desc(unsigned int i)
{
	return i < FBNIC_ARRAY_SIZE(fbnic_dev_stats) ? &fbnic_dev_stats[i] : NULL;
}

const struct fbnic_stat_desc *
fbnic_q_stats_desc(unsigned int i)
{
	return i < FBNIC_Q_STAT_NUM ? &fbnic_q_stats[i] : NULL;
}

/* Index of a device counter by name, or -ENOENT. */
static int
fbnic_hw_stats_lookup(const char *name)
{
	unsigned int i;

	for (i = 0; i < FBNIC_ARRAY_SIZE(fbnic_dev_stats); i++)
		if (strcmp(fbnic_dev_stats[i].name, name) == 0)
			return (int)i;
	return -ENOENT;
}

/* Raw value of a counter as the baseline logic sees it. */
static uint64_t
fbnic_stat_read_raw(struct fbnic_hw *hw, const struct fbnic_stat_desc *d, uint32_t base)
{
	uint32_t reg = base + d->reg;

	switch (d->kind) {
	case FBNIC_STAT_64:
		return fbnic_rd64_hi_lo_hi(hw, reg, reg + d->hi_off);
	case FBNIC_STAT_COR_16X2: {
		/* Low half first: the pair is latched and cleared by these reads. */
		uint32_t lo = fbnic_rd32(hw, reg) & 0xffff;
		uint32_t hi = fbnic_rd32(hw, reg + 1) & 0xffff;

		return lo | (hi << 16);
	}
	default:
		return fbnic_rd32(hw, reg);
	}
}

static void
fbnic_stat_baseline(struct fbnic_hw *hw, const struct fbnic_stat_desc *d, uint32_t base,
		    struct fbnic_stat_counter *c)
{
	uint64_t raw = fbnic_stat_read_raw(hw, d, base);

	/* Clear-on-read counters start over by being read; gauges have no base. */
	c->last = d->kind == FBNIC_STAT_COR_16X2 || d->kind == FBNIC_STAT_GAUGE ? 0 : raw;
}

static void
fbnic_stat_update(struct fbnic_hw *hw, const struct fbnic_stat_desc *d, uint32_t base,
		  struct fbnic_stat_counter *c)
{
	uint64_t raw = fbnic_stat_read_raw(hw, d, base);

	switch (d->kind) {
	case FBNIC_STAT_64:
		c->value += raw - c->last;
		c->last = raw;
		break;
	case FBNIC_STAT_32:
		/* Unsigned 32-bit difference absorbs one wrap between reads. */
		c->value += (uint32_t)((uint32_t)raw - (uint32_t)c->last);
		c->last = raw;
		break;
	case FBNIC_STAT_COR_16X2:
		c->value += raw;
		break;
	default:
		c->value = raw;
		break;
	}
}

/* Walk every counter; only32 limits the walk to 32-bit and clear-on-read ones. */
static void
fbnic_stats_walk(struct fbnic_hw *hw, bool baseline, bool only32)
{
	struct fbnic_hw_stats *s = hw->stats;
	unsigned int i, q;

	/* A removed device reads all ones, which must not enter the counters. */
	if (hw->removed)
		return;

	for (i = 0; i < s->nb_dev; i++) {
		const struct fbnic_stat_desc *d = &fbnic_dev_stats[i];

		if (only32 && d->kind != FBNIC_STAT_32 && d->kind != FBNIC_STAT_COR_16X2)
			continue;
		if (baseline)
			fbnic_stat_baseline(hw, d, 0, &s->dev[i]);
		else
			fbnic_stat_update(hw, d, 0, &s->dev[i]);
	}
	for (q = 0; q < s->nb_queues; q++) {
		for (i = 0; i < FBNIC_Q_STAT_NUM; i++) {
			const struct fbnic_stat_desc *d = &fbnic_q_stats[i];

			if (baseline)
				fbnic_stat_baseline(hw, d, FBNIC_QUEUE(q), &s->q[q][i]);
			else
				fbnic_stat_update(hw, d, FBNIC_QUEUE(q), &s->q[q][i]);
		}
	}
}

int
fbnic_hw_stats_init(struct fbnic_hw *hw, unsigned int nb_queues)
{
	struct fbnic_hw_stats *s;

	if (hw->stats != NULL)
		return 0;
	if (nb_queues > FBNIC_MAX_QUEUES)
		return -EINVAL;
	s = fbnic_osdep_zmalloc("fbnic_hw_stats", sizeof(*s));
	if (s == NULL)
		goto nomem;
	s->dev = fbnic_osdep_zmalloc("fbnic_hw_stats_dev",
				     sizeof(*s->dev) * FBNIC_ARRAY_SIZE(fbnic_dev_stats));
	if (s->dev == NULL) {
		fbnic_osdep_free(s);
		goto nomem;
	}
	fbnic_osdep_lock_init(&s->lock);
	s->nb_dev = FBNIC_ARRAY_SIZE(fbnic_dev_stats);
	s->nb_queues = nb_queues;
	hw->stats = s;
	fbnic_hw_stats_reset(hw);
	return 0;
nomem:
	FBNIC_BASE_LOG(ERR, "port %u: no memory for counters", hw->port_id);
	return -ENOMEM;
}

void
fbnic_hw_stats_fini(struct fbnic_hw *hw)
{
	if (hw->stats == NULL)
		return;
	fbnic_osdep_free(hw->stats->dev);
	fbnic_osdep_free(hw->stats);
	hw->stats = NULL;
}

void
fbnic_hw_stats_reset(struct fbnic_hw *hw)
{
	struct fbnic_hw_stats *s = hw->stats;
	unsigned int i, q;

	fbnic_osdep_lock(&s->lock);
	for (i = 0; i < s->nb_dev; i++)
		s->dev[i].value = 0;
	for (q = 0; q < s->nb_queues; q++)
		for (i = 0; i < FBNIC_Q_STAT_NUM; i++)
			s->q[q][i].value = 0;
	fbnic_stats_walk(hw, true, false);
	fbnic_osdep_unlock(&s->lock);
}

void
fbnic_hw_stats_update(struct fbnic_hw *hw)
{
	fbnic_osdep_lock(&hw->stats->lock);
	fbnic_stats_walk(hw, false, false);
	fbnic_osdep_unlock(&hw->stats->lock);
}

void
fbnic_hw_stats_update32(struct fbnic_hw *hw)
{
	fbnic_osdep_lock(&hw->stats->lock);
	fbnic_stats_walk(hw, false, true);
	fbnic_osdep_unlock(&hw->stats->lock);
}

unsigned int
fbnic_hw_stats_get(struct fbnic_hw *hw, uint64_t *values, unsigned int n)
{
	struct fbnic_hw_stats *s = hw->stats;
	unsigned int i;

	if (n > s->nb_dev)
		n = s->nb_dev;
	fbnic_osdep_lock(&s->lock);
	for (i = 0; i < n; i++)
		values[i] = s->dev[i].value;
	fbnic_osdep_unlock(&s->lock);
	return n;
}

uint64_t
fbnic_hw_stats_queue(struct fbnic_hw *hw, unsigned int q, unsigned int stat)
{
	struct fbnic_hw_stats *s = hw->stats;

	if (q >= s->nb_queues || stat >= FBNIC_Q_STAT_NUM)
		return 0;
	return s->q[q][stat].value;
}

static uint64_t
fbnic_stat_by_name(struct fbnic_hw_stats *s, const char *name)
{
	int i = fbnic_hw_stats_lookup(name);

	return i < 0 ? 0 : s->dev[i].value;
}

void
fbnic_hw_stats_basic(struct fbnic_hw *hw, struct fbnic_hw_stats_basic *out)
{
	struct fbnic_hw_stats *s = hw->stats;
	unsigned int q;

	memset(out, 0, sizeof(*out));
	fbnic_osdep_lock(&s->lock);
	out->rx_missed = fbnic_stat_by_name(s, "rxb_fifo4_drop_frames") +
			 fbnic_stat_by_name(s, "rxb_fifo6_drop_frames");
	out->tx_dropped = fbnic_stat_by_name(s, "tmi_drop_frames") +
			  fbnic_stat_by_name(s, "tti_cm_drop_frames") +
			  fbnic_stat_by_name(s, "tti_frame_drop_frames") +
			  fbnic_stat_by_name(s, "tbi_drop_frames");
	out->rx_fcs_errors = fbnic_stat_by_name(s, "mac_rx_fcs_errors");
	out->rx_length_errors = fbnic_stat_by_name(s, "rpc_oversize_errors");
	out->mac_rx_frames = fbnic_stat_by_name(s, "mac_rx_ok_frames");
	out->mac_rx_bytes = fbnic_stat_by_name(s, "mac_rx_ok_bytes");
	out->mac_tx_frames = fbnic_stat_by_name(s, "mac_tx_ok_frames");
	out->mac_tx_bytes = fbnic_stat_by_name(s, "mac_tx_ok_bytes");
	for (q = 0; q < s->nb_queues; q++) {
		out->rx_over += s->q[q][FBNIC_Q_STAT_RDE_CQ_DROP].value +
				s->q[q][FBNIC_Q_STAT_RDE_BDQ_DROP].value;
		out->rx_errors += s->q[q][FBNIC_Q_STAT_RDE_PKT_ERR].value;
	}
	fbnic_osdep_unlock(&s->lock);
}
