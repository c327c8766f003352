/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

#ifndef _TEST_QUEUE_HOST_H_
#define _TEST_QUEUE_HOST_H_

/*
 * A minimal host for the datapath tests (test_queue*, test_tx*, test_rx*):
 * one DMA arena, queue register access, ring set-up in Linux's order
 * (fbnic_hw.rst 4.2) and completion-ring readers with phase tracking (4.5).
 */

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fbm_internal.h"
#include "fbnic_tk.h"
#include "fbnic_tk_frame.h"

#define TQ_ARENA_SIZE	(64u << 20)
#define TQ_IOVA_BASE	0x10000000ull

struct tq_host {
	uint8_t *mem;
	size_t brk;
	struct fbm_dev *dev;
	unsigned int msix[FBM_MSIX_VECTORS];
};

static void *
tq_dma_map(void *ctx, uint64_t iova, size_t len)
{
	struct tq_host *h = ctx;

	if (iova < TQ_IOVA_BASE || iova - TQ_IOVA_BASE + len > TQ_ARENA_SIZE)
		return NULL;
	return h->mem + (iova - TQ_IOVA_BASE);
}

static void
tq_msix(void *ctx, unsigned int vector)
{
	struct tq_host *h = ctx;

	if (vector < FBM_MSIX_VECTORS)
		h->msix[vector]++;
}

static void
tq_log(void *ctx, int level, const char *msg)
{
	(void)ctx;
	if (level <= FBM_LOG_WARNING)
		fprintf(stderr, "model: %s\n", msg);
}

static inline uint32_t
tq_rd(struct tq_host *h, uint32_t idx)
{
	return fbm_read32(h->dev, 0, FBNIC_CSR_BYTE(idx));
}

static inline void
tq_wr(struct tq_host *h, uint32_t idx, uint32_t val)
{
	fbm_write32(h->dev, 0, FBNIC_CSR_BYTE(idx), val);
}

static inline uint32_t
tq_qrd(struct tq_host *h, unsigned int q, uint32_t reg)
{
	return tq_rd(h, FBNIC_QUEUE(q) + reg);
}

static inline void
tq_qwr(struct tq_host *h, unsigned int q, uint32_t reg, uint32_t val)
{
	tq_wr(h, FBNIC_QUEUE(q) + reg, val);
}

/* Bump allocator in the DMA arena; returns the IOVA. */
static inline uint64_t
tq_alloc(struct tq_host *h, size_t len, size_t align)
{
	size_t off = (h->brk + align - 1) & ~(align - 1);

	if (off + len > TQ_ARENA_SIZE) {
		fprintf(stderr, "test arena exhausted\n");
		exit(1);
	}
	h->brk = off + len;
	memset(h->mem + off, 0, len);
	return TQ_IOVA_BASE + off;
}

static inline void *
tq_ptr(struct tq_host *h, uint64_t iova)
{
	return h->mem + (iova - TQ_IOVA_BASE);
}

/* Create a device with bus mastering enabled. */
static inline int
tq_open(struct tq_host *h)
{
	struct fbm_host_ops ops = {
		.ctx = h, .dma_map = tq_dma_map, .msix = tq_msix, .log = tq_log,
	};
	struct fbm_config cfg;
	uint16_t cmd;
	int rc;

	memset(h, 0, sizeof(*h));
	h->mem = calloc(1, TQ_ARENA_SIZE);
	if (h->mem == NULL)
		return -ENOMEM;
	fbm_config_init(&cfg);
	rc = fbm_create(&cfg, &ops, &h->dev);
	if (rc)
		return rc;
	fbm_cfg_read(h->dev, 0x04, &cmd, sizeof(cmd));
	cmd |= 0x0006;	/* memory space, bus master */
	fbm_cfg_write(h->dev, 0x04, &cmd, sizeof(cmd));
	tq_wr(h, FBNIC_PUL_OB_TLP_HDR_AW_CFG,
	      tq_rd(h, FBNIC_PUL_OB_TLP_HDR_AW_CFG) | FBNIC_PUL_OB_TLP_HDR_AW_CFG_BME);
	tq_wr(h, FBNIC_PUL_OB_TLP_HDR_AR_CFG,
	      tq_rd(h, FBNIC_PUL_OB_TLP_HDR_AR_CFG) | FBNIC_PUL_OB_TLP_HDR_AR_CFG_BME);
	return 0;
}

static inline void
tq_close(struct tq_host *h)
{
	if (h->dev)
		fbm_destroy(h->dev);
	free(h->mem);
	h->mem = NULL;
	h->dev = NULL;
}

static inline unsigned int
tq_log2(unsigned int n)
{
	return (unsigned int)__builtin_ctz(n);
}

/* A completion ring as the host reads it (fbnic_hw.rst 4.5). */
struct tq_cq {
	uint64_t *desc;
	uint32_t size;
	uint32_t head;		/* free running */
};

/* Next completion, or false when the NIC has not written one. */
static inline bool
tq_cq_next(struct tq_cq *cq, uint64_t *out)
{
	uint64_t d = __atomic_load_n(&cq->desc[cq->head & (cq->size - 1)], __ATOMIC_ACQUIRE);
	uint32_t odd = (cq->head & cq->size) ? 1 : 0;

	/* DONE is bit 63 of TCDs and RCDs alike */
	if ((uint32_t)(d >> 63) == odd)
		return false;
	*out = d;
	cq->head++;
	return true;
}

/* TX triad of queue q: TWQ0 (and TWQ1), TCQ. */
struct tq_txq {
	unsigned int q;
	uint32_t size;
	uint64_t twq_iova[2];
	uint64_t *twq[2];
	uint32_t tail[2];
	struct tq_cq tcq;
};

static inline void
tq_txq_enable(struct tq_host *h, struct tq_txq *t, unsigned int q, uint32_t size,
	      unsigned int vector)
{
	uint64_t iova;
	unsigned int n;

	memset(t, 0, sizeof(*t));
	t->q = q;
	t->size = size;
	for (n = 0; n < 2; n++) {
		uint32_t ctl = n ? FBNIC_QUEUE_TWQ1_CTL : FBNIC_QUEUE_TWQ0_CTL;

		t->twq_iova[n] = tq_alloc(h, size * 8, 4096);
		t->twq[n] = tq_ptr(h, t->twq_iova[n]);
		tq_qwr(h, q, ctl, FBNIC_QUEUE_TWQ_CTL_RESET);
		tq_qwr(h, q, n ? FBNIC_QUEUE_TWQ1_BAL : FBNIC_QUEUE_TWQ0_BAL,
		       (uint32_t)t->twq_iova[n]);
		tq_qwr(h, q, n ? FBNIC_QUEUE_TWQ1_BAH : FBNIC_QUEUE_TWQ0_BAH,
		       (uint32_t)(t->twq_iova[n] >> 32));
		tq_qwr(h, q, n ? FBNIC_QUEUE_TWQ1_SIZE : FBNIC_QUEUE_TWQ0_SIZE,
		       tq_log2(size) & 0xf);
		tq_qwr(h, q, ctl, FBNIC_QUEUE_TWQ_CTL_ENABLE);
	}
	iova = tq_alloc(h, size * 8, 4096);
	t->tcq.desc = tq_ptr(h, iova);
	t->tcq.size = size;
	tq_qwr(h, q, FBNIC_QUEUE_TCQ_CTL, FBNIC_QUEUE_TCQ_CTL_RESET);
	tq_qwr(h, q, FBNIC_QUEUE_TCQ_BAL, (uint32_t)iova);
	tq_qwr(h, q, FBNIC_QUEUE_TCQ_BAH, (uint32_t)(iova >> 32));
	tq_qwr(h, q, FBNIC_QUEUE_TCQ_SIZE, tq_log2(size) & 0xf);
	tq_qwr(h, q, FBNIC_QUEUE_TIM_CTL, vector);
	tq_qwr(h, q, FBNIC_QUEUE_TIM_THRESHOLD, size / 2 - 1);
	tq_qwr(h, q, FBNIC_QUEUE_TIM_MASK, 0);
	tq_qwr(h, q, FBNIC_QUEUE_TCQ_CTL, FBNIC_QUEUE_TCQ_CTL_ENABLE);
}

/* Post one descriptor on TWQn (no doorbell). */
static inline void
tq_twd(struct tq_txq *t, unsigned int n, uint64_t d)
{
	t->twq[n][t->tail[n]] = d;
	t->tail[n] = (t->tail[n] + 1) & (t->size - 1);
}

static inline void
tq_twq_ring(struct tq_host *h, struct tq_txq *t, unsigned int n)
{
	__atomic_thread_fence(__ATOMIC_RELEASE);
	tq_qwr(h, t->q, n ? FBNIC_QUEUE_TWQ1_TAIL : FBNIC_QUEUE_TWQ0_TAIL, t->tail[n]);
}

/* RX triad of queue q: HPQ, PPQ (4 KiB buffers, ID = ring index), RCQ. */
struct tq_rxq {
	unsigned int q;
	uint32_t bdq_size;
	uint64_t *hpq;
	uint64_t *ppq;
	uint64_t hbuf_iova;	/* bdq_size 4 KiB buffers each */
	uint64_t pbuf_iova;
	uint32_t hpq_tail;
	uint32_t ppq_tail;
	struct tq_cq rcq;
};

#define TQ_HROOM	128u	/* Linux's FBNIC_RX_HROOM on x86-64 */
#define TQ_TROOM	320u	/* Linux's FBNIC_RX_TROOM on x86-64 */

static inline uint32_t
tq_rde_ctl0(unsigned int drop_mode, bool split)
{
	return (uint32_t)(FBNIC_FIELD_PREP(FBNIC_QUEUE_RDE_CTL0_DROP_MODE_MASK, drop_mode) |
			  FBNIC_FIELD_PREP(FBNIC_QUEUE_RDE_CTL0_MIN_HROOM_MASK, TQ_HROOM) |
			  FBNIC_FIELD_PREP(FBNIC_QUEUE_RDE_CTL0_MIN_TROOM_MASK, TQ_TROOM) |
			  (split ? FBNIC_QUEUE_RDE_CTL0_EN_HDR_SPLIT : 0));
}

static inline void
tq_rxq_enable(struct tq_host *h, struct tq_rxq *r, unsigned int q, uint32_t bdq_size,
	      uint32_t rcq_size, uint32_t rde_ctl0, uint32_t max_hdr, unsigned int vector)
{
	uint64_t hpq, ppq, rcq;

	memset(r, 0, sizeof(*r));
	r->q = q;
	r->bdq_size = bdq_size;
	hpq = tq_alloc(h, bdq_size * 8, 4096);
	ppq = tq_alloc(h, bdq_size * 8, 4096);
	rcq = tq_alloc(h, rcq_size * 8, 4096);
	r->hbuf_iova = tq_alloc(h, (size_t)bdq_size * 4096, 4096);
	r->pbuf_iova = tq_alloc(h, (size_t)bdq_size * 4096, 4096);
	r->hpq = tq_ptr(h, hpq);
	r->ppq = tq_ptr(h, ppq);
	r->rcq.desc = tq_ptr(h, rcq);
	r->rcq.size = rcq_size;

	tq_qwr(h, q, FBNIC_QUEUE_BDQ_CTL, FBNIC_QUEUE_BDQ_CTL_RESET);
	tq_qwr(h, q, FBNIC_QUEUE_BDQ_HPQ_BAL, (uint32_t)hpq);
	tq_qwr(h, q, FBNIC_QUEUE_BDQ_HPQ_BAH, (uint32_t)(hpq >> 32));
	tq_qwr(h, q, FBNIC_QUEUE_BDQ_HPQ_SIZE, tq_log2(bdq_size) & 0xf);
	tq_qwr(h, q, FBNIC_QUEUE_BDQ_PPQ_BAL, (uint32_t)ppq);
	tq_qwr(h, q, FBNIC_QUEUE_BDQ_PPQ_BAH, (uint32_t)(ppq >> 32));
	tq_qwr(h, q, FBNIC_QUEUE_BDQ_PPQ_SIZE, tq_log2(bdq_size) & 0xf);
	tq_qwr(h, q, FBNIC_QUEUE_BDQ_CTL,
	       FBNIC_QUEUE_BDQ_CTL_ENABLE | FBNIC_QUEUE_BDQ_CTL_PPQ_ENABLE);

	tq_qwr(h, q, FBNIC_QUEUE_RDE_CTL0, rde_ctl0);
	tq_qwr(h, q, FBNIC_QUEUE_RDE_CTL1,
	       (uint32_t)FBNIC_FIELD_PREP(FBNIC_QUEUE_RDE_CTL1_MAX_HDR_MASK, max_hdr));
	tq_qwr(h, q, FBNIC_QUEUE_RCQ_CTL, FBNIC_QUEUE_RCQ_CTL_RESET);
	tq_qwr(h, q, FBNIC_QUEUE_RCQ_BAL, (uint32_t)rcq);
	tq_qwr(h, q, FBNIC_QUEUE_RCQ_BAH, (uint32_t)(rcq >> 32));
	tq_qwr(h, q, FBNIC_QUEUE_RCQ_SIZE, tq_log2(rcq_size) & 0xf);
	tq_qwr(h, q, FBNIC_QUEUE_RIM_CTL, vector);
	tq_qwr(h, q, FBNIC_QUEUE_RIM_THRESHOLD, rcq_size / 2 - 1);
	tq_qwr(h, q, FBNIC_QUEUE_RIM_MASK, 0);
	tq_qwr(h, q, FBNIC_QUEUE_RCQ_CTL, FBNIC_QUEUE_RCQ_CTL_ENABLE);
}

/* Post n HPQ (ppq = false) or PPQ buffers: BD = buffer address | ID (ring index). */
static inline void
tq_rxq_post(struct tq_host *h, struct tq_rxq *r, bool ppq, uint32_t n)
{
	uint64_t *ring = ppq ? r->ppq : r->hpq;
	uint32_t *tail = ppq ? &r->ppq_tail : &r->hpq_tail;
	uint64_t base = ppq ? r->pbuf_iova : r->hbuf_iova;
	uint32_t i;

	for (i = 0; i < n; i++) {
		uint32_t id = *tail;

		ring[id] = ((base + (uint64_t)id * 4096) & FBNIC_BD_DESC_ADDR_MASK) |
			   FBNIC_FIELD_PREP(FBNIC_BD_DESC_ID_MASK, id);
		*tail = (id + 1) & (r->bdq_size - 1);
	}
	__atomic_thread_fence(__ATOMIC_RELEASE);
	tq_qwr(h, r->q, ppq ? FBNIC_QUEUE_BDQ_PPQ_TAIL : FBNIC_QUEUE_BDQ_HPQ_TAIL, *tail);
}

/* Host address of buffer id of the HPQ / PPQ. */
static inline uint8_t *
tq_rx_buf(struct tq_host *h, struct tq_rxq *r, bool ppq, uint32_t id)
{
	return tq_ptr(h, (ppq ? r->pbuf_iova : r->hbuf_iova) + (uint64_t)id * 4096);
}

#endif /* _TEST_QUEUE_HOST_H_ */
