/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

/*
 * RX engine placement and completions (fbnic_hw.rst 2, 3.3, 3.4, 4.5): frames
 * are handed to fbm_rx_frame() as the classifier would, and the test reads
 * the RCQ and the buffers like a driver.
 */

#include "test_queue_host.h"

#define MAX_HDR		1536u
#define RCD_TYPE(d)	((unsigned int)FBNIC_FIELD_GET(FBNIC_RCD_TYPE_MASK, d))
#define AL_ID(d)	((uint32_t)FBNIC_FIELD_GET(FBNIC_RCD_AL_BUFF_ID_MASK, d))
#define AL_LEN(d)	((uint32_t)FBNIC_FIELD_GET(FBNIC_RCD_AL_BUFF_LEN_MASK, d))
#define AL_OFF(d)	((uint32_t)FBNIC_FIELD_GET(FBNIC_RCD_AL_BUFF_OFF_MASK, d))
#define AL_FIN(d)	(((d) & FBNIC_RCD_AL_PAGE_FIN) != 0)

static struct tq_host h;

static int
rx(unsigned int q, const uint8_t *f, uint32_t len, const struct fbm_rx_meta *m)
{
	struct fbm_rx_meta meta;
	int rc;

	if (m)
		meta = *m;
	else
		memset(&meta, 0, sizeof(meta));
	meta.queue = (uint16_t)q;
	fbm_dev_lock(h.dev);
	rc = fbm_rx_frame(h.dev, f, len, &meta);
	fbm_dev_unlock(h.dev);
	return rc;
}

/* Read the next frame's RCDs (up to 8); returns their count, 0 if none. */
static unsigned int
rcq_frame(struct tq_rxq *r, uint64_t *rcd)
{
	unsigned int n = 0;

	while (n < 8 && tq_cq_next(&r->rcq, &rcd[n])) {
		if (RCD_TYPE(rcd[n++]) == FBNIC_RCD_TYPE_META)
			return n;
	}
	return n;
}

static void
rcq_ack(struct tq_rxq *r)
{
	tq_qwr(&h, r->q, FBNIC_QUEUE_RCQ_HEAD, r->rcq.head & (r->rcq.size - 1));
}

static void
fill(uint8_t *f, uint32_t len, uint8_t seed)
{
	uint32_t i;

	for (i = 0; i < len; i++)
		f[i] = (uint8_t)(seed + i * 7);
}

/* Several small frames share one HPQ buffer at the documented offsets. */
static int
test_small_frames_pack_one_hpq_buffer(void)
{
	static const uint32_t off[] = { 128, 640, 1152, 1664, 2176 };
	struct tq_rxq r;
	uint64_t rcd[8];
	uint8_t f[64];
	unsigned int i, n;

	tq_rxq_enable(&h, &r, 1, 64, 256, tq_rde_ctl0(0, false), MAX_HDR, 2);
	tq_rxq_post(&h, &r, false, 4);
	for (i = 0; i < 6; i++) {
		fill(f, sizeof(f), (uint8_t)i);
		TEST_CHECK_EQUAL(rx(1, f, sizeof(f), NULL), 0);
		n = rcq_frame(&r, rcd);
		TEST_CHECK_EQUAL(n, 2);
		TEST_CHECK_EQUAL(RCD_TYPE(rcd[0]), FBNIC_RCD_TYPE_HDR_AL);
		TEST_CHECK_EQUAL(RCD_TYPE(rcd[1]), FBNIC_RCD_TYPE_META);
		TEST_CHECK_EQUAL(AL_LEN(rcd[0]), 64);
		if (i < 5) {
			TEST_CHECK_EQUAL(AL_ID(rcd[0]), 0);
			TEST_CHECK_EQUAL(AL_OFF(rcd[0]), off[i]);
			/* the buffer closes when a MAX_HDR header would not fit */
			TEST_CHECK_EQUAL(AL_FIN(rcd[0]), i == 4);
		} else {
			TEST_CHECK_EQUAL(AL_ID(rcd[0]), 1);
			TEST_CHECK_EQUAL(AL_OFF(rcd[0]), 128);
			TEST_CHECK_EQUAL(AL_FIN(rcd[0]), 0);
		}
		TEST_CHECK(memcmp(tq_rx_buf(&h, &r, false, AL_ID(rcd[0])) + AL_OFF(rcd[0]), f,
				  sizeof(f)) == 0, "frame %u bytes differ", i);
	}
	rcq_ack(&r);
	TEST_CHECK_EQUAL(tq_qrd(&h, 1, FBNIC_QUEUE_BDQ_HPQ_PTRS), 2u << 16 | 4);
	TEST_CHECK_EQUAL(tq_qrd(&h, 1, FBNIC_QUEUE_RDE_PKT_CNT), 6);
	TEST_CHECK_EQUAL(tq_qrd(&h, 1, FBNIC_QUEUE_RCQ_PTRS), 12u << 16 | 12);
	return TEST_SUCCESS;
}

/* Reassemble a frame from its RCDs like a driver; returns its length. */
static uint32_t
gather(struct tq_rxq *r, const uint64_t *rcd, unsigned int n, uint8_t *got, uint32_t cap)
{
	uint32_t at = AL_LEN(rcd[0]);
	unsigned int i;

	memcpy(got, tq_rx_buf(&h, r, false, AL_ID(rcd[0])) + AL_OFF(rcd[0]), at);
	for (i = 1; i + 1 < n; i++) {
		if (at + AL_LEN(rcd[i]) > cap)
			return 0;
		memcpy(got + at, tq_rx_buf(&h, r, true, AL_ID(rcd[i])) + AL_OFF(rcd[i]),
		       AL_LEN(rcd[i]));
		at += AL_LEN(rcd[i]);
	}
	return at;
}

/* RDE_CTL1 with MAX_HDR and a PAYLD_PACK mode. */
static void
rde_ctl1_set(unsigned int q, uint32_t max_hdr, unsigned int pack)
{
	tq_qwr(&h, q, FBNIC_QUEUE_RDE_CTL1,
	       (uint32_t)(FBNIC_FIELD_PREP(FBNIC_QUEUE_RDE_CTL1_MAX_HDR_MASK, max_hdr) |
			  FBNIC_FIELD_PREP(FBNIC_QUEUE_RDE_CTL1_PAYLD_PACK_MASK, pack)));
}

/*
 * A 9000-byte frame: MAX_HDR bytes in the HPQ buffer, the rest in PPQ
 * buffers; with PAYLD_PACK ALL the next frame's payload follows in the same
 * PPQ buffer.
 */
static int
test_jumbo_spans_hpq_and_ppq(void)
{
	static uint8_t f[9000], got[9000];
	struct tq_rxq r;
	uint64_t rcd[8];
	unsigned int n, k;
	uint32_t at;

	tq_rxq_enable(&h, &r, 2, 64, 256, tq_rde_ctl0(0, false), MAX_HDR, 2);
	rde_ctl1_set(2, MAX_HDR, FBNIC_QUEUE_RDE_CTL1_PAYLD_PACK_ALL);
	tq_rxq_post(&h, &r, false, 8);
	tq_rxq_post(&h, &r, true, 8);
	for (k = 0; k < 2; k++) {
		fill(f, sizeof(f), (uint8_t)(k + 3));
		TEST_CHECK_EQUAL(rx(2, f, sizeof(f), NULL), 0);
		n = rcq_frame(&r, rcd);
		if (k == 0) {
			/* 1536 + 4096 (fills PPQ 0) + 3368 */
			TEST_CHECK_EQUAL(n, 4);
			TEST_CHECK_EQUAL(AL_LEN(rcd[0]), MAX_HDR);
			TEST_CHECK_EQUAL(RCD_TYPE(rcd[1]), FBNIC_RCD_TYPE_PAY_AL);
			TEST_CHECK_EQUAL(AL_ID(rcd[1]), 0);
			TEST_CHECK_EQUAL(AL_OFF(rcd[1]), 0);
			TEST_CHECK_EQUAL(AL_LEN(rcd[1]), 4096);
			TEST_CHECK_EQUAL(AL_FIN(rcd[1]), 1);
			TEST_CHECK_EQUAL(AL_ID(rcd[2]), 1);
			TEST_CHECK_EQUAL(AL_LEN(rcd[2]), 3368);
			TEST_CHECK_EQUAL(AL_FIN(rcd[2]), 0);
		} else {
			/* PPQ 1 continues at align128(3368) = 3456: 640, then 4096, 2728 */
			TEST_CHECK_EQUAL(n, 5);
			TEST_CHECK_EQUAL(AL_ID(rcd[1]), 1);
			TEST_CHECK_EQUAL(AL_OFF(rcd[1]), 3456);
			TEST_CHECK_EQUAL(AL_LEN(rcd[1]), 640);
			TEST_CHECK_EQUAL(AL_FIN(rcd[1]), 1);
			TEST_CHECK_EQUAL(AL_ID(rcd[2]), 2);
			TEST_CHECK_EQUAL(AL_LEN(rcd[2]), 4096);
			TEST_CHECK_EQUAL(AL_FIN(rcd[2]), 1);
			TEST_CHECK_EQUAL(AL_ID(rcd[3]), 3);
			TEST_CHECK_EQUAL(AL_OFF(rcd[3]), 0);
			TEST_CHECK_EQUAL(AL_LEN(rcd[3]), 2728);
		}
		TEST_CHECK_EQUAL(RCD_TYPE(rcd[n - 1]), FBNIC_RCD_TYPE_META);
		at = gather(&r, rcd, n, got, sizeof(got));
		TEST_CHECK_EQUAL(at, sizeof(f));
		TEST_CHECK(memcmp(got, f, sizeof(f)) == 0, "jumbo %u bytes differ", k);
	}
	rcq_ack(&r);
	return TEST_SUCCESS;
}

/*
 * PAYLD_PACK NONE: no PPQ buffer is shared between frames. Each payload
 * starts at offset 0 of a fresh buffer and its last PAY_AL finishes it, so
 * a driver can hand every PPQ buffer to one frame.
 */
static int
test_payload_pack_none_gives_each_frame_its_buffers(void)
{
	static uint8_t f[6000], got[6000];
	struct tq_rxq r;
	uint64_t rcd[8];
	unsigned int n, k;

	tq_rxq_enable(&h, &r, 20, 64, 256, tq_rde_ctl0(0, false), MAX_HDR, 2);
	rde_ctl1_set(20, MAX_HDR, FBNIC_QUEUE_RDE_CTL1_PAYLD_PACK_NONE);
	tq_rxq_post(&h, &r, false, 8);
	tq_rxq_post(&h, &r, true, 8);
	for (k = 0; k < 3; k++) {
		fill(f, sizeof(f), (uint8_t)(k + 9));
		TEST_CHECK_EQUAL(rx(20, f, sizeof(f), NULL), 0);
		n = rcq_frame(&r, rcd);
		/* 1536 in the HPQ, then 4096 + 368 in two PPQ buffers of its own */
		TEST_CHECK_EQUAL(n, 4);
		TEST_CHECK_EQUAL(AL_ID(rcd[1]), 2 * k);
		TEST_CHECK_EQUAL(AL_OFF(rcd[1]), 0);
		TEST_CHECK_EQUAL(AL_LEN(rcd[1]), 4096);
		TEST_CHECK_EQUAL(AL_FIN(rcd[1]), 1);
		TEST_CHECK_EQUAL(AL_ID(rcd[2]), 2 * k + 1);
		TEST_CHECK_EQUAL(AL_OFF(rcd[2]), 0);
		TEST_CHECK_EQUAL(AL_LEN(rcd[2]), 368);
		TEST_CHECK_EQUAL(AL_FIN(rcd[2]), 1);
		TEST_CHECK_EQUAL(gather(&r, rcd, n, got, sizeof(got)), sizeof(f));
		TEST_CHECK(memcmp(got, f, sizeof(f)) == 0, "frame %u bytes differ", k);
	}
	rcq_ack(&r);
	TEST_CHECK_EQUAL(tq_qrd(&h, 20, FBNIC_QUEUE_BDQ_PPQ_PTRS) >> 16, 6);
	return TEST_SUCCESS;
}

/*
 * The largest MAX_HDR the rooms allow leaves space for one frame per HPQ
 * buffer: each HDR_AL takes a fresh buffer and finishes it.
 */
static int
test_max_hdr_gives_one_frame_per_hpq_buffer(void)
{
	const uint32_t max_hdr = 4096 - 384;
	struct tq_rxq r;
	uint64_t rcd[8];
	uint8_t f[60];
	unsigned int i;

	tq_rxq_enable(&h, &r, 21, 64, 256,
		      (uint32_t)FBNIC_FIELD_PREP(FBNIC_QUEUE_RDE_CTL0_MIN_HROOM_MASK, 384),
		      max_hdr, 2);
	tq_rxq_post(&h, &r, false, 8);
	for (i = 0; i < 4; i++) {
		fill(f, sizeof(f), (uint8_t)i);
		TEST_CHECK_EQUAL(rx(21, f, sizeof(f), NULL), 0);
		TEST_CHECK_EQUAL(rcq_frame(&r, rcd), 2);
		TEST_CHECK_EQUAL(AL_ID(rcd[0]), i);
		TEST_CHECK_EQUAL(AL_OFF(rcd[0]), 384);
		TEST_CHECK_EQUAL(AL_FIN(rcd[0]), 1);
		TEST_CHECK(memcmp(tq_rx_buf(&h, &r, false, i) + 384, f, sizeof(f)) == 0,
			   "frame %u bytes differ", i);
	}
	rcq_ack(&r);
	return TEST_SUCCESS;
}

/* Without a PPQ, a frame longer than MAX_HDR is dropped as an error, never held. */
static int
test_no_ppq_drops_long_frames(void)
{
	static uint8_t f[3000];
	struct tq_rxq r;
	uint64_t rcd[8];
	uint32_t err0;

	tq_rxq_enable(&h, &r, 22, 64, 256, tq_rde_ctl0(2, false), MAX_HDR, 2);
	tq_qwr(&h, 22, FBNIC_QUEUE_BDQ_CTL, FBNIC_QUEUE_BDQ_CTL_ENABLE);
	tq_rxq_post(&h, &r, false, 8);
	err0 = tq_qrd(&h, 22, FBNIC_QUEUE_RDE_PKT_ERR_CNT);
	fill(f, sizeof(f), 5);
	TEST_CHECK_EQUAL(rx(22, f, sizeof(f), NULL), -EMSGSIZE);
	TEST_CHECK_EQUAL(tq_qrd(&h, 22, FBNIC_QUEUE_RDE_PKT_ERR_CNT), err0 + 1);
	/* and the queue goes on with frames that fit */
	TEST_CHECK_EQUAL(rx(22, f, 1000, NULL), 0);
	TEST_CHECK_EQUAL(rcq_frame(&r, rcd), 2);
	TEST_CHECK_EQUAL(AL_LEN(rcd[0]), 1000);
	rcq_ack(&r);
	return TEST_SUCCESS;
}

/* With EN_HDR_SPLIT the header buffer gets exactly the L2-L4 headers. */
static int
test_header_split_at_l4(void)
{
	static uint8_t f[2048];
	struct fbm_rx_meta m;
	struct tq_rxq r;
	struct tk_frame fr;
	uint64_t rcd[8];
	unsigned int n;
	uint32_t len;

	tq_rxq_enable(&h, &r, 3, 64, 256, tq_rde_ctl0(0, true), 256, 2);
	tq_rxq_post(&h, &r, false, 4);
	tq_rxq_post(&h, &r, true, 16);
	memset(&m, 0, sizeof(m));
	m.dma_hint = FBNIC_RCD_HDR_AL_DMA_HINT_L4;
	tk_frame_init(&fr, false, TK_PROTO_TCP);
	fr.seed = 9;
	len = (uint32_t)tk_frame_build(f, &fr, 1000);
	TEST_CHECK_EQUAL(rx(3, f, len, &m), 0);
	n = rcq_frame(&r, rcd);
	TEST_CHECK_EQUAL(n, 3);
	TEST_CHECK_EQUAL(AL_LEN(rcd[0]), 54);
	TEST_CHECK_EQUAL(FBNIC_FIELD_GET(FBNIC_RCD_HDR_AL_DMA_HINT_MASK, rcd[0]), 4);
	TEST_CHECK_EQUAL(RCD_TYPE(rcd[1]), FBNIC_RCD_TYPE_PAY_AL);
	TEST_CHECK_EQUAL(AL_LEN(rcd[1]), 1000);
	TEST_CHECK(memcmp(tq_rx_buf(&h, &r, true, AL_ID(rcd[1])) + AL_OFF(rcd[1]), f + 54,
			  1000) == 0, "payload differs");

	/* VLAN-tagged IPv4/TCP: the tag counts as L2 */
	m.dma_hint = FBNIC_RCD_HDR_AL_DMA_HINT_L4;
	fr.vlan_tpid = TK_ETHERTYPE_VLAN;
	fr.vlan_tci = 5;
	fr.seed = 2;
	len = (uint32_t)tk_frame_build(f, &fr, 500);
	TEST_CHECK_EQUAL(rx(3, f, len, &m), 0);
	n = rcq_frame(&r, rcd);
	TEST_CHECK_EQUAL(n, 3);
	TEST_CHECK_EQUAL(AL_LEN(rcd[0]), 58);
	TEST_CHECK_EQUAL(AL_LEN(rcd[1]), 500);

	/* IPv6 with a hop-by-hop header (8 bytes) before TCP */
	tk_frame_init(&fr, true, TK_PROTO_TCP);
	fr.opt_len = 8;
	fr.seed = 3;
	len = (uint32_t)tk_frame_build(f, &fr, 200);
	TEST_CHECK_EQUAL(rx(3, f, len, &m), 0);
	n = rcq_frame(&r, rcd);
	TEST_CHECK_EQUAL(n, 3);
	TEST_CHECK_EQUAL(AL_LEN(rcd[0]), 82);
	TEST_CHECK_EQUAL(AL_LEN(rcd[1]), 200);

	/* a header longer than MAX_HDR is cut there and flagged */
	m.dma_hint = FBNIC_RCD_HDR_AL_DMA_HINT_L4;
	tk_frame_init(&fr, false, TK_PROTO_TCP);
	fr.seed = 4;
	len = (uint32_t)tk_frame_build(f, &fr, 600);
	tq_qwr(&h, 3, FBNIC_QUEUE_RDE_CTL1,
	       (uint32_t)FBNIC_FIELD_PREP(FBNIC_QUEUE_RDE_CTL1_MAX_HDR_MASK, 40));
	TEST_CHECK_EQUAL(rx(3, f, len, &m), 0);
	n = rcq_frame(&r, rcd);
	TEST_CHECK_EQUAL(n, 3);
	TEST_CHECK_EQUAL(AL_LEN(rcd[0]), 40);
	TEST_CHECK_EQUAL(!!(rcd[0] & FBNIC_RCD_HDR_AL_OVERFLOW), 1);
	TEST_CHECK_EQUAL(AL_LEN(rcd[1]), len - 40);
	tq_qwr(&h, 3, FBNIC_QUEUE_RDE_CTL1,
	       (uint32_t)FBNIC_FIELD_PREP(FBNIC_QUEUE_RDE_CTL1_MAX_HDR_MASK, 256));

	/* IPv6/UDP split at L3 */
	m.dma_hint = FBNIC_RCD_HDR_AL_DMA_HINT_L3;
	tk_frame_init(&fr, true, TK_PROTO_UDP);
	fr.seed = 1;
	len = (uint32_t)tk_frame_build(f, &fr, 300);
	TEST_CHECK_EQUAL(rx(3, f, len, &m), 0);
	n = rcq_frame(&r, rcd);
	TEST_CHECK_EQUAL(n, 3);
	TEST_CHECK_EQUAL(AL_LEN(rcd[0]), 54);
	TEST_CHECK_EQUAL(AL_LEN(rcd[1]), 308);
	rcq_ack(&r);
	return TEST_SUCCESS;
}

/* No buffer: the frame is dropped whole and counted, nothing reaches the RCQ. */
static int
test_no_buffer_drops_are_counted(void)
{
	static uint8_t f[3000];
	struct tq_rxq r;
	uint64_t rcd[8];

	tq_rxq_enable(&h, &r, 4, 64, 256, tq_rde_ctl0(0, false), MAX_HDR, 2);
	fill(f, sizeof(f), 1);
	TEST_CHECK_EQUAL(rx(4, f, 100, NULL), -ENOBUFS);
	TEST_CHECK_EQUAL(tq_qrd(&h, 4, FBNIC_QUEUE_RDE_BDQ_DROP_CNT), 1);

	/* an HPQ buffer but no PPQ buffer for the excess: still all or nothing */
	tq_rxq_post(&h, &r, false, 2);
	TEST_CHECK_EQUAL(rx(4, f, sizeof(f), NULL), -ENOBUFS);
	TEST_CHECK_EQUAL(tq_qrd(&h, 4, FBNIC_QUEUE_RDE_BDQ_DROP_CNT), 2);
	TEST_CHECK_EQUAL(tq_qrd(&h, 4, FBNIC_QUEUE_BDQ_HPQ_PTRS) >> 16, 0);
	TEST_CHECK_EQUAL(tq_qrd(&h, 4, FBNIC_QUEUE_RCQ_PTRS), 0);
	TEST_CHECK_EQUAL(rcq_frame(&r, rcd), 0);
	TEST_CHECK_EQUAL(tq_qrd(&h, 4, FBNIC_QUEUE_RDE_PKT_CNT), 0);

	/* after posting a PPQ buffer the same frame goes through */
	tq_rxq_post(&h, &r, true, 2);
	TEST_CHECK_EQUAL(rx(4, f, sizeof(f), NULL), 0);
	TEST_CHECK_EQUAL(rcq_frame(&r, rcd), 3);
	TEST_CHECK_EQUAL(tq_qrd(&h, 4, FBNIC_QUEUE_RDE_PKT_CNT), 1);
	return TEST_SUCCESS;
}

/* A full RCQ drops (DROP_MODE immediate) and never overwrites. */
static int
test_rcq_full_drops_are_counted(void)
{
	struct tq_rxq r;
	uint64_t rcd[8];
	uint8_t f[64];
	unsigned int i, ok = 0;

	tq_rxq_enable(&h, &r, 5, 64, 64, tq_rde_ctl0(0, false), MAX_HDR, 2);
	tq_rxq_post(&h, &r, false, 63);
	fill(f, sizeof(f), 5);
	for (i = 0; i < 40; i++)
		ok += rx(5, f, sizeof(f), NULL) == 0;
	/* 2 RCDs per frame, 63 usable entries */
	TEST_CHECK_EQUAL(ok, 31);
	TEST_CHECK_EQUAL(tq_qrd(&h, 5, FBNIC_QUEUE_RDE_CQ_DROP_CNT), 9);
	TEST_CHECK_EQUAL(rx(5, f, sizeof(f), NULL), -ENOSPC);
	for (i = 0; i < 31; i++)
		TEST_CHECK_EQUAL(rcq_frame(&r, rcd), 2);
	TEST_CHECK_EQUAL(rcq_frame(&r, rcd), 0);
	rcq_ack(&r);
	TEST_CHECK_EQUAL(rx(5, f, sizeof(f), NULL), 0);
	return TEST_SUCCESS;
}

/* DONE is 1 on the first pass over the RCQ, 0 on the second, and so on. */
static int
test_phase_bit_wraps_over_passes(void)
{
	struct tq_rxq r;
	uint64_t rcd[8];
	uint8_t f[64];
	unsigned int i, bad = 0;

	tq_rxq_enable(&h, &r, 6, 64, 64, tq_rde_ctl0(0, false), MAX_HDR, 2);
	tq_rxq_post(&h, &r, false, 63);
	for (i = 0; i < 200; i++) {
		uint32_t pos = r.rcq.head;
		bool first_pass_even = ((pos / 64) & 1) == 0;

		fill(f, sizeof(f), (uint8_t)i);
		TEST_CHECK_EQUAL(rx(6, f, sizeof(f), NULL), 0);
		if (rcq_frame(&r, rcd) != 2) {
			bad++;
			break;
		}
		TEST_CHECK_EQUAL(!!(rcd[0] & FBNIC_RCD_DONE), first_pass_even);
		if (memcmp(tq_rx_buf(&h, &r, false, AL_ID(rcd[0])) + AL_OFF(rcd[0]), f, 64))
			bad++;
		rcq_ack(&r);
		if (AL_FIN(rcd[0]))
			tq_rxq_post(&h, &r, false, 1);
	}
	TEST_CHECK_EQUAL(bad, 0);
	TEST_CHECK_EQUAL(tq_qrd(&h, 6, FBNIC_QUEUE_RDE_PKT_CNT), 200);
	return TEST_SUCCESS;
}

/* OPT_META carries the timestamp and action; META the classifier results. */
static int
test_meta_and_opt_meta_fields(void)
{
	struct fbm_rx_meta m;
	struct tq_rxq r;
	uint64_t rcd[8];
	uint8_t f[100];

	tq_rxq_enable(&h, &r, 7, 64, 256, tq_rde_ctl0(0, false), MAX_HDR, 2);
	tq_rxq_post(&h, &r, false, 4);
	memset(&m, 0, sizeof(m));
	m.rss_hash = 0xdeadbeef;
	m.l2_csum = 0x1234;
	m.l3_type = FBNIC_RCD_META_L3_TYPE_IPV6;
	m.l4_type = FBNIC_RCD_META_L4_TYPE_UDP;
	m.l4_csum_ok = true;
	m.parser_err = true;
	m.ts_valid = true;
	m.ts = 0x12345678abcdULL;
	m.act_valid = true;
	m.act_idx = 42;
	fill(f, sizeof(f), 7);
	TEST_CHECK_EQUAL(rx(7, f, sizeof(f), &m), 0);
	TEST_CHECK_EQUAL(rcq_frame(&r, rcd), 3);
	TEST_CHECK_EQUAL(RCD_TYPE(rcd[1]), FBNIC_RCD_TYPE_OPT_META);
	TEST_CHECK_EQUAL(FBNIC_FIELD_GET(FBNIC_RCD_OPT_META_TS_MASK, rcd[1]), 0x345678abcdULL);
	TEST_CHECK_EQUAL(!!(rcd[1] & FBNIC_RCD_OPT_META_TS), 1);
	TEST_CHECK_EQUAL(FBNIC_FIELD_GET(FBNIC_RCD_OPT_META_ACTION_MASK, rcd[1]), 42);
	TEST_CHECK_EQUAL(!!(rcd[1] & FBNIC_RCD_OPT_META_ACTION), 1);
	TEST_CHECK_EQUAL(FBNIC_FIELD_GET(FBNIC_RCD_OPT_META_TYPE_MASK, rcd[1]), 0);
	TEST_CHECK_EQUAL(FBNIC_FIELD_GET(FBNIC_RCD_META_RSS_HASH_MASK, rcd[2]), 0xdeadbeef);
	TEST_CHECK_EQUAL(FBNIC_FIELD_GET(FBNIC_RCD_META_L2_CSUM_MASK, rcd[2]), 0x1234);
	TEST_CHECK_EQUAL(FBNIC_FIELD_GET(FBNIC_RCD_META_L3_TYPE_MASK, rcd[2]), 2);
	TEST_CHECK_EQUAL(FBNIC_FIELD_GET(FBNIC_RCD_META_L4_TYPE_MASK, rcd[2]), 2);
	TEST_CHECK_EQUAL(!!(rcd[2] & FBNIC_RCD_META_L4_CSUM_UNNECESSARY), 1);
	TEST_CHECK_EQUAL(!!(rcd[2] & FBNIC_RCD_META_ERR_PARSER), 1);
	TEST_CHECK_EQUAL(tq_qrd(&h, 7, FBNIC_QUEUE_RDE_PKT_ERR_CNT), 1);
	return TEST_SUCCESS;
}

/* DROP_MODE wait holds a frame for a while, never holds it until buffers come. */
static int
test_drop_modes_wait_and_never(void)
{
	struct tq_rxq r;
	uint64_t rcd[8];
	uint8_t f[64];

	fbm_clock_set_virtual(h.dev, true, 1000000);
	fill(f, sizeof(f), 11);

	/* never: held, delivered once a buffer is posted */
	tq_rxq_enable(&h, &r, 8, 64, 256, tq_rde_ctl0(FBNIC_QUEUE_RDE_CTL0_DROP_NEVER, false),
		      MAX_HDR, 2);
	TEST_CHECK_EQUAL(rx(8, f, sizeof(f), NULL), 0);
	TEST_CHECK_EQUAL(tq_rd(&h, FBNIC_QM_RCQ_IDLE(0)) & (1u << 8), 0);
	fbm_clock_advance(h.dev, 10000000);
	fbm_poll(h.dev, 64);
	TEST_CHECK_EQUAL(rcq_frame(&r, rcd), 0);
	tq_rxq_post(&h, &r, false, 2);
	fbm_clock_advance(h.dev, 2000);
	fbm_poll(h.dev, 64);
	TEST_CHECK_EQUAL(rcq_frame(&r, rcd), 2);
	TEST_CHECK(memcmp(tq_rx_buf(&h, &r, false, 0) + AL_OFF(rcd[0]), f, 64) == 0, "held frame");
	TEST_CHECK_EQUAL(tq_rd(&h, FBNIC_QM_RCQ_IDLE(0)) & (1u << 8), 1u << 8);
	TEST_CHECK_EQUAL(tq_qrd(&h, 8, FBNIC_QUEUE_RDE_BDQ_DROP_CNT), 0);

	/* wait: dropped and counted once the wait is over */
	tq_rxq_enable(&h, &r, 9, 64, 256, tq_rde_ctl0(FBNIC_QUEUE_RDE_CTL0_DROP_WAIT, false),
		      MAX_HDR, 2);
	TEST_CHECK_EQUAL(rx(9, f, sizeof(f), NULL), 0);
	fbm_clock_advance(h.dev, 10000000);
	fbm_poll(h.dev, 64);
	TEST_CHECK_EQUAL(tq_qrd(&h, 9, FBNIC_QUEUE_RDE_BDQ_DROP_CNT), 1);
	tq_rxq_post(&h, &r, false, 2);
	fbm_clock_advance(h.dev, 2000);
	fbm_poll(h.dev, 64);
	TEST_CHECK_EQUAL(rcq_frame(&r, rcd), 0);
	fbm_clock_set_virtual(h.dev, false, 0);
	return TEST_SUCCESS;
}

/* PADLEN bytes come first in the header buffer and count in the HDR_AL length. */
static int
test_padlen_shifts_header_data(void)
{
	struct tq_rxq r;
	uint64_t rcd[8];
	uint8_t f[64];

	tq_rxq_enable(&h, &r, 12, 64, 256, tq_rde_ctl0(0, false), MAX_HDR, 2);
	tq_qwr(&h, 12, FBNIC_QUEUE_RDE_CTL1,
	       (uint32_t)(FBNIC_FIELD_PREP(FBNIC_QUEUE_RDE_CTL1_MAX_HDR_MASK, MAX_HDR) |
			  FBNIC_FIELD_PREP(FBNIC_QUEUE_RDE_CTL1_PADLEN_MASK, 2)));
	tq_rxq_post(&h, &r, false, 2);
	fill(f, sizeof(f), 12);
	TEST_CHECK_EQUAL(rx(12, f, sizeof(f), NULL), 0);
	TEST_CHECK_EQUAL(rcq_frame(&r, rcd), 2);
	TEST_CHECK_EQUAL(AL_OFF(rcd[0]), 128);
	TEST_CHECK_EQUAL(AL_LEN(rcd[0]), 66);
	TEST_CHECK(memcmp(tq_rx_buf(&h, &r, false, 0) + 128 + 2, f, sizeof(f)) == 0,
		   "padded frame");
	/* next slot: align128(128 + 66 + 320 + 128) */
	TEST_CHECK_EQUAL(rx(12, f, sizeof(f), NULL), 0);
	TEST_CHECK_EQUAL(rcq_frame(&r, rcd), 2);
	TEST_CHECK_EQUAL(AL_OFF(rcd[0]), 768);
	return TEST_SUCCESS;
}

/* DROP_MODE never: thousands of frames wait in the RX buffer and none is lost. */
static int
test_drop_never_loses_nothing(void)
{
	enum { N = 4200 };
	struct tq_rxq r;
	uint64_t rcd[8];
	uint8_t f[64];
	unsigned int i, ok = 0, seen = 0, bad = 0, iter;

	fbm_clock_set_virtual(h.dev, true, 5000000);
	tq_rxq_enable(&h, &r, 13, 64, 1024, tq_rde_ctl0(FBNIC_QUEUE_RDE_CTL0_DROP_NEVER, false),
		      MAX_HDR, 2);
	for (i = 0; i < N; i++) {
		fill(f, sizeof(f), 0);
		f[0] = (uint8_t)i;
		f[1] = (uint8_t)(i >> 8);
		ok += rx(13, f, sizeof(f), NULL) == 0;
	}
	/* the RX buffer holds FBM_RX_HOLD_SLOTS frames; the rest overflow it */
	TEST_CHECK_EQUAL(ok, 4096);
	TEST_CHECK_EQUAL(tq_qrd(&h, 13, FBNIC_QUEUE_RDE_BDQ_DROP_CNT), 0);
	tq_rxq_post(&h, &r, false, 63);
	for (iter = 0; iter < 10000 && seen < ok; iter++) {
		fbm_clock_advance(h.dev, 2000);
		fbm_poll(h.dev, 64);
		while (rcq_frame(&r, rcd) == 2) {
			const uint8_t *p = tq_rx_buf(&h, &r, false, AL_ID(rcd[0])) + AL_OFF(rcd[0]);

			if ((unsigned int)(p[0] | p[1] << 8) != seen)
				bad++;
			seen++;
			if (AL_FIN(rcd[0]))
				tq_rxq_post(&h, &r, false, 1);
		}
		rcq_ack(&r);
	}
	TEST_CHECK_EQUAL(seen, ok);
	TEST_CHECK_EQUAL(bad, 0);
	TEST_CHECK_EQUAL(tq_rd(&h, FBNIC_QM_RCQ_IDLE(0)) & (1u << 13), 1u << 13);
	fbm_clock_set_virtual(h.dev, false, 0);
	return TEST_SUCCESS;
}

/* A queue without an enabled RCQ and BDQ does not take frames. */
static int
test_disabled_queue_refuses(void)
{
	uint8_t f[64];

	fill(f, sizeof(f), 1);
	TEST_CHECK_EQUAL(rx(100, f, sizeof(f), NULL), -ENODEV);
	TEST_CHECK_EQUAL(rx(200, f, sizeof(f), NULL), -ENODEV);
	return TEST_SUCCESS;
}

/* RIM: an interrupt once the RCD count reaches the threshold. */
static int
test_rim_threshold_raises_vector(void)
{
	struct tq_rxq r;
	uint64_t rcd[8];
	uint8_t f[64];
	unsigned int v = 7;

	/* frozen time and a long RCQ timeout: only the threshold can fire */
	fbm_clock_set_virtual(h.dev, true, 1000000);
	tq_wr(&h, FBNIC_INTR_CQ_REARM(v), (uint32_t)(FBNIC_INTR_CQ_REARM_RCQ_TIMEOUT_UPD_EN |
		FBNIC_FIELD_PREP(FBNIC_INTR_CQ_REARM_RCQ_TIMEOUT, 1000)));
	tq_rxq_enable(&h, &r, 10, 64, 256, tq_rde_ctl0(0, false), MAX_HDR, v);
	tq_qwr(&h, 10, FBNIC_QUEUE_RIM_THRESHOLD, 4);
	tq_rxq_post(&h, &r, false, 4);
	tq_wr(&h, FBNIC_INTR_MASK_CLEAR(0), 1u << v);
	h.msix[v] = 0;
	fill(f, sizeof(f), 1);
	TEST_CHECK_EQUAL(rx(10, f, sizeof(f), NULL), 0);
	TEST_CHECK_EQUAL(h.msix[v], 0);
	TEST_CHECK_EQUAL(tq_qrd(&h, 10, FBNIC_QUEUE_RIM_COAL_STATUS) >> 16, 2);
	TEST_CHECK_EQUAL(rx(10, f, sizeof(f), NULL), 0);
	TEST_CHECK_EQUAL(h.msix[v], 1);
	TEST_CHECK_EQUAL(tq_qrd(&h, 10, FBNIC_QUEUE_RIM_COAL_STATUS) >> 16, 0);
	while (rcq_frame(&r, rcd))
		;

	/* below the threshold the RCQ timeout fires */
	tq_wr(&h, FBNIC_INTR_MASK_CLEAR(0), 1u << v);
	TEST_CHECK_EQUAL(rx(10, f, sizeof(f), NULL), 0);
	fbm_clock_advance(h.dev, 999000);
	fbm_poll(h.dev, 1);
	TEST_CHECK_EQUAL(h.msix[v], 1);
	fbm_clock_advance(h.dev, 2000);
	fbm_poll(h.dev, 1);
	TEST_CHECK_EQUAL(h.msix[v], 2);
	fbm_clock_set_virtual(h.dev, false, 0);
	return TEST_SUCCESS;
}

int
main(void)
{
	if (tq_open(&h)) {
		fprintf(stderr, "cannot create the model\n");
		return 1;
	}
	TK_RUN(test_small_frames_pack_one_hpq_buffer);
	TK_RUN(test_jumbo_spans_hpq_and_ppq);
	TK_RUN(test_payload_pack_none_gives_each_frame_its_buffers);
	TK_RUN(test_max_hdr_gives_one_frame_per_hpq_buffer);
	TK_RUN(test_no_ppq_drops_long_frames);
	TK_RUN(test_header_split_at_l4);
	TK_RUN(test_no_buffer_drops_are_counted);
	TK_RUN(test_rcq_full_drops_are_counted);
	TK_RUN(test_phase_bit_wraps_over_passes);
	TK_RUN(test_meta_and_opt_meta_fields);
	TK_RUN(test_drop_modes_wait_and_never);
	TK_RUN(test_padlen_shifts_header_data);
	TK_RUN(test_drop_never_loses_nothing);
	TK_RUN(test_disabled_queue_refuses);
	TK_RUN(test_rim_threshold_raises_vector);
	tq_close(&h);
	return tk_report("test_rx_place");
}
