/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

#ifndef _FBNIC_RX_VEC_AVX_H_
#define _FBNIC_RX_VEC_AVX_H_

/* The 32-byte mbuf stores of the AVX2 and AVX-512 Rx paths (built with AVX2 or more). */

#include <stdint.h>

#include <rte_mbuf.h>
#include <rte_vect.h>

#include "fbnic_rx_vec_common.h"

/*
 * n frames into the mbufs of buffers head..: rearm data, flags, packet type,
 * lengths and hash, one 32-byte store each.
 */
static __rte_always_inline void
fbnic_rx_vec_deliver32(struct fbnic_rx_queue *rxq, const struct fbnic_rx_vec *v,
		       struct rte_mbuf **rx_pkts, uint16_t head, const uint64_t *meta,
		       const uint32_t *len, uint32_t n, uint64_t *bytes)
{
	uint32_t k;

	for (k = 0; k < n; k++) {
		struct rte_mbuf *m = rxq->bufs[(head + k) & rxq->bdq_mask];

		_mm256_storeu_si256((__m256i *)((uint8_t *)m + FBNIC_MBUF_REARM_OFF),
				    _mm256_set_epi32((int)(uint32_t)meta[k], (int)len[k],
						     (int)len[k],
						     (int)fbnic_rx_meta_ptype(meta[k]),
						     (int)(v->ol >> 32), (int)(uint32_t)v->ol,
						     (int)(rxq->mbuf_initializer >> 32),
						     (int)(uint32_t)rxq->mbuf_initializer));
		rx_pkts[k] = m;
		*bytes += len[k];
	}
}

#endif /* _FBNIC_RX_VEC_AVX_H_ */
