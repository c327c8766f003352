/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

#ifndef FBNIC_LOGS_H
#define FBNIC_LOGS_H

#include <rte_log.h>

/*
 * Dynamic log types, all under pmd.net.fbnic:
 *   .init    probe, remove, layout checks
 *   .driver  control path (configure, start, stop, link, filters)
 *   .rx/.tx  data path set-up and errors (never per packet)
 *   .mbox    firmware mailbox
 *   .base    hardware access layer (base/)
 */
extern int fbnic_logtype_init;
extern int fbnic_logtype_driver;
extern int fbnic_logtype_rx;
extern int fbnic_logtype_tx;
extern int fbnic_logtype_mbox;
extern int fbnic_logtype_base;

#define FBNIC_LOG_TYPE(type, level, fmt, ...) \
	rte_log(RTE_LOG_ ## level, fbnic_logtype_ ## type, "fbnic: %s(): " fmt "\n", \
		__func__, ##__VA_ARGS__)

#define PMD_INIT_LOG(level, fmt, ...) FBNIC_LOG_TYPE(init, level, fmt, ##__VA_ARGS__)
#define PMD_DRV_LOG(level, fmt, ...) FBNIC_LOG_TYPE(driver, level, fmt, ##__VA_ARGS__)
#define PMD_RX_LOG(level, fmt, ...) FBNIC_LOG_TYPE(rx, level, fmt, ##__VA_ARGS__)
#define PMD_TX_LOG(level, fmt, ...) FBNIC_LOG_TYPE(tx, level, fmt, ##__VA_ARGS__)
#define PMD_MBX_LOG(level, fmt, ...) FBNIC_LOG_TYPE(mbox, level, fmt, ##__VA_ARGS__)

#define PMD_INIT_FUNC_TRACE() PMD_INIT_LOG(DEBUG, ">>")

#endif /* FBNIC_LOGS_H */
