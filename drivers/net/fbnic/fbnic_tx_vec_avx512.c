/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

/* AVX-512 Tx path: the TWDs of four frames in one 64-byte store (fbnic_tx_vec_common.h). */

#include <stdint.h>

#include <rte_vect.h>

#include "fbnic_tx_vec_common.h"

static __rte_always_inline void
fbnic_tx_store_avx512(volatile uint64_t *twd, uint64_t meta0, uint64_t al0, uint64_t meta1,
		uint64_t al1, uint64_t meta2, uint64_t al2, uint64_t meta3, uint64_t al3)
{
	_mm512_storeu_si512((void *)(uintptr_t)twd,
			    _mm512_set_epi64((long long)al3, (long long)meta3, (long long)al2,
					     (long long)meta2, (long long)al1, (long long)meta1,
					     (long long)al0, (long long)meta0));
}

uint16_t
fbnic_xmit_pkts_avx512(void *txq, struct rte_mbuf **tx_pkts, uint16_t nb_pkts)
{
	return fbnic_xmit_vec(txq, tx_pkts, nb_pkts, false, fbnic_tx_store_avx512);
}

uint16_t
fbnic_xmit_pkts_avx512_csum(void *txq, struct rte_mbuf **tx_pkts, uint16_t nb_pkts)
{
	return fbnic_xmit_vec(txq, tx_pkts, nb_pkts, true, fbnic_tx_store_avx512);
}
