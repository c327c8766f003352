/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

/*
 * Fuzz the model firmware with mutated mailbox requests: every request is
 * completed (FW_CMPL, with or without FW_ERR), every reply is a well formed
 * message, and the firmware still answers a heartbeat afterwards.
 * Arguments: iterations (default 20000), seed.
 *
 * LLVMFuzzerTestOneInput() sends the input as requests (split by their
 * header's length) to a freshly brought-up firmware and checks the same;
 * with -DFBNIC_FUZZ_LIBFUZZER (meson option fuzzer) libFuzzer drives it.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fbm_harness.h"
#include "fbm_fw.h"
#include "fbnic_fw.h"
#include "fbnic_tlv.h"

#define MS	1000000ull

/* Drain replies; each must be a well formed message. */
static unsigned int
drain_replies(struct fbh *h, unsigned int *bad)
{
	static uint8_t buf[FBH_PAGE];
	struct fbnic_tlv_index idx;
	unsigned int n = 0;
	int len;

	while ((len = fbh_mbx_recv(h, buf, sizeof(buf))) != -EAGAIN && n < 64) {
		if (len < 0 ||
		    fbnic_tlv_msg_parse(buf, (size_t)len, FBNIC_TLV_ATTR_ID_MAX, NULL,
					&idx) != 0) {
			(*bad)++;
		}
		n++;
	}
	return n;
}

/* Bytes of the next request in the input: its header's, or what is left. */
static size_t
input_request_len(const uint8_t *data, size_t left)
{
	size_t len = left;
	uint32_t words;

	if (left >= 4) {
		words = fbnic_tlv_get_le32(data) >> FBNIC_TLV_HDR_LEN_SHIFT;
		if (words != 0 && 4 * (size_t)words <= left)
			len = 4 * (size_t)words;
	}
	if (len > FBNIC_TLV_MSG_MAX_LEN)
		len = FBNIC_TLV_MSG_MAX_LEN;
	return len & ~(size_t)3;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A broken rule is a finding: abort so that libFuzzer keeps the input. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t resp[FBH_PAGE];
	unsigned int bad = 0, msgs = 0;
	uint64_t sent = 0, done = 0;
	size_t off = 0;
	struct fbh h;
	uint8_t hb[4];

	if (fbh_init(&h, NULL, 4u << 20) != 0)
		abort();
	h.quiet = true;
	if (fbh_mbx_bringup(&h) != 0)
		abort();
	while (off < size && msgs++ < 64) {
		size_t len = input_request_len(data + off, size - off);

		if (len == 0)
			break;
		if (fbh_mbx_send(&h, data + off, len) == 0)
			sent++;
		off += len;
		/* The first byte of the request says whether the firmware runs now */
		if (data[off - len] & 1) {
			fbh_advance(&h, 1 * MS);
			done += (uint64_t)fbh_mbx_reap_tx(&h);
			drain_replies(&h, &bad);
		}
	}
	fbh_advance(&h, 5 * MS);
	done += (uint64_t)fbh_mbx_reap_tx(&h);
	drain_replies(&h, &bad);
	fbnic_tlv_put_le32(hb, fbnic_tlv_hdr(FBNIC_TLV_MSG_ID_HEARTBEAT_REQ, 1, true, false));
	if (done != sent || bad != 0 ||
	    fbh_mbx_request(&h, hb, sizeof(hb), FBNIC_TLV_MSG_ID_HEARTBEAT_RESP, resp,
			    sizeof(resp), 200 * MS) <= 0) {
		fprintf(stderr, "test_fw_fuzz: %llu sent, %llu completed, %u bad replies\n",
			(unsigned long long)sent, (unsigned long long)done, bad);
		abort();
	}
	fbh_fini(&h);
	return 0;
}

#ifndef FBNIC_FUZZ_LIBFUZZER

static uint64_t rng_state;

static uint32_t
rng(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (uint32_t)((rng_state * 0x2545f4914f6cdd1dull) >> 32);
}

/* A valid request of a random kind the firmware knows. */
static int
make_request(uint8_t *buf, size_t cap)
{
	static const uint8_t mac[6] = { 2, 0, 0, 0, 0, 1 };
	struct fbnic_tlv_builder b;
	unsigned int i;

	switch (rng() % 9) {
	case 0:
		fbnic_tlv_msg_init(&b, buf, cap, FBNIC_TLV_MSG_ID_HOST_CAP_REQ);
		break;
	case 1:
		fbnic_tlv_msg_init(&b, buf, cap, FBNIC_TLV_MSG_ID_OWNERSHIP_REQ);
		if (rng() & 1)
			fbnic_tlv_add_flag(&b, FBNIC_FW_OWNERSHIP_FLAG);
		break;
	case 2:
		fbnic_tlv_msg_init(&b, buf, cap, FBNIC_TLV_MSG_ID_QSFP_READ_REQ);
		fbnic_tlv_add_u32(&b, FBNIC_FW_QSFP_BANK, rng() % 2);
		fbnic_tlv_add_u32(&b, FBNIC_FW_QSFP_PAGE, rng() % 5);
		fbnic_tlv_add_u32(&b, FBNIC_FW_QSFP_OFFSET, rng() % 300);
		fbnic_tlv_add_u32(&b, FBNIC_FW_QSFP_LENGTH, rng() % 300);
		break;
	case 3:
		fbnic_tlv_msg_init(&b, buf, cap, FBNIC_TLV_MSG_ID_RPC_MAC_SYNC_REQ);
		fbnic_tlv_nest_start(&b, FBNIC_FW_RPC_MAC_SYNC_UC_ARRAY);
		for (i = rng() % 10; i > 0; i--)
			fbnic_tlv_add_mac(&b, FBNIC_FW_RPC_MAC_SYNC_MAC_ADDR, mac);
		fbnic_tlv_nest_end(&b);
		fbnic_tlv_add_u32(&b, FBNIC_FW_RPC_MAC_SYNC_RX_FLAGS, rng() & 7);
		break;
	case 4:
		fbnic_tlv_msg_init(&b, buf, cap, FBNIC_TLV_MSG_ID_TEST);
		fbnic_tlv_add_u64(&b, 0, rng());
		fbnic_tlv_add_string(&b, 9, "fuzz", 16);
		fbnic_tlv_nest_start(&b, 10);
		fbnic_tlv_add_s32(&b, 3, -1);
		fbnic_tlv_nest_end(&b);
		break;
	case 5:
		fbnic_tlv_msg_init(&b, buf, cap, FBNIC_TLV_MSG_ID_LOG_SEND_LOGS_REQ);
		if (rng() & 1)
			fbnic_tlv_add_flag(&b, FBNIC_SEND_LOGS);
		fbnic_tlv_add_u32(&b, FBNIC_SEND_LOGS_VERSION, 1);
		break;
	case 6:
		fbnic_tlv_msg_init(&b, buf, cap, FBNIC_TLV_MSG_ID_FW_START_UPGRADE_REQ);
		fbnic_tlv_add_u32(&b, FBNIC_FW_START_UPGRADE_SECTION, rng() % 4);
		fbnic_tlv_add_u32(&b, FBNIC_FW_START_UPGRADE_IMAGE_LENGTH, rng());
		break;
	case 7:
		fbnic_tlv_msg_init(&b, buf, cap, FBNIC_TLV_MSG_ID_FW_WRITE_CHUNK_RESP);
		fbnic_tlv_add_u32(&b, FBNIC_FW_WRITE_CHUNK_OFFSET, 0);
		fbnic_tlv_add_bytes(&b, FBNIC_FW_WRITE_CHUNK_DATA, mac, 1 + rng() % 6);
		break;
	default:
		fbnic_tlv_msg_init(&b, buf, cap, (uint16_t)(FBNIC_TLV_MSG_ID_HEARTBEAT_REQ +
							    (rng() & 1) * 0x28));
		break;
	}
	return fbnic_tlv_msg_finish(&b);
}

static size_t
mutate(uint8_t *buf, size_t len, size_t cap)
{
	unsigned int n = rng() % 4, i;

	for (i = 0; i < n && len; i++) {
		size_t pos = rng() % len;

		switch (rng() % 5) {
		case 0:
			buf[pos] ^= (uint8_t)(1u << (rng() % 8));
			break;
		case 1:
			buf[pos] = (uint8_t)rng();
			break;
		case 2: /* a header's length field */
			pos &= ~(size_t)3;
			buf[pos + 2] = (uint8_t)rng();
			buf[pos + 3] = (uint8_t)(rng() % 2);
			break;
		case 3: /* shorten, keep a multiple of 4 */
			len = (pos & ~(size_t)3) ? (pos & ~(size_t)3) : 4;
			break;
		default: /* grow with garbage words */
			while (len + 4 <= cap && (rng() & 3)) {
				fbnic_tlv_put_le32(buf + len, rng());
				len += 4;
			}
			break;
		}
	}
	return len;
}

static unsigned long iterations = 20000;

/*
 * Valid requests of every kind, three in four mutated: each is completed,
 * handled or refused with FW_ERR, every reply parses, and the firmware
 * still answers a heartbeat.
 */
static int
test_mutated_requests_are_completed_or_refused(void)
{
	unsigned int bad_replies = 0, lost = 0;
	struct fbm_fw_observed obs;
	uint64_t sent = 0, done = 0, base;
	uint8_t msg[FBH_PAGE];
	unsigned long i;
	struct fbh h;
	uint8_t hb[4];

	TEST_ASSERT_SUCCESS(fbh_init(&h, NULL, 0));
	h.quiet = true;
	TEST_ASSERT_SUCCESS(fbh_mbx_bringup(&h), "bring-up failed");
	fbnic_tlv_put_le32(hb, fbnic_tlv_hdr(FBNIC_TLV_MSG_ID_HEARTBEAT_REQ, 1, true, false));
	/* bring-up requests are not part of the count */
	fbm_fw_observe(h.dev, &obs);
	base = obs.stats.requests + obs.stats.fw_err_tx;

	for (i = 0; i < iterations; i++) {
		int len = make_request(msg, sizeof(msg));
		size_t mlen;

		TEST_ASSERT(len > 0, "cannot build a request");
		mlen = (rng() % 4) ? mutate(msg, (size_t)len, 1024) : (size_t)len;
		if (fbh_mbx_send(&h, msg, mlen) == 0)
			sent++;
		/* Let up to a few requests queue before the firmware runs */
		if (rng() % 3 == 0) {
			fbh_advance(&h, 1 * MS);
			done += (uint64_t)fbh_mbx_reap_tx(&h);
			drain_replies(&h, &bad_replies);
		}
	}
	fbh_advance(&h, 5 * MS);
	done += (uint64_t)fbh_mbx_reap_tx(&h);
	drain_replies(&h, &bad_replies);
	if (done != sent)
		lost = (unsigned int)(sent - done);

	fbm_fw_observe(h.dev, &obs);
	printf("test_fw_fuzz: %llu requests, %llu handled, %llu malformed, %llu unknown, "
	       "%llu FW_ERR, %llu replies\n",
	       (unsigned long long)sent, (unsigned long long)obs.stats.requests,
	       (unsigned long long)obs.stats.malformed, (unsigned long long)obs.stats.unknown,
	       (unsigned long long)h.mbx_tx_errors, (unsigned long long)obs.stats.replies);

	TEST_CHECK_EQUAL(lost, 0);
	TEST_CHECK_EQUAL(bad_replies, 0);
	/* every request is either handled or refused with FW_ERR */
	TEST_CHECK_EQUAL(obs.stats.requests + obs.stats.fw_err_tx - base, sent);
	TEST_CHECK_EQUAL(obs.stats.fw_err_tx, h.mbx_tx_errors);
	/* the mutations did produce both kinds */
	TEST_CHECK(obs.stats.malformed > 0 && obs.stats.requests > 0);
	{
		static uint8_t resp[FBH_PAGE];

		TEST_CHECK(fbh_mbx_request(&h, hb, sizeof(hb), FBNIC_TLV_MSG_ID_HEARTBEAT_RESP,
					   resp, sizeof(resp), 200 * MS) > 0);
	}
	fbh_fini(&h);
	return TEST_SUCCESS;
}

/* Arguments: iterations (default 20000), seed. */
int
main(int argc, char **argv)
{
	if (argc > 1)
		iterations = strtoul(argv[1], NULL, 0);
	rng_state = argc > 2 ? strtoull(argv[2], NULL, 0) : 0xf1e2d3c4ull;
	if (rng_state == 0)
		rng_state = 1;
	TK_RUN(test_mutated_requests_are_completed_or_refused);
	return tk_report("test_fw_fuzz");
}

#endif /* FBNIC_FUZZ_LIBFUZZER */
