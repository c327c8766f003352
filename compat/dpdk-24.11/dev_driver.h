/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

/*
 * Driver-SDK compat: the generic device and driver objects of DPDK 24.11.
 * Debian installs only the public EAL headers; this file declares the
 * 24.11 layout (unchanged since 22.11) so an out-of-tree driver can build.
 * It is put on the include path only when the installed DPDK lacks the
 * real header. The pmdinfo export macros still live in rte_dev.h here.
 */

#ifndef FBNIC_COMPAT_DEV_DRIVER_H
#define FBNIC_COMPAT_DEV_DRIVER_H

#include <rte_common.h>
#include <rte_dev.h>

#ifdef __cplusplus
extern "C" {
#endif

struct rte_bus;
struct rte_devargs;

struct rte_driver {
	RTE_TAILQ_ENTRY(rte_driver) next;
	const char *name;
	const char *alias;
};

struct rte_device {
	RTE_TAILQ_ENTRY(rte_device) next;
	const char *name;
	const char *bus_info;
	const struct rte_driver *driver;
	const struct rte_bus *bus;
	int numa_node;
	struct rte_devargs *devargs;
};

/* 24.11 x86_64 layout: list links, five pointers and an int. */
_Static_assert(sizeof(struct rte_driver) == 4 * sizeof(void *), "rte_driver layout");
_Static_assert(sizeof(struct rte_device) == 8 * sizeof(void *), "rte_device layout");
_Static_assert(offsetof(struct rte_device, devargs) == 7 * sizeof(void *),
	       "rte_device.devargs offset");

#ifdef __cplusplus
}
#endif

#endif /* FBNIC_COMPAT_DEV_DRIVER_H */
