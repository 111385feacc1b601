// SPDX-License-Identifier: Apache-2.0
/* time.c: the time syscall family: clocks, resolutions, gettimeofday, sleeps on host clocks, ITIMER_REAL. */
#include <errno.h>
#include <stdint.h>
#include <time.h>

#include "linux/signals.h"
#include "linux/syscall.h"
#include "linux/threads.h"

/*
 * Guest clocks read the host's. The guest runs on the vCPU thread, which also handles its
 * syscalls, so the guest's CPU-time clocks (process and thread alike: the guest has one
 * thread) are that host thread's CPU time, guest time included.
 */

/* Guest (asm-generic) clock ids and flags, spelled out: never the host's. */
enum {
	G_CLOCK_REALTIME = 0,
	G_CLOCK_MONOTONIC = 1,
	G_CLOCK_PROCESS_CPUTIME_ID = 2,
	G_CLOCK_THREAD_CPUTIME_ID = 3,
	G_CLOCK_MONOTONIC_RAW = 4,
	G_CLOCK_REALTIME_COARSE = 5,
	G_CLOCK_MONOTONIC_COARSE = 6,
	G_CLOCK_BOOTTIME = 7,
	G_CLOCK_TAI = 11,
	G_NCLOCKS = 12,
	G_TIMER_ABSTIME = 1,
};

#define NSEC_PER_SEC 1000000000ll

/* Guest struct timespec and struct timeval: two 64-bit longs each. */
struct g_timespec {
	int64_t sec, nsec;
};

enum sleep_kind {
	SLEEP_NONE,   /* clock_nanosleep: EOPNOTSUPP */
	SLEEP_HOST,   /* sleep on the host clock */
	SLEEP_CPU,    /* the process CPU clock: does not advance while the guest sleeps */
	SLEEP_EINVAL, /* a CPU clock of the calling thread: EINVAL after the argument checks */
};

struct clock_map {
	bool valid;
	clockid_t host;
	enum sleep_kind sleep;
};

/* Indexed by guest clock id. REALTIME_ALARM and BOOTTIME_ALARM need an RTC: EINVAL. */
static const struct clock_map clocks[G_NCLOCKS] = {
	[G_CLOCK_REALTIME] = {true, CLOCK_REALTIME, SLEEP_HOST},
	[G_CLOCK_MONOTONIC] = {true, CLOCK_MONOTONIC, SLEEP_HOST},
	[G_CLOCK_PROCESS_CPUTIME_ID] = {true, CLOCK_THREAD_CPUTIME_ID, SLEEP_CPU},
	[G_CLOCK_THREAD_CPUTIME_ID] = {true, CLOCK_THREAD_CPUTIME_ID, SLEEP_NONE},
	[G_CLOCK_MONOTONIC_RAW] = {true, CLOCK_MONOTONIC_RAW, SLEEP_NONE},
	[G_CLOCK_REALTIME_COARSE] = {true, CLOCK_REALTIME_COARSE, SLEEP_NONE},
	[G_CLOCK_MONOTONIC_COARSE] = {true, CLOCK_MONOTONIC_COARSE, SLEEP_NONE},
	[G_CLOCK_BOOTTIME] = {true, CLOCK_BOOTTIME, SLEEP_HOST},
	[G_CLOCK_TAI] = {true, CLOCK_TAI, SLEEP_HOST},
};

/*
 * Resolve a guest clock id. Negative ids are the kernel's CPU clocks (clock_getcpuclockid):
 * ~pid << 3 | perthread << 2 | which (0 prof, 1 virt, 2 sched; 3 with no thread bit is a
 * clock fd, which the guest cannot have). Only pid 0 or our own id names an existing task.
 */
static int clock_lookup(const struct wf_proc *p, uint64_t arg, struct clock_map *out)
{
	int32_t id = (int32_t)arg;
	if (id >= 0) {
		if (id >= G_NCLOCKS || !clocks[id].valid)
			return -EINVAL;
		*out = clocks[id];
		return 0;
	}
	if ((id & 3) == 3)
		return -EINVAL;
	bool thread = id & 4;
	pid_t pid = (pid_t) ~(id >> 3);
	pid_t tid = p->tid ? p->tid : p->pid;
	if (pid != 0 && pid != p->pid && pid != tid)
		return -EINVAL;
	*out = (struct clock_map){true, CLOCK_THREAD_CPUTIME_ID, thread ? SLEEP_EINVAL : SLEEP_CPU};
	return 0;
}

static bool ts_valid(const struct g_timespec *t)
{
	return t->sec >= 0 && t->nsec >= 0 && t->nsec < NSEC_PER_SEC;
}

static int64_t sys_clock_gettime(struct wf_proc *p, const uint64_t a[6])
{
	struct clock_map c;
	struct timespec ts;
	int err = clock_lookup(p, a[0], &c);
	if (err)
		return err;
	if (clock_gettime(c.host, &ts))
		return -EINVAL;
	struct g_timespec g = {ts.tv_sec, ts.tv_nsec};
	return wf_mem_write(&p->mem, a[1], &g, sizeof(g));
}

static int64_t sys_clock_getres(struct wf_proc *p, const uint64_t a[6])
{
	struct clock_map c;
	struct timespec ts;
	int err = clock_lookup(p, a[0], &c);
	if (err)
		return err;
	if (!a[1])
		return 0; /* a NULL res only checks the clock */
	if (clock_getres(c.host, &ts))
		return -EINVAL;
	struct g_timespec g = {ts.tv_sec, ts.tv_nsec};
	return wf_mem_write(&p->mem, a[1], &g, sizeof(g));
}

static int64_t sys_gettimeofday(struct wf_proc *p, const uint64_t a[6])
{
	if (a[0]) {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		struct g_timespec tv = {ts.tv_sec, ts.tv_nsec / 1000};
		if (wf_mem_write(&p->mem, a[0], &tv, sizeof(tv)))
			return -EFAULT;
	}
	if (a[1]) {
		/* struct timezone {int minuteswest, dsttime}: the kernel's sys_tz (zero). */
		const int32_t tz[2] = {0, 0};
		if (wf_mem_write(&p->mem, a[1], tz, sizeof(tz)))
			return -EFAULT;
	}
	return 0;
}

/* Sleep on the host. Returns 0, or -EINTR (with *left set for a relative sleep). */
static int host_sleep(clockid_t clk, bool abs, const struct g_timespec *req, struct timespec *left)
{
	struct timespec ts = {req->sec, req->nsec};
	*left = (struct timespec){0, 0};
	int err = clock_nanosleep(clk, abs ? TIMER_ABSTIME : 0, &ts, left);
	if (err == EINTR)
		return -EINTR;
	return err ? -EINVAL : 0;
}

/*
 * The process CPU clock stands still while the (single-threaded) guest sleeps on it, so a
 * deadline not yet reached is never reached: as in Linux, only a signal ends the sleep.
 */
static int cpu_sleep(const struct clock_map *c, bool abs, const struct g_timespec *req,
		     struct timespec *left)
{
	struct timespec now;
	clock_gettime(c->host, &now);
	*left = (struct timespec){req->sec, req->nsec};
	if (abs ? (req->sec < now.tv_sec || (req->sec == now.tv_sec && req->nsec <= now.tv_nsec))
		: (req->sec == 0 && req->nsec == 0))
		return 0;
	for (;;) {
		struct timespec day = {86400, 0};
		if (clock_nanosleep(CLOCK_MONOTONIC, 0, &day, NULL) == EINTR)
			return -EINTR;
	}
}

/* The common tail of nanosleep and clock_nanosleep, after the clock checks. */
static int64_t do_sleep(struct wf_proc *p, const struct clock_map *c, bool abs, wf_gaddr_t ureq,
			wf_gaddr_t urem)
{
	struct g_timespec req;
	struct timespec left;
	int err;

	if (wf_mem_read(&p->mem, &req, ureq, sizeof(req)))
		return -EFAULT;
	if (!ts_valid(&req) || c->sleep == SLEEP_EINVAL)
		return -EINVAL;
	if (p->live > 1 && c->sleep == SLEEP_HOST) {
		/* Other threads run meanwhile: the thread waits for its deadline in the scheduler. */
		int64_t ns = req.sec > INT64_MAX / NSEC_PER_SEC - 1 ? INT64_MAX
								: req.sec * NSEC_PER_SEC + req.nsec;
		int64_t now = wf_thread_now(), until = ns;
		if (abs) {
			struct timespec t;
			clock_gettime(c->host, &t);
			until = ns - ((int64_t)t.tv_sec * NSEC_PER_SEC + t.tv_nsec);
		}
		until = until <= 0 ? now : (until > INT64_MAX - now ? INT64_MAX : now + until);
		return wf_thread_sleep(p, until, abs ? 0 : urem, abs);
	}
	if (c->sleep == SLEEP_CPU)
		err = cpu_sleep(c, abs, &req, &left);
	else
		err = host_sleep(c->host, abs, &req, &left);
	if (err == -EINTR && !abs && urem) {
		struct g_timespec rem = {left.tv_sec, left.tv_nsec};
		if (wf_mem_write(&p->mem, urem, &rem, sizeof(rem)))
			return -EFAULT;
	}
	return err;
}

static int64_t sys_nanosleep(struct wf_proc *p, const uint64_t a[6])
{
	return do_sleep(p, &clocks[G_CLOCK_MONOTONIC], false, a[0], a[1]);
}

static int64_t sys_clock_nanosleep(struct wf_proc *p, const uint64_t a[6])
{
	struct clock_map c;
	int err = clock_lookup(p, a[0], &c);
	if (err)
		return err;
	if (c.sleep == SLEEP_NONE)
		return -EOPNOTSUPP;
	/* Flags other than TIMER_ABSTIME are ignored, as in Linux. */
	return do_sleep(p, &c, (uint32_t)a[1] & G_TIMER_ABSTIME, a[2], a[3]);
}

/* clock_settime and settimeofday: the guest never sets the host's clock. As for a process
 * without CAP_SYS_TIME: EPERM for the settable clock (after the argument checks), EINVAL for
 * the others (a root guest could set it natively: docs/syscalls.md). */
static int64_t sys_clock_settime(struct wf_proc *p, const uint64_t a[6])
{
	struct clock_map c;
	int err = clock_lookup(p, a[0], &c);
	if (err)
		return err;
	struct g_timespec g;
	if (wf_mem_read(&p->mem, &g, a[1], sizeof(g)))
		return -EFAULT;
	if (g.sec < 0 || g.nsec < 0 || g.nsec >= 1000000000)
		return -EINVAL;
	return c.host == CLOCK_REALTIME ? -EPERM : -EINVAL;
}

static int64_t sys_settimeofday(struct wf_proc *p, const uint64_t a[6])
{
	struct g_timespec tv;
	if (a[0] && wf_mem_read(&p->mem, &tv, a[0], sizeof(tv)))
		return -EFAULT;
	if (a[0] && (tv.nsec < 0 || tv.nsec >= 1000000))
		return -EINVAL;
	return a[0] || a[1] ? -EPERM : 0; /* nothing to set: nothing to refuse */
}

/*
 * Interval timers. ITIMER_REAL is kept in the process (p->itimer_at, CLOCK_MONOTONIC ns of
 * the next expiry, and its interval); the run loop (vm.c) has the host wake it then, and
 * wf_itimer_fire sends SIGALRM as it_real_fn does. ITIMER_VIRTUAL and ITIMER_PROF count the
 * process's CPU time, which the VMM does not split into user and system: they read as
 * disarmed, and arming one is ENOSYS (docs/syscalls.md).
 */
enum { G_ITIMER_REAL = 0, G_ITIMER_VIRTUAL = 1, G_ITIMER_PROF = 2, USEC = 1000 };

struct g_itimerval {
	struct g_timespec interval, value; /* struct timeval: {sec, usec} */
};

void wf_itimer_fire(struct wf_proc *p, int64_t now)
{
	if (!p->itimer_at || now < p->itimer_at)
		return;
	struct wf_siginfo info = {.signo = WF_SIGALRM, .code = WF_SI_KERNEL};
	(void)wf_signal_queue(p, &info, false);
	if (!p->itimer_every) {
		p->itimer_at = 0;
		return;
	}
	/* Missed periods are one signal (a pending SIGALRM is not queued twice). */
	int64_t missed = (now - p->itimer_at) / p->itimer_every;
	p->itimer_at += (missed + 1) * p->itimer_every;
}

/* The timer's state as getitimer shows it: what is left (at least 1 us while armed, as
 * itimer_get_remtime) and the interval, rounded up to whole microseconds. */
static void itimer_now(const struct wf_proc *p, struct g_itimerval *v)
{
	*v = (struct g_itimerval){0};
	int64_t left = p->itimer_at ? p->itimer_at - wf_thread_now() : 0;
	if (p->itimer_at && left < USEC)
		left = USEC;
	left = (left + USEC - 1) / USEC;
	int64_t every = (p->itimer_every + USEC - 1) / USEC;
	v->value = (struct g_timespec){left / 1000000, left % 1000000};
	v->interval = (struct g_timespec){every / 1000000, every % 1000000};
}

static bool timeval_ok(const struct g_timespec *t)
{
	return t->sec >= 0 && t->nsec >= 0 && t->nsec < 1000000;
}

static int64_t sys_getitimer(struct wf_proc *p, const uint64_t a[6])
{
	struct g_itimerval v = {0};
	int which = (int)a[0];
	if (which == G_ITIMER_REAL)
		itimer_now(p, &v);
	else if (which != G_ITIMER_VIRTUAL && which != G_ITIMER_PROF)
		return -EINVAL;
	return wf_mem_write(&p->mem, a[1], &v, sizeof(v)) ? -EFAULT : 0;
}

static int64_t sys_setitimer(struct wf_proc *p, const uint64_t a[6])
{
	struct g_itimerval v = {0}, old;
	int which = (int)a[0];
	/* A NULL new value disarms (a misfeature Linux still keeps). */
	if (a[1] && wf_mem_read(&p->mem, &v, a[1], sizeof(v)))
		return -EFAULT;
	if (!timeval_ok(&v.value) || !timeval_ok(&v.interval))
		return -EINVAL;
	bool arm = v.value.sec || v.value.nsec;
	if (which == G_ITIMER_VIRTUAL || which == G_ITIMER_PROF) {
		if (arm)
			return -ENOSYS;
		old = (struct g_itimerval){0};
	} else if (which == G_ITIMER_REAL) {
		itimer_now(p, &old);
		/* Seconds past ~292 years would overflow: such a timer never fires anyway. */
		int64_t max = INT64_MAX / NSEC_PER_SEC / 2;
		int64_t val = v.value.sec > max ? INT64_MAX / 2 : v.value.sec * NSEC_PER_SEC + v.value.nsec * USEC;
		int64_t every = v.interval.sec > max ? INT64_MAX / 4 : v.interval.sec * NSEC_PER_SEC + v.interval.nsec * USEC;
		p->itimer_at = arm ? wf_thread_now() + val : 0;
		p->itimer_every = arm ? every : 0;
	} else {
		return -EINVAL;
	}
	return a[2] && wf_mem_write(&p->mem, a[2], &old, sizeof(old)) ? -EFAULT : 0;
}

const struct wf_syscall_def wf_sys_time[] = {
	{WF_NR_getitimer, "getitimer", sys_getitimer, "dp"},
	{WF_NR_setitimer, "setitimer", sys_setitimer, "dpp"},
	{WF_NR_clock_settime, "clock_settime", sys_clock_settime, "dp"},
	{WF_NR_settimeofday, "settimeofday", sys_settimeofday, "pp"},
	{WF_NR_clock_gettime, "clock_gettime", sys_clock_gettime, "dp"},
	{WF_NR_clock_getres, "clock_getres", sys_clock_getres, "dp"},
	{WF_NR_gettimeofday, "gettimeofday", sys_gettimeofday, "pp"},
	{WF_NR_nanosleep, "nanosleep", sys_nanosleep, "pp"},
	{WF_NR_clock_nanosleep, "clock_nanosleep", sys_clock_nanosleep, "dxpp"},
	{0},
};
