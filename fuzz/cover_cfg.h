// SPDX-License-Identifier: Apache-2.0
/* cover_cfg.h: which machine blocks of a guest function ran, from its SanitizerCoverage points (capstone CFG). */
#ifndef WARMFORK_COVER_CFG_H
#define WARMFORK_COVER_CFG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * SanitizerCoverage does not count every block: it skips a block that dominates all its
 * successors (it ran if any of them did) and a block with several predecessors that
 * post-dominates them (it ran if any of them did). A line in such a block has no counter of
 * its own, yet it ran. This rebuilds the function's control-flow graph from its aarch64 code
 * (capstone decodes the branches), and infers what ran from the counted blocks:
 *   - a block that dominates a block that ran, ran too;
 *   - an uncounted block with several predecessors ran when one of them ran, and one with a
 *     single predecessor whose only successor it is ran when that one ran;
 * repeated until nothing changes. Indirect jumps may reach any block (so they never create a
 * false dominator); an undecodable word ends its block. Calls are assumed to return, so code
 * right after a call to a function that never returns may be reported as run.
 */
struct wf_cfg;

/*
 * Build the graph of one function: `size` bytes of code at guest address `addr`, and the
 * npoints coverage points (guest PCs) inside it, in any order. Returns 0, -ENOMEM, or
 * -EINVAL (bad arguments, a point outside the function, capstone unavailable).
 */
int wf_cfg_build(const uint8_t *code, uint64_t addr, size_t size, const uint64_t *points,
		 size_t npoints, struct wf_cfg **out);
void wf_cfg_free(struct wf_cfg *g);

/* Its blocks, in address order: [start, end). */
size_t wf_cfg_nblocks(const struct wf_cfg *g);
void wf_cfg_block(const struct wf_cfg *g, size_t i, uint64_t *start, uint64_t *end);
/* The block holding pc, or SIZE_MAX. */
size_t wf_cfg_find(const struct wf_cfg *g, uint64_t pc);

/*
 * What ran in one execution: hit[k] says whether point k (in the order given to
 * wf_cfg_build) was reached; ran[] (nblocks entries) is filled.
 */
void wf_cfg_ran(const struct wf_cfg *g, const bool *hit, bool *ran);

#endif
