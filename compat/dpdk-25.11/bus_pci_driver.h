/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

/*
 * Driver-SDK compat: PCI bus driver interface of DPDK 25.11 (struct
 * rte_pci_device, struct rte_pci_driver, registration); the layouts are
 * those of 22.11. Symbols marked internal are exported by librte_bus_pci
 * with version INTERNAL.
 */

#ifndef FBNIC_COMPAT_BUS_PCI_DRIVER_H
#define FBNIC_COMPAT_BUS_PCI_DRIVER_H

#include <rte_compat.h>
#include <rte_bus_pci.h>
#include <dev_driver.h>

#ifdef __cplusplus
extern "C" {
#endif

__rte_internal
const char *rte_pci_get_sysfs_path(void);

/* Which kernel module owns the device. */
enum rte_pci_kernel_driver {
	RTE_PCI_KDRV_UNKNOWN = 0,
	RTE_PCI_KDRV_IGB_UIO,
	RTE_PCI_KDRV_VFIO,
	RTE_PCI_KDRV_UIO_GENERIC,
	RTE_PCI_KDRV_NIC_UIO,
	RTE_PCI_KDRV_NONE,
	RTE_PCI_KDRV_NET_UIO,
};

struct rte_pci_driver;

struct rte_pci_device {
	RTE_TAILQ_ENTRY(rte_pci_device) next;
	struct rte_device device;
	struct rte_pci_addr addr;
	struct rte_pci_id id;
	struct rte_mem_resource mem_resource[PCI_MAX_RESOURCE];
	struct rte_intr_handle *intr_handle;
	struct rte_pci_driver *driver;
	uint16_t max_vfs;
	enum rte_pci_kernel_driver kdrv;
	char name[PCI_PRI_STR_SIZE + 1];
	char *bus_info;
	struct rte_intr_handle *vfio_req_intr_handle;
};

#define RTE_DEV_TO_PCI(ptr) container_of(ptr, struct rte_pci_device, device)
#define RTE_DEV_TO_PCI_CONST(ptr) container_of(ptr, const struct rte_pci_device, device)
#define RTE_ETH_DEV_TO_PCI(eth_dev) RTE_DEV_TO_PCI((eth_dev)->device)

/* Initialiser for an ID table entry matching vendor and device only. */
#define RTE_PCI_DEVICE(vend, dev) \
	.class_id = RTE_CLASS_ANY_ID, \
	.vendor_id = (vend), \
	.device_id = (dev), \
	.subsystem_vendor_id = RTE_PCI_ANY_ID, \
	.subsystem_device_id = RTE_PCI_ANY_ID

typedef int (rte_pci_probe_t)(struct rte_pci_driver *, struct rte_pci_device *);
typedef int (rte_pci_remove_t)(struct rte_pci_device *);
typedef int (pci_dma_map_t)(struct rte_pci_device *dev, void *addr, uint64_t iova, size_t len);
typedef int (pci_dma_unmap_t)(struct rte_pci_device *dev, void *addr, uint64_t iova,
			      size_t len);

struct rte_pci_driver {
	RTE_TAILQ_ENTRY(rte_pci_driver) next;
	struct rte_driver driver;
	rte_pci_probe_t *probe;
	rte_pci_remove_t *remove;
	pci_dma_map_t *dma_map;
	pci_dma_unmap_t *dma_unmap;
	const struct rte_pci_id *id_table;
	uint32_t drv_flags;
};

#define RTE_PCI_DRV_NEED_MAPPING	0x0001
#define RTE_PCI_DRV_WC_ACTIVATE		0x0002
#define RTE_PCI_DRV_PROBE_AGAIN		0x0004
#define RTE_PCI_DRV_INTR_LSC		0x0008
#define RTE_PCI_DRV_INTR_RMV		0x0010
#define RTE_PCI_DRV_KEEP_MAPPED_RES	0x0020
#define RTE_PCI_DRV_NEED_IOVA_AS_VA	0x0040

__rte_internal
void rte_pci_register(struct rte_pci_driver *driver);

__rte_internal
void rte_pci_unregister(struct rte_pci_driver *driver);

/*
 * Register a PCI driver from a constructor and export its name to pmdinfo
 * (dev_driver.h's one-argument RTE_PMD_EXPORT_NAME since 25.11).
 */
#define RTE_PMD_REGISTER_PCI(nm, pci_drv) \
RTE_INIT(pciinitfn_ ##nm) \
{ \
	(pci_drv).driver.name = RTE_STR(nm); \
	rte_pci_register(&pci_drv); \
} \
RTE_PMD_EXPORT_NAME(nm)

_Static_assert(offsetof(struct rte_pci_device, device) == 2 * sizeof(void *),
	       "rte_pci_device.device offset");
_Static_assert(offsetof(struct rte_pci_device, mem_resource) == 104,
	       "rte_pci_device.mem_resource offset");
_Static_assert(offsetof(struct rte_pci_device, driver) == 256,
	       "rte_pci_device.driver offset");
_Static_assert(sizeof(struct rte_pci_device) == 312, "rte_pci_device size");
_Static_assert(offsetof(struct rte_pci_driver, drv_flags) == 88,
	       "rte_pci_driver.drv_flags offset");
_Static_assert(sizeof(struct rte_pci_driver) == 96, "rte_pci_driver size");

#ifdef __cplusplus
}
#endif

#endif /* FBNIC_COMPAT_BUS_PCI_DRIVER_H */
