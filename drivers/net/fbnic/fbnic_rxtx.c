/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

/*
 * Rx copy and zero-copy schemes, queue set-up, start, stop and release,
 * path selection (fbnic_hw.rst 2, 3, 4). The Tx path is in fbnic_tx.c, the
 * Rx buffer scheme in fbnic_rx.c and the vector paths in their own files.
 *
 * Copy scheme: the queue owns its HPQ and PPQ pages (see fbnic_rx.h). Each frame in
 * the RCQ (HDR_AL, PAY_AL..., OPT_META?, META) is copied from the pages into
 * mbufs, after which the pages the NIC is done with go back to the BDQs.
 * The split scheme is the copy scheme with the NIC's header split on: the
 * HDR_AL part goes to an mbuf of the header pool, the PAY_AL parts to mbufs
 * of the payload pool.
 * A frame is consumed only once it has been copied: an empty pool leaves it
 * in the RCQ, so the queue continues where it stopped when mbufs return.
 *
 * Values read from the device (entry types, buffer IDs, offsets, lengths,
 * ring heads) are checked before use; a bad one is counted in bad_desc and
 * the entries concerned are skipped.
 */

#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_common.h>
#include <rte_cpuflags.h>
#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_memcpy.h>
#include <rte_ring.h>
#include <rte_tcp.h>
#include <rte_udp.h>
#include <rte_vect.h>
#include <ethdev_driver.h>

#include "fbnic_ethdev.h"
#include "fbnic_irq.h"
#include "fbnic_logs.h"
#include "fbnic_rx.h"
#include "fbnic_rxtx.h"
#include "fbnic_tx.h"
#include "fbnic_txrx_hw.h"

/* MSI-X vectors 0 and 1 serve the mailbox and the MAC (Linux); queue n uses 2 + n. */
#define FBNIC_QUEUE_VECTOR(q)		FBNIC_QUEUE_MSIX_VECTOR(q)


/* Offloads each direction handles. */
#define FBNIC_RX_OFFLOADS	(RTE_ETH_RX_OFFLOAD_IPV4_CKSUM | \
				 RTE_ETH_RX_OFFLOAD_UDP_CKSUM | \
				 RTE_ETH_RX_OFFLOAD_TCP_CKSUM | \
				 RTE_ETH_RX_OFFLOAD_SCATTER | \
				 RTE_ETH_RX_OFFLOAD_RSS_HASH | \
				 RTE_ETH_RX_OFFLOAD_TIMESTAMP)
/* Offloads the split scheme's path handles. */
#define FBNIC_RX_SPLIT_OFFLOADS	(FBNIC_RX_OFFLOADS | RTE_ETH_RX_OFFLOAD_BUFFER_SPLIT)
#define FBNIC_TX_OFFLOADS	(RTE_ETH_TX_OFFLOAD_IPV4_CKSUM | \
				 RTE_ETH_TX_OFFLOAD_UDP_CKSUM | \
				 RTE_ETH_TX_OFFLOAD_TCP_CKSUM | \
				 RTE_ETH_TX_OFFLOAD_TCP_TSO | \
				 RTE_ETH_TX_OFFLOAD_UDP_TSO | \
				 RTE_ETH_TX_OFFLOAD_IPIP_TNL_TSO | \
				 RTE_ETH_TX_OFFLOAD_VXLAN_TNL_TSO | \
				 RTE_ETH_TX_OFFLOAD_GRE_TNL_TSO | \
				 RTE_ETH_TX_OFFLOAD_GENEVE_TNL_TSO | \
				 RTE_ETH_TX_OFFLOAD_UDP_TNL_TSO | \
				 RTE_ETH_TX_OFFLOAD_OUTER_IPV4_CKSUM | \
				 RTE_ETH_TX_OFFLOAD_OUTER_UDP_CKSUM | \
				 RTE_ETH_TX_OFFLOAD_MULTI_SEGS | \
				 RTE_ETH_TX_OFFLOAD_MBUF_FAST_FREE)

/*
 * Header split (fbnic_hw.rst 2 "Header split"). With EN_HDR_SPLIT the NIC
 * cuts where the DMA hint of the frame's action entry says, and every action
 * entry fbnic_rpc.c writes (RSS and ntuple) names L4, as Linux's do; MAX_HDR
 * then caps the header part at Linux's value. Without EN_HDR_SPLIT the first
 * MAX_HDR bytes go to the HPQ and the rest to the PPQ: a split at a fixed
 * length, from Linux's smallest MAX_HDR up to a whole HPQ buffer.
 */
#define FBNIC_RX_SPLIT_MAX_HDR	FBNIC_RX_MAX_HDR_MIN
#define FBNIC_RX_SPLIT_LEN_MIN	FBNIC_RX_MAX_HDR_MIN
#define FBNIC_RX_SPLIT_LEN_MAX	(FBNIC_RX_PAGE_SIZE - FBNIC_RX_MIN_HROOM - FBNIC_RX_MIN_TROOM - \
				 FBNIC_RX_PADLEN)

/* Zero bytes that pad short frames, inside the Tx queue's memzone. */
#define FBNIC_TX_PAD_BYTES	128
_Static_assert(FBNIC_TX_PAD_BYTES >= FBNIC_TX_MIN_FRAME, "padding area too small");

static uint32_t
fbnic_ring_entries(uint16_t nb_desc)
{
	uint32_t n = nb_desc < FBNIC_RING_MIN_DESC ? FBNIC_RING_MIN_DESC : nb_desc;

	return rte_align32pow2(n);
}

static uint8_t
fbnic_log2(uint32_t pow2)
{
	return (uint8_t)rte_bsf32(pow2);
}

static size_t
fbnic_ring_bytes(uint32_t entries)
{
	return RTE_ALIGN_CEIL((size_t)entries * sizeof(uint64_t), FBNIC_RING_ALIGN);
}

/* The NIC addresses 46 bits (descriptor address fields 45:0). */
static bool
fbnic_iova_reachable(rte_iova_t iova, size_t len)
{
	return iova != RTE_BAD_IOVA && iova + len - 1 <= FBNIC_TWD_ADDR_MASK;
}

static bool
fbnic_dma_reachable(const struct rte_memzone *mz)
{
	return fbnic_iova_reachable(mz->iova, mz->len);
}

void
fbnic_rx_pages_free(struct fbnic_rx_pages *p)
{
	rte_free(p->iova);
	rte_free(p->va);
	memset(p, 0, sizeof(*p));
}

/*
 * nb pages of FBNIC_RX_PAGE_SIZE, aligned to their size: none crosses the
 * boundary of a (2 MiB or larger) hugepage, so each has one IOVA.
 * Returns 0, -ENOMEM, or -ERANGE for a page beyond the NIC's reach.
 */
int
fbnic_rx_pages_alloc(struct fbnic_rx_pages *p, uint32_t nb, unsigned int socket_id)
{
	uint32_t i;

	memset(p, 0, sizeof(*p));
	p->va = rte_malloc_socket("fbnic_rx_pages", (size_t)nb * FBNIC_RX_PAGE_SIZE,
				  FBNIC_RX_PAGE_SIZE, (int)socket_id);
	p->iova = rte_malloc_socket("fbnic_rx_pages", nb * sizeof(*p->iova), 0,
				    (int)socket_id);
	if (p->va == NULL || p->iova == NULL) {
		fbnic_rx_pages_free(p);
		return -ENOMEM;
	}
	p->nb = nb;
	for (i = 0; i < nb; i++) {
		p->iova[i] = rte_mem_virt2iova(p->va + (size_t)i * FBNIC_RX_PAGE_SIZE);
		if (!fbnic_iova_reachable(p->iova[i], FBNIC_RX_PAGE_SIZE)) {
			fbnic_rx_pages_free(p);
			return -ERANGE;
		}
	}
	return 0;
}

/* ---------------------------------------------------------------------------------------
 * Rx
 */

/* One stretch of frame bytes in a page. */
struct fbnic_rx_piece {
	const uint8_t *va;
	struct fbnic_rx_page *pg;	/* zero-copy: the page holding the bytes */
	uint32_t off;			/* offset of va in its page */
	uint32_t len;
	bool hdr;			/* from HDR_AL: MIN_HROOM bytes in front are its own */
};

/*
 * Zero-copy Rx (opt-in, fbnic_rx_zero_copy_set()): frames are not copied but
 * attached to mbufs as external buffers. The queue then owns more pages than
 * it posts; a page's shinfo reference count holds one reference while the
 * NIC may write it and one per mbuf pointing into it. When it drops to zero
 * the page goes to a free ring from whatever lcore freed the last mbuf, and
 * the Rx lcore posts it again. The pages outlive the queue until the last
 * mbuf pointing into them is freed.
 */
struct fbnic_rx_page {
	struct rte_mbuf_ext_shared_info shinfo;
	struct fbnic_rx_zc *zc;
	uint32_t idx;
};

struct fbnic_rx_zc {
	struct fbnic_rx_pages pages;	/* the pages, 4 KiB each */
	struct rte_ring *free;		/* free pages: any lcore puts, the Rx lcore takes */
	struct fbnic_rx_page *page;
	uint32_t *hpq_slot;		/* page behind each HPQ BD */
	uint32_t *ppq_slot;		/* page behind each PPQ BD */
	uint8_t *va;			/* pages.va */
	const uint64_t *iova;		/* pages.iova */
	uint32_t nb_pages;
	uint32_t refs;			/* 1 for the queue + 1 per page not in the free ring */
};

/* Headroom an mbuf gets in front of a zero-copy frame (RDE_CTL0.MIN_HROOM). */
#define FBNIC_RX_ZC_HROOM	RTE_PKTMBUF_HEADROOM
/* Pages per posted page: room for the ones the application holds. */
#define FBNIC_RX_ZC_PAGES_PER_BD	2

/* A frame as the RCQ describes it, checked but not yet consumed. */
struct fbnic_rx_frame {
	struct fbnic_rx_piece piece[FBNIC_RX_MAX_RCD - 1];
	uint32_t npiece;
	uint32_t len;
	uint32_t nrcd;		/* RCQ entries the frame takes */
	uint64_t meta;
	uint64_t opt;		/* OPT_META, 0 without one */
	uint16_t hpq_head;	/* BDQ heads once the frame is consumed */
	uint16_t ppq_head;
	bool bad;		/* malformed: drop (counted in bad_desc) */
};

static const uint32_t fbnic_ptypes_supported[] = {
	RTE_PTYPE_L2_ETHER,
	RTE_PTYPE_L3_IPV4_EXT_UNKNOWN,
	RTE_PTYPE_L3_IPV6_EXT_UNKNOWN,
	RTE_PTYPE_L4_TCP,
	RTE_PTYPE_L4_UDP,
	RTE_PTYPE_TUNNEL_IP,
	RTE_PTYPE_INNER_L3_IPV6_EXT_UNKNOWN,
	RTE_PTYPE_INNER_L4_TCP,
	RTE_PTYPE_INNER_L4_UDP,
};

/*
 * The header sets an rx_seg proto_hdr may name: the NIC's one split point,
 * after the TCP or UDP header. Whichever is named, every TCP and UDP frame
 * is cut there, over IPv4 or IPv6, with or without VLAN tags.
 */
static const uint32_t fbnic_split_ptypes[] = {
	RTE_PTYPE_L2_ETHER | RTE_PTYPE_L3_IPV4_EXT_UNKNOWN | RTE_PTYPE_L4_TCP,
	RTE_PTYPE_L2_ETHER | RTE_PTYPE_L3_IPV4_EXT_UNKNOWN | RTE_PTYPE_L4_UDP,
	RTE_PTYPE_L2_ETHER | RTE_PTYPE_L3_IPV6_EXT_UNKNOWN | RTE_PTYPE_L4_TCP,
	RTE_PTYPE_L2_ETHER | RTE_PTYPE_L3_IPV6_EXT_UNKNOWN | RTE_PTYPE_L4_UDP,
};

/* Move a BDQ head candidate forward to id (+1 when the page is finished). */
static __rte_always_inline void
fbnic_bdq_advance(uint16_t *cand, uint16_t head, uint32_t id, bool fin, uint16_t mask)
{
	uint16_t next = (uint16_t)((id + fin) & mask);

	if (((next - head) & mask) > ((*cand - head) & mask))
		*cand = next;
}

/* Where the bytes of one HDR_AL / PAY_AL are. */
static __rte_always_inline void
fbnic_rx_piece_set(const struct fbnic_rx_queue *rxq, struct fbnic_rx_piece *p, bool hpq,
		   uint32_t id, uint32_t off, uint32_t len)
{
	const struct fbnic_rx_zc *zc = rxq->zc;

	if (zc == NULL) {
		p->va = (hpq ? rxq->hpq_pages : rxq->ppq_pages) +
			(size_t)id * FBNIC_RX_PAGE_SIZE + off;
		p->pg = NULL;
	} else {
		struct fbnic_rx_page *pg = &zc->page[(hpq ? zc->hpq_slot : zc->ppq_slot)[id]];

		p->va = zc->va + (size_t)pg->idx * FBNIC_RX_PAGE_SIZE + off;
		p->pg = pg;
	}
	p->off = off;
	p->len = len;
	p->hdr = hpq;
}

/*
 * Look at the frame starting at RCQ position pos. Returns 1 with f filled,
 * 0 when the frame is not complete yet. Nothing is changed.
 */
static int
fbnic_rx_frame_parse(struct fbnic_rx_queue *rxq, uint32_t pos, struct fbnic_rx_frame *f)
{
	uint32_t entries = rxq->rcq_mask + 1, k;
	const uint32_t pad = FBNIC_RX_PADLEN;	/* HDR_AL data starts PADLEN bytes in (4.3) */
	uint16_t mask = rxq->bdq_mask;

	f->npiece = 0;
	f->len = 0;
	f->bad = false;
	f->meta = 0;
	f->opt = 0;
	f->hpq_head = rxq->hpq_head;
	f->ppq_head = rxq->ppq_head;

	for (k = 0; k < FBNIC_RX_MAX_RCD; k++) {
		uint64_t rcd = fbnic_cmpl_read(rxq->rcq, (pos + k) & rxq->rcq_mask);
		uint32_t type, id, off, len;
		bool fin;

		if (!fbnic_cmpl_new(rcd, pos + k, entries))
			return 0;
		rte_io_rmb();
		rcd = fbnic_cmpl_read(rxq->rcq, (pos + k) & rxq->rcq_mask);
		type = FBNIC_FIELD_GET(FBNIC_RCD_TYPE_MASK, rcd);

		if (type == FBNIC_RCD_TYPE_META) {
			f->meta = rcd;
			f->nrcd = k + 1;
			if (k == 0)
				f->bad = true;	/* META without HDR_AL */
			return 1;
		}
		if (type == FBNIC_RCD_TYPE_OPT_META) {
			if (k == 0) {
				f->bad = true;
				f->nrcd = 1;
				return 1;
			}
			f->opt = rcd;
			continue;
		}
		/* HDR_AL must come first and only first; a second one starts a new frame. */
		if (type == FBNIC_RCD_TYPE_HDR_AL ? k != 0 : k == 0) {
			f->bad = true;
			f->nrcd = k == 0 ? 1 : k;
			return 1;
		}

		id = FBNIC_FIELD_GET(FBNIC_RCD_AL_BUFF_ID_MASK, rcd);
		off = FBNIC_FIELD_GET(FBNIC_RCD_AL_BUFF_OFF_MASK, rcd);
		len = FBNIC_FIELD_GET(FBNIC_RCD_AL_BUFF_LEN_MASK, rcd);
		fin = rcd & FBNIC_RCD_AL_PAGE_FIN;
		if (type == FBNIC_RCD_TYPE_HDR_AL) {
			if (!fbnic_bdq_id_ok(id, rxq->hpq_head, rxq->hpq_tail, mask)) {
				f->bad = true;
				continue;
			}
			fbnic_bdq_advance(&f->hpq_head, rxq->hpq_head, id, fin, mask);
			if (len < pad || off + len > FBNIC_RX_PAGE_SIZE) {
				f->bad = true;
				continue;
			}
			fbnic_rx_piece_set(rxq, &f->piece[0], true, id, off + pad, len - pad);
		} else {
			if (!fbnic_bdq_id_ok(id, rxq->ppq_head, rxq->ppq_tail, mask)) {
				f->bad = true;
				continue;
			}
			fbnic_bdq_advance(&f->ppq_head, rxq->ppq_head, id, fin, mask);
			if (off + len > FBNIC_RX_PAGE_SIZE) {
				f->bad = true;
				continue;
			}
			fbnic_rx_piece_set(rxq, &f->piece[f->npiece], false, id, off, len);
		}
		if (f->piece[f->npiece].len != 0)
			f->len += f->piece[f->npiece++].len;
	}
	/* No META within the largest frame the NIC writes. */
	f->bad = true;
	f->nrcd = FBNIC_RX_MAX_RCD;
	return 1;
}

/* Take n fresh mbufs, refilling the queue's cache in bulk. */
static __rte_always_inline int
fbnic_rx_mbufs_get(struct fbnic_rx_queue *rxq, struct rte_mbuf **out, uint32_t n)
{
	uint32_t have = rxq->mcache_n;

	if (unlikely(have < n)) {
		uint32_t want = FBNIC_RX_MBUF_CACHE - have;

		if (rte_pktmbuf_alloc_bulk(rxq->mp, &rxq->mcache[have], want) == 0)
			have += want;
		else if (rte_pktmbuf_alloc_bulk(rxq->mp, &rxq->mcache[have], n - have) == 0)
			have = n;
		else
			return -ENOBUFS;
	}
	have -= n;
	memcpy(out, &rxq->mcache[have], n * sizeof(*out));
	rxq->mcache_n = (uint16_t)have;
	return 0;
}

/* mbufs a frame of len bytes needs (no division on the fast path). */
static __rte_always_inline uint32_t
fbnic_rx_nb_segs(const struct fbnic_rx_queue *rxq, uint32_t len)
{
	uint32_t n = 1, room = rxq->mbuf_room;

	while (len > room) {
		len -= room;
		n++;
	}
	return n;
}

/* Copy the frame's pieces from piece p on into the chain segs[0..nseg), room bytes each. */
static __rte_always_inline void
fbnic_rx_copy_pieces(const struct fbnic_rx_frame *f, uint32_t p, uint32_t room,
		     struct rte_mbuf **segs, uint32_t nseg)
{
	uint32_t p_off = 0, s;

	for (s = 0; s < nseg; s++) {
		struct rte_mbuf *m = segs[s];
		uint8_t *dst = rte_pktmbuf_mtod(m, uint8_t *);
		uint32_t fill = 0;

		while (fill < room && p < f->npiece) {
			uint32_t chunk = RTE_MIN(room - fill, f->piece[p].len - p_off);

			rte_memcpy(dst + fill, f->piece[p].va + p_off, chunk);
			fill += chunk;
			p_off += chunk;
			if (p_off == f->piece[p].len) {
				p++;
				p_off = 0;
			}
		}
		m->data_len = (uint16_t)fill;
		m->next = s + 1 < nseg ? segs[s + 1] : NULL;
	}
}

/* Copy the whole frame into the chain segs[0..nseg). */
static void
fbnic_rx_copy(const struct fbnic_rx_queue *rxq, const struct fbnic_rx_frame *f,
	      struct rte_mbuf **segs, uint32_t nseg)
{
	fbnic_rx_copy_pieces(f, 0, rxq->mbuf_room, segs, nseg);
}

/* Ones' complement a - b, 16 bits. */
static inline uint16_t
fbnic_csum_sub(uint16_t a, uint16_t b)
{
	uint32_t s = (uint32_t)a + (uint16_t)~b;

	return (uint16_t)((s & 0xffff) + (s >> 16));
}

/*
 * The sum of the frame's bytes [off, off + len) as L2_CSUM counts them:
 * 16-bit words from byte 14 on, whatever the segments (DPDK 22.11's
 * rte_raw_cksum_mbuf() loses carries across odd-length segments). False
 * when the range is not in the mbuf.
 */
static bool
fbnic_rx_range_sum(const struct rte_mbuf *m, uint32_t off, uint32_t len, uint16_t *sum)
{
	uint32_t pos = off, acc = 0;

	while (m != NULL && off >= m->data_len) {
		off -= m->data_len;
		m = m->next;
	}
	while (len > 0) {
		uint32_t n, part;

		if (m == NULL)
			return false;
		n = RTE_MIN(len, (uint32_t)m->data_len - off);
		part = rte_raw_cksum(rte_pktmbuf_mtod_offset(m, const uint8_t *, off), n);
		/* A piece at an odd distance from byte 14 has its bytes the other way. */
		acc += (pos - RTE_ETHER_HDR_LEN) & 1 ? rte_bswap16((uint16_t)part) : part;
		pos += n;
		len -= n;
		off = 0;
		m = m->next;
	}
	acc = (acc & 0xffff) + (acc >> 16);
	*sum = (uint16_t)((acc & 0xffff) + (acc >> 16));
	return true;
}

/*
 * The TCP/UDP checksum verified from the completion's L2_CSUM, the
 * ones' complement sum of every byte after the Ethernet header (fbnic_hw.rst
 * 3.4), as Linux uses it for CHECKSUM_COMPLETE: less the bytes before the
 * L4 header and after the IP payload (padding), plus the pseudo header.
 * Reads the headers, never the payload.
 */
static uint64_t
fbnic_rx_l4_csum_from_l2(const struct rte_mbuf *m, uint16_t l2_csum, uint32_t l4_off,
			 uint32_t l4_len, uint16_t phdr)
{
	uint32_t end = l4_off + l4_len;
	uint16_t sum = l2_csum, part;

	if (!fbnic_rx_range_sum(m, RTE_ETHER_HDR_LEN, l4_off - RTE_ETHER_HDR_LEN, &part))
		return 0;
	sum = fbnic_csum_sub(sum, part);
	if (end < m->pkt_len) {
		if (!fbnic_rx_range_sum(m, end, m->pkt_len - end, &part))
			return 0;
		sum = fbnic_csum_sub(sum, part);
	}
	part = (uint16_t)(((uint32_t)sum + phdr) + (((uint32_t)sum + phdr) >> 16));
	return part == 0xffff ? RTE_MBUF_F_RX_L4_CKSUM_GOOD : RTE_MBUF_F_RX_L4_CKSUM_BAD;
}

/*
 * What the NIC did not vouch for: the IPv4 header checksum, which the NIC
 * never checks (software, only for ports that ask for IPv4 checksum
 * offload), and a TCP/UDP checksum without L4_CSUM_UNNECESSARY, from
 * L2_CSUM. Both read the headers only.
 */
uint64_t
fbnic_rx_csum_sw(const struct rte_mbuf *m, uint64_t offloads, uint32_t l3_type, uint32_t l4_type,
		 bool l4_good, uint16_t l2_csum)
{
	/* Byte loads: a frame may start at any offset of its page (zero-copy). */
	const uint8_t *eth = rte_pktmbuf_mtod(m, const uint8_t *);
	uint32_t l2 = RTE_ETHER_HDR_LEN, len = m->pkt_len;
	bool l4 = !l4_good && (offloads & (RTE_ETH_RX_OFFLOAD_TCP_CKSUM |
					  RTE_ETH_RX_OFFLOAD_UDP_CKSUM)) &&
		  l4_type != FBNIC_RCD_META_L4_TYPE_OTHER;
	uint64_t flags = 0;
	uint16_t etype;

	if (len < l2 + 4 || m->data_len < l2 + 4)
		return 0;
	etype = (uint16_t)(eth[12] << 8 | eth[13]);
	if (etype == RTE_ETHER_TYPE_VLAN) {
		etype = (uint16_t)(eth[16] << 8 | eth[17]);
		l2 += 4;
	}

	if (l3_type == FBNIC_RCD_META_L3_TYPE_IPV4 && etype == RTE_ETHER_TYPE_IPV4) {
		const struct rte_ipv4_hdr *ip;
		uint32_t ihl, tot;

		if (m->data_len < l2 + sizeof(*ip))
			return 0;
		ip = rte_pktmbuf_mtod_offset(m, const struct rte_ipv4_hdr *, l2);
		ihl = rte_ipv4_hdr_len(ip);
		tot = rte_be_to_cpu_16(ip->total_length);
		if (ihl < sizeof(*ip) || m->data_len < l2 + ihl || tot < ihl ||
		    l2 + tot > len)
			return 0;
		if (offloads & RTE_ETH_RX_OFFLOAD_IPV4_CKSUM)
			flags |= rte_raw_cksum(ip, ihl) == 0xffff ? RTE_MBUF_F_RX_IP_CKSUM_GOOD :
								     RTE_MBUF_F_RX_IP_CKSUM_BAD;
		if (!l4 || (ip->fragment_offset &
			    RTE_BE16(RTE_IPV4_HDR_MF_FLAG | RTE_IPV4_HDR_OFFSET_MASK)) ||
		    (ip->next_proto_id != IPPROTO_TCP && ip->next_proto_id != IPPROTO_UDP))
			return flags;
		if (ip->next_proto_id == IPPROTO_UDP) {
			const struct rte_udp_hdr *udp;

			if (m->data_len < l2 + ihl + sizeof(*udp))
				return flags;
			udp = rte_pktmbuf_mtod_offset(m, const struct rte_udp_hdr *, l2 + ihl);
			if (udp->dgram_cksum == 0)
				return flags;	/* sender gave no checksum */
		}
		return flags | fbnic_rx_l4_csum_from_l2(m, l2_csum, l2 + ihl, tot - ihl,
							rte_ipv4_phdr_cksum(ip, 0));
	}
	if (l4 && l3_type == FBNIC_RCD_META_L3_TYPE_IPV6 && etype == RTE_ETHER_TYPE_IPV6) {
		const struct rte_ipv6_hdr *ip;
		uint32_t plen;

		if (m->data_len < l2 + sizeof(*ip))
			return 0;
		ip = rte_pktmbuf_mtod_offset(m, const struct rte_ipv6_hdr *, l2);
		plen = rte_be_to_cpu_16(ip->payload_len);
		if ((ip->proto != IPPROTO_TCP && ip->proto != IPPROTO_UDP) ||
		    l2 + sizeof(*ip) + plen > len)
			return 0;
		return fbnic_rx_l4_csum_from_l2(m, l2_csum, l2 + sizeof(*ip), plen,
						rte_ipv6_phdr_cksum(ip, 0));
	}
	return 0;
}

/* HPQ/PPQ buffer descriptor: 4 KiB page address and the ID echoed in completions (3.3). */
static __rte_always_inline uint64_t
fbnic_bd(uint64_t iova, uint16_t id)
{
	return rte_cpu_to_le_64((iova & FBNIC_BD_PAGE_ADDR_MASK) |
				FBNIC_FIELD_PREP(FBNIC_BD_PAGE_ID_MASK, id));
}

/* Post every page the NIC has returned, all but one slot, tail in BD units (4.3). */
static void
fbnic_bdq_refill(struct fbnic_rx_queue *rxq, volatile uint64_t *ring,
		 const uint64_t *pages_iova, uint16_t head, uint16_t *tailp, uint32_t tail_reg)
{
	uint16_t mask = rxq->bdq_mask, tail = *tailp;
	uint32_t n = (uint32_t)(head - tail - 1) & mask;

	if (n == 0)
		return;
	while (n--) {
		ring[tail] = fbnic_bd(pages_iova[tail], tail);
		tail = (tail + 1) & mask;
	}
	*tailp = tail;
	fbnic_db_write(rxq->hw, tail_reg, (uint32_t)tail * FBNIC_BD_FRAG_COUNT);
}

/*
 * A frame the device marked bad, or damaged on the wire (bad FCS, truncated):
 * counted and dropped, as Linux does. True when the frame must be consumed.
 */
static __rte_always_inline bool
fbnic_rx_frame_rejected(struct fbnic_rx_queue *rxq, const struct fbnic_rx_frame *f)
{
	if (unlikely(f->bad || f->len == 0 || f->len > FBNIC_RX_MAX_FRAME)) {
		rxq->stats.bad_desc++;
		rxq->stats.errors++;
		return true;
	}
	if (unlikely(f->meta & FBNIC_RCD_META_UNCORRECTABLE_ERR_MASK)) {
		rxq->stats.errors++;
		return true;
	}
	return false;
}

/*
 * After a bad completion: did the burst consume more RCQ entries than the
 * device has written? The device's tail (RCQ_PTRS), read after the entries,
 * bounds what it can have produced. Forged DONE bits put the driver ahead of
 * the device, where no completion would ever be seen again.
 */
bool
fbnic_rx_out_of_step(struct fbnic_rx_queue *rxq, uint32_t pos)
{
	uint32_t ptrs = fbnic_rd32(rxq->hw, FBNIC_QUEUE_REG(rxq->queue_id, FBNIC_QUEUE_RCQ_PTRS));
	uint32_t dev_tail = FBNIC_FIELD_GET(FBNIC_QUEUE_RCQ_PTRS_TAIL_MASK, ptrs);
	uint32_t written = (dev_tail - rxq->rcq_head) & rxq->rcq_mask;
	uint32_t consumed = pos - rxq->rcq_head;

	if (consumed <= written)
		return false;
	PMD_RX_LOG(ERR, "port %u: Rx queue %u: %u completions taken, the device wrote %u: "
		   "resetting the queue", rxq->port_id, rxq->queue_id, consumed, written);
	return true;
}

/* Stop and start the queue from its own burst; every buffer comes back. */
void
fbnic_rx_queue_reset(struct fbnic_rx_queue *rxq)
{
	struct rte_eth_dev *dev = &rte_eth_devices[rxq->port_id];
	int ret;

	rxq->stats.resets++;
	fbnic_rx_queue_stop(dev, rxq->queue_id);
	ret = fbnic_rx_queue_start(dev, rxq->queue_id);
	if (ret != 0)
		PMD_RX_LOG(ERR, "port %u: Rx queue %u: restart after reset failed: %d",
			   rxq->port_id, rxq->queue_id, ret);
}

/*
 * End of a burst of the page schemes (copy, split): a queue out of step is
 * reset; otherwise the pages the NIC is done with go back to the HPQ and
 * PPQ and the RCQ head moves on.
 */
static inline uint16_t
fbnic_rx_pages_burst_end(struct fbnic_rx_queue *rxq, uint32_t pos, bool bad, uint16_t nb_rx,
			 uint64_t bytes)
{
	if (unlikely(bad) && fbnic_rx_out_of_step(rxq, pos)) {
		fbnic_rx_queue_reset(rxq);
	} else if (pos != rxq->rcq_head) {
		fbnic_bdq_refill(rxq, rxq->hpq, rxq->hpq_pages_iova, rxq->hpq_head,
				 &rxq->hpq_tail, rxq->hpq_tail_reg);
		fbnic_bdq_refill(rxq, rxq->ppq, rxq->ppq_pages_iova, rxq->ppq_head,
				 &rxq->ppq_tail, rxq->ppq_tail_reg);
		rxq->rcq_head = pos;
		fbnic_wr32(rxq->hw, rxq->rcq_head_reg, pos & rxq->rcq_mask);
	}
	rxq->stats.packets += nb_rx;
	rxq->stats.bytes += bytes;
	return nb_rx;
}

uint16_t
fbnic_recv_pkts(void *rx_queue, struct rte_mbuf **rx_pkts, uint16_t nb_pkts)
{
	struct fbnic_rx_queue *rxq = rx_queue;
	uint32_t pos = rxq->rcq_head, limit;
	uint64_t bytes = 0;
	uint16_t nb_rx = 0;
	bool bad = false;

	if (unlikely(!rxq->started))
		return 0;

	/* Bounded by the ring: bad entries count as well as frames. */
	for (limit = rxq->rcq_mask + 1; nb_rx < nb_pkts && limit != 0;) {
		struct rte_mbuf *segs[FBNIC_RX_MBUF_CACHE];
		struct fbnic_rx_frame f;
		uint32_t nseg;

		if (fbnic_rx_frame_parse(rxq, pos, &f) == 0)
			break;
		if (fbnic_rx_frame_rejected(rxq, &f)) {
			bad = true;
			goto consume;
		}
		nseg = fbnic_rx_nb_segs(rxq, f.len);
		if (unlikely(nseg > 1 && !(rxq->offloads & RTE_ETH_RX_OFFLOAD_SCATTER))) {
			rxq->stats.errors++;
			goto consume;
		}
		if (unlikely(fbnic_rx_mbufs_get(rxq, segs, nseg) != 0)) {
			/* The frame stays in the RCQ and its pages with the NIC. */
			rxq->stats.nombuf++;
			(*rxq->alloc_failed)++;
			break;
		}
		fbnic_rx_copy(rxq, &f, segs, nseg);
		segs[0]->pkt_len = f.len;
		segs[0]->nb_segs = (uint16_t)nseg;
		segs[0]->port = rxq->port_id;
		fbnic_rx_meta(rxq, segs[0], f.meta);
		fbnic_rx_opt_meta(rxq, segs[0], f.opt);
		if (f.opt & FBNIC_RCD_OPT_META_TS)
			fbnic_rx_tstamp(rxq, segs[0], f.opt);
		rx_pkts[nb_rx++] = segs[0];
		bytes += f.len;
consume:
		/* Copied or dropped: the pages the NIC is done with are ours again. */
		rxq->hpq_head = f.hpq_head;
		rxq->ppq_head = f.ppq_head;
		pos += f.nrcd;
		limit = limit > f.nrcd ? limit - f.nrcd : 0;
	}

	return fbnic_rx_pages_burst_end(rxq, pos, bad, nb_rx, bytes);
}

/* ---------------------------------------------------------------------------------------
 * Split scheme (RTE_ETH_RX_OFFLOAD_BUFFER_SPLIT)
 */

uint16_t
fbnic_recv_pkts_split(void *rx_queue, struct rte_mbuf **rx_pkts, uint16_t nb_pkts)
{
	struct fbnic_rx_queue *rxq = rx_queue;
	uint32_t pos = rxq->rcq_head, limit;
	uint64_t bytes = 0;
	uint16_t nb_rx = 0;
	bool bad = false;

	if (unlikely(!rxq->started))
		return 0;

	for (limit = rxq->rcq_mask + 1; nb_rx < nb_pkts && limit != 0;) {
		struct rte_mbuf *segs[FBNIC_RX_MBUF_CACHE], *h;
		struct fbnic_rx_frame f;
		uint32_t hlen, nseg = 0;

		if (fbnic_rx_frame_parse(rxq, pos, &f) == 0)
			break;
		if (fbnic_rx_frame_rejected(rxq, &f)) {
			bad = true;
			goto consume;
		}
		/* The HPQ part is the header mbuf's: set-up made its room hold MAX_HDR. */
		hlen = f.piece[0].hdr ? f.piece[0].len : 0;
		if (unlikely(hlen > rxq->hdr_room)) {
			rxq->stats.bad_desc++;
			rxq->stats.errors++;
			bad = true;
			goto consume;
		}
		if (f.len > hlen)
			nseg = fbnic_rx_nb_segs(rxq, f.len - hlen);
		h = rte_pktmbuf_alloc(rxq->hdr_mp);
		if (unlikely(h == NULL ||
			     (nseg != 0 && fbnic_rx_mbufs_get(rxq, segs, nseg) != 0))) {
			/* The frame stays in the RCQ and its pages with the NIC. */
			rte_pktmbuf_free(h);
			rxq->stats.nombuf++;
			(*rxq->alloc_failed)++;
			break;
		}
		rte_memcpy(rte_pktmbuf_mtod(h, void *), f.piece[0].va, hlen);
		h->data_len = (uint16_t)hlen;
		if (nseg != 0) {
			fbnic_rx_copy_pieces(&f, hlen != 0, rxq->mbuf_room, segs, nseg);
			h->next = segs[0];
		}
		h->pkt_len = f.len;
		h->nb_segs = (uint16_t)(1 + nseg);
		h->port = rxq->port_id;
		fbnic_rx_meta(rxq, h, f.meta);
		fbnic_rx_opt_meta(rxq, h, f.opt);
		if (f.opt & FBNIC_RCD_OPT_META_TS)
			fbnic_rx_tstamp(rxq, h, f.opt);
		rx_pkts[nb_rx++] = h;
		bytes += f.len;
consume:
		rxq->hpq_head = f.hpq_head;
		rxq->ppq_head = f.ppq_head;
		pos += f.nrcd;
		limit = limit > f.nrcd ? limit - f.nrcd : 0;
	}

	return fbnic_rx_pages_burst_end(rxq, pos, bad, nb_rx, bytes);
}

/* ---------------------------------------------------------------------------------------
 * Zero-copy Rx
 */

/* Ports whose Rx queues are set up in zero-copy mode (primary process). */
static bool fbnic_rx_zc_port[RTE_MAX_ETHPORTS];

int
fbnic_rx_zero_copy_set(uint16_t port_id, bool on)
{
	if (port_id >= RTE_MAX_ETHPORTS)
		return -EINVAL;
	fbnic_rx_zc_port[port_id] = on;
	return 0;
}

bool
fbnic_rx_zero_copy_get(uint16_t port_id)
{
	return port_id < RTE_MAX_ETHPORTS && fbnic_rx_zc_port[port_id];
}

static void
fbnic_rx_zc_destroy(struct fbnic_rx_zc *zc)
{
	fbnic_rx_pages_free(&zc->pages);
	rte_ring_free(zc->free);
	rte_free(zc->page);
	rte_free(zc->hpq_slot);
	rte_free(zc->ppq_slot);
	rte_free(zc);
}

/* Drop one reference of the page set; the last one frees it. */
static void
fbnic_rx_zc_put(struct fbnic_rx_zc *zc, uint32_t n)
{
	if (__atomic_sub_fetch(&zc->refs, n, __ATOMIC_ACQ_REL) == 0)
		fbnic_rx_zc_destroy(zc);
}

/* shinfo free callback: the last reference to a page is gone (any lcore). */
static void
fbnic_rx_zc_page_free(void *addr __rte_unused, void *opaque)
{
	struct fbnic_rx_page *pg = opaque;
	struct fbnic_rx_zc *zc = pg->zc;

	/* The ring holds every page: this cannot fail. */
	rte_ring_mp_enqueue(zc->free, pg);
	fbnic_rx_zc_put(zc, 1);
}

/* The NIC is done with a page: drop its reference. */
static __rte_always_inline void
fbnic_rx_zc_page_unref(struct fbnic_rx_page *pg)
{
	if (rte_mbuf_ext_refcnt_update(&pg->shinfo, -1) == 0)
		fbnic_rx_zc_page_free(NULL, pg);
}

/* Drop the NIC's reference on the pages of BDQ slots [from, to). */
static void
fbnic_rx_zc_release(struct fbnic_rx_queue *rxq, const uint32_t *slot, uint16_t from,
		    uint16_t to)
{
	while (from != to) {
		fbnic_rx_zc_page_unref(&rxq->zc->page[slot[from]]);
		from = (from + 1) & rxq->bdq_mask;
	}
}

/* Post free pages to a BDQ, all but one slot, as far as free pages go. */
static void
fbnic_rx_zc_refill(struct fbnic_rx_queue *rxq, volatile uint64_t *ring, uint32_t *slot,
		   uint16_t head, uint16_t *tailp, uint32_t tail_reg)
{
	struct fbnic_rx_zc *zc = rxq->zc;
	uint16_t mask = rxq->bdq_mask, tail = *tailp;
	uint32_t n = (uint32_t)(head - tail - 1) & mask;
	struct fbnic_rx_page *pgs[64];

	while (n != 0) {
		unsigned int got, i;

		got = rte_ring_sc_dequeue_burst(zc->free, (void **)pgs,
						RTE_MIN(n, (uint32_t)RTE_DIM(pgs)), NULL);
		if (got == 0)
			break;	/* the application holds the rest; tried again next poll */
		__atomic_add_fetch(&zc->refs, got, __ATOMIC_RELAXED);
		for (i = 0; i < got; i++) {
			rte_mbuf_ext_refcnt_set(&pgs[i]->shinfo, 1);
			slot[tail] = pgs[i]->idx;
			ring[tail] = fbnic_bd(zc->iova[pgs[i]->idx], tail);
			tail = (tail + 1) & mask;
		}
		n -= got;
	}
	if (tail != *tailp) {
		*tailp = tail;
		fbnic_db_write(rxq->hw, tail_reg, (uint32_t)tail * FBNIC_BD_FRAG_COUNT);
	}
}

static void
fbnic_rx_zc_refill_all(struct fbnic_rx_queue *rxq)
{
	fbnic_rx_zc_refill(rxq, rxq->hpq, rxq->zc->hpq_slot, rxq->hpq_head, &rxq->hpq_tail,
			   rxq->hpq_tail_reg);
	fbnic_rx_zc_refill(rxq, rxq->ppq, rxq->zc->ppq_slot, rxq->ppq_head, &rxq->ppq_tail,
			   rxq->ppq_tail_reg);
}

static struct fbnic_rx_zc *
fbnic_rx_zc_create(struct rte_eth_dev *dev, uint16_t qid, uint32_t bdq, unsigned int socket_id)
{
	static uint32_t serial;
	uint32_t nb = 2 * bdq * FBNIC_RX_ZC_PAGES_PER_BD, i;
	char name[RTE_MEMZONE_NAMESIZE];
	struct fbnic_rx_zc *zc;
	uint32_t id = __atomic_fetch_add(&serial, 1, __ATOMIC_RELAXED);

	zc = rte_zmalloc_socket("fbnic_rx_zc", sizeof(*zc), RTE_CACHE_LINE_SIZE, socket_id);
	if (zc == NULL)
		return NULL;
	zc->page = rte_zmalloc_socket("fbnic_rx_zc", nb * sizeof(*zc->page), RTE_CACHE_LINE_SIZE,
				      socket_id);
	zc->hpq_slot = rte_zmalloc_socket("fbnic_rx_zc", bdq * sizeof(uint32_t), 0, socket_id);
	zc->ppq_slot = rte_zmalloc_socket("fbnic_rx_zc", bdq * sizeof(uint32_t), 0, socket_id);
	snprintf(name, sizeof(name), "fbnic_zcr_%u_%u_%u", dev->data->port_id, qid, id);
	zc->free = rte_ring_create(name, rte_align32pow2(nb + 1), (int)socket_id, RING_F_SC_DEQ);
	if (zc->page == NULL || zc->hpq_slot == NULL || zc->ppq_slot == NULL ||
	    zc->free == NULL || fbnic_rx_pages_alloc(&zc->pages, nb, socket_id) != 0) {
		fbnic_rx_zc_destroy(zc);
		return NULL;
	}
	zc->va = zc->pages.va;
	zc->iova = zc->pages.iova;
	zc->nb_pages = nb;
	zc->refs = 1;
	for (i = 0; i < nb; i++) {
		struct fbnic_rx_page *pg = &zc->page[i];

		pg->zc = zc;
		pg->idx = i;
		pg->shinfo.free_cb = fbnic_rx_zc_page_free;
		pg->shinfo.fcb_opaque = pg;
		rte_ring_sp_enqueue(zc->free, pg);
	}
	return zc;
}

/* Attach one piece of a frame to an mbuf; the page gains a reference. */
static __rte_always_inline void
fbnic_rx_zc_attach(const struct fbnic_rx_zc *zc, struct rte_mbuf *m,
		   const struct fbnic_rx_piece *p)
{
	/* HDR_AL data has MIN_HROOM bytes of its own in front (fbnic_hw.rst 2). */
	uint32_t hroom = p->hdr ? RTE_MIN(p->off, (uint32_t)FBNIC_RX_ZC_HROOM) : 0;
	size_t off = p->off - hroom;

	rte_mbuf_ext_refcnt_update(&p->pg->shinfo, 1);
	rte_pktmbuf_attach_extbuf(m, zc->va + (size_t)p->pg->idx * FBNIC_RX_PAGE_SIZE + off,
				  zc->iova[p->pg->idx] + off, (uint16_t)(hroom + p->len),
				  &p->pg->shinfo);
	m->data_off = (uint16_t)hroom;
	m->data_len = (uint16_t)p->len;
}

uint16_t
fbnic_recv_pkts_zc(void *rx_queue, struct rte_mbuf **rx_pkts, uint16_t nb_pkts)
{
	struct fbnic_rx_queue *rxq = rx_queue;
	struct fbnic_rx_zc *zc = rxq->zc;
	uint32_t pos = rxq->rcq_head, limit;
	uint64_t bytes = 0;
	uint16_t nb_rx = 0;
	bool bad = false;

	if (unlikely(!rxq->started))
		return 0;

	for (limit = rxq->rcq_mask + 1; nb_rx < nb_pkts && limit != 0;) {
		struct rte_mbuf *segs[FBNIC_RX_MAX_RCD];
		struct fbnic_rx_frame f;
		uint32_t i;

		if (fbnic_rx_frame_parse(rxq, pos, &f) == 0)
			break;
		if (fbnic_rx_frame_rejected(rxq, &f)) {
			bad = true;
			goto consume;
		}
		if (unlikely(f.npiece > 1 && !(rxq->offloads & RTE_ETH_RX_OFFLOAD_SCATTER))) {
			rxq->stats.errors++;
			goto consume;
		}
		if (unlikely(fbnic_rx_mbufs_get(rxq, segs, f.npiece) != 0)) {
			rxq->stats.nombuf++;
			(*rxq->alloc_failed)++;
			break;
		}
		for (i = 0; i < f.npiece; i++) {
			fbnic_rx_zc_attach(zc, segs[i], &f.piece[i]);
			segs[i]->next = i + 1 < f.npiece ? segs[i + 1] : NULL;
		}
		segs[0]->pkt_len = f.len;
		segs[0]->nb_segs = (uint16_t)f.npiece;
		segs[0]->port = rxq->port_id;
		fbnic_rx_meta(rxq, segs[0], f.meta);
		fbnic_rx_opt_meta(rxq, segs[0], f.opt);
		if (f.opt & FBNIC_RCD_OPT_META_TS)
			fbnic_rx_tstamp(rxq, segs[0], f.opt);
		rx_pkts[nb_rx++] = segs[0];
		bytes += f.len;
consume:
		/* Pages the NIC has finished lose its reference (the mbufs keep theirs). */
		fbnic_rx_zc_release(rxq, zc->hpq_slot, rxq->hpq_head, f.hpq_head);
		fbnic_rx_zc_release(rxq, zc->ppq_slot, rxq->ppq_head, f.ppq_head);
		rxq->hpq_head = f.hpq_head;
		rxq->ppq_head = f.ppq_head;
		pos += f.nrcd;
		limit = limit > f.nrcd ? limit - f.nrcd : 0;
	}

	if (unlikely(bad) && fbnic_rx_out_of_step(rxq, pos)) {
		fbnic_rx_queue_reset(rxq);
		goto out;
	}
	/* Also when idle: pages the application freed go back to the NIC. */
	fbnic_rx_zc_refill_all(rxq);
	if (pos != rxq->rcq_head) {
		rxq->rcq_head = pos;
		fbnic_wr32(rxq->hw, rxq->rcq_head_reg, pos & rxq->rcq_mask);
	}
out:
	rxq->stats.packets += nb_rx;
	rxq->stats.bytes += bytes;
	return nb_rx;
}

int
fbnic_rx_queue_count(void *rx_queue)
{
	struct fbnic_rx_queue *rxq = rx_queue;
	uint32_t entries = rxq->rcq_mask + 1, n;
	int frames = 0;

	/* A frame ends with its META completion: count those among the new entries. */
	for (n = 0; n < entries; n++) {
		uint32_t pos = rxq->rcq_head + n;
		uint64_t rcd = fbnic_cmpl_read(rxq->rcq, pos & rxq->rcq_mask);

		if (!fbnic_cmpl_new(rcd, pos, entries))
			break;
		if (FBNIC_FIELD_GET(FBNIC_RCD_TYPE_MASK, rcd) == FBNIC_RCD_TYPE_META)
			frames++;
	}
	return frames;
}

/*
 * offset counts the descriptors the application asked for at set-up, two
 * RCQ entries each (the smallest frame: HDR_AL and META). Descriptor
 * offset is done when the completion where that frame's META would be is.
 * The RCQ has four entries per descriptor, so every descriptor can be
 * filled, unless the RCQ was capped at the hardware's 65536 entries.
 */
int
fbnic_rx_descriptor_status(void *rx_queue, uint16_t offset)
{
	struct fbnic_rx_queue *rxq = rx_queue;
	uint32_t entries, slot, pos;

	if (unlikely(rxq == NULL))
		return -EINVAL;
	entries = rxq->rcq_mask + 1;
	slot = 2u * offset + 1;
	if (unlikely(offset >= rxq->nb_rx_desc || slot >= entries))
		return -EINVAL;
	pos = rxq->rcq_head + slot;
	if (fbnic_cmpl_new(fbnic_cmpl_read(rxq->rcq, pos & rxq->rcq_mask), pos, entries))
		return RTE_ETH_RX_DESC_DONE;
	/* The last RCQ entry stays empty so that a full ring differs from an empty one. */
	if (slot == rxq->rcq_mask)
		return RTE_ETH_RX_DESC_UNAVAIL;
	return RTE_ETH_RX_DESC_AVAIL;
}

/* ---------------------------------------------------------------------------------------
 * Queue set-up, start, stop, release
 */

static struct fbnic_hw *
fbnic_rxtx_hw(struct rte_eth_dev *dev)
{
	return &fbnic_eth_dev_adapter(dev)->hw;
}

static void
fbnic_tx_queue_free(struct fbnic_tx_queue *txq)
{
	if (txq == NULL)
		return;
	rte_memzone_free(txq->mz);
	rte_free(txq->sw_ring);
	rte_free(txq);
}

static void
fbnic_rx_queue_free(struct fbnic_rx_queue *rxq)
{
	if (rxq == NULL)
		return;
	/* Zero-copy pages stay until the last mbuf pointing into them is freed. */
	if (rxq->zc != NULL)
		fbnic_rx_zc_put(rxq->zc, 1);
	fbnic_rx_bufs_free(rxq);
	fbnic_rx_pages_free(&rxq->pages);
	rte_memzone_free(rxq->mz);
	rte_free(rxq);
}

int
fbnic_tx_queue_setup(struct rte_eth_dev *dev, uint16_t qid, uint16_t nb_desc,
		     unsigned int socket_id, const struct rte_eth_txconf *conf)
{
	struct fbnic_tx_queue *txq;
	const struct rte_memzone *mz;
	uint32_t entries = fbnic_ring_entries(nb_desc);
	size_t ring = fbnic_ring_bytes(entries);

	if (qid >= FBNIC_MAX_QUEUES) {
		PMD_TX_LOG(ERR, "port %u: Tx queue %u: only %u queues", dev->data->port_id, qid,
			   FBNIC_MAX_QUEUES);
		return -EINVAL;
	}
	if (dev->data->tx_queues[qid] != NULL) {
		fbnic_tx_queue_release(dev, qid);
		dev->data->tx_queues[qid] = NULL;
	}

	txq = rte_zmalloc_socket("fbnic_txq", sizeof(*txq), RTE_CACHE_LINE_SIZE, socket_id);
	if (txq == NULL)
		goto nomem;
	txq->sw_ring = rte_zmalloc_socket("fbnic_txq_sw", entries * sizeof(*txq->sw_ring),
					  RTE_CACHE_LINE_SIZE, socket_id);
	if (txq->sw_ring == NULL)
		goto nomem;
	/* TWQ0, TCQ, then the padding bytes: one IOVA-contiguous zone. */
	mz = rte_eth_dma_zone_reserve(dev, "fbnic_txq", qid, 2 * ring + FBNIC_TX_PAD_BYTES,
				      FBNIC_RING_ALIGN, socket_id);
	if (mz == NULL)
		goto nomem;
	txq->mz = mz;
	if (!fbnic_dma_reachable(mz))
		goto nodma;
	memset(mz->addr, 0, mz->len);
	txq->twq = mz->addr;
	txq->tcq = RTE_PTR_ADD(mz->addr, ring);
	txq->twq_iova = mz->iova;
	txq->tcq_iova = mz->iova + ring;
	txq->pad_iova = mz->iova + 2 * ring;

	txq->hw = fbnic_rxtx_hw(dev);
	txq->mask = entries - 1;
	txq->nb_desc = entries;
	txq->queue_id = qid;
	txq->port_id = dev->data->port_id;
	txq->twq_tail_reg = FBNIC_QUEUE_REG(qid, FBNIC_QUEUE_TWQ0_TAIL);
	txq->tcq_head_reg = FBNIC_QUEUE_REG(qid, FBNIC_QUEUE_TCQ_HEAD);
	txq->free_thresh = conf != NULL && conf->tx_free_thresh != 0 ?
			   conf->tx_free_thresh : FBNIC_TX_FREE_THRESH;
	if (txq->free_thresh > entries / 2)
		txq->free_thresh = (uint16_t)(entries / 2);
	txq->deferred_start = conf != NULL && conf->tx_deferred_start;
	txq->offloads = dev->data->dev_conf.txmode.offloads |
			(conf != NULL ? conf->offloads : 0);

	dev->data->tx_queues[qid] = txq;
	dev->data->tx_queue_state[qid] = RTE_ETH_QUEUE_STATE_STOPPED;
	PMD_TX_LOG(DEBUG, "port %u: Tx queue %u: %u descriptors", txq->port_id, qid, entries);
	return 0;

nodma:
	PMD_TX_LOG(ERR, "port %u: Tx queue %u: ring memory at IOVA 0x%" PRIx64
		   " is beyond the NIC's 46-bit reach", dev->data->port_id, qid, mz->iova);
	fbnic_tx_queue_free(txq);
	return -ENOMEM;
nomem:
	PMD_TX_LOG(ERR, "port %u: Tx queue %u: no memory for %u descriptors",
		   dev->data->port_id, qid, entries);
	fbnic_tx_queue_free(txq);
	return -ENOMEM;
}

/* Largest frame the port's MTU lets in: header, one VLAN tag, FCS. */
static uint32_t
fbnic_rx_max_frame(const struct rte_eth_dev *dev)
{
	return dev->data->mtu + RTE_ETHER_HDR_LEN + RTE_ETHER_CRC_LEN + RTE_VLAN_HLEN;
}

bool
fbnic_rx_queues_take(const struct rte_eth_dev *dev, uint32_t max_frame)
{
	uint16_t q;

	for (q = 0; q < dev->data->nb_rx_queues; q++) {
		const struct fbnic_rx_queue *rxq = dev->data->rx_queues[q];
		bool scatter, ok;

		if (rxq == NULL)
			continue;
		scatter = rxq->offloads & RTE_ETH_RX_OFFLOAD_SCATTER;
		if (rxq->scheme == FBNIC_RX_SCHEME_BUFS)
			/* One buffer, or header and payload buffers on the PPQ. */
			ok = max_frame <= rxq->buf_max_len ||
			     (rxq->ppq_fill != 0 && max_frame <= FBNIC_RX_MAX_FRAME);
		else if (rxq->scheme == FBNIC_RX_SCHEME_SPLIT)
			/* A header mbuf and as many payload mbufs as it takes. */
			ok = max_frame <= FBNIC_RX_MAX_FRAME;
		else
			/* Pages of both rings, copied or attached into the mbufs. */
			ok = max_frame <= (scatter ? FBNIC_RX_MAX_FRAME : rxq->mbuf_room);
		if (!ok)
			return false;
	}
	return true;
}

/* Copy scheme: the HPQ's pages, then the PPQ's, one IOVA per page. */
static int
fbnic_rx_copy_setup(struct fbnic_rx_queue *rxq)
{
	uint32_t bdq = rxq->nb_bdq;
	int ret;

	ret = fbnic_rx_pages_alloc(&rxq->pages, 2 * bdq, rxq->socket_id);
	if (ret != 0)
		return ret;
	rxq->hpq_pages = rxq->pages.va;
	rxq->ppq_pages = rxq->pages.va + (size_t)bdq * FBNIC_RX_PAGE_SIZE;
	rxq->hpq_pages_iova = rxq->pages.iova;
	rxq->ppq_pages_iova = rxq->pages.iova + bdq;
	rxq->nb_hpq = bdq;
	rxq->bdq_mask = (uint16_t)(bdq - 1);
	rxq->scheme = FBNIC_RX_SCHEME_COPY;
	return 0;
}

/*
 * At start: a buffer-scheme queue whose frames outgrew one buffer (the MTU
 * was raised after set-up) moves to the copy scheme.
 */
static int
fbnic_rx_scheme_check(struct rte_eth_dev *dev, struct fbnic_rx_queue *rxq)
{
	uint32_t room, max_frame = fbnic_rx_max_frame(dev);
	int ret;

	if (rxq->scheme != FBNIC_RX_SCHEME_BUFS || fbnic_rx_bufs_ppq_set(rxq, max_frame))
		return 0;
	fbnic_rx_bufs_free(rxq);
	ret = fbnic_rx_copy_setup(rxq);
	if (ret != 0) {
		PMD_RX_LOG(ERR, "port %u: Rx queue %u: no memory for the copy scheme "
			   "that %u-byte frames need", rxq->port_id, rxq->queue_id, max_frame);
		return -ENOMEM;
	}
	room = rte_pktmbuf_data_room_size(rxq->mp);
	room = room > RTE_PKTMBUF_HEADROOM ? room - RTE_PKTMBUF_HEADROOM : 0;
	rxq->mbuf_room = (uint16_t)RTE_MIN(room, (uint32_t)UINT16_MAX);
	PMD_RX_LOG(INFO, "port %u: Rx queue %u: %u-byte frames exceed one buffer: copy scheme",
		   rxq->port_id, rxq->queue_id, max_frame);
	return 0;
}

/* Data room of one mbuf of mp, after the headroom. */
static uint32_t
fbnic_pool_room(struct rte_mempool *mp)
{
	uint32_t room = rte_pktmbuf_data_room_size(mp);

	return room > RTE_PKTMBUF_HEADROOM ? room - RTE_PKTMBUF_HEADROOM : 0;
}

/* A queue's header split, as its rx_seg[] asks for it. */
struct fbnic_rx_split {
	struct rte_mempool *hdr_mp;	/* NULL: no split */
	struct rte_mempool *pay_mp;
	uint32_t hdr_room;
	uint32_t pay_room;		/* bytes per payload mbuf */
	uint32_t max_hdr;
	bool hint;
};

static bool
fbnic_split_ptype_ok(uint32_t proto_hdr)
{
	unsigned int i;

	for (i = 0; i < RTE_DIM(fbnic_split_ptypes); i++)
		if (proto_hdr == fbnic_split_ptypes[i])
			return true;
	return false;
}

/*
 * BUFFER_SPLIT: rx_seg[0] is the header pool and where to cut, rx_seg[1] the
 * payload pool. 0 with sp filled (sp->hdr_mp NULL without the offload), or a
 * negative errno, logged. Nothing is changed: a refused request leaves the
 * queue as it was.
 */
static int
fbnic_rx_split_parse(const struct rte_eth_dev *dev, uint16_t qid,
		     const struct rte_eth_rxconf *conf, uint64_t offloads,
		     struct fbnic_rx_split *sp)
{
	uint16_t port = dev->data->port_id, nseg = conf != NULL ? conf->rx_nseg : 0;
	const struct rte_eth_rxseg_split *hdr, *pay;

	memset(sp, 0, sizeof(*sp));
	if (!(offloads & RTE_ETH_RX_OFFLOAD_BUFFER_SPLIT)) {
		if (nseg == 0)
			return 0;
		PMD_RX_LOG(ERR, "port %u: Rx queue %u: rx_seg[] without the buffer split offload",
			   port, qid);
		return -EINVAL;
	}
	if (nseg != 2 || conf->rx_seg == NULL) {
		PMD_RX_LOG(ERR, "port %u: Rx queue %u: buffer split needs 2 rx_seg[] (header, "
			   "payload), got %u", port, qid, nseg);
		return -EINVAL;
	}
	hdr = &conf->rx_seg[0].split;
	pay = &conf->rx_seg[1].split;
	if (hdr->mp == NULL || pay->mp == NULL) {
		PMD_RX_LOG(ERR, "port %u: Rx queue %u: buffer split without a pool", port, qid);
		return -EINVAL;
	}
	if (hdr->offset != 0 || pay->offset != 0) {
		PMD_RX_LOG(ERR, "port %u: Rx queue %u: buffer split offsets %u/%u: the NIC "
			   "writes at the mbuf headroom", port, qid, hdr->offset, pay->offset);
		return -ENOTSUP;
	}
	if (pay->proto_hdr != 0) {
		PMD_RX_LOG(ERR, "port %u: Rx queue %u: the payload segment names headers 0x%x: "
			   "the NIC cuts a frame once", port, qid, pay->proto_hdr);
		return -EINVAL;
	}
	sp->hdr_mp = hdr->mp;
	sp->pay_mp = pay->mp;
	sp->hdr_room = fbnic_pool_room(hdr->mp);
	sp->pay_room = fbnic_pool_room(pay->mp);
	if (pay->length != 0)
		sp->pay_room = RTE_MIN(sp->pay_room, (uint32_t)pay->length);
	if (hdr->proto_hdr != 0) {
		if (hdr->length != 0 || !fbnic_split_ptype_ok(hdr->proto_hdr)) {
			PMD_RX_LOG(ERR, "port %u: Rx queue %u: split after headers 0x%x "
				   "(length %u): the NIC cuts after TCP/UDP only", port, qid,
				   hdr->proto_hdr, hdr->length);
			return -EINVAL;
		}
		sp->hint = true;
		sp->max_hdr = FBNIC_RX_SPLIT_MAX_HDR;
	} else {
		/* A fixed length, 0 meaning the header mbuf's data room (ethdev). */
		sp->max_hdr = hdr->length != 0 ? hdr->length : sp->hdr_room;
		if (sp->max_hdr < FBNIC_RX_SPLIT_LEN_MIN || sp->max_hdr > FBNIC_RX_SPLIT_LEN_MAX) {
			PMD_RX_LOG(ERR, "port %u: Rx queue %u: split length %u: the NIC cuts at "
				   "%u..%u bytes", port, qid, sp->max_hdr, FBNIC_RX_SPLIT_LEN_MIN,
				   FBNIC_RX_SPLIT_LEN_MAX);
			return -EINVAL;
		}
	}
	if (sp->hdr_room < sp->max_hdr) {
		PMD_RX_LOG(ERR, "port %u: Rx queue %u: header pool %s: %u bytes of data room, "
			   "the NIC's %u-byte header part needs them", port, qid, hdr->mp->name,
			   sp->hdr_room, sp->max_hdr);
		return -EINVAL;
	}
	if (sp->pay_room < FBNIC_RX_MAX_FRAME / FBNIC_RX_MBUF_CACHE) {
		PMD_RX_LOG(ERR, "port %u: Rx queue %u: payload pool %s: %u bytes per mbuf, "
			   "need %u", port, qid, pay->mp->name, sp->pay_room,
			   FBNIC_RX_MAX_FRAME / FBNIC_RX_MBUF_CACHE);
		return -EINVAL;
	}
	return 0;
}

int
fbnic_rx_queue_setup(struct rte_eth_dev *dev, uint16_t qid, uint16_t nb_desc,
		     unsigned int socket_id, const struct rte_eth_rxconf *conf,
		     struct rte_mempool *mp)
{
	struct fbnic_rx_queue *rxq;
	const struct rte_memzone *mz;
	uint32_t entries = fbnic_ring_entries(nb_desc);
	/*
	 * Every frame takes at least two completions (HDR_AL and META), and the
	 * device leaves one entry free: the RCQ gets four entries per requested
	 * descriptor, so that the queue holds nb_desc frames (with OPT_META
	 * too) while the application does not poll, as it expects.
	 * A 4 KiB HPQ page holds several small frames: a quarter as many pages.
	 */
	uint32_t rcq = RTE_MIN(4 * entries, (uint32_t)FBNIC_RING_MAX_ENTRIES);
	uint32_t bdq = RTE_MAX(entries / 4, (uint32_t)FBNIC_RING_MIN_DESC);
	/*
	 * The buffer scheme posts one HPQ buffer per descriptor, so that the
	 * queue holds nb_desc frames: its HPQ ring has room for twice as many.
	 */
	uint32_t hpq = RTE_MIN(2 * entries, (uint32_t)FBNIC_RING_MAX_ENTRIES);
	size_t rcq_bytes = fbnic_ring_bytes(rcq), bdq_bytes = fbnic_ring_bytes(hpq);
	uint64_t offloads = dev->data->dev_conf.rxmode.offloads |
			    (conf != NULL ? conf->offloads : 0);
	struct fbnic_rx_split split;
	uint32_t room, max_frame;
	int ret;

	if (qid >= FBNIC_MAX_QUEUES) {
		PMD_RX_LOG(ERR, "port %u: Rx queue %u: bad queue", dev->data->port_id, qid);
		return -EINVAL;
	}
	ret = fbnic_rx_split_parse(dev, qid, conf, offloads, &split);
	if (ret != 0)
		return ret;
	if (split.hdr_mp != NULL)
		mp = split.pay_mp;
	if (mp == NULL) {
		PMD_RX_LOG(ERR, "port %u: Rx queue %u: no pool", dev->data->port_id, qid);
		return -EINVAL;
	}
	room = split.hdr_mp != NULL ? split.pay_room : fbnic_pool_room(mp);
	if (room < FBNIC_RX_MAX_FRAME / FBNIC_RX_MBUF_CACHE) {
		PMD_RX_LOG(ERR, "port %u: Rx queue %u: pool %s: %u bytes of data room, need %u",
			   dev->data->port_id, qid, mp->name, room,
			   FBNIC_RX_MAX_FRAME / FBNIC_RX_MBUF_CACHE);
		return -EINVAL;
	}
	if (dev->data->rx_queues[qid] != NULL) {
		fbnic_rx_queue_release(dev, qid);
		dev->data->rx_queues[qid] = NULL;
	}

	rxq = rte_zmalloc_socket("fbnic_rxq", sizeof(*rxq), RTE_CACHE_LINE_SIZE, socket_id);
	if (rxq == NULL)
		goto nomem;
	rxq->queue_id = qid;
	rxq->port_id = dev->data->port_id;
	rxq->socket_id = socket_id;
	rxq->nb_bdq = bdq;
	rxq->nb_hpq = bdq;
	rxq->alloc_failed = &dev->data->rx_mbuf_alloc_failed;
	rxq->flow_mark = fbnic_eth_dev_adapter(dev)->flow_mark;
	rxq->offloads = offloads;
	max_frame = fbnic_rx_max_frame(dev);
	if (split.hdr_mp != NULL) {
		/* The copy scheme's pages; rx_zero_copy does not apply. */
		ret = fbnic_rx_copy_setup(rxq);
		if (ret == -ERANGE)
			goto unreachable;
		if (ret != 0)
			goto nomem;
		rxq->scheme = FBNIC_RX_SCHEME_SPLIT;
		rxq->hdr_mp = split.hdr_mp;
		rxq->hdr_room = (uint16_t)RTE_MIN(split.hdr_room, (uint32_t)UINT16_MAX);
		rxq->split_max_hdr = (uint16_t)split.max_hdr;
		rxq->split_hint = split.hint;
	} else if (!fbnic_rx_zero_copy_get(dev->data->port_id) &&
	    fbnic_rx_bufs_usable(dev, mp, max_frame,
				 rxq->offloads & RTE_ETH_RX_OFFLOAD_SCATTER)) {
		rxq->nb_hpq = hpq;
		rxq->hpq_fill = (uint16_t)RTE_MIN(entries, hpq - 1);
		ret = fbnic_rx_bufs_setup(dev, rxq, mp, socket_id);
		if (ret == -ERANGE)
			goto unreachable;
		if (ret != 0)
			goto nomem;
	} else if (fbnic_rx_zero_copy_get(dev->data->port_id)) {
		if (rte_pktmbuf_priv_flags(mp) & RTE_PKTMBUF_POOL_F_PINNED_EXT_BUF) {
			PMD_RX_LOG(ERR, "port %u: Rx queue %u: zero-copy needs direct mbufs, "
				   "pool %s has pinned external buffers", dev->data->port_id, qid,
				   mp->name);
			rte_free(rxq);
			return -EINVAL;
		}
		rxq->zc = fbnic_rx_zc_create(dev, qid, bdq, socket_id);
		if (rxq->zc == NULL)
			goto nomem;
		rxq->scheme = FBNIC_RX_SCHEME_ZC;
	} else {
		ret = fbnic_rx_copy_setup(rxq);
		if (ret == -ERANGE)
			goto unreachable;
		if (ret != 0)
			goto nomem;
	}
	/* The RCQ, HPQ and PPQ rings, in one IOVA-contiguous zone under 1 MiB. */
	mz = rte_eth_dma_zone_reserve(dev, "fbnic_rxq", qid, rcq_bytes + 2 * bdq_bytes,
				      FBNIC_RING_ALIGN, socket_id);
	if (mz == NULL)
		goto nomem;
	rxq->mz = mz;
	if (!fbnic_dma_reachable(mz))
		goto unreachable;
	memset(mz->addr, 0, rcq_bytes + 2 * bdq_bytes);
	rxq->rcq = mz->addr;
	rxq->rcq_iova = mz->iova;
	rxq->hpq = RTE_PTR_ADD(mz->addr, rcq_bytes);
	rxq->hpq_iova = mz->iova + rcq_bytes;
	rxq->ppq = RTE_PTR_ADD(mz->addr, rcq_bytes + bdq_bytes);
	rxq->ppq_iova = mz->iova + rcq_bytes + bdq_bytes;

	rxq->hw = fbnic_rxtx_hw(dev);
	rxq->mp = mp;
	if (rxq->scheme != FBNIC_RX_SCHEME_BUFS)
		rxq->mbuf_room = (uint16_t)RTE_MIN(room, (uint32_t)UINT16_MAX);
	rxq->rcq_mask = rcq - 1;
	rxq->bdq_mask = (uint16_t)(rxq->nb_hpq - 1);
	rxq->nb_desc = rcq;
	rxq->nb_rx_desc = entries;
	rxq->rcq_head_reg = FBNIC_QUEUE_REG(qid, FBNIC_QUEUE_RCQ_HEAD);
	rxq->hpq_tail_reg = FBNIC_QUEUE_REG(qid, FBNIC_QUEUE_BDQ_HPQ_TAIL);
	rxq->ppq_tail_reg = FBNIC_QUEUE_REG(qid, FBNIC_QUEUE_BDQ_PPQ_TAIL);
	rxq->deferred_start = conf != NULL && conf->rx_deferred_start;
	rxq->drop_en = conf != NULL && conf->rx_drop_en;

	if (rxq->scheme != FBNIC_RX_SCHEME_BUFS && rxq->scheme != FBNIC_RX_SCHEME_SPLIT &&
	    !(rxq->offloads & RTE_ETH_RX_OFFLOAD_SCATTER) && max_frame > room)
		PMD_RX_LOG(NOTICE, "port %u: Rx queue %u: frames over %u bytes will be dropped "
			   "(enable scatter to receive them)", rxq->port_id, qid, room);

	dev->data->rx_queues[qid] = rxq;
	dev->data->rx_queue_state[qid] = RTE_ETH_QUEUE_STATE_STOPPED;
	PMD_RX_LOG(DEBUG, "port %u: Rx queue %u: RCQ %u, HPQ %u, %s scheme", rxq->port_id,
		   qid, rcq, rxq->nb_hpq, rxq->scheme == FBNIC_RX_SCHEME_BUFS ? "buffer" :
		   rxq->scheme == FBNIC_RX_SCHEME_COPY ? "copy" :
		   rxq->scheme == FBNIC_RX_SCHEME_SPLIT ? "split" : "zero-copy");
	return 0;

unreachable:
	PMD_RX_LOG(ERR, "port %u: Rx queue %u: ring or page memory beyond the NIC's 46-bit reach",
		   dev->data->port_id, qid);
	fbnic_rx_queue_free(rxq);
	return -ENOMEM;

nomem:
	PMD_RX_LOG(ERR, "port %u: Rx queue %u: no memory for %u descriptors",
		   dev->data->port_id, qid, entries);
	fbnic_rx_queue_free(rxq);
	return -ENOMEM;
}

int
fbnic_tx_queue_start(struct rte_eth_dev *dev, uint16_t qid)
{
	struct fbnic_tx_queue *txq = qid < dev->data->nb_tx_queues ?
				     dev->data->tx_queues[qid] : NULL;
	struct fbnic_txq_hw_cfg cfg = { 0 };
	int ret;

	if (txq == NULL)
		return -EINVAL;
	if (txq->started)
		return 0;
	memset(RTE_PTR_ADD(txq->twq, 0), 0, fbnic_ring_bytes(txq->nb_desc) * 2);
	txq->head = 0;
	txq->hw_head = 0;
	txq->tail = 0;
	txq->tcq_head = 0;
	fbnic_ptp_txq_init(dev, txq);

	cfg.qid = qid;
	cfg.twq0_iova = txq->twq_iova;
	cfg.twq0_log2 = fbnic_log2(txq->nb_desc);
	cfg.tcq_iova = txq->tcq_iova;
	cfg.tcq_log2 = cfg.twq0_log2;
	cfg.vector = FBNIC_QUEUE_VECTOR(qid);
	ret = fbnic_txq_hw_enable(txq->hw, &cfg);
	if (ret != 0) {
		PMD_TX_LOG(ERR, "port %u: Tx queue %u: enable failed: %d", txq->port_id, qid, ret);
		return ret;
	}
	fbnic_hw_flush(txq->hw);
	txq->started = true;
	dev->data->tx_queue_state[qid] = RTE_ETH_QUEUE_STATE_STARTED;
	return 0;
}

int
fbnic_tx_queue_stop(struct rte_eth_dev *dev, uint16_t qid)
{
	struct fbnic_tx_queue *txq = qid < dev->data->nb_tx_queues ?
				     dev->data->tx_queues[qid] : NULL;
	uint32_t left;
	int ret;

	if (txq == NULL)
		return -EINVAL;
	if (!txq->started)
		return 0;
	txq->started = false;
	fbnic_txq_hw_disable(txq->hw, qid);
	fbnic_hw_flush(txq->hw);
	ret = fbnic_txq_wait_idle(txq->hw, qid);
	if (ret != 0)
		PMD_TX_LOG(WARNING, "port %u: Tx queue %u did not go idle: %d", txq->port_id, qid,
			   ret);

	/* What the NIC reported is sent; the rest is dropped (as Linux). */
	fbnic_tx_reap(txq, UINT32_MAX);
	left = fbnic_tx_used(txq);
	if (left != 0) {
		uint32_t frames = fbnic_tx_free_range(txq, txq->tail, UINT32_MAX);

		txq->stats.drops += frames;
		PMD_TX_LOG(DEBUG, "port %u: Tx queue %u: %u frames not sent", txq->port_id, qid,
			   frames);
	}
	txq->head = 0;
	txq->hw_head = 0;
	txq->tail = 0;
	txq->tcq_head = 0;
	memset(RTE_PTR_ADD(txq->tcq, 0), 0, fbnic_ring_bytes(txq->nb_desc));
	dev->data->tx_queue_state[qid] = RTE_ETH_QUEUE_STATE_STOPPED;
	return 0;
}

void
fbnic_rx_drop_modes_update(struct rte_eth_dev *dev)
{
	uint16_t qid;

	for (qid = 0; qid < dev->data->nb_rx_queues; qid++) {
		struct fbnic_rx_queue *rxq = dev->data->rx_queues[qid];

		if (rxq == NULL || !rxq->started || rxq->drop_en)
			continue;
		fbnic_rxq_drop_mode_set(rxq->hw, qid,
					fbnic_rx_drop_mode(rxq->hw->tx_pause,
							   dev->data->nb_rx_queues));
	}
}

int
fbnic_rx_queue_start(struct rte_eth_dev *dev, uint16_t qid)
{
	struct fbnic_rx_queue *rxq = qid < dev->data->nb_rx_queues ?
				     dev->data->rx_queues[qid] : NULL;
	struct fbnic_rxq_hw_cfg cfg = { 0 };
	int ret;

	if (rxq == NULL)
		return -EINVAL;
	if (rxq->started)
		return 0;
	ret = fbnic_rx_scheme_check(dev, rxq);
	if (ret != 0)
		return ret;
	memset(RTE_PTR_ADD(rxq->rcq, 0), 0, fbnic_ring_bytes(rxq->nb_desc));
	rxq->rcq_head = 0;
	rxq->hpq_head = 0;
	rxq->hpq_tail = 0;
	rxq->ppq_head = 0;
	rxq->ppq_tail = 0;

	cfg.qid = qid;
	cfg.hpq_iova = rxq->hpq_iova;
	cfg.hpq_log2 = fbnic_log2(rxq->nb_hpq);
	cfg.ppq_iova = rxq->ppq_iova;
	/* The buffer scheme takes whole frames in the HPQ, and a PPQ only for longer ones. */
	if (rxq->scheme != FBNIC_RX_SCHEME_BUFS)
		cfg.ppq_log2 = fbnic_log2(rxq->nb_bdq);
	else if (rxq->ppq_fill != 0)
		cfg.ppq_log2 = fbnic_log2(rxq->nb_hpq);
	cfg.rcq_iova = rxq->rcq_iova;
	cfg.rcq_log2 = fbnic_log2(rxq->nb_desc);
	cfg.drop_mode = rxq->drop_en ? FBNIC_QUEUE_RDE_CTL0_DROP_IMMEDIATE :
			fbnic_rx_drop_mode(rxq->hw->tx_pause, dev->data->nb_rx_queues);
	cfg.min_hroom = rxq->zc != NULL ? FBNIC_RX_ZC_HROOM : FBNIC_RX_MIN_HROOM;
	cfg.min_troom = FBNIC_RX_MIN_TROOM;
	cfg.hdr_split = false;
	cfg.max_hdr = FBNIC_RX_MAX_HDR;
	if (rxq->scheme == FBNIC_RX_SCHEME_BUFS) {
		cfg.min_hroom = rxq->buf_first_off;
		cfg.max_hdr = rxq->buf_max_len;
	}
	if (rxq->scheme == FBNIC_RX_SCHEME_SPLIT) {
		cfg.hdr_split = rxq->split_hint;
		cfg.max_hdr = rxq->split_max_hdr;
	}
	cfg.padlen = FBNIC_RX_PADLEN;
	cfg.payld_pack = FBNIC_QUEUE_RDE_CTL1_PAYLD_PACK_NONE;
	cfg.vector = FBNIC_QUEUE_VECTOR(qid);
	cfg.rim_threshold = fbnic_intr_rim_threshold(dev);
	ret = fbnic_rxq_hw_enable(rxq->hw, &cfg);
	if (ret != 0) {
		PMD_RX_LOG(ERR, "port %u: Rx queue %u: enable failed: %d", rxq->port_id, qid, ret);
		return ret;
	}
	/* Linux order: enable, then give the NIC its buffers (all but one slot). */
	if (rxq->scheme == FBNIC_RX_SCHEME_BUFS) {
		fbnic_rx_bufs_fill(rxq);
	} else if (rxq->zc != NULL) {
		fbnic_rx_zc_refill_all(rxq);
	} else {
		fbnic_bdq_refill(rxq, rxq->hpq, rxq->hpq_pages_iova, 0, &rxq->hpq_tail,
				 rxq->hpq_tail_reg);
		fbnic_bdq_refill(rxq, rxq->ppq, rxq->ppq_pages_iova, 0, &rxq->ppq_tail,
				 rxq->ppq_tail_reg);
	}
	fbnic_hw_flush(rxq->hw);
	fbnic_ptp_rxq_init(dev, rxq);
	rxq->started = true;
	dev->data->rx_queue_state[qid] = RTE_ETH_QUEUE_STATE_STARTED;
	return 0;
}

int
fbnic_rx_queue_stop(struct rte_eth_dev *dev, uint16_t qid)
{
	struct fbnic_rx_queue *rxq = qid < dev->data->nb_rx_queues ?
				     dev->data->rx_queues[qid] : NULL;
	int ret;

	if (rxq == NULL)
		return -EINVAL;
	if (!rxq->started)
		return 0;
	rxq->started = false;
	fbnic_rxq_hw_disable(rxq->hw, qid);
	fbnic_hw_flush(rxq->hw);
	ret = fbnic_rxq_wait_idle(rxq->hw, qid);
	if (ret != 0)
		PMD_RX_LOG(WARNING, "port %u: Rx queue %u did not go idle: %d", rxq->port_id, qid,
			   ret);
	/* Posted zero-copy pages lose the NIC's reference; copy-mode pages are the queue's. */
	if (rxq->zc != NULL) {
		fbnic_rx_zc_release(rxq, rxq->zc->hpq_slot, rxq->hpq_head, rxq->hpq_tail);
		fbnic_rx_zc_release(rxq, rxq->zc->ppq_slot, rxq->ppq_head, rxq->ppq_tail);
	}
	if (rxq->scheme == FBNIC_RX_SCHEME_BUFS)
		fbnic_rx_bufs_drain(rxq);
	if (rxq->mcache_n != 0)
		rte_pktmbuf_free_bulk(rxq->mcache, rxq->mcache_n);
	rxq->mcache_n = 0;
	memset(RTE_PTR_ADD(rxq->rcq, 0), 0, fbnic_ring_bytes(rxq->nb_desc));
	rxq->rcq_head = 0;
	rxq->hpq_head = 0;
	rxq->hpq_tail = 0;
	rxq->ppq_head = 0;
	rxq->ppq_tail = 0;
	dev->data->rx_queue_state[qid] = RTE_ETH_QUEUE_STATE_STOPPED;
	return 0;
}

void
fbnic_tx_queue_release(struct rte_eth_dev *dev, uint16_t qid)
{
	struct fbnic_tx_queue *txq = dev->data->tx_queues[qid];

	if (txq == NULL)
		return;
	if (txq->started)
		fbnic_tx_queue_stop(dev, qid);
	/* Frames of a queue that was never started or is stopped are already freed. */
	fbnic_tx_free_range(txq, txq->tail, UINT32_MAX);
	fbnic_tx_queue_free(txq);
	dev->data->tx_queues[qid] = NULL;
}

void
fbnic_rx_queue_release(struct rte_eth_dev *dev, uint16_t qid)
{
	struct fbnic_rx_queue *rxq = dev->data->rx_queues[qid];

	if (rxq == NULL)
		return;
	if (rxq->started)
		fbnic_rx_queue_stop(dev, qid);
	fbnic_rx_queue_free(rxq);
	dev->data->rx_queues[qid] = NULL;
}

void
fbnic_dev_free_queues(struct rte_eth_dev *dev)
{
	uint16_t i;

	for (i = 0; i < dev->data->nb_rx_queues; i++)
		fbnic_rx_queue_release(dev, i);
	dev->data->nb_rx_queues = 0;
	for (i = 0; i < dev->data->nb_tx_queues; i++)
		fbnic_tx_queue_release(dev, i);
	dev->data->nb_tx_queues = 0;
}

/* ---------------------------------------------------------------------------------------
 * Path selection and queue information
 */

/* No CPU flag needed beyond the build's baseline. */
#define FBNIC_CPU_BASELINE	(-1)

struct fbnic_rx_path {
	const char *name;
	eth_rx_burst_t burst;
	uint16_t simd_bits;
	uint64_t offloads;
	uint8_t scheme;		/* enum fbnic_rx_scheme the path serves */
	int cpu_flag;		/* enum rte_cpu_flag_t the CPU must have, or FBNIC_CPU_BASELINE */
};

struct fbnic_tx_path {
	const char *name;
	eth_tx_burst_t burst;
	uint16_t simd_bits;
	uint64_t offloads;	/* the port's Tx offloads must lie within these */
	uint64_t needs;		/* and include these (0: none) */
	int cpu_flag;		/* enum rte_cpu_flag_t the CPU must have, or FBNIC_CPU_BASELINE */
};

static const struct fbnic_rx_path fbnic_rx_paths[] = {
	{ "Scalar", fbnic_recv_pkts_bufs, RTE_VECT_SIMD_DISABLED, FBNIC_RX_OFFLOADS,
	  FBNIC_RX_SCHEME_BUFS, FBNIC_CPU_BASELINE },
#ifdef RTE_ARCH_X86
	/* Of two paths as wide, the first that serves the offloads: no checksum work. */
	{ "SSE", fbnic_recv_pkts_bufs_sse, RTE_VECT_SIMD_128, FBNIC_RX_VEC_OFFLOADS,
	  FBNIC_RX_SCHEME_BUFS, RTE_CPUFLAG_SSE4_2 },
	{ "SSE checksum", fbnic_recv_pkts_bufs_sse_csum, RTE_VECT_SIMD_128,
	  FBNIC_RX_VEC_CSUM_OFFLOADS, FBNIC_RX_SCHEME_BUFS, RTE_CPUFLAG_SSE4_2 },
#ifdef CC_AVX2_SUPPORT
	{ "AVX2", fbnic_recv_pkts_bufs_avx2, RTE_VECT_SIMD_256, FBNIC_RX_VEC_OFFLOADS,
	  FBNIC_RX_SCHEME_BUFS, RTE_CPUFLAG_AVX2 },
	{ "AVX2 checksum", fbnic_recv_pkts_bufs_avx2_csum, RTE_VECT_SIMD_256,
	  FBNIC_RX_VEC_CSUM_OFFLOADS, FBNIC_RX_SCHEME_BUFS, RTE_CPUFLAG_AVX2 },
#endif
#ifdef CC_AVX512_SUPPORT
	{ "AVX512", fbnic_recv_pkts_bufs_avx512, RTE_VECT_SIMD_512, FBNIC_RX_VEC_OFFLOADS,
	  FBNIC_RX_SCHEME_BUFS, RTE_CPUFLAG_AVX512F },
	{ "AVX512 checksum", fbnic_recv_pkts_bufs_avx512_csum, RTE_VECT_SIMD_512,
	  FBNIC_RX_VEC_CSUM_OFFLOADS, FBNIC_RX_SCHEME_BUFS, RTE_CPUFLAG_AVX512F },
#endif
#endif
	{ "Scalar copy", fbnic_recv_pkts, RTE_VECT_SIMD_DISABLED, FBNIC_RX_OFFLOADS,
	  FBNIC_RX_SCHEME_COPY, FBNIC_CPU_BASELINE },
	{ "Scalar zero-copy", fbnic_recv_pkts_zc, RTE_VECT_SIMD_DISABLED, FBNIC_RX_OFFLOADS,
	  FBNIC_RX_SCHEME_ZC, FBNIC_CPU_BASELINE },
	{ "Scalar split", fbnic_recv_pkts_split, RTE_VECT_SIMD_DISABLED, FBNIC_RX_SPLIT_OFFLOADS,
	  FBNIC_RX_SCHEME_SPLIT, FBNIC_CPU_BASELINE },
};

const uint32_t *
fbnic_supported_ptypes_get(struct rte_eth_dev *dev, size_t *no_of_elements)
{
	unsigned int i;

	/* Every Rx path reports the same META-derived types. */
	for (i = 0; i < RTE_DIM(fbnic_rx_paths); i++) {
		if (dev->rx_pkt_burst != fbnic_rx_paths[i].burst)
			continue;
		*no_of_elements = RTE_DIM(fbnic_ptypes_supported);
		return fbnic_ptypes_supported;
	}
	return NULL;
}

static bool
fbnic_cpu_has(int flag)
{
	return flag == FBNIC_CPU_BASELINE ||
	       rte_cpu_get_flag_enabled((enum rte_cpu_flag_t)flag) > 0;
}

/*
 * Each vector width twice: without checksums, and with TCP/UDP checksum
 * requests for ports that enabled them (the only difference, decided here).
 */
static const struct fbnic_tx_path fbnic_tx_paths[] = {
	{ "Scalar", fbnic_xmit_pkts, RTE_VECT_SIMD_DISABLED, FBNIC_TX_OFFLOADS, 0,
	  FBNIC_CPU_BASELINE },
#ifdef RTE_ARCH_X86
	{ "SSE", fbnic_xmit_pkts_sse, RTE_VECT_SIMD_128, RTE_ETH_TX_OFFLOAD_MBUF_FAST_FREE, 0,
	  RTE_CPUFLAG_SSE4_2 },
	{ "SSE checksum", fbnic_xmit_pkts_sse_csum, RTE_VECT_SIMD_128, FBNIC_TX_VEC_OFFLOADS,
	  FBNIC_TX_VEC_CSUM, RTE_CPUFLAG_SSE4_2 },
#ifdef CC_AVX2_SUPPORT
	{ "AVX2", fbnic_xmit_pkts_avx2, RTE_VECT_SIMD_256, RTE_ETH_TX_OFFLOAD_MBUF_FAST_FREE, 0,
	  RTE_CPUFLAG_AVX2 },
	{ "AVX2 checksum", fbnic_xmit_pkts_avx2_csum, RTE_VECT_SIMD_256, FBNIC_TX_VEC_OFFLOADS,
	  FBNIC_TX_VEC_CSUM, RTE_CPUFLAG_AVX2 },
#endif
#ifdef CC_AVX512_SUPPORT
	{ "AVX512", fbnic_xmit_pkts_avx512, RTE_VECT_SIMD_512, RTE_ETH_TX_OFFLOAD_MBUF_FAST_FREE,
	  0, RTE_CPUFLAG_AVX512F },
	{ "AVX512 checksum", fbnic_xmit_pkts_avx512_csum, RTE_VECT_SIMD_512,
	  FBNIC_TX_VEC_OFFLOADS, FBNIC_TX_VEC_CSUM, RTE_CPUFLAG_AVX512F },
#endif
#endif
};

/* Queue offloads configured on any queue, plus the port's. */
static uint64_t
fbnic_rx_offloads_in_use(const struct rte_eth_dev *dev)
{
	uint64_t ol = dev->data->dev_conf.rxmode.offloads;
	uint16_t i;

	for (i = 0; i < dev->data->nb_rx_queues; i++) {
		const struct fbnic_rx_queue *rxq = dev->data->rx_queues[i];

		if (rxq != NULL)
			ol |= rxq->offloads;
	}
	return ol;
}

static uint64_t
fbnic_tx_offloads_in_use(const struct rte_eth_dev *dev)
{
	uint64_t ol = dev->data->dev_conf.txmode.offloads;
	uint16_t i;

	for (i = 0; i < dev->data->nb_tx_queues; i++) {
		const struct fbnic_tx_queue *txq = dev->data->tx_queues[i];

		if (txq != NULL)
			ol |= txq->offloads;
	}
	return ol;
}

void
fbnic_set_rxtx_functions(struct rte_eth_dev *dev)
{
	struct fbnic_adapter *ad = fbnic_eth_dev_adapter(dev);
	const struct fbnic_devargs *da = &ad->devargs;
	uint16_t max_simd = rte_vect_get_max_simd_bitwidth();
	/* rx_path / tx_path cap the width further; EAL's cap stays in force. */
	uint16_t rx_simd = da->rx_simd_max != 0 ? RTE_MIN(max_simd, da->rx_simd_max) : max_simd;
	uint16_t tx_simd = da->tx_simd_max != 0 ? RTE_MIN(max_simd, da->tx_simd_max) : max_simd;
	uint64_t rx_ol = fbnic_rx_offloads_in_use(dev), tx_ol = fbnic_tx_offloads_in_use(dev);
	const struct fbnic_rx_queue *rxq0 = dev->data->nb_rx_queues != 0 ?
					    dev->data->rx_queues[0] : NULL;
	uint8_t scheme = rxq0 != NULL ? rxq0->scheme : FBNIC_RX_SCHEME_BUFS;
	unsigned int i, rx_best = 0, tx_best = 0;
	uint16_t q;

	/* Every queue of a port has the scheme of queue 0 (the port's MTU and devargs decide). */
	for (q = 1; q < dev->data->nb_rx_queues; q++) {
		const struct fbnic_rx_queue *rxq = dev->data->rx_queues[q];

		if (rxq != NULL && rxq->scheme != scheme)
			PMD_DRV_LOG(ERR, "port %u: Rx queue %u has another Rx scheme than queue 0",
				    dev->data->port_id, q);
	}
	/* Widest path that the CPU allows and that handles every offload in use. */
	for (i = 0; i < RTE_DIM(fbnic_rx_paths); i++) {
		const struct fbnic_rx_path *p = &fbnic_rx_paths[i];

		if (p->scheme == scheme && p->simd_bits <= rx_simd && fbnic_cpu_has(p->cpu_flag) &&
		    (rx_ol & ~p->offloads) == 0 &&
		    (fbnic_rx_paths[rx_best].scheme != scheme ||
		     p->simd_bits > fbnic_rx_paths[rx_best].simd_bits))
			rx_best = i;
	}
	/* The same for Tx; of two such paths, the one without checksum work. */
	for (i = 0; i < RTE_DIM(fbnic_tx_paths); i++) {
		const struct fbnic_tx_path *p = &fbnic_tx_paths[i];

		if (p->simd_bits <= tx_simd && fbnic_cpu_has(p->cpu_flag) &&
		    (tx_ol & ~p->offloads) == 0 && (p->needs == 0 || (tx_ol & p->needs) != 0) &&
		    p->simd_bits > fbnic_tx_paths[tx_best].simd_bits)
			tx_best = i;
	}

	ad->rx_path = (uint8_t)rx_best;
	ad->tx_path = (uint8_t)tx_best;
	dev->rx_pkt_burst = fbnic_rx_paths[rx_best].burst;
	dev->tx_pkt_burst = fbnic_tx_paths[tx_best].burst;
	dev->tx_pkt_prepare = fbnic_prep_pkts;
	dev->rx_queue_count = fbnic_rx_queue_count;
	dev->rx_descriptor_status = fbnic_rx_descriptor_status;
	dev->tx_descriptor_status = fbnic_tx_descriptor_status;
	PMD_DRV_LOG(INFO, "port %u: Using %s Rx", dev->data->port_id,
		    fbnic_rx_paths[rx_best].name);
	PMD_DRV_LOG(INFO, "port %u: Using %s Tx", dev->data->port_id,
		    fbnic_tx_paths[tx_best].name);
}

/* The path chosen at start; a port whose bursts were disabled (removed device) has none. */
int
fbnic_rx_burst_mode_get(struct rte_eth_dev *dev, uint16_t qid __rte_unused,
			struct rte_eth_burst_mode *mode)
{
	const struct fbnic_adapter *ad = fbnic_eth_dev_adapter(dev);

	if (ad->rx_path >= RTE_DIM(fbnic_rx_paths) ||
	    dev->rx_pkt_burst != fbnic_rx_paths[ad->rx_path].burst)
		return -EINVAL;
	snprintf(mode->info, sizeof(mode->info), "%s", fbnic_rx_paths[ad->rx_path].name);
	return 0;
}

int
fbnic_tx_burst_mode_get(struct rte_eth_dev *dev, uint16_t qid __rte_unused,
			struct rte_eth_burst_mode *mode)
{
	const struct fbnic_adapter *ad = fbnic_eth_dev_adapter(dev);

	if (ad->tx_path >= RTE_DIM(fbnic_tx_paths) ||
	    dev->tx_pkt_burst != fbnic_tx_paths[ad->tx_path].burst)
		return -EINVAL;
	snprintf(mode->info, sizeof(mode->info), "%s", fbnic_tx_paths[ad->tx_path].name);
	return 0;
}

uint64_t
fbnic_rx_offload_capa(void)
{
	return FBNIC_RX_SPLIT_OFFLOADS;
}

const uint32_t *
fbnic_buffer_split_ptypes_get(struct rte_eth_dev *dev __rte_unused, size_t *no_of_elements)
{
	*no_of_elements = RTE_DIM(fbnic_split_ptypes);
	return fbnic_split_ptypes;
}

void
fbnic_rx_seg_capa_get(struct rte_eth_rxseg_capa *capa)
{
	/* Header and payload, each from its own pool, written at the headroom. */
	capa->max_nseg = 2;
	capa->multi_pools = 1;
	capa->offset_allowed = 0;
	capa->offset_align_log2 = 0;
}

uint64_t
fbnic_tx_offload_capa(void)
{
	return FBNIC_TX_OFFLOADS;
}

void
fbnic_rxq_info_get(struct rte_eth_dev *dev, uint16_t qid, struct rte_eth_rxq_info *qinfo)
{
	const struct fbnic_rx_queue *rxq = dev->data->rx_queues[qid];

	if (rxq == NULL)
		return;
	/* The buffer scheme receives into the queue's own pool. */
	qinfo->mp = rxq->bufs_mp != NULL ? rxq->bufs_mp : rxq->mp;
	qinfo->scattered_rx = !!(rxq->offloads & RTE_ETH_RX_OFFLOAD_SCATTER);
	/* Two completions per descriptor the application asked for (queue set-up). */
	qinfo->nb_desc = (uint16_t)RTE_MIN(rxq->nb_rx_desc, (uint32_t)UINT16_MAX);
	qinfo->rx_buf_size = rxq->mbuf_room;
	qinfo->conf.rx_drop_en = rxq->drop_en;
	qinfo->conf.rx_deferred_start = rxq->deferred_start;
	qinfo->conf.offloads = rxq->offloads;
}

void
fbnic_txq_info_get(struct rte_eth_dev *dev, uint16_t qid, struct rte_eth_txq_info *qinfo)
{
	const struct fbnic_tx_queue *txq = dev->data->tx_queues[qid];

	if (txq == NULL)
		return;
	qinfo->nb_desc = (uint16_t)RTE_MIN(txq->nb_desc, (uint32_t)UINT16_MAX);
	qinfo->conf.tx_free_thresh = txq->free_thresh;
	qinfo->conf.tx_deferred_start = txq->deferred_start;
	qinfo->conf.offloads = txq->offloads;
}

/* ---------------------------------------------------------------------------------------
 * Counters
 */

/*
 * The burst is the only writer of a queue's counters: a reset from the
 * control thread that zeroed them could be undone by a burst's
 * read-modify-write in flight. It records them instead, and the reads
 * subtract that record (each 64-bit load is atomic on the CPUs DPDK runs
 * the driver on).
 */
static void
fbnic_queue_stats_since(const struct fbnic_queue_stats *now,
			const struct fbnic_queue_stats *base, struct fbnic_queue_stats *st)
{
	st->packets = now->packets - base->packets;
	st->bytes = now->bytes - base->bytes;
	st->errors = now->errors - base->errors;
	st->nombuf = now->nombuf - base->nombuf;
	st->drops = now->drops - base->drops;
	st->bad_desc = now->bad_desc - base->bad_desc;
	st->resets = now->resets - base->resets;
}

static void
fbnic_queue_stats_mark(const volatile struct fbnic_queue_stats *now,
		       struct fbnic_queue_stats *base)
{
	base->packets = now->packets;
	base->bytes = now->bytes;
	base->errors = now->errors;
	base->nombuf = now->nombuf;
	base->drops = now->drops;
	base->bad_desc = now->bad_desc;
	base->resets = now->resets;
}

void
fbnic_rxq_stats(const void *rxq, struct fbnic_queue_stats *st)
{
	const struct fbnic_rx_queue *q = rxq;

	if (q == NULL)
		memset(st, 0, sizeof(*st));
	else
		fbnic_queue_stats_since(&q->stats, &q->stats_base, st);
}

void
fbnic_txq_stats(const void *txq, struct fbnic_queue_stats *st)
{
	const struct fbnic_tx_queue *q = txq;

	if (q == NULL)
		memset(st, 0, sizeof(*st));
	else
		fbnic_queue_stats_since(&q->stats, &q->stats_base, st);
}

void
fbnic_rxq_stats_reset(void *rxq)
{
	struct fbnic_rx_queue *q = rxq;

	if (q != NULL)
		fbnic_queue_stats_mark(&q->stats, &q->stats_base);
}

void
fbnic_txq_stats_reset(void *txq)
{
	struct fbnic_tx_queue *q = txq;

	if (q != NULL)
		fbnic_queue_stats_mark(&q->stats, &q->stats_base);
}
