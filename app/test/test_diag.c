/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

/*
 * Diagnostics of a model port with a loopback wire, after 10 frames went
 * round: rte_eth_dev_priv_dump names the firmware, the port state and
 * every queue with its ring positions and counters; the descriptor dumps
 * print the asked number of RCQ and TWQ entries from the burst's position,
 * the last received frame's META among them; ranges beyond a ring are
 * refused with -EINVAL and the port goes on. The module EEPROM reads
 * through the firmware: an SFF-8636 QSFP28 image, with a range past its end
 * refused.
 *
 * Usage: test_diag <EAL args> --vdev net_fbnic_model0,wire=loopback,...
 */

#define _GNU_SOURCE	/* open_memstream */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_dev_info.h>
#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>

#include "fbnic_tk.h"
#include "fbnic_tk_frame.h"
#include "test_ethdev.h"

#define NB_DESC		256
#define NB_MBUFS	1024
#define FRAMES		10
#define WAIT_MS		3000

static uint16_t port;
static struct rte_mempool *pool;

/* What fn printed into a memory stream; free() it. */
static char *
captured(int (*fn)(FILE *f, void *arg), void *arg, int *ret)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (f == NULL)
		return NULL;
	*ret = fn(f, arg);
	fclose(f);
	return buf;
}

static int
priv_dump(FILE *f, void *arg)
{
	RTE_SET_USED(arg);
	return rte_eth_dev_priv_dump(port, f);
}

struct desc_args {
	bool rx;
	uint16_t offset, num;
};

static int
desc_dump(FILE *f, void *arg)
{
	const struct desc_args *a = arg;

	return a->rx ? rte_eth_rx_descriptor_dump(port, 0, a->offset, a->num, f) :
		       rte_eth_tx_descriptor_dump(port, 0, a->offset, a->num, f);
}

static unsigned int
count_lines(const char *s)
{
	unsigned int n = 0;

	for (; *s != '\0'; s++)
		n += *s == '\n';
	return n;
}

static int
frames_go_round(void)
{
	struct rte_ether_addr mac;
	uint64_t deadline;
	unsigned int i, got = 0;

	TEST_ASSERT_SUCCESS(rte_eth_macaddr_get(port, &mac));
	for (i = 0; i < FRAMES; i++) {
		struct rte_mbuf *m = rte_pktmbuf_alloc(pool);
		struct tk_frame fr;
		uint8_t *p;

		TEST_ASSERT_NOT_NULL(m);
		p = (uint8_t *)rte_pktmbuf_append(m, 100);
		TEST_ASSERT_NOT_NULL(p);
		tk_frame_init(&fr, false, TK_PROTO_UDP);
		memcpy(fr.dst_mac, &mac, sizeof(fr.dst_mac));
		fr.seed = i;
		tk_frame_build(p, &fr, 100 - tk_frame_hdr_len(&fr));
		TEST_ASSERT_EQUAL(rte_eth_tx_burst(port, 0, &m, 1), 1);
	}
	deadline = tk_now_ms() + WAIT_MS;
	while (got < FRAMES && tk_now_ms() < deadline) {
		struct rte_mbuf *m;

		if (rte_eth_rx_burst(port, 0, &m, 1) == 1) {
			rte_pktmbuf_free(m);
			got++;
		}
	}
	TEST_ASSERT_EQUAL(got, FRAMES);
	return TEST_SUCCESS;
}

static int
priv_dump_shows_firmware_state_and_queues(void)
{
	int ret = -1;
	char *out = captured(priv_dump, NULL, &ret);

	TEST_ASSERT_NOT_NULL(out);
	TEST_CHECK_EQUAL(ret, 0);
	TEST_CHECK(strstr(out, "firmware: ") != NULL && strstr(out, "owned yes") != NULL &&
		   strstr(out, "1844674") == NULL, "no firmware state in:\n%s", out);
	TEST_CHECK(strstr(out, "started yes") != NULL, "no port state in:\n%s", out);
	TEST_CHECK(strstr(out, "rx queue 0: buffers scheme, started") != NULL,
		   "no Rx queue in:\n%s", out);
	TEST_CHECK(strstr(out, "packets 10 bytes 1000") != NULL, "no queue counters in:\n%s",
		   out);
	TEST_CHECK(strstr(out, "tx queue 0: started, TWQ 256 entries tail 20") != NULL,
		   "no Tx ring position (2 TWDs per frame) in:\n%s", out);
	printf("%s", out);
	free(out);
	TEST_CHECK_EQUAL(rte_eth_dev_priv_dump(port, NULL), -EINVAL);
	return TEST_SUCCESS;
}

/* Stop and start the port, and wait for its link. */
static int
restart(void)
{
	struct rte_eth_link link;
	uint64_t deadline;

	TEST_ASSERT_SUCCESS(rte_eth_dev_stop(port));
	TEST_ASSERT_SUCCESS(rte_eth_dev_start(port));
	deadline = tk_now_ms() + WAIT_MS;
	do {
		TEST_ASSERT_SUCCESS(rte_eth_link_get_nowait(port, &link));
	} while (link.link_status != RTE_ETH_LINK_UP && tk_now_ms() < deadline);
	TEST_ASSERT_EQUAL(link.link_status, RTE_ETH_LINK_UP);
	return TEST_SUCCESS;
}

/*
 * testpmd prints the dump in "show port info", which DTS's
 * port_restart_config_persistency compares before and after a port restart
 * with no traffic in between: state only, nothing that moves with time or
 * events (ring positions start over at every start).
 */
static int
priv_dump_is_the_same_after_a_restart(void)
{
	char *before, *after;
	int ret = -1;

	TEST_ASSERT_SUCCESS(restart());
	rte_delay_ms(1500);	/* a heartbeat or two */
	before = captured(priv_dump, NULL, &ret);
	TEST_ASSERT_NOT_NULL(before);
	TEST_ASSERT_SUCCESS(restart());
	rte_delay_ms(1500);
	after = captured(priv_dump, NULL, &ret);
	TEST_ASSERT_NOT_NULL(after);
	TEST_CHECK(strcmp(before, after) == 0, "dump before the restart:\n%s\nafter:\n%s",
		   before, after);
	free(before);
	free(after);
	return TEST_SUCCESS;
}

static int
descriptor_dumps_print_the_rings(void)
{
	struct desc_args rx_back = { true, 1024 - 2, 2 }, tx = { false, 0, 4 };
	struct desc_args bad[] = { { true, 0, 0 }, { true, 4096, 1 }, { false, 256, 1 },
				   { false, 0, 257 } };
	int ret = -1;
	char *out;
	size_t i;

	/* The RCQ (4 entries per descriptor): the last frame's two entries. */
	out = captured(desc_dump, &rx_back, &ret);
	TEST_ASSERT_NOT_NULL(out);
	TEST_CHECK_EQUAL(ret, 0);
	TEST_CHECK_EQUAL(count_lines(out), 3, "header and 2 entries:\n%s", out);
	TEST_CHECK(strstr(out, "HDR_AL") != NULL && strstr(out, "META") != NULL,
		   "the last frame's completions:\n%s", out);
	printf("%s", out);
	free(out);

	out = captured(desc_dump, &tx, &ret);
	TEST_ASSERT_NOT_NULL(out);
	TEST_CHECK_EQUAL(ret, 0);
	TEST_CHECK_EQUAL(count_lines(out), 5, "header and 4 entries:\n%s", out);
	TEST_CHECK(strstr(out, "TWQ entries 20.. (tail 20") != NULL, "Tx position:\n%s", out);
	free(out);

	for (i = 0; i < RTE_DIM(bad); i++) {
		out = captured(desc_dump, &bad[i], &ret);
		TEST_CHECK_EQUAL(ret, -EINVAL, "%s offset %u num %u", bad[i].rx ? "rx" : "tx",
				 bad[i].offset, bad[i].num);
		free(out);
	}
	TEST_CHECK_EQUAL(rte_eth_rx_descriptor_dump(port, 5, 0, 1, stdout), -EINVAL,
			 "a queue that does not exist");
	/* The port goes on. */
	return frames_go_round();
}

/* SFF-8636 check code: the low byte of the sum of bytes first..last. */
static uint8_t
sff_sum(const uint8_t *p, unsigned int first, unsigned int last)
{
	unsigned int sum = 0;

	while (first <= last)
		sum += p[first++];
	return (uint8_t)sum;
}

static int
module_eeprom_reads_through_the_firmware(void)
{
	struct rte_eth_dev_module_info mi;
	struct rte_dev_eeprom_info ee;
	uint8_t data[640];

	TEST_ASSERT_SUCCESS(rte_eth_dev_get_module_info(port, &mi));
	TEST_CHECK_EQUAL(mi.type, RTE_ETH_MODULE_SFF_8636);
	TEST_CHECK_EQUAL(mi.eeprom_len, 640);
	memset(&ee, 0, sizeof(ee));
	ee.data = data;
	ee.length = mi.eeprom_len;
	TEST_ASSERT_SUCCESS(rte_eth_dev_get_module_eeprom(port, &ee));
	TEST_CHECK_EQUAL(data[0], 0x11, "SFF-8024 identifier: QSFP28");
	TEST_CHECK_EQUAL(data[128], 0x11, "the identifier again in upper page 0");
	TEST_CHECK(memcmp(&data[148], "FBNIC MODEL", 11) == 0, "vendor name '%.16s'",
		   &data[148]);
	TEST_CHECK_EQUAL(data[191], sff_sum(data, 128, 190), "CC_BASE");
	TEST_CHECK_EQUAL(data[223], sff_sum(data, 192, 222), "CC_EXT");
	TEST_CHECK_EQUAL(data[192], 0x0b, "extended compliance: 100GBASE-CR4");
	TEST_CHECK(memcmp(&data[196], "FBM", 3) == 0, "serial number '%.16s'", &data[196]);
	/* Upper page 3 follows pages 1 and 2 at 512: temperature high alarm 75 C */
	TEST_CHECK_EQUAL(data[512], 75, "page 3 byte 128");
	ee.offset = 600;
	ee.length = 41;
	TEST_CHECK_EQUAL(rte_eth_dev_get_module_eeprom(port, &ee), -EINVAL,
			 "a range past the module's 640 bytes");
	ee.offset = 632;
	ee.length = 8;
	TEST_CHECK_EQUAL(rte_eth_dev_get_module_eeprom(port, &ee), 0, "the last 8 bytes");
	return TEST_SUCCESS;
}

static int
port_setup(void)
{
	struct rte_eth_conf conf;

	memset(&conf, 0, sizeof(conf));
	TEST_ASSERT_SUCCESS(test_port_start(port, 1, &conf, NB_DESC, pool));
	return frames_go_round();
}

int
main(int argc, char **argv)
{
	struct rte_mempool *pools[2] = { NULL };

	if (test_eal_one_port(argc, argv, &port) != 0)
		return 1;
	pool = test_pool("diag", NB_MBUFS, RTE_MBUF_DEFAULT_BUF_SIZE);
	if (pool == NULL) {
		rte_eal_cleanup();
		return 1;
	}
	if (TK_RUN(port_setup) == 0) {
		TK_RUN(priv_dump_shows_firmware_state_and_queues);
		TK_RUN(descriptor_dumps_print_the_rings);
		TK_RUN(module_eeprom_reads_through_the_firmware);
		TK_RUN(priv_dump_is_the_same_after_a_restart);
	}
	pools[0] = pool;
	test_port_teardown(port, pools);
	return tk_report("test_diag");
}
