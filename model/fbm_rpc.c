/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

#include "fbm_internal.h"

int
fbm_rpc_init(struct fbm_dev *dev)
{
	(void)dev;
	return 0;
}

void
fbm_rpc_fini(struct fbm_dev *dev)
{
	(void)dev;
}

void
fbm_rpc_reset(struct fbm_dev *dev)
{
	(void)dev;
}

bool
fbm_rpc_read(struct fbm_dev *dev, unsigned int bar, uint32_t idx, uint32_t *val)
{
	(void)dev;
	(void)bar;
	(void)idx;
	(void)val;
	return false;
}

bool
fbm_rpc_write(struct fbm_dev *dev, unsigned int bar, uint32_t idx, uint32_t val)
{
	(void)dev;
	(void)bar;
	(void)idx;
	(void)val;
	return false;
}

void
fbm_rpc_poll(struct fbm_dev *dev, uint64_t now_ns)
{
	(void)dev;
	(void)now_ns;
}

int
fbm_rpc_classify(struct fbm_dev *dev, const uint8_t *frame, uint32_t len,
		 struct fbm_rx_meta *meta)
{
	(void)dev;
	(void)frame;
	(void)len;
	(void)meta;
	return -EPERM;
}
