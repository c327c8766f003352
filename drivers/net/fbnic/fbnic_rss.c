/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

/*
 * RSS: the ethdev hash types, key and redirection table, staged in the
 * classifier's images (base/fbnic_rpc) and written to the device while the
 * port runs (fbnic_hw.rst 7.5). Copies of the key and table 0 are published
 * in the port's shared data for secondary processes.
 */

#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include <rte_common.h>
#include <ethdev_driver.h>

#include "fbnic_ethdev.h"
#include "fbnic_logs.h"
#include "fbnic_rpc.h"

/* ---- Configuration ------------------------------------------------------- */

/*
 * ethdev RSS hash types -> per-flow-type hash inputs of the RSS entries.
 * *_SRC_ONLY / *_DST_ONLY narrow the addresses or ports of every flow type
 * (ethdev drops a pair of both); the flow label adds to every IPv6 type.
 */
static void
fbnic_rss_hf_to_fields(uint64_t hf, uint8_t fields[FBNIC_RSS_FLOW_NUM])
{
	uint8_t l3 = FBNIC_RSS_F_L3, l4 = FBNIC_RSS_F_L4_SRC | FBNIC_RSS_F_L4_DST;
	uint8_t fl = (hf & FBNIC_RSS_HF_FLOW_LABEL) ? FBNIC_RSS_F_IP6_FL : 0;
	uint8_t v4, v6;

	if (hf & RTE_ETH_RSS_L3_SRC_ONLY)
		l3 = FBNIC_RSS_F_IP_SRC;
	else if (hf & RTE_ETH_RSS_L3_DST_ONLY)
		l3 = FBNIC_RSS_F_IP_DST;
	if (hf & RTE_ETH_RSS_L4_SRC_ONLY)
		l4 = FBNIC_RSS_F_L4_SRC;
	else if (hf & RTE_ETH_RSS_L4_DST_ONLY)
		l4 = FBNIC_RSS_F_L4_DST;
	v4 = (hf & FBNIC_RSS_HF_IPV4) ? l3 : 0;
	v6 = (hf & FBNIC_RSS_HF_IPV6) ? l3 | fl : 0;

	fields[FBNIC_RSS_FLOW_IP4] = v4;
	fields[FBNIC_RSS_FLOW_TCP4] = (hf & RTE_ETH_RSS_NONFRAG_IPV4_TCP) ? l3 | l4 : v4;
	fields[FBNIC_RSS_FLOW_UDP4] = (hf & RTE_ETH_RSS_NONFRAG_IPV4_UDP) ? l3 | l4 : v4;
	fields[FBNIC_RSS_FLOW_IP6] = v6;
	fields[FBNIC_RSS_FLOW_TCP6] = (hf & RTE_ETH_RSS_NONFRAG_IPV6_TCP) ? l3 | l4 | fl : v6;
	fields[FBNIC_RSS_FLOW_UDP6] = (hf & RTE_ETH_RSS_NONFRAG_IPV6_UDP) ? l3 | l4 | fl : v6;
	fields[FBNIC_RSS_FLOW_OTHER] = (hf & RTE_ETH_RSS_L2_PAYLOAD) ? FBNIC_RSS_F_L2_DA : 0;
}

uint8_t
fbnic_rss_hf_fields(uint64_t hf, unsigned int flow)
{
	uint8_t fields[FBNIC_RSS_FLOW_NUM];

	if (flow >= FBNIC_RSS_FLOW_NUM)
		return 0;
	fbnic_rss_hf_to_fields(hf, fields);
	return fields[flow];
}

/* Copy the RSS key and table 0 where a secondary process can read them. Lock held. */
void
fbnic_rss_publish(struct fbnic_adapter *ad)
{
	if (ad->hw.rpc == NULL)
		return;
	fbnic_rpc_get_rss_key(&ad->hw, ad->rss_key);
	if (fbnic_rpc_get_reta(&ad->hw, 0, ad->reta, FBNIC_RSS_RETA_SIZE) != 0)
		memset(ad->reta, 0, sizeof(ad->reta));
}

/* Stage hash types and key; written to hardware now when the port runs. Lock held. */
int
fbnic_rss_apply(struct rte_eth_dev *dev, const struct rte_eth_rss_conf *conf)
{
	struct fbnic_adapter *ad = fbnic_eth_dev_adapter(dev);
	struct fbnic_hw *hw = &ad->hw;
	uint8_t fields[FBNIC_RSS_FLOW_NUM];
	unsigned int flow;
	int ret;

	if (conf->rss_hf & ~FBNIC_RSS_OFFLOAD_ALL) {
		PMD_DRV_LOG(ERR, "port %u: unsupported RSS hash types 0x%" PRIx64,
			    dev->data->port_id, conf->rss_hf & ~FBNIC_RSS_OFFLOAD_ALL);
		return -EINVAL;
	}
	if (conf->rss_key != NULL && conf->rss_key_len != FBNIC_RSS_KEY_SIZE) {
		PMD_DRV_LOG(ERR, "port %u: RSS key of %u bytes, the device takes %u",
			    dev->data->port_id, conf->rss_key_len, FBNIC_RSS_KEY_SIZE);
		return -EINVAL;
	}
	if (conf->rss_key != NULL) {
		ret = fbnic_rpc_set_rss_key(hw, conf->rss_key, conf->rss_key_len);
		if (ret != 0)
			return ret;
	}
	fbnic_rss_hf_to_fields(conf->rss_hf, fields);
	for (flow = 0; flow < FBNIC_RSS_FLOW_NUM; flow++) {
		ret = fbnic_rpc_set_hash_fields(hw, flow, fields[flow]);
		if (ret != 0)
			return ret;
	}
	ad->rss_hf = conf->rss_hf;
	fbnic_rss_publish(ad);
	if (ad->started) {
		fbnic_rss_reinit(hw);
		fbnic_rpc_write_rules(hw);
		fbnic_rss_write_hw(hw);
	}
	return 0;
}

/* ---- Operations ----------------------------------------------------------- */

int
fbnic_rss_hash_update(struct rte_eth_dev *dev, struct rte_eth_rss_conf *conf)
{
	struct fbnic_adapter *ad = fbnic_eth_dev_adapter(dev);
	int ret = fbnic_dev_usable(dev);

	if (ret != 0)
		return ret;
	if (conf == NULL)
		return -EINVAL;
	fbnic_lock(ad);
	ret = fbnic_rss_apply(dev, conf);
	fbnic_unlock(ad);
	return ret;
}

int
fbnic_rss_hash_conf_get(struct rte_eth_dev *dev, struct rte_eth_rss_conf *conf)
{
	struct fbnic_adapter *ad = fbnic_eth_dev_adapter(dev);

	if (conf == NULL)
		return -EINVAL;
	conf->rss_hf = ad->rss_hf;
	if (conf->rss_key != NULL) {
		if (conf->rss_key_len < FBNIC_RSS_KEY_SIZE)
			return -EINVAL;
		memcpy(conf->rss_key, ad->rss_key, FBNIC_RSS_KEY_SIZE);
	}
	conf->rss_key_len = FBNIC_RSS_KEY_SIZE;
#ifdef RTE_ETH_HASH_ALGO_CAPA_MASK
	conf->algorithm = RTE_ETH_HASH_FUNCTION_TOEPLITZ;
#endif
	return 0;
}

int
fbnic_reta_update(struct rte_eth_dev *dev, struct rte_eth_rss_reta_entry64 *conf,
		  uint16_t size)
{
	struct fbnic_adapter *ad = fbnic_eth_dev_adapter(dev);
	uint16_t reta[FBNIC_RSS_RETA_SIZE];
	unsigned int i, tbl;
	int ret = fbnic_dev_usable(dev);

	if (ret != 0)
		return ret;
	if (conf == NULL || size != FBNIC_RSS_RETA_SIZE) {
		PMD_DRV_LOG(ERR, "port %u: RETA of %u entries, the device has %u",
			    dev->data->port_id, size, FBNIC_RSS_RETA_SIZE);
		return -EINVAL;
	}
	fbnic_lock(ad);
	ret = fbnic_rpc_get_reta(&ad->hw, 0, reta, FBNIC_RSS_RETA_SIZE);
	if (ret != 0)
		goto out;
	for (i = 0; i < FBNIC_RSS_RETA_SIZE; i++) {
		const struct rte_eth_rss_reta_entry64 *g = &conf[i / RTE_ETH_RETA_GROUP_SIZE];
		unsigned int k = i % RTE_ETH_RETA_GROUP_SIZE;

		if (!(g->mask & (UINT64_C(1) << k)))
			continue;
		if (g->reta[k] >= dev->data->nb_rx_queues) {
			PMD_DRV_LOG(ERR, "port %u: RETA entry %u -> queue %u, only %u queues",
				    dev->data->port_id, i, g->reta[k], dev->data->nb_rx_queues);
			ret = -EINVAL;
			goto out;
		}
		reta[i] = g->reta[k];
	}
	/* Table 1 follows unless flow rules hold it (fbnic_flow.c). */
	for (tbl = 0; tbl < (ad->flow_rss_users != 0 ? 1u : FBNIC_RSS_TABLES); tbl++) {
		ret = fbnic_rpc_set_reta(&ad->hw, tbl, reta, FBNIC_RSS_RETA_SIZE);
		if (ret != 0)
			goto out;
	}
	fbnic_rss_publish(ad);
	if (ad->started)
		fbnic_rss_write_hw(&ad->hw);
out:
	fbnic_unlock(ad);
	return ret;
}

int
fbnic_reta_query(struct rte_eth_dev *dev, struct rte_eth_rss_reta_entry64 *conf,
		 uint16_t size)
{
	struct fbnic_adapter *ad = fbnic_eth_dev_adapter(dev);
	unsigned int i;

	if (conf == NULL || size != FBNIC_RSS_RETA_SIZE)
		return -EINVAL;
	for (i = 0; i < FBNIC_RSS_RETA_SIZE; i++) {
		struct rte_eth_rss_reta_entry64 *g = &conf[i / RTE_ETH_RETA_GROUP_SIZE];
		unsigned int k = i % RTE_ETH_RETA_GROUP_SIZE;

		if (g->mask & (UINT64_C(1) << k))
			g->reta[k] = ad->reta[i];
	}
	return 0;
}
