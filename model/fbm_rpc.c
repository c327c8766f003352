/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

/*
 * RX parser / classifier (RPC) of the fbnic model, fbnic_hw.rst 7.
 *
 * Every received frame is parsed (Ethernet, up to two VLAN tags, IPv4 with
 * options and fragments, IPv6 with extension headers, IPv6-in-IPv6, TCP,
 * UDP), its destination MAC and IP addresses are looked up in the MAC-DA and
 * IP TCAMs, the resulting indexes and flags form the action TCAM key (7.3),
 * the lowest matching action entry (or the _DEFAULT pair) decides drop,
 * destination, queue or RSS context, timestamping and the DMA hint, and the
 * Toeplitz hash over the fields chosen by ACT_TBL1 picks the RSS queue.
 *
 * Model choices where the hardware is not visible (inferred):
 * - Hash input order: IP src, IP dst, L4 src port, L4 dst port (standard
 *   Toeplitz, what Linux's ethtool "sdfn" means), then IPv6 flow label
 *   (inner, outer: 4 bytes each, label in bits 19:0), DSCP (1 byte), L3
 *   protocol (ethertype, 2 bytes), L4 protocol (1 byte), L2 DA (6 bytes).
 *   RSS_ENA_L4_RSS_BYTE is ignored. Fields absent from the frame are skipped.
 * - The RSS table is indexed by the low 8 bits of the hash.
 * - The single IP header of a non-tunnelled frame uses the IPSRC/IPDST TCAMs
 *   (as Linux's ntuple code expects); the OUTER TCAMs see the outer header of
 *   IPv6-in-IPv6 only. Bit 0 of the IPSRC/IPDST validate word must match the
 *   IP version of the frame.
 * - Fragments (IPv4 MF/offset, IPv6 fragment header) have no L4 fields.
 * - L2_CSUM is the 16-bit ones'-complement sum of every byte after the
 *   14-byte Ethernet header, in the byte order of a little-endian host: the
 *   value Linux stores in skb->csum for CHECKSUM_COMPLETE.
 */

#include <stdlib.h>
#include <string.h>

#include "fbm_internal.h"
#include "fbm_rpc.h"

#define FBM_RPC_ACT_KEY_WORDS	11	/* data words of an action entry (7.3) */
#define FBM_RPC_ACT_WORDS	(FBM_RPC_ACT_KEY_WORDS + 1)	/* + validate */
#define FBM_RPC_ACT_LANES	3	/* 64-bit lanes of four key words */
#define FBM_RPC_MACDA_WORDS	4
#define FBM_RPC_MACDA_ENTRIES	32
#define FBM_RPC_IP_WORDS	9
#define FBM_RPC_IP_ENTRIES	8
#define FBM_RPC_IP_TCAMS	4
#define FBM_RPC_IP_TCAM_WORDS	(FBM_RPC_IP_WORDS * FBM_RPC_IP_ENTRIES)
#define FBM_RPC_NUM_CNTRS	(FBNIC_RPC_CNTR_OVR_SIZE_ERR - FBNIC_RPC_CNTR_TCP_OPT_ERR + 1)
#define FBM_RPC_NUM_BINS	5

/* Longest Toeplitz input the model builds (every RSS_ENA field at once). */
#define FBM_RSS_INPUT_MAX	64

/* IP TCAMs in register order. */
enum {
	FBM_IPT_OUTER_SRC,
	FBM_IPT_OUTER_DST,
	FBM_IPT_SRC,
	FBM_IPT_DST,
};

/* RPC counters, in register order from FBNIC_RPC_CNTR_TCP_OPT_ERR. */
enum {
	FBM_RPC_CNT_TCP_OPT_ERR,
	FBM_RPC_CNT_UNKN_ETYPE,
	FBM_RPC_CNT_IPV4_FRAG,
	FBM_RPC_CNT_IPV6_FRAG,
	FBM_RPC_CNT_IPV4_ESP,
	FBM_RPC_CNT_IPV6_ESP,
	FBM_RPC_CNT_UNKN_EXT_HDR,
	FBM_RPC_CNT_OUT_OF_HDR,
	FBM_RPC_CNT_OVR_SIZE,
};

struct fbm_rpc_state {
	uint32_t rmi_config;
	uint32_t act_default[2];
	uint32_t rss_key[FBNIC_RPC_RSS_KEY_DWORD_LEN];
	uint32_t cntr[FBM_RPC_NUM_CNTRS];
	uint64_t rx_bins[FBM_RPC_NUM_BINS];

	uint32_t act_tbl[2][FBNIC_RPC_ACT_TBL_NUM_ENTRIES];
	uint32_t tcam_act[FBM_RPC_ACT_WORDS][FBNIC_RPC_ACT_TBL_NUM_ENTRIES];
	uint32_t tcam_macda[FBM_RPC_MACDA_WORDS][FBM_RPC_MACDA_ENTRIES];
	uint32_t tcam_ip[FBM_RPC_IP_TCAMS][FBM_RPC_IP_WORDS][FBM_RPC_IP_ENTRIES];
	uint32_t rss_tbl[FBNIC_RPC_RSS_TBL_COUNT][FBNIC_RPC_RSS_TBL_SIZE];

	/*
	 * Entries whose validate word has FBNIC_RPC_TCAM_VALIDATE set (bit e =
	 * entry e), updated on every validate word write: a lookup then visits
	 * the few programmed entries instead of testing all of them per frame.
	 */
	uint64_t act_valid;
	uint32_t macda_valid;
	uint8_t ip_valid[FBM_RPC_IP_TCAMS];

	/*
	 * The action entries again, as 64-bit lanes of four key words (word w
	 * in lane w / 4 at bit 16 * (w % 4)): the bits an entry compares and
	 * their values, kept in step with the TCAM words. An entry is then
	 * matched in three steps instead of eleven.
	 */
	uint64_t act_care[FBNIC_RPC_ACT_TBL_NUM_ENTRIES][FBM_RPC_ACT_LANES];
	uint64_t act_value[FBNIC_RPC_ACT_TBL_NUM_ENTRIES][FBM_RPC_ACT_LANES];

	/* Toeplitz contribution of byte value v at input position p. */
	bool key_dirty;
	uint32_t toeplitz[FBM_RSS_INPUT_MAX][256];
};

/* What the parser found in one frame. */
struct fbm_parse {
	uint16_t ethertype;
	uint8_t l3_type;
	uint8_t l4_type;
	bool ip_valid;			/* inner (or only) IP header */
	bool ip_v6;
	bool outer_valid;		/* outer IPv6 of IPv6-in-IPv6 */
	uint8_t src[16], dst[16];	/* IPv4 in bytes 12..15 */
	uint8_t osrc[16], odst[16];
	uint32_t fl_inner, fl_outer;
	uint8_t dscp;
	uint8_t l4_proto;
	bool l4_valid;			/* TCP or UDP header present */
	uint32_t l4_off, l4_len;	/* segment as the IP header sizes it */
	uint16_t sport, dport;
	bool err;
};

static void
rpc_count(uint32_t *cnt, unsigned int which)
{
	if (cnt != NULL)
		cnt[which]++;
}

/* ---- Parser ------------------------------------------------------------- */

/* Walk TCP options; false when one overruns the header. */
static bool
tcp_options_ok(const uint8_t *opt, uint32_t len)
{
	uint32_t i = 0;

	while (i < len) {
		uint8_t kind = opt[i];

		if (kind == 0)
			return true;
		if (kind == 1) {
			i++;
			continue;
		}
		if (i + 1 >= len || opt[i + 1] < 2 || i + opt[i + 1] > len)
			return false;
		i += opt[i + 1];
	}
	return true;
}

static void
parse_l4(const uint8_t *f, struct fbm_parse *p, uint8_t proto, uint32_t off, uint32_t seg,
	 uint32_t *cnt)
{
	p->l4_proto = proto;
	if (proto != 6 && proto != 17)
		return;
	if (seg < (proto == 6 ? 20u : 8u)) {
		rpc_count(cnt, FBM_RPC_CNT_OUT_OF_HDR);
		p->err = true;
		return;
	}
	if (proto == 6) {
		uint32_t doff = (uint32_t)(f[off + 12] >> 4) * 4;

		if (doff < 20 || doff > seg || !tcp_options_ok(f + off + 20, doff - 20)) {
			rpc_count(cnt, FBM_RPC_CNT_TCP_OPT_ERR);
			p->err = true;
		}
		p->l4_type = FBNIC_RCD_META_L4_TYPE_TCP;
	} else {
		p->l4_type = FBNIC_RCD_META_L4_TYPE_UDP;
	}
	p->l4_valid = true;
	p->l4_off = off;
	p->l4_len = seg;
	p->sport = fbm_get16(f + off);
	p->dport = fbm_get16(f + off + 2);
}

static void
parse_ipv4(const uint8_t *f, uint32_t len, uint32_t off, struct fbm_parse *p, uint32_t *cnt)
{
	uint32_t ihl, tot;
	uint16_t frag;

	if (len - off < 20 || (f[off] >> 4) != 4 || (f[off] & 0xf) < 5) {
		rpc_count(cnt, FBM_RPC_CNT_OUT_OF_HDR);
		p->err = true;
		return;
	}
	ihl = (uint32_t)(f[off] & 0xf) * 4;
	tot = fbm_get16(f + off + 2);
	if (ihl > len - off || tot < ihl || tot > len - off) {
		rpc_count(cnt, FBM_RPC_CNT_OUT_OF_HDR);
		p->err = true;
		return;
	}
	p->l3_type = FBNIC_RCD_META_L3_TYPE_IPV4;
	p->ip_valid = true;
	p->dscp = f[off + 1] >> 2;
	memcpy(p->src + 12, f + off + 12, 4);
	memcpy(p->dst + 12, f + off + 16, 4);
	p->l4_proto = f[off + 9];

	frag = fbm_get16(f + off + 6);
	if (frag & 0x3fff) {		/* MF or a fragment offset */
		rpc_count(cnt, FBM_RPC_CNT_IPV4_FRAG);
		return;
	}
	if (p->l4_proto == 50) {
		rpc_count(cnt, FBM_RPC_CNT_IPV4_ESP);
		return;
	}
	parse_l4(f, p, p->l4_proto, off + ihl, tot - ihl, cnt);
}

#define FBM_IPV6_MAX_EXT	8

static void
parse_ipv6(const uint8_t *f, uint32_t len, uint32_t off, struct fbm_parse *p, uint32_t *cnt,
	   bool inner)
{
	uint32_t end, cur, vtf, hl;
	unsigned int n;
	uint8_t nh;

	if (len - off < 40 || (f[off] >> 4) != 6) {
		rpc_count(cnt, FBM_RPC_CNT_OUT_OF_HDR);
		p->err = true;
		return;
	}
	end = off + 40 + fbm_get16(f + off + 4);
	if (end > len) {
		rpc_count(cnt, FBM_RPC_CNT_OUT_OF_HDR);
		p->err = true;
		return;
	}
	vtf = fbm_get32(f + off);
	p->l3_type = inner ? FBNIC_RCD_META_L3_TYPE_V6V6 : FBNIC_RCD_META_L3_TYPE_IPV6;
	p->ip_valid = true;
	p->ip_v6 = true;
	p->dscp = (uint8_t)((vtf >> 22) & 0x3f);
	p->fl_inner = vtf & 0xfffff;
	memcpy(p->src, f + off + 8, 16);
	memcpy(p->dst, f + off + 24, 16);

	nh = f[off + 6];
	cur = off + 40;
	for (n = 0; n <= FBM_IPV6_MAX_EXT; n++) {
		p->l4_proto = nh;
		switch (nh) {
		case 0:		/* hop-by-hop */
		case 43:	/* routing */
		case 60:	/* destination options */
		case 51:	/* authentication header */
			if (end - cur < 8) {
				rpc_count(cnt, FBM_RPC_CNT_OUT_OF_HDR);
				p->err = true;
				return;
			}
			hl = (uint32_t)f[cur + 1];
			hl = nh == 51 ? (hl + 2) * 4 : (hl + 1) * 8;
			if (hl > end - cur) {
				rpc_count(cnt, FBM_RPC_CNT_OUT_OF_HDR);
				p->err = true;
				return;
			}
			nh = f[cur];
			cur += hl;
			break;
		case 44:	/* fragment */
			if (end - cur < 8) {
				rpc_count(cnt, FBM_RPC_CNT_OUT_OF_HDR);
				p->err = true;
				return;
			}
			if (fbm_get16(f + cur + 2) & 0xfff9) {	/* offset or M */
				rpc_count(cnt, FBM_RPC_CNT_IPV6_FRAG);
				return;
			}
			nh = f[cur];
			cur += 8;
			break;
		case 50:
			rpc_count(cnt, FBM_RPC_CNT_IPV6_ESP);
			return;
		case 41:	/* IPv6 in IPv6: this header becomes the outer one */
			if (inner)
				return;
			memcpy(p->osrc, p->src, 16);
			memcpy(p->odst, p->dst, 16);
			p->fl_outer = p->fl_inner;
			p->fl_inner = 0;
			p->outer_valid = true;
			parse_ipv6(f, end, cur, p, cnt, true);
			return;
		case 135:	/* mobility */
		case 139:	/* HIP */
		case 140:	/* shim6 */
		case 253:
		case 254:	/* experimental */
			rpc_count(cnt, FBM_RPC_CNT_UNKN_EXT_HDR);
			return;
		default:
			parse_l4(f, p, nh, cur, end - cur, cnt);
			return;
		}
	}
	/* Too many extension headers for the parser. */
	rpc_count(cnt, FBM_RPC_CNT_OUT_OF_HDR);
	p->err = true;
}

static void
rpc_parse(const uint8_t *f, uint32_t len, struct fbm_parse *p, uint32_t *cnt)
{
	uint32_t off = 12;
	unsigned int tags;

	memset(p, 0, sizeof(*p));
	if (len < 14) {
		rpc_count(cnt, FBM_RPC_CNT_OUT_OF_HDR);
		p->err = true;
		return;
	}
	p->ethertype = fbm_get16(f + off);
	for (tags = 0; tags < 2; tags++) {
		if (p->ethertype != 0x8100 && p->ethertype != 0x88a8 && p->ethertype != 0x9100)
			break;
		if (len - off < 6) {
			rpc_count(cnt, FBM_RPC_CNT_OUT_OF_HDR);
			p->err = true;
			return;
		}
		off += 4;
		p->ethertype = fbm_get16(f + off);
	}
	off += 2;
	if (p->ethertype == 0x0800)
		parse_ipv4(f, len, off, p, cnt);
	else if (p->ethertype == 0x86dd)
		parse_ipv6(f, len, off, p, cnt, false);
	else
		rpc_count(cnt, FBM_RPC_CNT_UNKN_ETYPE);
}

/* ---- Checksums ---------------------------------------------------------- */

static uint16_t
csum_fold(uint64_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

/*
 * Folded ones'-complement sum of the 16-bit words of p[0, len) read in host
 * byte order, an odd last byte padded with a zero byte after it. A 32-bit
 * word is worth its two 16-bit halves (2^16 = 1 modulo 0xffff), so the
 * loop adds both halves of 8 bytes at a time into 64 bits: no carry is lost
 * for any length below 2^32 / 8 words.
 */
static uint16_t
csum_host(const uint8_t *p, uint32_t len)
{
	uint8_t last[2] = { 0, 0 };
	uint64_t sum = 0, w8;
	uint32_t i = 0, w4;
	uint16_t w2;

	for (; len - i >= 8; i += 8) {
		memcpy(&w8, p + i, 8);
		sum += (w8 & UINT32_MAX) + (w8 >> 32);
	}
	if (len - i >= 4) {
		memcpy(&w4, p + i, 4);
		sum += w4;
		i += 4;
	}
	if (len - i >= 2) {
		memcpy(&w2, p + i, 2);
		sum += w2;
		i += 2;
	}
	if (i < len) {
		last[0] = p[i];
		memcpy(&w2, last, 2);
		sum += w2;
	}
	return csum_fold(sum);
}

/*
 * The same sum over big-endian words: the ones'-complement sum commutes
 * with swapping the bytes of every word (RFC 1071), and a folded sum is 0
 * only for all-zero data in either order.
 */
static uint16_t
csum_be(const uint8_t *p, uint32_t len)
{
	uint16_t sum = csum_host(p, len);

#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	sum = (uint16_t)((sum >> 8) | (sum << 8));
#endif
	return sum;
}

static bool
l4_csum_ok(const uint8_t *f, const struct fbm_parse *p)
{
	uint64_t sum = 0;

	if (!p->l4_valid || p->err)
		return false;
	if (p->l4_type == FBNIC_RCD_META_L4_TYPE_UDP && fbm_get16(f + p->l4_off + 6) == 0)
		return false;		/* no checksum (IPv4) or invalid (IPv6) */
	/* Adding folded partial sums gives the fold of the whole sum. */
	if (p->ip_v6) {
		sum += csum_be(p->src, 16);
		sum += csum_be(p->dst, 16);
	} else {
		sum += csum_be(p->src + 12, 4);
		sum += csum_be(p->dst + 12, 4);
	}
	sum += p->l4_proto;
	sum += p->l4_len;
	sum += csum_be(f + p->l4_off, p->l4_len);
	return csum_fold(sum) == 0xffff;
}

/* L2_CSUM (see the top of the file): the big-endian sum, byte swapped. */
static uint16_t
l2_csum(const uint8_t *f, uint32_t len)
{
	uint16_t be;

	if (len <= 14)
		return 0;
	be = csum_be(f + 14, len - 14);
	return (uint16_t)((be >> 8) | (be << 8));
}

/* ---- RSS ---------------------------------------------------------------- */

/* Bit i of the key stream; bits past the 425th are zero. */
static inline uint32_t
key_bit(const uint32_t *key, unsigned int i)
{
	if (i >= FBNIC_RPC_RSS_KEY_BIT_LEN)
		return 0;
	return (key[i / 32] >> (31 - i % 32)) & 1;
}

static void
rss_build_table(struct fbm_rpc_state *rpc)
{
	uint32_t win[8];
	unsigned int p, b, j, v;

	for (p = 0; p < FBM_RSS_INPUT_MAX; p++) {
		for (b = 0; b < 8; b++) {
			uint32_t w = 0;

			for (j = 0; j < 32; j++)
				w = (w << 1) | key_bit(rpc->rss_key, p * 8 + b + j);
			win[b] = w;
		}
		rpc->toeplitz[p][0] = 0;
		for (v = 1; v < 256; v++) {
			unsigned int low = (unsigned int)__builtin_ctz(v);

			/* Input bit 7 (MSB) of a byte is the earliest stream bit. */
			rpc->toeplitz[p][v] = rpc->toeplitz[p][v & (v - 1)] ^ win[7 - low];
		}
	}
	rpc->key_dirty = false;
}

static uint32_t
rss_hash(struct fbm_rpc_state *rpc, const uint8_t *in, size_t len)
{
	uint32_t h = 0;
	size_t i;

	if (rpc->key_dirty)
		rss_build_table(rpc);
	if (len > FBM_RSS_INPUT_MAX)
		len = FBM_RSS_INPUT_MAX;
	/* Four independent lookups per round rather than one chain. */
	for (i = 0; i + 4 <= len; i += 4)
		h ^= rpc->toeplitz[i][in[i]] ^ rpc->toeplitz[i + 1][in[i + 1]] ^
		     rpc->toeplitz[i + 2][in[i + 2]] ^ rpc->toeplitz[i + 3][in[i + 3]];
	for (; i < len; i++)
		h ^= rpc->toeplitz[i][in[i]];
	return h;
}

static size_t
put_bytes(uint8_t *out, size_t n, const void *src, size_t len)
{
	if (n + len > FBM_RSS_INPUT_MAX)
		return n;
	memcpy(out + n, src, len);
	return n + len;
}

static size_t
put_be(uint8_t *out, size_t n, uint32_t v, size_t len)
{
	uint8_t b[4];
	size_t i;

	for (i = 0; i < len; i++)
		b[i] = (uint8_t)(v >> (8 * (len - 1 - i)));
	return put_bytes(out, n, b, len);
}

static size_t
rss_input(const uint8_t *f, uint32_t len, const struct fbm_parse *p, uint32_t en, uint8_t *out)
{
	size_t alen = p->ip_v6 ? 16 : 4;
	size_t aoff = p->ip_v6 ? 0 : 12;
	size_t n = 0;

	if (p->ip_valid && (en & FBNIC_RPC_ACT_TBL1_RSS_ENA_IP_SRC))
		n = put_bytes(out, n, p->src + aoff, alen);
	if (p->ip_valid && (en & FBNIC_RPC_ACT_TBL1_RSS_ENA_IP_DST))
		n = put_bytes(out, n, p->dst + aoff, alen);
	if (p->l4_valid && (en & FBNIC_RPC_ACT_TBL1_RSS_ENA_L4_SRC))
		n = put_be(out, n, p->sport, 2);
	if (p->l4_valid && (en & FBNIC_RPC_ACT_TBL1_RSS_ENA_L4_DST))
		n = put_be(out, n, p->dport, 2);
	if (p->ip_v6 && (en & FBNIC_RPC_ACT_TBL1_RSS_ENA_IV6_FL_LBL))
		n = put_be(out, n, p->fl_inner, 4);
	if (p->outer_valid && (en & FBNIC_RPC_ACT_TBL1_RSS_ENA_OV6_FL_LBL))
		n = put_be(out, n, p->fl_outer, 4);
	if (p->ip_valid && (en & FBNIC_RPC_ACT_TBL1_RSS_ENA_DSCP))
		n = put_be(out, n, p->dscp, 1);
	if (len >= 14 && (en & FBNIC_RPC_ACT_TBL1_RSS_ENA_L3_PROT))
		n = put_be(out, n, p->ethertype, 2);
	if (p->ip_valid && (en & FBNIC_RPC_ACT_TBL1_RSS_ENA_L4_PROT))
		n = put_be(out, n, p->l4_proto, 1);
	if (len >= 14 && (en & FBNIC_RPC_ACT_TBL1_RSS_ENA_L2_DA))
		n = put_bytes(out, n, f, 6);
	return n;
}

/* ---- TCAM lookups ------------------------------------------------------- */

static inline bool
tcam_word_match(uint32_t reg, uint16_t key)
{
	uint16_t value = (uint16_t)(reg & 0xffff);
	uint16_t dont_care = (uint16_t)(reg >> 16);

	return ((key ^ value) & (uint16_t)~dont_care) == 0;
}

/* Lowest entry of a valid-entry bitmap, which must not be 0. */
static inline unsigned int
first_entry(uint64_t valid)
{
	return (unsigned int)__builtin_ctzll(valid);
}

/* Index of the first matching MAC-DA entry, or -1. */
static int
macda_lookup(const struct fbm_rpc_state *rpc, const uint8_t *da)
{
	uint16_t key[3] = { fbm_get16(da + 4), fbm_get16(da + 2), fbm_get16(da) };
	uint64_t left;
	unsigned int e, w;

	for (left = rpc->macda_valid; left != 0; left &= left - 1) {
		e = first_entry(left);
		for (w = 0; w < 3; w++)
			if (!tcam_word_match(rpc->tcam_macda[w][e], key[w]))
				break;
		if (w == 3)
			return (int)e;
	}
	return -1;
}

static int
ip_lookup(const struct fbm_rpc_state *rpc, unsigned int t, const uint8_t *addr, bool v6,
	  bool check_version)
{
	uint64_t left;
	unsigned int e, w;

	for (left = rpc->ip_valid[t]; left != 0; left &= left - 1) {
		uint32_t vw;

		e = first_entry(left);
		vw = rpc->tcam_ip[t][8][e];
		if (check_version && (bool)(vw & 1) != v6)
			continue;
		for (w = 0; w < 8; w++)
			if (!tcam_word_match(rpc->tcam_ip[t][w][e], fbm_get16(addr + 14 - 2 * w)))
				break;
		if (w == 8)
			return (int)e;
	}
	return -1;
}

/* Index of the first matching action entry, or -1. */
static int
act_lookup(const struct fbm_rpc_state *rpc, const uint64_t *lane)
{
	const uint64_t *care, *value;
	uint64_t left;

	for (left = rpc->act_valid; left != 0; left &= left - 1) {
		unsigned int e = first_entry(left);

		care = rpc->act_care[e];
		value = rpc->act_value[e];
		/* Entries mostly differ in the flags and TCAM hits of lane 0. */
		if (((lane[0] & care[0]) ^ value[0]) != 0)
			continue;
		if ((((lane[1] & care[1]) ^ value[1]) | ((lane[2] & care[2]) ^ value[2])) == 0)
			return (int)e;
	}
	return -1;
}

static uint16_t
ip_key_bits(int idx, unsigned int shift)
{
	if (idx < 0)
		return 0;
	return (uint16_t)(((unsigned int)idx | 8u) << shift);	/* index + hit bit */
}

/* Put key word w of the action key in its lane (see act_care). */
static inline void
act_key_put(uint64_t *lane, unsigned int w, uint16_t v)
{
	lane[w / 4] |= (uint64_t)v << (16 * (w % 4));
}

/* The action TCAM key (7.3) of a frame, as lanes. */
static void
build_act_key(const struct fbm_rpc_state *rpc, const uint8_t *f, uint32_t len,
	      const struct fbm_parse *p, uint64_t *lane)
{
	int da = len >= 14 ? macda_lookup(rpc, f) : -1;
	uint16_t key[2] = { 0, 0 };

	memset(lane, 0, sizeof(uint64_t) * FBM_RPC_ACT_LANES);
	if (p->ip_valid) {
		key[0] |= ip_key_bits(ip_lookup(rpc, FBM_IPT_SRC, p->src, p->ip_v6, true), 0);
		key[0] |= ip_key_bits(ip_lookup(rpc, FBM_IPT_DST, p->dst, p->ip_v6, true), 4);
	}
	if (p->outer_valid) {
		key[0] |= ip_key_bits(ip_lookup(rpc, FBM_IPT_OUTER_SRC, p->osrc, true, false), 8);
		key[0] |= ip_key_bits(ip_lookup(rpc, FBM_IPT_OUTER_DST, p->odst, true, false), 12);
	}
	if (da >= 0)
		key[1] |= (uint16_t)(((unsigned int)da << 5) | (1u << 10));
	if (p->ip_valid && p->ip_v6)
		key[1] |= 1u << 11;
	if (p->ip_valid)
		key[1] |= 1u << 12;
	if (p->outer_valid)
		key[1] |= 1u << 13;
	if (p->l4_valid) {
		if (p->l4_type == FBNIC_RCD_META_L4_TYPE_UDP)
			key[1] |= 1u << 14;
		key[1] |= 1u << 15;
		act_key_put(lane, 3, p->sport);
		act_key_put(lane, 4, p->dport);
	}
	act_key_put(lane, 0, key[0]);
	act_key_put(lane, 1, key[1]);
}

/* ---- Classification ----------------------------------------------------- */

int
fbm_rpc_classify(struct fbm_dev *dev, const uint8_t *frame, uint32_t len,
		 struct fbm_rx_meta *meta)
{
	struct fbm_rpc_state *rpc = dev->rpc;
	uint8_t in[FBM_RSS_INPUT_MAX];
	uint64_t key[FBM_RPC_ACT_LANES];
	struct fbm_parse p;
	uint32_t act0, act1, mtu, dest;
	size_t n;
	int e;

	memset(meta, 0, sizeof(*meta));
	if (rpc == NULL || frame == NULL)
		return -ENETDOWN;
	if (!(rpc->rmi_config & FBNIC_RPC_RMI_CONFIG_ENABLE)) {
		meta->drop = true;
		return -ENETDOWN;
	}
	mtu = (uint32_t)FBNIC_FIELD_GET(FBNIC_RPC_RMI_CONFIG_MTU, rpc->rmi_config);
	if (mtu != 0 && len > mtu) {
		rpc->cntr[FBM_RPC_CNT_OVR_SIZE]++;
		meta->drop = true;
		return -EMSGSIZE;
	}

	rpc_parse(frame, len, &p, rpc->cntr);
	/* The MAC-DA and IP lookups only feed the action key. */
	e = -1;
	if (rpc->act_valid != 0) {
		build_act_key(rpc, frame, len, &p, key);
		e = act_lookup(rpc, key);
	}
	if (e >= 0) {
		act0 = rpc->act_tbl[0][e];
		act1 = rpc->act_tbl[1][e];
	} else {
		act0 = rpc->act_default[0];
		act1 = rpc->act_default[1];
	}

	meta->l3_type = p.l3_type;
	meta->l4_type = p.l4_type;
	meta->parser_err = p.err;
	meta->l4_csum_ok = l4_csum_ok(frame, &p);
	meta->l2_csum = l2_csum(frame, len);
	meta->dma_hint = (uint8_t)(FBNIC_FIELD_GET(FBNIC_RPC_ACT_TBL0_DMA_HINT, act0) & 0x3f);
	if (e >= 0 && (act0 & FBNIC_RPC_ACT_TBL0_ACT_TBL_IDX)) {
		meta->act_valid = true;
		meta->act_idx = (uint8_t)e;
	}

	/* With no field selected the hash input is empty: hash 0 (meta is zeroed). */
	if (act1 & FBNIC_RPC_ACT_TBL1_RSS_ENA_MASK) {
		n = rss_input(frame, len, &p, act1 & FBNIC_RPC_ACT_TBL1_RSS_ENA_MASK, in);
		meta->rss_hash = rss_hash(rpc, in, n);
	}
	if (act0 & FBNIC_RPC_ACT_TBL0_Q_SEL) {
		meta->queue = (uint16_t)FBNIC_FIELD_GET(FBNIC_RPC_ACT_TBL0_Q_ID, act0);
	} else {
		unsigned int t = (act0 & FBNIC_RPC_ACT_TBL0_RSS_CTXT_ID) ? 1 : 0;

		meta->queue = (uint16_t)(rpc->rss_tbl[t][meta->rss_hash & 0xff] & 0xff);
	}

	dest = (uint32_t)FBNIC_FIELD_GET(FBNIC_RPC_ACT_TBL0_DEST_MASK, act0);
	meta->to_bmc = (dest & FBNIC_RPC_ACT_TBL0_DEST_BMC) != 0;
	if ((act0 & FBNIC_RPC_ACT_TBL0_DROP) || dest == 0) {
		meta->drop = true;
		return -EPERM;
	}
	if (!(dest & FBNIC_RPC_ACT_TBL0_DEST_HOST)) {
		meta->drop = true;
		return -EXDEV;
	}
	if (act0 & FBNIC_RPC_ACT_TBL0_TS_ENA) {
		meta->ts_valid = true;
		meta->ts = fbm_ptp_stamp(dev, false, len);
	}
	return 0;
}

void
fbm_rpc_count_rx_bins(struct fbm_dev *dev, uint32_t frame_len)
{
	static const uint32_t lower[FBM_RPC_NUM_BINS] = { 1519, 2048, 4096, 8192, 9217 };
	struct fbm_rpc_state *rpc = dev->rpc;
	int i;

	/* Most frames are below the first bin: one test for them. */
	if (rpc == NULL || frame_len < lower[0])
		return;
	for (i = FBM_RPC_NUM_BINS - 1; i >= 0; i--) {
		if (frame_len >= lower[i]) {
			fbm_cnt_add(&rpc->rx_bins[i], 1);
			return;
		}
	}
}

/* ---- Register interface ------------------------------------------------- */

static void
set_valid_bit(uint64_t *bits, unsigned int e, uint32_t validate_word)
{
	if (validate_word & FBNIC_RPC_TCAM_VALIDATE)
		*bits |= 1ull << e;
	else
		*bits &= ~(1ull << e);
}

/* Mirror a write to an action TCAM key word in the entry's lanes. */
static void
act_lane_set(struct fbm_rpc_state *rpc, unsigned int e, unsigned int w, uint32_t reg)
{
	unsigned int shift = 16 * (w % 4);
	uint64_t care = (uint16_t)~(reg >> 16);
	uint64_t keep = ~((uint64_t)0xffff << shift);

	rpc->act_care[e][w / 4] = (rpc->act_care[e][w / 4] & keep) | care << shift;
	rpc->act_value[e][w / 4] = (rpc->act_value[e][w / 4] & keep) | (reg & care) << shift;
}

/* Mirror a TCAM write in the valid-entry bitmaps and the action lanes. */
static void
tcam_note_write(struct fbm_rpc_state *rpc, uint32_t idx, uint32_t val)
{
	uint32_t off, t;
	uint64_t bits;

	if (idx >= FBNIC_RPC_TCAM_ACT(0, 0) && idx < FBNIC_RPC_TCAM_ACT(0, FBM_RPC_ACT_KEY_WORDS)) {
		off = idx - FBNIC_RPC_TCAM_ACT(0, 0);
		act_lane_set(rpc, off % FBNIC_RPC_ACT_TBL_NUM_ENTRIES,
			     off / FBNIC_RPC_ACT_TBL_NUM_ENTRIES, val);
	} else if (idx >= FBNIC_RPC_TCAM_ACT(0, FBM_RPC_ACT_KEY_WORDS) &&
	    idx < FBNIC_RPC_TCAM_MACDA(0, 0)) {
		set_valid_bit(&rpc->act_valid, idx - FBNIC_RPC_TCAM_ACT(0, FBM_RPC_ACT_KEY_WORDS),
			      val);
	} else if (idx >= FBNIC_RPC_TCAM_MACDA(0, FBM_RPC_MACDA_WORDS - 1) &&
		   idx < FBNIC_RPC_TCAM_OUTER_IPSRC(0, 0)) {
		bits = rpc->macda_valid;
		set_valid_bit(&bits, idx - FBNIC_RPC_TCAM_MACDA(0, FBM_RPC_MACDA_WORDS - 1), val);
		rpc->macda_valid = (uint32_t)bits;
	} else if (idx >= FBNIC_RPC_TCAM_OUTER_IPSRC(0, 0) && idx < FBNIC_RPC_RSS_TBL(0, 0)) {
		/* Four TCAMs of 9 words (8 address words, validate) x 8 entries. */
		off = idx - FBNIC_RPC_TCAM_OUTER_IPSRC(0, 0);
		t = off / FBM_RPC_IP_TCAM_WORDS;
		off %= FBM_RPC_IP_TCAM_WORDS;
		if (off / FBM_RPC_IP_ENTRIES != FBM_RPC_IP_WORDS - 1)
			return;		/* an address word */
		bits = rpc->ip_valid[t];
		set_valid_bit(&bits, off % FBM_RPC_IP_ENTRIES, val);
		rpc->ip_valid[t] = (uint8_t)bits;
	}
}

/* Locate a RPC_RAM register; false if idx is not one. */
static uint32_t *
rpc_ram_reg(struct fbm_rpc_state *rpc, uint32_t idx)
{
	uint32_t off;

	if (idx >= FBNIC_RPC_ACT_TBL0(0) && idx < FBNIC_RPC_TCAM_ACT(0, 0)) {
		off = idx - FBNIC_RPC_ACT_TBL0(0);
		return &rpc->act_tbl[off / 64][off % 64];
	}
	if (idx >= FBNIC_RPC_TCAM_ACT(0, 0) && idx < FBNIC_RPC_TCAM_MACDA(0, 0)) {
		off = idx - FBNIC_RPC_TCAM_ACT(0, 0);
		return &rpc->tcam_act[off / 64][off % 64];
	}
	if (idx >= FBNIC_RPC_TCAM_MACDA(0, 0) && idx < FBNIC_RPC_TCAM_OUTER_IPSRC(0, 0)) {
		off = idx - FBNIC_RPC_TCAM_MACDA(0, 0);
		return &rpc->tcam_macda[off / 32][off % 32];
	}
	if (idx >= FBNIC_RPC_TCAM_OUTER_IPSRC(0, 0) && idx < FBNIC_RPC_RSS_TBL(0, 0)) {
		off = idx - FBNIC_RPC_TCAM_OUTER_IPSRC(0, 0);
		return &rpc->tcam_ip[off / 72][off % 72 / 8][off % 8];
	}
	if (idx >= FBNIC_RPC_RSS_TBL(0, 0) && idx <= FBNIC_CSR_END_RPC_RAM) {
		off = idx - FBNIC_RPC_RSS_TBL(0, 0);
		return &rpc->rss_tbl[off / 256][off % 256];
	}
	return NULL;
}

int
fbm_rpc_init(struct fbm_dev *dev)
{
	dev->rpc = calloc(1, sizeof(*dev->rpc));
	if (dev->rpc == NULL)
		return -ENOMEM;
	fbm_rpc_reset(dev);
	return 0;
}

void
fbm_rpc_fini(struct fbm_dev *dev)
{
	free(dev->rpc);
	dev->rpc = NULL;
}

void
fbm_rpc_reset(struct fbm_dev *dev)
{
	struct fbm_rpc_state *rpc = dev->rpc;

	if (rpc == NULL)
		return;
	memset(rpc, 0, offsetof(struct fbm_rpc_state, toeplitz));
	/* TCAM words of 0 compare every bit with 0. */
	memset(rpc->act_care, 0xff, sizeof(rpc->act_care));
	rpc->key_dirty = true;
}

bool
fbm_rpc_read(struct fbm_dev *dev, unsigned int bar, uint32_t idx, uint32_t *val)
{
	struct fbm_rpc_state *rpc = dev->rpc;
	uint32_t *reg;

	if (bar != 0 || rpc == NULL)
		return false;
	if (idx == FBNIC_RPC_RMI_CONFIG) {
		*val = rpc->rmi_config;
	} else if (idx == FBNIC_RPC_ACT_TBL0_DEFAULT || idx == FBNIC_RPC_ACT_TBL1_DEFAULT) {
		*val = rpc->act_default[idx - FBNIC_RPC_ACT_TBL0_DEFAULT];
	} else if (idx >= FBNIC_RPC_RSS_KEY(0) &&
		   idx <= FBNIC_RPC_RSS_KEY(FBNIC_RPC_RSS_KEY_LAST_IDX)) {
		*val = rpc->rss_key[idx - FBNIC_RPC_RSS_KEY(0)];
	} else if (idx >= FBNIC_RPC_CNTR_TCP_OPT_ERR && idx <= FBNIC_RPC_CNTR_OVR_SIZE_ERR) {
		*val = rpc->cntr[idx - FBNIC_RPC_CNTR_TCP_OPT_ERR];
	} else if (idx >= FBNIC_RPC_STAT_RX_PACKET_1519_2047_BYTES_L &&
		   idx <= FBNIC_RPC_STAT_RX_PACKET_9217_MAX_BYTES_H) {
		uint32_t off = idx - FBNIC_RPC_STAT_RX_PACKET_1519_2047_BYTES_L;

		*val = fbm_cnt_half(&rpc->rx_bins[off / 2], off % 2);
	} else {
		reg = rpc_ram_reg(rpc, idx);
		if (reg == NULL)
			return false;
		*val = *reg;
	}
	return true;
}

bool
fbm_rpc_write(struct fbm_dev *dev, unsigned int bar, uint32_t idx, uint32_t val)
{
	struct fbm_rpc_state *rpc = dev->rpc;
	uint32_t *reg;

	if (bar != 0 || rpc == NULL)
		return false;
	if (idx == FBNIC_RPC_RMI_CONFIG) {
		rpc->rmi_config = val;
	} else if (idx == FBNIC_RPC_ACT_TBL0_DEFAULT || idx == FBNIC_RPC_ACT_TBL1_DEFAULT) {
		rpc->act_default[idx - FBNIC_RPC_ACT_TBL0_DEFAULT] = val;
	} else if (idx >= FBNIC_RPC_RSS_KEY(0) &&
		   idx <= FBNIC_RPC_RSS_KEY(FBNIC_RPC_RSS_KEY_LAST_IDX)) {
		/* The last word holds only the top bits of the 425-bit key. */
		if (idx == FBNIC_RPC_RSS_KEY(FBNIC_RPC_RSS_KEY_LAST_IDX))
			val &= FBNIC_RPC_RSS_KEY_LAST_MASK;
		rpc->rss_key[idx - FBNIC_RPC_RSS_KEY(0)] = val;
		rpc->key_dirty = true;
	} else if ((idx >= FBNIC_RPC_CNTR_TCP_OPT_ERR && idx <= FBNIC_RPC_CNTR_OVR_SIZE_ERR) ||
		   (idx >= FBNIC_RPC_STAT_RX_PACKET_1519_2047_BYTES_L &&
		    idx <= FBNIC_RPC_STAT_RX_PACKET_9217_MAX_BYTES_H)) {
		/* Counters are read only. */
	} else {
		reg = rpc_ram_reg(rpc, idx);
		if (reg == NULL)
			return false;
		*reg = val;
		tcam_note_write(rpc, idx, val);
	}
	return true;
}

void
fbm_rpc_poll(struct fbm_dev *dev, uint64_t now_ns)
{
	(void)dev;
	(void)now_ns;
}
