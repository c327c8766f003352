/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

/*
 * Interrupts of model ports (loopback wires), through the public ethdev
 * API: an Rx loop that sleeps in rte_epoll_wait between bursts receives
 * every frame, woken only by the queue's vector; the monitor address of
 * DPDK's power management names the next completion; the coalescing
 * devargs cut the number of MSI-X messages the device sends; link changes
 * come through the PCS vector, faster than the 1 s alarm, and firmware
 * replies through the mailbox vector; bad requests get
 * a negative errno and one log line, and the port goes on.
 *
 * Usage: test-rx-intr <test> <EAL args> --vdev net_fbnic_model0,wire=loopback,...
 */

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_dev.h>
#include <rte_eal.h>
#include <rte_epoll.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_interrupts.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_log.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>
#include <rte_power_intrinsics.h>
#ifdef FBNIC_TEST_HAVE_POWER
#include <rte_power_pmd_mgmt.h>
#endif

#include "fbnic_tk.h"
#include "rte_pmd_fbnic.h"
#include "test_select.h"

#define NB_DESC		256
#define NB_MBUFS	2048
#define FRAME_LEN	64
#define BURST		32
/* Queue 0's MSI-X vector (Linux's numbering: 0 mailbox, 1 PCS, 2 + q). */
#define RXQ0_VECTOR	2
#define PCS_VECTOR	1
#define FW_VECTOR	0

static struct rte_mempool *pool;
static uint16_t ports[4];
static unsigned int nb_ports;
static FILE *log_stream;
static char *log_buf;
static size_t log_len;

static uint64_t
msix_count(uint16_t port, int vector)
{
	uint64_t n = UINT64_MAX;

	if (rte_pmd_fbnic_model_msix_count(port, vector, &n) != 0)
		printf("note: port %u has no MSI-X count\n", port);
	return n;
}

/* Log lines so far that contain what. */
static unsigned int
log_lines_with(const char *what)
{
	unsigned int n = 0;
	const char *p;

	fflush(log_stream);
	for (p = log_buf; p != NULL && (p = strstr(p, what)) != NULL; p += strlen(what))
		n++;
	return n;
}

static int
port_start(uint16_t port, bool rxq_intr, bool lsc)
{
	struct rte_eth_conf conf;
	struct rte_eth_link link;
	uint64_t deadline = tk_now_ms() + 5000;

	memset(&conf, 0, sizeof(conf));
	conf.intr_conf.rxq = rxq_intr;
	conf.intr_conf.lsc = lsc;
	TEST_ASSERT_SUCCESS(rte_eth_dev_configure(port, 1, 1, &conf));
	TEST_ASSERT_SUCCESS(rte_eth_rx_queue_setup(port, 0, NB_DESC, rte_socket_id(), NULL,
						   pool));
	TEST_ASSERT_SUCCESS(rte_eth_tx_queue_setup(port, 0, NB_DESC, rte_socket_id(), NULL));
	TEST_ASSERT_SUCCESS(rte_eth_dev_start(port));
	do {
		TEST_ASSERT_SUCCESS(rte_eth_link_get_nowait(port, &link));
		if (link.link_status == RTE_ETH_LINK_UP)
			return TEST_SUCCESS;
		rte_pmd_fbnic_model_poll(port, 64);
		rte_delay_ms(1);
	} while (tk_now_ms() < deadline);
	TEST_ASSERT(false, "port %u: no link", port);
}

/* n frames to the port's own address, from its Tx queue 0. */
static int
send_frames(uint16_t port, unsigned int n)
{
	struct rte_ether_addr mac;
	uint64_t deadline = tk_now_ms() + 5000;
	unsigned int i;

	TEST_ASSERT_SUCCESS(rte_eth_macaddr_get(port, &mac));
	for (i = 0; i < n; i++) {
		struct rte_mbuf *m = rte_pktmbuf_alloc(pool);
		uint8_t *p;

		TEST_ASSERT_NOT_NULL(m, "no mbuf for frame %u", i);
		p = (uint8_t *)rte_pktmbuf_append(m, FRAME_LEN);
		if (p == NULL)
			rte_pktmbuf_free(m);
		TEST_ASSERT_NOT_NULL(p, "no room in an mbuf");
		memset(p, 0, FRAME_LEN);
		memcpy(p, &mac, RTE_ETHER_ADDR_LEN);
		p[6] = 0x02;
		p[11] = 0x77;
		p[12] = 0x88;		/* local experimental EtherType 0x88b5 */
		p[13] = 0xb5;
		p[14] = (uint8_t)i;
		while (rte_eth_tx_burst(port, 0, &m, 1) != 1) {
			rte_pmd_fbnic_model_poll(port, 64);
			if (tk_now_ms() > deadline) {
				rte_pktmbuf_free(m);
				TEST_ASSERT(false, "Tx of frame %u not taken", i);
			}
		}
	}
	return TEST_SUCCESS;
}

static unsigned int
drain_queue(uint16_t port, uint16_t q)
{
	struct rte_mbuf *pkts[BURST];
	unsigned int n = 0;
	uint16_t k, i;

	while ((k = rte_eth_rx_burst(port, q, pkts, BURST)) > 0) {
		for (i = 0; i < k; i++)
			rte_pktmbuf_free(pkts[i]);
		n += k;
	}
	return n;
}

static unsigned int
drain(uint16_t port)
{
	return drain_queue(port, 0);
}

struct rx_loop {
	unsigned int frames;
	unsigned int epoll_calls;
	unsigned int wakeups;
	unsigned int timeouts;
	unsigned int empty_polls;
};

/*
 * The application's loop: arm the queue, sleep in epoll, disarm, take every
 * frame there is (the last burst comes back empty), again. Ends at want
 * frames or the deadline.
 */
static int
rx_intr_loop(uint16_t port, unsigned int want, int wait_ms, uint64_t limit_ms,
	     struct rx_loop *st)
{
	uint64_t deadline = tk_now_ms() + limit_ms;
	struct rte_epoll_event ev;
	int n;

	memset(st, 0, sizeof(*st));
	while (st->frames < want && tk_now_ms() < deadline) {
		TEST_ASSERT_SUCCESS(rte_eth_dev_rx_intr_enable(port, 0));
		n = rte_epoll_wait(RTE_EPOLL_PER_THREAD, &ev, 1, wait_ms);
		st->epoll_calls++;
		TEST_ASSERT_SUCCESS(rte_eth_dev_rx_intr_disable(port, 0));
		TEST_ASSERT(n >= 0, "rte_epoll_wait: %d", n);
		if (n == 0) {
			st->timeouts++;
			continue;
		}
		st->wakeups++;
		st->frames += drain(port);
		st->empty_polls++;
	}
	return TEST_SUCCESS;
}

struct sender {
	uint16_t port;
	unsigned int frames;
	unsigned int burst;
	unsigned int gap_us;
	int result;
};

static int
sender_main(void *arg)
{
	struct sender *s = arg;
	unsigned int sent = 0;

	s->result = TEST_SUCCESS;
	while (sent < s->frames && s->result == TEST_SUCCESS) {
		unsigned int n = RTE_MIN(s->burst, s->frames - sent);

		s->result = send_frames(s->port, n);
		sent += n;
		rte_delay_us_sleep(s->gap_us);
	}
	return 0;
}

/* The loop on one port with the sender on the other lcore. */
static int
rx_intr_loop_with_sender(uint16_t port, struct sender *s, struct rx_loop *st)
{
	unsigned int lcore = rte_get_next_lcore(rte_lcore_id(), 1, 0);

	TEST_ASSERT(lcore < RTE_MAX_LCORE, "a second lcore (-l 0-1)");
	TEST_ASSERT_SUCCESS(rte_eal_remote_launch(sender_main, s, lcore));
	TEST_ASSERT_SUCCESS(rx_intr_loop(port, s->frames, 1000, 10000, st));
	rte_eal_wait_lcore(lcore);
	TEST_ASSERT_SUCCESS(s->result, "sender");
	return TEST_SUCCESS;
}

/*
 * Every frame arrives by the queue's vector: each wake-up finds frames,
 * takes them in bursts that end with one empty poll, and no poll runs
 * between wake-ups. An armed queue without traffic sleeps; frames taken
 * while it was disarmed do not wake it; one left in the ring does.
 */
static int
rx_interrupts_wake_for_every_frame(void)
{
	struct sender s = { .port = ports[0], .frames = 512, .burst = 8, .gap_us = 1000 };
	uint16_t port = ports[0];
	struct rte_epoll_event ev;
	struct rx_loop st;
	uint64_t msgs0, msgs1;

	TEST_ASSERT_SUCCESS(port_start(port, true, false));
	TEST_ASSERT_SUCCESS(rte_eth_dev_rx_intr_ctl_q(port, 0, RTE_EPOLL_PER_THREAD,
						      RTE_INTR_EVENT_ADD, NULL));

	TEST_ASSERT_SUCCESS(rte_eth_dev_rx_intr_enable(port, 0));
	TEST_CHECK_EQUAL(rte_epoll_wait(RTE_EPOLL_PER_THREAD, &ev, 1, 200), 0,
			 "an idle queue woke up");
	TEST_ASSERT_SUCCESS(rte_eth_dev_rx_intr_disable(port, 0));

	msgs0 = msix_count(port, RXQ0_VECTOR);
	TEST_ASSERT_SUCCESS(rx_intr_loop_with_sender(port, &s, &st));
	msgs1 = msix_count(port, RXQ0_VECTOR);
	printf("%u frames: %u epoll calls, %u wake-ups, %u timeouts, %" PRIu64
	       " vector %d messages\n", st.frames, st.epoll_calls, st.wakeups, st.timeouts,
	       msgs1 - msgs0, RXQ0_VECTOR);
	TEST_CHECK_EQUAL(st.frames, s.frames, "every frame received");
	TEST_CHECK(st.wakeups >= 1 && st.wakeups <= s.frames, "wake-ups %u", st.wakeups);
	TEST_CHECK(st.timeouts <= 1, "%u epoll timeouts while frames came", st.timeouts);
	TEST_CHECK_EQUAL(st.empty_polls, st.wakeups, "one empty poll per wake-up");
	TEST_CHECK(msgs1 - msgs0 >= st.wakeups, "%" PRIu64 " messages for %u wake-ups",
		   msgs1 - msgs0, st.wakeups);

	/* Frames taken by polling leave no event behind. */
	TEST_ASSERT_SUCCESS(send_frames(port, 8));
	rte_delay_ms(50);
	TEST_CHECK_EQUAL(drain(port), 8, "frames taken by polling");
	TEST_ASSERT_SUCCESS(rte_eth_dev_rx_intr_enable(port, 0));
	TEST_CHECK_EQUAL(rte_epoll_wait(RTE_EPOLL_PER_THREAD, &ev, 1, 200), 0,
			 "woken by frames already taken");
	TEST_ASSERT_SUCCESS(rte_eth_dev_rx_intr_disable(port, 0));

	/* A frame that came while disarmed wakes the queue as soon as it is armed. */
	TEST_ASSERT_SUCCESS(send_frames(port, 1));
	rte_delay_ms(50);
	TEST_ASSERT_SUCCESS(rte_eth_dev_rx_intr_enable(port, 0));
	TEST_CHECK_EQUAL(rte_epoll_wait(RTE_EPOLL_PER_THREAD, &ev, 1, 200), 1,
			 "a frame in the ring did not wake the queue");
	TEST_ASSERT_SUCCESS(rte_eth_dev_rx_intr_disable(port, 0));
	TEST_CHECK_EQUAL(drain(port), 1);

	TEST_ASSERT_SUCCESS(rte_eth_dev_rx_intr_ctl_q(port, 0, RTE_EPOLL_PER_THREAD,
						      RTE_INTR_EVENT_DEL, NULL));
	return TEST_SUCCESS;
}

/* Open file descriptors of the process. */
static unsigned int
open_fds(void)
{
	unsigned int n = 0;
	struct dirent *e;
	DIR *d = opendir("/proc/self/fd");

	if (d == NULL)
		return 0;
	while ((e = readdir(d)) != NULL)
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

/*
 * Four Rx queues, the redirection table sending every frame to queue 3:
 * queue 3's vector (5) wakes its epoll entry and takes every frame, queue
 * 0's stays silent.
 */
static int
rx_interrupts_follow_the_queue(void)
{
	struct rte_eth_rss_reta_entry64 reta[4];
	struct rte_epoll_event ev[4];
	struct rte_eth_conf conf;
	uint16_t port = ports[0], q;
	uint64_t deadline, v0, v3;
	unsigned int got = 0, woken3 = 0, woken0 = 0, i, fds;
	int n, k;

	memset(&conf, 0, sizeof(conf));
	conf.intr_conf.rxq = 1;
	conf.rxmode.mq_mode = RTE_ETH_MQ_RX_RSS;
	conf.rx_adv_conf.rss_conf.rss_hf = RTE_ETH_RSS_L2_PAYLOAD;
	TEST_ASSERT_SUCCESS(rte_eth_dev_configure(port, 4, 1, &conf));
	for (q = 0; q < 4; q++)
		TEST_ASSERT_SUCCESS(rte_eth_rx_queue_setup(port, q, NB_DESC, rte_socket_id(),
							   NULL, pool));
	TEST_ASSERT_SUCCESS(rte_eth_tx_queue_setup(port, 0, NB_DESC, rte_socket_id(), NULL));
	TEST_ASSERT_SUCCESS(rte_eth_dev_start(port));
	memset(reta, 0, sizeof(reta));
	for (i = 0; i < 4; i++) {
		reta[i].mask = UINT64_MAX;
		for (k = 0; k < RTE_ETH_RETA_GROUP_SIZE; k++)
			reta[i].reta[k] = 3;
	}
	TEST_ASSERT_SUCCESS(rte_eth_dev_rss_reta_update(port, reta, 256));
	deadline = tk_now_ms() + 5000;
	do {
		struct rte_eth_link link;

		TEST_ASSERT_SUCCESS(rte_eth_link_get_nowait(port, &link));
		if (link.link_status == RTE_ETH_LINK_UP)
			break;
		rte_delay_ms(1);
	} while (tk_now_ms() < deadline);

	for (q = 0; q < 4; q += 3) {
		TEST_ASSERT_SUCCESS(rte_eth_dev_rx_intr_ctl_q(port, q, RTE_EPOLL_PER_THREAD,
							      RTE_INTR_EVENT_ADD,
							      (void *)(uintptr_t)(q + 1)));
		TEST_ASSERT_SUCCESS(rte_eth_dev_rx_intr_enable(port, q));
	}
	v0 = msix_count(port, RXQ0_VECTOR);
	v3 = msix_count(port, RXQ0_VECTOR + 3);
	TEST_ASSERT_SUCCESS(send_frames(port, 64));
	deadline = tk_now_ms() + 5000;
	while (got < 64 && tk_now_ms() < deadline) {
		n = rte_epoll_wait(RTE_EPOLL_PER_THREAD, ev, 4, 100);
		for (k = 0; k < n; k++) {
			q = (uint16_t)((uintptr_t)ev[k].epdata.data - 1);
			if (q == 0) {
				woken0++;
				continue;
			}
			woken3++;
			TEST_ASSERT_SUCCESS(rte_eth_dev_rx_intr_disable(port, 3));
			got += drain_queue(port, 3);
			TEST_ASSERT_SUCCESS(rte_eth_dev_rx_intr_enable(port, 3));
		}
	}
	printf("64 frames to queue 3: %u received after %u wake-ups of queue 3, %u of queue 0\n",
	       got, woken3, woken0);
	TEST_CHECK_EQUAL(got, 64, "every frame through queue 3");
	TEST_CHECK(woken3 >= 1, "queue 3 never woke");
	TEST_CHECK_EQUAL(woken0, 0, "queue 0 woke without frames");
	TEST_CHECK_EQUAL(msix_count(port, RXQ0_VECTOR), v0, "vector 2 raised");
	TEST_CHECK(msix_count(port, RXQ0_VECTOR + 3) > v3, "vector 5 not raised");
	TEST_CHECK_EQUAL(drain(port), 0, "frames on queue 0");
	for (q = 0; q < 4; q += 3) {
		TEST_ASSERT_SUCCESS(rte_eth_dev_rx_intr_disable(port, q));
		TEST_ASSERT_SUCCESS(rte_eth_dev_rx_intr_ctl_q(port, q, RTE_EPOLL_PER_THREAD,
							      RTE_INTR_EVENT_DEL, NULL));
	}

	/* Restarts keep the vectors and open no fd. */
	fds = open_fds();
	for (i = 0; i < 10; i++) {
		TEST_ASSERT_SUCCESS(rte_eth_dev_stop(port));
		TEST_ASSERT_SUCCESS(rte_eth_dev_start(port));
	}
	TEST_CHECK_EQUAL(open_fds(), fds, "fds after 10 restarts");
	TEST_ASSERT_SUCCESS(rte_eth_dev_rx_intr_ctl_q(port, 3, RTE_EPOLL_PER_THREAD,
						      RTE_INTR_EVENT_ADD, NULL));
	TEST_ASSERT_SUCCESS(rte_eth_dev_rx_intr_enable(port, 3));
	TEST_ASSERT_SUCCESS(send_frames(port, 1));
	TEST_CHECK_EQUAL(rte_epoll_wait(RTE_EPOLL_PER_THREAD, ev, 4, 3000), 1,
			 "queue 3 after the restarts");
	TEST_ASSERT_SUCCESS(rte_eth_dev_rx_intr_disable(port, 3));
	deadline = tk_now_ms() + 3000;
	got = 0;
	while (got == 0 && tk_now_ms() < deadline)
		got = drain_queue(port, 3);
	TEST_CHECK_EQUAL(got, 1, "the frame after the restarts");
	TEST_ASSERT_SUCCESS(rte_eth_dev_rx_intr_ctl_q(port, 3, RTE_EPOLL_PER_THREAD,
						      RTE_INTR_EVENT_DEL, NULL));
	return TEST_SUCCESS;
}

/*
 * The monitor condition of DPDK's power management: the address is the next
 * RCQ entry, 8 bytes, and its callback stops the sleep once that entry is
 * new. Then monitor mode itself, where the CPU has the instructions.
 */
static int
monitor_addr_points_at_the_next_completion(void)
{
	struct rte_power_monitor_cond pmc, next;
	uint16_t port = ports[0];
	uint64_t deadline;
	int count;

	TEST_ASSERT_SUCCESS(port_start(port, false, false));
	memset(&pmc, 0, sizeof(pmc));
	TEST_ASSERT_SUCCESS(rte_eth_get_monitor_addr(port, 0, &pmc));
	TEST_ASSERT_NOT_NULL(pmc.addr);
	TEST_ASSERT_NOT_NULL(pmc.fn);
	TEST_CHECK_EQUAL(pmc.size, sizeof(uint64_t));
	TEST_CHECK_EQUAL(pmc.fn(*(volatile uint64_t *)pmc.addr, pmc.opaque), 0,
			 "sleep refused on an empty queue");

	TEST_ASSERT_SUCCESS(send_frames(port, 1));
	deadline = tk_now_ms() + 3000;
	do {
		count = rte_eth_rx_queue_count(port, 0);
	} while (count == 0 && tk_now_ms() < deadline);
	TEST_ASSERT_EQUAL(count, 1, "the frame in the ring");
	TEST_CHECK_EQUAL(pmc.fn(*(volatile uint64_t *)pmc.addr, pmc.opaque), -1,
			 "sleep allowed over a new completion");

	TEST_CHECK_EQUAL(drain(port), 1);
	memset(&next, 0, sizeof(next));
	TEST_ASSERT_SUCCESS(rte_eth_get_monitor_addr(port, 0, &next));
	TEST_CHECK(next.addr != pmc.addr, "the address follows the queue's head");
	TEST_CHECK_EQUAL(next.fn(*(volatile uint64_t *)next.addr, next.opaque), 0,
			 "sleep refused once the queue is empty again");

	/*
	 * A full pass later the DONE value that means new flips: the RCQ has
	 * four entries per descriptor, a frame takes two.
	 */
	for (count = 0; count < 4; count++) {
		TEST_ASSERT_SUCCESS(send_frames(port, NB_DESC / 2));
		rte_delay_ms(100);
		TEST_CHECK_EQUAL(drain(port), NB_DESC / 2);
	}
	memset(&next, 0, sizeof(next));
	TEST_ASSERT_SUCCESS(rte_eth_get_monitor_addr(port, 0, &next));
	TEST_CHECK_EQUAL(next.opaque[0] ^ pmc.opaque[0], 1, "the pass parity (%" PRIu64
			 " then %" PRIu64 ")", pmc.opaque[0], next.opaque[0]);
	TEST_CHECK_EQUAL(next.fn(*(volatile uint64_t *)next.addr, next.opaque), 0,
			 "sleep refused on an empty queue, second pass");

#ifdef FBNIC_TEST_HAVE_POWER
	{
		struct sender s = { .port = port, .frames = 256, .burst = 8, .gap_us = 2000 };
		unsigned int lcore = rte_get_next_lcore(rte_lcore_id(), 1, 0);
		unsigned int got = 0;
		int ret;

		TEST_ASSERT_SUCCESS(rte_eth_dev_rx_queue_stop(port, 0));
		ret = rte_power_ethdev_pmgmt_queue_enable(rte_lcore_id(), port, 0,
							  RTE_POWER_MGMT_TYPE_MONITOR);
		TEST_ASSERT_SUCCESS(rte_eth_dev_rx_queue_start(port, 0));
		if (ret == -ENOTSUP) {
			printf("note: this CPU has no monitor instructions (UMWAIT, MONITORX): "
			       "monitor mode not run, only its condition checked\n");
			return TEST_SUCCESS;
		}
		TEST_ASSERT_SUCCESS(ret, "monitor mode on queue 0");
		TEST_ASSERT(lcore < RTE_MAX_LCORE, "a second lcore (-l 0-1)");
		TEST_ASSERT_SUCCESS(rte_eal_remote_launch(sender_main, &s, lcore));
		deadline = tk_now_ms() + 10000;
		while (got < s.frames && tk_now_ms() < deadline)
			got += drain(port);
		rte_eal_wait_lcore(lcore);
		TEST_CHECK_EQUAL(got, s.frames, "frames received in monitor mode");
		TEST_ASSERT_SUCCESS(rte_eth_dev_rx_queue_stop(port, 0));
		TEST_CHECK_EQUAL(rte_power_ethdev_pmgmt_queue_disable(rte_lcore_id(), port, 0),
				 0);
		TEST_ASSERT_SUCCESS(rte_eth_dev_rx_queue_start(port, 0));
	}
#else
	printf("note: no librte_power: monitor mode not run, only its condition checked\n");
#endif
	return TEST_SUCCESS;
}

/*
 * Without a thread in the models (engine=none) the test runs both devices:
 * one frame at a time, the device run until the frame is in the ring, and
 * the queue served when its eventfd says so.
 */
static int
count_messages(uint16_t port, unsigned int frames, uint64_t *messages)
{
	struct rte_epoll_event ev;
	unsigned int got = 0, i;
	uint64_t before = msix_count(port, RXQ0_VECTOR), deadline;

	TEST_ASSERT_SUCCESS(rte_eth_dev_rx_intr_ctl_q(port, 0, RTE_EPOLL_PER_THREAD,
						      RTE_INTR_EVENT_ADD, NULL));
	TEST_ASSERT_SUCCESS(rte_eth_dev_rx_intr_enable(port, 0));
	for (i = 0; i < frames || got < frames; i++) {
		if (i < frames)
			TEST_ASSERT_SUCCESS(send_frames(port, 1));
		else if (i > frames + 100000)
			break;
		rte_pmd_fbnic_model_poll(port, 64);
		rte_pmd_fbnic_model_poll(port, 64);
		if (rte_epoll_wait(RTE_EPOLL_PER_THREAD, &ev, 1, i < frames ? 0 : 1) > 0) {
			TEST_ASSERT_SUCCESS(rte_eth_dev_rx_intr_disable(port, 0));
			got += drain(port);
			TEST_ASSERT_SUCCESS(rte_eth_dev_rx_intr_enable(port, 0));
		}
	}
	TEST_ASSERT_SUCCESS(rte_eth_dev_rx_intr_disable(port, 0));
	/* The last frames wait for a timeout: bounded, then whatever is left. */
	deadline = tk_now_ms() + 2000;
	while (got < frames && tk_now_ms() < deadline) {
		rte_pmd_fbnic_model_poll(port, 64);
		got += drain(port);
	}
	TEST_ASSERT_SUCCESS(rte_eth_dev_rx_intr_ctl_q(port, 0, RTE_EPOLL_PER_THREAD,
						      RTE_INTR_EVENT_DEL, NULL));
	TEST_CHECK_EQUAL(got, frames, "port %u: every frame", port);
	*messages = msix_count(port, RXQ0_VECTOR) - before;
	return TEST_SUCCESS;
}

/*
 * Port 0 interrupts on every frame (rx_coalesce_usecs=0), port 1 after 16
 * frames or 10 ms (rx_coalesce_frames=16,rx_coalesce_usecs=10000): the same
 * traffic makes port 1's device send a fraction of port 0's messages.
 */
static int
coalescing_devargs_cut_the_interrupts(void)
{
	const unsigned int frames = 256;
	uint64_t eager = 0, coalesced = 0;

	TEST_ASSERT_EQUAL(nb_ports, 2, "two ports: eager then coalescing");
	TEST_ASSERT_SUCCESS(port_start(ports[0], true, false));
	TEST_ASSERT_SUCCESS(port_start(ports[1], true, false));
	TEST_ASSERT_SUCCESS(count_messages(ports[0], frames, &eager));
	TEST_ASSERT_SUCCESS(count_messages(ports[1], frames, &coalesced));
	printf("%u frames: %" PRIu64 " messages without coalescing, %" PRIu64
	       " with 16 frames / 10 ms\n", frames, eager, coalesced);
	TEST_CHECK(eager >= frames / 2, "%" PRIu64 " messages for %u frames at 0 us", eager,
		   frames);
	/* At least one per 16 frames; more only when the 10 ms timeout ends a group early. */
	TEST_CHECK(coalesced >= frames / 16 && coalesced <= frames / 4,
		   "%" PRIu64 " messages for %u frames at 16 frames per interrupt", coalesced,
		   frames);

	/* Out of range: no port, one log line naming key and value. */
	TEST_CHECK(rte_dev_probe("net_fbnic_model9,rx_coalesce_usecs=16384") < 0,
		   "rx_coalesce_usecs above the device's 14 bits");
	TEST_CHECK_EQUAL(log_lines_with("rx_coalesce_usecs=16384: expected a number"), 1);
	TEST_CHECK(rte_dev_probe("net_fbnic_model9,rx_coalesce_frames=x") < 0,
		   "rx_coalesce_frames not a number");
	TEST_CHECK_EQUAL(log_lines_with("rx_coalesce_frames=x: expected a number"), 1);
	return TEST_SUCCESS;
}

/*
 * Requests the port cannot serve fail with a negative errno and one log
 * line, and the port goes on receiving.
 */
static int
bad_interrupt_requests_fail_cleanly(void)
{
	uint16_t port = ports[0];
	struct rte_eth_conf conf;

	TEST_ASSERT_SUCCESS(port_start(port, false, false));
	TEST_CHECK_EQUAL(rte_eth_dev_rx_intr_enable(port, 0), -ENOTSUP,
			 "enable without intr_conf.rxq");
	TEST_CHECK_EQUAL(log_lines_with("Rx queue 0 interrupt enable: intr_conf.rxq not "
					"configured"), 1);
	TEST_CHECK(rte_eth_dev_rx_intr_ctl_q(port, 0, RTE_EPOLL_PER_THREAD,
					     RTE_INTR_EVENT_ADD, NULL) < 0,
		   "epoll set-up of a queue without a vector");
	TEST_ASSERT_SUCCESS(send_frames(port, 4));
	rte_delay_ms(50);
	TEST_CHECK_EQUAL(drain(port), 4, "polling after the refusals");

	/* Configured, but vectors come with start. */
	TEST_ASSERT_SUCCESS(rte_eth_dev_stop(port));
	memset(&conf, 0, sizeof(conf));
	conf.intr_conf.rxq = 1;
	TEST_ASSERT_SUCCESS(rte_eth_dev_configure(port, 1, 1, &conf));
	TEST_CHECK_EQUAL(rte_eth_dev_rx_intr_enable(port, 0), -EINVAL,
			 "enable on a stopped port");
	TEST_CHECK_EQUAL(log_lines_with("Rx queue 0 interrupt enable: no vector"), 1);
	TEST_ASSERT_SUCCESS(rte_eth_dev_start(port));
	TEST_CHECK_EQUAL(rte_eth_dev_rx_intr_enable(port, 0), 0, "enable once started");
	TEST_CHECK_EQUAL(rte_eth_dev_rx_intr_disable(port, 0), 0);
	TEST_ASSERT_SUCCESS(send_frames(port, 4));
	rte_delay_ms(50);
	TEST_CHECK_EQUAL(drain(port), 4, "polling with interrupts configured");
	return TEST_SUCCESS;
}

static volatile unsigned int lsc_events;
static volatile uint64_t lsc_last_ms;

static int
on_lsc(uint16_t port, enum rte_eth_event_type type, void *arg, void *ret)
{
	RTE_SET_USED(port);
	RTE_SET_USED(type);
	RTE_SET_USED(arg);
	RTE_SET_USED(ret);
	lsc_last_ms = tk_now_ms();
	lsc_events++;
	return 0;
}

/*
 * Each link change raises the PCS vector, and its LSC event comes within
 * 300 ms: the 1 s alarm alone would miss that bound most of the time, three
 * times in a row nearly always.
 */
static int
link_changes_arrive_through_the_pcs_vector(void)
{
	uint16_t port = ports[0];
	unsigned int i;

	TEST_ASSERT_SUCCESS(rte_eth_dev_callback_register(port, RTE_ETH_EVENT_INTR_LSC, on_lsc,
							  NULL));
	TEST_ASSERT_SUCCESS(port_start(port, false, true));
	rte_delay_ms(100);
	TEST_CHECK(msix_count(port, FW_VECTOR) >= 1, "the mailbox vector was raised");
	for (i = 0; i < 6; i++) {
		uint64_t pcs0 = msix_count(port, PCS_VECTOR);
		unsigned int ev0 = lsc_events;
		uint64_t t0 = tk_now_ms();
		struct rte_eth_link link;

		TEST_ASSERT_SUCCESS(rte_pmd_fbnic_model_fault_set(port, "link_down", i % 2 == 0));
		while (lsc_events == ev0 && tk_now_ms() < t0 + 3000)
			rte_delay_ms(1);
		TEST_ASSERT(lsc_events > ev0, "change %u: no LSC event", i);
		TEST_CHECK(lsc_last_ms - t0 <= 300, "change %u: LSC after %" PRIu64 " ms", i,
			   lsc_last_ms - t0);
		TEST_CHECK(msix_count(port, PCS_VECTOR) > pcs0, "change %u: PCS vector", i);
		TEST_ASSERT_SUCCESS(rte_eth_link_get_nowait(port, &link));
		TEST_CHECK_EQUAL(link.link_status, i % 2 == 0 ? RTE_ETH_LINK_DOWN :
				 RTE_ETH_LINK_UP, "change %u: link status", i);
		printf("change %u: LSC after %" PRIu64 " ms\n", i, lsc_last_ms - t0);
	}
	TEST_ASSERT_SUCCESS(rte_eth_dev_callback_unregister(port, RTE_ETH_EVENT_INTR_LSC,
							    on_lsc, NULL));
	return TEST_SUCCESS;
}

/* The port's xstat of that name, UINT64_MAX if it has none. */
static uint64_t
xstat_by_name(uint16_t port, const char *name)
{
	uint64_t id, v;

	if (rte_eth_xstats_get_id_by_name(port, name, &id) != 0 ||
	    rte_eth_xstats_get_by_id(port, &id, &v, 1) != 1)
		return UINT64_MAX;
	return v;
}

/*
 * The firmware's reply to the alarm's heartbeat (every 10 s) comes while no
 * control operation waits for it: the mailbox vector's callback reads it.
 */
static int
mailbox_replies_arrive_through_their_vector(void)
{
	uint16_t port = ports[0];
	uint64_t deadline, fw0, cb = 0;

	TEST_ASSERT_SUCCESS(port_start(port, false, false));
	fw0 = msix_count(port, FW_VECTOR);
	TEST_CHECK(fw0 >= 1, "the mailbox vector was raised during start");
	deadline = tk_now_ms() + 15000;
	while (tk_now_ms() < deadline) {
		cb = xstat_by_name(port, "intr_mailbox_callbacks");
		if (cb != UINT64_MAX && cb > 0)
			break;
		rte_delay_ms(50);
	}
	printf("mailbox vector: %" PRIu64 " messages, %" PRIu64 " callbacks\n",
	       msix_count(port, FW_VECTOR), cb);
	TEST_CHECK(cb != UINT64_MAX && cb > 0, "no mailbox callback within 15 s");
	TEST_CHECK(msix_count(port, FW_VECTOR) > fw0, "the vector was raised again");
	return TEST_SUCCESS;
}

static const struct test_case tests[] = {
	TEST_CASE(rx_interrupts_wake_for_every_frame),
	TEST_CASE(rx_interrupts_follow_the_queue),
	TEST_CASE(monitor_addr_points_at_the_next_completion),
	TEST_CASE(coalescing_devargs_cut_the_interrupts),
	TEST_CASE(bad_interrupt_requests_fail_cleanly),
	TEST_CASE(link_changes_arrive_through_the_pcs_vector),
	TEST_CASE(mailbox_replies_arrive_through_their_vector),
};

int
main(int argc, char **argv)
{
	const struct test_case *test;
	uint16_t p;
	int ret;

	if (argc < 2) {
		printf("usage: %s <test> <EAL args>\n", argv[0]);
		return 2;
	}
	test = test_case_find(tests, RTE_DIM(tests), argv[1]);
	if (test == NULL)
		return 2;
	argv[1] = argv[0];

	log_stream = open_memstream(&log_buf, &log_len);
	if (log_stream == NULL)
		return 1;
	if (rte_eal_init(argc - 1, argv + 1) < 0) {
		printf("FAIL: EAL init: %s\n", rte_strerror(rte_errno));
		return 1;
	}
	rte_openlog_stream(log_stream);
	RTE_ETH_FOREACH_DEV(p) {
		if (nb_ports < RTE_DIM(ports))
			ports[nb_ports++] = p;
	}
	/* The plugin's own API: links it in even with --as-needed. */
	TEST_CHECK_EQUAL(rte_pmd_fbnic_model_poll(RTE_MAX_ETHPORTS, 1), -ENODEV);
	pool = rte_pktmbuf_pool_create("rx_intr_pool", NB_MBUFS, 0, 0,
				       RTE_MBUF_DEFAULT_BUF_SIZE, rte_socket_id());
	if (nb_ports == 0 || pool == NULL) {
		printf("FAIL: %u ports (--vdev net_fbnic_model0,wire=loopback), pool %p\n",
		       nb_ports, (void *)pool);
		return 1;
	}

	tk_run(test->name, test->fn);

	for (p = 0; p < nb_ports; p++) {
		TEST_CHECK_EQUAL(rte_eth_dev_stop(ports[p]), 0);
		TEST_CHECK_EQUAL(rte_eth_dev_close(ports[p]), 0);
	}
	TEST_CHECK_EQUAL(rte_mempool_avail_count(pool), pool->size, "every mbuf back");
	rte_openlog_stream(NULL);
	fflush(log_stream);
	if (tk_failures != 0 && log_buf != NULL)
		printf("--- log ---\n%s\n", log_buf);
	ret = tk_report(test->name);
	rte_mempool_free(pool);
	rte_eal_cleanup();
	fclose(log_stream);
	free(log_buf);
	return ret;
}
