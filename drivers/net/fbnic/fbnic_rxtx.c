/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

#include <errno.h>
#include <string.h>

#include <rte_common.h>
#include <rte_mbuf.h>
#include <ethdev_driver.h>

#include "fbnic_logs.h"
#include "fbnic_rxtx.h"

int
fbnic_rx_queue_setup(struct rte_eth_dev *dev __rte_unused, uint16_t qid __rte_unused,
		     uint16_t nb_desc __rte_unused, unsigned int socket_id __rte_unused,
		     const struct rte_eth_rxconf *conf __rte_unused,
		     struct rte_mempool *mp __rte_unused)
{
	return -ENOTSUP;
}

int
fbnic_tx_queue_setup(struct rte_eth_dev *dev __rte_unused, uint16_t qid __rte_unused,
		     uint16_t nb_desc __rte_unused, unsigned int socket_id __rte_unused,
		     const struct rte_eth_txconf *conf __rte_unused)
{
	return -ENOTSUP;
}

void
fbnic_rx_queue_release(struct rte_eth_dev *dev __rte_unused, uint16_t qid __rte_unused)
{
}

void
fbnic_tx_queue_release(struct rte_eth_dev *dev __rte_unused, uint16_t qid __rte_unused)
{
}

int
fbnic_rx_queue_start(struct rte_eth_dev *dev __rte_unused, uint16_t qid __rte_unused)
{
	return -ENOTSUP;
}

int
fbnic_rx_queue_stop(struct rte_eth_dev *dev __rte_unused, uint16_t qid __rte_unused)
{
	return -ENOTSUP;
}

int
fbnic_tx_queue_start(struct rte_eth_dev *dev __rte_unused, uint16_t qid __rte_unused)
{
	return -ENOTSUP;
}

int
fbnic_tx_queue_stop(struct rte_eth_dev *dev __rte_unused, uint16_t qid __rte_unused)
{
	return -ENOTSUP;
}

void
fbnic_dev_free_queues(struct rte_eth_dev *dev __rte_unused)
{
}

uint16_t
fbnic_recv_pkts(void *rxq __rte_unused, struct rte_mbuf **rx_pkts __rte_unused,
		uint16_t nb_pkts __rte_unused)
{
	return 0;
}

uint16_t
fbnic_xmit_pkts(void *txq __rte_unused, struct rte_mbuf **tx_pkts __rte_unused,
		uint16_t nb_pkts __rte_unused)
{
	return 0;
}

uint16_t
fbnic_prep_pkts(void *txq __rte_unused, struct rte_mbuf **tx_pkts __rte_unused,
		uint16_t nb_pkts __rte_unused)
{
	return nb_pkts;
}

void
fbnic_set_rxtx_functions(struct rte_eth_dev *dev)
{
	dev->rx_pkt_burst = fbnic_recv_pkts;
	dev->tx_pkt_burst = fbnic_xmit_pkts;
	dev->tx_pkt_prepare = fbnic_prep_pkts;
}

int
fbnic_rx_burst_mode_get(struct rte_eth_dev *dev __rte_unused, uint16_t qid __rte_unused,
			struct rte_eth_burst_mode *mode __rte_unused)
{
	return -ENOTSUP;
}

int
fbnic_tx_burst_mode_get(struct rte_eth_dev *dev __rte_unused, uint16_t qid __rte_unused,
			struct rte_eth_burst_mode *mode __rte_unused)
{
	return -ENOTSUP;
}

uint64_t
fbnic_rx_offload_capa(void)
{
	return 0;
}

uint64_t
fbnic_tx_offload_capa(void)
{
	return 0;
}

void
fbnic_rxq_info_get(struct rte_eth_dev *dev __rte_unused, uint16_t qid __rte_unused,
		   struct rte_eth_rxq_info *qinfo __rte_unused)
{
}

void
fbnic_txq_info_get(struct rte_eth_dev *dev __rte_unused, uint16_t qid __rte_unused,
		   struct rte_eth_txq_info *qinfo __rte_unused)
{
}

int
fbnic_rx_descriptor_status(void *rxq __rte_unused, uint16_t offset __rte_unused)
{
	return -ENOTSUP;
}

int
fbnic_tx_descriptor_status(void *txq __rte_unused, uint16_t offset __rte_unused)
{
	return -ENOTSUP;
}

uint32_t
fbnic_rx_queue_count(void *rxq __rte_unused)
{
	return 0;
}

int
fbnic_tx_done_cleanup(void *txq __rte_unused, uint32_t free_cnt __rte_unused)
{
	return -ENOTSUP;
}

void
fbnic_rxq_stats(const void *rxq, struct fbnic_queue_stats *st)
{
	const struct fbnic_rx_queue *q = rxq;

	if (q == NULL)
		memset(st, 0, sizeof(*st));
	else
		*st = q->stats;
}

void
fbnic_txq_stats(const void *txq, struct fbnic_queue_stats *st)
{
	const struct fbnic_tx_queue *q = txq;

	if (q == NULL)
		memset(st, 0, sizeof(*st));
	else
		*st = q->stats;
}

void
fbnic_rxq_stats_reset(void *rxq)
{
	struct fbnic_rx_queue *q = rxq;

	if (q != NULL)
		memset(&q->stats, 0, sizeof(q->stats));
}

void
fbnic_txq_stats_reset(void *txq)
{
	struct fbnic_tx_queue *q = txq;

	if (q != NULL)
		memset(&q->stats, 0, sizeof(q->stats));
}
