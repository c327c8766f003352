/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

/*
 * The driver's mailbox code (base/fbnic_fw.c) against the model firmware,
 * in real time: bring-up, version check, ownership, heartbeat and crash
 * detection, module EEPROM reads, bad input from the device. EAL runs in
 * memory without hugepages (IOVA = VA), only for rte_malloc and memzones.
 */

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_log.h>
#include <rte_memory.h>

#include "fbnic_hw.h"
#include "fbnic_fw.h"
#include "fbnic_tk.h"
#include "fbnic_tlv.h"
#include "fbnic_model.h"
#include "fbnic_model_regs.h"
#include "fbm_fw.h"

int fbnic_logtype_base;

#define POLL_MS		2
#define TIMEOUT_MS	1000
/* EAL arguments the command line may add (the sanitizers', from meson) */
#define EXTRA_EAL_ARGS	8

static struct fbm_dev *dev;
static struct fbnic_hw hw;

static void *
host_dma_map(void *ctx, uint64_t iova, size_t len)
{
	uint8_t *va = (uint8_t *)(uintptr_t)iova;

	(void)ctx;
	/* IOVA = VA: valid only inside memory EAL handed out */
	if (len == 0 || rte_mem_virt2memseg(va, NULL) == NULL ||
	    rte_mem_virt2memseg(va + len - 1, NULL) == NULL)
		return NULL;
	return va;
}

static void
host_log(void *ctx, int level, const char *msg)
{
	(void)ctx;
	if (level <= FBM_LOG_ERR && getenv("FBM_TEST_VERBOSE"))
		fprintf(stderr, "model: %s\n", msg);
}

/*
 * Mailbox state of our own with short waits: fbnic_fw_init() keeps a state
 * it finds, fbnic_fw_release() frees it.
 */
static int
short_waits(void)
{
	hw.mbx = fbnic_osdep_zmalloc("fbnic_fw_mbx", sizeof(*hw.mbx));
	if (hw.mbx == NULL)
		return -ENOMEM;
	hw.mbx->poll_period_ms = POLL_MS;
	hw.mbx->timeout_ms = TIMEOUT_MS;
	return 0;
}

static int
start(const struct fbm_config *in)
{
	static const struct fbm_host_ops ops = {
		.dma_map = host_dma_map,
		.log = host_log,
	};
	struct fbm_config cfg;
	int err;

	if (in == NULL) {
		fbm_config_init(&cfg);
		in = &cfg;
	}
	err = fbm_create(in, &ops, &dev);
	if (err)
		return err;
	memset(&hw, 0, sizeof(hw));
	hw.reg_ops = &fbnic_model_reg_ops;
	hw.reg_ctx = dev;
	return short_waits();
}

static void
stop(void)
{
	fbnic_fw_release(&hw);
	fbm_destroy(dev);
	dev = NULL;
}

static void
sleep_ms(unsigned int ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* Poll (bounded) until the firmware answered the last heartbeat request. */
static bool
heartbeat_answered(void)
{
	unsigned int i;

	for (i = 0; i < TIMEOUT_MS / POLL_MS && !hw.mbx->heartbeat_replied; i++) {
		sleep_ms(POLL_MS);
		fbnic_fw_poll(&hw);
	}
	return hw.mbx->heartbeat_replied;
}

static int
test_bringup_reads_capabilities_and_enables_dma(void)
{
	const struct fbnic_fw_caps *caps;
	struct fbm_config cfg;
	char ver[FBNIC_FW_VER_STR_LEN];

	fbm_config_init(&cfg);
	cfg.fw_version = FBNIC_FW_VER_CODE(25, 5, 7, 3);
	cfg.link_mode = 3;
	cfg.fec = 2;
	TEST_CHECK_EQUAL(start(&cfg), 0);
	TEST_CHECK(fbnic_fw_caps_get(&hw) == NULL);
	TEST_CHECK_EQUAL(fbnic_fw_init(&hw), 0);

	caps = fbnic_fw_caps_get(&hw);
	TEST_CHECK(caps != NULL);
	if (caps != NULL) {
		TEST_CHECK_EQUAL(caps->running.version, cfg.fw_version);
		TEST_CHECK(strcmp(caps->running.commit, "fbm-model") == 0);
		TEST_CHECK_EQUAL(caps->stored.version, cfg.fw_version);
		TEST_CHECK_EQUAL(caps->running_cmrt.version, FBNIC_FW_VER_CODE(1, 0, 0, 0));
		TEST_CHECK(strcmp(caps->stored_uefi.commit, "fbm-uefi") == 0);
		TEST_CHECK_EQUAL(caps->link_mode, 3);
		TEST_CHECK_EQUAL(caps->link_fec, 2);
		TEST_CHECK_EQUAL(caps->active_slot, 1);
		TEST_CHECK(!caps->bmc_present);
		fbnic_fw_ver_str(caps->running.version, ver, sizeof(ver));
		TEST_CHECK(strcmp(ver, "25.5.7.3") == 0);
	}
	/* Bus mastering on in both directions; 15 RX buffers posted */
	TEST_CHECK(fbm_read32(dev, 0, 4 * FBNIC_PUL_OB_TLP_HDR_AW_CFG) &
	      FBNIC_PUL_OB_TLP_HDR_AW_CFG_BME);
	TEST_CHECK(fbm_read32(dev, 0, 4 * FBNIC_PUL_OB_TLP_HDR_AR_CFG) &
	      FBNIC_PUL_OB_TLP_HDR_AR_CFG_BME);
	TEST_CHECK_EQUAL((hw.mbx->ring[0].tail - hw.mbx->ring[0].head) & 15, 15);
	/* vector 0 unmasked, its status acknowledged */
	TEST_CHECK_EQUAL(fbm_read32(dev, 0, 4 * FBNIC_INTR_MASK(0)) & 1, 0);
	TEST_CHECK_EQUAL(fbm_read32(dev, 0, 4 * FBNIC_INTR_SW_AC_MODE(0)) & 1, 0);

	fbnic_fw_release(&hw);
	TEST_CHECK_EQUAL(fbm_read32(dev, 0, 4 * FBNIC_INTR_MASK(0)) & 1, 1);
	TEST_CHECK_EQUAL(fbm_read32(dev, 0, 4 * FBNIC_PUL_OB_TLP_HDR_AW_CFG) &
		 FBNIC_PUL_OB_TLP_HDR_AW_CFG_BME, 0);
	TEST_CHECK_EQUAL(fbm_read32(dev, 0, 4 * FBNIC_PUL_OB_TLP_HDR_AR_CFG) &
		 FBNIC_PUL_OB_TLP_HDR_AR_CFG_BME, 0);
	TEST_CHECK(hw.mbx == NULL);

	/* and it comes back */
	TEST_CHECK_EQUAL(short_waits(), 0);
	TEST_CHECK_EQUAL(fbnic_fw_init(&hw), 0);
	TEST_CHECK(fbnic_fw_caps_get(&hw) != NULL);
	stop();
	return TEST_SUCCESS;
}

static int
test_bringup_with_bmc_reads_its_addresses(void)
{
	const struct fbnic_fw_caps *caps;
	struct fbm_fw_info info;
	struct fbm_config cfg;

	fbm_config_init(&cfg);
	cfg.bmc_present = true;
	TEST_CHECK_EQUAL(start(&cfg), 0);
	fbm_fw_info_get(dev, &info);
	info.bmc_mac_count = 2;
	memcpy(info.bmc_mac[1], "\x02\x01\x02\x03\x04\x05", 6);
	info.anti_rollback = 9;
	fbm_fw_info_set(dev, &info);

	TEST_CHECK_EQUAL(fbnic_fw_init(&hw), 0);
	caps = fbnic_fw_caps_get(&hw);
	TEST_CHECK(caps != NULL);
	if (caps != NULL) {
		TEST_CHECK(caps->bmc_present);
		TEST_CHECK_EQUAL(caps->bmc_mac_count, 2);
		TEST_CHECK(memcmp(caps->bmc_mac[0], info.bmc_mac[0], 6) == 0);
		TEST_CHECK(memcmp(caps->bmc_mac[1], info.bmc_mac[1], 6) == 0);
		TEST_CHECK_EQUAL(caps->anti_rollback, 9);
	}
	TEST_CHECK(hw.bmc_present);
	stop();
	return TEST_SUCCESS;
}

static int
test_old_firmware_is_refused(void)
{
	struct fbm_config cfg;

	fbm_config_init(&cfg);
	cfg.fw_version = FBNIC_FW_VER_CODE(0, 10, 5, 255);
	TEST_CHECK_EQUAL(start(&cfg), 0);
	TEST_CHECK_EQUAL(fbnic_fw_init(&hw), -EOPNOTSUPP);
	TEST_CHECK(fbnic_fw_caps_get(&hw) == NULL);
	stop();

	/* the minimum itself is fine */
	cfg.fw_version = FBNIC_FW_VER_CODE(0, 10, 6, 0);
	TEST_CHECK_EQUAL(start(&cfg), 0);
	TEST_CHECK_EQUAL(fbnic_fw_init(&hw), 0);
	stop();
	return TEST_SUCCESS;
}

static int
test_silent_firmware_times_out(void)
{
	struct fbm_config cfg;
	uint64_t t0, dt;

	fbm_config_init(&cfg);
	cfg.faults = 1u << FBM_FAULT_FW_SILENT;
	TEST_CHECK_EQUAL(start(&cfg), 0);
	t0 = tk_now_ms();
	TEST_CHECK_EQUAL(fbnic_fw_init(&hw), -ETIMEDOUT);
	dt = tk_now_ms() - t0;
	TEST_CHECK(dt >= TIMEOUT_MS);
	TEST_CHECK(dt < 3 * TIMEOUT_MS);
	stop();
	return TEST_SUCCESS;
}

static int
test_bringup_waits_for_firmware_boot(void)
{
	struct fbm_config cfg;
	uint64_t t0;

	fbm_config_init(&cfg);
	cfg.fw_ready_delay_ns = 150 * 1000000ull;
	TEST_CHECK_EQUAL(start(&cfg), 0);
	t0 = tk_now_ms();
	TEST_CHECK_EQUAL(fbnic_fw_init(&hw), 0);
	/* the boot started at fbm_create(), a little before t0 */
	TEST_CHECK(tk_now_ms() - t0 >= 140);
	stop();
	return TEST_SUCCESS;
}

static void *
clear_fault_later(void *arg)
{
	(void)arg;
	sleep_ms(60);
	fbm_fault_set(dev, FBM_FAULT_FW_ERROR_REPLIES, false);
	return NULL;
}

static int
test_cap_request_is_resent_after_fw_err(void)
{
	struct fbm_fw_observed obs;
	pthread_t thr;

	TEST_CHECK_EQUAL(start(NULL), 0);
	fbm_fault_set(dev, FBM_FAULT_FW_ERROR_REPLIES, true);
	TEST_CHECK_EQUAL(pthread_create(&thr, NULL, clear_fault_later, NULL), 0);
	TEST_CHECK_EQUAL(fbnic_fw_init(&hw), 0);
	pthread_join(thr, NULL);
	TEST_CHECK(hw.mbx->ring[1].fw_err >= 1);
	TEST_CHECK(fbnic_fw_caps_get(&hw) != NULL);
	fbm_fw_observe(dev, &obs);
	TEST_CHECK(obs.stats.fw_err_tx >= 1);
	stop();
	return TEST_SUCCESS;
}

static int
test_ownership_and_heartbeat_detect_a_restart(void)
{
	struct fbm_fw_observed obs;
	int i;

	TEST_CHECK_EQUAL(start(NULL), 0);
	TEST_CHECK_EQUAL(fbnic_fw_init(&hw), 0);
	/* No ownership yet: nothing to check */
	TEST_CHECK_EQUAL(fbnic_fw_heartbeat_check(&hw), 0);

	TEST_CHECK_EQUAL(fbnic_fw_ownership(&hw, true), 0);
	fbm_fw_observe(dev, &obs);
	TEST_CHECK(obs.host_owns);
	for (i = 0; i < 3; i++) {
		sleep_ms(20);
		TEST_CHECK_EQUAL(fbnic_fw_heartbeat_check(&hw), 0);
	}
	fbm_fw_observe(dev, &obs);
	/* the fourth request may still be in flight */
	TEST_CHECK(obs.stats.heartbeats >= 3);
	TEST_CHECK(hw.mbx->fw_uptime_ms >= 40);

	/* Firmware reboots: the next reply reports a smaller uptime */
	fbm_fw_restart(dev);
	sleep_ms(20);
	TEST_CHECK_EQUAL(fbnic_fw_heartbeat_check(&hw), -ETIMEDOUT);
	TEST_CHECK_EQUAL(fbnic_fw_heartbeat_check(&hw), -ETIMEDOUT);

	/* Recovery: take ownership again */
	TEST_CHECK_EQUAL(fbnic_fw_ownership(&hw, true), 0);
	sleep_ms(20);
	TEST_CHECK_EQUAL(fbnic_fw_heartbeat_check(&hw), 0);

	TEST_CHECK_EQUAL(fbnic_fw_ownership(&hw, false), 0);
	fbm_fw_observe(dev, &obs);
	TEST_CHECK(!obs.host_owns);
	TEST_CHECK_EQUAL(obs.stats.ownership_releases, 1);
	stop();
	return TEST_SUCCESS;
}

static int
test_heartbeat_detects_silence(void)
{
	TEST_CHECK_EQUAL(start(NULL), 0);
	TEST_CHECK_EQUAL(fbnic_fw_init(&hw), 0);
	TEST_CHECK_EQUAL(fbnic_fw_ownership(&hw, true), 0);
	TEST_CHECK(heartbeat_answered());
	fbm_fault_set(dev, FBM_FAULT_FW_SILENT, true);
	/* Healthy so far: the check sends the next request, which stays unanswered */
	TEST_CHECK_EQUAL(fbnic_fw_heartbeat_check(&hw), 0);
	sleep_ms(20);
	TEST_CHECK_EQUAL(fbnic_fw_heartbeat_check(&hw), -ETIMEDOUT);
	/* a silent firmware cannot be owned */
	TEST_CHECK_EQUAL(fbnic_fw_ownership(&hw, true), -ETIMEDOUT);
	fbm_fault_set(dev, FBM_FAULT_FW_SILENT, false);
	stop();
	return TEST_SUCCESS;
}

/* Have the firmware deliver bytes, then let the driver look at them. */
static void
deliver(const void *msg, uint32_t len, uint32_t desc_len, bool fw_err)
{
	TEST_CHECK_EQUAL(fbm_fw_inject(dev, msg, len, desc_len, fw_err), 0);
	sleep_ms(2);
	fbnic_fw_poll(&hw);
}

static int
test_bad_messages_from_the_device_are_dropped(void)
{
	struct fbnic_fw_ring *r;
	uint64_t bad, fw_err, good;
	uint8_t buf[24];

	TEST_CHECK_EQUAL(start(NULL), 0);
	TEST_CHECK_EQUAL(fbnic_fw_init(&hw), 0);
	r = &hw.mbx->ring[FBNIC_IPC_MBX_RX_IDX];
	bad = hw.mbx->rx_bad;
	good = hw.mbx->rx_msgs;
	fw_err = r->fw_err;

	/* a descriptor length beyond the buffer */
	fbnic_tlv_put_le32(buf, fbnic_tlv_hdr(FBNIC_TLV_MSG_ID_HEARTBEAT_RESP, 1,
					      true, false));
	deliver(buf, 4, 65532, false);
	TEST_CHECK_EQUAL(hw.mbx->rx_bad, bad + 1);

	/* an attribute claiming more than the message */
	fbnic_tlv_put_le32(buf, fbnic_tlv_hdr(FBNIC_TLV_MSG_ID_HEARTBEAT_RESP, 2,
					      true, false));
	fbnic_tlv_put_le32(buf + 4, fbnic_tlv_hdr(0, 200, false, false));
	deliver(buf, 8, 8, false);
	TEST_CHECK_EQUAL(hw.mbx->rx_bad, bad + 2);

	/* a header longer than the descriptor */
	fbnic_tlv_put_le32(buf, fbnic_tlv_hdr(FBNIC_TLV_MSG_ID_HEARTBEAT_RESP, 100,
					      true, false));
	deliver(buf, 4, 4, false);
	TEST_CHECK_EQUAL(hw.mbx->rx_bad, bad + 3);

	/* uptime of the wrong size: 9 bytes, well formed otherwise */
	memset(buf, 0, sizeof(buf));
	fbnic_tlv_put_le32(buf, fbnic_tlv_hdr(FBNIC_TLV_MSG_ID_HEARTBEAT_RESP, 5,
					      true, false));
	fbnic_tlv_put_le32(buf + 4, fbnic_tlv_hdr(0, 4 + 9, false, false));
	memset(buf + 8, 0xff, 9);
	deliver(buf, 20, 20, false);
	TEST_CHECK_EQUAL(hw.mbx->rx_bad, bad + 4);
	TEST_CHECK(!hw.mbx->heartbeat_replied);

	/* FW_ERR and zero length: dropped unparsed */
	deliver(NULL, 0, 0, true);
	TEST_CHECK_EQUAL(r->fw_err, fw_err + 1);
	deliver(NULL, 0, 0, false);
	TEST_CHECK_EQUAL(hw.mbx->rx_bad, bad + 4);
	TEST_CHECK_EQUAL(hw.mbx->rx_msgs, good);

	/* every buffer went back and the mailbox still works */
	TEST_CHECK_EQUAL((r->tail - r->head) & 15, 15);
	TEST_CHECK_EQUAL(fbnic_fw_ownership(&hw, true), 0);
	TEST_CHECK(heartbeat_answered());
	TEST_CHECK_EQUAL(fbnic_fw_heartbeat_check(&hw), 0);
	stop();
	return TEST_SUCCESS;
}

static int
test_requests_get_replies(void)
{
	fbnic_mac_addr_t uc[9], mc[1] = { { 0x01, 0x00, 0x5e, 0x00, 0x00, 0x01 } };
	int32_t mdeg = 0, mv = 0;
	struct fbm_fw_observed obs;
	uint8_t eeprom[256];
	unsigned int i;

	TEST_CHECK_EQUAL(start(NULL), 0);
	TEST_CHECK_EQUAL(fbnic_fw_qsfp_read(&hw, 0, 0, 0, 1, eeprom), -ENODEV);
	TEST_CHECK_EQUAL(fbnic_fw_init(&hw), 0);

	TEST_CHECK_EQUAL(fbnic_fw_self_test(&hw), 0);
	TEST_CHECK_EQUAL(fbnic_fw_tsene_read(&hw, &mdeg, &mv), 0);
	TEST_CHECK_EQUAL(mdeg, 45000);
	TEST_CHECK_EQUAL(mv, 850);

	/* Logs stream: one line now, one per ownership change. */
	TEST_CHECK_EQUAL(fbnic_fw_send_logs(&hw, true), 0);
	TEST_CHECK_EQUAL(fbnic_fw_ownership(&hw, true), 0);
	/* Up to 2 s: the firmware thread may wait for a loaded machine. */
	for (i = 0; i < 1000 && hw.mbx->fw_logs < 2; i++) {
		sleep_ms(2);
		fbnic_fw_poll(&hw);
	}
	TEST_CHECK_EQUAL(hw.mbx->fw_logs, 2);

	memset(eeprom, 0, sizeof(eeprom));
	TEST_CHECK_EQUAL(fbnic_fw_qsfp_read(&hw, 0, 0, 0, 256, eeprom), 0);
	TEST_CHECK_EQUAL(eeprom[0], 0x11);
	TEST_CHECK(memcmp(&eeprom[148], "FBNIC MODEL", 11) == 0);
	TEST_CHECK_EQUAL(fbnic_fw_qsfp_read(&hw, 0, 9, 0, 16, eeprom), -EINVAL);
	TEST_CHECK_EQUAL(fbnic_fw_qsfp_read(&hw, 0, 0, 0, 0, eeprom), -EINVAL);
	TEST_CHECK_EQUAL(fbnic_fw_qsfp_read(&hw, 0, 0, 0, 4000, eeprom), -EINVAL);

	/* Nine unicast addresses: eight listed, PROMISC set (no reply to wait for). */
	for (i = 0; i < RTE_DIM(uc); i++) {
		memset(uc[i], 0, sizeof(uc[i]));
		uc[i][0] = 0x02;
		uc[i][5] = (uint8_t)i;
	}
	TEST_CHECK_EQUAL(fbnic_fw_mac_sync(&hw, (const fbnic_mac_addr_t *)uc, 9,
					   (const fbnic_mac_addr_t *)mc, 1,
					   FBNIC_FW_RPC_MAC_SYNC_RX_FLAGS_BROADCAST), 0);
	/* A request behind it: the firmware takes its mailbox in order. */
	TEST_CHECK_EQUAL(fbnic_fw_qsfp_read(&hw, 0, 0, 0, 1, eeprom), 0);
	fbm_fw_observe(dev, &obs);
	TEST_CHECK(obs.logs_enabled);
	TEST_CHECK_EQUAL(obs.stats.mac_syncs, 1);
	TEST_CHECK_EQUAL(obs.mac_sync_uc, 8);
	TEST_CHECK_EQUAL(obs.mac_sync_mc, 1);
	TEST_CHECK_EQUAL(obs.mac_sync_flags, FBNIC_FW_RPC_MAC_SYNC_RX_FLAGS_BROADCAST |
			 FBNIC_FW_RPC_MAC_SYNC_RX_FLAGS_PROMISC);
	TEST_CHECK_EQUAL(hw.mbx->rx_bad, 0);
	TEST_CHECK_EQUAL(hw.mbx->ring[1].fw_err, 0);

	/* a silent firmware: the wait is bounded */
	fbm_fault_set(dev, FBM_FAULT_FW_SILENT, true);
	TEST_CHECK_EQUAL(fbnic_fw_qsfp_read(&hw, 0, 0, 0, 1, eeprom), -ETIMEDOUT);
	TEST_CHECK_EQUAL(fbnic_fw_tsene_read(&hw, &mdeg, &mv), -ETIMEDOUT);
	fbm_fault_set(dev, FBM_FAULT_FW_SILENT, false);
	stop();
	return TEST_SUCCESS;
}

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint32_t
rng(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (uint32_t)((rng_state * 0x2545f4914f6cdd1dull) >> 32);
}

/* A valid firmware message of a random kind (not FW_CAP_RESP). */
static int
make_reply(uint8_t *buf, size_t cap)
{
	static const uint8_t mac[6] = { 2, 0, 0, 0, 0, 1 };
	struct fbnic_tlv_builder b;

	switch (rng() % 5) {
	case 0:
		fbnic_tlv_msg_init(&b, buf, cap, FBNIC_TLV_MSG_ID_HEARTBEAT_RESP);
		fbnic_tlv_add_u64(&b, FBNIC_FW_HEARTBEAT_UPTIME, rng());
		fbnic_tlv_add_u32(&b, FBNIC_FW_HEARTBEAT_NUMBER_OF_MESSAGES, rng());
		break;
	case 1:
		fbnic_tlv_msg_init(&b, buf, cap, FBNIC_TLV_MSG_ID_OWNERSHIP_RESP);
		fbnic_tlv_add_u64(&b, FBNIC_FW_OWNERSHIP_TIME, rng());
		break;
	case 2:
		fbnic_tlv_msg_init(&b, buf, cap, FBNIC_TLV_MSG_ID_QSFP_READ_RESP);
		fbnic_tlv_add_u32(&b, FBNIC_FW_QSFP_BANK, 0);
		fbnic_tlv_add_u32(&b, FBNIC_FW_QSFP_LENGTH, 6);
		fbnic_tlv_add_bytes(&b, FBNIC_FW_QSFP_DATA, mac, 6);
		break;
	case 3:
		fbnic_tlv_msg_init(&b, buf, cap, FBNIC_TLV_MSG_ID_LOG_MSG_REQ);
		fbnic_tlv_add_u32(&b, FBNIC_FW_LOG_MSEC, rng());
		fbnic_tlv_add_u64(&b, FBNIC_FW_LOG_INDEX, rng());
		fbnic_tlv_add_string(&b, FBNIC_FW_LOG_MSG, "fuzzed log line", 64);
		break;
	default:
		fbnic_tlv_msg_init(&b, buf, cap, FBNIC_TLV_MSG_ID_TEST);
		fbnic_tlv_add_mac(&b, 6, mac);
		fbnic_tlv_nest_start(&b, 11);
		fbnic_tlv_add_mac(&b, 6, mac);
		fbnic_tlv_nest_end(&b);
		break;
	}
	return fbnic_tlv_msg_finish(&b);
}

static int
test_driver_survives_mutated_messages(void)
{
	uint64_t injected = 0, before;
	uint8_t msg[256];
	unsigned int i, j;

	TEST_CHECK_EQUAL(start(NULL), 0);
	TEST_CHECK_EQUAL(fbnic_fw_init(&hw), 0);
	before = hw.mbx->rx_msgs + hw.mbx->rx_bad;
	for (i = 0; i < 400; i++) {
		for (j = 0; j < 15; j++) {
			int len = make_reply(msg, sizeof(msg));
			uint32_t n = len > 0 ? (uint32_t)len : 4;
			uint32_t k, flips = rng() % 4;
			uint32_t desc_len = n;

			for (k = 0; k < flips; k++)
				msg[rng() % n] ^= (uint8_t)(1u << (rng() % 8));
			if (rng() % 8 == 0)
				desc_len = 4 + rng() % 8192;
			if (fbm_fw_inject(dev, msg, n, desc_len, false) == 0)
				injected++;
		}
		/* The firmware posts on register access; the driver takes them */
		for (j = 0; j < 3; j++)
			fbnic_fw_poll(&hw);
	}
	for (j = 0; j < 20; j++)
		fbnic_fw_poll(&hw);
	/* Every message was looked at and either used or counted as bad */
	TEST_CHECK_EQUAL(hw.mbx->rx_msgs + hw.mbx->rx_bad - before, injected);
	TEST_CHECK(hw.mbx->rx_bad > 0);
	TEST_CHECK_EQUAL((hw.mbx->ring[0].tail - hw.mbx->ring[0].head) & 15, 15);
	TEST_CHECK_EQUAL(fbnic_fw_ownership(&hw, true), 0);
	TEST_CHECK(heartbeat_answered());
	TEST_CHECK_EQUAL(fbnic_fw_heartbeat_check(&hw), 0);
	stop();
	return TEST_SUCCESS;
}

int
main(int argc, char **argv)
{
	static const char *const args[] = {
		"--no-huge", "-m", "64", "--no-pci", "--no-shconf",
		"--iova-mode=va", "--no-telemetry", "--log-level=lib.eal:error",
	};
	char *eal_args[2 + RTE_DIM(args) + EXTRA_EAL_ARGS];
	char *copies[RTE_DIM(args)];	/* EAL may reorder eal_args */
	char prefix[64];
	int n = 0;
	size_t i;

	if (argc > 1 + EXTRA_EAL_ARGS) {
		fprintf(stderr, "test_base_fw: at most %d EAL arguments\n", EXTRA_EAL_ARGS);
		return EXIT_FAILURE;
	}
	eal_args[n++] = argv[0];
	for (i = 0; i < RTE_DIM(args); i++)
		eal_args[n++] = copies[i] = strdup(args[i]);
	/* a prefix of our own: never shares anything with another process */
	snprintf(prefix, sizeof(prefix), "--file-prefix=test_base_fw_%d", (int)getpid());
	eal_args[n++] = prefix;
	/* then the command line's */
	for (i = 1; i < (size_t)argc; i++)
		eal_args[n++] = argv[i];
	if (rte_eal_init(n, eal_args) < 0) {
		fprintf(stderr, "test_base_fw: EAL init failed\n");
		return EXIT_FAILURE;
	}
	fbnic_logtype_base = rte_log_register_type_and_pick_level("pmd.net.fbnic.base",
								 RTE_LOG_CRIT);
	if (getenv("FBM_TEST_VERBOSE"))
		rte_log_set_level(fbnic_logtype_base, RTE_LOG_DEBUG);

	TK_RUN(test_bringup_reads_capabilities_and_enables_dma);
	TK_RUN(test_bringup_with_bmc_reads_its_addresses);
	TK_RUN(test_old_firmware_is_refused);
	TK_RUN(test_silent_firmware_times_out);
	TK_RUN(test_bringup_waits_for_firmware_boot);
	TK_RUN(test_cap_request_is_resent_after_fw_err);
	TK_RUN(test_ownership_and_heartbeat_detect_a_restart);
	TK_RUN(test_heartbeat_detects_silence);
	TK_RUN(test_bad_messages_from_the_device_are_dropped);
	TK_RUN(test_requests_get_replies);
	TK_RUN(test_driver_survives_mutated_messages);

	rte_eal_cleanup();
	for (i = 0; i < RTE_DIM(args); i++)
		free(copies[i]);
	return tk_report("test_base_fw");
}
