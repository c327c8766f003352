/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

/*
 * PTP clock of the model (fbnic_hw.rst 10) on virtual time: the counter adds
 * the Q16.32 increment once per 600 MHz cycle, so after a known time the
 * value is known to the nanosecond.
 */

#include "fbm_harness.h"
#include "test_rpc_util.h"

#define NOMINAL		((UINT64_C(1000000000) << 32) / 600000000)

__extension__ typedef unsigned __int128 u128;

static uint64_t
ctr_read(struct fbm_dev *dev)
{
	uint32_t hi, lo;
	int tries = 0;

	do {
		hi = rd(dev, FBNIC_PTP_CTR_VAL_HI);
		lo = rd(dev, FBNIC_PTP_CTR_VAL_LO);
	} while (hi != rd(dev, FBNIC_PTP_CTR_VAL_HI) && ++tries < 10);
	return (uint64_t)hi << 32 | lo;
}

static void
set_addend(struct fbm_dev *dev, uint64_t addend)
{
	wr(dev, FBNIC_PTP_ADD_VAL_NS, (uint32_t)(addend >> 32) & 0xffff);
	wr(dev, FBNIC_PTP_ADD_VAL_SUBNS, (uint32_t)addend);
}

/* fbnic_ptp_reset() of Linux. */
static void
linux_ptp_reset(struct fbm_dev *dev)
{
	wr(dev, FBNIC_PTP_CTRL, FBNIC_PTP_CTRL_EN |
	   (uint32_t)FBNIC_FIELD_PREP(FBNIC_PTP_CTRL_TICK_IVAL, 1));
	set_addend(dev, NOMINAL);
	wr(dev, FBNIC_PTP_INIT_HI, 0);
	wr(dev, FBNIC_PTP_INIT_LO, 0);
	wr(dev, FBNIC_PTP_ADJUST, FBNIC_PTP_ADJUST_INIT);
	wr(dev, FBNIC_PTP_CTRL, FBNIC_PTP_CTRL_EN | FBNIC_PTP_CTRL_TQS_OUT_EN |
	   (uint32_t)FBNIC_FIELD_PREP(FBNIC_PTP_CTRL_MAC_OUT_IVAL, 3) |
	   (uint32_t)FBNIC_FIELD_PREP(FBNIC_PTP_CTRL_TICK_IVAL, 1));
	(void)rd(dev, FBNIC_PTP_SPARE);
}

/* cycles * addend in Q.32, as ns. */
static uint64_t
expect_ns(uint64_t cycles, uint64_t addend)
{
	return (uint64_t)(((u128)cycles * addend) >> 32);
}

static int
test_ptp_nominal_rate_on_virtual_time(void)
{
	struct fbm_dev *dev = t_dev_create(4, 2, 0);

	TEST_CHECK_EQUAL(NOMINAL, 0x1aaaaaaaaull);
	linux_ptp_reset(dev);
	TEST_CHECK_EQUAL(ctr_read(dev), 0);
	fbm_clock_advance(dev, 1000000000);	/* 600e6 cycles */
	TEST_CHECK_EQUAL(ctr_read(dev), expect_ns(600000000, NOMINAL));
	TEST_CHECK_EQUAL(ctr_read(dev), 999999999);
	TEST_CHECK_EQUAL(fbm_ptp_read(dev), 999999999);
	fbm_clock_advance(dev, 5);		/* 3 more cycles */
	TEST_CHECK_EQUAL(ctr_read(dev), expect_ns(600000003, NOMINAL));
	/* Ten minutes later, still exact and past 2^32 ns. */
	fbm_clock_advance(dev, 600000000000ull - 5);
	TEST_CHECK_EQUAL(ctr_read(dev), expect_ns(360600000000ull, NOMINAL));
	TEST_CHECK(rd(dev, FBNIC_PTP_CTR_VAL_HI) > 0);
	fbm_destroy(dev);
	return TEST_SUCCESS;
}

/* adjfine: a new addend applies from ADDEND_SET on, earlier time is kept. */
static int
test_ptp_addend_set_changes_rate(void)
{
	struct fbm_dev *dev = t_dev_create(4, 2, 0);
	uint64_t fast = NOMINAL + NOMINAL / 1000;	/* +1000 ppm */
	uint64_t t1;

	linux_ptp_reset(dev);
	fbm_clock_advance(dev, 500000000);
	t1 = ctr_read(dev);
	TEST_CHECK_EQUAL(t1, expect_ns(300000000, NOMINAL));

	set_addend(dev, fast);
	TEST_CHECK_EQUAL(ctr_read(dev), t1);		/* not active before ADDEND_SET */
	wr(dev, FBNIC_PTP_ADJUST, FBNIC_PTP_ADJUST_ADDEND_SET);
	(void)rd(dev, FBNIC_PTP_SPARE);
	TEST_CHECK_EQUAL(rd(dev, FBNIC_PTP_ADJUST), 0);
	fbm_clock_advance(dev, 1000000000);
	TEST_CHECK_EQUAL(ctr_read(dev), (uint64_t)(((((u128)300000000 * NOMINAL)) +
						     (u128)600000000 * fast) >> 32));
	TEST_CHECK(ctr_read(dev) > t1 + 1000000000ull + 999000);
	fbm_destroy(dev);
	return TEST_SUCCESS;
}

/* INIT loads INIT_HI/LO; nudges step; EN clear freezes the counter. */
static int
test_ptp_init_nudge_and_enable(void)
{
	struct fbm_dev *dev = t_dev_create(4, 2, 0);
	uint64_t v;

	/* Reset state: not counting. */
	fbm_clock_advance(dev, 1000000);
	TEST_CHECK_EQUAL(ctr_read(dev), 0);

	linux_ptp_reset(dev);
	wr(dev, FBNIC_PTP_INIT_HI, 0x12);
	wr(dev, FBNIC_PTP_INIT_LO, 0x34567890);
	wr(dev, FBNIC_PTP_ADJUST, FBNIC_PTP_ADJUST_INIT);
	TEST_CHECK_EQUAL(ctr_read(dev), 0x1234567890ull);
	fbm_clock_advance(dev, 5000);		/* 3000 cycles */
	v = 0x1234567890ull + expect_ns(3000, NOMINAL);
	TEST_CHECK_EQUAL(ctr_read(dev), v);

	wr(dev, FBNIC_PTP_NUDGE_NS, 100);
	wr(dev, FBNIC_PTP_NUDGE_SUBNS, 0);
	wr(dev, FBNIC_PTP_ADJUST, FBNIC_PTP_ADJUST_ADD_NUDGE);
	TEST_CHECK_EQUAL(ctr_read(dev), v + 100);
	wr(dev, FBNIC_PTP_ADJUST, FBNIC_PTP_ADJUST_SUB_NUDGE);
	TEST_CHECK_EQUAL(ctr_read(dev), v);

	wr(dev, FBNIC_PTP_CTRL, 0);
	fbm_clock_advance(dev, 1000000);
	TEST_CHECK_EQUAL(ctr_read(dev), v);
	fbm_destroy(dev);
	return TEST_SUCCESS;
}

/* TS_ENA in the action: the RX completion carries the PTP time (40 bits). */
static int
test_ptp_stamps_received_frames(void)
{
	static struct fbh h;
	uint8_t frame[256], got[256], own[6];
	struct fbh_rx_info info;
	struct fbm_config cfg;
	struct fbh_txq txq;
	struct fbh_rxq rxq;
	uint64_t before, after;
	uint32_t len;

	fbh_config_default(&cfg);
	TEST_ASSERT_SUCCESS(fbh_init(&h, &cfg, 0));
	h.quiet = true;
	fbm_wire_loopback(h.dev);
	TEST_CHECK_EQUAL(fbh_port_open(&h, &txq, &rxq, 0), 0);
	linux_ptp_reset(h.dev);
	/* Start near a 2^40 ns wrap of the descriptor field. */
	wr(h.dev, FBNIC_PTP_INIT_HI, 0xff);
	wr(h.dev, FBNIC_PTP_INIT_LO, 0xfffff000);
	wr(h.dev, FBNIC_PTP_ADJUST, FBNIC_PTP_ADJUST_INIT);
	wr(h.dev, FBNIC_RPC_ACT_TBL0_DEFAULT, rd(h.dev, FBNIC_RPC_ACT_TBL0_DEFAULT) |
	   FBNIC_RPC_ACT_TBL0_TS_ENA);

	fbh_dsn_to_mac(h.cfg.dsn, own);
	len = tk_frame_udp4(frame, 80, own, t_peer_mac, 9);
	before = ctr_read(h.dev);
	TEST_CHECK_EQUAL(fbh_tx_send(&h, &txq, frame, len, 0), 0);
	TEST_CHECK_EQUAL(fbh_rx_wait(&h, &rxq, got, sizeof(got), &info, 200), (int)len);
	after = ctr_read(h.dev);
	TEST_CHECK(info.ts_valid);
	TEST_CHECK(before < after);
	/* Within the receive window, compared modulo 2^40. */
	TEST_CHECK(((info.ts - before) & ((1ull << 40) - 1)) <= after - before);

	/* Without TS_ENA no stamp. */
	wr(h.dev, FBNIC_RPC_ACT_TBL0_DEFAULT, rd(h.dev, FBNIC_RPC_ACT_TBL0_DEFAULT) &
	   ~FBNIC_RPC_ACT_TBL0_TS_ENA);
	TEST_CHECK_EQUAL(fbh_tx_send(&h, &txq, frame, len, 0), 0);
	TEST_CHECK_EQUAL(fbh_rx_wait(&h, &rxq, got, sizeof(got), &info, 200), (int)len);
	TEST_CHECK(!info.ts_valid);
	fbh_fini(&h);
	return TEST_SUCCESS;
}

int
main(void)
{
	TK_RUN(test_ptp_nominal_rate_on_virtual_time);
	TK_RUN(test_ptp_addend_set_changes_rate);
	TK_RUN(test_ptp_init_nudge_and_enable);
	TK_RUN(test_ptp_stamps_received_frames);
	return tk_report("test_ptp");
}
