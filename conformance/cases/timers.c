// SPDX-License-Identifier: Apache-2.0
/* timers.c: conformance cases for interval timers: setitimer/getitimer and SIGALRM while blocked, waiting or spinning. */
#include <signal.h>
#include <string.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "conf.h"

/* Never absolute times: timer values are shown as relations to what was set. */

static volatile int alarms, alarm_code;

static void on_alarm(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	alarm_code = si->si_code;
	alarms++;
}

/* glibc's sigaction (it supplies the restorer), without SA_RESTART: waits end with EINTR. */
static void catch_alarm(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_alarm;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	conf_must(sigaction(SIGALRM, &sa, NULL), "sigaction");
}

static long usec(const struct timeval *t)
{
	return t->tv_sec * 1000000l + t->tv_usec;
}

/* Append how an itimerval relates to one armed with `value` and `interval` microseconds. */
static void show(const char *what, const struct itimerval *v, long value, long interval)
{
	long left = usec(&v->it_value);
	conf_more("%s: value %s, interval %s", what,
		  left == 0 ? "0" : left <= value && left > value / 2 ? "in (set/2, set]" : "other",
		  usec(&v->it_interval) == interval ? "as set" : "other");
}

CONF_CASE(itimer_values, "setitimer getitimer")
{
	struct itimerval v, old;
	memset(&old, 0x55, sizeof old);
	T(getitimer, ITIMER_REAL, &old);
	show("now", &old, 0, 0);
	v = (struct itimerval){.it_interval = {0, 250000}, .it_value = {10, 0}};
	T(setitimer, ITIMER_REAL, &v, &old);
	show("old", &old, 0, 0);
	T(getitimer, ITIMER_REAL, &old);
	show("now", &old, 10000000, 250000);
	v = (struct itimerval){.it_value = {20, 0}};
	T(setitimer, ITIMER_REAL, &v, &old);
	show("old", &old, 10000000, 250000);
	T(setitimer, ITIMER_REAL, &v, NULL);
	T(setitimer, ITIMER_REAL, NULL, &old);
	show("old", &old, 20000000, 0);
	T(getitimer, ITIMER_REAL, &old);
	show("now", &old, 0, 0);
	T(getitimer, ITIMER_VIRTUAL, &old);
	show("virtual", &old, 0, 0);
	T(getitimer, ITIMER_PROF, &old);
	show("prof", &old, 0, 0);
	v = (struct itimerval){0};
	T(setitimer, ITIMER_VIRTUAL, &v, &old);
	T(getitimer, 3, &old);
	T(setitimer, 3, &v, &old);
	v.it_value.tv_usec = 1000000;
	T(setitimer, ITIMER_REAL, &v, &old);
	v.it_value = (struct timeval){-1, 0};
	T(setitimer, ITIMER_REAL, &v, &old);
	v.it_value = (struct timeval){1, 0};
	v.it_interval.tv_usec = -1;
	T(setitimer, ITIMER_REAL, &v, &old);
	T(setitimer, ITIMER_REAL, CONF_BADPTR, &old);
	T(getitimer, ITIMER_REAL, CONF_BADPTR);
	v = (struct itimerval){.it_value = {30, 0}};
	T(setitimer, ITIMER_REAL, &v, CONF_BADPTR);
	T(getitimer, ITIMER_REAL, &old);
	show("armed anyway", &old, 30000000, 0);
	T(setitimer, ITIMER_REAL, NULL, NULL);
}

CONF_CASE(alarm_wait, "setitimer ppoll rt_sigaction")
{
	catch_alarm();
	struct itimerval v = {.it_value = {0, 50000}};
	T(setitimer, ITIMER_REAL, &v, NULL);
	struct timespec ts = {20, 0};
	T(ppoll, NULL, 0, &ts, NULL, 8);
	conf_fact("handler", "alarms=%d code=%d", alarms, alarm_code);
	struct itimerval now;
	T(getitimer, ITIMER_REAL, &now);
	show("after", &now, 0, 0);
}

CONF_CASE(alarm_interval, "setitimer rt_sigtimedwait rt_sigprocmask")
{
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGALRM);
	conf_must(SYS(rt_sigprocmask, SIG_BLOCK, &set, NULL, 8), "rt_sigprocmask");
	struct itimerval v = {.it_interval = {0, 20000}, .it_value = {0, 20000}};
	T(setitimer, ITIMER_REAL, &v, NULL);
	for (int i = 0; i < 3; i++) {
		siginfo_t si;
		struct timespec ts = {20, 0};
		memset(&si, 0, sizeof si);
		if (!conf_err(T(rt_sigtimedwait, &set, &si, &ts, 8)))
			conf_more("signo=%d code=%d", si.si_signo, si.si_code);
	}
	T(setitimer, ITIMER_REAL, NULL, NULL);
	struct itimerval now;
	T(getitimer, ITIMER_REAL, &now);
	show("after", &now, 0, 0);
}

/* A loop without system calls, until a handler has run (or far longer than the timer). */
static unsigned long spin(void)
{
	unsigned long i;
	for (i = 0; !alarms && i < 3000000000ul; i++)
		__asm__ volatile("" ::: "memory");
	return i;
}

CONF_CASE(alarm_spin, "setitimer rt_sigaction")
{
	catch_alarm();
	struct itimerval v = {.it_value = {0, 50000}};
	T(setitimer, ITIMER_REAL, &v, NULL);
	unsigned long n = spin();
	conf_fact("spin", "handler ran=%d code=%d, before the loop's end=%d", alarms, alarm_code,
		  n < 3000000000ul);
}

CONF_CASE(alarm_kills, "setitimer")
{
	struct itimerval v = {.it_value = {0, 50000}};
	T(setitimer, ITIMER_REAL, &v, NULL);
	conf_flush();
	spin();
	conf_fact("still alive", "1");
}

CONF_CASE(fork_clears, "setitimer getitimer clone wait4")
{
	struct itimerval v = {.it_value = {30, 0}}, now;
	T(setitimer, ITIMER_REAL, &v, NULL);
	conf_flush();
	pid_t pid = fork();
	if (pid == 0) {
		struct itimerval c;
		_exit(getitimer(ITIMER_REAL, &c) ? 2 : usec(&c.it_value) != 0);
	}
	int st = 0;
	TN(wait4, pid, &st, 0, NULL);
	conf_more("child exit=%d (0: its timer was disarmed)", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	T(getitimer, ITIMER_REAL, &now);
	show("parent", &now, 30000000, 0);
	T(setitimer, ITIMER_REAL, NULL, NULL);
}

/* The guest's CPU time is not split into user and system time (docs/syscalls.md). */
CONF_CASE(itimer_virtual, "setitimer")
{
	struct itimerval v = {.it_value = {10, 0}};
	T(setitimer, ITIMER_VIRTUAL, &v, NULL);
	T(setitimer, ITIMER_PROF, &v, NULL);
}
