/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

/*
 * Driver-SDK compat: struct rte_flow_ops as DPDK 24.11 and 25.11 lay it out
 * (their lib/ethdev/rte_flow_driver.h, not installed by their packages).
 * librte_ethdev reads the driver's table through the pointer flow_ops_get
 * returns, so every slot must sit where the library expects it: the forty
 * slots below, in the library's order, with its types. The driver fills
 * the first five.
 */

#ifndef FBNIC_COMPAT_FLOW_OPS_V24_H
#define FBNIC_COMPAT_FLOW_OPS_V24_H

#include <stdio.h>
#include <stdint.h>

#include <rte_ethdev.h>
#include <rte_flow.h>
#include <ethdev_driver.h>

#ifdef __cplusplus
extern "C" {
#endif

struct rte_flow_ops {
	int (*validate)(struct rte_eth_dev *dev, const struct rte_flow_attr *attr,
			const struct rte_flow_item pattern[],
			const struct rte_flow_action actions[], struct rte_flow_error *error);
	struct rte_flow *(*create)(struct rte_eth_dev *dev, const struct rte_flow_attr *attr,
				   const struct rte_flow_item pattern[],
				   const struct rte_flow_action actions[],
				   struct rte_flow_error *error);
	int (*destroy)(struct rte_eth_dev *dev, struct rte_flow *flow,
		       struct rte_flow_error *error);
	int (*flush)(struct rte_eth_dev *dev, struct rte_flow_error *error);
	int (*query)(struct rte_eth_dev *dev, struct rte_flow *flow,
		     const struct rte_flow_action *action, void *data,
		     struct rte_flow_error *error);
	int (*isolate)(struct rte_eth_dev *dev, int set, struct rte_flow_error *error);
	int (*dev_dump)(struct rte_eth_dev *dev, struct rte_flow *flow, FILE *file,
			struct rte_flow_error *error);
	int (*get_aged_flows)(struct rte_eth_dev *dev, void **contexts, uint32_t nb_contexts,
			      struct rte_flow_error *error);
	int (*get_q_aged_flows)(struct rte_eth_dev *dev, uint32_t queue_id, void **contexts,
				uint32_t nb_contexts, struct rte_flow_error *error);
	struct rte_flow_action_handle *(*action_handle_create)
		(struct rte_eth_dev *dev, const struct rte_flow_indir_action_conf *conf,
		 const struct rte_flow_action *action, struct rte_flow_error *error);
	int (*action_handle_destroy)(struct rte_eth_dev *dev,
				     struct rte_flow_action_handle *handle,
				     struct rte_flow_error *error);
	int (*action_handle_update)(struct rte_eth_dev *dev,
				    struct rte_flow_action_handle *handle, const void *update,
				    struct rte_flow_error *error);
	int (*action_handle_query)(struct rte_eth_dev *dev,
				   const struct rte_flow_action_handle *handle, void *data,
				   struct rte_flow_error *error);
	int (*action_handle_query_update)(struct rte_eth_dev *dev,
					  struct rte_flow_action_handle *handle,
					  const void *update, void *query,
					  enum rte_flow_query_update_mode mode,
					  struct rte_flow_error *error);
	struct rte_flow_action_list_handle *(*action_list_handle_create)
		(struct rte_eth_dev *dev, const struct rte_flow_indir_action_conf *conf,
		 const struct rte_flow_action actions[], struct rte_flow_error *error);
	int (*action_list_handle_destroy)(struct rte_eth_dev *dev,
					  struct rte_flow_action_list_handle *handle,
					  struct rte_flow_error *error);
	int (*tunnel_decap_set)(struct rte_eth_dev *dev, struct rte_flow_tunnel *tunnel,
				struct rte_flow_action **pmd_actions, uint32_t *num_of_actions,
				struct rte_flow_error *error);
	int (*tunnel_match)(struct rte_eth_dev *dev, struct rte_flow_tunnel *tunnel,
			    struct rte_flow_item **pmd_items, uint32_t *num_of_items,
			    struct rte_flow_error *error);
	int (*get_restore_info)(struct rte_eth_dev *dev, struct rte_mbuf *m,
				struct rte_flow_restore_info *info, struct rte_flow_error *error);
	int (*tunnel_action_decap_release)(struct rte_eth_dev *dev,
					   struct rte_flow_action *pmd_actions,
					   uint32_t num_of_actions, struct rte_flow_error *error);
	int (*tunnel_item_release)(struct rte_eth_dev *dev, struct rte_flow_item *pmd_items,
				   uint32_t num_of_items, struct rte_flow_error *error);
	int (*pick_transfer_proxy)(struct rte_eth_dev *dev, uint16_t *proxy_port_id,
				   struct rte_flow_error *error);
	struct rte_flow_item_flex_handle *(*flex_item_create)
		(struct rte_eth_dev *dev, const struct rte_flow_item_flex_conf *conf,
		 struct rte_flow_error *error);
	int (*flex_item_release)(struct rte_eth_dev *dev,
				 const struct rte_flow_item_flex_handle *handle,
				 struct rte_flow_error *error);
	int (*info_get)(struct rte_eth_dev *dev, struct rte_flow_port_info *port_info,
			struct rte_flow_queue_info *queue_info, struct rte_flow_error *error);
	int (*configure)(struct rte_eth_dev *dev, const struct rte_flow_port_attr *port_attr,
			 uint16_t nb_queue, const struct rte_flow_queue_attr *queue_attr[],
			 struct rte_flow_error *error);
	struct rte_flow_pattern_template *(*pattern_template_create)
		(struct rte_eth_dev *dev,
		 const struct rte_flow_pattern_template_attr *template_attr,
		 const struct rte_flow_item pattern[], struct rte_flow_error *error);
	int (*pattern_template_destroy)(struct rte_eth_dev *dev,
					struct rte_flow_pattern_template *pattern_template,
					struct rte_flow_error *error);
	struct rte_flow_actions_template *(*actions_template_create)
		(struct rte_eth_dev *dev,
		 const struct rte_flow_actions_template_attr *template_attr,
		 const struct rte_flow_action actions[], const struct rte_flow_action masks[],
		 struct rte_flow_error *error);
	int (*actions_template_destroy)(struct rte_eth_dev *dev,
					struct rte_flow_actions_template *actions_template,
					struct rte_flow_error *error);
	struct rte_flow_template_table *(*template_table_create)
		(struct rte_eth_dev *dev, const struct rte_flow_template_table_attr *table_attr,
		 struct rte_flow_pattern_template *pattern_templates[],
		 uint8_t nb_pattern_templates,
		 struct rte_flow_actions_template *actions_templates[],
		 uint8_t nb_actions_templates, struct rte_flow_error *error);
	int (*template_table_destroy)(struct rte_eth_dev *dev,
				      struct rte_flow_template_table *template_table,
				      struct rte_flow_error *error);
	int (*group_set_miss_actions)(struct rte_eth_dev *dev, uint32_t group_id,
				      const struct rte_flow_group_attr *attr,
				      const struct rte_flow_action actions[],
				      struct rte_flow_error *error);
	int (*actions_update)(struct rte_eth_dev *dev, struct rte_flow *flow,
			      const struct rte_flow_action actions[],
			      struct rte_flow_error *error);
	int (*action_list_handle_query_update)(struct rte_eth_dev *dev,
					       const struct rte_flow_action_list_handle *handle,
					       const void **update, void **query,
					       enum rte_flow_query_update_mode mode,
					       struct rte_flow_error *error);
	int (*flow_calc_table_hash)(struct rte_eth_dev *dev,
				    const struct rte_flow_template_table *table,
				    const struct rte_flow_item pattern[],
				    uint8_t pattern_template_index, uint32_t *hash,
				    struct rte_flow_error *error);
	int (*flow_calc_encap_hash)(struct rte_eth_dev *dev, const struct rte_flow_item pattern[],
				    enum rte_flow_encap_hash_field dest_field, uint8_t *hash,
				    struct rte_flow_error *error);
	int (*flow_template_table_resize)(struct rte_eth_dev *dev,
					  struct rte_flow_template_table *table,
					  uint32_t nb_rules, struct rte_flow_error *error);
	int (*flow_update_resized)(struct rte_eth_dev *dev, uint32_t queue,
				   const struct rte_flow_op_attr *attr, struct rte_flow *rule,
				   void *user_data, struct rte_flow_error *error);
	int (*flow_template_table_resize_complete)(struct rte_eth_dev *dev,
						   struct rte_flow_template_table *table,
						   struct rte_flow_error *error);
};

/* Forty slots: a slot more or less would shift what the library reads. */
_Static_assert(sizeof(struct rte_flow_ops) == 40 * sizeof(void (*)(void)),
	       "struct rte_flow_ops differs from DPDK 24.11/25.11");

#ifdef __cplusplus
}
#endif

#endif /* FBNIC_COMPAT_FLOW_OPS_V24_H */
