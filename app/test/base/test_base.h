/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

#ifndef _TEST_BASE_H_
#define _TEST_BASE_H_

/*
 * The bench of the base code's tests (app/test/base/test_base_<block>.c):
 * EAL for the base code's allocator, and a fresh model device behind a
 * struct fbnic_hw, reached through fbnic_model_reg_ops. Every check reads
 * the model's registers back and compares them with the values fbnic_hw.rst
 * prescribes.
 */

#include <stdint.h>

#include "fbnic_hw.h"
#include "fbnic_model.h"
#include "fbnic_tk.h"

/* The serial number of every bench device. */
#define TB_DSN	UINT64_C(0x0211223344556677)

/* A register of the device reads want. */
#define TB_CHECK_REG(hw, idx, want) \
	TEST_CHECK_EQUAL(fbnic_rd32(hw, idx), (uint32_t)(want), "reg 0x%05x (byte 0x%06x)", \
			 (unsigned int)(idx), (unsigned int)(idx) * 4)

/* EAL from the command line, the base code's log type; 0 or -1. */
int tb_eal_init(int argc, char **argv);
void tb_eal_fini(void);

/*
 * A fresh model in the given link mode (FBNIC_FW_LINK_MODE_*, _FEC_*) with
 * no wire, behind *hw; NULL if the model cannot be created.
 */
struct fbm_dev *tb_setup(struct fbnic_hw *hw, unsigned int link_mode, unsigned int fec);
/* Free the base code's state of hw, then the model. */
void tb_teardown(struct fbnic_hw *hw, struct fbm_dev *dev);

#endif /* _TEST_BASE_H_ */
