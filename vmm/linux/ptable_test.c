// SPDX-License-Identifier: Apache-2.0
/* ptable_test.c: Check tests for the process table: children in real host processes, waits, signals, groups, limits. */
#include <check.h>
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "linux/ptable.h"
#include "linux/signals.h"
#include "linux/testproc.h"
#include "check_main.h"

#define G_WNOHANG 1
#define G_WNOWAIT 0x01000000
#define G_WSTOPPED 2
#define G_WEXITED 4
#define G_WCONTINUED 8

static struct tp f;

static void setup(void)
{
	tp_init_fixed(&f);
	signal(WF_WAKE_SIGNAL, SIG_IGN); /* the VMM's no-op handler, here ignored */
	ck_assert_int_eq(wf_ptab_create(&f.p, 4), 0);
}

static void teardown(void)
{
	/* The children here are plain host processes with no VMM to take the SIGKILL that
	 * wf_ptab_end_all posts: kill them first, then let it reap. */
	for (unsigned i = 1; f.p.ptab && i < f.p.ptab->max; i++)
		if (f.p.ptab->t[i].state == WF_PT_ALIVE && f.p.ptab->t[i].host > 0)
			kill(f.p.ptab->t[i].host, SIGKILL);
	wf_ptab_end_all(&f.p);
	tp_fini(&f);
}

/*
 * A child as the VMM makes one: a table slot, then a host fork whose child becomes it.
 * The host child runs body (if any) and ends with wait status ws; returns the slot.
 */
static int spawn(struct wf_proc *p, int ws, void (*body)(struct wf_proc *))
{
	int slot = wf_ptab_add_child(p, WF_SIGCHLD);
	ck_assert_int_ge(slot, 0);
	pid_t host = fork();
	ck_assert_int_ge(host, 0);
	if (host == 0) {
		wf_ptab_become(p, slot);
		if (body)
			body(p);
		wf_ptab_exit(p, ws);
		_exit(0);
	}
	wf_ptab_started(p, slot, host);
	return slot;
}

static int32_t pid_of(int slot)
{
	return f.p.ptab->t[slot].pid;
}

START_TEST(test_wait_statuses)
{
	int32_t ws = -1, code = 0;
	int64_t r;
	ck_assert_int_eq(wf_ptab_wait(&f.p, 0, 0, G_WEXITED | G_WNOHANG, &ws, &code), -ECHILD);
	int b = spawn(&f.p, SIGTERM, NULL);
	int32_t pb = pid_of(b);
	ck_assert_int_gt(pb, TP_PID);
	ck_assert_int_eq(wf_ptab_wait(&f.p, 1, pb, G_WEXITED, &ws, &code), pb);
	ck_assert_int_eq(ws, SIGTERM);
	ck_assert_int_eq(code, 2); /* CLD_KILLED */
	/* It sent its exit_signal, SIGCHLD, from its pid. */
	ck_assert(f.p.ptab->t[0].pending & WF_SIGBIT(WF_SIGCHLD));
	ck_assert_int_eq(f.p.ptab->t[0].sender[WF_SIGCHLD - 1], pb);
	int a = spawn(&f.p, 7 << 8, NULL);
	int32_t pa = pid_of(a);
	ck_assert_int_ne(pa, pb);
	/* With a signal pending a blocking wait says restart (the VMM takes the signals
	 * first, wf_ptab_pull): do what the VMM does until the wait answers. */
	while ((r = wf_ptab_wait(&f.p, 0, 0, G_WEXITED | G_WNOWAIT, &ws, &code)) == -WF_ERESTARTSYS)
		(void)wf_ptab_pull(&f.p);
	ck_assert_int_eq(r, pa); /* a peek: still there */
	ck_assert_int_eq(wf_ptab_wait(&f.p, 0, 0, G_WEXITED, &ws, &code), pa);
	ck_assert_int_eq(ws, 7 << 8);
	ck_assert_int_eq(code, 1); /* CLD_EXITED */
	ck_assert_int_eq(wf_ptab_wait(&f.p, 0, 0, G_WEXITED, &ws, &code), -ECHILD);
	ck_assert_int_eq(wf_ptab_wait(&f.p, 1, 12345, G_WEXITED, &ws, &code), -ECHILD);
}
END_TEST

static void stay(struct wf_proc *p)
{
	(void)p;
	pause(); /* until the test kills it */
}

START_TEST(test_nohang_kill_and_lost)
{
	int32_t ws, code;
	int s = spawn(&f.p, 0, stay);
	ck_assert_int_eq(wf_ptab_wait(&f.p, 0, 0, G_WEXITED | G_WNOHANG, &ws, &code), 0);
	/* A signal to it is a bit in its entry (its VMM would take it); signal 0 probes. */
	ck_assert_int_eq(wf_ptab_kill(&f.p, pid_of(s), 0), 0);
	ck_assert_int_eq(wf_ptab_kill(&f.p, pid_of(s), WF_SIGUSR1), 0);
	ck_assert(f.p.ptab->t[s].pending & WF_SIGBIT(WF_SIGUSR1));
	ck_assert_int_eq(wf_ptab_kill(&f.p, 99999, WF_SIGUSR1), -ESRCH);
	ck_assert_int_eq(wf_ptab_kill(&f.p, pid_of(s), 65), -EINVAL);
	/* pid -1: every process but the caller and init; the group: the caller too (1). */
	ck_assert_int_eq(wf_ptab_kill(&f.p, 0, 0), 1);
	/* Its host process dies without a word (killed from outside): the wait notices. */
	int32_t c = pid_of(s);
	kill(f.p.ptab->t[s].host, SIGKILL);
	ck_assert_int_eq(wf_ptab_wait(&f.p, 0, 0, G_WEXITED, &ws, &code), c);
	ck_assert_int_eq(ws, SIGKILL);
}
END_TEST

START_TEST(test_pull_takes_signals)
{
	/* Signals sent to this process by others: queued as SI_USER from the sender. */
	struct wf_ptask *me = &f.p.ptab->t[0];
	me->sender[WF_SIGUSR2 - 1] = 77;
	__atomic_fetch_or(&me->pending, WF_SIGBIT(WF_SIGUSR2) | WF_SIGBIT(WF_SIGCHLD), 0);
	ck_assert(!wf_ptab_pull(&f.p));
	ck_assert(f.p.sigshared.set & WF_SIGBIT(WF_SIGUSR2));
	ck_assert_int_eq(f.p.sigshared.std[WF_SIGUSR2].pid, 77);
	/* SIGCHLD's default is to ignore it: dropped, as Linux does. */
	ck_assert(!(f.p.sigshared.set & WF_SIGBIT(WF_SIGCHLD)));
	__atomic_fetch_or(&me->pending, WF_SIGBIT(WF_SIGKILL), 0);
	ck_assert(wf_ptab_pull(&f.p));
	ck_assert_int_eq(f.p.killed_by, WF_SIGKILL);
	ck_assert_int_eq(me->pending, 0);
}
END_TEST

START_TEST(test_groups_and_sessions)
{
	int s = spawn(&f.p, 0, stay);
	int32_t c = pid_of(s);
	ck_assert_int_eq(wf_ptab_getpgid(&f.p, c, false), TP_PID);
	ck_assert_int_eq(wf_ptab_getpgid(&f.p, c, true), TP_PID);
	ck_assert_int_eq(wf_ptab_getpgid(&f.p, 4242424, false), -ESRCH);
	ck_assert_int_eq(wf_ptab_setpgid(&f.p, 0, 0), -EPERM);      /* init leads its session */
	ck_assert_int_eq(wf_ptab_setpgid(&f.p, 4242424, 0), -ESRCH);
	ck_assert_int_eq(wf_ptab_setpgid(&f.p, c, 4242424), -EPERM); /* no such group */
	ck_assert_int_eq(wf_ptab_setpgid(&f.p, c, c), 0);
	ck_assert_int_eq(wf_ptab_getpgid(&f.p, c, false), c);
	ck_assert_int_eq(wf_ptab_setpgid(&f.p, c, TP_PID), 0);
	f.p.ptab->t[s].execed = true;
	ck_assert_int_eq(wf_ptab_setpgid(&f.p, c, 0), -EACCES);
	ck_assert_int_eq(wf_ptab_setsid(&f.p), -EPERM); /* it leads a group */
	kill(f.p.ptab->t[s].host, SIGKILL);
}
END_TEST

static void fork_grandchild(struct wf_proc *p)
{
	spawn(p, 3 << 8, stay); /* left behind: reparented to init */
}

START_TEST(test_orphans_go_to_init_and_limit)
{
	int32_t ws, code;
	int s = spawn(&f.p, 0, fork_grandchild);
	int32_t c = pid_of(s);
	ck_assert_int_eq(wf_ptab_wait(&f.p, 1, c, G_WEXITED, &ws, &code), c);
	/* The grandchild now belongs to init (this process): the table says so. */
	int orphans = 0;
	for (unsigned i = 1; i < f.p.ptab->max; i++)
		if (f.p.ptab->t[i].state == WF_PT_ALIVE) {
			ck_assert_int_eq(f.p.ptab->t[i].ppid, TP_PID);
			orphans++;
		}
	ck_assert_int_eq(orphans, 1);
	/* Table of 4: init, the orphan, and two more; a fifth is EAGAIN. */
	spawn(&f.p, 0, stay);
	spawn(&f.p, 0, stay);
	ck_assert_int_eq(wf_ptab_add_child(&f.p, WF_SIGCHLD), -EAGAIN);
}
END_TEST

START_TEST(test_nocldwait_leaves_no_zombie)
{
	int32_t ws, code;
	int64_t r;
	f.p.sigact[WF_SIGCHLD].handler = WF_SIG_IGN;
	wf_ptab_note_sigchld(&f.p);
	ck_assert(f.p.ptab->t[0].nocldwait);
	int s = spawn(&f.p, 3 << 8, NULL);
	/* The wait sleeps until the child is gone, then finds no child at all. */
	while ((r = wf_ptab_wait(&f.p, 0, 0, G_WEXITED, &ws, &code)) == -WF_ERESTARTSYS)
		(void)wf_ptab_pull(&f.p);
	ck_assert_int_eq(r, -ECHILD);
	/* Its slot is free again once its host process is reaped (a wait sweeps). */
	for (int i = 0; i < 1000 && f.p.ptab->t[s].state != WF_PT_FREE; i++) {
		usleep(1000);
		(void)wf_ptab_wait(&f.p, 0, 0, G_WEXITED | G_WNOHANG, &ws, &code);
	}
	ck_assert_int_eq(f.p.ptab->t[s].state, WF_PT_FREE);
	f.p.sigact[WF_SIGCHLD].handler = WF_SIG_DFL;
	wf_ptab_note_sigchld(&f.p);
	ck_assert(!f.p.ptab->t[0].nocldwait);
}
END_TEST


static int go[2]; /* the parent's word that the continued child may end */

/* A child stops itself (SIGTSTP does nothing in init's orphaned group, SIGSTOP stops it)
 * and waits to be continued, as the VMM's run loop does; then it stays alive until told (a
 * zombie is never reported as continued). */
static void stop_self(struct wf_proc *p)
{
	if (wf_ptab_stop(p, WF_SIGTSTP)) {
		wf_ptab_exit(p, 9 << 8);
		_exit(0);
	}
	ck_assert(wf_ptab_stop(p, WF_SIGSTOP));
	while (p->stopped) {
		(void)wf_ptab_pull(p);
		wf_ptab_stopped_wait(p);
	}
	char byte;
	while (read(go[0], &byte, 1) < 0 && errno == EINTR)
		;
}

START_TEST(test_stop_continue)
{
	int32_t ws = 0, code = 0;
	int64_t r;
	ck_assert_int_eq(pipe(go), 0);
	int c = spawn(&f.p, 3 << 8, stop_self);
	int32_t pc = pid_of(c);
	while ((r = wf_ptab_wait(&f.p, 1, pc, G_WSTOPPED, &ws, &code)) == -WF_ERESTARTSYS)
		(void)wf_ptab_pull(&f.p);
	ck_assert_int_eq(r, pc);
	ck_assert_int_eq(ws, (WF_SIGSTOP << 8) | 0x7f);
	ck_assert_int_eq(code, 5); /* CLD_STOPPED */
	ck_assert_int_eq(f.p.ptab->t[0].chld_code, 5);
	ck_assert_int_eq(f.p.ptab->t[0].chld_status, WF_SIGSTOP);
	/* Reported once; a wait for exits alone does not see it. */
	ck_assert_int_eq(wf_ptab_wait(&f.p, 1, pc, G_WSTOPPED | G_WNOHANG, &ws, &code), 0);
	ck_assert_int_eq(wf_ptab_wait(&f.p, 1, pc, G_WEXITED | G_WNOHANG, &ws, &code), 0);
	ck_assert_int_eq(wf_ptab_kill(&f.p, pc, WF_SIGCONT), 0);
	ck_assert_int_eq(wf_ptab_wait(&f.p, 1, pc, G_WCONTINUED | G_WNOWAIT, &ws, &code), pc);
	ck_assert_int_eq(ws, 0xffff);
	ck_assert_int_eq(code, 6); /* CLD_CONTINUED */
	ck_assert_int_eq(write(go[1], "x", 1), 1);
	while ((r = wf_ptab_wait(&f.p, 1, pc, G_WEXITED, &ws, &code)) == -WF_ERESTARTSYS)
		(void)wf_ptab_pull(&f.p);
	ck_assert_int_eq(r, pc);
	ck_assert_int_eq(ws, 3 << 8);
	close(go[0]);
	close(go[1]);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("ptable");
	TCase *tc = tcase_create("ptable");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_wait_statuses);
	tcase_add_test(tc, test_nohang_kill_and_lost);
	tcase_add_test(tc, test_pull_takes_signals);
	tcase_add_test(tc, test_groups_and_sessions);
	tcase_add_test(tc, test_orphans_go_to_init_and_limit);
	tcase_add_test(tc, test_nocldwait_leaves_no_zombie);
	tcase_add_test(tc, test_stop_continue);
	suite_add_tcase(s, tc);
	return wf_check_run(s);
}
