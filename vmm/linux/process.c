// SPDX-License-Identifier: Apache-2.0
/* process.c: the process syscall family: ids, groups, waits, uname, limits, affinity, randomness, rseq. */
#include <errno.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/utsname.h>
#include <time.h>

#include "linux/ptable.h"
#include "linux/syscall.h"
#include "linux/threads.h"

/*
 * Until it forks, the guest is alone in its world: its own process group and session
 * leader, and the only pids that name a task are 0, its pid and its threads' tids. After
 * the first fork the sandbox's process table (linux/ptable.c) answers for other pids.
 */

/* Guest (asm-generic) constants, spelled out: never the host's. */
enum {
	G_RLIMIT_STACK = 3,
	G_RLIMIT_CORE = 4,
	G_RLIMIT_NPROC = 6,
	G_RLIMIT_NOFILE = 7,
	G_RLIMIT_MEMLOCK = 8,
	G_RLIMIT_SIGPENDING = 11,
	G_RLIMIT_MSGQUEUE = 12,
	G_RLIMIT_NICE = 13,
	G_RLIMIT_RTPRIO = 14,
	G_RLIM_NLIMITS = 16,
	G_GRND_NONBLOCK = 1,
	G_GRND_RANDOM = 2,
	G_GRND_INSECURE = 4,
	G_GETRANDOM_MAX = 33554431, /* INT_MAX >> 6, the per-call cap of urandom reads */
	G_ROBUST_LIST_HEAD = 24,
	G_RSEQ_SIZE = 32, /* struct rseq, also its alignment */
	G_RSEQ_FLAG_UNREGISTER = 1,
	G_PR_SET_PDEATHSIG = 1,
	G_PR_GET_PDEATHSIG = 2,
	G_PR_GET_DUMPABLE = 3,
	G_PR_SET_DUMPABLE = 4,
	G_PR_SET_NAME = 15,
	G_PR_GET_NAME = 16,
	G_PR_SET_TIMERSLACK = 29,
	G_PR_GET_TIMERSLACK = 30,
	G_PR_SET_NO_NEW_PRIVS = 38,
	G_PR_GET_NO_NEW_PRIVS = 39,
	G_RUSAGE_SELF = 0,
	G_RUSAGE_THREAD = 1,
	G_RUSAGE_CHILDREN = -1,
	G_UTS_LEN = 65,
};

#define G_RLIM_INFINITY (~0ull)

_Static_assert(sizeof(((struct wf_proc *)0)->rlim_cur) / sizeof(uint64_t) == G_RLIM_NLIMITS,
	       "wf_proc rlimit arrays");

/* Guest struct sysinfo (64-bit layout, 112 bytes). */
struct g_sysinfo {
	int64_t uptime;
	uint64_t loads[3];
	uint64_t totalram, freeram, sharedram, bufferram, totalswap, freeswap;
	uint16_t procs, pad;
	uint32_t pad2;
	uint64_t totalhigh, freehigh;
	uint32_t mem_unit;
	char reserved[4];
};
_Static_assert(sizeof(struct g_sysinfo) == 112, "arm64 struct sysinfo");

/* Guest struct rusage: two timevals and fourteen longs. */
struct g_rusage {
	int64_t utime[2], stime[2];
	int64_t maxrss, ixrss, idrss, isrss, minflt, majflt, nswap, inblock, oublock, msgsnd,
		msgrcv, nsignals, nvcsw, nivcsw;
};
_Static_assert(sizeof(struct g_rusage) == 144, "arm64 struct rusage");

static pid_t self_tid(const struct wf_proc *p)
{
	return p->tid ? p->tid : p->pid;
}

/* Does pid (as the guest passed it) name this process? 0 is "the caller". */
/* 0, our pid, or the tid of any of our threads (for the calls about the whole process). */
static bool is_self(const struct wf_proc *p, uint64_t arg)
{
	pid_t pid = (pid_t)arg;
	return pid == 0 || pid == p->pid || (pid > 0 && wf_thread_find(p, pid) >= 0);
}

static uint64_t mapped_bytes(const struct wf_proc *p)
{
	uint64_t n = 0;
	for (unsigned i = 0; i < p->nvmas; i++)
		n += p->vmas[i].end - p->vmas[i].start;
	return n;
}

static int64_t sys_getpid(struct wf_proc *p, const uint64_t a[6])
{
	(void)a;
	return p->pid;
}

static int64_t sys_gettid(struct wf_proc *p, const uint64_t a[6])
{
	(void)a;
	return self_tid(p);
}

static int64_t sys_getppid(struct wf_proc *p, const uint64_t a[6])
{
	(void)a;
	return p->ptab ? wf_ptab_getppid(p) : p->ppid; /* a parent's exit reparents to init */
}

static int64_t sys_getuid(struct wf_proc *p, const uint64_t a[6])
{
	(void)a;
	return p->uid;
}

static int64_t sys_getgid(struct wf_proc *p, const uint64_t a[6])
{
	(void)a;
	return p->gid;
}

/* getpgid and getsid: alone, the guest leads its own group and session. */
static int64_t sys_getpgid(struct wf_proc *p, const uint64_t a[6])
{
	if (p->ptab && !(a[0] && wf_thread_find(p, (int32_t)a[0]) >= 0))
		return wf_ptab_getpgid(p, (int32_t)a[0], false);
	return is_self(p, a[0]) ? p->pid : -ESRCH;
}

static int64_t sys_getsid(struct wf_proc *p, const uint64_t a[6])
{
	if (p->ptab && !(a[0] && wf_thread_find(p, (int32_t)a[0]) >= 0))
		return wf_ptab_getpgid(p, (int32_t)a[0], true);
	return is_self(p, a[0]) ? p->pid : -ESRCH;
}

static int64_t sys_setsid(struct wf_proc *p, const uint64_t a[6])
{
	(void)a;
	if (p->ptab)
		return wf_ptab_setsid(p);
	return -EPERM; /* already a process group leader */
}

/*
 * setpgid, in Linux's order (kernel/sys.c). The process leads its session (as the conformance
 * runner starts programs natively), so Linux will not move it: EPERM. Its other threads are
 * not group leaders (EINVAL); no other pid is a child of it (ESRCH).
 */
static int64_t sys_setpgid(struct wf_proc *p, const uint64_t a[6])
{
	int32_t pid = (int32_t)a[0], pgid = (int32_t)a[1];
	if (!pid)
		pid = p->pid;
	if (!pgid)
		pgid = pid;
	if (pgid < 0)
		return -EINVAL;
	if (pid != p->pid && pid > 0 && wf_thread_find(p, pid) >= 0)
		return -EINVAL;
	if (p->ptab)
		return wf_ptab_setpgid(p, pid, pgid);
	if (pid == p->pid)
		return -EPERM;
	return pid > 0 && wf_thread_find(p, pid) >= 0 ? -EINVAL : -ESRCH;
}

static void uts_copy(char *dst, const char *src)
{
	size_t n = strnlen(src, G_UTS_LEN - 1);
	memcpy(dst, src, n);
	memset(dst + n, 0, G_UTS_LEN - n);
}

static int64_t sys_uname(struct wf_proc *p, const uint64_t a[6])
{
	struct utsname host;
	char u[6][G_UTS_LEN];

	if (uname(&host))
		memset(&host, 0, sizeof(host));
	uts_copy(u[0], "Linux");
	uts_copy(u[1], host.nodename);
	uts_copy(u[2], host.release);
	uts_copy(u[3], host.version);
	uts_copy(u[4], "aarch64");
	uts_copy(u[5], host.domainname);
	return wf_mem_write(&p->mem, a[0], u, sizeof(u));
}

/* Limits not set by the guest: what a Linux login shell usually hands its children. */
static void rlim_get(const struct wf_proc *p, unsigned r, uint64_t *cur, uint64_t *max)
{
	if (p->rlim_set & (1u << r)) {
		*cur = p->rlim_cur[r];
		*max = p->rlim_max[r];
		return;
	}
	*cur = *max = G_RLIM_INFINITY;
	switch (r) {
	case G_RLIMIT_STACK:
		*cur = 8ull << 20;
		break;
	case G_RLIMIT_CORE:
		*cur = 0;
		break;
	case G_RLIMIT_NPROC:
	case G_RLIMIT_SIGPENDING:
		*cur = *max = 4096;
		break;
	case G_RLIMIT_NOFILE:
		*cur = *max = p->nfds ? p->nfds : WF_MAX_FDS_DEFAULT;
		break;
	case G_RLIMIT_MEMLOCK:
		*cur = *max = 8ull << 20;
		break;
	case G_RLIMIT_MSGQUEUE:
		*cur = *max = 819200;
		break;
	case G_RLIMIT_NICE:
	case G_RLIMIT_RTPRIO:
		*cur = *max = 0;
		break;
	}
}

/* do_prlimit: old (if asked) gets the values before any change. */
static int do_prlimit(struct wf_proc *p, unsigned r, const uint64_t *nlim, uint64_t *olim)
{
	uint64_t cur, max;
	if (r >= G_RLIM_NLIMITS)
		return -EINVAL;
	rlim_get(p, r, &cur, &max);
	if (nlim) {
		if (nlim[0] > nlim[1])
			return -EINVAL;
		/* Raising a hard limit takes CAP_SYS_RESOURCE; the fd table cannot grow at all. */
		if ((nlim[1] > max && p->uid != 0) ||
		    (r == G_RLIMIT_NOFILE && nlim[1] > (p->nfds ? p->nfds : WF_MAX_FDS_DEFAULT)))
			return -EPERM;
		p->rlim_cur[r] = nlim[0];
		p->rlim_max[r] = nlim[1];
		p->rlim_set |= (uint16_t)(1u << r);
	}
	if (olim) {
		olim[0] = cur;
		olim[1] = max;
	}
	return 0;
}

static int64_t sys_prlimit64(struct wf_proc *p, const uint64_t a[6])
{
	uint64_t nlim[2], olim[2];
	int err;

	if (a[2] && wf_mem_read(&p->mem, nlim, a[2], sizeof(nlim)))
		return -EFAULT;
	if (!is_self(p, a[0]))
		return -ESRCH;
	err = do_prlimit(p, (unsigned)a[1], a[2] ? nlim : NULL, a[3] ? olim : NULL);
	if (!err && a[3] && wf_mem_write(&p->mem, a[3], olim, sizeof(olim)))
		return -EFAULT;
	return err;
}

static int64_t sys_getrlimit(struct wf_proc *p, const uint64_t a[6])
{
	uint64_t olim[2];
	int err = do_prlimit(p, (unsigned)a[0], NULL, olim);
	if (err)
		return err;
	return wf_mem_write(&p->mem, a[1], olim, sizeof(olim));
}

static int64_t sys_setrlimit(struct wf_proc *p, const uint64_t a[6])
{
	uint64_t nlim[2];
	if (wf_mem_read(&p->mem, nlim, a[1], sizeof(nlim)))
		return -EFAULT;
	return do_prlimit(p, (unsigned)a[0], nlim, NULL);
}

static int64_t sys_sysinfo(struct wf_proc *p, const uint64_t a[6])
{
	struct g_sysinfo si = {0};
	struct timespec up;
	uint64_t used = mapped_bytes(p);

	clock_gettime(CLOCK_BOOTTIME, &up);
	si.uptime = up.tv_sec + (up.tv_nsec ? 1 : 0);
	si.totalram = p->mem.size;
	si.freeram = used < p->mem.size ? p->mem.size - used : 0;
	si.procs = 1;
	si.mem_unit = 1;
	return wf_mem_write(&p->mem, a[0], &si, sizeof(si));
}

/* One CPU: the mask is one unsigned long with bit 0 set. */
static int64_t sys_sched_getaffinity(struct wf_proc *p, const uint64_t a[6])
{
	uint32_t len = (uint32_t)a[1];
	const uint64_t mask = 1;
	if (len < sizeof(mask) || len % sizeof(mask))
		return -EINVAL;
	if (!is_self(p, a[0]))
		return -ESRCH;
	if (wf_mem_write(&p->mem, a[2], &mask, sizeof(mask)))
		return -EFAULT;
	return sizeof(mask);
}

static int64_t sys_sched_setaffinity(struct wf_proc *p, const uint64_t a[6])
{
	uint32_t len = (uint32_t)a[1];
	uint64_t mask = 0;
	if (len > sizeof(mask))
		len = sizeof(mask);
	if (wf_mem_read(&p->mem, &mask, a[2], len))
		return -EFAULT;
	if (!is_self(p, a[0]))
		return -ESRCH;
	return (mask & 1) ? 0 : -EINVAL; /* the mask must include the one CPU */
}

static int64_t sys_getcpu(struct wf_proc *p, const uint64_t a[6])
{
	const uint32_t zero = 0;
	for (int i = 0; i < 2; i++)
		if (a[i] && wf_mem_write(&p->mem, a[i], &zero, sizeof(zero)))
			return -EFAULT;
	return 0;
}

/* Fill the guest buffer page by page; a fault after some bytes returns the count so far. */
static int64_t sys_getrandom(struct wf_proc *p, const uint64_t a[6])
{
	uint32_t flags = (uint32_t)a[2];
	uint64_t len = a[1], done = 0;

	if (flags & ~(uint32_t)(G_GRND_NONBLOCK | G_GRND_RANDOM | G_GRND_INSECURE))
		return -EINVAL;
	if ((flags & (G_GRND_RANDOM | G_GRND_INSECURE)) == (G_GRND_RANDOM | G_GRND_INSECURE))
		return -EINVAL;
	if (len > G_GETRANDOM_MAX)
		len = G_GETRANDOM_MAX;
	while (done < len) {
		wf_gaddr_t at;
		if (__builtin_add_overflow(a[0], done, &at))
			break;
		uint64_t chunk = WF_PAGE_SIZE - at % WF_PAGE_SIZE;
		if (chunk > len - done)
			chunk = len - done;
		void *h = wf_mem_ptr(&p->mem, at, chunk, WF_PROT_WRITE);
		if (!h)
			break;
		wf_proc_random(p, h, chunk);
		done += chunk;
	}
	if (done == 0 && len > 0)
		return -EFAULT;
	return (int64_t)done;
}

static int64_t sys_set_robust_list(struct wf_proc *p, const uint64_t a[6])
{
	if (a[1] != G_ROBUST_LIST_HEAD)
		return -EINVAL;
	p->robust_list = a[0];
	p->robust_len = a[1];
	return 0;
}

static int64_t sys_get_robust_list(struct wf_proc *p, const uint64_t a[6])
{
	const uint64_t len = G_ROBUST_LIST_HEAD;
	if (!is_self(p, a[0]))
		return -ESRCH;
	if (wf_mem_write(&p->mem, a[2], &len, sizeof(len)))
		return -EFAULT;
	return wf_mem_write(&p->mem, a[1], &p->robust_list, sizeof(p->robust_list));
}

/*
 * rseq: the kernel fills cpu_id_start and cpu_id (the first two u32 fields) on the way back
 * to user space; with one CPU they are 0 for good. Unregistering sets cpu_id to -1
 * (RSEQ_CPU_ID_UNINITIALIZED). A struct the guest cannot write is refused with EFAULT
 * (Linux would accept it and SIGSEGV the task on return).
 */
static int64_t sys_rseq(struct wf_proc *p, const uint64_t a[6])
{
	wf_gaddr_t addr = a[0];
	uint32_t len = (uint32_t)a[1], sig = (uint32_t)a[3];
	int32_t flags = (int32_t)a[2];

	if (flags & G_RSEQ_FLAG_UNREGISTER) {
		if (flags & ~G_RSEQ_FLAG_UNREGISTER)
			return -EINVAL;
		if (!p->rseq || p->rseq != addr || len != p->rseq_len)
			return -EINVAL;
		if (sig != p->rseq_sig)
			return -EPERM;
		const uint32_t ids[2] = {0, UINT32_MAX};
		if (wf_mem_write(&p->mem, addr, ids, sizeof(ids)))
			return -EFAULT;
		p->rseq = p->rseq_len = 0;
		p->rseq_sig = 0;
		return 0;
	}
	if (flags)
		return -EINVAL;
	if (p->rseq) {
		if (p->rseq != addr || len != p->rseq_len)
			return -EINVAL;
		return sig != p->rseq_sig ? -EPERM : -EBUSY;
	}
	if (len < G_RSEQ_SIZE || addr % G_RSEQ_SIZE)
		return -EINVAL;
	if (!wf_mem_ptr(&p->mem, addr, len, WF_PROT_READ | WF_PROT_WRITE))
		return -EFAULT;
	const uint32_t ids[2] = {0, 0};
	if (wf_mem_write(&p->mem, addr, ids, sizeof(ids)))
		return -EFAULT;
	p->rseq = addr;
	p->rseq_len = len;
	p->rseq_sig = sig;
	return 0;
}

static int64_t sys_prctl(struct wf_proc *p, const uint64_t a[6])
{
	switch ((int32_t)a[0]) {
	case G_PR_SET_NAME: {
		/* Like strncpy_from_user of 15 bytes: a missing NUL is fine, a fault is not. */
		char comm[sizeof(p->comm)] = {0};
		int64_t n = wf_mem_strnlen(&p->mem, a[1], sizeof(comm) - 1);
		if (n == -ENAMETOOLONG)
			n = sizeof(comm) - 1;
		if (n < 0 || wf_mem_read(&p->mem, comm, a[1], (uint64_t)n))
			return -EFAULT;
		memcpy(p->comm, comm, sizeof(comm));
		wf_ptab_note_names(p);
		return 0;
	}
	case G_PR_GET_NAME:
		return wf_mem_write(&p->mem, a[1], p->comm, sizeof(p->comm));
	case G_PR_SET_PDEATHSIG:
		if (a[1] > WF_NSIG)
			return -EINVAL;
		p->pdeathsig = (int32_t)a[1];
		wf_ptab_note_pdeathsig(p);
		return 0;
	case G_PR_GET_PDEATHSIG: {
		int32_t sig = p->pdeathsig;
		return wf_mem_write(&p->mem, a[1], &sig, sizeof(sig));
	}
	case G_PR_GET_DUMPABLE:
		return p->dumpable;
	case G_PR_SET_DUMPABLE:
		if (a[1] > 1) /* SUID_DUMP_DISABLE or SUID_DUMP_USER */
			return -EINVAL;
		p->dumpable = (uint8_t)a[1];
		return 0;
	case G_PR_SET_TIMERSLACK:
		/* 0 (or a negative long) puts the default back. */
		p->timerslack_ns = (int64_t)a[1] <= 0 ? 50000 : a[1];
		return 0;
	case G_PR_GET_TIMERSLACK:
		return (int64_t)p->timerslack_ns;
	case G_PR_SET_NO_NEW_PRIVS:
		if (a[1] != 1 || a[2] || a[3] || a[4])
			return -EINVAL;
		p->no_new_privs = 1; /* there is no way back; setuid programs never gain anything here */
		return 0;
	case G_PR_GET_NO_NEW_PRIVS:
		if (a[1] || a[2] || a[3] || a[4])
			return -EINVAL;
		return p->no_new_privs;
	default:
		return -EINVAL;
	}
}

static int64_t sys_getrusage(struct wf_proc *p, const uint64_t a[6])
{
	struct g_rusage ru = {0};
	int32_t who = (int32_t)a[0];

	if (who != G_RUSAGE_SELF && who != G_RUSAGE_THREAD && who != G_RUSAGE_CHILDREN)
		return -EINVAL;
	if (who != G_RUSAGE_CHILDREN) {
		/* The guest's CPU time is the vCPU thread's (see time.c). */
		struct rusage host;
		if (getrusage(RUSAGE_THREAD, &host) == 0) {
			ru.utime[0] = host.ru_utime.tv_sec;
			ru.utime[1] = host.ru_utime.tv_usec;
			ru.stime[0] = host.ru_stime.tv_sec;
			ru.stime[1] = host.ru_stime.tv_usec;
		}
		ru.maxrss = (int64_t)(mapped_bytes(p) / 1024);
	}
	return wf_mem_write(&p->mem, a[1], &ru, sizeof(ru));
}

/*
 * wait4 and waitid: Linux's argument checks (kernel/exit.c, in its order), then the children
 * in the process table; without a table (no fork yet) there are none: ECHILD.
 */
enum {
	G_WNOHANG = 0x1, G_WSTOPPED = 0x2, G_WEXITED = 0x4, G_WCONTINUED = 0x8,
	G_WNOWAIT = 0x01000000, G_WNOTHREAD = 0x20000000, G_WALL = 0x40000000,
	G_WCLONE = (int)0x80000000,
	G_P_ALL = 0, G_P_PID = 1, G_P_PGID = 2, G_P_PIDFD = 3,
	G_CLD_STOPPED = 5, G_CLD_CONTINUED = 6,
};

/* Guest struct rusage: 2 timevals and 14 longs. */
#define G_RUSAGE_SIZE 144

static int64_t sys_wait4(struct wf_proc *p, const uint64_t a[6])
{
	int32_t pid = (int32_t)a[0], options = (int32_t)a[2];
	if (options & ~(G_WNOHANG | G_WSTOPPED | G_WCONTINUED | G_WNOTHREAD | G_WCLONE | G_WALL))
		return -EINVAL;
	if (pid == INT32_MIN) /* -INT_MIN is not defined */
		return -ESRCH;
	if (!p->ptab)
		return -ECHILD;
	int which = pid > 0 ? G_P_PID : pid == -1 ? G_P_ALL : G_P_PGID;
	int32_t id = pid > 0 ? pid : pid < -1 ? -pid : 0;
	if (pid == 0)
		id = (int32_t)wf_ptab_getpgid(p, 0, false);
	int32_t ws = 0, code = 0;
	int64_t r = wf_ptab_wait(p, which, id, options | G_WEXITED, &ws, &code);
	if (r > 0) {
		static const uint8_t zero[G_RUSAGE_SIZE];
		if (a[1] && wf_mem_write(&p->mem, a[1], &ws, sizeof(ws)))
			return -EFAULT;
		if (a[3] && wf_mem_write(&p->mem, a[3], zero, sizeof(zero)))
			return -EFAULT;
	}
	return r;
}

static int64_t waitid_check(int32_t which, int32_t id, int32_t options)
{
	if (options & ~(G_WNOHANG | G_WNOWAIT | G_WEXITED | G_WSTOPPED | G_WCONTINUED |
			G_WNOTHREAD | G_WCLONE | G_WALL))
		return -EINVAL;
	if (!(options & (G_WEXITED | G_WSTOPPED | G_WCONTINUED)))
		return -EINVAL;
	switch (which) {
	case G_P_ALL:
		return -ECHILD;
	case G_P_PID:
		return id <= 0 ? -EINVAL : -ECHILD;
	case G_P_PGID:
		return id < 0 ? -EINVAL : -ECHILD;
	case G_P_PIDFD: /* no fd of this process is a pidfd: EBADF, open or not (pidfd_pid) */
		return id < 0 ? -EINVAL : -EBADF;
	default:
		return -EINVAL;
	}
}

static int64_t sys_waitid(struct wf_proc *p, const uint64_t a[6])
{
	int32_t which = (int32_t)a[0], id = (int32_t)a[1], options = (int32_t)a[3];
	int64_t err = waitid_check(which, id, options);
	int32_t ws = 0, code = 0;
	if (err == -ECHILD && p->ptab) {
		if (which == G_P_PGID && id == 0)
			id = (int32_t)wf_ptab_getpgid(p, 0, false);
		err = wf_ptab_wait(p, which, id, options, &ws, &code);
	}
	if (!a[2] || err == -WF_ERESTARTSYS)
		return err > 0 ? 0 : err;
	/* Linux then stores siginfo's signo, errno, code and pid, uid, status (zero when no
	 * child was reaped) whatever the outcome, so a bad infop is EFAULT even after an error.
	 * The 4 bytes between code and pid are left as they are. */
	uint32_t head[3] = {0}, body[3] = {0};
	if (err > 0) {
		head[0] = WF_SIGCHLD;
		head[2] = (uint32_t)code;
		body[0] = (uint32_t)err;
		body[1] = p->uid;
		/* si_status: the exit code, the killing signal, the stopping one, or SIGCONT */
		body[2] = (uint32_t)(code == G_CLD_CONTINUED ? WF_SIGCONT :
				     code == G_CLD_STOPPED || !(ws & 0x7f) ? (ws >> 8) & 0xff :
									     ws & 0x7f);
	}
	if (a[2] > UINT64_MAX - 128 || wf_mem_write(&p->mem, a[2], head, sizeof(head)) ||
	    wf_mem_write(&p->mem, a[2] + 16, body, sizeof(body)))
		return -EFAULT;
	return err > 0 ? 0 : err;
}

const struct wf_syscall_def wf_sys_process[] = {
	{WF_NR_getpid, "getpid", sys_getpid, ""},
	{WF_NR_gettid, "gettid", sys_gettid, ""},
	{WF_NR_getppid, "getppid", sys_getppid, ""},
	{WF_NR_getuid, "getuid", sys_getuid, ""},
	{WF_NR_geteuid, "geteuid", sys_getuid, ""},
	{WF_NR_getgid, "getgid", sys_getgid, ""},
	{WF_NR_getegid, "getegid", sys_getgid, ""},
	{WF_NR_getpgid, "getpgid", sys_getpgid, "d"},
	{WF_NR_getsid, "getsid", sys_getsid, "d"},
	{WF_NR_setsid, "setsid", sys_setsid, ""},
	{WF_NR_setpgid, "setpgid", sys_setpgid, "dd"},
	{WF_NR_uname, "uname", sys_uname, "p"},
	{WF_NR_prlimit64, "prlimit64", sys_prlimit64, "ddpp"},
	{WF_NR_getrlimit, "getrlimit", sys_getrlimit, "dp"},
	{WF_NR_setrlimit, "setrlimit", sys_setrlimit, "dp"},
	{WF_NR_sysinfo, "sysinfo", sys_sysinfo, "p"},
	{WF_NR_sched_getaffinity, "sched_getaffinity", sys_sched_getaffinity, "dup"},
	{WF_NR_sched_setaffinity, "sched_setaffinity", sys_sched_setaffinity, "dup"},
	{WF_NR_getcpu, "getcpu", sys_getcpu, "ppp"},
	{WF_NR_getrandom, "getrandom", sys_getrandom, "pux"},
	{WF_NR_set_robust_list, "set_robust_list", sys_set_robust_list, "pu"},
	{WF_NR_get_robust_list, "get_robust_list", sys_get_robust_list, "dpp"},
	{WF_NR_rseq, "rseq", sys_rseq, "puxx"},
	{WF_NR_prctl, "prctl", sys_prctl, "dxxxx"},
	{WF_NR_getrusage, "getrusage", sys_getrusage, "dp"},
	{WF_NR_wait4, "wait4", sys_wait4, "dpxp"},
	{WF_NR_waitid, "waitid", sys_waitid, "ddpxp"},
	{0},
};
