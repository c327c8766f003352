/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

/*
 * Engine: one thread that keeps polling its devices (fbm_poll()). While
 * nothing happens it backs off: spin, then yield, then sleep up to
 * FBM_ENGINE_SLEEP_MAX_NS, and returns to full speed on the first frame.
 */

#define _GNU_SOURCE
#include <sched.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <time.h>

#include "fbm_internal.h"

#define FBM_ENGINE_MAX_DEVS	16
#define FBM_ENGINE_BUDGET	64
#define FBM_ENGINE_SPIN		64		/* idle rounds before yielding */
#define FBM_ENGINE_YIELD	128		/* idle rounds before sleeping */
#define FBM_ENGINE_SLEEP_MIN_NS	2000
#define FBM_ENGINE_SLEEP_MAX_NS	200000

struct fbm_engine {
	pthread_mutex_t lock;		/* devs[], held for a whole round */
	struct fbm_dev *devs[FBM_ENGINE_MAX_DEVS];
	unsigned int ndevs;
	pthread_t thread;
	cpu_set_t cpus;			/* valid when has_cpus */
	bool has_cpus;
	bool started;
	_Atomic bool run;
};

int
fbm_engine_create(struct fbm_engine **engp)
{
	struct fbm_engine *eng;

	if (engp == NULL)
		return -EINVAL;
	eng = calloc(1, sizeof(*eng));
	if (eng == NULL)
		return -ENOMEM;
	pthread_mutex_init(&eng->lock, NULL);
	atomic_init(&eng->run, false);
	*engp = eng;
	return 0;
}

int
fbm_engine_add(struct fbm_engine *eng, struct fbm_dev *dev)
{
	int ret = 0;

	if (eng == NULL || dev == NULL)
		return -EINVAL;
	pthread_mutex_lock(&eng->lock);
	if (dev->engine != NULL)
		ret = -EBUSY;
	else if (eng->ndevs == FBM_ENGINE_MAX_DEVS)
		ret = -ENOSPC;
	else {
		eng->devs[eng->ndevs++] = dev;
		dev->engine = eng;
	}
	pthread_mutex_unlock(&eng->lock);
	return ret;
}

int
fbm_engine_remove(struct fbm_engine *eng, struct fbm_dev *dev)
{
	unsigned int i;
	int ret = -ENOENT;

	if (eng == NULL || dev == NULL)
		return -EINVAL;
	/* Taking the lock waits for the current round to finish. */
	pthread_mutex_lock(&eng->lock);
	for (i = 0; i < eng->ndevs; i++) {
		if (eng->devs[i] == dev) {
			eng->devs[i] = eng->devs[--eng->ndevs];
			dev->engine = NULL;
			ret = 0;
			break;
		}
	}
	pthread_mutex_unlock(&eng->lock);
	return ret;
}

static inline void
fbm_cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#elif defined(__aarch64__)
	__asm__ volatile("yield");
#endif
}

static void
fbm_engine_idle(unsigned int idle)
{
	struct timespec ts;
	uint64_t ns;
	unsigned int shift;

	if (idle < FBM_ENGINE_SPIN) {
		fbm_cpu_relax();
		return;
	}
	if (idle < FBM_ENGINE_YIELD) {
		sched_yield();
		return;
	}
	shift = (idle - FBM_ENGINE_YIELD) / 16;
	ns = shift >= 7 ? FBM_ENGINE_SLEEP_MAX_NS : (uint64_t)FBM_ENGINE_SLEEP_MIN_NS << shift;
	if (ns > FBM_ENGINE_SLEEP_MAX_NS)
		ns = FBM_ENGINE_SLEEP_MAX_NS;
	ts.tv_sec = 0;
	ts.tv_nsec = (long)ns;
	nanosleep(&ts, NULL);
}

static void *
fbm_engine_main(void *arg)
{
	struct fbm_engine *eng = arg;
	unsigned int idle = 0;

	/* Short back-off sleeps must not be stretched to the default 50 us. */
	prctl(PR_SET_TIMERSLACK, 1000UL, 0, 0, 0);

	while (atomic_load_explicit(&eng->run, memory_order_relaxed)) {
		unsigned int i, work = 0;

		pthread_mutex_lock(&eng->lock);
		for (i = 0; i < eng->ndevs; i++)
			work += fbm_poll(eng->devs[i], FBM_ENGINE_BUDGET);
		pthread_mutex_unlock(&eng->lock);

		if (work != 0) {
			idle = 0;
		} else {
			if (idle < UINT32_MAX)
				idle++;
			fbm_engine_idle(idle);
		}
	}
	return NULL;
}

int
fbm_engine_set_cpus(struct fbm_engine *eng, const uint64_t mask[FBM_CPU_WORDS])
{
	unsigned int cpu;

	if (eng == NULL || mask == NULL)
		return -EINVAL;
	CPU_ZERO(&eng->cpus);
	for (cpu = 0; cpu < 64 * FBM_CPU_WORDS; cpu++) {
		if (!(mask[cpu / 64] >> (cpu % 64) & 1))
			continue;
		if (cpu >= CPU_SETSIZE)
			return -EINVAL;
		CPU_SET(cpu, &eng->cpus);
	}
	if (CPU_COUNT(&eng->cpus) == 0)
		return -EINVAL;
	eng->has_cpus = true;
	return 0;
}

int
fbm_engine_start(struct fbm_engine *eng)
{
	pthread_attr_t attr;
	int ret;

	if (eng == NULL)
		return -EINVAL;
	if (eng->started)
		return -EALREADY;
	ret = pthread_attr_init(&attr);
	if (ret != 0)
		return -ret;
	if (eng->has_cpus)
		ret = pthread_attr_setaffinity_np(&attr, sizeof(eng->cpus), &eng->cpus);
	if (ret != 0) {
		pthread_attr_destroy(&attr);
		return -ret;
	}
	atomic_store(&eng->run, true);
	ret = pthread_create(&eng->thread, &attr, fbm_engine_main, eng);
	pthread_attr_destroy(&attr);
	if (ret != 0) {
		atomic_store(&eng->run, false);
		return -ret;
	}
	pthread_setname_np(eng->thread, "fbm-engine");
	eng->started = true;
	return 0;
}

void
fbm_engine_stop(struct fbm_engine *eng)
{
	if (eng == NULL || !eng->started)
		return;
	atomic_store(&eng->run, false);
	pthread_join(eng->thread, NULL);
	eng->started = false;
}

void
fbm_engine_destroy(struct fbm_engine *eng)
{
	unsigned int i;

	if (eng == NULL)
		return;
	fbm_engine_stop(eng);
	pthread_mutex_lock(&eng->lock);
	for (i = 0; i < eng->ndevs; i++)
		eng->devs[i]->engine = NULL;
	eng->ndevs = 0;
	pthread_mutex_unlock(&eng->lock);
	pthread_mutex_destroy(&eng->lock);
	free(eng);
}
