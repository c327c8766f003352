/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

/*
 * Wires: what is plugged into the port.
 *
 *   none      transmitted frames vanish, nothing is received
 *   loopback  transmitted frames come back to the same port
 *   cable     two model ports; one lock-free single-producer/single-consumer
 *             ring per direction, so each port may run in its own thread
 *   afpacket  a raw socket bound to a Linux interface (non-blocking)
 *   pcap      received frames read from a pcap file, transmitted ones
 *             appended to another (classic pcap format, microseconds)
 *
 * Frames carry no FCS. The producer side of a ring is serialized by the
 * sending device's lock, the consumer side by the receiving device's lock.
 */

#include <arpa/inet.h>
#include <linux/if_packet.h>
#include <linux/virtio_net.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "fbm_internal.h"
#include "fbm_queue.h"
#include "fbm_rpc.h"

#define FBM_WIRE_SLOT_DATA	9744u		/* >= FBM_MAX_FRAME, 16-byte multiple */
#define FBM_WIRE_RING_SLOTS	512u		/* power of two */
#define FBM_WIRE_AFPACKET_RCVBUF	(4 << 20)	/* socket receive queue, bytes */
#define FBM_WIRE_DROP_CHECK_NS	1000000u	/* AF_PACKET drop count refresh */
#define FBM_WIRE_ARRIVAL_MAX_AGE_NS	1000000000ull	/* older: a clock step, use now */
#ifndef VIRTIO_NET_HDR_GSO_UDP_L4
#define VIRTIO_NET_HDR_GSO_UDP_L4	5	/* Linux 6.2 uapi; older headers lack it */
#endif
/* AF_PACKET receive: a virtio_net_hdr, then a frame or a GSO super-frame */
#define FBM_WIRE_AFPACKET_BUF	(sizeof(struct virtio_net_hdr) + 262144u)

#define PCAP_MAGIC_US		0xa1b2c3d4u
#define PCAP_MAGIC_NS		0xa1b23c4du
#define PCAP_LINKTYPE_ETHERNET	1u
#define PCAP_MAX_RECORD		262144u

enum fbm_wire_kind {
	FBM_WIRE_NONE,
	FBM_WIRE_LOOPBACK,
	FBM_WIRE_CABLE,
	FBM_WIRE_AFPACKET,
	FBM_WIRE_PCAP,
};

struct fbm_wire_slot {
	uint32_t len;
	uint8_t data[FBM_WIRE_SLOT_DATA];
};

/*
 * A cable has no buffer of its own: a frame the receiving port has no room
 * for is lost in that port's RX packet buffer. The producer counts such
 * frames here; the consumer moves the count into its RXB host-FIFO drop
 * counters (Linux's rx_missed) under its own device lock.
 */
struct fbm_ring {
	_Alignas(64) _Atomic uint32_t head;	/* consumer */
	uint64_t drops_seen;		/* consumer: overflow frames already counted */
	_Alignas(64) _Atomic uint32_t tail;	/* producer */
	_Atomic uint64_t drops;		/* producer: frames lost to a full ring */
	_Atomic uint64_t drop_bytes;
	_Alignas(64) struct fbm_wire_slot slots[FBM_WIRE_RING_SLOTS];
};

struct fbm_pcap_in {
	FILE *f;
	bool swapped;
	bool nsec;
};

struct fbm_wire {
	enum fbm_wire_kind kind;
	struct fbm_ring *rx;		/* frames to this port; owned */
	struct fbm_ring *tx;		/* frames from this port; peer's rx or own */
	struct fbm_dev *peer;
	int fd;				/* AF_PACKET socket */
	struct fbm_pcap_in pin;
	FILE *pout;
	bool pout_failed;		/* a write error was logged */
	uint8_t *buf;			/* receive scratch (AF_PACKET: FBM_WIRE_AFPACKET_BUF) */
	uint8_t *seg;			/* AF_PACKET: one segment, FBM_WIRE_SLOT_DATA */
	uint64_t drops_checked_ns;	/* AF_PACKET: last socket drop count read */
};

static struct fbm_ring *
fbm_ring_alloc(void)
{
	struct fbm_ring *r;

	if (posix_memalign((void **)&r, 64, sizeof(*r)) != 0)
		return NULL;
	atomic_init(&r->head, 0);
	atomic_init(&r->tail, 0);
	atomic_init(&r->drops, 0);
	atomic_init(&r->drop_bytes, 0);
	r->drops_seen = 0;
	return r;
}

static bool
fbm_ring_push(struct fbm_ring *r, const uint8_t *frame, uint32_t len)
{
	uint32_t tail = atomic_load_explicit(&r->tail, memory_order_relaxed);
	uint32_t head = atomic_load_explicit(&r->head, memory_order_acquire);
	struct fbm_wire_slot *s;

	if (tail - head >= FBM_WIRE_RING_SLOTS) {
		atomic_fetch_add_explicit(&r->drop_bytes, len, memory_order_relaxed);
		atomic_fetch_add_explicit(&r->drops, 1, memory_order_release);
		return false;
	}
	s = &r->slots[tail % FBM_WIRE_RING_SLOTS];
	s->len = len;
	memcpy(s->data, frame, len);
	atomic_store_explicit(&r->tail, tail + 1, memory_order_release);
	return true;
}

/* Oldest frame, or NULL; released with fbm_ring_pop(). */
static struct fbm_wire_slot *
fbm_ring_peek(struct fbm_ring *r)
{
	uint32_t head = atomic_load_explicit(&r->head, memory_order_relaxed);
	uint32_t tail = atomic_load_explicit(&r->tail, memory_order_acquire);

	if (head == tail)
		return NULL;
	return &r->slots[head % FBM_WIRE_RING_SLOTS];
}

static void
fbm_ring_pop(struct fbm_ring *r)
{
	uint32_t head = atomic_load_explicit(&r->head, memory_order_relaxed);

	atomic_store_explicit(&r->head, head + 1, memory_order_release);
}

static struct fbm_wire *
fbm_wire_alloc(enum fbm_wire_kind kind)
{
	struct fbm_wire *w = calloc(1, sizeof(*w));

	if (w == NULL)
		return NULL;
	w->kind = kind;
	w->fd = -1;
	return w;
}

static void
fbm_wire_free(struct fbm_wire *w)
{
	if (w == NULL)
		return;
	if (w->fd >= 0)
		close(w->fd);
	if (w->pin.f != NULL)
		fclose(w->pin.f);
	if (w->pout != NULL)
		fclose(w->pout);
	free(w->rx);
	free(w->buf);
	free(w->seg);
	free(w);
}

void
fbm_wire_init(struct fbm_dev *dev)
{
	dev->wire = NULL;
}

/* Lock two devices in address order (a may equal b). */
static void
fbm_lock_pair(struct fbm_dev *a, struct fbm_dev *b)
{
	if (a == b || b == NULL) {
		fbm_dev_lock(a);
	} else if (a < b) {
		fbm_dev_lock(a);
		fbm_dev_lock(b);
	} else {
		fbm_dev_lock(b);
		fbm_dev_lock(a);
	}
}

static void
fbm_unlock_pair(struct fbm_dev *a, struct fbm_dev *b)
{
	fbm_dev_unlock(a);
	if (b != NULL && b != a)
		fbm_dev_unlock(b);
}

/* Lock dev and its cable peer, stable against a concurrent reconnect. */
static struct fbm_dev *
fbm_wire_lock_with_peer(struct fbm_dev *dev)
{
	unsigned int tries;

	for (tries = 0; tries < 1000; tries++) {
		struct fbm_dev *peer;

		fbm_dev_lock(dev);
		peer = dev->wire != NULL ? dev->wire->peer : NULL;
		fbm_dev_unlock(dev);
		fbm_lock_pair(dev, peer);
		if ((dev->wire != NULL ? dev->wire->peer : NULL) == peer)
			return peer;
		fbm_unlock_pair(dev, peer);
	}
	fbm_dev_lock(dev);
	return NULL;
}

/* Unplug: both locks held when dev has a peer. */
static void
fbm_wire_unplug_locked(struct fbm_dev *dev)
{
	struct fbm_wire *w = dev->wire;

	if (w == NULL)
		return;
	if (w->peer != NULL && w->peer->wire != NULL) {
		struct fbm_dev *peer = w->peer;

		fbm_wire_free(peer->wire);
		peer->wire = NULL;
	}
	fbm_wire_free(w);
	dev->wire = NULL;
}

void
fbm_wire_detach(struct fbm_dev *dev)
{
	struct fbm_dev *peer = fbm_wire_lock_with_peer(dev);

	fbm_wire_unplug_locked(dev);
	fbm_unlock_pair(dev, peer);
}

int
fbm_wire_none(struct fbm_dev *dev)
{
	fbm_wire_detach(dev);
	return 0;
}

/* Replace dev's wire by w (may be NULL); dev's previous peer is unplugged. */
static void
fbm_wire_plug(struct fbm_dev *dev, struct fbm_wire *w)
{
	struct fbm_dev *peer = fbm_wire_lock_with_peer(dev);

	fbm_wire_unplug_locked(dev);
	dev->wire = w;
	fbm_unlock_pair(dev, peer);
}

int
fbm_wire_loopback(struct fbm_dev *dev)
{
	struct fbm_wire *w = fbm_wire_alloc(FBM_WIRE_LOOPBACK);

	if (w == NULL)
		return -ENOMEM;
	w->rx = fbm_ring_alloc();
	if (w->rx == NULL) {
		fbm_wire_free(w);
		return -ENOMEM;
	}
	w->tx = w->rx;
	fbm_wire_plug(dev, w);
	return 0;
}

int
fbm_wire_connect(struct fbm_dev *a, struct fbm_dev *b)
{
	struct fbm_wire *wa, *wb;

	if (a == NULL || b == NULL)
		return -EINVAL;
	if (a == b)
		return fbm_wire_loopback(a);

	wa = fbm_wire_alloc(FBM_WIRE_CABLE);
	wb = fbm_wire_alloc(FBM_WIRE_CABLE);
	if (wa == NULL || wb == NULL)
		goto nomem;
	wa->rx = fbm_ring_alloc();
	wb->rx = fbm_ring_alloc();
	if (wa->rx == NULL || wb->rx == NULL)
		goto nomem;
	wa->tx = wb->rx;
	wb->tx = wa->rx;
	wa->peer = b;
	wb->peer = a;

	fbm_wire_none(a);
	fbm_wire_none(b);
	fbm_lock_pair(a, b);
	if (a->wire != NULL || b->wire != NULL) {
		/* Someone plugged something in meanwhile. */
		fbm_unlock_pair(a, b);
		fbm_wire_free(wa);
		fbm_wire_free(wb);
		return -EBUSY;
	}
	a->wire = wa;
	b->wire = wb;
	fbm_unlock_pair(a, b);
	return 0;

nomem:
	fbm_wire_free(wa);
	fbm_wire_free(wb);
	return -ENOMEM;
}

int
fbm_wire_afpacket(struct fbm_dev *dev, const char *ifname)
{
	struct sockaddr_ll sll;
	struct fbm_wire *w;
	unsigned int ifindex;
	int one = 1;
	int rcvbuf = FBM_WIRE_AFPACKET_RCVBUF;
	int ret;

	if (ifname == NULL)
		return -EINVAL;
	ifindex = if_nametoindex(ifname);
	if (ifindex == 0) {
		fbm_log(dev, FBM_LOG_ERR, "no interface %s", ifname);
		return -ENODEV;
	}
	w = fbm_wire_alloc(FBM_WIRE_AFPACKET);
	if (w == NULL)
		return -ENOMEM;
	w->buf = malloc(FBM_WIRE_AFPACKET_BUF);
	w->seg = malloc(FBM_WIRE_SLOT_DATA);
	if (w->buf == NULL || w->seg == NULL) {
		fbm_wire_free(w);
		return -ENOMEM;
	}
	w->fd = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, htons(ETH_P_ALL));
	if (w->fd < 0) {
		ret = -errno;
		fbm_log(dev, FBM_LOG_ERR, "AF_PACKET socket: %s", strerror(errno));
		fbm_wire_free(w);
		return ret;
	}
	memset(&sll, 0, sizeof(sll));
	sll.sll_family = AF_PACKET;
	sll.sll_protocol = htons(ETH_P_ALL);
	sll.sll_ifindex = (int)ifindex;
	if (bind(w->fd, (struct sockaddr *)&sll, sizeof(sll)) < 0) {
		ret = -errno;
		fbm_log(dev, FBM_LOG_ERR, "bind to %s: %s", ifname, strerror(errno));
		fbm_wire_free(w);
		return ret;
	}
#ifdef PACKET_IGNORE_OUTGOING
	/* Our own transmissions must not come back as receptions. */
	setsockopt(w->fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof(one));
#else
	(void)one;
#endif
	/*
	 * The socket queue stands in for the RX packet buffer: give it room
	 * for bursts (the forced size needs CAP_NET_ADMIN; else the capped one).
	 */
	if (setsockopt(w->fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf)) < 0)
		setsockopt(w->fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	/*
	 * A virtio_net_hdr in front of every frame says which still need their
	 * L4 checksum and which are GSO super-frames (fbm_wire_rx_afpacket);
	 * frames sent carry one too.
	 */
	if (setsockopt(w->fd, SOL_PACKET, PACKET_VNET_HDR, &one, sizeof(one)) < 0) {
		ret = -errno;
		fbm_log(dev, FBM_LOG_ERR, "PACKET_VNET_HDR on %s: %s", ifname, strerror(errno));
		fbm_wire_free(w);
		return ret;
	}
	/* The kernel's receive time of each frame: its Rx timestamp (fbm_ptp.c). */
	if (setsockopt(w->fd, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof(one)) < 0)
		FBM_DEBUG(dev, "SO_TIMESTAMPNS on %s: %s", ifname, strerror(errno));
	fbm_wire_plug(dev, w);
	return 0;
}

static uint32_t
fbm_swap32(uint32_t v, bool swap)
{
	return swap ? __builtin_bswap32(v) : v;
}

static int
fbm_pcap_open_in(struct fbm_dev *dev, struct fbm_pcap_in *pin, const char *path)
{
	uint32_t hdr[6];
	uint32_t magic;

	pin->f = fopen(path, "rb");
	if (pin->f == NULL) {
		fbm_log(dev, FBM_LOG_ERR, "pcap %s: %s", path, strerror(errno));
		return -errno;
	}
	if (fread(hdr, sizeof(hdr), 1, pin->f) != 1)
		goto bad;
	magic = hdr[0];
	if (magic == PCAP_MAGIC_US || magic == PCAP_MAGIC_NS) {
		pin->swapped = false;
	} else if (magic == __builtin_bswap32(PCAP_MAGIC_US) ||
		   magic == __builtin_bswap32(PCAP_MAGIC_NS)) {
		pin->swapped = true;
	} else {
		goto bad;
	}
	pin->nsec = fbm_swap32(magic, pin->swapped) == PCAP_MAGIC_NS;
	if ((fbm_swap32(hdr[5], pin->swapped) & 0xffff) != PCAP_LINKTYPE_ETHERNET)
		goto bad;
	return 0;
bad:
	fbm_log(dev, FBM_LOG_ERR, "pcap %s: not an Ethernet pcap file", path);
	fclose(pin->f);
	pin->f = NULL;
	return -EINVAL;
}

static int
fbm_pcap_open_out(struct fbm_dev *dev, FILE **fp, const char *path)
{
	const uint32_t hdr[6] = {
		PCAP_MAGIC_US, 2 | (4u << 16), 0, 0, 65535, PCAP_LINKTYPE_ETHERNET
	};
	FILE *f = fopen(path, "wb");
	int err;

	if (f == NULL) {
		err = errno;
		fbm_log(dev, FBM_LOG_ERR, "pcap %s: %s", path, strerror(err));
		return -err;
	}
	/* Flushed now: a file that takes no data (/proc/...) fails here, not later */
	errno = 0;
	if (fwrite(hdr, sizeof(hdr), 1, f) != 1 || fflush(f) != 0) {
		err = errno != 0 ? errno : EIO;
		fbm_log(dev, FBM_LOG_ERR, "pcap %s: cannot write: %s", path, strerror(err));
		fclose(f);
		return -err;
	}
	*fp = f;
	return 0;
}

int
fbm_wire_pcap(struct fbm_dev *dev, const char *in_path, const char *out_path)
{
	struct fbm_wire *w = fbm_wire_alloc(FBM_WIRE_PCAP);
	int ret = 0;

	if (w == NULL)
		return -ENOMEM;
	w->buf = malloc(FBM_WIRE_SLOT_DATA);
	if (w->buf == NULL)
		ret = -ENOMEM;
	if (ret == 0 && in_path != NULL)
		ret = fbm_pcap_open_in(dev, &w->pin, in_path);
	if (ret == 0 && out_path != NULL)
		ret = fbm_pcap_open_out(dev, &w->pout, out_path);
	if (ret < 0) {
		fbm_wire_free(w);
		return ret;
	}
	fbm_wire_plug(dev, w);
	return 0;
}

/* Append one frame; write errors are counted, the first one logged. */
static void
fbm_pcap_write(struct fbm_dev *dev, struct fbm_wire *w, const uint8_t *frame, uint32_t len)
{
	uint64_t now = fbm_now_ns(dev);
	uint32_t rec[4] = {
		(uint32_t)(now / 1000000000u), (uint32_t)(now % 1000000000u / 1000u), len, len
	};

	errno = 0;
	if (fwrite(rec, sizeof(rec), 1, w->pout) == 1 && fwrite(frame, len, 1, w->pout) == 1) {
		dev->wire_stats.tx_frames++;
		return;
	}
	dev->wire_stats.tx_drops++;
	dev->wire_stats.tx_write_errors++;
	if (!w->pout_failed) {
		w->pout_failed = true;
		fbm_log(dev, FBM_LOG_ERR, "pcap output: cannot write a frame: %s (further errors "
			"only counted)", strerror(errno != 0 ? errno : EIO));
	}
}

/* Next frame of the input pcap into buf; length, 0 at end, < 0 skipped record. */
static int
fbm_pcap_read(struct fbm_dev *dev, struct fbm_pcap_in *pin, uint8_t *buf)
{
	uint32_t rec[4];
	uint32_t incl;

	if (pin->f == NULL || fread(rec, sizeof(rec), 1, pin->f) != 1)
		return 0;
	incl = fbm_swap32(rec[2], pin->swapped);
	if (incl > PCAP_MAX_RECORD) {
		fbm_log(dev, FBM_LOG_ERR, "pcap input: record of %u bytes, stopping", incl);
		fclose(pin->f);
		pin->f = NULL;
		return 0;
	}
	if (incl == 0 || incl > FBM_MAX_FRAME) {
		if (fseek(pin->f, incl, SEEK_CUR) != 0) {
			fclose(pin->f);
			pin->f = NULL;
		}
		return -1;
	}
	if (fread(buf, incl, 1, pin->f) != 1) {
		fclose(pin->f);
		pin->f = NULL;
		return 0;
	}
	return (int)incl;
}

void
fbm_wire_send(struct fbm_dev *dev, const uint8_t *frame, uint32_t len)
{
	struct fbm_wire *w = dev->wire;

	if (frame == NULL || len == 0 || len > FBM_MAX_FRAME ||
	    fbm_fault_active(dev, FBM_FAULT_LINK_DOWN)) {
		dev->wire_stats.tx_drops++;
		return;
	}
	if (w == NULL) {
		dev->wire_stats.tx_frames++;
		return;
	}
	switch (w->kind) {
	case FBM_WIRE_LOOPBACK:
	case FBM_WIRE_CABLE:
		if (fbm_ring_push(w->tx, frame, len))
			dev->wire_stats.tx_frames++;
		else
			dev->wire_stats.tx_drops++;
		break;
	case FBM_WIRE_AFPACKET: {
		/* Complete frames: no checksum or segmentation left to do */
		struct virtio_net_hdr vh = { .gso_type = VIRTIO_NET_HDR_GSO_NONE };
		struct iovec iov[2] = {
			{ .iov_base = &vh, .iov_len = sizeof(vh) },
			{ .iov_base = (void *)(uintptr_t)frame, .iov_len = len },
		};
		struct msghdr msg = { .msg_iov = iov, .msg_iovlen = 2 };

		if (sendmsg(w->fd, &msg, MSG_DONTWAIT) == (ssize_t)(sizeof(vh) + len))
			dev->wire_stats.tx_frames++;
		else
			dev->wire_stats.tx_drops++;
		break;
	}
	case FBM_WIRE_PCAP:
		if (w->pout != NULL)
			fbm_pcap_write(dev, w, frame, len);
		else
			dev->wire_stats.tx_frames++;
		break;
	default:
		dev->wire_stats.tx_frames++;
		break;
	}
}

bool
fbm_wire_rx_bad_fcs(struct fbm_dev *dev)
{
	return dev->rx_bad_fcs;
}

/* Apply RX faults, then hand the frame (writable) to the MAC. */
static void
fbm_wire_deliver(struct fbm_dev *dev, uint8_t *frame, uint32_t len)
{
	const uint32_t rx_faults = 1u << FBM_FAULT_LINK_DOWN | 1u << FBM_FAULT_RX_DROP |
				   1u << FBM_FAULT_RX_CORRUPT;
	uint32_t faults = atomic_load_explicit(&dev->faults, memory_order_relaxed);
	struct fbm_wire_stats *st = &dev->wire_stats;

	dev->rx_bad_fcs = false;
	if (__builtin_expect((faults & rx_faults) != 0, 0)) {
		if (faults & 1u << FBM_FAULT_LINK_DOWN) {
			st->rx_drops++;
			return;
		}
		if ((faults & 1u << FBM_FAULT_RX_DROP) &&
		    ++dev->fault_count[FBM_FAULT_RX_DROP] %
		    fbm_fault_every(dev, FBM_FAULT_RX_DROP) == 0) {
			st->rx_drops++;
			return;
		}
		if ((faults & 1u << FBM_FAULT_RX_CORRUPT) &&
		    ++dev->fault_count[FBM_FAULT_RX_CORRUPT] %
		    fbm_fault_every(dev, FBM_FAULT_RX_CORRUPT) == 0) {
			frame[len / 2] ^= 0xff;
			dev->rx_bad_fcs = true;
			st->rx_corrupted++;
		}
	}
	st->rx_frames++;
	fbm_mac_rx_frame(dev, frame, len);
	dev->rx_bad_fcs = false;
}

/* Count frames the sender could not put on a full ring as this port's RXB drops. */
static void
fbm_wire_rx_overflow(struct fbm_dev *dev, struct fbm_ring *r)
{
	uint64_t drops = atomic_load_explicit(&r->drops, memory_order_acquire);
	uint64_t bytes, n;

	if (drops == r->drops_seen)
		return;
	n = drops - r->drops_seen;
	r->drops_seen = drops;
	/* Bytes are accounted with the first frame: only the totals are visible. */
	bytes = atomic_exchange_explicit(&r->drop_bytes, 0, memory_order_relaxed);
	if (bytes > UINT32_MAX)
		bytes = UINT32_MAX;
	fbm_stats_rxb_drop(dev, FBNIC_RXB_FIFO_HOST, (uint32_t)bytes);
	while (--n > 0)
		fbm_stats_rxb_drop(dev, FBNIC_RXB_FIFO_HOST, 0);
}

static unsigned int
fbm_wire_rx_ring(struct fbm_dev *dev, struct fbm_ring *r, unsigned int budget)
{
	unsigned int n;

	fbm_wire_rx_overflow(dev, r);

	for (n = 0; n < budget; n++) {
		struct fbm_wire_slot *s = fbm_ring_peek(r);

		if (s == NULL)
			break;
		if (s->len > 0 && s->len <= FBM_MAX_FRAME)
			fbm_wire_deliver(dev, s->data, s->len);
		fbm_ring_pop(r);
	}
	return n;
}

/*
 * Frames the kernel dropped because the socket queue was full reached the
 * port but found no room: count them as RXB host FIFO drops (rx_missed),
 * as the hardware would. Reading the statistics resets them.
 */
static void
fbm_wire_afpacket_drops(struct fbm_dev *dev, struct fbm_wire *w)
{
	struct tpacket_stats st;
	socklen_t len = sizeof(st);
	uint64_t now = fbm_now_ns(dev);
	unsigned int i;

	if (now - w->drops_checked_ns < FBM_WIRE_DROP_CHECK_NS)
		return;
	w->drops_checked_ns = now;
	if (getsockopt(w->fd, SOL_PACKET, PACKET_STATISTICS, &st, &len) < 0)
		return;
	for (i = 0; i < st.tp_drops; i++)
		fbm_stats_rxb_drop(dev, FBNIC_RXB_FIFO_HOST, 0);
	dev->wire_stats.rx_drops += st.tp_drops;
}

/*
 * A host interface with checksum offload hands AF_PACKET frames whose L4
 * checksum field (at csum_start + csum_offset) only holds the pseudo-header
 * sum. On a real cable the sender's NIC would have finished it: do that here.
 */
static void
fbm_wire_finish_csum(uint8_t *f, uint32_t len, const struct virtio_net_hdr *vh)
{
	uint32_t start = vh->csum_start, field = start + vh->csum_offset;

	if (start < len && field + 2 <= len)
		fbm_put_csum(f + field, fbm_sum16(f + start, len - start, 0));
}

/* The sender's NIC cuts as Linux sets up fbnic's TCE_LSO_CTRL. */
static const struct fbm_lso_ctrl fbm_wire_lso_ctrl = {
	.ipid_inc = true,
	.clr_1st = 0x09,	/* PSH FIN: only the last segment ends the burst */
	.clr_mid = 0x89,	/* PSH FIN CWR */
	.clr_end = 0x80,	/* CWR: only the first segment carries it */
};

struct fbm_wire_seg_out {
	struct fbm_dev *dev;
	struct fbm_wire *w;
};

static void
fbm_wire_seg_deliver(void *ctx, const uint8_t *seg, uint32_t len, bool first, bool last)
{
	struct fbm_wire_seg_out *o = ctx;

	(void)seg;	/* built in o->w->seg, which the MAC may damage (RX_CORRUPT) */
	(void)first;
	(void)last;
	fbm_wire_deliver(o->dev, o->w->seg, len);
}

/*
 * What the sender's NIC does with a GSO super-frame (TSO, USO): the TX
 * engine's segmentation (fbm_lso_segment) cuts the payload into gso_size
 * frames. TCP or UDP over IPv4 or IPv6 without extension headers. Returns
 * the frames delivered, or -EINVAL for a super-frame it cannot cut.
 */
static int
fbm_wire_segment(struct fbm_dev *dev, struct fbm_wire *w, const uint8_t *f, uint32_t len,
		 const struct virtio_net_hdr *vh)
{
	uint8_t gso = vh->gso_type & (uint8_t)~VIRTIO_NET_HDR_GSO_ECN;
	struct fbm_tx_layout l = { .l4 = vh->csum_start };
	struct fbm_wire_seg_out o = { .dev = dev, .w = w };
	uint32_t l3 = 14;
	uint64_t pseudo;
	uint8_t proto;
	uint16_t type;
	bool v6;
	int n;

	/* Room for what is read below: Ethernet, a VLAN tag, an IPv6 header */
	if (!(vh->flags & VIRTIO_NET_HDR_F_NEEDS_CSUM) || len < l3 + 4 + 40)
		return -EINVAL;
	type = fbm_get16(f + 12);
	if (type == 0x8100) {
		l3 += 4;
		type = fbm_get16(f + 16);
	}
	if (type == 0x0800 && (gso == VIRTIO_NET_HDR_GSO_TCPV4 || gso == VIRTIO_NET_HDR_GSO_UDP_L4))
		v6 = false;
	else if (type == 0x86dd &&
		 (gso == VIRTIO_NET_HDR_GSO_TCPV6 || gso == VIRTIO_NET_HDR_GSO_UDP_L4))
		v6 = true;
	else
		return -EINVAL;
	l.l2 = l3;
	l.l3i = l3;
	l.l3_type = v6 ? FBNIC_TWD_L3_TYPE_IPV6 : FBNIC_TWD_L3_TYPE_IPV4;
	if (gso == VIRTIO_NET_HDR_GSO_UDP_L4) {
		proto = 17;
		l.l4_type = FBNIC_TWD_L4_TYPE_UDP;
		l.l4len = 8;
		l.csum = l.l4 + 6;
	} else {
		proto = 6;
		if (l.l4 + 20 > len)
			return -EINVAL;
		l.l4_type = FBNIC_TWD_L4_TYPE_TCP;
		l.l4len = 4u * (f[l.l4 + 12] >> 4);
		l.csum = l.l4 + 16;
	}
	/* The L4 header follows the IP header */
	if (l.l4 != (v6 ? l3 + 40 : l3 + 4u * (f[l3] & 0xf)) || f[v6 ? l3 + 6 : l3 + 9] != proto ||
	    l.l4 + l.l4len + vh->gso_size > FBM_WIRE_SLOT_DATA ||
	    l.l4 + l.l4len + vh->gso_size > FBM_MAX_FRAME)
		return -EINVAL;
	/* Addresses and protocol; each segment's length is added to it */
	pseudo = v6 ? fbm_sum16(f + l3 + 8, 32, proto) : fbm_sum16(f + l3 + 12, 8, proto);
	n = fbm_lso_segment(f, len, &l, vh->gso_size, fbm_fold(pseudo), &fbm_wire_lso_ctrl,
			    w->seg, fbm_wire_seg_deliver, &o);
	if (n > 0)
		dev->wire_stats.rx_segmented++;
	return n;
}

/*
 * Model time at which the kernel received a frame (SCM_TIMESTAMPNS, wall
 * clock), so that its Rx stamp does not depend on when the engine got to
 * it; 0 (now) without one, with virtual time, or for an implausible age.
 */
static uint64_t
fbm_wire_arrival_ns(struct fbm_dev *dev, struct msghdr *msg)
{
	struct cmsghdr *c;
	struct timespec kt, rt;
	uint64_t now, age;

	if (atomic_load_explicit(&dev->virt_time, memory_order_relaxed))
		return 0;
	for (c = CMSG_FIRSTHDR(msg); c != NULL; c = CMSG_NXTHDR(msg, c)) {
		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_TIMESTAMPNS ||
		    c->cmsg_len < CMSG_LEN(sizeof(kt)))
			continue;
		memcpy(&kt, CMSG_DATA(c), sizeof(kt));
		clock_gettime(CLOCK_REALTIME, &rt);
		now = fbm_now_ns(dev);
		age = (uint64_t)(rt.tv_sec - kt.tv_sec) * 1000000000u +
		      (uint64_t)(rt.tv_nsec - kt.tv_nsec);
		if ((int64_t)age < 0 || age > FBM_WIRE_ARRIVAL_MAX_AGE_NS || age >= now)
			return 0;
		return now - age;
	}
	return 0;
}

static unsigned int
fbm_wire_rx_afpacket(struct fbm_dev *dev, struct fbm_wire *w, unsigned int budget)
{
	const uint32_t vlen = sizeof(struct virtio_net_hdr);
	unsigned int n;

	for (n = 0; n < budget; n++) {
		struct sockaddr_ll from;
		struct virtio_net_hdr vh;
		uint8_t *f = w->buf + vlen;
		union {
			struct cmsghdr align;
			uint8_t buf[CMSG_SPACE(sizeof(struct timespec))];
		} ctrl;
		struct iovec iov = { .iov_base = w->buf, .iov_len = FBM_WIRE_AFPACKET_BUF };
		struct msghdr msg = {
			.msg_name = &from, .msg_namelen = sizeof(from),
			.msg_iov = &iov, .msg_iovlen = 1,
			.msg_control = ctrl.buf, .msg_controllen = sizeof(ctrl.buf),
		};
		ssize_t got;
		uint32_t len;

		got = recvmsg(w->fd, &msg, MSG_DONTWAIT | MSG_TRUNC);
		if (got < 0)
			break;
		if (from.sll_pkttype == PACKET_OUTGOING)
			continue;
		if (got <= (ssize_t)vlen || got > (ssize_t)FBM_WIRE_AFPACKET_BUF) {
			dev->wire_stats.rx_drops++;
			continue;
		}
		memcpy(&vh, w->buf, vlen);
		len = (uint32_t)got - vlen;
		if (vh.gso_type != VIRTIO_NET_HDR_GSO_NONE) {
			if (fbm_wire_segment(dev, w, f, len, &vh) < 0) {
				FBM_DEBUG(dev, "wire: cannot segment a GSO frame (type %u)",
					  vh.gso_type);
				dev->wire_stats.rx_drops++;
			}
			continue;
		}
		if (len > FBM_MAX_FRAME) {
			dev->wire_stats.rx_drops++;
			continue;
		}
		if (vh.flags & VIRTIO_NET_HDR_F_NEEDS_CSUM)
			fbm_wire_finish_csum(f, len, &vh);
		dev->rx_arrival_ns = fbm_wire_arrival_ns(dev, &msg);
		fbm_wire_deliver(dev, f, len);
		dev->rx_arrival_ns = 0;
	}
	fbm_wire_afpacket_drops(dev, w);
	return n;
}

static unsigned int
fbm_wire_rx_pcap(struct fbm_dev *dev, struct fbm_wire *w, unsigned int budget)
{
	unsigned int n = 0;
	unsigned int guard;

	for (guard = 0; n < budget && guard < 4 * budget; guard++) {
		int len = fbm_pcap_read(dev, &w->pin, w->buf);

		if (len == 0)
			break;
		if (len < 0) {
			dev->wire_stats.rx_drops++;
			continue;
		}
		fbm_wire_deliver(dev, w->buf, (uint32_t)len);
		n++;
	}
	return n;
}

unsigned int
fbm_wire_rx(struct fbm_dev *dev, unsigned int budget)
{
	struct fbm_wire *w = dev->wire;

	if (w == NULL)
		return 0;
	switch (w->kind) {
	case FBM_WIRE_LOOPBACK:
	case FBM_WIRE_CABLE:
		return fbm_wire_rx_ring(dev, w->rx, budget);
	case FBM_WIRE_AFPACKET:
		return fbm_wire_rx_afpacket(dev, w, budget);
	case FBM_WIRE_PCAP:
		return fbm_wire_rx_pcap(dev, w, budget);
	default:
		return 0;
	}
}

void
fbm_wire_stats_get(struct fbm_dev *dev, struct fbm_wire_stats *st)
{
	fbm_dev_lock(dev);
	*st = dev->wire_stats;
	fbm_dev_unlock(dev);
}
