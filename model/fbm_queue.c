/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

/* Queue pages and QM_TX / QM_RX global registers (HARDWARE.md 4). Skeleton. */

#include "fbm_queue.h"

int
fbm_queue_init(struct fbm_dev *dev)
{
	(void)dev;
	return 0;
}

void
fbm_queue_fini(struct fbm_dev *dev)
{
	(void)dev;
}

void
fbm_queue_reset(struct fbm_dev *dev)
{
	(void)dev;
}

bool
fbm_queue_read(struct fbm_dev *dev, unsigned int bar, uint32_t idx, uint32_t *val)
{
	(void)dev;
	(void)bar;
	(void)idx;
	(void)val;
	return false;
}

bool
fbm_queue_write(struct fbm_dev *dev, unsigned int bar, uint32_t idx, uint32_t val)
{
	(void)dev;
	(void)bar;
	(void)idx;
	(void)val;
	return false;
}

void
fbm_queue_poll(struct fbm_dev *dev, uint64_t now_ns)
{
	(void)dev;
	(void)now_ns;
}
