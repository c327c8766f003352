/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

#ifndef _FBM_QUEUE_H_
#define _FBM_QUEUE_H_

/*
 * Internal header of the queue manager (fbm_queue.c), the TX engine (fbm_tx.c)
 * and the RX engine (fbm_rx.c): the 128 queue pages and the QM_TX / QM_RX
 * global blocks (fbnic_hw.rst 2, 3, 4).
 *
 * Locking: control registers are written under the device lock, the engines
 * run serialized with them. Doorbells (TWQ/BDQ tails, TCQ/RCQ heads) are the
 * only fields the host may touch concurrently; they are atomic 32-bit values.
 *
 * Where fbnic_hw.rst leaves the behaviour open, the model does this:
 *  - completion rings keep one entry free, so a full ring and an empty one
 *    differ with the masked host head; a full TCQ stalls the TWQs, a full
 *    RCQ drops or holds the frame (DROP_MODE);
 *  - type-0 TCDs are coalesced over one engine pass per TWQ (one record with
 *    the last head); type-1 TCDs are written as each stamped frame leaves;
 *  - every HPQ buffer ends with PAGE_FIN: a buffer is closed as soon as a
 *    header of MAX_HDR bytes would no longer fit; PPQ buffers close when full;
 *  - frames waiting in DROP_MODE wait/never sit in an RX buffer of the size
 *    Linux gives the network-to-host FIFO; past it they are RXB drops;
 *  - idle bitmaps: TWQ/TQS/TDE bit n is TWQ0 of queue n, bit 128 + n TWQ1;
 *    a ring is busy while it is enabled with unread descriptors, an RX queue
 *    while it holds frames.
 */

#include <stdbool.h>
#include <stdint.h>

#include "fbm_internal.h"
#include "fbnic_csr.h"

#define FBM_NUM_QUEUES		128
#define FBM_BUF_SIZE		4096u	/* HPQ/PPQ buffer unit, fbnic_hw.rst 2 */

/* TX limits: anything beyond is a malformed request (TWQ ERR_CNT). */
#define FBM_TX_MAX_DESC		64u	/* descriptors per frame */
#define FBM_TX_MAX_LSO		(256u * 1024)	/* bytes gathered for one LSO request */
#define FBM_TX_MAX_HDR		512u	/* LSO header bytes */
#define FBM_TX_MIN_MSS		16u
#define FBM_TX_QUOTA		64u	/* frames per TWQ per pass */

/* RX limits */
#define FBM_RX_MAX_FRAME	16384u
#define FBM_RX_MAX_RCD		8u	/* HDR_AL + PAY_AL x 5 + OPT_META + META */
/*
 * Frames waiting for buffers (DROP_MODE wait / never) sit in the RX buffer:
 * Linux gives the network-to-host FIFO 0xc0 x 2 KiB. The model keeps them
 * per queue, bounded by that size device wide.
 */
#define FBM_RX_HOLD_BYTES	(0xc0u * 2048)
#define FBM_RX_HOLD_SLOTS	4096u	/* frames per queue, power of two */
#define FBM_RX_WAIT_NS		500000u	/* DROP_MODE wait: how long a frame may wait */

/* Byte offsets in a frame to checksum or segment, as a TWD META describes them (3.1). */
struct fbm_tx_layout {
	uint32_t l2;		/* L3 start (outer) */
	uint32_t l3i;		/* inner L3 start */
	uint32_t l4;		/* checksum start */
	uint32_t csum;		/* checksum field */
	uint32_t l4len;
	unsigned int l3_type;
	unsigned int l4_type;
};

/* How segmentation changes headers (TCE_LSO_CTRL): IPv4 ID, TCP flags cleared. */
struct fbm_lso_ctrl {
	bool ipid_inc;
	uint16_t clr_1st;	/* TCP flags word bits cleared in the first segment */
	uint16_t clr_mid;
	uint16_t clr_end;	/* ... in the last; a lone segment: 1st & end */
};

typedef void (*fbm_lso_out_fn)(void *ctx, const uint8_t *seg, uint32_t len, bool first,
			       bool last);

/*
 * Cut buf (headers up to l->l4 + l->l4len, then payload) into mss-sized
 * segments built in seg_buf (FBM_RX_MAX_FRAME bytes), each handed to out.
 * pseudo is the pseudo-header sum without length. Returns the segments made,
 * or -EINVAL for headers the engine does not take (fbm_tx_lso_check).
 */
int fbm_lso_segment(const uint8_t *buf, uint32_t len, const struct fbm_tx_layout *l,
		    uint32_t mss, uint16_t pseudo, const struct fbm_lso_ctrl *c,
		    uint8_t *seg_buf, fbm_lso_out_fn out, void *ctx);

/* One descriptor ring as the NIC sees it. */
struct fbm_qring {
	uint64_t *desc;		/* host ring memory, mapped once per enable */
	uint32_t mask;		/* entries - 1 */
	uint32_t size;		/* entries, power of two */
	/*
	 * Work rings (TWQ, HPQ, PPQ): head = next entry the NIC reads (index).
	 * Completion rings (TCQ, RCQ): tail = entries written since reset
	 * (free running; bit log2(size) is the pass parity for DONE).
	 */
	uint32_t head;
	uint32_t tail;
	uint32_t db;		/* doorbell: host tail or host head (atomic) */
	uint32_t map_db;	/* doorbell value of the last failed mapping */
	bool running;		/* ENABLE set, RESET clear */
	bool map_failed;
	uint32_t ctl;
	uint32_t bal;
	uint32_t bah;
	uint32_t size_reg;
};

/* TIM / RIM interrupt moderation state (fbnic_hw.rst 4.4). */
struct fbm_moder {
	uint32_t vector;	/* TIM_CTL / RIM_CTL 7:0 */
	uint32_t threshold;	/* 14:0 */
	bool masked;		/* TIM_MASK / RIM_MASK bit 0 */
	bool pending;		/* set by TIM_SET / a reached condition */
	uint32_t count;		/* completions written since the last interrupt */
	uint64_t start_ns;	/* time of the first of those, timer base */
};

/* The HPQ or PPQ buffer currently being filled. */
struct fbm_rx_buf {
	uint8_t *va;
	uint32_t off;		/* next free byte */
	uint16_t id;
	bool valid;
};

/* Frames a queue holds while it has no room (DROP_MODE wait / never). */
struct fbm_rx_hold {
	uint32_t head;		/* first slot */
	uint32_t count;		/* slots in use */
	uint32_t data_head;	/* byte ring, free running offsets */
	uint32_t data_tail;
	uint8_t *data;		/* FBM_RX_HOLD_BYTES */
	struct {
		uint32_t off;	/* frame bytes at data + off */
		uint32_t len;
		uint32_t end;	/* data_head once this frame is gone */
		uint64_t since_ns;
		struct fbm_rx_meta meta;
	} slot[FBM_RX_HOLD_SLOTS];
};

/* Placement settings of a queue, decoded from RDE_CTL0/1. */
struct fbm_rx_cfg {
	uint32_t first_off;	/* OFF of the first frame in an HPQ buffer */
	uint32_t hroom;
	uint32_t troom;
	uint32_t pad;
	uint32_t max_hdr;	/* header bytes an HPQ slot may take */
	bool split;
	bool pack;		/* PAYLD_PACK: payloads of several frames share a PPQ buffer */
};

struct fbm_queue {
	struct fbm_qring twq[2];
	struct fbm_qring tcq;
	struct fbm_qring hpq;
	struct fbm_qring ppq;
	struct fbm_qring rcq;

	/* TX completions not yet written (coalesced over one pass). */
	bool tcd_pending[2];

	uint32_t twq_pkt_cnt[2];
	uint32_t twq_err_cnt[2];

	uint32_t bdq_ctl;
	uint32_t rde_ctl0;
	uint32_t rde_ctl1;
	struct fbm_rx_cfg rx_cfg;	/* decoded RDE_CTL0/1 */
	uint32_t rde_pkt_cnt;
	uint32_t rde_pkt_err_cnt;
	uint32_t rde_cq_drop_cnt;
	uint32_t rde_bdq_drop_cnt;

	struct fbm_rx_buf hdr;
	struct fbm_rx_buf pay;
	struct fbm_rx_hold *hold;

	struct fbm_moder tim;
	struct fbm_moder rim;

	uint16_t idx;
};

#define FBM_QM_TX_WORDS	(FBNIC_CSR_END_QM_TX - FBNIC_CSR_START_QM_TX + 1)
#define FBM_QM_RX_WORDS	(FBNIC_CSR_END_QM_RX - FBNIC_CSR_START_QM_RX + 1)

/* Per-device state of the queue component, hung off struct fbm_dev. */
struct fbm_queue_state {
	struct fbm_queue q[FBM_NUM_QUEUES];
	uint32_t qm_tx[FBM_QM_TX_WORDS];
	uint32_t qm_rx[FBM_QM_RX_WORDS];
	uint64_t tx_active[2];	/* queues with a running TWQ0 or TWQ1 */
	uint64_t moder_armed[2];/* queues with TIM/RIM counts waiting for a timer */
	uint32_t nr_holding;	/* queues with held RX frames */
	uint32_t held_bytes;	/* RX buffer space they take */
	unsigned int tx_next;	/* round-robin start */
	bool tx_flush;		/* TMI_DROP_CTRL.EN seen at the start of the pass */
	/* DMA through cached pointers, reported to the PCIe counters in batches */
	uint64_t dma_rd_bytes;
	uint64_t dma_wr_bytes;
	uint8_t *tx_buf;	/* gather buffer, FBM_TX_MAX_LSO bytes */
	uint8_t *seg_buf;	/* one LSO segment, FBM_RX_MAX_FRAME bytes */
};

/* fbm_queue.c */
struct fbm_queue_state *fbm_qstate(struct fbm_dev *dev);
bool fbm_ring_map(struct fbm_dev *dev, struct fbm_qring *r, bool to_host);
void fbm_moder_add(struct fbm_dev *dev, struct fbm_queue *q, struct fbm_moder *m,
		   unsigned int n);
void fbm_rx_buf_drop(struct fbm_queue *q);

void fbm_queue_dma_report(struct fbm_dev *dev, struct fbm_queue_state *qs);

/* fbm_tx.c */
void fbm_tx_flush_tcd(struct fbm_dev *dev, struct fbm_queue *q);

/* fbm_rx.c */
void fbm_rx_cfg_update(struct fbm_queue *q);
void fbm_rx_hold_poll(struct fbm_dev *dev, struct fbm_queue_state *qs, uint64_t now_ns);
uint32_t fbm_rx_hold_fill(const struct fbm_queue_state *qs);
void fbm_rx_hold_free(struct fbm_queue *q);
void fbm_rx_hold_flush(struct fbm_queue_state *qs, struct fbm_queue *q);

/*
 * Host pointers cached per ring or buffer bypass fbm_dma_map(); this check
 * keeps bus-master gating and the DMA fault in force for them. When DMA is
 * refused, one fbm_dma_map() records the failure like any other access.
 */
static inline bool
fbm_dma_allowed(struct fbm_dev *dev, uint64_t iova, bool to_host)
{
	if (fbm_dma_enabled(dev, to_host) && !fbm_fault_active(dev, FBM_FAULT_DMA))
		return true;
	(void)fbm_dma_map(dev, iova, 8, to_host);
	return false;
}

static inline uint32_t
fbm_db_load(const uint32_t *db)
{
	return __atomic_load_n(db, __ATOMIC_ACQUIRE);
}

static inline void
fbm_db_store(uint32_t *db, uint32_t v)
{
	__atomic_store_n(db, v, __ATOMIC_RELEASE);
}

/* Free completion entries, keeping one slot so that full and empty differ. */
static inline uint32_t
fbm_cmpl_room(const struct fbm_qring *r)
{
	uint32_t host_head = fbm_db_load(&r->db) & r->mask;

	return r->mask - ((r->tail - host_head) & r->mask);
}

/* DONE bit for the next completion: 1 on even passes, 0 on odd ones (4.5). */
static inline uint64_t
fbm_cmpl_done(const struct fbm_qring *r, uint32_t tail)
{
	return (tail & r->size) ? 0 : ((uint64_t)1 << 63);
}

static inline void
fbm_desc_store(uint64_t *d, uint64_t v, bool release)
{
	if (release)
		__atomic_store_n(d, v, __ATOMIC_RELEASE);
	else
		__atomic_store_n(d, v, __ATOMIC_RELAXED);
}

static inline uint32_t
fbm_align128(uint32_t v)
{
	return (v + 127u) & ~127u;
}

#endif /* _FBM_QUEUE_H_ */
