/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

/*
 * Fuzz target for the vfio-user request parser (vfu_proto.c).
 *
 * Input: a stream of vfio-user messages, split by their header size field,
 * all handled by one session whose device is a plain memory array. Any
 * crash, sanitizer report, or reply that breaks the protocol's own rules
 * (wrong id or command, reply flag missing, size field not the reply
 * length, data past the reply buffer) is a failure.
 *
 * Built two ways: with -fsanitize=fuzzer (libFuzzer provides main), or with
 * the standalone main below:
 *   fuzz_vfu CORPUS_DIR [N]   replay every file of CORPUS_DIR, then N seeded
 *                             random mutations of valid messages.
 */

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vfu_proto.h"

#define FZ_BAR_SIZE	4096u
#define FZ_MAX_INPUT	(1u << 20)

static uint8_t fz_bar[FZ_BAR_SIZE];
static uint8_t fz_cfg[256];
static uint8_t fz_reply[VFU_MAX_REPLY];
static unsigned int fz_maps;

static int
fz_region_rw(void *ctx, uint32_t region, uint64_t off, void *data, uint32_t count, bool write)
{
	uint8_t *mem = region == VFU_REGION_CONFIG ? fz_cfg : fz_bar;
	uint64_t size = region == VFU_REGION_CONFIG ? sizeof(fz_cfg) : sizeof(fz_bar);

	(void)ctx;
	/* The parser promised a checked range: verify the promise. */
	if (off > size || count > size - off)
		abort();
	if (write)
		memcpy(mem + off, data, count);
	else
		memcpy(data, mem + off, count);
	return 0;
}

static int
fz_dma_map(void *ctx, const struct vfu_dma_map *m, int fd)
{
	(void)ctx;
	if (fd >= 0)
		close(fd);
	if (m->size == 0 || m->iova + m->size < m->iova)
		abort();
	if (fz_maps >= 4)
		return -ENOSPC;
	fz_maps++;
	return 0;
}

static int
fz_dma_unmap(void *ctx, uint64_t iova, uint64_t size)
{
	(void)ctx;
	(void)iova;
	(void)size;
	if (fz_maps == 0)
		return -ENOENT;
	fz_maps--;
	return 0;
}

static int
fz_set_irqs(void *ctx, const struct vfu_irq_set *set, const uint8_t *bools, int *fds,
	    unsigned int nfds)
{
	unsigned int i;
	volatile uint8_t sink = 0;

	(void)ctx;
	if (set->index >= VFU_NUM_IRQS || (nfds != 0 && nfds != set->count))
		abort();
	for (i = 0; bools != NULL && i < set->count; i++)
		sink ^= bools[i];	/* must stay inside the message */
	for (i = 0; i < nfds; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	(void)sink;
	return 0;
}

static int
fz_reset(void *ctx)
{
	(void)ctx;
	memset(fz_bar, 0, sizeof(fz_bar));
	return 0;
}

static const struct vfu_backend_ops fz_ops = {
	.region_rw = fz_region_rw,
	.dma_map = fz_dma_map,
	.dma_unmap = fz_dma_unmap,
	.set_irqs = fz_set_irqs,
	.reset = fz_reset,
};

static void
fz_desc(struct vfu_device_desc *d)
{
	memset(d, 0, sizeof(*d));
	d->flags = VFU_DEVICE_FLAGS_PCI | VFU_DEVICE_FLAGS_RESET;
	d->region_size[VFU_REGION_BAR0] = FZ_BAR_SIZE;
	d->region_flags[VFU_REGION_BAR0] = VFU_REGION_FLAG_READ | VFU_REGION_FLAG_WRITE;
	d->region_size[VFU_REGION_BAR4] = FZ_BAR_SIZE;
	d->region_flags[VFU_REGION_BAR4] = VFU_REGION_FLAG_READ;
	d->region_size[VFU_REGION_CONFIG] = sizeof(fz_cfg);
	d->region_flags[VFU_REGION_CONFIG] = VFU_REGION_FLAG_READ | VFU_REGION_FLAG_WRITE;
	d->irq_count[VFU_IRQ_INTX] = 1;
	d->irq_flags[VFU_IRQ_INTX] = VFU_IRQ_INFO_EVENTFD | VFU_IRQ_INFO_MASKABLE;
	d->irq_count[VFU_IRQ_MSIX] = 16;
	d->irq_flags[VFU_IRQ_MSIX] = VFU_IRQ_INFO_EVENTFD;
}

static void
fz_check_reply(const uint8_t *req, size_t rlen)
{
	struct vfu_hdr q, r;

	if (rlen == 0)
		return;
	if (rlen < VFU_HDR_SIZE || rlen > VFU_MAX_REPLY)
		abort();
	memcpy(&q, req, sizeof(q));
	memcpy(&r, fz_reply, sizeof(r));
	if (r.id != q.id || r.cmd != q.cmd || r.size != rlen ||
	    (r.flags & VFU_F_TYPE_MASK) != VFU_F_TYPE_REPLY)
		abort();
	if ((r.flags & VFU_F_ERROR) && (rlen != VFU_HDR_SIZE || r.error == 0))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vfu_device_desc desc;
	struct vfu_session s;
	size_t off = 0;
	unsigned int msgs = 0;

	fz_desc(&desc);
	fz_maps = 0;
	vfu_session_init(&s, &desc, &fz_ops, NULL);
	while (size - off >= VFU_HDR_SIZE && msgs++ < 256) {
		struct vfu_hdr h;
		size_t len, rlen;
		uint8_t *copy;

		memcpy(&h, data + off, sizeof(h));
		len = h.size;
		/* A size the stream cannot satisfy: hand over what is left. */
		if (len < VFU_HDR_SIZE || len > size - off)
			len = size - off;
		/* Own copy so that the sanitizer sees reads past the message. */
		copy = malloc(len);
		if (copy == NULL)
			return 0;
		memcpy(copy, data + off, len);
		rlen = vfu_session_handle(&s, copy, len, NULL, 0, fz_reply);
		fz_check_reply(copy, rlen);
		free(copy);
		off += len;
	}
	return 0;
}

#ifndef FBNIC_FUZZ_LIBFUZZER

/* ---- Standalone driver: corpus replay and seeded mutations. ---- */

static uint64_t fz_rng = 0x9e3779b97f4a7c15ull;

static uint32_t
fz_rand(void)
{
	fz_rng ^= fz_rng << 13;
	fz_rng ^= fz_rng >> 7;
	fz_rng ^= fz_rng << 17;
	return (uint32_t)(fz_rng >> 16);
}

static size_t
fz_put_msg(uint8_t *buf, size_t cap, uint16_t cmd, const void *payload, size_t plen)
{
	struct vfu_hdr h = { .id = (uint16_t)fz_rand(), .cmd = cmd,
			     .size = (uint32_t)(VFU_HDR_SIZE + plen) };

	if (VFU_HDR_SIZE + plen > cap)
		return 0;
	memcpy(buf, &h, sizeof(h));
	if (plen != 0)
		memcpy(buf + VFU_HDR_SIZE, payload, plen);
	return VFU_HDR_SIZE + plen;
}

/* A valid session: version, then a few of every request kind. */
static size_t
fz_valid_stream(uint8_t *buf, size_t cap)
{
	static const char caps[] = "{\"capabilities\":{\"max_msg_fds\":16,"
		"\"max_data_xfer_size\":1048576,\"pgsizes\":4096,\"max_dma_maps\":65535,"
		"\"migration\":{\"pgsize\":4096,\"max_bitmap_size\":268435456},"
		"\"write_multiple\":true,\"twin_socket\":{\"supported\":true}}}";
	uint8_t p[256];
	size_t n = 0;

	memset(p, 0, sizeof(p));
	p[0] = 0;
	p[2] = 0;
	memcpy(p + 4, caps, sizeof(caps));
	n += fz_put_msg(buf + n, cap - n, VFU_CMD_VERSION, p, 4 + sizeof(caps));
	{
		struct vfu_device_info i = { .argsz = 16 };

		n += fz_put_msg(buf + n, cap - n, VFU_CMD_DEVICE_GET_INFO, &i, sizeof(i));
	}
	{
		struct vfu_region_info ri = { .argsz = 32, .index = fz_rand() % 10 };

		n += fz_put_msg(buf + n, cap - n, VFU_CMD_DEVICE_GET_REGION_INFO, &ri, sizeof(ri));
	}
	{
		struct vfu_irq_info ii = { .argsz = 16, .index = VFU_IRQ_MSIX };

		n += fz_put_msg(buf + n, cap - n, VFU_CMD_DEVICE_GET_IRQ_INFO, &ii, sizeof(ii));
	}
	{
		struct vfu_dma_map m = { .argsz = 32, .flags = 3, .iova = 0x100000,
					 .size = 0x10000 };

		n += fz_put_msg(buf + n, cap - n, VFU_CMD_DMA_MAP, &m, sizeof(m));
	}
	{
		uint8_t irq[sizeof(struct vfu_irq_set) + 4];
		struct vfu_irq_set set = { .argsz = sizeof(irq),
			.flags = VFU_IRQ_SET_DATA_BOOL | VFU_IRQ_SET_ACTION_TRIGGER,
			.index = VFU_IRQ_MSIX, .start = 2, .count = 4 };

		memcpy(irq, &set, sizeof(set));
		memset(irq + sizeof(set), 1, 4);
		n += fz_put_msg(buf + n, cap - n, VFU_CMD_DEVICE_SET_IRQS, irq, sizeof(irq));
	}
	{
		struct vfu_region_rw rw = { .offset = 8, .region = VFU_REGION_BAR0, .count = 4 };

		n += fz_put_msg(buf + n, cap - n, VFU_CMD_REGION_READ, &rw, sizeof(rw));
	}
	{
		uint8_t w[sizeof(struct vfu_region_rw) + 8];
		struct vfu_region_rw rw = { .offset = 16, .region = VFU_REGION_BAR0, .count = 8 };

		memcpy(w, &rw, sizeof(rw));
		memset(w + sizeof(rw), 0xa5, 8);
		n += fz_put_msg(buf + n, cap - n, VFU_CMD_REGION_WRITE, w, sizeof(w));
	}
	{
		uint8_t w[8 + 2 * sizeof(struct vfu_write_one)];
		struct vfu_write_one one = { .offset = 4, .region = VFU_REGION_BAR0, .count = 4 };
		uint64_t cnt = 2;

		memcpy(w, &cnt, 8);
		memcpy(w + 8, &one, sizeof(one));
		one.offset = 0x10;
		one.region = VFU_REGION_CONFIG;
		memcpy(w + 8 + sizeof(one), &one, sizeof(one));
		n += fz_put_msg(buf + n, cap - n, VFU_CMD_REGION_WRITE_MULTI, w, sizeof(w));
	}
	{
		struct vfu_dma_unmap u = { .argsz = 24, .iova = 0x100000, .size = 0x10000 };

		n += fz_put_msg(buf + n, cap - n, VFU_CMD_DMA_UNMAP, &u, sizeof(u));
	}
	n += fz_put_msg(buf + n, cap - n, VFU_CMD_DEVICE_RESET, NULL, 0);
	return n;
}

static void
fz_mutate(uint8_t *buf, size_t *len, size_t cap)
{
	unsigned int k, edits = 1 + fz_rand() % 8;

	for (k = 0; k < edits && *len > 0; k++) {
		size_t pos = fz_rand() % *len;

		switch (fz_rand() % 6) {
		case 0:
			buf[pos] ^= (uint8_t)(1u << (fz_rand() % 8));
			break;
		case 1:
			buf[pos] = (uint8_t)fz_rand();
			break;
		case 2: {
			/* An interesting 32-bit value over a field. */
			static const uint32_t v[] = { 0, 1, 3, 4, 15, 16, 0x7fffffff, 0x80000000,
						      0xffffffff, 0xfff, 0x1000, 0x10000 };
			uint32_t x = v[fz_rand() % VFU_DIM(v)];

			if (pos + 4 <= *len)
				memcpy(buf + pos, &x, 4);
			break;
		}
		case 3:
			*len = pos;		/* truncate */
			break;
		case 4:
			if (*len + 16 <= cap) {	/* insert bytes */
				memmove(buf + pos + 16, buf + pos, *len - pos);
				memset(buf + pos, (int)fz_rand(), 16);
				*len += 16;
			}
			break;
		default: {
			/* Duplicate a chunk elsewhere. */
			size_t from = fz_rand() % *len, n = fz_rand() % 64;

			if (from + n <= *len && pos + n <= *len)
				memmove(buf + pos, buf + from, n);
			break;
		}
		}
	}
}

static int
fz_replay_dir(const char *dir)
{
	static uint8_t buf[FZ_MAX_INPUT];
	struct dirent *e;
	int files = 0;
	DIR *dp;

	dp = opendir(dir);
	if (dp == NULL) {
		fprintf(stderr, "fuzz_vfu: cannot open %s: %s\n", dir, strerror(errno));
		return -1;
	}
	while ((e = readdir(dp)) != NULL) {
		char path[4096];
		size_t n;
		FILE *f;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		f = fopen(path, "rb");
		if (f == NULL)
			continue;
		n = fread(buf, 1, sizeof(buf), f);
		fclose(f);
		LLVMFuzzerTestOneInput(buf, n);
		files++;
	}
	closedir(dp);
	return files;
}

int
main(int argc, char **argv)
{
	static uint8_t buf[65536];
	unsigned long i, n = 100000;
	int files = 0;

	if (argc > 1) {
		files = fz_replay_dir(argv[1]);
		if (files < 0)
			return 1;
	}
	if (argc > 2)
		n = strtoul(argv[2], NULL, 0);
	for (i = 0; i < n; i++) {
		size_t len = fz_valid_stream(buf, sizeof(buf));

		fz_mutate(buf, &len, sizeof(buf));
		LLVMFuzzerTestOneInput(buf, len);
	}
	printf("fuzz_vfu: %d corpus files, %lu mutated sessions, no failure\n", files, n);
	return 0;
}

#endif /* FBNIC_FUZZ_LIBFUZZER */
