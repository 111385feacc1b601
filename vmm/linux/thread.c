// SPDX-License-Identifier: Apache-2.0
/* thread.c: guest threads on one vCPU: clone/clone3, exit, yields, waits and the scheduler. */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>

#include "linux/ptable.h"
#include "linux/syscall.h"
#include "linux/threads.h"

/* Guest clone flags (include/uapi/linux/sched.h). */
#define G_CSIGNAL              0xffull
#define G_CLONE_VM             0x100ull
#define G_CLONE_FS             0x200ull
#define G_CLONE_FILES          0x400ull
#define G_CLONE_SIGHAND        0x800ull
#define G_CLONE_PIDFD          0x1000ull
#define G_CLONE_VFORK          0x4000ull
#define G_CLONE_PARENT         0x8000ull
#define G_CLONE_THREAD         0x10000ull
#define G_CLONE_NEWNS          0x20000ull
#define G_CLONE_SETTLS         0x80000ull
#define G_CLONE_PARENT_SETTID  0x100000ull
#define G_CLONE_CHILD_CLEARTID 0x200000ull
#define G_CLONE_DETACHED       0x400000ull
#define G_CLONE_CHILD_SETTID   0x1000000ull
#define G_CLONE_NEWUSER        0x10000000ull
#define G_CLONE_NEWPID         0x20000000ull
#define G_CLONE_CLEAR_SIGHAND  0x100000000ull
#define G_CLONE_INTO_CGROUP    0x200000000ull
/* Namespaces, which a thread cannot have of its own here (nor CLONE_NEWTIME, clone3 only). */
#define G_CLONE_NAMESPACES     0x7e020080ull

/* struct clone_args sizes (VER0, VER2) and the user address space's end (access_ok). */
#define G_CLONE_ARGS_VER0 64u
#define G_CLONE_ARGS_VER2 88u
#define G_TASK_SIZE       (1ull << 48)

struct g_clone_args {
	uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls;
	uint64_t set_tid, set_tid_size, cgroup;
};

int64_t wf_thread_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static pid_t self_tid(const struct wf_proc *p)
{
	return p->tid ? p->tid : p->pid;
}

/* A slot for one more thread: a free one, else a new one at the end. -1: no memory. */
static int new_slot(struct wf_proc *p)
{
	for (unsigned i = 0; i < p->nthr; i++)
		if (p->thr[i].state == WF_THR_FREE)
			return (int)i;
	if (p->nthr == p->thr_cap) {
		unsigned cap = p->thr_cap ? 2 * p->thr_cap : 4;
		struct wf_thread *t = realloc(p->thr, cap * sizeof(*t));
		if (!t)
			return -1;
		p->thr = t;
		p->thr_cap = cap;
	}
	memset(&p->thr[p->nthr], 0, sizeof(p->thr[0]));
	return (int)p->nthr++;
}

int wf_thread_table(struct wf_proc *p)
{
	if (p->nthr)
		return 0;
	if (new_slot(p) != 0)
		return -ENOMEM;
	p->thr[0].state = WF_THR_RUNNING;
	p->thr[0].tid = self_tid(p);
	p->cur = 0;
	p->live = 1;
	if (!p->next_tid)
		p->next_tid = self_tid(p) + 1;
	return 0;
}

int64_t wf_thread_block(struct wf_proc *p, int state, int64_t deadline, int64_t timeout_ret,
			int64_t intr_ret)
{
	struct wf_thread *t = &p->thr[p->cur];
	t->state = state;
	t->deadline = deadline;
	t->timeout_ret = timeout_ret;
	t->intr_ret = intr_ret;
	t->wait_seq = p->wait_seq++;
	p->resched = true;
	return 0;
}

void wf_thread_park(struct wf_proc *p, const struct wf_sysexit *sx)
{
	struct wf_thread *t = &p->thr[p->cur];
	t->tid = self_tid(p);
	t->clear_child_tid = p->clear_child_tid;
	t->robust_list = p->robust_list;
	t->robust_len = p->robust_len;
	t->rseq = p->rseq;
	t->rseq_len = p->rseq_len;
	t->rseq_sig = p->rseq_sig;
	t->sig = p->sigthr;
	t->sx_syscall = sx && sx->syscall;
	t->sx_ret = sx ? sx->ret : 0;
	t->sx_orig_x0 = sx ? sx->orig_x0 : 0;
	if (p->regs)
		t->regs = *p->regs;
	if (t->state == WF_THR_RUNNING)
		t->state = WF_THR_READY;
	p->parked = true;
}

void wf_thread_wake(struct wf_proc *p, unsigned slot, int64_t ret)
{
	struct wf_thread *t = &p->thr[slot];
	t->state = WF_THR_READY;
	t->regs.x[0] = (uint64_t)ret;
	t->sx_ret = ret;
	t->futex = 0;
	t->deadline = 0;
}

static bool waiting(const struct wf_thread *t)
{
	return t->state == WF_THR_FUTEX || t->state == WF_THR_SLEEP || t->state == WF_THR_SIGWAIT;
}

int wf_thread_pick(struct wf_proc *p, int64_t now, int64_t *until)
{
	*until = 0;
	for (unsigned i = 0; i < p->nthr; i++) {
		struct wf_thread *t = &p->thr[i];
		if (waiting(t) && t->deadline && t->deadline <= now)
			wf_thread_wake(p, i, t->timeout_ret);
	}
	for (unsigned k = 1; k <= p->nthr; k++) {
		unsigned i = (p->cur + k) % p->nthr;
		if (p->thr[i].state == WF_THR_READY)
			return (int)i;
	}
	for (unsigned i = 0; i < p->nthr; i++) {
		const struct wf_thread *t = &p->thr[i];
		if (waiting(t) && t->deadline && (!*until || t->deadline < *until))
			*until = t->deadline;
	}
	return -1;
}

void wf_thread_load(struct wf_proc *p, unsigned slot, struct wf_sysexit *sx)
{
	struct wf_thread *t = &p->thr[slot];
	p->cur = slot;
	t->state = WF_THR_RUNNING;
	p->tid = t->tid;
	p->clear_child_tid = t->clear_child_tid;
	p->robust_list = t->robust_list;
	p->robust_len = t->robust_len;
	p->rseq = t->rseq;
	p->rseq_len = t->rseq_len;
	p->rseq_sig = t->rseq_sig;
	p->sigthr = t->sig;
	if (p->regs) {
		/* A pending TLBI request stays; the stub loads this thread's FP/SIMD and TLS. */
		uint64_t keep = p->regs->flags & (1ull << WF_FRAME_F_TLBI_BIT);
		uint64_t version = p->regs->version, heals = p->regs->tpidr_heals;
		*p->regs = t->regs;
		p->regs->version = version;
		p->regs->tpidr_heals = heals; /* the VM's count, not the thread's */
		p->regs->flags = keep | (1ull << WF_FRAME_F_LOAD_FP_BIT) |
				 (1ull << WF_FRAME_F_SET_TPIDR_BIT);
	}
	*sx = (struct wf_sysexit){.syscall = t->sx_syscall, .ret = t->sx_ret,
				  .orig_x0 = t->sx_orig_x0};
	p->parked = false;
	p->resched = false;
}

int wf_thread_find(const struct wf_proc *p, int32_t tid)
{
	if (!p->nthr)
		return tid == self_tid(p) ? 0 : -1;
	for (unsigned i = 0; i < p->nthr; i++)
		if (p->thr[i].state != WF_THR_FREE && p->thr[i].tid == tid)
			return (int)i;
	return -1;
}

/* A signal interrupts slot's wait: its restart code, and a relative sleep's time left. */
static void interrupt(struct wf_proc *p, unsigned slot)
{
	struct wf_thread *t = &p->thr[slot];
	if (t->state == WF_THR_SLEEP && t->sleep_rem) {
		int64_t left = t->deadline - wf_thread_now();
		if (left < 0)
			left = 0;
		const int64_t rem[2] = {left / 1000000000, left % 1000000000};
		(void)wf_mem_write(&p->mem, t->sleep_rem, rem, sizeof(rem));
	}
	wf_thread_wake(p, slot, t->intr_ret);
}

/* Whether sig, not blocked by the thread taking it, kills the process (sig_fatal). */
static bool fatal(const struct wf_proc *p, int sig)
{
	if (sig == WF_SIGKILL)
		return true;
	int act = wf_signal_default_action(sig);
	return p->sigact[sig].handler == WF_SIG_DFL && (act == WF_SIGDFL_TERM || act == WF_SIGDFL_CORE);
}

/* Is t in rt_sigtimedwait for sig (which it blocks: no handler runs, the wait takes it)? */
static bool sigwaits_for(const struct wf_thread *t, int sig)
{
	return t->state == WF_THR_SIGWAIT && (t->sigwait_set & WF_SIGBIT(sig));
}

/* complete_signal for a thread that does not block sig: the process dies of a fatal one at
 * once, as Linux's group exit; otherwise a waiting thread is woken to take it. */
static void complete(struct wf_proc *p, unsigned slot, int sig)
{
	if (fatal(p, sig)) {
		wf_proc_kill(p, sig);
		return;
	}
	if (slot != p->cur && waiting(&p->thr[slot]))
		interrupt(p, slot);
}

int wf_thread_signal(struct wf_proc *p, unsigned slot, const struct wf_siginfo *info)
{
	if (slot == p->cur || !p->nthr)
		return wf_signal_queue(p, info, true);
	struct wf_thread *t = &p->thr[slot];
	int rc = wf_signal_queue_on(p, &t->sig, info);
	if (!rc && info->signo >= 1 && (t->sig.pending.set & WF_SIGBIT(info->signo)) &&
	    !(t->sig.blocked & WF_SIGBIT(info->signo)))
		complete(p, slot, info->signo);
	else if (!rc && sigwaits_for(t, info->signo))
		interrupt(p, slot); /* it takes the signal itself when its syscall restarts */
	return rc;
}

void wf_thread_wake_for(struct wf_proc *p, int sig)
{
	if (!p->nthr || !(p->sigthr.blocked & WF_SIGBIT(sig)) ||
	    !(p->sigshared.set & WF_SIGBIT(sig)))
		return;
	for (unsigned i = 0; i < p->nthr; i++) {
		const struct wf_thread *t = &p->thr[i];
		if (i != p->cur && t->state != WF_THR_FREE && !(t->sig.blocked & WF_SIGBIT(sig))) {
			complete(p, i, sig);
			return;
		}
	}
	for (unsigned i = 0; i < p->nthr; i++) {
		if (i != p->cur && sigwaits_for(&p->thr[i], sig)) {
			interrupt(p, i);
			return;
		}
	}
}

int64_t wf_thread_sleep(struct wf_proc *p, int64_t deadline, uint64_t rem_addr, bool abs)
{
	if (deadline <= wf_thread_now())
		return 0;
	if (wf_thread_table(p))
		return -ENOMEM;
	p->thr[p->cur].sleep_rem = rem_addr;
	return wf_thread_block(p, WF_THR_SLEEP, deadline, 0,
			       abs ? -WF_ERESTARTNOHAND : -WF_ERESTART_RESTARTBLOCK);
}

int64_t wf_thread_sigwait(struct wf_proc *p, uint64_t set, int64_t deadline)
{
	if (wf_thread_table(p))
		return -ENOMEM;
	p->thr[p->cur].sleep_rem = 0;
	p->thr[p->cur].sigwait_set = set;
	return wf_thread_block(p, WF_THR_SIGWAIT, deadline, -EAGAIN, -WF_ERESTARTNOHAND);
}

bool wf_thread_others(const struct wf_proc *p)
{
	return p->nthr > 1 && p->live > 1;
}

int64_t wf_thread_retry(struct wf_proc *p, int64_t intr_ret)
{
	if (wf_thread_table(p))
		return -ENOMEM;
	p->thr[p->cur].sleep_rem = 0;
	return wf_thread_block(p, WF_THR_SLEEP, wf_thread_now() + WF_THREAD_RETRY_NS,
			       -WF_ERESTARTNOINTR, intr_ret);
}

bool wf_host_would_block(int hfd, bool out)
{
	struct pollfd x = {.fd = hfd, .events = out ? POLLOUT : POLLIN};
	return poll(&x, 1, 0) == 0;
}

/* The syscalls. */

/* A new thread (copy_process for CLONE_THREAD): flags already validated. Returns its tid. */
static int64_t new_thread(struct wf_proc *p, uint64_t flags, uint64_t sp, uint64_t tls,
			  uint64_t parent_tid, uint64_t child_tid)
{
	unsigned max = p->lim.max_threads ? p->lim.max_threads : WF_MAX_THREADS_DEFAULT;
	if (!p->regs)
		return -ENOSYS;
	if (wf_thread_table(p))
		return -ENOMEM;
	if (p->live >= max)
		return -EAGAIN;
	/* Linux copies the FP/SIMD registers too (FPCR's rounding mode, for one). */
	if (p->mmu && p->mmu->save_fp) {
		int rc = p->mmu->save_fp(p->mmu_ctx);
		if (rc)
			return rc;
	}
	int slot = new_slot(p);
	if (slot < 0)
		return -ENOMEM;
	struct wf_thread *t = &p->thr[slot];
	pid_t tid = p->ptab ? wf_ptab_new_id(p) : p->next_tid++;
	*t = (struct wf_thread){.state = WF_THR_READY, .tid = tid, .regs = *p->regs};
	t->regs.x[0] = 0;
	if (sp)
		t->regs.sp = sp;
	if (flags & G_CLONE_SETTLS)
		t->regs.tpidr = tls;
	if (flags & G_CLONE_CHILD_CLEARTID)
		t->clear_child_tid = child_tid;
	/* The mask is inherited; pending signals and the altstack (CLONE_VM) are not. */
	t->sig.blocked = p->sigthr.blocked;
	t->sig.ss_flags = WF_SS_DISABLE;
	t->sig.fault_address = p->sigthr.fault_address;
	t->sig.fault_code = p->sigthr.fault_code;
	t->sx_syscall = true;
	t->sx_orig_x0 = p->regs->x[0];
	p->live++;
	wf_ptab_note_threads(p);
	const uint32_t v = (uint32_t)tid;
	if (flags & G_CLONE_PARENT_SETTID)
		(void)wf_mem_write(&p->mem, parent_tid, &v, sizeof(v));
	if (flags & G_CLONE_CHILD_SETTID)
		(void)wf_mem_write(&p->mem, child_tid, &v, sizeof(v));
	return tid;
}

/* copy_process's flag rules, then what warmfork has: threads sharing everything. */
static int64_t check_flags(uint64_t flags)
{
	if ((flags & (G_CLONE_NEWNS | G_CLONE_FS)) == (G_CLONE_NEWNS | G_CLONE_FS) ||
	    (flags & (G_CLONE_NEWUSER | G_CLONE_FS)) == (G_CLONE_NEWUSER | G_CLONE_FS))
		return -EINVAL;
	if ((flags & G_CLONE_THREAD) && !(flags & G_CLONE_SIGHAND))
		return -EINVAL;
	if ((flags & G_CLONE_SIGHAND) && !(flags & G_CLONE_VM))
		return -EINVAL;
	if ((flags & G_CLONE_THREAD) && (flags & (G_CLONE_NEWUSER | G_CLONE_NEWPID)))
		return -EINVAL;
	if ((flags & G_CLONE_PIDFD) && (flags & (G_CLONE_DETACHED | G_CLONE_THREAD)))
		return -EINVAL;
	/* Namespaces and cgroups are not there: ENOSYS. */
	if (flags & (G_CLONE_NAMESPACES | G_CLONE_INTO_CGROUP))
		return -ENOSYS;
	if (!(flags & G_CLONE_THREAD)) {
		/* A new process is a copy of the VM: it can share nothing with its parent. Only
		 * vfork's CLONE_VM is taken: the parent waits until the child execs or exits,
		 * then takes the child's writes (mmu->vfork_back), so it sees what it would
		 * have seen in a shared address space. */
		if ((flags & (G_CLONE_FS | G_CLONE_FILES | G_CLONE_SIGHAND | G_CLONE_PIDFD |
			      G_CLONE_PARENT | G_CLONE_CLEAR_SIGHAND)) ||
		    ((flags & G_CLONE_VM) && !(flags & G_CLONE_VFORK)))
			return -ENOSYS;
		return 0;
	}
	if (!(flags & G_CLONE_FILES) || !(flags & G_CLONE_FS) || (flags & G_CLONE_VFORK))
		return -ENOSYS;
	return 0;
}

/*
 * A new process (copy_process without CLONE_THREAD): the VM is copied into a new host
 * process (p->mmu->fork). In the child only this thread goes on, with pid and tid its new
 * pid; the parent gets that pid. A vfork parent sleeps until the child execs or exits.
 */
static int64_t new_process(struct wf_proc *p, uint64_t flags, int exit_signal, uint64_t sp,
			   uint64_t tls, uint64_t parent_tid, uint64_t child_tid)
{
	if (!p->regs || !p->mmu || !p->mmu->fork)
		return -ENOSYS;
	if (!p->ptab) {
		int rc = wf_ptab_create(p, p->lim.max_procs ? p->lim.max_procs : WF_MAX_PROCS_DEFAULT);
		if (rc)
			return rc;
	}
	int slot = wf_ptab_add_child(p, exit_signal);
	if (slot < 0)
		return slot;
	int32_t pid = p->ptab->t[slot].pid;
	bool share_vm = (flags & G_CLONE_VM) && (flags & G_CLONE_VFORK);
	int rc = p->mmu->fork(p->mmu_ctx, share_vm);
	if (rc < 0) {
		wf_ptab_drop(p, slot);
		return rc;
	}
	const uint32_t v = (uint32_t)pid;
	if (rc == 0) {
		wf_ptab_become(p, slot);
		wf_signalfd_forked(p);
		if (sp)
			p->regs->sp = sp;
		if (flags & G_CLONE_SETTLS)
			p->regs->tpidr = tls;
		p->clear_child_tid = flags & G_CLONE_CHILD_CLEARTID ? child_tid : 0;
		if (flags & G_CLONE_CHILD_SETTID)
			(void)wf_mem_write(&p->mem, child_tid, &v, sizeof(v));
		return 0;
	}
	wf_ptab_started(p, slot, rc);
	if (flags & G_CLONE_PARENT_SETTID)
		(void)wf_mem_write(&p->mem, parent_tid, &v, sizeof(v));
	if (flags & G_CLONE_VFORK)
		(void)wf_ptab_vfork_wait(p, slot);
	if (share_vm && p->mmu->vfork_back)
		p->mmu->vfork_back(p->mmu_ctx); /* what the child wrote (posix_spawn's error) */
	return pid;
}

static int64_t clone_any(struct wf_proc *p, uint64_t flags, int exit_signal, uint64_t sp,
			 uint64_t tls, uint64_t parent_tid, uint64_t child_tid)
{
	if (flags & G_CLONE_THREAD)
		return new_thread(p, flags, sp, tls, parent_tid, child_tid);
	return new_process(p, flags, exit_signal, sp, tls, parent_tid, child_tid);
}

/* arm64's clone(flags, newsp, parent_tid, tls, child_tid) (CONFIG_CLONE_BACKWARDS). */
static int64_t sys_clone(struct wf_proc *p, const uint64_t a[6])
{
	uint64_t flags = (uint32_t)a[0] & ~G_CSIGNAL; /* the low byte is the exit signal */
	int exit_signal = (int)(a[0] & G_CSIGNAL);
	if (exit_signal > WF_NSIG)
		return -EINVAL;
	if ((flags & G_CLONE_PIDFD) && (flags & G_CLONE_PARENT_SETTID))
		return -EINVAL; /* both would use parent_tid */
	int64_t rc = check_flags(flags);
	return rc ? rc : clone_any(p, flags, exit_signal, a[1], a[3], a[2], a[4]);
}

static int64_t sys_clone3(struct wf_proc *p, const uint64_t a[6])
{
	uint64_t size = a[1];
	struct g_clone_args ca = {0};
	if (size > WF_PAGE_SIZE)
		return -E2BIG;
	if (size < G_CLONE_ARGS_VER0)
		return -EINVAL;
	if (wf_mem_read(&p->mem, &ca, a[0], size < sizeof(ca) ? size : sizeof(ca)))
		return -EFAULT;
	/* copy_struct_from_user: a larger struct's unknown tail must be zero. */
	for (uint64_t off = sizeof(ca); off < size; off++) {
		uint8_t b;
		if (wf_mem_read(&p->mem, &b, a[0] + off, 1))
			return -EFAULT;
		if (b)
			return -E2BIG;
	}
	if (ca.set_tid_size > 32 || (!ca.set_tid && ca.set_tid_size) ||
	    (ca.set_tid && !ca.set_tid_size))
		return -EINVAL;
	if ((ca.exit_signal & ~G_CSIGNAL) || ca.exit_signal > WF_NSIG)
		return -EINVAL;
	if ((ca.flags & G_CLONE_INTO_CGROUP) && (ca.cgroup > INT32_MAX || size < G_CLONE_ARGS_VER2))
		return -EINVAL;
	/* clone3_args_valid */
	if (ca.flags & ~(0xffffffffull | G_CLONE_CLEAR_SIGHAND | G_CLONE_INTO_CGROUP))
		return -EINVAL;
	if (ca.flags & (G_CLONE_DETACHED | G_CSIGNAL))
		return -EINVAL;
	if ((ca.flags & (G_CLONE_SIGHAND | G_CLONE_CLEAR_SIGHAND)) ==
	    (G_CLONE_SIGHAND | G_CLONE_CLEAR_SIGHAND))
		return -EINVAL;
	if ((ca.flags & (G_CLONE_THREAD | G_CLONE_PARENT)) && ca.exit_signal)
		return -EINVAL;
	if ((!ca.stack && ca.stack_size) || (ca.stack && !ca.stack_size) ||
	    (ca.stack && (ca.stack_size > G_TASK_SIZE || ca.stack > G_TASK_SIZE - ca.stack_size)))
		return -EINVAL;
	if ((ca.flags & G_CLONE_PIDFD) && (ca.flags & G_CLONE_PARENT_SETTID) &&
	    ca.pidfd == ca.parent_tid)
		return -EINVAL;
	int64_t rc = check_flags(ca.flags);
	if (!rc && ca.set_tid)
		rc = -ENOSYS; /* choosing tids is for checkpoint/restore tools */
	return rc ? rc : clone_any(p, ca.flags, (int)ca.exit_signal,
				   ca.stack ? ca.stack + ca.stack_size : 0, ca.tls, ca.parent_tid,
				   ca.child_tid);
}

/* exit: the thread ends; the last one ends the process, with the first thread's status if
 * it left earlier (the thread-group leader's exit code is what the parent reaps). */
static int64_t sys_exit(struct wf_proc *p, const uint64_t a[6])
{
	int status = (int)(a[0] & 0xff);
	if (p->live <= 1) {
		p->exited = true;
		p->exit_status = p->leader_exited ? p->leader_status : status;
		return 0;
	}
	if (p->clear_child_tid) {
		/* mm_release: zero the word and wake one waiter (a shared futex: pthread_join). */
		const uint32_t zero = 0;
		(void)wf_mem_write(&p->mem, p->clear_child_tid, &zero, sizeof(zero));
		(void)wf_futex_wake(p, p->clear_child_tid, true, 1, UINT32_MAX);
		p->clear_child_tid = 0;
	}
	if (self_tid(p) == p->pid) {
		p->leader_exited = true;
		p->leader_status = status;
	}
	p->thr[p->cur].state = WF_THR_FREE;
	p->live--;
	wf_ptab_note_threads(p);
	p->resched = true;
	p->parked = true; /* nothing of it to keep */
	return 0;
}

static int64_t sys_exit_group(struct wf_proc *p, const uint64_t a[6])
{
	p->exited = true;
	p->exit_status = (int)(a[0] & 0xff);
	return 0;
}

static int64_t sys_set_tid_address(struct wf_proc *p, const uint64_t a[6])
{
	p->clear_child_tid = a[0];
	return self_tid(p);
}

/* Another runnable thread gets the vCPU; alone, the caller goes on. */
static int64_t sys_sched_yield(struct wf_proc *p, const uint64_t a[6])
{
	(void)a;
	int64_t now = p->nthr > 1 ? wf_thread_now() : 0;
	for (unsigned i = 0; i < p->nthr; i++) {
		const struct wf_thread *t = &p->thr[i];
		/* A wait whose deadline passed counts too: pick will end it. */
		if (i != p->cur && (t->state == WF_THR_READY ||
				    (waiting(t) && t->deadline && t->deadline <= now))) {
			p->resched = true;
			break;
		}
	}
	return 0;
}

/* The one restart block: an interrupted single-threaded sleep (time.c); else EINTR. */
static int64_t sys_restart_syscall(struct wf_proc *p, const uint64_t a[6])
{
	(void)a;
	return wf_sleep_restart(p);
}

const struct wf_syscall_def wf_sys_thread[] = {
	{WF_NR_clone, "clone", sys_clone, "xpppp"},
	{WF_NR_clone3, "clone3", sys_clone3, "pu"},
	{WF_NR_exit, "exit", sys_exit, "d"},
	{WF_NR_exit_group, "exit_group", sys_exit_group, "d"},
	{WF_NR_set_tid_address, "set_tid_address", sys_set_tid_address, "p"},
	{WF_NR_sched_yield, "sched_yield", sys_sched_yield, ""},
	{WF_NR_restart_syscall, "restart_syscall", sys_restart_syscall, ""},
	{0},
};
