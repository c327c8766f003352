/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

/*
 * Data path tests: two fbnic ports of the software model cabled to each
 * other (net_fbnic_model0 <-> net_fbnic_model1), driven through the public
 * ethdev API. The model runs only when the test polls it, so every run is
 * deterministic. Each test sends real frames and compares real bytes and
 * counts.
 */

#include <dlfcn.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_common.h>
#include <rte_cpuflags.h>
#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>
#include <rte_memzone.h>
#include <rte_random.h>
#include <rte_tcp.h>
#include <rte_udp.h>
#include <rte_vect.h>
#include <ethdev_driver.h>

#include "fbnic_rx.h"
#include "fbnic_rxtx.h"
#include "rte_pmd_fbnic.h"

#include "fbnic_tk.h"
#include "fbnic_tk_frame.h"

#define NB_PORTS	2
#define RING_SIZE	1024
#define POOL_SIZE	8191
#define MBUF_ROOM	(2048 + RTE_PKTMBUF_HEADROOM)
#define TEST_MTU	9200
#define BURST		32
#define MAX_FRAME	9018
#define ETHERTYPE_TEST	0x88b5	/* IEEE local experimental */
#define UDP4_PAYLOAD_OFF	(sizeof(struct rte_ether_hdr) + sizeof(struct rte_ipv4_hdr) + \
				 sizeof(struct rte_udp_hdr))

static uint16_t port_tx;	/* sender */
static uint16_t port_rx;	/* receiver: its cable peer */
static struct rte_mempool *pool_rx;
static struct rte_mempool *pool_tx;
static struct rte_ether_addr mac_rx;
static bool zc_mode;		/* Rx queues attach frames instead of copying */
/*
 * The ports' MTU, which the device enforces: jumbo frames (TEST_MTU) need
 * the copy or zero-copy scheme; up to BUFS_MTU (one 3968-byte buffer holds
 * the frame, a VLAN tag and the FCS) the queues use the default buffer
 * scheme.
 */
#define BUFS_MTU	3946
static uint16_t test_mtu = TEST_MTU;
static bool bufs_mode;		/* default buffer scheme: one mbuf per NIC buffer */

/* ---- model and ports ---- */

static void
model_poll(void)
{
	unsigned int i;

	for (i = 0; i < 4; i++) {
		int a = rte_pmd_fbnic_model_poll(port_tx, 256);
		int b = rte_pmd_fbnic_model_poll(port_rx, 256);

		if (a <= 0 && b <= 0)
			break;
	}
}

static uint64_t
xstat(uint16_t port, const char *name)
{
	uint64_t id, val = UINT64_MAX;

	if (rte_eth_xstats_get_id_by_name(port, name, &id) != 0 ||
	    rte_eth_xstats_get_by_id(port, &id, &val, 1) != 1)
		return UINT64_MAX;
	return val;
}

static int
port_configure(uint16_t port, uint16_t nb_rxq, uint16_t nb_txq, uint64_t rx_ol, uint64_t tx_ol,
	       struct rte_mempool *mp, uint16_t nb_desc)
{
	struct rte_eth_conf conf;
	struct rte_eth_rxconf rxconf;
	struct rte_eth_txconf txconf;
	struct rte_eth_dev_info info;
	uint16_t q;
	int ret;

	memset(&conf, 0, sizeof(conf));
	conf.rxmode.mtu = test_mtu;
	conf.rxmode.offloads = rx_ol;
	conf.txmode.offloads = tx_ol;
	if (nb_rxq > 1) {
		conf.rxmode.mq_mode = RTE_ETH_MQ_RX_RSS;
		/* Types the port hashes: RTE_ETH_RSS_IP would add FRAG and EX types. */
		conf.rx_adv_conf.rss_conf.rss_hf = RTE_ETH_RSS_IPV4 | RTE_ETH_RSS_IPV6 |
						   RTE_ETH_RSS_UDP | RTE_ETH_RSS_TCP;
	}
	ret = rte_eth_dev_info_get(port, &info);
	if (ret != 0)
		return ret;
	conf.rx_adv_conf.rss_conf.rss_hf &= info.flow_type_rss_offloads;
	ret = rte_eth_dev_configure(port, nb_rxq, nb_txq, &conf);
	if (ret != 0) {
		printf("  configure port %u: %d\n", port, ret);
		return ret;
	}
	rxconf = info.default_rxconf;
	rxconf.offloads = rx_ol;
	txconf = info.default_txconf;
	txconf.offloads = tx_ol;
	for (q = 0; q < nb_rxq; q++) {
		ret = rte_eth_rx_queue_setup(port, q, nb_desc, 0, &rxconf, mp);
		if (ret != 0) {
			printf("  rx queue %u setup: %d\n", q, ret);
			return ret;
		}
	}
	for (q = 0; q < nb_txq; q++) {
		ret = rte_eth_tx_queue_setup(port, q, nb_desc, 0, &txconf);
		if (ret != 0) {
			printf("  tx queue %u setup: %d\n", q, ret);
			return ret;
		}
	}
	return 0;
}

/* Start both ports and wait (bounded) for the link. */
static int
ports_start(void)
{
	uint16_t ports[NB_PORTS] = { port_tx, port_rx };
	uint64_t deadline;
	unsigned int i;
	int ret;

	for (i = 0; i < NB_PORTS; i++) {
		ret = rte_eth_dev_start(ports[i]);
		if (ret != 0) {
			printf("  start port %u: %d\n", ports[i], ret);
			return ret;
		}
		rte_eth_promiscuous_enable(ports[i]);
	}
	deadline = rte_get_timer_cycles() + 10 * rte_get_timer_hz();
	while (rte_get_timer_cycles() < deadline) {
		struct rte_eth_link a, b;

		model_poll();
		if (rte_eth_link_get_nowait(port_tx, &a) == 0 &&
		    rte_eth_link_get_nowait(port_rx, &b) == 0 && a.link_status && b.link_status)
			return 0;
		rte_delay_ms(1);
	}
	printf("  link did not come up\n");
	return -ETIMEDOUT;
}

static void
ports_stop(void)
{
	rte_eth_dev_stop(port_tx);
	rte_eth_dev_stop(port_rx);
}

/* Configure both ports the same way and start them. */
static int
ports_setup(uint16_t nb_rxq, uint64_t rx_ol, uint64_t tx_ol, struct rte_mempool *rx_pool,
	    uint16_t nb_desc)
{
	/* The sender has one Rx queue: no RSS there. */
	if (port_configure(port_tx, 1, 1, rx_ol & ~RTE_ETH_RX_OFFLOAD_RSS_HASH, tx_ol, pool_rx,
			   nb_desc) != 0 ||
	    port_configure(port_rx, nb_rxq, 1, rx_ol, tx_ol, rx_pool, nb_desc) != 0)
		return -1;
	return ports_start();
}

/* ---- frames ---- */

static uint8_t
pattern_byte(uint32_t seq, uint32_t off)
{
	return (uint8_t)(seq * 7 + off * 13 + (off >> 8));
}

/* Fill a (possibly chained) mbuf with len bytes from buf. */
static struct rte_mbuf *
mbuf_from_bytes(const uint8_t *buf, uint32_t len, uint32_t seg_size)
{
	struct rte_mbuf *head = NULL, *last = NULL;
	uint32_t off = 0;

	while (off < len) {
		struct rte_mbuf *m = rte_pktmbuf_alloc(pool_tx);
		uint32_t n = RTE_MIN(len - off, seg_size);

		if (m == NULL) {
			rte_pktmbuf_free(head);
			return NULL;
		}
		memcpy(rte_pktmbuf_mtod(m, uint8_t *), buf + off, n);
		m->data_len = (uint16_t)n;
		if (head == NULL) {
			head = m;
		} else {
			last->next = m;
			head->nb_segs++;
		}
		head->pkt_len += n;
		last = m;
		off += n;
	}
	return head;
}

/* The test's frame header fields: to the receiver, from 02:02:02:02:02:02. */
static void
frame_init(struct tk_frame *fr, bool v6, uint8_t proto)
{
	tk_frame_init(fr, v6, proto);
	memcpy(fr->dst_mac, &mac_rx, sizeof(fr->dst_mac));
	memset(fr->src_mac, 0x02, sizeof(fr->src_mac));
}

/* Payload of len bytes at p: seq in its first bytes, then a pattern by offset base + i. */
static void
fill_payload(uint8_t *p, uint32_t len, uint32_t seq, uint32_t base)
{
	uint32_t i;

	for (i = 0; i < len; i++)
		p[i] = pattern_byte(seq, base + i);
	if (len >= sizeof(seq))
		memcpy(p, &seq, sizeof(seq));
}

/* Ethernet frame of len bytes carrying seq, test ethertype. */
static uint32_t
build_raw(uint8_t *buf, uint32_t len, uint32_t seq)
{
	struct tk_frame fr;

	frame_init(&fr, false, 0);
	fr.ethertype = ETHERTYPE_TEST;
	fr.flags = TK_FRAME_KEEP_PAYLOAD;
	fill_payload(buf + TK_ETH_HLEN, len - TK_ETH_HLEN, seq, TK_ETH_HLEN);
	return (uint32_t)tk_frame_build(buf, &fr, len - TK_ETH_HLEN);
}

/*
 * The test's flow of UDP or TCP over IPv4 or IPv6: 10.0.0.1 -> 10.0.0.2 or
 * fd00::1 -> fd00::2, sport -> 5001, the IPv4 ID of seq, TCP sequence
 * number 1000 with ACK and PSH.
 */
static void
l4_frame_init(struct tk_frame *fr, bool v6, bool tcp, uint16_t sport, uint32_t seq)
{
	frame_init(fr, v6, tcp ? TK_PROTO_TCP : TK_PROTO_UDP);
	memset(fr->src, 0, sizeof(fr->src));
	memset(fr->dst, 0, sizeof(fr->dst));
	if (v6) {
		fr->src[0] = 0xfd;
		fr->src[15] = 1;
		fr->dst[0] = 0xfd;
		fr->dst[15] = 2;
	} else {
		fr->src[0] = 10;
		fr->src[3] = 1;
		fr->dst[0] = 10;
		fr->dst[3] = 2;
	}
	fr->ip_id = (uint16_t)seq;
	fr->sport = sport;
	fr->dport = 5001;
	fr->tcp_seq = 1000;
	fr->tcp_flags = TK_TCP_ACK | TK_TCP_PSH;
	fr->tcp_win = 8192;
}

/*
 * IPv4 or IPv6 frame with a UDP or TCP header and payload_len bytes of
 * payload; seq goes in the first payload bytes, sport varies the flow.
 * Checksums are left zero. Returns the frame length.
 */
static uint32_t
build_l4(uint8_t *buf, bool v6, bool tcp, uint16_t sport, uint32_t payload_len, uint32_t seq)
{
	struct tk_frame fr;

	l4_frame_init(&fr, v6, tcp, sport, seq);
	fr.flags = TK_FRAME_KEEP_PAYLOAD | TK_FRAME_NO_IP_CSUM | TK_FRAME_NO_L4_CSUM;
	fill_payload(buf + tk_frame_hdr_len(&fr), payload_len, seq, 0);
	return (uint32_t)tk_frame_build(buf, &fr, payload_len);
}

/* The 32-bit sequence number at offset off of a frame (UINT32_MAX if too short). */
static uint32_t
frame_seq(const struct rte_mbuf *m, uint32_t off)
{
	uint32_t seq = UINT32_MAX;
	const void *p = rte_pktmbuf_read(m, off, sizeof(seq), &seq);

	if (p != NULL)
		memcpy(&seq, p, sizeof(seq));
	return seq;
}

/* Send every mbuf (bounded), polling the model; returns the count sent. */
static unsigned int
send_all(uint16_t port, uint16_t q, struct rte_mbuf **pkts, unsigned int n)
{
	unsigned int sent = 0, spins;

	for (spins = 0; sent < n && spins < 100000; spins++) {
		uint16_t k = rte_eth_tx_burst(port, q, pkts + sent,
					      (uint16_t)RTE_MIN(n - sent, (unsigned int)BURST));

		sent += k;
		model_poll();
	}
	return sent;
}

/* Receive up to max frames from queue q (bounded in polls). */
static unsigned int
recv_some(uint16_t port, uint16_t q, struct rte_mbuf **pkts, unsigned int max,
	  unsigned int idle_polls)
{
	unsigned int got = 0, idle = 0;

	while (got < max && idle < idle_polls) {
		uint16_t k = rte_eth_rx_burst(port, q, pkts + got,
					      (uint16_t)RTE_MIN(max - got, (unsigned int)BURST));

		got += k;
		idle = k ? 0 : idle + 1;
		model_poll();
	}
	return got;
}

static void
free_all(struct rte_mbuf **pkts, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		rte_pktmbuf_free(pkts[i]);
}

/* ---- tests ---- */

static uint8_t frame_tx[65536];
static uint8_t frame_rx[65536];

/* Whether the port's Rx queues use the buffer scheme (its paths are not named copy). */
static bool
rx_scheme_is_bufs(uint16_t port)
{
	struct rte_eth_burst_mode mode;

	return rte_eth_rx_burst_mode_get(port, 0, &mode) == 0 &&
	       strstr(mode.info, "copy") == NULL;
}

/* Frames of 60..9000 bytes, multi-segment on both sides, arrive unchanged. */
static int
frames_arrive_byte_identical(void)
{
	static const uint32_t sizes[] = {
		60, 61, 64, 127, 128, 129, 255, 1000, 1514, 1518, 2047, 2048, 2049, 2200,
		3000, 4095, 4096, 4097, 5000, 6000, 8191, 8192, 9000, 9018,
	};
	static const uint32_t seg_sizes[] = { 2048, 1000, 333 };
	unsigned int i, s, rounds;
	bool bufs;

	TEST_ASSERT(ports_setup(1, RTE_ETH_RX_OFFLOAD_SCATTER, RTE_ETH_TX_OFFLOAD_MULTI_SEGS,
				pool_rx, RING_SIZE) == 0, "setup");
	/* With scatter, jumbo frames too go to the buffer scheme (HPQ + PPQ). */
	bufs = rx_scheme_is_bufs(port_rx);
	TEST_ASSERT(bufs == !zc_mode, "Rx scheme: buffers %d in %s mode", bufs,
		    zc_mode ? "zero-copy" : "copy");
	for (rounds = 0; rounds < 3; rounds++) {
		for (s = 0; s < RTE_DIM(seg_sizes); s++) {
			for (i = 0; i < RTE_DIM(sizes); i++) {
				uint32_t seq = rounds * 1000 + s * 100 + i;
				uint32_t len;
				struct rte_mbuf *m;
				struct rte_mbuf *r = NULL;
				const uint8_t *got;

				/* The buffer scheme takes what one 4 KiB buffer holds. */
				if (bufs_mode && sizes[i] > 3968)
					continue;
				len = build_raw(frame_tx, sizes[i], seq);
				m = mbuf_from_bytes(frame_tx, len, seg_sizes[s]);
				TEST_ASSERT(m != NULL, "alloc");
				TEST_ASSERT(send_all(port_tx, 0, &m, 1) == 1, "send %u bytes", len);
				TEST_ASSERT(recv_some(port_rx, 0, &r, 1, 2000) == 1,
					    "frame of %u bytes (segments of %u) not received", len,
					    seg_sizes[s]);
				TEST_ASSERT(r->pkt_len == len, "length %u, sent %u", r->pkt_len,
					    len);
				got = rte_pktmbuf_read(r, 0, len, frame_rx);
				TEST_ASSERT(got != NULL && memcmp(got, frame_tx, len) == 0,
					    "bytes of a %u-byte frame differ", len);
				/*
				 * Copy: full mbufs; buffers: 3968 bytes in the HPQ
				 * buffer, then 4 KiB PPQ buffers; zero-copy: one per
				 * HDR_AL / PAY_AL.
				 */
				TEST_ASSERT(zc_mode || r->nb_segs == (bufs ? (len <= 3968 ? 1 :
					    1 + (len - 3968 + 4095) / 4096) : (len + 2047) / 2048),
					    "%u segments for %u bytes", r->nb_segs, len);
				rte_pktmbuf_free(r);
			}
		}
	}
	/* Sanity of the counters that the frames went through. */
	TEST_ASSERT(xstat(port_rx, "rx_q0_errors") == 0, "rx errors %" PRIu64,
		    xstat(port_rx, "rx_q0_errors"));
	TEST_ASSERT(xstat(port_rx, "rx_q0_bad_desc") == 0, "bad descriptors");
	ports_stop();
	return 0;
}

/* Without scatter a frame larger than one mbuf is dropped and counted, nothing leaks. */
static int
frame_over_mbuf_without_scatter_is_dropped(void)
{
	struct rte_mbuf *m, *r[4];
	uint32_t len;
	unsigned int got;

	TEST_ASSERT(ports_setup(1, 0, RTE_ETH_TX_OFFLOAD_MULTI_SEGS, pool_rx, RING_SIZE) == 0,
		    "setup");
	len = build_raw(frame_tx, 3000, 1);
	m = mbuf_from_bytes(frame_tx, len, 2048);
	TEST_ASSERT(m != NULL && send_all(port_tx, 0, &m, 1) == 1, "send");
	len = build_raw(frame_tx, 100, 2);
	m = mbuf_from_bytes(frame_tx, len, 2048);
	TEST_ASSERT(m != NULL && send_all(port_tx, 0, &m, 1) == 1, "send");
	got = recv_some(port_rx, 0, r, 4, 500);
	TEST_ASSERT(got == 1 && r[0]->pkt_len == 100, "got %u frames", got);
	free_all(r, got);
	TEST_ASSERT(xstat(port_rx, "rx_q0_errors") == 1, "errors %" PRIu64,
		    xstat(port_rx, "rx_q0_errors"));
	ports_stop();
	return 0;
}

/* RSS over 4 queues spreads the flows: at least 3 queues busy, every frame counted once. */
static int
rss_spreads_every_frame_once(void)
{
	enum { N = 2000, NQ = 4 };
	struct rte_mbuf *pkts[BURST];
	unsigned int per_q[NQ] = { 0 }, total = 0, i, k, q, busy = 0, idle;

	TEST_ASSERT(ports_setup(NQ, RTE_ETH_RX_OFFLOAD_RSS_HASH, 0, pool_rx, 512) == 0, "setup");
	for (i = 0; i < N; i += BURST) {
		unsigned int n = RTE_MIN((unsigned int)BURST, N - i);

		for (k = 0; k < n; k++) {
			uint32_t len = build_l4(frame_tx, (i + k) & 1, (i + k) & 2,
						(uint16_t)(1024 + (i + k) * 7), 64, i + k);

			pkts[k] = mbuf_from_bytes(frame_tx, len, 2048);
			TEST_ASSERT(pkts[k] != NULL, "alloc");
		}
		TEST_ASSERT(send_all(port_tx, 0, pkts, n) == n, "send");
		/* Drain as we go so that no queue overflows. */
		for (idle = 0; idle < 3; idle++) {
			model_poll();
			for (q = 0; q < NQ; q++) {
				struct rte_mbuf *r[BURST];
				uint16_t got = rte_eth_rx_burst(port_rx, (uint16_t)q, r, BURST);

				for (k = 0; k < got; k++)
					TEST_ASSERT(r[k]->ol_flags & RTE_MBUF_F_RX_RSS_HASH,
						    "no RSS hash flag");
				per_q[q] += got;
				free_all(r, got);
			}
		}
	}
	for (idle = 0; idle < 200; idle++) {
		model_poll();
		for (q = 0; q < NQ; q++) {
			struct rte_mbuf *r[BURST];
			uint16_t got = rte_eth_rx_burst(port_rx, (uint16_t)q, r, BURST);

			per_q[q] += got;
			free_all(r, got);
		}
	}
	for (q = 0; q < NQ; q++) {
		total += per_q[q];
		busy += per_q[q] != 0;
	}
	TEST_ASSERT(total == N, "received %u of %u (q: %u %u %u %u)", total, N, per_q[0], per_q[1],
		    per_q[2], per_q[3]);
	TEST_ASSERT(busy >= 3, "only %u queues used (%u %u %u %u)", busy, per_q[0], per_q[1],
		    per_q[2], per_q[3]);
	ports_stop();
	return 0;
}

/* Every sequence number arrives exactly once across the queues (seq in payload). */
static int
rss_no_duplicates(void)
{
	enum { N = 1024, NQ = 4 };
	static uint8_t seen[N];
	struct rte_mbuf *pkts[BURST];
	unsigned int i, q, k, total = 0, idle;

	memset(seen, 0, sizeof(seen));
	TEST_ASSERT(ports_setup(NQ, RTE_ETH_RX_OFFLOAD_RSS_HASH, 0, pool_rx, 512) == 0, "setup");
	for (i = 0; i < N; i += BURST) {
		for (k = 0; k < BURST; k++) {
			uint32_t len = build_l4(frame_tx, false, false,
						(uint16_t)(2000 + (i + k) * 13), 64, i + k);

			pkts[k] = mbuf_from_bytes(frame_tx, len, 2048);
			TEST_ASSERT(pkts[k] != NULL, "alloc");
		}
		TEST_ASSERT(send_all(port_tx, 0, pkts, BURST) == BURST, "send");
		for (idle = 0; idle < 3; idle++) {
			model_poll();
			for (q = 0; q < NQ; q++) {
				struct rte_mbuf *r[BURST];
				uint16_t got = rte_eth_rx_burst(port_rx, (uint16_t)q, r, BURST);

				for (k = 0; k < got; k++) {
					uint32_t seq = frame_seq(r[k], UDP4_PAYLOAD_OFF);

					TEST_ASSERT(seq < N, "bad seq %u", seq);
					TEST_ASSERT(seen[seq] == 0, "seq %u twice", seq);
					seen[seq] = 1;
					total++;
				}
				free_all(r, got);
			}
		}
	}
	for (idle = 0; idle < 200 && total < N; idle++) {
		model_poll();
		for (q = 0; q < NQ; q++) {
			struct rte_mbuf *r[BURST];
			uint16_t got = rte_eth_rx_burst(port_rx, (uint16_t)q, r, BURST);

			for (k = 0; k < got; k++) {
				uint32_t seq = frame_seq(r[k], UDP4_PAYLOAD_OFF);

				TEST_ASSERT(seq < N && seen[seq] == 0, "seq %u bad or twice", seq);
				seen[seq] = 1;
				total++;
			}
			free_all(r, got);
		}
	}
	TEST_ASSERT(total == N, "received %u of %u", total, N);
	ports_stop();
	return 0;
}

/*
 * 100 stop/start cycles with traffic in flight: after the last stop (and the
 * close, when asked) every mbuf is back in its pool.
 */
static int
port_restart_cycles(bool close)
{
	struct rte_mbuf *pkts[BURST], *r[BURST];
	unsigned int cycle, k, got;

	TEST_ASSERT(ports_setup(2, RTE_ETH_RX_OFFLOAD_SCATTER, RTE_ETH_TX_OFFLOAD_MULTI_SEGS,
				pool_rx, 256) == 0, "setup");
	for (cycle = 0; cycle < 100; cycle++) {
		for (k = 0; k < BURST; k++) {
			uint32_t len = build_l4(frame_tx, false, true, (uint16_t)(k * 31 + cycle),
						(k * 97) % 3000 + 18, k);

			pkts[k] = mbuf_from_bytes(frame_tx, len, 1024);
			TEST_ASSERT(pkts[k] != NULL, "alloc in cycle %u", cycle);
		}
		/* Some frames are sent, some wait in the TWQ, some wait in the RCQ. */
		k = rte_eth_tx_burst(port_tx, 0, pkts, BURST);
		free_all(pkts + k, BURST - k);
		if (cycle & 1)
			model_poll();
		got = rte_eth_rx_burst(port_rx, (uint16_t)(cycle & 1), r, BURST / 4);
		free_all(r, got);
		ports_stop();
		TEST_ASSERT(ports_start() == 0, "restart %u", cycle);
	}
	ports_stop();
	if (close) {
		rte_eth_dev_close(port_tx);
		rte_eth_dev_close(port_rx);
	}
	TEST_ASSERT(rte_mempool_avail_count(pool_rx) == pool_rx->size, "Rx pool: %u of %u back",
		    rte_mempool_avail_count(pool_rx), pool_rx->size);
	TEST_ASSERT(rte_mempool_avail_count(pool_tx) == pool_tx->size, "Tx pool: %u of %u back",
		    rte_mempool_avail_count(pool_tx), pool_tx->size);
	return 0;
}

static int
port_restart_returns_every_mbuf(void)
{
	return port_restart_cycles(false);
}

static int
port_restart_and_close_return_every_mbuf(void)
{
	return port_restart_cycles(true);
}

static void
memzone_counter(const struct rte_memzone *mz __rte_unused, void *arg)
{
	(*(unsigned int *)arg)++;
}

static unsigned int
memzone_count(void)
{
	unsigned int n = 0;

	rte_memzone_walk(memzone_counter, &n);
	return n;
}

/* Bytes allocated from the DPDK heap of this socket. */
static size_t
heap_allocated(void)
{
	struct rte_malloc_socket_stats st;

	if (rte_malloc_get_socket_stats((int)rte_socket_id(), &st) != 0)
		return 0;
	return st.heap_allocsz_bytes;
}

/* Zero-copy: mbufs the application holds stay valid after their queue is gone. */
static int
zero_copy_pages_outlive_their_queue(void)
{
	enum { N = 48 };
	struct rte_mbuf *pkts[N], *r[N];
	unsigned int k, got, zones_before;
	size_t heap_before;

	TEST_ASSERT(ports_setup(1, RTE_ETH_RX_OFFLOAD_SCATTER, RTE_ETH_TX_OFFLOAD_MULTI_SEGS,
				pool_rx, 256) == 0, "setup");
	for (k = 0; k < N; k++) {
		pkts[k] = mbuf_from_bytes(frame_tx, build_raw(frame_tx, 100 + k * 150, k), 2048);
		TEST_ASSERT(pkts[k] != NULL, "alloc");
	}
	TEST_ASSERT(send_all(port_tx, 0, pkts, N) == N, "send");
	got = recv_some(port_rx, 0, r, N, 200);
	TEST_ASSERT(got == N, "received %u", got);
	TEST_ASSERT(RTE_MBUF_HAS_EXTBUF(r[0]), "not an external buffer: copy mode?");
	TEST_ASSERT(rte_pktmbuf_headroom(r[0]) == RTE_PKTMBUF_HEADROOM, "headroom %u",
		    rte_pktmbuf_headroom(r[0]));
	ports_stop();
	/* Replacing the queues frees them; the held pages must survive. */
	TEST_ASSERT(port_configure(port_rx, 1, 1, RTE_ETH_RX_OFFLOAD_SCATTER, 0, pool_rx, 512) == 0,
		    "reconfigure");
	zones_before = memzone_count();
	heap_before = heap_allocated();
	for (k = 0; k < got; k++) {
		uint32_t len = build_raw(frame_tx, 100 + k * 150, k);
		const uint8_t *b = rte_pktmbuf_read(r[k], 0, len, frame_rx);

		TEST_ASSERT(r[k]->pkt_len == len && b != NULL && memcmp(b, frame_tx, len) == 0,
			    "frame %u changed after its queue went away", k);
	}
	free_all(r, got);
	/*
	 * The last mbuf took the old page set with it: its free ring (a
	 * memzone) and its pages (from the heap, 2 x 64 pages of 4 KiB for 256
	 * descriptors, two pages per BD).
	 */
	TEST_ASSERT(memzone_count() == zones_before - 1,
		    "old zero-copy ring still reserved (%u, %u)",
		    memzone_count(), zones_before);
	TEST_ASSERT(heap_allocated() + 2 * 64 * 2 * 4096 <= heap_before,
		    "old zero-copy pages still allocated (%zu bytes, %zu before)", heap_allocated(),
		    heap_before);
	return 0;
}

/* Zero-copy: the application holding every page stalls Rx; freeing them resumes it. */
static int
zero_copy_held_pages_stall_then_resume(void)
{
	enum { N = 600 };
	static struct rte_mbuf *held[N];
	struct rte_mbuf *pkts[BURST];
	unsigned int i, k, got = 0, more, rounds;

	/* 256 RCQ entries: 64 HPQ and PPQ slots, 256 pages in all. */
	TEST_ASSERT(ports_setup(1, 0, 0, pool_rx, 256) == 0, "setup");
	for (rounds = 0; rounds < 40 && got < N; rounds++) {
		for (k = 0; k < BURST; k++) {
			pkts[k] = mbuf_from_bytes(frame_tx, build_raw(frame_tx, 1400, 0), 2048);
			TEST_ASSERT(pkts[k] != NULL, "alloc");
		}
		TEST_ASSERT(send_all(port_tx, 0, pkts, BURST) == BURST, "send");
		got += recv_some(port_rx, 0, held + got, N - got, 20);
	}
	/* Two 1400-byte frames per page: the held frames pin every page. */
	TEST_ASSERT(got < N && got >= 2 * 128, "held %u frames", got);
	free_all(held, got);
	for (i = 0; i < 4; i++) {
		for (k = 0; k < BURST; k++) {
			pkts[k] = mbuf_from_bytes(frame_tx, build_raw(frame_tx, 1400, 0), 2048);
			TEST_ASSERT(pkts[k] != NULL, "alloc");
		}
		TEST_ASSERT(send_all(port_tx, 0, pkts, BURST) == BURST, "send");
		more = recv_some(port_rx, 0, held, N, 50);
		TEST_ASSERT(more >= BURST, "round %u: %u frames after the pages came back", i,
			    more);
		free_all(held, more);
	}
	ports_stop();
	return 0;
}

/* An empty pool stops Rx and counts rx_nombuf; once mbufs return, nothing is lost. */
static int
pool_exhaustion_counts_nombuf_and_recovers(void)
{
	enum { N = 320, SMALL = 256 };
	static struct rte_mbuf *held[N];
	struct rte_mempool *small;
	struct rte_mbuf *pkts[BURST];
	struct rte_eth_stats st;
	unsigned int i, k, got, more;
	uint32_t expect = 0;

	small = rte_pktmbuf_pool_create("rx_small", SMALL, 0, 0, MBUF_ROOM, SOCKET_ID_ANY);
	TEST_ASSERT(small != NULL, "pool");
	TEST_ASSERT(ports_setup(1, 0, 0, small, RING_SIZE) == 0, "setup");
	for (i = 0; i < N; i += BURST) {
		for (k = 0; k < BURST; k++) {
			uint32_t len = build_raw(frame_tx, 80, i + k);

			pkts[k] = mbuf_from_bytes(frame_tx, len, 2048);
			TEST_ASSERT(pkts[k] != NULL, "alloc");
		}
		TEST_ASSERT(send_all(port_tx, 0, pkts, BURST) == BURST, "send");
	}
	model_poll();
	/* Keep everything received: the pool runs dry before N frames. */
	got = recv_some(port_rx, 0, held, N, 200);
	TEST_ASSERT(got < N && got >= SMALL - 64, "received %u with a pool of %u", got, SMALL);
	TEST_ASSERT(rte_eth_stats_get(port_rx, &st) == 0 && st.rx_nombuf > 0, "rx_nombuf %" PRIu64,
		    st.rx_nombuf);
	if (getenv("FBNIC_TEST_DEBUG"))
		printf("got %u ipackets %" PRIu64 " imissed %" PRIu64 " ierrors %" PRIu64
		       " nombuf %" PRIu64 " opackets %" PRIu64 "\n", got, st.ipackets, st.imissed,
		       st.ierrors, st.rx_nombuf, st.opackets);
	TEST_ASSERT(xstat(port_rx, "rx_q0_nombuf") > 0, "queue nombuf");
	for (i = 0; i < got; i++) {
		uint32_t seq = frame_seq(held[i], sizeof(struct rte_ether_hdr));

		TEST_ASSERT(seq == expect, "frame %u carries seq %u", i, seq);
		expect++;
	}
	free_all(held, got);
	/* The pending frames follow, in order, none lost. */
	more = recv_some(port_rx, 0, held, N, 200);
	TEST_ASSERT(got + more == N, "received %u + %u of %u", got, more, N);
	for (i = 0; i < more; i++) {
		uint32_t seq = frame_seq(held[i], sizeof(struct rte_ether_hdr));

		TEST_ASSERT(seq == expect, "frame %u carries seq %u", got + i, seq);
		expect++;
	}
	free_all(held, more);
	TEST_ASSERT(xstat(port_rx, "rx_q0_errors") == 0, "errors");
	ports_stop();
	/* The queue's mbuf cache went back at stop. */
	TEST_ASSERT(rte_mempool_avail_count(small) == SMALL, "small pool %u of %u",
		    rte_mempool_avail_count(small), SMALL);
	/* Re-point port_rx at the main pool before freeing this one. */
	TEST_ASSERT(port_configure(port_rx, 1, 1, 0, 0, pool_rx, RING_SIZE) == 0, "reconfigure");
	rte_mempool_free(small);
	return 0;
}

/* 0 when the IPv4 header sum (IPv4) and the L4 sum of frame f verify. */
static int
verify_l4(const uint8_t *f, uint32_t len, bool v6, bool tcp)
{
	const uint8_t *l3 = f + TK_ETH_HLEN;
	uint32_t end;

	RTE_SET_USED(tcp);
	/* The end of the datagram, as its IP header gives it. */
	end = TK_ETH_HLEN + (v6 ? TK_IPV6_HLEN + tk_get16(l3 + 4) : tk_get16(l3 + 2));
	if (end > len)
		return -1;
	if (!v6 && !tk_csum_ipv4_ok(l3))
		return -2;
	return tk_csum_l4_ok(f, end, TK_ETH_HLEN,
			     TK_ETH_HLEN + (v6 ? TK_IPV6_HLEN : TK_IPV4_HLEN)) ? 0 : -3;
}

/* Tx checksum offload (IPv4 header in software, L4 in the NIC) gives valid sums. */
static int
tx_checksum_offload_valid_on_receiver(void)
{
	unsigned int v6, tcp, seg, n = 0;

	TEST_ASSERT(ports_setup(1, RTE_ETH_RX_OFFLOAD_SCATTER | RTE_ETH_RX_OFFLOAD_TCP_CKSUM |
				RTE_ETH_RX_OFFLOAD_UDP_CKSUM | RTE_ETH_RX_OFFLOAD_IPV4_CKSUM,
				RTE_ETH_TX_OFFLOAD_MULTI_SEGS | RTE_ETH_TX_OFFLOAD_IPV4_CKSUM |
				RTE_ETH_TX_OFFLOAD_TCP_CKSUM | RTE_ETH_TX_OFFLOAD_UDP_CKSUM,
				pool_rx, RING_SIZE) == 0, "setup");
	for (v6 = 0; v6 < 2; v6++) {
		for (tcp = 0; tcp < 2; tcp++) {
			for (seg = 0; seg < 2; seg++) {
				uint32_t len = build_l4(frame_tx, v6, tcp, 4000, seg ? 3000 : 100,
							n);
				struct rte_mbuf *m = mbuf_from_bytes(frame_tx, len, 1024), *r;
				const uint8_t *got;

				TEST_ASSERT(m != NULL, "alloc");
				m->l2_len = sizeof(struct rte_ether_hdr);
				m->l3_len = v6 ? sizeof(struct rte_ipv6_hdr) :
						 sizeof(struct rte_ipv4_hdr);
				m->ol_flags = (v6 ? RTE_MBUF_F_TX_IPV6 :
					       RTE_MBUF_F_TX_IPV4 | RTE_MBUF_F_TX_IP_CKSUM) |
					      (tcp ? RTE_MBUF_F_TX_TCP_CKSUM :
						     RTE_MBUF_F_TX_UDP_CKSUM);
				TEST_ASSERT(rte_eth_tx_prepare(port_tx, 0, &m, 1) == 1,
					    "prepare: %s", rte_strerror(rte_errno));
				TEST_ASSERT(send_all(port_tx, 0, &m, 1) == 1, "send");
				TEST_ASSERT(recv_some(port_rx, 0, &r, 1, 2000) == 1,
					    "v6 %u tcp %u seg %u", v6, tcp, seg);
				got = rte_pktmbuf_read(r, 0, r->pkt_len, frame_rx);
				TEST_ASSERT(got != NULL && r->pkt_len == len, "length");
				TEST_ASSERT(verify_l4(got, len, v6, tcp) == 0,
					    "bad checksum v6 %u tcp %u seg %u", v6, tcp, seg);
				TEST_ASSERT(r->packet_type == (RTE_PTYPE_L2_ETHER |
					      (v6 ? RTE_PTYPE_L3_IPV6_EXT_UNKNOWN :
						    RTE_PTYPE_L3_IPV4_EXT_UNKNOWN) |
					      (tcp ? RTE_PTYPE_L4_TCP : RTE_PTYPE_L4_UDP)),
					    "packet type %#x", r->packet_type);
				TEST_ASSERT((r->ol_flags & RTE_MBUF_F_RX_L4_CKSUM_MASK) ==
					    RTE_MBUF_F_RX_L4_CKSUM_GOOD, "Rx L4 flags %#" PRIx64,
					    r->ol_flags);
				if (!v6)
					TEST_ASSERT((r->ol_flags & RTE_MBUF_F_RX_IP_CKSUM_MASK) ==
						    RTE_MBUF_F_RX_IP_CKSUM_GOOD, "Rx IP flags");
				rte_pktmbuf_free(r);
				n++;
			}
		}
	}
	{
		struct rte_eth_burst_mode mode;

		/* Offloads configured: only the scalar path handles them. */
		TEST_ASSERT(rte_eth_tx_burst_mode_get(port_tx, 0, &mode) == 0 &&
			    strcmp(mode.info, "Scalar") == 0, "Tx mode %s", mode.info);
	}
	/* A frame with a wrong L4 checksum is reported bad. */
	{
		struct rte_mbuf *m, *r;
		struct tk_frame fr;
		uint32_t len;

		/* Valid sums, then the UDP one off by 0x0101. */
		l4_frame_init(&fr, false, false, 4000, 99);
		len = (uint32_t)tk_frame_build(frame_tx, &fr, 100);
		frame_tx[tk_frame_l4_off(&fr) + 6] ^= 0x01;
		frame_tx[tk_frame_l4_off(&fr) + 7] ^= 0x01;
		m = mbuf_from_bytes(frame_tx, len, 2048);
		TEST_ASSERT(m != NULL && send_all(port_tx, 0, &m, 1) == 1, "send");
		TEST_ASSERT(recv_some(port_rx, 0, &r, 1, 2000) == 1, "receive");
		TEST_ASSERT((r->ol_flags & RTE_MBUF_F_RX_L4_CKSUM_MASK) ==
			    RTE_MBUF_F_RX_L4_CKSUM_BAD,
			    "Rx L4 flags %#" PRIx64 " for a bad checksum", r->ol_flags);
		rte_pktmbuf_free(r);
	}
	ports_stop();
	return 0;
}

/*
 * TSO and UDP segmentation: the receiver gets MSS-sized segments with valid
 * sums, fixed lengths and sequence numbers, and the original payload.
 */
static int
tso_produces_correct_segments(void)
{
	enum { PAYLOAD = 20000, MSS = 1400 };
	static struct rte_mbuf *r[64];
	static uint8_t payload[PAYLOAD];
	unsigned int v6, tcp;

	TEST_ASSERT(ports_setup(1, RTE_ETH_RX_OFFLOAD_SCATTER,
				RTE_ETH_TX_OFFLOAD_MULTI_SEGS | RTE_ETH_TX_OFFLOAD_IPV4_CKSUM |
				RTE_ETH_TX_OFFLOAD_TCP_CKSUM | RTE_ETH_TX_OFFLOAD_TCP_TSO |
				RTE_ETH_TX_OFFLOAD_UDP_CKSUM | RTE_ETH_TX_OFFLOAD_UDP_TSO,
				pool_rx, RING_SIZE) == 0, "setup");
	for (v6 = 0; v6 < 2; v6++) {
		for (tcp = 0; tcp < 2; tcp++) {
			uint32_t l3 = v6 ? sizeof(struct rte_ipv6_hdr) :
					   sizeof(struct rte_ipv4_hdr);
			uint32_t l4 = tcp ? sizeof(struct rte_tcp_hdr) : sizeof(struct rte_udp_hdr);
			uint32_t hdr = sizeof(struct rte_ether_hdr) + l3 + l4, off = 0;
			uint32_t len = build_l4(frame_tx, v6, tcp, 5555, PAYLOAD, 7);
			unsigned int got, i, nseg = (PAYLOAD + MSS - 1) / MSS;
			struct rte_mbuf *m = mbuf_from_bytes(frame_tx, len, 2048);

			TEST_ASSERT(m != NULL, "alloc");
			memcpy(payload, frame_tx + hdr, PAYLOAD);
			m->l2_len = sizeof(struct rte_ether_hdr);
			m->l3_len = l3;
			m->l4_len = l4;
			m->tso_segsz = MSS;
			m->ol_flags = (v6 ? RTE_MBUF_F_TX_IPV6 :
				       RTE_MBUF_F_TX_IPV4 | RTE_MBUF_F_TX_IP_CKSUM) |
				      (tcp ? RTE_MBUF_F_TX_TCP_SEG | RTE_MBUF_F_TX_TCP_CKSUM :
					     RTE_MBUF_F_TX_UDP_SEG | RTE_MBUF_F_TX_UDP_CKSUM);
			TEST_ASSERT(rte_eth_tx_prepare(port_tx, 0, &m, 1) == 1, "prepare: %s",
				    rte_strerror(rte_errno));
			TEST_ASSERT(send_all(port_tx, 0, &m, 1) == 1, "send");
			got = recv_some(port_rx, 0, r, RTE_DIM(r), 500);
			TEST_ASSERT(got == nseg, "v6 %u tcp %u: %u segments, want %u", v6, tcp, got,
				    nseg);
			for (i = 0; i < got; i++) {
				const uint8_t *f = rte_pktmbuf_read(r[i], 0, r[i]->pkt_len,
								  frame_rx);
				const uint8_t *l4h = f + hdr - l4;
				uint32_t seglen = RTE_MIN((uint32_t)MSS,
							  (uint32_t)PAYLOAD - off);

				TEST_ASSERT(r[i]->pkt_len == hdr + seglen, "segment %u: %u bytes",
					    i, r[i]->pkt_len);
				TEST_ASSERT(verify_l4(f, r[i]->pkt_len, v6, tcp) == 0,
					    "v6 %u tcp %u segment %u checksum", v6, tcp, i);
				if (tcp)
					TEST_ASSERT(rte_be_to_cpu_32(((const struct rte_tcp_hdr *)
						      (const void *)l4h)->sent_seq) == 1000 + off,
						    "segment %u seq", i);
				else
					TEST_ASSERT(rte_be_to_cpu_16(((const struct rte_udp_hdr *)
						      (const void *)l4h)->dgram_len) == 8 + seglen,
						    "datagram %u length", i);
				TEST_ASSERT(memcmp(f + hdr, payload + off, seglen) == 0,
					    "segment %u payload", i);
				off += seglen;
			}
			TEST_ASSERT(off == PAYLOAD, "payload %u", off);
			free_all(r, got);
		}
	}
	ports_stop();
	return 0;
}

/*
 * IPv6 in IPv6 (RTE_MBUF_F_TX_TUNNEL_IPIP, the tunnel the NIC segments
 * itself): TSO gives MSS-sized segments whose outer and inner payload
 * lengths, TCP sequence numbers and checksums are right, and a checksum
 * request alone gives a valid inner TCP checksum. Other tunnels are
 * refused by tx_prepare.
 */
static int
ipv6_in_ipv6_tso_and_checksum_on_the_wire(void)
{
	enum { PAYLOAD = 9000, MSS = 1200 };
	static struct rte_mbuf *r[16];
	static uint8_t payload[PAYLOAD];
	struct tk_frame fr;
	uint32_t len, hdr, l3o, ip_off, l4_off, off = 0;
	unsigned int i, got, nseg = (PAYLOAD + MSS - 1) / MSS;
	struct rte_mbuf *m;

	TEST_ASSERT(ports_setup(1, RTE_ETH_RX_OFFLOAD_SCATTER,
				RTE_ETH_TX_OFFLOAD_MULTI_SEGS | RTE_ETH_TX_OFFLOAD_TCP_CKSUM |
				RTE_ETH_TX_OFFLOAD_TCP_TSO | RTE_ETH_TX_OFFLOAD_IPIP_TNL_TSO,
				pool_rx, RING_SIZE) == 0, "setup");
	tk_frame_init(&fr, true, TK_PROTO_TCP);
	memcpy(fr.dst_mac, &mac_rx, sizeof(fr.dst_mac));
	fr.v6_in_v6 = true;
	fr.outer_src[15] = 0x11;
	fr.outer_dst[15] = 0x22;
	fr.tcp_seq = 1000;
	fr.tcp_flags = TK_TCP_ACK | TK_TCP_PSH;
	fr.seed = 5;
	len = (uint32_t)tk_frame_build(frame_tx, &fr, PAYLOAD);
	hdr = (uint32_t)tk_frame_hdr_len(&fr);
	l3o = (uint32_t)tk_frame_l3_off(&fr);
	ip_off = (uint32_t)tk_frame_ip_off(&fr);
	l4_off = (uint32_t)tk_frame_l4_off(&fr);
	memcpy(payload, frame_tx + hdr, PAYLOAD);

	m = mbuf_from_bytes(frame_tx, len, 2048);
	TEST_ASSERT(m != NULL, "alloc");
	m->outer_l2_len = l3o;
	m->outer_l3_len = ip_off - l3o;
	m->l2_len = 0;
	m->l3_len = l4_off - ip_off;
	m->l4_len = hdr - l4_off;
	m->tso_segsz = MSS;
	m->ol_flags = RTE_MBUF_F_TX_TUNNEL_IPIP | RTE_MBUF_F_TX_OUTER_IPV6 | RTE_MBUF_F_TX_IPV6 |
		      RTE_MBUF_F_TX_TCP_SEG | RTE_MBUF_F_TX_TCP_CKSUM;
	TEST_ASSERT(rte_eth_tx_prepare(port_tx, 0, &m, 1) == 1, "prepare: %s",
		    rte_strerror(rte_errno));
	TEST_ASSERT(send_all(port_tx, 0, &m, 1) == 1, "send");
	got = recv_some(port_rx, 0, r, RTE_DIM(r), 500);
	TEST_ASSERT_EQUAL(got, nseg, "segments");
	for (i = 0; i < got; i++) {
		const uint8_t *f = rte_pktmbuf_read(r[i], 0, r[i]->pkt_len, frame_rx);
		uint32_t seglen = RTE_MIN((uint32_t)MSS, (uint32_t)PAYLOAD - off);

		TEST_ASSERT(f != NULL, "read");
		TEST_CHECK_EQUAL(r[i]->pkt_len, hdr + seglen, "segment %u length", i);
		TEST_CHECK_EQUAL(tk_get16(f + l3o + 4), r[i]->pkt_len - l3o - TK_IPV6_HLEN,
				 "segment %u outer payload length", i);
		TEST_CHECK_EQUAL(tk_get16(f + ip_off + 4), r[i]->pkt_len - ip_off - TK_IPV6_HLEN,
				 "segment %u inner payload length", i);
		TEST_CHECK_EQUAL(tk_get32(f + l4_off + 4), 1000 + off, "segment %u seq", i);
		TEST_CHECK(tk_csum_l4_ok(f, r[i]->pkt_len, ip_off, l4_off), "segment %u checksum",
			   i);
		TEST_CHECK(memcmp(f + hdr, payload + off, seglen) == 0, "segment %u payload", i);
		off += seglen;
	}
	TEST_CHECK_EQUAL(off, PAYLOAD, "payload received");
	free_all(r, got);

	/* A checksum request alone, over both IPv6 headers. */
	len = (uint32_t)tk_frame_build(frame_tx, &fr, 300);
	frame_tx[l4_off + 16] = 0;
	frame_tx[l4_off + 17] = 0;
	m = mbuf_from_bytes(frame_tx, len, 2048);
	TEST_ASSERT(m != NULL, "alloc");
	m->outer_l2_len = l3o;
	m->outer_l3_len = ip_off - l3o;
	m->l2_len = 0;
	m->l3_len = l4_off - ip_off;
	m->ol_flags = RTE_MBUF_F_TX_TUNNEL_IPIP | RTE_MBUF_F_TX_OUTER_IPV6 | RTE_MBUF_F_TX_IPV6 |
		      RTE_MBUF_F_TX_TCP_CKSUM;
	TEST_ASSERT(rte_eth_tx_prepare(port_tx, 0, &m, 1) == 1, "prepare: %s",
		    rte_strerror(rte_errno));
	TEST_ASSERT(send_all(port_tx, 0, &m, 1) == 1, "send");
	TEST_ASSERT_EQUAL(recv_some(port_rx, 0, r, 1, 500), 1, "checksum-only frame");
	TEST_CHECK(tk_csum_l4_ok(rte_pktmbuf_read(r[0], 0, r[0]->pkt_len, frame_rx),
				 r[0]->pkt_len, ip_off, l4_off), "inner TCP checksum");
	free_all(r, 1);

	/* A tunnel type the driver does not know: refused. */
	m = mbuf_from_bytes(frame_tx, len, 2048);
	TEST_ASSERT(m != NULL, "alloc");
	m->outer_l2_len = l3o;
	m->outer_l3_len = ip_off - l3o;
	m->l3_len = l4_off - ip_off;
	m->ol_flags = RTE_MBUF_F_TX_TUNNEL_MPLSINUDP | RTE_MBUF_F_TX_OUTER_IPV6 |
		      RTE_MBUF_F_TX_IPV6 | RTE_MBUF_F_TX_TCP_CKSUM;
	TEST_CHECK(rte_eth_tx_prepare(port_tx, 0, &m, 1) == 0 && rte_errno == ENOTSUP,
		   "MPLS in UDP");
	rte_pktmbuf_free(m);
	ports_stop();
	return TEST_SUCCESS;
}

/* ---- tunnels the NIC has no L3 type for (fbnic_tx_tnl.c) ---- */

enum tnl_kind { TNL_VXLAN, TNL_GENEVE, TNL_GRE, TNL_IPIP };

struct tnl_case {
	const char *name;
	enum tnl_kind kind;
	bool outer_v6;
	bool inner_v6;
	bool tcp;
	bool outer_udp_csum;
	uint32_t seg_size;	/* mbuf segment size of the frame; 0: headers alone first */
};

/* Where the headers of a tunnel frame are. */
struct tnl_offs {
	uint32_t o3, o4, i3, i4, hdr;
};

/*
 * A tunnel frame: outer Ethernet and IP, the tunnel header (VXLAN or GENEVE
 * over UDP, GRE with an inner Ethernet header, or nothing for IP in IP),
 * then an inner frame of payload bytes from tk_frame_build, TCP seq 1000 and
 * flags CWR|ACK|PSH. Every length and checksum in it is right, the outer
 * UDP checksum 0.
 */
static uint32_t
tnl_frame(uint8_t *buf, const struct tnl_case *c, uint32_t payload, struct tnl_offs *o)
{
	static uint8_t inner[16384];
	struct tk_frame fr;
	uint32_t ilen, skip, tlen, len, p;
	uint8_t proto;

	tk_frame_init(&fr, c->inner_v6, c->tcp ? TK_PROTO_TCP : TK_PROTO_UDP);
	memcpy(fr.dst_mac, &mac_rx, sizeof(fr.dst_mac));
	fr.tcp_seq = 1000;
	fr.tcp_flags = TK_TCP_CWR | TK_TCP_ACK | TK_TCP_PSH;
	fr.ip_frag = TK_IPV4_DF;
	fr.seed = 9;
	ilen = (uint32_t)tk_frame_build(inner, &fr, payload);
	skip = c->kind == TNL_IPIP ? TK_ETH_HLEN : 0;	/* IP in IP: no inner L2 */

	o->o3 = TK_ETH_HLEN;
	o->o4 = o->o3 + (c->outer_v6 ? TK_IPV6_HLEN : TK_IPV4_HLEN);
	tlen = c->kind == TNL_GRE ? 4 : c->kind == TNL_IPIP ? 0 : TK_UDP_HLEN + 8;
	o->i3 = o->o4 + tlen + TK_ETH_HLEN - skip;
	o->i4 = o->i3 + (c->inner_v6 ? TK_IPV6_HLEN : TK_IPV4_HLEN);
	o->hdr = o->i4 + (c->tcp ? TK_TCP_HLEN : TK_UDP_HLEN);
	len = o->o4 + tlen + ilen - skip;
	memset(buf, 0, o->o4 + tlen);
	memcpy(buf + o->o4 + tlen, inner + skip, ilen - skip);

	memcpy(buf, &mac_rx, 6);
	buf[6] = 0x02;
	buf[11] = 0x77;
	tk_put16(buf + 12, c->outer_v6 ? TK_ETHERTYPE_IPV6 : TK_ETHERTYPE_IPV4);
	proto = c->kind == TNL_GRE ? 47 : c->kind == TNL_IPIP ? (c->inner_v6 ? 41 : 4) : 17;
	p = o->o3;
	if (c->outer_v6) {
		buf[p] = 0x60;
		tk_put16(buf + p + 4, (uint16_t)(len - p - TK_IPV6_HLEN));
		buf[p + 6] = proto;
		buf[p + 7] = 64;
		buf[p + 8] = 0x20;
		buf[p + 9] = 0x01;
		buf[p + 23] = 1;
		buf[p + 24] = 0x20;
		buf[p + 25] = 0x01;
		buf[p + 39] = 2;
	} else {
		buf[p] = 0x45;
		tk_put16(buf + p + 2, (uint16_t)(len - p));
		tk_put16(buf + p + 4, 0x1234);
		tk_put16(buf + p + 6, TK_IPV4_DF);
		buf[p + 8] = 64;
		buf[p + 9] = proto;
		buf[p + 12] = 198;
		buf[p + 13] = 51;
		buf[p + 14] = 100;
		buf[p + 15] = 1;
		memcpy(buf + p + 16, buf + p + 12, 3);
		buf[p + 19] = 2;
		tk_put16(buf + p + 10, tk_csum(buf + p, TK_IPV4_HLEN));
	}
	p = o->o4;
	switch (c->kind) {
	case TNL_VXLAN:
	case TNL_GENEVE:
		tk_put16(buf + p, 49152);
		tk_put16(buf + p + 2, c->kind == TNL_VXLAN ? 4789 : 6081);
		tk_put16(buf + p + 4, (uint16_t)(len - p));
		if (c->kind == TNL_VXLAN)
			buf[p + 8] = 0x08;		/* VNI present */
		else
			tk_put16(buf + p + 10, 0x6558);	/* Ethernet inside */
		buf[p + 14] = 42;			/* VNI */
		break;
	case TNL_GRE:
		tk_put16(buf + p + 2, 0x6558);		/* transparent Ethernet bridging */
		break;
	case TNL_IPIP:
		break;
	}
	return len;
}

static void
tnl_mbuf_fields(struct rte_mbuf *m, const struct tnl_case *c, const struct tnl_offs *o)
{
	m->outer_l2_len = o->o3;
	m->outer_l3_len = o->o4 - o->o3;
	m->l2_len = o->i3 - o->o4;
	m->l3_len = o->i4 - o->i3;
	m->l4_len = o->hdr - o->i4;
	m->ol_flags = (c->kind == TNL_VXLAN ? RTE_MBUF_F_TX_TUNNEL_VXLAN :
		       c->kind == TNL_GENEVE ? RTE_MBUF_F_TX_TUNNEL_GENEVE :
		       c->kind == TNL_GRE ? RTE_MBUF_F_TX_TUNNEL_GRE : RTE_MBUF_F_TX_TUNNEL_IPIP) |
		      (c->outer_v6 ? RTE_MBUF_F_TX_OUTER_IPV6 :
		       RTE_MBUF_F_TX_OUTER_IPV4 | RTE_MBUF_F_TX_OUTER_IP_CKSUM) |
		      (c->outer_udp_csum ? RTE_MBUF_F_TX_OUTER_UDP_CKSUM : 0) |
		      (c->inner_v6 ? RTE_MBUF_F_TX_IPV6 :
		       RTE_MBUF_F_TX_IPV4 | RTE_MBUF_F_TX_IP_CKSUM);
}

/*
 * Every header of one received tunnel frame of seglen payload bytes, the
 * off'th payload byte of the original first: lengths, both IPv4 checksums,
 * the outer UDP checksum (0 unless asked for), the inner L4 checksum.
 */
static int
tnl_check_frame(const uint8_t *f, uint32_t len, const struct tnl_case *c,
		const struct tnl_offs *o, const char *what, unsigned int i)
{
	if (c->outer_v6) {
		TEST_CHECK_EQUAL(tk_get16(f + o->o3 + 4), len - o->o3 - TK_IPV6_HLEN,
				 "%s %s %u: outer payload length", c->name, what, i);
	} else {
		TEST_CHECK_EQUAL(tk_get16(f + o->o3 + 2), len - o->o3,
				 "%s %s %u: outer total length", c->name, what, i);
		TEST_CHECK(tk_csum_ipv4_ok(f + o->o3), "%s %s %u: outer IPv4 checksum",
			   c->name, what, i);
	}
	if (c->kind == TNL_VXLAN || c->kind == TNL_GENEVE) {
		TEST_CHECK_EQUAL(tk_get16(f + o->o4 + 4), len - o->o4,
				 "%s %s %u: outer UDP length", c->name, what, i);
		if (c->outer_udp_csum)
			TEST_CHECK(tk_get16(f + o->o4 + 6) != 0 &&
				   tk_csum_l4_ok(f, len, o->o3, o->o4),
				   "%s %s %u: outer UDP checksum %#x", c->name, what, i,
				   tk_get16(f + o->o4 + 6));
		else
			TEST_CHECK_EQUAL(tk_get16(f + o->o4 + 6), 0,
					 "%s %s %u: outer UDP checksum", c->name, what, i);
	}
	if (c->inner_v6) {
		TEST_CHECK_EQUAL(tk_get16(f + o->i3 + 4), len - o->i3 - TK_IPV6_HLEN,
				 "%s %s %u: inner payload length", c->name, what, i);
	} else {
		TEST_CHECK_EQUAL(tk_get16(f + o->i3 + 2), len - o->i3,
				 "%s %s %u: inner total length", c->name, what, i);
		TEST_CHECK(tk_csum_ipv4_ok(f + o->i3), "%s %s %u: inner IPv4 checksum",
			   c->name, what, i);
	}
	TEST_CHECK(tk_csum_l4_ok(f, len, o->i3, o->i4), "%s %s %u: inner L4 checksum",
		   c->name, what, i);
	return TEST_SUCCESS;
}

/* Prepare and send m, a tunnel frame of len bytes; check what arrives. */
static int
tnl_send_check(struct rte_mbuf *m, uint32_t len, const struct tnl_case *c,
	       const struct tnl_offs *o, const char *what)
{
	struct rte_mbuf *r;

	TEST_ASSERT(rte_eth_tx_prepare(port_tx, 0, &m, 1) == 1, "%s %s: prepare: %s", c->name,
		    what, rte_strerror(rte_errno));
	TEST_ASSERT(send_all(port_tx, 0, &m, 1) == 1, "%s %s: send", c->name, what);
	TEST_ASSERT_EQUAL(recv_some(port_rx, 0, &r, 1, 500), 1, "%s %s: frame", c->name, what);
	TEST_CHECK_EQUAL(r->pkt_len, len, "%s %s: length", c->name, what);
	tnl_check_frame(rte_pktmbuf_read(r, 0, r->pkt_len, frame_rx), r->pkt_len, c, o, what, 0);
	rte_pktmbuf_free(r);
	return TEST_SUCCESS;
}

static const struct tnl_case tnl_cases[] = {
	{ "VXLAN/IPv4 TCP/IPv4", TNL_VXLAN, false, false, true, true, 2048 },
	{ "VXLAN/IPv4 UDP/IPv4", TNL_VXLAN, false, false, false, true, 2048 },
	{ "VXLAN/IPv6 TCP/IPv6", TNL_VXLAN, true, true, true, false, 700 },
	{ "VXLAN/IPv6 TCP/IPv4 udp csum", TNL_VXLAN, true, false, true, true, 2048 },
	{ "GENEVE/IPv4 TCP/IPv6", TNL_GENEVE, false, true, true, false, 2048 },
	{ "GRE/IPv4 TCP/IPv4", TNL_GRE, false, false, true, false, 1000 },
	{ "GRE/IPv6 UDP/IPv6", TNL_GRE, true, true, false, false, 2048 },
	{ "IPIP/IPv4 TCP/IPv4", TNL_IPIP, false, false, true, false, 2048 },
	{ "IPIP/IPv6 TCP/IPv4", TNL_IPIP, true, false, true, false, 2048 },
	{ "IPIP/IPv4 TCP/IPv6", TNL_IPIP, false, true, true, false, 0 },
};

/*
 * Tunnel TSO the NIC does as Linux's GSO_PARTIAL: for each tunnel, payload
 * sizes that end on an MSS boundary, just past one and within the first
 * segment, the receiver gets ceil(payload / MSS) frames whose every header
 * is right (tnl_check_frame), TCP sequence numbers and flags (CWR on the
 * first only, PSH on the last only), UDP lengths, and the payload in order.
 * Then a checksum request without TSO, and every mbuf comes back.
 */
static int
tunnel_tso_and_checksums_on_the_wire(void)
{
	enum { MSS = 1000 };
	static const uint32_t payloads[] = { 3 * MSS, 5 * MSS + 1, 321 };
	static struct rte_mbuf *r[16];
	static uint8_t payload[8 * MSS];
	unsigned int ci, pi, i, got, avail = rte_mempool_avail_count(pool_tx);

	TEST_ASSERT(ports_setup(1, RTE_ETH_RX_OFFLOAD_SCATTER,
				RTE_ETH_TX_OFFLOAD_MULTI_SEGS | RTE_ETH_TX_OFFLOAD_IPV4_CKSUM |
				RTE_ETH_TX_OFFLOAD_TCP_CKSUM | RTE_ETH_TX_OFFLOAD_UDP_CKSUM |
				RTE_ETH_TX_OFFLOAD_TCP_TSO | RTE_ETH_TX_OFFLOAD_UDP_TSO |
				RTE_ETH_TX_OFFLOAD_VXLAN_TNL_TSO |
				RTE_ETH_TX_OFFLOAD_GRE_TNL_TSO |
				RTE_ETH_TX_OFFLOAD_GENEVE_TNL_TSO |
				RTE_ETH_TX_OFFLOAD_IPIP_TNL_TSO |
				RTE_ETH_TX_OFFLOAD_OUTER_IPV4_CKSUM |
				RTE_ETH_TX_OFFLOAD_OUTER_UDP_CKSUM,
				pool_rx, RING_SIZE) == 0, "setup");
	for (ci = 0; ci < RTE_DIM(tnl_cases); ci++) {
		const struct tnl_case *c = &tnl_cases[ci];

		for (pi = 0; pi < RTE_DIM(payloads); pi++) {
			uint32_t pay = payloads[pi], off = 0, len, nseg = (pay + MSS - 1) / MSS;
			struct tnl_offs o;
			struct rte_mbuf *m;

			len = tnl_frame(frame_tx, c, pay, &o);
			memcpy(payload, frame_tx + o.hdr, pay);
			if (c->seg_size != 0) {
				m = mbuf_from_bytes(frame_tx, len, RTE_MAX(c->seg_size, o.hdr));
			} else {
				/* No AL reads the first segment: the header copy has it all. */
				struct rte_mbuf *rest = mbuf_from_bytes(frame_tx + o.hdr,
									len - o.hdr, 2048);

				m = mbuf_from_bytes(frame_tx, o.hdr, o.hdr);
				TEST_ASSERT(m != NULL && rest != NULL &&
					    rte_pktmbuf_chain(m, rest) == 0, "chain");
			}
			TEST_ASSERT(m != NULL, "alloc");
			tnl_mbuf_fields(m, c, &o);
			m->tso_segsz = MSS;
			m->ol_flags |= c->tcp ? RTE_MBUF_F_TX_TCP_SEG | RTE_MBUF_F_TX_TCP_CKSUM :
						RTE_MBUF_F_TX_UDP_SEG | RTE_MBUF_F_TX_UDP_CKSUM;
			TEST_ASSERT(rte_eth_tx_prepare(port_tx, 0, &m, 1) == 1, "%s: prepare: %s",
				    c->name, rte_strerror(rte_errno));
			TEST_ASSERT(send_all(port_tx, 0, &m, 1) == 1, "%s: send", c->name);
			got = recv_some(port_rx, 0, r, RTE_DIM(r), 500);
			TEST_ASSERT_EQUAL(got, nseg, "%s, %u bytes: segments", c->name, pay);
			for (i = 0; i < got; i++) {
				const uint8_t *f = rte_pktmbuf_read(r[i], 0, r[i]->pkt_len,
								  frame_rx);
				uint32_t seglen = RTE_MIN((uint32_t)MSS, pay - off);

				TEST_ASSERT(f != NULL, "read");
				TEST_CHECK_EQUAL(r[i]->pkt_len, o.hdr + seglen,
						 "%s segment %u length", c->name, i);
				if (tnl_check_frame(f, r[i]->pkt_len, c, &o, "segment", i) != 0)
					return TEST_FAILED;
				if (c->tcp) {
					uint8_t fl = f[o.i4 + 13];

					TEST_CHECK_EQUAL(tk_get32(f + o.i4 + 4), 1000 + off,
							 "%s segment %u seq", c->name, i);
					TEST_CHECK_EQUAL(!!(fl & TK_TCP_CWR), i == 0,
							 "%s segment %u CWR", c->name, i);
					TEST_CHECK_EQUAL(!!(fl & TK_TCP_PSH), i + 1 == got,
							 "%s segment %u PSH", c->name, i);
					TEST_CHECK(fl & TK_TCP_ACK, "%s segment %u ACK", c->name,
						   i);
				} else {
					TEST_CHECK_EQUAL(tk_get16(f + o.i4 + 4),
							 TK_UDP_HLEN + seglen,
							 "%s datagram %u length", c->name, i);
				}
				TEST_CHECK(memcmp(f + o.hdr, payload + off, seglen) == 0,
					   "%s segment %u payload", c->name, i);
				off += seglen;
			}
			TEST_CHECK_EQUAL(off, pay, "%s payload received", c->name);
			free_all(r, got);
		}

		/* Checksums alone: every sum zeroed, all asked of tx_prepare and the NIC. */
		{
			struct tnl_offs o;
			uint32_t len = tnl_frame(frame_tx, c, 500, &o);
			uint32_t csum_at = o.i4 + (c->tcp ? 16 : 6);
			struct rte_mbuf *m;

			frame_tx[csum_at] = frame_tx[csum_at + 1] = 0;
			if (!c->outer_v6)
				frame_tx[o.o3 + 10] = frame_tx[o.o3 + 11] = 0;
			if (!c->inner_v6)
				frame_tx[o.i3 + 10] = frame_tx[o.i3 + 11] = 0;
			m = mbuf_from_bytes(frame_tx, len, 2048);
			TEST_ASSERT(m != NULL, "alloc");
			tnl_mbuf_fields(m, c, &o);
			m->ol_flags |= c->tcp ? RTE_MBUF_F_TX_TCP_CKSUM : RTE_MBUF_F_TX_UDP_CKSUM;
			if (tnl_send_check(m, len, c, &o, "checksums") != 0)
				return TEST_FAILED;
		}
	}

	/* The outer UDP checksum alone, the inner sums final: all of it in software. */
	{
		const struct tnl_case *c = &tnl_cases[1];
		struct tnl_offs o;
		uint32_t len = tnl_frame(frame_tx, c, 1200, &o);
		struct rte_mbuf *m = mbuf_from_bytes(frame_tx, len, 600);

		TEST_ASSERT(m != NULL, "alloc");
		tnl_mbuf_fields(m, c, &o);
		m->ol_flags &= ~(RTE_MBUF_F_TX_IP_CKSUM | RTE_MBUF_F_TX_OUTER_IP_CKSUM);
		if (tnl_send_check(m, len, c, &o, "outer sum only") != 0)
			return TEST_FAILED;
	}

	/* Requests the driver cannot carry. */
	{
		const struct tnl_case *c = &tnl_cases[0];
		struct tnl_offs o;
		uint32_t len = tnl_frame(frame_tx, c, 3000, &o);
		struct rte_mbuf *m = mbuf_from_bytes(frame_tx, len, 2048);

		TEST_ASSERT(m != NULL, "alloc");
		tnl_mbuf_fields(m, c, &o);
		m->tso_segsz = MSS;
		m->ol_flags |= RTE_MBUF_F_TX_TCP_SEG | RTE_MBUF_F_TX_TCP_CKSUM;
		m->ol_flags &= ~RTE_MBUF_F_TX_OUTER_IPV4;
		TEST_CHECK(rte_eth_tx_prepare(port_tx, 0, &m, 1) == 0 && rte_errno == EINVAL,
			   "no outer IP type: %d", rte_errno);
		m->ol_flags |= RTE_MBUF_F_TX_OUTER_IPV6;
		TEST_CHECK(rte_eth_tx_prepare(port_tx, 0, &m, 1) == 0 && rte_errno == EINVAL,
			   "outer IPv4 checksum of an IPv6 header: %d", rte_errno);
		tnl_mbuf_fields(m, c, &o);
		m->ol_flags |= RTE_MBUF_F_TX_TCP_SEG | RTE_MBUF_F_TX_TCP_CKSUM;
		m->l2_len = 4;
		TEST_CHECK(rte_eth_tx_prepare(port_tx, 0, &m, 1) == 0 && rte_errno == EINVAL,
			   "VXLAN shorter than UDP: %d", rte_errno);
		m->l2_len = (uint8_t)(o.i3 - o.o4);
		m->tso_segsz = 0;
		TEST_CHECK(rte_eth_tx_prepare(port_tx, 0, &m, 1) == 0 && rte_errno == EINVAL,
			   "MSS 0: %d", rte_errno);
		/* Unprepared, the burst drops it (counted) and frees it. */
		TEST_ASSERT(send_all(port_tx, 0, &m, 1) == 1, "send");
		TEST_CHECK_EQUAL(recv_some(port_rx, 0, r, 1, 200), 0, "bad frame sent");

		c = &tnl_cases[5];
		len = tnl_frame(frame_tx, c, 3000, &o);
		frame_tx[o.o4] |= 0x80;		/* GRE checksum present */
		m = mbuf_from_bytes(frame_tx, len, 2048);
		TEST_ASSERT(m != NULL, "alloc");
		tnl_mbuf_fields(m, c, &o);
		m->tso_segsz = MSS;
		m->ol_flags |= RTE_MBUF_F_TX_TCP_SEG | RTE_MBUF_F_TX_TCP_CKSUM;
		TEST_CHECK(rte_eth_tx_prepare(port_tx, 0, &m, 1) == 0 && rte_errno == ENOTSUP,
			   "GRE with a checksum: %d", rte_errno);
		rte_pktmbuf_free(m);
	}
	/*
	 * Unprepared frames with random tunnel lengths and flags straight into
	 * the burst: sent or dropped, never a crash, every mbuf back.
	 */
	for (i = 0; i < 300; i++) {
		const struct tnl_case *c = &tnl_cases[i % RTE_DIM(tnl_cases)];
		uint64_t rnd = rte_rand();
		struct tnl_offs o;
		uint32_t len = tnl_frame(frame_tx, c, 100 + (uint32_t)(rnd % 5000), &o);
		struct rte_mbuf *m = mbuf_from_bytes(frame_tx, len,
						     64 + (uint32_t)(rnd >> 20) % 3000);

		if (m == NULL || m->nb_segs > 32) {
			rte_pktmbuf_free(m);
			continue;
		}
		tnl_mbuf_fields(m, c, &o);
		m->outer_l2_len = (uint8_t)(rnd >> 8);
		m->outer_l3_len = (uint16_t)((rnd >> 16) & 0x1ff);
		m->l2_len = (uint8_t)(rnd >> 25);
		m->l3_len = (uint16_t)((rnd >> 32) & 0x1ff);
		m->l4_len = (uint8_t)(rnd >> 41);
		m->tso_segsz = (uint16_t)(rnd >> 48);
		m->ol_flags |= (rnd & 1) ? RTE_MBUF_F_TX_TCP_SEG : RTE_MBUF_F_TX_UDP_SEG;
		if (rnd & 2)
			m->ol_flags ^= RTE_MBUF_F_TX_OUTER_IPV4 | RTE_MBUF_F_TX_OUTER_IPV6;
		if (rnd & 4)
			m->ol_flags |= RTE_MBUF_F_TX_TCP_SEG | RTE_MBUF_F_TX_UDP_SEG;
		if (send_all(port_tx, 0, &m, 1) != 1)
			rte_pktmbuf_free(m);
		got = recv_some(port_rx, 0, r, RTE_DIM(r), 2);
		free_all(r, got);
	}
	while ((got = recv_some(port_rx, 0, r, RTE_DIM(r), 50)) != 0)
		free_all(r, got);
	TEST_ASSERT(rte_eth_tx_done_cleanup(port_tx, 0, 0) >= 0, "cleanup");
	TEST_CHECK_EQUAL(rte_mempool_avail_count(pool_tx), avail, "Tx mbufs back in the pool");
	ports_stop();
	return TEST_SUCCESS;
}

/* Bad tx_prepare input fails with EINVAL / ENOTSUP for that packet. */
static int
tx_prepare_rejects_bad_requests(void)
{
	struct rte_mbuf *m[2];
	uint32_t len = build_l4(frame_tx, false, true, 1, 100, 1);

	TEST_ASSERT(ports_setup(1, 0, RTE_ETH_TX_OFFLOAD_TCP_CKSUM | RTE_ETH_TX_OFFLOAD_TCP_TSO,
				pool_rx, RING_SIZE) == 0, "setup");
	m[0] = mbuf_from_bytes(frame_tx, len, 2048);
	m[1] = mbuf_from_bytes(frame_tx, len, 2048);
	TEST_ASSERT(m[0] != NULL && m[1] != NULL, "alloc");
	m[0]->l2_len = 14;
	m[0]->l3_len = 20;
	m[0]->ol_flags = RTE_MBUF_F_TX_IPV4 | RTE_MBUF_F_TX_TCP_CKSUM;
	m[1]->l2_len = 15;	/* odd: the NIC counts in 2-byte units */
	m[1]->l3_len = 20;
	m[1]->ol_flags = RTE_MBUF_F_TX_IPV4 | RTE_MBUF_F_TX_TCP_CKSUM;
	TEST_ASSERT(rte_eth_tx_prepare(port_tx, 0, m, 2) == 1 && rte_errno == EINVAL, "odd L2");
	m[1]->l2_len = 14;
	m[1]->ol_flags = RTE_MBUF_F_TX_IPV4 | RTE_MBUF_F_TX_SCTP_CKSUM;
	TEST_ASSERT(rte_eth_tx_prepare(port_tx, 0, m + 1, 1) == 0 && rte_errno == ENOTSUP, "SCTP");
	m[1]->ol_flags = RTE_MBUF_F_TX_IPV4 | RTE_MBUF_F_TX_TCP_SEG;
	m[1]->l4_len = 20;
	m[1]->tso_segsz = 0;
	TEST_ASSERT(rte_eth_tx_prepare(port_tx, 0, m + 1, 1) == 0 && rte_errno == EINVAL, "MSS 0");
	free_all(m, 2);
	ports_stop();
	return 0;
}

/* rx_queue_count, descriptor status and tx_done_cleanup report what is in the rings. */
static int
descriptor_status_and_cleanup(void)
{
	enum { N = 16 };
	struct rte_mbuf *pkts[N], *r[N];
	unsigned int k;
	int used, ret;

	TEST_ASSERT(ports_setup(1, 0, 0, pool_rx, 256) == 0, "setup");
	TEST_ASSERT(rte_eth_rx_queue_count(port_rx, 0) == 0, "empty queue count");
	TEST_ASSERT(rte_eth_rx_descriptor_status(port_rx, 0, 0) == RTE_ETH_RX_DESC_AVAIL, "rx 0");
	TEST_ASSERT(rte_eth_tx_descriptor_status(port_tx, 0, 0) == RTE_ETH_TX_DESC_DONE, "tx 0");
	TEST_ASSERT(rte_eth_rx_descriptor_status(port_rx, 0, 256) == -EINVAL,
		    "rx offset past ring");
	/* The queue holds all 256 frames: the last descriptor can be filled too. */
	TEST_ASSERT(rte_eth_rx_descriptor_status(port_rx, 0, 255) == RTE_ETH_RX_DESC_AVAIL,
		    "last rx descriptor");

	for (k = 0; k < N; k++) {
		pkts[k] = mbuf_from_bytes(frame_tx, build_raw(frame_tx, 100, k), 2048);
		TEST_ASSERT(pkts[k] != NULL, "alloc");
	}
	TEST_ASSERT(rte_eth_tx_burst(port_tx, 0, pkts, N) == N, "burst");
	/* Nothing sent yet: META + AL per frame are in flight at the end of the ring. */
	TEST_ASSERT(rte_eth_tx_descriptor_status(port_tx, 0, 255) == RTE_ETH_TX_DESC_FULL,
		    "tx full");
	TEST_ASSERT(rte_eth_tx_descriptor_status(port_tx, 0, 256 - 2 * N) == RTE_ETH_TX_DESC_FULL,
		    "first in-flight TWD");
	TEST_ASSERT(rte_eth_tx_descriptor_status(port_tx, 0, 256 - 2 * N - 1) ==
		    RTE_ETH_TX_DESC_DONE, "TWD before the in-flight ones");
	TEST_ASSERT(rte_eth_tx_done_cleanup(port_tx, 0, 0) == 0, "nothing to clean yet");
	model_poll();
	TEST_ASSERT(rte_eth_tx_descriptor_status(port_tx, 0, 255) == RTE_ETH_TX_DESC_DONE,
		    "tx done after the NIC ran");
	ret = rte_eth_tx_done_cleanup(port_tx, 0, 4);
	TEST_ASSERT(ret == 4, "cleanup of 4 returned %d", ret);
	ret = rte_eth_tx_done_cleanup(port_tx, 0, 0);
	TEST_ASSERT(ret == N - 4, "cleanup of the rest returned %d", ret);

	used = rte_eth_rx_queue_count(port_rx, 0);
	TEST_ASSERT(used == N, "rx queue count %d, want %d complete frames", used, N);
	TEST_ASSERT(rte_eth_rx_descriptor_status(port_rx, 0, 0) == RTE_ETH_RX_DESC_DONE, "rx done");
	TEST_ASSERT(rte_eth_rx_descriptor_status(port_rx, 0, N - 1) == RTE_ETH_RX_DESC_DONE,
		    "last used");
	TEST_ASSERT(rte_eth_rx_descriptor_status(port_rx, 0, N) == RTE_ETH_RX_DESC_AVAIL,
		    "first free");
	TEST_ASSERT(recv_some(port_rx, 0, r, N, 100) == N, "receive");
	free_all(r, N);
	TEST_ASSERT(rte_eth_rx_queue_count(port_rx, 0) == 0, "count after receive");
	ports_stop();
	return 0;
}

/* Device values that fail a bounds check are counted; the queue carries on. */
static int
bad_device_values_are_counted_and_survived(void)
{
	struct rte_eth_dev *dev = &rte_eth_devices[port_rx];
	struct rte_mbuf *m, *r[4];
	struct fbnic_rx_queue *rxq;
	unsigned int round, got;

	TEST_ASSERT(ports_setup(1, 0, 0, pool_rx, 256) == 0, "setup");
	rxq = dev->data->rx_queues[0];
	for (round = 0; round < 4; round++) {
		volatile uint64_t *rcd;
		uint64_t v;

		m = mbuf_from_bytes(frame_tx, build_raw(frame_tx, 100, round), 2048);
		TEST_ASSERT(m != NULL && send_all(port_tx, 0, &m, 1) == 1, "send");
		model_poll();
		TEST_ASSERT(rte_eth_rx_queue_count(port_rx, 0) == 1, "frame in the RCQ");
		/* Damage the frame's HDR_AL as a faulty device would. */
		rcd = &rxq->rcq[rxq->rcq_head & rxq->rcq_mask];
		v = rte_le_to_cpu_64(*rcd);
		switch (round) {
		case 0:	/* buffer ID of a page the NIC does not own */
			v = (v & ~FBNIC_RCD_AL_BUFF_ID_MASK) |
			    FBNIC_FIELD_PREP(FBNIC_RCD_AL_BUFF_ID_MASK, rxq->hpq_tail);
			break;
		case 1:	/* data past the end of the page */
			v |= FBNIC_FIELD_PREP(FBNIC_RCD_AL_BUFF_OFF_MASK, 4000);
			break;
		case 2:	/* a META where HDR_AL belongs */
			v = (v & ~FBNIC_RCD_TYPE_MASK) |
			    FBNIC_FIELD_PREP(FBNIC_RCD_TYPE_MASK, FBNIC_RCD_TYPE_META);
			break;
		default:	/* ID beyond the ring */
			v |= FBNIC_RCD_AL_BUFF_ID_MASK;
			break;
		}
		*rcd = rte_cpu_to_le_64(v);
		got = recv_some(port_rx, 0, r, 4, 50);
		TEST_ASSERT(got == 0, "round %u: damaged frame delivered", round);
		TEST_ASSERT(xstat(port_rx, "rx_q0_bad_desc") >= round + 1,
			    "round %u: bad_desc %" PRIu64,
			    round, xstat(port_rx, "rx_q0_bad_desc"));
		/* The next good frame still arrives intact. */
		m = mbuf_from_bytes(frame_tx, build_raw(frame_tx, 200, 100 + round), 2048);
		TEST_ASSERT(m != NULL && send_all(port_tx, 0, &m, 1) == 1, "send");
		got = recv_some(port_rx, 0, r, 4, 200);
		TEST_ASSERT(got == 1 && r[0]->pkt_len == 200,
			    "round %u: good frame after a bad one (%u)",
			    round, got);
		TEST_ASSERT(memcmp(rte_pktmbuf_mtod(r[0], void *), frame_tx, 200) == 0, "bytes");
		free_all(r, got);
	}
	ports_stop();
	return 0;
}

/* A full TWQ makes tx_burst return fewer; after the NIC runs, sending resumes. */
static int
tx_ring_full_returns_fewer_then_recovers(void)
{
	enum { N = 64 };
	struct rte_mbuf *pkts[N], *r[N], *big;
	unsigned int k, first, rest, got;

	TEST_ASSERT(ports_setup(1, 0, RTE_ETH_TX_OFFLOAD_MULTI_SEGS, pool_rx, 64) == 0, "setup");
	for (k = 0; k < N; k++) {
		pkts[k] = mbuf_from_bytes(frame_tx, build_raw(frame_tx, 64, k), 2048);
		TEST_ASSERT(pkts[k] != NULL, "alloc");
	}
	/* 64 TWDs, one kept empty and 7 as the gap: 28 frames of META + AL. */
	first = rte_eth_tx_burst(port_tx, 0, pkts, N);
	TEST_ASSERT(first == 28, "first burst took %u frames", first);
	TEST_ASSERT(rte_eth_tx_burst(port_tx, 0, pkts + first, N - first) == 0, "ring is full");
	model_poll();
	got = recv_some(port_rx, 0, r, N, 50);
	TEST_ASSERT(got == first, "received %u of %u", got, first);
	free_all(r, got);
	rest = send_all(port_tx, 0, pkts + first, N - first);
	TEST_ASSERT(rest == N - first, "rest %u", rest);
	got = recv_some(port_rx, 0, r, N, 200);
	TEST_ASSERT(got == N - first, "received %u of %u", got, N - first);
	for (k = 0; k < got; k++)
		TEST_ASSERT(frame_seq(r[k], sizeof(struct rte_ether_hdr)) == first + k, "order");
	free_all(r, got);

	/* A frame with more segments than a frame may have is dropped, not stuck. */
	big = mbuf_from_bytes(frame_tx, build_raw(frame_tx, 40 * 60, 999), 60);
	TEST_ASSERT(big != NULL && big->nb_segs == 40, "chain");
	TEST_ASSERT(rte_eth_tx_burst(port_tx, 0, &big, 1) == 1, "oversized chain consumed");
	TEST_ASSERT(xstat(port_tx, "tx_q0_drops") == 1, "drops %" PRIu64,
		    xstat(port_tx, "tx_q0_drops"));
	ports_stop();
	return 0;
}

/* One queue stopped and started while the port runs carries traffic again. */
static int
queue_stop_start_while_running(void)
{
	struct rte_mbuf *pkts[8], *r[16];
	unsigned int k, got;

	TEST_ASSERT(ports_setup(1, 0, 0, pool_rx, 256) == 0, "setup");
	TEST_ASSERT(rte_eth_dev_tx_queue_stop(port_tx, 0) == 0, "tx stop");
	pkts[0] = mbuf_from_bytes(frame_tx, build_raw(frame_tx, 64, 0), 2048);
	TEST_ASSERT(pkts[0] != NULL, "alloc");
	TEST_ASSERT(rte_eth_tx_burst(port_tx, 0, pkts, 1) == 0, "a stopped queue takes nothing");
	rte_pktmbuf_free(pkts[0]);
	TEST_ASSERT(rte_eth_dev_tx_queue_start(port_tx, 0) == 0, "tx start");
	TEST_ASSERT(rte_eth_dev_rx_queue_stop(port_rx, 0) == 0, "rx stop");
	TEST_ASSERT(rte_eth_rx_burst(port_rx, 0, r, 16) == 0, "a stopped queue gives nothing");
	TEST_ASSERT(rte_eth_dev_rx_queue_start(port_rx, 0) == 0, "rx start");
	for (k = 0; k < 8; k++) {
		pkts[k] = mbuf_from_bytes(frame_tx, build_raw(frame_tx, 64 + k, 10 + k), 2048);
		TEST_ASSERT(pkts[k] != NULL, "alloc");
	}
	TEST_ASSERT(send_all(port_tx, 0, pkts, 8) == 8, "send");
	got = recv_some(port_rx, 0, r, 16, 200);
	TEST_ASSERT(got == 8, "received %u of 8 after the restart", got);
	for (k = 0; k < got; k++)
		TEST_ASSERT(r[k]->pkt_len == 64 + k && frame_seq(r[k], 14) == 10 + k, "frame %u",
			    k);
	free_all(r, got);
	ports_stop();
	return 0;
}

/*
 * A TCQ head outside the posted TWDs is counted and ignored, later ones free
 * everything; timestamp records are skipped.
 */
static int
bad_tx_completion_is_counted_and_survived(void)
{
	struct rte_eth_dev *dev = &rte_eth_devices[port_tx];
	struct fbnic_tx_queue *txq;
	struct rte_mbuf *pkts[8], *r[16];
	volatile uint64_t *tcd;
	unsigned int k, got;
	uint64_t v;
	int ret;

	TEST_ASSERT(ports_setup(1, 0, 0, pool_rx, 256) == 0, "setup");
	txq = dev->data->tx_queues[0];
	for (k = 0; k < 8; k++) {
		pkts[k] = mbuf_from_bytes(frame_tx, build_raw(frame_tx, 64, k), 2048);
		TEST_ASSERT(pkts[k] != NULL, "alloc");
	}
	TEST_ASSERT(rte_eth_tx_burst(port_tx, 0, pkts, 4) == 4, "burst");
	model_poll();
	tcd = &txq->tcq[txq->tcq_head & txq->mask];
	v = rte_le_to_cpu_64(*tcd);
	TEST_ASSERT(FBNIC_FIELD_GET(FBNIC_TCD_TYPE0_HEAD0_MASK, v) == 8, "head0 after 4 frames");
	v = (v & ~FBNIC_TCD_TYPE0_HEAD0_MASK) |
	    FBNIC_FIELD_PREP(FBNIC_TCD_TYPE0_HEAD0_MASK, 200);
	*tcd = rte_cpu_to_le_64(v);
	ret = rte_eth_tx_done_cleanup(port_tx, 0, 0);
	TEST_ASSERT(ret == 0, "cleanup freed %d with a bad head", ret);
	TEST_ASSERT(xstat(port_tx, "tx_q0_bad_desc") == 1, "bad_desc %" PRIu64,
		    xstat(port_tx, "tx_q0_bad_desc"));
	TEST_ASSERT(rte_eth_tx_burst(port_tx, 0, pkts + 4, 4) == 4, "burst");
	model_poll();
	ret = rte_eth_tx_done_cleanup(port_tx, 0, 0);
	TEST_ASSERT(ret == 8, "cleanup freed %d of 8", ret);
	got = recv_some(port_rx, 0, r, 16, 100);
	TEST_ASSERT(got == 8, "received %u", got);
	free_all(r, got);

	/* A timestamp record (type 1) in front of the head update is skipped. */
	for (k = 0; k < 4; k++) {
		pkts[k] = mbuf_from_bytes(frame_tx, build_raw(frame_tx, 64, k), 2048);
		TEST_ASSERT(pkts[k] != NULL, "alloc");
	}
	TEST_ASSERT(rte_eth_tx_burst(port_tx, 0, pkts, 4) == 4, "burst");
	model_poll();
	{
		uint32_t pos = txq->tcq_head, size = txq->mask + 1;
		uint64_t head_rec = rte_le_to_cpu_64(txq->tcq[pos & txq->mask]);
		uint64_t done0 = (pos & size) ? 0 : FBNIC_TCD_DONE;
		uint64_t done1 = ((pos + 1) & size) ? 0 : FBNIC_TCD_DONE;

		TEST_ASSERT((head_rec & FBNIC_TCD_DONE) == done0, "no new head record");
		txq->tcq[(pos + 1) & txq->mask] =
			rte_cpu_to_le_64((head_rec & ~FBNIC_TCD_DONE) | done1);
		txq->tcq[pos & txq->mask] = rte_cpu_to_le_64(done0 |
			FBNIC_FIELD_PREP(FBNIC_TCD_TYPE_MASK, FBNIC_TCD_TYPE_1) |
			FBNIC_FIELD_PREP(FBNIC_TCD_TYPE1_TS_MASK, 12345));
	}
	ret = rte_eth_tx_done_cleanup(port_tx, 0, 0);
	TEST_ASSERT(ret == 4, "cleanup after a timestamp record freed %d of 4", ret);
	got = recv_some(port_rx, 0, r, 16, 100);
	TEST_ASSERT(got == 4, "received %u", got);
	free_all(r, got);
	/* One record more than the NIC wrote was consumed: a queue restart resyncs. */
	TEST_ASSERT(rte_eth_dev_tx_queue_stop(port_tx, 0) == 0 &&
		    rte_eth_dev_tx_queue_start(port_tx, 0) == 0, "tx restart");
	pkts[0] = mbuf_from_bytes(frame_tx, build_raw(frame_tx, 64, 0), 2048);
	TEST_ASSERT(pkts[0] != NULL && send_all(port_tx, 0, pkts, 1) == 1, "send");
	TEST_ASSERT(rte_eth_tx_done_cleanup(port_tx, 0, 0) == 1, "cleanup after the restart");
	got = recv_some(port_rx, 0, r, 16, 100);
	TEST_ASSERT(got == 1, "received %u", got);
	free_all(r, got);
	ports_stop();
	return 0;
}

/* Frames the NIC never read are freed and counted as drops when the queue stops. */
static int
unsent_frames_are_freed_at_stop(void)
{
	struct rte_mbuf *pkts[16];
	unsigned int k, before = rte_mempool_avail_count(pool_tx);
	uint64_t drops;

	TEST_ASSERT(ports_setup(1, 0, 0, pool_rx, 256) == 0, "setup");
	for (k = 0; k < 16; k++) {
		pkts[k] = mbuf_from_bytes(frame_tx, build_raw(frame_tx, 100, k), 2048);
		TEST_ASSERT(pkts[k] != NULL, "alloc");
	}
	/* No model poll: the frames sit in TWQ0 when the port stops. */
	TEST_ASSERT(rte_eth_tx_burst(port_tx, 0, pkts, 16) == 16, "burst");
	TEST_ASSERT(rte_mempool_avail_count(pool_tx) == before - 16, "frames held by the queue");
	ports_stop();
	TEST_ASSERT(rte_mempool_avail_count(pool_tx) == before, "Tx pool %u, want %u",
		    rte_mempool_avail_count(pool_tx), before);
	drops = xstat(port_tx, "tx_q0_drops");
	TEST_ASSERT(drops == 16, "drops %" PRIu64, drops);
	return 0;
}

/*
 * MBUF_FAST_FREE: frames of one and of several segments are all sent and
 * received, every mbuf comes back to its pool, and the pool's invariants
 * (one segment, no next) hold for each, as a raw get would find them.
 */
static int
fast_free_returns_every_mbuf(void)
{
	enum { N = 96 };
	static void *objs[POOL_SIZE];
	struct rte_mbuf *pkts[N], *r[N];
	struct rte_eth_burst_mode mode;
	unsigned int k, got, before = rte_mempool_avail_count(pool_tx), avail;

	TEST_ASSERT(ports_setup(1, RTE_ETH_RX_OFFLOAD_SCATTER, RTE_ETH_TX_OFFLOAD_MBUF_FAST_FREE |
				RTE_ETH_TX_OFFLOAD_MULTI_SEGS, pool_rx, 512) == 0, "setup");
	TEST_ASSERT(rte_eth_tx_burst_mode_get(port_tx, 0, &mode) == 0, "Tx burst mode");
	for (k = 0; k < N; k++) {
		/* Every third frame in three segments */
		pkts[k] = mbuf_from_bytes(frame_tx, build_raw(frame_tx, 200 + k, k),
					  k % 3 == 0 ? 80 : 2048);
		TEST_ASSERT(pkts[k] != NULL, "alloc");
	}
	TEST_ASSERT(send_all(port_tx, 0, pkts, N) == N, "send");
	got = recv_some(port_rx, 0, r, N, 200);
	TEST_ASSERT(got == N, "received %u of %u (Tx path %s)", got, N, mode.info);
	free_all(r, got);
	/* The completions come back with the next bursts. */
	for (k = 0; k < 100 && rte_mempool_avail_count(pool_tx) != before; k++) {
		rte_eth_tx_done_cleanup(port_tx, 0, 0);
		model_poll();
	}
	avail = rte_mempool_avail_count(pool_tx);
	TEST_ASSERT(avail == before, "Tx pool %u, want %u", avail, before);
	TEST_ASSERT(rte_mempool_get_bulk(pool_tx, objs, avail) == 0, "raw get");
	for (k = 0; k < avail; k++) {
		const struct rte_mbuf *m = objs[k];

		TEST_ASSERT(m->next == NULL && m->nb_segs == 1 && rte_mbuf_refcnt_read(m) == 1,
			    "mbuf %u back with next %p, %u segments, refcnt %u", k, (void *)m->next,
			    m->nb_segs, rte_mbuf_refcnt_read(m));
	}
	rte_mempool_put_bulk(pool_tx, objs, avail);
	ports_stop();
	return 0;
}

/* A frame whose META is not written yet is left alone until it is. */
static int
incomplete_frame_waits_for_its_meta(void)
{
	struct rte_eth_dev *dev = &rte_eth_devices[port_rx];
	struct fbnic_rx_queue *rxq;
	struct rte_mbuf *m, *r[4];
	volatile uint64_t *meta;
	uint64_t saved;
	unsigned int got;

	TEST_ASSERT(ports_setup(1, 0, 0, pool_rx, 256) == 0, "setup");
	rxq = dev->data->rx_queues[0];
	m = mbuf_from_bytes(frame_tx, build_raw(frame_tx, 300, 5), 2048);
	TEST_ASSERT(m != NULL && send_all(port_tx, 0, &m, 1) == 1, "send");
	model_poll();
	TEST_ASSERT(rte_eth_rx_queue_count(port_rx, 0) == 1, "one complete frame");
	/* Hardware writes entries one by one: make the META look unwritten. */
	meta = &rxq->rcq[(rxq->rcq_head + 1) & rxq->rcq_mask];
	saved = *meta;
	*meta = saved ^ rte_cpu_to_le_64(FBNIC_RCD_DONE);
	got = rte_eth_rx_burst(port_rx, 0, r, 4);
	TEST_ASSERT(got == 0, "half a frame delivered");
	TEST_ASSERT(rte_eth_rx_queue_count(port_rx, 0) == 0, "no complete frame without META");
	*meta = saved;
	got = rte_eth_rx_burst(port_rx, 0, r, 4);
	TEST_ASSERT(got == 1 && r[0]->pkt_len == 300, "frame once complete (%u)", got);
	TEST_ASSERT(memcmp(rte_pktmbuf_mtod(r[0], void *), frame_tx, 300) == 0, "bytes");
	free_all(r, got);
	TEST_ASSERT(xstat(port_rx, "rx_q0_bad_desc") == 0, "nothing counted bad");
	ports_stop();
	return 0;
}

/* Frames shorter than 60 bytes leave padded with zeros (the NIC does not pad). */
static int
short_frames_are_padded(void)
{
	static const uint32_t sizes[] = { 14, 42, 59, 60 };
	struct rte_mbuf *m, *r;
	unsigned int i, k;

	TEST_ASSERT(ports_setup(1, 0, RTE_ETH_TX_OFFLOAD_MULTI_SEGS, pool_rx, 256) == 0, "setup");
	for (i = 0; i < RTE_DIM(sizes); i++) {
		const uint8_t *got;

		build_raw(frame_tx, 64, 40 + i);
		m = mbuf_from_bytes(frame_tx, sizes[i], i & 1 ? 8 : 2048);
		TEST_ASSERT(m != NULL && send_all(port_tx, 0, &m, 1) == 1, "send");
		TEST_ASSERT(recv_some(port_rx, 0, &r, 1, 200) == 1, "%u-byte frame", sizes[i]);
		TEST_ASSERT(r->pkt_len == 60, "%u bytes became %u", sizes[i], r->pkt_len);
		got = rte_pktmbuf_mtod(r, const uint8_t *);
		TEST_ASSERT(memcmp(got, frame_tx, sizes[i]) == 0, "bytes of a %u-byte frame",
			    sizes[i]);
		for (k = sizes[i]; k < 60; k++)
			TEST_ASSERT(got[k] == 0, "pad byte %u is %#x", k, got[k]);
		rte_pktmbuf_free(r);
	}
	ports_stop();
	return 0;
}

/*
 * The Rx path the buffer scheme uses without checksum offloads: the widest
 * that the CPU has and EAL's --force-max-simd-bitwidth allows.
 */
static const char *
rx_vec_path(void)
{
#ifdef RTE_ARCH_X86
	uint16_t simd = rte_vect_get_max_simd_bitwidth();

	if (simd >= RTE_VECT_SIMD_512 && rte_cpu_get_flag_enabled(RTE_CPUFLAG_AVX512F) > 0 &&
	    dlsym(RTLD_DEFAULT, "fbnic_recv_pkts_bufs_avx512") != NULL)
		return "AVX512";
	if (simd >= RTE_VECT_SIMD_256 && rte_cpu_get_flag_enabled(RTE_CPUFLAG_AVX2) > 0)
		return "AVX2";
	if (simd >= RTE_VECT_SIMD_128 && rte_cpu_get_flag_enabled(RTE_CPUFLAG_SSE4_2) > 0)
		return "SSE";
#endif
	return "Scalar";
}

/* Name of the widest path EAL's SIMD cap and the CPU allow (the build has them all). */
static const char *
widest_path_name(void)
{
	uint16_t w = rte_vect_get_max_simd_bitwidth();

#ifdef RTE_ARCH_X86
	if (w >= RTE_VECT_SIMD_512 && rte_cpu_get_flag_enabled(RTE_CPUFLAG_AVX512F) > 0)
		return "AVX512";
	if (w >= RTE_VECT_SIMD_256 && rte_cpu_get_flag_enabled(RTE_CPUFLAG_AVX2) > 0)
		return "AVX2";
	if (w >= RTE_VECT_SIMD_128 && rte_cpu_get_flag_enabled(RTE_CPUFLAG_SSE4_2) > 0)
		return "SSE";
#endif
	RTE_SET_USED(w);
	return "Scalar";
}

/*
 * A stats reset from the control thread must not write the counters the
 * bursts own: a burst's read-modify-write in flight on the forwarding lcore
 * would undo it (seen under load in the VM: RX-packets kept 1000 frames
 * across "clear port stats all"). The reset records them; the reads give
 * what came since, per queue and for the port.
 */
static int
stats_reset_leaves_the_bursts_counters_alone(void)
{
	enum { N = 40, M = 25 };
	struct rte_eth_dev *rx_dev = &rte_eth_devices[port_rx];
	struct rte_eth_dev *tx_dev = &rte_eth_devices[port_tx];
	const struct fbnic_rx_queue *rxq;
	const struct fbnic_tx_queue *txq;
	struct rte_mbuf *r[N];
	uint64_t rx_raw, tx_raw;
	unsigned int round, got;

	TEST_ASSERT(ports_setup(1, 0, 0, pool_rx, RING_SIZE) == 0, "setup");
	rxq = rx_dev->data->rx_queues[0];
	txq = tx_dev->data->tx_queues[0];
	for (round = 0; round < 2; round++) {
		unsigned int n = round == 0 ? N : M, i;
		struct rte_mbuf *m[N];

		for (i = 0; i < n; i++) {
			uint32_t len = build_raw(frame_tx, 100, 700 + i);

			m[i] = mbuf_from_bytes(frame_tx, len, 2048);
			TEST_ASSERT(m[i] != NULL, "alloc");
		}
		TEST_ASSERT(send_all(port_tx, 0, m, n) == n, "send");
		got = recv_some(port_rx, 0, r, N, 500);
		free_all(r, got);
		TEST_ASSERT_EQUAL(got, n, "round %u: frames", round);
		TEST_CHECK_EQUAL(xstat(port_rx, "rx_q0_packets"), n, "round %u: rx_q0_packets",
				 round);
		TEST_CHECK_EQUAL(xstat(port_rx, "rx_q0_bytes"), n * 100ull,
				 "round %u: rx_q0_bytes", round);
		TEST_CHECK_EQUAL(xstat(port_tx, "tx_q0_packets"), n, "round %u: tx_q0_packets",
				 round);
		rx_raw = rxq->stats.packets;
		tx_raw = txq->stats.packets;
		TEST_ASSERT(rte_eth_stats_reset(port_rx) == 0 && rte_eth_stats_reset(port_tx) == 0,
			    "reset");
		TEST_CHECK_EQUAL(rxq->stats.packets, rx_raw, "round %u: Rx counter written by "
				 "the reset", round);
		TEST_CHECK_EQUAL(txq->stats.packets, tx_raw, "round %u: Tx counter written by "
				 "the reset", round);
		TEST_CHECK_EQUAL(xstat(port_rx, "rx_q0_packets"), 0, "round %u: after reset",
				 round);
		TEST_CHECK_EQUAL(xstat(port_tx, "tx_q0_bytes"), 0, "round %u: after reset",
				 round);
	}
	ports_stop();
	return TEST_SUCCESS;
}

/* Four Tx queues all deliver; burst modes and queue info describe what runs. */
static int
multi_queue_tx_and_queue_info(void)
{
	enum { NQ = 4, PER_Q = 40 };
	struct rte_mbuf *pkts[PER_Q], *r[NQ * PER_Q];
	struct rte_eth_burst_mode mode;
	struct rte_eth_rxq_info rxi;
	struct rte_eth_txq_info txi;
	unsigned int q, k, got;

	TEST_ASSERT(port_configure(port_tx, 1, NQ, 0, 0, pool_rx, 512) == 0 &&
		    port_configure(port_rx, 1, 1, 0, 0, pool_rx, 1024) == 0, "configure");
	TEST_ASSERT(ports_start() == 0, "start");
	for (q = 0; q < NQ; q++) {
		for (k = 0; k < PER_Q; k++) {
			uint32_t len = build_raw(frame_tx, 64 + q, q * 100 + k);

			pkts[k] = mbuf_from_bytes(frame_tx, len, 2048);
			TEST_ASSERT(pkts[k] != NULL, "alloc");
		}
		TEST_ASSERT(send_all(port_tx, (uint16_t)q, pkts, PER_Q) == PER_Q,
			    "send on queue %u", q);
	}
	got = recv_some(port_rx, 0, r, NQ * PER_Q, 200);
	TEST_ASSERT(got == NQ * PER_Q, "received %u of %u", got, NQ * PER_Q);
	for (k = 0; k < got; k++) {
		uint32_t seq = frame_seq(r[k], sizeof(struct rte_ether_hdr));

		TEST_ASSERT(r[k]->pkt_len == 64 + seq / 100, "frame of queue %u: %u bytes",
			    seq / 100, r[k]->pkt_len);
	}
	free_all(r, got);
	for (q = 0; q < NQ; q++) {
		char name[32];

		snprintf(name, sizeof(name), "tx_q%u_packets", q);
		TEST_ASSERT(xstat(port_tx, name) == PER_Q, "%s = %" PRIu64, name,
			    xstat(port_tx, name));
	}

	TEST_ASSERT(rte_eth_rx_burst_mode_get(port_rx, 0, &mode) == 0 &&
		    strcmp(mode.info, zc_mode ? "Scalar zero-copy" : bufs_mode ? rx_vec_path() :
			   "Scalar copy") == 0, "Rx mode %s",
		    mode.info);
	/* No Tx offload configured: the widest vector path EAL and the CPU allow. */
	TEST_ASSERT(rte_eth_tx_burst_mode_get(port_tx, 3, &mode) == 0 &&
		    strcmp(mode.info, widest_path_name()) == 0, "Tx mode %s, expected %s",
		    mode.info, widest_path_name());
	TEST_ASSERT(rte_eth_rx_queue_info_get(port_rx, 0, &rxi) == 0 && rxi.nb_desc == 1024 &&
		    (bufs_mode ? rxi.mp != pool_rx && rxi.mp != NULL && rxi.rx_buf_size > 3000 :
		     rxi.mp == pool_rx && rxi.rx_buf_size == 2048), "Rx queue info %u %u",
		    rxi.nb_desc, rxi.rx_buf_size);
	/* The buffer scheme receives into the queue's own pool of one-page buffers. */
	if (bufs_mode)
		TEST_ASSERT((rte_pktmbuf_priv_flags(rxi.mp) & RTE_PKTMBUF_POOL_F_PINNED_EXT_BUF) &&
			    rte_pktmbuf_data_room_size(rxi.mp) == 4096,
			    "pool %s: %u-byte buffers", rxi.mp->name,
			    rte_pktmbuf_data_room_size(rxi.mp));
	TEST_ASSERT(rte_eth_tx_queue_info_get(port_tx, 2, &txi) == 0 && txi.nb_desc == 512,
		    "Tx queue info %u", txi.nb_desc);
	ports_stop();
	return 0;
}

/* A random RCD word: any type, IDs near the rings, offsets and lengths near a page. */
static uint64_t
random_rcd(uint32_t id_range)
{
	uint64_t r = rte_rand();
	uint64_t d = FBNIC_FIELD_PREP(FBNIC_RCD_TYPE_MASK, r & 3) |
		     FBNIC_FIELD_PREP(FBNIC_RCD_AL_BUFF_ID_MASK, (r >> 8) % id_range) |
		     FBNIC_FIELD_PREP(FBNIC_RCD_AL_BUFF_LEN_MASK, (r >> 24) % 4200) |
		     FBNIC_FIELD_PREP(FBNIC_RCD_AL_BUFF_OFF_MASK, (r >> 40) % 4200);

	if (r & 4)
		d |= FBNIC_RCD_AL_PAGE_FIN;
	if ((r & 0x30) == 0x30)
		d |= FBNIC_RCD_META_ERR_MAC_EOP;
	return d;
}

/*
 * Completions the NIC never wrote (random types, IDs, offsets, lengths) do
 * not crash the queue, every delivered chain is consistent, every mbuf comes
 * back, and after a queue restart real frames flow again.
 */
static int
random_completions_never_crash(void)
{
	struct rte_eth_dev *dev = &rte_eth_devices[port_rx];
	unsigned int iter, k, delivered = 0, before = rte_mempool_avail_count(pool_rx);
	struct rte_mbuf *r[BURST], *m;
	struct fbnic_rx_queue *rxq;
	uint32_t got;

	TEST_ASSERT(ports_setup(1, RTE_ETH_RX_OFFLOAD_SCATTER | RTE_ETH_RX_OFFLOAD_TCP_CKSUM |
				RTE_ETH_RX_OFFLOAD_UDP_CKSUM | RTE_ETH_RX_OFFLOAD_IPV4_CKSUM,
				0, pool_rx, 256) == 0, "setup");
	rxq = dev->data->rx_queues[0];
	rte_srand(0xfb01c);	/* reproducible */
	for (iter = 0; iter < 3000; iter++) {
		uint32_t n = 1 + rte_rand() % 12;

		/* Written as the NIC would: DONE per the pass of each position. */
		for (k = 0; k < n; k++) {
			uint32_t pos = rxq->rcq_head + k;
			uint64_t done = (pos & (rxq->rcq_mask + 1)) ? 0 : FBNIC_RCD_DONE;

			rxq->rcq[pos & rxq->rcq_mask] =
				rte_cpu_to_le_64(random_rcd(2 * (rxq->bdq_mask + 1)) | done);
		}
		got = rte_eth_rx_burst(port_rx, 0, r, BURST);
		for (k = 0; k < got; k++) {
			struct rte_mbuf *seg;
			uint32_t sum = 0, nseg = 0;

			for (seg = r[k]; seg != NULL && nseg < 100; seg = seg->next) {
				sum += seg->data_len;
				nseg++;
			}
			TEST_ASSERT(sum == r[k]->pkt_len && nseg == r[k]->nb_segs &&
				    r[k]->pkt_len <= FBNIC_RX_MAX_FRAME,
				    "inconsistent chain: %u bytes in %u segments, pkt_len %u "
				    "nb_segs %u", sum, nseg, r[k]->pkt_len, r[k]->nb_segs);
		}
		delivered += got;
		free_all(r, got);
		/* Leave the ring empty-looking again so the next round starts clean. */
		for (k = 0; k <= rxq->rcq_mask; k++) {
			uint32_t pos = rxq->rcq_head + k;

			uint64_t old = (pos & (rxq->rcq_mask + 1)) ? FBNIC_RCD_DONE : 0;

			rxq->rcq[pos & rxq->rcq_mask] = rte_cpu_to_le_64(old);
		}
	}
	TEST_ASSERT(xstat(port_rx, "rx_q0_bad_desc") > 0, "nothing counted bad");
	/* Some random sequences are well-formed frames: they must have been delivered. */
	TEST_ASSERT(delivered > 0, "no random frame was well formed");
	/* The NIC's and the driver's idea of the rings now differ: restart the queue. */
	TEST_ASSERT(rte_eth_dev_rx_queue_stop(port_rx, 0) == 0, "rx stop");
	TEST_ASSERT(rte_mempool_avail_count(pool_rx) == before, "pool %u of %u after %u frames",
		    rte_mempool_avail_count(pool_rx), before, delivered);
	TEST_ASSERT(rte_eth_dev_rx_queue_start(port_rx, 0) == 0, "rx start");
	for (k = 0; k < 8; k++) {
		m = mbuf_from_bytes(frame_tx, build_raw(frame_tx, 500 + k, k), 2048);
		TEST_ASSERT(m != NULL && send_all(port_tx, 0, &m, 1) == 1, "send");
		TEST_ASSERT(recv_some(port_rx, 0, r, 1, 200) == 1 && r[0]->pkt_len == 500 + k &&
			    memcmp(rte_pktmbuf_mtod(r[0], void *), frame_tx, 500 + k) == 0,
			    "frame %u after the restart", k);
		rte_pktmbuf_free(r[0]);
	}
	ports_stop();
	return 0;
}

/* ---- every Rx path gives the same frames ---- */

#define XP_FRAMES	96
#define XP_QUEUES	2

/* What a path delivered: per queue, in arrival order. */
struct xp_record {
	uint32_t frame;		/* index of the sent frame with these bytes */
	uint32_t len;
	uint32_t ptype;
	uint32_t hash;		/* when RTE_MBUF_F_RX_RSS_HASH */
	uint64_t ol_flags;
	uint16_t nb_segs;
};

struct xp_result {
	struct xp_record rec[XP_QUEUES][XP_FRAMES];
	unsigned int n[XP_QUEUES];
	uint64_t packets, bytes;	/* the queues' xstats, this run */
};

static uint8_t xp_frames[XP_FRAMES][4096];
static uint32_t xp_len[XP_FRAMES];

/*
 * A mix: UDP/TCP over IPv4/IPv6 (valid checksums but three) and raw frames,
 * 60 to 3968 bytes, many flows.
 */
static void
xp_build(void)
{
	uint32_t i;

	for (i = 0; i < XP_FRAMES; i++) {
		uint32_t pay = (i * 397) % 3800;
		struct tk_frame fr;

		switch (i % 5) {
		case 0:
		case 1:
		case 2:
		case 3:
			l4_frame_init(&fr, (i % 5) >= 2, i % 2, (uint16_t)(1000 + i), 5000 + i);
			fr.flags = TK_FRAME_KEEP_PAYLOAD;
			fill_payload(xp_frames[i] + tk_frame_hdr_len(&fr), pay, 5000 + i, 0);
			xp_len[i] = (uint32_t)tk_frame_build(xp_frames[i], &fr, pay);
			break;
		default:
			xp_len[i] = build_raw(xp_frames[i], 60 + pay, 5000 + i);
			break;
		}
		if (xp_len[i] < 60)
			xp_len[i] = 60;
	}
	xp_len[7] = build_raw(xp_frames[7], 3968, 5007);	/* exactly one buffer */
	/* Bad sums for the checksum paths: IPv4 header (UDP), TCP/IPv4, UDP/IPv6. */
	xp_frames[10][sizeof(struct rte_ether_hdr) + 10] ^= 0x10;
	xp_frames[11][xp_len[11] - 1] ^= 0x01;
	xp_frames[12][xp_len[12] - 2] ^= 0x40;
}

typedef uint16_t (*xp_burst_t)(void *rxq, struct rte_mbuf **pkts, uint16_t n);

/* A path that mis-sets one frame's flags: the comparison must see it. */
static xp_burst_t xp_broken_inner;
static uint16_t
xp_broken(void *rxq, struct rte_mbuf **pkts, uint16_t n)
{
	uint16_t got = xp_broken_inner(rxq, pkts, n), i;

	for (i = 0; i < got; i++)
		if (pkts[i]->pkt_len == xp_len[7])
			pkts[i]->ol_flags ^= RTE_MBUF_F_RX_L4_CKSUM_GOOD;
	return got;
}

/* Send the mix, let the model place it, receive it through burst. */
static int
xp_run(xp_burst_t burst, struct xp_result *res)
{
	struct rte_eth_dev *dev = &rte_eth_devices[port_rx];
	uint64_t pk0 = xstat(port_rx, "rx_q0_packets") + xstat(port_rx, "rx_q1_packets");
	uint64_t by0 = xstat(port_rx, "rx_q0_bytes") + xstat(port_rx, "rx_q1_bytes");
	struct rte_mbuf *m[XP_FRAMES];
	unsigned int i, q, spins;

	memset(res, 0, sizeof(*res));
	for (i = 0; i < XP_FRAMES; i++) {
		m[i] = mbuf_from_bytes(xp_frames[i], xp_len[i], 2048);
		if (m[i] == NULL)
			return -1;
	}
	if (send_all(port_tx, 0, m, XP_FRAMES) != XP_FRAMES)
		return -1;
	for (spins = 0; spins < 1000 && rte_eth_rx_queue_count(port_rx, 0) +
	     rte_eth_rx_queue_count(port_rx, 1) < XP_FRAMES; spins++)
		model_poll();
	for (q = 0; q < XP_QUEUES; q++) {
		void *rxq = dev->data->rx_queues[q];

		for (spins = 0; spins < 1000 && res->n[q] < XP_FRAMES; spins++) {
			struct rte_mbuf *r[BURST];
			uint16_t k, got = burst(rxq, r, BURST);

			for (k = 0; k < got; k++) {
				struct xp_record *rec = &res->rec[q][res->n[q]++];
				const void *b = rte_pktmbuf_read(r[k], 0, r[k]->pkt_len, frame_rx);

				rec->frame = UINT32_MAX;
				for (i = 0; b != NULL && i < XP_FRAMES; i++)
					if (xp_len[i] == r[k]->pkt_len &&
					    memcmp(b, xp_frames[i], xp_len[i]) == 0)
						rec->frame = i;
				rec->len = r[k]->pkt_len;
				rec->ptype = r[k]->packet_type;
				rec->ol_flags = r[k]->ol_flags;
				rec->hash = (r[k]->ol_flags & RTE_MBUF_F_RX_RSS_HASH) ?
					    r[k]->hash.rss : 0;
				rec->nb_segs = r[k]->nb_segs;
				rte_pktmbuf_free(r[k]);
			}
			if (got == 0)
				model_poll();
		}
	}
	rte_delay_ms(1);
	res->packets = xstat(port_rx, "rx_q0_packets") + xstat(port_rx, "rx_q1_packets") - pk0;
	res->bytes = xstat(port_rx, "rx_q0_bytes") + xstat(port_rx, "rx_q1_bytes") - by0;
	return 0;
}

/* Differences between two runs (0: same frames, fields and counters). */
static unsigned int
xp_diff(const char *name, const struct xp_result *a, const struct xp_result *b, bool quiet)
{
	unsigned int q, i, diffs = 0;

	if (a->packets != b->packets || a->bytes != b->bytes) {
		if (!quiet)
			printf("  %s: counters %" PRIu64 "/%" PRIu64 ", reference %" PRIu64 "/%"
			       PRIu64 "\n", name, b->packets, b->bytes, a->packets, a->bytes);
		diffs++;
	}
	for (q = 0; q < XP_QUEUES; q++) {
		if (a->n[q] != b->n[q]) {
			if (!quiet)
				printf("  %s: queue %u: %u frames, reference %u\n", name, q,
				       b->n[q], a->n[q]);
			diffs++;
			continue;
		}
		for (i = 0; i < a->n[q]; i++) {
			const struct xp_record *x = &a->rec[q][i], *y = &b->rec[q][i];

			if (x->frame != y->frame || x->len != y->len || x->ptype != y->ptype ||
			    x->hash != y->hash || x->ol_flags != y->ol_flags ||
			    x->nb_segs != y->nb_segs) {
				if (!quiet)
					printf("  %s: queue %u frame %u: sent %u len %u ptype %#x "
					       "hash %#x ol %#" PRIx64 " segs %u; reference %u %u "
					       "%#x %#x %#" PRIx64 " %u\n", name, q, i, y->frame,
					       y->len, y->ptype, y->hash, y->ol_flags, y->nb_segs,
					       x->frame, x->len, x->ptype, x->hash, x->ol_flags,
					       x->nb_segs);
				diffs++;
			}
		}
	}
	return diffs;
}

/*
 * The same traffic through each Rx path of the buffer scheme the CPU can
 * run, without and then with the checksum offloads (the checksum variants):
 * every frame's bytes, flags, RSS hash, packet type and the counters agree
 * with the scalar path's; a path made to mis-set one flag is caught.
 */
static int
every_rx_path_gives_the_same_frames(void)
{
	static struct xp_result ref, got;
	static const char *const widths[] = { "SSE", "AVX2", "AVX512" };
	const uint64_t csum_ol = RTE_ETH_RX_OFFLOAD_TCP_CKSUM | RTE_ETH_RX_OFFLOAD_UDP_CKSUM |
				 RTE_ETH_RX_OFFLOAD_IPV4_CKSUM;
	unsigned int p, q, i, runs = 0, round, bad = 0;

	xp_build();
	for (round = 0; round < 2; round++) {
		struct {
			char name[32];
			xp_burst_t fn;
			bool usable;
		} paths[RTE_DIM(widths)];

		for (p = 0; p < RTE_DIM(widths); p++) {
			char sym[64];

			snprintf(paths[p].name, sizeof(paths[p].name), "%s%s", widths[p],
				 round ? " checksum" : "");
			snprintf(sym, sizeof(sym), "fbnic_recv_pkts_bufs_%s%s", widths[p],
				 round ? "_csum" : "");
			for (i = 0; sym[i] != '\0'; i++)
				if (sym[i] >= 'A' && sym[i] <= 'Z')
					sym[i] = (char)(sym[i] - 'A' + 'a');
			paths[p].fn = (xp_burst_t)(uintptr_t)dlsym(RTLD_DEFAULT, sym);
#ifdef RTE_ARCH_X86
			paths[p].usable = rte_cpu_get_flag_enabled(p == 0 ? RTE_CPUFLAG_SSE4_2 :
								   p == 1 ? RTE_CPUFLAG_AVX2 :
								   RTE_CPUFLAG_AVX512F) > 0;
#else
			paths[p].usable = false;
#endif
		}
		TEST_ASSERT(ports_setup(XP_QUEUES, RTE_ETH_RX_OFFLOAD_RSS_HASH |
					(round ? csum_ol : 0),
					RTE_ETH_TX_OFFLOAD_MULTI_SEGS, pool_rx, 512) == 0, "setup");
		TEST_ASSERT(xp_run(fbnic_recv_pkts_bufs, &ref) == 0, "scalar run");
		TEST_ASSERT(ref.n[0] + ref.n[1] == XP_FRAMES && ref.n[0] != 0 && ref.n[1] != 0,
			    "scalar path: %u + %u frames of %u", ref.n[0], ref.n[1], XP_FRAMES);
		TEST_ASSERT(ref.packets == XP_FRAMES, "counters: %" PRIu64 " frames",
			    ref.packets);
		for (q = 0; q < XP_QUEUES; q++) {
			for (i = 0; i < ref.n[q]; i++) {
				const struct xp_record *rec = &ref.rec[q][i];

				TEST_ASSERT(rec->frame != UINT32_MAX && rec->nb_segs == 1 &&
					    (rec->ol_flags & RTE_MBUF_F_RX_RSS_HASH),
					    "queue %u frame %u: bytes, segments or hash flag", q,
					    i);
				/* The three bad sums, and no other, are reported. */
				if (round)
					bad += (rec->ol_flags & RTE_MBUF_F_RX_IP_CKSUM_MASK) ==
					       RTE_MBUF_F_RX_IP_CKSUM_BAD ||
					       (rec->ol_flags & RTE_MBUF_F_RX_L4_CKSUM_MASK) ==
					       RTE_MBUF_F_RX_L4_CKSUM_BAD;
			}
		}
		TEST_ASSERT_EQUAL(bad, round ? 3u : 0u, "frames with a bad checksum flag");
		for (p = 0; p < RTE_DIM(paths); p++) {
			if (!paths[p].usable || paths[p].fn == NULL)
				continue;
			TEST_ASSERT(xp_run(paths[p].fn, &got) == 0, "%s run", paths[p].name);
			TEST_ASSERT(xp_diff(paths[p].name, &ref, &got, false) == 0,
				    "%s differs from Scalar", paths[p].name);
			runs++;
			/* The test of the test: one wrong flag on this path is found. */
			xp_broken_inner = paths[p].fn;
			TEST_ASSERT(xp_run(xp_broken, &got) == 0, "%s broken run",
				    paths[p].name);
			TEST_ASSERT(xp_diff("broken", &ref, &got, true) == 1,
				    "a mis-set flag on the %s path was not seen", paths[p].name);
		}
		ports_stop();
	}
	printf("  %u vector path(s) compared with the scalar path\n", runs);
	return 0;
}

/* ---- every Tx path sends the same frames ---- */

#define XT_FRAMES	61	/* not a multiple of a vector step */
#define XT_BAD		19	/* a checksum request with an odd L2 length: dropped */

static uint8_t xt_frames[XT_FRAMES][1600];
static uint32_t xt_len[XT_FRAMES];
static bool xt_csum;		/* this run asks for TCP/UDP checksums */

/* UDP/TCP over IPv4/IPv6 (checksums left to the NIC) and raw frames, some short. */
static void
xt_build(void)
{
	unsigned int i;

	for (i = 0; i < XT_FRAMES; i++) {
		switch (i % 6) {
		case 0:
			xt_len[i] = build_l4(xt_frames[i], false, false, 3000 + i, 20 + i * 7, i);
			break;
		case 1:
			xt_len[i] = build_l4(xt_frames[i], true, true, 3000 + i, 30 + i * 11, i);
			break;
		case 2:
			xt_len[i] = build_raw(xt_frames[i], 60 + i * 23, 7000 + i);
			break;
		case 3:
			xt_len[i] = build_raw(xt_frames[i], 42 + i % 18, 7000 + i);
			break;
		case 4:
			xt_len[i] = build_l4(xt_frames[i], false, true, 3000 + i, 6 + i, i);
			break;
		default:
			xt_len[i] = build_l4(xt_frames[i], true, false, 3000 + i, 1 + i * 3, i);
			break;
		}
		if (i % 6 == 0 || i % 6 == 4) {
			/* The IPv4 header checksum is the sender's (no path offers it). */
			uint8_t *ip = xt_frames[i] + TK_ETH_HLEN;

			tk_put16(ip + 10, tk_csum(ip, TK_IPV4_HLEN));
		}
	}
}

/* The mbuf of frame i, with its checksum request in a checksum run. */
static struct rte_mbuf *
xt_mbuf(unsigned int i)
{
	struct rte_mbuf *m = mbuf_from_bytes(xt_frames[i], xt_len[i], 2048);
	unsigned int kind = i % 6;

	if (m == NULL || !xt_csum || kind == 2 || kind == 3)
		return m;
	m->l2_len = i == XT_BAD ? sizeof(struct rte_ether_hdr) - 1 : sizeof(struct rte_ether_hdr);
	m->l3_len = (kind == 1 || kind == 5) ? sizeof(struct rte_ipv6_hdr) :
					       sizeof(struct rte_ipv4_hdr);
	m->ol_flags = ((kind == 1 || kind == 5) ? RTE_MBUF_F_TX_IPV6 : RTE_MBUF_F_TX_IPV4) |
		      ((kind == 1 || kind == 4) ? RTE_MBUF_F_TX_TCP_CKSUM :
						  RTE_MBUF_F_TX_UDP_CKSUM);
	/* The pseudo-header sum the NIC completes (tx_prepare refuses XT_BAD's length). */
	if (i != XT_BAD && rte_eth_tx_prepare(port_tx, 0, &m, 1) != 1) {
		rte_pktmbuf_free(m);
		return NULL;
	}
	if (i == XT_BAD) {
		/* Its sum as for a good frame: only the length in the request is wrong. */
		m->l2_len = sizeof(struct rte_ether_hdr);
		if (rte_eth_tx_prepare(port_tx, 0, &m, 1) != 1) {
			rte_pktmbuf_free(m);
			return NULL;
		}
		m->l2_len = sizeof(struct rte_ether_hdr) - 1;
	}
	return m;
}

/*
 * A received frame is frame i: its bytes, bar the L4 checksum the NIC wrote
 * in a checksum run, then zero padding up to 60 bytes.
 */
static bool
xt_match(const uint8_t *d, uint32_t len, unsigned int i)
{
	unsigned int kind = i % 6;
	uint32_t k, skip = UINT32_MAX;

	if (len != RTE_MAX(xt_len[i], 60u))
		return false;
	if (xt_csum && kind != 2 && kind != 3)
		skip = sizeof(struct rte_ether_hdr) +
		       ((kind == 1 || kind == 5) ? sizeof(struct rte_ipv6_hdr) :
						   sizeof(struct rte_ipv4_hdr)) +
		       ((kind == 1 || kind == 4) ? offsetof(struct rte_tcp_hdr, cksum) :
						   offsetof(struct rte_udp_hdr, dgram_cksum));
	for (k = 0; k < len; k++)
		if (k != skip && k != skip + 1 && d[k] != (k < xt_len[i] ? xt_frames[i][k] : 0))
			return false;
	return true;
}

typedef uint16_t (*xt_burst_t)(void *txq, struct rte_mbuf **pkts, uint16_t n);

/* A path that forgets one frame's checksum request or shortens it: the comparison sees it. */
static xt_burst_t xt_broken_inner;
static uint16_t
xt_broken(void *txq, struct rte_mbuf **pkts, uint16_t n)
{
	uint16_t i;

	for (i = 0; i < n; i++) {
		if (pkts[i]->pkt_len != xt_len[7])
			continue;
		if (xt_csum) {
			pkts[i]->ol_flags &= ~RTE_MBUF_F_TX_L4_MASK;
		} else {
			pkts[i]->data_len--;
			pkts[i]->pkt_len--;
		}
	}
	return xt_broken_inner(txq, pkts, n);
}

struct xt_result {
	struct xp_record rec[XT_FRAMES];
	unsigned int n;
	uint64_t tx_packets, tx_bytes, tx_drops, rx_packets, rx_bytes;
};

/* Send the mix through burst in bursts of varied sizes, receive it on the peer. */
static int
xt_run(xt_burst_t burst, struct xt_result *res)
{
	static const uint16_t sizes[] = { 7, 1, 13, 4, 32, 3, 9, 16, 5 };
	void *txq = rte_eth_devices[port_tx].data->tx_queues[0];
	uint64_t tp = xstat(port_tx, "tx_q0_packets"), tb = xstat(port_tx, "tx_q0_bytes");
	uint64_t td = xstat(port_tx, "tx_q0_drops");
	uint64_t rp = xstat(port_rx, "rx_q0_packets"), rb = xstat(port_rx, "rx_q0_bytes");
	struct rte_mbuf *m[XT_FRAMES];
	unsigned int i, sent = 0, spins, b = 0, next = 0;

	memset(res, 0, sizeof(*res));
	for (i = 0; i < XT_FRAMES; i++) {
		m[i] = xt_mbuf(i);
		if (m[i] == NULL) {
			free_all(m, i);
			return -1;
		}
	}
	for (spins = 0; sent < XT_FRAMES && spins < 100000; spins++) {
		uint16_t want = (uint16_t)RTE_MIN(XT_FRAMES - sent, sizes[b++ % RTE_DIM(sizes)]);

		sent += burst(txq, m + sent, want);
		model_poll();
	}
	if (sent < XT_FRAMES) {
		free_all(m + sent, XT_FRAMES - sent);
		return -1;
	}
	for (spins = 0; spins < 2000 && res->n < XT_FRAMES; spins++) {
		struct rte_mbuf *r[BURST];
		uint16_t k, got = rte_eth_rx_burst(port_rx, 0, r, BURST);

		for (k = 0; k < got; k++) {
			struct xp_record *rec = &res->rec[res->n++];
			const void *d = rte_pktmbuf_read(r[k], 0, r[k]->pkt_len, frame_rx);

			/* In order, one queue each way: the next frame sent and not dropped. */
			if (xt_csum && next == XT_BAD)
				next++;
			rec->frame = d != NULL && next < XT_FRAMES &&
				     xt_match(d, r[k]->pkt_len, next) ? next : UINT32_MAX;
			next++;
			rec->len = r[k]->pkt_len;
			rec->ptype = r[k]->packet_type;
			rec->ol_flags = r[k]->ol_flags;
			/* Byte for byte: a 32-bit sum of the frame, its checksums included. */
			rec->hash = 0;
			for (i = 0; d != NULL && i < r[k]->pkt_len; i++)
				rec->hash = rec->hash * 31 + ((const uint8_t *)d)[i];
			rec->nb_segs = r[k]->nb_segs;
			if (xt_csum && d != NULL && rec->frame != UINT32_MAX &&
			    rec->frame % 6 != 2 && rec->frame % 6 != 3 &&
			    verify_l4(d, r[k]->pkt_len, rec->frame % 6 == 1 || rec->frame % 6 == 5,
				      rec->frame % 6 == 1 || rec->frame % 6 == 4) != 0)
				rec->ol_flags |= 1ull << 63;	/* marks a wrong checksum */
			rte_pktmbuf_free(r[k]);
		}
		if (got == 0)
			model_poll();
	}
	rte_delay_ms(1);
	res->tx_packets = xstat(port_tx, "tx_q0_packets") - tp;
	res->tx_bytes = xstat(port_tx, "tx_q0_bytes") - tb;
	res->tx_drops = xstat(port_tx, "tx_q0_drops") - td;
	res->rx_packets = xstat(port_rx, "rx_q0_packets") - rp;
	res->rx_bytes = xstat(port_rx, "rx_q0_bytes") - rb;
	return 0;
}

static unsigned int
xt_diff(const char *name, const struct xt_result *a, const struct xt_result *b, bool quiet)
{
	unsigned int i, diffs = 0;

	if (a->tx_packets != b->tx_packets || a->tx_bytes != b->tx_bytes ||
	    a->tx_drops != b->tx_drops || a->rx_packets != b->rx_packets ||
	    a->rx_bytes != b->rx_bytes || a->n != b->n) {
		if (!quiet)
			printf("  %s: Tx %" PRIu64 "/%" PRIu64 " drops %" PRIu64 ", Rx %" PRIu64
			       "/%" PRIu64 " (%u frames); reference %" PRIu64 "/%" PRIu64
			       " drops %" PRIu64 ", Rx %" PRIu64 "/%" PRIu64 " (%u)\n", name,
			       b->tx_packets, b->tx_bytes, b->tx_drops, b->rx_packets,
			       b->rx_bytes, b->n, a->tx_packets, a->tx_bytes, a->tx_drops,
			       a->rx_packets, a->rx_bytes, a->n);
		diffs++;
	}
	for (i = 0; i < RTE_MIN(a->n, b->n); i++) {
		const struct xp_record *x = &a->rec[i], *y = &b->rec[i];

		if (x->frame != y->frame || x->len != y->len || x->ptype != y->ptype ||
		    x->hash != y->hash || x->ol_flags != y->ol_flags) {
			if (!quiet)
				printf("  %s: frame %u: sent %u len %u ptype %#x sum %#x ol %#"
				       PRIx64 "; reference %u %u %#x %#x %#" PRIx64 "\n", name, i,
				       y->frame, y->len, y->ptype, y->hash, y->ol_flags, x->frame,
				       x->len, x->ptype, x->hash, x->ol_flags);
			diffs++;
		}
	}
	return diffs;
}

/*
 * The same traffic through each Tx path the CPU can run, with and without
 * checksum requests, in bursts of odd sizes over a small ring (wraps, a
 * full ring, short frames padded, one bad request dropped): the receiver
 * gets the same bytes, flags and packet types, and both ports count the
 * same, as with the scalar path; a path made to mis-send one frame is
 * caught.
 */
static int
every_tx_path_sends_the_same_frames(void)
{
	static struct xt_result ref, got;
	struct {
		const char *name;
		const char *sym;
		bool csum;
		int flag;
	} paths[] = {
#ifdef RTE_ARCH_X86
		{ "SSE", "fbnic_xmit_pkts_sse", false, RTE_CPUFLAG_SSE4_2 },
		{ "AVX2", "fbnic_xmit_pkts_avx2", false, RTE_CPUFLAG_AVX2 },
		{ "AVX512", "fbnic_xmit_pkts_avx512", false, RTE_CPUFLAG_AVX512F },
		{ "SSE checksum", "fbnic_xmit_pkts_sse_csum", true, RTE_CPUFLAG_SSE4_2 },
		{ "AVX2 checksum", "fbnic_xmit_pkts_avx2_csum", true, RTE_CPUFLAG_AVX2 },
		{ "AVX512 checksum", "fbnic_xmit_pkts_avx512_csum", true, RTE_CPUFLAG_AVX512F },
#endif
	};
	unsigned int p, i, c, runs = 0;

	xt_build();
	TEST_ASSERT(ports_setup(1, RTE_ETH_RX_OFFLOAD_TCP_CKSUM | RTE_ETH_RX_OFFLOAD_UDP_CKSUM,
				RTE_ETH_TX_OFFLOAD_TCP_CKSUM | RTE_ETH_TX_OFFLOAD_UDP_CKSUM |
				RTE_ETH_TX_OFFLOAD_MBUF_FAST_FREE, pool_rx, 64) == 0, "setup");
	for (c = 0; c < 2; c++) {
		xt_csum = c == 1;
		TEST_ASSERT(xt_run(fbnic_xmit_pkts, &ref) == 0, "scalar run");
		TEST_ASSERT(ref.n == XT_FRAMES - c && ref.tx_packets == ref.n &&
			    ref.tx_drops == c && ref.rx_packets == ref.n,
			    "scalar path, checksums %u: %u frames, Tx %" PRIu64 " drops %" PRIu64,
			    c, ref.n, ref.tx_packets, ref.tx_drops);
		for (i = 0; i < ref.n; i++)
			TEST_ASSERT(ref.rec[i].frame != UINT32_MAX && !(ref.rec[i].ol_flags >> 63),
				    "scalar path, checksums %u: frame %u unknown or bad checksum",
				    c, i);
		for (p = 0; p < RTE_DIM(paths); p++) {
			xt_burst_t fn = (xt_burst_t)(uintptr_t)dlsym(RTLD_DEFAULT, paths[p].sym);

			if (paths[p].csum != xt_csum || fn == NULL ||
			    rte_cpu_get_flag_enabled((enum rte_cpu_flag_t)paths[p].flag) <= 0)
				continue;
			TEST_ASSERT(xt_run(fn, &got) == 0, "%s run", paths[p].name);
			TEST_ASSERT(xt_diff(paths[p].name, &ref, &got, false) == 0,
				    "%s differs from Scalar", paths[p].name);
			runs++;
			/* The test of the test: one mis-sent frame on this path is found. */
			xt_broken_inner = fn;
			TEST_ASSERT(xt_run(xt_broken, &got) == 0, "%s broken run", paths[p].name);
			TEST_ASSERT(xt_diff("broken", &ref, &got, true) != 0,
				    "a mis-sent frame on the %s path was not seen", paths[p].name);
		}
	}
	printf("  %u vector Tx path(s) compared with the scalar path\n", runs);
	ports_stop();
	return 0;
}

/* ---- main ---- */

#define COPY	1u	/* run in copy mode (MTU TEST_MTU) */
#define ZC	2u	/* run in zero-copy mode (MTU TEST_MTU) */
#define BUFS	4u	/* run in the buffer scheme (MTU 1500): frames up to one buffer */
#define ASYNC	8u	/* also valid while an engine thread runs the model */

struct test {
	const char *name;
	int (*fn)(void);
	unsigned int modes;
};

/* A test function under its own name, run in the modes given. */
#define RXTX_TEST(fn, modes)	{ #fn, fn, modes }

static const struct test tests[] = {
	RXTX_TEST(frames_arrive_byte_identical, COPY | ZC | BUFS | ASYNC),
	RXTX_TEST(frame_over_mbuf_without_scatter_is_dropped, COPY),
	RXTX_TEST(rss_spreads_every_frame_once, COPY | ZC | BUFS | ASYNC),
	RXTX_TEST(rss_no_duplicates, COPY | ZC | BUFS | ASYNC),
	RXTX_TEST(tx_checksum_offload_valid_on_receiver, COPY | ZC | BUFS | ASYNC),
	RXTX_TEST(tso_produces_correct_segments, COPY | ZC | BUFS | ASYNC),
	RXTX_TEST(ipv6_in_ipv6_tso_and_checksum_on_the_wire, COPY | BUFS),
	RXTX_TEST(tunnel_tso_and_checksums_on_the_wire, COPY | BUFS),
	RXTX_TEST(tx_prepare_rejects_bad_requests, COPY | BUFS),
	RXTX_TEST(descriptor_status_and_cleanup, COPY | ZC | BUFS),
	RXTX_TEST(pool_exhaustion_counts_nombuf_and_recovers, COPY | ZC | ASYNC),
	RXTX_TEST(bad_device_values_are_counted_and_survived, COPY | ZC | BUFS),
	RXTX_TEST(tx_ring_full_returns_fewer_then_recovers, COPY | BUFS),
	RXTX_TEST(queue_stop_start_while_running, COPY | ZC | BUFS | ASYNC),
	RXTX_TEST(bad_tx_completion_is_counted_and_survived, COPY | BUFS),
	RXTX_TEST(fast_free_returns_every_mbuf, COPY | BUFS),
	RXTX_TEST(unsent_frames_are_freed_at_stop, COPY | BUFS),
	RXTX_TEST(incomplete_frame_waits_for_its_meta, COPY | ZC | BUFS),
	RXTX_TEST(short_frames_are_padded, COPY | BUFS | ASYNC),
	RXTX_TEST(random_completions_never_crash, COPY | ZC | BUFS),
	RXTX_TEST(every_rx_path_gives_the_same_frames, BUFS),
	RXTX_TEST(every_tx_path_sends_the_same_frames, BUFS),
	RXTX_TEST(stats_reset_leaves_the_bursts_counters_alone, COPY | ZC | BUFS | ASYNC),
	RXTX_TEST(multi_queue_tx_and_queue_info, COPY | ZC | BUFS | ASYNC),
	RXTX_TEST(zero_copy_pages_outlive_their_queue, ZC | ASYNC),
	RXTX_TEST(zero_copy_held_pages_stall_then_resume, ZC | ASYNC),
	RXTX_TEST(port_restart_returns_every_mbuf, COPY | BUFS | ASYNC),
	/* Last: closes the ports. */
	RXTX_TEST(port_restart_and_close_return_every_mbuf, ZC | ASYNC),
};

int
main(int argc, char **argv)
{
	const char *filter = getenv("FBNIC_TEST");
	/* FBNIC_TEST_ASYNC: the ports' models run in an engine thread. */
	unsigned int need = getenv("FBNIC_TEST_ASYNC") != NULL ? ASYNC : 0;
	static const unsigned int modes[] = { BUFS, COPY, ZC };
	unsigned int i, m, mode;
	char name[96];
	int ret;

	setvbuf(stdout, NULL, _IOLBF, 0);
	ret = rte_eal_init(argc, argv);
	if (ret < 0) {
		printf("EAL init failed\n");
		return 1;
	}
	if (rte_eth_dev_get_port_by_name("net_fbnic_model0", &port_tx) != 0 ||
	    rte_eth_dev_get_port_by_name("net_fbnic_model1", &port_rx) != 0) {
		printf("needs --vdev net_fbnic_model0,wire=peer:net_fbnic_model1,engine=none "
		       "--vdev net_fbnic_model1,engine=none\n");
		rte_eal_cleanup();
		return 1;
	}
	rte_eth_macaddr_get(port_rx, &mac_rx);
	pool_rx = rte_pktmbuf_pool_create("rx", POOL_SIZE, 0, 0, MBUF_ROOM, SOCKET_ID_ANY);
	pool_tx = rte_pktmbuf_pool_create("tx", POOL_SIZE, 0, 0, MBUF_ROOM, SOCKET_ID_ANY);
	if (pool_rx == NULL || pool_tx == NULL) {
		printf("mbuf pools: %s\n", rte_strerror(rte_errno));
		rte_eal_cleanup();
		return 1;
	}

	/* Zero-copy last: its last test closes the ports. */
	for (m = 0; m < RTE_DIM(modes); m++) {
		mode = modes[m];
		/* Queues set up from now on copy frames, attach them, or own the buffers. */
		zc_mode = mode == ZC;
		bufs_mode = mode == BUFS;
		test_mtu = bufs_mode ? BUFS_MTU : TEST_MTU;
		fbnic_rx_zero_copy_set(port_tx, zc_mode);
		fbnic_rx_zero_copy_set(port_rx, zc_mode);
		for (i = 0; i < RTE_DIM(tests); i++) {
			/* FBNIC_TEST=<substring> runs only the matching tests. */
			if (!(tests[i].modes & mode) || (tests[i].modes & need) != need ||
			    (filter != NULL && strstr(tests[i].name, filter) == NULL))
				continue;

			snprintf(name, sizeof(name), "%s [%s]", tests[i].name,
				 mode == ZC ? "zero-copy" : mode == BUFS ? "buffers" : "copy");
			if (tk_run(name, tests[i].fn) != 0)
				ports_stop();
		}
	}
	rte_eal_cleanup();
	return tk_report("test_rxtx_model");
}
