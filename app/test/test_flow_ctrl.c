/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

/*
 * Flow control (802.3x pause) between two cabled model ports, A (port 0)
 * sending to B (port 1), both run by the test (engine=none):
 *   - bad requests (pause autonegotiation, control frame forwarding, other
 *     thresholds) get -EINVAL and change nothing;
 *   - B's receive buffer filling (B's ring is small and nobody reads it)
 *     makes B send XOFF; A, with Rx pause on, then holds its frames in its
 *     Tx queue; once B's host reads its ring, B sends XON and A's frames
 *     go, every one received by B (no loss);
 *   - A with Rx pause off ignores B's XOFF; B with Tx pause off sends none;
 *   - a pause that lasts longer than the storm guard's 500 ms is ended by
 *     B, counted, and armed again by the driver's service.
 * A's model clock is held while A must stay paused: its pause quanta then
 * cannot expire between two polls of a loaded machine.
 * Run with argv[1] = the test function name, then the EAL arguments.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>

#include "fbnic_tk.h"
#include "fbnic_tk_frame.h"
#include "rte_pmd_fbnic.h"
#include "test_select.h"

#define PORT_A		0
#define PORT_B		1
#define NB_DESC_A	1024
#define NB_DESC_B	64
#define NB_MBUFS	8192
#define PAYLOAD		1000u
#define BURST		32
#define POLL_BUDGET	256
#define FILL_FRAMES	4096	/* bound of frames sent to fill B */
#define STEP_TIMEOUT_MS	3000u

static struct rte_mempool *pool;
static uint64_t sent_total;	/* frames A's Tx accepted */
static uint64_t recv_total;	/* frames B's host read */

static uint64_t
xstat(uint16_t port, const char *name)
{
	uint64_t id, v = UINT64_MAX;

	if (rte_eth_xstats_get_id_by_name(port, name, &id) != 0 ||
	    rte_eth_xstats_get_by_id(port, &id, &v, 1) != 1) {
		printf("FAIL: port %u has no extended statistic %s\n", port, name);
		return UINT64_MAX;
	}
	return v;
}

static void
poll_both(unsigned int times)
{
	unsigned int i;

	for (i = 0; i < times; i++) {
		(void)rte_pmd_fbnic_model_poll(PORT_A, POLL_BUDGET);
		(void)rte_pmd_fbnic_model_poll(PORT_B, POLL_BUDGET);
	}
}

/* Queue up to n frames of PAYLOAD bytes on A; returns how many Tx took. */
static unsigned int
send_frames(unsigned int n)
{
	const struct tk_frame fr = {
		.dst_mac = { 0x02, 0x00, 0x00, 0x00, 0x00, 0xbb },
		.src_mac = { 0x02, 0x00, 0x00, 0x00, 0x00, 0xaa },
		.proto = TK_PROTO_UDP,
		.src = { 10, 0, 0, 1 },
		.dst = { 10, 0, 0, 2 },
		.sport = 1000,
		.dport = 2000,
	};
	struct rte_mbuf *m[BURST];
	unsigned int done = 0, k, got;

	while (done < n) {
		unsigned int want = RTE_MIN(n - done, (unsigned int)BURST);

		for (k = 0; k < want; k++) {
			uint8_t *p;

			m[k] = rte_pktmbuf_alloc(pool);
			if (m[k] == NULL)
				break;
			p = (uint8_t *)rte_pktmbuf_append(m[k],
					(uint16_t)(tk_frame_hdr_len(&fr) + PAYLOAD));
			if (p == NULL) {
				rte_pktmbuf_free(m[k]);
				break;
			}
			tk_frame_build(p, &fr, PAYLOAD);
		}
		got = rte_eth_tx_burst(PORT_A, 0, m, (uint16_t)k);
		for (; got < k; got++)
			rte_pktmbuf_free(m[got]);
		got = RTE_MIN(got, k);
		done += got;
		if (got < want)
			break;
	}
	sent_total += done;
	return done;
}

/* Read and free everything B's host has; returns the count. */
static unsigned int
drain_b(void)
{
	struct rte_mbuf *m[BURST];
	unsigned int n = 0;
	uint16_t k, i;

	do {
		k = rte_eth_rx_burst(PORT_B, 0, m, BURST);
		for (i = 0; i < k; i++)
			rte_pktmbuf_free(m[i]);
		n += k;
	} while (k > 0 && n < 1000000u);
	recv_total += n;
	return n;
}

static int
set_mode(uint16_t port, enum rte_eth_fc_mode mode)
{
	struct rte_eth_fc_conf fc;

	TEST_ASSERT_SUCCESS(rte_eth_dev_flow_ctrl_get(port, &fc));
	fc.mode = mode;
	TEST_ASSERT_SUCCESS(rte_eth_dev_flow_ctrl_set(port, &fc));
	return TEST_SUCCESS;
}

static int
ports_start(void)
{
	struct rte_eth_conf conf;
	struct rte_eth_link link;
	uint16_t p;

	memset(&conf, 0, sizeof(conf));
	for (p = PORT_A; p <= PORT_B; p++) {
		uint16_t nb = p == PORT_A ? NB_DESC_A : NB_DESC_B;

		TEST_ASSERT_SUCCESS(rte_eth_dev_configure(p, 1, 1, &conf));
		TEST_ASSERT_SUCCESS(rte_eth_rx_queue_setup(p, 0, nb, rte_socket_id(), NULL,
							   pool));
		TEST_ASSERT_SUCCESS(rte_eth_tx_queue_setup(p, 0, nb, rte_socket_id(), NULL));
		TEST_ASSERT_SUCCESS(rte_eth_dev_start(p));
		TEST_ASSERT_SUCCESS(rte_eth_promiscuous_enable(p));
	}
	for (p = PORT_A; p <= PORT_B; p++) {
		TEST_ASSERT(rte_eth_link_get(p, &link) >= 0, "link of port %u", p);
		TEST_CHECK_EQUAL(link.link_status, RTE_ETH_LINK_UP, "port %u link", p);
	}
	return TEST_SUCCESS;
}

/* Everything A sent reaches B's host, once the pause is over. */
static int
all_frames_arrive(void)
{
	uint64_t deadline = rte_get_timer_cycles() + rte_get_timer_hz() * STEP_TIMEOUT_MS / 1000;

	while (recv_total < sent_total && rte_get_timer_cycles() < deadline) {
		poll_both(1);
		(void)drain_b();
	}
	TEST_CHECK_EQUAL(recv_total, sent_total, "frames B read of those A sent");
	return TEST_SUCCESS;
}

/* After a case that lets B drop frames: take what arrives, forget the rest. */
static void
settle(void)
{
	unsigned int idle = 0, round;

	for (round = 0; round < 1000 && idle < 10; round++) {
		poll_both(1);
		idle = drain_b() == 0 ? idle + 1 : 0;
	}
	recv_total = sent_total;
}

/*
 * Send frames from A, never reading B, until B sent an XOFF (or the bound).
 * Returns the frames sent.
 */
static unsigned int
fill_b(uint64_t xoff_before)
{
	unsigned int n = 0;

	while (n < FILL_FRAMES && xstat(PORT_B, "mac_tx_xoff_frames") == xoff_before) {
		n += send_frames(BURST);
		poll_both(1);
	}
	return n;
}

static int
bad_requests_change_nothing(void)
{
	struct rte_eth_fc_conf fc, bad, now;

	TEST_ASSERT_SUCCESS(rte_eth_dev_flow_ctrl_get(PORT_A, &fc));
	TEST_CHECK_EQUAL(fc.mode, RTE_ETH_FC_NONE, "pause off by default");
	TEST_CHECK_EQUAL(fc.autoneg, 0, "no pause autonegotiation");
	TEST_CHECK(fc.high_water > fc.low_water && fc.low_water > 0,
		   "thresholds %u/%u", fc.high_water, fc.low_water);
	TEST_CHECK_EQUAL(fc.pause_time, 0xffff, "pause quanta");

	bad = fc;
	bad.mode = RTE_ETH_FC_FULL;
	bad.autoneg = 1;
	TEST_CHECK_EQUAL(rte_eth_dev_flow_ctrl_set(PORT_A, &bad), -EINVAL,
			 "pause autonegotiation on a link without autonegotiation");
	bad = fc;
	bad.mode = RTE_ETH_FC_FULL;
	bad.mac_ctrl_frame_fwd = 1;
	TEST_CHECK_EQUAL(rte_eth_dev_flow_ctrl_set(PORT_A, &bad), -EINVAL,
			 "control frame forwarding");
	bad = fc;
	bad.mode = RTE_ETH_FC_FULL;
	bad.high_water = fc.high_water / 2;
	TEST_CHECK_EQUAL(rte_eth_dev_flow_ctrl_set(PORT_A, &bad), -EINVAL, "another high water");
	bad = fc;
	bad.mode = (enum rte_eth_fc_mode)7;
	TEST_CHECK(rte_eth_dev_flow_ctrl_set(PORT_A, &bad) != 0, "unknown mode");
	TEST_ASSERT_SUCCESS(rte_eth_dev_flow_ctrl_get(PORT_A, &now));
	TEST_CHECK_EQUAL(now.mode, RTE_ETH_FC_NONE, "mode after the refusals");

	/* Zeros keep the hardware's values; the same values are accepted too. */
	bad = fc;
	bad.mode = RTE_ETH_FC_FULL;
	bad.high_water = 0;
	bad.low_water = 0;
	bad.pause_time = 0;
	bad.send_xon = 0;
	TEST_ASSERT_SUCCESS(rte_eth_dev_flow_ctrl_set(PORT_A, &bad));
	TEST_ASSERT_SUCCESS(rte_eth_dev_flow_ctrl_get(PORT_A, &now));
	TEST_CHECK_EQUAL(now.mode, RTE_ETH_FC_FULL, "mode set");
	TEST_CHECK_EQUAL(now.high_water, fc.high_water, "high water kept");
	TEST_ASSERT_SUCCESS(set_mode(PORT_A, RTE_ETH_FC_NONE));

	/* The port still forwards. */
	TEST_CHECK_EQUAL(send_frames(8), 8);
	return all_frames_arrive();
}

static int
full_buffer_pauses_the_peer(void)
{
	uint64_t tx_a, rx_b, xoff_b, xoff_a;
	unsigned int n, i;

	TEST_ASSERT_SUCCESS(set_mode(PORT_A, RTE_ETH_FC_FULL));
	TEST_ASSERT_SUCCESS(set_mode(PORT_B, RTE_ETH_FC_FULL));
	xoff_b = xstat(PORT_B, "mac_tx_xoff_frames");
	xoff_a = xstat(PORT_A, "mac_rx_xoff_frames");

	TEST_ASSERT_SUCCESS(rte_pmd_fbnic_model_clock_hold(PORT_A, true));
	n = fill_b(xoff_b);
	TEST_CHECK(xstat(PORT_B, "mac_tx_xoff_frames") > xoff_b,
		   "B sent no XOFF after %u frames", n);
	poll_both(4);
	TEST_CHECK(xstat(PORT_A, "mac_rx_xoff_frames") > xoff_a, "A received no XOFF");

	/* A holds: new frames stay in its Tx queue, nothing reaches B. */
	tx_a = xstat(PORT_A, "mac_tx_ok_frames");
	rx_b = xstat(PORT_B, "mac_rx_ok_frames");
	TEST_CHECK_EQUAL(send_frames(BURST), BURST);
	for (i = 0; i < 100; i++)
		poll_both(1);
	TEST_CHECK_EQUAL(xstat(PORT_A, "mac_tx_ok_frames"), tx_a, "A transmitted while paused");
	TEST_CHECK_EQUAL(xstat(PORT_B, "mac_rx_ok_frames"), rx_b, "B received while A paused");

	/* B's host reads: the buffer drains, B sends XON, A's frames go. */
	TEST_ASSERT_SUCCESS(all_frames_arrive());
	TEST_CHECK(xstat(PORT_A, "mac_tx_ok_frames") > tx_a, "A never resumed");
	TEST_CHECK_EQUAL(xstat(PORT_B, "rx_missed_errors"), 0, "frames B lost");
	TEST_ASSERT_SUCCESS(rte_pmd_fbnic_model_clock_hold(PORT_A, false));
	return TEST_SUCCESS;
}

static int
pause_off_sends_and_honours_none(void)
{
	uint64_t tx_a, xoff_b;
	unsigned int i;

	/* A ignores pause frames: B's XOFF does not stop it. */
	TEST_ASSERT_SUCCESS(set_mode(PORT_A, RTE_ETH_FC_TX_PAUSE));
	TEST_ASSERT_SUCCESS(set_mode(PORT_B, RTE_ETH_FC_FULL));
	TEST_ASSERT_SUCCESS(rte_pmd_fbnic_model_clock_hold(PORT_A, true));
	xoff_b = xstat(PORT_B, "mac_tx_xoff_frames");
	(void)fill_b(xoff_b);
	TEST_CHECK(xstat(PORT_B, "mac_tx_xoff_frames") > xoff_b, "B sent no XOFF");
	poll_both(4);
	tx_a = xstat(PORT_A, "mac_tx_ok_frames");
	TEST_CHECK_EQUAL(send_frames(BURST), BURST);
	for (i = 0; i < 10; i++)
		poll_both(1);
	TEST_CHECK_EQUAL(xstat(PORT_A, "mac_tx_ok_frames") - tx_a, BURST,
			 "A without Rx pause held its frames");
	TEST_ASSERT_SUCCESS(rte_pmd_fbnic_model_clock_hold(PORT_A, false));
	settle();

	/* B without Tx pause: its buffer fills and drops, no XOFF. */
	TEST_ASSERT_SUCCESS(set_mode(PORT_A, RTE_ETH_FC_FULL));
	TEST_ASSERT_SUCCESS(set_mode(PORT_B, RTE_ETH_FC_RX_PAUSE));
	xoff_b = xstat(PORT_B, "mac_tx_xoff_frames");
	(void)fill_b(xoff_b);
	TEST_CHECK_EQUAL(xstat(PORT_B, "mac_tx_xoff_frames"), xoff_b,
			 "B without Tx pause sent XOFF");
	TEST_CHECK(xstat(PORT_B, "rx_missed_errors") > 0, "B's full buffer dropped nothing");
	settle();
	return TEST_SUCCESS;
}

static int
pause_storm_is_stopped_and_rearmed(void)
{
	uint64_t storms, xoff_b, deadline;

	TEST_ASSERT_SUCCESS(set_mode(PORT_A, RTE_ETH_FC_FULL));
	TEST_ASSERT_SUCCESS(set_mode(PORT_B, RTE_ETH_FC_FULL));
	storms = xstat(PORT_B, "rxb_in0_pause_storms");
	xoff_b = xstat(PORT_B, "mac_tx_xoff_frames");
	(void)fill_b(xoff_b);
	TEST_CHECK(xstat(PORT_B, "mac_tx_xoff_frames") > xoff_b, "B sent no XOFF");
	/* Keep B full past the 500 ms guard. */
	deadline = rte_get_timer_cycles() + rte_get_timer_hz() * STEP_TIMEOUT_MS / 1000;
	while (xstat(PORT_B, "rxb_in0_pause_storms") == storms &&
	       rte_get_timer_cycles() < deadline) {
		poll_both(1);
		rte_delay_us_sleep(1000);
	}
	TEST_CHECK(xstat(PORT_B, "rxb_in0_pause_storms") > storms, "no pause storm seen");
	/* The driver's service re-arms the guard (within 1 s): B pauses again. */
	xoff_b = xstat(PORT_B, "mac_tx_xoff_frames");
	deadline = rte_get_timer_cycles() + rte_get_timer_hz() * STEP_TIMEOUT_MS / 1000;
	while (xstat(PORT_B, "mac_tx_xoff_frames") == xoff_b &&
	       rte_get_timer_cycles() < deadline) {
		(void)send_frames(4);
		poll_both(1);
		rte_delay_us_sleep(1000);
	}
	TEST_CHECK(xstat(PORT_B, "mac_tx_xoff_frames") > xoff_b, "the guard was not re-armed");
	settle();
	return TEST_SUCCESS;
}

static const struct test_case tests[] = {
	TEST_CASE(bad_requests_change_nothing),
	TEST_CASE(full_buffer_pauses_the_peer),
	TEST_CASE(pause_off_sends_and_honours_none),
	TEST_CASE(pause_storm_is_stopped_and_rearmed),
};

int
main(int argc, char **argv)
{
	const struct test_case *test;
	uint16_t p;
	int ret;

	if (argc < 2) {
		printf("usage: %s <test> <EAL arguments>\n", argv[0]);
		return 2;
	}
	test = test_case_find(tests, RTE_DIM(tests), argv[1]);
	if (test == NULL)
		return 2;
	argv[1] = argv[0];
	if (rte_eal_init(argc - 1, argv + 1) < 0) {
		printf("FAIL: EAL init: %s\n", rte_strerror(rte_errno));
		return 1;
	}
	if (rte_eth_dev_count_avail() != 2) {
		printf("FAIL: expected two cabled model ports\n");
		rte_eal_cleanup();
		return 1;
	}
	pool = rte_pktmbuf_pool_create("fc", NB_MBUFS, 0, 0, RTE_MBUF_DEFAULT_BUF_SIZE,
				       rte_socket_id());
	if (pool == NULL) {
		printf("FAIL: mempool: %s\n", rte_strerror(rte_errno));
		rte_eal_cleanup();
		return 1;
	}
	if (TK_RUN(ports_start) == 0)
		(void)tk_run(test->name, test->fn);
	for (p = PORT_A; p <= PORT_B; p++) {
		TEST_CHECK_EQUAL(rte_eth_dev_stop(p), 0);
		TEST_CHECK_EQUAL(rte_eth_dev_close(p), 0);
	}
	TEST_CHECK_EQUAL(rte_mempool_avail_count(pool), pool->size, "every mbuf back");
	rte_mempool_free(pool);
	ret = tk_report(test->name);
	rte_eal_cleanup();
	return ret;
}
