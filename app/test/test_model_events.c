/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

/*
 * Control-path behaviour of model ports under faults, through the public
 * ethdev API and rte_pmd_fbnic.h. One test function per run, named on the
 * command line; the meson test of the same name runs it:
 *
 *   link_fault_raises_lsc_events: link_down injected and cleared at run
 *     time raises two LSC events (down, then up) and the reported link
 *     follows.
 *   surprise_removal_raises_rmv_event: surprise removal raises
 *     RTE_ETH_EVENT_INTR_RMV; afterwards the port reports removed, bursts
 *     return 0, start fails with an error, stop and close return, nothing
 *     crashes.
 *   silent_firmware_fails_probe_within_bound: a port whose firmware never
 *     answers fails to probe within the mailbox bound with a log line
 *     saying so; no port.
 *   bad_devargs_give_no_port: every malformed devargs string fails the
 *     probe with a log line naming the key and value; no port.
 *   fw_version_devarg_is_reported: fw_version=a.b.c.d is what
 *     rte_eth_dev_fw_version_get reports, with the ethdev size semantics.
 *   path_devargs_choose_the_path, link_speed_devarg_sets_the_reported_speed,
 *   engine_cpus_place_the_engine: the devargs of the same names.
 *   old_firmware_fails_probe_at_once: firmware reporting version 0.0.0.0
 *     fails the probe at once with a log line naming the version; no port.
 *   hot_unplug_keeps_peer_working: a running port of a cabled pair is
 *     hot-unplugged (rte_dev_remove); the other port keeps working, and a
 *     port probed again with wire=peer: is cabled to it anew.
 *   firmware_crash_is_recovered: firmware that stops answering at run time
 *     is detected by the heartbeat (logged), control operations stay
 *     bounded, and once it answers again the driver takes ownership back
 *     and the port passes frames as before.
 *   silent_firmware_keeps_control_path: while one port's firmware is silent
 *     (and the driver tries to take ownership back), its stats, xstats and
 *     link calls return within 50 ms, and another port's LSC events arrive
 *     as fast as before the outage.
 *
 * Usage: test_model_events <test> <EAL args>
 */

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <rte_bus.h>
#include <rte_cpuflags.h>
#include <rte_dev.h>
#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_ether.h>
#include <rte_log.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>
#include <rte_vect.h>

#include "rte_pmd_fbnic.h"

#include "fbnic_tk.h"
#include "fbnic_tk_frame.h"
#include "test_select.h"

/* Log lines of the process, kept to search them. */
static char *log_buf;
static size_t log_len;
static FILE *log_stream;

static void
sleep_ms(unsigned int ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

static bool
log_contains(const char *a, const char *b)
{
	const char *line;

	fflush(log_stream);
	if (log_buf == NULL)
		return false;
	for (line = log_buf; line != NULL && *line != '\0'; ) {
		const char *end = strchr(line, '\n');
		size_t n = end ? (size_t)(end - line) : strlen(line);
		char tmp[1024];

		snprintf(tmp, sizeof(tmp), "%.*s", (int)RTE_MIN(n, sizeof(tmp) - 1), line);
		if (strstr(tmp, a) != NULL && (b == NULL || strstr(tmp, b) != NULL))
			return true;
		line = end ? end + 1 : NULL;
	}
	return false;
}

/* Events seen by the callback. */
static struct rte_mempool *mp_global;
static volatile int lsc_events;
static volatile int rmv_events;
static volatile int last_link_status = -1;

static int
event_cb(uint16_t port, enum rte_eth_event_type type, void *arg, void *ret_param)
{
	struct rte_eth_link link;

	RTE_SET_USED(arg);
	RTE_SET_USED(ret_param);
	if (type == RTE_ETH_EVENT_INTR_LSC) {
		if (rte_eth_link_get_nowait(port, &link) == 0)
			last_link_status = link.link_status;
		lsc_events++;
	} else if (type == RTE_ETH_EVENT_INTR_RMV) {
		rmv_events++;
	}
	return 0;
}

static bool
wait_for(volatile int *var, int want, unsigned int ms)
{
	uint64_t deadline = tk_now_ms() + ms;

	while (*var < want && tk_now_ms() < deadline)
		sleep_ms(10);
	return *var >= want;
}

static int
port_by_name(const char *name)
{
	uint16_t port;

	if (rte_eth_dev_get_port_by_name(name, &port) != 0)
		return -1;
	return port;
}

/* Probe a model port and start it with one queue pair. Returns the port or -1. */
static int
start_port(const char *devargs, struct rte_mempool *mp, bool lsc)
{
	struct rte_eth_conf conf;
	uint16_t port;
	int ret;

	char name[64];

	ret = rte_dev_probe(devargs);
	TEST_CHECK(ret == 0, "probe %s: %d", devargs, ret);
	if (ret != 0)
		return -1;
	snprintf(name, sizeof(name), "%.*s", (int)strcspn(devargs, ","), devargs);
	if (rte_eth_dev_get_port_by_name(name, &port) != 0) {
		TEST_CHECK(false, "no port named %s", name);
		return -1;
	}
	memset(&conf, 0, sizeof(conf));
	conf.intr_conf.lsc = lsc;
	conf.intr_conf.rmv = 1;
	TEST_CHECK(rte_eth_dev_configure(port, 1, 1, &conf) == 0, "configure");
	TEST_CHECK(rte_eth_rx_queue_setup(port, 0, 256, rte_socket_id(), NULL, mp) == 0, "rxq");
	TEST_CHECK(rte_eth_tx_queue_setup(port, 0, 256, rte_socket_id(), NULL) == 0, "txq");
	rte_eth_dev_callback_register(port, RTE_ETH_EVENT_INTR_LSC, event_cb, NULL);
	rte_eth_dev_callback_register(port, RTE_ETH_EVENT_INTR_RMV, event_cb, NULL);
	ret = rte_eth_dev_start(port);
	TEST_CHECK(ret == 0, "start: %d", ret);
	return ret == 0 ? port : -1;
}

static int
link_fault_raises_lsc_events(void)
{
	struct rte_mempool *mp = mp_global;
	struct rte_eth_link link;
	int port = start_port("net_fbnic_model0,wire=loopback", mp, true);

	if (port < 0)
		return TEST_FAILED;
	/* The link comes up by itself: one event. */
	TEST_CHECK(wait_for(&lsc_events, 1, 5000), "no LSC event for link up (%d)", lsc_events);
	TEST_CHECK(last_link_status == RTE_ETH_LINK_UP, "link %d after first event",
		   last_link_status);

	TEST_CHECK(rte_pmd_fbnic_model_fault_set((uint16_t)port, "link_down", true) == 0,
		   "fault on");
	TEST_CHECK(wait_for(&lsc_events, 2, 5000), "no LSC event for link down (%d)", lsc_events);
	TEST_CHECK(last_link_status == RTE_ETH_LINK_DOWN, "link %d after link_down",
		   last_link_status);
	TEST_CHECK(rte_eth_link_get_nowait((uint16_t)port, &link) == 0 &&
		   link.link_status == RTE_ETH_LINK_DOWN, "link_get reports %d", link.link_status);

	TEST_CHECK(rte_pmd_fbnic_model_fault_set((uint16_t)port, "link_down", false) == 0,
		   "fault off");
	TEST_CHECK(wait_for(&lsc_events, 3, 5000), "no LSC event for link up again (%d)",
		   lsc_events);
	TEST_CHECK(last_link_status == RTE_ETH_LINK_UP, "link %d after recovery", last_link_status);
	TEST_CHECK(rte_eth_link_get_nowait((uint16_t)port, &link) == 0 &&
		   link.link_status == RTE_ETH_LINK_UP && link.link_speed == RTE_ETH_SPEED_NUM_100G,
		   "link_get reports %d at %u Mbps", link.link_status, link.link_speed);

	TEST_CHECK(rte_pmd_fbnic_model_fault_set((uint16_t)port, "no_such_fault", true) == -EINVAL,
		   "unknown fault accepted");
	TEST_CHECK(rte_eth_dev_stop((uint16_t)port) == 0, "stop");
	TEST_CHECK(rte_eth_dev_close((uint16_t)port) == 0, "close");
	printf("%d events\n", lsc_events);
	return TEST_SUCCESS;
}

static int
surprise_removal_raises_rmv_event(void)
{
	struct rte_mempool *mp = mp_global;
	struct rte_mbuf *pkts[8];
	struct rte_eth_stats st;
	uint64_t t0;
	int port = start_port("net_fbnic_model0,wire=loopback", mp, false);
	int ret;

	if (port < 0)
		return TEST_FAILED;
	TEST_CHECK(rte_eth_dev_is_removed((uint16_t)port) == 0, "removed before the fault");
	TEST_CHECK(rte_pmd_fbnic_model_fault_set((uint16_t)port, "surprise_removal", true) == 0,
		   "fault on");
	TEST_CHECK(wait_for(&rmv_events, 1, 5000), "no RMV event");
	TEST_CHECK(rte_eth_dev_is_removed((uint16_t)port) == 1, "port not reported removed");
	TEST_CHECK(rte_eth_rx_burst((uint16_t)port, 0, pkts, RTE_DIM(pkts)) == 0, "rx burst");
	TEST_CHECK(rte_pktmbuf_alloc_bulk(mp, pkts, 1) == 0, "alloc");
	pkts[0]->data_len = pkts[0]->pkt_len = 60;
	ret = rte_eth_tx_burst((uint16_t)port, 0, pkts, 1);
	TEST_CHECK(ret == 0, "tx burst accepted %d frames", ret);
	if (ret == 0)
		rte_pktmbuf_free(pkts[0]);
	TEST_CHECK(rte_eth_stats_get((uint16_t)port, &st) == 0, "stats after removal");

	t0 = tk_now_ms();
	TEST_CHECK(rte_eth_dev_stop((uint16_t)port) == 0, "stop");
	ret = rte_eth_dev_start((uint16_t)port);
	TEST_CHECK(ret == -EIO || ret == -ENODEV, "start after removal: %d", ret);
	ret = rte_eth_promiscuous_enable((uint16_t)port);
	TEST_CHECK(ret == -EIO || ret == -ENODEV, "promiscuous_enable after removal: %d", ret);
	TEST_CHECK(rte_eth_dev_close((uint16_t)port) == 0, "close");
	TEST_CHECK(tk_now_ms() - t0 < 15000, "stop/start/close took %" PRIu64 " ms",
		   tk_now_ms() - t0);
	TEST_CHECK(log_contains("device removed", NULL), "no log line for the removal");
	printf("%d events, teardown %" PRIu64 " ms\n", rmv_events, tk_now_ms() - t0);
	return TEST_SUCCESS;
}

static int
silent_firmware_fails_probe_within_bound(void)
{
	uint64_t t0 = tk_now_ms();
	int ret = rte_dev_probe("net_fbnic_model0,fault=fw_silent");
	uint64_t dt = tk_now_ms() - t0;

	TEST_CHECK(ret == -ETIMEDOUT, "probe returned %d, want -ETIMEDOUT", ret);
	TEST_CHECK(rte_eth_dev_count_avail() == 0, "a port exists");
	/* 10 s mailbox budget (fbnic_hw.rst 6.3) plus slack. */
	TEST_CHECK(dt < 15000, "probe took %" PRIu64 " ms", dt);
	TEST_CHECK(log_contains("firmware did not come up", "net_fbnic_model0"),
		   "no log line about the silent firmware");
	printf("probe failed with %d after %" PRIu64 " ms\n", ret, dt);
	return TEST_SUCCESS;
}

static int
bad_devargs_give_no_port(void)
{
	static const struct {
		const char *args;
		const char *key;
		const char *val;
	} cases[] = {
		{ "wire=bogus", "wire", "bogus" },
		{ "wire=peer:net_fbnic_model77", "wire", "net_fbnic_model77" },
		{ "wire=peer:", "wire", "peer:" },
		{ "colour=blue", "colour", "blue" },
		{ "engine=fast", "engine", "fast" },
		{ "link_hold_off_ms=soon", "link_hold_off_ms", "soon" },
		{ "fw_ready_ms=-5", "fw_ready_ms", "-5" },
		{ "fault=no_such_fault", "fault", "no_such_fault" },
		{ "fault=link_down+bogus", "fault", "bogus" },
		{ "dsn=0xzz", "dsn", "0xzz" },
		/* Empty fault names, a number after a blank: once accepted */
		{ "fault=+", "fault=+:", "empty" },
		{ "fault=link_down+", "fault=link_down+:", "empty" },
		{ "dsn= 1", "dsn= 1:", "expected" },
		{ "link_hold_off_ms= 5", "link_hold_off_ms= 5:", "expected" },
		{ "fw_version= 1.2.3.4", "fw_version= 1.2.3.4:", "expected" },
		/* A capture file that cannot be written */
		{ "wire=pcap::/proc/version", "pcap /proc/version", "cannot write" },
		{ "fw_version=1.2.3", "fw_version", "1.2.3" },
		{ "fw_version=1.2.3.256", "fw_version", "1.2.3.256" },
		{ "wire=loopback,wire=none", "wire", "twice" },
		{ "rx_zero_copy=2", "rx_zero_copy", "2" },
		{ "rx_path=neon", "rx_path", "neon" },
		{ "engine_cpus=", "engine_cpus", "CPU list" },
		{ "engine_cpus=1-", "engine_cpus", "1-" },
		{ "engine_cpus=3-1", "engine_cpus", "3-1" },
		{ "engine_cpus=0+", "engine_cpus", "0+" },
		{ "engine_cpus=4096", "engine_cpus", "4096" },
		{ "tx_path=", "tx_path", "expected" },
		{ "rx_path=SSE", "rx_path", "scalar|sse|avx2|avx512" },
		{ "link_speed=400001", "link_speed", "400001" },
		{ "link_speed=fast", "link_speed", "fast" },
		/* Valid syntax, but a DSN that gives a multicast MAC: no port either. */
		{ "dsn=0x0100000000000001", "Serial Number", "no port" },
		{ "dsn=0", "Serial Number", "no port" },
	};
	char devargs[256];
	unsigned int i;
	uint64_t t0;
	int ret;

	for (i = 0; i < RTE_DIM(cases); i++) {
		snprintf(devargs, sizeof(devargs), "net_fbnic_model%u,%s", 10 + i, cases[i].args);
		t0 = tk_now_ms();
		ret = rte_dev_probe(devargs);
		TEST_CHECK(ret < 0, "'%s' probed (%d)", devargs, ret);
		/* Refused at once: no mailbox wait, no bring-up retried */
		TEST_CHECK(tk_now_ms() - t0 < 3000, "'%s' took %" PRIu64 " ms", devargs,
			   tk_now_ms() - t0);
		TEST_CHECK(rte_eth_dev_count_avail() == 0, "'%s' left a port", devargs);
		TEST_CHECK(log_contains(cases[i].key, cases[i].val),
			   "'%s': no log line naming %s and %s", devargs, cases[i].key,
			   cases[i].val);
	}
	printf("%u cases\n", i);
	return TEST_SUCCESS;
}

/*
 * Firmware that reports version 0.0.0.0 is too old: the probe fails as soon
 * as its FW_CAP_RESP comes, not after the mailbox's 10 s, and says why.
 */
static int
old_firmware_fails_probe_at_once(void)
{
	uint64_t t0 = tk_now_ms();
	int ret = rte_dev_probe("net_fbnic_model0,fw_version=0.0.0.0");
	uint64_t dt = tk_now_ms() - t0;

	TEST_CHECK(ret == -EOPNOTSUPP, "probe returned %d, want -EOPNOTSUPP", ret);
	TEST_CHECK(rte_eth_dev_count_avail() == 0, "a port exists");
	TEST_CHECK(dt < 2000, "probe took %" PRIu64 " ms", dt);
	TEST_CHECK(log_contains("firmware 0.0.0.0", "older than"),
		   "no log line naming the firmware version");
	TEST_CHECK(!log_contains("no mailbox answer", NULL), "blamed on a silent mailbox");
	printf("probe failed with %d after %" PRIu64 " ms\n", ret, dt);
	return TEST_SUCCESS;
}

static int
fw_version_devarg_is_reported(void)
{
	struct rte_mempool *mp = mp_global;
	char buf[64];
	int port = start_port("net_fbnic_model0,wire=none,fw_version=1.22.3.44", mp, false);
	int ret;

	if (port < 0)
		return TEST_FAILED;
	ret = rte_eth_dev_fw_version_get((uint16_t)port, buf, sizeof(buf));
	TEST_CHECK(ret == 0, "fw_version_get: %d", ret);
	TEST_CHECK(strncmp(buf, "1.22.3.44", 9) == 0, "fw version '%s'", buf);
	/* Too small a buffer: the size needed, NUL included. */
	ret = rte_eth_dev_fw_version_get((uint16_t)port, buf, 4);
	TEST_CHECK(ret == (int)strlen(buf) + 1 || ret > 10, "short buffer: %d", ret);
	TEST_CHECK(rte_eth_dev_stop((uint16_t)port) == 0, "stop");
	TEST_CHECK(rte_eth_dev_close((uint16_t)port) == 0, "close");
	return TEST_SUCCESS;
}

/*
 * link_speed= sets the speed an up link reports (the run size of
 * pmd_perf_autotest's continuous mode), and only that: frames still flow.
 */
static int
link_speed_devarg_sets_the_reported_speed(void)
{
	struct rte_mempool *mp = mp_global;
	struct rte_eth_link link;
	uint64_t t0 = tk_now_ms();
	int port = start_port("net_fbnic_model0,wire=loopback,link_speed=1000", mp, false);

	if (port < 0)
		return TEST_FAILED;
	do {
		TEST_CHECK(rte_eth_link_get_nowait((uint16_t)port, &link) == 0, "link_get");
	} while (link.link_status != RTE_ETH_LINK_UP && tk_now_ms() - t0 < 5000);
	TEST_CHECK(link.link_status == RTE_ETH_LINK_UP && link.link_speed == RTE_ETH_SPEED_NUM_1G,
		   "link %d at %u Mbps, expected up at 1000", link.link_status, link.link_speed);
	TEST_CHECK(rte_eth_dev_stop((uint16_t)port) == 0, "stop");
	TEST_CHECK(rte_eth_link_get_nowait((uint16_t)port, &link) == 0 &&
		   link.link_status == RTE_ETH_LINK_DOWN &&
		   link.link_speed == RTE_ETH_SPEED_NUM_NONE,
		   "stopped: link %d at %u Mbps", link.link_status, link.link_speed);
	TEST_CHECK(rte_eth_dev_close((uint16_t)port) == 0, "close");
	printf("%u Mbps reported\n", RTE_ETH_SPEED_NUM_1G);
	return TEST_SUCCESS;
}

/* rx_path / tx_path cap the paths a port chooses, under EAL's SIMD cap. */
static int
path_devargs_choose_the_path(void)
{
	struct rte_mempool *mp = mp_global;
	static const struct {
		const char *args, *rx, *tx;
		uint16_t simd;		/* the path's width: skipped beyond the CPU's */
		int flag;
	} cases[] = {
		{ "rx_path=scalar,tx_path=scalar", "Scalar", "Scalar", 64, -1 },
		{ "rx_path=sse", "SSE", "AVX2", 256, RTE_CPUFLAG_AVX2 },
		{ "tx_path=sse", "AVX2", "SSE", 256, RTE_CPUFLAG_AVX2 },
		{ "rx_path=sse,tx_path=sse", "SSE", "SSE", 128, RTE_CPUFLAG_SSE4_2 },
		{ "tx_path=scalar", "AVX2", "Scalar", 256, RTE_CPUFLAG_AVX2 },
		/* EAL's default cap (256 bits) stays in force */
		{ "rx_path=avx512,tx_path=avx512", "AVX2", "AVX2", 256, RTE_CPUFLAG_AVX2 },
	};
	struct rte_eth_burst_mode bm;
	char devargs[128];
	unsigned int i, runs = 0;
	int port;

	for (i = 0; i < RTE_DIM(cases); i++) {
		if (cases[i].simd > rte_vect_get_max_simd_bitwidth() ||
		    (cases[i].flag >= 0 &&
		     rte_cpu_get_flag_enabled((enum rte_cpu_flag_t)cases[i].flag) <= 0))
			continue;
		snprintf(devargs, sizeof(devargs), "net_fbnic_model%u,wire=none,%s", 30 + i,
			 cases[i].args);
		port = start_port(devargs, mp, false);
		if (port < 0)
			continue;
		TEST_CHECK(rte_eth_rx_burst_mode_get((uint16_t)port, 0, &bm) == 0 &&
			   strcmp(bm.info, cases[i].rx) == 0, "%s: Rx path %s, expected %s",
			   cases[i].args, bm.info, cases[i].rx);
		TEST_CHECK(rte_eth_tx_burst_mode_get((uint16_t)port, 0, &bm) == 0 &&
			   strcmp(bm.info, cases[i].tx) == 0, "%s: Tx path %s, expected %s",
			   cases[i].args, bm.info, cases[i].tx);
		TEST_CHECK(rte_eth_dev_stop((uint16_t)port) == 0, "stop");
		TEST_CHECK(rte_eth_dev_close((uint16_t)port) == 0, "close");
		runs++;
	}
	TEST_CHECK(runs != 0, "no case ran");
	printf("%u cases\n", runs);
	return TEST_SUCCESS;
}

/* The CPUs allowed to this process's thread named comm, as a list ("" if none). */
static void
thread_cpus(const char *comm, char *out, size_t len)
{
	char path[320], line[256];
	struct dirent *de;
	DIR *d = opendir("/proc/self/task");

	out[0] = '\0';
	if (d == NULL)
		return;
	while ((de = readdir(d)) != NULL && out[0] == '\0') {
		FILE *f;

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/self/task/%s/comm", de->d_name);
		f = fopen(path, "r");
		if (f == NULL)
			continue;
		if (fgets(line, sizeof(line), f) == NULL ||
		    strncmp(line, comm, strlen(comm)) != 0) {
			fclose(f);
			continue;
		}
		fclose(f);
		snprintf(path, sizeof(path), "/proc/self/task/%s/status", de->d_name);
		f = fopen(path, "r");
		if (f == NULL)
			continue;
		while (fgets(line, sizeof(line), f) != NULL)
			if (sscanf(line, "Cpus_allowed_list: %63s", out) == 1)
				break;
		fclose(f);
	}
	closedir(d);
	if (len < 64)
		out[0] = '\0';
}

/* engine_cpus= puts the model's engine thread on the CPUs named. */
static int
engine_cpus_place_the_engine(void)
{
	struct rte_mempool *mp = mp_global;
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	char devargs[96], want[24], got[64];
	int port;

	/* The last CPU: not the main lcore's (CPU 0) on a machine with more than one. */
	snprintf(want, sizeof(want), "%ld", ncpu > 1 ? ncpu - 1 : 0);
	snprintf(devargs, sizeof(devargs), "net_fbnic_model0,wire=none,engine_cpus=%s", want);
	port = start_port(devargs, mp, false);
	if (port < 0)
		return TEST_FAILED;
	thread_cpus("fbm-engine", got, sizeof(got));
	TEST_CHECK(strcmp(got, want) == 0, "engine thread on CPUs '%s', expected '%s'", got, want);
	printf("engine thread on CPU %s\n", got);
	TEST_CHECK(rte_eth_dev_stop((uint16_t)port) == 0, "stop");
	TEST_CHECK(rte_eth_dev_close((uint16_t)port) == 0, "close");
	return TEST_SUCCESS;
}

/* Frames sent on port a arriving on port b (queue 0 both). */
static unsigned int
cable_frames(uint16_t a, uint16_t b, unsigned int n)
{
	struct rte_mbuf *pkts[32];
	struct rte_ether_addr mac;
	struct tk_frame fr;
	uint64_t deadline;
	unsigned int i, got = 0;
	uint16_t k, sent;

	n = RTE_MIN(n, (unsigned int)RTE_DIM(pkts));
	rte_eth_macaddr_get(b, &mac);
	if (rte_pktmbuf_alloc_bulk(mp_global, pkts, n) != 0)
		return 0;
	/* 64 bytes of the local experimental EtherType 0x88b5 */
	tk_frame_init(&fr, false, 0);
	memcpy(fr.dst_mac, &mac, sizeof(fr.dst_mac));
	fr.ethertype = 0x88b5;
	for (i = 0; i < n; i++)
		tk_frame_build((uint8_t *)rte_pktmbuf_append(pkts[i], 64), &fr, 64 - TK_ETH_HLEN);
	sent = rte_eth_tx_burst(a, 0, pkts, (uint16_t)n);
	for (k = sent; k < n; k++)
		rte_pktmbuf_free(pkts[k]);
	deadline = tk_now_ms() + 2000;
	while (got < sent && tk_now_ms() < deadline) {
		k = rte_eth_rx_burst(b, 0, pkts, RTE_DIM(pkts));
		got += k;
		while (k > 0)
			rte_pktmbuf_free(pkts[--k]);
	}
	return got;
}

/* Frames sent to the port's own address on queue 0 that come back. */
static unsigned int
loop_frames(uint16_t port, unsigned int n)
{
	return cable_frames(port, port, n);
}

static bool
wait_log(const char *a, unsigned int ms)
{
	uint64_t deadline = tk_now_ms() + ms;

	while (!log_contains(a, NULL) && tk_now_ms() < deadline)
		sleep_ms(100);
	return log_contains(a, NULL);
}

static int
firmware_crash_is_recovered(void)
{
	struct rte_mempool *mp = mp_global;
	struct rte_eth_stats st;
	unsigned int got;
	uint64_t t0;
	int port = start_port("net_fbnic_model0,wire=loopback", mp, false);

	if (port < 0)
		return TEST_FAILED;
	got = loop_frames((uint16_t)port, 32);
	TEST_CHECK(got == 32, "before the crash: %u of 32 frames", got);

	TEST_CHECK(rte_pmd_fbnic_model_fault_set((uint16_t)port, "fw_silent", true) == 0,
		   "fault on");
	/* Heartbeat every 10 s: the loss is seen within two periods. */
	TEST_CHECK(wait_log("heartbeat lost", 25000), "firmware silence not detected");
	t0 = tk_now_ms();
	TEST_CHECK(rte_eth_stats_get((uint16_t)port, &st) == 0, "stats during the outage");
	TEST_CHECK(tk_now_ms() - t0 < 11000, "stats call blocked %" PRIu64 " ms", tk_now_ms() - t0);

	TEST_CHECK(rte_pmd_fbnic_model_fault_set((uint16_t)port, "fw_silent", false) == 0,
		   "fault off");
	TEST_CHECK(wait_log("firmware answers again", 30000),
		   "no recovery after the firmware came back");
	got = loop_frames((uint16_t)port, 32);
	TEST_CHECK(got == 32, "after recovery: %u of 32 frames", got);
	TEST_CHECK(rte_eth_dev_stop((uint16_t)port) == 0, "stop");
	TEST_CHECK(rte_eth_dev_close((uint16_t)port) == 0, "close");
	return TEST_SUCCESS;
}

/* Milliseconds from a link_down/up fault on port to its LSC event (UINT64_MAX if none). */
static uint64_t
lsc_latency_ms(uint16_t port, bool down)
{
	int want = lsc_events + 1;
	uint64_t t0 = tk_now_ms();

	if (rte_pmd_fbnic_model_fault_set(port, "link_down", down) != 0)
		return UINT64_MAX;
	if (!wait_for(&lsc_events, want, 10000))
		return UINT64_MAX;
	return tk_now_ms() - t0;
}

/* The slowest of a few stats, xstats and link calls on port, in ms. */
static uint64_t
slowest_control_call_ms(uint16_t port, unsigned int rounds)
{
	struct rte_eth_xstat xs[512];
	struct rte_eth_stats st;
	struct rte_eth_link link;
	uint64_t t0, dt, worst = 0;
	unsigned int i;

	for (i = 0; i < rounds; i++) {
		t0 = tk_now_ms();
		TEST_CHECK(rte_eth_stats_get(port, &st) == 0, "stats_get during the outage");
		TEST_CHECK(rte_eth_xstats_get(port, xs, RTE_DIM(xs)) > 0,
			   "xstats_get during the outage");
		TEST_CHECK(rte_eth_link_get_nowait(port, &link) == 0, "link_get during the outage");
		dt = tk_now_ms() - t0;
		worst = RTE_MAX(worst, dt);
		sleep_ms(50);
	}
	return worst;
}

static int
silent_firmware_keeps_control_path(void)
{
	struct rte_mempool *mp = mp_global;
	uint64_t before, during, worst;
	unsigned int got;
	int p0 = start_port("net_fbnic_model0,wire=loopback", mp, false);
	int p1 = start_port("net_fbnic_model1,wire=loopback,link_hold_off_ms=0", mp, true);

	if (p0 < 0 || p1 < 0)
		return TEST_FAILED;
	TEST_CHECK(wait_for(&lsc_events, 1, 5000), "port %d: no LSC for link up", p1);
	/* The baseline: link events of the healthy port before the outage. */
	before = RTE_MAX(lsc_latency_ms((uint16_t)p1, true), lsc_latency_ms((uint16_t)p1, false));
	TEST_CHECK(before < 3000, "LSC took %" PRIu64 " ms before the outage", before);

	TEST_CHECK(rte_pmd_fbnic_model_fault_set((uint16_t)p0, "fw_silent", true) == 0, "fault on");
	TEST_CHECK(wait_log("heartbeat lost", 25000), "firmware silence not detected");
	/* The driver now asks for ownership every heartbeat period, with no answer. */
	worst = slowest_control_call_ms((uint16_t)p0, 20);
	TEST_CHECK(worst <= 50, "port %d: a control call took %" PRIu64 " ms with the firmware "
		   "silent (50 ms allowed)", p0, worst);
	during = RTE_MAX(lsc_latency_ms((uint16_t)p1, true), lsc_latency_ms((uint16_t)p1, false));
	TEST_CHECK(during <= before + 1500, "port %d: LSC took %" PRIu64 " ms during port %d's "
		   "outage, %" PRIu64 " ms before", p1, during, p0, before);
	printf("slowest call %" PRIu64 " ms, LSC %" PRIu64 " ms before, "
	       "%" PRIu64 " ms during\n", worst, before, during);

	TEST_CHECK(rte_pmd_fbnic_model_fault_set((uint16_t)p0, "fw_silent", false) == 0,
		   "fault off");
	TEST_CHECK(wait_log("firmware answers again", 30000),
		   "no recovery after the firmware came back");
	got = loop_frames((uint16_t)p0, 32);
	TEST_CHECK(got == 32, "after recovery: %u of 32 frames", got);
	got = loop_frames((uint16_t)p1, 32);
	TEST_CHECK(got == 32, "healthy port: %u of 32 frames", got);
	TEST_CHECK(rte_eth_dev_stop((uint16_t)p0) == 0 && rte_eth_dev_close((uint16_t)p0) == 0,
		   "stop/close port %d", p0);
	TEST_CHECK(rte_eth_dev_stop((uint16_t)p1) == 0 && rte_eth_dev_close((uint16_t)p1) == 0,
		   "stop/close port %d", p1);
	TEST_CHECK(rte_mempool_avail_count(mp) == mp->size, "%u of %u mbufs back",
		   rte_mempool_avail_count(mp), mp->size);
	return TEST_SUCCESS;
}

static int
hot_unplug_keeps_peer_working(void)
{
	struct rte_mempool *mp = mp_global;
	int p0, p1, ret;
	unsigned int got;

	/* A hot-plugged cable needs its peer first. */
	TEST_CHECK(rte_dev_probe("net_fbnic_model1") == 0, "probe of the peer");
	p0 = start_port("net_fbnic_model0,wire=peer:net_fbnic_model1", mp, false);
	p1 = port_by_name("net_fbnic_model1");
	if (p0 < 0 || p1 < 0)
		return TEST_FAILED;
	{
		struct rte_eth_conf conf;

		memset(&conf, 0, sizeof(conf));
		TEST_CHECK(rte_eth_dev_configure((uint16_t)p1, 1, 1, &conf) == 0, "configure");
		TEST_CHECK(rte_eth_rx_queue_setup((uint16_t)p1, 0, 256, rte_socket_id(), NULL,
						  mp) == 0, "rxq");
		TEST_CHECK(rte_eth_tx_queue_setup((uint16_t)p1, 0, 256, rte_socket_id(), NULL) == 0,
			   "txq");
		TEST_CHECK(rte_eth_dev_start((uint16_t)p1) == 0, "start");
	}
	got = cable_frames((uint16_t)p0, (uint16_t)p1, 32);
	TEST_CHECK(got == 32, "0 -> 1 before unplug: %u of 32", got);

	/* Unplug port 0 while it runs. */
	{
		struct rte_eth_dev_info info;

		TEST_CHECK(rte_eth_dev_info_get((uint16_t)p0, &info) == 0, "info");
		ret = rte_dev_remove(info.device);
	}
	TEST_CHECK(ret == 0, "rte_dev_remove: %d", ret);
	TEST_CHECK(port_by_name("net_fbnic_model0") < 0, "port 0 still there");
	TEST_CHECK(rte_eth_dev_count_avail() == 1, "%u ports", rte_eth_dev_count_avail());

	/* Port 1 lost its cable, not its health: a loop of its own still works. */
	got = cable_frames((uint16_t)p1, (uint16_t)p1, 8);
	TEST_CHECK(got == 0, "port 1 without cable received %u", got);

	/* A new port 0 is cabled to port 1 again. */
	TEST_CHECK(rte_dev_probe("net_fbnic_model0,wire=peer:net_fbnic_model1") == 0, "re-probe");
	p0 = port_by_name("net_fbnic_model0");
	if (p0 >= 0) {
		struct rte_eth_conf conf;

		memset(&conf, 0, sizeof(conf));
		TEST_CHECK(rte_eth_dev_configure((uint16_t)p0, 1, 1, &conf) == 0, "configure");
		TEST_CHECK(rte_eth_rx_queue_setup((uint16_t)p0, 0, 256, rte_socket_id(), NULL,
						  mp) == 0, "rxq");
		TEST_CHECK(rte_eth_tx_queue_setup((uint16_t)p0, 0, 256, rte_socket_id(), NULL) == 0,
			   "txq");
		TEST_CHECK(rte_eth_dev_start((uint16_t)p0) == 0, "start");
		got = cable_frames((uint16_t)p1, (uint16_t)p0, 32);
		TEST_CHECK(got == 32, "1 -> new 0: %u of 32", got);
		TEST_CHECK(rte_eth_dev_stop((uint16_t)p0) == 0, "stop");
		TEST_CHECK(rte_eth_dev_close((uint16_t)p0) == 0, "close");
	}
	TEST_CHECK(rte_eth_dev_stop((uint16_t)p1) == 0, "stop");
	TEST_CHECK(rte_eth_dev_close((uint16_t)p1) == 0, "close");
	TEST_CHECK(rte_mempool_avail_count(mp) == mp->size, "%u of %u mbufs back",
		   rte_mempool_avail_count(mp), mp->size);
	return TEST_SUCCESS;
}

static const struct test_case tests[] = {
	TEST_CASE(link_fault_raises_lsc_events),
	TEST_CASE(surprise_removal_raises_rmv_event),
	TEST_CASE(silent_firmware_fails_probe_within_bound),
	TEST_CASE(bad_devargs_give_no_port),
	TEST_CASE(fw_version_devarg_is_reported),
	TEST_CASE(path_devargs_choose_the_path),
	TEST_CASE(link_speed_devarg_sets_the_reported_speed),
	TEST_CASE(engine_cpus_place_the_engine),
	TEST_CASE(old_firmware_fails_probe_at_once),
	TEST_CASE(firmware_crash_is_recovered),
	TEST_CASE(silent_firmware_keeps_control_path),
	TEST_CASE(hot_unplug_keeps_peer_working),
};

int
main(int argc, char **argv)
{
	const struct test_case *test;
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
	ret = rte_eal_init(argc - 1, argv + 1);
	if (ret < 0) {
		printf("FAIL: EAL init: %s\n", rte_strerror(rte_errno));
		return 1;
	}
	/* Keep every log line in memory, so the test can look for it. */
	rte_openlog_stream(log_stream);
	rte_log_set_level_pattern("pmd.net.fbnic*", RTE_LOG_INFO);

	mp_global = rte_pktmbuf_pool_create("events_pool", 2048, 0, 0,
					    RTE_MBUF_DEFAULT_BUF_SIZE, rte_socket_id());
	if (mp_global == NULL) {
		printf("FAIL: mempool\n");
		return 1;
	}

	tk_run(test->name, test->fn);

	rte_openlog_stream(NULL);
	fflush(log_stream);
	if (tk_failures != 0 && log_buf != NULL)
		printf("--- log ---\n%s\n", log_buf);
	ret = tk_report(test->name);
	rte_mempool_free(mp_global);
	rte_eal_cleanup();
	fclose(log_stream);
	free(log_buf);
	return ret;
}
