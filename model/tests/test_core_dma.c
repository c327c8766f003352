/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

/*
 * Device DMA (fbnic_hw.rst 1, 6.2): a bad bus address, or DMA while bus
 * mastering is off, is a counted, logged device error and never a crash.
 */

#include <string.h>

#include "fbm_internal.h"
#include "fbm_harness.h"

static void *
map(struct fbh *h, uint64_t iova, size_t len, bool to_host)
{
	void *p;

	fbm_dev_lock(h->dev);
	p = fbm_dma_map(h->dev, iova, len, to_host);
	fbm_dev_unlock(h->dev);
	return p;
}

static void
enable_bus_mastering(struct fbh *h)
{
	fbh_wr(h, FBNIC_PUL_OB_TLP_HDR_AW_CFG, FBNIC_PUL_OB_TLP_HDR_AW_CFG_BME);
	fbh_wr(h, FBNIC_PUL_OB_TLP_HDR_AR_CFG, FBNIC_PUL_OB_TLP_HDR_AR_CFG_BME);
}

static int
test_dma_needs_bme_of_its_direction(void)
{
	uint64_t iova;
	void *va;
	struct fbh h;

	TEST_CHECK_EQUAL(fbh_init(&h, NULL, 0), 0);
	h.quiet = true;
	va = fbh_alloc(&h, 4096, 0, &iova);
	TEST_CHECK(map(&h, iova, 64, true) == NULL);
	TEST_CHECK(map(&h, iova, 64, false) == NULL);
	TEST_CHECK_EQUAL(fbm_dma_errors(h.dev), 2);

	fbh_wr(&h, FBNIC_PUL_OB_TLP_HDR_AW_CFG, FBNIC_PUL_OB_TLP_HDR_AW_CFG_BME);
	TEST_CHECK(map(&h, iova, 64, true) == va);
	TEST_CHECK(map(&h, iova, 64, false) == NULL);
	fbh_wr(&h, FBNIC_PUL_OB_TLP_HDR_AR_CFG, FBNIC_PUL_OB_TLP_HDR_AR_CFG_BME);
	TEST_CHECK(map(&h, iova + 8, 64, false) == (uint8_t *)va + 8);

	/* A mailbox ring reset (FLUSH without BME) stops device writes. */
	fbh_wr(&h, FBNIC_PUL_OB_TLP_HDR_AW_CFG, FBNIC_PUL_OB_TLP_HDR_AW_CFG_FLUSH |
	       FBNIC_PUL_OB_TLP_HDR_AW_CFG_FLUSH_MODE);
	TEST_CHECK(map(&h, iova, 64, true) == NULL);
	TEST_CHECK_EQUAL(fbm_dma_errors(h.dev), 4);
	fbh_fini(&h);
	return TEST_SUCCESS;
}

static int
test_pci_bus_master_off_blocks_dma(void)
{
	uint16_t cmd = 0x0002;	/* memory decode only */
	uint64_t iova;
	struct fbh h;

	TEST_CHECK_EQUAL(fbh_init(&h, NULL, 0), 0);
	h.quiet = true;
	fbh_alloc(&h, 4096, 0, &iova);
	enable_bus_mastering(&h);
	TEST_CHECK(map(&h, iova, 64, true) != NULL);
	TEST_CHECK_EQUAL(fbm_cfg_write(h.dev, 0x04, &cmd, 2), 0);
	TEST_CHECK(map(&h, iova, 64, true) == NULL);
	TEST_CHECK_EQUAL(fbm_dma_errors(h.dev), 1);
	fbh_fini(&h);
	return TEST_SUCCESS;
}

static int
test_bad_bus_addresses_are_counted_and_logged(void)
{
	uint64_t iova;
	struct fbh h;

	TEST_CHECK_EQUAL(fbh_init(&h, NULL, 0), 0);
	h.quiet = true;
	fbh_alloc(&h, 4096, 0, &iova);
	enable_bus_mastering(&h);
	TEST_CHECK(map(&h, 0, 64, true) == NULL);			/* unmapped */
	TEST_CHECK(map(&h, iova + 4000, 200, true) == NULL);		/* runs past */
	TEST_CHECK(map(&h, 1ULL << 46, 64, true) == NULL);		/* > 46 bits */
	TEST_CHECK(map(&h, (1ULL << 46) - 8, 64, true) == NULL);	/* crosses 2^46 */
	TEST_CHECK(map(&h, UINT64_MAX - 3, 64, true) == NULL);		/* wraps */
	TEST_CHECK(map(&h, iova, 0, true) == NULL);			/* empty */
	TEST_CHECK(map(&h, iova, (size_t)4 << 20, true) == NULL);	/* too long */
	TEST_CHECK_EQUAL(fbm_dma_errors(h.dev), 7);
	TEST_CHECK_EQUAL(atomic_load(&h.log_errors), 7);
	TEST_CHECK(map(&h, iova, 4096, true) != NULL);
	TEST_CHECK_EQUAL(fbm_dma_errors(h.dev), 7);
	fbh_fini(&h);
	return TEST_SUCCESS;
}

static int
test_dma_without_host_translation_fails_cleanly(void)
{
	struct fbm_dev *dev;
	struct fbm_config cfg;

	fbh_config_default(&cfg);
	TEST_CHECK_EQUAL(fbm_create(&cfg, NULL, &dev), 0);
	fbm_write32(dev, 0, FBNIC_CSR_BYTE(FBNIC_PUL_OB_TLP_HDR_AW_CFG),
		    FBNIC_PUL_OB_TLP_HDR_AW_CFG_BME);
	fbm_dev_lock(dev);
	TEST_CHECK(fbm_dma_map(dev, FBH_IOVA_BASE, 64, true) == NULL);
	fbm_dev_unlock(dev);
	TEST_CHECK_EQUAL(fbm_dma_errors(dev), 1);
	fbm_destroy(dev);
	return TEST_SUCCESS;
}

static int
test_tx_buffer_at_bad_iova_is_a_device_error_not_a_crash(void)
{
	static uint8_t frame[256], got[512];
	struct fbh_txq txq;
	struct fbh_rxq rxq;
	uint8_t mac[6];
	uint64_t *twq;
	struct fbh h;
	unsigned int i;

	TEST_CHECK_EQUAL(fbh_init(&h, NULL, 0), 0);
	h.quiet = true;
	TEST_CHECK_EQUAL(fbm_wire_loopback(h.dev), 0);
	TEST_CHECK_EQUAL(fbh_port_open(&h, &txq, &rxq, 0), 0);
	fbh_dsn_to_mac(h.cfg.dsn, mac);
	tk_frame_udp4(frame, sizeof(frame), mac, mac, 1);

	/* Point the LAST_AL of the frame far outside host memory. */
	TEST_CHECK_EQUAL(fbh_tx_post(&h, &txq, frame, sizeof(frame), 0), 0);
	twq = txq.twq.va;
	twq[1] = (twq[1] & ~FBNIC_TWD_ADDR_MASK) | 0x3fff00000000ULL;
	fbh_tx_doorbell(&h, &txq);
	for (i = 0; i < 20; i++)
		fbh_advance(&h, 1000);
	TEST_CHECK(fbm_dma_errors(h.dev) >= 1);
	TEST_CHECK_EQUAL(fbh_rx_recv(&h, &rxq, got, sizeof(got), NULL), -EAGAIN);
	TEST_CHECK_EQUAL(fbh_rd(&h, FBNIC_MASTER_SPARE_0), 0);
	fbh_fini(&h);
	return TEST_SUCCESS;
}

static int
test_rx_completion_ring_at_bad_iova_is_a_device_error_not_a_crash(void)
{
	static uint8_t frame[256];
	struct fbh_txq txq;
	struct fbh_rxq rxq;
	uint8_t mac[6];
	struct fbh h;
	unsigned int i;

	TEST_CHECK_EQUAL(fbh_init(&h, NULL, 0), 0);
	h.quiet = true;
	TEST_CHECK_EQUAL(fbm_wire_loopback(h.dev), 0);
	TEST_CHECK_EQUAL(fbh_port_open(&h, &txq, &rxq, 0), 0);
	/* Re-point the RCQ of queue 0 to unmapped memory. */
	fbh_wr(&h, FBNIC_QUEUE(0) + FBNIC_QUEUE_RCQ_CTL, FBNIC_QUEUE_RCQ_CTL_RESET);
	fbh_wr(&h, FBNIC_QUEUE(0) + FBNIC_QUEUE_RCQ_BAL, 0x1000);
	fbh_wr(&h, FBNIC_QUEUE(0) + FBNIC_QUEUE_RCQ_BAH, 0x10);
	fbh_wr(&h, FBNIC_QUEUE(0) + FBNIC_QUEUE_RCQ_CTL, FBNIC_QUEUE_RCQ_CTL_ENABLE);

	fbh_dsn_to_mac(h.cfg.dsn, mac);
	for (i = 0; i < 4; i++) {
		tk_frame_udp4(frame, sizeof(frame), mac, mac, i);
		TEST_CHECK_EQUAL(fbh_tx_send(&h, &txq, frame, sizeof(frame), 0), 0);
		fbh_advance(&h, 1000);
	}
	TEST_CHECK(fbm_dma_errors(h.dev) >= 1);
	TEST_CHECK_EQUAL(fbh_tx_reap(&h, &txq), 4);	/* TX side unaffected */
	fbh_fini(&h);
	return TEST_SUCCESS;
}

static int
test_bar_reads_and_dma_advance_the_pcie_tlp_counters(void)
{
	uint32_t c0, c1, w0, r0;
	uint64_t iova;
	unsigned int i;
	struct fbh h;

	TEST_CHECK_EQUAL(fbh_init(&h, NULL, 0), 0);
	fbh_alloc(&h, 8192, 0, &iova);
	enable_bus_mastering(&h);
	c0 = fbh_rd(&h, FBNIC_PUL_USER_OB_CPL_TLP_CNT_31_0);
	for (i = 0; i < 10; i++)
		(void)fbh_rd(&h, FBNIC_MASTER_SPARE_0);
	c1 = fbh_rd(&h, FBNIC_PUL_USER_OB_CPL_TLP_CNT_31_0);
	TEST_CHECK_EQUAL(c1 - c0, 11);		/* ten reads plus the first counter read */

	w0 = fbh_rd(&h, FBNIC_PUL_USER_OB_WR_DWORD_CNT_31_0);
	r0 = fbh_rd(&h, FBNIC_PUL_USER_OB_RD_DWORD_CNT_31_0);
	TEST_CHECK(map(&h, iova, 4096, true) != NULL);
	TEST_CHECK(map(&h, iova, 256, false) != NULL);
	TEST_CHECK(map(&h, 0, 256, false) == NULL);	/* failures do not count */
	TEST_CHECK_EQUAL(fbh_rd(&h, FBNIC_PUL_USER_OB_WR_DWORD_CNT_31_0) - w0, 1024);
	TEST_CHECK_EQUAL(fbh_rd(&h, FBNIC_PUL_USER_OB_RD_DWORD_CNT_31_0) - r0, 64);
	fbh_fini(&h);
	return TEST_SUCCESS;
}

int
main(void)
{
	TK_RUN(test_dma_needs_bme_of_its_direction);
	TK_RUN(test_pci_bus_master_off_blocks_dma);
	TK_RUN(test_bad_bus_addresses_are_counted_and_logged);
	TK_RUN(test_dma_without_host_translation_fails_cleanly);
	TK_RUN(test_tx_buffer_at_bad_iova_is_a_device_error_not_a_crash);
	TK_RUN(test_rx_completion_ring_at_bad_iova_is_a_device_error_not_a_crash);
	TK_RUN(test_bar_reads_and_dma_advance_the_pcie_tlp_counters);
	return tk_report("test_core_dma");
}
