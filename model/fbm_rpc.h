/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

#ifndef _FBM_RPC_H_
#define _FBM_RPC_H_

/*
 * Device side of the RX parser / classifier (RPC, fbnic_hw.rst 7), plus the
 * small internal interfaces between the classifier, MAC, counter and PTP
 * parts of the model (fbm_rpc.c, fbm_mac.c, fbm_stats.c, fbm_ptp.c).
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct fbm_dev;

/*
 * fbm_rpc_classify() results besides 0 (frame goes to a host queue):
 *   -ENETDOWN  RPC_RMI_CONFIG.ENABLE is clear
 *   -EPERM     the action drops the frame (DROP, or no destination at all)
 *   -EXDEV     the action sends the frame to the BMC / EI only
 *   -EMSGSIZE  longer than RPC_RMI_CONFIG.MTU
 */

/* RPC large RX size bins (the MAC counts the rest); frame_len includes the FCS. */
void fbm_rpc_count_rx_bins(struct fbm_dev *dev, uint32_t frame_len);

/* ---- fbm_stats.c -------------------------------------------------------- */

/* RXB input interfaces, FIFOs and outputs used by the model (fbnic_csr.h). */
void fbm_stats_rxb_enqueue(struct fbm_dev *dev, unsigned int intf, uint32_t len);
void fbm_stats_rxb_dequeue(struct fbm_dev *dev, unsigned int out, uint32_t len);
void fbm_stats_rxb_drop(struct fbm_dev *dev, unsigned int fifo, uint32_t len);
/* The RX buffer starts pausing the link partner; the pause-storm guard fires. */
void fbm_stats_rxb_pause(struct fbm_dev *dev, unsigned int intf, unsigned int fifo);
void fbm_stats_rxb_pause_storm(struct fbm_dev *dev, unsigned int intf);

enum fbm_rxb_err {
	FBM_RXB_ERR_INTEGRITY,
	FBM_RXB_ERR_MAC,
	FBM_RXB_ERR_PARSER,
	FBM_RXB_ERR_FRAME,
};
void fbm_stats_rxb_err(struct fbm_dev *dev, unsigned int intf, enum fbm_rxb_err err);

/* TMI: frames the MAC refused (TX disabled, link down); TX large bins (with FCS). */
void fbm_stats_tmi_drop(struct fbm_dev *dev, uint32_t len);
void fbm_stats_tmi_tx_bins(struct fbm_dev *dev, uint32_t frame_len);

enum fbm_tmi_ptp {
	FBM_TMI_PTP_ILLEGAL,
	FBM_TMI_PTP_GOOD,
	FBM_TMI_PTP_BAD,
};
void fbm_stats_tmi_ptp(struct fbm_dev *dev, enum fbm_tmi_ptp what);

/* TX classifier drops (TTI CM, TTI frame, TBI). */
enum fbm_tce_drop {
	FBM_TCE_DROP_TTI_CM,
	FBM_TCE_DROP_TTI_FRAME,
	FBM_TCE_DROP_TBI,
};
void fbm_stats_tce_drop(struct fbm_dev *dev, enum fbm_tce_drop where, uint32_t len);

/*
 * PCIe outbound TLP accounting: one call per DMA transfer of len bytes
 * (to_host = posted write, else read request + its completion).
 */
void fbm_stats_pcie_dma(struct fbm_dev *dev, bool to_host, size_t len);
/* One outbound completion TLP: the answer to a host BAR read. */
void fbm_stats_pcie_mmio_read(struct fbm_dev *dev);

/* ---- fbm_mac.c ---------------------------------------------------------- */

/* Test hooks: set a free-running MAC_STAT counter, inject FEC events. */
int fbm_mac_stat_preset(struct fbm_dev *dev, uint32_t lo_idx, uint64_t val);
void fbm_mac_fec_inject(struct fbm_dev *dev, uint32_t corrected, uint32_t uncorrectable,
			uint32_t symbol_errors_lane0);

/* ---- helpers shared by the four files ----------------------------------- */

/*
 * Counters change only with dev->lock held (datapath steps and register
 * hooks, fbm_internal.h), so the lock already orders the writers and an
 * increment needs no locked read-modify-write: a relaxed load and store
 * keep every value whole for readers.
 */
static inline void
fbm_cnt_add(uint64_t *c, uint64_t v)
{
	__atomic_store_n(c, __atomic_load_n(c, __ATOMIC_RELAXED) + v, __ATOMIC_RELAXED);
}

static inline uint64_t
fbm_cnt_get(const uint64_t *c)
{
	return __atomic_load_n(c, __ATOMIC_RELAXED);
}

/* Low (half 0) or high (half 1) word of a free-running 64-bit counter. */
static inline uint32_t
fbm_cnt_half(const uint64_t *c, unsigned int half)
{
	uint64_t v = fbm_cnt_get(c);

	return half ? (uint32_t)(v >> 32) : (uint32_t)v;
}

#endif /* _FBM_RPC_H_ */
