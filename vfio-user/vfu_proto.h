/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

#ifndef _VFU_PROTO_H_
#define _VFU_PROTO_H_

/*
 * vfio-user protocol, server side (QEMU docs/interop/vfio-user.rst).
 *
 * This layer decodes and validates one request at a time and encodes its
 * reply; it does no I/O. The device behind it is reached through
 * struct vfu_backend_ops. Everything a client sends is untrusted: every
 * size, index and count is checked before use and a bad request gets an
 * error reply, never a crash.
 *
 * All fields are in host byte order, as the protocol specifies.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Number of elements of an array. */
#define VFU_DIM(a)	(sizeof(a) / sizeof((a)[0]))

/* Commands. */
#define VFU_CMD_VERSION			1
#define VFU_CMD_DMA_MAP			2
#define VFU_CMD_DMA_UNMAP		3
#define VFU_CMD_DEVICE_GET_INFO		4
#define VFU_CMD_DEVICE_GET_REGION_INFO	5
#define VFU_CMD_DEVICE_GET_REGION_IO_FDS 6
#define VFU_CMD_DEVICE_GET_IRQ_INFO	7
#define VFU_CMD_DEVICE_SET_IRQS		8
#define VFU_CMD_REGION_READ		9
#define VFU_CMD_REGION_WRITE		10
#define VFU_CMD_DMA_READ		11
#define VFU_CMD_DMA_WRITE		12
#define VFU_CMD_DEVICE_RESET		13
#define VFU_CMD_REGION_WRITE_MULTI	15
#define VFU_CMD_DEVICE_FEATURE		16
#define VFU_CMD_MIG_DATA_READ		17
#define VFU_CMD_MIG_DATA_WRITE		18

/* Header flags. */
#define VFU_F_TYPE_MASK			0x0000000fu
#define VFU_F_TYPE_COMMAND		0x0u
#define VFU_F_TYPE_REPLY		0x1u
#define VFU_F_NO_REPLY			0x00000010u
#define VFU_F_ERROR			0x00000020u

#define VFU_VERSION_MAJOR		0
#define VFU_VERSION_MINOR		0

/* Limits this server announces and enforces. */
#define VFU_HDR_SIZE			16u
#define VFU_MAX_XFER			65536u	/* max_data_xfer_size */
#define VFU_MAX_FDS			16u	/* max_msg_fds */
#define VFU_MAX_DMA_MAPS		1024u	/* max_dma_maps */
#define VFU_PAGE_SIZE			4096u	/* pgsizes */
#define VFU_MULTI_MAX			200u	/* writes in one REGION_WRITE_MULTI */
#define VFU_MULTI_DATA			8u
#define VFU_MAX_VERSION_JSON		4096u
/* Largest request accepted and largest reply produced. */
#define VFU_MAX_MSG			(VFU_HDR_SIZE + 16u + VFU_MAX_XFER)
#define VFU_MAX_REPLY			VFU_MAX_MSG

/* VFIO PCI region and interrupt indexes (linux/vfio.h). */
enum vfu_region {
	VFU_REGION_BAR0,
	VFU_REGION_BAR1,
	VFU_REGION_BAR2,
	VFU_REGION_BAR3,
	VFU_REGION_BAR4,
	VFU_REGION_BAR5,
	VFU_REGION_ROM,
	VFU_REGION_CONFIG,
	VFU_REGION_VGA,
	VFU_NUM_REGIONS
};

enum vfu_irq {
	VFU_IRQ_INTX,
	VFU_IRQ_MSI,
	VFU_IRQ_MSIX,
	VFU_IRQ_ERR,
	VFU_IRQ_REQ,
	VFU_NUM_IRQS
};

#define VFU_DEVICE_FLAGS_RESET		0x1u
#define VFU_DEVICE_FLAGS_PCI		0x2u

#define VFU_REGION_FLAG_READ		0x1u
#define VFU_REGION_FLAG_WRITE		0x2u
#define VFU_REGION_FLAG_MMAP		0x4u

#define VFU_IRQ_INFO_EVENTFD		0x1u
#define VFU_IRQ_INFO_MASKABLE		0x2u
#define VFU_IRQ_INFO_AUTOMASKED		0x4u
#define VFU_IRQ_INFO_NORESIZE		0x8u

#define VFU_IRQ_SET_DATA_NONE		0x01u
#define VFU_IRQ_SET_DATA_BOOL		0x02u
#define VFU_IRQ_SET_DATA_EVENTFD	0x04u
#define VFU_IRQ_SET_ACTION_MASK		0x08u
#define VFU_IRQ_SET_ACTION_UNMASK	0x10u
#define VFU_IRQ_SET_ACTION_TRIGGER	0x20u
#define VFU_IRQ_SET_DATA_MASK		0x07u
#define VFU_IRQ_SET_ACTION_MASK_ALL	0x38u

#define VFU_DMA_FLAG_READ		0x1u
#define VFU_DMA_FLAG_WRITE		0x2u

/* Wire structures (payloads follow the 16-byte header). */
struct vfu_hdr {
	uint16_t id;
	uint16_t cmd;
	uint32_t size;		/* whole message, header included */
	uint32_t flags;
	uint32_t error;
};

struct vfu_dma_map {
	uint32_t argsz;
	uint32_t flags;
	uint64_t offset;	/* file offset of the region in the passed fd */
	uint64_t iova;
	uint64_t size;
};

struct vfu_dma_unmap {
	uint32_t argsz;
	uint32_t flags;
	uint64_t iova;
	uint64_t size;
};

struct vfu_device_info {
	uint32_t argsz;
	uint32_t flags;
	uint32_t num_regions;
	uint32_t num_irqs;
};

struct vfu_region_info {
	uint32_t argsz;
	uint32_t flags;
	uint32_t index;
	uint32_t cap_offset;
	uint64_t size;
	uint64_t offset;
};

struct vfu_irq_info {
	uint32_t argsz;
	uint32_t flags;
	uint32_t index;
	uint32_t count;
};

struct vfu_irq_set {
	uint32_t argsz;
	uint32_t flags;
	uint32_t index;
	uint32_t start;
	uint32_t count;
};

struct vfu_region_rw {
	uint64_t offset;
	uint32_t region;
	uint32_t count;
};

/* DMA_READ / DMA_WRITE (server -> client), as the protocol document lays it out. */
struct vfu_dma_rw {
	uint64_t address;
	uint64_t count;
};

struct vfu_write_one {
	uint64_t offset;
	uint32_t region;
	uint32_t count;
	uint8_t data[VFU_MULTI_DATA];
};

/* What the device looks like to the client. */
struct vfu_device_desc {
	uint32_t flags;				/* VFU_DEVICE_FLAGS_* */
	uint64_t region_size[VFU_NUM_REGIONS];
	uint32_t region_flags[VFU_NUM_REGIONS];
	uint32_t irq_count[VFU_NUM_IRQS];
	uint32_t irq_flags[VFU_NUM_IRQS];
};

/*
 * The device. Every callback returns 0 or a negative errno (sent to the
 * client as a positive errno). Callbacks given file descriptors own them
 * from then on, also when they fail.
 */
struct vfu_backend_ops {
	/* Access inside a region: the range is already checked against its size. */
	int (*region_rw)(void *ctx, uint32_t region, uint64_t offset, void *data,
			 uint32_t count, bool write);
	/* fd < 0: no file descriptor, the memory is reached by DMA_READ/WRITE. */
	int (*dma_map)(void *ctx, const struct vfu_dma_map *map, int fd);
	int (*dma_unmap)(void *ctx, uint64_t iova, uint64_t size);
	/* Checked against the irq count. nfds is 0 or set->count for DATA_EVENTFD. */
	int (*set_irqs)(void *ctx, const struct vfu_irq_set *set, const uint8_t *bools,
			int *fds, unsigned int nfds);
	int (*reset)(void *ctx);
};

/* What the client announced in VERSION (defaults when it said nothing). */
struct vfu_peer_caps {
	uint64_t max_msg_fds;
	uint64_t max_data_xfer_size;
	uint64_t pgsizes;
	uint64_t max_dma_maps;
	bool write_multiple;
	bool twin_socket;
};

struct vfu_session_stats {
	uint64_t requests;
	uint64_t errors;		/* error replies (or errors on NO_REPLY requests) */
	uint64_t fds_closed;		/* descriptors received and not kept */
};

struct vfu_session {
	const struct vfu_device_desc *desc;
	const struct vfu_backend_ops *ops;
	void *ctx;
	bool negotiated;
	struct vfu_peer_caps peer;
	struct vfu_session_stats stats;
	int last_error;			/* errno of the last failed request */
};

void vfu_session_init(struct vfu_session *s, const struct vfu_device_desc *desc,
		      const struct vfu_backend_ops *ops, void *ctx);
/* Forget the negotiated state (client disconnected). */
void vfu_session_reset(struct vfu_session *s);

/*
 * Decode a header from at least VFU_HDR_SIZE bytes. Returns 0, -EINVAL
 * (size below the header size: the stream cannot be resynchronised) or
 * -E2BIG (larger than VFU_MAX_MSG).
 */
int vfu_hdr_decode(const void *buf, size_t len, struct vfu_hdr *hdr);
void vfu_hdr_encode(void *buf, const struct vfu_hdr *hdr);

/*
 * Handle one complete request of len bytes (header included) received
 * together with nfds file descriptors (all of which this function owns).
 * Writes the reply into out (at least VFU_MAX_REPLY bytes) and returns its
 * length, 0 when no reply is due (NO_REPLY), never a negative value.
 */
size_t vfu_session_handle(struct vfu_session *s, const uint8_t *msg, size_t len,
			  int *fds, unsigned int nfds, uint8_t *out);

/* An error reply to the request hdr (no payload); returns its length. */
size_t vfu_error_reply(const struct vfu_hdr *req, int err, uint8_t *out);

/*
 * Parse a VERSION capabilities JSON text of len bytes (no NUL needed) into
 * caps (defaults first). 0 or -EINVAL (bad JSON, bad capability value).
 */
int vfu_parse_caps(const char *json, size_t len, struct vfu_peer_caps *caps);

const char *vfu_cmd_name(uint16_t cmd);

#endif /* _VFU_PROTO_H_ */
