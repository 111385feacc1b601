// SPDX-License-Identifier: Apache-2.0
/* thread.c: conformance cases for threads: ids, futex waits and wakes between threads, tgkill. */
#include <linux/futex.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "conf.h"

/*
 * Threads come from glibc's pthread_create (clone3 underneath); the calls under test are
 * raw. A thread prints only while main waits for it in pthread_join, or leaves its results
 * for main to print after the join, so the transcript's order is fixed. Where main must
 * know that threads are asleep in a futex wait, it sleeps 300 ms first.
 */

static long main_pid, main_tid;

static void *ids(void *arg)
{
	(void)arg;
	long tid = TN0(gettid);
	conf_more("!=main %d", tid != main_tid);
	long pid = TN0(getpid);
	conf_more("==main pid %d", pid == main_pid);
	return (void *)tid;
}

CONF_CASE(ids, "gettid getpid clone3 exit")
{
	main_pid = SYS0(getpid);
	main_tid = SYS0(gettid);
	pthread_t t;
	void *tid;
	conf_must(pthread_create(&t, NULL, ids, NULL), "pthread_create");
	conf_must(pthread_join(t, &tid), "pthread_join");
	conf_fact("joined", "tid>main %d", (long)tid > main_tid);
}

static uint32_t word, started;

static void *waiter(void *arg)
{
	(void)arg;
	__atomic_add_fetch(&started, 1, __ATOMIC_SEQ_CST);
	long r;
	do
		r = SYS(futex, &word, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0);
	while (r == 0 && __atomic_load_n(&word, __ATOMIC_SEQ_CST) == 0); /* not for us yet */
	return (void *)r;
}

static void sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000};
	SYS(nanosleep, &ts, NULL);
}

CONF_CASE(futex_wake_threads, "futex nanosleep")
{
	/* Two threads wait; wakes count them, a shared wake does not reach private waiters. */
	pthread_t t[2];
	word = 0;
	for (int i = 0; i < 2; i++)
		conf_must(pthread_create(&t[i], NULL, waiter, NULL), "pthread_create");
	while (__atomic_load_n(&started, __ATOMIC_SEQ_CST) < 2)
		sleep_ms(10);
	sleep_ms(300);
	T(futex, &word, FUTEX_WAKE, 10, NULL, NULL, 0);
	/* A waiter's bitset is "any": both wake, find the word unchanged and wait again. */
	T(futex, &word, FUTEX_WAKE_BITSET_PRIVATE, 10, NULL, NULL, 2);
	sleep_ms(300);
	__atomic_store_n(&word, 1, __ATOMIC_SEQ_CST);
	T(futex, &word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
	sleep_ms(300);
	T(futex, &word, FUTEX_WAKE_PRIVATE, 10, NULL, NULL, 0);
	T(futex, &word, FUTEX_WAKE_PRIVATE, 10, NULL, NULL, 0);
	for (int i = 0; i < 2; i++) {
		void *r;
		conf_must(pthread_join(t[i], &r), "pthread_join");
		conf_fact("waiter's futex result", "%ld", (long)r);
	}
}

static uint32_t word2;

CONF_CASE(futex_requeue_threads, "futex nanosleep")
{
	/* Two waiters on word: one woken, one moved to word2 and woken there. */
	pthread_t t[2];
	word = 0;
	started = 0;
	for (int i = 0; i < 2; i++)
		conf_must(pthread_create(&t[i], NULL, waiter, NULL), "pthread_create");
	while (__atomic_load_n(&started, __ATOMIC_SEQ_CST) < 2)
		sleep_ms(10);
	sleep_ms(300);
	__atomic_store_n(&word, 1, __ATOMIC_SEQ_CST);
	T(futex, &word, FUTEX_CMP_REQUEUE_PRIVATE, 1, (void *)1, &word2, 1);
	T(futex, &word, FUTEX_WAKE_PRIVATE, 10, NULL, NULL, 0);
	T(futex, &word2, FUTEX_WAKE_PRIVATE, 10, NULL, NULL, 0);
	for (int i = 0; i < 2; i++)
		conf_must(pthread_join(t[i], NULL), "pthread_join");
	conf_fact("joined", "2");
}

static volatile long handler_tid, waiter_tid, gate_result, gate_in_thread;
static uint32_t gate;

static void on_usr1(int sig)
{
	(void)sig;
	handler_tid = SYS0(gettid);
}

static void *wait_gate(void *arg)
{
	(void)arg;
	waiter_tid = SYS0(gettid);
	__atomic_store_n(&started, 1, __ATOMIC_SEQ_CST);
	gate_result = SYS(futex, &gate, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0);
	gate_in_thread = handler_tid == SYS0(gettid);
	return NULL;
}

CONF_CASE(tgkill_thread, "tgkill futex rt_sigaction")
{
	/* A handler without SA_RESTART: the thread's futex wait ends with EINTR. */
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_usr1;
	sigemptyset(&sa.sa_mask);
	conf_must(sigaction(SIGUSR1, &sa, NULL), "sigaction");
	pthread_t t;
	started = 0;
	conf_must(pthread_create(&t, NULL, wait_gate, NULL), "pthread_create");
	while (!__atomic_load_n(&started, __ATOMIC_SEQ_CST))
		sleep_ms(10);
	sleep_ms(300);
	long pid = SYS0(getpid), ttid = waiter_tid;
	T(tgkill, pid, ttid + 100000, SIGUSR1);
	T(tgkill, pid, ttid, SIGUSR1);
	conf_must(pthread_join(t, NULL), "pthread_join");
	conf_reportf(CONF_INT, gate_result, "futex(&gate, FUTEX_WAIT_PRIVATE, 0) in the thread");
	conf_more("handler ran in that thread %d", (int)gate_in_thread);
}

/* Blocking calls in one thread while another makes them ready: the sandbox must keep running
 * the other threads (its threads share one host thread). */
static int bio_pipe[2];
static int bio_sock[2];

static void *bio_writer(void *arg)
{
	sleep_ms(50);
	SYS(write, *(int *)arg, "w", 1);
	return NULL;
}

CONF_CASE(blocking_io, "read ppoll pselect6 recvfrom epoll_pwait pipe2 socketpair")
{
	conf_must(SYS(pipe2, bio_pipe, 0), "pipe2");
	conf_must(SYS(socketpair, AF_UNIX, SOCK_STREAM, 0, bio_sock), "socketpair");
	char c = 0;
	pthread_t t;
	conf_must(pthread_create(&t, NULL, bio_writer, &bio_pipe[1]), "pthread_create");
	T(read, bio_pipe[0], &c, 1);
	conf_must(pthread_join(t, NULL), "pthread_join");

	struct pollfd pfd = {.fd = bio_pipe[0], .events = POLLIN};
	struct timespec ten = {10, 0};
	conf_must(pthread_create(&t, NULL, bio_writer, &bio_pipe[1]), "pthread_create");
	T(ppoll, &pfd, 1, &ten, NULL, 8);
	conf_more("revents=%#x, under 10 s left: %d", pfd.revents, ten.tv_sec < 10);
	conf_must(pthread_join(t, NULL), "pthread_join");
	T(read, bio_pipe[0], &c, 1);

	unsigned long set = 1ul << bio_pipe[0];
	conf_must(pthread_create(&t, NULL, bio_writer, &bio_pipe[1]), "pthread_create");
	T(pselect6, bio_pipe[0] + 1, &set, NULL, NULL, NULL, NULL);
	conf_must(pthread_join(t, NULL), "pthread_join");
	T(read, bio_pipe[0], &c, 1);

	conf_must(pthread_create(&t, NULL, bio_writer, &bio_sock[1]), "pthread_create");
	T(recvfrom, bio_sock[0], &c, 1, 0, NULL, NULL);
	conf_must(pthread_join(t, NULL), "pthread_join");

	int ep = (int)SYS(epoll_create1, 0);
	struct epoll_event ev = {.events = EPOLLIN, .data.u64 = 7}, got = {0};
	conf_must(SYS(epoll_ctl, ep, EPOLL_CTL_ADD, bio_pipe[0], &ev), "epoll_ctl");
	conf_must(pthread_create(&t, NULL, bio_writer, &bio_pipe[1]), "pthread_create");
	T(epoll_pwait, ep, &got, 1, -1, NULL, 8);
	conf_more("data=%llu", (unsigned long long)got.data.u64);
	conf_must(pthread_join(t, NULL), "pthread_join");
}
