/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

/*
 * RX engine: places a classified frame in the queue's HPQ/PPQ buffers and
 * reports it in the RCQ (fbnic_hw.rst 2 "Header split" / "Buffer packing",
 * 3.3, 3.4, 4.3).
 *
 * Placement, per frame:
 *  - the first min(len, MAX_HDR) bytes (with EN_HDR_SPLIT: the bytes up to the
 *    split point the DMA hint names, capped at MAX_HDR) go to the current HPQ
 *    buffer, PADLEN bytes after OFF; the first frame of a buffer starts at
 *    align128(MIN_HROOM), the next at align128(OFF + LEN + MIN_TROOM + MIN_HROOM);
 *  - a buffer that could not take one more header of the largest size is
 *    finished: its last HDR_AL carries PAGE_FIN, so every HPQ buffer ends
 *    with PAGE_FIN;
 *  - the rest goes to PPQ buffers in 128-byte granules, one PAY_AL per buffer
 *    touched; a PAY_AL that fills its buffer carries PAGE_FIN. With
 *    PAYLD_PACK ALL or RSS the next frame's payload follows in the same
 *    buffer; with PAYLD_PACK NONE it starts a fresh buffer at offset 0, and
 *    the last PAY_AL of every frame carries PAGE_FIN (inferred from the
 *    field's name: Linux programs NONE and accepts either layout);
 *  - a frame that needs a PPQ buffer on a queue whose PPQ is disabled is
 *    dropped as an error: it can never be placed.
 * A frame is placed completely or not at all: buffers and RCQ room are
 * checked first, and the frame's first RCD is written last.
 */

#include <endian.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fbm_queue.h"

#define RCD_TYPE(t)	FBNIC_FIELD_PREP(FBNIC_RCD_TYPE_MASK, FBNIC_RCD_TYPE_##t)

/* Decode RDE_CTL0/1 once per write (fbm_queue.c) rather than per frame. */
void
fbm_rx_cfg_update(struct fbm_queue *q)
{
	struct fbm_rx_cfg *c = &q->rx_cfg;
	uint32_t room;

	c->hroom = FBNIC_FIELD_GET(FBNIC_QUEUE_RDE_CTL0_MIN_HROOM_MASK, q->rde_ctl0);
	c->troom = FBNIC_FIELD_GET(FBNIC_QUEUE_RDE_CTL0_MIN_TROOM_MASK, q->rde_ctl0);
	c->split = q->rde_ctl0 & FBNIC_QUEUE_RDE_CTL0_EN_HDR_SPLIT;
	c->pad = FBNIC_FIELD_GET(FBNIC_QUEUE_RDE_CTL1_PADLEN_MASK, q->rde_ctl1);
	c->max_hdr = FBNIC_FIELD_GET(FBNIC_QUEUE_RDE_CTL1_MAX_HDR_MASK, q->rde_ctl1);
	c->pack = FBNIC_FIELD_GET(FBNIC_QUEUE_RDE_CTL1_PAYLD_PACK_MASK, q->rde_ctl1) !=
		  FBNIC_QUEUE_RDE_CTL1_PAYLD_PACK_NONE;
	c->first_off = fbm_align128(c->hroom);
	if (c->first_off + c->pad + c->troom >= FBM_BUF_SIZE) {
		/* rooms larger than the buffer: ignore them rather than loop */
		c->first_off = 0;
		c->hroom = 0;
		c->troom = 0;
	}
	room = FBM_BUF_SIZE - c->first_off - c->pad - c->troom;
	if (c->max_hdr > room)
		c->max_hdr = room;
}

/* ---- split point for EN_HDR_SPLIT ---- */

static uint32_t
fbm_rx_l3_end(const uint8_t *f, uint32_t len, uint32_t off, uint16_t etype, uint8_t *proto)
{
	uint32_t ihl, i;
	uint8_t nh;

	if (etype == 0x0800) {
		if (off + 20 > len)
			return 0;
		ihl = (f[off] & 0xf) * 4u;
		if (ihl < 20 || off + ihl > len)
			return 0;
		*proto = f[off + 9];
		return off + ihl;
	}
	if (etype != 0x86dd || off + 40 > len)
		return 0;
	nh = f[off + 6];
	off += 40;
	/* extension headers, bounded */
	for (i = 0; i < 8; i++) {
		uint32_t hl;

		if (nh == 0 || nh == 43 || nh == 60) {
			if (off + 8 > len)
				return 0;
			hl = (f[off + 1] + 1u) * 8;
		} else if (nh == 44) {
			hl = 8;
		} else if (nh == 51) {
			if (off + 8 > len)
				return 0;
			hl = (f[off + 1] + 2u) * 4;
		} else {
			break;
		}
		if (off + hl > len)
			return 0;
		nh = f[off];
		off += hl;
	}
	*proto = nh;
	return off;
}

/* Bytes up to the end of the header the DMA hint names (0: none found). */
static uint32_t
fbm_rx_split_point(const uint8_t *f, uint32_t len, uint8_t hint)
{
	uint32_t l2 = 14, l3, l4 = 0, i;
	uint16_t etype;
	uint8_t proto = 0;

	if (hint == FBNIC_RCD_HDR_AL_DMA_HINT_NONE || len < 14)
		return 0;
	etype = (uint16_t)(f[12] << 8 | f[13]);
	for (i = 0; i < 2 && (etype == 0x8100 || etype == 0x88a8 || etype == 0x9100); i++) {
		if (l2 + 4 > len)
			return l2;
		etype = (uint16_t)(f[l2 + 2] << 8 | f[l2 + 3]);
		l2 += 4;
	}
	if (hint & FBNIC_RCD_HDR_AL_DMA_HINT_L2)
		return l2;
	l3 = fbm_rx_l3_end(f, len, l2, etype, &proto);
	if (l3 == 0)
		return l2;
	if (proto == 41 || proto == 4) {
		/* IP in IP: the inner header counts as L3 */
		uint32_t inner = fbm_rx_l3_end(f, len, l3, proto == 41 ? 0x86dd : 0x0800, &proto);

		if (inner)
			l3 = inner;
	}
	if (hint & FBNIC_RCD_HDR_AL_DMA_HINT_L3)
		return l3;
	if (proto == 6 && l3 + 20 <= len)
		l4 = l3 + (f[l3 + 12] >> 4) * 4u;
	else if (proto == 17 && l3 + 8 <= len)
		l4 = l3 + 8;
	if (l4 == 0 || l4 > len)
		return l3;
	return l4;
}

/* ---- placement ---- */

struct fbm_rx_plan {
	uint32_t hdr_len;
	uint32_t hdr_off;
	uint32_t n_pay;
	uint32_t pay_new;	/* PPQ buffers to take */
	uint32_t n_rcd;
	bool hdr_new;
	bool overflow;
};

static inline uint32_t
fbm_bdq_avail(const struct fbm_qring *r)
{
	return ((fbm_db_load(&r->db) & r->mask) - r->head) & r->mask;
}

/* Take the next BD of an HPQ/PPQ and map its buffer. */
static int
fbm_bdq_take(struct fbm_dev *dev, struct fbm_qring *r, struct fbm_rx_buf *b)
{
	uint64_t bd;
	uint8_t *va;

	if (r->desc == NULL && !fbm_ring_map(dev, r, false))
		return -EIO;
	bd = le64toh(__atomic_load_n(&r->desc[r->head], __ATOMIC_RELAXED));
	va = fbm_dma_map(dev, bd & FBNIC_BD_DESC_ADDR_MASK, FBM_BUF_SIZE, true);
	if (va == NULL)
		return -EIO;
	r->head = (r->head + 1) & r->mask;
	b->va = va;
	b->id = (uint16_t)FBNIC_FIELD_GET(FBNIC_BD_DESC_ID_MASK, bd);
	b->off = 0;
	b->valid = true;
	return 0;
}

static int
fbm_rx_plan(const struct fbm_queue *q, const struct fbm_rx_cfg *c, const uint8_t *frame,
	    uint32_t len, const struct fbm_rx_meta *meta, struct fbm_rx_plan *p)
{
	uint32_t rem, off, cut;

	p->overflow = false;
	p->hdr_len = len < c->max_hdr ? len : c->max_hdr;
	if (c->split) {
		cut = fbm_rx_split_point(frame, len, meta->dma_hint);
		if (cut > c->max_hdr)
			p->overflow = true;
		else if (cut)
			p->hdr_len = cut;
	}

	p->hdr_new = !q->hdr.valid ||
		     q->hdr.off + c->pad + p->hdr_len + c->troom > FBM_BUF_SIZE;
	p->hdr_off = p->hdr_new ? c->first_off : q->hdr.off;

	rem = len - p->hdr_len;
	p->n_pay = 0;
	p->pay_new = 0;
	if (rem) {
		if (!q->ppq.running)
			return -EMSGSIZE;
		off = q->pay.valid && c->pack ? q->pay.off : FBM_BUF_SIZE;
		while (rem) {
			uint32_t chunk;

			if (off >= FBM_BUF_SIZE) {
				p->pay_new++;
				off = 0;
			}
			chunk = FBM_BUF_SIZE - off < rem ? FBM_BUF_SIZE - off : rem;
			off += fbm_align128(chunk);
			rem -= chunk;
			p->n_pay++;
		}
	}
	p->n_rcd = 2 + p->n_pay + (meta->ts_valid || meta->act_valid);
	if (p->n_rcd > FBM_RX_MAX_RCD)
		return -EMSGSIZE;
	return 0;
}

static uint64_t
fbm_rcd_meta(const struct fbm_rx_meta *meta)
{
	uint64_t d = RCD_TYPE(META);

	d |= FBNIC_FIELD_PREP(FBNIC_RCD_META_RSS_HASH_MASK, meta->rss_hash);
	d |= FBNIC_FIELD_PREP(FBNIC_RCD_META_L2_CSUM_MASK, meta->l2_csum);
	d |= FBNIC_FIELD_PREP(FBNIC_RCD_META_L3_TYPE_MASK, meta->l3_type);
	d |= FBNIC_FIELD_PREP(FBNIC_RCD_META_L4_TYPE_MASK, meta->l4_type);
	if (meta->l4_csum_ok)
		d |= FBNIC_RCD_META_L4_CSUM_UNNECESSARY;
	if (meta->parser_err)
		d |= FBNIC_RCD_META_ERR_PARSER;
	return d;
}

/* Take and map every new buffer of a plan; on failure nothing is consumed. */
static int
fbm_rx_take(struct fbm_dev *dev, struct fbm_queue *q, const struct fbm_rx_plan *p,
	    struct fbm_rx_buf *nbuf)
{
	uint32_t h0 = q->hpq.head, p0 = q->ppq.head;
	uint32_t i, n = 0;
	int rc = 0;

	if (p->hdr_new)
		rc = fbm_bdq_take(dev, &q->hpq, &nbuf[n++]);
	for (i = 0; rc == 0 && i < p->pay_new; i++)
		rc = fbm_bdq_take(dev, &q->ppq, &nbuf[n++]);
	if (rc) {
		q->hpq.head = h0;
		q->ppq.head = p0;
	}
	return rc;
}

/*
 * Place one frame. Returns 0, -ENOBUFS (no HPQ/PPQ buffer), -ENOSPC (no RCQ
 * room) or -EIO (DMA fault); nothing is consumed unless it returns 0.
 */
/*
 * FBM_FAULT_RCQ_FORGE: completions no frame stands behind, with the DONE bit
 * of the current pass, just beyond the tail, which stays where it is. A
 * host that trusts DONE alone takes them and runs ahead of the device.
 */
#define FBM_RCQ_FORGED	4

static void
fbm_rx_forge_cmpl(struct fbm_qring *rcq)
{
	uint32_t n;

	if (fbm_cmpl_room(rcq) <= FBM_RCQ_FORGED)
		return;
	for (n = 0; n < FBM_RCQ_FORGED; n++)
		fbm_desc_store(&rcq->desc[(rcq->tail + n) & rcq->mask],
			       htole64(RCD_TYPE(META) | fbm_cmpl_done(rcq, rcq->tail + n)), true);
}

static int
fbm_rx_place(struct fbm_dev *dev, struct fbm_queue *q, const uint8_t *frame, uint32_t len,
	     const struct fbm_rx_meta *meta)
{
	struct fbm_qring *rcq = &q->rcq;
	uint64_t rcd[FBM_RX_MAX_RCD];
	struct fbm_rx_buf nbuf[FBM_RX_MAX_RCD];
	const struct fbm_rx_cfg c = q->rx_cfg;
	struct fbm_rx_plan p;
	uint32_t i, n, rem, hlen, next, done_bit;
	struct fbm_rx_buf *pb;
	int rc;

	rc = fbm_rx_plan(q, &c, frame, len, meta, &p);
	if (rc)
		return rc;

	if (fbm_bdq_avail(&q->hpq) < p.hdr_new || fbm_bdq_avail(&q->ppq) < p.pay_new)
		return -ENOBUFS;
	if (fbm_cmpl_room(rcq) < p.n_rcd)
		return -ENOSPC;
	if (rcq->desc == NULL && !fbm_ring_map(dev, rcq, true))
		return -EIO;

	rc = fbm_rx_take(dev, q, &p, nbuf);
	if (rc)
		return rc;
	n = 0;
	if (p.hdr_new)
		q->hdr = nbuf[n++];

	/* header part */
	hlen = c.pad + p.hdr_len;
	if (c.pad)
		memset(q->hdr.va + p.hdr_off, 0, c.pad);
	memcpy(q->hdr.va + p.hdr_off + c.pad, frame, p.hdr_len);
	next = fbm_align128(p.hdr_off + hlen + c.troom + c.hroom);
	rcd[0] = RCD_TYPE(HDR_AL) |
		 FBNIC_FIELD_PREP(FBNIC_RCD_AL_BUFF_ID_MASK, q->hdr.id) |
		 FBNIC_FIELD_PREP(FBNIC_RCD_AL_BUFF_LEN_MASK, hlen) |
		 FBNIC_FIELD_PREP(FBNIC_RCD_AL_BUFF_OFF_MASK, p.hdr_off);
	if (c.split)
		rcd[0] |= FBNIC_FIELD_PREP(FBNIC_RCD_HDR_AL_DMA_HINT_MASK, meta->dma_hint);
	if (p.overflow)
		rcd[0] |= FBNIC_RCD_HDR_AL_OVERFLOW;
	/* finish the buffer when the largest header would not fit any more */
	if (next + c.pad + c.max_hdr + c.troom > FBM_BUF_SIZE) {
		rcd[0] |= FBNIC_RCD_AL_PAGE_FIN;
		q->hdr.valid = false;
	} else {
		q->hdr.off = next;
	}

	/* payload part */
	rem = len - p.hdr_len;
	frame += p.hdr_len;
	for (i = 1; rem; i++) {
		uint32_t chunk, off;

		pb = &q->pay;
		if (!pb->valid || pb->off >= FBM_BUF_SIZE || (i == 1 && !c.pack))
			*pb = nbuf[n++];
		off = pb->off;
		chunk = FBM_BUF_SIZE - off < rem ? FBM_BUF_SIZE - off : rem;
		memcpy(pb->va + off, frame, chunk);
		frame += chunk;
		rem -= chunk;
		pb->off = off + fbm_align128(chunk);
		rcd[i] = RCD_TYPE(PAY_AL) |
			 FBNIC_FIELD_PREP(FBNIC_RCD_AL_BUFF_ID_MASK, pb->id) |
			 FBNIC_FIELD_PREP(FBNIC_RCD_AL_BUFF_LEN_MASK, chunk) |
			 FBNIC_FIELD_PREP(FBNIC_RCD_AL_BUFF_OFF_MASK, off);
		if (pb->off >= FBM_BUF_SIZE || (rem == 0 && !c.pack)) {
			rcd[i] |= FBNIC_RCD_AL_PAGE_FIN;
			pb->valid = false;
		}
	}
	if (meta->ts_valid || meta->act_valid) {
		rcd[i] = RCD_TYPE(OPT_META);
		if (meta->ts_valid)
			rcd[i] |= FBNIC_RCD_OPT_META_TS |
				  FBNIC_FIELD_PREP(FBNIC_RCD_OPT_META_TS_MASK, meta->ts);
		if (meta->act_valid)
			rcd[i] |= FBNIC_RCD_OPT_META_ACTION |
				  FBNIC_FIELD_PREP(FBNIC_RCD_OPT_META_ACTION_MASK, meta->act_idx);
		i++;
	}
	rcd[i++] = fbm_rcd_meta(meta);

	/* the first RCD goes last so that the host never sees half a frame */
	for (n = 1; n < i; n++) {
		done_bit = rcq->tail + n;
		fbm_desc_store(&rcq->desc[done_bit & rcq->mask],
			       htole64(rcd[n] | fbm_cmpl_done(rcq, done_bit)), false);
	}
	fbm_desc_store(&rcq->desc[rcq->tail & rcq->mask],
		       htole64(rcd[0] | fbm_cmpl_done(rcq, rcq->tail)), true);
	rcq->tail += i;
	if (fbm_fault_active(dev, FBM_FAULT_RCQ_FORGE))
		fbm_rx_forge_cmpl(rcq);
	/* frame bytes were accounted when their buffers were mapped */
	dev->queue->dma_wr_bytes += i * sizeof(uint64_t);

	q->rde_pkt_cnt++;
	if (meta->parser_err)
		q->rde_pkt_err_cnt++;
	fbm_moder_add(dev, q, &q->rim, i);
	return 0;
}

/* ---- frames held while the queue has no room (DROP_MODE wait / never) ---- */

static void
fbm_rx_count_drop(struct fbm_queue *q, int rc)
{
	if (rc == -ENOSPC)
		q->rde_cq_drop_cnt++;
	else if (rc == -ENOBUFS)
		q->rde_bdq_drop_cnt++;
	else if (rc == -EMSGSIZE)
		q->rde_pkt_err_cnt++;	/* needs more completions than a frame may have */
}

void
fbm_rx_hold_free(struct fbm_queue *q)
{
	if (q->hold == NULL)
		return;
	free(q->hold->data);
	free(q->hold);
	q->hold = NULL;
}

/* Drop every held frame (queue stopped or reset). */
void
fbm_rx_hold_flush(struct fbm_queue_state *qs, struct fbm_queue *q)
{
	struct fbm_rx_hold *h = q->hold;

	if (h == NULL || h->count == 0)
		return;
	qs->held_bytes -= h->data_tail - h->data_head;
	h->count = 0;
	h->head = 0;
	h->data_head = 0;
	h->data_tail = 0;
	qs->nr_holding--;
}

static struct fbm_rx_hold *
fbm_rx_hold_get(struct fbm_queue *q)
{
	struct fbm_rx_hold *h;

	if (q->hold)
		return q->hold;
	h = calloc(1, sizeof(*h));
	if (h == NULL)
		return NULL;
	h->data = malloc(FBM_RX_HOLD_BYTES);
	if (h->data == NULL) {
		free(h);
		return NULL;
	}
	q->hold = h;
	return h;
}

/*
 * Queue a frame behind the held ones; false when the RX buffer is full.
 * Frame bytes go to a byte ring; a frame never wraps (the tail end of the
 * ring is skipped instead), so the space a frame takes is its length plus
 * any skipped bytes.
 */
static bool
fbm_rx_hold_push(struct fbm_dev *dev, struct fbm_queue_state *qs, struct fbm_queue *q,
		 const uint8_t *frame, uint32_t len, const struct fbm_rx_meta *meta)
{
	struct fbm_rx_hold *h = fbm_rx_hold_get(q);
	uint32_t pos, skip, need, s;

	if (h == NULL || h->count == FBM_RX_HOLD_SLOTS)
		return false;
	pos = h->data_tail % FBM_RX_HOLD_BYTES;
	skip = pos + len > FBM_RX_HOLD_BYTES ? FBM_RX_HOLD_BYTES - pos : 0;
	need = skip + len;
	if (h->data_tail - h->data_head + need > FBM_RX_HOLD_BYTES ||
	    qs->held_bytes + need > FBM_RX_HOLD_BYTES)
		return false;
	s = (h->head + h->count) & (FBM_RX_HOLD_SLOTS - 1);
	h->slot[s].off = skip ? 0 : pos;
	memcpy(h->data + h->slot[s].off, frame, len);
	h->data_tail += need;
	qs->held_bytes += need;
	h->slot[s].len = len;
	h->slot[s].end = h->data_tail;
	h->slot[s].meta = *meta;
	h->slot[s].since_ns = fbm_now_ns(dev);
	if (h->count++ == 0)
		qs->nr_holding++;
	return true;
}

static void
fbm_rx_hold_pop(struct fbm_queue_state *qs, struct fbm_queue *q)
{
	struct fbm_rx_hold *h = q->hold;
	uint32_t end = h->slot[h->head].end;

	qs->held_bytes -= end - h->data_head;
	h->data_head = end;
	h->head = (h->head + 1) & (FBM_RX_HOLD_SLOTS - 1);
	if (--h->count == 0) {
		qs->nr_holding--;
		h->data_head = 0;
		h->data_tail = 0;
	}
}

static unsigned int
fbm_rx_drop_mode(const struct fbm_queue *q)
{
	return FBNIC_FIELD_GET(FBNIC_QUEUE_RDE_CTL0_DROP_MODE_MASK, q->rde_ctl0);
}

/* Deliver held frames in order; in wait mode drop those that waited too long. */
static void
fbm_rx_hold_drain(struct fbm_dev *dev, struct fbm_queue_state *qs, struct fbm_queue *q,
		  uint64_t now_ns)
{
	struct fbm_rx_hold *h = q->hold;
	unsigned int guard;

	if (!fbm_dma_enabled(dev, true) || fbm_fault_active(dev, FBM_FAULT_DMA))
		return;
	for (guard = 0; h && h->count && guard < FBM_RX_HOLD_SLOTS; guard++) {
		unsigned int s = h->head;
		int rc = fbm_rx_place(dev, q, h->data + h->slot[s].off, h->slot[s].len,
				      &h->slot[s].meta);

		if (rc == 0 || rc == -EIO || rc == -EMSGSIZE) {
			fbm_rx_count_drop(q, rc);
			fbm_rx_hold_pop(qs, q);
			continue;
		}
		if (fbm_rx_drop_mode(q) == FBNIC_QUEUE_RDE_CTL0_DROP_NEVER ||
		    now_ns - h->slot[s].since_ns < FBM_RX_WAIT_NS)
			break;
		fbm_rx_count_drop(q, rc);
		fbm_rx_hold_pop(qs, q);
	}
}

/*
 * How full the RX buffer is: the bytes held, or the fullest queue's share of
 * its frame slots scaled to the buffer's bytes, whichever is more (small
 * frames run out of slots before bytes).
 */
uint32_t
fbm_rx_hold_fill(const struct fbm_queue_state *qs)
{
	uint32_t most = 0, i, by_slots;

	for (i = 0; i < FBM_NUM_QUEUES && qs->nr_holding; i++) {
		const struct fbm_rx_hold *h = qs->q[i].hold;

		if (h != NULL && h->count > most)
			most = h->count;
	}
	by_slots = (uint32_t)((uint64_t)most * FBM_RX_HOLD_BYTES / FBM_RX_HOLD_SLOTS);
	return by_slots > qs->held_bytes ? by_slots : qs->held_bytes;
}

void
fbm_rx_hold_poll(struct fbm_dev *dev, struct fbm_queue_state *qs, uint64_t now_ns)
{
	unsigned int i;

	for (i = 0; i < FBM_NUM_QUEUES && qs->nr_holding; i++) {
		struct fbm_queue *q = &qs->q[i];

		if (q->hold && q->hold->count)
			fbm_rx_hold_drain(dev, qs, q, now_ns);
	}
}

int
fbm_rx_frame(struct fbm_dev *dev, const uint8_t *frame, uint32_t len,
	     const struct fbm_rx_meta *meta)
{
	struct fbm_queue_state *qs = dev->queue;
	struct fbm_queue *q;
	int rc;

	if (qs == NULL || meta == NULL || meta->queue >= FBM_NUM_QUEUES)
		return -ENODEV;
	q = &qs->q[meta->queue];
	if (!q->rcq.running || !q->hpq.running)
		return -ENODEV;
	if (frame == NULL || len == 0 || len > FBM_RX_MAX_FRAME)
		return -EINVAL;
	if (!fbm_dma_allowed(dev, (uint64_t)q->rcq.bah << 32 | q->rcq.bal, true))
		return -EIO;

	if (q->hold && q->hold->count) {
		/* keep the order: queue behind the frames already waiting */
		fbm_rx_hold_drain(dev, qs, q, fbm_now_ns(dev));
		if (q->hold->count)
			return fbm_rx_hold_push(dev, qs, q, frame, len, meta) ? 0 : -ENOBUFS;
	}

	rc = fbm_rx_place(dev, q, frame, len, meta);
	if (rc != -ENOBUFS && rc != -ENOSPC) {
		fbm_rx_count_drop(q, rc);
		return rc;
	}
	if (fbm_rx_drop_mode(q) == FBNIC_QUEUE_RDE_CTL0_DROP_WAIT ||
	    fbm_rx_drop_mode(q) == FBNIC_QUEUE_RDE_CTL0_DROP_NEVER) {
		if (fbm_rx_hold_push(dev, qs, q, frame, len, meta))
			return 0;
		return -ENOBUFS;	/* RX buffer overflow, counted by the MAC/RXB */
	}
	fbm_rx_count_drop(q, rc);
	return rc;
}
