/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

#ifndef _FBNIC_OSDEP_H_
#define _FBNIC_OSDEP_H_

/*
 * The only door from base/ into DPDK. Everything in base/ that needs time,
 * memory, barriers, byte order or logging goes through this header, so the
 * hardware code stays free of ethdev types.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include <rte_atomic.h>
#include <rte_branch_prediction.h>
#include <rte_byteorder.h>
#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_io.h>
#include <rte_log.h>
#include <rte_malloc.h>
#include <rte_random.h>
#include <rte_spinlock.h>

struct fbnic_hw;

/* Dynamic log type "pmd.net.fbnic.base", registered by the PMD. */
extern int fbnic_logtype_base;

/*
 * level is one of ERR, WARNING, INFO, DEBUG. The format carries no trailing
 * newline: the macro adds it.
 */
#define FBNIC_BASE_LOG(level, fmt, ...) \
	rte_log(RTE_LOG_ ## level, fbnic_logtype_base, "fbnic: %s(): " fmt "\n", \
		__func__, ##__VA_ARGS__)

#define FBNIC_BIT(n)		(UINT32_C(1) << (n))
#define FBNIC_BIT64(n)		(UINT64_C(1) << (n))
/* Contiguous mask from bit l up to bit h, inclusive. */
#define FBNIC_GENMASK(h, l) \
	(((~UINT32_C(0)) >> (31 - (h))) & ((~UINT32_C(0)) << (l)))
#define FBNIC_GENMASK64(h, l) \
	(((~UINT64_C(0)) >> (63 - (h))) & ((~UINT64_C(0)) << (l)))
/* FBNIC_FIELD_GET()/FBNIC_FIELD_PREP() come from fbnic_csr.h. */
#define FBNIC_ARRAY_SIZE(a)	RTE_DIM(a)

/* Sleeping delay: lets other threads run, used on slow paths only. */
static inline void
fbnic_osdep_usleep(unsigned int us)
{
	rte_delay_us_sleep(us);
}

/* Busy-wait delay for very short waits. */
static inline void
fbnic_osdep_udelay(unsigned int us)
{
	rte_delay_us_block(us);
}

/* Monotonic time in milliseconds. */
static inline uint64_t
fbnic_osdep_time_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* Monotonic time in microseconds. */
static inline uint64_t
fbnic_osdep_time_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

/* Barriers between normal memory (rings) and device memory (doorbells). */
#define fbnic_osdep_wmb()	rte_wmb()
#define fbnic_osdep_rmb()	rte_rmb()
#define fbnic_osdep_io_wmb()	rte_io_wmb()
#define fbnic_osdep_io_rmb()	rte_io_rmb()

/* Descriptors are little-endian 64-bit words. */
#define fbnic_osdep_le64_to_cpu(x)	rte_le_to_cpu_64(x)
#define fbnic_osdep_cpu_to_le64(x)	rte_cpu_to_le_64(x)
#define fbnic_osdep_le32_to_cpu(x)	rte_le_to_cpu_32(x)
#define fbnic_osdep_cpu_to_le32(x)	rte_cpu_to_le_32(x)

/* Lock for state shared by control threads (e.g. counters and a service). */
typedef rte_spinlock_t fbnic_osdep_lock_t;
#define fbnic_osdep_lock_init(l)	rte_spinlock_init(l)
#define fbnic_osdep_lock(l)		rte_spinlock_lock(l)
#define fbnic_osdep_unlock(l)		rte_spinlock_unlock(l)

/* Pseudo-random 64-bit value (default RSS key). */
static inline uint64_t
fbnic_osdep_rand64(void)
{
	return rte_rand();
}

/* Plain (not DMA-able) zeroed memory for software state. */
static inline void *
fbnic_osdep_zmalloc(const char *name, size_t len)
{
	return rte_zmalloc(name, len, RTE_CACHE_LINE_SIZE);
}

static inline void
fbnic_osdep_free(void *p)
{
	rte_free(p);
}

/*
 * IOVA-contiguous, zeroed, 4 KiB aligned memory for rings and mailbox
 * buffers. Returns its address (NULL on failure, logged); *iova receives
 * the bus address and *handle what fbnic_osdep_dma_free() needs. Named
 * (for DPDK's memzone list) from the port id, the given name and a counter.
 * Implemented in fbnic_osdep.c.
 */
void *fbnic_osdep_dma_zalloc(struct fbnic_hw *hw, const char *name, size_t len,
			     uint64_t *iova, void **handle);
/* Frees memory from fbnic_osdep_dma_zalloc() by its handle; NULL is ignored. */
void fbnic_osdep_dma_free(void *handle);

#endif /* _FBNIC_OSDEP_H_ */
