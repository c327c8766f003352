/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

/*
 * Unit tests of drivers/net/fbnic/base against the software model: the
 * base code reaches the model's registers through struct fbnic_reg_ops, and
 * every check reads the model's registers back and compares them with the
 * values fbnic_hw.rst prescribes.
 */

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_log.h>

#include "fbnic_hw.h"
#include "fbnic_hw_stats.h"
#include "fbnic_mac.h"
#include "fbnic_model.h"
#include "fbnic_rpc.h"
#include "fbnic_txrx_hw.h"

int fbnic_logtype_base;

static int failures;
static int checks;

#define CHECK(cond, ...) do { \
	checks++; \
	if (!(cond)) { \
		failures++; \
		printf("FAIL %s:%d: ", __func__, __LINE__); \
		printf(__VA_ARGS__); \
		printf("\n"); \
	} \
} while (0)

#define CHECK_REG(hw, idx, want) do { \
	uint32_t got_ = fbnic_rd32(hw, idx); \
	CHECK(got_ == (uint32_t)(want), "reg 0x%05x (byte 0x%06x) = 0x%08x, want 0x%08x", \
	      (unsigned int)(idx), (unsigned int)(idx) * 4, got_, (uint32_t)(want)); \
} while (0)

static uint32_t
model_read32(void *ctx, unsigned int bar, uint32_t byte_off)
{
	return fbm_read32(ctx, bar, byte_off);
}

static void
model_write32(void *ctx, unsigned int bar, uint32_t byte_off, uint32_t val)
{
	fbm_write32(ctx, bar, byte_off, val);
}

static const struct fbnic_reg_ops model_ops = {
	.read32 = model_read32,
	.write32 = model_write32,
};

static void
model_log(void *ctx, int level, const char *msg)
{
	(void)ctx;
	if (level <= FBM_LOG_WARNING)
		printf("model: %s\n", msg);
}

static const struct fbm_host_ops host_ops = {
	.log = model_log,
};

#define TEST_DSN	UINT64_C(0x0211223344556677)

/* A fresh model in the given link mode, behind a struct fbnic_hw. */
static struct fbm_dev *
setup(struct fbnic_hw *hw, unsigned int link_mode, unsigned int fec)
{
	struct fbm_config cfg;
	struct fbm_dev *dev = NULL;

	fbm_config_init(&cfg);
	snprintf(cfg.name, sizeof(cfg.name), "base-test");
	cfg.dsn = TEST_DSN;
	cfg.link_mode = link_mode;
	cfg.fec = fec;
	cfg.link_hold_off_ns = 0;
	if (fbm_create(&cfg, &host_ops, &dev) != 0)
		return NULL;
	fbm_wire_none(dev);

	memset(hw, 0, sizeof(*hw));
	hw->reg_ops = &model_ops;
	hw->reg_ctx = dev;
	hw->dsn = TEST_DSN;
	fbnic_link_mode_from_fw(link_mode, fec, &hw->link_aui, &hw->link_fec);
	return dev;
}

static void
teardown(struct fbnic_hw *hw, struct fbm_dev *dev)
{
	fbnic_rpc_fini(hw);
	fbnic_hw_stats_fini(hw);
	fbm_destroy(dev);
}

static void
test_dsn_gives_mac_from_serial_bytes(void)
{
	uint8_t mac[6];
	static const uint8_t want[6] = { 0x02, 0x11, 0x22, 0x55, 0x66, 0x77 };

	CHECK(fbnic_dsn_to_mac(TEST_DSN, mac) == 0, "valid DSN rejected");
	CHECK(memcmp(mac, want, 6) == 0, "MAC %02x:%02x:%02x:%02x:%02x:%02x",
	      mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
	CHECK(fbnic_dsn_to_mac(0, mac) == -EINVAL, "DSN 0 accepted");
	CHECK(fbnic_dsn_to_mac(UINT64_C(0x0100000000000001), mac) == -EINVAL,
	      "multicast MAC accepted");
}

static void
test_init_regs_programs_spec_values(void)
{
	struct fbnic_hw hw;
	struct fbm_dev *dev = setup(&hw, FBNIC_FW_LINK_MODE_100CR2, FBNIC_FW_LINK_FEC_RS);

	CHECK(dev != NULL, "model creation failed");
	if (dev == NULL)
		return;
	fbnic_init_regs(&hw);

	/* Defaults MPS 256 (code 2), MRRS 512 (code 3), cache line 64 (code 0). */
	CHECK_REG(&hw, FBNIC_QM_TNI_TDE_CTL, (704u << 12) | (128u << 4) | 3u);
	CHECK_REG(&hw, FBNIC_QM_TWQ_DEFAULT_META_L, 0x0000000e);
	CHECK_REG(&hw, FBNIC_QM_TWQ_DEFAULT_META_H, 0x00000020);
	CHECK_REG(&hw, FBNIC_QM_TQS_CTL0, 0x21);
	CHECK_REG(&hw, FBNIC_QM_TQS_MTU_CTL0, 9743);
	CHECK_REG(&hw, FBNIC_QM_TQS_MTU_CTL1, 9743);
	CHECK_REG(&hw, FBNIC_QM_TCQ_CTL0, (600u << 16) | 48000u);
	CHECK_REG(&hw, FBNIC_QM_RCQ_CTL0, (600u << 16) | 1200u);
	CHECK_REG(&hw, FBNIC_FAB_AXI4_AR_SPACER_2_CFG, 0x10002);
	CHECK_REG(&hw, FBNIC_RXB_CT_SIZE(4), 4u | (2u << 6));
	CHECK_REG(&hw, FBNIC_RXB_PBUF_CFG(4), 0xc0u << 13);
	CHECK_REG(&hw, FBNIC_RXB_PBUF_CFG(0), 0x1800u | (0x20u << 13));
	CHECK_REG(&hw, FBNIC_RXB_PBUF_CREDIT(4), 0xc0u * 32 + 4);
	CHECK_REG(&hw, FBNIC_RXB_PAUSE_THLD(4), (0xc0u * 32 - 0x380) | (0x380u << 13));
	CHECK_REG(&hw, FBNIC_RXB_PAUSE_THLD(0), 0x1fff);
	CHECK_REG(&hw, FBNIC_RXB_DROP_THLD(4), (0xc0u * 32 - 152) | ((0xc0u * 32 - 152) << 13));
	CHECK_REG(&hw, FBNIC_RXB_ECN_THLD(4), (0xc0u * 8) | ((0xc0u * 8) << 13));
	CHECK_REG(&hw, FBNIC_RXB_PAUSE_DROP_CTRL, 0x7du | (0x10u << 16));
	CHECK_REG(&hw, FBNIC_RXB_INTF_CREDIT, 0x8fff);
	CHECK_REG(&hw, FBNIC_RXB_CLDR_PRIO_CFG(15), 0x1e1b1b1b);
	CHECK_REG(&hw, FBNIC_RXB_ENDIAN_FCS, 0x0aaaaaa0);
	CHECK_REG(&hw, FBNIC_TCE_TXB_MC_Q_CTRL, 0x400u << 11);
	CHECK_REG(&hw, FBNIC_TCE_TXB_RX_BMC_Q_CTRL, 0x600u | (0x200u << 11));
	CHECK_REG(&hw, FBNIC_TCE_LSO_CTRL, (1u << 27) | 0x09u | (0x89u << 9) | (0x80u << 18));
	CHECK_REG(&hw, FBNIC_TCE_BMC_MAX_PKTSZ, 9742u | (9742u << 14));
	CHECK_REG(&hw, FBNIC_TCE_SOP_PROT_CTRL, 0x78u | (0x40u << 8) | (0x0cu << 15));
	CHECK_REG(&hw, FBNIC_TMI_SOP_PROT_CTRL, 8);
	CHECK_REG(&hw, FBNIC_TCE_TXB_CTRL, 0x3);
	teardown(&hw, dev);
}

static void
test_rss_key_bytes_land_big_endian_in_registers(void)
{
	uint8_t key[FBNIC_RSS_KEY_SIZE], back[FBNIC_RSS_KEY_SIZE];
	uint32_t regs[FBNIC_RSS_KEY_WORDS];
	struct fbnic_hw hw;
	struct fbm_dev *dev;
	unsigned int i;

	for (i = 0; i < sizeof(key); i++)
		key[i] = (uint8_t)(0xa0 + i);
	fbnic_rss_key_to_regs(key, regs);
	CHECK(regs[0] == 0xa0a1a2a3, "key word 0 = 0x%08x", regs[0]);
	CHECK(regs[12] == 0xd0d1d2d3, "key word 12 = 0x%08x", regs[12]);
	/* 425 bits: word 13 keeps byte 52 and the top bit of byte 53 (0xd5). */
	CHECK(regs[13] == 0xd4800000, "key word 13 = 0x%08x", regs[13]);
	fbnic_rss_regs_to_key(regs, back);
	CHECK(memcmp(back, key, 53) == 0 && back[53] == 0x80, "key round trip");

	dev = setup(&hw, FBNIC_FW_LINK_MODE_25CR, FBNIC_FW_LINK_FEC_RS);
	CHECK(dev != NULL && fbnic_rpc_init(&hw) == 0, "setup");
	if (dev == NULL || hw.rpc == NULL)
		return;
	CHECK(fbnic_rpc_set_rss_key(&hw, key, 40) == -EINVAL, "short key accepted");
	CHECK(fbnic_rpc_set_rss_key(&hw, key, sizeof(key)) == 0, "key rejected");
	fbnic_rpc_set_nb_rx_queues(&hw, 3);
	fbnic_rss_write_hw(&hw);
	for (i = 0; i < FBNIC_RSS_KEY_WORDS; i++)
		CHECK_REG(&hw, FBNIC_RPC_RSS_KEY(i), regs[i]);
	CHECK_REG(&hw, FBNIC_RPC_RSS_TBL(0, 7), 7 % 3);
	CHECK_REG(&hw, FBNIC_RPC_RSS_TBL(1, 255), 255 % 3);
	CHECK_REG(&hw, FBNIC_RPC_ACT_TBL0_DEFAULT, FBNIC_RPC_ACT_TBL0_DROP);
	CHECK_REG(&hw, FBNIC_RPC_RMI_CONFIG, (9742u << 16) | (1u << 12) | 20u);

	fbnic_rss_disable_hw(&hw);
	CHECK_REG(&hw, FBNIC_RPC_RMI_CONFIG, 20u);

	/* A user table survives a queue count change unless it names a lost queue. */
	{
		uint16_t reta[FBNIC_RSS_RETA_SIZE], back[FBNIC_RSS_RETA_SIZE];

		for (i = 0; i < FBNIC_RSS_RETA_SIZE; i++)
			reta[i] = (uint16_t)(2 - i % 3);
		CHECK(fbnic_rpc_set_reta(&hw, 0, reta, FBNIC_RSS_RETA_SIZE) == 0, "set RETA");
		reta[9] = 3;
		CHECK(fbnic_rpc_set_reta(&hw, 1, reta, FBNIC_RSS_RETA_SIZE) == -EINVAL,
		      "queue 3 of 3 accepted");
		fbnic_rpc_set_nb_rx_queues(&hw, 4);
		fbnic_rpc_get_reta(&hw, 0, back, FBNIC_RSS_RETA_SIZE);
		CHECK(back[0] == 2 && back[1] == 1 && back[255] == 2 - 255 % 3, "user table lost");
		fbnic_rpc_get_reta(&hw, 1, back, FBNIC_RSS_RETA_SIZE);
		CHECK(back[5] == 1, "default table not respread (entry 5 -> %u)", back[5]);
		fbnic_rpc_set_nb_rx_queues(&hw, 2);
		fbnic_rpc_get_reta(&hw, 0, back, FBNIC_RSS_RETA_SIZE);
		CHECK(back[0] == 0 && back[1] == 1 && back[2] == 0, "stale user table kept");
	}
	teardown(&hw, dev);
}

static void
test_rss_action_entries_follow_flow_types(void)
{
	struct fbnic_hw hw;
	struct fbm_dev *dev = setup(&hw, FBNIC_FW_LINK_MODE_25CR, FBNIC_FW_LINK_FEC_RS);
	const uint32_t tcp4 = FBNIC_ACT1_L4_VALID | FBNIC_ACT1_IP_VALID | FBNIC_ACT1_MACDA_VALID;

	CHECK(dev != NULL && fbnic_rpc_init(&hw) == 0, "setup");
	if (dev == NULL || hw.rpc == NULL)
		return;
	fbnic_rss_reinit(&hw);
	fbnic_rpc_write_rules(&hw);

	/* 57 UDP6 ... 60 TCP4 ... 63 other; no BMC, so 50-56 stay empty. */
	CHECK_REG(&hw, FBNIC_RPC_TCAM_ACT(60, 1), ((~tcp4 & 0xffff) << 16) | tcp4);
	CHECK_REG(&hw, FBNIC_RPC_TCAM_ACT(60, 0), 0xffff0000);
	CHECK_REG(&hw, FBNIC_RPC_TCAM_ACT(60, 11), FBNIC_RPC_TCAM_VALIDATE);
	CHECK_REG(&hw, FBNIC_RPC_ACT_TBL0(60), (1u << 1) | (4u << 16));
	CHECK_REG(&hw, FBNIC_RPC_ACT_TBL1(60), 0xf);
	CHECK_REG(&hw, FBNIC_RPC_ACT_TBL1(58), 0x3);
	CHECK_REG(&hw, FBNIC_RPC_ACT_TBL1(63), 0x10);
	CHECK_REG(&hw, FBNIC_RPC_TCAM_ACT(63, 1), ((~FBNIC_ACT1_MACDA_VALID & 0xffff) << 16) |
						 FBNIC_ACT1_MACDA_VALID);
	CHECK_REG(&hw, FBNIC_RPC_TCAM_ACT(56, 11), 0);

	/* Discarding a flow type turns its entry into a drop. */
	CHECK(fbnic_rpc_set_hash_fields(&hw, FBNIC_RSS_FLOW_IP4, FBNIC_RSS_F_L4_SRC) == -EINVAL,
	      "ports accepted for IPv4 other");
	CHECK(fbnic_rpc_set_hash_fields(&hw, FBNIC_RSS_FLOW_UDP4, FBNIC_RSS_F_DISCARD) == 0,
	      "discard rejected");
	fbnic_rss_reinit(&hw);
	fbnic_rpc_write_rules(&hw);
	CHECK_REG(&hw, FBNIC_RPC_ACT_TBL0(58), FBNIC_RPC_ACT_TBL0_DROP | (4u << 16));

	/* Close: every action entry invalidated, RPC disabled. */
	fbnic_rpc_clear_rules(&hw);
	CHECK_REG(&hw, FBNIC_RPC_TCAM_ACT(60, 11), 0);
	CHECK_REG(&hw, FBNIC_RPC_TCAM_ACT(60, 1), 0);
	CHECK_REG(&hw, FBNIC_RPC_RMI_CONFIG, 20u);
	/* Reopen rewrites them from the shadow. */
	fbnic_rpc_write_rules(&hw);
	CHECK_REG(&hw, FBNIC_RPC_TCAM_ACT(60, 11), FBNIC_RPC_TCAM_VALIDATE);
	teardown(&hw, dev);
}

static void
test_macda_entries_and_overflow_to_allmulti(void)
{
	static const uint8_t own[6] = { 0x02, 0x11, 0x22, 0x33, 0x44, 0x55 };
	uint8_t mc[20][6];
	uint8_t uc[1][6] = { { 0x02, 0, 0, 0, 0, 0x09 } };
	bool uc_over = true, mc_over = true;
	struct fbnic_hw hw;
	struct fbm_dev *dev = setup(&hw, FBNIC_FW_LINK_MODE_25CR, FBNIC_FW_LINK_FEC_RS);
	unsigned int i;

	CHECK(dev != NULL && fbnic_rpc_init(&hw) == 0, "setup");
	if (dev == NULL || hw.rpc == NULL)
		return;
	for (i = 0; i < 20; i++) {
		static const uint8_t base[6] = { 0x01, 0x00, 0x5e, 0, 0, 0 };

		memcpy(mc[i], base, 6);
		mc[i][5] = (uint8_t)(i + 1);
	}

	CHECK(fbnic_rpc_set_rx_mode(&hw, own, (const uint8_t (*)[6])uc, 1,
				    (const uint8_t (*)[6])mc, 2, false, false,
				    &uc_over, &mc_over) == 0, "rx mode");
	CHECK(!uc_over && !mc_over, "unexpected overflow");
	/* Own MAC at 30: word 0 = bytes 4-5, word 2 = bytes 0-1, mask 0. */
	CHECK_REG(&hw, FBNIC_RPC_TCAM_MACDA(30, 0), 0x4455);
	CHECK_REG(&hw, FBNIC_RPC_TCAM_MACDA(30, 1), 0x2233);
	CHECK_REG(&hw, FBNIC_RPC_TCAM_MACDA(30, 2), 0x0211);
	CHECK_REG(&hw, FBNIC_RPC_TCAM_MACDA(30, 3), FBNIC_RPC_TCAM_VALIDATE);
	CHECK_REG(&hw, FBNIC_RPC_TCAM_MACDA(4, 2), 0xffff);
	/* Extra unicast from 29 down, multicast from 5 up. */
	CHECK_REG(&hw, FBNIC_RPC_TCAM_MACDA(29, 0), 0x0009);
	CHECK_REG(&hw, FBNIC_RPC_TCAM_MACDA(5, 0), 0x0001);
	CHECK_REG(&hw, FBNIC_RPC_TCAM_MACDA(6, 0), 0x0002);
	CHECK_REG(&hw, FBNIC_RPC_TCAM_MACDA(31, 3), 0);

	/* 20 groups do not fit in 5-23: entry 31 becomes all-multicast. */
	CHECK(fbnic_rpc_set_rx_mode(&hw, own, NULL, 0, (const uint8_t (*)[6])mc, 20, false,
				    false, &uc_over, &mc_over) == 0, "rx mode");
	CHECK(mc_over && !uc_over, "overflow not reported");
	CHECK_REG(&hw, FBNIC_RPC_TCAM_MACDA(31, 2), (0xfeffu << 16) | 0x0100);
	CHECK_REG(&hw, FBNIC_RPC_TCAM_MACDA(31, 0), 0xffff0000);
	CHECK_REG(&hw, FBNIC_RPC_TCAM_MACDA(31, 3), FBNIC_RPC_TCAM_VALIDATE);
	/* The unicast address left the list: its entry is zeroed. */
	CHECK_REG(&hw, FBNIC_RPC_TCAM_MACDA(29, 3), 0);
	CHECK_REG(&hw, FBNIC_RPC_TCAM_MACDA(29, 0), 0);

	/* Promiscuous: value 0, mask all ones. */
	CHECK(fbnic_rpc_set_rx_mode(&hw, own, NULL, 0, NULL, 0, true, false, NULL, NULL) == 0,
	      "promisc");
	CHECK_REG(&hw, FBNIC_RPC_TCAM_MACDA(31, 2), 0xffff0000);
	CHECK_REG(&hw, FBNIC_RPC_TCAM_MACDA(5, 3), 0);
	/* Close, then reopen without promiscuous mode: entry 31 must not come back. */
	fbnic_rpc_clear_rules(&hw);
	CHECK_REG(&hw, FBNIC_RPC_TCAM_MACDA(31, 3), 0);
	CHECK_REG(&hw, FBNIC_RPC_TCAM_MACDA(30, 3), 0);
	CHECK(fbnic_rpc_set_rx_mode(&hw, own, NULL, 0, NULL, 0, false, false, NULL, NULL) == 0,
	      "plain");
	CHECK_REG(&hw, FBNIC_RPC_TCAM_MACDA(31, 3), 0);

	/* Invalid own MAC rejected, nothing written. */
	CHECK(fbnic_rpc_set_rx_mode(&hw, mc[0], NULL, 0, NULL, 0, false, false, NULL, NULL) ==
	      -EINVAL, "multicast own MAC accepted");
	teardown(&hw, dev);
}

static void
test_bmc_addresses_share_the_classifier(void)
{
	static const uint8_t own[6] = { 0x02, 0x11, 0x22, 0x33, 0x44, 0x55 };
	static const uint8_t bmc[2][6] = {
		{ 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 },
		{ 0x33, 0x33, 0x00, 0x00, 0x00, 0x01 },
	};
	struct fbnic_hw hw;
	struct fbm_dev *dev = setup(&hw, FBNIC_FW_LINK_MODE_25CR, FBNIC_FW_LINK_FEC_RS);
	const uint32_t to_bmc = 2u << 1;

	CHECK(dev != NULL && fbnic_rpc_init(&hw) == 0, "setup");
	if (dev == NULL || hw.rpc == NULL)
		return;
	hw.bmc_present = true;
	CHECK(fbnic_rpc_bmc_init(&hw, bmc, 2, true) == 0, "BMC init");
	fbnic_rss_reinit(&hw);
	CHECK(fbnic_rpc_set_rx_mode(&hw, own, NULL, 0, NULL, 0, false, false, NULL, NULL) == 0,
	      "rx mode");

	/* BMC unicast at 0; its multicast group sifted from 5 into 1. */
	CHECK_REG(&hw, FBNIC_RPC_TCAM_MACDA(0, 0), 0x0001);
	CHECK_REG(&hw, FBNIC_RPC_TCAM_MACDA(0, 3), FBNIC_RPC_TCAM_VALIDATE);
	CHECK_REG(&hw, FBNIC_RPC_TCAM_MACDA(1, 2), 0x3333);
	CHECK_REG(&hw, FBNIC_RPC_TCAM_MACDA(1, 3), FBNIC_RPC_TCAM_VALIDATE);
	CHECK_REG(&hw, FBNIC_RPC_TCAM_MACDA(5, 3), 0);
	/* BMC all-multicast catch at 23, steered to the BMC by action entry 1. */
	CHECK_REG(&hw, FBNIC_RPC_TCAM_MACDA(23, 2), (0xfeffu << 16) | 0x0100);
	CHECK_REG(&hw, FBNIC_RPC_TCAM_ACT(1, 1), (0xf81fu << 16) | (23u << 5) | 0x400);
	CHECK_REG(&hw, FBNIC_RPC_ACT_TBL0(1), to_bmc);
	/* Action entry 0: MAC-DA hits 0-3 to the BMC. */
	CHECK_REG(&hw, FBNIC_RPC_TCAM_ACT(0, 1), (0xf87fu << 16) | 0x400);
	CHECK_REG(&hw, FBNIC_RPC_TCAM_ACT(0, 11), FBNIC_RPC_TCAM_VALIDATE);
	/* Host unicast RSS entries exist with a BMC, any-hit entries also go to it. */
	CHECK_REG(&hw, FBNIC_RPC_TCAM_ACT(53, 11), FBNIC_RPC_TCAM_VALIDATE);
	CHECK_REG(&hw, FBNIC_RPC_ACT_TBL0(53), (1u << 1) | (4u << 16));
	CHECK_REG(&hw, FBNIC_RPC_ACT_TBL0(60), (3u << 1) | (4u << 16));
	/* TX TCAM: BMC unicast, its group, broadcast, all-multicast. */
	CHECK_REG(&hw, FBNIC_TCE_TCAM_IDX2DEST_MAP, 0x3332);
	CHECK_REG(&hw, FBNIC_TCE_RAM_TCAM(0, 0), 0x00010000);
	CHECK_REG(&hw, FBNIC_TCE_RAM_TCAM3(0), 0x800000b8);
	CHECK_REG(&hw, FBNIC_TCE_RAM_TCAM3(4), 0);

	/* The host joins the BMC's group: it moves back to the shared area. */
	CHECK(fbnic_rpc_set_rx_mode(&hw, own, NULL, 0, &bmc[1], 1, false, true, NULL, NULL) == 0,
	      "rx mode");
	CHECK_REG(&hw, FBNIC_RPC_TCAM_MACDA(5, 2), 0x3333);
	CHECK_REG(&hw, FBNIC_RPC_TCAM_MACDA(1, 3), 0);
	/* Host all-multicast: entry 23 now feeds the RSS rules, action entry 1 goes. */
	CHECK_REG(&hw, FBNIC_RPC_TCAM_ACT(1, 11), 0);
	CHECK_REG(&hw, FBNIC_RPC_TCAM_MACDA(31, 3), 0);

	/* Close keeps the BMC path: entry 63 to the BMC only, RPC left enabled. */
	fbnic_rss_write_hw(&hw);
	fbnic_rpc_clear_rules(&hw);
	CHECK_REG(&hw, FBNIC_RPC_ACT_TBL0(63), to_bmc);
	CHECK_REG(&hw, FBNIC_RPC_TCAM_ACT(63, 11), FBNIC_RPC_TCAM_VALIDATE);
	CHECK_REG(&hw, FBNIC_RPC_TCAM_ACT(60, 11), 0);
	CHECK_REG(&hw, FBNIC_RPC_TCAM_MACDA(0, 3), FBNIC_RPC_TCAM_VALIDATE);
	CHECK_REG(&hw, FBNIC_RPC_TCAM_MACDA(30, 3), 0);
	CHECK(fbnic_rd32(&hw, FBNIC_RPC_RMI_CONFIG) & FBNIC_RPC_RMI_CONFIG_ENABLE, "RPC off");
	teardown(&hw, dev);
}

static void
test_ntuple_rule_uses_ip_tcam_and_frees_it(void)
{
	struct fbnic_ntuple r;
	struct fbnic_hw hw;
	struct fbm_dev *dev = setup(&hw, FBNIC_FW_LINK_MODE_25CR, FBNIC_FW_LINK_FEC_RS);
	int loc, i, n;

	CHECK(dev != NULL && fbnic_rpc_init(&hw) == 0, "setup");
	if (dev == NULL || hw.rpc == NULL)
		return;
	fbnic_rpc_set_nb_rx_queues(&hw, 4);

	memset(&r, 0, sizeof(r));
	r.type = FBNIC_NTUPLE_IPV4;
	r.l4_proto = 6;
	r.dst_ip[0] = 10;
	memset(r.dst_mask, 0xff, 3);		/* 10.0.0.0/24 */
	r.dport = 80;
	r.dport_mask = 0xffff;
	r.action = FBNIC_NTUPLE_ACT_QUEUE;
	r.queue = 2;
	loc = fbnic_rpc_ntuple_add(&hw, &r, true);
	CHECK(loc == FBNIC_ACT_NTUPLE_ENTRIES - 1, "location %d", loc);
	if (loc < 0) {
		teardown(&hw, dev);
		return;
	}
	/* The /24 sits in some IP destination entry e: word 0 mask 0x00ff. */
	for (i = 0, n = -1; i < FBNIC_TCAM_IP_ENTRIES; i++)
		if (fbnic_rd32(&hw, FBNIC_RPC_TCAM_IPDST(i, 8)) == FBNIC_RPC_TCAM_VALIDATE)
			n = i;
	CHECK(n >= 0, "no valid IP destination entry");
	if (n >= 0) {
		CHECK_REG(&hw, FBNIC_RPC_TCAM_IPDST(n, 0), 0x00ff0000);
		CHECK_REG(&hw, FBNIC_RPC_TCAM_IPDST(n, 1), 0x00000a00);
		CHECK_REG(&hw, FBNIC_RPC_TCAM_IPDST(n, 2), 0xffff0000);
		CHECK_REG(&hw, FBNIC_RPC_TCAM_ACT(2 + loc, 0),
			  ((~(0xf0u) & 0xffff) << 16) | 0x80u | ((uint32_t)n << 4));
	}
	CHECK_REG(&hw, FBNIC_RPC_TCAM_ACT(2 + loc, 4), 80);
	CHECK_REG(&hw, FBNIC_RPC_TCAM_ACT(2 + loc, 3), 0xffff0000);
	CHECK_REG(&hw, FBNIC_RPC_ACT_TBL0(2 + loc), (1u << 1) | (1u << 4) | (2u << 8) | (4u << 16));
	CHECK_REG(&hw, FBNIC_RPC_TCAM_ACT(2 + loc, 11), FBNIC_RPC_TCAM_VALIDATE);

	r.queue = 4;
	CHECK(fbnic_rpc_ntuple_add(&hw, &r, true) == -EINVAL, "queue 4 of 4 accepted");

	CHECK(fbnic_rpc_ntuple_del(&hw, loc, true) == 0, "delete");
	CHECK_REG(&hw, FBNIC_RPC_TCAM_ACT(2 + loc, 11), 0);
	if (n >= 0)
		CHECK_REG(&hw, FBNIC_RPC_TCAM_IPDST(n, 8), 0);
	CHECK(fbnic_rpc_ntuple_del(&hw, loc, true) == -ENOENT, "double delete");

	/* 48 port rules fill 2-49; the 49th finds no room. */
	memset(&r, 0, sizeof(r));
	r.type = FBNIC_NTUPLE_IPV6;
	r.l4_proto = 17;
	r.action = FBNIC_NTUPLE_ACT_DROP;
	r.sport_mask = 0xffff;
	for (i = 0; i < FBNIC_ACT_NTUPLE_ENTRIES; i++) {
		r.sport = (uint16_t)(1000 + i);
		if (fbnic_rpc_ntuple_add(&hw, &r, false) < 0)
			break;
	}
	CHECK(i == FBNIC_ACT_NTUPLE_ENTRIES, "only %d rules fit", i);
	CHECK(fbnic_rpc_ntuple_add(&hw, &r, false) == -ENOSPC, "49th rule accepted");
	teardown(&hw, dev);
}

static void
test_link_check_reports_pcs_link_and_loss(void)
{
	struct fbnic_hw hw;
	struct fbm_dev *dev = setup(&hw, FBNIC_FW_LINK_MODE_50CR2, FBNIC_FW_LINK_FEC_BASER);
	bool link = false;
	unsigned int i;

	CHECK(dev != NULL, "setup");
	if (dev == NULL)
		return;
	CHECK(hw.link_aui == FBNIC_AUI_LAUI2 && hw.link_fec == FBNIC_FEC_BASER, "mode");
	CHECK(fbnic_link_speed_mbps(hw.link_aui) == 50000, "speed");
	hw.link_hold_off_ms = 0;
	fbnic_init_regs(&hw);
	CHECK(fbnic_pcs_setup(&hw) == 0, "PCS setup");
	CHECK((fbnic_xpcs_read(&hw, 0, FBNIC_XPCS_CTRL1) & FBNIC_XPCS_CTRL1_SPEEDSEL) ==
	      FBNIC_XPCS_CTRL1_SPEED50G, "PCS speed");
	fbnic_pcs_prepare(&hw);
	fbnic_mac_link_down(&hw);
	for (i = 0; i < 1000 && !link; i++) {
		link = fbnic_pcs_link_check(&hw, hw.link_aui, hw.link_fec);
		if (!link)
			fbnic_osdep_usleep(1000);
	}
	CHECK(link, "no link after %u checks", i);
	CHECK_REG(&hw, FBNIC_SIG_PCS_INTR_MASK, ~0x3u);
	fbnic_hw_set_defaults(&hw);
	hw.link_hold_off_ms = 0;
	fbnic_mac_link_up(&hw, true, true);
	CHECK_REG(&hw, FBNIC_RXB_PAUSE_DROP_CTRL,
		  0x7du | (0x14u << 8) | (0x10u << 16) | (1u << 24));
	CHECK_REG(&hw, FBNIC_RXB_PAUSE_STORM(0), 500u * 100);
	CHECK_REG(&hw, FBNIC_RXB_PAUSE_STORM_UNIT_WR, 6000);
	CHECK(fbnic_mac_tx_pause_enabled(&hw), "TX pause off");
	CHECK(fbnic_mac_ps_protect_to_config(&hw, 20000) == -EINVAL, "20 s storm timeout");
	fbnic_mac_link_up(&hw, false, false);
	CHECK_REG(&hw, FBNIC_RXB_PAUSE_DROP_CTRL, 0x7du | (0x10u << 16));
	CHECK((fbnic_rd32(&hw, FBNIC_MAC_COMMAND_CONFIG) & 0x3) == 0x3, "MAC TX/RX off");
	CHECK(!fbnic_mac_tx_pause_enabled(&hw), "TX pause on");
	CHECK(fbnic_xpcs_link_status(&hw), "XPCS link status");

	/* The wrong FEC's lock field does not count as link. */
	CHECK(!fbnic_pcs_link_status(&hw, hw.link_aui, FBNIC_FEC_RS), "RS lock on Base-R link");

	fbm_fault_set(dev, FBM_FAULT_LINK_DOWN, true);
	CHECK(fbnic_pcs_get_link_event(&hw) == FBNIC_LINK_EVENT_DOWN, "no link-down event");
	CHECK(!fbnic_pcs_link_check(&hw, hw.link_aui, hw.link_fec), "link survives loss");
	CHECK(fbnic_pcs_get_link_event(&hw) == FBNIC_LINK_EVENT_NONE, "event not cleared");

	/* PCS loopback brings the PCS back without the wire. */
	CHECK(fbnic_pcs_loopback(&hw, true) == 0, "loopback on");
	CHECK(fbnic_xpcs_read(&hw, 0, FBNIC_XPCS_CTRL1) & FBNIC_XPCS_CTRL1_LOOPBACK, "bit 14");
	for (i = 0, link = false; i < 1000 && !link; i++) {
		link = fbnic_pcs_link_check(&hw, hw.link_aui, hw.link_fec);
		if (!link)
			fbnic_osdep_usleep(1000);
	}
	CHECK(link, "no link in PCS loopback");
	CHECK(fbnic_pcs_loopback(&hw, false) == 0, "loopback off");
	CHECK(!(fbnic_xpcs_read(&hw, 0, FBNIC_XPCS_CTRL1) & FBNIC_XPCS_CTRL1_LOOPBACK), "bit 14");

	fbnic_mac_link_down(&hw);
	CHECK((fbnic_rd32(&hw, FBNIC_MAC_COMMAND_CONFIG) & 0x3) == 0, "MAC still on");
	teardown(&hw, dev);
}

static void
test_link_hold_off_delays_link(void)
{
	struct fbnic_hw hw;
	struct fbm_dev *dev = setup(&hw, FBNIC_FW_LINK_MODE_25CR, FBNIC_FW_LINK_FEC_NONE);
	bool link = false;
	uint64_t t0;
	unsigned int i;

	CHECK(dev != NULL, "setup");
	if (dev == NULL)
		return;
	/* No signal at prepare time: training starts when the signal appears. */
	fbm_fault_set(dev, FBM_FAULT_LINK_DOWN, true);
	hw.link_hold_off_ms = 50;
	fbnic_pcs_prepare(&hw);
	CHECK(!fbnic_pcs_link_check(&hw, hw.link_aui, hw.link_fec), "link without signal");
	fbm_fault_set(dev, FBM_FAULT_LINK_DOWN, false);
	t0 = fbnic_osdep_time_ms();
	CHECK(!fbnic_pcs_link_check(&hw, hw.link_aui, hw.link_fec), "link before hold-off");
	for (i = 0; i < 400 && !link; i++) {
		link = fbnic_pcs_link_check(&hw, hw.link_aui, hw.link_fec);
		if (!link)
			fbnic_osdep_usleep(1000);
	}
	CHECK(link, "no link after hold-off");
	CHECK(fbnic_osdep_time_ms() - t0 >= 50, "link after %u ms",
	      (unsigned int)(fbnic_osdep_time_ms() - t0));
	teardown(&hw, dev);
}

static void
test_queue_enable_programs_ring_and_disable_idles(void)
{
	struct fbnic_txq_hw_cfg tx = {
		.qid = 3, .twq0_iova = UINT64_C(0x123456780000), .twq0_log2 = 10,
		.tcq_iova = UINT64_C(0x123456790000), .tcq_log2 = 10, .vector = 2,
	};
	struct fbnic_rxq_hw_cfg rx = {
		.qid = 5, .hpq_iova = UINT64_C(0x200000), .hpq_log2 = 9,
		.ppq_iova = UINT64_C(0x300000), .ppq_log2 = 12,
		.rcq_iova = UINT64_C(0x400000), .rcq_log2 = 16,
		.drop_mode = FBNIC_QUEUE_RDE_CTL0_DROP_NEVER, .min_hroom = 128, .min_troom = 64,
		.max_hdr = 0, .vector = 3, .rim_threshold = 8,
	};
	struct fbnic_hw hw;
	struct fbm_dev *dev = setup(&hw, FBNIC_FW_LINK_MODE_25CR, FBNIC_FW_LINK_FEC_RS);

	CHECK(dev != NULL, "setup");
	if (dev == NULL)
		return;
	CHECK(fbnic_txq_hw_enable(&hw, &tx) == 0, "TX enable");
	CHECK(fbnic_rxq_hw_enable(&hw, &rx) == 0, "RX enable");
	fbnic_hw_flush(&hw);
	CHECK(fbnic_queue_rd32(&hw, 3, FBNIC_QUEUE_TWQ0_BAL) == 0x56780000, "TWQ0 BAL");
	CHECK(fbnic_queue_rd32(&hw, 3, FBNIC_QUEUE_TWQ0_BAH) == 0x1234, "TWQ0 BAH");
	CHECK(fbnic_queue_rd32(&hw, 3, FBNIC_QUEUE_TWQ0_SIZE) == 10, "TWQ0 SIZE");
	CHECK((fbnic_queue_rd32(&hw, 3, FBNIC_QUEUE_TWQ0_CTL) & 1) == 0, "TWQ0 in reset");
	CHECK(fbnic_queue_rd32(&hw, 3, FBNIC_QUEUE_TIM_THRESHOLD) == 511, "TIM threshold");
	CHECK(fbnic_queue_rd32(&hw, 3, FBNIC_QUEUE_TIM_CTL) == 2, "TIM vector");
	CHECK(fbnic_queue_rd32(&hw, 5, FBNIC_QUEUE_RCQ_SIZE) == 0, "64K RCQ size field");
	CHECK(fbnic_queue_rd32(&hw, 5, FBNIC_QUEUE_BDQ_PPQ_SIZE) == 12, "PPQ size");
	CHECK(fbnic_queue_rd32(&hw, 5, FBNIC_QUEUE_RIM_THRESHOLD) == 8, "RIM threshold");
	CHECK(fbnic_queue_rd32(&hw, 5, FBNIC_QUEUE_RDE_CTL0) ==
	      ((2u << 29) | (128u << 20) | (64u << 11)), "RDE_CTL0 0x%08x",
	      fbnic_queue_rd32(&hw, 5, FBNIC_QUEUE_RDE_CTL0));
	CHECK(fbnic_queue_rd32(&hw, 5, FBNIC_QUEUE_RDE_CTL1) == (256u << 12), "RDE_CTL1");

	tx.twq0_log2 = 17;
	CHECK(fbnic_txq_hw_enable(&hw, &tx) == -EINVAL, "2^17 ring accepted");
	rx.min_hroom = 512;
	CHECK(fbnic_rxq_hw_enable(&hw, &rx) == -EINVAL, "9-bit headroom overflow accepted");

	fbnic_txq_hw_disable(&hw, 3);
	fbnic_rxq_hw_disable(&hw, 5);
	fbnic_hw_flush(&hw);
	CHECK(fbnic_queue_rd32(&hw, 3, FBNIC_QUEUE_TCQ_CTL) == 0, "TCQ still enabled");
	CHECK(fbnic_queue_rd32(&hw, 3, FBNIC_QUEUE_TIM_MASK) == 1, "TIM unmasked");
	CHECK(fbnic_queue_rd32(&hw, 5, FBNIC_QUEUE_RIM_MASK) == 1, "RIM unmasked");
	CHECK((fbnic_queue_rd32(&hw, 5, FBNIC_QUEUE_BDQ_CTL) & FBNIC_QUEUE_BDQ_CTL_ENABLE) == 0,
	      "BDQ still enabled");
	CHECK(fbnic_txq_wait_idle(&hw, 3) == 0, "TX queue 3 not idle");
	CHECK(fbnic_rxq_wait_idle(&hw, 5) == 0, "RX queue 5 not idle");
	CHECK(fbnic_wait_all_queues_idle(&hw, true) == 0, "device not idle");
	teardown(&hw, dev);
}

static void
test_counters_start_at_zero_and_have_unique_names(void)
{
	struct fbnic_hw hw;
	struct fbm_dev *dev = setup(&hw, FBNIC_FW_LINK_MODE_25CR, FBNIC_FW_LINK_FEC_RS);
	unsigned int n = fbnic_hw_stats_count(), i, j, nonzero = 0;
	uint64_t vals[512];

	CHECK(dev != NULL && fbnic_hw_stats_init(&hw, 8) == 0, "setup");
	if (dev == NULL || hw.stats == NULL)
		return;
	CHECK(n > 100 && n <= 512, "%u counters", n);
	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++)
			if (strcmp(fbnic_hw_stats_desc(i)->name, fbnic_hw_stats_desc(j)->name) == 0)
				CHECK(0, "duplicate counter name %s", fbnic_hw_stats_desc(i)->name);
	CHECK(fbnic_hw_stats_lookup("rxb_fifo4_drop_frames") >= 0, "rxb_fifo4_drop_frames");
	CHECK(fbnic_hw_stats_lookup("pcie_ob_rd_tlp") >= 0, "pcie_ob_rd_tlp");
	CHECK(fbnic_hw_stats_lookup("no_such_counter") == -ENOENT, "lookup of unknown name");

	fbnic_hw_stats_update(&hw);
	CHECK(fbnic_hw_stats_get(&hw, vals, n) == n, "get");
	for (i = 0; i < n; i++) {
		const char *name = fbnic_hw_stats_desc(i)->name;

		/* Outbound completions answer the host's own register reads. */
		if (strncmp(name, "pcie_ob_cpl_", strlen("pcie_ob_cpl_")) == 0) {
			CHECK(vals[i] != 0, "%s did not count our register reads", name);
			continue;
		}
		if (vals[i] != 0 && fbnic_hw_stats_desc(i)->kind != FBNIC_STAT_GAUGE) {
			printf("counter %s moved on an idle device: %" PRIu64 "\n", name, vals[i]);
			nonzero++;
		}
	}
	CHECK(nonzero == 0, "%u counters moved on an idle device", nonzero);
	teardown(&hw, dev);
}

/* A classic pcap file with n frames of len bytes to the given destination. */
static int
write_pcap(const char *path, const uint8_t dst[6], unsigned int n, unsigned int len)
{
	const uint32_t ghdr[6] = { 0xa1b2c3d4, 0x00040002, 0, 0, 65535, 1 };
	uint8_t frame[256];
	unsigned int i;
	FILE *f = fopen(path, "wb");

	if (f == NULL || len > sizeof(frame))
		return -1;
	memset(frame, 0, sizeof(frame));
	memcpy(frame, dst, 6);
	frame[6] = 0x02;			/* source 02:00:00:00:00:aa */
	frame[11] = 0xaa;
	frame[12] = 0x88;			/* local experimental ethertype */
	frame[13] = 0xb5;
	fwrite(ghdr, sizeof(ghdr), 1, f);
	for (i = 0; i < n; i++) {
		const uint32_t rhdr[4] = { i, 0, len, len };

		fwrite(rhdr, sizeof(rhdr), 1, f);
		fwrite(frame, len, 1, f);
	}
	return fclose(f) == 0 ? 0 : -1;
}

static void
test_counters_count_received_frames_and_reset_to_zero(void)
{
	static const uint8_t own[6] = { 0x02, 0x11, 0x22, 0x33, 0x44, 0x55 };
	char path[] = "/tmp/fbnic_base_test_XXXXXX";
	struct fbnic_hw_stats_basic basic;
	struct fbnic_hw hw;
	struct fbm_dev *dev = setup(&hw, FBNIC_FW_LINK_MODE_25CR, FBNIC_FW_LINK_FEC_RS);
	int fd, ok = 0, i_ok, i_bytes, i_bin, i;
	uint64_t vals[512];
	unsigned int n;

	CHECK(dev != NULL, "setup");
	if (dev == NULL)
		return;
	fd = mkstemp(path);
	if (fd >= 0) {
		close(fd);
		ok = write_pcap(path, own, 5, 100) == 0 && fbm_wire_pcap(dev, path, NULL) == 0;
	}
	CHECK(ok, "pcap wire");
	CHECK(fbnic_rpc_init(&hw) == 0 && fbnic_hw_stats_init(&hw, 4) == 0, "state");
	if (!ok || hw.rpc == NULL || hw.stats == NULL) {
		unlink(path);
		teardown(&hw, dev);
		return;
	}

	fbnic_init_regs(&hw);
	fbnic_rss_reinit(&hw);
	fbnic_rss_write_hw(&hw);
	fbnic_rpc_set_rx_mode(&hw, own, NULL, 0, NULL, 0, false, false, NULL, NULL);
	for (i = 0; i < 100 && !fbnic_pcs_link_check(&hw, hw.link_aui, hw.link_fec); i++)
		fbnic_osdep_usleep(1000);
	fbnic_mac_link_up(&hw, false, false);
	for (i = 0; i < 100 && fbm_poll(dev, 64) != 0; i++)
		;

	fbnic_hw_stats_update(&hw);
	n = fbnic_hw_stats_get(&hw, vals, 512);
	i_ok = fbnic_hw_stats_lookup("mac_rx_ok_frames");
	i_bytes = fbnic_hw_stats_lookup("mac_rx_ok_bytes");
	i_bin = fbnic_hw_stats_lookup("mac_rx_size_65_127_frames");
	CHECK(i_ok >= 0 && vals[i_ok] == 5, "mac_rx_ok_frames %" PRIu64, vals[i_ok]);
	CHECK(i_bytes >= 0 && vals[i_bytes] == 5 * 104, "mac_rx_ok_bytes %" PRIu64,
	      vals[i_bytes]);
	CHECK(i_bin >= 0 && vals[i_bin] == 5, "65-127 bin %" PRIu64, vals[i_bin]);
	/* No RX queue is enabled: the host FIFO drops every frame. */
	fbnic_hw_stats_basic(&hw, &basic);
	CHECK(basic.mac_rx_frames == 5 && basic.rx_missed == 5, "rx_missed %" PRIu64,
	      basic.rx_missed);

	fbnic_hw_stats_reset(&hw);
	fbnic_hw_stats_update(&hw);
	CHECK(fbnic_hw_stats_get(&hw, vals, 512) == n, "count changed");
	CHECK(vals[i_ok] == 0 && vals[i_bytes] == 0, "not zero after reset: %" PRIu64,
	      vals[i_ok]);
	unlink(path);
	teardown(&hw, dev);
}

static void
test_surprise_removal_is_detected(void)
{
	struct fbnic_hw hw;
	struct fbm_dev *dev = setup(&hw, FBNIC_FW_LINK_MODE_25CR, FBNIC_FW_LINK_FEC_RS);

	CHECK(dev != NULL, "setup");
	if (dev == NULL)
		return;
	CHECK(fbnic_rd32(&hw, FBNIC_QM_TQS_MTU_CTL0) != UINT32_MAX && !hw.removed, "alive");
	fbm_fault_set(dev, FBM_FAULT_SURPRISE_REMOVAL, true);
	CHECK(fbnic_rd32(&hw, FBNIC_QM_TQS_MTU_CTL0) == UINT32_MAX, "read after removal");
	CHECK(hw.removed, "removal not detected");
	CHECK(fbnic_wait_all_queues_idle(&hw, true) == -ENODEV, "idle wait on removed device");
	CHECK(!fbnic_pcs_link_check(&hw, hw.link_aui, hw.link_fec), "link on removed device");
	teardown(&hw, dev);
}

static void
test_dma_memory_is_zeroed_aligned_and_freed(void)
{
	struct fbnic_hw hw = { .port_id = 7 };
	uint64_t iova[3] = { 0, 0, 0 };
	void *handle[3] = { NULL, NULL, NULL };
	uint8_t *va[3];
	unsigned int i, j, nonzero = 0;

	for (i = 0; i < 3; i++) {
		va[i] = fbnic_osdep_dma_zalloc(&hw, "a_rather_long_ring_name", 8192, &iova[i],
					       &handle[i]);
		CHECK(va[i] != NULL, "allocation %u failed", i);
		if (va[i] == NULL)
			return;
		CHECK(((uintptr_t)va[i] & 4095) == 0 && (iova[i] & 4095) == 0,
		      "allocation %u not 4 KiB aligned", i);
		for (j = 0; j < 8192; j++)
			nonzero += va[i][j] != 0;
		memset(va[i], 0xa5, 8192);
	}
	CHECK(nonzero == 0, "%u non-zero bytes", nonzero);
	CHECK(va[0] != va[1] && va[1] != va[2] && iova[0] != iova[1], "same memory twice");
	for (i = 0; i < 3; i++)
		fbnic_osdep_dma_free(handle[i]);
	fbnic_osdep_dma_free(NULL);
	/* Freed zones are reusable: a new one comes back zeroed. */
	va[0] = fbnic_osdep_dma_zalloc(&hw, "again", 8192, &iova[0], &handle[0]);
	CHECK(va[0] != NULL && va[0][100] == 0, "reallocation");
	fbnic_osdep_dma_free(handle[0]);
}

int
main(int argc, char **argv)
{
	int ret = rte_eal_init(argc, argv);

	if (ret < 0) {
		printf("EAL init failed\n");
		return 1;
	}
	fbnic_logtype_base = rte_log_register_type_and_pick_level("pmd.net.fbnic.base",
								  RTE_LOG_NOTICE);

	test_dsn_gives_mac_from_serial_bytes();
	test_init_regs_programs_spec_values();
	test_rss_key_bytes_land_big_endian_in_registers();
	test_rss_action_entries_follow_flow_types();
	test_macda_entries_and_overflow_to_allmulti();
	test_bmc_addresses_share_the_classifier();
	test_ntuple_rule_uses_ip_tcam_and_frees_it();
	test_link_check_reports_pcs_link_and_loss();
	test_link_hold_off_delays_link();
	test_queue_enable_programs_ring_and_disable_idles();
	test_counters_start_at_zero_and_have_unique_names();
	test_counters_count_received_frames_and_reset_to_zero();
	test_surprise_removal_is_detected();
	test_dma_memory_is_zeroed_aligned_and_freed();

	printf("%d checks, %d failures\n", checks, failures);
	rte_eal_cleanup();
	return failures ? 1 : 0;
}
