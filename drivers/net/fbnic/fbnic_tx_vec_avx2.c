/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

/* AVX2 Tx path: the TWDs of two frames per 32-byte store (fbnic_tx_vec_common.h). */

#include <stdint.h>

#include <rte_vect.h>

#include "fbnic_tx_vec_common.h"

static __rte_always_inline void
fbnic_tx_store_avx2(volatile uint64_t *twd, uint64_t meta0, uint64_t al0, uint64_t meta1,
		uint64_t al1, uint64_t meta2, uint64_t al2, uint64_t meta3, uint64_t al3)
{
	_mm256_storeu_si256((__m256i *)(uintptr_t)&twd[0],
			    _mm256_set_epi64x((long long)al1, (long long)meta1,
					      (long long)al0, (long long)meta0));
	_mm256_storeu_si256((__m256i *)(uintptr_t)&twd[4],
			    _mm256_set_epi64x((long long)al3, (long long)meta3,
					      (long long)al2, (long long)meta2));
}

uint16_t
fbnic_xmit_pkts_avx2(void *txq, struct rte_mbuf **tx_pkts, uint16_t nb_pkts)
{
	return fbnic_xmit_vec(txq, tx_pkts, nb_pkts, false, fbnic_tx_store_avx2);
}

uint16_t
fbnic_xmit_pkts_avx2_csum(void *txq, struct rte_mbuf **tx_pkts, uint16_t nb_pkts)
{
	return fbnic_xmit_vec(txq, tx_pkts, nb_pkts, true, fbnic_tx_store_avx2);
}
