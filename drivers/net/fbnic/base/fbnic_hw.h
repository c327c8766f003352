/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

#ifndef _FBNIC_HW_H_
#define _FBNIC_HW_H_

#include "fbnic_osdep.h"
#include "fbnic_csr.h"

/*
 * struct fbnic_hw is the device as base/ sees it: two BARs (or a software
 * model behind reg_ops), identity, and the state of each hardware block.
 * Register indices are 32-bit WORD indices as in fbnic_csr.h.
 */

struct fbnic_fw_mbx;
struct fbnic_rpc;
struct fbnic_hw_stats;

#define FBNIC_BAR0		0
#define FBNIC_BAR4		4

/* MASTER_SPARE_0 reads 0 on a live device; reading it flushes posted writes. */
#define FBNIC_HW_FLUSH_IDX	FBNIC_MASTER_SPARE_0
/* First BAR4 mailbox word (FW_ZERO_REG), same role on BAR4. */
#define FBNIC_HW_FW_FLUSH_IDX	FBNIC_FW_ZERO_REG

#define FBNIC_ETH_ALEN		6
/*
 * Frame lengths without FCS: the longest frame Linux lets the device take
 * (FBNIC_MAX_JUMBO_FRAME_SIZE, 9728 + the Ethernet header) and Ethernet's
 * shortest (ETH_ZLEN).
 */
#define FBNIC_MAX_FRAME_SIZE	9742
#define FBNIC_MIN_FRAME_SIZE	60

/* Link modes in AUI terms: bit 0 = two lanes, bit 1 = PAM4 (Linux's encoding). */
enum fbnic_aui {
	FBNIC_AUI_25GAUI = 0,		/* 25G-CR, 1 x NRZ */
	FBNIC_AUI_LAUI2 = 1,		/* 50G-CR2, 2 x NRZ */
	FBNIC_AUI_50GAUI1 = 2,		/* 50G-CR, 1 x PAM4 */
	FBNIC_AUI_100GAUI2 = 3,		/* 100G-CR2, 2 x PAM4 */
	FBNIC_AUI_UNKNOWN = 4,
};

enum fbnic_fec {
	FBNIC_FEC_OFF = 0,
	FBNIC_FEC_RS = 1,
	FBNIC_FEC_BASER = 2,
};

/* Firmware codes (FW_CAP_RESP link mode / FEC attributes). */
enum fbnic_fw_link_mode {
	FBNIC_FW_LINK_MODE_UNKNOWN = 0,
	FBNIC_FW_LINK_MODE_25CR = 1,
	FBNIC_FW_LINK_MODE_50CR2 = 2,
	FBNIC_FW_LINK_MODE_50CR = 3,
	FBNIC_FW_LINK_MODE_100CR2 = 4,
};

enum fbnic_fw_link_fec {
	FBNIC_FW_LINK_FEC_UNKNOWN = 0,
	FBNIC_FW_LINK_FEC_NONE = 1,
	FBNIC_FW_LINK_FEC_RS = 2,
	FBNIC_FW_LINK_FEC_BASER = 3,
};

/*
 * Synchronous register access for the software model. byte_off is a byte
 * offset inside BAR 'bar' (0 or 4).
 */
struct fbnic_reg_ops {
	uint32_t (*read32)(void *ctx, unsigned int bar, uint32_t byte_off);
	void (*write32)(void *ctx, unsigned int bar, uint32_t byte_off, uint32_t val);
};

/* PCIe parameters init_regs needs (fbnic_hw.rst 5.2); bytes, powers of two. */
struct fbnic_pcie_cfg {
	uint16_t mps;		/* max payload size, 128..1024 */
	uint16_t mrrs;		/* max read request size, 128..1024 */
	uint16_t cls;		/* cache line size, 64..512 */
};

struct fbnic_hw {
	/* MMIO bases on real hardware; unused when reg_ops is set. */
	uint8_t *bar0;
	uint8_t *bar4;
	/* Software model: when non-NULL, every access goes through these. */
	const struct fbnic_reg_ops *reg_ops;
	void *reg_ctx;

	uint16_t port_id;	/* for names and logs */
	bool removed;		/* all-ones reads confirmed: device gone */

	uint64_t dsn;
	uint8_t mac_addr[FBNIC_ETH_ALEN];

	struct fbnic_pcie_cfg pcie;

	/* Firmware / mailbox state (fbnic_fw.h). */
	struct fbnic_fw_mbx *mbx;
	bool bmc_present;

	/* Link as reported by firmware, in AUI/FEC terms. */
	uint8_t link_aui;	/* enum fbnic_aui */
	uint8_t link_fec;	/* enum fbnic_fec */
	/* Link state machine (fbnic_mac.c). */
	uint32_t link_hold_off_ms;	/* FBNIC_LINK_HOLD_OFF_MS on hardware */
	uint8_t pmd_state;		/* enum fbnic_pmd_state */
	uint64_t pmd_training_end_ms;
	uint16_t ps_timeout_ms;		/* pause storm guard, 0 = off */
	bool link_up;
	bool tx_pause;
	bool rx_pause;

	/* Block state owned by fbnic_rpc.c and fbnic_hw_stats.c. */
	struct fbnic_rpc *rpc;
	struct fbnic_hw_stats *stats;

	/* Private pointer for the layer above base/. */
	void *back;
};

/* Slow path of a read that returned all ones; decides whether the device is gone. */
uint32_t fbnic_hw_read_all_ones(struct fbnic_hw *hw, unsigned int bar, uint32_t idx);

static inline uint32_t
fbnic_hw_raw_rd(struct fbnic_hw *hw, unsigned int bar, uint32_t idx)
{
	if (likely(hw->reg_ops == NULL)) {
		uint8_t *base = bar == FBNIC_BAR0 ? hw->bar0 : hw->bar4;

		return rte_read32(base + 4 * (size_t)idx);
	}
	return hw->reg_ops->read32(hw->reg_ctx, bar, 4 * idx);
}

static inline void
fbnic_hw_raw_wr(struct fbnic_hw *hw, unsigned int bar, uint32_t idx, uint32_t val)
{
	if (likely(hw->reg_ops == NULL)) {
		uint8_t *base = bar == FBNIC_BAR0 ? hw->bar0 : hw->bar4;

		rte_write32(val, base + 4 * (size_t)idx);
		return;
	}
	hw->reg_ops->write32(hw->reg_ctx, bar, 4 * idx, val);
}

/* BAR0 read by word index. A removed device reads all ones. */
static inline uint32_t
fbnic_rd32(struct fbnic_hw *hw, uint32_t idx)
{
	uint32_t val;

	if (unlikely(hw->removed))
		return UINT32_MAX;
	val = fbnic_hw_raw_rd(hw, FBNIC_BAR0, idx);
	if (unlikely(val == UINT32_MAX))
		return fbnic_hw_read_all_ones(hw, FBNIC_BAR0, idx);
	return val;
}

/* BAR0 write by word index. Writes to a removed device are dropped. */
static inline void
fbnic_wr32(struct fbnic_hw *hw, uint32_t idx, uint32_t val)
{
	if (unlikely(hw->removed))
		return;
	fbnic_hw_raw_wr(hw, FBNIC_BAR0, idx, val);
}

/* BAR4 (firmware side) read by word index. */
static inline uint32_t
fbnic_fw_rd32(struct fbnic_hw *hw, uint32_t idx)
{
	uint32_t val;

	if (unlikely(hw->removed))
		return UINT32_MAX;
	val = fbnic_hw_raw_rd(hw, FBNIC_BAR4, idx);
	if (unlikely(val == UINT32_MAX))
		return fbnic_hw_read_all_ones(hw, FBNIC_BAR4, idx);
	return val;
}

/* BAR4 (firmware side) write by word index. */
static inline void
fbnic_fw_wr32(struct fbnic_hw *hw, uint32_t idx, uint32_t val)
{
	if (unlikely(hw->removed))
		return;
	fbnic_hw_raw_wr(hw, FBNIC_BAR4, idx, val);
}

/* Read-modify-write: bits in mask are replaced by val. */
static inline void
fbnic_rmw32(struct fbnic_hw *hw, uint32_t idx, uint32_t mask, uint32_t val)
{
	uint32_t v = fbnic_rd32(hw, idx);

	fbnic_wr32(hw, idx, (v & ~mask) | (val & mask));
}

/* Push posted BAR0 writes to the device. */
static inline void
fbnic_hw_flush(struct fbnic_hw *hw)
{
	(void)fbnic_rd32(hw, FBNIC_HW_FLUSH_IDX);
}

/* Push posted BAR4 writes to the device. */
static inline void
fbnic_fw_flush(struct fbnic_hw *hw)
{
	(void)fbnic_fw_rd32(hw, FBNIC_HW_FW_FLUSH_IDX);
}

/*
 * 64-bit counter read as high, low, high (fbnic_hw.rst 9). When the high word
 * moved between the two reads, the low word cannot be trusted and only
 * high << 32 is returned; the next read catches up.
 */
static inline uint64_t
fbnic_rd64_hi_lo_hi(struct fbnic_hw *hw, uint32_t lo_idx, uint32_t hi_idx)
{
	uint32_t hi0, lo, hi1;

	hi0 = fbnic_rd32(hw, hi_idx);
	lo = fbnic_rd32(hw, lo_idx);
	hi1 = fbnic_rd32(hw, hi_idx);
	if (hi0 != hi1)
		return (uint64_t)hi1 << 32;
	return ((uint64_t)hi1 << 32) | lo;
}

/*
 * Data path doorbell: orders the ring memory writes before the device sees
 * the new tail/head, then a relaxed MMIO write.
 */
static inline void
fbnic_db_write(struct fbnic_hw *hw, uint32_t idx, uint32_t val)
{
	fbnic_osdep_wmb();
	if (likely(hw->reg_ops == NULL)) {
		rte_write32_relaxed(val, hw->bar0 + 4 * (size_t)idx);
		return;
	}
	hw->reg_ops->write32(hw->reg_ctx, FBNIC_BAR0, 4 * idx, val);
}

/*
 * MAC address from the PCIe Device Serial Number (fbnic_hw.rst 1): bytes
 * DSN[63:56], [55:48], [47:40], [23:16], [15:8], [7:0]. Returns -EINVAL when
 * the DSN is 0 or the result is not a valid unicast address.
 */
int fbnic_dsn_to_mac(uint64_t dsn, uint8_t mac[FBNIC_ETH_ALEN]);

/* True for a non-zero, non-multicast (hence non-broadcast) address. */
static inline bool
fbnic_mac_is_valid_unicast(const uint8_t mac[FBNIC_ETH_ALEN])
{
	return !(mac[0] & 0x01) &&
		(mac[0] | mac[1] | mac[2] | mac[3] | mac[4] | mac[5]) != 0;
}

/*
 * Poll BAR0 word idx until (value & mask) == want, sleeping step_us between
 * reads, for at most timeout_us. Returns 0, -ETIMEDOUT, or -ENODEV when the
 * device is gone.
 */
int fbnic_hw_poll_reg(struct fbnic_hw *hw, uint32_t idx, uint32_t mask, uint32_t want,
		      unsigned int step_us, unsigned int timeout_us);

#endif /* _FBNIC_HW_H_ */
