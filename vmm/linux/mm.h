// SPDX-License-Identifier: Apache-2.0
/* mm.h: the VMA layer behind the memory syscalls, also used to lay out a new process. */
#ifndef WARMFORK_MM_H
#define WARMFORK_MM_H

#include "proc.h"

/*
 * Map [start, start+len) (page aligned, inside the user range) with fresh zero pages and
 * WF_PROT_* `prot`, replacing whatever was there. 0 or -ENOMEM.
 */
int wf_mm_map_fixed(struct wf_proc *p, wf_gaddr_t start, uint64_t len, unsigned prot, int flags);

/*
 * Whether addr lies in a mapping (of any protection): a fault there is SEGV_ACCERR, else
 * SEGV_MAPERR, as Linux decides by its VMAs.
 */
bool wf_mm_mapped(const struct wf_proc *p, wf_gaddr_t addr);

/* Unmap [start, start+len) (page aligned). */
int wf_mm_unmap(struct wf_proc *p, wf_gaddr_t start, uint64_t len);

/*
 * A demand-paged page (outside p->mem's RAM windows) is touched with WF_PROT_* `prot`, by the
 * guest (a translation fault) or the host (guest_mem's page callback): when a mapping there
 * allows it, give the page RAM if it has none yet and put its RAM offset in *off. -EFAULT
 * when no mapping allows the access, -ENOMEM when the pool of RAM for such pages is used up
 * (mem_exhausted is set).
 */
int wf_mm_touch(struct wf_proc *p, wf_gaddr_t va, unsigned prot, uint64_t *off);

#endif
