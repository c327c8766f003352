/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

#ifndef _TEST_RPC_UTIL_H_
#define _TEST_RPC_UTIL_H_

/*
 * Shared helpers of the classifier, MAC, counter and PTP model tests: a
 * device on virtual time, register access by word index, the addresses of
 * their frames (built by the kit's tk_frame_build()), and TCAM programming
 * in the layout of fbnic_hw.rst 7.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fbm_internal.h"
#include "fbm_rpc.h"
#include "fbnic_tk.h"
#include "fbnic_tk_frame.h"

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

static const uint8_t t_own_mac[6] = { 0x02, 0xfb, 0x4e, 0x00, 0x00, 0x01 };
static const uint8_t t_peer_mac[6] = { 0x02, 0x11, 0x22, 0x33, 0x44, 0x55 };

/*
 * A zeroed flow (IPv4, no L4, addresses and ports 0) from the peer to the
 * device's own MAC, for tk_frame_build().
 */
static inline void
t_flow_init(struct tk_frame *fl)
{
	memset(fl, 0, sizeof(*fl));
	memcpy(fl->dst_mac, t_own_mac, 6);
	memcpy(fl->src_mac, t_peer_mac, 6);
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
