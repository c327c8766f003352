/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

#ifndef _TEST_RPC_UTIL_H_
#define _TEST_RPC_UTIL_H_

/*
 * Shared helpers of the classifier, MAC, counter and PTP model tests: a
 * device on virtual time, register access by word index, frame builders
 * with real checksums, and TCAM programming in the layout of fbnic_hw.rst 7.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fbm_internal.h"
#include "fbm_rpc.h"
#include "fbnic_tk.h"

static inline struct fbm_dev *
t_dev_create(unsigned int link_mode, unsigned int fec, uint64_t hold_off_ns)
{
	struct fbm_host_ops ops;
	struct fbm_config cfg;
	struct fbm_dev *dev = NULL;

	fbm_config_init(&cfg);
	cfg.virtual_time = true;
	cfg.virtual_start_ns = 1000000000ull;
	cfg.link_mode = link_mode;
	cfg.fec = fec;
	cfg.link_hold_off_ns = hold_off_ns;
	memset(&ops, 0, sizeof(ops));
	if (fbm_create(&cfg, &ops, &dev) != 0 || dev == NULL) {
		fprintf(stderr, "fbm_create failed\n");
		exit(2);
	}
	return dev;
}

static inline void
wr(struct fbm_dev *dev, uint32_t idx, uint32_t val)
{
	fbm_write32(dev, 0, FBNIC_CSR_BYTE(idx), val);
}

static inline uint32_t
rd(struct fbm_dev *dev, uint32_t idx)
{
	return fbm_read32(dev, 0, FBNIC_CSR_BYTE(idx));
}

/* 64-bit counter the way Linux reads it: high, low, high. */
static inline uint64_t
rd64(struct fbm_dev *dev, uint32_t lo_idx, uint32_t hi_off)
{
	uint32_t hi = rd(dev, lo_idx + hi_off), lo = rd(dev, lo_idx);

	if (rd(dev, lo_idx + hi_off) != hi)
		return (uint64_t)rd(dev, lo_idx + hi_off) << 32;
	return ((uint64_t)hi << 32) | lo;
}

/* ---- Frames ------------------------------------------------------------- */

struct t_flow {
	bool v6;
	uint8_t proto;		/* 6 TCP, 17 UDP, other: plain IP payload */
	uint8_t src[16], dst[16];	/* IPv4 in the first 4 bytes */
	uint16_t sport, dport;
	uint32_t flow_label;
};

static inline void
put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline uint32_t
t_sum(uint32_t s, const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i + 1 < n; i += 2)
		s += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (n & 1)
		s += (uint32_t)p[n - 1] << 8;
	return s;
}

static inline uint16_t
t_fold(uint32_t s)
{
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)s;
}

static const uint8_t t_own_mac[6] = { 0x02, 0xfb, 0x4e, 0x00, 0x00, 0x01 };
static const uint8_t t_peer_mac[6] = { 0x02, 0x11, 0x22, 0x33, 0x44, 0x55 };

static inline size_t
t_eth(uint8_t *f, const uint8_t *da, uint16_t type)
{
	memcpy(f, da, 6);
	memcpy(f + 6, t_peer_mac, 6);
	put16(f + 12, type);
	return 14;
}

/*
 * Ethernet + IPv4/IPv6 + TCP/UDP (or raw payload) with valid checksums.
 * Returns the frame length.
 */
static inline size_t
t_build(uint8_t *f, const uint8_t *da, const struct t_flow *fl, size_t payload)
{
	size_t l4len = payload + (fl->proto == 6 ? 20 : fl->proto == 17 ? 8 : 0);
	size_t off = t_eth(f, da, fl->v6 ? 0x86dd : 0x0800);
	uint8_t *ip = f + off, *l4;
	uint32_t s;
	size_t i;

	if (fl->v6) {
		memset(ip, 0, 40);
		ip[0] = 0x60 | (uint8_t)((fl->flow_label >> 16) & 0xf);
		ip[2] = (uint8_t)(fl->flow_label >> 8);
		ip[3] = (uint8_t)fl->flow_label;
		put16(ip + 4, (uint16_t)l4len);
		ip[6] = fl->proto;
		ip[7] = 64;
		memcpy(ip + 8, fl->src, 16);
		memcpy(ip + 24, fl->dst, 16);
		l4 = ip + 40;
	} else {
		memset(ip, 0, 20);
		ip[0] = 0x45;
		put16(ip + 2, (uint16_t)(20 + l4len));
		ip[8] = 64;
		ip[9] = fl->proto;
		memcpy(ip + 12, fl->src, 4);
		memcpy(ip + 16, fl->dst, 4);
		put16(ip + 10, (uint16_t)~t_fold(t_sum(0, ip, 20)));
		l4 = ip + 20;
	}
	memset(l4, 0, l4len);
	for (i = 0; i < payload; i++)
		l4[l4len - payload + i] = (uint8_t)(i * 7 + 3);
	if (fl->proto == 6 || fl->proto == 17) {
		put16(l4, fl->sport);
		put16(l4 + 2, fl->dport);
		if (fl->proto == 6)
			l4[12] = 5 << 4;
		else
			put16(l4 + 4, (uint16_t)l4len);
		s = fl->v6 ? t_sum(t_sum(0, fl->src, 16), fl->dst, 16) :
			     t_sum(t_sum(0, fl->src, 4), fl->dst, 4);
		s += fl->proto + (uint32_t)l4len;
		s = t_sum(s, l4, l4len);
		put16(l4 + (fl->proto == 6 ? 16 : 6), (uint16_t)~t_fold(s));
		if (fl->proto == 17 && l4[6] == 0 && l4[7] == 0)
			put16(l4 + 6, 0xffff);
	}
	return (size_t)(l4 - f) + l4len;
}

/* ---- TCAM programming (word-major layout, mask 1 = don't care) --------- */

static inline void
t_macda_set(struct fbm_dev *dev, unsigned int e, const uint8_t *addr, const uint8_t *dc)
{
	unsigned int w;

	for (w = 0; w < 3; w++) {
		unsigned int b = 4 - 2 * w;
		uint32_t v = (uint32_t)(addr[b] << 8 | addr[b + 1]);
		uint32_t m = (uint32_t)(dc[b] << 8 | dc[b + 1]);

		wr(dev, FBNIC_RPC_TCAM_MACDA(e, w), m << 16 | v);
	}
	wr(dev, FBNIC_RPC_TCAM_MACDA(e, 3), FBNIC_RPC_TCAM_VALIDATE);
}

static inline void
t_macda_clear(struct fbm_dev *dev, unsigned int e)
{
	unsigned int w;

	for (w = 0; w <= 3; w++)
		wr(dev, FBNIC_RPC_TCAM_MACDA(e, w), 0);
}

/* An action entry; words absent from value/dc are don't care. */
static inline void
t_act_set(struct fbm_dev *dev, unsigned int e, const uint16_t *value, const uint16_t *dc,
	  uint32_t tbl0, uint32_t tbl1)
{
	unsigned int w;

	wr(dev, FBNIC_RPC_ACT_TBL0(e), tbl0);
	wr(dev, FBNIC_RPC_ACT_TBL1(e), tbl1);
	for (w = 0; w < 11; w++)
		wr(dev, FBNIC_RPC_TCAM_ACT(e, w), (uint32_t)dc[w] << 16 | value[w]);
	wr(dev, FBNIC_RPC_TCAM_ACT(e, 11), FBNIC_RPC_TCAM_VALIDATE);
}

static inline void
t_act_clear(struct fbm_dev *dev, unsigned int e)
{
	unsigned int w;

	for (w = 0; w <= 11; w++)
		wr(dev, FBNIC_RPC_TCAM_ACT(e, w), 0);
}

#define ACT1_MACDA_IDX(i)	((uint16_t)((i) << 5))
#define ACT1_MACDA_VALID	(1u << 10)
#define ACT1_IP_IS_V6		(1u << 11)
#define ACT1_IP_VALID		(1u << 12)
#define ACT1_OUTER_IP_VALID	(1u << 13)
#define ACT1_L4_IS_UDP		(1u << 14)
#define ACT1_L4_VALID		(1u << 15)

#define DEST_HOST	((uint32_t)FBNIC_FIELD_PREP(FBNIC_RPC_ACT_TBL0_DEST_MASK, \
						    FBNIC_RPC_ACT_TBL0_DEST_HOST))
#define HINT_L4		((uint32_t)FBNIC_FIELD_PREP(FBNIC_RPC_ACT_TBL0_DMA_HINT, 4))

/* Linux's default RSS field masks per flow type (fbnic_hw.rst 7.5). */
#define RSS_L4		0xf
#define RSS_L3		0x3
#define RSS_L2		0x10

/*
 * The seven host RSS rules Linux writes at 57..63 without a BMC: any MAC-DA
 * hit, UDP6, UDP4, TCP6, TCP4, IPv6, IPv4, other; value bits must match,
 * every other bit is don't care. extra0 is ORed into every TBL0.
 */
static inline void
t_linux_rss_rules(struct fbm_dev *dev, uint32_t extra0)
{
	static const uint16_t flow[7] = {
		ACT1_L4_VALID | ACT1_L4_IS_UDP | ACT1_IP_VALID | ACT1_IP_IS_V6,
		ACT1_L4_VALID | ACT1_L4_IS_UDP | ACT1_IP_VALID,
		ACT1_L4_VALID | ACT1_IP_VALID | ACT1_IP_IS_V6,
		ACT1_L4_VALID | ACT1_IP_VALID,
		ACT1_IP_VALID | ACT1_IP_IS_V6,
		ACT1_IP_VALID,
		0,
	};
	static const uint32_t rss[7] = { RSS_L3, RSS_L3, RSS_L4, RSS_L4, RSS_L3, RSS_L3, RSS_L2 };
	unsigned int i, w;

	for (i = 0; i < 7; i++) {
		uint16_t value[11] = { 0 }, dc[11];

		for (w = 0; w < 11; w++)
			dc[w] = 0xffff;
		value[1] = (uint16_t)(flow[i] | ACT1_MACDA_VALID);
		dc[1] = (uint16_t)~value[1];
		t_act_set(dev, 57 + i, value, dc, DEST_HOST | HINT_L4 | extra0, rss[i]);
	}
}

/* RMI on, default action drop, the way Linux enables the classifier. */
static inline void
t_rpc_enable(struct fbm_dev *dev)
{
	wr(dev, FBNIC_RPC_ACT_TBL0_DEFAULT, FBNIC_RPC_ACT_TBL0_DROP);
	wr(dev, FBNIC_RPC_ACT_TBL1_DEFAULT, 0);
	wr(dev, FBNIC_RPC_RMI_CONFIG,
	   (uint32_t)FBNIC_FIELD_PREP(FBNIC_RPC_RMI_CONFIG_MTU, 9742) |
	   (uint32_t)FBNIC_FIELD_PREP(FBNIC_RPC_RMI_CONFIG_OH_BYTES, 20) |
	   FBNIC_RPC_RMI_CONFIG_ENABLE);
}

/* Deterministic pseudo random numbers. */
static inline uint32_t
t_rand(uint64_t *s)
{
	*s = *s * 6364136223846793005ull + 1442695040888963407ull;
	return (uint32_t)(*s >> 33);
}

#endif /* _TEST_RPC_UTIL_H_ */
