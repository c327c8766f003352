/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

/*
 * Mailbox TLV codec (fbnic_hw.rst 6.4). Everything read from a buffer is
 * bounds checked against the enclosing length before it is used.
 */

#include <errno.h>
#include <string.h>

#include "fbnic_tlv.h"

/* Message length is counted in 32-bit words in a 16-bit field. */
#define FBNIC_TLV_BUILD_MAX	(0xffffu * 4u)
/* Attribute length is counted in bytes in a 16-bit field. */
#define FBNIC_TLV_ATTR_MAX_LEN	0xffffu

static int
tlv_fail(struct fbnic_tlv_builder *b, int err)
{
	if (!b->err)
		b->err = err;
	return b->err;
}

int
fbnic_tlv_msg_init(struct fbnic_tlv_builder *b, void *buf, size_t size,
		   uint16_t msg_id)
{
	if (b == NULL)
		return -EINVAL;
	memset(b, 0, sizeof(*b));
	if (buf == NULL || msg_id > FBNIC_TLV_HDR_TYPE_MASK)
		return tlv_fail(b, -EINVAL);
	if (size < FBNIC_TLV_HDR_LEN)
		return tlv_fail(b, -ENOSPC);
	if (size > FBNIC_TLV_BUILD_MAX)
		size = FBNIC_TLV_BUILD_MAX;

	b->buf = buf;
	b->size = (uint32_t)size & ~3u;
	b->len = FBNIC_TLV_HDR_LEN;
	fbnic_tlv_put_le32(b->buf, fbnic_tlv_hdr(msg_id, 1, true, false));
	return 0;
}

/* One attribute with len bytes of payload (cannot_ignore clear). */
static int
tlv_add_raw(struct fbnic_tlv_builder *b, uint16_t id, const void *data, size_t len)
{
	uint32_t total, padded;
	uint8_t *p;

	if (b == NULL)
		return -EINVAL;
	if (b->err)
		return b->err;
	if (id > FBNIC_TLV_HDR_TYPE_MASK || (len && data == NULL))
		return tlv_fail(b, -EINVAL);
	if (len > FBNIC_TLV_ATTR_MAX_LEN - FBNIC_TLV_HDR_LEN)
		return tlv_fail(b, -ENOSPC);

	total = FBNIC_TLV_HDR_LEN + (uint32_t)len;
	padded = FBNIC_TLV_ALIGN(total);
	if (padded > b->size - b->len)
		return tlv_fail(b, -ENOSPC);

	p = b->buf + b->len;
	fbnic_tlv_put_le32(p, fbnic_tlv_hdr(id, (uint16_t)total, false, false));
	if (len)
		memcpy(p + FBNIC_TLV_HDR_LEN, data, len);
	memset(p + total, 0, padded - total);
	b->len += padded;
	return 0;
}

int
fbnic_tlv_add_bytes(struct fbnic_tlv_builder *b, uint16_t id,
		    const void *data, size_t len)
{
	return tlv_add_raw(b, id, data, len);
}

int
fbnic_tlv_add_flag(struct fbnic_tlv_builder *b, uint16_t id)
{
	return tlv_add_raw(b, id, NULL, 0);
}

static int
tlv_add_le(struct fbnic_tlv_builder *b, uint16_t id, uint64_t v,
	   unsigned int bytes)
{
	uint8_t le[8];
	unsigned int i;

	for (i = 0; i < bytes; i++)
		le[i] = (uint8_t)(v >> (8 * i));
	return tlv_add_raw(b, id, le, bytes);
}

int
fbnic_tlv_add_u32(struct fbnic_tlv_builder *b, uint16_t id, uint32_t v)
{
	return tlv_add_le(b, id, v, 4);
}

int
fbnic_tlv_add_u64(struct fbnic_tlv_builder *b, uint16_t id, uint64_t v)
{
	return tlv_add_le(b, id, v, 8);
}

int
fbnic_tlv_add_s32(struct fbnic_tlv_builder *b, uint16_t id, int32_t v)
{
	return tlv_add_le(b, id, (uint32_t)v, 4);
}

int
fbnic_tlv_add_mac(struct fbnic_tlv_builder *b, uint16_t id,
		  const uint8_t mac[FBNIC_TLV_MAC_LEN])
{
	return tlv_add_raw(b, id, mac, FBNIC_TLV_MAC_LEN);
}

int
fbnic_tlv_add_string(struct fbnic_tlv_builder *b, uint16_t id,
		     const char *s, size_t max_len)
{
	size_t n;

	if (b == NULL)
		return -EINVAL;
	if (s == NULL || max_len == 0)
		return tlv_fail(b, -EINVAL);
	n = strnlen(s, max_len);
	if (n == max_len)
		return tlv_fail(b, -E2BIG);
	/* s[n] is the terminating NUL, sent as part of the string */
	return tlv_add_raw(b, id, s, n + 1);
}

int
fbnic_tlv_nest_start(struct fbnic_tlv_builder *b, uint16_t id)
{
	if (b == NULL)
		return -EINVAL;
	if (b->err)
		return b->err;
	if (id > FBNIC_TLV_HDR_TYPE_MASK ||
	    b->depth >= FBNIC_TLV_NEST_DEPTH_MAX)
		return tlv_fail(b, -EINVAL);
	if (b->size - b->len < FBNIC_TLV_HDR_LEN)
		return tlv_fail(b, -ENOSPC);

	/* Length is filled in by fbnic_tlv_nest_end() */
	fbnic_tlv_put_le32(b->buf + b->len, fbnic_tlv_hdr(id, 0, false, false));
	b->nest[b->depth++] = b->len;
	b->len += FBNIC_TLV_HDR_LEN;
	return 0;
}

int
fbnic_tlv_nest_end(struct fbnic_tlv_builder *b)
{
	uint32_t off, len, hdr;

	if (b == NULL)
		return -EINVAL;
	if (b->err)
		return b->err;
	if (b->depth == 0)
		return tlv_fail(b, -EINVAL);

	off = b->nest[--b->depth];
	len = b->len - off;
	if (len == FBNIC_TLV_HDR_LEN) {
		b->len = off;
		return 0;
	}
	if (len > FBNIC_TLV_ATTR_MAX_LEN)
		return tlv_fail(b, -ENOSPC);

	hdr = fbnic_tlv_get_le32(b->buf + off);
	hdr = (hdr & ~FBNIC_TLV_HDR_LEN_MASK) | (len << FBNIC_TLV_HDR_LEN_SHIFT);
	fbnic_tlv_put_le32(b->buf + off, hdr);
	return 0;
}

int
fbnic_tlv_msg_finish(struct fbnic_tlv_builder *b)
{
	uint32_t hdr;

	if (b == NULL)
		return -EINVAL;
	if (b->err)
		return b->err;
	if (b->depth)
		return tlv_fail(b, -EINVAL);

	hdr = fbnic_tlv_get_le32(b->buf);
	hdr = (hdr & ~FBNIC_TLV_HDR_LEN_MASK) |
	      ((b->len / 4) << FBNIC_TLV_HDR_LEN_SHIFT);
	fbnic_tlv_put_le32(b->buf, hdr);
	return (int)b->len;
}

/* Parser */

static int tlv_validate_list(const uint8_t *p, uint32_t len,
			     unsigned int depth, unsigned int max_id,
			     const struct fbnic_tlv_policy *policy,
			     struct fbnic_tlv_index *idx);

/* Check one attribute header at p[0..avail): returns its length or <0. */
static int
tlv_attr_hdr(const uint8_t *p, uint32_t avail, uint16_t *id, bool *ci)
{
	uint32_t hdr, alen;

	if (avail < FBNIC_TLV_HDR_LEN)
		return -EINVAL;
	hdr = fbnic_tlv_get_le32(p);
	if (hdr & FBNIC_TLV_HDR_IS_MSG)
		return -EINVAL;
	alen = hdr >> FBNIC_TLV_HDR_LEN_SHIFT;
	if (alen < FBNIC_TLV_HDR_LEN || alen > avail)
		return -EINVAL;
	/* The padding of the attribute belongs to its parent too */
	if (FBNIC_TLV_ALIGN(alen) > avail)
		return -EINVAL;
	*id = (uint16_t)(hdr & FBNIC_TLV_HDR_TYPE_MASK);
	*ci = !!(hdr & FBNIC_TLV_HDR_CANNOT_IGNORE);
	return (int)alen;
}

static int
tlv_validate_array(const uint8_t *p, uint32_t len,
		   const struct fbnic_tlv_policy *pol)
{
	unsigned int count = 0;
	uint32_t off = 0;

	while (off < len) {
		uint16_t id;
		bool ci;
		int alen;

		alen = tlv_attr_hdr(p + off, len - off, &id, &ci);
		if (alen < 0)
			return alen;
		if (id != pol->array_id)
			return -EINVAL;
		if (pol->array_max && ++count > pol->array_max)
			return -E2BIG;
		off += FBNIC_TLV_ALIGN((uint32_t)alen);
	}
	return 0;
}

static int
tlv_validate_value(const uint8_t *data, uint32_t len, unsigned int depth,
		   const struct fbnic_tlv_policy *pol);

/* Validate the elements of an array against their policy entry. */
static int
tlv_validate_elems(const uint8_t *p, uint32_t len, unsigned int depth,
		   const struct fbnic_tlv_policy *pol)
{
	uint32_t off = 0;
	int err;

	err = tlv_validate_array(p, len, pol);
	if (err || pol->nested == NULL)
		return err;

	while (off < len) {
		uint32_t alen = fbnic_tlv_get_le32(p + off) >>
				FBNIC_TLV_HDR_LEN_SHIFT;

		err = tlv_validate_value(p + off + FBNIC_TLV_HDR_LEN,
					 alen - FBNIC_TLV_HDR_LEN, depth,
					 pol->nested);
		if (err)
			return err;
		off += FBNIC_TLV_ALIGN(alen);
	}
	return 0;
}

/* Validate the payload of an attribute at nesting level depth. */
static int
tlv_validate_value(const uint8_t *data, uint32_t len, unsigned int depth,
		   const struct fbnic_tlv_policy *pol)
{
	switch (pol->type) {
	case FBNIC_TLV_ANY:
		return 0;
	case FBNIC_TLV_FLAG:
		return len == 0 ? 0 : -EINVAL;
	case FBNIC_TLV_U32:
	case FBNIC_TLV_S32:
		return (len >= 1 && len <= 4) ? 0 : -EINVAL;
	case FBNIC_TLV_U64:
		return (len >= 1 && len <= 8) ? 0 : -EINVAL;
	case FBNIC_TLV_MAC:
		return len == FBNIC_TLV_MAC_LEN ? 0 : -EINVAL;
	case FBNIC_TLV_STRING:
		if (len == 0 || (pol->max_len && len > pol->max_len))
			return -EINVAL;
		return data[len - 1] == '\0' ? 0 : -EINVAL;
	case FBNIC_TLV_BINARY:
		if (len == 0 || (pol->max_len && len > pol->max_len))
			return -EINVAL;
		return 0;
	case FBNIC_TLV_NESTED:
		if (len % 4 || depth + 1 > FBNIC_TLV_NEST_DEPTH_MAX)
			return -EINVAL;
		return tlv_validate_list(data, len, depth + 1,
					 pol->nested ? pol->nested_max :
						       FBNIC_TLV_ATTR_ID_MAX,
					 pol->nested, NULL);
	case FBNIC_TLV_ARRAY:
		if (len % 4 || depth + 1 > FBNIC_TLV_NEST_DEPTH_MAX)
			return -EINVAL;
		return tlv_validate_elems(data, len, depth + 1, pol);
	default:
		return -EINVAL;
	}
}

/*
 * Walk a list of attributes p[0..len) (len is a multiple of 4). Records
 * known attributes into idx when given.
 */
static int
tlv_validate_list(const uint8_t *p, uint32_t len, unsigned int depth,
		  unsigned int max_id, const struct fbnic_tlv_policy *policy,
		  struct fbnic_tlv_index *idx)
{
	uint32_t seen = 0;
	uint32_t off = 0;

	if (max_id > FBNIC_TLV_ATTR_ID_MAX || len % 4)
		return -EINVAL;

	while (off < len) {
		const struct fbnic_tlv_policy *pol = NULL;
		const uint8_t *data;
		uint16_t id;
		bool ci;
		int alen, err;

		alen = tlv_attr_hdr(p + off, len - off, &id, &ci);
		if (alen < 0)
			return alen;
		data = p + off + FBNIC_TLV_HDR_LEN;

		/*
		 * IDs index a table of FBNIC_TLV_ATTR_ID_MAX results on both
		 * sides: an ID beyond it is malformed, and a repeated ID is
		 * refused before the policy is looked at, so that parsers with
		 * different policies (the firmware's, the driver's) refuse the
		 * same messages (Linux fbnic_tlv_attr_validate() and
		 * fbnic_tlv_attr_parse()).
		 */
		if (id >= FBNIC_TLV_ATTR_ID_MAX)
			return -EINVAL;
		if (seen & (1u << id))
			return -EADDRINUSE;
		seen |= 1u << id;

		if (id < max_id && policy)
			pol = &policy[id];
		if (id >= max_id || (pol && pol->type == FBNIC_TLV_UNKNOWN)) {
			/* Unknown attribute: skipped unless it must be known */
			if (ci)
				return -EINVAL;
			off += FBNIC_TLV_ALIGN((uint32_t)alen);
			continue;
		}

		if (pol) {
			err = tlv_validate_value(data,
						 (uint32_t)alen - FBNIC_TLV_HDR_LEN,
						 depth, pol);
			if (err)
				return err;
		}
		if (idx) {
			idx->attr[id].data = data;
			idx->attr[id].len = (uint16_t)(alen - FBNIC_TLV_HDR_LEN);
			idx->attr[id].id = id;
			idx->attr[id].present = true;
			idx->count++;
		}
		off += FBNIC_TLV_ALIGN((uint32_t)alen);
	}
	return 0;
}

int
fbnic_tlv_msg_peek(const void *buf, size_t buf_len, uint16_t *msg_id,
		   uint32_t *len)
{
	uint32_t hdr, bytes;

	if (buf == NULL || buf_len < FBNIC_TLV_HDR_LEN)
		return -EINVAL;
	hdr = fbnic_tlv_get_le32(buf);
	if (!(hdr & FBNIC_TLV_HDR_IS_MSG))
		return -EBADMSG;
	bytes = (hdr >> FBNIC_TLV_HDR_LEN_SHIFT) * 4u;
	if (bytes == 0 || bytes > buf_len)
		return -EINVAL;
	if (bytes > FBNIC_TLV_MSG_MAX_LEN)
		return -E2BIG;
	if (msg_id)
		*msg_id = (uint16_t)(hdr & FBNIC_TLV_HDR_TYPE_MASK);
	if (len)
		*len = bytes;
	return 0;
}

int
fbnic_tlv_msg_parse(const void *buf, size_t buf_len, unsigned int max_id,
		    const struct fbnic_tlv_policy *policy,
		    struct fbnic_tlv_index *idx)
{
	uint32_t len;
	uint16_t id;
	int err;

	if (idx == NULL)
		return -EINVAL;
	memset(idx, 0, sizeof(*idx));

	err = fbnic_tlv_msg_peek(buf, buf_len, &id, &len);
	if (err)
		return err;

	idx->id = id;
	idx->len = len;
	idx->max_id = max_id;
	err = tlv_validate_list((const uint8_t *)buf + FBNIC_TLV_HDR_LEN,
				len - FBNIC_TLV_HDR_LEN, 0, max_id, policy, idx);
	if (err)
		memset(idx, 0, sizeof(*idx));
	return err;
}

int
fbnic_tlv_array_parse(const struct fbnic_tlv_attr *a, uint16_t elem_id,
		      struct fbnic_tlv_attr *out, unsigned int max)
{
	unsigned int n = 0;
	uint32_t off = 0;

	if (a == NULL || !a->present)
		return -ENOENT;
	if (a->len % 4 || (max && out == NULL))
		return -EINVAL;

	while (off < a->len) {
		uint16_t id;
		bool ci;
		int alen;

		alen = tlv_attr_hdr(a->data + off, a->len - off, &id, &ci);
		if (alen < 0)
			return alen;
		if (id != elem_id)
			return -EINVAL;
		if (n >= max)
			return -ENOSPC;
		out[n].data = a->data + off + FBNIC_TLV_HDR_LEN;
		out[n].len = (uint16_t)(alen - FBNIC_TLV_HDR_LEN);
		out[n].id = id;
		out[n].present = true;
		n++;
		off += FBNIC_TLV_ALIGN((uint32_t)alen);
	}
	return (int)n;
}

const struct fbnic_tlv_attr *
fbnic_tlv_attr(const struct fbnic_tlv_index *idx, unsigned int id)
{
	if (idx == NULL || id >= FBNIC_TLV_ATTR_ID_MAX || id >= idx->max_id ||
	    !idx->attr[id].present)
		return NULL;
	return &idx->attr[id];
}

static uint64_t
tlv_le_value(const uint8_t *p, unsigned int len)
{
	uint64_t v = 0;
	unsigned int i;

	for (i = 0; i < len; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

static int
tlv_get_int(const struct fbnic_tlv_attr *a, unsigned int max_len,
	    bool is_signed, uint64_t *v)
{
	uint64_t val;

	if (a == NULL || !a->present)
		return -ENOENT;
	if (a->len == 0 || a->len > max_len)
		return -EINVAL;
	val = tlv_le_value(a->data, a->len);
	if (is_signed && a->len < 8 && (val >> (8 * a->len - 1)) & 1)
		val |= ~0ull << (8 * a->len);
	*v = val;
	return 0;
}

int
fbnic_tlv_get_flag(const struct fbnic_tlv_attr *a)
{
	if (a == NULL || !a->present)
		return 0;
	return a->len == 0 ? 1 : -EINVAL;
}

int
fbnic_tlv_get_u32(const struct fbnic_tlv_attr *a, uint32_t *v)
{
	uint64_t val;
	int err;

	err = tlv_get_int(a, 4, false, &val);
	if (!err)
		*v = (uint32_t)val;
	return err;
}

int
fbnic_tlv_get_u64(const struct fbnic_tlv_attr *a, uint64_t *v)
{
	return tlv_get_int(a, 8, false, v);
}

int
fbnic_tlv_get_s32(const struct fbnic_tlv_attr *a, int32_t *v)
{
	uint64_t val;
	int err;

	err = tlv_get_int(a, 4, true, &val);
	if (!err)
		*v = (int32_t)(uint32_t)val;
	return err;
}

int
fbnic_tlv_get_mac(const struct fbnic_tlv_attr *a,
		  uint8_t mac[FBNIC_TLV_MAC_LEN])
{
	if (a == NULL || !a->present)
		return -ENOENT;
	if (a->len != FBNIC_TLV_MAC_LEN)
		return -EINVAL;
	memcpy(mac, a->data, FBNIC_TLV_MAC_LEN);
	return 0;
}

int
fbnic_tlv_get_string(const struct fbnic_tlv_attr *a, char *dst,
		     size_t dst_size)
{
	size_t n;

	if (dst == NULL || dst_size == 0)
		return -EINVAL;
	dst[0] = '\0';
	if (a == NULL || !a->present)
		return -ENOENT;
	if (a->len == 0 || a->data[a->len - 1] != '\0')
		return -EINVAL;

	n = strnlen((const char *)a->data, a->len);
	if (n >= dst_size) {
		memcpy(dst, a->data, dst_size - 1);
		dst[dst_size - 1] = '\0';
		return -E2BIG;
	}
	memcpy(dst, a->data, n + 1);
	return (int)n;
}
