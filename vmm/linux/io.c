// SPDX-License-Identifier: Apache-2.0
/* io.c: the io syscall family: read/write, vectors, seek, dup, fcntl, pipes, getdents, sync. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include "util.h"
#include "linux/signals.h"
#include "linux/syscall.h"
#include "linux/threads.h"

/* Guest (arm64) values, spelled out. O_DIRECT is 0200000 on arm64, 040000 on x86_64. */
enum {
	G_O_ACCMODE = 03,
	G_O_RDONLY = 0,
	G_O_WRONLY = 01,
	G_O_APPEND = 02000,
	G_O_NONBLOCK = 04000,
	G_O_DIRECT = 0200000,
	G_O_NOATIME = 01000000,
	G_O_CLOEXEC = 02000000,
	G_O_PATH = 010000000,
	G_F_DUPFD = 0,
	G_F_GETFD = 1,
	G_F_SETFD = 2,
	G_F_GETFL = 3,
	G_F_SETFL = 4,
	G_F_DUPFD_CLOEXEC = 1030,
	G_F_GETLK = 5, G_F_SETLK = 6, G_F_SETLKW = 7, G_F_GETOWN = 9, G_F_GETSIG = 11,
	G_F_OFD_GETLK = 36, G_F_OFD_SETLK = 37, G_F_OFD_SETLKW = 38, G_F_GETLEASE = 1025,
	G_F_SETPIPE_SZ = 1031, G_F_GETPIPE_SZ = 1032, G_F_ADD_SEALS = 1033, G_F_GET_SEALS = 1034,
	G_F_UNLCK = 2,
	G_FD_CLOEXEC = 1,
	G_SEEK_MAX = 4, /* SEEK_SET, CUR, END, DATA, HOLE: the same numbers on the host */
	G_TCGETS = 0x5401,
	G_TIOCGWINSZ = 0x5413,
	G_FIONREAD = 0x541b,
	G_FIONBIO = 0x5421,
	G_FIONCLEX = 0x5450,
	G_FIOCLEX = 0x5451,
	G_IOV_MAX = 1024,
};

/* The most one read or write moves, as in Linux (MAX_RW_COUNT). */
#define MAX_RW 0x7ffff000ull
/* The end of arm64 Linux's user address space (48-bit VAs), access_ok's limit; the guest's
 * own is lower (p->user_top) and takes its place. */
#define G_USER_END (1ull << 48)

/* Status flags F_SETFL may change, guest value to host value (Linux's SETFL_MASK but
 * O_ASYNC, which would send the VMM SIGIO). The host checks O_NOATIME's permission. */
static const struct {
	int guest, host;
} setfl_map[] = {
	{G_O_APPEND, O_APPEND},
	{G_O_NONBLOCK, O_NONBLOCK},
	{G_O_DIRECT, O_DIRECT},
	{G_O_NOATIME, O_NOATIME},
};

static struct wf_fd *get_fd(struct wf_proc *p, uint64_t a)
{
	return wf_fd_get(p, (int)(uint32_t)a);
}

/* Can this descriptor be read (write: written)? As Linux's FMODE_READ/FMODE_WRITE. */
static bool fd_mode_ok(const struct wf_fd *f, bool out)
{
	if (f->kind == WF_FD_OUTPUT)
		return out;
	if (f->kind == WF_FD_STDIN)
		return !out;
	if (f->flags & G_O_PATH)
		return false;
	/* Access mode 3 (O_RDWR|O_WRONLY) opens for neither (fuzz_syscalls). */
	int acc = f->flags & G_O_ACCMODE;
	if (acc == G_O_ACCMODE)
		return false;
	return out ? acc != G_O_RDONLY : acc != G_O_WRONLY;
}

/*
 * How much of guest [addr, addr+len) is accessible from its start. Linux copies up to the
 * first fault and returns a short count, or EFAULT when not even the first byte could move.
 */
static uint64_t accessible(struct wf_mem *m, wf_gaddr_t addr, uint64_t len, unsigned prot)
{
	if (wf_mem_ptr(m, addr, len, prot))
		return len;
	uint64_t ok = 0;
	while (ok < len) {
		uint64_t chunk = WF_PAGE_SIZE - ((addr + ok) % WF_PAGE_SIZE);
		if (chunk > len - ok)
			chunk = len - ok;
		if (addr + ok < addr || !wf_mem_ptr(m, addr + ok, chunk, prot))
			break;
		ok += chunk;
	}
	return ok;
}

/* fd 1/2: hand bytes to the printer, within the output limit (EFBIG past it, like FSIZE). */
static int64_t output(struct wf_proc *p, const struct wf_fd *f, const void *buf, uint64_t len)
{
	uint64_t max = p->lim.max_output;
	if (max && len > 0) {
		if (p->output_bytes >= max)
			return -EFBIG;
		if (len > max - p->output_bytes)
			len = max - p->output_bytes;
	}
	if (p->print && len > 0)
		p->print(p->print_ctx, f->chan, buf, len);
	p->output_bytes += len;
	return (int64_t)len;
}

/* A non-blocking read of stdin: only when something is there (its host flags stay as they are). */
static bool stdin_would_block(const struct wf_fd *f)
{
	struct pollfd pfd = {.fd = f->host_fd, .events = POLLIN};
	return (f->flags & G_O_NONBLOCK) && poll(&pfd, 1, 0) == 0;
}

/*
 * A host write to a pipe or socket whose reader is gone raises SIGPIPE in the VMM's thread,
 * which would kill the embedder (found by fuzz_syscalls). It is blocked around host writes,
 * and one the write raised is taken back: the guest gets EPIPE, and SIGPIPE as Linux sends it.
 */
static void pipe_guard(sigset_t *old)
{
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &set, old);
}

static ssize_t pipe_unguard(struct wf_proc *p, ssize_t n, const sigset_t *old)
{
	int err = errno;
	if (n < 0 && err == EPIPE) {
		sigset_t set;
		sigemptyset(&set);
		sigaddset(&set, SIGPIPE);
		if (!sigismember(old, SIGPIPE)) {
			struct timespec now = {0, 0};
			sigtimedwait(&set, NULL, &now);
		}
		wf_signal_send(p, WF_SIGPIPE);
	}
	pthread_sigmask(SIG_SETMASK, old, NULL);
	errno = err;
	return n;
}

int64_t wf_io_xfer(struct wf_proc *p, struct wf_fd *f, void *buf, uint64_t len, bool out,
		   int64_t off)
{
	ssize_t n;
	if (f->kind == WF_FD_OUTPUT)
		return output(p, f, buf, len);
	if (f->kind == WF_FD_STDIN && stdin_would_block(f))
		return -EAGAIN;
	/* Other guest threads run on this host thread: a stream that would block waits in the
	 * scheduler, and the call comes again (threads.h). */
	if (off < 0 && len && !(f->flags & G_O_NONBLOCK) && wf_thread_others(p) &&
	    wf_host_would_block(f->host_fd, out))
		return wf_thread_retry(p, -WF_ERESTARTSYS);
	if (off < 0 && wf_proc_signalled(p))
		return -WF_ERESTARTSYS;
	if (!out) {
		n = off < 0 ? read(f->host_fd, buf, len) : pread(f->host_fd, buf, len, off);
		return n < 0 ? wf_host_err() : n;
	}
	sigset_t old;
	pipe_guard(&old);
	n = off < 0 ? write(f->host_fd, buf, len) : pwrite(f->host_fd, buf, len, off);
	n = pipe_unguard(p, n, &old);
	return n < 0 ? wf_host_err() : n;
}

static int64_t rw(struct wf_proc *p, const uint64_t a[6], bool out, int64_t off)
{
	struct wf_fd *f = get_fd(p, a[0]);
	if (!f || !fd_mode_ok(f, out))
		return -EBADF;
	if (f->sigfd) /* no write, no positioned read (Linux: EINVAL, ESPIPE) */
		return out ? -EINVAL : off >= 0 ? -ESPIPE : wf_signalfd_read(p, f, a[1], a[2]);
	/* access_ok on the count as given: past the end of the user address space is EFAULT. */
	uint64_t end = p->user_top ? p->user_top : G_USER_END;
	if (a[2] > end || a[1] > end - a[2])
		return -EFAULT;
	uint64_t len = a[2] > MAX_RW ? MAX_RW : a[2];
	if (len == 0) {
		/* Nothing moves, but the host still says EISDIR, ESPIPE...; guest memory untouched. */
		char dummy;
		return f->kind == WF_FD_HOST ? wf_io_xfer(p, f, &dummy, 0, out, off) : 0;
	}
	unsigned prot = out ? WF_PROT_READ : WF_PROT_WRITE;
	len = accessible(&p->mem, a[1], len, prot);
	if (len == 0)
		return -EFAULT;
	return wf_io_xfer(p, f, wf_mem_ptr(&p->mem, a[1], len, prot), len, out, off);
}

static int64_t sys_read(struct wf_proc *p, const uint64_t a[6])
{
	return rw(p, a, false, -1);
}

static int64_t sys_write(struct wf_proc *p, const uint64_t a[6])
{
	return rw(p, a, true, -1);
}

/* Does the host say ESPIPE to positioned I/O on this fd? (A zero-length probe.) */
static bool unseekable(const struct wf_fd *f, bool out)
{
	char c;
	ssize_t n = out ? pwrite(f->host_fd, &c, 0, 0) : pread(f->host_fd, &c, 0, 0);
	return n < 0 && errno == ESPIPE;
}

static int64_t prw(struct wf_proc *p, const uint64_t a[6], bool out)
{
	/* Linux's order (found by fuzz_syscalls): a negative offset, the fd, an unseekable
	 * file (ESPIPE), then the fd's access mode (EBADF). */
	if ((int64_t)a[3] < 0)
		return -EINVAL;
	struct wf_fd *f = get_fd(p, a[0]);
	if (!f)
		return -EBADF;
	/* stdin is the embedder's own fd 0: positioned I/O works when that is a file. */
	if (f->kind == WF_FD_OUTPUT)
		return -ESPIPE;
	if (f->kind == WF_FD_HOST && !fd_mode_ok(f, out))
		return unseekable(f, out) ? -ESPIPE : -EBADF;
	int64_t r = rw(p, a, out, (int64_t)a[3]);
	/* A bad buffer is found before the host is asked; Linux says ESPIPE first. */
	return r == -EFAULT && f->kind == WF_FD_HOST && unseekable(f, out) ? -ESPIPE : r;
}

static int64_t sys_pread64(struct wf_proc *p, const uint64_t a[6])
{
	return prw(p, a, false);
}

static int64_t sys_pwrite64(struct wf_proc *p, const uint64_t a[6])
{
	return prw(p, a, true);
}

/* The guest's struct iovec: {u64 base, u64 len} on arm64. */
struct g_iovec {
	uint64_t base;
	uint64_t len;
};

int wf_iov_import(struct wf_proc *p, wf_gaddr_t addr, uint64_t cnt, bool out,
		  struct iovec *hiov, int *n, uint64_t *want)
{
	struct g_iovec giov[G_IOV_MAX];
	*n = 0;
	*want = 0;
	if (cnt > G_IOV_MAX)
		return -EINVAL;
	if (cnt && wf_mem_read(&p->mem, giov, addr, cnt * sizeof(giov[0])))
		return -EFAULT;
	/* As import_iovec: a negative length is EINVAL, the total is clamped at MAX_RW. */
	for (uint64_t i = 0; i < cnt; i++) {
		if ((int64_t)giov[i].len < 0)
			return -EINVAL;
		if (giov[i].len > MAX_RW - *want)
			giov[i].len = MAX_RW - *want;
		*want += giov[i].len;
	}
	unsigned prot = out ? WF_PROT_READ : WF_PROT_WRITE;
	uint64_t total = 0;
	for (uint64_t i = 0; i < cnt && total < *want; i++) {
		if (giov[i].len == 0)
			continue;
		uint64_t ok = accessible(&p->mem, giov[i].base, giov[i].len, prot);
		if (ok == 0)
			break;
		hiov[*n].iov_base = wf_mem_ptr(&p->mem, giov[i].base, ok, prot);
		hiov[(*n)++].iov_len = ok;
		total += ok;
		if (ok < giov[i].len)
			break; /* the copy would fault here: a short transfer */
	}
	return 0;
}

/* readv/writev (off -1) and their positioned forms (preadv, pwritev, preadv2, pwritev2:
 * off >= 0, or -1 for the current position; RWF_* flags go to the host as they are). */
static int64_t rwv(struct wf_proc *p, const uint64_t a[6], bool out, int64_t off, int flags)
{
	struct iovec hiov[G_IOV_MAX];
	struct wf_fd *f = get_fd(p, a[0]);
	uint64_t want;
	int n;
	if (!f)
		return -EBADF;
	/* As vfs_readv/vfs_writev: an empty vector still needs an fd open the right way. */
	int rc = wf_iov_import(p, a[1], a[2], out, hiov, &n, &want);
	if (rc)
		return rc;
	if (!fd_mode_ok(f, out))
		return -EBADF;
	if (want == 0)
		return 0;
	if (n == 0)
		return -EFAULT;
	if (f->kind == WF_FD_OUTPUT && off >= 0)
		return -ESPIPE;
	if (f->kind == WF_FD_OUTPUT) {
		int64_t done = 0;
		for (int i = 0; i < n; i++) {
			int64_t r = output(p, f, hiov[i].iov_base, hiov[i].iov_len);
			if (r < 0)
				return done ? done : r;
			done += r;
			if ((uint64_t)r < hiov[i].iov_len)
				break;
		}
		return done;
	}
	if (f->kind == WF_FD_STDIN && stdin_would_block(f))
		return -EAGAIN;
	if (off < 0 && !(f->flags & G_O_NONBLOCK) && !(flags & RWF_NOWAIT) &&
	    wf_thread_others(p) && wf_host_would_block(f->host_fd, out))
		return wf_thread_retry(p, -WF_ERESTARTSYS); /* as in wf_io_xfer */
	if (off < 0 && wf_proc_signalled(p))
		return -WF_ERESTARTSYS;
	if (!out) {
		ssize_t r = preadv2(f->host_fd, hiov, n, off, flags);
		return r < 0 ? wf_host_err() : r;
	}
	sigset_t old;
	pipe_guard(&old);
	ssize_t r = pipe_unguard(p, pwritev2(f->host_fd, hiov, n, off, flags), &old);
	return r < 0 ? wf_host_err() : r;
}

static int64_t sys_readv(struct wf_proc *p, const uint64_t a[6])
{
	return rwv(p, a, false, -1, 0);
}

static int64_t sys_writev(struct wf_proc *p, const uint64_t a[6])
{
	return rwv(p, a, true, -1, 0);
}

static int64_t sys_preadv(struct wf_proc *p, const uint64_t a[6])
{
	return (int64_t)a[3] < 0 ? -EINVAL : rwv(p, a, false, (int64_t)a[3], 0);
}

static int64_t sys_pwritev(struct wf_proc *p, const uint64_t a[6])
{
	return (int64_t)a[3] < 0 ? -EINVAL : rwv(p, a, true, (int64_t)a[3], 0);
}

/* preadv2 and pwritev2: on arm64 the position is a[3] alone (a[4], its high half, is unused). */
static int64_t rwv2(struct wf_proc *p, const uint64_t a[6], bool out)
{
	int64_t off = (int64_t)a[3];
	if (off < -1)
		return -EINVAL;
	if ((uint32_t)a[5] & ~(uint32_t)(RWF_HIPRI | RWF_DSYNC | RWF_SYNC | RWF_NOWAIT | RWF_APPEND))
		return -EOPNOTSUPP;
	return rwv(p, a, out, off, (int)(uint32_t)a[5]);
}

static int64_t sys_preadv2(struct wf_proc *p, const uint64_t a[6])
{
	return rwv2(p, a, false);
}

static int64_t sys_pwritev2(struct wf_proc *p, const uint64_t a[6])
{
	return rwv2(p, a, true);
}

static int64_t sys_lseek(struct wf_proc *p, const uint64_t a[6])
{
	struct wf_fd *f = get_fd(p, a[0]);
	if (!f)
		return -EBADF;
	if ((uint32_t)a[2] > G_SEEK_MAX)
		return -EINVAL;
	if (f->kind == WF_FD_OUTPUT)
		return -ESPIPE;
	off_t r = lseek(f->host_fd, (off_t)a[1], (int)a[2]);
	return r < 0 ? -errno : r;
}

static int64_t sys_close(struct wf_proc *p, const uint64_t a[6])
{
	if (!get_fd(p, a[0]))
		return -EBADF;
	wf_fd_close(p, (int)(uint32_t)a[0]);
	return 0;
}

/* Make guest fd `slot` (reserved, or open: it is closed first) a duplicate of `from`. */
static int dup_into(struct wf_proc *p, int from, int slot, bool cloexec)
{
	struct wf_fd n = p->fds[from];
	n.flags = (n.flags & ~G_O_CLOEXEC) | (cloexec ? G_O_CLOEXEC : 0);
	n.path = NULL;
	n.names = NULL;
	if (n.kind == WF_FD_HOST) {
		/* Host fds never leak into the VMM's own children: always host-CLOEXEC. */
		n.host_fd = fcntl(p->fds[from].host_fd, F_DUPFD_CLOEXEC, 0);
		if (n.host_fd < 0)
			return -errno;
		if (wf_fd_extra_copy(&n, &p->fds[from])) {
			close(n.host_fd);
			return -ENOMEM;
		}
	}
	wf_fd_close(p, slot);
	p->fds[slot] = n;
	return slot;
}

static int64_t sys_dup(struct wf_proc *p, const uint64_t a[6])
{
	int old = (int)(uint32_t)a[0];
	if (!wf_fd_get(p, old))
		return -EBADF;
	int slot = wf_fd_alloc(p, 0);
	if (slot < 0)
		return slot;
	int rc = dup_into(p, old, slot, false);
	if (rc < 0)
		wf_fd_close(p, slot);
	return rc;
}

static int64_t sys_dup3(struct wf_proc *p, const uint64_t a[6])
{
	int old = (int)(uint32_t)a[0], new = (int)(uint32_t)a[1];
	if ((int)a[2] & ~G_O_CLOEXEC)
		return -EINVAL;
	if (old == new)
		return -EINVAL;
	if (new < 0 || (unsigned)new >= wf_fd_limit(p) || !wf_fd_get(p, old))
		return -EBADF;
	return dup_into(p, old, new, (int)a[2] & G_O_CLOEXEC);
}

/* The status flags of an open file description (shared by dups: ask the host). */
static int64_t getfl(struct wf_fd *f)
{
	int fl = f->flags & ~G_O_CLOEXEC;
	if (f->kind != WF_FD_HOST)
		return fl;
	int h = fcntl(f->host_fd, F_GETFL);
	if (h < 0)
		return -errno;
	for (size_t i = 0; i < ARRAY_SIZE(setfl_map); i++)
		fl = (h & setfl_map[i].host) ? fl | setfl_map[i].guest : fl & ~setfl_map[i].guest;
	return fl;
}

static int64_t setfl(struct wf_fd *f, int arg)
{
	int h = 0, keep = f->flags, mask = 0, hmask = 0;
	for (size_t i = 0; i < ARRAY_SIZE(setfl_map); i++) {
		mask |= setfl_map[i].guest;
		hmask |= setfl_map[i].host;
		if (arg & setfl_map[i].guest)
			h |= setfl_map[i].host;
	}
	if (f->kind == WF_FD_HOST) {
		int cur = fcntl(f->host_fd, F_GETFL);
		if (cur < 0)
			return -errno;
		cur &= ~hmask;
		if (fcntl(f->host_fd, F_SETFL, cur | h))
			return -errno;
	}
	/* stdio: bookkeeping only, the embedder's own descriptors keep their flags. */
	f->flags = (keep & ~mask) | (arg & mask);
	return 0;
}

/* arm64's struct flock: l_type, l_whence, (padding), l_start, l_len, l_pid (padding). */
struct g_flock {
	int16_t type, whence;
	int32_t pad;
	int64_t start, len;
	int32_t pid, pad2;
};

/* Record locks: the host's, on the host fd (guest processes are host processes, so locks
 * between them work). A conflicting lock's l_pid is the holder's host pid. */
static int64_t fcntl_lock(struct wf_proc *p, struct wf_fd *f, int cmd, uint64_t addr)
{
	static const int host_cmd[] = {[G_F_GETLK] = F_GETLK, [G_F_SETLK] = F_SETLK,
				       [G_F_SETLKW] = F_SETLKW, [G_F_OFD_GETLK] = F_OFD_GETLK,
				       [G_F_OFD_SETLK] = F_OFD_SETLK,
				       [G_F_OFD_SETLKW] = F_OFD_SETLKW};
	struct g_flock g;
	if (wf_mem_read(&p->mem, &g, addr, sizeof(g)))
		return -EFAULT;
	if (f->kind != WF_FD_HOST)
		return -EINVAL;
	struct flock h = {.l_type = g.type, .l_whence = g.whence, .l_start = g.start,
			  .l_len = g.len, .l_pid = g.pid};
	if (fcntl(f->host_fd, host_cmd[cmd], &h))
		return wf_host_err();
	if (cmd != G_F_GETLK && cmd != G_F_OFD_GETLK)
		return 0;
	g = (struct g_flock){.type = h.l_type, .whence = h.l_whence, .start = h.l_start,
			     .len = h.l_len, .pid = h.l_pid};
	return wf_mem_write(&p->mem, addr, &g, sizeof(g)) ? -EFAULT : 0;
}

static int64_t sys_fcntl(struct wf_proc *p, const uint64_t a[6])
{
	int fd = (int)(uint32_t)a[0];
	struct wf_fd *f = wf_fd_get(p, fd);
	if (!f)
		return -EBADF;
	switch ((int)a[1]) {
	case G_F_DUPFD:
	case G_F_DUPFD_CLOEXEC: {
		if ((uint32_t)a[2] >= wf_fd_limit(p))
			return -EINVAL;
		int slot = wf_fd_alloc(p, (int)a[2]);
		if (slot < 0)
			return slot;
		int rc = dup_into(p, fd, slot, (int)a[1] == G_F_DUPFD_CLOEXEC);
		if (rc < 0)
			wf_fd_close(p, slot);
		return rc;
	}
	case G_F_GETFD:
		return (f->flags & G_O_CLOEXEC) ? G_FD_CLOEXEC : 0;
	case G_F_SETFD:
		f->flags = (a[2] & G_FD_CLOEXEC) ? f->flags | G_O_CLOEXEC : f->flags & ~G_O_CLOEXEC;
		return 0;
	case G_F_GETFL:
		return getfl(f);
	case G_F_SETFL:
		return setfl(f, (int)a[2]);
	case G_F_GETLK: case G_F_SETLK: case G_F_SETLKW:
	case G_F_OFD_GETLK: case G_F_OFD_SETLK: case G_F_OFD_SETLKW:
		return fcntl_lock(p, f, (int)a[1], a[2]);
	case G_F_GETOWN:
	case G_F_GETSIG:
		return 0; /* F_SETOWN/F_SETSIG (SIGIO) are not emulated: never set */
	case G_F_GETLEASE:
		return G_F_UNLCK; /* F_SETLEASE is not emulated: never a lease */
	case G_F_SETPIPE_SZ: case G_F_GETPIPE_SZ: case G_F_ADD_SEALS: case G_F_GET_SEALS: {
		/* The host's pipe sizes and memfd seals; the command numbers are Linux's. */
		if (f->kind != WF_FD_HOST)
			return -EINVAL;
		int r = fcntl(f->host_fd, (int)a[1], (int)a[2]);
		return r < 0 ? -errno : r;
	}
	default:
		return -EINVAL;
	}
}

static int64_t sys_pipe2(struct wf_proc *p, const uint64_t a[6])
{
	int gflags = (int)a[1];
	if (gflags & ~(G_O_CLOEXEC | G_O_NONBLOCK | G_O_DIRECT))
		return -EINVAL;
	int h[2], hflags = O_CLOEXEC;
	hflags |= (gflags & G_O_NONBLOCK) ? O_NONBLOCK : 0;
	hflags |= (gflags & G_O_DIRECT) ? O_DIRECT : 0;
	int r = wf_fd_alloc(p, 0);
	if (r < 0)
		return r;
	int w = wf_fd_alloc(p, 0);
	if (w < 0) {
		wf_fd_close(p, r);
		return w;
	}
	if (pipe2(h, hflags)) {
		int err = errno;
		wf_fd_close(p, r);
		wf_fd_close(p, w);
		return -err;
	}
	p->fds[r] = (struct wf_fd){.kind = WF_FD_HOST, .host_fd = h[0], .flags = gflags | G_O_RDONLY};
	p->fds[w] = (struct wf_fd){.kind = WF_FD_HOST, .host_fd = h[1], .flags = gflags | G_O_WRONLY};
	int32_t out[2] = {r, w};
	if (wf_mem_write(&p->mem, a[0], out, sizeof(out))) {
		wf_fd_close(p, r);
		wf_fd_close(p, w);
		return -EFAULT;
	}
	return 0;
}

/* Not a terminal: tty requests are ENOTTY. FIONREAD, FIONBIO, FIO(N)CLEX work. */
static int64_t sys_ioctl(struct wf_proc *p, const uint64_t a[6])
{
	struct wf_fd *f = get_fd(p, a[0]);
	if (!f)
		return -EBADF;
	switch ((uint32_t)a[1]) {
	case G_FIONREAD: {
		int n = 0;
		if (f->kind != WF_FD_OUTPUT && ioctl(f->host_fd, FIONREAD, &n))
			return -errno;
		return wf_mem_write(&p->mem, a[2], &n, sizeof(n));
	}
	case G_FIONBIO: {
		int on;
		if (wf_mem_read(&p->mem, &on, a[2], sizeof(on)))
			return -EFAULT;
		int fl = (int)getfl(f);
		if (fl < 0)
			return fl;
		return setfl(f, on ? fl | G_O_NONBLOCK : fl & ~G_O_NONBLOCK);
	}
	case G_FIOCLEX:
		f->flags |= G_O_CLOEXEC;
		return 0;
	case G_FIONCLEX:
		f->flags &= ~G_O_CLOEXEC;
		return 0;
	case G_TCGETS:
	case G_TIOCGWINSZ:
	default:
		return -ENOTTY;
	}
}

static int64_t sys_ftruncate(struct wf_proc *p, const uint64_t a[6])
{
	if ((int64_t)a[1] < 0)
		return -EINVAL; /* before the fd, as Linux (found by fuzz_syscalls) */
	struct wf_fd *f = get_fd(p, a[0]);
	if (!f)
		return -EBADF;
	if (f->kind != WF_FD_HOST)
		return -EINVAL;
	return ftruncate(f->host_fd, (off_t)a[1]) ? -errno : 0;
}

static int64_t sync_common(struct wf_proc *p, const uint64_t a[6], bool data)
{
	struct wf_fd *f = get_fd(p, a[0]);
	if (!f)
		return -EBADF;
	if (f->kind != WF_FD_HOST)
		return -EINVAL; /* like a pipe */
	return (data ? fdatasync(f->host_fd) : fsync(f->host_fd)) ? -errno : 0;
}

static int64_t sys_fsync(struct wf_proc *p, const uint64_t a[6])
{
	return sync_common(p, a, false);
}

static int64_t sys_fdatasync(struct wf_proc *p, const uint64_t a[6])
{
	return sync_common(p, a, true);
}

static int64_t sys_getdents64(struct wf_proc *p, const uint64_t a[6])
{
	struct wf_fd *f = get_fd(p, a[0]);
	if (!f)
		return -EBADF;
	if (f->kind != WF_FD_HOST)
		return -ENOTDIR;
	uint32_t count = (uint32_t)a[2];
	void *buf = wf_mem_ptr(&p->mem, a[1], count, WF_PROT_WRITE);
	if (!buf)
		return -EFAULT;
	long n = syscall(SYS_getdents64, f->host_fd, buf, count);
	return n < 0 ? -errno : n;
}

const struct wf_syscall_def wf_sys_io[] = {
	{WF_NR_read, "read", sys_read, "fpu"},
	{WF_NR_write, "write", sys_write, "fpu"},
	{WF_NR_readv, "readv", sys_readv, "fpu"},
	{WF_NR_writev, "writev", sys_writev, "fpu"},
	{WF_NR_preadv, "preadv", sys_preadv, "fpuuu"},
	{WF_NR_pwritev, "pwritev", sys_pwritev, "fpuuu"},
	{WF_NR_preadv2, "preadv2", sys_preadv2, "fpuuux"},
	{WF_NR_pwritev2, "pwritev2", sys_pwritev2, "fpuuux"},
	{WF_NR_pread64, "pread64", sys_pread64, "fpud"},
	{WF_NR_pwrite64, "pwrite64", sys_pwrite64, "fpud"},
	{WF_NR_lseek, "lseek", sys_lseek, "fdd"},
	{WF_NR_close, "close", sys_close, "f"},
	{WF_NR_dup, "dup", sys_dup, "f"},
	{WF_NR_dup3, "dup3", sys_dup3, "ffx"},
	{WF_NR_fcntl, "fcntl", sys_fcntl, "fdx"},
	{WF_NR_pipe2, "pipe2", sys_pipe2, "px"},
	{WF_NR_ioctl, "ioctl", sys_ioctl, "fxp"},
	{WF_NR_getdents64, "getdents64", sys_getdents64, "fpu"},
	{WF_NR_ftruncate, "ftruncate", sys_ftruncate, "fd"},
	{WF_NR_fsync, "fsync", sys_fsync, "f"},
	{WF_NR_fdatasync, "fdatasync", sys_fdatasync, "f"},
	{0},
};
