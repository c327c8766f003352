/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

/*
 * Tunnels the NIC has no L3 type for (fbnic_hw.rst 3.1): VXLAN, GENEVE,
 * VXLAN-GPE and other UDP tunnels, GRE, and IP in IP with an IPv4 header.
 *
 * Checksums: the NIC computes one L4 checksum (REQ_CSO), which goes to the
 * inner TCP or UDP header. The IPv4 header checksums and the outer UDP
 * checksum are tx_prepare's, in software; the outer UDP checksum is derived
 * from the inner pseudo-header sum (as Linux's local checksum offload), so
 * the payload is not read when the NIC does the inner checksum.
 *
 * Segmentation: as Linux does with GSO_PARTIAL, the NIC segments such a
 * frame with L3_TYPE OTHER. It copies every header byte before the inner L4
 * header as it is and fixes only TCP or UDP (sequence, flags, length,
 * checksum). So the burst cuts the payload into a part of whole MSS segments
 * and the remainder, and gives each part its own copy of the headers, in an
 * mbuf of the frame's pool, with the lengths and checksums of one of its
 * segments. The segments of one part carry the same IPv4 identifications
 * (Linux's GSO_PARTIAL requires TSO_MANGLEID for the same reason).
 */

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_common.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_tcp.h>
#include <rte_udp.h>

#include "fbnic_tx.h"

/* Fold a sum of 16-bit words (memory order) to 16 bits. */
static uint16_t
fbnic_tnl_fold(uint32_t sum)
{
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

int
fbnic_tnl_layout(const struct rte_mbuf *m, struct fbnic_tnl *t)
{
	uint64_t ol = m->ol_flags;
	bool seg = ol & (RTE_MBUF_F_TX_TCP_SEG | RTE_MBUF_F_TX_UDP_SEG);
	uint32_t o3len = m->outer_l3_len, tnl = m->l2_len, l4;

	switch (ol & RTE_MBUF_F_TX_TUNNEL_MASK) {
	case RTE_MBUF_F_TX_TUNNEL_VXLAN:
	case RTE_MBUF_F_TX_TUNNEL_GENEVE:
	case RTE_MBUF_F_TX_TUNNEL_VXLAN_GPE:
	case RTE_MBUF_F_TX_TUNNEL_UDP:
		t->udp = true;
		if (tnl < sizeof(struct rte_udp_hdr))
			return -EINVAL;
		break;
	case RTE_MBUF_F_TX_TUNNEL_GRE:
		t->udp = false;
		if (tnl < 4)
			return -EINVAL;
		break;
	case RTE_MBUF_F_TX_TUNNEL_IPIP:
		t->udp = false;
		break;
	default:
		return -ENOTSUP;
	}
	switch (ol & (RTE_MBUF_F_TX_OUTER_IPV4 | RTE_MBUF_F_TX_OUTER_IPV6)) {
	case RTE_MBUF_F_TX_OUTER_IPV4:
		if (o3len < sizeof(struct rte_ipv4_hdr))
			return -EINVAL;
		break;
	case RTE_MBUF_F_TX_OUTER_IPV6:
		if (o3len < sizeof(struct rte_ipv6_hdr))
			return -EINVAL;
		break;
	default:
		return -EINVAL;
	}
	switch (ol & (RTE_MBUF_F_TX_IPV4 | RTE_MBUF_F_TX_IPV6)) {
	case RTE_MBUF_F_TX_IPV4:
		if (m->l3_len < sizeof(struct rte_ipv4_hdr))
			return -EINVAL;
		break;
	case RTE_MBUF_F_TX_IPV6:
		if (m->l3_len < sizeof(struct rte_ipv6_hdr))
			return -EINVAL;
		break;
	default:
		return -EINVAL;
	}
	t->o3 = m->outer_l2_len;
	t->o4 = t->o3 + o3len;
	t->i3 = t->o4 + tnl;
	t->i4 = t->i3 + m->l3_len;
	if (seg)
		l4 = m->l4_len;
	else if ((ol & RTE_MBUF_F_TX_L4_MASK) == RTE_MBUF_F_TX_TCP_CKSUM)
		l4 = sizeof(struct rte_tcp_hdr);
	else if ((ol & RTE_MBUF_F_TX_L4_MASK) == RTE_MBUF_F_TX_UDP_CKSUM)
		l4 = sizeof(struct rte_udp_hdr);
	else
		l4 = 0;
	t->hdr = t->i4 + l4;
	/* The META counts the outer L2 and the rest before L4 in 2-byte units. */
	if ((t->o3 | t->i4) & 1 || t->o3 > FBNIC_TX_MAX_L2_LEN ||
	    t->i4 - t->o3 > FBNIC_TX_MAX_L3_LEN || t->hdr > m->data_len)
		return -EINVAL;
	/* A GRE checksum would cover what the NIC changes. */
	if ((ol & RTE_MBUF_F_TX_TUNNEL_MASK) == RTE_MBUF_F_TX_TUNNEL_GRE &&
	    (*rte_pktmbuf_mtod_offset(m, const uint8_t *, t->o4) & 0x80) &&
	    (ol & (RTE_MBUF_F_TX_L4_MASK | RTE_MBUF_F_TX_TCP_SEG | RTE_MBUF_F_TX_UDP_SEG)))
		return -ENOTSUP;
	return 0;
}

/* The IPv4 or IPv6 pseudo-header sum of the outer UDP header, without its length. */
static uint32_t
fbnic_tnl_outer_pseudo(const uint8_t *h, const struct fbnic_tnl *t, uint64_t ol)
{
	uint32_t sum = rte_cpu_to_be_16(IPPROTO_UDP);

	if (ol & RTE_MBUF_F_TX_OUTER_IPV4)
		sum += rte_raw_cksum(h + t->o3 + offsetof(struct rte_ipv4_hdr, src_addr), 8);
	else
		sum += rte_raw_cksum(h + t->o3 + offsetof(struct rte_ipv6_hdr, src_addr), 32);
	return sum;
}

/*
 * The outer UDP checksum of a frame whose inner L4 checksum field holds
 * inner (the inner pseudo-header sum the NIC starts from) and whose inner
 * L4 bytes, with the final checksum, will sum to ~(inner + inner_len): the
 * outer sum needs the headers up to the inner L4 header only.
 */
static uint16_t
fbnic_tnl_outer_udp_csum(const uint8_t *h, const struct fbnic_tnl *t, uint64_t ol,
			 uint16_t inner, uint32_t inner_len)
{
	const struct rte_udp_hdr *udp = (const struct rte_udp_hdr *)(h + t->o4);
	uint32_t sum;
	uint16_t cs;

	sum = fbnic_tnl_outer_pseudo(h, t, ol) + udp->dgram_len;
	sum += rte_raw_cksum(h + t->o4, t->i4 - t->o4);
	sum += (uint16_t)~fbnic_tnl_fold((uint32_t)inner + rte_cpu_to_be_16(inner_len));
	cs = (uint16_t)~fbnic_tnl_fold(sum);
	return cs == 0 ? 0xffff : cs;
}

static void
fbnic_tnl_ipv4_fix(uint8_t *p, uint32_t len)
{
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)p;

	ip->total_length = rte_cpu_to_be_16(len);
	ip->hdr_checksum = 0;
	ip->hdr_checksum = rte_ipv4_cksum(ip);
}

void
fbnic_tnl_hdr_fix(uint8_t *h, uint64_t ol, const struct fbnic_tnl *t, uint32_t seg,
		  uint32_t seq_add, bool first, bool last)
{
	uint32_t len = t->hdr + seg;

	if (ol & RTE_MBUF_F_TX_OUTER_IPV4)
		fbnic_tnl_ipv4_fix(h + t->o3, len - t->o3);
	else
		((struct rte_ipv6_hdr *)(h + t->o3))->payload_len =
			rte_cpu_to_be_16(len - t->o3 - sizeof(struct rte_ipv6_hdr));
	if (ol & RTE_MBUF_F_TX_IPV4)
		fbnic_tnl_ipv4_fix(h + t->i3, len - t->i3);
	else
		((struct rte_ipv6_hdr *)(h + t->i3))->payload_len =
			rte_cpu_to_be_16(len - t->i3 - sizeof(struct rte_ipv6_hdr));
	if (ol & RTE_MBUF_F_TX_TCP_SEG) {
		struct rte_tcp_hdr *tcp = (struct rte_tcp_hdr *)(h + t->i4);

		tcp->sent_seq = rte_cpu_to_be_32(rte_be_to_cpu_32(tcp->sent_seq) + seq_add);
		/* The NIC clears these within a part; between parts they are ours. */
		if (!last)
			tcp->tcp_flags &= (uint8_t)~(RTE_TCP_FIN_FLAG | RTE_TCP_PSH_FLAG);
		if (!first)
			tcp->tcp_flags &= (uint8_t)~RTE_TCP_CWR_FLAG;
	}
	if (t->udp) {
		struct rte_udp_hdr *udp = (struct rte_udp_hdr *)(h + t->o4);
		uint16_t inner = *(const uint16_t *)(h + t->i4 +
			((ol & RTE_MBUF_F_TX_TCP_SEG) ? offsetof(struct rte_tcp_hdr, cksum) :
			 offsetof(struct rte_udp_hdr, dgram_cksum)));

		udp->dgram_len = rte_cpu_to_be_16(len - t->o4);
		udp->dgram_cksum = 0;
		if (ol & RTE_MBUF_F_TX_OUTER_UDP_CKSUM)
			udp->dgram_cksum = fbnic_tnl_outer_udp_csum(h, t, ol, inner,
								    len - t->i4);
	}
}

/* tx_prepare of a tunnel frame (fbnic_prep_one): the software checksums and pseudo sums. */
int
fbnic_tnl_prep(struct rte_mbuf *m)
{
	uint64_t ol = m->ol_flags;
	bool seg = ol & (RTE_MBUF_F_TX_TCP_SEG | RTE_MBUF_F_TX_UDP_SEG);
	uint64_t l4 = ol & RTE_MBUF_F_TX_L4_MASK;
	struct fbnic_tnl t;
	uint16_t *csum = NULL;
	uint8_t *h;
	int ret;

	ret = fbnic_tnl_layout(m, &t);
	if (ret != 0)
		return ret;
	if (l4 == RTE_MBUF_F_TX_SCTP_CKSUM)
		return -ENOTSUP;
	if ((ol & RTE_MBUF_F_TX_IP_CKSUM) && !(ol & RTE_MBUF_F_TX_IPV4))
		return -EINVAL;
	if ((ol & RTE_MBUF_F_TX_OUTER_IP_CKSUM) && !(ol & RTE_MBUF_F_TX_OUTER_IPV4))
		return -EINVAL;
	if ((ol & RTE_MBUF_F_TX_OUTER_UDP_CKSUM) && !t.udp)
		return -EINVAL;
	h = rte_pktmbuf_mtod(m, uint8_t *);
	if (seg) {
		/* The lengths and IPv4 checksums are the burst's, per part. */
		if ((ol & (RTE_MBUF_F_TX_TCP_SEG | RTE_MBUF_F_TX_UDP_SEG)) ==
		    (RTE_MBUF_F_TX_TCP_SEG | RTE_MBUF_F_TX_UDP_SEG) ||
		    m->l4_len & 3 || m->l4_len > FBNIC_TX_MAX_L4_LEN ||
		    m->l4_len < ((ol & RTE_MBUF_F_TX_TCP_SEG) ? sizeof(struct rte_tcp_hdr) :
				 sizeof(struct rte_udp_hdr)) ||
		    m->tso_segsz < FBNIC_TX_MIN_MSS || m->tso_segsz > FBNIC_TX_MAX_MSS ||
		    t.hdr + m->tso_segsz > FBNIC_TX_MAX_FRAME || m->pkt_len > FBNIC_TX_MAX_TSO ||
		    m->pkt_len <= t.hdr)
			return -EINVAL;
		if ((ol & RTE_MBUF_F_TX_TCP_SEG) ? l4 == RTE_MBUF_F_TX_UDP_CKSUM :
		    l4 == RTE_MBUF_F_TX_TCP_CKSUM)
			return -EINVAL;
		l4 = (ol & RTE_MBUF_F_TX_TCP_SEG) ? RTE_MBUF_F_TX_TCP_CKSUM :
						     RTE_MBUF_F_TX_UDP_CKSUM;
	} else if (m->pkt_len > FBNIC_TX_MAX_FRAME) {
		return -EINVAL;
	}

	if ((ol & RTE_MBUF_F_TX_IP_CKSUM) && !seg) {
		struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(h + t.i3);

		ip->hdr_checksum = 0;
		ip->hdr_checksum = rte_ipv4_cksum(ip);
	}
	if (l4 != 0) {
		/* The NIC adds the L4 bytes (and, segmenting, their length) to this. */
		csum = (uint16_t *)(h + t.i4 + (l4 == RTE_MBUF_F_TX_TCP_CKSUM ?
						offsetof(struct rte_tcp_hdr, cksum) :
						offsetof(struct rte_udp_hdr, dgram_cksum)));
		if (ol & RTE_MBUF_F_TX_IPV4)
			*csum = rte_ipv4_phdr_cksum((const struct rte_ipv4_hdr *)(h + t.i3),
						    seg ? RTE_MBUF_F_TX_TCP_SEG : 0);
		else
			*csum = rte_ipv6_phdr_cksum((const struct rte_ipv6_hdr *)(h + t.i3),
						    seg ? RTE_MBUF_F_TX_TCP_SEG : 0);
	}
	if (seg)
		return 0;
	if (ol & RTE_MBUF_F_TX_OUTER_UDP_CKSUM) {
		struct rte_udp_hdr *udp = (struct rte_udp_hdr *)(h + t.o4);

		udp->dgram_cksum = 0;
		if (csum != NULL) {
			/* The pseudo sum above already has the inner length. */
			udp->dgram_cksum = fbnic_tnl_outer_udp_csum(h, &t, ol, *csum, 0);
		} else {
			/* No inner offload: the inner bytes are final, sum them all. */
			uint16_t sum;

			if (rte_raw_cksum_mbuf(m, t.o4, m->pkt_len - t.o4, &sum) != 0)
				return -EINVAL;
			sum = (uint16_t)~fbnic_tnl_fold((uint32_t)sum +
				fbnic_tnl_outer_pseudo(h, &t, ol) + udp->dgram_len);
			udp->dgram_cksum = sum == 0 ? 0xffff : sum;
		}
	}
	if (ol & RTE_MBUF_F_TX_OUTER_IP_CKSUM) {
		struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(h + t.o3);

		ip->hdr_checksum = 0;
		ip->hdr_checksum = rte_ipv4_cksum(ip);
	}
	return 0;
}
