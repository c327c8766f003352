/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

/*
 * Driver-SDK compat: helpers that create and destroy an ethdev port for a
 * PCI device, with the behaviour of ethdev_pci.h from DPDK 22.11 to 25.11
 * (shared by every compat set: the layouts come from the set's headers).
 * The generic probe also checks the port's layout against the loaded
 * librte_ethdev (fbnic_compat_abi_check()) before dev_init runs.
 */

#ifndef FBNIC_COMPAT_ETHDEV_PCI_H
#define FBNIC_COMPAT_ETHDEV_PCI_H

#include <errno.h>

#include <rte_config.h>
#include <rte_eal.h>
#include <rte_malloc.h>
#include <rte_pci.h>
#include <bus_pci_driver.h>
#include <ethdev_driver.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Copy interrupt handle, interrupt capability flags and NUMA node to the port. */
static inline void
rte_eth_copy_pci_info(struct rte_eth_dev *eth_dev, struct rte_pci_device *pci_dev)
{
	if (eth_dev == NULL || pci_dev == NULL)
		return;

	eth_dev->intr_handle = pci_dev->intr_handle;
	if (rte_eal_process_type() != RTE_PROC_PRIMARY)
		return;

	eth_dev->data->dev_flags = 0;
	if (pci_dev->driver->drv_flags & RTE_PCI_DRV_INTR_LSC)
		eth_dev->data->dev_flags |= RTE_ETH_DEV_INTR_LSC;
	if (pci_dev->driver->drv_flags & RTE_PCI_DRV_INTR_RMV)
		eth_dev->data->dev_flags |= RTE_ETH_DEV_INTR_RMV;
	eth_dev->data->numa_node = pci_dev->device.numa_node;
}

/*
 * Allocate the port of a PCI device (primary) or attach to it (secondary).
 * The private area is taken from the device's NUMA node when possible.
 */
static inline struct rte_eth_dev *
rte_eth_dev_pci_allocate(struct rte_pci_device *dev, size_t private_data_size)
{
	struct rte_eth_dev *eth_dev;
	const char *name;
	void *priv;

	if (dev == NULL)
		return NULL;
	name = dev->device.name;

	if (rte_eal_process_type() != RTE_PROC_PRIMARY) {
		eth_dev = rte_eth_dev_attach_secondary(name);
		if (eth_dev == NULL)
			return NULL;
	} else {
		eth_dev = rte_eth_dev_allocate(name);
		if (eth_dev == NULL)
			return NULL;
		if (private_data_size != 0) {
			priv = rte_zmalloc_socket(name, private_data_size, RTE_CACHE_LINE_SIZE,
						  dev->device.numa_node);
			if (priv == NULL)
				priv = rte_zmalloc(name, private_data_size, RTE_CACHE_LINE_SIZE);
			if (priv == NULL) {
				rte_eth_dev_release_port(eth_dev);
				return NULL;
			}
			eth_dev->data->dev_private = priv;
		}
	}

	eth_dev->device = &dev->device;
	rte_eth_copy_pci_info(eth_dev, dev);
	return eth_dev;
}

typedef int (*eth_dev_pci_callback_t)(struct rte_eth_dev *eth_dev);

static inline int
rte_eth_dev_pci_generic_probe(struct rte_pci_device *pci_dev, size_t private_data_size,
			      eth_dev_pci_callback_t dev_init)
{
	struct rte_eth_dev *eth_dev;
	int ret;

	if (dev_init == NULL)
		return -EINVAL;

	eth_dev = rte_eth_dev_pci_allocate(pci_dev, private_data_size);
	if (eth_dev == NULL)
		return -ENOMEM;
	/* Before the driver writes to the port (a secondary was checked on attach). */
	if (rte_eal_process_type() == RTE_PROC_PRIMARY) {
		ret = fbnic_compat_abi_check(eth_dev, pci_dev->device.name);
		if (ret != 0) {
			rte_eth_dev_release_port(eth_dev);
			return ret;
		}
	}

	ret = dev_init(eth_dev);
	if (ret != 0)
		rte_eth_dev_release_port(eth_dev);
	else
		rte_eth_dev_probing_finish(eth_dev);
	return ret;
}

static inline int
rte_eth_dev_pci_generic_remove(struct rte_pci_device *pci_dev,
			       eth_dev_pci_callback_t dev_uninit)
{
	struct rte_eth_dev *eth_dev;
	int ret;

	eth_dev = rte_eth_dev_allocated(pci_dev->device.name);
	if (eth_dev == NULL)
		return 0;

	/* A secondary may still see a port the primary already released. */
	if (rte_eal_process_type() == RTE_PROC_SECONDARY &&
	    eth_dev->state == RTE_ETH_DEV_UNUSED)
		return 0;

	if (dev_uninit != NULL) {
		ret = dev_uninit(eth_dev);
		if (ret != 0)
			return ret;
	}
	rte_eth_dev_release_port(eth_dev);
	return 0;
}

#ifdef __cplusplus
}
#endif

#endif /* FBNIC_COMPAT_ETHDEV_PCI_H */
