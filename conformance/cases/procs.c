// SPDX-License-Identifier: Apache-2.0
/* procs.c: conformance cases for processes: fork, vfork, wait4/waitid, exit statuses, pipes, kill, groups. */
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "conf.h"

/*
 * Children never print: they make raw calls and leave with a raw exit_group (no stdio flush),
 * and what they saw comes back in their exit status or through a pipe, which the parent
 * prints. Pids vary, so they show as <n> and as relations.
 */

/* fork as glibc makes it, raw: 0 in the child, the child's pid in the parent. */
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

/* A child that blocks reading a pipe nobody writes, until a signal ends it. */
static long reading_child(void)
{
	int fds[2];
	conf_must(SYS(pipe2, fds, 0), "pipe2");
	long child = raw_fork();
	if (child == 0) {
		char c;
		SYS(read, fds[0], &c, 1);
		leave(0);
	}
	return child;
}

CONF_CASE(fork_exit_status, "clone wait4 exit_group")
{
	long child = raw_fork();
	if (child == 0)
		leave(7);
	conf_reportf(CONF_ANY, child, "clone(SIGCHLD, 0, 0, 0, 0)");
	int status = 0;
	long r = TN(wait4, -1, &status, 0, NULL);
	conf_more("same pid %d, status %#x", r == child, status);
	T(wait4, -1, &status, 0, NULL);
	T(wait4, child, &status, WNOHANG, NULL);
}

CONF_CASE(fork_identity, "clone getpid getppid wait4")
{
	long me = SYS0(getpid);
	int fds[2];
	conf_must(SYS(pipe2, fds, 0), "pipe2");
	long child = raw_fork();
	if (child == 0) {
		long ids[2] = {SYS0(getpid), SYS0(getppid)};
		SYS(write, fds[1], ids, sizeof(ids));
		leave(0);
	}
	long ids[2] = {0, 0};
	long n = T(read, fds[0], ids, sizeof(ids));
	conf_more("child pid == fork's %d, its ppid == parent %d, differs %d", ids[0] == child,
		  ids[1] == me, child != me);
	int status;
	long r = TN(wait4, child, &status, 0, NULL);
	conf_more("same %d status %#x n %ld", r == child, status, n);
}

CONF_CASE(fork_signal_death, "clone kill wait4 waitid")
{
	long child = raw_fork();
	if (child == 0) {
		SYS(kill, SYS0(getpid), SIGUSR1);
		leave(1);
	}
	int status = 0;
	long r = TN(wait4, child, &status, 0, NULL);
	conf_more("same %d signaled %d sig %d", r == child, WIFSIGNALED(status), WTERMSIG(status));
	child = raw_fork();
	if (child == 0)
		leave(3);
	siginfo_t si;
	memset(&si, 0xaa, sizeof(si));
	T(waitid, P_PID, child, &si, WEXITED, NULL);
	conf_more("signo %d code %d pid same %d status %d", si.si_signo, si.si_code,
		  si.si_pid == child, si.si_status);
}

CONF_CASE(fork_copy_on_write, "clone wait4")
{
	static volatile int value = 1;
	long child = raw_fork();
	if (child == 0) {
		value = 42;
		leave(value);
	}
	int status;
	TN(wait4, child, &status, 0, NULL);
	conf_more("child saw %d, parent still %d", WEXITSTATUS(status), value);
}

/* A MAP_SHARED file mapping stays shared across fork: the child's store is the parent's.
 * A child touching such a mapping past the end of its file dies of SIGBUS. */
CONF_CASE(fork_shared_file_map, "clone mmap ftruncate wait4")
{
	long fd = T(openat, AT_FDCWD, "shared", O_RDWR | O_CREAT | O_TRUNC, 0600);
	T(ftruncate, fd, CONF_PAGE);
	volatile char *m = (volatile char *)SYS(mmap, 0, 2 * CONF_PAGE, PROT_READ | PROT_WRITE,
						MAP_SHARED, fd, 0);
	if (conf_err((long)m))
		return;
	m[8] = 'p';
	long child = raw_fork();
	if (child == 0) {
		m[7] = 'c';
		leave(m[8] == 'p' ? 3 : 4);
	}
	int status;
	TN(wait4, child, &status, 0, NULL);
	conf_more("child exit %d, parent sees %c", WEXITSTATUS(status), m[7]);
	child = raw_fork();
	if (child == 0) {
		m[CONF_PAGE + 1] = 1; /* past the end of the file */
		leave(0);
	}
	TN(wait4, child, &status, 0, NULL);
	conf_more("signaled %d by %d", WIFSIGNALED(status), WTERMSIG(status));
}

/* sigqueue to another process: its siginfo (SI_QUEUE, si_pid, si_value) arrives with it. */
CONF_CASE(sigqueue_child, "clone rt_sigqueueinfo rt_sigtimedwait wait4")
{
	unsigned long set = 1ul << (SIGUSR1 - 1);
	T(rt_sigprocmask, SIG_BLOCK, &set, NULL, 8);
	long child = raw_fork();
	if (child == 0) {
		siginfo_t si;
		SYS(rt_sigtimedwait, &set, &si, NULL, 8);
		leave(si.si_code == SI_QUEUE && si.si_pid == SYS0(getppid) ? si.si_value.sival_int : 99);
	}
	siginfo_t q;
	memset(&q, 0, sizeof(q));
	q.si_code = SI_QUEUE;
	q.si_pid = (pid_t)SYS0(getpid);
	q.si_value.sival_int = 42;
	T(rt_sigqueueinfo, child, SIGUSR1, &q);
	q.si_code = SI_USER;
	T(rt_sigqueueinfo, child, SIGUSR1, &q); /* only the process itself may claim it */
	int status;
	TN(wait4, child, &status, 0, NULL);
	conf_more("child exit %d", WEXITSTATUS(status));
}

/* A signalfd's blocking read takes a signal another process sends; a child's signalfd
 * reads the child's own signals. */
CONF_CASE(signalfd_between, "clone signalfd4 read kill wait4")
{
	unsigned long set = 1ul << (SIGUSR1 - 1);
	T(rt_sigprocmask, SIG_BLOCK, &set, NULL, 8);
	long s = T(signalfd4, -1, &set, 8, 0);
	long child = raw_fork();
	if (child == 0) {
		SYS(kill, SYS0(getppid), SIGUSR1);
		struct signalfd_siginfo si;
		SYS(kill, SYS0(getpid), SIGUSR1);
		long n = SYS(read, s, &si, sizeof(si));
		leave(n == sizeof(si) && si.ssi_pid == (uint32_t)SYS0(getpid) ? 5 : 6);
	}
	struct signalfd_siginfo si;
	T(read, s, &si, sizeof(si));
	conf_more("ssi_signo=%u from the child=%d", si.ssi_signo, si.ssi_pid == (uint32_t)child);
	int status;
	TN(wait4, child, &status, 0, NULL);
	conf_more("child exit %d", WEXITSTATUS(status));
}

/* prctl(PR_SET_PDEATHSIG): a grandchild hears of its parent's end; a child does not inherit
 * its parent's setting. */
CONF_CASE(pdeathsig, "prctl clone rt_sigtimedwait wait4")
{
	unsigned long set = 1ul << (SIGUSR1 - 1);
	int result[2], sync[2];
	T(rt_sigprocmask, SIG_BLOCK, &set, NULL, 8);
	T(pipe2, result, 0);
	T(prctl, PR_SET_PDEATHSIG, SIGUSR2);
	long child = raw_fork();
	if (child == 0) {
		int inherited = -1;
		SYS(prctl, PR_GET_PDEATHSIG, &inherited);
		SYS(pipe2, sync, 0);
		if (raw_fork() == 0) {
			SYS(prctl, PR_SET_PDEATHSIG, SIGUSR1);
			SYS(write, sync[1], "s", 1);
			siginfo_t si;
			struct timespec ts = {20, 0};
			char r = SYS(rt_sigtimedwait, &set, &si, &ts, 8) == SIGUSR1 ? 'y' : 'n';
			SYS(write, result[1], &r, 1);
			leave(0);
		}
		char c;
		SYS(read, sync[0], &c, 1);
		leave(inherited);
	}
	int status;
	TN(wait4, child, &status, 0, NULL);
	conf_more("child saw PR_GET_PDEATHSIG %d", WEXITSTATUS(status));
	char r = '?';
	T(read, result[0], &r, 1);
	conf_more("grandchild got SIGUSR1 when its parent ended: %c", r);
	T(prctl, PR_SET_PDEATHSIG, 0);
}

CONF_CASE(fork_pipe, "clone pipe2 read write close wait4")
{
	int fds[2];
	T(pipe2, fds, 0);
	long child = raw_fork();
	if (child == 0) {
		SYS(close, fds[0]);
		for (int i = 0; i < 3; i++)
			SYS(write, fds[1], "chunk", 5);
		leave(0);
	}
	T(close, fds[1]);
	char buf[64];
	long got = 0, n;
	while ((n = SYS(read, fds[0], buf + got, sizeof(buf) - (size_t)got)) > 0)
		got += n;
	conf_fact("read until EOF", "%ld bytes, last %ld", got, n);
	conf_bytes("data", buf, (size_t)got);
	int status;
	TN(wait4, child, &status, 0, NULL);
	conf_more("status %#x", status);
}

/* The child blocks in read on a pipe until the parent writes: neither stalls the other. */
CONF_CASE(fork_blocking_read, "clone pipe2 read write wait4")
{
	int to_child[2], to_parent[2];
	T(pipe2, to_child, 0);
	T(pipe2, to_parent, 0);
	long child = raw_fork();
	if (child == 0) {
		char c = 0;
		long n = SYS(read, to_child[0], &c, 1);
		c = (char)(c + 1);
		SYS(write, to_parent[1], &c, 1);
		leave((int)n);
	}
	int status = 0;
	T(wait4, child, &status, WNOHANG, NULL);
	char c = 'a';
	T(write, to_child[1], &c, 1);
	T(read, to_parent[0], &c, 1);
	conf_more("got %c", c);
	TN(wait4, child, &status, 0, NULL);
	conf_more("status %#x", status);
}

CONF_CASE(fork_shared_offset, "clone openat write lseek wait4")
{
	conf_write_file("offset", "0123456789");
	int fd = conf_open("offset", O_RDONLY);
	long child = raw_fork();
	if (child == 0) {
		SYS(lseek, fd, 6, SEEK_SET);
		leave(0);
	}
	int status;
	TN(wait4, child, &status, 0, NULL);
	T(lseek, fd, 0, SEEK_CUR);
}

CONF_CASE(wait_order, "clone wait4 waitid")
{
	long kids[3];
	for (int i = 0; i < 3; i++) {
		kids[i] = raw_fork();
		if (kids[i] == 0)
			leave(10 + i);
	}
	int status;
	for (int i = 2; i >= 0; i--) {
		long r = TN(wait4, kids[i], &status, 0, NULL);
		conf_more("child %d same %d status %d", i, r == kids[i], WEXITSTATUS(status));
	}
	T(wait4, -1, &status, WNOHANG, NULL);
	long k = raw_fork();
	if (k == 0)
		leave(5);
	siginfo_t si;
	memset(&si, 0, sizeof(si));
	T(waitid, P_ALL, 0, &si, WEXITED | WNOWAIT, NULL);
	conf_more("peek status %d", si.si_status);
	memset(&si, 0, sizeof(si));
	T(waitid, P_PID, k, &si, WEXITED, NULL);
	conf_more("reaped status %d", si.si_status);
	T(waitid, P_ALL, 0, &si, WEXITED | WNOHANG, NULL);
}

CONF_CASE(fork_tree, "clone wait4 exit_group")
{
	long sum = 0, reaped = 0;
	for (int i = 0; i < 20; i++) {
		long c = raw_fork();
		if (c == 0) {
			/* Every child has a child of its own, which it reaps. */
			long g = raw_fork();
			if (g == 0)
				leave(1);
			int gs = 0;
			SYS(wait4, g, &gs, 0, NULL);
			leave(i + WEXITSTATUS(gs));
		}
	}
	int status;
	while (SYS(wait4, -1, &status, 0, NULL) > 0) {
		reaped++;
		sum += WEXITSTATUS(status);
	}
	conf_fact("reaped", "%ld children, statuses sum %ld", reaped, sum);
}

CONF_CASE(kill_child, "clone kill wait4 pipe2")
{
	long child = reading_child();
	T(kill, child, 0);
	T(kill, child, SIGTERM);
	int status = 0;
	TN(wait4, child, &status, 0, NULL);
	conf_more("signaled %d sig %d", WIFSIGNALED(status), WTERMSIG(status));
	T(kill, child, 0);
}

CONF_CASE(kill_busy_child, "clone kill wait4")
{
	long child = raw_fork();
	if (child == 0)
		for (;;)
			__asm__ volatile("");
	T(kill, child, SIGKILL);
	int status = 0;
	TN(wait4, child, &status, 0, NULL);
	conf_more("signaled %d sig %d", WIFSIGNALED(status), WTERMSIG(status));
}

static void on_usr1_leave(int sig)
{
	leave(sig == SIGUSR1 ? 7 : 8);
}

/* A handled signal reaches a child that never makes a system call. */
CONF_CASE(handler_in_busy_child, "clone kill rt_sigaction wait4")
{
	struct sigaction sa, old;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1_leave;
	conf_must(sigaction(SIGUSR1, &sa, &old), "sigaction");
	long child = raw_fork();
	if (child == 0)
		for (;;)
			__asm__ volatile("");
	conf_must(sigaction(SIGUSR1, &old, NULL), "sigaction");
	T(kill, child, SIGUSR1);
	int status = 0;
	TN(wait4, child, &status, 0, NULL);
	conf_more("exited %d status %d", WIFEXITED(status), WEXITSTATUS(status));
}

/* Another process's scheduling, from a child: its parent's policy. */
CONF_CASE(sched_of_parent, "clone sched_getscheduler sched_getparam wait4")
{
	long child = raw_fork();
	if (child == 0) {
		struct sched_param sp;
		long pol = SYS(sched_getscheduler, SYS0(getppid));
		long par = SYS(sched_getparam, SYS0(getppid), &sp);
		leave(pol == 0 && par == 0 ? 0 : pol < 0 ? 10 + (int)-pol : 50); /* 11: EPERM */
	}
	int status = 0;
	TN(wait4, child, &status, 0, NULL);
	conf_more("exited %d status %d (0: SCHED_OTHER read)", WIFEXITED(status), WEXITSTATUS(status));
	T(sched_getscheduler, 999999);
}

static volatile int got_chld;

static void on_chld(int sig)
{
	(void)sig;
	got_chld++;
}

CONF_CASE(sigchld, "clone rt_sigaction wait4")
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_chld;
	conf_must(sigaction(SIGCHLD, &sa, NULL), "sigaction");
	long child = raw_fork();
	if (child == 0)
		leave(0);
	int status;
	long r;
	/* Without SA_RESTART, the handler may interrupt the wait: wait again then. */
	while ((r = SYS(wait4, child, &status, 0, NULL)) == -4)
		;
	conf_fact("waited", "same %d, handler ran %d", r == child, got_chld);
	signal(SIGCHLD, SIG_DFL);
}

CONF_CASE(groups, "clone setpgid getpgid getsid kill wait4")
{
	int fds[2];
	conf_must(SYS(pipe2, fds, 0), "pipe2");
	long me = SYS0(getpid);
	long child = raw_fork();
	if (child == 0) {
		char c;
		SYS(read, fds[0], &c, 1);
		leave(0);
	}
	long pg = TN(getpgid, child);
	conf_more("child in parent's group %d", pg == SYS(getpgid, 0));
	long sid = TN(getsid, child);
	conf_more("same session %d", sid == SYS(getsid, 0));
	T(setpgid, child, child);
	long npg = TN(getpgid, child);
	conf_more("own group %d", npg == child);
	T(setpgid, child, me);
	T(setpgid, child, 0);
	T(kill, -child, SIGTERM);
	int status;
	TN(wait4, -child, &status, 0, NULL);
	conf_more("sig %d", WTERMSIG(status));
	T(getpgid, child);
	T(setpgid, child, 0);
}

CONF_CASE(vfork_exit, "clone wait4")
{
	/* glibc's vfork: clone(CLONE_VM | CLONE_VFORK | SIGCHLD); the child only leaves. */
	pid_t child = vfork();
	if (child == 0)
		_exit(9);
	conf_fact("vfork", "child %d", child > 0);
	int status;
	TN(wait4, child, &status, 0, NULL);
	conf_more("status %d", WEXITSTATUS(status));
}

CONF_CASE(clone_flags, "clone")
{
	/* Linux's rules first: signal handlers need the memory, a thread its handlers. */
	T(clone, CLONE_SIGHAND | SIGCHLD, 0, 0, 0, 0);
	T(clone, CLONE_THREAD | SIGCHLD, 0, 0, 0, 0);
	T(clone, CLONE_THREAD | CLONE_SIGHAND | SIGCHLD, 0, 0, 0, 0);
}

CONF_CASE(ppoll_pipe, "ppoll clone pipe2 write")
{
	int fds[2];
	T(pipe2, fds, 0);
	struct pollfd pf[3] = {{fds[0], POLLIN, 0}, {fds[1], POLLOUT, 0}, {999, POLLIN, 0}};
	struct timespec zero = {0, 0};
	T(ppoll, pf, 2, &zero, NULL, 8);
	conf_more("revents %#x %#x", pf[0].revents, pf[1].revents);
	T(ppoll, pf, 3, NULL, NULL, 8);
	conf_more("revents %#x %#x %#x", pf[0].revents, pf[1].revents, pf[2].revents);
	long child = raw_fork();
	if (child == 0) {
		SYS(write, fds[1], "x", 1);
		leave(0);
	}
	struct timespec ten = {10, 0};
	T(ppoll, pf, 1, &ten, NULL, 8);
	conf_more("revents %#x, time left %d", pf[0].revents, ten.tv_sec < 10 || ten.tv_nsec < 1000000000);
	int status;
	TN(wait4, child, &status, 0, NULL);
	struct timespec bad = {0, 1000000000};
	T(ppoll, pf, 1, &bad, NULL, 8);
	T(ppoll, pf, 1, &zero, NULL, 4);
	T(ppoll, CONF_BADPTR, 1, &zero, NULL, 8);
	T(ppoll, pf, 1, CONF_BADPTR, NULL, 8);
	T(ppoll, pf, 100000000, &zero, NULL, 8);
	T(ppoll, NULL, 0, &zero, NULL, 8);
}

CONF_CASE(sigchld_ignored, "clone rt_sigaction wait4")
{
	/* SIGCHLD ignored: children leave no zombies; a wait sleeps until they are all gone,
	 * then says ECHILD. */
	signal(SIGCHLD, SIG_IGN);
	for (int i = 0; i < 3; i++)
		if (raw_fork() == 0)
			leave(i);
	int status = 0x5555;
	T(wait4, -1, &status, 0, NULL);
	conf_more("status untouched %d", status == 0x5555);
	signal(SIGCHLD, SIG_DFL);
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	sa.sa_flags = SA_NOCLDWAIT;
	conf_must(sigaction(SIGCHLD, &sa, NULL), "sigaction");
	long c = raw_fork();
	if (c == 0)
		leave(4);
	T(wait4, c, &status, 0, NULL);
	sa.sa_flags = 0;
	sigaction(SIGCHLD, &sa, NULL);
	c = raw_fork();
	if (c == 0)
		leave(5);
	TN(wait4, c, &status, 0, NULL);
	conf_more("status %d", WEXITSTATUS(status));
}

CONF_CASE(tgkill_child, "clone tgkill wait4")
{
	long child = reading_child();
	T(tgkill, child, child + 100000, SIGTERM);
	T(tgkill, child, child, 0);
	T(tgkill, child, child, SIGUSR2);
	int status = 0;
	TN(wait4, child, &status, 0, NULL);
	conf_more("signaled %d sig %d", WIFSIGNALED(status), WTERMSIG(status));
	T(tgkill, child, child, SIGTERM);
}

CONF_CASE(pselect_pipe, "pselect6 clone pipe2 write")
{
	int fds[2];
	T(pipe2, fds, 0);
	unsigned long rd = 1ul << fds[0], wr = 1ul << fds[1];
	struct timespec zero = {0, 0};
	T(pselect6, fds[1] + 1, &rd, &wr, NULL, &zero, NULL);
	conf_more("read %d write %d", (int)(rd >> fds[0]) & 1, (int)(wr >> fds[1]) & 1);
	long child = raw_fork();
	if (child == 0) {
		SYS(write, fds[1], "x", 1);
		leave(0);
	}
	rd = 1ul << fds[0];
	struct timespec ten = {10, 0};
	T(pselect6, fds[0] + 1, &rd, NULL, NULL, &ten, NULL);
	conf_more("read %d, time left %d", (int)(rd >> fds[0]) & 1, ten.tv_sec < 10);
	int status;
	TN(wait4, child, &status, 0, NULL);
	unsigned long bad = 1ul << 60;
	T(pselect6, 61, &bad, NULL, NULL, &zero, NULL);
	T(pselect6, -1, NULL, NULL, NULL, &zero, NULL);
	struct timespec inval = {0, -1};
	T(pselect6, 0, NULL, NULL, NULL, &inval, NULL);
	T(pselect6, fds[0] + 1, CONF_BADPTR, NULL, NULL, &zero, NULL);
	T(pselect6, 0, NULL, NULL, NULL, &zero, NULL);
	SYS(close, fds[1]);
	rd = 1ul << fds[0];
	T(pselect6, fds[0] + 1, &rd, NULL, NULL, NULL, NULL);
	conf_more("read at EOF %d", (int)(rd >> fds[0]) & 1);
}

CONF_CASE(socketpair_processes, "socketpair sendto recvfrom shutdown clone wait4")
{
	int sv[2];
	T(socketpair, AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv);
	long child = raw_fork();
	if (child == 0) {
		char buf[16] = {0};
		long n = SYS(recvfrom, sv[1], buf, sizeof(buf), 0, NULL, NULL);
		SYS(sendto, sv[1], buf, n > 0 ? n : 0, 0, NULL, 0);
		SYS(shutdown, sv[1], SHUT_WR);
		leave(0);
	}
	T(sendto, sv[0], "ping", 4, 0, NULL, 0);
	char buf[16] = {0};
	struct sockaddr_storage from;
	int flen = sizeof(from);
	T(recvfrom, sv[0], buf, sizeof(buf), 0, &from, &flen);
	conf_more("data %.4s, from len %d family %d", buf, flen, from.ss_family);
	T(recvfrom, sv[0], buf, sizeof(buf), 0, NULL, NULL);
	int status;
	TN(wait4, child, &status, 0, NULL);
	T(shutdown, sv[0], 7);
	T(shutdown, 999, SHUT_RD);
	T(sendto, sv[0], CONF_BADPTR, 4, 0, NULL, 0);
	T(recvfrom, 0, buf, 1, MSG_DONTWAIT, NULL, NULL);
	T(socketpair, AF_UNIX, SOCK_DGRAM, 0, CONF_BADPTR);
	T(socketpair, AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK, 0, sv);
	T(recvfrom, sv[0], buf, sizeof(buf), 0, NULL, NULL);
	T(socketpair, AF_UNIX, 4, 0, sv);
	T(socketpair, AF_UNIX, 12, 0, sv);
	T(socketpair, AF_UNIX, SOCK_STREAM | 0x100, 0, sv);
	T(socketpair, AF_UNIX, SOCK_STREAM, 7, sv);
	T(socketpair, AF_INET, SOCK_STREAM, 0, sv);
	T(socketpair, 99, SOCK_STREAM, 0, sv);
	T(socketpair, -1, SOCK_STREAM, 0, sv);
}

/* The whole of a small file (NUL-ended), or -errno. */
static long slurp(const char *path, char *buf, long cap)
{
	long fd = SYS(openat, AT_FDCWD, path, O_RDONLY | O_CLOEXEC, 0);
	if (fd < 0)
		return fd;
	long n = 0, r;
	while (n < cap - 1 && (r = SYS(read, fd, buf + n, cap - 1 - n)) > 0)
		n += r;
	SYS(close, fd);
	buf[n] = 0;
	return n;
}

/* /proc/PID/stat of pid: its state, ppid and pgrp (from after the comm's last ')'). */
static int stat_of(long pid, char *state, long *ppid, long *pgrp)
{
	char path[64], buf[1024];
	snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
	long n = slurp(path, buf, sizeof(buf));
	if (n < 0)
		return (int)n;
	char *p = strrchr(buf, ')');
	return p && sscanf(p + 1, " %c %ld %ld", state, ppid, pgrp) == 3 ? 0 : -1000;
}

/* Another process's /proc/PID: stat (state, parent, group), status, comm and cmdline as the
 * process's own; a stopped one is T, a zombie Z, a reaped one gone. */
CONF_CASE(proc_pid_files, "openat read clone kill wait4 waitid")
{
	char state = '?', mine[1024], its[1024], path[64];
	long ppid = 0, pgrp = 0;
	long me = SYS0(getpid);
	int rc = stat_of(me, &state, &ppid, &pgrp);
	conf_fact("own stat", "rc %d state %c ppid same %d pgrp same %d", rc, state,
		  ppid == SYS0(getppid), pgrp == SYS(getpgid, 0));
	long child = reading_child();
	rc = stat_of(child, &state, &ppid, &pgrp);
	conf_fact("child stat", "rc %d running or sleeping %d ppid is me %d pgrp same %d", rc,
		  state == 'R' || state == 'S', ppid == me, pgrp == SYS(getpgid, 0));
	long a = slurp("/proc/self/cmdline", mine, sizeof(mine));
	snprintf(path, sizeof(path), "/proc/%ld/cmdline", child);
	long b = slurp(path, its, sizeof(its));
	conf_fact("child cmdline", "same as mine %d", a > 0 && a == b && !memcmp(mine, its, (size_t)a));
	a = slurp("/proc/self/comm", mine, sizeof(mine));
	snprintf(path, sizeof(path), "/proc/%ld/comm", child);
	b = slurp(path, its, sizeof(its));
	conf_fact("child comm", "same as mine %d", a > 0 && a == b && !strcmp(mine, its));
	snprintf(path, sizeof(path), "/proc/%ld/status", child);
	b = slurp(path, its, sizeof(its));
	snprintf(mine, sizeof(mine), "\nPPid:\t%ld\n", me);
	conf_fact("child status", "read %d names its parent %d", b > 0, strstr(its, mine) != NULL);
	T(kill, child, SIGSTOP);
	int status = 0;
	TN(wait4, child, &status, WUNTRACED, NULL);
	rc = stat_of(child, &state, &ppid, &pgrp);
	conf_fact("stopped", "rc %d state %c", rc, state);
	T(kill, child, SIGKILL);
	siginfo_t si;
	T(waitid, P_PID, child, &si, WEXITED | WNOWAIT, NULL);
	rc = stat_of(child, &state, &ppid, &pgrp);
	conf_fact("zombie", "rc %d state %c", rc, state);
	TN(wait4, child, &status, 0, NULL);
	conf_fact("reaped", "rc %d", stat_of(child, &state, &ppid, &pgrp));
}
