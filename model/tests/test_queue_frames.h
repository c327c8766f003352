/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

#ifndef _TEST_QUEUE_FRAMES_H_
#define _TEST_QUEUE_FRAMES_H_

/*
 * Frame builders and an independent ones' complement checksum for the
 * datapath tests (test_queue*, test_tx*, test_rx*).
 */

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

static inline void
tq_put16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v & 0xff;
}

static inline uint16_t
tq_get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t
tq_get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Plain ones' complement sum over bytes (independent of the model's code). */
static inline uint32_t
tq_sum(const uint8_t *p, uint32_t len, uint32_t sum)
{
	uint32_t i;

	for (i = 0; i < len; i++)
		sum += (i & 1) ? p[i] : (uint32_t)p[i] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return sum;
}

#define TQ_ETH_HLEN	14u

/*
 * Ethernet + IPv4 or IPv6 + TCP (20-byte header) or UDP with pay bytes of
 * pattern (seed + i). The IPv4 header checksum is valid; the L4 checksum is
 * left 0. Returns the frame length; *l4 gets the L4 offset.
 */
static inline uint32_t
tq_build(uint8_t *f, bool v6, bool tcp, uint32_t pay, uint8_t seed, uint32_t *l4)
{
	uint32_t l3 = TQ_ETH_HLEN, l3len = v6 ? 40 : 20, l4len = tcp ? 20 : 8;
	uint32_t len = l3 + l3len + l4len + pay, i;
	uint8_t *ip = f + l3, *th = f + l3 + l3len;

	memset(f, 0, l3 + l3len + l4len);
	memcpy(f, "\x02\x00\x00\x00\x00\x02\x02\x00\x00\x00\x00\x01", 12);
	tq_put16(f + 12, v6 ? 0x86dd : 0x0800);
	if (v6) {
		ip[0] = 0x60;
		tq_put16(ip + 4, (uint16_t)(l4len + pay));
		ip[6] = tcp ? 6 : 17;
		ip[7] = 64;
		ip[8] = 0x20;
		ip[9] = 0x01;
		ip[23] = 1;
		ip[24] = 0x20;
		ip[25] = 0x01;
		ip[39] = 2;
	} else {
		ip[0] = 0x45;
		tq_put16(ip + 2, (uint16_t)(l3len + l4len + pay));
		tq_put16(ip + 4, 0x1234);
		ip[6] = 0x40;	/* DF */
		ip[8] = 64;
		ip[9] = tcp ? 6 : 17;
		memcpy(ip + 12, "\x0a\x00\x00\x01\x0a\x00\x00\x02", 8);
		tq_put16(ip + 10, (uint16_t)~tq_sum(ip, 20, 0));
	}
	tq_put16(th, 40000);
	tq_put16(th + 2, 5001);
	if (tcp) {
		th[4] = 0x10;	/* sequence 0x10000000 */
		th[12] = 5 << 4;
		th[13] = 0x18 | 0x01 | 0x80;	/* PSH ACK FIN CWR */
		tq_put16(th + 14, 65535);
	} else {
		tq_put16(th + 4, (uint16_t)(l4len + pay));
	}
	for (i = 0; i < pay; i++)
		th[l4len + i] = (uint8_t)(seed + i);
	*l4 = l3 + l3len;
	return len;
}

/* Pseudo-header sum (not complemented) of the frame's L3, with or without length. */
static inline uint32_t
tq_pseudo(const uint8_t *f, uint32_t l3, uint32_t l4len_or_0)
{
	const uint8_t *ip = f + l3;
	uint32_t sum;

	if ((ip[0] >> 4) == 4) {
		sum = tq_sum(ip + 12, 8, 0);
		sum += ip[9];
	} else {
		sum = tq_sum(ip + 8, 32, 0);
		sum += ip[6];
	}
	sum += l4len_or_0;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return sum;
}

/* True when the L4 checksum of the frame (L3 at l3, L4 at l4) verifies. */
static inline bool
tq_l4_csum_ok(const uint8_t *f, uint32_t len, uint32_t l3, uint32_t l4)
{
	return tq_sum(f + l4, len - l4, tq_pseudo(f, l3, len - l4)) == 0xffff;
}

#endif /* _TEST_QUEUE_FRAMES_H_ */
