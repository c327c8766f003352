/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

/*
 * AVX-512 Rx path of the buffer scheme (fbnic_rx.h): eight frames per loop.
 * Four frames (HDR_AL, META, ...) are one 64-byte load; the loop
 * takes eight frames when all sixteen entries are new, each HDR_AL finishes
 * the next posted buffer at the first offset and each META has no error.
 * Each mbuf then gets one 32-byte store: rearm data, flags, packet type,
 * lengths and hash. Anything else, and the refill, doorbell and counters,
 * is the scalar code's (fbnic_rx_bufs_tail()). Built with -mavx512f and
 * chosen only on CPUs with AVX512F, at a 512-bit SIMD width.
 */

#include <stdint.h>

#include <rte_common.h>
#include <rte_mbuf.h>
#include <rte_vect.h>

#include "fbnic_rx_vec_avx.h"

#define FBNIC_RX_VEC_FRAMES	8

/* csum: the checksum variant, for queues with Rx checksum offloads. */
static __rte_always_inline uint16_t
fbnic_rx_vec_avx512(void *rx_queue, struct rte_mbuf **rx_pkts, uint16_t nb_pkts, bool csum)
{
	struct fbnic_rx_queue *rxq = rx_queue;
	const __m512i sel = _mm512_set_epi64((long long)FBNIC_RX_FAST_META_MASK,
					     (long long)FBNIC_RX_FAST_HDR_MASK,
					     (long long)FBNIC_RX_FAST_META_MASK,
					     (long long)FBNIC_RX_FAST_HDR_MASK,
					     (long long)FBNIC_RX_FAST_META_MASK,
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
		__mmask8 ok = 0xff;
		__m512i r, want;

		/* Four frames per load: HDR_AL in the even lanes, META in the odd. */
		want = _mm512_set4_epi64((long long)(v.meta_want | done),
					 (long long)(v.hdr_want | done),
					 (long long)(v.meta_want | done),
					 (long long)(v.hdr_want | done));
		for (k = 0; k < FBNIC_RX_VEC_FRAMES / 4; k++) {
			r = _mm512_loadu_si512((const void *)(uintptr_t)(d + 8 * k));
			ok &= _mm512_cmpeq_epi64_mask(_mm512_and_si512(r, sel), want);
			_mm512_storeu_si512(&d64[8 * k], r);
		}
		for (k = 0; k < FBNIC_RX_VEC_FRAMES; k++) {
			hdr[k] = d64[2 * k];
			meta[k] = d64[2 * k + 1];
		}
		if (ok != 0xff || !fbnic_rx_vec_lens(rxq, hdr, head, FBNIC_RX_VEC_FRAMES, len))
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
fbnic_recv_pkts_bufs_avx512(void *rx_queue, struct rte_mbuf **rx_pkts, uint16_t nb_pkts)
{
	return fbnic_rx_vec_avx512(rx_queue, rx_pkts, nb_pkts, false);
}

uint16_t
fbnic_recv_pkts_bufs_avx512_csum(void *rx_queue, struct rte_mbuf **rx_pkts, uint16_t nb_pkts)
{
	return fbnic_rx_vec_avx512(rx_queue, rx_pkts, nb_pkts, true);
}
