// SPDX-License-Identifier: Apache-2.0
/* proc_snap.c: snapshots of a warm master's process state; forks of it and their resets. */
#include "proc_snap.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/*
 * wf_proc_reset copies the snapshot's image of struct wf_proc over the fork wholesale and puts
 * back only the fields in struct keep. This catches a field added to struct wf_proc without a
 * thought for forks: decide whether it is restored from the snapshot (the default: nothing to
 * do but update the size) or kept (a pointer, an owned resource, an embedder hook: add it to
 * struct keep), then update the number. struct wf_mem is the embedder's and always kept.
 */
_Static_assert(sizeof(struct wf_proc) - sizeof(struct wf_mem) == 10536,
	       "struct wf_proc changed: see the comment above (proc_snap.c)");

/* One open file description of the master (guest fds that share it were dup'ed). */
struct snap_desc {
	int host_fd;      /* the snapshot's duplicate of the master's host fd */
	int hflags;       /* host status flags and access mode (F_GETFL) */
	int64_t off;      /* file or directory-stream position; -1: none (pipe, O_PATH) */
	bool reopen;      /* forks reopen it (their own description) instead of sharing it */
	dev_t dev;        /* what it is: for grouping the master's fds by description */
	ino_t ino;
	const char *path; /* a guest path naming it, for messages (in the fds array), or NULL */
};

struct wf_proc_snap {
	struct wf_proc img;      /* the master's fields, with every pointer cleared */
	struct wf_fd *fds;       /* img.nfds slots; WF_FD_HOST: host_fd -1, desc 1 + index */
	struct snap_desc *desc;
	unsigned ndesc;
	struct wf_allow *allow;  /* owned: duplicated dirfds, copied paths; forks borrow it */
	unsigned nallow;
	struct wf_vma *vmas;
	unsigned nvmas;
	struct wf_thread *thr;   /* img.nthr thread slots (none for a single thread) */
	struct wf_ptimer *timers;      /* WF_MAX_TIMERS, or NULL: the master made no timer */
	struct wf_sock_ids *sock_ids;  /* or NULL: the master bound no path socket */
};

/* A fork's own state (p->fork). */
struct wf_proc_fork {
	struct wf_proc_fork_stats stats;
	unsigned ndesc;
	unsigned *desc_list;     /* descriptions a reset must reposition, ndesc_list of them */
	unsigned ndesc_list;
	uint64_t *desc_mark;     /* bitmap of desc_list */
	int desc_fd[];           /* the fork's own host fd for each snapshot description */
};

/* The fields a fork keeps across wf_proc_reset: the embedder's hooks and what it owns. */
struct keep {
	struct wf_mem mem;
	const struct wf_mmu_ops *mmu;
	void *mmu_ctx;
	wf_printer_fn print;
	void *print_ctx;
	bool trace;
	FILE *trace_out;
	struct wf_fd *fds;
	struct wf_vma *vmas;
	unsigned cap_vmas;
	struct wf_proc_fork *fork;
	uint64_t *fd_touched;
	unsigned *fd_touched_list;
	unsigned nfd_touched;
	struct wf_abi_frame *regs;
	struct wf_thread *thr;
	unsigned thr_cap;
	struct wf_ptimer *timers;
	struct wf_sock_ids *sock_ids;
};

static size_t words(size_t bits)
{
	return (bits + 63) / 64;
}

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

/*
 * Whether the master's host fds a and b (the same file) share one open file description:
 * flip O_NONBLOCK through a and look at b, then put it back. The master never runs again,
 * and the flag is restored at once. O_PATH fds cannot change flags: never shared (harmless,
 * they have no position or status flags).
 */
static bool same_description(int a, int b)
{
	int fa = fcntl(a, F_GETFL), fb = fcntl(b, F_GETFL);
	if (fa < 0 || fb < 0 || (fa & O_PATH) || (fb & O_PATH))
		return false;
	if ((fa & O_NONBLOCK) != (fb & O_NONBLOCK))
		return false;
	if (fcntl(a, F_SETFL, fa ^ O_NONBLOCK))
		return false;
	int fb2 = fcntl(b, F_GETFL);
	(void)fcntl(a, F_SETFL, fa);
	return fb2 >= 0 && (fb2 & O_NONBLOCK) != (fb & O_NONBLOCK);
}

void wf_proc_snap_free(struct wf_proc_snap *s)
{
	if (!s)
		return;
	for (unsigned d = 0; d < s->ndesc; d++)
		close_fd(&s->desc[d].host_fd);
	free(s->desc);
	for (unsigned i = 0; s->fds && i < s->img.nfds; i++)
		wf_fd_extra_free(&s->fds[i]);
	free(s->fds);
	for (unsigned i = 0; i < s->nallow; i++) {
		close_fd(&s->allow[i].dirfd);
		free(s->allow[i].path);
		free(s->allow[i].host);
	}
	free(s->allow);
	free(s->vmas);
	free(s->thr);
	free(s->timers);
	free(s->sock_ids);
	free(s);
}

/* A copy of what an optional array (NULL: none) holds, for a snapshot: 0, or -ENOMEM. */
static int blob_copy(void **out, const void *src, size_t size)
{
	*out = NULL;
	if (src && !(*out = malloc(size)))
		return -ENOMEM;
	if (src)
		memcpy(*out, src, size);
	return 0;
}

/* A fork's optional array back to the snapshot's: a copy of it, or zeros (the fork keeps its
 * allocation for the next input) when the snapshot has none. 0, or -ENOMEM. */
static int blob_restore(void **mine, const void *snap, size_t size)
{
	if (!snap) {
		if (*mine)
			memset(*mine, 0, size);
		return 0;
	}
	if (!*mine && !(*mine = malloc(size)))
		return -ENOMEM;
	memcpy(*mine, snap, size);
	return 0;
}

/* Record the master's guest fd i (a host fd) in s: find or make its description. */
static int take_host_fd(struct wf_proc_snap *s, const struct wf_proc *p, const int *master_fd,
			unsigned i, struct wf_err *e)
{
	const struct wf_fd *f = &p->fds[i];
	struct stat st;
	if (f->host_fd < 0)
		return wf_fail(e, -EINVAL, "fd %u is reserved but not open: not a ready point", i);
	if (fstat(f->host_fd, &st))
		return wf_fail_errno(e, "cannot fstat fd %u (host fd %d)", i, f->host_fd);
	for (unsigned d = 0; d < s->ndesc; d++) {
		if (s->desc[d].dev == st.st_dev && s->desc[d].ino == st.st_ino &&
		    same_description(master_fd[d], f->host_fd)) {
			s->fds[i].desc = d + 1;
			return 0;
		}
	}
	struct snap_desc *sd = &s->desc[s->ndesc];
	*sd = (struct snap_desc){.host_fd = -1, .off = -1, .dev = st.st_dev, .ino = st.st_ino,
				 .path = s->fds[i].path};
	sd->hflags = fcntl(f->host_fd, F_GETFL);
	if (sd->hflags < 0)
		return wf_fail_errno(e, "cannot read the status flags of fd %u", i);
	sd->host_fd = fcntl(f->host_fd, F_DUPFD_CLOEXEC, 0);
	if (sd->host_fd < 0)
		return wf_fail_errno(e, "cannot duplicate fd %u (host fd %d)", i, f->host_fd);
	bool path_fd = sd->hflags & O_PATH;
	sd->reopen = !path_fd && !S_ISFIFO(st.st_mode) && !S_ISSOCK(st.st_mode);
	if (sd->reopen) {
		off_t off = lseek(f->host_fd, 0, SEEK_CUR);
		sd->off = off < 0 ? -1 : off; /* character devices may have none */
	}
	s->fds[i].desc = ++s->ndesc;
	return 0;
}

int wf_proc_snap_take(const struct wf_proc *p, struct wf_proc_snap **out, struct wf_err *e)
{
	*out = NULL;
	if (p->exited || p->killed_by)
		return wf_fail(e, -EINVAL, "cannot snapshot a process that has ended");
	struct wf_proc_snap *s = calloc(1, sizeof(*s));
	int *master_fd = NULL;
	int rc;
	if (!s)
		return wf_fail(e, -ENOMEM, "out of host memory for a process snapshot");
	s->img = *p;
	s->img.mem = (struct wf_mem){0};
	s->img.mmu = NULL;
	s->img.mmu_ctx = s->img.print_ctx = NULL;
	s->img.ptab = NULL; /* a master never forked (wf_vm_make_master) */
	s->img.print = NULL;
	s->img.trace_out = NULL;
	s->img.fds = NULL;
	s->img.allow = NULL;
	s->img.vmas = NULL;
	s->img.cap_vmas = 0;
	s->img.fork = NULL;
	s->img.fd_touched = NULL;
	s->img.fd_touched_list = NULL;
	s->img.nfd_touched = 0;
	s->img.regs = NULL;
	s->img.thr = NULL;
	s->img.thr_cap = 0;
	s->img.timers = NULL;
	s->img.sock_ids = NULL;
	s->img.allow_borrowed = false;
	s->img.nfds = 0; /* until fds is filled in */
	s->img.nallow = 0;

	s->fds = calloc(p->nfds ? p->nfds : 1, sizeof(*s->fds));
	s->desc = calloc(p->nfds ? p->nfds : 1, sizeof(*s->desc));
	master_fd = calloc(p->nfds ? p->nfds : 1, sizeof(*master_fd));
	s->allow = calloc(p->nallow ? p->nallow : 1, sizeof(*s->allow));
	s->vmas = malloc((p->nvmas ? p->nvmas : 1) * sizeof(*s->vmas));
	if (!s->fds || !s->desc || !master_fd || !s->allow || !s->vmas) {
		rc = wf_fail(e, -ENOMEM, "out of host memory for a process snapshot");
		goto fail;
	}
	s->img.nfds = p->nfds;
	for (unsigned i = 0; i < p->nfds; i++) {
		const struct wf_fd *f = &p->fds[i];
		s->fds[i] = (struct wf_fd){.kind = f->kind, .host_fd = -1, .chan = f->chan,
					   .flags = f->flags, .is_dir = f->is_dir,
					   .writable = f->writable};
		if (f->kind == WF_FD_FREE)
			continue;
		if (f->kind != WF_FD_HOST) {
			s->fds[i].host_fd = f->host_fd; /* the embedder's: not owned */
			continue;
		}
		if (wf_fd_extra_copy(&s->fds[i], f)) {
			rc = wf_fail(e, -ENOMEM, "out of host memory for a process snapshot");
			goto fail;
		}
		unsigned before = s->ndesc;
		if ((rc = take_host_fd(s, p, master_fd, i, e)))
			goto fail;
		if (s->ndesc > before)
			master_fd[before] = f->host_fd;
	}
	for (unsigned i = 0; i < p->nallow; i++) {
		struct wf_allow *a = &s->allow[i];
		a->dirfd = -1;
		a->write = p->allow[i].write;
		a->path = strdup(p->allow[i].path);
		a->host = p->allow[i].host ? strdup(p->allow[i].host) : NULL;
		a->in_root = p->allow[i].in_root;
		s->nallow = i + 1;
		if (!a->path || (p->allow[i].host && !a->host)) {
			rc = wf_fail(e, -ENOMEM, "out of host memory for a process snapshot");
			goto fail;
		}
		if (p->allow[i].dirfd >= 0 &&
		    (a->dirfd = fcntl(p->allow[i].dirfd, F_DUPFD_CLOEXEC, 0)) < 0) {
			rc = wf_fail_errno(e, "cannot duplicate the allowed directory %s", a->path);
			goto fail;
		}
	}
	s->img.nallow = s->nallow;
	if (p->nvmas)
		memcpy(s->vmas, p->vmas, p->nvmas * sizeof(*s->vmas));
	s->nvmas = p->nvmas;
	if (p->nthr) {
		s->thr = malloc(p->nthr * sizeof(*s->thr));
		if (!s->thr) {
			rc = wf_fail(e, -ENOMEM, "out of host memory for %u threads", p->nthr);
			goto fail;
		}
		memcpy(s->thr, p->thr, p->nthr * sizeof(*s->thr));
	}
	if (blob_copy((void **)&s->timers, p->timers, WF_MAX_TIMERS * sizeof(*p->timers)) ||
	    blob_copy((void **)&s->sock_ids, p->sock_ids, sizeof(*p->sock_ids))) {
		rc = wf_fail(e, -ENOMEM, "out of host memory for a process snapshot");
		goto fail;
	}
	free(master_fd);
	*out = s;
	return 0;
fail:
	free(master_fd);
	wf_proc_snap_free(s);
	return rc;
}

/* Give the fork its own host fd for snapshot description d. */
static int open_desc(struct wf_proc_fork *fk, const struct wf_proc_snap *s, unsigned d,
		     struct wf_err *e)
{
	const struct snap_desc *sd = &s->desc[d];
	const char *what = sd->path ? sd->path : "(no path)";
	int fd;
	if (!sd->reopen) {
		/* A pipe, socket or O_PATH fd: shared with the snapshot (see proc_snap.h). */
		fd = fcntl(sd->host_fd, F_DUPFD_CLOEXEC, 0);
		if (fd < 0)
			return wf_fail_errno(e, "cannot duplicate the snapshot's %s", what);
		fk->desc_fd[d] = fd;
		return 0;
	}
	/*
	 * A new open file description of the same file, even a deleted one. O_NOFOLLOW would
	 * refuse the magic link itself; the creation flags are gone from F_GETFL already.
	 */
	char link[32];
	snprintf(link, sizeof(link), "/proc/self/fd/%d", sd->host_fd);
	int fl = (sd->hflags & ~(O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC | O_NOFOLLOW)) | O_CLOEXEC;
	fd = open(link, fl);
	if (fd < 0)
		return wf_fail_errno(e, "cannot reopen %s for a fork (%s)", what, link);
	fk->desc_fd[d] = fd;
	if (sd->off > 0 && lseek(fd, (off_t)sd->off, SEEK_SET) < 0)
		return wf_fail_errno(e, "cannot seek %s to %lld", what, (long long)sd->off);
	return 0;
}

/* Put the fork's slot i back to the snapshot's, releasing what it held. */
static int restore_slot(struct wf_proc *p, const struct wf_proc_snap *s, unsigned i,
			struct wf_err *e)
{
	const struct wf_fd *sf = &s->fds[i];
	struct wf_fd n = *sf, *c = &p->fds[i];
	n.path = NULL;
	n.names = NULL;
	if (sf->kind == WF_FD_HOST) {
		n.host_fd = fcntl(p->fork->desc_fd[sf->desc - 1], F_DUPFD_CLOEXEC, 0);
		if (n.host_fd < 0)
			return wf_fail_errno(e, "cannot restore fd %u", i);
		if (wf_fd_extra_copy(&n, sf)) {
			close(n.host_fd);
			return wf_fail(e, -ENOMEM, "out of host memory restoring fd %u", i);
		}
	}
	if (c->kind == WF_FD_HOST && c->host_fd >= 0)
		close(c->host_fd);
	wf_fd_extra_free(c);
	*c = n;
	return 0;
}

/* Note that snapshot description d (1-based, 0: none) may have moved: a reset repositions it. */
static void mark_desc(struct wf_proc_fork *fk, unsigned d)
{
	if (!d--)
		return;
	uint64_t bit = 1ull << (d % 64);
	if (fk->desc_mark[d / 64] & bit)
		return;
	fk->desc_mark[d / 64] |= bit;
	fk->desc_list[fk->ndesc_list++] = d;
}

/* Status flags and position of the fork's description d back to the snapshot's. */
static int reposition(struct wf_proc_fork *fk, const struct wf_proc_snap *s, unsigned d,
		      struct wf_err *e)
{
	const struct snap_desc *sd = &s->desc[d];
	int fd = fk->desc_fd[d];
	if (sd->hflags & O_PATH)
		return 0;
	if (fcntl(fd, F_SETFL, sd->hflags))
		return wf_fail_errno(e, "cannot restore the flags of %s",
				     sd->path ? sd->path : "a fd");
	if (sd->off >= 0 && lseek(fd, (off_t)sd->off, SEEK_SET) < 0)
		return wf_fail_errno(e, "cannot seek %s back to %lld", sd->path ? sd->path : "a fd",
				     (long long)sd->off);
	return 0;
}

/* The snapshot's scalar state over p, keeping p's hooks and owned arrays; copies the VMAs. */
static int restore_fields(struct wf_proc *p, const struct wf_proc_snap *s, struct wf_err *e)
{
	if (p->cap_vmas < s->nvmas || !p->vmas) {
		unsigned cap = s->nvmas > 32 ? s->nvmas : 32;
		struct wf_vma *v = realloc(p->vmas, cap * sizeof(*v));
		if (!v)
			return wf_fail(e, -ENOMEM, "out of host memory for %u VMAs", s->nvmas);
		p->vmas = v;
		p->cap_vmas = cap;
	}
	struct keep k = {
		.mem = p->mem,
		.mmu = p->mmu,
		.mmu_ctx = p->mmu_ctx,
		.print = p->print,
		.print_ctx = p->print_ctx,
		.trace = p->trace,
		.trace_out = p->trace_out,
		.fds = p->fds,
		.vmas = p->vmas,
		.cap_vmas = p->cap_vmas,
		.fork = p->fork,
		.fd_touched = p->fd_touched,
		.fd_touched_list = p->fd_touched_list,
		.nfd_touched = p->nfd_touched,
		.regs = p->regs,
		.thr = p->thr,
		.thr_cap = p->thr_cap,
		.timers = p->timers,
		.sock_ids = p->sock_ids,
	};
	*p = s->img;
	p->mem = k.mem;
	p->mmu = k.mmu;
	p->mmu_ctx = k.mmu_ctx;
	p->print = k.print;
	p->print_ctx = k.print_ctx;
	p->trace = k.trace;
	p->trace_out = k.trace_out;
	p->fds = k.fds;
	p->vmas = k.vmas;
	p->cap_vmas = k.cap_vmas;
	p->fork = k.fork;
	p->fd_touched = k.fd_touched;
	p->fd_touched_list = k.fd_touched_list;
	p->nfd_touched = k.nfd_touched;
	p->regs = k.regs;
	p->thr = k.thr;
	p->thr_cap = k.thr_cap;
	p->timers = k.timers;
	p->sock_ids = k.sock_ids;
	if (blob_restore((void **)&p->timers, s->timers, WF_MAX_TIMERS * sizeof(*p->timers)) ||
	    blob_restore((void **)&p->sock_ids, s->sock_ids, sizeof(*p->sock_ids)))
		return wf_fail(e, -ENOMEM, "out of host memory for a fork's timers or sockets");
	if (s->img.nthr > p->thr_cap) {
		struct wf_thread *t = realloc(p->thr, s->img.nthr * sizeof(*t));
		if (!t) {
			p->nthr = 0;
			return wf_fail(e, -ENOMEM, "out of host memory for %u threads", s->img.nthr);
		}
		p->thr = t;
		p->thr_cap = s->img.nthr;
	}
	if (s->img.nthr)
		memcpy(p->thr, s->thr, s->img.nthr * sizeof(*p->thr));
	p->allow = s->allow;
	p->nallow = s->nallow;
	p->allow_borrowed = true;
	if (s->nvmas)
		memcpy(p->vmas, s->vmas, s->nvmas * sizeof(*p->vmas));
	p->nvmas = s->nvmas;
	/* (A snapshot is never of an ended process, but say it outright.) */
	p->exited = false;
	p->exit_status = 0;
	p->killed_by = 0;
	return 0;
}

int wf_proc_fork(struct wf_proc *p, const struct wf_proc_snap *s, struct wf_err *e)
{
	unsigned n = s->img.nfds;
	int rc;
	struct wf_proc_fork *fk = calloc(1, sizeof(*fk) + s->ndesc * sizeof(fk->desc_fd[0]));
	p->fork = fk;
	p->fds = calloc(n ? n : 1, sizeof(*p->fds));
	p->fd_touched = calloc(words(n) ? words(n) : 1, sizeof(uint64_t));
	p->fd_touched_list = malloc((n ? n : 1) * sizeof(unsigned));
	if (fk) {
		fk->ndesc = s->ndesc;
		for (unsigned d = 0; d < s->ndesc; d++)
			fk->desc_fd[d] = -1;
		fk->desc_list = malloc((s->ndesc ? s->ndesc : 1) * sizeof(unsigned));
		fk->desc_mark = calloc(words(s->ndesc) ? words(s->ndesc) : 1, sizeof(uint64_t));
	}
	if (!fk || !p->fds || !p->fd_touched || !p->fd_touched_list || !fk->desc_list ||
	    !fk->desc_mark) {
		rc = wf_fail(e, -ENOMEM, "out of host memory for a fork's process");
		goto fail;
	}
	p->nfds = n;
	for (unsigned d = 0; d < s->ndesc; d++)
		if ((rc = open_desc(fk, s, d, e)))
			goto fail;
	for (unsigned i = 0; i < n; i++) {
		p->fds[i] = (struct wf_fd){.kind = WF_FD_FREE, .host_fd = -1};
		if (s->fds[i].kind != WF_FD_FREE && (rc = restore_slot(p, s, i, e)))
			goto fail;
	}
	if ((rc = restore_fields(p, s, e)))
		goto fail;
	return 0;
fail:
	wf_proc_fini(p);
	return rc;
}

int wf_proc_reset(struct wf_proc *p, const struct wf_proc_snap *s, struct wf_err *e)
{
	struct wf_proc_fork *fk = p->fork;
	int rc;
	if (!fk || p->nfds != s->img.nfds || fk->ndesc != s->ndesc)
		return wf_fail(e, -EINVAL, "wf_proc_reset: not a fork of this snapshot");
	fk->stats.resets++;
	fk->stats.syscalls += p->syscalls - s->img.syscalls;
	fk->stats.unknown_syscalls += p->unknown_syscalls - s->img.unknown_syscalls;

	/* Only fds the run reached can differ (proc.c records them); the rest are left alone. */
	for (unsigned k = 0; k < p->nfd_touched; k++) {
		unsigned i = p->fd_touched_list[k];
		struct wf_fd *c = &p->fds[i];
		const struct wf_fd *sf = &s->fds[i];
		p->fd_touched[i / 64] &= ~(1ull << (i % 64));
		if (c->kind == WF_FD_HOST)
			mark_desc(fk, c->desc);
		mark_desc(fk, sf->desc);
		bool same;
		switch (sf->kind) {
		case WF_FD_FREE:
			same = c->kind == WF_FD_FREE;
			break;
		case WF_FD_HOST:
			/* desc survives only dups of the same description (see struct wf_fd). */
			same = c->kind == WF_FD_HOST && c->desc == sf->desc &&
			       (c->path == sf->path ||
				(c->path && sf->path && !strcmp(c->path, sf->path))) &&
			       (c->names == sf->names ||
				(c->names && sf->names && !memcmp(c->names, sf->names, sizeof(*c->names)))) &&
			       c->sigfd == sf->sigfd && c->sigmask == sf->sigmask;
			break;
		default:
			same = c->kind == sf->kind && c->host_fd == sf->host_fd &&
			       c->chan == sf->chan;
			break;
		}
		if (same) {
			/* Per-fd state: FD_CLOEXEC and the bookkeeping copies of the flags. */
			c->flags = sf->flags;
			c->is_dir = sf->is_dir;
			c->writable = sf->writable;
			continue;
		}
		fk->stats.fds_restored++;
		if (sf->kind == WF_FD_FREE) {
			if (c->kind == WF_FD_HOST && c->host_fd >= 0)
				close(c->host_fd);
			wf_fd_extra_free(c);
			*c = (struct wf_fd){.kind = WF_FD_FREE, .host_fd = -1};
		} else if ((rc = restore_slot(p, s, i, e))) {
			p->nfd_touched = 0;
			return rc;
		}
	}
	p->nfd_touched = 0;

	/* Positions and status flags live in the descriptions, shared by all their dups. */
	for (unsigned k = 0; k < fk->ndesc_list; k++) {
		unsigned d = fk->desc_list[k];
		fk->desc_mark[d / 64] &= ~(1ull << (d % 64));
		if ((rc = reposition(fk, s, d, e))) {
			fk->ndesc_list = 0;
			return rc;
		}
	}
	fk->ndesc_list = 0;
	return restore_fields(p, s, e);
}

void wf_proc_fork_stats(const struct wf_proc *p, struct wf_proc_fork_stats *out)
{
	*out = p->fork ? p->fork->stats : (struct wf_proc_fork_stats){0};
}

void wf_proc_fork_release(struct wf_proc *p)
{
	struct wf_proc_fork *fk = p->fork;
	if (fk) {
		for (unsigned d = 0; d < fk->ndesc; d++)
			close_fd(&fk->desc_fd[d]);
		free(fk->desc_list);
		free(fk->desc_mark);
		free(fk);
	}
	p->fork = NULL;
	free(p->fd_touched);
	free(p->fd_touched_list);
	p->fd_touched = NULL;
	p->fd_touched_list = NULL;
	p->nfd_touched = 0;
}
