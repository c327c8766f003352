/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

/*
 * base/fbnic_osdep.c on EAL: DMA memory comes zeroed, aligned, distinct, and
 * goes back when freed.
 */

#include <stdint.h>
#include <string.h>

#include "test_base.h"

static int
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
		TEST_ASSERT_NOT_NULL(va[i], "allocation %u failed", i);
		TEST_CHECK(((uintptr_t)va[i] & 4095) == 0 && (iova[i] & 4095) == 0,
			   "allocation %u not 4 KiB aligned", i);
		for (j = 0; j < 8192; j++)
			nonzero += va[i][j] != 0;
		memset(va[i], 0xa5, 8192);
	}
	TEST_CHECK(nonzero == 0, "%u non-zero bytes", nonzero);
	TEST_CHECK(va[0] != va[1] && va[1] != va[2] && iova[0] != iova[1], "same memory twice");
	for (i = 0; i < 3; i++)
		fbnic_osdep_dma_free(handle[i]);
	fbnic_osdep_dma_free(NULL);
	/* Freed zones are reusable: a new one comes back zeroed. */
	va[0] = fbnic_osdep_dma_zalloc(&hw, "again", 8192, &iova[0], &handle[0]);
	TEST_CHECK(va[0] != NULL && va[0][100] == 0, "reallocation");
	fbnic_osdep_dma_free(handle[0]);
	return TEST_SUCCESS;
}

int
main(int argc, char **argv)
{
	if (tb_eal_init(argc, argv) != 0)
		return 1;
	TK_RUN(test_dma_memory_is_zeroed_aligned_and_freed);
	tb_eal_fini();
	return tk_report("test_base_osdep");
}
