/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

/*
 * The PCI front end of the driver: the PCI ID table, the devargs of a PCI
 * port, the Device Serial Number and PCI Express settings read from the
 * configuration space, probe and remove, and the driver's registration.
 * Probe hands the BARs to fbnic_dev_init(), which PCI and model ports share.
 * The devarg helpers fbnic_devarg_bool() and fbnic_devarg_path() stay in
 * fbnic_ethdev.c: the model vdev parses its devargs with them too, and
 * fbnic_ethdev.c is the bus-independent part both front ends build on.
 */

#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_common.h>
#include <rte_kvargs.h>
#include <rte_pci.h>
#include <ethdev_driver.h>
#include <ethdev_pci.h>
#include <bus_pci_driver.h>

#include "fbnic_ethdev.h"
#include "fbnic_logs.h"
#include "fbnic_hw.h"
#include "fbnic_mac.h"

/* BARs of the device (fbnic_hw.rst 1). */
#define FBNIC_PCI_BAR0			0
#define FBNIC_PCI_BAR4			4
#define FBNIC_BAR0_MIN_LEN		(2u << 20)
#define FBNIC_BAR4_MIN_LEN		0x19000u

static const struct rte_pci_id pci_id_fbnic_map[] = {
	{ RTE_PCI_DEVICE(PCI_VENDOR_ID_META, PCI_DEVICE_ID_META_FBNIC_ASIC) },
	{ .vendor_id = 0 },
};

/* ---- Device arguments ------------------------------------------------------ */

/*
 * PCI devargs: rx_zero_copy, rx_path, tx_path, rx_coalesce_usecs,
 * rx_coalesce_frames. Unknown keys fail the probe.
 */
static int
fbnic_pci_parse_devargs(struct rte_pci_device *pci_dev, struct fbnic_devargs *da)
{
	const struct rte_devargs *devargs = pci_dev->device.devargs;
	struct rte_kvargs *kv;
	unsigned int i;
	int ret = 0;

	if (devargs == NULL || devargs->args == NULL || devargs->args[0] == '\0')
		return 0;
	kv = rte_kvargs_parse(devargs->args, NULL);
	if (kv == NULL) {
		PMD_INIT_LOG(ERR, "%s: cannot parse devargs '%s'", pci_dev->name, devargs->args);
		return -EINVAL;
	}
	for (i = 0; i < kv->count && ret == 0; i++) {
		const struct rte_kvargs_pair *pair = &kv->pairs[i];

		if (strcmp(pair->key, FBNIC_DEVARG_RX_ZERO_COPY) == 0) {
			ret = fbnic_devarg_bool(pair->key, pair->value, &da->rx_zero_copy);
		} else if (strcmp(pair->key, FBNIC_DEVARG_RX_PATH) == 0) {
			ret = fbnic_devarg_path(pair->key, pair->value, &da->rx_simd_max);
		} else if (strcmp(pair->key, FBNIC_DEVARG_TX_PATH) == 0) {
			ret = fbnic_devarg_path(pair->key, pair->value, &da->tx_simd_max);
		} else {
			ret = fbnic_intr_devarg(pair->key, pair->value, &da->intr);
			if (ret != -ENOENT)
				continue;
			PMD_INIT_LOG(ERR, "%s: unknown devarg %s=%s (known: %s, %s, %s, %s, %s)",
				     pci_dev->name, pair->key,
				     pair->value != NULL ? pair->value : "",
				     FBNIC_DEVARG_RX_ZERO_COPY, FBNIC_DEVARG_RX_PATH,
				     FBNIC_DEVARG_TX_PATH, FBNIC_DEVARG_RX_COALESCE_USECS,
				     FBNIC_DEVARG_RX_COALESCE_FRAMES);
			ret = -EINVAL;
		}
	}
	rte_kvargs_free(kv);
	return ret;
}

/* ---- PCI -------------------------------------------------------------------- */

/* The 64-bit Device Serial Number from its extended capability. */
static int
fbnic_pci_read_dsn(struct rte_pci_device *pci_dev, uint64_t *dsn)
{
	uint32_t lo, hi;
	off_t pos;

	pos = rte_pci_find_ext_capability(pci_dev, RTE_PCI_EXT_CAP_ID_DSN);
	if (pos <= 0)
		return -ENOENT;
	if (rte_pci_read_config(pci_dev, &lo, sizeof(lo), pos + 4) != sizeof(lo) ||
	    rte_pci_read_config(pci_dev, &hi, sizeof(hi), pos + 8) != sizeof(hi))
		return -EIO;
	*dsn = (uint64_t)rte_le_to_cpu_32(hi) << 32 | rte_le_to_cpu_32(lo);
	return 0;
}

/* PCI configuration space: capability list pointer and the PCI Express capability. */
#define FBNIC_PCI_CAP_PTR		0x34
#define FBNIC_PCI_CAP_ID_EXP		0x10
#define FBNIC_PCI_CAP_MAX		48

/* Offset of the PCI Express capability, or 0 (bounded walk of the list). */
static off_t
fbnic_pci_find_pcie_cap(struct rte_pci_device *pci_dev)
{
	uint8_t pos, hdr[2];
	unsigned int i;

	if (rte_pci_read_config(pci_dev, &pos, 1, FBNIC_PCI_CAP_PTR) != 1)
		return 0;
	for (i = 0; i < FBNIC_PCI_CAP_MAX && pos >= 0x40; i++) {
		pos &= ~3u;
		if (rte_pci_read_config(pci_dev, hdr, sizeof(hdr), pos) != sizeof(hdr))
			return 0;
		if (hdr[0] == FBNIC_PCI_CAP_ID_EXP)
			return pos;
		pos = hdr[1];
	}
	return 0;
}

/* Max payload / read request sizes from the PCI Express capability. */
static void
fbnic_pci_read_pcie(struct rte_pci_device *pci_dev, struct fbnic_pcie_cfg *cfg)
{
	uint16_t devctl;
	off_t pos;

	memset(cfg, 0, sizeof(*cfg));
	pos = fbnic_pci_find_pcie_cap(pci_dev);
	if (pos <= 0)
		return;
	if (rte_pci_read_config(pci_dev, &devctl, sizeof(devctl), pos + RTE_PCI_EXP_DEVCTL) !=
	    sizeof(devctl))
		return;
	devctl = rte_le_to_cpu_16(devctl);
	/* Both fields encode 128 << n; the device handles 128..1024. */
	cfg->mps = (uint16_t)(128u << RTE_MIN((devctl >> 5) & 0x7u, 3u));
	cfg->mrrs = (uint16_t)(128u << RTE_MIN((devctl >> 12) & 0x7u, 3u));
	cfg->cls = RTE_CACHE_LINE_SIZE;
}

static int
fbnic_pci_dev_init(struct rte_eth_dev *eth_dev)
{
	struct rte_pci_device *pci_dev = RTE_CLASS_TO_BUS_DEVICE(eth_dev, *pci_dev);
	struct fbnic_dev_init_params p;
	const char *name = eth_dev->data->name;
	int ret;

	if (!fbnic_is_primary())
		return fbnic_dev_init_secondary(eth_dev);

	memset(&p, 0, sizeof(p));
	p.bar0 = pci_dev->mem_resource[FBNIC_PCI_BAR0].addr;
	p.bar4 = pci_dev->mem_resource[FBNIC_PCI_BAR4].addr;
	if (p.bar0 == NULL || p.bar4 == NULL ||
	    pci_dev->mem_resource[FBNIC_PCI_BAR0].len < FBNIC_BAR0_MIN_LEN ||
	    pci_dev->mem_resource[FBNIC_PCI_BAR4].len < FBNIC_BAR4_MIN_LEN) {
		PMD_INIT_LOG(ERR, "%s: BAR0 (%" PRIu64 " bytes) or BAR4 (%" PRIu64
			     " bytes) missing or too small", name,
			     pci_dev->mem_resource[FBNIC_PCI_BAR0].len,
			     pci_dev->mem_resource[FBNIC_PCI_BAR4].len);
		return -ENODEV;
	}
	p.dsn_valid = fbnic_pci_read_dsn(pci_dev, &p.dsn) == 0;
	fbnic_pci_read_pcie(pci_dev, &p.pcie);
	p.devargs.link_hold_off_ms = FBNIC_LINK_HOLD_OFF_MS;
	ret = fbnic_pci_parse_devargs(pci_dev, &p.devargs);
	if (ret != 0)
		return ret;

	ret = rte_pci_set_bus_master(pci_dev, true);
	if (ret != 0) {
		PMD_INIT_LOG(ERR, "%s: cannot enable bus mastering: %d", name, ret);
		return ret;
	}
	return fbnic_dev_init(eth_dev, &p);
}

static int
fbnic_pci_probe(struct rte_pci_driver *pci_drv __rte_unused, struct rte_pci_device *pci_dev)
{
	PMD_INIT_LOG(DEBUG, "probing %s", pci_dev->name);
	return rte_eth_dev_pci_generic_probe(pci_dev, sizeof(struct fbnic_adapter),
					     fbnic_pci_dev_init);
}

static int
fbnic_pci_dev_uninit(struct rte_eth_dev *eth_dev)
{
	return fbnic_dev_close(eth_dev);
}

static int
fbnic_pci_remove(struct rte_pci_device *pci_dev)
{
	return rte_eth_dev_pci_generic_remove(pci_dev, fbnic_pci_dev_uninit);
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
RTE_PMD_REGISTER_PARAM_STRING(net_fbnic, FBNIC_DEVARG_RX_ZERO_COPY "=<0|1> "
			      FBNIC_DEVARG_RX_PATH "=<" FBNIC_DEVARG_PATH_VALUES "> "
			      FBNIC_DEVARG_TX_PATH "=<" FBNIC_DEVARG_PATH_VALUES "> "
			      FBNIC_DEVARG_RX_COALESCE_USECS "=<0-16383> "
			      FBNIC_DEVARG_RX_COALESCE_FRAMES "=<0-16383>");
