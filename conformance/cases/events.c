// SPDX-License-Identifier: Apache-2.0
/* events.c: conformance cases for eventfd, timerfd, signalfd, memfd, epoll, sendfile, copy_file_range, flock, fallocate, close_range. */
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/timerfd.h>
#include <time.h>
#include <linux/close_range.h>

#include "conf.h"

static void size_of(const char *path)
{
	struct stat st;
	if (!conf_err(SYS(newfstatat, AT_FDCWD, path, &st, AT_SYMLINK_NOFOLLOW)))
		conf_more("%s: size=%lld", path, (long long)st.st_size);
	else
		conf_more("%s: missing", path);
}

CONF_CASE(eventfd, "eventfd2 read write fcntl")
{
	unsigned long long v = 0;
	long e = T(eventfd2, 3, EFD_NONBLOCK | EFD_CLOEXEC);
	TX(fcntl, e, F_GETFL);
	TX(fcntl, e, F_GETFD);
	T(write, e, &(unsigned long long){4}, 8);
	T(read, e, &v, 8);
	conf_more("value=%llu", v);
	T(read, e, &v, 8);
	T(read, e, &v, 4);
	T(write, e, &(unsigned long long){~0ull}, 8);
	T(write, e, &(unsigned long long){1}, 4);
	T(write, e, CONF_BADPTR, 8);
	long s = T(eventfd2, 2, EFD_SEMAPHORE | EFD_NONBLOCK);
	T(read, s, &v, 8);
	conf_more("value=%llu", v);
	T(read, s, &v, 8);
	T(read, s, &v, 8);
	T(eventfd2, 0, 0x10);
}

CONF_CASE(epoll, "epoll_create1 epoll_ctl epoll_pwait eventfd2 pipe2")
{
	unsigned long long v = 0;
	long e = T(eventfd2, 0, EFD_NONBLOCK);
	long ep = T(epoll_create1, EPOLL_CLOEXEC);
	TX(fcntl, ep, F_GETFD);
	struct epoll_event ev = {.events = EPOLLIN, .data.u64 = 42}, out[4];
	T(epoll_ctl, ep, EPOLL_CTL_ADD, e, &ev);
	T(epoll_ctl, ep, EPOLL_CTL_ADD, e, &ev);
	memset(out, 0, sizeof out);
	T(epoll_pwait, ep, out, 4, 0, NULL, 8);
	T(write, e, &(unsigned long long){1}, 8);
	T(epoll_pwait, ep, out, 4, 0, NULL, 8);
	conf_more("events=%#x data=%llu", out[0].events, (unsigned long long)out[0].data.u64);
	T(epoll_pwait, ep, out, 4, -1, NULL, 8);
	ev.events = EPOLLOUT;
	ev.data.u64 = 7;
	T(epoll_ctl, ep, EPOLL_CTL_MOD, e, &ev);
	T(epoll_pwait, ep, out, 4, 0, NULL, 8);
	conf_more("events=%#x data=%llu", out[0].events, (unsigned long long)out[0].data.u64);
	T(read, e, &v, 8);
	int p[2];
	conf_must(SYS(pipe2, p, 0), "pipe2");
	ev.events = EPOLLIN | EPOLLET;
	ev.data.u64 = 99;
	T(epoll_ctl, ep, EPOLL_CTL_ADD, p[0], &ev);
	T(write, p[1], "ab", 2);
	T(epoll_pwait, ep, out, 4, 0, NULL, 8);
	T(epoll_ctl, ep, EPOLL_CTL_DEL, e, NULL);
	T(epoll_ctl, ep, EPOLL_CTL_DEL, e, NULL);
	T(epoll_pwait, ep, out, 4, 0, NULL, 8);
	conf_more("events=%#x data=%llu", out[0].events, (unsigned long long)out[0].data.u64);
	T(epoll_pwait, ep, out, 0, 0, NULL, 8);
	T(epoll_pwait, ep, CONF_BADPTR, 1, 0, NULL, 8);
	T(epoll_pwait, ep, out, 1, 0, &(unsigned long){0}, 4);
	T(epoll_pwait, e, out, 1, 0, NULL, 8);
	T(epoll_pwait, 999, out, 1, 0, NULL, 8);
	T(epoll_ctl, ep, EPOLL_CTL_ADD, e, CONF_BADPTR);
	T(epoll_ctl, ep, EPOLL_CTL_ADD, ep, &ev);
	T(epoll_ctl, 999, EPOLL_CTL_ADD, e, &ev);
	T(epoll_ctl, ep, 9, e, &ev);
	long f = conf_open("file", O_RDONLY);
	T(epoll_ctl, ep, EPOLL_CTL_ADD, f, &ev);
	T(epoll_create1, 1);
}

CONF_CASE(epoll_pwait2, "epoll_pwait2 epoll_create1 epoll_ctl eventfd2")
{
	long e = T(eventfd2, 1, 0);
	long ep = T(epoll_create1, 0);
	struct epoll_event ev = {.events = EPOLLIN, .data.u64 = 5}, out;
	T(epoll_ctl, ep, EPOLL_CTL_ADD, e, &ev);
	struct timespec z = {0, 0}, bad = {0, 1000000000};
	T(epoll_pwait2, ep, &out, 1, &z, NULL, 8);
	conf_more("data=%llu", (unsigned long long)out.data.u64);
	T(epoll_pwait2, ep, &out, 1, &bad, NULL, 8);
	T(epoll_pwait2, ep, &out, 1, CONF_BADPTR, NULL, 8);
}

CONF_CASE(timerfd, "timerfd_create timerfd_settime timerfd_gettime read")
{
	long t = T(timerfd_create, CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	TX(fcntl, t, F_GETFL);
	unsigned long long n = 0;
	T(read, t, &n, 8);
	struct itimerspec it = {.it_value = {0, 1000000}}, old, cur;
	T(timerfd_settime, t, 0, &it, &old);
	conf_more("old=%lld.%09ld", (long long)old.it_value.tv_sec, old.it_value.tv_nsec);
	struct timespec wait = {0, 20000000};
	SYS(nanosleep, &wait, NULL);
	T(read, t, &n, 8);
	conf_more("expirations=%llu", n);
	it = (struct itimerspec){.it_value = {100, 0}, .it_interval = {5, 0}};
	T(timerfd_settime, t, 0, &it, NULL);
	T(timerfd_gettime, t, &cur);
	conf_more("interval=%lld value>99: %d", (long long)cur.it_interval.tv_sec,
		  cur.it_value.tv_sec >= 99);
	T(timerfd_settime, t, 8, &it, NULL);
	it.it_value.tv_nsec = 1000000000;
	T(timerfd_settime, t, 0, &it, NULL);
	T(timerfd_settime, t, 0, CONF_BADPTR, NULL);
	T(timerfd_gettime, t, CONF_BADPTR);
	long f = conf_open("file", O_RDONLY);
	T(timerfd_gettime, f, &cur);
	T(timerfd_gettime, 999, &cur);
	T(timerfd_create, 99, 0);
	T(timerfd_create, CLOCK_MONOTONIC, 1);
	long r = T(timerfd_create, CLOCK_REALTIME, 0);
	it = (struct itimerspec){.it_value = {1, 0}};
	T(timerfd_settime, r, TFD_TIMER_ABSTIME, &it, NULL);
	T(read, r, &n, 8);
	conf_more("expirations=%llu", n);
}

CONF_CASE(memfd, "memfd_create write lseek pread64 ftruncate fstat mmap")
{
	long fd = T(memfd_create, "conf", MFD_CLOEXEC);
	TX(fcntl, fd, F_GETFD);
	TX(fcntl, fd, F_GETFL);
	T(write, fd, "memfd", 5);
	T(lseek, fd, 0, SEEK_END);
	char buf[8] = {0};
	T(pread64, fd, buf, 5, 0);
	conf_bytes("data", buf, 5);
	T(ftruncate, fd, 8192);
	struct stat st;
	T(fstat, fd, &st);
	conf_more("size=%lld mode=%#o", (long long)st.st_size, st.st_mode & 0777);
	char *m = (char *)SYS(mmap, 0, 8192, PROT_READ, MAP_PRIVATE, fd, 0);
	if (!conf_err((long)m))
		conf_more("mapped: %.5s", m);
	T(memfd_create, "x", 0x100);
	T(memfd_create, CONF_BADPTR, 0);
	char longname[300];
	memset(longname, 'n', sizeof longname);
	longname[299] = 0;
	T(memfd_create, longname, 0);
	T(memfd_create, "", MFD_ALLOW_SEALING);
}

CONF_CASE(sendfile_copy, "sendfile copy_file_range openat")
{
	long in = conf_open("file", O_RDONLY);
	long out = SYS(openat, AT_FDCWD, "copy", O_WRONLY | O_CREAT, 0644);
	T(sendfile, out, in, NULL, 5);
	T(lseek, in, 0, SEEK_CUR);
	long long off = 6;
	T(copy_file_range, in, &off, out, NULL, 5, 0);
	conf_more("off=%lld", off);
	size_of("copy");
	off = 0;
	T(sendfile, out, in, &off, 3);
	conf_more("off=%lld", off);
	T(lseek, in, 0, SEEK_CUR);
	T(sendfile, 1, in, &off, 0);
	T(sendfile, out, in, CONF_BADPTR, 3);
	T(sendfile, 999, in, NULL, 3);
	T(sendfile, out, 999, NULL, 3);
	T(copy_file_range, in, NULL, out, NULL, 5, 1);
	T(copy_file_range, in, CONF_BADPTR, out, NULL, 5, 0);
	T(copy_file_range, 999, NULL, out, NULL, 5, 0);
	T(copy_file_range, out, NULL, in, NULL, 5, 0);
	off = -1;
	T(copy_file_range, in, &off, out, NULL, 5, 0);
}

CONF_CASE(splice_tee, "splice tee pipe2 read")
{
	int p1[2], p2[2];
	conf_must(SYS(pipe2, p1, 0), "pipe2");
	conf_must(SYS(pipe2, p2, O_NONBLOCK), "pipe2");
	long in = conf_open("file", O_RDONLY);
	long long off = 6;
	T(splice, in, &off, p1[1], NULL, 5, 0);
	conf_more("off=%lld", off);
	T(tee, p1[0], p2[1], 100, 0);
	char buf[16] = "";
	T(read, p2[0], buf, sizeof buf);
	conf_more("tee'd: %.5s", buf);
	long out = SYS(openat, AT_FDCWD, "spliced", O_WRONLY | O_CREAT, 0644);
	T(splice, p1[0], NULL, out, NULL, 100, SPLICE_F_MOVE);
	size_of("spliced");
	T(splice, p2[0], NULL, out, NULL, 10, SPLICE_F_NONBLOCK);
	T(splice, in, NULL, out, NULL, 5, 0);
	T(splice, in, &off, p1[1], &off, 5, 0);
	T(splice, in, CONF_BADPTR, p1[1], NULL, 5, 0);
	T(splice, 999, NULL, p1[1], NULL, 5, 0);
	T(splice, in, NULL, p1[1], NULL, 5, 0x100);
	T(tee, in, p2[1], 5, 0);
	T(tee, p1[0], p2[1], 5, 0x100);
	T(tee, p2[0], p2[1], 5, SPLICE_F_NONBLOCK);
}

/* stdout (the sandbox's output printer) is always writable, for pselect6 as for ppoll. */
CONF_CASE(select_stdout, "pselect6 ppoll")
{
	unsigned long wr = 1ul << 1;
	struct timespec z = {0, 0};
	T(pselect6, 2, NULL, &wr, NULL, &z, NULL);
	conf_more("stdout writable: %d", (int)(wr >> 1) & 1);
	struct pollfd pfd = {.fd = 1, .events = POLLOUT};
	T(ppoll, &pfd, 1, &z, NULL, 8);
	conf_more("revents=%#x", pfd.revents);
}

CONF_CASE(flock_fallocate, "flock fallocate fadvise64")
{
	long fd = conf_open("file", O_RDWR);
	T(flock, fd, LOCK_EX);
	long fd2 = conf_open("file", O_RDONLY);
	T(flock, fd2, LOCK_SH | LOCK_NB);
	T(flock, fd, LOCK_UN);
	T(flock, fd2, LOCK_SH | LOCK_NB);
	T(flock, fd, 0);
	T(flock, 999, LOCK_EX);
	T(fallocate, fd, 0, 0, 8192);
	size_of("file");
	T(fallocate, fd, 0, -1, 10);
	T(fallocate, fd2, 0, 0, 10);
	T(fadvise64, fd, 0, 0, POSIX_FADV_SEQUENTIAL);
	T(fadvise64, fd, 0, 0, 99);
	T(fadvise64, 999, 0, 0, 0);
	int p[2];
	conf_must(SYS(pipe2, p, 0), "pipe2");
	T(fadvise64, p[0], 0, 0, 0);
	T(fallocate, p[1], 0, 0, 10);
}

CONF_CASE(close_range, "close_range fcntl")
{
	conf_open("file", O_RDONLY);
	conf_open("file", O_RDONLY);
	long c = conf_open("file", O_RDONLY);
	T(close_range, 3, 4, 0);
	T(fcntl, 3, F_GETFD);
	T(close_range, c, c, CLOSE_RANGE_CLOEXEC);
	T(fcntl, c, F_GETFD);
	T(close_range, 5, 4, 0);
	T(close_range, 3, 4, 0x80);
	T(close_range, 1000, ~0u, 0);
}

static void show_ssi(const struct signalfd_siginfo *si)
{
	conf_more("ssi_signo=%u ssi_code=%d pid_is_self=%d ssi_int=%d ssi_ptr=%llu", si->ssi_signo,
		  si->ssi_code, si->ssi_pid == (uint32_t)SYS0(getpid), si->ssi_int,
		  (unsigned long long)si->ssi_ptr);
}

static void poll_one(long fd)
{
	struct pollfd pf = {.fd = (int)fd, .events = POLLIN};
	struct timespec zero = {0, 0};
	T(ppoll, &pf, 1, &zero, NULL, 8);
	conf_more("revents=%#x", pf.revents);
}

/* A signalfd takes pending signals of its mask as records; poll sees them pending. */
CONF_CASE(signalfd, "signalfd4 read write ppoll pread64 fcntl rt_sigprocmask kill tgkill")
{
	unsigned long usr1 = 1ul << (SIGUSR1 - 1), both = usr1 | 1ul << (SIGUSR2 - 1);
	struct signalfd_siginfo si[2];
	T(rt_sigprocmask, SIG_BLOCK, &both, NULL, 8);
	long s = T(signalfd4, -1, &usr1, 8, SFD_NONBLOCK | SFD_CLOEXEC);
	TX(fcntl, s, F_GETFL);
	T(read, s, si, sizeof(si));
	poll_one(s);
	T(kill, SYS0(getpid), SIGUSR1);
	poll_one(s);
	memset(si, 0, sizeof(si));
	T(read, s, si, sizeof(si));
	show_ssi(&si[0]);
	T(read, s, si, sizeof(si));
	poll_one(s);
	/* A signal outside the mask stays pending until the mask takes it in. */
	T(tgkill, SYS0(getpid), SYS0(gettid), SIGUSR2);
	poll_one(s);
	T(signalfd4, s, &both, 8, 0);
	poll_one(s);
	T(read, s, si, sizeof(si));
	show_ssi(&si[0]);
	/* sigqueue's value comes through. */
	siginfo_t q;
	memset(&q, 0, sizeof(q));
	q.si_code = SI_QUEUE;
	q.si_pid = (pid_t)SYS0(getpid);
	q.si_value.sival_int = 77;
	T(rt_sigqueueinfo, SYS0(getpid), SIGUSR1, &q);
	T(read, s, si, sizeof(si));
	show_ssi(&si[0]);
	/* The checks. */
	T(read, s, si, 64);
	T(write, s, si, 8);
	T(pread64, s, si, sizeof(si), 0);
	T(signalfd4, -1, &usr1, 4, 0);
	T(signalfd4, -1, &usr1, 8, 1);
	T(signalfd4, -1, CONF_BADPTR, 8, 0);
	T(signalfd4, 999, &usr1, 8, 0);
	int p[2];
	T(pipe2, p, 0);
	T(signalfd4, p[0], &usr1, 8, 0);
}

/* epoll waits on a signalfd; a blocking read waits for the signal (here a timer's). */
CONF_CASE(signalfd_wait, "signalfd4 epoll_create1 epoll_ctl epoll_pwait setitimer read")
{
	unsigned long set = (1ul << (SIGUSR1 - 1)) | (1ul << (SIGALRM - 1));
	struct signalfd_siginfo si;
	T(rt_sigprocmask, SIG_BLOCK, &set, NULL, 8);
	long s = T(signalfd4, -1, &set, 8, 0);
	long ep = T(epoll_create1, 0);
	struct epoll_event ev = {.events = EPOLLIN, .data.u64 = 5}, out[2];
	T(epoll_ctl, ep, EPOLL_CTL_ADD, s, &ev);
	T(epoll_pwait, ep, out, 2, 0, NULL, 8);
	T(kill, SYS0(getpid), SIGUSR1);
	memset(out, 0, sizeof(out));
	T(epoll_pwait, ep, out, 2, 0, NULL, 8);
	conf_more("events=%#x data=%llu", out[0].events, (unsigned long long)out[0].data.u64);
	T(read, s, &si, sizeof(si));
	struct itimerval it = {{0, 0}, {0, 50 * 1000}};
	T(setitimer, ITIMER_REAL, &it, NULL);
	T(read, s, &si, sizeof(si)); /* blocks until the timer's SIGALRM */
	conf_more("ssi_signo=%u ssi_code=%d", si.ssi_signo, si.ssi_code);
	T(epoll_pwait, ep, out, 2, 0, NULL, 8);
}
