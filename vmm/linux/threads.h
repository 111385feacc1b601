// SPDX-License-Identifier: Apache-2.0
/* threads.h: guest threads on one vCPU (clone, exit, futex, waits) and the scheduler's steps. */
#ifndef WARMFORK_LINUX_THREADS_H
#define WARMFORK_LINUX_THREADS_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "linux/signals.h"

struct wf_proc;
struct wf_siginfo;

/*
 * The model (docs/architecture.md, "Threads"): every guest thread runs on the one vCPU, and
 * only the running thread executes guest code. A thread gives the vCPU up in a syscall: a
 * futex wait, a sleep, rt_sigsuspend or rt_sigtimedwait with other threads about, sched_yield, or exit. The
 * syscall sets p->resched; the VM then parks the running thread (wf_thread_park, after
 * bringing its FP/SIMD registers into the frame), picks the next one (wf_thread_pick) and
 * loads it (wf_thread_load). The choice is round-robin in slot order from the thread after
 * the one that stopped, so a run is deterministic for a given input.
 */

/* Make sure the thread table exists (slot 0: the running thread). 0 or -ENOMEM. */
int wf_thread_table(struct wf_proc *p);

/* Monotonic time in ns, the clock of every deadline. */
int64_t wf_thread_now(void);

/*
 * Block the running thread (the syscall handlers): state WF_THR_FUTEX/SLEEP/SIGWAIT with the
 * wait details already in p->thr[p->cur]; what the syscall returns comes later, so the
 * handler returns this value (a placeholder), and p->resched is set.
 */
int64_t wf_thread_block(struct wf_proc *p, int state, int64_t deadline, int64_t timeout_ret,
			int64_t intr_ret);

/* End slot's wait (it becomes runnable) with ret as its syscall's result. */
void wf_thread_wake(struct wf_proc *p, unsigned slot, int64_t ret);

/* Save the running thread's live state (p's per-thread fields, p->regs, the syscall sx) in
 * its slot. The caller has brought the FP/SIMD registers into p->regs. */
void wf_thread_park(struct wf_proc *p, const struct wf_sysexit *sx);

/*
 * The next thread to run at time now: waits whose deadline has passed end first. Returns
 * its slot, or -1 when none can run; then *until is the earliest deadline (0: none, so only
 * the run's own time limit can end the wait).
 */
int wf_thread_pick(struct wf_proc *p, int64_t now, int64_t *until);

/* Make slot the running thread: its state into p and p->regs (asking the vCPU stub to load
 * its FP/SIMD registers and TPIDR_EL0), and its syscall's exit into *sx. */
void wf_thread_load(struct wf_proc *p, unsigned slot, struct wf_sysexit *sx);

/*
 * Signals and waiting threads (signal.c): the slot of thread tid (-1 if there is none);
 * queue info on that thread; and after a process-directed signal, wake a waiting thread
 * that can take it when the running one blocks it (complete_signal's choice).
 */
int wf_thread_find(const struct wf_proc *p, int32_t tid);
int wf_thread_signal(struct wf_proc *p, unsigned slot, const struct wf_siginfo *info);
void wf_thread_wake_for(struct wf_proc *p, int sig);

/* futex.c: wake up to n waiters on a futex word (the exit path's clear_child_tid wake). */
int64_t wf_futex_wake(struct wf_proc *p, uint64_t uaddr, bool shared, int n, uint32_t bitset);

/* A thread sleep (time.c, with threads about): until deadline (CLOCK_MONOTONIC ns); a
 * relative one (abs false) writes the time left to rem_addr when a signal ends it. */
int64_t wf_thread_sleep(struct wf_proc *p, int64_t deadline, uint64_t rem_addr, bool abs);

/* rt_sigsuspend (set 0) or rt_sigtimedwait (the blocked signals in set it takes) with
 * threads about: wait for a signal, until deadline (CLOCK_MONOTONIC ns; 0: none; then the
 * result is -EAGAIN). Returns the placeholder. */
int64_t wf_thread_sigwait(struct wf_proc *p, uint64_t set, int64_t deadline);

/*
 * A host call that would block, with other guest threads alive: blocking the host thread
 * would stop them too (they run on it). Instead the calling thread sleeps in the scheduler
 * for WF_THREAD_RETRY_NS and then makes the same syscall again (ERESTARTNOINTR), so the
 * others run meanwhile; a signal ends the sleep with intr_ret (the call's restart code).
 * wf_thread_others: whether another thread of the process is alive. wf_thread_retry returns
 * the placeholder; the caller returns it.
 */
#define WF_THREAD_RETRY_NS 2000000
bool wf_thread_others(const struct wf_proc *p);
int64_t wf_thread_retry(struct wf_proc *p, int64_t intr_ret);
/* Whether a blocking transfer on host fd hfd would wait now (poll, no timeout). */
bool wf_host_would_block(int hfd, bool out);

#endif
