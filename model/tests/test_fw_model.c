/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

/*
 * The model firmware alone, driven through registers and DMA the way the
 * Linux driver does it (fbnic_hw.rst 6).
 */

#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "fbm_harness.h"
#include "fbm_internal.h"
#include "fbm_fw.h"
#include "fbnic_fw.h"
#include "fbnic_tlv.h"

#define MS		1000000ull
#define REQ_TIMEOUT	(200 * MS)

static struct fbh h;

static int
start(struct fbm_config *cfg)
{
	struct fbm_config def;
	int err;

	if (cfg == NULL) {
		fbh_config_default(&def);
		cfg = &def;
	}
	err = fbh_init(&h, cfg, 0);
	if (err)
		return err;
	h.quiet = true;
	err = fbh_mbx_wait_ready(&h);
	if (err)
		return err;
	return fbh_mbx_enable(&h);
}

static void
stop(void)
{
	fbh_fini(&h);
}

/* A message with no attributes, or with one flag attribute. */
static int
build(uint8_t *buf, size_t cap, uint16_t id, int flag)
{
	struct fbnic_tlv_builder b;

	fbnic_tlv_msg_init(&b, buf, cap, id);
	if (flag >= 0)
		fbnic_tlv_add_flag(&b, (uint16_t)flag);
	return fbnic_tlv_msg_finish(&b);
}

/* Send req, wait for resp_id, index the reply with no policy. */
static int
request(const uint8_t *req, int req_len, uint16_t resp_id,
	struct fbnic_tlv_index *idx)
{
	static uint8_t resp[FBNIC_TLV_MSG_MAX_LEN];
	int len;

	if (req_len < 0)
		return req_len;
	len = fbh_mbx_request(&h, req, (size_t)req_len, resp_id, resp,
			      sizeof(resp), REQ_TIMEOUT);
	if (len < 0)
		return len;
	return fbnic_tlv_msg_parse(resp, (size_t)len, FBNIC_TLV_ATTR_ID_MAX,
				   NULL, idx);
}

static int
simple_request(uint16_t id, int flag, uint16_t resp_id,
	       struct fbnic_tlv_index *idx)
{
	uint8_t req[16];

	return request(req, build(req, sizeof(req), id, flag), resp_id, idx);
}

static uint64_t
heartbeat_uptime(void)
{
	struct fbnic_tlv_index idx;
	uint64_t up = UINT64_MAX;

	if (simple_request(FBNIC_TLV_MSG_ID_HEARTBEAT_REQ, -1,
			   FBNIC_TLV_MSG_ID_HEARTBEAT_RESP, &idx) != 0)
		return UINT64_MAX;
	if (fbnic_tlv_get_u64(fbnic_tlv_attr(&idx, FBNIC_FW_HEARTBEAT_UPTIME),
			      &up) != 0)
		return UINT64_MAX;
	return up;
}

static uint32_t
u32_of(const struct fbnic_tlv_index *idx, unsigned int id)
{
	uint32_t v = 0xdeadbeef;

	fbnic_tlv_get_u32(fbnic_tlv_attr(idx, id), &v);
	return v;
}

static int32_t
s32_of(const struct fbnic_tlv_index *idx, unsigned int id)
{
	int32_t v = 0x7eadbeef;

	fbnic_tlv_get_s32(fbnic_tlv_attr(idx, id), &v);
	return v;
}

static bool
str_is(const struct fbnic_tlv_index *idx, unsigned int id, const char *want)
{
	char s[32];

	return fbnic_tlv_get_string(fbnic_tlv_attr(idx, id), s, sizeof(s)) >= 0 &&
	       strcmp(s, want) == 0;
}

/* Post a descriptor by hand on the TX ring, as fbh_mbx_send() would. */
static void
post_raw_tx(uint64_t desc)
{
	unsigned int t = h.mbx[FBNIC_IPC_MBX_TX_IDX].tail;

	h.mbx[FBNIC_IPC_MBX_TX_IDX].tail = (uint8_t)((t + 1) % FBH_MBX_DESCS);
	fbh_wr4(&h, FBNIC_IPC_MBX(FBNIC_IPC_MBX_TX_IDX,
				  h.mbx[FBNIC_IPC_MBX_TX_IDX].tail), 0);
	fbh_wr4(&h, FBNIC_IPC_MBX(FBNIC_IPC_MBX_TX_IDX, t) + 1,
		(uint32_t)(desc >> 32));
	fbh_flush(&h);
	fbh_wr4(&h, FBNIC_IPC_MBX(FBNIC_IPC_MBX_TX_IDX, t), (uint32_t)desc);
}

/* Send raw bytes, let the firmware run, reap: FW_ERR count delta. */
static uint64_t
send_and_count_fw_err(const void *msg, size_t len)
{
	uint64_t before = h.mbx_tx_errors;

	if (fbh_mbx_send(&h, msg, len) != 0)
		return UINT64_MAX;
	fbh_advance(&h, 2 * MS);
	if (fbh_mbx_reap_tx(&h) != 1)
		return UINT64_MAX;
	return h.mbx_tx_errors - before;
}

static int
test_fw_signals_ready_after_boot_delay_on_tx_ring_reset(void)
{
	struct fbm_config cfg;
	struct fbm_fw_observed obs;

	fbh_config_default(&cfg);
	cfg.fw_ready_delay_ns = 100 * MS;
	TEST_CHECK_EQUAL(fbh_init(&h, &cfg, 0), 0);
	h.quiet = true;
	fbh_wr(&h, FBNIC_INTR_SW_AC_MODE(0), ~1u);
	fbh_wr(&h, FBNIC_INTR_CLEAR(0), 1);

	/* Booting: a ring reset does not get an answer yet */
	fbh_mbx_reset_ring(&h, FBNIC_IPC_MBX_TX_IDX);
	fbh_advance(&h, 50 * MS);
	TEST_CHECK_EQUAL(fbh_rd(&h, FBNIC_INTR_STATUS(0)) & 1, 0);
	fbm_fw_observe(h.dev, &obs);
	TEST_CHECK(!obs.alive);

	/* Booted: the pending reset is answered */
	fbh_advance(&h, 60 * MS);
	TEST_CHECK_EQUAL(fbh_rd(&h, FBNIC_INTR_STATUS(0)) & 1, 1);
	fbh_wr(&h, FBNIC_INTR_CLEAR(0), 1);

	/* Alive: no reset, no signal; each reset, one signal */
	fbh_advance(&h, 50 * MS);
	TEST_CHECK_EQUAL(fbh_rd(&h, FBNIC_INTR_STATUS(0)) & 1, 0);
	fbh_mbx_reset_ring(&h, FBNIC_IPC_MBX_TX_IDX);
	fbh_advance(&h, 1 * MS);
	TEST_CHECK_EQUAL(fbh_rd(&h, FBNIC_INTR_STATUS(0)) & 1, 1);
	fbm_fw_observe(h.dev, &obs);
	TEST_CHECK(obs.alive);
	TEST_CHECK_EQUAL(obs.stats.ready_signals, 2);
	stop();
	return TEST_SUCCESS;
}

static int
test_fw_cap_resp_reports_config_and_info(void)
{
	static const uint8_t mac1[6] = { 0x02, 0xbc, 1, 2, 3, 4 };
	static const uint8_t mac2[6] = { 0x02, 0xbc, 5, 6, 7, 8 };
	struct fbnic_tlv_attr macs[4];
	struct fbnic_tlv_index idx;
	struct fbm_fw_info info;
	struct fbm_config cfg;
	uint8_t mac[6];

	fbh_config_default(&cfg);
	cfg.fw_version = FBNIC_FW_VER_CODE(0, 10, 6, 0);
	cfg.link_mode = 2;
	cfg.fec = 3;
	cfg.bmc_present = true;
	TEST_CHECK_EQUAL(start(&cfg), 0);

	fbm_fw_info_get(h.dev, &info);
	info.stored_version = FBNIC_FW_VER_CODE(0, 11, 0, 1);
	strcpy(info.running_commit, "abc123");
	strcpy(info.stored_commit, "def456");
	info.cmrt_version = FBNIC_FW_VER_CODE(2, 0, 0, 0);
	info.stored_cmrt_version = FBNIC_FW_VER_CODE(2, 1, 0, 0);
	strcpy(info.cmrt_commit, "cmrt1");
	strcpy(info.stored_cmrt_commit, "cmrt2");
	info.uefi_version = FBNIC_FW_VER_CODE(0, 3, 0, 0);
	strcpy(info.uefi_commit, "uefi1");
	info.active_slot = 2;
	info.anti_rollback = 7;
	info.bmc_mac_count = 2;
	memcpy(info.bmc_mac[0], mac1, 6);
	memcpy(info.bmc_mac[1], mac2, 6);
	info.bmc_all_multi = true;
	fbm_fw_info_set(h.dev, &info);

	TEST_CHECK_EQUAL(simple_request(FBNIC_TLV_MSG_ID_HOST_CAP_REQ, -1,
					FBNIC_TLV_MSG_ID_FW_CAP_RESP, &idx), 0);
	TEST_CHECK_EQUAL(u32_of(&idx, FBNIC_FW_CAP_RESP_VERSION), 0x000a0600);
	TEST_CHECK_EQUAL(fbnic_tlv_get_flag(fbnic_tlv_attr(&idx, FBNIC_FW_CAP_RESP_BMC_PRESENT)),
			 1);
	TEST_CHECK_EQUAL(fbnic_tlv_array_parse(fbnic_tlv_attr(&idx,
							      FBNIC_FW_CAP_RESP_BMC_MAC_ARRAY),
					       FBNIC_FW_CAP_RESP_BMC_MAC_ADDR, macs, 4), 2);
	TEST_CHECK_EQUAL(fbnic_tlv_get_mac(&macs[1], mac), 0);
	TEST_CHECK(memcmp(mac, mac2, 6) == 0);
	TEST_CHECK_EQUAL(u32_of(&idx, FBNIC_FW_CAP_RESP_BMC_ALL_MULTI), 1);
	TEST_CHECK_EQUAL(u32_of(&idx, FBNIC_FW_CAP_RESP_STORED_VERSION), 0x000b0001);
	TEST_CHECK_EQUAL(u32_of(&idx, FBNIC_FW_CAP_RESP_ACTIVE_FW_SLOT), 2);
	TEST_CHECK(str_is(&idx, FBNIC_FW_CAP_RESP_VERSION_COMMIT_STR, "abc123"));
	TEST_CHECK(str_is(&idx, FBNIC_FW_CAP_RESP_STORED_COMMIT_STR, "def456"));
	TEST_CHECK_EQUAL(u32_of(&idx, FBNIC_FW_CAP_RESP_FW_LINK_SPEED), 2);
	TEST_CHECK_EQUAL(u32_of(&idx, FBNIC_FW_CAP_RESP_FW_LINK_FEC), 3);
	TEST_CHECK_EQUAL(u32_of(&idx, FBNIC_FW_CAP_RESP_CMRT_VERSION), 0x02000000);
	TEST_CHECK_EQUAL(u32_of(&idx, FBNIC_FW_CAP_RESP_STORED_CMRT_VERSION), 0x02010000);
	TEST_CHECK(str_is(&idx, FBNIC_FW_CAP_RESP_CMRT_COMMIT_STR, "cmrt1"));
	TEST_CHECK(str_is(&idx, FBNIC_FW_CAP_RESP_STORED_CMRT_COMMIT_STR, "cmrt2"));
	TEST_CHECK_EQUAL(u32_of(&idx, FBNIC_FW_CAP_RESP_UEFI_VERSION), 0x00030000);
	TEST_CHECK(str_is(&idx, FBNIC_FW_CAP_RESP_UEFI_COMMIT_STR, "uefi1"));
	TEST_CHECK_EQUAL(u32_of(&idx, FBNIC_FW_CAP_RESP_ANTI_ROLLBACK_VERSION), 7);
	stop();
	return TEST_SUCCESS;
}

static int
test_fw_cap_resp_without_bmc_has_no_bmc_attributes(void)
{
	struct fbnic_tlv_index idx;
	struct fbm_config cfg;

	fbh_config_default(&cfg);
	cfg.bmc_present = false;
	TEST_CHECK_EQUAL(start(&cfg), 0);
	TEST_CHECK_EQUAL(simple_request(FBNIC_TLV_MSG_ID_HOST_CAP_REQ, -1,
					FBNIC_TLV_MSG_ID_FW_CAP_RESP, &idx), 0);
	TEST_CHECK_EQUAL(u32_of(&idx, FBNIC_FW_CAP_RESP_VERSION), cfg.fw_version);
	TEST_CHECK(fbnic_tlv_attr(&idx, FBNIC_FW_CAP_RESP_BMC_PRESENT) == NULL);
	TEST_CHECK(fbnic_tlv_attr(&idx, FBNIC_FW_CAP_RESP_BMC_MAC_ARRAY) == NULL);
	TEST_CHECK_EQUAL(u32_of(&idx, FBNIC_FW_CAP_RESP_FW_LINK_SPEED), cfg.link_mode);
	stop();
	return TEST_SUCCESS;
}

static int
test_harness_bringup_succeeds(void)
{
	struct fbm_config cfg;

	fbh_config_default(&cfg);
	TEST_CHECK_EQUAL(fbh_init(&h, &cfg, 0), 0);
	h.quiet = true;
	TEST_CHECK_EQUAL(fbh_mbx_bringup(&h), 0);
	stop();
	return TEST_SUCCESS;
}

static int
test_ownership_take_and_release_are_answered(void)
{
	struct fbm_fw_observed obs;
	struct fbnic_tlv_index idx;
	uint64_t up = 0;

	TEST_CHECK_EQUAL(start(NULL), 0);
	fbh_advance(&h, 300 * MS);
	TEST_CHECK_EQUAL(simple_request(FBNIC_TLV_MSG_ID_OWNERSHIP_REQ,
					FBNIC_FW_OWNERSHIP_FLAG,
					FBNIC_TLV_MSG_ID_OWNERSHIP_RESP, &idx), 0);
	TEST_CHECK_EQUAL(fbnic_tlv_get_u64(fbnic_tlv_attr(&idx, FBNIC_FW_OWNERSHIP_TIME),
					   &up), 0);
	TEST_CHECK(up >= 300);
	fbm_fw_observe(h.dev, &obs);
	TEST_CHECK(obs.host_owns);
	TEST_CHECK_EQUAL(obs.stats.ownership_takes, 1);

	TEST_CHECK_EQUAL(simple_request(FBNIC_TLV_MSG_ID_OWNERSHIP_REQ, -1,
					FBNIC_TLV_MSG_ID_OWNERSHIP_RESP, &idx), 0);
	fbm_fw_observe(h.dev, &obs);
	TEST_CHECK(!obs.host_owns);
	TEST_CHECK_EQUAL(obs.stats.ownership_releases, 1);
	stop();
	return TEST_SUCCESS;
}

static int
test_heartbeat_uptime_grows_with_time(void)
{
	uint64_t up1, up2, up3;

	TEST_CHECK_EQUAL(start(NULL), 0);
	up1 = heartbeat_uptime();
	fbh_advance(&h, 1500 * MS);
	up2 = heartbeat_uptime();
	fbh_advance(&h, 10000 * MS);
	up3 = heartbeat_uptime();
	TEST_CHECK(up1 != UINT64_MAX && up2 != UINT64_MAX && up3 != UINT64_MAX);
	TEST_CHECK(up2 >= up1 + 1500);
	TEST_CHECK(up2 < up1 + 1500 + 500);
	TEST_CHECK(up3 >= up2 + 10000);

	/* A restarted firmware counts from zero again */
	fbm_fw_restart(h.dev);
	TEST_CHECK(heartbeat_uptime() < up3);
	stop();
	return TEST_SUCCESS;
}

static int
test_fw_silent_answers_nothing(void)
{
	uint8_t req[8], resp[64];
	struct fbm_fw_observed obs;
	int len;

	TEST_CHECK_EQUAL(start(NULL), 0);
	TEST_CHECK_EQUAL(fbm_fault_set(h.dev, FBM_FAULT_FW_SILENT, true), 0);
	len = build(req, sizeof(req), FBNIC_TLV_MSG_ID_HEARTBEAT_REQ, -1);
	TEST_CHECK(fbh_mbx_request(&h, req, (size_t)len,
				   FBNIC_TLV_MSG_ID_HEARTBEAT_RESP, resp, sizeof(resp),
				   REQ_TIMEOUT) < 0);
	/* the request is not even completed */
	TEST_CHECK_EQUAL(fbh_mbx_reap_tx(&h), 0);
	/* nor is a ring reset answered */
	fbh_wr(&h, FBNIC_INTR_CLEAR(0), 1);
	fbh_advance(&h, 20 * MS);
	fbm_fw_observe(h.dev, &obs);
	TEST_CHECK_EQUAL(obs.stats.heartbeats, 0);

	/* once it talks again the queued request is served */
	TEST_CHECK_EQUAL(fbm_fault_set(h.dev, FBM_FAULT_FW_SILENT, false), 0);
	fbh_advance(&h, 2 * MS);
	TEST_CHECK_EQUAL(fbh_mbx_reap_tx(&h), 1);
	len = fbh_mbx_recv(&h, resp, sizeof(resp));
	TEST_CHECK(len > 0);
	TEST_CHECK_EQUAL(fbnic_tlv_get_le32(resp) & FBNIC_TLV_HDR_TYPE_MASK,
			 FBNIC_TLV_MSG_ID_HEARTBEAT_RESP);
	stop();
	return TEST_SUCCESS;
}

static int
test_fw_silent_gives_no_ready_signal(void)
{
	struct fbm_config cfg;

	fbh_config_default(&cfg);
	cfg.faults = 1u << FBM_FAULT_FW_SILENT;
	TEST_CHECK_EQUAL(fbh_init(&h, &cfg, 0), 0);
	h.quiet = true;
	fbh_wr(&h, FBNIC_INTR_SW_AC_MODE(0), ~1u);
	fbh_wr(&h, FBNIC_INTR_CLEAR(0), 1);
	fbh_mbx_reset_ring(&h, FBNIC_IPC_MBX_TX_IDX);
	fbh_advance(&h, 100 * MS);
	TEST_CHECK_EQUAL(fbh_rd(&h, FBNIC_INTR_STATUS(0)) & 1, 0);
	stop();
	return TEST_SUCCESS;
}

static int
test_fw_error_replies_complete_with_fw_err(void)
{
	uint8_t req[8], resp[64];
	struct fbm_fw_observed obs;
	int len;

	TEST_CHECK_EQUAL(start(NULL), 0);
	TEST_CHECK_EQUAL(fbm_fault_set(h.dev, FBM_FAULT_FW_ERROR_REPLIES, true), 0);
	len = build(req, sizeof(req), FBNIC_TLV_MSG_ID_HEARTBEAT_REQ, -1);
	TEST_CHECK_EQUAL(send_and_count_fw_err(req, (size_t)len), 1);
	TEST_CHECK_EQUAL(send_and_count_fw_err(req, (size_t)len), 1);
	TEST_CHECK_EQUAL(fbh_mbx_recv(&h, resp, sizeof(resp)), -EAGAIN);
	fbm_fw_observe(h.dev, &obs);
	TEST_CHECK_EQUAL(obs.stats.fw_err_tx, 2);
	TEST_CHECK_EQUAL(obs.stats.heartbeats, 0);

	TEST_CHECK_EQUAL(fbm_fault_set(h.dev, FBM_FAULT_FW_ERROR_REPLIES, false), 0);
	TEST_CHECK(heartbeat_uptime() != UINT64_MAX);
	stop();
	return TEST_SUCCESS;
}

static int
test_malformed_requests_get_fw_err_and_fw_keeps_working(void)
{
	static const uint32_t bad[][4] = {
		/* attribute header without is_msg on the message */
		{ 0x00010014 },
		/* attribute length 12 runs past a 2-word message */
		{ 0x00028012, 0x000c0000 },
		/* ownership flag carrying a payload */
		{ 0x00038012, 0x00080000, 0x1 },
		/* duplicate flag */
		{ 0x00038012, 0x00040000, 0x00040000 },
		/* unknown attribute that must not be ignored */
		{ 0x00028014, 0x00044007 },
		/* header claims 4 words, descriptor carries 2 */
		{ 0x00048014, 0 },
		/* unknown message ID */
		{ 0x0001807f },
	};
	static const unsigned int words[] = { 1, 2, 3, 3, 2, 2, 1 };
	struct fbm_fw_observed obs;
	uint8_t buf[16];
	unsigned int i, j;

	TEST_CHECK_EQUAL(start(NULL), 0);
	for (i = 0; i < FBM_DIM(words); i++) {
		for (j = 0; j < words[i]; j++)
			fbnic_tlv_put_le32(buf + 4 * j, bad[i][j]);
		TEST_CHECK(send_and_count_fw_err(buf, 4 * words[i]) == 1,
			   "bad request %u not refused", i);
	}
	fbm_fw_observe(h.dev, &obs);
	TEST_CHECK_EQUAL(obs.stats.malformed, 6);
	TEST_CHECK_EQUAL(obs.stats.unknown, 1);
	TEST_CHECK_EQUAL(obs.stats.requests, 0);

	/* an unknown attribute that may be ignored is ignored */
	fbnic_tlv_put_le32(buf, 0x00028014);
	fbnic_tlv_put_le32(buf + 4, 0x00040007);
	TEST_CHECK_EQUAL(send_and_count_fw_err(buf, 8), 0);
	TEST_CHECK(fbh_mbx_recv(&h, buf, sizeof(buf)) > 0);

	TEST_CHECK(heartbeat_uptime() != UINT64_MAX);
	stop();
	return TEST_SUCCESS;
}

/*
 * A repeated attribute is refused whatever its ID, also one the message's
 * table does not know: an echoed TEST with attribute 13 twice is a reply
 * the driver refuses, so the firmware must not send it.
 */
static int
test_duplicate_attributes_are_refused_not_echoed(void)
{
	static const uint32_t bad[][3] = {
		/* TEST (table of 12) with attribute 13 twice */
		{ 0x00038000, 0x0004000d, 0x0004000d },
		/* TEST with a known attribute twice */
		{ 0x00038000, 0x00040007, 0x00040007 },
		/* HEARTBEAT_REQ (no attributes) with attribute 7 twice */
		{ 0x00038014, 0x00040007, 0x00040007 },
		/* TEST with an attribute ID beyond any table */
		{ 0x00028000, 0x00040028 },
	};
	static const unsigned int words[] = { 3, 3, 3, 2 };
	struct fbm_fw_observed obs;
	uint8_t buf[16], resp[64];
	unsigned int i, j;
	int len;

	TEST_CHECK_EQUAL(start(NULL), 0);
	for (i = 0; i < FBM_DIM(words); i++) {
		for (j = 0; j < words[i]; j++)
			fbnic_tlv_put_le32(buf + 4 * j, bad[i][j]);
		TEST_CHECK(send_and_count_fw_err(buf, 4 * words[i]) == 1,
			   "request %u with a bad attribute not refused", i);
		TEST_CHECK_EQUAL(fbh_mbx_recv(&h, resp, sizeof(resp)), -EAGAIN);
	}
	fbm_fw_observe(h.dev, &obs);
	TEST_CHECK_EQUAL(obs.stats.malformed, 4);
	TEST_CHECK_EQUAL(obs.stats.requests, 0);

	/* attribute 13 once is unknown to TEST: skipped, echoed */
	fbnic_tlv_put_le32(buf, 0x00028000);
	fbnic_tlv_put_le32(buf + 4, 0x0004000d);
	TEST_CHECK_EQUAL(send_and_count_fw_err(buf, 8), 0);
	len = fbh_mbx_recv(&h, resp, sizeof(resp));
	TEST_CHECK_EQUAL(len, 8);
	TEST_CHECK(len == 8 && memcmp(resp, buf, 8) == 0);
	stop();
	return TEST_SUCCESS;
}

static int
test_bad_descriptors_get_fw_err_without_crash(void)
{
	const uint64_t ok = FBNIC_IPC_MBX_DESC_EOM | FBNIC_IPC_MBX_DESC_HOST_CMPL;
	struct fbm_fw_observed obs;
	uint64_t iova = 0;
	uint8_t *msg;
	unsigned int i;
	uint64_t descs[4];

	TEST_CHECK_EQUAL(start(NULL), 0);
	msg = fbh_alloc(&h, 4096, 4096, &iova);
	TEST_CHECK(msg != NULL);
	if (msg == NULL) {
		stop();
		return TEST_FAILED;
	}
	fbnic_tlv_put_le32(msg, 0x00018014);

	/* address outside host memory */
	descs[0] = FBNIC_FIELD_PREP(FBNIC_IPC_MBX_DESC_LEN_MASK, 4) |
		   (0x3ff0000000ull & FBNIC_IPC_MBX_DESC_ADDR_MASK) | ok;
	/* zero length */
	descs[1] = (iova & FBNIC_IPC_MBX_DESC_ADDR_MASK) | ok;
	/* longer than any message */
	descs[2] = FBNIC_FIELD_PREP(FBNIC_IPC_MBX_DESC_LEN_MASK, 8192) |
		   (iova & FBNIC_IPC_MBX_DESC_ADDR_MASK) | ok;
	/* no EOM */
	descs[3] = FBNIC_FIELD_PREP(FBNIC_IPC_MBX_DESC_LEN_MASK, 4) |
		   (iova & FBNIC_IPC_MBX_DESC_ADDR_MASK) | FBNIC_IPC_MBX_DESC_HOST_CMPL;
	for (i = 0; i < 4; i++) {
		uint64_t before = h.mbx_tx_errors;

		post_raw_tx(descs[i]);
		fbh_advance(&h, 2 * MS);
		TEST_CHECK_EQUAL(fbh_mbx_reap_tx(&h), 1);
		TEST_CHECK_EQUAL(h.mbx_tx_errors - before, 1);
	}
	fbm_fw_observe(h.dev, &obs);
	TEST_CHECK_EQUAL(obs.stats.dma_faults, 1);
	TEST_CHECK_EQUAL(obs.stats.malformed, 3);

	/* the same buffer with a proper descriptor is served */
	post_raw_tx(FBNIC_FIELD_PREP(FBNIC_IPC_MBX_DESC_LEN_MASK, 4) |
		    (iova & FBNIC_IPC_MBX_DESC_ADDR_MASK) | ok);
	fbh_advance(&h, 2 * MS);
	TEST_CHECK_EQUAL(fbh_mbx_reap_tx(&h), 1);
	TEST_CHECK(fbh_mbx_recv(&h, msg + 64, 256) > 0);
	fbm_fw_observe(h.dev, &obs);
	TEST_CHECK_EQUAL(obs.stats.heartbeats, 1);
	stop();
	return TEST_SUCCESS;
}

static int
test_requests_wait_for_bus_mastering(void)
{
	uint8_t req[8], resp[64];
	int len;

	TEST_CHECK_EQUAL(start(NULL), 0);
	/* AR_CFG without BME: the firmware may not read the request */
	fbh_wr(&h, FBNIC_PUL_OB_TLP_HDR_AR_CFG, 0);
	len = build(req, sizeof(req), FBNIC_TLV_MSG_ID_HEARTBEAT_REQ, -1);
	TEST_CHECK_EQUAL(fbh_mbx_send(&h, req, (size_t)len), 0);
	fbh_advance(&h, 50 * MS);
	TEST_CHECK_EQUAL(fbh_mbx_reap_tx(&h), 0);

	fbh_wr(&h, FBNIC_PUL_OB_TLP_HDR_AR_CFG, FBNIC_PUL_OB_TLP_HDR_AR_CFG_BME);
	fbh_advance(&h, 2 * MS);
	TEST_CHECK_EQUAL(fbh_mbx_reap_tx(&h), 1);
	TEST_CHECK_EQUAL(h.mbx_tx_errors, 0);
	TEST_CHECK(fbh_mbx_recv(&h, resp, sizeof(resp)) > 0);
	stop();
	return TEST_SUCCESS;
}

static int
test_fourteen_requests_in_flight_are_answered_in_order(void)
{
	uint8_t req[8], resp[64];
	uint64_t prev = 0;
	unsigned int i, got = 0;
	int len;

	TEST_CHECK_EQUAL(start(NULL), 0);
	len = build(req, sizeof(req), FBNIC_TLV_MSG_ID_HEARTBEAT_REQ, -1);
	for (i = 0; i < 14; i++)
		TEST_CHECK_EQUAL(fbh_mbx_send(&h, req, (size_t)len), 0);
	for (i = 0; i < 100 && got < 14; i++) {
		struct fbnic_tlv_index idx;
		uint64_t up = 0;
		int n;

		fbh_advance(&h, 1 * MS);
		fbh_mbx_reap_tx(&h);
		n = fbh_mbx_recv(&h, resp, sizeof(resp));
		if (n == -EAGAIN)
			continue;
		TEST_CHECK(n > 0);
		if (n <= 0)
			break;
		TEST_CHECK_EQUAL(fbnic_tlv_msg_parse(resp, (size_t)n, 2, NULL, &idx), 0);
		TEST_CHECK_EQUAL(idx.id, FBNIC_TLV_MSG_ID_HEARTBEAT_RESP);
		TEST_CHECK_EQUAL(fbnic_tlv_get_u64(fbnic_tlv_attr(&idx, 0), &up), 0);
		TEST_CHECK(up >= prev);
		prev = up;
		got++;
	}
	TEST_CHECK_EQUAL(got, 14);
	TEST_CHECK_EQUAL(h.mbx_tx_errors, 0);
	stop();
	return TEST_SUCCESS;
}

static int
test_other_messages_get_their_answers(void)
{
	static const uint8_t uc[2][6] = { { 2, 0, 0, 0, 0, 1 }, { 2, 0, 0, 0, 0, 2 } };
	struct fbnic_tlv_builder b;
	struct fbnic_tlv_index idx;
	struct fbm_fw_observed obs;
	uint8_t req[128];
	const struct fbnic_tlv_attr *a;
	int len;

	TEST_CHECK_EQUAL(start(NULL), 0);

	/* TEST is echoed byte for byte */
	{
		static uint8_t resp[256];

		fbnic_tlv_msg_init(&b, req, sizeof(req), FBNIC_TLV_MSG_ID_TEST);
		fbnic_tlv_add_u64(&b, 0, 0x1122334455667788ull);
		fbnic_tlv_add_s32(&b, 3, -7);
		fbnic_tlv_add_string(&b, 9, "echo", 32);
		len = fbnic_tlv_msg_finish(&b);
		TEST_CHECK_EQUAL(fbh_mbx_request(&h, req, (size_t)len, FBNIC_TLV_MSG_ID_TEST,
						 resp, sizeof(resp), REQ_TIMEOUT), len);
		TEST_CHECK(memcmp(resp, req, (size_t)len) == 0);
	}

	/* QSFP: identifier byte, vendor name, out-of-range read */
	fbnic_tlv_msg_init(&b, req, sizeof(req), FBNIC_TLV_MSG_ID_QSFP_READ_REQ);
	fbnic_tlv_add_u32(&b, FBNIC_FW_QSFP_BANK, 0);
	fbnic_tlv_add_u32(&b, FBNIC_FW_QSFP_PAGE, 0);
	fbnic_tlv_add_u32(&b, FBNIC_FW_QSFP_OFFSET, 148);
	fbnic_tlv_add_u32(&b, FBNIC_FW_QSFP_LENGTH, 16);
	TEST_CHECK_EQUAL(request(req, fbnic_tlv_msg_finish(&b),
				 FBNIC_TLV_MSG_ID_QSFP_READ_RESP, &idx), 0);
	a = fbnic_tlv_attr(&idx, FBNIC_FW_QSFP_DATA);
	TEST_CHECK(a != NULL && a->len == 16 && memcmp(a->data, "FBNIC MODEL", 11) == 0);
	TEST_CHECK_EQUAL(u32_of(&idx, FBNIC_FW_QSFP_OFFSET), 148);
	TEST_CHECK_EQUAL(u32_of(&idx, FBNIC_FW_QSFP_LENGTH), 16);
	TEST_CHECK(fbnic_tlv_attr(&idx, FBNIC_FW_QSFP_ERROR) == NULL);

	fbnic_tlv_msg_init(&b, req, sizeof(req), FBNIC_TLV_MSG_ID_QSFP_READ_REQ);
	fbnic_tlv_add_u32(&b, FBNIC_FW_QSFP_BANK, 0);
	fbnic_tlv_add_u32(&b, FBNIC_FW_QSFP_PAGE, 0);
	fbnic_tlv_add_u32(&b, FBNIC_FW_QSFP_OFFSET, 0);
	fbnic_tlv_add_u32(&b, FBNIC_FW_QSFP_LENGTH, 1);
	TEST_CHECK_EQUAL(request(req, fbnic_tlv_msg_finish(&b),
				 FBNIC_TLV_MSG_ID_QSFP_READ_RESP, &idx), 0);
	a = fbnic_tlv_attr(&idx, FBNIC_FW_QSFP_DATA);
	TEST_CHECK(a != NULL && a->len == 1 && a->data[0] == 0x11);

	fbnic_tlv_msg_init(&b, req, sizeof(req), FBNIC_TLV_MSG_ID_QSFP_READ_REQ);
	fbnic_tlv_add_u32(&b, FBNIC_FW_QSFP_BANK, 0);
	fbnic_tlv_add_u32(&b, FBNIC_FW_QSFP_PAGE, 0);
	fbnic_tlv_add_u32(&b, FBNIC_FW_QSFP_OFFSET, 250);
	fbnic_tlv_add_u32(&b, FBNIC_FW_QSFP_LENGTH, 10);
	TEST_CHECK_EQUAL(request(req, fbnic_tlv_msg_finish(&b),
				 FBNIC_TLV_MSG_ID_QSFP_READ_RESP, &idx), 0);
	TEST_CHECK_EQUAL(s32_of(&idx, FBNIC_FW_QSFP_ERROR), -EINVAL);
	TEST_CHECK(fbnic_tlv_attr(&idx, FBNIC_FW_QSFP_DATA) == NULL);

	/* Sensors */
	TEST_CHECK_EQUAL(simple_request(FBNIC_TLV_MSG_ID_TSENE_READ_REQ, -1,
					FBNIC_TLV_MSG_ID_TSENE_READ_RESP, &idx), 0);
	TEST_CHECK_EQUAL(s32_of(&idx, FBNIC_FW_TSENE_THERM), 45000);
	TEST_CHECK_EQUAL(s32_of(&idx, FBNIC_FW_TSENE_VOLT), 850);

	/* Upgrade refused */
	fbnic_tlv_msg_init(&b, req, sizeof(req), FBNIC_TLV_MSG_ID_FW_START_UPGRADE_REQ);
	fbnic_tlv_add_u32(&b, FBNIC_FW_START_UPGRADE_SECTION, 1);
	fbnic_tlv_add_u32(&b, FBNIC_FW_START_UPGRADE_IMAGE_LENGTH, 4096);
	TEST_CHECK_EQUAL(request(req, fbnic_tlv_msg_finish(&b),
				 FBNIC_TLV_MSG_ID_FW_START_UPGRADE_RESP, &idx), 0);
	TEST_CHECK_EQUAL(s32_of(&idx, FBNIC_FW_START_UPGRADE_ERROR), -EOPNOTSUPP);

	/* Log streaming and MAC sync are accepted and recorded, no reply */
	fbnic_tlv_msg_init(&b, req, sizeof(req), FBNIC_TLV_MSG_ID_LOG_SEND_LOGS_REQ);
	fbnic_tlv_add_flag(&b, FBNIC_SEND_LOGS);
	fbnic_tlv_add_u32(&b, FBNIC_SEND_LOGS_VERSION, 1);
	len = fbnic_tlv_msg_finish(&b);
	TEST_CHECK_EQUAL(send_and_count_fw_err(req, (size_t)len), 0);
	/* streaming starts with a line saying so */
	len = fbh_mbx_recv(&h, req, sizeof(req));
	TEST_CHECK(len > 0);
	TEST_CHECK_EQUAL(fbnic_tlv_msg_parse(req, len > 0 ? (size_t)len : 0, 7, NULL, &idx), 0);
	TEST_CHECK_EQUAL(idx.id, FBNIC_TLV_MSG_ID_LOG_MSG_REQ);
	TEST_CHECK(str_is(&idx, 2, "log streaming enabled"));

	fbnic_tlv_msg_init(&b, req, sizeof(req), FBNIC_TLV_MSG_ID_RPC_MAC_SYNC_REQ);
	fbnic_tlv_nest_start(&b, FBNIC_FW_RPC_MAC_SYNC_UC_ARRAY);
	fbnic_tlv_add_mac(&b, FBNIC_FW_RPC_MAC_SYNC_MAC_ADDR, uc[0]);
	fbnic_tlv_add_mac(&b, FBNIC_FW_RPC_MAC_SYNC_MAC_ADDR, uc[1]);
	fbnic_tlv_nest_end(&b);
	fbnic_tlv_add_u32(&b, FBNIC_FW_RPC_MAC_SYNC_RX_FLAGS,
			  FBNIC_FW_RPC_MAC_SYNC_RX_FLAGS_BROADCAST);
	len = fbnic_tlv_msg_finish(&b);
	TEST_CHECK_EQUAL(send_and_count_fw_err(req, (size_t)len), 0);
	TEST_CHECK_EQUAL(fbh_mbx_recv(&h, req, sizeof(req)), -EAGAIN);

	fbm_fw_observe(h.dev, &obs);
	TEST_CHECK(obs.logs_enabled);
	TEST_CHECK_EQUAL(obs.stats.mac_syncs, 1);
	TEST_CHECK_EQUAL(obs.mac_sync_uc, 2);
	TEST_CHECK_EQUAL(obs.mac_sync_mc, 0);
	TEST_CHECK_EQUAL(obs.mac_sync_flags, FBNIC_FW_RPC_MAC_SYNC_RX_FLAGS_BROADCAST);
	TEST_CHECK_EQUAL(h.mbx_tx_errors, 0);
	stop();
	return TEST_SUCCESS;
}

static int
coredump_info(bool create, uint32_t *size)
{
	struct fbnic_tlv_index idx;
	int err;

	err = simple_request(FBNIC_TLV_MSG_ID_COREDUMP_GET_INFO_REQ,
			     create ? FBNIC_FW_COREDUMP_REQ_INFO_CREATE : -1,
			     FBNIC_TLV_MSG_ID_COREDUMP_GET_INFO_RESP, &idx);
	if (err)
		return err;
	if (fbnic_tlv_attr(&idx, FBNIC_FW_COREDUMP_INFO_ERROR) != NULL)
		return -EIO;
	if (fbnic_tlv_attr(&idx, FBNIC_FW_COREDUMP_INFO_AVAILABLE) == NULL)
		return -ENOENT;
	*size = u32_of(&idx, FBNIC_FW_COREDUMP_INFO_SIZE);
	return 0;
}

/* Read [offset, offset + length) as Linux does; returns the data length. */
static int
coredump_read(uint32_t offset, uint32_t length, uint8_t *out, int32_t *fw_err)
{
	struct fbnic_tlv_builder b;
	struct fbnic_tlv_index idx;
	const struct fbnic_tlv_attr *a;
	uint8_t req[64];
	int err;

	fbnic_tlv_msg_init(&b, req, sizeof(req), FBNIC_TLV_MSG_ID_COREDUMP_READ_REQ);
	if (offset)
		fbnic_tlv_add_u32(&b, FBNIC_FW_COREDUMP_READ_OFFSET, offset);
	if (length)
		fbnic_tlv_add_u32(&b, FBNIC_FW_COREDUMP_READ_LENGTH, length);
	err = request(req, fbnic_tlv_msg_finish(&b), FBNIC_TLV_MSG_ID_COREDUMP_READ_RESP,
		      &idx);
	if (err)
		return err;
	*fw_err = 0;
	if (fbnic_tlv_attr(&idx, FBNIC_FW_COREDUMP_READ_ERROR) != NULL)
		*fw_err = s32_of(&idx, FBNIC_FW_COREDUMP_READ_ERROR);
	a = fbnic_tlv_attr(&idx, FBNIC_FW_COREDUMP_READ_DATA);
	if (a == NULL)
		return 0;
	if (u32_of(&idx, FBNIC_FW_COREDUMP_READ_OFFSET) != offset ||
	    u32_of(&idx, FBNIC_FW_COREDUMP_READ_LENGTH) != a->len)
		return -EPROTO;
	memcpy(out, a->data, a->len);
	return (int)a->len;
}

static uint32_t
le32_at(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static int
test_coredump_on_request_reads_back_in_pieces(void)
{
	static uint8_t dump[32768];
	const uint32_t stride = FBNIC_TLV_DATA_MAX_LEN;
	struct fbm_fw_observed obs;
	uint32_t size = 0, off, csr_off;
	int32_t fw_err;
	int n;

	TEST_CHECK_EQUAL(start(NULL), 0);
	/* A register word the dump must show */
	fbm_reg_set(h.dev, FBNIC_QM_TWQ_DEFAULT_META_L, 0x5a5a5a5a);

	/* Nothing held, nothing asked for: not available */
	TEST_CHECK_EQUAL(coredump_info(false, &size), -ENOENT);
	TEST_CHECK_EQUAL(coredump_read(0, stride, dump, &fw_err), 0);
	TEST_CHECK_EQUAL(fw_err, -ENODATA);

	/* CREATE takes one; asking again returns the same one */
	TEST_CHECK_EQUAL(coredump_info(true, &size), 0);
	TEST_CHECK(size > 2 * stride && size <= sizeof(dump));
	TEST_CHECK_EQUAL(coredump_info(false, &off), 0);
	TEST_CHECK_EQUAL(off, size);
	fbm_fw_observe(h.dev, &obs);
	TEST_CHECK_EQUAL(obs.stats.coredumps, 1);
	TEST_CHECK_EQUAL(obs.coredump_size, size);

	/* Linux's walk: TLV_MAX_DATA at a time, the last piece shorter */
	for (off = 0; off < size; off += stride) {
		uint32_t want = size - off < stride ? size - off : stride;

		n = coredump_read(off, want, dump + off, &fw_err);
		TEST_CHECK_EQUAL(fw_err, 0);
		TEST_CHECK_EQUAL(n, (int)want);
	}
	TEST_CHECK(memcmp(dump, FBM_FW_COREDUMP_MAGIC, 8) == 0);
	TEST_CHECK_EQUAL(le32_at(dump + offsetof(struct fbm_fw_coredump_hdr, size)), size);
	TEST_CHECK_EQUAL(le32_at(dump + offsetof(struct fbm_fw_coredump_hdr, reason)),
			 FBM_FW_COREDUMP_REQUESTED);
	csr_off = le32_at(dump + offsetof(struct fbm_fw_coredump_hdr, csr_offset));
	TEST_CHECK(csr_off < size);
	TEST_CHECK_EQUAL(le32_at(dump + csr_off + FBNIC_QM_TWQ_DEFAULT_META_L * 4), 0x5a5a5a5a);

	/* Outside the dump: an error reply, and the firmware goes on */
	TEST_CHECK_EQUAL(coredump_read(size, stride, dump, &fw_err), 0);
	TEST_CHECK_EQUAL(fw_err, -EINVAL);
	TEST_CHECK_EQUAL(coredump_read(size - 4, 8, dump, &fw_err), 0);
	TEST_CHECK_EQUAL(fw_err, -EINVAL);
	TEST_CHECK(heartbeat_uptime() != UINT64_MAX);
	TEST_CHECK_EQUAL(h.mbx_tx_errors, 0);
	stop();
	return TEST_SUCCESS;
}

/* The firmware stops (fw_silent) for 2 ms, then runs again. */
static void
stop_and_resume_firmware(struct fbm_fw_observed *obs)
{
	TEST_CHECK_EQUAL(fbm_fault_set(h.dev, FBM_FAULT_FW_SILENT, true), 0);
	fbh_advance(&h, 2 * MS);
	TEST_CHECK_EQUAL(fbm_fault_set(h.dev, FBM_FAULT_FW_SILENT, false), 0);
	fbh_advance(&h, 2 * MS);
	fbm_fw_observe(h.dev, obs);
}

static int
test_coredump_is_taken_when_the_firmware_stops(void)
{
	uint8_t hdr[sizeof(struct fbm_fw_coredump_hdr)];
	struct fbm_fw_observed obs;
	uint32_t size = 0;
	int32_t fw_err;

	TEST_CHECK_EQUAL(start(NULL), 0);
	stop_and_resume_firmware(&obs);
	TEST_CHECK_EQUAL(obs.stats.coredumps, 1);

	/* Held without CREATE, and it says why it was taken */
	TEST_CHECK_EQUAL(coredump_info(false, &size), 0);
	TEST_CHECK_EQUAL(size, obs.coredump_size);
	TEST_CHECK_EQUAL(coredump_read(0, sizeof(hdr), hdr, &fw_err), (int)sizeof(hdr));
	TEST_CHECK_EQUAL(fw_err, 0);
	TEST_CHECK_EQUAL(le32_at(hdr + offsetof(struct fbm_fw_coredump_hdr, reason)),
			 FBM_FW_COREDUMP_STOPPED);
	/* A second stop keeps the first dump */
	stop_and_resume_firmware(&obs);
	TEST_CHECK_EQUAL(obs.stats.coredumps, 1);
	stop();
	return TEST_SUCCESS;
}

int
main(void)
{
	TK_RUN(test_fw_signals_ready_after_boot_delay_on_tx_ring_reset);
	TK_RUN(test_fw_cap_resp_reports_config_and_info);
	TK_RUN(test_fw_cap_resp_without_bmc_has_no_bmc_attributes);
	TK_RUN(test_harness_bringup_succeeds);
	TK_RUN(test_ownership_take_and_release_are_answered);
	TK_RUN(test_heartbeat_uptime_grows_with_time);
	TK_RUN(test_fw_silent_answers_nothing);
	TK_RUN(test_fw_silent_gives_no_ready_signal);
	TK_RUN(test_fw_error_replies_complete_with_fw_err);
	TK_RUN(test_malformed_requests_get_fw_err_and_fw_keeps_working);
	TK_RUN(test_duplicate_attributes_are_refused_not_echoed);
	TK_RUN(test_bad_descriptors_get_fw_err_without_crash);
	TK_RUN(test_requests_wait_for_bus_mastering);
	TK_RUN(test_fourteen_requests_in_flight_are_answered_in_order);
	TK_RUN(test_other_messages_get_their_answers);
	TK_RUN(test_coredump_on_request_reads_back_in_pieces);
	TK_RUN(test_coredump_is_taken_when_the_firmware_stops);
	return tk_report("test_fw_model");
}
