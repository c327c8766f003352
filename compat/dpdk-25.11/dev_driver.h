/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

/*
 * Driver-SDK compat: the generic device and driver objects of DPDK 25.11.
 * Debian installs only the public EAL headers; this file declares the
 * 25.11 layout (unchanged since 22.11) so an out-of-tree driver can build.
 * It is put on the include path only when the installed DPDK lacks the
 * real header. Since 25.11 the pmdinfo export macros live here, not in
 * rte_dev.h, and the exported strings are global symbols.
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

/* A string kept in the driver's symbol table for dpdk-pmdinfo. */
#define RTE_PMD_EXPORT_SYMBOL(type, name) \
__attribute__((used)) type name

/* The driver's name: this_pmd_name<name>. */
#define RTE_PMD_EXPORT_NAME(name) \
RTE_PMD_EXPORT_SYMBOL(const char, this_pmd_name ## name)[] = RTE_STR(name)

#define DRV_EXP_TAG(name, tag) __##name##_##tag

/* The name of the driver's PCI ID table. */
#define RTE_PMD_REGISTER_PCI_TABLE(name, table) \
RTE_PMD_EXPORT_SYMBOL(const char, DRV_EXP_TAG(name, pci_tbl_export))[] = RTE_STR(table)

/* The devargs the driver accepts, e.g. "key=<0|1>". */
#define RTE_PMD_REGISTER_PARAM_STRING(name, str) \
RTE_PMD_EXPORT_SYMBOL(const char, DRV_EXP_TAG(name, param_string_export))[] = str

/* Kernel modules the devices need: "<device pattern> <module expression>". */
#define RTE_PMD_REGISTER_KMOD_DEP(name, str) \
RTE_PMD_EXPORT_SYMBOL(const char, DRV_EXP_TAG(name, kmod_dep_export))[] = str

/* 25.11 x86_64 layout: list links, five pointers and an int. */
_Static_assert(sizeof(struct rte_driver) == 4 * sizeof(void *), "rte_driver layout");
_Static_assert(sizeof(struct rte_device) == 8 * sizeof(void *), "rte_device layout");
_Static_assert(offsetof(struct rte_device, devargs) == 7 * sizeof(void *),
	       "rte_device.devargs offset");

#ifdef __cplusplus
}
#endif

#endif /* FBNIC_COMPAT_DEV_DRIVER_H */
