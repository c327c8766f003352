/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

/*
 * Fuzz target of the mailbox TLV parser.
 *
 * With clang's libFuzzer, build with -fsanitize=fuzzer -DFBNIC_FUZZ_LIBFUZZER
 * and only LLVMFuzzerTestOneInput() is used. Without it, main() replays the
 * files of a corpus directory (argv[1], optional) and then runs N seeded
 * random mutations of valid messages (argv[2], default 200000; seed argv[3]).
 * Every input is copied to an allocation of exactly its size so a sanitizer
 * (or the range checks below) catches any read past the end.
 */

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fbnic_tlv.h"

#include "fuzz_assert.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A policy that refers to itself and covers every attribute type. */
enum { F_U32, F_U64, F_S32, F_FLAG, F_MAC, F_STR, F_BIN, F_NEST, F_ARRAY,
	F_ANY, F_MAX };

static const struct fbnic_tlv_policy f_elem = { .type = FBNIC_TLV_MAC };

static const struct fbnic_tlv_policy f_policy[F_MAX] = {
	[F_U32] = { .type = FBNIC_TLV_U32 },
	[F_U64] = { .type = FBNIC_TLV_U64 },
	[F_S32] = { .type = FBNIC_TLV_S32 },
	[F_FLAG] = { .type = FBNIC_TLV_FLAG },
	[F_MAC] = { .type = FBNIC_TLV_MAC },
	[F_STR] = { .type = FBNIC_TLV_STRING, .max_len = 20 },
	[F_BIN] = { .type = FBNIC_TLV_BINARY, .max_len = 64 },
	[F_NEST] = { .type = FBNIC_TLV_NESTED, .nested = f_policy,
		     .nested_max = F_MAX },
	[F_ARRAY] = { .type = FBNIC_TLV_ARRAY, .array_id = F_MAC,
		      .array_max = 8, .nested = &f_elem },
	[F_ANY] = { .type = FBNIC_TLV_ANY },
};

static void
check_in_range(const struct fbnic_tlv_attr *a, const uint8_t *lo,
	       const uint8_t *hi)
{
	FUZZ_ASSERT(a->data >= lo && a->data <= hi && a->len <= (size_t)(hi - a->data),
		    "attribute %u outside its buffer", a->id);
}

/* Read every attribute through every getter; results are not compared. */
static unsigned int
touch_index(const struct fbnic_tlv_index *idx, const uint8_t *lo,
	    const uint8_t *hi)
{
	struct fbnic_tlv_attr elems[8];
	unsigned int id, sum = 0;

	for (id = 0; id < FBNIC_TLV_ATTR_ID_MAX; id++) {
		const struct fbnic_tlv_attr *a = fbnic_tlv_attr(idx, id);
		uint8_t mac[FBNIC_TLV_MAC_LEN];
		char str[24];
		uint64_t u64;
		uint32_t u32;
		int32_t s32;
		int n;

		if (a == NULL)
			continue;
		check_in_range(a, lo, hi);
		sum += (unsigned int)(fbnic_tlv_get_u32(a, &u32) == 0);
		sum += (unsigned int)(fbnic_tlv_get_u64(a, &u64) == 0);
		sum += (unsigned int)(fbnic_tlv_get_s32(a, &s32) == 0);
		sum += (unsigned int)(fbnic_tlv_get_flag(a) == 1);
		sum += (unsigned int)(fbnic_tlv_get_mac(a, mac) == 0);
		n = fbnic_tlv_get_string(a, str, sizeof(str));
		FUZZ_ASSERT(memchr(str, '\0', sizeof(str)) != NULL,
			    "attribute %u: string without its NUL", a->id);
		FUZZ_ASSERT(n < 0 || (size_t)n == strlen(str),
			    "attribute %u: string of %d bytes, strlen %zu", a->id, n, strlen(str));
		n = fbnic_tlv_array_parse(a, F_MAC, elems, 8);
		FUZZ_ASSERT(n <= 8, "attribute %u: %d array elements, at most 8 asked", a->id, n);
		while (n-- > 0)
			check_in_range(&elems[n], a->data, a->data + a->len);
	}
	return sum;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fbnic_tlv_index idx;
	uint32_t len = 0;
	uint16_t id;
	int err;

	err = fbnic_tlv_msg_peek(data, size, &id, &len);
	FUZZ_ASSERT(err != 0 || (len != 0 && len <= size && len % 4 == 0),
		    "peek gave a message of %u bytes in %zu", len, size);

	if (fbnic_tlv_msg_parse(data, size, F_MAX, f_policy, &idx) == 0) {
		FUZZ_ASSERT(err == 0 && idx.len == len,
			    "parsed a message of %u bytes, peek gave %d and %u bytes",
			    (unsigned int)idx.len, err, len);
		touch_index(&idx, data, data + idx.len);
	}
	if (fbnic_tlv_msg_parse(data, size, FBNIC_TLV_ATTR_ID_MAX, NULL,
				&idx) == 0)
		touch_index(&idx, data, data + idx.len);
	if (fbnic_tlv_msg_parse(data, size, 3, NULL, &idx) == 0)
		touch_index(&idx, data, data + idx.len);
	return 0;
}

#ifndef FBNIC_FUZZ_LIBFUZZER

static uint64_t rng_state;

static uint32_t
rng(void)
{
	/* xorshift64*: deterministic for a given seed */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (uint32_t)((rng_state * 0x2545f4914f6cdd1dull) >> 32);
}

static void
run_one(const uint8_t *data, size_t size)
{
	uint8_t *copy = malloc(size ? size : 1);

	FUZZ_ASSERT(copy != NULL, "out of memory");
	if (size)
		memcpy(copy, data, size);
	LLVMFuzzerTestOneInput(copy, size);
	free(copy);
}

/* An attribute of len bytes, its cannot_ignore bit set at random. */
static void
add_any(struct fbnic_tlv_builder *b, uint16_t id, const uint8_t *data, size_t len)
{
	uint32_t off = b->len;

	if (fbnic_tlv_add_bytes(b, id, data, len) == 0 && (rng() & 1))
		fbnic_tlv_put_le32(b->buf + off, fbnic_tlv_get_le32(b->buf + off) |
				   FBNIC_TLV_HDR_CANNOT_IGNORE);
}

static void
add_random_attrs(struct fbnic_tlv_builder *b, unsigned int depth)
{
	static const uint8_t mac[6] = { 2, 1, 2, 3, 4, 5 };
	unsigned int n = rng() % 6, i;
	uint32_t used = 0;

	for (i = 0; i < n; i++) {
		uint16_t id = (uint16_t)(rng() % F_MAX);

		/* duplicates are invalid: keep the message valid */
		if (used & (1u << id))
			continue;
		used |= 1u << id;
		switch (id) {
		case F_U32:
			fbnic_tlv_add_u32(b, id, rng());
			break;
		case F_U64:
			fbnic_tlv_add_u64(b, id, (uint64_t)rng() << 32);
			break;
		case F_S32:
			fbnic_tlv_add_s32(b, id, -(int32_t)(rng() & 0xffff));
			break;
		case F_FLAG:
			fbnic_tlv_add_flag(b, id);
			break;
		case F_MAC:
			fbnic_tlv_add_mac(b, id, mac);
			break;
		case F_STR:
			fbnic_tlv_add_string(b, id, "0.10.6.0-abc", 20);
			break;
		case F_BIN:
			fbnic_tlv_add_bytes(b, id, mac, 1 + rng() % 6);
			break;
		case F_NEST:
			if (depth + 1 >= FBNIC_TLV_NEST_DEPTH_MAX)
				break;
			fbnic_tlv_nest_start(b, id);
			add_random_attrs(b, depth + 1);
			fbnic_tlv_nest_end(b);
			break;
		case F_ARRAY:
			fbnic_tlv_nest_start(b, id);
			fbnic_tlv_add_mac(b, F_MAC, mac);
			fbnic_tlv_add_mac(b, F_MAC, mac);
			fbnic_tlv_nest_end(b);
			break;
		default:
			add_any(b, id, mac, rng() % 7);
			break;
		}
	}
}

static size_t
make_valid(uint8_t *buf, size_t size)
{
	struct fbnic_tlv_builder b;
	int len;

	fbnic_tlv_msg_init(&b, buf, size, (uint16_t)(rng() & 0x7f));
	add_random_attrs(&b, 0);
	len = fbnic_tlv_msg_finish(&b);
	return len > 0 ? (size_t)len : 0;
}

static size_t
mutate(uint8_t *buf, size_t len, size_t cap)
{
	unsigned int n = 1 + rng() % 4, i;

	for (i = 0; i < n && len; i++) {
		size_t pos = rng() % len;

		switch (rng() % 7) {
		case 0: /* flip a bit */
			buf[pos] ^= (uint8_t)(1u << (rng() % 8));
			break;
		case 1: /* random byte */
			buf[pos] = (uint8_t)rng();
			break;
		case 2: /* length field of a header-aligned word */
			pos &= ~(size_t)3;
			if (pos + 4 <= len) {
				buf[pos + 2] = (uint8_t)rng();
				buf[pos + 3] = (uint8_t)(rng() % 3);
			}
			break;
		case 3: /* truncate */
			len = pos;
			break;
		case 4: /* grow with garbage */
			while (len < cap && (rng() & 7))
				buf[len++] = (uint8_t)rng();
			break;
		case 5: /* toggle cannot_ignore / is_msg */
			pos &= ~(size_t)3;
			if (pos + 2 <= len)
				buf[pos + 1] ^= (uint8_t)(rng() & 1 ? 0x40 : 0x80);
			break;
		default: /* copy a word elsewhere */
			if (len >= 8) {
				size_t to = (rng() % (len / 4)) * 4;

				memcpy(buf + to, buf + (pos & ~(size_t)3), 4);
			}
			break;
		}
	}
	return len;
}

static int
replay_corpus(const char *dir)
{
	static uint8_t file_buf[65536];
	struct dirent *de;
	unsigned int files = 0;
	DIR *d = opendir(dir);

	if (d == NULL) {
		fprintf(stderr, "fuzz_tlv: cannot open corpus %s: %s\n", dir,
			strerror(errno));
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		char path[4096];
		size_t n;
		FILE *f;

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		f = fopen(path, "rb");
		if (f == NULL)
			continue;
		n = fread(file_buf, 1, sizeof(file_buf), f);
		fclose(f);
		run_one(file_buf, n);
		files++;
	}
	closedir(d);
	printf("fuzz_tlv: replayed %u corpus files\n", files);
	return 0;
}

int
main(int argc, char **argv)
{
	unsigned long iterations = 200000, i;
	unsigned long valid = 0;
	uint8_t buf[FBNIC_TLV_MSG_MAX_LEN + 64];

	if (argc > 1 && argv[1][0] != '\0' && strcmp(argv[1], "-") != 0 &&
	    replay_corpus(argv[1]) != 0)
		return EXIT_FAILURE;
	if (argc > 2)
		iterations = strtoul(argv[2], NULL, 0);
	rng_state = argc > 3 ? strtoull(argv[3], NULL, 0) : 0x5eedf00dull;
	if (rng_state == 0)
		rng_state = 1;

	for (i = 0; i < iterations; i++) {
		struct fbnic_tlv_index idx;
		size_t len = make_valid(buf, FBNIC_TLV_MSG_MAX_LEN);

		/* The builder only makes messages the parser accepts */
		FUZZ_ASSERT(len != 0 && fbnic_tlv_msg_parse(buf, len, F_MAX, f_policy, &idx) == 0,
			    "built message of %zu bytes rejected", len);
		valid++;
		run_one(buf, len);
		len = mutate(buf, len, sizeof(buf));
		run_one(buf, len);
	}
	printf("fuzz_tlv: %lu valid messages, %lu mutations, no fault\n",
	       valid, iterations);
	return EXIT_SUCCESS;
}

#endif /* FBNIC_FUZZ_LIBFUZZER */
