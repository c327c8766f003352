/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

#ifndef _FBM_INTERNAL_H_
#define _FBM_INTERNAL_H_

/*
 * Internal contract between the parts of the fbnic model.
 *
 * One struct fbm_dev is one PCI function. The core (fbm_dev.c, fbm_intr.c,
 * fbm_pci.c, fbm_dma.c, fbm_engine.c, fbm_wire.c, fbm_fault.c, fbm_clock.c)
 * owns BAR dispatch, generic register storage, PCI config space, the INTR
 * block, PUL_USER, DMA translation, polling, wires, faults and the clock.
 * Each other component owns part of the register space and keeps its state
 * behind one pointer in struct fbm_dev:
 *
 *   queue (fbm_queue.c fbm_tx.c fbm_rx.c)  dev->queue  struct fbm_queue_state
 *   fw    (fbm_fw.c)                       dev->fw     struct fbm_fw_state
 *   rpc   (fbm_rpc.c)                      dev->rpc    struct fbm_rpc_state
 *   mac   (fbm_mac.c)                      dev->mac    struct fbm_mac_state
 *   stats (fbm_stats.c)                    dev->stats  struct fbm_stats_state
 *   ptp   (fbm_ptp.c)                      dev->ptp    struct fbm_ptp_state
 *
 * Each component defines its state struct privately, allocates it in its
 * init hook and frees it in its fini hook.
 *
 * Register hooks take the 32-bit WORD index inside the BAR (as in
 * fbnic_csr.h) and return true when they handled the access. Dispatch
 * (fbm_dev.c): the core's own registers first (INTR, INTR_CQ, PUL_USER
 * AW/AR_CFG, MASTER_SPARE_0, PCIe config), then the owners of the range in
 * order, then generic storage (unknown registers read back what was written,
 * 0 after reset):
 *
 *   INTR, INTR_CQ                       core
 *   QM_TX, QM_RX, queue pages           queue
 *   TCE, TCE_RAM                        rpc, stats
 *   TMI                                 stats, queue
 *   PTP                                 ptp
 *   RXB                                 stats, rpc
 *   RPC, RPC_RAM                        rpc, stats
 *   PCS, RSFEC, MAC_MAC, SIG, MAC_STAT  mac, stats
 *   PUL_USER (other than AW/AR_CFG)     stats
 *   BAR4 (all)                          fw
 *
 * Locking. dev->lock (recursive) is held around every hook call: init, fini,
 * reset, read, write, poll, and around the whole datapath step of fbm_poll()
 * (fbm_queue_poll_tx(), wire -> fbm_mac_rx_frame() -> fbm_rpc_classify() ->
 * fbm_rx_frame()). So components never race with each other, with one
 * exception: doorbells. fbm_queue_write() is called WITHOUT dev->lock for
 * the doorbell registers of a queue page (FBNIC_QUEUE_TWQ0_TAIL,
 * FBNIC_QUEUE_TWQ1_TAIL, FBNIC_QUEUE_TCQ_HEAD, FBNIC_QUEUE_RCQ_HEAD,
 * FBNIC_QUEUE_BDQ_HPQ_TAIL, FBNIC_QUEUE_BDQ_PPQ_TAIL; see
 * fbm_is_doorbell()); it must only store the value atomically for the
 * datapath to pick up. fbm_intr_*() and fbm_wire_send() must be called with
 * dev->lock held (every hook and the datapath already are).
 *
 * Time. Every BAR access and every fbm_poll() ticks the components' poll
 * hooks (at most once per microsecond of model time), so a driver that only
 * reads registers still sees firmware and link make progress. Within one
 * fbm_poll() datapath step the clock is read once: every fbm_now_ns() call of
 * that step returns the same value (a step is at most a few microseconds).
 *
 * Additions to the contract of CONTEXT.md (all implemented by the core):
 * - The ptp register hooks are named fbm_ptp_reg_read()/fbm_ptp_reg_write():
 *   fbm_ptp_read() is the cross-call returning the PTP time.
 * - fbm_intr_rearm_get(): latched INTR_CQ_REARM timeouts of a vector.
 * - fbm_dma_enabled(): bus mastering state (PUL_USER AW/AR_CFG BME).
 * - fbm_wire_rx_bad_fcs(): the frame being received has a bad FCS.
 * - fbm_fault_every(): period of the RX_DROP / RX_CORRUPT faults.
 * - fbm_is_doorbell(), fbm_reg4_get()/fbm_reg4_set(), FBM_LOG_* helpers.
 * - The core feeds the PCIe TLP counters of fbm_stats.c (see below).
 */

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fbnic_csr.h"
#include "fbnic_model.h"

/* Geometry. */
#define FBM_BAR0_WORDS		(FBM_BAR0_SIZE / 4)
#define FBM_BAR4_WORDS		(FBM_BAR4_SIZE / 4)
#define FBM_INTR_WORDS		FBNIC_INTR_STATUS_CNT	/* 256 vectors */
#define FBM_INTR_CAUSES		64	/* INTR_MSIX_CTRL(0..63) */

/* Parse result of one received frame, filled by the RPC (fbnic_hw.rst 3.4, 7). */
struct fbm_rx_meta {
	uint16_t queue;		/* destination queue (0..127) */
	uint32_t rss_hash;
	uint8_t l3_type;	/* FBNIC_RCD_META_L3_TYPE_* */
	uint8_t l4_type;	/* FBNIC_RCD_META_L4_TYPE_* */
	bool l4_csum_ok;
	uint16_t l2_csum;
	bool parser_err;
	bool ts_valid;
	uint64_t ts;
	bool act_valid;
	uint8_t act_idx;
	uint8_t dma_hint;	/* FBNIC_RCD_HDR_AL_DMA_HINT_* */
	bool drop;
	bool to_bmc;		/* the action's destination includes the BMC */
};

/* INTR block state (fbm_intr.c, fbnic_hw.rst 1.2, 4.4). */
struct fbm_intr {
	uint32_t status[FBM_INTR_WORDS];
	uint32_t mask[FBM_INTR_WORDS];		/* 1 = masked */
	uint32_t sw_status[FBM_INTR_WORDS];
	uint32_t ac_mode[FBM_INTR_WORDS];	/* 1 = auto-clear on send */
	uint32_t msix_ctrl[FBM_INTR_CAUSES];
	uint32_t rearm[FBNIC_INTR_CQ_REARM_CNT];	/* latched timeouts */
	uint64_t messages;			/* messages sent by the block */
	uint64_t vector_messages[FBM_INTR_WORDS * 32];	/* the same, per vector */
};

/* PCIe function state (fbm_pci.c). */
struct fbm_pci {
	uint8_t cfg[FBM_CFG_SIZE];
	uint32_t bar_lo[6];			/* raw BAR registers as written */
	uint64_t msix_pending[FBM_MSIX_VECTORS / 64];	/* PBA */
	uint32_t aw_cfg;			/* PUL_OB_TLP_HDR_AW_CFG */
	uint32_t ar_cfg;			/* PUL_OB_TLP_HDR_AR_CFG */
	uint64_t msix_delivered;
	uint64_t msix_dropped;			/* vector beyond the table */
};

struct fbm_wire;
struct fbm_queue_state;
struct fbm_fw_state;
struct fbm_rpc_state;
struct fbm_mac_state;
struct fbm_stats_state;
struct fbm_ptp_state;

struct fbm_dev {
	char name[32];
	struct fbm_config cfg;
	struct fbm_host_ops ops;
	pthread_mutex_t lock;		/* recursive, see above */

	uint32_t *regs0;		/* BAR0 generic storage, FBM_BAR0_WORDS */
	uint32_t *regs4;		/* BAR4 generic storage, FBM_BAR4_WORDS */

	struct fbm_intr intr;
	struct fbm_pci pci;

	/* Model clock (fbm_clock.c). During a datapath step fbm_now_ns() returns
	 * poll_now_ns (one clock read per batch); 0 outside a step.
	 */
	_Atomic bool virt_time;
	_Atomic uint64_t virt_now_ns;
	uint64_t last_tick_ns;
	uint64_t poll_now_ns;

	/* Faults (fbm_fault.c): bit (1 << enum fbm_fault). */
	_Atomic uint32_t faults;
	uint32_t fault_every[FBM_FAULT_MAX];
	uint64_t fault_count[FBM_FAULT_MAX];

	/*
	 * Wire (fbm_wire.c); rx_bad_fcs and rx_arrival_ns (the model time the
	 * frame reached the port, 0: now) are valid during fbm_mac_rx_frame().
	 */
	struct fbm_wire *wire;
	bool rx_bad_fcs;
	uint64_t rx_arrival_ns;
	struct fbm_wire_stats wire_stats;

	/* DMA (fbm_dma.c). */
	_Atomic uint64_t dma_errors;
	uint64_t dma_err_logged;

	/* Invalid host accesses, logged once. */
	uint64_t bad_access;

	struct fbm_engine *engine;	/* owning engine, or NULL */

	struct fbm_queue_state *queue;
	struct fbm_fw_state *fw;
	struct fbm_rpc_state *rpc;
	struct fbm_mac_state *mac;
	struct fbm_stats_state *stats;
	struct fbm_ptp_state *ptp;
};

/* ---- Component hooks ---------------------------------------------------- */

#define FBM_DECLARE_HOOKS(c, rd, wr) \
	int fbm_##c##_init(struct fbm_dev *dev); \
	void fbm_##c##_fini(struct fbm_dev *dev); \
	void fbm_##c##_reset(struct fbm_dev *dev); \
	bool rd(struct fbm_dev *dev, unsigned int bar, uint32_t idx, uint32_t *val); \
	bool wr(struct fbm_dev *dev, unsigned int bar, uint32_t idx, uint32_t val); \
	void fbm_##c##_poll(struct fbm_dev *dev, uint64_t now_ns)

FBM_DECLARE_HOOKS(queue, fbm_queue_read, fbm_queue_write);
FBM_DECLARE_HOOKS(fw, fbm_fw_read, fbm_fw_write);
FBM_DECLARE_HOOKS(rpc, fbm_rpc_read, fbm_rpc_write);
FBM_DECLARE_HOOKS(mac, fbm_mac_read, fbm_mac_write);
FBM_DECLARE_HOOKS(stats, fbm_stats_read, fbm_stats_write);
FBM_DECLARE_HOOKS(ptp, fbm_ptp_reg_read, fbm_ptp_reg_write);

/* ---- Cross-component calls ---------------------------------------------- */

/* core */
void *fbm_dma_map(struct fbm_dev *dev, uint64_t iova, size_t len, bool to_host);
bool fbm_dma_enabled(struct fbm_dev *dev, bool to_host);
void fbm_intr_raise(struct fbm_dev *dev, unsigned int vector);
void fbm_intr_cause(struct fbm_dev *dev, unsigned int cause);
uint32_t fbm_intr_rearm_get(struct fbm_dev *dev, unsigned int vector);
void fbm_wire_send(struct fbm_dev *dev, const uint8_t *frame, uint32_t len);
bool fbm_wire_rx_bad_fcs(struct fbm_dev *dev);
uint64_t fbm_now_ns(struct fbm_dev *dev);
void fbm_log(struct fbm_dev *dev, int level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
uint32_t fbm_reg_get(struct fbm_dev *dev, uint32_t idx);
void fbm_reg_set(struct fbm_dev *dev, uint32_t idx, uint32_t val);
uint32_t fbm_reg4_get(struct fbm_dev *dev, uint32_t idx);
void fbm_reg4_set(struct fbm_dev *dev, uint32_t idx, uint32_t val);
bool fbm_fault_active(struct fbm_dev *dev, enum fbm_fault f);
uint32_t fbm_fault_every(struct fbm_dev *dev, enum fbm_fault f);

/* mac */
void fbm_mac_tx_frame(struct fbm_dev *dev, const uint8_t *frame, uint32_t len);
void fbm_mac_rx_frame(struct fbm_dev *dev, const uint8_t *frame, uint32_t len);
bool fbm_mac_link_up(struct fbm_dev *dev);
/* A received XOFF holds transmission: the TX queues are not served. */
bool fbm_mac_tx_paused(struct fbm_dev *dev);
/* RXB writes the MAC's pause logic sees: PAUSE_STORM FORCE_NORMAL. */
void fbm_mac_pause_storm_write(struct fbm_dev *dev, uint32_t val);

/* queue: RX buffer fill of the held frames, in bytes (slots counted as bytes too). */
uint32_t fbm_queue_rx_buffer_fill(struct fbm_dev *dev);

/* rpc: < 0 drop, else meta filled */
int fbm_rpc_classify(struct fbm_dev *dev, const uint8_t *frame, uint32_t len,
		     struct fbm_rx_meta *meta);

/*
 * stats: PCIe user block TLP counters. The core calls these: one
 * fbm_stats_pcie_dma() per successful fbm_dma_map(), one
 * fbm_stats_pcie_mmio_read() per host BAR read.
 */
void fbm_stats_pcie_dma(struct fbm_dev *dev, bool to_host, size_t len);
void fbm_stats_pcie_mmio_read(struct fbm_dev *dev);

/* ptp: current 64-bit ns counter */
uint64_t fbm_ptp_read(struct fbm_dev *dev);
/* ptp: the counter when a frame of len bytes (no FCS) starts on the wire, Rx or Tx */
uint64_t fbm_ptp_stamp(struct fbm_dev *dev, bool tx, uint32_t len);

/*
 * queue: 0 delivered, -ENOBUFS no BD, -ENOSPC RCQ full, -EIO DMA fault,
 * -ENODEV queue disabled.
 */
int fbm_rx_frame(struct fbm_dev *dev, const uint8_t *frame, uint32_t len,
		 const struct fbm_rx_meta *meta);
unsigned int fbm_queue_poll_tx(struct fbm_dev *dev, unsigned int budget);

/* ---- Core internals shared between core files --------------------------- */

void fbm_intr_reset(struct fbm_dev *dev);
bool fbm_intr_read(struct fbm_dev *dev, uint32_t idx, uint32_t *val);
bool fbm_intr_write(struct fbm_dev *dev, uint32_t idx, uint32_t val);

void fbm_pci_init(struct fbm_dev *dev);
void fbm_pci_reset(struct fbm_dev *dev);
bool fbm_pci_mem_enabled(struct fbm_dev *dev);
bool fbm_pul_read(struct fbm_dev *dev, uint32_t idx, uint32_t *val);
bool fbm_pul_write(struct fbm_dev *dev, uint32_t idx, uint32_t val);
void fbm_pci_msix_send(struct fbm_dev *dev, unsigned int vector);

void fbm_wire_init(struct fbm_dev *dev);
void fbm_wire_detach(struct fbm_dev *dev);
unsigned int fbm_wire_rx(struct fbm_dev *dev, unsigned int budget);

void fbm_clock_init(struct fbm_dev *dev);
void fbm_fault_init(struct fbm_dev *dev);
uint64_t fbm_dev_tick(struct fbm_dev *dev);
void fbm_dev_lock(struct fbm_dev *dev);
void fbm_dev_unlock(struct fbm_dev *dev);

/* True for the queue-page registers the host writes as doorbells. */
static inline bool
fbm_is_doorbell(uint32_t idx)
{
	uint32_t off;

	if (idx < FBNIC_QUEUE(0) || idx >= FBNIC_QUEUE(FBNIC_MAX_QUEUES))
		return false;
	off = (idx - FBNIC_QUEUE(0)) % FBNIC_QUEUE_STRIDE;
	return off == FBNIC_QUEUE_TWQ0_TAIL || off == FBNIC_QUEUE_TWQ1_TAIL ||
	       off == FBNIC_QUEUE_TCQ_HEAD || off == FBNIC_QUEUE_RCQ_HEAD ||
	       off == FBNIC_QUEUE_BDQ_HPQ_TAIL || off == FBNIC_QUEUE_BDQ_PPQ_TAIL;
}

/* ---- Frame bytes: network order fields, ones' complement sums (RFC 1071) - */

static inline uint16_t
fbm_get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline void
fbm_put16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v & 0xff;
}

static inline uint32_t
fbm_get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static inline void
fbm_put32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = (v >> 16) & 0xff;
	p[2] = (v >> 8) & 0xff;
	p[3] = v & 0xff;
}

/* Add len bytes to sum as 16-bit words in network order, not folded. */
static inline uint64_t
fbm_sum16(const uint8_t *p, uint32_t len, uint64_t sum)
{
	uint32_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	return sum;
}

static inline uint16_t
fbm_fold(uint64_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

/* Store the complemented sum; zero is sent as 0xffff (valid for TCP, required for UDP). */
static inline void
fbm_put_csum(uint8_t *p, uint64_t sum)
{
	uint16_t c = (uint16_t)~fbm_fold(sum);

	fbm_put16(p, c ? c : 0xffff);
}

#define FBM_ERR(dev, ...)	fbm_log(dev, FBM_LOG_ERR, __VA_ARGS__)
#define FBM_WARN(dev, ...)	fbm_log(dev, FBM_LOG_WARNING, __VA_ARGS__)
#define FBM_INFO(dev, ...)	fbm_log(dev, FBM_LOG_INFO, __VA_ARGS__)
#define FBM_DEBUG(dev, ...)	fbm_log(dev, FBM_LOG_DEBUG, __VA_ARGS__)

#endif /* _FBM_INTERNAL_H_ */
