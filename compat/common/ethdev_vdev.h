/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

/*
 * Driver-SDK compat: port allocation for a virtual device, with the
 * behaviour of ethdev_vdev.h from DPDK 22.11 to 25.11 (shared by every
 * compat set), plus the layout check of the new port against the loaded
 * librte_ethdev (fbnic_compat_abi_check()).
 */

#ifndef FBNIC_COMPAT_ETHDEV_VDEV_H
#define FBNIC_COMPAT_ETHDEV_VDEV_H

#include <rte_config.h>
#include <rte_malloc.h>
#include <bus_vdev_driver.h>
#include <ethdev_driver.h>

#ifdef __cplusplus
extern "C" {
#endif

static inline struct rte_eth_dev *
rte_eth_vdev_allocate(struct rte_vdev_device *dev, size_t private_data_size)
{
	const char *name = rte_vdev_device_name(dev);
	struct rte_eth_dev *eth_dev;

	eth_dev = rte_eth_dev_allocate(name);
	if (eth_dev == NULL)
		return NULL;
	/* Before anything writes to the port: the layout must be the library's. */
	if (fbnic_compat_abi_check(eth_dev, name) != 0) {
		rte_eth_dev_release_port(eth_dev);
		return NULL;
	}

	if (private_data_size != 0) {
		eth_dev->data->dev_private = rte_zmalloc_socket(name, private_data_size,
								RTE_CACHE_LINE_SIZE,
								dev->device.numa_node);
		if (eth_dev->data->dev_private == NULL) {
			rte_eth_dev_release_port(eth_dev);
			return NULL;
		}
	}

	eth_dev->device = &dev->device;
	eth_dev->intr_handle = NULL;
	eth_dev->data->numa_node = dev->device.numa_node;
	return eth_dev;
}

#ifdef __cplusplus
}
#endif

#endif /* FBNIC_COMPAT_ETHDEV_VDEV_H */
