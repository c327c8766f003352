/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

#ifndef _FBNIC_MODEL_H_
#define _FBNIC_MODEL_H_

/*
 * Software model of one fbnic PCI function (doc/guides/nics/fbnic_model.rst).
 *
 * The host (a driver, a test) sees the device through 32-bit BAR accesses,
 * PCI configuration space accesses, DMA into host memory that it translates
 * for the model (struct fbm_host_ops), and MSI-X messages. The datapath runs
 * asynchronously: either an engine thread polls the device, or the host calls
 * fbm_poll() itself. Frames leave and enter the device through a "wire".
 *
 * Plain C, no DPDK types. All functions are thread safe unless noted.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Number of elements of an array. */
#define FBM_DIM(a)	(sizeof(a) / sizeof((a)[0]))

#ifdef __cplusplus
extern "C" {
#endif

/* Sizes of the modelled address spaces. */
#define FBM_BAR0_SIZE		(2u << 20)	/* all CSRs incl. 128 queue pages */
#define FBM_BAR4_SIZE		(1u << 20)	/* mailbox, OTP */
#define FBM_CFG_SIZE		4096u		/* PCIe extended config space */
#define FBM_MSIX_VECTORS	256u		/* MSI-X table size */

/* Largest frame carried by a wire, FCS excluded. */
#define FBM_MAX_FRAME		9742u

/* Log levels: the numbering of DPDK's RTE_LOG_* levels. */
#define FBM_LOG_ERR		4
#define FBM_LOG_WARNING		5
#define FBM_LOG_NOTICE		6
#define FBM_LOG_INFO		7
#define FBM_LOG_DEBUG		8

struct fbm_dev;
struct fbm_engine;

/* Services the host provides to the model. Every member may be NULL. */
struct fbm_host_ops {
	void *ctx;
	/*
	 * Translate [iova, iova + len) to a host pointer valid for the whole
	 * range; NULL if any byte of it is not mapped. Without this callback
	 * every device DMA fails.
	 */
	void *(*dma_map)(void *ctx, uint64_t iova, size_t len);
	/* An MSI-X message for vector (may be called from the engine thread). */
	void (*msix)(void *ctx, unsigned int vector);
	/* One log line (no trailing newline). Default: stderr for <= WARNING. */
	void (*log)(void *ctx, int level, const char *msg);
};

/* Run-time faults (fbm_fault_set()), also settable at creation time. */
enum fbm_fault {
	FBM_FAULT_LINK_DOWN,		/* no signal: link down, wire carries nothing */
	FBM_FAULT_FW_SILENT,		/* firmware neither signals ready nor replies */
	FBM_FAULT_FW_ERROR_REPLIES,	/* firmware completes requests with FW_ERR */
	FBM_FAULT_RX_DROP,		/* drop every Nth received frame (N = 1: all) */
	FBM_FAULT_RX_CORRUPT,		/* flip a byte of every Nth frame, bad FCS */
	FBM_FAULT_DMA,			/* every device DMA fails */
	FBM_FAULT_SURPRISE_REMOVAL,	/* reads return all ones, writes ignored */
	/* after each frame, forged DONE completions past the RCQ tail, which stays */
	FBM_FAULT_RCQ_FORGE,
	FBM_FAULT_TX_STALL,		/* the Tx engine stops: TWQ heads do not advance */
	FBM_FAULT_MAX
};

/* Creation parameters; initialise with fbm_config_init() then adjust. */
struct fbm_config {
	char name[32];			/* used in log lines */
	uint64_t dsn;			/* PCIe Device Serial Number (MAC source) */
	uint32_t fw_version;		/* firmware version code (fbnic_fw.h layout) */
	unsigned int link_mode;		/* FBNIC_FW_LINK_MODE_* reported by firmware */
	unsigned int fec;		/* FBNIC_FW_LINK_FEC_* reported by firmware */
	uint64_t link_hold_off_ns;	/* link-up settle time after MAC enable */
	uint64_t fw_ready_delay_ns;	/* firmware boot time before it is alive */
	bool bmc_present;		/* firmware reports a BMC */
	bool msix_enable;		/* MSI-X Enable set at reset (see doc) */
	bool virtual_time;		/* model clock only moves by fbm_clock_advance */
	uint64_t virtual_start_ns;	/* initial virtual time */
	uint32_t faults;		/* bit (1 << enum fbm_fault): active at reset */
	uint32_t rx_drop_every;		/* FBM_FAULT_RX_DROP period (0, 1: every frame) */
	uint32_t rx_corrupt_every;	/* FBM_FAULT_RX_CORRUPT period (0, 1: every) */
};

void fbm_config_init(struct fbm_config *cfg);

/* Device life cycle. fbm_create returns 0 or a negative errno. */
int fbm_create(const struct fbm_config *cfg, const struct fbm_host_ops *ops,
	       struct fbm_dev **devp);
void fbm_destroy(struct fbm_dev *dev);
/*
 * Function level reset: every register back to its power-on value. Config
 * space, the wire, faults and the clock are kept.
 */
void fbm_reset(struct fbm_dev *dev);
const char *fbm_name(const struct fbm_dev *dev);

/*
 * BAR access: bar is 0 or 4, byte_off 4-byte aligned and inside the BAR.
 * Invalid accesses read 0xFFFFFFFF (unsupported request) and log once.
 */
uint32_t fbm_read32(struct fbm_dev *dev, unsigned int bar, uint64_t byte_off);
void fbm_write32(struct fbm_dev *dev, unsigned int bar, uint64_t byte_off, uint32_t val);

/* PCI configuration space, any alignment within FBM_CFG_SIZE; 0 or -EINVAL. */
int fbm_cfg_read(struct fbm_dev *dev, unsigned int off, void *buf, unsigned int len);
int fbm_cfg_write(struct fbm_dev *dev, unsigned int off, const void *buf, unsigned int len);

/*
 * Run the device once: timers, up to budget TX frames, up to budget frames
 * from the wire. Returns the number of frames handled (0 = idle).
 */
unsigned int fbm_poll(struct fbm_dev *dev, unsigned int budget);

/*
 * Engine: one thread polling its devices, backing off while idle. A device
 * is on at most one engine (-EBUSY), an engine has at most 16 (-ENOSPC).
 * Not to be called from the model's callbacks.
 */
int fbm_engine_create(struct fbm_engine **engp);
int fbm_engine_add(struct fbm_engine *eng, struct fbm_dev *dev);
int fbm_engine_remove(struct fbm_engine *eng, struct fbm_dev *dev);
/*
 * The CPUs the engine's thread may run on, from its next start (default:
 * those of the thread that starts it): bit n % 64 of mask[n / 64] is CPU n.
 * -EINVAL for an empty set or one beyond the system's CPU set size.
 */
#define FBM_CPU_WORDS	16	/* 1024 CPUs */
int fbm_engine_set_cpus(struct fbm_engine *eng, const uint64_t mask[FBM_CPU_WORDS]);
int fbm_engine_start(struct fbm_engine *eng);
void fbm_engine_stop(struct fbm_engine *eng);
void fbm_engine_destroy(struct fbm_engine *eng);

/* Wires: where transmitted frames go and received frames come from. */
int fbm_wire_none(struct fbm_dev *dev);
int fbm_wire_loopback(struct fbm_dev *dev);
/* A cable; a == b is a loopback. Either end's previous wire is unplugged. */
int fbm_wire_connect(struct fbm_dev *a, struct fbm_dev *b);
int fbm_wire_afpacket(struct fbm_dev *dev, const char *ifname);
/* Either path may be NULL: no input / discard output. */
int fbm_wire_pcap(struct fbm_dev *dev, const char *in_path, const char *out_path);

struct fbm_wire_stats {
	uint64_t tx_frames;		/* handed to the wire */
	uint64_t tx_drops;		/* wire full, link down, or write error */
	uint64_t tx_write_errors;	/* pcap: frames that could not be written */
	uint64_t rx_frames;		/* handed to the MAC */
	uint64_t rx_drops;		/* dropped by FBM_FAULT_RX_DROP or link down */
	uint64_t rx_corrupted;		/* damaged by FBM_FAULT_RX_CORRUPT */
	uint64_t rx_segmented;		/* AF_PACKET GSO super-frames cut into frames */
};
void fbm_wire_stats_get(struct fbm_dev *dev, struct fbm_wire_stats *st);

/* Faults. */
int fbm_fault_set(struct fbm_dev *dev, enum fbm_fault f, bool on);
/* Period for RX_DROP / RX_CORRUPT (0 or 1: every frame); -EINVAL for others. */
int fbm_fault_set_every(struct fbm_dev *dev, enum fbm_fault f, uint32_t every);
bool fbm_fault_get(struct fbm_dev *dev, enum fbm_fault f);
/* "link_down", "fw_silent", ... -> enum value, or -EINVAL. */
int fbm_fault_parse(const char *name);
const char *fbm_fault_name(enum fbm_fault f);

/* Model clock (ns). Virtual time only advances through fbm_clock_advance. */
uint64_t fbm_clock_now(struct fbm_dev *dev);
void fbm_clock_set_virtual(struct fbm_dev *dev, bool on, uint64_t start_ns);
void fbm_clock_advance(struct fbm_dev *dev, uint64_t delta_ns);

/*
 * MSI-X messages the interrupt block sent since reset, for one vector or,
 * with vector < 0, all of them (held in the PBA or delivered).
 */
uint64_t fbm_intr_messages(struct fbm_dev *dev, int vector);

/* Device DMA failures so far (bad IOVA, bus mastering off, DMA fault). */
uint64_t fbm_dma_errors(struct fbm_dev *dev);

#ifdef __cplusplus
}
#endif

#endif /* _FBNIC_MODEL_H_ */
