/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

/*
 * Link and service alarm: the link machine (fbnic_hw.rst 8) and the status
 * it reports, the 1 s service alarm (removal detection, firmware heartbeat
 * and recovery, link, counters), the link operations of ethdev, flow
 * control (pause) and the FEC of the firmware's link mode.
 */

#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include <rte_alarm.h>
#include <rte_common.h>
#include <rte_cycles.h>
#include <ethdev_driver.h>

#include "fbnic_ethdev.h"
#include "fbnic_logs.h"
#include "fbnic_hw.h"
#include "fbnic_fw.h"
#include "fbnic_irq.h"
#include "fbnic_mac.h"
#include "fbnic_rpc.h"
#include "fbnic_rxtx.h"

/* Bound of link_update(wait_to_complete) beyond the training hold-off. */
#define FBNIC_LINK_WAIT_EXTRA_MS	2000u
#define FBNIC_LINK_WAIT_STEP_MS		50u

static void fbnic_service(void *arg);

/* ---- Link ----------------------------------------------------------------- */

static uint32_t
fbnic_link_speed(const struct fbnic_hw *hw)
{
	uint32_t mbps = fbnic_link_speed_mbps(hw->link_aui);

	switch (mbps) {
	case 25000:
		return RTE_ETH_SPEED_NUM_25G;
	case 50000:
		return RTE_ETH_SPEED_NUM_50G;
	case 100000:
		return RTE_ETH_SPEED_NUM_100G;
	default:
		return RTE_ETH_SPEED_NUM_UNKNOWN;
	}
}

/*
 * Run the link machine once (fbnic_hw.rst 8) and record the result in the
 * ethdev data. Returns true when the reported status changed. Lock held.
 */
bool
fbnic_link_refresh(struct rte_eth_dev *dev)
{
	struct fbnic_adapter *ad = fbnic_eth_dev_adapter(dev);
	struct fbnic_hw *hw = &ad->hw;
	struct rte_eth_link link;
	bool up = false;

	if (ad->started && ad->link_admin_up && !hw->removed)
		up = fbnic_pcs_link_check(hw, hw->link_aui, hw->link_fec);

	if (up != hw->link_up && !hw->removed) {
		if (up) {
			/* Forced pause as asked: the link mode has no autonegotiation. */
			fbnic_mac_link_up(hw, ad->fc_tx_pause, ad->fc_rx_pause);
			fbnic_rx_drop_modes_update(dev);
		} else {
			fbnic_mac_link_down(hw);
		}
	}
	hw->link_up = up;

	memset(&link, 0, sizeof(link));
	link.link_duplex = RTE_ETH_LINK_FULL_DUPLEX;
	link.link_autoneg = RTE_ETH_LINK_FIXED;
	if (up) {
		link.link_status = RTE_ETH_LINK_UP;
		link.link_speed = ad->devargs.link_speed_mbps != 0 ? ad->devargs.link_speed_mbps :
				  fbnic_link_speed(hw);
	} else {
		link.link_status = RTE_ETH_LINK_DOWN;
		link.link_speed = RTE_ETH_SPEED_NUM_NONE;
	}
	return rte_eth_linkstatus_set(dev, &link) == 0;
}

/* ---- Service alarm --------------------------------------------------------- */

/* Stop the data path of a port whose device is gone. */
static void
fbnic_disable_bursts(struct rte_eth_dev *dev)
{
	uint16_t port = dev->data->port_id;

	dev->rx_pkt_burst = rte_eth_pkt_burst_dummy;
	dev->tx_pkt_burst = rte_eth_pkt_burst_dummy;
	dev->tx_pkt_prepare = NULL;
	if (port < RTE_MAX_ETHPORTS) {
		rte_eth_fp_ops[port].rx_pkt_burst = rte_eth_pkt_burst_dummy;
		rte_eth_fp_ops[port].tx_pkt_burst = rte_eth_pkt_burst_dummy;
	}
}

void
fbnic_service_arm(struct rte_eth_dev *dev)
{
	struct fbnic_adapter *ad = fbnic_eth_dev_adapter(dev);
	int ret;

	ret = rte_eal_alarm_set(FBNIC_SERVICE_PERIOD_US, fbnic_service, dev);
	if (ret != 0) {
		PMD_DRV_LOG(ERR, "port %u: cannot arm the service alarm: %d",
			    dev->data->port_id, ret);
		ad->service_armed = false;
		return;
	}
	ad->service_armed = true;
}

void
fbnic_service_cancel(struct rte_eth_dev *dev)
{
	struct fbnic_adapter *ad = fbnic_eth_dev_adapter(dev);

	/* Waits for a callback running in another thread. */
	rte_eal_alarm_cancel(fbnic_service, dev);
	ad->service_armed = false;
}

/*
 * Heartbeat every 10 s; firmware crash recovery (fbnic_hw.rst 5.5, 6.7). Lock
 * held, in the EAL interrupt thread shared by every port: nothing here waits
 * for the firmware. A lost heartbeat sends OWNERSHIP_REQ; later periods look
 * for the reply and send the request again every heartbeat period.
 */
static void
fbnic_service_firmware(struct rte_eth_dev *dev, uint64_t now_ms)
{
	struct fbnic_adapter *ad = fbnic_eth_dev_adapter(dev);
	struct fbnic_hw *hw = &ad->hw;
	int ret;

	fbnic_fw_poll(hw);
	if (!ad->fw_owned)
		return;
	if (ad->fw_reclaim_pending) {
		ret = fbnic_fw_ownership_poll(hw, true);
		if (ret == -EAGAIN) {
			if (now_ms - ad->fw_reclaim_sent_ms < FBNIC_FW_HEARTBEAT_PERIOD_MS)
				return;
			ad->fw_reclaim_sent_ms = now_ms;
			(void)fbnic_fw_ownership_send(hw, true);
			return;
		}
		ad->fw_reclaim_pending = false;
		ad->last_heartbeat_ms = now_ms;
		if (ret != 0)
			return;
		PMD_DRV_LOG(NOTICE, "port %u: firmware answers again, rewriting the classifier",
			    dev->data->port_id);
		ad->fw_crashed = false;
		if (ad->started) {
			fbnic_rpc_reset_valid_entries(hw);
			fbnic_rpc_write_all(hw);
			fbnic_rss_write_hw(hw);
		}
		return;
	}
	if (now_ms - ad->last_heartbeat_ms < FBNIC_FW_HEARTBEAT_PERIOD_MS)
		return;
	ad->last_heartbeat_ms = now_ms;

	ret = fbnic_fw_heartbeat_check(hw);
	if (ret == 0) {
		ad->fw_crashed = false;
		return;
	}
	if (!ad->fw_crashed)
		PMD_DRV_LOG(ERR, "port %u: firmware heartbeat lost (%d), taking ownership again",
			    dev->data->port_id, ret);
	ad->fw_crashed = true;
	ad->fw_reclaim_sent_ms = now_ms;
	ad->fw_reclaim_pending = fbnic_fw_ownership_send(hw, true) == 0;
}

/*
 * Every second, in the EAL interrupt thread: removal detection, mailbox and
 * heartbeat, link machine, counters. Events are raised last, after the
 * alarm is re-armed: an application callback may close the port, and
 * nothing here touches the port after that.
 */
static void
fbnic_service(void *arg)
{
	struct rte_eth_dev *dev = arg;
	struct fbnic_adapter *ad;
	struct fbnic_hw *hw;
	bool lsc = false, rmv = false;

	if (dev->data == NULL || dev->data->dev_private == NULL ||
	    dev->state == RTE_ETH_DEV_UNUSED)
		return;
	ad = fbnic_eth_dev_adapter(dev);
	hw = &ad->hw;
	if (ad->closed || ad->eth_dev != dev)
		return;

	if (!rte_spinlock_trylock(&ad->lock)) {
		/* A control operation is running: try again next period. */
		fbnic_service_arm(dev);
		return;
	}

	/* Removal: a read of the spare register returns all ones. */
	if (!hw->removed)
		(void)fbnic_rd32(hw, FBNIC_HW_FLUSH_IDX);
	if (hw->removed) {
		if (!ad->rmv_reported) {
			PMD_DRV_LOG(ERR, "port %u: device removed", dev->data->port_id);
			ad->rmv_reported = true;
			rmv = true;
			fbnic_disable_bursts(dev);
			lsc = fbnic_link_refresh(dev) && dev->data->dev_conf.intr_conf.lsc;
		}
		fbnic_stats_publish(ad, false);
		ad->service_armed = false;
		fbnic_unlock(ad);
		goto events;
	}

	fbnic_service_firmware(dev, fbnic_osdep_time_ms());
	fbnic_ptp_service(ad, fbnic_osdep_time_ms());
	/* The mailbox vector's callback leaves it masked when the lock was taken. */
	fbnic_irq_unmask(hw, FBNIC_FW_MSIX_VECTOR);
	if (ad->started) {
		if (fbnic_link_refresh(dev) && dev->data->dev_conf.intr_conf.lsc)
			lsc = true;
		if (hw->ps_timeout_ms != 0 && hw->link_up && fbnic_mac_tx_pause_enabled(hw))
			(void)fbnic_mac_ps_protect_handler(hw);
	}
	fbnic_stats_publish(ad, true);
	fbnic_service_arm(dev);
	fbnic_unlock(ad);

events:
	if (lsc)
		rte_eth_dev_callback_process(dev, RTE_ETH_EVENT_INTR_LSC, NULL);
	if (rmv)
		rte_eth_dev_callback_process(dev, RTE_ETH_EVENT_INTR_RMV, NULL);
}

/* ---- Link operations ------------------------------------------------------ */

int
fbnic_dev_link_update(struct rte_eth_dev *dev, int wait_to_complete)
{
	struct fbnic_adapter *ad = fbnic_eth_dev_adapter(dev);
	struct rte_eth_link old;
	uint64_t deadline;
	bool lsc = false;

	rte_eth_linkstatus_get(dev, &old);
	/*
	 * Without waiting, report what the service alarm found: polling the
	 * link here would take link changes away from the LSC events.
	 */
	if (!wait_to_complete || fbnic_dev_usable(dev) != 0 || !ad->started)
		return -1;

	deadline = fbnic_osdep_time_ms() + ad->hw.link_hold_off_ms + FBNIC_LINK_WAIT_EXTRA_MS;
	for (;;) {
		fbnic_lock(ad);
		if (fbnic_link_refresh(dev) && dev->data->dev_conf.intr_conf.lsc)
			lsc = true;
		fbnic_unlock(ad);
		if (ad->hw.link_up || ad->hw.removed || fbnic_osdep_time_ms() >= deadline)
			break;
		rte_delay_us_sleep(FBNIC_LINK_WAIT_STEP_MS * 1000u);
	}
	if (lsc)
		rte_eth_dev_callback_process(dev, RTE_ETH_EVENT_INTR_LSC, NULL);
	return old.link_status == dev->data->dev_link.link_status ? -1 : 0;
}

static int
fbnic_dev_set_link(struct rte_eth_dev *dev, bool up)
{
	struct fbnic_adapter *ad = fbnic_eth_dev_adapter(dev);
	int ret = fbnic_dev_usable(dev);

	if (ret != 0)
		return ret;
	fbnic_lock(ad);
	ad->link_admin_up = up;
	if (ad->started)
		(void)fbnic_link_refresh(dev);
	fbnic_unlock(ad);
	return 0;
}

int
fbnic_dev_set_link_up(struct rte_eth_dev *dev)
{
	return fbnic_dev_set_link(dev, true);
}

int
fbnic_dev_set_link_down(struct rte_eth_dev *dev)
{
	return fbnic_dev_set_link(dev, false);
}

/* ---- FEC ------------------------------------------------------------------ */

/* FEC modes a firmware link mode allows (fbnic_hw.rst 8). */
static uint32_t
fbnic_fec_capa_of(uint8_t aui)
{
	switch (aui) {
	case FBNIC_AUI_25GAUI:
	case FBNIC_AUI_LAUI2:
		return RTE_ETH_FEC_MODE_CAPA_MASK(NOFEC) | RTE_ETH_FEC_MODE_CAPA_MASK(BASER) |
		       RTE_ETH_FEC_MODE_CAPA_MASK(RS);
	case FBNIC_AUI_50GAUI1:
	case FBNIC_AUI_100GAUI2:
		return RTE_ETH_FEC_MODE_CAPA_MASK(RS);
	default:
		return 0;
	}
}

int
fbnic_fec_get_capability(struct rte_eth_dev *dev, struct rte_eth_fec_capa *capa,
			 unsigned int num)
{
	struct fbnic_adapter *ad = fbnic_eth_dev_adapter(dev);

	if (!ad->caps_valid)
		return -EIO;
	if (capa == NULL || num < 1)
		return 1;
	capa[0].speed = fbnic_link_speed(&ad->hw);
	capa[0].capa = fbnic_fec_capa_of(ad->hw.link_aui);
	return 1;
}

int
fbnic_fec_get(struct rte_eth_dev *dev, uint32_t *fec_capa)
{
	struct fbnic_adapter *ad = fbnic_eth_dev_adapter(dev);

	if (fec_capa == NULL)
		return -EINVAL;
	if (!ad->caps_valid)
		return -EIO;
	switch (ad->hw.link_fec) {
	case FBNIC_FEC_RS:
		*fec_capa = RTE_ETH_FEC_MODE_CAPA_MASK(RS);
		break;
	case FBNIC_FEC_BASER:
		*fec_capa = RTE_ETH_FEC_MODE_CAPA_MASK(BASER);
		break;
	default:
		*fec_capa = RTE_ETH_FEC_MODE_CAPA_MASK(NOFEC);
		break;
	}
	return 0;
}

/*
 * ---- Flow control ----
 * IEEE 802.3x pause, forced (fbnic_hw.rst 8): the link mode is fixed by the
 * firmware and never autonegotiated, so pause is what the application asks,
 * programmed at link up as Linux's mac_link_up does (MAC COMMAND_CONFIG
 * RX/TX_PAUSE_DIS, RXB PAUSE_ENABLE of the host FIFOs, the pause-storm
 * guard, the RCQ drop modes), and at once on a port whose link is up.
 * Thresholds, quanta and XON are the hardware's: a request may repeat them
 * (or leave them 0), not change them.
 */

static bool
fbnic_fc_mode_rx(enum rte_eth_fc_mode mode)
{
	return mode == RTE_ETH_FC_RX_PAUSE || mode == RTE_ETH_FC_FULL;
}

static bool
fbnic_fc_mode_tx(enum rte_eth_fc_mode mode)
{
	return mode == RTE_ETH_FC_TX_PAUSE || mode == RTE_ETH_FC_FULL;
}

static void
fbnic_fc_fixed(struct fbnic_hw *hw, struct rte_eth_fc_conf *fc)
{
	uint32_t on, off;

	fbnic_mac_pause_thresholds(hw, &on, &off);
	fc->high_water = on;
	fc->low_water = off;
	fc->pause_time = fbnic_mac_pause_quanta(hw);
	/* The RX buffer ends a pause with XON when it drains below low_water. */
	fc->send_xon = 1;
	fc->mac_ctrl_frame_fwd = 0;
	fc->autoneg = 0;
}

int
fbnic_flow_ctrl_get(struct rte_eth_dev *dev, struct rte_eth_fc_conf *fc_conf)
{
	struct fbnic_adapter *ad = fbnic_eth_dev_adapter(dev);
	int ret;

	if (fc_conf == NULL)
		return -EINVAL;
	ret = fbnic_dev_usable(dev);
	if (ret != 0)
		return ret;
	fbnic_lock(ad);
	memset(fc_conf, 0, sizeof(*fc_conf));
	fbnic_fc_fixed(&ad->hw, fc_conf);
	if (ad->fc_rx_pause && ad->fc_tx_pause)
		fc_conf->mode = RTE_ETH_FC_FULL;
	else if (ad->fc_rx_pause)
		fc_conf->mode = RTE_ETH_FC_RX_PAUSE;
	else if (ad->fc_tx_pause)
		fc_conf->mode = RTE_ETH_FC_TX_PAUSE;
	else
		fc_conf->mode = RTE_ETH_FC_NONE;
	fbnic_unlock(ad);
	return 0;
}

/* A field the hardware fixes: 0 (keep) or its own value; else log and refuse. */
static int
fbnic_fc_field_check(uint16_t port, const char *name, uint32_t asked, uint32_t fixed)
{
	if (asked == 0 || asked == fixed)
		return 0;
	PMD_DRV_LOG(ERR, "port %u: flow control %s %u: the hardware's is %u and cannot change",
		    port, name, asked, fixed);
	return -EINVAL;
}

int
fbnic_flow_ctrl_set(struct rte_eth_dev *dev, struct rte_eth_fc_conf *fc_conf)
{
	struct fbnic_adapter *ad = fbnic_eth_dev_adapter(dev);
	struct fbnic_hw *hw = &ad->hw;
	uint16_t port = dev->data->port_id;
	struct rte_eth_fc_conf fixed;
	bool rx, tx;
	int ret;

	if (fc_conf == NULL)
		return -EINVAL;
	ret = fbnic_dev_usable(dev);
	if (ret != 0)
		return ret;
	if (fc_conf->mode > RTE_ETH_FC_FULL) {
		PMD_DRV_LOG(ERR, "port %u: unknown flow control mode %d", port, fc_conf->mode);
		return -EINVAL;
	}
	if (fc_conf->autoneg) {
		/*
		 * Linux would fall back to forced pause here; refusing tells the
		 * application that nothing was negotiated with the link partner.
		 */
		PMD_DRV_LOG(ERR, "port %u: pause autonegotiation asked, but the link does not "
			    "autonegotiate (fixed link mode): set autoneg off to force pause",
			    port);
		return -EINVAL;
	}
	if (fc_conf->mac_ctrl_frame_fwd) {
		PMD_DRV_LOG(ERR, "port %u: the MAC consumes MAC control frames: "
			    "they cannot be forwarded", port);
		return -EINVAL;
	}
	fbnic_lock(ad);
	fbnic_fc_fixed(hw, &fixed);
	ret = fbnic_fc_field_check(port, "high_water", fc_conf->high_water, fixed.high_water);
	if (ret == 0)
		ret = fbnic_fc_field_check(port, "low_water", fc_conf->low_water,
					   fixed.low_water);
	if (ret == 0)
		ret = fbnic_fc_field_check(port, "pause_time", fc_conf->pause_time,
					   fixed.pause_time);
	if (ret == 0)
		ret = fbnic_fc_field_check(port, "send_xon", fc_conf->send_xon, fixed.send_xon);
	if (ret != 0) {
		fbnic_unlock(ad);
		return ret;
	}
	rx = fbnic_fc_mode_rx(fc_conf->mode);
	tx = fbnic_fc_mode_tx(fc_conf->mode);
	ad->fc_rx_pause = rx;
	ad->fc_tx_pause = tx;
	/* A link that is up takes the change now; otherwise at its link up. */
	if (ad->started && hw->link_up && !hw->removed &&
	    (rx != hw->rx_pause || tx != hw->tx_pause)) {
		fbnic_mac_link_up(hw, tx, rx);
		fbnic_rx_drop_modes_update(dev);
	}
	fbnic_unlock(ad);
	PMD_DRV_LOG(INFO, "port %u: flow control rx pause %s, tx pause %s", port,
		    rx ? "on" : "off", tx ? "on" : "off");
	return 0;
}

/*
 * ---- Module EEPROM ----
 * The QSFP module's management memory through the firmware's QSFP_READ
 * (fbnic_hw.rst 6.5), as Linux's get_module_eeprom_by_page reads it. DPDK
 * gives one linear range: SFF-8636's 256 bytes of lower memory and upper
 * page 0, then upper pages 1, 2 and 3 (128 bytes each, offsets 128..255 of
 * their page), unless the module has flat memory (page 0 only).
 */
#define FBNIC_MODULE_PAGE0_LEN		256u
#define FBNIC_MODULE_UPPER_LEN		128u
#define FBNIC_MODULE_MAX_PAGES		3u
/* SFF-8024 identifiers of the QSFP family; SFF-8636 byte 2 bit 2: flat memory. */
#define FBNIC_SFF8024_ID_QSFP		0x0c
#define FBNIC_SFF8024_ID_QSFP_PLUS	0x0d
#define FBNIC_SFF8024_ID_QSFP28		0x11
#define FBNIC_SFF8636_REV_8636		0x03
#define FBNIC_SFF8636_FLAT_MEM		0x04

static int
fbnic_module_read(struct rte_eth_dev *dev, uint32_t off, uint32_t len, uint8_t *data)
{
	struct fbnic_adapter *ad = fbnic_eth_dev_adapter(dev);
	int ret;

	ret = fbnic_dev_usable(dev);
	if (ret != 0)
		return ret;
	fbnic_lock(ad);
	while (len > 0 && ret == 0) {
		uint32_t page, poff, n;

		if (off < FBNIC_MODULE_PAGE0_LEN) {
			page = 0;
			poff = off;
			n = RTE_MIN(len, FBNIC_MODULE_PAGE0_LEN - off);
		} else {
			page = 1 + (off - FBNIC_MODULE_PAGE0_LEN) / FBNIC_MODULE_UPPER_LEN;
			poff = FBNIC_MODULE_UPPER_LEN +
			       (off - FBNIC_MODULE_PAGE0_LEN) % FBNIC_MODULE_UPPER_LEN;
			n = RTE_MIN(len, FBNIC_MODULE_PAGE0_LEN - poff);
		}
		ret = fbnic_fw_qsfp_read(&ad->hw, 0, page, poff, n, data);
		if (ret != 0)
			PMD_DRV_LOG(ERR, "port %u: module EEPROM page %u offset %u length %u: %d",
				    dev->data->port_id, page, poff, n, ret);
		off += n;
		data += n;
		len -= n;
	}
	fbnic_unlock(ad);
	return ret;
}

int
fbnic_get_module_info(struct rte_eth_dev *dev, struct rte_eth_dev_module_info *info)
{
	uint8_t id[3];
	int ret;

	if (info == NULL)
		return -EINVAL;
	ret = fbnic_module_read(dev, 0, sizeof(id), id);
	if (ret != 0)
		return ret;
	switch (id[0]) {
	case FBNIC_SFF8024_ID_QSFP28:
	case FBNIC_SFF8024_ID_QSFP_PLUS:
	case FBNIC_SFF8024_ID_QSFP:
		break;
	default:
		PMD_DRV_LOG(ERR, "port %u: module identifier 0x%02x is not of the QSFP family",
			    dev->data->port_id, id[0]);
		return -ENOTSUP;
	}
	info->type = id[0] == FBNIC_SFF8024_ID_QSFP28 ||
		     (id[0] == FBNIC_SFF8024_ID_QSFP_PLUS && id[1] >= FBNIC_SFF8636_REV_8636) ?
		     RTE_ETH_MODULE_SFF_8636 : RTE_ETH_MODULE_SFF_8436;
	if (id[2] & FBNIC_SFF8636_FLAT_MEM)
		info->eeprom_len = FBNIC_MODULE_PAGE0_LEN;
	else
		info->eeprom_len = FBNIC_MODULE_PAGE0_LEN +
				   FBNIC_MODULE_MAX_PAGES * FBNIC_MODULE_UPPER_LEN;
	return 0;
}

int
fbnic_get_module_eeprom(struct rte_eth_dev *dev, struct rte_dev_eeprom_info *info)
{
	struct rte_eth_dev_module_info mi;
	int ret;

	if (info == NULL || info->data == NULL || info->length == 0)
		return -EINVAL;
	ret = fbnic_get_module_info(dev, &mi);
	if (ret != 0)
		return ret;
	if (info->offset >= mi.eeprom_len || info->length > mi.eeprom_len - info->offset) {
		PMD_DRV_LOG(ERR, "port %u: module EEPROM bytes %u..%u beyond its %u bytes",
			    dev->data->port_id, info->offset, info->offset + info->length - 1,
			    mi.eeprom_len);
		return -EINVAL;
	}
	return fbnic_module_read(dev, info->offset, info->length, info->data);
}
