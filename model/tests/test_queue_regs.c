/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

/*
 * Queue page and QM register semantics (fbnic_hw.rst 4.1, 4.4, 4.6): the
 * Linux register self-test patterns, ring reset/enable, pointers, idle
 * bitmaps and TIM/RIM interrupt moderation.
 */

#include "test_queue_host.h"

static struct tq_host host;

struct reg_pattern {
	const char *name;
	uint32_t reg;
	uint32_t read;
	uint32_t write;
};

/* The registers and masks of Linux's fbnic_csr_regs_test(). */
static const struct reg_pattern patterns[] = {
	{ "TWQ0_CTL", FBNIC_QUEUE_TWQ0_CTL, FBNIC_QUEUE_TWQ_CTL_RESET, FBNIC_QUEUE_TWQ_CTL_RESET },
	{ "TWQ0_PTRS", FBNIC_QUEUE_TWQ0_PTRS, 0, ~0u },
	{ "TWQ0_SIZE", FBNIC_QUEUE_TWQ0_SIZE, FBNIC_QUEUE_TWQ_SIZE_MASK, ~0u },
	{ "TWQ0_BAL", FBNIC_QUEUE_TWQ0_BAL, FBNIC_QUEUE_BAL_MASK, ~0u },
	{ "TWQ0_BAH", FBNIC_QUEUE_TWQ0_BAH, ~0u, ~0u },
	{ "TWQ1_CTL", FBNIC_QUEUE_TWQ1_CTL, FBNIC_QUEUE_TWQ_CTL_RESET, FBNIC_QUEUE_TWQ_CTL_RESET },
	{ "TWQ1_PTRS", FBNIC_QUEUE_TWQ1_PTRS, 0, ~0u },
	{ "TWQ1_SIZE", FBNIC_QUEUE_TWQ1_SIZE, FBNIC_QUEUE_TWQ_SIZE_MASK, ~0u },
	{ "TWQ1_BAL", FBNIC_QUEUE_TWQ1_BAL, FBNIC_QUEUE_BAL_MASK, ~0u },
	{ "TWQ1_BAH", FBNIC_QUEUE_TWQ1_BAH, ~0u, ~0u },
	{ "TCQ_CTL", FBNIC_QUEUE_TCQ_CTL, FBNIC_QUEUE_TCQ_CTL_RESET, FBNIC_QUEUE_TCQ_CTL_RESET },
	{ "TCQ_PTRS", FBNIC_QUEUE_TCQ_PTRS, 0, ~0u },
	{ "TCQ_SIZE", FBNIC_QUEUE_TCQ_SIZE, FBNIC_QUEUE_TCQ_SIZE_MASK, ~0u },
	{ "TCQ_BAL", FBNIC_QUEUE_TCQ_BAL, FBNIC_QUEUE_BAL_MASK, ~0u },
	{ "TCQ_BAH", FBNIC_QUEUE_TCQ_BAH, ~0u, ~0u },
	{ "RCQ_CTL", FBNIC_QUEUE_RCQ_CTL, FBNIC_QUEUE_RCQ_CTL_RESET, FBNIC_QUEUE_RCQ_CTL_RESET },
	{ "RCQ_PTRS", FBNIC_QUEUE_RCQ_PTRS, 0, ~0u },
	{ "RCQ_SIZE", FBNIC_QUEUE_RCQ_SIZE, FBNIC_QUEUE_RCQ_SIZE_MASK, ~0u },
	{ "RCQ_BAL", FBNIC_QUEUE_RCQ_BAL, FBNIC_QUEUE_BAL_MASK, ~0u },
	{ "RCQ_BAH", FBNIC_QUEUE_RCQ_BAH, ~0u, ~0u },
	{ "BDQ_CTL", FBNIC_QUEUE_BDQ_CTL, FBNIC_QUEUE_BDQ_CTL_RESET, FBNIC_QUEUE_BDQ_CTL_RESET },
	{ "BDQ_HPQ_PTRS", FBNIC_QUEUE_BDQ_HPQ_PTRS, 0, ~0u },
	{ "BDQ_HPQ_SIZE", FBNIC_QUEUE_BDQ_HPQ_SIZE, FBNIC_QUEUE_BDQ_SIZE_MASK, ~0u },
	{ "BDQ_HPQ_BAL", FBNIC_QUEUE_BDQ_HPQ_BAL, FBNIC_QUEUE_BAL_MASK, ~0u },
	{ "BDQ_HPQ_BAH", FBNIC_QUEUE_BDQ_HPQ_BAH, ~0u, ~0u },
	{ "BDQ_PPQ_PTRS", FBNIC_QUEUE_BDQ_PPQ_PTRS, 0, ~0u },
	{ "BDQ_PPQ_SIZE", FBNIC_QUEUE_BDQ_PPQ_SIZE, FBNIC_QUEUE_BDQ_SIZE_MASK, ~0u },
	{ "BDQ_PPQ_BAL", FBNIC_QUEUE_BDQ_PPQ_BAL, FBNIC_QUEUE_BAL_MASK, ~0u },
	{ "BDQ_PPQ_BAH", FBNIC_QUEUE_BDQ_PPQ_BAH, ~0u, ~0u },
};

static int
test_self_test_patterns_read_back(void)
{
	struct tq_host *h = &host;
	static const uint32_t values[] = { ~0u, 0x5a5a5a5a, 0xa5a5a5a5, 0 };
	unsigned int p, q, v;

	for (p = 0; p < FBM_DIM(patterns); p++) {
		for (q = 0; q < 64; q++) {
			for (v = 0; v < 4; v++) {
				uint32_t w = values[v] & patterns[p].write;
				uint32_t got;

				tq_qwr(h, q, patterns[p].reg, w);
				got = tq_qrd(h, q, patterns[p].reg);
				TEST_CHECK(got == (w & patterns[p].read),
					   "queue %u %s wrote 0x%08x read 0x%08x", q,
					   patterns[p].name, w, got);
			}
		}
	}
	return TEST_SUCCESS;
}

static int
test_reset_enable_and_pointers(void)
{
	struct tq_host *h = &host;
	struct tq_txq t;

	fbm_reset(h->dev);	/* after the pattern tests */
	tq_txq_enable(h, &t, 3, 256, 2);
	TEST_CHECK_EQUAL(tq_qrd(h, 3, FBNIC_QUEUE_TWQ0_CTL), FBNIC_QUEUE_TWQ_CTL_ENABLE);
	TEST_CHECK_EQUAL(tq_qrd(h, 3, FBNIC_QUEUE_TWQ0_SIZE), 8);
	TEST_CHECK_EQUAL(tq_qrd(h, 3, FBNIC_QUEUE_TWQ0_PTRS), 0);

	/* the doorbell shows up as the tail half of PTRS until the NIC reads */
	tq_qwr(h, 3, FBNIC_QUEUE_TWQ0_TAIL, 7);
	TEST_CHECK_EQUAL(tq_qrd(h, 3, FBNIC_QUEUE_TWQ0_PTRS) & 0xffff, 7);
	TEST_CHECK_EQUAL(tq_qrd(h, 3, FBNIC_QUEUE_TWQ0_TAIL), 7);
	/* work pending: busy */
	TEST_CHECK_EQUAL(tq_rd(h, FBNIC_QM_TWQ_IDLE(0)) & (1u << 3), 0);
	TEST_CHECK_EQUAL(tq_rd(h, FBNIC_QM_TQS_IDLE(0)) & (1u << 3), 0);

	/* disable: the ring stops and reads idle; RESET puts pointers to 0 */
	tq_qwr(h, 3, FBNIC_QUEUE_TWQ0_CTL, 0);
	TEST_CHECK_EQUAL(tq_rd(h, FBNIC_QM_TWQ_IDLE(0)), 0xffffffff);
	tq_qwr(h, 3, FBNIC_QUEUE_TWQ0_CTL, FBNIC_QUEUE_TWQ_CTL_RESET);
	TEST_CHECK_EQUAL(tq_qrd(h, 3, FBNIC_QUEUE_TWQ0_PTRS), 0);
	TEST_CHECK_EQUAL(tq_qrd(h, 3, FBNIC_QUEUE_TWQ0_TAIL), 0);

	/* TWQ1 idle bits sit in the upper 128 bits */
	tq_qwr(h, 3, FBNIC_QUEUE_TWQ1_TAIL, 2);
	TEST_CHECK_EQUAL(tq_rd(h, FBNIC_QM_TWQ_IDLE(4)), 0xffffffff & ~(1u << 3));
	TEST_CHECK_EQUAL(tq_rd(h, FBNIC_QM_TWQ_IDLE(0)), 0xffffffff);
	tq_qwr(h, 3, FBNIC_QUEUE_TWQ1_CTL, FBNIC_QUEUE_TWQ_CTL_RESET);
	TEST_CHECK_EQUAL(tq_rd(h, FBNIC_QM_TWQ_IDLE(4)), 0xffffffff);
	tq_qwr(h, 3, FBNIC_QUEUE_TCQ_CTL, 0);
	return TEST_SUCCESS;
}

static int
test_size_zero_means_64k(void)
{
	struct tq_host *h = &host;
	uint64_t iova = tq_alloc(h, 65536 * 8, 4096);

	tq_qwr(h, 9, FBNIC_QUEUE_BDQ_CTL, FBNIC_QUEUE_BDQ_CTL_RESET);
	tq_qwr(h, 9, FBNIC_QUEUE_BDQ_HPQ_BAL, (uint32_t)iova);
	tq_qwr(h, 9, FBNIC_QUEUE_BDQ_HPQ_BAH, (uint32_t)(iova >> 32));
	tq_qwr(h, 9, FBNIC_QUEUE_BDQ_HPQ_SIZE, 16 & 0xf);
	tq_qwr(h, 9, FBNIC_QUEUE_BDQ_CTL, FBNIC_QUEUE_BDQ_CTL_ENABLE);
	TEST_CHECK_EQUAL(tq_qrd(h, 9, FBNIC_QUEUE_BDQ_HPQ_SIZE), 0);
	tq_qwr(h, 9, FBNIC_QUEUE_BDQ_HPQ_TAIL, 0xffff);
	TEST_CHECK_EQUAL(tq_qrd(h, 9, FBNIC_QUEUE_BDQ_HPQ_PTRS), 0xffff);
	TEST_CHECK_EQUAL(tq_qrd(h, 9, FBNIC_QUEUE_BDQ_CTL), FBNIC_QUEUE_BDQ_CTL_ENABLE);
	tq_qwr(h, 9, FBNIC_QUEUE_BDQ_CTL, FBNIC_QUEUE_BDQ_CTL_RESET);
	TEST_CHECK_EQUAL(tq_qrd(h, 9, FBNIC_QUEUE_BDQ_HPQ_PTRS), 0);
	return TEST_SUCCESS;
}

static int
test_idle_bitmaps_all_idle_after_reset(void)
{
	struct tq_host *h = &host;
	unsigned int i;

	for (i = 0; i < FBNIC_QM_TWQ_IDLE_CNT; i++) {
		TEST_CHECK_EQUAL(tq_rd(h, FBNIC_QM_TWQ_IDLE(i)), 0xffffffff);
		TEST_CHECK_EQUAL(tq_rd(h, FBNIC_QM_TQS_IDLE(i)), 0xffffffff);
		TEST_CHECK_EQUAL(tq_rd(h, FBNIC_QM_TDE_IDLE(i)), 0xffffffff);
	}
	for (i = 0; i < 4; i++) {
		TEST_CHECK_EQUAL(tq_rd(h, FBNIC_QM_TCQ_IDLE(i)), 0xffffffff);
		TEST_CHECK_EQUAL(tq_rd(h, FBNIC_QM_HPQ_IDLE(i)), 0xffffffff);
		TEST_CHECK_EQUAL(tq_rd(h, FBNIC_QM_PPQ_IDLE(i)), 0xffffffff);
		TEST_CHECK_EQUAL(tq_rd(h, FBNIC_QM_RCQ_IDLE(i)), 0xffffffff);
	}
	/* idle bitmaps are read only */
	tq_wr(h, FBNIC_QM_TWQ_IDLE(0), 0);
	TEST_CHECK_EQUAL(tq_rd(h, FBNIC_QM_TWQ_IDLE(0)), 0xffffffff);
	return TEST_SUCCESS;
}

static int
test_qm_globals_read_back(void)
{
	struct tq_host *h = &host;
	tq_wr(h, FBNIC_QM_TWQ_DEFAULT_META_L, 0x0000000e);
	tq_wr(h, FBNIC_QM_TWQ_DEFAULT_META_H, 0x00000020);
	tq_wr(h, FBNIC_QM_TCQ_CTL0, 0x0258bb80);
	tq_wr(h, FBNIC_QM_RCQ_CTL0, 0x025804b0);
	TEST_CHECK_EQUAL(tq_rd(h, FBNIC_QM_TWQ_DEFAULT_META_L), 0x0000000e);
	TEST_CHECK_EQUAL(tq_rd(h, FBNIC_QM_TWQ_DEFAULT_META_H), 0x00000020);
	TEST_CHECK_EQUAL(tq_rd(h, FBNIC_QM_TCQ_CTL0), 0x0258bb80);
	TEST_CHECK_EQUAL(tq_rd(h, FBNIC_QM_RCQ_CTL0), 0x025804b0);
	return TEST_SUCCESS;
}

/* TIM_SET while TIM_MASK is set does not interrupt; clearing the mask does. */
static int
test_tim_set_fires_only_unmasked(void)
{
	struct tq_host *h = &host;
	unsigned int v = 5;

	tq_wr(h, FBNIC_INTR_MASK_CLEAR(0), 1u << v);
	tq_qwr(h, 11, FBNIC_QUEUE_TIM_CTL, v);
	tq_qwr(h, 11, FBNIC_QUEUE_TIM_MASK, 1);
	TEST_CHECK_EQUAL(tq_qrd(h, 11, FBNIC_QUEUE_TIM_MASK), 1);
	h->msix[v] = 0;
	tq_qwr(h, 11, FBNIC_QUEUE_TIM_SET, 1);
	TEST_CHECK_EQUAL(h->msix[v], 0);
	tq_qwr(h, 11, FBNIC_QUEUE_TIM_MASK, 0);
	TEST_CHECK_EQUAL(h->msix[v], 1);

	/* RIM: CLEAR drops a pending request */
	tq_wr(h, FBNIC_INTR_MASK_CLEAR(0), 1u << v);
	tq_qwr(h, 11, FBNIC_QUEUE_RIM_CTL, v);
	tq_qwr(h, 11, FBNIC_QUEUE_RIM_MASK, 1);
	tq_qwr(h, 11, FBNIC_QUEUE_RIM_SET, 1);
	tq_qwr(h, 11, FBNIC_QUEUE_RIM_CLEAR, 1);
	tq_qwr(h, 11, FBNIC_QUEUE_RIM_MASK, 0);
	TEST_CHECK_EQUAL(h->msix[v], 1);
	tq_qwr(h, 11, FBNIC_QUEUE_RIM_SET, 1);
	TEST_CHECK_EQUAL(h->msix[v], 2);
	return TEST_SUCCESS;
}

int
main(void)
{
	if (tq_open(&host)) {
		fprintf(stderr, "cannot create the model\n");
		return 1;
	}
	TK_RUN(test_idle_bitmaps_all_idle_after_reset);
	TK_RUN(test_self_test_patterns_read_back);
	TK_RUN(test_reset_enable_and_pointers);
	TK_RUN(test_size_zero_means_64k);
	TK_RUN(test_qm_globals_read_back);
	TK_RUN(test_tim_set_fires_only_unmasked);
	tq_close(&host);
	return tk_report("test_queue_regs");
}
