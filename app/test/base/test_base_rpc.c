/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

/*
 * base/fbnic_rpc.c against the model's classifier (fbnic_hw.rst 7), two
 * ways. The registers it writes read back as the document says: RSS key
 * and tables, action and MAC-DA TCAM entries, sharing with a BMC (its
 * addresses, all-multicast catch and TX TCAM), ntuple
 * rules in the IP TCAM. And real frames go through the model's classifier
 * after the driver programmed it: RSS lands where an independent Toeplitz
 * says, MAC filtering follows rx_mode, hash field choices and ntuple rules
 * take effect. Driver and model are checked
 * against each other and against the document, not against themselves.
 */

#include <errno.h>

#include "fbnic_hw.h"
#include "fbnic_rpc.h"
#include "fbnic_model_regs.h"
#include "fbnic_tk_toeplitz.h"
#include "test_base.h"
#include "test_rpc_util.h"

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

static int
test_rss_key_bytes_land_big_endian_in_registers(void)
{
	uint8_t key[FBNIC_RSS_KEY_SIZE], back[FBNIC_RSS_KEY_SIZE];
	uint32_t regs[FBNIC_RSS_KEY_WORDS];
	struct fbnic_hw hw;
	struct fbm_dev *dev;
	unsigned int i;

	for (i = 0; i < sizeof(key); i++)
		key[i] = (uint8_t)(0xa0 + i);
	/* Byte k in bits 31-8(k%4) .. 24-8(k%4) of word k/4 (fbnic_hw.rst 7.5). */
	memset(regs, 0, sizeof(regs));
	for (i = 0; i < sizeof(key); i++)
		regs[i / 4] |= (uint32_t)key[i] << (24 - 8 * (i % 4));
	/* 425 bits: word 13 keeps byte 52 and the top bit of byte 53 (0xd5). */
	regs[13] &= 0xff800000;

	dev = tb_setup(&hw, FBNIC_FW_LINK_MODE_25CR, FBNIC_FW_LINK_FEC_RS);
	TEST_ASSERT(dev != NULL && fbnic_rpc_init(&hw) == 0, "setup");
	TEST_CHECK_EQUAL(fbnic_rpc_set_rss_key(&hw, key, 40), -EINVAL, "short key accepted");
	TEST_CHECK_EQUAL(fbnic_rpc_set_rss_key(&hw, key, sizeof(key)), 0, "key rejected");
	fbnic_rpc_get_rss_key(&hw, back);
	TEST_CHECK(memcmp(back, key, 53) == 0 && back[53] == 0x80, "key round trip");
	fbnic_rpc_set_nb_rx_queues(&hw, 3);
	fbnic_rss_write_hw(&hw);
	TB_CHECK_REG(&hw, FBNIC_RPC_RSS_KEY(0), 0xa0a1a2a3);
	TB_CHECK_REG(&hw, FBNIC_RPC_RSS_KEY(12), 0xd0d1d2d3);
	TB_CHECK_REG(&hw, FBNIC_RPC_RSS_KEY(13), 0xd4800000);
	for (i = 0; i < FBNIC_RSS_KEY_WORDS; i++)
		TB_CHECK_REG(&hw, FBNIC_RPC_RSS_KEY(i), regs[i]);
	TB_CHECK_REG(&hw, FBNIC_RPC_RSS_TBL(0, 7), 7 % 3);
	TB_CHECK_REG(&hw, FBNIC_RPC_RSS_TBL(1, 255), 255 % 3);
	TB_CHECK_REG(&hw, FBNIC_RPC_ACT_TBL0_DEFAULT, FBNIC_RPC_ACT_TBL0_DROP);
	TB_CHECK_REG(&hw, FBNIC_RPC_RMI_CONFIG, (9742u << 16) | (1u << 12) | 20u);

	/* Close disables the classifier (no BMC). */
	fbnic_rpc_clear_rules(&hw);
	TB_CHECK_REG(&hw, FBNIC_RPC_RMI_CONFIG, 20u);

	/* A user table survives a queue count change unless it names a lost queue. */
	{
		uint16_t reta[FBNIC_RSS_RETA_SIZE], back[FBNIC_RSS_RETA_SIZE];

		for (i = 0; i < FBNIC_RSS_RETA_SIZE; i++)
			reta[i] = (uint16_t)(2 - i % 3);
		TEST_CHECK(fbnic_rpc_set_reta(&hw, 0, reta, FBNIC_RSS_RETA_SIZE) == 0, "set RETA");
		reta[9] = 3;
		TEST_CHECK(fbnic_rpc_set_reta(&hw, 1, reta, FBNIC_RSS_RETA_SIZE) == -EINVAL,
			   "queue 3 of 3 accepted");
		fbnic_rpc_set_nb_rx_queues(&hw, 4);
		fbnic_rpc_get_reta(&hw, 0, back, FBNIC_RSS_RETA_SIZE);
		TEST_CHECK(back[0] == 2 && back[1] == 1 && back[255] == 2 - 255 % 3,
			   "user table lost");
		fbnic_rpc_get_reta(&hw, 1, back, FBNIC_RSS_RETA_SIZE);
		TEST_CHECK(back[5] == 1, "default table not respread (entry 5 -> %u)", back[5]);
		fbnic_rpc_set_nb_rx_queues(&hw, 2);
		fbnic_rpc_get_reta(&hw, 0, back, FBNIC_RSS_RETA_SIZE);
		TEST_CHECK(back[0] == 0 && back[1] == 1 && back[2] == 0, "stale user table kept");
	}
	tb_teardown(&hw, dev);
	return TEST_SUCCESS;
}

static int
test_rss_action_entries_follow_flow_types(void)
{
	struct fbnic_hw hw;
	struct fbm_dev *dev = tb_setup(&hw, FBNIC_FW_LINK_MODE_25CR, FBNIC_FW_LINK_FEC_RS);
	const uint32_t tcp4 = FBNIC_ACT1_L4_VALID | FBNIC_ACT1_IP_VALID | FBNIC_ACT1_MACDA_VALID;

	TEST_ASSERT(dev != NULL && fbnic_rpc_init(&hw) == 0, "setup");
	fbnic_rss_reinit(&hw);
	fbnic_rpc_write_rules(&hw);

	/* 57 UDP6 ... 60 TCP4 ... 63 other; no BMC, so 50-56 stay empty. */
	TB_CHECK_REG(&hw, FBNIC_RPC_TCAM_ACT(60, 1), ((~tcp4 & 0xffff) << 16) | tcp4);
	TB_CHECK_REG(&hw, FBNIC_RPC_TCAM_ACT(60, 0), 0xffff0000);
	TB_CHECK_REG(&hw, FBNIC_RPC_TCAM_ACT(60, 11), FBNIC_RPC_TCAM_VALIDATE);
	TB_CHECK_REG(&hw, FBNIC_RPC_ACT_TBL0(60), (1u << 1) | (4u << 16));
	TB_CHECK_REG(&hw, FBNIC_RPC_ACT_TBL1(60), 0xf);
	TB_CHECK_REG(&hw, FBNIC_RPC_ACT_TBL1(58), 0x3);
	TB_CHECK_REG(&hw, FBNIC_RPC_ACT_TBL1(63), 0x10);
	TB_CHECK_REG(&hw, FBNIC_RPC_TCAM_ACT(63, 1), ((~FBNIC_ACT1_MACDA_VALID & 0xffff) << 16) |
						    FBNIC_ACT1_MACDA_VALID);
	TB_CHECK_REG(&hw, FBNIC_RPC_TCAM_ACT(56, 11), 0);

	/* Discarding a flow type turns its entry into a drop. */
	TEST_CHECK_EQUAL(fbnic_rpc_set_hash_fields(&hw, FBNIC_RSS_FLOW_IP4, FBNIC_RSS_F_L4_SRC),
			 -EINVAL, "ports accepted for IPv4 other");
	TEST_CHECK(fbnic_rpc_set_hash_fields(&hw, FBNIC_RSS_FLOW_UDP4, FBNIC_RSS_F_DISCARD) == 0,
		   "discard rejected");
	fbnic_rss_reinit(&hw);
	fbnic_rpc_write_rules(&hw);
	TB_CHECK_REG(&hw, FBNIC_RPC_ACT_TBL0(58), FBNIC_RPC_ACT_TBL0_DROP | (4u << 16));

	/* Close: every action entry invalidated, RPC disabled. */
	fbnic_rpc_clear_rules(&hw);
	TB_CHECK_REG(&hw, FBNIC_RPC_TCAM_ACT(60, 11), 0);
	TB_CHECK_REG(&hw, FBNIC_RPC_TCAM_ACT(60, 1), 0);
	TB_CHECK_REG(&hw, FBNIC_RPC_RMI_CONFIG, 20u);
	/* Reopen rewrites them from the shadow. */
	fbnic_rpc_write_rules(&hw);
	TB_CHECK_REG(&hw, FBNIC_RPC_TCAM_ACT(60, 11), FBNIC_RPC_TCAM_VALIDATE);
	tb_teardown(&hw, dev);
	return TEST_SUCCESS;
}

static int
test_macda_entries_and_overflow_to_allmulti(void)
{
	static const uint8_t own[6] = { 0x02, 0x11, 0x22, 0x33, 0x44, 0x55 };
	uint8_t mc[20][6];
	uint8_t uc[1][6] = { { 0x02, 0, 0, 0, 0, 0x09 } };
	bool uc_over = true, mc_over = true;
	struct fbnic_hw hw;
	struct fbm_dev *dev = tb_setup(&hw, FBNIC_FW_LINK_MODE_25CR, FBNIC_FW_LINK_FEC_RS);
	unsigned int i;

	TEST_ASSERT(dev != NULL && fbnic_rpc_init(&hw) == 0, "setup");
	for (i = 0; i < 20; i++) {
		static const uint8_t base[6] = { 0x01, 0x00, 0x5e, 0, 0, 0 };

		memcpy(mc[i], base, 6);
		mc[i][5] = (uint8_t)(i + 1);
	}

	TEST_CHECK(fbnic_rpc_set_rx_mode(&hw, own, (const uint8_t (*)[6])uc, 1,
					 (const uint8_t (*)[6])mc, 2, false, false,
					 &uc_over, &mc_over) == 0, "rx mode");
	TEST_CHECK(!uc_over && !mc_over, "unexpected overflow");
	/* Own MAC at 30: word 0 = bytes 4-5, word 2 = bytes 0-1, mask 0. */
	TB_CHECK_REG(&hw, FBNIC_RPC_TCAM_MACDA(30, 0), 0x4455);
	TB_CHECK_REG(&hw, FBNIC_RPC_TCAM_MACDA(30, 1), 0x2233);
	TB_CHECK_REG(&hw, FBNIC_RPC_TCAM_MACDA(30, 2), 0x0211);
	TB_CHECK_REG(&hw, FBNIC_RPC_TCAM_MACDA(30, 3), FBNIC_RPC_TCAM_VALIDATE);
	TB_CHECK_REG(&hw, FBNIC_RPC_TCAM_MACDA(4, 2), 0xffff);
	/* Extra unicast from 29 down, multicast from 5 up. */
	TB_CHECK_REG(&hw, FBNIC_RPC_TCAM_MACDA(29, 0), 0x0009);
	TB_CHECK_REG(&hw, FBNIC_RPC_TCAM_MACDA(5, 0), 0x0001);
	TB_CHECK_REG(&hw, FBNIC_RPC_TCAM_MACDA(6, 0), 0x0002);
	TB_CHECK_REG(&hw, FBNIC_RPC_TCAM_MACDA(31, 3), 0);

	/* 20 groups do not fit in 5-23: entry 31 becomes all-multicast. */
	TEST_CHECK(fbnic_rpc_set_rx_mode(&hw, own, NULL, 0, (const uint8_t (*)[6])mc, 20, false,
					 false, &uc_over, &mc_over) == 0, "rx mode");
	TEST_CHECK(mc_over && !uc_over, "overflow not reported");
	TB_CHECK_REG(&hw, FBNIC_RPC_TCAM_MACDA(31, 2), (0xfeffu << 16) | 0x0100);
	TB_CHECK_REG(&hw, FBNIC_RPC_TCAM_MACDA(31, 0), 0xffff0000);
	TB_CHECK_REG(&hw, FBNIC_RPC_TCAM_MACDA(31, 3), FBNIC_RPC_TCAM_VALIDATE);
	/* The unicast address left the list: its entry is zeroed. */
	TB_CHECK_REG(&hw, FBNIC_RPC_TCAM_MACDA(29, 3), 0);
	TB_CHECK_REG(&hw, FBNIC_RPC_TCAM_MACDA(29, 0), 0);

	/* Promiscuous: value 0, mask all ones. */
	TEST_CHECK(fbnic_rpc_set_rx_mode(&hw, own, NULL, 0, NULL, 0, true, false, NULL, NULL) == 0,
		   "promisc");
	TB_CHECK_REG(&hw, FBNIC_RPC_TCAM_MACDA(31, 2), 0xffff0000);
	TB_CHECK_REG(&hw, FBNIC_RPC_TCAM_MACDA(5, 3), 0);
	/* Close, then reopen without promiscuous mode: entry 31 must not come back. */
	fbnic_rpc_clear_rules(&hw);
	TB_CHECK_REG(&hw, FBNIC_RPC_TCAM_MACDA(31, 3), 0);
	TB_CHECK_REG(&hw, FBNIC_RPC_TCAM_MACDA(30, 3), 0);
	TEST_CHECK(fbnic_rpc_set_rx_mode(&hw, own, NULL, 0, NULL, 0, false, false, NULL, NULL) == 0,
		   "plain");
	TB_CHECK_REG(&hw, FBNIC_RPC_TCAM_MACDA(31, 3), 0);

	/* Invalid own MAC rejected, nothing written. */
	TEST_CHECK(fbnic_rpc_set_rx_mode(&hw, mc[0], NULL, 0, NULL, 0, false, false, NULL, NULL) ==
		   -EINVAL, "multicast own MAC accepted");
	tb_teardown(&hw, dev);
	return TEST_SUCCESS;
}

static int
test_bmc_addresses_share_the_classifier(void)
{
	static const uint8_t own[6] = { 0x02, 0x11, 0x22, 0x33, 0x44, 0x55 };
	static const uint8_t bmc[2][6] = {
		{ 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 },
		{ 0x33, 0x33, 0x00, 0x00, 0x00, 0x01 },
	};
	struct fbnic_hw hw;
	struct fbm_dev *dev = tb_setup(&hw, FBNIC_FW_LINK_MODE_25CR, FBNIC_FW_LINK_FEC_RS);
	const uint32_t to_bmc = 2u << 1;

	TEST_ASSERT(dev != NULL && fbnic_rpc_init(&hw) == 0, "setup");
	hw.bmc_present = true;
	TEST_CHECK_EQUAL(fbnic_rpc_bmc_init(&hw, bmc, 2, true), 0, "BMC init");
	fbnic_rss_reinit(&hw);
	TEST_CHECK(fbnic_rpc_set_rx_mode(&hw, own, NULL, 0, NULL, 0, false, false, NULL, NULL) == 0,
		   "rx mode");

	/* BMC unicast at 0; its multicast group sifted from 5 into 1. */
	TB_CHECK_REG(&hw, FBNIC_RPC_TCAM_MACDA(0, 0), 0x0001);
	TB_CHECK_REG(&hw, FBNIC_RPC_TCAM_MACDA(0, 3), FBNIC_RPC_TCAM_VALIDATE);
	TB_CHECK_REG(&hw, FBNIC_RPC_TCAM_MACDA(1, 2), 0x3333);
	TB_CHECK_REG(&hw, FBNIC_RPC_TCAM_MACDA(1, 3), FBNIC_RPC_TCAM_VALIDATE);
	TB_CHECK_REG(&hw, FBNIC_RPC_TCAM_MACDA(5, 3), 0);
	/* BMC all-multicast catch at 23, steered to the BMC by action entry 1. */
	TB_CHECK_REG(&hw, FBNIC_RPC_TCAM_MACDA(23, 2), (0xfeffu << 16) | 0x0100);
	TB_CHECK_REG(&hw, FBNIC_RPC_TCAM_ACT(1, 1), (0xf81fu << 16) | (23u << 5) | 0x400);
	TB_CHECK_REG(&hw, FBNIC_RPC_ACT_TBL0(1), to_bmc);
	/* Action entry 0: MAC-DA hits 0-3 to the BMC. */
	TB_CHECK_REG(&hw, FBNIC_RPC_TCAM_ACT(0, 1), (0xf87fu << 16) | 0x400);
	TB_CHECK_REG(&hw, FBNIC_RPC_TCAM_ACT(0, 11), FBNIC_RPC_TCAM_VALIDATE);
	/* Host unicast RSS entries exist with a BMC, any-hit entries also go to it. */
	TB_CHECK_REG(&hw, FBNIC_RPC_TCAM_ACT(53, 11), FBNIC_RPC_TCAM_VALIDATE);
	TB_CHECK_REG(&hw, FBNIC_RPC_ACT_TBL0(53), (1u << 1) | (4u << 16));
	TB_CHECK_REG(&hw, FBNIC_RPC_ACT_TBL0(60), (3u << 1) | (4u << 16));
	/* TX TCAM: BMC unicast, its group, broadcast, all-multicast. */
	TB_CHECK_REG(&hw, FBNIC_TCE_TCAM_IDX2DEST_MAP, 0x3332);
	TB_CHECK_REG(&hw, FBNIC_TCE_RAM_TCAM(0, 0), 0x00010000);
	TB_CHECK_REG(&hw, FBNIC_TCE_RAM_TCAM3(0), 0x800000b8);
	TB_CHECK_REG(&hw, FBNIC_TCE_RAM_TCAM3(4), 0);

	/* The host joins the BMC's group: it moves back to the shared area. */
	TEST_CHECK_EQUAL(fbnic_rpc_set_rx_mode(&hw, own, NULL, 0, &bmc[1], 1, false, true, NULL,
					       NULL), 0, "rx mode");
	TB_CHECK_REG(&hw, FBNIC_RPC_TCAM_MACDA(5, 2), 0x3333);
	TB_CHECK_REG(&hw, FBNIC_RPC_TCAM_MACDA(1, 3), 0);
	/* Host all-multicast: entry 23 now feeds the RSS rules, action entry 1 goes. */
	TB_CHECK_REG(&hw, FBNIC_RPC_TCAM_ACT(1, 11), 0);
	TB_CHECK_REG(&hw, FBNIC_RPC_TCAM_MACDA(31, 3), 0);

	/* Close keeps the BMC path: entry 63 to the BMC only, RPC left enabled. */
	fbnic_rss_write_hw(&hw);
	fbnic_rpc_clear_rules(&hw);
	TB_CHECK_REG(&hw, FBNIC_RPC_ACT_TBL0(63), to_bmc);
	TB_CHECK_REG(&hw, FBNIC_RPC_TCAM_ACT(63, 11), FBNIC_RPC_TCAM_VALIDATE);
	TB_CHECK_REG(&hw, FBNIC_RPC_TCAM_ACT(60, 11), 0);
	TB_CHECK_REG(&hw, FBNIC_RPC_TCAM_MACDA(0, 3), FBNIC_RPC_TCAM_VALIDATE);
	TB_CHECK_REG(&hw, FBNIC_RPC_TCAM_MACDA(30, 3), 0);
	TEST_CHECK(fbnic_rd32(&hw, FBNIC_RPC_RMI_CONFIG) & FBNIC_RPC_RMI_CONFIG_ENABLE, "RPC off");
	tb_teardown(&hw, dev);
	return TEST_SUCCESS;
}

static int
test_ntuple_rule_uses_ip_tcam_and_frees_it(void)
{
	struct fbnic_ntuple r;
	struct fbnic_hw hw;
	struct fbm_dev *dev = tb_setup(&hw, FBNIC_FW_LINK_MODE_25CR, FBNIC_FW_LINK_FEC_RS);
	int loc, i, n;

	TEST_ASSERT(dev != NULL && fbnic_rpc_init(&hw) == 0, "setup");
	fbnic_rpc_set_nb_rx_queues(&hw, 4);

	memset(&r, 0, sizeof(r));
	r.type = FBNIC_NTUPLE_IPV4;
	r.l4_proto = 6;
	r.dst_ip[0] = 10;
	memset(r.dst_mask, 0xff, 3);		/* 10.0.0.0/24 */
	r.dport = 80;
	r.dport_mask = 0xffff;
	r.action = FBNIC_NTUPLE_ACT_QUEUE;
	r.queue = 2;
	loc = fbnic_rpc_ntuple_add(&hw, &r, true);
	TEST_CHECK(loc == FBNIC_ACT_NTUPLE_ENTRIES - 1, "location %d", loc);
	if (loc < 0) {
		tb_teardown(&hw, dev);
		return TEST_FAILED;
	}
	/* The /24 sits in some IP destination entry e: word 0 mask 0x00ff. */
	for (i = 0, n = -1; i < FBNIC_TCAM_IP_ENTRIES; i++)
		if (fbnic_rd32(&hw, FBNIC_RPC_TCAM_IPDST(i, 8)) == FBNIC_RPC_TCAM_VALIDATE)
			n = i;
	TEST_CHECK(n >= 0, "no valid IP destination entry");
	if (n >= 0) {
		TB_CHECK_REG(&hw, FBNIC_RPC_TCAM_IPDST(n, 0), 0x00ff0000);
		TB_CHECK_REG(&hw, FBNIC_RPC_TCAM_IPDST(n, 1), 0x00000a00);
		TB_CHECK_REG(&hw, FBNIC_RPC_TCAM_IPDST(n, 2), 0xffff0000);
		TB_CHECK_REG(&hw, FBNIC_RPC_TCAM_ACT(2 + loc, 0),
			     ((~(0xf0u) & 0xffff) << 16) | 0x80u | ((uint32_t)n << 4));
	}
	TB_CHECK_REG(&hw, FBNIC_RPC_TCAM_ACT(2 + loc, 4), 80);
	TB_CHECK_REG(&hw, FBNIC_RPC_TCAM_ACT(2 + loc, 3), 0xffff0000);
	TB_CHECK_REG(&hw, FBNIC_RPC_ACT_TBL0(2 + loc),
		     (1u << 1) | (1u << 4) | (2u << 8) | (4u << 16));
	TB_CHECK_REG(&hw, FBNIC_RPC_TCAM_ACT(2 + loc, 11), FBNIC_RPC_TCAM_VALIDATE);

	/* Queues are the caller's to check; the Q_ID field holds 0-255. */
	r.queue = 256;
	TEST_CHECK_EQUAL(fbnic_rpc_ntuple_add(&hw, &r, true), -EINVAL, "queue 256 accepted");

	TEST_CHECK_EQUAL(fbnic_rpc_ntuple_del(&hw, loc, true), 0, "delete");
	TB_CHECK_REG(&hw, FBNIC_RPC_TCAM_ACT(2 + loc, 11), 0);
	if (n >= 0)
		TB_CHECK_REG(&hw, FBNIC_RPC_TCAM_IPDST(n, 8), 0);
	TEST_CHECK_EQUAL(fbnic_rpc_ntuple_del(&hw, loc, true), -ENOENT, "double delete");

	/* 48 port rules fill 2-49; the 49th finds no room. */
	memset(&r, 0, sizeof(r));
	r.type = FBNIC_NTUPLE_IPV6;
	r.l4_proto = 17;
	r.action = FBNIC_NTUPLE_ACT_DROP;
	r.sport_mask = 0xffff;
	for (i = 0; i < FBNIC_ACT_NTUPLE_ENTRIES; i++) {
		r.sport = (uint16_t)(1000 + i);
		if (fbnic_rpc_ntuple_add(&hw, &r, false) < 0)
			break;
	}
	TEST_CHECK(i == FBNIC_ACT_NTUPLE_ENTRIES, "only %d rules fit", i);
	TEST_CHECK_EQUAL(fbnic_rpc_ntuple_add(&hw, &r, false), -ENOSPC, "49th rule accepted");
	tb_teardown(&hw, dev);
	return TEST_SUCCESS;
}

int
main(int argc, char **argv)
{
	if (tb_eal_init(argc, argv) != 0)
		return 1;
	TK_RUN(test_rss_key_bytes_land_big_endian_in_registers);
	TK_RUN(test_rss_action_entries_follow_flow_types);
	TK_RUN(test_macda_entries_and_overflow_to_allmulti);
	TK_RUN(test_bmc_addresses_share_the_classifier);
	TK_RUN(test_ntuple_rule_uses_ip_tcam_and_frees_it);
	TK_RUN(test_driver_rss_matches_reference);
	TK_RUN(test_driver_rx_mode_filters_frames);
	TK_RUN(test_driver_ntuple_rules_steer_frames);
	tb_eal_fini();
	return tk_report("test_base_rpc");
}
