/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

/*
 * Whatever the host writes, the model neither crashes nor hangs: random
 * register, doorbell, mailbox and config space writes (fixed seeds) mixed
 * with datapath polls, on a looped-back port with live queues. Afterwards a
 * reset brings the device back to its power-on values.
 *
 * LLVMFuzzerTestOneInput() plays the same rounds with every choice read
 * from the input instead of the seeded generator; with -DFBNIC_FUZZ_LIBFUZZER
 * (meson option fuzzer) libFuzzer drives it. Without it, main() replays the
 * files given as arguments (crash files, a corpus directory), then runs the
 * seeds.
 */

#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "fbm_harness.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_ROUNDS		200000u
/* An input is one session: bounded whatever its size. */
#define FUZZ_INPUT_ROUNDS	20000u
#define FUZZ_INPUT_MEM		(16u << 20)

static uint64_t fuzz_state;
/* The libFuzzer input being consumed; NULL: the seeded generator. */
static const uint8_t *fuzz_in;
static size_t fuzz_in_left;

static uint32_t
fuzz_next(void)
{
	if (fuzz_in != NULL) {
		size_t n = fuzz_in_left < 4 ? fuzz_in_left : 4;
		uint32_t v = 0;

		memcpy(&v, fuzz_in, n);
		fuzz_in += n;
		fuzz_in_left -= n;
		return v;
	}
	/* xorshift64* */
	fuzz_state ^= fuzz_state >> 12;
	fuzz_state ^= fuzz_state << 25;
	fuzz_state ^= fuzz_state >> 27;
	return (uint32_t)((fuzz_state * 0x2545f4914f6cdd1dULL) >> 32);
}

/* A word index, biased towards the blocks that have behaviour. */
static uint32_t
fuzz_bar0_index(void)
{
	static const uint32_t bases[] = {
		FBNIC_CSR_START_INTR, FBNIC_CSR_START_INTR_CQ, FBNIC_CSR_START_QM_TX,
		FBNIC_CSR_START_QM_RX, FBNIC_CSR_START_TCE, FBNIC_CSR_START_TMI,
		FBNIC_CSR_START_PTP, FBNIC_CSR_START_RXB, FBNIC_CSR_START_RPC,
		FBNIC_CSR_START_RPC_RAM, FBNIC_CSR_START_PCS, FBNIC_CSR_START_MAC_MAC,
		FBNIC_CSR_START_SIG, FBNIC_CSR_START_MAC_STAT, FBNIC_CSR_START_PUL_USER,
		FBNIC_QUEUE(0), FBNIC_QUEUE(1), FBNIC_QUEUE(127),
	};
	uint32_t r = fuzz_next();

	if (r % 8 == 0)
		return fuzz_next() % (FBM_BAR0_SIZE / 4);
	return bases[r % FBM_DIM(bases)] + fuzz_next() % 0x400;
}

static uint32_t
fuzz_value(void)
{
	switch (fuzz_next() % 4) {
	case 0:
		return 0;
	case 1:
		return UINT32_MAX;
	case 2:
		return 1u << (fuzz_next() % 32);
	default:
		return fuzz_next();
	}
}

static void
fuzz_round(struct fbh *h)
{
	uint32_t what = fuzz_next() % 100;
	uint8_t b[4];

	if (what < 70) {
		fbh_wr(h, fuzz_bar0_index(), fuzz_value());
	} else if (what < 80) {
		(void)fbh_rd(h, fuzz_bar0_index());
	} else if (what < 88) {
		fbh_wr4(h, FBNIC_IPC_MBX(fuzz_next() % 2, fuzz_next() % 16) + fuzz_next() % 2,
			fuzz_value());
	} else if (what < 90) {
		fbh_wr4(h, fuzz_next() % (FBM_BAR4_SIZE / 4), fuzz_value());
	} else if (what < 91) {
		uint32_t v = fuzz_value();

		memcpy(b, &v, sizeof(b));
		/* Keep memory decode on now and then so the fuzzing goes on. */
		(void)fbm_cfg_write(h->dev, fuzz_next() % FBM_CFG_SIZE, b, 1 + fuzz_next() % 4);
		b[0] = 0x06;
		if (fuzz_next() % 2)
			(void)fbm_cfg_write(h->dev, 0x04, b, 1);
	} else {
		fbm_poll(h->dev, 64);
		if (fuzz_next() % 8 == 0)
			fbm_clock_advance(h->dev, fuzz_next() % 5000000);
	}
}

/* Memory decode and bus mastering back on (config space survives a reset). */
static void
pci_command_on(struct fbh *h)
{
	uint16_t cmd = 0x0006;

	TEST_CHECK_EQUAL(fbm_cfg_write(h->dev, 0x04, &cmd, 2), 0);
}

/*
 * One session: a port with live queues, rounds of fuzzing (a frame sent
 * every frame_every rounds), then a reset back to power-on state. An input
 * ends the session early when it runs out.
 */
static void
fuzz_session(unsigned int rounds, unsigned int frame_every, size_t mem_size)
{
	static uint8_t frame[600];
	struct fbh_txq txq;
	struct fbh_rxq rxq;
	uint8_t mac[6];
	unsigned int i;
	struct fbh h;

	TEST_CHECK_EQUAL(fbh_init(&h, NULL, mem_size), 0);
	h.quiet = true;
	TEST_CHECK_EQUAL(fbm_wire_loopback(h.dev), 0);
	TEST_CHECK_EQUAL(fbh_port_open(&h, &txq, &rxq, 0), 0);
	fbh_dsn_to_mac(h.cfg.dsn, mac);

	for (i = 0; i < rounds && (fuzz_in == NULL || fuzz_in_left != 0); i++) {
		fuzz_round(&h);
		if (i % frame_every == 0) {
			tk_frame_udp4(frame, sizeof(frame), mac, mac, i);
			(void)fbh_tx_send(&h, &txq, frame, sizeof(frame), 0);
		}
	}

	/* Back to power-on state and still answering. */
	fbm_fault_set(h.dev, FBM_FAULT_SURPRISE_REMOVAL, false);
	fbm_reset(h.dev);
	pci_command_on(&h);
	TEST_CHECK_EQUAL(fbh_rd(&h, FBNIC_MASTER_SPARE_0), 0);
	TEST_CHECK_EQUAL(fbh_rd(&h, FBNIC_INTR_MASK(0)), UINT32_MAX);
	TEST_CHECK_EQUAL(fbh_rd(&h, FBNIC_PUL_OB_TLP_HDR_AW_CFG), 0);
	TEST_CHECK_EQUAL(fbh_rd(&h, FBNIC_FAB_AXI4_AR_SPACER_2_CFG), 0);
	fbh_fini(&h);
}

/* A failed check is a finding: abort so that libFuzzer keeps the input. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned int failures = tk_failures;

	if (size == 0)
		return 0;
	fuzz_in = data;
	fuzz_in_left = size;
	fuzz_session(FUZZ_INPUT_ROUNDS, 64, FUZZ_INPUT_MEM);
	fuzz_in = NULL;
	if (tk_failures != failures)
		abort();
	return 0;
}

#ifndef FBNIC_FUZZ_LIBFUZZER

static void
fuzz_one_seed(uint64_t seed)
{
	fuzz_state = seed;
	fuzz_session(FUZZ_ROUNDS, 1000, 0);
}

static int
test_random_host_writes_never_crash_the_model(void)
{
	fuzz_one_seed(0x9e3779b97f4a7c15ULL);
	fuzz_one_seed(0x0123456789abcdefULL);
	fuzz_one_seed(42);
	return TEST_SUCCESS;
}

static void
replay_file(const char *path)
{
	static uint8_t buf[1 << 20];
	FILE *f = fopen(path, "rb");
	size_t n;

	TEST_CHECK(f != NULL, "cannot open %s", path);
	if (f == NULL)
		return;
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	LLVMFuzzerTestOneInput(buf, n);
}

/* Arguments: input files or directories of them (a libFuzzer corpus). */
static void
replay(const char *path)
{
	struct dirent *de;
	char name[4096];
	DIR *d = opendir(path);

	if (d == NULL) {
		replay_file(path);
		return;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(name, sizeof(name), "%s/%s", path, de->d_name);
		replay_file(name);
	}
	closedir(d);
}

int
main(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++)
		replay(argv[i]);
	TK_RUN(test_random_host_writes_never_crash_the_model);
	return tk_report("test_core_fuzz");
}

#endif /* FBNIC_FUZZ_LIBFUZZER */
