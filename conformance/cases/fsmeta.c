// SPDX-License-Identifier: Apache-2.0
/* fsmeta.c: conformance cases for extended attributes, statfs, truncate, chmod, chown, utimensat, links and renameat2. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/statfs.h>
#include <sys/xattr.h>

#include "conf.h"

static void mode_size(const char *path)
{
	struct stat st;
	if (!conf_err(SYS(newfstatat, AT_FDCWD, path, &st, AT_SYMLINK_NOFOLLOW)))
		conf_more("%s: mode=%#o size=%lld", path, st.st_mode, (long long)st.st_size);
	else
		conf_more("%s: missing", path);
}

static void nlink_of(const char *path)
{
	struct stat st;
	if (!conf_err(SYS(newfstatat, AT_FDCWD, path, &st, AT_SYMLINK_NOFOLLOW)))
		conf_more("%s: nlink=%lu", path, (unsigned long)st.st_nlink);
}

CONF_CASE(links, "symlinkat linkat")
{
	char buf[64];
	T(symlinkat, "file", AT_FDCWD, "newlink");
	mode_size("newlink");
	T(readlinkat, AT_FDCWD, "newlink", buf, sizeof buf);
	T(symlinkat, "x", AT_FDCWD, "newlink");
	T(symlinkat, "", AT_FDCWD, "e");
	T(symlinkat, CONF_BADPTR, AT_FDCWD, "e");
	T(symlinkat, "file", AT_FDCWD, CONF_BADPTR);
	T(symlinkat, "file", AT_FDCWD, "missing/x");
	T(symlinkat, "file", AT_FDCWD, "dir/.");
	T(linkat, AT_FDCWD, "file", AT_FDCWD, "hard", 0);
	nlink_of("file");
	nlink_of("hard");
	T(linkat, AT_FDCWD, "link", AT_FDCWD, "hard2", AT_SYMLINK_FOLLOW);
	mode_size("hard2");
	nlink_of("file");
	T(linkat, AT_FDCWD, "link", AT_FDCWD, "hard3", 0);
	mode_size("hard3");
	T(linkat, AT_FDCWD, "dir", AT_FDCWD, "hard4", 0);
	T(linkat, AT_FDCWD, "missing", AT_FDCWD, "hard4", 0);
	T(linkat, AT_FDCWD, "file", AT_FDCWD, "hard", 0);
	T(linkat, AT_FDCWD, "file", AT_FDCWD, "hard4", 1);
	T(linkat, AT_FDCWD, "dangling", AT_FDCWD, "hard4", AT_SYMLINK_FOLLOW);
	T(linkat, AT_FDCWD, "dangling", AT_FDCWD, "hard4", 0);
	mode_size("hard4");
}

CONF_CASE(mknod, "mknodat")
{
	T(mknodat, AT_FDCWD, "fifo2", S_IFIFO | 0644, 0);
	mode_size("fifo2");
	T(mknodat, AT_FDCWD, "reg", 0600, 0);
	mode_size("reg");
	T(mknodat, AT_FDCWD, "reg2", S_IFREG | 0640, 0);
	mode_size("reg2");
	T(mknodat, AT_FDCWD, "sock", S_IFSOCK | 0600, 0);
	mode_size("sock");
	T(mknodat, AT_FDCWD, "fifo2", S_IFIFO | 0644, 0);
	T(mknodat, AT_FDCWD, "d", S_IFDIR | 0755, 0);
	T(mknodat, AT_FDCWD, "bad", 0170000, 0);
	T(mknodat, AT_FDCWD, "missing/x", S_IFIFO | 0644, 0);
	T(mknodat, AT_FDCWD, CONF_BADPTR, S_IFIFO | 0644, 0);
}

/* A device node (the run is root natively, so it may make one). */
CONF_CASE(mknod_device, "mknodat")
{
	T(mknodat, AT_FDCWD, "null2", S_IFCHR | 0600, makedev(1, 3));
	mode_size("null2");
}

CONF_CASE(rename2, "renameat2")
{
	T(renameat2, AT_FDCWD, "empty", AT_FDCWD, "file", RENAME_NOREPLACE);
	T(renameat2, AT_FDCWD, "empty", AT_FDCWD, "ro", RENAME_EXCHANGE);
	mode_size("ro");
	mode_size("empty");
	T(renameat2, AT_FDCWD, "empty", AT_FDCWD, "missing", RENAME_EXCHANGE);
	T(renameat2, AT_FDCWD, "empty", AT_FDCWD, "ro", RENAME_EXCHANGE | RENAME_NOREPLACE);
	T(renameat2, AT_FDCWD, "empty", AT_FDCWD, "ro", 8);
	T(renameat2, AT_FDCWD, "empty", AT_FDCWD, "new", RENAME_NOREPLACE);
	mode_size("new");
	T(renameat2, AT_FDCWD, "new", AT_FDCWD, "dir", RENAME_NOREPLACE);
	T(renameat2, AT_FDCWD, "dir", AT_FDCWD, "emptydir", RENAME_EXCHANGE);
	mode_size("emptydir/a");
}

CONF_CASE(truncate, "truncate")
{
	T(truncate, "file", 5);
	mode_size("file");
	T(truncate, "missing", 5);
	T(truncate, "file", -1);
	T(truncate, "dir", 0);
	T(truncate, CONF_BADPTR, 0);
	T(truncate, "link", 3);
	mode_size("file");
}

CONF_CASE(chmod_chown, "fchmod fchmodat fchown fchownat")
{
	long fd = conf_open("file", O_RDONLY);
	T(fchmod, fd, 0600);
	mode_size("file");
	T(fchmodat, AT_FDCWD, "file", 0640);
	mode_size("file");
	T(fchmodat, AT_FDCWD, "link", 01644);
	mode_size("file");
	T(fchown, fd, -1, -1);
	T(fchownat, AT_FDCWD, "file", -1, -1, 0);
	T(fchownat, AT_FDCWD, "link", -1, -1, AT_SYMLINK_NOFOLLOW);
	T(fchownat, fd, "", -1, -1, AT_EMPTY_PATH);
	T(fchownat, AT_FDCWD, "file", -1, -1, 0x4);
	T(fchmodat, AT_FDCWD, "missing", 0640);
	T(fchmodat, AT_FDCWD, CONF_BADPTR, 0640);
	T(fchmod, 999, 0600);
	long path = SYS(openat, AT_FDCWD, "file", O_PATH);
	T(fchmod, path, 0600);
	T(fchown, 999, -1, -1);
}

CONF_CASE(statfs, "statfs fstatfs")
{
	struct statfs s, s2;
	if (!conf_err(T(statfs, ".", &s)))
		conf_more("bsize>0 %d namelen=%ld", s.f_bsize > 0, (long)s.f_namelen);
	long fd = conf_open("file", O_RDONLY);
	if (!conf_err(T(fstatfs, fd, &s2)))
		conf_fact("same type", "%d", s2.f_type == s.f_type);
	T(statfs, "missing", &s);
	T(statfs, ".", CONF_BADPTR);
	T(fstatfs, 999, &s);
	T(fstatfs, fd, CONF_BADPTR);
}

CONF_CASE(utimensat, "utimensat")
{
	struct timespec t[2] = {{1000000000, 5}, {1234567890, 123456789}};
	struct stat st;
	T(utimensat, AT_FDCWD, "file", t, 0);
	if (!conf_err(SYS(newfstatat, AT_FDCWD, "file", &st, 0)))
		conf_more("atime=%lld.%09ld mtime=%lld.%09ld", (long long)st.st_atim.tv_sec,
			  st.st_atim.tv_nsec, (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
	struct timespec omit[2] = {{0, UTIME_OMIT}, {42, 0}};
	long fd = conf_open("file", O_RDWR);
	T(utimensat, fd, NULL, omit, 0);
	if (!conf_err(SYS(newfstatat, AT_FDCWD, "file", &st, 0)))
		conf_more("atime=%lld mtime=%lld", (long long)st.st_atim.tv_sec,
			  (long long)st.st_mtim.tv_sec);
	T(utimensat, AT_FDCWD, "missing", t, 0);
	T(utimensat, AT_FDCWD, "file", CONF_BADPTR, 0);
	T(utimensat, AT_FDCWD, "file", t, 0x4);
	struct timespec bad[2] = {{0, 1000000000}, {0, 0}};
	T(utimensat, AT_FDCWD, "file", bad, 0);
	T(utimensat, 999, NULL, t, 0);
}

CONF_CASE(xattr, "setxattr getxattr listxattr removexattr lgetxattr llistxattr lsetxattr lremovexattr")
{
	char v[64] = {0};
	long rc = T(setxattr, "file", "user.conf", "value", 5, 0);
	if (conf_err(rc))
		return; /* no user attributes on this filesystem: the same answer both ways */
	T(getxattr, "file", "user.conf", v, sizeof v);
	conf_bytes("value", v, 5);
	T(getxattr, "file", "user.conf", NULL, 0);
	T(getxattr, "file", "user.conf", v, 2);
	T(getxattr, "file", "user.none", v, sizeof v);
	T(setxattr, "file", "user.conf", "x", 1, XATTR_CREATE);
	T(setxattr, "file", "user.new", "x", 1, XATTR_REPLACE);
	T(setxattr, "file", "user.conf", "x", 1, 4);
	char list[256] = {0};
	long n = T(listxattr, "file", list, sizeof list);
	conf_fact("has user.conf", "%d", n > 0 && memmem(list, (size_t)n, "user.conf", 10) != NULL);
	T(listxattr, "file", list, 1);
	T(removexattr, "file", "user.conf");
	T(removexattr, "file", "user.conf");
	T(getxattr, "file", "", v, sizeof v);
	T(getxattr, "missing", "user.conf", v, sizeof v);
	T(getxattr, "file", CONF_BADPTR, v, sizeof v);
	T(lgetxattr, "link", "user.conf", v, sizeof v);
	TN(llistxattr, "link", list, sizeof list);
	T(lsetxattr, "link", "user.l", "x", 1, 0);
	T(lremovexattr, "link", "user.l");
	T(lsetxattr, "missing", "user.l", "x", 1, 0);
}

CONF_CASE(fxattr, "fsetxattr fgetxattr flistxattr fremovexattr")
{
	long fd = conf_open("file", O_RDWR);
	char v[64] = {0};
	long rc = T(fsetxattr, fd, "user.f", "abc", 3, 0);
	if (conf_err(rc))
		return;
	T(fgetxattr, fd, "user.f", v, sizeof v);
	conf_bytes("value", v, 3);
	char list[256] = {0};
	long n = T(flistxattr, fd, list, sizeof list);
	conf_fact("has user.f", "%d", n > 0 && memmem(list, (size_t)n, "user.f", 7) != NULL);
	T(fremovexattr, fd, "user.f");
	T(fgetxattr, 999, "user.f", v, sizeof v);
	T(fgetxattr, fd, "user.f", CONF_BADPTR, 8);
	T(fsetxattr, fd, "user.f", CONF_BADPTR, 8, 0);
}
