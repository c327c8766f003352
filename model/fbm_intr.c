/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

/*
 * Global interrupt block: INTR and INTR_CQ (fbnic_hw.rst 1.2, 4.4).
 *
 * A vector fires when its status bit is set and its mask bit is clear. On
 * sending the MSI-X message the block masks the vector itself and, for
 * auto-clear vectors (SW_AC_MODE bit set), clears its status. So software
 * re-enables a vector by unmasking it (MASK_CLEAR or CQ_REARM.INTR_UNMASK),
 * and an unmask without a new event does not fire again.
 */

#include <string.h>

#include "fbm_internal.h"

void
fbm_intr_reset(struct fbm_dev *dev)
{
	struct fbm_intr *in = &dev->intr;

	memset(in, 0, sizeof(*in));
	/* Everything masked; every vector auto-clears until told otherwise. */
	memset(in->mask, 0xff, sizeof(in->mask));
	memset(in->ac_mode, 0xff, sizeof(in->ac_mode));
}

/* Send a message for every pending, unmasked vector of word w. */
static void
fbm_intr_eval(struct fbm_dev *dev, unsigned int w)
{
	struct fbm_intr *in = &dev->intr;
	uint32_t fire = in->status[w] & ~in->mask[w];

	while (fire != 0) {
		unsigned int b = __builtin_ctz(fire);
		uint32_t bit = 1u << b;

		fire &= ~bit;
		in->mask[w] |= bit;
		if (in->ac_mode[w] & bit)
			in->status[w] &= ~bit;
		in->messages++;
		in->vector_messages[w * 32 + b]++;
		fbm_pci_msix_send(dev, w * 32 + b);
	}
}

void
fbm_intr_raise(struct fbm_dev *dev, unsigned int vector)
{
	unsigned int w = vector / 32;

	if (w >= FBM_INTR_WORDS)
		return;
	dev->intr.status[w] |= 1u << (vector % 32);
	fbm_intr_eval(dev, w);
}

void
fbm_intr_cause(struct fbm_dev *dev, unsigned int cause)
{
	uint32_t ctrl;

	if (cause >= FBM_INTR_CAUSES)
		return;
	ctrl = dev->intr.msix_ctrl[cause];
	if (ctrl & FBNIC_INTR_MSIX_CTRL_ENABLE)
		fbm_intr_raise(dev, FBNIC_FIELD_GET(FBNIC_INTR_MSIX_CTRL_VECTOR_MASK, ctrl));
}

uint32_t
fbm_intr_rearm_get(struct fbm_dev *dev, unsigned int vector)
{
	if (vector >= FBNIC_INTR_CQ_REARM_CNT)
		return 0;
	return dev->intr.rearm[vector];
}

static void
fbm_intr_unmask(struct fbm_dev *dev, unsigned int w, uint32_t bits)
{
	dev->intr.mask[w] &= ~bits;
	fbm_intr_eval(dev, w);
}

/* INTR_CQ_REARM(v) write: latch timeouts whose update enable is set, unmask. */
static void
fbm_intr_rearm(struct fbm_dev *dev, unsigned int v, uint32_t val)
{
	uint32_t *r = &dev->intr.rearm[v];

	if (val & FBNIC_INTR_CQ_REARM_RCQ_TIMEOUT_UPD_EN)
		*r = (*r & ~FBNIC_INTR_CQ_REARM_RCQ_TIMEOUT) |
		     (val & FBNIC_INTR_CQ_REARM_RCQ_TIMEOUT);
	if (val & FBNIC_INTR_CQ_REARM_TCQ_TIMEOUT_UPD_EN)
		*r = (*r & ~FBNIC_INTR_CQ_REARM_TCQ_TIMEOUT) |
		     (val & FBNIC_INTR_CQ_REARM_TCQ_TIMEOUT);
	if (val & FBNIC_INTR_CQ_REARM_INTR_UNMASK)
		fbm_intr_unmask(dev, v / 32, 1u << (v % 32));
}

/* Register block and word within it, for the eight 8-word INTR arrays. */
static bool
fbm_intr_decode(uint32_t idx, uint32_t *blk, unsigned int *w)
{
	if (idx >= FBNIC_INTR_MSIX_CTRL(0))
		return false;
	*blk = idx & ~(uint32_t)(FBM_INTR_WORDS - 1);
	*w = idx % FBM_INTR_WORDS;
	return true;
}

bool
fbm_intr_read(struct fbm_dev *dev, uint32_t idx, uint32_t *val)
{
	struct fbm_intr *in = &dev->intr;
	unsigned int w;
	uint32_t blk;

	if (fbm_intr_decode(idx, &blk, &w)) {
		switch (blk) {
		case FBNIC_INTR_STATUS(0):
			*val = in->status[w];
			break;
		case FBNIC_INTR_MASK(0):
			*val = in->mask[w];
			break;
		case FBNIC_INTR_SW_STATUS(0):
			*val = in->sw_status[w];
			break;
		case FBNIC_INTR_SW_AC_MODE(0):
			*val = in->ac_mode[w];
			break;
		default:	/* SET, CLEAR, MASK_SET, MASK_CLEAR: write-only */
			*val = 0;
			break;
		}
		return true;
	}
	if (idx >= FBNIC_INTR_MSIX_CTRL(0) && idx < FBNIC_INTR_MSIX_CTRL(FBM_INTR_CAUSES)) {
		*val = in->msix_ctrl[idx - FBNIC_INTR_MSIX_CTRL(0)];
		return true;
	}
	if (idx >= FBNIC_CSR_START_INTR_CQ && idx < FBNIC_INTR_CQ_REARM(FBNIC_INTR_CQ_REARM_CNT)) {
		unsigned int v = (idx - FBNIC_CSR_START_INTR_CQ) / 4;

		switch ((idx - FBNIC_CSR_START_INTR_CQ) % 4) {
		case 0:
			*val = in->rearm[v];
			break;
		case 1:
			*val = FBNIC_FIELD_GET(FBNIC_INTR_CQ_REARM_RCQ_TIMEOUT, in->rearm[v]);
			break;
		case 2:
			*val = FBNIC_FIELD_GET(FBNIC_INTR_CQ_REARM_TCQ_TIMEOUT, in->rearm[v]);
			break;
		default:
			*val = 0;
			break;
		}
		return true;
	}
	return false;
}

bool
fbm_intr_write(struct fbm_dev *dev, uint32_t idx, uint32_t val)
{
	struct fbm_intr *in = &dev->intr;
	unsigned int w;
	uint32_t blk;

	if (fbm_intr_decode(idx, &blk, &w)) {
		switch (blk) {
		case FBNIC_INTR_SET(0):
			in->status[w] |= val;
			fbm_intr_eval(dev, w);
			break;
		case FBNIC_INTR_CLEAR(0):
			in->status[w] &= ~val;
			break;
		case FBNIC_INTR_MASK_SET(0):
			in->mask[w] |= val;
			break;
		case FBNIC_INTR_MASK_CLEAR(0):
			fbm_intr_unmask(dev, w, val);
			break;
		case FBNIC_INTR_SW_STATUS(0):
			in->sw_status[w] = val;
			break;
		case FBNIC_INTR_SW_AC_MODE(0):
			in->ac_mode[w] = val;
			break;
		default:	/* STATUS and MASK are read-only */
			break;
		}
		return true;
	}
	if (idx >= FBNIC_INTR_MSIX_CTRL(0) && idx < FBNIC_INTR_MSIX_CTRL(FBM_INTR_CAUSES)) {
		in->msix_ctrl[idx - FBNIC_INTR_MSIX_CTRL(0)] =
			val & (FBNIC_INTR_MSIX_CTRL_VECTOR_MASK | FBNIC_INTR_MSIX_CTRL_ENABLE);
		return true;
	}
	if (idx >= FBNIC_CSR_START_INTR_CQ && idx < FBNIC_INTR_CQ_REARM(FBNIC_INTR_CQ_REARM_CNT)) {
		unsigned int v = (idx - FBNIC_CSR_START_INTR_CQ) / 4;

		if ((idx - FBNIC_CSR_START_INTR_CQ) % 4 == 0)
			fbm_intr_rearm(dev, v, val);
		return true;	/* timeout registers are read-only */
	}
	return false;
}

uint64_t
fbm_intr_messages(struct fbm_dev *dev, int vector)
{
	uint64_t n = 0;

	fbm_dev_lock(dev);
	if (vector < 0)
		n = dev->intr.messages;
	else if ((unsigned int)vector < FBM_DIM(dev->intr.vector_messages))
		n = dev->intr.vector_messages[vector];
	fbm_dev_unlock(dev);
	return n;
}
