/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

#ifndef _FBNIC_TX_VEC_COMMON_H_
#define _FBNIC_TX_VEC_COMMON_H_

/*
 * The loop of the vector Tx paths (fbnic_tx_vec_sse.c, _avx2.c, _avx512.c),
 * each compiled with its own ISA flags. They are chosen at configure time
 * for ports whose Tx offloads lie within FBNIC_TX_VEC_OFFLOADS: frames of
 * one segment, with an L4 checksum request in the "csum" variant.
 *
 * Four frames per step: their eight TWDs (META and LAST_AL each) are built
 * in registers and written with the path's widest stores, their mbufs go to
 * the AL slots of sw_ring. A step whose frames are not all full-sized,
 * within the NIC's reach and of one segment, or whose TWDs would wrap the
 * ring or not fit, posts its first frame through fbnic_tx_put_one (padding,
 * wrap, full ring, drop) and the loop goes on. Reaping and freeing are the
 * scalar path's, in bulk and without reading the TWDs; one doorbell and one
 * completion request per burst.
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_common.h>
#include <rte_mbuf.h>
#include <rte_tcp.h>
#include <rte_udp.h>

#include "fbnic_rxtx.h"
#include "fbnic_tx.h"

#define FBNIC_TX_VEC_FRAMES	4	/* frames per step: 8 TWDs, 64 bytes */

/* Write the TWDs of four frames: META and LAST_AL of each, in CPU order. */
typedef void (*fbnic_tx_store_t)(volatile uint64_t *twd, uint64_t meta0, uint64_t al0,
				 uint64_t meta1, uint64_t al1, uint64_t meta2, uint64_t al2,
				 uint64_t meta3, uint64_t al3);

/*
 * META and LAST_AL of a one-segment frame; with csum, its TCP or UDP
 * checksum request. false: a frame the step cannot take (short, out of the
 * NIC's reach, chained, or a request the NIC cannot carry out: SCTP,
 * header lengths the META cannot hold).
 */
static __rte_always_inline bool
fbnic_tx_vec_twds(const struct rte_mbuf *m, bool csum, uint64_t *meta, uint64_t *al)
{
	uint64_t iova = rte_mbuf_data_iova(m);
	uint32_t len = m->data_len;
	/* A Tx timestamp request is the scalar code's (REQ_TS). */
	bool ok = (m->nb_segs == 1) & (len >= FBNIC_TX_MIN_FRAME) &
		  (((iova + len - 1) & ~FBNIC_TWD_ADDR_MASK) == 0) &
		  ((m->ol_flags & RTE_MBUF_F_TX_IEEE1588_TMST) == 0);

	*al = FBNIC_TWD_TYPE(LAST_AL) | iova | FBNIC_FIELD_PREP(FBNIC_TWD_LEN_MASK, len);
	*meta = FBNIC_TWD_FLAG_DEST_MAC;
	if (csum) {
		uint64_t l4 = m->ol_flags & RTE_MBUF_F_TX_L4_MASK;
		uint32_t l2 = m->l2_len, l3 = m->l3_len;
		uint32_t off = l4 == RTE_MBUF_F_TX_TCP_CKSUM ?
			       offsetof(struct rte_tcp_hdr, cksum) :
			       offsetof(struct rte_udp_hdr, dgram_cksum);

		if (l4 != 0) {
			*meta |= FBNIC_TWD_FLAG_REQ_CSO |
				 FBNIC_FIELD_PREP(FBNIC_TWD_L2_HLEN_MASK, l2 / 2) |
				 FBNIC_FIELD_PREP(FBNIC_TWD_L3_IHLEN_MASK, l3 / 2) |
				 FBNIC_FIELD_PREP(FBNIC_TWD_CSUM_OFFSET_MASK, off / 2);
			/* A tunnel's headers are laid out by the scalar code. */
			ok &= (l4 == RTE_MBUF_F_TX_TCP_CKSUM || l4 == RTE_MBUF_F_TX_UDP_CKSUM) &
			      (((l2 | l3) & 1) == 0) & (l2 <= FBNIC_TX_MAX_L2_LEN) &
			      (l3 <= FBNIC_TX_MAX_L3_LEN) &
			      ((m->ol_flags & RTE_MBUF_F_TX_TUNNEL_MASK) == 0);
		}
	}
	return ok;
}

static __rte_always_inline uint16_t
fbnic_xmit_vec(struct fbnic_tx_queue *txq, struct rte_mbuf **pkts, uint16_t nb_pkts, bool csum,
	       fbnic_tx_store_t store)
{
	uint32_t tail = txq->tail, mask = txq->mask, meta_idx = UINT32_MAX, room;
	struct rte_mbuf **sw_ring = txq->sw_ring;
	volatile uint64_t *twq = txq->twq;
	uint64_t bytes = 0, sent = 0;
	uint16_t i = 0;

	if (unlikely(!txq->started))
		return 0;
	room = fbnic_tx_burst_room(txq);

	while (i < nb_pkts) {
		struct rte_mbuf *const *m = &pkts[i];
		uint64_t meta0, al0, meta1, al1, meta2, al2, meta3, al3;
		/* Slow-path state: its address is taken, the loop's is not. */
		uint32_t s_tail, s_room, s_meta;
		uint64_t s_sent, s_bytes;
		bool ok;

		if (likely(nb_pkts - i >= FBNIC_TX_VEC_FRAMES && room >= 2 * FBNIC_TX_VEC_FRAMES &&
			   tail + 2 * FBNIC_TX_VEC_FRAMES <= mask + 1)) {
			ok = fbnic_tx_vec_twds(m[0], csum, &meta0, &al0);
			ok &= fbnic_tx_vec_twds(m[1], csum, &meta1, &al1);
			ok &= fbnic_tx_vec_twds(m[2], csum, &meta2, &al2);
			ok &= fbnic_tx_vec_twds(m[3], csum, &meta3, &al3);
			if (likely(ok)) {
				store(&twq[tail], meta0, al0, meta1, al1, meta2, al2, meta3, al3);
				sw_ring[tail + 1] = m[0];
				sw_ring[tail + 3] = m[1];
				sw_ring[tail + 5] = m[2];
				sw_ring[tail + 7] = m[3];
				meta_idx = tail + 6;
				tail = (tail + 2 * FBNIC_TX_VEC_FRAMES) & mask;
				room -= 2 * FBNIC_TX_VEC_FRAMES;
				sent += FBNIC_TX_VEC_FRAMES;
				bytes += FBNIC_FIELD_GET(FBNIC_TWD_LEN_MASK, al0) +
					 FBNIC_FIELD_GET(FBNIC_TWD_LEN_MASK, al1) +
					 FBNIC_FIELD_GET(FBNIC_TWD_LEN_MASK, al2) +
					 FBNIC_FIELD_GET(FBNIC_TWD_LEN_MASK, al3);
				i += FBNIC_TX_VEC_FRAMES;
				continue;
			}
		}
		s_tail = tail;
		s_room = room;
		s_meta = meta_idx;
		s_sent = sent;
		s_bytes = bytes;
		ok = fbnic_tx_put_one(txq, m[0], &s_tail, &s_room, &s_meta, &s_sent, &s_bytes);
		tail = s_tail;
		room = s_room;
		meta_idx = s_meta;
		sent = s_sent;
		bytes = s_bytes;
		if (unlikely(!ok))
			break;
		i++;
	}
	fbnic_tx_publish(txq, tail, meta_idx, sent, bytes);
	return i;
}

#endif /* _FBNIC_TX_VEC_COMMON_H_ */
