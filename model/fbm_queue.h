/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

#ifndef _FBM_QUEUE_H_
#define _FBM_QUEUE_H_

/*
 * Internal header of the queue manager (fbm_queue.c), the TX engine (fbm_tx.c)
 * and the RX engine (fbm_rx.c): the 128 queue pages and the QM_TX / QM_RX
 * global blocks (HARDWARE.md 2, 3, 4).
 */

#include "fbm_internal.h"

#endif /* _FBM_QUEUE_H_ */
