// SPDX-License-Identifier: Apache-2.0
/* open.c: conformance cases for openat: flags, modes, path resolution, dirfds, fd limits. */
#include <fcntl.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include "conf.h"

/* The fixture (conformance/run): file "hello world\n", empty, big, exec (0755), ro (0444),
 * noperm (0000), dir/{a,b,c,sub/}, emptydir/, link -> file, dangling -> missing,
 * dirlink -> dir, loop -> loop, fifo. */

static void show_mode(int fd)
{
	struct stat st;
	if (!conf_err(conf_reportf(CONF_INT, SYS(fstat, fd, &st), "fstat(%d, &st)", fd)))
		conf_more("mode=%#o size=%lld", st.st_mode, (long long)st.st_size);
}

CONF_CASE(create_rw, "openat write read close fstat")
{
	char buf[16];
	long fd = T(openat, AT_FDCWD, "new", O_WRONLY | O_CREAT | O_EXCL, 0640);
	T(write, fd, "abc", 3);
	T(read, fd, buf, sizeof buf);
	T(close, fd);
	fd = T(openat, AT_FDCWD, "new", O_RDONLY);
	long n = T(read, fd, buf, sizeof buf);
	if (n >= 0)
		conf_bytes("data", buf, (size_t)n);
	T(write, fd, "x", 1);
	show_mode((int)fd);
	T(close, fd);
	T(close, fd);
}

CONF_CASE(excl, "openat close")
{
	T(openat, AT_FDCWD, "file", O_WRONLY | O_CREAT | O_EXCL, 0644);
	T(openat, AT_FDCWD, "dir", O_RDONLY | O_CREAT | O_EXCL, 0644);
	/* O_EXCL does not follow a dangling link: EEXIST even though the target is missing. */
	T(openat, AT_FDCWD, "dangling", O_WRONLY | O_CREAT | O_EXCL, 0644);
	long fd = T(openat, AT_FDCWD, "file", O_RDONLY | O_EXCL);
	T(close, fd);
	T(openat, AT_FDCWD, "missing", O_RDONLY | O_EXCL);
}

CONF_CASE(creat_through_link, "openat fstatat umask close")
{
	struct stat st;
	T(umask, 0);
	/* O_CREAT without O_EXCL follows a dangling link and creates its target. */
	long fd = T(openat, AT_FDCWD, "dangling", O_WRONLY | O_CREAT, 0666);
	show_mode((int)fd);
	T(close, fd);
	if (!conf_err(T(newfstatat, AT_FDCWD, "missing", &st, 0)))
		conf_more("mode=%#o", st.st_mode);
}

CONF_CASE(trunc, "openat read lseek fstat close")
{
	long fd = T(openat, AT_FDCWD, "file", O_RDWR | O_TRUNC);
	show_mode((int)fd);
	T(close, fd);
	/* O_RDONLY|O_TRUNC: Linux truncates when the caller could write. */
	fd = T(openat, AT_FDCWD, "big", O_RDONLY | O_TRUNC);
	show_mode((int)fd);
	T(close, fd);
	T(openat, AT_FDCWD, "dir", O_RDONLY | O_TRUNC);
}

CONF_CASE(enoent, "openat")
{
	char longname[300], longpath[5000];
	T(openat, AT_FDCWD, "missing", O_RDONLY);
	T(openat, AT_FDCWD, "missing/x", O_RDONLY);
	T(openat, AT_FDCWD, "missing/x", O_WRONLY | O_CREAT, 0644);
	T(openat, AT_FDCWD, "file/x", O_RDONLY);
	T(openat, AT_FDCWD, "file/", O_RDONLY);
	T(openat, AT_FDCWD, "", O_RDONLY);
	T(openat, AT_FDCWD, "dangling", O_RDONLY);
	T(openat, AT_FDCWD, "loop", O_RDONLY);
	T(openat, AT_FDCWD, "loop/x", O_RDONLY);
	memset(longname, 'n', sizeof longname);
	longname[sizeof longname - 1] = 0;
	T(openat, AT_FDCWD, longname, O_RDONLY);
	for (size_t i = 0; i + 2 < sizeof longpath; i += 2)
		memcpy(longpath + i, "./", 2);
	longpath[sizeof longpath - 1] = 0;
	T(openat, AT_FDCWD, longpath, O_RDONLY);
}

CONF_CASE(efault, "openat")
{
	T(openat, AT_FDCWD, NULL, O_RDONLY);
	T(openat, AT_FDCWD, CONF_BADPTR, O_RDONLY);
	/* A name that runs into an unmapped page before its NUL. */
	char *p = conf_before_hole(4);
	memcpy(p, "file", 4);
	T(openat, AT_FDCWD, p, O_RDONLY);
	p[3] = 0;
	T(openat, AT_FDCWD, p, O_RDONLY);
}

CONF_CASE(directory, "openat close")
{
	T(openat, AT_FDCWD, "file", O_RDONLY | O_DIRECTORY);
	T(openat, AT_FDCWD, "dir", O_WRONLY);
	T(openat, AT_FDCWD, "dir", O_RDWR);
	T(openat, AT_FDCWD, "dir", O_WRONLY | O_CREAT, 0644);
	long fd = T(openat, AT_FDCWD, "dir", O_RDONLY | O_DIRECTORY);
	T(close, fd);
	fd = T(openat, AT_FDCWD, "dir/", O_RDONLY);
	T(close, fd);
	fd = T(openat, AT_FDCWD, "dirlink", O_RDONLY | O_DIRECTORY);
	T(close, fd);
	T(openat, AT_FDCWD, "dirlink", O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
	fd = T(openat, AT_FDCWD, "dirlink/", O_RDONLY | O_NOFOLLOW);
	T(close, fd);
	T(openat, AT_FDCWD, "newdir", O_RDONLY | O_CREAT | O_DIRECTORY, 0755);
}

CONF_CASE(nofollow_path, "openat read fstat fcntl readlinkat close")
{
	char buf[32];
	struct stat st;
	T(openat, AT_FDCWD, "link", O_RDONLY | O_NOFOLLOW);
	long fd = T(openat, AT_FDCWD, "link", O_PATH | O_NOFOLLOW);
	if (!conf_err(T(fstat, fd, &st)))
		conf_more("link=%d size=%lld", S_ISLNK(st.st_mode), (long long)st.st_size);
	TX(fcntl, fd, F_GETFL);
	long n = T(readlinkat, fd, "", buf, sizeof buf);
	if (n > 0)
		conf_bytes("target", buf, (size_t)n);
	T(read, fd, buf, 1);
	T(close, fd);
	fd = T(openat, AT_FDCWD, "file", O_PATH);
	TX(fcntl, fd, F_GETFL);
	T(read, fd, buf, 1);
	T(write, fd, buf, 1);
	if (!conf_err(T(fstat, fd, &st)))
		conf_more("mode=%#o", st.st_mode);
	T(close, fd);
	/* O_PATH ignores the other flags but O_DIRECTORY, O_NOFOLLOW and O_CLOEXEC. */
	fd = T(openat, AT_FDCWD, "file", O_PATH | O_WRONLY | O_TRUNC | O_CLOEXEC);
	TX(fcntl, fd, F_GETFL);
	T(fcntl, fd, F_GETFD);
	T(close, fd);
	T(openat, AT_FDCWD, "file", O_PATH | O_DIRECTORY);
}

CONF_CASE(accmode3, "openat read write fcntl close")
{
	char c;
	/* Access mode 3: a descriptor that can neither read nor write. */
	long fd = T(openat, AT_FDCWD, "file", 3);
	TX(fcntl, fd, F_GETFL);
	T(read, fd, &c, 1);
	T(write, fd, "x", 1);
	T(close, fd);
}

CONF_CASE(status_flags, "openat fcntl close")
{
	static const struct {
		const char *name;
		int flags;
	} v[] = {
		{"O_RDONLY", O_RDONLY},       {"O_WRONLY", O_WRONLY},
		{"O_RDWR", O_RDWR},           {"O_APPEND", O_WRONLY | O_APPEND},
		{"O_NONBLOCK", O_RDONLY | O_NONBLOCK}, {"O_SYNC", O_WRONLY | O_SYNC},
		{"O_DSYNC", O_WRONLY | O_DSYNC}, {"O_NOATIME", O_RDONLY | O_NOATIME},
		{"O_CLOEXEC", O_RDONLY | O_CLOEXEC}, {"O_NOCTTY", O_RDONLY | O_NOCTTY},
		{"O_ASYNC", O_RDONLY | O_ASYNC}, {"O_LARGEFILE", O_RDONLY | O_LARGEFILE},
		{"unknown 0x40000000", O_RDONLY | 0x40000000},
	};
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
		int fl = v[i].flags;
		long fd = TX(openat, AT_FDCWD, "file", fl);
		conf_more("%s", v[i].name);
		TX(fcntl, fd, F_GETFL);
		T(fcntl, fd, F_GETFD);
		T(close, fd);
	}
}

CONF_CASE(direct, "openat fcntl close")
{
	/* O_DIRECT depends on the file system (tmpfs before 6.6 refuses it). */
	long fd = T(openat, AT_FDCWD, "file", O_RDONLY | O_DIRECT);
	TX(fcntl, fd, F_GETFL);
	T(close, fd);
}

CONF_CASE(tmpfile, "openat fstat linkat close")
{
	long fd = T(openat, AT_FDCWD, ".", O_RDWR | O_TMPFILE, 0600);
	T(write, fd, "tmp", 3);
	show_mode((int)fd);
	T(close, fd);
	T(openat, AT_FDCWD, "file", O_RDWR | O_TMPFILE, 0600);
	T(openat, AT_FDCWD, ".", O_RDONLY | O_TMPFILE, 0600);
}

CONF_CASE(umask_modes, "umask openat mkdirat fstat fstatat close")
{
	struct stat st;
	TO(umask, 0);
	long fd = T(openat, AT_FDCWD, "m777", O_WRONLY | O_CREAT, 0777);
	show_mode((int)fd);
	T(close, fd);
	TO(umask, 077);
	fd = T(openat, AT_FDCWD, "m666", O_WRONLY | O_CREAT, 0666);
	show_mode((int)fd);
	T(close, fd);
	TO(umask, 0777 | 0100000);
	fd = T(openat, AT_FDCWD, "msticky", O_WRONLY | O_CREAT, 07777);
	show_mode((int)fd);
	T(close, fd);
	TO(umask, 022);
	T(mkdirat, AT_FDCWD, "d1777", 01777);
	if (!conf_err(T(newfstatat, AT_FDCWD, "d1777", &st, 0)))
		conf_more("mode=%#o", st.st_mode);
	/* An existing file keeps its mode whatever the call asks. */
	fd = T(openat, AT_FDCWD, "file", O_WRONLY | O_CREAT, 0600);
	show_mode((int)fd);
	T(close, fd);
}

CONF_CASE(dirfd, "openat close")
{
	long d = T(openat, AT_FDCWD, "dir", O_RDONLY | O_DIRECTORY);
	long f = T(openat, AT_FDCWD, "file", O_RDONLY);
	long fd = T(openat, d, "a", O_RDONLY);
	T(close, fd);
	fd = T(openat, d, "sub/..//b", O_RDONLY);
	T(close, fd);
	fd = T(openat, d, "../file", O_RDONLY);
	T(close, fd);
	T(openat, f, "a", O_RDONLY);
	T(openat, 999, "a", O_RDONLY);
	T(openat, -1, "a", O_RDONLY);
	/* An absolute path ignores the dirfd, even a bad one. */
	char abs[4200];
	size_t n = strlen(conf_work);
	if (n + 6 < sizeof abs) {
		memcpy(abs, conf_work, n);
		memcpy(abs + n, "/file", 6);
		fd = T(openat, 999, abs, O_RDONLY);
		T(close, fd);
	}
	long p = T(openat, AT_FDCWD, "dir", O_PATH);
	fd = T(openat, p, "c", O_RDONLY);
	T(close, fd);
	T(close, p);
	T(close, d);
	T(close, f);
}

CONF_CASE(lowest_fd, "openat close dup")
{
	long a = T(openat, AT_FDCWD, "file", O_RDONLY);
	long b = T(openat, AT_FDCWD, "file", O_RDONLY);
	long c = T(openat, AT_FDCWD, "file", O_RDONLY);
	T(close, a);
	T(openat, AT_FDCWD, "empty", O_RDONLY);
	T(close, b);
	T(close, 0);
	T(openat, AT_FDCWD, "empty", O_RDONLY);
	T(dup, c);
}

CONF_CASE(emfile, "prlimit64 openat close")
{
	struct rlimit lim = {8, 8}, old;
	T(prlimit64, 0, RLIMIT_NOFILE, &lim, &old);
	long last = 0;
	for (int i = 0; i < 12; i++) {
		long fd = SYS(openat, AT_FDCWD, "file", O_RDONLY);
		if (conf_err(fd)) {
			conf_fact("opens before failing", "%d", i);
			conf_more("last fd=%ld", last);
			conf_report(CONF_INT, "openat(AT_FDCWD, \"file\", O_RDONLY)", fd);
			break;
		}
		last = fd;
	}
	T(close, 3);
	T(openat, AT_FDCWD, "file", O_RDONLY);
	T(openat, AT_FDCWD, "file", O_RDONLY);
}

CONF_CASE(special_files, "openat read write fstat close")
{
	char buf[8];
	/* A FIFO without a writer: O_NONBLOCK read opens at once and reads EOF. */
	long fd = T(openat, AT_FDCWD, "fifo", O_RDONLY | O_NONBLOCK);
	T(read, fd, buf, sizeof buf);
	show_mode((int)fd);
	/* ... and then a writer can open it without blocking. */
	long w = T(openat, AT_FDCWD, "fifo", O_WRONLY | O_NONBLOCK);
	T(write, w, "fi", 2);
	long n = T(read, fd, buf, sizeof buf);
	if (n > 0)
		conf_bytes("data", buf, (size_t)n);
	T(close, w);
	T(close, fd);
	/* No reader: a non-blocking writer gets ENXIO. */
	T(openat, AT_FDCWD, "fifo", O_WRONLY | O_NONBLOCK);
	/* Execute-only permission bits do not stop root from reading. */
	fd = T(openat, AT_FDCWD, "noperm", O_RDONLY);
	T(close, fd);
	fd = T(openat, AT_FDCWD, "ro", O_WRONLY);
	T(close, fd);
}
