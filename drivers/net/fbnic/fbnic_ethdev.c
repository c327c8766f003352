/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

/*
 * The bus-independent core of the driver, shared by the PCI front end
 * (fbnic_pci.c) and the model vdev: device bring-up and teardown, the
 * common init, configure and device information, start, stop, close and
 * reset, the queue operations, Rx mode and MAC addresses, MTU, firmware
 * version and register dump, the devarg helpers, and the eth_dev_ops table.
 * RSS lives in fbnic_rss.c, link and service alarm in fbnic_link.c,
 * statistics in fbnic_xstats.c.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <rte_common.h>
#include <rte_eal.h>
#include <rte_ether.h>
#include <rte_log.h>
#include <rte_malloc.h>
#include <rte_vect.h>
#include <ethdev_driver.h>

#include "fbnic_ethdev.h"
#include "fbnic_logs.h"
#include "fbnic_rxtx.h"
#include "fbnic_hw.h"
#include "fbnic_fw.h"
#include "fbnic_hw_stats.h"
#include "fbnic_mac.h"
#include "fbnic_rpc.h"

RTE_LOG_REGISTER_SUFFIX(fbnic_logtype_init, init, NOTICE);
RTE_LOG_REGISTER_SUFFIX(fbnic_logtype_driver, driver, NOTICE);
RTE_LOG_REGISTER_SUFFIX(fbnic_logtype_rx, rx, NOTICE);
RTE_LOG_REGISTER_SUFFIX(fbnic_logtype_tx, tx, NOTICE);
RTE_LOG_REGISTER_SUFFIX(fbnic_logtype_mbox, mbox, NOTICE);
RTE_LOG_REGISTER_SUFFIX(fbnic_logtype_base, base, NOTICE);

static const struct eth_dev_ops fbnic_eth_dev_ops;

/* ---- Device bring-up and teardown -------------------------------------- */

static void
fbnic_hw_teardown(struct fbnic_adapter *ad)
{
	struct fbnic_hw *hw = &ad->hw;

	fbnic_fw_release(hw);
	fbnic_hw_stats_fini(hw);
	/* Rules live in the classifier state: they go with it. */
	if (hw->rpc != NULL) {
		fbnic_lock(ad);
		fbnic_flow_flush_locked(ad);
		fbnic_unlock(ad);
	}
	fbnic_rpc_fini(hw);
	ad->caps_valid = false;
	ad->fw_owned = false;
}

/*
 * Everything probe and reset do to the device (fbnic_hw.rst 5.1): registers,
 * firmware, capabilities, link mode, classifier and counters.
 */
static int
fbnic_hw_bringup(struct rte_eth_dev *dev)
{
	struct fbnic_adapter *ad = fbnic_eth_dev_adapter(dev);
	struct fbnic_hw *hw = &ad->hw;
	const struct fbnic_fw_caps *caps;
	const char *name = dev->data->name;
	char ver[FBNIC_FW_VER_STR_LEN];
	uint32_t probe_val;
	int ret;

	probe_val = fbnic_rd32(hw, FBNIC_HW_FLUSH_IDX);
	if (hw->removed) {
		PMD_INIT_LOG(ERR, "%s: device does not answer (BAR0 reads 0x%08x)", name,
			     probe_val);
		return -ENODEV;
	}

	fbnic_init_regs(hw);
	fbnic_ptp_init(ad);

	ret = fbnic_fw_init(hw);
	if (ret != 0) {
		if (ret == -ETIMEDOUT)
			PMD_INIT_LOG(ERR, "%s: firmware did not come up (no mailbox answer): %d",
				     name, ret);
		else if (ret == -EOPNOTSUPP)
			PMD_INIT_LOG(ERR, "%s: firmware too old, need at least 0.10.6.0", name);
		else
			PMD_INIT_LOG(ERR, "%s: firmware mailbox bring-up failed: %d", name, ret);
		goto fail;
	}
	caps = fbnic_fw_caps_get(hw);
	if (caps == NULL) {
		PMD_INIT_LOG(ERR, "%s: firmware sent no capabilities", name);
		ret = -EIO;
		goto fail;
	}
	if (caps->running.version < FBNIC_FW_MIN_VER_CODE) {
		fbnic_fw_ver_str(caps->running.version, ver, sizeof(ver));
		PMD_INIT_LOG(ERR, "%s: firmware %s is older than 0.10.6.0", name, ver);
		ret = -EOPNOTSUPP;
		goto fail;
	}
	ad->caps = *caps;
	ad->caps.running.commit[FBNIC_FW_COMMIT_STR_LEN - 1] = '\0';
	ad->caps_valid = true;
	hw->bmc_present = caps->bmc_present;

	ret = fbnic_link_mode_from_fw(caps->link_mode, caps->link_fec, &hw->link_aui,
				      &hw->link_fec);
	if (ret != 0) {
		PMD_INIT_LOG(ERR, "%s: firmware reports an unknown link mode %u / FEC %u",
			     name, caps->link_mode, caps->link_fec);
		goto fail;
	}
	hw->link_hold_off_ms = ad->devargs.link_hold_off_ms;
	/* Pause-storm guard on, with Linux's default timeout. */
	hw->ps_timeout_ms = FBNIC_MAC_PS_TIMEOUT_DEFAULT_MS;

	TAILQ_INIT(&ad->flows);
	ret = fbnic_rpc_init(hw);
	if (ret != 0) {
		PMD_INIT_LOG(ERR, "%s: cannot allocate classifier state: %d", name, ret);
		goto fail;
	}
	/* A BMC shares the classifier: its addresses and rules, as Linux keeps them. */
	if (hw->bmc_present) {
		ret = fbnic_rpc_bmc_init(hw, (const fbnic_mac_addr_t *)caps->bmc_mac,
					 caps->bmc_mac_count, caps->bmc_all_multi);
		if (ret != 0) {
			PMD_INIT_LOG(ERR, "%s: cannot stage the BMC's rules: %d", name, ret);
			goto fail;
		}
		PMD_INIT_LOG(INFO, "%s: BMC present, %u address(es)%s", name,
			     caps->bmc_mac_count, caps->bmc_all_multi ? ", all multicast" : "");
	}
	fbnic_rss_publish(ad);
	ret = fbnic_hw_stats_init(hw, FBNIC_MAX_QUEUES);
	if (ret != 0) {
		PMD_INIT_LOG(ERR, "%s: cannot allocate counter state: %d", name, ret);
		goto fail;
	}
	fbnic_mac_link_down(hw);
	hw->link_up = false;
	fbnic_stats_publish(ad, true);

	fbnic_fw_ver_str(caps->running.version, ver, sizeof(ver));
	PMD_INIT_LOG(INFO, "%s: firmware %s, link %u Mbps, FEC %s%s", name, ver,
		     fbnic_link_speed_mbps(hw->link_aui),
		     hw->link_fec == FBNIC_FEC_RS ? "RS" :
		     hw->link_fec == FBNIC_FEC_BASER ? "BASE-R" : "off",
		     hw->bmc_present ? ", BMC present" : "");
	return 0;

fail:
	fbnic_hw_teardown(ad);
	return ret;
}

int
fbnic_dev_init_secondary(struct rte_eth_dev *dev)
{
	struct fbnic_adapter *ad = fbnic_eth_dev_adapter(dev);

	dev->dev_ops = &fbnic_eth_dev_ops;
	dev->rx_queue_count = fbnic_rx_queue_count;
	dev->rx_descriptor_status = fbnic_rx_descriptor_status;
	dev->tx_descriptor_status = fbnic_tx_descriptor_status;
	/*
	 * Registers behind reg_ops (the model's vdev) are callbacks at the
	 * primary's addresses: a secondary only reads shared state.
	 */
	if (ad->hw.reg_ops != NULL) {
		dev->rx_pkt_burst = rte_eth_pkt_burst_dummy;
		dev->tx_pkt_burst = rte_eth_pkt_burst_dummy;
		return 0;
	}
	fbnic_set_rxtx_functions(dev);
	return 0;
}

int
fbnic_dev_init(struct rte_eth_dev *dev, const struct fbnic_dev_init_params *p)
{
	struct fbnic_adapter *ad = fbnic_eth_dev_adapter(dev);
	struct fbnic_hw *hw = &ad->hw;
	const char *name = dev->data->name;
	uint8_t mac[FBNIC_ETH_ALEN];
	int ret;

	if (!fbnic_is_primary())
		return fbnic_dev_init_secondary(dev);

	if ((p->reg_ops == NULL && (p->bar0 == NULL || p->bar4 == NULL)) ||
	    (p->reg_ops != NULL && (p->reg_ops->read32 == NULL || p->reg_ops->write32 == NULL))) {
		PMD_INIT_LOG(ERR, "%s: no register access", name);
		return -EINVAL;
	}

	memset(ad, 0, sizeof(*ad));
	rte_spinlock_init(&ad->lock);
	rte_spinlock_init(&ad->stats.lock);
	ad->eth_dev = dev;
	ad->devargs = p->devargs;
	ad->owner = p->owner;
	ad->owner_close = p->owner_close;
	ad->link_admin_up = true;
	hw->bar0 = p->bar0;
	hw->bar4 = p->bar4;
	hw->reg_ops = p->reg_ops;
	hw->reg_ctx = p->reg_ctx;
	hw->port_id = dev->data->port_id;
	hw->pcie = p->pcie;
	fbnic_pcie_cfg_default(&hw->pcie);
	hw->back = ad;

	dev->dev_ops = &fbnic_eth_dev_ops;
	dev->rx_queue_count = fbnic_rx_queue_count;
	dev->rx_descriptor_status = fbnic_rx_descriptor_status;
	dev->tx_descriptor_status = fbnic_tx_descriptor_status;
	dev->rx_pkt_burst = rte_eth_pkt_burst_dummy;
	dev->tx_pkt_burst = rte_eth_pkt_burst_dummy;

	/* The MAC address comes only from the DSN (fbnic_hw.rst 1). */
	if (!p->dsn_valid) {
		PMD_INIT_LOG(ERR, "%s: no PCIe Device Serial Number: no MAC address, no port",
			     name);
		return -ENXIO;
	}
	hw->dsn = p->dsn;
	if (fbnic_dsn_to_mac(hw->dsn, mac) != 0) {
		PMD_INIT_LOG(ERR,
			     "%s: Device Serial Number 0x%016" PRIx64
			     " gives no valid unicast MAC address: no port", name, hw->dsn);
		return -ENXIO;
	}
	memcpy(hw->mac_addr, mac, sizeof(mac));

	ret = fbnic_intr_init(dev);
	if (ret != 0)
		return ret;
	ret = fbnic_hw_bringup(dev);
	if (ret != 0) {
		fbnic_intr_release(dev);
		return ret;
	}

	dev->data->mac_addrs = rte_zmalloc("fbnic_mac_addrs",
					   sizeof(struct rte_ether_addr) * FBNIC_MAX_MAC_ADDRS, 0);
	if (dev->data->mac_addrs == NULL) {
		PMD_INIT_LOG(ERR, "%s: no memory for MAC addresses", name);
		fbnic_hw_teardown(ad);
		fbnic_intr_release(dev);
		return -ENOMEM;
	}
	memcpy(dev->data->mac_addrs[0].addr_bytes, mac, RTE_ETHER_ADDR_LEN);
	memcpy(ad->uc[0].addr_bytes, mac, RTE_ETHER_ADDR_LEN);

	/* Process-local choice of the Rx path; set on every probe (port ids are reused). */
	fbnic_rx_zero_copy_set(dev->data->port_id, ad->devargs.rx_zero_copy);

	dev->data->dev_flags |= RTE_ETH_DEV_INTR_LSC | RTE_ETH_DEV_INTR_RMV;
	dev->data->mtu = RTE_ETHER_MTU;
	(void)fbnic_link_refresh(dev);

	fbnic_service_arm(dev);
	/* Without the callbacks the alarm serves the mailbox and the link alone. */
	(void)fbnic_intr_events_on(dev);
	PMD_INIT_LOG(INFO, "%s: port %u, MAC " RTE_ETHER_ADDR_PRT_FMT, name,
		     dev->data->port_id, RTE_ETHER_ADDR_BYTES(&dev->data->mac_addrs[0]));
	return 0;
}

/* ---- Configuration ------------------------------------------------------- */

static int
fbnic_dev_configure(struct rte_eth_dev *dev)
{
	struct fbnic_adapter *ad = fbnic_eth_dev_adapter(dev);
	struct rte_eth_conf *conf = &dev->data->dev_conf;
	struct rte_eth_rss_conf rss = conf->rx_adv_conf.rss_conf;
	uint16_t port = dev->data->port_id;
	uint16_t nb_rss_queues;
	int ret;

	ret = fbnic_dev_usable(dev);
	if (ret != 0)
		return ret;

	if (conf->rxmode.mq_mode != RTE_ETH_MQ_RX_NONE &&
	    conf->rxmode.mq_mode != RTE_ETH_MQ_RX_RSS) {
		PMD_DRV_LOG(ERR, "port %u: Rx multi-queue mode %d not supported (NONE or RSS)",
			    port, conf->rxmode.mq_mode);
		return -ENOTSUP;
	}
	if (conf->txmode.mq_mode != RTE_ETH_MQ_TX_NONE) {
		PMD_DRV_LOG(ERR, "port %u: Tx multi-queue mode %d not supported", port,
			    conf->txmode.mq_mode);
		return -ENOTSUP;
	}
	ret = fbnic_intr_configure(dev);
	if (ret != 0)
		return ret;
	if (conf->lpbk_mode > 1) {
		PMD_DRV_LOG(ERR, "port %u: loopback mode %u not supported (0 or 1: PCS)",
			    port, conf->lpbk_mode);
		return -EINVAL;
	}
	if (conf->rxmode.offloads & ~fbnic_rx_offload_capa()) {
		PMD_DRV_LOG(ERR, "port %u: unsupported Rx offloads 0x%" PRIx64, port,
			    conf->rxmode.offloads & ~fbnic_rx_offload_capa());
		return -EINVAL;
	}
	if (conf->txmode.offloads & ~fbnic_tx_offload_capa()) {
		PMD_DRV_LOG(ERR, "port %u: unsupported Tx offloads 0x%" PRIx64, port,
			    conf->txmode.offloads & ~fbnic_tx_offload_capa());
		return -EINVAL;
	}

	if ((conf->rxmode.mq_mode & RTE_ETH_MQ_RX_RSS_FLAG) &&
	    (fbnic_rx_offload_capa() & RTE_ETH_RX_OFFLOAD_RSS_HASH))
		conf->rxmode.offloads |= RTE_ETH_RX_OFFLOAD_RSS_HASH;

	fbnic_lock(ad);
	nb_rss_queues = (conf->rxmode.mq_mode & RTE_ETH_MQ_RX_RSS_FLAG) ?
			dev->data->nb_rx_queues : 1;
	fbnic_rpc_set_nb_rx_queues(&ad->hw, RTE_MAX(nb_rss_queues, (uint16_t)1));
	if (!(conf->rxmode.mq_mode & RTE_ETH_MQ_RX_RSS_FLAG))
		rss.rss_hf = 0;
	ret = fbnic_rss_apply(dev, &rss);
	fbnic_unlock(ad);
	return ret;
}

static int
fbnic_dev_infos_get(struct rte_eth_dev *dev, struct rte_eth_dev_info *info)
{
	RTE_SET_USED(dev);

	info->max_rx_queues = FBNIC_MAX_RX_QUEUES;
	info->max_tx_queues = FBNIC_MAX_TX_QUEUES;
	info->min_rx_bufsize = RTE_ETHER_MIN_LEN;
	info->max_rx_pktlen = FBNIC_MAX_RX_PKTLEN;
	info->min_mtu = FBNIC_MIN_MTU;
	info->max_mtu = FBNIC_MAX_MTU;
	info->max_mac_addrs = FBNIC_MAX_MAC_ADDRS;

	info->rx_offload_capa = fbnic_rx_offload_capa();
	info->tx_offload_capa = fbnic_tx_offload_capa();
	info->rx_queue_offload_capa = 0;
	fbnic_rx_seg_capa_get(&info->rx_seg_capa);
	info->tx_queue_offload_capa = 0;

	info->reta_size = FBNIC_RSS_RETA_SIZE;
	info->hash_key_size = FBNIC_RSS_KEY_SIZE;
	info->flow_type_rss_offloads = FBNIC_RSS_OFFLOAD_ALL;
#ifdef RTE_ETH_HASH_ALGO_CAPA_MASK
	/* Toeplitz is the only hash function of both RSS contexts (DPDK >= 23.11). */
	info->rss_algo_capa = RTE_ETH_HASH_ALGO_CAPA_MASK(DEFAULT) |
			      RTE_ETH_HASH_ALGO_CAPA_MASK(TOEPLITZ);
#endif

	info->default_rxconf = (struct rte_eth_rxconf) {
		.rx_free_thresh = 32,
		.rx_drop_en = 0,
	};
	info->default_txconf = (struct rte_eth_txconf) {
		.tx_free_thresh = FBNIC_TX_FREE_THRESH,
	};
	info->rx_desc_lim = (struct rte_eth_desc_lim) {
		.nb_max = 32768,	/* 65536 does not fit the ethdev's 16-bit count */
		.nb_min = FBNIC_MIN_RING_DESC,
		.nb_align = FBNIC_MIN_RING_DESC,
	};
	info->tx_desc_lim = (struct rte_eth_desc_lim) {
		.nb_max = 32768,
		.nb_min = FBNIC_MIN_RING_DESC,
		.nb_align = FBNIC_MIN_RING_DESC,
		.nb_seg_max = FBNIC_TX_MAX_SEGS,
		.nb_mtu_seg_max = FBNIC_TX_MAX_SEGS,
	};
	info->default_rxportconf.burst_size = 32;
	info->default_txportconf.burst_size = 32;
	info->default_rxportconf.ring_size = FBNIC_DEFAULT_RING_DESC;
	info->default_txportconf.ring_size = FBNIC_DEFAULT_RING_DESC;
	info->default_rxportconf.nb_queues = 1;
	info->default_txportconf.nb_queues = 1;

	info->speed_capa = RTE_ETH_LINK_SPEED_25G | RTE_ETH_LINK_SPEED_50G |
			   RTE_ETH_LINK_SPEED_100G;
	info->dev_capa = RTE_ETH_DEV_CAPA_RUNTIME_RX_QUEUE_SETUP |
			 RTE_ETH_DEV_CAPA_RUNTIME_TX_QUEUE_SETUP;
	return 0;
}

/* ---- Start / stop ------------------------------------------------------- */

/* Host MAC filtering from the port's state (fbnic_hw.rst 7.4). Lock held. */
static int
fbnic_rx_mode_apply(struct rte_eth_dev *dev)
{
	struct fbnic_adapter *ad = fbnic_eth_dev_adapter(dev);
	uint8_t uc[FBNIC_MAX_MAC_ADDRS][FBNIC_ETH_ALEN];
	uint8_t mc[FBNIC_MAX_MC_ADDRS][FBNIC_ETH_ALEN];
	bool uc_ovf = false, mc_ovf = false;
	unsigned int i, nb_uc = 0, nb_mc;
	bool allmulti;
	int ret;

	if (!ad->started)
		return 0;
	for (i = 1; i < FBNIC_MAX_MAC_ADDRS; i++) {
		if (rte_is_zero_ether_addr(&ad->uc[i]))
			continue;
		memcpy(uc[nb_uc++], ad->uc[i].addr_bytes, FBNIC_ETH_ALEN);
	}
	nb_mc = RTE_MIN(ad->nb_mc, (uint16_t)FBNIC_MAX_MC_ADDRS);
	for (i = 0; i < nb_mc; i++)
		memcpy(mc[i], ad->mc_addrs[i].addr_bytes, FBNIC_ETH_ALEN);
	allmulti = ad->allmulti || ad->mc_list_overflow;

	ret = fbnic_rpc_set_rx_mode(&ad->hw, ad->uc[0].addr_bytes,
				    (const uint8_t (*)[FBNIC_ETH_ALEN])uc, nb_uc,
				    (const uint8_t (*)[FBNIC_ETH_ALEN])mc, nb_mc,
				    ad->promisc, allmulti, &uc_ovf, &mc_ovf);
	if (ret != 0) {
		PMD_DRV_LOG(ERR, "port %u: cannot program the MAC filters: %d",
			    dev->data->port_id, ret);
		return ret;
	}
	if (uc_ovf || mc_ovf)
		PMD_DRV_LOG(INFO, "port %u: MAC filter table full, accepting all %s",
			    dev->data->port_id, uc_ovf ? "frames" : "multicast");
	/* A BMC-aware firmware learns what the host receives (fbnic_hw.rst 6.5). */
	if (ad->hw.bmc_present && fbnic_rpc_macda_changed(&ad->hw)) {
		uint32_t flags = FBNIC_FW_RPC_MAC_SYNC_RX_FLAGS_BROADCAST;

		if (ad->promisc || uc_ovf)
			flags |= FBNIC_FW_RPC_MAC_SYNC_RX_FLAGS_PROMISC;
		if (allmulti || mc_ovf)
			flags |= FBNIC_FW_RPC_MAC_SYNC_RX_FLAGS_ALLMULTI;
		memcpy(uc[nb_uc++], ad->uc[0].addr_bytes, FBNIC_ETH_ALEN);
		ret = fbnic_fw_mac_sync(&ad->hw, (const uint8_t (*)[FBNIC_ETH_ALEN])uc, nb_uc,
					(const uint8_t (*)[FBNIC_ETH_ALEN])mc, nb_mc, flags);
		if (ret != 0)
			PMD_DRV_LOG(WARNING, "port %u: MAC list not sent to the firmware: %d",
				    dev->data->port_id, ret);
	}
	return 0;
}

static void
fbnic_stop_queues(struct rte_eth_dev *dev, bool rx)
{
	uint16_t q;

	if (rx) {
		for (q = 0; q < dev->data->nb_rx_queues; q++)
			if (dev->data->rx_queues[q] != NULL)
				(void)fbnic_rx_queue_stop(dev, q);
	} else {
		for (q = 0; q < dev->data->nb_tx_queues; q++)
			if (dev->data->tx_queues[q] != NULL)
				(void)fbnic_tx_queue_stop(dev, q);
	}
}

static int
fbnic_start_queues(struct rte_eth_dev *dev)
{
	uint16_t q;
	int ret;

	for (q = 0; q < dev->data->nb_tx_queues; q++) {
		struct fbnic_tx_queue *txq = dev->data->tx_queues[q];

		if (txq == NULL) {
			PMD_DRV_LOG(ERR, "port %u: Tx queue %u not set up", dev->data->port_id, q);
			return -EINVAL;
		}
		if (txq->deferred_start)
			continue;
		ret = fbnic_tx_queue_start(dev, q);
		if (ret != 0)
			return ret;
	}
	for (q = 0; q < dev->data->nb_rx_queues; q++) {
		struct fbnic_rx_queue *rxq = dev->data->rx_queues[q];

		if (rxq == NULL) {
			PMD_DRV_LOG(ERR, "port %u: Rx queue %u not set up", dev->data->port_id, q);
			return -EINVAL;
		}
		if (rxq->deferred_start)
			continue;
		ret = fbnic_rx_queue_start(dev, q);
		if (ret != 0)
			return ret;
	}
	return 0;
}

/* fbnic_hw.rst 5.4, in Linux's order. Lock held. */
static void
fbnic_stop_locked(struct rte_eth_dev *dev)
{
	struct fbnic_adapter *ad = fbnic_eth_dev_adapter(dev);
	struct fbnic_hw *hw = &ad->hw;
	struct rte_eth_link link;

	/* A BMC keeps using the link: the MAC stays up for it, as Linux leaves it. */
	if (!hw->removed) {
		fbnic_pcs_irq_disable(hw);
		if (!hw->bmc_present)
			fbnic_mac_link_down(hw);
	}
	fbnic_intr_stop(dev);
	hw->link_up = false;
	fbnic_stop_queues(dev, false);
	if (!hw->removed)
		fbnic_rpc_clear_rules(hw);
	fbnic_stop_queues(dev, true);
	if (dev->data->dev_conf.lpbk_mode && !hw->removed)
		(void)fbnic_pcs_loopback(hw, false);
	/* A firmware known to be silent is told, not waited for. */
	if (ad->fw_owned && !hw->removed && ad->fw_crashed)
		(void)fbnic_fw_ownership_send(hw, false);
	else if (ad->fw_owned && !hw->removed)
		(void)fbnic_fw_ownership(hw, false);
	ad->fw_owned = false;
	ad->fw_reclaim_pending = false;
	ad->started = false;

	memset(&link, 0, sizeof(link));
	link.link_duplex = RTE_ETH_LINK_FULL_DUPLEX;
	link.link_autoneg = RTE_ETH_LINK_FIXED;
	rte_eth_linkstatus_set(dev, &link);
	/* Counters stay readable after stop: publish their final values. */
	fbnic_stats_publish(ad, true);
}

static int
fbnic_dev_start(struct rte_eth_dev *dev)
{
	struct fbnic_adapter *ad = fbnic_eth_dev_adapter(dev);
	struct fbnic_hw *hw = &ad->hw;
	uint16_t port = dev->data->port_id;
	bool lsc;
	int ret;

	ret = fbnic_dev_usable(dev);
	if (ret != 0)
		return ret;

	fbnic_lock(ad);
	/* A flow rule must not send frames to a queue a new configuration dropped. */
	ret = fbnic_flow_check_queues(ad, dev->data->nb_rx_queues);
	if (ret != 0) {
		PMD_DRV_LOG(ERR, "port %u: flow rules use queues beyond the %u configured: "
			    "destroy them first", port, dev->data->nb_rx_queues);
		fbnic_unlock(ad);
		return ret;
	}
	/* Ownership first: firmware must know the host drives the port (5.3). */
	ret = fbnic_fw_ownership(hw, true);
	if (ret != 0) {
		PMD_DRV_LOG(ERR, "port %u: firmware did not grant ownership: %d", port, ret);
		fbnic_unlock(ad);
		return ret;
	}
	ad->fw_owned = true;
	ad->fw_crashed = false;
	ad->fw_reclaim_pending = false;
	ad->last_heartbeat_ms = fbnic_osdep_time_ms();

	fbnic_pcs_prepare(hw);
	ret = fbnic_pcs_setup(hw);
	if (ret != 0) {
		PMD_DRV_LOG(ERR, "port %u: PCS set-up failed: %d", port, ret);
		goto fail;
	}
	ret = fbnic_pcs_loopback(hw, dev->data->dev_conf.lpbk_mode == 1);
	if (ret != 0) {
		PMD_DRV_LOG(ERR, "port %u: cannot set PCS loopback: %d", port, ret);
		goto fail;
	}
	fbnic_pcs_irq_enable(hw, FBNIC_PCS_MSIX_VECTOR);

	ad->started = true;
	ret = fbnic_start_queues(dev);
	if (ret != 0)
		goto fail;

	ret = fbnic_ptp_start(dev);
	if (ret != 0)
		goto fail;
	fbnic_rss_reinit(hw);
	fbnic_rpc_max_frame_set(hw, FBNIC_MTU_TO_FRAME(dev->data->mtu));
	fbnic_rss_write_hw(hw);
	ret = fbnic_rx_mode_apply(dev);
	if (ret != 0)
		goto fail;
	if (hw->removed) {
		ret = -EIO;
		goto fail;
	}

	ret = fbnic_intr_start(dev);
	if (ret != 0)
		goto fail;

	fbnic_set_rxtx_functions(dev);
	/* A link already up (no training hold-off) is an event like any later one. */
	lsc = fbnic_link_refresh(dev) && dev->data->dev_conf.intr_conf.lsc;
	fbnic_unlock(ad);
	if (lsc)
		rte_eth_dev_callback_process(dev, RTE_ETH_EVENT_INTR_LSC, NULL);
	return 0;

fail:
	fbnic_stop_locked(dev);
	fbnic_unlock(ad);
	return ret;
}

static int
fbnic_dev_stop(struct rte_eth_dev *dev)
{
	struct fbnic_adapter *ad = fbnic_eth_dev_adapter(dev);

	if (!fbnic_is_primary())
		return -ENOTSUP;
	fbnic_lock(ad);
	if (ad->started)
		fbnic_stop_locked(dev);
	fbnic_unlock(ad);
	dev->data->dev_started = 0;
	return 0;
}

static void
fbnic_free_queues(struct rte_eth_dev *dev)
{
	fbnic_dev_free_queues(dev);
}

int
fbnic_dev_close(struct rte_eth_dev *dev)
{
	struct fbnic_adapter *ad = fbnic_eth_dev_adapter(dev);

	if (!fbnic_is_primary())
		return 0;
	if (ad->closed)
		return 0;

	fbnic_service_cancel(dev);
	fbnic_intr_events_off(dev);
	fbnic_lock(ad);
	if (ad->started)
		fbnic_stop_locked(dev);
	dev->data->dev_started = 0;
	ad->closed = true;
	fbnic_unlock(ad);

	fbnic_free_queues(dev);
	fbnic_hw_teardown(ad);
	if (ad->owner_close != NULL)
		ad->owner_close(ad);
	ad->owner_close = NULL;
	/* After the front end's close: its device signals the fds no more. */
	fbnic_intr_release(dev);
	ad->eth_dev = NULL;
	return 0;
}

/* Re-initialise the device without releasing the port (rte_eth_dev_reset). */
static int
fbnic_dev_reset(struct rte_eth_dev *dev)
{
	struct fbnic_adapter *ad = fbnic_eth_dev_adapter(dev);
	int ret;

	ret = fbnic_dev_usable(dev);
	if (ret != 0)
		return ret;

	fbnic_service_cancel(dev);
	fbnic_intr_events_off(dev);
	fbnic_lock(ad);
	if (ad->started)
		fbnic_stop_locked(dev);
	fbnic_unlock(ad);
	fbnic_free_queues(dev);
	fbnic_hw_teardown(ad);

	fbnic_lock(ad);
	ret = fbnic_hw_bringup(dev);
	fbnic_unlock(ad);
	if (ret != 0) {
		PMD_DRV_LOG(ERR, "port %u: re-initialisation failed: %d", dev->data->port_id,
			    ret);
		return ret;
	}
	fbnic_service_arm(dev);
	(void)fbnic_intr_events_on(dev);
	return 0;
}

/* ---- Queues ------------------------------------------------------------- */

static int
fbnic_dev_rx_queue_setup(struct rte_eth_dev *dev, uint16_t qid, uint16_t nb_desc,
			 unsigned int socket, const struct rte_eth_rxconf *conf,
			 struct rte_mempool *mp)
{
	int ret = fbnic_dev_usable(dev);

	if (ret != 0)
		return ret;
	return fbnic_rx_queue_setup(dev, qid, nb_desc, socket, conf, mp);
}

static int
fbnic_dev_tx_queue_setup(struct rte_eth_dev *dev, uint16_t qid, uint16_t nb_desc,
			 unsigned int socket, const struct rte_eth_txconf *conf)
{
	int ret = fbnic_dev_usable(dev);

	if (ret != 0)
		return ret;
	return fbnic_tx_queue_setup(dev, qid, nb_desc, socket, conf);
}

static int
fbnic_dev_rx_queue_start(struct rte_eth_dev *dev, uint16_t qid)
{
	int ret = fbnic_dev_usable(dev);

	if (ret != 0)
		return ret;
	return fbnic_rx_queue_start(dev, qid);
}

static int
fbnic_dev_rx_queue_stop(struct rte_eth_dev *dev, uint16_t qid)
{
	if (!fbnic_is_primary())
		return -ENOTSUP;
	return fbnic_rx_queue_stop(dev, qid);
}

static int
fbnic_dev_tx_queue_start(struct rte_eth_dev *dev, uint16_t qid)
{
	int ret = fbnic_dev_usable(dev);

	if (ret != 0)
		return ret;
	return fbnic_tx_queue_start(dev, qid);
}

static int
fbnic_dev_tx_queue_stop(struct rte_eth_dev *dev, uint16_t qid)
{
	if (!fbnic_is_primary())
		return -ENOTSUP;
	return fbnic_tx_queue_stop(dev, qid);
}

/* ---- Rx mode and MAC addresses --------------------------------------------- */

static int
fbnic_rx_mode_set(struct rte_eth_dev *dev, bool *flag, bool val)
{
	struct fbnic_adapter *ad = fbnic_eth_dev_adapter(dev);
	bool old = *flag;
	int ret = fbnic_dev_usable(dev);

	if (ret != 0)
		return ret;
	fbnic_lock(ad);
	*flag = val;
	ret = fbnic_rx_mode_apply(dev);
	if (ret != 0)
		*flag = old;
	fbnic_unlock(ad);
	return ret;
}

static int
fbnic_promiscuous_enable(struct rte_eth_dev *dev)
{
	return fbnic_rx_mode_set(dev, &fbnic_eth_dev_adapter(dev)->promisc, true);
}

static int
fbnic_promiscuous_disable(struct rte_eth_dev *dev)
{
	return fbnic_rx_mode_set(dev, &fbnic_eth_dev_adapter(dev)->promisc, false);
}

static int
fbnic_allmulticast_enable(struct rte_eth_dev *dev)
{
	return fbnic_rx_mode_set(dev, &fbnic_eth_dev_adapter(dev)->allmulti, true);
}

static int
fbnic_allmulticast_disable(struct rte_eth_dev *dev)
{
	return fbnic_rx_mode_set(dev, &fbnic_eth_dev_adapter(dev)->allmulti, false);
}

static int
fbnic_uc_addr_set(struct rte_eth_dev *dev, uint32_t index, const struct rte_ether_addr *addr)
{
	struct fbnic_adapter *ad = fbnic_eth_dev_adapter(dev);
	struct rte_ether_addr old;
	int ret = fbnic_dev_usable(dev);

	if (ret != 0)
		return ret;
	if (index >= FBNIC_MAX_MAC_ADDRS)
		return -EINVAL;
	if (addr != NULL && !rte_is_valid_assigned_ether_addr(addr)) {
		PMD_DRV_LOG(ERR, "port %u: " RTE_ETHER_ADDR_PRT_FMT " is not a unicast address",
			    dev->data->port_id, RTE_ETHER_ADDR_BYTES(addr));
		return -EINVAL;
	}
	fbnic_lock(ad);
	old = ad->uc[index];
	if (addr != NULL)
		ad->uc[index] = *addr;
	else
		memset(&ad->uc[index], 0, sizeof(ad->uc[index]));
	ret = fbnic_rx_mode_apply(dev);
	if (ret != 0)
		ad->uc[index] = old;
	fbnic_unlock(ad);
	return ret;
}

static int
fbnic_mac_addr_set(struct rte_eth_dev *dev, struct rte_ether_addr *addr)
{
	if (addr == NULL)
		return -EINVAL;
	return fbnic_uc_addr_set(dev, 0, addr);
}

static int
fbnic_mac_addr_add(struct rte_eth_dev *dev, struct rte_ether_addr *addr, uint32_t index,
		   uint32_t pool)
{
	RTE_SET_USED(pool);
	if (addr == NULL || index == 0)
		return -EINVAL;
	return fbnic_uc_addr_set(dev, index, addr);
}

static void
fbnic_mac_addr_remove(struct rte_eth_dev *dev, uint32_t index)
{
	if (index == 0)
		return;
	(void)fbnic_uc_addr_set(dev, index, NULL);
}

static int
fbnic_set_mc_addr_list(struct rte_eth_dev *dev, struct rte_ether_addr *list, uint32_t nb)
{
	struct fbnic_adapter *ad = fbnic_eth_dev_adapter(dev);
	uint32_t i;
	int ret = fbnic_dev_usable(dev);

	if (ret != 0)
		return ret;
	if (nb != 0 && list == NULL)
		return -EINVAL;
	for (i = 0; i < nb; i++) {
		if (!rte_is_multicast_ether_addr(&list[i])) {
			PMD_DRV_LOG(ERR, "port %u: " RTE_ETHER_ADDR_PRT_FMT " is not multicast",
				    dev->data->port_id, RTE_ETHER_ADDR_BYTES(&list[i]));
			return -EINVAL;
		}
	}
	fbnic_lock(ad);
	/* Beyond what we keep, accept all multicast, as Linux does on overflow. */
	ad->mc_list_overflow = nb > FBNIC_MAX_MC_ADDRS;
	ad->nb_mc = (uint16_t)RTE_MIN(nb, (uint32_t)FBNIC_MAX_MC_ADDRS);
	for (i = 0; i < ad->nb_mc; i++)
		ad->mc_addrs[i] = list[i];
	ret = fbnic_rx_mode_apply(dev);
	fbnic_unlock(ad);
	return ret;
}

static int
fbnic_mtu_set(struct rte_eth_dev *dev, uint16_t mtu)
{
	struct fbnic_adapter *ad = fbnic_eth_dev_adapter(dev);
	struct rte_eth_dev_data *data = dev->data;
	uint32_t frame = (uint32_t)mtu + RTE_ETHER_HDR_LEN + RTE_ETHER_CRC_LEN + 2 * RTE_VLAN_HLEN;
	int ret = fbnic_dev_usable(dev);

	if (ret != 0)
		return ret;
	if (mtu < FBNIC_MIN_MTU || mtu > FBNIC_MAX_MTU) {
		PMD_DRV_LOG(ERR, "port %u: MTU %u outside %u..%u", data->port_id, mtu,
			    FBNIC_MIN_MTU, FBNIC_MAX_MTU);
		return -EINVAL;
	}
	/*
	 * Started queues must hold a frame of the new MTU as they are: a
	 * buffer-scheme queue needs start to add payload buffers (PPQ), or to
	 * move to the copy scheme, for frames beyond one buffer.
	 */
	if (data->dev_started && !fbnic_rx_queues_take(dev, frame)) {
		PMD_DRV_LOG(ERR, "port %u: the started Rx queues cannot take the %u-byte frames "
			    "of MTU %u: stop the port to change it", data->port_id, frame, mtu);
		return -EBUSY;
	}
	/* Longer frames are dropped by the classifier, and counted (ierrors). */
	fbnic_lock(ad);
	fbnic_rpc_max_frame_set(&ad->hw, FBNIC_MTU_TO_FRAME(mtu));
	fbnic_unlock(ad);
	return 0;
}

/* ---- Information ------------------------------------------------------- */

static int
fbnic_fw_version_get(struct rte_eth_dev *dev, char *fw_version, size_t fw_size)
{
	struct fbnic_adapter *ad = fbnic_eth_dev_adapter(dev);
	char ver[FBNIC_FW_VER_STR_LEN];
	int len;

	if (!ad->caps_valid)
		return -EIO;
	fbnic_fw_ver_str(ad->caps.running.version, ver, sizeof(ver));
	if (ad->caps.running.commit[0] != '\0')
		len = snprintf(fw_version, fw_size, "%s (commit %s)", ver,
			       ad->caps.running.commit);
	else
		len = snprintf(fw_version, fw_size, "%s", ver);
	if (len < 0)
		return -EINVAL;
	/* Too small a buffer: the size needed, terminating NUL included. */
	if ((size_t)len + 1 > fw_size)
		return len + 1;
	return 0;
}

/* Register blocks in the dump: BAR0 byte ranges of fbnic_hw.rst 1.1 (no clear-on-read). */
static const struct {
	uint32_t first;
	uint32_t last;
} fbnic_reg_blocks[] = {
	{ 0x000000, 0x00017c },		/* INTR */
	{ 0x002000, 0x0021cc },		/* QM_TX */
	{ 0x003000, 0x0030d0 },		/* QM_RX */
	{ 0x010000, 0x010140 },		/* TCE */
	{ 0x011000, 0x0110fc },		/* TMI */
	{ 0x012000, 0x012034 },		/* PTP */
	{ 0x020000, 0x0206c4 },		/* RXB */
	{ 0x021000, 0x0215ac },		/* RPC */
	{ 0x031000, 0x031148 },		/* MASTER */
	{ 0x044000, 0x0440a0 },		/* MAC_MAC */
	{ 0x046000, 0x046138 },		/* SIG */
	{ 0x046800, 0x04697c },		/* MAC_STAT */
	{ 0x0c4000, 0x0c43a8 },		/* PUL_USER */
};

static uint32_t
fbnic_reg_dump_len(void)
{
	uint32_t n = 0;
	unsigned int b;

	for (b = 0; b < RTE_DIM(fbnic_reg_blocks); b++)
		n += (fbnic_reg_blocks[b].last - fbnic_reg_blocks[b].first) / 4 + 1;
	return n;
}

static int
fbnic_get_reg(struct rte_eth_dev *dev, struct rte_dev_reg_info *regs)
{
	struct fbnic_adapter *ad = fbnic_eth_dev_adapter(dev);
	uint32_t n = fbnic_reg_dump_len();
	uint32_t *out, i = 0, off;
	unsigned int b;
	int ret;

	if (regs == NULL)
		return -EINVAL;
	if (regs->data == NULL) {
		regs->length = n;
		regs->width = sizeof(uint32_t);
		return 0;
	}
	if (regs->length != 0 && regs->length != n)
		return -ENOTSUP;
	/*
	 * A secondary process maps the PCI BARs at the primary's addresses and
	 * may read them; a model port's registers live in the primary only.
	 */
	if (fbnic_is_primary())
		ret = fbnic_dev_usable(dev);
	else
		ret = ad->hw.reg_ops != NULL ? -ENOTSUP :
		      ad->hw.removed ? -EIO : 0;
	if (ret != 0)
		return ret;

	out = regs->data;
	fbnic_lock(ad);
	for (b = 0; b < RTE_DIM(fbnic_reg_blocks); b++)
		for (off = fbnic_reg_blocks[b].first; off <= fbnic_reg_blocks[b].last; off += 4)
			out[i++] = fbnic_rd32(&ad->hw, off / 4);
	fbnic_unlock(ad);
	regs->length = n;
	regs->width = sizeof(uint32_t);
	regs->offset = 0;
	regs->version = (uint32_t)PCI_VENDOR_ID_META << 16 | PCI_DEVICE_ID_META_FBNIC_ASIC;
	return ad->hw.removed ? -EIO : 0;
}

/* ---- Misc ----------------------------------------------------------------- */

static int
fbnic_is_removed(struct rte_eth_dev *dev)
{
	return fbnic_eth_dev_adapter(dev)->hw.removed ? 1 : 0;
}

static const struct eth_dev_ops fbnic_eth_dev_ops = {
	.dev_configure = fbnic_dev_configure,
	.dev_start = fbnic_dev_start,
	.dev_stop = fbnic_dev_stop,
	.dev_close = fbnic_dev_close,
	.dev_reset = fbnic_dev_reset,
	.dev_set_link_up = fbnic_dev_set_link_up,
	.dev_set_link_down = fbnic_dev_set_link_down,
	.dev_infos_get = fbnic_dev_infos_get,
	.dev_supported_ptypes_get = fbnic_supported_ptypes_get,
	.buffer_split_supported_hdr_ptypes_get = fbnic_buffer_split_ptypes_get,
	.link_update = fbnic_dev_link_update,
	.is_removed = fbnic_is_removed,

	.promiscuous_enable = fbnic_promiscuous_enable,
	.promiscuous_disable = fbnic_promiscuous_disable,
	.allmulticast_enable = fbnic_allmulticast_enable,
	.allmulticast_disable = fbnic_allmulticast_disable,
	.mac_addr_set = fbnic_mac_addr_set,
	.mac_addr_add = fbnic_mac_addr_add,
	.mac_addr_remove = fbnic_mac_addr_remove,
	.set_mc_addr_list = fbnic_set_mc_addr_list,
	.mtu_set = fbnic_mtu_set,

	.stats_get = fbnic_stats_get,
	.stats_reset = fbnic_stats_reset,
	.xstats_get = fbnic_xstats_get,
	.xstats_get_names = fbnic_xstats_get_names,
	.xstats_get_by_id = fbnic_xstats_get_by_id,
	.xstats_get_names_by_id = fbnic_xstats_get_names_by_id,
	.xstats_reset = fbnic_xstats_reset,
	.fw_version_get = fbnic_fw_version_get,
	.get_reg = fbnic_get_reg,

	.rx_queue_setup = fbnic_dev_rx_queue_setup,
	.tx_queue_setup = fbnic_dev_tx_queue_setup,
	.rx_queue_release = fbnic_rx_queue_release,
	.tx_queue_release = fbnic_tx_queue_release,
	.rx_queue_start = fbnic_dev_rx_queue_start,
	.rx_queue_stop = fbnic_dev_rx_queue_stop,
	.tx_queue_start = fbnic_dev_tx_queue_start,
	.tx_queue_stop = fbnic_dev_tx_queue_stop,
	.rxq_info_get = fbnic_rxq_info_get,
	.txq_info_get = fbnic_txq_info_get,
	.rx_burst_mode_get = fbnic_rx_burst_mode_get,
	.tx_burst_mode_get = fbnic_tx_burst_mode_get,
	.tx_done_cleanup = fbnic_tx_done_cleanup,

	.rss_hash_update = fbnic_rss_hash_update,
	.rss_hash_conf_get = fbnic_rss_hash_conf_get,
	.reta_update = fbnic_reta_update,
	.reta_query = fbnic_reta_query,
	.flow_ops_get = fbnic_flow_ops_get,
	.rx_metadata_negotiate = fbnic_rx_metadata_negotiate,

	.fec_get_capability = fbnic_fec_get_capability,
	.fec_get = fbnic_fec_get,
	.flow_ctrl_get = fbnic_flow_ctrl_get,
	.flow_ctrl_set = fbnic_flow_ctrl_set,
	.get_module_info = fbnic_get_module_info,
	.get_module_eeprom = fbnic_get_module_eeprom,

	.eth_dev_priv_dump = fbnic_dev_priv_dump,
	.eth_rx_descriptor_dump = fbnic_rx_descriptor_dump,
	.eth_tx_descriptor_dump = fbnic_tx_descriptor_dump,

	.timesync_enable = fbnic_timesync_enable,
	.timesync_disable = fbnic_timesync_disable,
	.timesync_read_rx_timestamp = fbnic_timesync_read_rx_timestamp,
	.timesync_read_tx_timestamp = fbnic_timesync_read_tx_timestamp,
	.timesync_adjust_time = fbnic_timesync_adjust_time,
	.timesync_adjust_freq = fbnic_timesync_adjust_freq,
	.timesync_read_time = fbnic_timesync_read_time,
	.timesync_write_time = fbnic_timesync_write_time,
	.read_clock = fbnic_read_clock,
	.rx_queue_intr_enable = fbnic_rx_queue_intr_enable,
	.rx_queue_intr_disable = fbnic_rx_queue_intr_disable,
	.get_monitor_addr = fbnic_get_monitor_addr,
};

bool
fbnic_is_fbnic_port(uint16_t port)
{
	/* Not the table's address: compat/ may hand ethdev a copy of it. */
	return port < RTE_MAX_ETHPORTS && rte_eth_devices[port].dev_ops != NULL &&
	       rte_eth_devices[port].dev_ops->dev_close == fbnic_dev_close;
}

/* ---- Device arguments ------------------------------------------------------ */

int
fbnic_devarg_bool(const char *key, const char *value, bool *out)
{
	if (value != NULL && strcmp(value, "0") == 0) {
		*out = false;
		return 0;
	}
	if (value != NULL && strcmp(value, "1") == 0) {
		*out = true;
		return 0;
	}
	PMD_INIT_LOG(ERR, "devarg %s=%s: expected 0 or 1", key, value != NULL ? value : "");
	return -EINVAL;
}

int
fbnic_devarg_path(const char *key, const char *value, uint16_t *simd_bits)
{
	static const struct {
		const char *name;
		uint16_t bits;
	} paths[] = {
		{ "scalar", RTE_VECT_SIMD_DISABLED }, { "sse", RTE_VECT_SIMD_128 },
		{ "avx2", RTE_VECT_SIMD_256 }, { "avx512", RTE_VECT_SIMD_512 },
	};
	unsigned int i;

	for (i = 0; value != NULL && i < RTE_DIM(paths); i++) {
		if (strcmp(value, paths[i].name) == 0) {
			*simd_bits = paths[i].bits;
			return 0;
		}
	}
	PMD_INIT_LOG(ERR, "devarg %s=%s: expected %s", key, value != NULL ? value : "",
		     FBNIC_DEVARG_PATH_VALUES);
	return -EINVAL;
}
