/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
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
#include <rte_memzone.h>
#include <ethdev_driver.h>

#include "fbnic_abi.h"
#include "fbnic_logs.h"

/* Memzone in which librte_ethdev keeps every port's rte_eth_dev_data. */
#define FBNIC_ETHDEV_DATA_MZ "rte_eth_dev_data"

/* Size of the rte_eth_devices[] array as the loaded library defines it. */
static int
fbnic_abi_devices_size(size_t *size)
{
	const ElfW(Sym) *sym;
	void *extra = NULL;
	Dl_info info;

	if (dladdr1(rte_eth_devices, &info, &extra, RTLD_DL_SYMENT) == 0 || extra == NULL)
		return -ENOENT;
	sym = extra;
	*size = sym->st_size;
	return 0;
}

static int
fbnic_abi_check_devices(void)
{
	size_t want = sizeof(struct rte_eth_dev) * RTE_MAX_ETHPORTS;
	size_t have;

	if (fbnic_abi_devices_size(&have) != 0) {
		PMD_INIT_LOG(WARNING, "cannot read the size of rte_eth_devices: check skipped");
		return 0;
	}
	if (have != want) {
		PMD_INIT_LOG(ERR,
			     "ethdev ABI mismatch: rte_eth_devices is %zu bytes in librte_ethdev, "
			     "%zu (%u x %zu) in this driver", have, want, RTE_MAX_ETHPORTS,
			     sizeof(struct rte_eth_dev));
		return -EPROTO;
	}
	return 0;
}

/*
 * The data memzone holds a small header then data[RTE_MAX_ETHPORTS], cache
 * aligned. Every port's data pointer must sit at header + port * size.
 */
static int
fbnic_abi_check_data(const struct rte_eth_dev *eth_dev)
{
	const struct rte_eth_dev_data *data = eth_dev->data;
	const struct rte_memzone *mz;
	uintptr_t base, off, stride = sizeof(struct rte_eth_dev_data);
	uint16_t port_id;

	mz = rte_memzone_lookup(FBNIC_ETHDEV_DATA_MZ);
	if (mz == NULL) {
		PMD_INIT_LOG(ERR, "ethdev ABI check: memzone %s not found", FBNIC_ETHDEV_DATA_MZ);
		return -EPROTO;
	}
	port_id = (uint16_t)(eth_dev - rte_eth_devices);
	base = (uintptr_t)mz->addr;
	off = (uintptr_t)data - base;
	if ((uintptr_t)data < base || off != RTE_CACHE_LINE_SIZE + port_id * stride ||
	    mz->len < RTE_CACHE_LINE_SIZE + RTE_MAX_ETHPORTS * stride) {
		PMD_INIT_LOG(ERR, "ethdev ABI mismatch: port %u data at offset %zu of a "
			     "%zu-byte memzone, expected %zu with sizeof(struct rte_eth_dev_data) "
			     "= %zu", port_id, (size_t)off, mz->len,
			     (size_t)(RTE_CACHE_LINE_SIZE + port_id * stride), (size_t)stride);
		return -EPROTO;
	}
	if (data->port_id != port_id || strcmp(data->name, eth_dev->device->name) != 0) {
		PMD_INIT_LOG(ERR, "ethdev ABI mismatch: port_id/name fields misplaced (%u/%.*s)",
			     data->port_id, RTE_ETH_NAME_MAX_LEN, data->name);
		return -EPROTO;
	}
	return 0;
}

int
fbnic_abi_check(const struct rte_eth_dev *eth_dev)
{
	int ret;

	ret = fbnic_abi_check_devices();
	if (ret == 0 && rte_eal_process_type() == RTE_PROC_PRIMARY)
		ret = fbnic_abi_check_data(eth_dev);
	if (ret == 0)
		PMD_INIT_LOG(DEBUG, "ethdev layout matches the loaded librte_ethdev");
	return ret;
}
