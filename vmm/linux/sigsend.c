// SPDX-License-Identifier: Apache-2.0
/* sigsend.c: the signal-sending syscalls: kill, tkill, tgkill, rt_sigqueueinfo, rt_tgsigqueueinfo. */
#include <errno.h>
#include <stdint.h>

#include "linux/ptable.h"
#include "linux/signals.h"
#include "linux/syscall.h"
#include "linux/threads.h"

/* Queue sig (already known to target this process or thread); 0 is the existence probe. */
static int64_t send_self(struct wf_proc *p, int sig, bool thread)
{
	if (sig < 0 || sig > WF_NSIG)
		return -EINVAL;
	if (!sig)
		return 0;
	struct wf_siginfo info = {.signo = sig,
				  .code = thread ? WF_SI_TKILL : WF_SI_USER,
				  .pid = p->pid,
				  .uid = p->uid};
	return wf_signal_queue(p, &info, thread);
}

static int64_t sys_kill(struct wf_proc *p, const uint64_t a[6])
{
	pid_t pid = (pid_t)a[0];
	int sig = (int)a[1];

	/*
	 * The guest is alone in its world and leads its own process group: pid 0 (our group),
	 * our pid or any of our threads' tids (Linux sends to the thread group then), and -pid
	 * (our group by number) reach it. pid -1 means "every process but the caller", and there
	 * is no other one, so it is ESRCH as in an empty namespace.
	 */
	if (pid == INT32_MIN) /* no process group has that number (and -pid overflows) */
		return -ESRCH;
	if (p->ptab && !(pid > 0 && wf_thread_find(p, pid) >= 0)) {
		/* Other processes of the sandbox: the table reaches them (1: the caller too). */
		if (sig < 0 || sig > WF_NSIG)
			return -EINVAL;
		int64_t rc = wf_ptab_kill(p, pid, sig);
		return rc == 1 ? send_self(p, sig, false) : rc;
	}
	if (pid == 0 || pid == p->pid || (pid > 0 && wf_thread_find(p, pid) >= 0) ||
	    (pid < -1 && -pid == p->pid))
		return send_self(p, sig, false);
	return -ESRCH;
}

/* tkill and tgkill: to the calling thread, or to another one of the process. */
static int64_t send_thread(struct wf_proc *p, pid_t tid, int sig)
{
	int slot = wf_thread_find(p, tid);
	if (slot < 0)
		return -ESRCH;
	if (sig < 0 || sig > WF_NSIG)
		return -EINVAL;
	if (!sig || (unsigned)slot == p->cur || !p->nthr)
		return send_self(p, sig, true);
	struct wf_siginfo info = {.signo = sig, .code = WF_SI_TKILL, .pid = p->pid, .uid = p->uid};
	return wf_thread_signal(p, (unsigned)slot, &info);
}

static int64_t sys_tkill(struct wf_proc *p, const uint64_t a[6])
{
	pid_t tid = (pid_t)a[0];
	if (tid <= 0)
		return -EINVAL;
	return send_thread(p, tid, (int)a[1]);
}

static int64_t sys_tgkill(struct wf_proc *p, const uint64_t a[6])
{
	pid_t tgid = (pid_t)a[0], tid = (pid_t)a[1];
	if (tgid <= 0 || tid <= 0)
		return -EINVAL;
	if (tgid != p->pid) {
		/* Another process of the sandbox: its main thread is all the table knows. */
		int sig = (int)a[2];
		if (!p->ptab || tid != tgid)
			return -ESRCH;
		if (sig < 0 || sig > WF_NSIG)
			return -EINVAL;
		int64_t rc = wf_ptab_kill(p, tgid, sig);
		return rc > 0 ? 0 : rc;
	}
	return send_thread(p, tid, (int)a[2]);
}

/*
 * rt_sigqueueinfo and rt_tgsigqueueinfo: a signal with the caller's own siginfo (sigqueue's
 * SI_QUEUE and si_value). As Linux's do_rt_sigqueueinfo: the siginfo is read first (48
 * bytes, EFAULT), and only a process signalling itself may claim a kernel or kill/tkill
 * code (si_code >= 0 or SI_TKILL: EPERM). Another process of the sandbox gets the signal
 * process-directed, with si_code, si_pid and si_value as sent.
 */
static int read_queued(struct wf_proc *p, uint64_t addr, int sig, struct wf_siginfo *info)
{
	uint8_t g[48];
	if (wf_mem_read(&p->mem, g, addr, sizeof(g)))
		return -EFAULT;
	wf_siginfo_decode(g, sig, info);
	return 0;
}

static int64_t queue_to(struct wf_proc *p, pid_t pid, const struct wf_siginfo *info)
{
	int sig = info->signo;
	if (p->ptab && pid > 0 && pid != p->pid && wf_thread_find(p, pid) < 0) {
		if (sig < 0 || sig > WF_NSIG)
			return -EINVAL;
		int64_t rc = wf_ptab_queue(p, pid, info);
		if (rc != 1)
			return rc;
	} else if (pid <= 0 || (pid != p->pid && wf_thread_find(p, pid) < 0)) {
		return -ESRCH;
	}
	if (sig < 0 || sig > WF_NSIG)
		return -EINVAL;
	return sig ? wf_signal_queue(p, info, false) : 0;
}

static int64_t sys_rt_sigqueueinfo(struct wf_proc *p, const uint64_t a[6])
{
	pid_t pid = (pid_t)a[0];
	struct wf_siginfo info;
	int rc = read_queued(p, a[2], (int)a[1], &info);
	if (rc)
		return rc;
	if ((info.code >= 0 || info.code == WF_SI_TKILL) && pid != p->pid)
		return -EPERM;
	return queue_to(p, pid, &info);
}

static int64_t sys_rt_tgsigqueueinfo(struct wf_proc *p, const uint64_t a[6])
{
	pid_t tgid = (pid_t)a[0], tid = (pid_t)a[1];
	int sig = (int)a[2];
	struct wf_siginfo info;
	int rc = read_queued(p, a[3], sig, &info);
	if (rc)
		return rc;
	if (tgid <= 0 || tid <= 0)
		return -EINVAL;
	if ((info.code >= 0 || info.code == WF_SI_TKILL) && tid != p->tid)
		return -EPERM;
	if (tgid != p->pid) /* another process: its main thread is all the table knows */
		return p->ptab && tid == tgid ? queue_to(p, tgid, &info) : -ESRCH;
	int slot = wf_thread_find(p, tid);
	if (slot < 0)
		return -ESRCH;
	if (sig < 0 || sig > WF_NSIG)
		return -EINVAL;
	if (!sig)
		return 0;
	if ((unsigned)slot == p->cur || !p->nthr)
		return wf_signal_queue(p, &info, true);
	return wf_thread_signal(p, (unsigned)slot, &info);
}

const struct wf_syscall_def wf_sys_sigsend[] = {
	{WF_NR_rt_sigqueueinfo, "rt_sigqueueinfo", sys_rt_sigqueueinfo, "ddp"},
	{WF_NR_rt_tgsigqueueinfo, "rt_tgsigqueueinfo", sys_rt_tgsigqueueinfo, "dddp"},
	{WF_NR_kill, "kill", sys_kill, "dd"},
	{WF_NR_tkill, "tkill", sys_tkill, "dd"},
	{WF_NR_tgkill, "tgkill", sys_tgkill, "ddd"},
	{0},
};
