/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

/*
 * Host side of the firmware mailbox (fbnic_hw.rst 6): two descriptor rings in
 * BAR4, TLV messages in host buffers the device reads and writes by DMA.
 * Polled: every wait is a sleep/poll loop bounded in time and count.
 */

#include <stdio.h>

#include "fbnic_osdep.h"
#include "fbnic_hw.h"
#include "fbnic_csr.h"
#include "fbnic_tlv.h"
#include "fbnic_fw.h"

#define MBX_RX		FBNIC_IPC_MBX_RX_IDX
#define MBX_TX		FBNIC_IPC_MBX_TX_IDX
#define MBX_NDESC	FBNIC_IPC_MBX_DESC_LEN
#define MBX_BUF		FBNIC_FW_MBX_BUF_SIZE
#define MBX_VECTOR_BIT	FBNIC_BIT(0)		/* vector 0 in INTR word 0 */

static inline struct fbnic_fw_mbx *
mbx_of(struct fbnic_hw *hw)
{
	return hw->mbx;
}

/* ---- Descriptors -------------------------------------------------------- */

/* High word first: the firmware acts on the low word (fbnic_hw.rst 6.1). */
static void
mbx_desc_write(struct fbnic_hw *hw, unsigned int ring, unsigned int d,
	       uint64_t desc)
{
	uint32_t idx = FBNIC_IPC_MBX(ring, d);

	fbnic_fw_wr32(hw, idx + 1, (uint32_t)(desc >> 32));
	fbnic_fw_flush(hw);
	fbnic_fw_wr32(hw, idx, (uint32_t)desc);
}

/* Low word first: the descriptor is dead before its upper half goes. */
static void
mbx_desc_invalidate(struct fbnic_hw *hw, unsigned int ring, unsigned int d,
		    uint32_t lo)
{
	uint32_t idx = FBNIC_IPC_MBX(ring, d);

	fbnic_fw_wr32(hw, idx, lo);
	fbnic_fw_flush(hw);
	fbnic_fw_wr32(hw, idx + 1, 0);
}

static uint64_t
mbx_desc_read(struct fbnic_hw *hw, unsigned int ring, unsigned int d)
{
	uint32_t idx = FBNIC_IPC_MBX(ring, d);
	uint64_t desc;

	desc = fbnic_fw_rd32(hw, idx);
	desc |= (uint64_t)fbnic_fw_rd32(hw, idx + 1) << 32;
	return desc;
}

/*
 * Ring reset (fbnic_hw.rst 6.2): stop the DMA direction the ring uses, then
 * descriptor 0 = stop, 15..1 = skip.
 */
static void
mbx_ring_reset(struct fbnic_hw *hw, unsigned int ring)
{
	unsigned int d;

	if (ring == MBX_RX)
		fbnic_wr32(hw, FBNIC_PUL_OB_TLP_HDR_AW_CFG,
			   FBNIC_PUL_OB_TLP_HDR_AW_CFG_FLUSH |
			   FBNIC_PUL_OB_TLP_HDR_AW_CFG_FLUSH_MODE);
	else
		fbnic_wr32(hw, FBNIC_PUL_OB_TLP_HDR_AR_CFG,
			   FBNIC_PUL_OB_TLP_HDR_AR_CFG_FLUSH);
	fbnic_hw_flush(hw);

	mbx_desc_invalidate(hw, ring, 0, 0);
	for (d = MBX_NDESC - 1; d > 0; d--)
		mbx_desc_invalidate(hw, ring, d,
				    (uint32_t)(FBNIC_IPC_MBX_DESC_HOST_CMPL |
					       FBNIC_IPC_MBX_DESC_FW_CMPL));
}

/* Hand slot tail to the firmware with len bytes; -EBUSY when full. */
static int
mbx_post(struct fbnic_hw *hw, unsigned int ring, uint32_t len, bool eom)
{
	struct fbnic_fw_ring *r = &mbx_of(hw)->ring[ring];
	unsigned int t = r->tail;
	uint64_t desc;

	if (!r->ready)
		return -ENODEV;
	if ((t + 1) % MBX_NDESC == r->head)
		return -EBUSY;

	r->tail = (uint8_t)((t + 1) % MBX_NDESC);
	/* The next slot becomes the firmware's stop marker */
	fbnic_fw_wr32(hw, FBNIC_IPC_MBX(ring, r->tail), 0);

	desc = FBNIC_FIELD_PREP(FBNIC_IPC_MBX_DESC_LEN_MASK, len) |
	       (r->buf_iova[t] & FBNIC_IPC_MBX_DESC_ADDR_MASK) |
	       (eom ? FBNIC_IPC_MBX_DESC_EOM : 0) |
	       FBNIC_IPC_MBX_DESC_HOST_CMPL;
	/* Buffer contents before the descriptor that points at them */
	fbnic_osdep_wmb();
	mbx_desc_write(hw, ring, t, desc);
	return 0;
}

static int
mbx_post_rx_buffers(struct fbnic_hw *hw)
{
	struct fbnic_fw_ring *r = &mbx_of(hw)->ring[MBX_RX];
	unsigned int count = (r->head - r->tail - 1u) & (MBX_NDESC - 1);
	int err = 0;

	while (count-- && !err)
		err = mbx_post(hw, MBX_RX, MBX_BUF, false);
	return err;
}

/* ---- Sending ------------------------------------------------------------ */

/* Queue a message built with the TLV builder on the TX ring. */
static int
fbnic_fw_send(struct fbnic_hw *hw, const void *msg, uint32_t len)
{
	struct fbnic_fw_mbx *mbx = mbx_of(hw);
	struct fbnic_fw_ring *r;
	int err;

	if (mbx == NULL || mbx->dma_va == NULL || hw->removed)
		return -ENODEV;
	if (msg == NULL || len < FBNIC_TLV_HDR_LEN || len > MBX_BUF || len % 4)
		return -EINVAL;
	r = &mbx->ring[MBX_TX];
	if (!r->ready)
		return -ENODEV;
	if ((r->tail + 1u) % MBX_NDESC == r->head)
		return -EBUSY;

	memcpy(r->buf_va[r->tail], msg, len);
	err = mbx_post(hw, MBX_TX, len, true);
	if (!err)
		mbx->tx_msgs++;
	return err;
}

static int
mbx_send_simple(struct fbnic_hw *hw, uint16_t msg_id, int flag_id)
{
	struct fbnic_tlv_builder b;
	uint8_t buf[8];
	int len;

	fbnic_tlv_msg_init(&b, buf, sizeof(buf), msg_id);
	if (flag_id >= 0)
		fbnic_tlv_add_flag(&b, (uint16_t)flag_id);
	len = fbnic_tlv_msg_finish(&b);
	if (len < 0)
		return len;
	return fbnic_fw_send(hw, buf, (uint32_t)len);
}

/* ---- Receiving ---------------------------------------------------------- */

static const struct fbnic_tlv_policy fw_mac_elem = { .type = FBNIC_TLV_MAC };

static const struct fbnic_tlv_policy fw_cap_policy[FBNIC_FW_CAP_RESP_MSG_MAX] = {
	[FBNIC_FW_CAP_RESP_VERSION] = { .type = FBNIC_TLV_U32 },
	[FBNIC_FW_CAP_RESP_BMC_PRESENT] = { .type = FBNIC_TLV_FLAG },
	[FBNIC_FW_CAP_RESP_BMC_MAC_ARRAY] = {
		.type = FBNIC_TLV_ARRAY, .nested = &fw_mac_elem,
		.array_id = FBNIC_FW_CAP_RESP_BMC_MAC_ADDR,
		.array_max = FBNIC_FW_BMC_MAC_MAX },
	[FBNIC_FW_CAP_RESP_STORED_VERSION] = { .type = FBNIC_TLV_U32 },
	[FBNIC_FW_CAP_RESP_ACTIVE_FW_SLOT] = { .type = FBNIC_TLV_U32 },
	[FBNIC_FW_CAP_RESP_VERSION_COMMIT_STR] = {
		.type = FBNIC_TLV_STRING, .max_len = FBNIC_FW_COMMIT_STR_LEN },
	[FBNIC_FW_CAP_RESP_BMC_ALL_MULTI] = { .type = FBNIC_TLV_U32 },
	[FBNIC_FW_CAP_RESP_FW_LINK_SPEED] = { .type = FBNIC_TLV_U32 },
	[FBNIC_FW_CAP_RESP_FW_LINK_FEC] = { .type = FBNIC_TLV_U32 },
	[FBNIC_FW_CAP_RESP_STORED_COMMIT_STR] = {
		.type = FBNIC_TLV_STRING, .max_len = FBNIC_FW_COMMIT_STR_LEN },
	[FBNIC_FW_CAP_RESP_CMRT_VERSION] = { .type = FBNIC_TLV_U32 },
	[FBNIC_FW_CAP_RESP_STORED_CMRT_VERSION] = { .type = FBNIC_TLV_U32 },
	[FBNIC_FW_CAP_RESP_CMRT_COMMIT_STR] = {
		.type = FBNIC_TLV_STRING, .max_len = FBNIC_FW_COMMIT_STR_LEN },
	[FBNIC_FW_CAP_RESP_STORED_CMRT_COMMIT_STR] = {
		.type = FBNIC_TLV_STRING, .max_len = FBNIC_FW_COMMIT_STR_LEN },
	[FBNIC_FW_CAP_RESP_UEFI_VERSION] = { .type = FBNIC_TLV_U32 },
	[FBNIC_FW_CAP_RESP_UEFI_COMMIT_STR] = {
		.type = FBNIC_TLV_STRING, .max_len = FBNIC_FW_COMMIT_STR_LEN },
	[FBNIC_FW_CAP_RESP_ANTI_ROLLBACK_VERSION] = { .type = FBNIC_TLV_U32 },
};

static const struct fbnic_tlv_policy fw_ownership_policy[FBNIC_FW_OWNERSHIP_MSG_MAX] = {
	[FBNIC_FW_OWNERSHIP_TIME] = { .type = FBNIC_TLV_U64 },
};

static const struct fbnic_tlv_policy fw_heartbeat_policy[FBNIC_FW_HEARTBEAT_MSG_MAX] = {
	[FBNIC_FW_HEARTBEAT_UPTIME] = { .type = FBNIC_TLV_U64 },
	/* message count: not parsed */
	[FBNIC_FW_HEARTBEAT_NUMBER_OF_MESSAGES] = { .type = FBNIC_TLV_ANY },
};

/* Optional u32: absent leaves 0. */
static uint32_t
cap_u32(const struct fbnic_tlv_index *idx, unsigned int id)
{
	uint32_t v = 0;

	if (fbnic_tlv_get_u32(fbnic_tlv_attr(idx, id), &v) < 0)
		return 0;
	return v;
}

static void
cap_ver(const struct fbnic_tlv_index *idx, unsigned int ver_id,
	unsigned int commit_id, struct fbnic_fw_ver *out)
{
	out->version = cap_u32(idx, ver_id);
	if (fbnic_tlv_get_string(fbnic_tlv_attr(idx, commit_id), out->commit,
				 sizeof(out->commit)) < 0)
		out->commit[0] = '\0';
}

static int
mbx_parse_cap_resp(struct fbnic_hw *hw, const struct fbnic_tlv_index *idx)
{
	struct fbnic_fw_mbx *mbx = mbx_of(hw);
	struct fbnic_fw_caps caps;
	char have[FBNIC_FW_VER_STR_LEN], need[FBNIC_FW_VER_STR_LEN];

	memset(&caps, 0, sizeof(caps));
	cap_ver(idx, FBNIC_FW_CAP_RESP_VERSION,
		FBNIC_FW_CAP_RESP_VERSION_COMMIT_STR, &caps.running);
	if (fbnic_tlv_attr(idx, FBNIC_FW_CAP_RESP_VERSION) == NULL) {
		FBNIC_BASE_LOG(ERR, "port %u: FW_CAP_RESP without a version",
			       hw->port_id);
		return -EINVAL;
	}
	/* Version 0.0.0.0 too: an answer that waiting longer will not change */
	if (caps.running.version < FBNIC_FW_MIN_VER_CODE) {
		fbnic_fw_ver_str(caps.running.version, have, sizeof(have));
		fbnic_fw_ver_str(FBNIC_FW_MIN_VER_CODE, need, sizeof(need));
		FBNIC_BASE_LOG(ERR,
			       "port %u: firmware %s is older than the minimum %s; update it",
			       hw->port_id, have, need);
		/* Like Linux: no further requests to an unsupported firmware */
		mbx->ring[MBX_TX].ready = false;
		mbx->caps_too_old = true;
		return -EOPNOTSUPP;
	}
	cap_ver(idx, FBNIC_FW_CAP_RESP_STORED_VERSION,
		FBNIC_FW_CAP_RESP_STORED_COMMIT_STR, &caps.stored);
	cap_ver(idx, FBNIC_FW_CAP_RESP_CMRT_VERSION,
		FBNIC_FW_CAP_RESP_CMRT_COMMIT_STR, &caps.running_cmrt);
	cap_ver(idx, FBNIC_FW_CAP_RESP_STORED_CMRT_VERSION,
		FBNIC_FW_CAP_RESP_STORED_CMRT_COMMIT_STR, &caps.stored_cmrt);
	cap_ver(idx, FBNIC_FW_CAP_RESP_UEFI_VERSION,
		FBNIC_FW_CAP_RESP_UEFI_COMMIT_STR, &caps.stored_uefi);
	caps.active_slot = cap_u32(idx, FBNIC_FW_CAP_RESP_ACTIVE_FW_SLOT);
	caps.link_mode = cap_u32(idx, FBNIC_FW_CAP_RESP_FW_LINK_SPEED);
	caps.link_fec = cap_u32(idx, FBNIC_FW_CAP_RESP_FW_LINK_FEC);
	caps.anti_rollback = cap_u32(idx, FBNIC_FW_CAP_RESP_ANTI_ROLLBACK_VERSION);

	caps.bmc_present =
		fbnic_tlv_get_flag(fbnic_tlv_attr(idx, FBNIC_FW_CAP_RESP_BMC_PRESENT)) == 1;
	if (caps.bmc_present) {
		struct fbnic_tlv_attr macs[FBNIC_FW_BMC_MAC_MAX];
		int i, n;

		/* A BMC comes with its addresses (fbnic_hw.rst 6.6) */
		n = fbnic_tlv_array_parse(fbnic_tlv_attr(idx, FBNIC_FW_CAP_RESP_BMC_MAC_ARRAY),
					  FBNIC_FW_CAP_RESP_BMC_MAC_ADDR, macs,
					  FBNIC_FW_BMC_MAC_MAX);
		if (n < 0) {
			FBNIC_BASE_LOG(ERR, "port %u: BMC present but no valid MAC list: %d",
				       hw->port_id, n);
			return -EINVAL;
		}
		for (i = 0; i < n; i++)
			if (fbnic_tlv_get_mac(&macs[i], caps.bmc_mac[i]) < 0)
				return -EINVAL;
		caps.bmc_mac_count = (uint8_t)n;
		caps.bmc_all_multi = cap_u32(idx, FBNIC_FW_CAP_RESP_BMC_ALL_MULTI) != 0;
	}

	mbx->caps = caps;
	mbx->caps_valid = true;
	hw->bmc_present = caps.bmc_present;
	return 0;
}

static int
mbx_parse_uptime(struct fbnic_hw *hw, const struct fbnic_tlv_index *idx,
		 unsigned int id)
{
	struct fbnic_fw_mbx *mbx = mbx_of(hw);
	uint64_t uptime = 0;
	int err;

	err = fbnic_tlv_get_u64(fbnic_tlv_attr(idx, id), &uptime);
	if (err < 0 && err != -ENOENT)
		return err;
	mbx->fw_uptime_ms = uptime;
	mbx->heartbeat_replied = true;
	return 0;
}

/*
 * A caller waiting for one reply (fbnic_fw_qsfp_read() and friends). One at
 * a time: the waits are synchronous.
 */
struct fbnic_fw_cmpl {
	uint16_t resp_id;
	bool done;
	int result;
	/* QSFP_READ: request, and where the data goes */
	uint32_t bank, page, offset, length;
	uint8_t *data;
	/* TSENE_READ */
	int32_t millidegrees, millivolts;
	/* TEST: the message sent, expected back unchanged */
	const uint8_t *sent;
	uint32_t sent_len;
};

static struct fbnic_fw_cmpl *
mbx_cmpl_for(struct fbnic_fw_mbx *mbx, uint16_t resp_id)
{
	struct fbnic_fw_cmpl *c = mbx->cmpl;

	return c != NULL && !c->done && c->resp_id == resp_id ? c : NULL;
}

static void
mbx_cmpl_done(struct fbnic_fw_cmpl *c, int result)
{
	c->result = result;
	c->done = true;
}

static int
mbx_parse_ownership(struct fbnic_hw *hw, const uint8_t *msg,
		    const struct fbnic_tlv_index *idx)
{
	struct fbnic_fw_mbx *mbx = mbx_of(hw);
	int err;

	(void)msg;
	/* Counts as a heartbeat reply */
	err = mbx_parse_uptime(hw, idx, FBNIC_FW_OWNERSHIP_TIME);
	if (!err)
		mbx->ownership_replied = true;
	return err;
}

static int
mbx_parse_heartbeat(struct fbnic_hw *hw, const uint8_t *msg,
		    const struct fbnic_tlv_index *idx)
{
	(void)msg;
	return mbx_parse_uptime(hw, idx, FBNIC_FW_HEARTBEAT_UPTIME);
}

static int
mbx_parse_caps(struct fbnic_hw *hw, const uint8_t *msg,
	       const struct fbnic_tlv_index *idx)
{
	(void)msg;
	return mbx_parse_cap_resp(hw, idx);
}

static int
mbx_parse_test(struct fbnic_hw *hw, const uint8_t *msg,
	       const struct fbnic_tlv_index *idx)
{
	struct fbnic_fw_cmpl *c = mbx_cmpl_for(mbx_of(hw), FBNIC_TLV_MSG_ID_TEST);

	if (c == NULL)
		return -ENOENT;
	mbx_cmpl_done(c, idx->len == c->sent_len &&
			 memcmp(msg, c->sent, c->sent_len) == 0 ? 0 : -EBADMSG);
	return 0;
}

static int
mbx_parse_qsfp(struct fbnic_hw *hw, const uint8_t *msg,
	       const struct fbnic_tlv_index *idx)
{
	struct fbnic_fw_cmpl *c = mbx_cmpl_for(mbx_of(hw), FBNIC_TLV_MSG_ID_QSFP_READ_RESP);
	const struct fbnic_tlv_attr *data;
	/* bank, page, offset, length: attributes 0-3, echoed from the request */
	uint32_t got[4] = { 0 };
	unsigned int i;
	int32_t fw_err = 0;

	(void)msg;
	if (c == NULL)
		return -ENOENT;
	for (i = 0; i < 4; i++)
		if (fbnic_tlv_get_u32(fbnic_tlv_attr(idx, i), &got[i]) != 0)
			got[i] = UINT32_MAX;
	if (got[FBNIC_FW_QSFP_BANK] != c->bank || got[FBNIC_FW_QSFP_PAGE] != c->page ||
	    got[FBNIC_FW_QSFP_OFFSET] != c->offset || got[FBNIC_FW_QSFP_LENGTH] != c->length) {
		FBNIC_BASE_LOG(WARNING,
			       "port %u: QSFP reply for %u/%u/%u/%u, asked "
			       "bank/page/offset/length %u/%u/%u/%u",
			       hw->port_id, got[0], got[1], got[2], got[3],
			       c->bank, c->page, c->offset, c->length);
		mbx_cmpl_done(c, -EINVAL);
		return 0;
	}
	if (fbnic_tlv_get_s32(fbnic_tlv_attr(idx, FBNIC_FW_QSFP_ERROR), &fw_err) == 0 &&
	    fw_err != 0) {
		/* the firmware reports errno values, negative; keep them so */
		mbx_cmpl_done(c, fw_err < 0 ? fw_err : -EIO);
		return 0;
	}
	data = fbnic_tlv_attr(idx, FBNIC_FW_QSFP_DATA);
	if (data == NULL || data->len < c->length) {
		mbx_cmpl_done(c, -ENODATA);
		return 0;
	}
	memcpy(c->data, data->data, c->length);
	mbx_cmpl_done(c, 0);
	return 0;
}

static int
mbx_parse_tsene(struct fbnic_hw *hw, const uint8_t *msg,
		const struct fbnic_tlv_index *idx)
{
	struct fbnic_fw_cmpl *c = mbx_cmpl_for(mbx_of(hw), FBNIC_TLV_MSG_ID_TSENE_READ_RESP);
	int32_t fw_err = 0;

	(void)msg;
	if (c == NULL)
		return -ENOENT;
	if (fbnic_tlv_get_s32(fbnic_tlv_attr(idx, FBNIC_FW_TSENE_ERROR), &fw_err) == 0 &&
	    fw_err != 0) {
		mbx_cmpl_done(c, fw_err < 0 ? fw_err : -EIO);
		return 0;
	}
	if (fbnic_tlv_get_s32(fbnic_tlv_attr(idx, FBNIC_FW_TSENE_THERM),
			      &c->millidegrees) != 0 ||
	    fbnic_tlv_get_s32(fbnic_tlv_attr(idx, FBNIC_FW_TSENE_VOLT),
			      &c->millivolts) != 0) {
		mbx_cmpl_done(c, -ENODATA);
		return 0;
	}
	mbx_cmpl_done(c, 0);
	return 0;
}

static int
mbx_parse_log(struct fbnic_hw *hw, const uint8_t *msg,
	      const struct fbnic_tlv_index *idx)
{
	struct fbnic_fw_mbx *mbx = mbx_of(hw);
	char line[FBNIC_FW_LOG_MAX_LEN];
	uint32_t ms = 0;
	int err;

	(void)msg;
	err = fbnic_tlv_get_string(fbnic_tlv_attr(idx, FBNIC_FW_LOG_MSG), line,
				   sizeof(line));
	if (err < 0 && err != -E2BIG)
		return err;
	fbnic_tlv_get_u32(fbnic_tlv_attr(idx, FBNIC_FW_LOG_MSEC), &ms);
	mbx->fw_logs++;
	FBNIC_BASE_LOG(INFO, "port %u: firmware [%u ms]: %s", hw->port_id, ms, line);
	return 0;
}

static const struct fbnic_tlv_policy fw_qsfp_policy[FBNIC_FW_QSFP_MSG_MAX] = {
	[FBNIC_FW_QSFP_BANK] = { .type = FBNIC_TLV_U32 },
	[FBNIC_FW_QSFP_PAGE] = { .type = FBNIC_TLV_U32 },
	[FBNIC_FW_QSFP_OFFSET] = { .type = FBNIC_TLV_U32 },
	[FBNIC_FW_QSFP_LENGTH] = { .type = FBNIC_TLV_U32 },
	[FBNIC_FW_QSFP_ERROR] = { .type = FBNIC_TLV_S32 },
	[FBNIC_FW_QSFP_DATA] = { .type = FBNIC_TLV_BINARY,
				 .max_len = FBNIC_TLV_DATA_MAX_LEN },
};

static const struct fbnic_tlv_policy fw_tsene_policy[FBNIC_FW_TSENE_MSG_MAX] = {
	[FBNIC_FW_TSENE_THERM] = { .type = FBNIC_TLV_S32 },
	[FBNIC_FW_TSENE_VOLT] = { .type = FBNIC_TLV_S32 },
	[FBNIC_FW_TSENE_ERROR] = { .type = FBNIC_TLV_S32 },
};

static const struct fbnic_tlv_policy fw_log_policy[FBNIC_FW_LOG_MSG_MAX] = {
	[FBNIC_FW_LOG_MSEC] = { .type = FBNIC_TLV_U32 },
	[FBNIC_FW_LOG_INDEX] = { .type = FBNIC_TLV_U64 },
	[FBNIC_FW_LOG_MSG] = { .type = FBNIC_TLV_STRING,
			       .max_len = FBNIC_FW_LOG_MAX_LEN },
	[FBNIC_FW_LOG_LENGTH] = { .type = FBNIC_TLV_U32 },
	/* history arrays: not printed */
	[FBNIC_FW_LOG_MSEC_ARRAY] = { .type = FBNIC_TLV_ANY },
	[FBNIC_FW_LOG_INDEX_ARRAY] = { .type = FBNIC_TLV_ANY },
	[FBNIC_FW_LOG_MSG_ARRAY] = { .type = FBNIC_TLV_ANY },
};

struct mbx_parser {
	uint16_t id;
	uint8_t max_id;
	const struct fbnic_tlv_policy *policy;
	int (*fn)(struct fbnic_hw *hw, const uint8_t *msg,
		  const struct fbnic_tlv_index *idx);
};

#define MBX_PARSER(msg, max, pol, f) \
	{ .id = FBNIC_TLV_MSG_ID_##msg, .max_id = (max), .policy = (pol), .fn = (f) }

static const struct mbx_parser mbx_parsers[] = {
	MBX_PARSER(FW_CAP_RESP, FBNIC_FW_CAP_RESP_MSG_MAX, fw_cap_policy, mbx_parse_caps),
	MBX_PARSER(OWNERSHIP_RESP, FBNIC_FW_OWNERSHIP_MSG_MAX, fw_ownership_policy,
		   mbx_parse_ownership),
	MBX_PARSER(HEARTBEAT_RESP, FBNIC_FW_HEARTBEAT_MSG_MAX, fw_heartbeat_policy,
		   mbx_parse_heartbeat),
	/* TEST carries attributes 0-11 of every type: structure only */
	MBX_PARSER(TEST, 12, NULL, mbx_parse_test),
	MBX_PARSER(QSFP_READ_RESP, FBNIC_FW_QSFP_MSG_MAX, fw_qsfp_policy, mbx_parse_qsfp),
	MBX_PARSER(TSENE_READ_RESP, FBNIC_FW_TSENE_MSG_MAX, fw_tsene_policy,
		   mbx_parse_tsene),
	MBX_PARSER(LOG_MSG_REQ, FBNIC_FW_LOG_MSG_MAX, fw_log_policy, mbx_parse_log),
};

static void
mbx_handle_msg(struct fbnic_hw *hw, const uint8_t *msg, uint32_t len)
{
	struct fbnic_fw_mbx *mbx = mbx_of(hw);
	const struct mbx_parser *p = NULL;
	struct fbnic_tlv_index idx;
	unsigned int i;
	uint16_t id = 0;
	int err;

	err = fbnic_tlv_msg_peek(msg, len, &id, NULL);
	if (err == 0) {
		for (i = 0; i < FBNIC_ARRAY_SIZE(mbx_parsers); i++) {
			if (mbx_parsers[i].id == id) {
				p = &mbx_parsers[i];
				break;
			}
		}
		/* Also replies nobody waits for (coredump, upgrade) land here */
		err = p == NULL ? -ENOENT : fbnic_tlv_msg_parse(msg, len, p->max_id,
								  p->policy, &idx);
	}
	if (err == 0)
		err = p->fn(hw, msg, &idx);
	if (err) {
		mbx->rx_bad++;
		if (err != -EOPNOTSUPP)
			FBNIC_BASE_LOG(WARNING,
				       "port %u: firmware message 0x%x (0x%08x, %u bytes) "
				       "dropped: %d",
				       hw->port_id, id, fbnic_tlv_get_le32(msg), len, err);
		return;
	}
	mbx->rx_msgs++;
}

static void
mbx_reap_tx(struct fbnic_hw *hw)
{
	struct fbnic_fw_ring *r = &mbx_of(hw)->ring[MBX_TX];
	unsigned int n;

	for (n = 0; n < MBX_NDESC && r->head != r->tail; n++) {
		uint64_t desc = mbx_desc_read(hw, MBX_TX, r->head);

		if (!(desc & FBNIC_IPC_MBX_DESC_FW_CMPL))
			break;
		if (desc & FBNIC_IPC_MBX_DESC_FW_ERR) {
			if (r->fw_err++ == 0)
				FBNIC_BASE_LOG(WARNING,
					       "port %u: firmware failed a mailbox request",
					       hw->port_id);
		}
		r->head = (uint8_t)((r->head + 1) % MBX_NDESC);
	}
}

static void
mbx_process_rx(struct fbnic_hw *hw)
{
	struct fbnic_fw_mbx *mbx = mbx_of(hw);
	struct fbnic_fw_ring *r = &mbx->ring[MBX_RX];
	unsigned int n;

	for (n = 0; n < MBX_NDESC && r->head != r->tail; n++) {
		unsigned int h = r->head;
		uint64_t desc = mbx_desc_read(hw, MBX_RX, h);
		uint32_t len;

		if (!(desc & FBNIC_IPC_MBX_DESC_FW_CMPL))
			break;
		/* Descriptor before the data it announces */
		fbnic_osdep_rmb();
		len = (uint32_t)FBNIC_FIELD_GET(FBNIC_IPC_MBX_DESC_LEN_MASK, desc);
		if (desc & FBNIC_IPC_MBX_DESC_FW_ERR) {
			if (r->fw_err++ == 0)
				FBNIC_BASE_LOG(WARNING,
					       "port %u: firmware flagged a mailbox message as bad",
					       hw->port_id);
		} else if (len > MBX_BUF) {
			mbx->rx_bad++;
			FBNIC_BASE_LOG(WARNING,
				       "port %u: mailbox message of %u bytes > buffer %u",
				       hw->port_id, len, MBX_BUF);
		} else if (len != 0) {
			mbx_handle_msg(hw, r->buf_va[h], len);
		}

		/* Give the slot back: clear it and post a buffer at the tail */
		fbnic_fw_wr32(hw, FBNIC_IPC_MBX(MBX_RX, h), 0);
		r->head = (uint8_t)((h + 1) % MBX_NDESC);
		if (mbx_post(hw, MBX_RX, MBX_BUF, false) != 0)
			break;
	}
}

void
fbnic_fw_poll(struct fbnic_hw *hw)
{
	struct fbnic_fw_mbx *mbx = mbx_of(hw);

	if (mbx == NULL || mbx->dma_va == NULL || hw->removed)
		return;
	/* Vector 0 is not auto-cleared: acknowledge the event we service */
	if (fbnic_rd32(hw, FBNIC_INTR_STATUS(0)) & MBX_VECTOR_BIT)
		fbnic_wr32(hw, FBNIC_INTR_CLEAR(0), MBX_VECTOR_BIT);
	mbx_reap_tx(hw);
	if (mbx->ring[MBX_RX].ready)
		mbx_process_rx(hw);
}

/* ---- Set-up and tear-down ----------------------------------------------- */

static struct fbnic_fw_mbx *
mbx_get(struct fbnic_hw *hw)
{
	struct fbnic_fw_mbx *mbx = hw->mbx;

	if (mbx != NULL)
		return mbx;
	mbx = fbnic_osdep_zmalloc("fbnic_fw_mbx", sizeof(*mbx));
	if (mbx == NULL)
		return NULL;
	mbx->poll_period_ms = FBNIC_FW_POLL_PERIOD_MS;
	mbx->timeout_ms = FBNIC_FW_TIMEOUT_MS;
	hw->mbx = mbx;
	return mbx;
}

static int
mbx_alloc_buffers(struct fbnic_hw *hw, struct fbnic_fw_mbx *mbx)
{
	unsigned int ring, d;
	const size_t size = (size_t)FBNIC_IPC_MBX_INDICES * MBX_NDESC * MBX_BUF;
	uint64_t iova = 0;
	void *handle = NULL;
	uint8_t *va;

	va = fbnic_osdep_dma_zalloc(hw, "fbnic_mbx", size, &iova, &handle);
	if (va == NULL)
		return -ENOMEM;
	/* Descriptors carry address bits 45:3 only */
	if ((iova & ~FBNIC_IPC_MBX_DESC_ADDR_MASK) ||
	    ((iova + size - 1) & ~(FBNIC_IPC_MBX_DESC_ADDR_MASK | 7))) {
		FBNIC_BASE_LOG(ERR, "port %u: mailbox buffers at 0x%" PRIx64
			       " beyond 46-bit DMA", hw->port_id, iova);
		fbnic_osdep_dma_free(handle);
		return -ENOMEM;
	}
	mbx->dma_va = va;
	mbx->dma_handle = handle;
	for (ring = 0; ring < FBNIC_IPC_MBX_INDICES; ring++) {
		for (d = 0; d < MBX_NDESC; d++) {
			size_t off = ((size_t)ring * MBX_NDESC + d) * MBX_BUF;

			mbx->ring[ring].buf_va[d] = va + off;
			mbx->ring[ring].buf_iova[d] = iova + off;
		}
	}
	return 0;
}

static void
mbx_clean(struct fbnic_hw *hw, struct fbnic_fw_mbx *mbx)
{
	unsigned int ring;

	for (ring = 0; ring < FBNIC_IPC_MBX_INDICES; ring++) {
		mbx_ring_reset(hw, ring);
		mbx->ring[ring].ready = false;
		mbx->ring[ring].head = 0;
		mbx->ring[ring].tail = 0;
	}
}

/* Bounded wait: poll every period until *flag or the budget is spent. */
static bool
mbx_wait(struct fbnic_hw *hw, const bool *flag)
{
	struct fbnic_fw_mbx *mbx = mbx_of(hw);
	uint64_t start = fbnic_osdep_time_ms();
	uint32_t loops = mbx->timeout_ms / mbx->poll_period_ms + 1;

	while (!*flag && loops--) {
		if (hw->removed || fbnic_osdep_time_ms() - start > mbx->timeout_ms)
			break;
		fbnic_osdep_usleep(mbx->poll_period_ms * 1000u);
		fbnic_fw_poll(hw);
	}
	return *flag;
}

/* Step 2 of fbnic_hw.rst 6.3: TX ring resets until the firmware says hello. */
static int
mbx_wait_ready(struct fbnic_hw *hw)
{
	struct fbnic_fw_mbx *mbx = mbx_of(hw);
	uint64_t start = fbnic_osdep_time_ms();
	uint32_t loops = mbx->timeout_ms / mbx->poll_period_ms + 1;

	while (loops--) {
		mbx_ring_reset(hw, MBX_TX);
		if (hw->removed)
			return -ENODEV;
		fbnic_osdep_usleep(mbx->poll_period_ms * 1000u);
		if (fbnic_rd32(hw, FBNIC_INTR_STATUS(0)) & MBX_VECTOR_BIT) {
			fbnic_wr32(hw, FBNIC_INTR_CLEAR(0), MBX_VECTOR_BIT);
			return 0;
		}
		if (fbnic_osdep_time_ms() - start > mbx->timeout_ms)
			break;
	}
	FBNIC_BASE_LOG(ERR, "port %u: firmware did not signal ready within %u ms",
		       hw->port_id, mbx->timeout_ms);
	return -ETIMEDOUT;
}

/* Step 4 of fbnic_hw.rst 6.3: HOST_CAP_REQ until a usable FW_CAP_RESP. */
static int
mbx_get_caps(struct fbnic_hw *hw)
{
	struct fbnic_fw_mbx *mbx = mbx_of(hw);
	uint64_t start = fbnic_osdep_time_ms();
	uint32_t loops = mbx->timeout_ms / mbx->poll_period_ms + 1;
	uint64_t tx_err = 0, rx_err = 0;
	bool resend = true;
	int err;

	mbx->caps_valid = false;
	mbx->caps_too_old = false;
	while (loops--) {
		if (resend) {
			tx_err = mbx->ring[MBX_TX].fw_err;
			rx_err = mbx->ring[MBX_RX].fw_err;
			err = mbx_send_simple(hw, FBNIC_TLV_MSG_ID_HOST_CAP_REQ, -1);
			/* A full ring drains as the firmware completes it */
			if (err && err != -EBUSY) {
				FBNIC_BASE_LOG(ERR, "port %u: cannot send HOST_CAP_REQ: %d",
					       hw->port_id, err);
				return err;
			}
			resend = err == -EBUSY;
		}
		fbnic_osdep_usleep(mbx->poll_period_ms * 1000u);
		fbnic_fw_poll(hw);
		if (mbx->caps_valid)
			return 0;
		if (mbx->caps_too_old)
			return -EOPNOTSUPP;
		if (hw->removed)
			return -ENODEV;
		if (fbnic_osdep_time_ms() - start > mbx->timeout_ms)
			break;
		/* FW_ERR on our request or its reply: nothing will come, ask again */
		if (mbx->ring[MBX_TX].fw_err != tx_err ||
		    mbx->ring[MBX_RX].fw_err != rx_err)
			resend = true;
	}
	FBNIC_BASE_LOG(ERR, "port %u: no FW_CAP_RESP within %u ms",
		       hw->port_id, mbx->timeout_ms);
	return -ETIMEDOUT;
}

int
fbnic_fw_init(struct fbnic_hw *hw)
{
	struct fbnic_fw_mbx *mbx = mbx_get(hw);
	uint32_t attr;
	int err;

	if (mbx == NULL)
		return -ENOMEM;
	if (hw->removed)
		return -ENODEV;
	if (mbx->dma_va == NULL) {
		err = mbx_alloc_buffers(hw, mbx);
		if (err) {
			FBNIC_BASE_LOG(ERR, "port %u: no memory for mailbox buffers",
				       hw->port_id);
			return err;
		}
	}
	memset(&mbx->caps, 0, sizeof(mbx->caps));
	mbx->caps_valid = false;
	mbx->heartbeat_enabled = false;
	mbx->fw_crashed = false;

	/* Step 1: vector 0 is cleared by software only; both rings reset */
	fbnic_wr32(hw, FBNIC_INTR_SW_AC_MODE(0), ~MBX_VECTOR_BIT);
	fbnic_wr32(hw, FBNIC_INTR_CLEAR(0), MBX_VECTOR_BIT);
	mbx_clean(hw, mbx);

	err = mbx_wait_ready(hw);
	if (err)
		goto clean;

	/* Step 3: device DMA on, writes (RX) first with the buffers posted */
	attr = mbx->relaxed_ordering ? FBNIC_TLP_ATTR_RO : 0;
	mbx->ring[MBX_RX].ready = true;
	fbnic_wr32(hw, FBNIC_PUL_OB_TLP_HDR_AW_CFG,
		   FBNIC_PUL_OB_TLP_HDR_AW_CFG_BME |
		   (uint32_t)FBNIC_FIELD_PREP(FBNIC_PUL_OB_TLP_HDR_AW_CFG_RDE_ATTR, attr) |
		   (uint32_t)FBNIC_FIELD_PREP(FBNIC_PUL_OB_TLP_HDR_AW_CFG_TQM_ATTR, attr));
	err = mbx_post_rx_buffers(hw);
	if (err)
		goto clean;
	mbx->ring[MBX_TX].ready = true;
	fbnic_wr32(hw, FBNIC_PUL_OB_TLP_HDR_AR_CFG,
		   FBNIC_PUL_OB_TLP_HDR_AR_CFG_BME |
		   (uint32_t)FBNIC_FIELD_PREP(FBNIC_PUL_OB_TLP_HDR_AR_CFG_TDE_ATTR, attr) |
		   (uint32_t)FBNIC_FIELD_PREP(FBNIC_PUL_OB_TLP_HDR_AR_CFG_RQM_ATTR, attr) |
		   (uint32_t)FBNIC_FIELD_PREP(FBNIC_PUL_OB_TLP_HDR_AR_CFG_TQM_ATTR, attr));

	/* Step 4 */
	err = mbx_get_caps(hw);
	if (err)
		goto clean;

	/* Step 5: vector 0 may signal mailbox events from now on */
	fbnic_wr32(hw, FBNIC_INTR_MASK_CLEAR(0), MBX_VECTOR_BIT);
	FBNIC_BASE_LOG(DEBUG, "port %u: firmware mailbox up", hw->port_id);
	return 0;

clean:
	mbx_clean(hw, mbx);
	return err;
}

/*
 * Drain the TX ring (bounded), reset both rings (which stops device DMA),
 * free the buffers. Capabilities and counters stay readable.
 */
static void
fbnic_fw_fini(struct fbnic_hw *hw)
{
	struct fbnic_fw_mbx *mbx = mbx_of(hw);
	struct fbnic_fw_ring *tx;
	uint64_t start;
	uint32_t loops;

	if (mbx == NULL || mbx->dma_va == NULL)
		return;
	tx = &mbx->ring[MBX_TX];
	fbnic_wr32(hw, FBNIC_INTR_MASK_SET(0), MBX_VECTOR_BIT);
	/* No new requests; give the firmware time to take the queued ones */
	tx->ready = false;
	mbx->heartbeat_enabled = false;
	start = fbnic_osdep_time_ms();
	loops = mbx->timeout_ms / mbx->poll_period_ms + 1;
	while (tx->head != tx->tail && !hw->removed && loops--) {
		if (fbnic_osdep_time_ms() - start > mbx->timeout_ms) {
			FBNIC_BASE_LOG(WARNING,
				       "port %u: firmware left %u mailbox requests pending",
				       hw->port_id, (tx->tail - tx->head) & (MBX_NDESC - 1u));
			break;
		}
		fbnic_osdep_usleep(mbx->poll_period_ms * 1000u);
		mbx_reap_tx(hw);
	}
	if (!hw->removed)
		mbx_clean(hw, mbx);
	mbx->cmpl = NULL;
	fbnic_osdep_dma_free(mbx->dma_handle);
	mbx->dma_va = NULL;
	mbx->dma_handle = NULL;
	memset(mbx->ring, 0, sizeof(mbx->ring));
}

void
fbnic_fw_release(struct fbnic_hw *hw)
{
	if (hw->mbx == NULL)
		return;
	fbnic_fw_fini(hw);
	fbnic_osdep_free(hw->mbx);
	hw->mbx = NULL;
}

/* ---- Ownership and heartbeat -------------------------------------------- */

/* Send HEARTBEAT_REQ (no wait). */
static int
fbnic_fw_heartbeat_send(struct fbnic_hw *hw)
{
	struct fbnic_fw_mbx *mbx = mbx_of(hw);
	int err;

	if (mbx == NULL)
		return -ENODEV;
	err = mbx_send_simple(hw, FBNIC_TLV_MSG_ID_HEARTBEAT_REQ, -1);
	if (err) {
		FBNIC_BASE_LOG(WARNING, "port %u: cannot send heartbeat: %d",
			       hw->port_id, err);
		return err;
	}
	mbx->last_request_ms = fbnic_osdep_time_ms();
	mbx->heartbeat_replied = false;
	mbx->fw_uptime_prev_ms = mbx->fw_uptime_ms;
	return 0;
}

int
fbnic_fw_ownership_send(struct fbnic_hw *hw, bool take)
{
	struct fbnic_fw_mbx *mbx = mbx_of(hw);
	int err;

	if (mbx == NULL)
		return -ENODEV;
	mbx->ownership_replied = false;
	mbx->heartbeat_replied = false;
	/* No uptime to compare with until the reply */
	mbx->fw_uptime_ms = 0;
	mbx->fw_uptime_prev_ms = 0;
	mbx->last_request_ms = fbnic_osdep_time_ms();
	err = mbx_send_simple(hw, FBNIC_TLV_MSG_ID_OWNERSHIP_REQ,
			      take ? FBNIC_FW_OWNERSHIP_FLAG : -1);
	if (err) {
		FBNIC_BASE_LOG(ERR, "port %u: cannot send OWNERSHIP_REQ (%s): %d",
			       hw->port_id, take ? "take" : "release", err);
		return err;
	}
	mbx->heartbeat_enabled = false;
	return 0;
}

int
fbnic_fw_ownership_poll(struct fbnic_hw *hw, bool take)
{
	struct fbnic_fw_mbx *mbx = mbx_of(hw);

	if (mbx == NULL)
		return -ENODEV;
	fbnic_fw_poll(hw);
	if (!mbx->ownership_replied)
		return -EAGAIN;
	if (!take)
		return 0;

	mbx->fw_crashed = false;
	mbx->heartbeat_enabled = true;
	return fbnic_fw_heartbeat_send(hw);
}

int
fbnic_fw_ownership(struct fbnic_hw *hw, bool take)
{
	struct fbnic_fw_mbx *mbx = mbx_of(hw);
	int err;

	err = fbnic_fw_ownership_send(hw, take);
	if (err)
		return err;
	if (!mbx_wait(hw, &mbx->ownership_replied)) {
		FBNIC_BASE_LOG(ERR, "port %u: no OWNERSHIP_RESP (%s) within %u ms",
			       hw->port_id, take ? "take" : "release", mbx->timeout_ms);
		return -ETIMEDOUT;
	}
	return fbnic_fw_ownership_poll(hw, take);
}

int
fbnic_fw_heartbeat_check(struct fbnic_hw *hw)
{
	struct fbnic_fw_mbx *mbx = mbx_of(hw);
	int err = 0;

	if (mbx == NULL || mbx->dma_va == NULL)
		return -ENODEV;
	if (mbx->fw_crashed)
		return -ETIMEDOUT;
	if (!mbx->heartbeat_enabled)
		return 0;

	fbnic_fw_poll(hw);
	if (!mbx->heartbeat_replied) {
		FBNIC_BASE_LOG(ERR, "port %u: firmware did not answer the heartbeat",
			       hw->port_id);
		err = -ETIMEDOUT;
	} else if (mbx->fw_uptime_ms < mbx->fw_uptime_prev_ms) {
		FBNIC_BASE_LOG(ERR,
			       "port %u: firmware uptime went back from %" PRIu64
			       " to %" PRIu64 " ms: firmware restarted",
			       hw->port_id, mbx->fw_uptime_prev_ms, mbx->fw_uptime_ms);
		err = -ETIMEDOUT;
	}
	if (err) {
		mbx->heartbeat_enabled = false;
		mbx->fw_crashed = true;
		return err;
	}
	return fbnic_fw_heartbeat_send(hw);
}

const struct fbnic_fw_caps *
fbnic_fw_caps_get(struct fbnic_hw *hw)
{
	struct fbnic_fw_mbx *mbx = mbx_of(hw);

	return mbx != NULL && mbx->caps_valid ? &mbx->caps : NULL;
}

int
fbnic_fw_ver_str(uint32_t version, char *buf, size_t len)
{
	return snprintf(buf, len, "%u.%u.%u.%u",
			(unsigned int)FBNIC_FIELD_GET(FBNIC_FW_VER_MAJOR_MASK, version),
			(unsigned int)FBNIC_FIELD_GET(FBNIC_FW_VER_MINOR_MASK, version),
			(unsigned int)FBNIC_FIELD_GET(FBNIC_FW_VER_PATCH_MASK, version),
			(unsigned int)FBNIC_FIELD_GET(FBNIC_FW_VER_BUILD_MASK, version));
}

/* ---- Requests with a reply ---------------------------------------------- */

/* Send msg and wait (bounded) for the reply c describes. */
static int
mbx_request(struct fbnic_hw *hw, const uint8_t *msg, int len,
	    struct fbnic_fw_cmpl *c, const char *what)
{
	struct fbnic_fw_mbx *mbx = mbx_of(hw);
	int err;

	if (len < 0)
		return len;
	if (mbx == NULL || mbx->dma_va == NULL)
		return -ENODEV;
	if (mbx->cmpl != NULL)
		return -EBUSY;
	c->done = false;
	c->result = -ETIMEDOUT;
	mbx->cmpl = c;
	err = fbnic_fw_send(hw, msg, (uint32_t)len);
	if (err == 0 && !mbx_wait(hw, &c->done)) {
		FBNIC_BASE_LOG(ERR, "port %u: no reply to %s within %u ms",
			       hw->port_id, what, mbx->timeout_ms);
		err = -ETIMEDOUT;
	}
	mbx->cmpl = NULL;
	return err ? err : c->result;
}

int
fbnic_fw_qsfp_read(struct fbnic_hw *hw, uint32_t bank, uint32_t page,
		   uint32_t offset, uint32_t len, uint8_t *data)
{
	struct fbnic_fw_cmpl c = {
		.resp_id = FBNIC_TLV_MSG_ID_QSFP_READ_RESP,
		.bank = bank, .page = page, .offset = offset, .length = len,
		.data = data,
	};
	struct fbnic_tlv_builder b;
	uint8_t msg[64];

	if (data == NULL || len == 0 || len > FBNIC_TLV_DATA_MAX_LEN)
		return -EINVAL;
	fbnic_tlv_msg_init(&b, msg, sizeof(msg), FBNIC_TLV_MSG_ID_QSFP_READ_REQ);
	fbnic_tlv_add_u32(&b, FBNIC_FW_QSFP_BANK, bank);
	fbnic_tlv_add_u32(&b, FBNIC_FW_QSFP_PAGE, page);
	fbnic_tlv_add_u32(&b, FBNIC_FW_QSFP_OFFSET, offset);
	fbnic_tlv_add_u32(&b, FBNIC_FW_QSFP_LENGTH, len);
	return mbx_request(hw, msg, fbnic_tlv_msg_finish(&b), &c, "QSFP_READ_REQ");
}

int
fbnic_fw_tsene_read(struct fbnic_hw *hw, int32_t *millidegrees,
		    int32_t *millivolts)
{
	struct fbnic_fw_cmpl c = { .resp_id = FBNIC_TLV_MSG_ID_TSENE_READ_RESP };
	struct fbnic_tlv_builder b;
	uint8_t msg[4];
	int err;

	fbnic_tlv_msg_init(&b, msg, sizeof(msg), FBNIC_TLV_MSG_ID_TSENE_READ_REQ);
	err = mbx_request(hw, msg, fbnic_tlv_msg_finish(&b), &c, "TSENE_READ_REQ");
	if (err)
		return err;
	if (millidegrees != NULL)
		*millidegrees = c.millidegrees;
	if (millivolts != NULL)
		*millivolts = c.millivolts;
	return 0;
}

int
fbnic_fw_self_test(struct fbnic_hw *hw)
{
	static const uint8_t mac[6] = { 0x02, 0xfb, 0x00, 0x5e, 0x1f, 0x7e };
	struct fbnic_fw_cmpl c = { .resp_id = FBNIC_TLV_MSG_ID_TEST };
	struct fbnic_tlv_builder b;
	uint8_t msg[256];
	int len, i;

	/* Attributes of the kinds the test message defines (fbnic_hw.rst 6.5) */
	fbnic_tlv_msg_init(&b, msg, sizeof(msg), FBNIC_TLV_MSG_ID_TEST);
	fbnic_tlv_add_u64(&b, 0, 0x0123456789abcdefull);
	fbnic_tlv_add_u32(&b, 2, 0x89abcdef);
	fbnic_tlv_add_s32(&b, 3, -0x1234567);
	fbnic_tlv_add_u32(&b, 4, 0xbeef);
	fbnic_tlv_add_s32(&b, 5, -0x1234);
	fbnic_tlv_add_mac(&b, 6, mac);
	fbnic_tlv_add_flag(&b, 7);
	fbnic_tlv_add_string(&b, 9, "fbnic mailbox test", 32);
	fbnic_tlv_nest_start(&b, 11);
	for (i = 0; i < 4; i++)
		fbnic_tlv_add_mac(&b, 6, mac);
	fbnic_tlv_nest_end(&b);
	len = fbnic_tlv_msg_finish(&b);
	c.sent = msg;
	c.sent_len = len > 0 ? (uint32_t)len : 0;
	return mbx_request(hw, msg, len, &c, "TEST");
}

int
fbnic_fw_send_logs(struct fbnic_hw *hw, bool enable)
{
	struct fbnic_fw_mbx *mbx = mbx_of(hw);
	struct fbnic_tlv_builder b;
	uint8_t msg[32];
	int len;

	if (mbx == NULL || !mbx->caps_valid)
		return -ENODEV;
	if (mbx->caps.running.version < FBNIC_FW_MIN_VER_CODE_LOG)
		return -EOPNOTSUPP;
	fbnic_tlv_msg_init(&b, msg, sizeof(msg), FBNIC_TLV_MSG_ID_LOG_SEND_LOGS_REQ);
	if (enable) {
		fbnic_tlv_add_flag(&b, FBNIC_SEND_LOGS);
		fbnic_tlv_add_u32(&b, FBNIC_SEND_LOGS_VERSION, FBNIC_FW_LOG_VERSION);
	}
	len = fbnic_tlv_msg_finish(&b);
	if (len < 0)
		return len;
	return fbnic_fw_send(hw, msg, (uint32_t)len);
}

/* Add up to 8 addresses as an array; true when some did not fit. */
static bool
mbx_add_mac_array(struct fbnic_tlv_builder *b, uint16_t id,
		  const fbnic_mac_addr_t *addr, unsigned int n)
{
	unsigned int i;

	if (n == 0 || addr == NULL)
		return false;
	fbnic_tlv_nest_start(b, id);
	for (i = 0; i < n && i < FBNIC_FW_RPC_MAC_SYNC_ARRAY_SIZE; i++)
		fbnic_tlv_add_mac(b, FBNIC_FW_RPC_MAC_SYNC_MAC_ADDR, addr[i]);
	fbnic_tlv_nest_end(b);
	return n > FBNIC_FW_RPC_MAC_SYNC_ARRAY_SIZE;
}

int
fbnic_fw_mac_sync(struct fbnic_hw *hw, const fbnic_mac_addr_t *uc, unsigned int n_uc,
		  const fbnic_mac_addr_t *mc, unsigned int n_mc, uint32_t flags)
{
	struct fbnic_tlv_builder b;
	uint8_t msg[256];
	int len;

	fbnic_tlv_msg_init(&b, msg, sizeof(msg), FBNIC_TLV_MSG_ID_RPC_MAC_SYNC_REQ);
	if (mbx_add_mac_array(&b, FBNIC_FW_RPC_MAC_SYNC_UC_ARRAY, uc, n_uc))
		flags |= FBNIC_FW_RPC_MAC_SYNC_RX_FLAGS_PROMISC;
	if (mbx_add_mac_array(&b, FBNIC_FW_RPC_MAC_SYNC_MC_ARRAY, mc, n_mc))
		flags |= FBNIC_FW_RPC_MAC_SYNC_RX_FLAGS_ALLMULTI;
	fbnic_tlv_add_u32(&b, FBNIC_FW_RPC_MAC_SYNC_RX_FLAGS, flags);
	len = fbnic_tlv_msg_finish(&b);
	if (len < 0)
		return len;
	return fbnic_fw_send(hw, msg, (uint32_t)len);
}
