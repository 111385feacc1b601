// SPDX-License-Identifier: Apache-2.0
/* fdx.c: descriptors beyond files: eventfd, timerfd, signalfd, memfd, epoll; sendfile, copy_file_range, splice, tee, flock, fallocate. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <time.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include "linux/signals.h"
#include "linux/syscall.h"
#include "linux/threads.h"

/* Guest (arm64) values. EFD_, TFD_ and EPOLL_ share O_CLOEXEC and O_NONBLOCK's numbers. */
enum {
	G_O_RDWR = 2,
	G_O_NONBLOCK = 04000,
	G_O_CLOEXEC = 02000000,
	G_EFD_SEMAPHORE = 1,
	G_TFD_TIMER_ABSTIME = 1,
	G_TFD_TIMER_CANCEL_ON_SET = 2,
	G_MFD_CLOEXEC = 1,
	G_MFD_ALLOW_SEALING = 2,
	G_MFD_HUGETLB = 4,
	G_MFD_NOEXEC_SEAL = 8,
	G_MFD_EXEC = 0x10,
	G_MFD_NAME_MAX = 249,
	G_EPOLL_CTL_DEL = 2,
	G_O_LARGEFILE = 0400000, /* arm64's; memfd files have it */
	G_SIGSETSIZE = 8,
	G_LOCK_SH = 1,
	G_LOCK_EX = 2,
	G_LOCK_NB = 4,
	G_LOCK_UN = 8,
	G_CLOSE_RANGE_UNSHARE = 2,
	G_CLOSE_RANGE_CLOEXEC = 4,
};

/* arm64's struct epoll_event is not packed (x86-64's is): events, 4 bytes of padding, data. */
struct g_epoll_event {
	uint32_t events;
	uint32_t pad;
	uint64_t data;
};

/* Linux's EP_MAX_EVENTS, and the most events one call hands back here. */
#define G_EP_MAX_EVENTS (0x7fffffff / (int)sizeof(struct g_epoll_event))
#define EP_BATCH 256

static struct wf_fd *host_fd(struct wf_proc *p, uint64_t fd)
{
	struct wf_fd *f = wf_fd_get(p, (int)(uint32_t)fd);
	return f && f->kind != WF_FD_OUTPUT ? f : NULL;
}

/* Give the new host fd hfd a guest fd with status flags gflags (its own on failure). */
static int64_t install(struct wf_proc *p, int hfd, int gflags)
{
	if (hfd < 0)
		return -errno;
	int fd = wf_fd_alloc(p, 0);
	if (fd < 0) {
		close(hfd);
		return fd;
	}
	p->fds[fd] = (struct wf_fd){.kind = WF_FD_HOST, .host_fd = hfd, .flags = gflags,
				    .writable = true};
	return fd;
}

/* Host flags for a new descriptor: always close-on-exec on the host (the guest's own flag
 * is kept in the guest fd), non-blocking if the guest asked. */
static int host_flags(int gflags, int nonblock, int cloexec)
{
	return cloexec | ((gflags & G_O_NONBLOCK) ? nonblock : 0);
}

static int64_t sys_eventfd2(struct wf_proc *p, const uint64_t a[6])
{
	int flags = (int)a[1];
	if (flags & ~(G_EFD_SEMAPHORE | G_O_NONBLOCK | G_O_CLOEXEC))
		return -EINVAL;
	int hflags = host_flags(flags, EFD_NONBLOCK, EFD_CLOEXEC) |
		     ((flags & G_EFD_SEMAPHORE) ? EFD_SEMAPHORE : 0);
	return install(p, eventfd((unsigned)a[0], hflags),
		       G_O_RDWR | (flags & (G_O_NONBLOCK | G_O_CLOEXEC)));
}

/* timerfd: the host's, on the guest's clock (the ids are Linux's on both sides). */
static int64_t sys_timerfd_create(struct wf_proc *p, const uint64_t a[6])
{
	int flags = (int)a[1];
	if (flags & ~(G_O_NONBLOCK | G_O_CLOEXEC))
		return -EINVAL;
	int hfd = timerfd_create((int)a[0], host_flags(flags, TFD_NONBLOCK, TFD_CLOEXEC));
	return install(p, hfd, G_O_RDWR | flags);
}

/* struct itimerspec on arm64: two 64-bit timespecs, as on every 64-bit host. */
_Static_assert(sizeof(struct itimerspec) == 32, "itimerspec layout");

static int64_t sys_timerfd_settime(struct wf_proc *p, const uint64_t a[6])
{
	int flags = (int)a[1];
	struct itimerspec nv, old;
	if (wf_mem_read(&p->mem, &nv, a[2], sizeof(nv)))
		return -EFAULT;
	if (flags & ~(G_TFD_TIMER_ABSTIME | G_TFD_TIMER_CANCEL_ON_SET))
		return -EINVAL;
	struct wf_fd *f = host_fd(p, a[0]);
	if (!f)
		return -EBADF;
	int hflags = ((flags & G_TFD_TIMER_ABSTIME) ? TFD_TIMER_ABSTIME : 0) |
		     ((flags & G_TFD_TIMER_CANCEL_ON_SET) ? TFD_TIMER_CANCEL_ON_SET : 0);
	if (timerfd_settime(f->host_fd, hflags, &nv, &old))
		return -errno; /* EINVAL for a bad time or a descriptor that is no timerfd */
	if (a[3] && wf_mem_write(&p->mem, a[3], &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

static int64_t sys_timerfd_gettime(struct wf_proc *p, const uint64_t a[6])
{
	struct wf_fd *f = host_fd(p, a[0]);
	if (!f)
		return -EBADF;
	struct itimerspec cur;
	if (timerfd_gettime(f->host_fd, &cur))
		return -errno;
	return wf_mem_write(&p->mem, a[1], &cur, sizeof(cur)) ? -EFAULT : 0;
}

/*
 * signalfd: a descriptor whose read takes pending signals of its mask (as rt_sigtimedwait
 * does, blocked or not) as 128-byte struct signalfd_siginfo records. Its host fd is an
 * eventfd holding 1 while a signal of the mask is pending for the running thread or the
 * process, so the host's ppoll and epoll see it ready; every wait (ppoll, pselect6,
 * epoll_pwait) first brings the process's signalfds up to date (wf_signalfd_sync), and a
 * signal arriving during a host wait interrupts it and the call restarts. The mask is the
 * descriptor's (a dup made before signalfd4 changes it keeps the old one).
 */
static void sigfd_update(struct wf_proc *p, struct wf_fd *f)
{
	uint64_t v = 1;
	bool want = (p->sigthr.pending.set | p->sigshared.set) & f->sigmask;
	struct pollfd pf = {.fd = f->host_fd, .events = POLLIN};
	bool is = poll(&pf, 1, 0) == 1 && (pf.revents & POLLIN);
	if (want && !is)
		(void)!write(f->host_fd, &v, sizeof(v));
	else if (!want && is)
		(void)!read(f->host_fd, &v, sizeof(v)); /* 1: this read does not block */
}

void wf_signalfd_sync(struct wf_proc *p)
{
	if (!p->has_sigfd)
		return;
	for (unsigned i = 0; i < p->nfds; i++)
		if (p->fds[i].kind == WF_FD_HOST && p->fds[i].sigfd)
			sigfd_update(p, &p->fds[i]);
}

void wf_signalfd_forked(struct wf_proc *p)
{
	/* The child's signals are its own: its signalfds get eventfds of their own. */
	if (!p->has_sigfd)
		return;
	for (unsigned i = 0; i < p->nfds; i++) {
		struct wf_fd *f = &p->fds[i];
		if (f->kind != WF_FD_HOST || !f->sigfd)
			continue;
		int e = eventfd(0, EFD_CLOEXEC | ((f->flags & G_O_NONBLOCK) ? EFD_NONBLOCK : 0));
		if (e >= 0) {
			dup3(e, f->host_fd, O_CLOEXEC);
			close(e);
		}
	}
}

/* read(2) on a signalfd: as many records as fit (at least one: EINVAL under 128 bytes). */
int64_t wf_signalfd_read(struct wf_proc *p, struct wf_fd *f, uint64_t buf, uint64_t len)
{
	if (len < 128)
		return -EINVAL;
	int64_t done = 0;
	struct wf_siginfo info;
	for (; len - (uint64_t)done >= 128; done += 128) {
		int sig = wf_signal_take(p, f->sigmask, &info);
		if (!sig)
			break;
		uint8_t rec[128];
		wf_signalfd_encode(rec, &info);
		if (wf_mem_write(&p->mem, buf + (uint64_t)done, rec, sizeof(rec))) {
			/* Linux puts the signal back; here it is lost if nothing was read yet */
			sigfd_update(p, f);
			return done ? done : -EFAULT;
		}
	}
	sigfd_update(p, f);
	if (done)
		return done;
	if (f->flags & G_O_NONBLOCK)
		return -EAGAIN;
	/* Wait for one: in the scheduler with other threads about, else on the host until a
	 * signal (another process's, a timer's) interrupts the wait; then read again. */
	if (wf_thread_others(p))
		return wf_thread_retry(p, -WF_ERESTARTSYS);
	if (wf_proc_signalled(p))
		return -WF_ERESTARTSYS;
	struct timespec day = {86400, 0};
	while (clock_nanosleep(CLOCK_MONOTONIC, 0, &day, &day) != EINTR)
		day = (struct timespec){86400, 0};
	return -WF_ERESTARTSYS;
}

static int64_t sys_signalfd4(struct wf_proc *p, const uint64_t a[6])
{
	int fd = (int)a[0], flags = (int)a[3];
	uint64_t mask;
	/* Linux's order: flags, the mask's size, the mask, then the descriptor. */
	if (flags & ~(G_O_NONBLOCK | G_O_CLOEXEC))
		return -EINVAL;
	if (a[2] != G_SIGSETSIZE)
		return -EINVAL;
	if (wf_mem_read(&p->mem, &mask, a[1], sizeof(mask)))
		return -EFAULT;
	mask &= ~((1ull << (9 - 1)) | (1ull << (19 - 1))); /* never SIGKILL or SIGSTOP */
	if (fd != -1) {
		struct wf_fd *f = wf_fd_get(p, fd);
		if (!f)
			return -EBADF;
		if (f->kind != WF_FD_HOST || !f->sigfd)
			return -EINVAL;
		f->sigmask = mask;
		sigfd_update(p, f);
		return fd;
	}
	int64_t nfd = install(p, eventfd(0, host_flags(flags, EFD_NONBLOCK, EFD_CLOEXEC)),
			      G_O_RDWR | (flags & (G_O_NONBLOCK | G_O_CLOEXEC)));
	if (nfd < 0)
		return nfd;
	p->fds[nfd].sigfd = true;
	p->fds[nfd].sigmask = mask;
	p->has_sigfd = true;
	sigfd_update(p, &p->fds[nfd]);
	return nfd;
}

static int64_t sys_memfd_create(struct wf_proc *p, const uint64_t a[6])
{
	unsigned flags = (unsigned)a[1];
	if (flags & ~(unsigned)(G_MFD_CLOEXEC | G_MFD_ALLOW_SEALING | G_MFD_HUGETLB |
				G_MFD_NOEXEC_SEAL | G_MFD_EXEC | (0x3fu << 26)))
		return -EINVAL;
	if ((flags & G_MFD_HUGETLB) || (flags >> 26))
		return -EINVAL; /* no huge pages for guests */
	if ((flags & G_MFD_EXEC) && (flags & G_MFD_NOEXEC_SEAL))
		return -EINVAL;
	char name[G_MFD_NAME_MAX + 2];
	int64_t n = wf_mem_strnlen(&p->mem, a[0], sizeof(name) - 1);
	if (n == -ENAMETOOLONG || n > G_MFD_NAME_MAX)
		return -EINVAL;
	if (n < 0)
		return -EFAULT;
	if (wf_mem_read(&p->mem, name, a[0], (uint64_t)n + 1))
		return -EFAULT;
	/* NOEXEC_SEAL and EXEC are newer than some hosts: the guest cannot run the file anyway. */
	unsigned hflags = MFD_CLOEXEC | ((flags & G_MFD_ALLOW_SEALING) ? MFD_ALLOW_SEALING : 0);
	return install(p, memfd_create(name, hflags),
		       G_O_RDWR | G_O_LARGEFILE | ((flags & G_MFD_CLOEXEC) ? G_O_CLOEXEC : 0));
}

static int64_t sys_epoll_create1(struct wf_proc *p, const uint64_t a[6])
{
	int flags = (int)a[0];
	if (flags & ~G_O_CLOEXEC)
		return -EINVAL;
	return install(p, epoll_create1(EPOLL_CLOEXEC), G_O_RDWR | flags);
}

/* epoll_ctl: the guest's fds are host fds underneath; data passes through untouched. */
static int64_t sys_epoll_ctl(struct wf_proc *p, const uint64_t a[6])
{
	int op = (int)a[1];
	struct g_epoll_event ge = {0};
	bool has_event = op != G_EPOLL_CTL_DEL; /* ep_op_has_event: also for a bad op */
	if (has_event && wf_mem_read(&p->mem, &ge, a[3], sizeof(ge)))
		return -EFAULT;
	struct wf_fd *ep = host_fd(p, a[0]);
	struct wf_fd *f = wf_fd_get(p, (int)(uint32_t)a[2]);
	if (!ep || !f)
		return -EBADF;
	if (f->kind == WF_FD_OUTPUT)
		return -EPERM; /* the printer is no file that can be polled */
	struct epoll_event he = {.events = ge.events, .data.u64 = ge.data};
	return epoll_ctl(ep->host_fd, op, f->host_fd, has_event ? &he : NULL) ? -errno : 0;
}

/* The wait of epoll_pwait and epoll_pwait2: timeout_ms < 0 waits without end. The signal
 * mask argument is checked but not applied (as for ppoll: docs/syscalls.md). */
static int64_t epoll_wait_common(struct wf_proc *p, const uint64_t a[6], int timeout_ms)
{
	if (a[4]) {
		uint64_t mask;
		if (a[5] != G_SIGSETSIZE)
			return -EINVAL;
		if (wf_mem_read(&p->mem, &mask, a[4], sizeof(mask)))
			return -EFAULT;
	}
	int max = (int)a[2];
	if (max <= 0 || max > G_EP_MAX_EVENTS)
		return -EINVAL;
	/* access_ok: the range must lie in the user address space (48-bit VAs); whether it
	 * is mapped shows when the events are written. */
	uint64_t bytes = (uint64_t)max * sizeof(struct g_epoll_event);
	uint64_t end = p->user_top ? p->user_top : 1ull << 48;
	if (bytes > end || a[1] > end - bytes)
		return -EFAULT;
	struct wf_fd *ep = host_fd(p, a[0]);
	if (!ep)
		return -EBADF;
	wf_signalfd_sync(p);
	struct epoll_event he[EP_BATCH];
	/* An endless wait with other guest threads about waits in the scheduler (threads.h). */
	bool coop = timeout_ms < 0 && wf_thread_others(p);
	if (!coop && timeout_ms && wf_proc_signalled(p))
		return -WF_ERESTARTNOHAND;
	int n = epoll_wait(ep->host_fd, he, max < EP_BATCH ? max : EP_BATCH, coop ? 0 : timeout_ms);
	if (n < 0)
		return errno == EINTR ? -WF_ERESTARTNOHAND : -errno;
	if (coop && n == 0)
		return wf_thread_retry(p, -WF_ERESTARTNOHAND);
	for (int i = 0; i < n; i++) {
		struct g_epoll_event ge = {.events = he[i].events, .data = he[i].data.u64};
		if (wf_mem_write(&p->mem, a[1] + (uint64_t)i * sizeof(ge), &ge, sizeof(ge)))
			return -EFAULT;
	}
	return n;
}

static int64_t sys_epoll_pwait(struct wf_proc *p, const uint64_t a[6])
{
	return epoll_wait_common(p, a, (int)a[3]);
}

static int64_t sys_epoll_pwait2(struct wf_proc *p, const uint64_t a[6])
{
	int ms = -1;
	if (a[3]) {
		struct timespec ts;
		if (wf_mem_read(&p->mem, &ts, a[3], sizeof(ts)))
			return -EFAULT;
		if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= 1000000000)
			return -EINVAL;
		/* Whole milliseconds, rounded up as the kernel's slack would be. */
		int64_t m = ts.tv_sec > 0x7fffffff / 1000 ? 0x7fffffff :
				    ts.tv_sec * 1000 + (ts.tv_nsec + 999999) / 1000000;
		ms = (int)(m > 0x7fffffff ? 0x7fffffff : m);
	}
	return epoll_wait_common(p, a, ms);
}

/* A file offset argument: read it (NULL: none; the host checks its value). */
static int get_off(struct wf_proc *p, uint64_t addr, int64_t *off)
{
	return addr && wf_mem_read(&p->mem, off, addr, sizeof(*off)) ? -EFAULT : 0;
}

/*
 * sendfile: the host's between host fds; to the printer (stdout, stderr) the data goes
 * through a buffer, as Linux would through the pipe or terminal the native run has.
 */
static int64_t sys_sendfile(struct wf_proc *p, const uint64_t a[6])
{
	int64_t off = 0;
	int rc = get_off(p, a[2], &off);
	if (rc)
		return rc;
	struct wf_fd *out = wf_fd_get(p, (int)(uint32_t)a[0]);
	struct wf_fd *in = host_fd(p, a[1]);
	if (!out || !in)
		return -EBADF;
	uint64_t count = a[3] > 0x7ffff000ull ? 0x7ffff000ull : a[3];
	ssize_t n;
	if (out->kind == WF_FD_OUTPUT) {
		char buf[16384];
		uint64_t len = count < sizeof(buf) ? count : sizeof(buf);
		n = a[2] ? pread(in->host_fd, buf, len, off) : read(in->host_fd, buf, len);
		if (n < 0)
			return wf_host_err();
		n = wf_io_xfer(p, out, buf, (uint64_t)n, true, -1);
		if (n < 0)
			return n;
	} else {
		n = sendfile(out->host_fd, in->host_fd, a[2] ? &off : NULL, count);
		if (n < 0)
			return wf_host_err();
	}
	if (a[2]) {
		if (out->kind == WF_FD_OUTPUT)
			off += n;
		if (wf_mem_write(&p->mem, a[2], &off, sizeof(off)))
			return -EFAULT;
	}
	return n;
}

/* splice and tee: between host descriptors (one of them a pipe, as Linux checks), with the
 * guest's offsets read and written back; the flags are the same numbers on the host. */
/* The in and out offsets of splice and copy_file_range (a[1], a[3]; NULL: the files' own),
 * read before the host call and written back after it (n: its result). */
static int get_offs(struct wf_proc *p, const uint64_t a[6], int64_t off[2])
{
	off[0] = off[1] = 0;
	int rc = get_off(p, a[1], &off[0]);
	return rc ? rc : get_off(p, a[3], &off[1]);
}

static int64_t put_offs(struct wf_proc *p, const uint64_t a[6], const int64_t off[2], ssize_t n)
{
	if (n < 0)
		return wf_host_err();
	if ((a[1] && wf_mem_write(&p->mem, a[1], &off[0], sizeof(off[0]))) ||
	    (a[3] && wf_mem_write(&p->mem, a[3], &off[1], sizeof(off[1]))))
		return -EFAULT;
	return n;
}

#define G_SPLICE_F_ALL (SPLICE_F_MOVE | SPLICE_F_NONBLOCK | SPLICE_F_MORE | SPLICE_F_GIFT)

/* Linux's order: a zero length, the flags (an unsigned int), then the descriptors. */
static int64_t sys_splice(struct wf_proc *p, const uint64_t a[6])
{
	if (!a[4])
		return 0;
	if ((uint32_t)a[5] & ~(uint32_t)G_SPLICE_F_ALL)
		return -EINVAL;
	struct wf_fd *in = host_fd(p, a[0]), *out = host_fd(p, a[2]);
	if (!in || !out)
		return -EBADF;
	int64_t off[2];
	int rc = get_offs(p, a, off);
	if (rc)
		return rc;
	ssize_t n = splice(in->host_fd, a[1] ? &off[0] : NULL, out->host_fd, a[3] ? &off[1] : NULL,
			   a[4], (uint32_t)a[5]);
	return put_offs(p, a, off, n);
}

static int64_t sys_tee(struct wf_proc *p, const uint64_t a[6])
{
	if ((uint32_t)a[3] & ~(uint32_t)G_SPLICE_F_ALL)
		return -EINVAL;
	if (!a[2])
		return 0;
	struct wf_fd *in = host_fd(p, a[0]), *out = host_fd(p, a[1]);
	if (!in || !out)
		return -EBADF;
	ssize_t n = tee(in->host_fd, out->host_fd, a[2], (uint32_t)a[3]);
	return n < 0 ? wf_host_err() : n;
}

static int64_t sys_copy_file_range(struct wf_proc *p, const uint64_t a[6])
{
	/* Linux's order: the descriptors, the offsets, then the flags. */
	struct wf_fd *in = host_fd(p, a[0]), *out = host_fd(p, a[2]);
	if (!in || !out)
		return -EBADF;
	int64_t off[2];
	int rc = get_offs(p, a, off);
	if (rc)
		return rc;
	if (a[5])
		return -EINVAL;
	ssize_t n = copy_file_range(in->host_fd, a[1] ? &off[0] : NULL, out->host_fd,
				    a[3] ? &off[1] : NULL, a[4], 0);
	return put_offs(p, a, off, n);
}

static int64_t sys_flock(struct wf_proc *p, const uint64_t a[6])
{
	struct wf_fd *f = host_fd(p, a[0]);
	if (!f)
		return -EBADF;
	int op = (int)a[1];
	int kind = op & ~G_LOCK_NB;
	if (kind != G_LOCK_SH && kind != G_LOCK_EX && kind != G_LOCK_UN)
		return -EINVAL;
	int hop = (kind == G_LOCK_SH ? LOCK_SH : kind == G_LOCK_EX ? LOCK_EX : LOCK_UN) |
		  ((op & G_LOCK_NB) ? LOCK_NB : 0);
	return flock(f->host_fd, hop) ? wf_host_err() : 0;
}

static int64_t sys_fallocate(struct wf_proc *p, const uint64_t a[6])
{
	struct wf_fd *f = wf_fd_get(p, (int)(uint32_t)a[0]);
	if (!f)
		return -EBADF;
	if (f->kind != WF_FD_HOST)
		return -ESPIPE;
	return fallocate(f->host_fd, (int)a[1], (off_t)a[2], (off_t)a[3]) ? wf_host_err() : 0;
}

static int64_t sys_fadvise64(struct wf_proc *p, const uint64_t a[6])
{
	struct wf_fd *f = wf_fd_get(p, (int)(uint32_t)a[0]);
	if (!f)
		return -EBADF;
	if (f->kind != WF_FD_HOST)
		return -ESPIPE;
	return -posix_fadvise(f->host_fd, (off_t)a[1], (off_t)a[2], (int)a[3]);
}

/* close_range: the guest's own table; CLOSE_RANGE_UNSHARE changes nothing (no sharing). */
static int64_t sys_close_range(struct wf_proc *p, const uint64_t a[6])
{
	unsigned first = (unsigned)a[0], last = (unsigned)a[1], flags = (unsigned)a[2];
	if (flags & ~(unsigned)(G_CLOSE_RANGE_UNSHARE | G_CLOSE_RANGE_CLOEXEC) || first > last)
		return -EINVAL;
	for (unsigned fd = first; fd < p->nfds && fd <= last; fd++) {
		struct wf_fd *f = wf_fd_get(p, fd);
		if (!f)
			continue;
		if (flags & G_CLOSE_RANGE_CLOEXEC)
			f->flags |= G_O_CLOEXEC;
		else
			wf_fd_close(p, (int)fd);
	}
	return 0;
}

const struct wf_syscall_def wf_sys_fdx[] = {
	{WF_NR_eventfd2, "eventfd2", sys_eventfd2, "ux"},
	{WF_NR_signalfd4, "signalfd4", sys_signalfd4, "dpux"},
	{WF_NR_timerfd_create, "timerfd_create", sys_timerfd_create, "dx"},
	{WF_NR_timerfd_settime, "timerfd_settime", sys_timerfd_settime, "fxpp"},
	{WF_NR_timerfd_gettime, "timerfd_gettime", sys_timerfd_gettime, "fp"},
	{WF_NR_memfd_create, "memfd_create", sys_memfd_create, "sx"},
	{WF_NR_epoll_create1, "epoll_create1", sys_epoll_create1, "x"},
	{WF_NR_epoll_ctl, "epoll_ctl", sys_epoll_ctl, "fdfp"},
	{WF_NR_epoll_pwait, "epoll_pwait", sys_epoll_pwait, "fpddpu"},
	{WF_NR_epoll_pwait2, "epoll_pwait2", sys_epoll_pwait2, "fpdppu"},
	{WF_NR_sendfile, "sendfile", sys_sendfile, "ffpu"},
	{WF_NR_copy_file_range, "copy_file_range", sys_copy_file_range, "fpfpux"},
	{WF_NR_splice, "splice", sys_splice, "fpfpux"},
	{WF_NR_tee, "tee", sys_tee, "ffux"},
	{WF_NR_flock, "flock", sys_flock, "fx"},
	{WF_NR_fallocate, "fallocate", sys_fallocate, "fxdd"},
	{WF_NR_fadvise64, "fadvise64", sys_fadvise64, "fddd"},
	{WF_NR_close_range, "close_range", sys_close_range, "uux"},
	{0, NULL, NULL, NULL},
};
