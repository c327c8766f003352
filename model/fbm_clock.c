/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

/*
 * Model clock: CLOCK_MONOTONIC, or a virtual time that only moves when a
 * test advances it (timeouts of firmware, link and moderation become exact).
 */

#include <time.h>

#include "fbm_internal.h"

void
fbm_clock_init(struct fbm_dev *dev)
{
	atomic_store(&dev->virt_time, dev->cfg.virtual_time);
	atomic_store(&dev->virt_now_ns, dev->cfg.virtual_start_ns);
}

uint64_t
fbm_now_ns(struct fbm_dev *dev)
{
	struct timespec ts;

	if (atomic_load_explicit(&dev->virt_time, memory_order_relaxed))
		return atomic_load_explicit(&dev->virt_now_ns, memory_order_relaxed);
	if (dev->poll_now_ns != 0)
		return dev->poll_now_ns;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

uint64_t
fbm_clock_now(struct fbm_dev *dev)
{
	return fbm_now_ns(dev);
}

void
fbm_clock_set_virtual(struct fbm_dev *dev, bool on, uint64_t start_ns)
{
	fbm_dev_lock(dev);
	atomic_store(&dev->virt_now_ns, start_ns);
	atomic_store(&dev->virt_time, on);
	dev->last_tick_ns = 0;
	fbm_dev_unlock(dev);
}

/* Moves virtual time; components see it at the next BAR access or poll. */
void
fbm_clock_advance(struct fbm_dev *dev, uint64_t delta_ns)
{
	atomic_fetch_add_explicit(&dev->virt_now_ns, delta_ns, memory_order_relaxed);
}
