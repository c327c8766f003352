/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

/*
 * Driver-SDK compat: virtual device bus driver interface of DPDK 25.11
 * (the layouts are those of 22.11).
 */

#ifndef FBNIC_COMPAT_BUS_VDEV_DRIVER_H
#define FBNIC_COMPAT_BUS_VDEV_DRIVER_H

#include <rte_compat.h>
#include <rte_bus_vdev.h>
#include <rte_devargs.h>
#include <dev_driver.h>

#ifdef __cplusplus
extern "C" {
#endif

struct rte_vdev_device {
	RTE_TAILQ_ENTRY(rte_vdev_device) next;
	struct rte_device device;
};

#define RTE_DEV_TO_VDEV(ptr) container_of(ptr, struct rte_vdev_device, device)
#define RTE_DEV_TO_VDEV_CONST(ptr) container_of(ptr, const struct rte_vdev_device, device)
#define RTE_ETH_DEV_TO_VDEV(eth_dev) RTE_DEV_TO_VDEV((eth_dev)->device)

static inline const char *
rte_vdev_device_name(const struct rte_vdev_device *dev)
{
	return (dev != NULL) ? dev->device.name : NULL;
}

static inline const char *
rte_vdev_device_args(const struct rte_vdev_device *dev)
{
	if (dev == NULL || dev->device.devargs == NULL)
		return "";
	return dev->device.devargs->args;
}

typedef int (rte_vdev_probe_t)(struct rte_vdev_device *dev);
typedef int (rte_vdev_remove_t)(struct rte_vdev_device *dev);
typedef int (rte_vdev_dma_map_t)(struct rte_vdev_device *dev, void *addr, uint64_t iova,
				 size_t len);
typedef int (rte_vdev_dma_unmap_t)(struct rte_vdev_device *dev, void *addr, uint64_t iova,
				   size_t len);

struct rte_vdev_driver {
	RTE_TAILQ_ENTRY(rte_vdev_driver) next;
	struct rte_driver driver;
	rte_vdev_probe_t *probe;
	rte_vdev_remove_t *remove;
	rte_vdev_dma_map_t *dma_map;
	rte_vdev_dma_unmap_t *dma_unmap;
	uint32_t drv_flags;
};

#define RTE_VDEV_DRV_NEED_IOVA_AS_VA 0x0001

__rte_internal
void rte_vdev_register(struct rte_vdev_driver *driver);

__rte_internal
void rte_vdev_unregister(struct rte_vdev_driver *driver);

/* Register a vdev driver from a constructor and export its name to pmdinfo. */
#define RTE_PMD_REGISTER_VDEV(nm, vdrv) \
static const char *vdrvinit_ ## nm ## _alias; \
RTE_INIT(vdrvinitfn_ ##vdrv) \
{ \
	(vdrv).driver.name = RTE_STR(nm); \
	(vdrv).driver.alias = vdrvinit_ ## nm ## _alias; \
	rte_vdev_register(&vdrv); \
} \
RTE_PMD_EXPORT_NAME(nm)

#define RTE_PMD_REGISTER_ALIAS(nm, alias) \
static const char *vdrvinit_ ## nm ## _alias = RTE_STR(alias)

_Static_assert(sizeof(struct rte_vdev_device) == 10 * sizeof(void *), "rte_vdev_device size");
_Static_assert(sizeof(struct rte_vdev_driver) == 11 * sizeof(void *), "rte_vdev_driver size");

#ifdef __cplusplus
}
#endif

#endif /* FBNIC_COMPAT_BUS_VDEV_DRIVER_H */
