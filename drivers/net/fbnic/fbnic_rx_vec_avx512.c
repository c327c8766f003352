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

#include "fbnic_rx.h"
#include "fbnic_rxtx.h"

#define FBNIC_RX_VEC_FRAMES	8

uint16_t
fbnic_recv_pkts_bufs_avx512(void *rx_queue, struct rte_mbuf **rx_pkts, uint16_t nb_pkts)
{
	struct fbnic_rx_queue *rxq = rx_queue;
	const uint32_t mask = rxq->rcq_mask, entries = mask + 1;
	const uint16_t bmask = rxq->bdq_mask;
	const uint64_t hdr_want = (uint64_t)rxq->buf_first_off << 32 | FBNIC_RCD_AL_PAGE_FIN;
	const uint64_t meta_want = FBNIC_FIELD_PREP(FBNIC_RCD_TYPE_MASK, FBNIC_RCD_TYPE_META);
	const uint64_t ol = RTE_MBUF_F_EXTERNAL | (rxq->offloads & RTE_ETH_RX_OFFLOAD_RSS_HASH ?
						   RTE_MBUF_F_RX_RSS_HASH : 0);
	const __m512i sel = _mm512_set_epi64((long long)FBNIC_RX_FAST_META_MASK,
					     (long long)FBNIC_RX_FAST_HDR_MASK,
					     (long long)FBNIC_RX_FAST_META_MASK,
					     (long long)FBNIC_RX_FAST_HDR_MASK,
					     (long long)FBNIC_RX_FAST_META_MASK,
					     (long long)FBNIC_RX_FAST_HDR_MASK,
					     (long long)FBNIC_RX_FAST_META_MASK,
					     (long long)FBNIC_RX_FAST_HDR_MASK);
	uint32_t pos = rxq->rcq_head, max_len = rxq->buf_max_len;
	uint16_t head = rxq->hpq_head, nb_rx = 0;
	uint64_t bytes = 0;

	if (unlikely(!rxq->started))
		return 0;

	while (nb_pkts - nb_rx >= FBNIC_RX_VEC_FRAMES) {
		const volatile uint64_t *d = &rxq->rcq[pos & mask];
		uint64_t done = pos & entries ? 0 : FBNIC_RCD_DONE, hdr[FBNIC_RX_VEC_FRAMES];
		uint64_t meta[FBNIC_RX_VEC_FRAMES];
		uint32_t len[FBNIC_RX_VEC_FRAMES], k;
		__m512i r[FBNIC_RX_VEC_FRAMES / 4], want;
		uint64_t d64[2 * FBNIC_RX_VEC_FRAMES];
		__mmask8 ok = 0xff;

		/* Not across the ring's end, and only buffers the NIC holds. */
		if ((pos & mask) + 2 * FBNIC_RX_VEC_FRAMES > entries ||
		    ((rxq->hpq_tail - head) & bmask) < FBNIC_RX_VEC_FRAMES)
			break;
		want = _mm512_set_epi64((long long)(meta_want | done),
					(long long)(hdr_want | done),
					(long long)(meta_want | done),
					(long long)(hdr_want | done),
					(long long)(meta_want | done),
					(long long)(hdr_want | done),
					(long long)(meta_want | done),
					(long long)(hdr_want | done));
		for (k = 0; k < FBNIC_RX_VEC_FRAMES / 4; k++) {
			r[k] = _mm512_loadu_si512((const void *)(uintptr_t)(d + 8 * k));
			ok &= _mm512_cmpeq_epi64_mask(_mm512_and_si512(r[k], sel), want);
		}
		if (ok != 0xff)
			break;
		for (k = 0; k < FBNIC_RX_VEC_FRAMES / 4; k++)
			_mm512_storeu_si512(&d64[8 * k], r[k]);
		for (k = 0; k < FBNIC_RX_VEC_FRAMES; k++) {
			hdr[k] = d64[2 * k];
			meta[k] = d64[2 * k + 1];
			len[k] = FBNIC_FIELD_GET(FBNIC_RCD_AL_BUFF_LEN_MASK, hdr[k]);
			if (FBNIC_FIELD_GET(FBNIC_RCD_AL_BUFF_ID_MASK, hdr[k]) !=
			    ((head + k) & bmask) || len[k] == 0 || len[k] > max_len)
				goto tail;
		}
		for (k = 0; k < FBNIC_RX_VEC_FRAMES; k++) {
			struct rte_mbuf *m = rxq->bufs[(head + k) & bmask];

			_mm256_storeu_si256((__m256i *)((uint8_t *)m + FBNIC_MBUF_REARM_OFF),
					    _mm256_set_epi32((int)(uint32_t)meta[k], (int)len[k],
							     (int)len[k],
							     (int)fbnic_rx_meta_ptype(meta[k]),
							     (int)(ol >> 32), (int)(uint32_t)ol,
							     (int)(rxq->mbuf_initializer >> 32),
							     (int)(uint32_t)rxq->mbuf_initializer));
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
