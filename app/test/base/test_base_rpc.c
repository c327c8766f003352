/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

/*
 * The driver's classifier code (drivers/net/fbnic/base/fbnic_rpc.c) programs
 * the model, and real frames go through the model's classifier: RSS lands
 * where an independent Toeplitz says, MAC filtering follows rx_mode, hash
 * field choices and ntuple rules take effect. Driver and model are checked
 * against each other and against fbnic_hw.rst 7, not against themselves.
 * DPDK is needed for the base code's allocator only (EAL without hugepages).
 */

#include <rte_common.h>
#include <rte_eal.h>
#include <rte_log.h>

#include "fbnic_hw.h"
#include "fbnic_rpc.h"
#include "fbnic_model_regs.h"
#include "fbnic_tk_toeplitz.h"
#include "test_rpc_util.h"

int fbnic_logtype_base;

static struct fbnic_hw hw;

/* The RSS key is 425 bits of FBNIC_RSS_KEY_SIZE bytes (fbnic_hw.rst 7.5). */
#define KEY_BITS	425

static void
random_flow(struct tk_frame *fl, uint64_t *seed, bool v6, uint8_t proto)
{
	unsigned int i;

	t_flow_init(fl);
	fl->v6 = v6;
	fl->proto = proto;
	for (i = 0; i < 16; i++) {
		fl->src[i] = (uint8_t)t_rand(seed);
		fl->dst[i] = (uint8_t)t_rand(seed);
	}
	fl->sport = (uint16_t)t_rand(seed);
	fl->dport = (uint16_t)t_rand(seed);
}

static struct fbm_dev *
driver_open(uint8_t *key, uint16_t nb_rxq)
{
	struct fbm_dev *dev = t_dev_create(4, 2, 0);
	uint64_t seed = 31337;
	unsigned int i;

	memset(&hw, 0, sizeof(hw));
	hw.reg_ops = &fbnic_model_reg_ops;
	hw.reg_ctx = dev;
	TEST_CHECK_EQUAL(fbnic_rpc_init(&hw), 0);
	for (i = 0; i < FBNIC_RSS_KEY_SIZE; i++)
		key[i] = (uint8_t)t_rand(&seed);
	key[FBNIC_RSS_KEY_SIZE - 1] &= 0x80;
	TEST_CHECK_EQUAL(fbnic_rpc_set_rss_key(&hw, key, FBNIC_RSS_KEY_SIZE), 0);
	fbnic_rpc_set_nb_rx_queues(&hw, nb_rxq);
	fbnic_rss_reinit(&hw);
	fbnic_rss_write_hw(&hw);
	TEST_CHECK_EQUAL(fbnic_rpc_set_rx_mode(&hw, t_own_mac, NULL, 0, NULL, 0, false, false,
					       NULL, NULL), 0);
	return dev;
}

static void
driver_close(struct fbm_dev *dev)
{
	fbnic_rpc_fini(&hw);
	fbm_destroy(dev);
}

/* Linux defaults: TCP hashes 4-tuple, UDP and IP the addresses; reta i % n. */
static int
test_driver_rss_matches_reference(void)
{
	static const uint8_t protos[] = { 6, 17, 1 };
	uint8_t key[FBNIC_RSS_KEY_SIZE], in[64], f[512];
	struct fbm_dev *dev = driver_open(key, 6);
	uint64_t seed = 5;
	struct fbm_rx_meta m;
	unsigned int i;
	struct tk_frame fl;
	uint32_t h;
	size_t len;

	for (i = 0; i < 600; i++) {
		uint8_t proto = protos[i % 3];

		random_flow(&fl, &seed, (i / 3) & 1, proto == 1 && ((i / 3) & 1) ? 58 : proto);
		len = tk_frame_build(f, &fl, i % 50);
		h = tk_toeplitz(key, KEY_BITS, in, tk_toeplitz_input(&fl, proto == 6, in));
		TEST_CHECK_EQUAL(fbm_rpc_classify(dev, f, (uint32_t)len, &m), 0);
		TEST_CHECK_EQUAL(m.rss_hash, h);
		TEST_CHECK_EQUAL(m.queue, (h & 0xff) % 6);
		TEST_CHECK_EQUAL(m.dma_hint, FBNIC_RCD_HDR_AL_DMA_HINT_L4);
	}

	/* ethtool -N rx-flow-hash udp4 sdfn: UDP over IPv4 now hashes ports. */
	TEST_CHECK_EQUAL(fbnic_rpc_set_hash_fields(&hw, FBNIC_RSS_FLOW_UDP4, FBNIC_RSS_F_L4), 0);
	fbnic_rss_reinit(&hw);
	fbnic_rpc_write_rules(&hw);
	random_flow(&fl, &seed, false, 17);
	len = tk_frame_build(f, &fl, 0);
	TEST_CHECK_EQUAL(fbm_rpc_classify(dev, f, (uint32_t)len, &m), 0);
	TEST_CHECK_EQUAL(m.rss_hash,
			 tk_toeplitz(key, KEY_BITS, in, tk_toeplitz_input(&fl, true, in)));

	/* Discard for plain IPv4: ICMP is dropped, TCP still delivered. */
	TEST_CHECK_EQUAL(fbnic_rpc_set_hash_fields(&hw, FBNIC_RSS_FLOW_IP4, FBNIC_RSS_F_DISCARD),
			 0);
	fbnic_rss_reinit(&hw);
	fbnic_rpc_write_rules(&hw);
	random_flow(&fl, &seed, false, 1);
	len = tk_frame_build(f, &fl, 8);
	TEST_CHECK_EQUAL(fbm_rpc_classify(dev, f, (uint32_t)len, &m), -EPERM);
	fl.proto = 6;
	len = tk_frame_build(f, &fl, 8);
	TEST_CHECK_EQUAL(fbm_rpc_classify(dev, f, (uint32_t)len, &m), 0);
	driver_close(dev);
	return TEST_SUCCESS;
}

static int
classify_da(struct fbm_dev *dev, const uint8_t *da)
{
	struct fbm_rx_meta m;
	uint8_t f[128];
	struct tk_frame fl;
	size_t len;

	t_flow_init(&fl);
	fl.proto = 17;
	memcpy(fl.dst_mac, da, 6);
	len = tk_frame_build(f, &fl, 10);
	return fbm_rpc_classify(dev, f, (uint32_t)len, &m);
}

/* rx_mode: own MAC, broadcast, multicast list, allmulti, promiscuous. */
static int
test_driver_rx_mode_filters_frames(void)
{
	static const uint8_t mc[2][6] = {
		{ 0x01, 0x00, 0x5e, 0x00, 0x00, 0x01 }, { 0x33, 0x33, 0x00, 0x00, 0x00, 0x01 },
	};
	static const uint8_t uc[1][6] = { { 0x02, 0x00, 0x00, 0x00, 0x00, 0x07 } };
	static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	static const uint8_t mc_other[6] = { 0x01, 0x00, 0x5e, 0x11, 0x22, 0x33 };
	static const uint8_t uc_other[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x08 };
	uint8_t key[FBNIC_RSS_KEY_SIZE];
	struct fbm_dev *dev = driver_open(key, 4);

	TEST_CHECK_EQUAL(classify_da(dev, t_own_mac), 0);
	TEST_CHECK_EQUAL(classify_da(dev, bcast), 0);
	TEST_CHECK_EQUAL(classify_da(dev, mc[0]), -EPERM);
	TEST_CHECK_EQUAL(classify_da(dev, uc[0]), -EPERM);

	TEST_CHECK_EQUAL(fbnic_rpc_set_rx_mode(&hw, t_own_mac, uc, 1, mc, 2, false, false, NULL,
					       NULL), 0);
	TEST_CHECK_EQUAL(classify_da(dev, mc[0]), 0);
	TEST_CHECK_EQUAL(classify_da(dev, mc[1]), 0);
	TEST_CHECK_EQUAL(classify_da(dev, uc[0]), 0);
	TEST_CHECK_EQUAL(classify_da(dev, mc_other), -EPERM);
	TEST_CHECK_EQUAL(classify_da(dev, uc_other), -EPERM);

	TEST_CHECK_EQUAL(fbnic_rpc_set_rx_mode(&hw, t_own_mac, NULL, 0, NULL, 0, false, true, NULL,
					       NULL), 0);
	TEST_CHECK_EQUAL(classify_da(dev, mc_other), 0);
	TEST_CHECK_EQUAL(classify_da(dev, uc_other), -EPERM);
	TEST_CHECK_EQUAL(classify_da(dev, uc[0]), -EPERM);	/* removed from the list */

	TEST_CHECK_EQUAL(fbnic_rpc_set_rx_mode(&hw, t_own_mac, NULL, 0, NULL, 0, true, false, NULL,
					       NULL), 0);
	TEST_CHECK_EQUAL(classify_da(dev, uc_other), 0);
	TEST_CHECK_EQUAL(classify_da(dev, mc_other), 0);

	TEST_CHECK_EQUAL(fbnic_rpc_set_rx_mode(&hw, t_own_mac, NULL, 0, NULL, 0, false, false, NULL,
					       NULL), 0);
	TEST_CHECK_EQUAL(classify_da(dev, uc_other), -EPERM);
	TEST_CHECK_EQUAL(classify_da(dev, t_own_mac), 0);

	/* Close: the classifier is off and nothing reaches the host. */
	fbnic_rpc_clear_rules(&hw);
	TEST_CHECK(classify_da(dev, t_own_mac) < 0);
	driver_close(dev);
	return TEST_SUCCESS;
}

/* ntuple rules written by the driver steer, spread or drop in the model. */
static int
test_driver_ntuple_rules_steer_frames(void)
{
	uint8_t key[FBNIC_RSS_KEY_SIZE], f[256];
	struct fbm_dev *dev = driver_open(key, 8);
	struct fbnic_ntuple r;
	struct fbm_rx_meta m;
	struct tk_frame fl;
	int loc, loc2, loc3;
	size_t len;

	/* TCP/IPv4 to 10.1.0.0/16 port 5001 -> queue 7 */
	memset(&r, 0, sizeof(r));
	r.type = FBNIC_NTUPLE_IPV4;
	r.l4_proto = 6;
	r.dst_ip[0] = 10;
	r.dst_ip[1] = 1;
	r.dst_mask[0] = 0xff;
	r.dst_mask[1] = 0xff;
	r.dport = 5001;
	r.dport_mask = 0xffff;
	r.action = FBNIC_NTUPLE_ACT_QUEUE;
	r.queue = 7;
	loc = fbnic_rpc_ntuple_add(&hw, &r, true);
	TEST_CHECK(loc >= 0);

	t_flow_init(&fl);
	fl.proto = 6;
	fl.src[0] = 192;
	fl.dst[0] = 10;
	fl.dst[1] = 1;
	fl.dst[3] = 9;
	fl.sport = 333;
	fl.dport = 5001;
	len = tk_frame_build(f, &fl, 20);
	TEST_CHECK_EQUAL(fbm_rpc_classify(dev, f, (uint32_t)len, &m), 0);
	TEST_CHECK_EQUAL(m.queue, 7);
	fl.dst[1] = 2;				/* outside the prefix */
	len = tk_frame_build(f, &fl, 20);
	TEST_CHECK_EQUAL(fbm_rpc_classify(dev, f, (uint32_t)len, &m), 0);
	TEST_CHECK_EQUAL(m.queue, (m.rss_hash & 0xff) % 8);

	/* UDP/IPv6 source port 53 -> drop */
	memset(&r, 0, sizeof(r));
	r.type = FBNIC_NTUPLE_IPV6;
	r.l4_proto = 17;
	r.sport = 53;
	r.sport_mask = 0xffff;
	r.action = FBNIC_NTUPLE_ACT_DROP;
	loc2 = fbnic_rpc_ntuple_add(&hw, &r, true);
	TEST_CHECK(loc2 >= 0 && loc2 != loc);
	t_flow_init(&fl);
	fl.v6 = true;
	fl.proto = 17;
	fl.sport = 53;
	fl.dport = 1000;
	len = tk_frame_build(f, &fl, 20);
	TEST_CHECK_EQUAL(fbm_rpc_classify(dev, f, (uint32_t)len, &m), -EPERM);
	fl.sport = 54;
	len = tk_frame_build(f, &fl, 20);
	TEST_CHECK_EQUAL(fbm_rpc_classify(dev, f, (uint32_t)len, &m), 0);

	/* Destination MAC rule -> RSS context 1 (table 1: every entry queue 5). */
	{
		static const uint8_t dmac[6] = { 0x02, 0xaa, 0xbb, 0xcc, 0xdd, 0xee };
		uint16_t reta[FBNIC_RSS_RETA_SIZE];
		unsigned int i;

		for (i = 0; i < FBNIC_RSS_RETA_SIZE; i++)
			reta[i] = 5;
		TEST_CHECK_EQUAL(fbnic_rpc_set_reta(&hw, 1, reta, FBNIC_RSS_RETA_SIZE), 0);
		fbnic_rss_write_hw(&hw);
		memset(&r, 0, sizeof(r));
		r.type = FBNIC_NTUPLE_ETHER;
		memcpy(r.dmac, dmac, 6);
		r.action = FBNIC_NTUPLE_ACT_RSS;
		r.rss_context = 1;
		loc3 = fbnic_rpc_ntuple_add(&hw, &r, true);
		TEST_CHECK(loc3 >= 0);
		TEST_CHECK_EQUAL(classify_da(dev, dmac), 0);
		memcpy(fl.dst_mac, dmac, 6);
		len = tk_frame_build(f, &fl, 20);
		TEST_CHECK_EQUAL(fbm_rpc_classify(dev, f, (uint32_t)len, &m), 0);
		TEST_CHECK_EQUAL(m.queue, 5);
	}

	/* Deleting the first rule returns its flow to RSS. */
	TEST_CHECK_EQUAL(fbnic_rpc_ntuple_del(&hw, loc, true), 0);
	t_flow_init(&fl);
	fl.proto = 6;
	fl.dst[0] = 10;
	fl.dst[1] = 1;
	fl.dport = 5001;
	len = tk_frame_build(f, &fl, 20);
	TEST_CHECK_EQUAL(fbm_rpc_classify(dev, f, (uint32_t)len, &m), 0);
	TEST_CHECK_EQUAL(m.queue, (m.rss_hash & 0xff) % 8);
	driver_close(dev);
	return TEST_SUCCESS;
}

int
main(int argc, char **argv)
{
	static const char *const args[] = {
		"--no-huge", "-m", "64", "--no-shconf", "--no-pci",
		"--file-prefix=test_base_rpc", "--log-level=lib.eal:warning",
	};
	char *eal_argv[RTE_DIM(args) + 2];
	unsigned int i;

	(void)argc;
	/* EAL reorders argv, not the strings. */
	eal_argv[0] = argv[0];
	for (i = 0; i < RTE_DIM(args); i++)
		eal_argv[i + 1] = (char *)(uintptr_t)args[i];
	eal_argv[RTE_DIM(args) + 1] = NULL;
	if (rte_eal_init(8, eal_argv) < 0) {
		fprintf(stderr, "EAL init failed\n");
		return 1;
	}
	fbnic_logtype_base = rte_log_register_type_and_pick_level("pmd.net.fbnic.base",
								  RTE_LOG_NOTICE);
	TK_RUN(test_driver_rss_matches_reference);
	TK_RUN(test_driver_rx_mode_filters_frames);
	TK_RUN(test_driver_ntuple_rules_steer_frames);
	rte_eal_cleanup();
	return tk_report("test_base_rpc");
}
