/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

/*
 * fbnic-model-bench: how many 64-byte frames per second two cabled model
 * ports move from port A's TX queue to port B's RX queue, with one engine
 * thread running both devices and this thread playing the driver of both
 * (through the model test harness). For scale, the same run measures a
 * plain memcpy of the same frames into wire-sized slots.
 *
 * usage: fbnic-model-bench [-t seconds] [-n frames] [-s frame_size] [-b burst]
 *                          [-m min_mpps] [-p] [-r]
 *   -n  stop after this many frames arrived (the time limit still applies):
 *       a fixed amount of work, e.g. for instruction counts under callgrind
 *   -p  no engine thread: the driver thread also calls fbm_poll()
 *   -r  port B classifies with MAC-DA and action TCAM rules and RSS, the
 *       way a driver sets it up (see rpc_rss_rules()); by default every
 *       frame takes the default action to queue 0
 */

#include <getopt.h>
#include <linux/perf_event.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "fbm_harness.h"
#include "fbnic_tk_frame.h"

#define BENCH_SLOT	9744u	/* like a wire slot */
#define BENCH_SLOTS	512u

struct bench_opts {
	double seconds;
	uint64_t max_frames;	/* 0: run for seconds */
	uint32_t frame_size;
	unsigned int burst;
	double min_mpps;
	bool host_polls;	/* no engine thread: this thread calls fbm_poll() */
	bool rss_rules;		/* port B classifies with TCAM rules and RSS */
};

struct bench_port {
	struct fbh h;
	struct fbh_txq txq;
	struct fbh_rxq rxq;
	uint8_t mac[6];
};

static uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* CPU time of the whole process (this thread and the engine). */
static uint64_t
cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int
port_setup(struct bench_port *p, uint64_t dsn, const char *name)
{
	struct fbm_config cfg;
	struct fbh_rxq_conf rc;
	int ret;

	fbh_config_default(&cfg);
	cfg.virtual_time = false;
	cfg.dsn = dsn;
	snprintf(cfg.name, sizeof(cfg.name), "%s", name);
	fbh_dsn_to_mac(dsn, p->mac);
	ret = fbh_init(&p->h, &cfg, 128u << 20);
	if (ret < 0)
		return ret;
	p->h.quiet = true;
	ret = fbh_port_open(&p->h, NULL, NULL, 0);
	if (ret == 0)
		ret = fbh_txq_enable(&p->h, &p->txq, 0, 12, 2);
	fbh_rxq_conf_default(&rc);
	rc.log2_hpq = 10;
	rc.log2_ppq = 0;
	rc.log2_rcq = 13;
	if (ret == 0)
		ret = fbh_rxq_enable(&p->h, &p->rxq, 0, &rc);
	if (ret == 0)
		fbh_rpc_default_queue(&p->h, 0);
	return ret;
}

/*
 * Hardware counter of the user-space instructions of this thread and of the
 * threads it starts from now on (the engine), or -1 where there is none
 * (e.g. in most virtual machines): then only callgrind tells.
 */
static int
insn_counter_open(void)
{
	struct perf_event_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.type = PERF_TYPE_HARDWARE;
	attr.size = sizeof(attr);
	attr.config = PERF_COUNT_HW_INSTRUCTIONS;
	attr.inherit = 1;
	attr.exclude_kernel = 1;
	attr.exclude_hv = 1;
	return (int)syscall(SYS_perf_event_open, &attr, 0, -1, -1, 0);
}

/* Instructions counted so far, engine included once it has exited; 0 if unknown. */
static uint64_t
insn_counter_read(int fd)
{
	uint64_t n;

	if (fd < 0 || read(fd, &n, sizeof(n)) != (ssize_t)sizeof(n))
		return 0;
	return n;
}

/* Action TCAM key word 1 bits (fbnic_hw.rst 7.3). */
#define ACT_KEY1_MACDA_HIT	(1u << 10)
#define ACT_KEY1_IPV6		(1u << 11)
#define ACT_KEY1_IP		(1u << 12)
#define ACT_KEY1_UDP		(1u << 14)
#define ACT_KEY1_L4		(1u << 15)

/* TCAM word: the value in 15:0, the don't-care bits in 31:16. */
static uint32_t
tcam_word(uint16_t value, uint16_t care)
{
	return value | (uint32_t)(uint16_t)~care << 16;
}

/*
 * A classifier set up like a driver's RSS defaults: the port's address and
 * broadcast in the MAC-DA TCAM; action entries for frames to them, lowest
 * first: IPv6 TCP, IPv6 UDP, other IPv6, IPv4 TCP, IPv4 UDP, other IPv4,
 * non-IP; each hashes addresses (and ports) into RSS table 0, whose
 * entries all send to queue 0. The default action drops, so a frame that
 * arrives went through the rules: a UDP/IPv4 frame is the fifth entry.
 */
static void
rpc_rss_rules(struct bench_port *p)
{
	static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	static const struct {
		uint16_t value;
		uint16_t care;
		uint32_t rss;
	} act[] = {
		{ ACT_KEY1_IP | ACT_KEY1_IPV6 | ACT_KEY1_L4, ACT_KEY1_IP | ACT_KEY1_IPV6 |
		  ACT_KEY1_L4 | ACT_KEY1_UDP, 15 },
		{ ACT_KEY1_IP | ACT_KEY1_IPV6 | ACT_KEY1_L4 | ACT_KEY1_UDP, ACT_KEY1_IP |
		  ACT_KEY1_IPV6 | ACT_KEY1_L4 | ACT_KEY1_UDP, 15 },
		{ ACT_KEY1_IP | ACT_KEY1_IPV6, ACT_KEY1_IP | ACT_KEY1_IPV6, 3 },
		{ ACT_KEY1_IP | ACT_KEY1_L4, ACT_KEY1_IP | ACT_KEY1_IPV6 | ACT_KEY1_L4 |
		  ACT_KEY1_UDP, 15 },
		{ ACT_KEY1_IP | ACT_KEY1_L4 | ACT_KEY1_UDP, ACT_KEY1_IP | ACT_KEY1_IPV6 |
		  ACT_KEY1_L4 | ACT_KEY1_UDP, 15 },
		{ ACT_KEY1_IP, ACT_KEY1_IP | ACT_KEY1_IPV6, 3 },
		{ 0, 0, 16 },
	};
	const uint8_t *da[2] = { p->mac, bcast };
	uint32_t key = 0x6d5a56da;
	unsigned int e, w;

	for (e = 0; e < 2; e++) {
		for (w = 0; w < 3; w++)
			fbh_wr(&p->h, FBNIC_RPC_TCAM_MACDA(e, w),
			       tcam_word((uint16_t)(da[e][4 - 2 * w] << 8 | da[e][5 - 2 * w]),
					 0xffff));
		fbh_wr(&p->h, FBNIC_RPC_TCAM_MACDA(e, 3), FBNIC_RPC_TCAM_VALIDATE);
	}
	for (e = 0; e < FBM_DIM(act); e++) {
		for (w = 0; w < 11; w++)
			fbh_wr(&p->h, FBNIC_RPC_TCAM_ACT(e, w),
			       w == 1 ? tcam_word(act[e].value | ACT_KEY1_MACDA_HIT,
						  act[e].care | ACT_KEY1_MACDA_HIT) :
			       tcam_word(0, 0));
		fbh_wr(&p->h, FBNIC_RPC_TCAM_ACT(e, 11), FBNIC_RPC_TCAM_VALIDATE);
		fbh_wr(&p->h, FBNIC_RPC_ACT_TBL0(e),
		       FBNIC_FIELD_PREP(FBNIC_RPC_ACT_TBL0_DEST_MASK,
					FBNIC_RPC_ACT_TBL0_DEST_HOST));
		fbh_wr(&p->h, FBNIC_RPC_ACT_TBL1(e), act[e].rss);
	}
	for (w = 0; w < FBNIC_RPC_RSS_KEY_DWORD_LEN; w++) {
		key = key * 1103515245u + 12345u;
		fbh_wr(&p->h, FBNIC_RPC_RSS_KEY(w), key);
	}
	for (e = 0; e < FBNIC_RPC_RSS_TBL_SIZE; e++)
		fbh_wr(&p->h, FBNIC_RPC_RSS_TBL(0, e), 0);
	fbh_wr(&p->h, FBNIC_RPC_ACT_TBL0_DEFAULT, FBNIC_RPC_ACT_TBL0_DROP);
	fbh_flush(&p->h);
}

/* Frames per second of the model, A -> B, for opts->seconds. */
static double
run_model(struct bench_port *a, struct bench_port *b, const struct bench_opts *o,
	  uint64_t *frames_out, uint64_t *sent_out, double *cpu_pps)
{
	uint64_t start, end, deadline, sent = 0, recvd = 0, bytes = 0;
	uint64_t cpu0 = cpu_ns(), cpu, iova;
	unsigned int i, n;
	uint8_t *frame;

	*frames_out = 0;
	*sent_out = 0;
	*cpu_pps = 0;
	/* One frame in host memory, sent again and again (no copy per frame). */
	frame = fbh_alloc(&a->h, FBM_MAX_FRAME, 64, &iova);
	if (frame == NULL)
		return 0;
	tk_frame_udp4(frame, o->frame_size, b->mac, a->mac, 1);
	start = now_ns();
	deadline = start + (uint64_t)(o->seconds * 1e9);
	for (i = 0;; i++) {
		int got, reaped;

		/* Reading the clock costs as much as a frame: not every round. */
		if ((i & 63) == 0 && now_ns() >= deadline)
			break;
		if (o->max_frames != 0 && recvd >= o->max_frames)
			break;
		if (o->host_polls) {
			fbm_poll(a->h.dev, 64);
			fbm_poll(b->h.dev, 64);
		}
		/* Keep A's TX ring fed with bursts, one doorbell per burst. */
		for (n = 0; n < o->burst && fbh_tx_space(&a->txq) >= 2; n++) {
			if (fbh_tx_post_iova(&a->h, &a->txq, iova, o->frame_size, 0) < 0)
				break;
			sent++;
		}
		if (n != 0)
			fbh_tx_doorbell(&a->h, &a->txq);
		reaped = fbh_tx_reap(&a->h, &a->txq);
		got = fbh_rx_drain(&b->h, &b->rxq, 1024, &bytes);
		if (got < 0 || reaped < 0) {
			fprintf(stderr, "completion sequence broken\n");
			break;
		}
		recvd += (uint64_t)got;
		/* Nothing moved: let the engine have the CPU if we share one. */
		if (n == 0 && got == 0 && reaped == 0 && !o->host_polls)
			sched_yield();
	}
	end = now_ns();
	cpu = cpu_ns() - cpu0;
	*cpu_pps = cpu > 0 ? (double)recvd / ((double)cpu / 1e9) : 0;
	*frames_out = recvd;
	*sent_out = sent;
	return (double)recvd / ((double)(end - start) / 1e9);
}

/*
 * Frames per second of a memcpy of the same frame into wire-sized slots,
 * for a quarter of the run time but at most half a second (also with -n).
 */
static double
run_baseline(const struct bench_opts *o)
{
	static uint8_t frame[FBM_MAX_FRAME];
	uint8_t *slots = malloc((size_t)BENCH_SLOTS * BENCH_SLOT);
	uint64_t limit = (uint64_t)(o->seconds * 1e9 / 4);
	uint64_t start, n = 0, elapsed;
	volatile uint8_t sink = 0;
	unsigned int i;

	if (slots == NULL)
		return 0;
	if (limit > 500000000u)
		limit = 500000000u;
	tk_frame_udp4(frame, o->frame_size, frame, frame + 6, 1);
	start = now_ns();
	do {
		for (i = 0; i < 4096; i++, n++)
			memcpy(slots + (n % BENCH_SLOTS) * BENCH_SLOT, frame, o->frame_size);
		sink ^= slots[(n % BENCH_SLOTS) * BENCH_SLOT];
		elapsed = now_ns() - start;
	} while (elapsed < limit);
	(void)sink;
	free(slots);
	return (double)n / ((double)elapsed / 1e9);
}

static int
parse_opts(int argc, char **argv, struct bench_opts *o)
{
	int c;

	o->seconds = 2.0;
	o->max_frames = 0;
	o->frame_size = 64;
	o->burst = 32;
	o->min_mpps = 0;
	o->host_polls = false;
	o->rss_rules = false;
	while ((c = getopt(argc, argv, "t:n:s:b:m:prh")) != -1) {
		switch (c) {
		case 't':
			o->seconds = atof(optarg);
			break;
		case 'n':
			o->max_frames = strtoull(optarg, NULL, 0);
			break;
		case 's':
			o->frame_size = (uint32_t)atoi(optarg);
			break;
		case 'b':
			o->burst = (unsigned int)atoi(optarg);
			break;
		case 'm':
			o->min_mpps = atof(optarg);
			break;
		case 'p':
			o->host_polls = true;
			break;
		case 'r':
			o->rss_rules = true;
			break;
		default:
			return -1;
		}
	}
	if (o->seconds <= 0 || o->seconds > 3600 || o->frame_size < 60 ||
	    o->frame_size > FBM_MAX_FRAME || o->burst == 0 || o->burst > 1024)
		return -1;
	return 0;
}

int
main(int argc, char **argv)
{
	struct fbm_wire_stats sa, sb;
	struct bench_port a, b;
	struct fbm_engine *eng;
	struct bench_opts o;
	uint64_t frames, sent;
	double pps, base, cpu_pps;
	uint64_t insns;
	int ret, insn_fd;

	if (parse_opts(argc, argv, &o) < 0) {
		fprintf(stderr, "usage: %s [-t seconds] [-n frames] [-s frame_size 60..%u] "
			"[-b burst] [-m min_mpps] [-p] [-r]\n", argv[0], FBM_MAX_FRAME);
		return 2;
	}
	if (port_setup(&a, 0x02fb4efffe00000aULL, "benchA") < 0 ||
	    port_setup(&b, 0x02fb4efffe00000bULL, "benchB") < 0) {
		fprintf(stderr, "port setup failed\n");
		return 1;
	}
	if (o.rss_rules)
		rpc_rss_rules(&b);
	ret = fbm_wire_connect(a.h.dev, b.h.dev);
	if (ret == 0)
		ret = fbm_engine_create(&eng);
	if (ret == 0)
		ret = fbm_engine_add(eng, a.h.dev);
	if (ret == 0)
		ret = fbm_engine_add(eng, b.h.dev);
	insn_fd = insn_counter_open();
	if (ret == 0 && !o.host_polls)
		ret = fbm_engine_start(eng);
	if (ret < 0) {
		fprintf(stderr, "engine setup failed: %s\n", strerror(-ret));
		return 1;
	}

	pps = run_model(&a, &b, &o, &frames, &sent, &cpu_pps);
	fbm_engine_destroy(eng);
	insns = insn_counter_read(insn_fd);
	if (insn_fd >= 0)
		close(insn_fd);
	base = run_baseline(&o);
	fbm_wire_stats_get(a.h.dev, &sa);
	fbm_wire_stats_get(b.h.dev, &sb);

	printf("fbnic-model-bench: %u-byte frames, port A -> cable -> port B%s, %s, ",
	       o.frame_size, o.rss_rules ? " (TCAM rules, RSS)" : "",
	       o.host_polls ? "host polls (no engine)" : "1 engine thread");
	if (o.max_frames != 0)
		printf("%llu frames (at most %.1f s)\n", (unsigned long long)o.max_frames,
		       o.seconds);
	else
		printf("%.1f s\n", o.seconds);
	printf("  model     %12llu frames  %7.2f Mpps  %6.2f Gbit/s  (%.2f Mpps per CPU second)\n",
	       (unsigned long long)frames, pps / 1e6, pps * o.frame_size * 8 / 1e9,
	       cpu_pps / 1e6);
	printf("  baseline  memcpy of the same frames into wire slots  %7.2f Mpps\n",
	       base / 1e6);
	printf("  ratio     model / baseline = %.1f %%\n", base > 0 ? 100 * pps / base : 0);
	if (insns != 0 && frames != 0)
		printf("  cost      %.0f instructions per frame (driver and model threads, idle "
		       "polling included)\n", (double)insns / (double)frames);
	else
		printf("  cost      instructions per frame: no hardware counter here "
		       "(callgrind: see fbnic_model.rst)\n");
	printf("  wire      A tx %llu (drops %llu), B rx %llu (drops %llu); posted %llu\n",
	       (unsigned long long)sa.tx_frames, (unsigned long long)sa.tx_drops,
	       (unsigned long long)sb.rx_frames, (unsigned long long)sb.rx_drops,
	       (unsigned long long)sent);

	fbh_fini(&a.h);
	fbh_fini(&b.h);
	if (o.min_mpps > 0 && pps / 1e6 < o.min_mpps) {
		fprintf(stderr, "below the %.2f Mpps target\n", o.min_mpps);
		return 1;
	}
	return 0;
}
