/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

#ifndef _TEST_ETHDEV_H_
#define _TEST_ETHDEV_H_

/*
 * What the ethdev tests of one model port share: EAL with exactly one
 * port (the plugin linked in), a pool whose available count is exact, and
 * the teardown that checks every mbuf came back.
 */

#include <stdint.h>

#include <rte_ethdev.h>
#include <rte_mempool.h>

#include "fbnic_tk_frame.h"

/*
 * rte_eal_init, then the one port. Returns 0, or -1 after printing why
 * (EAL cleaned up).
 */
int test_eal_one_port(int argc, char **argv, uint16_t *port);

/* A pool without per-lcore caches, n mbufs of room data bytes; NULL logged. */
struct rte_mempool *test_pool(const char *name, unsigned int n, uint16_t room);

/*
 * Configure the port with conf, nb_rxq Rx queues of nb_desc entries from mp
 * and one Tx queue, and start it.
 */
int test_port_start(uint16_t port, uint16_t nb_rxq, const struct rte_eth_conf *conf,
		    uint16_t nb_desc, struct rte_mempool *mp);

/*
 * Build fr with payload_len bytes of payload in an mbuf of mp and send it
 * on Tx queue 0; TEST_SUCCESS, or a failed check (the mbuf freed).
 */
int test_send_frame(uint16_t port, struct rte_mempool *mp, const struct tk_frame *fr,
		    size_t payload_len);

/*
 * Stop and close the port, check that each pool (NULL-terminated list) has
 * all its mbufs back, free the pools and clean EAL up.
 */
void test_port_teardown(uint16_t port, struct rte_mempool *const *pools);

#endif /* _TEST_ETHDEV_H_ */
