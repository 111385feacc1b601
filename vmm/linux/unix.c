// SPDX-License-Identifier: Apache-2.0
/* unix.c: the unix family: AF_UNIX sockets with addresses (socket, bind, listen, accept, connect, names, options). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "linux/ptable.h"
#include "linux/syscall.h"
#include "linux/threads.h"
#include "linux/unixaddr.h"

/*
 * Sockets are the host's AF_UNIX sockets; nothing else exists (other families are
 * EAFNOSUPPORT: no network). A path name is created in the host directory the allow-list
 * gives for it (writable only), through an fd of that directory, and a connect reaches only
 * a socket under a writable allowed directory. Abstract names live in the host's abstract
 * namespace under the sandbox's tag, so two sandboxes, or a sandbox and the host, never meet.
 * Linux keeps a path name as the binder gave it; the host only has /proc/self/fd/N/name, so
 * the guest's form is kept on the fd (wf_fd.names) for getsockname and getpeername.
 */

/*
 * Which sockets a connect may reach: only path sockets this sandbox bound (their device and
 * inode, in p->sock_ids or, once the sandbox has processes, the shared table's). A host
 * service's socket in a writable allowed directory (a tmux server, an ssh agent, a session
 * bus in $XDG_RUNTIME_DIR) is EACCES, as if its permissions kept the guest out.
 */
static struct wf_sock_ids *sock_ids(struct wf_proc *p, bool make)
{
	if (p->ptab)
		return &p->ptab->sock_ids;
	if (!p->sock_ids && make)
		p->sock_ids = calloc(1, sizeof(*p->sock_ids));
	return p->sock_ids;
}

static void sock_made(struct wf_proc *p, const struct stat *st)
{
	struct wf_sock_ids *s = sock_ids(p, true);
	if (!s)
		return; /* the host is out of memory: the socket stays unreachable (the safe side) */
	uint32_t i = __atomic_fetch_add(&s->n, 1, __ATOMIC_RELAXED) % WF_SOCK_IDS;
	s->id[i].dev = st->st_dev;
	s->id[i].ino = st->st_ino;
}

static bool sock_ours(struct wf_proc *p, const struct stat *st)
{
	struct wf_sock_ids *s = sock_ids(p, false);
	uint32_t n = s ? __atomic_load_n(&s->n, __ATOMIC_RELAXED) : 0;
	for (uint32_t i = 0; i < n && i < WF_SOCK_IDS; i++)
		if (s->id[i].dev == st->st_dev && s->id[i].ino == st->st_ino)
			return true;
	return false;
}

/* Guest (asm-generic) constants. */
enum {
	G_AF_UNSPEC = 0, G_AF_UNIX = 1, G_AF_INET = 2, G_AF_INET6 = 10, G_AF_MAX = 46,
	G_SOCK_STREAM = 1, G_SOCK_DGRAM = 2, G_SOCK_RAW = 3, G_SOCK_SEQPACKET = 5, G_SOCK_MAX = 11,
	G_SOCK_NONBLOCK = 04000, G_SOCK_CLOEXEC = 02000000,
	G_O_NONBLOCK = 04000, G_O_CLOEXEC = 02000000, G_O_RDWR = 2,
	G_AT_FDCWD = -100, G_SOL_SOCKET = 1, G_SUN_PATH = 108, G_SOCKADDR_STORAGE = 128,
	TAG_LEN = 10, /* "wf" and 8 hex digits, after the abstract name's first NUL */
};

#define SUN_OFF offsetof(struct sockaddr_un, sun_path)

static void tag(const struct wf_proc *p, char out[TAG_LEN + 1])
{
	snprintf(out, TAG_LEN + 1, "wf%08x", p->sock_tag);
}

/* The host socket of guest fd a: -EBADF, or -ENOTSOCK for anything but a host socket. */
static int sock_of(struct wf_proc *p, uint64_t a, struct wf_fd **fp)
{
	struct wf_fd *f = wf_fd_get(p, (int)(uint32_t)a);
	struct stat st;
	if (!f)
		return -EBADF;
	if (f->kind != WF_FD_HOST || fstat(f->host_fd, &st) || !S_ISSOCK(st.st_mode))
		return -ENOTSOCK;
	if (fp)
		*fp = f;
	return f->host_fd;
}

/* An abstract guest name (name, n bytes after the leading NUL) under the sandbox's tag. */
static int abstract_in(struct wf_proc *p, const uint8_t *name, size_t n, struct wf_unix_addr *u)
{
	if (1 + TAG_LEN + n > G_SUN_PATH)
		return -EINVAL; /* the tag leaves 97 bytes of the 107 Linux allows */
	char t[TAG_LEN + 1];
	tag(p, t);
	u->host.sun_family = AF_UNIX;
	u->host.sun_path[0] = 0;
	memcpy(u->host.sun_path + 1, t, TAG_LEN);
	memcpy(u->host.sun_path + 1 + TAG_LEN, name, n);
	u->hlen = (socklen_t)(SUN_OFF + 1 + TAG_LEN + n);
	return 0;
}

/* Read and check a guest address as move_addr_to_kernel and unix_validate_addr do; the
 * path, if it is one, into path (NUL-terminated). */
static int addr_read(struct wf_proc *p, uint64_t addr, uint64_t len, struct wf_unix_addr *u,
		     char path[G_SUN_PATH + 1])
{
	uint8_t raw[G_SOCKADDR_STORAGE];
	memset(u, 0, sizeof(*u));
	u->hfd = -1;
	u->host.sun_family = AF_UNIX;
	if ((int64_t)len < 0 || len > G_SOCKADDR_STORAGE)
		return -EINVAL;
	if (len && wf_mem_read(&p->mem, raw, addr, len))
		return -EFAULT;
	if (len <= SUN_OFF || len > sizeof(struct sockaddr_un))
		return -EINVAL;
	uint16_t fam;
	memcpy(&fam, raw, sizeof(fam));
	if (fam != G_AF_UNIX)
		return -EINVAL;
	size_t n = len - SUN_OFF;
	_Static_assert(sizeof(u->guest) > sizeof(struct sockaddr_un), "room for the NUL");
	memcpy(u->guest, raw, len);
	u->guest[len] = 0;
	u->glen = (uint8_t)len;
	if (raw[SUN_OFF] == 0)
		return abstract_in(p, raw + SUN_OFF + 1, n - 1, u);
	memcpy(path, raw + SUN_OFF, n);
	path[n] = 0;
	u->path = true;
	u->glen = (uint8_t)(SUN_OFF + strlen(path) + 1); /* as unix_mkname_bsd keeps it */
	return 0;
}

int wf_unix_addr_in(struct wf_proc *p, uint64_t addr, uint64_t len, struct wf_unix_addr *u)
{
	char path[G_SUN_PATH + 1];
	uint16_t fam = 0;
	/* AF_UNSPEC dissolves a datagram socket's association: the host decides. */
	if (len >= sizeof(fam) && len <= G_SOCKADDR_STORAGE &&
	    !wf_mem_read(&p->mem, &fam, addr, sizeof(fam)) && fam == G_AF_UNSPEC) {
		memset(u, 0, sizeof(*u));
		u->hfd = -1;
		u->host.sun_family = AF_UNSPEC;
		u->hlen = sizeof(sa_family_t);
		return 0;
	}
	int rc = addr_read(p, addr, len, u, path);
	if (rc || !u->path)
		return rc;
	bool writable;
	struct stat st;
	rc = wf_fs_open_path(p, path, &u->hfd, &writable);
	if (!rc && !writable)
		rc = -EACCES;
	/* Not a socket: the host says ECONNREFUSED, as Linux. A socket not ours: EACCES. */
	if (!rc && !fstat(u->hfd, &st) && S_ISSOCK(st.st_mode) && !sock_ours(p, &st))
		rc = -EACCES;
	if (rc) {
		wf_unix_addr_done(u);
		return rc;
	}
	u->hlen = (socklen_t)(SUN_OFF + 1 +
			      snprintf(u->host.sun_path, G_SUN_PATH, "/proc/self/fd/%d", u->hfd));
	return 0;
}

void wf_unix_addr_done(struct wf_unix_addr *u)
{
	if (u->hfd >= 0)
		close(u->hfd);
	u->hfd = -1;
}

int wf_unix_name_put(struct wf_proc *p, const uint8_t *name, unsigned nlen, uint64_t addr,
		     uint64_t lenp)
{
	int32_t glen;
	if (wf_mem_read(&p->mem, &glen, lenp, sizeof(glen)))
		return -EFAULT;
	if ((uint32_t)glen > nlen)
		glen = glen < 0 ? glen : (int32_t)nlen;
	if (glen < 0)
		return -EINVAL;
	if (glen && wf_mem_write(&p->mem, addr, name, (uint64_t)glen))
		return -EFAULT;
	int32_t full = (int32_t)nlen;
	return wf_mem_write(&p->mem, lenp, &full, sizeof(full)) ? -EFAULT : 0;
}

int wf_unix_addr_put(struct wf_proc *p, const struct sockaddr_un *host, socklen_t hlen,
		     uint64_t addr, uint64_t lenp)
{
	uint8_t g[sizeof(struct sockaddr_un)] = {G_AF_UNIX, 0};
	unsigned glen = hlen < SUN_OFF ? 0 : SUN_OFF; /* no address, or unnamed */
	char t[TAG_LEN + 1];
	tag(p, t);
	if (hlen > SUN_OFF + TAG_LEN && hlen <= sizeof(*host) && !host->sun_path[0] &&
	    !memcmp(host->sun_path + 1, t, TAG_LEN)) {
		glen = hlen - TAG_LEN;
		memcpy(g + SUN_OFF + 1, host->sun_path + 1 + TAG_LEN, glen - SUN_OFF - 1);
	}
	return wf_unix_name_put(p, g, glen, addr, lenp);
}

int wf_unix_type(int domain, int type, int proto, bool pair)
{
	int kind = type & ~(G_SOCK_NONBLOCK | G_SOCK_CLOEXEC);
	if (type & ~(0xf | G_SOCK_NONBLOCK | G_SOCK_CLOEXEC))
		return -EINVAL;
	if (domain < 0 || domain >= G_AF_MAX)
		return -EAFNOSUPPORT;
	if (kind >= G_SOCK_MAX)
		return -EINVAL;
	if (pair && (domain == G_AF_INET || domain == G_AF_INET6))
		return -EOPNOTSUPP; /* such sockets exist but cannot pair */
	if (domain != G_AF_UNIX)
		return -EAFNOSUPPORT; /* no network, netlink or other families in the sandbox */
	if (proto != 0 && proto != G_AF_UNIX)
		return -EPROTONOSUPPORT;
	if (kind == G_SOCK_RAW)
		kind = G_SOCK_DGRAM; /* unix_create's rule */
	if (kind != G_SOCK_STREAM && kind != G_SOCK_DGRAM && kind != G_SOCK_SEQPACKET)
		return -ESOCKTNOSUPPORT;
	return kind | SOCK_CLOEXEC | ((type & G_SOCK_NONBLOCK) ? SOCK_NONBLOCK : 0);
}

/* Put host socket h into guest fd slot (reserved), with the guest's flags. */
static int install(struct wf_proc *p, int slot, int h, int type_flags)
{
	p->fds[slot] = (struct wf_fd){
		.kind = WF_FD_HOST, .host_fd = h,
		.flags = G_O_RDWR | ((type_flags & G_SOCK_NONBLOCK) ? G_O_NONBLOCK : 0) |
			 ((type_flags & G_SOCK_CLOEXEC) ? G_O_CLOEXEC : 0)};
	return slot;
}

static int64_t sys_socket(struct wf_proc *p, const uint64_t a[6])
{
	int htype = wf_unix_type((int)a[0], (int)a[1], (int)a[2], false);
	if (htype < 0)
		return htype;
	int slot = wf_fd_alloc(p, 0);
	if (slot < 0)
		return slot;
	int h = socket(AF_UNIX, htype, 0);
	if (h < 0) {
		int err = errno;
		wf_fd_close(p, slot);
		return -err;
	}
	return install(p, slot, h, (int)a[1]);
}

/* Keep the guest's form of a name on the fd: which 0 (own) or 1 (peer), len 0 forgets. */
static int keep_name(struct wf_fd *f, int which, const uint8_t *name, unsigned len)
{
	if (!len && !f->names)
		return 0;
	if (!f->names && !(f->names = calloc(1, sizeof(*f->names))))
		return -ENOMEM;
	f->names->len[which] = (uint8_t)len;
	memcpy(f->names->addr[which], name, len);
	return 0;
}

/* A name of the sandbox's own: abstract ones autobind makes look like Linux's (5 hex). */
static int autobind(struct wf_proc *p, int h)
{
	struct wf_unix_addr u;
	for (int tries = 0; tries < 1024; tries++) {
		char name[6];
		snprintf(name, sizeof(name), "%05x", (p->sock_seq++ * 0x9e37u + (unsigned)p->pid) & 0xfffff);
		abstract_in(p, (const uint8_t *)name, 5, &u);
		if (!bind(h, (struct sockaddr *)&u.host, u.hlen))
			return 0;
		if (errno != EADDRINUSE)
			return -errno;
	}
	return -ENOSPC; /* unix_autobind after the whole space was tried */
}

/* bind a path: created by the host in the directory's fd, mode 0777 less the guest's umask. */
static int bind_path(struct wf_proc *p, struct wf_fd *f, int h, const char *path,
		     const struct wf_unix_addr *u, bool bound)
{
	struct wf_fs_name n;
	int rc = wf_fs_parent_str(p, G_AT_FDCWD, 0, path, &n);
	if (rc)
		return rc;
	if (n.special)
		return -EADDRINUSE; /* an existing directory */
	struct stat st;
	if (bound) {
		/* unix_bind_bsd makes the node first: a taken name says so before "bound". */
		rc = fstatat(n.pfd, n.last, &st, AT_SYMLINK_NOFOLLOW) ? -EINVAL : -EADDRINUSE;
		close(n.pfd);
		return rc;
	}
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	int len = snprintf(sa.sun_path, sizeof(sa.sun_path), "/proc/self/fd/%d/%s", n.pfd, n.last);
	if (len < 0 || (size_t)len >= sizeof(sa.sun_path)) {
		close(n.pfd);
		return -ENAMETOOLONG; /* the host's name of it does not fit */
	}
	rc = bind(h, (struct sockaddr *)&sa, (socklen_t)(SUN_OFF + len + 1)) ? -errno : 0;
	if (!rc) {
		int s = openat(n.pfd, n.last, O_PATH | O_NOFOLLOW | O_CLOEXEC);
		if (s >= 0 && !fstat(s, &st) && S_ISSOCK(st.st_mode)) {
			sock_made(p, &st);
			char self[32];
			snprintf(self, sizeof(self), "/proc/self/fd/%d", s);
			(void)chmod(self, 0777 & ~p->umask);
		}
		if (s >= 0)
			close(s);
		rc = keep_name(f, 0, u->guest, u->glen);
	}
	close(n.pfd);
	return rc;
}

static int64_t sys_bind(struct wf_proc *p, const uint64_t a[6])
{
	struct wf_fd *f;
	int h = sock_of(p, a[0], &f);
	if (h < 0)
		return h;
	struct sockaddr_un cur;
	socklen_t clen = sizeof(cur);
	if (getsockname(h, (struct sockaddr *)&cur, &clen))
		return -errno;
	uint16_t fam = 0;
	if (a[2] == SUN_OFF && a[2] <= G_SOCKADDR_STORAGE &&
	    !wf_mem_read(&p->mem, &fam, a[1], sizeof(fam)) && fam == G_AF_UNIX)
		return clen > SUN_OFF ? 0 : autobind(p, h); /* bound already: nothing to do */
	struct wf_unix_addr u;
	char path[G_SUN_PATH + 1];
	int rc = addr_read(p, a[1], a[2], &u, path);
	if (rc)
		return rc;
	if (u.path)
		return bind_path(p, f, h, path, &u, clen > SUN_OFF);
	return bind(h, (struct sockaddr *)&u.host, u.hlen) ? -errno : 0;
}

static int64_t sys_listen(struct wf_proc *p, const uint64_t a[6])
{
	int h = sock_of(p, a[0], NULL);
	if (h < 0)
		return h;
	return listen(h, (int)a[1]) ? -errno : 0;
}

static int64_t sys_connect(struct wf_proc *p, const uint64_t a[6])
{
	struct wf_fd *f;
	int h = sock_of(p, a[0], &f);
	if (h < 0)
		return h;
	struct wf_unix_addr u;
	int rc = wf_unix_addr_in(p, a[1], a[2], &u);
	if (rc)
		return rc;
	rc = connect(h, (struct sockaddr *)&u.host, u.hlen) ? (int)wf_host_err() : 0;
	wf_unix_addr_done(&u);
	if (!rc)
		rc = keep_name(f, 1, u.guest, u.path ? u.glen : 0);
	return rc;
}

static int64_t accept_common(struct wf_proc *p, const uint64_t a[6], int flags)
{
	if (flags & ~(G_SOCK_NONBLOCK | G_SOCK_CLOEXEC))
		return -EINVAL;
	struct wf_fd *f;
	int h = sock_of(p, a[0], &f);
	if (h < 0)
		return h;
	int slot = wf_fd_alloc(p, 0);
	if (slot < 0)
		return slot;
	int fl = fcntl(h, F_GETFL);
	if (fl >= 0 && !(fl & O_NONBLOCK) && wf_thread_others(p) && wf_host_would_block(h, false)) {
		wf_fd_close(p, slot);
		return wf_thread_retry(p, -WF_ERESTARTSYS);
	}
	if (wf_proc_signalled(p)) {
		wf_fd_close(p, slot);
		return -WF_ERESTARTSYS;
	}
	struct sockaddr_un peer;
	socklen_t plen = sizeof(peer);
	int n = accept4(h, (struct sockaddr *)&peer, &plen,
			SOCK_CLOEXEC | ((flags & G_SOCK_NONBLOCK) ? SOCK_NONBLOCK : 0));
	if (n < 0) {
		int64_t err = wf_host_err();
		wf_fd_close(p, slot);
		return err;
	}
	install(p, slot, n, flags);
	/* The new socket's own name is the listener's. */
	int rc = f->names ? keep_name(&p->fds[slot], 0, f->names->addr[0], f->names->len[0]) : 0;
	if (!rc && a[1])
		rc = wf_unix_addr_put(p, &peer, plen, a[1], a[2]);
	if (rc) {
		wf_fd_close(p, slot);
		return rc;
	}
	return slot;
}

static int64_t sys_accept(struct wf_proc *p, const uint64_t a[6])
{
	return accept_common(p, a, 0);
}

static int64_t sys_accept4(struct wf_proc *p, const uint64_t a[6])
{
	return accept_common(p, a, (int)a[3]);
}

/* getsockname (peer 0) and getpeername (1). */
static int64_t name_of(struct wf_proc *p, const uint64_t a[6], int peer)
{
	struct wf_fd *f;
	int h = sock_of(p, a[0], &f);
	if (h < 0)
		return h;
	struct sockaddr_un sa;
	socklen_t len = sizeof(sa);
	if (peer ? getpeername(h, (struct sockaddr *)&sa, &len)
		 : getsockname(h, (struct sockaddr *)&sa, &len))
		return -errno;
	if (f->names && f->names->len[peer])
		return wf_unix_name_put(p, f->names->addr[peer], f->names->len[peer], a[1], a[2]);
	return wf_unix_addr_put(p, &sa, len, a[1], a[2]);
}

static int64_t sys_getsockname(struct wf_proc *p, const uint64_t a[6])
{
	return name_of(p, a, 0);
}

static int64_t sys_getpeername(struct wf_proc *p, const uint64_t a[6])
{
	return name_of(p, a, 1);
}

/*
 * The SOL_SOCKET options with plain values (the same numbers on every Linux architecture the
 * VMM runs on): set and read on the host socket. SO_PEERCRED and SO_PASSCRED would show
 * host pids and ids: ENOPROTOOPT, as are options the list does not have.
 */
static bool known_opt(int opt, bool set)
{
	switch (opt) {
	case 2:  /* SO_REUSEADDR */
	case 7:  /* SO_SNDBUF */
	case 8:  /* SO_RCVBUF */
	case 9:  /* SO_KEEPALIVE */
	case 13: /* SO_LINGER */
	case 18: /* SO_RCVLOWAT */
	case 20: /* SO_RCVTIMEO_OLD */
	case 21: /* SO_SNDTIMEO_OLD */
	case 42: /* SO_PEEK_OFF */
		return true;
	case 3:  /* SO_TYPE */
	case 4:  /* SO_ERROR */
	case 19: /* SO_SNDLOWAT */
	case 30: /* SO_ACCEPTCONN */
	case 38: /* SO_PROTOCOL */
	case 39: /* SO_DOMAIN */
		return !set;
	default:
		return false;
	}
}

static int64_t sys_setsockopt(struct wf_proc *p, const uint64_t a[6])
{
	int h = sock_of(p, a[0], NULL);
	if (h < 0)
		return h;
	int level = (int)a[1], opt = (int)a[2];
	uint8_t val[16];
	if ((int)a[4] < 0)
		return -EINVAL;
	if (level != G_SOL_SOCKET)
		return -EOPNOTSUPP; /* AF_UNIX has no options of its own to set */
	/* As sk_setsockopt: an int's worth read first, then the option looked at. */
	if ((uint32_t)a[4] < sizeof(int32_t))
		return -EINVAL;
	uint32_t need = opt == 20 || opt == 21 ? 16 : opt == 13 ? 8 : 4; /* timeval, linger */
	socklen_t len = (socklen_t)((uint32_t)a[4] > need ? need : (uint32_t)a[4]);
	if (wf_mem_read(&p->mem, val, a[3], len))
		return -EFAULT;
	if (!known_opt(opt, true))
		return -ENOPROTOOPT;
	return setsockopt(h, SOL_SOCKET, opt, val, len) ? -errno : 0;
}

static int64_t sys_getsockopt(struct wf_proc *p, const uint64_t a[6])
{
	int h = sock_of(p, a[0], NULL);
	if (h < 0)
		return h;
	int level = (int)a[1], opt = (int)a[2];
	int32_t glen;
	if (level != G_SOL_SOCKET)
		return -EOPNOTSUPP;
	if (wf_mem_read(&p->mem, &glen, a[4], sizeof(glen)))
		return -EFAULT;
	if (glen < 0)
		return -EINVAL;
	if (!known_opt(opt, false))
		return -ENOPROTOOPT;
	uint8_t val[64];
	socklen_t len = (socklen_t)glen > sizeof(val) ? sizeof(val) : (socklen_t)glen;
	if (getsockopt(h, SOL_SOCKET, opt, val, &len))
		return -errno;
	if (opt == 39 && len >= sizeof(int32_t))
		*(int32_t *)val = G_AF_UNIX; /* SO_DOMAIN */
	int32_t out = (int32_t)len;
	if ((len && wf_mem_write(&p->mem, a[3], val, len)) ||
	    wf_mem_write(&p->mem, a[4], &out, sizeof(out)))
		return -EFAULT;
	return 0;
}

const struct wf_syscall_def wf_sys_unix[] = {
	{WF_NR_socket, "socket", sys_socket, "ddd"},
	{WF_NR_bind, "bind", sys_bind, "fpu"},
	{WF_NR_listen, "listen", sys_listen, "fd"},
	{WF_NR_accept, "accept", sys_accept, "fpp"},
	{WF_NR_accept4, "accept4", sys_accept4, "fppx"},
	{WF_NR_connect, "connect", sys_connect, "fpu"},
	{WF_NR_getsockname, "getsockname", sys_getsockname, "fpp"},
	{WF_NR_getpeername, "getpeername", sys_getpeername, "fpp"},
	{WF_NR_setsockopt, "setsockopt", sys_setsockopt, "fddpu"},
	{WF_NR_getsockopt, "getsockopt", sys_getsockopt, "fddpp"},
	{0},
};
