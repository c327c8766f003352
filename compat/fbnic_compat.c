/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

/*
 * The compat layer's code (see fbnic_compat.h): the probe-time layout
 * check and the trampolines of the eth_dev_ops slots whose signature the
 * installed DPDK calls differently from main. Built only with a compat set.
 */

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dlfcn.h>
#include <elf.h>
#include <errno.h>
#include <link.h>
#include <string.h>

#include <rte_ethdev.h>
#include <rte_log.h>
#include <rte_memzone.h>
#include <rte_spinlock.h>
#include <ethdev_driver.h>

#include "fbnic_compat.h"

/* The ELF symbol of this machine's word size. */
typedef ElfW(Sym) elf_sym_t;

/* Logs go to the driver's init log type when the driver is linked in. */
#define COMPAT_LOG(level, ...) \
	rte_log(RTE_LOG_ ## level, fbnic_compat_logtype, "fbnic_compat: " __VA_ARGS__)

RTE_LOG_REGISTER_SUFFIX(fbnic_compat_logtype, compat, NOTICE);

/* Memzone in which librte_ethdev keeps every port's rte_eth_dev_data. */
#define COMPAT_ETHDEV_DATA_MZ "rte_eth_dev_data"

/* Size of rte_eth_devices[] as the loaded library defines it. */
static int
compat_devices_size(size_t *size)
{
	const elf_sym_t *sym;
	void *extra = NULL;
	Dl_info info;

	if (dladdr1(rte_eth_devices, &info, &extra, RTLD_DL_SYMENT) == 0 || extra == NULL)
		return -ENOENT;
	sym = extra;
	*size = sym->st_size;
	return 0;
}

static int
compat_check_devices(void)
{
	size_t want = sizeof(struct rte_eth_dev) * RTE_MAX_ETHPORTS;
	size_t have;

	if (compat_devices_size(&have) != 0) {
		COMPAT_LOG(WARNING, "cannot read the size of rte_eth_devices: check skipped\n");
		return 0;
	}
	if (have != want) {
		COMPAT_LOG(ERR, "ethdev ABI mismatch: rte_eth_devices is %zu bytes in "
			   "librte_ethdev, %zu (%u x %zu) in this driver\n", have, want,
			   RTE_MAX_ETHPORTS, sizeof(struct rte_eth_dev));
		return -EPROTO;
	}
	return 0;
}

/*
 * The data memzone holds a cache line of header then data[RTE_MAX_ETHPORTS]:
 * every port's data pointer must sit at header + port * size.
 */
static int
compat_check_data(const struct rte_eth_dev *dev, const char *name)
{
	const struct rte_eth_dev_data *data = dev->data;
	const struct rte_memzone *mz;
	uintptr_t base, off, stride = sizeof(struct rte_eth_dev_data);
	uint16_t port_id;

	mz = rte_memzone_lookup(COMPAT_ETHDEV_DATA_MZ);
	if (mz == NULL) {
		COMPAT_LOG(ERR, "ethdev ABI check: memzone %s not found\n",
			   COMPAT_ETHDEV_DATA_MZ);
		return -EPROTO;
	}
	port_id = (uint16_t)(dev - rte_eth_devices);
	base = (uintptr_t)mz->addr;
	off = (uintptr_t)data - base;
	if ((uintptr_t)data < base || off != RTE_CACHE_LINE_SIZE + port_id * stride ||
	    mz->len < RTE_CACHE_LINE_SIZE + RTE_MAX_ETHPORTS * stride) {
		COMPAT_LOG(ERR, "ethdev ABI mismatch: port %u data at offset %zu of a %zu-byte "
			   "memzone, expected %zu with sizeof(struct rte_eth_dev_data) = %zu\n",
			   port_id, (size_t)off, mz->len,
			   (size_t)(RTE_CACHE_LINE_SIZE + port_id * stride), (size_t)stride);
		return -EPROTO;
	}
	if (data->port_id != port_id || strncmp(data->name, name, RTE_ETH_NAME_MAX_LEN) != 0) {
		COMPAT_LOG(ERR, "ethdev ABI mismatch: port_id/name fields misplaced (%u/%.*s)\n",
			   data->port_id, RTE_ETH_NAME_MAX_LEN, data->name);
		return -EPROTO;
	}
	return 0;
}

int
fbnic_compat_abi_check(const struct rte_eth_dev *dev, const char *name)
{
	int ret;

	if (dev == NULL || name == NULL)
		return -EINVAL;
	ret = compat_check_devices();
	if (ret == 0 && rte_eal_process_type() == RTE_PROC_PRIMARY)
		ret = compat_check_data(dev, name);
	if (ret == 0)
		COMPAT_LOG(DEBUG, "%s: ethdev layout matches the loaded librte_ethdev\n", name);
	return ret;
}

#if defined(FBNIC_COMPAT_STATS_GET_V1) || defined(FBNIC_COMPAT_PTYPES_GET_V1)

/* Driver tables adapted so far: the driver's own, and its copy with trampolines. */
#define COMPAT_MAX_TABLES 4

static struct {
	const struct eth_dev_ops *drv;
	struct eth_dev_ops ops;
} compat_tables[COMPAT_MAX_TABLES];
static unsigned int compat_nb_tables;
static rte_spinlock_t compat_lock = RTE_SPINLOCK_INITIALIZER;

#ifdef FBNIC_COMPAT_STATS_GET_V1
/* The library wants the per-queue counters in struct rte_eth_stats. */
static int
compat_stats_get_v1(struct rte_eth_dev *dev, struct rte_eth_stats *stats)
{
	struct eth_queue_stats qstats;
	unsigned int i;
	int ret;

	memset(&qstats, 0, sizeof(qstats));
	ret = dev->dev_ops->stats_get(dev, stats, &qstats);
	if (ret != 0)
		return ret;
	for (i = 0; i < RTE_ETHDEV_QUEUE_STAT_CNTRS; i++) {
		stats->q_ipackets[i] = qstats.q_ipackets[i];
		stats->q_opackets[i] = qstats.q_opackets[i];
		stats->q_ibytes[i] = qstats.q_ibytes[i];
		stats->q_obytes[i] = qstats.q_obytes[i];
		stats->q_errors[i] = qstats.q_errors[i];
	}
	return 0;
}
#endif

#ifdef FBNIC_COMPAT_PTYPES_GET_V1
/*
 * The library walks a packet type list up to RTE_PTYPE_UNKNOWN, where main
 * returns its length: each port gets a terminated copy of the driver's list.
 */
#define COMPAT_PTYPES_MAX 64

static uint32_t compat_ptypes[2][RTE_MAX_ETHPORTS][COMPAT_PTYPES_MAX + 1];

static const uint32_t *
compat_ptypes_terminated(struct rte_eth_dev *dev, unsigned int which, const uint32_t *list,
			 size_t n)
{
	uint32_t *out = compat_ptypes[which][dev->data->port_id];
	size_t i;

	if (list == NULL)
		return NULL;
	if (n > COMPAT_PTYPES_MAX) {
		COMPAT_LOG(WARNING, "port %u: %zu packet types, only %u reported\n",
			   dev->data->port_id, n, COMPAT_PTYPES_MAX);
		n = COMPAT_PTYPES_MAX;
	}
	for (i = 0; i < n && list[i] != RTE_PTYPE_UNKNOWN; i++)
		out[i] = list[i];
	out[i] = RTE_PTYPE_UNKNOWN;
	return out;
}

static const uint32_t *
compat_ptypes_get_v1(struct rte_eth_dev *dev)
{
	size_t n = 0;
	const uint32_t *list = dev->dev_ops->dev_supported_ptypes_get(dev, &n);

	return compat_ptypes_terminated(dev, 0, list, n);
}

static const uint32_t *
compat_split_ptypes_get_v1(struct rte_eth_dev *dev)
{
	size_t n = 0;
	const uint32_t *list = dev->dev_ops->buffer_split_supported_hdr_ptypes_get(dev, &n);

	return compat_ptypes_terminated(dev, 1, list, n);
}
#endif

static void
compat_fill_abi_slots(struct eth_dev_ops *ops)
{
#ifdef FBNIC_COMPAT_STATS_GET_V1
	ops->abi_stats_get = ops->stats_get != NULL ? compat_stats_get_v1 : NULL;
#endif
#ifdef FBNIC_COMPAT_PTYPES_GET_V1
	ops->abi_dev_supported_ptypes_get =
		ops->dev_supported_ptypes_get != NULL ? compat_ptypes_get_v1 : NULL;
	ops->abi_buffer_split_supported_hdr_ptypes_get =
		ops->buffer_split_supported_hdr_ptypes_get != NULL ?
		compat_split_ptypes_get_v1 : NULL;
#endif
}

void
fbnic_compat_ops_adapt(struct rte_eth_dev *dev)
{
	const struct eth_dev_ops *drv;
	unsigned int i;

	if (dev == NULL || dev->dev_ops == NULL)
		return;
	drv = dev->dev_ops;
	rte_spinlock_lock(&compat_lock);
	for (i = 0; i < compat_nb_tables; i++) {
		if (drv == &compat_tables[i].ops || drv == compat_tables[i].drv)
			break;
	}
	if (i == compat_nb_tables) {
		if (i == COMPAT_MAX_TABLES) {
			rte_spinlock_unlock(&compat_lock);
			COMPAT_LOG(ERR, "port %u: more than %u driver tables: callbacks with an "
				   "older signature stay unavailable\n", dev->data->port_id,
				   COMPAT_MAX_TABLES);
			return;
		}
		compat_tables[i].drv = drv;
		compat_tables[i].ops = *drv;
		compat_fill_abi_slots(&compat_tables[i].ops);
		compat_nb_tables++;
	}
	dev->dev_ops = &compat_tables[i].ops;
	rte_spinlock_unlock(&compat_lock);
}

#else

void
fbnic_compat_ops_adapt(struct rte_eth_dev *dev)
{
	RTE_SET_USED(dev);
}

#endif
