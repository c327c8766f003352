/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

/*
 * The parts of fbnic_osdep.h that are not inline: DMA memory from DPDK
 * memzones, described to base/ by the memzone as an opaque handle.
 */

#include <stdio.h>

#include <rte_memzone.h>

#include "fbnic_hw.h"

void *
fbnic_osdep_dma_zalloc(struct fbnic_hw *hw, const char *name, size_t len, uint64_t *iova,
		       void **handle)
{
	static uint32_t serial;
	const struct rte_memzone *mz;
	char mz_name[RTE_MEMZONE_NAMESIZE];
	uint32_t n;

	if (len == 0 || iova == NULL || handle == NULL)
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
	*handle = (void *)(uintptr_t)mz;
	return mz->addr;
}

void
fbnic_osdep_dma_free(void *handle)
{
	if (handle != NULL)
		rte_memzone_free(handle);
}
