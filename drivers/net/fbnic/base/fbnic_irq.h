/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

#ifndef _FBNIC_IRQ_H_
#define _FBNIC_IRQ_H_

#include "fbnic_hw.h"

/*
 * The global interrupt block (INTR, INTR_CQ; fbnic_hw.rst 1.2, 4.4) and the
 * per-queue moderation (TIM, RIM). The device masks a vector when it sends
 * its MSI-X message; the driver re-arms it by unmasking, through MASK_CLEAR
 * or CQ_REARM.INTR_UNMASK. Vector numbers are Linux's: 0 the firmware
 * mailbox, 1 the PCS (link), 2 + n the queues of queue page n.
 */

#define FBNIC_FW_MSIX_VECTOR		0
/* Vectors before the first queue vector (mailbox and PCS). */
#define FBNIC_NON_QUEUE_VECTORS		2
#define FBNIC_QUEUE_MSIX_VECTOR(q)	(FBNIC_NON_QUEUE_VECTORS + (q))
#define FBNIC_IRQ_MAX_VECTORS		256

/*
 * Coalescing limits: CQ_REARM timeouts are 14-bit counts of the 1 us tick
 * that init_regs programs (QM_RCQ_CTL0.TICK_CYCLES); RIM_THRESHOLD counts
 * 15 bits of completions, at least two per frame (Linux's
 * FBNIC_MIN_RXD_PER_FRAME).
 */
#define FBNIC_IRQ_USECS_MAX		0x3fffu
#define FBNIC_IRQ_RCD_PER_FRAME		2u
#define FBNIC_IRQ_FRAMES_MAX		(0x7fffu / FBNIC_IRQ_RCD_PER_FRAME)
/* Linux's defaults (fbnic_txrx.h): 30 us Rx, 35 us Tx, threshold half the ring. */
#define FBNIC_IRQ_RX_USECS_DEFAULT	30u
#define FBNIC_IRQ_TX_USECS_DEFAULT	35u

/* Mask, unmask, clear the status of, or raise one vector (0..255). */
void fbnic_irq_mask(struct fbnic_hw *hw, unsigned int vector);
void fbnic_irq_unmask(struct fbnic_hw *hw, unsigned int vector);
void fbnic_irq_clear(struct fbnic_hw *hw, unsigned int vector);
void fbnic_irq_raise(struct fbnic_hw *hw, unsigned int vector);

/*
 * INTR_CQ_REARM of a queue vector: load the Rx and Tx moderation timeouts
 * (us, capped at FBNIC_IRQ_USECS_MAX) and, with unmask, unmask the vector
 * in the same write, as Linux's NAPI re-arm does.
 */
void fbnic_irq_cq_rearm(struct fbnic_hw *hw, unsigned int vector, uint16_t rx_usecs,
			uint16_t tx_usecs, bool unmask);

/* Stop (or let) a queue's Tx completions raise its vector: TIM_MASK. */
void fbnic_irq_tim_mask(struct fbnic_hw *hw, uint16_t qid, bool masked);

/* RIM_THRESHOLD for frames per interrupt; 0 = half the RCQ (Linux's default). */
uint16_t fbnic_irq_rim_threshold(uint16_t frames);

#endif /* _FBNIC_IRQ_H_ */
