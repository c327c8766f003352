/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

/*
 * Basic and extended statistics. The device counters (base/fbnic_hw_stats)
 * are read by the primary process only, which publishes their values in the
 * port's shared private data: every process reports from that copy, so
 * dpdk-proc-info and other secondaries see the same numbers as the primary.
 * Per-queue software counters live in the queues (shared memory as well).
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <rte_common.h>
#include <rte_malloc.h>
#include <ethdev_driver.h>

#include "fbnic_ethdev.h"
#include "fbnic_logs.h"
#include "fbnic_rxtx.h"
#include "fbnic_hw_stats.h"

/* Refresh every hardware counter and publish it in dev_private. */
void
fbnic_stats_publish(struct fbnic_adapter *ad, bool full)
{
	struct fbnic_hw *hw = &ad->hw;
	struct fbnic_stats_shadow *sh = &ad->stats;
	unsigned int q, i, n;

	if (hw->stats == NULL)
		return;
	if (!hw->removed) {
		if (full)
			fbnic_hw_stats_update(hw);
		else
			fbnic_hw_stats_update32(hw);
	}

	rte_spinlock_lock(&sh->lock);
	n = fbnic_hw_stats_get(hw, sh->hw, RTE_DIM(sh->hw));
	sh->nb_hw = n;
	for (q = 0; q < FBNIC_MAX_QUEUES; q++)
		for (i = 0; i < FBNIC_Q_STAT_NUM; i++)
			sh->q[q][i] = fbnic_hw_stats_queue(hw, q, i);
	fbnic_hw_stats_basic(hw, &sh->basic);
	sh->generation++;
	rte_spinlock_unlock(&sh->lock);
}

/* Software counters of one queue since the last reset. */
static void
fbnic_queue_sw_stats(struct rte_eth_dev *dev, bool rx, uint16_t q, struct fbnic_queue_stats *st)
{
	void *queue = NULL;

	if (rx && q < dev->data->nb_rx_queues)
		queue = dev->data->rx_queues[q];
	else if (!rx && q < dev->data->nb_tx_queues)
		queue = dev->data->tx_queues[q];
	if (rx)
		fbnic_rxq_stats(queue, st);
	else
		fbnic_txq_stats(queue, st);
}

static void
fbnic_stats_refresh(struct rte_eth_dev *dev)
{
	struct fbnic_adapter *ad = fbnic_eth_dev_adapter(dev);

	if (fbnic_dev_usable(dev) != 0 && !(fbnic_is_primary() && ad->hw.removed))
		return;
	fbnic_lock(ad);
	if (!ad->closed)
		fbnic_stats_publish(ad, true);
	fbnic_unlock(ad);
}

int
fbnic_stats_get(struct rte_eth_dev *dev, struct rte_eth_stats *stats,
		struct eth_queue_stats *qstats)
{
	struct fbnic_adapter *ad = fbnic_eth_dev_adapter(dev);
	struct fbnic_hw_stats_basic basic;
	struct fbnic_queue_stats st;
	uint16_t q;

	fbnic_stats_refresh(dev);
	rte_spinlock_lock(&ad->stats.lock);
	basic = ad->stats.basic;
	rte_spinlock_unlock(&ad->stats.lock);

	for (q = 0; q < dev->data->nb_rx_queues; q++) {
		fbnic_queue_sw_stats(dev, true, q, &st);
		stats->ipackets += st.packets;
		stats->ibytes += st.bytes;
		stats->ierrors += st.errors;
		if (qstats != NULL && q < RTE_ETHDEV_QUEUE_STAT_CNTRS) {
			qstats->q_ipackets[q] = st.packets;
			qstats->q_ibytes[q] = st.bytes;
			qstats->q_errors[q] = st.errors;
		}
	}
	for (q = 0; q < dev->data->nb_tx_queues; q++) {
		fbnic_queue_sw_stats(dev, false, q, &st);
		stats->opackets += st.packets;
		stats->obytes += st.bytes;
		stats->oerrors += st.errors + st.drops;
		if (qstats != NULL && q < RTE_ETHDEV_QUEUE_STAT_CNTRS) {
			qstats->q_opackets[q] = st.packets;
			qstats->q_obytes[q] = st.bytes;
		}
	}
	/* Dropped by the device: RX buffer FIFOs and queue completion/buffer rings. */
	stats->imissed = basic.rx_missed + basic.rx_over;
	stats->ierrors += basic.rx_errors + basic.rx_fcs_errors + basic.rx_length_errors;
	stats->oerrors += basic.tx_dropped;
	return 0;
}

int
fbnic_stats_reset(struct rte_eth_dev *dev)
{
	struct fbnic_adapter *ad = fbnic_eth_dev_adapter(dev);
	uint16_t q;

	if (!fbnic_is_primary())
		return -ENOTSUP;
	fbnic_lock(ad);
	if (!ad->closed && ad->hw.stats != NULL) {
		if (!ad->hw.removed)
			fbnic_hw_stats_reset(&ad->hw);
		fbnic_stats_publish(ad, false);
	}
	for (q = 0; q < dev->data->nb_rx_queues; q++)
		fbnic_rxq_stats_reset(dev->data->rx_queues[q]);
	for (q = 0; q < dev->data->nb_tx_queues; q++)
		fbnic_txq_stats_reset(dev->data->tx_queues[q]);
	fbnic_unlock(ad);
	return 0;
}

/* Per-queue xstats: software counters, then the queue page counters (Rx). */
static const char *const fbnic_rxq_sw_names[] = {
	"packets", "bytes", "errors", "nombuf", "bad_desc", "resets",
};
static const char *const fbnic_txq_sw_names[] = {
	"packets", "bytes", "errors", "drops", "bad_desc", "resets",
};

/* Driver counters of the port: its interrupt vector callbacks. */
static const char *const fbnic_port_sw_names[] = {
	"intr_mailbox_callbacks", "intr_pcs_callbacks",
};

#define FBNIC_PORT_XSTATS	RTE_DIM(fbnic_port_sw_names)
#define FBNIC_RXQ_XSTATS	(RTE_DIM(fbnic_rxq_sw_names) + FBNIC_Q_STAT_NUM)
#define FBNIC_TXQ_XSTATS	RTE_DIM(fbnic_txq_sw_names)

static unsigned int
fbnic_xstats_count(struct rte_eth_dev *dev)
{
	return fbnic_hw_stats_count() + FBNIC_PORT_XSTATS +
	       dev->data->nb_rx_queues * FBNIC_RXQ_XSTATS +
	       dev->data->nb_tx_queues * FBNIC_TXQ_XSTATS;
}

/* Name of xstat i, or -EINVAL beyond the end. */
static int
fbnic_xstat_name(struct rte_eth_dev *dev, unsigned int i, char *buf, size_t len)
{
	unsigned int nb_hw = fbnic_hw_stats_count();
	unsigned int q, k;

	if (i < nb_hw) {
		snprintf(buf, len, "%s", fbnic_hw_stats_desc(i)->name);
		return 0;
	}
	i -= nb_hw;
	if (i < FBNIC_PORT_XSTATS) {
		snprintf(buf, len, "%s", fbnic_port_sw_names[i]);
		return 0;
	}
	i -= FBNIC_PORT_XSTATS;
	if (i < dev->data->nb_rx_queues * FBNIC_RXQ_XSTATS) {
		q = i / FBNIC_RXQ_XSTATS;
		k = i % FBNIC_RXQ_XSTATS;
		if (k < RTE_DIM(fbnic_rxq_sw_names))
			snprintf(buf, len, "rx_q%u_%s", q, fbnic_rxq_sw_names[k]);
		else
			snprintf(buf, len, "rx_q%u_%s", q,
				 fbnic_q_stats_desc(k - RTE_DIM(fbnic_rxq_sw_names))->name);
		return 0;
	}
	i -= dev->data->nb_rx_queues * FBNIC_RXQ_XSTATS;
	if (i < dev->data->nb_tx_queues * FBNIC_TXQ_XSTATS) {
		q = i / FBNIC_TXQ_XSTATS;
		k = i % FBNIC_TXQ_XSTATS;
		snprintf(buf, len, "tx_q%u_%s", q, fbnic_txq_sw_names[k]);
		return 0;
	}
	return -EINVAL;
}

/* Values of all xstats, in name order, from the published snapshot. */
static unsigned int
fbnic_xstats_fill(struct rte_eth_dev *dev, uint64_t *values, unsigned int n)
{
	struct fbnic_adapter *ad = fbnic_eth_dev_adapter(dev);
	struct fbnic_stats_shadow *sh = &ad->stats;
	unsigned int nb_hw = fbnic_hw_stats_count();
	struct fbnic_queue_stats st;
	unsigned int i = 0, k;
	uint16_t q;

	rte_spinlock_lock(&sh->lock);
	for (k = 0; k < nb_hw && i < n; k++)
		values[i++] = k < sh->nb_hw ? sh->hw[k] : 0;
	if (i < n)
		values[i++] = ad->intr.mbx_events;
	if (i < n)
		values[i++] = ad->intr.pcs_events;
	for (q = 0; q < dev->data->nb_rx_queues && i < n; q++) {
		uint64_t sw[RTE_DIM(fbnic_rxq_sw_names)];

		fbnic_queue_sw_stats(dev, true, q, &st);
		sw[0] = st.packets;
		sw[1] = st.bytes;
		sw[2] = st.errors;
		sw[3] = st.nombuf;
		sw[4] = st.bad_desc;
		sw[5] = st.resets;
		for (k = 0; k < RTE_DIM(sw) && i < n; k++)
			values[i++] = sw[k];
		for (k = 0; k < FBNIC_Q_STAT_NUM && i < n; k++)
			values[i++] = q < FBNIC_MAX_QUEUES ? sh->q[q][k] : 0;
	}
	for (q = 0; q < dev->data->nb_tx_queues && i < n; q++) {
		uint64_t sw[RTE_DIM(fbnic_txq_sw_names)];

		fbnic_queue_sw_stats(dev, false, q, &st);
		sw[0] = st.packets;
		sw[1] = st.bytes;
		sw[2] = st.errors;
		sw[3] = st.drops;
		sw[4] = st.bad_desc;
		sw[5] = st.resets;
		for (k = 0; k < RTE_DIM(sw) && i < n; k++)
			values[i++] = sw[k];
	}
	rte_spinlock_unlock(&sh->lock);
	return i;
}

int
fbnic_xstats_get_names(struct rte_eth_dev *dev, struct rte_eth_xstat_name *names,
		       unsigned int size)
{
	unsigned int n = fbnic_xstats_count(dev);
	unsigned int i;

	if (names == NULL || size < n)
		return (int)n;
	for (i = 0; i < n; i++)
		fbnic_xstat_name(dev, i, names[i].name, sizeof(names[i].name));
	return (int)n;
}

int
fbnic_xstats_get(struct rte_eth_dev *dev, struct rte_eth_xstat *xstats, unsigned int size)
{
	unsigned int n = fbnic_xstats_count(dev);
	uint64_t *values;
	unsigned int i;

	if (xstats == NULL || size < n)
		return (int)n;
	values = rte_zmalloc("fbnic_xstats", sizeof(*values) * n, 0);
	if (values == NULL)
		return -ENOMEM;
	fbnic_stats_refresh(dev);
	fbnic_xstats_fill(dev, values, n);
	for (i = 0; i < n; i++) {
		xstats[i].id = i;
		xstats[i].value = values[i];
	}
	rte_free(values);
	return (int)n;
}

int
fbnic_xstats_get_by_id(struct rte_eth_dev *dev, const uint64_t *ids, uint64_t *out,
		       unsigned int size)
{
	unsigned int n = fbnic_xstats_count(dev);
	uint64_t *values;
	unsigned int i;

	if (ids == NULL)
		return fbnic_xstats_get(dev, NULL, 0) < 0 ? -EINVAL : (int)n;
	if (out == NULL)
		return -EINVAL;
	for (i = 0; i < size; i++) {
		if (ids[i] >= n) {
			PMD_DRV_LOG(ERR, "port %u: xstat id %" PRIu64 " out of range (%u)",
				    dev->data->port_id, ids[i], n);
			return -EINVAL;
		}
	}
	values = rte_zmalloc("fbnic_xstats", sizeof(*values) * n, 0);
	if (values == NULL)
		return -ENOMEM;
	fbnic_stats_refresh(dev);
	fbnic_xstats_fill(dev, values, n);
	for (i = 0; i < size; i++)
		out[i] = values[ids[i]];
	rte_free(values);
	return (int)size;
}

int
fbnic_xstats_get_names_by_id(struct rte_eth_dev *dev, const uint64_t *ids,
			     struct rte_eth_xstat_name *names, unsigned int size)
{
	unsigned int n = fbnic_xstats_count(dev);
	unsigned int i;

	if (ids == NULL)
		return fbnic_xstats_get_names(dev, names, size);
	if (names == NULL)
		return -EINVAL;
	for (i = 0; i < size; i++) {
		if (ids[i] >= n ||
		    fbnic_xstat_name(dev, (unsigned int)ids[i], names[i].name,
				     sizeof(names[i].name)) != 0) {
			PMD_DRV_LOG(ERR, "port %u: xstat id %" PRIu64 " out of range (%u)",
				    dev->data->port_id, ids[i], n);
			return -EINVAL;
		}
	}
	return (int)size;
}

int
fbnic_xstats_reset(struct rte_eth_dev *dev)
{
	return fbnic_stats_reset(dev);
}
