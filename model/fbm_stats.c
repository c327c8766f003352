/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

#include "fbm_internal.h"

int
fbm_stats_init(struct fbm_dev *dev)
{
	(void)dev;
	return 0;
}

void
fbm_stats_fini(struct fbm_dev *dev)
{
	(void)dev;
}

void
fbm_stats_reset(struct fbm_dev *dev)
{
	(void)dev;
}

bool
fbm_stats_read(struct fbm_dev *dev, unsigned int bar, uint32_t idx, uint32_t *val)
{
	(void)dev;
	(void)bar;
	(void)idx;
	(void)val;
	return false;
}

bool
fbm_stats_write(struct fbm_dev *dev, unsigned int bar, uint32_t idx, uint32_t val)
{
	(void)dev;
	(void)bar;
	(void)idx;
	(void)val;
	return false;
}

void
fbm_stats_poll(struct fbm_dev *dev, uint64_t now_ns)
{
	(void)dev;
	(void)now_ns;
}
