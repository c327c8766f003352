/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

/*
 * Fault injection switches. The core applies DMA, RX drop/corrupt, link down
 * (on the wire) and surprise removal; the firmware and MAC components consult
 * fbm_fault_active() for the others.
 */

#include <string.h>

#include "fbm_internal.h"

static const char *const fbm_fault_names[FBM_FAULT_MAX] = {
	[FBM_FAULT_LINK_DOWN] = "link_down",
	[FBM_FAULT_FW_SILENT] = "fw_silent",
	[FBM_FAULT_FW_ERROR_REPLIES] = "fw_error_replies",
	[FBM_FAULT_RX_DROP] = "rx_drop",
	[FBM_FAULT_RX_CORRUPT] = "rx_corrupt",
	[FBM_FAULT_DMA] = "dma_fault",
	[FBM_FAULT_SURPRISE_REMOVAL] = "surprise_removal",
	[FBM_FAULT_RCQ_FORGE] = "rcq_forge",
	[FBM_FAULT_TX_STALL] = "tx_stall",
};

void
fbm_fault_init(struct fbm_dev *dev)
{
	atomic_store(&dev->faults, dev->cfg.faults);
	dev->fault_every[FBM_FAULT_RX_DROP] = dev->cfg.rx_drop_every;
	dev->fault_every[FBM_FAULT_RX_CORRUPT] = dev->cfg.rx_corrupt_every;
}

bool
fbm_fault_active(struct fbm_dev *dev, enum fbm_fault f)
{
	if ((unsigned int)f >= FBM_FAULT_MAX)
		return false;
	return (atomic_load_explicit(&dev->faults, memory_order_relaxed) & (1u << f)) != 0;
}

bool
fbm_fault_get(struct fbm_dev *dev, enum fbm_fault f)
{
	return fbm_fault_active(dev, f);
}

uint32_t
fbm_fault_every(struct fbm_dev *dev, enum fbm_fault f)
{
	if ((unsigned int)f >= FBM_FAULT_MAX || dev->fault_every[f] == 0)
		return 1;
	return dev->fault_every[f];
}

int
fbm_fault_set(struct fbm_dev *dev, enum fbm_fault f, bool on)
{
	if ((unsigned int)f >= FBM_FAULT_MAX)
		return -EINVAL;
	if (on)
		atomic_fetch_or(&dev->faults, 1u << f);
	else
		atomic_fetch_and(&dev->faults, ~(1u << f));
	fbm_log(dev, FBM_LOG_INFO, "fault %s %s", fbm_fault_names[f], on ? "on" : "off");
	return 0;
}

int
fbm_fault_set_every(struct fbm_dev *dev, enum fbm_fault f, uint32_t every)
{
	if (f != FBM_FAULT_RX_DROP && f != FBM_FAULT_RX_CORRUPT)
		return -EINVAL;
	fbm_dev_lock(dev);
	dev->fault_every[f] = every;
	fbm_dev_unlock(dev);
	return 0;
}

const char *
fbm_fault_name(enum fbm_fault f)
{
	if ((unsigned int)f >= FBM_FAULT_MAX)
		return NULL;
	return fbm_fault_names[f];
}

/* Accepts the names above; '-' may replace '_'. */
int
fbm_fault_parse(const char *name)
{
	char buf[32];
	size_t i;
	int f;

	if (name == NULL)
		return -EINVAL;
	for (i = 0; name[i] != '\0' && i < sizeof(buf) - 1; i++)
		buf[i] = name[i] == '-' ? '_' : name[i];
	if (name[i] != '\0')
		return -EINVAL;
	buf[i] = '\0';
	for (f = 0; f < FBM_FAULT_MAX; f++) {
		if (strcmp(buf, fbm_fault_names[f]) == 0)
			return f;
	}
	return -EINVAL;
}
