/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

/*
 * Counter blocks of the fbnic model outside the MAC (fbnic_hw.rst 9): RX
 * buffer (RXB), TX MAC interface (TMI), TX classifier drops (TTI/TBI in the
 * TCE block) and the PCIe user block TLP counters.
 *
 * All counters are free running and never clear on read. 64-bit counters are
 * a low and a high register (high at +4 bytes, or +16 for the RXB input and
 * output byte counters); each register read returns the current half, so a
 * reader doing high, low, high sees a consistent value or a changed high.
 * 32-bit counters wrap. Writes to counters are ignored. Every other register
 * of these blocks falls through to generic storage.
 *
 * The PCIe TLP counters advance only through fbm_stats_pcie_dma() and
 * fbm_stats_pcie_mmio_read(), called by the core where DMA and BAR reads
 * happen; they stay 0 otherwise.
 */

#include <stdlib.h>
#include <string.h>

#include "fbm_internal.h"
#include "fbm_rpc.h"

#define FBM_RXB_FIFOS		8
#define FBM_RXB_INTFS		4
#define FBM_RXB_ERR_KINDS	4
#define FBM_TMI_BINS		5
#define FBM_TCE_DROPS		3
#define FBM_PCIE_CNTS \
	((FBNIC_PUL_USER_OB_RD_DBG_CNT_NP_CRED_63_32 - FBNIC_PUL_USER_OB_RD_TLP_CNT_31_0 + 1) / 2)

/* PCIe counters in register order. */
enum {
	FBM_PCIE_RD_TLP,
	FBM_PCIE_RD_DWORD,
	FBM_PCIE_WR_TLP,
	FBM_PCIE_WR_DWORD,
	FBM_PCIE_CPL_TLP,
	FBM_PCIE_CPL_DWORD,
};

/* Largest read request / payload the model splits DMA into (PCIe defaults). */
#define FBM_PCIE_MRRS		512
#define FBM_PCIE_MPS		256

struct fbm_stats_state {
	/* RXB FIFOs */
	uint64_t fifo_drop_frms[FBM_RXB_FIFOS];
	uint64_t fifo_drop_bytes[FBM_RXB_FIFOS];
	uint64_t fifo_trun_frms[FBM_RXB_FIFOS];
	uint64_t fifo_trun_bytes[FBM_RXB_FIFOS];
	uint64_t fifo_trans_pause[FBM_RXB_FIFOS];
	uint64_t fifo_trans_drop[FBM_RXB_FIFOS];
	uint64_t fifo_trans_ecn[FBM_RXB_FIFOS];
	/* RXB inputs (enqueue) and outputs (dequeue) */
	uint64_t pause_event[FBM_RXB_INTFS];
	uint64_t intr_ps[FBM_RXB_INTFS];
	uint64_t drbo_frms[FBM_RXB_INTFS];
	uint64_t drbo_bytes[FBM_RXB_INTFS];
	uint64_t intf_frms[FBM_RXB_INTFS];
	uint64_t intf_bytes[FBM_RXB_INTFS];
	uint64_t pbuf_frms[FBM_RXB_INTFS];
	uint64_t pbuf_bytes[FBM_RXB_INTFS];
	uint64_t err[FBM_RXB_ERR_KINDS][FBM_RXB_INTFS];
	/* TMI */
	uint64_t tmi_drop_pkts;
	uint64_t tmi_drop_bytes;
	uint64_t tmi_ptp[3];
	uint64_t tmi_bins[FBM_TMI_BINS];
	/* TCE: TTI CM, TTI frame, TBI */
	uint64_t tce_drop_pkts[FBM_TCE_DROPS];
	uint64_t tce_drop_bytes[FBM_TCE_DROPS];
	/* PUL_USER */
	uint64_t pcie[FBM_PCIE_CNTS];
};

/* How a register maps onto a counter. */
enum {
	HALF_LO = 0,
	HALF_HI = 1,
	HALF_32 = 2,	/* 32-bit counter */
	HALF_ZERO = 3,	/* gauge that the model keeps at 0 */
};

static inline bool
in_range(uint32_t idx, uint32_t base, uint32_t n, uint32_t *i)
{
	if (idx < base || idx - base >= n)
		return false;
	*i = idx - base;
	return true;
}

/* Counter behind register idx, or NULL. */
static uint64_t *
stats_reg(struct fbm_stats_state *st, uint32_t idx, unsigned int *half)
{
	uint32_t i;

	*half = HALF_32;
	/* RXB */
	if (in_range(idx, FBNIC_RXB_PAUSE_EVENT_CNT(0), FBM_RXB_INTFS, &i))
		return &st->pause_event[i];
	if (in_range(idx, FBNIC_RXB_DROP_FRMS_STS(0), FBM_RXB_FIFOS, &i))
		return &st->fifo_drop_frms[i];
	if (in_range(idx, FBNIC_RXB_DROP_BYTES_STS_L(0), 2 * FBM_RXB_FIFOS, &i)) {
		*half = i % 2;
		return &st->fifo_drop_bytes[i / 2];
	}
	if (in_range(idx, FBNIC_RXB_TRUN_FRMS_STS(0), FBM_RXB_FIFOS, &i))
		return &st->fifo_trun_frms[i];
	if (in_range(idx, FBNIC_RXB_TRUN_BYTES_STS_L(0), 2 * FBM_RXB_FIFOS, &i)) {
		*half = i % 2;
		return &st->fifo_trun_bytes[i / 2];
	}
	if (in_range(idx, FBNIC_RXB_TRANS_PAUSE_STS(0), FBM_RXB_FIFOS, &i))
		return &st->fifo_trans_pause[i];
	if (in_range(idx, FBNIC_RXB_TRANS_DROP_STS(0), FBM_RXB_FIFOS, &i))
		return &st->fifo_trans_drop[i];
	if (in_range(idx, FBNIC_RXB_TRANS_ECN_STS(0), FBM_RXB_FIFOS, &i))
		return &st->fifo_trans_ecn[i];
	if (in_range(idx, FBNIC_RXB_INTR_PS_COUNT(0), FBM_RXB_INTFS, &i))
		return &st->intr_ps[i];
	if (in_range(idx, FBNIC_RXB_DRBO_FRM_CNT_SRC(0), FBM_RXB_INTFS, &i))
		return &st->drbo_frms[i];
	if (in_range(idx, FBNIC_RXB_DRBO_BYTE_CNT_SRC_L(0), FBM_RXB_INTFS, &i)) {
		*half = HALF_LO;
		return &st->drbo_bytes[i];
	}
	if (in_range(idx, FBNIC_RXB_DRBO_BYTE_CNT_SRC_H(0), FBM_RXB_INTFS, &i)) {
		*half = HALF_HI;
		return &st->drbo_bytes[i];
	}
	if (in_range(idx, FBNIC_RXB_INTF_FRM_CNT_DST(0), FBM_RXB_INTFS, &i))
		return &st->intf_frms[i];
	if (in_range(idx, FBNIC_RXB_INTF_BYTE_CNT_DST_L(0), FBM_RXB_INTFS, &i)) {
		*half = HALF_LO;
		return &st->intf_bytes[i];
	}
	if (in_range(idx, FBNIC_RXB_INTF_BYTE_CNT_DST_H(0), FBM_RXB_INTFS, &i)) {
		*half = HALF_HI;
		return &st->intf_bytes[i];
	}
	if (in_range(idx, FBNIC_RXB_PBUF_FRM_CNT_DST(0), FBM_RXB_INTFS, &i))
		return &st->pbuf_frms[i];
	if (in_range(idx, FBNIC_RXB_PBUF_BYTE_CNT_DST_L(0), FBM_RXB_INTFS, &i)) {
		*half = HALF_LO;
		return &st->pbuf_bytes[i];
	}
	if (in_range(idx, FBNIC_RXB_PBUF_BYTE_CNT_DST_H(0), FBM_RXB_INTFS, &i)) {
		*half = HALF_HI;
		return &st->pbuf_bytes[i];
	}
	if (in_range(idx, FBNIC_RXB_PBUF_FIFO_LEVEL(0), FBM_RXB_FIFOS, &i)) {
		/* Frames move through the model's FIFOs at once: level 0. */
		*half = HALF_ZERO;
		return &st->fifo_drop_frms[i];
	}
	if (in_range(idx, FBNIC_RXB_INTEGRITY_ERR(0), FBM_RXB_ERR_KINDS * FBM_RXB_INTFS, &i))
		return &st->err[i / FBM_RXB_INTFS][i % FBM_RXB_INTFS];

	/* TMI */
	if (idx == FBNIC_TMI_DROP_PKTS)
		return &st->tmi_drop_pkts;
	if (in_range(idx, FBNIC_TMI_DROP_BYTE_L, 2, &i)) {
		*half = i;
		return &st->tmi_drop_bytes;
	}
	if (in_range(idx, FBNIC_TMI_ILLEGAL_PTP_REQS, 3, &i))
		return &st->tmi_ptp[i];
	if (in_range(idx, FBNIC_TMI_STAT_TX_PACKET_1519_2047_BYTES_L, 2 * FBM_TMI_BINS, &i)) {
		*half = i % 2;
		return &st->tmi_bins[i / 2];
	}

	/* TCE: packets, bytes low, bytes high for each of the three */
	if (in_range(idx, FBNIC_TCE_TTI_CM_DROP_PKTS, 3 * FBM_TCE_DROPS, &i)) {
		if (i % 3 == 0)
			return &st->tce_drop_pkts[i / 3];
		*half = i % 3 - 1;
		return &st->tce_drop_bytes[i / 3];
	}

	/* PUL_USER */
	if (in_range(idx, FBNIC_PUL_USER_OB_RD_TLP_CNT_31_0, 2 * FBM_PCIE_CNTS, &i)) {
		*half = i % 2;
		return &st->pcie[i / 2];
	}
	return NULL;
}

int
fbm_stats_init(struct fbm_dev *dev)
{
	dev->stats = calloc(1, sizeof(*dev->stats));
	if (dev->stats == NULL)
		return -ENOMEM;
	return 0;
}

void
fbm_stats_fini(struct fbm_dev *dev)
{
	free(dev->stats);
	dev->stats = NULL;
}

void
fbm_stats_reset(struct fbm_dev *dev)
{
	if (dev->stats != NULL)
		memset(dev->stats, 0, sizeof(*dev->stats));
}

bool
fbm_stats_read(struct fbm_dev *dev, unsigned int bar, uint32_t idx, uint32_t *val)
{
	unsigned int half;
	uint64_t *c;

	if (bar != 0 || dev->stats == NULL)
		return false;
	c = stats_reg(dev->stats, idx, &half);
	if (c == NULL)
		return false;
	switch (half) {
	case HALF_ZERO:
		*val = 0;
		break;
	case HALF_32:
		*val = (uint32_t)fbm_cnt_get(c);
		break;
	default:
		*val = fbm_cnt_half(c, half);
		break;
	}
	return true;
}

bool
fbm_stats_write(struct fbm_dev *dev, unsigned int bar, uint32_t idx, uint32_t val)
{
	unsigned int half;

	if (bar != 0 || dev->stats == NULL)
		return false;
	if (idx == FBNIC_RXB_ERR_INTR_STS) {
		/* Write 1 to clear */
		fbm_reg_set(dev, idx, fbm_reg_get(dev, idx) & ~val);
		return true;
	}
	if (idx == FBNIC_RXB_PAUSE_STORM(FBNIC_RXB_INTF_NET))
		fbm_mac_pause_storm_write(dev, val);
	/* Counters ignore writes; everything else is generic storage. */
	return stats_reg(dev->stats, idx, &half) != NULL;
}

void
fbm_stats_poll(struct fbm_dev *dev, uint64_t now_ns)
{
	(void)dev;
	(void)now_ns;
}

/* ---- Events from the rest of the model ---------------------------------- */

void
fbm_stats_rxb_enqueue(struct fbm_dev *dev, unsigned int intf, uint32_t len)
{
	struct fbm_stats_state *st = dev->stats;

	if (st == NULL || intf >= FBM_RXB_INTFS)
		return;
	fbm_cnt_add(&st->drbo_frms[intf], 1);
	fbm_cnt_add(&st->drbo_bytes[intf], len);
}

void
fbm_stats_rxb_dequeue(struct fbm_dev *dev, unsigned int out, uint32_t len)
{
	struct fbm_stats_state *st = dev->stats;

	if (st == NULL || out >= FBM_RXB_INTFS)
		return;
	fbm_cnt_add(&st->intf_frms[out], 1);
	fbm_cnt_add(&st->intf_bytes[out], len);
	fbm_cnt_add(&st->pbuf_frms[out], 1);
	fbm_cnt_add(&st->pbuf_bytes[out], len);
}

void
fbm_stats_rxb_drop(struct fbm_dev *dev, unsigned int fifo, uint32_t len)
{
	struct fbm_stats_state *st = dev->stats;

	if (st == NULL || fifo >= FBM_RXB_FIFOS)
		return;
	fbm_cnt_add(&st->fifo_drop_frms[fifo], 1);
	fbm_cnt_add(&st->fifo_drop_bytes[fifo], len);
}

void
fbm_stats_rxb_pause(struct fbm_dev *dev, unsigned int intf, unsigned int fifo)
{
	struct fbm_stats_state *st = dev->stats;

	if (st == NULL || intf >= FBM_RXB_INTFS || fifo >= FBM_RXB_FIFOS)
		return;
	fbm_cnt_add(&st->pause_event[intf], 1);
	fbm_cnt_add(&st->fifo_trans_pause[fifo], 1);
}

void
fbm_stats_rxb_pause_storm(struct fbm_dev *dev, unsigned int intf)
{
	struct fbm_stats_state *st = dev->stats;

	if (st == NULL || intf >= FBM_RXB_INTFS)
		return;
	fbm_cnt_add(&st->intr_ps[intf], 1);
}

void
fbm_stats_rxb_err(struct fbm_dev *dev, unsigned int intf, enum fbm_rxb_err err)
{
	struct fbm_stats_state *st = dev->stats;

	if (st == NULL || intf >= FBM_RXB_INTFS || (unsigned int)err >= FBM_RXB_ERR_KINDS)
		return;
	fbm_cnt_add(&st->err[err][intf], 1);
}

void
fbm_stats_tmi_drop(struct fbm_dev *dev, uint32_t len)
{
	struct fbm_stats_state *st = dev->stats;

	if (st == NULL)
		return;
	fbm_cnt_add(&st->tmi_drop_pkts, 1);
	fbm_cnt_add(&st->tmi_drop_bytes, len);
}

void
fbm_stats_tmi_tx_bins(struct fbm_dev *dev, uint32_t frame_len)
{
	static const uint32_t lower[FBM_TMI_BINS] = { 1519, 2048, 4096, 8192, 9217 };
	struct fbm_stats_state *st = dev->stats;
	int i;

	/* Most frames are below the first bin: one test for them. */
	if (st == NULL || frame_len < lower[0])
		return;
	for (i = FBM_TMI_BINS - 1; i >= 0; i--) {
		if (frame_len >= lower[i]) {
			fbm_cnt_add(&st->tmi_bins[i], 1);
			return;
		}
	}
}

void
fbm_stats_tmi_ptp(struct fbm_dev *dev, enum fbm_tmi_ptp what)
{
	struct fbm_stats_state *st = dev->stats;

	if (st == NULL || (unsigned int)what >= 3)
		return;
	fbm_cnt_add(&st->tmi_ptp[what], 1);
}

void
fbm_stats_tce_drop(struct fbm_dev *dev, enum fbm_tce_drop where, uint32_t len)
{
	struct fbm_stats_state *st = dev->stats;

	if (st == NULL || (unsigned int)where >= FBM_TCE_DROPS)
		return;
	fbm_cnt_add(&st->tce_drop_pkts[where], 1);
	fbm_cnt_add(&st->tce_drop_bytes[where], len);
}

void
fbm_stats_pcie_dma(struct fbm_dev *dev, bool to_host, size_t len)
{
	struct fbm_stats_state *st = dev->stats;
	uint64_t dwords = (len + 3) / 4;

	if (st == NULL || len == 0)
		return;
	if (to_host) {
		fbm_cnt_add(&st->pcie[FBM_PCIE_WR_TLP], (len + FBM_PCIE_MPS - 1) / FBM_PCIE_MPS);
		fbm_cnt_add(&st->pcie[FBM_PCIE_WR_DWORD], dwords);
	} else {
		fbm_cnt_add(&st->pcie[FBM_PCIE_RD_TLP], (len + FBM_PCIE_MRRS - 1) / FBM_PCIE_MRRS);
		fbm_cnt_add(&st->pcie[FBM_PCIE_RD_DWORD], dwords);
	}
}

void
fbm_stats_pcie_mmio_read(struct fbm_dev *dev)
{
	struct fbm_stats_state *st = dev->stats;

	if (st == NULL)
		return;
	fbm_cnt_add(&st->pcie[FBM_PCIE_CPL_TLP], 1);
	fbm_cnt_add(&st->pcie[FBM_PCIE_CPL_DWORD], 1);
}
