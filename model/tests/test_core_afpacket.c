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
static void
test_flood_is_received_or_counted_as_dropped(void)
{
	static uint8_t frame[64], got[2048];
	const unsigned int sent = 20000;
	unsigned int i, received = 0, idle = 0;
	uint64_t drops;
	struct port b;
	int fd;

	FBH_CHECK_EQ(port_init(&b, 0x02fb4efffe0000c3ULL), 0);
	FBH_CHECK_EQ(fbh_port_open(&b.h, &b.txq, &b.rxq, 0), 0);
	FBH_CHECK_EQ(fbm_wire_afpacket(b.h.dev, "fbmveth1"), 0);
	fd = raw_socket("fbmveth0");
	FBH_CHECK(fd >= 0);
	if (fd < 0) {
		fbh_fini(&b.h);
		return;
	}
	fbh_build_udp4(frame, sizeof(frame), b.mac, (const uint8_t[6]){ 2, 0, 0, 0, 0, 9 }, 77);
	for (i = 0; i < sent; i++)
		if (send(fd, frame, sizeof(frame), 0) != (ssize_t)sizeof(frame))
			break;
	FBH_CHECK_EQ(i, sent);

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
	FBH_CHECK(drops > 0);
	/* The kernel may add a few frames of its own (IPv6 neighbour discovery). */
	FBH_CHECK(received + drops >= sent && received + drops <= sent + 64);
	close(fd);
	fbh_fini(&b.h);
}

/* Ones' complement sum over a buffer, host order, not folded. */
static uint32_t
sum16(const uint8_t *p, uint32_t len, uint32_t sum)
{
	uint32_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	return sum;
}

/* A UDP/IPv4 frame whose checksum, pseudo-header included, verifies. */
static bool
udp4_csum_ok(const uint8_t *f, uint32_t len)
{
	uint32_t l4 = 14 + 4u * (f[14] & 0xf), ulen, sum;

	if (len < l4 + 8 || f[12] != 0x08 || f[13] != 0x00 || f[23] != 17)
		return false;
	ulen = (uint32_t)f[l4 + 4] << 8 | f[l4 + 5];
	if (l4 + ulen > len)
		return false;
	sum = sum16(f + 26, 8, 17 + ulen);	/* addresses, protocol, UDP length */
	sum = sum16(f + l4, ulen, sum);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return sum == 0xffff;
}

/*
 * The kernel sends over a veth with checksum offload: the frame reaches
 * the AF_PACKET socket with only the pseudo-header sum in the UDP checksum.
 * The model's wire finishes it, as the sender's NIC would on a cable.
 */
static void
test_offloaded_checksums_from_the_host_are_finished(void)
{
	static uint8_t got[2048];
	struct sockaddr_in dst = { .sin_family = AF_INET, .sin_port = htons(9) };
	const char msg[] = "fbnic model checksum check";
	char cmd[160];
	unsigned int i;
	struct port b;
	bool seen = false;
	int fd, ret;

	FBH_CHECK_EQ(port_init(&b, 0x02fb4efffe0000c4ULL), 0);
	FBH_CHECK_EQ(fbh_port_open(&b.h, &b.txq, &b.rxq, 0), 0);
	FBH_CHECK_EQ(fbm_wire_afpacket(b.h.dev, "fbmveth1"), 0);
	snprintf(cmd, sizeof(cmd), "ip addr add 10.99.0.1/24 dev fbmveth0 && ip neigh replace "
		 "10.99.0.2 lladdr %02x:%02x:%02x:%02x:%02x:%02x dev fbmveth0", b.mac[0],
		 b.mac[1], b.mac[2], b.mac[3], b.mac[4], b.mac[5]);
	FBH_CHECK_EQ(system(cmd), 0);
	inet_pton(AF_INET, "10.99.0.2", &dst.sin_addr);
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	FBH_CHECK(fd >= 0);
	FBH_CHECK(sendto(fd, msg, sizeof(msg), 0, (struct sockaddr *)&dst, sizeof(dst)) ==
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
			FBH_CHECK(udp4_csum_ok(got, (uint32_t)ret));
		}
	}
	FBH_CHECK(seen);
	close(fd);
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
	FBH_RUN(test_flood_is_received_or_counted_as_dropped);
	FBH_RUN(test_offloaded_checksums_from_the_host_are_finished);
	return fbh_exit_code();
}
