// SPDX-License-Identifier: Apache-2.0
/* fsmeta.c: file metadata: extended attributes, statfs, truncate, chmod, chown and utimensat, on the host's files. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "linux/syscall.h"

/* Guest (asm-generic) values. */
enum {
	G_AT_FDCWD = -100,
	G_AT_SYMLINK_NOFOLLOW = 0x100,
	G_AT_EMPTY_PATH = 0x1000,
	G_XATTR_CREATE = 1,
	G_XATTR_REPLACE = 2,
	G_XATTR_NAME_MAX = 255,
	G_XATTR_SIZE_MAX = 65536,
	G_XATTR_LIST_MAX = 65536,
	G_O_PATH = 010000000,
};

/* arm64's struct statfs (asm-generic, 64-bit words). */
struct g_statfs {
	int64_t type, bsize;
	uint64_t blocks, bfree, bavail, files, ffree;
	int32_t fsid[2];
	int64_t namelen, frsize, flags, spare[4];
};
_Static_assert(sizeof(struct g_statfs) == 120, "arm64 struct statfs");

/*
 * A file a path call names, as a host path: /proc/self/fd/N of an O_PATH fd opened beneath
 * its allowed directory (the host's *at calls cannot take such an fd for these operations;
 * its magic link names exactly that file, and a symlink itself when nofollow).
 */
struct target {
	int own;
	bool writable;
	char path[40];
};

static int target_at(struct wf_proc *p, uint64_t dirfd, uint64_t addr, int at_flags,
		     struct target *t)
{
	int hfd;
	int rc = wf_fs_at(p, (int)(uint32_t)dirfd, addr, at_flags, &hfd, &t->own, &t->writable);
	if (rc)
		return rc;
	snprintf(t->path, sizeof(t->path), "/proc/self/fd/%d", hfd);
	return 0;
}

static int open_target(struct wf_proc *p, uint64_t addr, bool nofollow, struct target *t)
{
	return target_at(p, (uint64_t)G_AT_FDCWD, addr, nofollow ? G_AT_SYMLINK_NOFOLLOW : 0, t);
}

static int64_t done(struct target *t, int64_t rc)
{
	if (t->own >= 0)
		close(t->own);
	return rc;
}

/* A descriptor argument that must be a real open file (not O_PATH, not the printer). */
static struct wf_fd *file_fd(struct wf_proc *p, uint64_t fd)
{
	struct wf_fd *f = wf_fd_get(p, (int)(uint32_t)fd);
	return f && f->kind != WF_FD_OUTPUT && !(f->flags & G_O_PATH) ? f : NULL;
}

/* An attribute name: 1..255 bytes (ERANGE otherwise, as Linux). */
static int get_name(struct wf_proc *p, uint64_t addr, char name[G_XATTR_NAME_MAX + 1])
{
	int64_t n = wf_mem_strnlen(&p->mem, addr, G_XATTR_NAME_MAX + 1);
	if (n == -ENAMETOOLONG || n == 0)
		return -ERANGE;
	if (n < 0 || wf_mem_read(&p->mem, name, addr, (uint64_t)n + 1))
		return -EFAULT;
	return 0;
}

/* The end of getxattr and listxattr: n bytes of buf (a host call's result, -1: errno) to the
 * guest's addr unless only the size was asked for (size 0). */
static int64_t xattr_out(struct wf_proc *p, struct target *t, char *buf, ssize_t n,
			 uint64_t size, uint64_t addr)
{
	int64_t rc = n < 0 ? -errno : n;
	if (n > 0 && size && wf_mem_write(&p->mem, addr, buf, (uint64_t)n))
		rc = -EFAULT;
	free(buf);
	return done(t, rc);
}

/* The xattr calls' first argument: kind 0 names a path, 1 a path without following a last
 * symlink, 2 a descriptor (*f; else NULL and the path in *t). */
static int64_t xattr_open(struct wf_proc *p, uint64_t arg, int kind, struct target *t,
			  struct wf_fd **f)
{
	t->own = -1;
	*f = NULL;
	if (kind == 2)
		return (*f = file_fd(p, arg)) ? 0 : -EBADF;
	return open_target(p, arg, kind == 1, t);
}

static int64_t xattr_get(struct wf_proc *p, const uint64_t a[6], int kind)
{
	struct target t;
	struct wf_fd *f;
	int64_t rc = xattr_open(p, a[0], kind, &t, &f);
	if (rc)
		return rc;
	char name[G_XATTR_NAME_MAX + 1];
	uint64_t size = a[3] > G_XATTR_SIZE_MAX ? G_XATTR_SIZE_MAX : a[3];
	if ((rc = get_name(p, a[1], name)))
		return done(&t, rc);
	char *buf = malloc(size ? size : 1);
	if (!buf)
		return done(&t, -ENOMEM);
	ssize_t n = f ? fgetxattr(f->host_fd, name, buf, size) : getxattr(t.path, name, buf, size);
	return xattr_out(p, &t, buf, n, size, a[2]);
}

static int64_t xattr_set(struct wf_proc *p, const uint64_t a[6], int kind)
{
	struct target t;
	struct wf_fd *f;
	int64_t rc = xattr_open(p, a[0], kind, &t, &f);
	if (rc)
		return rc;
	int flags = (int)a[4];
	if (flags & ~(G_XATTR_CREATE | G_XATTR_REPLACE))
		return done(&t, -EINVAL);
	char name[G_XATTR_NAME_MAX + 1];
	if ((rc = get_name(p, a[1], name)))
		return done(&t, rc);
	if (a[3] > G_XATTR_SIZE_MAX)
		return done(&t, -E2BIG);
	char *buf = malloc(a[3] ? a[3] : 1);
	if (!buf)
		return done(&t, -ENOMEM);
	if (a[3] && wf_mem_read(&p->mem, buf, a[2], a[3]))
		rc = -EFAULT;
	else if (!(f ? f->writable : t.writable))
		rc = -EACCES; /* a read-only allowed directory */
	else {
		int hflags = (flags & G_XATTR_CREATE ? XATTR_CREATE : 0) |
			     (flags & G_XATTR_REPLACE ? XATTR_REPLACE : 0);
		int r = f ? fsetxattr(f->host_fd, name, buf, a[3], hflags) :
			    setxattr(t.path, name, buf, a[3], hflags);
		rc = r ? -errno : 0;
	}
	free(buf);
	return done(&t, rc);
}

static int64_t xattr_list(struct wf_proc *p, const uint64_t a[6], int kind)
{
	struct target t;
	struct wf_fd *f;
	int64_t rc = xattr_open(p, a[0], kind, &t, &f);
	if (rc)
		return rc;
	uint64_t size = a[2] > G_XATTR_LIST_MAX ? G_XATTR_LIST_MAX : a[2];
	char *buf = malloc(size ? size : 1);
	if (!buf)
		return done(&t, -ENOMEM);
	ssize_t n = f ? flistxattr(f->host_fd, buf, size) : listxattr(t.path, buf, size);
	return xattr_out(p, &t, buf, n, size, a[1]);
}

static int64_t xattr_remove(struct wf_proc *p, const uint64_t a[6], int kind)
{
	struct target t;
	struct wf_fd *f;
	int64_t rc = xattr_open(p, a[0], kind, &t, &f);
	if (rc)
		return rc;
	char name[G_XATTR_NAME_MAX + 1];
	if ((rc = get_name(p, a[1], name)))
		return done(&t, rc);
	if (!(f ? f->writable : t.writable))
		return done(&t, -EACCES);
	int r = f ? fremovexattr(f->host_fd, name) : removexattr(t.path, name);
	return done(&t, r ? -errno : 0);
}

#define XATTR_FNS(op)                                                                              \
	static int64_t sys_##op##xattr(struct wf_proc *p, const uint64_t a[6])                      \
	{                                                                                          \
		return xattr_##op(p, a, 0);                                                        \
	}                                                                                          \
	static int64_t sys_l##op##xattr(struct wf_proc *p, const uint64_t a[6])                     \
	{                                                                                          \
		return xattr_##op(p, a, 1);                                                        \
	}                                                                                          \
	static int64_t sys_f##op##xattr(struct wf_proc *p, const uint64_t a[6])                     \
	{                                                                                          \
		return xattr_##op(p, a, 2);                                                        \
	}
XATTR_FNS(get)
XATTR_FNS(set)
XATTR_FNS(list)
XATTR_FNS(remove)

static int64_t put_statfs(struct wf_proc *p, uint64_t addr, const struct statfs *s)
{
	struct g_statfs g = {
		.type = (int64_t)s->f_type, .bsize = (int64_t)s->f_bsize, .blocks = s->f_blocks,
		.bfree = s->f_bfree, .bavail = s->f_bavail, .files = s->f_files, .ffree = s->f_ffree,
		.namelen = (int64_t)s->f_namelen, .frsize = (int64_t)s->f_frsize,
		.flags = (int64_t)s->f_flags,
	};
	memcpy(g.fsid, &s->f_fsid, sizeof(g.fsid));
	return wf_mem_write(&p->mem, addr, &g, sizeof(g)) ? -EFAULT : 0;
}

static int64_t sys_statfs(struct wf_proc *p, const uint64_t a[6])
{
	struct target t = {.own = -1};
	int64_t rc = open_target(p, a[0], false, &t);
	if (rc)
		return rc;
	struct statfs s;
	rc = fstatfs(t.own, &s) ? -errno : put_statfs(p, a[1], &s);
	return done(&t, rc);
}

static int64_t sys_fstatfs(struct wf_proc *p, const uint64_t a[6])
{
	struct wf_fd *f = wf_fd_get(p, (int)(uint32_t)a[0]);
	if (!f)
		return -EBADF;
	struct statfs s;
	if (f->kind == WF_FD_OUTPUT ? statfs("/dev", &s) : fstatfs(f->host_fd, &s))
		return -errno;
	return put_statfs(p, a[1], &s);
}

static int64_t sys_truncate(struct wf_proc *p, const uint64_t a[6])
{
	if ((int64_t)a[1] < 0)
		return -EINVAL;
	struct target t = {.own = -1};
	int64_t rc = open_target(p, a[0], false, &t);
	if (rc)
		return rc;
	if (!t.writable)
		return done(&t, -EACCES);
	return done(&t, truncate(t.path, (off_t)a[1]) ? -errno : 0);
}

static int64_t sys_fchmod(struct wf_proc *p, const uint64_t a[6])
{
	struct wf_fd *f = file_fd(p, a[0]);
	if (!f)
		return -EBADF;
	if (!f->writable)
		return -EACCES;
	return fchmod(f->host_fd, (mode_t)a[1] & 07777) ? -errno : 0;
}

/* The path calls that change a file: dirfd-relative, checked writable, done on the magic
 * link (follow: the file a last symlink names). */
static int64_t at_change(struct wf_proc *p, uint64_t dirfd, uint64_t addr, int at_flags,
			 struct target *t)
{
	int rc = target_at(p, dirfd, addr, at_flags, t);
	return rc ? rc : t->writable ? 0 : -EACCES;
}

static int64_t sys_fchmodat(struct wf_proc *p, const uint64_t a[6])
{
	struct target t = {.own = -1};
	int64_t rc = at_change(p, a[0], a[1], 0, &t);
	if (rc)
		return done(&t, rc);
	return done(&t, chmod(t.path, (mode_t)a[2] & 07777) ? -errno : 0);
}

static int64_t sys_fchown(struct wf_proc *p, const uint64_t a[6])
{
	struct wf_fd *f = file_fd(p, a[0]);
	if (!f)
		return -EBADF;
	if (!f->writable)
		return -EACCES;
	return fchown(f->host_fd, (uid_t)a[1], (gid_t)a[2]) ? -errno : 0;
}

static int64_t sys_fchownat(struct wf_proc *p, const uint64_t a[6])
{
	int flags = (int)a[4];
	if (flags & ~(G_AT_SYMLINK_NOFOLLOW | G_AT_EMPTY_PATH))
		return -EINVAL;
	struct target t = {.own = -1};
	int64_t rc = at_change(p, a[0], a[1], flags, &t);
	if (rc)
		return done(&t, rc);
	int hfd = t.own >= 0 ? t.own : -1;
	if (hfd < 0)
		rc = fchownat(AT_FDCWD, t.path, (uid_t)a[2], (gid_t)a[3], 0) ? -errno : 0;
	else
		rc = fchownat(hfd, "", (uid_t)a[2], (gid_t)a[3], AT_EMPTY_PATH) ? -errno : 0;
	return done(&t, rc);
}

static int64_t sys_utimensat(struct wf_proc *p, const uint64_t a[6])
{
	int flags = (int)a[3];
	if (flags & ~(G_AT_SYMLINK_NOFOLLOW | G_AT_EMPTY_PATH))
		return -EINVAL;
	struct timespec ts[2];
	if (a[2] && wf_mem_read(&p->mem, ts, a[2], sizeof(ts)))
		return -EFAULT;
	struct target t = {.own = -1};
	int64_t rc;
	if (!a[1]) { /* futimens: the descriptor itself */
		struct wf_fd *f = file_fd(p, a[0]);
		if (!f)
			return -EBADF;
		if (!f->writable)
			return -EACCES;
		return futimens(f->host_fd, a[2] ? ts : NULL) ? -errno : 0;
	}
	rc = at_change(p, a[0], a[1], flags, &t);
	if (rc)
		return done(&t, rc);
	return done(&t, utimensat(AT_FDCWD, t.path, a[2] ? ts : NULL, 0) ? -errno : 0);
}

const struct wf_syscall_def wf_sys_fsmeta[] = {
	{WF_NR_setxattr, "setxattr", sys_setxattr, "sspux"},
	{WF_NR_lsetxattr, "lsetxattr", sys_lsetxattr, "sspux"},
	{WF_NR_fsetxattr, "fsetxattr", sys_fsetxattr, "fspux"},
	{WF_NR_getxattr, "getxattr", sys_getxattr, "sspu"},
	{WF_NR_lgetxattr, "lgetxattr", sys_lgetxattr, "sspu"},
	{WF_NR_fgetxattr, "fgetxattr", sys_fgetxattr, "fspu"},
	{WF_NR_listxattr, "listxattr", sys_listxattr, "spu"},
	{WF_NR_llistxattr, "llistxattr", sys_llistxattr, "spu"},
	{WF_NR_flistxattr, "flistxattr", sys_flistxattr, "fpu"},
	{WF_NR_removexattr, "removexattr", sys_removexattr, "ss"},
	{WF_NR_lremovexattr, "lremovexattr", sys_lremovexattr, "ss"},
	{WF_NR_fremovexattr, "fremovexattr", sys_fremovexattr, "fs"},
	{WF_NR_statfs, "statfs", sys_statfs, "sp"},
	{WF_NR_fstatfs, "fstatfs", sys_fstatfs, "fp"},
	{WF_NR_truncate, "truncate", sys_truncate, "sd"},
	{WF_NR_fchmod, "fchmod", sys_fchmod, "fo"},
	{WF_NR_fchmodat, "fchmodat", sys_fchmodat, "fso"},
	{WF_NR_fchown, "fchown", sys_fchown, "fdd"},
	{WF_NR_fchownat, "fchownat", sys_fchownat, "fsddx"},
	{WF_NR_utimensat, "utimensat", sys_utimensat, "fspx"},
	{0, NULL, NULL, NULL},
};
