/* signal.c: the signal syscall family: dispositions, masks, pending set, altstack, kill self. */
#include <errno.h>
#include <string.h>

#include "signals.h"
#include "syscall.h"

/*
 * This is bookkeeping: the process's actions, mask and pending set live in struct wf_proc.
 * A signal whose action is a guest handler is only marked pending here; running the handler
 * (building the frame, rt_sigreturn) is the run loop's job and comes later.
 */

#define SIGBIT(s)   (1ull << ((s) - 1))
#define UNBLOCKABLE (SIGBIT(WF_SIGKILL) | SIGBIT(WF_SIGSTOP))

/* Guest (asm-generic, arm64) constants. */
enum {
	G_SIG_BLOCK = 0,
	G_SIG_UNBLOCK = 1,
	G_SIG_SETMASK = 2,
	G_SIGSETSIZE = 8,
	G_SS_ONSTACK = 1,
	G_SS_DISABLE = 2,
	G_MINSIGSTKSZ = 5120, /* arm64 */
};
#define G_SS_AUTODISARM (1u << 31)

/* sa_flags bits the kernel keeps (UAPI_SA_FLAGS); others, like SA_UNSUPPORTED, are cleared. */
#define G_SA_KNOWN                                                                                 \
	(0x1ull /* NOCLDSTOP */ | 0x2ull /* NOCLDWAIT */ | 0x4ull /* SIGINFO */ |                  \
	 0x800ull /* EXPOSE_TAGBITS */ | 0x04000000ull /* RESTORER */ |                            \
	 0x08000000ull /* ONSTACK */ | 0x10000000ull /* RESTART */ | 0x40000000ull /* NODEFER */ | \
	 0x80000000ull /* RESETHAND */)

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

/* Would sig be thrown away on arrival (SIG_IGN, or SIG_DFL with an "ignore" default)? */
static bool discarded(const struct wf_proc *p, int sig)
{
	uint64_t h = handler_of(p, sig);
	if (h == WF_SIG_IGN)
		return true;
	if (h != WF_SIG_DFL)
		return false;
	int act = wf_signal_default_action(sig);
	/*
	 * Stop signals: there is no job control and nobody to send SIGCONT, so stopping would
	 * only hang the guest; they are treated as ignored.
	 */
	return act == WF_SIGDFL_IGN || act == WF_SIGDFL_STOP;
}

/* Act on an unblocked signal: drop it, end the process, or leave it for the handler. */
static void act_on(struct wf_proc *p, int sig)
{
	uint64_t bit = SIGBIT(sig);
	if (discarded(p, sig)) {
		p->sigpending &= ~bit;
		return;
	}
	if (handler_of(p, sig) != WF_SIG_DFL) {
		/* A guest handler: pending until the run loop delivers it (not implemented yet). */
		p->sigpending |= bit;
		return;
	}
	p->sigpending &= ~bit;
	wf_proc_kill(p, sig); /* WF_SIGDFL_TERM or WF_SIGDFL_CORE */
}

void wf_signal_send(struct wf_proc *p, int sig)
{
	if (sig < 1 || sig > WF_NSIG)
		return;
	/* Blocked signals are never ignored on arrival: the action may change before unblock. */
	if (p->sigmask & SIGBIT(sig) & ~UNBLOCKABLE) {
		p->sigpending |= SIGBIT(sig);
		return;
	}
	act_on(p, sig);
}

/* After the mask or an action changed: take the pending signals that are now unblocked. */
static void take_unblocked(struct wf_proc *p)
{
	uint64_t ready = p->sigpending & ~p->sigmask;
	for (int sig = 1; sig <= WF_NSIG && ready; sig++) {
		if (!(ready & SIGBIT(sig)))
			continue;
		ready &= ~SIGBIT(sig);
		act_on(p, sig);
		if (p->exited || p->killed_by)
			return;
	}
}

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
		/* POSIX: setting an action that ignores sig discards it if it is pending. */
		if (discarded(p, sig))
			p->sigpending &= ~SIGBIT(sig);
	}
	if (oact && wf_mem_write(&p->mem, oact, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

static int64_t sys_rt_sigprocmask(struct wf_proc *p, const uint64_t a[6])
{
	int how = (int)a[0];
	wf_gaddr_t set = a[1], oset = a[2];
	uint64_t old = p->sigmask, nset;
	int64_t ret = 0;

	if (a[3] != G_SIGSETSIZE)
		return -EINVAL;
	if (set) {
		if (wf_mem_read(&p->mem, &nset, set, sizeof(nset)))
			return -EFAULT;
		nset &= ~UNBLOCKABLE;
		switch (how) {
		case G_SIG_BLOCK:
			p->sigmask |= nset;
			break;
		case G_SIG_UNBLOCK:
			p->sigmask &= ~nset;
			break;
		case G_SIG_SETMASK:
			p->sigmask = nset;
			break;
		default:
			return -EINVAL; /* only checked when a set is given, as in Linux */
		}
	}
	if (oset && wf_mem_write(&p->mem, oset, &old, sizeof(old)))
		ret = -EFAULT;
	/* Signals unblocked here take effect on the way back to the guest. */
	take_unblocked(p);
	return ret;
}

static int64_t sys_rt_sigpending(struct wf_proc *p, const uint64_t a[6])
{
	/* Linux allows a short set (it copies sigsetsize bytes) but not a longer one. */
	uint64_t set = p->sigpending & p->sigmask;
	if (a[1] > G_SIGSETSIZE)
		return -EINVAL;
	if (a[1] && wf_mem_write(&p->mem, a[0], &set, a[1]))
		return -EFAULT;
	return 0;
}

static int64_t sys_sigaltstack(struct wf_proc *p, const uint64_t a[6])
{
	struct g_stack ss, old = {0};

	/*
	 * The process never runs on the alternate stack yet (no handler delivery), so
	 * SS_ONSTACK is never reported and EPERM (change while on it) never happens.
	 */
	old.sp = p->altstack_sp;
	old.size = p->altstack_size;
	old.flags = (int32_t)((p->altstack_size ? 0 : G_SS_DISABLE) |
			      ((unsigned)p->altstack_flags & G_SS_AUTODISARM));
	if (a[0]) {
		if (wf_mem_read(&p->mem, &ss, a[0], sizeof(ss)))
			return -EFAULT;
		unsigned mode = (unsigned)ss.flags & ~G_SS_AUTODISARM;
		if (mode != 0 && mode != G_SS_ONSTACK && mode != G_SS_DISABLE)
			return -EINVAL;
		if (mode == G_SS_DISABLE) {
			ss.sp = 0;
			ss.size = 0;
		} else if (ss.size < G_MINSIGSTKSZ) {
			return -ENOMEM;
		}
		p->altstack_sp = ss.sp;
		p->altstack_size = ss.size;
		p->altstack_flags = ss.flags;
	}
	if (a[1] && wf_mem_write(&p->mem, a[1], &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

/* Deliver sig (already known to target this process); 0 is the existence probe. */
static int64_t send_self(struct wf_proc *p, int sig)
{
	if (sig < 0 || sig > WF_NSIG)
		return -EINVAL;
	if (sig)
		wf_signal_send(p, sig);
	return 0;
}

static pid_t self_tid(const struct wf_proc *p)
{
	return p->tid ? p->tid : p->pid;
}

static int64_t sys_kill(struct wf_proc *p, const uint64_t a[6])
{
	pid_t pid = (pid_t)a[0];
	int sig = (int)a[1];

	/*
	 * The guest is alone in its world and leads its own process group: pid 0 (our group),
	 * our pid or tid, and -pid (our group by number) reach it. pid -1 means "every process
	 * but the caller", and there is no other one, so it is ESRCH as in an empty namespace.
	 */
	if (pid == 0 || pid == p->pid || pid == self_tid(p) || (pid < -1 && -pid == p->pid))
		return send_self(p, sig);
	return -ESRCH;
}

static int64_t sys_tkill(struct wf_proc *p, const uint64_t a[6])
{
	pid_t tid = (pid_t)a[0];
	if (tid <= 0)
		return -EINVAL;
	if (tid != self_tid(p))
		return -ESRCH;
	return send_self(p, (int)a[1]);
}

static int64_t sys_tgkill(struct wf_proc *p, const uint64_t a[6])
{
	pid_t tgid = (pid_t)a[0], tid = (pid_t)a[1];
	if (tgid <= 0 || tid <= 0)
		return -EINVAL;
	if (tgid != p->pid || tid != self_tid(p))
		return -ESRCH;
	return send_self(p, (int)a[2]);
}

const struct wf_syscall_def wf_sys_signal[] = {
	{WF_NR_rt_sigaction, "rt_sigaction", sys_rt_sigaction, "dppu"},
	{WF_NR_rt_sigprocmask, "rt_sigprocmask", sys_rt_sigprocmask, "dppu"},
	{WF_NR_rt_sigpending, "rt_sigpending", sys_rt_sigpending, "pu"},
	{WF_NR_sigaltstack, "sigaltstack", sys_sigaltstack, "pp"},
	{WF_NR_kill, "kill", sys_kill, "dd"},
	{WF_NR_tkill, "tkill", sys_tkill, "dd"},
	{WF_NR_tgkill, "tgkill", sys_tgkill, "ddd"},
	{0},
};
