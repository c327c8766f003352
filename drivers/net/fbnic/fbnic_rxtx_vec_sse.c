/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

/*
 * SSE Tx path: for ports without Tx offloads. A plain frame (one segment, at
 * least 60 bytes, no offload flags) is its META and LAST_AL written with one
 * 16-byte store; anything else goes to the scalar path, which handles every
 * case. Completion and doorbell rules are the scalar path's (fbnic_rxtx.c).
 */

#include <stdint.h>

#include <rte_common.h>
#include <rte_mbuf.h>
#include <rte_vect.h>

#include "fbnic_rxtx.h"
#include "fbnic_rxtx_vec_common.h"

#ifdef RTE_ARCH_X86

/* Frames with any of these flags are left to the scalar path. */
#define FBNIC_TX_SSE_UNHANDLED	(RTE_MBUF_F_TX_OFFLOAD_MASK & ~(RTE_MBUF_F_TX_IPV4 | \
							       RTE_MBUF_F_TX_IPV6))

uint16_t
fbnic_xmit_pkts_sse(void *tx_queue, struct rte_mbuf **tx_pkts, uint16_t nb_pkts)
{
	struct fbnic_tx_queue *txq = tx_queue;
	uint32_t mask = txq->mask, tail = txq->tail, meta_idx = 0, room;
	uint64_t bytes = 0;
	uint16_t nb_tx;

	if (unlikely(!txq->started))
		return 0;

	room = fbnic_tx_room(txq);
	if (room < txq->free_thresh) {
		fbnic_tx_reap(txq, UINT32_MAX);
		room = fbnic_tx_room(txq);
	}

	for (nb_tx = 0; nb_tx < nb_pkts; nb_tx++) {
		struct rte_mbuf *m = tx_pkts[nb_tx];
		uint64_t al;

		if (unlikely(m->nb_segs != 1 || m->pkt_len < FBNIC_TX_MIN_FRAME ||
			     (m->ol_flags & FBNIC_TX_SSE_UNHANDLED) || !fbnic_tx_seg_ok(m)))
			break;
		if (unlikely(room < 2)) {
			txq->tail = tail;
			fbnic_tx_full(txq, fbnic_tx_reap(txq, UINT32_MAX));
			room = fbnic_tx_room(txq);
			if (room < 2)
				break;
		}
		al = FBNIC_TWD_TYPE(LAST_AL) | (rte_mbuf_data_iova(m) & FBNIC_TWD_ADDR_MASK) |
		     FBNIC_FIELD_PREP(FBNIC_TWD_LEN_MASK, m->data_len);
		if (likely(tail != mask)) {
			/* META (low half) and LAST_AL (high half) in one store: little-endian. */
			_mm_storeu_si128((__m128i *)(uintptr_t)&txq->twq[tail],
					 _mm_set_epi64x((long long)al,
							(long long)FBNIC_TWD_FLAG_DEST_MAC));
		} else {
			txq->twq[tail] = rte_cpu_to_le_64(FBNIC_TWD_FLAG_DEST_MAC);
			txq->twq[0] = rte_cpu_to_le_64(al);
		}
		meta_idx = tail;
		/* The META slot keeps its NULL: only the AL slot holds the mbuf. */
		txq->sw_ring[(tail + 1) & mask] = m;
		tail = (tail + 2) & mask;
		room -= 2;
		bytes += m->pkt_len;
	}

	if (nb_tx != 0) {
		txq->twq[meta_idx] |= rte_cpu_to_le_64(FBNIC_TWD_FLAG_REQ_COMPLETION);
		txq->tail = tail;
		txq->stats.packets += nb_tx;
		txq->stats.bytes += bytes;
		fbnic_db_write(txq->hw, txq->twq_tail_reg, tail);
	}
	/* The rest (a frame this path does not handle, or a full ring) is the scalar path's. */
	if (unlikely(nb_tx < nb_pkts))
		nb_tx += fbnic_xmit_pkts(txq, tx_pkts + nb_tx, (uint16_t)(nb_pkts - nb_tx));
	return nb_tx;
}

#endif /* RTE_ARCH_X86 */
