/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

#include <string.h>

#include "fbnic_tk_frame.h"

uint32_t
tk_csum_add(uint32_t sum, const void *p, size_t len)
{
	const uint8_t *b = p;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += tk_get16(b + i);
	if (len & 1)
		sum += (uint32_t)b[len - 1] << 8;
	return sum;
}

uint16_t
tk_csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

/* Pseudo-header sum from the addresses, protocol and L4 length. */
static uint16_t
tk_pseudo(bool v6, const uint8_t *src, const uint8_t *dst, uint8_t proto, uint32_t l4_len)
{
	size_t alen = v6 ? 16 : 4;
	uint32_t sum;

	sum = tk_csum_add(tk_csum_add(0, src, alen), dst, alen);
	sum += proto;
	sum += l4_len >> 16;
	sum += l4_len & 0xffff;
	return tk_csum_fold(sum);
}

uint16_t
tk_csum_pseudo(const uint8_t *ip, uint32_t l4_len)
{
	if ((ip[0] >> 4) == 4)
		return tk_pseudo(false, ip + 12, ip + 16, ip[9], l4_len);
	return tk_pseudo(true, ip + 8, ip + 24, ip[6], l4_len);
}

bool
tk_csum_ipv4_ok(const uint8_t *ip)
{
	return tk_csum_fold(tk_csum_add(0, ip, (size_t)(ip[0] & 0xf) * 4)) == 0xffff;
}

bool
tk_csum_l4_ok(const uint8_t *f, size_t len, size_t ip_off, size_t l4_off)
{
	uint32_t l4_len = (uint32_t)(len - l4_off);
	uint32_t sum = tk_csum_pseudo(f + ip_off, l4_len);

	return tk_csum_fold(tk_csum_add(sum, f + l4_off, l4_len)) == 0xffff;
}

void
tk_frame_init(struct tk_frame *fr, bool v6, uint8_t proto)
{
	static const uint8_t v6_net[4] = { 0x20, 0x01, 0x0d, 0xb8 };

	memset(fr, 0, sizeof(*fr));
	fr->dst_mac[0] = 0x02;
	fr->dst_mac[5] = 0x02;
	fr->src_mac[0] = 0x02;
	fr->src_mac[5] = 0x01;
	fr->v6 = v6;
	fr->proto = proto;
	if (v6) {
		memcpy(fr->src, v6_net, sizeof(v6_net));
		memcpy(fr->dst, v6_net, sizeof(v6_net));
		fr->src[15] = 1;
		fr->dst[15] = 2;
	} else {
		fr->src[0] = 192;
		fr->src[2] = 2;
		fr->src[3] = 1;
		fr->dst[0] = 192;
		fr->dst[2] = 2;
		fr->dst[3] = 2;
	}
	fr->sport = 40000;
	fr->dport = 5001;
}

static bool
tk_frame_is_ip(const struct tk_frame *fr)
{
	return fr->ethertype == 0 || fr->ethertype == TK_ETHERTYPE_IPV4 ||
	       fr->ethertype == TK_ETHERTYPE_IPV6;
}

static bool
tk_frame_v6(const struct tk_frame *fr)
{
	return fr->ethertype == 0 ? fr->v6 : fr->ethertype == TK_ETHERTYPE_IPV6;
}

static size_t
tk_frame_l4_hlen(const struct tk_frame *fr)
{
	if (!tk_frame_is_ip(fr))
		return 0;
	if (fr->proto == TK_PROTO_TCP)
		return TK_TCP_HLEN;
	return fr->proto == TK_PROTO_UDP ? TK_UDP_HLEN : 0;
}

size_t
tk_frame_l3_off(const struct tk_frame *fr)
{
	return TK_ETH_HLEN + (fr->vlan_tpid != 0 ? TK_VLAN_HLEN : 0);
}

size_t
tk_frame_ip_off(const struct tk_frame *fr)
{
	return tk_frame_l3_off(fr) + (tk_frame_is_ip(fr) && tk_frame_v6(fr) && fr->v6_in_v6 ?
				      TK_IPV6_HLEN : 0);
}

size_t
tk_frame_l4_off(const struct tk_frame *fr)
{
	if (!tk_frame_is_ip(fr))
		return tk_frame_l3_off(fr);
	return tk_frame_ip_off(fr) + (tk_frame_v6(fr) ? TK_IPV6_HLEN : TK_IPV4_HLEN) + fr->opt_len;
}

size_t
tk_frame_hdr_len(const struct tk_frame *fr)
{
	return tk_frame_l4_off(fr) + tk_frame_l4_hlen(fr);
}

/* The fixed IPv6 header: next is its next header, plen its payload length. */
static void
tk_put_ipv6(uint8_t *ip, const struct tk_frame *fr, const uint8_t *src, const uint8_t *dst,
	    uint8_t next, size_t plen)
{
	memset(ip, 0, TK_IPV6_HLEN);
	tk_put32(ip, 6u << 28 | (fr->flow_label & 0xfffff));
	tk_put16(ip + 4, (uint16_t)plen);
	ip[6] = next;
	ip[7] = fr->ttl != 0 ? fr->ttl : 64;
	memcpy(ip + 8, src, 16);
	memcpy(ip + 24, dst, 16);
}

size_t
tk_frame_build(uint8_t *buf, const struct tk_frame *fr, size_t payload_len)
{
	size_t l3 = tk_frame_l3_off(fr), ipo = tk_frame_ip_off(fr), l4o = tk_frame_l4_off(fr);
	size_t pay = tk_frame_hdr_len(fr), l4_len = pay - l4o + payload_len;
	bool v6 = tk_frame_v6(fr);
	uint8_t *ip = buf + ipo, *l4 = buf + l4o;
	size_t i;

	memcpy(buf, fr->dst_mac, 6);
	memcpy(buf + 6, fr->src_mac, 6);
	if (fr->vlan_tpid != 0) {
		tk_put16(buf + 12, fr->vlan_tpid);
		tk_put16(buf + 14, fr->vlan_tci);
	}
	tk_put16(buf + l3 - 2, fr->ethertype != 0 ? fr->ethertype :
			       v6 ? TK_ETHERTYPE_IPV6 : TK_ETHERTYPE_IPV4);
	if (!(fr->flags & TK_FRAME_KEEP_PAYLOAD)) {
		for (i = 0; i < payload_len; i++)
			buf[pay + i] = fr->payload != NULL ? fr->payload[i] :
							     tk_frame_pattern(fr->seed, i);
	}
	if (!tk_frame_is_ip(fr))
		return pay + payload_len;

	if (ipo != l3)
		tk_put_ipv6(buf + l3, fr, fr->outer_src, fr->outer_dst, TK_PROTO_IPV6,
			    pay + payload_len - ipo);
	if (v6) {
		/* A hop-by-hop header of opt_len bytes: next, length, PadN. */
		tk_put_ipv6(ip, fr, fr->src, fr->dst, fr->opt_len != 0 ? 0 : fr->proto,
			    l4_len + fr->opt_len);
		if (fr->opt_len != 0) {
			memset(ip + TK_IPV6_HLEN, 0, fr->opt_len);
			ip[TK_IPV6_HLEN] = fr->proto;
			ip[TK_IPV6_HLEN + 1] = (uint8_t)(fr->opt_len / 8 - 1);
			ip[TK_IPV6_HLEN + 2] = 1;
			ip[TK_IPV6_HLEN + 3] = (uint8_t)(fr->opt_len - 4);
		}
	} else {
		size_t hlen = TK_IPV4_HLEN + fr->opt_len;

		memset(ip, 0, TK_IPV4_HLEN);
		memset(ip + TK_IPV4_HLEN, 1, fr->opt_len);	/* NOP options */
		ip[0] = (uint8_t)(0x40 | hlen / 4);
		tk_put16(ip + 2, (uint16_t)(hlen + l4_len));
		tk_put16(ip + 4, fr->ip_id);
		tk_put16(ip + 6, fr->ip_frag);
		ip[8] = fr->ttl != 0 ? fr->ttl : 64;
		ip[9] = fr->proto;
		memcpy(ip + 12, fr->src, 4);
		memcpy(ip + 16, fr->dst, 4);
		if (!(fr->flags & TK_FRAME_NO_IP_CSUM))
			tk_put16(ip + 10, tk_csum(ip, hlen));
	}

	if (fr->proto == TK_PROTO_TCP) {
		memset(l4, 0, TK_TCP_HLEN);
		tk_put16(l4, fr->sport);
		tk_put16(l4 + 2, fr->dport);
		tk_put32(l4 + 4, fr->tcp_seq);
		tk_put32(l4 + 8, fr->tcp_ack);
		l4[12] = (TK_TCP_HLEN / 4) << 4;
		l4[13] = fr->tcp_flags;
		tk_put16(l4 + 14, fr->tcp_win);
	} else if (fr->proto == TK_PROTO_UDP) {
		memset(l4, 0, TK_UDP_HLEN);
		tk_put16(l4, fr->sport);
		tk_put16(l4 + 2, fr->dport);
		tk_put16(l4 + 4, (uint16_t)l4_len);
	} else {
		return pay + payload_len;
	}
	if (!(fr->flags & TK_FRAME_NO_L4_CSUM)) {
		uint32_t sum = tk_pseudo(v6, fr->src, fr->dst, fr->proto, (uint32_t)l4_len);
		uint16_t csum = (uint16_t)~tk_csum_fold(tk_csum_add(sum, l4, l4_len));

		/* UDP sends a zero sum as all ones: zero means none. */
		if (fr->proto == TK_PROTO_UDP && csum == 0)
			csum = 0xffff;
		tk_put16(l4 + (fr->proto == TK_PROTO_TCP ? 16 : 6), csum);
	}
	return pay + payload_len;
}

size_t
tk_frame_udp4(uint8_t *buf, size_t len, const uint8_t dst_mac[6], const uint8_t src_mac[6],
	      uint32_t seed)
{
	struct tk_frame fr;
	size_t hdr;

	tk_frame_init(&fr, false, TK_PROTO_UDP);
	memcpy(fr.dst_mac, dst_mac, 6);
	memcpy(fr.src_mac, src_mac, 6);
	fr.sport = (uint16_t)(1024 + seed % 1024);
	fr.dport = 4789;
	fr.seed = seed;
	hdr = tk_frame_hdr_len(&fr);
	return tk_frame_build(buf, &fr, len > hdr ? len - hdr : 0);
}

size_t
tk_frame_eth(uint8_t *buf, const uint8_t dst_mac[6], const uint8_t src_mac[6],
	     uint16_t ethertype)
{
	memcpy(buf, dst_mac, 6);
	memcpy(buf + 6, src_mac, 6);
	tk_put16(buf + 12, ethertype);
	return TK_ETH_HLEN;
}
