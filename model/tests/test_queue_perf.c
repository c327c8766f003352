/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

/*
 * Datapath cost: 64-byte frames from a TX queue of port A over a cable to
 * an RX queue of port B, both ports polled by this one thread (what one
 * engine thread does). The host side is kept minimal: a pre-filled TWQ, a
 * TCQ reader, and an RCQ reader that recycles HPQ buffers on PAGE_FIN.
 *
 * Prints the model's cost per frame (time inside fbm_poll() of both ports).
 * As a test it only fails on functional errors (lost or reordered frames)
 * or a pathological cost, so that a loaded machine does not make it flaky;
 * run it with an argument (frame count) for a measurement, and "engine" as
 * a second argument to let an engine thread poll both ports while this
 * thread plays the host (then the rate is frames over wall time).
 */

#include <endian.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fbm_harness.h"

#define BURST		32u
#define LOG2_TWQ	10u
#define LOG2_BDQ	8u
#define LOG2_RCQ	11u

struct port {
	struct fbh h;
	struct fbh_txq tq;
	struct fbh_rxq rq;
};

static struct port pa, pb;

static uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int
port_up(struct port *p, bool tx)
{
	struct fbh_rxq_conf conf;

	if (fbh_init(&p->h, NULL, 64u << 20) < 0 || fbh_mbx_bringup(&p->h) < 0)
		return -1;
	p->h.quiet = true;
	if (tx)
		return fbh_txq_enable(&p->h, &p->tq, 0, LOG2_TWQ, 2);
	fbh_rxq_conf_default(&conf);
	conf.log2_hpq = LOG2_BDQ;
	conf.log2_ppq = LOG2_BDQ;
	conf.log2_rcq = LOG2_RCQ;
	conf.hroom = 128;
	conf.troom = 320;
	conf.drop_mode = FBNIC_QUEUE_RDE_CTL0_DROP_IMMEDIATE;
	if (fbh_rxq_enable(&p->h, &p->rq, 0, &conf) < 0)
		return -1;
	fbh_rpc_default_queue(&p->h, 0);
	return 0;
}

static uint64_t frames = 200000;
static bool use_engine;

/* Frames from port A's TWQ reach port B's RCQ, all of them, at a sane cost. */
static int
test_wire_throughput_between_two_ports(void)
{
	struct fbm_engine *eng = NULL;
	uint64_t t_start, deadline;
	uint64_t sent = 0, recvd = 0, t_model = 0, t0, t1, iter;
	static uint8_t frame[64];
	struct fbh_txq *tq = &pb.tq;
	uint32_t twq_mask, rcq_mask, hpq_mask, i;
	uint64_t buf_iova, *twq, *rcq;
	uint32_t tail = 0, head = 0, rhead = 0;
	uint8_t mac[6];
	void *buf;

	TEST_ASSERT(port_up(&pa, true) >= 0 && port_up(&pb, false) >= 0 &&
		    fbm_wire_connect(pa.h.dev, pb.h.dev) >= 0 &&
		    fbh_port_up(&pa.h, 5000000000ull) >= 0 &&
		    fbh_port_up(&pb.h, 5000000000ull) >= 0, "set-up failed");
	tq = &pa.tq;
	fbh_dsn_to_mac(pb.h.cfg.dsn, mac);
	tk_frame_udp4(frame, sizeof(frame), mac, mac, 1);
	buf = fbh_alloc(&pa.h, 64, 64, &buf_iova);
	memcpy(buf, frame, sizeof(frame));

	/* every TWQ slot pair is META + LAST_AL of the same buffer */
	twq = tq->twq.va;
	twq_mask = tq->twq.entries - 1;
	for (i = 0; i < tq->twq.entries; i += 2) {
		bool last = (i / 2) % BURST == BURST - 1;

		twq[i] = htole64(FBNIC_FIELD_PREP(FBNIC_TWD_TYPE_MASK, FBNIC_TWD_TYPE_META) |
				 FBNIC_TWD_FLAG_DEST_MAC |
				 (last ? FBNIC_TWD_FLAG_REQ_COMPLETION : 0));
		twq[i + 1] = htole64(FBNIC_FIELD_PREP(FBNIC_TWD_TYPE_MASK, FBNIC_TWD_TYPE_LAST_AL) |
				     FBNIC_FIELD_PREP(FBNIC_TWD_ADDR_MASK, buf_iova) |
				     FBNIC_FIELD_PREP(FBNIC_TWD_LEN_MASK, sizeof(frame)));
	}
	rcq = pb.rq.rcq.va;
	rcq_mask = pb.rq.rcq.entries - 1;
	hpq_mask = pb.rq.hpq.ring.entries - 1;
	/* every HPQ slot i holds page i (ID i), so a slot can be re-posted as is */
	for (i = 0; i <= hpq_mask; i++)
		((uint64_t *)pb.rq.hpq.ring.va)[i] =
			htole64(((pb.rq.hpq.pages_iova + (uint64_t)i * FBH_PAGE) &
				 FBNIC_BD_DESC_ADDR_MASK) |
				FBNIC_FIELD_PREP(FBNIC_BD_DESC_ID_MASK, i));

	if (use_engine)
		TEST_ASSERT(fbm_engine_create(&eng) >= 0 && fbm_engine_add(eng, pa.h.dev) >= 0 &&
			    fbm_engine_add(eng, pb.h.dev) >= 0 && fbm_engine_start(eng) >= 0,
			    "engine set-up failed");
	t_start = now_ns();
	deadline = t_start + 20000000000ull;
	for (iter = 0; recvd < frames && (use_engine ? now_ns() < deadline : iter < frames * 4);
	     iter++) {
		uint64_t *tcq = tq->tcq.va;
		uint32_t tcq_mask = tq->tcq.entries - 1;

		/* host TX: keep the TWQ full in bursts */
		while (((head - tail - 2) & twq_mask) >= 2 * BURST && sent < frames) {
			tail = (tail + 2 * BURST) & twq_mask;
			sent += BURST;
		}
		fbm_write32(pa.h.dev, 0, FBNIC_CSR_BYTE(FBNIC_QUEUE(0) + FBNIC_QUEUE_TWQ0_TAIL),
			    tail);

		if (!use_engine) {
			t0 = now_ns();
			fbm_poll(pa.h.dev, 64);
			fbm_poll(pb.h.dev, 64);
			t1 = now_ns();
			t_model += t1 - t0;
		}

		/* host TX completions */
		for (;;) {
			uint32_t lg = __builtin_ctz(tq->tcq.entries);
			uint64_t d = le64toh(((volatile uint64_t *)tcq)[tq->tcq_head & tcq_mask]);

			if ((uint32_t)(d >> 63) == ((tq->tcq_head >> lg) & 1))
				break;
			head = FBNIC_FIELD_GET(FBNIC_TCD_TYPE0_HEAD0_MASK, d);
			tq->tcq_head++;
		}
		fbm_write32(pa.h.dev, 0, FBNIC_CSR_BYTE(FBNIC_QUEUE(0) + FBNIC_QUEUE_TCQ_HEAD),
			    tq->tcq_head & tcq_mask);

		/* host RX: count METAs, repost HPQ buffers the NIC finished */
		for (;;) {
			uint32_t lg = __builtin_ctz(pb.rq.rcq.entries);
			uint64_t d = le64toh(((volatile uint64_t *)rcq)[rhead & rcq_mask]);

			if ((uint32_t)(d >> 63) == ((rhead >> lg) & 1))
				break;
			if (FBNIC_FIELD_GET(FBNIC_RCD_TYPE_MASK, d) == FBNIC_RCD_TYPE_META)
				recvd++;
			else if (d & FBNIC_RCD_AL_PAGE_FIN)
				pb.rq.hpq.tail++;
			rhead++;
		}
		fbm_write32(pb.h.dev, 0, FBNIC_CSR_BYTE(FBNIC_QUEUE(0) + FBNIC_QUEUE_RCQ_HEAD),
			    rhead & rcq_mask);
		fbm_write32(pb.h.dev, 0, FBNIC_CSR_BYTE(FBNIC_QUEUE(0) + FBNIC_QUEUE_BDQ_HPQ_TAIL),
			    pb.rq.hpq.tail & hpq_mask);
	}

	if (use_engine) {
		t_model = now_ns() - t_start;
		fbm_engine_stop(eng);
		fbm_engine_destroy(eng);
	}
	printf("frames sent %llu received %llu, %s %.1f ns/frame (%.2f Mpps)\n",
	       (unsigned long long)sent, (unsigned long long)recvd,
	       use_engine ? "engine thread, wall time" : "model",
	       recvd ? (double)t_model / (double)recvd : 0.0,
	       t_model ? (double)recvd * 1000.0 / (double)t_model : 0.0);
	TEST_CHECK_EQUAL(recvd, frames);
	TEST_CHECK_EQUAL(fbm_dma_errors(pb.h.dev), 0);
	TEST_CHECK_EQUAL(fbh_rd(&pb.h, FBNIC_QUEUE(0) + FBNIC_QUEUE_RDE_BDQ_DROP_CNT), 0);
	TEST_CHECK_EQUAL(fbh_rd(&pb.h, FBNIC_QUEUE(0) + FBNIC_QUEUE_RDE_CQ_DROP_CNT), 0);
	/* far beyond any sane cost: only catches a pathological slow path */
	TEST_CHECK(recvd == 0 || t_model / recvd < 20000);
	fbh_fini(&pa.h);
	fbh_fini(&pb.h);
	return TEST_SUCCESS;
}

/* Arguments: frames (default 200000), "engine" to run the engine thread. */
int
main(int argc, char **argv)
{
	if (argc > 1)
		frames = strtoull(argv[1], NULL, 0);
	use_engine = argc > 2 && strcmp(argv[2], "engine") == 0;
	TK_RUN(test_wire_throughput_between_two_ports);
	return tk_report("test_queue_perf");
}
