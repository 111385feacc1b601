// SPDX-License-Identifier: Apache-2.0
/* syscall.h: the syscall layer's interface: handler type, per-family tables, dispatch. */
#ifndef WARMFORK_SYSCALL_H
#define WARMFORK_SYSCALL_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proc.h"
#include "linux/signals.h"
#include "linux/sysnr.h"

/* A handler gets the six argument registers and returns the result or -errno. */
typedef int64_t (*wf_sys_fn)(struct wf_proc *p, const uint64_t a[6]);

/*
 * One syscall. `args` drives --trace, one character per argument: 'd' signed int,
 * 'u' unsigned, 'x' hex, 'o' octal, 'p' guest pointer, 's' guest string, 'f' fd (like 'd'
 * but AT_FDCWD prints by name). The result prints as a signed number, or -errno by name.
 */
struct wf_syscall_def {
	int nr;
	const char *name;
	wf_sys_fn fn;
	const char *args;
};

/* Per-family tables (read-only), each ended by an entry with name == NULL. */
extern const struct wf_syscall_def wf_sys_fs[];      /* linux/fs.c: paths, stat, dirs */
extern const struct wf_syscall_def wf_sys_io[];      /* linux/io.c: fds, read/write, pipes */
extern const struct wf_syscall_def wf_sys_mm[];      /* linux/mm.c: brk, mmap family */
extern const struct wf_syscall_def wf_sys_time[];    /* linux/time.c: clocks, sleeps */
extern const struct wf_syscall_def wf_sys_process[]; /* linux/process.c: ids, limits, exit */
extern const struct wf_syscall_def wf_sys_signal[];  /* linux/signal.c: sigaction, masks, waits */
extern const struct wf_syscall_def wf_sys_sigsend[]; /* linux/sigsend.c: kill, sigqueue */
extern const struct wf_syscall_def wf_sys_thread[];  /* linux/thread.c: clone, exit, yield */
extern const struct wf_syscall_def wf_sys_futex[];   /* linux/futex.c: futex */
extern const struct wf_syscall_def wf_sys_exec[];    /* linux/exec.c: execve, execveat */
extern const struct wf_syscall_def wf_sys_poll[];    /* linux/poll.c: ppoll, pselect6 */
extern const struct wf_syscall_def wf_sys_socket[];  /* linux/socket.c: AF_UNIX pairs */
extern const struct wf_syscall_def wf_sys_fdx[];     /* linux/fdx.c: eventfd, epoll, copies */
extern const struct wf_syscall_def wf_sys_sched[];   /* linux/sched.c: priorities, times */
extern const struct wf_syscall_def wf_sys_links[];   /* linux/links.c: rename, links */
extern const struct wf_syscall_def wf_sys_unix[];    /* linux/unix.c: AF_UNIX sockets */
extern const struct wf_syscall_def wf_sys_timers[];  /* linux/timers.c: itimers, POSIX timers */
extern const struct wf_syscall_def wf_sys_fsmeta[];  /* linux/fsmeta.c: xattrs, chmod, statfs */

/* The families, in registration order: the one list dispatch, its test and the docs use. */
struct wf_sys_family {
	const char *name; /* "fs" */
	const char *file; /* "vmm/linux/fs.c" */
	const struct wf_syscall_def *defs;
};
extern const struct wf_sys_family wf_sys_families[];
extern const size_t wf_sys_nfamilies;

/* The lookup array a VM builds once from the family tables. */
struct wf_systab {
	const struct wf_syscall_def *by_nr[WF_NR_MAX];
};

/*
 * Register one table (ended by name == NULL) into t. A number out of range or an entry without
 * handler or trace format is -EINVAL; a number already taken is -EEXIST. Nothing is registered
 * from a table that fails.
 */
int wf_systab_add(struct wf_systab *t, const struct wf_syscall_def *defs);
/* Empty t and register every family: 0, or the first family's error (a bug in a table). */
int wf_systab_init(struct wf_systab *t);

/* Run syscall nr with args; unknown numbers give -ENOSYS and are counted. Traces if asked. */
int64_t wf_syscall(struct wf_proc *p, const struct wf_systab *t, uint64_t nr, const uint64_t a[6]);

/*
 * The guest's /proc (procfs.c). wf_procfs_path: whether an absolute guest path lies under
 * /proc. wf_procfs_open: a host fd holding the file's contents (made now), or -errno.
 * wf_procfs_readlink: the target of a /proc symlink into buf (not NUL-terminated, at most
 * cap bytes), its length, or -errno (-EINVAL: not a symlink).
 */
bool wf_procfs_path(const char *abs);
int wf_procfs_open(struct wf_proc *p, const char *abs, bool write);
int wf_procfs_readlink(struct wf_proc *p, const char *abs, char *buf, size_t cap);

/* A guest iovec array (addr, cnt entries) as host iovecs over guest memory the transfer may
 * use (io.c): *n of them, *want the bytes asked for (clamped as Linux's import_iovec; a
 * prefix that faults ends the list: no entries with want > 0 means EFAULT). 0, -EINVAL
 * (cnt > 1024, a negative length) or -EFAULT (the array). hiov holds 1024 entries. */
struct iovec;
int wf_iov_import(struct wf_proc *p, wf_gaddr_t addr, uint64_t cnt, bool out,
		  struct iovec *hiov, int *n, uint64_t *want);

/* Open guest path `path` (relative to dirfd, or AT_FDCWD) to read it for execve (fs.c): a
 * host fd and the path's absolute guest form in abs, or -errno. */
int wf_fs_open_exec(struct wf_proc *p, int dirfd, const char *path, bool nofollow, char *abs,
		    size_t abssz);

/* What a *at call names (fs.c): guest path addr relative to dirfd, or dirfd itself with
 * AT_EMPTY_PATH and an empty path (AT_SYMLINK_NOFOLLOW: a last symlink itself). A host fd in
 * *hfd (an O_PATH one for a path, which the caller closes: *own, else -1) and whether it lies
 * under a writable allowed directory; or -errno. */
int wf_fs_at(struct wf_proc *p, int dirfd, wf_gaddr_t addr, int at_flags, int *hfd, int *own,
	     bool *writable);
/*
 * The parent directory of a name a call creates or removes (fs.c), under a writable allowed
 * directory (else -EACCES): an O_PATH host fd in pfd (the caller closes it) and the last
 * component; or, for a name that is an allowed directory itself or ends in "."/"..",
 * special 1 ("." or the directory) or 2 (".."), pfd -1 and last "". last_dot: the path's
 * last component was "." (1) or ".." (2). Returns 0 or -errno (pfd -1).
 */
struct wf_fs_name {
	int pfd, special, last_dot;
	bool long_last; /* -ENAMETOOLONG for a last component over NAME_MAX (a lookup's error) */
	char last[256];
};
int wf_fs_parent(struct wf_proc *p, int dirfd, wf_gaddr_t addr, struct wf_fs_name *n);
/* The same for a path the VMM holds (path non-NULL; addr is then ignored). */
int wf_fs_parent_str(struct wf_proc *p, int dirfd, wf_gaddr_t addr, const char *path,
		     struct wf_fs_name *n);
/* Guest path `path` (relative to the cwd), symlinks followed: an O_PATH host fd in *hfd (the
 * caller closes it) and whether it may be changed (see host_writable in fs.c); or -errno. */
int wf_fs_open_path(struct wf_proc *p, const char *path, int *hfd, bool *writable);
/* Make guest path `path` the cwd, as chdir(2) would (fs.c). Returns 0 or -errno. */
int wf_fs_chdir(struct wf_proc *p, const char *path);

/* Timers (timers.c): send the signals of those due at `now` (CLOCK_MONOTONIC ns) and re-arm
 * them for their next period; p->timer_next is then the next expiry. wf_timers_forget: a
 * fork's child (keep_real false: none survive) or a new program (ITIMER_REAL survives). */
void wf_timers_fire(struct wf_proc *p, int64_t now);
/* restart_syscall after an interrupted nanosleep or clock_nanosleep (time.c), or -EINTR. */
int64_t wf_sleep_restart(struct wf_proc *p);
void wf_timers_forget(struct wf_proc *p, bool keep_real);
/* A POSIX timer's signal was taken (delivered or waited for): its overruns become the ones
 * timer_getoverrun reports, until the next one is taken. */
void wf_timers_taken(struct wf_proc *p, const struct wf_siginfo *info);

/*
 * Another process's signal waits to be taken (linux/ptable.c). Checked right before a host
 * call that may block: its wake-up signal may have come already (between the VMM's last
 * look and the call) and would not interrupt it. The syscall then restarts as if
 * interrupted, and the signal is taken on the way. It also makes sure the run's time limit
 * interrupts the call (wf_mmu_ops.may_block).
 */
bool wf_proc_signalled(struct wf_proc *p);

/* signalfds (linux/fdx.c): before a wait, make each one's host fd ready exactly while a
 * signal of its mask is pending; in a forked child, give them host fds of their own; and
 * read(2) on one (buf, len as the guest gave them). */
void wf_signalfd_sync(struct wf_proc *p);
void wf_signalfd_forked(struct wf_proc *p);
int64_t wf_signalfd_read(struct wf_proc *p, struct wf_fd *f, uint64_t buf, uint64_t len);

/* A failed host call's result (errno set): a host signal (another guest process's wake-up,
 * the run's timer) restarts the syscall, as ERESTARTSYS does, after the VMM has looked at it;
 * anything else is the host's error. */
static inline int64_t wf_host_err(void)
{
	return errno == EINTR ? -WF_ERESTARTSYS : -errno;
}

/* One read (out: write) of len bytes at host buf through guest fd f, at offset off (-1: the
 * file position), as read(2)/write(2) would (io.c): bytes moved or -errno. */
int64_t wf_io_xfer(struct wf_proc *p, struct wf_fd *f, void *buf, uint64_t len, bool out,
		   int64_t off);
/* The name of an errno value ("ENOENT"), for traces and docs. */
const char *wf_errno_name(int err);

#endif
