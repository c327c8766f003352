/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

/*
 * MAC, PCS and link of the model (fbnic_hw.rst 8): hold-off, the lock fields
 * Linux checks per mode and FEC, latched-low status, link loss raising the
 * PCS interrupt cause, PCS loopback, TX/RX gating and the MAC counters.
 */

#include "fbm_harness.h"
#include "test_rpc_util.h"

#define MS	1000000ull

/* Linux's link check: reload the latched bits, then read (fbnic_hw.rst 8). */
static uint32_t
pcs_out0(struct fbm_dev *dev)
{
	wr(dev, FBNIC_SIG_PCS_OUT0, FBNIC_SIG_PCS_OUT0_LINK | FBNIC_SIG_PCS_OUT0_BLOCK_LOCK |
	   FBNIC_SIG_PCS_OUT0_AMPS_LOCK);
	return rd(dev, FBNIC_SIG_PCS_OUT0);
}

static uint32_t
pcs_out1(struct fbm_dev *dev)
{
	wr(dev, FBNIC_SIG_PCS_OUT1, FBNIC_SIG_PCS_OUT1_FCFEC_LOCK);
	return rd(dev, FBNIC_SIG_PCS_OUT1);
}

static int
test_link_comes_up_after_hold_off(void)
{
	struct fbm_dev *dev = t_dev_create(2, 1, 5 * MS);	/* 50G-CR2, no FEC */
	uint32_t v;

	TEST_CHECK(!(pcs_out0(dev) & FBNIC_SIG_PCS_OUT0_LINK));
	TEST_CHECK(!fbm_mac_link_up(dev));
	fbm_clock_advance(dev, 5 * MS - 1000);
	TEST_CHECK(!(pcs_out0(dev) & FBNIC_SIG_PCS_OUT0_LINK));
	fbm_clock_advance(dev, 1000);

	/* Latched low: still 0 until the host reloads it. */
	TEST_CHECK(!(rd(dev, FBNIC_SIG_PCS_OUT0) & FBNIC_SIG_PCS_OUT0_LINK));
	TEST_CHECK(fbm_mac_link_up(dev));
	v = pcs_out0(dev);
	TEST_CHECK(v & FBNIC_SIG_PCS_OUT0_LINK);
	TEST_CHECK_EQUAL(FBNIC_FIELD_GET(FBNIC_SIG_PCS_OUT0_BLOCK_LOCK, v), 0x63);
	TEST_CHECK_EQUAL(rd(dev, FBNIC_SIG_PCS_INTR_STS) & FBNIC_SIG_PCS_INTR_LINK_UP,
			 FBNIC_SIG_PCS_INTR_LINK_UP);

	/* XPCS STAT1 link bit is latched low too: the second read shows it. */
	(void)rd(dev, FBNIC_PCS_PAGE(0) + 1);
	TEST_CHECK(rd(dev, FBNIC_PCS_PAGE(0) + 1) & 0x0004);
	fbm_destroy(dev);
	return TEST_SUCCESS;
}

/* SIG lock fields Linux compares for every mode and FEC (fbnic_mac.c). */
static int
test_lock_fields_match_linux_per_mode_and_fec(void)
{
	static const struct {
		unsigned int mode, fec;
		uint32_t block, am, fcfec;
	} cases[] = {
		{ 1, 1, 0x1, 0, 0 }, { 1, 2, 0, 0x1, 0 }, { 1, 3, 0, 0, 0x1 },
		{ 2, 1, 0x63, 0, 0 }, { 2, 2, 0, 0x5, 0 }, { 2, 3, 0, 0, 0xf },
		{ 3, 2, 0, 0x3, 0 }, { 3, 1, 0, 0x3, 0 },	/* 50G-CR is always RS */
		{ 4, 2, 0, 0xf, 0 }, { 4, 3, 0, 0xf, 0 },	/* 100G-CR2 too */
	};
	unsigned int i;

	for (i = 0; i < FBM_DIM(cases); i++) {
		struct fbm_dev *dev = t_dev_create(cases[i].mode, cases[i].fec, 0);
		uint32_t o0 = pcs_out0(dev), o1 = pcs_out1(dev), rsfec;

		TEST_CHECK(o0 & FBNIC_SIG_PCS_OUT0_LINK);
		TEST_CHECK_EQUAL(FBNIC_FIELD_GET(FBNIC_SIG_PCS_OUT0_BLOCK_LOCK, o0),
				 cases[i].block);
		TEST_CHECK_EQUAL(FBNIC_FIELD_GET(FBNIC_SIG_PCS_OUT0_AMPS_LOCK, o0), cases[i].am);
		TEST_CHECK_EQUAL(FBNIC_FIELD_GET(FBNIC_SIG_PCS_OUT1_FCFEC_LOCK, o1),
				 cases[i].fcfec);
		/* RS-FEC status 1.201: aligned, AM lock per lane, only with RS-FEC. */
		rsfec = 0;
		if (cases[i].am != 0)
			rsfec = 0xc000u | cases[i].am << 8;
		TEST_CHECK_EQUAL(rd(dev, FBNIC_RSFEC_CONTROL(0) + 1), rsfec);
		fbm_destroy(dev);
	}
	return TEST_SUCCESS;
}

static struct fbh *
harness(uint64_t hold_off_ns)
{
	static struct fbh h;
	struct fbm_config cfg;

	fbh_config_default(&cfg);
	cfg.link_mode = 4;
	cfg.fec = 2;
	cfg.link_hold_off_ns = hold_off_ns;
	if (fbh_init(&h, &cfg, 0) != 0) {
		fprintf(stderr, "fbh_init failed\n");
		exit(2);
	}
	h.quiet = true;
	return &h;
}

/* Link loss: SIG_PCS_INTR_STS.LINK_DOWN and interrupt cause 34 -> vector 1. */
static int
test_link_down_fault_raises_pcs_cause(void)
{
	struct fbh *h = harness(2 * MS);
	struct fbm_dev *dev = h->dev;

	fbh_advance(h, 2 * MS);
	TEST_CHECK(pcs_out0(dev) & FBNIC_SIG_PCS_OUT0_LINK);
	wr(dev, FBNIC_INTR_MSIX_CTRL(FBNIC_INTR_MSIX_CTRL_PCS_IDX),
	   FBNIC_INTR_MSIX_CTRL_ENABLE | 1);
	/* Linux: clear, then unmask LINK_UP/LINK_DOWN only. */
	wr(dev, FBNIC_SIG_PCS_INTR_STS, ~0u);
	wr(dev, FBNIC_SIG_PCS_INTR_MASK, ~3u);
	TEST_CHECK_EQUAL(rd(dev, FBNIC_SIG_PCS_INTR_STS), 0);
	TEST_CHECK_EQUAL(rd(dev, FBNIC_INTR_STATUS(0)) & 2, 0);

	fbm_fault_set(dev, FBM_FAULT_LINK_DOWN, true);
	fbh_advance(h, 10000);
	TEST_CHECK_EQUAL(rd(dev, FBNIC_SIG_PCS_INTR_STS) & 3, FBNIC_SIG_PCS_INTR_LINK_DOWN);
	TEST_CHECK_EQUAL(rd(dev, FBNIC_INTR_STATUS(0)) & 2, 2);		/* vector 1 pending */
	TEST_CHECK(!(pcs_out0(dev) & FBNIC_SIG_PCS_OUT0_LINK));
	TEST_CHECK(!fbm_mac_link_up(dev));
	TEST_CHECK(!(rd(dev, FBNIC_PCS_PAGE(0) + 1) & 0x0004));

	/* Unmasking the vector delivers the message. */
	wr(dev, FBNIC_INTR_MASK_CLEAR(0), 2);
	TEST_CHECK_EQUAL(fbh_msix_count(h, 1), 1);

	/* Signal back: link after the hold-off again, LINK_UP reported. */
	wr(dev, FBNIC_SIG_PCS_INTR_STS, 3);
	fbm_fault_set(dev, FBM_FAULT_LINK_DOWN, false);
	TEST_CHECK(!(pcs_out0(dev) & FBNIC_SIG_PCS_OUT0_LINK));	/* signal seen now */
	fbh_advance(h, 1 * MS);
	TEST_CHECK(!(pcs_out0(dev) & FBNIC_SIG_PCS_OUT0_LINK));
	fbh_advance(h, 1 * MS);
	TEST_CHECK(pcs_out0(dev) & FBNIC_SIG_PCS_OUT0_LINK);
	TEST_CHECK_EQUAL(rd(dev, FBNIC_SIG_PCS_INTR_STS) & 3, FBNIC_SIG_PCS_INTR_LINK_UP);
	/* LINK_UP is unmasked too (Linux writes ~3): vector 1 pending again. */
	TEST_CHECK_EQUAL(rd(dev, FBNIC_INTR_STATUS(0)) & 2, 2);

	/* Masked: a second loss sets status but raises nothing. */
	wr(dev, FBNIC_SIG_PCS_INTR_MASK, ~0u);
	wr(dev, FBNIC_SIG_PCS_INTR_STS, 3);
	wr(dev, FBNIC_INTR_CLEAR(0), 2);
	wr(dev, FBNIC_INTR_MASK_CLEAR(0), 2);
	fbm_fault_set(dev, FBM_FAULT_LINK_DOWN, true);
	fbh_advance(h, 10000);
	TEST_CHECK_EQUAL(rd(dev, FBNIC_SIG_PCS_INTR_STS) & 3, FBNIC_SIG_PCS_INTR_LINK_DOWN);
	TEST_CHECK_EQUAL(fbh_msix_count(h, 1), 1);
	fbh_fini(h);
	return TEST_SUCCESS;
}

/* PCS loopback (MMD 3 register 0 bit 14) returns transmitted frames. */
static int
test_pcs_loopback_returns_tx_frames(void)
{
	struct fbh *h = harness(0);
	uint8_t frame[256], got[256], own[6];
	struct fbh_rx_info info;
	struct fbh_txq txq;
	struct fbh_rxq rxq;
	uint32_t len, ctrl1;
	struct tk_frame fl;
	int ret;

	fbm_wire_none(h->dev);
	TEST_CHECK_EQUAL(fbh_port_open(h, &txq, &rxq, 0), 0);

	fbh_dsn_to_mac(h->cfg.dsn, own);
	t_flow_init(&fl);
	fl.proto = 17;
	fl.src[0] = 192;
	fl.dst[0] = 192;
	fl.sport = 1111;
	fl.dport = 2222;
	memcpy(fl.dst_mac, own, 6);
	len = (uint32_t)tk_frame_build(frame, &fl, 64);

	/* No wire: the frame leaves and nothing comes back. */
	TEST_CHECK_EQUAL(fbh_tx_send(h, &txq, frame, len, 0), 0);
	TEST_CHECK_EQUAL(fbh_rx_wait(h, &rxq, got, sizeof(got), &info, 200), -EAGAIN);

	ctrl1 = rd(h->dev, FBNIC_PCS_PAGE(0));
	TEST_CHECK_EQUAL(ctrl1 & 0x207c, 0x2050);	/* firmware left it at 100G */
	wr(h->dev, FBNIC_PCS_PAGE(0), ctrl1 | 0x4000);
	TEST_CHECK(fbm_mac_link_up(h->dev));

	TEST_CHECK_EQUAL(fbh_tx_send(h, &txq, frame, len, 0), 0);
	ret = fbh_rx_wait(h, &rxq, got, sizeof(got), &info, 200);
	TEST_CHECK_EQUAL(ret, (int)len);
	TEST_CHECK(ret == (int)len && memcmp(got, frame, len) == 0);
	TEST_CHECK(info.l4_csum_ok);
	TEST_CHECK_EQUAL(info.l3_type, FBNIC_RCD_META_L3_TYPE_IPV4);
	TEST_CHECK_EQUAL(info.l4_type, FBNIC_RCD_META_L4_TYPE_UDP);
	TEST_CHECK_EQUAL(rd64(h->dev, FBNIC_MAC_STAT_TX_TRANSMITTED_OK_L, 1), 2);
	TEST_CHECK_EQUAL(rd64(h->dev, FBNIC_MAC_STAT_RX_RECEIVED_OK_L, 1), 1);

	wr(h->dev, FBNIC_PCS_PAGE(0), ctrl1);
	TEST_CHECK_EQUAL(fbh_tx_send(h, &txq, frame, len, 0), 0);
	TEST_CHECK_EQUAL(fbh_rx_wait(h, &rxq, got, sizeof(got), &info, 200), -EAGAIN);
	fbh_fini(h);
	return TEST_SUCCESS;
}

/* Wire loopback with FBM_FAULT_RX_CORRUPT: FCS errors are counted, dropped. */
static int
test_bad_fcs_counted_and_dropped(void)
{
	struct fbh *h = harness(0);
	uint8_t frame[256], got[256], own[6];
	struct fbh_rx_info info;
	struct fbh_txq txq;
	struct fbh_rxq rxq;
	uint32_t len;

	fbm_wire_loopback(h->dev);
	TEST_CHECK_EQUAL(fbh_port_open(h, &txq, &rxq, 0), 0);
	fbh_dsn_to_mac(h->cfg.dsn, own);
	len = tk_frame_udp4(frame, 100, own, t_peer_mac, 3);
	TEST_CHECK_EQUAL(fbh_tx_send(h, &txq, frame, len, 0), 0);
	TEST_CHECK_EQUAL(fbh_rx_wait(h, &rxq, got, sizeof(got), &info, 200), (int)len);

	fbm_fault_set(h->dev, FBM_FAULT_RX_CORRUPT, true);
	TEST_CHECK_EQUAL(fbh_tx_send(h, &txq, frame, len, 0), 0);
	TEST_CHECK_EQUAL(fbh_rx_wait(h, &rxq, got, sizeof(got), &info, 200), -EAGAIN);
	TEST_CHECK_EQUAL(rd64(h->dev, FBNIC_MAC_STAT_RX_PACKET_BAD_FCS_L, 1), 1);
	TEST_CHECK_EQUAL(rd64(h->dev, FBNIC_MAC_STAT_RX_IFINERRORS_L, 1), 1);
	TEST_CHECK_EQUAL(rd64(h->dev, FBNIC_MAC_STAT_RX_RECEIVED_OK_L, 1), 1);
	/* 100G uses RS-FEC: the damage shows as one uncorrectable codeword. */
	TEST_CHECK_EQUAL(rd(h->dev, FBNIC_RSFEC_NCCW_LO(0)), 1);
	fbh_fini(h);
	return TEST_SUCCESS;
}

static uint64_t
mstat(struct fbm_dev *dev, uint32_t lo)
{
	return rd64(dev, lo, 1);
}

/* Size bins (FCS included), broadcast/multicast, too long, undersize. */
static int
test_mac_counts_bins_and_frame_sizes(void)
{
	static const uint8_t pause_da[6] = { 0x01, 0x80, 0xc2, 0, 0, 1 };
	static const uint32_t sizes[] = { 60, 100, 200, 300, 600, 1200, 1514, 2000, 5000, 9742 };
	struct fbm_dev *dev = t_dev_create(4, 2, 0);
	static uint8_t f[10000];
	uint64_t bytes = 0;
	unsigned int i;

	memset(f, 0, sizeof(f));
	tk_frame_eth(f, t_own_mac, t_peer_mac, 0x88b5);

	/* RX disabled: nothing is received, nothing counted. */
	fbm_mac_rx_frame(dev, f, 100);
	TEST_CHECK_EQUAL(mstat(dev, FBNIC_MAC_STAT_RX_RECEIVED_OK_L), 0);

	wr(dev, FBNIC_MAC_COMMAND_CONFIG, FBNIC_MAC_COMMAND_CONFIG_RX_ENA |
	   FBNIC_MAC_COMMAND_CONFIG_TX_ENA | FBNIC_MAC_COMMAND_CONFIG_TX_PAD_EN);
	for (i = 0; i < FBM_DIM(sizes); i++) {
		fbm_mac_rx_frame(dev, f, sizes[i]);
		bytes += sizes[i] + 4;
	}
	TEST_CHECK_EQUAL(mstat(dev, FBNIC_MAC_STAT_RX_RECEIVED_OK_L), 10);
	TEST_CHECK_EQUAL(mstat(dev, FBNIC_MAC_STAT_RX_BYTE_COUNT_L), bytes);
	TEST_CHECK_EQUAL(mstat(dev, FBNIC_MAC_STAT_RX_PACKET_64_BYTES_L), 1);
	TEST_CHECK_EQUAL(mstat(dev, FBNIC_MAC_STAT_RX_PACKET_65_127_BYTES_L), 1);
	TEST_CHECK_EQUAL(mstat(dev, FBNIC_MAC_STAT_RX_PACKET_128_255_BYTES_L), 1);
	TEST_CHECK_EQUAL(mstat(dev, FBNIC_MAC_STAT_RX_PACKET_256_511_BYTES_L), 1);
	TEST_CHECK_EQUAL(mstat(dev, FBNIC_MAC_STAT_RX_PACKET_512_1023_BYTES_L), 1);
	/* 1204, 1518 */
	TEST_CHECK_EQUAL(mstat(dev, FBNIC_MAC_STAT_RX_PACKET_1024_1518_BYTES_L), 2);
	TEST_CHECK_EQUAL(mstat(dev, FBNIC_MAC_STAT_RX_PACKET_1519_MAX_BYTES_L), 3);
	TEST_CHECK_EQUAL(rd64(dev, FBNIC_RPC_STAT_RX_PACKET_1519_2047_BYTES_L, 1), 1);
	TEST_CHECK_EQUAL(rd64(dev, FBNIC_RPC_STAT_RX_PACKET_2048_4095_BYTES_L, 1), 0);
	TEST_CHECK_EQUAL(rd64(dev, FBNIC_RPC_STAT_RX_PACKET_4096_8191_BYTES_L, 1), 1);
	TEST_CHECK_EQUAL(rd64(dev, FBNIC_RPC_STAT_RX_PACKET_8192_9216_BYTES_L, 1), 0);
	TEST_CHECK_EQUAL(rd64(dev, FBNIC_RPC_STAT_RX_PACKET_9217_MAX_BYTES_L, 1), 1);
	TEST_CHECK_EQUAL(mstat(dev, FBNIC_MAC_STAT_RX_MULTICAST_L), 0);

	/* Too long: counted, not received. */
	fbm_mac_rx_frame(dev, f, 9743);
	TEST_CHECK_EQUAL(mstat(dev, FBNIC_MAC_STAT_RX_TOOLONG_L), 1);
	TEST_CHECK_EQUAL(mstat(dev, FBNIC_MAC_STAT_RX_OVERSIZE_L), 1);
	TEST_CHECK_EQUAL(mstat(dev, FBNIC_MAC_STAT_RX_RECEIVED_OK_L), 10);

	/* Undersize (56 + FCS < 64) still received. */
	fbm_mac_rx_frame(dev, f, 56);
	TEST_CHECK_EQUAL(mstat(dev, FBNIC_MAC_STAT_RX_UNDERSIZE_L), 1);

	/* Broadcast and multicast. */
	memset(f, 0xff, 6);
	fbm_mac_rx_frame(dev, f, 64);
	f[0] = 0x01;
	fbm_mac_rx_frame(dev, f, 64);
	TEST_CHECK_EQUAL(mstat(dev, FBNIC_MAC_STAT_RX_BROADCAST_L), 1);
	TEST_CHECK_EQUAL(mstat(dev, FBNIC_MAC_STAT_RX_MULTICAST_L), 1);

	/* A PAUSE frame: control + XOFF, consumed by the MAC. */
	memcpy(f, pause_da, 6);
	tk_put16(f + 12, 0x8808);
	tk_put16(f + 14, 0x0001);
	tk_put16(f + 16, 0xffff);
	fbm_mac_rx_frame(dev, f, 60);
	TEST_CHECK_EQUAL(mstat(dev, FBNIC_MAC_STAT_RX_CONTROL_FRAMES_L), 1);
	TEST_CHECK_EQUAL(mstat(dev, FBNIC_MAC_STAT_RX_XOFF_STB_L), 1);
	TEST_CHECK_EQUAL(mstat(dev, FBNIC_MAC_STAT_TX_XOFF_STB_L), 0);

	/* TX: padding to 60, bins in the MAC and the large ones in TMI. */
	tk_frame_eth(f, t_own_mac, t_peer_mac, 0x88b5);
	fbm_mac_tx_frame(dev, f, 42);
	fbm_mac_tx_frame(dev, f, 3000);
	fbm_mac_tx_frame(dev, f, 9000);
	TEST_CHECK_EQUAL(mstat(dev, FBNIC_MAC_STAT_TX_TRANSMITTED_OK_L), 3);
	TEST_CHECK_EQUAL(mstat(dev, FBNIC_MAC_STAT_TX_BYTE_COUNT_L), 64 + 3004 + 9004);
	TEST_CHECK_EQUAL(mstat(dev, FBNIC_MAC_STAT_TX_PACKET_64_BYTES_L), 1);
	TEST_CHECK_EQUAL(mstat(dev, FBNIC_MAC_STAT_TX_PACKET_1519_MAX_BYTES_L), 2);
	TEST_CHECK_EQUAL(rd64(dev, FBNIC_TMI_STAT_TX_PACKET_2048_4095_BYTES_L, 1), 1);
	TEST_CHECK_EQUAL(rd64(dev, FBNIC_TMI_STAT_TX_PACKET_8192_9216_BYTES_L, 1), 1);
	fbm_destroy(dev);
	return TEST_SUCCESS;
}

/* TX_ENA and link gate transmission; refused frames count as TMI drops. */
static int
test_tx_gated_by_tx_ena_and_link(void)
{
	struct fbm_dev *dev = t_dev_create(4, 2, 0);
	uint8_t f[128];

	memset(f, 0, sizeof(f));
	tk_frame_eth(f, t_peer_mac, t_peer_mac, 0x88b5);
	fbm_mac_tx_frame(dev, f, 100);
	TEST_CHECK_EQUAL(rd(dev, FBNIC_TMI_DROP_PKTS), 1);
	TEST_CHECK_EQUAL(rd64(dev, FBNIC_TMI_DROP_BYTE_L, 1), 100);

	wr(dev, FBNIC_MAC_COMMAND_CONFIG, FBNIC_MAC_COMMAND_CONFIG_TX_ENA);
	fbm_mac_tx_frame(dev, f, 100);
	TEST_CHECK_EQUAL(rd(dev, FBNIC_TMI_DROP_PKTS), 1);
	TEST_CHECK_EQUAL(mstat(dev, FBNIC_MAC_STAT_TX_TRANSMITTED_OK_L), 1);

	fbm_fault_set(dev, FBM_FAULT_LINK_DOWN, true);
	fbm_mac_tx_frame(dev, f, 100);
	TEST_CHECK_EQUAL(rd(dev, FBNIC_TMI_DROP_PKTS), 2);
	TEST_CHECK_EQUAL(mstat(dev, FBNIC_MAC_STAT_TX_TRANSMITTED_OK_L), 1);
	fbm_destroy(dev);
	return TEST_SUCCESS;
}

int
main(void)
{
	TK_RUN(test_link_comes_up_after_hold_off);
	TK_RUN(test_lock_fields_match_linux_per_mode_and_fec);
	TK_RUN(test_link_down_fault_raises_pcs_cause);
	TK_RUN(test_pcs_loopback_returns_tx_frames);
	TK_RUN(test_bad_fcs_counted_and_dropped);
	TK_RUN(test_mac_counts_bins_and_frame_sizes);
	TK_RUN(test_tx_gated_by_tx_ena_and_link);
	return tk_report("test_mac");
}
