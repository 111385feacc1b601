// SPDX-License-Identifier: Apache-2.0
/* timers.c: the timers family: setitimer/getitimer (ITIMER_REAL) and POSIX timers (timer_create...) with their signals. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <time.h>

#include "linux/signals.h"
#include "linux/syscall.h"
#include "linux/threads.h"

/*
 * Every timer is kept in the process as a CLOCK_MONOTONIC expiry; p->timer_next is the
 * earliest, which the run loop (vm.c) has the host timer wake it for, then calls
 * wf_timers_fire. An absolute time on another clock is turned into a monotonic one when it
 * is set (a later jump of that clock does not move it: the guest cannot set clocks anyway).
 * ITIMER_VIRTUAL, ITIMER_PROF and timers on CPU-time clocks count the process's CPU time,
 * which the VMM does not split into user and system: they read as disarmed, and arming one
 * is ENOSYS (docs/syscalls.md).
 */

enum {
	G_ITIMER_REAL = 0, G_ITIMER_VIRTUAL = 1, G_ITIMER_PROF = 2,
	G_CLOCK_REALTIME = 0, G_CLOCK_MONOTONIC = 1, G_CLOCK_PROCESS_CPUTIME_ID = 2,
	G_CLOCK_THREAD_CPUTIME_ID = 3, G_CLOCK_BOOTTIME = 7, G_CLOCK_REALTIME_ALARM = 8,
	G_CLOCK_BOOTTIME_ALARM = 9, G_CLOCK_TAI = 11,
	G_SIGEV_SIGNAL = 0, G_SIGEV_NONE = 1, G_SIGEV_THREAD = 2, G_SIGEV_THREAD_ID = 4,
	G_TIMER_ABSTIME = 1, G_SIGRTMAX = 64,
};

#define NSEC 1000000000ll
#define USEC 1000ll

/* struct timespec and struct timeval: two 64-bit longs (the second usec for a timeval). */
struct g_pair {
	int64_t sec, frac;
};
struct g_itimer {
	struct g_pair interval, value;
};
struct g_sigevent {
	uint64_t value;
	int32_t signo, notify;
	int32_t tid; /* sigev_notify_thread_id */
	uint8_t pad[64 - 20];
};
_Static_assert(sizeof(struct g_sigevent) == 64, "arm64's sigevent");

static int64_t mono_now(void)
{
	return wf_thread_now();
}

static void recompute(struct wf_proc *p)
{
	int64_t next = p->itimer_at;
	for (unsigned i = 0; p->timers && i < WF_MAX_TIMERS; i++) {
		int64_t at = p->timers[i].used ? p->timers[i].at : 0;
		if (at && (!next || at < next))
			next = at;
	}
	p->timer_next = next;
}

/* The next expiry after `now` of a timer due at *at with interval every (0: none); how many
 * periods passed unseen. */
static int64_t advance(int64_t *at, int64_t every, int64_t now)
{
	if (!every) {
		*at = 0;
		return 0;
	}
	int64_t missed = (now - *at) / every;
	*at += (missed + 1) * every;
	return missed;
}

/* A timer's signal still queued (not yet delivered): it counts an overrun instead. */
static struct wf_siginfo *queued(struct wf_proc *p, const struct wf_ptimer *t)
{
	struct wf_sigpending *sets[] = {&p->sigshared, &p->sigthr.pending};
	for (unsigned s = 0; s < 2; s++) {
		struct wf_sigpending *q = sets[s];
		if (!(q->set & (1ull << (t->signo - 1))))
			continue;
		struct wf_siginfo *i = t->signo < 32 ? &q->std[t->signo] : NULL;
		if (i && i->code == WF_SI_TIMER && i->timerid == t->id)
			return i;
		for (unsigned k = 0; t->signo >= 32 && k < q->nrt; k++)
			if (q->rt[k].signo == t->signo && q->rt[k].code == WF_SI_TIMER &&
			    q->rt[k].timerid == t->id)
				return &q->rt[k];
	}
	return NULL;
}

static void expire(struct wf_proc *p, struct wf_ptimer *t, int64_t now)
{
	int64_t m = advance(&t->at, t->every, now);
	int32_t missed = m > INT32_MAX - 1 ? INT32_MAX - 1 : (int32_t)m;
	if (t->notify == G_SIGEV_NONE)
		return;
	struct wf_siginfo *old = queued(p, t);
	if (old) {
		/* DELAYTIMER_MAX: the count saturates */
		old->overrun = old->overrun > INT32_MAX - 1 - missed ? INT32_MAX : old->overrun + 1 + missed;
		return;
	}
	struct wf_siginfo info = {.signo = t->signo, .code = WF_SI_TIMER, .timerid = t->id,
				  .overrun = missed, .value = t->value};
	int slot = t->notify == G_SIGEV_THREAD_ID ? wf_thread_find(p, t->tid) : -1;
	if (slot >= 0)
		(void)wf_thread_signal(p, (unsigned)slot, &info);
	else
		(void)wf_signal_queue(p, &info, false);
}

void wf_timers_fire(struct wf_proc *p, int64_t now)
{
	if (!p->timer_next || now < p->timer_next)
		return;
	if (p->itimer_at && now >= p->itimer_at) {
		/* it_real_fn: SIGALRM from the kernel; missed periods are one signal. */
		struct wf_siginfo info = {.signo = WF_SIGALRM, .code = WF_SI_KERNEL};
		(void)wf_signal_queue(p, &info, false);
		advance(&p->itimer_at, p->itimer_every, now);
	}
	for (unsigned i = 0; p->timers && i < WF_MAX_TIMERS; i++)
		if (p->timers[i].used && p->timers[i].at && now >= p->timers[i].at)
			expire(p, &p->timers[i], now);
	recompute(p);
}

void wf_timers_forget(struct wf_proc *p, bool keep_real)
{
	if (!keep_real)
		p->itimer_at = p->itimer_every = 0;
	if (p->timers)
		memset(p->timers, 0, WF_MAX_TIMERS * sizeof(*p->timers));
	recompute(p);
}

/* ns to a timeval or timespec (unit USEC or 1), rounded up as Linux shows time left. */
static struct g_pair split(int64_t ns, int64_t unit)
{
	int64_t u = (ns + unit - 1) / unit, per = NSEC / unit;
	return (struct g_pair){u / per, u % per};
}

static bool pair_ok(const struct g_pair *t, int64_t unit)
{
	return t->sec >= 0 && t->frac >= 0 && t->frac < NSEC / unit;
}

/* A valid pair as ns, saturated far beyond any run (~146 years). */
static int64_t to_ns(const struct g_pair *t, int64_t unit)
{
	const int64_t max = (INT64_MAX / 2) / NSEC;
	return t->sec > max ? INT64_MAX / 2 : t->sec * NSEC + t->frac * unit;
}

/* What is left of expiry `at` (at least 1 unit while armed, as Linux shows it). */
static int64_t left_of(int64_t at, int64_t unit)
{
	if (!at)
		return 0;
	int64_t left = at - mono_now();
	return left < unit ? unit : left;
}

static int64_t sys_getitimer(struct wf_proc *p, const uint64_t a[6])
{
	struct g_itimer v = {0};
	wf_timers_fire(p, mono_now()); /* an expiry the run loop has not seen yet */
	int which = (int)a[0];
	if (which == G_ITIMER_REAL)
		v = (struct g_itimer){split(p->itimer_every, USEC), split(left_of(p->itimer_at, USEC), USEC)};
	else if (which != G_ITIMER_VIRTUAL && which != G_ITIMER_PROF)
		return -EINVAL;
	return wf_mem_write(&p->mem, a[1], &v, sizeof(v)) ? -EFAULT : 0;
}

static int64_t sys_setitimer(struct wf_proc *p, const uint64_t a[6])
{
	struct g_itimer v = {0}, old = {0};
	int which = (int)a[0];
	/* A NULL new value disarms (a misfeature Linux still keeps). */
	if (a[1] && wf_mem_read(&p->mem, &v, a[1], sizeof(v)))
		return -EFAULT;
	if (!pair_ok(&v.value, USEC) || !pair_ok(&v.interval, USEC))
		return -EINVAL;
	bool arm = v.value.sec || v.value.frac;
	if (which == G_ITIMER_VIRTUAL || which == G_ITIMER_PROF) {
		if (arm)
			return -ENOSYS;
	} else if (which == G_ITIMER_REAL) {
		old = (struct g_itimer){split(p->itimer_every, USEC),
					split(left_of(p->itimer_at, USEC), USEC)};
		p->itimer_at = arm ? mono_now() + to_ns(&v.value, USEC) : 0;
		p->itimer_every = arm ? to_ns(&v.interval, USEC) : 0;
		recompute(p);
	} else {
		return -EINVAL;
	}
	return a[2] && wf_mem_write(&p->mem, a[2], &old, sizeof(old)) ? -EFAULT : 0;
}

static struct wf_ptimer *timer_of(struct wf_proc *p, uint64_t id)
{
	for (unsigned i = 0; p->timers && i < WF_MAX_TIMERS; i++)
		if (p->timers[i].used && (uint64_t)(uint32_t)p->timers[i].id == (uint32_t)id &&
		    (int32_t)id >= 0)
			return &p->timers[i];
	return NULL;
}

/* timer_create(clock, sevp, id): as Linux's do_timer_create and good_sigevent. */
static int64_t sys_timer_create(struct wf_proc *p, const uint64_t a[6])
{
	int clock = (int)a[0];
	struct g_sigevent ev = {.signo = WF_SIGALRM, .notify = G_SIGEV_SIGNAL};
	switch (clock) {
	case G_CLOCK_REALTIME: case G_CLOCK_MONOTONIC: case G_CLOCK_BOOTTIME: case G_CLOCK_TAI:
		break;
	case G_CLOCK_REALTIME_ALARM: case G_CLOCK_BOOTTIME_ALARM:
		return -EPERM; /* CAP_WAKE_ALARM */
	case G_CLOCK_PROCESS_CPUTIME_ID: case G_CLOCK_THREAD_CPUTIME_ID:
		return -ENOSYS; /* CPU-time timers (see the top) */
	default:
		return -EINVAL;
	}
	/* The slots come with the first timer (a fork reset copies fewer bytes without). */
	if (!p->timers && !(p->timers = calloc(WF_MAX_TIMERS, sizeof(*p->timers))))
		return -EAGAIN; /* Linux's answer when it cannot allocate a timer */
	struct wf_ptimer *t = NULL;
	for (unsigned i = 0; i < WF_MAX_TIMERS && !t; i++)
		if (!p->timers[i].used)
			t = &p->timers[i];
	if (!t)
		return -EAGAIN;
	if (a[1]) {
		if (wf_mem_read(&p->mem, &ev, a[1], sizeof(ev)))
			return -EFAULT;
		switch (ev.notify) {
		case G_SIGEV_SIGNAL | G_SIGEV_THREAD_ID:
			if (wf_thread_find(p, ev.tid) < 0)
				return -EINVAL;
			/* fallthrough */
		case G_SIGEV_SIGNAL:
		case G_SIGEV_THREAD:
			if (ev.signo <= 0 || ev.signo > G_SIGRTMAX)
				return -EINVAL;
			break;
		case G_SIGEV_NONE:
			break;
		default:
			return -EINVAL;
		}
	}
	int32_t id = p->timer_next_id;
	if (wf_mem_write(&p->mem, a[2], &id, sizeof(id)))
		return -EFAULT;
	p->timer_next_id = id == INT32_MAX ? 0 : id + 1;
	*t = (struct wf_ptimer){.used = true, .id = id, .clock = clock,
				.notify = ev.notify == G_SIGEV_THREAD ? G_SIGEV_SIGNAL : ev.notify,
				.signo = ev.signo, .tid = ev.tid,
				.value = a[1] ? ev.value : (uint64_t)id};
	return 0;
}

static void timer_now(const struct wf_ptimer *t, struct g_itimer *v)
{
	*v = (struct g_itimer){split(t->every, 1), split(left_of(t->at, 1), 1)};
}

/* CLOCK_MONOTONIC ns for an absolute time on the timer's clock. */
static int64_t from_clock(int clock, int64_t abs_ns)
{
	struct timespec ts;
	clockid_t host = clock == G_CLOCK_REALTIME ? CLOCK_REALTIME :
			 clock == G_CLOCK_BOOTTIME ? CLOCK_BOOTTIME :
			 clock == G_CLOCK_TAI	   ? CLOCK_TAI : CLOCK_MONOTONIC;
	clock_gettime(host, &ts);
	int64_t now = ts.tv_sec * NSEC + ts.tv_nsec, mono = mono_now();
	return abs_ns <= now ? mono : mono + (abs_ns - now);
}

static int64_t sys_timer_settime(struct wf_proc *p, const uint64_t a[6])
{
	struct wf_ptimer *t = timer_of(p, a[0]);
	struct g_itimer v, old;
	if (!a[2])
		return -EINVAL;
	if (wf_mem_read(&p->mem, &v, a[2], sizeof(v)))
		return -EFAULT;
	if (!pair_ok(&v.value, 1) || !pair_ok(&v.interval, 1))
		return -EINVAL;
	if (!t)
		return -EINVAL;
	timer_now(t, &old);
	bool arm = v.value.sec || v.value.frac;
	int64_t val = to_ns(&v.value, 1);
	t->at = !arm ? 0 : ((int)a[1] & G_TIMER_ABSTIME) ? from_clock(t->clock, val) : mono_now() + val;
	t->every = arm ? to_ns(&v.interval, 1) : 0;
	t->overrun = 0;
	recompute(p);
	return a[3] && wf_mem_write(&p->mem, a[3], &old, sizeof(old)) ? -EFAULT : 0;
}

static int64_t sys_timer_gettime(struct wf_proc *p, const uint64_t a[6])
{
	wf_timers_fire(p, mono_now()); /* an expiry the run loop has not seen yet */
	struct wf_ptimer *t = timer_of(p, a[0]);
	struct g_itimer v;
	if (!t)
		return -EINVAL;
	timer_now(t, &v);
	return wf_mem_write(&p->mem, a[1], &v, sizeof(v)) ? -EFAULT : 0;
}

void wf_timers_taken(struct wf_proc *p, const struct wf_siginfo *info)
{
	struct wf_ptimer *t = timer_of(p, (uint64_t)(uint32_t)info->timerid);
	if (t)
		t->overrun = info->overrun; /* posixtimer_rearm: it_overrun_last */
}

static int64_t sys_timer_getoverrun(struct wf_proc *p, const uint64_t a[6])
{
	struct wf_ptimer *t = timer_of(p, a[0]);
	return t ? t->overrun : -EINVAL;
}

static int64_t sys_timer_delete(struct wf_proc *p, const uint64_t a[6])
{
	struct wf_ptimer *t = timer_of(p, a[0]);
	if (!t)
		return -EINVAL;
	*t = (struct wf_ptimer){0};
	recompute(p);
	return 0;
}

const struct wf_syscall_def wf_sys_timers[] = {
	{WF_NR_getitimer, "getitimer", sys_getitimer, "dp"},
	{WF_NR_setitimer, "setitimer", sys_setitimer, "dpp"},
	{WF_NR_timer_create, "timer_create", sys_timer_create, "dpp"},
	{WF_NR_timer_settime, "timer_settime", sys_timer_settime, "dxpp"},
	{WF_NR_timer_gettime, "timer_gettime", sys_timer_gettime, "dp"},
	{WF_NR_timer_getoverrun, "timer_getoverrun", sys_timer_getoverrun, "d"},
	{WF_NR_timer_delete, "timer_delete", sys_timer_delete, "d"},
	{0},
};
