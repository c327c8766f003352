/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

#ifndef _FBNIC_MAC_H_
#define _FBNIC_MAC_H_

#include "fbnic_hw.h"

/*
 * Device-wide register setup (fbnic_hw.rst 5.2), MAC up/down, PCS link check
 * with the training hold-off, and the DesignWare XPCS behind the PCS pages
 * (fbnic_hw.rst 8).
 */

/* PCIe defaults used when the caller leaves struct fbnic_pcie_cfg at 0. */
#define FBNIC_PCIE_DEFAULT_MPS		256
#define FBNIC_PCIE_DEFAULT_MRRS		512
#define FBNIC_PCIE_DEFAULT_CLS		64

/* Link reported only after this much continuous PCS link (firmware PMD training). */
#define FBNIC_LINK_HOLD_OFF_MS		4000
/* Pause storm guard default: pause generation limited to 500 ms stretches. */
#define FBNIC_MAC_PS_TIMEOUT_DEFAULT_MS	500
/* Pause storm timer ticks every 10 us: 600 MHz / 6000. */
#define FBNIC_RXB_PS_CLK_DIV		6000

/* RXB FIFOs (fbnic_hw.rst 5.2) whose thresholds are armed. */
#define FBNIC_RXB_DROP_EN_MASK		0x7d
#define FBNIC_RXB_PAUSE_EN_MASK		0x14
#define FBNIC_RXB_ECN_EN_MASK		0x10
#define FBNIC_RXB_PS_EN_MASK		0x01

/* PMD training states of the hold-off machine (after IEEE 802.3 136.8.11.7.5). */
enum fbnic_pmd_state {
	FBNIC_PMD_SEND_DATA = 0,
	FBNIC_PMD_INITIALIZE = 1,
	FBNIC_PMD_TRAINING = 2,
};

/* MSI-X vector Linux uses for PCS/link events. */
#define FBNIC_PCS_MSIX_VECTOR		1

/* XPCS (MMD 3) registers used here, IEEE 802.3 clause 45 numbering. */
#define FBNIC_XPCS_CTRL1		0x0000
#define FBNIC_XPCS_CTRL1_RESET		0x8000
#define FBNIC_XPCS_CTRL1_LOOPBACK	0x4000
#define FBNIC_XPCS_CTRL1_SPEEDSEL	0x207c	/* bits 13, 6 and 5:2 */
#define FBNIC_XPCS_CTRL1_SPEEDSELEXT	0x2040	/* bits 13 and 6 both set */
#define FBNIC_XPCS_CTRL1_SPEED100G	(FBNIC_XPCS_CTRL1_SPEEDSELEXT | 0x0010)
#define FBNIC_XPCS_CTRL1_SPEED25G	(FBNIC_XPCS_CTRL1_SPEEDSELEXT | 0x0014)
#define FBNIC_XPCS_CTRL1_SPEED50G	(FBNIC_XPCS_CTRL1_SPEEDSELEXT | 0x0018)
#define FBNIC_XPCS_STAT1		0x0001
#define FBNIC_XPCS_STAT1_LSTATUS	0x0004	/* latched low */
#define FBNIC_XPCS_DEVID1		0x0002
#define FBNIC_XPCS_DEVID2		0x0003
/* Synopsys vendor-specific page bit in the MMD address. */
#define FBNIC_XPCS_DW_VENDOR		0x8000
#define FBNIC_XPCS_INSTANCES		2

/* Fill unset (0) PCIe parameters with the defaults above. */
void fbnic_pcie_cfg_default(struct fbnic_pcie_cfg *cfg);

/*
 * Program every row of fbnic_hw.rst 5.2: PCIe read/payload sizes, queue
 * manager defaults, RX buffer FIFOs and thresholds, TX buffer, LSO/CSO and
 * SOP protection. Uses hw->pcie (0 fields take the defaults). Called at probe
 * and on every resume.
 */
void fbnic_init_regs(struct fbnic_hw *hw);

/* Firmware link mode/FEC codes to AUI/FEC terms. -EINVAL for an unknown mode. */
int fbnic_link_mode_from_fw(uint32_t fw_mode, uint32_t fw_fec, uint8_t *aui, uint8_t *fec);
/* Link speed in Mbps of an AUI mode; 0 when unknown. */
uint32_t fbnic_link_speed_mbps(uint8_t aui);

/* MAC/PCS clocks in reset, TX/RX off, pause off (fbnic_hw.rst 8, link down). */
void fbnic_mac_link_down(struct fbnic_hw *hw);
/* Pause and pause-storm setup, clocks out of reset, TX/RX on. */
void fbnic_mac_link_up(struct fbnic_hw *hw, bool tx_pause, bool rx_pause);
/*
 * Pause thresholds of the network-to-host RX buffer FIFO, in bytes: pause
 * frames start above *on and stop below *off (the values init_rxb wrote).
 */
void fbnic_mac_pause_thresholds(struct fbnic_hw *hw, uint32_t *on, uint32_t *off);
/* Class 0 pause quanta the MAC sends in an XOFF frame (CL01_PAUSE_QUANTA). */
uint16_t fbnic_mac_pause_quanta(struct fbnic_hw *hw);
/* True when COMMAND_CONFIG has TX pause enabled. */
bool fbnic_mac_tx_pause_enabled(struct fbnic_hw *hw);
/*
 * 1 s service part of the guard: when the network pause-storm status is set,
 * clear it and re-arm the timer (FORCE_NORMAL pulse). Returns true if it fired.
 */
bool fbnic_mac_ps_protect_handler(struct fbnic_hw *hw);

/*
 * Before (re)configuring the link: mask and clear the PCS interrupts and
 * restart training hold-off when the PCS has no link.
 */
void fbnic_pcs_prepare(struct fbnic_hw *hw);
/*
 * Full link check (fbnic_hw.rst 8): clear latched status bits, flush, clear
 * SIG_PCS_INTR_STS, compare, run the hold-off machine, unmask LINK_UP/DOWN and
 * MSI-X vector 1. Returns true when the link may be reported up.
 */
bool fbnic_pcs_link_check(struct fbnic_hw *hw, uint8_t aui, uint8_t fec);
/* Route the PCS interrupt cause to MSI-X vector 'vector' (and RXB cause to 0). */
void fbnic_pcs_irq_enable(struct fbnic_hw *hw, unsigned int vector);
/* Stop PCS interrupts: cause disabled, flush, vector 1 masked (fbnic_hw.rst 5.4). */
void fbnic_pcs_irq_disable(struct fbnic_hw *hw);

/*
 * Bring the PCS to the mode in hw->link_aui: no soft reset (firmware owns
 * the PMD), speed selection in MMD 3 CTRL1 set when it differs.
 * Returns -EINVAL for an unknown mode.
 */
int fbnic_pcs_setup(struct fbnic_hw *hw);
/* Set or clear the IEEE PCS loopback bit (MMD 3 CTRL1 bit 14). */
int fbnic_pcs_loopback(struct fbnic_hw *hw, bool on);

#endif /* _FBNIC_MAC_H_ */
