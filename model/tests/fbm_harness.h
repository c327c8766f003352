/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

#ifndef _FBM_HARNESS_H_
#define _FBM_HARNESS_H_

/*
 * Test harness for model-only tests: plays the driver through registers and
 * descriptors, the way Linux does (fbnic_hw.rst 4.2, 6.3). "Host memory" is
 * one malloc'd arena with an identity-like, bounds-checked IOVA translation
 * (IOVA = FBH_IOVA_BASE + offset in the arena). By default the device runs
 * on virtual time: nothing happens unless the test polls or advances time.
 *
 * Functions return 0 / a count, or a negative errno; none of them aborts.
 */

#include <errno.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "fbnic_csr.h"
#include "fbnic_model.h"
#include "fbnic_tk.h"
#include "fbnic_tk_frame.h"

#define FBH_IOVA_BASE		0x10000000000ULL	/* 1 TiB: catches IOVA 0 */
#define FBH_MEM_DEFAULT		(64u << 20)
#define FBH_PAGE		4096u
#define FBH_MBX_DESCS		FBNIC_IPC_MBX_DESC_LEN
#define FBH_POLL_BUDGET		256u

/* ---- Device and host memory --------------------------------------------- */

struct fbh_ring {
	void *va;
	uint64_t iova;
	uint32_t entries;	/* power of two */
};

struct fbh {
	struct fbm_dev *dev;
	struct fbm_config cfg;
	uint8_t *mem;
	size_t mem_size;
	size_t mem_used;
	_Atomic uint64_t msix[FBM_MSIX_VECTORS];	/* messages per vector */
	_Atomic unsigned int log_errors;		/* model ERR lines seen */
	bool quiet;					/* do not print model logs */

	/* Firmware mailbox, host side (fbnic_hw.rst 6.1, 6.2). */
	struct {
		void *buf[FBH_MBX_DESCS];
		uint64_t iova[FBH_MBX_DESCS];
		uint8_t head;
		uint8_t tail;
	} mbx[2];
	uint64_t mbx_tx_errors;		/* TX completions with FW_ERR */
	uint64_t mbx_rx_errors;		/* RX completions with FW_ERR */
};

/* Defaults for tests: fbm_config_init() + virtual time. */
void fbh_config_default(struct fbm_config *cfg);
/* cfg NULL: fbh_config_default(); mem_size 0: FBH_MEM_DEFAULT. */
int fbh_init(struct fbh *h, const struct fbm_config *cfg, size_t mem_size);
void fbh_fini(struct fbh *h);

/* Zeroed host memory, align a power of two (0: 128). NULL when exhausted. */
void *fbh_alloc(struct fbh *h, size_t len, size_t align, uint64_t *iova);
/* Host view of [iova, iova + len); NULL if outside the arena. */
void *fbh_va(struct fbh *h, uint64_t iova, size_t len);

/* Register access by WORD index (fbnic_csr.h). */
uint32_t fbh_rd(struct fbh *h, uint32_t idx);
void fbh_wr(struct fbh *h, uint32_t idx, uint32_t val);
uint32_t fbh_rd4(struct fbh *h, uint32_t idx);
void fbh_wr4(struct fbh *h, uint32_t idx, uint32_t val);
void fbh_flush(struct fbh *h);		/* read MASTER_SPARE_0 */

/* Run the device: one fbm_poll(); or advance virtual time then poll. */
unsigned int fbh_poll(struct fbh *h);
void fbh_advance(struct fbh *h, uint64_t ns);
uint64_t fbh_msix_count(struct fbh *h, unsigned int vector);

/* ---- Firmware mailbox (fbnic_hw.rst 6.3) ---------------------------------- */

void fbh_mbx_reset_ring(struct fbh *h, unsigned int mbx);
/* Steps 1-2: ring resets, then wait (20 ms steps, 10 s) for the alive bit. */
int fbh_mbx_wait_ready(struct fbh *h);
/* Step 3: DMA enables (AW_CFG, AR_CFG BME) and 15 RX buffers. */
int fbh_mbx_enable(struct fbh *h);
/* Post one TLV message (length multiple of 4, <= 4096) on the TX ring. */
int fbh_mbx_send(struct fbh *h, const void *msg, size_t len);
/* Reap completed TX descriptors; returns how many. */
int fbh_mbx_reap_tx(struct fbh *h);
/* Next firmware message into buf: its length, -EAGAIN if none, -EIO bad. */
int fbh_mbx_recv(struct fbh *h, void *buf, size_t cap);
/*
 * Send req and wait (20 ms steps) up to timeout_ns for a message with ID
 * resp_id; other messages are discarded. Returns the response length.
 */
int fbh_mbx_request(struct fbh *h, const void *req, size_t req_len, uint16_t resp_id,
		    void *resp, size_t cap, uint64_t timeout_ns);
/* Full Linux bring-up: steps 1-5 incl. HOST_CAP_REQ -> FW_CAP_RESP. */
int fbh_mbx_bringup(struct fbh *h);

/* ---- Port ---------------------------------------------------------------- */

/* MAC TX/RX enable; then poll up to max_ns of virtual time for link up. */
int fbh_port_up(struct fbh *h, uint64_t max_ns);
/* RPC: every frame to queue qid (no RSS), RMI enabled (fbnic_hw.rst 5.3). */
void fbh_rpc_default_queue(struct fbh *h, unsigned int qid);

/* ---- TX queue (fbnic_hw.rst 3.1, 3.2, 4.2) ---------------------------------- */

#define FBH_TX_BUF		10240u	/* per frame slot, >= FBM_MAX_FRAME */

struct fbh_txq {
	unsigned int qid;
	unsigned int vector;
	struct fbh_ring twq;
	struct fbh_ring tcq;
	uint32_t tail;			/* next TWQ descriptor to write */
	uint32_t head;			/* NIC's head from the last TCD */
	uint32_t tcq_head;		/* free running */
	uint8_t *last;			/* per TWQ entry: 1 = last of a frame */
	uint8_t *bufs;			/* frame buffers, one per TWQ entry pair */
	uint64_t bufs_iova;
	uint64_t done_frames;
	uint64_t ts_records;		/* type-1 TCDs seen */
	uint64_t last_ts;
};

int fbh_txq_enable(struct fbh *h, struct fbh_txq *q, unsigned int qid,
		   unsigned int log2_entries, unsigned int vector);
void fbh_txq_disable(struct fbh *h, struct fbh_txq *q);
/* Free TWQ descriptors. */
uint32_t fbh_tx_space(const struct fbh_txq *q);
/*
 * Queue one frame as META + LAST_AL; meta_extra is OR'ed into META (offload
 * fields, REQ_TS ...). DEST_MAC and REQ_COMPLETION are always set.
 * No doorbell: call fbh_tx_doorbell() (fbh_tx_send() does both).
 */
int fbh_tx_post(struct fbh *h, struct fbh_txq *q, const void *frame, uint32_t len,
		uint64_t meta_extra);
/* Same, for a frame already in host memory at iova (no copy). */
int fbh_tx_post_iova(struct fbh *h, struct fbh_txq *q, uint64_t iova, uint32_t len,
		     uint64_t meta_extra);
void fbh_tx_doorbell(struct fbh *h, struct fbh_txq *q);
int fbh_tx_send(struct fbh *h, struct fbh_txq *q, const void *frame, uint32_t len,
		uint64_t meta_extra);
/* Process new TCDs and write TCQ_HEAD; returns frames completed. */
int fbh_tx_reap(struct fbh *h, struct fbh_txq *q);

/* ---- RX queue (fbnic_hw.rst 2, 3.3, 3.4, 4.2, 4.3) ------------------------- */

struct fbh_rxq_conf {
	unsigned int log2_hpq;		/* default 8 */
	unsigned int log2_ppq;		/* default 8; 0 = no PPQ */
	unsigned int log2_rcq;		/* default 10 */
	unsigned int vector;		/* default 2 */
	unsigned int max_hdr;		/* RDE_CTL1 MAX_HDR, default 1536 */
	unsigned int hroom;		/* RDE_CTL0 MIN_HROOM, default 0 */
	unsigned int troom;		/* RDE_CTL0 MIN_TROOM, default 0 */
	unsigned int drop_mode;		/* FBNIC_QUEUE_RDE_CTL0_DROP_*, default NEVER */
	bool hdr_split;			/* RDE_CTL0 EN_HDR_SPLIT */
};

struct fbh_rx_info {
	uint32_t len;			/* frame bytes copied */
	uint32_t hdr_len;		/* bytes from the HDR_AL buffer */
	unsigned int ncd;		/* completion descriptors of the frame */
	unsigned int npay;		/* PAY_AL descriptors */
	uint64_t meta;			/* raw META descriptor */
	uint64_t opt_meta;		/* raw OPT_META (0 if none) */
	uint64_t hdr_al;		/* raw HDR_AL */
	uint32_t rss_hash;
	uint8_t l3_type;
	uint8_t l4_type;
	bool l4_csum_ok;
	uint16_t l2_csum;
	bool err_mac_eop;
	bool err_truncated;
	bool err_parser;
	bool ts_valid;
	uint64_t ts;
	bool act_valid;
	uint8_t act_idx;
};

struct fbh_bdq {
	struct fbh_ring ring;
	uint8_t *pages;			/* one 4 KiB page per entry, BD ID = index */
	uint64_t pages_iova;
	uint32_t tail;			/* free running, posted */
	uint32_t head;			/* free running, finished by the NIC */
};

struct fbh_rxq {
	unsigned int qid;
	struct fbh_rxq_conf conf;
	struct fbh_bdq hpq;
	struct fbh_bdq ppq;
	struct fbh_ring rcq;
	uint32_t rcq_head;		/* free running */
	uint64_t frames;
};

void fbh_rxq_conf_default(struct fbh_rxq_conf *conf);
/* conf NULL: defaults. Posts all buffers. */
int fbh_rxq_enable(struct fbh *h, struct fbh_rxq *q, unsigned int qid,
		   const struct fbh_rxq_conf *conf);
void fbh_rxq_disable(struct fbh *h, struct fbh_rxq *q);
/* Refill HPQ and PPQ with every finished buffer (all but one slot). */
void fbh_rx_refill(struct fbh *h, struct fbh_rxq *q);
/*
 * Next complete frame into buf (truncated to cap; info->len is the full
 * length). Returns the frame length, -EAGAIN if none is complete, -EIO on a
 * malformed completion sequence. Consumes RCDs, writes RCQ_HEAD, refills.
 */
int fbh_rx_recv(struct fbh *h, struct fbh_rxq *q, void *buf, size_t cap,
		struct fbh_rx_info *info);

/*
 * Consume up to max complete frames without copying them (benchmarks):
 * one RCQ_HEAD write and one refill for the batch. Returns frames, adds their
 * bytes to *bytes (may be NULL), -EIO on a malformed completion sequence.
 */
int fbh_rx_drain(struct fbh *h, struct fbh_rxq *q, unsigned int max, uint64_t *bytes);

/* ---- Whole port ----------------------------------------------------------- */

/*
 * Mailbox bring-up, link up, TX queue qid (2^10 entries, vector 2), RX queue
 * qid (default conf), RPC default action to qid. The wire is the caller's.
 */
int fbh_port_open(struct fbh *h, struct fbh_txq *txq, struct fbh_rxq *rxq, unsigned int qid);
/* Poll (and, on virtual time, advance 1 us) until a frame arrives or max_polls. */
int fbh_rx_wait(struct fbh *h, struct fbh_rxq *q, void *buf, size_t cap,
		struct fbh_rx_info *info, unsigned int max_polls);

/* ---- Addresses ------------------------------------------------------------ */

/* Frames come from the test kit (fbnic_tk_frame.h: tk_frame_udp4() and others). */
/* MAC address the driver derives from the DSN (fbnic_hw.rst 1). */
void fbh_dsn_to_mac(uint64_t dsn, uint8_t mac[6]);

#endif /* _FBM_HARNESS_H_ */
