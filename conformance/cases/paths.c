// SPDX-License-Identifier: Apache-2.0
/* paths.c: conformance cases for the path syscalls: cwd, mkdir/unlink/rename, access, readlink. */
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conf.h"

/* getcwd into buf and show it (with the work directory as $WORK). */
static void cwd(void)
{
	char buf[4200];
	long n = T(getcwd, buf, sizeof buf);
	if (n > 0)
		conf_path("cwd", buf);
}

static void exists(const char *path)
{
	struct stat st;
	long r = SYS(newfstatat, AT_FDCWD, path, &st, AT_SYMLINK_NOFOLLOW);
	conf_fact("exists", "%s", path);
	conf_more("%s", conf_err(r) ? conf_errname(-r) : S_ISDIR(st.st_mode) ? "dir" : "yes");
}

CONF_CASE(getcwd, "getcwd")
{
	char buf[4200];
	long n = T(getcwd, buf, sizeof buf);
	if (n > 0)
		conf_path("cwd", buf);
	if (n > 0) {
		T(getcwd, buf, n);
		T(getcwd, buf, n - 1);
	}
	T(getcwd, buf, 1);
	T(getcwd, buf, 0);
	T(getcwd, NULL, sizeof buf);
	T(getcwd, CONF_BADPTR, sizeof buf);
	char *p = conf_before_hole(8);
	T(getcwd, p, 4096);
}

CONF_CASE(chdir, "chdir getcwd")
{
	T(chdir, "dir");
	cwd();
	T(chdir, "sub/");
	cwd();
	T(chdir, "../..");
	cwd();
	T(chdir, "./dir/./sub/../..");
	cwd();
	T(chdir, "file");
	T(chdir, "missing");
	T(chdir, "");
	T(chdir, NULL);
	T(chdir, "dangling");
	T(chdir, "loop");
	cwd();
}

CONF_CASE(chdir_symlink, "chdir getcwd")
{
	/* The kernel's cwd is the directory the link names, not the link. */
	T(chdir, "dirlink");
	cwd();
	T(chdir, "..");
	cwd();
}

CONF_CASE(fchdir, "fchdir openat getcwd close")
{
	long d = T(openat, AT_FDCWD, "dir/sub", O_RDONLY | O_DIRECTORY);
	long f = T(openat, AT_FDCWD, "file", O_RDONLY);
	long p = T(openat, AT_FDCWD, "emptydir", O_PATH);
	T(fchdir, d);
	cwd();
	T(fchdir, p);
	cwd();
	T(fchdir, f);
	T(fchdir, 999);
	T(fchdir, -1);
	T(close, d);
	T(close, f);
	T(close, p);
	cwd();
}

CONF_CASE(mkdir_rmdir, "mkdirat unlinkat fstatat openat close")
{
	T(mkdirat, AT_FDCWD, "d", 0755);
	T(mkdirat, AT_FDCWD, "d", 0755);
	T(mkdirat, AT_FDCWD, "d/", 0755);
	T(mkdirat, AT_FDCWD, "e/", 0755);
	exists("e");
	T(mkdirat, AT_FDCWD, "missing/d", 0755);
	T(mkdirat, AT_FDCWD, "file/d", 0755);
	T(mkdirat, AT_FDCWD, "dangling", 0755);
	T(mkdirat, AT_FDCWD, "", 0755);
	T(mkdirat, AT_FDCWD, ".", 0755);
	T(mkdirat, AT_FDCWD, NULL, 0755);
	long d = T(openat, AT_FDCWD, "dir", O_RDONLY | O_DIRECTORY);
	T(mkdirat, d, "x", 0700);
	exists("dir/x");
	T(unlinkat, AT_FDCWD, "d", 0);
	T(unlinkat, AT_FDCWD, "d", AT_REMOVEDIR);
	exists("d");
	T(unlinkat, AT_FDCWD, "d", AT_REMOVEDIR);
	T(unlinkat, AT_FDCWD, "dir", AT_REMOVEDIR);
	T(unlinkat, AT_FDCWD, "file", AT_REMOVEDIR);
	T(unlinkat, AT_FDCWD, "dirlink", AT_REMOVEDIR);
	T(unlinkat, AT_FDCWD, "emptydir/.", AT_REMOVEDIR);
	T(unlinkat, AT_FDCWD, "emptydir/..", AT_REMOVEDIR);
	T(unlinkat, AT_FDCWD, ".", AT_REMOVEDIR);
	T(unlinkat, AT_FDCWD, "emptydir", 0x100);
	T(unlinkat, d, "x", AT_REMOVEDIR);
	T(unlinkat, AT_FDCWD, "emptydir/", AT_REMOVEDIR);
	exists("emptydir");
	T(close, d);
}

CONF_CASE(unlink, "unlinkat fstatat openat read close")
{
	char c;
	T(unlinkat, AT_FDCWD, "link", 0);
	exists("link");
	exists("file");
	T(unlinkat, AT_FDCWD, "dangling", 0);
	T(unlinkat, AT_FDCWD, "missing", 0);
	T(unlinkat, AT_FDCWD, "file/", 0);
	T(unlinkat, AT_FDCWD, "", 0);
	T(unlinkat, AT_FDCWD, "dir", 0);
	/* An open file survives its last name. */
	long fd = T(openat, AT_FDCWD, "file", O_RDONLY);
	T(unlinkat, AT_FDCWD, "file", 0);
	exists("file");
	T(read, fd, &c, 1);
	T(close, fd);
	T(unlinkat, 999, "x", 0);
	T(unlinkat, AT_FDCWD, NULL, 0);
}

CONF_CASE(rename, "renameat openat read fstatat close")
{
	char buf[16];
	T(renameat, AT_FDCWD, "file", AT_FDCWD, "file2");
	exists("file");
	exists("file2");
	T(renameat, AT_FDCWD, "file2", AT_FDCWD, "ro");
	long fd = T(openat, AT_FDCWD, "ro", O_RDONLY);
	long n = T(read, fd, buf, sizeof buf);
	if (n > 0)
		conf_bytes("data", buf, (size_t)n);
	T(close, fd);
	T(renameat, AT_FDCWD, "ro", AT_FDCWD, "ro");
	T(renameat, AT_FDCWD, "missing", AT_FDCWD, "x");
	T(renameat, AT_FDCWD, "emptydir", AT_FDCWD, "dir");
	T(renameat, AT_FDCWD, "dir", AT_FDCWD, "empty");
	T(renameat, AT_FDCWD, "empty", AT_FDCWD, "dir");
	T(renameat, AT_FDCWD, "dir", AT_FDCWD, "dir/sub/inside");
	T(renameat, AT_FDCWD, "dir", AT_FDCWD, "missing/x");
	T(renameat, AT_FDCWD, ".", AT_FDCWD, "x");
	T(renameat, AT_FDCWD, "empty", AT_FDCWD, "empty/");
	T(renameat, AT_FDCWD, "emptydir", AT_FDCWD, "dir2/");
	exists("dir2");
	long d = T(openat, AT_FDCWD, "dir", O_RDONLY | O_DIRECTORY);
	T(renameat, d, "a", AT_FDCWD, "a_moved");
	exists("a_moved");
	T(renameat, AT_FDCWD, "link", d, "link");
	exists("dir/link");
	T(renameat, 999, "b", d, "c");
	T(renameat, AT_FDCWD, NULL, AT_FDCWD, "x");
	T(close, d);
}

CONF_CASE(faccessat, "faccessat")
{
	T(faccessat, AT_FDCWD, "file", F_OK);
	T(faccessat, AT_FDCWD, "file", R_OK | W_OK);
	T(faccessat, AT_FDCWD, "file", X_OK);
	T(faccessat, AT_FDCWD, "exec", X_OK);
	T(faccessat, AT_FDCWD, "dir", X_OK);
	T(faccessat, AT_FDCWD, "ro", W_OK);
	T(faccessat, AT_FDCWD, "noperm", R_OK);
	T(faccessat, AT_FDCWD, "noperm", X_OK);
	T(faccessat, AT_FDCWD, "missing", F_OK);
	T(faccessat, AT_FDCWD, "dangling", F_OK);
	T(faccessat, AT_FDCWD, "file/", F_OK);
	T(faccessat, AT_FDCWD, "", F_OK);
	T(faccessat, AT_FDCWD, "file", 8);
	T(faccessat, AT_FDCWD, NULL, F_OK);
	T(faccessat, 999, "file", F_OK);
}

CONF_CASE(faccessat2, "faccessat2 openat close")
{
	T(faccessat2, AT_FDCWD, "file", R_OK, 0);
	T(faccessat2, AT_FDCWD, "file", R_OK, AT_EACCESS);
	T(faccessat2, AT_FDCWD, "dangling", F_OK, 0);
	T(faccessat2, AT_FDCWD, "dangling", F_OK, AT_SYMLINK_NOFOLLOW);
	T(faccessat2, AT_FDCWD, "file", F_OK, 0x1);
	T(faccessat2, AT_FDCWD, "file", F_OK, AT_REMOVEDIR | AT_SYMLINK_FOLLOW);
	long fd = T(openat, AT_FDCWD, "exec", O_RDONLY);
	T(faccessat2, fd, "", X_OK, AT_EMPTY_PATH);
	T(faccessat2, fd, "", X_OK, 0);
	T(close, fd);
	long d = T(openat, AT_FDCWD, "dir", O_RDONLY | O_DIRECTORY);
	T(faccessat2, d, "a", W_OK, 0);
	T(faccessat2, d, "../exec", X_OK, AT_EACCESS);
	T(close, d);
	T(faccessat2, AT_FDCWD, "file", 0x10, 0);
}

CONF_CASE(readlinkat, "readlinkat openat close")
{
	char buf[64];
	long n = T(readlinkat, AT_FDCWD, "link", buf, sizeof buf);
	if (n > 0)
		conf_bytes("target", buf, (size_t)n);
	n = T(readlinkat, AT_FDCWD, "dangling", buf, sizeof buf);
	if (n > 0)
		conf_bytes("target", buf, (size_t)n);
	n = T(readlinkat, AT_FDCWD, "link", buf, 2);
	if (n > 0)
		conf_bytes("target", buf, (size_t)n);
	T(readlinkat, AT_FDCWD, "link", buf, 0);
	T(readlinkat, AT_FDCWD, "link", buf, -1);
	T(readlinkat, AT_FDCWD, "file", buf, sizeof buf);
	T(readlinkat, AT_FDCWD, "dir", buf, sizeof buf);
	T(readlinkat, AT_FDCWD, "missing", buf, sizeof buf);
	T(readlinkat, AT_FDCWD, "link/", buf, sizeof buf);
	T(readlinkat, AT_FDCWD, "", buf, sizeof buf);
	T(readlinkat, AT_FDCWD, NULL, buf, sizeof buf);
	T(readlinkat, AT_FDCWD, "link", NULL, sizeof buf);
	T(readlinkat, AT_FDCWD, "link", CONF_BADPTR, sizeof buf);
	long d = T(openat, AT_FDCWD, "dir", O_RDONLY | O_DIRECTORY);
	n = T(readlinkat, d, "../loop", buf, sizeof buf);
	if (n > 0)
		conf_bytes("target", buf, (size_t)n);
	T(readlinkat, d, "", buf, sizeof buf);
	T(close, d);
}

CONF_CASE(readlink_proc_self, "readlinkat")
{
	char buf[256];
	long n = T(readlinkat, AT_FDCWD, "/proc/self/exe", buf, sizeof buf);
	if (n > 0)
		conf_more("absolute=%d", buf[0] == '/');
	n = T(readlinkat, AT_FDCWD, "/proc/self/cwd", buf, sizeof buf);
	if (n > 0 && (size_t)n < sizeof buf) {
		buf[n] = 0;
		conf_path("target", buf);
	}
}
