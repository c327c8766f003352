/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

/*
 * Queue manager: the 128 queue pages at BAR0 0x100000 + 0x1000 n, the QM_TX
 * (0x2000) and QM_RX (0x3000) global blocks, and TIM/RIM interrupt
 * moderation (fbnic_hw.rst 4.1, 4.4, 4.6).
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fbm_queue.h"

#define QM_TX_FIRST	FBNIC_CSR_START_QM_TX
#define QM_TX_LAST	FBNIC_CSR_END_QM_TX
#define QM_RX_FIRST	FBNIC_CSR_START_QM_RX
#define QM_RX_LAST	FBNIC_CSR_END_QM_RX
#define QUEUE_FIRST	FBNIC_CSR_START_QUEUE
#define QUEUE_LAST	(FBNIC_CSR_START_QUEUE + FBNIC_QUEUE_STRIDE * FBM_NUM_QUEUES - 1)

#define RING_CTL_MASK	(FBNIC_QUEUE_TWQ_CTL_RESET | FBNIC_QUEUE_TWQ_CTL_ENABLE)
#define BDQ_CTL_MASK	(FBNIC_QUEUE_BDQ_CTL_RESET | FBNIC_QUEUE_BDQ_CTL_ENABLE | \
			 FBNIC_QUEUE_BDQ_CTL_PPQ_ENABLE)

/* Which kind of ring a register belongs to (DMA direction of the ring memory). */
enum fbm_ring_kind {
	FBM_RING_WORK,		/* NIC reads: TWQ, HPQ, PPQ */
	FBM_RING_CMPL,		/* NIC writes: TCQ, RCQ */
};

struct fbm_queue_state *
fbm_qstate(struct fbm_dev *dev)
{
	return dev->queue;
}

static void
fbm_ring_set_size(struct fbm_qring *r)
{
	unsigned int lg = r->size_reg & FBNIC_QUEUE_TWQ_SIZE_MASK;

	/* log2 in 4 bits, 0 stands for 65536 (fbnic_hw.rst 2) */
	r->size = 1u << (lg ? lg : 16);
	r->mask = r->size - 1;
}

static void
fbm_ring_reset(struct fbm_qring *r)
{
	r->desc = NULL;
	r->head = 0;
	r->tail = 0;
	fbm_db_store(&r->db, 0);
	r->map_db = 0;
	r->running = false;
	r->map_failed = false;
	fbm_ring_set_size(r);
}

bool
fbm_ring_map(struct fbm_dev *dev, struct fbm_qring *r, bool to_host)
{
	uint64_t iova = ((uint64_t)r->bah << 32) | (r->bal & FBNIC_QUEUE_BAL_MASK);

	r->desc = fbm_dma_map(dev, iova, (size_t)r->size * sizeof(uint64_t), to_host);
	r->map_failed = r->desc == NULL;
	r->map_db = fbm_db_load(&r->db);
	return r->desc != NULL;
}

/*
 * CTL write for TWQ/TCQ/RCQ (and the BDQ pair through fbm_bdq_ctl()). RESET
 * holds the ring with its pointers at 0; ENABLE starts it. The ring memory is
 * mapped once per start; the engines use the cached host pointer.
 */
static void
fbm_ring_ctl(struct fbm_dev *dev, struct fbm_qring *r, uint32_t val, enum fbm_ring_kind kind)
{
	r->ctl = val;
	if (val & FBNIC_QUEUE_TWQ_CTL_RESET) {
		fbm_ring_reset(r);
		return;
	}
	if (!(val & FBNIC_QUEUE_TWQ_CTL_ENABLE)) {
		/* stopped: keep the pointers, forget the host mapping */
		r->running = false;
		r->desc = NULL;
		return;
	}
	if (r->running)
		return;
	fbm_ring_set_size(r);
	r->head &= r->mask;
	r->running = true;
	fbm_ring_map(dev, r, kind == FBM_RING_CMPL);
}

/* BAL/BAH written: map the ring again at its next use. */
static void
fbm_ring_base_changed(struct fbm_qring *r)
{
	r->desc = NULL;
	r->map_failed = false;
}

static void
fbm_tx_active_update(struct fbm_queue_state *qs, struct fbm_queue *q)
{
	uint64_t bit = (uint64_t)1 << (q->idx & 63);

	if (q->twq[0].running || q->twq[1].running)
		qs->tx_active[q->idx >> 6] |= bit;
	else
		qs->tx_active[q->idx >> 6] &= ~bit;
}

void
fbm_rx_buf_drop(struct fbm_queue *q)
{
	q->hdr.valid = false;
	q->hdr.va = NULL;
	q->pay.valid = false;
	q->pay.va = NULL;
}

static void
fbm_bdq_ctl(struct fbm_dev *dev, struct fbm_queue_state *qs, struct fbm_queue *q, uint32_t val)
{
	q->bdq_ctl = val & BDQ_CTL_MASK;
	if (val & FBNIC_QUEUE_BDQ_CTL_RESET) {
		fbm_ring_reset(&q->hpq);
		fbm_ring_reset(&q->ppq);
		fbm_rx_buf_drop(q);
		fbm_rx_hold_flush(qs, q);
		return;
	}
	fbm_ring_ctl(dev, &q->hpq, val & RING_CTL_MASK, FBM_RING_WORK);
	if (val & FBNIC_QUEUE_BDQ_CTL_PPQ_ENABLE)
		fbm_ring_ctl(dev, &q->ppq, val & RING_CTL_MASK, FBM_RING_WORK);
	else
		fbm_ring_ctl(dev, &q->ppq, 0, FBM_RING_WORK);
	if (!q->hpq.running) {
		/* buffer pointers may be unmapped by the host once stopped */
		fbm_rx_buf_drop(q);
		fbm_rx_hold_flush(qs, q);
	}
}

/* ---- interrupt moderation (TIM / RIM) ---- */

static void
fbm_moder_arm_clear(struct fbm_queue_state *qs, struct fbm_queue *q)
{
	if (q->tim.count == 0 && q->rim.count == 0)
		qs->moder_armed[q->idx >> 6] &= ~((uint64_t)1 << (q->idx & 63));
}

static void
fbm_moder_fire(struct fbm_dev *dev, struct fbm_queue *q, struct fbm_moder *m)
{
	if (m->masked)
		return;
	m->pending = false;
	m->count = 0;
	fbm_moder_arm_clear(fbm_qstate(dev), q);
	fbm_intr_raise(dev, m->vector);
}

void
fbm_moder_add(struct fbm_dev *dev, struct fbm_queue *q, struct fbm_moder *m, unsigned int n)
{
	struct fbm_queue_state *qs;

	if (m->count == 0) {
		qs = fbm_qstate(dev);
		m->start_ns = fbm_now_ns(dev);
		qs->moder_armed[q->idx >> 6] |= (uint64_t)1 << (q->idx & 63);
	}
	m->count += n;
	if (m->count > FBNIC_QUEUE_TIM_COUNTS_CNT0_MASK)
		m->count = FBNIC_QUEUE_TIM_COUNTS_CNT0_MASK;
	if (m->count >= m->threshold) {
		m->pending = true;
		fbm_moder_fire(dev, q, m);
	}
}

/*
 * Length of one moderation timer tick in ns: QM_TCQ_CTL0 / QM_RCQ_CTL0
 * TICK_CYCLES core clocks (600 MHz); Linux programs 600, i.e. 1 us (4.4).
 */
static uint64_t
fbm_moder_tick_ns(struct fbm_queue_state *qs, bool rx)
{
	uint32_t ctl0 = rx ? qs->qm_rx[FBNIC_QM_RCQ_CTL0 - FBNIC_CSR_START_QM_RX] :
			     qs->qm_tx[FBNIC_QM_TCQ_CTL0 - FBNIC_CSR_START_QM_TX];
	uint32_t cycles = FBNIC_FIELD_GET(FBNIC_QM_TCQ_CTL0_TICK_CYCLES, ctl0);

	if (cycles == 0)
		cycles = FBNIC_CLOCK_FREQ / 1000000;
	return (uint64_t)cycles * 1000000000u / FBNIC_CLOCK_FREQ;
}

/* Moderation timeout of a vector in ns: the latched INTR_CQ_REARM timeout in ticks. */
static uint64_t
fbm_moder_timeout_ns(struct fbm_dev *dev, const struct fbm_moder *m, bool rx)
{
	uint32_t rearm = fbm_intr_rearm_get(dev, m->vector);
	uint32_t ticks;

	ticks = rx ? FBNIC_FIELD_GET(FBNIC_INTR_CQ_REARM_RCQ_TIMEOUT, rearm) :
		     FBNIC_FIELD_GET(FBNIC_INTR_CQ_REARM_TCQ_TIMEOUT, rearm);
	return (uint64_t)ticks * fbm_moder_tick_ns(fbm_qstate(dev), rx);
}

static void
fbm_moder_timer(struct fbm_dev *dev, struct fbm_queue *q, struct fbm_moder *m, bool rx,
		uint64_t now_ns)
{
	if (m->count == 0 && !m->pending)
		return;
	if (!m->pending && m->count &&
	    now_ns - m->start_ns >= fbm_moder_timeout_ns(dev, m, rx))
		m->pending = true;
	if (m->pending)
		fbm_moder_fire(dev, q, m);
}

static void
fbm_moder_write(struct fbm_dev *dev, struct fbm_queue *q, struct fbm_moder *m,
		uint32_t reg, uint32_t val)
{
	switch (reg) {
	case 0:	/* CTL */
		m->vector = val & FBNIC_QUEUE_TIM_CTL_MSIX_MASK;
		break;
	case 1:	/* THRESHOLD */
		m->threshold = val & FBNIC_QUEUE_TIM_THRESHOLD_TWD_MASK;
		break;
	case 2:	/* CLEAR */
		if (val & FBNIC_QUEUE_TIM_CLEAR_MASK) {
			m->pending = false;
			m->count = 0;
			fbm_moder_arm_clear(fbm_qstate(dev), q);
		}
		break;
	case 3:	/* SET */
		if (val & FBNIC_QUEUE_TIM_SET_MASK) {
			m->pending = true;
			fbm_moder_fire(dev, q, m);
		}
		break;
	case 4:	/* MASK */
		m->masked = val & FBNIC_QUEUE_TIM_MASK_MASK;
		if (!m->masked && m->pending)
			fbm_moder_fire(dev, q, m);
		break;
	default:
		break;
	}
}

/* TIM_TIMER / RIM_COAL_STATUS timer: ticks since the first pending completion. */
static uint32_t
fbm_moder_timer_ticks(struct fbm_dev *dev, const struct fbm_moder *m, bool rx)
{
	uint64_t t;

	if (m->count == 0)
		return 0;
	t = (fbm_now_ns(dev) - m->start_ns) / fbm_moder_tick_ns(fbm_qstate(dev), rx);
	return t > FBNIC_QUEUE_RIM_TIMER_MASK ? FBNIC_QUEUE_RIM_TIMER_MASK : (uint32_t)t;
}

/* ---- idle bitmaps (fbnic_hw.rst 4.6, bit set = idle) ---- */

static bool
fbm_twq_idle(const struct fbm_qring *r)
{
	return !r->running || r->head == (fbm_db_load(&r->db) & r->mask);
}

static uint32_t
fbm_idle_word(struct fbm_queue_state *qs, uint32_t idx)
{
	unsigned int w, b, qi;
	uint32_t val = 0;
	const struct fbm_queue *q;
	bool idle;

	for (b = 0; b < 32; b++) {
		if (idx >= FBNIC_QM_TWQ_IDLE(0) && idx < FBNIC_QM_TWQ_IDLE(8))
			w = idx - FBNIC_QM_TWQ_IDLE(0);
		else if (idx >= FBNIC_QM_TQS_IDLE(0) && idx < FBNIC_QM_TQS_IDLE(8))
			w = idx - FBNIC_QM_TQS_IDLE(0);
		else if (idx >= FBNIC_QM_TDE_IDLE(0) && idx < FBNIC_QM_TDE_IDLE(8))
			w = idx - FBNIC_QM_TDE_IDLE(0);
		else
			w = 8;
		if (w < 8) {
			/* 256 bits: TWQ0 of queue n at bit n, TWQ1 at bit 128 + n */
			qi = (w & 3) * 32 + b;
			idle = fbm_twq_idle(&qs->q[qi].twq[w >> 2]);
		} else if (idx >= FBNIC_QM_TCQ_IDLE(0) && idx < FBNIC_QM_TCQ_IDLE(4)) {
			q = &qs->q[(idx - FBNIC_QM_TCQ_IDLE(0)) * 32 + b];
			idle = !q->tcd_pending[0] && !q->tcd_pending[1];
		} else {
			/* HPQ / PPQ / RCQ: busy while the queue holds frames */
			if (idx >= FBNIC_QM_RCQ_IDLE(0) && idx < FBNIC_QM_RCQ_IDLE(4))
				qi = (idx - FBNIC_QM_RCQ_IDLE(0)) * 32 + b;
			else if (idx >= FBNIC_QM_HPQ_IDLE(0) && idx < FBNIC_QM_HPQ_IDLE(4))
				qi = (idx - FBNIC_QM_HPQ_IDLE(0)) * 32 + b;
			else
				qi = (idx - FBNIC_QM_PPQ_IDLE(0)) * 32 + b;
			q = &qs->q[qi];
			idle = !(q->hold && q->hold->count);
		}
		if (idle)
			val |= 1u << b;
	}
	return val;
}

static bool
fbm_is_idle_reg(uint32_t idx)
{
	return (idx >= FBNIC_QM_TWQ_IDLE(0) && idx < FBNIC_QM_TWQ_IDLE(8)) ||
	       (idx >= FBNIC_QM_TQS_IDLE(0) && idx < FBNIC_QM_TQS_IDLE(8)) ||
	       (idx >= FBNIC_QM_TDE_IDLE(0) && idx < FBNIC_QM_TDE_IDLE(8)) ||
	       (idx >= FBNIC_QM_TCQ_IDLE(0) && idx < FBNIC_QM_TCQ_IDLE(4)) ||
	       (idx >= FBNIC_QM_RCQ_IDLE(0) && idx < FBNIC_QM_RCQ_IDLE(4)) ||
	       (idx >= FBNIC_QM_HPQ_IDLE(0) && idx < FBNIC_QM_HPQ_IDLE(4)) ||
	       (idx >= FBNIC_QM_PPQ_IDLE(0) && idx < FBNIC_QM_PPQ_IDLE(4));
}

/* ---- queue page registers ---- */

static uint32_t
fbm_ptrs(uint32_t hi, uint32_t lo)
{
	return (hi & 0xffff) << 16 | (lo & 0xffff);
}

static bool
fbm_queue_page_read(struct fbm_dev *dev, struct fbm_queue *q, uint32_t reg, uint32_t *val)
{
	const struct fbm_qring *r;

	switch (reg) {
	case FBNIC_QUEUE_TWQ0_CTL:
	case FBNIC_QUEUE_TWQ1_CTL:
		*val = q->twq[reg - FBNIC_QUEUE_TWQ0_CTL].ctl;
		break;
	case FBNIC_QUEUE_TWQ0_TAIL:
	case FBNIC_QUEUE_TWQ1_TAIL:
		*val = fbm_db_load(&q->twq[reg - FBNIC_QUEUE_TWQ0_TAIL].db);
		break;
	case FBNIC_QUEUE_TWQ0_PTRS:
	case FBNIC_QUEUE_TWQ1_PTRS:
		r = &q->twq[reg - FBNIC_QUEUE_TWQ0_PTRS];
		*val = fbm_ptrs(r->head, fbm_db_load(&r->db) & r->mask);
		break;
	case FBNIC_QUEUE_TWQ0_SIZE:
	case FBNIC_QUEUE_TWQ1_SIZE:
		*val = q->twq[reg - FBNIC_QUEUE_TWQ0_SIZE].size_reg;
		break;
	case FBNIC_QUEUE_TWQ0_BAL:
		*val = q->twq[0].bal;
		break;
	case FBNIC_QUEUE_TWQ0_BAH:
		*val = q->twq[0].bah;
		break;
	case FBNIC_QUEUE_TWQ1_BAL:
		*val = q->twq[1].bal;
		break;
	case FBNIC_QUEUE_TWQ1_BAH:
		*val = q->twq[1].bah;
		break;
	case FBNIC_QUEUE_TWQ0_PKT_CNT:
		*val = q->twq_pkt_cnt[0];
		break;
	case FBNIC_QUEUE_TWQ0_ERR_CNT:
		*val = q->twq_err_cnt[0];
		break;
	case FBNIC_QUEUE_TWQ1_PKT_CNT:
		*val = q->twq_pkt_cnt[1];
		break;
	case FBNIC_QUEUE_TWQ1_ERR_CNT:
		*val = q->twq_err_cnt[1];
		break;
	case FBNIC_QUEUE_TCQ_CTL:
		*val = q->tcq.ctl;
		break;
	case FBNIC_QUEUE_TCQ_HEAD:
		*val = fbm_db_load(&q->tcq.db);
		break;
	case FBNIC_QUEUE_TCQ_PTRS:
		*val = fbm_ptrs(q->tcq.tail & q->tcq.mask, fbm_db_load(&q->tcq.db) & q->tcq.mask);
		break;
	case FBNIC_QUEUE_TCQ_SIZE:
		*val = q->tcq.size_reg;
		break;
	case FBNIC_QUEUE_TCQ_BAL:
		*val = q->tcq.bal;
		break;
	case FBNIC_QUEUE_TCQ_BAH:
		*val = q->tcq.bah;
		break;
	case FBNIC_QUEUE_TIM_CTL:
		*val = q->tim.vector;
		break;
	case FBNIC_QUEUE_TIM_THRESHOLD:
		*val = q->tim.threshold;
		break;
	case FBNIC_QUEUE_TIM_MASK:
		*val = q->tim.masked;
		break;
	case FBNIC_QUEUE_TIM_TIMER:
		*val = fbm_moder_timer_ticks(dev, &q->tim, false);
		break;
	case FBNIC_QUEUE_TIM_COUNTS:
		*val = q->tim.count & FBNIC_QUEUE_TIM_COUNTS_CNT0_MASK;
		break;
	case FBNIC_QUEUE_RCQ_CTL:
		*val = q->rcq.ctl;
		break;
	case FBNIC_QUEUE_RCQ_HEAD:
		*val = fbm_db_load(&q->rcq.db);
		break;
	case FBNIC_QUEUE_RCQ_PTRS:
		*val = fbm_ptrs(q->rcq.tail & q->rcq.mask, fbm_db_load(&q->rcq.db) & q->rcq.mask);
		break;
	case FBNIC_QUEUE_RCQ_SIZE:
		*val = q->rcq.size_reg;
		break;
	case FBNIC_QUEUE_RCQ_BAL:
		*val = q->rcq.bal;
		break;
	case FBNIC_QUEUE_RCQ_BAH:
		*val = q->rcq.bah;
		break;
	case FBNIC_QUEUE_BDQ_CTL:
		*val = q->bdq_ctl;
		break;
	case FBNIC_QUEUE_BDQ_HPQ_TAIL:
		*val = fbm_db_load(&q->hpq.db);
		break;
	case FBNIC_QUEUE_BDQ_PPQ_TAIL:
		*val = fbm_db_load(&q->ppq.db);
		break;
	case FBNIC_QUEUE_BDQ_HPQ_PTRS:
		*val = fbm_ptrs(q->hpq.head, fbm_db_load(&q->hpq.db) & q->hpq.mask);
		break;
	case FBNIC_QUEUE_BDQ_PPQ_PTRS:
		*val = fbm_ptrs(q->ppq.head, fbm_db_load(&q->ppq.db) & q->ppq.mask);
		break;
	case FBNIC_QUEUE_BDQ_HPQ_SIZE:
		*val = q->hpq.size_reg;
		break;
	case FBNIC_QUEUE_BDQ_PPQ_SIZE:
		*val = q->ppq.size_reg;
		break;
	case FBNIC_QUEUE_BDQ_HPQ_BAL:
		*val = q->hpq.bal;
		break;
	case FBNIC_QUEUE_BDQ_HPQ_BAH:
		*val = q->hpq.bah;
		break;
	case FBNIC_QUEUE_BDQ_PPQ_BAL:
		*val = q->ppq.bal;
		break;
	case FBNIC_QUEUE_BDQ_PPQ_BAH:
		*val = q->ppq.bah;
		break;
	case FBNIC_QUEUE_RDE_CTL0:
		*val = q->rde_ctl0;
		break;
	case FBNIC_QUEUE_RDE_CTL1:
		*val = q->rde_ctl1;
		break;
	case FBNIC_QUEUE_RDE_PKT_CNT:
		*val = q->rde_pkt_cnt;
		break;
	case FBNIC_QUEUE_RDE_PKT_ERR_CNT:
		*val = q->rde_pkt_err_cnt;
		break;
	case FBNIC_QUEUE_RDE_CQ_DROP_CNT:
		*val = q->rde_cq_drop_cnt;
		break;
	case FBNIC_QUEUE_RDE_BDQ_DROP_CNT:
		*val = q->rde_bdq_drop_cnt;
		break;
	case FBNIC_QUEUE_RIM_CTL:
		*val = q->rim.vector;
		break;
	case FBNIC_QUEUE_RIM_THRESHOLD:
		*val = q->rim.threshold;
		break;
	case FBNIC_QUEUE_RIM_MASK:
		*val = q->rim.masked;
		break;
	case FBNIC_QUEUE_RIM_COAL_STATUS:
		*val = (q->rim.count & 0x7fff) << 16 | fbm_moder_timer_ticks(dev, &q->rim, true);
		break;
	case FBNIC_QUEUE_TIM_CLEAR:
	case FBNIC_QUEUE_TIM_SET:
	case FBNIC_QUEUE_RIM_CLEAR:
	case FBNIC_QUEUE_RIM_SET:
		*val = 0;
		break;
	default:
		return false;
	}
	return true;
}

static bool
fbm_queue_page_write(struct fbm_dev *dev, struct fbm_queue_state *qs, struct fbm_queue *q,
		     uint32_t reg, uint32_t val)
{
	struct fbm_qring *r;

	switch (reg) {
	case FBNIC_QUEUE_TWQ0_CTL:
	case FBNIC_QUEUE_TWQ1_CTL:
		r = &q->twq[reg - FBNIC_QUEUE_TWQ0_CTL];
		fbm_ring_ctl(dev, r, val & RING_CTL_MASK, FBM_RING_WORK);
		fbm_tx_active_update(qs, q);
		break;
	case FBNIC_QUEUE_TWQ0_TAIL:
	case FBNIC_QUEUE_TWQ1_TAIL:
		fbm_db_store(&q->twq[reg - FBNIC_QUEUE_TWQ0_TAIL].db, val & 0xffff);
		break;
	case FBNIC_QUEUE_TWQ0_SIZE:
	case FBNIC_QUEUE_TWQ1_SIZE:
		r = &q->twq[reg - FBNIC_QUEUE_TWQ0_SIZE];
		r->size_reg = val & FBNIC_QUEUE_TWQ_SIZE_MASK;
		if (!r->running)
			fbm_ring_set_size(r);
		break;
	case FBNIC_QUEUE_TWQ0_BAL:
	case FBNIC_QUEUE_TWQ1_BAL:
		r = &q->twq[(reg - FBNIC_QUEUE_TWQ0_BAL) / 2];
		r->bal = val & FBNIC_QUEUE_BAL_MASK;
		fbm_ring_base_changed(r);
		break;
	case FBNIC_QUEUE_TWQ0_BAH:
	case FBNIC_QUEUE_TWQ1_BAH:
		r = &q->twq[(reg - FBNIC_QUEUE_TWQ0_BAH) / 2];
		r->bah = val;
		fbm_ring_base_changed(r);
		break;
	case FBNIC_QUEUE_TCQ_CTL:
		if (val & FBNIC_QUEUE_TCQ_CTL_RESET) {
			q->tcd_pending[0] = false;
			q->tcd_pending[1] = false;
		}
		fbm_ring_ctl(dev, &q->tcq, val & RING_CTL_MASK, FBM_RING_CMPL);
		break;
	case FBNIC_QUEUE_TCQ_HEAD:
		fbm_db_store(&q->tcq.db, val & 0xffff);
		break;
	case FBNIC_QUEUE_TCQ_SIZE:
		q->tcq.size_reg = val & FBNIC_QUEUE_TCQ_SIZE_MASK;
		if (!q->tcq.running)
			fbm_ring_set_size(&q->tcq);
		break;
	case FBNIC_QUEUE_TCQ_BAL:
		q->tcq.bal = val & FBNIC_QUEUE_BAL_MASK;
		fbm_ring_base_changed(&q->tcq);
		break;
	case FBNIC_QUEUE_TCQ_BAH:
		q->tcq.bah = val;
		fbm_ring_base_changed(&q->tcq);
		break;
	case FBNIC_QUEUE_TIM_CTL:
	case FBNIC_QUEUE_TIM_THRESHOLD:
	case FBNIC_QUEUE_TIM_CLEAR:
	case FBNIC_QUEUE_TIM_SET:
	case FBNIC_QUEUE_TIM_MASK:
		fbm_moder_write(dev, q, &q->tim, reg - FBNIC_QUEUE_TIM_CTL, val);
		break;
	case FBNIC_QUEUE_RCQ_CTL:
		fbm_ring_ctl(dev, &q->rcq, val & RING_CTL_MASK, FBM_RING_CMPL);
		if (!q->rcq.running)
			fbm_rx_hold_flush(qs, q);
		break;
	case FBNIC_QUEUE_RCQ_HEAD:
		fbm_db_store(&q->rcq.db, val & 0xffff);
		break;
	case FBNIC_QUEUE_RCQ_SIZE:
		q->rcq.size_reg = val & FBNIC_QUEUE_RCQ_SIZE_MASK;
		if (!q->rcq.running)
			fbm_ring_set_size(&q->rcq);
		break;
	case FBNIC_QUEUE_RCQ_BAL:
		q->rcq.bal = val & FBNIC_QUEUE_BAL_MASK;
		fbm_ring_base_changed(&q->rcq);
		break;
	case FBNIC_QUEUE_RCQ_BAH:
		q->rcq.bah = val;
		fbm_ring_base_changed(&q->rcq);
		break;
	case FBNIC_QUEUE_BDQ_CTL:
		fbm_bdq_ctl(dev, qs, q, val);
		break;
	case FBNIC_QUEUE_BDQ_HPQ_TAIL:
		fbm_db_store(&q->hpq.db, val & 0xffff);
		break;
	case FBNIC_QUEUE_BDQ_PPQ_TAIL:
		fbm_db_store(&q->ppq.db, val & 0xffff);
		break;
	case FBNIC_QUEUE_BDQ_HPQ_SIZE:
	case FBNIC_QUEUE_BDQ_PPQ_SIZE:
		r = reg == FBNIC_QUEUE_BDQ_HPQ_SIZE ? &q->hpq : &q->ppq;
		r->size_reg = val & FBNIC_QUEUE_BDQ_SIZE_MASK;
		if (!r->running)
			fbm_ring_set_size(r);
		break;
	case FBNIC_QUEUE_BDQ_HPQ_BAL:
	case FBNIC_QUEUE_BDQ_PPQ_BAL:
		r = reg == FBNIC_QUEUE_BDQ_HPQ_BAL ? &q->hpq : &q->ppq;
		r->bal = val & FBNIC_QUEUE_BAL_MASK;
		fbm_ring_base_changed(r);
		break;
	case FBNIC_QUEUE_BDQ_HPQ_BAH:
	case FBNIC_QUEUE_BDQ_PPQ_BAH:
		r = reg == FBNIC_QUEUE_BDQ_HPQ_BAH ? &q->hpq : &q->ppq;
		r->bah = val;
		fbm_ring_base_changed(r);
		break;
	case FBNIC_QUEUE_RDE_CTL0:
		q->rde_ctl0 = val;
		fbm_rx_cfg_update(q);
		break;
	case FBNIC_QUEUE_RDE_CTL1:
		q->rde_ctl1 = val & (FBNIC_QUEUE_RDE_CTL1_MAX_HDR_MASK |
				     FBNIC_QUEUE_RDE_CTL1_PAYLD_OFF_MASK |
				     FBNIC_QUEUE_RDE_CTL1_PAYLD_PG_CL_MASK |
				     FBNIC_QUEUE_RDE_CTL1_PADLEN_MASK |
				     FBNIC_QUEUE_RDE_CTL1_PAYLD_PACK_MASK);
		fbm_rx_cfg_update(q);
		break;
	case FBNIC_QUEUE_RIM_CTL:
	case FBNIC_QUEUE_RIM_THRESHOLD:
	case FBNIC_QUEUE_RIM_CLEAR:
	case FBNIC_QUEUE_RIM_SET:
	case FBNIC_QUEUE_RIM_MASK:
		fbm_moder_write(dev, q, &q->rim, reg - FBNIC_QUEUE_RIM_CTL, val);
		break;
	case FBNIC_QUEUE_TWQ0_PTRS:
	case FBNIC_QUEUE_TWQ1_PTRS:
	case FBNIC_QUEUE_TCQ_PTRS:
	case FBNIC_QUEUE_RCQ_PTRS:
	case FBNIC_QUEUE_BDQ_HPQ_PTRS:
	case FBNIC_QUEUE_BDQ_PPQ_PTRS:
	case FBNIC_QUEUE_TWQ0_PKT_CNT:
	case FBNIC_QUEUE_TWQ0_ERR_CNT:
	case FBNIC_QUEUE_TWQ1_PKT_CNT:
	case FBNIC_QUEUE_TWQ1_ERR_CNT:
	case FBNIC_QUEUE_RDE_PKT_CNT:
	case FBNIC_QUEUE_RDE_PKT_ERR_CNT:
	case FBNIC_QUEUE_RDE_CQ_DROP_CNT:
	case FBNIC_QUEUE_RDE_BDQ_DROP_CNT:
	case FBNIC_QUEUE_TIM_TIMER:
	case FBNIC_QUEUE_TIM_COUNTS:
	case FBNIC_QUEUE_RIM_COAL_STATUS:
		break;	/* read only */
	default:
		return false;
	}
	return true;
}

/* ---- component hooks ---- */

static void
fbm_queue_state_reset(struct fbm_queue_state *qs)
{
	unsigned int i, j;

	for (i = 0; i < FBM_NUM_QUEUES; i++) {
		struct fbm_queue *q = &qs->q[i];
		struct fbm_rx_hold *hold = q->hold;

		memset(q, 0, sizeof(*q));
		q->idx = i;
		q->hold = hold;
		if (hold) {
			hold->count = 0;
			hold->head = 0;
			hold->data_head = 0;
			hold->data_tail = 0;
		}
		for (j = 0; j < 2; j++)
			fbm_ring_reset(&q->twq[j]);
		fbm_ring_reset(&q->tcq);
		fbm_ring_reset(&q->hpq);
		fbm_ring_reset(&q->ppq);
		fbm_ring_reset(&q->rcq);
		/* an unprogrammed queue does not interrupt */
		q->tim.masked = true;
		q->rim.masked = true;
		fbm_rx_cfg_update(q);
	}
	memset(qs->qm_tx, 0, sizeof(qs->qm_tx));
	memset(qs->qm_rx, 0, sizeof(qs->qm_rx));
	qs->tx_active[0] = 0;
	qs->tx_active[1] = 0;
	qs->moder_armed[0] = 0;
	qs->moder_armed[1] = 0;
	qs->nr_holding = 0;
	qs->held_bytes = 0;
	qs->tx_next = 0;
}

int
fbm_queue_init(struct fbm_dev *dev)
{
	struct fbm_queue_state *qs;

	qs = calloc(1, sizeof(*qs));
	if (qs == NULL)
		return -ENOMEM;
	qs->tx_buf = malloc(FBM_TX_MAX_LSO);
	qs->seg_buf = malloc(FBM_RX_MAX_FRAME);
	if (qs->tx_buf == NULL || qs->seg_buf == NULL) {
		free(qs->tx_buf);
		free(qs->seg_buf);
		free(qs);
		return -ENOMEM;
	}
	fbm_queue_state_reset(qs);
	dev->queue = qs;
	return 0;
}

void
fbm_queue_fini(struct fbm_dev *dev)
{
	struct fbm_queue_state *qs = dev->queue;
	unsigned int i;

	if (qs == NULL)
		return;
	for (i = 0; i < FBM_NUM_QUEUES; i++)
		fbm_rx_hold_free(&qs->q[i]);
	free(qs->tx_buf);
	free(qs->seg_buf);
	free(qs);
	dev->queue = NULL;
}

void
fbm_queue_reset(struct fbm_dev *dev)
{
	if (dev->queue)
		fbm_queue_state_reset(dev->queue);
}

bool
fbm_queue_read(struct fbm_dev *dev, unsigned int bar, uint32_t idx, uint32_t *val)
{
	struct fbm_queue_state *qs = dev->queue;

	if (bar != 0 || qs == NULL)
		return false;
	if (idx >= QUEUE_FIRST && idx <= QUEUE_LAST)
		return fbm_queue_page_read(dev, &qs->q[(idx - QUEUE_FIRST) / FBNIC_QUEUE_STRIDE],
					   (idx - QUEUE_FIRST) % FBNIC_QUEUE_STRIDE, val);
	if ((idx >= QM_TX_FIRST && idx <= QM_TX_LAST) ||
	    (idx >= QM_RX_FIRST && idx <= QM_RX_LAST)) {
		if (fbm_is_idle_reg(idx))
			*val = fbm_idle_word(qs, idx);
		else if (idx <= QM_TX_LAST)
			*val = qs->qm_tx[idx - QM_TX_FIRST];
		else
			*val = qs->qm_rx[idx - QM_RX_FIRST];
		return true;
	}
	return false;
}

bool
fbm_queue_write(struct fbm_dev *dev, unsigned int bar, uint32_t idx, uint32_t val)
{
	struct fbm_queue_state *qs = dev->queue;

	if (bar != 0 || qs == NULL)
		return false;
	if (idx >= QUEUE_FIRST && idx <= QUEUE_LAST)
		return fbm_queue_page_write(dev, qs,
					    &qs->q[(idx - QUEUE_FIRST) / FBNIC_QUEUE_STRIDE],
					    (idx - QUEUE_FIRST) % FBNIC_QUEUE_STRIDE, val);
	if (idx >= QM_TX_FIRST && idx <= QM_TX_LAST) {
		if (!fbm_is_idle_reg(idx))
			qs->qm_tx[idx - QM_TX_FIRST] = val;
		return true;
	}
	if (idx >= QM_RX_FIRST && idx <= QM_RX_LAST) {
		if (!fbm_is_idle_reg(idx))
			qs->qm_rx[idx - QM_RX_FIRST] = val;
		return true;
	}
	return false;
}

/* Descriptor and completion traffic through cached pointers, for the PCIe counters. */
void
fbm_queue_dma_report(struct fbm_dev *dev, struct fbm_queue_state *qs)
{
	if (qs->dma_rd_bytes) {
		fbm_stats_pcie_dma(dev, false, qs->dma_rd_bytes);
		qs->dma_rd_bytes = 0;
	}
	if (qs->dma_wr_bytes) {
		fbm_stats_pcie_dma(dev, true, qs->dma_wr_bytes);
		qs->dma_wr_bytes = 0;
	}
}

uint32_t
fbm_queue_rx_buffer_fill(struct fbm_dev *dev)
{
	return dev->queue != NULL ? fbm_rx_hold_fill(dev->queue) : 0;
}

void
fbm_queue_poll(struct fbm_dev *dev, uint64_t now_ns)
{
	struct fbm_queue_state *qs = dev->queue;
	unsigned int w;

	if (qs == NULL)
		return;
	if (qs->nr_holding)
		fbm_rx_hold_poll(dev, qs, now_ns);
	fbm_queue_dma_report(dev, qs);
	for (w = 0; w < 2; w++) {
		uint64_t armed = qs->moder_armed[w];

		while (armed) {
			struct fbm_queue *q = &qs->q[w * 64 + __builtin_ctzll(armed)];

			armed &= armed - 1;
			fbm_moder_timer(dev, q, &q->tim, false, now_ns);
			fbm_moder_timer(dev, q, &q->rim, true, now_ns);
		}
	}
}
