/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

/*
 * The fbnic model behind a vfio-user connection: regions map onto the
 * model's config space and BARs, DMA windows onto guest memory shared by
 * file descriptor (or reached by DMA_READ/DMA_WRITE messages), MSI-X
 * messages onto the client's eventfds.
 *
 * Config space, BAR0 (FBM_BAR0_SIZE) and BAR4 (FBM_BAR4_SIZE) are trapped:
 * every access is a REGION_READ/REGION_WRITE message. The model's config
 * space places the MSI-X table and PBA in BAR4 (0x40000 / 0x48000); the
 * client emulates the table itself and forwards PBA reads.
 */

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "fbnic_vfu.h"

#define VFS_IO_TIMEOUT_MS	5000	/* a client that stalls mid-message is dropped */
#define VFS_DEFERRED_MAX	16	/* requests held while waiting for a DMA reply */
#define VFS_BOUNCE_MAX		64	/* message-DMA ranges in flight per model call */
#define VFS_BOUNCE_BYTES	(8u << 20)
#define VFS_DISCARD_MAX		(16u << 20)

/* A DMA_MAP window. */
struct vfs_dma {
	uint64_t iova;
	uint64_t size;
	uint8_t *host;		/* NULL: reached by DMA_READ/DMA_WRITE messages */
	void *map_base;		/* mmap() result (page aligned) */
	size_t map_len;
	uint32_t flags;
};

/* A guest range copied in by DMA_READ, written back after the model call. */
struct vfs_bounce {
	uint64_t iova;
	size_t len;
	uint8_t *buf;
};

struct vfs_msg {
	uint8_t *buf;
	size_t len;
	int recv_ret;		/* vfs_recv_msg() result for deferred messages */
	int fds[VFU_MAX_FDS];
	unsigned int nfds;
};

struct vfs_dev {
	char name[32];
	int log_level;
	struct fbm_dev *fbm;
	struct fbm_engine *eng;
	bool in_engine;
	pthread_t conn_thread;

	int conn_fd;
	struct vfu_session sess;
	struct vfu_device_desc desc;
	uint8_t *rx;		/* VFU_MAX_MSG */
	uint8_t *tx;		/* VFU_MAX_REPLY */
	uint16_t next_id;

	pthread_rwlock_t dma_lock;
	struct vfs_dma *dma;	/* VFU_MAX_DMA_MAPS, sorted by nothing */
	unsigned int ndma;
	unsigned int ndma_msg;

	struct vfs_bounce bounce[VFS_BOUNCE_MAX];
	unsigned int nbounce;
	size_t bounce_bytes;
	bool dma_msg_broken;	/* a DMA message failed: stop trying until detach */

	struct vfs_msg deferred[VFS_DEFERRED_MAX];
	unsigned int ndeferred;

	pthread_mutex_t irq_lock;
	int msix_fd[FBM_MSIX_VECTORS];
	int intx_fd;

	uint64_t msix_sent;
	uint64_t msix_no_fd;
	uint64_t dma_misses;
	uint64_t dma_msgs;
	uint64_t connections;
};

static void
vfs_log(const struct vfs_dev *d, int level, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	if (level > d->log_level)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	fprintf(stderr, "fbnic-vfu[%s]: %s\n", d->name, buf);
}

/* ---- Host services for the model. ---- */

static void
vfs_host_log(void *ctx, int level, const char *msg)
{
	struct vfs_dev *d = ctx;

	if (level <= d->log_level)
		fprintf(stderr, "fbnic-model[%s]: %s\n", d->name, msg);
}

static void
vfs_host_msix(void *ctx, unsigned int vector)
{
	struct vfs_dev *d = ctx;
	uint64_t one = 1;
	int fd;

	if (vector >= FBM_MSIX_VECTORS)
		return;
	pthread_mutex_lock(&d->irq_lock);
	fd = d->msix_fd[vector];
	if (fd >= 0 && write(fd, &one, sizeof(one)) == (ssize_t)sizeof(one))
		d->msix_sent++;
	else
		d->msix_no_fd++;
	pthread_mutex_unlock(&d->irq_lock);
}

static int vfs_client_dma(struct vfs_dev *d, uint16_t cmd, uint64_t iova, uint8_t *buf,
			  size_t len);

/* Copy a message-only guest range in; it is written back by vfs_bounce_flush(). */
static void *
vfs_bounce_in(struct vfs_dev *d, uint64_t iova, size_t len)
{
	struct vfs_bounce *b;

	if (d->dma_msg_broken || d->conn_fd < 0 ||
	    !pthread_equal(pthread_self(), d->conn_thread) ||
	    d->nbounce >= VFS_BOUNCE_MAX || len > VFS_BOUNCE_BYTES - d->bounce_bytes)
		return NULL;
	b = &d->bounce[d->nbounce];
	b->buf = malloc(len);
	if (b->buf == NULL)
		return NULL;
	if (vfs_client_dma(d, VFU_CMD_DMA_READ, iova, b->buf, len) < 0) {
		free(b->buf);
		b->buf = NULL;
		return NULL;
	}
	b->iova = iova;
	b->len = len;
	d->nbounce++;
	d->bounce_bytes += len;
	return b->buf;
}

static void *
vfs_host_dma_map(void *ctx, uint64_t iova, size_t len)
{
	struct vfs_dev *d = ctx;
	bool msg_only = false;
	void *p = NULL;
	unsigned int i;

	if (len == 0 || iova + len < iova)
		return NULL;
	pthread_rwlock_rdlock(&d->dma_lock);
	for (i = 0; i < d->ndma; i++) {
		const struct vfs_dma *w = &d->dma[i];

		if (iova < w->iova || iova - w->iova >= w->size || len > w->size - (iova - w->iova))
			continue;
		if (w->host != NULL)
			p = w->host + (iova - w->iova);
		else
			msg_only = true;
		break;
	}
	pthread_rwlock_unlock(&d->dma_lock);
	if (p == NULL && msg_only)
		p = vfs_bounce_in(d, iova, len);
	if (p == NULL)
		__atomic_fetch_add(&d->dma_misses, 1, __ATOMIC_RELAXED);
	return p;
}

static void
vfs_bounce_flush(struct vfs_dev *d)
{
	unsigned int i;

	for (i = 0; i < d->nbounce; i++) {
		struct vfs_bounce *b = &d->bounce[i];

		if (!d->dma_msg_broken)
			vfs_client_dma(d, VFU_CMD_DMA_WRITE, b->iova, b->buf, b->len);
		free(b->buf);
		b->buf = NULL;
	}
	d->nbounce = 0;
	d->bounce_bytes = 0;
}

/* ---- Engine membership: never while a DMA window changes under it. ---- */

static void
vfs_engine_leave(struct vfs_dev *d)
{
	if (d->in_engine) {
		fbm_engine_remove(d->eng, d->fbm);
		d->in_engine = false;
	}
}

static void
vfs_engine_join(struct vfs_dev *d)
{
	if (d->eng != NULL && !d->in_engine && d->ndma_msg == 0) {
		if (fbm_engine_add(d->eng, d->fbm) == 0)
			d->in_engine = true;
		else
			vfs_log(d, FBM_LOG_ERR, "cannot add the device to the engine");
	}
}

int
vfs_dev_set_engine(struct vfs_dev *d, struct fbm_engine *eng)
{
	vfs_engine_leave(d);
	d->eng = eng;
	vfs_engine_join(d);
	return 0;
}

/* ---- Backend of the protocol layer. ---- */

static int
vfs_bar_rw(struct vfs_dev *d, unsigned int bar, uint64_t off, uint8_t *data, uint32_t count,
	   bool write)
{
	/* Split into 32-bit device accesses; partial words are read-modify-write. */
	while (count > 0) {
		uint64_t word = off & ~UINT64_C(3);
		unsigned int shift = (unsigned int)(off & 3);
		unsigned int n = 4 - shift < count ? 4 - shift : count;
		uint32_t v;

		if (!write) {
			v = fbm_read32(d->fbm, bar, word);
			memcpy(data, (uint8_t *)&v + shift, n);
		} else if (n == 4) {
			memcpy(&v, data, 4);
			fbm_write32(d->fbm, bar, word, v);
		} else {
			v = fbm_read32(d->fbm, bar, word);
			memcpy((uint8_t *)&v + shift, data, n);
			fbm_write32(d->fbm, bar, word, v);
		}
		off += n;
		data += n;
		count -= n;
	}
	return 0;
}

static int
vfs_region_rw(void *ctx, uint32_t region, uint64_t offset, void *data, uint32_t count,
	      bool write)
{
	struct vfs_dev *d = ctx;
	int ret;

	switch (region) {
	case VFU_REGION_CONFIG:
		ret = write ? fbm_cfg_write(d->fbm, (unsigned int)offset, data, count) :
			      fbm_cfg_read(d->fbm, (unsigned int)offset, data, count);
		break;
	case VFU_REGION_BAR0:
		ret = vfs_bar_rw(d, 0, offset, data, count, write);
		break;
	case VFU_REGION_BAR4:
		ret = vfs_bar_rw(d, 4, offset, data, count, write);
		break;
	default:
		ret = -EINVAL;
		break;
	}
	vfs_bounce_flush(d);
	return ret;
}

static bool
vfs_overlaps(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return a < b + blen && b < a + alen;
}

static int
vfs_dma_map(void *ctx, const struct vfu_dma_map *m, int fd)
{
	struct vfs_dev *d = ctx;
	struct vfs_dma w = { .iova = m->iova, .size = m->size, .flags = m->flags };
	unsigned int i;
	int ret = 0;

	pthread_rwlock_rdlock(&d->dma_lock);
	if (d->ndma >= VFU_MAX_DMA_MAPS)
		ret = -ENOSPC;
	for (i = 0; ret == 0 && i < d->ndma; i++)
		if (vfs_overlaps(m->iova, m->size, d->dma[i].iova, d->dma[i].size))
			ret = -EEXIST;
	pthread_rwlock_unlock(&d->dma_lock);
	if (ret < 0) {
		if (fd >= 0)
			close(fd);
		return ret;
	}

	if (fd >= 0) {
		long pg = sysconf(_SC_PAGESIZE);
		uint64_t lead = m->offset % (uint64_t)(pg > 0 ? pg : 4096);
		int prot = PROT_READ | (m->flags & VFU_DMA_FLAG_WRITE ? PROT_WRITE : 0);
		void *p;

		if (m->size > SIZE_MAX - lead) {
			close(fd);
			return -EINVAL;
		}
		w.map_len = (size_t)(m->size + lead);
		p = mmap(NULL, w.map_len, prot, MAP_SHARED, fd, (off_t)(m->offset - lead));
		ret = p == MAP_FAILED ? -errno : 0;
		close(fd);
		if (ret < 0) {
			vfs_log(d, FBM_LOG_ERR, "DMA_MAP iova 0x%llx size 0x%llx: mmap: %s",
				(unsigned long long)m->iova, (unsigned long long)m->size,
				strerror(-ret));
			return ret;
		}
		w.map_base = p;
		w.host = (uint8_t *)p + lead;
	}

	pthread_rwlock_wrlock(&d->dma_lock);
	d->dma[d->ndma++] = w;
	pthread_rwlock_unlock(&d->dma_lock);
	if (w.host == NULL) {
		d->ndma_msg++;
		vfs_engine_leave(d);
	}
	vfs_log(d, FBM_LOG_INFO, "DMA_MAP iova 0x%llx size 0x%llx %s",
		(unsigned long long)m->iova, (unsigned long long)m->size,
		w.host != NULL ? "mapped" : "by message");
	return 0;
}

/* Remove window i; the engine must not be using the device. */
static void
vfs_dma_drop(struct vfs_dev *d, unsigned int i)
{
	struct vfs_dma w;

	pthread_rwlock_wrlock(&d->dma_lock);
	w = d->dma[i];
	d->dma[i] = d->dma[--d->ndma];
	pthread_rwlock_unlock(&d->dma_lock);
	if (w.map_base != NULL)
		munmap(w.map_base, w.map_len);
	else
		d->ndma_msg--;
}

/*
 * Unmap every window inside [iova, iova + size), as the kernel's type 1
 * IOMMU does: a range with no window in it is no error (QEMU's IOMMU
 * notifiers unmap whole invalidated ranges behind a virtual IOMMU), a window
 * the range only cuts through is (-EINVAL, nothing unmapped).
 */
static int
vfs_dma_unmap(void *ctx, uint64_t iova, uint64_t size)
{
	struct vfs_dev *d = ctx;
	uint64_t end = iova + size;
	unsigned int i, n = 0;

	for (i = 0; i < d->ndma; i++) {
		uint64_t ws = d->dma[i].iova, we = ws + d->dma[i].size;

		if (we <= iova || ws >= end)
			continue;
		if (ws < iova || we > end) {
			vfs_log(d, FBM_LOG_ERR, "DMA_UNMAP iova 0x%llx size 0x%llx cuts the "
				"window at 0x%llx size 0x%llx",
				(unsigned long long)iova, (unsigned long long)size,
				(unsigned long long)ws, (unsigned long long)d->dma[i].size);
			return -EINVAL;
		}
		n++;
	}
	if (n == 0)
		return 0;
	/* The engine may hold a pointer into a window until its poll returns. */
	vfs_engine_leave(d);
	for (i = 0; i < d->ndma;) {
		if (d->dma[i].iova >= iova && d->dma[i].iova + d->dma[i].size <= end)
			vfs_dma_drop(d, i);	/* moves the last window into slot i */
		else
			i++;
	}
	vfs_engine_join(d);
	return 0;
}

static void
vfs_signal_fd(int fd)
{
	uint64_t one = 1;

	if (fd >= 0 && write(fd, &one, sizeof(one)) != (ssize_t)sizeof(one))
		return;
}

static void
vfs_set_fd(int *slot, int fd)
{
	if (*slot >= 0)
		close(*slot);
	*slot = fd;
}

static int
vfs_set_irqs(void *ctx, const struct vfu_irq_set *set, const uint8_t *bools, int *fds,
	     unsigned int nfds)
{
	uint32_t data = set->flags & VFU_IRQ_SET_DATA_MASK;
	uint32_t action = set->flags & VFU_IRQ_SET_ACTION_MASK_ALL;
	struct vfs_dev *d = ctx;
	unsigned int i;
	int ret = 0;

	pthread_mutex_lock(&d->irq_lock);
	if (set->index == VFU_IRQ_MSIX && action == VFU_IRQ_SET_ACTION_TRIGGER) {
		if (data == VFU_IRQ_SET_DATA_EVENTFD) {
			for (i = 0; i < set->count; i++) {
				vfs_set_fd(&d->msix_fd[set->start + i], nfds != 0 ? fds[i] : -1);
				if (nfds != 0)
					fds[i] = -1;
			}
		} else if (set->count == 0) {
			for (i = 0; i < FBM_MSIX_VECTORS; i++)
				vfs_set_fd(&d->msix_fd[i], -1);
		} else {
			/* The client fires vectors itself (loopback testing). */
			for (i = 0; i < set->count; i++)
				if (bools == NULL || bools[i])
					vfs_signal_fd(d->msix_fd[set->start + i]);
		}
	} else if (set->index == VFU_IRQ_INTX) {
		/* INTx is advertised (interrupt pin A) but the model never asserts it. */
		if (action == VFU_IRQ_SET_ACTION_TRIGGER && data == VFU_IRQ_SET_DATA_EVENTFD) {
			vfs_set_fd(&d->intx_fd, nfds != 0 ? fds[0] : -1);
			if (nfds != 0)
				fds[0] = -1;
		} else if (action == VFU_IRQ_SET_ACTION_TRIGGER && set->count == 0) {
			vfs_set_fd(&d->intx_fd, -1);
		}
	} else {
		ret = -EINVAL;
	}
	pthread_mutex_unlock(&d->irq_lock);
	for (i = 0; i < nfds; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	return ret;
}

static int
vfs_reset(void *ctx)
{
	struct vfs_dev *d = ctx;

	vfs_log(d, FBM_LOG_INFO, "DEVICE_RESET");
	fbm_reset(d->fbm);
	return 0;
}

static const struct vfu_backend_ops vfs_backend = {
	.region_rw = vfs_region_rw,
	.dma_map = vfs_dma_map,
	.dma_unmap = vfs_dma_unmap,
	.set_irqs = vfs_set_irqs,
	.reset = vfs_reset,
};

/* ---- Socket I/O. ---- */

static int
vfs_wait_fd(int fd, short events, int timeout_ms)
{
	struct pollfd pfd = { .fd = fd, .events = events };
	int ret;

	do {
		ret = poll(&pfd, 1, timeout_ms);
	} while (ret < 0 && errno == EINTR);
	if (ret < 0)
		return -errno;
	if (ret == 0)
		return -ETIMEDOUT;
	return 0;
}

static int
vfs_send_all(int fd, const uint8_t *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = send(fd, buf, len, MSG_NOSIGNAL | MSG_DONTWAIT);

		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			int ret = vfs_wait_fd(fd, POLLOUT, VFS_IO_TIMEOUT_MS);

			if (ret < 0)
				return ret;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -EPIPE;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

static void
vfs_close_all(int *fds, unsigned int *nfds)
{
	unsigned int i;

	for (i = 0; i < *nfds; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	*nfds = 0;
}

/*
 * Read exactly len bytes, collecting descriptors (at most VFU_MAX_FDS kept;
 * *too_many is set when the sender passed more). 0, -ECONNRESET on EOF,
 * -ETIMEDOUT, or another -errno.
 */
static int
vfs_recv_exact(int fd, uint8_t *buf, size_t len, int *fds, unsigned int *nfds,
	       bool *too_many)
{
	union {
		char buf[CMSG_SPACE(sizeof(int) * (VFU_MAX_FDS + 1))];
		struct cmsghdr align;
	} ctl;

	while (len > 0) {
		struct iovec iov = { .iov_base = buf, .iov_len = len };
		struct msghdr mh = {
			.msg_iov = &iov, .msg_iovlen = 1,
			.msg_control = ctl.buf, .msg_controllen = sizeof(ctl.buf),
		};
		struct cmsghdr *c;
		ssize_t n;

		n = recvmsg(fd, &mh, MSG_CMSG_CLOEXEC | MSG_DONTWAIT);
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			int ret = vfs_wait_fd(fd, POLLIN, VFS_IO_TIMEOUT_MS);

			if (ret < 0)
				return ret;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		for (c = CMSG_FIRSTHDR(&mh); c != NULL; c = CMSG_NXTHDR(&mh, c)) {
			size_t i, cnt;

			if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
				continue;
			cnt = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
			for (i = 0; i < cnt; i++) {
				int rfd;

				memcpy(&rfd, CMSG_DATA(c) + i * sizeof(int), sizeof(int));
				if (fds != NULL && *nfds < VFU_MAX_FDS) {
					fds[(*nfds)++] = rfd;
				} else {
					close(rfd);
					*too_many = true;
				}
			}
		}
		if (mh.msg_flags & MSG_CTRUNC)
			*too_many = true;
		if (n == 0)
			return -ECONNRESET;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/*
 * Read one message into m->buf (VFU_MAX_MSG bytes). Returns 0, -E2BIG (an
 * oversized message was skipped: answer with an error), -EMSGSIZE (too many
 * descriptors: answer with an error), or a fatal -errno.
 */
static int
vfs_recv_msg(struct vfs_dev *d, struct vfs_msg *m)
{
	bool too_many = false;
	struct vfu_hdr h;
	int ret;

	m->nfds = 0;
	m->len = 0;
	ret = vfs_recv_exact(d->conn_fd, m->buf, VFU_HDR_SIZE, m->fds, &m->nfds, &too_many);
	if (ret < 0)
		goto fail;
	ret = vfu_hdr_decode(m->buf, VFU_HDR_SIZE, &h);
	if (ret == -EINVAL) {
		vfs_log(d, FBM_LOG_ERR, "message size %u below the header size: closing",
			h.size);
		ret = -EPROTO;
		goto fail;
	}
	if (ret == -E2BIG) {
		/* Skip it (bounded) so that the stream stays in step, then refuse. */
		size_t left = h.size - VFU_HDR_SIZE;

		if (h.size > VFS_DISCARD_MAX) {
			vfs_log(d, FBM_LOG_ERR, "message size %u too large: closing", h.size);
			ret = -EPROTO;
			goto fail;
		}
		while (left > 0) {
			size_t n = left < VFU_MAX_MSG - VFU_HDR_SIZE ? left :
				   VFU_MAX_MSG - VFU_HDR_SIZE;

			ret = vfs_recv_exact(d->conn_fd, m->buf + VFU_HDR_SIZE, n, NULL, NULL,
					     &too_many);
			if (ret < 0)
				goto fail;
			left -= n;
		}
		m->len = VFU_HDR_SIZE;
		vfs_close_all(m->fds, &m->nfds);
		return -E2BIG;
	}
	ret = vfs_recv_exact(d->conn_fd, m->buf + VFU_HDR_SIZE, h.size - VFU_HDR_SIZE,
			     m->fds, &m->nfds, &too_many);
	if (ret < 0)
		goto fail;
	m->len = h.size;
	if (too_many) {
		vfs_close_all(m->fds, &m->nfds);
		return -EMSGSIZE;
	}
	return 0;
fail:
	vfs_close_all(m->fds, &m->nfds);
	return ret;
}

static int
vfs_reply(struct vfs_dev *d, size_t len)
{
	if (len == 0)
		return 0;
	return vfs_send_all(d->conn_fd, d->tx, len);
}

/* Handle a complete request that is in m. */
static int
vfs_handle(struct vfs_dev *d, struct vfs_msg *m, int recv_ret)
{
	struct vfu_hdr h;
	size_t len;

	if (recv_ret == -E2BIG || recv_ret == -EMSGSIZE) {
		memcpy(&h, m->buf, sizeof(h));
		d->sess.stats.requests++;
		d->sess.stats.errors++;
		vfs_log(d, FBM_LOG_WARNING, "%s id %u: %s", vfu_cmd_name(h.cmd), h.id,
			recv_ret == -E2BIG ? "message too large" : "too many descriptors");
		if ((h.flags & VFU_F_TYPE_MASK) != VFU_F_TYPE_COMMAND ||
		    (h.flags & VFU_F_NO_REPLY))
			return 0;
		return vfs_reply(d, vfu_error_reply(&h, recv_ret == -E2BIG ? E2BIG : EINVAL,
						    d->tx));
	}
	memcpy(&h, m->buf, sizeof(h));
	if ((h.flags & VFU_F_TYPE_MASK) == VFU_F_TYPE_REPLY) {
		/* A reply nobody waits for (late DMA reply): drop it. */
		vfs_close_all(m->fds, &m->nfds);
		vfs_log(d, FBM_LOG_WARNING, "unexpected reply id %u", h.id);
		return 0;
	}
	len = vfu_session_handle(&d->sess, m->buf, m->len, m->fds, m->nfds, d->tx);
	m->nfds = 0;
	if (len >= VFU_HDR_SIZE) {
		struct vfu_hdr r;

		memcpy(&r, d->tx, sizeof(r));
		if (r.flags & VFU_F_ERROR)
			vfs_log(d, FBM_LOG_INFO, "%s id %u: error %u", vfu_cmd_name(h.cmd), h.id,
				r.error);
	}
	return vfs_reply(d, len);
}

/*
 * DMA_READ / DMA_WRITE to the client, waiting for the reply. Requests that
 * arrive meanwhile are kept (bounded) and handled afterwards.
 */
static int
vfs_client_dma(struct vfs_dev *d, uint16_t cmd, uint64_t iova, uint8_t *buf, size_t len)
{
	uint64_t max = d->sess.peer.max_data_xfer_size;
	size_t done = 0;
	int ret = 0;

	if (max == 0 || max > VFU_MAX_XFER)
		max = VFU_MAX_XFER;
	while (done < len) {
		size_t chunk = len - done < max ? len - done : (size_t)max;
		struct vfu_dma_rw rw = { .address = iova + done, .count = chunk };
		size_t out = VFU_HDR_SIZE + sizeof(rw) + (cmd == VFU_CMD_DMA_WRITE ? chunk : 0);
		uint8_t *msg = malloc(out);
		struct vfu_hdr h = {
			.id = d->next_id++, .cmd = cmd, .size = (uint32_t)out,
			.flags = VFU_F_TYPE_COMMAND,
		};
		unsigned int tries;

		if (msg == NULL)
			return -ENOMEM;
		vfu_hdr_encode(msg, &h);
		memcpy(msg + VFU_HDR_SIZE, &rw, sizeof(rw));
		if (cmd == VFU_CMD_DMA_WRITE)
			memcpy(msg + VFU_HDR_SIZE + sizeof(rw), buf + done, chunk);
		ret = vfs_send_all(d->conn_fd, msg, out);
		free(msg);
		d->dma_msgs++;
		if (ret < 0)
			goto broken;

		for (tries = 0;; tries++) {
			struct vfs_msg *q;
			struct vfu_hdr r;

			if (tries > VFS_DEFERRED_MAX || d->ndeferred >= VFS_DEFERRED_MAX) {
				ret = -ENOBUFS;
				goto broken;
			}
			q = &d->deferred[d->ndeferred];
			q->buf = malloc(VFU_MAX_MSG);
			if (q->buf == NULL) {
				ret = -ENOMEM;
				goto broken;
			}
			q->recv_ret = vfs_recv_msg(d, q);
			if (q->recv_ret < 0 && q->recv_ret != -E2BIG && q->recv_ret != -EMSGSIZE) {
				ret = q->recv_ret;
				free(q->buf);
				q->buf = NULL;
				goto broken;
			}
			memcpy(&r, q->buf, sizeof(r));
			if ((r.flags & VFU_F_TYPE_MASK) != VFU_F_TYPE_REPLY) {
				/* A request: handled after this DMA, in arrival order. */
				d->ndeferred++;
				continue;
			}
			vfs_close_all(q->fds, &q->nfds);
			ret = 0;
			if (q->recv_ret < 0 || r.id != h.id || r.cmd != cmd) {
				ret = -EPROTO;
			} else if (r.flags & VFU_F_ERROR) {
				ret = -(int)(r.error != 0 && r.error < 4096 ? r.error : EIO);
			} else if (cmd == VFU_CMD_DMA_READ) {
				if (q->len < VFU_HDR_SIZE + sizeof(rw) + chunk)
					ret = -EIO;
				else
					memcpy(buf + done, q->buf + VFU_HDR_SIZE + sizeof(rw),
					       chunk);
			}
			free(q->buf);
			q->buf = NULL;
			if (ret < 0)
				goto broken;
			break;
		}
		done += chunk;
	}
	return 0;
broken:
	vfs_log(d, FBM_LOG_ERR, "%s iova 0x%llx len %zu failed: %s", vfu_cmd_name(cmd),
		(unsigned long long)iova, len, strerror(-ret));
	d->dma_msg_broken = true;
	return ret;
}

static void
vfs_deferred_clear(struct vfs_dev *d)
{
	unsigned int i;

	for (i = 0; i < d->ndeferred; i++) {
		vfs_close_all(d->deferred[i].fds, &d->deferred[i].nfds);
		free(d->deferred[i].buf);
		d->deferred[i].buf = NULL;
	}
	d->ndeferred = 0;
}

/* Requests that arrived while a DMA message waited for its reply. */
static int
vfs_deferred_run(struct vfs_dev *d)
{
	unsigned int i;
	int ret = 0;

	for (i = 0; i < d->ndeferred && ret == 0; i++) {
		struct vfs_msg *q = &d->deferred[i];

		ret = vfs_handle(d, q, q->recv_ret);
	}
	vfs_deferred_clear(d);
	return ret;
}

int
vfs_dev_service(struct vfs_dev *d)
{
	struct vfs_msg m = { .buf = d->rx };
	int ret;

	if (d->conn_fd < 0)
		return -ECONNRESET;
	d->conn_thread = pthread_self();
	ret = vfs_recv_msg(d, &m);
	if (ret < 0 && ret != -E2BIG && ret != -EMSGSIZE)
		goto gone;
	ret = vfs_handle(d, &m, ret);
	if (ret == 0)
		ret = vfs_deferred_run(d);
	if (ret == 0)
		return 0;
gone:
	if (ret != -ECONNRESET)
		vfs_log(d, FBM_LOG_WARNING, "dropping the client: %s", strerror(-ret));
	else
		vfs_log(d, FBM_LOG_INFO, "client disconnected");
	vfs_dev_detach(d);
	return -ECONNRESET;
}

int
vfs_dev_attach(struct vfs_dev *d, int fd)
{
	if (d->conn_fd >= 0)
		return -EBUSY;
	d->conn_fd = fd;
	d->conn_thread = pthread_self();
	d->dma_msg_broken = false;
	d->connections++;
	vfu_session_reset(&d->sess);
	vfs_log(d, FBM_LOG_INFO, "client connected");
	return 0;
}

int
vfs_dev_conn_fd(const struct vfs_dev *d)
{
	return d->conn_fd;
}

void
vfs_dev_detach(struct vfs_dev *d)
{
	unsigned int i;

	vfs_bounce_flush(d);
	vfs_deferred_clear(d);
	if (d->conn_fd >= 0)
		close(d->conn_fd);
	d->conn_fd = -1;

	/* The device keeps its state; the client's resources go (protocol doc). */
	pthread_mutex_lock(&d->irq_lock);
	for (i = 0; i < FBM_MSIX_VECTORS; i++)
		vfs_set_fd(&d->msix_fd[i], -1);
	vfs_set_fd(&d->intx_fd, -1);
	pthread_mutex_unlock(&d->irq_lock);

	vfs_engine_leave(d);
	while (d->ndma > 0)
		vfs_dma_drop(d, d->ndma - 1);
	vfs_engine_join(d);
	vfu_session_reset(&d->sess);
}

bool
vfs_dev_needs_poll(const struct vfs_dev *d)
{
	return !d->in_engine;
}

void
vfs_dev_poll(struct vfs_dev *d)
{
	d->conn_thread = pthread_self();
	fbm_poll(d->fbm, 64);
	vfs_bounce_flush(d);
	if (d->conn_fd >= 0 && d->ndeferred > 0 && vfs_deferred_run(d) < 0)
		vfs_dev_detach(d);
}

/* ---- Life cycle. ---- */

static void
vfs_desc_init(struct vfu_device_desc *desc)
{
	const uint32_t rw = VFU_REGION_FLAG_READ | VFU_REGION_FLAG_WRITE;

	memset(desc, 0, sizeof(*desc));
	desc->flags = VFU_DEVICE_FLAGS_RESET | VFU_DEVICE_FLAGS_PCI;
	desc->region_size[VFU_REGION_BAR0] = FBM_BAR0_SIZE;
	desc->region_flags[VFU_REGION_BAR0] = rw;
	desc->region_size[VFU_REGION_BAR4] = FBM_BAR4_SIZE;
	desc->region_flags[VFU_REGION_BAR4] = rw;
	desc->region_size[VFU_REGION_CONFIG] = FBM_CFG_SIZE;
	desc->region_flags[VFU_REGION_CONFIG] = rw;
	desc->irq_count[VFU_IRQ_INTX] = 1;
	desc->irq_flags[VFU_IRQ_INTX] = VFU_IRQ_INFO_EVENTFD | VFU_IRQ_INFO_MASKABLE |
					VFU_IRQ_INFO_AUTOMASKED;
	desc->irq_count[VFU_IRQ_MSIX] = FBM_MSIX_VECTORS;
	desc->irq_flags[VFU_IRQ_MSIX] = VFU_IRQ_INFO_EVENTFD | VFU_IRQ_INFO_NORESIZE;
}

int
vfs_dev_create(const struct fbm_config *cfg, int log_level, struct vfs_dev **dp)
{
	struct fbm_host_ops ops;
	struct vfs_dev *d;
	unsigned int i;
	int ret;

	d = calloc(1, sizeof(*d));
	if (d == NULL)
		return -ENOMEM;
	snprintf(d->name, sizeof(d->name), "%s", cfg->name);
	d->log_level = log_level;
	d->conn_fd = -1;
	d->intx_fd = -1;
	for (i = 0; i < FBM_MSIX_VECTORS; i++)
		d->msix_fd[i] = -1;
	pthread_rwlock_init(&d->dma_lock, NULL);
	pthread_mutex_init(&d->irq_lock, NULL);
	d->rx = malloc(VFU_MAX_MSG);
	d->tx = malloc(VFU_MAX_REPLY);
	d->dma = calloc(VFU_MAX_DMA_MAPS, sizeof(*d->dma));
	if (d->rx == NULL || d->tx == NULL || d->dma == NULL) {
		ret = -ENOMEM;
		goto fail;
	}
	vfs_desc_init(&d->desc);
	vfu_session_init(&d->sess, &d->desc, &vfs_backend, d);

	memset(&ops, 0, sizeof(ops));
	ops.ctx = d;
	ops.dma_map = vfs_host_dma_map;
	ops.msix = vfs_host_msix;
	ops.log = vfs_host_log;
	ret = fbm_create(cfg, &ops, &d->fbm);
	if (ret < 0)
		goto fail;
	*dp = d;
	return 0;
fail:
	free(d->rx);
	free(d->tx);
	free(d->dma);
	pthread_rwlock_destroy(&d->dma_lock);
	pthread_mutex_destroy(&d->irq_lock);
	free(d);
	return ret;
}

void
vfs_dev_destroy(struct vfs_dev *d)
{
	if (d == NULL)
		return;
	vfs_dev_detach(d);
	vfs_engine_leave(d);
	fbm_destroy(d->fbm);
	free(d->rx);
	free(d->tx);
	free(d->dma);
	pthread_rwlock_destroy(&d->dma_lock);
	pthread_mutex_destroy(&d->irq_lock);
	free(d);
}

struct fbm_dev *
vfs_dev_model(struct vfs_dev *d)
{
	return d->fbm;
}

const char *
vfs_dev_name(const struct vfs_dev *d)
{
	return d->name;
}

void
vfs_dev_stats_get(const struct vfs_dev *d, struct vfs_dev_stats *st)
{
	memset(st, 0, sizeof(*st));
	st->requests = d->sess.stats.requests;
	st->error_replies = d->sess.stats.errors;
	st->msix_sent = d->msix_sent;
	st->msix_no_fd = d->msix_no_fd;
	st->dma_windows = d->ndma;
	st->dma_msg_windows = d->ndma_msg;
	st->dma_misses = __atomic_load_n(&d->dma_misses, __ATOMIC_RELAXED);
	st->dma_msgs = d->dma_msgs;
	st->connections = d->connections;
}

void
vfs_dev_stats_print(const struct vfs_dev *d, FILE *f)
{
	struct fbm_wire_stats ws;
	struct vfs_dev_stats st;

	vfs_dev_stats_get(d, &st);
	fbm_wire_stats_get(d->fbm, &ws);
	fprintf(f, "%s: connected %d connections %llu requests %llu error_replies %llu "
		"msix_sent %llu msix_no_fd %llu dma_windows %llu dma_msg_windows %llu "
		"dma_misses %llu dma_msgs %llu model_dma_errors %llu "
		"wire_tx %llu wire_tx_drops %llu wire_rx %llu wire_rx_drops %llu "
		"wire_rx_segmented %llu\n",
		d->name, d->conn_fd >= 0, (unsigned long long)st.connections,
		(unsigned long long)st.requests, (unsigned long long)st.error_replies,
		(unsigned long long)st.msix_sent, (unsigned long long)st.msix_no_fd,
		(unsigned long long)st.dma_windows, (unsigned long long)st.dma_msg_windows,
		(unsigned long long)st.dma_misses, (unsigned long long)st.dma_msgs,
		(unsigned long long)fbm_dma_errors(d->fbm),
		(unsigned long long)ws.tx_frames, (unsigned long long)ws.tx_drops,
		(unsigned long long)ws.rx_frames, (unsigned long long)ws.rx_drops,
		(unsigned long long)ws.rx_segmented);
}
