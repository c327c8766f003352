/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

/*
 * The MTU is enforced by the device: on a model port with a loopback wire,
 * a frame of the MTU's length (MTU + Ethernet header + two VLAN tags, no
 * FCS) is received and one byte more is dropped by the classifier and
 * counted in ierrors and rpc_oversize_errors, at the default MTU, after an
 * MTU change of a started port (800, which DTS uses), at the smallest MTU
 * and with jumbo frames (9000, scattered Rx; refused with -EBUSY while the
 * started queues cannot take them). MTUs outside 68..9728 are refused.
 * Every mbuf comes back.
 *
 * Usage: test-mtu <EAL args> --vdev net_fbnic_model0,wire=loopback,...
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_ether.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>

#include "fbnic_tk.h"
#include "fbnic_tk_frame.h"
#include "test_ethdev.h"

#define NB_DESC		256
#define NB_RX_MBUFS	1024
#define NB_TX_MBUFS	64
#define TX_ROOM		(9728 + 64)
#define WAIT_MS		3000
/* The frame length the port takes at an MTU (the driver's rule, restated). */
#define FRAME_AT(mtu)	((uint32_t)(mtu) + RTE_ETHER_HDR_LEN + 2 * RTE_VLAN_HLEN)

static uint16_t port;
static struct rte_mempool *rx_pool, *tx_pool;
static struct rte_ether_addr own_mac;

static uint64_t
xstat(const char *name)
{
	uint64_t id, value = UINT64_MAX;

	if (rte_eth_xstats_get_id_by_name(port, name, &id) != 0 ||
	    rte_eth_xstats_get_by_id(port, &id, &value, 1) != 1)
		printf("note: the port has no counter named %s\n", name);
	return value;
}

/* Send one UDP/IPv4 frame of len bytes (no FCS) to the port's own MAC. */
static int
send_frame(uint32_t len, uint16_t seq)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(tx_pool);
	struct tk_frame fr;
	uint64_t deadline = tk_now_ms() + WAIT_MS;
	uint8_t *p;

	TEST_ASSERT_NOT_NULL(m, "no mbuf");
	p = (uint8_t *)rte_pktmbuf_append(m, (uint16_t)len);
	if (p == NULL)
		rte_pktmbuf_free(m);
	TEST_ASSERT_NOT_NULL(p, "no room for %u bytes", len);
	tk_frame_init(&fr, false, TK_PROTO_UDP);
	memcpy(fr.dst_mac, &own_mac, sizeof(fr.dst_mac));
	fr.src_mac[0] = 0x02;
	fr.src_mac[5] = 0x77;
	tk_put32(fr.src, 0x0a000001);
	tk_put32(fr.dst, 0x0a000002);
	fr.sport = seq;
	fr.dport = 4000;
	fr.seed = seq;
	tk_frame_build(p, &fr, len - tk_frame_hdr_len(&fr));
	while (rte_eth_tx_burst(port, 0, &m, 1) != 1) {
		if (tk_now_ms() > deadline) {
			rte_pktmbuf_free(m);
			TEST_ASSERT(false, "Tx of a %u-byte frame not taken", len);
		}
	}
	return TEST_SUCCESS;
}

/* Receive until a frame comes or WAIT_MS; returns its length, 0 for none. */
static uint32_t
receive_one(uint32_t wait_ms)
{
	uint64_t deadline = tk_now_ms() + wait_ms;
	struct rte_mbuf *m;
	uint32_t len;

	do {
		if (rte_eth_rx_burst(port, 0, &m, 1) == 1) {
			len = m->pkt_len;
			rte_pktmbuf_free(m);
			return len;
		}
	} while (tk_now_ms() < deadline);
	return 0;
}

/*
 * At the port's MTU: the longest frame is received whole, one byte more is
 * dropped and counted once, and the port goes on receiving.
 */
static int
check_limit_at(uint16_t mtu)
{
	uint32_t frame = FRAME_AT(mtu);
	struct rte_eth_stats before, after;
	uint64_t ovr0, ovr1;

	TEST_ASSERT_SUCCESS(rte_eth_stats_get(port, &before));
	ovr0 = xstat("rpc_oversize_errors");

	TEST_ASSERT_SUCCESS(send_frame(frame, 1));
	TEST_CHECK_EQUAL(receive_one(WAIT_MS), frame, "MTU %u: a frame of the MTU's length",
			 mtu);
	TEST_ASSERT_SUCCESS(send_frame(frame + 1, 2));
	TEST_CHECK_EQUAL(receive_one(300), 0, "MTU %u: a %u-byte frame got through", mtu,
			 frame + 1);
	TEST_ASSERT_SUCCESS(send_frame(frame - 1, 3));
	TEST_CHECK_EQUAL(receive_one(WAIT_MS), frame - 1, "MTU %u: after the drop", mtu);

	TEST_ASSERT_SUCCESS(rte_eth_stats_get(port, &after));
	ovr1 = xstat("rpc_oversize_errors");
	TEST_CHECK_EQUAL(ovr1 - ovr0, 1, "MTU %u: rpc_oversize_errors", mtu);
	TEST_CHECK_EQUAL(after.ierrors - before.ierrors, 1, "MTU %u: ierrors", mtu);
	TEST_CHECK_EQUAL(after.ipackets - before.ipackets, 2, "MTU %u: ipackets", mtu);
	printf("MTU %u: %u-byte frame received, %u-byte frame dropped and counted\n", mtu,
	       frame, frame + 1);
	return TEST_SUCCESS;
}

static int
mtu_limit_holds_at_the_default_mtu(void)
{
	uint16_t mtu = 0;

	TEST_ASSERT_SUCCESS(rte_eth_dev_get_mtu(port, &mtu));
	TEST_CHECK_EQUAL(mtu, RTE_ETHER_MTU);
	return check_limit_at(mtu);
}

static int
mtu_change_of_a_started_port_applies_at_once(void)
{
	uint16_t mtu = 0;

	TEST_ASSERT_SUCCESS(rte_eth_dev_set_mtu(port, 800));
	TEST_ASSERT_SUCCESS(rte_eth_dev_get_mtu(port, &mtu));
	TEST_CHECK_EQUAL(mtu, 800);
	return check_limit_at(800);
}

static int
smallest_mtu_is_ipv4s_and_enforced(void)
{
	struct rte_eth_dev_info info;

	TEST_ASSERT_SUCCESS(rte_eth_dev_info_get(port, &info));
	TEST_CHECK_EQUAL(info.min_mtu, RTE_ETHER_MIN_MTU);
	TEST_CHECK_EQUAL(info.max_mtu, 9728);
	TEST_CHECK_EQUAL(rte_eth_dev_set_mtu(port, RTE_ETHER_MIN_MTU - 1), -EINVAL,
			 "an MTU below the minimum");
	TEST_CHECK_EQUAL(rte_eth_dev_set_mtu(port, 9729), -EINVAL, "an MTU above the maximum");
	TEST_ASSERT_SUCCESS(rte_eth_dev_set_mtu(port, RTE_ETHER_MIN_MTU));
	return check_limit_at(RTE_ETHER_MIN_MTU);
}

/*
 * Jumbo frames: a started port whose queues were set up for 1500 bytes
 * cannot take them (-EBUSY, the port goes on); stopped, the MTU is taken
 * and start gives the queues their payload buffers.
 */
static int
jumbo_frames_follow_the_mtu(void)
{
	uint16_t mtu = 0;

	TEST_CHECK_EQUAL(rte_eth_dev_set_mtu(port, 9000), -EBUSY, "jumbo MTU on a started port");
	TEST_ASSERT_SUCCESS(rte_eth_dev_get_mtu(port, &mtu));
	TEST_CHECK_EQUAL(mtu, RTE_ETHER_MIN_MTU, "the refused MTU was kept");
	TEST_ASSERT_SUCCESS(check_limit_at(mtu));

	TEST_ASSERT_SUCCESS(rte_eth_dev_stop(port));
	TEST_ASSERT_SUCCESS(rte_eth_dev_set_mtu(port, 9000));
	TEST_ASSERT_SUCCESS(rte_eth_dev_start(port));
	TEST_ASSERT_SUCCESS(check_limit_at(9000));
	/* The largest MTU: the frame limit stops at the device's 9742 bytes. */
	TEST_ASSERT_SUCCESS(rte_eth_dev_set_mtu(port, 9728));
	TEST_ASSERT_SUCCESS(send_frame(9742, 9));
	TEST_CHECK_EQUAL(receive_one(WAIT_MS), 9742, "MTU 9728: the device's largest frame");
	return TEST_SUCCESS;
}

static int
port_setup(void)
{
	struct rte_eth_conf conf;

	memset(&conf, 0, sizeof(conf));
	/* Jumbo frames in buffer chains; Tx of them from one large mbuf. */
	conf.rxmode.offloads = RTE_ETH_RX_OFFLOAD_SCATTER;
	TEST_ASSERT_SUCCESS(test_port_start(port, 1, &conf, NB_DESC, rx_pool));
	TEST_ASSERT_SUCCESS(rte_eth_macaddr_get(port, &own_mac));
	return TEST_SUCCESS;
}

int
main(int argc, char **argv)
{
	struct rte_mempool *pools[3] = { NULL };

	if (test_eal_one_port(argc, argv, &port) != 0)
		return 1;
	rx_pool = test_pool("mtu_rx", NB_RX_MBUFS, RTE_MBUF_DEFAULT_BUF_SIZE);
	tx_pool = test_pool("mtu_tx", NB_TX_MBUFS, TX_ROOM + RTE_PKTMBUF_HEADROOM);
	if (rx_pool == NULL || tx_pool == NULL) {
		rte_eal_cleanup();
		return 1;
	}
	if (TK_RUN(port_setup) == 0) {
		TK_RUN(mtu_limit_holds_at_the_default_mtu);
		TK_RUN(mtu_change_of_a_started_port_applies_at_once);
		TK_RUN(smallest_mtu_is_ipv4s_and_enforced);
		TK_RUN(jumbo_frames_follow_the_mtu);
	}
	pools[0] = rx_pool;
	pools[1] = tx_pool;
	test_port_teardown(port, pools);
	return tk_report("test_mtu");
}
