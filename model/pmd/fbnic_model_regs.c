/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

#include <fbnic_model.h>

#include "fbnic_model_regs.h"

static uint32_t
fbnic_model_reg_read(void *ctx, unsigned int bar, uint32_t byte_off)
{
	return fbm_read32(ctx, bar, byte_off);
}

static void
fbnic_model_reg_write(void *ctx, unsigned int bar, uint32_t byte_off, uint32_t val)
{
	fbm_write32(ctx, bar, byte_off, val);
}

const struct fbnic_reg_ops fbnic_model_reg_ops = {
	.read32 = fbnic_model_reg_read,
	.write32 = fbnic_model_reg_write,
};
