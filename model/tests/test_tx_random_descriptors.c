/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

/*
 * Garbage from the host never crashes or hangs the datapath: random TWQ
 * descriptors (offload fields, lengths, addresses half inside host memory),
 * random HPQ/PPQ buffer descriptors and random RDE settings, polled a
 * bounded number of times. Afterwards the queues still carry good frames.
 */

#include <endian.h>
#include <string.h>

#include "fbm_harness.h"

#define ROUNDS		200u
#define DATA_SIZE	(256u << 10)

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint64_t
rnd(void)
{
	/* xorshift64* */
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 0x2545f4914f6cdd1dull;
}

static int
test_random_descriptors_are_survived(void)
{
	static uint8_t frame[128], got[2048];
	struct fbh_rx_info info;
	struct fbh_txq tq;
	struct fbh_rxq rq;
	uint64_t data_iova, *twq, *hpq, *ppq;
	uint32_t twq_mask, bdq_mask, i, r;
	uint8_t *data;
	uint8_t mac[6];
	struct fbh h;
	int len = -EAGAIN;

	TEST_CHECK_EQUAL(fbh_init(&h, NULL, 64u << 20), 0);
	h.quiet = true;
	TEST_CHECK_EQUAL(fbh_mbx_bringup(&h), 0);
	TEST_CHECK_EQUAL(fbm_wire_loopback(h.dev), 0);
	TEST_CHECK_EQUAL(fbh_port_up(&h, 5000000000ull), 0);
	TEST_CHECK_EQUAL(fbh_txq_enable(&h, &tq, 0, 8, 2), 0);
	TEST_CHECK_EQUAL(fbh_rxq_enable(&h, &rq, 0, NULL), 0);
	fbh_rpc_default_queue(&h, 0);
	data = fbh_alloc(&h, DATA_SIZE, FBH_PAGE, &data_iova);
	TEST_ASSERT_NOT_NULL(data);
	if (tk_failures != 0)
		return TEST_FAILED;
	for (i = 0; i < DATA_SIZE; i++)
		data[i] = (uint8_t)rnd();

	twq = tq.twq.va;
	twq_mask = tq.twq.entries - 1;
	hpq = rq.hpq.ring.va;
	ppq = rq.ppq.ring.va;
	bdq_mask = rq.hpq.ring.entries - 1;
	for (r = 0; r < ROUNDS; r++) {
		uint32_t n = 1 + (uint32_t)(rnd() % twq_mask);

		for (i = 0; i < n; i++) {
			uint64_t d = rnd();

			/* half of the addresses point into host memory */
			if (d & 1) {
				d &= ~FBNIC_TWD_ADDR_MASK;
				d |= data_iova + rnd() % DATA_SIZE;
			}
			twq[(tq.tail + i) & twq_mask] = htole64(d);
		}
		tq.tail += n;
		/* garbage BDs and placement settings on the RX side now and then */
		if (r % 7 == 3) {
			for (i = 0; i <= bdq_mask; i++) {
				uint64_t keep = rnd() & 1 ? ~0ull : 0xffff00000000f000ull;

				hpq[i] = htole64(rnd() & keep);
				ppq[i] = htole64(rnd());
			}
			fbh_wr(&h, FBNIC_QUEUE(0) + FBNIC_QUEUE_RDE_CTL0, (uint32_t)rnd());
			fbh_wr(&h, FBNIC_QUEUE(0) + FBNIC_QUEUE_RDE_CTL1, (uint32_t)rnd());
			fbh_wr(&h, FBNIC_QUEUE(0) + FBNIC_QUEUE_BDQ_HPQ_TAIL, (uint32_t)rnd());
			fbh_wr(&h, FBNIC_QUEUE(0) + FBNIC_QUEUE_BDQ_PPQ_TAIL, (uint32_t)rnd());
		} else if (r % 7 == 5) {
			/* and sane ones again: every buffer i at page i, all posted */
			for (i = 0; i <= bdq_mask; i++) {
				hpq[i] = htole64(((rq.hpq.pages_iova + (uint64_t)i * FBH_PAGE) &
						  FBNIC_BD_DESC_ADDR_MASK) |
						 FBNIC_FIELD_PREP(FBNIC_BD_DESC_ID_MASK, i));
				ppq[i] = htole64(((rq.ppq.pages_iova + (uint64_t)i * FBH_PAGE) &
						  FBNIC_BD_DESC_ADDR_MASK) |
						 FBNIC_FIELD_PREP(FBNIC_BD_DESC_ID_MASK, i));
			}
			fbh_wr(&h, FBNIC_QUEUE(0) + FBNIC_QUEUE_RDE_CTL0, 0);
			fbh_wr(&h, FBNIC_QUEUE(0) + FBNIC_QUEUE_RDE_CTL1,
			       (uint32_t)FBNIC_FIELD_PREP(FBNIC_QUEUE_RDE_CTL1_MAX_HDR_MASK, 1536));
			fbh_wr(&h, FBNIC_QUEUE(0) + FBNIC_QUEUE_BDQ_HPQ_TAIL,
			       (fbh_rd(&h, FBNIC_QUEUE(0) + FBNIC_QUEUE_BDQ_HPQ_PTRS) >> 16) - 1);
			fbh_wr(&h, FBNIC_QUEUE(0) + FBNIC_QUEUE_BDQ_PPQ_TAIL,
			       (fbh_rd(&h, FBNIC_QUEUE(0) + FBNIC_QUEUE_BDQ_PPQ_PTRS) >> 16) - 1);
		}
		fbh_tx_doorbell(&h, &tq);
		for (i = 0; i < 4; i++)
			fbh_poll(&h);
		/* the host consumes whatever completions appear */
		fbh_wr(&h, FBNIC_QUEUE(0) + FBNIC_QUEUE_TCQ_HEAD,
		       fbh_rd(&h, FBNIC_QUEUE(0) + FBNIC_QUEUE_TCQ_PTRS) >> 16);
		fbh_wr(&h, FBNIC_QUEUE(0) + FBNIC_QUEUE_RCQ_HEAD,
		       fbh_rd(&h, FBNIC_QUEUE(0) + FBNIC_QUEUE_RCQ_PTRS) >> 16);
		/* resynchronise with the NIC's head for the next round */
		tq.tail = fbh_rd(&h, FBNIC_QUEUE(0) + FBNIC_QUEUE_TWQ0_PTRS) >> 16;
	}
	/* both kinds happened: rejected requests and frames that made it through */
	TEST_CHECK(fbh_rd(&h, FBNIC_QUEUE(0) + FBNIC_QUEUE_TWQ0_ERR_CNT) > 0);
	TEST_CHECK(fbh_rd(&h, FBNIC_QUEUE(0) + FBNIC_QUEUE_TWQ0_PKT_CNT) > 0);
	TEST_CHECK(fbh_rd(&h, FBNIC_QUEUE(0) + FBNIC_QUEUE_RDE_PKT_CNT) > 0);

	/* a clean restart of both triads carries a good frame again */
	fbh_txq_disable(&h, &tq);
	fbh_rxq_disable(&h, &rq);
	TEST_CHECK_EQUAL(fbh_txq_enable(&h, &tq, 0, 8, 2), 0);
	TEST_CHECK_EQUAL(fbh_rxq_enable(&h, &rq, 0, NULL), 0);
	fbh_dsn_to_mac(h.cfg.dsn, mac);
	tk_frame_udp4(frame, sizeof(frame), mac, mac, 3);
	TEST_CHECK_EQUAL(fbh_tx_send(&h, &tq, frame, sizeof(frame), 0), 0);
	for (i = 0; i < 100 && len == -EAGAIN; i++) {
		fbh_poll(&h);
		len = fbh_rx_recv(&h, &rq, got, sizeof(got), &info);
	}
	TEST_CHECK_EQUAL(len, sizeof(frame));
	TEST_CHECK(memcmp(got, frame, sizeof(frame)) == 0);
	fbh_fini(&h);
	return TEST_SUCCESS;
}

int
main(void)
{
	TK_RUN(test_random_descriptors_are_survived);
	return tk_report("test_tx_random_descriptors");
}
