/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

#ifndef _FBNIC_TLV_H_
#define _FBNIC_TLV_H_

/*
 * TLV codec of the firmware mailbox (fbnic_hw.rst 6.4), shared by the driver
 * and the device model. Plain C: no DPDK, no osdep.
 *
 * Every message and attribute starts with a little-endian 32-bit header:
 *   11:0  type (message ID or attribute ID)
 *   13:12 reserved
 *   14    cannot_ignore: the receiver must reject the message if it does
 *         not know the attribute
 *   15    is_msg: header of a message (not of an attribute)
 *   31:16 length: message = 32-bit words including the header,
 *                 attribute = bytes including its 4-byte header
 * Attributes follow each other, each padded with zeros to 4 bytes.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FBNIC_TLV_HDR_TYPE_MASK		0x00000fffu
#define FBNIC_TLV_HDR_RSVD_MASK		0x00003000u
#define FBNIC_TLV_HDR_CANNOT_IGNORE	0x00004000u
#define FBNIC_TLV_HDR_IS_MSG		0x00008000u
#define FBNIC_TLV_HDR_LEN_SHIFT		16
#define FBNIC_TLV_HDR_LEN_MASK		0xffff0000u

#define FBNIC_TLV_HDR_LEN		4u
/* Largest message either side accepts (fbnic_hw.rst 6.4). */
#define FBNIC_TLV_MSG_MAX_LEN		4096u
/* Largest data chunk in one message (QSFP, coredump, upgrade). */
#define FBNIC_TLV_DATA_MAX_LEN		3584u
/* Attribute IDs are below 32 in every message. */
#define FBNIC_TLV_ATTR_ID_MAX		32u
/* Nests inside nests deeper than this are refused (messages use 2). */
#define FBNIC_TLV_NEST_DEPTH_MAX	4u
#define FBNIC_TLV_MAC_LEN		6u

#define FBNIC_TLV_ALIGN(len)		(((len) + 3u) & ~3u)

/* Build a header word; used by the builder and by tests. */
static inline uint32_t
fbnic_tlv_hdr(uint16_t type, uint16_t len, bool is_msg, bool cannot_ignore)
{
	return (type & FBNIC_TLV_HDR_TYPE_MASK) |
	       (cannot_ignore ? FBNIC_TLV_HDR_CANNOT_IGNORE : 0) |
	       (is_msg ? FBNIC_TLV_HDR_IS_MSG : 0) |
	       ((uint32_t)len << FBNIC_TLV_HDR_LEN_SHIFT);
}

static inline uint32_t
fbnic_tlv_get_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | ((uint32_t)p[1] << 8) |
	       ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

static inline void
fbnic_tlv_put_le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

/*
 * Builder: writes one message into a caller buffer.
 * Errors are sticky: after the first failure every call returns the same
 * negative errno and fbnic_tlv_msg_finish() reports it, so a sequence of
 * adds can be checked once at the end.
 */
struct fbnic_tlv_builder {
	uint8_t *buf;
	uint32_t size;			/* usable bytes, multiple of 4 */
	uint32_t len;			/* bytes written, multiple of 4 */
	uint32_t nest[FBNIC_TLV_NEST_DEPTH_MAX]; /* offsets of open nests */
	unsigned int depth;
	int err;
};

int fbnic_tlv_msg_init(struct fbnic_tlv_builder *b, void *buf, size_t size,
		       uint16_t msg_id);
int fbnic_tlv_add_flag(struct fbnic_tlv_builder *b, uint16_t id);
int fbnic_tlv_add_u32(struct fbnic_tlv_builder *b, uint16_t id, uint32_t v);
int fbnic_tlv_add_u64(struct fbnic_tlv_builder *b, uint16_t id, uint64_t v);
int fbnic_tlv_add_s32(struct fbnic_tlv_builder *b, uint16_t id, int32_t v);
int fbnic_tlv_add_mac(struct fbnic_tlv_builder *b, uint16_t id,
		      const uint8_t mac[FBNIC_TLV_MAC_LEN]);
/* Stores at most max_len - 1 characters plus the NUL; longer is -E2BIG. */
int fbnic_tlv_add_string(struct fbnic_tlv_builder *b, uint16_t id,
			 const char *s, size_t max_len);
int fbnic_tlv_add_bytes(struct fbnic_tlv_builder *b, uint16_t id,
			const void *data, size_t len);
int fbnic_tlv_nest_start(struct fbnic_tlv_builder *b, uint16_t id);
/* Closes the innermost nest; an empty nest is dropped (as Linux does). */
int fbnic_tlv_nest_end(struct fbnic_tlv_builder *b);
/* Returns the message length in bytes (> 0) or the first error. */
int fbnic_tlv_msg_finish(struct fbnic_tlv_builder *b);

/* Parser */
enum fbnic_tlv_type {
	FBNIC_TLV_UNKNOWN = 0,	/* not in the policy: skipped if allowed */
	FBNIC_TLV_ANY,		/* any payload, structure unchecked */
	FBNIC_TLV_FLAG,
	FBNIC_TLV_U32,
	FBNIC_TLV_U64,
	FBNIC_TLV_S32,
	FBNIC_TLV_MAC,
	FBNIC_TLV_STRING,	/* max_len includes the NUL */
	FBNIC_TLV_BINARY,	/* 1..max_len bytes */
	FBNIC_TLV_NESTED,	/* children follow nested/nested_max */
	FBNIC_TLV_ARRAY,	/* children all have ID array_id */
};

/*
 * Per-ID description of a message or nest, indexed by attribute ID.
 * NESTED: `nested` describes the children (nested_max entries; NULL means
 * structure only).
 * ARRAY: every child has ID array_id and is described by the single entry
 * `nested` points at (NULL: structure only); at most array_max children
 * (0: no limit).
 */
struct fbnic_tlv_policy {
	uint8_t type;
	uint8_t nested_max;
	uint8_t array_id;
	uint8_t array_max;
	uint16_t max_len;
	const struct fbnic_tlv_policy *nested;
};

struct fbnic_tlv_attr {
	const uint8_t *data;		/* payload, NULL when absent */
	uint16_t len;			/* payload bytes */
	uint16_t id;
	bool present;
};

/* Attributes of one message, by ID. */
struct fbnic_tlv_index {
	uint16_t id;			/* message ID */
	uint32_t len;			/* message length in bytes */
	unsigned int max_id;
	unsigned int count;		/* attributes recorded */
	struct fbnic_tlv_attr attr[FBNIC_TLV_ATTR_ID_MAX];
};

/*
 * Validate a whole message in buf (buf_len bytes available) and index its
 * attributes. Checks: is_msg header, length in words >= 1 and within
 * buf_len and FBNIC_TLV_MSG_MAX_LEN, each attribute with is_msg clear,
 * length >= 4 and inside its parent, ID below FBNIC_TLV_ATTR_ID_MAX
 * (-EINVAL), no ID twice whether known or not (-EADDRINUSE), IDs >= max_id
 * (or UNKNOWN in the policy) skipped unless cannot_ignore (-EINVAL), typed
 * attributes of the policy validated (recursively for nests, at most
 * FBNIC_TLV_NEST_DEPTH_MAX deep). policy may be NULL (structure only).
 * Returns 0 or -EINVAL / -EADDRINUSE / -EBADMSG / -E2BIG; idx is zeroed on
 * failure.
 */
int fbnic_tlv_msg_parse(const void *buf, size_t buf_len, unsigned int max_id,
			const struct fbnic_tlv_policy *policy,
			struct fbnic_tlv_index *idx);
/* Message ID and length in bytes, header checks only. */
int fbnic_tlv_msg_peek(const void *buf, size_t buf_len, uint16_t *msg_id,
		       uint32_t *len);
/*
 * Collect the elements of an array attribute: every child must have ID
 * elem_id; at most max elements (-ENOSPC beyond). Returns the count.
 */
int fbnic_tlv_array_parse(const struct fbnic_tlv_attr *a, uint16_t elem_id,
			  struct fbnic_tlv_attr *out, unsigned int max);

/* NULL when the ID is out of range or the attribute is absent. */
const struct fbnic_tlv_attr *fbnic_tlv_attr(const struct fbnic_tlv_index *idx,
					    unsigned int id);

/*
 * Typed getters: -ENOENT when a is NULL or absent, -EINVAL when the length
 * does not fit the type. Integers may be shorter than their type (they are
 * zero- or sign-extended), never longer.
 */
int fbnic_tlv_get_flag(const struct fbnic_tlv_attr *a);	/* 1, 0 absent */
int fbnic_tlv_get_u32(const struct fbnic_tlv_attr *a, uint32_t *v);
int fbnic_tlv_get_u64(const struct fbnic_tlv_attr *a, uint64_t *v);
int fbnic_tlv_get_s32(const struct fbnic_tlv_attr *a, int32_t *v);
int fbnic_tlv_get_mac(const struct fbnic_tlv_attr *a,
		      uint8_t mac[FBNIC_TLV_MAC_LEN]);
/*
 * Copy a NUL-terminated string attribute into dst (always terminated).
 * Returns its length without the NUL, or -E2BIG when it did not fit
 * (dst then holds the truncated string).
 */
int fbnic_tlv_get_string(const struct fbnic_tlv_attr *a, char *dst,
			 size_t dst_size);

#endif /* _FBNIC_TLV_H_ */
