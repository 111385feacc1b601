// SPDX-License-Identifier: Apache-2.0
/* unixaddr.h: guest AF_UNIX socket addresses and the host's names for them (linux/unix.c). */
#ifndef WARMFORK_LINUX_UNIXADDR_H
#define WARMFORK_LINUX_UNIXADDR_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "proc.h"

/*
 * A guest address as the host names it. A path is resolved against the allow-list and named
 * through an fd (/proc/self/fd/N: the host never walks a guest path); an abstract name is
 * put under the sandbox's tag (p->sock_tag), so sandboxes never meet. `guest` keeps the
 * address as Linux would store it (a path up to its NUL) for getsockname/getpeername.
 */
struct wf_unix_addr {
	struct sockaddr_un host;
	socklen_t hlen;
	int hfd;                 /* what /proc/self/fd/N names, or -1 (wf_unix_addr_done closes) */
	bool path;               /* a path, not an abstract name (or AF_UNSPEC) */
	uint8_t guest[112]; /* the address, with a NUL after a full 108-byte path */
	uint8_t glen;
};

/* The socket kinds Linux's AF_UNIX has, checked in __sys_socket's (or, pair, in
 * __sys_socketpair's) order: the host type with SOCK_CLOEXEC and the guest's SOCK_NONBLOCK,
 * or -errno. Other families are EAFNOSUPPORT (the internet ones cannot pair: EOPNOTSUPP). */
int wf_unix_type(int domain, int type, int proto, bool pair);

/* The guest's address at addr (len bytes) for connect or sendto: 0 or -errno (EINVAL for a
 * bad length or family, EFAULT, the path's resolution errors; a path outside a writable
 * allowed directory is EACCES: the sandbox reaches only sockets it could have made). */
int wf_unix_addr_in(struct wf_proc *p, uint64_t addr, uint64_t len, struct wf_unix_addr *u);
void wf_unix_addr_done(struct wf_unix_addr *u);

/* Write a socket address the host gave (translated back: the sandbox's tag taken off an
 * abstract name; a path name the host made is "unnamed") to the guest as Linux's
 * move_addr_to_user does: at most *lenp bytes at addr, the full length into *lenp. */
int wf_unix_addr_put(struct wf_proc *p, const struct sockaddr_un *host, socklen_t hlen,
		     uint64_t addr, uint64_t lenp);
/* The same for an address already in the guest's form. */
int wf_unix_name_put(struct wf_proc *p, const uint8_t *name, unsigned nlen, uint64_t addr,
		     uint64_t lenp);

#endif
