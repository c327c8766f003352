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
#include "fbnic_vfu.h"

#define CHECK(cond, ...) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "FAIL %s:%d: %s: ", __func__, __LINE__, #cond); \
		fprintf(stderr, __VA_ARGS__);				\
		fprintf(stderr, "\n");					\
		exit(1);						\
	}								\
} while (0)

#define GUEST_IOVA	0x40000000ull
#define GUEST_SIZE	0x40000ull

struct server {
	struct vfs_dev *vd;
	pthread_t thread;
	volatile bool stop;
};

static uint16_t next_id = 1;

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

/* Send one request with optional descriptors. */
static void
send_msg(int sock, uint16_t cmd, uint32_t flags, const void *payload, size_t len,
	 const int *fds, unsigned int nfds, uint16_t *id)
{
	union {
		char buf[CMSG_SPACE(sizeof(int) * 32)];
		struct cmsghdr align;
	} ctl;
	uint8_t *msg = malloc(VFU_HDR_SIZE + len);
	struct vfu_hdr h = { .id = next_id++, .cmd = cmd, .size = (uint32_t)(VFU_HDR_SIZE + len),
			     .flags = flags };
	struct iovec iov = { .iov_base = msg, .iov_len = VFU_HDR_SIZE + len };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
	ssize_t n;

	CHECK(msg != NULL && nfds <= 32, "alloc");
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
	CHECK(n == (ssize_t)(VFU_HDR_SIZE + len), "sendmsg %zd: %s", n, strerror(errno));
	free(msg);
	if (id != NULL)
		*id = h.id;
}

static void
recv_exact(int sock, void *buf, size_t len)
{
	uint8_t *p = buf;

	while (len > 0) {
		struct pollfd pf = { .fd = sock, .events = POLLIN };
		ssize_t n;

		CHECK(poll(&pf, 1, 5000) == 1, "no reply within 5 s");
		n = recv(sock, p, len, 0);
		CHECK(n > 0, "recv %zd: %s", n, n < 0 ? strerror(errno) : "EOF");
		p += n;
		len -= (size_t)n;
	}
}

/* Receive a reply; returns its errno (0 = success) and copies the payload. */
static int
recv_reply(int sock, uint16_t id, uint16_t cmd, void *payload, size_t cap, size_t *plen)
{
	static uint8_t buf[VFU_MAX_REPLY];
	struct vfu_hdr h;

	recv_exact(sock, &h, sizeof(h));
	CHECK(h.size >= VFU_HDR_SIZE && h.size <= VFU_MAX_REPLY, "reply size %u", h.size);
	recv_exact(sock, buf, h.size - VFU_HDR_SIZE);
	CHECK((h.flags & VFU_F_TYPE_MASK) == VFU_F_TYPE_REPLY, "not a reply: flags 0x%x", h.flags);
	CHECK(h.id == id && h.cmd == cmd, "reply id %u cmd %u, want %u %u", h.id, h.cmd, id, cmd);
	if (h.flags & VFU_F_ERROR) {
		CHECK(h.size == VFU_HDR_SIZE && h.error != 0, "error reply with payload/errno 0");
		return (int)h.error;
	}
	if (plen != NULL)
		*plen = h.size - VFU_HDR_SIZE;
	if (payload != NULL)
		memcpy(payload, buf, h.size - VFU_HDR_SIZE < cap ? h.size - VFU_HDR_SIZE : cap);
	return 0;
}

static int
request(int sock, uint16_t cmd, const void *p, size_t len, void *out, size_t cap, size_t *olen)
{
	uint16_t id;

	send_msg(sock, cmd, 0, p, len, NULL, 0, &id);
	return recv_reply(sock, id, cmd, out, cap, olen);
}

static int
region_read(int sock, uint32_t region, uint64_t off, void *data, uint32_t count)
{
	struct vfu_region_rw rw = { .offset = off, .region = region, .count = count };
	uint8_t out[16 + 64];
	size_t olen = 0;
	int err;

	CHECK(count <= 64, "test reads at most 64 bytes");
	err = request(sock, VFU_CMD_REGION_READ, &rw, sizeof(rw), out, sizeof(out), &olen);
	if (err == 0) {
		CHECK(olen == 16 + count, "read reply length %zu", olen);
		memcpy(data, out + 16, count);
	}
	return err;
}

static uint32_t
rd32(int sock, uint32_t region, uint64_t off)
{
	uint32_t v = 0;

	CHECK(region_read(sock, region, off, &v, 4) == 0, "read region %u 0x%llx", region,
	      (unsigned long long)off);
	return v;
}

static int
region_write(int sock, uint32_t region, uint64_t off, const void *data, uint32_t count)
{
	struct vfu_region_rw rw = { .offset = off, .region = region, .count = count };
	uint8_t in[16 + 64];

	memcpy(in, &rw, sizeof(rw));
	memcpy(in + 16, data, count);
	return request(sock, VFU_CMD_REGION_WRITE, in, 16 + count, NULL, 0, NULL);
}

static void
wr32(int sock, uint32_t region, uint64_t off, uint32_t v)
{
	CHECK(region_write(sock, region, off, &v, 4) == 0, "write region %u 0x%llx", region,
	      (unsigned long long)off);
}

static void
test_commands_before_version_are_refused(int sock)
{
	struct vfu_device_info info = { .argsz = sizeof(info) };

	CHECK(request(sock, VFU_CMD_DEVICE_GET_INFO, &info, sizeof(info), NULL, 0, NULL) == EINVAL,
	      "GET_INFO before VERSION must fail");
}

static void
test_version_negotiates_capabilities(int sock)
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
	CHECK(request(sock, VFU_CMD_VERSION, p, sizeof(p), NULL, 0, NULL) == EINVAL,
	      "bad JSON accepted");
	p[4] = '{';
	CHECK(request(sock, VFU_CMD_VERSION, p, sizeof(p), out, sizeof(out) - 1, &olen) == 0,
	      "VERSION failed");
	memcpy(&major, out, 2);
	memcpy(&minor, out + 2, 2);
	out[sizeof(out) - 1] = '\0';
	CHECK(major == 0 && minor == 0, "version %u.%u", major, minor);
	CHECK(olen > 4 && out[olen - 1] == '\0', "reply JSON not NUL terminated");
	CHECK(strstr((char *)out + 4, "\"max_msg_fds\":16") != NULL &&
	      strstr((char *)out + 4, "\"pgsizes\":4096") != NULL &&
	      strstr((char *)out + 4, "\"write_multiple\":true") != NULL,
	      "capabilities %s", (char *)out + 4);
	CHECK(request(sock, VFU_CMD_VERSION, p, sizeof(p), NULL, 0, NULL) == EALREADY,
	      "second VERSION accepted");
}

static void
test_device_and_region_info(int sock)
{
	static const struct { uint32_t index; uint64_t size; } want[] = {
		{ VFU_REGION_BAR0, FBM_BAR0_SIZE }, { VFU_REGION_BAR2, 0 },
		{ VFU_REGION_BAR4, FBM_BAR4_SIZE }, { VFU_REGION_CONFIG, FBM_CFG_SIZE },
		{ VFU_REGION_ROM, 0 },
	};
	struct vfu_device_info info = { .argsz = sizeof(info) };
	struct vfu_irq_info ii = { .argsz = sizeof(ii), .index = VFU_IRQ_MSIX };
	unsigned int i;

	CHECK(request(sock, VFU_CMD_DEVICE_GET_INFO, &info, sizeof(info), &info, sizeof(info),
		      NULL) == 0, "GET_INFO");
	CHECK(info.num_regions == VFU_NUM_REGIONS && info.num_irqs == VFU_NUM_IRQS &&
	      info.flags == (VFU_DEVICE_FLAGS_PCI | VFU_DEVICE_FLAGS_RESET),
	      "info regions %u irqs %u flags 0x%x", info.num_regions, info.num_irqs, info.flags);
	for (i = 0; i < FBM_DIM(want); i++) {
		struct vfu_region_info ri = { .argsz = sizeof(ri), .index = want[i].index };

		CHECK(request(sock, VFU_CMD_DEVICE_GET_REGION_INFO, &ri, sizeof(ri), &ri,
			      sizeof(ri), NULL) == 0, "REGION_INFO %u", want[i].index);
		CHECK(ri.index == want[i].index && ri.size == want[i].size,
		      "region %u size 0x%llx", ri.index, (unsigned long long)ri.size);
		CHECK(ri.size == 0 || (ri.flags & 3) == 3, "region %u flags 0x%x", ri.index,
		      ri.flags);
	}
	CHECK(request(sock, VFU_CMD_DEVICE_GET_IRQ_INFO, &ii, sizeof(ii), &ii, sizeof(ii),
		      NULL) == 0 && ii.count == FBM_MSIX_VECTORS &&
	      (ii.flags & VFU_IRQ_INFO_EVENTFD), "MSI-X irq info count %u flags 0x%x",
	      ii.count, ii.flags);
}

static void
test_config_space_identity(int sock)
{
	uint16_t id16;
	uint32_t cap, dsn_lo, dsn_hi, msix_tbl;
	unsigned int pos, hops;
	bool msix_found = false;

	CHECK(rd32(sock, VFU_REGION_CONFIG, 0) == 0x00131d9b, "vendor/device 0x%08x",
	      rd32(sock, VFU_REGION_CONFIG, 0));
	CHECK(region_read(sock, VFU_REGION_CONFIG, 2, &id16, 2) == 0 && id16 == 0x0013,
	      "16-bit device id read 0x%04x", id16);
	CHECK((rd32(sock, VFU_REGION_CONFIG, 8) >> 8) == 0x020000, "class code");
	/* BAR0: 64-bit memory, 2 MiB by sizing. */
	wr32(sock, VFU_REGION_CONFIG, 0x10, 0xffffffff);
	CHECK((rd32(sock, VFU_REGION_CONFIG, 0x10) & ~0xfu) == ~(FBM_BAR0_SIZE - 1),
	      "BAR0 sizing 0x%08x", rd32(sock, VFU_REGION_CONFIG, 0x10));
	CHECK((rd32(sock, VFU_REGION_CONFIG, 0x10) & 0x6) == 0x4, "BAR0 not 64-bit");
	/* Walk the capability list to MSI-X: its table must be in a BAR we serve. */
	pos = rd32(sock, VFU_REGION_CONFIG, 0x34) & 0xfc;
	for (hops = 0; pos != 0 && hops < 16; hops++) {
		cap = rd32(sock, VFU_REGION_CONFIG, pos);
		if ((cap & 0xff) == 0x11) {
			msix_found = true;
			CHECK(((cap >> 16) & 0x7ff) + 1 >= 3, "MSI-X with %u vectors",
			      ((cap >> 16) & 0x7ff) + 1);
			msix_tbl = rd32(sock, VFU_REGION_CONFIG, pos + 4);
			CHECK((msix_tbl & 7) == 0 || (msix_tbl & 7) == 4, "MSI-X table BIR %u",
			      msix_tbl & 7);
		}
		pos = (cap >> 8) & 0xfc;
	}
	CHECK(msix_found, "no MSI-X capability");
	/* Device Serial Number extended capability at 0x100. */
	CHECK((rd32(sock, VFU_REGION_CONFIG, 0x100) & 0xffff) == 0x0003, "DSN capability");
	dsn_lo = rd32(sock, VFU_REGION_CONFIG, 0x104);
	dsn_hi = rd32(sock, VFU_REGION_CONFIG, 0x108);
	CHECK(((uint64_t)dsn_hi << 32 | dsn_lo) == 0x02fb4efffe0000a5ull, "DSN 0x%08x%08x",
	      dsn_hi, dsn_lo);
}

static void
test_bar_reads(int sock)
{
	uint32_t w[2];
	uint64_t q;

	/* The dead-device probes of fbnic_hw.rst 1 never read all ones. */
	CHECK(rd32(sock, VFU_REGION_BAR0, 4 * FBNIC_MASTER_SPARE_0) != 0xffffffff,
	      "MASTER_SPARE_0 all ones");
	CHECK(rd32(sock, VFU_REGION_BAR4, 0x18000) != 0xffffffff, "BAR4 0x18000 all ones");
	/* A 64-bit access is two 32-bit ones, low word first. */
	w[0] = rd32(sock, VFU_REGION_BAR0, 4 * FBNIC_INTR_MASK(0));
	w[1] = rd32(sock, VFU_REGION_BAR0, 4 * FBNIC_INTR_MASK(0) + 4);
	CHECK(region_read(sock, VFU_REGION_BAR0, 4 * FBNIC_INTR_MASK(0), &q, 8) == 0, "8-byte");
	CHECK(q == ((uint64_t)w[1] << 32 | w[0]), "8-byte read 0x%llx", (unsigned long long)q);
	CHECK(w[0] == 0xffffffff, "vectors start masked: INTR_MASK(0) 0x%08x", w[0]);
}

static void
test_malformed_requests_get_errors(int sock)
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

	CHECK(request(sock, 99, NULL, 0, NULL, 0, NULL) == ENOSYS, "unknown command");
	CHECK(request(sock, VFU_CMD_REGION_READ, &rw, sizeof(rw), NULL, 0, NULL) == EINVAL,
	      "read across the end of BAR0");
	rw.region = 50;
	rw.offset = 0;
	CHECK(request(sock, VFU_CMD_REGION_READ, &rw, sizeof(rw), NULL, 0, NULL) == EINVAL,
	      "bad region index");
	CHECK(request(sock, VFU_CMD_REGION_READ, &rw, 8, NULL, 0, NULL) == EINVAL,
	      "truncated payload");
	CHECK(request(sock, VFU_CMD_DEVICE_GET_REGION_INFO, &ri, sizeof(ri), NULL, 0, NULL) ==
	      EINVAL, "region info index 9");
	CHECK(request(sock, VFU_CMD_DEVICE_SET_IRQS, &set, sizeof(set), NULL, 0, NULL) == EINVAL,
	      "irq index 7");
	set.index = VFU_IRQ_MSIX;
	set.start = FBM_MSIX_VECTORS - 1;
	set.count = 2;
	CHECK(request(sock, VFU_CMD_DEVICE_SET_IRQS, &set, sizeof(set), NULL, 0, NULL) == EINVAL,
	      "irq range past the last vector");
	CHECK(request(sock, VFU_CMD_DMA_UNMAP, &um, sizeof(um), NULL, 0, NULL) == ENOENT,
	      "unmap of nothing");
	CHECK(request(sock, VFU_CMD_DMA_READ, &um, 16, NULL, 0, NULL) == EINVAL,
	      "server-to-client command from the client");

	/* Descriptors on a command that takes none, and too many of them. */
	for (i = 0; i < 17; i++)
		fds[i] = eventfd(0, EFD_CLOEXEC);
	send_msg(sock, VFU_CMD_DEVICE_RESET, 0, NULL, 0, fds, 1, &id);
	CHECK(recv_reply(sock, id, VFU_CMD_DEVICE_RESET, NULL, 0, NULL) == EINVAL,
	      "RESET with a descriptor");
	set.start = 0;
	set.count = 17;
	set.flags = VFU_IRQ_SET_DATA_EVENTFD | VFU_IRQ_SET_ACTION_TRIGGER;
	send_msg(sock, VFU_CMD_DEVICE_SET_IRQS, 0, &set, sizeof(set), fds, 17, &id);
	CHECK(recv_reply(sock, id, VFU_CMD_DEVICE_SET_IRQS, NULL, 0, NULL) == EINVAL,
	      "17 descriptors");
	for (i = 0; i < 17; i++)
		close(fds[i]);

	/* Oversized: skipped as a whole, the stream stays in step. */
	{
		size_t big = VFU_MAX_MSG + 4096;
		uint8_t *b = calloc(1, big);
		struct vfu_hdr h = { .id = next_id++, .cmd = VFU_CMD_REGION_WRITE,
				     .size = (uint32_t)big };

		memcpy(b, &h, sizeof(h));
		CHECK(send(sock, b, big, MSG_NOSIGNAL) == (ssize_t)big, "send big");
		CHECK(recv_reply(sock, h.id, VFU_CMD_REGION_WRITE, NULL, 0, NULL) == E2BIG,
		      "oversized message");
		free(b);
	}
	/* A failing NO_REPLY request is silent; the next reply is for the next request. */
	memset(junk, 0, sizeof(junk));
	send_msg(sock, 77, VFU_F_NO_REPLY, junk, 8, NULL, 0, &id);
	send_msg(sock, VFU_CMD_DEVICE_RESET, 0, NULL, 0, NULL, 0, &id2);
	CHECK(recv_reply(sock, id2, VFU_CMD_DEVICE_RESET, NULL, 0, NULL) == 0,
	      "reply after a NO_REPLY request");
	(void)id;
}

static void
test_msix_eventfds(int sock, int *efd)
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
	send_msg(sock, VFU_CMD_DEVICE_SET_IRQS, 0, &set, sizeof(set), fds, 2, &id);
	CHECK(recv_reply(sock, id, VFU_CMD_DEVICE_SET_IRQS, NULL, 0, NULL) == 0, "SET_IRQS fds");
	/* The client fires vector 1 (DATA_BOOL): the server signals the fd it kept. */
	set.flags = VFU_IRQ_SET_DATA_BOOL | VFU_IRQ_SET_ACTION_TRIGGER;
	set.argsz = sizeof(p);
	memcpy(p, &set, sizeof(set));
	p[sizeof(set)] = 0;
	p[sizeof(set) + 1] = 1;
	CHECK(request(sock, VFU_CMD_DEVICE_SET_IRQS, p, sizeof(p), NULL, 0, NULL) == 0,
	      "SET_IRQS bool trigger");
	CHECK(read(fds[1], &v, sizeof(v)) == sizeof(v) && v == 1, "vector 1 not signalled");
	CHECK(read(fds[0], &v, sizeof(v)) < 0 && errno == EAGAIN, "vector 0 signalled");
	close(fds[1]);
	*efd = fds[0];
}

static uint64_t
mbx_desc(int sock, unsigned int mbx, unsigned int idx)
{
	uint64_t off = 4ull * FBNIC_IPC_MBX(mbx, idx);
	uint64_t lo, hi;

	/*
	 * Low word first, as Linux reads it: the firmware writes the length
	 * (high word) before FW_CMPL (low word), so a completed low word
	 * guarantees the high word read after it is complete too.
	 */
	lo = rd32(sock, VFU_REGION_BAR4, off);
	hi = rd32(sock, VFU_REGION_BAR4, off + 4);
	return hi << 32 | lo;
}

static void
mbx_post(int sock, unsigned int mbx, unsigned int idx, uint64_t desc)
{
	uint64_t off = 4ull * FBNIC_IPC_MBX(mbx, idx);

	wr32(sock, VFU_REGION_BAR4, off + 4, (uint32_t)(desc >> 32));
	rd32(sock, VFU_REGION_BAR4, 0x18000);
	wr32(sock, VFU_REGION_BAR4, off, (uint32_t)desc);
}

/* Ring reset (fbnic_hw.rst 6.2): descriptor 0 empty, 15..1 "skip". */
static void
mbx_ring_reset(int sock, unsigned int mbx)
{
	unsigned int d;

	mbx_post(sock, mbx, 0, 0);
	for (d = 15; d >= 1; d--)
		mbx_post(sock, mbx, d, FBNIC_IPC_MBX_DESC_HOST_CMPL | FBNIC_IPC_MBX_DESC_FW_CMPL);
}

/*
 * Guest memory by memfd: the firmware mailbox (fbnic_hw.rst 6) reads the
 * request from it and writes FW_CAP_RESP into it, and vector 0 fires.
 */
static void
test_dma_through_memfd(int sock, int vec0)
{
	struct vfu_dma_map m = { .argsz = sizeof(m), .flags = 3, .offset = 0,
				 .iova = GUEST_IOVA, .size = GUEST_SIZE };
	struct vfu_dma_unmap um = { .argsz = sizeof(um), .iova = GUEST_IOVA, .size = GUEST_SIZE };
	const uint64_t rx_buf = GUEST_IOVA + 0x1000, tx_buf = GUEST_IOVA + 0x2000;
	uint32_t req = 0x00018010, resp_hdr, status = 0;
	uint16_t ctrl, id;
	uint64_t d, v = 0;
	uint8_t *mem;
	unsigned int i;
	int fd;

	fd = memfd_create("guest", MFD_CLOEXEC);
	CHECK(fd >= 0 && ftruncate(fd, GUEST_SIZE) == 0, "memfd");
	mem = mmap(NULL, GUEST_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK(mem != MAP_FAILED, "mmap");
	send_msg(sock, VFU_CMD_DMA_MAP, 0, &m, sizeof(m), &fd, 1, &id);
	CHECK(recv_reply(sock, id, VFU_CMD_DMA_MAP, NULL, 0, NULL) == 0, "DMA_MAP memfd");
	m.iova += 0x1000;
	m.size = 0x1000;
	send_msg(sock, VFU_CMD_DMA_MAP, 0, &m, sizeof(m), &fd, 1, &id);
	CHECK(recv_reply(sock, id, VFU_CMD_DMA_MAP, NULL, 0, NULL) == EEXIST, "overlap mapped");
	close(fd);

	/* MSI-X on, vector 0 unmasked. */
	CHECK(region_read(sock, VFU_REGION_CONFIG, 0x82, &ctrl, 2) == 0, "MSI-X ctrl");
	ctrl |= 0x8000;
	CHECK(region_write(sock, VFU_REGION_CONFIG, 0x82, &ctrl, 2) == 0, "MSI-X enable");

	/* Bring-up (fbnic_hw.rst 6.3): wait for the firmware's ready signal. */
	wr32(sock, VFU_REGION_BAR0, 4 * FBNIC_INTR_SW_AC_MODE(0), ~1u);
	wr32(sock, VFU_REGION_BAR0, 4 * FBNIC_INTR_CLEAR(0), 1);
	for (i = 0; i < 500 && !(status & 1); i++) {
		mbx_ring_reset(sock, 1);
		status = rd32(sock, VFU_REGION_BAR0, 4 * FBNIC_INTR_STATUS(0));
		if (!(status & 1))
			usleep(2000);
	}
	CHECK(status & 1, "firmware never signalled ready");
	wr32(sock, VFU_REGION_BAR0, 4 * FBNIC_INTR_CLEAR(0), 1);
	wr32(sock, VFU_REGION_BAR0, 4 * FBNIC_PUL_OB_TLP_HDR_AW_CFG,
	     FBNIC_PUL_OB_TLP_HDR_AW_CFG_BME);
	mbx_ring_reset(sock, 0);
	mbx_post(sock, 0, 1, 0);
	mbx_post(sock, 0, 0, (4096ull << 48) | rx_buf | FBNIC_IPC_MBX_DESC_HOST_CMPL);
	wr32(sock, VFU_REGION_BAR0, 4 * FBNIC_PUL_OB_TLP_HDR_AR_CFG,
	     FBNIC_PUL_OB_TLP_HDR_AR_CFG_BME);
	wr32(sock, VFU_REGION_BAR0, 4 * FBNIC_INTR_MASK_CLEAR(0), 1);

	memcpy(mem + 0x2000, &req, 4);			/* HOST_CAP_REQ */
	mbx_post(sock, 1, 1, 0);
	mbx_post(sock, 1, 0, (4ull << 48) | tx_buf | FBNIC_IPC_MBX_DESC_EOM |
		 FBNIC_IPC_MBX_DESC_HOST_CMPL);
	for (i = 0, d = 0; i < 500 && !(d & FBNIC_IPC_MBX_DESC_FW_CMPL); i++) {
		d = mbx_desc(sock, 0, 0);
		if (!(d & FBNIC_IPC_MBX_DESC_FW_CMPL))
			usleep(2000);
	}
	CHECK(d & FBNIC_IPC_MBX_DESC_FW_CMPL, "no firmware message in 1 s (desc 0x%llx)",
	      (unsigned long long)d);
	CHECK(mbx_desc(sock, 1, 0) & FBNIC_IPC_MBX_DESC_FW_CMPL, "request not completed");
	memcpy(&resp_hdr, mem + 0x1000, 4);
	CHECK((resp_hdr & 0xfff) == 0x11 && (resp_hdr & 0x8000),
	      "FW_CAP_RESP expected in guest memory, found header 0x%08x", resp_hdr);
	CHECK((d >> 48) == 4u * (resp_hdr >> 16), "descriptor length %llu, message %u words",
	      (unsigned long long)(d >> 48), resp_hdr >> 16);
	for (i = 0; i < 500 && read(vec0, &v, sizeof(v)) < 0; i++)
		usleep(2000);
	CHECK(v >= 1, "vector 0 eventfd not signalled for the firmware message");

	CHECK(request(sock, VFU_CMD_DMA_UNMAP, &um, sizeof(um), &um, sizeof(um), NULL) == 0 &&
	      um.iova == GUEST_IOVA && um.size == GUEST_SIZE, "DMA_UNMAP echo");
	munmap(mem, GUEST_SIZE);
}

static int
connect_pair(struct vfs_dev *vd)
{
	int sv[2];

	CHECK(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == 0, "socketpair");
	CHECK(vfs_dev_attach(vd, sv[1]) == 0, "attach");
	return sv[0];
}

static void
negotiate(int sock)
{
	uint8_t p[4] = { 0 };

	CHECK(request(sock, VFU_CMD_VERSION, p, sizeof(p), NULL, 0, NULL) == 0, "VERSION");
}

int
main(void)
{
	struct server sv = { 0 };
	struct vfs_dev_stats st;
	struct fbm_engine *eng;
	struct fbm_config cfg;
	uint8_t line = 0x5a, got = 0, bad[8];
	int sock, vec0, i;

	fbm_config_init(&cfg);
	cfg.dsn = 0x02fb4efffe0000a5ull;
	cfg.msix_enable = false;
	CHECK(vfs_dev_create(&cfg, FBM_LOG_ERR, &sv.vd) == 0, "create");
	CHECK(fbm_engine_create(&eng) == 0 && vfs_dev_set_engine(sv.vd, eng) == 0 &&
	      fbm_engine_start(eng) == 0, "engine");
	sock = connect_pair(sv.vd);
	CHECK(pthread_create(&sv.thread, NULL, server_main, &sv) == 0, "thread");

	test_commands_before_version_are_refused(sock);
	test_version_negotiates_capabilities(sock);
	test_device_and_region_info(sock);
	test_config_space_identity(sock);
	test_bar_reads(sock);
	test_malformed_requests_get_errors(sock);
	test_msix_eventfds(sock, &vec0);
	test_dma_through_memfd(sock, vec0);
	close(vec0);

	/* Disconnect keeps the device: the next client sees what the last one wrote. */
	CHECK(region_write(sock, VFU_REGION_CONFIG, 0x3c, &line, 1) == 0, "interrupt line");
	close(sock);
	for (i = 0; i < 1000 && vfs_dev_conn_fd(sv.vd) >= 0; i++)
		usleep(1000);
	CHECK(vfs_dev_conn_fd(sv.vd) < 0, "server did not notice the disconnect");
	vfs_dev_stats_get(sv.vd, &st);
	CHECK(st.dma_windows == 0, "DMA windows survive the client: %llu",
	      (unsigned long long)st.dma_windows);
	sock = connect_pair(sv.vd);
	negotiate(sock);
	CHECK(region_read(sock, VFU_REGION_CONFIG, 0x3c, &got, 1) == 0 && got == 0x5a,
	      "state lost across reconnect: 0x%02x", got);

	/* A size below the header size cannot be skipped: the server hangs up. */
	memset(bad, 0, sizeof(bad));
	{
		struct vfu_hdr h = { .id = next_id++, .cmd = VFU_CMD_DEVICE_RESET, .size = 8 };

		CHECK(send(sock, &h, sizeof(h), MSG_NOSIGNAL) == sizeof(h), "send");
	}
	for (i = 0; i < 1000 && vfs_dev_conn_fd(sv.vd) >= 0; i++)
		usleep(1000);
	CHECK(vfs_dev_conn_fd(sv.vd) < 0, "bad header size did not close the connection");
	close(sock);

	vfs_dev_stats_get(sv.vd, &st);
	CHECK(st.connections == 2 && st.error_replies >= 14, "connections %llu errors %llu",
	      (unsigned long long)st.connections, (unsigned long long)st.error_replies);
	sv.stop = true;
	pthread_join(sv.thread, NULL);
	fbm_engine_stop(eng);
	vfs_dev_destroy(sv.vd);
	fbm_engine_destroy(eng);
	printf("test-vfu-server: all checks passed\n");
	return 0;
}
