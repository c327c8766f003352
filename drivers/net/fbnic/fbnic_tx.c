/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

/*
 * Scalar Tx path (fbnic_hw.rst 3.1, 3.2, 4.3): every frame is META + AL... +
 * LAST_AL in TWQ0; only the last frame of a burst asks for a completion, and
 * the doorbell is rung once per burst. The TCQ reports how far the NIC has
 * read TWQ0 (HEAD0): every mbuf segment before that index is freed. Also
 * tx_prepare, done_cleanup and descriptor status. The values the device
 * reports are checked before use; a bad one is counted in bad_desc.
 */

#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_net.h>
#include <rte_tcp.h>
#include <rte_udp.h>
#include <ethdev_driver.h>

#include "fbnic_ethdev.h"
#include "fbnic_logs.h"
#include "fbnic_rxtx.h"
#include "fbnic_tx.h"
#include "fbnic_txrx_hw.h"

/* mbuf Tx flags the Tx path acts on; any other offload request is refused by tx_prepare. */
#define FBNIC_TX_OL_FLAGS	(RTE_MBUF_F_TX_IP_CKSUM | RTE_MBUF_F_TX_L4_MASK | \
				 RTE_MBUF_F_TX_TCP_SEG | RTE_MBUF_F_TX_UDP_SEG | \
				 RTE_MBUF_F_TX_IPV4 | RTE_MBUF_F_TX_IPV6 | \
				 RTE_MBUF_F_TX_TUNNEL_MASK | RTE_MBUF_F_TX_OUTER_IPV6 | \
				 RTE_MBUF_F_TX_OUTER_IPV4 | RTE_MBUF_F_TX_OUTER_IP_CKSUM | \
				 RTE_MBUF_F_TX_OUTER_UDP_CKSUM | RTE_MBUF_F_TX_IEEE1588_TMST)
/* Software checksums of tunnel headers, tx_prepare's (fbnic_tx_tnl.c). */
#define FBNIC_TX_OL_OUTER	(RTE_MBUF_F_TX_OUTER_IP_CKSUM | RTE_MBUF_F_TX_OUTER_UDP_CKSUM)
#define FBNIC_TX_OL_L4		(RTE_MBUF_F_TX_L4_MASK | RTE_MBUF_F_TX_TCP_SEG | \
				 RTE_MBUF_F_TX_UDP_SEG)
#define FBNIC_TX_OL_SEG		(RTE_MBUF_F_TX_TCP_SEG | RTE_MBUF_F_TX_UDP_SEG)

/*
 * Return the segments in sw_ring[head, end) to their pools, in bulk where
 * possible; with count, stop after max_frames frames (their ends are read
 * from the TWDs). Returns frames freed with count, else TWDs passed.
 */
static __rte_always_inline uint32_t
fbnic_tx_free_segs(struct fbnic_tx_queue *txq, uint32_t end, uint32_t max_frames, bool count)
{
	struct rte_mbuf *batch[64];
	struct rte_mempool *pool = NULL;
	uint32_t head = txq->head, frames = 0, n = 0;
	const bool fast = txq->offloads & RTE_ETH_TX_OFFLOAD_MBUF_FAST_FREE;

	while (head != end) {
		uintptr_t slot = (uintptr_t)txq->sw_ring[head];
		struct rte_mbuf *m = (struct rte_mbuf *)(slot & ~FBNIC_TX_SLOT_CHAINED);
		uint32_t idx = head;

		txq->sw_ring[head] = NULL;
		head = (head + 1) & txq->mask;
		if (m != NULL && fast) {
			/*
			 * MBUF_FAST_FREE: one reference, direct or pinned buffers,
			 * no reference count to drop; the pool's invariants (no
			 * next, one segment) are restored for segments of chains,
			 * which their slot marks: a lone segment's second cache
			 * line is not read. Batches still follow the pools,
			 * whatever was promised.
			 */
			if (unlikely(slot & FBNIC_TX_SLOT_CHAINED)) {
				m->next = NULL;
				m->nb_segs = 1;
			}
		} else if (m != NULL) {
			m = rte_pktmbuf_prefree_seg(m);
		}
		if (m != NULL) {
			if (n == RTE_DIM(batch) || (n > 0 && m->pool != pool)) {
				rte_mempool_put_bulk(pool, (void **)batch, n);
				n = 0;
			}
			pool = m->pool;
			batch[n++] = m;
		}
		if (count) {
			uint64_t twd = rte_le_to_cpu_64(txq->twq[idx]);

			if (FBNIC_FIELD_GET(FBNIC_TWD_TYPE_MASK, twd) == FBNIC_TWD_TYPE_LAST_AL &&
			    ++frames == max_frames)
				break;
		}
	}
	if (n > 0)
		rte_mempool_put_bulk(pool, (void **)batch, n);
	frames = count ? frames : (head - txq->head) & txq->mask;
	txq->head = head;
	return frames;
}

uint32_t
fbnic_tx_free_range(struct fbnic_tx_queue *txq, uint32_t end, uint32_t max_frames)
{
	return fbnic_tx_free_segs(txq, end, max_frames, true);
}

/* A TWQ0 head from the device must lie in [head, tail]: the TWDs we posted. */
static __rte_always_inline bool
fbnic_tx_head_ok(const struct fbnic_tx_queue *txq, uint32_t hw_head)
{
	return hw_head <= txq->mask &&
	       ((hw_head - txq->head) & txq->mask) <= fbnic_tx_used(txq);
}

/*
 * Consume the new TCQ entries: the last TWQ0 head they report is kept in
 * hw_head. Type-1 (timestamp) entries and TWQ1 heads are skipped. The
 * consumed head goes back to TCQ_HEAD.
 */
static void
fbnic_tcq_clean(struct fbnic_tx_queue *txq)
{
	uint32_t entries = txq->mask + 1;
	uint32_t head = txq->tcq_head;
	uint32_t i;

	for (i = 0; i < entries; i++) {
		uint64_t tcd = fbnic_cmpl_read(txq->tcq, head & txq->mask);

		if (!fbnic_cmpl_new(tcd, head, entries))
			break;
		/* The DONE bit is checked; only now may the rest of the entry be trusted. */
		rte_io_rmb();
		tcd = fbnic_cmpl_read(txq->tcq, head & txq->mask);
		if (FBNIC_FIELD_GET(FBNIC_TCD_TYPE_MASK, tcd) == FBNIC_TCD_TYPE_0 &&
		    !(tcd & FBNIC_TCD_TWQ1)) {
			uint32_t h = FBNIC_FIELD_GET(FBNIC_TCD_TYPE0_HEAD0_MASK, tcd);

			if (likely(fbnic_tx_head_ok(txq, h)))
				txq->hw_head = h;
			else
				txq->stats.bad_desc++;
		}
		head++;
	}
	if (head != txq->tcq_head) {
		txq->tcq_head = head;
		fbnic_wr32(txq->hw, txq->tcq_head_reg, head & txq->mask);
	}
}

/* Free what the NIC has finished; returns frames freed (at most max_frames). */
uint32_t
fbnic_tx_reap(struct fbnic_tx_queue *txq, uint32_t max_frames)
{
	fbnic_tcq_clean(txq);
	if (txq->hw_head == txq->head)
		return 0;
	return fbnic_tx_free_segs(txq, txq->hw_head, max_frames, true);
}

/* The bursts' reap: free everything the NIC has read; returns the TWDs passed. */
uint32_t
fbnic_tx_reap_all(struct fbnic_tx_queue *txq)
{
	fbnic_tcq_clean(txq);
	if (txq->hw_head == txq->head)
		return 0;
	return fbnic_tx_free_segs(txq, txq->hw_head, UINT32_MAX, false);
}

/*
 * The ring is full and the reap freed `freed` TWDs. A device whose head
 * does not move for FBNIC_TX_STALL_MS with the link up has lost the queue:
 * reset it (the frames it holds are dropped and counted, every mbuf freed).
 */
void
fbnic_tx_full(struct fbnic_tx_queue *txq, uint32_t freed)
{
	uint64_t now;
	int ret;

	if (freed != 0 || !txq->hw->link_up) {
		txq->stall_since = 0;
		return;
	}
	now = rte_get_timer_cycles();
	if (txq->stall_since == 0 || txq->stall_head != txq->hw_head) {
		txq->stall_since = now;
		txq->stall_head = txq->hw_head;
		return;
	}
	if (now - txq->stall_since < rte_get_timer_hz() / 1000 * FBNIC_TX_STALL_MS)
		return;
	PMD_TX_LOG(ERR, "port %u: Tx queue %u: head stuck at %u for %u ms with %u descriptors "
		   "pending: resetting the queue", txq->port_id, txq->queue_id, txq->hw_head,
		   FBNIC_TX_STALL_MS, fbnic_tx_used(txq));
	txq->stats.resets++;
	txq->stall_since = 0;
	fbnic_tx_queue_stop(&rte_eth_devices[txq->port_id], txq->queue_id);
	ret = fbnic_tx_queue_start(&rte_eth_devices[txq->port_id], txq->queue_id);
	if (ret != 0)
		PMD_TX_LOG(ERR, "port %u: Tx queue %u: restart after reset failed: %d",
			   txq->port_id, txq->queue_id, ret);
}

/*
 * The headers before L4 as the META counts them: the (outer) L2 header,
 * for IPv6 in IPv6 the outer IPv6 header (o3), then the IP header before
 * L4 (i3). IPv6 in IPv6 is the one tunnel the NIC segments itself
 * (L3_TYPE V6V6, fbnic_hw.rst 3.1): in DPDK's terms RTE_MBUF_F_TX_TUNNEL_IPIP
 * with an outer and an inner IPv6 header and no inner L2 (l2_len 0).
 * For a checksum in another tunnel, o3 is everything between the outer L2
 * and the inner IP header (fbnic_tx_tnl.c segments those). false for a
 * tunnel without an outer IP type.
 */
/* IPv6 in IPv6, the tunnel the NIC parses (L3_TYPE V6V6). */
static __rte_always_inline bool
fbnic_tx_v6v6(const struct rte_mbuf *m)
{
	uint64_t ol = m->ol_flags;

	return (ol & RTE_MBUF_F_TX_TUNNEL_MASK) == RTE_MBUF_F_TX_TUNNEL_IPIP &&
	       (ol & RTE_MBUF_F_TX_OUTER_IPV6) && (ol & RTE_MBUF_F_TX_IPV6);
}

static __rte_always_inline bool
fbnic_tx_hdr_lens(const struct rte_mbuf *m, uint32_t *l2, uint32_t *o3, uint32_t *i3)
{
	uint64_t ol = m->ol_flags;

	*i3 = m->l3_len;
	if (likely(!(ol & RTE_MBUF_F_TX_TUNNEL_MASK))) {
		*l2 = m->l2_len;
		*o3 = 0;
		return true;
	}
	*l2 = m->outer_l2_len;
	*o3 = m->outer_l3_len;
	if (!(ol & FBNIC_TX_OL_SEG) && !fbnic_tx_v6v6(m)) {
		*o3 += m->l2_len;
		return (ol & (RTE_MBUF_F_TX_OUTER_IPV4 | RTE_MBUF_F_TX_OUTER_IPV6)) != 0;
	}
	return fbnic_tx_v6v6(m) && m->l2_len == 0 && *o3 >= sizeof(struct rte_ipv6_hdr) &&
	       *o3 <= FBNIC_TX_MAX_L3_LEN;
}

/* META checksum and segmentation fields of one frame (fbnic_hw.rst 3.1). */
static __rte_always_inline bool
fbnic_tx_offload_meta(struct rte_mbuf *m, uint64_t *meta)
{
	uint64_t ol = m->ol_flags;
	uint32_t l2, o3, l3, csum_off, l3_type;

	/* The IPv4 header checksum is tx_prepare's (software) but with TSO. */
	if (!(ol & FBNIC_TX_OL_L4))
		return true;

	if (unlikely(!fbnic_tx_hdr_lens(m, &l2, &o3, &l3) || (l2 | o3 | l3) & 1 ||
		     l2 > FBNIC_TX_MAX_L2_LEN || o3 + l3 > 2 * FBNIC_TX_MAX_L3_LEN))
		return false;

	if (ol & FBNIC_TX_OL_SEG) {
		bool tcp = ol & RTE_MBUF_F_TX_TCP_SEG;
		uint32_t l4 = m->l4_len;

		if (unlikely(l4 & 3 || l4 > FBNIC_TX_MAX_L4_LEN || m->tso_segsz == 0 ||
			     m->tso_segsz > FBNIC_FIELD_GET(FBNIC_TWD_MSS_MASK, UINT64_MAX)))
			return false;
		csum_off = tcp ? offsetof(struct rte_tcp_hdr, cksum) :
				 offsetof(struct rte_udp_hdr, dgram_cksum);
		l3_type = o3 != 0 ? FBNIC_TWD_L3_TYPE_V6V6 : (ol & RTE_MBUF_F_TX_IPV4) ?
			  FBNIC_TWD_L3_TYPE_IPV4 : FBNIC_TWD_L3_TYPE_IPV6;
		/* The outer IPv6 header has its own length field; the inner follows. */
		*meta |= FBNIC_FIELD_PREP(FBNIC_TWD_L3_OHLEN_MASK, o3 / 2);
		if (unlikely(l3 > FBNIC_TX_MAX_L3_LEN))
			return false;
		*meta |= FBNIC_TWD_FLAG_REQ_LSO |
			 FBNIC_FIELD_PREP(FBNIC_TWD_L3_TYPE_MASK, l3_type) |
			 FBNIC_FIELD_PREP(FBNIC_TWD_L4_TYPE_MASK, tcp ? FBNIC_TWD_L4_TYPE_TCP :
					  FBNIC_TWD_L4_TYPE_UDP) |
			 FBNIC_FIELD_PREP(FBNIC_TWD_L4_HLEN_MASK, l4 / 4) |
			 FBNIC_FIELD_PREP(FBNIC_TWD_MSS_MASK, m->tso_segsz);
	} else {
		switch (ol & RTE_MBUF_F_TX_L4_MASK) {
		case RTE_MBUF_F_TX_TCP_CKSUM:
			csum_off = offsetof(struct rte_tcp_hdr, cksum);
			break;
		case RTE_MBUF_F_TX_UDP_CKSUM:
			csum_off = offsetof(struct rte_udp_hdr, dgram_cksum);
			break;
		default:
			return false;	/* SCTP CRC32c: not in the NIC */
		}
		/* The checksum starts after both IP headers, as Linux counts it. */
		l3 += o3;
		if (unlikely(l3 > FBNIC_TX_MAX_L3_LEN))
			return false;
		*meta |= FBNIC_TWD_FLAG_REQ_CSO;
	}
	*meta |= FBNIC_FIELD_PREP(FBNIC_TWD_L2_HLEN_MASK, l2 / 2) |
		 FBNIC_FIELD_PREP(FBNIC_TWD_L3_IHLEN_MASK, l3 / 2) |
		 FBNIC_FIELD_PREP(FBNIC_TWD_CSUM_OFFSET_MASK, csum_off / 2);
	return true;
}

/* Segments of a frame the Tx path can describe: all fetchable, not too many. */
static __rte_always_inline bool
fbnic_tx_segs_ok(const struct rte_mbuf *m)
{
	const struct rte_mbuf *seg;

	if (likely(m->nb_segs == 1))
		return fbnic_tx_seg_ok(m);
	if (unlikely(m->nb_segs > FBNIC_TX_MAX_SEGS))
		return false;
	for (seg = m; seg != NULL; seg = seg->next)
		if (unlikely(!fbnic_tx_seg_ok(seg)))
			return false;
	return true;
}

static void
fbnic_tx_drop(struct fbnic_tx_queue *txq, struct rte_mbuf *m)
{
	txq->stats.drops++;
	rte_pktmbuf_free(m);
}

/*
 * The ring has fewer than need free TWDs: reap once (the tail published
 * first). A reset queue drops this burst's frames so far. false if the
 * ring is still too full.
 */
static __rte_always_inline bool
fbnic_tx_make_room(struct fbnic_tx_queue *txq, uint32_t need, uint32_t *tail, uint32_t *room,
		   uint32_t *meta_idx, uint64_t *sent, uint64_t *bytes)
{
	uint32_t t = *tail;

	txq->tail = t;
	fbnic_tx_full(txq, fbnic_tx_reap_all(txq));
	if (unlikely(txq->tail != t)) {
		/* The queue was reset: this burst's frames so far are dropped. */
		*tail = txq->tail;
		*meta_idx = UINT32_MAX;
		*sent = 0;
		*bytes = 0;
	}
	*room = fbnic_tx_room(txq);
	return need <= *room;
}

/* Segmentation of a tunnel the NIC has no L3 type for (all but IPv6 in IPv6). */
static __rte_always_inline bool
fbnic_tx_partial(const struct rte_mbuf *m)
{
	return (m->ol_flags & FBNIC_TX_OL_SEG) && (m->ol_flags & RTE_MBUF_F_TX_TUNNEL_MASK) &&
	       !fbnic_tx_v6v6(m);
}

/*
 * A tunnel frame to segment with L3_TYPE OTHER (fbnic_tx_tnl.c): up to two
 * NIC frames, the whole MSS segments and the remainder, each META + an AL
 * for its header copy + ALs for its payload bytes of m. A segment of m goes
 * in the slot of the last AL that reads it; the first, if only its header
 * copy is read, in the first META's slot. Frames it cannot take are dropped
 * and counted; false when the ring is full.
 */
static __rte_noinline bool
fbnic_tx_put_partial(struct fbnic_tx_queue *txq, struct rte_mbuf *m, uint32_t *tail,
		     uint32_t *room, uint32_t *meta_idx, uint64_t *sent, uint64_t *bytes)
{
	uint64_t ol = m->ol_flags, meta;
	uint32_t mss = m->tso_segsz, start[2], end[2], need = 0, nparts = 0, p, t, pay, full;
	bool tcp = ol & RTE_MBUF_F_TX_TCP_SEG;
	struct rte_mbuf *hm[2] = { NULL, NULL }, *seg;
	struct fbnic_tnl tl;
	volatile uint64_t *twd;

	if (unlikely(fbnic_tnl_layout(m, &tl) != 0 || (ol & FBNIC_TX_OL_SEG) == FBNIC_TX_OL_SEG ||
		     mss < FBNIC_TX_MIN_MSS || mss > FBNIC_TX_MAX_MSS ||
		     m->l4_len & 3 || m->l4_len > FBNIC_TX_MAX_L4_LEN ||
		     m->l4_len < (tcp ? sizeof(struct rte_tcp_hdr) : sizeof(struct rte_udp_hdr)) ||
		     m->pkt_len <= tl.hdr || m->pkt_len > FBNIC_TX_MAX_TSO))
		goto drop;
	pay = m->pkt_len - tl.hdr;
	full = pay / mss * mss;
	if (full != 0) {
		start[nparts] = tl.hdr;
		end[nparts++] = tl.hdr + full;
	}
	if (full != pay) {
		start[nparts] = tl.hdr + full;
		end[nparts++] = m->pkt_len;
	}
	/* META and header AL per part, and an AL per segment piece. */
	for (p = 0; p < nparts; p++) {
		uint32_t so = 0;

		need += 2;
		for (seg = m; seg != NULL; so += seg->data_len, seg = seg->next)
			need += so < end[p] && so + seg->data_len > start[p];
	}
	if (unlikely(need > *room) &&
	    !fbnic_tx_make_room(txq, need, tail, room, meta_idx, sent, bytes))
		return false;

	for (p = 0; p < nparts; p++) {
		hm[p] = rte_pktmbuf_alloc(m->pool);
		if (unlikely(hm[p] == NULL)) {
			/* Not sent, not lost: the application tries again. */
			rte_pktmbuf_free(hm[0]);
			txq->stats.nombuf++;
			return false;
		}
		if (unlikely(rte_pktmbuf_tailroom(hm[p]) < tl.hdr))
			goto drop;
		memcpy(rte_pktmbuf_mtod(hm[p], uint8_t *), rte_pktmbuf_mtod(m, uint8_t *), tl.hdr);
		hm[p]->data_len = (uint16_t)tl.hdr;
		hm[p]->pkt_len = tl.hdr;
		fbnic_tnl_hdr_fix(rte_pktmbuf_mtod(hm[p], uint8_t *), ol, &tl,
				  RTE_MIN(mss, end[p] - start[p]), start[p] - tl.hdr, p == 0,
				  p + 1 == nparts);
	}

	meta = FBNIC_TWD_FLAG_DEST_MAC | FBNIC_TWD_FLAG_REQ_LSO |
	       FBNIC_FIELD_PREP(FBNIC_TWD_L3_TYPE_MASK, FBNIC_TWD_L3_TYPE_OTHER) |
	       FBNIC_FIELD_PREP(FBNIC_TWD_L4_TYPE_MASK, tcp ? FBNIC_TWD_L4_TYPE_TCP :
				FBNIC_TWD_L4_TYPE_UDP) |
	       FBNIC_FIELD_PREP(FBNIC_TWD_L4_HLEN_MASK, m->l4_len / 4) |
	       FBNIC_FIELD_PREP(FBNIC_TWD_MSS_MASK, mss) |
	       FBNIC_FIELD_PREP(FBNIC_TWD_L2_HLEN_MASK, tl.o3 / 2) |
	       FBNIC_FIELD_PREP(FBNIC_TWD_L3_IHLEN_MASK, (tl.i4 - tl.o3) / 2) |
	       FBNIC_FIELD_PREP(FBNIC_TWD_CSUM_OFFSET_MASK,
				(tcp ? offsetof(struct rte_tcp_hdr, cksum) :
				 offsetof(struct rte_udp_hdr, dgram_cksum)) / 2);
	if (unlikely(ol & RTE_MBUF_F_TX_IEEE1588_TMST) && txq->ts_req)
		meta |= FBNIC_TWD_FLAG_REQ_TS;

	t = *tail;
	for (p = 0; p < nparts; p++) {
		uint32_t so = 0;

		*meta_idx = t;
		txq->twq[t] = rte_cpu_to_le_64(meta);
		/* The first segment, if no AL reads it, is freed with the first part. */
		txq->sw_ring[t] = p == 0 && m->data_len == tl.hdr ? m : NULL;
		if (txq->sw_ring[t] != NULL && m->nb_segs > 1)
			txq->sw_ring[t] = (struct rte_mbuf *)((uintptr_t)m | FBNIC_TX_SLOT_CHAINED);
		t = (t + 1) & txq->mask;
		twd = &txq->twq[t];
		*twd = rte_cpu_to_le_64(FBNIC_TWD_TYPE(AL) |
					(rte_mbuf_data_iova(hm[p]) & FBNIC_TWD_ADDR_MASK) |
					FBNIC_FIELD_PREP(FBNIC_TWD_LEN_MASK, tl.hdr));
		txq->sw_ring[t] = hm[p];
		t = (t + 1) & txq->mask;
		for (seg = m; seg != NULL; so += seg->data_len, seg = seg->next) {
			uint32_t from = RTE_MAX(so, start[p]);
			uint32_t to = RTE_MIN(so + seg->data_len, end[p]);

			if (from >= to)
				continue;
			twd = &txq->twq[t];
			*twd = rte_cpu_to_le_64(FBNIC_TWD_TYPE(AL) |
						((rte_mbuf_data_iova(seg) + from - so) &
						 FBNIC_TWD_ADDR_MASK) |
						FBNIC_FIELD_PREP(FBNIC_TWD_LEN_MASK, to - from));
			/* This part reads the segment's last byte: it frees it. */
			if (so + seg->data_len <= end[p])
				txq->sw_ring[t] = m->nb_segs == 1 ? seg :
					(struct rte_mbuf *)((uintptr_t)seg | FBNIC_TX_SLOT_CHAINED);
			else
				txq->sw_ring[t] = NULL;
			t = (t + 1) & txq->mask;
		}
		*twd |= rte_cpu_to_le_64(FBNIC_TWD_TYPE(LAST_AL));
	}
	*tail = t;
	*room -= need;
	*sent += 1;
	*bytes += m->pkt_len;
	return true;

drop:
	rte_pktmbuf_free(hm[0]);
	rte_pktmbuf_free(hm[1]);
	fbnic_tx_drop(txq, m);
	return true;
}

/*
 * Post one frame at *tail: META, an AL per segment, and a padding AL for a
 * frame under the minimum; the last AL is LAST_AL. *room TWDs are free; a
 * full ring is reaped once (the tail published first). A frame the NIC
 * cannot take is dropped and counted. A posted frame updates *meta_idx,
 * *sent and *bytes. Returns false, taking nothing, when the ring is full.
 */
static __rte_always_inline bool
fbnic_tx_put(struct fbnic_tx_queue *txq, struct rte_mbuf *m, uint32_t *tail, uint32_t *room,
	     uint32_t *meta_idx, uint64_t *sent, uint64_t *bytes)
{
	uint32_t pad = m->pkt_len < FBNIC_TX_MIN_FRAME ? FBNIC_TX_MIN_FRAME - m->pkt_len : 0;
	uint32_t need = 1 + m->nb_segs + (pad != 0), t = *tail, mask = txq->mask;
	uint64_t meta = FBNIC_TWD_FLAG_DEST_MAC;
	volatile uint64_t *twd = NULL;
	struct rte_mbuf *seg;

	/* A frame the ring could never take is dropped before it can block the queue. */
	if (unlikely(!fbnic_tx_segs_ok(m))) {
		fbnic_tx_drop(txq, m);
		return true;
	}
	if (unlikely(fbnic_tx_partial(m)))
		return fbnic_tx_put_partial(txq, m, tail, room, meta_idx, sent, bytes);
	if (unlikely(need > *room)) {
		if (!fbnic_tx_make_room(txq, need, tail, room, meta_idx, sent, bytes))
			return false;
		t = *tail;
	}
	if (unlikely((m->ol_flags & (FBNIC_TX_OL_L4 | RTE_MBUF_F_TX_IP_CKSUM)) &&
		     !fbnic_tx_offload_meta(m, &meta))) {
		fbnic_tx_drop(txq, m);
		return true;
	}
	/* The Tx time comes back in a type-1 TCD (fbnic_hw.rst 3.2, fbnic_ptp.c). */
	if (unlikely(m->ol_flags & RTE_MBUF_F_TX_IEEE1588_TMST) && txq->ts_req)
		meta |= FBNIC_TWD_FLAG_REQ_TS;

	*meta_idx = t;
	txq->twq[t] = rte_cpu_to_le_64(meta);
	t = (t + 1) & mask;
	for (seg = m; seg != NULL; seg = seg->next) {
		twd = &txq->twq[t];
		*twd = rte_cpu_to_le_64(FBNIC_TWD_TYPE(AL) |
					(rte_mbuf_data_iova(seg) & FBNIC_TWD_ADDR_MASK) |
					FBNIC_FIELD_PREP(FBNIC_TWD_LEN_MASK, seg->data_len));
		txq->sw_ring[t] = m->nb_segs == 1 ? seg :
				  (struct rte_mbuf *)((uintptr_t)seg | FBNIC_TX_SLOT_CHAINED);
		t = (t + 1) & mask;
	}
	if (unlikely(pad != 0)) {
		/* The NIC does not pad: a last AL of zero bytes does (Linux pads too). */
		twd = &txq->twq[t];
		*twd = rte_cpu_to_le_64(FBNIC_TWD_TYPE(AL) | (txq->pad_iova & FBNIC_TWD_ADDR_MASK) |
					FBNIC_FIELD_PREP(FBNIC_TWD_LEN_MASK, pad));
		txq->sw_ring[t] = NULL;
		t = (t + 1) & mask;
	}
	*twd |= rte_cpu_to_le_64(FBNIC_TWD_TYPE(LAST_AL));
	*tail = t;
	*room -= need;
	*sent += 1;
	*bytes += m->pkt_len + pad;
	return true;
}

bool
fbnic_tx_put_one(struct fbnic_tx_queue *txq, struct rte_mbuf *m, uint32_t *tail, uint32_t *room,
		 uint32_t *meta_idx, uint64_t *sent, uint64_t *bytes)
{
	return fbnic_tx_put(txq, m, tail, room, meta_idx, sent, bytes);
}

uint16_t
fbnic_xmit_pkts(void *tx_queue, struct rte_mbuf **tx_pkts, uint16_t nb_pkts)
{
	struct fbnic_tx_queue *txq = tx_queue;
	uint32_t tail = txq->tail, meta_idx = UINT32_MAX, room;
	uint64_t bytes = 0, sent = 0;
	uint16_t nb_tx;

	if (unlikely(!txq->started))
		return 0;
	room = fbnic_tx_burst_room(txq);
	for (nb_tx = 0; nb_tx < nb_pkts; nb_tx++)
		if (unlikely(!fbnic_tx_put(txq, tx_pkts[nb_tx], &tail, &room, &meta_idx, &sent,
					   &bytes)))
			break;
	fbnic_tx_publish(txq, tail, meta_idx, sent, bytes);
	return nb_tx;
}

/* Checks and pseudo-header sums the Tx path needs (rte_eth_tx_prepare). */
static int
fbnic_prep_one(struct rte_mbuf *m)
{
	uint64_t ol = m->ol_flags;
	uint32_t hdr, l4_off, l2, o3, i3;
	bool seg = ol & FBNIC_TX_OL_SEG;
	uint16_t *csum;
	void *l3;

	if (ol & ~FBNIC_TX_OL_FLAGS & RTE_MBUF_F_TX_OFFLOAD_MASK)
		return -ENOTSUP;
	if (m->nb_segs > FBNIC_TX_MAX_SEGS || !fbnic_tx_segs_ok(m))
		return -EINVAL;
	if (!seg && m->pkt_len > FBNIC_TX_MAX_FRAME)
		return -EINVAL;
	if (!(ol & (FBNIC_TX_OL_L4 | RTE_MBUF_F_TX_IP_CKSUM | FBNIC_TX_OL_OUTER)))
		return 0;

	/* Tunnels but IPv6 in IPv6, the one the NIC parses: fbnic_tx_tnl.c. */
	if ((ol & RTE_MBUF_F_TX_TUNNEL_MASK) && !fbnic_tx_v6v6(m))
		return fbnic_tnl_prep(m);
	if ((ol & FBNIC_TX_OL_OUTER) || !fbnic_tx_hdr_lens(m, &l2, &o3, &i3))
		return -EINVAL;
	if (!(ol & (FBNIC_TX_OL_L4 | RTE_MBUF_F_TX_IP_CKSUM)))
		return 0;
	l4_off = l2 + o3 + i3;
	hdr = l4_off + (seg ? m->l4_len : 0);
	if ((l2 | o3 | i3) & 1 || l2 > FBNIC_TX_MAX_L2_LEN || i3 > FBNIC_TX_MAX_L3_LEN ||
	    (!seg && o3 + i3 > FBNIC_TX_MAX_L3_LEN) || hdr > m->data_len)
		return -EINVAL;
	if ((ol & RTE_MBUF_F_TX_IP_CKSUM) && !(ol & RTE_MBUF_F_TX_IPV4))
		return -EINVAL;
	if ((ol & RTE_MBUF_F_TX_IP_CKSUM) && !seg) {
		/*
		 * The NIC computes no IPv4 header checksum but for the segments
		 * of TSO: it is done here, not in the burst.
		 */
		struct rte_ipv4_hdr *ip = rte_pktmbuf_mtod_offset(m, struct rte_ipv4_hdr *,
								   l2 + o3);

		if (i3 < sizeof(*ip))
			return -EINVAL;
		ip->hdr_checksum = 0;
		ip->hdr_checksum = rte_ipv4_cksum(ip);
	}
	if (!(ol & FBNIC_TX_OL_L4))
		return 0;
	if (!(ol & (RTE_MBUF_F_TX_IPV4 | RTE_MBUF_F_TX_IPV6)))
		return -EINVAL;
	if (seg) {
		if ((ol & FBNIC_TX_OL_SEG) == FBNIC_TX_OL_SEG ||
		    m->l4_len & 3 || m->l4_len > FBNIC_TX_MAX_L4_LEN ||
		    m->l4_len < ((ol & RTE_MBUF_F_TX_TCP_SEG) ? sizeof(struct rte_tcp_hdr) :
				 sizeof(struct rte_udp_hdr)) ||
		    m->tso_segsz < FBNIC_TX_MIN_MSS || m->tso_segsz > FBNIC_TX_MAX_MSS ||
		    hdr + m->tso_segsz > FBNIC_TX_MAX_FRAME || m->pkt_len > FBNIC_TX_MAX_TSO ||
		    m->pkt_len <= hdr)
			return -EINVAL;
		if ((ol & RTE_MBUF_F_TX_TCP_SEG) ?
		    (ol & RTE_MBUF_F_TX_L4_MASK) == RTE_MBUF_F_TX_UDP_CKSUM :
		    (ol & RTE_MBUF_F_TX_L4_MASK) == RTE_MBUF_F_TX_TCP_CKSUM)
			return -EINVAL;
	} else {
		switch (ol & RTE_MBUF_F_TX_L4_MASK) {
		case RTE_MBUF_F_TX_TCP_CKSUM:
			hdr = l4_off + sizeof(struct rte_tcp_hdr);
			break;
		case RTE_MBUF_F_TX_UDP_CKSUM:
			hdr = l4_off + sizeof(struct rte_udp_hdr);
			break;
		default:
			return -ENOTSUP;
		}
		if (hdr > m->data_len)
			return -EINVAL;
	}

	/*
	 * The NIC adds the L4 bytes to what the checksum field holds: the
	 * pseudo-header sum, without the length for segmentation (3.1).
	 */
	if ((ol & RTE_MBUF_F_TX_TCP_SEG) ||
	    (!seg && (ol & RTE_MBUF_F_TX_L4_MASK) == RTE_MBUF_F_TX_TCP_CKSUM))
		csum = rte_pktmbuf_mtod_offset(m, uint16_t *, l4_off +
					       offsetof(struct rte_tcp_hdr, cksum));
	else
		csum = rte_pktmbuf_mtod_offset(m, uint16_t *, l4_off +
					       offsetof(struct rte_udp_hdr, dgram_cksum));
	l3 = rte_pktmbuf_mtod_offset(m, void *, l2 + o3);
	/* rte_ipvX_phdr_cksum leaves the length out when given RTE_MBUF_F_TX_TCP_SEG. */
	if (ol & RTE_MBUF_F_TX_IPV4) {
		struct rte_ipv4_hdr *ip = l3;

		if (i3 < sizeof(*ip))
			return -EINVAL;
		if ((ol & RTE_MBUF_F_TX_IP_CKSUM) && seg)
			ip->hdr_checksum = 0;	/* the NIC's, per segment */
		*csum = rte_ipv4_phdr_cksum(ip, seg ? RTE_MBUF_F_TX_TCP_SEG : 0);
	} else {
		if (i3 < sizeof(struct rte_ipv6_hdr))
			return -EINVAL;
		*csum = rte_ipv6_phdr_cksum(l3, seg ? RTE_MBUF_F_TX_TCP_SEG : 0);
	}
	return 0;
}

uint16_t
fbnic_prep_pkts(void *tx_queue __rte_unused, struct rte_mbuf **tx_pkts, uint16_t nb_pkts)
{
	uint16_t i;

	for (i = 0; i < nb_pkts; i++) {
		int ret = fbnic_prep_one(tx_pkts[i]);

		if (ret != 0) {
			rte_errno = -ret;
			return i;
		}
	}
	return nb_pkts;
}

int
fbnic_tx_done_cleanup(void *tx_queue, uint32_t free_cnt)
{
	struct fbnic_tx_queue *txq = tx_queue;

	if (txq == NULL || !txq->started)
		return -EINVAL;
	return (int)fbnic_tx_reap(txq, free_cnt == 0 ? UINT32_MAX : free_cnt);
}

/* TWQ0 head as reported by the TCQ, including entries not consumed yet. */
static uint32_t
fbnic_tx_peek_hw_head(const struct fbnic_tx_queue *txq)
{
	uint32_t entries = txq->mask + 1, pos = txq->tcq_head, i;
	uint32_t hw_head = txq->hw_head;

	for (i = 0; i < entries; i++, pos++) {
		uint64_t tcd = fbnic_cmpl_read(txq->tcq, pos & txq->mask);

		if (!fbnic_cmpl_new(tcd, pos, entries))
			break;
		rte_io_rmb();
		tcd = fbnic_cmpl_read(txq->tcq, pos & txq->mask);
		if (FBNIC_FIELD_GET(FBNIC_TCD_TYPE_MASK, tcd) == FBNIC_TCD_TYPE_0 &&
		    !(tcd & FBNIC_TCD_TWQ1)) {
			uint32_t h = FBNIC_FIELD_GET(FBNIC_TCD_TYPE0_HEAD0_MASK, tcd);

			if (fbnic_tx_head_ok(txq, h))
				hw_head = h;
		}
	}
	return hw_head;
}

int
fbnic_tx_descriptor_status(void *tx_queue, uint16_t offset)
{
	struct fbnic_tx_queue *txq = tx_queue;
	uint32_t hw_head, idx;

	if (unlikely(txq == NULL || offset > txq->mask))
		return -EINVAL;
	hw_head = fbnic_tx_peek_hw_head(txq);
	idx = (txq->tail + offset) & txq->mask;
	/* In flight: between the NIC's head and our tail. */
	if (((idx - hw_head) & txq->mask) < ((txq->tail - hw_head) & txq->mask))
		return RTE_ETH_TX_DESC_FULL;
	return RTE_ETH_TX_DESC_DONE;
}

