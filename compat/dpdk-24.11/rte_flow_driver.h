/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

/* Driver-SDK compat: rte_flow's driver interface of DPDK 24.11. */

#ifndef FBNIC_COMPAT_RTE_FLOW_DRIVER_H
#define FBNIC_COMPAT_RTE_FLOW_DRIVER_H

#include "fbnic_flow_ops_v24.h"

#endif /* FBNIC_COMPAT_RTE_FLOW_DRIVER_H */
