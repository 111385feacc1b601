// SPDX-License-Identifier: Apache-2.0
/* time.c: conformance cases for clocks and sleeps: ids, resolutions, monotonicity, granularity. */
#include <string.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <time.h>

#include "conf.h"

/* Never absolute times: only relations between readings, and resolutions. */

static long long ns(const struct timespec *t)
{
	return t->tv_sec * 1000000000ll + t->tv_nsec;
}

static long long now(clockid_t c)
{
	struct timespec t;
	conf_must(SYS(clock_gettime, c, &t), "clock_gettime");
	return ns(&t);
}

static const struct {
	int id;
	const char *name;
} clocks[] = {
	{CLOCK_REALTIME, "REALTIME"},
	{CLOCK_MONOTONIC, "MONOTONIC"},
	{CLOCK_PROCESS_CPUTIME_ID, "PROCESS_CPUTIME_ID"},
	{CLOCK_THREAD_CPUTIME_ID, "THREAD_CPUTIME_ID"},
	{CLOCK_MONOTONIC_RAW, "MONOTONIC_RAW"},
	{CLOCK_REALTIME_COARSE, "REALTIME_COARSE"},
	{CLOCK_MONOTONIC_COARSE, "MONOTONIC_COARSE"},
	{CLOCK_BOOTTIME, "BOOTTIME"},
	{CLOCK_TAI, "TAI"},
	{10, "10 (SGI_CYCLE, gone)"},
	{12, "12"},
	{100, "100"},
	{-1, "-1 (a clock fd id)"},
	{-6, "-6 (CPU clock of pid 0, sched)"},
	{-2, "-2 (CPU clock of tid 0, sched)"},
	{-7, "-7 (CPU clock of pid 0, virt)"},
	{-5, "-5 (a clock fd id)"},
	{(int)((~0x7ffffff0u << 3) | 2), "CPU clock of a missing pid"},
};

CONF_CASE(clock_ids, "clock_gettime")
{
	for (size_t i = 0; i < sizeof clocks / sizeof clocks[0]; i++) {
		struct timespec t = {-1, -1};
		long r = SYS(clock_gettime, clocks[i].id, &t);
		conf_report(CONF_INT, "clock_gettime(id, &t)", r);
		conf_more("%s", clocks[i].name);
		if (!conf_err(r))
			conf_more("sane=%d", t.tv_sec >= 0 && t.tv_nsec >= 0 && t.tv_nsec < 1000000000);
	}
}

CONF_CASE(clock_efault, "clock_gettime clock_getres gettimeofday")
{
	T(clock_gettime, CLOCK_MONOTONIC, NULL);
	T(clock_gettime, CLOCK_MONOTONIC, CONF_BADPTR);
	long ro = TA(mmap, 0, CONF_PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	T(clock_gettime, CLOCK_REALTIME, ro);
	T(clock_gettime, CLOCK_REALTIME, conf_before_hole(8));
	T(clock_gettime, 100, NULL);
	T(clock_getres, CLOCK_MONOTONIC, CONF_BADPTR);
	T(clock_getres, CLOCK_MONOTONIC, ro);
	T(gettimeofday, CONF_BADPTR, NULL);
	T(gettimeofday, NULL, CONF_BADPTR);
	T(gettimeofday, ro, NULL);
}

CONF_CASE(clock_getres, "clock_getres")
{
	for (size_t i = 0; i < sizeof clocks / sizeof clocks[0]; i++) {
		struct timespec t = {-1, -1};
		long r = SYS(clock_getres, clocks[i].id, &t);
		conf_report(CONF_INT, "clock_getres(id, &t)", r);
		conf_more("%s", clocks[i].name);
		if (!conf_err(r))
			conf_more("res=%lld ns", ns(&t));
		r = SYS(clock_getres, clocks[i].id, NULL);
		conf_report(CONF_INT, "clock_getres(id, NULL)", r);
	}
}

CONF_CASE(monotonic, "clock_gettime")
{
	/* 300 readings of each clock never go backwards and are not all equal. */
	static const clockid_t ids[] = {CLOCK_MONOTONIC, CLOCK_MONOTONIC_RAW, CLOCK_BOOTTIME,
					CLOCK_PROCESS_CPUTIME_ID, CLOCK_THREAD_CPUTIME_ID};
	static const char *const names[] = {"MONOTONIC", "MONOTONIC_RAW", "BOOTTIME",
					    "PROCESS_CPUTIME_ID", "THREAD_CPUTIME_ID"};
	for (size_t c = 0; c < sizeof ids / sizeof ids[0]; c++) {
		long long prev = now(ids[c]), first = prev;
		int back = 0;
		for (int i = 0; i < 300; i++) {
			long long t = now(ids[c]);
			back |= t < prev;
			prev = t;
		}
		conf_fact("clock_gettime x300", "%s", names[c]);
		conf_more("nondecreasing=%d advanced=%d", !back, prev > first);
	}
	long long m = now(CLOCK_MONOTONIC), b = now(CLOCK_BOOTTIME);
	conf_fact("BOOTTIME >= MONOTONIC", "%d", b >= m);
	long long r = now(CLOCK_REALTIME), t = now(CLOCK_TAI);
	conf_fact("TAI >= REALTIME", "%d", t >= r);
	conf_fact("REALTIME after 2020", "%d", r / 1000000000ll > 1577836800ll);
	long long mc = now(CLOCK_MONOTONIC_COARSE), mf = now(CLOCK_MONOTONIC);
	conf_fact("MONOTONIC_COARSE <= MONOTONIC, within 1 s", "%d", mc <= mf && mf - mc < 1000000000ll);
	long long rc = now(CLOCK_REALTIME_COARSE), rf = now(CLOCK_REALTIME);
	conf_fact("REALTIME_COARSE <= REALTIME, within 1 s", "%d", rc <= rf && rf - rc < 1000000000ll);
}

CONF_CASE(granularity, "clock_gettime clock_getres")
{
	/* Fine clocks tick faster than a loop of calls; coarse ones by their resolution. */
	long long min = -1, prev = now(CLOCK_MONOTONIC);
	for (int i = 0; i < 200; i++) {
		long long t = now(CLOCK_MONOTONIC);
		if (t > prev && (min < 0 || t - prev < min))
			min = t - prev;
		prev = t;
	}
	conf_fact("smallest MONOTONIC step under 2 ms", "%d", min > 0 && min < 2000000);
	struct timespec res;
	SYS(clock_getres, CLOCK_MONOTONIC_COARSE, &res);
	long long step = -1;
	prev = now(CLOCK_MONOTONIC_COARSE);
	for (int i = 0; i < 100000 && step < 0; i++) {
		long long t = now(CLOCK_MONOTONIC_COARSE);
		if (t != prev)
			step = t - prev;
	}
	conf_fact("MONOTONIC_COARSE steps by multiples of its resolution", "%d",
		  step > 0 && step % ns(&res) == 0);
}

/* Setting a clock: only what fails natively too (the run is root there: a real setting
 * would change the machine's clock). */
CONF_CASE(set_clocks, "clock_settime settimeofday")
{
	struct timespec ts = {1, 0};
	T(clock_settime, CLOCK_MONOTONIC, &ts);
	T(clock_settime, CLOCK_REALTIME, CONF_BADPTR);
	T(clock_settime, 12345, &ts);
	ts.tv_nsec = 1000000000;
	T(clock_settime, CLOCK_REALTIME, &ts);
	T(settimeofday, NULL, NULL);
	T(settimeofday, CONF_BADPTR, NULL);
}

/* Setting the real-time clock to what it says (the run is root natively, so it may). */
CONF_CASE(set_realtime, "clock_settime")
{
	struct timespec now;
	conf_must(SYS(clock_gettime, CLOCK_REALTIME, &now), "clock_gettime");
	T(clock_settime, CLOCK_REALTIME, &now);
}

CONF_CASE(gettimeofday, "gettimeofday clock_gettime")
{
	struct timeval tv = {-1, -1};
	int tz[2] = {-1, -1};
	T(gettimeofday, &tv, tz);
	conf_more("usec in range %d tz=%d,%d", tv.tv_usec >= 0 && tv.tv_usec < 1000000, tz[0], tz[1]);
	long long rt = now(CLOCK_REALTIME) / 1000;
	long long us = tv.tv_sec * 1000000ll + tv.tv_usec;
	conf_fact("agrees with CLOCK_REALTIME within 2 s", "%d", rt >= us && rt - us < 2000000);
	T(gettimeofday, NULL, NULL);
	T(gettimeofday, &tv, NULL);
	T(gettimeofday, NULL, tz);
}

/* Elapsed MONOTONIC time of a sleep call, checked against [want, want + 10 s) (slow machines). */
static void timed(long raw, const char *call, long long before, long long want)
{
	long long el = now(CLOCK_MONOTONIC) - before;
	conf_report(CONF_INT, call, raw);
	conf_more("slept enough %d not too long %d", el >= want, el < want + 10000000000ll);
}
#define TIMED(want, name, ...)                                                                     \
	do {                                                                                       \
		long long b_ = now(CLOCK_MONOTONIC);                                               \
		timed(SYS(name, __VA_ARGS__), #name "(" #__VA_ARGS__ ")", b_, want);               \
	} while (0)

CONF_CASE(nanosleep, "nanosleep")
{
	struct timespec z = {0, 0}, s = {0, 20000000}, rem = {7, 7};
	TIMED(0, nanosleep, &z, NULL);
	TIMED(20000000, nanosleep, &s, &rem);
	conf_more("rem untouched %d", rem.tv_sec == 7 && rem.tv_nsec == 7);
	TIMED(20000000, nanosleep, &s, CONF_BADPTR);
	struct timespec bad1 = {0, 1000000000}, bad2 = {-1, 0}, bad3 = {0, -1};
	T(nanosleep, &bad1, NULL);
	T(nanosleep, &bad2, NULL);
	T(nanosleep, &bad3, NULL);
	T(nanosleep, NULL, NULL);
	T(nanosleep, CONF_BADPTR, NULL);
}

CONF_CASE(clock_nanosleep, "clock_nanosleep clock_gettime")
{
	struct timespec s = {0, 20000000}, past = {0, 1}, dl;
	TIMED(20000000, clock_nanosleep, CLOCK_MONOTONIC, 0, &s, NULL);
	TIMED(20000000, clock_nanosleep, CLOCK_BOOTTIME, 0, &s, NULL);
	TIMED(20000000, clock_nanosleep, CLOCK_REALTIME, 0, &s, NULL);
	TIMED(20000000, clock_nanosleep, CLOCK_TAI, 0, &s, NULL);
	TIMED(0, clock_nanosleep, CLOCK_MONOTONIC, TIMER_ABSTIME, &past, NULL);
	long long d = now(CLOCK_MONOTONIC) + 30000000;
	dl.tv_sec = d / 1000000000;
	dl.tv_nsec = d % 1000000000;
	TIMED(0, clock_nanosleep, CLOCK_MONOTONIC, TIMER_ABSTIME, &dl, NULL);
	conf_more("reached deadline %d", now(CLOCK_MONOTONIC) >= d);
	d = now(CLOCK_REALTIME) + 20000000;
	dl.tv_sec = d / 1000000000;
	dl.tv_nsec = d % 1000000000;
	TIMED(0, clock_nanosleep, CLOCK_REALTIME, TIMER_ABSTIME, &dl, NULL);
	conf_more("reached deadline %d", now(CLOCK_REALTIME) >= d);
	TIMED(20000000, clock_nanosleep, CLOCK_MONOTONIC, 0x2, &s, NULL);
	TIMED(0, clock_nanosleep, CLOCK_PROCESS_CPUTIME_ID, TIMER_ABSTIME, &past, NULL);
	struct timespec z = {0, 0};
	TIMED(0, clock_nanosleep, CLOCK_PROCESS_CPUTIME_ID, 0, &z, NULL);
}

CONF_CASE(clock_nanosleep_errors, "clock_nanosleep")
{
	struct timespec s = {0, 1000}, bad = {0, 1000000000};
	T(clock_nanosleep, CLOCK_THREAD_CPUTIME_ID, 0, &s, NULL);
	T(clock_nanosleep, CLOCK_MONOTONIC_RAW, 0, &s, NULL);
	T(clock_nanosleep, CLOCK_MONOTONIC_COARSE, 0, &s, NULL);
	T(clock_nanosleep, CLOCK_REALTIME_COARSE, 0, &s, NULL);
	T(clock_nanosleep, 100, 0, &s, NULL);
	T(clock_nanosleep, -2, 0, &s, NULL);
	T(clock_nanosleep, CLOCK_MONOTONIC, 0, &bad, NULL);
	T(clock_nanosleep, CLOCK_MONOTONIC, TIMER_ABSTIME, &bad, NULL);
	T(clock_nanosleep, CLOCK_MONOTONIC, 0, NULL, NULL);
	T(clock_nanosleep, CLOCK_MONOTONIC, 0, CONF_BADPTR, NULL);
	T(clock_nanosleep, CLOCK_PROCESS_CPUTIME_ID, 0, &bad, NULL);
}

CONF_CASE(cpu_clocks, "clock_gettime nanosleep")
{
	long long p0 = now(CLOCK_PROCESS_CPUTIME_ID), t0 = now(CLOCK_THREAD_CPUTIME_ID);
	for (volatile long i = 0; i < 3000000; i++)
		;
	long long p1 = now(CLOCK_PROCESS_CPUTIME_ID), t1 = now(CLOCK_THREAD_CPUTIME_ID);
	conf_fact("busy loop advances PROCESS/THREAD_CPUTIME", "%d %d", p1 > p0, t1 > t0);
	struct timespec s = {0, 100000000};
	T(nanosleep, &s, NULL);
	long long p2 = now(CLOCK_PROCESS_CPUTIME_ID);
	conf_more("sleeping 100 ms costs under 50 ms of CPU %d", p2 - p1 < 50000000);
}
