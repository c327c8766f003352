/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

/*
 * Firmware side of the BAR4 mailbox (fbnic_hw.rst 6).
 *
 * Two rings of 16 two-word descriptors: ring 0 carries firmware -> host
 * messages into buffers the host posts, ring 1 carries host requests. The
 * firmware walks each ring from its own head: a descriptor whose low word
 * is 0 stops it, HOST_CMPL | FW_CMPL is skipped, HOST_CMPL alone is work.
 * Everything in a descriptor and in a request comes from the host and is
 * checked; a bad descriptor or message is completed with FW_ERR.
 */

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fbm_internal.h"
#include "fbm_fw.h"
#include "fbnic_fw.h"
#include "fbnic_tlv.h"

#define FBM_FW_RX		FBNIC_IPC_MBX_RX_IDX
#define FBM_FW_TX		FBNIC_IPC_MBX_TX_IDX
#define FBM_FW_NDESC		FBNIC_IPC_MBX_DESC_LEN
#define FBM_FW_FIRST_WORD	FBNIC_IPC_MBX(0, 0)
#define FBM_FW_LAST_WORD	(FBNIC_IPC_MBX(FBNIC_IPC_MBX_INDICES, 0) - 1)
#define FBM_FW_REPLY_SLOTS	16
#define FBM_FW_MSG_MAX		FBNIC_TLV_MSG_MAX_LEN
#define FBM_FW_LATENCY_NS	100000ull	/* 100 us */
#define FBM_FW_VECTOR		0		/* mailbox / alive vector */
#define FBM_FW_SKIP		(FBNIC_IPC_MBX_DESC_HOST_CMPL | FBNIC_IPC_MBX_DESC_FW_CMPL)

/* Fake module EEPROM: bank 0, pages 0-3 of 256 bytes. */
#define FBM_FW_QSFP_PAGES	4
#define FBM_FW_QSFP_PAGE_SIZE	256

struct fbm_fw_reply {
	uint32_t len;
	uint32_t desc_len;			/* length put in the descriptor */
	bool fw_err;				/* complete with FW_ERR */
	uint8_t buf[FBM_FW_MSG_MAX];
};

struct fbm_fw_state {
	uint32_t desc[FBNIC_IPC_MBX_INDICES][FBM_FW_NDESC][2];
	uint8_t head[FBNIC_IPC_MBX_INDICES];	/* firmware's walk position */

	bool alive;
	bool ready_pending;			/* TX ring reset: signal alive */
	uint64_t boot_ns;
	uint64_t posted_ns[FBM_FW_NDESC];	/* when each request was posted */

	/* Replies waiting for an RX buffer, FIFO. */
	struct fbm_fw_reply reply[FBM_FW_REPLY_SLOTS];
	unsigned int reply_head;
	unsigned int reply_count;

	uint8_t req[FBM_FW_MSG_MAX];		/* copy of the request */

	struct fbm_fw_info info;
	bool host_owns;
	bool logs_enabled;
	uint32_t mac_sync_flags;
	uint8_t mac_sync_uc;
	uint8_t mac_sync_mc;
	uint64_t messages;			/* requests handled, all types */
	uint64_t log_index;			/* LOG_MSG_REQ sequence */
	struct fbm_fw_stats stats;
	uint8_t qsfp[FBM_FW_QSFP_PAGES][FBM_FW_QSFP_PAGE_SIZE];

	bool stopped;				/* fw_silent seen by the poll */
	uint8_t *coredump;			/* NULL: none held */
	uint32_t coredump_size;
};

/* Log the first event of a kind as a warning, the rest as debug. */
#define FW_COUNT(dev, counter, ...) do { \
	if ((counter)++ == 0) \
		FBM_WARN(dev, __VA_ARGS__); \
	else \
		FBM_DEBUG(dev, __VA_ARGS__); \
} while (0)

static uint64_t
desc_get(const struct fbm_fw_state *fw, unsigned int ring, unsigned int d)
{
	return (uint64_t)fw->desc[ring][d][0] |
	       ((uint64_t)fw->desc[ring][d][1] << 32);
}

static uint64_t
fw_uptime_ms(struct fbm_dev *dev)
{
	struct fbm_fw_state *fw = dev->fw;
	uint64_t now = fbm_now_ns(dev);

	/* A clock switched to an earlier virtual time re-bases the boot */
	if (now < fw->boot_ns)
		fw->boot_ns = now;
	return (now - fw->boot_ns) / 1000000u;
}

/*
 * SFF-8636 (rev 2.10a) byte offsets of the model's module: a 1 m passive
 * 100GBASE-CR4 copper cable (QSFP28), paged memory with upper pages 0-3.
 */
#define SFF_ID			0	/* and 128: SFF-8024 identifier */
#define SFF_REV			1	/* revision compliance */
#define SFF_STATUS		2	/* bit 2 flat memory, bit 0 data not ready */
#define SFF_TEMP		22	/* 2 bytes, signed 1/256 degree C */
#define SFF_VCC			26	/* 2 bytes, 100 uV */
#define SFF_EXT_ID		129
#define SFF_CONNECTOR		130
#define SFF_COMPLIANCE		131	/* 8 bytes; 131 bit 7: see byte 192 */
#define SFF_ENCODING		139
#define SFF_BR_NOMINAL		140	/* 100 Mb/s; 0xff: see byte 222 */
#define SFF_LEN_COPPER		146	/* metres */
#define SFF_DEV_TECH		147
#define SFF_VENDOR_NAME		148	/* 16 ASCII, space padded */
#define SFF_VENDOR_OUI		165
#define SFF_VENDOR_PN		168	/* 16 ASCII */
#define SFF_VENDOR_REV		184	/* 2 ASCII */
#define SFF_ATTENUATION		186	/* copper: dB at 2.5, 5, 7, 12.9 GHz */
#define SFF_MAX_CASE_TEMP	190
#define SFF_CC_BASE		191	/* low byte of the sum of 128..190 */
#define SFF_LINK_CODES		192	/* SFF-8024 extended compliance */
#define SFF_OPTIONS		193	/* 3 bytes; 195 bits 7/6: pages 1/2 */
#define SFF_VENDOR_SN		196	/* 16 ASCII */
#define SFF_DATE_CODE		212	/* YYMMDD + lot, 8 ASCII */
#define SFF_DIAG_TYPE		220
#define SFF_BAUD_RATE		222	/* 250 MBd */
#define SFF_CC_EXT		223	/* low byte of the sum of 192..222 */
#define SFF_P3_TEMP_THRESH	128	/* page 3: high/low alarm, high/low warning */
#define SFF_P3_VCC_THRESH	144

static uint8_t
sff_checksum(const uint8_t *p, unsigned int first, unsigned int last)
{
	unsigned int i, sum = 0;

	for (i = first; i <= last; i++)
		sum += p[i];
	return (uint8_t)sum;
}

static void
sff_put_be16(uint8_t *p, unsigned int off, uint16_t v)
{
	p[off] = (uint8_t)(v >> 8);
	p[off + 1] = (uint8_t)v;
}

/* ASCII field, space padded, as SFF-8636 wants it. */
static void
sff_put_ascii(uint8_t *p, unsigned int off, unsigned int len, const char *s)
{
	size_t n = strlen(s);

	memset(&p[off], ' ', len);
	memcpy(&p[off], s, n < len ? n : len);
}

/*
 * The module the firmware reads for QSFP_READ: what ethtool -m or testpmd's
 * "show port N module_eeprom" decode as a 1 m QSFP28 DAC. The serial number
 * follows the board's DSN, so two model ports show different cables.
 */
static void
fw_qsfp_init(struct fbm_dev *dev, struct fbm_fw_state *fw)
{
	/* Locally assigned (CID-style) OUI: the model claims no vendor's. */
	static const uint8_t oui[3] = { 0x0a, 0xfb, 0x4e };
	static const uint8_t atten[4] = { 3, 5, 7, 10 };
	uint8_t *p0 = fw->qsfp[0], *p3 = fw->qsfp[3];
	char sn[17];
	unsigned int p;

	memset(fw->qsfp, 0, sizeof(fw->qsfp));
	/* Lower memory */
	p0[SFF_ID] = 0x11;			/* QSFP28 */
	p0[SFF_REV] = 0x08;			/* SFF-8636 rev 2.10a */
	p0[SFF_STATUS] = 0x00;			/* paged, data ready */
	sff_put_be16(p0, SFF_TEMP, 35 * 256);	/* 35 C */
	sff_put_be16(p0, SFF_VCC, 33000);	/* 3.3 V */
	/* Upper page 0: serial ID */
	p0[128 + SFF_ID] = 0x11;
	p0[SFF_EXT_ID] = 0x00;			/* power class 1, 1.5 W */
	p0[SFF_CONNECTOR] = 0x23;		/* no separable connector */
	p0[SFF_COMPLIANCE] = 0x80;		/* extended: byte 192 */
	p0[SFF_ENCODING] = 0x07;		/* 256B/257B */
	p0[SFF_BR_NOMINAL] = 0xff;
	p0[SFF_LEN_COPPER] = 1;
	p0[SFF_DEV_TECH] = 0xa0;		/* copper, unequalized */
	sff_put_ascii(p0, SFF_VENDOR_NAME, 16, "FBNIC MODEL");
	memcpy(&p0[SFF_VENDOR_OUI], oui, sizeof(oui));
	sff_put_ascii(p0, SFF_VENDOR_PN, 16, "FBM-QSFP28-CR");
	sff_put_ascii(p0, SFF_VENDOR_REV, 2, "A0");
	memcpy(&p0[SFF_ATTENUATION], atten, sizeof(atten));
	p0[SFF_MAX_CASE_TEMP] = 70;
	p0[SFF_CC_BASE] = sff_checksum(p0, 128, SFF_CC_BASE - 1);
	p0[SFF_LINK_CODES] = 0x0b;		/* 100GBASE-CR4 */
	p0[SFF_OPTIONS + 2] = 0xc0;		/* pages 1 and 2 provided */
	snprintf(sn, sizeof(sn), "FBM%08X", (unsigned int)dev->cfg.dsn);
	sff_put_ascii(p0, SFF_VENDOR_SN, 16, sn);
	sff_put_ascii(p0, SFF_DATE_CODE, 8, "260101");
	p0[SFF_DIAG_TYPE] = 0x30;		/* temperature and Vcc monitors */
	p0[SFF_BAUD_RATE] = 103;		/* 25.78125 GBd per lane */
	p0[SFF_CC_EXT] = sff_checksum(p0, SFF_LINK_CODES, SFF_CC_EXT - 1);
	/* Upper page 3: thresholds of the monitors */
	sff_put_be16(p3, SFF_P3_TEMP_THRESH, 75 * 256);
	sff_put_be16(p3, SFF_P3_TEMP_THRESH + 2, (uint16_t)(-5 * 256));
	sff_put_be16(p3, SFF_P3_TEMP_THRESH + 4, 70 * 256);
	sff_put_be16(p3, SFF_P3_TEMP_THRESH + 6, 0);
	sff_put_be16(p3, SFF_P3_VCC_THRESH, 36300);
	sff_put_be16(p3, SFF_P3_VCC_THRESH + 2, 29700);
	sff_put_be16(p3, SFF_P3_VCC_THRESH + 4, 34650);
	sff_put_be16(p3, SFF_P3_VCC_THRESH + 6, 31350);
	/* Lower memory is the same whichever page is selected. */
	for (p = 1; p < FBM_FW_QSFP_PAGES; p++)
		memcpy(fw->qsfp[p], p0, 128);
	for (p = 0; p < FBM_FW_QSFP_PAGES; p++)
		fw->qsfp[p][127] = (uint8_t)p;	/* page select byte */
}

static void
fw_info_defaults(struct fbm_dev *dev, struct fbm_fw_info *info)
{
	uint64_t dsn = dev->cfg.dsn;

	memset(info, 0, sizeof(*info));
	info->stored_version = dev->cfg.fw_version;
	strcpy(info->running_commit, "fbm-model");
	strcpy(info->stored_commit, "fbm-model");
	info->cmrt_version = FBNIC_FW_VER_CODE(1, 0, 0, 0);
	info->stored_cmrt_version = FBNIC_FW_VER_CODE(1, 0, 0, 0);
	strcpy(info->cmrt_commit, "fbm-cmrt");
	strcpy(info->stored_cmrt_commit, "fbm-cmrt");
	info->uefi_version = FBNIC_FW_VER_CODE(0, 1, 0, 0);
	strcpy(info->uefi_commit, "fbm-uefi");
	info->active_slot = 1;
	/* One locally administered BMC address derived from the DSN */
	info->bmc_mac_count = 1;
	info->bmc_mac[0][0] = 0x02;
	info->bmc_mac[0][1] = 0xbc;
	info->bmc_mac[0][2] = (uint8_t)(dsn >> 24);
	info->bmc_mac[0][3] = (uint8_t)(dsn >> 16);
	info->bmc_mac[0][4] = (uint8_t)(dsn >> 8);
	info->bmc_mac[0][5] = (uint8_t)dsn;
	info->reply_latency_ns = FBM_FW_LATENCY_NS;
}

int
fbm_fw_init(struct fbm_dev *dev)
{
	struct fbm_fw_state *fw;

	fw = calloc(1, sizeof(*fw));
	if (fw == NULL)
		return -ENOMEM;
	dev->fw = fw;
	fw->boot_ns = fbm_now_ns(dev);
	fw_info_defaults(dev, &fw->info);
	fw_qsfp_init(dev, fw);
	return 0;
}

void
fbm_fw_fini(struct fbm_dev *dev)
{
	if (dev->fw != NULL)
		free(dev->fw->coredump);
	free(dev->fw);
	dev->fw = NULL;
}

/* Power-on / FLR: the mailbox forgets everything, the firmware keeps running. */
void
fbm_fw_reset(struct fbm_dev *dev)
{
	struct fbm_fw_state *fw = dev->fw;

	if (fw == NULL)
		return;
	memset(fw->desc, 0, sizeof(fw->desc));
	memset(fw->head, 0, sizeof(fw->head));
	fw->ready_pending = false;
	fw->reply_head = 0;
	fw->reply_count = 0;
	fw->host_owns = false;
	fw->logs_enabled = false;
}

static bool
fw_word(unsigned int bar, uint32_t idx, unsigned int *ring, unsigned int *d,
	unsigned int *w)
{
	uint32_t off;

	if (bar != 4 || idx < FBM_FW_FIRST_WORD || idx > FBM_FW_LAST_WORD)
		return false;
	off = idx - FBM_FW_FIRST_WORD;
	*ring = off / (2 * FBM_FW_NDESC);
	*d = (off / 2) % FBM_FW_NDESC;
	*w = off % 2;
	return true;
}

bool
fbm_fw_read(struct fbm_dev *dev, unsigned int bar, uint32_t idx, uint32_t *val)
{
	unsigned int ring, d, w;

	if (dev->fw == NULL || !fw_word(bar, idx, &ring, &d, &w))
		return false;
	*val = dev->fw->desc[ring][d][w];
	return true;
}

/*
 * Ring reset (fbnic_hw.rst 6.2) writes "skip" into descriptors 15 down to 1;
 * only a reset writes FW_CMPL from the host side, and descriptor 1 is the
 * last one it touches.
 */
static void
fw_ring_reset(struct fbm_dev *dev, unsigned int ring)
{
	struct fbm_fw_state *fw = dev->fw;

	fw->head[ring] = 0;
	if (ring == FBM_FW_TX) {
		/* The host provokes the alive signal with TX ring resets */
		fw->ready_pending = true;
	} else {
		fw->reply_head = 0;
		fw->reply_count = 0;
	}
}

bool
fbm_fw_write(struct fbm_dev *dev, unsigned int bar, uint32_t idx, uint32_t val)
{
	unsigned int ring, d, w;

	if (dev->fw == NULL || !fw_word(bar, idx, &ring, &d, &w))
		return false;
	dev->fw->desc[ring][d][w] = val;
	if (w == 0 && d == 1 && val == FBM_FW_SKIP)
		fw_ring_reset(dev, ring);
	else if (w == 0 && ring == FBM_FW_TX && (val & FBNIC_IPC_MBX_DESC_HOST_CMPL))
		dev->fw->posted_ns[d] = fbm_now_ns(dev);
	return true;
}

/* ---- Replies ------------------------------------------------------------ */

static struct fbm_fw_reply *
fw_reply_slot(struct fbm_fw_state *fw)
{
	unsigned int i = (fw->reply_head + fw->reply_count) % FBM_FW_REPLY_SLOTS;

	return &fw->reply[i];
}

static void
fw_reply_start(struct fbm_fw_state *fw, struct fbnic_tlv_builder *b,
	       uint16_t msg_id)
{
	fbnic_tlv_msg_init(b, fw_reply_slot(fw)->buf, FBM_FW_MSG_MAX, msg_id);
}

/* Queue the reply built in b; the caller checked a slot is free. */
static int
fw_reply_commit(struct fbm_dev *dev, struct fbnic_tlv_builder *b)
{
	struct fbm_fw_state *fw = dev->fw;
	int len = fbnic_tlv_msg_finish(b);

	if (len < 0) {
		FBM_ERR(dev, "firmware reply does not fit: %d", len);
		return len;
	}
	fw_reply_slot(fw)->len = (uint32_t)len;
	fw_reply_slot(fw)->desc_len = (uint32_t)len;
	fw_reply_slot(fw)->fw_err = false;
	fw->reply_count++;
	return 0;
}

/*
 * Stream one log line to the host when it asked for logs (LOG_MSG_REQ,
 * fbnic_hw.rst 6.5). Best effort: dropped when every reply slot is taken.
 */
static void
fw_log_line(struct fbm_dev *dev, const char *line)
{
	struct fbm_fw_state *fw = dev->fw;
	struct fbnic_tlv_builder b;

	if (!fw->logs_enabled || fw->reply_count == FBM_FW_REPLY_SLOTS)
		return;
	fw_reply_start(fw, &b, FBNIC_TLV_MSG_ID_LOG_MSG_REQ);
	fbnic_tlv_add_u32(&b, FBNIC_FW_LOG_MSEC, (uint32_t)fw_uptime_ms(dev));
	fbnic_tlv_add_u64(&b, FBNIC_FW_LOG_INDEX, fw->log_index++);
	fbnic_tlv_add_string(&b, FBNIC_FW_LOG_MSG, line, FBNIC_FW_LOG_MAX_LEN);
	fw_reply_commit(dev, &b);
}

/* ---- Message handlers --------------------------------------------------- */

static int
fw_cap_resp(struct fbm_dev *dev, const struct fbnic_tlv_index *req)
{
	struct fbm_fw_state *fw = dev->fw;
	const struct fbm_fw_info *in = &fw->info;
	struct fbnic_tlv_builder b;
	unsigned int i;

	(void)req;
	fw_reply_start(fw, &b, FBNIC_TLV_MSG_ID_FW_CAP_RESP);
	fbnic_tlv_add_u32(&b, FBNIC_FW_CAP_RESP_VERSION, dev->cfg.fw_version);
	if (dev->cfg.bmc_present) {
		fbnic_tlv_add_flag(&b, FBNIC_FW_CAP_RESP_BMC_PRESENT);
		fbnic_tlv_nest_start(&b, FBNIC_FW_CAP_RESP_BMC_MAC_ARRAY);
		for (i = 0; i < in->bmc_mac_count && i < 4; i++)
			fbnic_tlv_add_mac(&b, FBNIC_FW_CAP_RESP_BMC_MAC_ADDR,
					  in->bmc_mac[i]);
		fbnic_tlv_nest_end(&b);
		fbnic_tlv_add_u32(&b, FBNIC_FW_CAP_RESP_BMC_ALL_MULTI,
				  in->bmc_all_multi);
	}
	fbnic_tlv_add_u32(&b, FBNIC_FW_CAP_RESP_STORED_VERSION,
			  in->stored_version);
	fbnic_tlv_add_u32(&b, FBNIC_FW_CAP_RESP_ACTIVE_FW_SLOT, in->active_slot);
	fbnic_tlv_add_string(&b, FBNIC_FW_CAP_RESP_VERSION_COMMIT_STR,
			     in->running_commit, FBM_FW_COMMIT_LEN);
	fbnic_tlv_add_u32(&b, FBNIC_FW_CAP_RESP_FW_LINK_SPEED,
			  dev->cfg.link_mode);
	fbnic_tlv_add_u32(&b, FBNIC_FW_CAP_RESP_FW_LINK_FEC, dev->cfg.fec);
	fbnic_tlv_add_string(&b, FBNIC_FW_CAP_RESP_STORED_COMMIT_STR,
			     in->stored_commit, FBM_FW_COMMIT_LEN);
	fbnic_tlv_add_u32(&b, FBNIC_FW_CAP_RESP_CMRT_VERSION, in->cmrt_version);
	fbnic_tlv_add_u32(&b, FBNIC_FW_CAP_RESP_STORED_CMRT_VERSION,
			  in->stored_cmrt_version);
	fbnic_tlv_add_string(&b, FBNIC_FW_CAP_RESP_CMRT_COMMIT_STR,
			     in->cmrt_commit, FBM_FW_COMMIT_LEN);
	fbnic_tlv_add_string(&b, FBNIC_FW_CAP_RESP_STORED_CMRT_COMMIT_STR,
			     in->stored_cmrt_commit, FBM_FW_COMMIT_LEN);
	fbnic_tlv_add_u32(&b, FBNIC_FW_CAP_RESP_UEFI_VERSION, in->uefi_version);
	fbnic_tlv_add_string(&b, FBNIC_FW_CAP_RESP_UEFI_COMMIT_STR,
			     in->uefi_commit, FBM_FW_COMMIT_LEN);
	fbnic_tlv_add_u32(&b, FBNIC_FW_CAP_RESP_ANTI_ROLLBACK_VERSION,
			  in->anti_rollback);
	return fw_reply_commit(dev, &b);
}

static int
fw_ownership(struct fbm_dev *dev, const struct fbnic_tlv_index *req)
{
	struct fbm_fw_state *fw = dev->fw;
	struct fbnic_tlv_builder b;
	int take;

	take = fbnic_tlv_get_flag(fbnic_tlv_attr(req, FBNIC_FW_OWNERSHIP_FLAG));
	if (take < 0)
		return take;
	fw->host_owns = take == 1;
	if (take)
		fw->stats.ownership_takes++;
	else
		fw->stats.ownership_releases++;

	fw_reply_start(fw, &b, FBNIC_TLV_MSG_ID_OWNERSHIP_RESP);
	fbnic_tlv_add_u64(&b, FBNIC_FW_OWNERSHIP_TIME, fw_uptime_ms(dev));
	if (fw_reply_commit(dev, &b) != 0)
		return -ENOSPC;
	fw_log_line(dev, take ? "host took ownership" : "host released ownership");
	return 0;
}

static int
fw_heartbeat(struct fbm_dev *dev, const struct fbnic_tlv_index *req)
{
	struct fbm_fw_state *fw = dev->fw;
	struct fbnic_tlv_builder b;

	(void)req;
	fw->stats.heartbeats++;
	fw_reply_start(fw, &b, FBNIC_TLV_MSG_ID_HEARTBEAT_RESP);
	fbnic_tlv_add_u64(&b, FBNIC_FW_HEARTBEAT_UPTIME, fw_uptime_ms(dev));
	fbnic_tlv_add_u32(&b, FBNIC_FW_HEARTBEAT_NUMBER_OF_MESSAGES,
			  (uint32_t)fw->messages);
	return fw_reply_commit(dev, &b);
}

/* The self-test message comes back unchanged. */
static int
fw_test_echo(struct fbm_dev *dev, const struct fbnic_tlv_index *req)
{
	struct fbm_fw_state *fw = dev->fw;
	struct fbm_fw_reply *r = fw_reply_slot(fw);

	memcpy(r->buf, fw->req, req->len);
	r->len = req->len;
	r->desc_len = req->len;
	r->fw_err = false;
	fw->reply_count++;
	return 0;
}

static void
put_le32(uint8_t *p, uint32_t v)
{
	unsigned int i;

	for (i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void
put_le64(uint8_t *p, uint64_t v)
{
	put_le32(p, (uint32_t)v);
	put_le32(p + 4, (uint32_t)(v >> 32));
}

/*
 * Take a coredump (layout in fbm_fw.h) unless one is held: the first dump
 * after a failure is the one that explains it.
 */
static void
fw_coredump_take(struct fbm_dev *dev, enum fbm_fw_coredump_reason reason)
{
	struct fbm_fw_state *fw = dev->fw;
	const uint32_t desc_off = sizeof(struct fbm_fw_coredump_hdr);
	const uint32_t csr_off = desc_off + sizeof(fw->desc);
	const uint32_t size = csr_off + FBM_FW_COREDUMP_CSR_WORDS * 4;
	uint8_t *d;
	unsigned int r, i;

	if (fw->coredump != NULL)
		return;
	d = calloc(1, size);
	if (d == NULL) {
		FBM_ERR(dev, "firmware: no memory for a %u byte coredump", size);
		return;
	}
	memcpy(d + offsetof(struct fbm_fw_coredump_hdr, magic), FBM_FW_COREDUMP_MAGIC, 8);
	put_le32(d + offsetof(struct fbm_fw_coredump_hdr, size), size);
	put_le32(d + offsetof(struct fbm_fw_coredump_hdr, reason), reason);
	put_le64(d + offsetof(struct fbm_fw_coredump_hdr, uptime_ms), fw_uptime_ms(dev));
	put_le64(d + offsetof(struct fbm_fw_coredump_hdr, messages), fw->messages);
	put_le32(d + offsetof(struct fbm_fw_coredump_hdr, fw_version), dev->cfg.fw_version);
	put_le32(d + offsetof(struct fbm_fw_coredump_hdr, csr_words), FBM_FW_COREDUMP_CSR_WORDS);
	put_le32(d + offsetof(struct fbm_fw_coredump_hdr, desc_offset), desc_off);
	put_le32(d + offsetof(struct fbm_fw_coredump_hdr, csr_offset), csr_off);
	for (r = 0; r < FBNIC_IPC_MBX_INDICES; r++)
		for (i = 0; i < FBM_FW_NDESC; i++)
			put_le64(d + desc_off + (r * FBM_FW_NDESC + i) * 8, desc_get(fw, r, i));
	/* Register storage, read without the side effects of a host read */
	for (i = 0; i < FBM_FW_COREDUMP_CSR_WORDS; i++)
		put_le32(d + csr_off + i * 4, fbm_reg_get(dev, i));
	fw->coredump = d;
	fw->coredump_size = size;
	fw->stats.coredumps++;
	FBM_INFO(dev, "firmware: coredump of %u bytes taken (%s)", size,
		 reason == FBM_FW_COREDUMP_STOPPED ? "firmware stopped" : "requested");
}

static int
fw_coredump_info(struct fbm_dev *dev, const struct fbnic_tlv_index *req)
{
	struct fbm_fw_state *fw = dev->fw;
	struct fbnic_tlv_builder b;

	if (fbnic_tlv_get_flag(fbnic_tlv_attr(req, FBNIC_FW_COREDUMP_REQ_INFO_CREATE)) == 1)
		fw_coredump_take(dev, FBM_FW_COREDUMP_REQUESTED);
	fw_reply_start(fw, &b, FBNIC_TLV_MSG_ID_COREDUMP_GET_INFO_RESP);
	if (fw->coredump != NULL) {
		fbnic_tlv_add_flag(&b, FBNIC_FW_COREDUMP_INFO_AVAILABLE);
		fbnic_tlv_add_u32(&b, FBNIC_FW_COREDUMP_INFO_SIZE, fw->coredump_size);
	} else {
		/* No dump held and none asked for: AVAILABLE is absent */
		fbnic_tlv_add_u32(&b, FBNIC_FW_COREDUMP_INFO_SIZE, 0);
	}
	return fw_reply_commit(dev, &b);
}

/*
 * One piece of the coredump: at most FBNIC_TLV_DATA_MAX_LEN bytes from
 * OFFSET (default 0), LENGTH bytes if given. The reply repeats the offset
 * and the length sent; a range outside the dump is an error reply.
 */
static int
fw_coredump_read(struct fbm_dev *dev, const struct fbnic_tlv_index *req)
{
	struct fbm_fw_state *fw = dev->fw;
	struct fbnic_tlv_builder b;
	uint32_t offset = 0, length = 0;
	const struct fbnic_tlv_attr *a;
	int32_t err = 0;

	a = fbnic_tlv_attr(req, FBNIC_FW_COREDUMP_READ_OFFSET);
	if (a != NULL && fbnic_tlv_get_u32(a, &offset) != 0)
		return -EINVAL;
	a = fbnic_tlv_attr(req, FBNIC_FW_COREDUMP_READ_LENGTH);
	if (a != NULL && fbnic_tlv_get_u32(a, &length) != 0)
		return -EINVAL;

	if (fw->coredump == NULL) {
		err = -ENODATA;
	} else if (offset >= fw->coredump_size) {
		err = -EINVAL;
	} else {
		if (length == 0)
			length = fw->coredump_size - offset;
		if (length > FBNIC_TLV_DATA_MAX_LEN)
			length = FBNIC_TLV_DATA_MAX_LEN;
		if (length > fw->coredump_size - offset)
			err = -EINVAL;
	}

	fw_reply_start(fw, &b, FBNIC_TLV_MSG_ID_COREDUMP_READ_RESP);
	if (err) {
		fbnic_tlv_add_s32(&b, FBNIC_FW_COREDUMP_READ_ERROR, err);
	} else {
		fbnic_tlv_add_u32(&b, FBNIC_FW_COREDUMP_READ_OFFSET, offset);
		fbnic_tlv_add_u32(&b, FBNIC_FW_COREDUMP_READ_LENGTH, length);
		fbnic_tlv_add_bytes(&b, FBNIC_FW_COREDUMP_READ_DATA,
				    fw->coredump + offset, length);
	}
	return fw_reply_commit(dev, &b);
}

static int
fw_start_upgrade(struct fbm_dev *dev, const struct fbnic_tlv_index *req)
{
	struct fbm_fw_state *fw = dev->fw;
	struct fbnic_tlv_builder b;

	(void)req;
	fw_reply_start(fw, &b, FBNIC_TLV_MSG_ID_FW_START_UPGRADE_RESP);
	fbnic_tlv_add_s32(&b, FBNIC_FW_START_UPGRADE_ERROR, -EOPNOTSUPP);
	return fw_reply_commit(dev, &b);
}

/* No upgrade is ever started, so chunks have nowhere to go. */
static int
fw_write_chunk(struct fbm_dev *dev, const struct fbnic_tlv_index *req)
{
	(void)req;
	FBM_DEBUG(dev, "firmware: write chunk without an upgrade, ignored");
	return 0;
}

static int
fw_qsfp_read(struct fbm_dev *dev, const struct fbnic_tlv_index *req)
{
	struct fbm_fw_state *fw = dev->fw;
	uint32_t bank = 0, page = 0, offset = 0, length = 0;
	struct fbnic_tlv_builder b;
	int err;

	err = fbnic_tlv_get_u32(fbnic_tlv_attr(req, FBNIC_FW_QSFP_BANK), &bank);
	err = err ? err : fbnic_tlv_get_u32(fbnic_tlv_attr(req, FBNIC_FW_QSFP_PAGE),
					     &page);
	err = err ? err : fbnic_tlv_get_u32(fbnic_tlv_attr(req, FBNIC_FW_QSFP_OFFSET),
					     &offset);
	err = err ? err : fbnic_tlv_get_u32(fbnic_tlv_attr(req, FBNIC_FW_QSFP_LENGTH),
					     &length);
	if (err)
		return err;

	fw_reply_start(fw, &b, FBNIC_TLV_MSG_ID_QSFP_READ_RESP);
	fbnic_tlv_add_u32(&b, FBNIC_FW_QSFP_BANK, bank);
	fbnic_tlv_add_u32(&b, FBNIC_FW_QSFP_PAGE, page);
	fbnic_tlv_add_u32(&b, FBNIC_FW_QSFP_OFFSET, offset);
	fbnic_tlv_add_u32(&b, FBNIC_FW_QSFP_LENGTH, length);
	if (bank != 0 || page >= FBM_FW_QSFP_PAGES || length == 0 ||
	    offset >= FBM_FW_QSFP_PAGE_SIZE ||
	    length > FBM_FW_QSFP_PAGE_SIZE - offset)
		fbnic_tlv_add_s32(&b, FBNIC_FW_QSFP_ERROR, -EINVAL);
	else
		fbnic_tlv_add_bytes(&b, FBNIC_FW_QSFP_DATA,
				    &fw->qsfp[page][offset], length);
	return fw_reply_commit(dev, &b);
}

static int
fw_tsene_read(struct fbm_dev *dev, const struct fbnic_tlv_index *req)
{
	struct fbm_fw_state *fw = dev->fw;
	struct fbnic_tlv_builder b;

	(void)req;
	fw_reply_start(fw, &b, FBNIC_TLV_MSG_ID_TSENE_READ_RESP);
	fbnic_tlv_add_s32(&b, FBNIC_FW_TSENE_THERM, 45000);	/* 45 C */
	fbnic_tlv_add_s32(&b, FBNIC_FW_TSENE_VOLT, 850);	/* 0.85 V */
	return fw_reply_commit(dev, &b);
}

static int
fw_send_logs(struct fbm_dev *dev, const struct fbnic_tlv_index *req)
{
	int enable = fbnic_tlv_get_flag(fbnic_tlv_attr(req, FBNIC_SEND_LOGS));

	if (enable < 0)
		return enable;
	dev->fw->logs_enabled = enable == 1;
	fw_log_line(dev, "log streaming enabled");
	return 0;
}

static int
fw_mac_sync(struct fbm_dev *dev, const struct fbnic_tlv_index *req)
{
	struct fbnic_tlv_attr macs[FBNIC_FW_RPC_MAC_SYNC_ARRAY_SIZE];
	struct fbm_fw_state *fw = dev->fw;
	const struct fbnic_tlv_attr *a;
	uint32_t flags = 0;
	int uc = 0, mc = 0;

	a = fbnic_tlv_attr(req, FBNIC_FW_RPC_MAC_SYNC_RX_FLAGS);
	if (a != NULL && fbnic_tlv_get_u32(a, &flags) < 0)
		return -EINVAL;
	/* An empty array is omitted by the host */
	a = fbnic_tlv_attr(req, FBNIC_FW_RPC_MAC_SYNC_UC_ARRAY);
	if (a != NULL)
		uc = fbnic_tlv_array_parse(a, FBNIC_FW_RPC_MAC_SYNC_MAC_ADDR, macs,
					   FBNIC_FW_RPC_MAC_SYNC_ARRAY_SIZE);
	a = fbnic_tlv_attr(req, FBNIC_FW_RPC_MAC_SYNC_MC_ARRAY);
	if (a != NULL)
		mc = fbnic_tlv_array_parse(a, FBNIC_FW_RPC_MAC_SYNC_MAC_ADDR, macs,
					   FBNIC_FW_RPC_MAC_SYNC_ARRAY_SIZE);
	if (uc < 0 || mc < 0)
		return -EINVAL;

	fw->mac_sync_flags = flags;
	fw->mac_sync_uc = (uint8_t)uc;
	fw->mac_sync_mc = (uint8_t)mc;
	fw->stats.mac_syncs++;
	return 0;
}

static const struct fbnic_tlv_policy fw_flag0_policy[] = {
	[0] = { .type = FBNIC_TLV_FLAG },
};

static const struct fbnic_tlv_policy fw_coredump_read_policy[] = {
	[FBNIC_FW_COREDUMP_READ_OFFSET] = { .type = FBNIC_TLV_U32 },
	[FBNIC_FW_COREDUMP_READ_LENGTH] = { .type = FBNIC_TLV_U32 },
};

static const struct fbnic_tlv_policy fw_start_upgrade_policy[] = {
	[FBNIC_FW_START_UPGRADE_SECTION] = { .type = FBNIC_TLV_U32 },
	[FBNIC_FW_START_UPGRADE_IMAGE_LENGTH] = { .type = FBNIC_TLV_U32 },
};

static const struct fbnic_tlv_policy fw_write_chunk_policy[] = {
	[FBNIC_FW_WRITE_CHUNK_OFFSET] = { .type = FBNIC_TLV_U32 },
	[FBNIC_FW_WRITE_CHUNK_LENGTH] = { .type = FBNIC_TLV_U32 },
	[FBNIC_FW_WRITE_CHUNK_DATA] = { .type = FBNIC_TLV_BINARY,
					.max_len = FBNIC_TLV_DATA_MAX_LEN },
	[FBNIC_FW_WRITE_CHUNK_ERROR] = { .type = FBNIC_TLV_S32 },
};

static const struct fbnic_tlv_policy fw_qsfp_policy[] = {
	[FBNIC_FW_QSFP_BANK] = { .type = FBNIC_TLV_U32 },
	[FBNIC_FW_QSFP_PAGE] = { .type = FBNIC_TLV_U32 },
	[FBNIC_FW_QSFP_OFFSET] = { .type = FBNIC_TLV_U32 },
	[FBNIC_FW_QSFP_LENGTH] = { .type = FBNIC_TLV_U32 },
};

static const struct fbnic_tlv_policy fw_send_logs_policy[] = {
	[FBNIC_SEND_LOGS] = { .type = FBNIC_TLV_FLAG },
	[FBNIC_SEND_LOGS_VERSION] = { .type = FBNIC_TLV_U32 },
	[FBNIC_SEND_LOGS_HISTORY] = { .type = FBNIC_TLV_FLAG },
};

static const struct fbnic_tlv_policy fw_mac_elem = { .type = FBNIC_TLV_MAC };

static const struct fbnic_tlv_policy fw_mac_sync_policy[] = {
	[FBNIC_FW_RPC_MAC_SYNC_RX_FLAGS] = { .type = FBNIC_TLV_U32 },
	[FBNIC_FW_RPC_MAC_SYNC_UC_ARRAY] = {
		.type = FBNIC_TLV_ARRAY, .nested = &fw_mac_elem,
		.array_id = FBNIC_FW_RPC_MAC_SYNC_MAC_ADDR,
		.array_max = FBNIC_FW_RPC_MAC_SYNC_ARRAY_SIZE },
	[FBNIC_FW_RPC_MAC_SYNC_MC_ARRAY] = {
		.type = FBNIC_TLV_ARRAY, .nested = &fw_mac_elem,
		.array_id = FBNIC_FW_RPC_MAC_SYNC_MAC_ADDR,
		.array_max = FBNIC_FW_RPC_MAC_SYNC_ARRAY_SIZE },
};

struct fw_handler {
	uint16_t id;
	uint8_t max_id;
	const struct fbnic_tlv_policy *policy;
	int (*fn)(struct fbm_dev *dev, const struct fbnic_tlv_index *req);
};

#define FW_H(msg, max, pol, f) \
	{ .id = FBNIC_TLV_MSG_ID_##msg, .max_id = (max), .policy = (pol), .fn = (f) }

static const struct fw_handler fw_handlers[] = {
	/* TEST carries attributes 0-11 of every type: structure only */
	FW_H(TEST, 12, NULL, fw_test_echo),
	FW_H(HOST_CAP_REQ, 0, NULL, fw_cap_resp),
	FW_H(OWNERSHIP_REQ, 1, fw_flag0_policy, fw_ownership),
	FW_H(HEARTBEAT_REQ, 0, NULL, fw_heartbeat),
	FW_H(COREDUMP_GET_INFO_REQ, 1, fw_flag0_policy, fw_coredump_info),
	FW_H(COREDUMP_READ_REQ, 2, fw_coredump_read_policy, fw_coredump_read),
	FW_H(FW_START_UPGRADE_REQ, 3, fw_start_upgrade_policy, fw_start_upgrade),
	FW_H(FW_WRITE_CHUNK_RESP, 4, fw_write_chunk_policy, fw_write_chunk),
	FW_H(QSFP_READ_REQ, 4, fw_qsfp_policy, fw_qsfp_read),
	FW_H(TSENE_READ_REQ, 0, NULL, fw_tsene_read),
	FW_H(LOG_SEND_LOGS_REQ, 3, fw_send_logs_policy, fw_send_logs),
	FW_H(RPC_MAC_SYNC_REQ, 3, fw_mac_sync_policy, fw_mac_sync),
};

/* ---- Ring processing ---------------------------------------------------- */

/* Handle one request descriptor; returns the completion bits to set. */
static uint32_t
fw_handle_request(struct fbm_dev *dev, uint64_t desc)
{
	struct fbm_fw_state *fw = dev->fw;
	uint64_t addr = desc & FBNIC_IPC_MBX_DESC_ADDR_MASK;
	uint32_t len = (uint32_t)FBNIC_FIELD_GET(FBNIC_IPC_MBX_DESC_LEN_MASK, desc);
	const uint32_t err = FBNIC_IPC_MBX_DESC_FW_CMPL | FBNIC_IPC_MBX_DESC_FW_ERR;
	const struct fw_handler *h = NULL;
	struct fbnic_tlv_index idx;
	uint32_t msg_len;
	uint16_t id;
	unsigned int i;
	void *p;
	int rc;

	if (!(desc & FBNIC_IPC_MBX_DESC_EOM) || len < FBNIC_TLV_HDR_LEN ||
	    len > FBM_FW_MSG_MAX) {
		FW_COUNT(dev, fw->stats.malformed,
			 "firmware: bad request descriptor 0x%016llx",
			 (unsigned long long)desc);
		return err;
	}
	p = fbm_dma_map(dev, addr, len, false);
	if (p == NULL) {
		FW_COUNT(dev, fw->stats.dma_faults,
			 "firmware: cannot read request at 0x%llx len %u",
			 (unsigned long long)addr, len);
		return err;
	}
	/* Work on a copy: the host may change its buffer under us */
	memcpy(fw->req, p, len);

	rc = fbnic_tlv_msg_peek(fw->req, len, &id, &msg_len);
	if (rc) {
		FW_COUNT(dev, fw->stats.malformed,
			 "firmware: bad request header 0x%08x: %d",
			 fbnic_tlv_get_le32(fw->req), rc);
		return err;
	}
	for (i = 0; i < FBM_DIM(fw_handlers); i++) {
		if (fw_handlers[i].id == id) {
			h = &fw_handlers[i];
			break;
		}
	}
	if (h == NULL) {
		FW_COUNT(dev, fw->stats.unknown,
			 "firmware: unknown message 0x%x", id);
		return err;
	}
	rc = fbnic_tlv_msg_parse(fw->req, msg_len, h->max_id, h->policy, &idx);
	if (rc == 0)
		rc = h->fn(dev, &idx);
	if (rc) {
		FW_COUNT(dev, fw->stats.malformed,
			 "firmware: rejected message 0x%x: %d", id, rc);
		return err;
	}
	fw->messages++;
	fw->stats.requests++;
	return FBNIC_IPC_MBX_DESC_FW_CMPL;
}

/* Step over skip descriptors; true when ring's head holds a posted entry. */
static bool
fw_ring_next(struct fbm_fw_state *fw, unsigned int ring)
{
	unsigned int n;

	for (n = 0; n < FBM_FW_NDESC; n++) {
		uint32_t lo = fw->desc[ring][fw->head[ring]][0];

		if (!(lo & FBNIC_IPC_MBX_DESC_HOST_CMPL))
			return false;		/* stop marker */
		if (!(lo & FBNIC_IPC_MBX_DESC_FW_CMPL))
			return true;
		fw->head[ring] = (fw->head[ring] + 1) % FBM_FW_NDESC;
	}
	return false;
}

static bool
fw_process_tx(struct fbm_dev *dev, uint64_t now)
{
	struct fbm_fw_state *fw = dev->fw;
	bool error_replies = fbm_fault_active(dev, FBM_FAULT_FW_ERROR_REPLIES);
	bool done = false;
	unsigned int n;

	for (n = 0; n < FBM_FW_NDESC && fw_ring_next(fw, FBM_FW_TX); n++) {
		unsigned int h = fw->head[FBM_FW_TX];
		uint32_t status;

		/* One reply per request: wait for room before taking one */
		if (fw->reply_count == FBM_FW_REPLY_SLOTS)
			break;
		/* The firmware takes its time (a clock moved back: no wait) */
		if (now >= fw->posted_ns[h] &&
		    now - fw->posted_ns[h] < fw->info.reply_latency_ns)
			break;
		if (error_replies) {
			status = FBNIC_IPC_MBX_DESC_FW_CMPL |
				 FBNIC_IPC_MBX_DESC_FW_ERR;
		} else {
			/* Reads of host memory wait for bus mastering */
			if (!fbm_dma_enabled(dev, false))
				break;
			status = fw_handle_request(dev, desc_get(fw, FBM_FW_TX, h));
		}
		if (status & FBNIC_IPC_MBX_DESC_FW_ERR)
			fw->stats.fw_err_tx++;
		fw->desc[FBM_FW_TX][h][0] |= status;
		fw->head[FBM_FW_TX] = (h + 1) % FBM_FW_NDESC;
		done = true;
	}
	return done;
}

static bool
fw_post_replies(struct fbm_dev *dev)
{
	struct fbm_fw_state *fw = dev->fw;
	bool done = false;

	while (fw->reply_count && fw_ring_next(fw, FBM_FW_RX)) {
		struct fbm_fw_reply *r = &fw->reply[fw->reply_head];
		unsigned int h = fw->head[FBM_FW_RX];
		uint64_t desc = desc_get(fw, FBM_FW_RX, h);
		uint64_t addr = desc & FBNIC_IPC_MBX_DESC_ADDR_MASK;
		uint32_t room;
		uint32_t status = FBNIC_IPC_MBX_DESC_FW_CMPL;
		void *p = NULL;

		if (!fbm_dma_enabled(dev, true))
			break;
		room = (uint32_t)FBNIC_FIELD_GET(FBNIC_IPC_MBX_DESC_LEN_MASK, desc);
		if (r->fw_err) {
			/* injected: a completion without data */
		} else if (room < r->len) {
			FW_COUNT(dev, fw->stats.dropped_replies,
				 "firmware: RX buffer of %u bytes for a %u byte message",
				 room, r->len);
		} else {
			p = fbm_dma_map(dev, addr, r->len, true);
			if (p == NULL)
				FW_COUNT(dev, fw->stats.dma_faults,
					 "firmware: cannot write reply at 0x%llx",
					 (unsigned long long)addr);
		}
		if (p != NULL) {
			memcpy(p, r->buf, r->len);
			fw->desc[FBM_FW_RX][h][1] =
				(fw->desc[FBM_FW_RX][h][1] & 0xffffu) |
				(r->desc_len << 16);
			fw->stats.replies++;
		} else {
			/* No valid data: length 0, FW_ERR */
			fw->desc[FBM_FW_RX][h][1] &= 0xffffu;
			status |= FBNIC_IPC_MBX_DESC_FW_ERR;
			fw->stats.fw_err_rx++;
		}
		fw->desc[FBM_FW_RX][h][0] |= status;
		fw->head[FBM_FW_RX] = (h + 1) % FBM_FW_NDESC;
		fw->reply_head = (fw->reply_head + 1) % FBM_FW_REPLY_SLOTS;
		fw->reply_count--;
		done = true;
	}
	return done;
}

void
fbm_fw_poll(struct fbm_dev *dev, uint64_t now_ns)
{
	struct fbm_fw_state *fw = dev->fw;
	bool work;

	if (fw == NULL)
		return;
	if (now_ns < fw->boot_ns)
		fw->boot_ns = now_ns;
	if (!fw->alive) {
		if (now_ns - fw->boot_ns < dev->cfg.fw_ready_delay_ns)
			return;
		fw->alive = true;
		FBM_DEBUG(dev, "firmware: alive");
	}
	/* A silent firmware neither signals nor answers: it has stopped */
	if (fbm_fault_active(dev, FBM_FAULT_FW_SILENT)) {
		if (!fw->stopped)
			fw_coredump_take(dev, FBM_FW_COREDUMP_STOPPED);
		fw->stopped = true;
		return;
	}
	fw->stopped = false;

	work = fw->ready_pending;
	if (fw->ready_pending) {
		fw->ready_pending = false;
		fw->stats.ready_signals++;
	}
	work |= fw_process_tx(dev, now_ns);
	work |= fw_post_replies(dev);
	if (work)
		fbm_intr_raise(dev, FBM_FW_VECTOR);
}

/* ---- Test and tool access ----------------------------------------------- */

void
fbm_fw_info_get(struct fbm_dev *dev, struct fbm_fw_info *info)
{
	fbm_dev_lock(dev);
	*info = dev->fw->info;
	fbm_dev_unlock(dev);
}

void
fbm_fw_info_set(struct fbm_dev *dev, const struct fbm_fw_info *info)
{
	fbm_dev_lock(dev);
	dev->fw->info = *info;
	/* Strings are sent with their NUL: keep them terminated */
	dev->fw->info.running_commit[FBM_FW_COMMIT_LEN - 1] = '\0';
	dev->fw->info.stored_commit[FBM_FW_COMMIT_LEN - 1] = '\0';
	dev->fw->info.cmrt_commit[FBM_FW_COMMIT_LEN - 1] = '\0';
	dev->fw->info.stored_cmrt_commit[FBM_FW_COMMIT_LEN - 1] = '\0';
	dev->fw->info.uefi_commit[FBM_FW_COMMIT_LEN - 1] = '\0';
	if (dev->fw->info.bmc_mac_count > 4)
		dev->fw->info.bmc_mac_count = 4;
	fbm_dev_unlock(dev);
}

void
fbm_fw_observe(struct fbm_dev *dev, struct fbm_fw_observed *obs)
{
	struct fbm_fw_state *fw;

	fbm_dev_lock(dev);
	fw = dev->fw;
	memset(obs, 0, sizeof(*obs));
	obs->alive = fw->alive;
	obs->host_owns = fw->host_owns;
	obs->logs_enabled = fw->logs_enabled;
	obs->mac_sync_flags = fw->mac_sync_flags;
	obs->mac_sync_uc = fw->mac_sync_uc;
	obs->mac_sync_mc = fw->mac_sync_mc;
	obs->uptime_ms = fw_uptime_ms(dev);
	obs->coredump_size = fw->coredump_size;
	obs->stats = fw->stats;
	fbm_dev_unlock(dev);
}

void
fbm_fw_restart(struct fbm_dev *dev)
{
	fbm_dev_lock(dev);
	dev->fw->boot_ns = fbm_now_ns(dev);
	dev->fw->alive = false;
	dev->fw->host_owns = false;
	fbm_dev_unlock(dev);
}

int
fbm_fw_inject(struct fbm_dev *dev, const void *msg, uint32_t len,
	      uint32_t desc_len, bool fw_err)
{
	struct fbm_fw_reply *r;
	int err = 0;

	if (len > FBM_FW_MSG_MAX || desc_len > 0xffffu || (len && msg == NULL))
		return -EINVAL;
	fbm_dev_lock(dev);
	if (dev->fw->reply_count == FBM_FW_REPLY_SLOTS) {
		err = -ENOSPC;
	} else {
		r = fw_reply_slot(dev->fw);
		if (len)
			memcpy(r->buf, msg, len);
		r->len = len;
		r->desc_len = desc_len;
		r->fw_err = fw_err;
		dev->fw->reply_count++;
	}
	fbm_dev_unlock(dev);
	return err;
}
