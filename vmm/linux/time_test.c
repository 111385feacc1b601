// SPDX-License-Identifier: Apache-2.0
/* time_test.c: Check tests for the time family: clocks, resolutions, gettimeofday, sleeps, EINTR. */
#include <check.h>
#include <errno.h>
#include <signal.h> /* the host's: the test interrupts sleeps with a real SIGALRM */
#include <string.h>
#include <sys/time.h>
#include <time.h>

#include "util.h"
#include "linux/testproc.h"
#include "check_main.h"

struct g_timespec {
	int64_t sec, nsec;
};

enum { TS = 0x100, REM = 0x200, TZ = 0x300 };
#define NS 1000000000ll
#define RO_PAGE 3 /* a read-only page of guest RAM */

static struct tp f;

static void setup(void)
{
	tp_init_fixed(&f);
	f.prot[RO_PAGE] = WF_PROT_READ;
}

static void teardown(void)
{
	tp_fini(&f);
}

/* The kernel's CPU clock id for pid (clock_getcpuclockid): ~pid << 3 | thread << 2 | which. */
static uint64_t cpuclock(int64_t pid, unsigned bits)
{
	return (uint64_t)~pid << 3 | bits;
}

static int64_t ns_of(struct g_timespec t)
{
	return t.sec * NS + t.nsec;
}

static int64_t host_now(clockid_t c)
{
	struct timespec ts;
	clock_gettime(c, &ts);
	return ts.tv_sec * NS + ts.tv_nsec;
}

static struct g_timespec guest_ts(uint64_t off)
{
	struct g_timespec t;
	memcpy(&t, H(&f, off), sizeof(t));
	return t;
}

static void put_ts(uint64_t off, int64_t sec, int64_t nsec)
{
	struct g_timespec t = {sec, nsec};
	tp_put(&f, off, &t, sizeof(t));
}

START_TEST(test_gettime_clocks)
{
	static const uint64_t ok[] = {0, 1, 2, 3, 4, 5, 6, 7, 11};
	for (size_t i = 0; i < ARRAY_SIZE(ok); i++) {
		put_ts(TS, -1, -1);
		ck_assert_int_eq(SYS(&f, WF_NR_clock_gettime, ok[i], G(TS)), 0);
		struct g_timespec t = guest_ts(TS);
		ck_assert_int_ge(t.sec, 0);
		ck_assert_int_ge(t.nsec, 0);
		ck_assert_int_lt(t.nsec, NS);
	}
	static const uint64_t bad[] = {8, 9, 10, 12, 100, 0x7fffffff};
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++)
		ck_assert_int_eq(SYS(&f, WF_NR_clock_gettime, bad[i], G(TS)), -EINVAL);
	/* CPU clocks by id (clock_getcpuclockid): ~pid << 3 | thread << 2 | which. */
	ck_assert_int_eq(SYS(&f, WF_NR_clock_gettime, cpuclock(0, 2), G(TS)), 0);
	ck_assert_int_eq(SYS(&f, WF_NR_clock_gettime, cpuclock(0, 6), G(TS)), 0);
	ck_assert_int_eq(SYS(&f, WF_NR_clock_gettime, cpuclock(TP_PID, 2), G(TS)),
			 0);
	ck_assert_int_eq(SYS(&f, WF_NR_clock_gettime, cpuclock(77, 2), G(TS)), -EINVAL);
	ck_assert_int_eq(SYS(&f, WF_NR_clock_gettime, cpuclock(3, 3), G(TS)), -EINVAL);
	/* Bad pointers: outside RAM, read-only, straddling the end of RAM. */
	ck_assert_int_eq(SYS(&f, WF_NR_clock_gettime, 1, TP_BAD), -EFAULT);
	ck_assert_int_eq(SYS(&f, WF_NR_clock_gettime, 1, 0), -EFAULT);
	ck_assert_int_eq(SYS(&f, WF_NR_clock_gettime, 1, G(RO_PAGE * WF_PAGE_SIZE)), -EFAULT);
	ck_assert_int_eq(SYS(&f, WF_NR_clock_gettime, 1, G(TP_FIXED_PAGES * WF_PAGE_SIZE - 8)), -EFAULT);
}
END_TEST

START_TEST(test_gettime_values)
{
	int64_t prev = 0;
	for (int i = 0; i < 100; i++) {
		ck_assert_int_eq(SYS(&f, WF_NR_clock_gettime, 1, G(TS)), 0);
		int64_t t = ns_of(guest_ts(TS));
		ck_assert_int_ge(t, prev); /* monotonic never goes back */
		prev = t;
	}
	ck_assert_int_lt(llabs(prev - host_now(CLOCK_MONOTONIC)), NS);
	ck_assert_int_eq(SYS(&f, WF_NR_clock_gettime, 0, G(TS)), 0);
	ck_assert_int_lt(llabs(ns_of(guest_ts(TS)) - host_now(CLOCK_REALTIME)), NS);
	ck_assert_int_eq(SYS(&f, WF_NR_clock_gettime, 7, G(TS)), 0);
	ck_assert_int_ge(ns_of(guest_ts(TS)) + NS, host_now(CLOCK_MONOTONIC)); /* boot >= mono */
}
END_TEST

START_TEST(test_getres)
{
	ck_assert_int_eq(SYS(&f, WF_NR_clock_getres, 1, 0), 0); /* NULL res: just the check */
	ck_assert_int_eq(SYS(&f, WF_NR_clock_getres, 10, 0), -EINVAL);
	put_ts(TS, -1, -1);
	ck_assert_int_eq(SYS(&f, WF_NR_clock_getres, 1, G(TS)), 0);
	struct g_timespec r = guest_ts(TS);
	ck_assert_int_eq(r.sec, 0);
	ck_assert_int_gt(r.nsec, 0);
	ck_assert_int_le(r.nsec, 10000000);
	ck_assert_int_eq(SYS(&f, WF_NR_clock_getres, 6, G(TS)), 0); /* coarse: a tick */
	ck_assert_int_ge(guest_ts(TS).nsec, r.nsec);
	ck_assert_int_eq(SYS(&f, WF_NR_clock_getres, 1, TP_BAD), -EFAULT);
}
END_TEST

START_TEST(test_gettimeofday)
{
	ck_assert_int_eq(SYS(&f, WF_NR_gettimeofday, 0, 0), 0);
	memset(H(&f, TZ), 0xff, 8);
	put_ts(TS, -1, -1);
	ck_assert_int_eq(SYS(&f, WF_NR_gettimeofday, G(TS), G(TZ)), 0);
	struct g_timespec tv = guest_ts(TS);
	ck_assert_int_ge(tv.nsec, 0);
	ck_assert_int_lt(tv.nsec, 1000000); /* microseconds */
	ck_assert_int_lt(llabs(tv.sec * NS + tv.nsec * 1000 - host_now(CLOCK_REALTIME)), NS);
	int32_t tz[2];
	memcpy(tz, H(&f, TZ), sizeof(tz));
	ck_assert_int_eq(tz[0], 0);
	ck_assert_int_eq(tz[1], 0);
	ck_assert_int_eq(SYS(&f, WF_NR_gettimeofday, TP_BAD, 0), -EFAULT);
	ck_assert_int_eq(SYS(&f, WF_NR_gettimeofday, 0, TP_BAD), -EFAULT);
	ck_assert_int_eq(SYS(&f, WF_NR_gettimeofday, G(TS), G(RO_PAGE * WF_PAGE_SIZE)), -EFAULT);
}
END_TEST

START_TEST(test_nanosleep)
{
	put_ts(TS, 0, 20000000);
	put_ts(REM, 7, 7);
	int64_t t0 = host_now(CLOCK_MONOTONIC);
	ck_assert_int_eq(SYS(&f, WF_NR_nanosleep, G(TS), G(REM)), 0);
	ck_assert_int_ge(host_now(CLOCK_MONOTONIC) - t0, 20000000);
	ck_assert_int_eq(guest_ts(REM).sec, 7); /* rem is only written on EINTR */
	ck_assert_int_eq(guest_ts(REM).nsec, 7);

	put_ts(TS, 0, NS);
	ck_assert_int_eq(SYS(&f, WF_NR_nanosleep, G(TS), 0), -EINVAL);
	put_ts(TS, 0, -1);
	ck_assert_int_eq(SYS(&f, WF_NR_nanosleep, G(TS), 0), -EINVAL);
	put_ts(TS, -1, 0);
	ck_assert_int_eq(SYS(&f, WF_NR_nanosleep, G(TS), 0), -EINVAL);
	ck_assert_int_eq(SYS(&f, WF_NR_nanosleep, TP_BAD, 0), -EFAULT);
	put_ts(TS, 0, 0);
	ck_assert_int_eq(SYS(&f, WF_NR_nanosleep, G(TS), 0), 0);
}
END_TEST

START_TEST(test_clock_nanosleep)
{
	/* Relative on MONOTONIC, then absolute to a deadline 20 ms ahead, then one in the past. */
	put_ts(TS, 0, 5000000);
	ck_assert_int_eq(SYS(&f, WF_NR_clock_nanosleep, 1, 0, G(TS), 0), 0);
	int64_t t0 = host_now(CLOCK_MONOTONIC), dl = t0 + 20000000;
	put_ts(TS, dl / NS, dl % NS);
	ck_assert_int_eq(SYS(&f, WF_NR_clock_nanosleep, 1, 1 /* TIMER_ABSTIME */, G(TS), 0), 0);
	ck_assert_int_ge(host_now(CLOCK_MONOTONIC), dl);
	put_ts(TS, 1, 0);
	t0 = host_now(CLOCK_MONOTONIC);
	ck_assert_int_eq(SYS(&f, WF_NR_clock_nanosleep, 1, 1, G(TS), 0), 0);
	ck_assert_int_eq(SYS(&f, WF_NR_clock_nanosleep, 0, 1, G(TS), 0), 0); /* REALTIME too */
	put_ts(TS, 0, 1);
	ck_assert_int_eq(SYS(&f, WF_NR_clock_nanosleep, 2, 1, G(TS), 0), 0); /* CPU clock, past */
	put_ts(TS, 0, 0);
	ck_assert_int_eq(SYS(&f, WF_NR_clock_nanosleep, 2, 0, G(TS), 0), 0); /* CPU clock, none */
	ck_assert_int_lt(host_now(CLOCK_MONOTONIC) - t0, NS / 2);
	/* Unknown flag bits are ignored. */
	put_ts(TS, 0, 1000);
	ck_assert_int_eq(SYS(&f, WF_NR_clock_nanosleep, 7, 0x100, G(TS), 0), 0);

	ck_assert_int_eq(SYS(&f, WF_NR_clock_nanosleep, 3, 0, G(TS), 0), -EOPNOTSUPP);
	ck_assert_int_eq(SYS(&f, WF_NR_clock_nanosleep, 4, 0, G(TS), 0), -EOPNOTSUPP);
	ck_assert_int_eq(SYS(&f, WF_NR_clock_nanosleep, 6, 0, TP_BAD, 0), -EOPNOTSUPP);
	ck_assert_int_eq(SYS(&f, WF_NR_clock_nanosleep, 10, 0, G(TS), 0), -EINVAL);
	ck_assert_int_eq(SYS(&f, WF_NR_clock_nanosleep, cpuclock(0, 6), 0, G(TS), 0),
			 -EINVAL); /* the calling thread's own CPU clock */
	ck_assert_int_eq(SYS(&f, WF_NR_clock_nanosleep, 1, 0, TP_BAD, 0), -EFAULT);
	put_ts(TS, 0, NS);
	ck_assert_int_eq(SYS(&f, WF_NR_clock_nanosleep, 1, 0, G(TS), 0), -EINVAL);
	put_ts(TS, -5, 0);
	ck_assert_int_eq(SYS(&f, WF_NR_clock_nanosleep, 0, 1, G(TS), 0), -EINVAL);
}
END_TEST

static void on_alarm(int sig)
{
	(void)sig;
}

/* SIGALRM with no SA_RESTART after ms milliseconds, so a host sleep returns EINTR. */
static void alarm_in(long ms)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	ck_assert_int_eq(sigaction(SIGALRM, &sa, NULL), 0);
	struct itimerval it = {.it_value = {ms / 1000, (ms % 1000) * 1000}};
	ck_assert_int_eq(setitimer(ITIMER_REAL, &it, NULL), 0);
}

START_TEST(test_sleep_interrupted)
{
	put_ts(TS, 5, 0);
	put_ts(REM, 0, 0);
	alarm_in(50);
	ck_assert_int_eq(SYS(&f, WF_NR_nanosleep, G(TS), G(REM)), -WF_ERESTART_RESTARTBLOCK);
	struct g_timespec rem = guest_ts(REM);
	ck_assert_int_ge(ns_of(rem), 4 * NS);
	ck_assert_int_lt(ns_of(rem), 5 * NS);

	/* A relative clock_nanosleep writes rem; a bad rem makes it EFAULT. */
	put_ts(REM, 0, 0);
	alarm_in(20);
	ck_assert_int_eq(SYS(&f, WF_NR_clock_nanosleep, 0, 0, G(TS), G(REM)), -WF_ERESTART_RESTARTBLOCK);
	ck_assert_int_gt(ns_of(guest_ts(REM)), 4 * NS);
	alarm_in(20);
	ck_assert_int_eq(SYS(&f, WF_NR_clock_nanosleep, 1, 0, G(TS), TP_BAD), -EFAULT);

	/* An absolute one does not touch rem. */
	int64_t dl = host_now(CLOCK_MONOTONIC) + 5 * NS;
	put_ts(TS, dl / NS, dl % NS);
	put_ts(REM, 9, 9);
	alarm_in(20);
	ck_assert_int_eq(SYS(&f, WF_NR_clock_nanosleep, 1, 1, G(TS), G(REM)), -WF_ERESTART_RESTARTBLOCK);
	ck_assert_int_eq(guest_ts(REM).sec, 9);
	ck_assert_int_eq(guest_ts(REM).nsec, 9);

	/* The process CPU clock does not move while the guest sleeps: all of it remains. */
	put_ts(TS, 1, 500);
	alarm_in(20);
	ck_assert_int_eq(SYS(&f, WF_NR_clock_nanosleep, 2, 0, G(TS), G(REM)), -WF_ERESTART_RESTARTBLOCK);
	ck_assert_int_eq(guest_ts(REM).sec, 1);
	ck_assert_int_eq(guest_ts(REM).nsec, 500);

	/* Without a handler the return path restarts it through restart_syscall, which sleeps
	 * until the first call's end: 200 ms in all, whatever interrupted it on the way. */
	put_ts(TS, 0, 200000000);
	int64_t t0 = host_now(CLOCK_MONOTONIC);
	alarm_in(20);
	ck_assert_int_eq(SYS(&f, WF_NR_nanosleep, G(TS), G(REM)), -WF_ERESTART_RESTARTBLOCK);
	ck_assert_int_lt(host_now(CLOCK_MONOTONIC) - t0, 200000000);
	ck_assert_int_eq(SYS(&f, WF_NR_restart_syscall), 0);
	ck_assert_int_ge(host_now(CLOCK_MONOTONIC) - t0, 200000000);
	ck_assert_int_eq(SYS(&f, WF_NR_restart_syscall), -EINTR); /* nothing left to restart */
}
END_TEST

/* Timers (timers.c): expiries turned into signals at a given "now", overruns, ITIMER_REAL. */
enum { EV = 0x400, ID = 0x500, IT = 0x600 };

static const struct wf_siginfo *pending_rt(int sig)
{
	for (unsigned i = 0; i < f.p.sigshared.nrt; i++)
		if (f.p.sigshared.rt[i].signo == sig)
			return &f.p.sigshared.rt[i];
	return NULL;
}

START_TEST(test_timers_fire)
{
	/* sigevent: value 7, SIGEV_SIGNAL with signal 40 */
	uint8_t ev[64] = {0};
	uint64_t value = 7;
	int32_t signo = 40, notify = 0;
	memcpy(ev, &value, 8);
	memcpy(ev + 8, &signo, 4);
	memcpy(ev + 12, &notify, 4);
	tp_put(&f, EV, ev, sizeof(ev));
	ck_assert_int_eq(SYS(&f, WF_NR_timer_create, CLOCK_MONOTONIC, G(EV), G(ID)), 0);
	int32_t id;
	memcpy(&id, H(&f, ID), 4);
	ck_assert_int_eq(id, 0);
	ck_assert_int_eq(f.p.timer_next, 0); /* created disarmed */
	struct g_timespec it[2] = {{0, 1000000}, {0, 1000000}}; /* 1 ms, every 1 ms */
	tp_put(&f, IT, it, sizeof(it));
	ck_assert_int_eq(SYS(&f, WF_NR_timer_settime, id, 0, G(IT), 0), 0);
	int64_t first = f.p.timer_next;
	ck_assert_int_gt(first, 0);

	wf_timers_fire(&f.p, first - 1); /* not yet */
	ck_assert_ptr_null(pending_rt(40));
	wf_timers_fire(&f.p, first + 5500000); /* 5.5 periods late: one signal, 5 overruns */
	const struct wf_siginfo *i = pending_rt(40);
	ck_assert_ptr_nonnull(i);
	ck_assert_int_eq(i->code, WF_SI_TIMER);
	ck_assert_int_eq(i->timerid, id);
	ck_assert_uint_eq(i->value, 7);
	ck_assert_int_eq(i->overrun, 5);
	ck_assert_int_eq(f.p.timer_next, first + 6000000);
	/* Still queued at the next expiry: no second signal, the overrun grows. */
	wf_timers_fire(&f.p, first + 6000000);
	ck_assert_uint_eq(f.p.sigshared.nrt, 1);
	ck_assert_int_eq(pending_rt(40)->overrun, 6);
	/* timer_getoverrun counts for the last signal taken: none yet, then this one. */
	ck_assert_int_eq(SYS(&f, WF_NR_timer_getoverrun, id), 0);
	uint64_t set = 1ull << 39;
	tp_put(&f, IT, &set, sizeof(set));
	ck_assert_int_eq(SYS(&f, WF_NR_rt_sigtimedwait, G(IT), 0, 0, 8), 40);
	ck_assert_int_eq(SYS(&f, WF_NR_timer_getoverrun, id), 6);
	wf_timers_fire(&f.p, first + 7000000); /* a new signal: the count stays until taken */
	ck_assert_int_eq(pending_rt(40)->overrun, 0);
	ck_assert_int_eq(SYS(&f, WF_NR_timer_getoverrun, id), 6);

	/* ITIMER_REAL joins them: SIGALRM from the kernel, once, then disarmed. */
	struct g_timespec real[2] = {{0, 0}, {0, 1}}; /* 1 us, no interval */
	tp_put(&f, IT, real, sizeof(real));
	ck_assert_int_eq(SYS(&f, WF_NR_setitimer, 0, G(IT), 0), 0);
	ck_assert_int_le(f.p.timer_next, f.p.itimer_at);
	wf_timers_fire(&f.p, f.p.itimer_at);
	ck_assert(f.p.sigshared.set & WF_SIGBIT(WF_SIGALRM));
	ck_assert_int_eq(f.p.sigshared.std[WF_SIGALRM].code, WF_SI_KERNEL);
	ck_assert_int_eq(f.p.itimer_at, 0);

	/* Deleted: nothing left to wake for; a fork's child keeps nothing either. */
	ck_assert_int_eq(SYS(&f, WF_NR_timer_delete, id), 0);
	ck_assert_int_eq(f.p.timer_next, 0);
	ck_assert_int_eq(SYS(&f, WF_NR_timer_delete, id), -EINVAL);
	ck_assert_int_eq(SYS(&f, WF_NR_setitimer, 0, G(IT), 0), 0);
	wf_timers_forget(&f.p, true);
	ck_assert_int_ne(f.p.timer_next, 0); /* execve keeps ITIMER_REAL */
	wf_timers_forget(&f.p, false);
	ck_assert_int_eq(f.p.timer_next, 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("time");
	TCase *tc = tcase_create("core");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_gettime_clocks);
	tcase_add_test(tc, test_gettime_values);
	tcase_add_test(tc, test_getres);
	tcase_add_test(tc, test_gettimeofday);
	tcase_add_test(tc, test_nanosleep);
	tcase_add_test(tc, test_clock_nanosleep);
	tcase_add_test(tc, test_sleep_interrupted);
	tcase_add_test(tc, test_timers_fire);
	suite_add_tcase(s, tc);
	return wf_check_run(s);
}
