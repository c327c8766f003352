/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

/*
 * Diagnostics: the port's private state (rte_eth_dev_priv_dump) and the
 * raw descriptors of a queue (rte_eth_rx/tx_descriptor_dump). Primary and
 * secondary processes read the same shared state; a secondary reads no
 * register.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>

#include <rte_common.h>
#include <ethdev_driver.h>

#include "fbnic_ethdev.h"
#include "fbnic_logs.h"
#include "fbnic_rxtx.h"
#include "fbnic_tx.h"

static const char *
fbnic_yes(bool b)
{
	return b ? "yes" : "no";
}

static const char *
fbnic_rx_scheme_name(uint8_t scheme)
{
	switch (scheme) {
	case FBNIC_RX_SCHEME_BUFS:
		return "buffers";
	case FBNIC_RX_SCHEME_COPY:
		return "copy";
	case FBNIC_RX_SCHEME_ZC:
		return "zero-copy";
	case FBNIC_RX_SCHEME_SPLIT:
		return "split";
	}
	return "?";
}

static void
fbnic_dump_stats(FILE *f, const struct fbnic_queue_stats *st)
{
	fprintf(f, "      packets %" PRIu64 " bytes %" PRIu64 " errors %" PRIu64 " drops %"
		PRIu64 " nombuf %" PRIu64 " bad_desc %" PRIu64 " resets %" PRIu64 "\n",
		st->packets, st->bytes, st->errors, st->drops, st->nombuf, st->bad_desc,
		st->resets);
}

static void
fbnic_dump_queues(struct rte_eth_dev *dev, FILE *f)
{
	struct rte_eth_burst_mode mode;
	struct fbnic_queue_stats st;
	uint16_t q;

	for (q = 0; q < dev->data->nb_rx_queues; q++) {
		const struct fbnic_rx_queue *rxq = dev->data->rx_queues[q];

		if (rxq == NULL) {
			fprintf(f, "  rx queue %u: not set up\n", q);
			continue;
		}
		fprintf(f, "  rx queue %u: %s scheme, %s, RCQ %u entries head %u (pass %u), "
			"HPQ head %u tail %u of %u, PPQ head %u tail %u fill %u\n", q,
			fbnic_rx_scheme_name(rxq->scheme), rxq->started ? "started" : "stopped",
			rxq->nb_desc, rxq->rcq_head & rxq->rcq_mask,
			!!(rxq->rcq_head & rxq->nb_desc), rxq->hpq_head, rxq->hpq_tail,
			rxq->bdq_mask + 1u, rxq->ppq_head, rxq->ppq_tail, rxq->ppq_fill);
		fbnic_rxq_stats(rxq, &st);
		fbnic_dump_stats(f, &st);
	}
	for (q = 0; q < dev->data->nb_tx_queues; q++) {
		const struct fbnic_tx_queue *txq = dev->data->tx_queues[q];

		if (txq == NULL) {
			fprintf(f, "  tx queue %u: not set up\n", q);
			continue;
		}
		fprintf(f, "  tx queue %u: %s, TWQ %u entries tail %u head %u device head %u "
			"(%u in use), TCQ head %u\n", q, txq->started ? "started" : "stopped",
			txq->mask + 1, txq->tail, txq->head, txq->hw_head, fbnic_tx_used(txq),
			txq->tcq_head & txq->mask);
		fbnic_txq_stats(txq, &st);
		fbnic_dump_stats(f, &st);
	}
	if (dev->data->nb_rx_queues > 0 && fbnic_rx_burst_mode_get(dev, 0, &mode) == 0)
		fprintf(f, "  rx path: %s\n", mode.info);
	if (dev->data->nb_tx_queues > 0 && fbnic_tx_burst_mode_get(dev, 0, &mode) == 0)
		fprintf(f, "  tx path: %s\n", mode.info);
}

int
fbnic_dev_priv_dump(struct rte_eth_dev *dev, FILE *f)
{
	struct fbnic_adapter *ad = fbnic_eth_dev_adapter(dev);
	char ver[FBNIC_FW_VER_STR_LEN] = "?";
	bool primary = fbnic_is_primary();

	if (f == NULL)
		return -EINVAL;
	if (primary)
		fbnic_lock(ad);
	if (ad->caps_valid)
		fbnic_fw_ver_str(ad->caps.running.version, ver, sizeof(ver));
	fprintf(f, "fbnic port %u (%s process)\n", dev->data->port_id,
		primary ? "primary" : "secondary");
	fprintf(f, "  device: %s, removed %s, closed %s, started %s, link admin %s\n",
		ad->hw.reg_ops != NULL ? "model" : "PCI", fbnic_yes(ad->hw.removed),
		fbnic_yes(ad->closed), fbnic_yes(ad->started), ad->link_admin_up ? "up" : "down");
	/*
	 * State only, no clock or event counts: testpmd prints this in "show
	 * port info", which DTS compares across a port restart. The interrupt
	 * callback counts are xstats.
	 */
	fprintf(f, "  firmware: %s, capabilities %s, owned %s, crashed %s, reclaim pending %s",
		ver, fbnic_yes(ad->caps_valid), fbnic_yes(ad->fw_owned),
		fbnic_yes(ad->fw_crashed), fbnic_yes(ad->fw_reclaim_pending));
	fprintf(f, "\n  rx mode: promiscuous %s, all-multicast %s, multicast list %u%s\n",
		fbnic_yes(ad->promisc), fbnic_yes(ad->allmulti), ad->nb_mc,
		ad->mc_list_overflow ? " (overflow)" : "");
	fprintf(f, "  rss: hash types 0x%" PRIx64 "\n", ad->rss_hf);
	fprintf(f, "  interrupts: %u Rx queue vectors, moderation %u us / %u frames\n",
		ad->intr.nb_rxq_vectors, ad->intr.rx_usecs, ad->intr.rx_frames);
	fbnic_dump_queues(dev, f);
	if (primary)
		fbnic_unlock(ad);
	return 0;
}

/* Which descriptors of a ring of size entries: num from start, all in the ring. */
static int
fbnic_dump_range(uint16_t port, const char *what, uint16_t qid, uint32_t size,
		 uint16_t offset, uint16_t num)
{
	if (num == 0 || num > size || offset >= size) {
		PMD_DRV_LOG(ERR, "port %u: %s queue %u: %u descriptors from offset %u, the ring "
			    "has %u", port, what, qid, num, offset, size);
		return -EINVAL;
	}
	return 0;
}

int
fbnic_rx_descriptor_dump(const struct rte_eth_dev *dev, uint16_t qid, uint16_t offset,
			 uint16_t num, FILE *f)
{
	const struct fbnic_rx_queue *rxq;
	uint32_t i;
	int ret;

	if (f == NULL || qid >= dev->data->nb_rx_queues || dev->data->rx_queues[qid] == NULL)
		return -EINVAL;
	rxq = dev->data->rx_queues[qid];
	ret = fbnic_dump_range(dev->data->port_id, "rx", qid, rxq->nb_desc, offset, num);
	if (ret != 0)
		return ret;
	/* From the next entry the burst reads (RCQ head + offset). */
	fprintf(f, "port %u rx queue %u: RCQ entries %u.. (head %u)\n", dev->data->port_id,
		qid, (rxq->rcq_head + offset) & rxq->rcq_mask, rxq->rcq_head & rxq->rcq_mask);
	for (i = 0; i < num; i++) {
		uint32_t pos = rxq->rcq_head + offset + i;
		uint64_t d = fbnic_cmpl_read(rxq->rcq, pos & rxq->rcq_mask);
		static const char *const type[] = { "HDR_AL", "PAY_AL", "OPT_META", "META" };

		fprintf(f, "  %5u: 0x%016" PRIx64 " %-8s %s\n", pos & rxq->rcq_mask, d,
			type[FBNIC_FIELD_GET(FBNIC_RCD_TYPE_MASK, d)],
			fbnic_cmpl_new(d, pos, rxq->nb_desc) ? "new" : "old");
	}
	return 0;
}

int
fbnic_tx_descriptor_dump(const struct rte_eth_dev *dev, uint16_t qid, uint16_t offset,
			 uint16_t num, FILE *f)
{
	const struct fbnic_tx_queue *txq;
	uint32_t i;
	int ret;

	if (f == NULL || qid >= dev->data->nb_tx_queues || dev->data->tx_queues[qid] == NULL)
		return -EINVAL;
	txq = dev->data->tx_queues[qid];
	ret = fbnic_dump_range(dev->data->port_id, "tx", qid, txq->mask + 1, offset, num);
	if (ret != 0)
		return ret;
	/* From the next TWD the burst writes (tail + offset). */
	fprintf(f, "port %u tx queue %u: TWQ entries %u.. (tail %u, head %u)\n",
		dev->data->port_id, qid, (txq->tail + offset) & txq->mask, txq->tail, txq->head);
	for (i = 0; i < num; i++) {
		uint32_t idx = (txq->tail + offset + i) & txq->mask;
		uint64_t d = rte_le_to_cpu_64(txq->twq[idx]);
		static const char *const type[] = { "META", "OPT_META", "AL", "LAST_AL" };

		fprintf(f, "  %5u: 0x%016" PRIx64 " %s\n", idx, d,
			type[FBNIC_FIELD_GET(FBNIC_TWD_TYPE_MASK, d)]);
	}
	return 0;
}
