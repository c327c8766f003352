/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

#include "fbnic_txrx_hw.h"

#define FBNIC_MSIX_VECTORS	256

static bool
fbnic_ring_log2_ok(uint8_t log2)
{
	return log2 >= FBNIC_RING_LOG2_MIN && log2 <= FBNIC_RING_LOG2_MAX;
}

/* SIZE registers keep 4 bits: 64K entries (log2 16) is written as 0. */
static uint32_t
fbnic_ring_size_field(uint8_t log2)
{
	return log2 & 0xfu;
}

/* Default completion threshold: half the ring, minus one. */
static uint32_t
fbnic_cq_threshold(uint16_t configured, uint8_t log2)
{
	if (configured != 0)
		return configured & FBNIC_QUEUE_TIM_THRESHOLD_TWD_MASK;
	return ((1u << log2) - 1) / 2;
}

static void
fbnic_ring_base(struct fbnic_hw *hw, uint16_t qid, uint32_t bal, uint32_t bah, uint64_t iova)
{
	fbnic_queue_wr32(hw, qid, bal, (uint32_t)iova);
	fbnic_queue_wr32(hw, qid, bah, (uint32_t)(iova >> 32));
}

static void
fbnic_twq_enable(struct fbnic_hw *hw, uint16_t qid, uint32_t ctl, uint32_t bal, uint32_t bah,
		 uint32_t size, uint64_t iova, uint8_t log2)
{
	fbnic_queue_wr32(hw, qid, ctl, FBNIC_QUEUE_TWQ_CTL_RESET);
	fbnic_ring_base(hw, qid, bal, bah, iova);
	fbnic_queue_wr32(hw, qid, size, fbnic_ring_size_field(log2));
	fbnic_queue_wr32(hw, qid, ctl, FBNIC_QUEUE_TWQ_CTL_ENABLE);
}

int
fbnic_txq_hw_enable(struct fbnic_hw *hw, const struct fbnic_txq_hw_cfg *cfg)
{
	if (cfg->qid >= FBNIC_MAX_QUEUES || cfg->vector >= FBNIC_MSIX_VECTORS ||
	    (cfg->twq0_log2 && !fbnic_ring_log2_ok(cfg->twq0_log2)) ||
	    (cfg->twq1_log2 && !fbnic_ring_log2_ok(cfg->twq1_log2)) ||
	    (cfg->tcq_log2 && !fbnic_ring_log2_ok(cfg->tcq_log2)) ||
	    ((cfg->twq0_iova | cfg->twq1_iova | cfg->tcq_iova) & 0x7f)) {
		FBNIC_BASE_LOG(ERR, "port %u: bad TX queue %u config (log2 %u/%u/%u, vector %u)",
			       hw->port_id, cfg->qid, cfg->twq0_log2, cfg->twq1_log2,
			       cfg->tcq_log2, cfg->vector);
		return -EINVAL;
	}

	if (cfg->twq0_log2)
		fbnic_twq_enable(hw, cfg->qid, FBNIC_QUEUE_TWQ0_CTL, FBNIC_QUEUE_TWQ0_BAL,
				 FBNIC_QUEUE_TWQ0_BAH, FBNIC_QUEUE_TWQ0_SIZE, cfg->twq0_iova,
				 cfg->twq0_log2);
	if (cfg->twq1_log2)
		fbnic_twq_enable(hw, cfg->qid, FBNIC_QUEUE_TWQ1_CTL, FBNIC_QUEUE_TWQ1_BAL,
				 FBNIC_QUEUE_TWQ1_BAH, FBNIC_QUEUE_TWQ1_SIZE, cfg->twq1_iova,
				 cfg->twq1_log2);
	if (cfg->tcq_log2 == 0)
		return 0;

	fbnic_queue_wr32(hw, cfg->qid, FBNIC_QUEUE_TCQ_CTL, FBNIC_QUEUE_TCQ_CTL_RESET);
	fbnic_ring_base(hw, cfg->qid, FBNIC_QUEUE_TCQ_BAL, FBNIC_QUEUE_TCQ_BAH, cfg->tcq_iova);
	fbnic_queue_wr32(hw, cfg->qid, FBNIC_QUEUE_TCQ_SIZE, fbnic_ring_size_field(cfg->tcq_log2));
	fbnic_queue_wr32(hw, cfg->qid, FBNIC_QUEUE_TIM_CTL,
			 FBNIC_FIELD_PREP(FBNIC_QUEUE_TIM_CTL_MSIX_MASK, cfg->vector));
	fbnic_queue_wr32(hw, cfg->qid, FBNIC_QUEUE_TIM_THRESHOLD,
			 fbnic_cq_threshold(cfg->tim_threshold, cfg->tcq_log2));
	fbnic_queue_wr32(hw, cfg->qid, FBNIC_QUEUE_TIM_MASK, 0);
	fbnic_queue_wr32(hw, cfg->qid, FBNIC_QUEUE_TCQ_CTL, FBNIC_QUEUE_TCQ_CTL_ENABLE);
	return 0;
}

uint8_t
fbnic_rx_drop_mode(bool tx_pause, unsigned int nb_rx_queues)
{
	/* With pause the queue may back-pressure the wire; without, one full queue must not. */
	if (!tx_pause && nb_rx_queues > 1)
		return FBNIC_QUEUE_RDE_CTL0_DROP_IMMEDIATE;
	return FBNIC_QUEUE_RDE_CTL0_DROP_NEVER;
}

void
fbnic_rxq_drop_mode_set(struct fbnic_hw *hw, uint16_t qid, uint8_t drop_mode)
{
	uint32_t v = fbnic_queue_rd32(hw, qid, FBNIC_QUEUE_RDE_CTL0);

	v &= ~FBNIC_QUEUE_RDE_CTL0_DROP_MODE_MASK;
	v |= (uint32_t)FBNIC_FIELD_PREP(FBNIC_QUEUE_RDE_CTL0_DROP_MODE_MASK, drop_mode);
	fbnic_queue_wr32(hw, qid, FBNIC_QUEUE_RDE_CTL0, v);
}

static uint32_t
fbnic_rde_ctl0(const struct fbnic_rxq_hw_cfg *cfg)
{
	return (uint32_t)(FBNIC_FIELD_PREP(FBNIC_QUEUE_RDE_CTL0_DROP_MODE_MASK, cfg->drop_mode) |
			  FBNIC_FIELD_PREP(FBNIC_QUEUE_RDE_CTL0_MIN_HROOM_MASK, cfg->min_hroom) |
			  FBNIC_FIELD_PREP(FBNIC_QUEUE_RDE_CTL0_MIN_TROOM_MASK, cfg->min_troom) |
			  (cfg->hdr_split ? FBNIC_QUEUE_RDE_CTL0_EN_HDR_SPLIT : 0));
}

static uint32_t
fbnic_rde_ctl1(const struct fbnic_rxq_hw_cfg *cfg)
{
	uint16_t max_hdr = cfg->max_hdr < FBNIC_RX_MAX_HDR_MIN ? FBNIC_RX_MAX_HDR_MIN :
								 cfg->max_hdr;

	return (uint32_t)(FBNIC_FIELD_PREP(FBNIC_QUEUE_RDE_CTL1_PADLEN_MASK, cfg->padlen) |
			  FBNIC_FIELD_PREP(FBNIC_QUEUE_RDE_CTL1_MAX_HDR_MASK, max_hdr) |
			  FBNIC_FIELD_PREP(FBNIC_QUEUE_RDE_CTL1_PAYLD_OFF_MASK, cfg->payld_off) |
			  FBNIC_FIELD_PREP(FBNIC_QUEUE_RDE_CTL1_PAYLD_PG_CL_MASK,
					   cfg->payld_pg_cl) |
			  FBNIC_FIELD_PREP(FBNIC_QUEUE_RDE_CTL1_PAYLD_PACK_MASK, cfg->payld_pack));
}

static bool
fbnic_rxq_cfg_ok(const struct fbnic_rxq_hw_cfg *cfg)
{
	return cfg->qid < FBNIC_MAX_QUEUES && cfg->vector < FBNIC_MSIX_VECTORS &&
	       fbnic_ring_log2_ok(cfg->hpq_log2) && fbnic_ring_log2_ok(cfg->rcq_log2) &&
	       (cfg->ppq_log2 == 0 || fbnic_ring_log2_ok(cfg->ppq_log2)) &&
	       !((cfg->hpq_iova | cfg->ppq_iova | cfg->rcq_iova) & 0x7f) &&
	       cfg->drop_mode <= FBNIC_QUEUE_RDE_CTL0_DROP_NEVER &&
	       cfg->min_hroom < 512 && cfg->min_troom < 512 && cfg->max_hdr < 8192 &&
	       cfg->padlen < 16 && cfg->payld_off < 8 && cfg->payld_pg_cl < 8 &&
	       cfg->payld_pack <= FBNIC_QUEUE_RDE_CTL1_PAYLD_PACK_RSS;
}

int
fbnic_rxq_hw_enable(struct fbnic_hw *hw, const struct fbnic_rxq_hw_cfg *cfg)
{
	uint32_t bdq_ctl = FBNIC_QUEUE_BDQ_CTL_ENABLE;
	uint16_t q = cfg->qid;

	if (!fbnic_rxq_cfg_ok(cfg)) {
		FBNIC_BASE_LOG(ERR, "port %u: bad RX queue %u config (log2 %u/%u/%u, vector %u)",
			       hw->port_id, q, cfg->hpq_log2, cfg->ppq_log2, cfg->rcq_log2,
			       cfg->vector);
		return -EINVAL;
	}

	/* Buffer rings: one control for both. */
	fbnic_queue_wr32(hw, q, FBNIC_QUEUE_BDQ_CTL, FBNIC_QUEUE_BDQ_CTL_RESET);
	fbnic_ring_base(hw, q, FBNIC_QUEUE_BDQ_HPQ_BAL, FBNIC_QUEUE_BDQ_HPQ_BAH, cfg->hpq_iova);
	fbnic_queue_wr32(hw, q, FBNIC_QUEUE_BDQ_HPQ_SIZE, fbnic_ring_size_field(cfg->hpq_log2));
	if (cfg->ppq_log2) {
		fbnic_ring_base(hw, q, FBNIC_QUEUE_BDQ_PPQ_BAL, FBNIC_QUEUE_BDQ_PPQ_BAH,
				cfg->ppq_iova);
		fbnic_queue_wr32(hw, q, FBNIC_QUEUE_BDQ_PPQ_SIZE,
				 fbnic_ring_size_field(cfg->ppq_log2));
		bdq_ctl |= FBNIC_QUEUE_BDQ_CTL_PPQ_ENABLE;
	}
	fbnic_queue_wr32(hw, q, FBNIC_QUEUE_BDQ_CTL, bdq_ctl);

	/* Completion ring with its packet layout and moderation. */
	fbnic_queue_wr32(hw, q, FBNIC_QUEUE_RDE_CTL0, fbnic_rde_ctl0(cfg));
	fbnic_queue_wr32(hw, q, FBNIC_QUEUE_RDE_CTL1, fbnic_rde_ctl1(cfg));
	fbnic_queue_wr32(hw, q, FBNIC_QUEUE_RCQ_CTL, FBNIC_QUEUE_RCQ_CTL_RESET);
	fbnic_ring_base(hw, q, FBNIC_QUEUE_RCQ_BAL, FBNIC_QUEUE_RCQ_BAH, cfg->rcq_iova);
	fbnic_queue_wr32(hw, q, FBNIC_QUEUE_RCQ_SIZE, fbnic_ring_size_field(cfg->rcq_log2));
	fbnic_queue_wr32(hw, q, FBNIC_QUEUE_RIM_CTL,
			 FBNIC_FIELD_PREP(FBNIC_QUEUE_RIM_CTL_MSIX_MASK, cfg->vector));
	fbnic_queue_wr32(hw, q, FBNIC_QUEUE_RIM_THRESHOLD,
			 fbnic_cq_threshold(cfg->rim_threshold, cfg->rcq_log2));
	fbnic_queue_wr32(hw, q, FBNIC_QUEUE_RIM_MASK, 0);
	fbnic_queue_wr32(hw, q, FBNIC_QUEUE_RCQ_CTL, FBNIC_QUEUE_RCQ_CTL_ENABLE);
	return 0;
}

void
fbnic_txq_hw_disable(struct fbnic_hw *hw, uint16_t qid)
{
	if (qid >= FBNIC_MAX_QUEUES)
		return;
	fbnic_rmw32(hw, FBNIC_QUEUE_REG(qid, FBNIC_QUEUE_TWQ0_CTL), FBNIC_QUEUE_TWQ_CTL_ENABLE, 0);
	fbnic_rmw32(hw, FBNIC_QUEUE_REG(qid, FBNIC_QUEUE_TWQ1_CTL), FBNIC_QUEUE_TWQ_CTL_ENABLE, 0);
	fbnic_queue_wr32(hw, qid, FBNIC_QUEUE_TCQ_CTL, 0);
	fbnic_queue_wr32(hw, qid, FBNIC_QUEUE_TIM_MASK, FBNIC_QUEUE_TIM_MASK_MASK);
}

void
fbnic_rxq_hw_disable(struct fbnic_hw *hw, uint16_t qid)
{
	if (qid >= FBNIC_MAX_QUEUES)
		return;
	fbnic_rmw32(hw, FBNIC_QUEUE_REG(qid, FBNIC_QUEUE_BDQ_CTL), FBNIC_QUEUE_BDQ_CTL_ENABLE, 0);
	fbnic_queue_wr32(hw, qid, FBNIC_QUEUE_RCQ_CTL, 0);
	fbnic_queue_wr32(hw, qid, FBNIC_QUEUE_RIM_MASK, FBNIC_QUEUE_RIM_MASK_MASK);
}

struct fbnic_idle_regs {
	uint32_t base;
	uint8_t count;
};

static const struct fbnic_idle_regs fbnic_tx_idle[] = {
	{ FBNIC_QM_TWQ_IDLE(0), FBNIC_QM_TWQ_IDLE_CNT },
	{ FBNIC_QM_TQS_IDLE(0), FBNIC_QM_TQS_IDLE_CNT },
	{ FBNIC_QM_TDE_IDLE(0), FBNIC_QM_TDE_IDLE_CNT },
	{ FBNIC_QM_TCQ_IDLE(0), FBNIC_QM_TCQ_IDLE_CNT },
};

static const struct fbnic_idle_regs fbnic_rx_idle[] = {
	{ FBNIC_QM_HPQ_IDLE(0), FBNIC_QM_HPQ_IDLE_CNT },
	{ FBNIC_QM_PPQ_IDLE(0), FBNIC_QM_PPQ_IDLE_CNT },
	{ FBNIC_QM_RCQ_IDLE(0), FBNIC_QM_RCQ_IDLE_CNT },
};

static int
fbnic_queue_wait_idle(struct fbnic_hw *hw, uint16_t qid, const struct fbnic_idle_regs *regs,
		      unsigned int n, const char *dir)
{
	uint32_t bit = 1u << (qid % 32);
	unsigned int i;

	if (qid >= FBNIC_MAX_QUEUES)
		return -EINVAL;
	for (i = 0; i < n; i++) {
		uint32_t idx = regs[i].base + qid / 32;
		int err = fbnic_hw_poll_reg(hw, idx, bit, bit, FBNIC_IDLE_POLL_US,
					    FBNIC_IDLE_TIMEOUT_US);

		if (err != 0) {
			FBNIC_BASE_LOG(ERR, "port %u: %s queue %u not idle: word 0x%05x = 0x%08x",
				       hw->port_id, dir, qid, idx, fbnic_rd32(hw, idx));
			return err;
		}
	}
	return 0;
}

int
fbnic_txq_wait_idle(struct fbnic_hw *hw, uint16_t qid)
{
	return fbnic_queue_wait_idle(hw, qid, fbnic_tx_idle, FBNIC_ARRAY_SIZE(fbnic_tx_idle), "TX");
}

int
fbnic_rxq_wait_idle(struct fbnic_hw *hw, uint16_t qid)
{
	return fbnic_queue_wait_idle(hw, qid, fbnic_rx_idle, FBNIC_ARRAY_SIZE(fbnic_rx_idle), "RX");
}
