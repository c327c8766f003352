/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

/*
 * port_restart_returns_every_mbuf: a model port with a loopback wire
 * and 4 queue pairs is started and stopped 100 times; each round sends
 * frames on every queue and receives them back (every round but a few,
 * which leave frames in the rings on purpose). After close every mbuf is
 * back in the pool, and every round received exactly what it sent.
 *
 * Usage: test_port_restart <EAL args> (the plugin is linked in, or given with -d).
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_ether.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>

#include "rte_pmd_fbnic.h"

#include "fbnic_tk.h"
#include "fbnic_tk_frame.h"

#define NB_QUEUES	4
#define NB_DESC		256
#define NB_MBUFS	4096
#define ROUNDS		100
#define FRAMES_PER_Q	16
#define FRAME_LEN	128
#define WAIT_MS		2000

/* A UDP/IPv4 frame to the port's own MAC; ports vary so RSS spreads them. */
static struct rte_mbuf *
make_frame(struct rte_mempool *mp, const struct rte_ether_addr *dst, uint16_t sport)
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
	/* 10.0.0.1 -> 10.0.0.2 + sport, port 1000 + sport -> 2000 */
	tk_frame_init(&fr, false, TK_PROTO_UDP);
	memcpy(fr.dst_mac, dst, sizeof(fr.dst_mac));
	fr.src_mac[5] = 0x99;
	tk_put32(fr.src, 0x0a000001);
	tk_put32(fr.dst, 0x0a000002 + sport);
	fr.sport = (uint16_t)(1000 + sport);
	fr.dport = 2000;
	fr.seed = sport;
	tk_frame_build(p, &fr, FRAME_LEN - tk_frame_hdr_len(&fr));
	return m;
}

/* Send FRAMES_PER_Q frames on every Tx queue; returns the number accepted. */
static unsigned int
send_round(uint16_t port, struct rte_mempool *mp, const struct rte_ether_addr *dst,
	   unsigned int round)
{
	struct rte_mbuf *pkts[FRAMES_PER_Q];
	unsigned int sent = 0, n;
	uint16_t q, i, k;

	for (q = 0; q < NB_QUEUES; q++) {
		for (n = 0; n < FRAMES_PER_Q; n++) {
			uint16_t flow = (uint16_t)(round * 64 + q * FRAMES_PER_Q + n);

			pkts[n] = make_frame(mp, dst, flow);
			if (pkts[n] == NULL)
				break;
		}
		i = rte_eth_tx_burst(port, q, pkts, (uint16_t)n);
		for (k = i; k < n; k++)
			rte_pktmbuf_free(pkts[k]);
		sent += i;
	}
	return sent;
}

/* Receive until want frames arrived or WAIT_MS passed. */
static unsigned int
receive_all(uint16_t port, unsigned int want)
{
	struct rte_mbuf *pkts[32];
	uint64_t deadline = tk_now_ms() + WAIT_MS;
	unsigned int got = 0;
	uint16_t q, n, k;

	while (got < want && tk_now_ms() < deadline) {
		for (q = 0; q < NB_QUEUES; q++) {
			n = rte_eth_rx_burst(port, q, pkts, RTE_DIM(pkts));
			for (k = 0; k < n; k++) {
				if (pkts[k]->pkt_len != FRAME_LEN)
					printf("note: frame of %u bytes\n", pkts[k]->pkt_len);
				rte_pktmbuf_free(pkts[k]);
			}
			got += n;
		}
	}
	return got;
}

static uint16_t restart_port;
static struct rte_mempool *restart_mp;

static int
port_restart_returns_every_mbuf(void)
{
	struct rte_mempool *mp = restart_mp;
	uint16_t port = restart_port, q;
	unsigned int round, sent, got, total = 0;
	struct rte_eth_conf conf;
	struct rte_ether_addr mac;
	int ret;

	memset(&conf, 0, sizeof(conf));
	conf.rxmode.mq_mode = RTE_ETH_MQ_RX_RSS;
	conf.rx_adv_conf.rss_conf.rss_hf = RTE_ETH_RSS_IPV4 | RTE_ETH_RSS_NONFRAG_IPV4_UDP;
	ret = rte_eth_dev_configure(port, NB_QUEUES, NB_QUEUES, &conf);
	TEST_CHECK(ret == 0, "configure: %d", ret);
	for (q = 0; q < NB_QUEUES && ret == 0; q++) {
		ret = rte_eth_rx_queue_setup(port, q, NB_DESC, rte_socket_id(), NULL, mp);
		TEST_CHECK(ret == 0, "rx queue %u setup: %d", q, ret);
		if (ret == 0) {
			ret = rte_eth_tx_queue_setup(port, q, NB_DESC, rte_socket_id(), NULL);
			TEST_CHECK(ret == 0, "tx queue %u setup: %d", q, ret);
		}
	}
	rte_eth_macaddr_get(port, &mac);

	for (round = 0; round < ROUNDS && tk_failures == 0; round++) {
		ret = rte_eth_dev_start(port);
		TEST_CHECK(ret == 0, "round %u: start: %d", round, ret);
		if (ret != 0)
			break;
		sent = send_round(port, mp, &mac, round);
		TEST_CHECK(sent == NB_QUEUES * FRAMES_PER_Q, "round %u: sent %u of %u", round, sent,
			   NB_QUEUES * FRAMES_PER_Q);
		/* Every tenth round stops with the frames still in the rings. */
		if (round % 10 != 9) {
			got = receive_all(port, sent);
			TEST_CHECK(got == sent, "round %u: received %u of %u", round, got, sent);
			total += got;
		}
		ret = rte_eth_dev_stop(port);
		TEST_CHECK(ret == 0, "round %u: stop: %d", round, ret);
	}
	TEST_CHECK(round == ROUNDS, "stopped after %u rounds", round);

	ret = rte_eth_dev_close(port);
	TEST_CHECK(ret == 0, "close: %d", ret);
	TEST_CHECK(rte_mempool_avail_count(mp) == NB_MBUFS,
		   "after close %u of %u mbufs are in the pool (%u in use)",
		   rte_mempool_avail_count(mp), NB_MBUFS, rte_mempool_in_use_count(mp));

	printf("%u restarts, %u frames looped back, %u/%u mbufs in the pool\n", round, total,
	       rte_mempool_avail_count(mp), NB_MBUFS);
	return TEST_SUCCESS;
}

int
main(int argc, char **argv)
{
	uint16_t port = 0;
	int ret;

	ret = rte_eal_init(argc, argv);
	if (ret < 0) {
		printf("FAIL: EAL init: %s\n", rte_strerror(rte_errno));
		return 1;
	}
	if (rte_eth_dev_count_avail() != 1) {
		printf("FAIL: expected one port (give --vdev net_fbnic_model0,wire=loopback)\n");
		rte_eal_cleanup();
		return 1;
	}
	RTE_ETH_FOREACH_DEV(port)
		break;
	restart_port = port;
	/* Not a model port: refused (and the plugin's API is reachable). */
	TEST_CHECK(rte_pmd_fbnic_model_poll(RTE_MAX_ETHPORTS, 1) == -ENODEV, "poll of no port");

	/* No per-lcore cache: the available count is then exact. */
	restart_mp = rte_pktmbuf_pool_create("restart_pool", NB_MBUFS, 0, 0,
					     RTE_MBUF_DEFAULT_BUF_SIZE, rte_socket_id());
	if (restart_mp == NULL) {
		printf("FAIL: mempool: %s\n", rte_strerror(rte_errno));
		rte_eal_cleanup();
		return 1;
	}

	TK_RUN(port_restart_returns_every_mbuf);

	rte_mempool_free(restart_mp);
	rte_eal_cleanup();
	return tk_report("test_port_restart");
}
