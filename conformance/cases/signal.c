// SPDX-License-Identifier: Apache-2.0
/* signal.c: conformance cases for signals: actions, masks, pending sets, altstacks, delivery. */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "conf.h"

/*
 * Raw syscalls with the kernel's structures (struct sigaction as arm64's kernel has it, 8-byte
 * sigsets). Handlers record what they saw in globals; the case prints it afterwards, so the
 * transcript never depends on addresses (si_addr is shown relative to the buffer it hit).
 */

struct k_sigaction {
	void *handler;
	unsigned long flags;
	void *restorer;
	unsigned long mask;
};

#define K_SA_RESTORER 0x04000000ul
#define BIT(s)        (1ul << ((s) - 1))

static volatile int seen_sig, seen_code, seen_pid_ok, seen_count;
static volatile unsigned long seen_addr;
static sigjmp_buf jb;

static void on_info(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	seen_sig = sig;
	seen_code = si->si_code;
	seen_pid_ok = si->si_pid == getpid();
	seen_addr = (unsigned long)si->si_addr;
	seen_count++;
}

static void on_fault(int sig, siginfo_t *si, void *uc)
{
	on_info(sig, si, uc);
	siglongjmp(jb, 1);
}

/* glibc's sigaction (it supplies the restorer); the raw calls are the ones under test. */
static void handle(int sig, void (*fn)(int, siginfo_t *, void *), int flags)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = fn;
	sa.sa_flags = SA_SIGINFO | flags;
	sigemptyset(&sa.sa_mask);
	conf_must(sigaction(sig, &sa, NULL), "sigaction");
}

static void show_seen(void)
{
	conf_fact("handler saw", "signo=%d code=%d pid_is_self=%d count=%d", seen_sig, seen_code,
		  seen_pid_ok, seen_count);
}

CONF_CASE(sigaction_errors, "rt_sigaction")
{
	struct k_sigaction act, old;
	memset(&act, 0, sizeof act);
	memset(&old, 0x55, sizeof old);
	T(rt_sigaction, 0, NULL, &old, 8);
	T(rt_sigaction, 65, NULL, &old, 8);
	T(rt_sigaction, SIGUSR1, NULL, &old, 4);
	T(rt_sigaction, SIGUSR1, NULL, &old, 16);
	T(rt_sigaction, SIGKILL, &act, NULL, 8);
	T(rt_sigaction, SIGSTOP, &act, NULL, 8);
	T(rt_sigaction, SIGKILL, NULL, &old, 8);
	conf_more("handler=%lu flags=%#lx mask=%#lx", (unsigned long)old.handler, old.flags,
		  old.mask);
	T(rt_sigaction, SIGUSR1, CONF_BADPTR, NULL, 8);
	T(rt_sigaction, SIGUSR1, NULL, CONF_BADPTR, 8);
	/* Set SIG_IGN with every flag bit: the kernel keeps the ones it knows. */
	act.handler = SIG_IGN;
	act.flags = ~0ul;
	act.mask = ~0ul;
	T(rt_sigaction, SIGUSR2, &act, NULL, 8);
	T(rt_sigaction, SIGUSR2, NULL, &old, 8);
	conf_more("handler=%lu flags=%#lx mask=%#lx", (unsigned long)old.handler, old.flags,
		  old.mask);
	T(rt_sigaction, 64, &act, &old, 8);
	conf_more("old handler=%lu flags=%#lx", (unsigned long)old.handler, old.flags);
}

CONF_CASE(sigprocmask, "rt_sigprocmask")
{
	unsigned long set = BIT(SIGUSR1) | BIT(SIGKILL) | BIT(SIGSTOP) | BIT(64), old = 0;
	T(rt_sigprocmask, SIG_BLOCK, &set, &old, 8);
	conf_more("old=%#lx", old);
	T(rt_sigprocmask, SIG_BLOCK, NULL, &old, 8);
	conf_more("now=%#lx", old);
	set = BIT(SIGUSR1);
	T(rt_sigprocmask, SIG_UNBLOCK, &set, NULL, 8);
	T(rt_sigprocmask, SIG_SETMASK, NULL, &old, 8);
	conf_more("now=%#lx", old);
	T(rt_sigprocmask, 3, &set, NULL, 8);
	T(rt_sigprocmask, 3, NULL, &old, 8);
	T(rt_sigprocmask, SIG_BLOCK, &set, NULL, 4);
	T(rt_sigprocmask, SIG_BLOCK, CONF_BADPTR, NULL, 8);
	T(rt_sigprocmask, SIG_BLOCK, NULL, CONF_BADPTR, 8);
	set = 0;
	T(rt_sigprocmask, SIG_SETMASK, &set, NULL, 8);
}

CONF_CASE(pending, "rt_sigpending rt_sigprocmask tgkill kill getpid gettid")
{
	unsigned long set = BIT(SIGUSR1) | BIT(SIGUSR2) | BIT(SIGRTMIN + 1), got = 0;
	long pid = SYS0(getpid), tid = SYS0(gettid);
	T(rt_sigprocmask, SIG_BLOCK, &set, NULL, 8);
	T(tgkill, pid, tid, SIGUSR1);
	T(kill, pid, SIGUSR2);
	T(kill, pid, SIGRTMIN + 1);
	T(kill, pid, SIGRTMIN + 1);
	T(rt_sigpending, &got, 8);
	conf_more("pending=%#lx", got);
	got = 0;
	T(rt_sigpending, &got, 4);
	conf_more("pending=%#lx", got);
	T(rt_sigpending, &got, 16);
	T(rt_sigpending, CONF_BADPTR, 8);
	/* Unblocked, they are delivered in Linux's order, the queued real-time one twice. */
	handle(SIGUSR1, on_info, 0);
	handle(SIGUSR2, on_info, 0);
	handle(SIGRTMIN + 1, on_info, 0);
	seen_count = 0;
	T(rt_sigprocmask, SIG_UNBLOCK, &set, NULL, 8);
	conf_more("delivered=%d last=%d", seen_count, seen_sig);
	T(rt_sigpending, &got, 8);
	conf_more("pending=%#lx", got);
}

CONF_CASE(kill_errors, "kill tkill tgkill getpid gettid")
{
	long pid = SYS0(getpid), tid = SYS0(gettid);
	T(kill, pid, 0);
	T(kill, pid, 65);
	T(kill, pid, -1);
	T(kill, 0x7ffffff0, 0);
	T(kill, 0x7ffffff0, 65);
	T(tkill, 0, 0);
	T(tkill, -1, 0);
	T(tkill, tid, 0);
	T(tkill, tid, 65);
	T(tkill, 0x7ffffff0, 0);
	T(tgkill, 0, tid, 0);
	T(tgkill, pid, 0, 0);
	T(tgkill, pid, tid, 0);
	T(tgkill, pid, tid, 65);
	T(tgkill, pid, 0x7ffffff0, 0);
	T(tgkill, 0x7ffffff0, tid, 0);
}

CONF_CASE(delivery, "tgkill kill tkill rt_sigaction getpid gettid")
{
	long pid = SYS0(getpid), tid = SYS0(gettid);
	handle(SIGUSR1, on_info, 0);
	T(tgkill, pid, tid, SIGUSR1);
	show_seen();
	T(kill, pid, SIGUSR1);
	show_seen();
	T(tkill, tid, SIGUSR1);
	show_seen();
	/* SIG_IGN drops it; SIG_DFL of SIGCHLD, SIGURG and SIGWINCH ignores it. */
	signal(SIGUSR1, SIG_IGN);
	T(kill, pid, SIGUSR1);
	T(kill, pid, SIGCHLD);
	T(kill, pid, SIGWINCH);
	show_seen();
}

CONF_CASE(altstack, "sigaltstack")
{
	stack_t ss, old;
	memset(&old, 0x55, sizeof old);
	T(sigaltstack, NULL, &old);
	conf_more("flags=%d size=%zu", old.ss_flags, old.ss_size);
	char *mem = conf_pages(4);
	ss.ss_sp = mem;
	ss.ss_size = 1024;
	ss.ss_flags = 0;
	T(sigaltstack, &ss, NULL);
	ss.ss_flags = 12345;
	ss.ss_size = 4 * CONF_PAGE;
	T(sigaltstack, &ss, NULL);
	ss.ss_flags = 0;
	T(sigaltstack, &ss, NULL);
	T(sigaltstack, NULL, &old);
	conf_more("flags=%d size=%zu sp_is_mem=%d", old.ss_flags, old.ss_size, old.ss_sp == mem);
	ss.ss_flags = SS_DISABLE;
	T(sigaltstack, &ss, NULL);
	T(sigaltstack, NULL, &old);
	conf_more("flags=%d size=%zu", old.ss_flags, old.ss_size);
	T(sigaltstack, CONF_BADPTR, NULL);
	T(sigaltstack, NULL, CONF_BADPTR);
}

CONF_CASE(fault_siginfo, "mmap munmap mprotect")
{
	handle(SIGSEGV, on_fault, SA_NODEFER);
	char *p = (char *)SYS(mmap, 0, 3 * CONF_PAGE, PROT_READ | PROT_WRITE,
			      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	T(mprotect, p, CONF_PAGE, PROT_NONE);
	T(munmap, p + 2 * CONF_PAGE, CONF_PAGE);
	const struct {
		const char *what;
		long off;
	} cases[] = {{"read PROT_NONE +5", 5}, {"read unmapped +2p+7", 2 * CONF_PAGE + 7}};
	for (unsigned i = 0; i < 2; i++) {
		seen_count = 0;
		if (!sigsetjmp(jb, 1))
			(void)*(volatile char *)conf_launder(p + cases[i].off);
		conf_fact(cases[i].what, "signo=%d code=%d addr_off=%ld count=%d", seen_sig,
			  seen_code, (long)(seen_addr - (unsigned long)p), seen_count);
	}
	T(mprotect, p, CONF_PAGE, PROT_READ);
	seen_count = 0;
	if (!sigsetjmp(jb, 1))
		*(volatile char *)conf_launder(p + 9) = 1;
	conf_fact("write read-only +9", "signo=%d code=%d addr_off=%ld count=%d", seen_sig,
		  seen_code, (long)(seen_addr - (unsigned long)p), seen_count);
}

CONF_CASE(sigpipe, "pipe2 write close")
{
	int fds[2];
	T(pipe2, fds, 0);
	T(close, fds[0]);
	signal(SIGPIPE, SIG_IGN);
	T(write, fds[1], "x", 1);
	handle(SIGPIPE, on_info, 0);
	seen_count = 0;
	T(write, fds[1], "x", 1);
	show_seen();
	T(close, fds[1]);
}

static pthread_t main_thread;

static void *poke_main(void *arg)
{
	(void)arg;
	struct timespec ts = {0, 100 * 1000 * 1000};
	nanosleep(&ts, NULL);
	pthread_kill(main_thread, SIGUSR2);
	return NULL;
}

CONF_CASE(eintr, "nanosleep tgkill")
{
	/* Another thread signals this one in its sleep: EINTR and the time left (no
	 * SA_RESTART, and nanosleep is never restarted after a handler anyway). */
	handle(SIGUSR2, on_info, 0);
	main_thread = pthread_self();
	pthread_t t;
	conf_must(pthread_create(&t, NULL, poke_main, NULL), "pthread_create");
	struct timespec req = {30, 0}, rem = {-1, -1};
	seen_count = 0;
	T(nanosleep, &req, &rem);
	conf_more("rem_in_range=%d", rem.tv_sec >= 0 && rem.tv_sec < 30 && rem.tv_nsec >= 0 &&
					     rem.tv_nsec < 1000000000 && rem.tv_sec > 20);
	show_seen();
	pthread_join(t, NULL);
}

CONF_CASE(sigtimedwait, "rt_sigtimedwait rt_sigprocmask tgkill")
{
	unsigned long set = BIT(SIGUSR1);
	siginfo_t si;
	struct timespec zero = {0, 0};
	T(rt_sigprocmask, SIG_BLOCK, &set, NULL, 8);
	T(rt_sigtimedwait, &set, &si, &zero, 8);
	T(tgkill, SYS0(getpid), SYS0(gettid), SIGUSR1);
	T(rt_sigtimedwait, &set, &si, &zero, 8);
	conf_more("si_signo=%d si_code=%d pid_is_self=%d", si.si_signo, si.si_code,
		  si.si_pid == SYS0(getpid));
	T(rt_sigtimedwait, &set, &si, &zero, 8);
	/* Process-directed, a real-time signal queued twice, then the lowest number first. */
	unsigned long more = BIT(SIGUSR1) | BIT(SIGUSR2) | BIT(SIGRTMIN + 1);
	T(rt_sigprocmask, SIG_BLOCK, &more, NULL, 8);
	T(kill, SYS0(getpid), SIGRTMIN + 1);
	T(kill, SYS0(getpid), SIGRTMIN + 1);
	T(kill, SYS0(getpid), SIGUSR2);
	T(rt_sigtimedwait, &more, NULL, &zero, 8);
	T(rt_sigtimedwait, &more, NULL, &zero, 8);
	T(rt_sigtimedwait, &more, NULL, &zero, 8);
	T(rt_sigtimedwait, &more, NULL, &zero, 8);
	/* A timeout that runs out, and the argument checks. */
	struct timespec short_wait = {0, 20 * 1000 * 1000}, bad = {0, 1000000000};
	T(rt_sigtimedwait, &set, &si, &short_wait, 8);
	T(rt_sigtimedwait, &set, &si, &bad, 8);
	T(rt_sigtimedwait, &set, &si, &zero, 4);
	T(rt_sigtimedwait, CONF_BADPTR, &si, &zero, 8);
	T(rt_sigtimedwait, &set, &si, CONF_BADPTR, 8);
	T(kill, SYS0(getpid), SIGUSR1);
	T(rt_sigtimedwait, &set, CONF_BADPTR, &zero, 8);
	T(rt_sigtimedwait, &set, &si, &zero, 8);
}

static void *poke_main_usr1(void *arg)
{
	(void)arg;
	struct timespec ts = {0, 100 * 1000 * 1000};
	nanosleep(&ts, NULL);
	pthread_kill(main_thread, SIGUSR1);
	return NULL;
}

CONF_CASE(sigtimedwait_thread, "rt_sigtimedwait rt_sigprocmask tgkill")
{
	/* Another thread sends the awaited signal: the wait (no timeout) takes it. */
	unsigned long set = BIT(SIGUSR1);
	siginfo_t si;
	T(rt_sigprocmask, SIG_BLOCK, &set, NULL, 8);
	main_thread = pthread_self();
	pthread_t t;
	conf_must(pthread_create(&t, NULL, poke_main_usr1, NULL), "pthread_create");
	T(rt_sigtimedwait, &set, &si, NULL, 8);
	conf_more("si_signo=%d si_code=%d", si.si_signo, si.si_code);
	pthread_join(t, NULL);
}

/* sigqueue's path: a signal carrying the caller's siginfo (si_code, si_pid, si_value). */
CONF_CASE(sigqueueinfo, "rt_sigqueueinfo rt_tgsigqueueinfo rt_sigtimedwait rt_sigprocmask")
{
	unsigned long set = BIT(SIGUSR1) | BIT(SIGRTMIN + 2);
	struct timespec zero = {0, 0};
	siginfo_t si, q;
	long me = SYS0(getpid), tid = SYS0(gettid);
	T(rt_sigprocmask, SIG_BLOCK, &set, NULL, 8);
	memset(&q, 0, sizeof(q));
	q.si_signo = SIGUSR2; /* the kernel takes the signal from the argument */
	q.si_code = SI_QUEUE;
	q.si_pid = (pid_t)me;
	q.si_value.sival_int = 1234;
	T(rt_sigqueueinfo, me, SIGRTMIN + 2, &q);
	q.si_value.sival_int = 5678;
	T(rt_sigqueueinfo, me, SIGRTMIN + 2, &q);
	for (int i = 0; i < 2; i++) {
		memset(&si, 0, sizeof(si));
		T(rt_sigtimedwait, &set, &si, &zero, 8);
		conf_more("si_signo=%d si_code=%d pid_is_self=%d value=%d", si.si_signo - SIGRTMIN,
			  si.si_code, si.si_pid == me, si.si_value.sival_int);
	}
	/* Thread-directed, and a code only the process itself may claim. */
	q.si_code = SI_TKILL;
	q.si_value.sival_int = 9;
	T(rt_tgsigqueueinfo, me, tid, SIGUSR1, &q);
	memset(&si, 0, sizeof(si));
	T(rt_sigtimedwait, &set, &si, &zero, 8);
	conf_more("si_signo=%d si_code=%d", si.si_signo, si.si_code);
	q.si_code = SI_USER;
	T(rt_sigqueueinfo, me, SIGUSR1, &q);
	T(rt_sigtimedwait, &set, &si, &zero, 8);
	/* The checks, in Linux's order. */
	T(rt_sigqueueinfo, me, SIGUSR1, CONF_BADPTR);
	T(rt_sigqueueinfo, 0, SIGUSR1, &q);           /* SI_USER to another pid */
	q.si_code = SI_QUEUE;
	T(rt_sigqueueinfo, 0, SIGUSR1, &q);
	T(rt_sigqueueinfo, -1, SIGUSR1, &q);
	T(rt_sigqueueinfo, me, 65, &q);
	T(rt_sigqueueinfo, me, 0, &q);
	T(rt_tgsigqueueinfo, me, 0, SIGUSR1, &q);
	T(rt_tgsigqueueinfo, 0, tid, SIGUSR1, &q);
	T(rt_tgsigqueueinfo, me, tid, 65, &q);
	T(rt_tgsigqueueinfo, me + 100000, tid, SIGUSR1, &q);
	T(rt_tgsigqueueinfo, me, tid, SIGUSR1, CONF_BADPTR);
	q.si_code = 0;
	T(rt_tgsigqueueinfo, me, tid + 100000, SIGUSR1, &q);
	T(rt_sigtimedwait, &set, &si, &zero, 8);
}
