/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

#ifndef _RTE_PMD_FBNIC_H_
#define _RTE_PMD_FBNIC_H_

/*
 * Functions of the fbnic PMD for test programs driving ports of the
 * software model (vdev net_fbnic_model). They are plain exported symbols of
 * librte_net_fbnic.so: link the program with the plugin, or look them up
 * with dlsym() on a handle of the loaded plugin.
 */

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Switch a model fault on or off at run time. name is one of the model's
 * fault names ("link_down", "fw_silent", "fw_error_replies", "rx_drop",
 * "rx_corrupt", "dma_fault", "surprise_removal").
 * Returns 0, -ENODEV (no such port, not a model port, or not the primary
 * process) or -EINVAL (unknown fault name).
 */
int rte_pmd_fbnic_model_fault_set(uint16_t port_id, const char *name, bool on);

/*
 * Run a model port's device once (ports probed with engine=none, where no
 * thread does it): timers, up to budget transmitted and received frames.
 * Returns the number of frames handled, or a negative errno as above.
 */
int rte_pmd_fbnic_model_poll(uint16_t port_id, unsigned int budget);

/*
 * MSI-X messages a model port's device sent since reset, for one vector
 * (0 the mailbox, 1 the PCS, 2 + q queue q) or all of them (vector < 0).
 * Returns 0, or -ENODEV as above (or a NULL count).
 */
int rte_pmd_fbnic_model_msix_count(uint16_t port_id, int vector, uint64_t *count);

/*
 * Stop (hold = true) or restart a model port's device clock: while held,
 * the device's time stands still (timers, pause quanta, firmware replies),
 * so that a test sees a timed state last as long as it needs. Released, the
 * clock is the host's monotonic clock again. Returns 0, or -ENODEV as above.
 */
int rte_pmd_fbnic_model_clock_hold(uint16_t port_id, bool hold);

#ifdef __cplusplus
}
#endif

#endif /* _RTE_PMD_FBNIC_H_ */
