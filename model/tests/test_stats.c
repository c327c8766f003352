/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

/*
 * Counter semantics of the model (fbnic_hw.rst 9): free-running 64-bit
 * counters as low/high pairs that read consistently across a carry,
 * clear-on-read 16+16 FEC and PCS counters, RXB per-interface and per-FIFO
 * counters following real frames, and counters that ignore writes.
 */

#include "fbm_harness.h"
#include "test_rpc_util.h"

static int
test_stat64_consistent_across_carry(void)
{
	struct fbm_dev *dev = t_dev_create(4, 2, 0);
	uint8_t f[64];
	uint32_t hi1, lo, hi2;

	memset(f, 0, sizeof(f));
	tk_frame_eth(f, t_own_mac, t_peer_mac, 0x88b5);
	wr(dev, FBNIC_MAC_COMMAND_CONFIG, FBNIC_MAC_COMMAND_CONFIG_RX_ENA);
	TEST_CHECK_EQUAL(fbm_mac_stat_preset(dev, FBNIC_MAC_STAT_RX_BYTE_COUNT_L, 0xfffffff0ull),
			 0);
	TEST_CHECK_EQUAL(fbm_mac_stat_preset(dev, FBNIC_MAC_STAT_RX_RECEIVED_OK_L, 0xffffffffull),
			 0);
	TEST_CHECK_EQUAL(fbm_mac_stat_preset(dev, FBNIC_MAC_STAT_RX_BYTE_COUNT_H, 0), -EINVAL);
	TEST_CHECK_EQUAL(fbm_mac_stat_preset(dev, FBNIC_RPC_RMI_CONFIG, 0), -EINVAL);
	TEST_CHECK_EQUAL(rd64(dev, FBNIC_MAC_STAT_RX_BYTE_COUNT_L, 1), 0xfffffff0ull);

	/* A reader between the two halves sees the high word move. */
	hi1 = rd(dev, FBNIC_MAC_STAT_RX_BYTE_COUNT_H);
	fbm_mac_rx_frame(dev, f, 60);
	lo = rd(dev, FBNIC_MAC_STAT_RX_BYTE_COUNT_L);
	hi2 = rd(dev, FBNIC_MAC_STAT_RX_BYTE_COUNT_H);
	TEST_CHECK_EQUAL(hi1, 0);
	TEST_CHECK_EQUAL(hi2, 1);
	TEST_CHECK_EQUAL(lo, 0x30);

	/* Quiet counters read back exactly with high, low, high. */
	TEST_CHECK_EQUAL(rd64(dev, FBNIC_MAC_STAT_RX_BYTE_COUNT_L, 1), 0x100000030ull);
	TEST_CHECK_EQUAL(rd64(dev, FBNIC_MAC_STAT_RX_RECEIVED_OK_L, 1), 0x100000000ull);
	fbm_mac_rx_frame(dev, f, 60);
	TEST_CHECK_EQUAL(rd64(dev, FBNIC_MAC_STAT_RX_BYTE_COUNT_L, 1), 0x100000070ull);
	TEST_CHECK_EQUAL(rd64(dev, FBNIC_MAC_STAT_RX_RECEIVED_OK_L, 1), 0x100000001ull);
	fbm_destroy(dev);
	return TEST_SUCCESS;
}

static int
test_fec_counters_clear_on_read(void)
{
	struct fbm_dev *dev = t_dev_create(4, 2, 0);

	fbm_mac_fec_inject(dev, 0x12345, 7, 0x10002);
	TEST_CHECK_EQUAL(rd(dev, FBNIC_RSFEC_CCW_LO(0)), 0x2345);	/* low first ... */
	TEST_CHECK_EQUAL(rd(dev, FBNIC_RSFEC_CCW_HI(0)), 0x1);		/* ... latches high */
	TEST_CHECK_EQUAL(rd(dev, FBNIC_RSFEC_CCW_LO(0)), 0);
	TEST_CHECK_EQUAL(rd(dev, FBNIC_RSFEC_CCW_HI(0)), 0);
	TEST_CHECK_EQUAL(rd(dev, FBNIC_RSFEC_NCCW_LO(0)), 7);
	TEST_CHECK_EQUAL(rd(dev, FBNIC_RSFEC_NCCW_HI(0)), 0);
	TEST_CHECK_EQUAL(rd(dev, FBNIC_PCS_SYMBLERR_LO(0)), 2);
	TEST_CHECK_EQUAL(rd(dev, FBNIC_PCS_SYMBLERR_HI(0)), 1);
	TEST_CHECK_EQUAL(rd(dev, FBNIC_PCS_SYMBLERR_LO(0)), 0);
	TEST_CHECK_EQUAL(rd(dev, FBNIC_PCS_SYMBLERR_LO(1)), 0);
	TEST_CHECK_EQUAL(rd(dev, FBNIC_RSFEC_CCW_LO(1)), 0);

	/* They saturate instead of wrapping. */
	fbm_mac_fec_inject(dev, 0xffffffff, 0, 0);
	fbm_mac_fec_inject(dev, 0xffffffff, 0, 0);
	TEST_CHECK_EQUAL(rd(dev, FBNIC_RSFEC_CCW_LO(0)), 0xffff);
	TEST_CHECK_EQUAL(rd(dev, FBNIC_RSFEC_CCW_HI(0)), 0xffff);

	/* Writes do not touch counters; control registers keep their value. */
	fbm_mac_fec_inject(dev, 5, 0, 0);
	wr(dev, FBNIC_RSFEC_CCW_LO(0), 0);
	TEST_CHECK_EQUAL(rd(dev, FBNIC_RSFEC_CCW_LO(0)), 5);
	wr(dev, FBNIC_RSFEC_CONTROL(0), 0x0203);
	TEST_CHECK_EQUAL(rd(dev, FBNIC_RSFEC_CONTROL(0)), 0x0203);
	fbm_destroy(dev);
	return TEST_SUCCESS;
}

static struct fbh *
harness(void)
{
	static struct fbh h;
	struct fbm_config cfg;

	fbh_config_default(&cfg);
	cfg.link_mode = 4;
	cfg.fec = 2;
	if (fbh_init(&h, &cfg, 0) != 0) {
		fprintf(stderr, "fbh_init failed\n");
		exit(2);
	}
	h.quiet = true;
	return &h;
}

/* RXB input/output counters follow delivered frames; FIFO 4 counts misses. */
static int
test_rxb_counts_delivered_and_missed_frames(void)
{
	struct fbh *h = harness();
	struct fbm_dev *dev = h->dev;
	uint8_t frame[256], got[256], own[6];
	struct fbh_rx_info info;
	struct fbh_txq txq;
	struct fbh_rxq rxq;
	unsigned int i;
	uint32_t len;

	fbm_wire_loopback(dev);
	TEST_CHECK_EQUAL(fbh_port_open(h, &txq, &rxq, 0), 0);
	fbh_dsn_to_mac(h->cfg.dsn, own);
	len = tk_frame_udp4(frame, 100, own, t_peer_mac, 1);
	for (i = 0; i < 3; i++) {
		TEST_CHECK_EQUAL(fbh_tx_send(h, &txq, frame, len, 0), 0);
		TEST_CHECK_EQUAL(fbh_rx_wait(h, &rxq, got, sizeof(got), &info, 200), (int)len);
	}
	TEST_CHECK_EQUAL(rd(dev, FBNIC_RXB_DRBO_FRM_CNT_SRC(FBNIC_RXB_INTF_NET)), 3);
	TEST_CHECK_EQUAL(rd64(dev, FBNIC_RXB_DRBO_BYTE_CNT_SRC_L(FBNIC_RXB_INTF_NET), 4), 3 * len);
	TEST_CHECK_EQUAL(rd(dev, FBNIC_RXB_INTF_FRM_CNT_DST(FBNIC_RXB_DEQUEUE_HOST)), 3);
	TEST_CHECK_EQUAL(rd64(dev, FBNIC_RXB_INTF_BYTE_CNT_DST_L(FBNIC_RXB_DEQUEUE_HOST), 4),
			 3 * len);
	TEST_CHECK_EQUAL(rd(dev, FBNIC_RXB_PBUF_FRM_CNT_DST(FBNIC_RXB_DEQUEUE_HOST)), 3);
	TEST_CHECK_EQUAL(rd64(dev, FBNIC_RXB_PBUF_BYTE_CNT_DST_L(FBNIC_RXB_DEQUEUE_HOST), 4),
			 3 * len);
	TEST_CHECK_EQUAL(rd(dev, FBNIC_RXB_DROP_FRMS_STS(FBNIC_RXB_FIFO_HOST)), 0);

	/* Queue gone: the frame is missed in the host FIFO (Linux rx_missed). */
	fbh_rxq_disable(h, &rxq);
	TEST_CHECK_EQUAL(fbh_tx_send(h, &txq, frame, len, 0), 0);
	for (i = 0; i < 50; i++)
		fbh_advance(h, 1000);
	TEST_CHECK_EQUAL(rd(dev, FBNIC_RXB_DROP_FRMS_STS(FBNIC_RXB_FIFO_HOST)), 1);
	TEST_CHECK_EQUAL(rd64(dev, FBNIC_RXB_DROP_BYTES_STS_L(FBNIC_RXB_FIFO_HOST), 1), len);
	TEST_CHECK_EQUAL(rd(dev, FBNIC_RXB_INTF_FRM_CNT_DST(FBNIC_RXB_DEQUEUE_HOST)), 3);

	/* Dropped by the classifier: neither delivered nor missed. */
	wr(dev, FBNIC_RPC_ACT_TBL0_DEFAULT, FBNIC_RPC_ACT_TBL0_DROP);
	TEST_CHECK_EQUAL(fbh_tx_send(h, &txq, frame, len, 0), 0);
	for (i = 0; i < 50; i++)
		fbh_advance(h, 1000);
	TEST_CHECK_EQUAL(rd64(dev, FBNIC_MAC_STAT_RX_RECEIVED_OK_L, 1), 5);
	TEST_CHECK_EQUAL(rd(dev, FBNIC_RXB_DROP_FRMS_STS(FBNIC_RXB_FIFO_HOST)), 1);
	TEST_CHECK_EQUAL(rd(dev, FBNIC_RXB_DRBO_FRM_CNT_SRC(FBNIC_RXB_INTF_NET)), 4);
	TEST_CHECK_EQUAL(rd(dev, FBNIC_RXB_PBUF_FIFO_LEVEL(FBNIC_RXB_FIFO_HOST)), 0);
	fbh_fini(h);
	return TEST_SUCCESS;
}

/*
 * Out of RX buffers: in immediate drop mode the queue drops and counts
 * (rx_over), in never-drop mode the frames back up and the host FIFO of the
 * RX buffer drops them once the queue holds no more (rx_missed).
 */
static int
test_rx_overrun_counted_once(void)
{
	static const unsigned int modes[] = {
		FBNIC_QUEUE_RDE_CTL0_DROP_IMMEDIATE, FBNIC_QUEUE_RDE_CTL0_DROP_NEVER,
	};
	unsigned int m;

	for (m = 0; m < 2; m++) {
		struct fbh *h = harness();
		struct fbm_dev *dev = h->dev;
		static uint8_t frame[1600];
		uint8_t own[6];
		struct fbh_rxq_conf conf;
		uint64_t queue_drops, fifo_drops, delivered;
		struct fbh_txq txq;
		struct fbh_rxq rxq;
		unsigned int i;
		uint32_t len;

		fbm_wire_loopback(dev);
		TEST_CHECK_EQUAL(fbh_port_open(h, &txq, NULL, 0), 0);
		fbh_rxq_conf_default(&conf);
		conf.log2_hpq = 4;
		conf.log2_ppq = 4;
		conf.drop_mode = modes[m];
		TEST_CHECK_EQUAL(fbh_rxq_enable(h, &rxq, 0, &conf), 0);
		fbh_rpc_default_queue(h, 0);
		fbh_dsn_to_mac(h->cfg.dsn, own);
		len = tk_frame_udp4(frame, 1500, own, t_peer_mac, 5);

		/*
		 * Never reap: 16 buffers fill up, then the 384 KiB host FIFO,
		 * and the rest has nowhere to go.
		 */
		for (i = 0; i < 400; i++) {
			TEST_CHECK_EQUAL(fbh_tx_send(h, &txq, frame, len, 0), 0);
			fbh_advance(h, 2000);
			fbh_tx_reap(h, &txq);
		}
		queue_drops = rd(dev, FBNIC_QUEUE(0) + FBNIC_QUEUE_RDE_CQ_DROP_CNT) +
			      rd(dev, FBNIC_QUEUE(0) + FBNIC_QUEUE_RDE_BDQ_DROP_CNT);
		fifo_drops = rd(dev, FBNIC_RXB_DROP_FRMS_STS(FBNIC_RXB_FIFO_HOST));
		delivered = rd(dev, FBNIC_RXB_INTF_FRM_CNT_DST(FBNIC_RXB_DEQUEUE_HOST));
		TEST_CHECK_EQUAL(rd64(dev, FBNIC_MAC_STAT_RX_RECEIVED_OK_L, 1), 400);
		if (modes[m] == FBNIC_QUEUE_RDE_CTL0_DROP_IMMEDIATE) {
			TEST_CHECK(queue_drops > 0);
			TEST_CHECK_EQUAL(fifo_drops, 0);
		} else {
			TEST_CHECK_EQUAL(queue_drops, 0);
			TEST_CHECK(fifo_drops > 0);
		}
		/* Each frame is either handed to the queue or missed, never both. */
		TEST_CHECK_EQUAL(delivered + fifo_drops, 400);
		fbh_fini(h);
	}
	return TEST_SUCCESS;
}

/* Counters ignore writes; configuration registers next to them do not. */
static int
test_counters_ignore_writes(void)
{
	static const uint32_t counters[] = {
		FBNIC_RXB_DROP_FRMS_STS(4), FBNIC_RXB_DROP_BYTES_STS_L(4),
		FBNIC_RXB_DRBO_FRM_CNT_SRC(0), FBNIC_RXB_PARSER_ERR(0),
		FBNIC_TMI_DROP_PKTS, FBNIC_TMI_DROP_BYTE_L, FBNIC_TMI_GOOD_PTP_TS,
		FBNIC_TCE_TTI_CM_DROP_PKTS, FBNIC_TCE_TBI_DROP_BYTE_L,
		FBNIC_MAC_STAT_TX_BYTE_COUNT_L, FBNIC_RPC_CNTR_UNKN_ETYPE,
		FBNIC_RPC_STAT_RX_PACKET_9217_MAX_BYTES_H, FBNIC_PUL_USER_OB_WR_TLP_CNT_31_0,
		FBNIC_PUL_USER_OB_RD_DWORD_CNT_63_32,
	};
	struct fbm_dev *dev = t_dev_create(4, 2, 0);
	unsigned int i;

	for (i = 0; i < FBM_DIM(counters); i++) {
		uint32_t before = rd(dev, counters[i]);

		wr(dev, counters[i], before + 0x1234);
		TEST_CHECK_EQUAL(rd(dev, counters[i]), before);
	}
	wr(dev, FBNIC_RXB_PAUSE_DROP_CTRL, 0x0014007d);
	TEST_CHECK_EQUAL(rd(dev, FBNIC_RXB_PAUSE_DROP_CTRL), 0x0014007d);
	wr(dev, FBNIC_TMI_SOP_PROT_CTRL, 8);
	TEST_CHECK_EQUAL(rd(dev, FBNIC_TMI_SOP_PROT_CTRL), 8);
	fbm_destroy(dev);
	return TEST_SUCCESS;
}

/* Parser errors reach RXB_PARSER_ERR of the network input. */
static int
test_parser_errors_counted_in_rxb(void)
{
	struct fbm_dev *dev = t_dev_create(4, 2, 0);
	uint8_t f[128];
	struct tk_frame fl;
	size_t len;

	wr(dev, FBNIC_MAC_COMMAND_CONFIG, FBNIC_MAC_COMMAND_CONFIG_RX_ENA);
	t_rpc_enable(dev);
	t_flow_init(&fl);
	fl.proto = 6;
	len = tk_frame_build(f, &fl, 30);
	f[14 + 20 + 12] = 2 << 4;	/* TCP data offset 2 */
	fbm_mac_rx_frame(dev, f, (uint32_t)len);
	TEST_CHECK_EQUAL(rd(dev, FBNIC_RXB_PARSER_ERR(FBNIC_RXB_INTF_NET)), 1);
	TEST_CHECK_EQUAL(rd(dev, FBNIC_RPC_CNTR_TCP_OPT_ERR), 1);
	fbm_destroy(dev);
	return TEST_SUCCESS;
}

int
main(void)
{
	TK_RUN(test_stat64_consistent_across_carry);
	TK_RUN(test_fec_counters_clear_on_read);
	TK_RUN(test_rxb_counts_delivered_and_missed_frames);
	TK_RUN(test_rx_overrun_counted_once);
	TK_RUN(test_counters_ignore_writes);
	TK_RUN(test_parser_errors_counted_in_rxb);
	return tk_report("test_stats");
}
