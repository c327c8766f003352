/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

/*
 * PCIe function: configuration space, MSI-X delivery and the PUL_USER block
 * (fbnic_hw.rst 1, 6.2).
 *
 * Config space layout (our choice; only the capabilities matter):
 *   0x00  type 0 header, BAR0 (64-bit, 2 MiB) at 0x10, BAR4 (64-bit, 1 MiB) at 0x20
 *   0x40  PCI Express capability v2, endpoint, FLR capable
 *   0x80  MSI-X capability, FBM_MSIX_VECTORS vectors, table/PBA in BAR4
 *   0x100 Device Serial Number extended capability
 * The function starts enumerated: memory decode and bus mastering enabled,
 * the way the host OS leaves a device before a user-space driver binds it.
 */

#include <string.h>

#include "fbm_internal.h"

#define PCI_COMMAND		0x04
#define PCI_COMMAND_MEMORY	0x0002
#define PCI_COMMAND_MASTER	0x0004
#define PCI_STATUS		0x06
#define PCI_STATUS_CAP_LIST	0x0010
#define PCI_BAR(n)		(0x10 + 4 * (n))
#define PCI_BAR_MEM64		0x4

#define FBM_CAP_PCIE		0x40
#define FBM_CAP_MSIX		0x80
#define FBM_ECAP_DSN		0x100

#define PCIE_DEVCTL		(FBM_CAP_PCIE + 0x08)
#define PCIE_DEVCTL_FLR		0x8000
#define MSIX_CTRL		(FBM_CAP_MSIX + 0x02)
#define MSIX_CTRL_ENABLE	0x8000
#define MSIX_CTRL_FMASK		0x4000

#define FBM_MSIX_TABLE_OFF	0x40000		/* in BAR4 */
#define FBM_MSIX_PBA_OFF	0x48000		/* in BAR4 */

/* Bytes the host may write (1 = writable bit); built once per device. */
static uint8_t fbm_cfg_wmask[FBM_CFG_SIZE];
static pthread_once_t fbm_cfg_wmask_once = PTHREAD_ONCE_INIT;

static void
put8(uint8_t *c, unsigned int off, uint8_t v)
{
	c[off] = v;
}

static void
put16(uint8_t *c, unsigned int off, uint16_t v)
{
	c[off] = v & 0xff;
	c[off + 1] = v >> 8;
}

static void
put32(uint8_t *c, unsigned int off, uint32_t v)
{
	put16(c, off, v & 0xffff);
	put16(c, off + 2, v >> 16);
}

static uint16_t
get16(const uint8_t *c, unsigned int off)
{
	return c[off] | (uint16_t)(c[off + 1] << 8);
}

static void
fbm_cfg_wmask_build(void)
{
	uint8_t *m = fbm_cfg_wmask;

	put16(m, PCI_COMMAND, 0x0547);		/* IO, MEM, MASTER, PERR, SERR, INTX_DIS */
	put8(m, 0x0c, 0xff);			/* cache line size */
	put32(m, PCI_BAR(0), ~(FBM_BAR0_SIZE - 1));
	put32(m, PCI_BAR(1), 0xffffffff);
	put32(m, PCI_BAR(4), ~(FBM_BAR4_SIZE - 1));
	put32(m, PCI_BAR(5), 0xffffffff);
	put8(m, 0x3c, 0xff);			/* interrupt line */
	put16(m, PCIE_DEVCTL, 0x7fff);		/* FLR is an action, not stored */
	put16(m, FBM_CAP_PCIE + 0x10, 0x0ffb);	/* link control */
	put16(m, FBM_CAP_PCIE + 0x28, 0xffff);	/* device control 2 */
	put16(m, FBM_CAP_PCIE + 0x30, 0x000f);	/* link control 2: target speed */
	put16(m, MSIX_CTRL, MSIX_CTRL_ENABLE | MSIX_CTRL_FMASK);
}

/* Power-on config space. */
static void
fbm_cfg_build(struct fbm_dev *dev)
{
	uint8_t *c = dev->pci.cfg;

	memset(c, 0, FBM_CFG_SIZE);
	put16(c, 0x00, FBNIC_PCI_VENDOR_ID_META);
	put16(c, 0x02, FBNIC_PCI_DEVICE_ID_ASIC);
	put16(c, PCI_COMMAND, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
	put16(c, PCI_STATUS, PCI_STATUS_CAP_LIST);
	put8(c, 0x08, 0x01);			/* revision */
	put8(c, 0x09, 0x00);			/* class 0x020000: Ethernet controller */
	put8(c, 0x0a, 0x00);
	put8(c, 0x0b, 0x02);
	put32(c, PCI_BAR(0), PCI_BAR_MEM64);
	put32(c, PCI_BAR(4), PCI_BAR_MEM64);
	put16(c, 0x2c, FBNIC_PCI_VENDOR_ID_META);
	put16(c, 0x2e, FBNIC_PCI_DEVICE_ID_ASIC);
	put8(c, 0x34, FBM_CAP_PCIE);
	put8(c, 0x3d, 0x01);			/* INTA */

	/* PCI Express capability v2, endpoint. */
	put8(c, FBM_CAP_PCIE, 0x10);
	put8(c, FBM_CAP_PCIE + 1, FBM_CAP_MSIX);
	put16(c, FBM_CAP_PCIE + 0x02, 0x0002);
	put32(c, FBM_CAP_PCIE + 0x04, 0x10008002);	/* FLR, RBER, MPS 512 */
	put16(c, PCIE_DEVCTL, 0x2810);		/* MRRS 512, no snoop, relaxed ord. */
	put32(c, FBM_CAP_PCIE + 0x0c, 0x00000104);	/* x16, 16 GT/s */
	put16(c, FBM_CAP_PCIE + 0x12, 0x0104);
	put32(c, FBM_CAP_PCIE + 0x2c, 0x0000001e);	/* 2.5 .. 16 GT/s */
	put16(c, FBM_CAP_PCIE + 0x30, 0x0004);

	/* MSI-X. */
	put8(c, FBM_CAP_MSIX, 0x11);
	put8(c, FBM_CAP_MSIX + 1, 0x00);
	put16(c, MSIX_CTRL, (FBM_MSIX_VECTORS - 1) |
	      (dev->cfg.msix_enable ? MSIX_CTRL_ENABLE : 0));
	put32(c, FBM_CAP_MSIX + 0x04, FBM_MSIX_TABLE_OFF | 4);
	put32(c, FBM_CAP_MSIX + 0x08, FBM_MSIX_PBA_OFF | 4);

	/* Device Serial Number: ID 0x0003, version 1, last capability. */
	put32(c, FBM_ECAP_DSN, 0x00010003);
	put32(c, FBM_ECAP_DSN + 4, (uint32_t)dev->cfg.dsn);
	put32(c, FBM_ECAP_DSN + 8, (uint32_t)(dev->cfg.dsn >> 32));
}

void
fbm_pci_init(struct fbm_dev *dev)
{
	pthread_once(&fbm_cfg_wmask_once, fbm_cfg_wmask_build);
	fbm_cfg_build(dev);
}

void
fbm_pci_reset(struct fbm_dev *dev)
{
	struct fbm_pci *p = &dev->pci;

	p->aw_cfg = 0;
	p->ar_cfg = 0;
	memset(p->msix_pending, 0, sizeof(p->msix_pending));
}

bool
fbm_pci_mem_enabled(struct fbm_dev *dev)
{
	return (get16(dev->pci.cfg, PCI_COMMAND) & PCI_COMMAND_MEMORY) != 0;
}

static bool
fbm_msix_can_send(struct fbm_dev *dev)
{
	uint16_t ctrl = get16(dev->pci.cfg, MSIX_CTRL);

	return (ctrl & (MSIX_CTRL_ENABLE | MSIX_CTRL_FMASK)) == MSIX_CTRL_ENABLE;
}

static void
fbm_msix_deliver(struct fbm_dev *dev, unsigned int vector)
{
	dev->pci.msix_delivered++;
	if (dev->ops.msix != NULL)
		dev->ops.msix(dev->ops.ctx, vector);
}

/* A message from the INTR block; held in the PBA while MSI-X is off or masked. */
void
fbm_pci_msix_send(struct fbm_dev *dev, unsigned int vector)
{
	if (vector >= FBM_MSIX_VECTORS) {
		dev->pci.msix_dropped++;
		return;
	}
	if (!fbm_msix_can_send(dev)) {
		dev->pci.msix_pending[vector / 64] |= UINT64_C(1) << (vector % 64);
		return;
	}
	fbm_msix_deliver(dev, vector);
}

static void
fbm_msix_flush_pending(struct fbm_dev *dev)
{
	unsigned int w;

	if (!fbm_msix_can_send(dev))
		return;
	for (w = 0; w < FBM_MSIX_VECTORS / 64; w++) {
		uint64_t pend = dev->pci.msix_pending[w];

		dev->pci.msix_pending[w] = 0;
		while (pend != 0) {
			unsigned int b = __builtin_ctzll(pend);

			pend &= pend - 1;
			fbm_msix_deliver(dev, w * 64 + b);
		}
	}
}

static bool
fbm_cfg_range_ok(unsigned int off, unsigned int len)
{
	return len > 0 && off < FBM_CFG_SIZE && len <= FBM_CFG_SIZE - off;
}

int
fbm_cfg_read(struct fbm_dev *dev, unsigned int off, void *buf, unsigned int len)
{
	if (buf == NULL || !fbm_cfg_range_ok(off, len))
		return -EINVAL;
	if (fbm_fault_active(dev, FBM_FAULT_SURPRISE_REMOVAL)) {
		memset(buf, 0xff, len);
		return 0;
	}
	fbm_dev_lock(dev);
	memcpy(buf, &dev->pci.cfg[off], len);
	fbm_dev_unlock(dev);
	return 0;
}

static bool
fbm_cfg_touches(unsigned int off, unsigned int len, unsigned int reg)
{
	return reg >= off && reg < off + len;
}

/* Function level reset (fbnic_hw.rst 5.5): device state back to power-on. */
static void
fbm_pci_flr(struct fbm_dev *dev)
{
	fbm_log(dev, FBM_LOG_INFO, "function level reset");
	fbm_reset(dev);
	put16(dev->pci.cfg, PCI_COMMAND, 0);
	put16(dev->pci.cfg, MSIX_CTRL, FBM_MSIX_VECTORS - 1);
	put16(dev->pci.cfg, PCIE_DEVCTL, 0x2810);
}

int
fbm_cfg_write(struct fbm_dev *dev, unsigned int off, const void *buf, unsigned int len)
{
	const uint8_t *b = buf;
	bool flr = false;
	unsigned int i;

	if (buf == NULL || !fbm_cfg_range_ok(off, len))
		return -EINVAL;
	if (fbm_fault_active(dev, FBM_FAULT_SURPRISE_REMOVAL))
		return 0;

	fbm_dev_lock(dev);
	for (i = 0; i < len; i++) {
		uint8_t m = fbm_cfg_wmask[off + i];
		uint8_t *c = &dev->pci.cfg[off + i];

		*c = (*c & ~m) | (b[i] & m);
		if (off + i == PCIE_DEVCTL + 1 && (b[i] & (PCIE_DEVCTL_FLR >> 8)))
			flr = true;
	}
	if (flr)
		fbm_pci_flr(dev);
	else if (fbm_cfg_touches(off, len, MSIX_CTRL + 1))
		fbm_msix_flush_pending(dev);
	fbm_dev_unlock(dev);
	return 0;
}

/* Device DMA allowed? Needs PCI bus mastering and the PUL BME of the direction. */
bool
fbm_dma_enabled(struct fbm_dev *dev, bool to_host)
{
	uint32_t cfg = to_host ? __atomic_load_n(&dev->pci.aw_cfg, __ATOMIC_RELAXED) :
				 __atomic_load_n(&dev->pci.ar_cfg, __ATOMIC_RELAXED);

	if (!(get16(dev->pci.cfg, PCI_COMMAND) & PCI_COMMAND_MASTER))
		return false;
	return to_host ? (cfg & FBNIC_PUL_OB_TLP_HDR_AW_CFG_BME) != 0 :
			 (cfg & FBNIC_PUL_OB_TLP_HDR_AR_CFG_BME) != 0;
}

/*
 * PUL_OB_TLP_HDR_AW_CFG / AR_CFG (fbnic_hw.rst 6.2). FLUSH and FLUSH_MODE are
 * actions: outstanding DMA drains at once in the model, so they read back 0.
 */
bool
fbm_pul_read(struct fbm_dev *dev, uint32_t idx, uint32_t *val)
{
	if (idx == FBNIC_PUL_OB_TLP_HDR_AW_CFG)
		*val = dev->pci.aw_cfg;
	else if (idx == FBNIC_PUL_OB_TLP_HDR_AR_CFG)
		*val = dev->pci.ar_cfg;
	else
		return false;
	return true;
}

bool
fbm_pul_write(struct fbm_dev *dev, uint32_t idx, uint32_t val)
{
	uint32_t keep;

	if (idx == FBNIC_PUL_OB_TLP_HDR_AW_CFG) {
		keep = FBNIC_PUL_OB_TLP_HDR_AW_CFG_BME | FBNIC_PUL_OB_TLP_HDR_AW_CFG_RDE_ATTR |
		       FBNIC_PUL_OB_TLP_HDR_AW_CFG_RQM_ATTR | FBNIC_PUL_OB_TLP_HDR_AW_CFG_TQM_ATTR;
		__atomic_store_n(&dev->pci.aw_cfg, val & keep, __ATOMIC_RELAXED);
	} else if (idx == FBNIC_PUL_OB_TLP_HDR_AR_CFG) {
		keep = FBNIC_PUL_OB_TLP_HDR_AR_CFG_BME | FBNIC_PUL_OB_TLP_HDR_AR_CFG_TDE_ATTR |
		       FBNIC_PUL_OB_TLP_HDR_AR_CFG_RQM_ATTR | FBNIC_PUL_OB_TLP_HDR_AR_CFG_TQM_ATTR;
		__atomic_store_n(&dev->pci.ar_cfg, val & keep, __ATOMIC_RELAXED);
	} else {
		return false;
	}
	return true;
}
