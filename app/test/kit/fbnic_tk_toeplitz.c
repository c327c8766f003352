/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

#include <string.h>

#include "fbnic_tk_toeplitz.h"

/* Key bit k, zero past the key. */
static uint32_t
tk_key_bit(const uint8_t *key, size_t key_bits, size_t k)
{
	if (k >= key_bits)
		return 0;
	return (uint32_t)(key[k / 8] >> (7 - k % 8)) & 1;
}

uint32_t
tk_toeplitz(const uint8_t *key, size_t key_bits, const uint8_t *in, size_t len)
{
	uint32_t hash = 0;
	size_t i, j;

	for (i = 0; i < len * 8; i++) {
		uint32_t window = 0;

		if (!(in[i / 8] & (0x80 >> (i % 8))))
			continue;
		for (j = 0; j < 32; j++)
			window = window << 1 | tk_key_bit(key, key_bits, i + j);
		hash ^= window;
	}
	return hash;
}

size_t
tk_toeplitz_input(const struct tk_frame *fr, bool ports, uint8_t *in)
{
	size_t alen = fr->v6 ? 16 : 4;

	memcpy(in, fr->src, alen);
	memcpy(in + alen, fr->dst, alen);
	if (!ports)
		return 2 * alen;
	tk_put16(in + 2 * alen, fr->sport);
	tk_put16(in + 2 * alen + 2, fr->dport);
	return 2 * alen + 4;
}

const uint8_t tk_rss_ms_key[TK_RSS_MS_KEY_LEN] = {
	0x6d, 0x5a, 0x56, 0xda, 0x25, 0x5b, 0x0e, 0xc2, 0x41, 0x67, 0x25, 0x3d, 0x43, 0xa3,
	0x8f, 0xb0, 0xd0, 0xca, 0x2b, 0xcb, 0xae, 0x7b, 0x30, 0xb4, 0x77, 0xcb, 0x2d, 0xa3,
	0x80, 0x30, 0xf2, 0x0c, 0x6a, 0x42, 0xb7, 0x3b, 0xbe, 0xac, 0x01, 0xfa,
};

const struct tk_rss_vector tk_rss_ms_vectors[TK_RSS_MS_VECTORS] = {
	{ false, { 66, 9, 149, 187 }, { 161, 142, 100, 80 }, 2794, 1766,
	  0x323e8fc2, 0x51ccc178 },
	{ false, { 199, 92, 111, 2 }, { 65, 69, 140, 83 }, 14230, 4739,
	  0xd718262a, 0xc626b0ea },
	{ true, { 0x3f, 0xfe, 0x25, 0x01, 0x02, 0x00, 0x1f, 0xff, 0, 0, 0, 0, 0, 0, 0, 7 },
	  { 0x3f, 0xfe, 0x25, 0x01, 0x02, 0x00, 0x00, 0x03, 0, 0, 0, 0, 0, 0, 0, 1 },
	  2794, 1766, 0x2cc18cd5, 0x40207d3d },
};

void
tk_rss_vector_frame(const struct tk_rss_vector *v, struct tk_frame *fr)
{
	memset(fr, 0, sizeof(*fr));
	fr->v6 = v->v6;
	memcpy(fr->src, v->src, sizeof(fr->src));
	memcpy(fr->dst, v->dst, sizeof(fr->dst));
	fr->sport = v->sport;
	fr->dport = v->dport;
}
