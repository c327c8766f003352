/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

/*
 * The model's RX classifier (fbnic_hw.rst 7): MAC-DA filtering, action TCAM
 * order and default action, ntuple-style steering, checksum results, parser
 * counters and the parse result handed to the RX engine.
 */

#include "test_rpc_util.h"

static const uint8_t all_dc[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
static const uint8_t exact[6] = { 0 };
static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
static const uint8_t mcast1[6] = { 0x01, 0x00, 0x5e, 0x00, 0x00, 0x01 };
static const uint8_t mcast2[6] = { 0x01, 0x00, 0x5e, 0x00, 0x00, 0x02 };
static const uint8_t other_uc[6] = { 0x02, 0x99, 0x99, 0x99, 0x99, 0x99 };
/* All-multicast: 01:00:00:00:00:00, only the group bit cared for. */
static const uint8_t mac_group_bit[6] = { 0x01, 0, 0, 0, 0, 0 };
static const uint8_t mask_group_bit[6] = { 0xfe, 0xff, 0xff, 0xff, 0xff, 0xff };
/* Protocols of random flows: TCP, UDP and others, IPv6 extension headers. */
static const uint8_t protos[] = { 6, 17, 0, 43, 44, 60, 51, 41, 50 };

static struct fbm_dev *
rpc_dev(void)
{
	struct fbm_dev *dev = t_dev_create(4, 0, 0);

	t_rpc_enable(dev);
	t_linux_rss_rules(dev, 0);
	return dev;
}

static void
tcp4_flow(struct tk_frame *fl, uint16_t dport)
{
	t_flow_init(fl);
	fl->proto = 6;
	fl->src[0] = 10;
	fl->src[3] = 77;
	fl->dst[0] = 10;
	fl->dst[3] = 1;
	fl->sport = 40000;
	fl->dport = dport;
}

static int
classify_to(struct fbm_dev *dev, const uint8_t *da, struct fbm_rx_meta *meta)
{
	uint8_t f[256];
	struct tk_frame fl;
	size_t len;

	tcp4_flow(&fl, 80);
	memcpy(fl.dst_mac, da, 6);
	len = tk_frame_build(f, &fl, 20);
	return fbm_rpc_classify(dev, f, (uint32_t)len, meta);
}

/* Exact unicast, broadcast, multicast, all-multicast and promiscuous entries. */
static int
test_macda_filters_unicast_broadcast_multicast(void)
{
	struct fbm_dev *dev = rpc_dev();
	struct fbm_rx_meta m;

	/* Nothing in the MAC-DA TCAM: no hit, default action drops. */
	TEST_CHECK_EQUAL(classify_to(dev, t_own_mac, &m), -EPERM);
	TEST_CHECK(m.drop);

	t_macda_set(dev, 30, t_own_mac, exact);
	t_macda_set(dev, 4, bcast, exact);
	t_macda_set(dev, 5, mcast1, exact);
	TEST_CHECK_EQUAL(classify_to(dev, t_own_mac, &m), 0);
	TEST_CHECK(!m.drop);
	TEST_CHECK_EQUAL(classify_to(dev, bcast, &m), 0);
	TEST_CHECK_EQUAL(classify_to(dev, mcast1, &m), 0);
	TEST_CHECK_EQUAL(classify_to(dev, mcast2, &m), -EPERM);
	TEST_CHECK_EQUAL(classify_to(dev, other_uc, &m), -EPERM);

	/* All-multicast: 01:00:00:00:00:00 with only the group bit cared for. */
	t_macda_set(dev, 31, mac_group_bit, mask_group_bit);
	TEST_CHECK_EQUAL(classify_to(dev, mcast2, &m), 0);
	TEST_CHECK_EQUAL(classify_to(dev, other_uc, &m), -EPERM);

	/* Promiscuous: value 0, everything don't care. */
	t_macda_set(dev, 31, exact, all_dc);
	TEST_CHECK_EQUAL(classify_to(dev, other_uc, &m), 0);
	TEST_CHECK_EQUAL(classify_to(dev, mcast2, &m), 0);

	/* Deleting an entry (all words 0) removes it. */
	t_macda_clear(dev, 31);
	t_macda_clear(dev, 30);
	TEST_CHECK_EQUAL(classify_to(dev, t_own_mac, &m), -EPERM);
	TEST_CHECK_EQUAL(classify_to(dev, bcast, &m), 0);
	fbm_destroy(dev);
	return TEST_SUCCESS;
}

/* The action key carries the lowest matching MAC-DA index. */
static int
test_macda_index_reaches_action_key(void)
{
	struct fbm_dev *dev = rpc_dev();
	uint16_t value[11] = { 0 }, dc[11];
	struct fbm_rx_meta m;
	unsigned int w;

	t_macda_set(dev, 5, mcast1, exact);
	t_macda_set(dev, 31, mac_group_bit, mask_group_bit);
	for (w = 0; w < 11; w++)
		dc[w] = 0xffff;
	value[1] = (uint16_t)(ACT1_MACDA_IDX(5) | ACT1_MACDA_VALID);
	dc[1] = (uint16_t)~(0x1f << 5 | ACT1_MACDA_VALID);
	t_act_set(dev, 10, value, dc,
		  DEST_HOST | FBNIC_RPC_ACT_TBL0_Q_SEL |
		  (uint32_t)FBNIC_FIELD_PREP(FBNIC_RPC_ACT_TBL0_Q_ID, 9), 0);
	value[1] = (uint16_t)(ACT1_MACDA_IDX(31) | ACT1_MACDA_VALID);
	t_act_set(dev, 11, value, dc,
		  DEST_HOST | FBNIC_RPC_ACT_TBL0_Q_SEL |
		  (uint32_t)FBNIC_FIELD_PREP(FBNIC_RPC_ACT_TBL0_Q_ID, 11), 0);

	TEST_CHECK_EQUAL(classify_to(dev, mcast1, &m), 0);	/* entries 5 and 31 match */
	TEST_CHECK_EQUAL(m.queue, 9);
	TEST_CHECK_EQUAL(classify_to(dev, mcast2, &m), 0);	/* only 31 */
	TEST_CHECK_EQUAL(m.queue, 11);
	fbm_destroy(dev);
	return TEST_SUCCESS;
}

/* Lowest matching action entry wins; ACT_TBL_IDX reports it. */
static int
test_action_first_match_wins(void)
{
	struct fbm_dev *dev = rpc_dev();
	uint16_t value[11] = { 0 }, dc[11];
	struct fbm_rx_meta m;
	unsigned int w;

	t_macda_set(dev, 30, t_own_mac, exact);
	for (w = 0; w < 11; w++)
		dc[w] = 0xffff;
	t_act_set(dev, 40, value, dc,
		  DEST_HOST | FBNIC_RPC_ACT_TBL0_Q_SEL |
		  (uint32_t)FBNIC_FIELD_PREP(FBNIC_RPC_ACT_TBL0_Q_ID, 4), 0);
	t_act_set(dev, 2, value, dc,
		  DEST_HOST | FBNIC_RPC_ACT_TBL0_Q_SEL | FBNIC_RPC_ACT_TBL0_ACT_TBL_IDX |
		  (uint32_t)FBNIC_FIELD_PREP(FBNIC_RPC_ACT_TBL0_Q_ID, 3), 0);
	TEST_CHECK_EQUAL(classify_to(dev, t_own_mac, &m), 0);
	TEST_CHECK_EQUAL(m.queue, 3);
	TEST_CHECK(m.act_valid);
	TEST_CHECK_EQUAL(m.act_idx, 2);

	t_act_clear(dev, 2);
	TEST_CHECK_EQUAL(classify_to(dev, t_own_mac, &m), 0);
	TEST_CHECK_EQUAL(m.queue, 4);
	TEST_CHECK(!m.act_valid);

	/* Valid bit is required: data words alone do not make an entry. */
	t_act_clear(dev, 40);
	for (w = 0; w < 11; w++)
		wr(dev, FBNIC_RPC_TCAM_ACT(1, w), 0xffff0000u);
	wr(dev, FBNIC_RPC_ACT_TBL0(1), DEST_HOST | FBNIC_RPC_ACT_TBL0_Q_SEL |
	   (uint32_t)FBNIC_FIELD_PREP(FBNIC_RPC_ACT_TBL0_Q_ID, 1));
	TEST_CHECK_EQUAL(classify_to(dev, t_own_mac, &m), 0);
	TEST_CHECK(m.queue != 1);
	fbm_destroy(dev);
	return TEST_SUCCESS;
}

/* Without a matching entry the _DEFAULT pair decides. */
static int
test_default_action_drops_or_delivers(void)
{
	struct fbm_dev *dev = t_dev_create(4, 0, 0);
	struct fbm_rx_meta m;

	t_rpc_enable(dev);
	TEST_CHECK_EQUAL(classify_to(dev, t_own_mac, &m), -EPERM);
	TEST_CHECK(m.drop);

	wr(dev, FBNIC_RPC_ACT_TBL0_DEFAULT, DEST_HOST | FBNIC_RPC_ACT_TBL0_Q_SEL |
	   (uint32_t)FBNIC_FIELD_PREP(FBNIC_RPC_ACT_TBL0_Q_ID, 17));
	TEST_CHECK_EQUAL(classify_to(dev, t_own_mac, &m), 0);
	TEST_CHECK_EQUAL(m.queue, 17);

	/* BMC-only destination: not for the host. */
	wr(dev, FBNIC_RPC_ACT_TBL0_DEFAULT, (uint32_t)FBNIC_FIELD_PREP(
	   FBNIC_RPC_ACT_TBL0_DEST_MASK, FBNIC_RPC_ACT_TBL0_DEST_BMC));
	TEST_CHECK_EQUAL(classify_to(dev, t_own_mac, &m), -EXDEV);

	/* RMI disabled: nothing reaches the host. */
	wr(dev, FBNIC_RPC_ACT_TBL0_DEFAULT, DEST_HOST);
	TEST_CHECK_EQUAL(classify_to(dev, t_own_mac, &m), 0);
	wr(dev, FBNIC_RPC_RMI_CONFIG, 20);
	TEST_CHECK_EQUAL(classify_to(dev, t_own_mac, &m), -ENETDOWN);
	fbm_destroy(dev);
	return TEST_SUCCESS;
}

/* Linux-style ntuple rules: TCP destination port, IPv4 source prefix, drop. */
static int
test_ntuple_rule_steers_tcp_port_to_queue(void)
{
	struct fbm_dev *dev = rpc_dev();
	uint16_t value[11] = { 0 }, dc[11];
	struct fbm_rx_meta m;
	uint8_t f[256];
	struct tk_frame fl;
	unsigned int w;
	size_t len;

	t_macda_set(dev, 30, t_own_mac, exact);
	for (w = 0; w < 11; w++)
		dc[w] = 0xffff;
	/* tcp4 dst-port 5001 action 5 */
	value[1] = ACT1_L4_VALID | ACT1_IP_VALID | ACT1_MACDA_VALID;
	dc[1] = (uint16_t)~(ACT1_L4_IS_UDP | ACT1_L4_VALID | ACT1_IP_IS_V6 | ACT1_IP_VALID |
			    ACT1_MACDA_VALID);
	value[4] = 5001;
	dc[4] = 0;
	t_act_set(dev, 49, value, dc, DEST_HOST | FBNIC_RPC_ACT_TBL0_Q_SEL | HINT_L4 |
		  (uint32_t)FBNIC_FIELD_PREP(FBNIC_RPC_ACT_TBL0_Q_ID, 5), RSS_L4);

	tcp4_flow(&fl, 5001);
	len = tk_frame_build(f, &fl, 100);
	TEST_CHECK_EQUAL(fbm_rpc_classify(dev, f, (uint32_t)len, &m), 0);
	TEST_CHECK_EQUAL(m.queue, 5);
	TEST_CHECK_EQUAL(m.l4_type, FBNIC_RCD_META_L4_TYPE_TCP);
	fl.sport = 1234;		/* source port is don't care */
	len = tk_frame_build(f, &fl, 100);
	TEST_CHECK_EQUAL(fbm_rpc_classify(dev, f, (uint32_t)len, &m), 0);
	TEST_CHECK_EQUAL(m.queue, 5);
	fl.dport = 5002;
	len = tk_frame_build(f, &fl, 100);
	TEST_CHECK_EQUAL(fbm_rpc_classify(dev, f, (uint32_t)len, &m), 0);
	TEST_CHECK_EQUAL(m.queue, 0);		/* RSS table is all zeros */
	fl.dport = 5001;
	fl.proto = 17;			/* UDP to the same port: not this rule */
	len = tk_frame_build(f, &fl, 100);
	TEST_CHECK_EQUAL(fbm_rpc_classify(dev, f, (uint32_t)len, &m), 0);
	TEST_CHECK_EQUAL(m.queue, 0);

	/* src-ip 10.0.0.0/24 action 6, via IPSRC TCAM entry 0 */
	for (w = 0; w < 8; w++)
		wr(dev, FBNIC_RPC_TCAM_IPSRC(0, w), 0xffff0000u);
	wr(dev, FBNIC_RPC_TCAM_IPSRC(0, 0), 0x00ff0000u | 0x0000);	/* bytes 14-15 */
	wr(dev, FBNIC_RPC_TCAM_IPSRC(0, 1), 0x00000a00u);		/* bytes 12-13 */
	wr(dev, FBNIC_RPC_TCAM_IPSRC(0, 8), FBNIC_RPC_TCAM_VALIDATE);	/* IPv4 entry */
	memset(value, 0, sizeof(value));
	for (w = 0; w < 11; w++)
		dc[w] = 0xffff;
	value[0] = 1u << 3;		/* IPSRC hit, index 0 */
	dc[0] = (uint16_t)~0xf;
	value[1] = ACT1_IP_VALID | ACT1_MACDA_VALID;
	dc[1] = (uint16_t)~(ACT1_IP_IS_V6 | ACT1_IP_VALID | ACT1_MACDA_VALID);
	t_act_set(dev, 48, value, dc, DEST_HOST | FBNIC_RPC_ACT_TBL0_Q_SEL |
		  (uint32_t)FBNIC_FIELD_PREP(FBNIC_RPC_ACT_TBL0_Q_ID, 6), RSS_L3);
	tcp4_flow(&fl, 80);
	len = tk_frame_build(f, &fl, 0);
	TEST_CHECK_EQUAL(fbm_rpc_classify(dev, f, (uint32_t)len, &m), 0);
	TEST_CHECK_EQUAL(m.queue, 6);
	fl.src[2] = 1;			/* 10.0.1.77 */
	len = tk_frame_build(f, &fl, 0);
	TEST_CHECK_EQUAL(fbm_rpc_classify(dev, f, (uint32_t)len, &m), 0);
	TEST_CHECK_EQUAL(m.queue, 0);

	/* A "discard" rule at a lower index drops the port-5001 flow. */
	memset(value, 0, sizeof(value));
	for (w = 0; w < 11; w++)
		dc[w] = 0xffff;
	value[4] = 5001;
	dc[4] = 0;
	value[1] = ACT1_L4_VALID;
	dc[1] = (uint16_t)~ACT1_L4_VALID;
	t_act_set(dev, 47, value, dc, FBNIC_RPC_ACT_TBL0_DROP, 0);
	tcp4_flow(&fl, 5001);
	len = tk_frame_build(f, &fl, 0);
	TEST_CHECK_EQUAL(fbm_rpc_classify(dev, f, (uint32_t)len, &m), -EPERM);
	fbm_destroy(dev);
	return TEST_SUCCESS;
}

/* Independent L2_CSUM: bytes after the Ethernet header as little-endian words. */
static uint16_t
le_sum(const uint8_t *f, size_t len)
{
	uint32_t s = 0;
	size_t i;

	for (i = 14; i < len; i++)
		s += (uint32_t)f[i] << (((i - 14) & 1) ? 8 : 0);
	return tk_csum_fold(s);
}

static int
test_rx_checksum_good_and_bad(void)
{
	struct fbm_dev *dev = rpc_dev();
	struct fbm_rx_meta m;
	uint8_t f[512];
	struct tk_frame fl;
	size_t len;

	t_macda_set(dev, 30, t_own_mac, exact);

	tcp4_flow(&fl, 443);
	len = tk_frame_build(f, &fl, 101);
	TEST_CHECK_EQUAL(fbm_rpc_classify(dev, f, (uint32_t)len, &m), 0);
	TEST_CHECK(m.l4_csum_ok);
	TEST_CHECK_EQUAL(m.l2_csum, le_sum(f, len));
	f[len - 1] ^= 0x40;
	TEST_CHECK_EQUAL(fbm_rpc_classify(dev, f, (uint32_t)len, &m), 0);
	TEST_CHECK(!m.l4_csum_ok);
	TEST_CHECK_EQUAL(m.l2_csum, le_sum(f, len));

	fl.v6 = true;
	fl.proto = 17;
	memset(fl.src, 0x20, 16);
	memset(fl.dst, 0x30, 16);
	len = tk_frame_build(f, &fl, 33);
	TEST_CHECK_EQUAL(fbm_rpc_classify(dev, f, (uint32_t)len, &m), 0);
	TEST_CHECK(m.l4_csum_ok);
	TEST_CHECK_EQUAL(m.l3_type, FBNIC_RCD_META_L3_TYPE_IPV6);
	TEST_CHECK_EQUAL(m.l4_type, FBNIC_RCD_META_L4_TYPE_UDP);
	f[14 + 40 + 7] ^= 1;	/* UDP checksum */
	TEST_CHECK_EQUAL(fbm_rpc_classify(dev, f, (uint32_t)len, &m), 0);
	TEST_CHECK(!m.l4_csum_ok);

	/* IPv4 UDP without checksum: nothing verified. */
	tcp4_flow(&fl, 53);
	fl.proto = 17;
	len = tk_frame_build(f, &fl, 20);
	f[14 + 20 + 6] = 0;
	f[14 + 20 + 7] = 0;
	TEST_CHECK_EQUAL(fbm_rpc_classify(dev, f, (uint32_t)len, &m), 0);
	TEST_CHECK(!m.l4_csum_ok);

	/* Ethernet padding after the IP packet is not part of the L4 sum. */
	tcp4_flow(&fl, 22);
	len = tk_frame_build(f, &fl, 0);
	TEST_CHECK_EQUAL(len, 54u);
	memset(f + len, 0xa5, 6);
	TEST_CHECK_EQUAL(fbm_rpc_classify(dev, f, 60, &m), 0);
	TEST_CHECK(m.l4_csum_ok);
	TEST_CHECK_EQUAL(m.l2_csum, le_sum(f, 60));

	/* L2_CSUM of arbitrary bytes and lengths, odd ones included. */
	{
		uint64_t seed = 11;
		unsigned int i, j, n;

		for (i = 0; i < 300; i++) {
			n = 14 + t_rand(&seed) % 400;
			for (j = 0; j < n; j++)
				f[j] = (uint8_t)t_rand(&seed);
			memcpy(f, t_own_mac, 6);
			TEST_CHECK_EQUAL(fbm_rpc_classify(dev, f, n, &m), 0);
			TEST_CHECK_EQUAL(m.l2_csum, le_sum(f, n));
		}
	}
	fbm_destroy(dev);
	return TEST_SUCCESS;
}

static uint32_t
cntr(struct fbm_dev *dev, uint32_t idx)
{
	return rd(dev, idx);
}

/* Parser corner cases and the RPC 32-bit counters (fbnic_hw.rst 9). */
static int
test_parser_counts_fragments_esp_and_errors(void)
{
	struct fbm_dev *dev = rpc_dev();
	struct fbm_rx_meta m;
	uint8_t f[512];
	struct tk_frame fl;
	size_t len;

	t_macda_set(dev, 30, t_own_mac, exact);

	/* IPv4 fragment: L3 only. */
	tcp4_flow(&fl, 80);
	fl.ip_frag = TK_IPV4_MF;
	len = tk_frame_build(f, &fl, 40);
	fl.ip_frag = 0;
	TEST_CHECK_EQUAL(fbm_rpc_classify(dev, f, (uint32_t)len, &m), 0);
	TEST_CHECK_EQUAL(m.l3_type, FBNIC_RCD_META_L3_TYPE_IPV4);
	TEST_CHECK_EQUAL(m.l4_type, FBNIC_RCD_META_L4_TYPE_OTHER);
	TEST_CHECK(!m.l4_csum_ok);
	TEST_CHECK_EQUAL(cntr(dev, FBNIC_RPC_CNTR_IPV4_FRAG), 1);

	/* IPv4 ESP. */
	fl.proto = 50;
	len = tk_frame_build(f, &fl, 40);
	TEST_CHECK_EQUAL(fbm_rpc_classify(dev, f, (uint32_t)len, &m), 0);
	TEST_CHECK_EQUAL(cntr(dev, FBNIC_RPC_CNTR_IPV4_ESP), 1);

	/* Unknown ethertype. */
	memset(f, 0, 64);
	tk_frame_eth(f, t_own_mac, t_peer_mac, 0x88b5);
	TEST_CHECK_EQUAL(fbm_rpc_classify(dev, f, 60, &m), 0);
	TEST_CHECK_EQUAL(m.l3_type, FBNIC_RCD_META_L3_TYPE_OTHER);
	TEST_CHECK_EQUAL(cntr(dev, FBNIC_RPC_CNTR_UNKN_ETYPE), 1);

	/* Truncated IPv4 (total length past the frame): out of header. */
	tcp4_flow(&fl, 80);
	len = tk_frame_build(f, &fl, 40);
	TEST_CHECK_EQUAL(fbm_rpc_classify(dev, f, (uint32_t)len - 10, &m), 0);
	TEST_CHECK(m.parser_err);
	TEST_CHECK_EQUAL(cntr(dev, FBNIC_RPC_CNTR_OUT_OF_HDR_ERR), 1);

	/* TCP data offset below 5. */
	len = tk_frame_build(f, &fl, 40);
	f[14 + 20 + 12] = 4 << 4;
	TEST_CHECK_EQUAL(fbm_rpc_classify(dev, f, (uint32_t)len, &m), 0);
	TEST_CHECK(m.parser_err);
	TEST_CHECK_EQUAL(cntr(dev, FBNIC_RPC_CNTR_TCP_OPT_ERR), 1);

	/* IPv4 with options (8 bytes of NOPs) still gives TCP and a verified checksum. */
	fl.opt_len = 8;
	len = tk_frame_build(f, &fl, 40);
	fl.opt_len = 0;
	TEST_CHECK_EQUAL(f[14], 0x47);
	TEST_CHECK_EQUAL(fbm_rpc_classify(dev, f, (uint32_t)len, &m), 0);
	TEST_CHECK_EQUAL(m.l4_type, FBNIC_RCD_META_L4_TYPE_TCP);
	TEST_CHECK(m.l4_csum_ok);
	TEST_CHECK(!m.parser_err);

	/* IPv6: fragment header with an offset, ESP, mobility header. */
	t_flow_init(&fl);
	fl.v6 = true;
	fl.proto = 44;
	len = tk_frame_build(f, &fl, 40);
	f[54] = 6;		/* fragment header: next TCP */
	f[56] = 0x01;		/* offset 32 */
	TEST_CHECK_EQUAL(fbm_rpc_classify(dev, f, (uint32_t)len, &m), 0);
	TEST_CHECK_EQUAL(m.l3_type, FBNIC_RCD_META_L3_TYPE_IPV6);
	TEST_CHECK_EQUAL(m.l4_type, FBNIC_RCD_META_L4_TYPE_OTHER);
	TEST_CHECK_EQUAL(cntr(dev, FBNIC_RPC_CNTR_IPV6_FRAG), 1);
	fl.proto = 50;
	len = tk_frame_build(f, &fl, 40);
	TEST_CHECK_EQUAL(fbm_rpc_classify(dev, f, (uint32_t)len, &m), 0);
	TEST_CHECK_EQUAL(cntr(dev, FBNIC_RPC_CNTR_IPV6_ESP), 1);
	fl.proto = 135;
	len = tk_frame_build(f, &fl, 40);
	TEST_CHECK_EQUAL(fbm_rpc_classify(dev, f, (uint32_t)len, &m), 0);
	TEST_CHECK_EQUAL(cntr(dev, FBNIC_RPC_CNTR_UNKN_EXT_HDR), 1);

	/* Oversize against RPC_RMI_CONFIG.MTU. */
	wr(dev, FBNIC_RPC_RMI_CONFIG, (uint32_t)FBNIC_FIELD_PREP(FBNIC_RPC_RMI_CONFIG_MTU, 100) |
	   FBNIC_RPC_RMI_CONFIG_ENABLE);
	tcp4_flow(&fl, 80);
	len = tk_frame_build(f, &fl, 200);
	TEST_CHECK_EQUAL(fbm_rpc_classify(dev, f, (uint32_t)len, &m), -EMSGSIZE);
	TEST_CHECK_EQUAL(cntr(dev, FBNIC_RPC_CNTR_OVR_SIZE_ERR), 1);

	/* Counters are read only. */
	wr(dev, FBNIC_RPC_CNTR_IPV4_FRAG, 0);
	TEST_CHECK_EQUAL(cntr(dev, FBNIC_RPC_CNTR_IPV4_FRAG), 1);
	fbm_destroy(dev);
	return TEST_SUCCESS;
}

/* VLAN tags, IPv6 extension headers and IPv6-in-IPv6 reach the L4 header. */
static int
test_parser_walks_vlan_ext_headers_and_tunnels(void)
{
	struct fbm_dev *dev = rpc_dev();
	uint8_t f[512], g[512];
	struct fbm_rx_meta m;
	struct tk_frame fl;
	size_t len, glen;

	t_macda_set(dev, 30, t_own_mac, exact);

	/* 802.1Q tagged TCP/IPv4. */
	tcp4_flow(&fl, 80);
	fl.vlan_tpid = TK_ETHERTYPE_VLAN;
	fl.vlan_tci = 100;
	glen = tk_frame_build(g, &fl, 10);
	TEST_CHECK_EQUAL(fbm_rpc_classify(dev, g, (uint32_t)glen, &m), 0);
	TEST_CHECK_EQUAL(m.l3_type, FBNIC_RCD_META_L3_TYPE_IPV4);
	TEST_CHECK_EQUAL(m.l4_type, FBNIC_RCD_META_L4_TYPE_TCP);
	TEST_CHECK(m.l4_csum_ok);

	/* IPv6 hop-by-hop options + TCP. */
	t_flow_init(&fl);
	fl.v6 = true;
	fl.proto = 6;
	fl.src[15] = 1;
	fl.dst[15] = 2;
	fl.sport = 1000;
	fl.dport = 2000;
	fl.opt_len = 8;
	glen = tk_frame_build(g, &fl, 10);
	TEST_CHECK_EQUAL(g[20], 0);	/* next header: hop-by-hop, then TCP */
	TEST_CHECK_EQUAL(fbm_rpc_classify(dev, g, (uint32_t)glen, &m), 0);
	TEST_CHECK_EQUAL(m.l4_type, FBNIC_RCD_META_L4_TYPE_TCP);
	TEST_CHECK(m.l4_csum_ok);

	/* IPv6-in-IPv6: L3 type 3, inner TCP checksum verified. */
	fl.opt_len = 0;
	len = tk_frame_build(f, &fl, 10);
	fl.v6_in_v6 = true;
	memset(fl.outer_src, 0xaa, 16);
	memset(fl.outer_dst, 0xbb, 16);
	glen = tk_frame_build(g, &fl, 10);
	TEST_CHECK_EQUAL(glen, len + 40);
	TEST_CHECK_EQUAL(fbm_rpc_classify(dev, g, (uint32_t)glen, &m), 0);
	TEST_CHECK_EQUAL(m.l3_type, FBNIC_RCD_META_L3_TYPE_V6V6);
	TEST_CHECK_EQUAL(m.l4_type, FBNIC_RCD_META_L4_TYPE_TCP);
	TEST_CHECK(m.l4_csum_ok);

	/* An outer-source rule (OUTER_IPSRC TCAM) catches the tunnel only. */
	{
		uint16_t value[11] = { 0 }, dc[11];
		unsigned int w;

		for (w = 0; w < 8; w++)
			wr(dev, FBNIC_RPC_TCAM_OUTER_IPSRC(3, w), 0xaaaa);
		wr(dev, FBNIC_RPC_TCAM_OUTER_IPSRC(3, 8), FBNIC_RPC_TCAM_VALIDATE);
		for (w = 0; w < 11; w++)
			dc[w] = 0xffff;
		value[0] = (uint16_t)((8u | 3u) << 8);
		dc[0] = (uint16_t)~0x0f00;
		value[1] = ACT1_OUTER_IP_VALID;
		dc[1] = (uint16_t)~ACT1_OUTER_IP_VALID;
		t_act_set(dev, 20, value, dc, DEST_HOST | FBNIC_RPC_ACT_TBL0_Q_SEL |
			  (uint32_t)FBNIC_FIELD_PREP(FBNIC_RPC_ACT_TBL0_Q_ID, 33), 0);
		TEST_CHECK_EQUAL(fbm_rpc_classify(dev, g, (uint32_t)glen, &m), 0);
		TEST_CHECK_EQUAL(m.queue, 33);
		TEST_CHECK_EQUAL(fbm_rpc_classify(dev, f, (uint32_t)len, &m), 0);
		TEST_CHECK(m.queue != 33);
	}
	fbm_destroy(dev);
	return TEST_SUCCESS;
}

/* TS_ENA stamps the frame with the PTP counter. */
static int
test_ts_enable_stamps_with_ptp_time(void)
{
	struct fbm_dev *dev = t_dev_create(4, 0, 0);
	struct fbm_rx_meta m;

	t_rpc_enable(dev);
	t_linux_rss_rules(dev, FBNIC_RPC_ACT_TBL0_TS_ENA);
	t_macda_set(dev, 30, t_own_mac, exact);
	wr(dev, FBNIC_PTP_CTRL, FBNIC_PTP_CTRL_EN);
	fbm_clock_advance(dev, 123456789);
	TEST_CHECK_EQUAL(classify_to(dev, t_own_mac, &m), 0);
	TEST_CHECK(m.ts_valid);
	TEST_CHECK_EQUAL(m.ts, fbm_ptp_read(dev));
	TEST_CHECK(m.ts > 123000000);

	t_linux_rss_rules(dev, 0);
	TEST_CHECK_EQUAL(classify_to(dev, t_own_mac, &m), 0);
	TEST_CHECK(!m.ts_valid);
	fbm_destroy(dev);
	return TEST_SUCCESS;
}

/* Classify a copy in a buffer of exactly len bytes, so overreads are caught. */
static int
classify_exact(struct fbm_dev *dev, const uint8_t *f, size_t len, struct fbm_rx_meta *m)
{
	uint8_t *copy = malloc(len ? len : 1);
	int ret;

	if (copy == NULL)
		return -ENOMEM;
	memcpy(copy, f, len);
	ret = fbm_rpc_classify(dev, copy, (uint32_t)len, m);
	free(copy);
	return ret;
}

/* Random and mutated frames of every length: the parser stays in bounds. */
static int
test_parser_survives_garbage(void)
{
	struct fbm_dev *dev = rpc_dev();
	static uint8_t f[1600];
	uint64_t seed = 0xbadc0ffee;
	struct fbm_rx_meta m;
	unsigned int i, j, n;
	struct tk_frame fl;
	size_t len;
	int ret;

	t_macda_set(dev, 31, exact, all_dc);
	for (i = 0; i < 20000; i++) {
		t_flow_init(&fl);
		fl.v6 = i & 1;
		fl.proto = protos[i % FBM_DIM(protos)];
		len = tk_frame_build(f, &fl, t_rand(&seed) % 200);
		/* Damage a few bytes in the headers, then cut at a random length. */
		n = 1 + t_rand(&seed) % 4;
		for (j = 0; j < n; j++)
			f[12 + t_rand(&seed) % 80] = (uint8_t)t_rand(&seed);
		len = t_rand(&seed) % (len + 8);
		ret = classify_exact(dev, f, len, &m);
		TEST_CHECK(ret == 0 || ret == -EPERM);
		TEST_CHECK(m.l3_type <= 3 && m.l4_type <= 2);
	}
	for (i = 0; i < 2000; i++) {
		len = t_rand(&seed) % sizeof(f);
		for (j = 0; j < len; j++)
			f[j] = (uint8_t)t_rand(&seed);
		ret = classify_exact(dev, f, len, &m);
		TEST_CHECK(ret == 0 || ret == -EPERM);
	}
	TEST_CHECK_EQUAL(fbm_rpc_classify(dev, NULL, 0, &m), -ENETDOWN);
	fbm_destroy(dev);
	return TEST_SUCCESS;
}

int
main(void)
{
	TK_RUN(test_macda_filters_unicast_broadcast_multicast);
	TK_RUN(test_macda_index_reaches_action_key);
	TK_RUN(test_action_first_match_wins);
	TK_RUN(test_default_action_drops_or_delivers);
	TK_RUN(test_ntuple_rule_steers_tcp_port_to_queue);
	TK_RUN(test_rx_checksum_good_and_bad);
	TK_RUN(test_parser_counts_fragments_esp_and_errors);
	TK_RUN(test_parser_walks_vlan_ext_headers_and_tunnels);
	TK_RUN(test_ts_enable_stamps_with_ptp_time);
	TK_RUN(test_parser_survives_garbage);
	return tk_report("test_rpc");
}
