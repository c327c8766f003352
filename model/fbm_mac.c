/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

#include "fbm_internal.h"

int
fbm_mac_init(struct fbm_dev *dev)
{
	(void)dev;
	return 0;
}

void
fbm_mac_fini(struct fbm_dev *dev)
{
	(void)dev;
}

void
fbm_mac_reset(struct fbm_dev *dev)
{
	(void)dev;
}

bool
fbm_mac_read(struct fbm_dev *dev, unsigned int bar, uint32_t idx, uint32_t *val)
{
	(void)dev;
	(void)bar;
	(void)idx;
	(void)val;
	return false;
}

bool
fbm_mac_write(struct fbm_dev *dev, unsigned int bar, uint32_t idx, uint32_t val)
{
	(void)dev;
	(void)bar;
	(void)idx;
	(void)val;
	return false;
}

void
fbm_mac_poll(struct fbm_dev *dev, uint64_t now_ns)
{
	(void)dev;
	(void)now_ns;
}

void
fbm_mac_tx_frame(struct fbm_dev *dev, const uint8_t *frame, uint32_t len)
{
	(void)dev;
	(void)frame;
	(void)len;
}

void
fbm_mac_rx_frame(struct fbm_dev *dev, const uint8_t *frame, uint32_t len)
{
	(void)dev;
	(void)frame;
	(void)len;
}

bool
fbm_mac_link_up(struct fbm_dev *dev)
{
	(void)dev;
	return false;
}
