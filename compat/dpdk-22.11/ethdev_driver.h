/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

/*
 * Driver-SDK compat: the ethdev driver interface of DPDK 22.11 (ABI 23).
 *
 * struct rte_eth_dev, struct rte_eth_dev_data and struct eth_dev_ops are
 * shared with librte_ethdev, so their layouts must equal the installed
 * library's to the byte. They are checked by the static assertions below,
 * by the ABI layout test (app/test/test_abi_layout.c) and at probe time
 * (compat/fbnic_compat.c).
 *
 * The driver is written against main's API. Three callbacks are called
 * with another signature by 22.11's library: stats_get (no per-queue
 * argument), dev_supported_ptypes_get and
 * buffer_split_supported_hdr_ptypes_get (no element count). Their 22.11
 * slots are named abi_*; the driver's slots follow the 22.11 table and
 * compat/fbnic_compat.c links the two (see fbnic_compat.h).
 */

#ifndef FBNIC_COMPAT_ETHDEV_DRIVER_H
#define FBNIC_COMPAT_ETHDEV_DRIVER_H

#include <stdio.h>
#include <pthread.h>
#include <time.h>

#include <rte_compat.h>
#include <rte_ethdev.h>
#include <dev_driver.h>

#ifdef __cplusplus
extern "C" {
#endif

/* One Rx or Tx callback in the per-queue lists of struct rte_eth_dev. */
struct rte_eth_rxtx_callback {
	struct rte_eth_rxtx_callback *next;
	union {
		rte_rx_callback_fn rx;
		rte_tx_callback_fn tx;
	} fn;
	void *param;
};

/*
 * rx_queue_count returns uint32_t in 22.11's rte_ethdev_core.h and int in
 * main: the same register on x86-64, and the library casts it to int.
 */
typedef int (*fbnic_compat_rx_queue_count_t)(void *rxq);

/* Per-process port object: rte_eth_devices[port_id]. */
struct rte_eth_dev {
	eth_rx_burst_t rx_pkt_burst;
	eth_tx_burst_t tx_pkt_burst;
	eth_tx_prep_t tx_pkt_prepare;
	fbnic_compat_rx_queue_count_t rx_queue_count;
	eth_rx_descriptor_status_t rx_descriptor_status;
	eth_tx_descriptor_status_t tx_descriptor_status;
	struct rte_eth_dev_data *data;
	void *process_private;
	const struct eth_dev_ops *dev_ops;
	struct rte_device *device;
	struct rte_intr_handle *intr_handle;
	struct rte_eth_dev_cb_list link_intr_cbs;
	struct rte_eth_rxtx_callback *post_rx_burst_cbs[RTE_MAX_QUEUES_PER_PORT];
	struct rte_eth_rxtx_callback *pre_tx_burst_cbs[RTE_MAX_QUEUES_PER_PORT];
	enum rte_eth_dev_state state;
	void *security_ctx;
} __rte_cache_aligned;

/* Port data shared by all processes (lives in the "rte_eth_dev_data" memzone). */
struct rte_eth_dev_data {
	char name[RTE_ETH_NAME_MAX_LEN];
	void **rx_queues;
	void **tx_queues;
	uint16_t nb_rx_queues;
	uint16_t nb_tx_queues;
	struct rte_eth_dev_sriov sriov;
	void *dev_private;
	struct rte_eth_link dev_link;
	struct rte_eth_conf dev_conf;
	uint16_t mtu;
	uint32_t min_rx_buf_size;
	uint64_t rx_mbuf_alloc_failed;
	struct rte_ether_addr *mac_addrs;
	uint64_t mac_pool_sel[RTE_ETH_NUM_RECEIVE_MAC_ADDR];
	struct rte_ether_addr *hash_mac_addrs;
	uint16_t port_id;
	__extension__
	uint8_t promiscuous : 1,
		scattered_rx : 1,
		all_multicast : 1,
		dev_started : 1,
		lro : 1,
		dev_configured : 1,
		flow_configured : 1;
	uint8_t rx_queue_state[RTE_MAX_QUEUES_PER_PORT];
	uint8_t tx_queue_state[RTE_MAX_QUEUES_PER_PORT];
	uint32_t dev_flags;
	int numa_node;
	struct rte_vlan_filter_conf vlan_filter_conf;
	struct rte_eth_dev_owner owner;
	uint16_t representor_id;
	uint16_t backer_port_id;
	pthread_mutex_t flow_ops_mutex;
} __rte_cache_aligned;

extern struct rte_eth_dev rte_eth_devices[];

/* Queue states kept in rx_queue_state[] / tx_queue_state[]. */
#ifndef RTE_ETH_QUEUE_STATE_STOPPED
#define RTE_ETH_QUEUE_STATE_STOPPED 0
#define RTE_ETH_QUEUE_STATE_STARTED 1
#define RTE_ETH_QUEUE_STATE_HAIRPIN 2
#endif

struct rte_hairpin_peer_info;
struct rte_flow_ops;
struct rte_power_monitor_cond;

/* Driver callbacks, in the order of struct eth_dev_ops. */
typedef int (*eth_dev_configure_t)(struct rte_eth_dev *dev);
typedef int (*eth_dev_start_t)(struct rte_eth_dev *dev);
typedef int (*eth_dev_stop_t)(struct rte_eth_dev *dev);
typedef int (*eth_dev_set_link_up_t)(struct rte_eth_dev *dev);
typedef int (*eth_dev_set_link_down_t)(struct rte_eth_dev *dev);
typedef int (*eth_dev_close_t)(struct rte_eth_dev *dev);
typedef int (*eth_dev_reset_t)(struct rte_eth_dev *dev);
typedef int (*eth_is_removed_t)(struct rte_eth_dev *dev);
typedef int (*eth_promiscuous_enable_t)(struct rte_eth_dev *dev);
typedef int (*eth_promiscuous_disable_t)(struct rte_eth_dev *dev);
typedef int (*eth_allmulticast_enable_t)(struct rte_eth_dev *dev);
typedef int (*eth_allmulticast_disable_t)(struct rte_eth_dev *dev);
typedef int (*eth_link_update_t)(struct rte_eth_dev *dev, int wait_to_complete);
/* Per-queue counters returned beside struct rte_eth_stats (main's API). */
struct eth_queue_stats {
	uint64_t q_ipackets[RTE_ETHDEV_QUEUE_STAT_CNTRS];
	uint64_t q_opackets[RTE_ETHDEV_QUEUE_STAT_CNTRS];
	uint64_t q_ibytes[RTE_ETHDEV_QUEUE_STAT_CNTRS];
	uint64_t q_obytes[RTE_ETHDEV_QUEUE_STAT_CNTRS];
	uint64_t q_errors[RTE_ETHDEV_QUEUE_STAT_CNTRS];
};

/* stats_get as 22.11's library calls it, and as the driver implements it. */
typedef int (*fbnic_compat_stats_get_v1_t)(struct rte_eth_dev *dev,
					   struct rte_eth_stats *stats);
typedef int (*eth_stats_get_t)(struct rte_eth_dev *dev, struct rte_eth_stats *stats,
			       struct eth_queue_stats *qstats);
typedef int (*eth_stats_reset_t)(struct rte_eth_dev *dev);
typedef int (*eth_xstats_get_t)(struct rte_eth_dev *dev, struct rte_eth_xstat *stats,
				unsigned int n);
typedef int (*eth_xstats_get_by_id_t)(struct rte_eth_dev *dev, const uint64_t *ids,
				      uint64_t *values, unsigned int n);
typedef int (*eth_xstats_reset_t)(struct rte_eth_dev *dev);
typedef int (*eth_xstats_get_names_t)(struct rte_eth_dev *dev,
				      struct rte_eth_xstat_name *xstats_names,
				      unsigned int size);
typedef int (*eth_xstats_get_names_by_id_t)(struct rte_eth_dev *dev, const uint64_t *ids,
					    struct rte_eth_xstat_name *xstats_names,
					    unsigned int size);
typedef int (*eth_queue_stats_mapping_set_t)(struct rte_eth_dev *dev, uint16_t queue_id,
					     uint8_t stat_idx, uint8_t is_rx);
typedef int (*eth_dev_infos_get_t)(struct rte_eth_dev *dev,
				   struct rte_eth_dev_info *dev_info);
/* Packet type lists as 22.11 calls for them, and as the driver returns them. */
typedef const uint32_t *(*fbnic_compat_ptypes_get_v1_t)(struct rte_eth_dev *dev);
typedef const uint32_t *(*eth_dev_supported_ptypes_get_t)(struct rte_eth_dev *dev,
							  size_t *no_of_elements);
typedef int (*eth_dev_ptypes_set_t)(struct rte_eth_dev *dev, uint32_t ptype_mask);
typedef int (*eth_queue_start_t)(struct rte_eth_dev *dev, uint16_t queue_id);
typedef int (*eth_queue_stop_t)(struct rte_eth_dev *dev, uint16_t queue_id);
typedef int (*eth_rx_queue_setup_t)(struct rte_eth_dev *dev, uint16_t rx_queue_id,
				    uint16_t nb_rx_desc, unsigned int socket_id,
				    const struct rte_eth_rxconf *rx_conf,
				    struct rte_mempool *mb_pool);
typedef int (*eth_tx_queue_setup_t)(struct rte_eth_dev *dev, uint16_t tx_queue_id,
				    uint16_t nb_tx_desc, unsigned int socket_id,
				    const struct rte_eth_txconf *tx_conf);
typedef int (*eth_rx_enable_intr_t)(struct rte_eth_dev *dev, uint16_t rx_queue_id);
typedef int (*eth_rx_disable_intr_t)(struct rte_eth_dev *dev, uint16_t rx_queue_id);
typedef void (*eth_queue_release_t)(struct rte_eth_dev *dev, uint16_t queue_id);
typedef int (*eth_fw_version_get_t)(struct rte_eth_dev *dev, char *fw_version,
				    size_t fw_size);
typedef int (*eth_tx_done_cleanup_t)(void *txq, uint32_t free_cnt);
typedef void (*eth_rxq_info_get_t)(struct rte_eth_dev *dev, uint16_t rx_queue_id,
				   struct rte_eth_rxq_info *qinfo);
typedef void (*eth_txq_info_get_t)(struct rte_eth_dev *dev, uint16_t tx_queue_id,
				   struct rte_eth_txq_info *qinfo);
typedef int (*eth_burst_mode_get_t)(struct rte_eth_dev *dev, uint16_t queue_id,
				    struct rte_eth_burst_mode *mode);
typedef int (*mtu_set_t)(struct rte_eth_dev *dev, uint16_t mtu);
typedef int (*vlan_filter_set_t)(struct rte_eth_dev *dev, uint16_t vlan_id, int on);
typedef int (*vlan_tpid_set_t)(struct rte_eth_dev *dev, enum rte_vlan_type type,
			       uint16_t tpid);
typedef int (*vlan_offload_set_t)(struct rte_eth_dev *dev, int mask);
typedef int (*vlan_pvid_set_t)(struct rte_eth_dev *dev, uint16_t vlan_id, int on);
typedef void (*vlan_strip_queue_set_t)(struct rte_eth_dev *dev, uint16_t rx_queue_id, int on);
typedef int (*flow_ctrl_get_t)(struct rte_eth_dev *dev, struct rte_eth_fc_conf *fc_conf);
typedef int (*flow_ctrl_set_t)(struct rte_eth_dev *dev, struct rte_eth_fc_conf *fc_conf);
typedef int (*priority_flow_ctrl_set_t)(struct rte_eth_dev *dev,
					struct rte_eth_pfc_conf *pfc_conf);
typedef int (*priority_flow_ctrl_queue_info_get_t)(struct rte_eth_dev *dev,
		struct rte_eth_pfc_queue_info *pfc_queue_info);
typedef int (*priority_flow_ctrl_queue_config_t)(struct rte_eth_dev *dev,
		struct rte_eth_pfc_queue_conf *pfc_queue_conf);
typedef int (*reta_update_t)(struct rte_eth_dev *dev,
			     struct rte_eth_rss_reta_entry64 *reta_conf, uint16_t reta_size);
typedef int (*reta_query_t)(struct rte_eth_dev *dev,
			    struct rte_eth_rss_reta_entry64 *reta_conf, uint16_t reta_size);
typedef int (*rss_hash_update_t)(struct rte_eth_dev *dev, struct rte_eth_rss_conf *rss_conf);
typedef int (*rss_hash_conf_get_t)(struct rte_eth_dev *dev,
				   struct rte_eth_rss_conf *rss_conf);
typedef int (*eth_dev_led_on_t)(struct rte_eth_dev *dev);
typedef int (*eth_dev_led_off_t)(struct rte_eth_dev *dev);
typedef void (*eth_mac_addr_remove_t)(struct rte_eth_dev *dev, uint32_t index);
typedef int (*eth_mac_addr_add_t)(struct rte_eth_dev *dev, struct rte_ether_addr *mac_addr,
				  uint32_t index, uint32_t vmdq);
typedef int (*eth_mac_addr_set_t)(struct rte_eth_dev *dev, struct rte_ether_addr *mac_addr);
typedef int (*eth_uc_hash_table_set_t)(struct rte_eth_dev *dev,
				       struct rte_ether_addr *mac_addr, uint8_t on);
typedef int (*eth_uc_all_hash_table_set_t)(struct rte_eth_dev *dev, uint8_t on);
typedef int (*eth_set_queue_rate_limit_t)(struct rte_eth_dev *dev, uint16_t queue_idx,
					  uint32_t tx_rate);
typedef int (*eth_udp_tunnel_port_add_t)(struct rte_eth_dev *dev,
					 struct rte_eth_udp_tunnel *tunnel_udp);
typedef int (*eth_udp_tunnel_port_del_t)(struct rte_eth_dev *dev,
					 struct rte_eth_udp_tunnel *tunnel_udp);
typedef int (*eth_set_mc_addr_list_t)(struct rte_eth_dev *dev,
				      struct rte_ether_addr *mc_addr_set, uint32_t nb_mc_addr);
typedef int (*eth_timesync_enable_t)(struct rte_eth_dev *dev);
typedef int (*eth_timesync_disable_t)(struct rte_eth_dev *dev);
typedef int (*eth_timesync_read_rx_timestamp_t)(struct rte_eth_dev *dev,
						struct timespec *timestamp, uint32_t flags);
typedef int (*eth_timesync_read_tx_timestamp_t)(struct rte_eth_dev *dev,
						struct timespec *timestamp);
typedef int (*eth_timesync_adjust_time)(struct rte_eth_dev *dev, int64_t delta);
typedef int (*eth_timesync_read_time)(struct rte_eth_dev *dev, struct timespec *timestamp);
typedef int (*eth_timesync_write_time)(struct rte_eth_dev *dev,
				       const struct timespec *timestamp);
typedef int (*eth_read_clock)(struct rte_eth_dev *dev, uint64_t *timestamp);
/* Added in 24.11: a driver slot only (below), the 22.11 library has no caller. */
typedef int (*eth_timesync_adjust_freq)(struct rte_eth_dev *dev, int64_t ppm);
typedef int (*eth_get_reg_t)(struct rte_eth_dev *dev, struct rte_dev_reg_info *info);
typedef int (*eth_get_eeprom_length_t)(struct rte_eth_dev *dev);
typedef int (*eth_get_eeprom_t)(struct rte_eth_dev *dev, struct rte_dev_eeprom_info *info);
typedef int (*eth_set_eeprom_t)(struct rte_eth_dev *dev, struct rte_dev_eeprom_info *info);
typedef int (*eth_get_module_info_t)(struct rte_eth_dev *dev,
				     struct rte_eth_dev_module_info *modinfo);
typedef int (*eth_get_module_eeprom_t)(struct rte_eth_dev *dev,
				       struct rte_dev_eeprom_info *info);
typedef int (*eth_flow_ops_get_t)(struct rte_eth_dev *dev, const struct rte_flow_ops **ops);
typedef int (*eth_tm_ops_get_t)(struct rte_eth_dev *dev, void *ops);
typedef int (*eth_mtr_ops_get_t)(struct rte_eth_dev *dev, void *ops);
typedef int (*eth_get_dcb_info)(struct rte_eth_dev *dev, struct rte_eth_dcb_info *dcb_info);
typedef int (*eth_pool_ops_supported_t)(struct rte_eth_dev *dev, const char *pool);
typedef int (*eth_hairpin_cap_get_t)(struct rte_eth_dev *dev,
				     struct rte_eth_hairpin_cap *cap);
typedef int (*eth_rx_hairpin_queue_setup_t)(struct rte_eth_dev *dev, uint16_t rx_queue_id,
					    uint16_t nb_rx_desc,
					    const struct rte_eth_hairpin_conf *conf);
typedef int (*eth_tx_hairpin_queue_setup_t)(struct rte_eth_dev *dev, uint16_t tx_queue_id,
					    uint16_t nb_tx_desc,
					    const struct rte_eth_hairpin_conf *hairpin_conf);
typedef int (*eth_fec_get_capability_t)(struct rte_eth_dev *dev,
					struct rte_eth_fec_capa *speed_fec_capa,
					unsigned int num);
typedef int (*eth_fec_get_t)(struct rte_eth_dev *dev, uint32_t *fec_capa);
typedef int (*eth_fec_set_t)(struct rte_eth_dev *dev, uint32_t fec_capa);
typedef int (*hairpin_get_peer_ports_t)(struct rte_eth_dev *dev, uint16_t *peer_ports,
					size_t len, uint32_t direction);
typedef int (*eth_hairpin_bind_t)(struct rte_eth_dev *dev, uint16_t rx_port);
typedef int (*eth_hairpin_unbind_t)(struct rte_eth_dev *dev, uint16_t rx_port);
typedef int (*eth_hairpin_queue_peer_update_t)(struct rte_eth_dev *dev, uint16_t peer_queue,
		struct rte_hairpin_peer_info *current_info,
		struct rte_hairpin_peer_info *peer_info, uint32_t direction);
typedef int (*eth_hairpin_queue_peer_bind_t)(struct rte_eth_dev *dev, uint16_t cur_queue,
		struct rte_hairpin_peer_info *peer_info, uint32_t direction);
typedef int (*eth_hairpin_queue_peer_unbind_t)(struct rte_eth_dev *dev, uint16_t cur_queue,
					       uint32_t direction);
typedef int (*eth_get_monitor_addr_t)(void *rxq, struct rte_power_monitor_cond *pmc);
typedef int (*eth_representor_info_get_t)(struct rte_eth_dev *dev,
					  struct rte_eth_representor_info *info);
typedef int (*eth_rx_metadata_negotiate_t)(struct rte_eth_dev *dev, uint64_t *features);
typedef int (*eth_ip_reassembly_capability_get_t)(struct rte_eth_dev *dev,
		struct rte_eth_ip_reassembly_params *capa);
typedef int (*eth_ip_reassembly_conf_get_t)(struct rte_eth_dev *dev,
		struct rte_eth_ip_reassembly_params *conf);
typedef int (*eth_ip_reassembly_conf_set_t)(struct rte_eth_dev *dev,
		const struct rte_eth_ip_reassembly_params *conf);
typedef const uint32_t *(*eth_buffer_split_supported_hdr_ptypes_get_t)(struct rte_eth_dev *dev,
								       size_t *no_of_elements);
typedef int (*eth_dev_priv_dump_t)(struct rte_eth_dev *dev, FILE *file);
typedef int (*eth_rx_queue_avail_thresh_set_t)(struct rte_eth_dev *dev, uint16_t rx_queue_id,
					       uint8_t avail_thresh);
typedef int (*eth_rx_queue_avail_thresh_query_t)(struct rte_eth_dev *dev,
						 uint16_t *rx_queue_id, uint8_t *avail_thresh);
typedef int (*eth_cman_info_get_t)(struct rte_eth_dev *dev, struct rte_eth_cman_info *info);
typedef int (*eth_cman_config_init_t)(struct rte_eth_dev *dev,
				      struct rte_eth_cman_config *config);
typedef int (*eth_cman_config_set_t)(struct rte_eth_dev *dev,
				     const struct rte_eth_cman_config *config);
typedef int (*eth_cman_config_get_t)(struct rte_eth_dev *dev,
				     struct rte_eth_cman_config *config);
typedef int (*eth_rx_descriptor_dump_t)(const struct rte_eth_dev *dev, uint16_t queue_id,
					uint16_t offset, uint16_t num, FILE *file);
typedef int (*eth_tx_descriptor_dump_t)(const struct rte_eth_dev *dev, uint16_t queue_id,
					uint16_t offset, uint16_t num, FILE *file);

/* The driver's operation table; every 22.11 slot, in the 22.11 order. */
struct eth_dev_ops {
	eth_dev_configure_t dev_configure;
	eth_dev_start_t dev_start;
	eth_dev_stop_t dev_stop;
	eth_dev_set_link_up_t dev_set_link_up;
	eth_dev_set_link_down_t dev_set_link_down;
	eth_dev_close_t dev_close;
	eth_dev_reset_t dev_reset;
	eth_link_update_t link_update;
	eth_is_removed_t is_removed;

	eth_promiscuous_enable_t promiscuous_enable;
	eth_promiscuous_disable_t promiscuous_disable;
	eth_allmulticast_enable_t allmulticast_enable;
	eth_allmulticast_disable_t allmulticast_disable;
	eth_mac_addr_remove_t mac_addr_remove;
	eth_mac_addr_add_t mac_addr_add;
	eth_mac_addr_set_t mac_addr_set;
	eth_set_mc_addr_list_t set_mc_addr_list;
	mtu_set_t mtu_set;

	fbnic_compat_stats_get_v1_t abi_stats_get;
	eth_stats_reset_t stats_reset;
	eth_xstats_get_t xstats_get;
	eth_xstats_reset_t xstats_reset;
	eth_xstats_get_names_t xstats_get_names;
	eth_queue_stats_mapping_set_t queue_stats_mapping_set;

	eth_dev_infos_get_t dev_infos_get;
	eth_rxq_info_get_t rxq_info_get;
	eth_txq_info_get_t txq_info_get;
	eth_burst_mode_get_t rx_burst_mode_get;
	eth_burst_mode_get_t tx_burst_mode_get;
	eth_fw_version_get_t fw_version_get;
	fbnic_compat_ptypes_get_v1_t abi_dev_supported_ptypes_get;
	eth_dev_ptypes_set_t dev_ptypes_set;

	vlan_filter_set_t vlan_filter_set;
	vlan_tpid_set_t vlan_tpid_set;
	vlan_strip_queue_set_t vlan_strip_queue_set;
	vlan_offload_set_t vlan_offload_set;
	vlan_pvid_set_t vlan_pvid_set;

	eth_queue_start_t rx_queue_start;
	eth_queue_stop_t rx_queue_stop;
	eth_queue_start_t tx_queue_start;
	eth_queue_stop_t tx_queue_stop;
	eth_rx_queue_setup_t rx_queue_setup;
	eth_queue_release_t rx_queue_release;
	eth_rx_enable_intr_t rx_queue_intr_enable;
	eth_rx_disable_intr_t rx_queue_intr_disable;
	eth_tx_queue_setup_t tx_queue_setup;
	eth_queue_release_t tx_queue_release;
	eth_tx_done_cleanup_t tx_done_cleanup;

	eth_dev_led_on_t dev_led_on;
	eth_dev_led_off_t dev_led_off;

	flow_ctrl_get_t flow_ctrl_get;
	flow_ctrl_set_t flow_ctrl_set;
	priority_flow_ctrl_set_t priority_flow_ctrl_set;
	priority_flow_ctrl_queue_info_get_t priority_flow_ctrl_queue_info_get;
	priority_flow_ctrl_queue_config_t priority_flow_ctrl_queue_config;

	eth_uc_hash_table_set_t uc_hash_table_set;
	eth_uc_all_hash_table_set_t uc_all_hash_table_set;

	eth_udp_tunnel_port_add_t udp_tunnel_port_add;
	eth_udp_tunnel_port_del_t udp_tunnel_port_del;

	eth_set_queue_rate_limit_t set_queue_rate_limit;

	rss_hash_update_t rss_hash_update;
	rss_hash_conf_get_t rss_hash_conf_get;
	reta_update_t reta_update;
	reta_query_t reta_query;

	eth_get_reg_t get_reg;
	eth_get_eeprom_length_t get_eeprom_length;
	eth_get_eeprom_t get_eeprom;
	eth_set_eeprom_t set_eeprom;
	eth_get_module_info_t get_module_info;
	eth_get_module_eeprom_t get_module_eeprom;

	eth_flow_ops_get_t flow_ops_get;
	eth_get_dcb_info get_dcb_info;

	eth_timesync_enable_t timesync_enable;
	eth_timesync_disable_t timesync_disable;
	eth_timesync_read_rx_timestamp_t timesync_read_rx_timestamp;
	eth_timesync_read_tx_timestamp_t timesync_read_tx_timestamp;
	eth_timesync_adjust_time timesync_adjust_time;
	eth_timesync_read_time timesync_read_time;
	eth_timesync_write_time timesync_write_time;
	eth_read_clock read_clock;

	eth_xstats_get_by_id_t xstats_get_by_id;
	eth_xstats_get_names_by_id_t xstats_get_names_by_id;

	eth_tm_ops_get_t tm_ops_get;
	eth_mtr_ops_get_t mtr_ops_get;
	eth_pool_ops_supported_t pool_ops_supported;

	eth_hairpin_cap_get_t hairpin_cap_get;
	eth_rx_hairpin_queue_setup_t rx_hairpin_queue_setup;
	eth_tx_hairpin_queue_setup_t tx_hairpin_queue_setup;

	eth_fec_get_capability_t fec_get_capability;
	eth_fec_get_t fec_get;
	eth_fec_set_t fec_set;

	hairpin_get_peer_ports_t hairpin_get_peer_ports;
	eth_hairpin_bind_t hairpin_bind;
	eth_hairpin_unbind_t hairpin_unbind;
	eth_hairpin_queue_peer_update_t hairpin_queue_peer_update;
	eth_hairpin_queue_peer_bind_t hairpin_queue_peer_bind;
	eth_hairpin_queue_peer_unbind_t hairpin_queue_peer_unbind;

	eth_get_monitor_addr_t get_monitor_addr;
	eth_representor_info_get_t representor_info_get;
	eth_rx_metadata_negotiate_t rx_metadata_negotiate;

	eth_ip_reassembly_capability_get_t ip_reassembly_capability_get;
	eth_ip_reassembly_conf_get_t ip_reassembly_conf_get;
	eth_ip_reassembly_conf_set_t ip_reassembly_conf_set;

	fbnic_compat_ptypes_get_v1_t abi_buffer_split_supported_hdr_ptypes_get;
	eth_dev_priv_dump_t eth_dev_priv_dump;

	eth_rx_queue_avail_thresh_set_t rx_queue_avail_thresh_set;
	eth_rx_queue_avail_thresh_query_t rx_queue_avail_thresh_query;

	eth_rx_descriptor_dump_t eth_rx_descriptor_dump;
	eth_tx_descriptor_dump_t eth_tx_descriptor_dump;

	eth_cman_info_get_t cman_info_get;
	eth_cman_config_init_t cman_config_init;
	eth_cman_config_set_t cman_config_set;
	eth_cman_config_get_t cman_config_get;

	/* End of the 22.11 table: the driver's slots of main's types follow. */
	eth_stats_get_t stats_get;
	eth_dev_supported_ptypes_get_t dev_supported_ptypes_get;
	eth_buffer_split_supported_hdr_ptypes_get_t buffer_split_supported_hdr_ptypes_get;
	eth_timesync_adjust_freq timesync_adjust_freq;
};

#define FBNIC_COMPAT_STATS_GET_V1 1
/* rte_eth_timesync_adjust_freq() does not exist: the driver's slot is never called. */
#define FBNIC_COMPAT_NO_TIMESYNC_ADJUST_FREQ 1
#define FBNIC_COMPAT_PTYPES_GET_V1 1

/* Number of callback slots in the 22.11 struct eth_dev_ops. */
#define FBNIC_COMPAT_ETH_DEV_OPS_SLOTS 113

/* Port life cycle, exported by librte_ethdev as INTERNAL. */
__rte_internal
int rte_eth_dev_is_rx_hairpin_queue(struct rte_eth_dev *dev, uint16_t queue_id);
__rte_internal
int rte_eth_dev_is_tx_hairpin_queue(struct rte_eth_dev *dev, uint16_t queue_id);
__rte_internal
struct rte_eth_dev *rte_eth_dev_allocated(const char *name);
__rte_internal
struct rte_eth_dev *rte_eth_dev_allocate(const char *name);
__rte_internal
struct rte_eth_dev *rte_eth_dev_attach_secondary(const char *name);
__rte_internal
int rte_eth_dev_release_port(struct rte_eth_dev *eth_dev);
__rte_internal
void rte_eth_dev_internal_reset(struct rte_eth_dev *dev);
__rte_internal
int rte_eth_dev_callback_process(struct rte_eth_dev *dev, enum rte_eth_event_type event,
				 void *ret_param);
__rte_internal
void rte_eth_dev_probing_finish(struct rte_eth_dev *dev);
__rte_internal
const struct rte_memzone *rte_eth_dma_zone_reserve(const struct rte_eth_dev *eth_dev,
						   const char *name, uint16_t queue_id,
						   size_t size, unsigned int align,
						   int socket_id);
__rte_internal
int rte_eth_dma_zone_free(const struct rte_eth_dev *eth_dev, const char *name,
			  uint16_t queue_id);
__rte_internal
uint16_t rte_eth_pkt_burst_dummy(void *queue, struct rte_mbuf **pkts, uint16_t nb_pkts);
__rte_internal
struct rte_eth_dev *rte_eth_dev_get_by_name(const char *name);

typedef int (*ethdev_init_t)(struct rte_eth_dev *ethdev, void *init_params);
typedef int (*ethdev_bus_specific_init)(struct rte_eth_dev *ethdev,
					void *bus_specific_init_params);
typedef int (*ethdev_uninit_t)(struct rte_eth_dev *ethdev);

__rte_internal
int rte_eth_dev_create(struct rte_device *device, const char *name, size_t priv_data_size,
		       ethdev_bus_specific_init bus_specific_init, void *bus_init_params,
		       ethdev_init_t ethdev_init, void *init_params);
__rte_internal
int rte_eth_dev_destroy(struct rte_eth_dev *ethdev, ethdev_uninit_t ethdev_uninit);

/*
 * Store a new link status atomically (struct rte_eth_link is 64 bits).
 * Returns 0 when the link status changed, -1 when it did not.
 */
static inline int
rte_eth_linkstatus_set(struct rte_eth_dev *dev, const struct rte_eth_link *new_link)
{
	union {
		uint64_t val;
		struct rte_eth_link link;
	} old, next;

	RTE_BUILD_BUG_ON(sizeof(*new_link) != sizeof(uint64_t));
	next.link = *new_link;
	old.val = __atomic_exchange_n((uint64_t *)&dev->data->dev_link, next.val,
				      __ATOMIC_SEQ_CST);
	return old.link.link_status == new_link->link_status ? -1 : 0;
}

static inline void
rte_eth_linkstatus_get(const struct rte_eth_dev *dev, struct rte_eth_link *link)
{
	union {
		uint64_t val;
		struct rte_eth_link link;
	} cur;

	cur.val = __atomic_load_n((uint64_t *)&dev->data->dev_link, __ATOMIC_SEQ_CST);
	*link = cur.link;
}

/* Layout checks for x86_64 with Debian's RTE_MAX_QUEUES_PER_PORT (1024). */
_Static_assert(offsetof(struct eth_dev_ops, stats_get) ==
	       FBNIC_COMPAT_ETH_DEV_OPS_SLOTS * sizeof(void *),
	       "eth_dev_ops must have every 22.11 slot");
_Static_assert(offsetof(struct rte_eth_dev, data) == 6 * sizeof(void *),
	       "rte_eth_dev.data offset");
_Static_assert(offsetof(struct rte_eth_dev, post_rx_burst_cbs) == 13 * sizeof(void *),
	       "rte_eth_dev callback lists offset");
_Static_assert(offsetof(struct rte_eth_dev_data, rx_queues) == RTE_ETH_NAME_MAX_LEN,
	       "rte_eth_dev_data.rx_queues offset");
#if RTE_MAX_QUEUES_PER_PORT == 1024 && RTE_CACHE_LINE_SIZE == 64
_Static_assert(sizeof(struct rte_eth_dev) == 16512, "rte_eth_dev size");
_Static_assert(sizeof(struct rte_eth_dev_data) == 6144, "rte_eth_dev_data size");
_Static_assert(offsetof(struct rte_eth_dev_data, mtu) == 2384, "rte_eth_dev_data.mtu offset");
_Static_assert(offsetof(struct rte_eth_dev_data, port_id) == 3440,
	       "rte_eth_dev_data.port_id offset");
_Static_assert(offsetof(struct rte_eth_dev_data, dev_flags) == 5492,
	       "rte_eth_dev_data.dev_flags offset");
_Static_assert(offsetof(struct rte_eth_dev_data, flow_ops_mutex) == 6096,
	       "rte_eth_dev_data.flow_ops_mutex offset");
_Static_assert(offsetof(struct rte_eth_dev, state) == 16488, "rte_eth_dev.state offset");
#endif

#ifdef __cplusplus
}
#endif

#include "../fbnic_compat.h"

#endif /* FBNIC_COMPAT_ETHDEV_DRIVER_H */
