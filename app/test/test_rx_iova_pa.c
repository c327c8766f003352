/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

/*
 * rx_queues_need_no_contiguous_memory: Rx and Tx queues of every ring size, 64 to 32768
 * descriptors, set up and pass traffic with IOVA as physical addresses on
 * hugepages whose physical memory has been fragmented on purpose: the
 * driver must not need IOVA-contiguous memory beyond one hugepage.
 *
 * Two model ports on loopback wires: one with the default (copy) Rx, one
 * with rx_zero_copy=1. Before the queues are set up, the test reserves
 * single-hugepage memzones and frees every other one, so that free memory
 * is a scatter of lone hugepages. Each round sends frames of several sizes
 * and checks that each comes back with its bytes; at the end every mbuf is
 * back in the pool.
 *
 * Needs root and free 2 MiB hugepages (IOVA as PA): exit 77 otherwise.
 * Run it with --huge-unlink rather than --in-memory: with --in-memory, EAL
 * cannot reserve any IOVA-contiguous zone with IOVA as PA.
 * Usage: test_rx_iova_pa <EAL args, with --iova-mode=pa>
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_ether.h>
#include <rte_mbuf.h>
#include <rte_memory.h>
#include <rte_memzone.h>
#include <rte_mempool.h>

#include "rte_pmd_fbnic.h"

#include "fbnic_tk.h"
#include "fbnic_tk_frame.h"

#define FRAG_ZONES	48
#define NB_MBUFS	8192
#define FRAMES		32
#define WAIT_MS		3000
#define HUGEPAGE_SZ	RTE_PGSIZE_2M

/* Reserve lone hugepages, then free every other one: free memory in holes. */
static unsigned int
fragment_memory(const struct rte_memzone **zones)
{
	unsigned int i, n = 0;
	char name[RTE_MEMZONE_NAMESIZE];

	for (i = 0; i < FRAG_ZONES; i++) {
		snprintf(name, sizeof(name), "iova_frag_%u", i);
		/* Over half a page, IOVA-contiguous: two zones never share a page. */
		zones[i] = rte_memzone_reserve(name, HUGEPAGE_SZ - HUGEPAGE_SZ / 8, SOCKET_ID_ANY,
					       RTE_MEMZONE_2MB | RTE_MEMZONE_IOVA_CONTIG);
		if (zones[i] == NULL)
			break;
		n++;
	}
	for (i = 0; i < n; i += 2) {
		rte_memzone_free(zones[i]);
		zones[i] = NULL;
	}
	return n;
}

static int
port_start(uint16_t port, uint16_t nb_desc, struct rte_mempool *mp)
{
	struct rte_eth_conf conf;
	struct rte_eth_link link;
	uint64_t deadline;
	int ret;

	memset(&conf, 0, sizeof(conf));
	conf.rxmode.offloads = RTE_ETH_RX_OFFLOAD_SCATTER;
	conf.txmode.offloads = RTE_ETH_TX_OFFLOAD_MULTI_SEGS;
	ret = rte_eth_dev_configure(port, 1, 1, &conf);
	if (ret != 0)
		return ret;
	ret = rte_eth_rx_queue_setup(port, 0, nb_desc, rte_socket_id(), NULL, mp);
	if (ret != 0) {
		printf("port %u: Rx queue setup of %u descriptors: %d\n", port, nb_desc, ret);
		return ret;
	}
	ret = rte_eth_tx_queue_setup(port, 0, nb_desc, rte_socket_id(), NULL);
	if (ret != 0) {
		printf("port %u: Tx queue setup of %u descriptors: %d\n", port, nb_desc, ret);
		return ret;
	}
	ret = rte_eth_dev_start(port);
	if (ret != 0)
		return ret;
	deadline = tk_now_ms() + WAIT_MS;
	do {
		if (rte_eth_link_get_nowait(port, &link) == 0 && link.link_status)
			return 0;
		rte_delay_ms(5);
	} while (tk_now_ms() < deadline);
	printf("port %u: no link\n", port);
	return -ETIMEDOUT;
}

/* Frame k: to the port's own address, length 64 + 47 * k, a pattern by k. */
static uint32_t
frame_len(unsigned int k)
{
	return 64 + 47 * k;
}

/* Write frame k into p: local experimental EtherType 0x88b5, payload by k. */
static void
frame_build(uint8_t *p, const struct rte_ether_addr *dst, unsigned int k)
{
	struct tk_frame fr;

	tk_frame_init(&fr, false, 0);
	memcpy(fr.dst_mac, dst, sizeof(fr.dst_mac));
	fr.ethertype = 0x88b5;
	fr.seed = k;
	tk_frame_build(p, &fr, frame_len(k) - TK_ETH_HLEN);
}

static struct rte_mbuf *
frame_make(struct rte_mempool *mp, const struct rte_ether_addr *dst, unsigned int k)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(mp);
	uint8_t *p;

	if (m == NULL)
		return NULL;
	p = (uint8_t *)rte_pktmbuf_append(m, (uint16_t)frame_len(k));
	if (p == NULL) {
		rte_pktmbuf_free(m);
		return NULL;
	}
	frame_build(p, dst, k);
	return m;
}

static bool
frame_ok(const struct rte_mbuf *m, const struct rte_ether_addr *dst, unsigned int k)
{
	uint8_t buf[2048], want[2048];
	uint32_t len = frame_len(k);
	const uint8_t *b;

	if (m->pkt_len != len)
		return false;
	b = rte_pktmbuf_read(m, 0, len, buf);
	frame_build(want, dst, k);
	return b != NULL && memcmp(b, want, len) == 0;
}

/* Send FRAMES frames and take them back; returns how many came back intact. */
static unsigned int
loop_frames(uint16_t port, struct rte_mempool *mp)
{
	struct rte_mbuf *tx[FRAMES], *rx[FRAMES];
	struct rte_ether_addr mac;
	unsigned int k, sent = 0, got = 0, ok = 0;
	uint64_t deadline;

	if (rte_eth_macaddr_get(port, &mac) != 0)
		return 0;
	for (k = 0; k < FRAMES; k++) {
		tx[k] = frame_make(mp, &mac, k);
		if (tx[k] == NULL) {
			rte_pktmbuf_free_bulk(tx, k);
			return 0;
		}
	}
	deadline = tk_now_ms() + WAIT_MS;
	while (sent < FRAMES && tk_now_ms() < deadline)
		sent += rte_eth_tx_burst(port, 0, tx + sent, (uint16_t)(FRAMES - sent));
	rte_pktmbuf_free_bulk(tx + sent, FRAMES - sent);
	while (got < sent && tk_now_ms() < deadline) {
		uint16_t n = rte_eth_rx_burst(port, 0, rx, FRAMES);

		for (k = 0; k < n; k++) {
			/* Frames come back in order. */
			if (frame_ok(rx[k], &mac, got + k))
				ok++;
		}
		got += n;
		rte_pktmbuf_free_bulk(rx, n);
		if (n == 0)
			rte_delay_us_sleep(200);
	}
	return ok;
}

static struct rte_mempool *iova_mp;

/* Every ring size, copy and zero-copy, on the fragmented memory. */
static int
rx_queues_need_no_contiguous_memory(void)
{
	static const uint16_t sizes[] = { 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384,
					  32768 };
	static const char *const names[] = { "net_fbnic_model0", "net_fbnic_model1" };
	struct rte_mempool *mp = iova_mp;
	unsigned int s, p, ok;
	uint16_t port;
	int ret;

	for (s = 0; s < RTE_DIM(sizes); s++) {
		for (p = 0; p < RTE_DIM(names); p++) {
			/* A model port answers the model's own API (a no-op here). */
			if (rte_eth_dev_get_port_by_name(names[p], &port) != 0 ||
			    rte_pmd_fbnic_model_fault_set(port, "link_down", false) != 0) {
				TEST_CHECK(false, "no model port %s", names[p]);
				continue;
			}
			ret = port_start(port, sizes[s], mp);
			TEST_CHECK(ret == 0, "%s: %u descriptors: start failed (%d)", names[p],
				   sizes[s], ret);
			if (ret == 0) {
				ok = loop_frames(port, mp);
				TEST_CHECK(ok == FRAMES, "%s: %u descriptors: %u of %u frames back "
					   "intact", names[p], sizes[s], ok, FRAMES);
			}
			TEST_CHECK(rte_eth_dev_stop(port) == 0, "%s: stop", names[p]);
		}
		printf("%5u descriptors: %s\n", sizes[s], tk_failures ? "failures so far" : "ok");
	}
	for (p = 0; p < RTE_DIM(names); p++)
		if (rte_eth_dev_get_port_by_name(names[p], &port) == 0)
			TEST_CHECK(rte_eth_dev_close(port) == 0, "%s: close", names[p]);
	TEST_CHECK(rte_mempool_avail_count(mp) == mp->size, "%u of %u mbufs back",
		   rte_mempool_avail_count(mp), mp->size);
	return TEST_SUCCESS;
}

int
main(int argc, char **argv)
{
	const struct rte_memzone *zones[FRAG_ZONES];
	unsigned int s, frag;

	setvbuf(stdout, NULL, _IONBF, 0);
	if (rte_eal_init(argc, argv) < 0) {
		printf("SKIP: EAL init failed (needs root and free hugepages)\n");
		return 77;
	}
	if (rte_eal_iova_mode() != RTE_IOVA_PA) {
		printf("SKIP: IOVA mode is not PA here (no physical addresses: not root?)\n");
		rte_eal_cleanup();
		return 77;
	}
	iova_mp = rte_pktmbuf_pool_create("iova_pa_pool", NB_MBUFS, 256, 0,
					  RTE_MBUF_DEFAULT_BUF_SIZE, rte_socket_id());
	if (iova_mp == NULL) {
		printf("SKIP: no memory for the mbuf pool\n");
		rte_eal_cleanup();
		return 77;
	}
	frag = fragment_memory(zones);
	printf("fragmented: %u lone hugepages reserved, every other one freed\n", frag);
	TEST_CHECK(frag >= 8, "only %u hugepage memzones could be reserved", frag);

	TK_RUN(rx_queues_need_no_contiguous_memory);

	for (s = 1; s < frag; s += 2)
		rte_memzone_free(zones[s]);
	rte_mempool_free(iova_mp);
	rte_eal_cleanup();
	return tk_report("test_rx_iova_pa");
}
