/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

/* TX engine: TWQ descriptors, checksum and segmentation offloads, TCQ. Skeleton. */

#include "fbm_queue.h"

unsigned int
fbm_queue_poll_tx(struct fbm_dev *dev, unsigned int budget)
{
	(void)dev;
	(void)budget;
	return 0;
}
