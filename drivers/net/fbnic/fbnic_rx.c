/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

/*
 * Rx buffer scheme (fbnic_rx.h): one mbuf per HPQ buffer, nothing copied.
 *
 * The queue's pool has mbufs with pinned external buffers: the mbuf headers
 * live in an ordinary mempool, and each one's buffer is a whole 4 KiB page
 * of memory the queue allocated (heap pages, each with its own IOVA). The
 * BD carries the page, the NIC places a buffer's first frame at
 * align128(MIN_HROOM) = RTE_PKTMBUF_HEADROOM and never writes in front of
 * it, and MAX_HDR = 4096 - RTE_PKTMBUF_HEADROOM leaves no room for a second
 * frame. Keeping the headers out of the pages keeps them from all falling
 * in the same cache sets (a 4 KiB stride).
 */

#include <assert.h>
#include <errno.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/queue.h>

#include <rte_common.h>
#include <rte_ether.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_mbuf_pool_ops.h>
#include <rte_mempool.h>
#include <rte_spinlock.h>
#include <ethdev_driver.h>

#include "fbnic_ethdev.h"
#include "fbnic_logs.h"
#include "fbnic_rx.h"
#include "fbnic_rxtx.h"

/* RDE_CTL0.MIN_HROOM is 9 bits: the furthest a first frame can start is 384. */
#define FBNIC_RX_BUF_HROOM_MAX	511u
#define FBNIC_RX_BUF_ALIGN	128u	/* the NIC starts frames on 128-byte boundaries */
/* Free HPQ slots before a burst refills them: one doorbell per batch. */
#define FBNIC_RX_BUF_REFILL	32u
/* mbufs beyond the ring: what the application holds (Tx rings, bursts, caches). */
#define FBNIC_RX_BUF_SPARE	1024u

/* Packet types by META L3 type (bits 3:2) and L4 type (bits 1:0). */
const uint32_t fbnic_ptype[16] = {
	[0x0] = RTE_PTYPE_L2_ETHER,
	[0x1] = RTE_PTYPE_L2_ETHER,
	[0x2] = RTE_PTYPE_L2_ETHER,
	[0x3] = RTE_PTYPE_L2_ETHER,
	[0x4] = RTE_PTYPE_L2_ETHER | RTE_PTYPE_L3_IPV4_EXT_UNKNOWN,
	[0x5] = RTE_PTYPE_L2_ETHER | RTE_PTYPE_L3_IPV4_EXT_UNKNOWN | RTE_PTYPE_L4_TCP,
	[0x6] = RTE_PTYPE_L2_ETHER | RTE_PTYPE_L3_IPV4_EXT_UNKNOWN | RTE_PTYPE_L4_UDP,
	[0x7] = RTE_PTYPE_L2_ETHER | RTE_PTYPE_L3_IPV4_EXT_UNKNOWN,
	[0x8] = RTE_PTYPE_L2_ETHER | RTE_PTYPE_L3_IPV6_EXT_UNKNOWN,
	[0x9] = RTE_PTYPE_L2_ETHER | RTE_PTYPE_L3_IPV6_EXT_UNKNOWN | RTE_PTYPE_L4_TCP,
	[0xa] = RTE_PTYPE_L2_ETHER | RTE_PTYPE_L3_IPV6_EXT_UNKNOWN | RTE_PTYPE_L4_UDP,
	[0xb] = RTE_PTYPE_L2_ETHER | RTE_PTYPE_L3_IPV6_EXT_UNKNOWN,
	[0xc] = RTE_PTYPE_L2_ETHER | RTE_PTYPE_L3_IPV6_EXT_UNKNOWN | RTE_PTYPE_TUNNEL_IP |
		RTE_PTYPE_INNER_L3_IPV6_EXT_UNKNOWN,
	[0xd] = RTE_PTYPE_L2_ETHER | RTE_PTYPE_L3_IPV6_EXT_UNKNOWN | RTE_PTYPE_TUNNEL_IP |
		RTE_PTYPE_INNER_L3_IPV6_EXT_UNKNOWN | RTE_PTYPE_INNER_L4_TCP,
	[0xe] = RTE_PTYPE_L2_ETHER | RTE_PTYPE_L3_IPV6_EXT_UNKNOWN | RTE_PTYPE_TUNNEL_IP |
		RTE_PTYPE_INNER_L3_IPV6_EXT_UNKNOWN | RTE_PTYPE_INNER_L4_UDP,
	[0xf] = RTE_PTYPE_L2_ETHER | RTE_PTYPE_L3_IPV6_EXT_UNKNOWN | RTE_PTYPE_TUNNEL_IP |
		RTE_PTYPE_INNER_L3_IPV6_EXT_UNKNOWN,
};

struct fbnic_rx_bufpool {
	TAILQ_ENTRY(fbnic_rx_bufpool) next;
	struct rte_mempool *mp;
	struct fbnic_rx_pages mem;
};

/* Pools of released queues whose mbufs are still with the application. */
static TAILQ_HEAD(, fbnic_rx_bufpool) fbnic_rx_retired =
	TAILQ_HEAD_INITIALIZER(fbnic_rx_retired);
static rte_spinlock_t fbnic_rx_retired_lock = RTE_SPINLOCK_INITIALIZER;
static uint32_t fbnic_rx_pool_gen;

static void
fbnic_rx_bufpool_destroy(struct fbnic_rx_bufpool *bp)
{
	rte_mempool_free(bp->mp);
	fbnic_rx_pages_free(&bp->mem);
	rte_free(bp);
}

/* Free every retired pool that has all its mbufs back. */
static void
fbnic_rx_retired_reap(void)
{
	struct fbnic_rx_bufpool *bp, *tmp;

	rte_spinlock_lock(&fbnic_rx_retired_lock);
	for (bp = TAILQ_FIRST(&fbnic_rx_retired); bp != NULL; bp = tmp) {
		tmp = TAILQ_NEXT(bp, next);
		if (rte_mempool_full(bp->mp)) {
			TAILQ_REMOVE(&fbnic_rx_retired, bp, next);
			fbnic_rx_bufpool_destroy(bp);
		}
	}
	rte_spinlock_unlock(&fbnic_rx_retired_lock);
}

/* Page offset where the NIC puts a buffer's first frame: the mbuf headroom. */
static int
fbnic_rx_buf_first_off(uint32_t *first_off)
{
	*first_off = RTE_ALIGN_CEIL(RTE_PKTMBUF_HEADROOM, FBNIC_RX_BUF_ALIGN);
	if (*first_off > FBNIC_RX_BUF_HROOM_MAX || *first_off != RTE_PKTMBUF_HEADROOM)
		return -ERANGE;
	return 0;
}

bool
fbnic_rx_bufs_usable(const struct rte_eth_dev *dev __rte_unused,
		     const struct rte_mempool *app_mp, uint32_t max_frame, bool scatter)
{
	uint32_t first_off;

	if (app_mp == NULL || fbnic_rx_buf_first_off(&first_off) != 0)
		return false;
	return max_frame <= FBNIC_RX_PAGE_SIZE - first_off ||
	       (scatter && max_frame <= FBNIC_RX_MAX_FRAME);
}

bool
fbnic_rx_bufs_ppq_set(struct fbnic_rx_queue *rxq, uint32_t max_frame)
{
	if (max_frame <= rxq->buf_max_len) {
		rxq->ppq_fill = 0;
		return true;
	}
	if (rxq->ppq_bufs == NULL || max_frame > FBNIC_RX_MAX_FRAME)
		return false;
	rxq->ppq_fill = rxq->hpq_fill;
	return true;
}

/*
 * A pool of n mbufs, each with one page of bp->mem as its pinned external
 * buffer: one memory segment per run of pages with contiguous IOVAs.
 */
static struct fbnic_rx_bufpool *
fbnic_rx_bufpool_create(uint16_t port, uint16_t qid, uint32_t n, uint16_t priv,
			unsigned int socket_id)
{
	struct rte_pktmbuf_extmem *ext;
	struct fbnic_rx_bufpool *bp;
	char name[RTE_MEMPOOL_NAMESIZE];
	uint32_t i, run, n_ext = 0, cache;
	int ret;

	bp = rte_zmalloc_socket("fbnic_rx_bufpool", sizeof(*bp), 0, (int)socket_id);
	ext = rte_zmalloc_socket("fbnic_rx_extmem", n * sizeof(*ext), 0, (int)socket_id);
	if (bp == NULL || ext == NULL)
		goto nomem;
	ret = fbnic_rx_pages_alloc(&bp->mem, n, socket_id);
	if (ret != 0) {
		rte_free(ext);
		rte_free(bp);
		rte_errno = -ret;
		return NULL;
	}
	for (i = 0; i < n; i += run) {
		for (run = 1; i + run < n &&
		     bp->mem.iova[i + run] == bp->mem.iova[i] + (uint64_t)run * FBNIC_RX_PAGE_SIZE;
		     run++)
			;
		ext[n_ext].buf_ptr = bp->mem.va + (size_t)i * FBNIC_RX_PAGE_SIZE;
		ext[n_ext].buf_iova = bp->mem.iova[i];
		ext[n_ext].buf_len = (size_t)run * FBNIC_RX_PAGE_SIZE;
		ext[n_ext].elt_size = FBNIC_RX_PAGE_SIZE;
		n_ext++;
	}
	snprintf(name, sizeof(name), "fbnic_rx%u_%u_%u", port, qid,
		 __atomic_fetch_add(&fbnic_rx_pool_gen, 1, __ATOMIC_RELAXED));
	cache = RTE_MIN(n / 16, (uint32_t)RTE_MEMPOOL_CACHE_MAX_SIZE);
	bp->mp = rte_pktmbuf_pool_create_extbuf(name, n, cache, priv, FBNIC_RX_PAGE_SIZE,
						(int)socket_id, ext, n_ext);
	rte_free(ext);
	if (bp->mp == NULL) {
		PMD_RX_LOG(ERR, "pool %s of %u mbufs: %s", name, n, rte_strerror(rte_errno));
		fbnic_rx_pages_free(&bp->mem);
		rte_free(bp);
		rte_errno = ENOMEM;
		return NULL;
	}
	return bp;

nomem:
	rte_free(ext);
	rte_free(bp);
	rte_errno = ENOMEM;
	return NULL;
}

int
fbnic_rx_bufs_setup(struct rte_eth_dev *dev, struct fbnic_rx_queue *rxq,
		    struct rte_mempool *app_mp, unsigned int socket_id)
{
	uint16_t priv = rte_pktmbuf_priv_size(app_mp);
	uint32_t first_off, n, ring = rxq->nb_hpq, fill = rxq->hpq_fill;
	bool scatter = rxq->offloads & RTE_ETH_RX_OFFLOAD_SCATTER;
	struct rte_mbuf mb;

	fbnic_rx_retired_reap();
	if (fbnic_rx_buf_first_off(&first_off) != 0)
		return -EINVAL;
	/*
	 * The posted ones (HPQ, and the PPQ with scatter), then as many again
	 * as the application's pool could hold.
	 */
	if (scatter)
		fill *= 2;
	n = fill + RTE_MIN(app_mp->size, fill + FBNIC_RX_BUF_SPARE);
	rxq->bufs = rte_zmalloc_socket("fbnic_rx_bufs", ring * sizeof(*rxq->bufs),
				       RTE_CACHE_LINE_SIZE, (int)socket_id);
	if (scatter)
		rxq->ppq_bufs = rte_zmalloc_socket("fbnic_rx_bufs", ring * sizeof(*rxq->bufs),
						   RTE_CACHE_LINE_SIZE, (int)socket_id);
	if (rxq->bufs == NULL || (scatter && rxq->ppq_bufs == NULL)) {
		rte_free(rxq->bufs);
		rte_free(rxq->ppq_bufs);
		rxq->bufs = NULL;
		rxq->ppq_bufs = NULL;
		return -ENOMEM;
	}
	rxq->bufpool = fbnic_rx_bufpool_create(dev->data->port_id, rxq->queue_id, n, priv,
					       socket_id);
	if (rxq->bufpool == NULL) {
		rte_free(rxq->bufs);
		rte_free(rxq->ppq_bufs);
		rxq->bufs = NULL;
		rxq->ppq_bufs = NULL;
		return rte_errno == ERANGE ? -ERANGE : -ENOMEM;
	}
	rxq->bufs_mp = rxq->bufpool->mp;
	rxq->buf_first_off = (uint16_t)first_off;
	rxq->buf_max_len = (uint16_t)(FBNIC_RX_PAGE_SIZE - first_off);
	rxq->mbuf_room = rxq->buf_max_len;

	/* What every received mbuf's rearm_data becomes: one 8-byte store. */
	memset(&mb, 0, sizeof(mb));
	mb.data_off = (uint16_t)first_off;
	mb.nb_segs = 1;
	mb.port = rxq->port_id;
	rte_mbuf_refcnt_set(&mb, 1);
	memcpy(&rxq->mbuf_initializer, (uint8_t *)&mb + FBNIC_MBUF_REARM_OFF,
	       sizeof(rxq->mbuf_initializer));
	rxq->scheme = FBNIC_RX_SCHEME_BUFS;
	PMD_RX_LOG(DEBUG, "port %u: Rx queue %u: pool %s, %u mbufs of one page, frames at %u",
		   rxq->port_id, rxq->queue_id, rxq->bufs_mp->name, n, first_off);
	return 0;
}

void
fbnic_rx_bufs_free(struct fbnic_rx_queue *rxq)
{
	struct fbnic_rx_bufpool *bp = rxq->bufpool;

	rte_free(rxq->bufs);
	rte_free(rxq->ppq_bufs);
	rxq->bufs = NULL;
	rxq->ppq_bufs = NULL;
	rxq->ppq_fill = 0;
	rxq->bufpool = NULL;
	rxq->bufs_mp = NULL;
	if (bp == NULL)
		return;
	if (rte_mempool_full(bp->mp)) {
		fbnic_rx_bufpool_destroy(bp);
	} else {
		/* The application still holds some: free the pool once they are back. */
		PMD_RX_LOG(NOTICE, "port %u: Rx queue %u released with %u mbufs of %s in use",
			   rxq->port_id, rxq->queue_id,
			   bp->mp->size - rte_mempool_avail_count(bp->mp), bp->mp->name);
		rte_spinlock_lock(&fbnic_rx_retired_lock);
		TAILQ_INSERT_TAIL(&fbnic_rx_retired, bp, next);
		rte_spinlock_unlock(&fbnic_rx_retired_lock);
	}
	fbnic_rx_retired_reap();
}

/* BD of an mbuf: its page's IOVA and the slot it fills (3.3). */
static __rte_always_inline uint64_t
fbnic_rx_buf_bd(const struct rte_mbuf *m, uint32_t slot)
{
	uint64_t page = rte_mbuf_iova_get(m);	/* the buffer is the whole page */

	return rte_cpu_to_le_64((page & FBNIC_BD_PAGE_ADDR_MASK) |
				FBNIC_FIELD_PREP(FBNIC_BD_PAGE_ID_MASK, (uint64_t)slot));
}

/*
 * Post mbufs until fill buffers are with the NIC in one BDQ (HPQ or PPQ),
 * in at most two bulk gets (the ring may wrap), and ring its doorbell once.
 */
static void
fbnic_rx_bdq_refill(struct fbnic_rx_queue *rxq, volatile uint64_t *ring, struct rte_mbuf **sw,
		    uint16_t head, uint16_t *tailp, uint32_t fill, uint32_t tail_reg)
{
	uint16_t mask = rxq->bdq_mask, tail = *tailp;
	uint32_t n = fill - ((uint32_t)(tail - head) & mask), chunk, i;

	while (n != 0) {
		chunk = RTE_MIN(n, (uint32_t)mask + 1 - tail);
		if (unlikely(rte_mempool_get_bulk(rxq->bufs_mp, (void **)&sw[tail], chunk) != 0)) {
			rxq->stats.nombuf++;
			(*rxq->alloc_failed)++;
			break;
		}
		for (i = 0; i < chunk; i++)
			ring[tail + i] = fbnic_rx_buf_bd(sw[tail + i], tail + i);
		tail = (uint16_t)((tail + chunk) & mask);
		n -= chunk;
	}
	if (tail != *tailp) {
		*tailp = tail;
		fbnic_db_write(rxq->hw, tail_reg, (uint32_t)tail * FBNIC_BD_FRAG_COUNT);
	}
}

static void
fbnic_rx_bufs_refill(struct fbnic_rx_queue *rxq)
{
	fbnic_rx_bdq_refill(rxq, rxq->hpq, rxq->bufs, rxq->hpq_head, &rxq->hpq_tail,
			    rxq->hpq_fill, rxq->hpq_tail_reg);
}

static void
fbnic_rx_bufs_ppq_refill(struct fbnic_rx_queue *rxq)
{
	fbnic_rx_bdq_refill(rxq, rxq->ppq, rxq->ppq_bufs, rxq->ppq_head, &rxq->ppq_tail,
			    rxq->ppq_fill, rxq->ppq_tail_reg);
}

void
fbnic_rx_bufs_fill(struct fbnic_rx_queue *rxq)
{
	fbnic_rx_bufs_refill(rxq);
	if (rxq->ppq_fill != 0)
		fbnic_rx_bufs_ppq_refill(rxq);
}

void
fbnic_rx_bufs_drain(struct fbnic_rx_queue *rxq)
{
	uint16_t mask = rxq->bdq_mask, i;

	for (i = rxq->hpq_head; i != rxq->hpq_tail; i = (uint16_t)((i + 1) & mask)) {
		rte_mempool_put(rxq->bufs_mp, rxq->bufs[i]);
		rxq->bufs[i] = NULL;
	}
	for (i = rxq->ppq_head; rxq->ppq_bufs != NULL && i != rxq->ppq_tail;
	     i = (uint16_t)((i + 1) & mask)) {
		rte_mempool_put(rxq->bufs_mp, rxq->ppq_bufs[i]);
		rxq->ppq_bufs[i] = NULL;
	}
	rxq->hpq_head = 0;
	rxq->hpq_tail = 0;
	rxq->ppq_head = 0;
	rxq->ppq_tail = 0;
}

/* One segment's mbuf fields: len bytes at page offset off of its buffer. */
static __rte_always_inline void
fbnic_rx_buf_seg(const struct fbnic_rx_queue *rxq, struct rte_mbuf *m, uint32_t off,
		 uint32_t len)
{
	memcpy((uint8_t *)m + FBNIC_MBUF_REARM_OFF, &rxq->mbuf_initializer,
	       sizeof(rxq->mbuf_initializer));
	m->data_off = (uint16_t)off;
	m->ol_flags = RTE_MBUF_F_EXTERNAL;	/* pinned: the page stays the mbuf's */
	m->data_len = (uint16_t)len;
}

/* The mbuf fields of a received frame of len bytes at page offset off. */
static __rte_always_inline void
fbnic_rx_buf_deliver(const struct fbnic_rx_queue *rxq, struct rte_mbuf *m, uint32_t off,
		     uint32_t len, uint64_t meta)
{
	fbnic_rx_buf_seg(rxq, m, off, len);
	m->pkt_len = len;
	fbnic_rx_meta(rxq, m, meta);
}

/*
 * Give back the buffers of a BDQ from *head up to id: finished by frames
 * whose completions were damaged (the NIC fills buffers in ring order).
 * Returns how many.
 */
static uint32_t
fbnic_rx_bdq_skip(struct fbnic_rx_queue *rxq, struct rte_mbuf **sw, uint16_t *head,
		  uint32_t id)
{
	uint32_t n = 0;

	for (; *head != id; n++) {
		rte_mempool_put(rxq->bufs_mp, sw[*head]);
		*head = (uint16_t)((*head + 1) & rxq->bdq_mask);
	}
	return n;
}

enum fbnic_rx_slow {
	FBNIC_RX_SLOW_WAIT,		/* the frame is not complete yet */
	FBNIC_RX_SLOW_FRAME,		/* *out is the frame */
	FBNIC_RX_SLOW_DROP,		/* consumed, nothing delivered */
	FBNIC_RX_SLOW_NOMBUF,		/* a copy needs an mbuf: stop, the frame stays */
	FBNIC_RX_SLOW_RESET,		/* the device lost step: reset the queue */
};

/*
 * Check the frame's PAY_ALs and chain their PPQ mbufs behind m. False when
 * one names no posted buffer, shares one (no PAGE_FIN) or is out of its
 * page: the frame is dropped and the PPQ left as it is.
 */
static bool
fbnic_rx_bufs_chain(struct fbnic_rx_queue *rxq, struct rte_mbuf *m, const uint64_t *pay,
		    uint32_t npay, uint32_t *total)
{
	struct rte_mbuf *prev = m;
	uint32_t i, id, off, len;
	uint16_t next = rxq->ppq_head;

	/* Posted buffers, in ring order, each one's data inside it. */
	for (i = 0; i < npay; i++) {
		id = FBNIC_FIELD_GET(FBNIC_RCD_AL_BUFF_ID_MASK, pay[i]);
		off = FBNIC_FIELD_GET(FBNIC_RCD_AL_BUFF_OFF_MASK, pay[i]);
		len = FBNIC_FIELD_GET(FBNIC_RCD_AL_BUFF_LEN_MASK, pay[i]);
		if (!fbnic_bdq_id_ok(id, next, rxq->ppq_tail, rxq->bdq_mask) ||
		    !(pay[i] & FBNIC_RCD_AL_PAGE_FIN) ||
		    len == 0 || off + len > FBNIC_RX_PAGE_SIZE)
			return false;
		next = (uint16_t)((id + 1) & rxq->bdq_mask);
	}
	for (i = 0; i < npay; i++) {
		struct rte_mbuf *seg;

		id = FBNIC_FIELD_GET(FBNIC_RCD_AL_BUFF_ID_MASK, pay[i]);
		rxq->stats.bad_desc += fbnic_rx_bdq_skip(rxq, rxq->ppq_bufs, &rxq->ppq_head, id);
		seg = rxq->ppq_bufs[id];
		rxq->ppq_head = (uint16_t)((id + 1) & rxq->bdq_mask);
		fbnic_rx_buf_seg(rxq, seg, FBNIC_FIELD_GET(FBNIC_RCD_AL_BUFF_OFF_MASK, pay[i]),
				 FBNIC_FIELD_GET(FBNIC_RCD_AL_BUFF_LEN_MASK, pay[i]));
		seg->next = NULL;
		*total += seg->data_len;
		prev->next = seg;
		prev = seg;
	}
	m->nb_segs = (uint16_t)(1 + npay);
	return true;
}

/*
 * Everything but HDR_AL + META of a finished buffer: PAY_AL (with the PPQ),
 * OPT_META, error frames, frames sharing a buffer, impossible entries.
 * *nrcd gets the entries the frame takes.
 */
static __rte_noinline enum fbnic_rx_slow
fbnic_rx_bufs_slow(struct fbnic_rx_queue *rxq, uint32_t pos, uint32_t *nrcd,
		   struct rte_mbuf **out)
{
	uint32_t entries = rxq->rcq_mask + 1, k, id, off, len, npay = 0, total;
	uint64_t hdr = 0, opt = 0, rcd, pay[FBNIC_RX_MAX_RCD];
	struct rte_mbuf *m;
	bool fin;

	for (k = 0; k < FBNIC_RX_MAX_RCD; k++) {
		rcd = fbnic_cmpl_read(rxq->rcq, (pos + k) & rxq->rcq_mask);
		if (!fbnic_cmpl_new(rcd, pos + k, entries))
			return FBNIC_RX_SLOW_WAIT;
		rte_io_rmb();
		switch (FBNIC_FIELD_GET(FBNIC_RCD_TYPE_MASK, rcd)) {
		case FBNIC_RCD_TYPE_HDR_AL:
			if (k != 0) {
				/* The frame before had no META: drop it, this one starts anew. */
				rxq->stats.bad_desc++;
				rxq->stats.errors++;
				*nrcd = k;
				return FBNIC_RX_SLOW_DROP;
			}
			hdr = rcd;
			continue;
		case FBNIC_RCD_TYPE_OPT_META:
			if (k == 0)
				goto bad;
			opt = rcd;
			continue;
		case FBNIC_RCD_TYPE_PAY_AL:
			if (k == 0 || rxq->ppq_fill == 0)
				goto bad;	/* no PPQ was given to the NIC */
			pay[npay++] = rcd;
			continue;
		default:
			break;
		}
		break;	/* META */
	}
	if (k == FBNIC_RX_MAX_RCD || k == 0)
		goto bad;
	*nrcd = k + 1;

	id = FBNIC_FIELD_GET(FBNIC_RCD_AL_BUFF_ID_MASK, hdr);
	off = FBNIC_FIELD_GET(FBNIC_RCD_AL_BUFF_OFF_MASK, hdr);
	len = FBNIC_FIELD_GET(FBNIC_RCD_AL_BUFF_LEN_MASK, hdr);
	fin = hdr & FBNIC_RCD_AL_PAGE_FIN;
	/* A buffer the NIC does not hold: the frame cannot be found. */
	if (!fbnic_bdq_id_ok(id, rxq->hpq_head, rxq->hpq_tail, rxq->bdq_mask)) {
		rxq->stats.bad_desc++;
		rxq->stats.errors++;
		return FBNIC_RX_SLOW_DROP;
	}
	/* Buffers before this one are ours again: counted once. */
	if (fbnic_rx_bdq_skip(rxq, rxq->bufs, &rxq->hpq_head, id) != 0)
		rxq->stats.bad_desc++;
	m = rxq->bufs[id];
	if (unlikely(off < rxq->buf_first_off || len == 0 ||
		     off + len > FBNIC_RX_PAGE_SIZE || (npay != 0 && !fin))) {
		rxq->stats.bad_desc++;
		rxq->stats.errors++;
		goto drop;
	}
	if (!fin) {
		/* More frames may follow in this buffer: this one gets a copy. */
		struct rte_mbuf *c;

		if (rcd & FBNIC_RCD_META_UNCORRECTABLE_ERR_MASK) {
			rxq->stats.errors++;
			return FBNIC_RX_SLOW_DROP;
		}
		if (rte_mempool_get(rxq->bufs_mp, (void **)&c) != 0)
			return FBNIC_RX_SLOW_NOMBUF;
		fbnic_rx_buf_deliver(rxq, c, rxq->buf_first_off, len, rcd);
		fbnic_rx_opt_meta(rxq, c, opt);
		rte_memcpy(rte_pktmbuf_mtod(c, void *),
			   (const uint8_t *)m->buf_addr + off, len);
		if (opt & FBNIC_RCD_OPT_META_TS)
			fbnic_rx_tstamp(rxq, c, opt);
		*out = c;
		return FBNIC_RX_SLOW_FRAME;
	}
	rxq->hpq_head = (uint16_t)((rxq->hpq_head + 1) & rxq->bdq_mask);
	fbnic_rx_buf_seg(rxq, m, off, len);
	m->next = NULL;
	total = len;
	if (npay != 0 && !fbnic_rx_bufs_chain(rxq, m, pay, npay, &total)) {
		rxq->stats.bad_desc++;
		rxq->stats.errors++;
		rte_mempool_put(rxq->bufs_mp, m);
		return FBNIC_RX_SLOW_DROP;
	}
	m->pkt_len = total;
	if (rcd & FBNIC_RCD_META_UNCORRECTABLE_ERR_MASK) {
		/* Damaged on the wire: counted and dropped, as Linux does. */
		rxq->stats.errors++;
		rte_pktmbuf_free(m);
		return FBNIC_RX_SLOW_DROP;
	}
	fbnic_rx_meta(rxq, m, rcd);
	fbnic_rx_opt_meta(rxq, m, opt);
	if (opt & FBNIC_RCD_OPT_META_TS)
		fbnic_rx_tstamp(rxq, m, opt);
	*out = m;
	return FBNIC_RX_SLOW_FRAME;

drop:
	if (fin) {
		rte_mempool_put(rxq->bufs_mp, m);
		rxq->hpq_head = (uint16_t)((rxq->hpq_head + 1) & rxq->bdq_mask);
	}
	return FBNIC_RX_SLOW_DROP;

bad:
	/* An entry no frame can start or continue with: skip it. */
	rxq->stats.bad_desc++;
	rxq->stats.errors++;
	*nrcd = k + 1 > FBNIC_RX_MAX_RCD ? FBNIC_RX_MAX_RCD : k + 1;
	return FBNIC_RX_SLOW_DROP;
}

uint16_t
fbnic_rx_bufs_tail(struct fbnic_rx_queue *rxq, struct rte_mbuf **rx_pkts, uint16_t nb_rx,
		   uint16_t nb_pkts, uint32_t pos, uint64_t bytes)
{
	volatile uint64_t *rcq = rxq->rcq;
	uint32_t mask = rxq->rcq_mask, entries = mask + 1, limit, nrcd;
	const uint64_t first = (uint64_t)rxq->buf_first_off << 32;
	bool bad = false;

	for (limit = entries - (pos - rxq->rcq_head); nb_rx < nb_pkts && limit >= 2;) {
		uint64_t d0 = fbnic_cmpl_read(rcq, pos & mask), d1;
		enum fbnic_rx_slow r;
		struct rte_mbuf *m;

		if (!fbnic_cmpl_new(d0, pos, entries))
			break;
		d1 = fbnic_cmpl_read(rcq, (pos + 1) & mask);
		if (!fbnic_cmpl_new(d1, pos + 1, entries))
			break;
		/*
		 * The common frame: HDR_AL of the oldest buffer, at the first
		 * offset, finishing it, then a META without errors.
		 */
		if (likely((d0 & (FBNIC_RCD_TYPE_MASK | FBNIC_RCD_AL_BUFF_ID_MASK |
				  FBNIC_RCD_AL_BUFF_OFF_MASK | FBNIC_RCD_AL_PAGE_FIN)) ==
			   (first | FBNIC_RCD_AL_PAGE_FIN | rxq->hpq_head) &&
			   (d1 & (FBNIC_RCD_TYPE_MASK | FBNIC_RCD_META_UNCORRECTABLE_ERR_MASK)) ==
			   FBNIC_FIELD_PREP(FBNIC_RCD_TYPE_MASK, FBNIC_RCD_TYPE_META) &&
			   rxq->hpq_head != rxq->hpq_tail)) {
			uint32_t len = FBNIC_FIELD_GET(FBNIC_RCD_AL_BUFF_LEN_MASK, d0);

			if (likely(len != 0 && len <= rxq->buf_max_len)) {
				m = rxq->bufs[rxq->hpq_head];
				rxq->hpq_head = (uint16_t)((rxq->hpq_head + 1) & rxq->bdq_mask);
				fbnic_rx_buf_deliver(rxq, m, rxq->buf_first_off, len, d1);
				rx_pkts[nb_rx++] = m;
				bytes += len;
				pos += 2;
				limit -= 2;
				continue;
			}
		}
		nrcd = 0;
		m = NULL;
		r = fbnic_rx_bufs_slow(rxq, pos, &nrcd, &m);
		if (r == FBNIC_RX_SLOW_WAIT)
			break;
		if (r == FBNIC_RX_SLOW_NOMBUF) {
			rxq->stats.nombuf++;
			(*rxq->alloc_failed)++;
			break;
		}
		if (r == FBNIC_RX_SLOW_RESET) {
			fbnic_rx_queue_reset(rxq);
			goto out;
		}
		if (r == FBNIC_RX_SLOW_FRAME) {
			rx_pkts[nb_rx++] = m;
			bytes += m->pkt_len;
		} else {
			bad = true;
		}
		pos += nrcd;
		limit = limit > nrcd ? limit - nrcd : 0;
	}
	/* Frame data is read by the application only after every DONE test above. */
	rte_io_rmb();

	if (unlikely(bad) && fbnic_rx_out_of_step(rxq, pos)) {
		fbnic_rx_queue_reset(rxq);
		goto out;
	}
	if (pos != rxq->rcq_head) {
		if (rxq->hpq_fill - ((uint32_t)(rxq->hpq_tail - rxq->hpq_head) & rxq->bdq_mask) >=
		    FBNIC_RX_BUF_REFILL)
			fbnic_rx_bufs_refill(rxq);
		if (unlikely(rxq->ppq_fill != 0) &&
		    rxq->ppq_fill - ((uint32_t)(rxq->ppq_tail - rxq->ppq_head) & rxq->bdq_mask) >=
		    FBNIC_RX_BUF_REFILL)
			fbnic_rx_bufs_ppq_refill(rxq);
		rxq->rcq_head = pos;
		fbnic_wr32(rxq->hw, rxq->rcq_head_reg, pos & mask);
	}
out:
	rxq->stats.packets += nb_rx;
	rxq->stats.bytes += bytes;
	return nb_rx;
}

uint16_t
fbnic_recv_pkts_bufs(void *rx_queue, struct rte_mbuf **rx_pkts, uint16_t nb_pkts)
{
	struct fbnic_rx_queue *rxq = rx_queue;

	if (unlikely(!rxq->started))
		return 0;
	return fbnic_rx_bufs_tail(rxq, rx_pkts, 0, nb_pkts, rxq->rcq_head, 0);
}
