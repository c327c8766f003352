/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

#ifndef _FBNIC_RX_H_
#define _FBNIC_RX_H_

/*
 * Rx helpers shared by the Rx schemes and paths (private to the PMD).
 *
 * Rx schemes (how a frame's bytes reach an mbuf), chosen per queue at set-up:
 *  - buffers (the default): every HPQ buffer descriptor is one mbuf of a
 *    pool the queue owns, whose pinned external buffers are 4 KiB pages.
 *    MAX_HDR is as large as the headroom allows, so the NIC puts one frame
 *    in each buffer and finishes it (PAGE_FIN): the buffer's mbuf is the
 *    frame's, nothing is copied. With scatter, longer frames continue in
 *    PPQ buffers of the same pool (PAYLD_PACK NONE: one frame's payload
 *    from offset 0 of fresh buffers), chained behind the HPQ buffer. A
 *    frame that shares a buffer anyway (no PAGE_FIN) is copied into a
 *    fresh mbuf of the same pool; the buffer's own mbuf then goes to the
 *    last frame placed in it.
 *  - copy: the queue owns plain pages that the NIC packs, and every frame
 *    is copied into mbufs of the application's pool. It serves frames
 *    longer than one buffer can hold (4096 - RTE_PKTMBUF_HEADROOM bytes,
 *    an MTU above 3946) without scatter, into large mbufs.
 *  - zero-copy (devarg rx_zero_copy=1): copy-scheme pages attached to the
 *    application's mbufs as external buffers.
 */

#include <assert.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <rte_mbuf.h>

#include "fbnic_rxtx.h"

/* Packet types by META L3 type (bits 3:2) and L4 type (bits 1:0). */
extern const uint32_t fbnic_ptype[16];

/*
 * What the NIC did not vouch for (fbnic_rxtx.c): the IPv4 header checksum
 * and a TCP/UDP checksum without L4_CSUM_UNNECESSARY, from L2_CSUM.
 */
uint64_t fbnic_rx_csum_sw(const struct rte_mbuf *m, uint64_t offloads, uint32_t l3_type,
			  uint32_t l4_type, bool l4_good, uint16_t l2_csum);

/*
 * The Rx time of an OPT_META entry with TS into the mbuf (fbnic_ptp.c): the
 * timestamp dynamic field with RTE_ETH_RX_OFFLOAD_TIMESTAMP, the IEEE1588
 * flags and the queue's latch for a PTP frame while timesync is enabled.
 * Call after fbnic_rx_meta().
 */
void fbnic_rx_tstamp(struct fbnic_rx_queue *rxq, struct rte_mbuf *m, uint64_t opt);

/* Packet type of a META, as fbnic_rx_meta() gives it. */
static __rte_always_inline uint32_t
fbnic_rx_meta_ptype(uint64_t meta)
{
	if (unlikely(meta & FBNIC_RCD_META_ERR_PARSER))
		return RTE_PTYPE_L2_ETHER;
	return fbnic_ptype[FBNIC_FIELD_GET(FBNIC_RCD_META_L3_TYPE_MASK, meta) << 2 |
			   FBNIC_FIELD_GET(FBNIC_RCD_META_L4_TYPE_MASK, meta)];
}

/* The Rx checksum offloads (fbnic_rx_csum_flags()). */
#define FBNIC_RX_CSUM_OFFLOADS	(RTE_ETH_RX_OFFLOAD_TCP_CKSUM | RTE_ETH_RX_OFFLOAD_UDP_CKSUM | \
				 RTE_ETH_RX_OFFLOAD_IPV4_CKSUM)

/*
 * The IPv4 header check of the common frame, inline: untagged, a 20-byte
 * header in the first segment, its total length within the frame. 1 good,
 * 0 bad, -1 another frame (fbnic_rx_csum_sw() checks it).
 */
static __rte_always_inline int
fbnic_rx_ipv4_csum_fast(const struct rte_mbuf *m)
{
	const uint8_t *eth = rte_pktmbuf_mtod(m, const uint8_t *);
	const uint8_t *ip = eth + RTE_ETHER_HDR_LEN;
	uint32_t w[5], tot, i;
	uint64_t sum = 0;

	if (m->data_len < RTE_ETHER_HDR_LEN + 20 || eth[12] != 0x08 || eth[13] != 0x00 ||
	    ip[0] != 0x45)
		return -1;
	tot = (uint32_t)ip[2] << 8 | ip[3];
	if (tot < 20 || RTE_ETHER_HDR_LEN + tot > m->pkt_len)
		return -1;
	memcpy(w, ip, sizeof(w));
	for (i = 0; i < 5; i++)
		sum += w[i];
	sum = (sum & 0xffffffff) + (sum >> 32);
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return sum == 0xffff;
}

/*
 * Checksum flags of a frame from its META (fbnic_hw.rst 3.4), for a queue
 * with checksum offloads: the NIC's L4 verdict, else the check finished in
 * software from L2_CSUM (headers only), and the IPv4 header in software.
 */
static __rte_always_inline uint64_t
fbnic_rx_csum_flags(const struct fbnic_rx_queue *rxq, const struct rte_mbuf *m, uint64_t meta)
{
	uint32_t l3 = FBNIC_FIELD_GET(FBNIC_RCD_META_L3_TYPE_MASK, meta);
	uint32_t l4 = FBNIC_FIELD_GET(FBNIC_RCD_META_L4_TYPE_MASK, meta);
	bool l4_csum = rxq->offloads & (RTE_ETH_RX_OFFLOAD_TCP_CKSUM |
					RTE_ETH_RX_OFFLOAD_UDP_CKSUM);
	uint16_t l2_csum = (uint16_t)FBNIC_FIELD_GET(FBNIC_RCD_META_L2_CSUM_MASK, meta);
	uint64_t ol = 0;
	bool good;

	if (unlikely(meta & FBNIC_RCD_META_ERR_PARSER)) {
		/* Nothing the parser said is trusted. */
		l3 = FBNIC_RCD_META_L3_TYPE_OTHER;
		l4 = FBNIC_RCD_META_L4_TYPE_OTHER;
	}
	good = (meta & FBNIC_RCD_META_L4_CSUM_UNNECESSARY) && l4 != FBNIC_RCD_META_L4_TYPE_OTHER;
	if (good && l4_csum)
		ol |= RTE_MBUF_F_RX_L4_CKSUM_GOOD;
	/* IPv6 has no header checksum: good, as other PMDs report it. */
	if (l3 == FBNIC_RCD_META_L3_TYPE_IPV6 && (rxq->offloads & RTE_ETH_RX_OFFLOAD_IPV4_CKSUM))
		ol |= RTE_MBUF_F_RX_IP_CKSUM_GOOD;
	if (unlikely(!good && l4_csum && l4 != FBNIC_RCD_META_L4_TYPE_OTHER)) {
		ol |= fbnic_rx_csum_sw(m, rxq->offloads, l3, l4, good, l2_csum);
	} else if (l3 == FBNIC_RCD_META_L3_TYPE_IPV4 &&
		   (rxq->offloads & RTE_ETH_RX_OFFLOAD_IPV4_CKSUM)) {
		int ip = fbnic_rx_ipv4_csum_fast(m);

		if (likely(ip >= 0))
			ol |= ip ? RTE_MBUF_F_RX_IP_CKSUM_GOOD : RTE_MBUF_F_RX_IP_CKSUM_BAD;
		else
			ol |= fbnic_rx_csum_sw(m, rxq->offloads, l3, l4, good, l2_csum);
	}
	return ol;
}

/* mbuf fields from the frame's META (fbnic_hw.rst 3.4). */
static __rte_always_inline void
fbnic_rx_meta(const struct fbnic_rx_queue *rxq, struct rte_mbuf *m, uint64_t meta)
{
	uint64_t ol = 0;

	m->packet_type = fbnic_rx_meta_ptype(meta);
	if (rxq->offloads & RTE_ETH_RX_OFFLOAD_RSS_HASH) {
		m->hash.rss = (uint32_t)FBNIC_FIELD_GET(FBNIC_RCD_META_RSS_HASH_MASK, meta);
		ol |= RTE_MBUF_F_RX_RSS_HASH;
	}
	if (rxq->offloads & FBNIC_RX_CSUM_OFFLOADS)
		ol |= fbnic_rx_csum_flags(rxq, m, meta);
	m->ol_flags |= ol;	/* keeps RTE_MBUF_F_EXTERNAL */
}

/*
 * The optional metadata entry (fbnic_hw.rst 3.4): with ACTION, the action
 * entry the frame matched, whose rte_flow MARK or FLAG the frame gets.
 */
static inline void
fbnic_rx_opt_meta(const struct fbnic_rx_queue *rxq, struct rte_mbuf *m, uint64_t opt)
{
	uint64_t mark;

	/* A queue without the port's table (set up outside ethdev) has no marks. */
	if (!(opt & FBNIC_RCD_OPT_META_ACTION) || rxq->flow_mark == NULL ||
	    FBNIC_FIELD_GET(FBNIC_RCD_OPT_META_TYPE_MASK, opt) != 0)
		return;
	mark = rxq->flow_mark[FBNIC_FIELD_GET(FBNIC_RCD_OPT_META_ACTION_MASK, opt)];
	if (mark & FBNIC_FLOW_MARK_ID) {
		m->hash.fdir.hi = (uint32_t)mark;
		m->ol_flags |= RTE_MBUF_F_RX_FDIR | RTE_MBUF_F_RX_FDIR_ID;
	} else if (mark & FBNIC_FLOW_MARK_FLAG) {
		m->ol_flags |= RTE_MBUF_F_RX_FDIR;
	}
}

/*
 * A buffer ID the NIC reports must name a page it owns: posted, not yet
 * returned, i.e. within [head, tail) of the BDQ.
 */
static __rte_always_inline bool
fbnic_bdq_id_ok(uint32_t id, uint16_t head, uint16_t tail, uint16_t mask)
{
	return id <= mask && ((id - head) & mask) < ((uint32_t)(tail - head) & mask);
}

/*
 * After a bad completion: true when the burst consumed more RCQ entries
 * than the device wrote (the queue must then be reset).
 */
bool fbnic_rx_out_of_step(struct fbnic_rx_queue *rxq, uint32_t pos);
/* Stop and start the queue from its own burst; every buffer comes back. */
void fbnic_rx_queue_reset(struct fbnic_rx_queue *rxq);

/* Buffer scheme (fbnic_rx.c) */
/* Set-up: 0 with the scheme chosen, or a negative errno (logged). */
int fbnic_rx_bufs_setup(struct rte_eth_dev *dev, struct fbnic_rx_queue *rxq,
			struct rte_mempool *app_mp, unsigned int socket_id);
/*
 * Whether the buffer scheme can serve frames up to max_frame with this pool:
 * in one buffer, or with scatter in one HPQ buffer and PPQ buffers.
 */
bool fbnic_rx_bufs_usable(const struct rte_eth_dev *dev, const struct rte_mempool *app_mp,
			  uint32_t max_frame, bool scatter);
/* At start: the PPQ is needed for frames up to max_frame; false if it cannot be had. */
bool fbnic_rx_bufs_ppq_set(struct fbnic_rx_queue *rxq, uint32_t max_frame);
/* Post every free HPQ slot (queue start); the NIC's doorbell is rung. */
void fbnic_rx_bufs_fill(struct fbnic_rx_queue *rxq);
/* Take back every posted buffer (queue stop). */
void fbnic_rx_bufs_drain(struct fbnic_rx_queue *rxq);
/* Release the queue's pool (freed now, or once its last mbuf is back). */
void fbnic_rx_bufs_free(struct fbnic_rx_queue *rxq);
uint16_t fbnic_recv_pkts_bufs(void *rxq, struct rte_mbuf **rx_pkts, uint16_t nb_pkts);
/*
 * The scalar burst from RCQ position pos, after a vector loop delivered
 * nb_rx frames (bytes bytes) and moved hpq_head: the rest of the burst,
 * then refill, RCQ_HEAD and counters for the whole burst.
 */
uint16_t fbnic_rx_bufs_tail(struct fbnic_rx_queue *rxq, struct rte_mbuf **rx_pkts,
			    uint16_t nb_rx, uint16_t nb_pkts, uint32_t pos, uint64_t bytes);
#ifdef RTE_ARCH_X86
/*
 * Vector bursts of the buffer scheme: RSS hash and scatter offloads; the
 * _csum variants also the checksum offloads.
 */
uint16_t fbnic_recv_pkts_bufs_sse(void *rxq, struct rte_mbuf **rx_pkts, uint16_t nb_pkts);
uint16_t fbnic_recv_pkts_bufs_sse_csum(void *rxq, struct rte_mbuf **rx_pkts, uint16_t nb_pkts);
uint16_t fbnic_recv_pkts_bufs_avx2(void *rxq, struct rte_mbuf **rx_pkts, uint16_t nb_pkts);
uint16_t fbnic_recv_pkts_bufs_avx2_csum(void *rxq, struct rte_mbuf **rx_pkts, uint16_t nb_pkts);
uint16_t fbnic_recv_pkts_bufs_avx512(void *rxq, struct rte_mbuf **rx_pkts, uint16_t nb_pkts);
uint16_t fbnic_recv_pkts_bufs_avx512_csum(void *rxq, struct rte_mbuf **rx_pkts,
					  uint16_t nb_pkts);
#endif

/* mbuf fields a vector path writes with wide stores, from data_off on. */
#define FBNIC_MBUF_REARM_OFF	offsetof(struct rte_mbuf, data_off)
static_assert(offsetof(struct rte_mbuf, port) - offsetof(struct rte_mbuf, data_off) == 6,
	      "mbuf rearm fields are not 8 contiguous bytes");
static_assert(offsetof(struct rte_mbuf, ol_flags) - FBNIC_MBUF_REARM_OFF == 8 &&
	      offsetof(struct rte_mbuf, packet_type) - FBNIC_MBUF_REARM_OFF == 16 &&
	      offsetof(struct rte_mbuf, pkt_len) - FBNIC_MBUF_REARM_OFF == 20 &&
	      offsetof(struct rte_mbuf, data_len) - FBNIC_MBUF_REARM_OFF == 24 &&
	      offsetof(struct rte_mbuf, vlan_tci) - FBNIC_MBUF_REARM_OFF == 26 &&
	      offsetof(struct rte_mbuf, hash) - FBNIC_MBUF_REARM_OFF == 28,
	      "mbuf Rx fields are not where the vector paths write them");

/* Buffer scheme, fast frame: HDR_AL + META, the bits that must match. */
#define FBNIC_RX_FAST_HDR_MASK	(FBNIC_RCD_DONE | FBNIC_RCD_TYPE_MASK | \
				 FBNIC_RCD_AL_BUFF_OFF_MASK | FBNIC_RCD_AL_PAGE_FIN)
#define FBNIC_RX_FAST_META_MASK	(FBNIC_RCD_DONE | FBNIC_RCD_TYPE_MASK | \
				 FBNIC_RCD_META_UNCORRECTABLE_ERR_MASK)
/* Offloads the vector paths handle; the checksum variants also the checksums. */
#define FBNIC_RX_VEC_OFFLOADS	(RTE_ETH_RX_OFFLOAD_RSS_HASH | RTE_ETH_RX_OFFLOAD_SCATTER)
#define FBNIC_RX_VEC_CSUM_OFFLOADS	(FBNIC_RX_VEC_OFFLOADS | FBNIC_RX_CSUM_OFFLOADS)


#endif /* _FBNIC_RX_H_ */
