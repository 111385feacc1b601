// SPDX-License-Identifier: Apache-2.0
/* proc_snap.h: fork and reset of the emulated process: snapshots of a warm master's wf_proc. */
#ifndef WARMFORK_PROC_SNAP_H
#define WARMFORK_PROC_SNAP_H

#include <stdint.h>

#include "err.h"
#include "proc.h"

/*
 * The VMM side of warm forks (guest memory and page tables are restored elsewhere, and never
 * touched here). A snapshot is an immutable copy of a process's VMM state at the master's
 * ready point; a fork is a process made from it, and wf_proc_reset brings the fork back to it
 * after every input.
 *
 * Open files. The snapshot groups the master's host fds by open file description (two guest
 * fds that share an offset, dup'ed, stay sharing in every fork) and holds a duplicate of each.
 * A fork gets its OWN description of every regular file, directory and device, reopened via
 * /proc/self/fd with the master's access mode and status flags and positioned at the
 * master's offset (the directory stream position for getdents64 too): its reads and seeks
 * never move the master's or a sibling's position. This works for deleted files as well.
 * O_PATH fds carry no position and are duplicated.
 *
 * Limitation: pipes (and sockets) cannot be reopened independently. Forks share the
 * snapshot's pipe ends: bytes one fork reads are gone for all, and a fork's F_SETFL (e.g.
 * O_NONBLOCK) changes the shared status flags until its next reset restores them.
 *
 * File contents are not snapshotted: writes a fork makes to files under an --allow-write
 * directory stay (as does anything created, renamed or deleted there).
 *
 * stdin (WF_FD_STDIN) and fd 1/2 output (WF_FD_OUTPUT) are the embedder's and copied as-is.
 *
 * The allow-list is read-only after set-up: forks borrow the snapshot's (wf_proc_allow on a
 * fork fails with -EPERM), so every fork must be finalised before its snapshot is freed.
 *
 * Counters: wf_proc_reset puts syscalls/unknown_syscalls back to the snapshot's values (a
 * fork's counts mean "since the master started", like every other field), after adding the
 * finished run's share to the cumulative totals of wf_proc_fork_stats().
 *
 * Randomness: the PRNG state is part of the snapshot, so every fork and every reset replays
 * the same getrandom/AT_RANDOM stream (deterministic runs; for a non-deterministic master the
 * stream is still identical across its forks, like the kernel's fork of a userspace PRNG).
 */
struct wf_proc_snap;

/*
 * Capture p (the master, which will never run again). Host fds are duplicated so the snapshot
 * owns what it holds: p may be finalised afterwards. p must not have exited. 0 or -errno.
 */
int wf_proc_snap_take(const struct wf_proc *p, struct wf_proc_snap **out, struct wf_err *e);
void wf_proc_snap_free(struct wf_proc_snap *s);

/*
 * Make p a copy of the snapshot: the fork's own process. p is a zeroed struct whose mem, mmu,
 * mmu_ctx, print, print_ctx, trace and trace_out fields the caller has set; those (and regs,
 * which the VM points at its frame page) stay the caller's across resets. On failure p owns nothing (wf_proc_fini is still safe on it).
 */
int wf_proc_fork(struct wf_proc *p, const struct wf_proc_snap *s, struct wf_err *e);

/*
 * Reset p (made by wf_proc_fork from s) back to exactly s: fds (closing those opened since,
 * restoring those closed or replaced, every offset, status flags and FD_CLOEXEC), cwd, umask,
 * brk and mmap layout (the VMA list; not guest memory), signal state, identity, rlimits, comm,
 * the PRNG, output count, and clears exited/exit_status/killed_by. The cost follows what the
 * run touched: only the fds it reached are looked at. On failure the fork is unusable
 * (wf_proc_fini it).
 */
int wf_proc_reset(struct wf_proc *p, const struct wf_proc_snap *s, struct wf_err *e);

/* Totals over a fork's finished runs (each wf_proc_reset ends one). */
struct wf_proc_fork_stats {
	uint64_t resets;
	uint64_t syscalls;          /* syscalls made by the runs (the master's own excluded) */
	uint64_t unknown_syscalls;
	uint64_t fds_restored;      /* touched fds that had to be closed, reopened or re-dup'ed */
};
void wf_proc_fork_stats(const struct wf_proc *p, struct wf_proc_fork_stats *out);

/* Free a fork's bookkeeping (its descriptions, the touched-fd tracking). wf_proc_fini calls it. */
void wf_proc_fork_release(struct wf_proc *p);

#endif
