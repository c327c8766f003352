/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

#ifndef _FBNIC_FW_H_
#define _FBNIC_FW_H_

/*
 * Firmware mailbox (fbnic_hw.rst 6): message and attribute IDs, shared with
 * the device model, and the driver's mailbox API. This header is plain C
 * (no DPDK, no osdep) so that the model can include it.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fbnic_csr.h"

struct fbnic_hw;
struct fbnic_fw_cmpl;

/* Version code: 31:24 major, 23:16 minor, 15:8 patch, 7:0 build. */
#define FBNIC_FW_VER_MAJOR_MASK		FBNIC_CSR_GENMASK(31, 24)
#define FBNIC_FW_VER_MINOR_MASK		FBNIC_CSR_GENMASK(23, 16)
#define FBNIC_FW_VER_PATCH_MASK		FBNIC_CSR_GENMASK(15, 8)
#define FBNIC_FW_VER_BUILD_MASK		FBNIC_CSR_GENMASK(7, 0)
#define FBNIC_FW_VER_CODE(major, minor, patch, build) \
	((uint32_t)(((major) & 0xffu) << 24 | ((minor) & 0xffu) << 16 | \
		    ((patch) & 0xffu) << 8 | ((build) & 0xffu)))
/* Oldest firmware the driver works with; logs need 0.12.9.0. */
#define FBNIC_FW_MIN_VER_CODE		FBNIC_FW_VER_CODE(0, 10, 6, 0)
#define FBNIC_FW_MIN_VER_CODE_LOG	FBNIC_FW_VER_CODE(0, 12, 9, 0)

/* Message IDs (fbnic_hw.rst 6.5). */
enum fbnic_tlv_msg_id {
	FBNIC_TLV_MSG_ID_TEST				= 0x00,
	FBNIC_TLV_MSG_ID_HOST_CAP_REQ			= 0x10,
	FBNIC_TLV_MSG_ID_FW_CAP_RESP			= 0x11,
	FBNIC_TLV_MSG_ID_OWNERSHIP_REQ			= 0x12,
	FBNIC_TLV_MSG_ID_OWNERSHIP_RESP			= 0x13,
	FBNIC_TLV_MSG_ID_HEARTBEAT_REQ			= 0x14,
	FBNIC_TLV_MSG_ID_HEARTBEAT_RESP			= 0x15,
	FBNIC_TLV_MSG_ID_COREDUMP_GET_INFO_REQ		= 0x18,
	FBNIC_TLV_MSG_ID_COREDUMP_GET_INFO_RESP		= 0x19,
	FBNIC_TLV_MSG_ID_COREDUMP_READ_REQ		= 0x20,
	FBNIC_TLV_MSG_ID_COREDUMP_READ_RESP		= 0x21,
	FBNIC_TLV_MSG_ID_FW_START_UPGRADE_REQ		= 0x22,
	FBNIC_TLV_MSG_ID_FW_START_UPGRADE_RESP		= 0x23,
	FBNIC_TLV_MSG_ID_FW_WRITE_CHUNK_REQ		= 0x24,
	FBNIC_TLV_MSG_ID_FW_WRITE_CHUNK_RESP		= 0x25,
	FBNIC_TLV_MSG_ID_FW_FINISH_UPGRADE_REQ		= 0x28,
	FBNIC_TLV_MSG_ID_FW_FINISH_UPGRADE_RESP		= 0x29,
	FBNIC_TLV_MSG_ID_QSFP_READ_REQ			= 0x38,
	FBNIC_TLV_MSG_ID_QSFP_READ_RESP			= 0x39,
	FBNIC_TLV_MSG_ID_TSENE_READ_REQ			= 0x3C,
	FBNIC_TLV_MSG_ID_TSENE_READ_RESP		= 0x3D,
	FBNIC_TLV_MSG_ID_LOG_SEND_LOGS_REQ		= 0x43,
	FBNIC_TLV_MSG_ID_LOG_MSG_REQ			= 0x44,
	FBNIC_TLV_MSG_ID_LOG_MSG_RESP			= 0x45,
	FBNIC_TLV_MSG_ID_RPC_MAC_SYNC_REQ		= 0x46,
};

/* FW_CAP_RESP attributes (fbnic_hw.rst 6.6). */
enum {
	FBNIC_FW_CAP_RESP_VERSION			= 0x0,
	FBNIC_FW_CAP_RESP_BMC_PRESENT			= 0x1,
	FBNIC_FW_CAP_RESP_BMC_MAC_ADDR			= 0x2,
	FBNIC_FW_CAP_RESP_BMC_MAC_ARRAY			= 0x3,
	FBNIC_FW_CAP_RESP_STORED_VERSION		= 0x4,
	FBNIC_FW_CAP_RESP_ACTIVE_FW_SLOT		= 0x5,
	FBNIC_FW_CAP_RESP_VERSION_COMMIT_STR		= 0x6,
	FBNIC_FW_CAP_RESP_BMC_ALL_MULTI			= 0x8,
	FBNIC_FW_CAP_RESP_FW_STATE			= 0x9,
	FBNIC_FW_CAP_RESP_FW_LINK_SPEED			= 0xa,
	FBNIC_FW_CAP_RESP_FW_LINK_FEC			= 0xb,
	FBNIC_FW_CAP_RESP_STORED_COMMIT_STR		= 0xc,
	FBNIC_FW_CAP_RESP_CMRT_VERSION			= 0xd,
	FBNIC_FW_CAP_RESP_STORED_CMRT_VERSION		= 0xe,
	FBNIC_FW_CAP_RESP_CMRT_COMMIT_STR		= 0xf,
	FBNIC_FW_CAP_RESP_STORED_CMRT_COMMIT_STR	= 0x10,
	FBNIC_FW_CAP_RESP_UEFI_VERSION			= 0x11,
	FBNIC_FW_CAP_RESP_UEFI_COMMIT_STR		= 0x12,
	FBNIC_FW_CAP_RESP_ANTI_ROLLBACK_VERSION		= 0x15,
	FBNIC_FW_CAP_RESP_MSG_MAX
};

/* Commit strings carry at most 18 characters plus the NUL. */
#define FBNIC_FW_COMMIT_STR_LEN		19
#define FBNIC_FW_BMC_MAC_MAX		4

enum {
	FBNIC_FW_OWNERSHIP_FLAG				= 0x0,
	FBNIC_FW_OWNERSHIP_TIME				= 0x1,
	FBNIC_FW_OWNERSHIP_MSG_MAX
};

enum {
	FBNIC_FW_HEARTBEAT_UPTIME			= 0x0,
	FBNIC_FW_HEARTBEAT_NUMBER_OF_MESSAGES		= 0x1,
	FBNIC_FW_HEARTBEAT_MSG_MAX
};

enum {
	FBNIC_FW_COREDUMP_REQ_INFO_CREATE		= 0x0,
	FBNIC_FW_COREDUMP_REQ_INFO_MSG_MAX
};

enum {
	FBNIC_FW_COREDUMP_INFO_AVAILABLE		= 0x0,
	FBNIC_FW_COREDUMP_INFO_SIZE			= 0x1,
	FBNIC_FW_COREDUMP_INFO_ERROR			= 0x2,
	FBNIC_FW_COREDUMP_INFO_MSG_MAX
};

enum {
	FBNIC_FW_COREDUMP_READ_OFFSET			= 0x0,
	FBNIC_FW_COREDUMP_READ_LENGTH			= 0x1,
	FBNIC_FW_COREDUMP_READ_DATA			= 0x2,
	FBNIC_FW_COREDUMP_READ_ERROR			= 0x3,
	FBNIC_FW_COREDUMP_READ_MSG_MAX
};

enum {
	FBNIC_FW_START_UPGRADE_ERROR			= 0x0,
	FBNIC_FW_START_UPGRADE_SECTION			= 0x1,
	FBNIC_FW_START_UPGRADE_IMAGE_LENGTH		= 0x2,
	FBNIC_FW_START_UPGRADE_MSG_MAX
};

enum {
	FBNIC_FW_WRITE_CHUNK_OFFSET			= 0x0,
	FBNIC_FW_WRITE_CHUNK_LENGTH			= 0x1,
	FBNIC_FW_WRITE_CHUNK_DATA			= 0x2,
	FBNIC_FW_WRITE_CHUNK_ERROR			= 0x3,
	FBNIC_FW_WRITE_CHUNK_MSG_MAX
};

enum {
	FBNIC_FW_QSFP_BANK				= 0x0,
	FBNIC_FW_QSFP_PAGE				= 0x1,
	FBNIC_FW_QSFP_OFFSET				= 0x2,
	FBNIC_FW_QSFP_LENGTH				= 0x3,
	FBNIC_FW_QSFP_ERROR				= 0x4,
	FBNIC_FW_QSFP_DATA				= 0x5,
	FBNIC_FW_QSFP_MSG_MAX
};

enum {
	FBNIC_FW_TSENE_THERM				= 0x0,
	FBNIC_FW_TSENE_VOLT				= 0x1,
	FBNIC_FW_TSENE_ERROR				= 0x2,
	FBNIC_FW_TSENE_MSG_MAX
};

enum {
	FBNIC_SEND_LOGS					= 0x0,
	FBNIC_SEND_LOGS_VERSION				= 0x1,
	FBNIC_SEND_LOGS_HISTORY				= 0x2,
	FBNIC_SEND_LOGS_MSG_MAX
};

enum {
	FBNIC_FW_RPC_MAC_SYNC_RX_FLAGS			= 0x0,
	FBNIC_FW_RPC_MAC_SYNC_UC_ARRAY			= 0x1,
	FBNIC_FW_RPC_MAC_SYNC_MC_ARRAY			= 0x2,
	FBNIC_FW_RPC_MAC_SYNC_MAC_ADDR			= 0x3,
	FBNIC_FW_RPC_MAC_SYNC_MSG_MAX
};

enum {
	FBNIC_FW_LOG_MSEC				= 0x0,
	FBNIC_FW_LOG_INDEX				= 0x1,
	FBNIC_FW_LOG_MSG				= 0x2,
	FBNIC_FW_LOG_LENGTH				= 0x3,
	FBNIC_FW_LOG_MSEC_ARRAY				= 0x4,
	FBNIC_FW_LOG_INDEX_ARRAY			= 0x5,
	FBNIC_FW_LOG_MSG_ARRAY				= 0x6,
	FBNIC_FW_LOG_MSG_MAX
};

#define FBNIC_FW_LOG_VERSION				1u
#define FBNIC_FW_LOG_MAX_LEN				256u

#define FBNIC_FW_RPC_MAC_SYNC_RX_FLAGS_PROMISC		1u
#define FBNIC_FW_RPC_MAC_SYNC_RX_FLAGS_ALLMULTI		2u
#define FBNIC_FW_RPC_MAC_SYNC_RX_FLAGS_BROADCAST	4u
#define FBNIC_FW_RPC_MAC_SYNC_ARRAY_SIZE		8

/* ---- Driver side -------------------------------------------------------- */

/*
 * All calls for one struct fbnic_hw must be serialized by the caller (one
 * lock around the mailbox); waits sleep, so not from a data path thread.
 */

/* Size of every mailbox buffer; also the largest message (fbnic_hw.rst 6.4). */
#define FBNIC_FW_MBX_BUF_SIZE		4096u
/* Poll period and default budget of the waits (fbnic_hw.rst 6.3, 6.7). */
#define FBNIC_FW_POLL_PERIOD_MS		20u
#define FBNIC_FW_TIMEOUT_MS		10000u
/* How often the caller should run fbnic_fw_heartbeat_check(). */
#define FBNIC_FW_HEARTBEAT_PERIOD_MS	10000u
/* "major.minor.patch.build": 4 x 3 digits + 3 dots + NUL */
#define FBNIC_FW_VER_STR_LEN		16

struct fbnic_fw_ver {
	uint32_t version;
	char commit[FBNIC_FW_COMMIT_STR_LEN];
};

/* What FW_CAP_RESP told us (fbnic_hw.rst 6.6). */
struct fbnic_fw_caps {
	struct fbnic_fw_ver running;		/* management firmware */
	struct fbnic_fw_ver stored;
	struct fbnic_fw_ver running_cmrt;	/* bootloader */
	struct fbnic_fw_ver stored_cmrt;
	struct fbnic_fw_ver stored_uefi;
	uint32_t active_slot;
	uint32_t link_mode;			/* FBNIC_FW_LINK_MODE_* */
	uint32_t link_fec;			/* FBNIC_FW_LINK_FEC_* */
	uint32_t anti_rollback;
	bool bmc_present;
	bool bmc_all_multi;
	uint8_t bmc_mac_count;
	uint8_t bmc_mac[FBNIC_FW_BMC_MAC_MAX][6];
};

/*
 * One ring. Every slot owns a fixed DMA buffer of FBNIC_FW_MBX_BUF_SIZE
 * bytes; head..tail are the slots handed to the firmware.
 */
struct fbnic_fw_ring {
	uint8_t head;				/* next descriptor to complete */
	uint8_t tail;				/* next descriptor to post */
	bool ready;
	uint64_t fw_err;			/* completions with FW_ERR */
	uint8_t *buf_va[FBNIC_IPC_MBX_DESC_LEN];
	uint64_t buf_iova[FBNIC_IPC_MBX_DESC_LEN];
};

struct fbnic_fw_mbx {
	struct fbnic_fw_ring ring[FBNIC_IPC_MBX_INDICES];
	void *dma_va;				/* all ring buffers */
	void *dma_handle;			/* their fbnic_osdep_dma_zalloc() handle */
	struct fbnic_fw_caps caps;
	bool caps_valid;
	bool caps_too_old;			/* firmware below the minimum */
	bool relaxed_ordering;			/* TLP attribute RO for DMA */
	struct fbnic_fw_cmpl *cmpl;		/* the one reply waited for */

	/*
	 * Bounds of the waits: FBNIC_FW_POLL_PERIOD_MS and FBNIC_FW_TIMEOUT_MS
	 * when fbnic_fw_init() allocates this state; a caller that allocates
	 * hw->mbx beforehand (a test) sets its own.
	 */
	uint32_t poll_period_ms;
	uint32_t timeout_ms;

	/* Ownership and heartbeat (fbnic_hw.rst 6.7). */
	bool ownership_replied;			/* OWNERSHIP_RESP since request */
	bool heartbeat_enabled;			/* we own the device */
	bool heartbeat_replied;			/* reply since last request */
	bool fw_crashed;			/* heartbeat lost */
	uint64_t fw_uptime_ms;			/* last uptime reported */
	uint64_t fw_uptime_prev_ms;		/* at the previous request */
	uint64_t last_request_ms;

	/* Counters. */
	uint64_t rx_msgs;			/* messages parsed */
	uint64_t rx_bad;			/* malformed, unexpected, oversize */
	uint64_t tx_msgs;			/* requests posted */
	uint64_t fw_logs;			/* LOG_MSG_REQ lines printed */
};

/*
 * Bring the mailbox up (fbnic_hw.rst 6.3): reset both rings, wait for the
 * firmware to signal it is alive, enable device DMA, post the RX buffers,
 * exchange HOST_CAP_REQ / FW_CAP_RESP. 0, or -ETIMEDOUT (firmware silent),
 * -EOPNOTSUPP (firmware older than 0.10.6.0), -ENOMEM, -ENODEV.
 */
int fbnic_fw_init(struct fbnic_hw *hw);
/*
 * Drain the TX ring (bounded), reset both rings (which stops device DMA),
 * free the buffers and the mailbox state.
 */
void fbnic_fw_release(struct fbnic_hw *hw);
/* Reap TX completions, parse and re-post RX messages. */
void fbnic_fw_poll(struct fbnic_hw *hw);
/*
 * OWNERSHIP_REQ take / release; waits (bounded) for OWNERSHIP_RESP. Taking
 * ownership then sends the first HEARTBEAT_REQ and arms the heartbeat.
 */
int fbnic_fw_ownership(struct fbnic_hw *hw, bool take);
/*
 * The same exchange without waiting, for callers that must not block:
 * _send() posts OWNERSHIP_REQ; _poll() reads the mailbox and returns 0 once
 * the reply has come (for take, the heartbeat is armed), -EAGAIN before.
 */
int fbnic_fw_ownership_send(struct fbnic_hw *hw, bool take);
int fbnic_fw_ownership_poll(struct fbnic_hw *hw, bool take);
/*
 * Check the heartbeat: a reply arrived since the last request and uptime did
 * not go backwards. 0 when healthy (a new request is then sent), -ETIMEDOUT
 * when the firmware is considered crashed, -ENODEV without a mailbox.
 */
int fbnic_fw_heartbeat_check(struct fbnic_hw *hw);
/* Capabilities from the last FW_CAP_RESP, NULL before bring-up. */
const struct fbnic_fw_caps *fbnic_fw_caps_get(struct fbnic_hw *hw);
/* "major.minor.patch.build"; returns the snprintf result. */
int fbnic_fw_ver_str(uint32_t version, char *buf, size_t len);

/*
 * Read len (1..3584) bytes of the module EEPROM through the firmware.
 * 0, -EINVAL, -ETIMEDOUT, or the firmware's (negative) error.
 */
int fbnic_fw_qsfp_read(struct fbnic_hw *hw, uint32_t bank, uint32_t page,
		       uint32_t offset, uint32_t len, uint8_t *data);
/* Temperature (millidegree C) and voltage (millivolt) sensors. */
int fbnic_fw_tsene_read(struct fbnic_hw *hw, int32_t *millidegrees,
			int32_t *millivolts);
/* TEST message round trip: 0 when the firmware echoes it unchanged. */
int fbnic_fw_self_test(struct fbnic_hw *hw);
/*
 * Start / stop firmware log streaming (firmware >= 0.12.9.0, else
 * -EOPNOTSUPP); the lines go to the mailbox log type at INFO.
 */
int fbnic_fw_send_logs(struct fbnic_hw *hw, bool enable);
/*
 * Tell a BMC-aware firmware which addresses the host receives (fbnic_hw.rst
 * 6.5), without waiting: the firmware sends no reply. More than 8 of a kind
 * turn into the PROMISC / ALLMULTI flag.
 */
int fbnic_fw_mac_sync(struct fbnic_hw *hw, const fbnic_mac_addr_t *uc, unsigned int n_uc,
		      const fbnic_mac_addr_t *mc, unsigned int n_mc, uint32_t flags);

#endif /* _FBNIC_FW_H_ */
