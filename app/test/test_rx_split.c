/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

/*
 * Rx buffer split on the NIC's header split, on a model port with a
 * loopback wire. With rx_seg[] asking for a split after the TCP/UDP header,
 * every TCP and UDP frame (IPv4 and IPv6, with and without a VLAN tag)
 * arrives as a chain whose first mbuf, from the header pool, holds exactly
 * the headers and whose other mbufs, from the payload pool, hold the rest;
 * pkt_len and the reassembled bytes are what was sent. A frame that ends
 * with its headers is one header mbuf; a frame without an L4 header is cut
 * after its Ethernet header. With a fixed split length the first mbuf holds
 * that many bytes, and a shorter frame is one mbuf. Requests the NIC cannot
 * serve are refused with the right errno and leave the port usable. Every
 * mbuf of every pool comes back.
 *
 * Usage: test_rx_split <EAL args> --vdev net_fbnic_model0,wire=loopback,...
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_ether.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>

#include "fbnic_tk.h"
#include "fbnic_tk_frame.h"
#include "test_ethdev.h"

#define NB_DESC		256
#define NB_MBUFS	1024
#define HDR_ROOM	256	/* the NIC's header part with a split after L4 */
#define PAY_ROOM	2048
#define TX_ROOM		(9000 + RTE_PKTMBUF_HEADROOM)
#define WAIT_MS		3000
#define FRAME_MAX	9000
#define SPLIT_L4	(RTE_PTYPE_L2_ETHER | RTE_PTYPE_L3_IPV4_EXT_UNKNOWN | RTE_PTYPE_L4_TCP)

static uint16_t port;
static struct rte_mempool *hdr_pool, *pay_pool, *small_pool, *tx_pool;
static struct rte_ether_addr own_mac;

/* Set up Rx queue 0 with nseg rx_seg[] entries: header pool hp, payload pool pp. */
static int
setup_split_with(uint64_t offloads, uint16_t nseg, struct rte_mempool *hp, struct rte_mempool *pp,
		 uint32_t proto_hdr, uint16_t length, uint16_t offset)
{
	union rte_eth_rxseg seg[3];
	struct rte_eth_rxconf conf;
	uint16_t i;

	memset(seg, 0, sizeof(seg));
	memset(&conf, 0, sizeof(conf));
	seg[0].split.mp = hp;
	seg[0].split.proto_hdr = proto_hdr;
	seg[0].split.length = length;
	seg[0].split.offset = offset;
	for (i = 1; i < RTE_DIM(seg); i++)
		seg[i].split.mp = pp;
	conf.rx_seg = seg;
	conf.rx_nseg = nseg;
	conf.offloads = offloads;
	return rte_eth_rx_queue_setup(port, 0, NB_DESC, rte_socket_id(), &conf, NULL);
}

static int
setup_split(uint16_t nseg, struct rte_mempool *hp, struct rte_mempool *pp, uint32_t proto_hdr,
	    uint16_t length, uint16_t offset)
{
	return setup_split_with(RTE_ETH_RX_OFFLOAD_BUFFER_SPLIT, nseg, hp, pp, proto_hdr, length,
				offset);
}

static int
configure(uint64_t rx_offloads)
{
	struct rte_eth_conf conf;

	memset(&conf, 0, sizeof(conf));
	conf.rxmode.offloads = rx_offloads;
	TEST_ASSERT_SUCCESS(rte_eth_dev_configure(port, 1, 1, &conf));
	TEST_ASSERT_SUCCESS(rte_eth_tx_queue_setup(port, 0, NB_DESC, rte_socket_id(), NULL));
	/* Jumbo frames: payloads over one payload mbuf. */
	TEST_ASSERT_SUCCESS(rte_eth_dev_set_mtu(port, 9000));
	return TEST_SUCCESS;
}

/* Receive one frame within WAIT_MS; NULL for none. */
static struct rte_mbuf *
receive_one(void)
{
	uint64_t deadline = tk_now_ms() + WAIT_MS;
	struct rte_mbuf *m;

	do {
		if (rte_eth_rx_burst(port, 0, &m, 1) == 1)
			return m;
	} while (tk_now_ms() < deadline);
	return NULL;
}

static void
frame_init(struct tk_frame *fr, bool v6, uint8_t proto, bool vlan, uint32_t seed)
{
	tk_frame_init(fr, v6, proto);
	memcpy(fr->dst_mac, &own_mac, sizeof(fr->dst_mac));
	fr->src_mac[0] = 0x02;
	fr->src_mac[5] = 0x31;
	if (vlan) {
		fr->vlan_tpid = TK_ETHERTYPE_VLAN;
		fr->vlan_tci = 0x0042;
	}
	fr->sport = (uint16_t)(1000 + seed);
	fr->dport = 5201;
	fr->seed = seed;
}

/*
 * Send fr with payload bytes of payload and check what comes back: hdr_len
 * bytes in a first mbuf of the header pool, the rest in payload-pool mbufs
 * of at most PAY_ROOM bytes, the same length and bytes as sent.
 */
static int
check_split(const struct tk_frame *fr, size_t payload, uint32_t hdr_len, const char *what)
{
	static uint8_t sent[FRAME_MAX], got[FRAME_MAX];
	uint32_t len = (uint32_t)tk_frame_build(sent, fr, payload), nseg = 0, total = 0;
	struct rte_mbuf *m, *s;
	const void *p;

	TEST_ASSERT_SUCCESS(test_send_frame(port, tx_pool, fr, payload), "%s: send", what);
	m = receive_one();
	TEST_ASSERT_NOT_NULL(m, "%s: no frame received", what);
	TEST_CHECK(m->pool == hdr_pool, "%s: first mbuf from %s, not the header pool", what,
		   m->pool->name);
	TEST_CHECK_EQUAL(m->data_len, hdr_len, "%s: header bytes in the first mbuf", what);
	TEST_CHECK_EQUAL(m->pkt_len, len, "%s: pkt_len", what);
	for (s = m->next; s != NULL; s = s->next) {
		TEST_CHECK(s->pool == pay_pool, "%s: payload mbuf %u from %s", what, nseg,
			   s->pool->name);
		TEST_CHECK(s->data_len != 0 && s->data_len <= PAY_ROOM,
			   "%s: payload mbuf %u holds %u bytes", what, nseg, s->data_len);
		nseg++;
		total += s->data_len;
	}
	TEST_CHECK_EQUAL(m->nb_segs, 1 + nseg, "%s: nb_segs", what);
	TEST_CHECK_EQUAL(total, len - hdr_len, "%s: payload bytes", what);
	if (m->pkt_len == len) {
		p = rte_pktmbuf_read(m, 0, len, got);
		TEST_CHECK(p != NULL && memcmp(p, sent, len) == 0, "%s: bytes differ", what);
	}
	rte_pktmbuf_free(m);
	return TEST_SUCCESS;
}

static int
split_capabilities_are_reported(void)
{
	struct rte_eth_dev_info info;
	uint32_t ptypes[16];
	int n, i;
	bool found = false;

	TEST_ASSERT_SUCCESS(rte_eth_dev_info_get(port, &info));
	TEST_CHECK(info.rx_offload_capa & RTE_ETH_RX_OFFLOAD_BUFFER_SPLIT, "offload not claimed");
	TEST_CHECK_EQUAL(info.rx_seg_capa.max_nseg, 2);
	TEST_CHECK_EQUAL(info.rx_seg_capa.multi_pools, 1);
	TEST_CHECK_EQUAL(info.rx_seg_capa.offset_allowed, 0);
	n = rte_eth_buffer_split_get_supported_hdr_ptypes(port, ptypes, RTE_DIM(ptypes));
	TEST_CHECK_EQUAL(n, 4, "split points: TCP and UDP over IPv4 and IPv6");
	for (i = 0; i < n; i++)
		found |= ptypes[i] == SPLIT_L4;
	TEST_CHECK(found, "no split after eth/IPv4/TCP");
	return TEST_SUCCESS;
}

/* Each refusal, with the port left as it was: a good set-up and traffic follow. */
static int
impossible_splits_are_refused(void)
{
	struct rte_eth_rxconf conf;

	/* rx_seg[] without the offload, and the offload on one queue only (a port one). */
	TEST_ASSERT_SUCCESS(configure(0));
	memset(&conf, 0, sizeof(conf));
	TEST_CHECK_EQUAL(setup_split_with(0, 2, hdr_pool, pay_pool, SPLIT_L4, 0, 0), -EINVAL,
			 "rx_seg[] without the offload");
	TEST_CHECK_EQUAL(setup_split(2, hdr_pool, pay_pool, SPLIT_L4, 0, 0), -EINVAL,
			 "the offload on a queue");
	TEST_ASSERT_SUCCESS(configure(RTE_ETH_RX_OFFLOAD_BUFFER_SPLIT));
	/* The offload with one pool and no rx_seg[]. */
	TEST_CHECK_EQUAL(rte_eth_rx_queue_setup(port, 0, NB_DESC, rte_socket_id(), &conf,
						pay_pool), -EINVAL, "offload without rx_seg[]");
	/* A split length the NIC cannot cut at (below Linux's smallest MAX_HDR). */
	TEST_CHECK_EQUAL(setup_split(2, hdr_pool, pay_pool, 0, 64, 0), -EINVAL, "length 64");
	/* A header pool too small for the NIC's 256-byte header part. */
	TEST_CHECK_EQUAL(setup_split(2, small_pool, pay_pool, SPLIT_L4, 0, 0), -EINVAL,
			 "128-byte header mbufs");
	/* Three segments, one segment, an offset, a split point the NIC has not. */
	TEST_CHECK_EQUAL(setup_split(3, hdr_pool, pay_pool, SPLIT_L4, 0, 0), -EINVAL,
			 "3 segments");
	TEST_CHECK_EQUAL(setup_split(1, hdr_pool, pay_pool, SPLIT_L4, 0, 0), -EINVAL,
			 "1 segment");
	TEST_CHECK_EQUAL(setup_split(2, hdr_pool, pay_pool, SPLIT_L4, 0, 64), -ENOTSUP,
			 "offset 64");
	TEST_CHECK_EQUAL(setup_split(2, hdr_pool, pay_pool, RTE_PTYPE_L2_ETHER, 0, 0), -EINVAL,
			 "split after L2");
	return TEST_SUCCESS;
}

static int
tcp_and_udp_frames_split_after_l4(void)
{
	struct rte_eth_burst_mode mode;
	struct tk_frame fr;
	unsigned int v6, tcp, vlan, i;
	static const size_t payloads[] = { 20, 1000, 5000 };	/* 60 bytes or more: no padding */
	char what[64];

	TEST_ASSERT_SUCCESS(setup_split(2, hdr_pool, pay_pool, SPLIT_L4, 0, 0));
	TEST_ASSERT_SUCCESS(rte_eth_dev_start(port));
	TEST_ASSERT_SUCCESS(rte_eth_rx_burst_mode_get(port, 0, &mode));
	TEST_CHECK(strcmp(mode.info, "Scalar split") == 0, "Rx path %s", mode.info);
	for (v6 = 0; v6 < 2; v6++)
		for (tcp = 0; tcp < 2; tcp++)
			for (vlan = 0; vlan < 2; vlan++)
				for (i = 0; i < RTE_DIM(payloads); i++) {
					frame_init(&fr, v6, tcp ? TK_PROTO_TCP : TK_PROTO_UDP,
						   vlan, i);
					snprintf(what, sizeof(what), "%s/%s%s, %zu bytes",
						 v6 ? "IPv6" : "IPv4", tcp ? "TCP" : "UDP",
						 vlan ? "/VLAN" : "", payloads[i]);
					TEST_ASSERT_SUCCESS(check_split(&fr, payloads[i],
								(uint32_t)tk_frame_hdr_len(&fr),
								what));
				}
	/* Nothing after the headers (74 bytes, no padding): one header mbuf. */
	frame_init(&fr, true, TK_PROTO_TCP, false, 7);
	TEST_ASSERT_SUCCESS(check_split(&fr, 0, (uint32_t)tk_frame_hdr_len(&fr),
					"IPv6/TCP, no payload"));
	/* No L4 header: cut after the last header the parser knows, Ethernet here. */
	frame_init(&fr, false, TK_PROTO_UDP, false, 8);
	fr.ethertype = 0x88b5;
	TEST_ASSERT_SUCCESS(check_split(&fr, 600, TK_ETH_HLEN, "local EtherType, 600 bytes"));
	TEST_ASSERT_SUCCESS(rte_eth_dev_stop(port));
	return TEST_SUCCESS;
}

static int
fixed_length_split_cuts_at_that_length(void)
{
	struct tk_frame fr;

	TEST_ASSERT_SUCCESS(setup_split(2, hdr_pool, pay_pool, 0, HDR_ROOM, 0));
	TEST_ASSERT_SUCCESS(rte_eth_dev_start(port));
	frame_init(&fr, false, TK_PROTO_UDP, false, 9);
	TEST_ASSERT_SUCCESS(check_split(&fr, 3000, HDR_ROOM, "IPv4/UDP, 3000 bytes"));
	frame_init(&fr, true, TK_PROTO_TCP, true, 10);
	TEST_ASSERT_SUCCESS(check_split(&fr, 100, (uint32_t)tk_frame_hdr_len(&fr) + 100,
					"IPv6/TCP/VLAN shorter than the split"));
	TEST_ASSERT_SUCCESS(rte_eth_dev_stop(port));
	return TEST_SUCCESS;
}

int
main(int argc, char **argv)
{
	struct rte_mempool *pools[5] = { NULL };

	if (test_eal_one_port(argc, argv, &port) != 0)
		return 1;
	hdr_pool = test_pool("split_hdr", NB_MBUFS, HDR_ROOM + RTE_PKTMBUF_HEADROOM);
	pay_pool = test_pool("split_pay", NB_MBUFS, PAY_ROOM + RTE_PKTMBUF_HEADROOM);
	small_pool = test_pool("split_small", 64, 128 + RTE_PKTMBUF_HEADROOM);
	tx_pool = test_pool("split_tx", 64, TX_ROOM);
	if (hdr_pool == NULL || pay_pool == NULL || small_pool == NULL || tx_pool == NULL ||
	    rte_eth_macaddr_get(port, &own_mac) != 0) {
		rte_eal_cleanup();
		return 1;
	}
	TK_RUN(split_capabilities_are_reported);
	if (TK_RUN(impossible_splits_are_refused) == 0) {
		TK_RUN(tcp_and_udp_frames_split_after_l4);
		TK_RUN(fixed_length_split_cuts_at_that_length);
	}
	pools[0] = hdr_pool;
	pools[1] = pay_pool;
	pools[2] = small_pool;
	pools[3] = tx_pool;
	test_port_teardown(port, pools);
	return tk_report("test_rx_split");
}
