/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

#include <stdio.h>

#include <rte_memzone.h>

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

void *
fbnic_osdep_dma_zalloc(struct fbnic_hw *hw, const char *name, size_t len, uint64_t *iova)
{
	static uint32_t serial;
	const struct rte_memzone *mz;
	char mz_name[RTE_MEMZONE_NAMESIZE];
	uint32_t n;

	if (len == 0 || iova == NULL)
		return NULL;

	n = __atomic_fetch_add(&serial, 1, __ATOMIC_RELAXED);
	/* At most 3 + 5 + 1 + 10 + 1 + 8 characters: fits RTE_MEMZONE_NAMESIZE. */
	snprintf(mz_name, sizeof(mz_name), "fbn%u_%.10s_%x", hw->port_id, name, n);
	mz = rte_memzone_reserve_aligned(mz_name, len, SOCKET_ID_ANY, RTE_MEMZONE_IOVA_CONTIG,
					 4096);
	if (mz == NULL) {
		FBNIC_BASE_LOG(ERR, "port %u: cannot reserve %zu bytes of DMA memory for %s",
			       hw->port_id, len, name);
		return NULL;
	}
	memset(mz->addr, 0, len);
	*iova = mz->iova;
	return mz->addr;
}

struct fbnic_mz_find {
	const void *va;
	const struct rte_memzone *mz;
};

static void
fbnic_mz_match(const struct rte_memzone *mz, void *arg)
{
	struct fbnic_mz_find *f = arg;

	if (mz->addr == f->va && strncmp(mz->name, "fbn", 3) == 0)
		f->mz = mz;
}

void
fbnic_osdep_dma_free(struct fbnic_hw *hw, void *va)
{
	struct fbnic_mz_find f = { .va = va, .mz = NULL };

	if (va == NULL)
		return;
	rte_memzone_walk(fbnic_mz_match, &f);
	if (f.mz == NULL) {
		FBNIC_BASE_LOG(ERR, "port %u: %p is not fbnic DMA memory", hw->port_id, va);
		return;
	}
	rte_memzone_free(f.mz);
}
