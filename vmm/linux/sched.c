// SPDX-License-Identifier: Apache-2.0
/* sched.c: scheduling policy and priority, times, the rest of the identity calls, personality, sync. */
#include <errno.h>
#include <time.h>
#include <unistd.h>

#include "linux/ptable.h"
#include "linux/syscall.h"

/* Guest (asm-generic) values. */
enum {
	G_PRIO_PROCESS = 0, G_PRIO_PGRP = 1, G_PRIO_USER = 2,
	G_SCHED_OTHER = 0, G_SCHED_FIFO = 1, G_SCHED_RR = 2, G_SCHED_BATCH = 3, G_SCHED_IDLE = 5,
	G_SCHED_DEADLINE = 6, G_SCHED_RESET_ON_FORK = 0x40000000,
	G_NICE_MIN = -20, G_NICE_MAX = 19,
	G_USER_HZ = 100,
};

/* Is pid (0: the caller) this process? Another process of the sandbox keeps its scheduling
 * in its own VMM, out of sight: EPERM, as a security module's refusal (so is the parent);
 * any other pid ESRCH. */
static int64_t only_self(struct wf_proc *p, int64_t pid)
{
	if (pid < 0)
		return -EINVAL;
	if (pid == 0 || pid == p->pid)
		return 0;
	/* its parent too, which for the sandbox's first process is the world outside */
	if (pid == p->ppid || (p->ptab && wf_ptab_getpgid(p, (int32_t)pid, false) >= 0))
		return -EPERM;
	return -ESRCH;
}

/* getpriority and setpriority: one process, its own group and its own user are the guest. */
static int64_t prio_target(struct wf_proc *p, uint64_t which, uint64_t who)
{
	int32_t w = (int32_t)who;
	switch ((int32_t)which) {
	case G_PRIO_PROCESS:
		return w == 0 || w == p->pid ? 0 : -ESRCH;
	case G_PRIO_PGRP:
		return w == 0 || w == (p->ptab ? wf_ptab_getpgid(p, 0, false) :
						  p->pid) ? 0 : -ESRCH;
	case G_PRIO_USER:
		return w == 0 || (uid_t)w == p->uid ? 0 : -ESRCH;
	default:
		return -EINVAL;
	}
}

static int64_t sys_getpriority(struct wf_proc *p, const uint64_t a[6])
{
	int64_t rc = prio_target(p, a[0], a[1]);
	return rc ? rc : 20 - p->nice; /* the kernel's 40..1 for nice -20..19 */
}

static int64_t sys_setpriority(struct wf_proc *p, const uint64_t a[6])
{
	int64_t rc = prio_target(p, a[0], a[1]);
	if (rc)
		return rc;
	int32_t nice = (int32_t)a[2];
	nice = nice < G_NICE_MIN ? G_NICE_MIN : nice > G_NICE_MAX ? G_NICE_MAX : nice;
	/* Lowering the nice value needs CAP_SYS_NICE: the guest has it only as root. */
	if (nice < p->nice && p->uid != 0)
		return -EACCES;
	p->nice = nice;
	return 0;
}

static bool policy_known(int64_t policy)
{
	return policy == G_SCHED_OTHER || policy == G_SCHED_FIFO || policy == G_SCHED_RR ||
	       policy == G_SCHED_BATCH || policy == G_SCHED_IDLE;
}

static bool realtime(int64_t policy)
{
	return policy == G_SCHED_FIFO || policy == G_SCHED_RR;
}

static int64_t sys_sched_getscheduler(struct wf_proc *p, const uint64_t a[6])
{
	int64_t rc = only_self(p, (int32_t)a[0]);
	return rc ? rc : p->sched_policy;
}

static int64_t sys_sched_getparam(struct wf_proc *p, const uint64_t a[6])
{
	if (!a[1] || (int32_t)a[0] < 0)
		return -EINVAL;
	int64_t rc = only_self(p, (int32_t)a[0]);
	if (rc)
		return rc;
	int32_t prio = p->sched_prio;
	return wf_mem_write(&p->mem, a[1], &prio, sizeof(prio)) ? -EFAULT : 0;
}

/* The checks of sched_setscheduler and sched_setparam (policy -1: keep the current one).
 * The guest's threads run on the VMM's host thread whatever it asks for. */
static int64_t set_sched(struct wf_proc *p, const uint64_t a[6], int64_t policy)
{
	if (!a[2] || (int32_t)a[0] < 0)
		return -EINVAL;
	int32_t prio;
	if (wf_mem_read(&p->mem, &prio, a[2], sizeof(prio)))
		return -EFAULT;
	int64_t rc = only_self(p, (int32_t)a[0]);
	if (rc)
		return rc;
	int64_t flags = (policy < 0 ? p->sched_policy : policy) & G_SCHED_RESET_ON_FORK;
	if (policy < 0)
		policy = p->sched_policy & ~G_SCHED_RESET_ON_FORK;
	policy &= ~(int64_t)G_SCHED_RESET_ON_FORK;
	if (!policy_known(policy))
		return -EINVAL;
	if (realtime(policy) ? prio < 1 || prio > 99 : prio != 0)
		return -EINVAL;
	if (realtime(policy) && p->uid != 0)
		return -EPERM;
	p->sched_policy = (int32_t)(policy | flags); /* getscheduler shows RESET_ON_FORK */
	p->sched_prio = prio;
	return 0;
}

static int64_t sys_sched_setscheduler(struct wf_proc *p, const uint64_t a[6])
{
	if ((int32_t)a[1] < 0)
		return -EINVAL;
	return set_sched(p, a, (int32_t)a[1]);
}

static int64_t sys_sched_setparam(struct wf_proc *p, const uint64_t a[6])
{
	uint64_t b[6] = {a[0], 0, a[1]};
	return set_sched(p, b, -1);
}

/*
 * sched_setattr and sched_getattr: struct sched_attr (48 bytes in its first version, 56 with
 * the utilisation clamps) over the same state. SCHED_DEADLINE is not emulated (EINVAL), nor
 * are the clamps (SCHED_FLAG_UTIL_CLAMP_*: EINVAL; getattr reports 0 and 1024).
 */
struct g_sched_attr {
	uint32_t size, policy;
	uint64_t flags;
	int32_t nice;
	uint32_t priority;
	uint64_t runtime, deadline, period;
	uint32_t util_min, util_max;
};
enum { G_SCHED_ATTR_VER0 = 48, G_SCHED_FLAG_RESET_ON_FORK = 1, G_SCHED_FLAG_KEEP_POLICY = 8,
       G_SCHED_FLAG_KEEP_PARAMS = 0x10, G_SCHED_FLAG_UTIL_CLAMP = 0x60, G_SCHED_FLAG_ALL = 0x7f };

static int64_t sys_sched_getattr(struct wf_proc *p, const uint64_t a[6])
{
	uint32_t usize = (uint32_t)a[2];
	if (!a[1] || (int32_t)a[0] < 0 || usize > WF_PAGE_SIZE || usize < G_SCHED_ATTR_VER0 || a[3])
		return -EINVAL;
	int64_t rc = only_self(p, (int32_t)a[0]);
	if (rc)
		return rc;
	struct g_sched_attr k = {.policy = (uint32_t)(p->sched_policy & ~G_SCHED_RESET_ON_FORK),
				 .util_max = 1024};
	if (p->sched_policy & G_SCHED_RESET_ON_FORK)
		k.flags = G_SCHED_FLAG_RESET_ON_FORK;
	if (realtime(k.policy))
		k.priority = (uint32_t)p->sched_prio;
	else
		k.nice = p->nice;
	k.size = usize < sizeof(k) ? usize : (uint32_t)sizeof(k);
	return wf_mem_write(&p->mem, a[1], &k, k.size) ? -EFAULT : 0;
}

static int64_t sys_sched_setattr(struct wf_proc *p, const uint64_t a[6])
{
	if (!a[1] || (int32_t)a[0] < 0 || a[2])
		return -EINVAL;
	/* sched_copy_attr: the size first (0: the first version); too small or too large
	 * is E2BIG, with the size this kernel knows written back. */
	struct g_sched_attr k = {0};
	uint32_t size;
	if (wf_mem_read(&p->mem, &size, a[1], sizeof(size)))
		return -EFAULT;
	if (!size)
		size = G_SCHED_ATTR_VER0;
	if (size < G_SCHED_ATTR_VER0 || size > WF_PAGE_SIZE) {
		uint32_t known = sizeof(k);
		return wf_mem_write(&p->mem, a[1], &known, sizeof(known)) ? -EFAULT : -E2BIG;
	}
	if (wf_mem_read(&p->mem, &k, a[1], size < sizeof(k) ? size : sizeof(k)))
		return -EFAULT;
	for (uint64_t off = sizeof(k); off < size; off++) { /* copy_struct_from_user */
		uint8_t b;
		if (wf_mem_read(&p->mem, &b, a[1] + off, 1))
			return -EFAULT;
		if (b) {
			uint32_t known = sizeof(k);
			return wf_mem_write(&p->mem, a[1], &known, sizeof(known)) ? -EFAULT : -E2BIG;
		}
	}
	if ((k.flags & G_SCHED_FLAG_UTIL_CLAMP) && size < sizeof(k))
		return -EINVAL;
	k.nice = k.nice < G_NICE_MIN ? G_NICE_MIN : k.nice > G_NICE_MAX ? G_NICE_MAX : k.nice;
	if ((int32_t)k.policy < 0)
		return -EINVAL;
	int64_t rc = only_self(p, (int32_t)a[0]);
	if (rc)
		return rc;
	int64_t policy = (k.flags & G_SCHED_FLAG_KEEP_POLICY) ?
				 (p->sched_policy & ~G_SCHED_RESET_ON_FORK) : (int64_t)k.policy;
	if (k.flags & G_SCHED_FLAG_KEEP_PARAMS) {
		k.priority = realtime(policy) ? (uint32_t)p->sched_prio : 0;
		k.nice = p->nice;
	}
	if (!policy_known(policy) || (k.flags & ~(uint64_t)G_SCHED_FLAG_ALL) ||
	    (k.flags & G_SCHED_FLAG_UTIL_CLAMP))
		return -EINVAL;
	if (k.priority > 99 || realtime(policy) != (k.priority != 0))
		return -EINVAL;
	if (p->uid != 0 && (realtime(policy) || k.nice < p->nice))
		return -EPERM;
	/* Keeping the policy keeps its reset-on-fork flag too (SETPARAM_POLICY). */
	bool reset = (k.flags & G_SCHED_FLAG_KEEP_POLICY) ? (p->sched_policy & G_SCHED_RESET_ON_FORK)
							   : (k.flags & G_SCHED_FLAG_RESET_ON_FORK);
	p->sched_policy = (int32_t)policy | (reset ? G_SCHED_RESET_ON_FORK : 0);
	p->sched_prio = (int32_t)k.priority;
	if (!realtime(policy))
		p->nice = k.nice;
	return 0;
}

static int64_t sys_sched_get_priority_max(struct wf_proc *p, const uint64_t a[6])
{
	(void)p;
	int32_t policy = (int32_t)a[0];
	if (realtime(policy))
		return 99;
	return policy_known(policy) || policy == G_SCHED_DEADLINE ? 0 : -EINVAL;
}

static int64_t sys_sched_get_priority_min(struct wf_proc *p, const uint64_t a[6])
{
	(void)p;
	int32_t policy = (int32_t)a[0];
	if (realtime(policy))
		return 1;
	return policy_known(policy) || policy == G_SCHED_DEADLINE ? 0 : -EINVAL;
}

/* sched_rr_get_interval: 100 ms for SCHED_RR (RR_TIMESLICE), else the fair class's slice,
 * which depends on the load: a nominal 4 ms here. */
static int64_t sys_sched_rr_get_interval(struct wf_proc *p, const uint64_t a[6])
{
	int64_t rc = only_self(p, (int32_t)a[0]);
	if (rc)
		return rc;
	int32_t policy = p->sched_policy & ~G_SCHED_RESET_ON_FORK;
	struct timespec ts = {0, policy == G_SCHED_RR ? 100000000 : policy == G_SCHED_FIFO ? 0 :
										     4000000};
	return wf_mem_write(&p->mem, a[1], &ts, sizeof(ts)) ? -EFAULT : 0;
}

/* times: the CPU time is the vCPU thread's (as getrusage), in USER_HZ ticks; the result is
 * ticks since boot, as Linux's. */
static int64_t sys_times(struct wf_proc *p, const uint64_t a[6])
{
	struct timespec cpu, boot;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &cpu);
	clock_gettime(CLOCK_BOOTTIME, &boot);
	if (a[0]) {
		int64_t t[4] = {cpu.tv_sec * G_USER_HZ + cpu.tv_nsec / (1000000000 / G_USER_HZ), 0,
				0, 0};
		if (wf_mem_write(&p->mem, a[0], t, sizeof(t)))
			return -EFAULT;
	}
	return boot.tv_sec * G_USER_HZ + boot.tv_nsec / (1000000000 / G_USER_HZ);
}

/* getresuid and getresgid: real, effective and saved ids are the same. */
static int64_t put_three(struct wf_proc *p, const uint64_t a[6], uint32_t id)
{
	for (int i = 0; i < 3; i++)
		if (wf_mem_write(&p->mem, a[i], &id, sizeof(id)))
			return -EFAULT;
	return 0;
}

static int64_t sys_getresuid(struct wf_proc *p, const uint64_t a[6])
{
	return put_three(p, a, p->uid);
}

static int64_t sys_getresgid(struct wf_proc *p, const uint64_t a[6])
{
	return put_three(p, a, p->gid);
}

/* getgroups: the one supplementary group is the guest's own group. */
static int64_t sys_getgroups(struct wf_proc *p, const uint64_t a[6])
{
	int32_t size = (int32_t)a[0];
	if (size < 0)
		return -EINVAL;
	if (size == 0)
		return 1;
	uint32_t gid = p->gid;
	return wf_mem_write(&p->mem, a[1], &gid, sizeof(gid)) ? -EFAULT : 1;
}

/*
 * The id setters: the guest's identity is fixed (the host's, see process.c). Asking for the
 * ids it already has (or -1: unchanged) succeeds; asking for any other is EPERM, as for a
 * process without CAP_SETUID/CAP_SETGID (documented in docs/syscalls.md: a root guest
 * could change them natively). The fs ids follow the effective one.
 */
static bool same_ids(const uint64_t a[6], int n, uint32_t id)
{
	for (int i = 0; i < n; i++)
		if ((uint32_t)a[i] != 0xffffffffu && (uint32_t)a[i] != id)
			return false;
	return true;
}

static int64_t sys_setuid(struct wf_proc *p, const uint64_t a[6])
{
	return (uint32_t)a[0] == 0xffffffffu ? -EINVAL : same_ids(a, 1, p->uid) ? 0 : -EPERM;
}

static int64_t sys_setgid(struct wf_proc *p, const uint64_t a[6])
{
	return (uint32_t)a[0] == 0xffffffffu ? -EINVAL : same_ids(a, 1, p->gid) ? 0 : -EPERM;
}

static int64_t sys_setreuid(struct wf_proc *p, const uint64_t a[6])
{
	return same_ids(a, 2, p->uid) ? 0 : -EPERM;
}

static int64_t sys_setregid(struct wf_proc *p, const uint64_t a[6])
{
	return same_ids(a, 2, p->gid) ? 0 : -EPERM;
}

static int64_t sys_setresuid(struct wf_proc *p, const uint64_t a[6])
{
	return same_ids(a, 3, p->uid) ? 0 : -EPERM;
}

static int64_t sys_setresgid(struct wf_proc *p, const uint64_t a[6])
{
	return same_ids(a, 3, p->gid) ? 0 : -EPERM;
}

/* setfsuid and setfsgid never fail: they return the old fs id, changed or not. */
static int64_t sys_setfsuid(struct wf_proc *p, const uint64_t a[6])
{
	(void)a;
	return p->uid;
}

static int64_t sys_setfsgid(struct wf_proc *p, const uint64_t a[6])
{
	(void)a;
	return p->gid;
}

/* setgroups: only the list getgroups gives (the guest's own group, once or more). */
static int64_t sys_setgroups(struct wf_proc *p, const uint64_t a[6])
{
	int64_t size = (int64_t)a[0];
	if (size < 0 || size > 65536)
		return -EINVAL;
	for (int64_t i = 0; i < size; i++) {
		uint32_t g;
		if (wf_mem_read(&p->mem, &g, a[1] + (uint64_t)i * sizeof(g), sizeof(g)))
			return -EFAULT;
		if (g != p->gid)
			return -EPERM;
	}
	return size ? 0 : -EPERM;
}

/* personality: stored and given back (0xffffffff only asks); the VMM runs plain Linux
 * programs whatever it says. */
static int64_t sys_personality(struct wf_proc *p, const uint64_t a[6])
{
	uint32_t old = p->personality;
	if ((uint32_t)a[0] != 0xffffffffu)
		p->personality = (uint32_t)a[0];
	return old;
}

/* sync: the guest's files are the host's; it sees no difference once they are written. */
static int64_t sys_sync(struct wf_proc *p, const uint64_t a[6])
{
	(void)p, (void)a;
	return 0;
}

static int64_t sys_syncfs(struct wf_proc *p, const uint64_t a[6])
{
	struct wf_fd *f = wf_fd_get(p, (int)(uint32_t)a[0]);
	if (!f)
		return -EBADF;
	return f->kind == WF_FD_HOST && syncfs(f->host_fd) ? -errno : 0;
}

const struct wf_syscall_def wf_sys_sched[] = {
	{WF_NR_getpriority, "getpriority", sys_getpriority, "dd"},
	{WF_NR_setpriority, "setpriority", sys_setpriority, "ddd"},
	{WF_NR_sched_getscheduler, "sched_getscheduler", sys_sched_getscheduler, "d"},
	{WF_NR_sched_setscheduler, "sched_setscheduler", sys_sched_setscheduler, "ddp"},
	{WF_NR_sched_getparam, "sched_getparam", sys_sched_getparam, "dp"},
	{WF_NR_sched_setparam, "sched_setparam", sys_sched_setparam, "dp"},
	{WF_NR_sched_get_priority_max, "sched_get_priority_max", sys_sched_get_priority_max, "d"},
	{WF_NR_sched_get_priority_min, "sched_get_priority_min", sys_sched_get_priority_min, "d"},
	{WF_NR_sched_rr_get_interval, "sched_rr_get_interval", sys_sched_rr_get_interval, "dp"},
	{WF_NR_sched_setattr, "sched_setattr", sys_sched_setattr, "dpx"},
	{WF_NR_sched_getattr, "sched_getattr", sys_sched_getattr, "dpux"},
	{WF_NR_times, "times", sys_times, "p"},
	{WF_NR_getresuid, "getresuid", sys_getresuid, "ppp"},
	{WF_NR_getresgid, "getresgid", sys_getresgid, "ppp"},
	{WF_NR_getgroups, "getgroups", sys_getgroups, "dp"},
	{WF_NR_setuid, "setuid", sys_setuid, "d"},
	{WF_NR_setgid, "setgid", sys_setgid, "d"},
	{WF_NR_setreuid, "setreuid", sys_setreuid, "dd"},
	{WF_NR_setregid, "setregid", sys_setregid, "dd"},
	{WF_NR_setresuid, "setresuid", sys_setresuid, "ddd"},
	{WF_NR_setresgid, "setresgid", sys_setresgid, "ddd"},
	{WF_NR_setfsuid, "setfsuid", sys_setfsuid, "d"},
	{WF_NR_setfsgid, "setfsgid", sys_setfsgid, "d"},
	{WF_NR_setgroups, "setgroups", sys_setgroups, "dp"},
	{WF_NR_personality, "personality", sys_personality, "x"},
	{WF_NR_sync, "sync", sys_sync, ""},
	{WF_NR_syncfs, "syncfs", sys_syncfs, "f"},
	{0, NULL, NULL, NULL},
};
