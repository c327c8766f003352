/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

/*
 * MAC, PCS and link of the fbnic model, fbnic_hw.rst 8 and 9.
 *
 * Link. Firmware trains the PMD and sets the PCS up at power-on, so the PCS
 * CTRL1 speed selection starts at the value of the configured link mode. The
 * PCS has "signal" when the link mode is known, PCS 0 CTRL1 selects that
 * speed and is not in low power, and either the PCS loops back (CTRL1 bit 14)
 * or FBM_FAULT_LINK_DOWN is off. After cfg.link_hold_off_ns of continuous
 * signal the PCS reports link: SIG_PCS_OUT0.LINK plus the lock field Linux
 * checks for the mode and FEC (block lock without FEC, AM lock with RS-FEC,
 * FC-FEC lock in SIG_PCS_OUT1 with Base-R). Losing signal drops link at once.
 * Link changes set SIG_PCS_INTR_STS LINK_UP / LINK_DOWN; an unmasked pending
 * bit raises interrupt cause 34 (FBNIC_INTR_MSIX_CTRL_PCS_IDX).
 *
 * SIG_PCS_OUT0/OUT1 lock bits and LINK are latched low: they read 0 once the
 * condition dropped, until the host writes 1 to them, which reloads the
 * current state. PCS STAT1 (3.1) bit 2 is latched low and reloads on read.
 *
 * Frames. The wire carries frames without FCS. The MAC counts frame sizes
 * with the 4 FCS bytes (bins, octets) and accepts up to FBM_MAX_FRAME bytes
 * without FCS. Frames shorter than 64 bytes with FCS are counted as undersize
 * and still received (software wires often skip padding). Frames with a bad
 * FCS (FBM_FAULT_RX_CORRUPT on the wire) are counted and dropped here: the
 * RCD ERR_MAC_EOP path is not modelled. MAC control frames
 * (ethertype 0x8808) are counted and consumed; PAUSE frames with a non-zero
 * quanta also count as XOFF.
 *
 * Pause (IEEE 802.3 annex 31B). With RX pause on (COMMAND_CONFIG
 * RX_PAUSE_DIS clear) a received PAUSE stops the TX queues for its quanta
 * (512 bit times each at the link mode's rate); quanta 0 (XON) resumes them.
 * With TX pause on (TX_PAUSE_DIS clear) and the host FIFO in RXB
 * PAUSE_DROP_CTRL.PAUSE_ENABLE, the RX buffer sends XOFF with the
 * CL01_PAUSE_QUANTA class 0 quanta when the frames it holds for the host
 * (fbm_rx.c) reach its PAUSE_THLD ON level, sends it again every half of
 * that time while above the OFF level, and XON once below. The pause-storm
 * guard (PAUSE_DROP_CTRL.PS_ENABLE): pausing longer than PAUSE_STORM's time
 * (UNIT_WR cycles of 600 MHz per tick) stops it, sends XON, sets
 * RXB_ERR_INTR_STS.PS and counts RXB_INTR_PS_COUNT, until a PAUSE_STORM
 * write with FORCE_NORMAL.
 *
 * Loopback. PCS loopback (CTRL1 bit 14) and MAC loopback (COMMAND_CONFIG
 * LOOPBACK_EN) return transmitted frames to the port's own receive path
 * instead of the wire; while either is set, frames from the wire are ignored.
 */

#include <stdlib.h>
#include <string.h>

#include "fbm_internal.h"
#include "fbm_rpc.h"

#define FBM_PCS_PAGES		2
#define FBM_PCS_PAGE_WORDS	0x400
#define FBM_RSFEC_ENGINES	4
#define FBM_RSFEC_WORDS		8
#define FBM_MAC_STATS		((0x11a5f - FBNIC_CSR_START_MAC_STAT + 1) / 2)

/* MMD 3 registers the model gives behaviour (word offset inside a page). */
#define PCS_CTRL1		0x00
#define PCS_CTRL1_RESET		0x8000
#define PCS_CTRL1_LOOPBACK	0x4000
#define PCS_CTRL1_LOW_POWER	0x0800
#define PCS_CTRL1_SPEEDSEL	0x207c
#define PCS_CTRL1_SPEED25G	0x2054
#define PCS_CTRL1_SPEED50G	0x2058
#define PCS_CTRL1_SPEED100G	0x2050
#define PCS_STAT1		0x01
#define PCS_STAT1_LSTATUS	0x0004
#define PCS_STAT1_FAULT		0x0080
#define PCS_DEVID1		0x02
#define PCS_DEVID2		0x03
#define PCS_STAT2		0x08
#define PCS_STAT2_PRESENT	0x8000
#define PCS_STAT2_RXFAULT	0x0400
#define PCS_BASER_STAT1		0x20
#define PCS_BASER_STAT1_LINK	0x1000
#define PCS_BASER_STAT1_LOCK	0x0001
#define PCS_BASER_STAT2		0x21
#define PCS_BASER_STAT2_LOCK	0x8000
#define PCS_VR_DIG_CTRL1	0x200	/* MMD 3 0x8000 after the bit 15 -> 9 move */
#define PCS_VR_DIG_CTRL1_RST	0x8000

/* Synopsys DesignWare XPCS identifier (what Linux's XPCS driver expects). */
#define FBM_XPCS_ID		0x7996ced0u

/* MAC_STAT counter number of a register pair. */
#define MSTAT(name)	((FBNIC_MAC_STAT_##name##_L - FBNIC_CSR_START_MAC_STAT) / 2)

/* Link mode the model runs when the configuration leaves it to firmware. */
#define FBM_DEFAULT_LINK_MODE	4	/* 100G-CR2 */

/* Firmware FEC codes (fbnic_fw.h). */
#define FBM_FEC_NONE		1
#define FBM_FEC_RS		2
#define FBM_FEC_BASER		3

struct fbm_mac_state {
	uint32_t cmd_config;
	uint32_t sig_mac_in0;

	/* PCS state as seen in SIG: current and latched-low values. */
	uint32_t out0_cur, out1_cur;
	uint32_t out0_latch, out1_latch;
	uint32_t intr_sts, intr_mask;
	bool intr_level;

	bool link;
	bool signal;
	uint64_t signal_since_ns;

	/*
	 * Model time and faults of the last link evaluation. The link is a
	 * function of these, the configuration and the PCS registers (whose
	 * writes evaluate it again), so while time and faults stand still, as
	 * for every frame of one datapath step, the last result holds.
	 */
	bool link_eval_valid;
	uint64_t link_eval_ns;
	uint32_t link_eval_faults;

	uint16_t pcs[FBM_PCS_PAGES][FBM_PCS_PAGE_WORDS];
	bool ctrl1_written[FBM_PCS_PAGES];	/* else CTRL1 is firmware's setting */
	bool stat1_latch[FBM_PCS_PAGES];

	uint16_t rsfec[FBM_RSFEC_ENGINES][FBM_RSFEC_WORDS];
	uint32_t fec_cnt[FBM_RSFEC_ENGINES][2];		/* corrected, uncorrectable */
	uint16_t fec_hi[FBM_RSFEC_ENGINES][2];
	uint32_t symerr[FBNIC_PCS_MAX_LANES];
	uint16_t symerr_hi[FBNIC_PCS_MAX_LANES];

	uint64_t stat[FBM_MAC_STATS];

	/* Pause */
	uint32_t pause_quanta;		/* CL01_PAUSE_QUANTA */
	uint64_t tx_paused_until_ns;	/* from the link partner's XOFF */
	bool xoff;			/* the RX buffer is pausing the partner */
	bool storm;			/* the guard stopped that */
	uint64_t xoff_since_ns;
	uint64_t xoff_sent_ns;
};

#define FBM_PAUSE_FRAME_LEN	60u
#define FBM_PAUSE_OPCODE	0x0001u
#define FBM_RXB_CLOCK_MHZ	600u
#define FBM_RXB_PS_CLK_DIV	6000u	/* UNIT_WR when the host left it 0 */

/* ---- Link --------------------------------------------------------------- */

static unsigned int
link_mode(const struct fbm_dev *dev)
{
	unsigned int m = dev->cfg.link_mode;

	return m >= 1 && m <= 4 ? m : FBM_DEFAULT_LINK_MODE;
}

static uint16_t
mode_speed(unsigned int link_mode)
{
	switch (link_mode) {
	case 1:			/* 25G-CR */
		return PCS_CTRL1_SPEED25G;
	case 2:			/* 50G-CR2 */
	case 3:			/* 50G-CR */
		return PCS_CTRL1_SPEED50G;
	case 4:			/* 100G-CR2 */
		return PCS_CTRL1_SPEED100G;
	default:
		return 0;
	}
}

/* FEC in use, as Linux derives it from the firmware's mode and FEC. */
static unsigned int
mode_fec(const struct fbm_dev *dev)
{
	if (link_mode(dev) == 3 || link_mode(dev) == 4)
		return FBM_FEC_RS;
	if (dev->cfg.fec == FBM_FEC_NONE || dev->cfg.fec == FBM_FEC_BASER)
		return dev->cfg.fec;
	return FBM_FEC_RS;
}

/* SIG_PCS_OUT0/OUT1 while the link is up. */
static void
link_lock_values(const struct fbm_dev *dev, uint32_t *out0, uint32_t *out1)
{
	unsigned int fec = mode_fec(dev);
	uint32_t lanes = 0;

	switch (link_mode(dev)) {
	case 1:
		lanes = 0x1;
		break;
	case 2:
		lanes = fec == FBM_FEC_NONE ? 0x63 : fec == FBM_FEC_RS ? 0x5 : 0xf;
		break;
	case 3:
		lanes = 0x3;
		break;
	case 4:
		lanes = 0xf;
		break;
	}
	*out0 = FBNIC_SIG_PCS_OUT0_LINK;
	*out1 = 0;
	if (fec == FBM_FEC_NONE)
		*out0 |= (uint32_t)FBNIC_FIELD_PREP(FBNIC_SIG_PCS_OUT0_BLOCK_LOCK, lanes);
	else if (fec == FBM_FEC_RS)
		*out0 |= (uint32_t)FBNIC_FIELD_PREP(FBNIC_SIG_PCS_OUT0_AMPS_LOCK, lanes);
	else
		*out1 = (uint32_t)FBNIC_FIELD_PREP(FBNIC_SIG_PCS_OUT1_FCFEC_LOCK, lanes);
}

/* PCS CTRL1: as firmware set it up for the link mode until the host writes it. */
static uint16_t
pcs_ctrl1(const struct fbm_dev *dev, const struct fbm_mac_state *mac, unsigned int page)
{
	if (mac->ctrl1_written[page])
		return mac->pcs[page][PCS_CTRL1];
	return mode_speed(link_mode(dev));
}

static bool
pcs_loopback(const struct fbm_mac_state *mac)
{
	return mac->pcs[0][PCS_CTRL1] & PCS_CTRL1_LOOPBACK;
}

static bool
mac_loopback(const struct fbm_mac_state *mac)
{
	return mac->cmd_config & FBNIC_MAC_COMMAND_CONFIG_LOOPBACK_EN;
}

/* faults: the device's fault bits, read once by the caller. */
static bool
pcs_signal(struct fbm_dev *dev, const struct fbm_mac_state *mac, uint32_t faults)
{
	uint16_t speed = mode_speed(link_mode(dev));
	uint16_t ctrl1 = pcs_ctrl1(dev, mac, 0);

	if (speed == 0 || (ctrl1 & PCS_CTRL1_SPEEDSEL) != speed || (ctrl1 & PCS_CTRL1_LOW_POWER))
		return false;
	return pcs_loopback(mac) || !(faults & (1u << FBM_FAULT_LINK_DOWN));
}

static void
intr_update(struct fbm_dev *dev, struct fbm_mac_state *mac)
{
	bool level = (mac->intr_sts & ~mac->intr_mask &
		      (FBNIC_SIG_PCS_INTR_LINK_UP | FBNIC_SIG_PCS_INTR_LINK_DOWN)) != 0;

	if (level && !mac->intr_level)
		fbm_intr_cause(dev, FBNIC_INTR_MSIX_CTRL_PCS_IDX);
	mac->intr_level = level;
}

static void
link_set(struct fbm_dev *dev, struct fbm_mac_state *mac, bool up)
{
	unsigned int i;

	mac->link = up;
	if (up) {
		link_lock_values(dev, &mac->out0_cur, &mac->out1_cur);
		mac->intr_sts |= FBNIC_SIG_PCS_INTR_LINK_UP;
		FBM_INFO(dev, "PCS link up");
	} else {
		mac->out0_cur = 0;
		mac->out1_cur = 0;
		for (i = 0; i < FBM_PCS_PAGES; i++)
			mac->stat1_latch[i] = false;
		mac->intr_sts |= FBNIC_SIG_PCS_INTR_LINK_DOWN;
		FBM_INFO(dev, "PCS link down");
	}
	/* Latched-low: a bit that dropped stays 0 until the host reloads it. */
	mac->out0_latch &= mac->out0_cur;
	mac->out1_latch &= mac->out1_cur;
	intr_update(dev, mac);
}

static uint32_t
faults_now(struct fbm_dev *dev)
{
	return atomic_load_explicit(&dev->faults, memory_order_relaxed);
}

static void
link_update(struct fbm_dev *dev, struct fbm_mac_state *mac, uint64_t now_ns)
{
	/* One read: the evaluation and its cache key see the same faults. */
	uint32_t faults = faults_now(dev);
	bool signal = pcs_signal(dev, mac, faults);

	mac->link_eval_valid = true;
	mac->link_eval_ns = now_ns;
	mac->link_eval_faults = faults;

	if (!signal) {
		mac->signal = false;
		if (mac->link)
			link_set(dev, mac, false);
		return;
	}
	if (!mac->signal) {
		mac->signal = true;
		mac->signal_since_ns = now_ns;
	}
	if (now_ns < mac->signal_since_ns)
		mac->signal_since_ns = now_ns;	/* the clock was set back */
	if (!mac->link && now_ns - mac->signal_since_ns >= dev->cfg.link_hold_off_ns)
		link_set(dev, mac, true);
}

/* PCS reset or reconfiguration: the link trains again from now. */
static void
link_restart(struct fbm_dev *dev, struct fbm_mac_state *mac)
{
	mac->signal = false;
	if (mac->link)
		link_set(dev, mac, false);
	link_update(dev, mac, fbm_now_ns(dev));
}

/*
 * Link state for a frame sent or received: see link_eval_valid. Static so
 * that the datapath of this file inlines it (the model is built position
 * independent, where calls to global functions are not inlined).
 */
static inline bool
mac_link_up(struct fbm_dev *dev, struct fbm_mac_state *mac)
{
	uint64_t now_ns = fbm_now_ns(dev);

	if (!mac->link_eval_valid || mac->link_eval_ns != now_ns ||
	    mac->link_eval_faults != faults_now(dev))
		link_update(dev, mac, now_ns);
	return mac->link;
}

bool
fbm_mac_link_up(struct fbm_dev *dev)
{
	struct fbm_mac_state *mac = dev->mac;

	return mac != NULL && mac_link_up(dev, mac);
}

/* ---- Counters ----------------------------------------------------------- */

static inline void
mstat_inc(struct fbm_mac_state *mac, unsigned int n, uint64_t v)
{
	fbm_cnt_add(&mac->stat[n], v);
}

/* The MAC's RMON size bins, frame_len including FCS. */
static unsigned int
mac_bin(uint32_t frame_len, bool rx)
{
	unsigned int base = rx ? MSTAT(RX_PACKET_64_BYTES) : MSTAT(TX_PACKET_64_BYTES);

	if (frame_len <= 64)
		return base;
	if (frame_len <= 127)
		return base + 1;
	if (frame_len <= 255)
		return base + 2;
	if (frame_len <= 511)
		return base + 3;
	if (frame_len <= 1023)
		return base + 4;
	if (frame_len <= 1518)
		return base + 5;
	return base + 6;
}

static bool
is_pause(const uint8_t *f, uint32_t len)
{
	/* Opcode 0x0001 with a non-zero pause quanta. */
	return len >= 18 && f[14] == 0x00 && f[15] == 0x01 && (f[16] | f[17]) != 0;
}

static void
count_good(struct fbm_mac_state *mac, const uint8_t *f, uint32_t len, bool rx)
{
	uint32_t flen = len + 4;
	static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

	mstat_inc(mac, rx ? MSTAT(RX_RECEIVED_OK) : MSTAT(TX_TRANSMITTED_OK), 1);
	mstat_inc(mac, rx ? MSTAT(RX_BYTE_COUNT) : MSTAT(TX_BYTE_COUNT), flen);
	/* Group addresses (broadcast included) have bit 0 of the first byte set. */
	if (len >= 6 && (f[0] & 1)) {
		if (memcmp(f, bcast, 6) == 0)
			mstat_inc(mac, rx ? MSTAT(RX_BROADCAST) : MSTAT(TX_BROADCAST), 1);
		else
			mstat_inc(mac, rx ? MSTAT(RX_MULTICAST) : MSTAT(TX_MULTICAST), 1);
	}
	mstat_inc(mac, mac_bin(flen, rx), 1);
	if (len >= 14 && f[12] == 0x88 && f[13] == 0x08) {
		mstat_inc(mac, rx ? MSTAT(RX_CONTROL_FRAMES) : MSTAT(TX_CONTROL_FRAMES), 1);
		if (is_pause(f, len))
			mstat_inc(mac, rx ? MSTAT(RX_XOFF_STB) : MSTAT(TX_XOFF_STB), 1);
	}
}

/* ---- Pause --------------------------------------------------------------- */

static unsigned int
mac_gbps(const struct fbm_dev *dev)
{
	switch (link_mode(dev)) {
	case 1:
		return 25;
	case 2:
	case 3:
		return 50;
	default:
		return 100;
	}
}

/* Time of pause quanta: 512 bit times each. */
static uint64_t
pause_ns(const struct fbm_dev *dev, uint32_t quanta)
{
	return (uint64_t)quanta * 512u / mac_gbps(dev);
}

static bool
mac_rx_pause_on(const struct fbm_mac_state *mac)
{
	return !(mac->cmd_config & FBNIC_MAC_COMMAND_CONFIG_RX_PAUSE_DIS);
}

static bool
mac_tx_pause_on(struct fbm_dev *dev, const struct fbm_mac_state *mac)
{
	uint32_t ctrl = fbm_reg_get(dev, FBNIC_RXB_PAUSE_DROP_CTRL);

	return !(mac->cmd_config & FBNIC_MAC_COMMAND_CONFIG_TX_PAUSE_DIS) &&
	       (FBNIC_FIELD_GET(FBNIC_RXB_PAUSE_DROP_CTRL_PAUSE_ENABLE, ctrl) &
		(1u << FBNIC_RXB_FIFO_HOST));
}

/* A received PAUSE: hold or release the TX queues. */
static void
pause_receive(struct fbm_dev *dev, struct fbm_mac_state *mac, const uint8_t *f, uint32_t len)
{
	static const uint8_t group[6] = { 0x01, 0x80, 0xc2, 0x00, 0x00, 0x01 };
	uint32_t quanta;

	if (len < 18 || memcmp(f, group, sizeof(group)) != 0 ||
	    (uint32_t)(f[14] << 8 | f[15]) != FBM_PAUSE_OPCODE || !mac_rx_pause_on(mac))
		return;
	quanta = (uint32_t)(f[16] << 8 | f[17]);
	mac->tx_paused_until_ns = quanta ? fbm_now_ns(dev) + pause_ns(dev, quanta) : 0;
}

/* Send a PAUSE with these quanta (0: XON) to the link partner. */
static void
pause_send(struct fbm_dev *dev, struct fbm_mac_state *mac, uint16_t quanta)
{
	uint8_t f[FBM_PAUSE_FRAME_LEN];
	uint64_t dsn = dev->cfg.dsn;

	if (pcs_loopback(mac) || mac_loopback(mac) || !mac_link_up(dev, mac))
		return;
	memset(f, 0, sizeof(f));
	f[0] = 0x01;
	f[1] = 0x80;
	f[2] = 0xc2;
	f[5] = 0x01;
	/* Source: the port address, made from the DSN as the host makes it */
	f[6] = (uint8_t)(dsn >> 56);
	f[7] = (uint8_t)(dsn >> 48);
	f[8] = (uint8_t)(dsn >> 40);
	f[9] = (uint8_t)(dsn >> 16);
	f[10] = (uint8_t)(dsn >> 8);
	f[11] = (uint8_t)dsn;
	f[12] = 0x88;
	f[13] = 0x08;
	f[15] = FBM_PAUSE_OPCODE;
	f[16] = (uint8_t)(quanta >> 8);
	f[17] = (uint8_t)quanta;
	count_good(mac, f, sizeof(f), false);
	fbm_wire_send(dev, f, sizeof(f));
}

static uint64_t
pause_storm_ns(struct fbm_dev *dev)
{
	uint32_t storm = fbm_reg_get(dev, FBNIC_RXB_PAUSE_STORM(FBNIC_RXB_INTF_NET));
	uint32_t ticks = FBNIC_FIELD_GET(FBNIC_RXB_PAUSE_STORM_THLD_TIME, storm);
	uint32_t div = fbm_reg_get(dev, FBNIC_RXB_PAUSE_STORM_UNIT_WR);

	if (div == 0)
		div = FBM_RXB_PS_CLK_DIV;
	return (uint64_t)ticks * div * 1000u / FBM_RXB_CLOCK_MHZ;
}

/* The RX buffer's side: XOFF when the host FIFO fills, XON when it drains. */
static void
pause_eval(struct fbm_dev *dev, struct fbm_mac_state *mac, uint64_t now)
{
	uint32_t thld = fbm_reg_get(dev, FBNIC_RXB_PAUSE_THLD(FBNIC_RXB_FIFO_HOST));
	uint32_t on = FBNIC_FIELD_GET(FBNIC_RXB_PAUSE_THLD_ON, thld) * 64u;
	uint32_t off = FBNIC_FIELD_GET(FBNIC_RXB_PAUSE_THLD_OFF, thld) * 64u;
	uint16_t quanta = (uint16_t)mac->pause_quanta;
	bool enabled = mac_tx_pause_on(dev, mac) && !mac->storm && on != 0 &&
		       mac_link_up(dev, mac);
	uint32_t fill;
	uint32_t ps;

	if (!mac->xoff && !enabled)
		return;
	fill = fbm_queue_rx_buffer_fill(dev);
	if (!mac->xoff) {
		if (fill < on)
			return;
		mac->xoff = true;
		mac->xoff_since_ns = now;
		mac->xoff_sent_ns = now;
		fbm_stats_rxb_pause(dev, FBNIC_RXB_INTF_NET, FBNIC_RXB_FIFO_HOST);
		pause_send(dev, mac, quanta);
		return;
	}
	ps = FBNIC_FIELD_GET(FBNIC_RXB_PAUSE_DROP_CTRL_PS_ENABLE,
			     fbm_reg_get(dev, FBNIC_RXB_PAUSE_DROP_CTRL));
	if (enabled && (ps & (1u << FBNIC_RXB_INTF_NET)) &&
	    now - mac->xoff_since_ns >= pause_storm_ns(dev)) {
		/* Pause storm: stop pausing, let the buffer drop instead. */
		mac->storm = true;
		enabled = false;
		fbm_reg_set(dev, FBNIC_RXB_ERR_INTR_STS,
			    fbm_reg_get(dev, FBNIC_RXB_ERR_INTR_STS) |
			    FBNIC_FIELD_PREP(FBNIC_RXB_ERR_INTR_STS_PS, 1u << FBNIC_RXB_INTF_NET));
		fbm_stats_rxb_pause_storm(dev, FBNIC_RXB_INTF_NET);
	}
	if (!enabled || fill <= off) {
		mac->xoff = false;
		pause_send(dev, mac, 0);
		return;
	}
	if (now - mac->xoff_sent_ns >= pause_ns(dev, quanta) / 2) {
		mac->xoff_sent_ns = now;
		pause_send(dev, mac, quanta);
	}
}

bool
fbm_mac_tx_paused(struct fbm_dev *dev)
{
	struct fbm_mac_state *mac = dev->mac;

	return mac != NULL && mac->tx_paused_until_ns != 0 &&
	       fbm_now_ns(dev) < mac->tx_paused_until_ns;
}

void
fbm_mac_pause_storm_write(struct fbm_dev *dev, uint32_t val)
{
	if (dev->mac != NULL && (val & FBNIC_RXB_PAUSE_STORM_FORCE_NORMAL))
		dev->mac->storm = false;
}

static inline uint32_t
sat_add32(uint32_t a, uint32_t b)
{
	return a > UINT32_MAX - b ? UINT32_MAX : a + b;
}

void
fbm_mac_fec_inject(struct fbm_dev *dev, uint32_t corrected, uint32_t uncorrectable,
		   uint32_t symbol_errors_lane0)
{
	struct fbm_mac_state *mac = dev->mac;

	if (mac == NULL)
		return;
	mac->fec_cnt[0][0] = sat_add32(mac->fec_cnt[0][0], corrected);
	mac->fec_cnt[0][1] = sat_add32(mac->fec_cnt[0][1], uncorrectable);
	mac->symerr[0] = sat_add32(mac->symerr[0], symbol_errors_lane0);
}

int
fbm_mac_stat_preset(struct fbm_dev *dev, uint32_t lo_idx, uint64_t val)
{
	struct fbm_mac_state *mac = dev->mac;

	if (mac == NULL || lo_idx < FBNIC_CSR_START_MAC_STAT ||
	    lo_idx - FBNIC_CSR_START_MAC_STAT >= 2 * FBM_MAC_STATS || (lo_idx & 1))
		return -EINVAL;
	/* Under the lock like every other counter update (fbm_cnt_add()). */
	fbm_dev_lock(dev);
	__atomic_store_n(&mac->stat[(lo_idx - FBNIC_CSR_START_MAC_STAT) / 2], val,
			 __ATOMIC_RELAXED);
	fbm_dev_unlock(dev);
	return 0;
}

/* ---- Datapath ----------------------------------------------------------- */

/*
 * A queue in immediate drop mode drops a frame it has no buffer or
 * completion slot for in the RX DMA engine and counts it in its own CQ/BDQ
 * drop counters (Linux rx_over). Every other failure backs up into the host
 * FIFO of the RX buffer and is counted there (Linux rx_missed).
 */
static bool
rx_drop_counted_by_queue(struct fbm_dev *dev, uint16_t qid, int ret)
{
	uint32_t idx, ctl0;

	if ((ret != -ENOBUFS && ret != -ENOSPC) || qid >= FBNIC_MAX_QUEUES)
		return false;
	idx = FBNIC_QUEUE(qid) + FBNIC_QUEUE_RDE_CTL0;
	if (!fbm_queue_read(dev, 0, idx, &ctl0))
		ctl0 = fbm_reg_get(dev, idx);
	return FBNIC_FIELD_GET(FBNIC_QUEUE_RDE_CTL0_DROP_MODE_MASK, ctl0) ==
	       FBNIC_QUEUE_RDE_CTL0_DROP_IMMEDIATE;
}

static void
mac_rx(struct fbm_dev *dev, struct fbm_mac_state *mac, const uint8_t *f, uint32_t len,
	bool bad_fcs)
{
	struct fbm_rx_meta meta;
	uint32_t flen = len + 4;
	int ret;

	if (!(mac->cmd_config & FBNIC_MAC_COMMAND_CONFIG_RX_ENA))
		return;
	if (len > FBM_MAX_FRAME) {
		mstat_inc(mac, MSTAT(RX_TOOLONG), 1);
		mstat_inc(mac, bad_fcs ? MSTAT(RX_JABBER) : MSTAT(RX_OVERSIZE), 1);
		return;
	}
	if (bad_fcs) {
		mstat_inc(mac, MSTAT(RX_PACKET_BAD_FCS), 1);
		mstat_inc(mac, MSTAT(RX_IFINERRORS), 1);
		if (flen < 64)
			mstat_inc(mac, MSTAT(RX_FRAGMENT), 1);
		if (mode_fec(dev) == FBM_FEC_RS)
			mac->fec_cnt[0][1] = sat_add32(mac->fec_cnt[0][1], 1);
		else
			mac->symerr[0] = sat_add32(mac->symerr[0], 1);
		return;
	}
	if (len < 14) {
		mstat_inc(mac, MSTAT(RX_FRAGMENT), 1);
		return;
	}
	if (flen < 64)
		mstat_inc(mac, MSTAT(RX_UNDERSIZE), 1);
	count_good(mac, f, len, true);
	fbm_rpc_count_rx_bins(dev, flen);
	if (f[12] == 0x88 && f[13] == 0x08) {
		pause_receive(dev, mac, f, len);
		return;		/* MAC control: consumed here */
	}

	ret = fbm_rpc_classify(dev, f, len, &meta);
	if (meta.parser_err)
		fbm_stats_rxb_err(dev, FBNIC_RXB_INTF_NET, FBM_RXB_ERR_PARSER);
	if (ret == -EXDEV) {
		/* For the BMC only; the model has no BMC to hand it to. */
		fbm_stats_rxb_enqueue(dev, FBNIC_RXB_INTF_NET, len);
		fbm_stats_rxb_dequeue(dev, FBNIC_RXB_DEQUEUE_BMC, len);
		return;
	}
	if (ret < 0)
		return;		/* filtered by the classifier */

	fbm_stats_rxb_enqueue(dev, FBNIC_RXB_INTF_NET, len);
	/* Host and BMC: the BMC's copy leaves through its own interface. */
	if (meta.to_bmc)
		fbm_stats_rxb_dequeue(dev, FBNIC_RXB_DEQUEUE_BMC, len);
	ret = fbm_rx_frame(dev, f, len, &meta);
	if (ret == 0 || rx_drop_counted_by_queue(dev, meta.queue, ret))
		fbm_stats_rxb_dequeue(dev, FBNIC_RXB_DEQUEUE_HOST, len);
	else
		fbm_stats_rxb_drop(dev, FBNIC_RXB_FIFO_HOST, len);
	pause_eval(dev, mac, fbm_now_ns(dev));
}

void
fbm_mac_rx_frame(struct fbm_dev *dev, const uint8_t *frame, uint32_t len)
{
	struct fbm_mac_state *mac = dev->mac;

	if (mac == NULL || frame == NULL || len == 0)
		return;
	/* In loopback the receiver listens to the transmitter, not the wire. */
	if (pcs_loopback(mac) || mac_loopback(mac))
		return;
	if (!mac_link_up(dev, mac))
		return;
	mac_rx(dev, mac, frame, len, fbm_wire_rx_bad_fcs(dev));
}

void
fbm_mac_tx_frame(struct fbm_dev *dev, const uint8_t *frame, uint32_t len)
{
	struct fbm_mac_state *mac = dev->mac;
	uint8_t pad[60];

	if (mac == NULL || frame == NULL || len == 0)
		return;
	if (len > FBM_MAX_FRAME) {
		mstat_inc(mac, MSTAT(TX_IFOUTERRORS), 1);
		fbm_stats_tmi_drop(dev, len);
		return;
	}
	if (!(mac->cmd_config & FBNIC_MAC_COMMAND_CONFIG_TX_ENA) ||
	    (!mac_loopback(mac) && !mac_link_up(dev, mac))) {
		fbm_stats_tmi_drop(dev, len);
		return;
	}
	if ((mac->cmd_config & FBNIC_MAC_COMMAND_CONFIG_TX_PAD_EN) && len < sizeof(pad)) {
		memset(pad, 0, sizeof(pad));
		memcpy(pad, frame, len);
		frame = pad;
		len = sizeof(pad);
	}
	count_good(mac, frame, len, false);
	fbm_stats_tmi_tx_bins(dev, len + 4);

	if (mac_loopback(mac) || pcs_loopback(mac)) {
		mac_rx(dev, mac, frame, len, false);
		return;
	}
	fbm_wire_send(dev, frame, len);
}

/* ---- Registers ---------------------------------------------------------- */

static void
pcs_defaults(struct fbm_dev *dev, struct fbm_mac_state *mac, unsigned int page)
{
	(void)dev;
	memset(mac->pcs[page], 0, sizeof(mac->pcs[page]));
	mac->ctrl1_written[page] = false;
	mac->pcs[page][PCS_DEVID1] = (uint16_t)(FBM_XPCS_ID >> 16);
	mac->pcs[page][PCS_DEVID2] = (uint16_t)FBM_XPCS_ID;
	mac->stat1_latch[page] = false;
}

int
fbm_mac_init(struct fbm_dev *dev)
{
	dev->mac = calloc(1, sizeof(*dev->mac));
	if (dev->mac == NULL)
		return -ENOMEM;
	fbm_mac_reset(dev);
	return 0;
}

void
fbm_mac_fini(struct fbm_dev *dev)
{
	free(dev->mac);
	dev->mac = NULL;
}

void
fbm_mac_reset(struct fbm_dev *dev)
{
	struct fbm_mac_state *mac = dev->mac;
	unsigned int i;

	if (mac == NULL)
		return;
	memset(mac, 0, sizeof(*mac));
	mac->intr_mask = UINT32_MAX;
	mac->pause_quanta = UINT32_MAX;	/* 0xffff for both classes */
	for (i = 0; i < FBM_PCS_PAGES; i++)
		pcs_defaults(dev, mac, i);
	link_update(dev, mac, fbm_now_ns(dev));
}

static uint16_t
pcs_read(struct fbm_dev *dev, struct fbm_mac_state *mac, unsigned int page, uint32_t r)
{
	uint16_t v = mac->pcs[page][r];

	switch (r) {
	case PCS_CTRL1:
		return pcs_ctrl1(dev, mac, page);
	case PCS_STAT1:
		v &= (uint16_t)~(PCS_STAT1_LSTATUS | PCS_STAT1_FAULT);
		if (mac->stat1_latch[page])
			v |= PCS_STAT1_LSTATUS;
		if (!mac->link)
			v |= PCS_STAT1_FAULT;
		mac->stat1_latch[page] = mac->link;	/* reading reloads the latch */
		return v;
	case PCS_STAT2:
		return PCS_STAT2_PRESENT | (mac->link ? 0 : PCS_STAT2_RXFAULT);
	case PCS_BASER_STAT1:
		return mac->link ? PCS_BASER_STAT1_LINK | PCS_BASER_STAT1_LOCK : 0;
	case PCS_BASER_STAT2:
		return mac->link ? PCS_BASER_STAT2_LOCK : 0;
	default:
		return v;
	}
}

static void
pcs_write(struct fbm_dev *dev, struct fbm_mac_state *mac, unsigned int page, uint32_t r,
	  uint16_t val)
{
	uint16_t old = pcs_ctrl1(dev, mac, page);

	switch (r) {
	case PCS_CTRL1:
		if (val & PCS_CTRL1_RESET) {
			pcs_defaults(dev, mac, page);
			if (page == 0)
				link_restart(dev, mac);
			return;
		}
		mac->pcs[page][r] = val;
		mac->ctrl1_written[page] = true;
		if (page == 0 && ((old ^ val) & (PCS_CTRL1_SPEEDSEL | PCS_CTRL1_LOW_POWER |
						  PCS_CTRL1_LOOPBACK)))
			link_restart(dev, mac);
		return;
	case PCS_STAT1:
	case PCS_DEVID1:
	case PCS_DEVID2:
	case PCS_STAT2:
	case PCS_BASER_STAT1:
	case PCS_BASER_STAT2:
		return;		/* read only */
	case PCS_VR_DIG_CTRL1:
		/* Vendor soft reset: self-clearing, the link trains again. */
		mac->pcs[page][r] = val & (uint16_t)~PCS_VR_DIG_CTRL1_RST;
		if ((val & PCS_VR_DIG_CTRL1_RST) && page == 0)
			link_restart(dev, mac);
		return;
	default:
		mac->pcs[page][r] = val;
		return;
	}
}

/* Read of a clear-on-read 16+16 counter half: low first latches the high. */
static uint32_t
cor_read(uint32_t *cnt, uint16_t *hi, bool high)
{
	uint32_t v;

	if (high) {
		v = *hi;
		*hi = 0;
		return v;
	}
	v = *cnt & 0xffff;
	*hi = (uint16_t)(*cnt >> 16);
	*cnt = 0;
	return v;
}

/*
 * RS-FEC status (MMD 8 register 201) of engine 0 while RS-FEC carries the
 * link: PCS and FEC lane alignment (bits 15, 14) and AM lock per lane
 * (11:8), as IEEE 802.3 clause 45 defines them (inferred for fbnic).
 */
#define RSFEC_STATUS_DYNAMIC	0xcf00u

static uint16_t
rsfec_status(const struct fbm_mac_state *mac)
{
	uint32_t am = (uint32_t)FBNIC_FIELD_GET(FBNIC_SIG_PCS_OUT0_AMPS_LOCK, mac->out0_cur);

	if (!mac->link || am == 0)
		return 0;
	return (uint16_t)(0xc000 | (am << 8));
}

/* RSFEC block: 4 engines of 8 words, then PCS symbol error counters. */
static bool
rsfec_read(struct fbm_mac_state *mac, uint32_t idx, uint32_t *val)
{
	uint32_t off = idx - FBNIC_CSR_START_RSFEC;
	unsigned int e, w;

	if (off < FBM_RSFEC_ENGINES * FBM_RSFEC_WORDS) {
		e = off / FBM_RSFEC_WORDS;
		w = off % FBM_RSFEC_WORDS;
		if (w >= 2 && w <= 5)
			*val = cor_read(&mac->fec_cnt[e][(w - 2) / 2], &mac->fec_hi[e][(w - 2) / 2],
					w & 1);
		else if (w == 1 && e == 0)
			*val = (mac->rsfec[e][w] & ~RSFEC_STATUS_DYNAMIC) | rsfec_status(mac);
		else
			*val = mac->rsfec[e][w];
		return true;
	}
	if (idx >= FBNIC_PCS_SYMBLERR_LO(0) &&
	    idx <= FBNIC_PCS_SYMBLERR_HI(FBNIC_PCS_MAX_LANES - 1)) {
		w = idx - FBNIC_PCS_SYMBLERR_LO(0);
		*val = cor_read(&mac->symerr[w / 2], &mac->symerr_hi[w / 2], w & 1);
		return true;
	}
	return false;
}

static bool
rsfec_write(struct fbm_mac_state *mac, uint32_t idx, uint32_t val)
{
	uint32_t off = idx - FBNIC_CSR_START_RSFEC;
	unsigned int w;

	if (off < FBM_RSFEC_ENGINES * FBM_RSFEC_WORDS) {
		w = off % FBM_RSFEC_WORDS;
		if (w != 1 && (w < 2 || w > 5))	/* status and counters are read only */
			mac->rsfec[off / FBM_RSFEC_WORDS][w] = (uint16_t)val;
		return true;
	}
	return idx >= FBNIC_PCS_SYMBLERR_LO(0) &&
	       idx <= FBNIC_PCS_SYMBLERR_HI(FBNIC_PCS_MAX_LANES - 1);
}

bool
fbm_mac_read(struct fbm_dev *dev, unsigned int bar, uint32_t idx, uint32_t *val)
{
	struct fbm_mac_state *mac = dev->mac;
	uint32_t off;

	if (bar != 0 || mac == NULL)
		return false;
	if (idx >= FBNIC_CSR_START_PCS && idx <= FBNIC_CSR_END_PCS) {
		off = idx - FBNIC_CSR_START_PCS;
		link_update(dev, mac, fbm_now_ns(dev));
		*val = pcs_read(dev, mac, off / FBM_PCS_PAGE_WORDS, off % FBM_PCS_PAGE_WORDS);
		return true;
	}
	if (idx >= FBNIC_CSR_START_RSFEC && idx <= FBNIC_CSR_END_RSFEC)
		return rsfec_read(mac, idx, val);
	if (idx >= FBNIC_CSR_START_MAC_STAT && idx - FBNIC_CSR_START_MAC_STAT < 2 * FBM_MAC_STATS) {
		off = idx - FBNIC_CSR_START_MAC_STAT;
		*val = fbm_cnt_half(&mac->stat[off / 2], off & 1);
		return true;
	}
	switch (idx) {
	case FBNIC_MAC_COMMAND_CONFIG:
		*val = mac->cmd_config;
		return true;
	case FBNIC_SIG_MAC_IN0:
		*val = mac->sig_mac_in0;
		return true;
	case FBNIC_SIG_PCS_OUT0:
		link_update(dev, mac, fbm_now_ns(dev));
		*val = mac->out0_latch;
		return true;
	case FBNIC_SIG_PCS_OUT1:
		link_update(dev, mac, fbm_now_ns(dev));
		*val = mac->out1_latch;
		return true;
	case FBNIC_SIG_PCS_INTR_STS:
		link_update(dev, mac, fbm_now_ns(dev));
		*val = mac->intr_sts;
		return true;
	case FBNIC_SIG_PCS_INTR_MASK:
		*val = mac->intr_mask;
		return true;
	case FBNIC_MAC_CL01_PAUSE_QUANTA:
		*val = mac->pause_quanta;
		return true;
	default:
		return false;
	}
}

bool
fbm_mac_write(struct fbm_dev *dev, unsigned int bar, uint32_t idx, uint32_t val)
{
	struct fbm_mac_state *mac = dev->mac;
	uint32_t off;

	if (bar != 0 || mac == NULL)
		return false;
	mac->link_eval_valid = false;	/* a register may change the link */
	if (idx >= FBNIC_CSR_START_PCS && idx <= FBNIC_CSR_END_PCS) {
		off = idx - FBNIC_CSR_START_PCS;
		pcs_write(dev, mac, off / FBM_PCS_PAGE_WORDS, off % FBM_PCS_PAGE_WORDS,
			  (uint16_t)val);
		return true;
	}
	if (idx >= FBNIC_CSR_START_RSFEC && idx <= FBNIC_CSR_END_RSFEC)
		return rsfec_write(mac, idx, val);
	if (idx >= FBNIC_CSR_START_MAC_STAT && idx - FBNIC_CSR_START_MAC_STAT < 2 * FBM_MAC_STATS)
		return true;	/* counters are read only */
	switch (idx) {
	case FBNIC_MAC_COMMAND_CONFIG:
		mac->cmd_config = val;
		return true;
	case FBNIC_SIG_MAC_IN0:
		mac->sig_mac_in0 = val;
		return true;
	case FBNIC_SIG_PCS_OUT0:
		/* Writing 1 reloads a latched bit with the current state. */
		mac->out0_latch = (mac->out0_latch & ~val) | (mac->out0_cur & val);
		return true;
	case FBNIC_SIG_PCS_OUT1:
		mac->out1_latch = (mac->out1_latch & ~val) | (mac->out1_cur & val);
		return true;
	case FBNIC_SIG_PCS_INTR_STS:
		mac->intr_sts &= ~val;
		intr_update(dev, mac);
		return true;
	case FBNIC_SIG_PCS_INTR_MASK:
		mac->intr_mask = val;
		intr_update(dev, mac);
		return true;
	case FBNIC_MAC_CL01_PAUSE_QUANTA:
		mac->pause_quanta = val;
		return true;
	default:
		return false;
	}
}

void
fbm_mac_poll(struct fbm_dev *dev, uint64_t now_ns)
{
	struct fbm_mac_state *mac = dev->mac;

	if (mac == NULL)
		return;
	link_update(dev, mac, now_ns);
	pause_eval(dev, mac, now_ns);
}
