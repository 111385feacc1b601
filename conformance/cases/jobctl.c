// SPDX-License-Identifier: Apache-2.0
/* jobctl.c: conformance cases for job control: stop signals, SIGCONT, WUNTRACED/WSTOPPED and WCONTINUED waits. */
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "conf.h"

/*
 * As in procs.c, children never print: they make raw calls and leave with a raw exit_group.
 * Every step waits for the state the next one needs (a stop is reported before SIGCONT is
 * sent), so nothing depends on timing.
 */

static long raw_fork(void)
{
	return SYS(clone, SIGCHLD, 0, 0, 0, 0);
}

static void leave(int status)
{
	SYS(exit_group, status);
	for (;;)
		;
}

static void show(const char *what, int status)
{
	conf_fact(what, "stopped %d sig %d continued %d exited %d code %d signaled %d sig %d",
		  WIFSTOPPED(status), WIFSTOPPED(status) ? WSTOPSIG(status) : 0,
		  WIFCONTINUED(status), WIFEXITED(status), WIFEXITED(status) ? WEXITSTATUS(status) : 0,
		  WIFSIGNALED(status), WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

/* A child blocked in a read is stopped and continued by its parent; its read goes on. */
CONF_CASE(stop_continue, "kill wait4 clone read")
{
	int fds[2];
	conf_must(SYS(pipe2, fds, 0), "pipe2");
	long child = raw_fork();
	if (child == 0) {
		char c = 0;
		long n = SYS(read, fds[0], &c, 1);
		leave(n == 1 ? c : 100 + (int)-n);
	}
	int status = 0;
	T(kill, child, SIGSTOP);
	long r = TN(wait4, child, &status, WUNTRACED, NULL);
	conf_more("same %d", r == child);
	show("after SIGSTOP", status);
	T(wait4, child, &status, WUNTRACED | WNOHANG, NULL); /* reported once */
	T(kill, child, SIGCONT);
	r = TN(wait4, child, &status, WCONTINUED, NULL);
	conf_more("same %d", r == child);
	show("after SIGCONT", status);
	T(wait4, child, &status, WCONTINUED | WNOHANG, NULL);
	T(write, fds[1], "x", 1);
	TN(wait4, child, &status, 0, NULL);
	show("at exit", status);
}

/* A child stops itself (SIGTSTP, in its own process group: in an orphaned one the terminal
 * stop signals do nothing); a wait without WUNTRACED does not see it; waitid with WNOWAIT
 * leaves the report for the next wait. */
CONF_CASE(self_stop_waitid, "kill waitid wait4 clone setpgid")
{
	int fds[2];
	conf_must(SYS(pipe2, fds, 0), "pipe2");
	long child = raw_fork();
	if (child == 0) {
		SYS(setpgid, 0, 0); /* a group of its own: not orphaned, so SIGTSTP stops */
		SYS(kill, SYS0(getpid), SIGTSTP);
		char c;
		SYS(read, fds[0], &c, 1); /* a zombie is never reported as continued: stay */
		leave(5);
	}
	siginfo_t si;
	memset(&si, 0, sizeof(si));
	T(waitid, P_PID, child, &si, WSTOPPED | WNOWAIT, NULL);
	conf_more("signo %d code %d status %d same %d", si.si_signo, si.si_code, si.si_status,
		  si.si_pid == child);
	memset(&si, 0, sizeof(si));
	T(waitid, P_PID, child, &si, WSTOPPED, NULL);
	conf_more("again: code %d status %d", si.si_code, si.si_status);
	int status = 0;
	T(wait4, child, &status, WNOHANG, NULL); /* stopped, not exited */
	memset(&si, 0, sizeof(si));
	T(waitid, P_PID, child, &si, WSTOPPED | WNOHANG, NULL);
	conf_more("nothing new: pid %d", si.si_pid);
	T(kill, child, SIGCONT);
	memset(&si, 0, sizeof(si));
	T(waitid, P_PID, child, &si, WCONTINUED, NULL);
	conf_more("code %d status %d", si.si_code, si.si_status);
	T(write, fds[1], "x", 1);
	memset(&si, 0, sizeof(si));
	T(waitid, P_PID, child, &si, WEXITED, NULL);
	conf_more("code %d status %d", si.si_code, si.si_status);
}

static volatile int chld_count, chld_code, chld_status, chld_same;
static volatile long chld_expect;

static void on_chld(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	chld_count++;
	chld_code = si->si_code;
	chld_status = si->si_status;
	chld_same = si->si_pid == chld_expect;
}

static void chld_handler(int flags)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_chld;
	sa.sa_flags = SA_SIGINFO | SA_RESTART | flags;
	conf_must(sigaction(SIGCHLD, &sa, NULL), "sigaction");
	chld_count = chld_code = chld_status = chld_same = 0;
}

/* The parent's SIGCHLD says CLD_STOPPED with the stop signal, then CLD_KILLED. */
CONF_CASE(sigchld_stop, "rt_sigaction kill wait4 clone")
{
	chld_handler(0);
	long child = raw_fork();
	if (child == 0) {
		SYS(kill, SYS0(getpid), SIGSTOP);
		leave(1);
	}
	chld_expect = child;
	int status = 0;
	TN(wait4, child, &status, WUNTRACED, NULL);
	show("stopped", status);
	conf_fact("SIGCHLD", "count %d code %d status %d same pid %d", chld_count, chld_code,
		  chld_status, chld_same);
	T(kill, child, SIGKILL); /* SIGKILL ends a stopped process */
	TN(wait4, child, &status, 0, NULL);
	show("killed", status);
	conf_fact("SIGCHLD", "count %d code %d status %d same pid %d", chld_count, chld_code,
		  chld_status, chld_same);
	signal(SIGCHLD, SIG_DFL);
}

/* SA_NOCLDSTOP: no SIGCHLD for a stop or a continue, but the wait still sees the stop. A
 * fatal signal waits for SIGCONT (SIGKILL alone acts on a stopped process). */
CONF_CASE(nocldstop, "rt_sigaction kill wait4 clone setpgid")
{
	chld_handler(SA_NOCLDSTOP);
	long child = raw_fork();
	if (child == 0) {
		SYS(setpgid, 0, 0);
		SYS(kill, SYS0(getpid), SIGTTIN);
		leave(1);
	}
	chld_expect = child;
	int status = 0;
	TN(wait4, child, &status, WUNTRACED, NULL);
	show("stopped", status);
	conf_fact("SIGCHLD", "count %d", chld_count);
	T(kill, child, SIGTERM); /* pending until SIGCONT: no stopped thread takes it */
	T(wait4, child, &status, WNOHANG, NULL);
	T(kill, child, SIGCONT);
	TN(wait4, child, &status, 0, NULL);
	show("terminated", status);
	conf_fact("SIGCHLD", "count %d code %d status %d same pid %d", chld_count, chld_code,
		  chld_status, chld_same);
	signal(SIGCHLD, SIG_DFL);
}

static int cont_pipe;

static void on_cont(int sig)
{
	char c = sig == SIGCONT ? 'c' : '?';
	SYS(write, cont_pipe, &c, 1);
}

/* A SIGCONT handler runs once the child goes on; a stop signal with a handler does not
 * stop; a blocked SIGCONT still continues. */
CONF_CASE(cont_handler, "rt_sigaction kill wait4 clone")
{
	int fds[2];
	conf_must(SYS(pipe2, fds, 0), "pipe2");
	cont_pipe = fds[1];
	long child = raw_fork();
	if (child == 0) {
		struct sigaction sa;
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = on_cont;
		sigaction(SIGCONT, &sa, NULL);
		sigaction(SIGTSTP, &sa, NULL); /* '?' into the pipe, no stop */
		SYS(kill, SYS0(getpid), SIGTSTP);
		SYS(kill, SYS0(getpid), SIGSTOP);
		sigset_t set;
		sigemptyset(&set);
		sigaddset(&set, SIGCONT);
		sigprocmask(SIG_BLOCK, &set, NULL);
		SYS(kill, SYS0(getpid), SIGSTOP);
		leave(9);
	}
	int status = 0;
	char buf[4] = {0};
	T(read, fds[0], buf, 1);
	conf_more("%c", buf[0]);
	TN(wait4, child, &status, WUNTRACED, NULL);
	show("first stop", status);
	T(kill, child, SIGCONT);
	T(read, fds[0], buf, 1);
	conf_more("%c", buf[0]);
	TN(wait4, child, &status, WUNTRACED, NULL);
	show("second stop", status);
	T(kill, child, SIGCONT);
	TN(wait4, child, &status, 0, NULL);
	show("exit", status);
}
