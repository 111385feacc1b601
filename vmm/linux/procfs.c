// SPDX-License-Identifier: Apache-2.0
/* procfs.c: the guest's /proc/self (and /proc/PID of itself): maps, exe, cmdline, environ, synthesised from the emulated process. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "util.h"
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
 */

enum { G_MAP_SHARED = 0x01, G_MAP_GROWSDOWN = 0x100, G_MAP_STACK = 0x20000 };

/* "/proc/self/NAME" or "/proc/PID/NAME" for our pid: NAME; "" for the directory itself; NULL
 * when abs is not under /proc at all. *other: a /proc path that is not ours (ENOENT). */
static const char *leaf(const struct wf_proc *p, const char *abs, bool *other)
{
	*other = false;
	if (strncmp(abs, "/proc", 5) || (abs[5] && abs[5] != '/'))
		return NULL;
	const char *rest = abs + 5;
	if (!*rest || !rest[1]) {
		*other = true; /* /proc itself: not listed */
		return "";
	}
	rest++;
	char self[32];
	snprintf(self, sizeof(self), "%d", (int)p->pid);
	size_t n = strcspn(rest, "/");
	if (!((n == 4 && !strncmp(rest, "self", 4)) || (n == strlen(self) && !strncmp(rest, self, n)))) {
		*other = true;
		return "";
	}
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
	bool other;
	const char *name = leaf(p, abs, &other);
	if (!name)
		return -EINVAL;
	if (other || !*name)
		return -ENOENT; /* /proc and its directories are not listed */
	if (write)
		return -EACCES;
	char *text = NULL;
	size_t len = 0;
	int rc;
	if (!strcmp(name, "maps"))
		rc = render_maps(p, &text, &len);
	else if (!strcmp(name, "cmdline"))
		rc = render_mem(p, p->arg_start, p->arg_end, &text, &len);
	else if (!strcmp(name, "environ"))
		rc = render_mem(p, p->env_start, p->env_end, &text, &len);
	else if (!strcmp(name, "exe"))
		return -EACCES; /* the program itself is not the guest's to read through here */
	else
		return -ENOENT;
	if (rc)
		return rc;
	rc = memfd_of(name, text, len);
	free(text);
	return rc;
}

int wf_procfs_readlink(struct wf_proc *p, const char *abs, char *buf, size_t cap)
{
	bool other;
	const char *name = leaf(p, abs, &other);
	if (!name)
		return -EINVAL;
	if (other)
		return -ENOENT;
	if (strcmp(name, "exe")) {
		static const char *const files[] = {"", "maps", "cmdline", "environ"};
		for (size_t i = 0; i < ARRAY_SIZE(files); i++)
			if (!strcmp(name, files[i]))
				return -EINVAL; /* there, but not a symlink */
		return -ENOENT;
	}
	size_t n = strnlen(p->exe, sizeof(p->exe));
	if (!n)
		return -ENOENT;
	if (n > cap)
		n = cap;
	memcpy(buf, p->exe, n);
	return (int)n;
}
