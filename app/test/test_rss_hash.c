/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

/*
 * RSS through ethdev on a model port with a loopback wire and 4 Rx queues:
 * the mbuf hash of every flow type (IPv4 and IPv6, TCP, UDP, other) equals
 * the test kit's Toeplitz reference over the fields that the hash types
 * select (all, L3_SRC_ONLY, L4_DST_ONLY, and the IPv6 flow label where the
 * DPDK version has it), each frame arrives on the queue that the
 * redirection table names for its hash, and a new key moves the flows to
 * the queues that Toeplitz predicts with that key. Types the device does
 * not hash are not advertised.
 *
 * Usage: test-rss-hash <EAL args> --vdev net_fbnic_model0,wire=loopback,...
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>

#include "fbnic_tk.h"
#include "fbnic_tk_frame.h"
#include "test_ethdev.h"
#include "fbnic_tk_toeplitz.h"

#define NB_QUEUES	4
#define NB_DESC		256
#define NB_MBUFS	2048
#define RETA_SIZE	256
#define KEY_SIZE	54
#define KEY_BITS	425	/* of the 54-byte key, the device uses 425 bits */
#define FLOWS		24
#define WAIT_MS		3000

static uint16_t port;
static struct rte_mempool *pool;
static struct rte_ether_addr own_mac;
static uint16_t reta[RETA_SIZE];

/* The flow types, and the fields a hash type selects. */
enum flow_kind { V4_OTHER, V4_TCP, V4_UDP, V6_OTHER, V6_TCP, V6_UDP, NB_KINDS };

struct selection {
	const char *name;
	uint64_t rss_hf;
	bool src, dst, sport, dport, flow_label;
};

static void
flow_frame(struct tk_frame *fr, enum flow_kind k, unsigned int i)
{
	bool v6 = k >= V6_OTHER;
	uint8_t proto = (k == V4_TCP || k == V6_TCP) ? TK_PROTO_TCP :
			(k == V4_UDP || k == V6_UDP) ? TK_PROTO_UDP : 47;

	tk_frame_init(fr, v6, proto);
	memcpy(fr->dst_mac, &own_mac, sizeof(fr->dst_mac));
	if (v6) {
		fr->src[15] = (uint8_t)(i * 7 + 1);
		fr->dst[14] = (uint8_t)(i * 13 + 2);
		fr->flow_label = 0x12345 + i * 0x111;
	} else {
		tk_put32(fr->src, 0x0a000001 + i * 0x01010101u);
		tk_put32(fr->dst, 0xc0a80000 + i * 37);
	}
	fr->sport = (uint16_t)(1024 + i * 977);
	fr->dport = (uint16_t)(80 + i * 3);
	fr->seed = i;
}

/* The Toeplitz input the selection makes of the frame, in the device's order. */
static size_t
rss_input(const struct tk_frame *fr, enum flow_kind k, const struct selection *sel,
	  uint8_t *in)
{
	size_t alen = fr->v6 ? 16 : 4, n = 0;
	bool l4 = k != V4_OTHER && k != V6_OTHER;

	if (sel->src) {
		memcpy(in + n, fr->src, alen);
		n += alen;
	}
	if (sel->dst) {
		memcpy(in + n, fr->dst, alen);
		n += alen;
	}
	if (l4 && sel->sport) {
		tk_put16(in + n, fr->sport);
		n += 2;
	}
	if (l4 && sel->dport) {
		tk_put16(in + n, fr->dport);
		n += 2;
	}
	if (fr->v6 && sel->flow_label) {
		tk_put32(in + n, fr->flow_label);
		n += 4;
	}
	return n;
}

/* Receive one frame on any queue: its hash and queue. */
static int
receive_one(uint32_t *hash, uint16_t *queue)
{
	uint64_t deadline = tk_now_ms() + WAIT_MS;
	struct rte_mbuf *m;
	uint16_t q;

	do {
		for (q = 0; q < NB_QUEUES; q++) {
			if (rte_eth_rx_burst(port, q, &m, 1) != 1)
				continue;
			*queue = q;
			*hash = m->hash.rss;
			TEST_CHECK(m->ol_flags & RTE_MBUF_F_RX_RSS_HASH, "no RSS hash flag");
			rte_pktmbuf_free(m);
			return TEST_SUCCESS;
		}
	} while (tk_now_ms() < deadline);
	TEST_ASSERT(false, "no frame received");
	return TEST_FAILED;
}

/*
 * Every flow of every kind: hash = Toeplitz(key, selected fields), queue =
 * RETA[hash]. Returns the queues in q_out (FLOWS * NB_KINDS) if not NULL.
 */
static int
check_flows(const struct selection *sel, const uint8_t *key, uint16_t *q_out)
{
	unsigned int i, k, wrong = 0;

	for (k = 0; k < NB_KINDS; k++) {
		for (i = 0; i < FLOWS; i++) {
			struct tk_frame fr;
			uint8_t in[64];
			uint32_t hash = 0, want;
			uint16_t q = UINT16_MAX;
			size_t n;

			flow_frame(&fr, (enum flow_kind)k, i);
			n = rss_input(&fr, (enum flow_kind)k, sel, in);
			want = tk_toeplitz(key, KEY_BITS, in, n);
			TEST_ASSERT_SUCCESS(test_send_frame(port, pool, &fr, 40));
			TEST_ASSERT_SUCCESS(receive_one(&hash, &q));
			if (hash != want || q != reta[want % RETA_SIZE])
				wrong++;
			TEST_CHECK_EQUAL(hash, want, "%s: kind %u flow %u", sel->name, k, i);
			TEST_CHECK_EQUAL(q, reta[want % RETA_SIZE], "%s: kind %u flow %u queue",
					 sel->name, k, i);
			if (q_out != NULL)
				q_out[k * FLOWS + i] = q;
		}
	}
	printf("%s: %u frames (%u flows of %u kinds), %u not as Toeplitz predicts\n", sel->name,
	       FLOWS * NB_KINDS, FLOWS, NB_KINDS, wrong);
	return TEST_SUCCESS;
}

static int
set_hash(uint64_t rss_hf, const uint8_t *key)
{
	struct rte_eth_rss_conf conf = {
		.rss_key = (uint8_t *)(uintptr_t)key,
		.rss_key_len = key != NULL ? KEY_SIZE : 0,
		.rss_hf = rss_hf,
	};

	return rte_eth_dev_rss_hash_update(port, &conf);
}

static int
current_key(uint8_t *key)
{
	struct rte_eth_rss_conf conf = { .rss_key = key, .rss_key_len = KEY_SIZE };

	TEST_ASSERT_SUCCESS(rte_eth_dev_rss_hash_conf_get(port, &conf));
	TEST_ASSERT_EQUAL(conf.rss_key_len, KEY_SIZE);
	return TEST_SUCCESS;
}

static const uint64_t all_types = RTE_ETH_RSS_IPV4 | RTE_ETH_RSS_NONFRAG_IPV4_TCP |
	RTE_ETH_RSS_NONFRAG_IPV4_UDP | RTE_ETH_RSS_IPV6 | RTE_ETH_RSS_NONFRAG_IPV6_TCP |
	RTE_ETH_RSS_NONFRAG_IPV6_UDP;

static int
hash_of_every_flow_type_is_toeplitz(void)
{
	static const struct selection sels[] = {
		{ "all fields", 0, true, true, true, true, false },
		{ "L3_SRC_ONLY", RTE_ETH_RSS_L3_SRC_ONLY, true, false, true, true, false },
		{ "L4_DST_ONLY", RTE_ETH_RSS_L4_DST_ONLY, true, true, false, true, false },
		{ "L3_DST_ONLY L4_SRC_ONLY", RTE_ETH_RSS_L3_DST_ONLY | RTE_ETH_RSS_L4_SRC_ONLY,
		  false, true, true, false, false },
#ifdef RTE_ETH_RSS_IPV6_FLOW_LABEL
		{ "IPV6_FLOW_LABEL", RTE_ETH_RSS_IPV6_FLOW_LABEL, true, true, true, true, true },
#endif
	};
	uint8_t key[KEY_SIZE];
	size_t i;

	TEST_ASSERT_SUCCESS(current_key(key));
	for (i = 0; i < RTE_DIM(sels); i++) {
		struct selection sel = sels[i];

		sel.rss_hf |= all_types;
		TEST_ASSERT_SUCCESS(set_hash(sel.rss_hf, NULL), "%s", sel.name);
		TEST_ASSERT_SUCCESS(check_flows(&sel, key, NULL));
	}
	return TEST_SUCCESS;
}

static int
new_key_moves_flows_where_toeplitz_says(void)
{
	static const struct selection sel = { "new key", 0, true, true, true, true, false };
	static uint16_t before[FLOWS * NB_KINDS], after[FLOWS * NB_KINDS];
	uint8_t key[KEY_SIZE], key2[KEY_SIZE];
	unsigned int i, moved = 0;

	TEST_ASSERT_SUCCESS(set_hash(all_types, NULL));
	TEST_ASSERT_SUCCESS(current_key(key));
	TEST_ASSERT_SUCCESS(check_flows(&sel, key, before));
	for (i = 0; i < KEY_SIZE; i++)
		key2[i] = (uint8_t)(key[i] * 29 + 0x5b + i);
	TEST_ASSERT_SUCCESS(set_hash(all_types, key2));
	TEST_ASSERT_SUCCESS(current_key(key));
	/* Read back: the key set, in the 425 bits the device keeps (the rest 0). */
	TEST_CHECK(memcmp(key, key2, KEY_BITS / 8) == 0 &&
		   key[KEY_BITS / 8] == (key2[KEY_BITS / 8] & 0x80),
		   "the key read back is not the key set");
	TEST_ASSERT_SUCCESS(check_flows(&sel, key2, after));
	for (i = 0; i < RTE_DIM(before); i++)
		moved += before[i] != after[i];
	/* 144 flows over 4 queues: about 3 in 4 change queue. */
	TEST_CHECK(moved > RTE_DIM(before) / 2, "only %u of %zu flows changed queue", moved,
		   RTE_DIM(before));
	printf("new key: %u of %zu flows moved, each to its predicted queue\n", moved,
	       RTE_DIM(before));
	return TEST_SUCCESS;
}

static int
only_hashed_types_are_advertised(void)
{
	struct rte_eth_dev_info info;

	TEST_ASSERT_SUCCESS(rte_eth_dev_info_get(port, &info));
	TEST_CHECK_EQUAL(info.flow_type_rss_offloads & (RTE_ETH_RSS_FRAG_IPV4 |
			 RTE_ETH_RSS_FRAG_IPV6 | RTE_ETH_RSS_IPV6_EX), 0);
	TEST_CHECK_EQUAL(info.flow_type_rss_offloads & all_types, all_types);
	TEST_CHECK(set_hash(all_types | RTE_ETH_RSS_IPV6_EX, NULL) < 0, "IPV6_EX taken");
	return TEST_SUCCESS;
}

#ifdef RTE_ETH_HASH_ALGO_CAPA_MASK
/* DPDK >= 23.11: Toeplitz is asked for by name, reported back, nothing else is taken. */
static int
only_toeplitz_is_offered(void)
{
	struct rte_eth_rss_conf conf = { .rss_hf = all_types };
	struct rte_eth_dev_info info;

	TEST_ASSERT_SUCCESS(rte_eth_dev_info_get(port, &info));
	TEST_CHECK_EQUAL(info.rss_algo_capa, RTE_ETH_HASH_ALGO_CAPA_MASK(DEFAULT) |
			 RTE_ETH_HASH_ALGO_CAPA_MASK(TOEPLITZ));
	conf.algorithm = RTE_ETH_HASH_FUNCTION_TOEPLITZ;
	TEST_CHECK_EQUAL(rte_eth_dev_rss_hash_update(port, &conf), 0);
	conf.algorithm = RTE_ETH_HASH_FUNCTION_SIMPLE_XOR;
	TEST_CHECK_EQUAL(rte_eth_dev_rss_hash_update(port, &conf), -EINVAL);
	conf.algorithm = RTE_ETH_HASH_FUNCTION_SYMMETRIC_TOEPLITZ;
	TEST_CHECK_EQUAL(rte_eth_dev_rss_hash_update(port, &conf), -EINVAL);
	conf.algorithm = RTE_ETH_HASH_FUNCTION_DEFAULT;
	TEST_ASSERT_SUCCESS(rte_eth_dev_rss_hash_conf_get(port, &conf));
	TEST_CHECK_EQUAL(conf.algorithm, RTE_ETH_HASH_FUNCTION_TOEPLITZ);
	return TEST_SUCCESS;
}
#endif

static int
port_setup(void)
{
	struct rte_eth_rss_reta_entry64 conf[RETA_SIZE / RTE_ETH_RETA_GROUP_SIZE];
	struct rte_eth_conf dev_conf;
	unsigned int i;

	memset(&dev_conf, 0, sizeof(dev_conf));
	dev_conf.rxmode.mq_mode = RTE_ETH_MQ_RX_RSS;
	dev_conf.rxmode.offloads = RTE_ETH_RX_OFFLOAD_RSS_HASH;
	dev_conf.rx_adv_conf.rss_conf.rss_hf = all_types;
	TEST_ASSERT_SUCCESS(test_port_start(port, NB_QUEUES, &dev_conf, NB_DESC, pool));
	TEST_ASSERT_SUCCESS(rte_eth_macaddr_get(port, &own_mac));
	/* A table of our own: entry i -> queue (i * 7) % 4. */
	memset(conf, 0, sizeof(conf));
	for (i = 0; i < RETA_SIZE; i++) {
		conf[i / RTE_ETH_RETA_GROUP_SIZE].mask |= UINT64_C(1) << (i % 64);
		conf[i / RTE_ETH_RETA_GROUP_SIZE].reta[i % 64] = (uint16_t)(i * 7 % NB_QUEUES);
		reta[i] = (uint16_t)(i * 7 % NB_QUEUES);
	}
	TEST_ASSERT_SUCCESS(rte_eth_dev_rss_reta_update(port, conf, RETA_SIZE));
	return TEST_SUCCESS;
}

int
main(int argc, char **argv)
{
	struct rte_mempool *pools[2] = { NULL };

	if (test_eal_one_port(argc, argv, &port) != 0)
		return 1;
	pool = test_pool("rss_hash", NB_MBUFS, RTE_MBUF_DEFAULT_BUF_SIZE);
	if (pool == NULL) {
		rte_eal_cleanup();
		return 1;
	}
	if (TK_RUN(port_setup) == 0) {
		TK_RUN(only_hashed_types_are_advertised);
#ifdef RTE_ETH_HASH_ALGO_CAPA_MASK
		TK_RUN(only_toeplitz_is_offered);
#endif
		TK_RUN(hash_of_every_flow_type_is_toeplitz);
		TK_RUN(new_key_moves_flows_where_toeplitz_says);
	}
	pools[0] = pool;
	test_port_teardown(port, pools);
	return tk_report("test_rss_hash");
}
