// SPDX-License-Identifier: Apache-2.0
/* proc.h: the emulated Linux process the syscall layer works on (architecture-neutral). */
#ifndef WARMFORK_PROC_H
#define WARMFORK_PROC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "abi.h"
#include "guest_mem.h"

struct wf_proc;
struct wf_proc_fork;

/* How the process's memory changes reach the CPU (page tables) — arch code or a test fake. */
struct wf_mmu_ops {
	/* Make guest [addr, addr+len) accessible with WF_PROT_* `prot` (0: inaccessible). */
	int (*protect)(void *ctx, wf_gaddr_t addr, uint64_t len, unsigned prot);
	/* Give guest [addr, addr+len) fresh zero pages (page aligned). */
	int (*zero)(void *ctx, wf_gaddr_t addr, uint64_t len);
	/* Serve guest [addr, addr+len) (page aligned; not writable by the guest) straight from
	 * host file fd at off: 0, or an error and the caller copies the file. NULL: copy. */
	int (*map_file)(void *ctx, wf_gaddr_t addr, uint64_t len, int fd, uint64_t off, bool shared);
	/* shared: a MAP_SHARED map, writable, whatever the file (no copy can stand in for it).
	 * remap_file: lay at [to, to+len) the file the shared map at `from` shows, from from's
	 * offset (mremap of a shared file mapping); NULL or -ENOENT: there is none there. */
	int (*remap_file)(void *ctx, wf_gaddr_t from, wf_gaddr_t to, uint64_t len);
	/* [addr, addr+len) was unmapped: shared file maps there let go of their files. NULL: none. */
	void (*unmapped)(void *ctx, wf_gaddr_t addr, uint64_t len);
	/* Bring the vCPU's FP/SIMD registers into regs (clone copies them); NULL: they are. */
	int (*save_fp)(void *ctx);
	/*
	 * Demand-paged mappings: addresses outside the RAM windows of p->mem (linux/mm.c gives
	 * each page RAM when it is first touched). NULL: there are none, and such addresses
	 * cannot be mapped. next_page: the first page in [va, end) mapped to RAM, its RAM offset
	 * in *off; end if none. map_page: map the page at va to RAM offset off with prot (0:
	 * unmap it).
	 */
	wf_gaddr_t (*next_page)(void *ctx, wf_gaddr_t va, wf_gaddr_t end, uint64_t *off);
	int (*map_page)(void *ctx, wf_gaddr_t va, uint64_t off, unsigned prot);
	/*
	 * New processes (linux/thread.c, linux/exec.c). fork: copy the whole VM into a new host
	 * process; like fork(2), the child's host pid in the parent, 0 in the child, or -errno.
	 * NULL: there are no other processes (ENOSYS). exec: replace the program with the one
	 * in host fd (guest path `path`; argv and envp as host strings): 0 (the process now runs
	 * it), -errno before anything changed, or a positive signal the process dies of.
	 */
	int (*fork)(void *ctx, bool share_vm);
	int (*exec)(void *ctx, int fd, const char *path, char *const argv[], char *const envp[]);
	/* A CLONE_VM vfork (share_vm: posix_spawn, vfork): the child's writes to memory the
	 * parent has reach the parent when the child execs or ends, as with a shared address
	 * space; vfork_back, in the parent after its wait, takes them (NULL: nothing to take). */
	void (*vfork_back)(void *ctx);
	/* A host call that may block is about to be made for the guest (wf_proc_signalled):
	 * make sure the run's time limit interrupts it. NULL: nothing to do. */
	void (*may_block)(void *ctx);
};

/* Where guest output goes: fd 1 and 2 writes (and nothing else) call this. */
typedef void (*wf_printer_fn)(void *ctx, int fd, const void *buf, size_t len);

enum wf_fd_kind {
	WF_FD_FREE = 0,
	WF_FD_HOST,    /* a host fd owned by the process (file, directory, pipe end) */
	WF_FD_STDIN,   /* the embedder's stdin (host fd in host_fd, not owned) */
	WF_FD_OUTPUT,  /* fd 1/2 style output to the printer (channel in `chan`: 1 or 2) */
};

struct wf_fd {
	enum wf_fd_kind kind;
	int host_fd;
	int chan;
	int flags;     /* O_CLOEXEC | O_APPEND | O_NONBLOCK ... as the guest set them */
	bool is_dir;
	bool writable; /* opened under an --allow-write directory */
	char *path;    /* WF_FD_HOST opened by path: its absolute guest path (malloc'd), else NULL */
	unsigned desc; /* in a fork (proc_snap.c): 1 + its snapshot description, else 0 */
	struct wf_sock_names *names; /* an AF_UNIX socket's names (malloc'd), else NULL */
	bool sigfd;    /* a signalfd (linux/fdx.c): host_fd is an eventfd that is readable while
	                * a signal of sigmask is pending */
	uint64_t sigmask;
};

/* The names an AF_UNIX socket was given (linux/unix.c), as the guest wrote them: [0] by bind,
 * [1] by connect (what getsockname and getpeername answer); len 0: none. */
struct wf_sock_names {
	uint8_t len[2];
	uint8_t addr[2][112]; /* a 108-byte path without its NUL is kept with one: 111 bytes */
};

struct wf_allow {
	char *path;    /* the guest's path: absolute, normalised, no trailing slash ("/" allowed) */
	char *host;    /* the host directory it shows, canonical (realpath) */
	bool write;
	int dirfd;     /* O_PATH fd of the directory, for RESOLVE_BENEATH opens */
	bool in_root;  /* the --sysroot: "/" is this directory, opens use RESOLVE_IN_ROOT */
};

struct wf_vma {
	wf_gaddr_t start, end; /* page aligned, [start, end) */
	unsigned prot;         /* WF_PROT_* */
	int flags;             /* MAP_* as given (private/shared/anon/stack...) */
};

/* Guest sigaction as the arm64 kernel ABI lays it out (struct sigaction in the kernel). */
struct wf_sigaction {
	uint64_t handler;
	uint64_t flags;
	uint64_t restorer;
	uint64_t mask;
};

#define WF_NSIG 64
#define WF_SIGQ_RT 32 /* queued instances of real-time signals per pending set */

/* A pending signal's siginfo: the fields Linux fills for the sources warmfork has. */
struct wf_siginfo {
	int32_t signo;
	int32_t code;      /* si_code: SI_USER, SI_TKILL, SI_KERNEL, SI_TIMER, CLD_* or a fault's */
	union {            /* by code, as the kernel's own siginfo (small: pending sets hold 64) */
		struct {
			int32_t pid;   /* si_pid and si_uid (kill, tkill, tgkill, SIGCHLD) */
			uint32_t uid;
			union {
				uint64_t addr;  /* si_addr (faults) */
				int32_t status; /* si_status (SIGCHLD's CLD_* codes) */
			};
		};
		struct {
			int32_t timerid, overrun; /* SI_TIMER: si_tid, si_overrun */
			uint64_t value;           /* SI_TIMER: si_value */
		};
	};
};

/* The path sockets a sandbox bound (linux/unix.c): only these can be connected to. A ring of
 * the latest WF_SOCK_IDS, in the process until its first fork, then in the process table. */
#define WF_SOCK_IDS 64
struct wf_sock_ids {
	uint32_t n;                       /* how many were ever added (ring position) */
	struct {
		uint64_t dev, ino;
	} id[WF_SOCK_IDS];
};

/* A POSIX timer (timer_create); at 0: disarmed. */
#define WF_MAX_TIMERS 32
struct wf_ptimer {
	bool used;
	int32_t id, clock, notify, signo, tid; /* notify: SIGEV_SIGNAL, SIGEV_NONE, or THREAD_ID */
	uint64_t value;                         /* sigev_value */
	int64_t at, every;                      /* CLOCK_MONOTONIC ns; interval */
	int32_t overrun;                        /* those of the last signal taken (getoverrun) */
};

/* Signals pending on a thread or on the process, with their siginfo (Linux's sigpending). */
struct wf_sigpending {
	uint64_t set;                     /* bit s-1: signal s is pending */
	struct wf_siginfo std[32];        /* the one instance of each standard signal 1..31 */
	struct wf_siginfo rt[WF_SIGQ_RT]; /* queued real-time instances, oldest first */
	unsigned nrt;
};

/*
 * One thread's signal state: the running thread's is wf_proc.sigthr, each other thread's is
 * in its struct wf_thread (the dispositions and the process-directed pending set are shared).
 */
struct wf_sigthread {
	uint64_t blocked;                 /* the signal mask */
	struct wf_sigpending pending;     /* thread-directed: tkill, tgkill, faults */
	uint64_t saved_mask;              /* rt_sigsuspend: the mask to put back ... */
	bool restore_mask;                /* ... after the next delivery (TIF_RESTORE_SIGMASK) */
	bool forget_syscall;              /* rt_sigreturn ran: its result is no restart code */
	wf_gaddr_t ss_sp;                 /* sigaltstack: base, size, flags as set */
	uint64_t ss_size;
	int32_t ss_flags;
	/* What the last fault recorded (sigcontext.fault_address, the esr_context record).
	 * Linux leaves them in place after delivery, so later frames show them too. */
	uint64_t fault_address, fault_code;
};
#define WF_MAX_FDS_DEFAULT 1024
#define WF_MAX_VMAS_DEFAULT 65530
#define WF_MAX_THREADS_DEFAULT 256

/* What a thread that is not running is doing (struct wf_thread.state). */
enum wf_thread_state {
	WF_THR_FREE = 0, /* an empty slot (the thread exited) */
	WF_THR_RUNNING,  /* the running thread: its live state is in struct wf_proc and regs */
	WF_THR_READY,    /* runnable */
	WF_THR_FUTEX,    /* in a futex wait */
	WF_THR_SLEEP,    /* in nanosleep or clock_nanosleep */
	WF_THR_SIGWAIT,  /* in rt_sigsuspend: only a signal ends it */
};

/*
 * A thread of the process (linux/thread.c). Threads run one at a time on the one vCPU and
 * switch only in syscalls (cooperative, deterministic). The running thread's per-thread state
 * lives in struct wf_proc (tid, clear_child_tid, sigthr, ...) and in the frame page (regs);
 * the others keep theirs here.
 */
struct wf_thread {
	int state;                     /* enum wf_thread_state */
	pid_t tid;
	uint64_t clear_child_tid;
	uint64_t robust_list, robust_len;
	uint64_t rseq, rseq_len;
	uint32_t rseq_sig;
	/* the wait (FUTEX, SLEEP, SIGWAIT) */
	wf_gaddr_t futex;              /* the futex word */
	bool futex_shared;             /* a shared futex (no FUTEX_PRIVATE_FLAG): another key */
	uint32_t bitset;
	uint64_t wait_seq;             /* FIFO order of the waiters */
	int64_t deadline;              /* CLOCK_MONOTONIC ns when the wait times out; 0: never */
	int64_t timeout_ret;           /* what the syscall returns then (-ETIMEDOUT, 0) */
	int64_t intr_ret;              /* ... and when a signal interrupts it (a restart code) */
	wf_gaddr_t sleep_rem;          /* nanosleep's remaining-time pointer (relative), or 0 */
	uint64_t sigwait_set;          /* SIGWAIT in rt_sigtimedwait: the signals it takes */
	/* the syscall it stopped in (struct wf_sysexit), for the restart rules */
	bool sx_syscall;
	int64_t sx_ret;
	uint64_t sx_orig_x0;
	struct wf_sigthread sig;
	struct wf_abi_frame regs;      /* its EL0 registers, FP/SIMD included */
};

/* Tunables set by the embedder; all have defaults (0 means default). */
struct wf_proc_limits {
	unsigned max_fds;
	unsigned max_vmas;
	unsigned max_threads;
	unsigned max_procs;  /* processes of the sandbox (fork: EAGAIN past it) */
	uint64_t max_output; /* bytes the guest may write to fd 1/2 */
};

/*
 * wf_proc_reset (proc_snap.c) restores every field below from the snapshot except the ones
 * its keep-list names (the embedder's hooks, the owned arrays, the fork bookkeeping): a new
 * field is reset by default; a new pointer or owned resource must be added to that list.
 */
struct wf_proc {
	struct wf_mem mem;                 /* guest memory, the one checked accessor */
	const struct wf_mmu_ops *mmu;
	void *mmu_ctx;
	wf_printer_fn print;
	void *print_ctx;
	struct wf_proc_limits lim;

	/* files */
	struct wf_fd *fds;
	unsigned nfds;                     /* size of the fds array (== max fds) */
	struct wf_allow *allow;
	unsigned nallow;
	uint64_t output_bytes;
	unsigned umask;                    /* the guest's umask (wf_proc_init: 022) */
	/* timers (linux/timers.c): ITIMER_REAL, the POSIX timers, and the earliest expiry of all
	 * (CLOCK_MONOTONIC ns, 0: none armed), which the run loop has the host wake it for */
	int64_t itimer_at, itimer_every;
	struct wf_ptimer *timers;          /* owned: WF_MAX_TIMERS slots; NULL before timer_create */
	int32_t timer_next_id;
	int64_t timer_next;
	/* a host sleep a signal interrupted, for restart_syscall (linux/time.c): its clock, end
	 * (absolute on that clock) and where a relative sleep writes the time left */
	struct {
		bool active, cpu, relative;
		clockid_t clock;
		int64_t end_sec, end_nsec;
		wf_gaddr_t rem;
	} sleep_restart;
	uint32_t sock_tag;                 /* the sandbox's abstract AF_UNIX names (linux/unix.c) */
	struct wf_sock_ids *sock_ids;      /* owned: its path sockets while it has no process
					    * table; NULL until the first bind to a path */
	uint32_t sock_seq;                 /* autobind's next name */

	/* memory layout */
	wf_gaddr_t brk_start, brk_cur, brk_max;
	wf_gaddr_t mmap_min, mmap_top;     /* mmap arena [mmap_min, mmap_top) */
	wf_gaddr_t dmap_min, dmap_top;     /* its demand-paged second arena (linux/mm.c) */
	wf_gaddr_t user_top;               /* end of what the guest may map at all */
	bool prot_changed;                 /* mem.prot was edited (a fork reset restores it) */
	bool mem_exhausted;                /* an allocation failed for lack of guest memory */
	bool has_sigfd;                    /* a signalfd was made: waits bring them up to date */
	struct wf_vma *vmas;               /* sorted, non-overlapping */
	unsigned nvmas, cap_vmas;
	/* RAM for demand-paged pages (linux/mm.c): free pages form a list through their first
	 * 8 bytes (frame_free: its head, 0: empty), then [frame_next, frame_end) is unused. */
	uint64_t frame_free, frame_next, frame_end;
	uint64_t frames;                   /* pages in use */

	/* identity */
	pid_t pid, tid, ppid;
	uid_t uid;
	gid_t gid;
	uint64_t clear_child_tid;
	uint64_t robust_list, robust_len;
	uint64_t rseq, rseq_len;
	uint32_t rseq_sig;
	int32_t nice;                      /* setpriority (linux/sched.c) */
	int32_t sched_policy, sched_prio;  /* sched_setscheduler */
	uint32_t personality;
	/* prctl: PR_SET_DUMPABLE (1 by default), PR_SET_NO_NEW_PRIVS, PR_SET_PDEATHSIG (the
	 * signal this process gets when its parent ends; not inherited), PR_SET_TIMERSLACK */
	uint8_t dumpable, no_new_privs;
	int32_t pdeathsig;
	uint64_t timerslack_ns;
	char comm[16];                     /* prctl(PR_SET_NAME); the file name at load */
	char exe[256];                     /* the program's absolute guest path (/proc/self/exe) */
	/* where execve left the argument and environment strings (/proc/self/cmdline, environ) */
	wf_gaddr_t arg_start, arg_end, env_start, env_end;
	/* setrlimit/prlimit64 values (16 = RLIM_NLIMITS); bit r of rlim_set: [r] is set */
	uint64_t rlim_cur[16], rlim_max[16];
	uint16_t rlim_set;

	/* signals (linux/signal.c; frames in linux/sigframe.c; delivered on return to the guest) */
	struct wf_sigaction sigact[WF_NSIG + 1];
	struct wf_sigpending sigshared;    /* process-directed: kill */
	struct wf_sigthread sigthr;        /* the running thread's mask, pending set, altstack */
	wf_gaddr_t sigtramp;               /* the VMM's rt_sigreturn trampoline (there is no vDSO) */
	bool sig_bti;                      /* the CPU has BTI: handlers start with BTYPE=C */
	/* The thread's EL0 registers (the VM's frame page), for signal frames and
	 * rt_sigreturn; NULL where there are none (handlers then cannot run). */
	struct wf_abi_frame *regs;

	/* threads (linux/thread.c): no table until the first clone or blocking wait; then
	 * thr[cur] is the running thread (its saved state stale while it runs) */
	struct wf_thread *thr;             /* owned: nthr slots in use, thr_cap allocated */
	unsigned nthr, thr_cap;
	unsigned cur;                      /* the running thread's slot */
	unsigned live;                     /* threads alive */
	pid_t next_tid;                    /* the tid the next thread gets */
	uint64_t wait_seq;                 /* the next waiter's FIFO number */
	bool resched;                      /* the running thread blocked, yielded or exited */
	bool parked;                       /* ... and its live state is saved in thr[cur] */
	bool leader_exited;                /* the first thread left with exit(): its status ... */
	int leader_status;                 /* ... is the process's when the last one leaves */

	/* the sandbox's other processes (linux/ptable.c): NULL until the first fork */
	struct wf_ptab *ptab;
	unsigned ptab_slot;                /* this process's entry */
	bool stopped;                      /* stopped by a stop signal until SIGCONT */

	/* randomness behind getrandom and AT_RANDOM: a seeded PRNG when deterministic */
	bool deterministic;
	uint64_t rng[4];

	/* how the process ended, when it has */
	bool exited;
	int exit_status;
	int killed_by;                     /* signal number, 0 if none */

	/* accounting */
	uint64_t syscalls;
	uint64_t unknown_syscalls;
	bool trace;
	FILE *trace_out;

	/* fork bookkeeping (proc_snap.c); all zero in a process not made by wf_proc_fork */
	struct wf_proc_fork *fork;         /* its snapshot descriptions, cumulative counters */
	uint64_t *fd_touched;              /* bitmap: fds the syscalls reached since a reset */
	unsigned *fd_touched_list;         /* the same fds, in order (nfd_touched of them) */
	unsigned nfd_touched;
	bool allow_borrowed;               /* allow[] belongs to a snapshot: fini leaves it alone */

	/* cold and large, last: the fields above share fewer cache lines and pages */
	char cwd[4096];
};

/* Set up and tear down the host-side state (fds, allow-list fds, vmas, fork bookkeeping). */
int wf_proc_init(struct wf_proc *p);
void wf_proc_fini(struct wf_proc *p);

/* Add a directory to the allow-list. Returns 0 or -errno (-EPERM on a fork's borrowed list). */
int wf_proc_allow(struct wf_proc *p, const char *dir, bool write);
/*
 * Show host directory `host` at guest path `guest` (absolute; -EINVAL otherwise), as a bind
 * mount would. A guest path already listed gets the new directory and permission; the
 * --sysroot's "/" cannot be replaced (-EEXIST). Returns 0 or -errno.
 */
int wf_proc_allow_at(struct wf_proc *p, const char *host, const char *guest, bool write);
/* The guest path of host directory `host` (canonical), through the allow-list entry whose
 * host directory holds it most closely, into out; -ENOENT when no entry shows it. */
int wf_proc_guest_path(const struct wf_proc *p, const char *host, char *out, size_t outsz);
/* Make host directory dir the guest's "/" (read-only), as chroot(dir) would. */
int wf_proc_set_root(struct wf_proc *p, const char *dir);
/* Open a guest path for the loader: inside the root set by wf_proc_set_root (symlinks
 * resolved in it), else the host path itself. A host fd, or -errno. */
int wf_proc_open_root(struct wf_proc *p, const char *path);

/*
 * Lexically join base and path (each absolute or empty) into a normalised absolute path:
 * no ".", "..", "//" or trailing slash. *must_dir: path ended in "/", "." or ".."; *last_dot:
 * its last component was "." (1) or ".." (2). 0 or -ENAMETOOLONG.
 */
int wf_path_join(char *out, size_t outsz, const char *base, const char *path, bool *must_dir,
		 int *last_dot);

/* Guest pointer helpers: read a guest C string into buf (bounded). 0 or -EFAULT/-ENAMETOOLONG. */
int wf_proc_strdup(struct wf_proc *p, wf_gaddr_t addr, char *buf, size_t bufsz);

/*
 * fd table helpers for the syscall families. In a fork every in-range fd passed to these is
 * recorded as touched (even when not open), so wf_proc_reset only looks at those: code that
 * changes p->fds[i] must have reached slot i through one of them first.
 */
struct wf_fd *wf_fd_get(struct wf_proc *p, int64_t fd);     /* NULL if not open */
int wf_fd_alloc(struct wf_proc *p, int lowest);              /* lowest free fd >= lowest, or -EMFILE */
/* The fds the guest may use: [0, this): the table's size, lowered by RLIMIT_NOFILE's soft
 * limit when the guest set one (Linux's rlimit(RLIMIT_NOFILE) checks). */
unsigned wf_fd_limit(const struct wf_proc *p);
#define WF_RLIMIT_NOFILE 7
void wf_fd_close(struct wf_proc *p, int fd);
/* What a slot owns besides its host fd (path, names): copied into `to` (-ENOMEM: nothing
 * copied, to's are NULL), or freed (and set to NULL). */
int wf_fd_extra_copy(struct wf_fd *to, const struct wf_fd *from);
void wf_fd_extra_free(struct wf_fd *f);

/* Record a fatal signal (default disposition "terminate"): the run loop ends the guest. */
void wf_proc_kill(struct wf_proc *p, int sig);

/* Random bytes from the process's generator. */
void wf_proc_random(struct wf_proc *p, void *buf, size_t len);

#endif
