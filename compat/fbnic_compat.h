/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

/*
 * The adapter between the driver, written against the driver API of
 * upstream DPDK main, and an older DPDK whose driver interface differs.
 *
 * Every compat set (compat/dpdk-<version>/) declares its version's layouts
 * of the structures shared with librte_ethdev and includes this file at the
 * end of its ethdev_driver.h. Through it:
 *
 * - the driver fills its struct eth_dev_ops with main's callback types; a
 *   set whose library calls a slot with another signature keeps that ABI
 *   slot under an abi_ name and the driver's slot after the end of the
 *   version's table, where the library never reads. When the probe
 *   finishes, fbnic_compat_ops_adapt() gives the port a copy of the
 *   driver's table whose ABI slots point to trampolines;
 * - the port's layout is checked against the loaded librte_ethdev before
 *   the driver writes to it (fbnic_compat_abi_check()): a mismatch fails
 *   the probe with a log line, never the process;
 * - the bus helpers of main (RTE_BUS_DEVICE ...) exist on every version.
 *
 * A set announces the slots it adapts with:
 *   FBNIC_COMPAT_STATS_GET_V1   stats_get(dev, stats): per-queue counters
 *                               live in struct rte_eth_stats (before 25.11);
 *   FBNIC_COMPAT_PTYPES_GET_V1  *ptypes_get(dev) without the element count
 *                               (before 24.03).
 */

#ifndef FBNIC_COMPAT_H
#define FBNIC_COMPAT_H

#include <rte_common.h>

#ifdef __cplusplus
extern "C" {
#endif

struct rte_eth_dev;

/* Bus device and driver conversions, as main's bus_driver.h has them. */
#ifndef RTE_BUS_DEVICE
#define RTE_BUS_DEVICE(dev, bus_dev_type) \
	container_of(dev, typeof(bus_dev_type), device)
#endif
#ifndef RTE_BUS_DRIVER
#define RTE_BUS_DRIVER(drv, bus_drv_type) \
	container_of(drv, typeof(bus_drv_type), driver)
#endif
#ifndef RTE_CLASS_TO_BUS_DEVICE
#define RTE_CLASS_TO_BUS_DEVICE(class_dev, bus_dev_type) \
	RTE_BUS_DEVICE((class_dev)->device, bus_dev_type)
#endif

/*
 * Check that rte_eth_devices[] and the port's rte_eth_dev_data have the
 * layout this compat set declares, for a port just allocated or attached
 * under the name given. Returns 0, or -EPROTO with one log line.
 */
int fbnic_compat_abi_check(const struct rte_eth_dev *dev, const char *name);

/*
 * Point the port's dev_ops at a copy of the driver's table whose ABI slots
 * reach the driver's callbacks through trampolines. Without an adapted
 * slot in the set, it changes nothing.
 */
void fbnic_compat_ops_adapt(struct rte_eth_dev *dev);

/*
 * The probe helpers below wrap the library's functions of the same name
 * (declared by the set before it includes this file). Each wrapper is a
 * function-like macro: "(rte_eth_dev_probing_finish)(dev)" still calls the
 * library directly.
 */

/* A secondary process attaches to a port only with a matching layout. */
static inline struct rte_eth_dev *
fbnic_compat_attach_secondary(const char *name)
{
	struct rte_eth_dev *dev = rte_eth_dev_attach_secondary(name);

	if (dev != NULL && fbnic_compat_abi_check(dev, name) != 0) {
		rte_eth_dev_release_port(dev);
		return NULL;
	}
	return dev;
}

/* The probe is finished: from now on the library calls the port's callbacks. */
static inline void
fbnic_compat_probing_finish(struct rte_eth_dev *dev)
{
	fbnic_compat_ops_adapt(dev);
	rte_eth_dev_probing_finish(dev);
}

#define rte_eth_dev_attach_secondary(name) fbnic_compat_attach_secondary(name)
#define rte_eth_dev_probing_finish(dev) fbnic_compat_probing_finish(dev)

#ifdef __cplusplus
}
#endif

#endif /* FBNIC_COMPAT_H */
