/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

/* RX engine: HPQ/PPQ buffers, placement, RCQ completions. Skeleton. */

#include <errno.h>

#include "fbm_queue.h"

int
fbm_rx_frame(struct fbm_dev *dev, const uint8_t *frame, uint32_t len,
	     const struct fbm_rx_meta *meta)
{
	(void)dev;
	(void)frame;
	(void)len;
	(void)meta;
	return -ENODEV;
}
