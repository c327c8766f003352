/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

/*
 * Fuzz target of the driver's Rx completion parsing (fbnic_rxtx.c): the
 * entries of an RCQ (HDR_AL, PAY_AL, OPT_META, META) are whatever the input
 * says, and fbnic_recv_pkts() turns them into mbufs on a fake queue: rings
 * and pages in plain memory, each in an allocation of exactly its size (a
 * sanitizer sees any access past them), doorbells into a scratch BAR, where
 * the RCQ tail register (read after a bad completion) says which entries the
 * input wrote.
 *
 * Rules checked after every burst: each mbuf chain is consistent (nb_segs,
 * pkt_len = sum of data_len, data inside its buffer, at most
 * FBNIC_RX_MAX_FRAME bytes), the RCQ head moved by at most one ring, the
 * BDQ heads moved only over pages that were posted and every returned page
 * is posted again, the queue's counters match, and no mbuf is lost.
 *
 * The same for the buffer scheme (fbnic_rx.c): one mbuf of a pool with
 * pinned one-page buffers per posted HPQ slot, each page its own
 * allocation, and its scalar, SSE, AVX2 or AVX-512 burst (those the CPU
 * has). Its
 * rules: every mbuf comes from that pool with its data inside its page and
 * in one segment, the HPQ head moves only over posted slots, the refill
 * keeps the posted count within one refill batch of its target, and with
 * the posted, held and returned mbufs no mbuf of the pool is lost.
 *
 * The same for the split scheme (fbnic_recv_pkts_split()): the copy scheme's
 * queue with a header pool of 256-byte mbufs. Its rules: the first mbuf of a
 * chain comes from the header pool, within its room, the others from the
 * payload pool, and no mbuf of either pool is lost.
 *
 * Input: byte 0 offloads and mbuf size, byte 1 bursts, bytes 2-3 RCQ head
 * (bits 15:14: the buffer scheme's path; bit 15: the split scheme for the
 * copy scheme's queue), bytes 4-7 HPQ/PPQ head and tail
 * (buffer scheme: byte 5 the posted count, byte 6 the PPQ's head, byte 7 its
 * posted count, none with bit 7 clear), byte 8 RCQ entries given (bit 7:
 * buffer scheme), then that many 64-bit entries (DONE is set by the harness
 * unless byte 0 says not), then frame bytes written at the start of every
 * page (buffer scheme: at the first frame's offset).
 *
 * With clang's libFuzzer, build with -fsanitize=fuzzer -DFBNIC_FUZZ_LIBFUZZER
 * (meson option fuzzer). Without it, main() replays the files of a corpus
 * directory (argv[1], optional, "-" for none) and then runs N seeded random
 * mutations of valid completions (argv[2], default 100000; seed argv[3]).
 */

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>

#include <rte_cpuflags.h>

#include "fbnic_csr.h"
#include "fbnic_hw.h"
#include "fbnic_rx.h"
#include "fbnic_rxtx.h"

#include "fuzz_assert.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FZ_RCQ_ENTRIES	128u	/* two per descriptor of the smallest ring */
#define FZ_BDQ_ENTRIES	64u
#define FZ_POOL_SIZE	511u
#define FZ_FRAME_BYTES	512u	/* frame bytes copied to each page */
#define FZ_HDR_LEN	9u
#define FZ_BURST	32u

/* Input byte 0 */
#define FZ_CFG_OFFLOADS	0x1fu	/* IPv4, UDP, TCP checksums, scatter, RSS hash */
#define FZ_CFG_ROOM	0x60u	/* mbuf data room: 256, 1024, 2048, 2048 */
#define FZ_CFG_RAW_DONE	0x80u	/* DONE bits as given */
#define FZ_BUFS_POOL	255u	/* buffer scheme: mbufs with one-page buffers */
#define FZ_BUFS_FIRST	RTE_PKTMBUF_HEADROOM
/* Input byte 8 */
#define FZ_ENTRIES	0x7fu	/* RCQ entries given */
#define FZ_BUFS		0x80u	/* the buffer scheme */
/* Input bytes 2-3 (buffer scheme) */
#define FZ_HEAD_MASK	0x3fffu
#define FZ_PATH_SHIFT	14
/* Input bytes 2-3 (copy scheme): bit 15 the split scheme */
#define FZ_SPLIT	0x8000u
#define FZ_HDR_POOL	255u
#define FZ_HDR_ROOM	256u
/* Input byte 1 */
#define FZ_RUN_BURSTS	0x03u	/* 1..4 bursts */
#define FZ_RUN_NB_PKTS	0x7cu	/* frames asked per burst, 1..32 */
#define FZ_RUN_STARVE	0x80u	/* all but 3 mbufs of the pool held */

static struct rte_mempool *fz_pool;
static struct rte_mempool *fz_hdr_pool;	/* split scheme: header mbufs */
static uint64_t *fz_rcq;
static uint64_t *fz_hpq;
static uint64_t *fz_ppq;
static uint8_t *fz_hpq_pages;
static uint8_t *fz_ppq_pages;
static uint64_t fz_hpq_iova[FZ_BDQ_ENTRIES];
static uint64_t fz_ppq_iova[FZ_BDQ_ENTRIES];
/* BAR0 up to queue 0's RCQ_PTRS; the doorbells are words 0 to 2 */
static uint32_t fz_bar0[FBNIC_QUEUE(0) + FBNIC_QUEUE_RCQ_PTRS + 1];
static struct fbnic_hw fz_hw;
static uint64_t fz_alloc_failed;
/* What the bursts did, for the standalone summary */
static uint64_t fz_frames;
static uint64_t fz_dropped;

static const uint64_t fz_offloads[] = {
	RTE_ETH_RX_OFFLOAD_IPV4_CKSUM, RTE_ETH_RX_OFFLOAD_UDP_CKSUM,
	RTE_ETH_RX_OFFLOAD_TCP_CKSUM, RTE_ETH_RX_OFFLOAD_SCATTER,
	RTE_ETH_RX_OFFLOAD_RSS_HASH,
};
static const uint16_t fz_rooms[] = { 256, 1024, 2048, 2048 };

/* Buffer scheme */
static struct rte_mempool *fz_bufs_pool;
static struct rte_mbuf *fz_bufs[FZ_BDQ_ENTRIES];
static struct rte_mbuf *fz_ppq_bufs[FZ_BDQ_ENTRIES];
static uint64_t fz_bufs_frames;

typedef uint16_t (*fz_burst_t)(void *rxq, struct rte_mbuf **pkts, uint16_t n);
static fz_burst_t fz_bufs_paths[4];

static void *
fz_alloc(size_t len)
{
	void *p = malloc(len);

	FUZZ_ASSERT(p != NULL, "out of memory");
	return p;
}

/* The buffer scheme's pool: each page its own allocation, as a sanitizer should see it. */
static void
fz_bufs_init(void)
{
	static struct rte_pktmbuf_extmem ext[FZ_BUFS_POOL];
	unsigned int i;

	for (i = 0; i < FZ_BUFS_POOL; i++) {
		ext[i].buf_ptr = aligned_alloc(FBNIC_RX_PAGE_SIZE, FBNIC_RX_PAGE_SIZE);
		FUZZ_ASSERT(ext[i].buf_ptr != NULL, "out of memory");
		memset(ext[i].buf_ptr, (int)i, FBNIC_RX_PAGE_SIZE);
		ext[i].buf_iova = 0x300000000ull + (uint64_t)i * FBNIC_RX_PAGE_SIZE;
		ext[i].buf_len = FBNIC_RX_PAGE_SIZE;
		ext[i].elt_size = FBNIC_RX_PAGE_SIZE;
	}
	fz_bufs_pool = rte_pktmbuf_pool_create_extbuf("fuzz_rx_bufs", FZ_BUFS_POOL, 0, 0,
						      FBNIC_RX_PAGE_SIZE, SOCKET_ID_ANY, ext,
						      FZ_BUFS_POOL);
	FUZZ_ASSERT(fz_bufs_pool != NULL, "no buffer-scheme pool");
	fz_bufs_paths[0] = fbnic_recv_pkts_bufs;
	fz_bufs_paths[1] = fbnic_recv_pkts_bufs;
	fz_bufs_paths[2] = fbnic_recv_pkts_bufs;
	fz_bufs_paths[3] = fbnic_recv_pkts_bufs;
#ifdef RTE_ARCH_X86
	if (rte_cpu_get_flag_enabled(RTE_CPUFLAG_SSE4_2) > 0)
		fz_bufs_paths[1] = fbnic_recv_pkts_bufs_sse;
#ifdef CC_AVX2_SUPPORT
	if (rte_cpu_get_flag_enabled(RTE_CPUFLAG_AVX2) > 0)
		fz_bufs_paths[2] = fbnic_recv_pkts_bufs_avx2;
#endif
#ifdef CC_AVX512_SUPPORT
	if (rte_cpu_get_flag_enabled(RTE_CPUFLAG_AVX512F) > 0)
		fz_bufs_paths[3] = fbnic_recv_pkts_bufs_avx512;
#endif
#endif
}

/* EAL (for the mempool) and the queue's memory, once per process. */
static void
fz_init(void)
{
	static const char *const args[] = {
		"fuzz_rx_cmpl", "--no-huge", "-m", "64", "--no-shconf", "--no-pci", "-l", "0",
		"--no-telemetry", "--log-level=lib.eal:error", "--log-level=pmd.net.fbnic.*:error",
	};
	size_t pages = (size_t)FZ_BDQ_ENTRIES * FBNIC_RX_PAGE_SIZE, i;
	char *argv[RTE_DIM(args)];

	if (fz_pool != NULL)
		return;
	/* EAL reorders argv, not the strings. */
	for (i = 0; i < RTE_DIM(args); i++)
		argv[i] = (char *)(uintptr_t)args[i];
	FUZZ_ASSERT(rte_eal_init((int)RTE_DIM(argv), argv) >= 0, "EAL init failed");
	fz_pool = rte_pktmbuf_pool_create("fuzz_rx_cmpl", FZ_POOL_SIZE, 0, 0,
					  RTE_PKTMBUF_HEADROOM + 2048, SOCKET_ID_ANY);
	FUZZ_ASSERT(fz_pool != NULL, "no mbuf pool");
	fz_hdr_pool = rte_pktmbuf_pool_create("fuzz_rx_hdr", FZ_HDR_POOL, 0, 0,
					      RTE_PKTMBUF_HEADROOM + FZ_HDR_ROOM, SOCKET_ID_ANY);
	FUZZ_ASSERT(fz_hdr_pool != NULL, "no header pool");
	fz_rcq = fz_alloc(FZ_RCQ_ENTRIES * sizeof(*fz_rcq));
	fz_hpq = fz_alloc(FZ_BDQ_ENTRIES * sizeof(*fz_hpq));
	fz_ppq = fz_alloc(FZ_BDQ_ENTRIES * sizeof(*fz_ppq));
	fz_hpq_pages = fz_alloc(pages);
	fz_ppq_pages = fz_alloc(pages);
	for (i = 0; i < pages; i++) {
		fz_hpq_pages[i] = (uint8_t)(i * 7);
		fz_ppq_pages[i] = (uint8_t)(i * 13);
	}
	for (i = 0; i < FZ_BDQ_ENTRIES; i++) {
		fz_hpq_iova[i] = 0x100000000ull + i * FBNIC_RX_PAGE_SIZE;
		fz_ppq_iova[i] = 0x200000000ull + i * FBNIC_RX_PAGE_SIZE;
	}
	fz_hw.bar0 = (uint8_t *)fz_bar0;
	fz_bufs_init();
}

/* The queue as fbnic_rx_queue_setup() and a start would leave it, as the input says. */
static void
fz_queue_init(struct fbnic_rx_queue *rxq, const uint8_t *hdr)
{
	unsigned int i;

	memset(rxq, 0, sizeof(*rxq));
	rxq->scheme = FBNIC_RX_SCHEME_COPY;
	rxq->rcq = fz_rcq;
	rxq->hpq = fz_hpq;
	rxq->ppq = fz_ppq;
	rxq->hpq_pages = fz_hpq_pages;
	rxq->ppq_pages = fz_ppq_pages;
	rxq->hpq_pages_iova = fz_hpq_iova;
	rxq->ppq_pages_iova = fz_ppq_iova;
	rxq->mp = fz_pool;
	rxq->hw = &fz_hw;
	rxq->rcq_mask = FZ_RCQ_ENTRIES - 1;
	rxq->rcq_head = (uint32_t)(hdr[2] | hdr[3] << 8);
	rxq->bdq_mask = FZ_BDQ_ENTRIES - 1;
	rxq->hpq_head = hdr[4] & rxq->bdq_mask;
	rxq->hpq_tail = hdr[5] & rxq->bdq_mask;
	rxq->ppq_head = hdr[6] & rxq->bdq_mask;
	rxq->ppq_tail = hdr[7] & rxq->bdq_mask;
	rxq->mbuf_room = fz_rooms[(hdr[0] & FZ_CFG_ROOM) >> 5];
	rxq->rcq_head_reg = 0;
	rxq->hpq_tail_reg = 1;
	rxq->ppq_tail_reg = 2;
	rxq->alloc_failed = &fz_alloc_failed;
	rxq->nb_desc = FZ_RCQ_ENTRIES;
	rxq->nb_rx_desc = FZ_RCQ_ENTRIES / 2;
	rxq->nb_bdq = FZ_BDQ_ENTRIES;
	rxq->started = true;
	for (i = 0; i < RTE_DIM(fz_offloads); i++)
		if (hdr[0] & (1u << i))
			rxq->offloads |= fz_offloads[i];
}

/*
 * The buffer scheme's queue after a start: hpq_fill mbufs posted from the
 * HPQ head, as fbnic_rx_bufs_fill() leaves it (its BDs carry their pages).
 */
static void
fz_bufs_queue_init(struct fbnic_rx_queue *rxq, const uint8_t *hdr)
{
	struct rte_mbuf mb;
	uint16_t fill = (uint16_t)(1 + hdr[5] % (FZ_BDQ_ENTRIES - 1)), i;

	rxq->rcq_head &= FZ_HEAD_MASK;
	rxq->scheme = FBNIC_RX_SCHEME_BUFS;
	rxq->bufs = fz_bufs;
	rxq->bufs_mp = fz_bufs_pool;
	rxq->buf_first_off = FZ_BUFS_FIRST;
	rxq->buf_max_len = (uint16_t)(FBNIC_RX_PAGE_SIZE - FZ_BUFS_FIRST);
	rxq->mbuf_room = rxq->buf_max_len;
	rxq->nb_hpq = FZ_BDQ_ENTRIES;
	rxq->hpq_fill = fill;
	rxq->offloads &= FBNIC_RX_VEC_OFFLOADS | RTE_ETH_RX_OFFLOAD_IPV4_CKSUM |
			 RTE_ETH_RX_OFFLOAD_UDP_CKSUM | RTE_ETH_RX_OFFLOAD_TCP_CKSUM;
	memset(&mb, 0, sizeof(mb));
	mb.data_off = FZ_BUFS_FIRST;
	mb.nb_segs = 1;
	rte_mbuf_refcnt_set(&mb, 1);
	memcpy(&rxq->mbuf_initializer, (uint8_t *)&mb + FBNIC_MBUF_REARM_OFF,
	       sizeof(rxq->mbuf_initializer));
	rxq->hpq_tail = rxq->hpq_head;
	for (i = 0; i < fill; i++) {
		uint16_t slot = (uint16_t)((rxq->hpq_head + i) & rxq->bdq_mask);

		FUZZ_ASSERT(rte_mempool_get(fz_bufs_pool, (void **)&fz_bufs[slot]) == 0,
			    "buffer-scheme pool empty at start");
		fz_hpq[slot] = rte_mbuf_iova_get(fz_bufs[slot]) | (uint64_t)slot << 48;
	}
	rxq->hpq_tail = (uint16_t)((rxq->hpq_head + fill) & rxq->bdq_mask);
	/* With byte 7 bit 7: a PPQ, as for scatter and frames over one buffer. */
	rxq->ppq_head = hdr[6] & rxq->bdq_mask;
	rxq->ppq_tail = rxq->ppq_head;
	if (!(hdr[7] & 0x80))
		return;
	rxq->ppq_bufs = fz_ppq_bufs;
	rxq->ppq_fill = (uint16_t)(1 + (hdr[7] & 0x7f) % (FZ_BDQ_ENTRIES - 1));
	rxq->offloads |= RTE_ETH_RX_OFFLOAD_SCATTER;
	for (i = 0; i < rxq->ppq_fill; i++) {
		uint16_t slot = (uint16_t)((rxq->ppq_head + i) & rxq->bdq_mask);

		FUZZ_ASSERT(rte_mempool_get(fz_bufs_pool, (void **)&fz_ppq_bufs[slot]) == 0,
			    "buffer-scheme pool empty at start");
		fz_ppq[slot] = rte_mbuf_iova_get(fz_ppq_bufs[slot]) | (uint64_t)slot << 48;
	}
	rxq->ppq_tail = (uint16_t)((rxq->ppq_head + rxq->ppq_fill) & rxq->bdq_mask);
}

/* RCQ entries and page contents from the input. */
static void
fz_rings_fill(const struct fbnic_rx_queue *rxq, const uint8_t *data, size_t size)
{
	size_t n = data[8] & FZ_ENTRIES, frame, i;
	const uint8_t *p = data + FZ_HDR_LEN;

	if (n > (size - FZ_HDR_LEN) / 8)
		n = (size - FZ_HDR_LEN) / 8;
	/* The device leaves one entry free: a full ring would read as empty */
	if (n > FZ_RCQ_ENTRIES - 1)
		n = FZ_RCQ_ENTRIES - 1;
	/* Entries not given are stale: DONE of the previous pass */
	for (i = 0; i < FZ_RCQ_ENTRIES; i++) {
		uint32_t pos = rxq->rcq_head + (uint32_t)i;

		fz_rcq[pos & rxq->rcq_mask] = (pos & FZ_RCQ_ENTRIES) ? FBNIC_RCD_DONE : 0;
	}
	for (i = 0; i < n; i++, p += 8) {
		uint32_t pos = rxq->rcq_head + (uint32_t)i;
		uint64_t rcd;

		memcpy(&rcd, p, sizeof(rcd));
		rcd = rte_le_to_cpu_64(rcd);
		if (!(data[0] & FZ_CFG_RAW_DONE)) {
			rcd &= ~FBNIC_RCD_DONE;
			if (!(pos & FZ_RCQ_ENTRIES))
				rcd |= FBNIC_RCD_DONE;
		}
		fz_rcq[pos & rxq->rcq_mask] = rte_cpu_to_le_64(rcd);
	}
	/* The device's tail: just past the entries it wrote */
	fz_bar0[FBNIC_QUEUE(0) + FBNIC_QUEUE_RCQ_PTRS] =
		FBNIC_FIELD_PREP(FBNIC_QUEUE_RCQ_PTRS_TAIL_MASK,
				 (rxq->rcq_head + (uint32_t)n) & rxq->rcq_mask);
	frame = size - FZ_HDR_LEN - 8 * n;
	if (frame > FZ_FRAME_BYTES)
		frame = FZ_FRAME_BYTES;
	if (rxq->scheme == FBNIC_RX_SCHEME_BUFS) {
		for (i = rxq->hpq_head; i != rxq->hpq_tail; i = (i + 1) & rxq->bdq_mask)
			memcpy((uint8_t *)fz_bufs[i]->buf_addr + FZ_BUFS_FIRST, p, frame);
		return;
	}
	for (i = 0; i < FZ_BDQ_ENTRIES; i++) {
		uint8_t *hp = fz_hpq_pages + i * FBNIC_RX_PAGE_SIZE;
		uint8_t *pp = fz_ppq_pages + i * FBNIC_RX_PAGE_SIZE;

		memcpy(hp, p, frame);
		memset(hp + frame, 0, FZ_FRAME_BYTES - frame);
		memcpy(pp, p, frame);
		memset(pp + frame, 0, FZ_FRAME_BYTES - frame);
	}
}

static void
fz_check_mbuf(const struct fbnic_rx_queue *rxq, const struct rte_mbuf *m)
{
	const struct rte_mbuf *s;
	uint32_t len = 0, segs = 0;

	bool split = rxq->scheme == FBNIC_RX_SCHEME_SPLIT;

	for (s = m; s != NULL; s = s->next) {
		bool hdr = split && s == m;

		FUZZ_ASSERT(++segs <= FBNIC_RX_MBUF_CACHE + (uint32_t)split, "mbuf chain too long");
		FUZZ_ASSERT(s->pool == (hdr ? fz_hdr_pool : fz_pool) &&
			    s->data_len <= (hdr ? rxq->hdr_room : rxq->mbuf_room) &&
			    (uint32_t)s->data_off + s->data_len <= s->buf_len,
			    "segment outside its mbuf");
		FUZZ_ASSERT(s == m || s->data_len != 0, "empty segment in a chain");
		len += s->data_len;
	}
	FUZZ_ASSERT(segs == m->nb_segs && len == m->pkt_len && len != 0 &&
		    len <= FBNIC_RX_MAX_FRAME, "mbuf chain does not add up");
	FUZZ_ASSERT(segs == 1 || split || (rxq->offloads & RTE_ETH_RX_OFFLOAD_SCATTER),
		    "chain without scatter");
	FUZZ_ASSERT((rxq->offloads & RTE_ETH_RX_OFFLOAD_RSS_HASH) ||
		    !(m->ol_flags & RTE_MBUF_F_RX_RSS_HASH), "RSS hash flag without the offload");
}

/* Head moved from old over at most the pages posted in [old, tail). */
static void
fz_check_bdq(uint16_t old, uint16_t head, uint16_t old_tail, uint16_t tail, uint16_t mask,
	     bool consumed)
{
	FUZZ_ASSERT(((head - old) & mask) <= ((old_tail - old) & mask),
		    "BDQ head moved over pages never posted");
	FUZZ_ASSERT(!consumed || tail == ((head - 1) & mask), "returned pages not posted again");
	FUZZ_ASSERT(consumed || (head == old && tail == old_tail),
		    "BDQ moved without a completion consumed");
}

static void
fz_burst(struct fbnic_rx_queue *rxq, uint16_t nb_pkts)
{
	struct rte_mbuf *pkts[FZ_BURST];
	uint16_t hpq = rxq->hpq_head, ppq = rxq->ppq_head;
	uint16_t hpq_tail = rxq->hpq_tail, ppq_tail = rxq->ppq_tail;
	uint64_t packets = rxq->stats.packets, bytes = rxq->stats.bytes, got = 0;
	uint64_t errors = rxq->stats.errors;
	uint32_t head = rxq->rcq_head;
	uint16_t n, i;

	if (rxq->scheme == FBNIC_RX_SCHEME_SPLIT)
		n = fbnic_recv_pkts_split(rxq, pkts, nb_pkts);
	else
		n = fbnic_recv_pkts(rxq, pkts, nb_pkts);
	FUZZ_ASSERT(n <= nb_pkts, "more frames than asked: %u of %u", n, nb_pkts);
	FUZZ_ASSERT(rxq->rcq_head - head <= FZ_RCQ_ENTRIES, "RCQ head moved by more than the ring");
	fz_check_bdq(hpq, rxq->hpq_head, hpq_tail, rxq->hpq_tail, rxq->bdq_mask,
		     rxq->rcq_head != head);
	fz_check_bdq(ppq, rxq->ppq_head, ppq_tail, rxq->ppq_tail, rxq->bdq_mask,
		     rxq->rcq_head != head);
	FUZZ_ASSERT(n == 0 || rxq->rcq_head != head, "frames without a completion consumed");
	for (i = 0; i < n; i++) {
		fz_check_mbuf(rxq, pkts[i]);
		got += pkts[i]->pkt_len;
	}
	FUZZ_ASSERT(rxq->stats.packets - packets == n && rxq->stats.bytes - bytes == got,
		    "queue counters: %" PRIu64 " frames, %" PRIu64 " bytes for a burst of %u, %"
		    PRIu64 " bytes", rxq->stats.packets - packets, rxq->stats.bytes - bytes, n,
		    got);
	fz_frames += n;
	fz_dropped += rxq->stats.errors - errors;
	rte_pktmbuf_free_bulk(pkts, n);
	FUZZ_ASSERT(fbnic_rx_queue_count(rxq) <= (int)FZ_RCQ_ENTRIES,
		    "queue count beyond the ring");
	for (i = 0; i < FZ_RCQ_ENTRIES / 2; i++)
		FUZZ_ASSERT(fbnic_rx_descriptor_status(rxq, i) >= 0,
			    "descriptor status refused a valid offset");
}

static void
fz_bufs_check_mbuf(const struct fbnic_rx_queue *rxq, const struct rte_mbuf *m)
{
	const struct rte_mbuf *s;
	uint32_t len = 0, segs = 0;

	FUZZ_ASSERT(m->data_off >= FZ_BUFS_FIRST,
		    "buffer-scheme frame in front of the first offset");
	for (s = m; s != NULL; s = s->next) {
		FUZZ_ASSERT(++segs <= FBNIC_RX_MAX_RCD, "buffer-scheme chain too long");
		FUZZ_ASSERT(s->pool == fz_bufs_pool && RTE_MBUF_HAS_PINNED_EXTBUF(s) &&
			    s->buf_len == FBNIC_RX_PAGE_SIZE && s->data_len != 0 &&
			    (uint32_t)s->data_off + s->data_len <= s->buf_len &&
			    rte_mbuf_refcnt_read(s) == 1, "buffer-scheme mbuf inconsistent");
		len += s->data_len;
	}
	FUZZ_ASSERT(segs == m->nb_segs && len == m->pkt_len, "buffer-scheme chain does not add up");
	FUZZ_ASSERT(segs == 1 || rxq->ppq_fill != 0, "buffer-scheme chain without a PPQ");
}

static void
fz_bufs_burst(struct fbnic_rx_queue *rxq, uint16_t nb_pkts, fz_burst_t burst)
{
	struct rte_mbuf *pkts[FZ_BURST];
	uint16_t hpq = rxq->hpq_head, hpq_tail = rxq->hpq_tail, n, i;
	uint64_t packets = rxq->stats.packets, bytes = rxq->stats.bytes, got = 0;
	uint32_t head = rxq->rcq_head, posted_before = (hpq_tail - hpq) & rxq->bdq_mask, posted;
	uint16_t ppq = rxq->ppq_head;
	uint32_t ppq_before = (rxq->ppq_tail - ppq) & rxq->bdq_mask;

	n = burst(rxq, pkts, nb_pkts);
	FUZZ_ASSERT(n <= nb_pkts, "more frames than asked: %u of %u", n, nb_pkts);
	FUZZ_ASSERT(rxq->rcq_head - head <= FZ_RCQ_ENTRIES, "RCQ head moved by more than the ring");
	FUZZ_ASSERT(((rxq->hpq_head - hpq) & rxq->bdq_mask) <= posted_before,
		    "HPQ head moved over slots never posted");
	FUZZ_ASSERT(((rxq->ppq_head - ppq) & rxq->bdq_mask) <= ppq_before,
		    "PPQ head moved over slots never posted");
	FUZZ_ASSERT(((rxq->ppq_tail - rxq->ppq_head) & rxq->bdq_mask) <= rxq->ppq_fill,
		    "more PPQ buffers posted than the queue keeps");
	posted = (rxq->hpq_tail - rxq->hpq_head) & rxq->bdq_mask;
	FUZZ_ASSERT(posted <= rxq->hpq_fill, "more buffers posted than the queue keeps");
	FUZZ_ASSERT(rxq->rcq_head == head || posted + 32 > rxq->hpq_fill ||
		    rte_mempool_avail_count(fz_bufs_pool) < 64,
		    "buffers taken back and not posted again");
	FUZZ_ASSERT(n == 0 || rxq->rcq_head != head, "frames without a completion consumed");
	for (i = 0; i < n; i++) {
		fz_bufs_check_mbuf(rxq, pkts[i]);
		got += pkts[i]->pkt_len;
	}
	FUZZ_ASSERT(rxq->stats.packets - packets == n && rxq->stats.bytes - bytes == got,
		    "queue counters: %" PRIu64 " frames, %" PRIu64 " bytes for a burst of %u, %"
		    PRIu64 " bytes", rxq->stats.packets - packets, rxq->stats.bytes - bytes, n,
		    got);
	fz_bufs_frames += n;
	rte_pktmbuf_free_bulk(pkts, n);
}

static int
fz_bufs_one(const uint8_t *data, size_t size)
{
	struct rte_mbuf *held[FZ_BUFS_POOL];
	struct fbnic_rx_queue *rxq;
	unsigned int bursts, nheld = 0, b;
	fz_burst_t burst;
	uint16_t nb_pkts;

	rxq = fz_alloc(sizeof(*rxq));
	fz_queue_init(rxq, data);
	fz_bufs_queue_init(rxq, data);
	fz_rings_fill(rxq, data, size);
	burst = fz_bufs_paths[(data[2] | data[3] << 8) >> FZ_PATH_SHIFT];
	bursts = 1 + (data[1] & FZ_RUN_BURSTS);
	nb_pkts = (uint16_t)(1 + ((data[1] & FZ_RUN_NB_PKTS) >> 2));
	if (data[1] & FZ_RUN_STARVE) {
		while (rte_mempool_avail_count(fz_bufs_pool) > 3 &&
		       rte_mempool_get(fz_bufs_pool, (void **)&held[nheld]) == 0)
			nheld++;
	}
	for (b = 0; b < bursts; b++)
		fz_bufs_burst(rxq, nb_pkts, burst);
	if (nheld != 0)
		rte_mempool_put_bulk(fz_bufs_pool, (void **)held, nheld);
	/* The queue stops: what is posted comes back. */
	fbnic_rx_bufs_drain(rxq);
	FUZZ_ASSERT(rte_mempool_avail_count(fz_bufs_pool) == FZ_BUFS_POOL,
		    "buffer-scheme mbufs lost: %u of %u back",
		    rte_mempool_avail_count(fz_bufs_pool), FZ_BUFS_POOL);
	free(rxq);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rte_mbuf *held[FZ_POOL_SIZE];
	struct fbnic_rx_queue *rxq;
	unsigned int bursts, nheld = 0, b;
	uint16_t nb_pkts;

	if (size < FZ_HDR_LEN)
		return 0;
	fz_init();
	if (data[8] & FZ_BUFS)
		return fz_bufs_one(data, size);
	rxq = fz_alloc(sizeof(*rxq));
	fz_queue_init(rxq, data);
	if (rxq->rcq_head & FZ_SPLIT) {
		rxq->rcq_head &= ~FZ_SPLIT;
		rxq->scheme = FBNIC_RX_SCHEME_SPLIT;
		rxq->offloads |= RTE_ETH_RX_OFFLOAD_BUFFER_SPLIT;
		rxq->hdr_mp = fz_hdr_pool;
		rxq->hdr_room = FZ_HDR_ROOM;
		rxq->split_max_hdr = FZ_HDR_ROOM;
	}
	fz_rings_fill(rxq, data, size);
	bursts = 1 + (data[1] & FZ_RUN_BURSTS);
	nb_pkts = (uint16_t)(1 + ((data[1] & FZ_RUN_NB_PKTS) >> 2));
	if (data[1] & FZ_RUN_STARVE) {
		while (rte_mempool_avail_count(fz_pool) > 3 &&
		       (held[nheld] = rte_pktmbuf_alloc(fz_pool)) != NULL)
			nheld++;
	}

	for (b = 0; b < bursts; b++)
		fz_burst(rxq, nb_pkts);

	while (nheld > 0)
		rte_pktmbuf_free(held[--nheld]);
	rte_pktmbuf_free_bulk(rxq->mcache, rxq->mcache_n);
	FUZZ_ASSERT(rte_mempool_avail_count(fz_pool) == FZ_POOL_SIZE, "mbufs lost: %u of %u back",
		    rte_mempool_avail_count(fz_pool), FZ_POOL_SIZE);
	FUZZ_ASSERT(rte_mempool_avail_count(fz_hdr_pool) == FZ_HDR_POOL,
		    "header mbufs lost: %u of %u back", rte_mempool_avail_count(fz_hdr_pool),
		    FZ_HDR_POOL);
	free(rxq);
	return 0;
}

#ifndef FBNIC_FUZZ_LIBFUZZER

static uint64_t rng_state;

static uint32_t
rng(void)
{
	/* xorshift64*: deterministic for a given seed */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (uint32_t)((rng_state * 0x2545f4914f6cdd1dull) >> 32);
}

static void
run_one(const uint8_t *data, size_t size)
{
	uint8_t *copy = malloc(size ? size : 1);

	FUZZ_ASSERT(copy != NULL, "out of memory");
	if (size)
		memcpy(copy, data, size);
	LLVMFuzzerTestOneInput(copy, size);
	free(copy);
}

static size_t
put_rcd(uint8_t *p, uint64_t rcd)
{
	rcd = rte_cpu_to_le_64(rcd);
	memcpy(p, &rcd, sizeof(rcd));
	return sizeof(rcd);
}

static uint64_t
al(unsigned int type, uint16_t id, uint32_t off, uint32_t len, bool fin)
{
	return FBNIC_FIELD_PREP(FBNIC_RCD_TYPE_MASK, type) |
	       FBNIC_FIELD_PREP(FBNIC_RCD_AL_BUFF_ID_MASK, id) |
	       FBNIC_FIELD_PREP(FBNIC_RCD_AL_BUFF_OFF_MASK, off) |
	       FBNIC_FIELD_PREP(FBNIC_RCD_AL_BUFF_LEN_MASK, len) |
	       (fin ? FBNIC_RCD_AL_PAGE_FIN : 0);
}

/*
 * A frame's last entries: OPT_META if asked, then a META of random fields,
 * now and then with an error. Returns the bytes written; *n counts entries.
 */
static size_t
put_frame_end(uint8_t *p, bool opt_meta, unsigned int *n)
{
	uint64_t meta = ((uint64_t)rng() << 32 | rng()) & ~(FBNIC_RCD_TYPE_MASK | FBNIC_RCD_DONE);
	size_t len = 0;

	if (opt_meta) {
		len += put_rcd(p, FBNIC_FIELD_PREP(FBNIC_RCD_TYPE_MASK, FBNIC_RCD_TYPE_OPT_META));
		(*n)++;
	}
	if (rng() % 8 != 0)
		meta &= ~FBNIC_RCD_META_UNCORRECTABLE_ERR_MASK;
	len += put_rcd(p + len, FBNIC_FIELD_PREP(FBNIC_RCD_TYPE_MASK, FBNIC_RCD_TYPE_META) | meta);
	(*n)++;
	return len;
}

/* Frames as the NIC writes them: HDR_AL, PAY_AL..., OPT_META?, META. */
static size_t
make_valid(uint8_t *buf, size_t cap)
{
	uint16_t hpq = (uint16_t)(rng() % FZ_BDQ_ENTRIES), ppq = (uint16_t)(rng() % FZ_BDQ_ENTRIES);
	unsigned int frames = 1 + rng() % 8, f, n = 0, i;
	size_t len = FZ_HDR_LEN;

	buf[0] = (uint8_t)(rng() & ~FZ_CFG_RAW_DONE);
	buf[1] = (uint8_t)(rng() & ~FZ_RUN_STARVE);
	buf[2] = (uint8_t)rng();
	buf[3] = (uint8_t)rng();
	/* Every page but one posted, as after a refill */
	buf[4] = (uint8_t)hpq;
	buf[5] = (uint8_t)((hpq - 1) & (FZ_BDQ_ENTRIES - 1));
	buf[6] = (uint8_t)ppq;
	buf[7] = (uint8_t)((ppq - 1) & (FZ_BDQ_ENTRIES - 1));
	for (f = 0; f < frames && len + 8 * 8 <= cap; f++) {
		unsigned int pay = rng() % 4;

		len += put_rcd(buf + len, al(FBNIC_RCD_TYPE_HDR_AL, hpq, 0, 60 + rng() % 400,
					     true));
		hpq = (hpq + 1) & (FZ_BDQ_ENTRIES - 1);
		n++;
		for (i = 0; i < pay; i++) {
			len += put_rcd(buf + len, al(FBNIC_RCD_TYPE_PAY_AL, ppq, 0,
						     1 + rng() % 4000, true));
			ppq = (ppq + 1) & (FZ_BDQ_ENTRIES - 1);
			n++;
		}
		len += put_frame_end(buf + len, rng() % 4 == 0, &n);
	}
	buf[8] = (uint8_t)n;
	/* Ethernet + IPv4 + UDP header, then some payload */
	for (i = 0; i < 64 && len < cap; i++)
		buf[len++] = (uint8_t)(i == 12 ? 0x08 : i == 14 ? 0x45 : i == 23 ? 17 : rng());
	return len;
}

/* Frames as the NIC writes them in the buffer scheme: one per buffer, mostly. */
static size_t
make_valid_bufs(uint8_t *buf, size_t cap)
{
	uint16_t hpq = (uint16_t)(rng() % FZ_BDQ_ENTRIES), id, ppq;
	unsigned int frames = 1 + rng() % 24, f, n = 0, i;
	uint32_t head = rng() & FZ_HEAD_MASK;
	size_t len = FZ_HDR_LEN;

	buf[0] = (uint8_t)(rng() & ~FZ_CFG_RAW_DONE);
	buf[1] = (uint8_t)(rng() & ~FZ_RUN_STARVE);
	head |= (rng() % 4) << FZ_PATH_SHIFT;
	buf[2] = (uint8_t)head;
	buf[3] = (uint8_t)(head >> 8);
	buf[4] = (uint8_t)hpq;
	buf[5] = (uint8_t)(32 + rng() % 31);	/* posted: 33 to 63 */
	ppq = (uint16_t)(rng() % FZ_BDQ_ENTRIES);
	buf[6] = (uint8_t)ppq;
	buf[7] = (uint8_t)(rng() % 2 ? 0x80 | (32 + rng() % 31) : 0);
	id = hpq;
	for (f = 0; f < frames && len + 8 * 8 <= cap && n + 8 <= FZ_ENTRIES; f++) {
		bool shared = rng() % 16 == 0;	/* a second frame in the same buffer */

		if (shared) {
			len += put_rcd(buf + len, al(FBNIC_RCD_TYPE_HDR_AL, id, FZ_BUFS_FIRST,
						     60 + rng() % 200, false));
			len += put_rcd(buf + len, FBNIC_FIELD_PREP(FBNIC_RCD_TYPE_MASK,
								   FBNIC_RCD_TYPE_META));
			n += 2;
		}
		len += put_rcd(buf + len, al(FBNIC_RCD_TYPE_HDR_AL, id,
					     shared ? 2048 : FZ_BUFS_FIRST,
					     shared ? 60 + rng() % 1900 : 60 + rng() % 3900, true));
		id = (id + 1) & (FZ_BDQ_ENTRIES - 1);
		n++;
		/* A jumbo frame: its payload in PPQ buffers of its own */
		for (i = 0; (buf[7] & 0x80) && !shared && rng() % 3 == 0 && i < 3 &&
		     len + 3 * 8 <= cap; i++) {
			len += put_rcd(buf + len, al(FBNIC_RCD_TYPE_PAY_AL, ppq, 0,
						     1 + rng() % 4096, true));
			ppq = (ppq + 1) & (FZ_BDQ_ENTRIES - 1);
			n++;
		}
		len += put_frame_end(buf + len, rng() % 8 == 0, &n);
	}
	buf[8] = (uint8_t)(n | FZ_BUFS);
	while (len < cap && len < FZ_HDR_LEN + 8 * n + 64)
		buf[len++] = (uint8_t)rng();
	return len;
}

static size_t
mutate(uint8_t *buf, size_t len, size_t cap)
{
	unsigned int n = 1 + rng() % 4, i;

	for (i = 0; i < n && len; i++) {
		size_t pos = rng() % len;

		switch (rng() % 5) {
		case 0: /* flip a bit */
			buf[pos] ^= (uint8_t)(1u << (rng() % 8));
			break;
		case 1: /* random byte */
			buf[pos] = (uint8_t)rng();
			break;
		case 2: /* an entry's type: bits 62:61, in its last byte */
			if (pos < FZ_HDR_LEN)
				break;
			pos = FZ_HDR_LEN + (pos - FZ_HDR_LEN) / 8 * 8 + 7;
			if (pos < len)
				buf[pos] ^= (uint8_t)((1 + rng() % 3) << 5);
			break;
		case 3: /* truncate */
			len = pos;
			break;
		default: /* grow with garbage */
			while (len < cap && (rng() & 7))
				buf[len++] = (uint8_t)rng();
			break;
		}
	}
	return len;
}

static int
replay_corpus(const char *dir)
{
	static uint8_t file_buf[65536];
	unsigned int files = 0;
	struct dirent *de;
	DIR *d = opendir(dir);

	if (d == NULL) {
		fprintf(stderr, "fuzz_rx_cmpl: cannot open corpus %s: %s\n", dir,
			strerror(errno));
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		char path[4096];
		size_t n;
		FILE *f;

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		f = fopen(path, "rb");
		if (f == NULL)
			continue;
		n = fread(file_buf, 1, sizeof(file_buf), f);
		fclose(f);
		run_one(file_buf, n);
		files++;
	}
	closedir(d);
	printf("fuzz_rx_cmpl: replayed %u corpus files\n", files);
	return 0;
}

int
main(int argc, char **argv)
{
	unsigned long iterations = 100000, i;
	uint8_t buf[FZ_HDR_LEN + 8 * FZ_RCQ_ENTRIES + FZ_FRAME_BYTES];

	if (argc > 1 && argv[1][0] != '\0' && strcmp(argv[1], "-") != 0 &&
	    replay_corpus(argv[1]) != 0)
		return EXIT_FAILURE;
	if (argc > 2)
		iterations = strtoul(argv[2], NULL, 0);
	rng_state = argc > 3 ? strtoull(argv[3], NULL, 0) : 0xc0ffee11ull;
	if (rng_state == 0)
		rng_state = 1;

	for (i = 0; i < iterations; i++) {
		size_t len = make_valid(buf, sizeof(buf));

		run_one(buf, len);
		len = mutate(buf, len, sizeof(buf));
		run_one(buf, len);
		len = make_valid_bufs(buf, sizeof(buf));
		run_one(buf, len);
		len = mutate(buf, len, sizeof(buf));
		run_one(buf, len);
	}
	printf("fuzz_rx_cmpl: %lu valid completion sets and %lu mutations per scheme; "
	       "copy scheme: %llu frames received, %llu dropped; buffer scheme: %llu frames "
	       "received; no fault\n", iterations, iterations, (unsigned long long)fz_frames,
	       (unsigned long long)fz_dropped, (unsigned long long)fz_bufs_frames);
	rte_eal_cleanup();
	return EXIT_SUCCESS;
}

#endif /* FBNIC_FUZZ_LIBFUZZER */
