/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

/*
 * Every fault switch has the documented, visible effect, and turning it off
 * restores normal operation (doc/guides/nics/fbnic_model.rst).
 */

#include <string.h>

#include "fbm_harness.h"

struct port {
	struct fbh h;
	struct fbh_txq txq;
	struct fbh_rxq rxq;
	uint8_t mac[6];
};

static int
port_open_loopback(struct port *p, const struct fbm_config *cfg)
{
	int ret = fbh_init(&p->h, cfg, 0);

	if (ret < 0)
		return ret;
	fbh_dsn_to_mac(p->h.cfg.dsn, p->mac);
	ret = fbm_wire_loopback(p->h.dev);
	if (ret == 0)
		ret = fbh_port_open(&p->h, &p->txq, &p->rxq, 0);
	return ret;
}

/* Send n frames of len bytes; returns how many came back intact. */
static unsigned int
loop_frames(struct port *p, unsigned int n, uint32_t len)
{
	static uint8_t frame[2048], got[2048];
	unsigned int i, good = 0;

	for (i = 0; i < n; i++) {
		tk_frame_udp4(frame, len, p->mac, p->mac, i);
		if (fbh_tx_send(&p->h, &p->txq, frame, len, 0) < 0)
			break;
		if (fbh_rx_wait(&p->h, &p->rxq, got, sizeof(got), NULL, 20) == (int)len &&
		    memcmp(got, frame, len) == 0)
			good++;
		fbh_tx_reap(&p->h, &p->txq);
	}
	return good;
}

static uint64_t
mac_stat(struct port *p, uint32_t lo_idx)
{
	return fbh_rd(&p->h, lo_idx) | (uint64_t)fbh_rd(&p->h, lo_idx + 1) << 32;
}

static int
test_fault_names_parse_both_ways(void)
{
	int f;

	for (f = 0; f < FBM_FAULT_MAX; f++)
		TEST_CHECK_EQUAL(fbm_fault_parse(fbm_fault_name(f)), f);
	TEST_CHECK_EQUAL(fbm_fault_parse("link-down"), FBM_FAULT_LINK_DOWN);
	TEST_CHECK_EQUAL(fbm_fault_parse("surprise_removal"), FBM_FAULT_SURPRISE_REMOVAL);
	TEST_CHECK_EQUAL(fbm_fault_parse("bogus"), -EINVAL);
	TEST_CHECK_EQUAL(fbm_fault_parse(""), -EINVAL);
	TEST_CHECK_EQUAL(fbm_fault_parse(NULL), -EINVAL);
	TEST_CHECK_EQUAL(fbm_fault_parse("link_down_and_a_very_long_tail_beyond_32"), -EINVAL);
	TEST_CHECK(fbm_fault_name(FBM_FAULT_MAX) == NULL);
	return TEST_SUCCESS;
}

static int
test_fault_set_rejects_unknown_faults(void)
{
	struct fbh h;

	TEST_CHECK_EQUAL(fbh_init(&h, NULL, 0), 0);
	TEST_CHECK_EQUAL(fbm_fault_set(h.dev, FBM_FAULT_MAX, true), -EINVAL);
	TEST_CHECK_EQUAL(fbm_fault_set_every(h.dev, FBM_FAULT_DMA, 3), -EINVAL);
	TEST_CHECK_EQUAL(fbm_fault_set_every(h.dev, FBM_FAULT_RX_DROP, 3), 0);
	TEST_CHECK(!fbm_fault_get(h.dev, FBM_FAULT_RX_DROP));
	fbh_fini(&h);
	return TEST_SUCCESS;
}

static int
test_link_down_drops_link_and_traffic_until_cleared(void)
{
	struct port p;

	TEST_CHECK_EQUAL(port_open_loopback(&p, NULL), 0);
	TEST_CHECK_EQUAL(loop_frames(&p, 4, 128), 4);

	TEST_CHECK_EQUAL(fbm_fault_set(p.h.dev, FBM_FAULT_LINK_DOWN, true), 0);
	fbh_advance(&p.h, 1000000);
	fbh_wr(&p.h, FBNIC_SIG_PCS_OUT0, FBNIC_SIG_PCS_OUT0_LINK);	/* reload latch */
	TEST_CHECK_EQUAL(fbh_rd(&p.h, FBNIC_SIG_PCS_OUT0) & FBNIC_SIG_PCS_OUT0_LINK, 0);
	TEST_CHECK_EQUAL(loop_frames(&p, 4, 128), 0);

	TEST_CHECK_EQUAL(fbm_fault_set(p.h.dev, FBM_FAULT_LINK_DOWN, false), 0);
	TEST_CHECK_EQUAL(fbh_port_up(&p.h, 5000000000ull), 0);
	TEST_CHECK_EQUAL(loop_frames(&p, 4, 128), 4);
	fbh_fini(&p.h);
	return TEST_SUCCESS;
}

static int
test_fw_silent_never_signals_ready(void)
{
	struct fbm_config cfg;
	struct fbh h;

	fbh_config_default(&cfg);
	cfg.faults = 1u << FBM_FAULT_FW_SILENT;
	TEST_CHECK_EQUAL(fbh_init(&h, &cfg, 0), 0);
	TEST_CHECK_EQUAL(fbh_mbx_wait_ready(&h), -ETIMEDOUT);

	/* Turned off at run time, the firmware answers. */
	TEST_CHECK_EQUAL(fbm_fault_set(h.dev, FBM_FAULT_FW_SILENT, false), 0);
	TEST_CHECK_EQUAL(fbh_mbx_bringup(&h), 0);
	fbh_fini(&h);
	return TEST_SUCCESS;
}

static int
test_fw_error_replies_complete_requests_with_fw_err(void)
{
	struct fbh h;

	TEST_CHECK_EQUAL(fbh_init(&h, NULL, 0), 0);
	TEST_CHECK_EQUAL(fbm_fault_set(h.dev, FBM_FAULT_FW_ERROR_REPLIES, true), 0);
	TEST_CHECK(fbh_mbx_bringup(&h) < 0);
	TEST_CHECK(h.mbx_tx_errors >= 1);
	fbh_fini(&h);
	return TEST_SUCCESS;
}

static int
test_rx_drop_every_second_frame_halves_delivery(void)
{
	struct fbm_wire_stats st;
	struct port p;

	TEST_CHECK_EQUAL(port_open_loopback(&p, NULL), 0);
	TEST_CHECK_EQUAL(fbm_fault_set_every(p.h.dev, FBM_FAULT_RX_DROP, 2), 0);
	TEST_CHECK_EQUAL(fbm_fault_set(p.h.dev, FBM_FAULT_RX_DROP, true), 0);
	TEST_CHECK_EQUAL(loop_frames(&p, 10, 200), 5);
	fbm_wire_stats_get(p.h.dev, &st);
	TEST_CHECK_EQUAL(st.rx_drops, 5);
	TEST_CHECK_EQUAL(st.rx_frames, 5);

	TEST_CHECK_EQUAL(fbm_fault_set_every(p.h.dev, FBM_FAULT_RX_DROP, 1), 0);
	TEST_CHECK_EQUAL(loop_frames(&p, 3, 200), 0);
	TEST_CHECK_EQUAL(fbm_fault_set(p.h.dev, FBM_FAULT_RX_DROP, false), 0);
	TEST_CHECK_EQUAL(loop_frames(&p, 3, 200), 3);
	fbh_fini(&p.h);
	return TEST_SUCCESS;
}

static int
test_rx_corrupt_frames_count_as_bad_fcs_and_never_arrive_intact(void)
{
	struct fbm_config cfg;
	struct fbm_wire_stats st;
	struct port p;

	fbh_config_default(&cfg);
	cfg.faults = 1u << FBM_FAULT_RX_CORRUPT;
	cfg.rx_corrupt_every = 3;
	TEST_CHECK_EQUAL(port_open_loopback(&p, &cfg), 0);
	TEST_CHECK_EQUAL(loop_frames(&p, 9, 300), 6);
	fbm_wire_stats_get(p.h.dev, &st);
	TEST_CHECK_EQUAL(st.rx_corrupted, 3);
	TEST_CHECK_EQUAL(mac_stat(&p, FBNIC_MAC_STAT_RX_PACKET_BAD_FCS_L), 3);
	fbh_fini(&p.h);
	return TEST_SUCCESS;
}

static int
test_dma_fault_fails_every_transfer_until_cleared(void)
{
	struct port p;
	uint64_t before;

	TEST_CHECK_EQUAL(port_open_loopback(&p, NULL), 0);
	p.h.quiet = true;
	before = fbm_dma_errors(p.h.dev);
	TEST_CHECK_EQUAL(fbm_fault_set(p.h.dev, FBM_FAULT_DMA, true), 0);
	TEST_CHECK_EQUAL(loop_frames(&p, 2, 100), 0);
	TEST_CHECK(fbm_dma_errors(p.h.dev) > before);
	/* The registers still answer. */
	TEST_CHECK_EQUAL(fbh_rd(&p.h, FBNIC_MASTER_SPARE_0), 0);
	TEST_CHECK_EQUAL(fbm_fault_set(p.h.dev, FBM_FAULT_DMA, false), 0);
	fbh_fini(&p.h);
	return TEST_SUCCESS;
}

static int
test_surprise_removal_reads_all_ones_and_ignores_writes(void)
{
	uint32_t cfg0;
	struct fbh h;

	TEST_CHECK_EQUAL(fbh_init(&h, NULL, 0), 0);
	fbh_wr(&h, FBNIC_FAB_AXI4_AR_SPACER_2_CFG, 0x10002);
	TEST_CHECK_EQUAL(fbm_fault_set(h.dev, FBM_FAULT_SURPRISE_REMOVAL, true), 0);
	TEST_CHECK_EQUAL(fbh_rd(&h, FBNIC_MASTER_SPARE_0), UINT32_MAX);
	TEST_CHECK_EQUAL(fbh_rd(&h, FBNIC_FAB_AXI4_AR_SPACER_2_CFG), UINT32_MAX);
	TEST_CHECK_EQUAL(fbh_rd4(&h, FBNIC_FW_ZERO_REG), UINT32_MAX);
	TEST_CHECK_EQUAL(fbm_cfg_read(h.dev, 0, &cfg0, 4), 0);
	TEST_CHECK_EQUAL(cfg0, UINT32_MAX);
	fbh_wr(&h, FBNIC_FAB_AXI4_AR_SPACER_2_CFG, 0);
	TEST_CHECK_EQUAL(fbm_poll(h.dev, 64), 0);

	TEST_CHECK_EQUAL(fbm_fault_set(h.dev, FBM_FAULT_SURPRISE_REMOVAL, false), 0);
	TEST_CHECK_EQUAL(fbh_rd(&h, FBNIC_FAB_AXI4_AR_SPACER_2_CFG), 0x10002);
	TEST_CHECK_EQUAL(fbm_cfg_read(h.dev, 0, &cfg0, 4), 0);
	TEST_CHECK_EQUAL(cfg0, 0x00131d9b);
	fbh_fini(&h);
	return TEST_SUCCESS;
}

static int
test_faults_in_config_are_active_from_creation(void)
{
	struct fbm_config cfg;
	struct fbh h;

	fbh_config_default(&cfg);
	cfg.faults = 1u << FBM_FAULT_SURPRISE_REMOVAL | 1u << FBM_FAULT_DMA;
	TEST_CHECK_EQUAL(fbh_init(&h, &cfg, 0), 0);
	TEST_CHECK(fbm_fault_get(h.dev, FBM_FAULT_SURPRISE_REMOVAL));
	TEST_CHECK(fbm_fault_get(h.dev, FBM_FAULT_DMA));
	TEST_CHECK(!fbm_fault_get(h.dev, FBM_FAULT_LINK_DOWN));
	TEST_CHECK_EQUAL(fbh_rd(&h, FBNIC_INTR_MASK(0)), UINT32_MAX);
	TEST_CHECK_EQUAL(fbh_rd(&h, FBNIC_PUL_OB_TLP_HDR_AW_CFG), UINT32_MAX);
	fbh_fini(&h);

	cfg.faults = 1u << FBM_FAULT_MAX;
	TEST_CHECK_EQUAL(fbh_init(&h, &cfg, 0), -EINVAL);
	return TEST_SUCCESS;
}

int
main(void)
{
	TK_RUN(test_fault_names_parse_both_ways);
	TK_RUN(test_fault_set_rejects_unknown_faults);
	TK_RUN(test_link_down_drops_link_and_traffic_until_cleared);
	TK_RUN(test_fw_silent_never_signals_ready);
	TK_RUN(test_fw_error_replies_complete_requests_with_fw_err);
	TK_RUN(test_rx_drop_every_second_frame_halves_delivery);
	TK_RUN(test_rx_corrupt_frames_count_as_bad_fcs_and_never_arrive_intact);
	TK_RUN(test_dma_fault_fails_every_transfer_until_cleared);
	TK_RUN(test_surprise_removal_reads_all_ones_and_ignores_writes);
	TK_RUN(test_faults_in_config_are_active_from_creation);
	return tk_report("test_core_faults");
}
