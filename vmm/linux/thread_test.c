// SPDX-License-Identifier: Apache-2.0
/* thread_test.c: Check tests for threads: clone/clone3 rules, futex semantics, the scheduler. */
#include <check.h>
#include <errno.h>
#include <string.h>

#include "linux/testproc.h"
#include "linux/signals.h"
#include "linux/threads.h"
#include "check_main.h"

/* Guest constants (uapi). */
enum {
	VM = 0x100, FS = 0x200, FILES = 0x400, SIGHAND = 0x800, THREAD = 0x10000,
	SYSVSEM = 0x40000, SETTLS = 0x80000, PARENT_SETTID = 0x100000,
	CHILD_CLEARTID = 0x200000, VFORK = 0x4000, SIGCHLD_ = 17,
	GLIBC_FLAGS = VM | FS | FILES | SIGHAND | THREAD | SYSVSEM | SETTLS | PARENT_SETTID |
		      CHILD_CLEARTID,
	WAIT = 0, WAKE = 1, REQUEUE = 3, CMP_REQUEUE = 4, WAKE_OP = 5, LOCK_PI = 6,
	WAIT_BITSET = 9, WAKE_BITSET = 10, PRIV = 128, CLOCK_RT = 256,
};
/* Guest offsets used by the tests. */
enum { W1 = 0x100, W2 = 0x104, PTID = 0x200, CTID = 0x204, TS = 0x300, ARGS = 0x400,
       STACK1 = 0x8000, STACK2 = 0x9000, MSTACK = 0xf000 };

static struct tp f;
static struct wf_abi_frame regs;

static void setup(void)
{
	tp_init_fixed(&f);
	tp_regs(&f, &regs, MSTACK);
}

static void teardown(void)
{
	tp_fini(&f);
}

static uint32_t word(uint64_t off)
{
	uint32_t v;
	memcpy(&v, H(&f, off), 4);
	return v;
}

static void set_word(uint64_t off, uint32_t v)
{
	tp_put(&f, off, &v, 4);
}

/*
 * A syscall by the running thread as the VM makes it, including the switch when the thread
 * gave the vCPU up (vm.c's schedule, minus the host sleep: a test never lets every thread
 * wait). Returns what the syscall returned to its caller (a placeholder if it blocked).
 */
#define CALL(...) call((const uint64_t[7]){__VA_ARGS__})
static int64_t call(const uint64_t v[7])
{
	struct wf_abi_frame *r = f.p.regs;
	memcpy(r->x, v + 1, 6 * sizeof(uint64_t));
	r->x[8] = v[0];
	struct wf_sysexit sx = {.syscall = true, .orig_x0 = r->x[0]};
	int64_t ret = sx.ret = wf_syscall(&f.p, &f.tab, v[0], r->x);
	r->x[0] = (uint64_t)ret;
	if (f.p.resched && !f.p.exited && !f.p.killed_by) {
		if (!f.p.parked)
			wf_thread_park(&f.p, &sx);
		int64_t until;
		int next = wf_thread_pick(&f.p, wf_thread_now(), &until);
		ck_assert_int_ge(next, 0);
		wf_thread_load(&f.p, (unsigned)next, &sx);
	}
	ck_assert_int_eq(wf_signal_deliver(&f.p, &sx, NULL, NULL), 0);
	return ret;
}

/* A thread as glibc makes one; returns its tid. */
static int64_t spawn(uint64_t stack)
{
	return CALL(WF_NR_clone, GLIBC_FLAGS, G(stack), G(PTID), 0x7777, G(CTID));
}

/* A thread is not a process group leader: setpgid on its tid is EINVAL, not ESRCH. */
START_TEST(test_setpgid_of_a_thread)
{
	int64_t tid = spawn(STACK1);
	ck_assert_int_gt(tid, 0);
	ck_assert_int_eq(CALL(WF_NR_setpgid, (uint64_t)tid, 0), -EINVAL);
	ck_assert_int_eq(CALL(WF_NR_setpgid, 0, 0), -EPERM);
	ck_assert_int_eq(CALL(WF_NR_getpgid, (uint64_t)tid), TP_PID);
}
END_TEST

START_TEST(test_clone_rules)
{
	ck_assert_int_eq(CALL(WF_NR_clone, THREAD | VM), -EINVAL);            /* no SIGHAND */
	ck_assert_int_eq(CALL(WF_NR_clone, SIGHAND | THREAD), -EINVAL);       /* no VM */
	ck_assert_int_eq(CALL(WF_NR_clone, SIGCHLD_), -ENOSYS);               /* fork */
	ck_assert_int_eq(CALL(WF_NR_clone, VM | VFORK | SIGCHLD_), -ENOSYS);  /* posix_spawn */
	ck_assert_int_eq(CALL(WF_NR_clone, VM | SIGHAND | THREAD), -ENOSYS);  /* own fd table */
	/* clone3: the size, the tail, exit_signal with CLONE_THREAD, the stack pair. */
	uint64_t ca[12] = {GLIBC_FLAGS, 0, G(CTID), G(PTID), 0, G(STACK1 - 0x1000), 0x1000, 0x99};
	tp_put(&f, ARGS, ca, sizeof(ca));
	ck_assert_int_eq(CALL(WF_NR_clone3, G(ARGS), 56), -EINVAL);
	ck_assert_int_eq(CALL(WF_NR_clone3, G(ARGS), 8192), -E2BIG);
	ca[11] = 1;
	tp_put(&f, ARGS, ca, sizeof(ca));
	ck_assert_int_eq(CALL(WF_NR_clone3, G(ARGS), 96), -E2BIG);
	ca[11] = 0;
	ca[4] = SIGCHLD_;
	tp_put(&f, ARGS, ca, sizeof(ca));
	ck_assert_int_eq(CALL(WF_NR_clone3, G(ARGS), 88), -EINVAL);
	ca[4] = 0;
	ca[6] = 0;
	tp_put(&f, ARGS, ca, sizeof(ca));
	ck_assert_int_eq(CALL(WF_NR_clone3, G(ARGS), 88), -EINVAL);
	ca[6] = 0x1000;
	tp_put(&f, ARGS, ca, sizeof(ca));
	ck_assert_int_eq(CALL(WF_NR_clone3, G(ARGS), TP_BAD), -EINVAL);
	ck_assert_int_eq(CALL(WF_NR_clone3, TP_BAD, 88), -EFAULT);
	/* A good one: the child starts at the top of its stack with the TLS and x0 = 0. */
	int64_t tid = CALL(WF_NR_clone3, G(ARGS), 88);
	ck_assert_int_eq(tid, TP_PID + 1);
	ck_assert_uint_eq(word(PTID), (uint32_t)tid);
	int slot = wf_thread_find(&f.p, (int32_t)tid);
	ck_assert_int_eq(slot, 1);
	ck_assert_uint_eq(f.p.thr[1].regs.sp, G(STACK1));
	ck_assert_uint_eq(f.p.thr[1].regs.tpidr, 0x99);
	ck_assert_uint_eq(f.p.thr[1].regs.x[0], 0);
	ck_assert_uint_eq(f.p.thr[1].clear_child_tid, G(CTID));
	ck_assert_int_eq(f.p.live, 2);
}
END_TEST

START_TEST(test_thread_cap)
{
	f.p.lim.max_threads = 3;
	ck_assert_int_gt(spawn(STACK1), 0);
	ck_assert_int_gt(spawn(STACK2), 0);
	ck_assert_int_eq(spawn(STACK2), -EAGAIN);
	ck_assert_int_eq(f.p.live, 3);
}
END_TEST

START_TEST(test_futex_errors)
{
	set_word(W1, 5);
	ck_assert_int_eq(CALL(WF_NR_futex, G(W1) + 1, WAIT | PRIV, 5), -EINVAL);
	ck_assert_int_eq(CALL(WF_NR_futex, G(W1), WAIT | PRIV, 6), -EAGAIN);
	ck_assert_int_eq(CALL(WF_NR_futex, G(W1), WAIT_BITSET | PRIV, 5, 0, 0, 0), -EINVAL);
	ck_assert_int_eq(CALL(WF_NR_futex, G(W1), WAIT | PRIV | CLOCK_RT, 5), -ENOSYS);
	ck_assert_int_eq(CALL(WF_NR_futex, TP_BAD, WAIT | PRIV, 5), -EFAULT);
	/* Timeouts: read and checked first; an absolute one in the past times out at once. */
	int64_t ts[2] = {0, 1000000000};
	tp_put(&f, TS, ts, sizeof(ts));
	ck_assert_int_eq(CALL(WF_NR_futex, G(W1), WAIT | PRIV, 5, G(TS)), -EINVAL);
	ck_assert_int_eq(CALL(WF_NR_futex, G(W1), WAIT | PRIV | CLOCK_RT, 5, TP_BAD), -EFAULT);
	ts[1] = 0;
	tp_put(&f, TS, ts, sizeof(ts));
	ck_assert_int_eq(CALL(WF_NR_futex, G(W1), WAIT_BITSET | PRIV, 5, G(TS), 0, ~0u),
			 -ETIMEDOUT);
	ck_assert(!f.p.resched);
	/* Wakes: nobody waits; a private key needs no page, a shared one does. */
	ck_assert_int_eq(CALL(WF_NR_futex, G(W1), WAKE | PRIV, 1), 0);
	ck_assert_int_eq(CALL(WF_NR_futex, TP_BAD, WAKE | PRIV, 1), 0);
	ck_assert_int_eq(CALL(WF_NR_futex, TP_BAD, WAKE, 1), -EFAULT);
	ck_assert_int_eq(CALL(WF_NR_futex, G(W1), WAKE_BITSET | PRIV, 1, 0, 0, 0), -EINVAL);
	ck_assert_int_eq(CALL(WF_NR_futex, G(W1), REQUEUE | PRIV, (uint64_t)-1, 1, G(W2)), -EINVAL);
	ck_assert_int_eq(CALL(WF_NR_futex, G(W1), CMP_REQUEUE | PRIV, 1, 1, G(W2), 4), -EAGAIN);
	ck_assert_int_eq(CALL(WF_NR_futex, G(W1), LOCK_PI | PRIV), -ENOSYS);
	ck_assert_int_eq(CALL(WF_NR_futex, G(W1), 99), -ENOSYS);
	/* Wake-op: *W2 = old + 3 even when the comparison is unknown (ENOSYS after the store). */
	set_word(W2, 10);
	uint64_t add3_eq10 = (1u << 28) | (0u << 24) | (3u << 12) | 10u;
	ck_assert_int_eq(CALL(WF_NR_futex, G(W1), WAKE_OP | PRIV, 1, 1, G(W2), add3_eq10), 0);
	ck_assert_uint_eq(word(W2), 13);
	ck_assert_int_eq(CALL(WF_NR_futex, G(W1), WAKE_OP | PRIV, 1, 1, G(W2), (7u << 28)), -ENOSYS);
	ck_assert_int_eq(CALL(WF_NR_futex, G(W1), WAKE_OP | PRIV, 1, 1, G(W2),
			      (1u << 28) | (9u << 24) | (1u << 12)),
			 -ENOSYS);
	ck_assert_uint_eq(word(W2), 14);
}
END_TEST

/* Main and two threads all wait on W1 (main last); returns the threads' tids. */
static void three_waiters(int64_t *t1, int64_t *t2, uint64_t op, uint32_t b1, uint32_t b2,
			  uint32_t bmain)
{
	set_word(W1, 0);
	*t1 = spawn(STACK1);
	*t2 = spawn(STACK2);
	ck_assert_int_eq(CALL(WF_NR_futex, G(W1), op, 0, 0, 0, bmain), 0); /* main blocks */
	ck_assert_int_eq(f.p.tid, *t1);
	ck_assert_int_eq(CALL(WF_NR_futex, G(W1), op, 0, 0, 0, b1), 0); /* t1 blocks */
	ck_assert_int_eq(f.p.tid, *t2);
	(void)b2;
}

START_TEST(test_futex_fifo_and_bitsets)
{
	int64_t t1, t2;
	three_waiters(&t1, &t2, WAIT_BITSET | PRIV, 1, 2, 2);
	/* t2 runs: a wake for bit 2 takes main (bitset 2) and not t1 (bitset 1). */
	ck_assert_int_eq(CALL(WF_NR_futex, G(W1), WAKE_BITSET | PRIV, 5, 0, 0, 2), 1);
	ck_assert_int_eq(f.p.thr[0].state, WF_THR_READY);
	ck_assert_int_eq(f.p.thr[1].state, WF_THR_FUTEX);
	/* A shared wake does not reach private waiters; n = 0 still wakes one (Linux). */
	ck_assert_int_eq(CALL(WF_NR_futex, G(W1), WAKE, 1), 0);
	ck_assert_int_eq(CALL(WF_NR_futex, G(W1), WAKE | PRIV, 0), 1);
	ck_assert_int_eq(f.p.thr[1].state, WF_THR_READY);
	ck_assert_uint_eq(f.p.thr[1].regs.x[0], 0);
}
END_TEST

START_TEST(test_futex_requeue)
{
	int64_t t1, t2;
	three_waiters(&t1, &t2, WAIT | PRIV, 0, 0, 0);
	/* t2: wake 1 (the oldest, main), move 1 (t1) to W2; FIFO order. */
	ck_assert_int_eq(CALL(WF_NR_futex, G(W1), CMP_REQUEUE | PRIV, 1, 1, G(W2), 0), 2);
	ck_assert_int_eq(f.p.thr[0].state, WF_THR_READY);
	ck_assert_int_eq(f.p.thr[1].state, WF_THR_FUTEX);
	ck_assert_uint_eq(f.p.thr[1].futex, G(W2));
	ck_assert_int_eq(CALL(WF_NR_futex, G(W1), WAKE | PRIV, 10), 0);
	ck_assert_int_eq(CALL(WF_NR_futex, G(W2), WAKE | PRIV, 10), 1);
}
END_TEST

START_TEST(test_join_and_exits)
{
	/* Main waits on the child's tid word (shared, as pthread_join); the child exits. */
	int64_t t1 = spawn(STACK1);
	ck_assert_uint_eq(word(CTID), 0);
	set_word(CTID, (uint32_t)t1);
	ck_assert_int_eq(CALL(WF_NR_futex, G(CTID), WAIT, (uint64_t)t1), 0);
	ck_assert_int_eq(f.p.tid, t1);
	ck_assert_uint_eq(f.p.regs->sp, G(STACK1));
	ck_assert_uint_eq(f.p.regs->x[0], 0);   /* clone's result in the child */
	ck_assert_uint_eq(f.p.regs->tpidr, 0x7777);
	ck_assert_uint_eq(f.p.regs->flags & (1u << WF_FRAME_F_LOAD_FP_BIT),
			  1u << WF_FRAME_F_LOAD_FP_BIT);
	CALL(WF_NR_exit, 3);
	ck_assert(!f.p.exited);
	ck_assert_uint_eq(word(CTID), 0);       /* cleared, and main woken */
	ck_assert_int_eq(f.p.tid, TP_PID);
	ck_assert_uint_eq(f.p.regs->x[0], 0);   /* its futex wait returned 0 */
	ck_assert_uint_eq(f.p.regs->sp, G(MSTACK));
	ck_assert_int_eq(f.p.live, 1);
	ck_assert_int_eq(wf_thread_find(&f.p, (int32_t)t1), -1);
	/* The slot is reused, the tid is not. */
	ck_assert_int_eq(spawn(STACK1), t1 + 1);
	ck_assert_int_eq(wf_thread_find(&f.p, (int32_t)t1 + 1), 1);
	/* Main leaves first (pthread_exit): its status is the process's at the end. */
	CALL(WF_NR_exit, 7);
	ck_assert_int_eq(f.p.tid, t1 + 1);
	CALL(WF_NR_exit, 9);
	ck_assert(f.p.exited);
	ck_assert_int_eq(f.p.exit_status, 7);
}
END_TEST

START_TEST(test_signals_to_threads)
{
	struct wf_sigaction sa = {.handler = 0x401000};
	tp_put(&f, ARGS, &sa, sizeof(sa));
	ck_assert_int_eq(CALL(WF_NR_rt_sigaction, WF_SIGUSR1, G(ARGS), 0, 8), 0);
	int64_t t1 = spawn(STACK1);
	set_word(W1, 0);
	/* t1 runs (main yields), waits; main sends it SIGUSR1: its wait ends to take it. */
	ck_assert_int_eq(CALL(WF_NR_sched_yield), 0);
	ck_assert_int_eq(f.p.tid, t1);
	ck_assert_int_eq(CALL(WF_NR_futex, G(W1), WAIT | PRIV, 0), 0);
	ck_assert_int_eq(f.p.tid, TP_PID);
	ck_assert_int_eq(CALL(WF_NR_tgkill, TP_PID, (uint64_t)t1, WF_SIGUSR1), 0);
	ck_assert_int_eq(f.p.thr[1].state, WF_THR_READY);
	ck_assert_int_eq(f.p.thr[1].sx_ret, -WF_ERESTARTSYS);
	ck_assert_int_eq(CALL(WF_NR_tgkill, TP_PID, 99999, WF_SIGUSR1), -ESRCH);
	/* Main yields: t1 runs its handler, its wait interrupted (no SA_RESTART: EINTR). */
	CALL(WF_NR_sched_yield);
	ck_assert_int_eq(f.p.tid, t1);
	ck_assert_uint_eq(f.p.regs->pc, 0x401000);
	ck_assert_uint_eq(f.p.regs->x[0], WF_SIGUSR1);
	/* A fatal signal to another thread ends the process at once. */
	CALL(WF_NR_tgkill, TP_PID, TP_PID, WF_SIGTERM);
	ck_assert_int_eq(f.p.killed_by, WF_SIGTERM);
}
END_TEST

START_TEST(test_other_threads_tids)
{
	/* kill() and the calls about the whole process take any thread's tid, as on Linux. */
	int64_t t1 = spawn(STACK1);
	ck_assert_int_gt(t1, TP_PID);
	ck_assert_int_eq(CALL(WF_NR_getpgid, (uint64_t)t1), TP_PID);
	ck_assert_int_eq(CALL(WF_NR_getpgid, (uint64_t)t1 + 100), -ESRCH);
	ck_assert_int_eq(CALL(WF_NR_kill, (uint64_t)t1, 0), 0);
	ck_assert_int_eq(CALL(WF_NR_kill, (uint64_t)t1 + 100, 0), -ESRCH);

	/* Ignoring a signal discards it from every thread's queue, parked ones' too. */
	struct wf_sigaction sa = {.handler = 0x401000};
	tp_put(&f, ARGS, &sa, sizeof(sa));
	ck_assert_int_eq(CALL(WF_NR_rt_sigaction, WF_SIGUSR2, G(ARGS), 0, 8), 0);
	uint64_t set = 1ull << (WF_SIGUSR2 - 1);
	tp_put(&f, ARGS + 64, &set, 8);
	/* t1 blocks SIGUSR2 and waits; main sends it one, which stays pending on t1. */
	ck_assert_int_eq(CALL(WF_NR_sched_yield), 0);
	ck_assert_int_eq(f.p.tid, t1);
	ck_assert_int_eq(CALL(WF_NR_rt_sigprocmask, 0 /* SIG_BLOCK */, G(ARGS + 64), 0, 8), 0);
	set_word(W1, 0);
	ck_assert_int_eq(CALL(WF_NR_futex, G(W1), WAIT | PRIV, 0), 0);
	ck_assert_int_eq(f.p.tid, TP_PID);
	ck_assert_int_eq(CALL(WF_NR_tgkill, TP_PID, (uint64_t)t1, WF_SIGUSR2), 0);
	ck_assert(f.p.thr[1].sig.pending.set & set);
	struct wf_sigaction ign = {.handler = WF_SIG_IGN};
	tp_put(&f, ARGS, &ign, sizeof(ign));
	ck_assert_int_eq(CALL(WF_NR_rt_sigaction, WF_SIGUSR2, G(ARGS), 0, 8), 0);
	ck_assert(!(f.p.thr[1].sig.pending.set & set));
}
END_TEST

START_TEST(test_sleep_lets_others_run)
{
	int64_t t1 = spawn(STACK1);
	int64_t ts[2] = {5, 0};
	tp_put(&f, TS, ts, sizeof(ts));
	ck_assert_int_eq(CALL(WF_NR_nanosleep, G(TS), G(TS)), 0);
	ck_assert_int_eq(f.p.tid, t1);
	ck_assert_int_eq(f.p.thr[0].state, WF_THR_SLEEP);
	int64_t until;
	f.p.resched = true; /* as if t1 waited too: the sleeper's deadline is next */
	wf_thread_park(&f.p, NULL);
	f.p.thr[1].state = WF_THR_FUTEX;
	ck_assert_int_eq(wf_thread_pick(&f.p, wf_thread_now(), &until), -1);
	ck_assert_int_gt(until, wf_thread_now() + 4000000000ll);
	ck_assert_int_eq(wf_thread_pick(&f.p, until, &until), 0);
	ck_assert_int_eq(f.p.thr[0].sx_ret, 0);
}
END_TEST

START_TEST(test_yield_ends_expired_sleep)
{
	/* t1 sleeps 1 ms; main spins on sched_yield: once the time is up, t1 runs. */
	int64_t t1 = spawn(STACK1);
	ck_assert_int_eq(CALL(WF_NR_sched_yield), 0);
	ck_assert_int_eq(f.p.tid, t1);
	int64_t ts[2] = {0, 1000000};
	tp_put(&f, TS, ts, sizeof(ts));
	CALL(WF_NR_nanosleep, G(TS), 0);
	ck_assert_int_eq(f.p.tid, TP_PID);
	int64_t until = wf_thread_now() + 5000000;
	while (wf_thread_now() < until)
		;
	CALL(WF_NR_sched_yield);
	ck_assert_int_eq(f.p.tid, t1);
	ck_assert_uint_eq(f.p.regs->x[0], 0); /* its nanosleep returned 0 */
}
END_TEST

int main(void)
{
	Suite *s = suite_create("thread");
	TCase *tc = tcase_create("thread");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_clone_rules);
	tcase_add_test(tc, test_setpgid_of_a_thread);
	tcase_add_test(tc, test_thread_cap);
	tcase_add_test(tc, test_futex_errors);
	tcase_add_test(tc, test_futex_fifo_and_bitsets);
	tcase_add_test(tc, test_futex_requeue);
	tcase_add_test(tc, test_join_and_exits);
	tcase_add_test(tc, test_signals_to_threads);
	tcase_add_test(tc, test_other_threads_tids);
	tcase_add_test(tc, test_sleep_lets_others_run);
	tcase_add_test(tc, test_yield_ends_expired_sleep);
	suite_add_tcase(s, tc);
	return wf_check_run(s);
}
