/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

#ifndef _FBNIC_RXTX_H_
#define _FBNIC_RXTX_H_

/*
 * fbnic data path: one Tx queue = TWQ0 + TCQ of a hardware queue page, one Rx
 * queue = HPQ + PPQ + RCQ of a hardware queue page (fbnic_hw.rst 2).
 *
 * Rx schemes (enum fbnic_rx_scheme, chosen at queue set-up):
 * - buffers, the default (fbnic_rx.h): each HPQ buffer is an mbuf of the
 *   queue's own pool whose pinned external buffer is a 4 KiB heap page; the
 *   NIC puts one frame in it and the mbuf is the frame's, nothing is copied;
 * - copy: the queue owns heap pages (struct fbnic_rx_pages, each 4 KiB page
 *   with its own IOVA) that the NIC packs several frames into, and copies
 *   every frame into mbufs of the application's pool. A page goes back to the
 *   NIC only after the NIC reported PAGE_FIN for it or started a later page;
 * - zero-copy (fbnic_rx_zero_copy_set(), devarg rx_zero_copy=1): the copy
 *   scheme's pages attached to mbufs as external buffers: the queue then owns
 *   twice as many pages as it posts, and a page is posted again only once the
 *   NIC and every mbuf pointing into it are done with it (fbnic_rxtx.c);
 * - split (RTE_ETH_RX_OFFLOAD_BUFFER_SPLIT, two rx_seg pools): the copy
 *   scheme's pages with the NIC's header split on (EN_HDR_SPLIT, or a fixed
 *   MAX_HDR): the HPQ part of a frame is copied into one mbuf of the header
 *   pool, its PPQ parts into mbufs of the payload pool chained behind it.
 *
 * An empty mbuf pool leaves the frame in the RCQ (counted in nombuf and in
 * rx_mbuf_alloc_failed): nothing is lost, the queue resumes when mbufs return.
 */

#include <assert.h>
#include <stddef.h>
#include <stdint.h>

#include <rte_byteorder.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>
#include <rte_memzone.h>
#include <ethdev_driver.h>

#include "fbnic_hw.h"

/* Ring sizes (entries): powers of two (fbnic_hw.rst 2). */
#define FBNIC_RING_MIN_DESC		64
#define FBNIC_RING_MAX_ENTRIES		65536	/* hardware ring limit */
/* A Tx queue whose full ring sees no completion this long (link up) is reset. */
#define FBNIC_TX_STALL_MS		1000u
#define FBNIC_RING_ALIGN		4096	/* Linux rounds rings to 4 KiB */

/* Tx: a 64-byte line (8 TWDs) always separates tail from head (fbnic_hw.rst 3.1). */
#define FBNIC_TX_GAP			7
/* mbuf segments of one frame: the TWDs are META + one AL each (+ one AL of padding). */
#define FBNIC_TX_MAX_SEGS		32
#define FBNIC_TX_MIN_FRAME		60	/* shorter frames are padded */
#define FBNIC_TX_MAX_FRAME		FBNIC_MAX_FRAME_SIZE
#define FBNIC_TX_MAX_TSO		(64 * 1024 - 1)	/* bytes of one TSO request */
#define FBNIC_TX_MIN_MSS		64
#define FBNIC_TX_MAX_MSS		(FBNIC_MAX_FRAME_SIZE - 128)
#define FBNIC_TX_FREE_THRESH		32	/* reap the TCQ below this many free TWDs */

/* Rx */
#define FBNIC_RX_PAGE_SIZE		4096	/* HPQ/PPQ buffer unit */
#define FBNIC_RX_MAX_RCD		8	/* HDR_AL + PAY_AL x 5 + OPT_META + META */
#define FBNIC_RX_MAX_HDR		1536	/* RDE_CTL1.MAX_HDR, Linux's default */
#define FBNIC_RX_MIN_HROOM		0	/* frames are copied: no room needed */
#define FBNIC_RX_MIN_TROOM		0
#define FBNIC_RX_PADLEN			0
#define FBNIC_RX_MBUF_CACHE		64	/* mbufs pre-allocated per queue */
#define FBNIC_RX_MAX_FRAME		16384	/* largest frame the queue reassembles */

/* Per-queue software counters. */
struct fbnic_queue_stats {
	uint64_t packets;
	uint64_t bytes;
	uint64_t errors;	/* frames dropped: device error, bad descriptor, no scatter */
	uint64_t nombuf;	/* Rx: polls stopped by an empty pool (also counted in
				 * dev->data->rx_mbuf_alloc_failed, ethdev's rx_nombuf);
				 * Tx: bursts stopped for want of a tunnel header mbuf
				 */
	uint64_t drops;		/* Tx: frames dropped by the driver */
	uint64_t bad_desc;	/* values from the device that failed a bounds check */
	uint64_t resets;	/* the driver reset the queue: the device lost step */
};

struct fbnic_tx_queue {
	/* Hot: every burst reads these (first 128 bytes, see the asserts below). */
	volatile uint64_t *twq;		/* TWQ0 ring */
	volatile uint64_t *tcq;		/* TCQ ring */
	struct rte_mbuf **sw_ring;	/* mbuf segment of each AL TWD, NULL elsewhere */
	struct fbnic_hw *hw;
	uint32_t mask;			/* TWQ0 and TCQ entries - 1 */
	uint32_t tail;			/* next TWD to write (masked) */
	uint32_t head;			/* oldest TWD not freed (masked) */
	uint32_t hw_head;		/* TWQ0 head last reported by the TCQ */
	uint32_t tcq_head;		/* free running: bit log2(size) = pass parity */
	uint32_t twq_tail_reg;		/* BAR0 word index of TWQ0_TAIL */
	uint32_t tcq_head_reg;		/* BAR0 word index of TCQ_HEAD */
	uint16_t free_thresh;
	bool started;
	bool ts_req;			/* timesync: RTE_MBUF_F_TX_IEEE1588_TMST asks REQ_TS */
	uint64_t pad_iova;		/* FBNIC_TX_MIN_FRAME zero bytes */
	uint64_t offloads;
	struct fbnic_queue_stats stats;

	/* Cold */
	uint64_t stall_since;		/* full ring, no completion since (timer cycles), or 0 */
	uint32_t stall_head;		/* hw_head when the stall began */
	const struct rte_memzone *mz;	/* TWQ0, TCQ, padding */
	uint64_t twq_iova;
	uint64_t tcq_iova;
	uint32_t nb_desc;
	uint16_t queue_id;		/* ethdev queue = hardware queue page */
	uint16_t port_id;
	bool deferred_start;
	/* Timesync: the next TCQ entry read_tx_timestamp looks at (free running). */
	uint32_t ts_cursor;
	/* stats at the last stats_reset: only the burst writes stats (fbnic_txq_stats) */
	struct fbnic_queue_stats stats_base;
};

struct fbnic_rx_zc;
struct fbnic_time;
struct fbnic_rx_bufpool;

/* How frames reach mbufs (fbnic_rx.h). */
enum fbnic_rx_scheme {
	FBNIC_RX_SCHEME_BUFS,		/* one pool mbuf per HPQ buffer, no copy */
	FBNIC_RX_SCHEME_COPY,		/* pages of the queue, copied into the app's mbufs */
	FBNIC_RX_SCHEME_ZC,		/* pages of the queue attached to the app's mbufs */
	FBNIC_RX_SCHEME_SPLIT,		/* copy, header and payload into two pools */
};

/*
 * rte_flow MARK and FLAG of an action entry (fbnic_flow.c), as the Rx bursts
 * read them: the id with FBNIC_FLOW_MARK_ID (MARK), FBNIC_FLOW_MARK_FLAG
 * alone (FLAG), 0 for none.
 */
#define FBNIC_FLOW_MARK_ID	(UINT64_C(1) << 32)
#define FBNIC_FLOW_MARK_FLAG	(UINT64_C(1) << 33)

/*
 * Pages the driver owns for the NIC to write frames into: contiguous in
 * virtual memory, each 4 KiB page with its own IOVA. Only one page at a time
 * needs to be IOVA-contiguous, so that Rx set-up works with IOVA as physical
 * addresses whatever the memory's fragmentation.
 */
struct fbnic_rx_pages {
	uint8_t *va;
	uint64_t *iova;			/* one per page */
	uint32_t nb;
};

struct fbnic_rx_queue {
	/* Hot: every burst reads these (first 128 bytes, see the asserts below). */
	volatile uint64_t *rcq;		/* RCQ ring */
	volatile uint64_t *hpq;		/* HPQ BD ring */
	struct rte_mbuf **bufs;		/* buffer scheme: the mbuf behind each HPQ BD */
	struct rte_mempool *bufs_mp;	/* buffer scheme: the queue's pool */
	uint64_t mbuf_initializer;	/* buffer scheme: rearm_data of a received mbuf */
	struct fbnic_hw *hw;
	uint64_t offloads;
	uint32_t rcq_mask;
	uint32_t rcq_head;		/* free running: bit log2(size) = pass parity */
	uint16_t bdq_mask;		/* HPQ (and PPQ) entries - 1 */
	uint16_t hpq_head;		/* oldest buffer still owned by the NIC */
	uint16_t hpq_tail;		/* next BD to post */
	uint16_t hpq_fill;		/* buffer scheme: buffers kept posted (nb_desc) */
	uint16_t buf_first_off;		/* buffer scheme: page offset of a buffer's first frame */
	uint16_t buf_max_len;		/* buffer scheme: MAX_HDR, the most one buffer takes */
	uint16_t port_id;
	bool started;
	uint8_t scheme;			/* enum fbnic_rx_scheme */
	uint32_t rcq_head_reg;		/* BAR0 word index of RCQ_HEAD */
	uint32_t hpq_tail_reg;		/* BAR0 word index of BDQ_HPQ_TAIL */
	uint64_t *alloc_failed;		/* the port's rx_mbuf_alloc_failed */
	struct fbnic_queue_stats stats;

	/* Buffer scheme's PPQ (frames over one buffer, with scatter) */
	struct rte_mbuf **ppq_bufs;	/* the mbuf behind each PPQ BD, NULL without scatter */
	uint16_t ppq_fill;		/* PPQ buffers kept posted; 0: PPQ off */

	/* Copy and zero-copy schemes (and the buffer scheme's PPQ) */
	volatile uint64_t *ppq;		/* PPQ BD ring */
	uint8_t *hpq_pages;		/* page i backs HPQ BD i (ID = i) */
	uint8_t *ppq_pages;
	struct rte_mempool *mp;		/* the application's pool */
	struct fbnic_rx_zc *zc;		/* zero-copy page set, NULL in copy mode */
	const uint64_t *hpq_pages_iova;	/* IOVA of each HPQ page */
	const uint64_t *ppq_pages_iova;
	uint16_t ppq_head;
	uint16_t ppq_tail;
	uint16_t mbuf_room;		/* data room of one mbuf */
	uint16_t mcache_n;		/* fresh mbufs in mcache[] */
	uint32_t ppq_tail_reg;
	struct rte_mbuf *mcache[FBNIC_RX_MBUF_CACHE];

	/* Split scheme: HPQ bytes into hdr_mp, PPQ bytes into mp (mbuf_room each) */
	struct rte_mempool *hdr_mp;
	uint16_t hdr_room;		/* data room of one header mbuf */
	uint16_t split_max_hdr;		/* RDE_CTL1.MAX_HDR */
	bool split_hint;		/* RDE_CTL0.EN_HDR_SPLIT: cut at the DMA hint */

	/* Cold */
	/* Mark per action entry (fbnic_adapter.flow_mark), for OPT_META ACTION. */
	const uint64_t *flow_mark;
	const struct rte_memzone *mz;	/* RCQ, HPQ, PPQ */
	struct fbnic_rx_bufpool *bufpool;	/* buffer scheme: pool and its memory */
	struct fbnic_rx_pages pages;	/* HPQ then PPQ pages (copy mode) */
	uint64_t rcq_iova;
	uint64_t hpq_iova;
	uint64_t ppq_iova;
	uint32_t nb_desc;		/* RCQ entries */
	uint32_t nb_rx_desc;		/* descriptors the application asked for (a power of 2) */
	uint32_t nb_bdq;		/* HPQ and PPQ entries (pages) each, copy schemes */
	uint32_t nb_hpq;		/* HPQ entries in use (buffer scheme: one per descriptor) */
	unsigned int socket_id;
	uint16_t queue_id;
	bool deferred_start;
	bool drop_en;

	/* Rx timestamps (OPT_META), set by fbnic_ptp.c while the port runs */
	const struct fbnic_time *time;	/* the port's clock */
	uint64_t ts_dynflag;		/* RTE_ETH_RX_OFFLOAD_TIMESTAMP: the mbuf flag, or 0 */
	int ts_dynfield;		/* its field's offset in the mbuf */
	bool ts_ptp;			/* timesync: flag and latch PTP frames */
	uint32_t ts_latch_valid;	/* ts_latch_ns holds a PTP frame's time not read yet */
	uint64_t ts_latch_ns;
	/* stats at the last stats_reset: only the burst writes stats (fbnic_rxq_stats) */
	struct fbnic_queue_stats stats_base;
};

/* What every burst reads stays in the queue's first two cache lines. */
#define FBNIC_HOT_END	128
static_assert(offsetof(struct fbnic_rx_queue, stats) + 2 * sizeof(uint64_t) <= FBNIC_HOT_END,
	      "Rx burst fields (to stats.bytes) beyond the first 128 bytes");
static_assert(offsetof(struct fbnic_rx_queue, started) < 64 + 32,
	      "Rx queue started flag far from the burst fields");
static_assert(offsetof(struct fbnic_tx_queue, stats) + 2 * sizeof(uint64_t) <= FBNIC_HOT_END,
	      "Tx burst fields (to stats.bytes) beyond the first 128 bytes");
static_assert(offsetof(struct fbnic_tx_queue, started) < 64,
	      "Tx queue started flag beyond the first cache line");

/* An entry of a completion ring is new when DONE differs from the pass parity (4.5). */
static __rte_always_inline bool
fbnic_cmpl_new(uint64_t desc, uint32_t pos, uint32_t entries)
{
	return ((desc >> 63) ^ !!(pos & entries)) != 0;
}

static __rte_always_inline uint64_t
fbnic_cmpl_read(volatile uint64_t *ring, uint32_t idx)
{
	return rte_le_to_cpu_64(ring[idx]);
}

/* Pages the queue owns (copy and zero-copy schemes); -ERANGE beyond the NIC's reach. */
int fbnic_rx_pages_alloc(struct fbnic_rx_pages *p, uint32_t nb, unsigned int socket_id);
void fbnic_rx_pages_free(struct fbnic_rx_pages *p);

/* Queue set-up and teardown (eth_dev_ops). */
/*
 * Whether every set-up Rx queue takes frames of max_frame bytes (FCS and a
 * VLAN tag included) as it stands, without the changes start makes.
 */
bool fbnic_rx_queues_take(const struct rte_eth_dev *dev, uint32_t max_frame);
int fbnic_rx_queue_setup(struct rte_eth_dev *dev, uint16_t qid, uint16_t nb_desc,
			 unsigned int socket_id, const struct rte_eth_rxconf *conf,
			 struct rte_mempool *mp);
int fbnic_tx_queue_setup(struct rte_eth_dev *dev, uint16_t qid, uint16_t nb_desc,
			 unsigned int socket_id, const struct rte_eth_txconf *conf);
void fbnic_rx_queue_release(struct rte_eth_dev *dev, uint16_t qid);
void fbnic_tx_queue_release(struct rte_eth_dev *dev, uint16_t qid);
int fbnic_rx_queue_start(struct rte_eth_dev *dev, uint16_t qid);
int fbnic_rx_queue_stop(struct rte_eth_dev *dev, uint16_t qid);
int fbnic_tx_queue_start(struct rte_eth_dev *dev, uint16_t qid);
int fbnic_tx_queue_stop(struct rte_eth_dev *dev, uint16_t qid);
/* Rewrite the drop mode of every started Rx queue after a Tx pause change. */
void fbnic_rx_drop_modes_update(struct rte_eth_dev *dev);
/* Release every queue of the port (close). */
void fbnic_dev_free_queues(struct rte_eth_dev *dev);

/* Burst functions from the path table; logs "Using <name> Rx" / "Tx". */
void fbnic_set_rxtx_functions(struct rte_eth_dev *dev);
int fbnic_rx_burst_mode_get(struct rte_eth_dev *dev, uint16_t qid,
			    struct rte_eth_burst_mode *mode);
int fbnic_tx_burst_mode_get(struct rte_eth_dev *dev, uint16_t qid,
			    struct rte_eth_burst_mode *mode);

uint64_t fbnic_rx_offload_capa(void);
/* Packet types the Rx path reports (eth_dev_ops dev_supported_ptypes_get). */
const uint32_t *fbnic_supported_ptypes_get(struct rte_eth_dev *dev, size_t *no_of_elements);
/* Header sets an rx_seg proto_hdr may name (buffer_split_supported_hdr_ptypes_get). */
const uint32_t *fbnic_buffer_split_ptypes_get(struct rte_eth_dev *dev, size_t *no_of_elements);
/* What rx_seg[] can ask for (dev_info rx_seg_capa). */
void fbnic_rx_seg_capa_get(struct rte_eth_rxseg_capa *capa);
uint64_t fbnic_tx_offload_capa(void);

void fbnic_rxq_info_get(struct rte_eth_dev *dev, uint16_t qid,
			struct rte_eth_rxq_info *qinfo);
void fbnic_txq_info_get(struct rte_eth_dev *dev, uint16_t qid,
			struct rte_eth_txq_info *qinfo);

/* Fast-path helpers (eth_dev and rte_eth_fp_ops). */
int fbnic_rx_descriptor_status(void *rxq, uint16_t offset);
int fbnic_tx_descriptor_status(void *txq, uint16_t offset);
int fbnic_rx_queue_count(void *rxq);
int fbnic_tx_done_cleanup(void *txq, uint32_t free_cnt);

/* Bursts (also chosen by fbnic_set_rxtx_functions). */
uint16_t fbnic_recv_pkts(void *rxq, struct rte_mbuf **rx_pkts, uint16_t nb_pkts);
uint16_t fbnic_recv_pkts_zc(void *rxq, struct rte_mbuf **rx_pkts, uint16_t nb_pkts);
uint16_t fbnic_recv_pkts_split(void *rxq, struct rte_mbuf **rx_pkts, uint16_t nb_pkts);
uint16_t fbnic_xmit_pkts(void *txq, struct rte_mbuf **tx_pkts, uint16_t nb_pkts);
uint16_t fbnic_prep_pkts(void *txq, struct rte_mbuf **tx_pkts, uint16_t nb_pkts);

/*
 * Zero-copy Rx for a port's queues set up from now on (default: copy). The
 * frames are then external buffers in the queue's pages, with
 * RTE_PKTMBUF_HEADROOM bytes of headroom in front of the first segment; the
 * pages outlive the queue until the application frees the last such mbuf.
 * Meant for a devarg of the ethdev layer; process-local.
 */
int fbnic_rx_zero_copy_set(uint16_t port_id, bool on);
bool fbnic_rx_zero_copy_get(uint16_t port_id);

/* Per-queue counters; NULL queues read as zero. */
void fbnic_rxq_stats(const void *rxq, struct fbnic_queue_stats *st);
void fbnic_txq_stats(const void *txq, struct fbnic_queue_stats *st);
void fbnic_rxq_stats_reset(void *rxq);
void fbnic_txq_stats_reset(void *txq);

#endif /* _FBNIC_RXTX_H_ */
