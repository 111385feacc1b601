// SPDX-License-Identifier: Apache-2.0
/* fork_test_threads.c: fork_test guest functions that leave threads behind, and a probe. */
#define _GNU_SOURCE
#include <linux/futex.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <unistd.h>

static uint32_t gate; /* leftover threads wait on it forever */

static void *wait_forever(void *arg)
{
	(void)arg;
	for (;;)
		syscall(SYS_futex, &gate, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0);
	return NULL;
}

static void *report_tid(void *arg)
{
	*(pid_t *)arg = gettid();
	return NULL;
}

static void on_usr1(int sig)
{
	(void)sig;
}

/* A thread started and joined: its tid (the same in every fork after a reset). */
static long fresh_tid(void)
{
	pthread_attr_t a;
	pthread_attr_init(&a);
	pthread_attr_setstacksize(&a, 256 * 1024); /* PTHREAD_STACK_MIN is 128 KiB */
	pid_t tid = 0;
	pthread_t t;
	if (pthread_create(&t, &a, report_tid, &tid) || pthread_join(t, NULL))
		return -1;
	return tid;
}

/*
 * The state a fork's threads could leave: 1 if threads wait on the gate, 2 if SIGUSR1 has a
 * handler, 4 if this is not the first thread. Returns bits + 10 * the tid a new thread gets.
 */
long wf_threads_state(void);
long wf_threads_state(void)
{
	long bad = 0;
	if (syscall(SYS_futex, &gate, FUTEX_WAKE_PRIVATE, 0x7fffffff, NULL, NULL, 0) != 0)
		bad |= 1;
	struct sigaction old;
	if (sigaction(SIGUSR1, NULL, &old) || old.sa_handler != SIG_DFL)
		bad |= 2;
	if (gettid() != getpid())
		bad |= 4;
	return bad + 10 * fresh_tid();
}

/* Leave two threads waiting forever and a handler, after a thread came and went; returns
 * wf_threads_state() as it then is. */
long wf_threads_dirty(void);
long wf_threads_dirty(void)
{
	pthread_attr_t a;
	pthread_attr_init(&a);
	pthread_attr_setstacksize(&a, 256 * 1024); /* PTHREAD_STACK_MIN is 128 KiB */
	pthread_t t;
	long started = 0;
	for (int i = 0; i < 2; i++)
		started += pthread_create(&t, &a, wait_forever, NULL) == 0;
	if (fresh_tid() <= 0)
		return -1;
	signal(SIGUSR1, on_usr1);
	sched_yield(); /* the waiters run and block */
	return started == 2 ? wf_threads_state() : -1;
}
