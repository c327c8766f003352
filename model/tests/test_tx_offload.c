/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

/*
 * TX engine end to end on a loopback wire (fbnic_hw.rst 3.1, 3.2, 4.5):
 * descriptor gathering, checksum insertion, TSO/USO segmentation, TCDs of
 * type 0 and 1, TCQ back-pressure and malformed requests. Frames are checked
 * after they came back through the MAC, the classifier and the RX engine.
 */

#include <endian.h>
#include <string.h>

#include "fbm_harness.h"

/* The raw frames of these tests. */
#define RAW_ETHERTYPE	0x88b5
static const uint8_t dst_mac[6] = { 0x02, 0, 0, 0, 0, 0x02 };
static const uint8_t src_mac[6] = { 0x02, 0, 0, 0, 0, 0x01 };

#define TX_QID		0
#define DATA_SIZE	(1u << 20)

/* TCE_LSO_CTRL as Linux programs it (fbnic_hw.rst 3.1). */
#define LSO_CTRL	(FBNIC_TCE_LSO_CTRL_IPID_MODE_INC | \
			 FBNIC_FIELD_PREP(FBNIC_TCE_LSO_CTRL_TCPF_CLR_1ST, \
					  TK_TCP_PSH | TK_TCP_FIN) | \
			 FBNIC_FIELD_PREP(FBNIC_TCE_LSO_CTRL_TCPF_CLR_MID, \
					  TK_TCP_PSH | TK_TCP_CWR | TK_TCP_FIN) | \
			 FBNIC_FIELD_PREP(FBNIC_TCE_LSO_CTRL_TCPF_CLR_END, TK_TCP_CWR))

struct tx_env {
	struct fbh h;
	struct fbh_txq tq;
	struct fbh_rxq rq;
	uint8_t *data;
	uint64_t data_iova;
	uint32_t data_off;
};

static struct tx_env env;

static int
env_up(unsigned int log2_twq)
{
	struct fbh *h = &env.h;

	memset(&env, 0, sizeof(env));
	if (fbh_init(h, NULL, 128u << 20) < 0 || fbh_mbx_bringup(h) < 0 ||
	    fbm_wire_loopback(h->dev) < 0 || fbh_port_up(h, 5000000000ull) < 0 ||
	    fbh_txq_enable(h, &env.tq, TX_QID, log2_twq, 2) < 0 ||
	    fbh_rxq_enable(h, &env.rq, 0, NULL) < 0)
		return -1;
	fbh_rpc_default_queue(h, 0);
	fbh_wr(h, FBNIC_TCE_LSO_CTRL, LSO_CTRL);
	fbh_wr(h, FBNIC_QM_TQS_CTL0, FBNIC_FIELD_PREP(FBNIC_QM_TQS_CTL0_LSO_TS_MASK,
						      FBNIC_QM_TQS_CTL0_LSO_TS_LAST));
	env.data = fbh_alloc(h, DATA_SIZE, FBH_PAGE, &env.data_iova);
	return env.data == NULL ? -1 : 0;
}

static void
env_down(void)
{
	fbh_fini(&env.h);
}

/* Copy bytes into host memory for the NIC to read; returns their IOVA. */
static uint64_t
stage(const void *p, uint32_t len)
{
	uint64_t iova;

	if (env.data_off + len > DATA_SIZE)
		env.data_off = 0;
	memcpy(env.data + env.data_off, p, len);
	iova = env.data_iova + env.data_off;
	env.data_off = (env.data_off + len + 63) & ~63u;
	return iova;
}

/* Write the next TWQ0 descriptor (the doorbell comes later). */
static void
twd(uint64_t d)
{
	struct fbh_ring *r = &env.tq.twq;

	((volatile uint64_t *)r->va)[env.tq.tail & (r->entries - 1)] = htole64(d);
	env.tq.tail++;
}

static uint64_t
meta(uint64_t extra)
{
	return FBNIC_FIELD_PREP(FBNIC_TWD_TYPE_MASK, FBNIC_TWD_TYPE_META) |
	       FBNIC_TWD_FLAG_DEST_MAC | extra;
}

static uint64_t
al(uint64_t iova, uint32_t len, bool last)
{
	return FBNIC_FIELD_PREP(FBNIC_TWD_TYPE_MASK,
				last ? FBNIC_TWD_TYPE_LAST_AL : FBNIC_TWD_TYPE_AL) |
	       FBNIC_FIELD_PREP(FBNIC_TWD_ADDR_MASK, iova) |
	       FBNIC_FIELD_PREP(FBNIC_TWD_LEN_MASK, len);
}

/* META + the frame split in n ALs of (about) equal size. */
static void
post_frame(const uint8_t *f, uint32_t len, uint64_t meta_extra, unsigned int nal)
{
	uint32_t off = 0, i;

	twd(meta(meta_extra));
	for (i = 0; i < nal; i++) {
		uint32_t chunk = i + 1 == nal ? len - off : len / nal;

		twd(al(stage(f + off, chunk), chunk, i + 1 == nal));
		off += chunk;
	}
}

static void
doorbell(void)
{
	fbh_tx_doorbell(&env.h, &env.tq);
}

/* Next received frame (polling the model a bounded number of times). */
static int
recv_frame(uint8_t *buf, size_t cap, struct fbh_rx_info *info)
{
	int i, len = -EAGAIN;

	for (i = 0; i < 50 && len == -EAGAIN; i++) {
		len = fbh_rx_recv(&env.h, &env.rq, buf, cap, info);
		if (len == -EAGAIN)
			fbh_poll(&env.h);
	}
	return len;
}

/* Next TCD, or false when there is none; writes TCQ_HEAD. */
static bool
tcq_next(uint64_t *tcd)
{
	struct fbh_txq *q = &env.tq;
	uint32_t log2 = __builtin_ctz(q->tcq.entries);
	uint64_t d = le64toh(((volatile uint64_t *)q->tcq.va)[q->tcq_head & (q->tcq.entries - 1)]);
	uint64_t want = (q->tcq_head >> log2) & 1 ? 0 : FBNIC_TCD_DONE;

	if ((d & FBNIC_TCD_DONE) != want)
		return false;
	*tcd = d;
	q->tcq_head++;
	fbh_wr(&env.h, FBNIC_QUEUE(TX_QID) + FBNIC_QUEUE_TCQ_HEAD,
	       q->tcq_head & (q->tcq.entries - 1));
	return true;
}

static uint32_t
twq_head(unsigned int n)
{
	return fbh_rd(&env.h, FBNIC_QUEUE(TX_QID) +
		      (n ? FBNIC_QUEUE_TWQ1_PTRS : FBNIC_QUEUE_TWQ0_PTRS)) >> 16;
}

/*
 * The frames of these tests: TCP (PSH ACK FIN CWR, sequence 0x10000000,
 * window 65535) or UDP, ports 40000 -> 5001, over IPv4 (ID 0x1234, DF),
 * IPv6 or IPv6-in-IPv6 (l3 is FBNIC_TWD_L3_TYPE_*), payload pattern of
 * seed, the L4 checksum left 0 for the NIC. Returns the frame length; *l4
 * gets the L4 offset.
 */
static uint32_t
tx_frame(uint8_t *f, unsigned int l3, bool tcp, uint32_t pay, uint8_t seed, uint32_t *l4)
{
	struct tk_frame fr;

	tk_frame_init(&fr, l3 != FBNIC_TWD_L3_TYPE_IPV4, tcp ? TK_PROTO_TCP : TK_PROTO_UDP);
	fr.ip_id = 0x1234;
	fr.ip_frag = TK_IPV4_DF;
	fr.tcp_seq = 0x10000000;
	fr.tcp_flags = TK_TCP_PSH | TK_TCP_ACK | TK_TCP_FIN | TK_TCP_CWR;
	fr.tcp_win = 65535;
	fr.seed = seed;
	fr.flags = TK_FRAME_NO_L4_CSUM;
	if (l3 == FBNIC_TWD_L3_TYPE_V6V6) {
		fr.v6_in_v6 = true;
		fr.outer_src[0] = 0xfd;		/* fd00::8 -> fd00::9 */
		fr.outer_src[15] = 8;
		fr.outer_dst[0] = 0xfd;
		fr.outer_dst[15] = 9;
	}
	*l4 = (uint32_t)tk_frame_l4_off(&fr);
	return (uint32_t)tk_frame_build(f, &fr, pay);
}

/* A frame gathered from three ALs arrives byte exact as HDR_AL + META. */
static int
test_gathered_frame_arrives_byte_exact(void)
{
	static uint8_t f[1000], got[2048];
	struct fbh_rx_info info;
	uint64_t tcd = 0;
	uint32_t i;

	TEST_CHECK_EQUAL(env_up(10), 0);
	for (i = 0; i < sizeof(f); i++)
		f[i] = (uint8_t)(i * 13 + 1);
	tk_frame_eth(f, dst_mac, src_mac, RAW_ETHERTYPE);
	post_frame(f, sizeof(f), FBNIC_TWD_FLAG_REQ_COMPLETION, 3);
	doorbell();
	TEST_CHECK_EQUAL(recv_frame(got, sizeof(got), &info), sizeof(f));
	TEST_CHECK(memcmp(got, f, sizeof(f)) == 0);
	TEST_CHECK_EQUAL(info.ncd, 2);
	TEST_CHECK_EQUAL(info.npay, 0);
	TEST_CHECK_EQUAL(FBNIC_FIELD_GET(FBNIC_RCD_AL_BUFF_LEN_MASK, info.hdr_al), sizeof(f));
	/* one type-0 TCD: the NIC's TWQ0 head after the frame */
	TEST_CHECK(tcq_next(&tcd));
	TEST_CHECK_EQUAL(FBNIC_FIELD_GET(FBNIC_TCD_TYPE_MASK, tcd), FBNIC_TCD_TYPE_0);
	TEST_CHECK_EQUAL(tcd & FBNIC_TCD_TWQ1, 0);
	TEST_CHECK_EQUAL(FBNIC_FIELD_GET(FBNIC_TCD_TYPE0_HEAD0_MASK, tcd), 4);
	TEST_CHECK(!tcq_next(&tcd));
	TEST_CHECK_EQUAL(fbh_rd(&env.h, FBNIC_QUEUE(TX_QID) + FBNIC_QUEUE_TWQ0_PKT_CNT), 1);
	env_down();
	return TEST_SUCCESS;
}

/* REQ_CSO fills in a TCP/IPv4 and a UDP/IPv6 checksum that verify independently. */
static int
test_checksum_insertion_verifies(void)
{
	static uint8_t f[1600], got[2048];
	struct fbh_rx_info info;
	uint32_t len, l4, sum;

	TEST_CHECK_EQUAL(env_up(10), 0);

	/* TCP/IPv4: the field holds the pseudo-header sum incl. length (Linux) */
	len = tx_frame(f, FBNIC_TWD_L3_TYPE_IPV4, true, 1000, 3, &l4);
	sum = tk_csum_pseudo(f + 14, len - l4);
	tk_put16(f + l4 + 16, (uint16_t)sum);
	post_frame(f, len, FBNIC_TWD_FLAG_REQ_CSO | FBNIC_TWD_FLAG_REQ_COMPLETION |
		   FBNIC_FIELD_PREP(FBNIC_TWD_L2_HLEN_MASK, 14 / 2) |
		   FBNIC_FIELD_PREP(FBNIC_TWD_L3_IHLEN_MASK, 20 / 2) |
		   FBNIC_FIELD_PREP(FBNIC_TWD_CSUM_OFFSET_MASK, 16 / 2), 2);
	doorbell();
	TEST_CHECK_EQUAL(recv_frame(got, sizeof(got), &info), len);
	TEST_CHECK(tk_csum_l4_ok(got, len, 14, l4));
	TEST_CHECK(tk_get16(got + l4 + 16) != sum);
	TEST_CHECK(memcmp(got, f, l4 + 16) == 0);
	TEST_CHECK(memcmp(got + l4 + 18, f + l4 + 18, len - l4 - 18) == 0);

	/* UDP/IPv6 */
	len = tx_frame(f, FBNIC_TWD_L3_TYPE_IPV6, false, 777, 4, &l4);
	tk_put16(f + l4 + 6, tk_csum_pseudo(f + 14, len - l4));
	post_frame(f, len, FBNIC_TWD_FLAG_REQ_CSO | FBNIC_TWD_FLAG_REQ_COMPLETION |
		   FBNIC_FIELD_PREP(FBNIC_TWD_L2_HLEN_MASK, 14 / 2) |
		   FBNIC_FIELD_PREP(FBNIC_TWD_L3_IHLEN_MASK, 40 / 2) |
		   FBNIC_FIELD_PREP(FBNIC_TWD_CSUM_OFFSET_MASK, 6 / 2), 1);
	doorbell();
	TEST_CHECK_EQUAL(recv_frame(got, sizeof(got), &info), len);
	TEST_CHECK(tk_csum_l4_ok(got, len, 14, l4));
	TEST_CHECK(tk_get16(got + l4 + 6) != 0);
	env_down();
	return TEST_SUCCESS;
}

struct tso_case {
	const char *name;
	unsigned int l3;	/* FBNIC_TWD_L3_TYPE_* */
	bool tcp;
	uint32_t pay;
	uint32_t mss;
};

/*
 * Segment one request and check every segment: count, lengths, IP lengths,
 * IPv4 IDs and header checksums, TCP sequence numbers and flags, UDP lengths,
 * L4 checksums and payload bytes.
 */
static void
run_tso(const struct tso_case *c)
{
	static uint8_t f[10000], got[2048];
	struct fbh_rx_info info;
	uint32_t len, l4, l3i, hdr, nseg, off, i, l4len = c->tcp ? 20 : 8;
	uint64_t m, tcd;
	unsigned int ts = 0, t0 = 0;
	unsigned int failures = tk_failures;

	TEST_CHECK_EQUAL(env_up(10), 0);
	len = tx_frame(f, c->l3, c->tcp, c->pay, c->l3 == FBNIC_TWD_L3_TYPE_V6V6 ? 6 : 1, &l4);
	l3i = c->l3 == FBNIC_TWD_L3_TYPE_V6V6 ? 54 : 14;
	hdr = l4 + l4len;
	/* Linux: the checksum field holds the pseudo-header sum without length */
	tk_put16(f + l4 + (c->tcp ? 16 : 6), tk_csum_pseudo(f + l3i, 0));

	m = FBNIC_TWD_FLAG_REQ_LSO | FBNIC_TWD_FLAG_REQ_COMPLETION | FBNIC_TWD_FLAG_REQ_TS |
	    FBNIC_FIELD_PREP(FBNIC_TWD_L2_HLEN_MASK, 14 / 2) |
	    FBNIC_FIELD_PREP(FBNIC_TWD_L3_TYPE_MASK, c->l3) |
	    FBNIC_FIELD_PREP(FBNIC_TWD_L3_IHLEN_MASK, (l4 - l3i) / 2) |
	    FBNIC_FIELD_PREP(FBNIC_TWD_L4_TYPE_MASK,
			     c->tcp ? FBNIC_TWD_L4_TYPE_TCP : FBNIC_TWD_L4_TYPE_UDP) |
	    FBNIC_FIELD_PREP(FBNIC_TWD_L4_HLEN_MASK, l4len / 4) |
	    FBNIC_FIELD_PREP(FBNIC_TWD_CSUM_OFFSET_MASK, (c->tcp ? 16 : 6) / 2) |
	    FBNIC_FIELD_PREP(FBNIC_TWD_MSS_MASK, c->mss);
	if (c->l3 == FBNIC_TWD_L3_TYPE_V6V6)
		m |= FBNIC_FIELD_PREP(FBNIC_TWD_L3_OHLEN_MASK, 40 / 2);
	/* headers in their own AL, payload in three more (Linux: head + frags) */
	twd(meta(m));
	twd(al(stage(f, hdr), hdr, false));
	for (off = hdr, i = 0; i < 3; i++) {
		uint32_t chunk = i == 2 ? len - off : c->pay / 3;

		twd(al(stage(f + off, chunk), chunk, i == 2));
		off += chunk;
	}
	doorbell();

	nseg = (c->pay + c->mss - 1) / c->mss;
	for (i = 0; i < nseg; i++) {
		uint32_t seg = i + 1 == nseg ? c->pay - i * c->mss : c->mss;
		int got_len = recv_frame(got, sizeof(got), &info);

		TEST_CHECK_EQUAL(got_len, hdr + seg);
		if (got_len != (int)(hdr + seg))
			break;
		TEST_CHECK(memcmp(got + hdr, f + hdr + i * c->mss, seg) == 0);
		TEST_CHECK(tk_csum_l4_ok(got, got_len, l3i, l4));
		if (c->l3 == FBNIC_TWD_L3_TYPE_IPV4) {
			TEST_CHECK_EQUAL(tk_get16(got + 14 + 2), got_len - 14);
			TEST_CHECK_EQUAL(tk_get16(got + 14 + 4), 0x1234 + i);
			TEST_CHECK(tk_csum_ipv4_ok(got + 14));
		} else {
			TEST_CHECK_EQUAL(tk_get16(got + 14 + 4), got_len - 54);
		}
		if (c->l3 == FBNIC_TWD_L3_TYPE_V6V6)
			TEST_CHECK_EQUAL(tk_get16(got + 54 + 4), got_len - 94);
		if (c->tcp) {
			uint8_t flags = got[l4 + 13];
			uint8_t want = 0x99;	/* PSH ACK FIN CWR as built */

			TEST_CHECK_EQUAL(tk_get32(got + l4 + 4), 0x10000000u + i * c->mss);
			if (i == 0)
				want &= (uint8_t)~(TK_TCP_PSH | TK_TCP_FIN);
			else if (i + 1 == nseg)
				want &= (uint8_t)~TK_TCP_CWR;
			else
				want &= (uint8_t)~(TK_TCP_PSH | TK_TCP_CWR | TK_TCP_FIN);
			TEST_CHECK_EQUAL(flags, want);
		} else {
			TEST_CHECK_EQUAL(tk_get16(got + l4 + 4), got_len - l4);
		}
	}
	TEST_CHECK_EQUAL(recv_frame(got, sizeof(got), &info), -EAGAIN);
	TEST_CHECK_EQUAL(fbh_rd(&env.h, FBNIC_QUEUE(TX_QID) + FBNIC_QUEUE_TWQ0_PKT_CNT), nseg);

	/* one stamp for the request, one head update */
	while (tcq_next(&tcd)) {
		if (FBNIC_FIELD_GET(FBNIC_TCD_TYPE_MASK, tcd) == FBNIC_TCD_TYPE_1) {
			ts++;
			TEST_CHECK_EQUAL(FBNIC_FIELD_GET(FBNIC_TCD_STATUS_MASK, tcd), 0);
		} else {
			t0++;
			TEST_CHECK_EQUAL(FBNIC_FIELD_GET(FBNIC_TCD_TYPE0_HEAD0_MASK, tcd), 5);
		}
	}
	TEST_CHECK_EQUAL(ts, 1);
	TEST_CHECK_EQUAL(t0, 1);
	if (tk_failures != failures)
		fprintf(stderr, "  in case %s\n", c->name);
	env_down();
}

static int
test_tso_tcp4_9000_bytes(void)
{
	static const struct tso_case c = { "tcp4", FBNIC_TWD_L3_TYPE_IPV4, true, 9000, 1448 };

	run_tso(&c);
	return TEST_SUCCESS;
}

static int
test_tso_tcp6_9000_bytes(void)
{
	static const struct tso_case c = { "tcp6", FBNIC_TWD_L3_TYPE_IPV6, true, 9000, 1428 };

	run_tso(&c);
	return TEST_SUCCESS;
}

static int
test_tso_ipv6_in_ipv6(void)
{
	static const struct tso_case c = { "v6v6", FBNIC_TWD_L3_TYPE_V6V6, true, 5000, 1388 };

	run_tso(&c);
	return TEST_SUCCESS;
}

static int
test_uso_segments_udp4_datagrams(void)
{
	static const struct tso_case c = { "udp4", FBNIC_TWD_L3_TYPE_IPV4, false, 3500, 1000 };

	run_tso(&c);
	return TEST_SUCCESS;
}

/* TWQ1 frames without META take QM_TWQ_DEFAULT_META; their TCD names TWQ1. */
static int
test_twq1_default_meta_and_tcd(void)
{
	static uint8_t f[200], got[2048];
	struct fbh_rx_info info;
	struct fbh_ring r1;
	uint32_t base = FBNIC_QUEUE(TX_QID);
	uint64_t tcd, *ring;
	int n = 0;

	TEST_CHECK_EQUAL(env_up(10), 0);
	ring = fbh_alloc(&env.h, 1024 * 8, FBH_PAGE, &r1.iova);
	TEST_ASSERT_NOT_NULL(ring);
	fbh_wr(&env.h, FBNIC_QM_TWQ_DEFAULT_META_L, (uint32_t)(FBNIC_FIELD_PREP(
		FBNIC_TWD_L2_HLEN_MASK, 14) | FBNIC_TWD_FLAG_REQ_COMPLETION));
	fbh_wr(&env.h, FBNIC_QM_TWQ_DEFAULT_META_H,
	       (uint32_t)(FBNIC_TWD_FLAG_REQ_COMPLETION >> 32));
	fbh_wr(&env.h, base + FBNIC_QUEUE_TWQ1_CTL, FBNIC_QUEUE_TWQ_CTL_RESET);
	fbh_wr(&env.h, base + FBNIC_QUEUE_TWQ1_BAL, (uint32_t)r1.iova);
	fbh_wr(&env.h, base + FBNIC_QUEUE_TWQ1_BAH, (uint32_t)(r1.iova >> 32));
	fbh_wr(&env.h, base + FBNIC_QUEUE_TWQ1_SIZE, 10);
	fbh_wr(&env.h, base + FBNIC_QUEUE_TWQ1_CTL, FBNIC_QUEUE_TWQ_CTL_ENABLE);

	memset(f, 0x5a, sizeof(f));
	tk_frame_eth(f, dst_mac, src_mac, RAW_ETHERTYPE);
	ring[0] = htole64(al(stage(f, 100), 100, false));
	ring[1] = htole64(al(stage(f + 100, 100), 100, true));
	fbh_wr(&env.h, base + FBNIC_QUEUE_TWQ1_TAIL, 2);
	TEST_CHECK_EQUAL(recv_frame(got, sizeof(got), &info), sizeof(f));
	TEST_CHECK(memcmp(got, f, sizeof(f)) == 0);
	while (tcq_next(&tcd)) {
		n++;
		TEST_CHECK(tcd & FBNIC_TCD_TWQ1);
		TEST_CHECK_EQUAL(FBNIC_FIELD_GET(FBNIC_TCD_TYPE0_HEAD1_MASK, tcd), 2);
	}
	TEST_CHECK_EQUAL(n, 1);
	TEST_CHECK_EQUAL(twq_head(1), 2);
	TEST_CHECK_EQUAL(fbh_rd(&env.h, base + FBNIC_QUEUE_TWQ1_PKT_CNT), 1);
	env_down();
	return TEST_SUCCESS;
}

/* DONE alternates per pass over the TCQ (64 entries, 200 completions). */
static int
test_tcq_phase_bit_wraps(void)
{
	static uint8_t f[60];
	uint64_t tcd = 0;
	unsigned int i, seen = 0, bad = 0;

	TEST_CHECK_EQUAL(env_up(6), 0);
	memset(f, 1, sizeof(f));
	for (i = 0; i < 200; i++) {
		uint32_t pos = env.tq.tcq_head;

		post_frame(f, sizeof(f), FBNIC_TWD_FLAG_REQ_COMPLETION, 1);
		doorbell();
		fbh_poll(&env.h);
		if (!tcq_next(&tcd)) {
			bad++;
			break;
		}
		seen++;
		if ((uint32_t)(tcd >> 63) == ((pos >> 6) & 1) ||
		    FBNIC_FIELD_GET(FBNIC_TCD_TYPE0_HEAD0_MASK, tcd) != (env.tq.tail & 63))
			bad++;
		fbh_rx_refill(&env.h, &env.rq);
		while (fbh_rx_recv(&env.h, &env.rq, NULL, 0, NULL) >= 0)
			;
	}
	TEST_CHECK_EQUAL(seen, 200);
	TEST_CHECK_EQUAL(bad, 0);
	env_down();
	return TEST_SUCCESS;
}

/* A full TCQ stops the TWQ; it resumes when the host frees TCQ entries. */
static int
test_full_tcq_stalls_twq(void)
{
	static uint8_t f[60];
	uint64_t tcd = 0;
	unsigned int i;
	uint32_t head;

	TEST_CHECK_EQUAL(env_up(6), 0);
	memset(f, 2, sizeof(f));
	/* 63 completions fill the 64-entry TCQ (one slot stays free) */
	for (i = 0; i < 63; i++) {
		post_frame(f, sizeof(f), FBNIC_TWD_FLAG_REQ_COMPLETION, 1);
		doorbell();
		fbh_poll(&env.h);
		/* recycle TWQ space from the NIC's head, not from the TCQ */
		TEST_CHECK_EQUAL(twq_head(0), env.tq.tail & 63);
		while (fbh_rx_recv(&env.h, &env.rq, NULL, 0, NULL) >= 0)
			;
	}
	post_frame(f, sizeof(f), FBNIC_TWD_FLAG_REQ_COMPLETION, 1);
	doorbell();
	fbh_poll(&env.h);
	head = twq_head(0);
	TEST_CHECK_EQUAL(head, (env.tq.tail - 2) & 63);
	TEST_CHECK_EQUAL(fbh_rd(&env.h, FBNIC_QUEUE(TX_QID) + FBNIC_QUEUE_TCQ_PTRS) >> 16, 63);
	/* the first completion was not overwritten */
	TEST_CHECK(tcq_next(&tcd));
	TEST_CHECK_EQUAL(FBNIC_FIELD_GET(FBNIC_TCD_TYPE0_HEAD0_MASK, tcd), 2);
	fbh_poll(&env.h);
	TEST_CHECK_EQUAL(twq_head(0), env.tq.tail & 63);
	env_down();
	return TEST_SUCCESS;
}

/* Malformed requests are counted and skipped; the ring keeps working. */
static int
test_malformed_descriptors_counted(void)
{
	static uint8_t f[6000], got[2048];
	struct fbh_rx_info info;
	uint32_t base = FBNIC_QUEUE(TX_QID);
	unsigned int i;
	uint64_t tcd = 0;
	int n0 = 0;

	TEST_CHECK_EQUAL(env_up(10), 0);
	memset(f, 3, sizeof(f));
	tk_frame_eth(f, dst_mac, src_mac, RAW_ETHERTYPE);

	/* 1: an AL of length 0 */
	twd(meta(0));
	twd(al(stage(f, 10), 0, false));
	twd(al(stage(f, 60), 60, true));
	/* 2: 12000 bytes without LSO */
	twd(meta(0));
	twd(al(stage(f, 6000), 6000, false));
	twd(al(stage(f, 6000), 6000, true));
	/* 3: a buffer outside host memory */
	twd(meta(0));
	twd(al(0x3fff00000000ull, 100, true));
	/* 4: META after an AL */
	twd(al(stage(f, 60), 60, false));
	twd(meta(0));
	twd(al(stage(f, 60), 60, true));
	/* 5: checksum field beyond the frame */
	twd(meta(FBNIC_TWD_FLAG_REQ_CSO | FBNIC_FIELD_PREP(FBNIC_TWD_L2_HLEN_MASK, 60) |
		    FBNIC_FIELD_PREP(FBNIC_TWD_L3_IHLEN_MASK, 200)));
	twd(al(stage(f, 100), 100, true));
	/* 6: LSO without a usable MSS, with a timestamp request */
	twd(meta(FBNIC_TWD_FLAG_REQ_LSO | FBNIC_TWD_FLAG_REQ_TS |
		    FBNIC_FIELD_PREP(FBNIC_TWD_L4_TYPE_MASK, FBNIC_TWD_L4_TYPE_TCP)));
	twd(al(stage(f, 200), 200, true));
	/* 7: 70 ALs and no LAST_AL: the first 64 descriptors are dropped */
	for (i = 0; i < 70; i++)
		twd(al(stage(f, 60), 60, false));
	doorbell();
	for (i = 0; i < 5; i++)
		fbh_poll(&env.h);
	TEST_CHECK_EQUAL(fbh_rd(&env.h, base + FBNIC_QUEUE_TWQ0_ERR_CNT), 7);
	TEST_CHECK_EQUAL(fbh_rd(&env.h, base + FBNIC_QUEUE_TWQ0_PKT_CNT), 0);
	TEST_CHECK(fbm_dma_errors(env.h.dev) >= 1);
	TEST_CHECK_EQUAL(recv_frame(got, sizeof(got), &info), -EAGAIN);
	/* the failed timestamp request still gets its (invalid) stamp record */
	while (tcq_next(&tcd)) {
		if (FBNIC_FIELD_GET(FBNIC_TCD_TYPE_MASK, tcd) == FBNIC_TCD_TYPE_1) {
			n0++;
			TEST_CHECK(tcd & FBNIC_TCD_STATUS_TS_INVALID);
		}
	}
	TEST_CHECK_EQUAL(n0, 1);

	/* the 6 leftover ALs wait for their LAST_AL: a frame with the default META */
	TEST_CHECK_EQUAL(twq_head(0), (env.tq.tail - 6) & 1023);
	twd(al(stage(f, 60), 60, true));
	twd(meta(0));
	twd(al(stage(f, 60), 60, true));
	doorbell();
	TEST_CHECK_EQUAL(recv_frame(got, sizeof(got), &info), 7 * 60);
	TEST_CHECK_EQUAL(recv_frame(got, sizeof(got), &info), 60);
	TEST_CHECK_EQUAL(fbh_rd(&env.h, base + FBNIC_QUEUE_TWQ0_PKT_CNT), 2);
	TEST_CHECK_EQUAL(fbh_rd(&env.h, base + FBNIC_QUEUE_TWQ0_ERR_CNT), 7);
	TEST_CHECK_EQUAL(twq_head(0), env.tq.tail & 1023);
	env_down();
	return TEST_SUCCESS;
}

/* TIM: the vector fires once the TCD count reaches TIM_THRESHOLD. */
static int
test_tim_threshold_raises_vector(void)
{
	static uint8_t f[60];
	unsigned int v = 2;
	uint64_t before;

	TEST_CHECK_EQUAL(env_up(10), 0);
	memset(f, 4, sizeof(f));
	fbh_wr(&env.h, FBNIC_INTR_CQ_REARM(v), (uint32_t)(FBNIC_INTR_CQ_REARM_TCQ_TIMEOUT_UPD_EN |
		FBNIC_FIELD_PREP(FBNIC_INTR_CQ_REARM_TCQ_TIMEOUT, 1000)));
	fbh_wr(&env.h, FBNIC_QUEUE(TX_QID) + FBNIC_QUEUE_TIM_THRESHOLD, 3);
	fbh_wr(&env.h, FBNIC_INTR_MASK_CLEAR(0), 1u << v);
	before = fbh_msix_count(&env.h, v);
	post_frame(f, sizeof(f), FBNIC_TWD_FLAG_REQ_COMPLETION, 1);
	doorbell();
	fbh_poll(&env.h);
	post_frame(f, sizeof(f), FBNIC_TWD_FLAG_REQ_COMPLETION, 1);
	doorbell();
	fbh_poll(&env.h);
	TEST_CHECK_EQUAL(fbh_rd(&env.h, FBNIC_QUEUE(TX_QID) + FBNIC_QUEUE_TIM_COUNTS), 2);
	post_frame(f, sizeof(f), FBNIC_TWD_FLAG_REQ_COMPLETION, 1);
	doorbell();
	fbh_poll(&env.h);
	TEST_CHECK(fbh_msix_count(&env.h, v) > before);
	TEST_CHECK_EQUAL(fbh_rd(&env.h, FBNIC_QUEUE(TX_QID) + FBNIC_QUEUE_TIM_COUNTS), 0);
	env_down();
	return TEST_SUCCESS;
}

/* While DMA fails nothing is sent or completed; the ring resumes afterwards. */
static int
test_dma_fault_stops_and_resumes(void)
{
	static uint8_t f[100], got[2048];
	struct fbh_rx_info info;
	uint64_t tcd = 0;

	TEST_CHECK_EQUAL(env_up(10), 0);
	memset(f, 6, sizeof(f));
	tk_frame_eth(f, dst_mac, src_mac, RAW_ETHERTYPE);
	env.h.quiet = true;
	TEST_CHECK_EQUAL(fbm_fault_set(env.h.dev, FBM_FAULT_DMA, true), 0);
	post_frame(f, sizeof(f), FBNIC_TWD_FLAG_REQ_COMPLETION, 1);
	doorbell();
	TEST_CHECK_EQUAL(recv_frame(got, sizeof(got), &info), -EAGAIN);
	TEST_CHECK_EQUAL(twq_head(0), 0);
	TEST_CHECK(!tcq_next(&tcd));
	TEST_CHECK(fbm_dma_errors(env.h.dev) > 0);
	TEST_CHECK_EQUAL(fbm_fault_set(env.h.dev, FBM_FAULT_DMA, false), 0);
	TEST_CHECK_EQUAL(recv_frame(got, sizeof(got), &info), sizeof(f));
	TEST_CHECK(memcmp(got, f, sizeof(f)) == 0);
	TEST_CHECK(tcq_next(&tcd));
	TEST_CHECK_EQUAL(twq_head(0), 2);
	env_down();
	return TEST_SUCCESS;
}

/* A type-1 record carries bits 39:0 of the PTP counter when the frame left. */
static int
test_ts_record_carries_ptp_time(void)
{
	static uint8_t f[100];
	uint64_t tcd, ctr;
	unsigned int n1 = 0;
	uint32_t hi;

	TEST_CHECK_EQUAL(env_up(10), 0);
	memset(f, 7, sizeof(f));
	tk_frame_eth(f, dst_mac, src_mac, RAW_ETHERTYPE);
	fbh_wr(&env.h, FBNIC_PTP_CTRL, FBNIC_PTP_CTRL_EN);
	fbh_advance(&env.h, 123456789);
	post_frame(f, sizeof(f), FBNIC_TWD_FLAG_REQ_TS | FBNIC_TWD_FLAG_REQ_COMPLETION, 1);
	/* virtual time stands still: the counter read now is the stamp */
	hi = fbh_rd(&env.h, FBNIC_PTP_CTR_VAL_HI);
	ctr = (uint64_t)hi << 32 | fbh_rd(&env.h, FBNIC_PTP_CTR_VAL_LO);
	TEST_CHECK_EQUAL(fbh_rd(&env.h, FBNIC_PTP_CTR_VAL_HI), hi);
	TEST_CHECK(ctr != 0);
	doorbell();
	fbh_poll(&env.h);
	while (tcq_next(&tcd)) {
		if (FBNIC_FIELD_GET(FBNIC_TCD_TYPE_MASK, tcd) != FBNIC_TCD_TYPE_1)
			continue;
		n1++;
		TEST_CHECK_EQUAL(FBNIC_FIELD_GET(FBNIC_TCD_TYPE1_TS_MASK, tcd),
				 ctr & 0xffffffffffull);
		TEST_CHECK_EQUAL(tcd & FBNIC_TCD_TWQ1, 0);
	}
	TEST_CHECK_EQUAL(n1, 1);
	env_down();
	return TEST_SUCCESS;
}

/* TMI_DROP_CTRL.EN drains the TWQs without sending (fbnic_hw.rst 4.6). */
static int
test_tmi_drop_drains_without_sending(void)
{
	static uint8_t f[100], got[2048];
	struct fbh_rx_info info;
	uint64_t tcd = 0;

	uint32_t drops;

	TEST_CHECK_EQUAL(env_up(10), 0);
	memset(f, 8, sizeof(f));
	tk_frame_eth(f, dst_mac, src_mac, RAW_ETHERTYPE);
	drops = fbh_rd(&env.h, FBNIC_TMI_DROP_PKTS);
	fbh_wr(&env.h, FBNIC_TMI_DROP_CTRL, FBNIC_TMI_DROP_CTRL_EN);
	post_frame(f, sizeof(f), FBNIC_TWD_FLAG_REQ_COMPLETION, 1);
	doorbell();
	TEST_CHECK_EQUAL(recv_frame(got, sizeof(got), &info), -EAGAIN);
	TEST_CHECK_EQUAL(twq_head(0), 2);
	TEST_CHECK(tcq_next(&tcd));
	TEST_CHECK_EQUAL(fbh_rd(&env.h, FBNIC_TMI_DROP_PKTS) - drops, 1);
	fbh_wr(&env.h, FBNIC_TMI_DROP_CTRL, 0);
	post_frame(f, sizeof(f), FBNIC_TWD_FLAG_REQ_COMPLETION, 1);
	doorbell();
	TEST_CHECK_EQUAL(recv_frame(got, sizeof(got), &info), sizeof(f));
	env_down();
	return TEST_SUCCESS;
}

/* One engine pass serves every enabled queue, wherever it sits in the bitmap. */
static int
test_all_active_queues_are_served(void)
{
	static const unsigned int qids[] = { 1, 63, 64, 127 };
	static uint8_t f[80], got[2048];
	struct fbh_txq tq[4];
	struct fbh_rx_info info;
	unsigned int i, n = 0;

	TEST_CHECK_EQUAL(env_up(10), 0);
	memset(f, 9, sizeof(f));
	tk_frame_eth(f, dst_mac, src_mac, RAW_ETHERTYPE);
	for (i = 0; i < 4; i++) {
		TEST_CHECK_EQUAL(fbh_txq_enable(&env.h, &tq[i], qids[i], 6, 2), 0);
		f[20] = (uint8_t)i;
		TEST_CHECK_EQUAL(fbh_tx_send(&env.h, &tq[i], f, sizeof(f), 0), 0);
	}
	fbh_poll(&env.h);
	for (i = 0; i < 4; i++)
		TEST_CHECK_EQUAL(fbh_rd(&env.h, FBNIC_QUEUE(qids[i]) + FBNIC_QUEUE_TWQ0_PTRS) >> 16,
				 2);
	while (n < 8 && recv_frame(got, sizeof(got), &info) == sizeof(f))
		n++;
	TEST_CHECK_EQUAL(n, 4);
	env_down();
	return TEST_SUCCESS;
}

int
main(void)
{
	TK_RUN(test_gathered_frame_arrives_byte_exact);
	TK_RUN(test_checksum_insertion_verifies);
	TK_RUN(test_tso_tcp4_9000_bytes);
	TK_RUN(test_tso_tcp6_9000_bytes);
	TK_RUN(test_tso_ipv6_in_ipv6);
	TK_RUN(test_uso_segments_udp4_datagrams);
	TK_RUN(test_twq1_default_meta_and_tcd);
	TK_RUN(test_tcq_phase_bit_wraps);
	TK_RUN(test_full_tcq_stalls_twq);
	TK_RUN(test_malformed_descriptors_counted);
	TK_RUN(test_tim_threshold_raises_vector);
	TK_RUN(test_dma_fault_stops_and_resumes);
	TK_RUN(test_ts_record_carries_ptp_time);
	TK_RUN(test_tmi_drop_drains_without_sending);
	TK_RUN(test_all_active_queues_are_served);
	return tk_report("test_tx_offload");
}
