/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

#include "fbnic_irq.h"
#include "fbnic_txrx_hw.h"

/* Each INTR array holds one bit per vector, 32 vectors a word. */
#define FBNIC_IRQ_WORD(v)	((v) / 32u)
#define FBNIC_IRQ_BIT(v)	(1u << ((v) % 32u))

void
fbnic_irq_mask(struct fbnic_hw *hw, unsigned int vector)
{
	if (vector < FBNIC_IRQ_MAX_VECTORS)
		fbnic_wr32(hw, FBNIC_INTR_MASK_SET(FBNIC_IRQ_WORD(vector)), FBNIC_IRQ_BIT(vector));
}

void
fbnic_irq_unmask(struct fbnic_hw *hw, unsigned int vector)
{
	if (vector < FBNIC_IRQ_MAX_VECTORS)
		fbnic_wr32(hw, FBNIC_INTR_MASK_CLEAR(FBNIC_IRQ_WORD(vector)),
			   FBNIC_IRQ_BIT(vector));
}

void
fbnic_irq_clear(struct fbnic_hw *hw, unsigned int vector)
{
	if (vector < FBNIC_IRQ_MAX_VECTORS)
		fbnic_wr32(hw, FBNIC_INTR_CLEAR(FBNIC_IRQ_WORD(vector)), FBNIC_IRQ_BIT(vector));
}

void
fbnic_irq_raise(struct fbnic_hw *hw, unsigned int vector)
{
	if (vector < FBNIC_IRQ_MAX_VECTORS)
		fbnic_wr32(hw, FBNIC_INTR_SET(FBNIC_IRQ_WORD(vector)), FBNIC_IRQ_BIT(vector));
}

void
fbnic_irq_cq_rearm(struct fbnic_hw *hw, unsigned int vector, uint16_t rx_usecs,
		   uint16_t tx_usecs, bool unmask)
{
	uint32_t val;

	if (vector >= FBNIC_INTR_CQ_REARM_CNT)
		return;
	if (rx_usecs > FBNIC_IRQ_USECS_MAX)
		rx_usecs = FBNIC_IRQ_USECS_MAX;
	if (tx_usecs > FBNIC_IRQ_USECS_MAX)
		tx_usecs = FBNIC_IRQ_USECS_MAX;
	val = (uint32_t)FBNIC_FIELD_PREP(FBNIC_INTR_CQ_REARM_RCQ_TIMEOUT, rx_usecs) |
	      FBNIC_INTR_CQ_REARM_RCQ_TIMEOUT_UPD_EN |
	      (uint32_t)FBNIC_FIELD_PREP(FBNIC_INTR_CQ_REARM_TCQ_TIMEOUT, tx_usecs) |
	      FBNIC_INTR_CQ_REARM_TCQ_TIMEOUT_UPD_EN;
	if (unmask)
		val |= FBNIC_INTR_CQ_REARM_INTR_UNMASK;
	fbnic_wr32(hw, FBNIC_INTR_CQ_REARM(vector), val);
}

void
fbnic_irq_tim_mask(struct fbnic_hw *hw, uint16_t qid, bool masked)
{
	if (qid < FBNIC_MAX_QUEUES)
		fbnic_queue_wr32(hw, qid, FBNIC_QUEUE_TIM_MASK,
				 masked ? FBNIC_QUEUE_TIM_MASK_MASK : 0);
}

uint16_t
fbnic_irq_rim_threshold(uint16_t frames)
{
	if (frames > FBNIC_IRQ_FRAMES_MAX)
		frames = FBNIC_IRQ_FRAMES_MAX;
	return (uint16_t)(frames * FBNIC_IRQ_RCD_PER_FRAME);
}
