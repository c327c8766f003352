/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

/*
 * AVX2 Rx path of the buffer scheme (fbnic_rx.h): eight frames per loop.
 * Two frames (HDR_AL, META, HDR_AL, META) are one 32-byte load; the loop
 * takes eight frames when all sixteen entries are new, each HDR_AL finishes
 * the next posted buffer at the first offset and each META has no error.
 * Each mbuf then gets one 32-byte store: rearm data, flags, packet type,
 * lengths and hash. Anything else, and the refill, doorbell and counters,
 * is the scalar code's (fbnic_rx_bufs_tail()). Built with -mavx2 and
 * chosen only on CPUs with AVX2 (fbnic_set_rxtx_functions()).
 */

#include <stdint.h>

#include <rte_common.h>
#include <rte_mbuf.h>
#include <rte_vect.h>

#include "fbnic_rx_vec_avx.h"

#define FBNIC_RX_VEC_FRAMES	8

/* csum: the checksum variant, for queues with Rx checksum offloads. */
static __rte_always_inline uint16_t
fbnic_rx_vec_avx2(void *rx_queue, struct rte_mbuf **rx_pkts, uint16_t nb_pkts, bool csum)
{
	struct fbnic_rx_queue *rxq = rx_queue;
	const __m256i sel = _mm256_set_epi64x((long long)FBNIC_RX_FAST_META_MASK,
					      (long long)FBNIC_RX_FAST_HDR_MASK,
					      (long long)FBNIC_RX_FAST_META_MASK,
					      (long long)FBNIC_RX_FAST_HDR_MASK);
	uint32_t pos = rxq->rcq_head;
	uint16_t head = rxq->hpq_head, nb_rx = 0;
	struct fbnic_rx_vec v;
	uint64_t bytes = 0;

	if (unlikely(!rxq->started))
		return 0;
	fbnic_rx_vec_init(rxq, &v);

	while (nb_pkts - nb_rx >= FBNIC_RX_VEC_FRAMES &&
	       fbnic_rx_vec_room(rxq, pos, head, FBNIC_RX_VEC_FRAMES)) {
		const volatile uint64_t *d = &rxq->rcq[pos & rxq->rcq_mask];
		uint64_t done = fbnic_rx_vec_done(rxq, pos), d64[2 * FBNIC_RX_VEC_FRAMES];
		uint64_t hdr[FBNIC_RX_VEC_FRAMES], meta[FBNIC_RX_VEC_FRAMES];
		uint32_t len[FBNIC_RX_VEC_FRAMES], k;
		__m256i r, want, ok;

		want = _mm256_set_epi64x((long long)(v.meta_want | done),
					 (long long)(v.hdr_want | done),
					 (long long)(v.meta_want | done),
					 (long long)(v.hdr_want | done));
		ok = _mm256_set1_epi8(-1);
		for (k = 0; k < FBNIC_RX_VEC_FRAMES / 2; k++) {
			r = _mm256_loadu_si256((const __m256i *)(uintptr_t)(d + 4 * k));
			ok = _mm256_and_si256(ok, _mm256_cmpeq_epi64(_mm256_and_si256(r, sel),
								     want));
			_mm256_storeu_si256((__m256i *)&d64[4 * k], r);
		}
		for (k = 0; k < FBNIC_RX_VEC_FRAMES; k++) {
			hdr[k] = d64[2 * k];
			meta[k] = d64[2 * k + 1];
		}
		if (_mm256_movemask_epi8(ok) != -1 ||
		    !fbnic_rx_vec_lens(rxq, hdr, head, FBNIC_RX_VEC_FRAMES, len))
			break;
		fbnic_rx_vec_deliver32(rxq, &v, rx_pkts + nb_rx, head, meta, len,
				       FBNIC_RX_VEC_FRAMES, &bytes);
		if (csum)
			fbnic_rx_vec_csum(rxq, rx_pkts + nb_rx, meta, FBNIC_RX_VEC_FRAMES);
		head = (uint16_t)((head + FBNIC_RX_VEC_FRAMES) & rxq->bdq_mask);
		pos += 2 * FBNIC_RX_VEC_FRAMES;
		nb_rx += FBNIC_RX_VEC_FRAMES;
	}
	rxq->hpq_head = head;
	return fbnic_rx_bufs_tail(rxq, rx_pkts, nb_rx, nb_pkts, pos, bytes);
}

uint16_t
fbnic_recv_pkts_bufs_avx2(void *rx_queue, struct rte_mbuf **rx_pkts, uint16_t nb_pkts)
{
	return fbnic_rx_vec_avx2(rx_queue, rx_pkts, nb_pkts, false);
}

uint16_t
fbnic_recv_pkts_bufs_avx2_csum(void *rx_queue, struct rte_mbuf **rx_pkts, uint16_t nb_pkts)
{
	return fbnic_rx_vec_avx2(rx_queue, rx_pkts, nb_pkts, true);
}
