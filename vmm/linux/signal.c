// SPDX-License-Identifier: Apache-2.0
/* signal.c: the signal syscall family, pending sets, and delivery on return to the guest. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "linux/mm.h"
#include "linux/signals.h"
#include "linux/ptable.h"
#include "linux/syscall.h"
#include "linux/threads.h"

/*
 * Linux's model, one thread: dispositions (p->sigact) and a process-directed pending set
 * (kill) belong to the process; the mask, a thread-directed pending set (tkill, tgkill,
 * faults), the altstack and the rt_sigsuspend mask belong to the thread (p->sigthr). Sending
 * only queues; wf_signal_deliver, run by the VM on every return to the guest, takes the
 * deliverable signals in Linux's order and runs their handlers (sigframe.c) or default
 * actions. The only signal sources are the guest itself: kill/tkill/tgkill and its faults.
 */

#define SIGBIT(s)   WF_SIGBIT(s)
#define UNBLOCKABLE WF_SIG_UNBLOCKABLE

/* Signals a faulting instruction raises: dequeued before the others (SYNCHRONOUS_MASK). */
#define SYNCHRONOUS                                                                                \
	(SIGBIT(WF_SIGSEGV) | SIGBIT(WF_SIGBUS) | SIGBIT(WF_SIGILL) | SIGBIT(WF_SIGTRAP) |         \
	 SIGBIT(WF_SIGFPE) | SIGBIT(WF_SIGSYS))

/* Guest (asm-generic, arm64) constants. */
enum {
	G_SIG_BLOCK = 0,
	G_SIG_UNBLOCK = 1,
	G_SIG_SETMASK = 2,
	G_SIGSETSIZE = 8,
	G_NR_restart_syscall = 128,
};

/* sa_flags bits the kernel keeps (UAPI_SA_FLAGS); others, like SA_UNSUPPORTED, are cleared. */
#define G_SA_KNOWN                                                                                 \
	(0x1ull /* NOCLDSTOP */ | 0x2ull /* NOCLDWAIT */ | WF_SA_SIGINFO |                         \
	 0x800ull /* EXPOSE_TAGBITS */ | WF_SA_RESTORER | WF_SA_ONSTACK | WF_SA_RESTART |          \
	 WF_SA_NODEFER | WF_SA_RESETHAND)

/* Guest stack_t: {void *ss_sp; int ss_flags; size_t ss_size}. */
struct g_stack {
	uint64_t sp;
	int32_t flags;
	uint32_t pad;
	uint64_t size;
};
_Static_assert(sizeof(struct g_stack) == 24, "arm64 stack_t");

static const char *const sig_names[32] = {
	NULL,      "SIGHUP",  "SIGINT",    "SIGQUIT", "SIGILL",    "SIGTRAP", "SIGABRT",
	"SIGBUS",  "SIGFPE",  "SIGKILL",   "SIGUSR1", "SIGSEGV",   "SIGUSR2", "SIGPIPE",
	"SIGALRM", "SIGTERM", "SIGSTKFLT", "SIGCHLD", "SIGCONT",   "SIGSTOP", "SIGTSTP",
	"SIGTTIN", "SIGTTOU", "SIGURG",    "SIGXCPU", "SIGXFSZ",   "SIGVTALRM", "SIGPROF",
	"SIGWINCH", "SIGIO",  "SIGPWR",    "SIGSYS",
};

static const char *const rt_names[33] = {
	"SIGRTMIN",  "SIGRT1",  "SIGRT2",  "SIGRT3",  "SIGRT4",  "SIGRT5",  "SIGRT6",
	"SIGRT7",    "SIGRT8",  "SIGRT9",  "SIGRT10", "SIGRT11", "SIGRT12", "SIGRT13",
	"SIGRT14",   "SIGRT15", "SIGRT16", "SIGRT17", "SIGRT18", "SIGRT19", "SIGRT20",
	"SIGRT21",   "SIGRT22", "SIGRT23", "SIGRT24", "SIGRT25", "SIGRT26", "SIGRT27",
	"SIGRT28",   "SIGRT29", "SIGRT30", "SIGRT31", "SIGRT32",
};

const char *wf_signo_name(int sig)
{
	if (sig < 1 || sig > WF_NSIG)
		return NULL;
	return sig < WF_SIGRTMIN ? sig_names[sig] : rt_names[sig - WF_SIGRTMIN];
}

int wf_signal_default_action(int sig)
{
	if (sig < 1 || sig > WF_NSIG)
		return -EINVAL;
	switch (sig) {
	case WF_SIGQUIT:
	case WF_SIGILL:
	case WF_SIGTRAP:
	case WF_SIGABRT:
	case WF_SIGBUS:
	case WF_SIGFPE:
	case WF_SIGSEGV:
	case WF_SIGSYS:
	case WF_SIGXCPU:
	case WF_SIGXFSZ:
		return WF_SIGDFL_CORE;
	case WF_SIGCHLD:
	case WF_SIGCONT:
	case WF_SIGURG:
	case WF_SIGWINCH:
		return WF_SIGDFL_IGN;
	case WF_SIGSTOP:
	case WF_SIGTSTP:
	case WF_SIGTTIN:
	case WF_SIGTTOU:
		return WF_SIGDFL_STOP;
	default:
		return WF_SIGDFL_TERM; /* the rest of 1..31 and every real-time signal */
	}
}

static uint64_t handler_of(const struct wf_proc *p, int sig)
{
	if (sig == WF_SIGKILL || sig == WF_SIGSTOP)
		return WF_SIG_DFL;
	return p->sigact[sig].handler;
}

/*
 * Would sig be thrown away by its action (SIG_IGN, or SIG_DFL with an "ignore" default)?
 * Stop signals count as ignored in a process alone (no process table): nobody could send
 * it SIGCONT, so stopping would only hang the guest.
 */
static bool action_ignores(const struct wf_proc *p, int sig)
{
	uint64_t h = handler_of(p, sig);
	if (h == WF_SIG_IGN)
		return true;
	if (h != WF_SIG_DFL)
		return false;
	int act = wf_signal_default_action(sig);
	return act == WF_SIGDFL_IGN || (act == WF_SIGDFL_STOP && !p->ptab);
}

static void pend_flush(struct wf_sigpending *q, int sig);

#define STOP_SIGS (SIGBIT(WF_SIGSTOP) | SIGBIT(WF_SIGTSTP) | SIGBIT(WF_SIGTTIN) | SIGBIT(WF_SIGTTOU))

/* prepare_signal's job control: SIGCONT drops pending stop signals, a stop signal drops a
 * pending SIGCONT (the process's and the running thread's sets). */
static void prepare(struct wf_proc *p, int sig)
{
	uint64_t drop = sig == WF_SIGCONT ? STOP_SIGS : (STOP_SIGS & SIGBIT(sig)) ? SIGBIT(WF_SIGCONT) : 0;
	for (int s = 1; drop; s++, drop >>= 1)
		if (drop & 1) {
			pend_flush(&p->sigshared, s);
			pend_flush(&p->sigthr.pending, s);
		}
}

/* Pending sets. */

static int pend_add(struct wf_sigpending *q, const struct wf_siginfo *info)
{
	int sig = info->signo;
	if (sig < WF_SIGRTMIN) {
		/* A standard signal is pending once: a second one is merged into the first. */
		if (!(q->set & SIGBIT(sig)))
			q->std[sig] = *info;
	} else {
		if (q->nrt >= WF_SIGQ_RT)
			return -EAGAIN;
		q->rt[q->nrt++] = *info;
	}
	q->set |= SIGBIT(sig);
	return 0;
}

/* Take the (oldest) instance of sig out of q. */
static void pend_take_one(struct wf_sigpending *q, int sig, struct wf_siginfo *info)
{
	if (sig < WF_SIGRTMIN) {
		*info = q->std[sig];
		q->set &= ~SIGBIT(sig);
		return;
	}
	bool more = false;
	unsigned i = 0;
	while (i < q->nrt && q->rt[i].signo != sig)
		i++;
	if (i == q->nrt) { /* cannot happen: the bit says there is one */
		*info = (struct wf_siginfo){.signo = sig, .code = WF_SI_USER};
	} else {
		*info = q->rt[i];
		memmove(&q->rt[i], &q->rt[i + 1], (q->nrt - i - 1) * sizeof(q->rt[0]));
		q->nrt--;
		for (unsigned k = i; k < q->nrt && !more; k++)
			more = q->rt[k].signo == sig;
	}
	if (!more)
		q->set &= ~SIGBIT(sig);
}

/* Take the (oldest) instance of sig out of q; a POSIX timer's now counts its overruns as
 * those of the last signal taken (timer_getoverrun). */
static void pend_take(struct wf_proc *p, struct wf_sigpending *q, int sig, struct wf_siginfo *info)
{
	pend_take_one(q, sig, info);
	if (info->code == WF_SI_TIMER)
		wf_timers_taken(p, info);
}

/* Drop every pending instance of sig. */
static void pend_flush(struct wf_sigpending *q, int sig)
{
	unsigned n = 0;
	for (unsigned i = 0; i < q->nrt; i++)
		if (q->rt[i].signo != sig)
			q->rt[n++] = q->rt[i];
	q->nrt = n;
	q->set &= ~SIGBIT(sig);
}

/* Linux's next_signal: the lowest pending unblocked one, synchronous signals first. */
static int next_signal(const struct wf_sigpending *q, uint64_t blocked)
{
	uint64_t x = q->set & ~blocked;
	if (!x)
		return 0;
	if (x & SYNCHRONOUS)
		x &= SYNCHRONOUS;
	return __builtin_ctzll(x) + 1;
}

/*
 * The next signal to deliver and its siginfo, 0 if none: a fault first (a synchronous signal
 * the kernel raised), then the thread's pending set, then the process's (get_signal).
 */
static int dequeue(struct wf_proc *p, struct wf_siginfo *info)
{
	struct wf_sigthread *t = &p->sigthr;
	uint64_t sync = t->pending.set & ~t->blocked & SYNCHRONOUS;
	for (int sig = 1; sync && sig < WF_SIGRTMIN; sig++) {
		if ((sync & SIGBIT(sig)) && t->pending.std[sig].code > 0) {
			pend_take(p, &t->pending, sig, info);
			return sig;
		}
	}
	int sig = next_signal(&t->pending, t->blocked);
	if (sig) {
		pend_take(p, &t->pending, sig, info);
		return sig;
	}
	sig = next_signal(&p->sigshared, t->blocked);
	if (sig)
		pend_take(p, &p->sigshared, sig, info);
	return sig;
}

int wf_signal_queue_on(struct wf_proc *p, struct wf_sigthread *t, const struct wf_siginfo *info)
{
	int sig = info->signo;
	if (sig < 1 || sig > WF_NSIG)
		return -EINVAL;
	prepare(p, sig);
	/* Blocked signals are queued even when ignored: the action may change before unblock. */
	if (!(t->blocked & SIGBIT(sig)) && action_ignores(p, sig))
		return 0;
	return pend_add(&t->pending, info);
}

int wf_signal_queue(struct wf_proc *p, const struct wf_siginfo *info, bool thread)
{
	int sig = info->signo;
	if (thread)
		return wf_signal_queue_on(p, &p->sigthr, info);
	if (sig < 1 || sig > WF_NSIG)
		return -EINVAL;
	prepare(p, sig);
	if (!(p->sigthr.blocked & SIGBIT(sig)) && action_ignores(p, sig))
		return 0;
	int rc = pend_add(&p->sigshared, info);
	if (!rc)
		wf_thread_wake_for(p, sig); /* when this thread blocks it, another may take it */
	return rc;
}

int wf_signal_send(struct wf_proc *p, int sig)
{
	struct wf_siginfo info = {.signo = sig, .code = WF_SI_USER, .pid = p->pid, .uid = p->uid};
	return wf_signal_queue(p, &info, false);
}

/*
 * force_sig_info_to_task: a blocked or ignored signal (or any, with to_default) gets SIG_DFL
 * and is unblocked, so it cannot be caught again: it ends the process.
 */
static void force_signal(struct wf_proc *p, const struct wf_siginfo *info, bool to_default)
{
	int sig = info->signo;
	struct wf_sigaction *ka = &p->sigact[sig];
	bool blocked = p->sigthr.blocked & SIGBIT(sig);
	if (blocked || ka->handler == WF_SIG_IGN || to_default) {
		ka->handler = WF_SIG_DFL;
		p->sigthr.blocked &= ~SIGBIT(sig);
	}
	(void)pend_add(&p->sigthr.pending, info);
}

void wf_signal_fault(struct wf_proc *p, const struct wf_fault *f)
{
	if (f->sig < 1 || f->sig >= WF_SIGRTMIN)
		return;
	if (f->set_fault) {
		p->sigthr.fault_address = f->fault_address;
		p->sigthr.fault_code = f->fault_code;
	}
	struct wf_siginfo info = {.signo = f->sig, .code = f->code, .addr = f->addr};
	force_signal(p, &info, false);
}

/* force_sigsegv: a frame for sig could not be written. */
static void force_sigsegv(struct wf_proc *p, int sig)
{
	struct wf_siginfo info = {.signo = WF_SIGSEGV, .code = WF_SI_KERNEL};
	force_signal(p, &info, sig == WF_SIGSEGV);
}

/* arm64_notify_segfault: a bad rt_sigreturn frame at sp. */
static void force_segfault(struct wf_proc *p, uint64_t sp)
{
	struct wf_fault f = {.sig = WF_SIGSEGV,
			     .code = wf_mm_mapped(p, sp) ? WF_SEGV_ACCERR : WF_SEGV_MAPERR,
			     .addr = sp,
			     .set_fault = true};
	wf_signal_fault(p, &f);
}

static bool is_restart(int64_t ret)
{
	return ret == -WF_ERESTARTSYS || ret == -WF_ERESTARTNOINTR || ret == -WF_ERESTARTNOHAND ||
	       ret == -WF_ERESTART_RESTARTBLOCK;
}

bool wf_signal_work(const struct wf_proc *p, const struct wf_sysexit *sx)
{
	const struct wf_sigthread *t = &p->sigthr;
	return ((t->pending.set | p->sigshared.set) & ~t->blocked) || t->restore_mask ||
	       t->forget_syscall || (sx && sx->syscall && is_restart(sx->ret));
}

/* strace's line for a delivered signal. */
static void trace_signal(struct wf_proc *p, int sig, const struct wf_siginfo *i)
{
	if (!p->trace || !p->trace_out)
		return;
	const char *name = wf_signo_name(sig);
	if (i->code == WF_SI_USER || i->code == WF_SI_TKILL)
		fprintf(p->trace_out,
			"--- %s {si_signo=%s, si_code=%s, si_pid=%d, si_uid=%u} ---\n", name, name,
			i->code == WF_SI_USER ? "SI_USER" : "SI_TKILL", i->pid, i->uid);
	else if (i->code == WF_SI_KERNEL)
		fprintf(p->trace_out, "--- %s {si_signo=%s, si_code=SI_KERNEL} ---\n", name, name);
	else if (i->code == WF_SI_TIMER)
		fprintf(p->trace_out,
			"--- %s {si_signo=%s, si_code=SI_TIMER, si_timerid=%#x, si_overrun=%d, "
			"si_value={int=%d, ptr=%#llx}} ---\n",
			name, name, (unsigned)i->timerid, i->overrun, (int)i->value,
			(unsigned long long)i->value);
	else
		fprintf(p->trace_out, "--- %s {si_signo=%s, si_code=%d, si_addr=%#llx} ---\n", name,
			name, i->code, (unsigned long long)i->addr);
}

static void die_of(struct wf_proc *p, int sig)
{
	if (p->trace && p->trace_out)
		fprintf(p->trace_out, "+++ killed by %s%s +++\n", wf_signo_name(sig),
			wf_signal_default_action(sig) == WF_SIGDFL_CORE ? " (core dumped)" : "");
	wf_proc_kill(p, sig);
}

int wf_signal_deliver(struct wf_proc *p, const struct wf_sysexit *sx, int (*need_fp)(void *ctx),
		      void *ctx)
{
	struct wf_sigthread *t = &p->sigthr;
	struct wf_abi_frame *r = p->regs;
	bool forgotten = t->forget_syscall;
	t->forget_syscall = false;

	/* An interrupted syscall restarts unless a handler runs (do_signal): rewind to its svc. */
	int64_t rv = sx && sx->syscall && !forgotten && r && is_restart(sx->ret) ? sx->ret : 0;
	if (rv) {
		r->x[0] = sx->orig_x0;
		r->pc -= 4;
	}
	bool have_fp = need_fp == NULL;
	while (!p->exited && !p->killed_by) {
		struct wf_siginfo info;
		int sig = dequeue(p, &info);
		if (!sig)
			break;
		struct wf_sigaction ka = p->sigact[sig];
		ka.handler = handler_of(p, sig);
		trace_signal(p, sig, &info);
		if (ka.handler == WF_SIG_IGN)
			continue;
		if (ka.handler == WF_SIG_DFL) {
			int act = wf_signal_default_action(sig);
			/* do_signal_stop: the run loop holds the process until SIGCONT; the
			 * rest is delivered after it */
			if (act == WF_SIGDFL_STOP && p->ptab && wf_ptab_stop(p, sig))
				break;
			if (act != WF_SIGDFL_IGN && act != WF_SIGDFL_STOP)
				die_of(p, sig);
			continue;
		}
		if (ka.flags & WF_SA_RESETHAND)
			p->sigact[sig].handler = WF_SIG_DFL;
		if (rv) {
			if (rv == -WF_ERESTARTNOHAND || rv == -WF_ERESTART_RESTARTBLOCK ||
			    (rv == -WF_ERESTARTSYS && !(ka.flags & WF_SA_RESTART))) {
				r->x[0] = (uint64_t)-EINTR;
				r->pc += 4;
			}
			rv = 0;
		}
		if (!have_fp) {
			int rc = need_fp(ctx);
			if (rc)
				return rc;
			have_fp = true;
		}
		uint64_t oldmask = t->restore_mask ? t->saved_mask : t->blocked;
		if (wf_sigframe_setup(p, sig, &ka, &info, oldmask)) {
			force_sigsegv(p, sig);
			continue;
		}
		/* signal_delivered: the handler runs with its sa_mask (and itself) blocked. */
		t->restore_mask = false;
		uint64_t blocked = t->blocked | ka.mask;
		if (!(ka.flags & WF_SA_NODEFER))
			blocked |= SIGBIT(sig);
		t->blocked = blocked & ~UNBLOCKABLE;
		if ((uint32_t)t->ss_flags & WF_SS_AUTODISARM) {
			t->ss_sp = t->ss_size = 0;
			t->ss_flags = WF_SS_DISABLE;
		}
	}
	if (rv == -WF_ERESTART_RESTARTBLOCK)
		r->x[8] = G_NR_restart_syscall;
	else
		p->sleep_restart.active = false; /* no restart_syscall follows: nothing to resume */
	if (t->restore_mask) {
		t->blocked = t->saved_mask;
		t->restore_mask = false;
	}
	return 0;
}

/* The syscalls. */

static int64_t sys_rt_sigaction(struct wf_proc *p, const uint64_t a[6])
{
	int sig = (int)a[0];
	wf_gaddr_t act = a[1], oact = a[2];
	struct wf_sigaction nsa, old;

	if (a[3] != G_SIGSETSIZE)
		return -EINVAL;
	if (act && wf_mem_read(&p->mem, &nsa, act, sizeof(nsa)))
		return -EFAULT;
	if (sig < 1 || sig > WF_NSIG || (act && (sig == WF_SIGKILL || sig == WF_SIGSTOP)))
		return -EINVAL;
	old = p->sigact[sig];
	if (act) {
		nsa.flags &= G_SA_KNOWN;
		nsa.mask &= ~UNBLOCKABLE;
		p->sigact[sig] = nsa;
		/* POSIX: an action that ignores sig discards it, pending or blocked. */
		if (action_ignores(p, sig)) {
			pend_flush(&p->sigthr.pending, sig);
			pend_flush(&p->sigshared, sig);
			for (unsigned i = 0; i < p->nthr; i++) /* parked threads' own queues */
				if (i != p->cur && p->thr[i].state != WF_THR_FREE)
					pend_flush(&p->thr[i].sig.pending, sig);
		}
		if (sig == WF_SIGCHLD)
			wf_ptab_note_sigchld(p);
	}
	if (oact && wf_mem_write(&p->mem, oact, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

static int64_t sys_rt_sigprocmask(struct wf_proc *p, const uint64_t a[6])
{
	int how = (int)a[0];
	wf_gaddr_t set = a[1], oset = a[2];
	uint64_t *blocked = &p->sigthr.blocked, old = *blocked, nset;

	if (a[3] != G_SIGSETSIZE)
		return -EINVAL;
	if (set) {
		if (wf_mem_read(&p->mem, &nset, set, sizeof(nset)))
			return -EFAULT;
		nset &= ~UNBLOCKABLE;
		switch (how) {
		case G_SIG_BLOCK:
			*blocked |= nset;
			break;
		case G_SIG_UNBLOCK:
			*blocked &= ~nset;
			break;
		case G_SIG_SETMASK:
			*blocked = nset;
			break;
		default:
			return -EINVAL; /* only checked when a set is given, as in Linux */
		}
	}
	/* Signals unblocked here are delivered on the way back to the guest. */
	if (oset && wf_mem_write(&p->mem, oset, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

static int64_t sys_rt_sigpending(struct wf_proc *p, const uint64_t a[6])
{
	/* Linux allows a short set (it copies sigsetsize bytes) but not a longer one. */
	uint64_t set = (p->sigthr.pending.set | p->sigshared.set) & p->sigthr.blocked;
	if (a[1] > G_SIGSETSIZE)
		return -EINVAL;
	if (a[1] && wf_mem_write(&p->mem, a[0], &set, a[1]))
		return -EFAULT;
	return 0;
}

/*
 * rt_sigsuspend: wait with a temporary mask for a signal; the handler's frame saves the old
 * mask, which rt_sigreturn puts back. Only the guest's own threads send it signals: with
 * others about, the thread waits for one of them to; alone, with none deliverable, it waits
 * until the run's time limit interrupts it (a restart, as in Linux), or forever without
 * one, as pause() would.
 */
static int64_t sys_rt_sigsuspend(struct wf_proc *p, const uint64_t a[6])
{
	struct wf_sigthread *t = &p->sigthr;
	uint64_t set;
	if (a[1] != G_SIGSETSIZE)
		return -EINVAL;
	if (wf_mem_read(&p->mem, &set, a[0], sizeof(set)))
		return -EFAULT;
	t->saved_mask = t->blocked;
	t->restore_mask = true;
	t->blocked = set & ~UNBLOCKABLE;
	if (p->live > 1 && !((t->pending.set | p->sigshared.set) & ~t->blocked))
		return wf_thread_sigwait(p, 0, 0);
	while (!((t->pending.set | p->sigshared.set) & ~t->blocked)) {
		struct timespec day = {86400, 0};
		if (clock_nanosleep(CLOCK_MONOTONIC, 0, &day, NULL) == EINTR)
			break;
	}
	return -WF_ERESTARTNOHAND;
}

int wf_signal_take(struct wf_proc *p, uint64_t set, struct wf_siginfo *info)
{
	int sig = next_signal(&p->sigthr.pending, ~set);
	if (sig)
		pend_take(p, &p->sigthr.pending, sig, info);
	else if ((sig = next_signal(&p->sigshared, ~set)))
		pend_take(p, &p->sigshared, sig, info);
	return sig;
}

/*
 * rt_sigtimedwait: take a pending signal of the set (blocked ones, normally) without running
 * a handler, waiting until the timeout for one. Alone, the process waits on the host; a
 * signal from another process interrupts that and the call restarts (with its whole
 * timeout again) and takes it. With threads about, the thread blocks in the scheduler until
 * a signal of the set is sent to it or to the process.
 */
static int64_t sys_rt_sigtimedwait(struct wf_proc *p, const uint64_t a[6])
{
	uint64_t set;
	struct timespec ts = {0, 0};
	if (a[3] != G_SIGSETSIZE)
		return -EINVAL;
	if (wf_mem_read(&p->mem, &set, a[0], sizeof(set)))
		return -EFAULT;
	if (a[2] && wf_mem_read(&p->mem, &ts, a[2], sizeof(ts)))
		return -EFAULT;
	if (a[2] && (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= 1000000000))
		return -EINVAL;
	set &= ~UNBLOCKABLE;
	struct wf_siginfo info;
	int sig = wf_signal_take(p, set, &info);
	if (sig) {
		uint8_t g[128];
		wf_siginfo_encode(g, &info);
		return a[1] && wf_mem_write(&p->mem, a[1], g, sizeof(g)) ? -EFAULT : sig;
	}
	if (a[2] && !ts.tv_sec && !ts.tv_nsec)
		return -EAGAIN;
	int64_t ns = a[2] ? (ts.tv_sec > INT64_MAX / 1000000000 - 1 ? INT64_MAX / 2 :
						 ts.tv_sec * 1000000000 + ts.tv_nsec) : 0;
	if (p->live > 1)
		return wf_thread_sigwait(p, set, ns ? wf_thread_now() + ns : 0);
	if (wf_proc_signalled(p))
		return -WF_ERESTARTNOHAND;
	struct timespec left = a[2] ? ts : (struct timespec){86400, 0};
	for (;;) {
		if (clock_nanosleep(CLOCK_MONOTONIC, 0, &left, &left) == EINTR)
			return -WF_ERESTARTNOHAND;
		if (a[2])
			return -EAGAIN;
		left = (struct timespec){86400, 0};
	}
}

static int64_t sys_rt_sigreturn(struct wf_proc *p, const uint64_t a[6])
{
	(void)a;
	if (!p->regs)
		return -ENOSYS;
	p->sigthr.forget_syscall = true;
	if (wf_sigframe_restore(p)) {
		force_segfault(p, p->regs->sp);
		return 0;
	}
	return (int64_t)p->regs->x[0];
}

static int64_t sys_sigaltstack(struct wf_proc *p, const uint64_t a[6])
{
	const struct wf_sigthread *t = &p->sigthr;
	uint64_t sp = p->regs ? p->regs->sp : 0;
	struct g_stack ss, old = {0};
	int err = 0;

	if (a[0] && wf_mem_read(&p->mem, &ss, a[0], sizeof(ss)))
		return -EFAULT;
	old.sp = t->ss_sp;
	old.size = t->ss_size;
	old.flags = (int32_t)((unsigned)wf_sigaltstack_flags(p, sp) |
			      ((unsigned)t->ss_flags & WF_SS_AUTODISARM));
	if (a[0])
		err = wf_sigaltstack_set(p, ss.sp, ss.flags, ss.size, sp);
	if (!err && a[1] && wf_mem_write(&p->mem, a[1], &old, sizeof(old)))
		return -EFAULT;
	return err;
}

const struct wf_syscall_def wf_sys_signal[] = {
	{WF_NR_rt_sigaction, "rt_sigaction", sys_rt_sigaction, "dppu"},
	{WF_NR_rt_sigprocmask, "rt_sigprocmask", sys_rt_sigprocmask, "dppu"},
	{WF_NR_rt_sigpending, "rt_sigpending", sys_rt_sigpending, "pu"},
	{WF_NR_rt_sigsuspend, "rt_sigsuspend", sys_rt_sigsuspend, "pu"},
	{WF_NR_rt_sigtimedwait, "rt_sigtimedwait", sys_rt_sigtimedwait, "pppu"},
	{WF_NR_rt_sigreturn, "rt_sigreturn", sys_rt_sigreturn, ""},
	{WF_NR_sigaltstack, "sigaltstack", sys_sigaltstack, "pp"},
	{0},
};
