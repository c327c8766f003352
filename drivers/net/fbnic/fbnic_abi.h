/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

#ifndef FBNIC_ABI_H
#define FBNIC_ABI_H

struct rte_eth_dev;

/*
 * Check that the ethdev structures this driver was compiled with have the
 * layout of the librte_ethdev loaded in this process. An out-of-tree PMD
 * shares struct rte_eth_dev and struct rte_eth_dev_data with the library,
 * so a mismatch would corrupt memory: the probe must fail instead.
 * Returns 0, or -EPROTO with a log line naming the mismatch.
 */
int fbnic_abi_check(const struct rte_eth_dev *eth_dev);

#endif /* FBNIC_ABI_H */
