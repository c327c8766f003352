/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

#include <stdio.h>
#include <string.h>

#include <rte_eal.h>
#include <rte_log.h>

#include "fbnic_hw_stats.h"
#include "fbnic_mac.h"
#include "fbnic_model_regs.h"
#include "fbnic_rpc.h"
#include "test_base.h"

int fbnic_logtype_base;

static void
tb_model_log(void *ctx, int level, const char *msg)
{
	(void)ctx;
	if (level <= FBM_LOG_WARNING)
		printf("model: %s\n", msg);
}

static const struct fbm_host_ops tb_host_ops = {
	.log = tb_model_log,
};

int
tb_eal_init(int argc, char **argv)
{
	if (rte_eal_init(argc, argv) < 0) {
		printf("EAL init failed\n");
		return -1;
	}
	fbnic_logtype_base = rte_log_register_type_and_pick_level("pmd.net.fbnic.base",
								  RTE_LOG_NOTICE);
	return 0;
}

void
tb_eal_fini(void)
{
	rte_eal_cleanup();
}

struct fbm_dev *
tb_setup(struct fbnic_hw *hw, unsigned int link_mode, unsigned int fec)
{
	struct fbm_config cfg;
	struct fbm_dev *dev = NULL;

	fbm_config_init(&cfg);
	snprintf(cfg.name, sizeof(cfg.name), "base-test");
	cfg.dsn = TB_DSN;
	cfg.link_mode = link_mode;
	cfg.fec = fec;
	cfg.link_hold_off_ns = 0;
	if (fbm_create(&cfg, &tb_host_ops, &dev) != 0)
		return NULL;
	fbm_wire_none(dev);

	memset(hw, 0, sizeof(*hw));
	hw->reg_ops = &fbnic_model_reg_ops;
	hw->reg_ctx = dev;
	hw->dsn = TB_DSN;
	fbnic_link_mode_from_fw(link_mode, fec, &hw->link_aui, &hw->link_fec);
	return dev;
}

void
tb_teardown(struct fbnic_hw *hw, struct fbm_dev *dev)
{
	fbnic_rpc_fini(hw);
	fbnic_hw_stats_fini(hw);
	fbm_destroy(dev);
}
