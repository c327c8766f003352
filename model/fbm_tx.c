/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

/*
 * TX engine: reads frames from TWQ0/TWQ1 (META / OPT_META / AL / LAST_AL,
 * fbnic_hw.rst 3.1), applies checksum and segmentation offloads, hands the
 * frames to the MAC and reports progress in the TCQ (3.2, 4.5).
 */

#include <endian.h>
#include <errno.h>
#include <string.h>

#include "fbm_queue.h"
#include "fbm_rpc.h"	/* fbm_stats_tmi_drop() */

#define TS40_MASK	FBNIC_TWD_TS_MASK

/* One frame as found in a TWQ. */
struct fbm_tx_req {
	uint64_t meta;
	uint32_t ndesc;		/* descriptors to consume, META included */
	uint32_t first_al;	/* offset of the first AL from the frame start */
	uint32_t len;		/* bytes over all ALs */
	bool bad;
};

static inline uint64_t
fbm_twd(const struct fbm_qring *r, uint32_t i)
{
	return le64toh(__atomic_load_n(&r->desc[i & r->mask], __ATOMIC_RELAXED));
}

/*
 * Collect the descriptors of the frame at the ring head. Returns -EAGAIN when
 * the frame's LAST_AL is not posted yet. A frame without META gets
 * QM_TWQ_DEFAULT_META (Linux's TWQ1 frames).
 */
static int
fbm_tx_collect(const struct fbm_qring *r, uint32_t avail, uint64_t def_meta,
	       struct fbm_tx_req *f)
{
	uint32_t i, n = avail < FBM_TX_MAX_DESC ? avail : FBM_TX_MAX_DESC;
	uint32_t nal = 0;

	f->meta = def_meta;
	f->len = 0;
	f->bad = false;
	f->first_al = 0;
	for (i = 0; i < n; i++) {
		uint64_t d = fbm_twd(r, r->head + i);
		uint32_t len;

		switch (FBNIC_FIELD_GET(FBNIC_TWD_TYPE_MASK, d)) {
		case FBNIC_TWD_TYPE_META:
			if (nal)
				f->bad = true;
			else
				f->meta = d;
			break;
		case FBNIC_TWD_TYPE_OPT_META:
			if (nal)
				f->bad = true;
			break;
		case FBNIC_TWD_TYPE_AL:
		case FBNIC_TWD_TYPE_LAST_AL:
			if (nal++ == 0)
				f->first_al = i;
			len = FBNIC_FIELD_GET(FBNIC_TWD_LEN_MASK, d);
			if (len == 0)
				f->bad = true;
			f->len += len;
			if (FBNIC_FIELD_GET(FBNIC_TWD_TYPE_MASK, d) == FBNIC_TWD_TYPE_LAST_AL) {
				f->ndesc = i + 1;
				return 0;
			}
			break;
		}
	}
	/* wait for the rest, unless the limit or a full ring says it cannot come */
	if (n < FBM_TX_MAX_DESC && avail < r->mask)
		return -EAGAIN;
	/* no LAST_AL within the limit: skip what was looked at */
	f->ndesc = n;
	f->bad = true;
	return 0;
}

static void
fbm_tx_layout(uint64_t m, struct fbm_tx_layout *l)
{
	uint32_t o3;

	l->l3_type = FBNIC_FIELD_GET(FBNIC_TWD_L3_TYPE_MASK, m);
	l->l4_type = FBNIC_FIELD_GET(FBNIC_TWD_L4_TYPE_MASK, m);
	l->l2 = FBNIC_FIELD_GET(FBNIC_TWD_L2_HLEN_MASK, m) * 2;
	o3 = l->l3_type == FBNIC_TWD_L3_TYPE_V6V6 ?
		FBNIC_FIELD_GET(FBNIC_TWD_L3_OHLEN_MASK, m) * 2 : 0;
	l->l3i = l->l2 + o3;
	l->l4 = l->l3i + FBNIC_FIELD_GET(FBNIC_TWD_L3_IHLEN_MASK, m) * 2;
	l->csum = l->l4 + FBNIC_FIELD_GET(FBNIC_TWD_CSUM_OFFSET_MASK, m) * 2;
	l->l4len = FBNIC_FIELD_GET(FBNIC_TWD_L4_HLEN_MASK, m) * 4;
}

/* REQ_CSO: sum from the checksum start to the end, field included (it holds the pseudo sum). */
static int
fbm_tx_cso(uint8_t *buf, uint32_t len, uint64_t m)
{
	struct fbm_tx_layout l;

	fbm_tx_layout(m, &l);
	if (l.csum + 2 > len)
		return -EINVAL;
	fbm_put_csum(buf + l.csum, fbm_sum16(buf + l.l4, len - l.l4, 0));
	return 0;
}

static void
fbm_ipv4_fix(uint8_t *ip, uint32_t tot_len, uint16_t id)
{
	uint32_t ihl = (ip[0] & 0xf) * 4;

	fbm_put16(ip + 2, (uint16_t)tot_len);
	fbm_put16(ip + 4, id);
	fbm_put16(ip + 10, 0);
	fbm_put16(ip + 10, (uint16_t)~fbm_fold(fbm_sum16(ip, ihl, 0)));
}

/* Header checks for LSO; the L3 header must sit inside the header bytes. */
static int
fbm_tx_lso_check(const uint8_t *buf, uint32_t len, const struct fbm_tx_layout *l,
		 uint32_t mss, uint32_t hdr)
{
	if (mss < FBM_TX_MIN_MSS || hdr > FBM_TX_MAX_HDR || hdr >= len ||
	    hdr + mss > FBM_RX_MAX_FRAME || l->csum + 2 > hdr)
		return -EINVAL;
	if (l->l4_type == FBNIC_TWD_L4_TYPE_TCP) {
		if (l->l4len < 20)
			return -EINVAL;
	} else if (l->l4_type == FBNIC_TWD_L4_TYPE_UDP) {
		if (l->l4len != 8)
			return -EINVAL;
	} else {
		return -EINVAL;
	}
	switch (l->l3_type) {
	case FBNIC_TWD_L3_TYPE_IPV4:
		if (l->l2 + 20 > l->l4 || (buf[l->l2] >> 4) != 4 ||
		    l->l2 + (buf[l->l2] & 0xf) * 4u > l->l4 || (buf[l->l2] & 0xf) < 5)
			return -EINVAL;
		break;
	case FBNIC_TWD_L3_TYPE_IPV6:
		if (l->l2 + 40 > l->l4 || (buf[l->l2] >> 4) != 6)
			return -EINVAL;
		break;
	case FBNIC_TWD_L3_TYPE_V6V6:
		if (l->l2 + 40 > l->l3i || l->l3i + 40 > l->l4 ||
		    (buf[l->l2] >> 4) != 6 || (buf[l->l3i] >> 4) != 6)
			return -EINVAL;
		break;
	default:
		break;	/* GSO_PARTIAL: L3 left alone */
	}
	return 0;
}

static uint64_t
fbm_tx_stamp(struct fbm_dev *dev, uint32_t len)
{
	return fbm_ptp_stamp(dev, true, len) & TS40_MASK;
}

/*
 * Hand a frame to the MAC, unless TMI_DROP_CTRL.EN flushes TX (the drain
 * step of fbnic_hw.rst 4.6) or the frame is for the BMC / firmware.
 */
static inline void
fbm_tx_out(struct fbm_dev *dev, const struct fbm_queue_state *qs, const uint8_t *frame,
	   uint32_t len, bool to_mac)
{
	if (!to_mac)
		return;
	if (qs->tx_flush)
		fbm_stats_tmi_drop(dev, len);
	else
		fbm_mac_tx_frame(dev, frame, len);
}

/*
 * Cut the payload after the headers in mss pieces; per segment fix IP lengths
 * (IPv4 ID, header checksum), TCP sequence and flags or UDP length, and the
 * L4 checksum from pseudo, the pseudo-header sum without length.
 */
int
fbm_lso_segment(const uint8_t *buf, uint32_t len, const struct fbm_tx_layout *l, uint32_t mss,
		uint16_t pseudo, const struct fbm_lso_ctrl *c, uint8_t *s, fbm_lso_out_fn out,
		void *ctx)
{
	uint32_t hdr = l->l4 + l->l4len, pay, off, seg, clr, l4_bytes, i;
	uint16_t id0 = 0, flags0 = 0;
	uint32_t seq0 = 0;
	bool first, last;
	int rc;

	rc = fbm_tx_lso_check(buf, len, l, mss, hdr);
	if (rc)
		return rc;
	if (l->l3_type == FBNIC_TWD_L3_TYPE_IPV4)
		id0 = fbm_get16(buf + l->l2 + 4);
	if (l->l4_type == FBNIC_TWD_L4_TYPE_TCP) {
		seq0 = fbm_get32(buf + l->l4 + 4);
		flags0 = fbm_get16(buf + l->l4 + 12);
	}

	pay = len - hdr;
	for (off = 0, i = 0; off < pay; off += seg, i++) {
		seg = pay - off < mss ? pay - off : mss;
		first = off == 0;
		last = off + seg == pay;
		memcpy(s, buf, hdr);
		memcpy(s + hdr, buf + hdr + off, seg);

		switch (l->l3_type) {
		case FBNIC_TWD_L3_TYPE_IPV4:
			fbm_ipv4_fix(s + l->l2, hdr + seg - l->l2,
				     c->ipid_inc ? (uint16_t)(id0 + i) : id0);
			break;
		case FBNIC_TWD_L3_TYPE_IPV6:
			fbm_put16(s + l->l2 + 4, (uint16_t)(hdr + seg - l->l2 - 40));
			break;
		case FBNIC_TWD_L3_TYPE_V6V6:
			fbm_put16(s + l->l2 + 4, (uint16_t)(hdr + seg - l->l2 - 40));
			fbm_put16(s + l->l3i + 4, (uint16_t)(hdr + seg - l->l3i - 40));
			break;
		default:
			break;
		}

		if (l->l4_type == FBNIC_TWD_L4_TYPE_TCP) {
			if (first && last)
				clr = c->clr_1st & c->clr_end;
			else if (first)
				clr = c->clr_1st;
			else if (last)
				clr = c->clr_end;
			else
				clr = c->clr_mid;
			fbm_put32(s + l->l4 + 4, seq0 + off);
			fbm_put16(s + l->l4 + 12, flags0 & ~clr);
		} else {
			fbm_put16(s + l->l4 + 4, (uint16_t)(hdr + seg - l->l4));
		}
		l4_bytes = hdr + seg - l->l4;
		fbm_put16(s + l->csum, pseudo);
		fbm_put_csum(s + l->csum, fbm_sum16(s + l->l4, l4_bytes, l4_bytes));
		out(ctx, s, hdr + seg, first, last);
	}
	return (int)i;
}

/* Where the segments of one REQ_LSO go: the MAC, and the TX timestamp. */
struct fbm_tx_lso_out {
	struct fbm_dev *dev;
	const struct fbm_queue_state *qs;
	bool to_mac;
	bool want_ts;
	bool ts_last;
	uint64_t *ts;
};

static void
fbm_tx_lso_send(void *ctx, const uint8_t *seg, uint32_t len, bool first, bool last)
{
	struct fbm_tx_lso_out *o = ctx;

	if (o->want_ts && (o->ts_last ? last : first))
		*o->ts = fbm_tx_stamp(o->dev, len);
	fbm_tx_out(o->dev, o->qs, seg, len, o->to_mac);
}

/* REQ_LSO, with the header changes TCE_LSO_CTRL asks for. */
static int
fbm_tx_lso(struct fbm_dev *dev, struct fbm_queue_state *qs, const uint8_t *buf, uint32_t len,
	   uint64_t m, bool to_mac, bool want_ts, uint64_t *ts, uint32_t *nseg)
{
	uint32_t lso_ctrl = fbm_reg_get(dev, FBNIC_TCE_LSO_CTRL);
	struct fbm_lso_ctrl c = {
		.ipid_inc = (lso_ctrl & FBNIC_TCE_LSO_CTRL_IPID_MODE_INC) != 0,
		.clr_1st = (uint16_t)FBNIC_FIELD_GET(FBNIC_TCE_LSO_CTRL_TCPF_CLR_1ST, lso_ctrl),
		.clr_mid = (uint16_t)FBNIC_FIELD_GET(FBNIC_TCE_LSO_CTRL_TCPF_CLR_MID, lso_ctrl),
		.clr_end = (uint16_t)FBNIC_FIELD_GET(FBNIC_TCE_LSO_CTRL_TCPF_CLR_END, lso_ctrl),
	};
	struct fbm_tx_lso_out o = {
		.dev = dev, .qs = qs, .to_mac = to_mac, .want_ts = want_ts, .ts = ts,
		.ts_last = FBNIC_FIELD_GET(FBNIC_QM_TQS_CTL0_LSO_TS_MASK,
					   qs->qm_tx[FBNIC_QM_TQS_CTL0 - FBNIC_CSR_START_QM_TX]) ==
			   FBNIC_QM_TQS_CTL0_LSO_TS_LAST,
	};
	struct fbm_tx_layout l;
	int n;

	fbm_tx_layout(m, &l);
	if (l.csum + 2 > len)
		return -EINVAL;
	n = fbm_lso_segment(buf, len, &l, FBNIC_FIELD_GET(FBNIC_TWD_MSS_MASK, m),
			    fbm_get16(buf + l.csum), &c, qs->seg_buf, fbm_tx_lso_send, &o);
	if (n < 0)
		return n;
	*nseg = (uint32_t)n;
	return 0;
}

/* ---- TCQ ---- */

static void
fbm_tcq_put(struct fbm_dev *dev, struct fbm_queue *q, uint64_t tcd)
{
	struct fbm_qring *r = &q->tcq;

	if (!r->running || (r->desc == NULL && !fbm_ring_map(dev, r, true)))
		return;
	tcd |= fbm_cmpl_done(r, r->tail);
	fbm_desc_store(&r->desc[r->tail & r->mask], htole64(tcd), true);
	r->tail++;
	dev->queue->dma_wr_bytes += sizeof(tcd);
	fbm_moder_add(dev, q, &q->tim, 1);
}

/* Write the coalesced type-0 records: the next descriptor the NIC will read. */
void
fbm_tx_flush_tcd(struct fbm_dev *dev, struct fbm_queue *q)
{
	if (q->tcd_pending[0]) {
		q->tcd_pending[0] = false;
		fbm_tcq_put(dev, q, FBNIC_FIELD_PREP(FBNIC_TCD_TYPE0_HEAD0_MASK, q->twq[0].head));
	}
	if (q->tcd_pending[1]) {
		q->tcd_pending[1] = false;
		fbm_tcq_put(dev, q, FBNIC_TCD_TWQ1 |
			    FBNIC_FIELD_PREP(FBNIC_TCD_TYPE0_HEAD1_MASK, q->twq[1].head));
	}
}

/* Map and copy the ALs of a frame into the gather buffer. */
static int
fbm_tx_gather(struct fbm_dev *dev, const struct fbm_qring *r, const struct fbm_tx_req *f,
	      uint8_t *buf)
{
	uint32_t i, off = 0;

	for (i = f->first_al; i < f->ndesc; i++) {
		uint64_t d = fbm_twd(r, r->head + i);
		uint32_t len = FBNIC_FIELD_GET(FBNIC_TWD_LEN_MASK, d);
		const void *p;

		p = fbm_dma_map(dev, d & FBNIC_TWD_ADDR_MASK, len, false);
		if (p == NULL)
			return -EIO;
		memcpy(buf + off, p, len);
		off += len;
	}
	return 0;
}

/* Send one collected frame; returns frames put on the wire, -errno when malformed. */
static int
fbm_tx_send(struct fbm_dev *dev, struct fbm_queue_state *qs, const struct fbm_qring *r,
	    const struct fbm_tx_req *f, uint64_t *ts)
{
	uint64_t m = f->meta;
	bool to_mac = (m & FBNIC_TWD_FLAG_DEST_MAC) ||
		      !(m & (FBNIC_TWD_FLAG_DEST_BMC | FBNIC_TWD_FLAG_DEST_FW));
	bool want_ts = m & FBNIC_TWD_FLAG_REQ_TS;
	uint32_t nseg;
	uint8_t *buf;
	int rc;

	if (f->bad)
		return -EINVAL;
	if (!(m & (FBNIC_TWD_FLAG_REQ_LSO | FBNIC_TWD_FLAG_REQ_CSO)) &&
	    f->ndesc - f->first_al == 1) {
		/* common case: one buffer, no offload, no copy */
		uint64_t d = fbm_twd(r, r->head + f->first_al);
		const uint8_t *p;

		if (f->len > FBM_MAX_FRAME)
			return -EMSGSIZE;
		p = fbm_dma_map(dev, d & FBNIC_TWD_ADDR_MASK, f->len, false);
		if (p == NULL)
			return -EIO;
		if (want_ts)
			*ts = fbm_tx_stamp(dev, f->len);
		fbm_tx_out(dev, qs, p, f->len, to_mac);
		return 1;
	}

	if (f->len > ((m & FBNIC_TWD_FLAG_REQ_LSO) ? FBM_TX_MAX_LSO : FBM_MAX_FRAME))
		return -EMSGSIZE;
	buf = qs->tx_buf;
	rc = fbm_tx_gather(dev, r, f, buf);
	if (rc)
		return rc;
	if (m & FBNIC_TWD_FLAG_REQ_LSO) {
		rc = fbm_tx_lso(dev, qs, buf, f->len, m, to_mac, want_ts, ts, &nseg);
		return rc ? rc : (int)nseg;
	}
	if (m & FBNIC_TWD_FLAG_REQ_CSO) {
		rc = fbm_tx_cso(buf, f->len, m);
		if (rc)
			return rc;
	}
	if (want_ts)
		*ts = fbm_tx_stamp(dev, f->len);
	fbm_tx_out(dev, qs, buf, f->len, to_mac);
	return 1;
}

/* Process up to quota frames of one TWQ. */
static unsigned int
fbm_twq_poll(struct fbm_dev *dev, struct fbm_queue_state *qs, struct fbm_queue *q,
	     unsigned int n, unsigned int quota)
{
	struct fbm_qring *r = &q->twq[n];
	uint64_t def_meta;
	unsigned int done = 0;
	uint32_t tail;

	if (fbm_fault_active(dev, FBM_FAULT_TX_STALL))
		return 0;
	tail = fbm_db_load(&r->db) & r->mask;
	if (tail == r->head)
		return 0;
	if (r->desc == NULL) {
		if (r->map_failed && r->map_db == fbm_db_load(&r->db))
			return 0;
		if (!fbm_ring_map(dev, r, false))
			return 0;
	}
	def_meta = (uint64_t)qs->qm_tx[FBNIC_QM_TWQ_DEFAULT_META_H - FBNIC_CSR_START_QM_TX] << 32 |
		   qs->qm_tx[FBNIC_QM_TWQ_DEFAULT_META_L - FBNIC_CSR_START_QM_TX];

	while (done < quota && r->head != tail) {
		struct fbm_tx_req f;
		unsigned int need;
		uint64_t ts = 0;
		int rc;

		if (fbm_tx_collect(r, (tail - r->head) & r->mask, def_meta, &f))
			break;

		/* a full TCQ stalls the ring: completions are never overwritten */
		if (q->tcq.running) {
			need = q->tcd_pending[0] + q->tcd_pending[1] +
			       !!(f.meta & FBNIC_TWD_FLAG_REQ_TS) +
			       ((f.meta & FBNIC_TWD_FLAG_REQ_COMPLETION) && !q->tcd_pending[n]);
			if (need > fbm_cmpl_room(&q->tcq))
				break;
		}

		rc = fbm_tx_send(dev, qs, r, &f, &ts);
		if (rc < 0) {
			q->twq_err_cnt[n]++;
			fbm_log(dev, FBM_LOG_DEBUG, "queue %u TWQ%u: frame at %u dropped (%d)",
				q->idx, n, r->head, rc);
		} else {
			q->twq_pkt_cnt[n] += rc;
		}
		r->head = (r->head + f.ndesc) & r->mask;
		qs->dma_rd_bytes += f.ndesc * sizeof(uint64_t);

		if (f.meta & FBNIC_TWD_FLAG_REQ_TS) {
			uint64_t tcd = FBNIC_FIELD_PREP(FBNIC_TCD_TYPE_MASK, FBNIC_TCD_TYPE_1) |
				       FBNIC_FIELD_PREP(FBNIC_TCD_TYPE1_TS_MASK, ts);

			if (rc < 0)
				tcd |= FBNIC_TCD_STATUS_TS_INVALID;
			else if (!(f.meta & FBNIC_TWD_FLAG_DEST_MAC) &&
				 (f.meta & (FBNIC_TWD_FLAG_DEST_BMC | FBNIC_TWD_FLAG_DEST_FW)))
				tcd |= FBNIC_TCD_STATUS_TS_INVALID |
				       FBNIC_TCD_STATUS_ILLEGAL_TS_REQ;
			fbm_tcq_put(dev, q, tcd);
		}
		if (f.meta & FBNIC_TWD_FLAG_REQ_COMPLETION)
			q->tcd_pending[n] = true;
		done++;
	}
	return done;
}

/* DMA is off: a TWQ with work fails its descriptor read (one recorded error per pass). */
static void
fbm_tx_dma_refused(struct fbm_dev *dev, struct fbm_queue_state *qs)
{
	unsigned int i, n;

	for (i = 0; i < FBM_NUM_QUEUES; i++) {
		if (!(qs->tx_active[i >> 6] & ((uint64_t)1 << (i & 63))))
			continue;
		for (n = 0; n < 2; n++) {
			struct fbm_qring *r = &qs->q[i].twq[n];

			if (r->running && (fbm_db_load(&r->db) & r->mask) != r->head) {
				fbm_dma_allowed(dev, (uint64_t)r->bah << 32 | r->bal, false);
				return;
			}
		}
	}
}

unsigned int
fbm_queue_poll_tx(struct fbm_dev *dev, unsigned int budget)
{
	struct fbm_queue_state *qs = dev->queue;
	unsigned int done = 0, start, k;

	if (qs == NULL || (qs->tx_active[0] | qs->tx_active[1]) == 0)
		return 0;
	/* descriptor reads through cached ring pointers need bus mastering too */
	if (!fbm_dma_enabled(dev, false) || fbm_fault_active(dev, FBM_FAULT_DMA)) {
		fbm_tx_dma_refused(dev, qs);
		return 0;
	}
	/* The link partner's XOFF: frames stay in the TWQs until it ends. */
	if (fbm_mac_tx_paused(dev))
		return 0;
	qs->tx_flush = fbm_reg_get(dev, FBNIC_TMI_DROP_CTRL) & FBNIC_TMI_DROP_CTRL_EN;
	start = qs->tx_next;
	for (k = 0; k < FBM_NUM_QUEUES && done < budget; k++) {
		unsigned int i = (start + k) & (FBM_NUM_QUEUES - 1);
		struct fbm_queue *q;
		unsigned int quota;

		if (!(qs->tx_active[i >> 6] & ((uint64_t)1 << (i & 63)))) {
			/* jump to the next active queue of this word, if any */
			uint64_t rest = qs->tx_active[i >> 6] >> (i & 63);

			if (rest == 0) {
				k += 63 - (i & 63);
				continue;
			}
			k += __builtin_ctzll(rest) - 1;
			continue;
		}
		q = &qs->q[i];
		quota = budget - done < FBM_TX_QUOTA ? budget - done : FBM_TX_QUOTA;
		if (q->twq[0].running)
			done += fbm_twq_poll(dev, qs, q, 0, quota);
		if (q->twq[1].running && done < budget) {
			quota = budget - done < FBM_TX_QUOTA ? budget - done : FBM_TX_QUOTA;
			done += fbm_twq_poll(dev, qs, q, 1, quota);
		}
		if (q->tcd_pending[0] || q->tcd_pending[1])
			fbm_tx_flush_tcd(dev, q);
	}
	qs->tx_next = (start + 1) & (FBM_NUM_QUEUES - 1);
	fbm_queue_dma_report(dev, qs);
	return done;
}
