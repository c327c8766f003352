/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

/*
 * The test kit's own references against published values: the Toeplitz
 * hash against Microsoft's RSS verification vectors, the Internet checksum
 * against a worked IPv4 header, and the frame builder's layout and sums.
 */

#include <string.h>

#include "fbnic_tk.h"
#include "fbnic_tk_frame.h"
#include "fbnic_tk_toeplitz.h"

/* Microsoft's RSS verification suite, IPv4 and IPv6, with and without ports. */
static int
test_toeplitz_matches_published_vectors(void)
{
	uint8_t in[36];
	unsigned int i;

	for (i = 0; i < TK_RSS_MS_VECTORS; i++) {
		const struct tk_rss_vector *v = &tk_rss_ms_vectors[i];
		struct tk_frame fr;
		size_t n;

		tk_rss_vector_frame(v, &fr);
		n = tk_toeplitz_input(&fr, true, in);
		TEST_CHECK_EQUAL(n, v->v6 ? 36 : 12, "vector %u", i);
		TEST_CHECK_EQUAL(tk_toeplitz(tk_rss_ms_key, 320, in, n), v->hash_l4, "vector %u",
				 i);
		n = tk_toeplitz_input(&fr, false, in);
		TEST_CHECK_EQUAL(tk_toeplitz(tk_rss_ms_key, 320, in, n), v->hash_l3, "vector %u",
				 i);
	}
	return TEST_SUCCESS;
}

/* Key bits past key_bits count as zero, whatever the bytes hold. */
static int
test_toeplitz_ignores_key_bits_past_the_key(void)
{
	uint8_t key[8], in[4] = { 0, 0, 0, 1 };

	memset(key, 0xff, sizeof(key));
	/* The last input bit (31) sees key bits 31..62. */
	TEST_CHECK_EQUAL(tk_toeplitz(key, 64, in, 4), 0xffffffff);
	TEST_CHECK_EQUAL(tk_toeplitz(key, 40, in, 4), 0xff800000);
	TEST_CHECK_EQUAL(tk_toeplitz(key, 31, in, 4), 0);
	return TEST_SUCCESS;
}

/* The IPv4 header checksum of a worked example (192.168.0.1 -> 192.168.0.199). */
static int
test_csum_of_a_known_ipv4_header(void)
{
	uint8_t ip[20] = { 0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11,
			   0x00, 0x00, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7 };

	TEST_CHECK_EQUAL(tk_csum(ip, sizeof(ip)), 0xb861);
	TEST_CHECK(!tk_csum_ipv4_ok(ip));
	tk_put16(ip + 10, 0xb861);
	TEST_CHECK(tk_csum_ipv4_ok(ip));
	/* An odd length pads the last byte. */
	TEST_CHECK_EQUAL(tk_csum_add(0, "\x01\x02\x03", 3), 0x0402);
	TEST_CHECK_EQUAL(tk_csum_fold(0x2fffd), 0xffff);
	return TEST_SUCCESS;
}

/* Every layout the builder knows, with its offsets and valid sums. */
static int
test_frame_layouts_and_checksums(void)
{
	static const struct {
		bool v6, vlan, tunnel;
		uint8_t proto, opt;
		size_t ip_off, l4_off, hdr_len;
	} c[] = {
		{ false, false, false, TK_PROTO_TCP, 0, 14, 34, 54 },
		{ false, false, false, TK_PROTO_UDP, 0, 14, 34, 42 },
		{ true, false, false, TK_PROTO_TCP, 0, 14, 54, 74 },
		{ true, false, false, TK_PROTO_UDP, 0, 14, 54, 62 },
		{ false, true, false, TK_PROTO_TCP, 0, 18, 38, 58 },
		{ false, false, false, TK_PROTO_TCP, 8, 14, 42, 62 },
		{ true, false, false, TK_PROTO_TCP, 8, 14, 62, 82 },
		{ true, false, true, TK_PROTO_TCP, 0, 54, 94, 114 },
		{ true, true, true, TK_PROTO_UDP, 0, 58, 98, 106 },
		{ false, false, false, 1, 0, 14, 34, 34 },
	};
	static const uint8_t mac[6] = { 0x02, 0, 0, 0, 0, 0x07 };
	uint8_t f[2048];
	unsigned int i;

	for (i = 0; i < TK_DIM(c); i++) {
		struct tk_frame fr;
		size_t len, ip;

		tk_frame_init(&fr, c[i].v6, c[i].proto);
		fr.vlan_tpid = c[i].vlan ? TK_ETHERTYPE_VLAN : 0;
		fr.vlan_tci = 100;
		fr.v6_in_v6 = c[i].tunnel;
		fr.opt_len = c[i].opt;
		fr.seed = i;
		len = tk_frame_build(f, &fr, 100 + i);
		ip = tk_frame_ip_off(&fr);
		TEST_CHECK_EQUAL(ip, c[i].ip_off, "case %u", i);
		TEST_CHECK_EQUAL(tk_frame_l4_off(&fr), c[i].l4_off, "case %u", i);
		TEST_CHECK_EQUAL(tk_frame_hdr_len(&fr), c[i].hdr_len, "case %u", i);
		TEST_CHECK_EQUAL(len, c[i].hdr_len + 100 + i, "case %u", i);
		TEST_CHECK_EQUAL(f[len - 1], tk_frame_pattern(i, 99 + i), "case %u", i);
		TEST_CHECK_EQUAL(tk_get16(f + tk_frame_l3_off(&fr) - 2),
				 c[i].v6 ? TK_ETHERTYPE_IPV6 : TK_ETHERTYPE_IPV4, "case %u", i);
		if (!c[i].v6)
			TEST_CHECK(tk_csum_ipv4_ok(f + ip), "case %u", i);
		if (c[i].proto == TK_PROTO_TCP || c[i].proto == TK_PROTO_UDP) {
			if (c[i].opt == 0 || !c[i].v6)
				TEST_CHECK(tk_csum_l4_ok(f, len, ip, c[i].l4_off), "case %u", i);
			TEST_CHECK_EQUAL(tk_get16(f + c[i].l4_off), 40000, "case %u", i);
		}
	}
	/* The quick UDP frame has the asked length and valid sums. */
	TEST_CHECK_EQUAL(tk_frame_udp4(f, 300, mac, mac, 7), 300);
	TEST_CHECK(tk_csum_ipv4_ok(f + 14));
	TEST_CHECK(tk_csum_l4_ok(f, 300, 14, 34));
	TEST_CHECK_EQUAL(tk_get16(f + 34), 1031);
	TEST_CHECK_EQUAL(tk_frame_udp4(f, 10, mac, mac, 7), 42);
	/* A raw header leaves what follows alone. */
	memset(f, 0xa5, 20);
	TEST_CHECK_EQUAL(tk_frame_eth(f, mac, mac, 0x88b5), TK_ETH_HLEN);
	TEST_CHECK_EQUAL(tk_get16(f + 12), 0x88b5);
	TEST_CHECK_EQUAL(f[5], 0x07);
	TEST_CHECK_EQUAL(f[14], 0xa5);
	return TEST_SUCCESS;
}

int
main(void)
{
	TK_RUN(test_toeplitz_matches_published_vectors);
	TK_RUN(test_toeplitz_ignores_key_bits_past_the_key);
	TK_RUN(test_csum_of_a_known_ipv4_header);
	TK_RUN(test_frame_layouts_and_checksums);
	return tk_report("test_tk");
}
