// SPDX-License-Identifier: Apache-2.0
/* proc.c: the emulated process's host-side state: fd table, allow-list, cwd, its PRNG. */
#include "proc.h"
#include "proc_snap.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/syscall.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

/* The guest's O_RDONLY and O_WRONLY (arm64 values), for the stdio descriptors. */
enum { G_O_RDONLY = 0, G_O_WRONLY = 1 };

int wf_proc_init(struct wf_proc *p)
{
	unsigned n = p->lim.max_fds ? p->lim.max_fds : WF_MAX_FDS_DEFAULT;
	if (n < 3)
		n = 3;
	p->fds = calloc(n, sizeof(*p->fds));
	if (!p->fds)
		return -ENOMEM;
	p->nfds = n;
	/* fd 0 reads the embedder's stdin; 1 and 2 go to the printer. Like pipes: no O_LARGEFILE. */
	p->fds[0] = (struct wf_fd){.kind = WF_FD_STDIN, .host_fd = 0, .flags = G_O_RDONLY};
	for (int i = 1; i <= 2; i++)
		p->fds[i] = (struct wf_fd){
			.kind = WF_FD_OUTPUT, .host_fd = -1, .chan = i, .flags = G_O_WRONLY};
	if (!p->cwd[0])
		strcpy(p->cwd, "/");
	p->umask = 022;
	p->dumpable = 1;               /* SUID_DUMP_USER, again after execve */
	if (!p->timerslack_ns)
		p->timerslack_ns = 50000; /* the default timer slack; kept across execve */
	/* Abstract socket names are the host's, under this tag (linux/unix.c): one per sandbox,
	 * its processes inherit it, and other sandboxes' names are out of reach. */
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	p->sock_tag = ((uint32_t)getpid() * 2654435761u) ^ (uint32_t)((uintptr_t)p >> 4) ^
		      (uint32_t)now.tv_nsec;
	p->sigthr.ss_flags = 2; /* SS_DISABLE: no alternate signal stack */
	p->output_bytes = 0;

	bool zero = !(p->rng[0] | p->rng[1] | p->rng[2] | p->rng[3]);
	if (!p->deterministic || zero) {
		if (p->deterministic) {
			/* Deterministic without a seed: a fixed state (xoshiro's state must not be 0). */
			p->rng[0] = 0x9e3779b97f4a7c15ull;
			p->rng[1] = 0xbf58476d1ce4e5b9ull;
			p->rng[2] = 0x94d049bb133111ebull;
			p->rng[3] = 0x2545f4914f6cdd1dull;
		} else if (getrandom(p->rng, sizeof(p->rng), 0) != (ssize_t)sizeof(p->rng)) {
			int err = errno ? errno : EIO;
			free(p->fds);
			p->fds = NULL;
			p->nfds = 0;
			return -err;
		}
		if (!(p->rng[0] | p->rng[1] | p->rng[2] | p->rng[3]))
			p->rng[0] = 1;
	}
	return 0;
}

void wf_proc_fini(struct wf_proc *p)
{
	for (unsigned i = 0; i < p->nfds; i++)
		wf_fd_close(p, (int)i);
	free(p->fds);
	p->fds = NULL;
	p->nfds = 0;
	wf_proc_fork_release(p);
	for (unsigned i = 0; i < p->nallow && !p->allow_borrowed; i++) {
		if (p->allow[i].dirfd >= 0)
			close(p->allow[i].dirfd);
		free(p->allow[i].path);
		free(p->allow[i].host);
	}
	if (!p->allow_borrowed)
		free(p->allow);
	p->allow_borrowed = false;
	p->allow = NULL;
	p->nallow = 0;
	free(p->vmas);
	p->vmas = NULL;
	free(p->thr);
	p->thr = NULL;
	p->nthr = p->thr_cap = 0;
	p->nvmas = p->cap_vmas = 0;
	free(p->timers);
	p->timers = NULL;
	free(p->sock_ids);
	p->sock_ids = NULL;
}

int wf_path_join(char *out, size_t outsz, const char *base, const char *path, bool *must_dir,
		 int *last_dot)
{
	size_t o = 0;
	*must_dir = false;
	*last_dot = 0;
	if (outsz < 2)
		return -ENAMETOOLONG;
	for (int pass = 0; pass < 2; pass++) {
		const char *in = pass ? path : base;
		while (*in) {
			while (*in == '/')
				in++;
			const char *s = in;
			while (*in && *in != '/')
				in++;
			size_t len = (size_t)(in - s);
			if (len == 0)
				continue;
			*last_dot = 0;
			*must_dir = *in == '/';
			if (len == 1 && s[0] == '.') {
				*last_dot = 1;
				continue;
			}
			if (len == 2 && s[0] == '.' && s[1] == '.') {
				/* Back to the previous '/'; ".." of "/" is "/". */
				while (o > 0 && out[--o] != '/')
					;
				*last_dot = 2;
				continue;
			}
			if (o + 1 + len + 1 > outsz)
				return -ENAMETOOLONG;
			out[o++] = '/';
			memcpy(out + o, s, len);
			o += len;
		}
	}
	if (o == 0)
		out[o++] = '/';
	out[o] = 0;
	*must_dir |= *last_dot != 0;
	return 0;
}

/*
 * The allow-list: each entry shows a host directory at a guest path (by default its own
 * path), and only what lies beneath an entry exists for the guest (fs.c resolves against it
 * with openat2 RESOLVE_BENEATH, the longest guest path winning).
 */
/* Open host directory dir for entry `e` (fills dirfd and host; leaves e alone on failure). */
static int allow_open(const char *dir, struct wf_allow *e)
{
	int fd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	char *host = realpath(dir, NULL);
	if (!host) {
		int rc = errno == ENOMEM ? -ENOMEM : -errno;
		close(fd);
		return rc;
	}
	e->dirfd = fd;
	e->host = host;
	return 0;
}

/* Append an entry: guest path `path` is the host directory `dir`. */
static int allow_add(struct wf_proc *p, const char *dir, const char *path, bool write,
		     bool in_root)
{
	struct wf_allow a = {.write = write, .in_root = in_root, .dirfd = -1};
	int rc = allow_open(dir, &a);
	if (rc)
		return rc;
	a.path = strdup(path);
	struct wf_allow *n = a.path ? realloc(p->allow, (p->nallow + 1) * sizeof(*n)) : NULL;
	if (!n) {
		free(a.path);
		free(a.host);
		close(a.dirfd);
		return -ENOMEM;
	}
	p->allow = n;
	p->allow[p->nallow++] = a;
	return 0;
}

int wf_proc_allow_at(struct wf_proc *p, const char *host, const char *guest, bool write)
{
	char norm[4096];
	if (p->allow_borrowed)
		return -EPERM;
	bool must_dir;
	int last_dot;
	int rc = guest[0] == '/' ?
			 wf_path_join(norm, sizeof(norm), "", guest, &must_dir, &last_dot) :
			 -EINVAL;
	if (rc)
		return rc;
	for (unsigned i = 0; i < p->nallow; i++) {
		struct wf_allow *a = &p->allow[i];
		if (strcmp(a->path, norm))
			continue;
		if (a->in_root)
			return -EEXIST; /* "/" is the --sysroot, read-only */
		struct wf_allow repl = *a;
		if ((rc = allow_open(host, &repl)))
			return rc;
		close(a->dirfd);
		free(a->host);
		*a = repl;
		a->write = write;
		return 0;
	}
	return allow_add(p, host, norm, write, false);
}

int wf_proc_allow(struct wf_proc *p, const char *dir, bool write)
{
	return wf_proc_allow_at(p, dir, dir, write);
}

int wf_proc_guest_path(const struct wf_proc *p, const char *host, char *out, size_t outsz)
{
	const struct wf_allow *best = NULL;
	size_t best_len = 0;
	for (unsigned i = 0; i < p->nallow; i++) {
		const char *h = p->allow[i].host;
		size_t n = h ? strlen(h) : 0;
		if (n == 1)
			n = 0; /* "/" holds everything */
		if (!h || strncmp(host, h, n) || (host[n] != '/' && host[n]))
			continue;
		if (!best || n > best_len) {
			best = &p->allow[i];
			best_len = n;
		}
	}
	if (!best)
		return -ENOENT;
	bool must_dir;
	int last_dot;
	return wf_path_join(out, outsz, best->path, host + best_len, &must_dir, &last_dot);
}

int wf_proc_set_root(struct wf_proc *p, const char *dir)
{
	if (p->allow_borrowed)
		return -EPERM;
	for (unsigned i = 0; i < p->nallow; i++)
		if (p->allow[i].in_root || !strcmp(p->allow[i].path, "/"))
			return -EEXIST;
	return allow_add(p, dir, "/", false, true);
}

int wf_proc_open_root(struct wf_proc *p, const char *path)
{
	for (unsigned i = 0; i < p->nallow; i++) {
		if (!p->allow[i].in_root)
			continue;
		struct open_how how = {.flags = O_RDONLY | O_CLOEXEC,
				       .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS};
		long fd = syscall(SYS_openat2, p->allow[i].dirfd, path, &how, sizeof(how));
		return fd < 0 ? -errno : (int)fd;
	}
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

int wf_proc_strdup(struct wf_proc *p, wf_gaddr_t addr, char *buf, size_t bufsz)
{
	if (bufsz == 0)
		return -ENAMETOOLONG;
	int64_t n = wf_mem_strnlen(&p->mem, addr, bufsz);
	if (n < 0)
		return (int)n;
	if (wf_mem_read(&p->mem, buf, addr, (uint64_t)n + 1))
		return -EFAULT;
	return 0;
}

/* In a fork: remember that fd (in range) may change, for wf_proc_reset. */
static void fd_touch(struct wf_proc *p, unsigned fd)
{
	uint64_t bit = 1ull << (fd % 64);
	if (!p->fd_touched || (p->fd_touched[fd / 64] & bit))
		return;
	p->fd_touched[fd / 64] |= bit;
	p->fd_touched_list[p->nfd_touched++] = fd;
}

struct wf_fd *wf_fd_get(struct wf_proc *p, int64_t fd)
{
	if (fd < 0 || (uint64_t)fd >= p->nfds)
		return NULL;
	fd_touch(p, (unsigned)fd);
	return p->fds[fd].kind == WF_FD_FREE ? NULL : &p->fds[fd];
}

/*
 * Reserve the lowest free fd >= lowest: the slot comes back as an empty WF_FD_HOST with
 * host_fd -1 (so a second call does not return it again); the caller fills it in, or
 * releases it with wf_fd_close.
 */
unsigned wf_fd_limit(const struct wf_proc *p)
{
	if ((p->rlim_set & (1u << WF_RLIMIT_NOFILE)) && p->rlim_cur[WF_RLIMIT_NOFILE] < p->nfds)
		return (unsigned)p->rlim_cur[WF_RLIMIT_NOFILE];
	return p->nfds;
}

int wf_fd_alloc(struct wf_proc *p, int lowest)
{
	unsigned end = wf_fd_limit(p);
	for (unsigned i = lowest > 0 ? (unsigned)lowest : 0; i < end; i++) {
		if (p->fds[i].kind == WF_FD_FREE) {
			fd_touch(p, i);
			p->fds[i] = (struct wf_fd){.kind = WF_FD_HOST, .host_fd = -1};
			return (int)i;
		}
	}
	return -EMFILE;
}

void wf_fd_close(struct wf_proc *p, int fd)
{
	struct wf_fd *f = wf_fd_get(p, fd);
	if (!f)
		return;
	if (f->kind == WF_FD_HOST && f->host_fd >= 0)
		close(f->host_fd);
	wf_fd_extra_free(f);
	*f = (struct wf_fd){.kind = WF_FD_FREE, .host_fd = -1};
}

int wf_fd_extra_copy(struct wf_fd *to, const struct wf_fd *from)
{
	to->path = from->path ? strdup(from->path) : NULL;
	to->names = from->names ? malloc(sizeof(*to->names)) : NULL;
	if ((from->path && !to->path) || (from->names && !to->names)) {
		wf_fd_extra_free(to);
		return -ENOMEM;
	}
	if (to->names)
		*to->names = *from->names;
	return 0;
}

void wf_fd_extra_free(struct wf_fd *f)
{
	free(f->path);
	free(f->names);
	f->path = NULL;
	f->names = NULL;
}

void wf_proc_kill(struct wf_proc *p, int sig)
{
	if (p->exited || p->killed_by)
		return;
	p->killed_by = sig;
}

static inline uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

/* xoshiro256** (Blackman and Vigna). */
static uint64_t next(uint64_t s[4])
{
	uint64_t result = rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

void wf_proc_random(struct wf_proc *p, void *buf, size_t len)
{
	uint8_t *out = buf;
	while (len > 0) {
		uint64_t v = next(p->rng);
		size_t n = len < sizeof(v) ? len : sizeof(v);
		memcpy(out, &v, n);
		out += n;
		len -= n;
	}
}
