/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

/*
 * base/fbnic_hw.c against the model: the MAC address from the device serial
 * number, and surprise removal seen by the register accessors.
 */

#include <errno.h>
#include <string.h>

#include "fbnic_mac.h"
#include "fbnic_txrx_hw.h"
#include "test_base.h"

static int
test_dsn_gives_mac_from_serial_bytes(void)
{
	uint8_t mac[6];
	static const uint8_t want[6] = { 0x02, 0x11, 0x22, 0x55, 0x66, 0x77 };

	TEST_CHECK_EQUAL(fbnic_dsn_to_mac(TB_DSN, mac), 0, "valid DSN rejected");
	TEST_CHECK(memcmp(mac, want, 6) == 0, "MAC %02x:%02x:%02x:%02x:%02x:%02x",
		   mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
	TEST_CHECK_EQUAL(fbnic_dsn_to_mac(0, mac), -EINVAL, "DSN 0 accepted");
	TEST_CHECK(fbnic_dsn_to_mac(UINT64_C(0x0100000000000001), mac) == -EINVAL,
		   "multicast MAC accepted");
	return TEST_SUCCESS;
}

static int
test_surprise_removal_is_detected(void)
{
	struct fbnic_hw hw;
	struct fbm_dev *dev = tb_setup(&hw, FBNIC_FW_LINK_MODE_25CR, FBNIC_FW_LINK_FEC_RS);

	TEST_ASSERT_NOT_NULL(dev, "setup");
	TEST_CHECK(fbnic_rd32(&hw, FBNIC_QM_TQS_MTU_CTL0) != UINT32_MAX && !hw.removed, "alive");
	fbm_fault_set(dev, FBM_FAULT_SURPRISE_REMOVAL, true);
	TEST_CHECK_EQUAL(fbnic_rd32(&hw, FBNIC_QM_TQS_MTU_CTL0), UINT32_MAX, "read after removal");
	TEST_CHECK(hw.removed, "removal not detected");
	TEST_CHECK(fbnic_txq_wait_idle(&hw, 0) == -ENODEV, "idle wait on removed device");
	TEST_CHECK(!fbnic_pcs_link_check(&hw, hw.link_aui, hw.link_fec), "link on removed device");
	tb_teardown(&hw, dev);
	return TEST_SUCCESS;
}

int
main(int argc, char **argv)
{
	if (tb_eal_init(argc, argv) != 0)
		return 1;
	TK_RUN(test_dsn_gives_mac_from_serial_bytes);
	TK_RUN(test_surprise_removal_is_detected);
	tb_eal_fini();
	return tk_report("test_base_hw");
}
