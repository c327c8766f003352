/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

/* Unit tests of the mailbox TLV codec (fbnic_hw.rst 6.4). */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fbnic_tk.h"
#include "fbnic_tlv.h"

static uint32_t
word(const uint8_t *buf, unsigned int i)
{
	return fbnic_tlv_get_le32(buf + 4 * i);
}

static void
put_words(uint8_t *buf, const uint32_t *w, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		fbnic_tlv_put_le32(buf + 4 * i, w[i]);
}

static int
test_host_cap_req_is_one_word(void)
{
	struct fbnic_tlv_builder b;
	uint8_t buf[64];

	memset(buf, 0xaa, sizeof(buf));
	TEST_CHECK_EQUAL(fbnic_tlv_msg_init(&b, buf, sizeof(buf), 0x10), 0);
	TEST_CHECK_EQUAL(fbnic_tlv_msg_finish(&b), 4);
	TEST_CHECK_EQUAL(word(buf, 0), 0x00018010);
	/* little-endian on the wire whatever the host order */
	TEST_CHECK_EQUAL(buf[0], 0x10);
	TEST_CHECK_EQUAL(buf[1], 0x80);
	TEST_CHECK_EQUAL(buf[2], 0x01);
	TEST_CHECK_EQUAL(buf[3], 0x00);
	TEST_CHECK_EQUAL(buf[4], 0xaa);
	return TEST_SUCCESS;
}

static int
test_heartbeat_req_is_one_word(void)
{
	struct fbnic_tlv_builder b;
	uint8_t buf[4];

	TEST_CHECK_EQUAL(fbnic_tlv_msg_init(&b, buf, sizeof(buf), 0x14), 0);
	TEST_CHECK_EQUAL(fbnic_tlv_msg_finish(&b), 4);
	TEST_CHECK_EQUAL(word(buf, 0), 0x00018014);
	return TEST_SUCCESS;
}

static int
test_ownership_take_matches_spec_bytes(void)
{
	struct fbnic_tlv_builder b;
	struct fbnic_tlv_index idx;
	uint8_t buf[16];

	TEST_CHECK_EQUAL(fbnic_tlv_msg_init(&b, buf, sizeof(buf), 0x12), 0);
	TEST_CHECK_EQUAL(fbnic_tlv_add_flag(&b, 0), 0);
	TEST_CHECK_EQUAL(fbnic_tlv_msg_finish(&b), 8);
	TEST_CHECK_EQUAL(word(buf, 0), 0x00028012);
	TEST_CHECK_EQUAL(word(buf, 1), 0x00040000);

	TEST_CHECK_EQUAL(fbnic_tlv_msg_parse(buf, 8, 2, NULL, &idx), 0);
	TEST_CHECK_EQUAL(idx.id, 0x12);
	TEST_CHECK_EQUAL(idx.len, 8);
	TEST_CHECK_EQUAL(fbnic_tlv_get_flag(fbnic_tlv_attr(&idx, 0)), 1);
	TEST_CHECK_EQUAL(fbnic_tlv_get_flag(fbnic_tlv_attr(&idx, 1)), 0);
	return TEST_SUCCESS;
}

static int
test_spec_examples_parse(void)
{
	static const uint32_t cap[] = { 0x00018010 };
	static const uint32_t hb[] = { 0x00018014 };
	static const uint32_t own[] = { 0x00028012, 0x00040000 };
	struct fbnic_tlv_index idx;
	uint8_t buf[8];

	put_words(buf, cap, 1);
	TEST_CHECK_EQUAL(fbnic_tlv_msg_parse(buf, 4, 32, NULL, &idx), 0);
	TEST_CHECK_EQUAL(idx.id, 0x10);
	TEST_CHECK_EQUAL(idx.count, 0);
	put_words(buf, hb, 1);
	TEST_CHECK_EQUAL(fbnic_tlv_msg_parse(buf, 4, 32, NULL, &idx), 0);
	TEST_CHECK_EQUAL(idx.id, 0x14);
	put_words(buf, own, 2);
	TEST_CHECK_EQUAL(fbnic_tlv_msg_parse(buf, 8, 32, NULL, &idx), 0);
	TEST_CHECK_EQUAL(idx.count, 1);
	/* the same message in a buffer one byte short is refused */
	TEST_CHECK_EQUAL(fbnic_tlv_msg_parse(buf, 7, 32, NULL, &idx), -EINVAL);
	TEST_CHECK_EQUAL(idx.count, 0);
	return TEST_SUCCESS;
}

enum {
	T_U64, T_U32, T_S32, T_MAC, T_FLAG, T_STR, T_NEST, T_ARRAY, T_BIN, T_MAX
};

static const struct fbnic_tlv_policy t_mac_elem = { .type = FBNIC_TLV_MAC };

static const struct fbnic_tlv_policy t_policy[T_MAX] = {
	[T_U64] = { .type = FBNIC_TLV_U64 },
	[T_U32] = { .type = FBNIC_TLV_U32 },
	[T_S32] = { .type = FBNIC_TLV_S32 },
	[T_MAC] = { .type = FBNIC_TLV_MAC },
	[T_FLAG] = { .type = FBNIC_TLV_FLAG },
	[T_STR] = { .type = FBNIC_TLV_STRING, .max_len = 16 },
	[T_NEST] = { .type = FBNIC_TLV_NESTED, .nested = t_policy,
		     .nested_max = T_MAX },
	[T_ARRAY] = { .type = FBNIC_TLV_ARRAY, .array_id = T_MAC,
		      .array_max = 4, .nested = &t_mac_elem },
	[T_BIN] = { .type = FBNIC_TLV_BINARY, .max_len = 8 },
};

static const uint8_t mac_a[6] = { 0x02, 0x11, 0x22, 0x33, 0x44, 0x55 };
static const uint8_t mac_b[6] = { 0x02, 0x66, 0x77, 0x88, 0x99, 0xaa };

static int
build_all_types(uint8_t *buf, size_t size)
{
	struct fbnic_tlv_builder b;

	fbnic_tlv_msg_init(&b, buf, size, 0);
	fbnic_tlv_add_u64(&b, T_U64, 0x0123456789abcdefull);
	fbnic_tlv_add_u32(&b, T_U32, 0xdeadbeef);
	fbnic_tlv_add_s32(&b, T_S32, -95);
	fbnic_tlv_add_mac(&b, T_MAC, mac_a);
	fbnic_tlv_add_flag(&b, T_FLAG);
	fbnic_tlv_add_string(&b, T_STR, "v1.2", 16);
	fbnic_tlv_nest_start(&b, T_NEST);
	fbnic_tlv_add_u32(&b, T_U32, 7);
	fbnic_tlv_add_string(&b, T_STR, "inner", 16);
	fbnic_tlv_nest_end(&b);
	fbnic_tlv_nest_start(&b, T_ARRAY);
	fbnic_tlv_add_mac(&b, T_MAC, mac_a);
	fbnic_tlv_add_mac(&b, T_MAC, mac_b);
	fbnic_tlv_nest_end(&b);
	fbnic_tlv_add_bytes(&b, T_BIN, "\x01\x02\x03", 3);
	return fbnic_tlv_msg_finish(&b);
}

static int
test_round_trip_of_every_type(void)
{
	struct fbnic_tlv_attr elems[4];
	const struct fbnic_tlv_attr *nest;
	struct fbnic_tlv_index idx;
	uint8_t buf[256], mac[6];
	uint64_t u64 = 0;
	uint32_t u32 = 0;
	int32_t s32 = 0;
	char str[16];
	int len;

	len = build_all_types(buf, sizeof(buf));
	/* 4 + 12+8+8+12+4+12 + nest(4+8+12) + array(4+12+12) + 8 */
	TEST_CHECK_EQUAL(len, 120);
	TEST_CHECK_EQUAL(word(buf, 0) >> 16, 30);
	TEST_CHECK_EQUAL(fbnic_tlv_msg_parse(buf, (size_t)len, T_MAX, t_policy, &idx), 0);
	TEST_CHECK_EQUAL(idx.count, T_MAX);

	TEST_CHECK_EQUAL(fbnic_tlv_get_u64(fbnic_tlv_attr(&idx, T_U64), &u64), 0);
	TEST_CHECK(u64 == 0x0123456789abcdefull);
	TEST_CHECK_EQUAL(fbnic_tlv_get_u32(fbnic_tlv_attr(&idx, T_U32), &u32), 0);
	TEST_CHECK_EQUAL(u32, 0xdeadbeef);
	TEST_CHECK_EQUAL(fbnic_tlv_get_s32(fbnic_tlv_attr(&idx, T_S32), &s32), 0);
	TEST_CHECK_EQUAL(s32, -95);
	TEST_CHECK_EQUAL(fbnic_tlv_get_mac(fbnic_tlv_attr(&idx, T_MAC), mac), 0);
	TEST_CHECK(memcmp(mac, mac_a, 6) == 0);
	TEST_CHECK_EQUAL(fbnic_tlv_get_flag(fbnic_tlv_attr(&idx, T_FLAG)), 1);
	TEST_CHECK_EQUAL(fbnic_tlv_get_string(fbnic_tlv_attr(&idx, T_STR), str,
					  sizeof(str)), 4);
	TEST_CHECK(strcmp(str, "v1.2") == 0);

	/* the nest, validated against t_policy above: u32 7, then "inner" */
	nest = fbnic_tlv_attr(&idx, T_NEST);
	TEST_CHECK(nest != NULL);
	if (nest != NULL) {
		TEST_CHECK_EQUAL(nest->len, 20);
		TEST_CHECK_EQUAL(word(nest->data, 0), fbnic_tlv_hdr(T_U32, 8, false, false));
		TEST_CHECK_EQUAL(word(nest->data, 1), 7);
		TEST_CHECK_EQUAL(word(nest->data, 2), fbnic_tlv_hdr(T_STR, 10, false, false));
		TEST_CHECK(memcmp(nest->data + 12, "inner\0\0\0", 8) == 0);
	}

	TEST_CHECK_EQUAL(fbnic_tlv_array_parse(fbnic_tlv_attr(&idx, T_ARRAY), T_MAC,
					   elems, 4), 2);
	TEST_CHECK_EQUAL(fbnic_tlv_get_mac(&elems[1], mac), 0);
	TEST_CHECK(memcmp(mac, mac_b, 6) == 0);
	/* too small an output array */
	TEST_CHECK_EQUAL(fbnic_tlv_array_parse(fbnic_tlv_attr(&idx, T_ARRAY), T_MAC,
					   elems, 1), -ENOSPC);
	/* wrong element ID */
	TEST_CHECK_EQUAL(fbnic_tlv_array_parse(fbnic_tlv_attr(&idx, T_ARRAY), T_U32,
					   elems, 4), -EINVAL);
	TEST_CHECK_EQUAL(fbnic_tlv_attr(&idx, T_BIN)->len, 3);
	return TEST_SUCCESS;
}

static int
test_short_integers_are_extended(void)
{
	/* u32 attr 0 with 2 bytes 0xff 0xff, s32 attr 1 with 1 byte 0x80 */
	static const uint32_t msg[] = {
		0x00048000 | 0, 0x00060000, 0x0000ffff, 0x00050001, 0x00000080,
	};
	struct fbnic_tlv_index idx;
	uint8_t buf[sizeof(msg)];
	uint32_t u32 = 0;
	int32_t s32 = 0;
	uint64_t u64 = 0;

	put_words(buf, msg, 5);
	fbnic_tlv_put_le32(buf, fbnic_tlv_hdr(0x30, 5, true, false));
	TEST_CHECK_EQUAL(fbnic_tlv_msg_parse(buf, sizeof(buf), 2, NULL, &idx), 0);
	TEST_CHECK_EQUAL(fbnic_tlv_get_u32(fbnic_tlv_attr(&idx, 0), &u32), 0);
	TEST_CHECK_EQUAL(u32, 0xffff);
	TEST_CHECK_EQUAL(fbnic_tlv_get_u64(fbnic_tlv_attr(&idx, 0), &u64), 0);
	TEST_CHECK_EQUAL(u64, 0xffff);
	TEST_CHECK_EQUAL(fbnic_tlv_get_s32(fbnic_tlv_attr(&idx, 1), &s32), 0);
	TEST_CHECK_EQUAL(s32, -128);
	return TEST_SUCCESS;
}

static int
test_getters_check_length(void)
{
	struct fbnic_tlv_index idx;
	uint8_t buf[256], mac[6];
	uint32_t u32;
	int32_t s32;
	char small[3];
	int len;

	len = build_all_types(buf, sizeof(buf));
	TEST_CHECK_EQUAL(fbnic_tlv_msg_parse(buf, (size_t)len, T_MAX, NULL, &idx), 0);
	/* 8-byte value is not a u32 */
	TEST_CHECK_EQUAL(fbnic_tlv_get_u32(fbnic_tlv_attr(&idx, T_U64), &u32), -EINVAL);
	TEST_CHECK_EQUAL(fbnic_tlv_get_s32(fbnic_tlv_attr(&idx, T_U64), &s32), -EINVAL);
	/* a u32 is not a MAC, a MAC is not a flag */
	TEST_CHECK_EQUAL(fbnic_tlv_get_mac(fbnic_tlv_attr(&idx, T_U32), mac), -EINVAL);
	TEST_CHECK_EQUAL(fbnic_tlv_get_flag(fbnic_tlv_attr(&idx, T_MAC)), -EINVAL);
	/* the flag has no payload: not an integer */
	TEST_CHECK_EQUAL(fbnic_tlv_get_u32(fbnic_tlv_attr(&idx, T_FLAG), &u32), -EINVAL);
	/* binary without a NUL is not a string */
	TEST_CHECK_EQUAL(fbnic_tlv_get_string(fbnic_tlv_attr(&idx, T_BIN), small,
					  sizeof(small)), -EINVAL);
	/* truncation is reported and the result terminated */
	TEST_CHECK_EQUAL(fbnic_tlv_get_string(fbnic_tlv_attr(&idx, T_STR), small,
					  sizeof(small)), -E2BIG);
	TEST_CHECK(strcmp(small, "v1") == 0);
	/* absent attribute */
	TEST_CHECK_EQUAL(fbnic_tlv_get_u32(NULL, &u32), -ENOENT);
	TEST_CHECK(fbnic_tlv_attr(&idx, 40) == NULL);
	return TEST_SUCCESS;
}

static int
test_builder_reports_enospc(void)
{
	struct fbnic_tlv_builder b;
	uint8_t buf[12];

	memset(buf, 0, sizeof(buf));
	TEST_CHECK_EQUAL(fbnic_tlv_msg_init(&b, buf, 2, 0x10), -ENOSPC);
	TEST_CHECK_EQUAL(fbnic_tlv_msg_finish(&b), -ENOSPC);

	TEST_CHECK_EQUAL(fbnic_tlv_msg_init(&b, buf, sizeof(buf), 0x10), 0);
	TEST_CHECK_EQUAL(fbnic_tlv_add_u32(&b, 1, 5), 0);	/* 4 + 8 = 12 */
	TEST_CHECK_EQUAL(fbnic_tlv_add_flag(&b, 2), -ENOSPC);
	/* sticky: a later fitting add fails the same way */
	TEST_CHECK_EQUAL(fbnic_tlv_add_flag(&b, 3), -ENOSPC);
	TEST_CHECK_EQUAL(fbnic_tlv_msg_finish(&b), -ENOSPC);

	/* 11-byte buffer: a 6-byte MAC needs 4 + 8 after the header */
	TEST_CHECK_EQUAL(fbnic_tlv_msg_init(&b, buf, 11, 0x10), 0);
	TEST_CHECK_EQUAL(fbnic_tlv_add_mac(&b, 1, mac_a), -ENOSPC);

	TEST_CHECK_EQUAL(fbnic_tlv_msg_init(&b, buf, sizeof(buf), 0x10), 0);
	TEST_CHECK_EQUAL(fbnic_tlv_add_string(&b, 1, "abcdef", 4), -E2BIG);

	TEST_CHECK_EQUAL(fbnic_tlv_msg_init(&b, buf, sizeof(buf), 0x1000), -EINVAL);
	TEST_CHECK_EQUAL(fbnic_tlv_msg_init(&b, buf, sizeof(buf), 0x10), 0);
	TEST_CHECK_EQUAL(fbnic_tlv_add_u32(&b, 0x1000, 1), -EINVAL);
	TEST_CHECK_EQUAL(fbnic_tlv_msg_init(&b, buf, sizeof(buf), 0x10), 0);
	TEST_CHECK_EQUAL(fbnic_tlv_nest_end(&b), -EINVAL);
	TEST_CHECK_EQUAL(fbnic_tlv_msg_init(&b, buf, sizeof(buf), 0x10), 0);
	TEST_CHECK_EQUAL(fbnic_tlv_nest_start(&b, 1), 0);
	TEST_CHECK_EQUAL(fbnic_tlv_msg_finish(&b), -EINVAL);
	return TEST_SUCCESS;
}

static int
test_empty_nest_is_dropped_and_padding_zeroed(void)
{
	struct fbnic_tlv_builder b;
	uint8_t buf[32];

	memset(buf, 0xee, sizeof(buf));
	TEST_CHECK_EQUAL(fbnic_tlv_msg_init(&b, buf, sizeof(buf), 0x46), 0);
	TEST_CHECK_EQUAL(fbnic_tlv_nest_start(&b, 1), 0);
	TEST_CHECK_EQUAL(fbnic_tlv_nest_end(&b), 0);
	TEST_CHECK_EQUAL(fbnic_tlv_add_bytes(&b, 2, "\x01", 1), 0);
	TEST_CHECK_EQUAL(fbnic_tlv_msg_finish(&b), 12);
	TEST_CHECK_EQUAL(word(buf, 0), 0x00038046);
	TEST_CHECK_EQUAL(word(buf, 1), 0x00050002);
	TEST_CHECK_EQUAL(word(buf, 2), 0x00000001);
	return TEST_SUCCESS;
}

/* Parse a message given as words; the header length is taken as is. */
static int
parse_words(const uint32_t *w, unsigned int n, unsigned int max_id,
	    const struct fbnic_tlv_policy *policy)
{
	struct fbnic_tlv_index idx;
	uint8_t buf[128];

	if (n > sizeof(buf) / 4)
		return -E2BIG;
	put_words(buf, w, n);
	return fbnic_tlv_msg_parse(buf, 4 * n, max_id, policy, &idx);
}

static int
test_parser_rejects_malformed(void)
{
	/* not a message header */
	static const uint32_t not_msg[] = { 0x00010010 };
	/* message length 0 words */
	static const uint32_t zero_len[] = { 0x00008010 };
	/* message claims 3 words, buffer has 2 */
	static const uint32_t long_msg[] = { 0x00038010, 0x00040000 };
	/* attribute length 3 (< header) */
	static const uint32_t short_attr[] = { 0x00028010, 0x00030000 };
	/* attribute length 12 runs past the 2-word message */
	static const uint32_t past_parent[] = { 0x00038010, 0x000c0000, 0 };
	/* duplicate ID 1 */
	static const uint32_t dup[] = { 0x00038010, 0x00040001, 0x00040001 };
	/* unknown ID 5 (max 4) with cannot_ignore */
	static const uint32_t unknown_ci[] = { 0x00028010, 0x00044005 };
	/* unknown ID 5 without cannot_ignore: skipped */
	static const uint32_t unknown[] = { 0x00028010, 0x00040005 };
	/* attribute with is_msg set */
	static const uint32_t attr_msg[] = { 0x00028010, 0x00048001 };
	/* 5-byte attribute whose padding runs past the parent */
	static const uint32_t pad_past[] = { 0x00028010, 0x00050001 };
	/* string without NUL, flag with payload */
	static const uint32_t str_nonul[] = { 0x00038010, 0x00060000 | T_STR,
					      0x00004141 };
	static const uint32_t flag_data[] = { 0x00038010, 0x00080000 | T_FLAG,
					      0 };
	/* string longer than its policy max (16) */
	static const uint32_t str_long[] = {
		0x00078010, 0x00150000 | T_STR, 0x41414141, 0x41414141,
		0x41414141, 0x41414141, 0,
	};
	/* nest with a child whose length runs outside the nest */
	static const uint32_t bad_nest[] = { 0x00038010, 0x00080000 | T_NEST,
					     0x000c0000 | T_U32 };
	/* array of more than 4 MACs (policy limit) */
	uint32_t big_array[2 + 5 * 3];
	unsigned int i;

	TEST_CHECK_EQUAL(parse_words(not_msg, 1, 4, NULL), -EBADMSG);
	TEST_CHECK_EQUAL(parse_words(zero_len, 1, 4, NULL), -EINVAL);
	TEST_CHECK_EQUAL(parse_words(long_msg, 2, 4, NULL), -EINVAL);
	TEST_CHECK_EQUAL(parse_words(short_attr, 2, 4, NULL), -EINVAL);
	TEST_CHECK_EQUAL(parse_words(past_parent, 2, 4, NULL), -EINVAL);
	TEST_CHECK_EQUAL(parse_words(dup, 3, 4, NULL), -EADDRINUSE);
	TEST_CHECK_EQUAL(parse_words(unknown_ci, 2, 4, NULL), -EINVAL);
	TEST_CHECK_EQUAL(parse_words(unknown, 2, 4, NULL), 0);
	TEST_CHECK_EQUAL(parse_words(attr_msg, 2, 4, NULL), -EINVAL);
	TEST_CHECK_EQUAL(parse_words(pad_past, 2, 4, NULL), -EINVAL);
	TEST_CHECK_EQUAL(parse_words(str_nonul, 3, T_MAX, t_policy), -EINVAL);
	TEST_CHECK_EQUAL(parse_words(flag_data, 3, T_MAX, t_policy), -EINVAL);
	TEST_CHECK_EQUAL(parse_words(str_long, 7, T_MAX, t_policy), -EINVAL);
	TEST_CHECK_EQUAL(parse_words(bad_nest, 3, T_MAX, t_policy), -EINVAL);
	/* max_id above the index size is a caller error */
	TEST_CHECK_EQUAL(parse_words(unknown, 2, 33, NULL), -EINVAL);

	big_array[0] = fbnic_tlv_hdr(0x11, 17, true, false);
	big_array[1] = fbnic_tlv_hdr(T_ARRAY, 4 + 5 * 12, false, false);
	for (i = 0; i < 5; i++) {
		big_array[2 + 3 * i] = fbnic_tlv_hdr(T_MAC, 10, false, false);
		big_array[3 + 3 * i] = 0x33221102;
		big_array[4 + 3 * i] = 0x5544;
	}
	TEST_CHECK_EQUAL(parse_words(big_array, 17, T_MAX, t_policy), -E2BIG);
	/* four are fine */
	big_array[0] = fbnic_tlv_hdr(0x11, 14, true, false);
	big_array[1] = fbnic_tlv_hdr(T_ARRAY, 4 + 4 * 12, false, false);
	TEST_CHECK_EQUAL(parse_words(big_array, 14, T_MAX, t_policy), 0);
	return TEST_SUCCESS;
}

static int
test_message_larger_than_4k_is_refused(void)
{
	static uint8_t buf[8192];

	memset(buf, 0, sizeof(buf));
	fbnic_tlv_put_le32(buf, fbnic_tlv_hdr(0x10, 1025, true, false));
	{
		struct fbnic_tlv_index idx;

		TEST_CHECK_EQUAL(fbnic_tlv_msg_parse(buf, sizeof(buf), 32, NULL, &idx),
			 -E2BIG);
		fbnic_tlv_put_le32(buf, fbnic_tlv_hdr(0x10, 1024, true, false));
		/* 1023 words of zeros = attributes of length 0: invalid */
		TEST_CHECK_EQUAL(fbnic_tlv_msg_parse(buf, sizeof(buf), 32, NULL, &idx),
			 -EINVAL);
	}
	return TEST_SUCCESS;
}

static int
test_nesting_depth_is_bounded(void)
{
	/* T_NEST refers to its own policy, so any depth is well typed */
	uint32_t w[2 + FBNIC_TLV_NEST_DEPTH_MAX + 1 + 2];
	struct fbnic_tlv_builder b;
	struct fbnic_tlv_index idx;
	unsigned int levels, i, n;
	uint8_t buf[128];
	int len;

	for (levels = 1; levels <= FBNIC_TLV_NEST_DEPTH_MAX; levels++) {
		fbnic_tlv_msg_init(&b, buf, sizeof(buf), 0);
		for (i = 0; i < levels; i++)
			fbnic_tlv_nest_start(&b, T_NEST);
		fbnic_tlv_add_u32(&b, T_U32, 1);
		for (i = 0; i < levels; i++)
			fbnic_tlv_nest_end(&b);
		len = fbnic_tlv_msg_finish(&b);
		TEST_CHECK_EQUAL(len, 4 + 4 * levels + 8);
		TEST_CHECK_EQUAL(fbnic_tlv_msg_parse(buf, (size_t)len, T_MAX, t_policy,
						 &idx), 0);
	}
	/* the builder refuses one level more */
	fbnic_tlv_msg_init(&b, buf, sizeof(buf), 0);
	for (i = 0; i < FBNIC_TLV_NEST_DEPTH_MAX; i++)
		TEST_CHECK_EQUAL(fbnic_tlv_nest_start(&b, T_NEST), 0);
	TEST_CHECK_EQUAL(fbnic_tlv_nest_start(&b, T_NEST), -EINVAL);

	/* and so does the parser, for a message made by hand */
	levels = FBNIC_TLV_NEST_DEPTH_MAX + 1;
	n = 1 + levels + 2;
	w[0] = fbnic_tlv_hdr(0, (uint16_t)n, true, false);
	for (i = 0; i < levels; i++)
		w[1 + i] = fbnic_tlv_hdr(T_NEST, (uint16_t)(4 * (levels - i) + 8),
					 false, false);
	w[1 + levels] = fbnic_tlv_hdr(T_U32, 8, false, false);
	w[2 + levels] = 1;
	TEST_CHECK_EQUAL(parse_words(w, n, T_MAX, t_policy), -EINVAL);
	/* without a policy nests are not looked into: structurally fine */
	TEST_CHECK_EQUAL(parse_words(w, n, T_MAX, NULL), 0);
	return TEST_SUCCESS;
}

static int
test_duplicate_id_below_max_id_is_refused(void)
{
	/* u32 attribute T_U32 twice, both well typed */
	static const uint32_t dup[] = {
		0x00058010, 0x00080000 | T_U32, 1, 0x00080000 | T_U32, 2,
	};
	/* the same ID twice inside a nest */
	static const uint32_t dup_nested[] = {
		0x00068010, 0x00140000 | T_NEST, 0x00080000 | T_U32, 1,
		0x00080000 | T_U32, 2,
	};
	/* the repeat may be ignorable: it is refused all the same */
	static const uint32_t dup_flag[] = {
		0x00038010, 0x00040000 | T_FLAG, 0x00040000 | T_FLAG,
	};

	TEST_CHECK_EQUAL(parse_words(dup, 5, T_MAX, t_policy), -EADDRINUSE);
	TEST_CHECK_EQUAL(parse_words(dup, 5, T_MAX, NULL), -EADDRINUSE);
	TEST_CHECK_EQUAL(parse_words(dup_nested, 6, T_MAX, t_policy), -EADDRINUSE);
	TEST_CHECK_EQUAL(parse_words(dup_flag, 3, T_MAX, t_policy), -EADDRINUSE);
	return TEST_SUCCESS;
}

static int
test_duplicate_id_at_or_above_max_id_is_refused(void)
{
	/* TEST message with attribute 13 twice: its table has 12 entries */
	static const uint32_t dup13[] = { 0x00038000, 0x0004000d, 0x0004000d };
	/* attribute 13 once: unknown to a 12-entry table, skipped */
	static const uint32_t once13[] = { 0x00028000, 0x0004000d };
	/* the highest ID there is, twice */
	static const uint32_t dup31[] = { 0x00048000, 0x0004001f, 0x0005001f, 0x2a };
	/* a repeat inside a nest whose own table is shorter */
	static const uint32_t dup_nested[] = {
		0x00048000, 0x000c0000 | T_NEST, 0x0004001d, 0x0004001d,
	};
	/* IDs beyond the 32-entry table are malformed, not skipped */
	static const uint32_t id40[] = { 0x00028000, 0x00040028 };
	static const uint32_t id_max[] = { 0x00028000, 0x00040fff };
	unsigned int max_id;

	/* every table size gives the same verdict (the firmware's and the driver's) */
	for (max_id = 0; max_id <= FBNIC_TLV_ATTR_ID_MAX; max_id++) {
		TEST_CHECK_EQUAL(parse_words(dup13, 3, max_id, NULL), -EADDRINUSE);
		TEST_CHECK_EQUAL(parse_words(once13, 2, max_id, NULL), 0);
		TEST_CHECK_EQUAL(parse_words(dup31, 4, max_id, NULL), -EADDRINUSE);
		TEST_CHECK_EQUAL(parse_words(id40, 2, max_id, NULL), -EINVAL);
		TEST_CHECK_EQUAL(parse_words(id_max, 2, max_id, NULL), -EINVAL);
	}
	TEST_CHECK_EQUAL(parse_words(dup13, 3, T_MAX, t_policy), -EADDRINUSE);
	TEST_CHECK_EQUAL(parse_words(dup_nested, 4, T_MAX, t_policy), -EADDRINUSE);
	return TEST_SUCCESS;
}

int
main(void)
{
	TK_RUN(test_host_cap_req_is_one_word);
	TK_RUN(test_heartbeat_req_is_one_word);
	TK_RUN(test_ownership_take_matches_spec_bytes);
	TK_RUN(test_spec_examples_parse);
	TK_RUN(test_round_trip_of_every_type);
	TK_RUN(test_short_integers_are_extended);
	TK_RUN(test_getters_check_length);
	TK_RUN(test_builder_reports_enospc);
	TK_RUN(test_empty_nest_is_dropped_and_padding_zeroed);
	TK_RUN(test_parser_rejects_malformed);
	TK_RUN(test_message_larger_than_4k_is_refused);
	TK_RUN(test_nesting_depth_is_bounded);
	TK_RUN(test_duplicate_id_below_max_id_is_refused);
	TK_RUN(test_duplicate_id_at_or_above_max_id_is_refused);

	return tk_report("test_base_tlv");
}
