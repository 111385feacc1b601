// SPDX-License-Identifier: Apache-2.0
/* timers.c: conformance cases for interval and POSIX timers: values, errors, and their signals while blocked, waiting or spinning. */
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

/* A read that would wait for ever ends with EINTR when SIGALRM's handler runs. */
CONF_CASE(alarm_read, "setitimer read pipe2 rt_sigaction restart_syscall")
{
	catch_alarm();
	int fds[2];
	conf_must(SYS(pipe2, fds, 0), "pipe2");
	struct itimerval v = {.it_value = {0, 50000}};
	T(setitimer, ITIMER_REAL, &v, NULL);
	char c;
	T(read, fds[0], &c, 1);
	conf_fact("handler", "alarms=%d code=%d", alarms, alarm_code);
	T0(restart_syscall); /* nothing was interrupted with a restart block */
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

/* POSIX timers, through the raw calls (glibc's timer_create wraps SIGEV_THREAD itself). */
static volatile int rt_count, rt_code, rt_value, rt_timerid, rt_overrun;

static void on_rt(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	rt_code = si->si_code;
	rt_value = si->si_value.sival_int;
	rt_timerid = si->si_timerid;
	rt_overrun = si->si_overrun;
	rt_count++;
}

static void show_ts(const char *what, const struct itimerspec *v, long long value_ns,
		    long long interval_ns)
{
	long long left = v->it_value.tv_sec * 1000000000ll + v->it_value.tv_nsec;
	long long every = v->it_interval.tv_sec * 1000000000ll + v->it_interval.tv_nsec;
	conf_more("%s: value %s, interval %s", what,
		  left == 0 ? "0" : left <= value_ns && left > value_ns / 2 ? "in (set/2, set]" : "other",
		  every == interval_ns ? "as set" : "other");
}

CONF_CASE(posix_values, "timer_create timer_settime timer_gettime timer_getoverrun timer_delete")
{
	int id = -1, id2 = -1;
	struct itimerspec v, old;
	T(timer_create, CLOCK_MONOTONIC, NULL, &id);
	conf_more("id=%d", id);
	T(timer_gettime, id, &old);
	show_ts("new", &old, 0, 0);
	v = (struct itimerspec){.it_interval = {0, 500000000}, .it_value = {10, 0}};
	T(timer_settime, id, 0, &v, &old);
	show_ts("old", &old, 0, 0);
	T(timer_gettime, id, &old);
	show_ts("now", &old, 10000000000ll, 500000000);
	T(timer_getoverrun, id);
	struct sigevent ev;
	memset(&ev, 0, sizeof ev);
	ev.sigev_notify = SIGEV_NONE;
	T(timer_create, CLOCK_REALTIME, &ev, &id2);
	conf_more("id=%d", id2);
	v = (struct itimerspec){0};
	T(timer_settime, id, 0, &v, &old);
	show_ts("old", &old, 10000000000ll, 500000000);
	T(timer_delete, id);
	T(timer_delete, id);
	T(timer_gettime, id, &old);
	T(timer_settime, id, 0, &v, NULL);
	T(timer_getoverrun, id);
	T(timer_settime, id2, 0, NULL, NULL);
	v.it_value.tv_nsec = 1000000000;
	T(timer_settime, id2, 0, &v, NULL);
	v.it_value = (struct timespec){-1, 0};
	T(timer_settime, id2, 0, &v, NULL);
	T(timer_settime, id2, 0, CONF_BADPTR, NULL);
	T(timer_gettime, id2, CONF_BADPTR);
	T(timer_delete, id2);
	T(timer_create, 100, NULL, &id);
	T(timer_create, CLOCK_MONOTONIC, CONF_BADPTR, &id);
	T(timer_create, CLOCK_MONOTONIC, NULL, CONF_BADPTR);
	ev.sigev_notify = 99;
	T(timer_create, CLOCK_MONOTONIC, &ev, &id);
	ev.sigev_notify = SIGEV_SIGNAL;
	ev.sigev_signo = 0;
	T(timer_create, CLOCK_MONOTONIC, &ev, &id);
	ev.sigev_signo = 65;
	T(timer_create, CLOCK_MONOTONIC, &ev, &id);
	ev.sigev_notify = SIGEV_THREAD_ID;
	ev.sigev_signo = SIGUSR1;
	ev._sigev_un._tid = 999999;
	T(timer_create, CLOCK_MONOTONIC, &ev, &id);
	T(timer_delete, -1);
	T(timer_delete, 12345);
}

CONF_CASE(posix_signal, "timer_create timer_settime rt_sigaction ppoll")
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_rt;
	sa.sa_flags = SA_SIGINFO;
	conf_must(sigaction(36, &sa, NULL), "sigaction");
	struct sigevent ev;
	memset(&ev, 0, sizeof ev);
	ev.sigev_notify = SIGEV_SIGNAL;
	ev.sigev_signo = 36;
	ev.sigev_value.sival_int = 1234;
	int id = -1;
	T(timer_create, CLOCK_MONOTONIC, &ev, &id);
	struct itimerspec v = {.it_value = {0, 30000000}};
	T(timer_settime, id, 0, &v, NULL);
	struct timespec ts = {20, 0};
	T(ppoll, NULL, 0, &ts, NULL, 8);
	conf_fact("handler", "count=%d code=%d value=%d timerid_is_id=%d overrun=%d", rt_count,
		  rt_code, rt_value, rt_timerid == id, rt_overrun);
	T(timer_gettime, id, &v);
	show_ts("after", &v, 0, 0);
	/* the thread's own id: SIGEV_THREAD_ID */
	ev.sigev_notify = SIGEV_THREAD_ID;
	ev._sigev_un._tid = (int)SYS0(gettid);
	int tid_timer = -1;
	T(timer_create, CLOCK_MONOTONIC, &ev, &tid_timer);
	v = (struct itimerspec){.it_value = {0, 30000000}};
	T(timer_settime, tid_timer, 0, &v, NULL);
	T(ppoll, NULL, 0, &ts, NULL, 8);
	conf_fact("handler", "count=%d code=%d value=%d", rt_count, rt_code, rt_value);
	T(timer_delete, tid_timer);
	T(timer_delete, id);
}

CONF_CASE(posix_overrun, "timer_create timer_settime timer_getoverrun rt_sigtimedwait nanosleep")
{
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, 37);
	conf_must(SYS(rt_sigprocmask, SIG_BLOCK, &set, NULL, 8), "rt_sigprocmask");
	struct sigevent ev;
	memset(&ev, 0, sizeof ev);
	ev.sigev_notify = SIGEV_SIGNAL;
	ev.sigev_signo = 37;
	int id = -1;
	T(timer_create, CLOCK_MONOTONIC, &ev, &id);
	struct itimerspec v = {.it_interval = {0, 10000000}, .it_value = {0, 10000000}};
	T(timer_settime, id, 0, &v, NULL);
	struct timespec pause = {0, 200000000};
	T(nanosleep, &pause, NULL);
	siginfo_t si;
	struct timespec ts = {20, 0};
	memset(&si, 0, sizeof si);
	if (!conf_err(T(rt_sigtimedwait, &set, &si, &ts, 8)))
		conf_more("signo=%d code=%d overrun>=2: %d", si.si_signo, si.si_code,
			  si.si_overrun >= 2);
	long o = TN(timer_getoverrun, id); /* the count depends on timing: only its agreement */
	conf_more("same as si_overrun: %d", o == si.si_overrun);
	T(timer_delete, id);
}

CONF_CASE(posix_abstime, "timer_create timer_settime timer_gettime rt_sigtimedwait clock_gettime")
{
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	conf_must(SYS(rt_sigprocmask, SIG_BLOCK, &set, NULL, 8), "rt_sigprocmask");
	struct sigevent ev;
	memset(&ev, 0, sizeof ev);
	ev.sigev_notify = SIGEV_SIGNAL;
	ev.sigev_signo = SIGUSR2;
	int id = -1;
	T(timer_create, CLOCK_REALTIME, &ev, &id);
	struct timespec now;
	conf_must(SYS(clock_gettime, CLOCK_REALTIME, &now), "clock_gettime");
	struct itimerspec v = {.it_value = {now.tv_sec, now.tv_nsec}};
	v.it_value.tv_nsec += 50000000;
	if (v.it_value.tv_nsec >= 1000000000) {
		v.it_value.tv_sec++;
		v.it_value.tv_nsec -= 1000000000;
	}
	T(timer_settime, id, TIMER_ABSTIME, &v, NULL);
	siginfo_t si;
	struct timespec ts = {20, 0};
	memset(&si, 0, sizeof si);
	if (!conf_err(T(rt_sigtimedwait, &set, &si, &ts, 8)))
		conf_more("signo=%d code=%d", si.si_signo, si.si_code);
	T(timer_gettime, id, &v);
	show_ts("after", &v, 0, 0);
	/* an absolute time already past fires at once */
	v = (struct itimerspec){.it_value = {1, 0}};
	T(timer_settime, id, TIMER_ABSTIME, &v, NULL);
	memset(&si, 0, sizeof si);
	if (!conf_err(T(rt_sigtimedwait, &set, &si, &ts, 8)))
		conf_more("signo=%d code=%d", si.si_signo, si.si_code);
	ev.sigev_notify = SIGEV_NONE;
	int quiet = -1;
	T(timer_create, CLOCK_MONOTONIC, &ev, &quiet);
	v = (struct itimerspec){.it_value = {0, 20000000}};
	T(timer_settime, quiet, 0, &v, NULL);
	struct timespec pause = {0, 60000000};
	T(nanosleep, &pause, NULL);
	T(timer_gettime, quiet, &v);
	show_ts("SIGEV_NONE after", &v, 0, 0);
	T(rt_sigpending, &set, 8);
	T(timer_delete, quiet);
	T(timer_delete, id);
}

/* Timers on CPU-time clocks (docs/syscalls.md). */
CONF_CASE(posix_cpu_clock, "timer_create")
{
	int id = -1;
	T(timer_create, CLOCK_PROCESS_CPUTIME_ID, NULL, &id);
	T(timer_create, CLOCK_THREAD_CPUTIME_ID, NULL, &id);
}
