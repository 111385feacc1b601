// SPDX-License-Identifier: Apache-2.0
/* unsupported.c: conformance cases for common syscalls the VMM does not emulate (yet). */
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/times.h>
#include <linux/fs.h>
#include <linux/openat2.h>

#include "conf.h"

/*
 * Every case here shows what Linux does with ordinary, valid arguments. Under the VMM they
 * return ENOSYS, so each one is listed in conformance/expected-differences; when the VMM
 * learns the call, the entry goes stale and the run says so.
 */

CONF_CASE(poll, "ppoll pselect6")
{
	int p[2];
	conf_must(SYS(pipe2, p, 0), "pipe2");
	conf_must(SYS(write, p[1], "x", 1), "write");
	struct pollfd fds[2] = {{.fd = p[0], .events = POLLIN}, {.fd = p[1], .events = POLLOUT}};
	struct timespec z = {0, 0};
	T(ppoll, fds, 2, &z, NULL, 8);
	conf_more("revents=%#x,%#x", fds[0].revents, fds[1].revents);
	unsigned long rd = 1ul << p[0];
	T(pselect6, p[0] + 1, &rd, NULL, NULL, &z, NULL);
	conf_more("ready=%d", (int)(rd >> p[0]) & 1);
}

CONF_CASE(openat2, "openat2")
{
	struct open_how how = {.flags = O_RDONLY, .resolve = RESOLVE_BENEATH};
	T(openat2, AT_FDCWD, "file", &how, sizeof how);
	T(openat2, AT_FDCWD, "/", &how, sizeof how);
}
