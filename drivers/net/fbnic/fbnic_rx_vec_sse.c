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

#include "fbnic_rx.h"
#include "fbnic_rxtx.h"

#define FBNIC_RX_VEC_FRAMES	4

uint16_t
fbnic_recv_pkts_bufs_sse(void *rx_queue, struct rte_mbuf **rx_pkts, uint16_t nb_pkts)
{
	struct fbnic_rx_queue *rxq = rx_queue;
	const uint32_t mask = rxq->rcq_mask, entries = mask + 1;
	const uint16_t bmask = rxq->bdq_mask;
	const uint64_t hdr_want = (uint64_t)rxq->buf_first_off << 32 | FBNIC_RCD_AL_PAGE_FIN;
	const uint64_t meta_want = FBNIC_FIELD_PREP(FBNIC_RCD_TYPE_MASK, FBNIC_RCD_TYPE_META);
	const uint64_t ol = RTE_MBUF_F_EXTERNAL | (rxq->offloads & RTE_ETH_RX_OFFLOAD_RSS_HASH ?
						   RTE_MBUF_F_RX_RSS_HASH : 0);
	const __m128i sel = _mm_set_epi64x((long long)FBNIC_RX_FAST_META_MASK,
					   (long long)FBNIC_RX_FAST_HDR_MASK);
	const __m128i rearm = _mm_set_epi64x((long long)ol, (long long)rxq->mbuf_initializer);
	uint32_t pos = rxq->rcq_head, max_len = rxq->buf_max_len;
	uint16_t head = rxq->hpq_head, nb_rx = 0;
	uint64_t bytes = 0;

	if (unlikely(!rxq->started))
		return 0;

	while (nb_pkts - nb_rx >= FBNIC_RX_VEC_FRAMES) {
		const volatile uint64_t *d = &rxq->rcq[pos & mask];
		uint64_t done = pos & entries ? 0 : FBNIC_RCD_DONE, hdr[FBNIC_RX_VEC_FRAMES];
		uint32_t len[FBNIC_RX_VEC_FRAMES], k;
		__m128i r[FBNIC_RX_VEC_FRAMES], want, ok;

		/* Not across the ring's end, and only buffers the NIC holds. */
		if ((pos & mask) + 2 * FBNIC_RX_VEC_FRAMES > entries ||
		    ((rxq->hpq_tail - head) & bmask) < FBNIC_RX_VEC_FRAMES)
			break;
		want = _mm_set_epi64x((long long)(meta_want | done), (long long)(hdr_want | done));
		ok = _mm_set1_epi8(-1);
		for (k = 0; k < FBNIC_RX_VEC_FRAMES; k++) {
			r[k] = _mm_loadu_si128((const __m128i *)(uintptr_t)(d + 2 * k));
			ok = _mm_and_si128(ok, _mm_cmpeq_epi64(_mm_and_si128(r[k], sel), want));
		}
		if (_mm_movemask_epi8(ok) != 0xffff)
			break;
		for (k = 0; k < FBNIC_RX_VEC_FRAMES; k++) {
			hdr[k] = (uint64_t)_mm_cvtsi128_si64(r[k]);
			len[k] = FBNIC_FIELD_GET(FBNIC_RCD_AL_BUFF_LEN_MASK, hdr[k]);
			if (FBNIC_FIELD_GET(FBNIC_RCD_AL_BUFF_ID_MASK, hdr[k]) !=
			    ((head + k) & bmask) || len[k] == 0 || len[k] > max_len)
				goto tail;
		}
		for (k = 0; k < FBNIC_RX_VEC_FRAMES; k++) {
			struct rte_mbuf *m = rxq->bufs[(head + k) & bmask];
			uint64_t meta = (uint64_t)_mm_extract_epi64(r[k], 1);
			uint8_t *f = (uint8_t *)m + FBNIC_MBUF_REARM_OFF;

			_mm_storeu_si128((__m128i *)f, rearm);
			_mm_storeu_si128((__m128i *)(f + 16),
					 _mm_set_epi32((int)(uint32_t)meta, (int)len[k],
						       (int)len[k],
						       (int)fbnic_rx_meta_ptype(meta)));
			rx_pkts[nb_rx + k] = m;
			bytes += len[k];
		}
		head = (uint16_t)((head + FBNIC_RX_VEC_FRAMES) & bmask);
		pos += 2 * FBNIC_RX_VEC_FRAMES;
		nb_rx += FBNIC_RX_VEC_FRAMES;
	}
tail:
	rxq->hpq_head = head;
	return fbnic_rx_bufs_tail(rxq, rx_pkts, nb_rx, nb_pkts, pos, bytes);
}
