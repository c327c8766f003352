/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

#include "fbnic_rpc.h"

#define FBNIC_IPPROTO_TCP	6
#define FBNIC_IPPROTO_UDP	17
#define FBNIC_IPPROTO_IPV6	41

static const uint8_t fbnic_bcast_addr[FBNIC_ETH_ALEN] = {
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff
};

static bool
fbnic_addr_equal(const uint8_t *a, const uint8_t *b)
{
	return memcmp(a, b, FBNIC_ETH_ALEN) == 0;
}

static bool
fbnic_addr_is_zero(const uint8_t *a)
{
	return (a[0] | a[1] | a[2] | a[3] | a[4] | a[5]) == 0;
}

static bool
fbnic_state_needs_write(uint8_t state)
{
	return (state & FBNIC_TCAM_S_UPDATE) != 0;
}

/*
 * 54-byte Toeplitz key <-> the 14 RPC_RSS_KEY register images (fbnic_hw.rst
 * 7.5). Byte k of the key sits in bits 31-8(k%4) .. 24-8(k%4) of register k/4.
 */
static void
fbnic_rss_key_to_regs(const uint8_t key[FBNIC_RSS_KEY_SIZE], uint32_t regs[FBNIC_RSS_KEY_WORDS])
{
	unsigned int k;

	memset(regs, 0, sizeof(uint32_t) * FBNIC_RSS_KEY_WORDS);
	for (k = 0; k < FBNIC_RSS_KEY_SIZE; k++)
		regs[k / 4] |= (uint32_t)key[k] << (24 - 8 * (k % 4));
	/* Only 425 bits exist: the last register keeps bits 31:23. */
	regs[FBNIC_RPC_RSS_KEY_LAST_IDX] &= FBNIC_RPC_RSS_KEY_LAST_MASK;
}

static void
fbnic_rss_regs_to_key(const uint32_t regs[FBNIC_RSS_KEY_WORDS], uint8_t key[FBNIC_RSS_KEY_SIZE])
{
	unsigned int k;

	for (k = 0; k < FBNIC_RSS_KEY_SIZE; k++)
		key[k] = (uint8_t)(regs[k / 4] >> (24 - 8 * (k % 4)));
}

int
fbnic_rpc_init(struct fbnic_hw *hw)
{
	uint8_t key[FBNIC_RSS_KEY_SIZE];
	struct fbnic_rpc *rpc;
	unsigned int i;

	if (hw->rpc != NULL)
		return 0;
	rpc = fbnic_osdep_zmalloc("fbnic_rpc", sizeof(*rpc));
	if (rpc == NULL) {
		FBNIC_BASE_LOG(ERR, "port %u: no memory for classifier state", hw->port_id);
		return -ENOMEM;
	}

	rpc->mac_boundary = FBNIC_MACDA_DEFAULT_BOUNDARY;
	rpc->rss_fields[FBNIC_RSS_FLOW_TCP4] = FBNIC_RSS_F_L4;
	rpc->rss_fields[FBNIC_RSS_FLOW_TCP6] = FBNIC_RSS_F_L4;
	rpc->rss_fields[FBNIC_RSS_FLOW_UDP4] = FBNIC_RSS_F_L3;
	rpc->rss_fields[FBNIC_RSS_FLOW_UDP6] = FBNIC_RSS_F_L3;
	rpc->rss_fields[FBNIC_RSS_FLOW_IP4] = FBNIC_RSS_F_L3;
	rpc->rss_fields[FBNIC_RSS_FLOW_IP6] = FBNIC_RSS_F_L3;
	rpc->rss_fields[FBNIC_RSS_FLOW_OTHER] = FBNIC_RSS_F_L2_DA;

	for (i = 0; i < FBNIC_RSS_KEY_SIZE; i++)
		key[i] = (uint8_t)fbnic_osdep_rand64();
	fbnic_rss_key_to_regs(key, rpc->rss_key);

	hw->rpc = rpc;
	fbnic_rpc_set_nb_rx_queues(hw, 1);
	return 0;
}

void
fbnic_rpc_fini(struct fbnic_hw *hw)
{
	fbnic_osdep_free(hw->rpc);
	hw->rpc = NULL;
}

int
fbnic_rpc_set_rss_key(struct fbnic_hw *hw, const uint8_t *key, size_t len)
{
	if (hw->rpc == NULL || key == NULL || len != FBNIC_RSS_KEY_SIZE)
		return -EINVAL;
	fbnic_rss_key_to_regs(key, hw->rpc->rss_key);
	return 0;
}

void
fbnic_rpc_get_rss_key(struct fbnic_hw *hw, uint8_t key[FBNIC_RSS_KEY_SIZE])
{
	fbnic_rss_regs_to_key(hw->rpc->rss_key, key);
}

void
fbnic_rpc_set_nb_rx_queues(struct fbnic_hw *hw, uint16_t nb_rxq)
{
	struct fbnic_rpc *rpc = hw->rpc;
	unsigned int t, i;

	if (nb_rxq == 0)
		nb_rxq = 1;
	rpc->nb_rx_queues = nb_rxq;
	for (t = 0; t < FBNIC_RSS_TABLES; t++) {
		bool keep = rpc->reta_user[t];

		/* A table the user set survives unless it names a queue that is gone. */
		for (i = 0; keep && i < FBNIC_RSS_RETA_SIZE; i++)
			keep = rpc->reta[t][i] < nb_rxq;
		if (keep)
			continue;
		rpc->reta_user[t] = false;
		for (i = 0; i < FBNIC_RSS_RETA_SIZE; i++)
			rpc->reta[t][i] = (uint16_t)(i % nb_rxq);
	}
}

int
fbnic_rpc_set_reta(struct fbnic_hw *hw, unsigned int tbl, const uint16_t *queues, unsigned int n)
{
	struct fbnic_rpc *rpc = hw->rpc;
	unsigned int i;

	if (tbl >= FBNIC_RSS_TABLES || n != FBNIC_RSS_RETA_SIZE || queues == NULL)
		return -EINVAL;
	for (i = 0; i < n; i++) {
		if (queues[i] >= rpc->nb_rx_queues) {
			FBNIC_BASE_LOG(ERR, "port %u: RSS table %u entry %u: queue %u >= %u",
				       hw->port_id, tbl, i, queues[i], rpc->nb_rx_queues);
			return -EINVAL;
		}
	}
	memcpy(rpc->reta[tbl], queues, sizeof(rpc->reta[tbl]));
	rpc->reta_user[tbl] = true;
	return 0;
}

int
fbnic_rpc_get_reta(struct fbnic_hw *hw, unsigned int tbl, uint16_t *queues, unsigned int n)
{
	if (tbl >= FBNIC_RSS_TABLES || n != FBNIC_RSS_RETA_SIZE || queues == NULL)
		return -EINVAL;
	memcpy(queues, hw->rpc->reta[tbl], sizeof(hw->rpc->reta[tbl]));
	return 0;
}

int
fbnic_rpc_set_hash_fields(struct fbnic_hw *hw, unsigned int flow, uint8_t fields)
{
	const uint8_t known = FBNIC_RSS_F_L2_DA | FBNIC_RSS_F_L4 | FBNIC_RSS_F_IP6_FL |
			      FBNIC_RSS_F_DISCARD;
	const uint8_t ports = FBNIC_RSS_F_L4_SRC | FBNIC_RSS_F_L4_DST;

	if (flow >= FBNIC_RSS_FLOW_NUM || (fields & ~known))
		return -EINVAL;
	/* Ports exist only in TCP and UDP flows. */
	if ((fields & ports) && flow != FBNIC_RSS_FLOW_TCP4 && flow != FBNIC_RSS_FLOW_TCP6 &&
	    flow != FBNIC_RSS_FLOW_UDP4 && flow != FBNIC_RSS_FLOW_UDP6)
		return -EINVAL;
	hw->rpc->rss_fields[flow] = fields;
	return 0;
}

/* RPC_ACT_TBL1 mask of a set of FBNIC_RSS_F_* fields. */
static uint16_t
fbnic_rss_fields_to_en_mask(uint8_t fields)
{
	uint16_t m = 0;

	if (fields & FBNIC_RSS_F_L2_DA)
		m |= FBNIC_RPC_ACT_TBL1_RSS_ENA_L2_DA;
	if (fields & FBNIC_RSS_F_IP_SRC)
		m |= FBNIC_RPC_ACT_TBL1_RSS_ENA_IP_SRC;
	if (fields & FBNIC_RSS_F_IP_DST)
		m |= FBNIC_RPC_ACT_TBL1_RSS_ENA_IP_DST;
	if (fields & FBNIC_RSS_F_L4_SRC)
		m |= FBNIC_RPC_ACT_TBL1_RSS_ENA_L4_SRC;
	if (fields & FBNIC_RSS_F_L4_DST)
		m |= FBNIC_RPC_ACT_TBL1_RSS_ENA_L4_DST;
	if (fields & FBNIC_RSS_F_IP6_FL)
		m |= FBNIC_RPC_ACT_TBL1_RSS_ENA_OV6_FL_LBL | FBNIC_RPC_ACT_TBL1_RSS_ENA_IV6_FL_LBL;
	return m;
}

/* Word-1 key of each RSS flow type: L4 present, UDP, IP present, IPv6. */
static uint16_t
fbnic_rss_flow_key(unsigned int flow)
{
	static const uint16_t key[FBNIC_RSS_FLOW_NUM] = {
		[FBNIC_RSS_FLOW_UDP6] = FBNIC_ACT1_L4_VALID | FBNIC_ACT1_L4_IS_UDP |
					FBNIC_ACT1_IP_VALID | FBNIC_ACT1_IP_IS_V6,
		[FBNIC_RSS_FLOW_UDP4] = FBNIC_ACT1_L4_VALID | FBNIC_ACT1_L4_IS_UDP |
					FBNIC_ACT1_IP_VALID,
		[FBNIC_RSS_FLOW_TCP6] = FBNIC_ACT1_L4_VALID | FBNIC_ACT1_IP_VALID |
					FBNIC_ACT1_IP_IS_V6,
		[FBNIC_RSS_FLOW_TCP4] = FBNIC_ACT1_L4_VALID | FBNIC_ACT1_IP_VALID,
		[FBNIC_RSS_FLOW_IP6] = FBNIC_ACT1_IP_VALID | FBNIC_ACT1_IP_IS_V6,
		[FBNIC_RSS_FLOW_IP4] = FBNIC_ACT1_IP_VALID,
		[FBNIC_RSS_FLOW_OTHER] = 0,
	};

	return key[flow];
}

void
fbnic_rpc_set_rx_tstamp(struct fbnic_hw *hw, uint8_t flows)
{
	hw->rpc->ts_flows = flows & FBNIC_RPC_TS_FLOWS_ALL;
}

void
fbnic_rss_reinit(struct fbnic_hw *hw)
{
	struct fbnic_rpc *rpc = hw->rpc;
	unsigned int i, w;

	/* Entries 50-56 (host unicast) are only needed to split BMC traffic. */
	for (i = hw->bmc_present ? 0 : FBNIC_RSS_FLOW_NUM; i < 2 * FBNIC_RSS_FLOW_NUM; i++) {
		struct fbnic_rpc_act *act = &rpc->act[FBNIC_ACT_RSS_IDX + i];
		unsigned int flow = i % FBNIC_RSS_FLOW_NUM;
		uint8_t fields = rpc->rss_fields[flow];
		uint32_t dest = 0;
		uint16_t value = 0;

		if (!(fields & FBNIC_RSS_F_DISCARD))
			dest = (uint32_t)FBNIC_FIELD_PREP(FBNIC_RPC_ACT_TBL0_DEST_MASK,
							  FBNIC_RPC_ACT_TBL0_DEST_HOST);
		if (i >= FBNIC_RSS_FLOW_NUM && hw->bmc_present)
			dest |= (uint32_t)FBNIC_FIELD_PREP(FBNIC_RPC_ACT_TBL0_DEST_MASK,
							   FBNIC_RPC_ACT_TBL0_DEST_BMC);
		if (dest == 0)
			dest = FBNIC_RPC_ACT_TBL0_DROP;
		else if (rpc->ts_flows & (1u << flow))
			dest |= FBNIC_RPC_ACT_TBL0_TS_ENA;	/* OPT_META with the Rx time */
		dest |= (uint32_t)FBNIC_FIELD_PREP(FBNIC_RPC_ACT_TBL0_DMA_HINT,
						   FBNIC_RCD_HDR_AL_DMA_HINT_L4);

		act->dest = dest;
		act->rss_en_mask = fbnic_rss_fields_to_en_mask(fields);

		/* Host unicast rules match MAC-DA entries at or above the boundary. */
		if (i < FBNIC_RSS_FLOW_NUM)
			value = (uint16_t)FBNIC_FIELD_PREP(FBNIC_ACT1_MACDA_IDX, rpc->mac_boundary);
		value |= FBNIC_ACT1_MACDA_VALID | fbnic_rss_flow_key(flow);

		for (w = 0; w < FBNIC_TCAM_ACT_WORDS; w++) {
			act->value[w] = 0;
			act->mask[w] = 0xffff;
		}
		/* Every bit set in the key must match; the rest is don't care. */
		act->value[1] = value;
		act->mask[1] = (uint16_t)~value;
		act->state = FBNIC_TCAM_S_UPDATE;
	}
}

/* The classifier on, with the frame length limit. */
static uint32_t
fbnic_rpc_rmi_config(const struct fbnic_rpc *rpc)
{
	uint32_t mtu = rpc->max_frame != 0 ? rpc->max_frame : FBNIC_MAX_FRAME_SIZE;

	return (uint32_t)FBNIC_FIELD_PREP(FBNIC_RPC_RMI_CONFIG_MTU, mtu) |
	       (uint32_t)FBNIC_FIELD_PREP(FBNIC_RPC_RMI_CONFIG_OH_BYTES, FBNIC_RPC_OH_BYTES) |
	       FBNIC_RPC_RMI_CONFIG_ENABLE;
}

void
fbnic_rss_write_hw(struct fbnic_hw *hw)
{
	struct fbnic_rpc *rpc = hw->rpc;
	unsigned int i;

	for (i = 0; i < FBNIC_RSS_RETA_SIZE; i++) {
		fbnic_wr32(hw, FBNIC_RPC_RSS_TBL(0, i), rpc->reta[0][i]);
		fbnic_wr32(hw, FBNIC_RPC_RSS_TBL(1, i), rpc->reta[1][i]);
	}
	for (i = 0; i < FBNIC_RSS_KEY_WORDS; i++)
		fbnic_wr32(hw, FBNIC_RPC_RSS_KEY(i), rpc->rss_key[i]);

	/* Nothing matched: drop, with no destination. */
	fbnic_wr32(hw, FBNIC_RPC_ACT_TBL0_DEFAULT, FBNIC_RPC_ACT_TBL0_DROP);
	fbnic_hw_flush(hw);
	fbnic_wr32(hw, FBNIC_RPC_ACT_TBL1_DEFAULT, 0);

	fbnic_wr32(hw, FBNIC_RPC_RMI_CONFIG, fbnic_rpc_rmi_config(rpc));
}

void
fbnic_rpc_max_frame_set(struct fbnic_hw *hw, uint32_t bytes)
{
	struct fbnic_rpc *rpc = hw->rpc;

	if (rpc == NULL)
		return;
	if (bytes > FBNIC_MAX_FRAME_SIZE)
		bytes = FBNIC_MAX_FRAME_SIZE;
	if (bytes < FBNIC_MIN_FRAME_SIZE)
		bytes = FBNIC_MIN_FRAME_SIZE;
	rpc->max_frame = (uint16_t)bytes;
	if (fbnic_rd32(hw, FBNIC_RPC_RMI_CONFIG) & FBNIC_RPC_RMI_CONFIG_ENABLE)
		fbnic_wr32(hw, FBNIC_RPC_RMI_CONFIG, fbnic_rpc_rmi_config(rpc));
}

/* Disable the RPC (RMI_CONFIG = OH_BYTES 20) unless a BMC needs it. */
static void
fbnic_rss_disable_hw(struct fbnic_hw *hw)
{
	if (!hw->bmc_present)
		fbnic_wr32(hw, FBNIC_RPC_RMI_CONFIG,
			   FBNIC_FIELD_PREP(FBNIC_RPC_RMI_CONFIG_OH_BYTES, FBNIC_RPC_OH_BYTES));
}

/* ---- MAC-DA TCAM ---- */

/* TCAM word w holds address bytes 4-2w (15:8) and 5-2w (7:0). */
static uint16_t
fbnic_mac_word(const uint8_t *a, unsigned int w)
{
	return (uint16_t)((a[4 - 2 * w] << 8) | a[5 - 2 * w]);
}

static void
fbnic_macda_clear_hw(struct fbnic_hw *hw, unsigned int idx)
{
	unsigned int w;

	for (w = 0; w <= FBNIC_TCAM_MACDA_WORDS; w++)
		fbnic_wr32(hw, FBNIC_RPC_TCAM_MACDA(idx, w), 0);
}

static void
fbnic_macda_write_hw(struct fbnic_hw *hw, unsigned int idx, const struct fbnic_rpc_mac *e)
{
	unsigned int w;

	for (w = 0; w < FBNIC_TCAM_MACDA_WORDS; w++)
		fbnic_wr32(hw, FBNIC_RPC_TCAM_MACDA(idx, w),
			   FBNIC_FIELD_PREP(FBNIC_RPC_TCAM_MACDA_MASK, fbnic_mac_word(e->mask, w)) |
			   FBNIC_FIELD_PREP(FBNIC_RPC_TCAM_MACDA_VALUE,
					    fbnic_mac_word(e->value, w)));
	/* Data first, then the validate word, so a half-written entry never matches. */
	fbnic_hw_flush(hw);
	fbnic_wr32(hw, FBNIC_RPC_TCAM_MACDA(idx, w), FBNIC_RPC_TCAM_VALIDATE);
}

static void
fbnic_rpc_write_macda(struct fbnic_hw *hw)
{
	struct fbnic_rpc *rpc = hw->rpc;
	unsigned int idx;

	for (idx = FBNIC_TCAM_MACDA_ENTRIES; idx--;) {
		struct fbnic_rpc_mac *e = &rpc->mac[idx];

		if (!fbnic_state_needs_write(e->state))
			continue;
		rpc->macda_changed = true;
		if (e->state == FBNIC_TCAM_S_DELETE) {
			fbnic_macda_clear_hw(hw, idx);
			memset(e, 0, sizeof(*e));
			continue;
		}
		fbnic_macda_write_hw(hw, idx, e);
		e->state = FBNIC_TCAM_S_VALID;
	}
}

bool
fbnic_rpc_macda_changed(struct fbnic_hw *hw)
{
	bool changed;

	if (hw->rpc == NULL)
		return false;
	changed = hw->rpc->macda_changed;
	hw->rpc->macda_changed = false;
	return changed;
}

static void
fbnic_mac_set_exact(struct fbnic_rpc_mac *e, const uint8_t *addr)
{
	memcpy(e->value, addr, FBNIC_ETH_ALEN);
	memset(e->mask, 0, FBNIC_ETH_ALEN);
}

/* Take or share an entry for addr among [lo, hi); the last free one found wins. */
static struct fbnic_rpc_mac *
fbnic_mac_sync_range(struct fbnic_rpc *rpc, const uint8_t *addr, int first, int last, int step)
{
	struct fbnic_rpc_mac *avail = NULL;
	int i;

	for (i = first; i != last; i += step) {
		struct fbnic_rpc_mac *e = &rpc->mac[i];

		if (e->state == FBNIC_TCAM_S_DISABLED) {
			avail = e;
		} else if (fbnic_addr_equal(e->value, addr) && fbnic_addr_is_zero(e->mask)) {
			avail = e;
			break;
		}
	}
	if (avail == NULL)
		return NULL;
	if (avail->state == FBNIC_TCAM_S_DISABLED) {
		fbnic_mac_set_exact(avail, addr);
		avail->state = FBNIC_TCAM_S_ADD;
	} else if (avail->state == FBNIC_TCAM_S_DELETE) {
		/* Dropped earlier in this round but wanted again: rewrite it. */
		avail->state = FBNIC_TCAM_S_UPDATE;
	}
	return avail;
}

/* Unicast: boundary-1 .. 29, the highest free entry is used first. */
static struct fbnic_rpc_mac *
fbnic_uc_sync(struct fbnic_rpc *rpc, const uint8_t *addr)
{
	return fbnic_mac_sync_range(rpc, addr, rpc->mac_boundary - 1,
				    FBNIC_MACDA_HOST_ADDR_IDX, 1);
}

/*
 * Multicast: boundary-1 .. 5, the lowest free entry is used first. A group
 * the BMC alone holds in 1-3 moves into the shared area, where the RSS rules
 * deliver it to the host as well.
 */
static struct fbnic_rpc_mac *
fbnic_mc_sync(struct fbnic_rpc *rpc, const uint8_t *addr)
{
	struct fbnic_rpc_mac *avail = NULL;
	int i;

	for (i = rpc->mac_boundary - 1; i > FBNIC_MACDA_BROADCAST_IDX; i--) {
		struct fbnic_rpc_mac *e = &rpc->mac[i];

		if (e->state == FBNIC_TCAM_S_DISABLED) {
			avail = e;
		} else if (fbnic_addr_equal(e->value, addr) && fbnic_addr_is_zero(e->mask)) {
			if (e->state == FBNIC_TCAM_S_DELETE)
				e->state = FBNIC_TCAM_S_UPDATE;
			return e;
		}
	}
	if (avail == NULL)
		return NULL;

	for (i = FBNIC_MACDA_BROADCAST_IDX - 1; i > FBNIC_MACDA_BMC_IDX; i--) {
		struct fbnic_rpc_mac *e = &rpc->mac[i];

		if (e->state == FBNIC_TCAM_S_DISABLED || e->state == FBNIC_TCAM_S_DELETE ||
		    !fbnic_addr_is_zero(e->mask) || !fbnic_addr_equal(e->value, addr))
			continue;
		*avail = *e;
		avail->state = FBNIC_TCAM_S_ADD;
		e->owners = 0;
		e->state = FBNIC_TCAM_S_DELETE;
		return avail;
	}

	fbnic_mac_set_exact(avail, addr);
	avail->state = FBNIC_TCAM_S_ADD;
	return avail;
}

static int
fbnic_mac_unsync(struct fbnic_rpc_mac *e, unsigned int owner)
{
	uint64_t bit = UINT64_C(1) << owner;

	if (!(e->owners & bit))
		return -ENOENT;
	e->owners &= ~bit;
	if (e->owners == 0 && e->state != FBNIC_TCAM_S_DISABLED)
		e->state = FBNIC_TCAM_S_DELETE;
	return 0;
}

static bool
fbnic_addr_in_list(const uint8_t *addr, const fbnic_mac_addr_t *list, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (fbnic_addr_equal(addr, list[i]))
			return true;
	return false;
}

/* Bring the owner's entries in [lo, hi] in line with list; false on overflow. */
static bool
fbnic_mac_sync_list(struct fbnic_rpc *rpc, unsigned int owner, int lo, int hi,
		    const fbnic_mac_addr_t *list, unsigned int n)
{
	bool fits = true;
	unsigned int i;
	int idx;

	for (idx = lo; idx <= hi; idx++) {
		struct fbnic_rpc_mac *e = &rpc->mac[idx];

		if ((e->owners & (UINT64_C(1) << owner)) &&
		    !fbnic_addr_in_list(e->value, list, n))
			fbnic_mac_unsync(e, owner);
	}
	for (i = 0; i < n; i++) {
		struct fbnic_rpc_mac *e;

		e = owner == FBNIC_MAC_OWN_UNICAST ? fbnic_uc_sync(rpc, list[i]) :
						     fbnic_mc_sync(rpc, list[i]);
		if (e == NULL) {
			fits = false;
			continue;
		}
		e->owners |= UINT64_C(1) << owner;
	}
	return fits;
}

/* Entry 31: promiscuous (match all) or all-multicast (match the group bit). */
static void
fbnic_promisc_sync(struct fbnic_hw *hw, bool uc_promisc, bool mc_promisc)
{
	struct fbnic_rpc_mac *e = &hw->rpc->mac[FBNIC_MACDA_PROMISC_IDX];

	if (uc_promisc) {
		if (!fbnic_addr_is_zero(e->value) || e->state != FBNIC_TCAM_S_VALID) {
			memset(e->value, 0, FBNIC_ETH_ALEN);
			memset(e->mask, 0xff, FBNIC_ETH_ALEN);
			e->owners &= ~(UINT64_C(1) << FBNIC_MAC_OWN_ALLMULTI);
			e->owners |= UINT64_C(1) << FBNIC_MAC_OWN_PROMISC;
			e->state = FBNIC_TCAM_S_ADD;
		}
	} else if (mc_promisc && !(hw->bmc_present && hw->rpc->bmc_all_multi)) {
		/* With a BMC all-multicast entry at boundary-1, that one serves the host. */
		if (!(e->value[0] & 0x01) || e->state != FBNIC_TCAM_S_VALID) {
			memset(e->value, 0, FBNIC_ETH_ALEN);
			memset(e->mask, 0xff, FBNIC_ETH_ALEN);
			e->value[0] = 0x01;
			e->mask[0] = 0xfe;
			e->owners |= UINT64_C(1) << FBNIC_MAC_OWN_ALLMULTI;
			e->owners &= ~(UINT64_C(1) << FBNIC_MAC_OWN_PROMISC);
			e->state = FBNIC_TCAM_S_ADD;
		}
	} else if (e->state != FBNIC_TCAM_S_DISABLED) {
		/* Also when close left it staged for rewriting. */
		fbnic_mac_unsync(e, FBNIC_MAC_OWN_ALLMULTI);
		fbnic_mac_unsync(e, FBNIC_MAC_OWN_PROMISC);
	}
}

/* ---- BMC sharing (fbnic_hw.rst 7.4, 7.6) ---- */

/* Action entry matching MAC-DA hits on idx (idx_care: index bits that must match). */
static void
fbnic_act_set_macda_rule(struct fbnic_rpc_act *a, uint32_t dest, unsigned int idx,
			 uint16_t idx_care)
{
	unsigned int w;

	for (w = 0; w < FBNIC_TCAM_ACT_WORDS; w++) {
		a->value[w] = 0;
		a->mask[w] = 0xffff;
	}
	a->dest = dest;
	a->rss_en_mask = 0;
	a->value[1] = (uint16_t)(FBNIC_FIELD_PREP(FBNIC_ACT1_MACDA_IDX, idx) |
				 FBNIC_ACT1_MACDA_VALID);
	a->mask[1] = (uint16_t)~(FBNIC_FIELD_PREP(FBNIC_ACT1_MACDA_IDX, idx_care) |
				 FBNIC_ACT1_MACDA_VALID);
	a->state = FBNIC_TCAM_S_UPDATE;
}

int
fbnic_rpc_bmc_init(struct fbnic_hw *hw, const fbnic_mac_addr_t *macs, unsigned int n,
		   bool all_multi)
{
	const uint32_t to_bmc = (uint32_t)FBNIC_FIELD_PREP(FBNIC_RPC_ACT_TBL0_DEST_MASK,
							   FBNIC_RPC_ACT_TBL0_DEST_BMC);
	struct fbnic_rpc *rpc = hw->rpc;
	unsigned int i, uc = FBNIC_MACDA_BMC_IDX;
	struct fbnic_rpc_mac *e;

	if (rpc == NULL)
		return -EINVAL;
	rpc->bmc_all_multi = all_multi;
	if (!hw->bmc_present)
		return 0;

	for (i = 0; i < n && i < 4; i++) {
		if (fbnic_addr_is_zero(macs[i]))
			continue;
		if (macs[i][0] & 0x01)
			e = fbnic_mc_sync(rpc, macs[i]);
		else
			e = uc < FBNIC_MACDA_BROADCAST_IDX ? &rpc->mac[uc++] : NULL;
		if (e == NULL) {
			FBNIC_BASE_LOG(ERR, "port %u: no MAC-DA entry for BMC address %u",
				       hw->port_id, i);
			continue;
		}
		fbnic_mac_set_exact(e, macs[i]);
		e->owners |= UINT64_C(1) << FBNIC_MAC_OWN_BMC;
		e->state = FBNIC_TCAM_S_ADD;
	}

	e = &rpc->mac[FBNIC_MACDA_BROADCAST_IDX];
	fbnic_mac_set_exact(e, fbnic_bcast_addr);
	e->owners |= UINT64_C(1) << FBNIC_MAC_OWN_BMC;
	e->state = FBNIC_TCAM_S_ADD;

	/* Entry 0: unicast hits on MAC-DA 0-3 go to the BMC only. */
	fbnic_act_set_macda_rule(&rpc->act[FBNIC_ACT_BMC_IDX], to_bmc, 0, 0x1c);
	return 0;
}

/* Entry boundary-1 as the BMC's all-multicast catch, entry 1 steering it to the BMC. */
static void
fbnic_bmc_all_multi_config(struct fbnic_hw *hw, bool host_allmulti)
{
	struct fbnic_rpc *rpc = hw->rpc;
	unsigned int idx = rpc->mac_boundary - 1;
	struct fbnic_rpc_mac *e = &rpc->mac[idx];
	struct fbnic_rpc_act *a = &rpc->act[FBNIC_ACT_BMC_ALL_MULTI_IDX];
	bool bmc = hw->bmc_present && rpc->bmc_all_multi;

	if (bmc) {
		if (e->state != FBNIC_TCAM_S_VALID) {
			memset(e->value, 0, FBNIC_ETH_ALEN);
			memset(e->mask, 0xff, FBNIC_ETH_ALEN);
			e->value[0] = 0x01;
			e->mask[0] = 0xfe;
			e->owners |= UINT64_C(1) << FBNIC_MAC_OWN_BMC;
			e->state = FBNIC_TCAM_S_ADD;
		}
		if (host_allmulti)
			e->owners |= UINT64_C(1) << FBNIC_MAC_OWN_ALLMULTI;
		else
			e->owners &= ~(UINT64_C(1) << FBNIC_MAC_OWN_ALLMULTI);
	} else {
		fbnic_mac_unsync(e, FBNIC_MAC_OWN_BMC);
		fbnic_mac_unsync(e, FBNIC_MAC_OWN_ALLMULTI);
	}

	/* With the host in all-multicast the RSS rules deliver to both. */
	if (!bmc || host_allmulti) {
		if (a->state != FBNIC_TCAM_S_DISABLED)
			a->state = FBNIC_TCAM_S_DELETE;
		return;
	}
	fbnic_act_set_macda_rule(a, (uint32_t)FBNIC_FIELD_PREP(FBNIC_RPC_ACT_TBL0_DEST_MASK,
							       FBNIC_RPC_ACT_TBL0_DEST_BMC),
				 idx, (uint16_t)FBNIC_FIELD_GET(FBNIC_ACT1_MACDA_IDX,
								FBNIC_ACT1_MACDA_IDX));
}


/* Move exact BMC-only entries out of the shared multicast area into 1-3. */
static void
fbnic_sift_macda(struct fbnic_rpc *rpc)
{
	unsigned int dest, src = FBNIC_MACDA_MULTICAST_IDX;
	const uint64_t bmc = UINT64_C(1) << FBNIC_MAC_OWN_BMC;

	for (dest = FBNIC_MACDA_BMC_IDX + 1;
	     dest < FBNIC_MACDA_BROADCAST_IDX && src < rpc->mac_boundary; dest++) {
		struct fbnic_rpc_mac *d = &rpc->mac[dest];

		if (d->state != FBNIC_TCAM_S_DISABLED)
			continue;
		while (src < rpc->mac_boundary) {
			struct fbnic_rpc_mac *s = &rpc->mac[src++];

			if (s->owners != bmc || s->state == FBNIC_TCAM_S_DISABLED ||
			    s->state == FBNIC_TCAM_S_DELETE || !fbnic_addr_is_zero(s->mask))
				continue;
			*d = *s;
			d->state = FBNIC_TCAM_S_ADD;
			s->owners = 0;
			s->state = FBNIC_TCAM_S_DELETE;
			break;
		}
	}
}

/* TX TCAM word w: MAC bytes as in the MAC-DA TCAM, but MASK 15:0 and VALUE 31:16. */
static void
fbnic_tce_tcam_write(struct fbnic_hw *hw, unsigned int idx, const struct fbnic_rpc_mac *e)
{
	uint32_t dest = FBNIC_TCE_TCAM_DEST_BMC;
	uint32_t map;
	unsigned int w;

	if (e->value[0] & 0x01)
		dest |= FBNIC_TCE_TCAM_DEST_MAC;
	map = fbnic_rd32(hw, FBNIC_TCE_TCAM_IDX2DEST_MAP);
	map &= ~(FBNIC_TCE_TCAM_IDX2DEST_MAP_DEST_ID_0 << (4 * idx));
	map |= dest << (4 * idx);
	fbnic_wr32(hw, FBNIC_TCE_TCAM_IDX2DEST_MAP, map);

	for (w = 0; w < FBNIC_TCE_TCAM_WORDS; w++)
		fbnic_wr32(hw, FBNIC_TCE_RAM_TCAM(idx, w),
			   FBNIC_FIELD_PREP(FBNIC_TCE_RAM_TCAM_MASK, fbnic_mac_word(e->mask, w)) |
			   FBNIC_FIELD_PREP(FBNIC_TCE_RAM_TCAM_VALUE,
					    fbnic_mac_word(e->value, w)));
	fbnic_hw_flush(hw);
	fbnic_wr32(hw, FBNIC_TCE_RAM_TCAM3(idx), FBNIC_TCE_RAM_TCAM3_MCQ_MASK |
		   FBNIC_TCE_RAM_TCAM3_DEST_MASK | FBNIC_TCE_RAM_TCAM3_VALIDATE);
}

static void
fbnic_tce_tcam_clear(struct fbnic_hw *hw, unsigned int idx)
{
	unsigned int w;

	for (w = 0; w <= FBNIC_TCE_TCAM_WORDS; w++)
		fbnic_wr32(hw, FBNIC_TCE_RAM_TCAM(idx, w), 0);
}

/* TX TCAM (TCE_RAM) with the BMC addresses, so host frames to the BMC loop back to it. */
static void
fbnic_rpc_write_tce_tcam(struct fbnic_hw *hw)
{
	struct fbnic_rpc *rpc = hw->rpc;
	const uint64_t bmc = UINT64_C(1) << FBNIC_MAC_OWN_BMC;
	unsigned int used = 0, i, t;

	/*
	 * BMC addresses fill the 8 entries from alternating ends on each
	 * rewrite, so an entry in use is not rewritten in place.
	 */
	for (i = 0; i < FBNIC_TCAM_MACDA_ENTRIES; i++) {
		const struct fbnic_rpc_mac *e;

		e = &rpc->mac[rpc->tce_from_top ? FBNIC_TCAM_MACDA_ENTRIES - 1 - i : i];
		if (!(e->owners & bmc) || e->state == FBNIC_TCAM_S_DISABLED)
			continue;
		if (used == FBNIC_TCE_TCAM_ENTRIES) {
			FBNIC_BASE_LOG(ERR, "port %u: TX TCAM full", hw->port_id);
			break;
		}
		t = rpc->tce_from_top ? FBNIC_TCE_TCAM_ENTRIES - 1 - used : used;
		fbnic_tce_tcam_write(hw, t, e);
		used++;
	}
	for (; used < FBNIC_TCE_TCAM_ENTRIES; used++)
		fbnic_tce_tcam_clear(hw, rpc->tce_from_top ? FBNIC_TCE_TCAM_ENTRIES - 1 - used :
							     used);
	rpc->tce_from_top = !rpc->tce_from_top;
}

int
fbnic_rpc_set_rx_mode(struct fbnic_hw *hw, const uint8_t own[FBNIC_ETH_ALEN],
		      const fbnic_mac_addr_t *uc, unsigned int nb_uc,
		      const fbnic_mac_addr_t *mc, unsigned int nb_mc,
		      bool promisc, bool allmulti, bool *uc_overflow, bool *mc_overflow)
{
	struct fbnic_rpc *rpc = hw->rpc;
	struct fbnic_rpc_mac *e;
	bool uc_fits, mc_fits;
	unsigned int i;

	if (rpc == NULL || own == NULL || !fbnic_mac_is_valid_unicast(own))
		return -EINVAL;
	for (i = 0; i < nb_uc; i++)
		if (!fbnic_mac_is_valid_unicast(uc[i]))
			return -EINVAL;
	for (i = 0; i < nb_mc; i++)
		if (!(mc[i][0] & 0x01))
			return -EINVAL;

	e = &rpc->mac[FBNIC_MACDA_HOST_ADDR_IDX];
	if (!fbnic_addr_equal(e->value, own) || e->state != FBNIC_TCAM_S_VALID) {
		fbnic_mac_set_exact(e, own);
		e->state = FBNIC_TCAM_S_UPDATE;
	}
	e->owners |= UINT64_C(1) << FBNIC_MAC_OWN_UNICAST;

	e = &rpc->mac[FBNIC_MACDA_BROADCAST_IDX];
	if (!fbnic_addr_equal(e->value, fbnic_bcast_addr) || e->state != FBNIC_TCAM_S_VALID) {
		fbnic_mac_set_exact(e, fbnic_bcast_addr);
		e->state = FBNIC_TCAM_S_ADD;
	}
	e->owners |= UINT64_C(1) << FBNIC_MAC_OWN_BROADCAST;

	uc_fits = fbnic_mac_sync_list(rpc, FBNIC_MAC_OWN_UNICAST, rpc->mac_boundary - 1,
				      FBNIC_MACDA_HOST_ADDR_IDX - 1, uc, nb_uc);
	mc_fits = fbnic_mac_sync_list(rpc, FBNIC_MAC_OWN_MULTICAST, FBNIC_MACDA_MULTICAST_IDX,
				      rpc->mac_boundary - 1, mc, nb_mc);

	promisc = promisc || !uc_fits;
	allmulti = allmulti || !mc_fits || promisc;
	fbnic_promisc_sync(hw, promisc, allmulti);
	fbnic_bmc_all_multi_config(hw, allmulti);
	fbnic_sift_macda(rpc);

	if (uc_overflow != NULL)
		*uc_overflow = !uc_fits;
	if (mc_overflow != NULL)
		*mc_overflow = !mc_fits;

	fbnic_rpc_write_all(hw);
	if (hw->bmc_present)
		fbnic_rpc_write_tce_tcam(hw);
	return 0;
}

/* ---- Action TCAM ---- */

static void
fbnic_act_clear_hw(struct fbnic_hw *hw, unsigned int idx)
{
	unsigned int w;

	for (w = 0; w <= FBNIC_TCAM_ACT_WORDS; w++)
		fbnic_wr32(hw, FBNIC_RPC_TCAM_ACT(idx, w), 0);
}

static void
fbnic_act_write_hw(struct fbnic_hw *hw, unsigned int idx, const struct fbnic_rpc_act *a)
{
	unsigned int w;

	fbnic_wr32(hw, FBNIC_RPC_ACT_TBL0(idx), a->dest);
	fbnic_wr32(hw, FBNIC_RPC_ACT_TBL1(idx), a->rss_en_mask);
	for (w = 0; w < FBNIC_TCAM_ACT_WORDS; w++)
		fbnic_wr32(hw, FBNIC_RPC_TCAM_ACT(idx, w),
			   FBNIC_FIELD_PREP(FBNIC_RPC_TCAM_ACT_MASK, a->mask[w]) |
			   FBNIC_FIELD_PREP(FBNIC_RPC_TCAM_ACT_VALUE, a->value[w]));
	fbnic_hw_flush(hw);
	fbnic_wr32(hw, FBNIC_RPC_TCAM_ACT(idx, w), FBNIC_RPC_TCAM_VALIDATE);
}

void
fbnic_rpc_write_rules(struct fbnic_hw *hw)
{
	struct fbnic_rpc *rpc = hw->rpc;
	unsigned int idx;

	for (idx = 0; idx < FBNIC_TCAM_ACT_ENTRIES; idx++) {
		struct fbnic_rpc_act *a = &rpc->act[idx];

		if (!fbnic_state_needs_write(a->state))
			continue;
		if (a->state == FBNIC_TCAM_S_DELETE) {
			fbnic_act_clear_hw(hw, idx);
			memset(a, 0, sizeof(*a));
			continue;
		}
		fbnic_act_write_hw(hw, idx, a);
		a->state = FBNIC_TCAM_S_VALID;
	}
}


/* ---- IP TCAMs ---- */

enum fbnic_ip_tcam {
	FBNIC_IP_SRC = 0,
	FBNIC_IP_DST,
	FBNIC_IPO_SRC,
	FBNIC_IPO_DST,
	FBNIC_IP_TCAMS,
};

static struct fbnic_rpc_ip *
fbnic_ip_table(struct fbnic_rpc *rpc, unsigned int t)
{
	switch (t) {
	case FBNIC_IP_SRC:
		return rpc->ip_src;
	case FBNIC_IP_DST:
		return rpc->ip_dst;
	case FBNIC_IPO_SRC:
		return rpc->ipo_src;
	default:
		return rpc->ipo_dst;
	}
}

static uint32_t
fbnic_ip_reg(unsigned int t, unsigned int entry, unsigned int word)
{
	switch (t) {
	case FBNIC_IP_SRC:
		return FBNIC_RPC_TCAM_IPSRC(entry, word);
	case FBNIC_IP_DST:
		return FBNIC_RPC_TCAM_IPDST(entry, word);
	case FBNIC_IPO_SRC:
		return FBNIC_RPC_TCAM_OUTER_IPSRC(entry, word);
	default:
		return FBNIC_RPC_TCAM_OUTER_IPDST(entry, word);
	}
}

/* TCAM word w holds address bytes 14-2w (15:8) and 15-2w (7:0). */
static uint16_t
fbnic_ip_word(const uint8_t *a, unsigned int w)
{
	return (uint16_t)((a[14 - 2 * w] << 8) | a[15 - 2 * w]);
}

static void
fbnic_ip_write_hw(struct fbnic_hw *hw, unsigned int t, unsigned int idx,
		  const struct fbnic_rpc_ip *e)
{
	uint32_t validate = FBNIC_RPC_TCAM_VALIDATE;
	unsigned int w;

	for (w = 0; w < FBNIC_TCAM_IP_WORDS; w++)
		fbnic_wr32(hw, fbnic_ip_reg(t, idx, w),
			   FBNIC_FIELD_PREP(FBNIC_RPC_TCAM_IP_ADDR_MASK,
					    fbnic_ip_word(e->mask, w)) |
			   FBNIC_FIELD_PREP(FBNIC_RPC_TCAM_IP_ADDR_VALUE,
					    fbnic_ip_word(e->value, w)));
	fbnic_hw_flush(hw);
	/* Only the inner (plain) IP TCAMs carry the IPv6 flag in bit 0. */
	if ((t == FBNIC_IP_SRC || t == FBNIC_IP_DST) && e->version == 6)
		validate |= 1;
	fbnic_wr32(hw, fbnic_ip_reg(t, idx, w), validate);
}

static void
fbnic_ip_clear_hw(struct fbnic_hw *hw, unsigned int t, unsigned int idx)
{
	unsigned int w;

	for (w = 0; w <= FBNIC_TCAM_IP_WORDS; w++)
		fbnic_wr32(hw, fbnic_ip_reg(t, idx, w), 0);
}

void
fbnic_rpc_write_ip_addr(struct fbnic_hw *hw)
{
	unsigned int t, idx;

	for (t = 0; t < FBNIC_IP_TCAMS; t++) {
		struct fbnic_rpc_ip *tbl = fbnic_ip_table(hw->rpc, t);

		for (idx = FBNIC_TCAM_IP_ENTRIES; idx--;) {
			struct fbnic_rpc_ip *e = &tbl[idx];

			if (!fbnic_state_needs_write(e->state))
				continue;
			if (e->state == FBNIC_TCAM_S_DELETE) {
				fbnic_ip_clear_hw(hw, t, idx);
				memset(e, 0, sizeof(*e));
				continue;
			}
			fbnic_ip_write_hw(hw, t, idx, e);
			e->state = FBNIC_TCAM_S_VALID;
		}
	}
}


void
fbnic_rpc_write_all(struct fbnic_hw *hw)
{
	fbnic_rpc_write_rules(hw);
	fbnic_rpc_write_ip_addr(hw);
	fbnic_rpc_write_macda(hw);
}

/*
 * Find or take an IP TCAM entry. Lower entries win, so a more specific
 * prefix must sit below a less specific one: scanning upward, an entry that
 * cares about bits we do not forbids every free slot seen so far, and a
 * strictly less specific entry ends the search. Masks are inverted
 * (1 = don't care).
 */
static struct fbnic_rpc_ip *
fbnic_ip_sync(struct fbnic_rpc_ip *tbl, uint8_t version, const uint8_t value[16],
	      const uint8_t mask[16])
{
	struct fbnic_rpc_ip *avail = NULL;
	unsigned int i, b;

	for (i = 0; i < FBNIC_TCAM_IP_ENTRIES; i++) {
		struct fbnic_rpc_ip *e = &tbl[i];
		bool more_specific = false, same_mask = true;

		if (e->state == FBNIC_TCAM_S_DISABLED) {
			avail = e;
			continue;
		}
		if (e->version != version)
			continue;
		for (b = 0; b < 16; b++) {
			if (~e->mask[b] & mask[b])
				more_specific = true;
			if (e->mask[b] != mask[b])
				same_mask = false;
		}
		if (more_specific) {
			avail = NULL;
			continue;
		}
		if (!same_mask)
			break;
		if (memcmp(e->value, value, 16) == 0) {
			avail = e;
			break;
		}
	}
	if (avail != NULL && avail->state == FBNIC_TCAM_S_DISABLED) {
		memcpy(avail->value, value, 16);
		memcpy(avail->mask, mask, 16);
		avail->version = version;
		avail->state = FBNIC_TCAM_S_ADD;
	} else if (avail != NULL && avail->state == FBNIC_TCAM_S_DELETE) {
		avail->state = FBNIC_TCAM_S_UPDATE;
	}
	return avail;
}

/* Drop action entry idx from every address entry it uses. */
static void
fbnic_rpc_release_owner(struct fbnic_rpc *rpc, unsigned int idx)
{
	uint64_t bit = UINT64_C(1) << idx;
	unsigned int t, i;

	for (t = 0; t < FBNIC_IP_TCAMS; t++) {
		struct fbnic_rpc_ip *tbl = fbnic_ip_table(rpc, t);

		for (i = 0; i < FBNIC_TCAM_IP_ENTRIES; i++) {
			struct fbnic_rpc_ip *e = &tbl[i];

			if (!(e->owners & bit))
				continue;
			e->owners &= ~bit;
			if (e->owners != 0)
				continue;
			if (e->state == FBNIC_TCAM_S_ADD)
				memset(e, 0, sizeof(*e));	/* never reached hardware */
			else
				e->state = FBNIC_TCAM_S_DELETE;
		}
	}
	for (i = 0; i < FBNIC_TCAM_MACDA_ENTRIES; i++)
		fbnic_mac_unsync(&rpc->mac[i], idx);
}

bool
fbnic_rpc_ntuple_used(struct fbnic_hw *hw, int location)
{
	if (hw->rpc == NULL || location < 0 || location >= FBNIC_ACT_NTUPLE_ENTRIES)
		return false;
	return hw->rpc->act[FBNIC_ACT_NTUPLE_IDX + location].state != FBNIC_TCAM_S_DISABLED;
}

/* Bring a user address/mask (IPv4 in bytes 0-3) to TCAM form. */
static bool
fbnic_ip_to_tcam(bool v6, const uint8_t *addr, const uint8_t *umask, uint8_t value[16],
		 uint8_t mask[16])
{
	unsigned int n = v6 ? 16 : 4, off = v6 ? 0 : 12, b;
	bool any = false;

	memset(value, 0, 16);
	memset(mask, 0xff, 16);
	for (b = 0; b < n; b++) {
		value[off + b] = addr[b] & umask[b];
		mask[off + b] = (uint8_t)~umask[b];
		any |= umask[b] != 0;
	}
	return any;
}

/* Attach an address match to the rule; *hit set when the address is matched. */
static int
fbnic_ntuple_ip(struct fbnic_rpc *rpc, unsigned int t, unsigned int act_idx, bool v6,
		const uint8_t *addr, const uint8_t *umask, uint16_t idx_mask, uint16_t valid,
		uint16_t *ip_value, uint16_t *ip_mask)
{
	uint8_t value[16], mask[16];
	struct fbnic_rpc_ip *tbl = fbnic_ip_table(rpc, t);
	struct fbnic_rpc_ip *e;

	if (!fbnic_ip_to_tcam(v6, addr, umask, value, mask))
		return 0;
	e = fbnic_ip_sync(tbl, v6 ? 6 : 4, value, mask);
	if (e == NULL)
		return -ENOSPC;
	e->owners |= UINT64_C(1) << act_idx;
	*ip_value |= valid | (uint16_t)(((uint32_t)(e - tbl) << __builtin_ctz(idx_mask)) &
					idx_mask);
	*ip_mask &= (uint16_t)~(valid | idx_mask);
	return 0;
}

static int
fbnic_ntuple_build(struct fbnic_hw *hw, const struct fbnic_ntuple *r, unsigned int idx,
		   struct fbnic_rpc_act *a, bool *uses_ip, bool *uses_mac)
{
	struct fbnic_rpc *rpc = hw->rpc;
	uint16_t flow_value = 0, flow_mask = 0xffff, ip_value = 0, ip_mask = 0xffff;
	unsigned int hash_flow;
	bool v6 = r->type == FBNIC_NTUPLE_IPV6;
	int err;

	a->value[3] = r->sport & r->sport_mask;
	a->mask[3] = (uint16_t)~r->sport_mask;
	a->value[4] = r->dport & r->dport_mask;
	a->mask[4] = (uint16_t)~r->dport_mask;

	if (r->type != FBNIC_NTUPLE_ETHER && r->type != FBNIC_NTUPLE_IPV4 &&
	    r->type != FBNIC_NTUPLE_IPV6)
		return -EINVAL;
	/*
	 * A destination MAC takes (or shares) a MAC-DA entry and the rule
	 * matches its index; without one, any frame the MAC filter accepted.
	 */
	if (!fbnic_addr_is_zero(r->dmac)) {
		struct fbnic_rpc_mac *e = (r->dmac[0] & 0x01) ? fbnic_mc_sync(rpc, r->dmac) :
							       fbnic_uc_sync(rpc, r->dmac);

		if (e == NULL)
			return -ENOSPC;
		e->owners |= UINT64_C(1) << idx;
		flow_value |= (uint16_t)FBNIC_FIELD_PREP(FBNIC_ACT1_MACDA_IDX, e - rpc->mac);
		flow_mask &= (uint16_t)~FBNIC_ACT1_MACDA_IDX;
		*uses_mac = true;
	}
	flow_value |= FBNIC_ACT1_MACDA_VALID;
	flow_mask &= (uint16_t)~FBNIC_ACT1_MACDA_VALID;
	if (r->type == FBNIC_NTUPLE_ETHER) {
		if (r->l4_proto != 0 || r->sport_mask || r->dport_mask)
			return -EINVAL;
		hash_flow = FBNIC_RSS_FLOW_OTHER;
		goto done;
	}

	switch (r->l4_proto) {
	case FBNIC_IPPROTO_UDP:
		flow_value |= FBNIC_ACT1_L4_IS_UDP;
		/* fall through */
	case FBNIC_IPPROTO_TCP:
		flow_value |= FBNIC_ACT1_L4_VALID;
		flow_mask &= (uint16_t)~(FBNIC_ACT1_L4_IS_UDP | FBNIC_ACT1_L4_VALID);
		hash_flow = r->l4_proto == FBNIC_IPPROTO_UDP ?
			    (v6 ? FBNIC_RSS_FLOW_UDP6 : FBNIC_RSS_FLOW_UDP4) :
			    (v6 ? FBNIC_RSS_FLOW_TCP6 : FBNIC_RSS_FLOW_TCP4);
		break;
	case 0:
	case FBNIC_IPPROTO_IPV6:
		if (r->sport_mask || r->dport_mask)
			return -EINVAL;
		if (r->l4_proto == FBNIC_IPPROTO_IPV6 && !v6)
			return -EINVAL;
		hash_flow = v6 ? FBNIC_RSS_FLOW_IP6 : FBNIC_RSS_FLOW_IP4;
		break;
	default:
		return -EINVAL;
	}

	if (r->l4_proto == FBNIC_IPPROTO_IPV6) {
		/*
		 * IPv6 in IPv6: the addresses match the outer header. Linux's mask
		 * here leaves only the outer-IP bit as don't care (fbnic_hw.rst 7.6);
		 * we require an outer IP instead and leave the rest to the rule.
		 */
		err = fbnic_ntuple_ip(rpc, FBNIC_IPO_SRC, idx, true, r->src_ip, r->src_mask,
				      FBNIC_ACT0_OUTER_IPSRC_IDX, FBNIC_ACT0_OUTER_IPSRC_VALID,
				      &ip_value, &ip_mask);
		if (err == 0)
			err = fbnic_ntuple_ip(rpc, FBNIC_IPO_DST, idx, true, r->dst_ip,
					      r->dst_mask, FBNIC_ACT0_OUTER_IPDST_IDX,
					      FBNIC_ACT0_OUTER_IPDST_VALID, &ip_value, &ip_mask);
		flow_value |= FBNIC_ACT1_OUTER_IP_VALID;
		flow_mask &= (uint16_t)~FBNIC_ACT1_OUTER_IP_VALID;
	} else {
		err = fbnic_ntuple_ip(rpc, FBNIC_IP_SRC, idx, v6, r->src_ip, r->src_mask,
				      FBNIC_ACT0_IPSRC_IDX, FBNIC_ACT0_IPSRC_VALID,
				      &ip_value, &ip_mask);
		if (err == 0)
			err = fbnic_ntuple_ip(rpc, FBNIC_IP_DST, idx, v6, r->dst_ip, r->dst_mask,
					      FBNIC_ACT0_IPDST_IDX, FBNIC_ACT0_IPDST_VALID,
					      &ip_value, &ip_mask);
	}
	if (err != 0)
		return err;
	*uses_ip = (ip_value != 0);

	flow_value |= FBNIC_ACT1_IP_VALID;
	if (v6)
		flow_value |= FBNIC_ACT1_IP_IS_V6;
	flow_mask &= (uint16_t)~(FBNIC_ACT1_IP_IS_V6 | FBNIC_ACT1_IP_VALID);
done:
	a->value[0] = ip_value;
	a->mask[0] = ip_mask;
	a->value[1] = flow_value;
	a->mask[1] = flow_mask;
	a->rss_en_mask = fbnic_rss_fields_to_en_mask(r->rss_fields != 0 ? r->rss_fields :
						     rpc->rss_fields[hash_flow]);
	return 0;
}

int
fbnic_rpc_ntuple_add(struct fbnic_hw *hw, const struct fbnic_ntuple *rule, bool write)
{
	struct fbnic_rpc *rpc = hw->rpc;
	bool uses_ip = false, uses_mac = false;
	struct fbnic_rpc_act *a;
	unsigned int idx, w;
	uint32_t dest;
	int loc, err;

	if (rpc == NULL || rule == NULL)
		return -EINVAL;

	for (loc = FBNIC_ACT_NTUPLE_ENTRIES; loc--;)
		if (rpc->act[FBNIC_ACT_NTUPLE_IDX + loc].state == FBNIC_TCAM_S_DISABLED)
			break;
	if (loc < 0)
		return -ENOSPC;
	idx = FBNIC_ACT_NTUPLE_IDX + (unsigned int)loc;

	switch (rule->action) {
	case FBNIC_NTUPLE_ACT_DROP:
		dest = FBNIC_RPC_ACT_TBL0_DROP;
		break;
	case FBNIC_NTUPLE_ACT_RSS:
		if (rule->rss_context > 1)
			return -EINVAL;
		dest = (uint32_t)FBNIC_FIELD_PREP(FBNIC_RPC_ACT_TBL0_DEST_MASK,
						  FBNIC_RPC_ACT_TBL0_DEST_HOST);
		if (rule->rss_context == 1)
			dest |= FBNIC_RPC_ACT_TBL0_RSS_CTXT_ID;
		break;
	case FBNIC_NTUPLE_ACT_QUEUE:
		/* Any queue the field holds: the caller knows which exist. */
		if (rule->queue > FBNIC_FIELD_GET(FBNIC_RPC_ACT_TBL0_Q_ID, FBNIC_RPC_ACT_TBL0_Q_ID))
			return -EINVAL;
		dest = (uint32_t)(FBNIC_FIELD_PREP(FBNIC_RPC_ACT_TBL0_DEST_MASK,
						   FBNIC_RPC_ACT_TBL0_DEST_HOST) |
				  FBNIC_RPC_ACT_TBL0_Q_SEL |
				  FBNIC_FIELD_PREP(FBNIC_RPC_ACT_TBL0_Q_ID, rule->queue));
		break;
	default:
		return -EINVAL;
	}

	a = &rpc->act[idx];
	memset(a, 0, sizeof(*a));
	for (w = 0; w < FBNIC_TCAM_ACT_WORDS; w++)
		a->mask[w] = 0xffff;

	err = fbnic_ntuple_build(hw, rule, idx, a, &uses_ip, &uses_mac);
	if (err != 0) {
		fbnic_rpc_release_owner(rpc, idx);
		memset(a, 0, sizeof(*a));
		return err;
	}
	if (rule->report)
		dest |= FBNIC_RPC_ACT_TBL0_ACT_TBL_IDX;
	a->dest = dest | (uint32_t)FBNIC_FIELD_PREP(FBNIC_RPC_ACT_TBL0_DMA_HINT,
						    FBNIC_RCD_HDR_AL_DMA_HINT_L4);
	a->state = FBNIC_TCAM_S_ADD;

	if (write) {
		/* Action entry first, then the addresses it refers to (fbnic_hw.rst 7.6). */
		fbnic_rpc_write_rules(hw);
		if (uses_ip)
			fbnic_rpc_write_ip_addr(hw);
		if (uses_mac)
			fbnic_rpc_write_macda(hw);
	}
	return loc;
}

int
fbnic_rpc_ntuple_del(struct fbnic_hw *hw, int location, bool write)
{
	struct fbnic_rpc_act *a;
	unsigned int idx;

	if (!fbnic_rpc_ntuple_used(hw, location))
		return -ENOENT;
	idx = FBNIC_ACT_NTUPLE_IDX + (unsigned int)location;
	a = &hw->rpc->act[idx];
	if (a->state == FBNIC_TCAM_S_ADD)
		memset(a, 0, sizeof(*a));	/* never written */
	else
		a->state = FBNIC_TCAM_S_DELETE;
	fbnic_rpc_release_owner(hw->rpc, idx);
	if (write)
		fbnic_rpc_write_all(hw);
	return 0;
}

/* ---- teardown and recovery ---- */

static void
fbnic_rpc_clear_valid_act(struct fbnic_hw *hw)
{
	unsigned int idx;

	for (idx = FBNIC_TCAM_ACT_ENTRIES; idx--;) {
		struct fbnic_rpc_act *a = &hw->rpc->act[idx];

		if (a->state != FBNIC_TCAM_S_VALID)
			continue;
		fbnic_act_clear_hw(hw, idx);
		a->state = FBNIC_TCAM_S_UPDATE;
	}
}

void
fbnic_rpc_clear_rules(struct fbnic_hw *hw)
{
	struct fbnic_rpc *rpc = hw->rpc;
	unsigned int idx;

	if (rpc == NULL)
		return;

	for (idx = FBNIC_TCAM_MACDA_ENTRIES; idx--;) {
		struct fbnic_rpc_mac *e = &rpc->mac[idx];

		if (e->state == FBNIC_TCAM_S_DISABLED)
			continue;
		if ((e->owners & (UINT64_C(1) << FBNIC_MAC_OWN_BMC)) && hw->bmc_present)
			continue;
		fbnic_macda_clear_hw(hw, idx);
		if (e->state == FBNIC_TCAM_S_DELETE)
			memset(e, 0, sizeof(*e));
		else
			e->state = FBNIC_TCAM_S_UPDATE;
	}

	/*
	 * With a BMC the last RSS rule keeps steering everything to it: its
	 * action becomes BMC only and its TCAM words stay valid.
	 */
	if (hw->bmc_present) {
		uint32_t bmc = (uint32_t)FBNIC_FIELD_PREP(FBNIC_RPC_ACT_TBL0_DEST_MASK,
							  FBNIC_RPC_ACT_TBL0_DEST_BMC);
		unsigned int last = FBNIC_TCAM_ACT_ENTRIES - 1;
		struct fbnic_rpc_act *a = &rpc->act[last];

		if (a->state == FBNIC_TCAM_S_VALID && (a->dest & bmc)) {
			fbnic_wr32(hw, FBNIC_RPC_ACT_TBL0(last), bmc);
			fbnic_wr32(hw, FBNIC_RPC_ACT_TBL1(last), 0);
			a->state = FBNIC_TCAM_S_UPDATE;
		}
	}
	fbnic_rpc_clear_valid_act(hw);
	fbnic_rss_disable_hw(hw);
}

void
fbnic_rpc_reset_valid_entries(struct fbnic_hw *hw)
{
	struct fbnic_rpc *rpc = hw->rpc;
	unsigned int t, idx;

	if (rpc == NULL)
		return;
	fbnic_rpc_clear_valid_act(hw);
	for (idx = FBNIC_TCAM_MACDA_ENTRIES; idx--;) {
		struct fbnic_rpc_mac *e = &rpc->mac[idx];

		if (e->state != FBNIC_TCAM_S_VALID)
			continue;
		fbnic_macda_clear_hw(hw, idx);
		e->state = FBNIC_TCAM_S_UPDATE;
	}
	/* IP entries are rewritten in place (identical contents). */
	for (t = 0; t < FBNIC_IP_TCAMS; t++) {
		struct fbnic_rpc_ip *tbl = fbnic_ip_table(rpc, t);

		for (idx = 0; idx < FBNIC_TCAM_IP_ENTRIES; idx++)
			if (tbl[idx].state == FBNIC_TCAM_S_VALID)
				tbl[idx].state = FBNIC_TCAM_S_UPDATE;
	}
}
