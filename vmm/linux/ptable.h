// SPDX-License-Identifier: Apache-2.0
/* ptable.h: the processes of one sandbox in memory its host processes share: pids, groups, wait, kill. */
#ifndef WARMFORK_LINUX_PTABLE_H
#define WARMFORK_LINUX_PTABLE_H

#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "proc.h" /* struct wf_sock_ids */

struct wf_proc;

/*
 * The model (docs/architecture.md, "Processes"): every guest process is a host process
 * running its own VM, forked from its parent's. Until the first fork a process has no table
 * and is alone (pid 2, its own group and session). The first fork makes the table, in a
 * shared anonymous mapping every later process inherits; the first process is the sandbox's
 * init, to which orphans are reparented (its host process is a child subreaper, so the host
 * agrees). Signals between processes are bits in the target's entry; the host signal
 * WF_WAKE_SIGNAL makes the target's VMM look at them (it interrupts KVM_RUN and blocking
 * host calls, which then restart as Linux's ERESTARTSYS does).
 */
#define WF_WAKE_SIGNAL (SIGRTMIN + 5)
#define WF_MAX_PROCS_DEFAULT 256

enum wf_ptask_state { WF_PT_FREE = 0, WF_PT_ALIVE, WF_PT_ZOMBIE };

struct wf_ptask {
	int state;                /* enum wf_ptask_state */
	int32_t pid, ppid, pgid, sid;
	pid_t host;               /* the host process running it (0 until it is known) */
	int32_t wstatus;          /* a zombie's wait status (exit code << 8, or the signal) */
	int32_t exit_signal;      /* what the parent gets when it ends (SIGCHLD, or 0) */
	uint32_t vfork_done;      /* futex word: a vfork parent sleeps until it is 1 */
	bool execed;              /* it called execve (setpgid by its parent: EACCES) */
	bool nocldwait;           /* its SIGCHLD is SIG_IGN or SA_NOCLDWAIT: no zombies */
	bool autoreap;            /* a zombie nobody waits for (its parent's nocldwait) */
	bool nocldstop;           /* its SIGCHLD has SA_NOCLDSTOP: no SIGCHLD for stops */
	uint32_t stopped;         /* futex word: 1 while a stop signal holds it (job control) */
	int32_t stop_sig;         /* the signal that stopped it */
	int32_t report;           /* a stop or continue its parent's wait has not taken yet */
	int32_t chld_code;        /* si_code and si_status of the SIGCHLD it was last sent */
	int32_t chld_status;
	int32_t pdeathsig;        /* prctl(PR_SET_PDEATHSIG): sent to it when its parent ends */
	int32_t threads;          /* its live threads; its name and the start of its command */
	char comm[16];            /* line: what other processes' /proc/PID shows (procfs.c) */
	uint32_t cmdline_len;
	char cmdline[256];
	uint64_t pending;         /* signals from other processes, not taken yet (atomic) */
	int32_t sender[64];       /* si_pid of each of them */
	int32_t code[64];         /* their si_code (0: SI_USER, kill) and, for rt_sigqueueinfo's */
	uint64_t value[64];       /* (si_code < 0), si_value */
};

struct wf_ptab {
	pthread_mutex_t lock;     /* process-shared, robust */
	uint32_t gen;             /* futex word: bumped whenever a process ends */
	int32_t next_pid;
	unsigned max;
	struct wf_sock_ids sock_ids;  /* the sandbox's path sockets (linux/unix.c), from then on */
	struct wf_ptask t[];
};

/* Make the table with p as init (max entries, at least 1): 0, or -ENOMEM. Once per sandbox. */
int wf_ptab_create(struct wf_proc *p, unsigned max);

/* An id no process has, for a new thread's tid once the table exists. */
int32_t wf_ptab_new_id(struct wf_proc *p);
/* A new child of p (exit_signal to p when it ends): its slot, or -EAGAIN (table full). */
int wf_ptab_add_child(struct wf_proc *p, int exit_signal);
/* The parent side after the host fork: the child's host pid; or the fork failed (drop). */
void wf_ptab_started(struct wf_proc *p, int slot, pid_t host);
void wf_ptab_drop(struct wf_proc *p, int slot);
/* The child side: p becomes the process in slot (pid, ppid, no other threads, no pending). */
void wf_ptab_become(struct wf_proc *p, int slot);
/* A vfork parent sleeps until the child execs or ends (0, or -EINTR: SIGKILL came). */
int wf_ptab_vfork_wait(struct wf_proc *p, int slot);
/* The child execs or ends: its vfork parent goes on. */
void wf_ptab_vfork_release(struct wf_proc *p);

/* A stop signal's default action (job control): p stops, its parent hears of it (SIGCHLD
 * CLD_STOPPED unless SA_NOCLDSTOP; WSTOPPED waits). p->stopped is set; the run loop then
 * waits in wf_ptab_stopped_wait until SIGCONT or a fatal signal comes. False: not stopped
 * (SIGTSTP, SIGTTIN or SIGTTOU in an orphaned process group). */
bool wf_ptab_stop(struct wf_proc *p, int sig);
/* One bounded wait while p is stopped; clears p->stopped once another process continued it. */
void wf_ptab_stopped_wait(struct wf_proc *p);

/* p ends with wait status ws: a zombie for its parent, its children go to init, its parent
 * gets exit_signal. Init ending ends the whole sandbox (wf_ptab_end_all). */
void wf_ptab_exit(struct wf_proc *p, int ws);
/* Kill and reap every other process of the sandbox and drop the table (p: its init). */
void wf_ptab_end_all(struct wf_proc *p);

/* Take the signals other processes sent p into its pending sets (each exit from the guest).
 * Returns true if SIGKILL was among them. */
bool wf_ptab_pull(struct wf_proc *p);
/* Whether another process sent p signals it has not pulled yet (one atomic load). */
bool wf_ptab_waiting(struct wf_proc *p);

/* Linux's syscalls on the table (process.c and signal.c call them when p->ptab is set). */
int64_t wf_ptab_wait(struct wf_proc *p, int which, int32_t id, int options, int32_t *wstatus,
		     int32_t *code);
int64_t wf_ptab_kill(struct wf_proc *p, int32_t pid, int sig);
/* rt_sigqueueinfo to process pid (> 0) with info (si_code < 0): 0, 1 (pid is the caller:
 * it queues the signal itself), or -ESRCH. */
int64_t wf_ptab_queue(struct wf_proc *p, int32_t pid, const struct wf_siginfo *info);
int32_t wf_ptab_getppid(struct wf_proc *p);
int64_t wf_ptab_getpgid(struct wf_proc *p, int32_t pid, bool sid);
int64_t wf_ptab_setpgid(struct wf_proc *p, int32_t pid, int32_t pgid);
int64_t wf_ptab_setsid(struct wf_proc *p);
/* p's SIGCHLD action changed (sigaction, fork, exec): record whether its children are
 * reaped without a wait (SIG_IGN or SA_NOCLDWAIT), as Linux's do_notify_parent does. */
void wf_ptab_note_sigchld(struct wf_proc *p);
/* p's name, command line or thread count changed (start, exec, PR_SET_NAME, clone, exit):
 * record them for /proc/PID. */
void wf_ptab_note_names(struct wf_proc *p);
static inline void wf_ptab_note_pdeathsig(struct wf_proc *p)
{
	if (p->ptab)
		__atomic_store_n(&p->ptab->t[p->ptab_slot].pdeathsig, p->pdeathsig, __ATOMIC_RELAXED);
}
static inline void wf_ptab_note_threads(struct wf_proc *p)
{
	if (p->ptab)
		__atomic_store_n(&p->ptab->t[p->ptab_slot].threads, (int32_t)p->live, __ATOMIC_RELAXED);
}
/* A copy of the entry of process pid (alive or a zombie): 0, or -ESRCH. */
int wf_ptab_peek(struct wf_proc *p, int32_t pid, struct wf_ptask *out);

/* Is some other process of the sandbox in process group pgid? */
bool wf_ptab_group_exists(struct wf_proc *p, int32_t pgid);

#endif
