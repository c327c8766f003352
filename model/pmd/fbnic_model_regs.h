/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

#ifndef _FBNIC_MODEL_REGS_H_
#define _FBNIC_MODEL_REGS_H_

/*
 * The driver's register-access hook (struct fbnic_reg_ops of base/) onto a
 * model device: with hw->reg_ops = &fbnic_model_reg_ops and hw->reg_ctx a
 * struct fbm_dev *, the base code reads and writes the model's BARs. Used
 * by the net_fbnic_model vdev and by every test that runs base code on a
 * model.
 */

#include "fbnic_hw.h"

extern const struct fbnic_reg_ops fbnic_model_reg_ops;

#endif /* _FBNIC_MODEL_REGS_H_ */
