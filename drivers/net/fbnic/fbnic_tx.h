/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

#ifndef _FBNIC_TX_H_
#define _FBNIC_TX_H_

/* Tx helpers shared by the scalar and the vector paths (private to the PMD). */

#include <stdbool.h>
#include <stdint.h>

#include <rte_mbuf.h>
#include <ethdev_driver.h>

#include "fbnic_rxtx.h"

/*
 * Tx offloads the vector paths handle; wider ports get the scalar path. The
 * IPv4 header checksum is tx_prepare's work, for every path.
 */
#define FBNIC_TX_VEC_OFFLOADS	(RTE_ETH_TX_OFFLOAD_MBUF_FAST_FREE | \
				 RTE_ETH_TX_OFFLOAD_IPV4_CKSUM | \
				 RTE_ETH_TX_OFFLOAD_TCP_CKSUM | RTE_ETH_TX_OFFLOAD_UDP_CKSUM)
#define FBNIC_TX_VEC_CSUM	(RTE_ETH_TX_OFFLOAD_TCP_CKSUM | RTE_ETH_TX_OFFLOAD_UDP_CKSUM)

/*
 * Vector Tx bursts (fbnic_tx_vec_*.c), chosen by fbnic_set_rxtx_functions:
 * one-segment frames; the _csum variants also act on TCP/UDP checksum
 * requests.
 */
uint16_t fbnic_xmit_pkts_sse(void *txq, struct rte_mbuf **tx_pkts, uint16_t nb_pkts);
uint16_t fbnic_xmit_pkts_sse_csum(void *txq, struct rte_mbuf **tx_pkts, uint16_t nb_pkts);
uint16_t fbnic_xmit_pkts_avx2(void *txq, struct rte_mbuf **tx_pkts, uint16_t nb_pkts);
uint16_t fbnic_xmit_pkts_avx2_csum(void *txq, struct rte_mbuf **tx_pkts, uint16_t nb_pkts);
uint16_t fbnic_xmit_pkts_avx512(void *txq, struct rte_mbuf **tx_pkts, uint16_t nb_pkts);
uint16_t fbnic_xmit_pkts_avx512_csum(void *txq, struct rte_mbuf **tx_pkts, uint16_t nb_pkts);

/* Largest META header fields (fbnic_hw.rst 3.1): lengths in 2- or 4-byte units. */
#define FBNIC_TX_MAX_L2_LEN	126
#define FBNIC_TX_MAX_L3_LEN	510
#define FBNIC_TX_MAX_L4_LEN	60

/*
 * Offsets in a tunnel frame the NIC has no L3 type for (fbnic_tx_tnl.c):
 * outer L3, outer L4 (the tunnel header), inner L3 and inner L4 headers,
 * and the header bytes in all (up to the end of the inner L4 header).
 */
struct fbnic_tnl {
	uint32_t o3;
	uint32_t o4;
	uint32_t i3;
	uint32_t i4;
	uint32_t hdr;
	bool udp;		/* an outer UDP header at o4 */
};

/* The tunnel offsets of m; 0, -EINVAL for bad lengths, -ENOTSUP for another tunnel. */
int fbnic_tnl_layout(const struct rte_mbuf *m, struct fbnic_tnl *t);
/*
 * Write, in the header copy h, the lengths and checksums of a segment of seg
 * payload bytes, the TCP sequence seq_add bytes on, and the TCP flags of a
 * part that is first and/or last of the frame.
 */
void fbnic_tnl_hdr_fix(uint8_t *h, uint64_t ol, const struct fbnic_tnl *t, uint32_t seg,
		       uint32_t seq_add, bool first, bool last);
/* tx_prepare of such a frame: 0 or a negative errno. */
int fbnic_tnl_prep(struct rte_mbuf *m);

/* A sw_ring slot's low bit: the segment belongs to a chain (mbufs are aligned). */
#define FBNIC_TX_SLOT_CHAINED	((uintptr_t)1)

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
/* The same for the bursts, without a count: returns the TWDs freed. */
uint32_t fbnic_tx_reap_all(struct fbnic_tx_queue *txq);
/* A full ring after a reap that freed `freed` TWDs: resets a stalled queue. */
void fbnic_tx_full(struct fbnic_tx_queue *txq, uint32_t freed);

/*
 * The scalar path's handling of one frame at *tail, for the frames a vector
 * step does not take (padding, a ring wrap, a full ring, a frame to drop):
 * false when the ring is full; a posted frame counts in *sent and *bytes,
 * and its META index goes to *meta_idx (fbnic_tx.c).
 */
bool fbnic_tx_put_one(struct fbnic_tx_queue *txq, struct rte_mbuf *m, uint32_t *tail,
		      uint32_t *room, uint32_t *meta_idx, uint64_t *sent, uint64_t *bytes);

/* TWDs a burst may fill, after a reap if fewer than free_thresh are left. */
static __rte_always_inline uint32_t
fbnic_tx_burst_room(struct fbnic_tx_queue *txq)
{
	uint32_t room = fbnic_tx_room(txq);

	if (room < txq->free_thresh) {
		fbnic_tx_reap_all(txq);
		room = fbnic_tx_room(txq);
	}
	return room;
}

/*
 * End of a burst that posted frames up to tail: its last META (meta_idx, or
 * UINT32_MAX for none) asks for a completion, and one doorbell publishes it.
 */
static __rte_always_inline void
fbnic_tx_publish(struct fbnic_tx_queue *txq, uint32_t tail, uint32_t meta_idx,
		 uint64_t packets, uint64_t bytes)
{
	if (meta_idx == UINT32_MAX)
		return;
	txq->twq[meta_idx] |= rte_cpu_to_le_64(FBNIC_TWD_FLAG_REQ_COMPLETION);
	txq->tail = tail;
	txq->stats.packets += packets;
	txq->stats.bytes += bytes;
	fbnic_db_write(txq->hw, txq->twq_tail_reg, tail);
}

#endif /* _FBNIC_TX_H_ */
