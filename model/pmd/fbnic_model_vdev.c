/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

/*
 * net_fbnic_model: an fbnic port backed by the software model instead of a
 * PCI function, the model's front end in DPDK. The driver is the same; only
 * the BARs (the register hook of base/ onto the model, fbnic_model_regs.h)
 * and the translation of I/O addresses (done here, for the model's DMA)
 * differ. This file, its devargs and the cabling of ports (fbm_topology.h)
 * belong to the model: a build without the model has none of them. The
 * model lives in the primary process.
 */

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_devargs.h>
#include <rte_eal.h>
#include <rte_interrupts.h>
#include <rte_kvargs.h>
#include <rte_log.h>
#include <rte_malloc.h>
#include <rte_memory.h>
#include <rte_spinlock.h>
#include <ethdev_driver.h>
#include <ethdev_vdev.h>
#include <bus_vdev_driver.h>

#include <fbnic_model.h>
#include <fbm_topology.h>

#include "fbnic_ethdev.h"
#include "fbnic_logs.h"
#include "fbnic_model_regs.h"
#include "rte_pmd_fbnic.h"

RTE_LOG_REGISTER_SUFFIX(fbnic_logtype_model, model, NOTICE);

#define FBNIC_MODEL_LOG(level, fmt, ...) \
	rte_log(RTE_LOG_ ## level, fbnic_logtype_model, "fbnic_model: %s(): " fmt "\n", \
		__func__, ##__VA_ARGS__)

#define FBNIC_MODEL_KEY_WIRE		"wire"
#define FBNIC_MODEL_KEY_ENGINE		"engine"
#define FBNIC_MODEL_KEY_ENGINE_CPUS	"engine_cpus"
#define FBNIC_MODEL_KEY_HOLD_OFF	"link_hold_off_ms"
#define FBNIC_MODEL_KEY_FW_READY	"fw_ready_ms"
#define FBNIC_MODEL_KEY_FAULT		"fault"
#define FBNIC_MODEL_KEY_DSN		"dsn"
#define FBNIC_MODEL_KEY_FW_VERSION	"fw_version"
#define FBNIC_MODEL_KEY_LINK_SPEED	"link_speed"
#define FBNIC_MODEL_KEY_BMC		"bmc"

/* Upper bounds of numeric devargs. */
#define FBNIC_MODEL_MAX_HOLD_OFF_MS	60000u
#define FBNIC_MODEL_MAX_LINK_SPEED	400000u	/* Mbit/s */
#define FBNIC_MODEL_MAX_FW_READY_MS	60000u
/* Configuration space: extended capabilities start here (PCIe). */
#define FBNIC_MODEL_ECAP_START		0x100u
#define FBNIC_MODEL_ECAP_DSN		0x0003u
#define FBNIC_MODEL_ECAP_MAX		64u

struct fbnic_model_args {
	struct fbm_wire_spec wire;
	bool engine_thread;
	bool engine_cpus_set;
	uint64_t engine_cpus[FBM_CPU_WORDS];	/* engine_cpus=: the engine thread's CPUs */
	uint32_t link_hold_off_ms;
	uint32_t link_speed;		/* link_speed=: Mbit/s to report, 0 = the PCS's */
	uint32_t fw_ready_ms;
	uint32_t faults;
	bool dsn_set;
	uint64_t dsn;
	bool fw_version_set;
	uint32_t fw_version;
	bool rx_zero_copy;
	uint16_t rx_simd_max;
	uint16_t tx_simd_max;
	bool bmc;			/* bmc=1: the firmware reports a BMC */
	struct fbnic_intr_args intr;
};

/* One model port: primary-process memory only. */
struct fbnic_model_port {
	char name[RTE_DEV_NAME_MAX_LEN];
	struct fbm_dev *dev;
	struct fbm_engine *engine;
	uint16_t port_id;
	bool in_topology;

	/* IOVA -> VA cache of the last memseg hit (IOVA-as-PA mode). */
	rte_spinlock_t cache_lock;
	uint64_t cache_iova;
	uint64_t cache_len;
	uint8_t *cache_va;
};

/* ---- Host services for the model ---------------------------------------- */

/*
 * Check that [va, va + len) lies in allocated DPDK memory whose IOVAs are
 * contiguous from iova. Bounded: at most one step per memory page.
 */
static bool
fbnic_model_range_ok(uint8_t *va, uint64_t iova, size_t len)
{
	const struct rte_memseg *ms;
	size_t covered;
	unsigned int steps = 0;

	ms = rte_mem_virt2memseg(va, NULL);
	if (ms == NULL || ms->addr == NULL || ms->len == 0 || ms->iova == RTE_BAD_IOVA)
		return false;
	if (va < (uint8_t *)ms->addr || va >= (uint8_t *)ms->addr + ms->len)
		return false;
	if (ms->iova + (uint64_t)(va - (uint8_t *)ms->addr) != iova)
		return false;
	covered = (size_t)((uint8_t *)ms->addr + ms->len - va);
	while (covered < len) {
		const struct rte_memseg *next;
		uint8_t *next_va = (uint8_t *)ms->addr + ms->len;

		if (++steps > (1u << 20))
			return false;
		next = rte_mem_virt2memseg(next_va, NULL);
		if (next == NULL || next->addr != next_va || next->len == 0 ||
		    next->iova != ms->iova + ms->len)
			return false;
		covered += next->len;
		ms = next;
	}
	return true;
}

static void *
fbnic_model_dma_map(void *ctx, uint64_t iova, size_t len)
{
	struct fbnic_model_port *mp = ctx;
	uint8_t *va;

	if (len == 0 || iova + len < iova || iova == RTE_BAD_IOVA)
		return NULL;

	if (rte_eal_iova_mode() == RTE_IOVA_VA) {
		va = (uint8_t *)(uintptr_t)iova;
		return fbnic_model_range_ok(va, iova, len) ? va : NULL;
	}

	/* IOVA-as-PA: the common case hits the memseg of the previous call. */
	rte_spinlock_lock(&mp->cache_lock);
	if (mp->cache_va != NULL && iova >= mp->cache_iova &&
	    iova + len <= mp->cache_iova + mp->cache_len) {
		va = mp->cache_va + (iova - mp->cache_iova);
		rte_spinlock_unlock(&mp->cache_lock);
		return va;
	}
	rte_spinlock_unlock(&mp->cache_lock);

	va = rte_mem_iova2virt(iova);
	if (va == NULL || !fbnic_model_range_ok(va, iova, len))
		return NULL;

	{
		const struct rte_memseg *ms = rte_mem_virt2memseg(va, NULL);

		if (ms != NULL && iova + len <= ms->iova + ms->len) {
			rte_spinlock_lock(&mp->cache_lock);
			mp->cache_iova = ms->iova;
			mp->cache_len = ms->len;
			mp->cache_va = ms->addr;
			rte_spinlock_unlock(&mp->cache_lock);
		}
	}
	return va;
}

static void
fbnic_model_log(void *ctx, int level, const char *msg)
{
	RTE_SET_USED(ctx);
	/* The model names the device in its messages. */
	if (level < (int)RTE_LOG_EMERG || level > (int)RTE_LOG_DEBUG)
		level = RTE_LOG_ERR;
	rte_log((uint32_t)level, fbnic_logtype_model, "fbnic_model: %s\n", msg);
}

/* The DSN from the model's configuration space, as on a PCI device. */
static int
fbnic_model_read_dsn(struct fbm_dev *dev, uint64_t *dsn)
{
	unsigned int pos = FBNIC_MODEL_ECAP_START, i;
	uint32_t hdr, lo, hi;

	for (i = 0; i < FBNIC_MODEL_ECAP_MAX; i++) {
		if (pos < FBNIC_MODEL_ECAP_START || pos + 12 > FBM_CFG_SIZE || (pos & 3))
			return -ENOENT;
		if (fbm_cfg_read(dev, pos, &hdr, sizeof(hdr)) != 0)
			return -EIO;
		hdr = rte_le_to_cpu_32(hdr);
		if (hdr == 0 || hdr == UINT32_MAX)
			return -ENOENT;
		if ((hdr & 0xffffu) == FBNIC_MODEL_ECAP_DSN) {
			if (fbm_cfg_read(dev, pos + 4, &lo, sizeof(lo)) != 0 ||
			    fbm_cfg_read(dev, pos + 8, &hi, sizeof(hi)) != 0)
				return -EIO;
			*dsn = (uint64_t)rte_le_to_cpu_32(hi) << 32 | rte_le_to_cpu_32(lo);
			return 0;
		}
		pos = hdr >> 20;
		if (pos == 0)
			return -ENOENT;
	}
	return -ENOENT;
}

/* ---- Cables between model ports (fbm_topology.h) ----------------------- */

/* True when the EAL was given a vdev of that name (it may be probed later). */
static bool
fbnic_model_vdev_declared(const char *name, void *ctx)
{
	struct rte_devargs *da;

	RTE_SET_USED(ctx);
	RTE_EAL_DEVARGS_FOREACH("vdev", da) {
		if (strcmp(da->name, name) == 0)
			return true;
	}
	return false;
}

/* ---- Devargs ----------------------------------------------------------------- */

/* Numbers start with a digit: strtoull() would also take blanks and signs. */
static bool
fbnic_model_is_number(const char *val)
{
	return val != NULL && isdigit((unsigned char)val[0]);
}

static int
fbnic_model_parse_u32(const char *key, const char *val, uint32_t max, uint32_t *out)
{
	unsigned long long v;
	char *end;

	errno = 0;
	if (!fbnic_model_is_number(val))
		goto bad;
	v = strtoull(val, &end, 0);
	if (errno != 0 || *end != '\0' || v > max)
		goto bad;
	*out = (uint32_t)v;
	return 0;
bad:
	FBNIC_MODEL_LOG(ERR, "devarg %s=%s: expected a number from 0 to %u", key,
			val != NULL ? val : "", max);
	return -EINVAL;
}

static int
fbnic_model_parse_wire(const char *val, struct fbnic_model_args *a)
{
	/* A vdev has no "other port": a peer is named. */
	if (fbm_wire_spec_parse(val, &a->wire) != 0 ||
	    (a->wire.kind == FBM_WIRE_SPEC_PEER && a->wire.arg[0] == '\0')) {
		FBNIC_MODEL_LOG(ERR, "devarg %s=%s: expected " FBM_WIRE_GRAMMAR
				" (a peer is a vdev name)", FBNIC_MODEL_KEY_WIRE, val);
		return -EINVAL;
	}
	return 0;
}

/* <name>[+<name>...]: every item a known fault, none empty ("+", "a+", "a++b"). */
static int
fbnic_model_parse_faults(const char *val, uint32_t *faults)
{
	const char *item = val;
	char name[64];
	size_t n;
	int f;

	do {
		n = strcspn(item, "+");
		if (n == 0) {
			FBNIC_MODEL_LOG(ERR, "devarg %s=%s: empty fault name, expected "
					"<name>[+<name>...]", FBNIC_MODEL_KEY_FAULT, val);
			return -EINVAL;
		}
		f = -EINVAL;
		if (n < sizeof(name)) {
			memcpy(name, item, n);
			name[n] = '\0';
			f = fbm_fault_parse(name);
		}
		if (f < 0 || f >= FBM_FAULT_MAX) {
			FBNIC_MODEL_LOG(ERR, "devarg %s=%s: unknown fault '%.*s'",
					FBNIC_MODEL_KEY_FAULT, val, (int)n, item);
			return -EINVAL;
		}
		*faults |= 1u << f;
		item += n;
	} while (*item++ == '+');
	return 0;
}

static int
fbnic_model_parse_fw_version(const char *val, uint32_t *code)
{
	unsigned int v[4];
	char end;

	/* Digits and dots only: sscanf() would also take blanks and signs */
	if (!fbnic_model_is_number(val) || val[strspn(val, "0123456789.")] != '\0' ||
	    sscanf(val, "%u.%u.%u.%u%c", &v[0], &v[1], &v[2], &v[3], &end) != 4 ||
	    v[0] > 255 || v[1] > 255 || v[2] > 255 || v[3] > 255) {
		FBNIC_MODEL_LOG(ERR, "devarg %s=%s: expected a.b.c.d, each 0..255",
				FBNIC_MODEL_KEY_FW_VERSION, val);
		return -EINVAL;
	}
	*code = FBNIC_FW_VER_CODE(v[0], v[1], v[2], v[3]);
	return 0;
}

static int
fbnic_model_parse_dsn(const char *val, uint64_t *dsn)
{
	char *end;

	errno = 0;
	if (!fbnic_model_is_number(val))
		goto bad;
	*dsn = strtoull(val, &end, 0);
	if (errno != 0 || *end != '\0')
		goto bad;
	return 0;
bad:
	FBNIC_MODEL_LOG(ERR, "devarg %s=%s: expected a 64-bit number (0x...)",
			FBNIC_MODEL_KEY_DSN, val);
	return -EINVAL;
}

/* A CPU list: "2", "0-3", "0+2-3" ('+', as ',' separates devargs); no empty item. */
static int
fbnic_model_parse_cpus(const char *key, const char *val, uint64_t mask[FBM_CPU_WORDS])
{
	const char *p = val;
	bool any = false;

	memset(mask, 0, FBM_CPU_WORDS * sizeof(mask[0]));
	while (*p != '\0') {
		unsigned long lo, hi;
		char *end;

		if (*p < '0' || *p > '9')
			goto bad;
		lo = strtoul(p, &end, 10);
		hi = lo;
		if (*end == '-') {
			if (end[1] < '0' || end[1] > '9')
				goto bad;
			hi = strtoul(end + 1, &end, 10);
		}
		if (hi < lo || hi >= 64 * FBM_CPU_WORDS)
			goto bad;
		for (; lo <= hi; lo++)
			mask[lo / 64] |= 1ull << (lo % 64);
		any = true;
		if (*end == '+' && end[1] != '\0')
			end++;
		else if (*end != '\0')
			goto bad;
		p = end;
	}
	if (any)
		return 0;
bad:
	FBNIC_MODEL_LOG(ERR, "devarg %s=%s: expected a CPU list such as 1 or 0-3+6 (CPUs "
			"below %u)", key, val, 64 * FBM_CPU_WORDS);
	return -EINVAL;
}

static int
fbnic_model_parse_one(const char *key, const char *val, struct fbnic_model_args *a)
{
	int ret;

	if (val == NULL)
		val = "";
	if (strcmp(key, FBNIC_MODEL_KEY_WIRE) == 0)
		return fbnic_model_parse_wire(val, a);
	if (strcmp(key, FBNIC_MODEL_KEY_ENGINE) == 0) {
		if (strcmp(val, "thread") == 0) {
			a->engine_thread = true;
			return 0;
		}
		if (strcmp(val, "none") == 0) {
			a->engine_thread = false;
			return 0;
		}
		FBNIC_MODEL_LOG(ERR, "devarg %s=%s: expected thread or none", key, val);
		return -EINVAL;
	}
	if (strcmp(key, FBNIC_MODEL_KEY_ENGINE_CPUS) == 0) {
		a->engine_cpus_set = true;
		return fbnic_model_parse_cpus(key, val, a->engine_cpus);
	}
	if (strcmp(key, FBNIC_MODEL_KEY_HOLD_OFF) == 0)
		return fbnic_model_parse_u32(key, val, FBNIC_MODEL_MAX_HOLD_OFF_MS,
					     &a->link_hold_off_ms);
	if (strcmp(key, FBNIC_MODEL_KEY_LINK_SPEED) == 0)
		return fbnic_model_parse_u32(key, val, FBNIC_MODEL_MAX_LINK_SPEED, &a->link_speed);
	if (strcmp(key, FBNIC_MODEL_KEY_FW_READY) == 0)
		return fbnic_model_parse_u32(key, val, FBNIC_MODEL_MAX_FW_READY_MS,
					     &a->fw_ready_ms);
	if (strcmp(key, FBNIC_MODEL_KEY_FAULT) == 0)
		return fbnic_model_parse_faults(val, &a->faults);
	if (strcmp(key, FBNIC_MODEL_KEY_DSN) == 0) {
		a->dsn_set = true;
		return fbnic_model_parse_dsn(val, &a->dsn);
	}
	if (strcmp(key, FBNIC_MODEL_KEY_FW_VERSION) == 0) {
		a->fw_version_set = true;
		return fbnic_model_parse_fw_version(val, &a->fw_version);
	}
	if (strcmp(key, FBNIC_MODEL_KEY_BMC) == 0)
		return fbnic_devarg_bool(key, val, &a->bmc);
	if (strcmp(key, FBNIC_DEVARG_RX_ZERO_COPY) == 0)
		return fbnic_devarg_bool(key, val, &a->rx_zero_copy);
	if (strcmp(key, FBNIC_DEVARG_RX_PATH) == 0)
		return fbnic_devarg_path(key, val, &a->rx_simd_max);
	if (strcmp(key, FBNIC_DEVARG_TX_PATH) == 0)
		return fbnic_devarg_path(key, val, &a->tx_simd_max);
	ret = fbnic_intr_devarg(key, val, &a->intr);
	if (ret != -ENOENT)
		return ret;
	FBNIC_MODEL_LOG(ERR, "unknown devarg %s=%s (known: %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, "
			"%s, %s, %s, %s, %s)", key, val, FBNIC_MODEL_KEY_WIRE,
			FBNIC_MODEL_KEY_ENGINE,
			FBNIC_MODEL_KEY_ENGINE_CPUS, FBNIC_MODEL_KEY_HOLD_OFF,
			FBNIC_MODEL_KEY_LINK_SPEED, FBNIC_MODEL_KEY_FW_READY, FBNIC_MODEL_KEY_FAULT,
			FBNIC_MODEL_KEY_DSN, FBNIC_MODEL_KEY_FW_VERSION, FBNIC_MODEL_KEY_BMC,
			FBNIC_DEVARG_RX_ZERO_COPY, FBNIC_DEVARG_RX_PATH, FBNIC_DEVARG_TX_PATH,
			FBNIC_DEVARG_RX_COALESCE_USECS, FBNIC_DEVARG_RX_COALESCE_FRAMES);
	return -EINVAL;
}

static int
fbnic_model_parse_args(const char *name, const char *args, struct fbnic_model_args *a)
{
	struct rte_kvargs *kv;
	unsigned int i, j;
	int ret = 0;

	memset(a, 0, sizeof(*a));
	a->engine_thread = true;
	if (args == NULL || *args == '\0')
		return 0;

	kv = rte_kvargs_parse(args, NULL);
	if (kv == NULL) {
		FBNIC_MODEL_LOG(ERR, "%s: cannot parse devargs '%s' (key=value,...)", name, args);
		return -EINVAL;
	}
	for (i = 0; i < kv->count && ret == 0; i++) {
		for (j = 0; j < i; j++) {
			if (strcmp(kv->pairs[i].key, kv->pairs[j].key) == 0) {
				FBNIC_MODEL_LOG(ERR, "%s: devarg %s given twice", name,
						kv->pairs[i].key);
				ret = -EINVAL;
				break;
			}
		}
		if (ret == 0)
			ret = fbnic_model_parse_one(kv->pairs[i].key, kv->pairs[i].value, a);
	}
	rte_kvargs_free(kv);
	if (ret != 0)
		FBNIC_MODEL_LOG(ERR, "%s: bad devargs '%s': no port", name, args);
	return ret;
}

/* ---- Port life cycle ------------------------------------------------------ */

static void
fbnic_model_port_free(struct fbnic_model_port *mp)
{
	if (mp == NULL)
		return;
	if (mp->in_topology)
		fbm_topo_remove(fbm_topology_global(), mp->dev);
	if (mp->engine != NULL) {
		fbm_engine_stop(mp->engine);
		if (mp->dev != NULL)
			fbm_engine_remove(mp->engine, mp->dev);
		fbm_engine_destroy(mp->engine);
		mp->engine = NULL;
	}
	if (mp->dev != NULL)
		fbm_destroy(mp->dev);
	mp->dev = NULL;
	rte_free(mp);
}

/* Called by the common close: the device goes with the port. */
static void
fbnic_model_close(struct fbnic_adapter *ad)
{
	struct fbnic_model_port *mp = ad->owner;

	ad->owner = NULL;
	ad->hw.reg_ops = NULL;
	ad->hw.reg_ctx = NULL;
	ad->hw.removed = true;	/* nothing may reach the model any more */
	fbnic_model_port_free(mp);
}

static struct fbnic_model_port *
fbnic_model_port_of(uint16_t port_id)
{
	struct rte_eth_dev *dev;
	struct fbnic_adapter *ad;

	if (rte_eal_process_type() != RTE_PROC_PRIMARY || !rte_eth_dev_is_valid_port(port_id))
		return NULL;
	dev = &rte_eth_devices[port_id];
	if (dev->data == NULL || dev->data->dev_private == NULL)
		return NULL;
	ad = fbnic_eth_dev_adapter(dev);
	if (ad->owner_close != fbnic_model_close || ad->owner == NULL)
		return NULL;
	return ad->owner;
}

int
rte_pmd_fbnic_model_fault_set(uint16_t port_id, const char *name, bool on)
{
	struct fbnic_model_port *mp = fbnic_model_port_of(port_id);
	int f;

	if (mp == NULL) {
		FBNIC_MODEL_LOG(ERR, "port %u is not a model port of this process", port_id);
		return -ENODEV;
	}
	f = name != NULL ? fbm_fault_parse(name) : -EINVAL;
	if (f < 0 || f >= FBM_FAULT_MAX) {
		FBNIC_MODEL_LOG(ERR, "port %u: unknown fault '%s'", port_id,
				name != NULL ? name : "(null)");
		return -EINVAL;
	}
	FBNIC_MODEL_LOG(INFO, "%s: fault %s %s", mp->name, name, on ? "on" : "off");
	return fbm_fault_set(mp->dev, (enum fbm_fault)f, on);
}

int
rte_pmd_fbnic_model_poll(uint16_t port_id, unsigned int budget)
{
	struct fbnic_model_port *mp = fbnic_model_port_of(port_id);

	if (mp == NULL)
		return -ENODEV;
	return (int)fbm_poll(mp->dev, budget);
}

int
rte_pmd_fbnic_model_clock_hold(uint16_t port_id, bool hold)
{
	struct fbnic_model_port *mp = fbnic_model_port_of(port_id);

	if (mp == NULL)
		return -ENODEV;
	fbm_clock_set_virtual(mp->dev, hold, hold ? fbm_clock_now(mp->dev) : 0);
	return 0;
}

int
rte_pmd_fbnic_model_msix_count(uint16_t port_id, int vector, uint64_t *count)
{
	struct fbnic_model_port *mp = fbnic_model_port_of(port_id);

	if (mp == NULL || count == NULL)
		return -ENODEV;
	*count = fbm_intr_messages(mp->dev, vector);
	return 0;
}

/*
 * Distinct MAC addresses for distinct ports: net_fbnic_model<N> gets the
 * model's default DSN with N + 1 in the bits that become the last three MAC
 * bytes (other names: a hash of the name).
 */
static uint64_t
fbnic_model_default_dsn(uint64_t dsn, const char *name)
{
	size_t len = strlen(name), i = len;
	uint32_t low = 0;

	while (i > 0 && name[i - 1] >= '0' && name[i - 1] <= '9' && len - i < 6)
		i--;
	if (i < len) {
		low = (uint32_t)strtoul(name + i, NULL, 10) + 1;
	} else {
		for (i = 0; i < len; i++)
			low = low * 31 + (uint8_t)name[i];
		low |= 1;
	}
	return (dsn & ~UINT64_C(0xffffff)) | (low & 0xffffffu);
}

/*
 * An MSI-X message of the model: a write to the eventfd the port's
 * interrupt handle has for the vector, in vfio-pci's layout (vector 0 the
 * handle's fd, vector v efds[v - 1]; fbnic_intr.c makes them). A vector
 * without an fd is lost, as a message to an unprogrammed MSI-X entry. Runs
 * in the model's lock, in whichever thread ran the device.
 */
static void
fbnic_model_msix(void *ctx, unsigned int vector)
{
	struct fbnic_model_port *mp = ctx;
	const struct rte_intr_handle *h;
	uint64_t one = 1;
	int fd = -1;

	if (mp->port_id >= RTE_MAX_ETHPORTS)
		return;
	h = __atomic_load_n(&rte_eth_devices[mp->port_id].intr_handle, __ATOMIC_ACQUIRE);
	if (h == NULL)
		return;
	if (vector == 0)
		fd = rte_intr_fd_get(h);
	else if ((int)vector <= rte_intr_nb_efd_get(h))
		fd = rte_intr_efds_index_get(h, (int)vector - 1);
	if (fd < 0)
		return;
	/* A full counter (2^64 - 2 messages unread) already wakes the reader. */
	(void)!write(fd, &one, sizeof(one));
}

static int
fbnic_model_create(const char *name, const struct fbnic_model_args *a,
		   struct fbnic_model_port **mpp)
{
	struct fbnic_model_port *mp;
	struct fbm_host_ops ops;
	struct fbm_config cfg;
	int ret;

	mp = rte_zmalloc("fbnic_model_port", sizeof(*mp), 0);
	if (mp == NULL)
		return -ENOMEM;
	snprintf(mp->name, sizeof(mp->name), "%s", name);
	rte_spinlock_init(&mp->cache_lock);

	fbm_config_init(&cfg);
	snprintf(cfg.name, sizeof(cfg.name), "%s", name);
	if (a->dsn_set)
		cfg.dsn = a->dsn;
	else
		cfg.dsn = fbnic_model_default_dsn(cfg.dsn, name);
	if (a->fw_version_set)
		cfg.fw_version = a->fw_version;
	cfg.fw_ready_delay_ns = (uint64_t)a->fw_ready_ms * 1000000u;
	cfg.faults = a->faults;
	cfg.bmc_present = a->bmc;

	memset(&ops, 0, sizeof(ops));
	ops.ctx = mp;
	ops.dma_map = fbnic_model_dma_map;
	ops.msix = fbnic_model_msix;
	ops.log = fbnic_model_log;

	ret = fbm_create(&cfg, &ops, &mp->dev);
	if (ret != 0) {
		FBNIC_MODEL_LOG(ERR, "%s: cannot create the model: %d", name, ret);
		mp->dev = NULL;
		fbnic_model_port_free(mp);
		return ret;
	}
	if (a->engine_thread) {
		ret = fbm_engine_create(&mp->engine);
		if (ret == 0 && a->engine_cpus_set)
			ret = fbm_engine_set_cpus(mp->engine, a->engine_cpus);
		if (ret == 0)
			ret = fbm_engine_add(mp->engine, mp->dev);
		if (ret == 0)
			ret = fbm_engine_start(mp->engine);
		if (ret != 0) {
			FBNIC_MODEL_LOG(ERR, "%s: cannot start the model engine: %d", name, ret);
			fbnic_model_port_free(mp);
			return ret;
		}
	}
	*mpp = mp;
	return 0;
}

static int
fbnic_model_probe(struct rte_vdev_device *vdev)
{
	const char *name = rte_vdev_device_name(vdev);
	struct fbnic_dev_init_params p;
	struct fbnic_model_port *mp = NULL;
	struct fbnic_model_args args;
	struct rte_eth_dev *eth_dev;
	int ret;

	if (rte_eal_process_type() == RTE_PROC_SECONDARY) {
		eth_dev = rte_eth_dev_attach_secondary(name);
		if (eth_dev == NULL) {
			PMD_INIT_LOG(ERR, "%s: cannot attach to the primary's port", name);
			return -ENODEV;
		}
		eth_dev->device = &vdev->device;
		ret = fbnic_dev_init_secondary(eth_dev);
		if (ret != 0) {
			rte_eth_dev_release_port(eth_dev);
			return ret;
		}
		rte_eth_dev_probing_finish(eth_dev);
		return 0;
	}

	ret = fbnic_model_parse_args(name, rte_vdev_device_args(vdev), &args);
	if (ret != 0)
		return ret;
	if (args.wire.kind == FBM_WIRE_SPEC_PEER && strcmp(args.wire.arg, name) == 0) {
		FBNIC_MODEL_LOG(ERR, "%s: devarg %s=peer:%s names the port itself (use loopback)",
				name, FBNIC_MODEL_KEY_WIRE, args.wire.arg);
		return -EINVAL;
	}

	eth_dev = rte_eth_vdev_allocate(vdev, sizeof(struct fbnic_adapter));
	if (eth_dev == NULL) {
		PMD_INIT_LOG(ERR, "%s: cannot allocate an ethdev port", name);
		return -ENOMEM;
	}
	ret = fbnic_model_create(name, &args, &mp);
	if (ret != 0) {
		rte_eth_dev_release_port(eth_dev);
		return ret;
	}
	mp->port_id = eth_dev->data->port_id;

	memset(&p, 0, sizeof(p));
	p.reg_ops = &fbnic_model_reg_ops;
	p.reg_ctx = mp->dev;
	p.dsn_valid = fbnic_model_read_dsn(mp->dev, &p.dsn) == 0;
	p.devargs.link_hold_off_ms = args.link_hold_off_ms;
	p.devargs.link_speed_mbps = args.link_speed;
	p.devargs.rx_zero_copy = args.rx_zero_copy;
	p.devargs.rx_simd_max = args.rx_simd_max;
	p.devargs.tx_simd_max = args.tx_simd_max;
	p.devargs.intr = args.intr;
	p.owner = mp;
	p.owner_close = fbnic_model_close;

	ret = fbnic_dev_init(eth_dev, &p);
	if (ret != 0) {
		/* fbnic_dev_init left nothing behind but the model. */
		rte_eth_dev_release_port(eth_dev);
		fbnic_model_port_free(mp);
		PMD_INIT_LOG(ERR, "%s: probe failed (%d): no port", name, ret);
		return ret;
	}

	ret = fbm_topo_add(fbm_topology_global(), name, mp->dev);
	if (ret == 0) {
		mp->in_topology = true;
		ret = fbm_topo_plug(fbm_topology_global(), name, &args.wire,
				    fbnic_model_vdev_declared, NULL);
	}
	if (ret != 0) {
		PMD_INIT_LOG(ERR, "%s: probe failed (%d): no port", name, ret);
		/*
		 * Not rte_eth_dev_close(): before probing_finish the port is not
		 * valid to ethdev, which would return without closing it.
		 */
		(void)fbnic_dev_close(eth_dev);
		rte_eth_dev_release_port(eth_dev);
		return ret;
	}

	rte_eth_dev_probing_finish(eth_dev);
	PMD_INIT_LOG(INFO, "%s: model port %u, engine %s", name, eth_dev->data->port_id,
		     args.engine_thread ? "thread" : "none (application polls)");
	return 0;
}

static int
fbnic_model_remove(struct rte_vdev_device *vdev)
{
	const char *name = rte_vdev_device_name(vdev);
	struct rte_eth_dev *eth_dev;

	eth_dev = rte_eth_dev_allocated(name);
	if (eth_dev == NULL)
		return 0;
	if (rte_eal_process_type() != RTE_PROC_PRIMARY)
		return rte_eth_dev_release_port(eth_dev);
	/* Hot unplug of a running port: the ethdev layer closes only stopped ports. */
	if (eth_dev->data->dev_started)
		(void)rte_eth_dev_stop(eth_dev->data->port_id);
	return rte_eth_dev_close(eth_dev->data->port_id);
}

static struct rte_vdev_driver fbnic_model_vdev_drv = {
	.probe = fbnic_model_probe,
	.remove = fbnic_model_remove,
};

RTE_PMD_REGISTER_VDEV(net_fbnic_model, fbnic_model_vdev_drv);
RTE_PMD_REGISTER_PARAM_STRING(net_fbnic_model,
	FBNIC_MODEL_KEY_WIRE "=loopback|none|peer:<vdev>|afpacket:<ifname>|pcap:[<in>][:<out>] "
	FBNIC_MODEL_KEY_ENGINE "=thread|none "
	FBNIC_MODEL_KEY_ENGINE_CPUS "=<cpu list> "
	FBNIC_MODEL_KEY_HOLD_OFF "=<ms> "
	FBNIC_MODEL_KEY_LINK_SPEED "=<Mbit/s> "
	FBNIC_MODEL_KEY_FW_READY "=<ms> "
	FBNIC_MODEL_KEY_FAULT "=<name>[+<name>...] "
	FBNIC_MODEL_KEY_DSN "=<u64> "
	FBNIC_MODEL_KEY_FW_VERSION "=<a.b.c.d> "
	FBNIC_MODEL_KEY_BMC "=<0|1> "
	FBNIC_DEVARG_RX_ZERO_COPY "=<0|1> "
	FBNIC_DEVARG_RX_PATH "=<" FBNIC_DEVARG_PATH_VALUES "> "
	FBNIC_DEVARG_TX_PATH "=<" FBNIC_DEVARG_PATH_VALUES "> "
	FBNIC_DEVARG_RX_COALESCE_USECS "=<0-16383> "
	FBNIC_DEVARG_RX_COALESCE_FRAMES "=<0-16383>");
