/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

#ifndef _FBNIC_TXRX_HW_H_
#define _FBNIC_TXRX_HW_H_

#include "fbnic_hw.h"

/*
 * Queue enable/disable sequences and idle waits (fbnic_hw.rst 4.2, 4.6).
 * The caller owns the rings: it passes bus addresses and log2 sizes, zeroes
 * completion rings before enabling, and issues one fbnic_hw_flush() after a
 * batch of enables or disables.
 */

/* Word index of a register in queue page q. */
#define FBNIC_QUEUE_REG(q, reg)		(FBNIC_QUEUE(q) + (reg))

#define FBNIC_RING_LOG2_MIN		1
#define FBNIC_RING_LOG2_MAX		16	/* 64K entries: SIZE field wraps to 0 */

/* Linux default (fbnic_hw.rst 4.2). */
#define FBNIC_RX_MAX_HDR_MIN		256
/* Idle polling: 2 us steps, 500 ms per idle register. */
#define FBNIC_IDLE_POLL_US		2
#define FBNIC_IDLE_TIMEOUT_US		500000

struct fbnic_txq_hw_cfg {
	uint16_t qid;			/* queue page 0-127 */
	uint64_t twq0_iova;		/* 128 B aligned */
	uint8_t twq0_log2;		/* 0 = TWQ0 not used */
	uint64_t twq1_iova;
	uint8_t twq1_log2;		/* 0 = TWQ1 not used */
	uint64_t tcq_iova;
	uint8_t tcq_log2;		/* 0 = no TCQ */
	uint16_t vector;		/* MSI-X vector of TX completions (TIM_CTL) */
	uint16_t tim_threshold;		/* 0 = entries / 2 - 1 */
};

struct fbnic_rxq_hw_cfg {
	uint16_t qid;
	uint64_t hpq_iova;
	uint8_t hpq_log2;		/* log2 of HPQ buffer descriptors */
	uint64_t ppq_iova;
	uint8_t ppq_log2;		/* 0 = no PPQ */
	uint64_t rcq_iova;
	uint8_t rcq_log2;
	/* RDE_CTL0 */
	uint8_t drop_mode;		/* FBNIC_QUEUE_RDE_CTL0_DROP_* */
	uint16_t min_hroom;		/* bytes, 9 bits */
	uint16_t min_troom;		/* bytes, 9 bits */
	bool hdr_split;
	/* RDE_CTL1 */
	uint16_t max_hdr;		/* bytes; raised to FBNIC_RX_MAX_HDR_MIN */
	uint8_t padlen;			/* 4 bits */
	uint8_t payld_off;		/* 3 bits */
	uint8_t payld_pg_cl;		/* 3 bits */
	uint8_t payld_pack;		/* FBNIC_QUEUE_RDE_CTL1_PAYLD_PACK_* */
	uint16_t vector;		/* MSI-X vector of RX completions (RIM_CTL) */
	uint16_t rim_threshold;		/* 0 = entries / 2 - 1 */
};

/* Drop mode Linux picks: immediate without TX pause and with > 1 RX queue, else never. */
uint8_t fbnic_rx_drop_mode(bool tx_pause, unsigned int nb_rx_queues);
/* Change the drop mode of a configured RCQ (RDE_CTL0), as a pause change does. */
void fbnic_rxq_drop_mode_set(struct fbnic_hw *hw, uint16_t qid, uint8_t drop_mode);

/*
 * TWQ0 (and TWQ1) then TCQ: RESET, base, size, TIM vector/threshold/unmask,
 * ENABLE (fbnic_hw.rst 4.2). -EINVAL for a bad configuration, nothing written.
 */
int fbnic_txq_hw_enable(struct fbnic_hw *hw, const struct fbnic_txq_hw_cfg *cfg);
/* BDQ (HPQ + optional PPQ) then RCQ with RDE_CTL0/1 and RIM. */
int fbnic_rxq_hw_enable(struct fbnic_hw *hw, const struct fbnic_rxq_hw_cfg *cfg);
/* TWQ0/1 ENABLE cleared (RMW), TCQ_CTL = 0, TIM masked (fbnic_hw.rst 4.6). */
void fbnic_txq_hw_disable(struct fbnic_hw *hw, uint16_t qid);
/* BDQ ENABLE cleared (PPQ_ENABLE kept), RCQ_CTL = 0, RIM masked. */
void fbnic_rxq_hw_disable(struct fbnic_hw *hw, uint16_t qid);

/*
 * Wait for one queue's idle bits (bit q % 32 of word q / 32): TX in
 * TWQ/TQS/TDE/TCQ_IDLE, RX in HPQ/PPQ/RCQ_IDLE. 0, -ETIMEDOUT or -ENODEV.
 */
int fbnic_txq_wait_idle(struct fbnic_hw *hw, uint16_t qid);
int fbnic_rxq_wait_idle(struct fbnic_hw *hw, uint16_t qid);

/* Hardware pointers of a ring, for diagnostics and tests. */
static inline uint32_t
fbnic_queue_rd32(struct fbnic_hw *hw, uint16_t qid, uint32_t reg)
{
	return fbnic_rd32(hw, FBNIC_QUEUE_REG(qid, reg));
}

static inline void
fbnic_queue_wr32(struct fbnic_hw *hw, uint16_t qid, uint32_t reg, uint32_t val)
{
	fbnic_wr32(hw, FBNIC_QUEUE_REG(qid, reg), val);
}

#endif /* _FBNIC_TXRX_HW_H_ */
