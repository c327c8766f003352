/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

#ifndef _FBNIC_ETHDEV_H_
#define _FBNIC_ETHDEV_H_

#include <stdbool.h>
#include <stdint.h>
#include <sys/queue.h>

#include <rte_eal.h>
#include <rte_ether.h>
#include <rte_spinlock.h>
#include <ethdev_driver.h>

#include "fbnic_hw.h"
#include "fbnic_fw.h"
#include "fbnic_hw_stats.h"
#include "fbnic_rpc.h"
#include "fbnic_time.h"

/*
 * The port's private data (eth_dev->data->dev_private). It lives in shared
 * memory: a secondary process sees the same bytes, but must never follow the
 * pointers to primary-only state (hw.reg_ops/reg_ctx and the owner of a model
 * port, hw.rpc, hw.stats, hw.mbx) nor touch a model port's device. What a
 * secondary reports (statistics, link, firmware version, RSS) is copied here
 * by the primary.
 */

/* PCI identity: the driver's PCI ID table and the register dump's version. */
#define PCI_VENDOR_ID_META		0x1d9b
#define PCI_DEVICE_ID_META_FBNIC_ASIC	0x0013

#define FBNIC_MAX_RX_QUEUES		128
#define FBNIC_MAX_TX_QUEUES		128

/* Ring sizes (descriptors) reported to applications; the ring code checks them. */
#define FBNIC_MIN_RING_DESC		64
#define FBNIC_DEFAULT_RING_DESC		1024

/*
 * MTU range. The largest is Linux's (the largest frame the MAC and RPC
 * carry, less the Ethernet header). The smallest is IPv4's, DPDK's
 * RTE_ETHER_MIN_MTU: Linux's 1280 (IPV6_MIN_MTU) is its own policy, and
 * the hardware's limit (RMI_CONFIG.MTU) takes any length.
 */
#define FBNIC_MIN_MTU			RTE_ETHER_MIN_MTU
#define FBNIC_MAX_MTU			9728
#define FBNIC_MAX_RX_PKTLEN		FBNIC_MAX_FRAME_SIZE
/*
 * The longest frame taken at an MTU: the Ethernet header and up to two
 * VLAN tags more (no FCS: RMI_CONFIG.MTU counts without it).
 */
#define FBNIC_MTU_TO_FRAME(mtu)		((uint32_t)(mtu) + RTE_ETHER_HDR_LEN + 2 * RTE_VLAN_HLEN)

/* Unicast MAC addresses of the port (own address at index 0). */
#define FBNIC_MAX_MAC_ADDRS		8
/* Multicast addresses accepted by set_mc_addr_list before allmulti takes over. */
#define FBNIC_MAX_MC_ADDRS		64

/* Service alarm period (heartbeat, link, counters, removal). */
#define FBNIC_SERVICE_PERIOD_US		1000000u

/* Device counters kept for secondary processes (>= fbnic_hw_stats_count()). */
#define FBNIC_XSTATS_HW_MAX		320

/* Interrupt moderation devargs (fbnic_intr.c); a field not given keeps Linux's default. */
struct fbnic_intr_args {
	bool rx_usecs_set;
	uint16_t rx_usecs;		/* rx_coalesce_usecs: RCQ timeout after the first frame */
	uint16_t rx_frames;		/* rx_coalesce_frames: frames per interrupt, 0 = RCQ / 4 */
};

/* Parameters given at probe; the model vdev fills more of them. */
struct fbnic_devargs {
	uint32_t link_hold_off_ms;	/* link training hold-off (FBNIC_LINK_HOLD_OFF_MS on PCI) */
	/*
	 * Model only: the speed to report while the link is up, in Mbit/s, 0
	 * = the link mode's. The model does not pace its wire; benchmarks
	 * that size their runs from the speed (pmd_perf_autotest) use it.
	 */
	uint32_t link_speed_mbps;
	bool rx_zero_copy;		/* rx_zero_copy=1: Rx mbufs point into queue pages */
	uint16_t rx_simd_max;		/* rx_path: widest Rx path (SIMD bits), 0 = any */
	uint16_t tx_simd_max;		/* tx_path: widest Tx path (SIMD bits), 0 = any */
	struct fbnic_intr_args intr;	/* rx_coalesce_usecs, rx_coalesce_frames */
};

/* Device arguments common to PCI and model ports. */
#define FBNIC_DEVARG_RX_ZERO_COPY	"rx_zero_copy"
#define FBNIC_DEVARG_RX_PATH		"rx_path"
#define FBNIC_DEVARG_TX_PATH		"tx_path"
#define FBNIC_DEVARG_PATH_VALUES	"scalar|sse|avx2|avx512"
#define FBNIC_DEVARG_RX_COALESCE_USECS	"rx_coalesce_usecs"
#define FBNIC_DEVARG_RX_COALESCE_FRAMES	"rx_coalesce_frames"

/* Parse "0" or "1" of a boolean devarg; -EINVAL (logged, naming key and value). */
int fbnic_devarg_bool(const char *key, const char *value, bool *out);
/*
 * Parse a path devarg (FBNIC_DEVARG_PATH_VALUES) into the widest SIMD width
 * the port may use; -EINVAL (logged, naming key and value).
 */
int fbnic_devarg_path(const char *key, const char *value, uint16_t *simd_bits);

/* Last hardware counter values, for statistics calls in any process. */
struct fbnic_stats_shadow {
	rte_spinlock_t lock;
	uint32_t nb_hw;			/* valid entries of hw[] */
	uint64_t hw[FBNIC_XSTATS_HW_MAX];	/* device counters since reset */
	uint64_t q[FBNIC_MAX_QUEUES][FBNIC_Q_STAT_NUM];	/* queue page counters */
	struct fbnic_hw_stats_basic basic;	/* aggregates of the above */
	uint64_t generation;		/* bumped on every refresh */
};

struct fbnic_adapter {
	struct fbnic_hw hw;
	struct rte_eth_dev *eth_dev;	/* primary only; NULL once closed */
	/* Serialises control operations and the service alarm (primary). */
	rte_spinlock_t lock;

	/* Firmware. */
	struct fbnic_fw_caps caps;	/* copy for secondaries and fw_version_get */
	bool caps_valid;
	bool fw_owned;			/* OWNERSHIP_REQ take acknowledged */
	bool fw_crashed;
	bool fw_log_on;			/* log streaming asked for (telemetry) */
	/* OWNERSHIP_REQ sent by the alarm to recover the firmware, no reply yet. */
	bool fw_reclaim_pending;
	uint64_t fw_reclaim_sent_ms;

	/* Port state. */
	bool started;
	bool closed;
	bool rmv_reported;		/* RTE_ETH_EVENT_INTR_RMV sent */
	bool service_armed;		/* the 1 s alarm is set (for debugging) */
	bool link_admin_up;		/* not forced down by set_link_down */
	bool fc_rx_pause;		/* flow control asked: honour received pause */
	bool fc_tx_pause;		/* flow control asked: send pause */
	bool promisc;
	bool allmulti;
	bool mc_list_overflow;		/* more multicast addresses than kept */
	struct rte_ether_addr uc[FBNIC_MAX_MAC_ADDRS];	/* [0]: own address */
	uint16_t nb_mc;
	struct rte_ether_addr mc_addrs[FBNIC_MAX_MC_ADDRS];
	uint64_t last_heartbeat_ms;

	/* RSS as configured (hardware images live in hw.rpc; copies for secondaries). */
	uint64_t rss_hf;
	uint8_t rss_key[FBNIC_RSS_KEY_SIZE];
	uint16_t reta[FBNIC_RSS_RETA_SIZE];

	/*
	 * rte_flow rules (fbnic_flow.c), primary only. RSS context 1 (table
	 * 1) serves the rules' one queue set while a rule uses it; the MARK
	 * of each action entry, for the Rx bursts (FBNIC_FLOW_MARK_* of
	 * fbnic_rxtx.h).
	 */
	TAILQ_HEAD(, rte_flow) flows;
	uint16_t nb_flows;
	uint16_t flow_rss_users;
	uint16_t flow_rss_nb_queues;
	uint16_t flow_rss_queues[FBNIC_MAX_RX_QUEUES];
	uint64_t flow_mark[FBNIC_TCAM_ACT_ENTRIES];

	struct fbnic_devargs devargs;
	/* Rx and Tx paths chosen at start (indices into fbnic_rxtx.c's path tables). */
	uint8_t rx_path;
	uint8_t tx_path;

	/*
	 * A front end other than PCI (registers through hw.reg_ops): its data
	 * and its teardown, called by close. Primary only.
	 */
	void *owner;
	void (*owner_close)(struct fbnic_adapter *ad);

	struct fbnic_stats_shadow stats;

	/* PTP clock (fbnic_ptp.c). */
	struct fbnic_time time;
	bool timesync;			/* rte_eth_timesync_enable'd */
	/* Interrupts (fbnic_intr.c): handles and fds are the primary's. */
	struct fbnic_intr_state {
		/* The handle the driver made for a port without one (not PCI). */
		struct rte_intr_handle *own;
		/* Handles of the mailbox and PCS vectors' fds, for their callbacks. */
		struct rte_intr_handle *mbx_cb;
		struct rte_intr_handle *pcs_cb;
		bool events_on;			/* the two callbacks are registered */
		bool vfio_on;			/* vfio-pci's MSI-X enabled by us */
		uint16_t nb_rxq_vectors;	/* Rx queues with a vector, from start */
		uint16_t rx_usecs;
		uint16_t tx_usecs;
		uint16_t rx_frames;
		uint64_t mbx_events;		/* mailbox vector callbacks */
		uint64_t pcs_events;		/* PCS vector callbacks */
	} intr;
};

#define FBNIC_DEV_PRIVATE_TO_ADAPTER(priv)	((struct fbnic_adapter *)(priv))
#define FBNIC_DEV_PRIVATE_TO_HW(priv)		(&FBNIC_DEV_PRIVATE_TO_ADAPTER(priv)->hw)

static inline struct fbnic_adapter *
fbnic_eth_dev_adapter(const struct rte_eth_dev *eth_dev)
{
	return FBNIC_DEV_PRIVATE_TO_ADAPTER(eth_dev->data->dev_private);
}

static inline bool
fbnic_is_primary(void)
{
	return rte_eal_process_type() == RTE_PROC_PRIMARY;
}

/*
 * Gate of every control operation that touches the device: a removed
 * device fails cleanly, a secondary process never reaches the registers.
 */
static inline int
fbnic_dev_usable(struct rte_eth_dev *dev)
{
	struct fbnic_adapter *ad = fbnic_eth_dev_adapter(dev);

	if (!fbnic_is_primary())
		return -ENOTSUP;
	if (ad->hw.removed)
		return -EIO;
	if (ad->closed)
		return -ENODEV;
	return 0;
}

static inline void
fbnic_lock(struct fbnic_adapter *ad)
{
	rte_spinlock_lock(&ad->lock);
}

static inline void
fbnic_unlock(struct fbnic_adapter *ad)
{
	rte_spinlock_unlock(&ad->lock);
}


/* Statistics (fbnic_xstats.c). */
/* Refresh the device counters (all, or the 32-bit ones) and publish them. Lock held. */
void fbnic_stats_publish(struct fbnic_adapter *ad, bool full);
int fbnic_stats_get(struct rte_eth_dev *dev, struct rte_eth_stats *stats,
		    struct eth_queue_stats *qstats);
int fbnic_stats_reset(struct rte_eth_dev *dev);
int fbnic_xstats_get(struct rte_eth_dev *dev, struct rte_eth_xstat *xstats, unsigned int size);
int fbnic_xstats_get_names(struct rte_eth_dev *dev, struct rte_eth_xstat_name *names,
			   unsigned int size);
int fbnic_xstats_get_by_id(struct rte_eth_dev *dev, const uint64_t *ids, uint64_t *values,
			   unsigned int size);
int fbnic_xstats_get_names_by_id(struct rte_eth_dev *dev, const uint64_t *ids,
				 struct rte_eth_xstat_name *names, unsigned int size);
int fbnic_xstats_reset(struct rte_eth_dev *dev);

/*
 * RSS (fbnic_rss.c). The device hashes seven flow types (fbnic_hw.rst 7.5),
 * each on its own choice of fields: IPv4 and IPv6 without TCP/UDP (the
 * fragments among them: the parser gives them no L4 fields), TCP and UDP
 * over each, and the rest. Not advertised: the FRAG types, which the device
 * does not tell apart from other IP frames, and IPV6_EX (addresses from
 * extension headers).
 */
#define FBNIC_RSS_HF_IPV4	(RTE_ETH_RSS_IPV4 | RTE_ETH_RSS_NONFRAG_IPV4_OTHER)
#define FBNIC_RSS_HF_IPV6	(RTE_ETH_RSS_IPV6 | RTE_ETH_RSS_NONFRAG_IPV6_OTHER)
/* Hash on the IPv6 flow label too (DPDK 24.03 and newer). */
#ifdef RTE_ETH_RSS_IPV6_FLOW_LABEL
#define FBNIC_RSS_HF_FLOW_LABEL	RTE_ETH_RSS_IPV6_FLOW_LABEL
#else
#define FBNIC_RSS_HF_FLOW_LABEL	0
#endif
#define FBNIC_RSS_OFFLOAD_ALL \
	(FBNIC_RSS_HF_IPV4 | FBNIC_RSS_HF_IPV6 | \
	 RTE_ETH_RSS_NONFRAG_IPV4_TCP | RTE_ETH_RSS_NONFRAG_IPV4_UDP | \
	 RTE_ETH_RSS_NONFRAG_IPV6_TCP | RTE_ETH_RSS_NONFRAG_IPV6_UDP | \
	 RTE_ETH_RSS_L2_PAYLOAD | FBNIC_RSS_HF_FLOW_LABEL | \
	 RTE_ETH_RSS_L3_SRC_ONLY | RTE_ETH_RSS_L3_DST_ONLY | \
	 RTE_ETH_RSS_L4_SRC_ONLY | RTE_ETH_RSS_L4_DST_ONLY)
/* Hash input fields of one flow type (enum fbnic_rss_flow) for ethdev hash types. */
uint8_t fbnic_rss_hf_fields(uint64_t hf, unsigned int flow);
/* Copy the RSS key and table 0 where a secondary process can read them. Lock held. */
void fbnic_rss_publish(struct fbnic_adapter *ad);
/* Stage hash types and key; written to hardware now when the port runs. Lock held. */
int fbnic_rss_apply(struct rte_eth_dev *dev, const struct rte_eth_rss_conf *conf);
int fbnic_rss_hash_update(struct rte_eth_dev *dev, struct rte_eth_rss_conf *conf);
int fbnic_rss_hash_conf_get(struct rte_eth_dev *dev, struct rte_eth_rss_conf *conf);
int fbnic_reta_update(struct rte_eth_dev *dev, struct rte_eth_rss_reta_entry64 *conf,
		      uint16_t size);
int fbnic_reta_query(struct rte_eth_dev *dev, struct rte_eth_rss_reta_entry64 *conf,
		     uint16_t size);

/* rte_flow (fbnic_flow.c). */
int fbnic_flow_ops_get(struct rte_eth_dev *dev, const struct rte_flow_ops **ops);
int fbnic_rx_metadata_negotiate(struct rte_eth_dev *dev, uint64_t *features);
/* Remove every rule. Lock held. */
void fbnic_flow_flush_locked(struct fbnic_adapter *ad);
/* -EBUSY when a rule sends frames to a queue at or above nb_rxq. Lock held. */
int fbnic_flow_check_queues(struct fbnic_adapter *ad, uint16_t nb_rxq);

/* Link and service alarm (fbnic_link.c). */
/*
 * Run the link machine once (fbnic_hw.rst 8) and record the result in the
 * ethdev data. Returns true when the reported status changed. Lock held.
 */
bool fbnic_link_refresh(struct rte_eth_dev *dev);
void fbnic_service_arm(struct rte_eth_dev *dev);
void fbnic_service_cancel(struct rte_eth_dev *dev);
int fbnic_dev_link_update(struct rte_eth_dev *dev, int wait_to_complete);
int fbnic_dev_set_link_up(struct rte_eth_dev *dev);
int fbnic_dev_set_link_down(struct rte_eth_dev *dev);
int fbnic_fec_get_capability(struct rte_eth_dev *dev, struct rte_eth_fec_capa *capa,
			     unsigned int num);
int fbnic_fec_get(struct rte_eth_dev *dev, uint32_t *fec_capa);
int fbnic_flow_ctrl_get(struct rte_eth_dev *dev, struct rte_eth_fc_conf *fc_conf);
int fbnic_flow_ctrl_set(struct rte_eth_dev *dev, struct rte_eth_fc_conf *fc_conf);
int fbnic_get_module_info(struct rte_eth_dev *dev, struct rte_eth_dev_module_info *info);

/* Diagnostics (fbnic_diag.c). */
int fbnic_dev_priv_dump(struct rte_eth_dev *dev, FILE *f);
int fbnic_rx_descriptor_dump(const struct rte_eth_dev *dev, uint16_t qid, uint16_t offset,
			     uint16_t num, FILE *f);
int fbnic_tx_descriptor_dump(const struct rte_eth_dev *dev, uint16_t qid, uint16_t offset,
			     uint16_t num, FILE *f);
int fbnic_get_module_eeprom(struct rte_eth_dev *dev, struct rte_dev_eeprom_info *info);

/* PTP clock and timestamps (fbnic_ptp.c). */
struct fbnic_rx_queue;
struct fbnic_tx_queue;
/* Probe and reset: the clock from 0 at the nominal rate, timesync off. */
void fbnic_ptp_init(struct fbnic_adapter *ad);
/* Service alarm: refresh the cached high word of the clock. Lock held. */
void fbnic_ptp_service(struct fbnic_adapter *ad, uint64_t now_ms);
/* dev_start, lock held: the queues' timestamp state and TS_ENA, staged. */
int fbnic_ptp_start(struct rte_eth_dev *dev);
/* A queue that starts takes the port's timestamp state. */
void fbnic_ptp_rxq_init(struct rte_eth_dev *dev, struct fbnic_rx_queue *rxq);
void fbnic_ptp_txq_init(struct rte_eth_dev *dev, struct fbnic_tx_queue *txq);
int fbnic_timesync_enable(struct rte_eth_dev *dev);
int fbnic_timesync_disable(struct rte_eth_dev *dev);
int fbnic_timesync_read_rx_timestamp(struct rte_eth_dev *dev, struct timespec *ts,
				     uint32_t flags);
int fbnic_timesync_read_tx_timestamp(struct rte_eth_dev *dev, struct timespec *ts);
int fbnic_timesync_adjust_time(struct rte_eth_dev *dev, int64_t delta);
int fbnic_timesync_adjust_freq(struct rte_eth_dev *dev, int64_t ppm);
int fbnic_timesync_read_time(struct rte_eth_dev *dev, struct timespec *ts);
int fbnic_timesync_write_time(struct rte_eth_dev *dev, const struct timespec *ts);
int fbnic_read_clock(struct rte_eth_dev *dev, uint64_t *clock);
/*
 * Interrupts (fbnic_intr.c): MSI-X vectors through the port's interrupt
 * handle (vfio-pci eventfds, or eventfds the driver makes for a port
 * without a handle, which its device front end signals).
 */
/* Parse an interrupt devarg: 0, -EINVAL (logged), -ENOENT for another key. */
int fbnic_intr_devarg(const char *key, const char *value, struct fbnic_intr_args *args);
/* Probe, before the device is brought up: the handle and the PCS vector's fd. */
int fbnic_intr_init(struct rte_eth_dev *dev);
/*
 * The mailbox and PCS vectors' callbacks, on and off with the service
 * alarm: off while the mailbox is torn down or brought up without the lock.
 */
int fbnic_intr_events_on(struct rte_eth_dev *dev);
void fbnic_intr_events_off(struct rte_eth_dev *dev);
/* Close (after the front end's close): callbacks off, fds and handle freed. */
void fbnic_intr_release(struct rte_eth_dev *dev);
/* Configure: whether intr_conf can be served; -ENOTSUP logged. */
int fbnic_intr_configure(struct rte_eth_dev *dev);
/* Start, after the queues: Rx queue vectors and moderation. Lock held. */
int fbnic_intr_start(struct rte_eth_dev *dev);
/* Stop: every queue vector masked. Lock held. */
void fbnic_intr_stop(struct rte_eth_dev *dev);
/* RIM threshold an Rx queue starts with (fbnic_rxq_hw_cfg.rim_threshold). */
uint16_t fbnic_intr_rim_threshold(const struct rte_eth_dev *dev);
int fbnic_rx_queue_intr_enable(struct rte_eth_dev *dev, uint16_t qid);
int fbnic_rx_queue_intr_disable(struct rte_eth_dev *dev, uint16_t qid);
int fbnic_get_monitor_addr(void *rxq, struct rte_power_monitor_cond *pmc);

/* Init and close, shared by the bus front ends (fbnic_ethdev.c). */
/* How the common init finds the device. */
struct fbnic_dev_init_params {
	uint8_t *bar0;				/* hardware BARs, or NULL with reg_ops */
	uint8_t *bar4;
	const struct fbnic_reg_ops *reg_ops;	/* registers without BARs (base/fbnic_hw.h) */
	void *reg_ctx;
	uint64_t dsn;
	bool dsn_valid;				/* false: no DSN capability */
	struct fbnic_pcie_cfg pcie;
	struct fbnic_devargs devargs;
	void *owner;				/* the front end's (fbnic_adapter.owner) */
	void (*owner_close)(struct fbnic_adapter *ad);
};

/* True when port is driven by this PMD (for the telemetry commands). */
bool fbnic_is_fbnic_port(uint16_t port);
/* Common init of PCI and model ports (primary process). */
int fbnic_dev_init(struct rte_eth_dev *eth_dev, const struct fbnic_dev_init_params *p);
/* Secondary process: dev_ops and burst functions only. */
int fbnic_dev_init_secondary(struct rte_eth_dev *eth_dev);
/* Stop and release the port (dev_close); also the PCI remove path. */
int fbnic_dev_close(struct rte_eth_dev *dev);

#endif /* _FBNIC_ETHDEV_H_ */
