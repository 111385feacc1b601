// SPDX-License-Identifier: Apache-2.0
/* exec.c: execve and execveat: arguments, the checks Linux makes, #! scripts, and what a new program does not keep. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "linux/ptable.h"
#include "linux/signals.h"
#include "linux/syscall.h"

enum {
	G_AT_FDCWD = -100,
	G_AT_SYMLINK_NOFOLLOW = 0x100,
	G_AT_EMPTY_PATH = 0x1000,
	G_O_CLOEXEC = 02000000,
	G_MAX_ARG_STRLEN = 32 * 4096,       /* one string (MAX_ARG_STRLEN) */
	G_MAX_ARG_BYTES = 2 * 1024 * 1024,  /* all of them: a quarter of the 8 MiB stack */
	G_BINPRM_BUF = 256,                 /* what the kernel reads of a file to know it */
	G_MAX_DEPTH = 5,                    /* interpreters of interpreters (ELOOP past it) */
};

/* A NULL-terminated vector of host strings, and what it holds. */
struct strv {
	char **v;
	int n, cap;
	size_t bytes;
};

static void strv_free(struct strv *s)
{
	for (int i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	memset(s, 0, sizeof(*s));
}

/* Append a copy of str at position `at` (0..n): 0, -E2BIG or -ENOMEM. */
static int strv_insert(struct strv *s, int at, const char *str)
{
	size_t len = strlen(str) + 1;
	if (len > G_MAX_ARG_STRLEN || s->bytes + len > G_MAX_ARG_BYTES)
		return -E2BIG;
	if (s->n + 2 > s->cap) {
		int cap = s->cap ? 2 * s->cap : 16;
		char **v = realloc(s->v, (size_t)cap * sizeof(*v));
		if (!v)
			return -ENOMEM;
		s->v = v;
		s->cap = cap;
	}
	char *copy = strdup(str);
	if (!copy)
		return -ENOMEM;
	memmove(&s->v[at + 1], &s->v[at], (size_t)(s->n - at) * sizeof(*s->v));
	s->v[at] = copy;
	s->n++;
	s->v[s->n] = NULL;
	s->bytes += len;
	return 0;
}

/* The guest's argv or envp at addr (0: none) into s: 0, -EFAULT or -E2BIG. */
static int read_strv(struct wf_proc *p, uint64_t addr, struct strv *s, char *buf)
{
	int rc = strv_insert(s, 0, "");
	if (rc)
		return rc;
	free(s->v[0]); /* only to have the array: start empty */
	s->n = 0;
	s->v[0] = NULL;
	s->bytes = 0;
	for (uint64_t i = 0; addr; i++) {
		uint64_t ptr;
		if (i > UINT64_MAX / 8 - addr / 8 || wf_mem_read(&p->mem, &ptr, addr + 8 * i, 8))
			return -EFAULT;
		if (!ptr)
			break;
		rc = wf_proc_strdup(p, ptr, buf, G_MAX_ARG_STRLEN);
		if (rc)
			return rc == -ENAMETOOLONG ? -E2BIG : rc;
		if ((rc = strv_insert(s, s->n, buf)))
			return rc;
	}
	return 0;
}

/* Linux's do_open_execat: a regular file the caller may execute (EACCES otherwise). */
static int check_exec(int fd)
{
	struct stat st;
	if (fstat(fd, &st))
		return -errno;
	if (!S_ISREG(st.st_mode))
		return -EACCES;
	if (syscall(SYS_faccessat2, fd, "", X_OK, AT_EMPTY_PATH | AT_EACCESS))
		return -EACCES;
	return 0;
}

/*
 * binfmt_script: "#!interpreter [one argument]" on the first line (within the first 256
 * bytes, unless the rest of the line is only the argument's tail). The interpreter runs with
 * argv = interpreter, [argument], the script's name, then the old argv without argv[0].
 */
static int script(const char *head, size_t n, const char *name, struct strv *argv, char *interp)
{
	char line[G_BINPRM_BUF + 1];
	memcpy(line, head, n);
	line[n] = 0;
	char *end = memchr(line, '\n', n);
	if (end) {
		*end = 0;
	} else {
		/* No newline: the interpreter's name must end within the buffer. */
		char *q = line + 2;
		while (*q == ' ' || *q == '\t')
			q++;
		if (!strpbrk(q, " \t"))
			return -ENOEXEC;
	}
	char *q = line + 2;
	while (*q == ' ' || *q == '\t')
		q++;
	char *e = q + strlen(q);
	while (e > q && (e[-1] == ' ' || e[-1] == '\t'))
		*--e = 0;
	if (!*q)
		return -ENOEXEC;
	char *arg = q + strcspn(q, " \t");
	if (*arg) {
		*arg++ = 0;
		while (*arg == ' ' || *arg == '\t')
			arg++;
	}
	snprintf(interp, 4096, "%s", q);
	if (argv->n) {
		argv->bytes -= strlen(argv->v[0]) + 1;
		free(argv->v[0]);
		memmove(&argv->v[0], &argv->v[1], (size_t)argv->n * sizeof(*argv->v));
		argv->n--;
	}
	int rc = strv_insert(argv, 0, name);
	if (!rc && *arg)
		rc = strv_insert(argv, 0, arg);
	if (!rc)
		rc = strv_insert(argv, 0, q);
	return rc;
}

/* What a new program keeps and loses (Linux's begin_new_exec and flush_signal_handlers). */
static void new_program(struct wf_proc *p)
{
	for (int s = 1; s <= WF_NSIG; s++) {
		bool ign = p->sigact[s].handler == WF_SIG_IGN;
		p->sigact[s] = (struct wf_sigaction){.handler = ign ? WF_SIG_IGN : WF_SIG_DFL};
	}
	wf_timers_forget(p, true); /* POSIX timers go; ITIMER_REAL stays (exit_itimers) */
	p->sigthr.ss_sp = 0;
	p->sigthr.ss_size = 0;
	p->sigthr.ss_flags = WF_SS_DISABLE;
	for (unsigned fd = 0; fd < p->nfds; fd++) {
		struct wf_fd *f = wf_fd_get(p, fd);
		if (f && (f->flags & G_O_CLOEXEC))
			wf_fd_close(p, (int)fd);
	}
	/* The other threads are gone; this one takes the process's pid (de_thread). */
	free(p->thr);
	p->thr = NULL;
	p->nthr = p->thr_cap = p->cur = 0;
	p->live = 1;
	p->tid = p->pid;
	p->resched = p->parked = p->leader_exited = false;
	p->clear_child_tid = 0;
	p->robust_list = p->robust_len = 0;
	p->rseq = p->rseq_len = 0;
	p->rseq_sig = 0;
	if (p->ptab) {
		p->ptab->t[p->ptab_slot].execed = true;
		wf_ptab_note_sigchld(p);
		wf_ptab_note_names(p);
		wf_ptab_vfork_release(p);
	}
}

static int64_t do_exec(struct wf_proc *p, int dirfd, uint64_t path_addr, uint64_t argv_addr,
		       uint64_t envp_addr, int flags)
{
	if (flags & ~(G_AT_SYMLINK_NOFOLLOW | G_AT_EMPTY_PATH))
		return -EINVAL;
	char *buf = malloc(G_MAX_ARG_STRLEN);
	char *name = malloc(4096), *abs = malloc(4096), *interp = malloc(4096);
	struct strv argv = {0}, envp = {0};
	int64_t rc = -ENOMEM;
	int fd = -1;
	if (!buf || !name || !abs || !interp)
		goto out;
	if ((rc = wf_proc_strdup(p, path_addr, name, 4096)))
		goto out;
	if ((rc = read_strv(p, argv_addr, &argv, buf)) || (rc = read_strv(p, envp_addr, &envp, buf)))
		goto out;
	if (!p->mmu || !p->mmu->exec) {
		rc = -ENOSYS;
		goto out;
	}
	if (!name[0] && (flags & G_AT_EMPTY_PATH)) {
		struct wf_fd *f = wf_fd_get(p, dirfd);
		if (!f) {
			rc = -EBADF;
			goto out;
		}
		if (f->kind != WF_FD_HOST || !f->path) {
			rc = -EACCES;
			goto out;
		}
		snprintf(name, 4096, "/dev/fd/%d", dirfd);
		snprintf(abs, 4096, "%s", f->path);
		fd = fcntl(f->host_fd, F_DUPFD_CLOEXEC, 3);
		rc = fd < 0 ? -errno : 0;
	} else {
		rc = fd = wf_fs_open_exec(p, dirfd, name, flags & G_AT_SYMLINK_NOFOLLOW, abs, 4096);
	}
	for (int depth = 0; rc >= 0; depth++) {
		char head[G_BINPRM_BUF];
		ssize_t n;
		if ((rc = check_exec(fd)))
			break;
		if ((n = pread(fd, head, sizeof(head), 0)) < 0) {
			rc = -errno;
			break;
		}
		if (n >= 4 && !memcmp(head, "\177ELF", 4)) {
			rc = p->mmu->exec(p->mmu_ctx, fd, abs, argv.v, envp.v);
			if (rc > 0) {
				wf_proc_kill(p, (int)rc);
				rc = 0;
			} else if (rc == 0) {
				new_program(p);
			}
			break;
		}
		if (n < 2 || head[0] != '#' || head[1] != '!' || depth >= G_MAX_DEPTH - 1) {
			rc = n >= 2 && head[0] == '#' && head[1] == '!' ? -ELOOP : -ENOEXEC;
			break;
		}
		if ((rc = script(head, (size_t)n, name, &argv, interp)))
			break;
		close(fd);
		snprintf(name, 4096, "%s", interp);
		rc = fd = wf_fs_open_exec(p, G_AT_FDCWD, interp, false, abs, 4096);
	}
out:
	if (fd >= 0)
		close(fd);
	strv_free(&argv);
	strv_free(&envp);
	free(buf);
	free(name);
	free(abs);
	free(interp);
	return rc;
}

static int64_t sys_execve(struct wf_proc *p, const uint64_t a[6])
{
	return do_exec(p, G_AT_FDCWD, a[0], a[1], a[2], 0);
}

static int64_t sys_execveat(struct wf_proc *p, const uint64_t a[6])
{
	return do_exec(p, (int)(uint32_t)a[0], a[1], a[2], a[3], (int)a[4]);
}

const struct wf_syscall_def wf_sys_exec[] = {
	{WF_NR_execve, "execve", sys_execve, "spp"},
	{WF_NR_execveat, "execveat", sys_execveat, "dsppx"},
	{0},
};
