/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

/*
 * Driver side of the model tests: registers and descriptors programmed the
 * way the Linux driver does (fbnic_hw.rst 4, 6), host memory from an arena.
 */

#include <endian.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fbm_harness.h"
#include "fbnic_fw.h"
#include "fbnic_tlv.h"

/* ---- Host services --------------------------------------------------------- */

void *
fbh_va(struct fbh *h, uint64_t iova, size_t len)
{
	uint64_t off;

	if (iova < FBH_IOVA_BASE || len == 0)
		return NULL;
	off = iova - FBH_IOVA_BASE;
	if (off >= h->mem_used || len > h->mem_used - off)
		return NULL;
	return h->mem + off;
}

static void *
fbh_host_dma_map(void *ctx, uint64_t iova, size_t len)
{
	return fbh_va(ctx, iova, len);
}

static void
fbh_host_msix(void *ctx, unsigned int vector)
{
	struct fbh *h = ctx;

	if (vector < FBM_MSIX_VECTORS)
		atomic_fetch_add(&h->msix[vector], 1);
}

static void
fbh_host_log(void *ctx, int level, const char *msg)
{
	struct fbh *h = ctx;

	if (level <= FBM_LOG_ERR)
		atomic_fetch_add(&h->log_errors, 1);
	if (!h->quiet && level <= FBM_LOG_WARNING)
		fprintf(stderr, "  [model] %s\n", msg);
}

void
fbh_config_default(struct fbm_config *cfg)
{
	fbm_config_init(cfg);
	cfg->virtual_time = true;
	cfg->virtual_start_ns = 1000000000ull;
}

int
fbh_init(struct fbh *h, const struct fbm_config *cfg, size_t mem_size)
{
	struct fbm_host_ops ops;
	int ret;

	memset(h, 0, sizeof(*h));
	if (cfg != NULL)
		h->cfg = *cfg;
	else
		fbh_config_default(&h->cfg);
	h->mem_size = mem_size != 0 ? mem_size : FBH_MEM_DEFAULT;
	if (posix_memalign((void **)&h->mem, FBH_PAGE, h->mem_size) != 0)
		return -ENOMEM;

	ops.ctx = h;
	ops.dma_map = fbh_host_dma_map;
	ops.msix = fbh_host_msix;
	ops.log = fbh_host_log;
	ret = fbm_create(&h->cfg, &ops, &h->dev);
	if (ret < 0) {
		free(h->mem);
		h->mem = NULL;
	}
	return ret;
}

void
fbh_fini(struct fbh *h)
{
	fbm_destroy(h->dev);
	h->dev = NULL;
	free(h->mem);
	h->mem = NULL;
}

void *
fbh_alloc(struct fbh *h, size_t len, size_t align, uint64_t *iova)
{
	size_t off;

	if (align == 0)
		align = 128;
	if ((align & (align - 1)) != 0 || len == 0)
		return NULL;
	off = (h->mem_used + align - 1) & ~(align - 1);
	if (off > h->mem_size || len > h->mem_size - off)
		return NULL;
	h->mem_used = off + len;
	memset(h->mem + off, 0, len);
	if (iova != NULL)
		*iova = FBH_IOVA_BASE + off;
	return h->mem + off;
}

uint32_t
fbh_rd(struct fbh *h, uint32_t idx)
{
	return fbm_read32(h->dev, 0, FBNIC_CSR_BYTE(idx));
}

void
fbh_wr(struct fbh *h, uint32_t idx, uint32_t val)
{
	fbm_write32(h->dev, 0, FBNIC_CSR_BYTE(idx), val);
}

uint32_t
fbh_rd4(struct fbh *h, uint32_t idx)
{
	return fbm_read32(h->dev, 4, FBNIC_CSR_BYTE(idx));
}

void
fbh_wr4(struct fbh *h, uint32_t idx, uint32_t val)
{
	fbm_write32(h->dev, 4, FBNIC_CSR_BYTE(idx), val);
}

void
fbh_flush(struct fbh *h)
{
	(void)fbh_rd(h, FBNIC_MASTER_SPARE_0);
}

unsigned int
fbh_poll(struct fbh *h)
{
	return fbm_poll(h->dev, FBH_POLL_BUDGET);
}

void
fbh_advance(struct fbh *h, uint64_t ns)
{
	if (h->cfg.virtual_time) {
		fbm_clock_advance(h->dev, ns);
	} else {
		struct timespec ts = {
			.tv_sec = (time_t)(ns / 1000000000u),
			.tv_nsec = (long)(ns % 1000000000u),
		};

		nanosleep(&ts, NULL);
	}
	fbh_poll(h);
}

uint64_t
fbh_msix_count(struct fbh *h, unsigned int vector)
{
	if (vector >= FBM_MSIX_VECTORS)
		return 0;
	return atomic_load(&h->msix[vector]);
}

/* ---- Mailbox --------------------------------------------------------------- */

#define FBH_MBX_STEP_NS		20000000ull	/* 20 ms */
#define FBH_MBX_TIMEOUT_NS	10000000000ull	/* 10 s */

static void
fbh_mbx_wr_desc(struct fbh *h, unsigned int mbx, unsigned int d, uint64_t desc)
{
	fbh_wr4(h, FBNIC_IPC_MBX(mbx, d) + 1, (uint32_t)(desc >> 32));
	(void)fbh_rd4(h, FBNIC_FW_ZERO_REG);
	fbh_wr4(h, FBNIC_IPC_MBX(mbx, d), (uint32_t)desc);
}

static uint64_t
fbh_mbx_rd_desc(struct fbh *h, unsigned int mbx, unsigned int d)
{
	uint64_t lo = fbh_rd4(h, FBNIC_IPC_MBX(mbx, d));

	return lo | (uint64_t)fbh_rd4(h, FBNIC_IPC_MBX(mbx, d) + 1) << 32;
}

/* Ring reset: stop the DMA direction, then a stop marker and skip entries. */
void
fbh_mbx_reset_ring(struct fbh *h, unsigned int mbx)
{
	unsigned int d;

	if (mbx == FBNIC_IPC_MBX_RX_IDX)
		fbh_wr(h, FBNIC_PUL_OB_TLP_HDR_AW_CFG, FBNIC_PUL_OB_TLP_HDR_AW_CFG_FLUSH |
		       FBNIC_PUL_OB_TLP_HDR_AW_CFG_FLUSH_MODE);
	else
		fbh_wr(h, FBNIC_PUL_OB_TLP_HDR_AR_CFG, FBNIC_PUL_OB_TLP_HDR_AR_CFG_FLUSH);
	fbh_flush(h);

	fbh_wr4(h, FBNIC_IPC_MBX(mbx, 0), 0);
	(void)fbh_rd4(h, FBNIC_FW_ZERO_REG);
	fbh_wr4(h, FBNIC_IPC_MBX(mbx, 0) + 1, 0);
	for (d = FBH_MBX_DESCS - 1; d > 0; d--) {
		fbh_wr4(h, FBNIC_IPC_MBX(mbx, d),
			FBNIC_IPC_MBX_DESC_FW_CMPL | FBNIC_IPC_MBX_DESC_HOST_CMPL);
		(void)fbh_rd4(h, FBNIC_FW_ZERO_REG);
		fbh_wr4(h, FBNIC_IPC_MBX(mbx, d) + 1, 0);
	}
	h->mbx[mbx].head = 0;
	h->mbx[mbx].tail = 0;
}

static int
fbh_mbx_buffers(struct fbh *h, unsigned int mbx)
{
	unsigned int d;

	for (d = 0; d < FBH_MBX_DESCS; d++) {
		if (h->mbx[mbx].buf[d] != NULL)
			continue;
		h->mbx[mbx].buf[d] = fbh_alloc(h, FBH_PAGE, FBH_PAGE, &h->mbx[mbx].iova[d]);
		if (h->mbx[mbx].buf[d] == NULL)
			return -ENOMEM;
	}
	return 0;
}

int
fbh_mbx_wait_ready(struct fbh *h)
{
	uint64_t waited;

	fbh_wr(h, FBNIC_INTR_SW_AC_MODE(0), ~1u);
	fbh_wr(h, FBNIC_INTR_CLEAR(0), 1u);
	fbh_mbx_reset_ring(h, FBNIC_IPC_MBX_RX_IDX);
	fbh_mbx_reset_ring(h, FBNIC_IPC_MBX_TX_IDX);

	for (waited = 0; waited <= FBH_MBX_TIMEOUT_NS; waited += FBH_MBX_STEP_NS) {
		fbh_mbx_reset_ring(h, FBNIC_IPC_MBX_TX_IDX);
		if (fbh_rd(h, FBNIC_INTR_STATUS(0)) & 1u) {
			fbh_wr(h, FBNIC_INTR_CLEAR(0), 1u);
			return 0;
		}
		fbh_advance(h, FBH_MBX_STEP_NS);
	}
	return -ETIMEDOUT;
}

/* Post a buffer at the tail (fbnic_hw.rst 6.2 "Post"). */
static int
fbh_mbx_map(struct fbh *h, unsigned int mbx, uint64_t iova, uint32_t len, bool eom)
{
	uint8_t t = h->mbx[mbx].tail;

	if (h->mbx[mbx].head == (t + 1) % FBH_MBX_DESCS)
		return -EBUSY;
	h->mbx[mbx].tail = (t + 1) % FBH_MBX_DESCS;
	fbh_wr4(h, FBNIC_IPC_MBX(mbx, h->mbx[mbx].tail), 0);
	fbh_mbx_wr_desc(h, mbx, t, FBNIC_FIELD_PREP(FBNIC_IPC_MBX_DESC_LEN_MASK, len) |
			(iova & FBNIC_IPC_MBX_DESC_ADDR_MASK) |
			(eom ? FBNIC_IPC_MBX_DESC_EOM : 0) | FBNIC_IPC_MBX_DESC_HOST_CMPL);
	return 0;
}

int
fbh_mbx_enable(struct fbh *h)
{
	unsigned int i;
	int ret;

	ret = fbh_mbx_buffers(h, FBNIC_IPC_MBX_RX_IDX);
	if (ret == 0)
		ret = fbh_mbx_buffers(h, FBNIC_IPC_MBX_TX_IDX);
	if (ret < 0)
		return ret;

	fbh_wr(h, FBNIC_PUL_OB_TLP_HDR_AW_CFG, FBNIC_PUL_OB_TLP_HDR_AW_CFG_BME);
	for (i = 0; i < FBH_MBX_DESCS - 1; i++) {
		uint8_t t = h->mbx[FBNIC_IPC_MBX_RX_IDX].tail;

		ret = fbh_mbx_map(h, FBNIC_IPC_MBX_RX_IDX, h->mbx[FBNIC_IPC_MBX_RX_IDX].iova[t],
				  FBH_PAGE, false);
		if (ret < 0)
			return ret;
	}
	fbh_wr(h, FBNIC_PUL_OB_TLP_HDR_AR_CFG, FBNIC_PUL_OB_TLP_HDR_AR_CFG_BME);
	return 0;
}

int
fbh_mbx_send(struct fbh *h, const void *msg, size_t len)
{
	uint8_t t = h->mbx[FBNIC_IPC_MBX_TX_IDX].tail;
	int ret;

	if (msg == NULL || len == 0 || len > FBH_PAGE || (len & 3) != 0)
		return -EINVAL;
	ret = fbh_mbx_buffers(h, FBNIC_IPC_MBX_TX_IDX);
	if (ret < 0)
		return ret;
	if (h->mbx[FBNIC_IPC_MBX_TX_IDX].head == (t + 1) % FBH_MBX_DESCS)
		return -EBUSY;
	memcpy(h->mbx[FBNIC_IPC_MBX_TX_IDX].buf[t], msg, len);
	return fbh_mbx_map(h, FBNIC_IPC_MBX_TX_IDX, h->mbx[FBNIC_IPC_MBX_TX_IDX].iova[t],
			   (uint32_t)len, true);
}

int
fbh_mbx_reap_tx(struct fbh *h)
{
	unsigned int mbx = FBNIC_IPC_MBX_TX_IDX;
	int n = 0;

	while (h->mbx[mbx].head != h->mbx[mbx].tail && n < (int)FBH_MBX_DESCS) {
		uint64_t desc = fbh_mbx_rd_desc(h, mbx, h->mbx[mbx].head);

		if (!(desc & FBNIC_IPC_MBX_DESC_FW_CMPL))
			break;
		if (desc & FBNIC_IPC_MBX_DESC_FW_ERR)
			h->mbx_tx_errors++;
		h->mbx[mbx].head = (h->mbx[mbx].head + 1) % FBH_MBX_DESCS;
		n++;
	}
	return n;
}

/* Give the buffer of RX slot head back to the firmware at the tail. */
static void
fbh_mbx_rx_recycle(struct fbh *h)
{
	unsigned int mbx = FBNIC_IPC_MBX_RX_IDX;
	uint8_t head = h->mbx[mbx].head, tail = h->mbx[mbx].tail;
	void *buf = h->mbx[mbx].buf[head];
	uint64_t iova = h->mbx[mbx].iova[head];

	fbh_wr4(h, FBNIC_IPC_MBX(mbx, head), 0);
	h->mbx[mbx].buf[head] = h->mbx[mbx].buf[tail];
	h->mbx[mbx].iova[head] = h->mbx[mbx].iova[tail];
	h->mbx[mbx].buf[tail] = buf;
	h->mbx[mbx].iova[tail] = iova;
	fbh_mbx_wr_desc(h, mbx, tail, FBNIC_FIELD_PREP(FBNIC_IPC_MBX_DESC_LEN_MASK, FBH_PAGE) |
			(iova & FBNIC_IPC_MBX_DESC_ADDR_MASK) | FBNIC_IPC_MBX_DESC_HOST_CMPL);
	h->mbx[mbx].head = (head + 1) % FBH_MBX_DESCS;
	h->mbx[mbx].tail = (tail + 1) % FBH_MBX_DESCS;
}

int
fbh_mbx_recv(struct fbh *h, void *buf, size_t cap)
{
	unsigned int mbx = FBNIC_IPC_MBX_RX_IDX;
	unsigned int n;

	for (n = 0; n < FBH_MBX_DESCS && h->mbx[mbx].head != h->mbx[mbx].tail; n++) {
		uint64_t desc = fbh_mbx_rd_desc(h, mbx, h->mbx[mbx].head);
		uint64_t len = FBNIC_FIELD_GET(FBNIC_IPC_MBX_DESC_LEN_MASK, desc);
		void *msg = h->mbx[mbx].buf[h->mbx[mbx].head];

		if (!(desc & FBNIC_IPC_MBX_DESC_FW_CMPL))
			return -EAGAIN;
		if (desc & FBNIC_IPC_MBX_DESC_FW_ERR) {
			h->mbx_rx_errors++;
			fbh_mbx_rx_recycle(h);
			continue;
		}
		if (len == 0) {
			fbh_mbx_rx_recycle(h);
			continue;
		}
		if (len > FBH_PAGE) {
			fbh_mbx_rx_recycle(h);
			return -EIO;
		}
		memcpy(buf, msg, len < cap ? len : cap);
		fbh_mbx_rx_recycle(h);
		return (int)len;
	}
	return -EAGAIN;
}

int
fbh_mbx_request(struct fbh *h, const void *req, size_t req_len, uint16_t resp_id,
		void *resp, size_t cap, uint64_t timeout_ns)
{
	uint64_t waited;
	int ret;

	ret = fbh_mbx_send(h, req, req_len);
	if (ret < 0)
		return ret;
	for (waited = 0; waited <= timeout_ns; waited += FBH_MBX_STEP_NS) {
		unsigned int n;

		fbh_advance(h, FBH_MBX_STEP_NS);
		fbh_mbx_reap_tx(h);
		for (n = 0; n < FBH_MBX_DESCS; n++) {
			uint16_t id;
			uint32_t mlen;

			ret = fbh_mbx_recv(h, resp, cap);
			if (ret == -EAGAIN)
				break;
			if (ret < 0)
				continue;
			if (fbnic_tlv_msg_peek(resp, (size_t)ret < cap ? (size_t)ret : cap,
					       &id, &mlen) == 0 && id == resp_id)
				return ret;
		}
	}
	return -ETIMEDOUT;
}

int
fbh_mbx_bringup(struct fbh *h)
{
	struct fbnic_tlv_builder b;
	uint8_t req[64];
	uint8_t *resp;
	uint64_t errs;
	int len, ret, tries;

	ret = fbh_mbx_wait_ready(h);
	if (ret < 0)
		return ret;
	ret = fbh_mbx_enable(h);
	if (ret < 0)
		return ret;

	resp = malloc(FBH_PAGE);
	if (resp == NULL)
		return -ENOMEM;
	fbnic_tlv_msg_init(&b, req, sizeof(req), FBNIC_TLV_MSG_ID_HOST_CAP_REQ);
	len = fbnic_tlv_msg_finish(&b);
	ret = len < 0 ? len : -ETIMEDOUT;
	for (tries = 0; len > 0 && tries < 3; tries++) {
		errs = h->mbx_tx_errors;
		ret = fbh_mbx_request(h, req, (size_t)len, FBNIC_TLV_MSG_ID_FW_CAP_RESP, resp,
				      FBH_PAGE, FBH_MBX_TIMEOUT_NS);
		if (ret >= 0 || h->mbx_tx_errors == errs)
			break;
	}
	free(resp);
	if (ret < 0)
		return ret;
	fbh_wr(h, FBNIC_INTR_MASK_CLEAR(0), 1u);
	return 0;
}

/* ---- Port ------------------------------------------------------------------ */

int
fbh_port_up(struct fbh *h, uint64_t max_ns)
{
	uint64_t waited;
	uint32_t cmd = fbh_rd(h, FBNIC_MAC_COMMAND_CONFIG);

	fbh_wr(h, FBNIC_MAC_COMMAND_CONFIG,
	       cmd | FBNIC_MAC_COMMAND_CONFIG_TX_ENA | FBNIC_MAC_COMMAND_CONFIG_RX_ENA);
	for (waited = 0; waited <= max_ns; waited += 1000000) {
		if (fbh_rd(h, FBNIC_SIG_PCS_OUT0) & FBNIC_SIG_PCS_OUT0_LINK)
			return 0;
		/* LINK is latched low: writing 1 reloads it (fbnic_hw.rst 8). */
		fbh_wr(h, FBNIC_SIG_PCS_OUT0, FBNIC_SIG_PCS_OUT0_LINK);
		if (fbh_rd(h, FBNIC_SIG_PCS_OUT0) & FBNIC_SIG_PCS_OUT0_LINK)
			return 0;
		fbh_advance(h, 1000000);
	}
	return -ETIMEDOUT;
}

void
fbh_rpc_default_queue(struct fbh *h, unsigned int qid)
{
	fbh_wr(h, FBNIC_RPC_ACT_TBL0_DEFAULT,
	       FBNIC_FIELD_PREP(FBNIC_RPC_ACT_TBL0_DEST_MASK, FBNIC_RPC_ACT_TBL0_DEST_HOST) |
	       FBNIC_RPC_ACT_TBL0_Q_SEL | FBNIC_FIELD_PREP(FBNIC_RPC_ACT_TBL0_Q_ID, qid));
	fbh_wr(h, FBNIC_RPC_ACT_TBL1_DEFAULT, 0);
	fbh_wr(h, FBNIC_RPC_RMI_CONFIG, FBNIC_FIELD_PREP(FBNIC_RPC_RMI_CONFIG_MTU, 9742) |
	       FBNIC_FIELD_PREP(FBNIC_RPC_RMI_CONFIG_OH_BYTES, 20) | FBNIC_RPC_RMI_CONFIG_ENABLE);
	fbh_flush(h);
}

/* ---- TX -------------------------------------------------------------------- */

static int
fbh_ring_alloc(struct fbh *h, struct fbh_ring *r, unsigned int log2_entries)
{
	if (log2_entries < 4 || log2_entries > 16)
		return -EINVAL;
	r->entries = 1u << log2_entries;
	r->va = fbh_alloc(h, (size_t)r->entries * 8, FBH_PAGE, &r->iova);
	return r->va == NULL ? -ENOMEM : 0;
}

/*
 * Descriptor memory is shared with the device thread: acquire loads and
 * release stores (plain moves on x86) order it like the barriers of a driver.
 */
static inline uint64_t
fbh_desc_rd(const struct fbh_ring *r, uint32_t i)
{
	const uint64_t *d = r->va;

	return le64toh(__atomic_load_n(&d[i & (r->entries - 1)], __ATOMIC_ACQUIRE));
}

static inline void
fbh_desc_wr(const struct fbh_ring *r, uint32_t i, uint64_t v)
{
	uint64_t *d = r->va;

	__atomic_store_n(&d[i & (r->entries - 1)], htole64(v), __ATOMIC_RELEASE);
}

int
fbh_txq_enable(struct fbh *h, struct fbh_txq *q, unsigned int qid, unsigned int log2_entries,
	       unsigned int vector)
{
	uint32_t base = FBNIC_QUEUE(qid);
	int ret;

	if (qid >= FBNIC_MAX_QUEUES)
		return -EINVAL;
	memset(q, 0, sizeof(*q));
	q->qid = qid;
	q->vector = vector;
	ret = fbh_ring_alloc(h, &q->twq, log2_entries);
	if (ret == 0)
		ret = fbh_ring_alloc(h, &q->tcq, log2_entries);
	if (ret < 0)
		return ret;
	q->last = fbh_alloc(h, q->twq.entries, 64, NULL);
	q->bufs = fbh_alloc(h, (size_t)q->twq.entries / 2 * FBH_TX_BUF, FBH_PAGE, &q->bufs_iova);
	if (q->last == NULL || q->bufs == NULL)
		return -ENOMEM;

	fbh_wr(h, base + FBNIC_QUEUE_TWQ0_CTL, FBNIC_QUEUE_TWQ_CTL_RESET);
	fbh_wr(h, base + FBNIC_QUEUE_TWQ0_BAL, (uint32_t)q->twq.iova);
	fbh_wr(h, base + FBNIC_QUEUE_TWQ0_BAH, (uint32_t)(q->twq.iova >> 32));
	fbh_wr(h, base + FBNIC_QUEUE_TWQ0_SIZE, log2_entries & 0xf);
	fbh_wr(h, base + FBNIC_QUEUE_TWQ0_CTL, FBNIC_QUEUE_TWQ_CTL_ENABLE);

	fbh_wr(h, base + FBNIC_QUEUE_TCQ_CTL, FBNIC_QUEUE_TCQ_CTL_RESET);
	fbh_wr(h, base + FBNIC_QUEUE_TCQ_BAL, (uint32_t)q->tcq.iova);
	fbh_wr(h, base + FBNIC_QUEUE_TCQ_BAH, (uint32_t)(q->tcq.iova >> 32));
	fbh_wr(h, base + FBNIC_QUEUE_TCQ_SIZE, log2_entries & 0xf);
	fbh_wr(h, base + FBNIC_QUEUE_TIM_CTL, vector & 0xff);
	fbh_wr(h, base + FBNIC_QUEUE_TIM_THRESHOLD, q->tcq.entries / 2 - 1);
	fbh_wr(h, base + FBNIC_QUEUE_TIM_MASK, 0);
	fbh_wr(h, base + FBNIC_QUEUE_TCQ_CTL, FBNIC_QUEUE_TCQ_CTL_ENABLE);
	fbh_flush(h);
	return 0;
}

void
fbh_txq_disable(struct fbh *h, struct fbh_txq *q)
{
	uint32_t base = FBNIC_QUEUE(q->qid);
	uint32_t ctl = fbh_rd(h, base + FBNIC_QUEUE_TWQ0_CTL);

	fbh_wr(h, base + FBNIC_QUEUE_TWQ0_CTL, ctl & ~FBNIC_QUEUE_TWQ_CTL_ENABLE);
	fbh_wr(h, base + FBNIC_QUEUE_TCQ_CTL, 0);
	fbh_wr(h, base + FBNIC_QUEUE_TIM_MASK, 1);
	fbh_flush(h);
}

uint32_t
fbh_tx_space(const struct fbh_txq *q)
{
	return q->twq.entries - 1 - (q->tail - q->head);
}

int
fbh_tx_post_iova(struct fbh *h, struct fbh_txq *q, uint64_t iova, uint32_t len,
		 uint64_t meta_extra)
{
	uint32_t mask = q->twq.entries - 1;

	(void)h;
	if (len == 0 || len > FBNIC_FIELD_GET(FBNIC_TWD_LEN_MASK, FBNIC_TWD_LEN_MASK))
		return -EINVAL;
	if (fbh_tx_space(q) < 2)
		return -ENOSPC;
	fbh_desc_wr(&q->twq, q->tail, meta_extra |
		    FBNIC_FIELD_PREP(FBNIC_TWD_TYPE_MASK, FBNIC_TWD_TYPE_META) |
		    FBNIC_TWD_FLAG_DEST_MAC | FBNIC_TWD_FLAG_REQ_COMPLETION);
	q->last[q->tail & mask] = 0;
	fbh_desc_wr(&q->twq, q->tail + 1,
		    FBNIC_FIELD_PREP(FBNIC_TWD_TYPE_MASK, FBNIC_TWD_TYPE_LAST_AL) |
		    FBNIC_FIELD_PREP(FBNIC_TWD_ADDR_MASK, iova) |
		    FBNIC_FIELD_PREP(FBNIC_TWD_LEN_MASK, len));
	q->last[(q->tail + 1) & mask] = 1;
	q->tail += 2;
	return 0;
}

int
fbh_tx_post(struct fbh *h, struct fbh_txq *q, const void *frame, uint32_t len,
	    uint64_t meta_extra)
{
	uint32_t slot = (q->tail >> 1) & (q->twq.entries / 2 - 1);

	if (frame == NULL || len == 0 || len > FBH_TX_BUF)
		return -EINVAL;
	if (fbh_tx_space(q) < 2)
		return -ENOSPC;
	memcpy(q->bufs + (size_t)slot * FBH_TX_BUF, frame, len);
	return fbh_tx_post_iova(h, q, q->bufs_iova + (uint64_t)slot * FBH_TX_BUF, len,
				meta_extra);
}

void
fbh_tx_doorbell(struct fbh *h, struct fbh_txq *q)
{
	atomic_thread_fence(memory_order_release);
	fbh_wr(h, FBNIC_QUEUE(q->qid) + FBNIC_QUEUE_TWQ0_TAIL, q->tail & (q->twq.entries - 1));
}

int
fbh_tx_send(struct fbh *h, struct fbh_txq *q, const void *frame, uint32_t len,
	    uint64_t meta_extra)
{
	int ret = fbh_tx_post(h, q, frame, len, meta_extra);

	if (ret == 0)
		fbh_tx_doorbell(h, q);
	return ret;
}

/* Move the host's view of the TWQ head to the NIC's (masked) head. */
static int
fbh_tx_advance_head(struct fbh_txq *q, uint32_t hw_head)
{
	uint32_t mask = q->twq.entries - 1;
	uint32_t n = (hw_head - q->head) & mask;
	int frames = 0;

	if (n > q->tail - q->head)
		return -EIO;	/* the NIC claims more than was posted */
	while (n-- > 0) {
		frames += q->last[q->head & mask];
		q->head++;
	}
	return frames;
}

int
fbh_tx_reap(struct fbh *h, struct fbh_txq *q)
{
	uint32_t log2 = __builtin_ctz(q->tcq.entries);
	unsigned int n;
	int frames = 0;

	for (n = 0; n < q->tcq.entries; n++) {
		uint64_t want = (q->tcq_head >> log2) & 1 ? 0 : FBNIC_TCD_DONE;
		uint64_t tcd = fbh_desc_rd(&q->tcq, q->tcq_head);
		int ret;

		if ((tcd & FBNIC_TCD_DONE) != want)
			break;
		atomic_thread_fence(memory_order_acquire);
		tcd = fbh_desc_rd(&q->tcq, q->tcq_head);

		switch (FBNIC_FIELD_GET(FBNIC_TCD_TYPE_MASK, tcd)) {
		case FBNIC_TCD_TYPE_0:
			if (tcd & FBNIC_TCD_TWQ1)
				break;
			ret = fbh_tx_advance_head(q, FBNIC_FIELD_GET(FBNIC_TCD_TYPE0_HEAD0_MASK,
								      tcd));
			if (ret < 0)
				return ret;
			frames += ret;
			break;
		case FBNIC_TCD_TYPE_1:
			q->ts_records++;
			q->last_ts = FBNIC_FIELD_GET(FBNIC_TCD_TYPE1_TS_MASK, tcd);
			break;
		default:
			break;
		}
		q->tcq_head++;
	}
	if (n != 0)
		fbh_wr(h, FBNIC_QUEUE(q->qid) + FBNIC_QUEUE_TCQ_HEAD,
		       q->tcq_head & (q->tcq.entries - 1));
	q->done_frames += frames;
	return frames;
}

/* ---- RX -------------------------------------------------------------------- */

void
fbh_rxq_conf_default(struct fbh_rxq_conf *conf)
{
	memset(conf, 0, sizeof(*conf));
	conf->log2_hpq = 8;
	conf->log2_ppq = 8;
	conf->log2_rcq = 10;
	conf->vector = 2;
	conf->max_hdr = 1536;
	conf->drop_mode = FBNIC_QUEUE_RDE_CTL0_DROP_NEVER;
}

static int
fbh_bdq_alloc(struct fbh *h, struct fbh_bdq *bdq, unsigned int log2_entries)
{
	int ret = fbh_ring_alloc(h, &bdq->ring, log2_entries);

	if (ret < 0)
		return ret;
	bdq->pages = fbh_alloc(h, (size_t)bdq->ring.entries * FBH_PAGE, FBH_PAGE,
			       &bdq->pages_iova);
	return bdq->pages == NULL ? -ENOMEM : 0;
}

/* Post every free slot but one; returns true if anything was posted. */
static bool
fbh_bdq_fill(struct fbh_bdq *bdq)
{
	uint32_t mask = bdq->ring.entries - 1;
	bool posted = false;

	while (bdq->tail - bdq->head < mask) {
		uint32_t id = bdq->tail & mask;
		uint64_t iova = bdq->pages_iova + (uint64_t)id * FBH_PAGE;

		fbh_desc_wr(&bdq->ring, bdq->tail, (iova & FBNIC_BD_PAGE_ADDR_MASK) |
			    FBNIC_FIELD_PREP(FBNIC_BD_PAGE_ID_MASK, id));
		bdq->tail++;
		posted = true;
	}
	return posted;
}

void
fbh_rx_refill(struct fbh *h, struct fbh_rxq *q)
{
	uint32_t base = FBNIC_QUEUE(q->qid);

	if (fbh_bdq_fill(&q->hpq)) {
		atomic_thread_fence(memory_order_release);
		fbh_wr(h, base + FBNIC_QUEUE_BDQ_HPQ_TAIL, q->hpq.tail & (q->hpq.ring.entries - 1));
	}
	if (q->ppq.ring.entries != 0 && fbh_bdq_fill(&q->ppq)) {
		atomic_thread_fence(memory_order_release);
		fbh_wr(h, base + FBNIC_QUEUE_BDQ_PPQ_TAIL, q->ppq.tail & (q->ppq.ring.entries - 1));
	}
}

int
fbh_rxq_enable(struct fbh *h, struct fbh_rxq *q, unsigned int qid,
	       const struct fbh_rxq_conf *conf)
{
	uint32_t base = FBNIC_QUEUE(qid);
	uint32_t ctl0;
	int ret;

	if (qid >= FBNIC_MAX_QUEUES)
		return -EINVAL;
	memset(q, 0, sizeof(*q));
	q->qid = qid;
	if (conf != NULL)
		q->conf = *conf;
	else
		fbh_rxq_conf_default(&q->conf);

	ret = fbh_bdq_alloc(h, &q->hpq, q->conf.log2_hpq);
	if (ret == 0 && q->conf.log2_ppq != 0)
		ret = fbh_bdq_alloc(h, &q->ppq, q->conf.log2_ppq);
	if (ret == 0)
		ret = fbh_ring_alloc(h, &q->rcq, q->conf.log2_rcq);
	if (ret < 0)
		return ret;

	fbh_wr(h, base + FBNIC_QUEUE_BDQ_CTL, FBNIC_QUEUE_BDQ_CTL_RESET);
	fbh_wr(h, base + FBNIC_QUEUE_BDQ_HPQ_BAL, (uint32_t)q->hpq.ring.iova);
	fbh_wr(h, base + FBNIC_QUEUE_BDQ_HPQ_BAH, (uint32_t)(q->hpq.ring.iova >> 32));
	fbh_wr(h, base + FBNIC_QUEUE_BDQ_HPQ_SIZE, q->conf.log2_hpq & 0xf);
	if (q->ppq.ring.entries != 0) {
		fbh_wr(h, base + FBNIC_QUEUE_BDQ_PPQ_BAL, (uint32_t)q->ppq.ring.iova);
		fbh_wr(h, base + FBNIC_QUEUE_BDQ_PPQ_BAH, (uint32_t)(q->ppq.ring.iova >> 32));
		fbh_wr(h, base + FBNIC_QUEUE_BDQ_PPQ_SIZE, q->conf.log2_ppq & 0xf);
	}
	fbh_wr(h, base + FBNIC_QUEUE_BDQ_CTL, FBNIC_QUEUE_BDQ_CTL_ENABLE |
	       (q->ppq.ring.entries != 0 ? FBNIC_QUEUE_BDQ_CTL_PPQ_ENABLE : 0));

	ctl0 = FBNIC_FIELD_PREP(FBNIC_QUEUE_RDE_CTL0_DROP_MODE_MASK, q->conf.drop_mode) |
	       FBNIC_FIELD_PREP(FBNIC_QUEUE_RDE_CTL0_MIN_HROOM_MASK, q->conf.hroom) |
	       FBNIC_FIELD_PREP(FBNIC_QUEUE_RDE_CTL0_MIN_TROOM_MASK, q->conf.troom) |
	       (q->conf.hdr_split ? FBNIC_QUEUE_RDE_CTL0_EN_HDR_SPLIT : 0);
	fbh_wr(h, base + FBNIC_QUEUE_RDE_CTL0, ctl0);
	fbh_wr(h, base + FBNIC_QUEUE_RDE_CTL1,
	       FBNIC_FIELD_PREP(FBNIC_QUEUE_RDE_CTL1_MAX_HDR_MASK, q->conf.max_hdr));
	fbh_wr(h, base + FBNIC_QUEUE_RCQ_CTL, FBNIC_QUEUE_RCQ_CTL_RESET);
	fbh_wr(h, base + FBNIC_QUEUE_RCQ_BAL, (uint32_t)q->rcq.iova);
	fbh_wr(h, base + FBNIC_QUEUE_RCQ_BAH, (uint32_t)(q->rcq.iova >> 32));
	fbh_wr(h, base + FBNIC_QUEUE_RCQ_SIZE, q->conf.log2_rcq & 0xf);
	fbh_wr(h, base + FBNIC_QUEUE_RIM_CTL, q->conf.vector & 0xff);
	fbh_wr(h, base + FBNIC_QUEUE_RIM_THRESHOLD, q->rcq.entries / 2 - 1);
	fbh_wr(h, base + FBNIC_QUEUE_RIM_MASK, 0);
	fbh_wr(h, base + FBNIC_QUEUE_RCQ_CTL, FBNIC_QUEUE_RCQ_CTL_ENABLE);
	fbh_flush(h);

	fbh_rx_refill(h, q);
	return 0;
}

void
fbh_rxq_disable(struct fbh *h, struct fbh_rxq *q)
{
	uint32_t base = FBNIC_QUEUE(q->qid);
	uint32_t ctl = fbh_rd(h, base + FBNIC_QUEUE_BDQ_CTL);

	fbh_wr(h, base + FBNIC_QUEUE_BDQ_CTL, ctl & ~FBNIC_QUEUE_BDQ_CTL_ENABLE);
	fbh_wr(h, base + FBNIC_QUEUE_RCQ_CTL, 0);
	fbh_wr(h, base + FBNIC_QUEUE_RIM_MASK, 1);
	fbh_flush(h);
}

/* The NIC now uses buffer id: every earlier one is done, id too if fin. */
static int
fbh_bdq_retire(struct fbh_bdq *bdq, uint32_t id, bool fin)
{
	uint32_t mask = bdq->ring.entries - 1;
	uint32_t n = ((id & mask) - bdq->head) & mask;

	if (n + (fin ? 1 : 0) > bdq->tail - bdq->head)
		return -EIO;
	bdq->head += n + (fin ? 1 : 0);
	return 0;
}

/* Copy LEN bytes at OFF of the buffer an AL descriptor names. */
static int
fbh_rx_copy(const struct fbh_bdq *bdq, uint64_t rcd, uint8_t *buf, size_t cap, uint32_t *pos)
{
	uint32_t id = FBNIC_FIELD_GET(FBNIC_RCD_AL_BUFF_ID_MASK, rcd);
	uint32_t len = FBNIC_FIELD_GET(FBNIC_RCD_AL_BUFF_LEN_MASK, rcd);
	uint32_t off = FBNIC_FIELD_GET(FBNIC_RCD_AL_BUFF_OFF_MASK, rcd);
	const uint8_t *src;

	if (bdq->ring.entries == 0 || id >= bdq->ring.entries || off + len > FBH_PAGE)
		return -EIO;
	src = bdq->pages + (size_t)id * FBH_PAGE + off;
	if (*pos < cap)
		memcpy(buf + *pos, src, len < cap - *pos ? len : cap - *pos);
	*pos += len;
	return 0;
}

static void
fbh_rx_meta(struct fbh_rx_info *info, uint64_t rcd)
{
	info->meta = rcd;
	info->rss_hash = FBNIC_FIELD_GET(FBNIC_RCD_META_RSS_HASH_MASK, rcd);
	info->l2_csum = FBNIC_FIELD_GET(FBNIC_RCD_META_L2_CSUM_MASK, rcd);
	info->l3_type = FBNIC_FIELD_GET(FBNIC_RCD_META_L3_TYPE_MASK, rcd);
	info->l4_type = FBNIC_FIELD_GET(FBNIC_RCD_META_L4_TYPE_MASK, rcd);
	info->l4_csum_ok = (rcd & FBNIC_RCD_META_L4_CSUM_UNNECESSARY) != 0;
	info->err_mac_eop = (rcd & FBNIC_RCD_META_ERR_MAC_EOP) != 0;
	info->err_truncated = (rcd & FBNIC_RCD_META_ERR_TRUNCATED_FRAME) != 0;
	info->err_parser = (rcd & FBNIC_RCD_META_ERR_PARSER) != 0;
}

static void
fbh_rx_opt_meta(struct fbh_rx_info *info, uint64_t rcd)
{
	info->opt_meta = rcd;
	info->ts_valid = (rcd & FBNIC_RCD_OPT_META_TS) != 0;
	info->ts = FBNIC_FIELD_GET(FBNIC_RCD_OPT_META_TS_MASK, rcd);
	info->act_valid = (rcd & FBNIC_RCD_OPT_META_ACTION) != 0;
	info->act_idx = FBNIC_FIELD_GET(FBNIC_RCD_OPT_META_ACTION_MASK, rcd);
}

int
fbh_rx_recv(struct fbh *h, struct fbh_rxq *q, void *buf, size_t cap, struct fbh_rx_info *info)
{
	uint32_t log2 = __builtin_ctz(q->rcq.entries);
	struct fbh_rx_info tmp;
	uint32_t head = q->rcq_head;
	uint32_t pos = 0;
	bool have_hdr = false;
	unsigned int n;

	if (info == NULL)
		info = &tmp;
	memset(info, 0, sizeof(*info));

	for (n = 0; n < q->rcq.entries; n++, head++) {
		uint64_t want = (head >> log2) & 1 ? 0 : FBNIC_RCD_DONE;
		uint64_t rcd = fbh_desc_rd(&q->rcq, head);

		if ((rcd & FBNIC_RCD_DONE) != want)
			return -EAGAIN;	/* frame not complete yet */
		atomic_thread_fence(memory_order_acquire);
		rcd = fbh_desc_rd(&q->rcq, head);
		info->ncd++;

		switch (FBNIC_FIELD_GET(FBNIC_RCD_TYPE_MASK, rcd)) {
		case FBNIC_RCD_TYPE_HDR_AL:
			if (have_hdr || fbh_rx_copy(&q->hpq, rcd, buf, cap, &pos) < 0)
				return -EIO;
			have_hdr = true;
			info->hdr_al = rcd;
			info->hdr_len = pos;
			break;
		case FBNIC_RCD_TYPE_PAY_AL:
			if (!have_hdr || fbh_rx_copy(&q->ppq, rcd, buf, cap, &pos) < 0)
				return -EIO;
			info->npay++;
			break;
		case FBNIC_RCD_TYPE_OPT_META:
			fbh_rx_opt_meta(info, rcd);
			break;
		default:	/* META: the frame is complete */
			if (!have_hdr)
				return -EIO;
			fbh_rx_meta(info, rcd);
			info->len = pos;
			goto complete;
		}
	}
	return -EAGAIN;

complete:
	/* Retire buffers only now that the whole frame was copied. */
	for (head = q->rcq_head; head != q->rcq_head + info->ncd; head++) {
		uint64_t rcd = fbh_desc_rd(&q->rcq, head);
		unsigned int type = FBNIC_FIELD_GET(FBNIC_RCD_TYPE_MASK, rcd);
		bool fin = (rcd & FBNIC_RCD_AL_PAGE_FIN) != 0;
		uint32_t id = FBNIC_FIELD_GET(FBNIC_RCD_AL_BUFF_ID_MASK, rcd);

		if (type == FBNIC_RCD_TYPE_HDR_AL && fbh_bdq_retire(&q->hpq, id, fin) < 0)
			return -EIO;
		if (type == FBNIC_RCD_TYPE_PAY_AL && fbh_bdq_retire(&q->ppq, id, fin) < 0)
			return -EIO;
	}
	q->rcq_head += info->ncd;
	q->frames++;
	fbh_wr(h, FBNIC_QUEUE(q->qid) + FBNIC_QUEUE_RCQ_HEAD, q->rcq_head & (q->rcq.entries - 1));
	fbh_rx_refill(h, q);
	return (int)info->len;
}

int
fbh_rx_drain(struct fbh *h, struct fbh_rxq *q, unsigned int max, uint64_t *bytes)
{
	uint32_t log2 = __builtin_ctz(q->rcq.entries);
	uint32_t head, end = q->rcq_head;
	unsigned int frames = 0, n;

	/* Pass 1: the extent of the complete frames. */
	head = q->rcq_head;
	for (n = 0; n < q->rcq.entries && frames < max; n++, head++) {
		uint64_t want = (head >> log2) & 1 ? 0 : FBNIC_RCD_DONE;
		uint64_t rcd = fbh_desc_rd(&q->rcq, head);

		if ((rcd & FBNIC_RCD_DONE) != want)
			break;
		if (FBNIC_FIELD_GET(FBNIC_RCD_TYPE_MASK, rcd) == FBNIC_RCD_TYPE_META) {
			frames++;
			end = head + 1;
		}
	}
	if (frames == 0)
		return 0;
	atomic_thread_fence(memory_order_acquire);

	/* Pass 2: retire the buffers of those frames. */
	for (head = q->rcq_head; head != end; head++) {
		uint64_t rcd = fbh_desc_rd(&q->rcq, head);
		bool fin = (rcd & FBNIC_RCD_AL_PAGE_FIN) != 0;
		uint32_t id = FBNIC_FIELD_GET(FBNIC_RCD_AL_BUFF_ID_MASK, rcd);
		uint32_t len = FBNIC_FIELD_GET(FBNIC_RCD_AL_BUFF_LEN_MASK, rcd);

		switch (FBNIC_FIELD_GET(FBNIC_RCD_TYPE_MASK, rcd)) {
		case FBNIC_RCD_TYPE_HDR_AL:
			if (fbh_bdq_retire(&q->hpq, id, fin) < 0)
				return -EIO;
			break;
		case FBNIC_RCD_TYPE_PAY_AL:
			if (q->ppq.ring.entries == 0 || fbh_bdq_retire(&q->ppq, id, fin) < 0)
				return -EIO;
			break;
		default:
			len = 0;
			break;
		}
		if (bytes != NULL)
			*bytes += len;
	}
	q->rcq_head = end;
	q->frames += frames;
	fbh_wr(h, FBNIC_QUEUE(q->qid) + FBNIC_QUEUE_RCQ_HEAD, q->rcq_head & (q->rcq.entries - 1));
	fbh_rx_refill(h, q);
	return (int)frames;
}

/* ---- Whole port ------------------------------------------------------------ */

int
fbh_port_open(struct fbh *h, struct fbh_txq *txq, struct fbh_rxq *rxq, unsigned int qid)
{
	int ret;

	ret = fbh_mbx_bringup(h);
	if (ret == 0)
		ret = fbh_port_up(h, 5000000000ull);
	if (ret == 0 && txq != NULL)
		ret = fbh_txq_enable(h, txq, qid, 10, 2);
	if (ret == 0 && rxq != NULL)
		ret = fbh_rxq_enable(h, rxq, qid, NULL);
	if (ret == 0 && rxq != NULL)
		fbh_rpc_default_queue(h, qid);
	return ret;
}

int
fbh_rx_wait(struct fbh *h, struct fbh_rxq *q, void *buf, size_t cap,
	    struct fbh_rx_info *info, unsigned int max_polls)
{
	unsigned int i;
	int ret = -EAGAIN;

	for (i = 0; i < max_polls; i++) {
		ret = fbh_rx_recv(h, q, buf, cap, info);
		if (ret != -EAGAIN)
			return ret;
		if (h->cfg.virtual_time)
			fbh_advance(h, 1000);
		else
			fbh_poll(h);
	}
	return ret;
}

void
fbh_dsn_to_mac(uint64_t dsn, uint8_t mac[6])
{
	mac[0] = (uint8_t)(dsn >> 56);
	mac[1] = (uint8_t)(dsn >> 48);
	mac[2] = (uint8_t)(dsn >> 40);
	mac[3] = (uint8_t)(dsn >> 16);
	mac[4] = (uint8_t)(dsn >> 8);
	mac[5] = (uint8_t)dsn;
}
