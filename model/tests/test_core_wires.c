/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

/*
 * Wires: loopback, a cable between two model ports (also with each port on
 * its own engine thread), pcap files out and in, unplugging; the wire
 * grammar and the registry of named ports (fbm_topology.h).
 */

#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/resource.h>

#include "fbm_harness.h"
#include "fbm_topology.h"

struct port {
	struct fbh h;
	struct fbh_txq txq;
	struct fbh_rxq rxq;
	uint8_t mac[6];
};

static int
port_init(struct port *p, uint64_t dsn, bool virtual_time)
{
	struct fbm_config cfg;

	fbh_config_default(&cfg);
	cfg.dsn = dsn;
	cfg.virtual_time = virtual_time;
	snprintf(cfg.name, sizeof(cfg.name), "port%llx", (unsigned long long)(dsn & 0xff));
	fbh_dsn_to_mac(dsn, p->mac);
	return fbh_init(&p->h, &cfg, 0);
}

static int
port_open(struct port *p)
{
	return fbh_port_open(&p->h, &p->txq, &p->rxq, 0);
}

/* Send one frame from a to b and check it arrives byte exact on b. */
static bool
send_and_receive(struct port *a, struct port *b, uint32_t len, uint32_t seed)
{
	static uint8_t frame[2048], got[2048];
	int ret;

	tk_frame_udp4(frame, len, b->mac, a->mac, seed);
	if (fbh_tx_send(&a->h, &a->txq, frame, len, 0) < 0)
		return false;
	fbh_poll(&a->h);
	ret = fbh_rx_wait(&b->h, &b->rxq, got, sizeof(got), NULL, 50);
	fbh_tx_reap(&a->h, &a->txq);
	return ret == (int)len && memcmp(got, frame, len) == 0;
}

static int
test_loopback_returns_frames_of_every_size(void)
{
	const uint32_t sizes[] = { 60, 64, 65, 128, 511, 1000, 1514 };
	struct fbm_wire_stats st;
	struct port p;
	size_t i;

	TEST_CHECK_EQUAL(port_init(&p, 0x02fb4efffe000011ULL, true), 0);
	TEST_CHECK_EQUAL(fbm_wire_loopback(p.h.dev), 0);
	TEST_CHECK_EQUAL(port_open(&p), 0);
	for (i = 0; i < FBM_DIM(sizes); i++)
		TEST_CHECK(send_and_receive(&p, &p, sizes[i], (uint32_t)i));
	fbm_wire_stats_get(p.h.dev, &st);
	TEST_CHECK_EQUAL(st.tx_frames, 7);
	TEST_CHECK_EQUAL(st.rx_frames, 7);
	TEST_CHECK_EQUAL(st.tx_drops, 0);
	fbh_fini(&p.h);
	return TEST_SUCCESS;
}

static int
test_cable_carries_frames_both_ways(void)
{
	struct fbm_wire_stats sa, sb;
	struct port a, b;
	unsigned int i;

	TEST_CHECK_EQUAL(port_init(&a, 0x02fb4efffe0000a1ULL, true), 0);
	TEST_CHECK_EQUAL(port_init(&b, 0x02fb4efffe0000b2ULL, true), 0);
	TEST_CHECK_EQUAL(fbm_wire_connect(a.h.dev, b.h.dev), 0);
	TEST_CHECK_EQUAL(port_open(&a), 0);
	TEST_CHECK_EQUAL(port_open(&b), 0);
	for (i = 0; i < 10; i++) {
		TEST_CHECK(send_and_receive(&a, &b, 100 + i, i));
		TEST_CHECK(send_and_receive(&b, &a, 1400 - i, i));
	}
	fbm_wire_stats_get(a.h.dev, &sa);
	fbm_wire_stats_get(b.h.dev, &sb);
	TEST_CHECK_EQUAL(sa.tx_frames, 10);
	TEST_CHECK_EQUAL(sb.rx_frames, 10);
	TEST_CHECK_EQUAL(sb.tx_frames, 10);
	TEST_CHECK_EQUAL(sa.rx_frames, 10);

	/* Unplugging one end unplugs both: nothing arrives any more. */
	TEST_CHECK_EQUAL(fbm_wire_none(b.h.dev), 0);
	TEST_CHECK(!send_and_receive(&a, &b, 100, 99));
	fbh_fini(&a.h);
	fbh_fini(&b.h);
	return TEST_SUCCESS;
}

/*
 * A cable does not buffer: frames the receiver has no room for are lost in
 * the receiver's RX packet buffer and counted there (RXB host FIFO drops,
 * Linux's rx_missed), not silently.
 */
static int
test_cable_overflow_counts_as_receiver_rxb_drops(void)
{
	static uint8_t frame[128];
	const uint32_t len = 100, sent = 600, ring = 512;
	struct fbm_wire_stats sa;
	struct port a, b;
	unsigned int i;

	TEST_CHECK_EQUAL(port_init(&a, 0x02fb4efffe0000c1ULL, true), 0);
	TEST_CHECK_EQUAL(port_init(&b, 0x02fb4efffe0000d2ULL, true), 0);
	TEST_CHECK_EQUAL(fbm_wire_connect(a.h.dev, b.h.dev), 0);
	TEST_CHECK_EQUAL(port_open(&a), 0);
	TEST_CHECK_EQUAL(port_open(&b), 0);
	tk_frame_udp4(frame, len, b.mac, a.mac, 7);
	for (i = 0; i < sent; i++) {
		TEST_CHECK(fbh_tx_send(&a.h, &a.txq, frame, len, 0) >= 0);
		fbh_poll(&a.h);
		fbh_tx_reap(&a.h, &a.txq);
	}
	fbm_wire_stats_get(a.h.dev, &sa);
	TEST_CHECK_EQUAL(sa.tx_frames, ring);
	TEST_CHECK_EQUAL(sa.tx_drops, sent - ring);
	/* The receiver learns of the loss when it next looks at the wire. */
	TEST_CHECK_EQUAL(fbh_rd(&b.h, FBNIC_RXB_DROP_FRMS_STS(FBNIC_RXB_FIFO_HOST)), 0);
	fbm_poll(b.h.dev, 1);
	TEST_CHECK_EQUAL(fbh_rd(&b.h, FBNIC_RXB_DROP_FRMS_STS(FBNIC_RXB_FIFO_HOST)), sent - ring);
	TEST_CHECK_EQUAL(fbh_rd(&b.h, FBNIC_RXB_DROP_BYTES_STS_L(FBNIC_RXB_FIFO_HOST)),
			 (sent - ring) * len);
	fbh_fini(&a.h);
	fbh_fini(&b.h);
	return TEST_SUCCESS;
}

static int
test_connecting_a_port_to_itself_is_a_loopback(void)
{
	struct port p;

	TEST_CHECK_EQUAL(port_init(&p, 0x02fb4efffe000021ULL, true), 0);
	TEST_CHECK_EQUAL(fbm_wire_connect(p.h.dev, p.h.dev), 0);
	TEST_CHECK_EQUAL(port_open(&p), 0);
	TEST_CHECK(send_and_receive(&p, &p, 300, 1));
	TEST_CHECK_EQUAL(fbm_wire_connect(p.h.dev, NULL), -EINVAL);
	fbh_fini(&p.h);
	return TEST_SUCCESS;
}

static int
test_reconnecting_moves_the_cable(void)
{
	struct port a, b, c;

	TEST_CHECK_EQUAL(port_init(&a, 0x02fb4efffe0000a3ULL, true), 0);
	TEST_CHECK_EQUAL(port_init(&b, 0x02fb4efffe0000b3ULL, true), 0);
	TEST_CHECK_EQUAL(port_init(&c, 0x02fb4efffe0000c3ULL, true), 0);
	TEST_CHECK_EQUAL(fbm_wire_connect(a.h.dev, b.h.dev), 0);
	TEST_CHECK_EQUAL(port_open(&a), 0);
	TEST_CHECK_EQUAL(port_open(&b), 0);
	TEST_CHECK_EQUAL(port_open(&c), 0);
	TEST_CHECK(send_and_receive(&a, &b, 200, 1));
	TEST_CHECK_EQUAL(fbm_wire_connect(c.h.dev, a.h.dev), 0);
	TEST_CHECK(send_and_receive(&a, &c, 200, 2));
	TEST_CHECK(!send_and_receive(&a, &b, 200, 3));
	/* Destroying a cabled port leaves its peer unplugged, not dangling. */
	fbh_fini(&a.h);
	TEST_CHECK(!send_and_receive(&c, &c, 200, 4));
	fbh_fini(&b.h);
	fbh_fini(&c.h);
	return TEST_SUCCESS;
}

static int
test_cable_between_two_engine_threads_delivers_every_frame(void)
{
	static uint8_t frame[256], got[256];
	struct fbm_engine *ea, *eb;
	struct timespec t0, t;
	struct port a, b;
	unsigned int sent = 0, recvd = 0, bad = 0, i;

	TEST_CHECK_EQUAL(port_init(&a, 0x02fb4efffe0000a4ULL, false), 0);
	TEST_CHECK_EQUAL(port_init(&b, 0x02fb4efffe0000b4ULL, false), 0);
	TEST_CHECK_EQUAL(fbm_wire_connect(a.h.dev, b.h.dev), 0);
	TEST_CHECK_EQUAL(port_open(&a), 0);
	TEST_CHECK_EQUAL(port_open(&b), 0);
	TEST_CHECK_EQUAL(fbm_engine_create(&ea), 0);
	TEST_CHECK_EQUAL(fbm_engine_create(&eb), 0);
	TEST_CHECK_EQUAL(fbm_engine_add(ea, a.h.dev), 0);
	TEST_CHECK_EQUAL(fbm_engine_add(eb, b.h.dev), 0);
	TEST_CHECK_EQUAL(fbm_engine_start(ea), 0);
	TEST_CHECK_EQUAL(fbm_engine_start(eb), 0);

	/* 2000 frames, at most 64 in flight; the test only posts and reaps. */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < 10000000 && recvd < 2000; i++) {
		int ret;

		if (sent < 2000 && sent - recvd < 64 && fbh_tx_space(&a.txq) >= 2) {
			tk_frame_udp4(frame, sizeof(frame), b.mac, a.mac, sent);
			if (fbh_tx_send(&a.h, &a.txq, frame, sizeof(frame), 0) == 0)
				sent++;
		}
		fbh_tx_reap(&a.h, &a.txq);
		ret = fbh_rx_recv(&b.h, &b.rxq, got, sizeof(got), NULL);
		if (ret > 0) {
			tk_frame_udp4(frame, sizeof(frame), b.mac, a.mac, recvd);
			if (ret != (int)sizeof(frame) || memcmp(got, frame, sizeof(frame)) != 0)
				bad++;
			recvd++;
		}
		clock_gettime(CLOCK_MONOTONIC, &t);
		if (t.tv_sec - t0.tv_sec > 20)
			break;
		if (ret == -EAGAIN)
			sched_yield();
	}
	TEST_CHECK_EQUAL(recvd, 2000);
	TEST_CHECK_EQUAL(bad, 0);		/* in order and intact */

	fbm_engine_destroy(ea);
	fbm_engine_destroy(eb);
	fbh_fini(&a.h);
	fbh_fini(&b.h);
	return TEST_SUCCESS;
}

static char *
tmp_path(const char *tag)
{
	static char paths[4][128];
	static unsigned int n;
	char *p = paths[n++ % 4];

	snprintf(p, 128, "/tmp/fbm_test_%d_%s.pcap", (int)getpid(), tag);
	return p;
}

static int
test_pcap_out_then_in_replays_the_same_frames(void)
{
	static uint8_t frames[5][700], got[800];
	const char *path = tmp_path("replay");
	struct port a, b;
	uint32_t hdr[6];
	unsigned int i;
	FILE *f;

	TEST_CHECK_EQUAL(port_init(&a, 0x02fb4efffe0000a5ULL, true), 0);
	TEST_CHECK_EQUAL(fbm_wire_pcap(a.h.dev, NULL, path), 0);
	TEST_CHECK_EQUAL(port_open(&a), 0);
	for (i = 0; i < 5; i++) {
		tk_frame_udp4(frames[i], 600 + 20 * i, a.mac, a.mac, i);
		TEST_CHECK_EQUAL(fbh_tx_send(&a.h, &a.txq, frames[i], 600 + 20 * i, 0), 0);
		fbh_advance(&a.h, 1000);
	}
	TEST_CHECK_EQUAL(fbh_tx_reap(&a.h, &a.txq), 5);
	TEST_CHECK_EQUAL(fbm_wire_none(a.h.dev), 0);	/* closes the file */

	f = fopen(path, "rb");
	TEST_CHECK(f != NULL);
	if (f != NULL) {
		TEST_CHECK_EQUAL(fread(hdr, sizeof(hdr), 1, f), 1);
		TEST_CHECK_EQUAL(hdr[0], 0xa1b2c3d4);
		TEST_CHECK_EQUAL(hdr[1], 0x00040002);		/* version 2.4 */
		TEST_CHECK_EQUAL(hdr[5], 1);			/* Ethernet */
		fclose(f);
	}

	TEST_CHECK_EQUAL(port_init(&b, 0x02fb4efffe0000a5ULL, true), 0);
	/* The file plays as soon as it is attached: open the port first. */
	TEST_CHECK_EQUAL(port_open(&b), 0);
	TEST_CHECK_EQUAL(fbm_wire_pcap(b.h.dev, path, NULL), 0);
	for (i = 0; i < 5; i++) {
		int ret = fbh_rx_wait(&b.h, &b.rxq, got, sizeof(got), NULL, 50);

		TEST_CHECK_EQUAL(ret, 600 + 20 * i);
		TEST_CHECK(ret > 0 && memcmp(got, frames[i], (size_t)ret) == 0);
	}
	TEST_CHECK_EQUAL(fbh_rx_wait(&b.h, &b.rxq, got, sizeof(got), NULL, 20), -EAGAIN);
	fbh_fini(&a.h);
	fbh_fini(&b.h);
	unlink(path);
	return TEST_SUCCESS;
}

/* A big-endian, nanosecond pcap written by hand, with one oversized record. */
static int
test_pcap_in_reads_swapped_nanosecond_files_and_skips_giants(void)
{
	const char *path = tmp_path("swapped");
	static uint8_t frame[100], got[200], giant[10000];
	uint32_t ghdr[6] = { 0xa1b23c4d, 0x00020004, 0, 0, 65535, 1 };
	uint32_t rec[4];
	struct fbm_wire_stats st;
	struct port p;
	unsigned int i;
	FILE *f;

	f = fopen(path, "wb");
	TEST_ASSERT_NOT_NULL(f);
	for (i = 0; i < 6; i++)
		ghdr[i] = __builtin_bswap32(ghdr[i]);
	fwrite(ghdr, sizeof(ghdr), 1, f);
	rec[0] = rec[1] = 0;
	rec[2] = rec[3] = __builtin_bswap32(sizeof(giant));
	fwrite(rec, sizeof(rec), 1, f);
	fwrite(giant, sizeof(giant), 1, f);

	TEST_CHECK_EQUAL(port_init(&p, 0x02fb4efffe0000a6ULL, true), 0);
	tk_frame_udp4(frame, sizeof(frame), p.mac, p.mac, 5);
	rec[2] = rec[3] = __builtin_bswap32(sizeof(frame));
	fwrite(rec, sizeof(rec), 1, f);
	fwrite(frame, sizeof(frame), 1, f);
	fclose(f);

	TEST_CHECK_EQUAL(port_open(&p), 0);
	TEST_CHECK_EQUAL(fbm_wire_pcap(p.h.dev, path, NULL), 0);
	TEST_CHECK_EQUAL(fbh_rx_wait(&p.h, &p.rxq, got, sizeof(got), NULL, 50), sizeof(frame));
	TEST_CHECK(memcmp(got, frame, sizeof(frame)) == 0);
	fbm_wire_stats_get(p.h.dev, &st);
	TEST_CHECK_EQUAL(st.rx_drops, 1);
	fbh_fini(&p.h);
	unlink(path);
	return TEST_SUCCESS;
}

static int
test_pcap_rejects_missing_and_foreign_files(void)
{
	const char *path = tmp_path("foreign");
	struct port p;
	FILE *f;

	TEST_CHECK_EQUAL(port_init(&p, 0x02fb4efffe0000a7ULL, true), 0);
	p.h.quiet = true;
	TEST_CHECK(fbm_wire_pcap(p.h.dev, "/nonexistent/dir/x.pcap", NULL) < 0);
	f = fopen(path, "wb");
	if (f != NULL) {
		fputs("this is not a pcap file at all", f);
		fclose(f);
	}
	TEST_CHECK_EQUAL(fbm_wire_pcap(p.h.dev, path, NULL), -EINVAL);
	TEST_CHECK(fbm_wire_pcap(p.h.dev, NULL, "/nonexistent/dir/y.pcap") < 0);
	TEST_CHECK_EQUAL(fbm_wire_afpacket(p.h.dev, "no-such-if0"), -ENODEV);
	fbh_fini(&p.h);
	unlink(path);
	return TEST_SUCCESS;
}

/*
 * A capture file that takes no data is refused when the wire is plugged; one
 * that stops taking data later (full disk, here a file size limit) has its
 * failed writes counted and logged once.
 */
static int
test_pcap_write_errors_are_counted_and_logged_once(void)
{
	static uint8_t frame[600];
	const char *path = tmp_path("limited");
	struct fbm_wire_stats st;
	struct rlimit old, lim;
	unsigned int i;
	struct port p;

	TEST_CHECK_EQUAL(port_init(&p, 0x02fb4efffe0000a9ULL, true), 0);
	p.h.quiet = true;
	TEST_CHECK(fbm_wire_pcap(p.h.dev, NULL, "/proc/version") < 0);
	TEST_CHECK_EQUAL(fbm_wire_pcap(p.h.dev, NULL, "/dev/full"), -ENOSPC);
	TEST_CHECK_EQUAL(atomic_load(&p.h.log_errors), 2);

	/* Writes past 1 KiB fail with EFBIG (the signal ignored) */
	TEST_CHECK_EQUAL(getrlimit(RLIMIT_FSIZE, &old), 0);
	lim = old;
	lim.rlim_cur = 1024;
	signal(SIGXFSZ, SIG_IGN);
	TEST_CHECK_EQUAL(setrlimit(RLIMIT_FSIZE, &lim), 0);
	TEST_CHECK_EQUAL(fbm_wire_pcap(p.h.dev, NULL, path), 0);
	TEST_CHECK_EQUAL(port_open(&p), 0);
	for (i = 0; i < 20; i++) {
		tk_frame_udp4(frame, sizeof(frame), p.mac, p.mac, i);
		TEST_CHECK_EQUAL(fbh_tx_send(&p.h, &p.txq, frame, sizeof(frame), 0), 0);
		fbh_advance(&p.h, 1000);
		fbh_tx_reap(&p.h, &p.txq);
	}
	fbm_wire_stats_get(p.h.dev, &st);
	TEST_CHECK_EQUAL(setrlimit(RLIMIT_FSIZE, &old), 0);
	signal(SIGXFSZ, SIG_DFL);
	TEST_CHECK(st.tx_write_errors > 0);
	TEST_CHECK_EQUAL(st.tx_frames + st.tx_drops, 20);
	TEST_CHECK(st.tx_drops >= st.tx_write_errors);
	TEST_CHECK_EQUAL(atomic_load(&p.h.log_errors), 3);
	fbh_fini(&p.h);
	unlink(path);
	return TEST_SUCCESS;
}

static int
test_no_wire_swallows_frames(void)
{
	struct fbm_wire_stats st;
	struct port p;

	TEST_CHECK_EQUAL(port_init(&p, 0x02fb4efffe0000a8ULL, true), 0);
	TEST_CHECK_EQUAL(port_open(&p), 0);
	TEST_CHECK(!send_and_receive(&p, &p, 100, 1));
	fbm_wire_stats_get(p.h.dev, &st);
	TEST_CHECK_EQUAL(st.tx_frames, 1);
	TEST_CHECK_EQUAL(st.rx_frames, 0);
	fbh_fini(&p.h);
	return TEST_SUCCESS;
}

/* ---- Wire grammar and port registry (fbm_topology.h) -------------------- */

static int
test_wire_grammar_accepts_every_form_and_nothing_else(void)
{
	static const struct {
		const char *text;
		enum fbm_wire_spec_kind kind;
		const char *arg, *in, *out;
	} good[] = {
		{ "none", FBM_WIRE_SPEC_NONE, "", "", "" },
		{ "loopback", FBM_WIRE_SPEC_LOOPBACK, "", "", "" },
		{ "peer", FBM_WIRE_SPEC_PEER, "", "", "" },
		{ "peer:net_fbnic_model1", FBM_WIRE_SPEC_PEER, "net_fbnic_model1", "", "" },
		{ "afpacket:veth0", FBM_WIRE_SPEC_AFPACKET, "veth0", "", "" },
		{ "pcap:in.pcap", FBM_WIRE_SPEC_PCAP, "", "in.pcap", "" },
		{ "pcap:in.pcap:out.pcap", FBM_WIRE_SPEC_PCAP, "", "in.pcap", "out.pcap" },
		{ "pcap::out.pcap", FBM_WIRE_SPEC_PCAP, "", "", "out.pcap" },
		{ "pcap:in.pcap:", FBM_WIRE_SPEC_PCAP, "", "in.pcap", "" },
	};
	static const char *const bad[] = {
		"", "bogus", "Loopback", "none ", "peer:", "afpacket:", "pcap:", "pcap::",
		"pcap:a:b:c", "peers:x", "loopback:x",
	};
	char long_name[FBM_TOPO_NAME_MAX + 16];
	struct fbm_wire_spec spec;
	size_t i;

	for (i = 0; i < FBM_DIM(good); i++) {
		TEST_CHECK_EQUAL(fbm_wire_spec_parse(good[i].text, &spec), 0, "%s", good[i].text);
		TEST_CHECK_EQUAL(spec.kind, good[i].kind, "%s", good[i].text);
		TEST_CHECK(strcmp(spec.arg, good[i].arg) == 0, "%s: arg '%s'", good[i].text,
			   spec.arg);
		TEST_CHECK(strcmp(spec.pcap_in, good[i].in) == 0, "%s: in '%s'", good[i].text,
			   spec.pcap_in);
		TEST_CHECK(strcmp(spec.pcap_out, good[i].out) == 0, "%s: out '%s'",
			   good[i].text, spec.pcap_out);
	}
	for (i = 0; i < FBM_DIM(bad); i++) {
		TEST_CHECK_EQUAL(fbm_wire_spec_parse(bad[i], &spec), -EINVAL, "'%s'", bad[i]);
		TEST_CHECK_EQUAL(spec.kind, FBM_WIRE_SPEC_UNSET, "'%s'", bad[i]);
	}
	TEST_CHECK_EQUAL(fbm_wire_spec_parse(NULL, &spec), -EINVAL);
	memset(long_name, 'x', sizeof(long_name) - 1);
	long_name[sizeof(long_name) - 1] = '\0';
	memcpy(long_name, "peer:", 5);
	TEST_CHECK_EQUAL(fbm_wire_spec_parse(long_name, &spec), -EINVAL, "a name too long");
	return TEST_SUCCESS;
}

static bool
topo_b_will_exist(const char *peer, void *ctx)
{
	return strcmp(peer, (const char *)ctx) == 0;
}

/*
 * A cable declared on the first port to a port that does not exist yet is
 * plugged when the second port comes with no wire of its own; a peer that
 * will never exist, or the port itself, is refused.
 */
static int
test_registry_cables_a_port_declared_before_its_peer(void)
{
	char peer_b[] = "topo_b";
	struct fbm_topology *t = fbm_topology_global();
	struct fbm_wire_spec spec, unset;
	struct port a, b;

	TEST_ASSERT_NOT_NULL(t);
	memset(&unset, 0, sizeof(unset));
	TEST_CHECK_EQUAL(port_init(&a, 0x02fb4efffe0000e1ULL, true), 0);
	TEST_CHECK_EQUAL(port_init(&b, 0x02fb4efffe0000f2ULL, true), 0);
	TEST_CHECK_EQUAL(fbm_topo_add(t, "topo_a", a.h.dev), 0);
	TEST_CHECK_EQUAL(fbm_topo_add(t, "topo_a", b.h.dev), -EEXIST);

	TEST_CHECK_EQUAL(fbm_wire_spec_parse("peer:topo_a", &spec), 0);
	TEST_CHECK_EQUAL(fbm_topo_plug(t, "topo_a", &spec, NULL, NULL), -ENODEV,
			 "a port cabled to itself");
	TEST_CHECK_EQUAL(fbm_wire_spec_parse("peer:topo_nobody", &spec), 0);
	TEST_CHECK_EQUAL(fbm_topo_plug(t, "topo_a", &spec, topo_b_will_exist,
				       peer_b), -ENODEV, "a peer that never comes");
	TEST_CHECK_EQUAL(fbm_topo_plug(t, "topo_unknown", &unset, NULL, NULL), -ENOENT);

	TEST_CHECK_EQUAL(fbm_wire_spec_parse("peer:topo_b", &spec), 0);
	TEST_CHECK_EQUAL(fbm_topo_plug(t, "topo_a", &spec, topo_b_will_exist,
				       peer_b), 0);
	TEST_CHECK_EQUAL(fbm_topo_add(t, "topo_b", b.h.dev), 0);
	TEST_CHECK(fbm_topo_find(t, "topo_b") == b.h.dev);
	TEST_CHECK_EQUAL(fbm_topo_plug(t, "topo_b", &unset, NULL, NULL), 0);

	TEST_CHECK_EQUAL(port_open(&a), 0);
	TEST_CHECK_EQUAL(port_open(&b), 0);
	TEST_CHECK(send_and_receive(&a, &b, 200, 1), "a -> b over the declared cable");
	TEST_CHECK(send_and_receive(&b, &a, 300, 2), "b -> a over the declared cable");

	fbm_topo_remove(t, a.h.dev);
	fbm_topo_remove(t, b.h.dev);
	TEST_CHECK(fbm_topo_find(t, "topo_a") == NULL);
	fbh_fini(&a.h);
	fbh_fini(&b.h);
	return TEST_SUCCESS;
}

int
main(void)
{
	TK_RUN(test_loopback_returns_frames_of_every_size);
	TK_RUN(test_cable_carries_frames_both_ways);
	TK_RUN(test_cable_overflow_counts_as_receiver_rxb_drops);
	TK_RUN(test_connecting_a_port_to_itself_is_a_loopback);
	TK_RUN(test_reconnecting_moves_the_cable);
	TK_RUN(test_cable_between_two_engine_threads_delivers_every_frame);
	TK_RUN(test_pcap_out_then_in_replays_the_same_frames);
	TK_RUN(test_pcap_in_reads_swapped_nanosecond_files_and_skips_giants);
	TK_RUN(test_pcap_rejects_missing_and_foreign_files);
	TK_RUN(test_pcap_write_errors_are_counted_and_logged_once);
	TK_RUN(test_no_wire_swallows_frames);
	TK_RUN(test_wire_grammar_accepts_every_form_and_nothing_else);
	TK_RUN(test_registry_cables_a_port_declared_before_its_peer);
	return tk_report("test_core_wires");
}
