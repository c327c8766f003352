/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

/*
 * vfio-user request decoding and validation (QEMU docs/interop/vfio-user.rst).
 * No I/O here: see fbnic_vfu_server.c for the socket side.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "vfu_proto.h"

_Static_assert(sizeof(struct vfu_hdr) == VFU_HDR_SIZE, "header layout");
_Static_assert(sizeof(struct vfu_dma_map) == 32, "DMA_MAP layout");
_Static_assert(sizeof(struct vfu_dma_unmap) == 24, "DMA_UNMAP layout");
_Static_assert(sizeof(struct vfu_device_info) == 16, "DEVICE_INFO layout");
_Static_assert(sizeof(struct vfu_region_info) == 32, "REGION_INFO layout");
_Static_assert(sizeof(struct vfu_irq_info) == 16, "IRQ_INFO layout");
_Static_assert(sizeof(struct vfu_irq_set) == 20, "IRQ_SET layout");
_Static_assert(sizeof(struct vfu_region_rw) == 16, "REGION_RW layout");
_Static_assert(sizeof(struct vfu_dma_rw) == 16, "DMA_RW layout");
_Static_assert(sizeof(struct vfu_write_one) == 24, "WRITE_MULTI entry layout");

/* The capabilities this server answers with (a subset of what QEMU knows). */
static const char vfu_server_caps_fmt[] =
	"{\"capabilities\":{\"max_msg_fds\":%u,\"max_data_xfer_size\":%u,"
	"\"pgsizes\":%u,\"max_dma_maps\":%u,\"write_multiple\":%s}}";

const char *
vfu_cmd_name(uint16_t cmd)
{
	static const char *const names[] = {
		[VFU_CMD_VERSION] = "VERSION",
		[VFU_CMD_DMA_MAP] = "DMA_MAP",
		[VFU_CMD_DMA_UNMAP] = "DMA_UNMAP",
		[VFU_CMD_DEVICE_GET_INFO] = "DEVICE_GET_INFO",
		[VFU_CMD_DEVICE_GET_REGION_INFO] = "DEVICE_GET_REGION_INFO",
		[VFU_CMD_DEVICE_GET_REGION_IO_FDS] = "DEVICE_GET_REGION_IO_FDS",
		[VFU_CMD_DEVICE_GET_IRQ_INFO] = "DEVICE_GET_IRQ_INFO",
		[VFU_CMD_DEVICE_SET_IRQS] = "DEVICE_SET_IRQS",
		[VFU_CMD_REGION_READ] = "REGION_READ",
		[VFU_CMD_REGION_WRITE] = "REGION_WRITE",
		[VFU_CMD_DMA_READ] = "DMA_READ",
		[VFU_CMD_DMA_WRITE] = "DMA_WRITE",
		[VFU_CMD_DEVICE_RESET] = "DEVICE_RESET",
		[VFU_CMD_REGION_WRITE_MULTI] = "REGION_WRITE_MULTI",
		[VFU_CMD_DEVICE_FEATURE] = "DEVICE_FEATURE",
		[VFU_CMD_MIG_DATA_READ] = "MIG_DATA_READ",
		[VFU_CMD_MIG_DATA_WRITE] = "MIG_DATA_WRITE",
	};

	if (cmd < VFU_DIM(names) && names[cmd] != NULL)
		return names[cmd];
	return "UNKNOWN";
}

static void
vfu_peer_defaults(struct vfu_peer_caps *caps)
{
	memset(caps, 0, sizeof(*caps));
	caps->max_msg_fds = 1;
	caps->max_data_xfer_size = 1u << 20;
	caps->pgsizes = VFU_PAGE_SIZE;
	caps->max_dma_maps = 65535;
}

void
vfu_session_init(struct vfu_session *s, const struct vfu_device_desc *desc,
		 const struct vfu_backend_ops *ops, void *ctx)
{
	memset(s, 0, sizeof(*s));
	s->desc = desc;
	s->ops = ops;
	s->ctx = ctx;
	vfu_peer_defaults(&s->peer);
}

void
vfu_session_reset(struct vfu_session *s)
{
	s->negotiated = false;
	vfu_peer_defaults(&s->peer);
}

int
vfu_hdr_decode(const void *buf, size_t len, struct vfu_hdr *hdr)
{
	if (buf == NULL || len < VFU_HDR_SIZE)
		return -EINVAL;
	memcpy(hdr, buf, sizeof(*hdr));
	if (hdr->size < VFU_HDR_SIZE)
		return -EINVAL;
	if (hdr->size > VFU_MAX_MSG)
		return -E2BIG;
	return 0;
}

void
vfu_hdr_encode(void *buf, const struct vfu_hdr *hdr)
{
	memcpy(buf, hdr, sizeof(*hdr));
}

size_t
vfu_error_reply(const struct vfu_hdr *req, int err, uint8_t *out)
{
	struct vfu_hdr h = {
		.id = req->id,
		.cmd = req->cmd,
		.size = VFU_HDR_SIZE,
		.flags = VFU_F_TYPE_REPLY | VFU_F_ERROR,
		.error = (uint32_t)(err < 0 ? -err : err),
	};

	vfu_hdr_encode(out, &h);
	return VFU_HDR_SIZE;
}

/* Reply header plus len payload bytes already placed at out + VFU_HDR_SIZE. */
static size_t
vfu_ok_reply(const struct vfu_hdr *req, size_t len, uint8_t *out)
{
	struct vfu_hdr h = {
		.id = req->id,
		.cmd = req->cmd,
		.size = (uint32_t)(VFU_HDR_SIZE + len),
		.flags = VFU_F_TYPE_REPLY,
		.error = 0,
	};

	vfu_hdr_encode(out, &h);
	return VFU_HDR_SIZE + len;
}

/* ---- A small JSON reader, only as much as VERSION needs. ---- */

#define VFU_JSON_MAX_DEPTH	8

struct vfu_json {
	const char *p;
	const char *end;
	struct vfu_peer_caps *caps;
};

enum vfu_json_ctx {
	VFU_JSON_ROOT,		/* the top-level object */
	VFU_JSON_CAPS,		/* the "capabilities" object */
	VFU_JSON_TWIN,		/* capabilities.twin_socket */
	VFU_JSON_OTHER,
};

static void
vfu_json_ws(struct vfu_json *j)
{
	while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' ||
				 *j->p == '\r'))
		j->p++;
}

static bool
vfu_json_lit(struct vfu_json *j, const char *lit)
{
	size_t n = strlen(lit);

	if ((size_t)(j->end - j->p) < n || memcmp(j->p, lit, n) != 0)
		return false;
	j->p += n;
	return true;
}

static int
vfu_hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* A string; *raw / *rawlen get the bytes between the quotes (escapes unexpanded). */
static int
vfu_json_string(struct vfu_json *j, const char **raw, size_t *rawlen)
{
	const char *start;
	int i;

	if (j->p >= j->end || *j->p != '"')
		return -EINVAL;
	start = ++j->p;
	while (j->p < j->end && *j->p != '"') {
		unsigned char c = (unsigned char)*j->p;

		if (c < 0x20)
			return -EINVAL;
		if (c != '\\') {
			j->p++;
			continue;
		}
		if (++j->p >= j->end)
			return -EINVAL;
		switch (*j->p) {
		case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't':
			j->p++;
			break;
		case 'u':
			j->p++;
			if (j->end - j->p < 4)
				return -EINVAL;
			for (i = 0; i < 4; i++)
				if (vfu_hexval(j->p[i]) < 0)
					return -EINVAL;
			j->p += 4;
			break;
		default:
			return -EINVAL;
		}
	}
	if (j->p >= j->end)
		return -EINVAL;
	*raw = start;
	*rawlen = (size_t)(j->p - start);
	j->p++;
	return 0;
}

/*
 * A number. *is_uint says whether it is a plain non-negative integer that
 * fits 64 bits; then *val holds it.
 */
static int
vfu_json_number(struct vfu_json *j, bool *is_uint, uint64_t *val)
{
	bool neg = false, frac = false, overflow = false;
	uint64_t v = 0;
	int digits = 0;

	if (j->p < j->end && *j->p == '-') {
		neg = true;
		j->p++;
	}
	while (j->p < j->end && *j->p >= '0' && *j->p <= '9') {
		unsigned int d = (unsigned int)(*j->p - '0');

		if (v > (UINT64_MAX - d) / 10)
			overflow = true;
		else
			v = v * 10 + d;
		digits++;
		j->p++;
	}
	if (digits == 0)
		return -EINVAL;
	if (j->p < j->end && *j->p == '.') {
		frac = true;
		j->p++;
		digits = 0;
		while (j->p < j->end && *j->p >= '0' && *j->p <= '9') {
			digits++;
			j->p++;
		}
		if (digits == 0)
			return -EINVAL;
	}
	if (j->p < j->end && (*j->p == 'e' || *j->p == 'E')) {
		frac = true;
		j->p++;
		if (j->p < j->end && (*j->p == '+' || *j->p == '-'))
			j->p++;
		digits = 0;
		while (j->p < j->end && *j->p >= '0' && *j->p <= '9') {
			digits++;
			j->p++;
		}
		if (digits == 0)
			return -EINVAL;
	}
	*is_uint = !neg && !frac && !overflow;
	*val = v;
	return 0;
}

static bool
vfu_key_is(const char *raw, size_t len, const char *name)
{
	return strlen(name) == len && memcmp(raw, name, len) == 0;
}

/* Store a known capability; unknown ones are ignored as the protocol asks. */
static int
vfu_json_cap_number(struct vfu_json *j, const char *key, size_t klen, bool is_uint,
		    uint64_t v)
{
	struct vfu_peer_caps *c = j->caps;
	uint64_t *dst = NULL;

	if (vfu_key_is(key, klen, "max_msg_fds"))
		dst = &c->max_msg_fds;
	else if (vfu_key_is(key, klen, "max_data_xfer_size"))
		dst = &c->max_data_xfer_size;
	else if (vfu_key_is(key, klen, "pgsizes"))
		dst = &c->pgsizes;
	else if (vfu_key_is(key, klen, "max_dma_maps"))
		dst = &c->max_dma_maps;
	if (dst == NULL)
		return 0;
	if (!is_uint)
		return -EINVAL;
	*dst = v;
	return 0;
}

static int vfu_json_value(struct vfu_json *j, enum vfu_json_ctx parent, const char *key,
			  size_t klen, unsigned int depth);

static int
vfu_json_object(struct vfu_json *j, enum vfu_json_ctx ctx, unsigned int depth)
{
	const char *key;
	size_t klen;
	int ret;

	j->p++;		/* '{' */
	vfu_json_ws(j);
	if (j->p < j->end && *j->p == '}') {
		j->p++;
		return 0;
	}
	for (;;) {
		vfu_json_ws(j);
		ret = vfu_json_string(j, &key, &klen);
		if (ret < 0)
			return ret;
		vfu_json_ws(j);
		if (j->p >= j->end || *j->p != ':')
			return -EINVAL;
		j->p++;
		vfu_json_ws(j);
		ret = vfu_json_value(j, ctx, key, klen, depth + 1);
		if (ret < 0)
			return ret;
		vfu_json_ws(j);
		if (j->p >= j->end)
			return -EINVAL;
		if (*j->p == '}') {
			j->p++;
			return 0;
		}
		if (*j->p != ',')
			return -EINVAL;
		j->p++;
	}
}

static int
vfu_json_array(struct vfu_json *j, unsigned int depth)
{
	int ret;

	j->p++;		/* '[' */
	vfu_json_ws(j);
	if (j->p < j->end && *j->p == ']') {
		j->p++;
		return 0;
	}
	for (;;) {
		vfu_json_ws(j);
		ret = vfu_json_value(j, VFU_JSON_OTHER, NULL, 0, depth + 1);
		if (ret < 0)
			return ret;
		vfu_json_ws(j);
		if (j->p >= j->end)
			return -EINVAL;
		if (*j->p == ']') {
			j->p++;
			return 0;
		}
		if (*j->p != ',')
			return -EINVAL;
		j->p++;
	}
}

static int
vfu_json_value(struct vfu_json *j, enum vfu_json_ctx parent, const char *key, size_t klen,
	       unsigned int depth)
{
	enum vfu_json_ctx child;
	const char *raw;
	size_t rawlen;
	bool is_uint;
	uint64_t v;
	int ret;

	if (depth > VFU_JSON_MAX_DEPTH || j->p >= j->end)
		return -EINVAL;
	switch (*j->p) {
	case '{':
		/* parent is the object holding this value, key its member name. */
		if (key == NULL)
			child = parent == VFU_JSON_ROOT ? VFU_JSON_ROOT : VFU_JSON_OTHER;
		else if (parent == VFU_JSON_ROOT && vfu_key_is(key, klen, "capabilities"))
			child = VFU_JSON_CAPS;
		else if (parent == VFU_JSON_CAPS && vfu_key_is(key, klen, "twin_socket"))
			child = VFU_JSON_TWIN;
		else
			child = VFU_JSON_OTHER;
		/* A known numeric capability must not be an object. */
		if (key != NULL && parent == VFU_JSON_CAPS) {
			ret = vfu_json_cap_number(j, key, klen, false, 0);
			if (ret < 0)
				return ret;
		}
		return vfu_json_object(j, child, depth);
	case '[':
		return vfu_json_array(j, depth);
	case '"':
		return vfu_json_string(j, &raw, &rawlen);
	case 't':
		if (!vfu_json_lit(j, "true"))
			return -EINVAL;
		if (key != NULL && parent == VFU_JSON_CAPS &&
		    vfu_key_is(key, klen, "write_multiple"))
			j->caps->write_multiple = true;
		if (key != NULL && parent == VFU_JSON_TWIN && vfu_key_is(key, klen, "supported"))
			j->caps->twin_socket = true;
		return 0;
	case 'f':
		return vfu_json_lit(j, "false") ? 0 : -EINVAL;
	case 'n':
		return vfu_json_lit(j, "null") ? 0 : -EINVAL;
	default:
		ret = vfu_json_number(j, &is_uint, &v);
		if (ret < 0)
			return ret;
		if (key != NULL && parent == VFU_JSON_CAPS)
			return vfu_json_cap_number(j, key, klen, is_uint, v);
		return 0;
	}
}

int
vfu_parse_caps(const char *json, size_t len, struct vfu_peer_caps *caps)
{
	struct vfu_json j = { .p = json, .end = json + len, .caps = caps };
	int ret;

	vfu_peer_defaults(caps);
	vfu_json_ws(&j);
	if (j.p >= j.end || *j.p != '{')
		return -EINVAL;
	ret = vfu_json_value(&j, VFU_JSON_ROOT, NULL, 0, 0);
	if (ret < 0)
		return ret;
	vfu_json_ws(&j);
	return j.p == j.end ? 0 : -EINVAL;
}

/* ---- Requests. ---- */

static void
vfu_close_fds(struct vfu_session *s, int *fds, unsigned int nfds)
{
	unsigned int i;

	for (i = 0; i < nfds; i++) {
		if (fds[i] >= 0) {
			close(fds[i]);
			fds[i] = -1;
			s->stats.fds_closed++;
		}
	}
}

static int
vfu_do_version(struct vfu_session *s, const uint8_t *p, size_t len, uint8_t *out,
	       size_t *rlen)
{
	struct vfu_peer_caps caps;
	uint16_t major, minor;
	int n;

	if (len < 4)
		return -EINVAL;
	if (s->negotiated)
		return -EALREADY;
	memcpy(&major, p, 2);
	memcpy(&minor, p + 2, 2);
	if (major != VFU_VERSION_MAJOR)
		return -ENOTSUP;
	if (len > 4) {
		const char *json = (const char *)p + 4;
		size_t jlen = len - 4;

		/* The JSON text includes its terminating NUL. */
		if (jlen > VFU_MAX_VERSION_JSON || json[jlen - 1] != '\0')
			return -EINVAL;
		jlen = strnlen(json, jlen);
		if (vfu_parse_caps(json, jlen, &caps) < 0)
			return -EINVAL;
	} else {
		vfu_peer_defaults(&caps);
	}
	if (caps.pgsizes != 0 && (caps.pgsizes & VFU_PAGE_SIZE) == 0)
		return -EINVAL;
	s->peer = caps;
	s->negotiated = true;

	major = VFU_VERSION_MAJOR;
	if (minor > VFU_VERSION_MINOR)
		minor = VFU_VERSION_MINOR;
	memcpy(out, &major, 2);
	memcpy(out + 2, &minor, 2);
	n = snprintf((char *)out + 4, VFU_MAX_REPLY - VFU_HDR_SIZE - 4, vfu_server_caps_fmt,
		     VFU_MAX_FDS, VFU_MAX_XFER, VFU_PAGE_SIZE, VFU_MAX_DMA_MAPS,
		     caps.write_multiple ? "true" : "false");
	*rlen = 4 + (size_t)n + 1;
	return 0;
}

static bool
vfu_range_ok(uint64_t off, uint64_t count, uint64_t size)
{
	return count <= size && off <= size - count;
}

static int
vfu_do_dma_map(struct vfu_session *s, const uint8_t *p, size_t len, int *fds,
	       unsigned int nfds)
{
	struct vfu_dma_map m;
	int fd;

	if (len < sizeof(m) || nfds > 1)
		return -EINVAL;
	memcpy(&m, p, sizeof(m));
	if (m.argsz < sizeof(m) || (m.flags & ~(VFU_DMA_FLAG_READ | VFU_DMA_FLAG_WRITE)))
		return -EINVAL;
	if (m.size == 0 || m.iova + m.size < m.iova || (m.iova | m.size) % VFU_PAGE_SIZE)
		return -EINVAL;
	if (nfds == 1 && m.offset + m.size < m.offset)
		return -EINVAL;
	if (s->ops->dma_map == NULL)
		return -ENOTSUP;
	fd = nfds == 1 ? fds[0] : -1;
	if (nfds == 1)
		fds[0] = -1;	/* the backend owns it now */
	return s->ops->dma_map(s->ctx, &m, fd);
}

static int
vfu_do_dma_unmap(struct vfu_session *s, const uint8_t *p, size_t len, uint8_t *out,
		 size_t *rlen)
{
	struct vfu_dma_unmap u;
	int ret;

	if (len < sizeof(u))
		return -EINVAL;
	memcpy(&u, p, sizeof(u));
	if (u.argsz < sizeof(u))
		return -EINVAL;
	if (u.flags != 0)
		return -ENOTSUP;	/* no dirty page logging */
	if (u.size == 0 || u.iova + u.size < u.iova)
		return -EINVAL;
	if (s->ops->dma_unmap == NULL)
		return -ENOTSUP;
	ret = s->ops->dma_unmap(s->ctx, u.iova, u.size);
	if (ret < 0)
		return ret;
	u.argsz = sizeof(u);
	memcpy(out, &u, sizeof(u));
	*rlen = sizeof(u);
	return 0;
}

static int
vfu_do_get_info(struct vfu_session *s, const uint8_t *p, size_t len, uint8_t *out,
		size_t *rlen)
{
	struct vfu_device_info info;

	if (len < sizeof(info))
		return -EINVAL;
	memcpy(&info, p, sizeof(info));
	if (info.argsz < sizeof(info))
		return -EINVAL;
	info.argsz = sizeof(info);
	info.flags = s->desc->flags;
	info.num_regions = VFU_NUM_REGIONS;
	info.num_irqs = VFU_NUM_IRQS;
	memcpy(out, &info, sizeof(info));
	*rlen = sizeof(info);
	return 0;
}

static int
vfu_do_region_info(struct vfu_session *s, const uint8_t *p, size_t len, uint8_t *out,
		   size_t *rlen)
{
	struct vfu_region_info ri;

	if (len < sizeof(ri))
		return -EINVAL;
	memcpy(&ri, p, sizeof(ri));
	if (ri.argsz < sizeof(ri) || ri.index >= VFU_NUM_REGIONS)
		return -EINVAL;
	ri.argsz = sizeof(ri);
	ri.flags = s->desc->region_flags[ri.index] & ~VFU_REGION_FLAG_MMAP;
	ri.cap_offset = 0;
	ri.size = s->desc->region_size[ri.index];
	ri.offset = (uint64_t)ri.index << 40;
	memcpy(out, &ri, sizeof(ri));
	*rlen = sizeof(ri);
	return 0;
}

static int
vfu_do_irq_info(struct vfu_session *s, const uint8_t *p, size_t len, uint8_t *out,
		size_t *rlen)
{
	struct vfu_irq_info ii;

	if (len < sizeof(ii))
		return -EINVAL;
	memcpy(&ii, p, sizeof(ii));
	if (ii.argsz < sizeof(ii) || ii.index >= VFU_NUM_IRQS)
		return -EINVAL;
	ii.argsz = sizeof(ii);
	ii.flags = s->desc->irq_flags[ii.index];
	ii.count = s->desc->irq_count[ii.index];
	memcpy(out, &ii, sizeof(ii));
	*rlen = sizeof(ii);
	return 0;
}

static bool
vfu_one_bit(uint32_t v)
{
	return v != 0 && (v & (v - 1)) == 0;
}

static int
vfu_do_set_irqs(struct vfu_session *s, const uint8_t *p, size_t len, int *fds,
		unsigned int nfds)
{
	const uint8_t *bools = NULL;
	struct vfu_irq_set set;
	uint32_t data, action;
	int ret;

	if (len < sizeof(set))
		return -EINVAL;
	memcpy(&set, p, sizeof(set));
	data = set.flags & VFU_IRQ_SET_DATA_MASK;
	action = set.flags & VFU_IRQ_SET_ACTION_MASK_ALL;
	if (set.argsz < sizeof(set) || set.index >= VFU_NUM_IRQS ||
	    (set.flags & ~(VFU_IRQ_SET_DATA_MASK | VFU_IRQ_SET_ACTION_MASK_ALL)) ||
	    !vfu_one_bit(data) || !vfu_one_bit(action))
		return -EINVAL;

	if (set.count == 0) {
		/* Only "disable everything of this index" has no range. */
		if (set.start != 0 || data != VFU_IRQ_SET_DATA_NONE ||
		    action != VFU_IRQ_SET_ACTION_TRIGGER || nfds != 0)
			return -EINVAL;
	} else if (!vfu_range_ok(set.start, set.count, s->desc->irq_count[set.index])) {
		return -EINVAL;
	}

	switch (data) {
	case VFU_IRQ_SET_DATA_NONE:
		if (nfds != 0)
			return -EINVAL;
		break;
	case VFU_IRQ_SET_DATA_BOOL:
		if (nfds != 0 || len - sizeof(set) < set.count)
			return -EINVAL;
		bools = p + sizeof(set);
		break;
	case VFU_IRQ_SET_DATA_EVENTFD:
		/* No descriptors: de-assign the range. */
		if (nfds != 0 && nfds != set.count)
			return -EINVAL;
		if (!(s->desc->irq_flags[set.index] & VFU_IRQ_INFO_EVENTFD))
			return -EINVAL;
		break;
	}
	if ((action == VFU_IRQ_SET_ACTION_MASK || action == VFU_IRQ_SET_ACTION_UNMASK) &&
	    !(s->desc->irq_flags[set.index] & VFU_IRQ_INFO_MASKABLE))
		return -EINVAL;
	if (s->ops->set_irqs == NULL)
		return -ENOTSUP;
	ret = s->ops->set_irqs(s->ctx, &set, bools, fds, nfds);
	/* Ownership moved to the backend, whatever it returned. */
	if (nfds != 0)
		memset(fds, 0xff, sizeof(*fds) * nfds);
	return ret;
}

static int
vfu_region_check(struct vfu_session *s, uint32_t region, uint64_t offset, uint32_t count,
		 bool write)
{
	uint32_t need = write ? VFU_REGION_FLAG_WRITE : VFU_REGION_FLAG_READ;

	if (region >= VFU_NUM_REGIONS)
		return -EINVAL;
	if (count == 0 || count > VFU_MAX_XFER)
		return -EINVAL;
	if (!(s->desc->region_flags[region] & need))
		return -EACCES;
	if (!vfu_range_ok(offset, count, s->desc->region_size[region]))
		return -EINVAL;
	return 0;
}

static int
vfu_do_region_read(struct vfu_session *s, const uint8_t *p, size_t len, uint8_t *out,
		   size_t *rlen)
{
	struct vfu_region_rw rw;
	int ret;

	if (len < sizeof(rw))
		return -EINVAL;
	memcpy(&rw, p, sizeof(rw));
	ret = vfu_region_check(s, rw.region, rw.offset, rw.count, false);
	if (ret < 0)
		return ret;
	ret = s->ops->region_rw(s->ctx, rw.region, rw.offset, out + sizeof(rw), rw.count,
				false);
	if (ret < 0)
		return ret;
	memcpy(out, &rw, sizeof(rw));
	*rlen = sizeof(rw) + rw.count;
	return 0;
}

static int
vfu_do_region_write(struct vfu_session *s, const uint8_t *p, size_t len, uint8_t *out,
		    size_t *rlen)
{
	uint8_t data[VFU_MAX_XFER];
	struct vfu_region_rw rw;
	int ret;

	if (len < sizeof(rw))
		return -EINVAL;
	memcpy(&rw, p, sizeof(rw));
	ret = vfu_region_check(s, rw.region, rw.offset, rw.count, true);
	if (ret < 0)
		return ret;
	if (len - sizeof(rw) != rw.count)
		return -EINVAL;
	memcpy(data, p + sizeof(rw), rw.count);
	ret = s->ops->region_rw(s->ctx, rw.region, rw.offset, data, rw.count, true);
	if (ret < 0)
		return ret;
	memcpy(out, &rw, sizeof(rw));
	*rlen = sizeof(rw);
	return 0;
}

static int
vfu_do_write_multi(struct vfu_session *s, const uint8_t *p, size_t len, uint8_t *out,
		   size_t *rlen)
{
	struct vfu_write_one w;
	uint64_t cnt, i;
	int ret;

	if (len < sizeof(cnt))
		return -EINVAL;
	memcpy(&cnt, p, sizeof(cnt));
	if (cnt == 0 || cnt > VFU_MULTI_MAX || len - sizeof(cnt) != cnt * sizeof(w))
		return -EINVAL;
	for (i = 0; i < cnt; i++) {
		memcpy(&w, p + sizeof(cnt) + i * sizeof(w), sizeof(w));
		if (w.count > VFU_MULTI_DATA)
			return -EINVAL;
		ret = vfu_region_check(s, w.region, w.offset, w.count, true);
		if (ret < 0)
			return ret;
		ret = s->ops->region_rw(s->ctx, w.region, w.offset, w.data, w.count, true);
		if (ret < 0)
			return ret;
	}
	memcpy(out, &cnt, sizeof(cnt));
	*rlen = sizeof(cnt);
	return 0;
}

size_t
vfu_session_handle(struct vfu_session *s, const uint8_t *msg, size_t len, int *fds,
		   unsigned int nfds, uint8_t *out)
{
	uint8_t *rp = out + VFU_HDR_SIZE;
	const uint8_t *p;
	struct vfu_hdr h;
	size_t plen, rlen = 0;
	int ret;

	s->stats.requests++;
	ret = vfu_hdr_decode(msg, len, &h);
	if (ret == 0 && h.size != len)
		ret = -EINVAL;
	if (ret < 0) {
		if (len < VFU_HDR_SIZE) {
			/* Nothing to answer to: only possible from a broken caller. */
			vfu_close_fds(s, fds, nfds);
			s->stats.errors++;
			return 0;
		}
		memcpy(&h, msg, sizeof(h));
		goto done;
	}
	p = msg + VFU_HDR_SIZE;
	plen = len - VFU_HDR_SIZE;

	if ((h.flags & VFU_F_TYPE_MASK) != VFU_F_TYPE_COMMAND ||
	    (h.flags & ~(VFU_F_TYPE_MASK | VFU_F_NO_REPLY))) {
		ret = -EINVAL;
		goto done;
	}
	if (nfds > VFU_MAX_FDS) {
		ret = -EINVAL;
		goto done;
	}
	if (!s->negotiated && h.cmd != VFU_CMD_VERSION) {
		ret = -EINVAL;
		goto done;
	}
	/* Only DMA_MAP and SET_IRQS carry descriptors. */
	if (nfds != 0 && h.cmd != VFU_CMD_DMA_MAP && h.cmd != VFU_CMD_DEVICE_SET_IRQS) {
		ret = -EINVAL;
		goto done;
	}

	switch (h.cmd) {
	case VFU_CMD_VERSION:
		ret = vfu_do_version(s, p, plen, rp, &rlen);
		break;
	case VFU_CMD_DMA_MAP:
		ret = vfu_do_dma_map(s, p, plen, fds, nfds);
		break;
	case VFU_CMD_DMA_UNMAP:
		ret = vfu_do_dma_unmap(s, p, plen, rp, &rlen);
		break;
	case VFU_CMD_DEVICE_GET_INFO:
		ret = vfu_do_get_info(s, p, plen, rp, &rlen);
		break;
	case VFU_CMD_DEVICE_GET_REGION_INFO:
		ret = vfu_do_region_info(s, p, plen, rp, &rlen);
		break;
	case VFU_CMD_DEVICE_GET_IRQ_INFO:
		ret = vfu_do_irq_info(s, p, plen, rp, &rlen);
		break;
	case VFU_CMD_DEVICE_SET_IRQS:
		ret = vfu_do_set_irqs(s, p, plen, fds, nfds);
		break;
	case VFU_CMD_REGION_READ:
		ret = vfu_do_region_read(s, p, plen, rp, &rlen);
		break;
	case VFU_CMD_REGION_WRITE:
		ret = vfu_do_region_write(s, p, plen, rp, &rlen);
		break;
	case VFU_CMD_REGION_WRITE_MULTI:
		ret = vfu_do_write_multi(s, p, plen, rp, &rlen);
		break;
	case VFU_CMD_DEVICE_RESET:
		ret = s->ops->reset != NULL ? s->ops->reset(s->ctx) : -ENOTSUP;
		break;
	case VFU_CMD_DEVICE_GET_REGION_IO_FDS:
	case VFU_CMD_DEVICE_FEATURE:
	case VFU_CMD_MIG_DATA_READ:
	case VFU_CMD_MIG_DATA_WRITE:
		ret = -ENOTSUP;
		break;
	case VFU_CMD_DMA_READ:
	case VFU_CMD_DMA_WRITE:
		ret = -EINVAL;	/* server-to-client commands */
		break;
	default:
		ret = -ENOSYS;
		break;
	}

done:
	vfu_close_fds(s, fds, nfds);
	if (ret < 0) {
		s->stats.errors++;
		s->last_error = -ret;
		if (h.flags & VFU_F_NO_REPLY && (h.flags & VFU_F_TYPE_MASK) == VFU_F_TYPE_COMMAND)
			return 0;
		return vfu_error_reply(&h, ret, out);
	}
	if (h.flags & VFU_F_NO_REPLY)
		return 0;
	return vfu_ok_reply(&h, rlen, out);
}
