/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

/*
 * The harness drives a model the Linux way end to end: mailbox bring-up,
 * link, one TX queue and one RX queue on a loopback wire.
 */

#include <string.h>

#include "fbm_harness.h"

static int
test_mailbox_bringup_gets_fw_cap_resp(void)
{
	struct fbh h;

	TEST_CHECK_EQUAL(fbh_init(&h, NULL, 0), 0);
	TEST_CHECK_EQUAL(fbh_mbx_bringup(&h), 0);
	TEST_CHECK_EQUAL(h.mbx_tx_errors, 0);
	fbh_fini(&h);
	return TEST_SUCCESS;
}

static int
test_loopback_frame_comes_back_byte_exact(void)
{
	static uint8_t frame[1500], got[2048];
	struct fbh_rx_info info;
	struct fbh_txq txq;
	struct fbh_rxq rxq;
	uint8_t mac[6];
	struct fbh h;
	int len = -EAGAIN, i;

	TEST_CHECK_EQUAL(fbh_init(&h, NULL, 0), 0);
	TEST_CHECK_EQUAL(fbh_mbx_bringup(&h), 0);
	TEST_CHECK_EQUAL(fbm_wire_loopback(h.dev), 0);
	TEST_CHECK_EQUAL(fbh_port_up(&h, 5000000000ull), 0);
	TEST_CHECK_EQUAL(fbh_txq_enable(&h, &txq, 0, 10, 2), 0);
	TEST_CHECK_EQUAL(fbh_rxq_enable(&h, &rxq, 0, NULL), 0);
	fbh_rpc_default_queue(&h, 0);

	fbh_dsn_to_mac(h.cfg.dsn, mac);
	tk_frame_udp4(frame, sizeof(frame), mac, mac, 7);
	TEST_CHECK_EQUAL(fbh_tx_send(&h, &txq, frame, sizeof(frame), 0), 0);
	for (i = 0; i < 100 && len == -EAGAIN; i++) {
		fbh_poll(&h);
		len = fbh_rx_recv(&h, &rxq, got, sizeof(got), &info);
	}
	TEST_CHECK_EQUAL(len, sizeof(frame));
	TEST_CHECK(memcmp(got, frame, sizeof(frame)) == 0);
	TEST_CHECK_EQUAL(fbh_tx_reap(&h, &txq), 1);
	TEST_CHECK_EQUAL(fbm_dma_errors(h.dev), 0);
	fbh_fini(&h);
	return TEST_SUCCESS;
}

int
main(void)
{
	TK_RUN(test_mailbox_bringup_gets_fw_cap_resp);
	TK_RUN(test_loopback_frame_comes_back_byte_exact);
	return tk_report("test_harness_smoke");
}
