// SPDX-License-Identifier: Apache-2.0
/* links.c: names of files: rename (renameat, renameat2), hard links (linkat), symbolic links (symlinkat) and mknodat, beneath writable allowed directories. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "linux/syscall.h"

/*
 * Every name made or removed lies beneath a writable allowed directory (fs.c's rule; EACCES
 * otherwise), and the host call acts on the parent directory opened there, so no host path
 * outside the allow-list is ever named. A symlink's target is stored as given; following it
 * later is fs.c's business (beneath its allowed directory, or in the --sysroot's root).
 * A hard link's source must lie beneath a writable allowed directory too: a link to a file
 * of a read-only one would make it writable through the new name. Linux says EXDEV for a
 * link across mounts, and so does this.
 */

/* Guest (asm-generic) values. */
enum {
	G_AT_SYMLINK_NOFOLLOW = 0x100,
	G_AT_SYMLINK_FOLLOW = 0x400,
	G_AT_EMPTY_PATH = 0x1000,
	G_RENAME_NOREPLACE = 1,
	G_RENAME_EXCHANGE = 2,
	G_RENAME_WHITEOUT = 4,
	G_PATH_MAX = 4096,
};

static int fd_arg(uint64_t a)
{
	return (int)(uint32_t)a;
}

static void release(struct wf_fs_name *n)
{
	if (n->pfd >= 0)
		close(n->pfd);
	n->pfd = -1;
}

static int64_t do_rename(struct wf_proc *p, const uint64_t a[6], unsigned flags)
{
	if (flags & ~(unsigned)(G_RENAME_NOREPLACE | G_RENAME_EXCHANGE | G_RENAME_WHITEOUT))
		return -EINVAL;
	if ((flags & G_RENAME_EXCHANGE) && (flags & (G_RENAME_NOREPLACE | G_RENAME_WHITEOUT)))
		return -EINVAL;
	if (flags & G_RENAME_WHITEOUT)
		return -EINVAL; /* overlay whiteouts: not emulated (docs/syscalls.md) */
	struct wf_fs_name from, to = {.pfd = -1};
	int rc = wf_fs_parent(p, fd_arg(a[0]), a[1], &from);
	/* do_renameat2 walks both parents before it looks a name up: a last component over
	 * NAME_MAX is a lookup's error, after the other side's walk (fuzz_syscalls). */
	bool from_long = rc == -ENAMETOOLONG && from.long_last;
	if (rc && !from_long)
		return rc;
	rc = wf_fs_parent(p, fd_arg(a[2]), a[3], &to);
	struct stat st;
	if (!rc && from_long)
		rc = -ENAMETOOLONG;
	else if (rc == -ENAMETOOLONG && to.long_last && !from.special &&
		 fstatat(from.pfd, from.last, &st, AT_SYMLINK_NOFOLLOW))
		rc = -errno; /* the source is looked up first */
	/* Linux: a "." or ".." on either side is EBUSY at once; onto an allowed directory
	 * (our mount point), the source is looked up first (fuzz_syscalls). */
	if (!rc && !from.special && to.special && !to.last_dot &&
	    fstatat(from.pfd, from.last, &st, AT_SYMLINK_NOFOLLOW))
		rc = -errno;
	if (!rc && (from.special || to.special))
		rc = -EBUSY;
	if (!rc)
		rc = renameat2(from.pfd, from.last, to.pfd, to.last, flags) ? -errno : 0;
	release(&from);
	release(&to);
	return rc;
}

static int64_t sys_renameat(struct wf_proc *p, const uint64_t a[6])
{
	return do_rename(p, a, 0);
}

static int64_t sys_renameat2(struct wf_proc *p, const uint64_t a[6])
{
	return do_rename(p, a, (unsigned)a[4]);
}

static int64_t sys_symlinkat(struct wf_proc *p, const uint64_t a[6])
{
	char target[G_PATH_MAX];
	int rc = wf_proc_strdup(p, a[0], target, sizeof(target));
	if (rc)
		return rc;
	if (!target[0])
		return -ENOENT;
	struct wf_fs_name n;
	if ((rc = wf_fs_parent(p, fd_arg(a[1]), a[2], &n)))
		return rc;
	rc = n.special ? -EEXIST : symlinkat(target, n.pfd, n.last) ? -errno : 0;
	release(&n);
	return rc;
}

/*
 * linkat: without AT_SYMLINK_FOLLOW the source's last component is linked as it is (a
 * symlink itself), through its parent; with it (or AT_EMPTY_PATH, a descriptor), the file
 * is first opened O_PATH beneath its allowed directory and linked through its
 * /proc/self/fd name, so a symlink is followed by the allow-list's rules, never the host's.
 */
static int64_t sys_linkat(struct wf_proc *p, const uint64_t a[6])
{
	int flags = (int)a[4];
	if (flags & ~(G_AT_SYMLINK_FOLLOW | G_AT_EMPTY_PATH))
		return -EINVAL;
	struct wf_fs_name src = {.pfd = -1}, dst = {.pfd = -1};
	int hfd = -1, own = -1, rc;
	bool writable = false;
	char magic[40];
	if (flags & (G_AT_SYMLINK_FOLLOW | G_AT_EMPTY_PATH)) {
		/* AT_EMPTY_PATH alone links a last symlink itself, as without flags. */
		int at = (flags & G_AT_EMPTY_PATH) |
			 ((flags & G_AT_SYMLINK_FOLLOW) ? 0 : G_AT_SYMLINK_NOFOLLOW);
		rc = wf_fs_at(p, fd_arg(a[0]), a[1], at, &hfd, &own, &writable);
		if (!rc && !writable)
			rc = -EXDEV;
		if (!rc) {
			struct stat st;
			if (fstat(hfd, &st))
				rc = -errno;
			else if (S_ISDIR(st.st_mode))
				rc = -EPERM;
		}
	} else {
		rc = wf_fs_parent(p, fd_arg(a[0]), a[1], &src);
		if (rc == -EACCES)
			rc = -EXDEV; /* a read-only allowed directory: as another mount */
		else if (!rc && src.special)
			rc = -EPERM; /* a directory */
	}
	if (!rc)
		rc = wf_fs_parent(p, fd_arg(a[2]), a[3], &dst);
	if (!rc && dst.special)
		rc = -EEXIST;
	if (!rc && hfd >= 0) {
		snprintf(magic, sizeof(magic), "/proc/self/fd/%d", hfd);
		rc = linkat(AT_FDCWD, magic, dst.pfd, dst.last, AT_SYMLINK_FOLLOW) ? -errno : 0;
	} else if (!rc) {
		rc = linkat(src.pfd, src.last, dst.pfd, dst.last, 0) ? -errno : 0;
	}
	if (own >= 0)
		close(own);
	release(&src);
	release(&dst);
	return rc;
}

/*
 * mknodat: FIFOs, sockets and empty regular files, made with the process's umask; a device
 * node is EPERM, as for a process without CAP_MKNOD (a root guest could make one natively:
 * docs/syscalls.md), whatever its numbers.
 */
static int64_t sys_mknodat(struct wf_proc *p, const uint64_t a[6])
{
	unsigned mode = (unsigned)a[2];
	unsigned type = mode & S_IFMT;
	if (type == S_IFDIR)
		return -EPERM;
	if (type && type != S_IFREG && type != S_IFIFO && type != S_IFSOCK && type != S_IFCHR &&
	    type != S_IFBLK)
		return -EINVAL;
	if (type == S_IFCHR || type == S_IFBLK)
		return -EPERM;
	struct wf_fs_name n;
	int rc = wf_fs_parent(p, fd_arg(a[0]), a[1], &n);
	if (rc)
		return rc;
	unsigned perm = mode & 07777 & ~p->umask;
	rc = n.special ? -EEXIST :
	     mknodat(n.pfd, n.last, (type ? type : S_IFREG) | perm, 0) ? -errno : 0;
	if (!rc) /* the host applied its own umask too: give the guest's bits back */
		(void)fchmodat(n.pfd, n.last, perm, 0);
	release(&n);
	return rc;
}

const struct wf_syscall_def wf_sys_links[] = {
	{WF_NR_mknodat, "mknodat", sys_mknodat, "fsod"},
	{WF_NR_renameat, "renameat", sys_renameat, "fsfs"},
	{WF_NR_renameat2, "renameat2", sys_renameat2, "fsfsx"},
	{WF_NR_symlinkat, "symlinkat", sys_symlinkat, "sfs"},
	{WF_NR_linkat, "linkat", sys_linkat, "fsfsx"},
	{0},
};
