/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

#include <errno.h>

#include <rte_common.h>
#include <rte_log.h>
#include <ethdev_driver.h>
#include <ethdev_pci.h>
#include <bus_pci_driver.h>

#include "fbnic_abi.h"
#include "fbnic_logs.h"

#define PCI_VENDOR_ID_META		0x1d9b
#define PCI_DEVICE_ID_META_FBNIC_ASIC	0x0013

RTE_LOG_REGISTER_SUFFIX(fbnic_logtype_init, init, NOTICE);
RTE_LOG_REGISTER_SUFFIX(fbnic_logtype_driver, driver, NOTICE);
RTE_LOG_REGISTER_SUFFIX(fbnic_logtype_rx, rx, NOTICE);
RTE_LOG_REGISTER_SUFFIX(fbnic_logtype_tx, tx, NOTICE);
RTE_LOG_REGISTER_SUFFIX(fbnic_logtype_mbox, mbox, NOTICE);
RTE_LOG_REGISTER_SUFFIX(fbnic_logtype_base, base, NOTICE);

static const struct rte_pci_id pci_id_fbnic_map[] = {
	{ RTE_PCI_DEVICE(PCI_VENDOR_ID_META, PCI_DEVICE_ID_META_FBNIC_ASIC) },
	{ .vendor_id = 0 },
};

static int
fbnic_pci_dev_init(struct rte_eth_dev *eth_dev)
{
	int ret;

	ret = fbnic_abi_check(eth_dev);
	if (ret != 0)
		return ret;

	PMD_INIT_LOG(ERR, "%s: device initialisation is not available yet",
		     eth_dev->data->name);
	return -ENOTSUP;
}

static int
fbnic_pci_probe(struct rte_pci_driver *pci_drv __rte_unused, struct rte_pci_device *pci_dev)
{
	PMD_INIT_LOG(DEBUG, "probing %s", pci_dev->name);
	return rte_eth_dev_pci_generic_probe(pci_dev, 0, fbnic_pci_dev_init);
}

static int
fbnic_pci_remove(struct rte_pci_device *pci_dev)
{
	return rte_eth_dev_pci_generic_remove(pci_dev, NULL);
}

static struct rte_pci_driver rte_fbnic_pmd = {
	.id_table = pci_id_fbnic_map,
	.drv_flags = RTE_PCI_DRV_NEED_MAPPING | RTE_PCI_DRV_INTR_LSC | RTE_PCI_DRV_INTR_RMV,
	.probe = fbnic_pci_probe,
	.remove = fbnic_pci_remove,
};

RTE_INIT(fbnic_announce)
{
	PMD_INIT_LOG(DEBUG, "net_fbnic PMD loaded: PCI %04x:%04x", PCI_VENDOR_ID_META,
		     PCI_DEVICE_ID_META_FBNIC_ASIC);
}

RTE_PMD_REGISTER_PCI(net_fbnic, rte_fbnic_pmd);
RTE_PMD_REGISTER_PCI_TABLE(net_fbnic, pci_id_fbnic_map);
RTE_PMD_REGISTER_KMOD_DEP(net_fbnic, "* vfio-pci");
