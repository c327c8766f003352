/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

#ifndef _FBNIC_HW_STATS_H_
#define _FBNIC_HW_STATS_H_

#include "fbnic_hw.h"

/*
 * Hardware counters (fbnic_hw.rst 9). The device counters are free running:
 * software keeps the last raw value of each and accumulates deltas, so a
 * reset only moves the baseline. RS-FEC and PCS symbol-error counters are
 * the exception: two 16-bit halves that clear on read, simply added up.
 *
 * Every counter is described by one row of a table (name, register,
 * semantics); the ethdev layer turns the rows into xstats.
 */

enum fbnic_stat_kind {
	FBNIC_STAT_64 = 0,	/* 64-bit, read high/low/high; high word at reg + hi_off */
	FBNIC_STAT_32,		/* 32-bit, wraps; refresh at least every few seconds */
	FBNIC_STAT_COR_16X2,	/* bits 15:0 of reg (low) and reg + 1 (high), clear on read */
	FBNIC_STAT_GAUGE,	/* instantaneous level, not a counter */
};

struct fbnic_stat_desc {
	const char *name;	/* xstat name, e.g. "mac_rx_ok_frames" */
	uint32_t reg;		/* word index (low word); per queue: offset in the page */
	uint8_t hi_off;		/* FBNIC_STAT_64: high word index - low word index */
	uint8_t kind;		/* enum fbnic_stat_kind */
};

struct fbnic_stat_counter {
	uint64_t value;		/* accumulated since the last reset */
	uint64_t last;		/* last raw register value */
};

/* Per-queue counters of the queue pages (RDE, 32-bit). */
enum fbnic_q_stat {
	FBNIC_Q_STAT_RDE_PKT = 0,
	FBNIC_Q_STAT_RDE_PKT_ERR,
	FBNIC_Q_STAT_RDE_CQ_DROP,
	FBNIC_Q_STAT_RDE_BDQ_DROP,
	FBNIC_Q_STAT_NUM,
};

struct fbnic_hw_stats {
	fbnic_osdep_lock_t lock;
	unsigned int nb_dev;			/* = fbnic_hw_stats_count() */
	unsigned int nb_queues;			/* queue pages tracked */
	struct fbnic_stat_counter *dev;		/* nb_dev entries */
	struct fbnic_stat_counter q[FBNIC_MAX_QUEUES][FBNIC_Q_STAT_NUM];
};

/* Aggregates Linux reports in its netdev stats (fbnic_hw.rst 9). */
struct fbnic_hw_stats_basic {
	uint64_t rx_missed;	/* RXB FIFO 4 + 6 drops */
	uint64_t rx_over;	/* sum of queue CQ + BDQ drops */
	uint64_t rx_errors;	/* sum of queue packet errors */
	uint64_t rx_length_errors;	/* longer than RMI_CONFIG.MTU */
	uint64_t tx_dropped;	/* TMI + TTI + TBI drops */
	uint64_t rx_fcs_errors;
	uint64_t mac_rx_frames, mac_rx_bytes, mac_tx_frames, mac_tx_bytes;
};

/* Device counter table. */
unsigned int fbnic_hw_stats_count(void);
const struct fbnic_stat_desc *fbnic_hw_stats_desc(unsigned int i);
/* Per-queue counter table (reg = offset in the queue page). */
const struct fbnic_stat_desc *fbnic_q_stats_desc(unsigned int i);

/*
 * Allocate hw->stats for nb_queues queue pages (<= FBNIC_MAX_QUEUES) and
 * take the baselines, so every counter starts at 0.
 */
int fbnic_hw_stats_init(struct fbnic_hw *hw, unsigned int nb_queues);
void fbnic_hw_stats_fini(struct fbnic_hw *hw);
/* Zero every counter and re-baseline (xstats reset). */
void fbnic_hw_stats_reset(struct fbnic_hw *hw);
/* Refresh every counter. */
void fbnic_hw_stats_update(struct fbnic_hw *hw);
/* Refresh only the 32-bit and clear-on-read counters (1 s service: no missed wrap). */
void fbnic_hw_stats_update32(struct fbnic_hw *hw);
/* Copy up to n device counter values (in table order); returns the count copied. */
unsigned int fbnic_hw_stats_get(struct fbnic_hw *hw, uint64_t *values, unsigned int n);
/* Value of a per-queue counter (last refreshed). */
uint64_t fbnic_hw_stats_queue(struct fbnic_hw *hw, unsigned int q, unsigned int stat);
/* Aggregates for the basic ethdev stats (last refreshed values). */
void fbnic_hw_stats_basic(struct fbnic_hw *hw, struct fbnic_hw_stats_basic *out);

#endif /* _FBNIC_HW_STATS_H_ */
