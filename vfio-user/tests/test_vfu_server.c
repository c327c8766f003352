/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

/*
 * A small vfio-user client talks to the fbnic server over a socketpair:
 * negotiation, device and region info, config space identity, BAR reads,
 * guest memory shared by memfd (proved by a firmware mailbox round trip the
 * model does by DMA into it), MSI-X through eventfds, malformed requests
 * answered with errors, and a reconnect that finds the device unchanged.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "fbnic_csr.h"
#include "fbnic_tk.h"
#include "fbnic_vfu.h"

#define GUEST_IOVA	0x40000000ull
#define GUEST_SIZE	0x40000ull

struct server {
	struct vfs_dev *vd;
	pthread_t thread;
	volatile bool stop;
};

static uint16_t next_id = 1;
/* The client end of the session, and the eventfd of MSI-X vector 0. */
static int sock = -1;
static int vec0 = -1;

static void *
server_main(void *arg)
{
	struct server *sv = arg;

	while (!sv->stop) {
		int fd = vfs_dev_conn_fd(sv->vd);
		struct pollfd p = { .fd = fd, .events = POLLIN };

		if (fd < 0) {
			usleep(1000);
			continue;
		}
		if (poll(&p, 1, 1) > 0)
			vfs_dev_service(sv->vd);
		if (vfs_dev_needs_poll(sv->vd))
			vfs_dev_poll(sv->vd);
	}
	return NULL;
}

/*
 * Send one request with optional descriptors. Like every helper below,
 * returns 0 or TEST_FAILED after a failed assertion, which the caller
 * asserts in turn: a broken session ends the test.
 */
static int
send_msg(uint16_t cmd, uint32_t flags, const void *payload, size_t len, const int *fds,
	 unsigned int nfds, uint16_t *id)
{
	union {
		char buf[CMSG_SPACE(sizeof(int) * 32)];
		struct cmsghdr align;
	} ctl;
	uint8_t msg[VFU_HDR_SIZE + 512];
	struct vfu_hdr h = { .id = next_id++, .cmd = cmd, .size = (uint32_t)(VFU_HDR_SIZE + len),
			     .flags = flags };
	struct iovec iov = { .iov_base = msg, .iov_len = VFU_HDR_SIZE + len };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
	ssize_t n;

	TEST_ASSERT(len <= sizeof(msg) - VFU_HDR_SIZE && nfds <= 32, "request too big");
	memcpy(msg, &h, sizeof(h));
	if (len != 0)
		memcpy(msg + VFU_HDR_SIZE, payload, len);
	if (nfds != 0) {
		struct cmsghdr *c;

		mh.msg_control = ctl.buf;
		mh.msg_controllen = CMSG_SPACE(sizeof(int) * nfds);
		c = CMSG_FIRSTHDR(&mh);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int) * nfds);
		memcpy(CMSG_DATA(c), fds, sizeof(int) * nfds);
	}
	n = sendmsg(sock, &mh, MSG_NOSIGNAL);
	TEST_ASSERT_EQUAL(n, VFU_HDR_SIZE + len, "sendmsg: %s", strerror(errno));
	if (id != NULL)
		*id = h.id;
	return TEST_SUCCESS;
}

static int
recv_exact(void *buf, size_t len)
{
	uint8_t *p = buf;

	while (len > 0) {
		struct pollfd pf = { .fd = sock, .events = POLLIN };
		ssize_t n;

		TEST_ASSERT_EQUAL(poll(&pf, 1, 5000), 1, "no reply within 5 s");
		n = recv(sock, p, len, 0);
		TEST_ASSERT(n > 0, "recv %zd: %s", n, n < 0 ? strerror(errno) : "EOF");
		p += n;
		len -= (size_t)n;
	}
	return TEST_SUCCESS;
}

/*
 * Receive a reply; returns its errno (0 = success) and copies the payload,
 * or TEST_FAILED (negative, never an errno) when the reply is broken.
 */
static int
recv_reply(uint16_t id, uint16_t cmd, void *payload, size_t cap, size_t *plen)
{
	static uint8_t buf[VFU_MAX_REPLY];
	struct vfu_hdr h;

	TEST_ASSERT_SUCCESS(recv_exact(&h, sizeof(h)));
	TEST_ASSERT(h.size >= VFU_HDR_SIZE && h.size <= VFU_MAX_REPLY, "reply size %u", h.size);
	TEST_ASSERT_SUCCESS(recv_exact(buf, h.size - VFU_HDR_SIZE));
	TEST_ASSERT_EQUAL(h.flags & VFU_F_TYPE_MASK, VFU_F_TYPE_REPLY, "not a reply");
	TEST_ASSERT_EQUAL(h.id, id, "reply to another request");
	TEST_ASSERT_EQUAL(h.cmd, cmd, "reply to another command");
	if (h.flags & VFU_F_ERROR) {
		TEST_ASSERT(h.size == VFU_HDR_SIZE && h.error != 0,
			    "error reply with payload/errno 0");
		return (int)h.error;
	}
	if (plen != NULL)
		*plen = h.size - VFU_HDR_SIZE;
	if (payload != NULL)
		memcpy(payload, buf, h.size - VFU_HDR_SIZE < cap ? h.size - VFU_HDR_SIZE : cap);
	return 0;
}

/* One request and its reply: the reply's errno, or TEST_FAILED. */
static int
request(uint16_t cmd, const void *p, size_t len, void *out, size_t cap, size_t *olen)
{
	uint16_t id;

	TEST_ASSERT_SUCCESS(send_msg(cmd, 0, p, len, NULL, 0, &id));
	return recv_reply(id, cmd, out, cap, olen);
}

static int
region_read(uint32_t region, uint64_t off, void *data, uint32_t count)
{
	struct vfu_region_rw rw = { .offset = off, .region = region, .count = count };
	uint8_t out[16 + 64];
	size_t olen = 0;
	int err;

	TEST_ASSERT(count <= 64, "test reads at most 64 bytes");
	err = request(VFU_CMD_REGION_READ, &rw, sizeof(rw), out, sizeof(out), &olen);
	if (err == 0) {
		TEST_ASSERT_EQUAL(olen, 16 + count, "read reply length");
		memcpy(data, out + 16, count);
	}
	return err;
}

static int
rd32(uint32_t region, uint64_t off, uint32_t *v)
{
	*v = 0;
	TEST_ASSERT_SUCCESS(region_read(region, off, v, 4), "read region %u 0x%llx", region,
			    (unsigned long long)off);
	return TEST_SUCCESS;
}

static int
region_write(uint32_t region, uint64_t off, const void *data, uint32_t count)
{
	struct vfu_region_rw rw = { .offset = off, .region = region, .count = count };
	uint8_t in[16 + 64];

	TEST_ASSERT(count <= 64, "test writes at most 64 bytes");
	memcpy(in, &rw, sizeof(rw));
	memcpy(in + 16, data, count);
	return request(VFU_CMD_REGION_WRITE, in, 16 + count, NULL, 0, NULL);
}

static int
wr32(uint32_t region, uint64_t off, uint32_t v)
{
	TEST_ASSERT_SUCCESS(region_write(region, off, &v, 4), "write region %u 0x%llx", region,
			    (unsigned long long)off);
	return TEST_SUCCESS;
}

static int
test_commands_before_version_are_refused(void)
{
	struct vfu_device_info info = { .argsz = sizeof(info) };

	TEST_ASSERT_EQUAL(request(VFU_CMD_DEVICE_GET_INFO, &info, sizeof(info), NULL, 0, NULL),
			  EINVAL, "GET_INFO before VERSION must fail");
	return TEST_SUCCESS;
}

static int
test_version_negotiates_capabilities(void)
{
	static const char caps[] = "{\"capabilities\":{\"max_msg_fds\":16,"
		"\"max_data_xfer_size\":1048576,\"pgsizes\":4096,\"max_dma_maps\":65535,"
		"\"migration\":{\"pgsize\":4096,\"max_bitmap_size\":268435456},"
		"\"write_multiple\":true}}";
	uint8_t p[4 + sizeof(caps)], out[512];
	uint16_t major, minor;
	size_t olen = 0;

	memset(p, 0, 4);
	memcpy(p + 4, caps, sizeof(caps));
	/* Broken JSON first: refused, the session still open. */
	p[4] = '[';
	TEST_ASSERT_EQUAL(request(VFU_CMD_VERSION, p, sizeof(p), NULL, 0, NULL), EINVAL,
			  "bad JSON accepted");
	p[4] = '{';
	TEST_ASSERT_SUCCESS(request(VFU_CMD_VERSION, p, sizeof(p), out, sizeof(out) - 1, &olen),
			    "VERSION failed");
	memcpy(&major, out, 2);
	memcpy(&minor, out + 2, 2);
	out[sizeof(out) - 1] = '\0';
	TEST_ASSERT_EQUAL(major, 0, "version major");
	TEST_ASSERT_EQUAL(minor, 0, "version minor");
	TEST_ASSERT(olen > 4 && out[olen - 1] == '\0', "reply JSON not NUL terminated");
	TEST_ASSERT(strstr((char *)out + 4, "\"max_msg_fds\":16") != NULL &&
		    strstr((char *)out + 4, "\"pgsizes\":4096") != NULL &&
		    strstr((char *)out + 4, "\"write_multiple\":true") != NULL,
		    "capabilities %s", (char *)out + 4);
	TEST_ASSERT_EQUAL(request(VFU_CMD_VERSION, p, sizeof(p), NULL, 0, NULL), EALREADY,
			  "second VERSION accepted");
	return TEST_SUCCESS;
}

static int
test_device_and_region_info(void)
{
	static const struct { uint32_t index; uint64_t size; } want[] = {
		{ VFU_REGION_BAR0, FBM_BAR0_SIZE }, { VFU_REGION_BAR2, 0 },
		{ VFU_REGION_BAR4, FBM_BAR4_SIZE }, { VFU_REGION_CONFIG, FBM_CFG_SIZE },
		{ VFU_REGION_ROM, 0 },
	};
	struct vfu_device_info info = { .argsz = sizeof(info) };
	struct vfu_irq_info ii = { .argsz = sizeof(ii), .index = VFU_IRQ_MSIX };
	unsigned int i;

	TEST_ASSERT_SUCCESS(request(VFU_CMD_DEVICE_GET_INFO, &info, sizeof(info), &info,
				    sizeof(info), NULL), "GET_INFO");
	TEST_ASSERT_EQUAL(info.num_regions, VFU_NUM_REGIONS);
	TEST_ASSERT_EQUAL(info.num_irqs, VFU_NUM_IRQS);
	TEST_ASSERT_EQUAL(info.flags, VFU_DEVICE_FLAGS_PCI | VFU_DEVICE_FLAGS_RESET);
	for (i = 0; i < TK_DIM(want); i++) {
		struct vfu_region_info ri = { .argsz = sizeof(ri), .index = want[i].index };

		TEST_ASSERT_SUCCESS(request(VFU_CMD_DEVICE_GET_REGION_INFO, &ri, sizeof(ri), &ri,
					    sizeof(ri), NULL), "REGION_INFO %u", want[i].index);
		TEST_ASSERT_EQUAL(ri.index, want[i].index);
		TEST_ASSERT_EQUAL(ri.size, want[i].size, "region %u size", ri.index);
		TEST_ASSERT(ri.size == 0 || (ri.flags & 3) == 3, "region %u flags 0x%x", ri.index,
			    ri.flags);
	}
	TEST_ASSERT_SUCCESS(request(VFU_CMD_DEVICE_GET_IRQ_INFO, &ii, sizeof(ii), &ii, sizeof(ii),
				    NULL), "MSI-X irq info");
	TEST_ASSERT_EQUAL(ii.count, FBM_MSIX_VECTORS, "MSI-X vectors");
	TEST_ASSERT(ii.flags & VFU_IRQ_INFO_EVENTFD, "MSI-X irq flags 0x%x", ii.flags);
	return TEST_SUCCESS;
}

static int
test_config_space_identifies_fbnic(void)
{
	uint32_t v, cap, dsn_lo, dsn_hi, msix_tbl;
	unsigned int pos, hops;
	bool msix_found = false;
	uint16_t id16;

	TEST_ASSERT_SUCCESS(rd32(VFU_REGION_CONFIG, 0, &v));
	TEST_ASSERT_EQUAL(v, 0x00131d9b, "vendor/device");
	TEST_ASSERT_SUCCESS(region_read(VFU_REGION_CONFIG, 2, &id16, 2));
	TEST_ASSERT_EQUAL(id16, 0x0013, "16-bit device id read");
	TEST_ASSERT_SUCCESS(rd32(VFU_REGION_CONFIG, 8, &v));
	TEST_ASSERT_EQUAL(v >> 8, 0x020000, "class code");
	/* BAR0: 64-bit memory, 2 MiB by sizing. */
	TEST_ASSERT_SUCCESS(wr32(VFU_REGION_CONFIG, 0x10, 0xffffffff));
	TEST_ASSERT_SUCCESS(rd32(VFU_REGION_CONFIG, 0x10, &v));
	TEST_ASSERT_EQUAL(v & ~0xfu, ~(FBM_BAR0_SIZE - 1), "BAR0 sizing");
	TEST_ASSERT_EQUAL(v & 0x6, 0x4, "BAR0 not 64-bit");
	/* Walk the capability list to MSI-X: its table must be in a BAR we serve. */
	TEST_ASSERT_SUCCESS(rd32(VFU_REGION_CONFIG, 0x34, &pos));
	pos &= 0xfc;
	for (hops = 0; pos != 0 && hops < 16; hops++) {
		TEST_ASSERT_SUCCESS(rd32(VFU_REGION_CONFIG, pos, &cap));
		if ((cap & 0xff) == 0x11) {
			msix_found = true;
			TEST_ASSERT(((cap >> 16) & 0x7ff) + 1 >= 3, "MSI-X with %u vectors",
				    ((cap >> 16) & 0x7ff) + 1);
			TEST_ASSERT_SUCCESS(rd32(VFU_REGION_CONFIG, pos + 4, &msix_tbl));
			TEST_ASSERT((msix_tbl & 7) == 0 || (msix_tbl & 7) == 4,
				    "MSI-X table BIR %u", msix_tbl & 7);
		}
		pos = (cap >> 8) & 0xfc;
	}
	TEST_ASSERT(msix_found, "no MSI-X capability");
	/* Device Serial Number extended capability at 0x100. */
	TEST_ASSERT_SUCCESS(rd32(VFU_REGION_CONFIG, 0x100, &v));
	TEST_ASSERT_EQUAL(v & 0xffff, 0x0003, "DSN capability");
	TEST_ASSERT_SUCCESS(rd32(VFU_REGION_CONFIG, 0x104, &dsn_lo));
	TEST_ASSERT_SUCCESS(rd32(VFU_REGION_CONFIG, 0x108, &dsn_hi));
	TEST_ASSERT_EQUAL((uint64_t)dsn_hi << 32 | dsn_lo, 0x02fb4efffe0000a5ull, "DSN");
	return TEST_SUCCESS;
}

static int
test_bar_reads_reach_device_registers(void)
{
	uint32_t v, w[2];
	uint64_t q;

	/* The dead-device probes of fbnic_hw.rst 1 never read all ones. */
	TEST_ASSERT_SUCCESS(rd32(VFU_REGION_BAR0, 4 * FBNIC_MASTER_SPARE_0, &v));
	TEST_ASSERT_NOT_EQUAL(v, 0xffffffff, "MASTER_SPARE_0 all ones");
	TEST_ASSERT_SUCCESS(rd32(VFU_REGION_BAR4, 0x18000, &v));
	TEST_ASSERT_NOT_EQUAL(v, 0xffffffff, "BAR4 0x18000 all ones");
	/* A 64-bit access is two 32-bit ones, low word first. */
	TEST_ASSERT_SUCCESS(rd32(VFU_REGION_BAR0, 4 * FBNIC_INTR_MASK(0), &w[0]));
	TEST_ASSERT_SUCCESS(rd32(VFU_REGION_BAR0, 4 * FBNIC_INTR_MASK(0) + 4, &w[1]));
	TEST_ASSERT_SUCCESS(region_read(VFU_REGION_BAR0, 4 * FBNIC_INTR_MASK(0), &q, 8),
			    "8-byte");
	TEST_ASSERT_EQUAL(q, (uint64_t)w[1] << 32 | w[0], "8-byte read");
	TEST_ASSERT_EQUAL(w[0], 0xffffffff, "vectors start masked: INTR_MASK(0)");
	return TEST_SUCCESS;
}

static int
test_malformed_requests_get_errors(void)
{
	struct vfu_region_rw rw = { .offset = FBM_BAR0_SIZE - 2, .region = 0, .count = 4 };
	struct vfu_region_info ri = { .argsz = sizeof(ri), .index = 9 };
	struct vfu_irq_set set = { .argsz = sizeof(set), .index = 7, .count = 1,
				   .flags = VFU_IRQ_SET_DATA_NONE | VFU_IRQ_SET_ACTION_TRIGGER };
	struct vfu_dma_unmap um = { .argsz = sizeof(um), .iova = 0x1000, .size = 0x1000 };
	int fds[17];
	uint8_t junk[64];
	uint16_t id, id2;
	unsigned int i;

	TEST_ASSERT_EQUAL(request(99, NULL, 0, NULL, 0, NULL), ENOSYS, "unknown command");
	TEST_ASSERT_EQUAL(request(VFU_CMD_REGION_READ, &rw, sizeof(rw), NULL, 0, NULL), EINVAL,
			  "read across the end of BAR0");
	rw.region = 50;
	rw.offset = 0;
	TEST_ASSERT_EQUAL(request(VFU_CMD_REGION_READ, &rw, sizeof(rw), NULL, 0, NULL), EINVAL,
			  "bad region index");
	TEST_ASSERT_EQUAL(request(VFU_CMD_REGION_READ, &rw, 8, NULL, 0, NULL), EINVAL,
			  "truncated payload");
	TEST_ASSERT_EQUAL(request(VFU_CMD_DEVICE_GET_REGION_INFO, &ri, sizeof(ri), NULL, 0, NULL),
			  EINVAL, "region info index 9");
	TEST_ASSERT_EQUAL(request(VFU_CMD_DEVICE_SET_IRQS, &set, sizeof(set), NULL, 0, NULL),
			  EINVAL, "irq index 7");
	set.index = VFU_IRQ_MSIX;
	set.start = FBM_MSIX_VECTORS - 1;
	set.count = 2;
	TEST_ASSERT_EQUAL(request(VFU_CMD_DEVICE_SET_IRQS, &set, sizeof(set), NULL, 0, NULL),
			  EINVAL, "irq range past the last vector");
	/* As the kernel's type 1 IOMMU: a range without a window unmaps nothing. */
	TEST_ASSERT_SUCCESS(request(VFU_CMD_DMA_UNMAP, &um, sizeof(um), &um, sizeof(um), NULL),
			    "unmap of nothing");
	TEST_ASSERT_EQUAL(request(VFU_CMD_DMA_READ, &um, 16, NULL, 0, NULL), EINVAL,
			  "server-to-client command from the client");

	/* Descriptors on a command that takes none, and too many of them. */
	for (i = 0; i < 17; i++)
		fds[i] = eventfd(0, EFD_CLOEXEC);
	TEST_ASSERT_SUCCESS(send_msg(VFU_CMD_DEVICE_RESET, 0, NULL, 0, fds, 1, &id));
	TEST_ASSERT_EQUAL(recv_reply(id, VFU_CMD_DEVICE_RESET, NULL, 0, NULL), EINVAL,
			  "RESET with a descriptor");
	set.start = 0;
	set.count = 17;
	set.flags = VFU_IRQ_SET_DATA_EVENTFD | VFU_IRQ_SET_ACTION_TRIGGER;
	TEST_ASSERT_SUCCESS(send_msg(VFU_CMD_DEVICE_SET_IRQS, 0, &set, sizeof(set), fds, 17, &id));
	TEST_ASSERT_EQUAL(recv_reply(id, VFU_CMD_DEVICE_SET_IRQS, NULL, 0, NULL), EINVAL,
			  "17 descriptors");
	for (i = 0; i < 17; i++)
		close(fds[i]);

	/* Oversized: skipped as a whole, the stream stays in step. */
	{
		static uint8_t b[VFU_MAX_MSG + 4096];
		struct vfu_hdr h = { .id = next_id++, .cmd = VFU_CMD_REGION_WRITE,
				     .size = (uint32_t)sizeof(b) };

		memcpy(b, &h, sizeof(h));
		TEST_ASSERT_EQUAL(send(sock, b, sizeof(b), MSG_NOSIGNAL), sizeof(b), "send big");
		TEST_ASSERT_EQUAL(recv_reply(h.id, VFU_CMD_REGION_WRITE, NULL, 0, NULL), E2BIG,
				  "oversized message");
	}
	/* A failing NO_REPLY request is silent; the next reply is for the next request. */
	memset(junk, 0, sizeof(junk));
	TEST_ASSERT_SUCCESS(send_msg(77, VFU_F_NO_REPLY, junk, 8, NULL, 0, &id));
	TEST_ASSERT_SUCCESS(send_msg(VFU_CMD_DEVICE_RESET, 0, NULL, 0, NULL, 0, &id2));
	TEST_ASSERT_SUCCESS(recv_reply(id2, VFU_CMD_DEVICE_RESET, NULL, 0, NULL),
			    "reply after a NO_REPLY request");
	return TEST_SUCCESS;
}

/* Vector 0's eventfd stays open in vec0 for the DMA test that follows. */
static int
test_msix_vectors_signal_their_eventfds(void)
{
	uint8_t p[sizeof(struct vfu_irq_set) + 2];
	struct vfu_irq_set set = { .argsz = sizeof(set), .index = VFU_IRQ_MSIX, .start = 0,
				   .count = 2,
				   .flags = VFU_IRQ_SET_DATA_EVENTFD | VFU_IRQ_SET_ACTION_TRIGGER };
	uint64_t v = 0;
	uint16_t id;
	int fds[2];

	fds[0] = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	fds[1] = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	vec0 = fds[0];
	TEST_ASSERT_SUCCESS(send_msg(VFU_CMD_DEVICE_SET_IRQS, 0, &set, sizeof(set), fds, 2, &id));
	TEST_ASSERT_SUCCESS(recv_reply(id, VFU_CMD_DEVICE_SET_IRQS, NULL, 0, NULL),
			    "SET_IRQS fds");
	/* The client fires vector 1 (DATA_BOOL): the server signals the fd it kept. */
	set.flags = VFU_IRQ_SET_DATA_BOOL | VFU_IRQ_SET_ACTION_TRIGGER;
	set.argsz = sizeof(p);
	memcpy(p, &set, sizeof(set));
	p[sizeof(set)] = 0;
	p[sizeof(set) + 1] = 1;
	TEST_ASSERT_SUCCESS(request(VFU_CMD_DEVICE_SET_IRQS, p, sizeof(p), NULL, 0, NULL),
			    "SET_IRQS bool trigger");
	TEST_ASSERT(read(fds[1], &v, sizeof(v)) == sizeof(v) && v == 1, "vector 1 not signalled");
	TEST_ASSERT(read(fds[0], &v, sizeof(v)) < 0 && errno == EAGAIN, "vector 0 signalled");
	close(fds[1]);
	return TEST_SUCCESS;
}

static int
mbx_desc(unsigned int mbx, unsigned int idx, uint64_t *d)
{
	uint64_t off = 4ull * FBNIC_IPC_MBX(mbx, idx);
	uint32_t lo, hi;

	/*
	 * Low word first, as Linux reads it: the firmware writes the length
	 * (high word) before FW_CMPL (low word), so a completed low word
	 * guarantees the high word read after it is complete too.
	 */
	TEST_ASSERT_SUCCESS(rd32(VFU_REGION_BAR4, off, &lo));
	TEST_ASSERT_SUCCESS(rd32(VFU_REGION_BAR4, off + 4, &hi));
	*d = (uint64_t)hi << 32 | lo;
	return TEST_SUCCESS;
}

static int
mbx_post(unsigned int mbx, unsigned int idx, uint64_t desc)
{
	uint64_t off = 4ull * FBNIC_IPC_MBX(mbx, idx);
	uint32_t v;

	TEST_ASSERT_SUCCESS(wr32(VFU_REGION_BAR4, off + 4, (uint32_t)(desc >> 32)));
	TEST_ASSERT_SUCCESS(rd32(VFU_REGION_BAR4, 0x18000, &v));
	TEST_ASSERT_SUCCESS(wr32(VFU_REGION_BAR4, off, (uint32_t)desc));
	return TEST_SUCCESS;
}

/* Ring reset (fbnic_hw.rst 6.2): descriptor 0 empty, 15..1 "skip". */
static int
mbx_ring_reset(unsigned int mbx)
{
	unsigned int d;

	TEST_ASSERT_SUCCESS(mbx_post(mbx, 0, 0));
	for (d = 15; d >= 1; d--)
		TEST_ASSERT_SUCCESS(mbx_post(mbx, d, FBNIC_IPC_MBX_DESC_HOST_CMPL |
					     FBNIC_IPC_MBX_DESC_FW_CMPL));
	return TEST_SUCCESS;
}

/*
 * Guest memory by memfd: the firmware mailbox (fbnic_hw.rst 6) reads the
 * request from it and writes FW_CAP_RESP into it, and vector 0 fires.
 */
static int
test_firmware_dma_reaches_memfd_guest_memory(void)
{
	struct vfu_dma_map m = { .argsz = sizeof(m), .flags = 3, .offset = 0,
				 .iova = GUEST_IOVA, .size = GUEST_SIZE };
	struct vfu_dma_unmap um = { .argsz = sizeof(um), .iova = GUEST_IOVA, .size = GUEST_SIZE };
	const uint64_t rx_buf = GUEST_IOVA + 0x1000, tx_buf = GUEST_IOVA + 0x2000;
	uint32_t req = 0x00018010, resp_hdr, status = 0;
	uint16_t ctrl, id;
	uint64_t d, d1, v = 0;
	uint8_t *mem;
	unsigned int i;
	int fd;

	fd = memfd_create("guest", MFD_CLOEXEC);
	TEST_ASSERT(fd >= 0 && ftruncate(fd, GUEST_SIZE) == 0, "memfd");
	mem = mmap(NULL, GUEST_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	TEST_ASSERT(mem != MAP_FAILED, "mmap");
	TEST_ASSERT_SUCCESS(send_msg(VFU_CMD_DMA_MAP, 0, &m, sizeof(m), &fd, 1, &id));
	TEST_ASSERT_SUCCESS(recv_reply(id, VFU_CMD_DMA_MAP, NULL, 0, NULL), "DMA_MAP memfd");
	m.iova += 0x1000;
	m.size = 0x1000;
	TEST_ASSERT_SUCCESS(send_msg(VFU_CMD_DMA_MAP, 0, &m, sizeof(m), &fd, 1, &id));
	TEST_ASSERT_EQUAL(recv_reply(id, VFU_CMD_DMA_MAP, NULL, 0, NULL), EEXIST,
			  "overlap mapped");
	close(fd);

	/* MSI-X on, vector 0 unmasked. */
	TEST_ASSERT_SUCCESS(region_read(VFU_REGION_CONFIG, 0x82, &ctrl, 2), "MSI-X ctrl");
	ctrl |= 0x8000;
	TEST_ASSERT_SUCCESS(region_write(VFU_REGION_CONFIG, 0x82, &ctrl, 2), "MSI-X enable");

	/* Bring-up (fbnic_hw.rst 6.3): wait for the firmware's ready signal. */
	TEST_ASSERT_SUCCESS(wr32(VFU_REGION_BAR0, 4 * FBNIC_INTR_SW_AC_MODE(0), ~1u));
	TEST_ASSERT_SUCCESS(wr32(VFU_REGION_BAR0, 4 * FBNIC_INTR_CLEAR(0), 1));
	for (i = 0; i < 500 && !(status & 1); i++) {
		TEST_ASSERT_SUCCESS(mbx_ring_reset(1));
		TEST_ASSERT_SUCCESS(rd32(VFU_REGION_BAR0, 4 * FBNIC_INTR_STATUS(0), &status));
		if (!(status & 1))
			usleep(2000);
	}
	TEST_ASSERT(status & 1, "firmware never signalled ready");
	TEST_ASSERT_SUCCESS(wr32(VFU_REGION_BAR0, 4 * FBNIC_INTR_CLEAR(0), 1));
	TEST_ASSERT_SUCCESS(wr32(VFU_REGION_BAR0, 4 * FBNIC_PUL_OB_TLP_HDR_AW_CFG,
				 FBNIC_PUL_OB_TLP_HDR_AW_CFG_BME));
	TEST_ASSERT_SUCCESS(mbx_ring_reset(0));
	TEST_ASSERT_SUCCESS(mbx_post(0, 1, 0));
	TEST_ASSERT_SUCCESS(mbx_post(0, 0, (4096ull << 48) | rx_buf |
				     FBNIC_IPC_MBX_DESC_HOST_CMPL));
	TEST_ASSERT_SUCCESS(wr32(VFU_REGION_BAR0, 4 * FBNIC_PUL_OB_TLP_HDR_AR_CFG,
				 FBNIC_PUL_OB_TLP_HDR_AR_CFG_BME));
	TEST_ASSERT_SUCCESS(wr32(VFU_REGION_BAR0, 4 * FBNIC_INTR_MASK_CLEAR(0), 1));

	memcpy(mem + 0x2000, &req, 4);			/* HOST_CAP_REQ */
	TEST_ASSERT_SUCCESS(mbx_post(1, 1, 0));
	TEST_ASSERT_SUCCESS(mbx_post(1, 0, (4ull << 48) | tx_buf | FBNIC_IPC_MBX_DESC_EOM |
				     FBNIC_IPC_MBX_DESC_HOST_CMPL));
	for (i = 0, d = 0; i < 500 && !(d & FBNIC_IPC_MBX_DESC_FW_CMPL); i++) {
		TEST_ASSERT_SUCCESS(mbx_desc(0, 0, &d));
		if (!(d & FBNIC_IPC_MBX_DESC_FW_CMPL))
			usleep(2000);
	}
	TEST_ASSERT(d & FBNIC_IPC_MBX_DESC_FW_CMPL, "no firmware message in 1 s (desc 0x%llx)",
		    (unsigned long long)d);
	TEST_ASSERT_SUCCESS(mbx_desc(1, 0, &d1));
	TEST_ASSERT(d1 & FBNIC_IPC_MBX_DESC_FW_CMPL, "request not completed");
	memcpy(&resp_hdr, mem + 0x1000, 4);
	TEST_ASSERT((resp_hdr & 0xfff) == 0x11 && (resp_hdr & 0x8000),
		    "FW_CAP_RESP expected in guest memory, found header 0x%08x", resp_hdr);
	TEST_ASSERT_EQUAL(d >> 48, 4u * (resp_hdr >> 16), "descriptor length, message words");
	for (i = 0; i < 500 && read(vec0, &v, sizeof(v)) < 0; i++)
		usleep(2000);
	TEST_ASSERT(v >= 1, "vector 0 eventfd not signalled for the firmware message");

	/* A range through the window unmaps nothing; one around it unmaps it. */
	um.iova = GUEST_IOVA + 0x1000;
	um.size = 0x1000;
	TEST_ASSERT_EQUAL(request(VFU_CMD_DMA_UNMAP, &um, sizeof(um), NULL, 0, NULL), EINVAL,
			  "DMA_UNMAP inside the window");
	um.iova = GUEST_IOVA - 0x10000;
	um.size = GUEST_SIZE + 0x20000;
	TEST_ASSERT_SUCCESS(request(VFU_CMD_DMA_UNMAP, &um, sizeof(um), &um, sizeof(um), NULL),
			    "DMA_UNMAP around the window");
	TEST_ASSERT_EQUAL(um.iova, GUEST_IOVA - 0x10000, "DMA_UNMAP echo");
	TEST_ASSERT_EQUAL(um.size, GUEST_SIZE + 0x20000, "DMA_UNMAP echo");
	/* Gone: mapping it again succeeds. */
	fd = memfd_create("guest2", MFD_CLOEXEC);
	TEST_ASSERT(fd >= 0 && ftruncate(fd, GUEST_SIZE) == 0, "memfd");
	m.iova = GUEST_IOVA;
	m.size = GUEST_SIZE;
	TEST_ASSERT_SUCCESS(send_msg(VFU_CMD_DMA_MAP, 0, &m, sizeof(m), &fd, 1, &id));
	TEST_ASSERT_SUCCESS(recv_reply(id, VFU_CMD_DMA_MAP, NULL, 0, NULL),
			    "DMA_MAP after the unmap");
	close(fd);
	um.iova = GUEST_IOVA;
	um.size = GUEST_SIZE;
	TEST_ASSERT_SUCCESS(request(VFU_CMD_DMA_UNMAP, &um, sizeof(um), &um, sizeof(um), NULL),
			    "DMA_UNMAP");
	TEST_ASSERT_EQUAL(um.iova, GUEST_IOVA, "DMA_UNMAP echo");
	TEST_ASSERT_EQUAL(um.size, GUEST_SIZE, "DMA_UNMAP echo");
	munmap(mem, GUEST_SIZE);
	close(vec0);
	vec0 = -1;
	return TEST_SUCCESS;
}

static struct server sv;
static struct fbm_engine *eng;

/* A new session: a socketpair, the server's end attached to the device. */
static int
connect_pair(void)
{
	int fds[2];

	TEST_ASSERT_SUCCESS(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds),
			    "socketpair");
	TEST_ASSERT_SUCCESS(vfs_dev_attach(sv.vd, fds[1]), "attach");
	sock = fds[0];
	return TEST_SUCCESS;
}

/* The server closes the session: wait up to 1 s for it to notice. */
static bool
wait_disconnect(void)
{
	unsigned int i;

	for (i = 0; i < 1000 && vfs_dev_conn_fd(sv.vd) >= 0; i++)
		usleep(1000);
	return vfs_dev_conn_fd(sv.vd) < 0;
}

/* Disconnect keeps the device: the next client sees what the last one wrote. */
static int
test_reconnect_finds_the_device_unchanged(void)
{
	uint8_t p[4] = { 0 }, line = 0x5a, got = 0;
	struct vfs_dev_stats st;

	TEST_ASSERT_SUCCESS(region_write(VFU_REGION_CONFIG, 0x3c, &line, 1), "interrupt line");
	close(sock);
	sock = -1;
	TEST_ASSERT(wait_disconnect(), "server did not notice the disconnect");
	vfs_dev_stats_get(sv.vd, &st);
	TEST_ASSERT_EQUAL(st.dma_windows, 0, "DMA windows survive the client");
	TEST_ASSERT_SUCCESS(connect_pair());
	TEST_ASSERT_SUCCESS(request(VFU_CMD_VERSION, p, sizeof(p), NULL, 0, NULL), "VERSION");
	TEST_ASSERT_SUCCESS(region_read(VFU_REGION_CONFIG, 0x3c, &got, 1));
	TEST_ASSERT_EQUAL(got, 0x5a, "state lost across reconnect");
	return TEST_SUCCESS;
}

/* A size below the header size cannot be skipped: the server hangs up. */
static int
test_short_header_size_closes_the_session(void)
{
	struct vfu_hdr h = { .id = next_id++, .cmd = VFU_CMD_DEVICE_RESET, .size = 8 };
	struct vfs_dev_stats st;

	TEST_ASSERT_EQUAL(send(sock, &h, sizeof(h), MSG_NOSIGNAL), sizeof(h), "send");
	TEST_ASSERT(wait_disconnect(), "bad header size did not close the connection");
	close(sock);
	sock = -1;

	vfs_dev_stats_get(sv.vd, &st);
	TEST_ASSERT_EQUAL(st.connections, 2);
	TEST_ASSERT(st.error_replies >= 14, "errors %llu", (unsigned long long)st.error_replies);
	return TEST_SUCCESS;
}

static int
server_start(void)
{
	struct fbm_config cfg;

	fbm_config_init(&cfg);
	cfg.dsn = 0x02fb4efffe0000a5ull;
	cfg.msix_enable = false;
	TEST_ASSERT_SUCCESS(vfs_dev_create(&cfg, FBM_LOG_ERR, &sv.vd), "create");
	TEST_ASSERT(fbm_engine_create(&eng) == 0 && vfs_dev_set_engine(sv.vd, eng) == 0 &&
		    fbm_engine_start(eng) == 0, "engine");
	TEST_ASSERT_SUCCESS(connect_pair());
	TEST_ASSERT_SUCCESS(pthread_create(&sv.thread, NULL, server_main, &sv), "thread");
	return TEST_SUCCESS;
}

static void
server_stop(void)
{
	sv.stop = true;
	pthread_join(sv.thread, NULL);
	fbm_engine_stop(eng);
	vfs_dev_destroy(sv.vd);
	fbm_engine_destroy(eng);
}

/* One session in order: each test starts where the one before left it. */
int
main(void)
{
	if (TK_RUN(server_start) != 0)
		return tk_report("test_vfu_server");
	if (TK_RUN(test_commands_before_version_are_refused) == 0 &&
	    TK_RUN(test_version_negotiates_capabilities) == 0 &&
	    TK_RUN(test_device_and_region_info) == 0 &&
	    TK_RUN(test_config_space_identifies_fbnic) == 0 &&
	    TK_RUN(test_bar_reads_reach_device_registers) == 0 &&
	    TK_RUN(test_malformed_requests_get_errors) == 0 &&
	    TK_RUN(test_msix_vectors_signal_their_eventfds) == 0 &&
	    TK_RUN(test_firmware_dma_reaches_memfd_guest_memory) == 0 &&
	    TK_RUN(test_reconnect_finds_the_device_unchanged) == 0)
		TK_RUN(test_short_header_size_closes_the_session);
	server_stop();
	return tk_report("test_vfu_server");
}
