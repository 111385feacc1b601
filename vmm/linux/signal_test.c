// SPDX-License-Identifier: Apache-2.0
/* signal_test.c: Check tests for the signal family: actions, masks, pending sets, delivery. */
#include <check.h>
#include <errno.h>
#include <string.h>

#include "linux/testproc.h"
#include "linux/signals.h"
#include "check_main.h"

#define BIT(s) (1ull << ((s) - 1))
#define PENDING (f.p.sigthr.pending.set | f.p.sigshared.set)

enum { SA = 0x100, OSA = 0x200, SET = 0x300, OSET = 0x308, SS = 0x400, OSS = 0x420 };
enum { STACK = 0xf000, HANDLER = 0x401000 };

static struct tp f;
static struct wf_abi_frame regs;

static void setup(void)
{
	tp_init_fixed(&f);
	tp_regs(&f, &regs, STACK);
}

static void teardown(void)
{
	tp_fini(&f);
}

/* Install handler h for sig (no flags, empty mask). */
static int64_t set_handler(int sig, uint64_t h)
{
	struct wf_sigaction sa = {.handler = h};
	tp_put(&f, SA, &sa, sizeof(sa));
	return SYSR(&f, WF_NR_rt_sigaction, (uint64_t)sig, G(SA), 0, 8);
}

static int64_t set_mask(int how, uint64_t set)
{
	tp_put(&f, SET, &set, sizeof(set));
	return SYSR(&f, WF_NR_rt_sigprocmask, (uint64_t)how, G(SET), 0, 8);
}

START_TEST(test_default_actions)
{
	ck_assert_int_eq(wf_signal_default_action(WF_SIGTERM), WF_SIGDFL_TERM);
	ck_assert_int_eq(wf_signal_default_action(WF_SIGKILL), WF_SIGDFL_TERM);
	ck_assert_int_eq(wf_signal_default_action(WF_SIGPIPE), WF_SIGDFL_TERM);
	ck_assert_int_eq(wf_signal_default_action(WF_SIGSEGV), WF_SIGDFL_CORE);
	ck_assert_int_eq(wf_signal_default_action(WF_SIGABRT), WF_SIGDFL_CORE);
	ck_assert_int_eq(wf_signal_default_action(WF_SIGXFSZ), WF_SIGDFL_CORE);
	ck_assert_int_eq(wf_signal_default_action(WF_SIGCHLD), WF_SIGDFL_IGN);
	ck_assert_int_eq(wf_signal_default_action(WF_SIGWINCH), WF_SIGDFL_IGN);
	ck_assert_int_eq(wf_signal_default_action(WF_SIGTSTP), WF_SIGDFL_STOP);
	ck_assert_int_eq(wf_signal_default_action(WF_SIGSTOP), WF_SIGDFL_STOP);
	ck_assert_int_eq(wf_signal_default_action(WF_SIGRTMIN + 5), WF_SIGDFL_TERM);
	ck_assert_int_eq(wf_signal_default_action(64), WF_SIGDFL_TERM);
	ck_assert_int_eq(wf_signal_default_action(0), -EINVAL);
	ck_assert_int_eq(wf_signal_default_action(65), -EINVAL);
	ck_assert_str_eq(wf_signo_name(WF_SIGSEGV), "SIGSEGV");
	ck_assert_str_eq(wf_signo_name(WF_SIGSYS), "SIGSYS");
	ck_assert_str_eq(wf_signo_name(32), "SIGRTMIN");
	ck_assert_str_eq(wf_signo_name(64), "SIGRT32");
	ck_assert_ptr_null(wf_signo_name(0));
	ck_assert_ptr_null(wf_signo_name(65));
}
END_TEST

START_TEST(test_sigaction)
{
	struct wf_sigaction sa = {.handler = 0x401000,
				  .flags = 0x4 | 0x10000000 | 0x400, /* SIGINFO|RESTART|UNSUPPORTED */
				  .restorer = 0x402000,
				  .mask = BIT(WF_SIGINT) | BIT(WF_SIGKILL) | BIT(WF_SIGSTOP)};
	struct wf_sigaction old;
	tp_put(&f, SA, &sa, sizeof(sa));
	memset(H(&f, OSA), 0xaa, sizeof(old));
	ck_assert_int_eq(SYS(&f, WF_NR_rt_sigaction, WF_SIGUSR1, G(SA), G(OSA), 8), 0);
	memcpy(&old, H(&f, OSA), sizeof(old));
	ck_assert_uint_eq(old.handler, 0); /* the old action: SIG_DFL, all zero */
	ck_assert_uint_eq(old.flags | old.restorer | old.mask, 0);
	/* Read it back: SA_UNSUPPORTED is cleared, SIGKILL/SIGSTOP are never in the mask. */
	ck_assert_int_eq(SYS(&f, WF_NR_rt_sigaction, WF_SIGUSR1, 0, G(OSA), 8), 0);
	memcpy(&old, H(&f, OSA), sizeof(old));
	ck_assert_uint_eq(old.handler, 0x401000);
	ck_assert_uint_eq(old.flags, 0x4 | 0x10000000);
	ck_assert_uint_eq(old.restorer, 0x402000);
	ck_assert_uint_eq(old.mask, BIT(WF_SIGINT));

	ck_assert_int_eq(SYS(&f, WF_NR_rt_sigaction, WF_SIGUSR1, G(SA), 0, 4), -EINVAL);
	ck_assert_int_eq(SYS(&f, WF_NR_rt_sigaction, 0, G(SA), 0, 8), -EINVAL);
	ck_assert_int_eq(SYS(&f, WF_NR_rt_sigaction, 65, G(SA), 0, 8), -EINVAL);
	ck_assert_int_eq(SYS(&f, WF_NR_rt_sigaction, WF_SIGKILL, G(SA), 0, 8), -EINVAL);
	ck_assert_int_eq(SYS(&f, WF_NR_rt_sigaction, WF_SIGSTOP, G(SA), 0, 8), -EINVAL);
	ck_assert_int_eq(SYS(&f, WF_NR_rt_sigaction, WF_SIGKILL, 0, G(OSA), 8), 0);
	ck_assert_int_eq(SYS(&f, WF_NR_rt_sigaction, WF_SIGUSR2, TP_BAD, 0, 8), -EFAULT);
	ck_assert_uint_eq(f.p.sigact[WF_SIGUSR2].handler, 0);
	/* A bad oact faults after the new action is in place, as in Linux. */
	ck_assert_int_eq(SYS(&f, WF_NR_rt_sigaction, WF_SIGUSR2, G(SA), TP_BAD, 8), -EFAULT);
	ck_assert_uint_eq(f.p.sigact[WF_SIGUSR2].handler, 0x401000);
}
END_TEST

START_TEST(test_sigprocmask)
{
	uint64_t old;
	ck_assert_int_eq(set_mask(0 /* SIG_BLOCK */, BIT(WF_SIGUSR1) | BIT(WF_SIGKILL)), 0);
	ck_assert_uint_eq(f.p.sigthr.blocked, BIT(WF_SIGUSR1)); /* SIGKILL cannot be blocked */
	ck_assert_int_eq(set_mask(0, BIT(WF_SIGINT) | BIT(WF_SIGSTOP)), 0);
	ck_assert_uint_eq(f.p.sigthr.blocked, BIT(WF_SIGUSR1) | BIT(WF_SIGINT));
	ck_assert_int_eq(set_mask(1 /* SIG_UNBLOCK */, BIT(WF_SIGUSR1)), 0);
	ck_assert_uint_eq(f.p.sigthr.blocked, BIT(WF_SIGINT));
	ck_assert_int_eq(set_mask(2 /* SIG_SETMASK */, ~0ull), 0);
	ck_assert_uint_eq(f.p.sigthr.blocked, ~0ull & ~(BIT(WF_SIGKILL) | BIT(WF_SIGSTOP)));

	memset(H(&f, OSET), 0, 8);
	ck_assert_int_eq(SYS(&f, WF_NR_rt_sigprocmask, 0, 0, G(OSET), 8), 0);
	memcpy(&old, H(&f, OSET), 8);
	ck_assert_uint_eq(old, f.p.sigthr.blocked);

	ck_assert_int_eq(set_mask(3, 0), -EINVAL);
	ck_assert_int_eq(SYS(&f, WF_NR_rt_sigprocmask, 3, 0, G(OSET), 8), 0); /* no set: how unused */
	ck_assert_int_eq(SYS(&f, WF_NR_rt_sigprocmask, 0, G(SET), 0, 16), -EINVAL);
	ck_assert_int_eq(SYS(&f, WF_NR_rt_sigprocmask, 0, TP_BAD, 0, 8), -EFAULT);
	ck_assert_int_eq(SYS(&f, WF_NR_rt_sigprocmask, 0, 0, TP_BAD, 8), -EFAULT);
}
END_TEST

START_TEST(test_sigpending)
{
	uint64_t set = ~0ull;
	ck_assert_int_eq(set_mask(0, BIT(WF_SIGUSR1) | BIT(WF_SIGRTMIN + 1)), 0);
	ck_assert_int_eq(SYS(&f, WF_NR_kill, TP_PID, WF_SIGUSR1), 0);
	ck_assert_int_eq(SYS(&f, WF_NR_tkill, TP_PID, WF_SIGRTMIN + 1), 0);
	ck_assert_int_eq(f.p.killed_by, 0);
	tp_put(&f, OSET, &set, sizeof(set));
	ck_assert_int_eq(SYS(&f, WF_NR_rt_sigpending, G(OSET), 8), 0);
	memcpy(&set, H(&f, OSET), 8);
	ck_assert_uint_eq(set, BIT(WF_SIGUSR1) | BIT(WF_SIGRTMIN + 1));
	/* A short set is fine (the low bytes are written), a long one is not. */
	uint32_t words[2] = {0, 0xdeadbeef};
	tp_put(&f, OSET, words, sizeof(words));
	ck_assert_int_eq(SYS(&f, WF_NR_rt_sigpending, G(OSET), 4), 0);
	memcpy(words, H(&f, OSET), 8);
	ck_assert_uint_eq(words[0], (uint32_t)BIT(WF_SIGUSR1));
	ck_assert_uint_eq(words[1], 0xdeadbeef);
	ck_assert_int_eq(SYS(&f, WF_NR_rt_sigpending, G(OSET), 9), -EINVAL);
	ck_assert_int_eq(SYS(&f, WF_NR_rt_sigpending, TP_BAD, 8), -EFAULT);
}
END_TEST

struct g_stack {
	uint64_t sp;
	int32_t flags, pad;
	uint64_t size;
};

static struct g_stack get_altstack(void)
{
	struct g_stack st;
	memset(H(&f, OSS), 0x55, sizeof(st));
	ck_assert_int_eq(SYS(&f, WF_NR_sigaltstack, 0, G(OSS)), 0);
	memcpy(&st, H(&f, OSS), sizeof(st));
	return st;
}

static int64_t set_altstack(uint64_t sp, uint32_t flags, uint64_t size)
{
	struct g_stack st = {.sp = sp, .flags = (int32_t)flags, .size = size};
	tp_put(&f, SS, &st, sizeof(st));
	return SYS(&f, WF_NR_sigaltstack, G(SS), 0);
}

START_TEST(test_sigaltstack)
{
	struct g_stack st = get_altstack();
	ck_assert_int_eq(st.flags, 2 /* SS_DISABLE */);
	ck_assert_uint_eq(st.sp, 0);
	ck_assert_uint_eq(st.size, 0);
	ck_assert_int_eq(st.pad, 0);

	ck_assert_int_eq(set_altstack(G(0x4000), 0, 8192), 0);
	st = get_altstack();
	ck_assert_int_eq(st.flags, 0);
	ck_assert_uint_eq(st.sp, G(0x4000));
	ck_assert_uint_eq(st.size, 8192);

	ck_assert_int_eq(set_altstack(G(0x4000), 0, 5119), -ENOMEM); /* below MINSIGSTKSZ */
	ck_assert_int_eq(set_altstack(G(0x4000), 4, 8192), -EINVAL);
	ck_assert_int_eq(set_altstack(G(0x4000), 3, 8192), -EINVAL);
	ck_assert_uint_eq(get_altstack().size, 8192); /* failures changed nothing */

	ck_assert_int_eq(set_altstack(G(0x8000), 1u << 31 /* SS_AUTODISARM */, 5120), 0);
	st = get_altstack();
	ck_assert_int_eq(st.flags, (int32_t)(1u << 31));
	ck_assert_uint_eq(st.size, 5120);
	ck_assert_int_eq(set_altstack(G(0x8000), 1 /* SS_ONSTACK */, 5120), 0);
	ck_assert_int_eq(get_altstack().flags, 0);

	/* Old and new in one call: old reports the stack before the change. */
	struct g_stack dis = {.flags = 2};
	tp_put(&f, SS, &dis, sizeof(dis));
	ck_assert_int_eq(SYS(&f, WF_NR_sigaltstack, G(SS), G(OSS)), 0);
	memcpy(&st, H(&f, OSS), sizeof(st));
	ck_assert_uint_eq(st.sp, G(0x8000));
	st = get_altstack();
	ck_assert_int_eq(st.flags, 2);
	ck_assert_uint_eq(st.sp, 0);
	ck_assert_uint_eq(st.size, 0);

	ck_assert_int_eq(SYS(&f, WF_NR_sigaltstack, TP_BAD, 0), -EFAULT);
	ck_assert_int_eq(SYS(&f, WF_NR_sigaltstack, 0, TP_BAD), -EFAULT);
}
END_TEST

START_TEST(test_kill_self_terminates)
{
	ck_assert_int_eq(SYSR(&f, WF_NR_kill, TP_PID, WF_SIGTERM), 0);
	ck_assert_int_eq(f.p.killed_by, WF_SIGTERM);
}
END_TEST

START_TEST(test_kill_core_and_targets)
{
	ck_assert_int_eq(SYSR(&f, WF_NR_kill, 999, WF_SIGTERM), -ESRCH);
	ck_assert_int_eq(SYSR(&f, WF_NR_kill, (uint64_t)-1, WF_SIGTERM), -ESRCH);
	/* INT_MIN names no group (-pid would overflow; found by syscall_fuzz under UBSan). */
	ck_assert_int_eq(SYSR(&f, WF_NR_kill, 0x80000000u, WF_SIGTERM), -ESRCH);
	ck_assert_int_eq(SYSR(&f, WF_NR_kill, (uint64_t)-999, WF_SIGTERM), -ESRCH);
	ck_assert_int_eq(SYSR(&f, WF_NR_kill, 999, 65), -ESRCH); /* the target is looked up first */
	ck_assert_int_eq(SYSR(&f, WF_NR_kill, TP_PID, 65), -EINVAL);
	ck_assert_int_eq(SYSR(&f, WF_NR_kill, TP_PID, (uint64_t)-3), -EINVAL);
	ck_assert_int_eq(SYSR(&f, WF_NR_kill, TP_PID, 0), 0); /* the probe */
	ck_assert_int_eq(SYSR(&f, WF_NR_kill, (uint64_t)-TP_PID, 0), 0);
	ck_assert_int_eq(f.p.killed_by, 0);
	ck_assert_int_eq(SYSR(&f, WF_NR_kill, 0, WF_SIGSEGV), 0);
	ck_assert_int_eq(f.p.killed_by, WF_SIGSEGV);
}
END_TEST

START_TEST(test_kill_ignored)
{
	ck_assert_int_eq(SYSR(&f, WF_NR_kill, TP_PID, WF_SIGCHLD), 0);
	ck_assert_int_eq(SYSR(&f, WF_NR_kill, TP_PID, WF_SIGWINCH), 0);
	ck_assert_int_eq(SYSR(&f, WF_NR_kill, TP_PID, WF_SIGSTOP), 0); /* stop: ignored */
	ck_assert_int_eq(SYSR(&f, WF_NR_kill, TP_PID, WF_SIGTSTP), 0);
	ck_assert_int_eq(set_handler(WF_SIGTERM, WF_SIG_IGN), 0);
	ck_assert_int_eq(SYSR(&f, WF_NR_kill, TP_PID, WF_SIGTERM), 0);
	ck_assert_int_eq(f.p.killed_by, 0);
	ck_assert_uint_eq(PENDING, 0);
	/* SIGKILL cannot be blocked or caught. */
	ck_assert_int_eq(set_mask(2, ~0ull), 0);
	ck_assert_int_eq(SYSR(&f, WF_NR_kill, TP_PID, WF_SIGKILL), 0);
	ck_assert_int_eq(f.p.killed_by, WF_SIGKILL);
}
END_TEST

START_TEST(test_kill_runs_handler)
{
	/* kill returns 0, then the way back to the guest enters the handler. */
	ck_assert_int_eq(set_handler(WF_SIGUSR1, HANDLER), 0);
	ck_assert_int_eq(SYSR(&f, WF_NR_kill, TP_PID, WF_SIGUSR1), 0);
	ck_assert_int_eq(f.p.killed_by, 0);
	ck_assert_uint_eq(PENDING, 0);
	ck_assert_uint_eq(regs.pc, HANDLER);
	ck_assert_uint_eq(regs.x[0], WF_SIGUSR1);
	ck_assert_uint_eq(f.p.sigthr.blocked, BIT(WF_SIGUSR1)); /* blocked while it runs */
}
END_TEST

START_TEST(test_ignoring_discards_pending)
{
	/* Setting SIG_IGN discards a pending signal (POSIX), as does SIG_DFL for an
	 * ignore-by-default one, blocked or not. */
	ck_assert_int_eq(set_mask(0, BIT(WF_SIGUSR1) | BIT(WF_SIGCHLD)), 0);
	ck_assert_int_eq(set_handler(WF_SIGUSR1, HANDLER), 0);
	ck_assert_int_eq(SYSR(&f, WF_NR_kill, TP_PID, WF_SIGUSR1), 0);
	ck_assert_int_eq(SYSR(&f, WF_NR_tkill, TP_PID, WF_SIGUSR1), 0);
	ck_assert_uint_eq(f.p.sigshared.set, BIT(WF_SIGUSR1));
	ck_assert_uint_eq(f.p.sigthr.pending.set, BIT(WF_SIGUSR1));
	ck_assert_int_eq(set_handler(WF_SIGUSR1, WF_SIG_IGN), 0);
	ck_assert_uint_eq(PENDING, 0);
	ck_assert_int_eq(set_handler(WF_SIGCHLD, HANDLER), 0);
	ck_assert_int_eq(SYSR(&f, WF_NR_kill, TP_PID, WF_SIGCHLD), 0);
	ck_assert_uint_eq(PENDING, BIT(WF_SIGCHLD));
	ck_assert_int_eq(set_handler(WF_SIGCHLD, WF_SIG_DFL), 0);
	ck_assert_uint_eq(PENDING, 0);
	ck_assert_uint_eq(regs.pc, G(0x100)); /* nothing ran */
}
END_TEST

START_TEST(test_blocked_then_unblocked)
{
	ck_assert_int_eq(set_mask(0, BIT(WF_SIGTERM) | BIT(WF_SIGHUP)), 0);
	ck_assert_int_eq(SYSR(&f, WF_NR_kill, TP_PID, WF_SIGTERM), 0);
	ck_assert_int_eq(f.p.killed_by, 0);
	ck_assert_uint_eq(PENDING, BIT(WF_SIGTERM));
	/* Unblocking something else changes nothing. */
	ck_assert_int_eq(set_mask(1, BIT(WF_SIGHUP)), 0);
	ck_assert_int_eq(f.p.killed_by, 0);
	/* Unblocking SIGTERM delivers it: the default action ends the process. */
	ck_assert_int_eq(set_mask(1, BIT(WF_SIGTERM)), 0);
	ck_assert_int_eq(f.p.killed_by, WF_SIGTERM);
	ck_assert_uint_eq(PENDING, 0);
}
END_TEST

START_TEST(test_blocked_ignored_dropped_on_unblock)
{
	/* A blocked signal is queued even when ignored; on unblock the ignore drops it. */
	ck_assert_int_eq(set_mask(0, BIT(WF_SIGCHLD)), 0);
	ck_assert_int_eq(SYSR(&f, WF_NR_kill, TP_PID, WF_SIGCHLD), 0);
	ck_assert_uint_eq(PENDING, BIT(WF_SIGCHLD));
	ck_assert_int_eq(set_mask(2, 0), 0);
	ck_assert_uint_eq(PENDING, 0);
	ck_assert_int_eq(f.p.killed_by, 0);
	/* The lowest pending fatal signal wins when several are unblocked at once. */
	ck_assert_int_eq(set_mask(0, BIT(WF_SIGUSR2) | BIT(WF_SIGQUIT)), 0);
	ck_assert_int_eq(SYSR(&f, WF_NR_kill, TP_PID, WF_SIGUSR2), 0);
	ck_assert_int_eq(SYSR(&f, WF_NR_kill, TP_PID, WF_SIGQUIT), 0);
	ck_assert_int_eq(set_mask(2, 0), 0);
	ck_assert_int_eq(f.p.killed_by, WF_SIGQUIT);
}
END_TEST

START_TEST(test_tkill_tgkill)
{
	ck_assert_int_eq(SYSR(&f, WF_NR_tkill, 0, WF_SIGTERM), -EINVAL);
	ck_assert_int_eq(SYSR(&f, WF_NR_tkill, (uint64_t)-5, WF_SIGTERM), -EINVAL);
	ck_assert_int_eq(SYSR(&f, WF_NR_tkill, 999, WF_SIGTERM), -ESRCH);
	ck_assert_int_eq(SYSR(&f, WF_NR_tkill, TP_PID, 65), -EINVAL);
	ck_assert_int_eq(SYSR(&f, WF_NR_tgkill, 0, TP_PID, WF_SIGTERM), -EINVAL);
	ck_assert_int_eq(SYSR(&f, WF_NR_tgkill, TP_PID, 0, WF_SIGTERM), -EINVAL);
	ck_assert_int_eq(SYSR(&f, WF_NR_tgkill, TP_PID, 999, WF_SIGTERM), -ESRCH);
	ck_assert_int_eq(SYSR(&f, WF_NR_tgkill, 999, TP_PID, WF_SIGTERM), -ESRCH);
	ck_assert_int_eq(SYSR(&f, WF_NR_tgkill, TP_PID, TP_PID, 65), -EINVAL);
	ck_assert_int_eq(SYSR(&f, WF_NR_tgkill, TP_PID, TP_PID, 0), 0);
	ck_assert_int_eq(f.p.killed_by, 0);
	/* raise(SIGABRT) as glibc's abort() does it. */
	ck_assert_int_eq(SYSR(&f, WF_NR_tgkill, TP_PID, TP_PID, WF_SIGABRT), 0);
	ck_assert_int_eq(f.p.killed_by, WF_SIGABRT);
}
END_TEST

START_TEST(test_signal_send_helper)
{
	ck_assert_int_eq(wf_signal_send(&f.p, 0), -EINVAL);
	ck_assert_int_eq(wf_signal_send(&f.p, 65), -EINVAL);
	ck_assert_int_eq(wf_signal_send(&f.p, WF_SIGURG), 0); /* ignored by default: dropped */
	ck_assert_uint_eq(PENDING, 0);
	f.p.sigthr.blocked = BIT(WF_SIGBUS);
	ck_assert_int_eq(wf_signal_send(&f.p, WF_SIGBUS), 0);
	ck_assert_uint_eq(f.p.sigshared.set, BIT(WF_SIGBUS));
	ck_assert_int_eq(wf_signal_send(&f.p, WF_SIGILL), 0);
	ck_assert_int_eq(f.p.killed_by, 0); /* only the return to the guest acts */
	tp_return(&f);
	ck_assert_int_eq(f.p.killed_by, WF_SIGILL);
	ck_assert_uint_eq(f.p.sigshared.set, BIT(WF_SIGBUS));
}
END_TEST

/* The handler's siginfo, read back from the frame it was given (x1). */
static void handler_info(int32_t *signo, int32_t *code, int32_t *pid)
{
	const uint8_t *si = H(&f, regs.x[1] - TP_FIXED_BASE);
	memcpy(signo, si, 4);
	memcpy(code, si + 8, 4);
	memcpy(pid, si + 16, 4);
}

START_TEST(test_delivery_order)
{
	/* Pending together: faults first, then the thread's set (lowest first, synchronous
	 * signals before the rest), then the process's. Each frame is built on the previous
	 * one, so the last one delivered runs first. */
	struct wf_sigaction sa = {.handler = HANDLER, .flags = WF_SA_SIGINFO};
	tp_put(&f, SA, &sa, sizeof(sa));
	const int sigs[] = {WF_SIGHUP, WF_SIGUSR1, WF_SIGUSR2, WF_SIGSEGV, WF_SIGRTMIN};
	for (int i = 0; i < 5; i++)
		ck_assert_int_eq(SYS(&f, WF_NR_rt_sigaction, sigs[i], G(SA), 0, 8), 0);
	ck_assert_int_eq(set_mask(2, ~0ull), 0);
	ck_assert_int_eq(SYSR(&f, WF_NR_kill, TP_PID, WF_SIGHUP), 0);     /* process */
	ck_assert_int_eq(SYSR(&f, WF_NR_tkill, TP_PID, WF_SIGRTMIN), 0);  /* thread */
	ck_assert_int_eq(SYSR(&f, WF_NR_tkill, TP_PID, WF_SIGUSR2), 0);   /* thread */
	ck_assert_int_eq(SYSR(&f, WF_NR_tkill, TP_PID, WF_SIGUSR1), 0);   /* thread */
	ck_assert_int_eq(SYSR(&f, WF_NR_tkill, TP_PID, WF_SIGSEGV), 0);   /* thread, sync */
	uint64_t frames[6]; /* frames[k]: the k-th frame built; frames[0]: the stack before */
	frames[0] = regs.sp;
	ck_assert_int_eq(set_mask(2, 0), 0);
	/* Five frames, each below the last; walk them back with their saved sp. */
	frames[5] = regs.sp;
	for (int k = 5; k > 1; k--)
		memcpy(&frames[k - 1], H(&f, frames[k] + 128 + 176 + 256 - TP_FIXED_BASE), 8);
	uint64_t before;
	memcpy(&before, H(&f, frames[1] + 128 + 176 + 256 - TP_FIXED_BASE), 8);
	ck_assert_uint_eq(before, frames[0]);
	/* Running first (the last built): SIGHUP, the process's, with SI_USER from us. */
	int32_t signo, code, pid;
	handler_info(&signo, &code, &pid);
	ck_assert_int_eq(signo, WF_SIGHUP);
	ck_assert_int_eq(code, 0 /* SI_USER */);
	ck_assert_int_eq(pid, TP_PID);
	ck_assert_uint_eq(regs.x[0], WF_SIGHUP);
	/* Built in this order: each frame saved the x0 of the previous handler's entry. */
	const int built[4] = {WF_SIGSEGV, WF_SIGUSR1, WF_SIGUSR2, WF_SIGRTMIN};
	for (int k = 2; k <= 5; k++) {
		uint64_t x0;
		memcpy(&x0, H(&f, frames[k] + 128 + 176 + 8 - TP_FIXED_BASE), 8);
		ck_assert_uint_eq(x0, (uint64_t)built[k - 2]);
	}
	ck_assert_uint_eq(PENDING, 0);
}
END_TEST

START_TEST(test_fault_goes_first)
{
	struct wf_sigaction sa = {.handler = HANDLER, .flags = WF_SA_SIGINFO};
	tp_put(&f, SA, &sa, sizeof(sa));
	ck_assert_int_eq(SYS(&f, WF_NR_rt_sigaction, WF_SIGILL, G(SA), 0, 8), 0);
	ck_assert_int_eq(SYS(&f, WF_NR_rt_sigaction, WF_SIGTRAP, G(SA), 0, 8), 0);
	f.p.sigthr.blocked = BIT(WF_SIGTRAP);
	ck_assert_int_eq(SYSR(&f, WF_NR_tkill, TP_PID, WF_SIGTRAP), 0);
	f.p.sigthr.blocked = 0;
	/* A fault raised now is delivered before the (lower) sent SIGTRAP: built first. */
	struct wf_fault flt = {.sig = WF_SIGILL, .code = WF_ILL_ILLOPC, .addr = G(0x100)};
	wf_signal_fault(&f.p, &flt);
	tp_return(&f);
	int32_t signo, code, pid;
	handler_info(&signo, &code, &pid);
	ck_assert_int_eq(signo, WF_SIGTRAP); /* runs first: built last */
	ck_assert_int_eq(code, -6 /* SI_TKILL */);
}
END_TEST

START_TEST(test_handler_masks)
{
	/* sa_mask and the signal itself are blocked while the handler runs... */
	struct wf_sigaction sa = {.handler = HANDLER, .mask = BIT(WF_SIGUSR2) | BIT(WF_SIGKILL)};
	tp_put(&f, SA, &sa, sizeof(sa));
	ck_assert_int_eq(SYS(&f, WF_NR_rt_sigaction, WF_SIGUSR1, G(SA), 0, 8), 0);
	ck_assert_int_eq(SYSR(&f, WF_NR_tkill, TP_PID, WF_SIGUSR1), 0);
	ck_assert_uint_eq(f.p.sigthr.blocked, BIT(WF_SIGUSR1) | BIT(WF_SIGUSR2));
	/* ...not the signal itself with SA_NODEFER; SA_RESETHAND makes the next one default. */
	f.p.sigthr.blocked = 0;
	sa.flags = WF_SA_NODEFER | WF_SA_RESETHAND;
	tp_put(&f, SA, &sa, sizeof(sa));
	ck_assert_int_eq(SYS(&f, WF_NR_rt_sigaction, WF_SIGUSR1, G(SA), 0, 8), 0);
	ck_assert_int_eq(SYSR(&f, WF_NR_tkill, TP_PID, WF_SIGUSR1), 0);
	ck_assert_uint_eq(f.p.sigthr.blocked, BIT(WF_SIGUSR2));
	ck_assert_uint_eq(f.p.sigact[WF_SIGUSR1].handler, WF_SIG_DFL);
	ck_assert_int_eq(f.p.killed_by, 0);
	ck_assert_int_eq(SYSR(&f, WF_NR_tkill, TP_PID, WF_SIGUSR1), 0);
	ck_assert_int_eq(f.p.killed_by, WF_SIGUSR1);
}
END_TEST

START_TEST(test_fault_while_blocked_is_fatal)
{
	/* force_sig_fault: a fault whose signal is blocked (a SEGV inside the SEGV handler)
	 * or ignored resets the action to SIG_DFL and kills. */
	ck_assert_int_eq(set_handler(WF_SIGSEGV, HANDLER), 0);
	struct wf_fault flt = {.sig = WF_SIGSEGV, .code = WF_SEGV_MAPERR, .addr = 16,
			       .set_fault = true, .fault_address = 16, .fault_code = 0x92000006};
	wf_signal_fault(&f.p, &flt);
	tp_return(&f);
	ck_assert_int_eq(f.p.killed_by, 0);
	ck_assert_uint_eq(regs.pc, HANDLER);
	wf_signal_fault(&f.p, &flt); /* again, inside the handler */
	tp_return(&f);
	ck_assert_int_eq(f.p.killed_by, WF_SIGSEGV);
	ck_assert_uint_eq(f.p.sigact[WF_SIGSEGV].handler, WF_SIG_DFL);
	ck_assert_uint_eq(f.p.sigthr.fault_code, 0x92000006);
}
END_TEST

START_TEST(test_fault_ignored_is_fatal)
{
	ck_assert_int_eq(set_handler(WF_SIGILL, WF_SIG_IGN), 0);
	struct wf_fault flt = {.sig = WF_SIGILL, .code = WF_ILL_ILLOPC, .addr = G(0x100)};
	wf_signal_fault(&f.p, &flt);
	tp_return(&f);
	ck_assert_int_eq(f.p.killed_by, WF_SIGILL);
}
END_TEST

START_TEST(test_realtime_queue)
{
	/* Real-time signals queue every instance; standard ones are pending once. */
	ck_assert_int_eq(set_mask(2, ~0ull), 0);
	for (int i = 0; i < 3; i++) {
		ck_assert_int_eq(SYSR(&f, WF_NR_tkill, TP_PID, WF_SIGRTMIN + 1), 0);
		ck_assert_int_eq(SYSR(&f, WF_NR_tkill, TP_PID, WF_SIGUSR1), 0);
	}
	ck_assert_uint_eq(f.p.sigthr.pending.nrt, 3);
	for (int i = 3; i < WF_SIGQ_RT; i++)
		ck_assert_int_eq(SYSR(&f, WF_NR_tkill, TP_PID, WF_SIGRTMIN), 0);
	ck_assert_int_eq(SYSR(&f, WF_NR_tkill, TP_PID, WF_SIGRTMIN), -EAGAIN);
	/* Unblocked with handlers: one frame per instance, 32 + 1. */
	ck_assert_int_eq(set_handler(WF_SIGRTMIN, HANDLER), 0);
	ck_assert_int_eq(set_handler(WF_SIGRTMIN + 1, HANDLER), 0);
	ck_assert_int_eq(set_handler(WF_SIGUSR1, HANDLER), 0);
	uint64_t top = regs.sp;
	f.p.sigthr.blocked = 0;
	struct wf_sigaction sa = {.handler = HANDLER, .flags = WF_SA_NODEFER};
	tp_put(&f, SA, &sa, sizeof(sa));
	ck_assert_int_eq(SYS(&f, WF_NR_rt_sigaction, WF_SIGRTMIN, G(SA), 0, 8), 0);
	ck_assert_int_eq(SYS(&f, WF_NR_rt_sigaction, WF_SIGRTMIN + 1, G(SA), 0, 8), 0);
	ck_assert_int_eq(SYS(&f, WF_NR_rt_sigaction, WF_SIGUSR1, G(SA), 0, 8), 0);
	/* Fake RAM holds 13 frames: the rest cannot be delivered (SIGSEGV kills). */
	tp_return(&f);
	ck_assert_int_eq(f.p.killed_by, WF_SIGSEGV);
	ck_assert_uint_lt(regs.sp, top);
}
END_TEST

START_TEST(test_sigsuspend)
{
	/* A blocked pending signal; rt_sigsuspend unblocks it: its handler runs, the call
	 * fails with EINTR, and the frame saves the mask from before the call. */
	ck_assert_int_eq(set_handler(WF_SIGUSR1, HANDLER), 0);
	ck_assert_int_eq(set_mask(2, BIT(WF_SIGUSR1) | BIT(WF_SIGHUP)), 0);
	ck_assert_int_eq(SYSR(&f, WF_NR_tkill, TP_PID, WF_SIGUSR1), 0);
	uint64_t tmp = BIT(WF_SIGHUP) | BIT(WF_SIGTERM);
	tp_put(&f, SET, &tmp, sizeof(tmp));
	uint64_t pc = regs.pc;
	ck_assert_int_eq(SYSR(&f, WF_NR_rt_sigsuspend, G(SET), 8), -WF_ERESTARTNOHAND);
	ck_assert_uint_eq(regs.pc, HANDLER);
	ck_assert_uint_eq(f.p.sigthr.blocked, tmp | BIT(WF_SIGUSR1));
	uint64_t saved, x0, spc;
	memcpy(&saved, H(&f, regs.sp + 128 + 40 - TP_FIXED_BASE), 8);
	memcpy(&x0, H(&f, regs.sp + 128 + 176 + 8 - TP_FIXED_BASE), 8);
	memcpy(&spc, H(&f, regs.sp + 128 + 176 + 264 - TP_FIXED_BASE), 8);
	ck_assert_uint_eq(saved, BIT(WF_SIGUSR1) | BIT(WF_SIGHUP));
	ck_assert_int_eq((int64_t)x0, -EINTR);
	ck_assert_uint_eq(spc, pc); /* after the svc: not restarted */
	ck_assert_int_eq(SYS(&f, WF_NR_rt_sigsuspend, G(SET), 4), -EINVAL);
	ck_assert_int_eq(SYS(&f, WF_NR_rt_sigsuspend, TP_BAD, 8), -EFAULT);
}
END_TEST

START_TEST(test_sigsuspend_restarts)
{
	/* Woken by a signal that is then ignored: no handler ran, so the call restarts (pc back
	 * on the svc, x0 as it was) and the old mask is back. */
	ck_assert_int_eq(set_mask(2, BIT(WF_SIGCHLD)), 0);
	ck_assert_int_eq(SYSR(&f, WF_NR_kill, TP_PID, WF_SIGCHLD), 0);
	uint64_t tmp = 0;
	tp_put(&f, SET, &tmp, sizeof(tmp));
	uint64_t pc = regs.pc;
	ck_assert_int_eq(SYSR(&f, WF_NR_rt_sigsuspend, G(SET), 8), -WF_ERESTARTNOHAND);
	ck_assert_uint_eq(regs.pc, pc - 4);
	ck_assert_uint_eq(regs.x[0], G(SET));
	ck_assert_uint_eq(f.p.sigthr.blocked, BIT(WF_SIGCHLD));
	ck_assert(!f.p.sigthr.restore_mask);
	ck_assert_uint_eq(PENDING, 0);
}
END_TEST

START_TEST(test_altstack_in_use)
{
	/* On the alternate stack, sigaltstack reports SS_ONSTACK and refuses changes. */
	ck_assert_int_eq(set_altstack(G(0x4000), 0, 8192), 0);
	regs.sp = G(0x5000);
	struct g_stack st = get_altstack();
	ck_assert_int_eq(st.flags, 1 /* SS_ONSTACK */);
	ck_assert_int_eq(set_altstack(G(0x8000), 0, 8192), -EPERM);
	ck_assert_int_eq(set_altstack(G(0x4000), 2, 0), -EPERM);
	regs.sp = G(0x4000); /* the base is not on it; the top is */
	ck_assert_int_eq(get_altstack().flags, 0);
	regs.sp = G(0x6000);
	ck_assert_int_eq(get_altstack().flags, 1);
	/* With SS_AUTODISARM the stack never counts as in use. */
	regs.sp = STACK;
	ck_assert_int_eq(set_altstack(G(0x4000), 1u << 31, 8192), 0);
	regs.sp = G(0x5000);
	ck_assert_int_eq(get_altstack().flags, (int32_t)(1u << 31));
	ck_assert_int_eq(set_altstack(G(0x4000), 2, 0), 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("signal");
	TCase *tc = tcase_create("core");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_default_actions);
	tcase_add_test(tc, test_sigaction);
	tcase_add_test(tc, test_sigprocmask);
	tcase_add_test(tc, test_sigpending);
	tcase_add_test(tc, test_sigaltstack);
	tcase_add_test(tc, test_kill_self_terminates);
	tcase_add_test(tc, test_kill_core_and_targets);
	tcase_add_test(tc, test_kill_ignored);
	tcase_add_test(tc, test_kill_runs_handler);
	tcase_add_test(tc, test_ignoring_discards_pending);
	tcase_add_test(tc, test_blocked_then_unblocked);
	tcase_add_test(tc, test_blocked_ignored_dropped_on_unblock);
	tcase_add_test(tc, test_tkill_tgkill);
	tcase_add_test(tc, test_signal_send_helper);
	tcase_add_test(tc, test_delivery_order);
	tcase_add_test(tc, test_fault_goes_first);
	tcase_add_test(tc, test_handler_masks);
	tcase_add_test(tc, test_fault_while_blocked_is_fatal);
	tcase_add_test(tc, test_fault_ignored_is_fatal);
	tcase_add_test(tc, test_realtime_queue);
	tcase_add_test(tc, test_sigsuspend);
	tcase_add_test(tc, test_sigsuspend_restarts);
	tcase_add_test(tc, test_altstack_in_use);
	suite_add_tcase(s, tc);
	return wf_check_run(s);
}
