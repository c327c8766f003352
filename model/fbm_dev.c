/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

/*
 * Device life cycle and BAR dispatch (fbnic_hw.rst 1, 1.1).
 */

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fbm_internal.h"

/* One register-owning component of the model. */
struct fbm_comp {
	const char *name;
	int (*init)(struct fbm_dev *dev);
	void (*fini)(struct fbm_dev *dev);
	void (*reset)(struct fbm_dev *dev);
	bool (*read)(struct fbm_dev *dev, unsigned int bar, uint32_t idx, uint32_t *val);
	bool (*write)(struct fbm_dev *dev, unsigned int bar, uint32_t idx, uint32_t val);
	void (*poll)(struct fbm_dev *dev, uint64_t now_ns);
};

#define FBM_COMP(c, rd, wr) { #c, fbm_##c##_init, fbm_##c##_fini, fbm_##c##_reset, \
			      rd, wr, fbm_##c##_poll }

enum { C_STATS, C_PTP, C_MAC, C_RPC, C_QUEUE, C_FW, C_COUNT, C_NONE = C_COUNT };

/* Init order: counters and clocks first, firmware (which drives the MAC) last. */
static const struct fbm_comp fbm_comps[C_COUNT] = {
	[C_STATS] = FBM_COMP(stats, fbm_stats_read, fbm_stats_write),
	[C_PTP] = FBM_COMP(ptp, fbm_ptp_reg_read, fbm_ptp_reg_write),
	[C_MAC] = FBM_COMP(mac, fbm_mac_read, fbm_mac_write),
	[C_RPC] = FBM_COMP(rpc, fbm_rpc_read, fbm_rpc_write),
	[C_QUEUE] = FBM_COMP(queue, fbm_queue_read, fbm_queue_write),
	[C_FW] = FBM_COMP(fw, fbm_fw_read, fbm_fw_write),
};

/* BAR0 word ranges (fbnic_hw.rst 1.1) and the components owning them, in order. */
struct fbm_range {
	uint32_t first;
	uint32_t last;
	uint8_t owner[2];
};

static const struct fbm_range fbm_bar0_ranges[] = {
	{ FBNIC_CSR_START_QM_TX, FBNIC_CSR_END_QM_TX, { C_QUEUE, C_NONE } },
	{ FBNIC_CSR_START_QM_RX, FBNIC_CSR_END_QM_RX, { C_QUEUE, C_NONE } },
	{ FBNIC_CSR_START_TCE, FBNIC_CSR_END_TCE, { C_RPC, C_STATS } },
	{ FBNIC_CSR_START_TCE_RAM, FBNIC_CSR_END_TCE_RAM, { C_RPC, C_STATS } },
	{ FBNIC_CSR_START_TMI, FBNIC_CSR_END_TMI, { C_STATS, C_QUEUE } },
	{ FBNIC_CSR_START_PTP, FBNIC_CSR_END_PTP, { C_PTP, C_NONE } },
	{ FBNIC_CSR_START_RXB, FBNIC_CSR_END_RXB, { C_STATS, C_RPC } },
	{ FBNIC_CSR_START_RPC, FBNIC_CSR_END_RPC, { C_RPC, C_STATS } },
	{ FBNIC_CSR_START_RPC_RAM, FBNIC_CSR_END_RPC_RAM, { C_RPC, C_STATS } },
	{ FBNIC_CSR_START_PCS, FBNIC_CSR_END_PCS, { C_MAC, C_STATS } },
	{ FBNIC_CSR_START_RSFEC, FBNIC_CSR_END_RSFEC, { C_MAC, C_STATS } },
	{ FBNIC_CSR_START_MAC_MAC, FBNIC_CSR_END_MAC_MAC, { C_MAC, C_STATS } },
	{ FBNIC_CSR_START_SIG, FBNIC_CSR_END_SIG, { C_MAC, C_STATS } },
	{ FBNIC_CSR_START_MAC_STAT, FBNIC_MAC_STAT_TX_CONTROL_FRAMES_H, { C_MAC, C_STATS } },
	{ FBNIC_CSR_START_PUL_USER, FBNIC_CSR_END_PUL_USER, { C_STATS, C_NONE } },
	{ FBNIC_CSR_START_QUEUE, FBNIC_CSR_END_QUEUE, { C_QUEUE, C_NONE } },
};

static const struct fbm_range *
fbm_bar0_range(uint32_t idx)
{
	size_t i;

	for (i = 0; i < FBM_DIM(fbm_bar0_ranges); i++) {
		if (idx >= fbm_bar0_ranges[i].first && idx <= fbm_bar0_ranges[i].last)
			return &fbm_bar0_ranges[i];
	}
	return NULL;
}

void
fbm_log(struct fbm_dev *dev, int level, const char *fmt, ...)
{
	char msg[256];
	int n;
	va_list ap;

	n = snprintf(msg, sizeof(msg), "fbm %s: ", dev->name);
	if (n < 0 || (size_t)n >= sizeof(msg))
		n = 0;
	va_start(ap, fmt);
	vsnprintf(msg + n, sizeof(msg) - n, fmt, ap);
	va_end(ap);

	if (dev->ops.log != NULL)
		dev->ops.log(dev->ops.ctx, level, msg);
	else if (level <= FBM_LOG_WARNING)
		fprintf(stderr, "%s\n", msg);
}

void
fbm_dev_lock(struct fbm_dev *dev)
{
	pthread_mutex_lock(&dev->lock);
}

void
fbm_dev_unlock(struct fbm_dev *dev)
{
	pthread_mutex_unlock(&dev->lock);
}

uint32_t
fbm_reg_get(struct fbm_dev *dev, uint32_t idx)
{
	if (idx >= FBM_BAR0_WORDS)
		return 0;
	return __atomic_load_n(&dev->regs0[idx], __ATOMIC_RELAXED);
}

void
fbm_reg_set(struct fbm_dev *dev, uint32_t idx, uint32_t val)
{
	if (idx < FBM_BAR0_WORDS)
		__atomic_store_n(&dev->regs0[idx], val, __ATOMIC_RELAXED);
}

uint32_t
fbm_reg4_get(struct fbm_dev *dev, uint32_t idx)
{
	if (idx >= FBM_BAR4_WORDS)
		return 0;
	return __atomic_load_n(&dev->regs4[idx], __ATOMIC_RELAXED);
}

void
fbm_reg4_set(struct fbm_dev *dev, uint32_t idx, uint32_t val)
{
	if (idx < FBM_BAR4_WORDS)
		__atomic_store_n(&dev->regs4[idx], val, __ATOMIC_RELAXED);
}

/*
 * Advance the time-driven components. Called with the lock held on every
 * BAR access and every poll; at most once per microsecond of model time.
 * Returns the model time.
 */
uint64_t
fbm_dev_tick(struct fbm_dev *dev)
{
	uint64_t now = fbm_now_ns(dev);
	unsigned int i;

	/* From inside a datapath step (e.g. a callback re-entering): no tick. */
	if (dev->poll_now_ns != 0)
		return now;
	if (now - dev->last_tick_ns < 1000 && dev->last_tick_ns != 0)
		return now;
	dev->last_tick_ns = now != 0 ? now : 1;
	for (i = 0; i < C_COUNT; i++)
		fbm_comps[i].poll(dev, now);
	return now;
}

/* Power-on / FLR state of everything but PCI config space. Lock held. */
static void
fbm_dev_reset_locked(struct fbm_dev *dev)
{
	unsigned int i;

	memset(dev->regs0, 0, FBM_BAR0_SIZE);
	memset(dev->regs4, 0, FBM_BAR4_SIZE);
	fbm_intr_reset(dev);
	fbm_pci_reset(dev);
	dev->last_tick_ns = 0;
	for (i = 0; i < C_COUNT; i++)
		fbm_comps[i].reset(dev);
}

void
fbm_reset(struct fbm_dev *dev)
{
	fbm_dev_lock(dev);
	fbm_dev_reset_locked(dev);
	fbm_dev_unlock(dev);
}

void
fbm_config_init(struct fbm_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	snprintf(cfg->name, sizeof(cfg->name), "fbnic0");
	/* MAC 02:fb:4e:00:00:01 (locally administered), fbnic_hw.rst 1. */
	cfg->dsn = 0x02fb4efffe000001ULL;
	cfg->fw_version = 0x19050700;	/* 25.5.7.0 */
	cfg->link_mode = 4;		/* FBNIC_FW_LINK_MODE_100CR2 */
	cfg->fec = 2;			/* FBNIC_FW_LINK_FEC_RS */
	cfg->link_hold_off_ns = 0;
	cfg->fw_ready_delay_ns = 0;
	cfg->msix_enable = true;
	cfg->rx_drop_every = 1;
	cfg->rx_corrupt_every = 1;
}

static int
fbm_dev_alloc(const struct fbm_config *cfg, const struct fbm_host_ops *ops,
	      struct fbm_dev **devp)
{
	pthread_mutexattr_t attr;
	struct fbm_dev *dev;

	dev = calloc(1, sizeof(*dev));
	if (dev == NULL)
		return -ENOMEM;
	dev->regs0 = calloc(FBM_BAR0_WORDS, sizeof(uint32_t));
	dev->regs4 = calloc(FBM_BAR4_WORDS, sizeof(uint32_t));
	if (dev->regs0 == NULL || dev->regs4 == NULL) {
		free(dev->regs0);
		free(dev->regs4);
		free(dev);
		return -ENOMEM;
	}
	dev->cfg = *cfg;
	dev->cfg.name[sizeof(dev->cfg.name) - 1] = '\0';
	memcpy(dev->name, dev->cfg.name, sizeof(dev->name));
	if (ops != NULL)
		dev->ops = *ops;

	pthread_mutexattr_init(&attr);
	pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE);
	pthread_mutex_init(&dev->lock, &attr);
	pthread_mutexattr_destroy(&attr);
	*devp = dev;
	return 0;
}

static void
fbm_dev_free(struct fbm_dev *dev)
{
	pthread_mutex_destroy(&dev->lock);
	free(dev->regs0);
	free(dev->regs4);
	free(dev);
}

int
fbm_create(const struct fbm_config *cfg, const struct fbm_host_ops *ops,
	   struct fbm_dev **devp)
{
	struct fbm_config def;
	struct fbm_dev *dev;
	unsigned int i;
	int ret;

	if (devp == NULL)
		return -EINVAL;
	*devp = NULL;
	if (cfg == NULL) {
		fbm_config_init(&def);
		cfg = &def;
	}
	if (cfg->faults >= (1u << FBM_FAULT_MAX))
		return -EINVAL;

	ret = fbm_dev_alloc(cfg, ops, &dev);
	if (ret < 0)
		return ret;

	fbm_clock_init(dev);
	fbm_fault_init(dev);
	fbm_pci_init(dev);
	fbm_wire_init(dev);

	fbm_dev_lock(dev);
	for (i = 0; i < C_COUNT; i++) {
		ret = fbm_comps[i].init(dev);
		if (ret < 0) {
			fbm_log(dev, FBM_LOG_ERR, "%s init failed: %d", fbm_comps[i].name, ret);
			break;
		}
	}
	if (ret < 0) {
		while (i-- > 0)
			fbm_comps[i].fini(dev);
		fbm_dev_unlock(dev);
		fbm_dev_free(dev);
		return ret;
	}
	fbm_dev_reset_locked(dev);
	fbm_dev_unlock(dev);

	*devp = dev;
	return 0;
}

void
fbm_destroy(struct fbm_dev *dev)
{
	unsigned int i;

	if (dev == NULL)
		return;
	if (dev->engine != NULL)
		fbm_engine_remove(dev->engine, dev);
	fbm_wire_none(dev);

	fbm_dev_lock(dev);
	for (i = C_COUNT; i-- > 0;)
		fbm_comps[i].fini(dev);
	fbm_dev_unlock(dev);
	fbm_dev_free(dev);
}

const char *
fbm_name(const struct fbm_dev *dev)
{
	return dev->name;
}

/* Validate a host access; returns the word index or -1 (logged once). */
static int64_t
fbm_bar_index(struct fbm_dev *dev, unsigned int bar, uint64_t byte_off)
{
	uint64_t size;

	if (bar == 0)
		size = FBM_BAR0_SIZE;
	else if (bar == 4)
		size = FBM_BAR4_SIZE;
	else
		size = 0;

	if (byte_off < size && (byte_off & 3) == 0)
		return (int64_t)(byte_off >> 2);

	if (dev->bad_access++ == 0)
		fbm_log(dev, FBM_LOG_ERR, "invalid access BAR%u offset 0x%llx", bar,
			(unsigned long long)byte_off);
	return -1;
}

static uint32_t
fbm_bar0_read(struct fbm_dev *dev, uint32_t idx)
{
	const struct fbm_range *r;
	uint32_t val = 0;
	unsigned int i;

	if (idx == FBNIC_MASTER_SPARE_0)
		return 0;	/* dead-device probe: never all ones (fbnic_hw.rst 1) */
	if (idx < FBNIC_CSR_START_QM_TX && fbm_intr_read(dev, idx, &val))
		return val;
	if (fbm_pul_read(dev, idx, &val))
		return val;

	r = fbm_bar0_range(idx);
	for (i = 0; r != NULL && i < 2 && r->owner[i] != C_NONE; i++) {
		if (fbm_comps[r->owner[i]].read(dev, 0, idx, &val))
			return val;
	}
	return dev->regs0[idx];
}

static void
fbm_bar0_write(struct fbm_dev *dev, uint32_t idx, uint32_t val)
{
	const struct fbm_range *r;
	unsigned int i;

	if (idx == FBNIC_MASTER_SPARE_0)
		return;
	if (idx < FBNIC_CSR_START_QM_TX && fbm_intr_write(dev, idx, val))
		return;
	if (fbm_pul_write(dev, idx, val))
		return;

	r = fbm_bar0_range(idx);
	for (i = 0; r != NULL && i < 2 && r->owner[i] != C_NONE; i++) {
		if (fbm_comps[r->owner[i]].write(dev, 0, idx, val))
			return;
	}
	dev->regs0[idx] = val;
}

static uint32_t
fbm_bar4_read(struct fbm_dev *dev, uint32_t idx)
{
	uint32_t val = 0;

	if (fbm_fw_read(dev, 4, idx, &val))
		return val;
	return dev->regs4[idx];
}

static void
fbm_bar4_write(struct fbm_dev *dev, uint32_t idx, uint32_t val)
{
	if (!fbm_fw_write(dev, 4, idx, val))
		dev->regs4[idx] = val;
}

uint32_t
fbm_read32(struct fbm_dev *dev, unsigned int bar, uint64_t byte_off)
{
	int64_t idx;
	uint32_t val;

	if (fbm_fault_active(dev, FBM_FAULT_SURPRISE_REMOVAL) || !fbm_pci_mem_enabled(dev))
		return UINT32_MAX;
	idx = fbm_bar_index(dev, bar, byte_off);
	if (idx < 0)
		return UINT32_MAX;

	fbm_dev_lock(dev);
	fbm_dev_tick(dev);
	if (bar == 0)
		val = fbm_bar0_read(dev, (uint32_t)idx);
	else
		val = fbm_bar4_read(dev, (uint32_t)idx);
	fbm_stats_pcie_mmio_read(dev);
	fbm_dev_unlock(dev);
	return val;
}

void
fbm_write32(struct fbm_dev *dev, unsigned int bar, uint64_t byte_off, uint32_t val)
{
	int64_t idx;

	if (fbm_fault_active(dev, FBM_FAULT_SURPRISE_REMOVAL) || !fbm_pci_mem_enabled(dev))
		return;
	idx = fbm_bar_index(dev, bar, byte_off);
	if (idx < 0)
		return;

	/* Doorbells bypass the device lock (see fbm_internal.h). */
	if (bar == 0 && fbm_is_doorbell((uint32_t)idx)) {
		if (!fbm_queue_write(dev, 0, (uint32_t)idx, val))
			fbm_reg_set(dev, (uint32_t)idx, val);
		return;
	}

	fbm_dev_lock(dev);
	fbm_dev_tick(dev);
	if (bar == 0)
		fbm_bar0_write(dev, (uint32_t)idx, val);
	else
		fbm_bar4_write(dev, (uint32_t)idx, val);
	fbm_dev_unlock(dev);
}

unsigned int
fbm_poll(struct fbm_dev *dev, unsigned int budget)
{
	unsigned int done;

	if (fbm_fault_active(dev, FBM_FAULT_SURPRISE_REMOVAL))
		return 0;

	fbm_dev_lock(dev);
	dev->poll_now_ns = fbm_dev_tick(dev);
	done = fbm_queue_poll_tx(dev, budget);
	done += fbm_wire_rx(dev, budget);
	dev->poll_now_ns = 0;
	fbm_dev_unlock(dev);
	return done;
}
