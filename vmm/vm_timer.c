// SPDX-License-Identifier: Apache-2.0
/* vm_timer.c: the run loop's wall-clock limit, one lazily re-armed POSIX timer per VM. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>
#include <linux/kvm.h>

#include "vm_internal.h"
#include "linux/ptable.h" /* WF_WAKE_SIGNAL */

/* The signal that kicks a vCPU thread out of KVM_RUN when its deadline passes. Above
 * WF_WAKE_SIGNAL: when both are pending the kernel takes the wake signal first, so a host
 * call interrupted by both ends with EINTR (the wake's action) instead of restarting. */
#define WF_TIMER_SIGNAL (SIGRTMIN + 6)

double wf_now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The run area of the vCPU this thread is running, so the timer signal can make a KVM_RUN
 * that is about to start return at once (closing the race with the deadline check). */
static _Thread_local struct kvm_run *running;
static _Thread_local pid_t my_tid;
/* Per host process: a guest child process is a host process of its own (vm_procs.c). */
static volatile sig_atomic_t watched_init, watched_parent;

/*
 * A process forked after a VM ran (afl_guest's fork server forks after the master booted)
 * has a new thread id: the cached one would aim a new timer at the parent's thread, which
 * timer_create refuses. The fork's only thread is the one that called fork(), so clearing
 * its copy of my_tid in the child is enough.
 */
static pthread_once_t atfork_once = PTHREAD_ONCE_INIT;

static void forget_tid(void)
{
	my_tid = 0;
}

static void watch_forks(void)
{
	pthread_atfork(NULL, NULL, forget_tid);
}

static pid_t this_tid(void)
{
	if (!my_tid) {
		pthread_once(&atfork_once, watch_forks);
		my_tid = gettid();
	}
	return my_tid;
}

static void timer_kick(int sig)
{
	(void)sig; /* interrupts KVM_RUN; immediate_exit covers the gap before it */
	if (running)
		running->immediate_exit = 1;
	/* A check in the run loop could miss a wake-up that lands just before a blocking host
	 * call starts; this one cannot. getppid() and _exit() are async-signal-safe (and kill
	 * of itself is outside a forked process's seccomp filter). */
	if (wf_wake_orphaned())
		_exit(128 + SIGKILL);
}

bool wf_wake_orphaned(void)
{
	if (!watched_init)
		return false;
	pid_t now = getppid();
	return now != watched_init && now != watched_parent;
}

void wf_wake_watch(pid_t init, pid_t parent)
{
	watched_parent = parent;
	watched_init = init;
}

void wf_wake_install(int sig)
{
	/* No SA_RESTART: a blocking host call must return (EINTR) so the VMM looks at the
	 * signals another process sent; the syscall then restarts as Linux's would. */
	struct sigaction old;
	if (sigaction(sig, NULL, &old) == 0 && old.sa_handler == SIG_DFL) {
		struct sigaction sa = {.sa_handler = timer_kick};
		sigemptyset(&sa.sa_mask);
		sigaction(sig, &sa, NULL);
	}
}

void wf_timer_running(struct kvm_run *run)
{
	running = run;
}

void wf_timer_fini(struct wf_vm *vm)
{
	if (vm->timer.created)
		timer_delete(vm->timer.id);
	vm->timer.created = false;
	if (vm->gtimer.created)
		timer_delete(vm->gtimer.id);
	vm->gtimer.created = false;
}

int wf_gtimer_set(struct wf_vm *vm, double at)
{
	struct wf_vm_timer *g = &vm->gtimer;
	if (g->created && g->tid == this_tid() && g->at == at)
		return 0;
	if (!at && (!g->created || g->tid != this_tid()))
		return 0;
	if (!g->created || g->tid != this_tid()) {
		wf_wake_install(WF_WAKE_SIGNAL);
		struct sigevent sev = {.sigev_notify = SIGEV_THREAD_ID, .sigev_signo = WF_WAKE_SIGNAL};
		sev._sigev_un._tid = this_tid();
		if (timer_create(CLOCK_MONOTONIC, &sev, &g->id))
			return -errno;
		g->created = true;
		g->tid = this_tid();
	}
	struct itimerspec its = {0};
	if (at) {
		its.it_value.tv_sec = (time_t)at;
		its.it_value.tv_nsec = (long)((at - (double)(time_t)at) * 1e9);
		if (!its.it_value.tv_sec && !its.it_value.tv_nsec)
			its.it_value.tv_nsec = 1;
	}
	if (timer_settime(g->id, TIMER_ABSTIME, &its, NULL))
		return -errno;
	g->at = at;
	return 0;
}

/*
 * The handler is process-wide by nature: a no-op, installed once, never replacing an
 * embedder's, and with SA_RESTART, since a timer armed for one run may fire after it (see
 * wf_timer_ensure). The timer signals the thread that created it.
 */
static int timer_create_here(struct wf_vm *vm)
{
	struct sigaction old;
	if (sigaction(WF_TIMER_SIGNAL, NULL, &old) == 0 && old.sa_handler == SIG_DFL) {
		struct sigaction sa = {.sa_handler = timer_kick, .sa_flags = SA_RESTART};
		sigemptyset(&sa.sa_mask);
		sigaction(WF_TIMER_SIGNAL, &sa, NULL);
	}
	pid_t tid = this_tid();
	wf_timer_fini(vm);
	struct sigevent sev = {.sigev_notify = SIGEV_THREAD_ID, .sigev_signo = WF_TIMER_SIGNAL};
	sev._sigev_un._tid = tid;
	if (timer_create(CLOCK_MONOTONIC, &sev, &vm->timer.id))
		return -errno;
	vm->timer.created = true;
	vm->timer.tid = tid;
	vm->timer.at = 0;
	return 0;
}

/*
 * Make sure this thread gets the timer signal no later than `deadline` (wf_now_s() time).
 * A run ends without disarming: while the timer armed for an earlier run is still due
 * between now and the deadline, nothing is done, so a run costs no timer system call in
 * the common case (a fuzzer's runs, each with the same limit). When that earlier expiry
 * comes first, the run loop sees the interruption, finds its deadline not reached, and
 * calls this again, which re-arms for the real deadline.
 */
int wf_timer_ensure(struct wf_vm *vm, double deadline)
{
	if (!vm->timer.created || vm->timer.tid != this_tid()) {
		int rc = timer_create_here(vm);
		if (rc)
			return rc;
	}
	double now = wf_now_s();
	if (vm->timer.at > now && vm->timer.at <= deadline)
		return 0;
	double secs = deadline - now;
	struct itimerspec its = {0};
	if (secs > 0) {
		its.it_value.tv_sec = (time_t)secs;
		its.it_value.tv_nsec = (long)((secs - (double)(time_t)secs) * 1e9);
	}
	if (!its.it_value.tv_sec && !its.it_value.tv_nsec)
		its.it_value.tv_nsec = 1;
	if (timer_settime(vm->timer.id, 0, &its, NULL))
		return -errno;
	vm->timer.at = deadline;
	return 0;
}
