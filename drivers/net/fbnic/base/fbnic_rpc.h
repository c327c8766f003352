/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

#ifndef _FBNIC_RPC_H_
#define _FBNIC_RPC_H_

#include "fbnic_hw.h"

/*
 * RX parser/classifier (fbnic_hw.rst 7): RSS key and indirection tables, the
 * action TCAM and table, the MAC-DA and IP TCAMs. Every TCAM entry has a
 * shadow copy in struct fbnic_rpc, so the whole classifier can be rewritten
 * after a firmware crash or a resume. Changes are staged in the shadow
 * (state ADD/UPDATE/DELETE) and pushed to hardware by the write functions.
 */

#define FBNIC_RSS_KEY_SIZE		54	/* bytes; 425 bits are used */
#define FBNIC_RSS_KEY_WORDS		14
#define FBNIC_RSS_RETA_SIZE		256
#define FBNIC_RSS_TABLES		2

#define FBNIC_TCAM_MACDA_WORDS		3
#define FBNIC_TCAM_MACDA_ENTRIES	32
#define FBNIC_TCAM_IP_WORDS		8
#define FBNIC_TCAM_IP_ENTRIES		8
#define FBNIC_TCAM_ACT_WORDS		11
#define FBNIC_TCAM_ACT_ENTRIES		64
#define FBNIC_TCE_TCAM_WORDS		3
#define FBNIC_TCE_TCAM_ENTRIES		8

/* MAC-DA TCAM layout (fbnic_hw.rst 7.4). */
#define FBNIC_MACDA_BMC_IDX		0	/* 0-3 */
#define FBNIC_MACDA_BROADCAST_IDX	4
#define FBNIC_MACDA_MULTICAST_IDX	5	/* 5-23, filled upward */
#define FBNIC_MACDA_DEFAULT_BOUNDARY	24	/* extra unicast 24-29, filled downward */
#define FBNIC_MACDA_HOST_ADDR_IDX	30
#define FBNIC_MACDA_PROMISC_IDX		31

/*
 * Action entries (fbnic_hw.rst 7.6): 0 sends the BMC's unicast addresses to
 * it, 1 catches the multicast it wants, 2-49 are the ntuple rules; lower
 * entries win.
 */
#define FBNIC_ACT_BMC_IDX		0
#define FBNIC_ACT_BMC_ALL_MULTI_IDX	1
#define FBNIC_ACT_NTUPLE_IDX		2
#define FBNIC_ACT_NTUPLE_ENTRIES	48
#define FBNIC_ACT_RSS_IDX		50	/* 50-56 host unicast (BMC), 57-63 any hit */

/* Action TCAM key fields (fbnic_hw.rst 7.3). */
#define FBNIC_ACT0_IPSRC_IDX		FBNIC_CSR_GENMASK(2, 0)
#define FBNIC_ACT0_IPSRC_VALID		FBNIC_CSR_BIT(3)
#define FBNIC_ACT0_IPDST_IDX		FBNIC_CSR_GENMASK(6, 4)
#define FBNIC_ACT0_IPDST_VALID		FBNIC_CSR_BIT(7)
#define FBNIC_ACT0_OUTER_IPSRC_IDX	FBNIC_CSR_GENMASK(10, 8)
#define FBNIC_ACT0_OUTER_IPSRC_VALID	FBNIC_CSR_BIT(11)
#define FBNIC_ACT0_OUTER_IPDST_IDX	FBNIC_CSR_GENMASK(14, 12)
#define FBNIC_ACT0_OUTER_IPDST_VALID	FBNIC_CSR_BIT(15)
#define FBNIC_ACT1_MACDA_IDX		FBNIC_CSR_GENMASK(9, 5)
#define FBNIC_ACT1_MACDA_VALID		FBNIC_CSR_BIT(10)
#define FBNIC_ACT1_IP_IS_V6		FBNIC_CSR_BIT(11)
#define FBNIC_ACT1_IP_VALID		FBNIC_CSR_BIT(12)
#define FBNIC_ACT1_OUTER_IP_VALID	FBNIC_CSR_BIT(13)
#define FBNIC_ACT1_L4_IS_UDP		FBNIC_CSR_BIT(14)
#define FBNIC_ACT1_L4_VALID		FBNIC_CSR_BIT(15)

/* RMI configuration Linux programs. */
#define FBNIC_RPC_OH_BYTES		20

/* Shadow entry states; bit 1 set means "needs a hardware write". */
enum fbnic_tcam_state {
	FBNIC_TCAM_S_DISABLED = 0,
	FBNIC_TCAM_S_VALID = 1,
	FBNIC_TCAM_S_ADD = 2,
	FBNIC_TCAM_S_UPDATE = FBNIC_TCAM_S_ADD,
	FBNIC_TCAM_S_DELETE = 3,
};

/* RSS flow types, in action-entry order (entry = FBNIC_ACT_RSS_IDX + 7 + type). */
enum fbnic_rss_flow {
	FBNIC_RSS_FLOW_UDP6 = 0,
	FBNIC_RSS_FLOW_UDP4,
	FBNIC_RSS_FLOW_TCP6,
	FBNIC_RSS_FLOW_TCP4,
	FBNIC_RSS_FLOW_IP6,
	FBNIC_RSS_FLOW_IP4,
	FBNIC_RSS_FLOW_OTHER,
	FBNIC_RSS_FLOW_NUM,
};

/* Hash input selection per flow type (ethtool-like; ports only for TCP/UDP). */
#define FBNIC_RSS_F_L2_DA	0x01u
#define FBNIC_RSS_F_IP_SRC	0x02u
#define FBNIC_RSS_F_IP_DST	0x04u
#define FBNIC_RSS_F_L4_SRC	0x08u
#define FBNIC_RSS_F_L4_DST	0x10u
#define FBNIC_RSS_F_IP6_FL	0x20u	/* inner and outer IPv6 flow label */
#define FBNIC_RSS_F_DISCARD	0x80u	/* drop this flow type */
#define FBNIC_RSS_F_L3		(FBNIC_RSS_F_IP_SRC | FBNIC_RSS_F_IP_DST)
#define FBNIC_RSS_F_L4		(FBNIC_RSS_F_L3 | FBNIC_RSS_F_L4_SRC | FBNIC_RSS_F_L4_DST)

/* MAC-DA entry owners (bits of owners): BMC, host kinds, and ntuple entries 2-49. */
#define FBNIC_MAC_OWN_BMC		0
#define FBNIC_MAC_OWN_BROADCAST		50
#define FBNIC_MAC_OWN_MULTICAST		51
#define FBNIC_MAC_OWN_UNICAST		52
#define FBNIC_MAC_OWN_ALLMULTI		53
#define FBNIC_MAC_OWN_PROMISC		54

struct fbnic_rpc_mac {
	uint8_t value[FBNIC_ETH_ALEN];
	uint8_t mask[FBNIC_ETH_ALEN];	/* 1 = don't care */
	uint8_t state;
	uint64_t owners;		/* bit n: FBNIC_MAC_OWN_* or action entry n */
};

struct fbnic_rpc_ip {
	uint8_t value[16];		/* IPv4 in bytes 12-15 */
	uint8_t mask[16];		/* inverted: 1 = don't care */
	uint8_t version;		/* 4 or 6 */
	uint8_t state;
	uint64_t owners;		/* bit n: action entry n */
};

struct fbnic_rpc_act {
	uint16_t value[FBNIC_TCAM_ACT_WORDS];
	uint16_t mask[FBNIC_TCAM_ACT_WORDS];	/* 1 = don't care */
	uint8_t state;
	uint16_t rss_en_mask;		/* RPC_ACT_TBL1 */
	uint32_t dest;			/* RPC_ACT_TBL0 */
};

struct fbnic_rpc {
	struct fbnic_rpc_mac mac[FBNIC_TCAM_MACDA_ENTRIES];
	struct fbnic_rpc_ip ip_src[FBNIC_TCAM_IP_ENTRIES];
	struct fbnic_rpc_ip ip_dst[FBNIC_TCAM_IP_ENTRIES];
	struct fbnic_rpc_ip ipo_src[FBNIC_TCAM_IP_ENTRIES];
	struct fbnic_rpc_ip ipo_dst[FBNIC_TCAM_IP_ENTRIES];
	struct fbnic_rpc_act act[FBNIC_TCAM_ACT_ENTRIES];

	uint32_t rss_key[FBNIC_RSS_KEY_WORDS];	/* register images */
	uint16_t reta[FBNIC_RSS_TABLES][FBNIC_RSS_RETA_SIZE];
	bool reta_user[FBNIC_RSS_TABLES];	/* set through fbnic_rpc_set_reta() */
	uint8_t rss_fields[FBNIC_RSS_FLOW_NUM];	/* FBNIC_RSS_F_* per flow type */
	uint8_t mac_boundary;			/* FBNIC_MACDA_DEFAULT_BOUNDARY */
	uint16_t nb_rx_queues;			/* bound for queue ids */
	uint16_t max_frame;			/* RMI_CONFIG.MTU: longest frame taken */
	bool bmc_all_multi;			/* the BMC wants every multicast frame */
	bool macda_changed;			/* MAC-DA TCAM written since last asked */
	bool tce_from_top;			/* next TX TCAM fill direction */
	uint8_t ts_flows;			/* flow types stamped on Rx (bit per type) */
};

/* ntuple rule (fbnic_hw.rst 7.6), the form rte_flow rules take in hardware. */
enum fbnic_ntuple_type {
	FBNIC_NTUPLE_ETHER = 0,	/* destination MAC match only */
	FBNIC_NTUPLE_IPV4,
	FBNIC_NTUPLE_IPV6,
};

enum fbnic_ntuple_action {
	FBNIC_NTUPLE_ACT_QUEUE = 0,
	FBNIC_NTUPLE_ACT_RSS,
	FBNIC_NTUPLE_ACT_DROP,
};

struct fbnic_ntuple {
	uint8_t type;			/* enum fbnic_ntuple_type */
	/*
	 * L4: 0 any, 6 TCP, 17 UDP; for IPv6 also 41 (IPv6 in IPv6: the
	 * addresses then match the outer header).
	 */
	uint8_t l4_proto;
	/* Addresses in network order; IPv4 in bytes 0-3. Mask 0 = not matched. */
	uint8_t src_ip[16], src_mask[16];
	uint8_t dst_ip[16], dst_mask[16];
	/* Ports in host order, TCP/UDP only; mask 0 = any. */
	uint16_t sport, sport_mask;
	uint16_t dport, dport_mask;
	uint8_t dmac[FBNIC_ETH_ALEN];	/* all-zero = any */
	uint8_t action;			/* enum fbnic_ntuple_action */
	uint16_t queue;			/* FBNIC_NTUPLE_ACT_QUEUE */
	uint8_t rss_context;		/* FBNIC_NTUPLE_ACT_RSS: 0 or 1 */
	/* Hash input (FBNIC_RSS_F_*); 0 = the flow type's default fields. */
	uint8_t rss_fields;
	/* Report the entry in the completion's OPT_META (ACT_TBL_IDX). */
	bool report;
};

/* Allocate hw->rpc with Linux defaults (hash fields, boundary, random key). */
int fbnic_rpc_init(struct fbnic_hw *hw);
void fbnic_rpc_fini(struct fbnic_hw *hw);

/* Stage a new key (len must be FBNIC_RSS_KEY_SIZE); written by fbnic_rss_write_hw(). */
int fbnic_rpc_set_rss_key(struct fbnic_hw *hw, const uint8_t *key, size_t len);
void fbnic_rpc_get_rss_key(struct fbnic_hw *hw, uint8_t key[FBNIC_RSS_KEY_SIZE]);
/*
 * Number of RX queues for queue-id checks. Each table gets the default even
 * spread (entry i -> queue i % nb_rxq) unless the user set it and all its
 * entries are still valid queues.
 */
void fbnic_rpc_set_nb_rx_queues(struct fbnic_hw *hw, uint16_t nb_rxq);
/* Stage table tbl (0/1); every entry must be < nb_rx_queues. */
int fbnic_rpc_set_reta(struct fbnic_hw *hw, unsigned int tbl, const uint16_t *queues,
		       unsigned int n);
int fbnic_rpc_get_reta(struct fbnic_hw *hw, unsigned int tbl, uint16_t *queues,
		       unsigned int n);
/* Hash input fields of a flow type (FBNIC_RSS_F_*); ports only for TCP/UDP. */
int fbnic_rpc_set_hash_fields(struct fbnic_hw *hw, unsigned int flow, uint8_t fields);

/*
 * Flow types whose frames get Rx timestamps (TS_ENA: an OPT_META entry with
 * the time), as Linux's hwtstamp Rx filters choose them: every type, or
 * the types PTPv2 event messages travel in (UDP over IPv4 or IPv6 for L4,
 * non-IP for L2). The classifier cannot tell PTP from other frames of
 * those types.
 */
#define FBNIC_RPC_TS_FLOWS_ALL		((uint8_t)((1u << FBNIC_RSS_FLOW_NUM) - 1))
#define FBNIC_RPC_TS_FLOWS_PTP_V2_L4	((uint8_t)(1u << FBNIC_RSS_FLOW_UDP6 | \
						   1u << FBNIC_RSS_FLOW_UDP4))
#define FBNIC_RPC_TS_FLOWS_PTP_V2_L2	((uint8_t)(1u << FBNIC_RSS_FLOW_OTHER))
#define FBNIC_RPC_TS_FLOWS_PTP_V2 \
	((uint8_t)(FBNIC_RPC_TS_FLOWS_PTP_V2_L4 | FBNIC_RPC_TS_FLOWS_PTP_V2_L2))
/* Stage the flow types stamped (FBNIC_RPC_TS_FLOWS_*, 0: none) for fbnic_rss_reinit(). */
void fbnic_rpc_set_rx_tstamp(struct fbnic_hw *hw, uint8_t flows);
/* Stage the RSS action entries 57-63 (and 50-56 with a BMC), fbnic_hw.rst 7.6. */
void fbnic_rss_reinit(struct fbnic_hw *hw);
/*
 * The longest frame the classifier passes to the host (RMI_CONFIG.MTU, in
 * bytes from the destination MAC address to the end of the payload, no
 * FCS; clamped to FBNIC_MIN_FRAME_SIZE..FBNIC_MAX_FRAME_SIZE). Longer
 * frames are dropped and counted in RPC_CNTR_OVR_SIZE_ERR. Written at once
 * while the classifier is on, else by fbnic_rss_write_hw(). Linux keeps
 * FBNIC_MAX_FRAME_SIZE.
 */
void fbnic_rpc_max_frame_set(struct fbnic_hw *hw, uint32_t bytes);
/*
 * Write both indirection tables and the key, default action DROP, flush,
 * TBL1 default 0, then enable the RPC (MTU the frame limit above, OH_BYTES
 * 20, ENABLE).
 */
void fbnic_rss_write_hw(struct fbnic_hw *hw);

/*
 * Host MAC filtering (fbnic_hw.rst 7.4): own MAC at 30, broadcast at 4,
 * unicast list in 29..23, multicast list in 5..23, entry 31 for promisc or
 * allmulti, also taken when a list overflows. Stages the shadow and writes
 * action entries then MAC-DA entries. Returns 0, or -EINVAL for a bad
 * address. *uc_overflow / *mc_overflow (may be NULL) report overflows.
 */
int fbnic_rpc_set_rx_mode(struct fbnic_hw *hw, const uint8_t own[FBNIC_ETH_ALEN],
			  const fbnic_mac_addr_t *uc, unsigned int nb_uc,
			  const fbnic_mac_addr_t *mc, unsigned int nb_mc,
			  bool promisc, bool allmulti, bool *uc_overflow, bool *mc_overflow);

/*
 * With hw->bmc_present: the BMC's addresses (up to 4, from the firmware's
 * capabilities) into MAC-DA 0-3 (multicast ones into the shared area),
 * broadcast shared, action entry 0 sending unicast hits on 0-3 to the BMC
 * only. all_multi: the BMC wants every multicast frame (entry boundary-1
 * and action entry 1, kept by rx_mode). Staged; written by the next
 * fbnic_rpc_set_rx_mode(). -EINVAL without classifier state.
 */
int fbnic_rpc_bmc_init(struct fbnic_hw *hw, const fbnic_mac_addr_t *macs, unsigned int n,
		       bool all_multi);
/*
 * True once after MAC-DA entries were written: a BMC-aware firmware is to
 * be told the host's addresses (fbnic_fw_mac_sync()).
 */
bool fbnic_rpc_macda_changed(struct fbnic_hw *hw);

/* Push staged entries: action entries, IP TCAMs, MAC-DA TCAM (the Linux order). */
void fbnic_rpc_write_rules(struct fbnic_hw *hw);
void fbnic_rpc_write_ip_addr(struct fbnic_hw *hw);
void fbnic_rpc_write_all(struct fbnic_hw *hw);

/*
 * Add an ntuple rule at the highest free location (entry 2 + location). A
 * queue is only checked against the Q_ID field: the caller knows which
 * queues exist.
 * Returns the location (0-47), -ENOSPC when no action or address entry is
 * free, -EINVAL for an unsupported rule. Written to hardware when write is true.
 */
int fbnic_rpc_ntuple_add(struct fbnic_hw *hw, const struct fbnic_ntuple *rule, bool write);
/* Remove the rule at location (0-47); shared address entries are refcounted. */
int fbnic_rpc_ntuple_del(struct fbnic_hw *hw, int location, bool write);
/* True when location holds a rule. */
bool fbnic_rpc_ntuple_used(struct fbnic_hw *hw, int location);

/*
 * Close-time teardown (fbnic_hw.rst 5.4): drop host MAC-DA entries from
 * hardware, invalidate every valid action entry (entry 63 kept for the BMC
 * when present) and disable the RPC. The shadow keeps everything as UPDATE,
 * so the next open's write functions restore it.
 */
void fbnic_rpc_clear_rules(struct fbnic_hw *hw);
/*
 * After a firmware crash: invalidate every valid action and MAC-DA entry in
 * hardware and mark them for rewriting; follow with fbnic_rpc_write_all().
 */
void fbnic_rpc_reset_valid_entries(struct fbnic_hw *hw);

#endif /* _FBNIC_RPC_H_ */
