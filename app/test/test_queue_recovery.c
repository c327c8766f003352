/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

/*
 * A device that loses step with its queues: the driver notices, logs one
 * line, counts a reset in the queue's xstats, resets the queue by itself,
 * and the port then passes frames as before, with every mbuf returned
 * (queues_recover_from_a_lost_device):
 *
 *   rcq_forge  the model writes completions with forged DONE bits beyond
 *              its RCQ tail: the Rx burst takes them, sees that it took
 *              more than the device wrote (RCQ_PTRS), and resets the queue
 *              (copy and zero-copy ports).
 *   tx_stall   the model's Tx engine stops: the ring fills, the hardware
 *              head does not move, and after FBNIC_TX_STALL_MS the Tx burst
 *              resets the queue, dropping (and counting) what it held.
 *
 * Usage: test_queue_recovery <EAL args with two loopback model ports, the
 * second with rx_zero_copy=1>
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_ether.h>
#include <rte_log.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>

#include "rte_pmd_fbnic.h"

#include "fbnic_tk.h"
#include "fbnic_tk_frame.h"

#define NB_MBUFS	4096
#define NB_DESC		512
#define WAIT_MS		3000
#define FRAME_LEN	200

static char *log_buf;
static size_t log_len;
static FILE *log_stream;

static bool
logged(const char *what)
{
	fflush(log_stream);
	return log_buf != NULL && strstr(log_buf, what) != NULL;
}

static uint64_t
xstat(uint16_t port, const char *name)
{
	uint64_t id, value;

	if (rte_eth_xstats_get_id_by_name(port, name, &id) != 0 ||
	    rte_eth_xstats_get_by_id(port, &id, &value, 1) != 1)
		return UINT64_MAX;
	return value;
}

static int
port_start(uint16_t port, struct rte_mempool *mp)
{
	struct rte_eth_conf conf;
	struct rte_eth_link link;
	uint64_t deadline;

	memset(&conf, 0, sizeof(conf));
	if (rte_eth_dev_configure(port, 1, 1, &conf) != 0 ||
	    rte_eth_rx_queue_setup(port, 0, NB_DESC, rte_socket_id(), NULL, mp) != 0 ||
	    rte_eth_tx_queue_setup(port, 0, NB_DESC, rte_socket_id(), NULL) != 0 ||
	    rte_eth_dev_start(port) != 0)
		return -1;
	deadline = tk_now_ms() + WAIT_MS;
	while (tk_now_ms() < deadline) {
		if (rte_eth_link_get_nowait(port, &link) == 0 && link.link_status)
			return 0;
		rte_delay_ms(5);
	}
	return -1;
}

/* The last byte of a frame made with tag. */
static uint8_t
frame_last_byte(uint8_t tag)
{
	return tk_frame_pattern(tag, FRAME_LEN - TK_ETH_HLEN - 1);
}

/* A frame of the local experimental EtherType 0x88b5, its payload by tag. */
static struct rte_mbuf *
frame_make(struct rte_mempool *mp, const struct rte_ether_addr *dst, uint8_t tag)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(mp);
	struct tk_frame fr;
	uint8_t *p;

	if (m == NULL)
		return NULL;
	p = (uint8_t *)rte_pktmbuf_append(m, FRAME_LEN);
	if (p == NULL) {
		rte_pktmbuf_free(m);
		return NULL;
	}
	tk_frame_init(&fr, false, 0);
	memcpy(fr.dst_mac, dst, sizeof(fr.dst_mac));
	fr.ethertype = 0x88b5;
	fr.seed = tag;
	tk_frame_build(p, &fr, FRAME_LEN - TK_ETH_HLEN);
	return m;
}

/* Send n frames and receive them back; returns the frames back intact. */
static unsigned int
loop_frames(uint16_t port, struct rte_mempool *mp, unsigned int n, uint8_t tag)
{
	struct rte_ether_addr mac;
	struct rte_mbuf *m, *rx[32];
	unsigned int sent = 0, got = 0, ok = 0, k;
	uint64_t deadline = tk_now_ms() + WAIT_MS;

	if (rte_eth_macaddr_get(port, &mac) != 0)
		return 0;
	while (sent < n && tk_now_ms() < deadline) {
		m = frame_make(mp, &mac, tag);
		if (m == NULL)
			break;
		if (rte_eth_tx_burst(port, 0, &m, 1) == 1)
			sent++;
		else
			rte_pktmbuf_free(m);
	}
	while (got < sent && tk_now_ms() < deadline) {
		uint16_t nb = rte_eth_rx_burst(port, 0, rx, RTE_DIM(rx));

		for (k = 0; k < nb; k++) {
			const uint8_t *b = rte_pktmbuf_mtod(rx[k], const uint8_t *);

			if (rx[k]->pkt_len == FRAME_LEN && rx[k]->nb_segs == 1 &&
			    b[FRAME_LEN - 1] == frame_last_byte(tag))
				ok++;
		}
		got += nb;
		rte_pktmbuf_free_bulk(rx, nb);
		if (nb == 0)
			rte_delay_us_sleep(100);
	}
	return ok;
}

/* Receive and free whatever arrives for 100 ms. */
static void
rx_drain(uint16_t port)
{
	struct rte_mbuf *rx[32];
	uint64_t deadline = tk_now_ms() + 100;

	while (tk_now_ms() < deadline) {
		uint16_t nb = rte_eth_rx_burst(port, 0, rx, RTE_DIM(rx));

		rte_pktmbuf_free_bulk(rx, nb);
		if (nb == 0)
			rte_delay_us_sleep(100);
	}
}

/* Poll Rx until the queue's reset counter reaches want (bounded). */
static bool
rx_until_reset(uint16_t port, uint64_t want)
{
	struct rte_mbuf *rx[32];
	uint64_t deadline = tk_now_ms() + WAIT_MS;

	while (tk_now_ms() < deadline) {
		uint16_t nb = rte_eth_rx_burst(port, 0, rx, RTE_DIM(rx));

		rte_pktmbuf_free_bulk(rx, nb);
		if (xstat(port, "rx_q0_resets") != UINT64_MAX &&
		    xstat(port, "rx_q0_resets") >= want)
			return true;
		rte_delay_us_sleep(100);
	}
	return false;
}

static void
rx_queue_recovers_from_forged_completions(uint16_t port, struct rte_mempool *mp, const char *what)
{
	unsigned int got;

	got = loop_frames(port, mp, 16, 0x11);
	TEST_CHECK(got == 16, "%s: before the fault: %u of 16 frames", what, got);
	TEST_CHECK(xstat(port, "rx_q0_resets") == 0, "%s: reset before the fault", what);

	TEST_CHECK(rte_pmd_fbnic_model_fault_set(port, "rcq_forge", true) == 0, "%s: fault on",
		   what);
	got = loop_frames(port, mp, 1, 0x22);
	TEST_CHECK(rte_pmd_fbnic_model_fault_set(port, "rcq_forge", false) == 0, "%s: fault off",
		   what);
	TEST_CHECK(rx_until_reset(port, 1), "%s: the queue was not reset (resets %" PRIu64 ")",
		   what, xstat(port, "rx_q0_resets"));
	TEST_CHECK(xstat(port, "rx_q0_bad_desc") >= 1, "%s: forged completions not counted", what);
	TEST_CHECK(logged("completions taken, the device wrote"), "%s: no log line", what);

	got = loop_frames(port, mp, 64, 0x33);
	TEST_CHECK(got == 64, "%s: after the reset: %u of 64 frames", what, got);
	TEST_CHECK(xstat(port, "rx_q0_resets") == 1, "%s: %" PRIu64 " resets, 1 expected", what,
		   xstat(port, "rx_q0_resets"));
}

static void
tx_queue_recovers_from_a_stall(uint16_t port, struct rte_mempool *mp)
{
	struct rte_ether_addr mac;
	uint64_t deadline, t0;
	unsigned int accepted = 0, got;
	struct rte_mbuf *m;

	TEST_CHECK(rte_eth_macaddr_get(port, &mac) == 0, "mac");
	TEST_CHECK(rte_pmd_fbnic_model_fault_set(port, "tx_stall", true) == 0, "fault on");
	t0 = tk_now_ms();
	deadline = t0 + 3 * WAIT_MS;
	/* Keep offering frames: the full ring must be reset after the stall bound. */
	while ((xstat(port, "tx_q0_resets") == 0 || xstat(port, "tx_q0_resets") == UINT64_MAX) &&
	       tk_now_ms() < deadline) {
		m = frame_make(mp, &mac, 0x44);
		if (m == NULL)
			break;
		if (rte_eth_tx_burst(port, 0, &m, 1) == 1)
			accepted++;
		else
			rte_pktmbuf_free(m);
	}
	TEST_CHECK(xstat(port, "tx_q0_resets") == 1, "the stalled Tx queue was not reset "
		   "(%u frames accepted)", accepted);
	TEST_CHECK(tk_now_ms() - t0 >= 1000, "reset after %" PRIu64 " ms, before the stall bound",
		   tk_now_ms() - t0);
	TEST_CHECK(xstat(port, "tx_q0_drops") >= 1 && xstat(port, "tx_q0_drops") <= accepted,
		   "%" PRIu64 " frames counted dropped of %u accepted", xstat(port, "tx_q0_drops"),
		   accepted);
	TEST_CHECK(logged("head stuck at"), "no log line");
	TEST_CHECK(rte_pmd_fbnic_model_fault_set(port, "tx_stall", false) == 0, "fault off");
	/* Frames the engine sent as the stall began may wait in the Rx ring. */
	rx_drain(port);

	got = loop_frames(port, mp, 64, 0x55);
	TEST_CHECK(got == 64, "after the reset: %u of 64 frames", got);
}

static struct rte_mempool *recovery_mp;

static int
queues_recover_from_a_lost_device(void)
{
	static const char *const names[] = { "net_fbnic_model0", "net_fbnic_model1" };
	struct rte_mempool *mp = recovery_mp;
	uint16_t port[2];
	unsigned int p;

	for (p = 0; p < RTE_DIM(names); p++)
		TEST_ASSERT(rte_eth_dev_get_port_by_name(names[p], &port[p]) == 0 &&
			    port_start(port[p], mp) == 0, "%s: no running port", names[p]);
	rx_queue_recovers_from_forged_completions(port[0], mp, "copy Rx");
	rx_queue_recovers_from_forged_completions(port[1], mp, "zero-copy Rx");
	tx_queue_recovers_from_a_stall(port[0], mp);
	for (p = 0; p < RTE_DIM(names); p++)
		TEST_CHECK(rte_eth_dev_stop(port[p]) == 0 && rte_eth_dev_close(port[p]) == 0,
			   "%s: stop/close", names[p]);
	TEST_CHECK(rte_mempool_avail_count(mp) == mp->size, "%u of %u mbufs back",
		   rte_mempool_avail_count(mp), mp->size);
	return TEST_SUCCESS;
}

int
main(int argc, char **argv)
{
	int ret = 1;

	setvbuf(stdout, NULL, _IONBF, 0);
	log_stream = open_memstream(&log_buf, &log_len);
	if (log_stream == NULL || rte_eal_init(argc, argv) < 0) {
		printf("FAIL: EAL init\n");
		return 1;
	}
	rte_openlog_stream(log_stream);
	recovery_mp = rte_pktmbuf_pool_create("recovery_pool", NB_MBUFS, 0, 0,
					      RTE_MBUF_DEFAULT_BUF_SIZE, rte_socket_id());
	if (recovery_mp == NULL) {
		printf("FAIL: mempool\n");
	} else {
		TK_RUN(queues_recover_from_a_lost_device);
		ret = tk_report("test_queue_recovery");
	}
	rte_openlog_stream(NULL);
	fflush(log_stream);
	if (tk_failures != 0 && log_buf != NULL)
		printf("--- log ---\n%s\n", log_buf);
	rte_mempool_free(recovery_mp);
	rte_eal_cleanup();
	fclose(log_stream);
	free(log_buf);
	return ret;
}
