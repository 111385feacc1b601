// SPDX-License-Identifier: Apache-2.0
/* threads.c: pthreads as glibc uses the kernel (clone3, futex, exit, tgkill); same output natively.
 *
 *   threads create      3 threads computing, joined with their results; tids are distinct
 *   threads mutex       4 threads add to a mutex-protected counter, yielding inside the lock
 *   threads condvar     a producer and a consumer over a 4-slot buffer, 1000 items
 *   threads barrier     4 threads through 3 barrier phases; one serial thread per phase
 *   threads early       a thread leaves with pthread_exit from deep down; a detached one;
 *                       then main leaves with pthread_exit and the last thread ends the process
 *   threads kill        pthread_kill reaches the target thread (blocked in sem_wait); a
 *                       process signal blocked by main is taken by the thread that accepts it
 *   threads sleep       threads sleeping in nanosleep let the others run; wake in time order
 *   threads many        64 threads created and joined, 4 rounds (slots and tids reused)
 *   threads fpu         3 threads, each in its own rounding mode, compute with SIMD and FP
 *                       registers live across yields: each sees only its own
 *   threads cap         start up to 100 waiting threads; say where pthread_create failed
 *   threads deadlock    main holds a mutex and joins a thread that waits for it: a hang
 *   threads fatal       a thread dies of SIGSEGV: the whole process dies              -> 139
 *   threads exitcode    a thread calls exit(5) while others wait                      -> 5
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fenv.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define CHECK(c)                                                                                   \
	do {                                                                                       \
		if (!(c)) {                                                                        \
			printf("FAILED: %s (line %d)\n", #c, __LINE__);                            \
			exit(1);                                                                   \
		}                                                                                  \
	} while (0)

static void *square_sum(void *arg)
{
	long k = (long)arg, s = 0;
	for (long i = 1; i <= 1000; i++)
		s += i * k % 7;
	return (void *)s;
}

static pid_t tids[8];

static void *record_tid(void *arg)
{
	tids[(long)arg] = gettid();
	return NULL;
}

static void create(void)
{
	pthread_t t[3];
	for (long i = 0; i < 3; i++)
		CHECK(pthread_create(&t[i], NULL, square_sum, (void *)(i + 2)) == 0);
	for (int i = 0; i < 3; i++) {
		void *r;
		CHECK(pthread_join(t[i], &r) == 0);
		printf("thread %d: %ld\n", i, (long)r);
	}
	for (long i = 0; i < 3; i++)
		CHECK(pthread_create(&t[i], NULL, record_tid, (void *)i) == 0);
	for (int i = 0; i < 3; i++)
		CHECK(pthread_join(t[i], NULL) == 0);
	int distinct = tids[0] != tids[1] && tids[1] != tids[2] && tids[0] != tids[2];
	for (int i = 0; i < 3; i++)
		distinct &= tids[i] != getpid() && tids[i] > 0;
	printf("tids distinct from each other and the pid: %s\n", distinct ? "yes" : "no");
	printf("main tid == pid: %s\n", gettid() == getpid() ? "yes" : "no");
}

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static long counter;

static void *add(void *arg)
{
	(void)arg;
	for (int i = 0; i < 20000; i++) {
		pthread_mutex_lock(&lock);
		long v = counter;
		if (i % 250 == 0)
			sched_yield(); /* others run and find the lock taken: futex waits */
		counter = v + 1;
		pthread_mutex_unlock(&lock);
	}
	return NULL;
}

static void mutex(void)
{
	pthread_t t[4];
	for (int i = 0; i < 4; i++)
		CHECK(pthread_create(&t[i], NULL, add, NULL) == 0);
	for (int i = 0; i < 4; i++)
		CHECK(pthread_join(t[i], NULL) == 0);
	printf("counter: %ld\n", counter);
}

static pthread_cond_t not_empty = PTHREAD_COND_INITIALIZER, not_full = PTHREAD_COND_INITIALIZER;
static int buf[4], head, count;

static void *produce(void *arg)
{
	(void)arg;
	for (int i = 1; i <= 1000; i++) {
		pthread_mutex_lock(&lock);
		while (count == 4)
			pthread_cond_wait(&not_full, &lock);
		buf[(head + count++) % 4] = i;
		pthread_cond_signal(&not_empty);
		pthread_mutex_unlock(&lock);
	}
	return NULL;
}

static void *consume(void *arg)
{
	(void)arg;
	long sum = 0, n = 0, order_ok = 1, last = 0;
	while (n < 1000) {
		pthread_mutex_lock(&lock);
		while (count == 0)
			pthread_cond_wait(&not_empty, &lock);
		int v = buf[head];
		head = (head + 1) % 4;
		count--;
		pthread_cond_signal(&not_full);
		pthread_mutex_unlock(&lock);
		order_ok &= v == last + 1;
		last = v;
		sum += v;
		n++;
	}
	printf("consumed %ld items, sum %ld, in order: %s\n", n, sum, order_ok ? "yes" : "no");
	return NULL;
}

static void condvar(void)
{
	pthread_t p, c;
	CHECK(pthread_create(&c, NULL, consume, NULL) == 0);
	CHECK(pthread_create(&p, NULL, produce, NULL) == 0);
	CHECK(pthread_join(p, NULL) == 0);
	CHECK(pthread_join(c, NULL) == 0);
}

static pthread_barrier_t bar;
static int slots[3][4];
static int serial[3], errors;

static void *phases(void *arg)
{
	long id = (long)arg;
	for (int ph = 0; ph < 3; ph++) {
		slots[ph][id] = (int)(ph * 10 + id + 1);
		int rc = pthread_barrier_wait(&bar);
		if (rc == PTHREAD_BARRIER_SERIAL_THREAD)
			__atomic_add_fetch(&serial[ph], 1, __ATOMIC_SEQ_CST);
		else if (rc)
			__atomic_add_fetch(&errors, 1, __ATOMIC_SEQ_CST);
		for (int j = 0; j < 4; j++)
			if (slots[ph][j] != ph * 10 + j + 1)
				__atomic_add_fetch(&errors, 1, __ATOMIC_SEQ_CST);
	}
	return NULL;
}

static void barrier(void)
{
	pthread_t t[4];
	CHECK(pthread_barrier_init(&bar, NULL, 4) == 0);
	for (long i = 0; i < 4; i++)
		CHECK(pthread_create(&t[i], NULL, phases, (void *)i) == 0);
	for (int i = 0; i < 4; i++)
		CHECK(pthread_join(t[i], NULL) == 0);
	printf("barrier: 3 phases, %d errors, serial threads %d %d %d\n", errors, serial[0],
	       serial[1], serial[2]);
}

static volatile int depth_left;

static void deep(void)
{
	int n = depth_left--;
	if (n < 0)
		return; /* never: the bottom call leaves the thread */
	if (n > 0)
		deep();
	else
		pthread_exit((void *)42);
	printf("not reached\n");
}

static void *leave_early(void *arg)
{
	(void)arg;
	depth_left = 5;
	deep();
	return (void *)1;
}

static sem_t detached_done;

static void *detached(void *arg)
{
	(void)arg;
	sem_post(&detached_done);
	return NULL;
}

static void *last_one(void *arg)
{
	(void)arg;
	struct timespec ts = {0, 20 * 1000 * 1000};
	nanosleep(&ts, NULL);
	printf("the last thread ends the process\n");
	fflush(stdout);
	return NULL;
}

static void early(void)
{
	pthread_t t;
	void *r;
	CHECK(pthread_create(&t, NULL, leave_early, NULL) == 0);
	CHECK(pthread_join(t, &r) == 0);
	printf("early exit value: %ld\n", (long)r);
	pthread_attr_t a;
	pthread_attr_init(&a);
	pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED);
	sem_init(&detached_done, 0, 0);
	CHECK(pthread_create(&t, &a, detached, NULL) == 0);
	sem_wait(&detached_done);
	printf("detached thread ran\n");
	CHECK(pthread_create(&t, NULL, last_one, NULL) == 0);
	printf("main leaves with pthread_exit\n");
	fflush(stdout);
	pthread_exit(NULL);
}

static sem_t ready, go;
static volatile pid_t usr1_tid, usr2_tid, worker_tid;

static void on_signal(int sig)
{
	if (sig == SIGUSR1)
		usr1_tid = gettid();
	else
		usr2_tid = gettid();
}

static void *worker(void *arg)
{
	(void)arg;
	worker_tid = gettid();
	sem_post(&ready);
	while (sem_wait(&go) && errno == EINTR)
		;
	return NULL;
}

static void kill_threads(void)
{
	struct sigaction sa = {.sa_handler = on_signal};
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGUSR2, &sa, NULL);
	sem_init(&ready, 0, 0);
	sem_init(&go, 0, 0);
	pthread_t t;
	CHECK(pthread_create(&t, NULL, worker, NULL) == 0);
	sem_wait(&ready);
	CHECK(pthread_kill(t, SIGUSR1) == 0);
	/* SIGUSR2 to the process while main blocks it: the worker takes it. */
	sigset_t s;
	sigemptyset(&s);
	sigaddset(&s, SIGUSR2);
	pthread_sigmask(SIG_BLOCK, &s, NULL);
	CHECK(kill(getpid(), SIGUSR2) == 0);
	while (!usr1_tid || !usr2_tid)
		sched_yield();
	sem_post(&go);
	CHECK(pthread_join(t, NULL) == 0);
	printf("SIGUSR1 (pthread_kill) ran in the target thread: %s\n",
	       usr1_tid == worker_tid ? "yes" : "no");
	printf("SIGUSR2 (kill, blocked by main) ran in the worker: %s\n",
	       usr2_tid == worker_tid ? "yes" : "no");
	printf("tgkill to a thread that is gone: %s\n",
	       syscall(SYS_tgkill, getpid(), worker_tid + 1000, SIGUSR1) == -1 && errno == ESRCH
		       ? "ESRCH"
		       : "?");
}

static int woke[3], nwoke;

static void *sleeper(void *arg)
{
	long ms = (long)arg;
	struct timespec ts = {0, ms * 1000 * 1000};
	nanosleep(&ts, NULL);
	pthread_mutex_lock(&lock);
	woke[nwoke++] = (int)ms;
	pthread_mutex_unlock(&lock);
	return NULL;
}

static void sleep_order(void)
{
	pthread_t t[3];
	long ms[3] = {300, 100, 200};
	for (int i = 0; i < 3; i++)
		CHECK(pthread_create(&t[i], NULL, sleeper, (void *)ms[i]) == 0);
	for (int i = 0; i < 3; i++)
		CHECK(pthread_join(t[i], NULL) == 0);
	printf("woke in order: %d %d %d\n", woke[0], woke[1], woke[2]);
}

static void many(void)
{
	long total = 0;
	pthread_attr_t a; /* 64 default (8 MiB) stacks would fill a 512 MiB guest */
	pthread_attr_init(&a);
	pthread_attr_setstacksize(&a, 256 * 1024);
	for (int round = 0; round < 4; round++) {
		pthread_t t[64];
		for (long i = 0; i < 64; i++)
			CHECK(pthread_create(&t[i], &a, square_sum, (void *)i) == 0);
		for (int i = 0; i < 64; i++) {
			void *r;
			CHECK(pthread_join(t[i], &r) == 0);
			total += (long)r;
		}
	}
	printf("64 threads x 4 rounds: total %ld\n", total);
}

static sem_t hold;

static void *hold_on(void *arg)
{
	(void)arg;
	while (sem_wait(&hold) && errno == EINTR)
		;
	return NULL;
}

static void cap(void)
{
	pthread_attr_t a;
	pthread_attr_init(&a);
	pthread_attr_setstacksize(&a, 256 * 1024); /* PTHREAD_STACK_MIN is 128 KiB */
	sem_init(&hold, 0, 0);
	pthread_t t[100];
	int n = 0, rc = 0;
	while (n < 100 && !(rc = pthread_create(&t[n], &a, hold_on, NULL)))
		n++;
	printf("created %d threads%s%s\n", n, rc ? ", then " : "", rc ? strerrorname_np(rc) : "");
	for (int i = 0; i < n; i++)
		sem_post(&hold);
	for (int i = 0; i < n; i++)
		CHECK(pthread_join(t[i], NULL) == 0);
	printf("joined them all\n");
}

static void *lock_it(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&lock);
	return NULL;
}

static void deadlock(void)
{
	pthread_t t;
	pthread_mutex_lock(&lock);
	CHECK(pthread_create(&t, NULL, lock_it, NULL) == 0);
	printf("waiting for a thread that waits for us\n");
	pthread_join(t, NULL);
}

/* Thread k: rounding mode k, registers d8 (callee-saved) and v16 (not) live across yields. */
static const int modes[3] = {FE_TONEAREST, FE_UPWARD, FE_DOWNWARD};
static double thirds[3];
static int fpu_bad[3];

static void *fpu_worker(void *arg)
{
	long k = (long)arg;
	fesetround(modes[k]);
	for (int round = 0; round < 50; round++) {
		double mine = (double)(k + 1) * 1000 + round;
		__asm__ volatile("fmov d8, %d0\n\tdup v16.2d, %1.d[0]" ::"w"(mine), "w"(mine)
				 : "d8", "v16");
		sched_yield();
		double d8, v16;
		__asm__ volatile("fmov %d0, d8\n\tmov %1.d[0], v16.d[1]" : "=w"(d8), "=w"(v16));
		if (d8 != mine || v16 != mine || fegetround() != modes[k])
			fpu_bad[k]++;
	}
	volatile double one = 1.0, three = 3.0;
	thirds[k] = one / three;
	return NULL;
}

static void fpu(void)
{
	pthread_t t[3];
	for (long i = 0; i < 3; i++)
		CHECK(pthread_create(&t[i], NULL, fpu_worker, (void *)i) == 0);
	for (int i = 0; i < 3; i++)
		CHECK(pthread_join(t[i], NULL) == 0);
	printf("registers and rounding mode kept across switches: %d %d %d bad\n", fpu_bad[0],
	       fpu_bad[1], fpu_bad[2]);
	printf("1/3 nearest %a, upward %a, downward %a\n", thirds[0], thirds[1], thirds[2]);
	printf("main's rounding mode untouched: %s\n", fegetround() == FE_TONEAREST ? "yes" : "no");
}

static void *crash(void *arg)
{
	volatile uintptr_t bad = (uintptr_t)arg;
	*(volatile int *)bad = 1;
	return NULL;
}

static void *exit5(void *arg)
{
	(void)arg;
	printf("a thread calls exit(5)\n");
	fflush(stdout);
	exit(5);
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	const char *m = argc > 1 ? argv[1] : "";
	if (!strcmp(m, "create")) {
		create();
	} else if (!strcmp(m, "mutex")) {
		mutex();
	} else if (!strcmp(m, "condvar")) {
		condvar();
	} else if (!strcmp(m, "barrier")) {
		barrier();
	} else if (!strcmp(m, "early")) {
		early();
	} else if (!strcmp(m, "kill")) {
		kill_threads();
	} else if (!strcmp(m, "sleep")) {
		sleep_order();
	} else if (!strcmp(m, "many")) {
		many();
	} else if (!strcmp(m, "fpu")) {
		fpu();
	} else if (!strcmp(m, "cap")) {
		cap();
	} else if (!strcmp(m, "deadlock")) {
		deadlock();
	} else if (!strcmp(m, "fatal") || !strcmp(m, "exitcode")) {
		pthread_t t;
		CHECK(pthread_create(&t, NULL, m[0] == 'f' ? crash : exit5, (void *)16) == 0);
		pthread_join(t, NULL);
		printf("not reached\n");
	} else {
		fprintf(stderr, "usage: threads create|mutex|condvar|barrier|early|kill|sleep|many|fpu|cap|deadlock|"
				"fatal|exitcode\n");
		return 2;
	}
	return 0;
}
