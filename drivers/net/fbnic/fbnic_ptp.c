/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

/*
 * PTP clock and timestamps (fbnic_hw.rst 10) for ethdev: the timesync
 * calls, read_clock, the Rx timestamp offload and the latches of PTP
 * frames. The clock itself is base/fbnic_time.c.
 *
 * One time base everywhere: the PTP time, the counter plus the offset that
 * write_time and adjust_time move. Rx stamps come from OPT_META entries,
 * which the Rx classifier adds to the frames of the flow types whose RSS
 * action entries have TS_ENA: every type with the timestamp offload, the
 * types of PTPv2 event messages (UDP, non-IP) with timesync alone. The
 * classifier does not parse PTP, so the IEEE1588 flags go to the stamped
 * frames that the Rx path finds to be PTP (fbnic_ptp_frame()).
 * Tx stamps come from type-1 TCQ entries of frames sent with
 * RTE_MBUF_F_TX_IEEE1588_TMST (REQ_TS) while timesync is on; the Tx burst
 * only consumes the TCQ when its ring runs low, so read_tx_timestamp reads
 * entries ahead of it without consuming them.
 */

#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_mbuf_dyn.h>
#include <rte_time.h>
#include <rte_udp.h>
#include <ethdev_driver.h>

#include "fbnic_ethdev.h"
#include "fbnic_logs.h"
#include "fbnic_rx.h"
#include "fbnic_rxtx.h"
#include "fbnic_time.h"

/* PTP over UDP: the event and general ports (IEEE 1588 annex D/E). */
#define FBNIC_PTP_UDP_EVENT	319
#define FBNIC_PTP_UDP_GENERAL	320

/* The mbuf timestamp dynamic field, registered once per process. */
static int fbnic_ts_dynfield = -1;
static uint64_t fbnic_ts_dynflag;

static bool
fbnic_ptp_rx_offload(const struct rte_eth_dev *dev)
{
	return dev->data->dev_conf.rxmode.offloads & RTE_ETH_RX_OFFLOAD_TIMESTAMP;
}

/* The calls below need the port's clock in use: timesync enabled. */
static int
fbnic_ptp_usable(struct rte_eth_dev *dev, const char *what)
{
	int ret = fbnic_dev_usable(dev);

	if (ret != 0)
		return ret;
	if (!fbnic_eth_dev_adapter(dev)->timesync) {
		PMD_DRV_LOG(ERR, "port %u: %s: timesync is not enabled (rte_eth_timesync_enable)",
			    dev->data->port_id, what);
		return -EINVAL;
	}
	return 0;
}

/* ---- Rx ----------------------------------------------------------------- */

/* A PTP message: Ethernet type 0x88F7 (behind up to two VLAN tags) or UDP port 319/320. */
static bool
fbnic_ptp_frame(const struct rte_mbuf *m)
{
	const uint8_t *p = rte_pktmbuf_mtod(m, const uint8_t *);
	uint32_t len = m->data_len, off = 2 * RTE_ETHER_ADDR_LEN, l4;
	uint16_t type, port;
	unsigned int tags;

	for (tags = 0; tags <= 2 && off + 2 <= len; tags++) {
		type = (uint16_t)(p[off] << 8 | p[off + 1]);
		if (type == RTE_ETHER_TYPE_1588)
			return true;
		if (type != RTE_ETHER_TYPE_VLAN && type != RTE_ETHER_TYPE_QINQ)
			break;
		off += RTE_VLAN_HLEN;
	}
	if ((m->packet_type & RTE_PTYPE_L4_MASK) != RTE_PTYPE_L4_UDP || off + 2 > len)
		return false;
	off += 2;
	if (RTE_ETH_IS_IPV4_HDR(m->packet_type)) {
		if (off + sizeof(struct rte_ipv4_hdr) > len)
			return false;
		l4 = off + (uint32_t)(p[off] & 0xf) * 4;
	} else if (RTE_ETH_IS_IPV6_HDR(m->packet_type)) {
		if (off + sizeof(struct rte_ipv6_hdr) > len || p[off + 6] != IPPROTO_UDP)
			return false;
		l4 = off + (uint32_t)sizeof(struct rte_ipv6_hdr);
	} else {
		return false;
	}
	if (l4 + sizeof(struct rte_udp_hdr) > len)
		return false;
	port = (uint16_t)(p[l4 + 2] << 8 | p[l4 + 3]);
	return port == FBNIC_PTP_UDP_EVENT || port == FBNIC_PTP_UDP_GENERAL;
}

void
fbnic_rx_tstamp(struct fbnic_rx_queue *rxq, struct rte_mbuf *m, uint64_t opt)
{
	uint64_t ns;

	/* Only OPT_META type 0 has the time (Linux ignores the others). */
	if (unlikely(rxq->time == NULL) || FBNIC_FIELD_GET(FBNIC_RCD_OPT_META_TYPE_MASK, opt) != 0)
		return;
	ns = fbnic_time_ts40_to_ns(rxq->time, FBNIC_FIELD_GET(FBNIC_RCD_OPT_META_TS_MASK, opt));
	if (rxq->ts_dynflag != 0) {
		*RTE_MBUF_DYNFIELD(m, rxq->ts_dynfield, rte_mbuf_timestamp_t *) = ns;
		m->ol_flags |= rxq->ts_dynflag;
	}
	if (rxq->ts_ptp && fbnic_ptp_frame(m)) {
		m->ol_flags |= RTE_MBUF_F_RX_IEEE1588_PTP | RTE_MBUF_F_RX_IEEE1588_TMST;
		/* The index timesync_read_rx_timestamp takes: the queue's latch. */
		m->timesync = rxq->queue_id;
		rxq->ts_latch_ns = ns;
		__atomic_store_n(&rxq->ts_latch_valid, 1, __ATOMIC_RELEASE);
	}
}

void
fbnic_ptp_rxq_init(struct rte_eth_dev *dev, struct fbnic_rx_queue *rxq)
{
	struct fbnic_adapter *ad = fbnic_eth_dev_adapter(dev);

	rxq->time = &ad->time;
	rxq->ts_dynfield = fbnic_ts_dynfield;
	rxq->ts_dynflag = fbnic_ptp_rx_offload(dev) && fbnic_ts_dynfield >= 0 ?
			  fbnic_ts_dynflag : 0;
	rxq->ts_ptp = ad->timesync;
	__atomic_store_n(&rxq->ts_latch_valid, 0, __ATOMIC_RELAXED);
}

/* ---- Tx ----------------------------------------------------------------- */

void
fbnic_ptp_txq_init(struct rte_eth_dev *dev, struct fbnic_tx_queue *txq)
{
	txq->ts_req = fbnic_eth_dev_adapter(dev)->timesync;
	txq->ts_cursor = txq->tcq_head;
}

/*
 * The next type-1 TCQ entry of the queue after its cursor, without
 * consuming it: the burst does, when its ring runs low. Entries the burst
 * consumed stay readable until the device writes the ring's next pass; an
 * entry already overwritten (the wrong DONE parity behind the burst's
 * head) is passed over. 0 with *ts40, or -EAGAIN.
 */
static int
fbnic_ptp_tcq_peek(struct fbnic_tx_queue *txq, uint64_t *ts40)
{
	uint32_t entries = txq->mask + 1, pos = txq->ts_cursor, n;
	uint32_t head = __atomic_load_n(&txq->tcq_head, __ATOMIC_ACQUIRE);
	int ret = -EAGAIN;

	if ((int32_t)(head - pos) > (int32_t)entries)
		pos = head - entries;
	for (n = 0; n < 2 * entries; n++) {
		uint64_t tcd = fbnic_cmpl_read(txq->tcq, pos & txq->mask);

		if (!fbnic_cmpl_new(tcd, pos, entries)) {
			if ((int32_t)(pos - head) < 0) {
				pos++;
				continue;
			}
			break;
		}
		rte_io_rmb();
		tcd = fbnic_cmpl_read(txq->tcq, pos & txq->mask);
		pos++;
		if (FBNIC_FIELD_GET(FBNIC_TCD_TYPE_MASK, tcd) != FBNIC_TCD_TYPE_1 ||
		    (tcd & FBNIC_TCD_TWQ1))
			continue;
		if (tcd & FBNIC_TCD_STATUS_TS_INVALID) {
			PMD_TX_LOG(DEBUG, "port %u: Tx queue %u: the device could not stamp "
				   "a frame (TCD 0x%016" PRIx64 ")", txq->port_id, txq->queue_id,
				   tcd);
			continue;
		}
		*ts40 = FBNIC_FIELD_GET(FBNIC_TCD_TYPE1_TS_MASK, tcd);
		ret = 0;
		break;
	}
	txq->ts_cursor = pos;
	return ret;
}

/* ---- Set-up ------------------------------------------------------------- */

/*
 * The queues' timestamp state, and TS_ENA on the flow types timesync or the
 * offload wants stamped; written now with write (a running port).
 * Lock held.
 */
static void
fbnic_ptp_apply(struct rte_eth_dev *dev, bool write)
{
	struct fbnic_adapter *ad = fbnic_eth_dev_adapter(dev);
	uint16_t q;

	for (q = 0; q < dev->data->nb_rx_queues; q++)
		if (dev->data->rx_queues[q] != NULL)
			fbnic_ptp_rxq_init(dev, dev->data->rx_queues[q]);
	for (q = 0; q < dev->data->nb_tx_queues; q++) {
		struct fbnic_tx_queue *txq = dev->data->tx_queues[q];
		uint64_t ts40;
		unsigned int n;

		if (txq == NULL)
			continue;
		txq->ts_req = ad->timesync;
		/* Stamps of frames sent before this call are not reported. */
		for (n = 0; txq->started && n <= txq->mask && fbnic_ptp_tcq_peek(txq, &ts40) == 0;
		     n++)
			;
	}
	/*
	 * The offload stamps every frame; timesync alone only needs PTPv2
	 * event messages, L2 and L4 (Linux's HWTSTAMP_FILTER_PTP_V2_EVENT).
	 */
	if (fbnic_ptp_rx_offload(dev))
		fbnic_rpc_set_rx_tstamp(&ad->hw, FBNIC_RPC_TS_FLOWS_ALL);
	else if (ad->timesync)
		fbnic_rpc_set_rx_tstamp(&ad->hw, FBNIC_RPC_TS_FLOWS_PTP_V2);
	else
		fbnic_rpc_set_rx_tstamp(&ad->hw, 0);
	if (write && ad->started) {
		fbnic_rss_reinit(&ad->hw);
		fbnic_rpc_write_rules(&ad->hw);
	}
}

void
fbnic_ptp_init(struct fbnic_adapter *ad)
{
	fbnic_time_reset(&ad->hw, &ad->time);
	fbnic_time_refresh(&ad->hw, &ad->time, fbnic_osdep_time_ms());
	ad->timesync = false;
}

void
fbnic_ptp_service(struct fbnic_adapter *ad, uint64_t now_ms)
{
	fbnic_time_refresh(&ad->hw, &ad->time, now_ms);
}

int
fbnic_ptp_start(struct rte_eth_dev *dev)
{
	struct fbnic_adapter *ad = fbnic_eth_dev_adapter(dev);
	int ret;

	if (fbnic_ptp_rx_offload(dev) && fbnic_ts_dynfield < 0) {
		ret = rte_mbuf_dyn_rx_timestamp_register(&fbnic_ts_dynfield, &fbnic_ts_dynflag);
		if (ret != 0) {
			PMD_DRV_LOG(ERR, "port %u: cannot register the mbuf timestamp field: %d",
				    dev->data->port_id, -rte_errno);
			fbnic_ts_dynfield = -1;
			return -rte_errno;
		}
	}
	fbnic_time_refresh(&ad->hw, &ad->time, fbnic_osdep_time_ms());
	fbnic_ptp_apply(dev, false);	/* the start writes the action entries */
	return 0;
}

/* ---- ethdev calls ------------------------------------------------------- */

int
fbnic_timesync_enable(struct rte_eth_dev *dev)
{
	struct fbnic_adapter *ad = fbnic_eth_dev_adapter(dev);
	int ret = fbnic_dev_usable(dev);

	if (ret != 0)
		return ret;
	fbnic_lock(ad);
	ad->timesync = true;
	fbnic_time_refresh(&ad->hw, &ad->time, fbnic_osdep_time_ms());
	fbnic_ptp_apply(dev, true);
	fbnic_unlock(ad);
	return 0;
}

int
fbnic_timesync_disable(struct rte_eth_dev *dev)
{
	struct fbnic_adapter *ad = fbnic_eth_dev_adapter(dev);
	int ret = fbnic_ptp_usable(dev, "timesync_disable");

	if (ret != 0)
		return ret;
	fbnic_lock(ad);
	ad->timesync = false;
	fbnic_ptp_apply(dev, true);
	fbnic_unlock(ad);
	return 0;
}

int
fbnic_timesync_read_rx_timestamp(struct rte_eth_dev *dev, struct timespec *ts, uint32_t flags)
{
	struct fbnic_rx_queue *rxq;
	int ret = fbnic_ptp_usable(dev, "timesync_read_rx_timestamp");

	if (ret != 0)
		return ret;
	/* flags: the Rx queue, as the mbuf's timesync field gives it. */
	if (flags >= dev->data->nb_rx_queues || dev->data->rx_queues[flags] == NULL) {
		PMD_DRV_LOG(ERR, "port %u: timesync_read_rx_timestamp: no Rx queue %u",
			    dev->data->port_id, flags);
		return -EINVAL;
	}
	rxq = dev->data->rx_queues[flags];
	if (!__atomic_exchange_n(&rxq->ts_latch_valid, 0, __ATOMIC_ACQUIRE))
		return -EAGAIN;	/* no PTP frame since the last read */
	*ts = rte_ns_to_timespec(rxq->ts_latch_ns);
	return 0;
}

int
fbnic_timesync_read_tx_timestamp(struct rte_eth_dev *dev, struct timespec *ts)
{
	struct fbnic_adapter *ad = fbnic_eth_dev_adapter(dev);
	uint64_t ts40;
	uint16_t q;
	int ret = fbnic_ptp_usable(dev, "timesync_read_tx_timestamp");

	if (ret != 0)
		return ret;
	for (q = 0; q < dev->data->nb_tx_queues; q++) {
		struct fbnic_tx_queue *txq = dev->data->tx_queues[q];

		if (txq == NULL || !txq->started || fbnic_ptp_tcq_peek(txq, &ts40) != 0)
			continue;
		*ts = rte_ns_to_timespec(fbnic_time_ts40_to_ns(&ad->time, ts40));
		return 0;
	}
	return -EAGAIN;	/* no stamped frame completed since the last read */
}

int
fbnic_timesync_adjust_time(struct rte_eth_dev *dev, int64_t delta)
{
	struct fbnic_adapter *ad = fbnic_eth_dev_adapter(dev);
	int ret = fbnic_ptp_usable(dev, "timesync_adjust_time");

	if (ret != 0)
		return ret;
	fbnic_lock(ad);
	fbnic_time_step(&ad->time, delta);
	fbnic_unlock(ad);
	return 0;
}

int
fbnic_timesync_adjust_freq(struct rte_eth_dev *dev, int64_t ppm)
{
	struct fbnic_adapter *ad = fbnic_eth_dev_adapter(dev);
	int ret = fbnic_ptp_usable(dev, "timesync_adjust_freq");

	if (ret != 0)
		return ret;
	fbnic_lock(ad);
	ret = fbnic_time_adjust_freq(&ad->hw, &ad->time, ppm);
	fbnic_unlock(ad);
	if (ret == -ERANGE)
		PMD_DRV_LOG(ERR, "port %u: timesync_adjust_freq: %" PRId64 " scaled ppm beyond "
			    "+/-%" PRId64 " (999999999 ppb)", dev->data->port_id, ppm,
			    (int64_t)FBNIC_TIME_MAX_SCALED_PPM);
	return ret == -ENODEV ? -EIO : ret;
}

int
fbnic_timesync_read_time(struct rte_eth_dev *dev, struct timespec *ts)
{
	struct fbnic_adapter *ad = fbnic_eth_dev_adapter(dev);
	uint64_t ns;
	int ret = fbnic_ptp_usable(dev, "timesync_read_time");

	if (ret != 0)
		return ret;
	fbnic_lock(ad);
	ns = fbnic_time_get(&ad->hw, &ad->time);
	fbnic_unlock(ad);
	if (ad->hw.removed)
		return -EIO;
	*ts = rte_ns_to_timespec(ns);
	return 0;
}

int
fbnic_timesync_write_time(struct rte_eth_dev *dev, const struct timespec *ts)
{
	struct fbnic_adapter *ad = fbnic_eth_dev_adapter(dev);
	int ret = fbnic_ptp_usable(dev, "timesync_write_time");

	if (ret != 0)
		return ret;
	if (ts->tv_sec < 0 || ts->tv_nsec < 0 || ts->tv_nsec >= 1000000000) {
		PMD_DRV_LOG(ERR, "port %u: timesync_write_time: %jd s %ld ns is no time",
			    dev->data->port_id, (intmax_t)ts->tv_sec, (long)ts->tv_nsec);
		return -EINVAL;
	}
	fbnic_lock(ad);
	fbnic_time_set(&ad->hw, &ad->time, rte_timespec_to_ns(ts));
	fbnic_unlock(ad);
	return ad->hw.removed ? -EIO : 0;
}

/* The PTP time in ns: the time base of the Rx timestamp field. */
int
fbnic_read_clock(struct rte_eth_dev *dev, uint64_t *clock)
{
	struct fbnic_adapter *ad = fbnic_eth_dev_adapter(dev);
	int ret = fbnic_dev_usable(dev);

	if (ret != 0)
		return ret;
	if (!ad->timesync && !fbnic_ptp_rx_offload(dev)) {
		PMD_DRV_LOG(ERR, "port %u: read_clock: neither timesync nor the Rx timestamp "
			    "offload is enabled", dev->data->port_id);
		return -EINVAL;
	}
	*clock = fbnic_time_get(&ad->hw, &ad->time);
	return ad->hw.removed ? -EIO : 0;
}
