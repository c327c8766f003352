/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

/*
 * Model clock: virtual time only moves when told to, real time follows
 * CLOCK_MONOTONIC, and register reads alone let time-driven components (here
 * the firmware's boot delay) make progress.
 */

#include <time.h>

#include "fbm_harness.h"

static uint64_t
mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int
test_virtual_time_moves_only_when_advanced(void)
{
	struct fbm_config cfg;
	unsigned int i;
	struct fbh h;

	fbh_config_default(&cfg);
	cfg.virtual_start_ns = 5000;
	TEST_CHECK_EQUAL(fbh_init(&h, &cfg, 0), 0);
	TEST_CHECK_EQUAL(fbm_clock_now(h.dev), 5000);
	for (i = 0; i < 100; i++) {
		(void)fbh_rd(&h, FBNIC_MASTER_SPARE_0);
		fbh_poll(&h);
	}
	TEST_CHECK_EQUAL(fbm_clock_now(h.dev), 5000);
	fbm_clock_advance(h.dev, 123);
	TEST_CHECK_EQUAL(fbm_clock_now(h.dev), 5123);
	fbm_clock_set_virtual(h.dev, true, 1);
	TEST_CHECK_EQUAL(fbm_clock_now(h.dev), 1);
	fbh_fini(&h);
	return TEST_SUCCESS;
}

static int
test_real_time_follows_clock_monotonic(void)
{
	uint64_t before, now, after;
	struct fbh h;

	TEST_CHECK_EQUAL(fbh_init(&h, NULL, 0), 0);
	fbm_clock_set_virtual(h.dev, false, 0);
	before = mono_ns();
	now = fbm_clock_now(h.dev);
	after = mono_ns();
	TEST_CHECK(now >= before && now <= after);
	fbh_fini(&h);
	return TEST_SUCCESS;
}

static int
test_register_reads_alone_let_firmware_boot(void)
{
	struct fbm_config cfg;
	unsigned int i;
	struct fbh h;
	bool alive = false;

	fbh_config_default(&cfg);
	cfg.fw_ready_delay_ns = 1000000000ull;		/* 1 s boot */
	TEST_CHECK_EQUAL(fbh_init(&h, &cfg, 0), 0);
	fbh_wr(&h, FBNIC_INTR_SW_AC_MODE(0), ~1u);
	fbh_mbx_reset_ring(&h, FBNIC_IPC_MBX_RX_IDX);
	fbh_mbx_reset_ring(&h, FBNIC_IPC_MBX_TX_IDX);
	TEST_CHECK_EQUAL(fbh_rd(&h, FBNIC_INTR_STATUS(0)) & 1u, 0);

	/* No fbm_poll(): only the clock and register accesses. */
	for (i = 0; i < 30 && !alive; i++) {
		fbm_clock_advance(h.dev, 100000000ull);
		fbh_mbx_reset_ring(&h, FBNIC_IPC_MBX_TX_IDX);
		alive = (fbh_rd(&h, FBNIC_INTR_STATUS(0)) & 1u) != 0;
		TEST_CHECK(!alive || i >= 9);			/* not before 1 s */
	}
	TEST_CHECK(alive);
	fbh_fini(&h);
	return TEST_SUCCESS;
}

int
main(void)
{
	TK_RUN(test_virtual_time_moves_only_when_advanced);
	TK_RUN(test_real_time_follows_clock_monotonic);
	TK_RUN(test_register_reads_alone_let_firmware_boot);
	return tk_report("test_core_clock");
}
