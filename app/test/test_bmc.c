/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

/*
 * A BMC sharing the NIC with the PMD: two model ports on a cable, the
 * second one's firmware reporting a BMC (bmc=1) whose address the model
 * derives from the DSN (02:bc and the DSN's low four bytes). Port 0 sends;
 * what port 1's classifier gives the BMC is counted by its RX buffer's BMC
 * interface (xstat rxb_out2_frames), what it gives the host arrives on its
 * queue. The BMC's unicast frames reach the BMC and not the host, the
 * host's the host only, broadcast both; promiscuous mode and a stopped port
 * keep the BMC's path.
 *
 * Usage: test-bmc <EAL args> --vdev net_fbnic_model0,wire=peer:net_fbnic_model1
 *        --vdev net_fbnic_model1,bmc=1,dsn=0x02fb4e0000c0ffee
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>

#include "rte_pmd_fbnic.h"

#include "fbnic_tk.h"
#include "fbnic_tk_frame.h"
#include "test_ethdev.h"

#define NB_DESC		256
#define NB_MBUFS	2048
#define NB_FRAMES	32
#define WAIT_MS		2000

static const uint8_t bmc_mac[6] = { 0x02, 0xbc, 0x00, 0xc0, 0xff, 0xee };
static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
static const uint8_t foreign[6] = { 0x02, 0x12, 0x34, 0x56, 0x78, 0x9a };

static uint16_t tx_port, bmc_port;
static struct rte_mempool *pool;
static struct rte_ether_addr host_mac;

static uint64_t
xstat(uint16_t port, const char *name)
{
	uint64_t id, v = UINT64_MAX;

	if (rte_eth_xstats_get_id_by_name(port, name, &id) != 0 ||
	    rte_eth_xstats_get_by_id(port, &id, &v, 1) != 1)
		return UINT64_MAX;
	return v;
}

static int
send_frames(const uint8_t dst[6], unsigned int n)
{
	struct tk_frame fr;
	unsigned int i;

	for (i = 0; i < n; i++) {
		struct rte_mbuf *m = rte_pktmbuf_alloc(pool);
		uint8_t *p;

		TEST_ASSERT_NOT_NULL(m);
		tk_frame_init(&fr, false, TK_PROTO_UDP);
		memcpy(fr.dst_mac, dst, 6);
		fr.sport = (uint16_t)(100 + i);
		fr.dport = 623;			/* RMCP, as a BMC would get */
		p = (uint8_t *)rte_pktmbuf_append(m, (uint16_t)(tk_frame_hdr_len(&fr) + 32));
		if (p == NULL)
			rte_pktmbuf_free(m);
		TEST_ASSERT_NOT_NULL(p);
		tk_frame_build(p, &fr, 32);
		if (rte_eth_tx_burst(tx_port, 0, &m, 1) != 1) {
			rte_pktmbuf_free(m);
			TEST_ASSERT(false, "Tx refused frame %u", i);
		}
	}
	return TEST_SUCCESS;
}

/* Frames the host got on port 1 within wait_ms (all freed). */
static unsigned int
host_frames(uint64_t wait_ms, unsigned int want)
{
	uint64_t deadline = tk_now_ms() + wait_ms;
	struct rte_mbuf *m[32];
	unsigned int got = 0;
	uint16_t i, n;

	do {
		n = rte_eth_rx_burst(bmc_port, 0, m, RTE_DIM(m));
		for (i = 0; i < n; i++)
			rte_pktmbuf_free(m[i]);
		got += n;
	} while ((got < want || want == 0) && tk_now_ms() < deadline);
	return got;
}

/* n frames to dst: the host gets to_host of them, the BMC to_bmc. */
static int
frames_land(const uint8_t dst[6], unsigned int to_host, unsigned int to_bmc, bool host_running)
{
	uint64_t bmc0 = xstat(bmc_port, "rxb_out2_frames"), bmc1 = bmc0;
	uint64_t deadline;
	unsigned int got = 0;

	TEST_ASSERT(bmc0 != UINT64_MAX, "no xstat rxb_out2_frames");
	TEST_ASSERT_SUCCESS(send_frames(dst, NB_FRAMES));
	if (host_running)
		got = host_frames(to_host != 0 ? WAIT_MS : 300, to_host);
	deadline = tk_now_ms() + WAIT_MS;
	do {
		bmc1 = xstat(bmc_port, "rxb_out2_frames");
	} while (bmc1 - bmc0 < to_bmc && tk_now_ms() < deadline);
	if (to_bmc == 0) {
		rte_delay_ms(100);
		bmc1 = xstat(bmc_port, "rxb_out2_frames");
	}
	TEST_CHECK_EQUAL(got, to_host, "frames to the host (dst %02x:%02x:..:%02x)", dst[0],
			 dst[1], dst[5]);
	TEST_CHECK_EQUAL(bmc1 - bmc0, to_bmc, "frames to the BMC (dst %02x:%02x:..:%02x)",
			 dst[0], dst[1], dst[5]);
	return TEST_SUCCESS;
}

static int
bmc_and_host_get_their_own_frames(void)
{
	TEST_ASSERT_SUCCESS(frames_land(bmc_mac, 0, NB_FRAMES, true));
	TEST_ASSERT_SUCCESS(frames_land(host_mac.addr_bytes, NB_FRAMES, 0, true));
	TEST_ASSERT_SUCCESS(frames_land(bcast, NB_FRAMES, NB_FRAMES, true));
	TEST_ASSERT_SUCCESS(frames_land(foreign, 0, 0, true));
	return TEST_SUCCESS;
}

static int
promiscuous_mode_keeps_the_bmc_path(void)
{
	TEST_ASSERT_SUCCESS(rte_eth_promiscuous_enable(bmc_port));
	TEST_ASSERT_SUCCESS(frames_land(bmc_mac, 0, NB_FRAMES, true));
	TEST_ASSERT_SUCCESS(frames_land(foreign, NB_FRAMES, 0, true));
	TEST_ASSERT_SUCCESS(rte_eth_allmulticast_enable(bmc_port));
	TEST_ASSERT_SUCCESS(rte_eth_promiscuous_disable(bmc_port));
	TEST_ASSERT_SUCCESS(rte_eth_allmulticast_disable(bmc_port));
	TEST_ASSERT_SUCCESS(frames_land(bmc_mac, 0, NB_FRAMES, true));
	TEST_ASSERT_SUCCESS(frames_land(foreign, 0, 0, true));
	return TEST_SUCCESS;
}

static int
stopped_port_keeps_the_bmc_path(void)
{
	TEST_ASSERT_SUCCESS(rte_eth_dev_stop(bmc_port));
	TEST_ASSERT_SUCCESS(frames_land(bmc_mac, 0, NB_FRAMES, false));
	TEST_ASSERT_SUCCESS(frames_land(bcast, 0, NB_FRAMES, false));
	TEST_ASSERT_SUCCESS(rte_eth_dev_start(bmc_port));
	TEST_ASSERT_SUCCESS(frames_land(host_mac.addr_bytes, NB_FRAMES, 0, true));
	TEST_ASSERT_SUCCESS(frames_land(bmc_mac, 0, NB_FRAMES, true));
	return TEST_SUCCESS;
}

static int
port_start(uint16_t port)
{
	struct rte_eth_conf conf;

	memset(&conf, 0, sizeof(conf));
	TEST_ASSERT_SUCCESS(test_port_start(port, 1, &conf, NB_DESC, pool));
	return TEST_SUCCESS;
}

static int
ports_setup(void)
{
	struct rte_eth_link link;
	uint64_t deadline;

	TEST_ASSERT_SUCCESS(port_start(tx_port));
	TEST_ASSERT_SUCCESS(port_start(bmc_port));
	TEST_ASSERT_SUCCESS(rte_eth_macaddr_get(bmc_port, &host_mac));
	deadline = tk_now_ms() + WAIT_MS;
	do {
		TEST_ASSERT_SUCCESS(rte_eth_link_get_nowait(bmc_port, &link));
	} while (!link.link_status && tk_now_ms() < deadline);
	TEST_ASSERT(link.link_status, "link down");
	return TEST_SUCCESS;
}

int
main(int argc, char **argv)
{
	struct rte_mempool *pools[2] = { NULL };
	uint16_t p, n = 0;

	if (rte_eal_init(argc, argv) < 0) {
		printf("FAIL: EAL init: %s\n", rte_strerror(rte_errno));
		return 1;
	}
	RTE_ETH_FOREACH_DEV(p) {
		if (n++ == 0)
			tx_port = p;
		else
			bmc_port = p;
	}
	/* The plugin's own API: links it in even with --as-needed. */
	TEST_CHECK_EQUAL(rte_pmd_fbnic_model_poll(RTE_MAX_ETHPORTS, 1), -ENODEV);
	pool = test_pool("bmc", NB_MBUFS, RTE_MBUF_DEFAULT_BUF_SIZE);
	if (n != 2 || pool == NULL) {
		printf("FAIL: expected two ports and a pool\n");
		rte_eal_cleanup();
		return 1;
	}
	if (TK_RUN(ports_setup) == 0) {
		TK_RUN(bmc_and_host_get_their_own_frames);
		TK_RUN(promiscuous_mode_keeps_the_bmc_path);
		TK_RUN(stopped_port_keeps_the_bmc_path);
	}
	TEST_CHECK_EQUAL(rte_eth_dev_stop(tx_port), 0);
	TEST_CHECK_EQUAL(rte_eth_dev_close(tx_port), 0);
	pools[0] = pool;
	test_port_teardown(bmc_port, pools);
	return tk_report("test_bmc");
}
