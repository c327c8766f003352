/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

#ifndef _FBNIC_TK_TOEPLITZ_H_
#define _FBNIC_TK_TOEPLITZ_H_

/*
 * The test kit's Toeplitz hash, the reference that RSS tests check the
 * device's (or model's) hash against: computed bit by bit from the key as
 * the textbook defines it, sharing no code with a table-driven
 * implementation.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fbnic_tk_frame.h"

/*
 * Toeplitz hash of len input bytes: for every input bit set, counted from
 * the most significant bit of in[0], XOR in the 32 key bits that start at
 * the same bit position. The key holds key_bits bits (key bit 0 is the
 * most significant bit of key[0]); bits past key_bits count as zero.
 */
uint32_t tk_toeplitz(const uint8_t *key, size_t key_bits, const uint8_t *in, size_t len);

/*
 * The RSS input of a frame's flow, as RSS hashes it: source address,
 * destination address (4 or 16 bytes each) and, when ports is true, source
 * and destination port. Writes up to 36 bytes into in; returns the length.
 */
size_t tk_toeplitz_input(const struct tk_frame *fr, bool ports, uint8_t *in);

/*
 * Microsoft's RSS verification suite: its 40-byte key and flows, each with
 * the hash over the addresses (l3) and over addresses and ports (l4).
 * IPv4 addresses sit in the first 4 bytes of src and dst.
 */
#define TK_RSS_MS_KEY_LEN	40
extern const uint8_t tk_rss_ms_key[TK_RSS_MS_KEY_LEN];

struct tk_rss_vector {
	bool v6;
	uint8_t src[16];
	uint8_t dst[16];
	uint16_t sport, dport;
	uint32_t hash_l3, hash_l4;
};

#define TK_RSS_MS_VECTORS	3
extern const struct tk_rss_vector tk_rss_ms_vectors[TK_RSS_MS_VECTORS];

/* A frame description of a vector's flow (no MACs, no protocol set). */
void tk_rss_vector_frame(const struct tk_rss_vector *v, struct tk_frame *fr);

#endif /* _FBNIC_TK_TOEPLITZ_H_ */
