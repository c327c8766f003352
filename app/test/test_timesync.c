/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

/*
 * The PTP clock and timestamps through ethdev, on two cabled model ports
 * (port 0 sends, port 1 receives with RTE_ETH_RX_OFFLOAD_TIMESTAMP):
 * timesync calls refused until enabled, time set and stepped, the rate
 * change a frequency adjustment makes, Rx and Tx stamps of a PTP frame
 * between the clock reads around it, and the Rx filter of timesync alone:
 * only the flow types of PTPv2 event messages are stamped.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_log.h>
#include <rte_mbuf.h>
#include <rte_mbuf_dyn.h>
#include <rte_time.h>
#include <ethdev_driver.h>

#include "rte_pmd_fbnic.h"

#include "fbnic_tk.h"
#include "fbnic_tk_frame.h"

#define NB_DESC		256
/* Ethernet + PTPv2 Sync (44 bytes) + padding: long enough for the vector Tx paths */
#define PTP_FRAME_LEN	64
#define NSEC		INT64_C(1000000000)

static uint16_t port_tx, port_rx;
static struct rte_mempool *pool;
static int ts_field = -1;
static uint64_t ts_flag;

/* Frequency change through the API, or through the driver's slot where DPDK has no API. */
static int
adjust_freq(uint16_t port, int64_t scaled_ppm)
{
#ifdef FBNIC_COMPAT_NO_TIMESYNC_ADJUST_FREQ
	/* DPDK 22.11: rte_eth_timesync_adjust_freq() does not exist; call what it would. */
	struct rte_eth_dev *dev = &rte_eth_devices[port];

	return dev->dev_ops->timesync_adjust_freq(dev, scaled_ppm);
#else
	return rte_eth_timesync_adjust_freq(port, scaled_ppm);
#endif
}

static int64_t
mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * NSEC + ts.tv_nsec;
}

static int64_t
ptp_ns(uint16_t port)
{
	struct timespec ts;

	if (rte_eth_timesync_read_time(port, &ts) != 0)
		return -1;
	return (int64_t)rte_timespec_to_ns(&ts);
}

static int
port_setup(uint16_t port, uint64_t rx_ol)
{
	struct rte_eth_conf conf;
	int ret;

	memset(&conf, 0, sizeof(conf));
	conf.rxmode.offloads = rx_ol;
	ret = rte_eth_dev_configure(port, 1, 1, &conf);
	if (ret == 0)
		ret = rte_eth_rx_queue_setup(port, 0, NB_DESC, 0, NULL, pool);
	if (ret == 0)
		ret = rte_eth_tx_queue_setup(port, 0, NB_DESC, 0, NULL);
	if (ret == 0)
		ret = rte_eth_dev_start(port);
	if (ret != 0)
		printf("  port %u set-up: %d\n", port, ret);
	return ret;
}

static int
links_up(void)
{
	uint64_t deadline = tk_now_ms() + 10000;

	while (tk_now_ms() < deadline) {
		struct rte_eth_link a, b;

		if (rte_eth_link_get_nowait(port_tx, &a) == 0 &&
		    rte_eth_link_get_nowait(port_rx, &b) == 0 && a.link_status && b.link_status)
			return 0;
		rte_delay_ms(1);
	}
	printf("  link did not come up\n");
	return -ETIMEDOUT;
}

/* A PTPv2 Sync to the receiver (Ethernet type 0x88F7), or a UDP frame with ptp false. */
static struct rte_mbuf *
make_frame(bool ptp, bool tmst)
{
	struct rte_ether_addr src, dst;
	struct rte_mbuf *m = rte_pktmbuf_alloc(pool);
	uint8_t *p;

	if (m == NULL)
		return NULL;
	rte_eth_macaddr_get(port_tx, &src);
	rte_eth_macaddr_get(port_rx, &dst);
	p = (uint8_t *)rte_pktmbuf_append(m, ptp ? PTP_FRAME_LEN : 128);
	if (p == NULL) {
		rte_pktmbuf_free(m);
		return NULL;
	}
	if (ptp) {
		memset(p, 0, PTP_FRAME_LEN);
		memcpy(p, dst.addr_bytes, 6);
		memcpy(p + 6, src.addr_bytes, 6);
		tk_put16(p + 12, RTE_ETHER_TYPE_1588);
		p[14] = 0x00;		/* messageType Sync */
		p[15] = 0x02;		/* versionPTP 2 */
		tk_put16(p + 16, 44);	/* messageLength */
	} else {
		tk_frame_udp4(p, 128, dst.addr_bytes, src.addr_bytes, 7);
	}
	if (tmst)
		m->ol_flags |= RTE_MBUF_F_TX_IEEE1588_TMST;
	return m;
}

/* Send one frame from port_tx, receive it on port_rx (bounded wait). */
static struct rte_mbuf *
send_receive(struct rte_mbuf *m)
{
	uint64_t deadline = tk_now_ms() + 2000;
	struct rte_mbuf *r;

	if (m == NULL || rte_eth_tx_burst(port_tx, 0, &m, 1) != 1) {
		rte_pktmbuf_free(m);
		return NULL;
	}
	while (tk_now_ms() < deadline) {
		if (rte_eth_rx_burst(port_rx, 0, &r, 1) == 1)
			return r;
		rte_delay_us(10);
	}
	return NULL;
}

/* Log lines written while fn runs, into buf. */
static char log_buf[8192];

static FILE *
log_capture_begin(void)
{
	FILE *f = fmemopen(log_buf, sizeof(log_buf) - 1, "w");

	memset(log_buf, 0, sizeof(log_buf));
	if (f != NULL)
		rte_openlog_stream(f);
	return f;
}

static void
log_capture_end(FILE *f)
{
	if (f == NULL)
		return;
	fflush(f);
	rte_openlog_stream(NULL);
	fclose(f);
}

static int
test_timesync_calls_refused_until_enabled(void)
{
	struct timespec ts = { .tv_sec = 1, .tv_nsec = 0 };
	uint64_t clk;
	struct rte_mbuf *r;
	FILE *f;

	f = log_capture_begin();
	TEST_CHECK_EQUAL(rte_eth_timesync_read_time(port_tx, &ts), -EINVAL);
	TEST_CHECK_EQUAL(rte_eth_timesync_write_time(port_tx, &ts), -EINVAL);
	TEST_CHECK_EQUAL(rte_eth_timesync_adjust_time(port_tx, 1000), -EINVAL);
	TEST_CHECK_EQUAL(adjust_freq(port_tx, 65536), -EINVAL);
	TEST_CHECK_EQUAL(rte_eth_timesync_read_tx_timestamp(port_tx, &ts), -EINVAL);
	TEST_CHECK_EQUAL(rte_eth_timesync_read_rx_timestamp(port_tx, &ts, 0), -EINVAL);
	TEST_CHECK_EQUAL(rte_eth_timesync_disable(port_tx), -EINVAL);
	/* No timesync and no Rx timestamp offload: no clock to read. */
	TEST_CHECK_EQUAL(rte_eth_read_clock(port_tx, &clk), -EINVAL);
	log_capture_end(f);
	TEST_CHECK(strstr(log_buf, "timesync_read_time: timesync is not enabled") != NULL,
		   "log: %s", log_buf);
	TEST_CHECK(strstr(log_buf, "read_clock: neither timesync") != NULL, "log: %s", log_buf);
	/* The receiver has the offload: its clock reads. */
	TEST_CHECK_EQUAL(rte_eth_read_clock(port_rx, &clk), 0);

	/* The port still works: a frame goes through, unstamped on Tx. */
	r = send_receive(make_frame(true, true));
	TEST_ASSERT_NOT_NULL(r, "no frame after the refused calls");
	TEST_CHECK(!(r->ol_flags & RTE_MBUF_F_RX_IEEE1588_PTP), "PTP flagged without timesync");
	rte_pktmbuf_free(r);
	return TEST_SUCCESS;
}

static int
test_clock_set_step_and_read(void)
{
	struct timespec ts = { .tv_sec = 1000, .tv_nsec = 500 };
	int64_t t, t0;
	uint64_t clk;

	TEST_ASSERT_SUCCESS(rte_eth_timesync_enable(port_tx));
	TEST_CHECK_EQUAL(rte_eth_timesync_write_time(port_tx, &ts), 0);
	t = ptp_ns(port_tx);
	TEST_CHECK(t >= 1000 * NSEC + 500 && t < 1000 * NSEC + 50000000, "time %" PRId64, t);

	TEST_CHECK_EQUAL(rte_eth_timesync_adjust_time(port_tx, 5 * NSEC), 0);
	t0 = ptp_ns(port_tx);
	TEST_CHECK(t0 >= 1005 * NSEC && t0 < 1005 * NSEC + 100000000, "stepped %" PRId64, t0);
	TEST_CHECK_EQUAL(rte_eth_timesync_adjust_time(port_tx, -2 * NSEC - 500000000), 0);
	t = ptp_ns(port_tx);
	TEST_CHECK(t >= t0 - 2500000000 && t < t0 - 2500000000 + 100000000, "back %" PRId64, t);

	/* read_clock: the same time base. */
	TEST_CHECK_EQUAL(rte_eth_read_clock(port_tx, &clk), 0);
	t0 = ptp_ns(port_tx);
	TEST_CHECK((int64_t)clk <= t0 && (int64_t)clk > t0 - 100000000,
		   "read_clock %" PRIu64 " vs read_time %" PRId64, clk, t0);

	ts.tv_nsec = NSEC;
	TEST_CHECK_EQUAL(rte_eth_timesync_write_time(port_tx, &ts), -EINVAL);
	return TEST_SUCCESS;
}

/*
 * The clock's rate against CLOCK_MONOTONIC (the model's time base) over
 * window_ms, in ppb: each end is the best of a few bracketed reads.
 */
static int64_t
measure_ppb(uint16_t port, unsigned int window_ms, int64_t *err_ns)
{
	int64_t mono[2], ptp[2], width[2];
	unsigned int e, k;

	for (e = 0; e < 2; e++) {
		width[e] = INT64_MAX;
		for (k = 0; k < 8; k++) {
			int64_t a = mono_ns(), p = ptp_ns(port), b = mono_ns();

			if (b - a < width[e]) {
				width[e] = b - a;
				mono[e] = a + (b - a) / 2;
				ptp[e] = p;
			}
		}
		if (e == 0)
			rte_delay_us_sleep(window_ms * 1000);
	}
	*err_ns = width[0] / 2 + width[1] / 2 + 1;
	return ((ptp[1] - ptp[0]) - (mono[1] - mono[0])) * NSEC / (mono[1] - mono[0]);
}

static int
test_freq_adjust_changes_rate_by_request(void)
{
	/* ppb requested, as scaled ppm (ppm * 2^16) */
	static const int64_t want_ppb[] = { 0, 1000000, -250000, 20000 };
	const unsigned int window_ms = 300;
	unsigned int i;

	for (i = 0; i < TK_DIM(want_ppb); i++) {
		int64_t sppm = want_ppb[i] * 65536 / 1000, got, err, tol;

		TEST_ASSERT_SUCCESS(adjust_freq(port_tx, sppm), "adjust %" PRId64 " ppb",
				    want_ppb[i]);
		got = measure_ppb(port_tx, window_ms, &err);
		/*
		 * Tolerance: the read uncertainty of both ends over the window,
		 * plus 1 ppb of increment rounding.
		 */
		tol = err * NSEC / ((int64_t)window_ms * 1000000) + 1;
		TEST_CHECK(llabs(got - want_ppb[i]) <= tol,
			   "asked %" PRId64 " ppb, measured %" PRId64 " (tolerance %" PRId64 ")",
			   want_ppb[i], got, tol);
	}
	TEST_CHECK_EQUAL(adjust_freq(port_tx, INT64_C(1000000000) * 65536 / 1000), -ERANGE);
	TEST_CHECK_EQUAL(adjust_freq(port_tx, 0), 0);
	return TEST_SUCCESS;
}

/* n PTP frames with TMST in one burst: n Tx stamps, in order, each before its Rx stamp. */
static int
burst_stamps_in_order(unsigned int n)
{
	struct rte_mbuf *m[16], *r[16];
	int64_t last = -1, tx;
	uint64_t deadline;
	struct timespec ts;
	unsigned int i, got = 0;

	for (i = 0; i < n; i++) {
		m[i] = make_frame(true, true);
		TEST_ASSERT_NOT_NULL(m[i], "frame %u", i);
	}
	TEST_ASSERT_EQUAL(rte_eth_tx_burst(port_tx, 0, m, (uint16_t)n), n, "burst");
	deadline = tk_now_ms() + 2000;
	while (got < n && tk_now_ms() < deadline)
		got += rte_eth_rx_burst(port_rx, 0, &r[got], (uint16_t)(n - got));
	TEST_CHECK_EQUAL(got, n, "frames of the burst received");
	for (i = 0; i < got; i++) {
		TEST_CHECK(r[i]->ol_flags & RTE_MBUF_F_RX_IEEE1588_TMST, "frame %u unstamped", i);
		rte_pktmbuf_free(r[i]);
	}
	for (i = 0; i < n; i++) {
		int ret;

		deadline = tk_now_ms() + 1000;
		while ((ret = rte_eth_timesync_read_tx_timestamp(port_tx, &ts)) != 0 &&
		       tk_now_ms() < deadline)
			rte_delay_us(1);
		TEST_ASSERT_SUCCESS(ret, "no Tx stamp %u of %u", i, n);
		tx = (int64_t)rte_timespec_to_ns(&ts);
		TEST_CHECK(tx > last, "Tx stamp %u of %u: %" PRId64 " after %" PRId64, i, n, tx,
			   last);
		last = tx;
	}
	TEST_CHECK_EQUAL(rte_eth_timesync_read_tx_timestamp(port_tx, &ts), -EAGAIN);
	/* The Rx latch keeps the last PTP frame's time, once. */
	TEST_CHECK_EQUAL(rte_eth_timesync_read_rx_timestamp(port_rx, &ts, 0), 0);
	TEST_CHECK_EQUAL(rte_eth_timesync_read_rx_timestamp(port_rx, &ts, 0), -EAGAIN);
	return TEST_SUCCESS;
}

static int
test_rx_and_tx_stamps_between_clock_reads(void)
{
	int64_t s0, s1, r0, off, tol, t_before, t_after, rx_ns, tx_ns, latch_ns;
	struct timespec ts;
	struct rte_mbuf *r;
	uint64_t deadline;
	int ret;

	TEST_ASSERT_SUCCESS(rte_eth_timesync_enable(port_rx));
	/* The receiver's clock against the sender's: offset, within half the read window. */
	s0 = ptp_ns(port_tx);
	r0 = ptp_ns(port_rx);
	s1 = ptp_ns(port_tx);
	off = r0 - (s0 + (s1 - s0) / 2);
	tol = (s1 - s0) / 2 + 1;

	t_before = ptp_ns(port_tx);
	r = send_receive(make_frame(true, true));
	t_after = ptp_ns(port_tx);
	TEST_ASSERT_NOT_NULL(r, "PTP frame not received");
	TEST_CHECK((r->ol_flags & ts_flag) != 0, "no Rx timestamp (ol_flags 0x%" PRIx64 ")",
		   r->ol_flags);
	TEST_CHECK((r->ol_flags & RTE_MBUF_F_RX_IEEE1588_PTP) &&
		   (r->ol_flags & RTE_MBUF_F_RX_IEEE1588_TMST), "IEEE1588 flags missing");
	TEST_CHECK_EQUAL(r->timesync, 0);
	rx_ns = (int64_t)*RTE_MBUF_DYNFIELD(r, ts_field, rte_mbuf_timestamp_t *) - off;
	TEST_CHECK(rx_ns >= t_before - tol && rx_ns <= t_after + tol,
		   "Rx stamp %" PRId64 " not in [%" PRId64 ", %" PRId64 "] (+/- %" PRId64 ")",
		   rx_ns, t_before, t_after, tol);
	rte_pktmbuf_free(r);

	/* The latch gives the same time, once. */
	TEST_CHECK_EQUAL(rte_eth_timesync_read_rx_timestamp(port_rx, &ts, 0), 0);
	latch_ns = (int64_t)rte_timespec_to_ns(&ts) - off;
	TEST_CHECK_EQUAL(latch_ns, rx_ns);
	TEST_CHECK_EQUAL(rte_eth_timesync_read_rx_timestamp(port_rx, &ts, 0), -EAGAIN);
	TEST_CHECK_EQUAL(rte_eth_timesync_read_rx_timestamp(port_rx, &ts, 5), -EINVAL);

	/* The Tx stamp: after the read before, before the Rx stamp. */
	deadline = tk_now_ms() + 1000;
	while ((ret = rte_eth_timesync_read_tx_timestamp(port_tx, &ts)) == -EAGAIN &&
	       tk_now_ms() < deadline)
		rte_delay_us(10);
	TEST_ASSERT_SUCCESS(ret, "no Tx timestamp");
	tx_ns = (int64_t)rte_timespec_to_ns(&ts);
	TEST_CHECK(tx_ns >= t_before && tx_ns <= rx_ns + tol,
		   "Tx stamp %" PRId64 " not in [%" PRId64 ", %" PRId64 "]", tx_ns, t_before,
		   rx_ns + tol);
	TEST_CHECK_EQUAL(rte_eth_timesync_read_tx_timestamp(port_tx, &ts), -EAGAIN);

	/* A burst of stamped frames: the vector Tx paths leave them to the scalar code. */
	TEST_ASSERT_SUCCESS(burst_stamps_in_order(8));

	/* A frame sent without the request has no Tx stamp; non-PTP frames are not flagged. */
	r = send_receive(make_frame(false, false));
	TEST_ASSERT_NOT_NULL(r, "UDP frame not received");
	TEST_CHECK((r->ol_flags & ts_flag) != 0, "offload: every frame is stamped");
	TEST_CHECK(!(r->ol_flags & RTE_MBUF_F_RX_IEEE1588_PTP), "UDP frame flagged PTP");
	rte_pktmbuf_free(r);
	TEST_CHECK_EQUAL(rte_eth_timesync_read_tx_timestamp(port_tx, &ts), -EAGAIN);
	TEST_CHECK_EQUAL(rte_eth_timesync_read_rx_timestamp(port_rx, &ts, 0), -EAGAIN);
	return TEST_SUCCESS;
}

/* One frame received on port, waited for (bounded). */
static struct rte_mbuf *
receive_on(uint16_t port)
{
	uint64_t deadline = tk_now_ms() + 2000;
	struct rte_mbuf *r;

	while (tk_now_ms() < deadline) {
		if (rte_eth_rx_burst(port, 0, &r, 1) == 1)
			return r;
		rte_delay_us(10);
	}
	return NULL;
}

static int64_t
tx_stamp(uint16_t port)
{
	uint64_t deadline = tk_now_ms() + 1000;
	struct timespec ts;

	while (tk_now_ms() < deadline) {
		if (rte_eth_timesync_read_tx_timestamp(port, &ts) == 0)
			return (int64_t)rte_timespec_to_ns(&ts);
		rte_delay_us(1);
	}
	return -1;
}

/*
 * What testpmd's ieee1588 forwarding does (Debian's testpmd is built
 * without it): each port sends a PTP Sync it receives back out, stamped,
 * so that one Sync goes back and forth on the cable. On each port, in its
 * own clock: Rx stamp < Tx stamp of the echo < Rx stamp of the next lap.
 */
static int
test_ieee1588_echo_on_a_cable(void)
{
	const uint16_t ports[2] = { port_tx, port_rx };
	int64_t last_rx[2] = { -1, -1 }, last_tx[2] = { -1, -1 };
	struct rte_ether_addr a;
	struct rte_mbuf *m = make_frame(true, true);
	unsigned int lap, i;
	struct timespec ts;

	TEST_ASSERT_SUCCESS(rte_eth_timesync_enable(port_tx));
	TEST_ASSERT_SUCCESS(rte_eth_timesync_enable(port_rx));
	TEST_ASSERT(m != NULL && rte_eth_tx_burst(port_tx, 0, &m, 1) == 1, "first Sync");
	last_tx[0] = tx_stamp(port_tx);
	TEST_ASSERT(last_tx[0] >= 0, "no Tx stamp of the first Sync");
	for (lap = 0; lap < 20; lap++) {
		struct rte_ether_hdr *eh;
		int64_t rx;

		i = (lap + 1) % 2;	/* port 1 receives first */
		m = receive_on(ports[i]);
		TEST_ASSERT_NOT_NULL(m, "lap %u: port %u received nothing", lap, ports[i]);
		TEST_CHECK((m->ol_flags & RTE_MBUF_F_RX_IEEE1588_PTP) &&
			   (m->ol_flags & RTE_MBUF_F_RX_IEEE1588_TMST),
			   "lap %u: port %u: IEEE1588 flags 0x%" PRIx64, lap, ports[i],
			   m->ol_flags);
		TEST_CHECK_EQUAL(rte_eth_timesync_read_rx_timestamp(ports[i], &ts, m->timesync & 3),
				 0, "lap %u", lap);
		rx = (int64_t)rte_timespec_to_ns(&ts);
		TEST_CHECK(rx > last_tx[i] && rx > last_rx[i],
			   "lap %u: port %u: Rx stamp %" PRId64 " after its Tx %" PRId64, lap,
			   ports[i], rx, last_tx[i]);
		last_rx[i] = rx;
		/* Back out of the same port, MAC addresses swapped, as testpmd does. */
		eh = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
		rte_ether_addr_copy(&eh->dst_addr, &a);
		rte_ether_addr_copy(&eh->src_addr, &eh->dst_addr);
		rte_ether_addr_copy(&a, &eh->src_addr);
		m->ol_flags = RTE_MBUF_F_TX_IEEE1588_TMST;
		TEST_ASSERT_EQUAL(rte_eth_tx_burst(ports[i], 0, &m, 1), 1, "lap %u: echo", lap);
		last_tx[i] = tx_stamp(ports[i]);
		TEST_CHECK(last_tx[i] > rx, "lap %u: port %u: Tx stamp %" PRId64 " after Rx %"
			   PRId64, lap, ports[i], last_tx[i], rx);
	}
	/* The last echo, from port 0, is at port 1: collect it. */
	m = receive_on(port_rx);
	TEST_CHECK(m != NULL, "last echo");
	rte_pktmbuf_free(m);
	(void)rte_eth_timesync_read_rx_timestamp(port_rx, &ts, 0);
	return TEST_SUCCESS;
}

/* Kinds of frames port_rx sends to port_tx for the Rx filter test. */
enum filter_frame {
	FF_TCP4,
	FF_ICMP4,
	FF_UDP4_OTHER,
	FF_UDP4_PTP,
	FF_UDP6_PTP,
	FF_L2_PTP,
};

static struct rte_mbuf *
make_filter_frame(enum filter_frame kind)
{
	uint8_t ptp[44];
	struct rte_ether_addr src, dst;
	struct rte_mbuf *m = rte_pktmbuf_alloc(pool);
	struct tk_frame fr;
	uint8_t *p;
	size_t len;

	if (m == NULL)
		return NULL;
	rte_eth_macaddr_get(port_rx, &src);
	rte_eth_macaddr_get(port_tx, &dst);
	/* A PTPv2 Sync message: the payload of the PTP kinds. */
	memset(ptp, 0, sizeof(ptp));
	ptp[0] = 0x00;
	ptp[1] = 0x02;
	tk_put16(ptp + 2, sizeof(ptp));
	tk_frame_init(&fr, kind == FF_UDP6_PTP,
		      kind == FF_TCP4 ? TK_PROTO_TCP : kind == FF_ICMP4 ? 1 : TK_PROTO_UDP);
	memcpy(fr.dst_mac, dst.addr_bytes, 6);
	memcpy(fr.src_mac, src.addr_bytes, 6);
	if (kind == FF_UDP4_PTP || kind == FF_UDP6_PTP) {
		fr.sport = 319;
		fr.dport = 319;
		fr.payload = ptp;
	}
	if (kind == FF_L2_PTP) {
		fr.ethertype = RTE_ETHER_TYPE_1588;
		fr.payload = ptp;
	}
	len = tk_frame_hdr_len(&fr) + sizeof(ptp);
	p = (uint8_t *)rte_pktmbuf_append(m, (uint16_t)RTE_MAX(len, (size_t)PTP_FRAME_LEN));
	if (p == NULL) {
		rte_pktmbuf_free(m);
		return NULL;
	}
	memset(p, 0, RTE_MAX(len, (size_t)PTP_FRAME_LEN));
	tk_frame_build(p, &fr, sizeof(ptp));
	return m;
}

/* OPT_META entries among the new RCQ entries of port_tx's queue 0. */
static int
new_opt_meta_entries(void)
{
	char buf[4096];
	FILE *f = fmemopen(buf, sizeof(buf) - 1, "w");
	const char *s;
	int n = 0;

	if (f == NULL)
		return -1;
	memset(buf, 0, sizeof(buf));
	if (rte_eth_rx_descriptor_dump(port_tx, 0, 0, 8, f) != 0)
		n = -1;
	fclose(f);
	/* Lines "  <index>: 0x<entry> OPT_META new" */
	for (s = buf; n >= 0 && (s = strstr(s, "OPT_META new")) != NULL; s++)
		n++;
	return n;
}

/*
 * timesync on port_tx, which has no timestamp offload: the classifier
 * stamps UDP and non-IP frames, where PTPv2 event messages travel, and no
 * other; of the stamped ones only PTP frames carry the IEEE1588 flags.
 */
static int
test_timesync_stamps_ptp_flow_types_only(void)
{
	static const struct {
		enum filter_frame kind;
		const char *name;
		bool stamped;
		bool ptp;
	} cases[] = {
		{ FF_TCP4, "TCP/IPv4", false, false },
		{ FF_ICMP4, "ICMP/IPv4", false, false },
		{ FF_UDP4_OTHER, "UDP/IPv4 not PTP", true, false },
		{ FF_UDP4_PTP, "PTPv2 over UDP/IPv4", true, true },
		{ FF_UDP6_PTP, "PTPv2 over UDP/IPv6", true, true },
		{ FF_L2_PTP, "PTPv2 over Ethernet", true, true },
	};
	struct timespec ts;
	unsigned int i;

	TEST_ASSERT_SUCCESS(rte_eth_timesync_enable(port_tx));
	(void)rte_eth_timesync_read_rx_timestamp(port_tx, &ts, 0);
	for (i = 0; i < RTE_DIM(cases); i++) {
		struct rte_mbuf *m = make_filter_frame(cases[i].kind);
		uint64_t deadline = tk_now_ms() + 2000;
		int opt, want_opt, want_latch;

		TEST_ASSERT(m != NULL && rte_eth_tx_burst(port_rx, 0, &m, 1) == 1, "%s sent",
			    cases[i].name);
		while (rte_eth_rx_queue_count(port_tx, 0) <= 0 && tk_now_ms() < deadline)
			rte_delay_us(10);
		opt = new_opt_meta_entries();
		want_opt = cases[i].stamped;
		TEST_CHECK_EQUAL(opt, want_opt, "%s: OPT_META entries", cases[i].name);
		m = receive_on(port_tx);
		TEST_ASSERT_NOT_NULL(m, "%s not received", cases[i].name);
		TEST_CHECK_EQUAL(!!(m->ol_flags & RTE_MBUF_F_RX_IEEE1588_TMST), cases[i].ptp,
				 "%s: IEEE1588 timestamp flag, ol_flags 0x%" PRIx64, cases[i].name,
				 m->ol_flags);
		want_latch = -EAGAIN;
		if (cases[i].ptp)
			want_latch = 0;
		TEST_CHECK_EQUAL(rte_eth_timesync_read_rx_timestamp(port_tx, &ts, m->timesync & 3),
				 want_latch, "%s: latched stamp", cases[i].name);
		rte_pktmbuf_free(m);
	}
	return TEST_SUCCESS;
}

static int
test_timesync_disable_stops_ptp_flags(void)
{
	struct timespec ts;
	struct rte_mbuf *r;

	TEST_ASSERT_SUCCESS(rte_eth_timesync_disable(port_rx));
	r = send_receive(make_frame(true, false));
	TEST_ASSERT_NOT_NULL(r, "PTP frame not received");
	TEST_CHECK(!(r->ol_flags & RTE_MBUF_F_RX_IEEE1588_TMST), "stamped after disable");
	TEST_CHECK((r->ol_flags & ts_flag) != 0, "the offload stays on");
	rte_pktmbuf_free(r);
	TEST_CHECK_EQUAL(rte_eth_timesync_read_rx_timestamp(port_rx, &ts, 0), -EINVAL);
	return TEST_SUCCESS;
}

int
main(int argc, char **argv)
{
	struct rte_eth_burst_mode mode;
	uint16_t p, n = 0;
	int ret;

	if (rte_eal_init(argc, argv) < 0) {
		printf("FAIL: EAL init: %s\n", rte_strerror(rte_errno));
		return 1;
	}
	RTE_ETH_FOREACH_DEV(p) {
		if (n == 0)
			port_tx = p;
		else
			port_rx = p;
		n++;
	}
	if (n != 2) {
		printf("FAIL: expected two cabled model ports\n");
		return 1;
	}
	/* The plugin's own API: links it in even with --as-needed. */
	TEST_CHECK_EQUAL(rte_pmd_fbnic_model_poll(RTE_MAX_ETHPORTS, 1), -ENODEV);
	pool = rte_pktmbuf_pool_create("timesync", 4096, 0, 0, RTE_MBUF_DEFAULT_BUF_SIZE,
				       rte_socket_id());
	if (pool == NULL || port_setup(port_tx, 0) != 0 ||
	    port_setup(port_rx, RTE_ETH_RX_OFFLOAD_TIMESTAMP) != 0 || links_up() != 0)
		return 1;
	ret = rte_mbuf_dyn_rx_timestamp_register(&ts_field, &ts_flag);
	TEST_CHECK_EQUAL(ret, 0, "timestamp field");
	/* The offload takes a scalar Rx path. */
	TEST_CHECK_EQUAL(rte_eth_rx_burst_mode_get(port_rx, 0, &mode), 0);
	TEST_CHECK(strncmp(mode.info, "Scalar", 6) == 0, "Rx path %s", mode.info);

#ifdef RTE_ARCH_X86
	/* The sender has no offload: a vector Rx path, whose scalar code reports PTP frames. */
	TEST_CHECK_EQUAL(rte_eth_rx_burst_mode_get(port_tx, 0, &mode), 0);
	TEST_CHECK(strncmp(mode.info, "Scalar", 6) != 0, "sender's Rx path %s", mode.info);
#endif
	TK_RUN(test_timesync_calls_refused_until_enabled);
	TK_RUN(test_clock_set_step_and_read);
	TK_RUN(test_freq_adjust_changes_rate_by_request);
	TK_RUN(test_rx_and_tx_stamps_between_clock_reads);
	TK_RUN(test_ieee1588_echo_on_a_cable);
	TK_RUN(test_timesync_stamps_ptp_flow_types_only);
	TK_RUN(test_timesync_disable_stops_ptp_flags);

	rte_eth_dev_stop(port_tx);
	rte_eth_dev_stop(port_rx);
	rte_eth_dev_close(port_tx);
	rte_eth_dev_close(port_rx);
	rte_mempool_free(pool);
	rte_eal_cleanup();
	return tk_report("test_timesync");
}
