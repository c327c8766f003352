/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

/*
 * Engine threads: membership rules, the datapath runs without the host
 * polling, devices can leave a running engine, an idle engine sleeps.
 */

#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fbm_harness.h"

static uint64_t
clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int
test_a_device_belongs_to_one_engine_at_a_time(void)
{
	struct fbm_engine *e1, *e2;
	struct fbh h;

	TEST_CHECK_EQUAL(fbh_init(&h, NULL, 0), 0);
	TEST_CHECK_EQUAL(fbm_engine_create(&e1), 0);
	TEST_CHECK_EQUAL(fbm_engine_create(&e2), 0);
	TEST_CHECK_EQUAL(fbm_engine_add(e1, h.dev), 0);
	TEST_CHECK_EQUAL(fbm_engine_add(e1, h.dev), -EBUSY);
	TEST_CHECK_EQUAL(fbm_engine_add(e2, h.dev), -EBUSY);
	TEST_CHECK_EQUAL(fbm_engine_remove(e2, h.dev), -ENOENT);
	TEST_CHECK_EQUAL(fbm_engine_remove(e1, h.dev), 0);
	TEST_CHECK_EQUAL(fbm_engine_add(e2, h.dev), 0);
	TEST_CHECK_EQUAL(fbm_engine_start(e2), 0);
	TEST_CHECK_EQUAL(fbm_engine_start(e2), -EALREADY);
	fbm_engine_stop(e2);
	fbm_engine_stop(e2);
	TEST_CHECK_EQUAL(fbm_engine_start(e2), 0);
	/* Destroying an engine releases its devices. */
	fbm_engine_destroy(e2);
	TEST_CHECK_EQUAL(fbm_engine_add(e1, h.dev), 0);
	fbm_engine_destroy(e1);
	TEST_CHECK_EQUAL(fbm_engine_add(NULL, h.dev), -EINVAL);
	TEST_CHECK_EQUAL(fbm_engine_create(NULL), -EINVAL);
	fbh_fini(&h);
	return TEST_SUCCESS;
}

static unsigned int
loop_through_engine(struct fbh *h, struct fbh_txq *txq, struct fbh_rxq *rxq, const uint8_t *mac,
		    unsigned int n)
{
	static uint8_t frame[128], got[256];
	uint64_t deadline = clock_ns(CLOCK_MONOTONIC) + 10000000000ull;
	unsigned int sent = 0, recvd = 0;

	while (recvd < n && clock_ns(CLOCK_MONOTONIC) < deadline) {
		int ret;

		if (sent < n && sent - recvd < 32 && fbh_tx_space(txq) >= 2) {
			tk_frame_udp4(frame, sizeof(frame), mac, mac, sent);
			if (fbh_tx_send(h, txq, frame, sizeof(frame), 0) == 0)
				sent++;
		}
		fbh_tx_reap(h, txq);
		ret = fbh_rx_recv(h, rxq, got, sizeof(got), NULL);
		if (ret == (int)sizeof(frame))
			recvd++;
		else if (ret == -EAGAIN)
			usleep(10);
	}
	return recvd;
}

static int
test_engine_runs_the_datapath_without_host_polls(void)
{
	static uint8_t frame[64];
	struct fbm_config cfg;
	struct fbm_engine *eng;
	struct fbh_txq txq;
	struct fbh_rxq rxq;
	uint8_t mac[6];
	unsigned int i;
	struct fbh h;

	fbh_config_default(&cfg);
	cfg.virtual_time = false;
	TEST_CHECK_EQUAL(fbh_init(&h, &cfg, 0), 0);
	fbh_dsn_to_mac(cfg.dsn, mac);
	TEST_CHECK_EQUAL(fbm_wire_loopback(h.dev), 0);
	TEST_CHECK_EQUAL(fbh_port_open(&h, &txq, &rxq, 0), 0);
	TEST_CHECK_EQUAL(fbm_engine_create(&eng), 0);
	TEST_CHECK_EQUAL(fbm_engine_add(eng, h.dev), 0);
	TEST_CHECK_EQUAL(fbm_engine_start(eng), 0);
	TEST_CHECK_EQUAL(loop_through_engine(&h, &txq, &rxq, mac, 500), 500);
	for (i = 0; i < 1000 && txq.done_frames < 500; i++) {
		fbh_tx_reap(&h, &txq);
		usleep(100);
	}
	TEST_CHECK_EQUAL(txq.done_frames, 500);

	/* Out of the engine and not polled, the device transmits nothing. */
	TEST_CHECK_EQUAL(fbm_engine_remove(eng, h.dev), 0);
	tk_frame_udp4(frame, sizeof(frame), mac, mac, 1);
	TEST_CHECK_EQUAL(fbh_tx_send(&h, &txq, frame, sizeof(frame), 0), 0);
	usleep(20000);
	TEST_CHECK_EQUAL(fbh_tx_reap(&h, &txq), 0);
	fbm_engine_destroy(eng);
	fbh_fini(&h);
	return TEST_SUCCESS;
}

static int
test_destroying_a_device_under_a_running_engine_is_safe(void)
{
	struct fbm_config cfg;
	struct fbm_engine *eng;
	struct fbh h1, h2;
	struct fbh_txq txq;
	struct fbh_rxq rxq;
	uint8_t mac[6];

	fbh_config_default(&cfg);
	cfg.virtual_time = false;
	TEST_CHECK_EQUAL(fbh_init(&h1, &cfg, 0), 0);
	TEST_CHECK_EQUAL(fbh_init(&h2, &cfg, 0), 0);
	fbh_dsn_to_mac(cfg.dsn, mac);
	TEST_CHECK_EQUAL(fbm_wire_loopback(h2.dev), 0);
	TEST_CHECK_EQUAL(fbh_port_open(&h2, &txq, &rxq, 0), 0);
	TEST_CHECK_EQUAL(fbm_engine_create(&eng), 0);
	TEST_CHECK_EQUAL(fbm_engine_add(eng, h1.dev), 0);
	TEST_CHECK_EQUAL(fbm_engine_add(eng, h2.dev), 0);
	TEST_CHECK_EQUAL(fbm_engine_start(eng), 0);
	usleep(2000);
	fbh_fini(&h1);
	TEST_CHECK_EQUAL(loop_through_engine(&h2, &txq, &rxq, mac, 100), 100);
	fbm_engine_destroy(eng);
	fbh_fini(&h2);
	return TEST_SUCCESS;
}

static int
test_idle_engine_backs_off_to_sleeping(void)
{
	struct fbm_engine *eng;
	uint64_t cpu0, wall0, cpu, wall;
	struct fbh h;

	TEST_CHECK_EQUAL(fbh_init(&h, NULL, 0), 0);
	TEST_CHECK_EQUAL(fbm_engine_create(&eng), 0);
	TEST_CHECK_EQUAL(fbm_engine_add(eng, h.dev), 0);
	TEST_CHECK_EQUAL(fbm_engine_start(eng), 0);
	usleep(50000);			/* let it reach the sleeping stage */
	cpu0 = clock_ns(CLOCK_PROCESS_CPUTIME_ID);
	wall0 = clock_ns(CLOCK_MONOTONIC);
	usleep(300000);
	cpu = clock_ns(CLOCK_PROCESS_CPUTIME_ID) - cpu0;
	wall = clock_ns(CLOCK_MONOTONIC) - wall0;
	fbm_engine_destroy(eng);
	printf("     idle engine: %.1f%% of a core\n", 100.0 * (double)cpu / (double)wall);
	TEST_CHECK(cpu * 4 < wall);	/* well under a quarter of a core */
	fbh_fini(&h);
	return TEST_SUCCESS;
}

int
main(void)
{
	TK_RUN(test_a_device_belongs_to_one_engine_at_a_time);
	TK_RUN(test_engine_runs_the_datapath_without_host_polls);
	TK_RUN(test_destroying_a_device_under_a_running_engine_is_safe);
	TK_RUN(test_idle_engine_backs_off_to_sleeping);
	return tk_report("test_core_engine");
}
