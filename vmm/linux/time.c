// SPDX-License-Identifier: Apache-2.0
/* time.c: the time syscall family: clocks, resolutions, gettimeofday and sleeps on host clocks. */
#include <errno.h>
#include <time.h>

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

static int64_t interrupted(struct wf_proc *p, bool cpu, bool relative, clockid_t clk,
			   const struct g_timespec *end, wf_gaddr_t urem, const struct timespec *left);

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
	struct g_timespec end = req;
	if (c->sleep != SLEEP_CPU && !abs) {
		/* hrtimer_nanosleep: a relative sleep ends at a fixed time, whatever interrupts it */
		struct timespec now;
		clock_gettime(c->host, &now);
		int64_t ns = now.tv_nsec + req.nsec;
		end.sec = req.sec > INT64_MAX / 2 ? INT64_MAX / 2 : now.tv_sec + req.sec + ns / NSEC_PER_SEC;
		end.nsec = ns % NSEC_PER_SEC;
	}
	left = (struct timespec){req.sec, req.nsec};
	if (wf_proc_signalled(p))
		err = -EINTR; /* see syscall.h: interrupted before it began */
	else if (c->sleep == SLEEP_CPU)
		err = cpu_sleep(c, abs, &req, &left);
	else
		err = host_sleep(c->host, true, &end, &left);
	p->sleep_restart.active = false;
	if (err != -EINTR)
		return err;
	return interrupted(p, c->sleep == SLEEP_CPU, !abs, c->host, &end, urem, &left);
}

/*
 * A host signal ended the sleep (the run's or a guest timer, another process's signal).
 * The time left is written now (relative sleeps), and the call restarts through
 * restart_syscall unless a handler runs, which makes it EINTR: Linux's ERESTART_RESTARTBLOCK.
 */
static int64_t interrupted(struct wf_proc *p, bool cpu, bool relative, clockid_t clk,
			   const struct g_timespec *end, wf_gaddr_t urem, const struct timespec *left)
{
	if (relative && urem) {
		struct g_timespec rem = {left->tv_sec, left->tv_nsec};
		if (!cpu) {
			struct timespec now;
			clock_gettime(clk, &now);
			int64_t ds = end->sec - now.tv_sec;
			int64_t l = ds > INT64_MAX / NSEC_PER_SEC - 1 ? INT64_MAX :
				    ds * NSEC_PER_SEC + (end->nsec - now.tv_nsec);
			rem = l > 0 ? (struct g_timespec){l / NSEC_PER_SEC, l % NSEC_PER_SEC} :
				      (struct g_timespec){0, 0};
		}
		if (wf_mem_write(&p->mem, urem, &rem, sizeof(rem)))
			return -EFAULT;
	}
	p->sleep_restart.active = true;
	p->sleep_restart.cpu = cpu;
	p->sleep_restart.relative = relative;
	p->sleep_restart.clock = clk;
	p->sleep_restart.end_sec = end->sec;
	p->sleep_restart.end_nsec = end->nsec;
	p->sleep_restart.rem = urem;
	return -WF_ERESTART_RESTARTBLOCK;
}

int64_t wf_sleep_restart(struct wf_proc *p)
{
	if (!p->sleep_restart.active)
		return -EINTR;
	p->sleep_restart.active = false;
	struct g_timespec end = {p->sleep_restart.end_sec, p->sleep_restart.end_nsec};
	struct timespec left;
	struct clock_map c = {true, p->sleep_restart.clock, p->sleep_restart.cpu ? SLEEP_CPU : SLEEP_HOST};
	/* A CPU-clock sleep never ends by itself; the others sleep until their end. */
	left = (struct timespec){end.sec, end.nsec};
	int err = wf_proc_signalled(p)	   ? -EINTR :
		  c.sleep == SLEEP_CPU ? cpu_sleep(&c, false, &end, &left) :
					 host_sleep(c.host, true, &end, &left);
	if (err != -EINTR)
		return err;
	return interrupted(p, c.sleep == SLEEP_CPU, p->sleep_restart.relative, c.host, &end,
			   p->sleep_restart.rem, &left);
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

const struct wf_syscall_def wf_sys_time[] = {
	{WF_NR_clock_settime, "clock_settime", sys_clock_settime, "dp"},
	{WF_NR_settimeofday, "settimeofday", sys_settimeofday, "pp"},
	{WF_NR_clock_gettime, "clock_gettime", sys_clock_gettime, "dp"},
	{WF_NR_clock_getres, "clock_getres", sys_clock_getres, "dp"},
	{WF_NR_gettimeofday, "gettimeofday", sys_gettimeofday, "pp"},
	{WF_NR_nanosleep, "nanosleep", sys_nanosleep, "pp"},
	{WF_NR_clock_nanosleep, "clock_nanosleep", sys_clock_nanosleep, "dxpp"},
	{0},
};
