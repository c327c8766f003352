/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

#ifndef _FBNIC_TK_FRAME_H_
#define _FBNIC_TK_FRAME_H_

/*
 * The test kit's frame builder and Internet checksums, for every test that
 * sends or checks frames (app/test, model/tests, vfio-user/tests). No DPDK:
 * frames are plain byte buffers in network order.
 *
 * A frame is described by a struct tk_frame (zero fields take the defaults
 * noted) and written by tk_frame_build():
 *
 *   Ethernet [802.1Q tag] [outer IPv6, next header 41]
 *   IPv4 [options] | IPv6 [hop-by-hop header]
 *   TCP (20 bytes) | UDP (8 bytes) | nothing for any other protocol
 *   payload
 *
 * or Ethernet [tag] + payload when ethertype names a non-IP type. The IPv4
 * header checksum and the TCP/UDP checksum are valid unless flags say
 * otherwise; the checksum helpers below verify them independently of the
 * code under test.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TK_ETH_HLEN		14u
#define TK_VLAN_HLEN		4u
#define TK_IPV4_HLEN		20u
#define TK_IPV6_HLEN		40u
#define TK_TCP_HLEN		20u
#define TK_UDP_HLEN		8u

#define TK_ETHERTYPE_IPV4	0x0800
#define TK_ETHERTYPE_VLAN	0x8100
#define TK_ETHERTYPE_IPV6	0x86dd

#define TK_PROTO_TCP		6
#define TK_PROTO_UDP		17
#define TK_PROTO_IPV6		41

/* IPv4 flags (tk_frame.ip_frag, with the fragment offset in 8-byte units). */
#define TK_IPV4_DF		0x4000
#define TK_IPV4_MF		0x2000

/* TCP flags (tk_frame.tcp_flags). */
#define TK_TCP_FIN		0x01
#define TK_TCP_SYN		0x02
#define TK_TCP_RST		0x04
#define TK_TCP_PSH		0x08
#define TK_TCP_ACK		0x10
#define TK_TCP_CWR		0x80

/* tk_frame.flags */
#define TK_FRAME_NO_IP_CSUM	(1u << 0)	/* leave the IPv4 header checksum 0 */
#define TK_FRAME_NO_L4_CSUM	(1u << 1)	/* leave the TCP/UDP checksum 0 */
/* The payload is already at buf + tk_frame_hdr_len(): do not write it. */
#define TK_FRAME_KEEP_PAYLOAD	(1u << 2)

struct tk_frame {
	uint8_t dst_mac[6];
	uint8_t src_mac[6];
	uint16_t vlan_tpid;	/* 0: untagged; else one tag, e.g. TK_ETHERTYPE_VLAN */
	uint16_t vlan_tci;
	/* 0: IPv4 or IPv6 as v6 says; any other: that type, payload after L2. */
	uint16_t ethertype;

	bool v6;
	/* An outer IPv6 header (next header 41) before the IPv6 header. */
	bool v6_in_v6;
	uint8_t outer_src[16];
	uint8_t outer_dst[16];
	/*
	 * Bytes of IPv4 options (NOPs, multiple of 4) or of one IPv6
	 * hop-by-hop header (PadN, multiple of 8) after the IP header.
	 */
	uint8_t opt_len;
	uint8_t proto;		/* TK_PROTO_TCP, TK_PROTO_UDP, any other: no L4 header */
	uint8_t src[16];	/* IPv4 addresses in the first 4 bytes */
	uint8_t dst[16];
	uint32_t flow_label;	/* IPv6, 20 bits */
	uint16_t ip_id;		/* IPv4 identification */
	uint16_t ip_frag;	/* IPv4 flags and fragment offset */
	uint8_t ttl;		/* 0: 64 */

	uint16_t sport;
	uint16_t dport;
	uint32_t tcp_seq;
	uint32_t tcp_ack;
	uint8_t tcp_flags;	/* TK_TCP_* */
	uint16_t tcp_win;

	/* NULL: byte i of the payload is tk_frame_pattern(seed, i). */
	const uint8_t *payload;
	uint32_t seed;
	unsigned int flags;	/* TK_FRAME_* */
};

/* Big-endian loads and stores. */
static inline void
tk_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline void
tk_put32(uint8_t *p, uint32_t v)
{
	tk_put16(p, (uint16_t)(v >> 16));
	tk_put16(p + 2, (uint16_t)v);
}

static inline uint16_t
tk_get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t
tk_get32(const uint8_t *p)
{
	return (uint32_t)tk_get16(p) << 16 | tk_get16(p + 2);
}

/* The default payload byte i of a frame built with seed. */
static inline uint8_t
tk_frame_pattern(uint32_t seed, size_t i)
{
	return (uint8_t)(seed + i * 7 + 3);
}

/*
 * Zero *fr and set the IP version and protocol, with the source and
 * destination MACs 02:00:00:00:00:01 and 02:00:00:00:00:02, addresses
 * 192.0.2.1 -> 192.0.2.2 or 2001:db8::1 -> 2001:db8::2 and ports
 * 40000 -> 5001.
 */
void tk_frame_init(struct tk_frame *fr, bool v6, uint8_t proto);

/* Offsets in a frame that tk_frame_build() writes from fr. */
size_t tk_frame_l3_off(const struct tk_frame *fr);	/* first IP header */
size_t tk_frame_ip_off(const struct tk_frame *fr);	/* the IP header before L4 */
size_t tk_frame_l4_off(const struct tk_frame *fr);	/* L4 header */
size_t tk_frame_hdr_len(const struct tk_frame *fr);	/* payload */

/* Write the frame into buf; returns its length, tk_frame_hdr_len() + payload_len. */
size_t tk_frame_build(uint8_t *buf, const struct tk_frame *fr, size_t payload_len);

/*
 * Only an Ethernet header (dst, src, ethertype) at buf, for raw frames whose
 * bytes after it are the caller's. Returns TK_ETH_HLEN.
 */
size_t tk_frame_eth(uint8_t *buf, const uint8_t dst_mac[6], const uint8_t src_mac[6],
		    uint16_t ethertype);

/*
 * A UDP/IPv4 frame of len bytes (at least 42), 192.0.2.1 -> 192.0.2.2,
 * ports 1024 + seed % 1024 -> 4789, payload pattern of seed, valid
 * checksums: the kit's frame for tests that only move frames. Returns
 * the length written.
 */
size_t tk_frame_udp4(uint8_t *buf, size_t len, const uint8_t dst_mac[6],
		     const uint8_t src_mac[6], uint32_t seed);

/* ---- Internet checksum (RFC 1071) ---- */

/* Add len bytes as big-endian 16-bit words (an odd last byte padded) to sum. */
uint32_t tk_csum_add(uint32_t sum, const void *p, size_t len);
/* Fold a sum to 16 bits (not complemented). */
uint16_t tk_csum_fold(uint32_t sum);

/* The checksum to store over len bytes: ~fold(sum). */
static inline uint16_t
tk_csum(const void *p, size_t len)
{
	return (uint16_t)~tk_csum_fold(tk_csum_add(0, p, len));
}

/*
 * The folded pseudo-header sum of the IPv4 or IPv6 header at ip (by its
 * version), with its protocol (IPv6: the fixed header's next header) and
 * l4_len; pass l4_len 0 for the sum without length that TSO expects.
 */
uint16_t tk_csum_pseudo(const uint8_t *ip, uint32_t l4_len);

/* True when the IPv4 header at ip (options included) has a valid checksum. */
bool tk_csum_ipv4_ok(const uint8_t *ip);

/*
 * True when the L4 checksum of frame f of len bytes verifies, with the IP
 * header at ip_off and L4 from l4_off to the end of the frame.
 */
bool tk_csum_l4_ok(const uint8_t *f, size_t len, size_t ip_off, size_t l4_off);

#endif /* _FBNIC_TK_FRAME_H_ */
