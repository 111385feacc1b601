// SPDX-License-Identifier: Apache-2.0
/* fs.c: the fs syscall family: paths under the allow-list, open, stat, directories. */
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "util.h"
#include "linux/syscall.h"

/*
 * Guest paths are host paths, but only what lies at or beneath an allow-listed directory
 * exists: everything else (including "/" and the ancestors of allowed directories that are
 * not allowed themselves) is ENOENT, as if missing. Paths are resolved lexically ("x/.." is
 * "." even when x is a symlink), then opened with openat2(RESOLVE_BENEATH) from the allowed
 * directory, so the host never follows a symlink out of it: such a link, or an absolute
 * one, is followed by the VMM as a guest path against the allow-list (follow_out), and
 * leads nowhere (ENOENT) unless it reaches another allowed place. Writing under a read-only allowed directory is EACCES (Linux would say EROFS).
 * A --sysroot is an allowed "/" opened with RESOLVE_IN_ROOT instead, as chroot would resolve.
 * An fd opened by path remembers its lexical path for *at() and fchdir().
 */

/* Guest (arm64) open flags, spelled out: O_DIRECTORY..O_LARGEFILE differ from x86_64's. */
enum {
	G_O_ACCMODE = 03, G_O_WRONLY = 01,
	G_O_CREAT = 0100, G_O_EXCL = 0200, G_O_NOCTTY = 0400, G_O_TRUNC = 01000,
	G_O_APPEND = 02000, G_O_NONBLOCK = 04000, G_O_DSYNC = 010000, G_O_ASYNC = 020000,
	G_O_DIRECTORY = 040000, G_O_NOFOLLOW = 0100000, G_O_DIRECT = 0200000,
	G_O_LARGEFILE = 0400000, G_O_NOATIME = 01000000, G_O_CLOEXEC = 02000000,
	G_O_SYNC = 04000000, /* __O_SYNC; O_SYNC is __O_SYNC | O_DSYNC */
	G_O_PATH = 010000000,
	G_O_TMPFILE = 020000000, /* __O_TMPFILE; O_TMPFILE adds O_DIRECTORY */
};

/* Guest AT_* values (asm-generic, equal to the host's but spelled out). */
enum {
	G_AT_FDCWD = -100, G_AT_SYMLINK_NOFOLLOW = 0x100, G_AT_REMOVEDIR = 0x200, G_AT_EACCESS = 0x200,
	G_AT_NO_AUTOMOUNT = 0x800, G_AT_EMPTY_PATH = 0x1000, G_AT_STATX_SYNC_TYPE = 0x6000,
	G_STATX_RESERVED = (int)0x80000000u, G_PATH_MAX = 4096,
};

/* Open flags the guest may pass, guest value to host value. */
static const struct {
	int guest, host;
} oflag_map[] = {
	{G_O_CREAT, O_CREAT},         {G_O_EXCL, O_EXCL},       {G_O_NOCTTY, O_NOCTTY},
	{G_O_TRUNC, O_TRUNC},         {G_O_APPEND, O_APPEND},   {G_O_NONBLOCK, O_NONBLOCK},
	{G_O_DSYNC, O_DSYNC},         {G_O_ASYNC, O_ASYNC},     {G_O_DIRECTORY, O_DIRECTORY},
	{G_O_NOFOLLOW, O_NOFOLLOW},   {G_O_DIRECT, O_DIRECT},   {G_O_NOATIME, O_NOATIME},
	{G_O_SYNC, O_SYNC & ~O_DSYNC}, {G_O_PATH, O_PATH},
};

/* The guest's struct stat: the asm-generic layout arm64 uses. Never the host's. */
struct g_stat {
	uint64_t dev, ino;
	uint32_t mode, nlink, uid, gid;
	uint64_t rdev, pad1;
	int64_t size;
	int32_t blksize, pad2;
	int64_t blocks;
	int64_t atime_sec;
	uint64_t atime_nsec;
	int64_t mtime_sec;
	uint64_t mtime_nsec;
	int64_t ctime_sec;
	uint64_t ctime_nsec;
	uint32_t unused4, unused5;
};
_Static_assert(sizeof(struct g_stat) == 128 && offsetof(struct g_stat, mode) == 16 &&
		       offsetof(struct g_stat, rdev) == 32 && offsetof(struct g_stat, size) == 48 &&
		       offsetof(struct g_stat, blksize) == 56 && offsetof(struct g_stat, blocks) == 64 &&
		       offsetof(struct g_stat, atime_sec) == 72 &&
		       offsetof(struct g_stat, mtime_sec) == 88 &&
		       offsetof(struct g_stat, ctime_sec) == 104,
	       "the arm64 struct stat layout");
/* struct statx is fixed-width in the uapi, identical on every architecture. */
_Static_assert(sizeof(struct statx) == 256, "struct statx");

/* A guest path resolved lexically against the allow-list. */
struct gpath {
	char abs[G_PATH_MAX];         /* normalised absolute path, as the guest names it */
	char rel[G_PATH_MAX + 2];     /* relative to allow->dirfd: "." for the dir itself */
	const struct wf_allow *allow; /* the allowed directory it lies beneath */
	bool must_dir;                /* a trailing "/", "." or "..": only a directory will do */
	int last_dot;                 /* the last component was "." (1) or ".." (2) */
	struct wf_proc *p;            /* whose allow-list (to follow a symlink across it) */
};

static int fd_arg(uint64_t a)
{
	return (int)(uint32_t)a;
}

/* base + "/" + path, normalised into gp->abs; records trailing-slash and dot information. */
static int join(struct gpath *gp, const char *base, const char *path)
{
	return wf_path_join(gp->abs, sizeof(gp->abs), base, path, &gp->must_dir, &gp->last_dot);
}

/* Resolve `path` (host string) relative to dirfd against the allow-list (see the top). */
static int resolve_str(struct wf_proc *p, int dirfd, const char *path, struct gpath *gp)
{
	const char *base = "";
	gp->abs[0] = 0;
	gp->allow = NULL;
	gp->p = p;
	if (!path[0])
		return -ENOENT;
	if (path[0] != '/') {
		if (dirfd == G_AT_FDCWD) {
			base = p->cwd;
		} else {
			struct wf_fd *f = wf_fd_get(p, dirfd);
			if (!f)
				return -EBADF;
			if (f->kind != WF_FD_HOST || !f->path || !f->is_dir)
				return -ENOTDIR;
			base = f->path;
		}
	}
	int rc = join(gp, base, path);
	if (rc)
		return rc;
	gp->allow = NULL;
	size_t best = 0;
	for (unsigned i = 0; i < p->nallow; i++) {
		const char *ap = p->allow[i].path;
		size_t n = strlen(ap);
		bool root = n == 1 && ap[0] == '/';
		if (root || (!strncmp(gp->abs, ap, n) && (gp->abs[n] == '/' || !gp->abs[n]))) {
			if (!gp->allow || n > best) {
				gp->allow = &p->allow[i];
				best = root ? 0 : n;
			}
		}
	}
	if (!gp->allow)
		return -ENOENT;
	const char *rest = gp->abs + best;
	while (*rest == '/')
		rest++;
	snprintf(gp->rel, sizeof(gp->rel), "%s%s", *rest ? rest : ".", gp->must_dir ? "/" : "");
	return 0;
}

static int resolve(struct wf_proc *p, int dirfd, wf_gaddr_t addr, struct gpath *gp)
{
	char path[G_PATH_MAX];
	int rc = wf_proc_strdup(p, addr, path, sizeof(path));
	return rc ? rc : resolve_str(p, dirfd, path, gp);
}

static int open_hops(const struct gpath *gp, int hflags, unsigned mode, bool modify, int hops);

/*
 * A symlink that leaves its allowed directory (absolute, or ".." past it: openat2 says
 * EXDEV) is followed as the guest would follow it: the first symlink of gp->rel, its target
 * taken as a guest path (relative to the link's directory), the rest of the path after it,
 * and all of it resolved against the allow-list again. What it reaches must be allowed
 * too, and writable when the open modifies (else EACCES, as a read-only mount).
 */
static int follow_out(const struct gpath *gp, int hflags, unsigned mode, bool modify, int hops)
{
	if (hops <= 0)
		return -ELOOP;
	char target[G_PATH_MAX], path[2 * G_PATH_MAX + 8];
	const char *rel = gp->rel;
	for (size_t i = 1;; i++) {
		if (rel[i] && rel[i] != '/')
			continue;
		struct gpath pre = *gp;
		memcpy(pre.rel, rel, i);
		pre.rel[i] = 0;
		struct open_how how = {.flags = O_PATH | O_NOFOLLOW | O_CLOEXEC,
				       .resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS};
		long fd = syscall(SYS_openat2, gp->allow->dirfd, pre.rel, &how, sizeof(how));
		if (fd < 0)
			return errno == EXDEV ? -ENOENT : -errno;
		ssize_t n = readlinkat((int)fd, "", target, sizeof(target) - 1);
		close((int)fd);
		if (n > 0) {
			target[n] = 0;
			/* The link's directory, as the guest names it: allow path + rel prefix. */
			const char *slash = memrchr(pre.rel, '/', i);
			int dlen = slash ? (int)(slash - pre.rel) : 0;
			if (target[0] == '/')
				snprintf(path, sizeof(path), "%s%s", target, rel + i);
			else
				snprintf(path, sizeof(path), "%s/%.*s/%s%s", gp->allow->path, dlen,
					 pre.rel, target, rel + i);
			struct gpath next;
			int rc = resolve_str(gp->p, G_AT_FDCWD, path, &next);
			if (rc)
				return rc;
			if (modify && !next.allow->write)
				return -EACCES;
			return open_hops(&next, hflags, mode, modify, hops - 1);
		}
		if (!rel[i])
			return -ENOENT; /* no symlink on the way: the escape was something else */
	}
}

/* openat2 beneath the allowed directory; a symlink out of it is followed by follow_out. */
static int open_hops(const struct gpath *gp, int hflags, unsigned mode, bool modify, int hops)
{
	struct open_how how = {
		.flags = (uint64_t)(unsigned)(hflags | O_CLOEXEC),
		.mode = (hflags & O_CREAT) ? mode : 0,
		/* The host's own "/" allowed at "/": its absolute symlinks mean what they say. */
		.resolve = (gp->allow->in_root || !strcmp(gp->allow->host, "/") ? RESOLVE_IN_ROOT :
										  RESOLVE_BENEATH) |
			   RESOLVE_NO_MAGICLINKS,
	};
	long fd = syscall(SYS_openat2, gp->allow->dirfd, gp->rel, &how, sizeof(how));
	if (fd < 0 && errno == EXDEV && gp->p)
		return follow_out(gp, hflags, mode, modify, hops);
	if (fd < 0)
		return errno == EXDEV ? -ENOENT : -errno;
	return (int)fd;
}

static int open_beneath(const struct gpath *gp, int hflags, unsigned mode)
{
	bool modify = !(hflags & O_PATH) && ((hflags & O_ACCMODE) || (hflags & (O_CREAT | O_TRUNC)));
	return open_hops(gp, hflags, mode, modify, 40);
}

/* Whether host path `host` lies at or beneath allowed directory a (its host side): the
 * length of a's host prefix, or -1. */
static int holds(const struct wf_allow *a, const char *host)
{
	size_t len = a->host ? strlen(a->host) : 0;
	if (!a->host)
		return -1;
	if (len == 1)
		len = 0; /* "/" holds everything */
	return strncmp(host, a->host, len) || (host[len] != '/' && host[len]) ? -1 : (int)len;
}

/*
 * Whether host fd hfd, reached through allowed directory `route`, may be changed. What
 * decides is where the host says the file is, not only the path that led there: a read-only
 * allowed directory shown at that very place inside the route (nested in it) keeps it
 * read-only however it was reached (a symlink, a renamed parent); a file a symlink led out
 * of the route to is writable only if every allowed directory holding it is. The same
 * directory shown elsewhere (another guest path) does not count: as a bind mount, each
 * place keeps its own permission.
 */
static bool host_writable(const struct wf_proc *p, const struct wf_allow *route, int hfd)
{
	char link[40], host[G_PATH_MAX + 1], place[2 * G_PATH_MAX + 2];
	snprintf(link, sizeof(link), "/proc/self/fd/%d", hfd);
	ssize_t n = readlink(link, host, sizeof(host) - 1);
	if (n <= 0 || host[0] != '/')
		return false;
	host[n] = 0;
	int rlen = route ? holds(route, host) : -1;
	bool any = false;
	for (unsigned i = 0; i < p->nallow; i++) {
		const struct wf_allow *e = &p->allow[i];
		int elen = holds(e, host);
		if (elen < 0 || e == route)
			continue;
		if (rlen < 0) {
			if (!e->write)
				return false;
			any = true;
			continue;
		}
		if (elen <= rlen || e->write)
			continue;
		/* Nested in the route: does the guest see it at its place there? */
		snprintf(place, sizeof(place), "%s%.*s", strcmp(route->path, "/") ? route->path : "",
			 elen - rlen, e->host + rlen);
		if (!strcmp(place, e->path))
			return false;
	}
	return rlen >= 0 ? route->write : any;
}

/* Split gp->rel into its parent (opened O_PATH beneath the allowed dir) and last component. */
static int open_parent(const struct gpath *gp, const char **last)
{
	struct gpath parent = *gp;
	size_t end = strlen(gp->rel);
	if (end > 1 && gp->rel[end - 1] == '/')
		end--; /* a kept trailing slash stays with the last component */
	while (end > 0 && gp->rel[end - 1] != '/')
		end--;
	*last = gp->rel + end;
	if (end == 0)
		strcpy(parent.rel, ".");
	else
		parent.rel[end - 1] = 0;
	int fd = open_hops(&parent, O_PATH | O_DIRECTORY, 0, true, 40);
	if (fd >= 0 && gp->p && !host_writable(gp->p, gp->allow, fd)) {
		close(fd);
		return -EACCES;
	}
	return fd;
}

/* Host stat to the guest layout, field by field. */
static void to_gstat(const struct stat *st, struct g_stat *g)
{
	*g = (struct g_stat){
		.dev = st->st_dev,
		.ino = st->st_ino,
		.mode = st->st_mode,
		.nlink = (uint32_t)st->st_nlink,
		.uid = st->st_uid,
		.gid = st->st_gid,
		.rdev = st->st_rdev,
		.size = st->st_size,
		.blksize = (int32_t)st->st_blksize,
		.blocks = st->st_blocks,
		.atime_sec = st->st_atim.tv_sec,
		.atime_nsec = (uint64_t)st->st_atim.tv_nsec,
		.mtime_sec = st->st_mtim.tv_sec,
		.mtime_nsec = (uint64_t)st->st_mtim.tv_nsec,
		.ctime_sec = st->st_ctim.tv_sec,
		.ctime_nsec = (uint64_t)st->st_ctim.tv_nsec,
	};
}

/* fd 1/2 (the printer) look like pipe ends owned by the guest: nothing of the host's. */
static void stdio_stat(const struct wf_proc *p, const struct wf_fd *f, struct stat *st)
{
	memset(st, 0, sizeof(*st));
	st->st_dev = 0xc;
	st->st_ino = f->kind == WF_FD_STDIN ? 1 : 2;
	st->st_mode = S_IFIFO | 0600;
	st->st_nlink = 1;
	st->st_uid = p->uid;
	st->st_gid = p->gid;
	st->st_blksize = 4096;
}

/* stat of an open guest fd (host fd or stdio). */
static int stat_fd(struct wf_proc *p, struct wf_fd *f, struct stat *st)
{
	/* stdin passes through to the embedder's fd 0, so it is whatever that is. */
	if (f->kind == WF_FD_OUTPUT) {
		stdio_stat(p, f, st);
		return 0;
	}
	return fstat(f->host_fd, st) ? -errno : 0;
}

/*
 * What a *at call with AT_* flags names: dirfd itself (AT_EMPTY_PATH with an empty or NULL
 * path) in *fdp, or else an O_PATH host fd the caller closes in *own. *writable: whether
 * it lies under a writable allowed directory.
 */
static int at_target(struct wf_proc *p, int dirfd, wf_gaddr_t addr, int flags,
		     struct wf_fd **fdp, int *own, bool *writable)
{
	char path[G_PATH_MAX] = "";
	struct gpath gp;
	*fdp = NULL;
	*own = -1;
	if (addr || !(flags & G_AT_EMPTY_PATH)) {
		int rc = wf_proc_strdup(p, addr, path, sizeof(path));
		if (rc)
			return rc;
	}
	if (!path[0] && (flags & G_AT_EMPTY_PATH)) {
		if (dirfd != G_AT_FDCWD) {
			*fdp = wf_fd_get(p, dirfd);
			if (!*fdp)
				return -EBADF;
			*writable = (*fdp)->writable;
			return 0;
		}
		strcpy(path, ".");
	}
	int rc = resolve_str(p, dirfd, path, &gp);
	if (rc)
		return rc;
	*own = open_beneath(&gp, O_PATH | ((flags & G_AT_SYMLINK_NOFOLLOW) ? O_NOFOLLOW : 0), 0);
	*writable = *own >= 0 && host_writable(p, gp.allow, *own);
	return *own < 0 ? *own : 0;
}

int wf_fs_at(struct wf_proc *p, int dirfd, wf_gaddr_t addr, int at_flags, int *hfd, int *own,
	     bool *writable)
{
	struct wf_fd *f;
	int rc = at_target(p, dirfd, addr, at_flags, &f, own, writable);
	if (rc)
		return rc;
	if (f && f->kind == WF_FD_OUTPUT)
		return -EBADF; /* the printer: no file to name */
	*hfd = f ? f->host_fd : *own;
	return 0;
}

int wf_fs_open_path(struct wf_proc *p, const char *path, int *hfd, bool *writable)
{
	struct gpath gp;
	*hfd = -1;
	int rc = resolve_str(p, G_AT_FDCWD, path, &gp);
	if (rc)
		return rc;
	*hfd = open_beneath(&gp, O_PATH, 0);
	*writable = *hfd >= 0 && host_writable(p, gp.allow, *hfd);
	return *hfd < 0 ? *hfd : 0;
}

static int stat_at(struct wf_proc *p, int dirfd, wf_gaddr_t addr, int flags, struct stat *st)
{
	struct wf_fd *f;
	int own;
	bool w;
	int rc = at_target(p, dirfd, addr, flags, &f, &own, &w);
	if (rc || f)
		return rc ? rc : stat_fd(p, f, st);
	rc = fstatat(own, "", st, AT_EMPTY_PATH) ? -errno : 0;
	close(own);
	return rc;
}

static int64_t put_stat(struct wf_proc *p, wf_gaddr_t buf, const struct stat *st)
{
	struct g_stat g;
	to_gstat(st, &g);
	return wf_mem_write(&p->mem, buf, &g, sizeof(g));
}

static int64_t sys_newfstatat(struct wf_proc *p, const uint64_t a[6])
{
	int flags = (int)a[3];
	if (flags & ~(G_AT_SYMLINK_NOFOLLOW | G_AT_EMPTY_PATH | G_AT_NO_AUTOMOUNT))
		return -EINVAL;
	struct stat st;
	int rc = stat_at(p, fd_arg(a[0]), a[1], flags, &st);
	return rc ? rc : put_stat(p, a[2], &st);
}

static int64_t sys_fstat(struct wf_proc *p, const uint64_t a[6])
{
	struct wf_fd *f = wf_fd_get(p, fd_arg(a[0]));
	struct stat st;
	if (!f)
		return -EBADF;
	int rc = stat_fd(p, f, &st);
	return rc ? rc : put_stat(p, a[1], &st);
}

static int64_t sys_statx(struct wf_proc *p, const uint64_t a[6])
{
	int flags = (int)a[2];
	unsigned mask = (unsigned)a[3];
	if (flags & ~(G_AT_SYMLINK_NOFOLLOW | G_AT_EMPTY_PATH | G_AT_NO_AUTOMOUNT |
		      G_AT_STATX_SYNC_TYPE))
		return -EINVAL;
	if ((flags & G_AT_STATX_SYNC_TYPE) == G_AT_STATX_SYNC_TYPE || (mask & G_STATX_RESERVED))
		return -EINVAL;
	struct wf_fd *f;
	struct statx stx;
	int own;
	bool w;
	int rc = at_target(p, fd_arg(a[0]), a[1], flags, &f, &own, &w);
	if (rc)
		return rc;
	if (f && f->kind != WF_FD_HOST) {
		struct stat st;
		stdio_stat(p, f, &st);
		stx = (struct statx){
			.stx_mask = STATX_BASIC_STATS,
			.stx_blksize = (uint32_t)st.st_blksize,
			.stx_nlink = (uint32_t)st.st_nlink,
			.stx_uid = st.st_uid,
			.stx_gid = st.st_gid,
			.stx_mode = (uint16_t)st.st_mode,
			.stx_ino = st.st_ino,
			.stx_dev_minor = (uint32_t)st.st_dev,
		};
	} else {
		int hfd = f ? f->host_fd : own;
		rc = statx(hfd, "", AT_EMPTY_PATH | (flags & G_AT_STATX_SYNC_TYPE), mask, &stx);
		rc = rc ? -errno : 0;
		if (own >= 0)
			close(own);
	}
	return rc ? rc : wf_mem_write(&p->mem, a[4], &stx, sizeof(stx));
}

/* Put a new host fd into the guest's table (closing it on failure). */
static int install(struct wf_proc *p, int slot, int hfd, int gflags, const struct gpath *gp)
{
	struct stat st;
	char *path = strdup(gp->abs);
	if (!path || fstat(hfd, &st)) {
		int err = path ? errno : ENOMEM;
		free(path);
		close(hfd);
		wf_fd_close(p, slot);
		return -err;
	}
	/* What F_GETFL shows: only the flags Linux knows (build_open_flags' VALID_OPEN_FLAGS),
	 * the open-time-only ones gone, O_LARGEFILE forced (64-bit). */
	gflags &= G_O_ACCMODE | G_O_CREAT | G_O_EXCL | G_O_NOCTTY | G_O_TRUNC | G_O_APPEND |
		  G_O_NONBLOCK | G_O_DSYNC | G_O_ASYNC | G_O_DIRECTORY | G_O_NOFOLLOW | G_O_DIRECT |
		  G_O_LARGEFILE | G_O_NOATIME | G_O_CLOEXEC | G_O_SYNC | G_O_PATH | G_O_TMPFILE;
	if (gflags & G_O_PATH)
		gflags &= G_O_PATH | G_O_DIRECTORY | G_O_NOFOLLOW | G_O_CLOEXEC;
	else
		gflags = (gflags & ~(G_O_CREAT | G_O_EXCL | G_O_NOCTTY | G_O_TRUNC)) | G_O_LARGEFILE;
	p->fds[slot] = (struct wf_fd){
		.kind = WF_FD_HOST,
		.host_fd = hfd,
		.flags = gflags,
		.is_dir = S_ISDIR(st.st_mode),
		.writable = gp->allow && host_writable(p, gp->allow, hfd), /* no allow: a /proc file */
		.path = path,
	};
	return slot;
}

/* The host applied its own umask too: give back the permission bits the guest asked for. */
static void fix_mode(int hfd, unsigned want)
{
	struct stat st;
	if (!fstat(hfd, &st) && (st.st_mode & want & 0777) != (want & 0777))
		(void)fchmod(hfd, (st.st_mode & 07777) | (want & 0777));
}

/* A /proc file (procfs.c), unless an allowed directory shows something there. */
static int64_t open_proc(struct wf_proc *p, const struct gpath *gp, int gflags)
{
	int hfd = wf_procfs_open(p, gp->abs, (gflags & (G_O_ACCMODE | G_O_CREAT | G_O_TRUNC)) != 0);
	if (hfd < 0)
		return hfd;
	int slot = wf_fd_alloc(p, 0);
	if (slot < 0) {
		close(hfd);
		return slot;
	}
	return install(p, slot, hfd, gflags & (G_O_CLOEXEC | G_O_NONBLOCK), gp);
}

/* /dev/null is always there, readable and writable, whatever the allow-list says. */
static int64_t open_null(struct wf_proc *p, const struct gpath *gp, int gflags)
{
	if (gflags & G_O_DIRECTORY)
		return -ENOTDIR;
	int hfd = open("/dev/null", (gflags & G_O_ACCMODE) | O_CLOEXEC);
	if (hfd < 0)
		return -errno;
	int slot = wf_fd_alloc(p, 0);
	if (slot < 0) {
		close(hfd);
		return slot;
	}
	return install(p, slot, hfd, gflags, gp);
}

static int64_t sys_openat(struct wf_proc *p, const uint64_t a[6])
{
	int gflags = (int)a[2];
	unsigned want = (unsigned)a[3] & 07777 & ~p->umask;
	/* The flags are checked before the path (build_open_flags): O_CREAT with O_DIRECTORY
	 * is EINVAL on this kernel (fuzz_syscalls). */
	if ((gflags & G_O_CREAT) && (gflags & G_O_DIRECTORY) && !(gflags & G_O_PATH))
		return -EINVAL;
	struct gpath gp;
	int rc = resolve(p, fd_arg(a[0]), a[1], &gp);
	if (rc == -ENOENT && wf_procfs_path(gp.abs))
		return open_proc(p, &gp, gflags);
	if ((!rc || rc == -ENOENT) && !strcmp(gp.abs, "/dev/null") && !(gflags & G_O_PATH))
		return open_null(p, &gp, gflags);
	if (rc)
		return rc;
	if ((gflags & G_O_TMPFILE) == G_O_TMPFILE)
		return -EOPNOTSUPP;
	/* O_CREAT of "x/": a directory, whether or not it exists; of "." or "..": it exists
	 * (O_EXCL), else it is a directory (fuzz_syscalls). */
	if ((gflags & G_O_CREAT) && !(gflags & G_O_PATH) && gp.must_dir)
		return gp.last_dot && (gflags & G_O_EXCL) ? -EEXIST : -EISDIR;
	if (gflags & G_O_PATH)
		gflags &= G_O_PATH | G_O_DIRECTORY | G_O_NOFOLLOW | G_O_CLOEXEC;
	int hflags = gflags & G_O_ACCMODE;
	for (size_t i = 0; i < ARRAY_SIZE(oflag_map); i++)
		if (gflags & oflag_map[i].guest)
			hflags |= oflag_map[i].host;

	if ((gflags & (G_O_ACCMODE | G_O_CREAT | G_O_TRUNC)) && !(gflags & G_O_PATH) &&
	    !gp.allow->write) {
		/* Like a read-only mount: say what is missing first, then refuse the write. */
		int probe = open_beneath(&gp, O_PATH | (hflags & (O_NOFOLLOW | O_DIRECTORY)), 0);
		if (probe < 0)
			return probe == -ENOENT && (gflags & G_O_CREAT) ? -EACCES : probe;
		close(probe);
		if ((gflags & G_O_CREAT) && (gflags & G_O_EXCL))
			return -EEXIST;
		if (gflags & (G_O_ACCMODE | G_O_TRUNC))
			return -EACCES;
		hflags &= ~O_CREAT; /* O_RDONLY|O_CREAT of an existing file only reads */
	}

	int slot = wf_fd_alloc(p, 0);
	if (slot < 0)
		return slot;
	/* O_TRUNC waits until the file is known to be writable (host_writable). */
	bool trunc = (hflags & O_TRUNC) && !(hflags & O_PATH);
	hflags &= ~(trunc ? O_TRUNC : 0);
	/* O_CREAT tries exclusive first, to know whether this call created the file. */
	int hfd = open_beneath(&gp, hflags | ((hflags & O_CREAT) ? O_EXCL : 0), want);
	bool created = hfd >= 0 && (hflags & O_CREAT);
	if (hfd == -EEXIST && (hflags & O_CREAT) && !(hflags & O_EXCL)) {
		/* The name exists, but through a dangling symlink this open still creates. */
		int probe = open_beneath(&gp, O_PATH, 0);
		if (probe >= 0)
			close(probe);
		hfd = open_beneath(&gp, hflags, want);
		created = hfd >= 0 && probe == -ENOENT;
	}
	if (hfd >= 0 && (trunc || created || (gflags & G_O_ACCMODE)) && !(gflags & G_O_PATH) &&
	    !host_writable(p, gp.allow, hfd)) {
		/* It lies in a read-only allowed directory after all (a symlink led there). */
		if (created) {
			char link[40], host[G_PATH_MAX + 1];
			snprintf(link, sizeof(link), "/proc/self/fd/%d", hfd);
			ssize_t n = readlink(link, host, sizeof(host) - 1);
			if (n > 0) {
				host[n] = 0;
				unlink(host);
			}
		}
		close(hfd);
		hfd = -EACCES;
	}
	if (hfd >= 0 && trunc) {
		struct stat st;
		char link[40];
		snprintf(link, sizeof(link), "/proc/self/fd/%d", hfd);
		int err = fstat(hfd, &st) ? -errno : S_ISDIR(st.st_mode) ? -EISDIR :
			  S_ISREG(st.st_mode) && truncate(link, 0) ? -errno : 0;
		if (err) {
			close(hfd);
			hfd = err;
		}
	}
	if (hfd < 0) {
		wf_fd_close(p, slot);
		return hfd;
	}
	if (created)
		fix_mode(hfd, want);
	return install(p, slot, hfd, gflags, &gp);
}

static int64_t sys_readlinkat(struct wf_proc *p, const uint64_t a[6])
{
	int bufsiz = (int)a[3];
	char path[G_PATH_MAX], target[G_PATH_MAX];
	if (bufsiz <= 0)
		return -EINVAL;
	int rc = wf_proc_strdup(p, a[1], path, sizeof(path));
	if (rc)
		return rc;
	size_t cap = (size_t)bufsiz < sizeof(target) ? (size_t)bufsiz : sizeof(target);
	ssize_t n;
	if (!path[0]) {
		/* An O_PATH fd of a symlink reads the link; anything else is ENOENT. */
		struct wf_fd *f = wf_fd_get(p, fd_arg(a[0]));
		if (!f || f->kind != WF_FD_HOST)
			return -ENOENT;
		n = readlinkat(f->host_fd, "", target, cap);
	} else {
		struct gpath gp;
		rc = resolve_str(p, fd_arg(a[0]), path, &gp);
		if (rc == -ENOENT && wf_procfs_path(gp.abs)) {
			n = wf_procfs_readlink(p, gp.abs, target, cap);
			if (n < 0)
				return n;
			return wf_mem_write(&p->mem, a[2], target, (uint64_t)n) ? -EFAULT : n;
		}
		if (rc)
			return rc;
		int fd = open_beneath(&gp, O_PATH | O_NOFOLLOW, 0);
		struct stat st;
		if (fd < 0)
			return fd;
		if (fstat(fd, &st) || !S_ISLNK(st.st_mode)) {
			close(fd);
			return -EINVAL; /* not a symlink */
		}
		n = readlinkat(fd, "", target, cap);
		close(fd);
	}
	if (n < 0)
		return -errno;
	if (wf_mem_write(&p->mem, a[2], target, (uint64_t)n))
		return -EFAULT;
	return n;
}

static int64_t access_common(struct wf_proc *p, const uint64_t a[6], int flags)
{
	int mode = (int)a[2];
	if (mode & ~7 || flags & ~(G_AT_EACCESS | G_AT_SYMLINK_NOFOLLOW | G_AT_EMPTY_PATH))
		return -EINVAL;
	struct wf_fd *f;
	int own;
	bool writable;
	int rc = at_target(p, fd_arg(a[0]), a[1], flags, &f, &own, &writable);
	if (rc)
		return rc;
	if (f && f->kind != WF_FD_HOST)
		return 0; /* stdio: the guest's own pipe ends */
	int hflags = AT_EMPTY_PATH | ((flags & G_AT_EACCESS) ? AT_EACCESS : 0);
	rc = syscall(SYS_faccessat2, f ? f->host_fd : own, "", mode, hflags) ? -errno : 0;
	if (own >= 0)
		close(own);
	if (!rc && (mode & W_OK) && !writable)
		rc = -EACCES; /* a read-only allowed directory acts like a read-only mount */
	return rc;
}

static int64_t sys_faccessat(struct wf_proc *p, const uint64_t a[6])
{
	return access_common(p, a, 0);
}

static int64_t sys_faccessat2(struct wf_proc *p, const uint64_t a[6])
{
	return access_common(p, a, (int)a[3]);
}

static int64_t sys_getcwd(struct wf_proc *p, const uint64_t a[6])
{
	size_t len = strlen(p->cwd) + 1;
	if (a[1] < len)
		return -ERANGE;
	if (wf_mem_write(&p->mem, a[0], p->cwd, len))
		return -EFAULT;
	return (int64_t)len;
}

/* Make an open directory (host fd, guest path) the cwd if it may be searched. */
static int set_cwd(struct wf_proc *p, int hfd, const char *path)
{
	struct stat st;
	if (fstat(hfd, &st))
		return -errno;
	if (!S_ISDIR(st.st_mode))
		return -ENOTDIR;
	if (syscall(SYS_faccessat2, hfd, "", X_OK, AT_EMPTY_PATH | AT_EACCESS))
		return -errno;
	if (strlen(path) >= sizeof(p->cwd))
		return -ENAMETOOLONG;
	strcpy(p->cwd, path);
	return 0;
}

int wf_fs_open_exec(struct wf_proc *p, int dirfd, const char *path, bool nofollow, char *abs,
		    size_t abssz)
{
	struct gpath gp;
	int rc = resolve_str(p, dirfd, path, &gp);
	if (rc)
		return rc == -ENOENT && wf_procfs_path(gp.abs) ? -EACCES : rc;
	int fd = open_beneath(&gp, O_RDONLY | (nofollow ? O_NOFOLLOW : 0), 0);
	if (fd >= 0)
		snprintf(abs, abssz, "%s", gp.abs);
	return fd;
}

int wf_fs_chdir(struct wf_proc *p, const char *path)
{
	struct gpath gp;
	int rc = resolve_str(p, G_AT_FDCWD, path, &gp);
	if (rc)
		return rc;
	int fd = open_beneath(&gp, O_PATH | O_DIRECTORY, 0);
	if (fd < 0)
		return fd;
	rc = set_cwd(p, fd, gp.abs);
	close(fd);
	return rc;
}

static int64_t sys_chdir(struct wf_proc *p, const uint64_t a[6])
{
	char path[G_PATH_MAX];
	int rc = wf_proc_strdup(p, a[0], path, sizeof(path));
	return rc ? rc : wf_fs_chdir(p, path);
}

static int64_t sys_fchdir(struct wf_proc *p, const uint64_t a[6])
{
	struct wf_fd *f = wf_fd_get(p, fd_arg(a[0]));
	if (!f)
		return -EBADF;
	if (f->kind != WF_FD_HOST || !f->path)
		return -ENOTDIR;
	return set_cwd(p, f->host_fd, f->path);
}

/*
 * Resolve a path whose last component an operation creates or removes, check write access,
 * and open its parent. The allowed directory itself and a last "."/".." are returned as
 * `special` (1: the path names an allowed root or ".", 2: "..") with *pfd = -1.
 */
static int prepare_modify(struct wf_proc *p, int dirfd, wf_gaddr_t addr, const char *path,
			  struct gpath *gp, int *pfd, const char **last, int *special)
{
	*pfd = -1;
	int rc = path ? resolve_str(p, dirfd, path, gp) : resolve(p, dirfd, addr, gp);
	if (rc)
		return rc;
	*special = gp->last_dot ? gp->last_dot : !strcmp(gp->rel, "./") || !strcmp(gp->rel, ".");
	if (!*special) {
		*pfd = open_parent(gp, last);
		if (*pfd < 0)
			return *pfd;
	}
	if (!gp->allow->write) {
		if (*pfd >= 0)
			close(*pfd);
		*pfd = -1;
		return -EACCES;
	}
	return 0;
}

static int64_t sys_mkdirat(struct wf_proc *p, const uint64_t a[6])
{
	struct gpath gp;
	const char *last;
	int pfd, special;
	int rc = prepare_modify(p, fd_arg(a[0]), a[1], NULL, &gp, &pfd, &last, &special);
	if (rc)
		return rc;
	if (special)
		return -EEXIST;
	unsigned want = (unsigned)a[2] & 01777 & ~p->umask;
	rc = mkdirat(pfd, last, want) ? -errno : 0;
	if (!rc) {
		int dfd = openat(pfd, last, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (dfd >= 0) {
			fix_mode(dfd, want);
			close(dfd);
		}
	}
	close(pfd);
	return rc;
}

static int64_t sys_unlinkat(struct wf_proc *p, const uint64_t a[6])
{
	int flags = (int)a[2];
	if (flags & ~G_AT_REMOVEDIR)
		return -EINVAL;
	struct gpath gp;
	const char *last;
	int pfd, special;
	int rc = prepare_modify(p, fd_arg(a[0]), a[1], NULL, &gp, &pfd, &last, &special);
	if (rc)
		return rc;
	if (special) {
		if (!(flags & G_AT_REMOVEDIR))
			return -EISDIR;
		return special == 2 ? -ENOTEMPTY : gp.last_dot == 1 ? -EINVAL : -EBUSY;
	}
	rc = unlinkat(pfd, last, (flags & G_AT_REMOVEDIR) ? AT_REMOVEDIR : 0) ? -errno : 0;
	close(pfd);
	return rc;
}

/* The parent of a name a call creates or removes, for links.c (see syscall.h). */
int wf_fs_parent(struct wf_proc *p, int dirfd, wf_gaddr_t addr, struct wf_fs_name *n)
{
	return wf_fs_parent_str(p, dirfd, addr, NULL, n);
}

int wf_fs_parent_str(struct wf_proc *p, int dirfd, wf_gaddr_t addr, const char *path,
		     struct wf_fs_name *n)
{
	struct gpath gp;
	const char *last = "";
	n->special = 0;
	n->pfd = -1;
	n->last_dot = 0;
	n->long_last = false;
	int rc = prepare_modify(p, dirfd, addr, path, &gp, &n->pfd, &last, &n->special);
	n->last_dot = 0;
	if (rc)
		return rc;
	n->last_dot = gp.last_dot;
	if (n->special) {
		n->last[0] = 0;
		return 0;
	}
	size_t len = strlen(last);
	if (len >= sizeof(n->last)) {
		close(n->pfd);
		n->pfd = -1;
		n->long_last = true;
		return -ENAMETOOLONG;
	}
	memcpy(n->last, last, len + 1);
	return 0;
}

static int64_t sys_umask(struct wf_proc *p, const uint64_t a[6])
{
	unsigned old = p->umask;
	p->umask = (unsigned)a[0] & 0777;
	return old;
}

const struct wf_syscall_def wf_sys_fs[] = {
	{WF_NR_openat, "openat", sys_openat, "fsxo"},
	{WF_NR_newfstatat, "newfstatat", sys_newfstatat, "fspx"},
	{WF_NR_fstat, "fstat", sys_fstat, "fp"},
	{WF_NR_statx, "statx", sys_statx, "fsxxp"},
	{WF_NR_readlinkat, "readlinkat", sys_readlinkat, "fspd"},
	{WF_NR_faccessat, "faccessat", sys_faccessat, "fso"},
	{WF_NR_faccessat2, "faccessat2", sys_faccessat2, "fsox"},
	{WF_NR_getcwd, "getcwd", sys_getcwd, "pu"},
	{WF_NR_chdir, "chdir", sys_chdir, "s"},
	{WF_NR_fchdir, "fchdir", sys_fchdir, "f"},
	{WF_NR_mkdirat, "mkdirat", sys_mkdirat, "fso"},
	{WF_NR_unlinkat, "unlinkat", sys_unlinkat, "fsx"},
	{WF_NR_umask, "umask", sys_umask, "o"},
	{0},
};
