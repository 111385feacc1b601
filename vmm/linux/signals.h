// SPDX-License-Identifier: Apache-2.0
/* signals.h: guest signal numbers, dispositions, sending, and delivery on return to the guest. */
#ifndef WARMFORK_LINUX_SIGNAL_H
#define WARMFORK_LINUX_SIGNAL_H

#include <stdbool.h>
#include <stdint.h>

struct wf_proc;
struct wf_sigaction;
struct wf_siginfo;

/* Guest (asm-generic, arm64) signal numbers, spelled out: never the host's. */
enum wf_signo {
	WF_SIGHUP = 1,
	WF_SIGINT = 2,
	WF_SIGQUIT = 3,
	WF_SIGILL = 4,
	WF_SIGTRAP = 5,
	WF_SIGABRT = 6,
	WF_SIGBUS = 7,
	WF_SIGFPE = 8,
	WF_SIGKILL = 9,
	WF_SIGUSR1 = 10,
	WF_SIGSEGV = 11,
	WF_SIGUSR2 = 12,
	WF_SIGPIPE = 13,
	WF_SIGALRM = 14,
	WF_SIGTERM = 15,
	WF_SIGSTKFLT = 16,
	WF_SIGCHLD = 17,
	WF_SIGCONT = 18,
	WF_SIGSTOP = 19,
	WF_SIGTSTP = 20,
	WF_SIGTTIN = 21,
	WF_SIGTTOU = 22,
	WF_SIGURG = 23,
	WF_SIGXCPU = 24,
	WF_SIGXFSZ = 25,
	WF_SIGVTALRM = 26,
	WF_SIGPROF = 27,
	WF_SIGWINCH = 28,
	WF_SIGIO = 29,
	WF_SIGPWR = 30,
	WF_SIGSYS = 31,
	WF_SIGRTMIN = 32,
};

/* Guest si_code values (asm-generic siginfo.h). */
enum wf_si_code {
	WF_SI_USER = 0,
	WF_SI_KERNEL = 0x80,
	WF_SI_TIMER = -2,
	WF_SI_TKILL = -6,
	WF_SEGV_MAPERR = 1,
	WF_SEGV_ACCERR = 2,
	WF_BUS_ADRALN = 1,
	WF_BUS_ADRERR = 2,
	WF_ILL_ILLOPC = 1,
	WF_ILL_ILLOPN = 2,
	WF_TRAP_BRKPT = 1,
	WF_TRAP_TRACE = 2,
	WF_TRAP_HWBKPT = 4,
	WF_FPE_FLTINV = 7,
};

/* Guest sa_flags bits (arm64 uses the asm-generic values). */
#define WF_SA_SIGINFO   0x00000004ull
#define WF_SA_RESTORER  0x04000000ull
#define WF_SA_ONSTACK   0x08000000ull
#define WF_SA_RESTART   0x10000000ull
#define WF_SA_NODEFER   0x40000000ull
#define WF_SA_RESETHAND 0x80000000ull

/* Guest sigaltstack flags and sizes (arm64). */
#define WF_SS_ONSTACK    1
#define WF_SS_DISABLE    2
#define WF_SS_AUTODISARM (1u << 31)
#define WF_SS_MINSIZE    5120 /* MINSIGSTKSZ: the smallest sigaltstack */

/* Kernel-internal restart codes a syscall may return; never seen by the guest. */
#define WF_ERESTARTSYS           512
#define WF_ERESTARTNOINTR        513
#define WF_ERESTARTNOHAND        514
#define WF_ERESTART_RESTARTBLOCK 516

/* Special handler values in struct wf_sigaction.handler. */
#define WF_SIG_DFL 0ull
#define WF_SIG_IGN 1ull

#define WF_SIGBIT(s)      (1ull << ((s) - 1))
#define WF_SIG_UNBLOCKABLE (WF_SIGBIT(WF_SIGKILL) | WF_SIGBIT(WF_SIGSTOP))

/* What a signal does under SIG_DFL (signal(7)). */
enum wf_sig_default {
	WF_SIGDFL_TERM = 1, /* terminate */
	WF_SIGDFL_CORE = 2, /* terminate (and dump core) */
	WF_SIGDFL_IGN = 3,  /* ignored */
	WF_SIGDFL_STOP = 4, /* stop the process */
};

/* The WF_SIGDFL_* action of sig (1..64), or -EINVAL for a number outside that range. */
int wf_signal_default_action(int sig);

/* Short name of a signal ("SIGTERM", "SIGRT3"), or NULL for a number outside 1..64. */
const char *wf_signo_name(int sig);

/*
 * Send sig (1..64) to the process itself, as kill(getpid(), sig) does (SI_USER): ignored
 * signals are dropped, the rest are pending until the next return to the guest delivers
 * them (wf_signal_deliver). Returns 0, or -EAGAIN when a real-time signal's queue is full.
 */
int wf_signal_send(struct wf_proc *p, int sig);

/* The guest's 128-byte siginfo_t: zeroes but for the fields the signal's source fills. */
void wf_siginfo_encode(uint8_t out[128], const struct wf_siginfo *i);
/* The first 48 bytes of a guest siginfo_t (rt_sigqueueinfo's) as signal sig: the fields its
 * si_code's layout has (bytes 16..31: si_pid, si_uid, si_value and the like) are kept. */
void wf_siginfo_decode(const uint8_t in[48], int sig, struct wf_siginfo *i);

/* Take the first pending signal of set (the running thread's, then the process's) into
 * info, as rt_sigtimedwait and a signalfd read do: its number, or 0 if none is pending. */
int wf_signal_take(struct wf_proc *p, uint64_t set, struct wf_siginfo *info);
/* struct signalfd_siginfo (128 bytes) for a taken signal: the fields its source fills. */
void wf_signalfd_encode(uint8_t out[128], const struct wf_siginfo *i);

/* Queue a signal with its siginfo on the thread (true) or the process. 0 or -EAGAIN. */
int wf_signal_queue(struct wf_proc *p, const struct wf_siginfo *info, bool thread);

/* The same on a given thread's signal state (another thread's, parked). */
struct wf_sigthread;
int wf_signal_queue_on(struct wf_proc *p, struct wf_sigthread *t, const struct wf_siginfo *info);

/*
 * A synchronous fault, decoded by the architecture code in Linux's terms: the signal and its
 * siginfo, and what the fault leaves in the thread's fault_address/fault_code (which Linux
 * sets for memory aborts and arm64_notify_die() faults, and leaves alone for BRK).
 */
struct wf_fault {
	int sig, code;
	uint64_t addr;            /* si_addr */
	bool set_fault;           /* false: fault_address/fault_code keep their old values */
	uint64_t fault_address;
	uint64_t fault_code;      /* the ESR for the esr_context record; 0: no record */
};

/*
 * Raise a fault on the thread as Linux's force_sig_fault() does: a blocked or ignored signal
 * is unblocked and its action reset to SIG_DFL, so the process dies of it.
 */
void wf_signal_fault(struct wf_proc *p, const struct wf_fault *f);

/* How the guest entered the VMM before a return to it: a syscall and its result, or not. */
struct wf_sysexit {
	bool syscall;
	int64_t ret;              /* what the syscall returned (already in x0) */
	uint64_t orig_x0;         /* x0 at the syscall, for a restart */
};

/* Whether the return to the guest has signal work to do (cheap: the syscall fast path). */
bool wf_signal_work(const struct wf_proc *p, const struct wf_sysexit *sx);

/*
 * The return to the guest (Linux's do_notify_resume): restart or fail an interrupted
 * syscall, then deliver every deliverable signal in Linux's order, each building a frame on
 * the guest's stack (wf_sigframe_setup), ending the process (wf_proc_kill), or nothing.
 * need_fp(ctx) is called once before the first frame is built: it must bring the FP/SIMD
 * registers into p->regs (NULL: they are there already). Returns 0, or need_fp's error.
 */
int wf_signal_deliver(struct wf_proc *p, const struct wf_sysexit *sx, int (*need_fp)(void *ctx),
		      void *ctx);

/* sigframe.c: the arm64 rt_sigframe. */

/*
 * Build the frame for sig (action ka, siginfo info, mask to save `oldmask`) on the guest's
 * stack or alternate stack and point p->regs at the handler, exactly as Linux's
 * setup_rt_frame. 0, or -EFAULT when the frame cannot be written (the caller forces SIGSEGV).
 */
int wf_sigframe_setup(struct wf_proc *p, int sig, const struct wf_sigaction *ka,
		      const struct wf_siginfo *info, uint64_t oldmask);

/*
 * rt_sigreturn: restore registers, FP/SIMD state (through the frame page: F_LOAD_FP), the
 * mask and the altstack from the frame at the guest's sp, validating it as Linux does. 0,
 * or -EINVAL/-EFAULT for a bad frame (the caller forces SIGSEGV).
 */
int wf_sigframe_restore(struct wf_proc *p);

/*
 * For backtraces: from the frame record a handler was entered with (the x29 it got), the pc
 * and x29 of the code the signal interrupted. 0 or -EFAULT.
 */
int wf_sigframe_unwind(struct wf_proc *p, uint64_t record, uint64_t *pc, uint64_t *fp);

/* The sigaltstack rules Linux applies to a change (do_sigaltstack) at stack pointer sp. */
int wf_sigaltstack_set(struct wf_proc *p, uint64_t ss_sp, int32_t ss_flags, uint64_t ss_size,
		       uint64_t sp);

/* SS_ONSTACK when sp is on the alternate stack, SS_DISABLE when there is none, else 0. */
int wf_sigaltstack_flags(const struct wf_proc *p, uint64_t sp);

#endif
