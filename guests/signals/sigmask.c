// SPDX-License-Identifier: Apache-2.0
/* sigmask.c: masks, pending signals, delivery order and default dispositions, as Linux has them.
 *
 *   sigmask mask        sa_mask and the signal itself blocked in the handler; a signal raised
 *                       there waits for the handler to return
 *   sigmask nodefer     SA_NODEFER: the handler nests; without it, it does not
 *   sigmask order       blocked signals of every kind, delivered on unblock in Linux's order
 *   sigmask suspend     rt_sigsuspend: the handler runs with the temporary mask, EINTR, old mask
 *   sigmask rules       SIGKILL/SIGSTOP cannot be caught, ignored or blocked; kill probes
 *   sigmask ignore      ignored signals (SIG_IGN, default-ignore, blocked then ignored)
 *   sigmask resethand   SA_RESETHAND: the second signal takes the default action     -> 138
 *   sigmask abort-handler  abort() with a SIGABRT handler that returns               -> 134
 *   sigmask abort-longjmp  abort() with a SIGABRT handler that siglongjmps out        -> 0
 *   sigmask die SIG     raise(SIG) with the default action (also: blocked, then unblocked)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static sigjmp_buf jb;
static volatile sig_atomic_t depth;

static const char *name(int sig)
{
	static char s[16];
	if (sig >= SIGRTMIN)
		snprintf(s, sizeof(s), "RTMIN+%d", sig - SIGRTMIN);
	else
		snprintf(s, sizeof(s), "%s", sigabbrev_np(sig));
	return s;
}

/* The signals of 1..NSIG-1 in set, by name. */
static void print_set(const char *what, const sigset_t *set)
{
	printf("%s:", what);
	for (int s = 1; s < SIGRTMIN + 4; s++)
		if (sigismember(set, s))
			printf(" %s", name(s));
	printf("\n");
}

static void print_mask(const char *what)
{
	sigset_t cur;
	sigprocmask(SIG_BLOCK, NULL, &cur);
	print_set(what, &cur);
}

static void print_pending(const char *what)
{
	sigset_t p;
	sigpending(&p);
	print_set(what, &p);
}

static void on(int sig, void (*h)(int, siginfo_t *, void *), int flags, int masked)
{
	struct sigaction sa = {.sa_sigaction = h, .sa_flags = SA_SIGINFO | flags};
	sigemptyset(&sa.sa_mask);
	if (masked)
		sigaddset(&sa.sa_mask, masked);
	if (sigaction(sig, &sa, NULL))
		printf("sigaction(%s): %s\n", name(sig), strerror(errno));
}

static void report(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	printf("%*shandler %s (si_code %d)\n", 2 * depth, "", name(sig), si->si_code);
}

static void on_mask(int sig, siginfo_t *si, void *uc)
{
	report(sig, si, uc);
	if (sig != SIGUSR1)
		return;
	print_mask("  mask in the SIGUSR1 handler");
	raise(SIGUSR2);
	print_pending("  pending after raise(SIGUSR2)");
	printf("  leaving the SIGUSR1 handler\n");
}

static void mask(void)
{
	on(SIGUSR1, on_mask, 0, SIGUSR2);
	on(SIGUSR2, on_mask, 0, 0);
	raise(SIGUSR1);
	print_mask("mask after");
}

static volatile sig_atomic_t runs;

/* Raise the signal again from its handler, three times in all. */
static void on_nest(int sig, siginfo_t *si, void *uc)
{
	report(sig, si, uc);
	if (++runs < 4) {
		depth++;
		raise(sig);
		depth--;
	}
	printf("%*sleaving %s\n", 2 * depth, "", name(sig));
}

static void nodefer(void)
{
	printf("SA_NODEFER: the handlers nest\n");
	on(SIGUSR1, on_nest, SA_NODEFER, 0);
	raise(SIGUSR1);
	printf("without it: each runs after the last returned\n");
	runs = 0;
	on(SIGUSR1, on_nest, 0, 0);
	raise(SIGUSR1);
}

static void order(void)
{
	const int sigs[] = {SIGHUP, SIGINT, SIGUSR1, SIGUSR2, SIGTERM, SIGCHLD, SIGRTMIN,
			    SIGRTMIN + 1, SIGSEGV};
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		on(sigs[i], report, 0, 0);
	sigset_t all, old;
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, &old);
	/* kill: the process's pending set; raise (tgkill): the thread's. */
	kill(getpid(), SIGTERM);
	kill(getpid(), SIGHUP);
	raise(SIGUSR2);
	raise(SIGUSR1);
	raise(SIGUSR1); /* a standard signal is pending once */
	raise(SIGRTMIN + 1);
	raise(SIGRTMIN);
	raise(SIGRTMIN); /* real-time signals queue */
	kill(getpid(), SIGINT);
	raise(SIGSEGV);  /* synchronous signals go first, even sent ones */
	kill(getpid(), SIGCHLD);
	print_pending("pending");
	printf("unblocking everything\n");
	sigprocmask(SIG_SETMASK, &old, NULL);
	print_pending("pending after");
}

static void suspend(void)
{
	on(SIGUSR1, on_mask, 0, 0);
	on(SIGUSR2, on_mask, 0, 0);
	sigset_t s, wait_mask;
	sigemptyset(&s);
	sigaddset(&s, SIGUSR1);
	sigaddset(&s, SIGUSR2);
	sigprocmask(SIG_BLOCK, &s, NULL);
	raise(SIGUSR2);
	print_pending("pending before sigsuspend");
	sigfillset(&wait_mask);
	sigdelset(&wait_mask, SIGUSR2);
	int rc = sigsuspend(&wait_mask);
	printf("sigsuspend: %d %s\n", rc, strerror(errno));
	print_mask("mask after sigsuspend");
	print_pending("pending after");
}

static void rules(void)
{
	struct sigaction sa = {.sa_handler = SIG_IGN}, old;
	sigemptyset(&sa.sa_mask);
	for (int s = SIGKILL; s <= SIGSTOP; s += SIGSTOP - SIGKILL) {
		errno = 0;
		int rc = sigaction(s, &sa, NULL);
		printf("sigaction(%s, SIG_IGN): %d %s\n", name(s), rc, strerror(errno));
		rc = sigaction(s, NULL, &old);
		printf("sigaction(%s, NULL, &old): %d, handler SIG_DFL %d\n", name(s), rc,
		       (int)(old.sa_handler == SIG_DFL));
		printf("signal(%s, SIG_IGN) fails: %d\n", name(s),
		       (int)(signal(s, SIG_IGN) == SIG_ERR));
	}
	sigset_t all;
	sigfillset(&all);
	sigprocmask(SIG_SETMASK, &all, NULL);
	sigset_t cur;
	sigprocmask(SIG_BLOCK, NULL, &cur);
	printf("after blocking everything: SIGKILL %d SIGSTOP %d SIGUSR1 %d SIGRTMAX %d\n",
	       sigismember(&cur, SIGKILL), sigismember(&cur, SIGSTOP), sigismember(&cur, SIGUSR1),
	       sigismember(&cur, SIGRTMAX));
	sa.sa_handler = SIG_DFL;
	sigaddset(&sa.sa_mask, SIGKILL);
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGUSR1, NULL, &old);
	printf("SIGKILL in an sa_mask is dropped: %d\n", !sigismember(&old.sa_mask, SIGKILL));
	printf("kill(getpid(), 0): %d; kill(getpid(), 99): %d\n", kill(getpid(), 0),
	       kill(getpid(), 99));
	errno = 0;
	printf("sigaction(0): %d %s; sigaction(65): ", sigaction(0, &sa, NULL), strerror(errno));
	errno = 0;
	printf("%d %s\n", sigaction(65, &sa, NULL), strerror(errno));
}

static void ignore(void)
{
	signal(SIGUSR1, SIG_IGN);
	raise(SIGUSR1);
	raise(SIGCHLD);
	raise(SIGWINCH);
	raise(SIGURG);
	print_pending("after ignored signals, pending");
	sigset_t s;
	sigemptyset(&s);
	sigaddset(&s, SIGUSR2);
	sigaddset(&s, SIGCHLD);
	sigprocmask(SIG_BLOCK, &s, NULL);
	raise(SIGUSR2);
	raise(SIGCHLD);
	print_pending("blocked, even ignored ones, pending");
	signal(SIGUSR2, SIG_IGN);
	print_pending("SIGUSR2 ignored while pending: pending");
	sigprocmask(SIG_UNBLOCK, &s, NULL);
	print_pending("unblocked: pending");
	printf("still alive\n");
}

static void on_resethand(int sig, siginfo_t *si, void *uc)
{
	report(sig, si, uc);
	struct sigaction cur;
	sigaction(sig, NULL, &cur);
	printf("  action now SIG_DFL: %d\n", (int)(cur.sa_handler == SIG_DFL));
}

static void on_abort(int sig, siginfo_t *si, void *uc)
{
	report(sig, si, uc);
	if (depth)
		siglongjmp(jb, 1);
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	const char *m = argc > 1 ? argv[1] : "";
	if (!strcmp(m, "mask")) {
		mask();
	} else if (!strcmp(m, "nodefer")) {
		nodefer();
	} else if (!strcmp(m, "order")) {
		order();
	} else if (!strcmp(m, "suspend")) {
		suspend();
	} else if (!strcmp(m, "rules")) {
		rules();
	} else if (!strcmp(m, "ignore")) {
		ignore();
	} else if (!strcmp(m, "resethand")) {
		on(SIGUSR1, on_resethand, SA_RESETHAND, 0);
		raise(SIGUSR1);
		printf("again\n");
		fflush(stdout);
		raise(SIGUSR1);
	} else if (!strcmp(m, "abort-handler") || !strcmp(m, "abort-longjmp")) {
		on(SIGABRT, on_abort, 0, 0);
		depth = !strcmp(m, "abort-longjmp");
		if (!sigsetjmp(jb, 1)) {
			printf("abort()\n");
			fflush(stdout);
			abort();
		}
		printf("out of abort() by siglongjmp\n");
	} else if (!strcmp(m, "die") && argc > 2) {
		int sig = atoi(argv[2]);
		if (argc > 3) {
			sigset_t s;
			sigemptyset(&s);
			sigaddset(&s, sig);
			sigprocmask(SIG_BLOCK, &s, NULL);
			raise(sig);
			printf("%s blocked and pending\n", name(sig));
			fflush(stdout);
			sigprocmask(SIG_UNBLOCK, &s, NULL);
		} else {
			printf("raise(%s)\n", name(sig));
			fflush(stdout);
			raise(sig);
		}
	} else {
		fprintf(stderr, "usage: sigmask mask|nodefer|order|suspend|rules|ignore|resethand|"
				"abort-handler|abort-longjmp|die SIG [blocked]\n");
		return 64;
	}
	printf("exit 0\n");
	return 0;
}
