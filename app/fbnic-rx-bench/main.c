/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

/*
 * fbnic-rx-bench: the cost of receiving, in cycles per packet, of the fbnic
 * PMD's Rx schemes against net_null, in one process, the runs alternating.
 *
 * Like pmd_perf_autotest's poll_after_xmit mode, but with every frame in the
 * Rx ring before the clock starts: the two cabled model ports have no engine
 * thread (engine=none), so this program moves the frames from port 0's Tx
 * queue to port 1's RCQ (rte_pmd_fbnic_model_poll()) and only then times
 * rte_eth_rx_burst() on port 1 until all have arrived. The model's cost is
 * outside the timed region; what is timed is the driver's. The mbufs are
 * freed after the clock stops, as pmd_perf_autotest does. net_null's Rx
 * (allocate, set the length) is timed the same way.
 *
 * Schemes: buffers (MTU 1500: one mbuf per NIC buffer), copy (MTU 9000:
 * frames copied from the queue's pages). "fbnic_buffers_csum": the buffers
 * scheme with the Rx checksum offloads on, the frames UDP/IPv4 with valid
 * sums (at least 60 bytes): the checksum variant of the widest Rx path.
 *
 * Forwarding in a loop ("fbnic_buffers_loop"): rings of 512 entries, as
 * testpmd gives them, and 256 frames going round: the port's Rx and Tx
 * bursts are timed as in the _fwd case; untimed, every 4 bursts, the peer
 * receives what the port sent and sends it back.
 *
 * Forwarding ("_fwd" cases): each burst received is sent back out of the
 * same port (net_null's Tx frees the mbufs); the Rx and Tx bursts are timed,
 * then, untimed, the models move the frames on and the peer's frames are
 * freed, so that later Tx bursts reap and free the completed mbufs inside
 * the timed region (a 256-entry Tx ring keeps them reaping; the models run
 * every 4 bursts, half the ring).
 *
 * Under callgrind (devtools/bench-rx.sh --callgrind), -i rx or -i tx
 * collects only the rte_eth_rx_burst() or rte_eth_tx_burst() calls of the
 * timed loops (valgrind's client requests), and -o runs only one case: the
 * instructions of the driver's bursts, per frame.
 *
 * usage: fbnic-rx-bench <EAL args> -- -p <plugin> [-n frames] [-r runs] [-s size]
 *                       [-o case] [-i rx|tx]
 *   (devtools/bench-rx.sh gives the EAL arguments)
 */

#include <dlfcn.h>
#include <stdbool.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>
#include <rte_udp.h>

#if defined(__has_include)
#if __has_include("valgrind/callgrind.h")
#include <valgrind/callgrind.h>
#define HAVE_CALLGRIND
#endif
#endif
#ifndef HAVE_CALLGRIND
#define CALLGRIND_TOGGLE_COLLECT	do { } while (0)
#endif

#define BURST		32
#define MAX_RUNS	101
#define POOL_MBUFS	16383

/* -i: which bursts callgrind counts. */
enum { COLLECT_NONE, COLLECT_RX, COLLECT_TX };
static int collect;

#define COLLECTED(what, call) do { \
	if (collect == (what)) \
		CALLGRIND_TOGGLE_COLLECT; \
	call; \
	if (collect == (what)) \
		CALLGRIND_TOGGLE_COLLECT; \
} while (0)

typedef int (*model_poll_t)(uint16_t port_id, unsigned int budget);
static model_poll_t model_poll;

enum {
	NULL_RX, FBNIC_BUFS, FBNIC_COPY, FBNIC_BUFS_CSUM, NULL_FWD, FBNIC_BUFS_FWD,
	FBNIC_BUFS_LOOP, NB_CASES
};
static const char *const case_name[NB_CASES] = {
	"net_null", "fbnic_buffers", "fbnic_copy", "fbnic_buffers_csum", "net_null_fwd",
	"fbnic_buffers_fwd", "fbnic_buffers_loop",
};
static const uint16_t case_mtu[NB_CASES] = {
	RTE_ETHER_MTU, RTE_ETHER_MTU, 9000, RTE_ETHER_MTU, RTE_ETHER_MTU, RTE_ETHER_MTU,
	RTE_ETHER_MTU,
};
/* The _csum case: UDP/IPv4 frames, the Rx checksum offloads on. */
#define CSUM_RX_OFFLOADS	(RTE_ETH_RX_OFFLOAD_IPV4_CKSUM | RTE_ETH_RX_OFFLOAD_UDP_CKSUM | \
				 RTE_ETH_RX_OFFLOAD_TCP_CKSUM)
#define FWD_TX_DESC	256
/* The loop case: testpmd's default rings, a quarter of them in circulation. */
#define LOOP_DESC	512
#define LOOP_FRAMES	256

static int
port_setup(uint16_t port, uint16_t mtu, uint16_t nb_desc, uint16_t tx_desc,
	   struct rte_mempool *mp, uint64_t rx_offloads)
{
	struct rte_eth_dev_info info;
	struct rte_eth_conf conf;

	memset(&conf, 0, sizeof(conf));
	conf.rxmode.mtu = mtu;
	conf.rxmode.offloads = rx_offloads;
	/* As testpmd does: fast free where the port has it (one pool per Tx queue here). */
	if (rte_eth_dev_info_get(port, &info) == 0)
		conf.txmode.offloads = info.tx_offload_capa & RTE_ETH_TX_OFFLOAD_MBUF_FAST_FREE;
	if (rte_eth_dev_configure(port, 1, 1, &conf) != 0 ||
	    rte_eth_rx_queue_setup(port, 0, nb_desc, rte_socket_id(), NULL, mp) != 0 ||
	    rte_eth_tx_queue_setup(port, 0, tx_desc, rte_socket_id(), NULL) != 0 ||
	    rte_eth_dev_start(port) != 0)
		return -1;
	return 0;
}

/* A UDP/IPv4 frame of size bytes (at least 42) with valid checksums, at eth. */
static void
udp4_frame(struct rte_ether_hdr *eth, uint32_t size, uint32_t i)
{
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(eth + 1);
	struct rte_udp_hdr *udp = (struct rte_udp_hdr *)(ip + 1);

	eth->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4);
	ip->version_ihl = RTE_IPV4_VHL_DEF;
	ip->total_length = rte_cpu_to_be_16((uint16_t)(size - sizeof(*eth)));
	ip->time_to_live = 64;
	ip->next_proto_id = IPPROTO_UDP;
	ip->src_addr = rte_cpu_to_be_32(0xc6120000 | (i & 0xffff));	/* 198.18.x.x */
	ip->dst_addr = rte_cpu_to_be_32(0xc6130001);
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	udp->src_port = rte_cpu_to_be_16((uint16_t)(1024 + (i & 0x3ff)));
	udp->dst_port = rte_cpu_to_be_16(9);
	udp->dgram_len = rte_cpu_to_be_16((uint16_t)(size - sizeof(*eth) - sizeof(*ip)));
	udp->dgram_cksum = rte_ipv4_udptcp_cksum(ip, udp);
}

/* Frames of size bytes from port tx, all moved into port rx's RCQ (UDP with udp). */
static int
stage(uint16_t tx, uint16_t rx, struct rte_mempool *mp, uint32_t n, uint32_t size, bool udp)
{
	struct rte_ether_addr dst;
	uint32_t sent = 0, guard;

	rte_eth_macaddr_get(rx, &dst);
	while (sent < n) {
		struct rte_mbuf *m[BURST];
		uint16_t k, want = (uint16_t)RTE_MIN((uint32_t)BURST, n - sent), ok;

		if (rte_pktmbuf_alloc_bulk(mp, m, want) != 0)
			return -1;
		for (k = 0; k < want; k++) {
			struct rte_ether_hdr *eth = rte_pktmbuf_mtod(m[k], struct rte_ether_hdr *);

			memset(eth, 0, size);
			rte_ether_addr_copy(&dst, &eth->dst_addr);
			eth->src_addr.addr_bytes[0] = 0x02;
			eth->ether_type = rte_cpu_to_be_16(0x88b5);	/* local experimental */
			if (udp)
				udp4_frame(eth, size, sent + k);
			m[k]->data_len = m[k]->pkt_len = size;
		}
		for (ok = 0, guard = 0; ok < want && guard < 100000; guard++) {
			ok += rte_eth_tx_burst(tx, 0, m + ok, want - ok);
			model_poll(tx, 256);
			model_poll(rx, 256);
		}
		if (ok < want) {
			rte_pktmbuf_free_bulk(m + ok, want - ok);
			return -1;
		}
		sent += want;
	}
	for (guard = 0; guard < 100000 && rte_eth_rx_queue_count(rx, 0) < (int)n; guard++) {
		model_poll(tx, 256);
		model_poll(rx, 256);
	}
	return rte_eth_rx_queue_count(rx, 0) >= (int)n ? 0 : -1;
}

/* Timed: receive n frames; returns cycles, or 0 when they did not all come. */
static uint64_t
timed_rx(uint16_t port, struct rte_mbuf **pkts, uint32_t n)
{
	uint32_t got = 0, idle = 0;
	uint64_t t0, t1;

	t0 = rte_rdtsc_precise();
	while (got < n && idle < 1000) {
		uint16_t k;

		COLLECTED(COLLECT_RX, k = rte_eth_rx_burst(port, 0, pkts + got,
							   (uint16_t)RTE_MIN((uint32_t)BURST,
									     n - got)));
		got += k;
		idle = k != 0 ? 0 : idle + 1;
	}
	t1 = rte_rdtsc_precise();
	rte_pktmbuf_free_bulk(pkts, got);
	return got == n ? t1 - t0 : 0;
}

/*
 * Timed: one burst of at most want frames received on port and sent back out
 * of it (what Tx does not take is freed, untimed); returns the frames received.
 */
static uint16_t
fwd_burst(uint16_t port, struct rte_mbuf **b, uint16_t want, uint64_t *cycles,
	  uint64_t *tx_cycles)
{
	uint64_t t0 = rte_rdtsc_precise(), t1;
	uint16_t k, sent = 0;

	COLLECTED(COLLECT_RX, k = rte_eth_rx_burst(port, 0, b, want));
	t1 = rte_rdtsc_precise();
	if (k != 0)
		COLLECTED(COLLECT_TX, sent = rte_eth_tx_burst(port, 0, b, k));
	*tx_cycles += rte_rdtsc_precise() - t1;
	*cycles += rte_rdtsc_precise() - t0;
	if (sent < k)
		rte_pktmbuf_free_bulk(b + sent, k - sent);
	return k;
}

/*
 * Timed: receive n frames on port and send each burst back out of it.
 * Untimed, with the model: the devices move the frames, the peer's are freed.
 */
static uint64_t
timed_fwd(uint16_t port, uint16_t peer, bool model, uint32_t n, uint64_t *tx_cycles)
{
	uint32_t got = 0, idle = 0, bursts = 0;
	uint64_t cycles = 0;

	*tx_cycles = 0;
	while (got < n && idle < 1000) {
		struct rte_mbuf *b[BURST];
		uint16_t k = fwd_burst(port, b, (uint16_t)RTE_MIN((uint32_t)BURST, n - got),
				       &cycles, tx_cycles);

		got += k;
		idle = k != 0 ? 0 : idle + 1;
		/* Every 4 bursts: half the Tx ring (FWD_TX_DESC TWDs, 2 per frame) */
		if (model && (++bursts % 4 == 0 || k == 0)) {
			uint16_t d;

			model_poll(port, 256);
			model_poll(peer, 256);
			while ((d = rte_eth_rx_burst(peer, 0, b, BURST)) != 0)
				rte_pktmbuf_free_bulk(b, d);
		}
	}
	return got == n ? cycles : 0;
}

/*
 * Timed: receive on port and send each burst back out of it until n frames
 * went through. Untimed: the peer sends the frames back to the port.
 */
static uint64_t
timed_loop(uint16_t port, uint16_t peer, uint32_t n, uint64_t *tx_cycles)
{
	uint32_t got = 0, idle = 0, bursts = 0;
	uint64_t cycles = 0;
	struct rte_mbuf *b[BURST];
	uint16_t d;

	*tx_cycles = 0;
	while (got < n && idle < 1000) {
		uint16_t k = fwd_burst(port, b, BURST, &cycles, tx_cycles);

		got += k;
		idle = k != 0 ? 0 : idle + 1;
		if (++bursts % 4 == 0 || k == 0) {
			model_poll(port, 256);
			model_poll(peer, 256);
			while ((d = rte_eth_rx_burst(peer, 0, b, BURST)) != 0) {
				uint16_t s = rte_eth_tx_burst(peer, 0, b, d);

				if (s < d)
					rte_pktmbuf_free_bulk(b + s, d - s);
			}
			model_poll(peer, 256);
			model_poll(port, 256);
		}
	}
	/* What is still going round is dropped when the port stops; the peer's is freed. */
	model_poll(port, 256);
	model_poll(peer, 256);
	while ((d = rte_eth_rx_burst(peer, 0, b, BURST)) != 0)
		rte_pktmbuf_free_bulk(b, d);
	return got >= n ? cycles : 0;
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

int
main(int argc, char **argv)
{
	static uint64_t cycles[NB_CASES][MAX_RUNS], tx_part[NB_CASES][MAX_RUNS];
	uint16_t p_tx, p_rx, p_null;
	uint32_t n = 2048, runs = 9, size = 64, r, c, only = NB_CASES;
	struct rte_mempool *mp;
	struct rte_mbuf **pkts;
	double median[NB_CASES], tx_median[NB_CASES];
	int ret, opt;

	ret = rte_eal_init(argc, argv);
	if (ret < 0)
		return 1;
	argc -= ret;
	argv += ret;
	while ((opt = getopt(argc, argv, "i:n:o:p:r:s:")) != -1) {
		if (opt == 'i') {
#ifdef HAVE_CALLGRIND
			collect = strcmp(optarg, "rx") == 0 ? COLLECT_RX :
				  strcmp(optarg, "tx") == 0 ? COLLECT_TX : -1;
#else
			collect = -1;
			printf("-i: built without valgrind/callgrind.h\n");
#endif
			if (collect < 0)
				return 2;
		} else if (opt == 'o') {
			for (only = 0; only < NB_CASES; only++)
				if (strcmp(optarg, case_name[only]) == 0)
					break;
			if (only == NB_CASES) {
				printf("-o %s: no such case\n", optarg);
				return 2;
			}
		} else if (opt == 'n') {
			n = (uint32_t)strtoul(optarg, NULL, 0);
		} else if (opt == 'r') {
			runs = (uint32_t)strtoul(optarg, NULL, 0);
		} else if (opt == 's') {
			size = (uint32_t)strtoul(optarg, NULL, 0);
		} else if (opt == 'p') {
			void *h = dlopen(optarg, RTLD_NOW | RTLD_NOLOAD);

			if (h != NULL)
				model_poll = (model_poll_t)dlsym(h, "rte_pmd_fbnic_model_poll");
		} else {
			return 2;
		}
	}
	if (model_poll == NULL || n == 0 || n > 8192 || runs == 0 || runs > MAX_RUNS ||
	    size < 60 || size > 1500) {
		printf("usage: fbnic-rx-bench <EAL args> -- -p <loaded fbnic plugin> "
		       "[-n frames <= 8192] [-r runs <= %u] [-s size 60..1500]\n", MAX_RUNS);
		return 2;
	}
	if (rte_eth_dev_get_port_by_name("net_fbnic_model0", &p_tx) != 0 ||
	    rte_eth_dev_get_port_by_name("net_fbnic_model1", &p_rx) != 0 ||
	    rte_eth_dev_get_port_by_name("net_null0", &p_null) != 0) {
		printf("needs net_fbnic_model0 cabled to net_fbnic_model1 (engine=none) "
		       "and net_null0\n");
		return 1;
	}
	mp = rte_pktmbuf_pool_create("bench", POOL_MBUFS, 256, 0, RTE_MBUF_DEFAULT_BUF_SIZE,
				     rte_socket_id());
	pkts = rte_malloc(NULL, n * sizeof(*pkts), 0);
	if (mp == NULL || pkts == NULL || port_setup(p_tx, RTE_ETHER_MTU, 4096, 4096, mp, 0) != 0 ||
	    port_setup(p_null, RTE_ETHER_MTU, 4096, 4096, mp, 0) != 0) {
		printf("set-up failed\n");
		return 1;
	}

	for (r = 0; r < runs; r++) {
		for (c = 0; c < NB_CASES; c++) {
			bool null = c == NULL_RX || c == NULL_FWD, fwd = c >= NULL_FWD;

			if (only != NB_CASES && c != only) {
				cycles[c][r] = 1;
				continue;
			}
			uint16_t port = null ? p_null : p_rx;

			if (!null) {
				bool loop = c == FBNIC_BUFS_LOOP;
				uint32_t staged = loop ? LOOP_FRAMES : n;
				uint16_t rx_desc = loop ? LOOP_DESC : 4096;
				uint16_t tx_desc = loop ? LOOP_DESC : fwd ? FWD_TX_DESC : 4096;
				bool csum = c == FBNIC_BUFS_CSUM;
				/* A UDP/IPv4 frame takes 42 bytes, the NIC pads to 60. */
				uint32_t frame_len = csum && size < 60 ? 60 : size;
				uint64_t rx_ol = csum ? (uint64_t)CSUM_RX_OFFLOADS : 0;

				/* The MTU picks the scheme at queue set-up. */
				rte_eth_dev_stop(p_rx);
				if (port_setup(p_rx, case_mtu[c], rx_desc, tx_desc, mp,
					       rx_ol) != 0 ||
				    stage(p_tx, p_rx, mp, staged, frame_len, csum) != 0) {
					printf("%s: staging %u frames failed\n", case_name[c],
					       staged);
					return 1;
				}
			}
			if (c == FBNIC_BUFS_LOOP) {
				/* The frames carry the port's address: the peer takes them all. */
				rte_eth_promiscuous_enable(p_tx);
				cycles[c][r] = timed_loop(port, p_tx, n, &tx_part[c][r]);
				rte_eth_promiscuous_disable(p_tx);
			} else {
				cycles[c][r] = fwd ? timed_fwd(port, p_tx, !null, n,
							       &tx_part[c][r]) :
						     timed_rx(port, pkts, n);
			}
			if (cycles[c][r] == 0) {
				printf("%s: not every frame was received\n", case_name[c]);
				return 1;
			}
		}
		printf("run %u:", r + 1);
		for (c = 0; c < NB_CASES; c++)
			printf(" %s %.1f", case_name[c], (double)cycles[c][r] / n);
		printf("\n");
	}
	for (c = 0; c < NB_CASES; c++) {
		qsort(cycles[c], runs, sizeof(cycles[c][0]), cmp_u64);
		qsort(tx_part[c], runs, sizeof(tx_part[c][0]), cmp_u64);
		median[c] = (double)cycles[c][runs / 2] / n;
		tx_median[c] = (double)tx_part[c][runs / 2] / n;
	}
	{
		struct rte_eth_burst_mode bm;

		rte_eth_dev_stop(p_rx);
		if (port_setup(p_rx, RTE_ETHER_MTU, 4096, FWD_TX_DESC, mp, 0) == 0 &&
		    rte_eth_rx_burst_mode_get(p_rx, 0, &bm) == 0)
			printf("fbnic_buffers Rx path: %s", bm.info);
		if (rte_eth_tx_burst_mode_get(p_rx, 0, &bm) == 0)
			printf(", Tx path: %s", bm.info);
		printf("\n");
		rte_eth_dev_stop(p_rx);
		if (port_setup(p_rx, RTE_ETHER_MTU, 4096, FWD_TX_DESC, mp, CSUM_RX_OFFLOADS) == 0 &&
		    rte_eth_rx_burst_mode_get(p_rx, 0, &bm) == 0)
			printf("fbnic_buffers_csum Rx path: %s\n", bm.info);
	}
	printf("Rx of %u staged %u-byte frames, bursts of %u, median of %u runs:\n", n, size,
	       BURST, runs);
	printf("%-18s %12s %10s %12s\n", "port", "cycles/pkt", "vs null", "of which Tx");
	for (c = 0; c < NB_CASES; c++) {
		unsigned int base = c >= NULL_FWD ? NULL_FWD : NULL_RX;

		printf("%-18s %12.1f %9.2fx", case_name[c], median[c], median[c] / median[base]);
		if (c >= NULL_FWD)
			printf(" %12.1f", tx_median[c]);
		printf("\n");
	}
	printf("(the _fwd cases are compared with net_null_fwd; \"of which Tx\": the median\n"
	       "of the rte_eth_tx_burst part)\n");
	rte_eth_dev_stop(p_rx);
	rte_eth_dev_stop(p_tx);
	rte_eth_dev_stop(p_null);
	rte_free(pkts);
	rte_eal_cleanup();
	return 0;
}
