// SPDX-License-Identifier: Apache-2.0
/* stat.c: conformance cases for the stat family (fstat, newfstatat, statx) and getdents64. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "conf.h"

static const char *kind(unsigned mode)
{
	switch (mode & S_IFMT) {
	case S_IFREG: return "reg";
	case S_IFDIR: return "dir";
	case S_IFLNK: return "lnk";
	case S_IFIFO: return "fifo";
	case S_IFCHR: return "chr";
	case S_IFSOCK: return "sock";
	default: return "other";
	}
}

/* Everything in struct stat that does not vary between two fresh copies of the fixture. */
static void show(const struct stat *st)
{
	conf_more("%s perm=%#o size=%lld nlink=%lu uid=%u gid=%u blksize=%ld blocks=%lld rdev=%lu",
		  kind(st->st_mode), st->st_mode & 07777, (long long)st->st_size,
		  (unsigned long)st->st_nlink, st->st_uid, st->st_gid, (long)st->st_blksize,
		  (long long)st->st_blocks, (unsigned long)st->st_rdev);
}

static void statat(long dirfd, const char *path, int flags, const char *call)
{
	struct stat st;
	long r = conf_report(CONF_INT, call, SYS(newfstatat, dirfd, path, &st, flags));
	if (!conf_err(r))
		show(&st);
}
#define STATAT(d, p, f) statat(d, p, f, "newfstatat(" #d ", " #p ", &st, " #f ")")

CONF_CASE(fstat_kinds, "fstat openat pipe2 close")
{
	static const char *const paths[] = {"file", "empty", "big", "exec", "ro", "noperm", "dir",
					    "emptydir"};
	struct stat st;
	for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
		long fd = SYS(openat, AT_FDCWD, paths[i], O_RDONLY);
		conf_must(fd, paths[i]);
		if (!conf_err(T(fstat, fd, &st)))
			show(&st);
		conf_more("%s", paths[i]);
		SYS(close, fd);
	}
	long fd = T(openat, AT_FDCWD, "fifo", O_RDONLY | O_NONBLOCK);
	if (!conf_err(T(fstat, fd, &st)))
		show(&st);
	fd = T(openat, AT_FDCWD, "link", O_PATH | O_NOFOLLOW);
	if (!conf_err(T(fstat, fd, &st)))
		show(&st);
	int p[2];
	T(pipe2, p, 0);
	T(write, p[1], "abc", 3);
	if (!conf_err(T(fstat, p[0], &st)))
		conf_more("%s perm=%#o nlink=%lu", kind(st.st_mode), st.st_mode & 07777,
			  (unsigned long)st.st_nlink);
}

CONF_CASE(fstat_errors, "fstat openat")
{
	struct stat st;
	long fd = T(openat, AT_FDCWD, "file", O_RDONLY);
	T(fstat, 999, &st);
	T(fstat, -1, &st);
	T(fstat, fd, NULL);
	T(fstat, fd, CONF_BADPTR);
	long ro = TA(mmap, 0, CONF_PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	T(fstat, fd, ro);
	/* A struct that straddles the end of the mapping. */
	T(fstat, fd, conf_before_hole(64));
}

CONF_CASE(fstatat, "fstatat openat fstat close")
{
	struct stat st, st2;
	STATAT(AT_FDCWD, "file", 0);
	STATAT(AT_FDCWD, "link", 0);
	STATAT(AT_FDCWD, "link", AT_SYMLINK_NOFOLLOW);
	STATAT(AT_FDCWD, "dirlink", AT_SYMLINK_NOFOLLOW);
	STATAT(AT_FDCWD, "dirlink/", AT_SYMLINK_NOFOLLOW);
	STATAT(AT_FDCWD, "dangling", 0);
	STATAT(AT_FDCWD, "dangling", AT_SYMLINK_NOFOLLOW);
	STATAT(AT_FDCWD, "loop", 0);
	STATAT(AT_FDCWD, "file/", 0);
	STATAT(AT_FDCWD, "", 0);
	STATAT(AT_FDCWD, "", AT_EMPTY_PATH);
	STATAT(AT_FDCWD, ".", 0);
	STATAT(AT_FDCWD, "dir/sub/..", 0);
	STATAT(AT_FDCWD, "file", AT_NO_AUTOMOUNT);
	STATAT(AT_FDCWD, "file", 0x1);
	STATAT(AT_FDCWD, "file", AT_REMOVEDIR);
	STATAT(AT_FDCWD, NULL, 0);
	T(newfstatat, AT_FDCWD, "file", NULL, 0);
	long d = T(openat, AT_FDCWD, "dir", O_RDONLY | O_DIRECTORY);
	STATAT(d, "a", 0);
	STATAT(d, "", AT_EMPTY_PATH);
	STATAT(d, "../exec", 0);
	STATAT(999, "a", 0);
	STATAT(999, "", AT_EMPTY_PATH);
	long f = T(openat, AT_FDCWD, "file", O_RDONLY);
	STATAT(f, "x", 0);
	/* The same file by name and by descriptor. */
	SYS(fstat, f, &st);
	SYS(newfstatat, AT_FDCWD, "file", &st2, 0);
	conf_fact("fstat and fstatat agree on dev, ino", "%d",
		  st.st_dev == st2.st_dev && st.st_ino == st2.st_ino);
	SYS(newfstatat, AT_FDCWD, "link", &st2, 0);
	conf_fact("a link followed is its target", "%d", st.st_ino == st2.st_ino);
	T(close, d);
	T(close, f);
}

CONF_CASE(stat_times, "fstat write openat close")
{
	struct stat a, b;
	long fd = T(openat, AT_FDCWD, "new", O_RDWR | O_CREAT, 0644);
	SYS(fstat, fd, &a);
	conf_fact("a new file: mtime == ctime", "%d",
		  a.st_mtim.tv_sec == a.st_ctim.tv_sec && a.st_mtim.tv_nsec == a.st_ctim.tv_nsec);
	struct timespec ts = {0, 20 * 1000 * 1000};
	SYS(nanosleep, &ts, NULL);
	T(write, fd, "x", 1);
	SYS(fstat, fd, &b);
	conf_fact("a write moves mtime forward", "%d",
		  b.st_mtim.tv_sec > a.st_mtim.tv_sec ||
			  (b.st_mtim.tv_sec == a.st_mtim.tv_sec && b.st_mtim.tv_nsec > a.st_mtim.tv_nsec));
	conf_fact("mtime is recent (within a day of CLOCK_REALTIME)", "%d", 1);
	struct timespec now;
	SYS(clock_gettime, CLOCK_REALTIME, &now);
	conf_more("%d", labs(now.tv_sec - b.st_mtim.tv_sec) < 86400);
	T(close, fd);
}

static void show_statx(const struct statx *x)
{
	conf_more("mask=%#x %s perm=%#o size=%llu nlink=%u uid=%u blksize=%u blocks=%llu "
		  "attrs=%#llx/%#llx",
		  x->stx_mask, kind(x->stx_mode), x->stx_mode & 07777,
		  (unsigned long long)x->stx_size, x->stx_nlink, x->stx_uid, x->stx_blksize,
		  (unsigned long long)x->stx_blocks, (unsigned long long)x->stx_attributes,
		  (unsigned long long)x->stx_attributes_mask);
}

static void statx_(long d, const char *p, int fl, unsigned mask, const char *call)
{
	struct statx x;
	memset(&x, 0xa5, sizeof x);
	long r = conf_report(CONF_INT, call, SYS(statx, d, p, fl, mask, &x));
	if (!conf_err(r))
		show_statx(&x);
}
#define STATX(d, p, f, m) statx_(d, p, f, m, "statx(" #d ", " #p ", " #f ", " #m ", &x)")

CONF_CASE(statx, "statx openat pipe2 close")
{
	STATX(AT_FDCWD, "file", 0, STATX_BASIC_STATS);
	STATX(AT_FDCWD, "file", 0, STATX_TYPE | STATX_SIZE);
	STATX(AT_FDCWD, "file", 0, 0);
	STATX(AT_FDCWD, "dir", 0, STATX_ALL);
	STATX(AT_FDCWD, "link", AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS);
	STATX(AT_FDCWD, "link", 0, STATX_BASIC_STATS);
	STATX(AT_FDCWD, "file", AT_STATX_FORCE_SYNC, STATX_BASIC_STATS);
	STATX(AT_FDCWD, "file", AT_STATX_DONT_SYNC, STATX_BASIC_STATS);
	STATX(AT_FDCWD, "file", AT_STATX_FORCE_SYNC | AT_STATX_DONT_SYNC, STATX_BASIC_STATS);
	STATX(AT_FDCWD, "file", 0, 0x80000000u);
	STATX(AT_FDCWD, "file", 0x1, STATX_BASIC_STATS);
	STATX(AT_FDCWD, "missing", 0, STATX_BASIC_STATS);
	STATX(AT_FDCWD, "", 0, STATX_BASIC_STATS);
	STATX(AT_FDCWD, NULL, 0, STATX_BASIC_STATS);
	T(statx, AT_FDCWD, "file", 0, STATX_BASIC_STATS, NULL);
	long fd = T(openat, AT_FDCWD, "big", O_RDONLY);
	STATX(fd, "", AT_EMPTY_PATH, STATX_BASIC_STATS);
	STATX(999, "", AT_EMPTY_PATH, STATX_BASIC_STATS);
	T(close, fd);
	int p[2];
	T(pipe2, p, 0);
	STATX(p[1], "", AT_EMPTY_PATH, STATX_TYPE | STATX_MODE);
}

CONF_CASE(empty_path_null, "fstatat statx faccessat2 openat")
{
	/* AT_EMPTY_PATH with a NULL path: EFAULT before Linux 6.11, the dirfd itself after. */
	long fd = T(openat, AT_FDCWD, "big", O_RDONLY);
	STATAT(AT_FDCWD, NULL, AT_EMPTY_PATH);
	STATAT(fd, NULL, AT_EMPTY_PATH);
	STATX(fd, NULL, AT_EMPTY_PATH, STATX_TYPE | STATX_SIZE);
	T(faccessat2, fd, NULL, R_OK, AT_EMPTY_PATH);
}

struct linux_dirent64 {
	unsigned long long d_ino;
	long long d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Read a whole directory, show its entries sorted by name with their types. */
static void list_dir(long fd, size_t bufsz)
{
	static char buf[8192], names[64][80];
	char *sorted[64];
	int n = 0;
	long r;
	while (!conf_err(r = SYS(getdents64, fd, buf, bufsz)) && r > 0) {
		for (long off = 0; off < r;) {
			struct linux_dirent64 *d = (void *)(buf + off);
			if (n < 64) {
				snprintf(names[n], sizeof names[n], "%s:%u", d->d_name, d->d_type);
				sorted[n] = names[n];
				n++;
			}
			off += d->d_reclen;
		}
	}
	conf_report(CONF_INT, "getdents64(fd, buf, bufsz) until 0", r);
	qsort(sorted, (size_t)n, sizeof sorted[0], cmp_str);
	conf_more("%d entries", n);
	for (int i = 0; i < n; i++)
		conf_more("%s", sorted[i]);
}

CONF_CASE(getdents64, "getdents64 openat lseek close")
{
	char buf[256];
	long fd = T(openat, AT_FDCWD, "dir", O_RDONLY | O_DIRECTORY);
	list_dir(fd, 8192);
	T(getdents64, fd, buf, sizeof buf);
	T(lseek, fd, 0, SEEK_SET);
	list_dir(fd, 40);
	T(lseek, fd, 0, SEEK_SET);
	long r = T(getdents64, fd, buf, 24);
	if (r > 0)
		conf_more("reclen=%u", ((struct linux_dirent64 *)buf)->d_reclen);
	T(getdents64, fd, buf, 23);
	T(getdents64, fd, buf, 0);
	T(getdents64, fd, NULL, sizeof buf);
	T(getdents64, fd, CONF_BADPTR, sizeof buf);
	T(close, fd);
	fd = T(openat, AT_FDCWD, "emptydir", O_RDONLY);
	list_dir(fd, 8192);
	T(close, fd);
	fd = T(openat, AT_FDCWD, ".", O_RDONLY);
	list_dir(fd, 8192);
	T(close, fd);
	fd = T(openat, AT_FDCWD, "file", O_RDONLY);
	T(getdents64, fd, buf, sizeof buf);
	T(close, fd);
	fd = T(openat, AT_FDCWD, "dir", O_PATH);
	T(getdents64, fd, buf, sizeof buf);
	T(getdents64, 999, buf, sizeof buf);
}

CONF_CASE(getdents64_changes, "getdents64 openat unlinkat mkdirat")
{
	long fd = T(openat, AT_FDCWD, "dir", O_RDONLY | O_DIRECTORY);
	T(unlinkat, AT_FDCWD, "dir/a", 0);
	T(mkdirat, AT_FDCWD, "dir/new", 0755);
	list_dir(fd, 8192);
	/* A directory removed while open reads as empty. */
	long e = T(openat, AT_FDCWD, "emptydir", O_RDONLY | O_DIRECTORY);
	T(unlinkat, AT_FDCWD, "emptydir", AT_REMOVEDIR);
	list_dir(e, 8192);
}
