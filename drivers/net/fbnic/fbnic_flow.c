/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

/*
 * rte_flow on the classifier's ntuple entries (fbnic_hw.rst 7.6).
 *
 * A rule is one action TCAM entry among entries 2-49 (48 rules), whose key
 * matches the frame's flags (IPv4/IPv6, TCP/UDP), its L4 ports and the hit
 * indexes of the IP source and destination TCAMs (8 entries each, shared by
 * rules with the same address and mask) and of the MAC-DA TCAM. Lower
 * entries win; the RSS entries 50-63 catch what no rule matched.
 *
 * Patterns: eth (destination MAC, exact), ipv4 / ipv6 (source and
 * destination under any mask, the L4 protocol TCP or UDP), tcp / udp
 * (ports under any mask). Actions: queue, drop, rss (on the second RSS
 * context: its own queue set, the port's key, hash fields per rule; with
 * no queue list, on the port's own table and key with the rule's fields), mark
 * and flag (the hardware reports the matched entry in the completion's
 * OPT_META, the driver turns it into the mark).
 *
 * Rules are staged in the classifier's shadow, written at once while the
 * port runs, and kept across stop and start. A rule only ever sees frames
 * the MAC filter accepted (the key requires a MAC-DA hit), so rules and
 * promiscuous or multicast modes do not interfere; a rule naming a
 * destination MAC adds that address to the filter.
 */

#include <errno.h>
#include <string.h>
#include <sys/queue.h>

#include <rte_common.h>
#include <rte_malloc.h>
#include <rte_flow.h>
#include <rte_flow_driver.h>
#include <ethdev_driver.h>

#include "fbnic_ethdev.h"
#include "fbnic_logs.h"
#include "fbnic_rpc.h"
#include "fbnic_rxtx.h"

struct rte_flow {
	TAILQ_ENTRY(rte_flow) next;
	int loc;			/* ntuple location 0-47: entry 2 + loc */
	struct fbnic_ntuple rule;
	bool rss;			/* on RSS context 1 */
	bool rss_port;			/* RSS over the port's own table (context 0) */
	uint64_t rss_types;		/* as given, for query */
	uint8_t rss_level;
};

/* What a parsed rule needs beyond the hardware form. */
struct fbnic_flow_parse {
	struct fbnic_ntuple rule;
	unsigned int flow;		/* enum fbnic_rss_flow of the pattern */
	bool eth_type_set;		/* eth item gave the IP version */
	bool rss;
	bool rss_port;
	uint64_t rss_types;
	uint8_t rss_level;
	uint16_t nb_rss_queues;
	uint16_t rss_queues[FBNIC_MAX_RX_QUEUES];
	bool mark;
	uint64_t mark_value;		/* FBNIC_FLOW_MARK_* */
};

static bool
fbnic_flow_is_zero(const void *p, size_t n)
{
	const uint8_t *b = p;
	size_t i;

	for (i = 0; i < n; i++)
		if (b[i] != 0)
			return false;
	return true;
}

/* An item's mask: the user's or rte_flow's default; NULL if the item has no spec. */
static const void *
fbnic_flow_item_mask(const struct rte_flow_item *item, const void *def)
{
	if (item->spec == NULL)
		return NULL;
	return item->mask != NULL ? item->mask : def;
}

/*
 * eth: the destination address, exactly; the EtherType only as IPv4 or
 * IPv6 (what the IP items say too). Without a mask, fields left zero in
 * the spec are not matched.
 */
static int
fbnic_flow_item_eth(const struct rte_flow_item *item, struct fbnic_flow_parse *p,
		    struct rte_flow_error *error)
{
	const struct rte_flow_item_eth *spec = item->spec;
	struct rte_flow_item_eth mask, rest;
	uint16_t type;

	if (spec == NULL)
		return 0;
	if (item->mask != NULL) {
		mask = *(const struct rte_flow_item_eth *)item->mask;
	} else {
		memset(&mask, 0, sizeof(mask));
		if (!rte_is_zero_ether_addr(&spec->hdr.dst_addr))
			memset(&mask.hdr.dst_addr, 0xff, RTE_ETHER_ADDR_LEN);
		if (!rte_is_zero_ether_addr(&spec->hdr.src_addr))
			memset(&mask.hdr.src_addr, 0xff, RTE_ETHER_ADDR_LEN);
		if (spec->hdr.ether_type != 0)
			mask.hdr.ether_type = RTE_BE16(0xffff);
	}
	rest = mask;
	memset(&rest.hdr.dst_addr, 0, RTE_ETHER_ADDR_LEN);
	rest.hdr.ether_type = 0;
	if (!fbnic_flow_is_zero(&rest, sizeof(rest)))
		return rte_flow_error_set(error, ENOTSUP, RTE_FLOW_ERROR_TYPE_ITEM_MASK, item,
					  "eth: only destination and type can be matched");
	if (mask.hdr.ether_type != 0) {
		type = rte_be_to_cpu_16(spec->hdr.ether_type);
		if (mask.hdr.ether_type != RTE_BE16(0xffff) ||
		    (type != RTE_ETHER_TYPE_IPV4 && type != RTE_ETHER_TYPE_IPV6))
			return rte_flow_error_set(error, ENOTSUP, RTE_FLOW_ERROR_TYPE_ITEM, item,
						  "eth: the type can be IPv4 or IPv6 only");
		p->rule.type = type == RTE_ETHER_TYPE_IPV4 ? FBNIC_NTUPLE_IPV4 : FBNIC_NTUPLE_IPV6;
		p->eth_type_set = true;
	}
	if (rte_is_zero_ether_addr(&mask.hdr.dst_addr))
		return 0;
	if (!rte_is_broadcast_ether_addr(&mask.hdr.dst_addr))
		return rte_flow_error_set(error, ENOTSUP, RTE_FLOW_ERROR_TYPE_ITEM_MASK, item,
					  "eth: the destination matches all or nothing");
	if (rte_is_zero_ether_addr(&spec->hdr.dst_addr))
		return rte_flow_error_set(error, EINVAL, RTE_FLOW_ERROR_TYPE_ITEM_SPEC, item,
					  "eth: destination address 00:00:00:00:00:00");
	memcpy(p->rule.dmac, spec->hdr.dst_addr.addr_bytes, RTE_ETHER_ADDR_LEN);
	return 0;
}

/* An IP item after eth's type: the same version. */
static int
fbnic_flow_ip_version(const struct rte_flow_item *item, uint8_t type,
		      struct fbnic_flow_parse *p, struct rte_flow_error *error)
{
	if (p->eth_type_set && p->rule.type != type)
		return rte_flow_error_set(error, EINVAL, RTE_FLOW_ERROR_TYPE_ITEM, item,
					  "ip: contradicts the eth type");
	p->rule.type = type;
	return 0;
}

/* The L4 protocol of an IP item: none, or TCP/UDP matched exactly. */
static int
fbnic_flow_l4_proto(const struct rte_flow_item *item, uint8_t spec, uint8_t mask,
		    struct fbnic_flow_parse *p, struct rte_flow_error *error)
{
	if (mask == 0)
		return 0;
	if (mask != 0xff || (spec != IPPROTO_TCP && spec != IPPROTO_UDP))
		return rte_flow_error_set(error, ENOTSUP, RTE_FLOW_ERROR_TYPE_ITEM, item,
					  "ip: the protocol can only be TCP or UDP, exactly");
	p->rule.l4_proto = spec;
	return 0;
}

static int
fbnic_flow_item_ipv4(const struct rte_flow_item *item, struct fbnic_flow_parse *p,
		     struct rte_flow_error *error)
{
	const struct rte_flow_item_ipv4 *spec = item->spec;
	const struct rte_flow_item_ipv4 *mask =
		fbnic_flow_item_mask(item, &rte_flow_item_ipv4_mask);
	struct rte_flow_item_ipv4 rest;
	int ret = fbnic_flow_ip_version(item, FBNIC_NTUPLE_IPV4, p, error);

	if (ret != 0 || mask == NULL)
		return ret;
	rest = *mask;
	rest.hdr.src_addr = 0;
	rest.hdr.dst_addr = 0;
	rest.hdr.next_proto_id = 0;
	if (!fbnic_flow_is_zero(&rest, sizeof(rest)))
		return rte_flow_error_set(error, ENOTSUP, RTE_FLOW_ERROR_TYPE_ITEM_MASK, item,
					  "ipv4: only addresses and protocol can be matched");
	memcpy(p->rule.src_ip, &spec->hdr.src_addr, 4);
	memcpy(p->rule.src_mask, &mask->hdr.src_addr, 4);
	memcpy(p->rule.dst_ip, &spec->hdr.dst_addr, 4);
	memcpy(p->rule.dst_mask, &mask->hdr.dst_addr, 4);
	return fbnic_flow_l4_proto(item, spec->hdr.next_proto_id, mask->hdr.next_proto_id, p,
				   error);
}

static int
fbnic_flow_item_ipv6(const struct rte_flow_item *item, struct fbnic_flow_parse *p,
		     struct rte_flow_error *error)
{
	const struct rte_flow_item_ipv6 *spec = item->spec;
	const struct rte_flow_item_ipv6 *mask =
		fbnic_flow_item_mask(item, &rte_flow_item_ipv6_mask);
	struct rte_flow_item_ipv6 rest;
	int ret = fbnic_flow_ip_version(item, FBNIC_NTUPLE_IPV6, p, error);

	if (ret != 0 || mask == NULL)
		return ret;
	rest = *mask;
	memset(&rest.hdr.src_addr, 0, 16);
	memset(&rest.hdr.dst_addr, 0, 16);
	rest.hdr.proto = 0;
	if (!fbnic_flow_is_zero(&rest, sizeof(rest)))
		return rte_flow_error_set(error, ENOTSUP, RTE_FLOW_ERROR_TYPE_ITEM_MASK, item,
					  "ipv6: only addresses and next header can be matched");
	memcpy(p->rule.src_ip, &spec->hdr.src_addr, 16);
	memcpy(p->rule.src_mask, &mask->hdr.src_addr, 16);
	memcpy(p->rule.dst_ip, &spec->hdr.dst_addr, 16);
	memcpy(p->rule.dst_mask, &mask->hdr.dst_addr, 16);
	return fbnic_flow_l4_proto(item, spec->hdr.proto, mask->hdr.proto, p, error);
}

/* TCP or UDP: the protocol itself, and the ports under their masks. */
static int
fbnic_flow_item_l4(const struct rte_flow_item *item, struct fbnic_flow_parse *p,
		   struct rte_flow_error *error)
{
	uint8_t proto = item->type == RTE_FLOW_ITEM_TYPE_TCP ? IPPROTO_TCP : IPPROTO_UDP;
	const void *spec_ports, *mask_ports;
	rte_be16_t sport, dport, smask, dmask;
	struct rte_tcp_hdr rest;

	if (p->rule.type == FBNIC_NTUPLE_ETHER)
		return rte_flow_error_set(error, ENOTSUP, RTE_FLOW_ERROR_TYPE_ITEM, item,
					  "tcp/udp: needs an ipv4 or ipv6 item before it");
	if (p->rule.l4_proto != 0 && p->rule.l4_proto != proto)
		return rte_flow_error_set(error, EINVAL, RTE_FLOW_ERROR_TYPE_ITEM, item,
					  "tcp/udp: contradicts the IP protocol");
	p->rule.l4_proto = proto;
	/* Both headers start with the two ports: the same code reads them. */
	if (item->spec == NULL)
		return 0;
	if (proto == IPPROTO_TCP) {
		const struct rte_flow_item_tcp *mask =
			fbnic_flow_item_mask(item, &rte_flow_item_tcp_mask);

		rest = mask->hdr;
		rest.src_port = 0;
		rest.dst_port = 0;
		if (!fbnic_flow_is_zero(&rest, sizeof(rest)))
			return rte_flow_error_set(error, ENOTSUP, RTE_FLOW_ERROR_TYPE_ITEM_MASK,
						  item, "tcp: only the ports can be matched");
		spec_ports = &((const struct rte_flow_item_tcp *)item->spec)->hdr;
		mask_ports = &mask->hdr;
	} else {
		const struct rte_flow_item_udp *mask =
			fbnic_flow_item_mask(item, &rte_flow_item_udp_mask);
		struct rte_udp_hdr urest = mask->hdr;

		urest.src_port = 0;
		urest.dst_port = 0;
		if (!fbnic_flow_is_zero(&urest, sizeof(urest)))
			return rte_flow_error_set(error, ENOTSUP, RTE_FLOW_ERROR_TYPE_ITEM_MASK,
						  item, "udp: only the ports can be matched");
		spec_ports = &((const struct rte_flow_item_udp *)item->spec)->hdr;
		mask_ports = &mask->hdr;
	}
	memcpy(&sport, spec_ports, sizeof(sport));
	memcpy(&dport, (const uint8_t *)spec_ports + sizeof(sport), sizeof(dport));
	memcpy(&smask, mask_ports, sizeof(smask));
	memcpy(&dmask, (const uint8_t *)mask_ports + sizeof(smask), sizeof(dmask));
	p->rule.sport = rte_be_to_cpu_16(sport);
	p->rule.sport_mask = rte_be_to_cpu_16(smask);
	p->rule.dport = rte_be_to_cpu_16(dport);
	p->rule.dport_mask = rte_be_to_cpu_16(dmask);
	return 0;
}

/* Flow type of the parsed pattern, for the rule's default hash fields. */
static unsigned int
fbnic_flow_type(const struct fbnic_ntuple *r)
{
	bool v6 = r->type == FBNIC_NTUPLE_IPV6;

	if (r->type == FBNIC_NTUPLE_ETHER)
		return FBNIC_RSS_FLOW_OTHER;
	if (r->l4_proto == IPPROTO_TCP)
		return v6 ? FBNIC_RSS_FLOW_TCP6 : FBNIC_RSS_FLOW_TCP4;
	if (r->l4_proto == IPPROTO_UDP)
		return v6 ? FBNIC_RSS_FLOW_UDP6 : FBNIC_RSS_FLOW_UDP4;
	return v6 ? FBNIC_RSS_FLOW_IP6 : FBNIC_RSS_FLOW_IP4;
}

static int
fbnic_flow_parse_pattern(const struct rte_flow_item pattern[], struct fbnic_flow_parse *p,
			 struct rte_flow_error *error)
{
	const struct rte_flow_item *item;
	unsigned int layer = 0;	/* 1 eth, 2 ip, 3 l4 */
	int ret = 0;

	if (pattern == NULL)
		return rte_flow_error_set(error, EINVAL, RTE_FLOW_ERROR_TYPE_ITEM_NUM, NULL,
					  "no pattern");
	p->rule.type = FBNIC_NTUPLE_ETHER;
	for (item = pattern; item->type != RTE_FLOW_ITEM_TYPE_END; item++) {
		unsigned int want;

		if (item->type == RTE_FLOW_ITEM_TYPE_VOID)
			continue;
		if (item->last != NULL)
			return rte_flow_error_set(error, ENOTSUP, RTE_FLOW_ERROR_TYPE_ITEM_LAST,
						  item, "ranges are not supported");
		if (item->spec == NULL && item->mask != NULL)
			return rte_flow_error_set(error, EINVAL, RTE_FLOW_ERROR_TYPE_ITEM, item,
						  "a mask without a spec");
		switch (item->type) {
		case RTE_FLOW_ITEM_TYPE_ETH:
			want = 1;
			break;
		case RTE_FLOW_ITEM_TYPE_IPV4:
		case RTE_FLOW_ITEM_TYPE_IPV6:
			want = 2;
			break;
		case RTE_FLOW_ITEM_TYPE_TCP:
		case RTE_FLOW_ITEM_TYPE_UDP:
			want = 3;
			break;
		default:
			return rte_flow_error_set(error, ENOTSUP, RTE_FLOW_ERROR_TYPE_ITEM, item,
						  "item not supported: eth, ipv4, ipv6, tcp, udp");
		}
		if (want <= layer)
			return rte_flow_error_set(error, ENOTSUP, RTE_FLOW_ERROR_TYPE_ITEM, item,
						  "items must follow the order eth, ip, tcp/udp");
		layer = want;
		switch (item->type) {
		case RTE_FLOW_ITEM_TYPE_ETH:
			ret = fbnic_flow_item_eth(item, p, error);
			break;
		case RTE_FLOW_ITEM_TYPE_IPV4:
			ret = fbnic_flow_item_ipv4(item, p, error);
			break;
		case RTE_FLOW_ITEM_TYPE_IPV6:
			ret = fbnic_flow_item_ipv6(item, p, error);
			break;
		default:
			ret = fbnic_flow_item_l4(item, p, error);
			break;
		}
		if (ret != 0)
			return ret;
	}
	p->flow = fbnic_flow_type(&p->rule);
	return 0;
}

static int
fbnic_flow_action_rss(struct rte_eth_dev *dev, const struct rte_flow_action *act,
		      struct fbnic_flow_parse *p, struct rte_flow_error *error)
{
	struct fbnic_adapter *ad = fbnic_eth_dev_adapter(dev);
	const struct rte_flow_action_rss *rss = act->conf;
	uint8_t key[FBNIC_RSS_KEY_SIZE];
	uint8_t fields;
	uint32_t i;

	if (rss == NULL || (rss->queue_num != 0 && rss->queue == NULL))
		return rte_flow_error_set(error, EINVAL, RTE_FLOW_ERROR_TYPE_ACTION_CONF, act,
					  "rss: no queues");
	if (rss->func != RTE_ETH_HASH_FUNCTION_DEFAULT &&
	    rss->func != RTE_ETH_HASH_FUNCTION_TOEPLITZ)
		return rte_flow_error_set(error, ENOTSUP, RTE_FLOW_ERROR_TYPE_ACTION_CONF, act,
					  "rss: the device hashes with Toeplitz only");
	if (rss->level > 1)
		return rte_flow_error_set(error, ENOTSUP, RTE_FLOW_ERROR_TYPE_ACTION_CONF, act,
					  "rss: the device hashes the outermost headers only");
	if (rss->queue_num > FBNIC_RSS_RETA_SIZE)
		return rte_flow_error_set(error, EINVAL, RTE_FLOW_ERROR_TYPE_ACTION_CONF, act,
					  "rss: more queues than the table has entries");
	for (i = 0; i < rss->queue_num; i++)
		if (rss->queue[i] >= dev->data->nb_rx_queues)
			return rte_flow_error_set(error, EINVAL, RTE_FLOW_ERROR_TYPE_ACTION_CONF,
						  act, "rss: queue out of range");
	if (rss->key_len != 0) {
		fbnic_rpc_get_rss_key(&ad->hw, key);
		if (rss->key == NULL || rss->key_len != FBNIC_RSS_KEY_SIZE ||
		    memcmp(rss->key, key, FBNIC_RSS_KEY_SIZE) != 0)
			return rte_flow_error_set(error, ENOTSUP, RTE_FLOW_ERROR_TYPE_ACTION_CONF,
						  act, "rss: both contexts share the port's key");
	}
	if (rss->types & ~FBNIC_RSS_OFFLOAD_ALL)
		return rte_flow_error_set(error, ENOTSUP, RTE_FLOW_ERROR_TYPE_ACTION_CONF, act,
					  "rss: hash types the device does not compute");
	fields = rss->types != 0 ? fbnic_rss_hf_fields(rss->types, p->flow) : 0;
	if (rss->types != 0 && fields == 0)
		return rte_flow_error_set(error, ENOTSUP, RTE_FLOW_ERROR_TYPE_ACTION_CONF, act,
					  "rss: no hash type applies to the pattern's flows");
	p->rss_types = rss->types;
	p->rss_level = (uint8_t)rss->level;
	p->rule.action = FBNIC_NTUPLE_ACT_RSS;
	p->rule.rss_fields = fields;
	if (rss->queue_num == 0) {
		/* No queue list: the port's own queues, through its table (context 0). */
		p->rss_port = true;
		p->rule.rss_context = 0;
		return 0;
	}
	p->rss = true;
	p->nb_rss_queues = (uint16_t)rss->queue_num;
	memcpy(p->rss_queues, rss->queue, rss->queue_num * sizeof(rss->queue[0]));
	p->rule.rss_context = 1;
	return 0;
}

static int
fbnic_flow_parse_actions(struct rte_eth_dev *dev, const struct rte_flow_action actions[],
			 struct fbnic_flow_parse *p, struct rte_flow_error *error)
{
	const struct rte_flow_action *act;
	bool fate = false;
	int ret;

	if (actions == NULL)
		return rte_flow_error_set(error, EINVAL, RTE_FLOW_ERROR_TYPE_ACTION_NUM, NULL,
					  "no actions");
	for (act = actions; act->type != RTE_FLOW_ACTION_TYPE_END; act++) {
		switch (act->type) {
		case RTE_FLOW_ACTION_TYPE_VOID:
			continue;
		case RTE_FLOW_ACTION_TYPE_MARK:
		case RTE_FLOW_ACTION_TYPE_FLAG:
			if (p->mark)
				return rte_flow_error_set(error, ENOTSUP,
							  RTE_FLOW_ERROR_TYPE_ACTION, act,
							  "one mark or flag per rule");
			if (act->type == RTE_FLOW_ACTION_TYPE_MARK) {
				const struct rte_flow_action_mark *mark = act->conf;

				if (mark == NULL)
					return rte_flow_error_set(error, EINVAL,
								  RTE_FLOW_ERROR_TYPE_ACTION_CONF,
								  act, "mark: no id");
				p->mark_value = FBNIC_FLOW_MARK_ID | mark->id;
			} else {
				p->mark_value = FBNIC_FLOW_MARK_FLAG;
			}
			p->mark = true;
			p->rule.report = true;
			continue;
		default:
			break;
		}
		if (fate)
			return rte_flow_error_set(error, ENOTSUP, RTE_FLOW_ERROR_TYPE_ACTION, act,
						  "one of queue, rss, drop per rule");
		switch (act->type) {
		case RTE_FLOW_ACTION_TYPE_QUEUE: {
			const struct rte_flow_action_queue *q = act->conf;

			if (q == NULL || q->index >= dev->data->nb_rx_queues)
				return rte_flow_error_set(error, EINVAL,
							  RTE_FLOW_ERROR_TYPE_ACTION_CONF, act,
							  "queue: index out of range");
			p->rule.action = FBNIC_NTUPLE_ACT_QUEUE;
			p->rule.queue = q->index;
			break;
		}
		case RTE_FLOW_ACTION_TYPE_DROP:
			p->rule.action = FBNIC_NTUPLE_ACT_DROP;
			break;
		case RTE_FLOW_ACTION_TYPE_RSS:
			ret = fbnic_flow_action_rss(dev, act, p, error);
			if (ret != 0)
				return ret;
			break;
		default:
			return rte_flow_error_set(error, ENOTSUP, RTE_FLOW_ERROR_TYPE_ACTION, act,
						  "supported: queue, rss, drop, mark, flag");
		}
		fate = true;
	}
	if (!fate)
		return rte_flow_error_set(error, EINVAL, RTE_FLOW_ERROR_TYPE_ACTION_NUM, NULL,
					  "no queue, rss or drop action");
	if (p->mark && p->rule.action == FBNIC_NTUPLE_ACT_DROP)
		return rte_flow_error_set(error, ENOTSUP, RTE_FLOW_ERROR_TYPE_ACTION, actions,
					  "mark: a dropped frame carries no mark");
	return 0;
}

static int
fbnic_flow_parse(struct rte_eth_dev *dev, const struct rte_flow_attr *attr,
		 const struct rte_flow_item pattern[], const struct rte_flow_action actions[],
		 struct fbnic_flow_parse *p, struct rte_flow_error *error)
{
	int ret = fbnic_dev_usable(dev);

	if (ret != 0)
		return rte_flow_error_set(error, -ret, RTE_FLOW_ERROR_TYPE_UNSPECIFIED, NULL,
					  "port not usable");
	memset(p, 0, sizeof(*p));
	if (attr == NULL)
		return rte_flow_error_set(error, EINVAL, RTE_FLOW_ERROR_TYPE_ATTR, NULL,
					  "no attributes");
	if (!attr->ingress || attr->egress || attr->transfer)
		return rte_flow_error_set(error, ENOTSUP, RTE_FLOW_ERROR_TYPE_ATTR, attr,
					  "ingress rules only");
	if (attr->group != 0)
		return rte_flow_error_set(error, ENOTSUP, RTE_FLOW_ERROR_TYPE_ATTR_GROUP, attr,
					  "group 0 only");
	if (attr->priority != 0)
		return rte_flow_error_set(error, ENOTSUP, RTE_FLOW_ERROR_TYPE_ATTR_PRIORITY,
					  attr, "priority 0 only");
	ret = fbnic_flow_parse_pattern(pattern, p, error);
	if (ret != 0)
		return ret;
	return fbnic_flow_parse_actions(dev, actions, p, error);
}

/* RSS context 1 takes one queue set; rules on it must share it. Lock held. */
static int
fbnic_flow_rss_claim(struct fbnic_adapter *ad, const struct fbnic_flow_parse *p,
		     bool commit, struct rte_flow_error *error)
{
	uint16_t reta[FBNIC_RSS_RETA_SIZE];
	unsigned int i;

	if (ad->flow_rss_users != 0) {
		if (p->nb_rss_queues != ad->flow_rss_nb_queues ||
		    memcmp(p->rss_queues, ad->flow_rss_queues,
			   p->nb_rss_queues * sizeof(p->rss_queues[0])) != 0)
			return rte_flow_error_set(error, EBUSY, RTE_FLOW_ERROR_TYPE_ACTION_CONF,
						  NULL, "rss: context 1 serves another queue set");
		if (commit)
			ad->flow_rss_users++;
		return 0;
	}
	if (!commit)
		return 0;
	for (i = 0; i < FBNIC_RSS_RETA_SIZE; i++)
		reta[i] = p->rss_queues[i % p->nb_rss_queues];
	if (fbnic_rpc_set_reta(&ad->hw, 1, reta, FBNIC_RSS_RETA_SIZE) != 0)
		return rte_flow_error_set(error, EINVAL, RTE_FLOW_ERROR_TYPE_ACTION_CONF, NULL,
					  "rss: queue out of range");
	memcpy(ad->flow_rss_queues, p->rss_queues, p->nb_rss_queues * sizeof(p->rss_queues[0]));
	ad->flow_rss_nb_queues = p->nb_rss_queues;
	ad->flow_rss_users = 1;
	if (ad->started)
		fbnic_rss_write_hw(&ad->hw);
	return 0;
}

/* The last rule on RSS context 1 gives table 1 back to the port's RETA. Lock held. */
static void
fbnic_flow_rss_release(struct fbnic_adapter *ad)
{
	uint16_t reta[FBNIC_RSS_RETA_SIZE];

	if (ad->flow_rss_users == 0 || --ad->flow_rss_users != 0)
		return;
	ad->flow_rss_nb_queues = 0;
	if (fbnic_rpc_get_reta(&ad->hw, 0, reta, FBNIC_RSS_RETA_SIZE) == 0)
		(void)fbnic_rpc_set_reta(&ad->hw, 1, reta, FBNIC_RSS_RETA_SIZE);
	if (ad->started)
		fbnic_rss_write_hw(&ad->hw);
}

static int
fbnic_flow_validate(struct rte_eth_dev *dev, const struct rte_flow_attr *attr,
		    const struct rte_flow_item pattern[], const struct rte_flow_action actions[],
		    struct rte_flow_error *error)
{
	struct fbnic_adapter *ad = fbnic_eth_dev_adapter(dev);
	struct fbnic_flow_parse p;
	int ret;

	ret = fbnic_flow_parse(dev, attr, pattern, actions, &p, error);
	if (ret != 0)
		return ret;
	fbnic_lock(ad);
	if (ad->nb_flows >= FBNIC_ACT_NTUPLE_ENTRIES)
		ret = rte_flow_error_set(error, ENOSPC, RTE_FLOW_ERROR_TYPE_HANDLE, NULL,
					 "all 48 rule entries are in use");
	else if (p.rss)
		ret = fbnic_flow_rss_claim(ad, &p, false, error);
	fbnic_unlock(ad);
	return ret;
}

static struct rte_flow *
fbnic_flow_create(struct rte_eth_dev *dev, const struct rte_flow_attr *attr,
		  const struct rte_flow_item pattern[], const struct rte_flow_action actions[],
		  struct rte_flow_error *error)
{
	struct fbnic_adapter *ad = fbnic_eth_dev_adapter(dev);
	struct fbnic_flow_parse p;
	struct rte_flow *flow;
	int loc;

	if (fbnic_flow_parse(dev, attr, pattern, actions, &p, error) != 0)
		return NULL;
	flow = rte_zmalloc_socket("fbnic_flow", sizeof(*flow), 0, dev->data->numa_node);
	if (flow == NULL) {
		rte_flow_error_set(error, ENOMEM, RTE_FLOW_ERROR_TYPE_HANDLE, NULL,
				   "no memory for the rule");
		return NULL;
	}
	fbnic_lock(ad);
	if (p.rss && fbnic_flow_rss_claim(ad, &p, true, error) != 0)
		goto fail;
	loc = fbnic_rpc_ntuple_add(&ad->hw, &p.rule, ad->started);
	if (loc < 0) {
		if (p.rss)
			fbnic_flow_rss_release(ad);
		if (loc == -ENOSPC)
			rte_flow_error_set(error, ENOSPC, RTE_FLOW_ERROR_TYPE_HANDLE, NULL,
					   ad->nb_flows >= FBNIC_ACT_NTUPLE_ENTRIES ?
					   "all 48 rule entries are in use" :
					   "no free IP or MAC address entry for the rule");
		else
			rte_flow_error_set(error, -loc, RTE_FLOW_ERROR_TYPE_UNSPECIFIED, NULL,
					   "the classifier refused the rule");
		PMD_DRV_LOG(ERR, "port %u: flow rule not added: %d", dev->data->port_id, loc);
		goto fail;
	}
	flow->loc = loc;
	flow->rule = p.rule;
	flow->rss = p.rss;
	flow->rss_port = p.rss_port;
	flow->rss_types = p.rss_types;
	flow->rss_level = p.rss_level;
	ad->flow_mark[FBNIC_ACT_NTUPLE_IDX + loc] = p.mark ? p.mark_value : 0;
	TAILQ_INSERT_TAIL(&ad->flows, flow, next);
	ad->nb_flows++;
	fbnic_unlock(ad);
	return flow;
fail:
	fbnic_unlock(ad);
	rte_free(flow);
	return NULL;
}

/* Lock held. */
static int
fbnic_flow_remove(struct fbnic_adapter *ad, struct rte_flow *flow)
{
	int ret = fbnic_rpc_ntuple_del(&ad->hw, flow->loc, ad->started && !ad->hw.removed);

	if (ret != 0)
		return ret;
	ad->flow_mark[FBNIC_ACT_NTUPLE_IDX + flow->loc] = 0;
	if (flow->rss)
		fbnic_flow_rss_release(ad);
	TAILQ_REMOVE(&ad->flows, flow, next);
	ad->nb_flows--;
	rte_free(flow);
	return 0;
}

static int
fbnic_flow_destroy(struct rte_eth_dev *dev, struct rte_flow *flow, struct rte_flow_error *error)
{
	struct fbnic_adapter *ad = fbnic_eth_dev_adapter(dev);
	struct rte_flow *f;
	int ret = -ENOENT;

	if (!fbnic_is_primary())
		return rte_flow_error_set(error, ENOTSUP, RTE_FLOW_ERROR_TYPE_UNSPECIFIED, NULL,
					  "rules are managed by the primary process");
	fbnic_lock(ad);
	TAILQ_FOREACH(f, &ad->flows, next)
		if (f == flow)
			break;
	if (f != NULL)
		ret = fbnic_flow_remove(ad, f);
	fbnic_unlock(ad);
	if (ret != 0)
		return rte_flow_error_set(error, -ret, RTE_FLOW_ERROR_TYPE_HANDLE, flow,
					  "no such rule on this port");
	return 0;
}

/* Remove every rule (flush, close). Lock held. */
void
fbnic_flow_flush_locked(struct fbnic_adapter *ad)
{
	struct rte_flow *f;

	while ((f = TAILQ_FIRST(&ad->flows)) != NULL) {
		if (fbnic_flow_remove(ad, f) != 0) {
			/* Not in the classifier: forget it all the same. */
			TAILQ_REMOVE(&ad->flows, f, next);
			ad->nb_flows--;
			rte_free(f);
		}
	}
	ad->flow_rss_users = 0;
	ad->flow_rss_nb_queues = 0;
	memset(ad->flow_mark, 0, sizeof(ad->flow_mark));
}

static int
fbnic_flow_flush(struct rte_eth_dev *dev, struct rte_flow_error *error)
{
	struct fbnic_adapter *ad = fbnic_eth_dev_adapter(dev);

	if (!fbnic_is_primary())
		return rte_flow_error_set(error, ENOTSUP, RTE_FLOW_ERROR_TYPE_UNSPECIFIED, NULL,
					  "rules are managed by the primary process");
	fbnic_lock(ad);
	fbnic_flow_flush_locked(ad);
	fbnic_unlock(ad);
	return 0;
}

/*
 * Query: the RSS action gives its configuration back. The classifier keeps
 * no per-rule hit counters, so COUNT is not offered.
 */
static int
fbnic_flow_query(struct rte_eth_dev *dev, struct rte_flow *flow,
		 const struct rte_flow_action *action, void *data, struct rte_flow_error *error)
{
	struct fbnic_adapter *ad = fbnic_eth_dev_adapter(dev);
	struct rte_flow_action_rss *rss = data;
	struct rte_flow *f;
	int ret = 0;

	if (action == NULL || data == NULL)
		return rte_flow_error_set(error, EINVAL, RTE_FLOW_ERROR_TYPE_ACTION, action,
					  "nothing to query");
	fbnic_lock(ad);
	TAILQ_FOREACH(f, &ad->flows, next)
		if (f == flow)
			break;
	if (f == NULL) {
		ret = rte_flow_error_set(error, ENOENT, RTE_FLOW_ERROR_TYPE_HANDLE, flow,
					 "no such rule on this port");
	} else if (action->type != RTE_FLOW_ACTION_TYPE_RSS || (!f->rss && !f->rss_port)) {
		ret = rte_flow_error_set(error, ENOTSUP, RTE_FLOW_ERROR_TYPE_ACTION, action,
					 "only a rule's rss action can be queried");
	} else {
		memset(rss, 0, sizeof(*rss));
		rss->func = RTE_ETH_HASH_FUNCTION_TOEPLITZ;
		rss->level = f->rss_level;
		rss->types = f->rss_types;
		rss->queue_num = f->rss ? ad->flow_rss_nb_queues : 0;
		rss->queue = f->rss ? ad->flow_rss_queues : NULL;
	}
	fbnic_unlock(ad);
	return ret;
}

/* A queue count that would strand a rule's queue is refused (start). Lock held. */
int
fbnic_flow_check_queues(struct fbnic_adapter *ad, uint16_t nb_rxq)
{
	struct rte_flow *f;
	unsigned int i;

	TAILQ_FOREACH(f, &ad->flows, next) {
		if (f->rule.action == FBNIC_NTUPLE_ACT_QUEUE && f->rule.queue >= nb_rxq)
			return -EBUSY;
	}
	for (i = 0; i < ad->flow_rss_nb_queues; i++)
		if (ad->flow_rss_queues[i] >= nb_rxq)
			return -EBUSY;
	return 0;
}

static const struct rte_flow_ops fbnic_flow_ops = {
	.validate = fbnic_flow_validate,
	.create = fbnic_flow_create,
	.destroy = fbnic_flow_destroy,
	.flush = fbnic_flow_flush,
	.query = fbnic_flow_query,
};

int
fbnic_flow_ops_get(struct rte_eth_dev *dev, const struct rte_flow_ops **ops)
{
	RTE_SET_USED(dev);
	*ops = &fbnic_flow_ops;
	return 0;
}

int
fbnic_rx_metadata_negotiate(struct rte_eth_dev *dev, uint64_t *features)
{
	RTE_SET_USED(dev);
	*features &= RTE_ETH_RX_METADATA_USER_FLAG | RTE_ETH_RX_METADATA_USER_MARK;
	return 0;
}
