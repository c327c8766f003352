/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

#ifndef _FBNIC_RXTX_VEC_COMMON_H_
#define _FBNIC_RXTX_VEC_COMMON_H_

/* Tx helpers shared by the scalar and the vector paths (private to the PMD). */

#include <stdbool.h>
#include <stdint.h>

#include <rte_mbuf.h>

#include "fbnic_rxtx.h"

#define FBNIC_TWD_TYPE(t)	FBNIC_FIELD_PREP(FBNIC_TWD_TYPE_MASK, FBNIC_TWD_TYPE_##t)

static __rte_always_inline uint32_t
fbnic_tx_used(const struct fbnic_tx_queue *txq)
{
	return (txq->tail - txq->head) & txq->mask;
}

/* TWDs a burst may still fill, keeping FBNIC_TX_GAP entries between tail and head. */
static __rte_always_inline uint32_t
fbnic_tx_room(const struct fbnic_tx_queue *txq)
{
	uint32_t unused = (txq->head - txq->tail - 1) & txq->mask;

	return unused > FBNIC_TX_GAP ? unused - FBNIC_TX_GAP : 0;
}

/* One segment the NIC can fetch: not empty, within its 46-bit reach. */
static __rte_always_inline bool
fbnic_tx_seg_ok(const struct rte_mbuf *seg)
{
	return seg->data_len != 0 &&
	       ((rte_mbuf_data_iova(seg) + seg->data_len - 1) & ~FBNIC_TWD_ADDR_MASK) == 0;
}

/*
 * Free the segments of sw_ring[head, end), at most max_frames frames;
 * returns the frames freed (fbnic_tx.c).
 */
uint32_t fbnic_tx_free_range(struct fbnic_tx_queue *txq, uint32_t end, uint32_t max_frames);
/* Read the TCQ and free every segment the NIC is done with (at most max_frames frames). */
uint32_t fbnic_tx_reap(struct fbnic_tx_queue *txq, uint32_t max_frames);
/* A full ring after a reap that freed `freed` frames: resets a stalled queue. */
void fbnic_tx_full(struct fbnic_tx_queue *txq, uint32_t freed);

#endif /* _FBNIC_RXTX_VEC_COMMON_H_ */
