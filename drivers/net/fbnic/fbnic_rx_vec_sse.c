/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

/*
 * SSE4.2 Rx path of the buffer scheme (fbnic_rx.h): four frames per loop.
 * A frame is two RCQ entries, HDR_AL then META: one 16-byte load. The loop
 * takes four frames when all eight entries are new, each HDR_AL finishes
 * the next posted buffer at the first offset and each META has no error;
 * it then writes each mbuf with two 16-byte stores (rearm data and flags;
 * packet type, lengths and hash). Anything else, and the refill, doorbell
 * and counters, is the scalar code's (fbnic_rx_bufs_tail()).
 */

#include <stdint.h>

#include <rte_common.h>
#include <rte_mbuf.h>
#include <rte_vect.h>

#include "fbnic_rx_vec_common.h"

#define FBNIC_RX_VEC_FRAMES	4

/* csum: the checksum variant, for queues with Rx checksum offloads. */
static __rte_always_inline uint16_t
fbnic_rx_vec_sse(void *rx_queue, struct rte_mbuf **rx_pkts, uint16_t nb_pkts, bool csum)
{
	struct fbnic_rx_queue *rxq = rx_queue;
	const __m128i sel = _mm_set_epi64x((long long)FBNIC_RX_FAST_META_MASK,
					   (long long)FBNIC_RX_FAST_HDR_MASK);
	uint32_t pos = rxq->rcq_head;
	uint16_t head = rxq->hpq_head, nb_rx = 0;
	struct fbnic_rx_vec v;
	uint64_t bytes = 0;
	__m128i rearm;

	if (unlikely(!rxq->started))
		return 0;
	fbnic_rx_vec_init(rxq, &v);
	rearm = _mm_set_epi64x((long long)v.ol, (long long)rxq->mbuf_initializer);

	while (nb_pkts - nb_rx >= FBNIC_RX_VEC_FRAMES &&
	       fbnic_rx_vec_room(rxq, pos, head, FBNIC_RX_VEC_FRAMES)) {
		const volatile uint64_t *d = &rxq->rcq[pos & rxq->rcq_mask];
		uint64_t done = fbnic_rx_vec_done(rxq, pos), hdr[FBNIC_RX_VEC_FRAMES];
		uint32_t len[FBNIC_RX_VEC_FRAMES], k;
		__m128i r[FBNIC_RX_VEC_FRAMES], want, ok;

		want = _mm_set_epi64x((long long)(v.meta_want | done),
				      (long long)(v.hdr_want | done));
		ok = _mm_set1_epi8(-1);
		for (k = 0; k < FBNIC_RX_VEC_FRAMES; k++) {
			r[k] = _mm_loadu_si128((const __m128i *)(uintptr_t)(d + 2 * k));
			ok = _mm_and_si128(ok, _mm_cmpeq_epi64(_mm_and_si128(r[k], sel), want));
			hdr[k] = (uint64_t)_mm_cvtsi128_si64(r[k]);
		}
		if (_mm_movemask_epi8(ok) != 0xffff ||
		    !fbnic_rx_vec_lens(rxq, hdr, head, FBNIC_RX_VEC_FRAMES, len))
			break;
		for (k = 0; k < FBNIC_RX_VEC_FRAMES; k++) {
			struct rte_mbuf *m = rxq->bufs[(head + k) & rxq->bdq_mask];
			uint64_t meta = (uint64_t)_mm_extract_epi64(r[k], 1);
			uint8_t *f = (uint8_t *)m + FBNIC_MBUF_REARM_OFF;

			_mm_storeu_si128((__m128i *)f, rearm);
			_mm_storeu_si128((__m128i *)(f + 16),
					 _mm_set_epi32((int)(uint32_t)meta, (int)len[k],
						       (int)len[k],
						       (int)fbnic_rx_meta_ptype(meta)));
			if (csum)
				m->ol_flags |= fbnic_rx_csum_flags(rxq, m, meta);
			rx_pkts[nb_rx + k] = m;
			bytes += len[k];
		}
		head = (uint16_t)((head + FBNIC_RX_VEC_FRAMES) & rxq->bdq_mask);
		pos += 2 * FBNIC_RX_VEC_FRAMES;
		nb_rx += FBNIC_RX_VEC_FRAMES;
	}
	rxq->hpq_head = head;
	return fbnic_rx_bufs_tail(rxq, rx_pkts, nb_rx, nb_pkts, pos, bytes);
}

uint16_t
fbnic_recv_pkts_bufs_sse(void *rx_queue, struct rte_mbuf **rx_pkts, uint16_t nb_pkts)
{
	return fbnic_rx_vec_sse(rx_queue, rx_pkts, nb_pkts, false);
}

uint16_t
fbnic_recv_pkts_bufs_sse_csum(void *rx_queue, struct rte_mbuf **rx_pkts, uint16_t nb_pkts)
{
	return fbnic_rx_vec_sse(rx_queue, rx_pkts, nb_pkts, true);
}
