/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

/*
 * rte_flow through ethdev on a model port with a loopback wire and 4 Rx
 * queues, whose redirection table sends everything to queue 0: a rule's
 * frames are told apart by the queue they land on. Queue rules steer their
 * flow and nothing else; drop rules drop; an RSS rule spreads its flow over
 * its own queues where Toeplitz says, with its own hash types; MARK and
 * FLAG reach the mbuf; rules survive stop and start, leave MAC filtering
 * alone and go with flush. Bad requests get the errno and error type
 * rte_flow documents, and the 49th rule ENOSPC.
 *
 * Usage: test-flow <EAL args> --vdev net_fbnic_model0,wire=loopback,...
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_flow.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>

#include "fbnic_tk.h"
#include "fbnic_tk_frame.h"
#include "fbnic_tk_toeplitz.h"
#include "test_ethdev.h"

#define NB_QUEUES	4
#define NB_DESC		256
#define NB_MBUFS	2048
#define RETA_SIZE	256
#define KEY_SIZE	54
#define KEY_BITS	425
#define NB_RULES	48
#define WAIT_MS		3000
#define NB_FRAMES	16

static uint16_t port;
static struct rte_mempool *pool;
static struct rte_ether_addr own_mac;
static uint16_t nb_rxq = NB_QUEUES;	/* queues configured now */

/* What came back of one frame. */
struct rx_result {
	uint16_t queue;
	uint32_t hash;
	uint64_t ol_flags;
	uint32_t mark;
};

static void
udp4_frame(struct tk_frame *fr, uint32_t dst, uint16_t dport, unsigned int i)
{
	tk_frame_init(fr, false, TK_PROTO_UDP);
	memcpy(fr->dst_mac, &own_mac, sizeof(fr->dst_mac));
	tk_put32(fr->src, 0x0a000001 + i * 0x00010203u);
	tk_put32(fr->dst, dst);
	fr->sport = (uint16_t)(1000 + i * 131);
	fr->dport = dport;
	fr->seed = i;
}

/* Receive one frame on any queue within wait_ms; -ENOENT when none came. */
static int
receive_one(struct rx_result *r, uint64_t wait_ms)
{
	uint64_t deadline = tk_now_ms() + wait_ms;
	struct rte_mbuf *m;
	uint16_t q;

	do {
		for (q = 0; q < nb_rxq; q++) {
			if (rte_eth_rx_burst(port, q, &m, 1) != 1)
				continue;
			r->queue = q;
			r->hash = m->hash.rss;
			r->ol_flags = m->ol_flags;
			r->mark = m->hash.fdir.hi;
			rte_pktmbuf_free(m);
			return 0;
		}
	} while (tk_now_ms() < deadline);
	return -ENOENT;
}

/* Send fr and get it back. */
static int
round_trip(const struct tk_frame *fr, struct rx_result *r)
{
	TEST_ASSERT_SUCCESS(test_send_frame(port, pool, fr, 40));
	TEST_ASSERT_SUCCESS(receive_one(r, WAIT_MS), "frame not received");
	return TEST_SUCCESS;
}

/* Send fr and check nothing arrives. */
static int
never_arrives(const struct tk_frame *fr)
{
	struct rx_result r;

	TEST_ASSERT_SUCCESS(test_send_frame(port, pool, fr, 40));
	TEST_ASSERT(receive_one(&r, 200) == -ENOENT, "a dropped frame arrived on queue %u",
		    r.queue);
	return TEST_SUCCESS;
}

/* The acceptance rule: eth / ipv4 dst is dst / udp dst is dport -> queue q. */
static struct rte_flow *
udp_rule(uint32_t dst, uint16_t dport, const struct rte_flow_action *actions,
	 struct rte_flow_error *err)
{
	static const struct rte_flow_attr attr = { .ingress = 1 };
	struct rte_flow_item_ipv4 ip_spec, ip_mask;
	struct rte_flow_item_udp udp_spec, udp_mask;
	struct rte_flow_item pattern[4];

	memset(&ip_spec, 0, sizeof(ip_spec));
	memset(&ip_mask, 0, sizeof(ip_mask));
	memset(&udp_spec, 0, sizeof(udp_spec));
	memset(&udp_mask, 0, sizeof(udp_mask));
	ip_spec.hdr.dst_addr = rte_cpu_to_be_32(dst);
	ip_mask.hdr.dst_addr = dst != 0 ? RTE_BE32(0xffffffff) : 0;
	udp_spec.hdr.dst_port = rte_cpu_to_be_16(dport);
	udp_mask.hdr.dst_port = RTE_BE16(0xffff);
	memset(pattern, 0, sizeof(pattern));
	pattern[0].type = RTE_FLOW_ITEM_TYPE_ETH;
	pattern[1].type = RTE_FLOW_ITEM_TYPE_IPV4;
	pattern[1].spec = &ip_spec;
	pattern[1].mask = &ip_mask;
	pattern[2].type = RTE_FLOW_ITEM_TYPE_UDP;
	pattern[2].spec = &udp_spec;
	pattern[2].mask = &udp_mask;
	pattern[3].type = RTE_FLOW_ITEM_TYPE_END;
	return rte_flow_create(port, &attr, pattern, actions, err);
}

static struct rte_flow *
udp_queue_rule(uint32_t dst, uint16_t dport, uint16_t q, struct rte_flow_error *err)
{
	struct rte_flow_action_queue queue = { .index = q };
	struct rte_flow_action actions[] = {
		{ .type = RTE_FLOW_ACTION_TYPE_QUEUE, .conf = &queue },
		{ .type = RTE_FLOW_ACTION_TYPE_END },
	};

	return udp_rule(dst, dport, actions, err);
}

static int
queue_rule_steers_its_flow_only(void)
{
	struct rte_flow_error err;
	struct rte_flow *f;
	struct tk_frame fr;
	struct rx_result r;
	unsigned int i;

	f = udp_queue_rule(0xc0000201, 4789, 2, &err);
	TEST_ASSERT_NOT_NULL(f, "rule refused: %s", err.message ? err.message : "?");
	for (i = 0; i < NB_FRAMES; i++) {
		udp4_frame(&fr, 0xc0000201, 4789, i);
		TEST_ASSERT_SUCCESS(round_trip(&fr, &r));
		TEST_CHECK_EQUAL(r.queue, 2, "frame %u of the rule's flow", i);
		TEST_CHECK(!(r.ol_flags & RTE_MBUF_F_RX_FDIR), "frame %u marked", i);
		/* Same destination, other port; same port, other destination. */
		udp4_frame(&fr, 0xc0000201, 4790, i);
		TEST_ASSERT_SUCCESS(round_trip(&fr, &r));
		TEST_CHECK_EQUAL(r.queue, 0, "frame %u to port 4790", i);
		udp4_frame(&fr, 0xc0000202, 4789, i);
		TEST_ASSERT_SUCCESS(round_trip(&fr, &r));
		TEST_CHECK_EQUAL(r.queue, 0, "frame %u to 192.0.2.2", i);
	}
	/* TCP to the same address and port is another flow. */
	udp4_frame(&fr, 0xc0000201, 4789, 0);
	fr.proto = TK_PROTO_TCP;
	TEST_ASSERT_SUCCESS(round_trip(&fr, &r));
	TEST_CHECK_EQUAL(r.queue, 0, "TCP frame");

	TEST_ASSERT_SUCCESS(rte_flow_destroy(port, f, &err));
	udp4_frame(&fr, 0xc0000201, 4789, 0);
	TEST_ASSERT_SUCCESS(round_trip(&fr, &r));
	TEST_CHECK_EQUAL(r.queue, 0, "after destroy");
	return TEST_SUCCESS;
}

static int
drop_rule_drops_its_flow(void)
{
	static const struct rte_flow_attr attr = { .ingress = 1 };
	struct rte_flow_item_ipv6 ip_spec, ip_mask;
	struct rte_flow_item_tcp tcp_spec, tcp_mask;
	struct rte_flow_item pattern[4];
	struct rte_flow_action actions[] = {
		{ .type = RTE_FLOW_ACTION_TYPE_DROP },
		{ .type = RTE_FLOW_ACTION_TYPE_END },
	};
	struct rte_flow_error err;
	struct rte_flow *f;
	struct tk_frame fr;
	struct rx_result r;

	/* TCP from 2001:db8::/32 source port 53. */
	memset(&ip_spec, 0, sizeof(ip_spec));
	memset(&ip_mask, 0, sizeof(ip_mask));
	memset(&tcp_spec, 0, sizeof(tcp_spec));
	memset(&tcp_mask, 0, sizeof(tcp_mask));
	memcpy(&ip_spec.hdr.src_addr, "\x20\x01\x0d\xb8", 4);
	memset(&ip_mask.hdr.src_addr, 0xff, 4);
	tcp_spec.hdr.src_port = RTE_BE16(53);
	tcp_mask.hdr.src_port = RTE_BE16(0xffff);
	memset(pattern, 0, sizeof(pattern));
	pattern[0].type = RTE_FLOW_ITEM_TYPE_ETH;
	pattern[1].type = RTE_FLOW_ITEM_TYPE_IPV6;
	pattern[1].spec = &ip_spec;
	pattern[1].mask = &ip_mask;
	pattern[2].type = RTE_FLOW_ITEM_TYPE_TCP;
	pattern[2].spec = &tcp_spec;
	pattern[2].mask = &tcp_mask;
	pattern[3].type = RTE_FLOW_ITEM_TYPE_END;
	TEST_ASSERT_SUCCESS(rte_flow_validate(port, &attr, pattern, actions, &err));
	f = rte_flow_create(port, &attr, pattern, actions, &err);
	TEST_ASSERT_NOT_NULL(f, "rule refused: %s", err.message ? err.message : "?");

	tk_frame_init(&fr, true, TK_PROTO_TCP);
	memcpy(fr.dst_mac, &own_mac, sizeof(fr.dst_mac));
	memcpy(fr.src, "\x20\x01\x0d\xb8\x00\x07", 6);
	fr.src[15] = 9;
	fr.dst[15] = 1;
	fr.sport = 53;
	fr.dport = 4000;
	TEST_ASSERT_SUCCESS(never_arrives(&fr));
	fr.sport = 54;
	TEST_ASSERT_SUCCESS(round_trip(&fr, &r));
	fr.sport = 53;
	fr.src[2] = 0x0e;			/* 2001:eb8:: is outside the prefix */
	TEST_ASSERT_SUCCESS(round_trip(&fr, &r));
	fr.src[2] = 0x0d;
	fr.proto = TK_PROTO_UDP;		/* UDP source port 53 is another flow */
	TEST_ASSERT_SUCCESS(round_trip(&fr, &r));
	TEST_ASSERT_SUCCESS(rte_flow_destroy(port, f, &err));
	fr.proto = TK_PROTO_TCP;
	TEST_ASSERT_SUCCESS(round_trip(&fr, &r));
	return TEST_SUCCESS;
}

/* Toeplitz over source, destination and both ports of a UDP/IPv4 frame. */
static uint32_t
ref_hash(const uint8_t *key, const struct tk_frame *fr, bool ports)
{
	uint8_t in[40];
	size_t n = tk_toeplitz_input(fr, ports, in);

	return tk_toeplitz(key, KEY_BITS, in, n);
}

static int
rss_rule_spreads_over_its_queues(void)
{
	static const uint16_t queues[] = { 1, 3 };
	struct rte_flow_action_rss rss = {
		.func = RTE_ETH_HASH_FUNCTION_DEFAULT,
		.types = RTE_ETH_RSS_NONFRAG_IPV4_UDP,
		.queue_num = RTE_DIM(queues),
		.queue = queues,
	};
	struct rte_flow_action actions[] = {
		{ .type = RTE_FLOW_ACTION_TYPE_RSS, .conf = &rss },
		{ .type = RTE_FLOW_ACTION_TYPE_END },
	};
	struct rte_flow_action query_act = { .type = RTE_FLOW_ACTION_TYPE_RSS };
	struct rte_flow_action_rss got;
	struct rte_eth_rss_conf conf;
	uint8_t key[KEY_SIZE];
	unsigned int i, seen[NB_QUEUES] = { 0 };
	struct rte_flow_error err;
	struct rte_flow *f;
	struct tk_frame fr;
	struct rx_result r;

	memset(&conf, 0, sizeof(conf));
	conf.rss_key = key;
	conf.rss_key_len = sizeof(key);
	TEST_ASSERT_SUCCESS(rte_eth_dev_rss_hash_conf_get(port, &conf));

	f = udp_rule(0, 5000, actions, &err);
	TEST_ASSERT_NOT_NULL(f, "rule refused: %s", err.message ? err.message : "?");
	for (i = 0; i < 4 * NB_FRAMES; i++) {
		uint32_t want;

		udp4_frame(&fr, 0xc6336400 + i, 5000, i);
		want = ref_hash(key, &fr, true);
		TEST_ASSERT_SUCCESS(round_trip(&fr, &r));
		TEST_CHECK(r.hash == want, "frame %u: hash 0x%08x, Toeplitz 0x%08x", i, r.hash,
			   want);
		TEST_CHECK_EQUAL(r.queue, queues[(want & 0xff) % RTE_DIM(queues)], "frame %u",
				 i);
		seen[r.queue]++;
	}
	TEST_CHECK(seen[1] != 0 && seen[3] != 0, "queues 1 and 3 got %u and %u frames",
		   seen[1], seen[3]);
	/* Outside the rule: the port's RSS (everything to queue 0). */
	udp4_frame(&fr, 0xc6336400, 5001, 0);
	TEST_ASSERT_SUCCESS(round_trip(&fr, &r));
	TEST_CHECK_EQUAL(r.queue, 0, "frame outside the rule");

	memset(&got, 0, sizeof(got));
	TEST_ASSERT_SUCCESS(rte_flow_query(port, f, &query_act, &got, &err));
	TEST_CHECK_EQUAL(got.queue_num, 2);
	TEST_CHECK(got.types == RTE_ETH_RSS_NONFRAG_IPV4_UDP, "types 0x%" PRIx64, got.types);
	TEST_CHECK(got.queue != NULL && got.queue[0] == 1 && got.queue[1] == 3, "queues");

	/* The second context has one queue set: another is refused, the same shared. */
	{
		static const uint16_t other[] = { 0, 2 };
		struct rte_flow *g;

		rss.queue = other;
		TEST_CHECK(udp_rule(0, 5002, actions, &err) == NULL && rte_errno == EBUSY,
			   "second queue set accepted");
		rss.queue = queues;
		rss.types = RTE_ETH_RSS_NONFRAG_IPV4_UDP | RTE_ETH_RSS_L3_SRC_ONLY;
		g = udp_rule(0, 5002, actions, &err);
		TEST_ASSERT_NOT_NULL(g, "same queue set refused: %s",
				     err.message ? err.message : "?");
		/* Hash types per rule: the source address and both ports. */
		udp4_frame(&fr, 0xc6336400, 5002, 3);
		{
			uint8_t in[8];

			memcpy(in, fr.src, 4);
			tk_put16(in + 4, fr.sport);
			tk_put16(in + 6, fr.dport);
			TEST_ASSERT_SUCCESS(round_trip(&fr, &r));
			TEST_CHECK(r.hash == tk_toeplitz(key, KEY_BITS, in, 8),
				   "L3_SRC_ONLY hash 0x%08x", r.hash);
		}
		TEST_ASSERT_SUCCESS(rte_flow_destroy(port, g, &err));
	}
	TEST_ASSERT_SUCCESS(rte_flow_destroy(port, f, &err));
	udp4_frame(&fr, 0xc6336400, 5000, 1);
	TEST_ASSERT_SUCCESS(round_trip(&fr, &r));
	TEST_CHECK_EQUAL(r.queue, 0, "after destroy");

	/*
	 * No queue list ("queues end", as DTS's rss suite asks): the port's own
	 * queues through its table (all queue 0 here) with the rule's hash
	 * fields (here the source address and both ports, where the port hashes
	 * both addresses).
	 */
	rss.types = RTE_ETH_RSS_NONFRAG_IPV4_UDP | RTE_ETH_RSS_L3_SRC_ONLY;
	rss.queue_num = 0;
	rss.queue = NULL;
	f = udp_rule(0, 5003, actions, &err);
	TEST_ASSERT_NOT_NULL(f, "rule without queues refused: %s",
			     err.message ? err.message : "?");
	for (i = 0; i < NB_FRAMES; i++) {
		uint8_t in[8];
		uint32_t want;

		udp4_frame(&fr, 0xc6336400 + i, 5003, i);
		memcpy(in, fr.src, 4);
		tk_put16(in + 4, fr.sport);
		tk_put16(in + 6, fr.dport);
		want = tk_toeplitz(key, KEY_BITS, in, 8);
		TEST_ASSERT_SUCCESS(round_trip(&fr, &r));
		TEST_CHECK(r.hash == want, "frame %u: hash 0x%08x, the rule's fields 0x%08x", i,
			   r.hash, want);
		TEST_CHECK_EQUAL(r.queue, 0, "frame %u", i);
	}
	memset(&got, 0, sizeof(got));
	TEST_ASSERT_SUCCESS(rte_flow_query(port, f, &query_act, &got, &err));
	TEST_CHECK(got.queue_num == 0 && got.types == rss.types,
		   "query: %u queues, types 0x%" PRIx64, got.queue_num, got.types);
	TEST_ASSERT_SUCCESS(rte_flow_destroy(port, f, &err));
	return TEST_SUCCESS;
}

static int
mark_and_flag_reach_the_mbuf(void)
{
	struct rte_flow_action_queue queue = { .index = 1 };
	struct rte_flow_action_mark mark = { .id = 0xbeef01 };
	struct rte_flow_action actions[] = {
		{ .type = RTE_FLOW_ACTION_TYPE_MARK, .conf = &mark },
		{ .type = RTE_FLOW_ACTION_TYPE_QUEUE, .conf = &queue },
		{ .type = RTE_FLOW_ACTION_TYPE_END },
	};
	struct rte_flow_error err;
	struct rte_flow *f, *g;
	struct tk_frame fr;
	struct rx_result r;
	uint64_t features = RTE_ETH_RX_METADATA_USER_MARK | RTE_ETH_RX_METADATA_USER_FLAG;
	unsigned int i;

	/* Negotiated before configure (port_setup); now the port says busy. */
	TEST_CHECK_EQUAL(rte_eth_rx_metadata_negotiate(port, &features), -EBUSY);
	f = udp_rule(0, 6000, actions, &err);
	TEST_ASSERT_NOT_NULL(f, "rule refused: %s", err.message ? err.message : "?");
	actions[0].type = RTE_FLOW_ACTION_TYPE_FLAG;
	actions[0].conf = NULL;
	g = udp_rule(0, 6001, actions, &err);
	TEST_ASSERT_NOT_NULL(g, "rule refused: %s", err.message ? err.message : "?");
	for (i = 0; i < NB_FRAMES; i++) {
		udp4_frame(&fr, 0xc0000203, 6000, i);
		TEST_ASSERT_SUCCESS(round_trip(&fr, &r));
		TEST_CHECK_EQUAL(r.queue, 1, "marked frame %u", i);
		TEST_CHECK((r.ol_flags & (RTE_MBUF_F_RX_FDIR | RTE_MBUF_F_RX_FDIR_ID)) ==
			   (RTE_MBUF_F_RX_FDIR | RTE_MBUF_F_RX_FDIR_ID), "frame %u flags", i);
		TEST_CHECK(r.mark == 0xbeef01, "frame %u mark 0x%x", i, r.mark);
		udp4_frame(&fr, 0xc0000203, 6001, i);
		TEST_ASSERT_SUCCESS(round_trip(&fr, &r));
		TEST_CHECK((r.ol_flags & (RTE_MBUF_F_RX_FDIR | RTE_MBUF_F_RX_FDIR_ID)) ==
			   RTE_MBUF_F_RX_FDIR, "flagged frame %u flags", i);
		udp4_frame(&fr, 0xc0000203, 6002, i);
		TEST_ASSERT_SUCCESS(round_trip(&fr, &r));
		TEST_CHECK(!(r.ol_flags & RTE_MBUF_F_RX_FDIR), "unmatched frame %u marked", i);
	}
	TEST_ASSERT_SUCCESS(rte_flow_destroy(port, f, &err));
	TEST_ASSERT_SUCCESS(rte_flow_destroy(port, g, &err));
	return TEST_SUCCESS;
}

static int
rules_survive_stop_start_and_keep_mac_filtering(void)
{
	static const uint8_t foreign[6] = { 0x02, 0x99, 0x88, 0x77, 0x66, 0x55 };
	struct rte_flow_error err;
	struct rte_flow *f;
	struct tk_frame fr;
	struct rx_result r;

	f = udp_queue_rule(0, 7000, 3, &err);
	TEST_ASSERT_NOT_NULL(f, "rule refused: %s", err.message ? err.message : "?");
	TEST_ASSERT_SUCCESS(rte_eth_dev_stop(port));
	TEST_ASSERT_SUCCESS(rte_eth_dev_start(port));
	udp4_frame(&fr, 0xc0000204, 7000, 0);
	TEST_ASSERT_SUCCESS(round_trip(&fr, &r));
	TEST_CHECK_EQUAL(r.queue, 3, "after stop/start");

	/* A frame for another MAC address is filtered out unless promiscuous. */
	memcpy(fr.dst_mac, foreign, 6);
	TEST_ASSERT_SUCCESS(never_arrives(&fr));
	TEST_ASSERT_SUCCESS(rte_eth_promiscuous_enable(port));
	TEST_ASSERT_SUCCESS(round_trip(&fr, &r));
	TEST_CHECK_EQUAL(r.queue, 3, "promiscuous");
	TEST_ASSERT_SUCCESS(rte_eth_promiscuous_disable(port));
	TEST_ASSERT_SUCCESS(never_arrives(&fr));
	memcpy(fr.dst_mac, &own_mac, 6);
	TEST_ASSERT_SUCCESS(round_trip(&fr, &r));
	TEST_CHECK_EQUAL(r.queue, 3, "after promiscuous off");

	TEST_ASSERT_SUCCESS(rte_flow_flush(port, &err));
	TEST_ASSERT_SUCCESS(round_trip(&fr, &r));
	TEST_CHECK_EQUAL(r.queue, 0, "after flush");
	TEST_CHECK(rte_flow_destroy(port, f, &err) == -ENOENT, "flushed rule destroyed");
	return TEST_SUCCESS;
}

/* The error a bad request gets: errno and the part of it at fault. */
static int
bad_requests_get_errno_and_cause(void)
{
	static const struct rte_flow_attr ingress = { .ingress = 1 };
	static const struct rte_flow_attr egress = { .egress = 1 };
	struct rte_flow_item_vlan vlan = { .hdr.vlan_tci = RTE_BE16(5) };
	struct rte_flow_item pattern[] = {
		{ .type = RTE_FLOW_ITEM_TYPE_ETH },
		{ .type = RTE_FLOW_ITEM_TYPE_VLAN, .spec = &vlan },
		{ .type = RTE_FLOW_ITEM_TYPE_END },
	};
	struct rte_flow_action_queue queue = { .index = 0 };
	struct rte_flow_action actions[] = {
		{ .type = RTE_FLOW_ACTION_TYPE_QUEUE, .conf = &queue },
		{ .type = RTE_FLOW_ACTION_TYPE_END },
	};
	static const uint16_t far[] = { 1, NB_QUEUES };
	struct rte_flow_action_rss rss = { .queue_num = 2, .queue = far };
	struct rte_flow_action rss_actions[] = {
		{ .type = RTE_FLOW_ACTION_TYPE_RSS, .conf = &rss },
		{ .type = RTE_FLOW_ACTION_TYPE_END },
	};
	struct rte_flow *rules[NB_RULES];
	struct rte_flow_error err;
	unsigned int i, n;

	memset(&err, 0, sizeof(err));
	TEST_CHECK_EQUAL(rte_flow_validate(port, &ingress, pattern, actions, &err), -ENOTSUP);
	TEST_CHECK(err.type == RTE_FLOW_ERROR_TYPE_ITEM && err.cause == &pattern[1],
		   "vlan item: error type %d", err.type);
	TEST_CHECK(rte_flow_create(port, &ingress, pattern, actions, &err) == NULL &&
		   rte_errno == ENOTSUP, "vlan rule created");

	pattern[1].type = RTE_FLOW_ITEM_TYPE_IPV4;
	pattern[1].spec = NULL;
	TEST_CHECK_EQUAL(rte_flow_validate(port, &egress, pattern, actions, &err), -ENOTSUP);
	TEST_CHECK_EQUAL(err.type, RTE_FLOW_ERROR_TYPE_ATTR);
	queue.index = NB_QUEUES;
	TEST_CHECK_EQUAL(rte_flow_validate(port, &ingress, pattern, actions, &err), -EINVAL);
	TEST_CHECK(err.type == RTE_FLOW_ERROR_TYPE_ACTION_CONF && err.cause == &actions[0],
		   "queue out of range: error type %d", err.type);
	queue.index = 0;
	TEST_CHECK_EQUAL(rte_flow_validate(port, &ingress, pattern, rss_actions, &err),
			 -EINVAL);
	TEST_CHECK_EQUAL(err.type, RTE_FLOW_ERROR_TYPE_ACTION_CONF, "rss queue out of range");
	TEST_CHECK_EQUAL(rte_flow_validate(port, &ingress, pattern, &actions[1], &err),
			 -EINVAL, "no fate action");

	/* 48 rules fit; the 49th gets ENOSPC and the port still works. */
	for (n = 0; n < NB_RULES; n++) {
		rules[n] = udp_queue_rule(0, (uint16_t)(8000 + n), 1, &err);
		if (rules[n] == NULL)
			break;
	}
	TEST_CHECK_EQUAL(n, NB_RULES, "rules that fit");
	TEST_CHECK(udp_queue_rule(0, 9000, 1, &err) == NULL && rte_errno == ENOSPC,
		   "49th rule: %s", rte_strerror(rte_errno));
	TEST_CHECK_EQUAL(rte_flow_validate(port, &ingress, pattern, actions, &err), -ENOSPC);
	{
		struct tk_frame fr;
		struct rx_result r;

		udp4_frame(&fr, 0xc0000205, 8047, 0);
		TEST_ASSERT_SUCCESS(round_trip(&fr, &r));
		TEST_CHECK_EQUAL(r.queue, 1, "rule 48 steers");
	}
	for (i = 0; i < n; i++)
		TEST_CHECK_EQUAL(rte_flow_destroy(port, rules[i], &err), 0);
	TEST_CHECK_EQUAL(rte_flow_destroy(port, rules[0], &err), -ENOENT);
	return TEST_SUCCESS;
}

/*
 * Fewer queues than a rule's: configure takes them, start refuses with
 * EBUSY until the rule goes. Run last: it leaves two queues.
 */
static int
start_refuses_a_rule_to_a_lost_queue(void)
{
	struct rte_eth_conf conf;
	struct rte_flow_error err;
	struct rte_flow *f;
	struct tk_frame fr;
	struct rx_result r;

	f = udp_queue_rule(0, 7100, 3, &err);
	TEST_ASSERT_NOT_NULL(f, "rule refused: %s", err.message ? err.message : "?");
	TEST_ASSERT_SUCCESS(rte_eth_dev_stop(port));
	memset(&conf, 0, sizeof(conf));
	conf.rxmode.mq_mode = RTE_ETH_MQ_RX_RSS;
	TEST_ASSERT_SUCCESS(rte_eth_dev_configure(port, 2, 1, &conf));
	nb_rxq = 2;
	TEST_CHECK_EQUAL(rte_eth_dev_start(port), -EBUSY);
	TEST_ASSERT_SUCCESS(rte_flow_destroy(port, f, &err));
	TEST_ASSERT_SUCCESS(rte_eth_dev_start(port));
	udp4_frame(&fr, 0xc0000206, 7100, 0);
	TEST_ASSERT_SUCCESS(round_trip(&fr, &r));
	TEST_CHECK(r.queue < 2, "queue %u of 2", r.queue);
	return TEST_SUCCESS;
}

static int
port_setup(void)
{
	struct rte_eth_rss_reta_entry64 conf[RETA_SIZE / RTE_ETH_RETA_GROUP_SIZE];
	uint64_t features = RTE_ETH_RX_METADATA_USER_MARK | RTE_ETH_RX_METADATA_USER_FLAG |
			    RTE_ETH_RX_METADATA_TUNNEL_ID;
	struct rte_eth_conf dev_conf;
	uint16_t q;

	TEST_ASSERT_SUCCESS(rte_eth_rx_metadata_negotiate(port, &features));
	TEST_CHECK(features == (RTE_ETH_RX_METADATA_USER_MARK | RTE_ETH_RX_METADATA_USER_FLAG),
		   "metadata 0x%" PRIx64, features);
	memset(&dev_conf, 0, sizeof(dev_conf));
	dev_conf.rxmode.mq_mode = RTE_ETH_MQ_RX_RSS;
	dev_conf.rxmode.offloads = RTE_ETH_RX_OFFLOAD_RSS_HASH;
	dev_conf.rx_adv_conf.rss_conf.rss_hf = RTE_ETH_RSS_IPV4 | RTE_ETH_RSS_IPV6 |
		RTE_ETH_RSS_NONFRAG_IPV4_TCP | RTE_ETH_RSS_NONFRAG_IPV4_UDP |
		RTE_ETH_RSS_NONFRAG_IPV6_TCP | RTE_ETH_RSS_NONFRAG_IPV6_UDP;
	TEST_ASSERT_SUCCESS(test_port_start(port, NB_QUEUES, &dev_conf, NB_DESC, pool));
	TEST_ASSERT_SUCCESS(rte_eth_macaddr_get(port, &own_mac));
	/* Everything to queue 0 unless a rule says otherwise. */
	memset(conf, 0, sizeof(conf));
	for (q = 0; q < RETA_SIZE / RTE_ETH_RETA_GROUP_SIZE; q++)
		conf[q].mask = UINT64_MAX;
	TEST_ASSERT_SUCCESS(rte_eth_dev_rss_reta_update(port, conf, RETA_SIZE));
	return TEST_SUCCESS;
}

int
main(int argc, char **argv)
{
	struct rte_mempool *pools[2] = { NULL };

	if (test_eal_one_port(argc, argv, &port) != 0)
		return 1;
	pool = test_pool("flow", NB_MBUFS, RTE_MBUF_DEFAULT_BUF_SIZE);
	if (pool == NULL) {
		rte_eal_cleanup();
		return 1;
	}
	if (TK_RUN(port_setup) == 0) {
		TK_RUN(queue_rule_steers_its_flow_only);
		TK_RUN(drop_rule_drops_its_flow);
		TK_RUN(rss_rule_spreads_over_its_queues);
		TK_RUN(mark_and_flag_reach_the_mbuf);
		TK_RUN(rules_survive_stop_start_and_keep_mac_filtering);
		TK_RUN(bad_requests_get_errno_and_cause);
		TK_RUN(start_refuses_a_rule_to_a_lost_queue);
	}
	pools[0] = pool;
	test_port_teardown(port, pools);
	return tk_report("test_flow");
}
