// SPDX-License-Identifier: Apache-2.0
/* fs_test.c: Check tests for the fs family: allow-list confinement, open flags, stat, dirs. */
#include <check.h>
#include <fcntl.h>
#include <sys/stat.h>

#include "linux/testproc.h"
#include "check_main.h"

/* Guest (arm64) constants, as a guest program passes them. */
enum {
	O_RD = 0,
	O_WR = 1,
	O_RW = 2,
	GO_CREAT = 0100,
	GO_EXCL = 0200,
	GO_TRUNC = 01000,
	GO_DIRECTORY = 040000,
	GO_NOFOLLOW = 0100000,
	GO_CLOEXEC = 02000000,
	GO_PATH = 010000000,
	AT_CWD = -100,
	GAT_NOFOLLOW = 0x100,
	GAT_REMOVEDIR = 0x200,
	GAT_EMPTY = 0x1000,
	GAT_SYMLINK_FOLLOW = 0x400,
	GRENAME_NOREPLACE = 1,
	GRENAME_EXCHANGE = 2,
};

static struct tp *t;

static void setup(void)
{
	t = tp_new(0, 0);
	ck_assert_ptr_nonnull(t);
}

static void teardown(void)
{
	tp_delete(t);
}

static int64_t gopen(const char *rel, int flags, int mode)
{
	return TP_CALL(t, WF_NR_openat, AT_CWD, tp_path(t, rel), flags, mode);
}

static int64_t gwrite(int64_t fd, const char *s)
{
	return TP_CALL(t, WF_NR_write, fd, tp_str(t, s), strlen(s));
}

/* Host-side file creation, for fixtures. */
static void host_file(const char *rel, const char *data)
{
	char path[256];
	snprintf(path, sizeof(path), "%s/%s", t->dir, rel);
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(data, f);
	fclose(f);
}

/* Read the guest struct stat fields at their arm64 offsets. */
static uint32_t st_mode(wf_gaddr_t st)
{
	uint32_t v;
	memcpy(&v, (uint8_t *)tp_host(t, st) + 16, 4);
	return v;
}

static int64_t st_size(wf_gaddr_t st)
{
	int64_t v;
	memcpy(&v, (uint8_t *)tp_host(t, st) + 48, 8);
	return v;
}

START_TEST(test_open_write_read)
{
	int64_t fd = gopen("a.txt", O_WR | GO_CREAT | GO_TRUNC, 0644);
	ck_assert_int_eq(fd, 3);
	ck_assert_int_eq(gwrite(fd, "hello"), 5);
	ck_assert_int_eq(TP_CALL(t, WF_NR_close, fd), 0);

	fd = gopen("a.txt", O_RD, 0);
	ck_assert_int_eq(fd, 3);
	wf_gaddr_t buf = tp_alloc(t, 64);
	ck_assert_int_eq(TP_CALL(t, WF_NR_read, fd, buf, 64), 5);
	ck_assert_mem_eq(tp_host(t, buf), "hello", 5);
	ck_assert_int_eq(TP_CALL(t, WF_NR_read, fd, buf, 64), 0);

	wf_gaddr_t st = tp_alloc(t, 128);
	memset(tp_host(t, st), 0xa5, 128);
	ck_assert_int_eq(TP_CALL(t, WF_NR_fstat, fd, st), 0);
	ck_assert_int_eq(st_size(st), 5);
	ck_assert_uint_eq(st_mode(st), S_IFREG | 0644);
	/* st_blksize at 56 is filled; the unused words at 120 are zeroed. */
	int32_t blksize;
	memcpy(&blksize, (uint8_t *)tp_host(t, st) + 56, 4);
	ck_assert_int_gt(blksize, 0);
	uint64_t unused;
	memcpy(&unused, (uint8_t *)tp_host(t, st) + 120, 8);
	ck_assert_uint_eq(unused, 0);

	ck_assert_int_eq(TP_CALL(t, WF_NR_newfstatat, AT_CWD, tp_path(t, "a.txt"), st, 0), 0);
	ck_assert_int_eq(st_size(st), 5);
	ck_assert_int_eq(TP_CALL(t, WF_NR_newfstatat, fd, tp_str(t, ""), st, GAT_EMPTY), 0);
	ck_assert_int_eq(st_size(st), 5);
	ck_assert_int_eq(TP_CALL(t, WF_NR_newfstatat, fd, tp_str(t, ""), st, 0), -ENOENT);
	ck_assert_int_eq(TP_CALL(t, WF_NR_newfstatat, AT_CWD, tp_path(t, "a.txt"), st, 0x4), -EINVAL);

	wf_gaddr_t stx = tp_alloc(t, 256);
	ck_assert_int_eq(TP_CALL(t, WF_NR_statx, AT_CWD, tp_path(t, "a.txt"), 0, 0x7ff, stx), 0);
	struct statx *x = tp_host(t, stx);
	ck_assert_uint_eq(x->stx_size, 5);
	ck_assert_uint_eq(x->stx_mode, S_IFREG | 0644);
	ck_assert_int_eq(TP_CALL(t, WF_NR_statx, fd, 0, GAT_EMPTY, 0x7ff, stx), 0);
	ck_assert_uint_eq(x->stx_size, 5);
}
END_TEST

START_TEST(test_allow_list_denial)
{
	host_file("in.txt", "x");
	ck_assert_int_eq(TP_CALL(t, WF_NR_openat, AT_CWD, tp_str(t, "/etc/passwd"), O_RD, 0),
			 -ENOENT);
	ck_assert_int_eq(TP_CALL(t, WF_NR_openat, AT_CWD, tp_str(t, "/"), O_RD, 0), -ENOENT);
	ck_assert_int_eq(TP_CALL(t, WF_NR_openat, AT_CWD, tp_str(t, "/tmp"), O_RD, 0), -ENOENT);
	ck_assert_int_eq(gopen("../", O_RD, 0), -ENOENT);
	ck_assert_int_eq(gopen("../../etc/passwd", O_RD, 0), -ENOENT);
	ck_assert_int_eq(gopen("sub/../../x", O_RD, 0), -ENOENT);
	/* Lexical: going out and back in is fine, as are "." and "//". */
	char back[128];
	snprintf(back, sizeof(back), "..%s/.//in.txt", strrchr(t->dir, '/'));
	int64_t fd = gopen(back, O_RD, 0);
	ck_assert_int_ge(fd, 3);
	ck_assert_int_eq(TP_CALL(t, WF_NR_close, fd), 0);

	/* Relative to the cwd: from inside the dir, ".." escapes are denied. */
	ck_assert_int_eq(TP_CALL(t, WF_NR_chdir, tp_path(t, "")), 0);
	ck_assert_int_eq(TP_CALL(t, WF_NR_openat, AT_CWD, tp_str(t, "../../etc/passwd"), O_RD, 0),
			 -ENOENT);
	fd = TP_CALL(t, WF_NR_openat, AT_CWD, tp_str(t, "in.txt"), O_RD, 0);
	ck_assert_int_ge(fd, 3);
	/* Relative to a dirfd. */
	int64_t dfd = gopen("", O_RD | GO_DIRECTORY, 0);
	ck_assert_int_ge(dfd, 3);
	ck_assert_int_eq(TP_CALL(t, WF_NR_openat, dfd, tp_str(t, "../etc"), O_RD, 0), -ENOENT);
	int64_t fd2 = TP_CALL(t, WF_NR_openat, dfd, tp_str(t, "in.txt"), O_RD, 0);
	ck_assert_int_ge(fd2, 3);
	/* A file is no dirfd; a closed fd is EBADF; an absolute path ignores the dirfd. */
	ck_assert_int_eq(TP_CALL(t, WF_NR_openat, fd2, tp_str(t, "x"), O_RD, 0), -ENOTDIR);
	ck_assert_int_eq(TP_CALL(t, WF_NR_openat, 99, tp_str(t, "x"), O_RD, 0), -EBADF);
	ck_assert_int_ge(TP_CALL(t, WF_NR_openat, 99, tp_path(t, "in.txt"), O_RD, 0), 3);

	/* Denied paths are missing for stat and access too. */
	wf_gaddr_t st = tp_alloc(t, 128);
	ck_assert_int_eq(TP_CALL(t, WF_NR_newfstatat, AT_CWD, tp_str(t, "/etc/passwd"), st, 0),
			 -ENOENT);
	ck_assert_int_eq(TP_CALL(t, WF_NR_faccessat, AT_CWD, tp_str(t, "/etc/passwd"), 0),
			 -ENOENT);
	ck_assert_int_eq(TP_CALL(t, WF_NR_faccessat, AT_CWD, tp_str(t, "in.txt"), 4), 0);
	ck_assert_int_eq(TP_CALL(t, WF_NR_faccessat2, AT_CWD, tp_str(t, "in.txt"), 4, 0x200), 0);
	ck_assert_int_eq(TP_CALL(t, WF_NR_faccessat, AT_CWD, tp_str(t, "nope"), 0), -ENOENT);
	ck_assert_int_eq(TP_CALL(t, WF_NR_faccessat, AT_CWD, tp_str(t, "in.txt"), 8), -EINVAL);
}
END_TEST

START_TEST(test_symlinks)
{
	char link[256];
	host_file("in.txt", "inside");
	snprintf(link, sizeof(link), "%s/evil", t->dir);
	ck_assert_int_eq(symlink("/etc/passwd", link), 0);
	snprintf(link, sizeof(link), "%s/up", t->dir);
	ck_assert_int_eq(symlink("..", link), 0);
	snprintf(link, sizeof(link), "%s/good", t->dir);
	ck_assert_int_eq(symlink("in.txt", link), 0);

	ck_assert_int_eq(gopen("evil", O_RD, 0), -ENOENT);
	ck_assert_int_eq(gopen("up/etc", O_RD, 0), -ENOENT);
	wf_gaddr_t st = tp_alloc(t, 128);
	ck_assert_int_eq(TP_CALL(t, WF_NR_newfstatat, AT_CWD, tp_path(t, "evil"), st, 0), -ENOENT);
	/* The link itself is inside: lstat and readlink see it. */
	ck_assert_int_eq(
		TP_CALL(t, WF_NR_newfstatat, AT_CWD, tp_path(t, "evil"), st, GAT_NOFOLLOW), 0);
	ck_assert_uint_eq(st_mode(st) & S_IFMT, S_IFLNK);
	wf_gaddr_t buf = tp_alloc(t, 64);
	ck_assert_int_eq(TP_CALL(t, WF_NR_readlinkat, AT_CWD, tp_path(t, "evil"), buf, 64), 11);
	ck_assert_mem_eq(tp_host(t, buf), "/etc/passwd", 11);
	ck_assert_int_eq(TP_CALL(t, WF_NR_readlinkat, AT_CWD, tp_path(t, "evil"), buf, 4), 4);
	ck_assert_int_eq(TP_CALL(t, WF_NR_readlinkat, AT_CWD, tp_path(t, "evil"), buf, 0), -EINVAL);
	ck_assert_int_eq(TP_CALL(t, WF_NR_readlinkat, AT_CWD, tp_path(t, "in.txt"), buf, 64),
			 -EINVAL);

	/* A link that stays inside works; O_NOFOLLOW (arm64 0100000) refuses it. */
	int64_t fd = gopen("good", O_RD, 0);
	ck_assert_int_ge(fd, 3);
	ck_assert_int_eq(TP_CALL(t, WF_NR_read, fd, buf, 64), 6);
	ck_assert_int_eq(gopen("good", O_RD | GO_NOFOLLOW, 0), -ELOOP);
	int64_t pfd = gopen("good", GO_PATH | GO_NOFOLLOW, 0);
	ck_assert_int_ge(pfd, 3);
	ck_assert_int_eq(TP_CALL(t, WF_NR_readlinkat, pfd, tp_str(t, ""), buf, 64), 6);
	ck_assert_int_eq(TP_CALL(t, WF_NR_read, pfd, buf, 64), -EBADF);
}
END_TEST

START_TEST(test_read_only_dir)
{
	char ro[256];
	snprintf(ro, sizeof(ro), "%s/ro", t->dir);
	ck_assert_int_eq(mkdir(ro, 0755), 0);
	host_file("ro/f", "data");
	/* A more specific read-only entry wins over the writable parent. */
	ck_assert_int_eq(wf_proc_allow(&t->p, ro, false), 0);

	ck_assert_int_eq(gopen("ro/f", O_WR, 0), -EACCES);
	ck_assert_int_eq(gopen("ro/f", O_RW, 0), -EACCES);
	ck_assert_int_eq(gopen("ro/f", O_RD | GO_TRUNC, 0), -EACCES);
	ck_assert_int_eq(gopen("ro/new", O_WR | GO_CREAT, 0644), -EACCES);
	ck_assert_int_eq(gopen("ro/f", O_WR | GO_CREAT | GO_EXCL, 0644), -EEXIST);
	ck_assert_int_eq(gopen("ro/missing", O_WR, 0), -ENOENT);
	int64_t fd = gopen("ro/f", O_RD, 0);
	ck_assert_int_ge(fd, 3);
	ck_assert_int_eq(gwrite(fd, "x"), -EBADF);
	ck_assert_int_ge(gopen("ro/f", O_RD | GO_CREAT, 0644), 3);

	ck_assert_int_eq(TP_CALL(t, WF_NR_mkdirat, AT_CWD, tp_path(t, "ro/d"), 0755), -EACCES);
	ck_assert_int_eq(TP_CALL(t, WF_NR_unlinkat, AT_CWD, tp_path(t, "ro/f"), 0), -EACCES);
	ck_assert_int_eq(
		TP_CALL(t, WF_NR_renameat, AT_CWD, tp_path(t, "ro/f"), AT_CWD, tp_path(t, "g")),
		-EACCES);
	ck_assert_int_eq(TP_CALL(t, WF_NR_faccessat, AT_CWD, tp_path(t, "ro/f"), 2), -EACCES);
	ck_assert_int_eq(TP_CALL(t, WF_NR_faccessat, AT_CWD, tp_path(t, "ro/f"), 4), 0);
	ck_assert_int_eq(access(ro, F_OK), 0);
}
END_TEST

START_TEST(test_efault)
{
	wf_gaddr_t page = tp_alloc_pages(t, 2);
	tp_protect(t, page, WF_PAGE_SIZE, 0);
	tp_protect(t, page + WF_PAGE_SIZE, WF_PAGE_SIZE, WF_PROT_READ);
	host_file("f", "abc");
	ck_assert_int_eq(TP_CALL(t, WF_NR_openat, AT_CWD, page, O_RD, 0), -EFAULT);
	ck_assert_int_eq(TP_CALL(t, WF_NR_openat, AT_CWD, 0x1234, O_RD, 0), -EFAULT);
	ck_assert_int_eq(TP_CALL(t, WF_NR_newfstatat, AT_CWD, tp_path(t, "f"), page, 0), -EFAULT);
	ck_assert_int_eq(
		TP_CALL(t, WF_NR_newfstatat, AT_CWD, tp_path(t, "f"), page + WF_PAGE_SIZE, 0),
		-EFAULT);
	ck_assert_int_eq(TP_CALL(t, WF_NR_getcwd, page + WF_PAGE_SIZE, 100), -EFAULT);
	ck_assert_int_eq(TP_CALL(t, WF_NR_chdir, page), -EFAULT);
	/* A string running into an unreadable page has no end. */
	wf_gaddr_t s = page - 3;
	memcpy(tp_host(t, s), "abc", 3);
	ck_assert_int_eq(TP_CALL(t, WF_NR_openat, AT_CWD, s, O_RD, 0), -EFAULT);
	/* Too long a path. */
	wf_gaddr_t longp = tp_alloc(t, 5000);
	memset(tp_host(t, longp), 'a', 4999);
	ck_assert_int_eq(TP_CALL(t, WF_NR_openat, AT_CWD, longp, O_RD, 0), -ENAMETOOLONG);
}
END_TEST

START_TEST(test_getdents)
{
	host_file("x1", "");
	host_file("x2", "");
	int64_t m = TP_CALL(t, WF_NR_mkdirat, AT_CWD, tp_path(t, "sub"), 0755);
	ck_assert_int_eq(m, 0);
	int64_t dfd = gopen("", O_RD | GO_DIRECTORY | GO_CLOEXEC, 0);
	ck_assert_int_ge(dfd, 3);
	wf_gaddr_t buf = tp_alloc(t, 4096);
	int found = 0, total = 0;
	int64_t n;
	while ((n = TP_CALL(t, WF_NR_getdents64, dfd, buf, 4096)) > 0) {
		for (int64_t off = 0; off < n;) {
			uint8_t *d = (uint8_t *)tp_host(t, buf) + off;
			uint16_t reclen;
			memcpy(&reclen, d + 16, 2);
			const char *name = (const char *)d + 19;
			if (!strcmp(name, "x1") || !strcmp(name, "x2"))
				found++;
			if (!strcmp(name, "sub")) {
				ck_assert_int_eq(d[18], 4); /* DT_DIR */
				found++;
			}
			total++;
			off += reclen;
		}
	}
	ck_assert_int_eq(n, 0);
	ck_assert_int_eq(found, 3);
	ck_assert_int_eq(total, 5); /* with "." and ".." */
	ck_assert_int_eq(TP_CALL(t, WF_NR_lseek, dfd, 0, 0), 0);
	ck_assert_int_gt(TP_CALL(t, WF_NR_getdents64, dfd, buf, 4096), 0);

	int64_t ffd = gopen("x1", O_RD, 0);
	ck_assert_int_eq(TP_CALL(t, WF_NR_getdents64, ffd, buf, 4096), -ENOTDIR);
	ck_assert_int_eq(TP_CALL(t, WF_NR_getdents64, 77, buf, 4096), -EBADF);
	ck_assert_int_eq(TP_CALL(t, WF_NR_getdents64, dfd, 0x100, 4096), -EFAULT);
	/* O_DIRECTORY is 040000 on arm64: a file refuses it. */
	ck_assert_int_eq(gopen("x1", O_RD | GO_DIRECTORY, 0), -ENOTDIR);
	ck_assert_int_eq(TP_CALL(t, WF_NR_fcntl, dfd, 1, 0), 1); /* FD_CLOEXEC */
}
END_TEST

START_TEST(test_cwd)
{
	wf_gaddr_t buf = tp_alloc(t, 256);
	ck_assert_int_eq(TP_CALL(t, WF_NR_getcwd, buf, 256), 2);
	ck_assert_str_eq(tp_host(t, buf), "/");
	ck_assert_int_eq(TP_CALL(t, WF_NR_getcwd, buf, 1), -ERANGE);
	ck_assert_int_eq(TP_CALL(t, WF_NR_chdir, tp_str(t, "/etc")), -ENOENT);
	ck_assert_int_eq(TP_CALL(t, WF_NR_chdir, tp_str(t, "/")), -ENOENT);

	ck_assert_int_eq(TP_CALL(t, WF_NR_mkdirat, AT_CWD, tp_path(t, "d"), 0755), 0);
	ck_assert_int_eq(TP_CALL(t, WF_NR_chdir, tp_path(t, "d/")), 0);
	size_t len = strlen(t->dir) + 3;
	ck_assert_int_eq(TP_CALL(t, WF_NR_getcwd, buf, 256), len);
	char want[128];
	snprintf(want, sizeof(want), "%s/d", t->dir);
	ck_assert_str_eq(tp_host(t, buf), want);
	ck_assert_int_eq(TP_CALL(t, WF_NR_getcwd, buf, len - 1), -ERANGE);

	ck_assert_int_eq(TP_CALL(t, WF_NR_chdir, tp_str(t, "..")), 0);
	ck_assert_int_eq(TP_CALL(t, WF_NR_getcwd, buf, 256), len - 2);
	ck_assert_str_eq(tp_host(t, buf), t->dir);
	host_file("f", "");
	ck_assert_int_eq(TP_CALL(t, WF_NR_chdir, tp_str(t, "f")), -ENOTDIR);
	ck_assert_int_eq(TP_CALL(t, WF_NR_chdir, tp_str(t, "nope")), -ENOENT);

	int64_t dfd = TP_CALL(t, WF_NR_openat, AT_CWD, tp_str(t, "d"), O_RD | GO_DIRECTORY, 0);
	ck_assert_int_ge(dfd, 3);
	ck_assert_int_eq(TP_CALL(t, WF_NR_fchdir, dfd), 0);
	ck_assert_str_eq((char *)t->p.cwd, want);
	int64_t ffd = TP_CALL(t, WF_NR_openat, AT_CWD, tp_str(t, "../f"), O_RD, 0);
	ck_assert_int_ge(ffd, 3);
	ck_assert_int_eq(TP_CALL(t, WF_NR_fchdir, ffd), -ENOTDIR);
	ck_assert_int_eq(TP_CALL(t, WF_NR_fchdir, 1), -ENOTDIR);
	ck_assert_int_eq(TP_CALL(t, WF_NR_fchdir, 50), -EBADF);
	/* AT_EMPTY_PATH with AT_FDCWD stats the cwd. */
	wf_gaddr_t st = tp_alloc(t, 128);
	ck_assert_int_eq(TP_CALL(t, WF_NR_newfstatat, AT_CWD, tp_str(t, ""), st, GAT_EMPTY), 0);
	ck_assert_uint_eq(st_mode(st) & S_IFMT, S_IFDIR);
}
END_TEST

/* A host directory shown at another guest path, as through a bind mount. */
START_TEST(test_allow_at)
{
	char sub[128], got[256];
	snprintf(sub, sizeof(sub), "%s/sub", t->dir);
	ck_assert_int_eq(mkdir(sub, 0755), 0);
	host_file("sub/f", "bound");
	ck_assert_int_eq(wf_proc_allow_at(&t->p, sub, "/data/", false), 0);
	ck_assert_int_eq(wf_proc_allow_at(&t->p, sub, "data", false), -EINVAL);

	/* Reachable at the guest path, read-only there; still writable at its own path. */
	int64_t fd = TP_CALL(t, WF_NR_openat, AT_CWD, tp_str(t, "/data/f"), O_RD, 0);
	ck_assert_int_ge(fd, 3);
	wf_gaddr_t buf = tp_alloc(t, 16);
	ck_assert_int_eq(TP_CALL(t, WF_NR_read, fd, buf, 16), 5);
	ck_assert_int_eq(memcmp(tp_host(t, buf), "bound", 5), 0);
	ck_assert_int_eq(TP_CALL(t, WF_NR_openat, AT_CWD, tp_str(t, "/data/g"),
				 O_WR | GO_CREAT, 0644), -EACCES);
	ck_assert_int_ge(gopen("sub/g", O_WR | GO_CREAT, 0644), 3);

	/* Host paths map back to the guest's view, the closest entry winning. */
	char deep[160];
	snprintf(deep, sizeof(deep), "%s/x/y", sub);
	ck_assert_int_eq(wf_proc_guest_path(&t->p, deep, got, sizeof(got)), 0);
	ck_assert_str_eq(got, "/data/x/y");
	ck_assert_int_eq(wf_proc_guest_path(&t->p, sub, got, sizeof(got)), 0);
	ck_assert_str_eq(got, "/data");
	ck_assert_int_eq(wf_proc_guest_path(&t->p, t->dir, got, sizeof(got)), 0);
	ck_assert_str_eq(got, t->dir);
	ck_assert_int_eq(wf_proc_guest_path(&t->p, "/usr", got, sizeof(got)), -ENOENT);
	snprintf(deep, sizeof(deep), "%sx", sub); /* a sibling with a longer name */
	ck_assert_int_eq(wf_proc_guest_path(&t->p, deep, got, sizeof(got)), 0);
	ck_assert_str_eq(got, deep);

	/* The cwd by guest path; only what the guest sees. */
	ck_assert_int_eq(wf_fs_chdir(&t->p, "/data"), 0);
	ck_assert_str_eq(t->p.cwd, "/data");
	ck_assert_int_ge(TP_CALL(t, WF_NR_openat, AT_CWD, tp_str(t, "f"), O_RD, 0), 3);
	ck_assert_int_eq(wf_fs_chdir(&t->p, "/elsewhere"), -ENOENT);
	ck_assert_int_eq(wf_fs_chdir(&t->p, "/data/f"), -ENOTDIR);
	ck_assert_str_eq(t->p.cwd, "/data");

	/* The same guest path again: the new directory and permission replace the old. */
	char other[128];
	snprintf(other, sizeof(other), "%s/other", t->dir);
	ck_assert_int_eq(mkdir(other, 0755), 0);
	ck_assert_int_eq(wf_proc_allow_at(&t->p, other, "/data", true), 0);
	ck_assert_int_eq(TP_CALL(t, WF_NR_openat, AT_CWD, tp_str(t, "/data/f"), O_RD, 0), -ENOENT);
	ck_assert_int_ge(TP_CALL(t, WF_NR_openat, AT_CWD, tp_str(t, "/data/new"),
				 O_WR | GO_CREAT, 0644), 3);
	snprintf(deep, sizeof(deep), "%s/new", other);
	ck_assert_int_eq(access(deep, F_OK), 0);
	ck_assert_int_eq(wf_proc_allow_at(&t->p, "/nonexistent-wf", "/data", true), -ENOENT);
	ck_assert_int_ge(TP_CALL(t, WF_NR_openat, AT_CWD, tp_str(t, "/data/new"), O_RD, 0), 3);
}
END_TEST

START_TEST(test_mkdir_unlink_rename)
{
	wf_gaddr_t st = tp_alloc(t, 128);
	ck_assert_int_eq(TP_CALL(t, WF_NR_mkdirat, AT_CWD, tp_path(t, "d"), 0700), 0);
	ck_assert_int_eq(TP_CALL(t, WF_NR_mkdirat, AT_CWD, tp_path(t, "d"), 0700), -EEXIST);
	ck_assert_int_eq(TP_CALL(t, WF_NR_mkdirat, AT_CWD, tp_path(t, ""), 0700), -EEXIST);
	ck_assert_int_eq(TP_CALL(t, WF_NR_mkdirat, AT_CWD, tp_path(t, "no/d"), 0700), -ENOENT);
	ck_assert_int_eq(TP_CALL(t, WF_NR_mkdirat, AT_CWD, tp_str(t, "/tmp/wf-x"), 0700), -ENOENT);
	ck_assert_int_eq(TP_CALL(t, WF_NR_newfstatat, AT_CWD, tp_path(t, "d"), st, 0), 0);
	ck_assert_uint_eq(st_mode(st), S_IFDIR | 0700);

	int64_t fd = gopen("d/f", O_WR | GO_CREAT | GO_EXCL, 0600);
	ck_assert_int_ge(fd, 3);
	ck_assert_int_eq(gopen("d/f", O_WR | GO_CREAT | GO_EXCL, 0600), -EEXIST);
	ck_assert_int_eq(gwrite(fd, "12345678"), 8);
	ck_assert_int_eq(TP_CALL(t, WF_NR_ftruncate, fd, 3), 0);
	ck_assert_int_eq(TP_CALL(t, WF_NR_ftruncate, fd, -1), -EINVAL);
	ck_assert_int_eq(TP_CALL(t, WF_NR_fsync, fd), 0);
	ck_assert_int_eq(TP_CALL(t, WF_NR_fdatasync, fd), 0);
	ck_assert_int_eq(TP_CALL(t, WF_NR_fsync, 1), -EINVAL);
	ck_assert_int_eq(TP_CALL(t, WF_NR_fsync, 66), -EBADF);
	ck_assert_int_eq(TP_CALL(t, WF_NR_fstat, fd, st), 0);
	ck_assert_int_eq(st_size(st), 3);

	ck_assert_int_eq(TP_CALL(t, WF_NR_unlinkat, AT_CWD, tp_path(t, "d"), 0), -EISDIR);
	ck_assert_int_eq(TP_CALL(t, WF_NR_unlinkat, AT_CWD, tp_path(t, "d"), GAT_REMOVEDIR),
			 -ENOTEMPTY);
	ck_assert_int_eq(TP_CALL(t, WF_NR_unlinkat, AT_CWD, tp_path(t, "d/."), GAT_REMOVEDIR),
			 -EINVAL);
	ck_assert_int_eq(TP_CALL(t, WF_NR_unlinkat, AT_CWD, tp_path(t, ""), GAT_REMOVEDIR),
			 -EBUSY);
	ck_assert_int_eq(TP_CALL(t, WF_NR_unlinkat, AT_CWD, tp_path(t, "d/f"), 1), -EINVAL);

	ck_assert_int_eq(
		TP_CALL(t, WF_NR_renameat, AT_CWD, tp_path(t, "d/f"), AT_CWD, tp_path(t, "g")), 0);
	ck_assert_int_eq(TP_CALL(t, WF_NR_newfstatat, AT_CWD, tp_path(t, "d/f"), st, 0), -ENOENT);
	ck_assert_int_eq(TP_CALL(t, WF_NR_newfstatat, AT_CWD, tp_path(t, "g"), st, 0), 0);
	ck_assert_int_eq(st_size(st), 3);
	/* Either end outside the allow-list is missing. */
	ck_assert_int_eq(
		TP_CALL(t, WF_NR_renameat, AT_CWD, tp_path(t, "g"), AT_CWD, tp_str(t, "/tmp/wf-y")),
		-ENOENT);
	ck_assert_int_eq(
		TP_CALL(t, WF_NR_renameat, AT_CWD, tp_str(t, "/etc/hosts"), AT_CWD, tp_path(t, "h")),
		-ENOENT);

	ck_assert_int_eq(TP_CALL(t, WF_NR_unlinkat, AT_CWD, tp_path(t, "g/"), 0), -ENOTDIR);
	ck_assert_int_eq(TP_CALL(t, WF_NR_unlinkat, AT_CWD, tp_path(t, "g"), 0), 0);
	ck_assert_int_eq(TP_CALL(t, WF_NR_unlinkat, AT_CWD, tp_path(t, "g"), 0), -ENOENT);
	ck_assert_int_eq(TP_CALL(t, WF_NR_unlinkat, AT_CWD, tp_path(t, "d/"), GAT_REMOVEDIR), 0);
	ck_assert_int_eq(TP_CALL(t, WF_NR_newfstatat, AT_CWD, tp_path(t, "d"), st, 0), -ENOENT);
}
END_TEST

START_TEST(test_links)
{
	wf_gaddr_t st = tp_alloc(t, 128), buf = tp_alloc(t, 64);
	host_file("f", "data");
	/* symlinkat: the target is stored as given, followed beneath the allowed directory. */
	ck_assert_int_eq(TP_CALL(t, WF_NR_symlinkat, tp_str(t, "f"), AT_CWD, tp_path(t, "s")), 0);
	ck_assert_int_eq(TP_CALL(t, WF_NR_readlinkat, AT_CWD, tp_path(t, "s"), buf, 64), 1);
	ck_assert_int_ge(gopen("s", O_RD, 0), 3);
	ck_assert_int_eq(TP_CALL(t, WF_NR_symlinkat, tp_str(t, "x"), AT_CWD, tp_path(t, "s")),
			 -EEXIST);
	ck_assert_int_eq(TP_CALL(t, WF_NR_symlinkat, tp_str(t, ""), AT_CWD, tp_path(t, "e")),
			 -ENOENT);
	ck_assert_int_eq(TP_CALL(t, WF_NR_symlinkat, 8, AT_CWD, tp_path(t, "e")), -EFAULT);
	ck_assert_int_eq(TP_CALL(t, WF_NR_symlinkat, tp_str(t, "/etc/passwd"), AT_CWD,
				 tp_path(t, "evil")), 0);
	ck_assert_int_eq(gopen("evil", O_RD, 0), -ENOENT);

	/* linkat: a second name; following a link to outside the allow-list finds nothing. */
	ck_assert_int_eq(TP_CALL(t, WF_NR_linkat, AT_CWD, tp_path(t, "f"), AT_CWD,
				 tp_path(t, "h"), 0), 0);
	ck_assert_int_eq(TP_CALL(t, WF_NR_newfstatat, AT_CWD, tp_path(t, "f"), st, 0), 0);
	ck_assert_uint_eq(*(uint32_t *)tp_host(t, st + 20), 2); /* st_nlink */
	ck_assert_int_eq(TP_CALL(t, WF_NR_linkat, AT_CWD, tp_path(t, "s"), AT_CWD,
				 tp_path(t, "sf"), GAT_SYMLINK_FOLLOW), 0);
	ck_assert_int_eq(TP_CALL(t, WF_NR_newfstatat, AT_CWD, tp_path(t, "sf"), st, GAT_NOFOLLOW),
			 0);
	ck_assert_uint_eq(st_mode(st) & S_IFMT, S_IFREG);
	ck_assert_int_eq(TP_CALL(t, WF_NR_linkat, AT_CWD, tp_path(t, "s"), AT_CWD,
				 tp_path(t, "sl"), 0), 0);
	ck_assert_int_eq(TP_CALL(t, WF_NR_newfstatat, AT_CWD, tp_path(t, "sl"), st, GAT_NOFOLLOW),
			 0);
	ck_assert_uint_eq(st_mode(st) & S_IFMT, S_IFLNK);
	ck_assert_int_eq(TP_CALL(t, WF_NR_linkat, AT_CWD, tp_path(t, "evil"), AT_CWD,
				 tp_path(t, "stolen"), GAT_SYMLINK_FOLLOW), -ENOENT);
	ck_assert_int_eq(TP_CALL(t, WF_NR_linkat, AT_CWD, tp_path(t, "f"), AT_CWD,
				 tp_path(t, "h"), 0), -EEXIST);
	ck_assert_int_eq(TP_CALL(t, WF_NR_linkat, AT_CWD, tp_path(t, "f"), AT_CWD,
				 tp_path(t, "h2"), 1), -EINVAL);
	ck_assert_int_eq(TP_CALL(t, WF_NR_linkat, AT_CWD, tp_path(t, ""), AT_CWD,
				 tp_path(t, "h2"), 0), -EPERM);
	ck_assert_int_eq(TP_CALL(t, WF_NR_linkat, AT_CWD, tp_str(t, "/etc/hosts"), AT_CWD,
				 tp_path(t, "h2"), 0), -ENOENT);

	/* A file of a read-only allowed directory gets no writable name. */
	char ro[256];
	snprintf(ro, sizeof(ro), "%s/ro", t->dir);
	ck_assert_int_eq(mkdir(ro, 0755), 0);
	host_file("ro/r", "ro");
	ck_assert_int_eq(wf_proc_allow(&t->p, ro, false), 0);
	char ro_new[300];
	snprintf(ro_new, sizeof(ro_new), "%s/ro/new", t->dir);
	ck_assert_int_eq(TP_CALL(t, WF_NR_linkat, AT_CWD, tp_path(t, "ro/r"), AT_CWD,
				 tp_path(t, "w"), 0), -EXDEV);
	ck_assert_int_eq(TP_CALL(t, WF_NR_linkat, AT_CWD, tp_path(t, "ro/r"), AT_CWD,
				 tp_path(t, "w"), GAT_SYMLINK_FOLLOW), -EXDEV);
	ck_assert_int_eq(TP_CALL(t, WF_NR_symlinkat, tp_str(t, "r"), AT_CWD, tp_path(t, "ro/s")),
			 -EACCES);

	/* An absolute symlink is a guest path: it leads where the allow-list says, and a
	 * write through it needs a writable allowed directory at its end. */
	char abs[300];
	snprintf(abs, sizeof(abs), "%s/f", t->dir);
	ck_assert_int_eq(TP_CALL(t, WF_NR_symlinkat, tp_str(t, abs), AT_CWD, tp_path(t, "abs")), 0);
	int64_t fd = gopen("abs", O_RD, 0);
	ck_assert_int_ge(fd, 3);
	ck_assert_int_eq(TP_CALL(t, WF_NR_read, fd, buf, 64), 4);
	snprintf(abs, sizeof(abs), "%s/ro/r", t->dir);
	ck_assert_int_eq(TP_CALL(t, WF_NR_symlinkat, tp_str(t, abs), AT_CWD, tp_path(t, "tor")), 0);
	ck_assert_int_ge(gopen("tor", O_RD, 0), 3);
	ck_assert_int_eq(gopen("tor", O_WR, 0), -EACCES);
	snprintf(abs, sizeof(abs), "%s/ro", t->dir);
	ck_assert_int_eq(TP_CALL(t, WF_NR_symlinkat, tp_str(t, abs), AT_CWD, tp_path(t, "rodir")), 0);
	ck_assert_int_eq(TP_CALL(t, WF_NR_mkdirat, AT_CWD, tp_path(t, "rodir/x"), 0755), -EACCES);
	/* Where the host says the file is decides: a relative link into the nested read-only
	 * directory, or a second name made through a link, gives no write access. */
	ck_assert_int_eq(TP_CALL(t, WF_NR_symlinkat, tp_str(t, "ro"), AT_CWD, tp_path(t, "via")), 0);
	ck_assert_int_eq(gopen("via/r", O_WR | GO_TRUNC, 0), -EACCES);
	ck_assert_int_eq(gopen("via/r", O_RW, 0), -EACCES);
	ck_assert_int_eq(gopen("via/new", O_WR | GO_CREAT, 0644), -EACCES);
	ck_assert_int_eq(access(ro_new, F_OK), -1);
	ck_assert_int_eq(gopen("via/r", O_RD | GO_TRUNC, 0), -EACCES);
	ck_assert_int_eq(TP_CALL(t, WF_NR_symlinkat, tp_str(t, "r"), AT_CWD, tp_path(t, "via/s")),
			 -EACCES);
	ck_assert_int_eq(TP_CALL(t, WF_NR_mkdirat, AT_CWD, tp_path(t, "via/d"), 0755), -EACCES);
	ck_assert_int_eq(TP_CALL(t, WF_NR_linkat, AT_CWD, tp_path(t, "tor"), AT_CWD,
				 tp_path(t, "pwn"), GAT_SYMLINK_FOLLOW), -EXDEV);
	ck_assert_int_eq(TP_CALL(t, WF_NR_newfstatat, AT_CWD, tp_path(t, "ro/r"), st, 0), 0);
	ck_assert_int_eq(st_size(st), 2); /* untouched */
	ck_assert_int_eq(TP_CALL(t, WF_NR_symlinkat, tp_str(t, "/loop"), AT_CWD, tp_path(t, "x")), 0);
	ck_assert_int_eq(gopen("x", O_RD, 0), -ENOENT);

	/* renameat2: NOREPLACE, EXCHANGE, and the flags Linux refuses. */
	ck_assert_int_eq(TP_CALL(t, WF_NR_renameat2, AT_CWD, tp_path(t, "h"), AT_CWD,
				 tp_path(t, "f"), GRENAME_NOREPLACE), -EEXIST);
	host_file("g", "other!");
	ck_assert_int_eq(TP_CALL(t, WF_NR_renameat2, AT_CWD, tp_path(t, "g"), AT_CWD,
				 tp_path(t, "f"), GRENAME_EXCHANGE), 0);
	ck_assert_int_eq(TP_CALL(t, WF_NR_newfstatat, AT_CWD, tp_path(t, "f"), st, 0), 0);
	ck_assert_int_eq(st_size(st), 6);
	ck_assert_int_eq(TP_CALL(t, WF_NR_renameat2, AT_CWD, tp_path(t, "g"), AT_CWD,
				 tp_path(t, "f"), GRENAME_EXCHANGE | GRENAME_NOREPLACE), -EINVAL);
	ck_assert_int_eq(TP_CALL(t, WF_NR_renameat2, AT_CWD, tp_path(t, "g"), AT_CWD,
				 tp_path(t, "f"), 8), -EINVAL);
	ck_assert_int_eq(TP_CALL(t, WF_NR_renameat2, AT_CWD, tp_path(t, "g"), AT_CWD,
				 tp_path(t, "n"), GRENAME_NOREPLACE), 0);
	ck_assert_int_eq(TP_CALL(t, WF_NR_renameat2, AT_CWD, tp_path(t, "ro/r"), AT_CWD,
				 tp_path(t, "n2"), 0), -EACCES);
}
END_TEST

START_TEST(test_umask_and_modes)
{
	wf_gaddr_t st = tp_alloc(t, 128);
	ck_assert_int_eq(TP_CALL(t, WF_NR_umask, 0), 022);
	int64_t fd = gopen("open", O_WR | GO_CREAT, 0666);
	ck_assert_int_ge(fd, 3);
	ck_assert_int_eq(TP_CALL(t, WF_NR_fstat, fd, st), 0);
	ck_assert_uint_eq(st_mode(st), S_IFREG | 0666);
	/* An existing file keeps its mode. */
	ck_assert_int_eq(TP_CALL(t, WF_NR_umask, 077), 0);
	fd = gopen("open", O_WR | GO_CREAT, 0600);
	ck_assert_int_eq(TP_CALL(t, WF_NR_fstat, fd, st), 0);
	ck_assert_uint_eq(st_mode(st), S_IFREG | 0666);
	fd = gopen("closed", O_WR | GO_CREAT, 0666);
	ck_assert_int_eq(TP_CALL(t, WF_NR_fstat, fd, st), 0);
	ck_assert_uint_eq(st_mode(st), S_IFREG | 0600);
	/* F_GETFL: the access mode plus O_LARGEFILE (0400000 on arm64); O_CREAT is gone. */
	ck_assert_int_eq(TP_CALL(t, WF_NR_fcntl, fd, 3, 0), O_WR | 0400000);
}
END_TEST

START_TEST(test_stdio_stat)
{
	wf_gaddr_t st = tp_alloc(t, 128);
	ck_assert_int_eq(TP_CALL(t, WF_NR_fstat, 1, st), 0);
	ck_assert_uint_eq(st_mode(st) & S_IFMT, S_IFIFO);
	ck_assert_int_eq(TP_CALL(t, WF_NR_fstat, 9, st), -EBADF);
	ck_assert_int_eq(TP_CALL(t, WF_NR_fstat, 0, 0x10), -EFAULT);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("fs");
	TCase *tc = tcase_create("fs");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_open_write_read);
	tcase_add_test(tc, test_allow_list_denial);
	tcase_add_test(tc, test_symlinks);
	tcase_add_test(tc, test_read_only_dir);
	tcase_add_test(tc, test_efault);
	tcase_add_test(tc, test_getdents);
	tcase_add_test(tc, test_cwd);
	tcase_add_test(tc, test_allow_at);
	tcase_add_test(tc, test_mkdir_unlink_rename);
	tcase_add_test(tc, test_links);
	tcase_add_test(tc, test_umask_and_modes);
	tcase_add_test(tc, test_stdio_stat);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return wf_check_run(suite());
}
