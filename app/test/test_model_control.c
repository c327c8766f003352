/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

/*
 * Control-path operations of the fbnic PMD on a model port, each proven by
 * frames or by values read back through the public ethdev API. One test
 * function per run, named on the command line; the meson test of the same
 * name runs it:
 *
 *   pcs_loopback_returns_frames: with no cable, lpbk_mode = 1 returns every
 *     frame sent; without it nothing comes back.
 *   mac_filter_follows_rx_mode: frames to another unicast address are
 *     dropped until promiscuous mode; multicast only for listed groups or
 *     allmulticast; broadcast and the own address always; a secondary
 *     unicast address added with mac_addr_add works; a multicast list
 *     longer than the TCAM accepts all multicast.
 *   reta_steers_every_frame: the default RETA uses every queue; a RETA
 *     sending every bucket to queue 2 puts every frame on queue 2; query
 *     returns what was written; bad input -EINVAL.
 *   reset_reinitialises_port: rte_eth_dev_reset re-initialises the port:
 *     it is reconfigured, started and passes frames again.
 *   register_dump_xstats_and_limits: the register dump has the length it
 *     announces and holds live values; xstats by id equal the full xstats;
 *     after a reset the counters restart from 0 and count exactly; MTU
 *     limits 68..9728 are enforced, and while started without scatter the
 *     Rx buffers must hold the MTU; RSS key size is 54.
 *   fw_ready_delays_probe: fw_ready_ms delays the probe by the firmware
 *     boot time.
 *
 * Usage: test_model_control <test> <EAL args>
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <rte_bus.h>
#include <rte_dev.h>
#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_ether.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>

#include "rte_pmd_fbnic.h"

#include "fbnic_tk.h"
#include "fbnic_tk_frame.h"
#include "test_select.h"

#define NB_Q		4
#define WAIT_MS		1500

static struct rte_mempool *mp;

static struct rte_mbuf *
make_frame(const struct rte_ether_addr *dst, uint32_t flow)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(mp);
	const uint16_t len = 100;
	struct tk_frame fr;
	uint8_t *p;

	if (m == NULL)
		return NULL;
	p = (uint8_t *)rte_pktmbuf_append(m, len);
	if (p == NULL) {
		rte_pktmbuf_free(m);
		return NULL;
	}
	/* A flow of its own: 192.168.0.1 + flow -> 192.168.1.1 + 7 flow, 5000 + flow -> 53 */
	tk_frame_init(&fr, false, TK_PROTO_UDP);
	memcpy(fr.dst_mac, dst, sizeof(fr.dst_mac));
	fr.src_mac[5] = 0x77;
	tk_put32(fr.src, 0xc0a80001 + flow);
	tk_put32(fr.dst, 0xc0a80101 + flow * 7);
	fr.sport = (uint16_t)(5000 + flow);
	fr.dport = 53;
	fr.seed = flow;
	tk_frame_build(p, &fr, len - tk_frame_hdr_len(&fr));
	return m;
}

/* Send n frames to dst on queue 0; returns the number accepted. */
static unsigned int
send_to(uint16_t port, const struct rte_ether_addr *dst, unsigned int n)
{
	struct rte_mbuf *pkts[64];
	unsigned int i, sent;

	if (n > RTE_DIM(pkts))
		n = RTE_DIM(pkts);
	for (i = 0; i < n; i++) {
		pkts[i] = make_frame(dst, i);
		if (pkts[i] == NULL)
			break;
	}
	sent = rte_eth_tx_burst(port, 0, pkts, (uint16_t)i);
	for (n = sent; n < i; n++)
		rte_pktmbuf_free(pkts[n]);
	return sent;
}

/* Receive on every queue for WAIT_MS (or until want arrived); per-queue counts. */
static unsigned int
receive(uint16_t port, unsigned int want, unsigned int per_q[NB_Q])
{
	struct rte_mbuf *pkts[32];
	uint64_t deadline = tk_now_ms() + WAIT_MS;
	unsigned int got = 0;
	uint16_t q, n, k;

	if (per_q != NULL)
		memset(per_q, 0, sizeof(unsigned int) * NB_Q);
	while (tk_now_ms() < deadline && (want == 0 || got < want)) {
		for (q = 0; q < NB_Q; q++) {
			n = rte_eth_rx_burst(port, q, pkts, RTE_DIM(pkts));
			for (k = 0; k < n; k++)
				rte_pktmbuf_free(pkts[k]);
			got += n;
			if (per_q != NULL)
				per_q[q] += n;
		}
	}
	return got;
}

static int
setup_port(const char *devargs, uint32_t lpbk)
{
	struct rte_eth_conf conf;
	uint16_t port = RTE_MAX_ETHPORTS, q, p;
	int ret;

	ret = rte_dev_probe(devargs);
	TEST_CHECK(ret == 0, "probe %s: %d", devargs, ret);
	if (ret != 0)
		return -1;
	RTE_ETH_FOREACH_DEV(p) {
		port = p;
		break;
	}
	TEST_CHECK(port != RTE_MAX_ETHPORTS, "no port after probing %s", devargs);
	if (port == RTE_MAX_ETHPORTS)
		return -1;
	memset(&conf, 0, sizeof(conf));
	conf.rxmode.mq_mode = RTE_ETH_MQ_RX_RSS;
	conf.rx_adv_conf.rss_conf.rss_hf = RTE_ETH_RSS_IPV4 | RTE_ETH_RSS_NONFRAG_IPV4_UDP;
	conf.lpbk_mode = lpbk;
	ret = rte_eth_dev_configure(port, NB_Q, NB_Q, &conf);
	TEST_CHECK(ret == 0, "configure: %d", ret);
	for (q = 0; q < NB_Q && ret == 0; q++) {
		ret = rte_eth_rx_queue_setup(port, q, 256, rte_socket_id(), NULL, mp);
		TEST_CHECK(ret == 0, "rxq %u: %d", q, ret);
		ret |= rte_eth_tx_queue_setup(port, q, 256, rte_socket_id(), NULL);
		TEST_CHECK(ret == 0, "txq %u: %d", q, ret);
	}
	ret = rte_eth_dev_start(port);
	TEST_CHECK(ret == 0, "start: %d", ret);
	return ret == 0 ? port : -1;
}

static void
close_port(uint16_t port)
{
	TEST_CHECK(rte_eth_dev_stop(port) == 0, "stop");
	TEST_CHECK(rte_eth_dev_close(port) == 0, "close");
}

static int
pcs_loopback_returns_frames(void)
{
	struct rte_ether_addr mac;
	unsigned int sent, got;
	int port;

	/* No cable and no loopback: frames go nowhere. */
	port = setup_port("net_fbnic_model0,wire=none", 0);
	if (port < 0)
		return TEST_FAILED;
	rte_eth_macaddr_get((uint16_t)port, &mac);
	sent = send_to((uint16_t)port, &mac, 32);
	got = receive((uint16_t)port, 0, NULL);
	TEST_CHECK(sent == 32 && got == 0, "no loopback: sent %u, received %u", sent, got);
	close_port((uint16_t)port);

	/* Another device: the first one stays probed after its port closed. */
	port = setup_port("net_fbnic_model1,wire=none", 1);
	if (port < 0)
		return TEST_FAILED;
	rte_eth_macaddr_get((uint16_t)port, &mac);
	sent = send_to((uint16_t)port, &mac, 32);
	got = receive((uint16_t)port, sent, NULL);
	TEST_CHECK(sent == 32 && got == sent, "PCS loopback: sent %u, received %u", sent, got);
	close_port((uint16_t)port);
	printf("%u of %u frames back\n", got, sent);
	return TEST_SUCCESS;
}

static int
mac_filter_follows_rx_mode(void)
{
	struct rte_ether_addr own, other = {{ 0x02, 0x11, 0x22, 0x33, 0x44, 0x55 }};
	struct rte_ether_addr second = {{ 0x02, 0x66, 0x66, 0x66, 0x66, 0x66 }};
	struct rte_ether_addr group = {{ 0x01, 0x00, 0x5e, 0x01, 0x02, 0x03 }};
	struct rte_ether_addr group2 = {{ 0x01, 0x00, 0x5e, 0x09, 0x09, 0x09 }};
	struct rte_ether_addr bcast = {{ 0xff, 0xff, 0xff, 0xff, 0xff, 0xff }};
	unsigned int got;
	int port = setup_port("net_fbnic_model0,wire=loopback", 0);
	uint16_t p;

	if (port < 0)
		return TEST_FAILED;
	p = (uint16_t)port;
	rte_eth_macaddr_get(p, &own);
	TEST_CHECK(rte_eth_promiscuous_get(p) == 0, "promiscuous at start");

	send_to(p, &own, 16);
	TEST_CHECK((got = receive(p, 16, NULL)) == 16, "own address: %u of 16", got);
	send_to(p, &bcast, 16);
	TEST_CHECK((got = receive(p, 16, NULL)) == 16, "broadcast: %u of 16", got);
	send_to(p, &other, 16);
	TEST_CHECK((got = receive(p, 0, NULL)) == 0, "other unicast accepted: %u", got);

	TEST_CHECK(rte_eth_promiscuous_enable(p) == 0, "promiscuous on");
	send_to(p, &other, 16);
	TEST_CHECK((got = receive(p, 16, NULL)) == 16, "promiscuous: %u of 16", got);
	TEST_CHECK(rte_eth_promiscuous_disable(p) == 0, "promiscuous off");
	send_to(p, &other, 16);
	TEST_CHECK((got = receive(p, 0, NULL)) == 0, "promiscuous off, accepted %u", got);

	TEST_CHECK(rte_eth_dev_mac_addr_add(p, &second, 0) == 0, "mac_addr_add");
	send_to(p, &second, 16);
	TEST_CHECK((got = receive(p, 16, NULL)) == 16, "secondary address: %u of 16", got);
	TEST_CHECK(rte_eth_dev_mac_addr_remove(p, &second) == 0, "mac_addr_remove");
	send_to(p, &second, 16);
	TEST_CHECK((got = receive(p, 0, NULL)) == 0, "removed address accepted: %u", got);

	send_to(p, &group, 16);
	TEST_CHECK((got = receive(p, 0, NULL)) == 0, "unlisted group accepted: %u", got);
	TEST_CHECK(rte_eth_dev_set_mc_addr_list(p, &group, 1) == 0, "mc list");
	send_to(p, &group, 16);
	TEST_CHECK((got = receive(p, 16, NULL)) == 16, "listed group: %u of 16", got);
	send_to(p, &group2, 16);
	TEST_CHECK((got = receive(p, 0, NULL)) == 0, "other group accepted: %u", got);
	TEST_CHECK(rte_eth_allmulticast_enable(p) == 0, "allmulticast on");
	send_to(p, &group2, 16);
	TEST_CHECK((got = receive(p, 16, NULL)) == 16, "allmulticast: %u of 16", got);
	TEST_CHECK(rte_eth_allmulticast_disable(p) == 0, "allmulticast off");
	send_to(p, &group2, 16);
	TEST_CHECK((got = receive(p, 0, NULL)) == 0, "allmulticast off, accepted %u", got);

	/* More groups than the MAC-DA TCAM holds: all multicast, as Linux does. */
	{
		struct rte_ether_addr many[30];
		unsigned int k;

		for (k = 0; k < RTE_DIM(many); k++) {
			many[k] = group;
			many[k].addr_bytes[5] = (uint8_t)(0x40 + k);
		}
		TEST_CHECK(rte_eth_dev_set_mc_addr_list(p, many, RTE_DIM(many)) == 0,
			   "long mc list");
		send_to(p, &group2, 16);
		TEST_CHECK((got = receive(p, 16, NULL)) == 16, "mc list overflow: %u of 16", got);
		TEST_CHECK(rte_eth_dev_set_mc_addr_list(p, &group, 1) == 0, "short mc list");
		send_to(p, &group2, 16);
		TEST_CHECK((got = receive(p, 0, NULL)) == 0, "short list, other group accepted: %u",
			   got);
	}

	TEST_CHECK(rte_eth_dev_set_mc_addr_list(p, &own, 1) == -EINVAL, "unicast in mc list");
	TEST_CHECK(rte_eth_dev_mac_addr_add(p, &group, 0) != 0, "multicast as unicast address");
	close_port(p);
	return TEST_SUCCESS;
}

static int
reta_steers_every_frame(void)
{
	struct rte_eth_rss_reta_entry64 reta[256 / RTE_ETH_RETA_GROUP_SIZE];
	struct rte_ether_addr own;
	unsigned int per_q[NB_Q], got, sent, i;
	int port = setup_port("net_fbnic_model0,wire=loopback", 0);
	uint16_t p;

	if (port < 0)
		return TEST_FAILED;
	p = (uint16_t)port;
	rte_eth_macaddr_get(p, &own);

	/* The default spread uses every queue. */
	sent = send_to(p, &own, 64);
	got = receive(p, sent, per_q);
	TEST_CHECK(got == sent, "default RETA: %u of %u", got, sent);
	for (i = 0; i < NB_Q; i++)
		TEST_CHECK(per_q[i] > 0, "default RETA: queue %u got nothing", i);

	memset(reta, 0, sizeof(reta));
	for (i = 0; i < RTE_DIM(reta); i++) {
		reta[i].mask = UINT64_MAX;
		memset(reta[i].reta, 0, sizeof(reta[i].reta));
	}
	for (i = 0; i < 256; i++)
		reta[i / RTE_ETH_RETA_GROUP_SIZE].reta[i % RTE_ETH_RETA_GROUP_SIZE] = 2;
	TEST_CHECK(rte_eth_dev_rss_reta_update(p, reta, 256) == 0, "reta update");
	sent = send_to(p, &own, 64);
	got = receive(p, sent, per_q);
	TEST_CHECK(got == sent && per_q[2] == sent, "all to queue 2: %u/%u/%u/%u of %u", per_q[0],
		   per_q[1], per_q[2], per_q[3], sent);

	memset(reta, 0, sizeof(reta));
	for (i = 0; i < RTE_DIM(reta); i++)
		reta[i].mask = UINT64_MAX;
	TEST_CHECK(rte_eth_dev_rss_reta_query(p, reta, 256) == 0, "reta query");
	for (i = 0; i < 256; i++)
		if (reta[i / 64].reta[i % 64] != 2)
			break;
	TEST_CHECK(i == 256, "query: entry %u differs", i);

	reta[0].mask = 1;
	reta[0].reta[0] = NB_Q;
	TEST_CHECK(rte_eth_dev_rss_reta_update(p, reta, 256) == -EINVAL, "queue beyond range");
	TEST_CHECK(rte_eth_dev_rss_reta_update(p, reta, 128) == -EINVAL, "wrong RETA size");
	close_port(p);
	return TEST_SUCCESS;
}

static int
reset_reinitialises_port(void)
{
	struct rte_eth_conf conf;
	struct rte_ether_addr own;
	unsigned int got, sent;
	int port = setup_port("net_fbnic_model0,wire=loopback", 0);
	uint16_t p, q;
	int ret;

	if (port < 0)
		return TEST_FAILED;
	p = (uint16_t)port;
	rte_eth_macaddr_get(p, &own);
	TEST_CHECK(rte_eth_dev_stop(p) == 0, "stop");
	ret = rte_eth_dev_reset(p);
	TEST_CHECK(ret == 0, "reset: %d", ret);

	memset(&conf, 0, sizeof(conf));
	conf.rxmode.mq_mode = RTE_ETH_MQ_RX_RSS;
	TEST_CHECK(rte_eth_dev_configure(p, NB_Q, NB_Q, &conf) == 0, "configure after reset");
	for (q = 0; q < NB_Q; q++) {
		TEST_CHECK(rte_eth_rx_queue_setup(p, q, 256, rte_socket_id(), NULL, mp) == 0,
			   "rxq");
		TEST_CHECK(rte_eth_tx_queue_setup(p, q, 256, rte_socket_id(), NULL) == 0, "txq");
	}
	TEST_CHECK(rte_eth_dev_start(p) == 0, "start after reset");
	sent = send_to(p, &own, 32);
	got = receive(p, sent, NULL);
	TEST_CHECK(sent == 32 && got == sent, "after reset: %u of %u", got, sent);
	close_port(p);
	TEST_CHECK(rte_mempool_avail_count(mp) == mp->size, "%u of %u mbufs back",
		   rte_mempool_avail_count(mp), mp->size);
	return TEST_SUCCESS;
}

static int
register_dump_xstats_and_limits(void)
{
	struct rte_dev_reg_info regs;
	struct rte_eth_dev_info info;
	struct rte_eth_xstat *xs = NULL;
	struct rte_ether_addr own;
	uint64_t *ids = NULL, *vals = NULL;
	unsigned int nonzero = 0, i;
	int port = setup_port("net_fbnic_model0,wire=loopback", 0);
	int n;
	uint16_t p;

	if (port < 0)
		return TEST_FAILED;
	p = (uint16_t)port;

	memset(&regs, 0, sizeof(regs));
	TEST_CHECK(rte_eth_dev_get_reg_info(p, &regs) == 0, "register length query");
	TEST_CHECK(regs.length > 1000 && regs.width == 4, "dump of %u x %u bytes", regs.length,
		   regs.width);
	regs.data = rte_zmalloc("regs", (size_t)regs.length * regs.width, 0);
	TEST_CHECK(regs.data != NULL && rte_eth_dev_get_reg_info(p, &regs) == 0, "register dump");
	for (i = 0; regs.data != NULL && i < regs.length; i++)
		nonzero += ((uint32_t *)regs.data)[i] != 0;
	TEST_CHECK(nonzero > 20, "only %u non-zero registers", nonzero);
	TEST_CHECK_EQUAL(regs.version, 0x1d9b0013, "register dump version");
	rte_free(regs.data);

	rte_eth_macaddr_get(p, &own);
	send_to(p, &own, 32);
	receive(p, 32, NULL);

	n = rte_eth_xstats_get(p, NULL, 0);
	TEST_CHECK(n > 100, "%d xstats", n);
	if (n > 0) {
		xs = calloc((size_t)n, sizeof(*xs));
		ids = calloc((size_t)n, sizeof(*ids));
		vals = calloc((size_t)n, sizeof(*vals));
	}
	if (xs != NULL && ids != NULL && vals != NULL) {
		TEST_CHECK(rte_eth_xstats_get(p, xs, (unsigned int)n) == n, "xstats get");
		for (i = 0; i < (unsigned int)n; i++)
			ids[i] = xs[i].id;
		TEST_CHECK(rte_eth_xstats_get_by_id(p, ids, vals, (unsigned int)n) == n, "by id");
		/* Counters only grow: by-id values read later are never smaller. */
		for (i = 0; i < (unsigned int)n; i++)
			if (vals[i] < xs[i].value && i < (unsigned int)n)
				break;
		TEST_CHECK(i == (unsigned int)n, "xstat %u went back", i);
	}
	free(xs);
	free(ids);
	free(vals);
	TEST_CHECK(rte_eth_xstats_reset(p) == 0, "xstats reset");

	/* After a reset the counters start from zero and count exactly. */
	{
		static const char *const names[] = {
			"mac_rx_ok_frames", "mac_tx_ok_frames", "rx_q0_packets",
		};
		struct rte_eth_stats st;
		uint64_t id, v;
		unsigned int k, sent, got;

		for (k = 0; k < RTE_DIM(names); k++) {
			TEST_CHECK(rte_eth_xstats_get_id_by_name(p, names[k], &id) == 0, "no %s",
				   names[k]);
			v = UINT64_MAX;
			rte_eth_xstats_get_by_id(p, &id, &v, 1);
			TEST_CHECK(v == 0, "%s = %" PRIu64 " after reset", names[k], v);
		}
		sent = send_to(p, &own, 32);
		got = receive(p, sent, NULL);
		TEST_CHECK(rte_eth_stats_get(p, &st) == 0, "stats");
		TEST_CHECK(st.ipackets == got && st.opackets == sent, "stats %" PRIu64 "/%" PRIu64
			   " after %u/%u frames", st.ipackets, st.opackets, got, sent);
		rte_eth_xstats_get_id_by_name(p, "mac_rx_ok_frames", &id);
		v = 0;
		rte_eth_xstats_get_by_id(p, &id, &v, 1);
		TEST_CHECK(v == got, "mac_rx_ok_frames %" PRIu64 " after %u frames", v, got);
	}

	TEST_CHECK(rte_eth_dev_info_get(p, &info) == 0, "info");
	TEST_CHECK(info.hash_key_size == 54 && info.reta_size == 256, "key %u, reta %u",
		   info.hash_key_size, info.reta_size);
	TEST_CHECK(info.max_rx_queues == 128 && info.max_tx_queues == 128, "queues");
	TEST_CHECK(info.min_mtu == 68 && info.max_mtu == 9728, "mtu %u..%u", info.min_mtu,
		   info.max_mtu);
	TEST_CHECK(rte_eth_dev_set_mtu(p, 67) == -EINVAL, "MTU 67 accepted");
	TEST_CHECK(rte_eth_dev_set_mtu(p, 9729) == -EINVAL, "MTU 9729 accepted");
	TEST_CHECK(rte_eth_dev_set_mtu(p, 68) == 0, "MTU 68 refused");
	TEST_CHECK(rte_eth_dev_set_mtu(p, 1500) == 0, "MTU 1500 refused");
	/*
	 * Started, no scatter, buffer scheme: a 3968-byte buffer holds the
	 * frame of MTU 3942 (two VLAN tags and the FCS), not of 3943.
	 */
	TEST_CHECK(rte_eth_dev_set_mtu(p, 3942) == 0, "MTU 3942 refused");
	TEST_CHECK(rte_eth_dev_set_mtu(p, 3943) == -EBUSY, "MTU 3943 accepted while started");
	TEST_CHECK(rte_eth_dev_stop(p) == 0, "stop");
	TEST_CHECK(rte_eth_dev_set_mtu(p, 9000) == 0, "MTU 9000 refused while stopped");
	TEST_CHECK(rte_eth_dev_close(p) == 0, "close");
	return TEST_SUCCESS;
}

static int
fw_ready_delays_probe(void)
{
	uint64_t t0 = tk_now_ms(), dt;
	int port = setup_port("net_fbnic_model0,wire=loopback,fw_ready_ms=1500", 0);

	dt = tk_now_ms() - t0;
	TEST_CHECK(port >= 0, "probe with a slow firmware failed");
	TEST_CHECK(dt >= 1500 && dt < 10000, "probe took %" PRIu64 " ms", dt);
	if (port >= 0)
		close_port((uint16_t)port);
	printf("probe took %" PRIu64 " ms\n", dt);
	return TEST_SUCCESS;
}

static const struct test_case tests[] = {
	TEST_CASE(pcs_loopback_returns_frames),
	TEST_CASE(mac_filter_follows_rx_mode),
	TEST_CASE(reta_steers_every_frame),
	TEST_CASE(reset_reinitialises_port),
	TEST_CASE(register_dump_xstats_and_limits),
	TEST_CASE(fw_ready_delays_probe),
};

int
main(int argc, char **argv)
{
	const struct test_case *test;
	int ret;

	if (argc < 2) {
		printf("usage: %s <test> <EAL args>\n", argv[0]);
		return 2;
	}
	test = test_case_find(tests, RTE_DIM(tests), argv[1]);
	if (test == NULL)
		return 2;
	argv[1] = argv[0];
	ret = rte_eal_init(argc - 1, argv + 1);
	if (ret < 0) {
		printf("FAIL: EAL init: %s\n", rte_strerror(rte_errno));
		return 1;
	}
	/* Not a model port: refused (and the plugin's API is reachable). */
	TEST_CHECK(rte_pmd_fbnic_model_poll(RTE_MAX_ETHPORTS, 1) == -ENODEV, "poll of no port");
	mp = rte_pktmbuf_pool_create("control_pool", 4096, 0, 0, RTE_MBUF_DEFAULT_BUF_SIZE,
				     rte_socket_id());
	if (mp == NULL) {
		printf("FAIL: mempool\n");
		return 1;
	}

	tk_run(test->name, test->fn);

	ret = tk_report(test->name);
	rte_mempool_free(mp);
	rte_eal_cleanup();
	return ret;
}
