/* signals.h: guest signal numbers, default dispositions and self-signalling for the VMM. */
#ifndef WARMFORK_LINUX_SIGNAL_H
#define WARMFORK_LINUX_SIGNAL_H

struct wf_proc;

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

/* Special handler values in struct wf_sigaction.handler. */
#define WF_SIG_DFL 0ull
#define WF_SIG_IGN 1ull

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
 * Send sig (1..64) to the process itself, as kill(getpid(), sig) does: blocked signals are
 * left pending, ignored ones dropped, fatal ones end the process through wf_proc_kill(), and
 * ones with a handler are left pending for the run loop to deliver.
 */
void wf_signal_send(struct wf_proc *p, int sig);

#endif
