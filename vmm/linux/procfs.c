// SPDX-License-Identifier: Apache-2.0
/* procfs.c: the guest's /proc/self and /proc/PID: maps, exe, cmdline, environ, stat, status, comm, synthesised from the emulated processes. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "util.h"
#include "linux/ptable.h"
#include "linux/syscall.h"

/*
 * No host /proc is ever shown: the files below are made from the emulated process when they
 * are opened, into a sealed-size memfd the guest reads (what the sanitizers' runtimes and
 * many programs read at start-up). Everything else under /proc is ENOENT, writes are EACCES.
 *   maps     one line per VMA, in the kernel's format (show_map_vma): "[heap]" and "[stack]"
 *            named, file mappings unnamed (the VMM keeps no file names for them)
 *   cmdline  the argument strings, environ the environment strings, from guest memory (as
 *            the kernel reads them, between arg_start/arg_end and env_start/env_end)
 *   exe      a symlink to the program as the guest names it
 *   stat, status, comm  ids, state (R for the caller, S, T when stopped, Z), thread count
 *            and name; times, counts and addresses are zero
 * /proc/PID of another process of the sandbox has stat, status, comm and cmdline (its first
 * 256 bytes, as its VMM recorded them at start, exec and PR_SET_NAME: ptable.c); its maps,
 * environ and exe are EACCES, as without ptrace access to it.
 */

enum { G_MAP_SHARED = 0x01, G_MAP_GROWSDOWN = 0x100, G_MAP_STACK = 0x20000 };

/*
 * "/proc/self/NAME" or "/proc/PID/NAME": NAME, "" for the directory itself, NULL when abs is
 * not under /proc at all. *pid: 0 for this process (self, or its own pid), the pid of
 * another process of the sandbox, or -1 for a /proc path that names neither (ENOENT).
 */
static const char *leaf(struct wf_proc *p, const char *abs, int32_t *pid)
{
	*pid = -1;
	if (strncmp(abs, "/proc", 5) || (abs[5] && abs[5] != '/'))
		return NULL;
	const char *rest = abs + 5;
	if (!*rest || !rest[1])
		return ""; /* /proc itself: not listed */
	rest++;
	size_t n = strcspn(rest, "/");
	long id = 0;
	bool digits = n > 0 && n < 10 && (rest[0] != '0' || n == 1); /* name_to_int */
	for (size_t i = 0; digits && i < n; i++) {
		digits = rest[i] >= '0' && rest[i] <= '9';
		id = id * 10 + (rest[i] - '0');
	}
	struct wf_ptask e;
	if (n == 4 && !strncmp(rest, "self", 4))
		*pid = 0;
	else if (digits && id == p->pid)
		*pid = 0;
	else if (digits && !wf_ptab_peek(p, (int32_t)id, &e))
		*pid = (int32_t)id;
	else
		return "";
	rest += n;
	return *rest ? rest + 1 : "";
}

bool wf_procfs_path(const char *abs)
{
	return !strncmp(abs, "/proc", 5) && (!abs[5] || abs[5] == '/');
}

/* The text of one file, malloc'd, into *out (length *len). */
static int render_maps(struct wf_proc *p, char **out, size_t *len)
{
	FILE *f = open_memstream(out, len);
	if (!f)
		return -ENOMEM;
	for (unsigned i = 0; i < p->nvmas; i++) {
		const struct wf_vma *v = &p->vmas[i];
		const char *name = NULL;
		if (v->flags & (G_MAP_GROWSDOWN | G_MAP_STACK))
			name = "[stack]";
		else if (p->brk_cur > p->brk_start && v->start < p->brk_cur && v->end > p->brk_start)
			name = "[heap]";
		int col = fprintf(f, "%08llx-%08llx %c%c%c%c %08llx %02x:%02x %llu ",
				  (unsigned long long)v->start, (unsigned long long)v->end,
				  v->prot & WF_PROT_READ ? 'r' : '-', v->prot & WF_PROT_WRITE ? 'w' : '-',
				  v->prot & WF_PROT_EXEC ? 'x' : '-', v->flags & G_MAP_SHARED ? 's' : 'p',
				  0ull, 0, 0, 0ull);
		if (name)
			fprintf(f, "%*s%s", col < 73 ? 73 - col : 0, "", name);
		fputc('\n', f);
	}
	return fclose(f) ? -ENOMEM : 0;
}

/* Guest memory [start, end) (strings the guest may have changed), bounded. */
static int render_mem(struct wf_proc *p, wf_gaddr_t start, wf_gaddr_t end, char **out,
		      size_t *len)
{
	uint64_t n = end > start ? end - start : 0;
	if (n > (1u << 20))
		n = 1u << 20;
	*out = malloc(n ? n : 1);
	if (!*out)
		return -ENOMEM;
	if (n && wf_mem_read(&p->mem, *out, start, n))
		n = 0; /* unmapped since: empty, as the kernel gives when it cannot read */
	*len = n;
	return 0;
}

/* What /proc/PID/stat and status show of a process: this one (from p) or another one
 * (from its table entry, which its own VMM keeps current). */
struct pinfo {
	int32_t pid, ppid, pgid, sid, threads;
	char state;
	char comm[16];
};

static void info_of(struct wf_proc *p, int32_t pid, struct pinfo *i)
{
	struct wf_ptask e;
	if (pid) {
		(void)wf_ptab_peek(p, pid, &e); /* leaf() found it; a race leaves zeros */
		bool zombie = e.state == WF_PT_ZOMBIE;
		*i = (struct pinfo){.pid = e.pid, .ppid = e.ppid, .pgid = e.pgid, .sid = e.sid,
				    .threads = zombie ? 1 : e.threads,
				    .state = zombie ? 'Z' : e.stopped ? 'T' : 'S'};
		memcpy(i->comm, e.comm, sizeof(i->comm));
	} else {
		*i = (struct pinfo){.pid = p->pid, .ppid = p->ptab ? wf_ptab_getppid(p) : p->ppid,
				    .pgid = p->ptab ? (int32_t)wf_ptab_getpgid(p, 0, false) : p->pid,
				    .sid = p->ptab ? (int32_t)wf_ptab_getpgid(p, 0, true) : p->pid,
				    .threads = (int32_t)(p->live ? p->live : 1), .state = 'R'};
		memcpy(i->comm, p->comm, sizeof(i->comm));
	}
	i->comm[sizeof(i->comm) - 1] = 0;
}

static const char *state_name(char c)
{
	return c == 'R' ? "running" : c == 'Z' ? "zombie" : c == 'T' ? "stopped" : "sleeping";
}

/* fs/proc/array.c's formats: stat's 52 fields (times, counts and addresses zero), and the
 * first lines of status. */
static int render_info(struct wf_proc *p, int32_t pid, bool status, char **out, size_t *len)
{
	struct pinfo i;
	info_of(p, pid, &i);
	FILE *f = open_memstream(out, len);
	if (!f)
		return -ENOMEM;
	if (status) {
		fprintf(f, "Name:\t%s\nUmask:\t%04o\nState:\t%c (%s)\nTgid:\t%d\nNgid:\t0\n"
			   "Pid:\t%d\nPPid:\t%d\nTracerPid:\t0\nUid:\t%u\t%u\t%u\t%u\n"
			   "Gid:\t%u\t%u\t%u\t%u\nThreads:\t%d\n",
			i.comm, pid ? 022 : p->umask, i.state, state_name(i.state), i.pid, i.pid, i.ppid,
			p->uid, p->uid, p->uid, p->uid, p->gid, p->gid, p->gid, p->gid, i.threads);
	} else {
		fprintf(f, "%d (%s) %c %d %d %d 0 -1 4194304 0 0 0 0 0 0 0 0 20 0 %d 0 0 0 0 "
			   "18446744073709551615",
			i.pid, i.comm, i.state, i.ppid, i.pgid, i.sid, i.threads);
		for (int field = 26; field <= 52; field++)
			fputs(" 0", f);
		fputc('\n', f);
	}
	return fclose(f) ? -ENOMEM : 0;
}

/* A memfd holding text, at offset 0. */
static int memfd_of(const char *name, const char *text, size_t len)
{
	int fd = memfd_create(name, MFD_CLOEXEC);
	if (fd < 0)
		return -errno;
	for (size_t off = 0; off < len;) {
		ssize_t w = write(fd, text + off, len - off);
		if (w <= 0) {
			int rc = w < 0 ? -errno : -EIO;
			close(fd);
			return rc;
		}
		off += (size_t)w;
	}
	lseek(fd, 0, SEEK_SET);
	return fd;
}

int wf_procfs_open(struct wf_proc *p, const char *abs, bool write)
{
	int32_t pid;
	const char *name = leaf(p, abs, &pid);
	if (!name)
		return -EINVAL;
	if (pid < 0 || !*name)
		return -ENOENT; /* /proc and its directories are not listed */
	if (write)
		return -EACCES;
	char *text = NULL;
	size_t len = 0;
	int rc;
	struct wf_ptask e;
	if (!strcmp(name, "stat") || !strcmp(name, "status")) {
		rc = render_info(p, pid, name[4] == 'u', &text, &len);
	} else if (!strcmp(name, "comm")) {
		struct pinfo i;
		info_of(p, pid, &i);
		rc = (text = malloc(sizeof(i.comm) + 1)) ? 0 : -ENOMEM;
		if (!rc)
			len = (size_t)snprintf(text, sizeof(i.comm) + 1, "%s\n", i.comm);
	} else if (!strcmp(name, "cmdline") && pid) {
		/* another process's: the start of it, as its VMM last recorded it */
		if (wf_ptab_peek(p, pid, &e))
			return -ENOENT;
		len = e.state == WF_PT_ZOMBIE ? 0 : e.cmdline_len;
		rc = (text = malloc(len ? len : 1)) ? 0 : -ENOMEM;
		if (!rc)
			memcpy(text, e.cmdline, len);
	} else if (pid) {
		static const char *const own[] = {"maps", "environ", "exe"};
		for (size_t i = 0; i < ARRAY_SIZE(own); i++)
			if (!strcmp(name, own[i]))
				return -EACCES; /* another process's memory: not shown */
		return -ENOENT;
	} else if (!strcmp(name, "maps")) {
		rc = render_maps(p, &text, &len);
	} else if (!strcmp(name, "cmdline")) {
		rc = render_mem(p, p->arg_start, p->arg_end, &text, &len);
	} else if (!strcmp(name, "environ")) {
		rc = render_mem(p, p->env_start, p->env_end, &text, &len);
	} else if (!strcmp(name, "exe")) {
		return -EACCES; /* the program itself is not the guest's to read through here */
	} else {
		return -ENOENT;
	}
	if (rc)
		return rc;
	rc = memfd_of(name, text, len);
	free(text);
	return rc;
}

int wf_procfs_readlink(struct wf_proc *p, const char *abs, char *buf, size_t cap)
{
	int32_t pid;
	const char *name = leaf(p, abs, &pid);
	if (!name)
		return -EINVAL;
	if (pid < 0)
		return -ENOENT;
	if (strcmp(name, "exe")) {
		static const char *const files[] = {"", "maps", "cmdline", "environ", "stat",
						    "status", "comm"};
		for (size_t i = 0; i < ARRAY_SIZE(files); i++)
			if (!strcmp(name, files[i]))
				return -EINVAL; /* there, but not a symlink */
		return -ENOENT;
	}
	if (pid)
		return -EACCES; /* another process's program: not shown */
	size_t n = strnlen(p->exe, sizeof(p->exe));
	if (!n)
		return -ENOENT;
	if (n > cap)
		n = cap;
	memcpy(buf, p->exe, n);
	return (int)n;
}
