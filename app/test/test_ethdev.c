/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

#include <errno.h>
#include <stdio.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>

#include "rte_pmd_fbnic.h"

#include "fbnic_tk.h"
#include "test_ethdev.h"

int
test_eal_one_port(int argc, char **argv, uint16_t *port)
{
	uint16_t p;

	if (rte_eal_init(argc, argv) < 0) {
		printf("FAIL: EAL init: %s\n", rte_strerror(rte_errno));
		return -1;
	}
	if (rte_eth_dev_count_avail() != 1) {
		printf("FAIL: expected one port (--vdev net_fbnic_model0,wire=loopback)\n");
		rte_eal_cleanup();
		return -1;
	}
	RTE_ETH_FOREACH_DEV(p)
		break;
	*port = p;
	/* The plugin's own API: links it in even with --as-needed. */
	TEST_CHECK_EQUAL(rte_pmd_fbnic_model_poll(RTE_MAX_ETHPORTS, 1), -ENODEV);
	return 0;
}

struct rte_mempool *
test_pool(const char *name, unsigned int n, uint16_t room)
{
	struct rte_mempool *mp = rte_pktmbuf_pool_create(name, n, 0, 0, room,
							 rte_socket_id());

	if (mp == NULL)
		printf("FAIL: mempool %s: %s\n", name, rte_strerror(rte_errno));
	return mp;
}

int
test_port_start(uint16_t port, uint16_t nb_rxq, const struct rte_eth_conf *conf,
		uint16_t nb_desc, struct rte_mempool *mp)
{
	uint16_t q;

	TEST_ASSERT_SUCCESS(rte_eth_dev_configure(port, nb_rxq, 1, conf));
	for (q = 0; q < nb_rxq; q++)
		TEST_ASSERT_SUCCESS(rte_eth_rx_queue_setup(port, q, nb_desc, rte_socket_id(),
							   NULL, mp));
	TEST_ASSERT_SUCCESS(rte_eth_tx_queue_setup(port, 0, nb_desc, rte_socket_id(), NULL));
	TEST_ASSERT_SUCCESS(rte_eth_dev_start(port));
	return TEST_SUCCESS;
}

int
test_send_frame(uint16_t port, struct rte_mempool *mp, const struct tk_frame *fr,
		size_t payload_len)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(mp);
	uint8_t *p;

	TEST_ASSERT_NOT_NULL(m);
	p = (uint8_t *)rte_pktmbuf_append(m, (uint16_t)(tk_frame_hdr_len(fr) + payload_len));
	if (p == NULL)
		rte_pktmbuf_free(m);
	TEST_ASSERT_NOT_NULL(p);
	tk_frame_build(p, fr, payload_len);
	if (rte_eth_tx_burst(port, 0, &m, 1) != 1) {
		rte_pktmbuf_free(m);
		TEST_ASSERT(false, "Tx refused a frame");
	}
	return TEST_SUCCESS;
}

void
test_port_teardown(uint16_t port, struct rte_mempool *const *pools)
{
	unsigned int i;

	TEST_CHECK_EQUAL(rte_eth_dev_stop(port), 0);
	TEST_CHECK_EQUAL(rte_eth_dev_close(port), 0);
	for (i = 0; pools[i] != NULL; i++) {
		TEST_CHECK_EQUAL(rte_mempool_avail_count(pools[i]), pools[i]->size,
				 "every mbuf of %s back", pools[i]->name);
		rte_mempool_free(pools[i]);
	}
	rte_eal_cleanup();
}
