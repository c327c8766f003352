/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

#ifndef _FBM_FW_H_
#define _FBM_FW_H_

/*
 * Model firmware: what it reports beyond struct fbm_config, and what tests
 * can observe. All functions take the device lock.
 */

#include <stdbool.h>
#include <stdint.h>

struct fbm_dev;

#define FBM_FW_COMMIT_LEN	19	/* 18 characters + NUL */

/* Identity reported in FW_CAP_RESP (fbnic_hw.rst 6.6). */
struct fbm_fw_info {
	uint32_t stored_version;
	char running_commit[FBM_FW_COMMIT_LEN];
	char stored_commit[FBM_FW_COMMIT_LEN];
	uint32_t cmrt_version;
	uint32_t stored_cmrt_version;
	char cmrt_commit[FBM_FW_COMMIT_LEN];
	char stored_cmrt_commit[FBM_FW_COMMIT_LEN];
	uint32_t uefi_version;
	char uefi_commit[FBM_FW_COMMIT_LEN];
	uint32_t active_slot;
	uint32_t anti_rollback;
	uint8_t bmc_mac_count;			/* 0..4, used with a BMC */
	uint8_t bmc_mac[4][6];
	bool bmc_all_multi;
	uint64_t reply_latency_ns;		/* request seen -> processed */
};

struct fbm_fw_stats {
	uint64_t requests;			/* TX descriptors processed */
	uint64_t replies;			/* messages posted to RX */
	uint64_t fw_err_tx;			/* TX completed with FW_ERR */
	uint64_t fw_err_rx;			/* RX completed with FW_ERR */
	uint64_t malformed;			/* bad descriptor or TLV */
	uint64_t unknown;			/* unknown message IDs */
	uint64_t dma_faults;			/* fbm_dma_map() refused */
	uint64_t ready_signals;			/* alive interrupts raised */
	uint64_t heartbeats;
	uint64_t ownership_takes;
	uint64_t ownership_releases;
	uint64_t mac_syncs;			/* RPC_MAC_SYNC_REQ accepted */
	uint64_t dropped_replies;		/* no room in an RX buffer */
	uint64_t coredumps;			/* coredumps taken */
};

/*
 * The firmware keeps one coredump, taken when the firmware stops (the
 * fw_silent fault) or when the host asks for one with the CREATE flag of
 * COREDUMP_GET_INFO_REQ, and read back with COREDUMP_READ_REQ. Layout, all
 * little endian: struct fbm_fw_coredump_hdr, both mailbox descriptor rings
 * (FBNIC_IPC_MBX_INDICES x FBNIC_IPC_MBX_DESC_LEN x 8 bytes), then the first
 * FBM_FW_COREDUMP_CSR_WORDS 32-bit words of BAR0.
 */
#define FBM_FW_COREDUMP_MAGIC		"FBMCORE1"
#define FBM_FW_COREDUMP_CSR_WORDS	4096u	/* INTR, QM_TX, QM_RX */

enum fbm_fw_coredump_reason {
	FBM_FW_COREDUMP_REQUESTED = 1,		/* host set CREATE */
	FBM_FW_COREDUMP_STOPPED = 2,		/* firmware stopped (fw_silent) */
};

struct fbm_fw_coredump_hdr {
	char magic[8];
	uint32_t size;				/* whole dump, bytes */
	uint32_t reason;			/* enum fbm_fw_coredump_reason */
	uint64_t uptime_ms;			/* when taken */
	uint64_t messages;			/* requests handled until then */
	uint32_t fw_version;
	uint32_t csr_words;
	uint32_t desc_offset;			/* byte offsets in the dump */
	uint32_t csr_offset;
};

struct fbm_fw_observed {
	bool alive;				/* boot delay over */
	bool host_owns;				/* last OWNERSHIP_REQ took it */
	bool logs_enabled;			/* LOG_SEND_LOGS_REQ enable */
	uint32_t mac_sync_flags;		/* last RPC_MAC_SYNC_REQ */
	uint8_t mac_sync_uc;			/* addresses in it */
	uint8_t mac_sync_mc;
	uint64_t uptime_ms;
	uint32_t coredump_size;			/* 0: none held */
	struct fbm_fw_stats stats;
};

void fbm_fw_info_get(struct fbm_dev *dev, struct fbm_fw_info *info);
void fbm_fw_info_set(struct fbm_dev *dev, const struct fbm_fw_info *info);
void fbm_fw_observe(struct fbm_dev *dev, struct fbm_fw_observed *obs);
/* Simulate a firmware reboot: uptime restarts from 0, ownership is lost. */
void fbm_fw_restart(struct fbm_dev *dev);
/*
 * Queue raw bytes for the host as if the firmware sent them: len bytes are
 * written, desc_len is what the RX descriptor claims, fw_err completes the
 * buffer with FW_ERR instead. For tests of the driver's input checks.
 */
int fbm_fw_inject(struct fbm_dev *dev, const void *msg, uint32_t len,
		  uint32_t desc_len, bool fw_err);

#endif /* _FBM_FW_H_ */
