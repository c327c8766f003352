/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

/*
 * fbnic-soak: a long run of the PMD on two cabled model ports, 4 queue
 * pairs each. Port 0 sends UDP frames of many flows on its 4 Tx queues;
 * port 1 spreads them with RSS over its 4 Rx queues. At the end every frame
 * is accounted for:
 *   - per port 0 Tx queue: accepted by tx_burst = sent by the device +
 *     dropped by the driver (tx_qN_drops), from the queue's xstats;
 *   - per port 1 Rx queue: received by the application = the queue's
 *     rx_qN_packets xstat;
 *   - port: sent = received + counted drops (port 1's imissed and Rx
 *     errors, port 0's oerrors) + in flight (0 once the cable is drained);
 *   - the process's resident memory does not grow after warm-up, and every
 *     mbuf is back in its pool after close.
 * Prints the figures, each failed check (the test kit's TEST_CHECK) and
 * "PASS"/"FAIL"; exit 0 only on PASS.
 *
 * usage: fbnic-soak <EAL args> -- [-n frames] [-t max seconds] [-p plugin]
 *   (devtools/soak.sh gives the EAL arguments: the two model ports)
 *   -p: the models have no engine thread (engine=none); the application
 *       drives them between bursts through the plugin's
 *       rte_pmd_fbnic_model_poll()
 */

#include <dlfcn.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>
#include <rte_udp.h>

#include "fbnic_tk.h"

/* model_poll() of the plugin that EAL loaded (-d), for -p */
typedef int (*model_poll_t)(uint16_t port_id, unsigned int budget);
static model_poll_t model_poll;

#define NB_QUEUES	4
#define NB_DESC		1024
#define NB_MBUFS	32768
#define BURST		32
#define FRAME_LEN	64
#define FLOWS		1024
/* In flight: sent, not yet received or counted lost (the model's cable buffers 512 frames). */
#define WINDOW		384

static uint64_t
rss_kib(void)
{
	char line[256];
	uint64_t kib = 0;
	FILE *f = fopen("/proc/self/status", "r");

	if (f == NULL)
		return 0;
	while (fgets(line, sizeof(line), f) != NULL)
		if (sscanf(line, "VmRSS: %" SCNu64, &kib) == 1)
			break;
	fclose(f);
	return kib;
}

static uint64_t
xstat(uint16_t port, const char *fmt, unsigned int q)
{
	char name[RTE_ETH_XSTATS_NAME_SIZE];
	uint64_t id, value;

	snprintf(name, sizeof(name), fmt, q);
	if (rte_eth_xstats_get_id_by_name(port, name, &id) != 0 ||
	    rte_eth_xstats_get_by_id(port, &id, &value, 1) != 1)
		return UINT64_MAX;
	return value;
}

static int
port_setup(uint16_t port, struct rte_mempool *mp)
{
	struct rte_eth_conf conf;
	uint16_t q;

	memset(&conf, 0, sizeof(conf));
	conf.rxmode.mq_mode = RTE_ETH_MQ_RX_RSS;
	conf.rx_adv_conf.rss_conf.rss_hf = RTE_ETH_RSS_NONFRAG_IPV4_UDP;
	if (rte_eth_dev_configure(port, NB_QUEUES, NB_QUEUES, &conf) != 0)
		return -1;
	for (q = 0; q < NB_QUEUES; q++)
		if (rte_eth_rx_queue_setup(port, q, NB_DESC, rte_socket_id(), NULL, mp) != 0 ||
		    rte_eth_tx_queue_setup(port, q, NB_DESC, rte_socket_id(), NULL) != 0)
			return -1;
	return rte_eth_dev_start(port);
}

/* Frames of flow f: UDP/IPv4 to port 1's MAC, source port by flow. */
static void
frame_fill(struct rte_mbuf *m, const struct rte_ether_addr *dst, unsigned int flow)
{
	struct rte_ether_hdr *eth = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(eth + 1);
	struct rte_udp_hdr *udp = (struct rte_udp_hdr *)(ip + 1);

	m->data_len = m->pkt_len = FRAME_LEN;
	memset(eth, 0, FRAME_LEN);
	rte_ether_addr_copy(dst, &eth->dst_addr);
	eth->src_addr.addr_bytes[0] = 0x02;
	eth->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4);
	ip->version_ihl = RTE_IPV4_VHL_DEF;
	ip->time_to_live = 64;
	ip->next_proto_id = IPPROTO_UDP;
	ip->total_length = rte_cpu_to_be_16(FRAME_LEN - sizeof(*eth));
	ip->src_addr = rte_cpu_to_be_32(0xc6120001);
	ip->dst_addr = rte_cpu_to_be_32(0xc6120002);
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	udp->src_port = rte_cpu_to_be_16((uint16_t)(1024 + flow));
	udp->dst_port = rte_cpu_to_be_16(4000);
	udp->dgram_len = rte_cpu_to_be_16(FRAME_LEN - sizeof(*eth) - sizeof(*ip));
}

int
main(int argc, char **argv)
{
	uint64_t accepted[NB_QUEUES] = { 0 }, received[NB_QUEUES] = { 0 };
	uint64_t target = 1000000000ull, max_s = 3600, t0, last_print, rss_warm = 0, rss_max = 0;
	uint64_t total_tx = 0, total_rx = 0, sent_hw = 0, drops = 0, in_flight;
	struct rte_eth_stats st0, st1;
	struct rte_ether_addr dst;
	struct rte_mempool *mp;
	unsigned int flow = 0, q, idle;
	uint64_t missed = 0, loops = 0;
	bool app_polls = false;
	int ret, opt;

	ret = rte_eal_init(argc, argv);
	if (ret < 0) {
		printf("FAIL: EAL init\n");
		return 1;
	}
	argc -= ret;
	argv += ret;
	while ((opt = getopt(argc, argv, "n:p:t:")) != -1) {
		if (opt == 'p') {
			void *h = dlopen(optarg, RTLD_NOW | RTLD_NOLOAD);

			model_poll = NULL;
			if (h != NULL)
				model_poll = (model_poll_t)dlsym(h, "rte_pmd_fbnic_model_poll");
			if (model_poll == NULL) {
				printf("FAIL: -p %s: not a loaded fbnic plugin\n", optarg);
				return 2;
			}
			app_polls = true;
		} else if (opt == 'n')
			target = strtoull(optarg, NULL, 0);
		else if (opt == 't')
			max_s = strtoull(optarg, NULL, 0);
		else
			return 2;
	}
	if (rte_eth_dev_count_avail() != 2) {
		printf("FAIL: needs two (cabled) ports, has %u\n", rte_eth_dev_count_avail());
		return 1;
	}
	mp = rte_pktmbuf_pool_create("soak_pool", NB_MBUFS, 256, 0, RTE_MBUF_DEFAULT_BUF_SIZE,
				     rte_socket_id());
	if (mp == NULL || port_setup(0, mp) != 0 || port_setup(1, mp) != 0) {
		printf("FAIL: port setup\n");
		return 1;
	}
	rte_eth_macaddr_get(1, &dst);
	rte_delay_ms(100);

	t0 = rte_get_timer_cycles();
	last_print = t0;
	while (total_tx < target &&
	       rte_get_timer_cycles() - t0 < max_s * rte_get_timer_hz()) {
		for (q = 0; q < NB_QUEUES; q++) {
			struct rte_mbuf *pkts[BURST];
			uint16_t i, n;

			/* Send while the receiver keeps up: a bounded number in flight. */
			if (total_tx - total_rx - missed < WINDOW &&
			    rte_pktmbuf_alloc_bulk(mp, pkts, BURST) == 0) {
				for (i = 0; i < BURST; i++)
					frame_fill(pkts[i], &dst, flow++ % FLOWS);
				n = rte_eth_tx_burst(0, q, pkts, BURST);
				accepted[q] += n;
				total_tx += n;
				rte_pktmbuf_free_bulk(pkts + n, BURST - n);
			}
			n = rte_eth_rx_burst(1, q, pkts, BURST);
			received[q] += n;
			total_rx += n;
			rte_pktmbuf_free_bulk(pkts, n);
		}
		if (app_polls) {
			model_poll(0, 256);
			model_poll(1, 256);
		}
		if ((++loops & 1023) == 0 && rte_eth_stats_get(1, &st1) == 0)
			missed = st1.imissed + st1.ierrors;
		if (rte_get_timer_cycles() - last_print > 10 * rte_get_timer_hz()) {
			uint64_t kib = rss_kib();
			double s = (double)(rte_get_timer_cycles() - t0) / rte_get_timer_hz();

			last_print = rte_get_timer_cycles();
			if (rss_warm == 0)
				rss_warm = kib;
			rss_max = RTE_MAX(rss_max, kib);
			printf("%.0f s: %" PRIu64 " sent, %" PRIu64 " received, %.2f Mpps, "
			       "RSS %" PRIu64 " KiB\n", s, total_tx, total_rx,
			       total_tx / s / 1e6, kib);
		}
	}
	/* Drain: whatever the cable and the rings still hold. */
	for (idle = 0; idle < 200; ) {
		uint16_t got = 0;

		for (q = 0; q < NB_QUEUES; q++) {
			struct rte_mbuf *pkts[BURST];
			uint16_t n;

			if (app_polls) {
				model_poll(0, 256);
				model_poll(1, 256);
			}
			n = rte_eth_rx_burst(1, q, pkts, BURST);
			received[q] += n;
			total_rx += n;
			got += n;
			rte_pktmbuf_free_bulk(pkts, n);
		}
		idle = got != 0 ? 0 : idle + 1;
		rte_delay_ms(got != 0 ? 0 : 5);
	}
	rte_delay_ms(1500);	/* the 1 s service alarm publishes the counters */

	TEST_CHECK(rte_eth_stats_get(0, &st0) == 0 && rte_eth_stats_get(1, &st1) == 0, "stats");
	for (q = 0; q < NB_QUEUES; q++) {
		uint64_t tx_pk = xstat(0, "tx_q%u_packets", q), tx_dr = xstat(0, "tx_q%u_drops", q);
		uint64_t rx_pk = xstat(1, "rx_q%u_packets", q);

		printf("queue %u: Tx accepted %" PRIu64 " (device %" PRIu64 ", dropped %" PRIu64
		       "), Rx received %" PRIu64 " (xstat %" PRIu64 ")\n", q, accepted[q], tx_pk,
		       tx_dr, received[q], rx_pk);
		TEST_CHECK(tx_pk == accepted[q], "Tx queue %u: %" PRIu64 " accepted, %" PRIu64
			   " counted", q, accepted[q], tx_pk);
		TEST_CHECK(rx_pk == received[q], "Rx queue %u: %" PRIu64 " received, %" PRIu64
			   " counted", q, received[q], rx_pk);
		TEST_CHECK(received[q] > total_rx / (4 * NB_QUEUES), "Rx queue %u: only %" PRIu64
			   " of %" PRIu64 " frames: RSS did not spread the flows", q, received[q],
			   total_rx);
		sent_hw += tx_pk;
		drops += tx_dr;
	}
	/* The wire: what port 0's MAC sent, port 1's MAC received. */
	printf("MAC: port 0 sent %" PRIu64 ", port 1 received %" PRIu64 "\n",
	       xstat(0, "mac_tx_ok_frames", 0), xstat(1, "mac_rx_ok_frames", 0));
	TEST_CHECK(xstat(0, "mac_tx_ok_frames", 0) == sent_hw - drops,
		   "port 0's MAC sent %" PRIu64 " frames, the driver %" PRIu64,
		   xstat(0, "mac_tx_ok_frames", 0), sent_hw - drops);
	drops += st1.imissed + st1.ierrors + st0.oerrors;
	in_flight = total_tx > total_rx + drops ? total_tx - total_rx - drops : 0;
	printf("port: sent %" PRIu64 ", received %" PRIu64 ", counted drops %" PRIu64
	       " (Rx missed %" PRIu64 ", Rx errors %" PRIu64 ", Tx errors %" PRIu64
	       "), in flight %" PRIu64 "\n", total_tx, total_rx, drops, st1.imissed, st1.ierrors,
	       st0.oerrors, in_flight);
	TEST_CHECK(total_tx == total_rx + drops, "%" PRIu64 " frames sent, %" PRIu64
		   " received + %" PRIu64 " counted drops", total_tx, total_rx, drops);
	TEST_CHECK(st0.opackets == total_tx && st1.ipackets == total_rx,
		   "port counters %" PRIu64 "/%" PRIu64 ", application %" PRIu64 "/%" PRIu64,
		   st0.opackets, st1.ipackets, total_tx, total_rx);
	rss_max = RTE_MAX(rss_max, rss_kib());
	printf("resident memory: %" PRIu64 " KiB after 10 s, at most %" PRIu64 " KiB\n",
	       rss_warm, rss_max);
	TEST_CHECK(rss_warm == 0 || rss_max <= rss_warm + 1024,
		   "resident memory grew by %" PRIu64 " KiB", rss_max - rss_warm);

	for (q = 0; q < 2; q++)
		TEST_CHECK(rte_eth_dev_stop((uint16_t)q) == 0 &&
			   rte_eth_dev_close((uint16_t)q) == 0, "port %u stop/close", q);
	TEST_CHECK(rte_mempool_avail_count(mp) == mp->size, "%u of %u mbufs back",
		   rte_mempool_avail_count(mp), mp->size);
	printf("%s: %" PRIu64 " frames in %.0f s\n", tk_failures ? "FAIL" : "PASS", total_tx,
	       (double)(rte_get_timer_cycles() - t0) / rte_get_timer_hz());
	rte_mempool_free(mp);
	rte_eal_cleanup();
	return tk_report("fbnic-soak");
}
