/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

/*
 * PTP block of the fbnic model, fbnic_hw.rst 10.
 *
 * The counter is a Q.32 fixed-point nanosecond value that adds the
 * increment (PTP_ADD_VAL_NS/SUBNS, Q16.32 ns) once per cycle of the 600 MHz
 * core clock while PTP_CTRL.EN is set. It is computed from the model clock
 * rather than stepped: cycles are counted as floor(t_ns * 3 / 5) since the
 * model clock's origin, so with virtual time every read is exact.
 *
 * The pending increment only takes effect with PTP_ADJUST.ADDEND_SET;
 * PTP_ADJUST.INIT loads INIT_HI/LO; SUB/ADD_NUDGE step the counter by
 * NUDGE_NS/SUBNS. ADJUST bits act once and read back as 0.
 *
 * Descriptor timestamps (fbm_ptp_stamp) are the counter when a frame starts
 * on the wire: stamped frames of one direction follow each other at the
 * line rate of the link mode, as on the hardware, even though the model
 * moves a whole burst at one instant. (Frames without a stamp are left out
 * of that wire time, which costs nothing per frame.)
 */

#include <stdlib.h>
#include <string.h>

#include "fbm_internal.h"
#include "fbm_rpc.h"

__extension__ typedef unsigned __int128 fbm_u128;

/* 10^9 / 600 MHz in Q16.32: the reset increment. */
#define FBM_PTP_NOMINAL_INCR	((UINT64_C(1000000000) << 32) / 600000000)

struct fbm_ptp_state {
	uint32_t ctrl;
	uint32_t init_hi, init_lo;
	uint32_t nudge_ns, nudge_subns;
	uint32_t add_val_ns, add_val_subns;	/* pending increment */
	uint64_t incr;				/* active increment, Q16.32 ns */
	fbm_u128 base;				/* counter at base_cycle, Q.32 ns */
	uint64_t base_cycle;
	uint64_t wire_end[2];			/* Rx, Tx: counter when the last frame ended */
};

static inline uint64_t
ptp_cycles(uint64_t now_ns)
{
	/* 600 MHz = 3 cycles every 5 ns; exact for any now_ns below 2^63 / 3. */
	return (uint64_t)(((fbm_u128)now_ns * 3) / 5);
}

/* Counter value (Q.32 ns) at model time now_ns. */
static fbm_u128
ptp_counter(const struct fbm_ptp_state *ptp, uint64_t now_ns)
{
	uint64_t cyc = ptp_cycles(now_ns);

	if (!(ptp->ctrl & FBNIC_PTP_CTRL_EN) || cyc < ptp->base_cycle)
		return ptp->base;
	return ptp->base + (fbm_u128)(cyc - ptp->base_cycle) * ptp->incr;
}

/* Fold elapsed time into base so that a parameter can change now. */
static void
ptp_rebase(struct fbm_ptp_state *ptp, uint64_t now_ns)
{
	ptp->base = ptp_counter(ptp, now_ns);
	ptp->base_cycle = ptp_cycles(now_ns);
}

uint64_t
fbm_ptp_read(struct fbm_dev *dev)
{
	struct fbm_ptp_state *ptp = dev->ptp;

	if (ptp == NULL)
		return 0;
	return (uint64_t)(ptp_counter(ptp, fbm_now_ns(dev)) >> 32);
}

/* Line rate of the link mode in bits per ns (25G-CR, 50G-CR2/-CR, 100G-CR2). */
static unsigned int
ptp_link_gbps(const struct fbm_dev *dev)
{
	switch (dev->cfg.link_mode) {
	case 1:
		return 25;
	case 2:
	case 3:
		return 50;
	default:
		return 100;
	}
}

/*
 * Bytes a frame takes on the wire beyond its bytes without FCS: FCS,
 * preamble with start delimiter, and the minimum inter-frame gap.
 */
#define FBM_PTP_WIRE_OVERHEAD	(4 + 8 + 12)

uint64_t
fbm_ptp_stamp(struct fbm_dev *dev, bool tx, uint32_t len)
{
	struct fbm_ptp_state *ptp = dev->ptp;
	unsigned int gbps = ptp_link_gbps(dev);
	uint64_t now, start, *end;

	if (ptp == NULL)
		return 0;
	/*
	 * The MAC sends and receives one frame after the other: a frame starts
	 * when the one before it has ended, if that is later than now. The
	 * model delivers a whole burst at one instant of its clock; the
	 * hardware would stamp those frames one wire time apart.
	 */
	now = (uint64_t)(ptp_counter(ptp, !tx && dev->rx_arrival_ns != 0 ? dev->rx_arrival_ns :
					     fbm_now_ns(dev)) >> 32);
	end = &ptp->wire_end[tx];
	start = now > *end ? now : *end;
	*end = start + ((uint64_t)(len + FBM_PTP_WIRE_OVERHEAD) * 8 + gbps - 1) / gbps;
	return start;
}

int
fbm_ptp_init(struct fbm_dev *dev)
{
	dev->ptp = calloc(1, sizeof(*dev->ptp));
	if (dev->ptp == NULL)
		return -ENOMEM;
	fbm_ptp_reset(dev);
	return 0;
}

void
fbm_ptp_fini(struct fbm_dev *dev)
{
	free(dev->ptp);
	dev->ptp = NULL;
}

void
fbm_ptp_reset(struct fbm_dev *dev)
{
	struct fbm_ptp_state *ptp = dev->ptp;

	if (ptp == NULL)
		return;
	memset(ptp, 0, sizeof(*ptp));
	ptp->incr = FBM_PTP_NOMINAL_INCR;
	ptp->add_val_ns = (uint32_t)(FBM_PTP_NOMINAL_INCR >> 32);
	ptp->add_val_subns = (uint32_t)FBM_PTP_NOMINAL_INCR;
	ptp->base_cycle = ptp_cycles(fbm_now_ns(dev));
}

bool
fbm_ptp_reg_read(struct fbm_dev *dev, unsigned int bar, uint32_t idx, uint32_t *val)
{
	struct fbm_ptp_state *ptp = dev->ptp;
	uint64_t ns;

	if (bar != 0 || ptp == NULL)
		return false;
	switch (idx) {
	case FBNIC_PTP_CTRL:
		*val = ptp->ctrl;
		break;
	case FBNIC_PTP_ADJUST:
		*val = 0;
		break;
	case FBNIC_PTP_INIT_HI:
		*val = ptp->init_hi;
		break;
	case FBNIC_PTP_INIT_LO:
		*val = ptp->init_lo;
		break;
	case FBNIC_PTP_NUDGE_NS:
		*val = ptp->nudge_ns;
		break;
	case FBNIC_PTP_NUDGE_SUBNS:
		*val = ptp->nudge_subns;
		break;
	case FBNIC_PTP_ADD_VAL_NS:
		*val = ptp->add_val_ns;
		break;
	case FBNIC_PTP_ADD_VAL_SUBNS:
		*val = ptp->add_val_subns;
		break;
	case FBNIC_PTP_CTR_VAL_HI:
	case FBNIC_PTP_CTR_VAL_LO:
		ns = (uint64_t)(ptp_counter(ptp, fbm_now_ns(dev)) >> 32);
		*val = idx == FBNIC_PTP_CTR_VAL_HI ? (uint32_t)(ns >> 32) : (uint32_t)ns;
		break;
	default:
		return false;	/* MONO counter, CDC status, SPARE: storage */
	}
	return true;
}

static void
ptp_adjust(struct fbm_ptp_state *ptp, uint32_t val, uint64_t now_ns)
{
	uint64_t nudge = ((uint64_t)(ptp->nudge_ns & 0xffff) << 32) | ptp->nudge_subns;

	ptp_rebase(ptp, now_ns);
	if (val & FBNIC_PTP_ADJUST_INIT)
		ptp->base = (fbm_u128)(((uint64_t)ptp->init_hi << 32) | ptp->init_lo) << 32;
	if (val & FBNIC_PTP_ADJUST_SUB_NUDGE)
		ptp->base -= nudge;
	if (val & FBNIC_PTP_ADJUST_ADD_NUDGE)
		ptp->base += nudge;
	if (val & FBNIC_PTP_ADJUST_ADDEND_SET)
		ptp->incr = ((uint64_t)FBNIC_FIELD_GET(FBNIC_PTP_ADD_VAL_NS_MASK, ptp->add_val_ns)
			     << 32) | ptp->add_val_subns;
	/* The counter is 64 bits of ns + 32 bits of fraction. */
	ptp->base &= ((fbm_u128)1 << 96) - 1;
	/* A counter moved back: the frames on the wire are no later than now. */
	if (val & (FBNIC_PTP_ADJUST_INIT | FBNIC_PTP_ADJUST_SUB_NUDGE))
		memset(ptp->wire_end, 0, sizeof(ptp->wire_end));
}

bool
fbm_ptp_reg_write(struct fbm_dev *dev, unsigned int bar, uint32_t idx, uint32_t val)
{
	struct fbm_ptp_state *ptp = dev->ptp;

	if (bar != 0 || ptp == NULL)
		return false;
	switch (idx) {
	case FBNIC_PTP_CTRL:
		ptp_rebase(ptp, fbm_now_ns(dev));
		ptp->ctrl = val;
		break;
	case FBNIC_PTP_ADJUST:
		ptp_adjust(ptp, val, fbm_now_ns(dev));
		break;
	case FBNIC_PTP_INIT_HI:
		ptp->init_hi = val;
		break;
	case FBNIC_PTP_INIT_LO:
		ptp->init_lo = val;
		break;
	case FBNIC_PTP_NUDGE_NS:
		ptp->nudge_ns = val;
		break;
	case FBNIC_PTP_NUDGE_SUBNS:
		ptp->nudge_subns = val;
		break;
	case FBNIC_PTP_ADD_VAL_NS:
		ptp->add_val_ns = val;
		break;
	case FBNIC_PTP_ADD_VAL_SUBNS:
		ptp->add_val_subns = val;
		break;
	case FBNIC_PTP_CTR_VAL_HI:
	case FBNIC_PTP_CTR_VAL_LO:
		break;		/* read only */
	default:
		return false;
	}
	return true;
}

void
fbm_ptp_poll(struct fbm_dev *dev, uint64_t now_ns)
{
	(void)dev;
	(void)now_ns;
}
