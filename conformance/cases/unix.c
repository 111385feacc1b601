// SPDX-License-Identifier: Apache-2.0
/* unix.c: conformance cases for AF_UNIX sockets: socket, bind, listen, accept4, connect, names, options, sendmsg/recvmsg. */
#include <fcntl.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>

#include "conf.h"

/* A path or abstract ("@name") address and its length as Linux programs make it. */
static socklen_t addr_of(struct sockaddr_un *sa, const char *name)
{
	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	size_t n = strlen(name);
	memcpy(sa->sun_path, name, n);
	if (name[0] == '@') {
		sa->sun_path[0] = 0;
		return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n);
	}
	return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n + 1);
}

/* Append what a name call wrote: its length and the name (path, @abstract, or unnamed). */
static void show_name(const struct sockaddr_un *sa, socklen_t len)
{
	size_t off = offsetof(struct sockaddr_un, sun_path);
	conf_more("len=%u family=%u", (unsigned)len, len >= 2 ? sa->sun_family : 0);
	if (len > off)
		conf_bytes("name", sa->sun_path, len - off);
}

static void names(long fd)
{
	struct sockaddr_un sa;
	socklen_t len = sizeof(sa);
	memset(&sa, 0x55, sizeof(sa));
	if (!conf_err(T(getsockname, fd, &sa, &len)))
		show_name(&sa, len);
	len = sizeof(sa);
	memset(&sa, 0x55, sizeof(sa));
	if (!conf_err(T(getpeername, fd, &sa, &len)))
		show_name(&sa, len);
}

CONF_CASE(path_stream, "socket bind listen connect accept4 getsockname getpeername")
{
	struct sockaddr_un sa, got;
	socklen_t len = addr_of(&sa, "sock"), glen;
	long s = T(socket, AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	TX(fcntl, s, F_GETFD);
	TX(fcntl, s, F_GETFL);
	names(s);
	T(bind, s, &sa, len);
	struct stat st;
	if (!conf_err(T(newfstatat, AT_FDCWD, "sock", &st, 0)))
		conf_more("mode=%o", (unsigned)st.st_mode);
	names(s);
	T(bind, s, &sa, len);
	T(listen, s, 4);
	long c = T(socket, AF_UNIX, SOCK_STREAM, 0);
	T(connect, c, &sa, len);
	names(c);
	glen = sizeof(got);
	memset(&got, 0x55, sizeof(got));
	long a = T(accept4, s, &got, &glen, SOCK_NONBLOCK);
	show_name(&got, glen);
	TX(fcntl, a, F_GETFL);
	names(a);
	T(write, c, "ping", 4);
	char buf[8] = {0};
	T(read, a, buf, sizeof(buf));
	conf_bytes("got", buf, 4);
	T(accept4, s, NULL, NULL, SOCK_NONBLOCK);
	T(accept4, s, NULL, NULL, 0x1);
	long d = T(socket, AF_UNIX, SOCK_STREAM, 0);
	T(bind, d, &sa, len);
	T(connect, c, &sa, len);
	T(close, c);
	T(read, a, buf, sizeof(buf));
	T(unlinkat, AT_FDCWD, "sock", 0);
	T(connect, d, &sa, len);
}

CONF_CASE(path_errors, "socket bind connect listen accept4 accept")
{
	struct sockaddr_un sa;
	long s = T(socket, AF_UNIX, SOCK_STREAM, 0);
	T(connect, s, &sa, addr_of(&sa, "missing"));
	T(connect, s, &sa, addr_of(&sa, "file"));
	T(connect, s, &sa, addr_of(&sa, "dir"));
	T(bind, s, &sa, addr_of(&sa, "nodir/sock"));
	T(bind, s, &sa, addr_of(&sa, "file"));
	socklen_t len = addr_of(&sa, "x");
	T(bind, s, &sa, 1);
	T(bind, s, &sa, 111);
	T(bind, s, &sa, 200);
	T(bind, s, CONF_BADPTR, len);
	sa.sun_family = AF_INET;
	T(bind, s, &sa, len);
	T(connect, s, &sa, len);
	T(listen, 99, 1);
	long f = conf_open("file", O_RDONLY);
	T(bind, f, &sa, len);
	T(listen, f, 1);
	T(accept4, f, NULL, NULL, 0);
	T(getsockname, f, &sa, &len);
	T(socket, AF_UNIX, 99, 0);
	T(socket, AF_UNIX, SOCK_STREAM, 7);
	T(socket, AF_UNIX, SOCK_RAW, 0);
	T(socket, 1000, SOCK_STREAM, 0);
	T(accept4, s, NULL, NULL, 0);
	T(accept, s, NULL, NULL);
	T(listen, s, 1);
	socklen_t bad = (socklen_t)-1;
	T(getsockname, s, &sa, &bad);
	T(getsockname, s, &sa, CONF_BADPTR);
	T(getpeername, s, &sa, &len);
}

CONF_CASE(abstract, "socket bind listen connect accept4 getsockname getpeername")
{
	struct sockaddr_un sa, got;
	socklen_t len = addr_of(&sa, "@warmfork-conf-abstract"), glen;
	long s = T(socket, AF_UNIX, SOCK_SEQPACKET, 0);
	T(bind, s, &sa, len);
	names(s);
	T(listen, s, 1);
	long c = T(socket, AF_UNIX, SOCK_SEQPACKET, 0);
	T(connect, c, &sa, len);
	names(c);
	long a = T(accept4, s, NULL, NULL, 0);
	names(a);
	long d = T(socket, AF_UNIX, SOCK_SEQPACKET, 0);
	T(bind, d, &sa, len);
	T(connect, d, &sa, addr_of(&sa, "@warmfork-conf-nobody"));
	/* autobind: an address of the family alone names the socket "\0" and five hex digits */
	sa.sun_family = AF_UNIX;
	T(bind, d, &sa, sizeof(sa_family_t));
	glen = sizeof(got);
	if (!conf_err(T(getsockname, d, &got, &glen)))
		conf_more("len=%u first=%d", (unsigned)glen, got.sun_path[0]);
	T(bind, d, &sa, sizeof(sa_family_t));
	T(close, s);
	T(close, a);
	T(close, c);
}

CONF_CASE(dgram, "socket bind sendto recvfrom connect")
{
	struct sockaddr_un sa, from;
	socklen_t len = addr_of(&sa, "dsock"), flen;
	long s = T(socket, AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0);
	T(bind, s, &sa, len);
	long c = T(socket, AF_UNIX, SOCK_DGRAM, 0);
	T(sendto, c, "one", 3, 0, &sa, len);
	char buf[8] = {0};
	flen = sizeof(from);
	memset(&from, 0x55, sizeof(from));
	T(recvfrom, s, buf, sizeof(buf), 0, &from, &flen);
	conf_more("fromlen=%u", (unsigned)flen);
	conf_bytes("got", buf, 3);
	struct sockaddr_un me;
	socklen_t mlen = addr_of(&me, "@warmfork-conf-dgram");
	T(bind, c, &me, mlen);
	T(sendto, c, "two", 3, 0, &sa, len);
	flen = sizeof(from);
	T(recvfrom, s, buf, sizeof(buf), 0, &from, &flen);
	show_name(&from, flen);
	T(recvfrom, s, buf, sizeof(buf), 0, NULL, NULL);
	T(sendto, c, "x", 1, 0, NULL, 0);
	T(connect, c, &sa, len);
	T(sendto, c, "three", 5, 0, NULL, 0);
	T(recvfrom, s, buf, sizeof(buf), 0, NULL, NULL);
	names(c);
	struct sockaddr unspec = {.sa_family = AF_UNSPEC};
	T(connect, c, &unspec, sizeof(unspec));
	T(sendto, c, "x", 1, 0, NULL, 0);
	T(sendto, c, "x", 1, 0, &sa, addr_of(&sa, "missing"));
	T(sendto, c, "x", 1, 0, CONF_BADPTR, len);
}

/* One message with data and, if fd >= 0, that fd as SCM_RIGHTS. */
static long send_fd(long s, int fd, size_t cmsg_len)
{
	char data = 'm';
	struct iovec iov = {&data, 1};
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(2 * sizeof(int))];
	} u;
	memset(&u, 0, sizeof(u));
	struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1};
	if (fd >= 0) {
		u.h.cmsg_len = cmsg_len;
		u.h.cmsg_level = SOL_SOCKET;
		u.h.cmsg_type = SCM_RIGHTS;
		memcpy(CMSG_DATA(&u.h), &fd, sizeof(fd));
		m.msg_control = u.buf;
		m.msg_controllen = CMSG_SPACE(sizeof(int));
	}
	return conf_reportf(CONF_INT, SYS(sendmsg, s, &m, 0), "sendmsg(%ld, fd %d, cmsg_len %zu)",
			    s, fd, cmsg_len);
}

/* Receive one message with room for `room` bytes of control data; print what came. */
static void recv_fd(long s, size_t room, int flags)
{
	char data = 0;
	struct iovec iov = {&data, 1};
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(4 * sizeof(int))];
	} u;
	memset(&u, 0, sizeof(u));
	struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = room ? u.buf : NULL,
			   .msg_controllen = room};
	if (conf_err(conf_reportf(CONF_INT, SYS(recvmsg, s, &m, flags), "recvmsg(%ld, room %zu, %#x)",
				  s, room, flags)))
		return;
	conf_more("data=%c controllen=%zu flags=%#x", data, (size_t)m.msg_controllen,
		  (unsigned)m.msg_flags);
	struct cmsghdr *h = CMSG_FIRSTHDR(&m);
	if (!h)
		return;
	int fd;
	memcpy(&fd, CMSG_DATA(h), sizeof(fd));
	conf_more("cmsg len=%zu level=%d type=%d fd=%d", (size_t)h->cmsg_len, h->cmsg_level,
		  h->cmsg_type, fd);
	char buf[8] = {0};
	TX(fcntl, fd, F_GETFD);
	TX(fcntl, fd, F_GETFL);
	T(pread64, fd, buf, 5, 0);
	conf_bytes("read", buf, 5);
}

CONF_CASE(rights, "sendmsg recvmsg socketpair")
{
	int sv[2];
	conf_must(SYS(socketpair, AF_UNIX, SOCK_STREAM, 0, sv), "socketpair");
	long f = conf_open("file", O_RDONLY);
	send_fd(sv[0], (int)f, CMSG_LEN(sizeof(int)));
	recv_fd(sv[1], CMSG_SPACE(4 * sizeof(int)), MSG_CMSG_CLOEXEC);
	send_fd(sv[0], (int)f, CMSG_LEN(sizeof(int)));
	recv_fd(sv[1], 0, 0);
	send_fd(sv[0], (int)f, CMSG_LEN(sizeof(int)));
	recv_fd(sv[1], CMSG_SPACE(4 * sizeof(int)), 0);
	send_fd(sv[0], 99, CMSG_LEN(sizeof(int)));
	send_fd(sv[0], (int)f, 4);
	send_fd(sv[0], (int)f, 4096);
	send_fd(sv[0], -1, 0);
	recv_fd(sv[1], CMSG_SPACE(4 * sizeof(int)), MSG_DONTWAIT);
	recv_fd(sv[1], CMSG_SPACE(4 * sizeof(int)), MSG_DONTWAIT);
	struct msghdr m = {0};
	T(sendmsg, sv[0], CONF_BADPTR, 0);
	m.msg_iovlen = 2000;
	T(sendmsg, sv[0], &m, 0);
	T(recvmsg, sv[1], &m, 0);
}

CONF_CASE(options, "getsockopt setsockopt")
{
	long s = T(socket, AF_UNIX, SOCK_STREAM, 0);
	int v = -1;
	socklen_t len = sizeof(v);
	static const int ro[] = {SO_TYPE, SO_DOMAIN, SO_PROTOCOL, SO_ACCEPTCONN, SO_ERROR};
	for (size_t i = 0; i < sizeof(ro) / sizeof(ro[0]); i++) {
		v = -1;
		len = sizeof(v);
		if (!conf_err(conf_reportf(CONF_INT, SYS(getsockopt, s, SOL_SOCKET, ro[i], &v, &len),
					   "getsockopt(SOL_SOCKET, %d)", ro[i])))
			conf_more("value=%d len=%u", v, (unsigned)len);
	}
	T(setsockopt, s, SOL_SOCKET, SO_RCVBUF, &(int){65536}, sizeof(int));
	len = sizeof(v);
	T(getsockopt, s, SOL_SOCKET, SO_RCVBUF, &v, &len);
	conf_more("value=%d", v);
	T(setsockopt, s, SOL_SOCKET, SO_TYPE, &(int){1}, sizeof(int));
	T(setsockopt, s, SOL_SOCKET, SO_RCVBUF, &(int){1}, 2);
	T(setsockopt, s, SOL_SOCKET, SO_RCVBUF, CONF_BADPTR, sizeof(int));
	struct timeval tv = {2, 500000}, tg = {0, 0};
	T(setsockopt, s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	len = sizeof(tg);
	T(getsockopt, s, SOL_SOCKET, SO_RCVTIMEO, &tg, &len);
	conf_more("tv=%ld.%06ld len=%u", (long)tg.tv_sec, (long)tg.tv_usec, (unsigned)len);
	len = 2;
	T(getsockopt, s, SOL_SOCKET, SO_TYPE, &v, &len);
	conf_more("len=%u", (unsigned)len);
	len = (socklen_t)-1;
	T(getsockopt, s, SOL_SOCKET, SO_TYPE, &v, &len);
	T(getsockopt, s, SOL_SOCKET, SO_TYPE, &v, CONF_BADPTR);
	T(getsockopt, s, SOL_SOCKET, 9999, &v, &len);
	len = sizeof(v);
	T(getsockopt, s, 0 /* SOL_IP */, 1, &v, &len);
	T(setsockopt, s, 0 /* SOL_IP */, 1, &v, sizeof(v));
	long f = conf_open("file", O_RDONLY);
	T(getsockopt, f, SOL_SOCKET, SO_TYPE, &v, &len);
}

/* The sandbox has no network and shows no host credentials (docs/syscalls.md). */
CONF_CASE(network, "socket getsockopt setsockopt")
{
	long s = T(socket, AF_INET, SOCK_STREAM, 0);
	TN(socket, AF_INET6, SOCK_DGRAM, 0);
	TN(socket, AF_NETLINK, SOCK_RAW, 0);
	int sv[2];
	conf_must(SYS(socketpair, AF_UNIX, SOCK_STREAM, 0, sv), "socketpair");
	struct ucred cr;
	socklen_t len = sizeof(cr);
	T(getsockopt, sv[0], SOL_SOCKET, SO_PEERCRED, &cr, &len);
	T(setsockopt, sv[0], SOL_SOCKET, SO_PASSCRED, &(int){1}, sizeof(int));
	(void)s;
}
