// SPDX-License-Identifier: Apache-2.0
/* socket.c: AF_UNIX socket pairs (socketpair, sendto, recvfrom, shutdown) on host socket pairs; no network. */
#include <errno.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "linux/signals.h"
#include "linux/syscall.h"
#include "linux/threads.h"

/* Guest (asm-generic) constants. */
enum {
	G_AF_UNIX = 1, G_AF_INET = 2, G_AF_INET6 = 10, G_AF_MAX = 46,
	G_SOCK_STREAM = 1, G_SOCK_DGRAM = 2, G_SOCK_RAW = 3, G_SOCK_SEQPACKET = 5, G_SOCK_MAX = 11,
	G_SOCK_NONBLOCK = 04000, G_SOCK_CLOEXEC = 02000000,
	G_O_NONBLOCK = 04000, G_O_CLOEXEC = 02000000, G_O_RDWR = 2,
	G_MSG_NOSIGNAL = 0x4000,
	/* what send and recv may pass on: MSG_OOB PEEK DONTROUTE TRUNC DONTWAIT EOR WAITALL
	 * NOSIGNAL MORE CMSG_CLOEXEC (the values are the same on every Linux architecture) */
	G_MSG_KNOWN = 0x1 | 0x2 | 0x4 | 0x20 | 0x40 | 0x80 | 0x100 | 0x4000 | 0x8000 | 0x40000000,
};

#define MAX_IO (0x7ffff000ull) /* MAX_RW_COUNT */

/*
 * socketpair: only AF_UNIX (other families: EOPNOTSUPP for the internet ones, which cannot
 * pair, EAFNOSUPPORT for the rest), stream, datagram or seqpacket. The pair is a host pair,
 * so it works across guest processes like a pipe.
 */
static int64_t sys_socketpair(struct wf_proc *p, const uint64_t a[6])
{
	int domain = (int)a[0], type = (int)a[1], proto = (int)a[2];
	int kind = type & ~(G_SOCK_NONBLOCK | G_SOCK_CLOEXEC);
	/* __sys_socketpair, __sock_create, then the family's create, in Linux's order. */
	if (type & ~(0xf | G_SOCK_NONBLOCK | G_SOCK_CLOEXEC))
		return -EINVAL;
	if (domain < 0 || domain >= G_AF_MAX)
		return -EAFNOSUPPORT;
	if (kind >= G_SOCK_MAX)
		return -EINVAL;
	if (domain == G_AF_INET || domain == G_AF_INET6)
		return -EOPNOTSUPP; /* such sockets exist but cannot pair */
	if (domain != G_AF_UNIX)
		return -EAFNOSUPPORT;
	if (proto != 0 && proto != G_AF_UNIX)
		return -EPROTONOSUPPORT;
	if (kind == G_SOCK_RAW)
		kind = G_SOCK_DGRAM; /* unix_create's rule */
	if (kind != G_SOCK_STREAM && kind != G_SOCK_DGRAM && kind != G_SOCK_SEQPACKET)
		return -ESOCKTNOSUPPORT;
	int h[2];
	int htype = kind | SOCK_CLOEXEC | ((type & G_SOCK_NONBLOCK) ? SOCK_NONBLOCK : 0);
	int s0 = wf_fd_alloc(p, 0);
	if (s0 < 0)
		return s0;
	int s1 = wf_fd_alloc(p, 0);
	if (s1 < 0) {
		wf_fd_close(p, s0);
		return s1;
	}
	if (socketpair(AF_UNIX, htype, 0, h)) {
		int err = errno;
		wf_fd_close(p, s0);
		wf_fd_close(p, s1);
		return -err;
	}
	int gflags = G_O_RDWR | ((type & G_SOCK_NONBLOCK) ? G_O_NONBLOCK : 0) |
		     ((type & G_SOCK_CLOEXEC) ? G_O_CLOEXEC : 0);
	p->fds[s0] = (struct wf_fd){.kind = WF_FD_HOST, .host_fd = h[0], .flags = gflags};
	p->fds[s1] = (struct wf_fd){.kind = WF_FD_HOST, .host_fd = h[1], .flags = gflags};
	int32_t out[2] = {s0, s1};
	if (wf_mem_write(&p->mem, a[3], out, sizeof(out))) {
		wf_fd_close(p, s0);
		wf_fd_close(p, s1);
		return -EFAULT;
	}
	return 0;
}

/* The host fd of a guest socket: -EBADF, or -ENOTSOCK for anything but a host fd. */
static int sock_fd(struct wf_proc *p, uint64_t a)
{
	struct wf_fd *f = wf_fd_get(p, (int)(uint32_t)a);
	if (!f)
		return -EBADF;
	return f->kind == WF_FD_HOST ? f->host_fd : -ENOTSOCK;
}

/* A blocking transfer that would wait, with other guest threads about: it waits in the
 * scheduler and comes again (threads.h). */
static bool must_wait(struct wf_proc *p, int fd, int flags, bool out)
{
	if ((flags & MSG_DONTWAIT) || !wf_thread_others(p))
		return false;
	int fl = fcntl(fd, F_GETFL);
	struct stat st;
	/* Not a socket: the host call says ENOTSOCK at once. MSG_WAITALL waits on the host. */
	return fl >= 0 && !(fl & O_NONBLOCK) && !(flags & MSG_WAITALL) && !fstat(fd, &st) &&
	       S_ISSOCK(st.st_mode) && wf_host_would_block(fd, out);
}

/* sendto(fd, buf, len, flags, addr, addrlen): on a connected pair, with no address. */
static int64_t sys_sendto(struct wf_proc *p, const uint64_t a[6])
{
	int fd = sock_fd(p, a[0]);
	if (fd < 0)
		return fd;
	int flags = (int)a[3];
	if (a[4])
		return -EOPNOTSUPP; /* unbound sockets by address are not there */
	uint64_t len = a[2] > MAX_IO ? MAX_IO : a[2];
	void *buf = len ? wf_mem_ptr(&p->mem, a[1], len, WF_PROT_READ) : (void *)"";
	if (!buf)
		return -EFAULT;
	if (len && must_wait(p, fd, flags, true))
		return wf_thread_retry(p, -WF_ERESTARTSYS);
	ssize_t n = sendto(fd, buf, len, (flags & G_MSG_KNOWN) | MSG_NOSIGNAL, NULL, 0);
	if (n < 0 && errno == EPIPE && !(flags & G_MSG_NOSIGNAL))
		wf_signal_send(p, WF_SIGPIPE); /* as Linux: EPIPE and SIGPIPE */
	return n < 0 ? wf_host_err() : n;
}

/* recvfrom(fd, buf, len, flags, addr, addrlen): the peer's address is the unnamed one. */
static int64_t sys_recvfrom(struct wf_proc *p, const uint64_t a[6])
{
	int fd = sock_fd(p, a[0]);
	if (fd < 0)
		return fd;
	uint64_t len = a[2] > MAX_IO ? MAX_IO : a[2];
	void *buf = len ? wf_mem_ptr(&p->mem, a[1], len, WF_PROT_WRITE) : (void *)(char[1]){0};
	if (!buf)
		return -EFAULT;
	int32_t glen = 0;
	if (a[4] && a[5] && wf_mem_read(&p->mem, &glen, a[5], sizeof(glen)))
		return -EFAULT;
	if (a[4] && a[5] && glen < 0)
		return -EINVAL;
	if (must_wait(p, fd, (int)a[3], false))
		return wf_thread_retry(p, -WF_ERESTARTSYS);
	struct sockaddr_storage from;
	socklen_t flen = sizeof(from);
	ssize_t n = recvfrom(fd, buf, len, (int)a[3] & G_MSG_KNOWN,
			     a[4] ? (struct sockaddr *)&from : NULL, a[4] ? &flen : NULL);
	if (n < 0)
		return wf_host_err();
	if (a[4] && a[5]) {
		int32_t out = (int32_t)flen;
		if (wf_mem_write(&p->mem, a[4], &from, (uint64_t)glen < flen ? (uint64_t)glen : flen) ||
		    wf_mem_write(&p->mem, a[5], &out, sizeof(out)))
			return -EFAULT;
	}
	return n;
}

static int64_t sys_shutdown(struct wf_proc *p, const uint64_t a[6])
{
	int fd = sock_fd(p, a[0]);
	if (fd < 0)
		return fd;
	return shutdown(fd, (int)a[1]) ? -errno : 0;
}

const struct wf_syscall_def wf_sys_socket[] = {
	{WF_NR_socketpair, "socketpair", sys_socketpair, "dxdp"},
	{WF_NR_sendto, "sendto", sys_sendto, "fpuxpu"},
	{WF_NR_recvfrom, "recvfrom", sys_recvfrom, "fpuxpp"},
	{WF_NR_shutdown, "shutdown", sys_shutdown, "fd"},
	{0},
};
