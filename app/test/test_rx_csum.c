/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

/*
 * The Rx checksum results a frame gets when the NIC did not vouch for its
 * TCP/UDP checksum: the driver finishes them from the completion's L2_CSUM
 * (the sum of every byte after the Ethernet header) and the headers alone.
 * Each case is compared with the test kit's verification over the whole
 * frame: IPv4 and IPv6, TCP and UDP, with and without a VLAN tag, short
 * frames with padding (at an odd offset too), chains split at odd lengths,
 * good and corrupted payloads, a bad IPv4 header checksum, a UDP frame
 * without a checksum and an IPv4 fragment.
 *
 * Usage: test-rx-csum <EAL args>
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <rte_eal.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>

#include "fbnic_csr.h"
#include "fbnic_rx.h"

#include "fbnic_tk.h"
#include "fbnic_tk_frame.h"

#define NB_MBUFS	256
#define FRAME_MAX	4096
#define ALL_CSUM	(RTE_ETH_RX_OFFLOAD_IPV4_CKSUM | RTE_ETH_RX_OFFLOAD_TCP_CKSUM | \
			 RTE_ETH_RX_OFFLOAD_UDP_CKSUM)

static struct rte_mempool *pool;

/* L2_CSUM as the device computes it (the model's definition, fbnic_hw.rst 3.4). */
static uint16_t
device_l2_csum(const uint8_t *f, uint32_t len)
{
	uint32_t sum = 0, i;

	for (i = TK_ETH_HLEN; i + 1 < len; i += 2)
		sum += (uint32_t)f[i] | (uint32_t)f[i + 1] << 8;
	if ((len - TK_ETH_HLEN) & 1)
		sum += f[len - 1];
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

/* The frame in a chain of segments of seg bytes (the last one shorter). */
static struct rte_mbuf *
chain_of(const uint8_t *f, uint32_t len, uint32_t seg)
{
	struct rte_mbuf *head = NULL, *prev = NULL;
	uint32_t off = 0;

	while (off < len) {
		struct rte_mbuf *m = rte_pktmbuf_alloc(pool);
		uint32_t n = RTE_MIN(seg, len - off);

		if (m == NULL) {
			rte_pktmbuf_free(head);
			return NULL;
		}
		memcpy(rte_pktmbuf_mtod(m, uint8_t *), f + off, n);
		m->data_len = (uint16_t)n;
		if (head == NULL) {
			head = m;
		} else {
			prev->next = m;
			head->nb_segs++;
		}
		head->pkt_len += n;
		prev = m;
		off += n;
	}
	return head;
}

/* The test kit's verification over the whole flat frame (no padding): the reference. */
static uint64_t
reference_flags(const uint8_t *f, uint32_t ip_len_end, const struct tk_frame *fr)
{
	size_t ip_off = tk_frame_ip_off(fr), l4_off = tk_frame_l4_off(fr);
	uint64_t flags = 0;

	if (!fr->v6)
		flags |= tk_csum_ipv4_ok(f + ip_off) ? RTE_MBUF_F_RX_IP_CKSUM_GOOD :
						       RTE_MBUF_F_RX_IP_CKSUM_BAD;
	return flags | (tk_csum_l4_ok(f, ip_len_end, ip_off, l4_off) ?
			RTE_MBUF_F_RX_L4_CKSUM_GOOD : RTE_MBUF_F_RX_L4_CKSUM_BAD);
}

enum damage { INTACT, PAYLOAD, L4_FIELD, IP_HEADER };

struct rx_csum_case {
	bool v6, tcp, vlan;
	uint32_t payload;	/* bytes of L4 payload */
	uint32_t pad;		/* bytes after the IP packet (Ethernet padding) */
	uint32_t seg;		/* segment size of the chain */
	enum damage damage;
};

/* One case: the driver's flags against the reference's; returns failures. */
static int
check_case(const struct rx_csum_case *c)
{
	static uint8_t f[FRAME_MAX];
	uint32_t l3 = c->v6 ? FBNIC_RCD_META_L3_TYPE_IPV6 : FBNIC_RCD_META_L3_TYPE_IPV4;
	uint32_t l4 = c->tcp ? FBNIC_RCD_META_L4_TYPE_TCP : FBNIC_RCD_META_L4_TYPE_UDP;
	struct tk_frame fr;
	struct rte_mbuf *m;
	uint64_t got, want;
	uint32_t len, unpadded, i;

	tk_frame_init(&fr, c->v6, c->tcp ? TK_PROTO_TCP : TK_PROTO_UDP);
	if (c->vlan) {
		fr.vlan_tpid = TK_ETHERTYPE_VLAN;
		fr.vlan_tci = 0x0123;
	}
	fr.seed = c->payload + c->pad;
	len = (uint32_t)tk_frame_build(f, &fr, c->payload);
	unpadded = len;
	for (i = 0; i < c->pad; i++)
		f[len + i] = (uint8_t)(0xa5 + 3 * i);	/* not zeros: they must not count */
	len += c->pad;
	switch (c->damage) {
	case PAYLOAD:
		f[tk_frame_hdr_len(&fr) + c->payload / 2] ^= 0x40;
		break;
	case L4_FIELD:
		f[tk_frame_l4_off(&fr) + (c->tcp ? 16 : 6)] ^= 0x01;
		break;
	case IP_HEADER:
		f[tk_frame_ip_off(&fr) + 8] ^= 0x01;	/* IPv4 TTL */
		break;
	case INTACT:
		break;
	}
	m = chain_of(f, len, c->seg);
	TEST_ASSERT_NOT_NULL(m, "no mbufs");
	want = reference_flags(f, unpadded, &fr);
	got = fbnic_rx_csum_sw(m, ALL_CSUM, l3, l4, false, device_l2_csum(f, len));
	TEST_CHECK_EQUAL(got, want, "v6 %d tcp %d vlan %d payload %u pad %u seg %u damage %d",
			 c->v6, c->tcp, c->vlan, c->payload, c->pad, c->seg, c->damage);
	/*
	 * The bursts' entry point, with the META the device writes: its L4
	 * verdict when the L4 sum is right (then only the IPv4 header is
	 * checked, inline for the common frame), L2_CSUM otherwise.
	 */
	{
		struct fbnic_rx_queue rxq = { .offloads = ALL_CSUM };
		uint64_t meta = FBNIC_FIELD_PREP(FBNIC_RCD_META_L3_TYPE_MASK, l3) |
				FBNIC_FIELD_PREP(FBNIC_RCD_META_L4_TYPE_MASK, l4) |
				FBNIC_FIELD_PREP(FBNIC_RCD_META_L2_CSUM_MASK,
						 device_l2_csum(f, len));

		if ((want & RTE_MBUF_F_RX_L4_CKSUM_MASK) == RTE_MBUF_F_RX_L4_CKSUM_GOOD)
			meta |= FBNIC_RCD_META_L4_CSUM_UNNECESSARY;
		got = fbnic_rx_csum_flags(&rxq, m, meta);
		if (c->v6)
			want |= RTE_MBUF_F_RX_IP_CKSUM_GOOD;	/* IPv6: no header sum */
		TEST_CHECK_EQUAL(got, want, "flags from META: v6 %d tcp %d vlan %d payload %u "
				 "pad %u seg %u damage %d", c->v6, c->tcp, c->vlan, c->payload,
				 c->pad, c->seg, c->damage);
	}
	rte_pktmbuf_free(m);
	return TEST_SUCCESS;
}

static int
unvouched_l4_checksums_match_a_full_software_check(void)
{
	static const uint32_t payloads[] = { 1, 2, 17, 100, 1001, 3000 };
	static const uint32_t segs[] = { RTE_MBUF_DEFAULT_DATAROOM, 1023, 77 };
	const unsigned int n_damage = IP_HEADER + 1;
	unsigned int k, n = 0, good = 0;

	/* Every combination: IP version, L4, VLAN, payload, segments, damage. */
	for (k = 0; k < 8 * RTE_DIM(payloads) * RTE_DIM(segs) * n_damage; k++) {
		unsigned int d = k % n_damage, s = k / n_damage % RTE_DIM(segs);
		unsigned int p = k / n_damage / RTE_DIM(segs) % RTE_DIM(payloads);
		unsigned int bits = k / n_damage / RTE_DIM(segs) / RTE_DIM(payloads);
		struct rx_csum_case c = {
			.v6 = bits & 1, .tcp = bits & 2, .vlan = bits & 4,
			.payload = payloads[p],
			/* short frames padded to 60 bytes or more */
			.pad = payloads[p] < 20 ? 7 + p : 0,
			.seg = segs[s], .damage = d,
		};

		if (d == IP_HEADER && c.v6)
			continue;
		TEST_ASSERT_SUCCESS(check_case(&c));
		n++;
		good += d == INTACT;
	}
	printf("%u frames checked (%u intact), flags equal to a full software check\n", n,
	       good);
	return TEST_SUCCESS;
}

/* Frames whose L4 checksum is not to be checked get no L4 result. */
static int
udp_without_checksum_and_fragments_get_no_l4_result(void)
{
	static uint8_t f[256];
	struct tk_frame fr;
	struct rte_mbuf *m;
	uint32_t len;
	uint64_t got;

	tk_frame_init(&fr, false, TK_PROTO_UDP);
	fr.flags = TK_FRAME_NO_L4_CSUM;
	len = (uint32_t)tk_frame_build(f, &fr, 64);
	m = chain_of(f, len, RTE_MBUF_DEFAULT_DATAROOM);
	TEST_ASSERT_NOT_NULL(m);
	got = fbnic_rx_csum_sw(m, ALL_CSUM, FBNIC_RCD_META_L3_TYPE_IPV4,
			       FBNIC_RCD_META_L4_TYPE_UDP, false, device_l2_csum(f, len));
	TEST_CHECK_EQUAL(got, RTE_MBUF_F_RX_IP_CKSUM_GOOD, "UDP with no checksum");
	rte_pktmbuf_free(m);

	tk_frame_init(&fr, false, TK_PROTO_TCP);
	fr.ip_frag = TK_IPV4_MF;
	len = (uint32_t)tk_frame_build(f, &fr, 64);
	m = chain_of(f, len, RTE_MBUF_DEFAULT_DATAROOM);
	TEST_ASSERT_NOT_NULL(m);
	got = fbnic_rx_csum_sw(m, ALL_CSUM, FBNIC_RCD_META_L3_TYPE_IPV4,
			       FBNIC_RCD_META_L4_TYPE_TCP, false, device_l2_csum(f, len));
	TEST_CHECK_EQUAL(got, RTE_MBUF_F_RX_IP_CKSUM_GOOD, "an IPv4 fragment");
	rte_pktmbuf_free(m);

	/* Vouched for by the NIC: only the IPv4 header is looked at. */
	tk_frame_init(&fr, false, TK_PROTO_TCP);
	len = (uint32_t)tk_frame_build(f, &fr, 64);
	f[tk_frame_hdr_len(&fr)] ^= 0xff;	/* would be a bad L4 checksum */
	m = chain_of(f, len, RTE_MBUF_DEFAULT_DATAROOM);
	TEST_ASSERT_NOT_NULL(m);
	got = fbnic_rx_csum_sw(m, ALL_CSUM, FBNIC_RCD_META_L3_TYPE_IPV4,
			       FBNIC_RCD_META_L4_TYPE_TCP, true, 0);
	TEST_CHECK_EQUAL(got, RTE_MBUF_F_RX_IP_CKSUM_GOOD, "vouched L4, IPv4 header only");
	rte_pktmbuf_free(m);
	return TEST_SUCCESS;
}

int
main(int argc, char **argv)
{
	if (rte_eal_init(argc, argv) < 0) {
		printf("FAIL: EAL init: %s\n", rte_strerror(rte_errno));
		return 1;
	}
	pool = rte_pktmbuf_pool_create("rx_csum", NB_MBUFS, 0, 0, RTE_MBUF_DEFAULT_BUF_SIZE,
				       rte_socket_id());
	if (pool == NULL) {
		printf("FAIL: mempool: %s\n", rte_strerror(rte_errno));
		rte_eal_cleanup();
		return 1;
	}
	TK_RUN(unvouched_l4_checksums_match_a_full_software_check);
	TK_RUN(udp_without_checksum_and_fragments_get_no_l4_result);
	TEST_CHECK_EQUAL(rte_mempool_avail_count(pool), NB_MBUFS, "every mbuf back");
	rte_mempool_free(pool);
	rte_eal_cleanup();
	return tk_report("test_rx_csum");
}
