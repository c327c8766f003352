/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

/*
 * Device DMA: translation of bus addresses through the host (fbnic_hw.rst 1,
 * 6.2). A failed access is a device error the driver can see (dma_errors,
 * and the component's own error reporting), never a crash.
 */

#include "fbm_internal.h"

/* The device drives 46 address bits (fbnic_hw.rst 1). */
#define FBM_DMA_ADDR_BITS	46
/* Largest single mapping a component asks for: a 64 Ki-entry ring. */
#define FBM_DMA_MAX_LEN		(1u << 20)
/* Log the first errors, then one in FBM_DMA_LOG_EVERY. */
#define FBM_DMA_LOG_FIRST	16
#define FBM_DMA_LOG_EVERY	4096

static void
fbm_dma_error(struct fbm_dev *dev, uint64_t iova, size_t len, bool to_host, const char *why)
{
	uint64_t n = atomic_fetch_add_explicit(&dev->dma_errors, 1, memory_order_relaxed) + 1;

	if (n <= FBM_DMA_LOG_FIRST || n % FBM_DMA_LOG_EVERY == 0)
		fbm_log(dev, FBM_LOG_ERR, "DMA %s 0x%llx len %zu failed: %s (error %llu)",
			to_host ? "write" : "read", (unsigned long long)iova, len, why,
			(unsigned long long)n);
}

void *
fbm_dma_map(struct fbm_dev *dev, uint64_t iova, size_t len, bool to_host)
{
	void *p;

	if (len == 0 || len > FBM_DMA_MAX_LEN || iova >> FBM_DMA_ADDR_BITS != 0 ||
	    (iova + len - 1) >> FBM_DMA_ADDR_BITS != 0) {
		fbm_dma_error(dev, iova, len, to_host, "address out of range");
		return NULL;
	}
	if (!fbm_dma_enabled(dev, to_host)) {
		fbm_dma_error(dev, iova, len, to_host, "bus mastering disabled");
		return NULL;
	}
	if (fbm_fault_active(dev, FBM_FAULT_DMA)) {
		dev->fault_count[FBM_FAULT_DMA]++;
		fbm_dma_error(dev, iova, len, to_host, "injected fault");
		return NULL;
	}
	if (dev->ops.dma_map == NULL) {
		fbm_dma_error(dev, iova, len, to_host, "no host translation");
		return NULL;
	}
	p = dev->ops.dma_map(dev->ops.ctx, iova, len);
	if (p == NULL) {
		fbm_dma_error(dev, iova, len, to_host, "not mapped by the host");
		return NULL;
	}
	fbm_stats_pcie_dma(dev, to_host, len);
	return p;
}

uint64_t
fbm_dma_errors(struct fbm_dev *dev)
{
	return atomic_load_explicit(&dev->dma_errors, memory_order_relaxed);
}
