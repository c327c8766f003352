/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

/*
 * PCI configuration space (fbnic_hw.rst 1): identity, BAR sizing, command
 * register, capability lists, MSI-X size and the DSN the MAC comes from.
 */

#include <string.h>

#include "fbm_harness.h"

static uint32_t
cfg32(struct fbh *h, unsigned int off)
{
	uint32_t v = 0;

	TEST_CHECK_EQUAL(fbm_cfg_read(h->dev, off, &v, 4), 0);
	return v;
}

static void
cfg_wr32(struct fbh *h, unsigned int off, uint32_t v)
{
	TEST_CHECK_EQUAL(fbm_cfg_write(h->dev, off, &v, 4), 0);
}

/* Offset of standard capability id, or 0. Bounded walk. */
static unsigned int
find_cap(struct fbh *h, uint8_t id)
{
	unsigned int off = cfg32(h, 0x34) & 0xfc;
	unsigned int n;

	for (n = 0; n < 48 && off != 0; n++) {
		uint32_t hdr = cfg32(h, off);

		if ((hdr & 0xff) == id)
			return off;
		off = (hdr >> 8) & 0xfc;
	}
	return 0;
}

static unsigned int
find_ext_cap(struct fbh *h, uint16_t id)
{
	unsigned int off = 0x100;
	unsigned int n;

	for (n = 0; n < 64 && off >= 0x100; n++) {
		uint32_t hdr = cfg32(h, off);

		if ((hdr & 0xffff) == id)
			return off;
		off = hdr >> 20;
	}
	return 0;
}

static int
test_identity_is_meta_fbnic_ethernet_controller(void)
{
	struct fbh h;

	TEST_CHECK_EQUAL(fbh_init(&h, NULL, 0), 0);
	TEST_CHECK_EQUAL(cfg32(&h, 0x00), 0x00131d9b);
	TEST_CHECK_EQUAL(cfg32(&h, 0x08) >> 8, 0x020000);
	TEST_CHECK_EQUAL(cfg32(&h, 0x0c) >> 16 & 0x7f, 0);		/* type 0 header */
	TEST_CHECK((cfg32(&h, 0x04) >> 16) & 0x10);		/* capability list */
	fbh_fini(&h);
	return TEST_SUCCESS;
}

static int
test_bar_sizing_reports_2mib_and_1mib_64bit_bars(void)
{
	struct fbh h;

	TEST_CHECK_EQUAL(fbh_init(&h, NULL, 0), 0);
	cfg_wr32(&h, 0x10, UINT32_MAX);
	cfg_wr32(&h, 0x14, UINT32_MAX);
	TEST_CHECK_EQUAL(cfg32(&h, 0x10), ~(FBM_BAR0_SIZE - 1) | 0x4);
	TEST_CHECK_EQUAL(cfg32(&h, 0x14), UINT32_MAX);
	cfg_wr32(&h, 0x20, UINT32_MAX);
	TEST_CHECK_EQUAL(cfg32(&h, 0x20), ~(FBM_BAR4_SIZE - 1) | 0x4);
	cfg_wr32(&h, 0x18, UINT32_MAX);				/* BAR2 unimplemented */
	TEST_CHECK_EQUAL(cfg32(&h, 0x18), 0);
	/* Program addresses. */
	cfg_wr32(&h, 0x10, 0xfe000000);
	cfg_wr32(&h, 0x14, 0x00000001);
	TEST_CHECK_EQUAL(cfg32(&h, 0x10), 0xfe000004);
	TEST_CHECK_EQUAL(cfg32(&h, 0x14), 1);
	/* BAR accesses keep working: BARs are offsets for fbm_read32. */
	TEST_CHECK_EQUAL(fbh_rd(&h, FBNIC_MASTER_SPARE_0), 0);
	fbh_fini(&h);
	return TEST_SUCCESS;
}

static int
test_read_only_fields_ignore_writes(void)
{
	struct fbh h;

	TEST_CHECK_EQUAL(fbh_init(&h, NULL, 0), 0);
	cfg_wr32(&h, 0x00, 0x12345678);
	TEST_CHECK_EQUAL(cfg32(&h, 0x00), 0x00131d9b);
	cfg_wr32(&h, 0x08, 0);
	TEST_CHECK_EQUAL(cfg32(&h, 0x08) >> 8, 0x020000);
	TEST_CHECK_EQUAL(fbm_cfg_write(h.dev, FBM_CFG_SIZE - 2, "ab", 4), -EINVAL);
	TEST_CHECK_EQUAL(fbm_cfg_read(h.dev, FBM_CFG_SIZE, &h, 1), -EINVAL);
	TEST_CHECK_EQUAL(fbm_cfg_read(h.dev, 0, NULL, 4), -EINVAL);
	fbh_fini(&h);
	return TEST_SUCCESS;
}

static int
test_memory_decode_off_makes_bar_reads_all_ones(void)
{
	uint16_t cmd;
	struct fbh h;

	TEST_CHECK_EQUAL(fbh_init(&h, NULL, 0), 0);
	TEST_CHECK_EQUAL(fbm_cfg_read(h.dev, 0x04, &cmd, 2), 0);
	TEST_CHECK_EQUAL(cmd & 0x6, 0x6);				/* MEM | MASTER */
	cmd &= ~0x2;
	TEST_CHECK_EQUAL(fbm_cfg_write(h.dev, 0x04, &cmd, 2), 0);
	TEST_CHECK_EQUAL(fbh_rd(&h, FBNIC_MASTER_SPARE_0), UINT32_MAX);
	cmd |= 0x2;
	TEST_CHECK_EQUAL(fbm_cfg_write(h.dev, 0x04, &cmd, 2), 0);
	TEST_CHECK_EQUAL(fbh_rd(&h, FBNIC_MASTER_SPARE_0), 0);
	fbh_fini(&h);
	return TEST_SUCCESS;
}

static int
test_pcie_and_msix_capabilities_are_present(void)
{
	unsigned int pcie, msix;
	struct fbh h;

	TEST_CHECK_EQUAL(fbh_init(&h, NULL, 0), 0);
	pcie = find_cap(&h, 0x10);
	msix = find_cap(&h, 0x11);
	TEST_CHECK(pcie != 0);
	TEST_CHECK(msix != 0);
	/* Endpoint, FLR capable, MPS/MRRS in Device Control. */
	TEST_CHECK_EQUAL((cfg32(&h, pcie) >> 20) & 0xf, 0);
	TEST_CHECK(cfg32(&h, pcie + 4) & (1u << 28));
	TEST_CHECK_EQUAL((cfg32(&h, pcie + 8) >> 12) & 7, 2);	/* MRRS 512 */
	/* MSI-X: at least the 130 vectors Linux asks for. */
	TEST_CHECK((cfg32(&h, msix) >> 16 & 0x7ff) + 1 >= 130);
	fbh_fini(&h);
	return TEST_SUCCESS;
}

static int
test_dsn_capability_gives_the_mac_address(void)
{
	struct fbm_config cfg;
	uint8_t mac[6];
	unsigned int dsn;
	uint64_t v;
	struct fbh h;

	fbh_config_default(&cfg);
	cfg.dsn = 0x0a1b2cfffe3d4e5fULL;
	TEST_CHECK_EQUAL(fbh_init(&h, &cfg, 0), 0);
	dsn = find_ext_cap(&h, 0x0003);
	TEST_CHECK_EQUAL(dsn, 0x100);
	v = cfg32(&h, dsn + 4) | (uint64_t)cfg32(&h, dsn + 8) << 32;
	TEST_CHECK_EQUAL(v, cfg.dsn);
	fbh_dsn_to_mac(v, mac);
	TEST_CHECK_EQUAL(mac[0], 0x0a);
	TEST_CHECK_EQUAL(mac[1], 0x1b);
	TEST_CHECK_EQUAL(mac[2], 0x2c);
	TEST_CHECK_EQUAL(mac[3], 0x3d);
	TEST_CHECK_EQUAL(mac[4], 0x4e);
	TEST_CHECK_EQUAL(mac[5], 0x5f);
	/* The DSN is read-only. */
	cfg_wr32(&h, dsn + 4, 0);
	TEST_CHECK_EQUAL(cfg32(&h, dsn + 4), 0xfe3d4e5f);
	fbh_fini(&h);
	return TEST_SUCCESS;
}

static int
test_default_dsn_is_a_valid_unicast_mac(void)
{
	struct fbm_config cfg;
	uint8_t mac[6];

	fbm_config_init(&cfg);
	fbh_dsn_to_mac(cfg.dsn, mac);
	TEST_CHECK_EQUAL(mac[0] & 1, 0);				/* unicast */
	TEST_CHECK(cfg.dsn != 0);
	return TEST_SUCCESS;
}

int
main(void)
{
	TK_RUN(test_identity_is_meta_fbnic_ethernet_controller);
	TK_RUN(test_bar_sizing_reports_2mib_and_1mib_64bit_bars);
	TK_RUN(test_read_only_fields_ignore_writes);
	TK_RUN(test_memory_decode_off_makes_bar_reads_all_ones);
	TK_RUN(test_pcie_and_msix_capabilities_are_present);
	TK_RUN(test_dsn_capability_gives_the_mac_address);
	TK_RUN(test_default_dsn_is_a_valid_unicast_mac);
	return tk_report("test_core_pci");
}
