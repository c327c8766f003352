/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

/*
 * AF_PACKET wire: two model ports on the two ends of a veth pair, inside a
 * network namespace private to this process. Skipped (exit 77) without root
 * or without the ip tool.
 */

#define _GNU_SOURCE
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fbm_harness.h"

#define SKIP	77

struct port {
	struct fbh h;
	struct fbh_txq txq;
	struct fbh_rxq rxq;
	uint8_t mac[6];
};

static int
port_init(struct port *p, uint64_t dsn)
{
	struct fbm_config cfg;

	fbh_config_default(&cfg);
	cfg.dsn = dsn;
	cfg.virtual_time = false;	/* the kernel side runs on real time */
	fbh_dsn_to_mac(dsn, p->mac);
	return fbh_init(&p->h, &cfg, 0);
}

/* Our frames only: the kernel may send IPv6 neighbour discovery meanwhile. */
static int
recv_matching(struct port *p, const uint8_t *want, uint32_t len)
{
	static uint8_t got[2048];
	unsigned int i;

	for (i = 0; i < 2000; i++) {
		int ret = fbh_rx_recv(&p->h, &p->rxq, got, sizeof(got), NULL);

		if (ret == (int)len && memcmp(got, want, len) == 0)
			return 0;
		if (ret == -EAGAIN) {
			usleep(500);
			fbh_poll(&p->h);
		}
	}
	return -ETIMEDOUT;
}

static void
test_frames_cross_a_veth_pair_both_ways(void)
{
	static uint8_t frame[1200];
	struct fbm_wire_stats st;
	struct port a, b;
	unsigned int i;

	FBH_CHECK_EQ(port_init(&a, 0x02fb4efffe0000c1ULL), 0);
	FBH_CHECK_EQ(port_init(&b, 0x02fb4efffe0000c2ULL), 0);
	FBH_CHECK_EQ(fbh_port_open(&a.h, &a.txq, &a.rxq, 0), 0);
	FBH_CHECK_EQ(fbh_port_open(&b.h, &b.txq, &b.rxq, 0), 0);
	FBH_CHECK_EQ(fbm_wire_afpacket(a.h.dev, "fbmveth0"), 0);
	FBH_CHECK_EQ(fbm_wire_afpacket(b.h.dev, "fbmveth1"), 0);

	for (i = 0; i < 8; i++) {
		fbh_build_udp4(frame, 200 + 100 * i, b.mac, a.mac, i);
		FBH_CHECK_EQ(fbh_tx_send(&a.h, &a.txq, frame, 200 + 100 * i, 0), 0);
		fbh_poll(&a.h);
		FBH_CHECK_EQ(recv_matching(&b, frame, 200 + 100 * i), 0);

		fbh_build_udp4(frame, 300, a.mac, b.mac, 100 + i);
		FBH_CHECK_EQ(fbh_tx_send(&b.h, &b.txq, frame, 300, 0), 0);
		fbh_poll(&b.h);
		FBH_CHECK_EQ(recv_matching(&a, frame, 300), 0);
		fbh_tx_reap(&a.h, &a.txq);
		fbh_tx_reap(&b.h, &b.txq);
	}
	fbm_wire_stats_get(a.h.dev, &st);
	FBH_CHECK_EQ(st.tx_frames, 8);
	FBH_CHECK_EQ(st.tx_drops, 0);
	FBH_CHECK(st.rx_frames >= 8);
	fbh_fini(&a.h);
	fbh_fini(&b.h);
}

int
main(void)
{
	if (geteuid() != 0 || system("ip -V >/dev/null 2>&1") != 0) {
		printf("skip: needs root and the ip tool\n");
		return SKIP;
	}
	if (unshare(CLONE_NEWNET) != 0) {
		printf("skip: cannot create a network namespace\n");
		return SKIP;
	}
	if (system("ip link set lo up && "
		   "ip link add fbmveth0 type veth peer name fbmveth1 && "
		   "ip link set fbmveth0 up && ip link set fbmveth1 up") != 0) {
		printf("skip: cannot create a veth pair\n");
		return SKIP;
	}
	FBH_RUN(test_frames_cross_a_veth_pair_both_ways);
	return fbh_exit_code();
}
