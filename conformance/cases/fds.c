// SPDX-License-Identifier: Apache-2.0
/* fds.c: conformance cases for descriptors: dup, dup3, fcntl, pipe2, ioctl, close. */
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <termios.h>

#include "conf.h"

/* read(fd, buf, n) (n <= 64) and show what came. */
static void rd(long fd, size_t n)
{
	char buf[64];
	n = n < sizeof buf ? n : sizeof buf;
	long r = conf_reportf(CONF_INT, SYS(read, fd, buf, n), "read(%ld, buf, %zu)", fd, n);
	if (r > 0)
		conf_bytes("data", buf, (size_t)r);
}

CONF_CASE(close, "close read openat")
{
	char c;
	long fd = T(openat, AT_FDCWD, "file", O_RDONLY);
	T(close, fd);
	T(close, fd);
	T(close, -1);
	T(close, 999);
	T(close, 0);
	T(read, 0, &c, 1);
	T(openat, AT_FDCWD, "file", O_RDONLY);
}

CONF_CASE(dup, "dup openat read lseek fcntl close")
{
	long fd = T(openat, AT_FDCWD, "file", O_RDONLY | O_CLOEXEC);
	long d = T(dup, fd);
	T(fcntl, fd, F_GETFD);
	T(fcntl, d, F_GETFD);
	/* The two share one open file description: one offset. */
	rd(fd, 6);
	T(lseek, d, 0, SEEK_CUR);
	rd(d, 64);
	T(close, fd);
	T(lseek, d, 0, SEEK_SET);
	rd(d, 5);
	T(dup, 999);
	T(dup, -1);
	T(dup, fd);
	long o = T(dup, 1);
	T(write, o, "", 0);
	T(close, o);
	long p = T(openat, AT_FDCWD, "dir", O_PATH);
	long pd = T(dup, p);
	TX(fcntl, pd, F_GETFL);
}

CONF_CASE(dup3, "dup3 openat read fcntl close")
{
	long a = T(openat, AT_FDCWD, "file", O_RDONLY);
	long b = T(openat, AT_FDCWD, "ro", O_RDONLY);
	T(dup3, a, a, 0);
	T(dup3, a, a, O_CLOEXEC);
	T(dup3, a, 10, O_CLOEXEC);
	T(fcntl, 10, F_GETFD);
	T(dup3, a, 11, 0);
	T(fcntl, 11, F_GETFD);
	T(dup3, a, 12, O_NONBLOCK);
	T(dup3, a, 12, 0x1);
	/* Replacing an open descriptor closes the old file silently. */
	T(dup3, a, b, 0);
	rd(b, 5);
	T(dup3, 999, 13, 0);
	T(dup3, a, -1, 0);
	T(dup3, a, 0x7fffffff, 0);
	T(dup3, -1, 13, 0);
	T(close, 10);
	T(close, 11);
	T(close, 13);
}

CONF_CASE(dup3_rlimit, "dup3 prlimit64 fcntl")
{
	struct rlimit lim = {64, 64};
	long a = T(openat, AT_FDCWD, "file", O_RDONLY);
	T(prlimit64, 0, RLIMIT_NOFILE, &lim, NULL);
	T(dup3, a, 63, 0);
	T(dup3, a, 64, 0);
	T(fcntl, a, F_DUPFD, 60);
	T(fcntl, a, F_DUPFD, 63);
	T(fcntl, a, F_DUPFD, 64);
}

CONF_CASE(fcntl_fd, "fcntl openat close")
{
	long fd = T(openat, AT_FDCWD, "file", O_RDONLY);
	T(fcntl, fd, F_GETFD);
	T(fcntl, fd, F_SETFD, FD_CLOEXEC);
	T(fcntl, fd, F_GETFD);
	T(fcntl, fd, F_SETFD, 0xfe);
	T(fcntl, fd, F_GETFD);
	T(fcntl, fd, F_SETFD, 0xff);
	T(fcntl, fd, F_GETFD);
	T(fcntl, fd, F_DUPFD, 0);
	T(fcntl, fd, F_DUPFD, 20);
	T(fcntl, fd, F_DUPFD, 20);
	T(fcntl, fd, F_DUPFD_CLOEXEC, 20);
	T(fcntl, 22, F_GETFD);
	T(fcntl, 21, F_GETFD);
	T(fcntl, fd, F_DUPFD, -1);
	T(fcntl, fd, F_DUPFD, 0x7fffffff);
	T(fcntl, fd, 9999);
	T(fcntl, fd, -1);
	T(fcntl, 999, F_GETFD);
	T(fcntl, 999, 9999);
	T(close, fd);
	T(fcntl, fd, F_GETFD);
}

CONF_CASE(fcntl_fl, "fcntl openat write read lseek dup close")
{
	long fd = T(openat, AT_FDCWD, "file", O_RDWR);
	long d = T(dup, fd);
	TX(fcntl, fd, F_GETFL);
	T(fcntl, fd, F_SETFL, O_APPEND | O_NONBLOCK);
	TX(fcntl, fd, F_GETFL);
	TX(fcntl, d, F_GETFL);
	T(write, d, "!", 1);
	T(lseek, fd, 0, SEEK_CUR);
	/* The access mode and the open-time flags cannot be changed. */
	T(fcntl, fd, F_SETFL, O_WRONLY | O_CREAT | O_TRUNC | O_EXCL);
	TX(fcntl, fd, F_GETFL);
	T(fcntl, fd, F_SETFL, 0);
	TX(fcntl, fd, F_GETFL);
	T(fcntl, fd, F_SETFL, O_NOATIME);
	TX(fcntl, fd, F_GETFL);
	T(close, fd);
	T(close, d);
	long p = T(openat, AT_FDCWD, "file", O_PATH);
	T(fcntl, p, F_SETFL, O_APPEND);
	TX(fcntl, p, F_GETFL);
	T(fcntl, p, F_GETFD);
	T(close, p);
}

CONF_CASE(fcntl_other, "fcntl openat pipe2")
{
	struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET};
	int pp[2];
	long fd = T(openat, AT_FDCWD, "file", O_RDWR);
	T(fcntl, fd, F_GETLK, &fl);
	conf_more("l_type=%d", fl.l_type);
	T(fcntl, fd, F_SETLK, &fl);
	T(fcntl, fd, F_OFD_GETLK, &fl);
	T(fcntl, fd, F_GETOWN);
	T(fcntl, fd, F_GETSIG);
	T(fcntl, fd, F_GETLEASE);
	T(fcntl, fd, F_GET_SEALS);
	T(pipe2, pp, 0);
	T(fcntl, pp[0], F_GETPIPE_SZ);
	T(fcntl, pp[0], F_SETPIPE_SZ, 8192);
	T(fcntl, pp[0], F_GETPIPE_SZ);
}

CONF_CASE(fcntl_locks_seals, "fcntl openat memfd_create write")
{
	struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 10};
	long a = T(openat, AT_FDCWD, "file", O_RDWR);
	long b = T(openat, AT_FDCWD, "file", O_RDWR);
	T(fcntl, a, F_OFD_SETLK, &fl);
	struct flock q = {.l_type = F_RDLCK, .l_whence = SEEK_SET, .l_start = 5, .l_len = 1};
	T(fcntl, b, F_OFD_GETLK, &q);
	conf_more("l_type=%d start=%lld len=%lld pid=%d", q.l_type, (long long)q.l_start,
		  (long long)q.l_len, q.l_pid);
	q.l_type = F_RDLCK;
	T(fcntl, b, F_OFD_SETLK, &q);
	fl.l_type = F_UNLCK;
	T(fcntl, a, F_OFD_SETLK, &fl);
	T(fcntl, b, F_OFD_SETLKW, &q);
	T(fcntl, a, F_SETLK, CONF_BADPTR);
	fl.l_type = 9;
	T(fcntl, a, F_SETLK, &fl);
	long r = T(openat, AT_FDCWD, "file", O_RDONLY);
	fl.l_type = F_WRLCK;
	T(fcntl, r, F_SETLK, &fl);
	long m = T(memfd_create, "seals", MFD_ALLOW_SEALING);
	TX(fcntl, m, F_GET_SEALS);
	T(fcntl, m, F_ADD_SEALS, F_SEAL_WRITE | F_SEAL_SHRINK);
	TX(fcntl, m, F_GET_SEALS);
	T(write, m, "x", 1);
	T(fcntl, m, F_ADD_SEALS, 0x100);
	long n = T(memfd_create, "noseal", 0);
	TX(fcntl, n, F_GET_SEALS);
	T(fcntl, n, F_ADD_SEALS, F_SEAL_WRITE);
}

CONF_CASE(pipe2, "pipe2 read write fcntl fstat close")
{
	int p[2] = {-1, -1};
	struct stat st;
	T(pipe2, p, 0);
	conf_more("fds=%d,%d", p[0], p[1]);
	TX(fcntl, p[0], F_GETFL);
	TX(fcntl, p[1], F_GETFL);
	T(fcntl, p[0], F_GETFD);
	if (!conf_err(T(fstat, p[0], &st)))
		conf_more("fifo=%d mode=%#o", S_ISFIFO(st.st_mode), st.st_mode & 07777);
	T(write, p[1], "ping", 4);
	rd(p[0], 2);
	rd(p[0], 64);
	T(write, p[0], "x", 1);
	T(read, p[1], &st, 1);
	T(close, p[1]);
	rd(p[0], 64);
	T(close, p[0]);
	T(pipe2, p, O_CLOEXEC | O_NONBLOCK);
	T(fcntl, p[0], F_GETFD);
	T(fcntl, p[1], F_GETFD);
	TX(fcntl, p[0], F_GETFL);
	rd(p[0], 8);
	T(pipe2, p, O_APPEND);
	T(pipe2, p, O_TRUNC);
	T(pipe2, p, 0x1);
	T(pipe2, NULL, 0);
	T(pipe2, CONF_BADPTR, 0);
	long ro = TA(mmap, 0, CONF_PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	T(pipe2, ro, 0);
	/* The failed calls must not have used up descriptors. */
	T(pipe2, p, 0);
	conf_more("fds=%d,%d", p[0], p[1]);
}

CONF_CASE(pipe_packets, "pipe2 read write")
{
	int p[2];
	/* O_DIRECT: packet mode, each write is one read. */
	T(pipe2, p, O_DIRECT);
	TX(fcntl, p[0], F_GETFL);
	T(write, p[1], "ab", 2);
	T(write, p[1], "cde", 3);
	rd(p[0], 64);
	rd(p[0], 1);
	T(write, p[1], "", 0);
}

CONF_CASE(pipe_full, "pipe2 write read ioctl")
{
	int p[2];
	static char buf[4096];
	T(pipe2, p, O_NONBLOCK);
	long total = 0, r;
	for (int i = 0; i < 64; i++) {
		r = SYS(write, p[1], buf, sizeof buf);
		if (conf_err(r))
			break;
		total += r;
	}
	conf_fact("bytes written before the pipe was full", "%ld", total);
	T(write, p[1], buf, 1);
	int n = -1;
	T(ioctl, p[0], FIONREAD, &n);
	conf_more("n=%d", n);
	T(read, p[0], buf, sizeof buf);
	T(write, p[1], buf, 1);
	T(write, p[1], buf, sizeof buf);
}

CONF_CASE(pipe_closed_reader, "pipe2 write close")
{
	int p[2];
	T(pipe2, p, 0);
	T(close, p[0]);
	conf_flush();
	/* No reader: SIGPIPE, whose default action ends the process. */
	T(write, p[1], "x", 1);
	conf_fact("survived SIGPIPE", "1");
}

/* Room for pipe_epipe (write with SIGPIPE ignored gives EPIPE): it needs rt_sigaction, which
 * belongs to the signal cases (see conformance/README.md). */

CONF_CASE(ioctl, "ioctl openat pipe2 fcntl read close")
{
	int n = -1;
	struct termios tio;
	struct winsize ws;
	long fd = T(openat, AT_FDCWD, "file", O_RDONLY);
	T(ioctl, fd, FIONREAD, &n);
	conf_more("n=%d", n);
	rd(fd, 4);
	T(ioctl, fd, FIONREAD, &n);
	conf_more("n=%d", n);
	T(ioctl, fd, FIONREAD, NULL);
	T(ioctl, fd, TCGETS, &tio);
	T(ioctl, fd, TIOCGWINSZ, &ws);
	T(ioctl, fd, 0x1234, 0);
	T(ioctl, fd, FIOCLEX);
	T(fcntl, fd, F_GETFD);
	T(ioctl, fd, FIONCLEX);
	T(fcntl, fd, F_GETFD);
	T(ioctl, 999, FIONREAD, &n);
	int p[2];
	T(pipe2, p, 0);
	T(write, p[1], "abc", 3);
	T(ioctl, p[0], FIONREAD, &n);
	conf_more("n=%d", n);
	int on = 1;
	T(ioctl, p[0], FIONBIO, &on);
	TX(fcntl, p[0], F_GETFL);
	rd(p[0], 8);
	rd(p[0], 8);
	on = 0;
	T(ioctl, p[0], FIONBIO, &on);
	TX(fcntl, p[0], F_GETFL);
	T(ioctl, p[0], FIONBIO, NULL);
	long d = T(openat, AT_FDCWD, "dir", O_RDONLY);
	T(ioctl, d, FIONREAD, &n);
	T(close, d);
	T(close, fd);
}
