// SPDX-License-Identifier: Apache-2.0
/* sandbox.c: the VMM process's seccomp filter (libseccomp): after set-up, only the host system calls a running VMM needs. */
#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <seccomp.h>

#include "util.h"
#include "sandbox.h"
#include "linux/ptable.h"

/*
 * Allowed with any arguments. Names, not numbers: libseccomp resolves them for the
 * architecture this runs on and names that do not exist there are skipped.
 */
static const char *const allowed[] = {
	/* I/O on descriptors the VMM holds (guest files, pipes, stdio, the RAM file) */
	"read", "write", "readv", "writev", "pread64", "pwrite64", "preadv", "pwritev", "preadv2", "pwritev2", "close",
	"lseek", "dup", "dup3", "fcntl", "pipe2", "ppoll", "poll",
	/* files, always relative to an fd: the allowed directories' openat2 (RESOLVE_BENEATH /
	 * RESOLVE_IN_ROOT), and the embedder's own (libFuzzer's artifacts and corpus) */
	"openat", "openat2", "newfstatat", "fstat", "statx", "readlinkat", "getdents64", "mkdirat",
	"unlinkat", "renameat", "renameat2", "symlinkat", "linkat", "mknodat", "faccessat", "faccessat2", "fchmod", "ftruncate",
	"fallocate", "fsync", "fdatasync", "fstatfs", "getcwd",
	/* the guest's event fds, copies and locks (linux/fdx.c) */
	"eventfd2", "timerfd_create", "timerfd_settime", "timerfd_gettime", "epoll_create1",
	"epoll_ctl", "epoll_pwait", "epoll_pwait2", "epoll_wait", "sendfile", "copy_file_range", "splice", "tee",
	"flock", "fadvise64", "syncfs",
	/* file metadata (linux/fsmeta.c): host files the guest may name, by fd or /proc/self/fd */
	"getxattr", "lgetxattr", "fgetxattr", "setxattr", "lsetxattr", "fsetxattr", "listxattr",
	"llistxattr", "flistxattr", "removexattr", "lremovexattr", "fremovexattr", "statfs",
	"truncate", "fchmod", "fchmodat", "fchown", "fchownat", "utimensat",
	/* memory: guest RAM, forks, file maps, malloc (no new executable memory: below) */
	"munmap", "madvise", "mremap", "brk", "memfd_create",
	/* time and timers (the run timeout, guest sleeps, libFuzzer's -timeout) */
	"clock_gettime", "clock_getres", "clock_nanosleep", "nanosleep", "gettimeofday",
	"timer_create", "timer_settime", "timer_gettime", "timer_delete", "setitimer",
	"getitimer", "times",
	/* signals, futexes and the threads libc and libFuzzer already run */
	"rt_sigaction", "rt_sigprocmask", "rt_sigreturn", "rt_sigtimedwait", "rt_sigpending",
	"sigaltstack", "restart_syscall", "futex", "set_robust_list", "get_robust_list", "rseq",
	"sched_yield", "sched_getaffinity", "set_tid_address",
	/* identity, limits, randomness, and leaving */
	"gettid", "getpid", "getppid", "getuid", "geteuid", "getgid", "getegid", "getrandom",
	"getrusage", "prlimit64", "uname", "exit", "exit_group",
};

/* ioctl requests outside KVM's type: stdio's isatty, terminal size, FIONREAD. */
static const unsigned long tty_ioctls[] = {0x5401 /* TCGETS */, 0x5413 /* TIOCGWINSZ */,
					   0x541b /* FIONREAD */};

/* A test of system call argument `arg`: op with a (SCMP_CMP_MASKED_EQ: mask a, value b). */
static struct scmp_arg_cmp arg_is(unsigned arg, enum scmp_compare op, scmp_datum_t a,
				  scmp_datum_t b)
{
	return (struct scmp_arg_cmp){.arg = arg, .op = op, .datum_a = a, .datum_b = b};
}

static int add(scmp_filter_ctx ctx, uint32_t action, const char *name, unsigned n,
	       const struct scmp_arg_cmp *cmp)
{
	int nr = seccomp_syscall_resolve_name(name);
	if (nr == __NR_SCMP_ERROR)
		return 0; /* not a system call on this architecture */
	return seccomp_rule_add_array(ctx, action, nr, n, cmp);
}

static int build(scmp_filter_ctx ctx)
{
	int rc = 0;
	for (size_t i = 0; !rc && i < ARRAY_SIZE(allowed); i++)
		rc = add(ctx, SCMP_ACT_ALLOW, allowed[i], 0, NULL);
	/* KVM's ioctls (type 0xAE), on /dev/kvm, VMs and vCPUs, and a few terminal ones. */
	struct scmp_arg_cmp kvm = arg_is(1, SCMP_CMP_MASKED_EQ, 0xff00, 0xae00);
	if (!rc)
		rc = add(ctx, SCMP_ACT_ALLOW, "ioctl", 1, &kvm);
	for (size_t i = 0; !rc && i < ARRAY_SIZE(tty_ioctls); i++) {
		struct scmp_arg_cmp req = arg_is(1, SCMP_CMP_EQ, tty_ioctls[i], 0);
		rc = add(ctx, SCMP_ACT_ALLOW, "ioctl", 1, &req);
	}
	/* Memory, but never executable: no new host code can appear. */
	struct scmp_arg_cmp noexec = arg_is(2, SCMP_CMP_MASKED_EQ, PROT_EXEC, 0);
	if (!rc)
		rc = add(ctx, SCMP_ACT_ALLOW, "mmap", 1, &noexec);
	if (!rc)
		rc = add(ctx, SCMP_ACT_ALLOW, "mprotect", 1, &noexec);
	/* Threads, and plain forks for guest processes (each a copy of this VMM, under this
	 * filter): no shared memory, no namespaces. clone3's flags are in memory, where a
	 * filter cannot look: ENOSYS makes libc use clone. */
	struct scmp_arg_cmp thread = arg_is(0, SCMP_CMP_MASKED_EQ, CLONE_THREAD, CLONE_THREAD);
	if (!rc)
		rc = add(ctx, SCMP_ACT_ALLOW, "clone", 1, &thread);
	const scmp_datum_t unshared = CLONE_VM | CLONE_THREAD | CLONE_NEWNS | CLONE_NEWUTS |
				      CLONE_NEWIPC | CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET |
				      CLONE_NEWCGROUP | CLONE_PARENT | CLONE_FS | CLONE_FILES;
	struct scmp_arg_cmp fork = arg_is(0, SCMP_CMP_MASKED_EQ, unshared, 0);
	if (!rc)
		rc = add(ctx, SCMP_ACT_ALLOW, "clone", 1, &fork);
	if (!rc)
		rc = add(ctx, SCMP_ACT_ERRNO(ENOSYS), "clone3", 0, NULL);
	/* Signals to this process (abort, raise, a guest crash re-raised), and the no-op
	 * wake-up signal to the sandbox's other processes (linux/ptable.h). Reaping them. */
	struct scmp_arg_cmp self = arg_is(0, SCMP_CMP_EQ, (scmp_datum_t)getpid(), 0);
	if (!rc)
		rc = add(ctx, SCMP_ACT_ALLOW, "kill", 1, &self);
	if (!rc)
		rc = add(ctx, SCMP_ACT_ALLOW, "tgkill", 1, &self);
	struct scmp_arg_cmp wake = arg_is(1, SCMP_CMP_EQ, (scmp_datum_t)WF_WAKE_SIGNAL, 0);
	if (!rc)
		rc = add(ctx, SCMP_ACT_ALLOW, "kill", 1, &wake);
	if (!rc)
		rc = add(ctx, SCMP_ACT_ALLOW, "wait4", 0, NULL);
	if (!rc)
		rc = add(ctx, SCMP_ACT_ALLOW, "waitid", 0, NULL);
	/* The guest's AF_UNIX sockets (linux/socket.c, unix.c): only that family can be made,
	 * so the address calls below reach no network. Which paths they name is the VMM's
	 * allow-list (as for open); abstract names are the sandbox's own. */
	struct scmp_arg_cmp unix_only = arg_is(0, SCMP_CMP_EQ, AF_UNIX, 0);
	if (!rc)
		rc = add(ctx, SCMP_ACT_ALLOW, "socketpair", 1, &unix_only);
	if (!rc)
		rc = add(ctx, SCMP_ACT_ALLOW, "socket", 1, &unix_only);
	static const char *const sock_calls[] = {
		"sendto", "recvfrom", "sendmsg", "recvmsg", "shutdown", "bind", "listen",
		"accept", "accept4", "connect", "getsockname", "getpeername", "getsockopt",
		"setsockopt",
	};
	for (size_t i = 0; !rc && i < ARRAY_SIZE(sock_calls); i++)
		rc = add(ctx, SCMP_ACT_ALLOW, sock_calls[i], 0, NULL);
	struct scmp_arg_cmp subreaper = arg_is(0, SCMP_CMP_EQ, PR_SET_CHILD_SUBREAPER, 0);
	if (!rc)
		rc = add(ctx, SCMP_ACT_ALLOW, "prctl", 1, &subreaper);
	struct scmp_arg_cmp pdeath[2] = {arg_is(0, SCMP_CMP_EQ, PR_SET_PDEATHSIG, 0),
					 arg_is(1, SCMP_CMP_EQ, (scmp_datum_t)WF_WAKE_SIGNAL, 0)};
	if (!rc)
		rc = add(ctx, SCMP_ACT_ALLOW, "prctl", 2, pdeath);
	return rc;
}

int wf_sandbox_enter(struct wf_err *e)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ERRNO(EPERM));
	if (!ctx)
		return wf_fail(e, -ENOMEM, "seccomp: cannot create a filter");
	/* Every thread of the process (libFuzzer's, say), not only the caller. */
	int rc = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_TSYNC, 1);
	if (!rc)
		rc = build(ctx);
	if (!rc)
		rc = seccomp_load(ctx);
	seccomp_release(ctx);
	if (rc)
		return wf_fail(e, rc < 0 ? rc : -EINVAL, "seccomp: cannot install the filter: %s",
			       strerror(rc < 0 ? -rc : EINVAL));
	return 0;
}

bool wf_sandbox_disabled_by_env(void)
{
	const char *v = getenv("WARMFORK_SECCOMP");
	return v && !strcmp(v, "0");
}
