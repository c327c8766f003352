/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

#ifndef _FBNIC_RX_VEC_COMMON_H_
#define _FBNIC_RX_VEC_COMMON_H_

/*
 * What the buffer scheme's vector Rx paths share (fbnic_rx_vec_*.c): each
 * path loads and tests n frames' HDR_AL and META with its own vector width,
 * then the checks and stores below finish them.
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_mbuf.h>

#include "fbnic_rx.h"
#include "fbnic_rxtx.h"

/* The constants of one burst. */
struct fbnic_rx_vec {
	uint64_t hdr_want;	/* HDR_AL bits of a fast frame (DONE aside) */
	uint64_t meta_want;	/* META bits of a fast frame (DONE aside) */
	uint64_t ol;		/* ol_flags of every frame */
};

static __rte_always_inline void
fbnic_rx_vec_init(const struct fbnic_rx_queue *rxq, struct fbnic_rx_vec *v)
{
	v->hdr_want = (uint64_t)rxq->buf_first_off << 32 | FBNIC_RCD_AL_PAGE_FIN;
	v->meta_want = FBNIC_FIELD_PREP(FBNIC_RCD_TYPE_MASK, FBNIC_RCD_TYPE_META);
	v->ol = RTE_MBUF_F_EXTERNAL |
		(rxq->offloads & RTE_ETH_RX_OFFLOAD_RSS_HASH ? RTE_MBUF_F_RX_RSS_HASH : 0);
}

/*
 * n frames from RCQ position pos fit before the ring's end and the NIC
 * holds n buffers from head on. DONE is then the same for all of them.
 */
static __rte_always_inline bool
fbnic_rx_vec_room(const struct fbnic_rx_queue *rxq, uint32_t pos, uint16_t head, uint32_t n)
{
	return (pos & rxq->rcq_mask) + 2 * n <= rxq->rcq_mask + 1 &&
	       ((uint32_t)(rxq->hpq_tail - head) & rxq->bdq_mask) >= n;
}

/* The DONE bit a new entry at pos has (4.5). */
static __rte_always_inline uint64_t
fbnic_rx_vec_done(const struct fbnic_rx_queue *rxq, uint32_t pos)
{
	return pos & (rxq->rcq_mask + 1) ? 0 : FBNIC_RCD_DONE;
}

/* Each frame's buffer is the next posted one and its length fits the buffer. */
static __rte_always_inline bool
fbnic_rx_vec_lens(const struct fbnic_rx_queue *rxq, const uint64_t *hdr, uint16_t head,
		  uint32_t n, uint32_t *len)
{
	uint32_t k;

	for (k = 0; k < n; k++) {
		len[k] = FBNIC_FIELD_GET(FBNIC_RCD_AL_BUFF_LEN_MASK, hdr[k]);
		if (FBNIC_FIELD_GET(FBNIC_RCD_AL_BUFF_ID_MASK, hdr[k]) !=
		    ((head + k) & rxq->bdq_mask) || len[k] == 0 || len[k] > rxq->buf_max_len)
			return false;
	}
	return true;
}

/* The checksum variants: each frame's checksum flags, after the mbuf stores. */
static __rte_always_inline void
fbnic_rx_vec_csum(const struct fbnic_rx_queue *rxq, struct rte_mbuf **rx_pkts,
		  const uint64_t *meta, uint32_t n)
{
	uint32_t k;

	for (k = 0; k < n; k++)
		rx_pkts[k]->ol_flags |= fbnic_rx_csum_flags(rxq, rx_pkts[k], meta[k]);
}

#endif /* _FBNIC_RX_VEC_COMMON_H_ */
