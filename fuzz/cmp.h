// SPDX-License-Identifier: Apache-2.0
/* cmp.h: the hosts' side of guest comparisons: per-site call slots (tramp.S) and the replays into each fuzzer. */
#ifndef WARMFORK_FUZZ_CMP_H
#define WARMFORK_FUZZ_CMP_H

#include <stdint.h>

#include "harness.h"

/* tramp.S: call fn(a, b, c) from call site `slot` of WF_TRAMP_SLOTS. */
#define WF_TRAMP_SLOTS 16384u
void wf_tramp_call(uint64_t a, uint64_t b, uint64_t c, void *fn, uint64_t slot);

/* The call site of a guest comparison site: a hash of its PC, stable across processes (so
 * libFuzzer's -fork/-jobs children and AFL++'s runs agree). */
static inline uint64_t wf_tramp_slot(uint64_t guest_pc)
{
	uint64_t x = (guest_pc >> 2) * 0x9e3779b97f4a7c15ull;
	return (x >> 40) % WF_TRAMP_SLOTS;
}

/*
 * After an input: replay the guest's comparisons (its comparison log) into libFuzzer's
 * trace-cmp hooks and memcmp-family weak hooks (cmp_libfuzzer.c), as an in-process target's
 * instrumentation would have called them; or into AFL++'s cmplog hooks (cmp_afl.c), when
 * afl-fuzz runs this process as its cmplog binary. Both return how many were replayed.
 */
unsigned wf_cmp_to_libfuzzer(struct wf_harness *h);
unsigned wf_cmp_to_afl(struct wf_harness *h);

#endif
