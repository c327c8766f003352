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
