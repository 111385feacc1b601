// SPDX-License-Identifier: Apache-2.0
/* socket.c: the socket family: AF_UNIX socket pairs and moving data (send*, recv*, SCM_RIGHTS, shutdown). */
#include <errno.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "linux/signals.h"
#include "linux/syscall.h"
#include "linux/threads.h"
#include "linux/unixaddr.h"

/* Guest (asm-generic) constants. */
enum {
	G_SOCK_NONBLOCK = 04000, G_SOCK_CLOEXEC = 02000000,
	G_O_NONBLOCK = 04000, G_O_CLOEXEC = 02000000, G_O_RDWR = 2, G_O_LARGEFILE = 0400000,
	G_MSG_NOSIGNAL = 0x4000,
	/* what send and recv may pass on: MSG_OOB PEEK DONTROUTE TRUNC DONTWAIT EOR WAITALL
	 * NOSIGNAL MORE CMSG_CLOEXEC (the values are the same on every Linux architecture) */
	G_MSG_KNOWN = 0x1 | 0x2 | 0x4 | 0x20 | 0x40 | 0x80 | 0x100 | 0x4000 | 0x8000 | 0x40000000,
};

#define MAX_IO (0x7ffff000ull) /* MAX_RW_COUNT */

/* socketpair: AF_UNIX stream, datagram or seqpacket (wf_unix_type). The pair is a host
 * pair, so it works across guest processes like a pipe. */
static int64_t sys_socketpair(struct wf_proc *p, const uint64_t a[6])
{
	int type = (int)a[1];
	int htype = wf_unix_type((int)a[0], type, (int)a[2], true);
	if (htype < 0)
		return htype;
	int h[2];
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

/* The host's sendmsg for a guest send: EPIPE raises SIGPIPE unless MSG_NOSIGNAL, as Linux. */
static int64_t send_host(struct wf_proc *p, int fd, struct msghdr *m, int flags)
{
	if (wf_proc_signalled(p))
		return -WF_ERESTARTSYS;
	ssize_t n = sendmsg(fd, m, (flags & G_MSG_KNOWN) | MSG_NOSIGNAL);
	if (n < 0 && errno == EPIPE && !(flags & G_MSG_NOSIGNAL))
		wf_signal_send(p, WF_SIGPIPE);
	return n < 0 ? wf_host_err() : n;
}

/* sendto(fd, buf, len, flags, addr, addrlen): an address names an AF_UNIX socket
 * (unixaddr.h). */
static int64_t sys_sendto(struct wf_proc *p, const uint64_t a[6])
{
	int fd = sock_fd(p, a[0]);
	if (fd < 0)
		return fd;
	int flags = (int)a[3];
	uint64_t len = a[2] > MAX_IO ? MAX_IO : a[2];
	void *buf = len ? wf_mem_ptr(&p->mem, a[1], len, WF_PROT_READ) : (void *)"";
	if (!buf)
		return -EFAULT;
	struct wf_unix_addr u = {.hfd = -1};
	if (a[4]) {
		int rc = wf_unix_addr_in(p, a[4], a[5], &u);
		if (rc)
			return rc;
	}
	int64_t n;
	if (len && must_wait(p, fd, flags, true)) {
		n = wf_thread_retry(p, -WF_ERESTARTSYS);
	} else {
		struct iovec v = {buf, len};
		struct msghdr m = {.msg_name = a[4] ? &u.host : NULL,
				   .msg_namelen = a[4] ? u.hlen : 0, .msg_iov = &v, .msg_iovlen = 1};
		n = send_host(p, fd, &m, flags);
	}
	wf_unix_addr_done(&u);
	return n;
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
	if (wf_proc_signalled(p))
		return -WF_ERESTARTSYS;
	struct sockaddr_storage from;
	socklen_t flen = sizeof(from);
	ssize_t n = recvfrom(fd, buf, len, (int)a[3] & G_MSG_KNOWN,
			     a[4] ? (struct sockaddr *)&from : NULL, a[4] ? &flen : NULL);
	if (n < 0)
		return wf_host_err();
	if (a[4] && !a[5])
		return -EFAULT; /* move_addr_to_user with no length to read: the data is gone */
	if (a[4]) {
		int rc = wf_unix_addr_put(p, (struct sockaddr_un *)&from, flen, a[4], a[5]);
		if (rc)
			return rc;
	}
	return n;
}

/* The guest's struct msghdr and cmsghdr (LP64, the same layout as the host's). */
struct g_msghdr {
	uint64_t name;
	uint32_t namelen, pad;
	uint64_t iov, iovlen, control, controllen;
	int32_t flags, pad2;
};
struct g_cmsghdr {
	uint64_t len;
	int32_t level, type;
};
_Static_assert(sizeof(struct g_msghdr) == 56 && sizeof(struct g_cmsghdr) == 16, "LP64 layouts");
enum {
	G_SOL_SOCKET = 1, G_SCM_RIGHTS = 1, G_SCM_MAX_FD = 253, G_UIO_MAXIOV = 1024,
	G_MSG_CMSG_CLOEXEC = 0x40000000, G_MSG_CTRUNC = 8,
	CTL_MAX = 4096, /* control data the VMM takes (Linux: optmem_max, 20 KiB and more) */
};
#define CMSG_AL(n) (((n) + 7) & ~(uint64_t)7)

/* A guest msghdr and its iovecs, as ____sys_sendmsg and ___sys_recvmsg read them. */
static int msg_read(struct wf_proc *p, uint64_t addr, bool out, struct g_msghdr *m,
		    struct iovec *hiov, int *n)
{
	uint64_t want;
	if (wf_mem_read(&p->mem, m, addr, sizeof(*m)))
		return -EFAULT;
	if ((int32_t)m->namelen < 0)
		return -EINVAL;
	if (m->iovlen > G_UIO_MAXIOV)
		return -EMSGSIZE;
	int rc = wf_iov_import(p, m->iov, m->iovlen, out, hiov, n, &want);
	return rc ? rc : want && !*n ? -EFAULT : 0;
}

/*
 * The guest's control data for sendmsg as the host's (hctl, CTL_MAX bytes): SCM_RIGHTS with
 * the host fds of the guest's, all in one message. Checked as __scm_send does; fds that are
 * not host files (the printer, the embedder's stdin) and SCM_CREDENTIALS, which would name
 * host pids, are EINVAL. Control data of other levels is ignored, as on Linux.
 */
static int rights_in(struct wf_proc *p, const struct g_msghdr *m, uint8_t *hctl, size_t *hlen)
{
	uint8_t g[CTL_MAX];
	int fds[G_SCM_MAX_FD];
	unsigned nfd = 0;
	*hlen = 0;
	if (!m->controllen)
		return 0;
	if (m->controllen > CTL_MAX)
		return -ENOBUFS;
	if (wf_mem_read(&p->mem, g, m->control, m->controllen))
		return -EFAULT;
	for (uint64_t off = 0; off + sizeof(struct g_cmsghdr) <= m->controllen;) {
		struct g_cmsghdr c;
		memcpy(&c, g + off, sizeof(c));
		if (c.len < sizeof(c) || c.len > m->controllen - off)
			return -EINVAL;
		if (c.level == G_SOL_SOCKET) {
			if (c.type != G_SCM_RIGHTS)
				return -EINVAL;
			uint64_t k = (c.len - sizeof(c)) / sizeof(int32_t);
			if (k > G_SCM_MAX_FD - nfd)
				return -EINVAL;
			for (uint64_t i = 0; i < k; i++) {
				int32_t gfd;
				memcpy(&gfd, g + off + sizeof(c) + i * sizeof(gfd), sizeof(gfd));
				struct wf_fd *f = wf_fd_get(p, gfd);
				if (!f)
					return -EBADF;
				if (f->kind != WF_FD_HOST)
					return -EINVAL;
				fds[nfd++] = f->host_fd;
			}
		}
		off += CMSG_AL(c.len);
	}
	if (!nfd)
		return 0;
	struct cmsghdr *h = (struct cmsghdr *)hctl;
	h->cmsg_len = CMSG_LEN(nfd * sizeof(int));
	h->cmsg_level = SOL_SOCKET;
	h->cmsg_type = SCM_RIGHTS;
	memcpy(CMSG_DATA(h), fds, nfd * sizeof(int));
	*hlen = CMSG_SPACE(nfd * sizeof(int));
	return 0;
}

static int64_t sys_sendmsg(struct wf_proc *p, const uint64_t a[6])
{
	int fd = sock_fd(p, a[0]);
	if (fd < 0)
		return fd;
	int flags = (int)a[2];
	struct g_msghdr m;
	struct iovec hiov[G_UIO_MAXIOV];
	_Alignas(struct cmsghdr) uint8_t hctl[CTL_MAX];
	size_t hlen;
	int n;
	int rc = msg_read(p, a[1], true, &m, hiov, &n);
	if (!rc)
		rc = rights_in(p, &m, hctl, &hlen);
	if (rc)
		return rc;
	struct wf_unix_addr u = {.hfd = -1};
	if (m.name && m.namelen && (rc = wf_unix_addr_in(p, m.name, m.namelen, &u)))
		return rc;
	int64_t r;
	if (n && must_wait(p, fd, flags, true)) {
		r = wf_thread_retry(p, -WF_ERESTARTSYS);
	} else {
		struct msghdr hm = {.msg_name = u.hlen ? &u.host : NULL, .msg_namelen = u.hlen,
				    .msg_iov = hiov, .msg_iovlen = (size_t)n,
				    .msg_control = hlen ? hctl : NULL, .msg_controllen = hlen};
		r = send_host(p, fd, &hm, flags);
	}
	wf_unix_addr_done(&u);
	return r;
}

/* Received host fds into the guest's table and its control data (g, cap bytes): how many
 * bytes it used. A full table ends it as scm_detach_fds does: the rest closed, MSG_CTRUNC. */
static uint64_t rights_out(struct wf_proc *p, struct msghdr *hm, int gflags, uint8_t *g,
			   uint64_t cap, int *mflags)
{
	uint64_t used = 0;
	for (struct cmsghdr *h = CMSG_FIRSTHDR(hm); h; h = CMSG_NXTHDR(hm, h)) {
		if (h->cmsg_level != SOL_SOCKET || h->cmsg_type != SCM_RIGHTS)
			continue; /* nothing else is asked for (no SO_PASSCRED, no timestamps) */
		unsigned k = (unsigned)((h->cmsg_len - CMSG_LEN(0)) / sizeof(int));
		int *hf = (int *)CMSG_DATA(h);
		struct g_cmsghdr c = {.level = G_SOL_SOCKET, .type = G_SCM_RIGHTS};
		unsigned put = 0;
		int32_t out[G_SCM_MAX_FD];
		for (unsigned i = 0; i < k; i++) {
			int slot = put < G_SCM_MAX_FD &&
					   used + sizeof(c) + (put + 1) * sizeof(int32_t) <= cap
				   ? wf_fd_alloc(p, 0)
				   : -EMFILE;
			if (slot < 0) {
				close(hf[i]);
				*mflags |= G_MSG_CTRUNC;
				continue;
			}
			int fl = fcntl(hf[i], F_GETFL);
			struct stat st = {0};
			p->fds[slot] = (struct wf_fd){
				.kind = WF_FD_HOST, .host_fd = hf[i],
				.flags = (fl < 0 ? 0 : fl & (O_ACCMODE | O_APPEND | O_NONBLOCK)) |
					 ((gflags & G_MSG_CMSG_CLOEXEC) ? G_O_CLOEXEC : 0),
				.is_dir = !fstat(hf[i], &st) && S_ISDIR(st.st_mode)};
			/* A file the guest opened has O_LARGEFILE (64-bit open forces it). */
			if (S_ISREG(st.st_mode) || S_ISDIR(st.st_mode))
				p->fds[slot].flags |= G_O_LARGEFILE;
			out[put++] = slot;
		}
		if (!put)
			continue;
		c.len = sizeof(c) + put * sizeof(int32_t);
		memcpy(g + used, &c, sizeof(c));
		memcpy(g + used + sizeof(c), out, put * sizeof(int32_t));
		used += CMSG_AL(c.len) <= cap - used ? CMSG_AL(c.len) : c.len;
	}
	return used;
}

static int64_t sys_recvmsg(struct wf_proc *p, const uint64_t a[6])
{
	int fd = sock_fd(p, a[0]);
	if (fd < 0)
		return fd;
	int flags = (int)a[2];
	struct g_msghdr m;
	struct iovec hiov[G_UIO_MAXIOV];
	_Alignas(struct cmsghdr) uint8_t hctl[CTL_MAX], g[CTL_MAX];
	int n;
	memset(g, 0, sizeof(g)); /* the guest sees the padding after each message */
	int rc = msg_read(p, a[1], false, &m, hiov, &n);
	if (rc)
		return rc;
	if (must_wait(p, fd, flags, false))
		return wf_thread_retry(p, -WF_ERESTARTSYS);
	uint64_t cap = m.control ? (m.controllen > CTL_MAX ? CTL_MAX : m.controllen) : 0;
	struct sockaddr_storage from;
	struct msghdr hm = {.msg_name = m.name ? &from : NULL,
			    .msg_namelen = m.name ? sizeof(from) : 0, .msg_iov = hiov,
			    .msg_iovlen = (size_t)n, .msg_control = cap ? hctl : NULL,
			    .msg_controllen = cap};
	if (wf_proc_signalled(p))
		return -WF_ERESTARTSYS;
	ssize_t r = recvmsg(fd, &hm, (flags & G_MSG_KNOWN) | MSG_CMSG_CLOEXEC);
	if (r < 0)
		return wf_host_err();
	/* Linux hands back the call's MSG_CMSG_CLOEXEC in msg_flags; the host's is the VMM's. */
	int mflags = (hm.msg_flags & ~MSG_CMSG_CLOEXEC) | (flags & G_MSG_CMSG_CLOEXEC);
	uint64_t used = cap && hm.msg_controllen ? rights_out(p, &hm, flags, g, cap, &mflags) : 0;
	uint64_t lenp = a[1] + offsetof(struct g_msghdr, namelen);
	if (m.name && (rc = wf_unix_addr_put(p, (struct sockaddr_un *)&from, hm.msg_namelen,
					     m.name, lenp)))
		return rc;
	if (!m.name && wf_mem_write(&p->mem, lenp, &(uint32_t){0}, sizeof(uint32_t)))
		return -EFAULT;
	if ((used && wf_mem_write(&p->mem, m.control, g, used)) ||
	    wf_mem_write(&p->mem, a[1] + offsetof(struct g_msghdr, controllen), &used,
			 sizeof(used)) ||
	    wf_mem_write(&p->mem, a[1] + offsetof(struct g_msghdr, flags), &mflags,
			 sizeof(mflags)))
		return -EFAULT;
	return r;
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
	{WF_NR_sendmsg, "sendmsg", sys_sendmsg, "fpx"},
	{WF_NR_recvmsg, "recvmsg", sys_recvmsg, "fpx"},
	{0},
};
