/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

#include <stdio.h>

#include "fbnic_hw.h"

uint32_t
fbnic_hw_read_all_ones(struct fbnic_hw *hw, unsigned int bar, uint32_t idx)
{
	uint32_t zero_idx = bar == FBNIC_BAR0 ? FBNIC_HW_FLUSH_IDX : FBNIC_HW_FW_FLUSH_IDX;

	/*
	 * All ones can be a legal value. The spare register reads zero on a
	 * live device, so a second all-ones read there means the device has
	 * dropped off the bus (fbnic_hw.rst 1).
	 */
	if (idx != zero_idx && fbnic_hw_raw_rd(hw, bar, zero_idx) != UINT32_MAX)
		return UINT32_MAX;

	if (!hw->removed)
		FBNIC_BASE_LOG(ERR,
			       "port %u: BAR%u word 0x%x (byte 0x%x) reads all ones: device gone",
			       hw->port_id, bar, idx, idx * 4);
	hw->removed = true;
	return UINT32_MAX;
}

int
fbnic_dsn_to_mac(uint64_t dsn, uint8_t mac[FBNIC_ETH_ALEN])
{
	if (dsn == 0)
		return -EINVAL;

	mac[0] = (uint8_t)(dsn >> 56);
	mac[1] = (uint8_t)(dsn >> 48);
	mac[2] = (uint8_t)(dsn >> 40);
	mac[3] = (uint8_t)(dsn >> 16);
	mac[4] = (uint8_t)(dsn >> 8);
	mac[5] = (uint8_t)dsn;

	if (!fbnic_mac_is_valid_unicast(mac))
		return -EINVAL;
	return 0;
}

int
fbnic_hw_poll_reg(struct fbnic_hw *hw, uint32_t idx, uint32_t mask, uint32_t want,
		  unsigned int step_us, unsigned int timeout_us)
{
	uint64_t deadline = fbnic_osdep_time_us() + timeout_us;
	unsigned int max_iter = step_us ? timeout_us / step_us + 2 : timeout_us + 2;
	unsigned int i;

	for (i = 0; i < max_iter; i++) {
		uint32_t v = fbnic_rd32(hw, idx);

		if (hw->removed)
			return -ENODEV;
		if ((v & mask) == want)
			return 0;
		if (fbnic_osdep_time_us() > deadline)
			break;
		if (step_us)
			fbnic_osdep_usleep(step_us);
	}
	return -ETIMEDOUT;
}
