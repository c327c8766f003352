/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

/*
 * AF_PACKET wire: two model ports on the two ends of a veth pair, inside a
 * network namespace private to this process. Skipped (exit 77) without root
 * or without the ip tool.
 */

#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <linux/if_packet.h>
#include <linux/virtio_net.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
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

static int
test_frames_cross_a_veth_pair_both_ways(void)
{
	static uint8_t frame[1200];
	struct fbm_wire_stats st;
	struct port a, b;
	unsigned int i;

	TEST_CHECK_EQUAL(port_init(&a, 0x02fb4efffe0000c1ULL), 0);
	TEST_CHECK_EQUAL(port_init(&b, 0x02fb4efffe0000c2ULL), 0);
	TEST_CHECK_EQUAL(fbh_port_open(&a.h, &a.txq, &a.rxq, 0), 0);
	TEST_CHECK_EQUAL(fbh_port_open(&b.h, &b.txq, &b.rxq, 0), 0);
	TEST_CHECK_EQUAL(fbm_wire_afpacket(a.h.dev, "fbmveth0"), 0);
	TEST_CHECK_EQUAL(fbm_wire_afpacket(b.h.dev, "fbmveth1"), 0);

	for (i = 0; i < 8; i++) {
		tk_frame_udp4(frame, 200 + 100 * i, b.mac, a.mac, i);
		TEST_CHECK_EQUAL(fbh_tx_send(&a.h, &a.txq, frame, 200 + 100 * i, 0), 0);
		fbh_poll(&a.h);
		TEST_CHECK_EQUAL(recv_matching(&b, frame, 200 + 100 * i), 0);

		tk_frame_udp4(frame, 300, a.mac, b.mac, 100 + i);
		TEST_CHECK_EQUAL(fbh_tx_send(&b.h, &b.txq, frame, 300, 0), 0);
		fbh_poll(&b.h);
		TEST_CHECK_EQUAL(recv_matching(&a, frame, 300), 0);
		fbh_tx_reap(&a.h, &a.txq);
		fbh_tx_reap(&b.h, &b.txq);
	}
	fbm_wire_stats_get(a.h.dev, &st);
	TEST_CHECK_EQUAL(st.tx_frames, 8);
	TEST_CHECK_EQUAL(st.tx_drops, 0);
	TEST_CHECK(st.rx_frames >= 8);
	fbh_fini(&a.h);
	fbh_fini(&b.h);
	return TEST_SUCCESS;
}

/* A raw socket on the other end of the veth pair, to flood the model's side. */
static int
raw_socket(const char *ifname)
{
	struct sockaddr_ll sll;
	int fd = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));

	if (fd < 0)
		return -1;
	memset(&sll, 0, sizeof(sll));
	sll.sll_family = AF_PACKET;
	sll.sll_protocol = htons(ETH_P_ALL);
	sll.sll_ifindex = (int)if_nametoindex(ifname);
	if (sll.sll_ifindex == 0 || bind(fd, (struct sockaddr *)&sll, sizeof(sll)) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static uint64_t
port_rx_drops(struct port *p)
{
	return fbh_rd(&p->h, FBNIC_RXB_DROP_FRMS_STS(FBNIC_RXB_FIFO_HOST)) +
	       fbh_rd(&p->h, FBNIC_QUEUE(0) + FBNIC_QUEUE_RDE_CQ_DROP_CNT) +
	       fbh_rd(&p->h, FBNIC_QUEUE(0) + FBNIC_QUEUE_RDE_BDQ_DROP_CNT);
}

/*
 * A flood faster than the port polls overflows the socket queue that
 * stands for the RX packet buffer: every frame is then either received or
 * counted as dropped by the port (rx_missed), none vanishes.
 */
static int
test_flood_is_received_or_counted_as_dropped(void)
{
	static const uint8_t peer_mac[6] = { 2, 0, 0, 0, 0, 9 };
	static uint8_t frame[64], got[2048];
	const unsigned int sent = 20000;
	unsigned int i, received = 0, idle = 0;
	uint64_t drops;
	struct port b;
	int fd;

	TEST_CHECK_EQUAL(port_init(&b, 0x02fb4efffe0000c3ULL), 0);
	TEST_CHECK_EQUAL(fbh_port_open(&b.h, &b.txq, &b.rxq, 0), 0);
	TEST_CHECK_EQUAL(fbm_wire_afpacket(b.h.dev, "fbmveth1"), 0);
	fd = raw_socket("fbmveth0");
	TEST_CHECK(fd >= 0);
	if (fd < 0) {
		fbh_fini(&b.h);
		return TEST_FAILED;
	}
	tk_frame_udp4(frame, sizeof(frame), b.mac, peer_mac, 77);
	for (i = 0; i < sent; i++)
		if (send(fd, frame, sizeof(frame), 0) != (ssize_t)sizeof(frame))
			break;
	TEST_CHECK_EQUAL(i, sent);

	/* Drain: poll until nothing more arrives for 100 ms (bounded to ~10 s). */
	for (i = 0; i < 20000 && idle < 200; i++) {
		int ret = fbh_rx_recv(&b.h, &b.rxq, got, sizeof(got), NULL);

		if (ret == (int)sizeof(frame) && memcmp(got, frame, sizeof(frame)) == 0) {
			received++;
			idle = 0;
		} else if (ret == -EAGAIN) {
			usleep(500);
			if (fbh_poll(&b.h) == 0)
				idle++;
		}
	}
	usleep(2000);		/* past the model's drop-count refresh interval */
	fbh_poll(&b.h);
	drops = port_rx_drops(&b);
	printf("flood: %u sent, %u received, %llu counted as dropped\n", sent, received,
	       (unsigned long long)drops);
	TEST_CHECK(drops > 0);
	/* The kernel may add a few frames of its own (IPv6 neighbour discovery). */
	TEST_CHECK(received + drops >= sent && received + drops <= sent + 64);
	close(fd);
	fbh_fini(&b.h);
	return TEST_SUCCESS;
}

/*
 * The kernel sends over a veth with checksum offload: the frame reaches
 * the AF_PACKET socket with only the pseudo-header sum in the UDP checksum.
 * The model's wire finishes it, as the sender's NIC would on a cable.
 */
static int
test_offloaded_checksums_from_the_host_are_finished(void)
{
	static uint8_t got[2048];
	struct sockaddr_in dst = { .sin_family = AF_INET, .sin_port = htons(9) };
	static const char msg[] = "fbnic model checksum check";
	char cmd[160];
	unsigned int i;
	struct port b;
	bool seen = false;
	int fd, ret;

	TEST_CHECK_EQUAL(port_init(&b, 0x02fb4efffe0000c4ULL), 0);
	TEST_CHECK_EQUAL(fbh_port_open(&b.h, &b.txq, &b.rxq, 0), 0);
	TEST_CHECK_EQUAL(fbm_wire_afpacket(b.h.dev, "fbmveth1"), 0);
	snprintf(cmd, sizeof(cmd), "ip addr add 10.99.0.1/24 dev fbmveth0 && ip neigh replace "
		 "10.99.0.2 lladdr %02x:%02x:%02x:%02x:%02x:%02x dev fbmveth0", b.mac[0],
		 b.mac[1], b.mac[2], b.mac[3], b.mac[4], b.mac[5]);
	TEST_CHECK_EQUAL(system(cmd), 0);
	inet_pton(AF_INET, "10.99.0.2", &dst.sin_addr);
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	TEST_CHECK(fd >= 0);
	TEST_CHECK(sendto(fd, msg, sizeof(msg), 0, (struct sockaddr *)&dst, sizeof(dst)) ==
		   (ssize_t)sizeof(msg));
	for (i = 0; i < 2000 && !seen; i++) {
		ret = fbh_rx_recv(&b.h, &b.rxq, got, sizeof(got), NULL);
		if (ret == -EAGAIN) {
			usleep(500);
			fbh_poll(&b.h);
			continue;
		}
		if (ret > 42 && got[23] == 17 && memcmp(got + ret - sizeof(msg), msg,
							  sizeof(msg)) == 0) {
			seen = true;
			TEST_CHECK(tk_csum_ipv4_ok(got + TK_ETH_HLEN));
			TEST_CHECK(tk_csum_l4_ok(got, (size_t)ret, TK_ETH_HLEN,
						 TK_ETH_HLEN + 4u * (got[TK_ETH_HLEN] & 0xf)));
		}
	}
	TEST_CHECK(seen);
	close(fd);
	fbh_fini(&b.h);
	return TEST_SUCCESS;
}

#ifndef VIRTIO_NET_HDR_GSO_UDP_L4
#define VIRTIO_NET_HDR_GSO_UDP_L4	5
#endif

/* A TCP or UDP super-frame over IPv4 or IPv6, as a host stack hands it to a TSO/USO NIC. */
struct gso_case {
	const char *name;
	bool v6;
	uint8_t proto;			/* 6 or 17 */
	uint8_t gso_type;
	uint16_t mss;
	uint32_t payload;
};

/*
 * The super-frame of case c to dst: 10.99.1.1 -> 10.99.1.2 (ID 0x1234, DF)
 * or fd00::1 -> fd00::2, ports 40000 -> 5001, TCP with CWR ACK PSH FIN and
 * sequence 0x10000000; the checksums are left to the NIC.
 */
static uint32_t
build_super(uint8_t *f, const struct gso_case *c, const uint8_t *dst, uint16_t *l4_out)
{
	static const uint8_t src[6] = { 0x02, 0, 0, 0, 0, 0x99 };
	struct tk_frame fr;

	tk_frame_init(&fr, c->v6, c->proto);
	memcpy(fr.dst_mac, dst, 6);
	memcpy(fr.src_mac, src, 6);
	memset(fr.src, 0, sizeof(fr.src));
	memset(fr.dst, 0, sizeof(fr.dst));
	if (c->v6) {
		fr.src[0] = 0xfd;
		fr.src[15] = 1;
		fr.dst[0] = 0xfd;
		fr.dst[15] = 2;
	} else {
		memcpy(fr.src, "\x0a\x63\x01\x01", 4);
		memcpy(fr.dst, "\x0a\x63\x01\x02", 4);
	}
	fr.ip_id = 0x1234;
	fr.ip_frag = TK_IPV4_DF;
	fr.tcp_seq = 0x10000000;
	fr.tcp_flags = TK_TCP_CWR | TK_TCP_ACK | TK_TCP_PSH | TK_TCP_FIN;
	fr.tcp_win = 0xff00;
	fr.flags = TK_FRAME_NO_IP_CSUM | TK_FRAME_NO_L4_CSUM;
	*l4_out = (uint16_t)tk_frame_l4_off(&fr);
	return (uint32_t)tk_frame_build(f, &fr, c->payload);
}

/* Every IP and L4 header field the segmentation must have set, for segment k. */
static bool
segment_ok(const uint8_t *g, int len, const struct gso_case *c, const uint8_t *super,
	   uint32_t l4, uint32_t k, uint32_t nseg)
{
	uint32_t hl = c->proto == 6 ? 20 : 8, off = k * c->mss;
	uint32_t piece = k + 1 < nseg ? c->mss : c->payload - off;
	uint32_t l4_len = hl + piece;
	uint8_t flags;

	if (len != (int)(l4 + l4_len) || memcmp(g + l4 + hl, super + l4 + hl + off, piece) != 0)
		return false;
	if (c->v6) {
		if (tk_get16(g + 18) != l4_len)
			return false;
	} else {
		if (tk_get16(g + 16) != 20 + l4_len || tk_get16(g + 18) != 0x1234 + k ||
		    !tk_csum_ipv4_ok(g + 14))
			return false;
	}
	if (!tk_csum_l4_ok(g, (size_t)len, TK_ETH_HLEN, l4))
		return false;
	if (c->proto == 17)
		return tk_get16(g + l4 + 4) == l4_len;
	flags = g[l4 + 13];
	return tk_get32(g + l4 + 4) == 0x10000000u + off &&
	       (flags & 0x80) == (k == 0 ? 0x80 : 0) &&
	       (flags & 0x09) == (k + 1 == nseg ? 0x09 : 0) && (flags & 0x10);
}

/*
 * The host side hands the socket GSO super-frames (veth with TSO): on a
 * cable the sending NIC would cut them into MSS-sized frames, and so does
 * the model's AF_PACKET wire, for TCP and UDP over IPv4 and IPv6.
 */
static int
test_gso_superframes_from_the_host_are_segmented(void)
{
	static const struct gso_case cases[] = {
		{ "tcp4", false, 6, VIRTIO_NET_HDR_GSO_TCPV4, 1448, 10000 },
		{ "tcp6", true, 6, VIRTIO_NET_HDR_GSO_TCPV6, 1428, 4000 },
		{ "udp4", false, 17, VIRTIO_NET_HDR_GSO_UDP_L4, 1000, 3500 },
		{ "udp6", true, 17, VIRTIO_NET_HDR_GSO_UDP_L4, 1200, 2400 },
	};
	static uint8_t super[16384], got[2048];
	struct fbm_wire_stats st;
	struct port b;
	unsigned int ci;
	int one = 1, fd;

	TEST_CHECK_EQUAL(port_init(&b, 0x02fb4efffe0000c5ULL), 0);
	TEST_CHECK_EQUAL(fbh_port_open(&b.h, &b.txq, &b.rxq, 0), 0);
	TEST_CHECK_EQUAL(fbm_wire_afpacket(b.h.dev, "fbmveth1"), 0);
	fd = raw_socket("fbmveth0");
	TEST_CHECK(fd >= 0);
	TEST_CHECK_EQUAL(setsockopt(fd, SOL_PACKET, PACKET_VNET_HDR, &one, sizeof(one)), 0);

	for (ci = 0; ci < FBM_DIM(cases); ci++) {
		const struct gso_case *c = &cases[ci];
		uint32_t nseg = (c->payload + c->mss - 1) / c->mss, k = 0, i;
		uint16_t l4;
		uint32_t len = build_super(super, c, b.mac, &l4);
		struct virtio_net_hdr vh = {
			.flags = VIRTIO_NET_HDR_F_NEEDS_CSUM,
			.gso_type = c->gso_type,
			.hdr_len = (uint16_t)(l4 + (c->proto == 6 ? 20 : 8)),
			.gso_size = c->mss,
			.csum_start = l4,
			.csum_offset = c->proto == 6 ? 16 : 6,
		};
		struct iovec iov[2] = { { &vh, sizeof(vh) }, { super, len } };
		struct msghdr msg = { .msg_iov = iov, .msg_iovlen = 2 };
		bool bad = false;

		TEST_CHECK_EQUAL(sendmsg(fd, &msg, 0), (ssize_t)(sizeof(vh) + len));
		for (i = 0; i < 4000 && k < nseg; i++) {
			int ret = fbh_rx_recv(&b.h, &b.rxq, got, sizeof(got), NULL);

			if (ret == -EAGAIN) {
				usleep(500);
				fbh_poll(&b.h);
				continue;
			}
			/* ours: the same addresses and ports as the super-frame */
			if (ret < (int)l4 + 4 || memcmp(got + 12, super + 12, 2) != 0 ||
			    memcmp(got + l4, super + l4, 4) != 0)
				continue;
			if (!segment_ok(got, ret, c, super, l4, k, nseg)) {
				printf("%s: segment %u of %u (%d bytes) is wrong\n", c->name, k,
				       nseg, ret);
				bad = true;
			}
			k++;
		}
		TEST_CHECK_EQUAL(k, nseg);
		TEST_CHECK(!bad);
	}
	fbm_wire_stats_get(b.h.dev, &st);
	TEST_CHECK_EQUAL(st.rx_segmented, FBM_DIM(cases));
	close(fd);
	fbh_fini(&b.h);
	return TEST_SUCCESS;
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
	TK_RUN(test_frames_cross_a_veth_pair_both_ways);
	TK_RUN(test_flood_is_received_or_counted_as_dropped);
	TK_RUN(test_offloaded_checksums_from_the_host_are_finished);
	TK_RUN(test_gso_superframes_from_the_host_are_segmented);
	return tk_report("test_core_afpacket");
}
