/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

/*
 * RSS of the model against an independent Toeplitz: the model hashes with
 * per-byte tables built from RPC_RSS_KEY registers; this test hashes bit by
 * bit from the 54-byte ethtool key, so it also checks the key's register
 * layout (fbnic_hw.rst 7.5). Published Microsoft RSS verification vectors pin
 * both down.
 */

#include "fbm_harness.h"
#include "fbnic_tk_toeplitz.h"
#include "test_rpc_util.h"

static const uint8_t mac_zero[6];
static const uint8_t mac_all_ones[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

#define KEY_BYTES	54
#define KEY_BITS	425

/* Key registers straight from fbnic_hw.rst 7.5: byte k -> register k/4. */
static void
write_key(struct fbm_dev *dev, const uint8_t *key)
{
	unsigned int r, k;

	for (r = 0; r < 14; r++) {
		uint32_t v = 0;

		for (k = 0; k < 4; k++) {
			unsigned int b = 4 * r + k;

			v |= (uint32_t)(b < KEY_BYTES ? key[b] : 0) << (24 - 8 * k);
		}
		fbm_write32(dev, 0, 0x21030 + 4 * r, v);
	}
}

static void
write_table(struct fbm_dev *dev, unsigned int t, const uint8_t *tbl)
{
	unsigned int e;

	for (e = 0; e < 256; e++)
		fbm_write32(dev, 0, 0x23480 + 0x400 * t + 4 * e, tbl[e]);
}

/*
 * Microsoft's verification suite (the kit's table): the reference and the
 * model both match, TCP on addresses and ports, UDP on addresses only (as
 * Linux's rules hash them).
 */
static int
test_rss_matches_published_vectors(void)
{
	uint8_t key[KEY_BYTES] = { 0 }, in[40], f[256];
	struct fbm_dev *dev = t_dev_create(4, 0, 0);
	struct fbm_rx_meta meta;
	unsigned int i;

	memcpy(key, tk_rss_ms_key, TK_RSS_MS_KEY_LEN);
	write_key(dev, key);
	t_rpc_enable(dev);
	t_macda_set(dev, 31, mac_zero, mac_all_ones);
	t_linux_rss_rules(dev, 0);

	for (i = 0; i < TK_RSS_MS_VECTORS; i++) {
		const struct tk_rss_vector *v = &tk_rss_ms_vectors[i];
		struct tk_frame fl;
		size_t len;

		t_flow_init(&fl);
		tk_rss_vector_frame(v, &fl);
		memcpy(fl.dst_mac, t_own_mac, 6);
		memcpy(fl.src_mac, t_peer_mac, 6);
		TEST_CHECK_EQUAL(tk_toeplitz(key, KEY_BITS, in, tk_toeplitz_input(&fl, true, in)),
				 v->hash_l4, "vector %u", i);
		TEST_CHECK_EQUAL(tk_toeplitz(key, KEY_BITS, in, tk_toeplitz_input(&fl, false, in)),
				 v->hash_l3, "vector %u", i);
		fl.proto = TK_PROTO_TCP;
		len = tk_frame_build(f, &fl, 10);
		TEST_CHECK_EQUAL(fbm_rpc_classify(dev, f, (uint32_t)len, &meta), 0);
		TEST_CHECK_EQUAL(meta.rss_hash, v->hash_l4, "vector %u TCP", i);
		fl.proto = TK_PROTO_UDP;
		len = tk_frame_build(f, &fl, 10);
		TEST_CHECK_EQUAL(fbm_rpc_classify(dev, f, (uint32_t)len, &meta), 0);
		TEST_CHECK_EQUAL(meta.rss_hash, v->hash_l3, "vector %u UDP", i);
	}
	fbm_destroy(dev);
	return TEST_SUCCESS;
}

static void
random_flow(struct tk_frame *fl, uint64_t *seed, bool v6, uint8_t proto)
{
	unsigned int i;

	t_flow_init(fl);
	fl->v6 = v6;
	fl->proto = proto;
	for (i = 0; i < (v6 ? 16u : 4u); i++) {
		fl->src[i] = (uint8_t)t_rand(seed);
		fl->dst[i] = (uint8_t)t_rand(seed);
	}
	fl->sport = (uint16_t)t_rand(seed);
	fl->dport = (uint16_t)t_rand(seed);
	fl->flow_label = t_rand(seed) & 0xfffff;
}

/* Many flows of each Linux flow type land on table[ref_hash & 0xff]. */
static int
test_rss_spreads_like_toeplitz(void)
{
	static const struct {
		bool v6;
		uint8_t proto;
		bool ports;
		uint8_t l3, l4;
	} types[] = {
		{ false, 6, true, FBNIC_RCD_META_L3_TYPE_IPV4, FBNIC_RCD_META_L4_TYPE_TCP },
		{ false, 17, false, FBNIC_RCD_META_L3_TYPE_IPV4, FBNIC_RCD_META_L4_TYPE_UDP },
		{ true, 6, true, FBNIC_RCD_META_L3_TYPE_IPV6, FBNIC_RCD_META_L4_TYPE_TCP },
		{ true, 17, false, FBNIC_RCD_META_L3_TYPE_IPV6, FBNIC_RCD_META_L4_TYPE_UDP },
		{ false, 1, false, FBNIC_RCD_META_L3_TYPE_IPV4, FBNIC_RCD_META_L4_TYPE_OTHER },
		{ true, 58, false, FBNIC_RCD_META_L3_TYPE_IPV6, FBNIC_RCD_META_L4_TYPE_OTHER },
	};
	uint8_t key[KEY_BYTES], tbl[256], in[64], f[512];
	struct fbm_dev *dev = t_dev_create(4, 0, 0);
	unsigned int t, i, hits[16] = { 0 };
	uint64_t seed = 0x5eed;
	struct fbm_rx_meta meta;
	struct tk_frame fl;
	size_t len, n;
	uint32_t h;

	for (i = 0; i < KEY_BYTES; i++)
		key[i] = (uint8_t)t_rand(&seed);
	key[KEY_BYTES - 1] &= 0x80;	/* 425 bits, as Linux masks it */
	for (i = 0; i < 256; i++)
		tbl[i] = (uint8_t)(i % 16);
	write_key(dev, key);
	write_table(dev, 0, tbl);
	t_rpc_enable(dev);
	t_macda_set(dev, 30, t_own_mac, mac_zero);
	t_linux_rss_rules(dev, 0);

	for (t = 0; t < FBM_DIM(types); t++) {
		for (i = 0; i < 200; i++) {
			random_flow(&fl, &seed, types[t].v6, types[t].proto);
			len = tk_frame_build(f, &fl, i % 64);
			n = tk_toeplitz_input(&fl, types[t].ports, in);
			h = tk_toeplitz(key, KEY_BITS, in, n);
			TEST_CHECK_EQUAL(fbm_rpc_classify(dev, f, (uint32_t)len, &meta), 0);
			TEST_CHECK_EQUAL(meta.rss_hash, h);
			TEST_CHECK_EQUAL(meta.queue, tbl[h & 0xff]);
			TEST_CHECK_EQUAL(meta.l3_type, types[t].l3);
			TEST_CHECK_EQUAL(meta.l4_type, types[t].l4);
			TEST_CHECK_EQUAL(meta.dma_hint, 4);
			hits[meta.queue % 16]++;
		}
	}
	/* 1200 flows over 16 queues: every queue is used. */
	for (i = 0; i < 16; i++)
		TEST_CHECK(hits[i] > 20);
	fbm_destroy(dev);
	return TEST_SUCCESS;
}

/* Non-IP frames hash the destination MAC (Linux: RXH_L2DA for "other"). */
static int
test_rss_other_hashes_l2_da(void)
{
	uint8_t key[KEY_BYTES], f[64];
	struct fbm_dev *dev = t_dev_create(4, 0, 0);
	static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	uint64_t seed = 77;
	struct fbm_rx_meta meta;
	unsigned int i;

	for (i = 0; i < KEY_BYTES; i++)
		key[i] = (uint8_t)t_rand(&seed);
	write_key(dev, key);
	t_rpc_enable(dev);
	t_macda_set(dev, 4, bcast, mac_zero);
	t_linux_rss_rules(dev, 0);

	memset(f, 0, sizeof(f));
	tk_frame_eth(f, bcast, t_peer_mac, 0x0806);	/* ARP */
	TEST_CHECK_EQUAL(fbm_rpc_classify(dev, f, 60, &meta), 0);
	TEST_CHECK_EQUAL(meta.rss_hash, tk_toeplitz(key, KEY_BITS, bcast, 6));
	TEST_CHECK_EQUAL(meta.l3_type, FBNIC_RCD_META_L3_TYPE_OTHER);
	fbm_destroy(dev);
	return TEST_SUCCESS;
}

/* RSS context 1 (ACT_TBL0.RSS_CTXT_ID) uses the second table. */
static int
test_rss_context_one_uses_second_table(void)
{
	uint8_t key[KEY_BYTES], t0[256], t1[256], in[64], f[256];
	struct fbm_dev *dev = t_dev_create(4, 0, 0);
	uint64_t seed = 99;
	struct fbm_rx_meta meta;
	struct tk_frame fl;
	unsigned int i;
	uint32_t h;
	size_t len;

	for (i = 0; i < KEY_BYTES; i++)
		key[i] = (uint8_t)t_rand(&seed);
	for (i = 0; i < 256; i++) {
		t0[i] = (uint8_t)(i & 7);
		t1[i] = (uint8_t)(64 + (i & 31));
	}
	write_key(dev, key);
	write_table(dev, 0, t0);
	write_table(dev, 1, t1);
	t_rpc_enable(dev);
	t_macda_set(dev, 30, t_own_mac, mac_zero);
	t_linux_rss_rules(dev, FBNIC_RPC_ACT_TBL0_RSS_CTXT_ID);

	for (i = 0; i < 64; i++) {
		random_flow(&fl, &seed, i & 1, 6);
		len = tk_frame_build(f, &fl, 0);
		h = tk_toeplitz(key, KEY_BITS, in, tk_toeplitz_input(&fl, true, in));
		TEST_CHECK_EQUAL(fbm_rpc_classify(dev, f, (uint32_t)len, &meta), 0);
		TEST_CHECK_EQUAL(meta.queue, t1[h & 0xff]);
	}
	fbm_destroy(dev);
	return TEST_SUCCESS;
}

/* Register layout: key words, the last one 9 bits wide, both tables. */
static int
test_rss_key_and_table_layout(void)
{
	struct fbm_dev *dev = t_dev_create(4, 0, 0);
	unsigned int i;

	for (i = 0; i < 14; i++)
		wr(dev, FBNIC_RPC_RSS_KEY(i), 0xdead0000u + i);
	for (i = 0; i < 13; i++)
		TEST_CHECK_EQUAL(fbm_read32(dev, 0, 0x21030 + 4 * i), 0xdead0000u + i);
	TEST_CHECK_EQUAL(fbm_read32(dev, 0, 0x21030 + 4 * 13), (0xdead0000u + 13) & 0xff800000u);
	TEST_CHECK_EQUAL(FBNIC_RPC_RSS_KEY_LAST_MASK, 0xff800000u);

	for (i = 0; i < 256; i++) {
		wr(dev, FBNIC_RPC_RSS_TBL(0, i), i & 0x7f);
		wr(dev, FBNIC_RPC_RSS_TBL(1, i), 127 - (i & 0x7f));
	}
	TEST_CHECK_EQUAL(fbm_read32(dev, 0, 0x23480 + 4 * 5), 5);
	TEST_CHECK_EQUAL(fbm_read32(dev, 0, 0x23880 + 4 * 5), 122);
	TEST_CHECK_EQUAL(fbm_read32(dev, 0, 0x23480 + 4 * 255), 127);
	TEST_CHECK_EQUAL(fbm_read32(dev, 0, 0x23880 + 4 * 255), 0);
	fbm_destroy(dev);
	return TEST_SUCCESS;
}

/*
 * End to end: frames looped back on the wire land on the RX queue the
 * reference hash picks, with the hash in the completion's META.
 */
static int
test_rss_spreads_frames_over_rx_queues(void)
{
	enum { NQ = 4, FLOWS = 64 };
	static struct fbh h;
	static struct fbh_rxq rxq[NQ];
	uint8_t key[KEY_BYTES], tbl[256], in[64], f[512], got[512], own[6];
	unsigned int i, q, per_q[NQ] = { 0 };
	struct fbh_rx_info info;
	struct fbm_config cfg;
	struct fbh_txq txq;
	uint64_t seed = 4242;
	struct tk_frame fl;
	size_t len;
	uint32_t hash;
	int ret;

	fbh_config_default(&cfg);
	TEST_ASSERT_SUCCESS(fbh_init(&h, &cfg, 0));
	h.quiet = true;
	fbm_wire_loopback(h.dev);
	TEST_CHECK_EQUAL(fbh_port_open(&h, &txq, &rxq[0], 0), 0);
	for (q = 1; q < NQ; q++)
		TEST_CHECK_EQUAL(fbh_rxq_enable(&h, &rxq[q], q, NULL), 0);

	for (i = 0; i < KEY_BYTES; i++)
		key[i] = (uint8_t)t_rand(&seed);
	key[KEY_BYTES - 1] &= 0x80;
	for (i = 0; i < 256; i++)
		tbl[i] = (uint8_t)((i * 7) % NQ);
	write_key(h.dev, key);
	write_table(h.dev, 0, tbl);
	fbh_dsn_to_mac(h.cfg.dsn, own);
	t_macda_set(h.dev, 30, own, mac_zero);
	t_linux_rss_rules(h.dev, 0);
	wr(h.dev, FBNIC_RPC_ACT_TBL0_DEFAULT, FBNIC_RPC_ACT_TBL0_DROP);

	for (i = 0; i < FLOWS; i++) {
		random_flow(&fl, &seed, i % 3 == 0, i & 1 ? 6 : 17);
		memcpy(fl.dst_mac, own, 6);
		len = tk_frame_build(f, &fl, 16 + i);
		hash = tk_toeplitz(key, KEY_BITS, in, tk_toeplitz_input(&fl, fl.proto == 6, in));
		TEST_CHECK_EQUAL(fbh_tx_send(&h, &txq, f, (uint32_t)len, 0), 0);
		q = tbl[hash & 0xff];
		ret = fbh_rx_wait(&h, &rxq[q], got, sizeof(got), &info, 500);
		TEST_CHECK_EQUAL(ret, (int)len);
		if (ret != (int)len)
			continue;
		TEST_CHECK(memcmp(got, f, len) == 0);
		TEST_CHECK_EQUAL(info.rss_hash, hash);
		TEST_CHECK(info.l4_csum_ok);
		TEST_CHECK_EQUAL(info.l4_type, fl.proto == 6 ? FBNIC_RCD_META_L4_TYPE_TCP :
							     FBNIC_RCD_META_L4_TYPE_UDP);
		per_q[q]++;
		fbh_tx_reap(&h, &txq);
	}
	/* Nothing strayed onto another queue. */
	for (q = 0; q < NQ; q++) {
		TEST_CHECK_EQUAL(fbh_rx_recv(&h, &rxq[q], got, sizeof(got), &info), -EAGAIN);
		TEST_CHECK(per_q[q] > 0);
	}
	fbh_fini(&h);
	return TEST_SUCCESS;
}

int
main(void)
{
	TK_RUN(test_rss_matches_published_vectors);
	TK_RUN(test_rss_spreads_like_toeplitz);
	TK_RUN(test_rss_other_hashes_l2_da);
	TK_RUN(test_rss_context_one_uses_second_table);
	TK_RUN(test_rss_key_and_table_layout);
	TK_RUN(test_rss_spreads_frames_over_rx_queues);
	return tk_report("test_rss");
}
