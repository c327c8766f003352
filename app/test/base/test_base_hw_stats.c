/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

/*
 * base/fbnic_hw_stats.c against the model: the counter table, counters of
 * received frames and their reset.
 */

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "fbnic_hw_stats.h"
#include "fbnic_mac.h"
#include "fbnic_rpc.h"
#include "fbnic_tk_frame.h"
#include "test_base.h"

/* Index of the device counter of that name in the table, or -1. */
static int
stat_index(const char *name)
{
	unsigned int i;

	for (i = 0; i < fbnic_hw_stats_count(); i++)
		if (strcmp(fbnic_hw_stats_desc(i)->name, name) == 0)
			return (int)i;
	return -1;
}

static int
test_counters_start_at_zero_and_have_unique_names(void)
{
	struct fbnic_hw hw;
	struct fbm_dev *dev = tb_setup(&hw, FBNIC_FW_LINK_MODE_25CR, FBNIC_FW_LINK_FEC_RS);
	unsigned int n = fbnic_hw_stats_count(), i, j, nonzero = 0;
	uint64_t vals[512];

	TEST_ASSERT(dev != NULL && fbnic_hw_stats_init(&hw, 8) == 0, "setup");
	TEST_CHECK(n > 100 && n <= 512, "%u counters", n);
	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++)
			TEST_CHECK(strcmp(fbnic_hw_stats_desc(i)->name,
					  fbnic_hw_stats_desc(j)->name) != 0,
				   "duplicate counter name %s", fbnic_hw_stats_desc(i)->name);
	TEST_CHECK(stat_index("rxb_fifo4_drop_frames") >= 0, "rxb_fifo4_drop_frames");
	TEST_CHECK(stat_index("pcie_ob_rd_tlp") >= 0, "pcie_ob_rd_tlp");

	fbnic_hw_stats_update(&hw);
	TEST_CHECK_EQUAL(fbnic_hw_stats_get(&hw, vals, n), n, "get");
	for (i = 0; i < n; i++) {
		const char *name = fbnic_hw_stats_desc(i)->name;

		/* Outbound completions answer the host's own register reads. */
		if (strncmp(name, "pcie_ob_cpl_", strlen("pcie_ob_cpl_")) == 0) {
			TEST_CHECK(vals[i] != 0, "%s did not count our register reads", name);
			continue;
		}
		if (vals[i] != 0 && fbnic_hw_stats_desc(i)->kind != FBNIC_STAT_GAUGE) {
			printf("counter %s moved on an idle device: %" PRIu64 "\n", name, vals[i]);
			nonzero++;
		}
	}
	TEST_CHECK(nonzero == 0, "%u counters moved on an idle device", nonzero);
	tb_teardown(&hw, dev);
	return TEST_SUCCESS;
}

/* A classic pcap file with n frames of len bytes to the given destination. */
static int
write_pcap(const char *path, const uint8_t dst[6], unsigned int n, unsigned int len)
{
	static const uint8_t src[6] = { 0x02, 0, 0, 0, 0, 0xaa };
	const uint32_t ghdr[6] = { 0xa1b2c3d4, 0x00040002, 0, 0, 65535, 1 };
	uint8_t frame[256];
	unsigned int i;
	FILE *f = fopen(path, "wb");

	if (f == NULL || len > sizeof(frame))
		return -1;
	memset(frame, 0, sizeof(frame));
	tk_frame_eth(frame, dst, src, 0x88b5);	/* local experimental ethertype */
	fwrite(ghdr, sizeof(ghdr), 1, f);
	for (i = 0; i < n; i++) {
		const uint32_t rhdr[4] = { i, 0, len, len };

		fwrite(rhdr, sizeof(rhdr), 1, f);
		fwrite(frame, len, 1, f);
	}
	return fclose(f) == 0 ? 0 : -1;
}

static int
test_counters_count_received_frames_and_reset_to_zero(void)
{
	static const uint8_t own[6] = { 0x02, 0x11, 0x22, 0x33, 0x44, 0x55 };
	char path[] = "/tmp/fbnic_base_test_XXXXXX";
	struct fbnic_hw_stats_basic basic;
	struct fbnic_hw hw;
	struct fbm_dev *dev = tb_setup(&hw, FBNIC_FW_LINK_MODE_25CR, FBNIC_FW_LINK_FEC_RS);
	int fd, ok = 0, i_ok, i_bytes, i_bin, i;
	uint64_t vals[512];
	unsigned int n;

	TEST_ASSERT_NOT_NULL(dev, "setup");
	fd = mkstemp(path);
	if (fd >= 0) {
		close(fd);
		ok = write_pcap(path, own, 5, 100) == 0 && fbm_wire_pcap(dev, path, NULL) == 0;
	}
	TEST_CHECK(ok, "pcap wire");
	TEST_CHECK(fbnic_rpc_init(&hw) == 0 && fbnic_hw_stats_init(&hw, 4) == 0, "state");
	if (!ok || hw.rpc == NULL || hw.stats == NULL) {
		unlink(path);
		tb_teardown(&hw, dev);
		return TEST_FAILED;
	}

	fbnic_init_regs(&hw);
	fbnic_rss_reinit(&hw);
	fbnic_rss_write_hw(&hw);
	fbnic_rpc_set_rx_mode(&hw, own, NULL, 0, NULL, 0, false, false, NULL, NULL);
	for (i = 0; i < 100 && !fbnic_pcs_link_check(&hw, hw.link_aui, hw.link_fec); i++)
		fbnic_osdep_usleep(1000);
	fbnic_mac_link_up(&hw, false, false);
	for (i = 0; i < 100 && fbm_poll(dev, 64) != 0; i++)
		;

	fbnic_hw_stats_update(&hw);
	n = fbnic_hw_stats_get(&hw, vals, 512);
	i_ok = stat_index("mac_rx_ok_frames");
	i_bytes = stat_index("mac_rx_ok_bytes");
	i_bin = stat_index("mac_rx_size_65_127_frames");
	TEST_CHECK(i_ok >= 0 && vals[i_ok] == 5, "mac_rx_ok_frames %" PRIu64, vals[i_ok]);
	TEST_CHECK(i_bytes >= 0 && vals[i_bytes] == 5 * 104, "mac_rx_ok_bytes %" PRIu64,
		   vals[i_bytes]);
	TEST_CHECK(i_bin >= 0 && vals[i_bin] == 5, "65-127 bin %" PRIu64, vals[i_bin]);
	/* No RX queue is enabled: the host FIFO drops every frame. */
	fbnic_hw_stats_basic(&hw, &basic);
	TEST_CHECK(basic.mac_rx_frames == 5 && basic.rx_missed == 5, "rx_missed %" PRIu64,
		   basic.rx_missed);

	fbnic_hw_stats_reset(&hw);
	fbnic_hw_stats_update(&hw);
	TEST_CHECK_EQUAL(fbnic_hw_stats_get(&hw, vals, 512), n, "count changed");
	TEST_CHECK(vals[i_ok] == 0 && vals[i_bytes] == 0, "not zero after reset: %" PRIu64,
		   vals[i_ok]);
	unlink(path);
	tb_teardown(&hw, dev);
	return TEST_SUCCESS;
}

int
main(int argc, char **argv)
{
	if (tb_eal_init(argc, argv) != 0)
		return 1;
	TK_RUN(test_counters_start_at_zero_and_have_unique_names);
	TK_RUN(test_counters_count_received_frames_and_reset_to_zero);
	tb_eal_fini();
	return tk_report("test_base_hw_stats");
}
