// SPDX-License-Identifier: Apache-2.0
/* futex.c: conformance cases for futex and clone/clone3 as one thread can see them. */
#include <linux/futex.h>
#include <linux/sched.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "conf.h"

/* Threads themselves (clone3 with CLONE_THREAD, joins, wakes between threads) are compared
 * by guests/cases/threads.cases, with glibc's pthreads on top. */

static uint32_t word = 5, word2 = 10;

CONF_CASE(wait_errors, "futex")
{
	struct timespec ts = {0, 1000000000};
	T(futex, (char *)&word + 1, FUTEX_WAIT_PRIVATE, 5, NULL, NULL, 0);
	T(futex, &word, FUTEX_WAIT_PRIVATE, 6, NULL, NULL, 0);
	T(futex, &word, FUTEX_WAIT_BITSET_PRIVATE, 5, NULL, NULL, 0);
	T(futex, &word, FUTEX_WAIT_PRIVATE | FUTEX_CLOCK_REALTIME, 5, NULL, NULL, 0);
	T(futex, &word, FUTEX_WAIT_PRIVATE | FUTEX_CLOCK_REALTIME, 5, CONF_BADPTR, NULL, 0);
	T(futex, &word, FUTEX_WAIT_PRIVATE, 5, &ts, NULL, 0);
	ts.tv_nsec = -1;
	T(futex, &word, FUTEX_WAIT_BITSET_PRIVATE, 5, &ts, NULL, FUTEX_BITSET_MATCH_ANY);
	T(futex, CONF_BADPTR, FUTEX_WAIT_PRIVATE, 5, NULL, NULL, 0);
	T(futex, CONF_BADPTR, FUTEX_WAIT, 5, NULL, NULL, 0);
	T(futex, &word, 99, 5, NULL, NULL, 0);
	T(futex, &word, FUTEX_FD, 5, NULL, NULL, 0);
}

CONF_CASE(wait_timeouts, "futex clock_gettime")
{
	struct timespec ts = {0, 1000000};
	T(futex, &word, FUTEX_WAIT_PRIVATE, 5, &ts, NULL, 0);
	T(futex, &word, FUTEX_WAIT, 5, &ts, NULL, 0);
	ts.tv_nsec = 0;
	T(futex, &word, FUTEX_WAIT_PRIVATE, 5, &ts, NULL, 0);
	/* Absolute: now plus 1 ms on CLOCK_MONOTONIC, then on CLOCK_REALTIME; a past one. */
	struct timespec now;
	SYS(clock_gettime, CLOCK_MONOTONIC, &now);
	now.tv_nsec += 1000000;
	if (now.tv_nsec >= 1000000000) {
		now.tv_sec++;
		now.tv_nsec -= 1000000000;
	}
	T(futex, &word, FUTEX_WAIT_BITSET_PRIVATE, 5, &now, NULL, FUTEX_BITSET_MATCH_ANY);
	SYS(clock_gettime, CLOCK_REALTIME, &now);
	now.tv_sec += 0;
	now.tv_nsec = (now.tv_nsec + 1000000) % 1000000000;
	if (now.tv_nsec < 1000000)
		now.tv_sec++;
	T(futex, &word, FUTEX_WAIT_BITSET_PRIVATE | FUTEX_CLOCK_REALTIME, 5, &now, NULL, ~0u);
	struct timespec past = {1, 0};
	T(futex, &word, FUTEX_WAIT_BITSET, 5, &past, NULL, FUTEX_BITSET_MATCH_ANY);
	T(futex, &word, FUTEX_WAIT_BITSET_PRIVATE, 6, &past, NULL, FUTEX_BITSET_MATCH_ANY);
}

CONF_CASE(wake, "futex")
{
	T(futex, &word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
	T(futex, &word, FUTEX_WAKE, 0x7fffffff, NULL, NULL, 0);
	T(futex, &word, FUTEX_WAKE_BITSET_PRIVATE, 1, NULL, NULL, 0);
	T(futex, &word, FUTEX_WAKE_BITSET_PRIVATE, 1, NULL, NULL, 2);
	T(futex, (char *)&word + 2, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
	/* A private key needs no page; a shared one does. */
	T(futex, CONF_BADPTR, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
	T(futex, CONF_BADPTR, FUTEX_WAKE, 1, NULL, NULL, 0);
	T(futex, (void *)-4L, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}

CONF_CASE(requeue, "futex")
{
	T(futex, &word, FUTEX_REQUEUE_PRIVATE, 1, (void *)1, &word2, 0);
	T(futex, &word, FUTEX_REQUEUE_PRIVATE, -1, (void *)1, &word2, 0);
	T(futex, &word, FUTEX_REQUEUE_PRIVATE, 1, (void *)-1L, &word2, 0);
	T(futex, &word, FUTEX_CMP_REQUEUE_PRIVATE, 1, (void *)1, &word2, 5);
	T(futex, &word, FUTEX_CMP_REQUEUE_PRIVATE, 1, (void *)1, &word2, 4);
	T(futex, &word, FUTEX_CMP_REQUEUE_PRIVATE, 1, (void *)1, (char *)&word2 + 1, 5);
	T(futex, &word, FUTEX_CMP_REQUEUE, 1, (void *)1, CONF_BADPTR, 5);
}

CONF_CASE(wake_op, "futex")
{
	word2 = 10;
	T(futex, &word, FUTEX_WAKE_OP_PRIVATE, 1, (void *)1, &word2,
	  FUTEX_OP(FUTEX_OP_ADD, 3, FUTEX_OP_CMP_EQ, 10));
	conf_more("word2=%u", word2);
	T(futex, &word, FUTEX_WAKE_OP_PRIVATE, 1, (void *)1, &word2,
	  FUTEX_OP(FUTEX_OP_OR, 4, FUTEX_OP_CMP_GT, 100));
	conf_more("word2=%u", word2);
	T(futex, &word, FUTEX_WAKE_OP_PRIVATE, 1, (void *)1, &word2,
	  FUTEX_OP((FUTEX_OP_ANDN | FUTEX_OP_OPARG_SHIFT), 2, FUTEX_OP_CMP_NE, 0));
	conf_more("word2=%u", word2);
	T(futex, &word, FUTEX_WAKE_OP_PRIVATE, 1, (void *)1, &word2, 7u << 28);
	conf_more("word2=%u", word2);
	T(futex, &word, FUTEX_WAKE_OP_PRIVATE, 1, (void *)1, &word2,
	  FUTEX_OP(FUTEX_OP_XOR, 1, 9, 0));
	conf_more("word2=%u", word2);
	T(futex, &word, FUTEX_WAKE_OP_PRIVATE, 1, (void *)1, CONF_BADPTR,
	  FUTEX_OP(FUTEX_OP_SET, 1, FUTEX_OP_CMP_EQ, 0));
}

/* Only the rejected cases: an accepted clone would make a process or thread natively. */
CONF_CASE(clone_errors, "clone clone3")
{
	T(clone, CLONE_THREAD | CLONE_VM, NULL, NULL, NULL, NULL);
	T(clone, CLONE_SIGHAND | CLONE_THREAD, NULL, NULL, NULL, NULL);
	T(clone, CLONE_SIGHAND, NULL, NULL, NULL, NULL);
	T(clone, CLONE_FS | CLONE_NEWNS, NULL, NULL, NULL, NULL);
	T(clone, CLONE_VM | CLONE_SIGHAND | CLONE_THREAD | CLONE_NEWPID, NULL, NULL, NULL, NULL);
	T(clone, CLONE_VM | CLONE_SIGHAND | CLONE_THREAD | CLONE_PIDFD, NULL, NULL, NULL, NULL);
	struct clone_args ca;
	memset(&ca, 0, sizeof ca);
	ca.flags = CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD;
	ca.exit_signal = SIGCHLD;
	T(clone3, &ca, sizeof ca);
	ca.exit_signal = 0;
	ca.stack_size = 4096;
	T(clone3, &ca, sizeof ca);
	ca.stack_size = 0;
	ca.flags |= 1ull << 40;
	T(clone3, &ca, sizeof ca);
	ca.flags = CLONE_DETACHED;
	T(clone3, &ca, sizeof ca);
	T(clone3, &ca, 32);
	T(clone3, &ca, 8192);
	T(clone3, CONF_BADPTR, sizeof ca);
	uint64_t big[16];
	memset(big, 0, sizeof big);
	big[0] = CLONE_SIGHAND;
	big[15] = 1;
	T(clone3, big, sizeof big);
	big[15] = 0;
	T(clone3, big, sizeof big);
}
