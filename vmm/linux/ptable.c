// SPDX-License-Identifier: Apache-2.0
/* ptable.c: the sandbox's process table: pids, parents, groups, zombies, waits and signals between processes. */
#include "linux/ptable.h"

#include <errno.h>
#include <linux/futex.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>

#include "linux/threads.h"
#include <unistd.h>

#include "linux/signals.h"
#include "linux/syscall.h"

#define P_ALL_ 0
#define P_PID_ 1
#define P_PGID_ 2
#define G_WNOHANG 0x1
#define G_WNOWAIT 0x01000000
#define G_WSTOPPED 0x2
#define G_WEXITED 0x4
#define G_WCONTINUED 0x8
#define G_CLD_EXITED 1
#define G_CLD_KILLED 2
#define G_CLD_STOPPED 5
#define G_CLD_CONTINUED 6
#define G_SA_NOCLDSTOP 1
#define G_SA_NOCLDWAIT 2
#define STOP_SIGS (WF_SIGBIT(WF_SIGSTOP) | WF_SIGBIT(WF_SIGTSTP) | WF_SIGBIT(WF_SIGTTIN) | \
		   WF_SIGBIT(WF_SIGTTOU))

/* What a parent's wait has yet to take from a live child (wf_ptask.report). */
enum { REPORT_NONE, REPORT_STOPPED, REPORT_CONTINUED };

static size_t tab_bytes(unsigned max)
{
	return sizeof(struct wf_ptab) + (size_t)max * sizeof(struct wf_ptask);
}

static void lock(struct wf_ptab *t)
{
	/* A process killed while holding the lock leaves it consistent: every update under
	 * it is a few stores with no invariant spanning a kill. */
	if (pthread_mutex_lock(&t->lock) == EOWNERDEAD)
		pthread_mutex_consistent(&t->lock);
}

static void unlock(struct wf_ptab *t)
{
	pthread_mutex_unlock(&t->lock);
}

static struct wf_ptask *self(struct wf_proc *p)
{
	return &p->ptab->t[p->ptab_slot];
}

static struct wf_ptask *find(struct wf_ptab *t, int32_t pid)
{
	for (unsigned i = 0; i < t->max; i++)
		if (t->t[i].state != WF_PT_FREE && t->t[i].pid == pid)
			return &t->t[i];
	return NULL;
}

static void sweep(struct wf_proc *p);

static long futex(uint32_t *word, int op, uint32_t val, const struct timespec *ts)
{
	return syscall(SYS_futex, word, op, val, ts, NULL, 0);
}

int wf_ptab_create(struct wf_proc *p, unsigned max)
{
	if (p->ptab)
		return 0;
	if (!max)
		max = 1;
	struct wf_ptab *t = mmap(NULL, tab_bytes(max), PROT_READ | PROT_WRITE,
				 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (t == MAP_FAILED)
		return -ENOMEM;
	pthread_mutexattr_t a;
	pthread_mutexattr_init(&a);
	pthread_mutexattr_setpshared(&a, PTHREAD_PROCESS_SHARED);
	pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
	pthread_mutex_init(&t->lock, &a);
	pthread_mutexattr_destroy(&a);
	t->max = max;
	if (p->sock_ids)
		t->sock_ids = *p->sock_ids;
	/* Threads made before the table took the tids after the pid. */
	t->next_pid = (p->next_tid > p->pid ? p->next_tid : p->pid + 1);
	struct wf_ptask *init = &t->t[0];
	*init = (struct wf_ptask){.state = WF_PT_ALIVE, .pid = p->pid, .ppid = p->ppid,
				  .pgid = p->pid, .sid = p->pid, .host = getpid()};
	/* Orphans of the sandbox come to this host process, as they do to the guest's init. */
	prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
	p->ptab = t;
	p->ptab_slot = 0;
	wf_ptab_note_sigchld(p); /* set before the first fork, too */
	wf_ptab_note_names(p);
	return 0;
}

void wf_ptab_note_names(struct wf_proc *p)
{
	if (!p->ptab)
		return;
	struct wf_ptask *me = self(p);
	char line[sizeof(me->cmdline)];
	uint64_t n = p->arg_end > p->arg_start ? p->arg_end - p->arg_start : 0;
	if (n > sizeof(line))
		n = sizeof(line);
	if (n && wf_mem_read(&p->mem, line, p->arg_start, n))
		n = 0; /* unreadable (the guest unmapped it): empty, as Linux's get_mm_cmdline */
	lock(p->ptab);
	memcpy(me->comm, p->comm, sizeof(me->comm));
	me->comm[sizeof(me->comm) - 1] = 0;
	memcpy(me->cmdline, line, n);
	me->cmdline_len = (uint32_t)n;
	me->threads = (int32_t)(p->live ? p->live : 1);
	unlock(p->ptab);
}

int wf_ptab_peek(struct wf_proc *p, int32_t pid, struct wf_ptask *out)
{
	struct wf_ptab *t = p->ptab;
	if (!t)
		return -ESRCH;
	lock(t);
	const struct wf_ptask *e = find(t, pid);
	if (e)
		*out = *e;
	unlock(t);
	return e ? 0 : -ESRCH;
}

/* The next free id (a pid or tid), under the lock. */
static int32_t next_id(struct wf_ptab *t)
{
	int32_t pid = t->next_pid;
	while (find(t, pid) || pid < 2)
		pid = pid >= 4194304 ? 2 : pid + 1; /* pid_max's default */
	t->next_pid = pid + 1;
	return pid;
}

int32_t wf_ptab_new_id(struct wf_proc *p)
{
	lock(p->ptab);
	int32_t id = next_id(p->ptab);
	unlock(p->ptab);
	return id;
}

int wf_ptab_add_child(struct wf_proc *p, int exit_signal)
{
	struct wf_ptab *t = p->ptab;
	lock(t);
	int slot = -1;
	sweep(p);
	for (unsigned i = 0; i < t->max && slot < 0; i++)
		if (t->t[i].state == WF_PT_FREE)
			slot = (int)i;
	if (slot >= 0) {
		int32_t pid = next_id(t);
		const struct wf_ptask *me = self(p);
		t->t[slot] = (struct wf_ptask){.state = WF_PT_ALIVE, .pid = pid, .ppid = me->pid,
					       .pgid = me->pgid, .sid = me->sid,
					       .exit_signal = exit_signal, .threads = 1,
					       .cmdline_len = me->cmdline_len};
		memcpy(t->t[slot].comm, me->comm, sizeof(me->comm));
		memcpy(t->t[slot].cmdline, me->cmdline, me->cmdline_len);
	}
	unlock(t);
	return slot >= 0 ? slot : -EAGAIN;
}

void wf_ptab_started(struct wf_proc *p, int slot, pid_t host)
{
	p->ptab->t[slot].host = host;
}

void wf_ptab_drop(struct wf_proc *p, int slot)
{
	lock(p->ptab);
	memset(&p->ptab->t[slot], 0, sizeof(p->ptab->t[slot]));
	unlock(p->ptab);
}

void wf_ptab_become(struct wf_proc *p, int slot)
{
	struct wf_ptask *me = &p->ptab->t[slot];
	me->host = getpid();
	p->ptab_slot = (unsigned)slot;
	p->pid = p->tid = me->pid;
	p->ppid = me->ppid;
	p->pdeathsig = me->pdeathsig = 0; /* copy_process: not inherited */
	/* Only the forking thread goes on in the child (its state is the live one in p). */
	free(p->thr);
	p->thr = NULL;
	p->nthr = p->thr_cap = p->cur = 0;
	p->live = 1;
	p->resched = p->parked = p->leader_exited = false;
	p->next_tid = 0;
	/* Linux's copy_process: no pending signals, no robust list in the child. */
	memset(&p->sigshared, 0, sizeof(p->sigshared));
	memset(&p->sigthr.pending, 0, sizeof(p->sigthr.pending));
	p->robust_list = p->robust_len = 0;
	p->syscalls = 0;
	wf_ptab_note_sigchld(p);
}

int wf_ptab_vfork_wait(struct wf_proc *p, int slot)
{
	uint32_t *w = &p->ptab->t[slot].vfork_done;
	const uint64_t *pending = &self(p)->pending;
	while (!__atomic_load_n(w, __ATOMIC_ACQUIRE)) {
		/* Only SIGKILL ends the wait early (Linux's is killable, not interruptible). */
		if (futex(w, FUTEX_WAIT, 0, NULL) && errno == EINTR &&
		    (__atomic_load_n(pending, __ATOMIC_RELAXED) & WF_SIGBIT(WF_SIGKILL)))
			return -EINTR;
	}
	return 0;
}

void wf_ptab_vfork_release(struct wf_proc *p)
{
	if (!p->ptab)
		return;
	uint32_t *w = &self(p)->vfork_done;
	if (__atomic_exchange_n(w, 1, __ATOMIC_RELEASE) == 0)
		futex(w, FUTEX_WAKE, INT32_MAX, NULL);
}

void wf_ptab_note_sigchld(struct wf_proc *p)
{
	if (!p->ptab)
		return;
	const struct wf_sigaction *a = &p->sigact[WF_SIGCHLD];
	self(p)->nocldwait = a->handler == WF_SIG_IGN || (a->flags & G_SA_NOCLDWAIT);
	self(p)->nocldstop = a->handler == WF_SIG_IGN || (a->flags & G_SA_NOCLDSTOP);
}

/* Reap p's zombies nobody will wait for (under the lock): their host processes too, which
 * only their parent's host process can do. */
static void sweep(struct wf_proc *p)
{
	struct wf_ptab *t = p->ptab;
	int32_t me = self(p)->pid;
	for (unsigned i = 1; i < t->max; i++) {
		struct wf_ptask *c = &t->t[i];
		if (c->state == WF_PT_ZOMBIE && c->autoreap && c->ppid == me && c->host > 0 &&
		    waitpid(c->host, NULL, __WALL | WNOHANG) != 0)
			memset(c, 0, sizeof(*c));
	}
}

static void generate(struct wf_ptab *t, struct wf_ptask *e, int sig, int32_t from);
static void post(struct wf_ptask *e, int sig, int32_t from);

/* Tell c's parent (under the lock) that c stopped, continued or ended: SIGCHLD's si_code and
 * si_status, the signal (exit_signal for an end, SIGCHLD otherwise) unless its action says
 * not to (do_notify_parent_cldstop, do_notify_parent), and its waits. */
static void notify_parent(struct wf_ptab *t, struct wf_ptask *c, int sig, int code, int status)
{
	struct wf_ptask *parent = find(t, c->ppid);
	bool quiet = code == G_CLD_STOPPED || code == G_CLD_CONTINUED ? parent && parent->nocldstop : false;
	if (parent && parent->state == WF_PT_ALIVE && sig && !quiet) {
		parent->chld_code = code;
		parent->chld_status = status;
		post(parent, sig, c->pid);
	}
	__atomic_fetch_add(&t->gen, 1, __ATOMIC_RELEASE);
}

/* Queue sig on entry e from process `from` and wake its VMM. */
static void post(struct wf_ptask *e, int sig, int32_t from)
{
	e->sender[sig - 1] = from;
	__atomic_fetch_or(&e->pending, WF_SIGBIT(sig), __ATOMIC_RELEASE);
	if (e->host > 0)
		kill(e->host, WF_WAKE_SIGNAL);
}

void wf_ptab_exit(struct wf_proc *p, int ws)
{
	struct wf_ptab *t = p->ptab;
	if (!t)
		return;
	if (p->ptab_slot == 0) {
		wf_ptab_end_all(p);
		return;
	}
	wf_ptab_vfork_release(p);
	lock(t);
	struct wf_ptask *me = self(p);
	int32_t init = t->t[0].pid;
	for (unsigned i = 0; i < t->max; i++) {
		struct wf_ptask *c = &t->t[i];
		if (c->state == WF_PT_FREE || c->ppid != me->pid || c == me)
			continue;
		c->ppid = init;
		if (c->state == WF_PT_ALIVE && c->pdeathsig) /* prctl(PR_SET_PDEATHSIG) */
			generate(t, c, c->pdeathsig, me->pid);
	}
	me->wstatus = ws;
	me->state = WF_PT_ZOMBIE;
	struct wf_ptask *parent = find(t, me->ppid);
	me->autoreap = parent && parent->nocldwait;
	notify_parent(t, me, me->exit_signal, (ws & 0x7f) ? G_CLD_KILLED : G_CLD_EXITED,
		      (ws & 0x7f) ? ws & 0x7f : (ws >> 8) & 0xff);
	unlock(t);
	futex(&t->gen, FUTEX_WAKE, INT32_MAX, NULL);
}

void wf_ptab_end_all(struct wf_proc *p)
{
	struct wf_ptab *t = p->ptab;
	if (!t)
		return;
	lock(t);
	for (unsigned i = 1; i < t->max; i++)
		if (t->t[i].state == WF_PT_ALIVE)
			post(&t->t[i], WF_SIGKILL, p->pid);
	unlock(t);
	/* Every one of them is a host child of this (subreaper) process by now or soon. */
	for (unsigned i = 1; i < t->max; i++) {
		if (t->t[i].state == WF_PT_FREE || t->t[i].host <= 0)
			continue;
		for (int tries = 0; tries < 2000; tries++) {
			pid_t r = waitpid(t->t[i].host, NULL, __WALL | WNOHANG);
			if (r != 0)
				break;
			if (tries % 100 == 99) /* a VMM that does not look: wake it again */
				kill(t->t[i].host, WF_WAKE_SIGNAL);
			struct timespec ts = {0, 1000000};
			nanosleep(&ts, NULL);
		}
	}
	while (waitpid(-1, NULL, __WALL | WNOHANG) > 0)
		; /* reparented orphans that had already left the table */
	munmap(t, tab_bytes(t->max));
	p->ptab = NULL;
	p->ptab_slot = 0;
}

bool wf_ptab_waiting(struct wf_proc *p)
{
	return __atomic_load_n(&self(p)->pending, __ATOMIC_RELAXED) != 0;
}

bool wf_proc_signalled(struct wf_proc *p)
{
	if (p->mmu && p->mmu->may_block)
		p->mmu->may_block(p->mmu_ctx);
	/* a guest timer due is a signal on its way too (its wake-up may have come already) */
	return (p->ptab && wf_ptab_waiting(p)) ||
	       (p->timer_next && wf_thread_now() >= p->timer_next);
}

bool wf_ptab_pull(struct wf_proc *p)
{
	struct wf_ptask *me = self(p);
	if (!__atomic_load_n(&me->pending, __ATOMIC_RELAXED))
		return false;
	uint64_t bits = __atomic_exchange_n(&me->pending, 0, __ATOMIC_ACQUIRE);
	bool killed = bits & WF_SIGBIT(WF_SIGKILL);
	for (int sig = 1; bits; sig++, bits >>= 1) {
		if (!(bits & 1))
			continue;
		struct wf_siginfo info = {.signo = sig, .code = me->code[sig - 1],
					  .pid = me->sender[sig - 1], .uid = p->uid};
		if (info.code < 0)
			info.addr = me->value[sig - 1]; /* rt_sigqueueinfo's si_value */
		if (sig == WF_SIGCHLD && me->chld_code) {
			info.code = me->chld_code;
			info.status = me->chld_status;
		}
		if (wf_signal_default_action(sig) == WF_SIGDFL_IGN &&
		    p->sigact[sig].handler == WF_SIG_DFL)
			continue;
		if (p->sigact[sig].handler == WF_SIG_IGN)
			continue;
		(void)wf_signal_queue(p, &info, false);
	}
	if (killed)
		wf_proc_kill(p, WF_SIGKILL);
	return killed;
}

/* A child whose VMM died without saying so (killed from outside, a VMM crash): a zombie
 * killed by what killed its host process. Checked when a wait has slept a while. */
static void reap_lost(struct wf_proc *p)
{
	struct wf_ptab *t = p->ptab;
	lock(t);
	const struct wf_ptask *me = self(p);
	bool any = false;
	for (unsigned i = 0; i < t->max; i++) {
		struct wf_ptask *c = &t->t[i];
		siginfo_t si = {0};
		if (c->state != WF_PT_ALIVE || c->ppid != me->pid || c->host <= 0 ||
		    waitid(P_PID, (id_t)c->host, &si, WEXITED | WNOHANG | WNOWAIT) || !si.si_pid)
			continue;
		c->state = WF_PT_ZOMBIE;
		c->wstatus = si.si_code == CLD_EXITED ? WF_SIGKILL : si.si_status & 0x7f;
		any = true;
	}
	if (any)
		__atomic_fetch_add(&t->gen, 1, __ATOMIC_RELEASE);
	unlock(t);
}

static bool matches(const struct wf_ptask *c, int which, int32_t id)
{
	return which == P_ALL_ || (which == P_PID_ && c->pid == id) ||
	       (which == P_PGID_ && c->pgid == id);
}

int64_t wf_ptab_wait(struct wf_proc *p, int which, int32_t id, int options, int32_t *wstatus,
		     int32_t *code)
{
	struct wf_ptab *t = p->ptab;
	for (;;) {
		lock(t);
		sweep(p);
		uint32_t gen = __atomic_load_n(&t->gen, __ATOMIC_ACQUIRE);
		struct wf_ptask *me = self(p), *zombie = NULL, *changed = NULL;
		bool any = false;
		for (unsigned i = 0; i < t->max; i++) {
			struct wf_ptask *c = &t->t[i];
			if (c->state == WF_PT_FREE || c == me || c->ppid != me->pid ||
			    !matches(c, which, id) || (c->state == WF_PT_ZOMBIE && c->autoreap))
				continue;
			any = true;
			/* wait_consider_task: an exit, else a stop, else a continue, child by child */
			if (c->state == WF_PT_ZOMBIE && (options & G_WEXITED)) {
				zombie = c;
				break;
			}
			if (c->state == WF_PT_ALIVE &&
			    ((c->report == REPORT_STOPPED && (options & G_WSTOPPED)) ||
			     (c->report == REPORT_CONTINUED && (options & G_WCONTINUED)))) {
				changed = c;
				break;
			}
		}
		if (changed) {
			int32_t pid = changed->pid;
			bool stop = changed->report == REPORT_STOPPED;
			*wstatus = stop ? (changed->stop_sig << 8) | 0x7f : 0xffff;
			*code = stop ? G_CLD_STOPPED : G_CLD_CONTINUED;
			if (!(options & G_WNOWAIT))
				changed->report = REPORT_NONE;
			unlock(t);
			return pid;
		}
		if (zombie) {
			int32_t pid = zombie->pid, ws = zombie->wstatus;
			pid_t host = zombie->host;
			if (!(options & G_WNOWAIT))
				memset(zombie, 0, sizeof(*zombie));
			unlock(t);
			if (!(options & G_WNOWAIT) && host > 0)
				waitpid(host, NULL, __WALL); /* it is exiting right now */
			*wstatus = ws;
			*code = (ws & 0x7f) ? G_CLD_KILLED : G_CLD_EXITED;
			return pid;
		}
		unlock(t);
		if (!any)
			return -ECHILD;
		if (options & G_WNOHANG)
			return 0;
		/* A signal for this process (another one's kill, the run's timer) ends the sleep:
		 * the syscall restarts after the VMM has looked at it, as ERESTARTSYS does. */
		if (__atomic_load_n(&me->pending, __ATOMIC_RELAXED))
			return -WF_ERESTARTSYS;
		struct timespec ts = {0, 200000000};
		if (futex(&t->gen, FUTEX_WAIT, gen, &ts) == 0 || errno != ETIMEDOUT) {
			if (errno == EINTR)
				return -WF_ERESTARTSYS;
			continue;
		}
		reap_lost(p);
	}
}

/*
 * sig from process `from` to live entry e (under the lock), with prepare_signal's job
 * control: SIGCONT drops e's pending stop signals and continues it if stopped (its parent
 * hears CLD_CONTINUED); a stop signal drops a pending SIGCONT.
 */
static void generate(struct wf_ptab *t, struct wf_ptask *e, int sig, int32_t from)
{
	if (sig == WF_SIGCONT) {
		__atomic_fetch_and(&e->pending, ~(uint64_t)STOP_SIGS, __ATOMIC_RELAXED);
		/* SIGCONT itself first: the process, once going, delivers it before its own
		 * next instruction (a handler runs at once, as on Linux) */
		post(e, sig, from);
		if (__atomic_load_n(&e->stopped, __ATOMIC_RELAXED)) {
			__atomic_store_n(&e->stopped, 0, __ATOMIC_RELEASE);
			futex(&e->stopped, FUTEX_WAKE, INT32_MAX, NULL);
			e->report = REPORT_CONTINUED;
			notify_parent(t, e, WF_SIGCHLD, G_CLD_CONTINUED, WF_SIGCONT);
			futex(&t->gen, FUTEX_WAKE, INT32_MAX, NULL);
		}
		return;
	} else if (STOP_SIGS & WF_SIGBIT(sig)) {
		__atomic_fetch_and(&e->pending, ~WF_SIGBIT(WF_SIGCONT), __ATOMIC_RELAXED);
	} else if (sig == WF_SIGCHLD) {
		e->chld_code = 0; /* a plain kill: SI_USER */
	}
	e->code[sig - 1] = WF_SI_USER;
	post(e, sig, from);
}

/* will_become_orphaned_pgrp (under the lock): no member of group pgid has a parent in
 * another group of the same session (init's parent, outside the sandbox, counts as none). */
static bool orphaned(struct wf_ptab *t, int32_t pgid)
{
	for (unsigned i = 0; i < t->max; i++) {
		const struct wf_ptask *e = &t->t[i], *parent;
		if (e->state == WF_PT_ALIVE && e->pgid == pgid && (parent = find(t, e->ppid)) &&
		    parent->pgid != pgid && parent->sid == e->sid)
			return false;
	}
	return true;
}

bool wf_ptab_stop(struct wf_proc *p, int sig)
{
	struct wf_ptab *t = p->ptab;
	lock(t);
	struct wf_ptask *me = self(p);
	/* get_signal: the terminal stop signals do nothing in an orphaned process group */
	if (sig != WF_SIGSTOP && orphaned(t, me->pgid)) {
		unlock(t);
		return false;
	}
	__atomic_store_n(&me->stopped, 1, __ATOMIC_RELEASE);
	me->stop_sig = sig;
	me->report = REPORT_STOPPED;
	notify_parent(t, me, WF_SIGCHLD, G_CLD_STOPPED, sig);
	unlock(t);
	futex(&t->gen, FUTEX_WAKE, INT32_MAX, NULL);
	p->stopped = true;
	return true;
}

void wf_ptab_stopped_wait(struct wf_proc *p)
{
	struct wf_ptask *me = self(p);
	if (__atomic_load_n(&me->stopped, __ATOMIC_ACQUIRE) &&
	    !__atomic_load_n(&me->pending, __ATOMIC_RELAXED)) {
		/* Bounded: the run's deadline is looked at between waits (its timer ends one). */
		struct timespec ts = {0, 200000000};
		futex(&me->stopped, FUTEX_WAIT, 1, &ts);
	}
	p->stopped = __atomic_load_n(&me->stopped, __ATOMIC_ACQUIRE) != 0;
}

int64_t wf_ptab_kill(struct wf_proc *p, int32_t pid, int sig)
{
	struct wf_ptab *t = p->ptab;
	if (sig < 0 || sig > 64)
		return -EINVAL;
	bool found = false, to_self = false;
	lock(t);
	struct wf_ptask *me = self(p);
	int32_t group = pid == 0 ? me->pgid : -pid;
	for (unsigned i = 0; i < t->max; i++) {
		struct wf_ptask *e = &t->t[i];
		if (e->state == WF_PT_FREE)
			continue;
		bool hit = pid > 0 ? e->pid == pid :
			   pid == -1 ? (e != me && i != 0) :
				       e->pgid == group;
		if (!hit)
			continue;
		found = true;
		if (e == me)
			to_self = true;
		else if (sig && e->state == WF_PT_ALIVE)
			generate(t, e, sig, me->pid);
	}
	unlock(t);
	if (!found)
		return -ESRCH;
	return to_self ? 1 : 0; /* 1: the caller sends to itself too */
}

int64_t wf_ptab_queue(struct wf_proc *p, int32_t pid, const struct wf_siginfo *info)
{
	struct wf_ptab *t = p->ptab;
	int sig = info->signo;
	lock(t);
	struct wf_ptask *me = self(p), *e = find(t, pid);
	int64_t rc = !e ? -ESRCH : e == me ? 1 : 0;
	if (!rc && e->state == WF_PT_ALIVE && sig && !(sig == WF_SIGCONT || (STOP_SIGS & WF_SIGBIT(sig)) ||
							sig == WF_SIGCHLD)) {
		e->code[sig - 1] = info->code;
		e->value[sig - 1] = info->addr;
		post(e, sig, info->pid);
	} else if (!rc && e->state == WF_PT_ALIVE && sig) {
		generate(t, e, sig, info->pid); /* job control's and SIGCHLD's own rules: as kill */
	}
	unlock(t);
	return rc;
}

int32_t wf_ptab_getppid(struct wf_proc *p)
{
	return __atomic_load_n(&self(p)->ppid, __ATOMIC_RELAXED);
}

int64_t wf_ptab_getpgid(struct wf_proc *p, int32_t pid, bool sid)
{
	struct wf_ptab *t = p->ptab;
	lock(t);
	const struct wf_ptask *e = pid == 0 ? self(p) : find(t, pid);
	int64_t r = e ? (sid ? e->sid : e->pgid) : -ESRCH;
	unlock(t);
	return r;
}

bool wf_ptab_group_exists(struct wf_proc *p, int32_t pgid)
{
	struct wf_ptab *t = p->ptab;
	for (unsigned i = 0; i < t->max; i++)
		if (t->t[i].state != WF_PT_FREE && t->t[i].pgid == pgid)
			return true;
	return false;
}

/* kernel/sys.c's setpgid, in its order. */
int64_t wf_ptab_setpgid(struct wf_proc *p, int32_t pid, int32_t pgid)
{
	struct wf_ptab *t = p->ptab;
	lock(t);
	struct wf_ptask *me = self(p);
	if (!pid)
		pid = me->pid;
	if (!pgid)
		pgid = pid;
	int64_t r = 0;
	struct wf_ptask *e = find(t, pid);
	if (!e) {
		r = -ESRCH;
	} else if (e != me && e->ppid != me->pid) {
		r = -ESRCH;
	} else if (e != me && e->sid != me->sid) {
		r = -EPERM;
	} else if (e != me && e->execed) {
		r = -EACCES;
	} else if (e->sid == e->pid) {
		r = -EPERM; /* a session leader */
	} else if (pgid != pid) {
		bool ok = false;
		for (unsigned i = 0; i < t->max && !ok; i++)
			ok = t->t[i].state != WF_PT_FREE && t->t[i].pgid == pgid &&
			     t->t[i].sid == me->sid;
		if (!ok)
			r = -EPERM;
	}
	if (!r)
		e->pgid = pgid;
	unlock(t);
	return r;
}

int64_t wf_ptab_setsid(struct wf_proc *p)
{
	struct wf_ptab *t = p->ptab;
	lock(t);
	struct wf_ptask *me = self(p);
	int64_t r = me->pid;
	if (wf_ptab_group_exists(p, me->pid))
		r = -EPERM; /* a group (its own, or another's) has its number */
	else
		me->pgid = me->sid = me->pid;
	unlock(t);
	return r;
}
