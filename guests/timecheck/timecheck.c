// SPDX-License-Identifier: Apache-2.0
/* timecheck.c: clocks, sleeping and randomness. Prints only "PASS: ..." / "FAIL: ..." lines, so
 * the output is deterministic; exit status 1 if anything failed. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <sys/time.h>
#include <time.h>

static int failures;

static void report(int ok, const char *what)
{
	printf("%s: %s\n", ok ? "PASS" : "FAIL", what);
	if (!ok)
		failures++;
}

static int64_t ns(const struct timespec *t)
{
	return (int64_t)t->tv_sec * 1000000000 + t->tv_nsec;
}

int main(void)
{
	struct timespec a, b, r;
	int ok;

	/* CLOCK_MONOTONIC never goes backwards, nanoseconds in range. */
	ok = clock_gettime(CLOCK_MONOTONIC, &a) == 0;
	for (int i = 0; ok && i < 1000; i++) {
		if (clock_gettime(CLOCK_MONOTONIC, &b) != 0 || b.tv_nsec < 0 ||
		    b.tv_nsec >= 1000000000 || ns(&b) < ns(&a))
			ok = 0;
		a = b;
	}
	report(ok, "clock_gettime(CLOCK_MONOTONIC) non-decreasing over 1000 calls");

	ok = clock_getres(CLOCK_MONOTONIC, &r) == 0 && ns(&r) > 0 && ns(&r) <= 10000000;
	report(ok, "clock_getres(CLOCK_MONOTONIC) between 1 ns and 10 ms");

	/* CLOCK_REALTIME is after 2020-01-01 and agrees with gettimeofday and time(). */
	ok = clock_gettime(CLOCK_REALTIME, &a) == 0 && a.tv_sec > 1577836800;
	report(ok, "clock_gettime(CLOCK_REALTIME) after 2020");
	struct timeval tv;
	ok = gettimeofday(&tv, NULL) == 0 && tv.tv_usec >= 0 && tv.tv_usec < 1000000;
	clock_gettime(CLOCK_REALTIME, &b);
	int64_t d = ns(&b) - ((int64_t)tv.tv_sec * 1000000000 + (int64_t)tv.tv_usec * 1000);
	report(ok && d > -1000000000 && d < 1000000000, "gettimeofday within 1 s of CLOCK_REALTIME");
	time_t t = time(NULL);
	report(t >= a.tv_sec && t <= b.tv_sec + 1, "time() within CLOCK_REALTIME readings");

	/* nanosleep(10 ms) takes at least 10 ms of CLOCK_MONOTONIC. */
	struct timespec req = { 0, 10000000 }, rem = { 0, 0 };
	clock_gettime(CLOCK_MONOTONIC, &a);
	int rc = nanosleep(&req, &rem);
	clock_gettime(CLOCK_MONOTONIC, &b);
	report(rc == 0, "nanosleep(10 ms) returns 0");
	report(ns(&b) - ns(&a) >= 10000000, "nanosleep(10 ms) sleeps at least 10 ms");
	clock_gettime(CLOCK_MONOTONIC, &a);
	rc = clock_nanosleep(CLOCK_MONOTONIC, 0, &req, NULL);
	clock_gettime(CLOCK_MONOTONIC, &b);
	report(rc == 0 && ns(&b) - ns(&a) >= 10000000, "clock_nanosleep(10 ms) sleeps at least 10 ms");
	req.tv_nsec = 1000000000;
	errno = 0;
	rc = nanosleep(&req, NULL);
	report(rc == -1 && errno == EINVAL, "nanosleep with tv_nsec = 1e9 fails with EINVAL");

	/* getrandom. */
	unsigned char r1[64], r2[64];
	memset(r1, 0, sizeof r1);
	memset(r2, 0, sizeof r2);
	ssize_t n1 = getrandom(r1, sizeof r1, 0);
	ssize_t n2 = getrandom(r2, sizeof r2, 0);
	int nonzero = 0;
	for (size_t i = 0; i < sizeof r1; i++)
		nonzero |= r1[i];
	report(n1 == 64 && nonzero, "getrandom fills 64 bytes, not all zero");
	report(n2 == 64 && memcmp(r1, r2, sizeof r1) != 0, "two getrandom calls differ");
	ssize_t n3 = getrandom(r1, 16, GRND_NONBLOCK);
	report(n3 == 16, "getrandom(GRND_NONBLOCK) returns 16 bytes");
	report(getrandom(r1, 0, 0) == 0, "getrandom of 0 bytes returns 0");
	errno = 0;
	report(getrandom(r1, 16, 0x80) == -1 && errno == EINVAL,
	       "getrandom with an unknown flag fails with EINVAL");
	void *volatile null = NULL; /* hidden from the nonnull/access checks */
	errno = 0;
	report(getrandom(null, 16, 0) == -1 && errno == EFAULT,
	       "getrandom into NULL fails with EFAULT");

	printf("%s: %d failures\n", failures ? "FAIL" : "PASS", failures);
	return failures != 0;
}
