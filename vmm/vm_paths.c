// SPDX-License-Identifier: Apache-2.0
/* vm_paths.c: host directories as the embedder names them: allow-list entries, the root, the cwd. */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vm_internal.h"

/* Why a directory cannot be used, in words (strerror's "Invalid argument" says too little). */
static const char *dir_reason(int rc)
{
	switch (rc) {
	case -ENOENT: return "no such directory";
	case -ENOTDIR: return "not a directory";
	case -EACCES: return "permission denied";
	case -ELOOP: return "too many levels of symbolic links";
	case -ENAMETOOLONG: return "the path is too long";
	case -EPERM: return "a fork's allow-list is its master's and cannot change";
	case -ENOMEM: return "out of host memory";
	default: return strerror(-rc);
	}
}

/*
 * dir made absolute against the host's current directory, lexically (a relative "." is the
 * cwd as getcwd names it; symlinks in an absolute dir are kept as the user wrote them).
 */
static int host_abs(const char *dir, char *out, size_t outsz)
{
	char cwd[PATH_MAX];
	bool must_dir;
	int last_dot;
	if (!dir[0])
		return -ENOENT;
	if (dir[0] != '/' && !getcwd(cwd, sizeof(cwd)))
		return -errno;
	return wf_path_join(out, outsz, dir[0] == '/' ? "" : cwd, dir, &must_dir, &last_dot);
}

/* The --sysroot's entry, or NULL. */
static const struct wf_allow *root_entry(const struct wf_proc *p)
{
	for (unsigned i = 0; i < p->nallow; i++)
		if (p->allow[i].in_root)
			return &p->allow[i];
	return NULL;
}

/* Where host directory abs appears by default: inside the --sysroot, its path there; else
 * its own path. */
static int default_guest(const struct wf_proc *p, const char *abs, char *out, size_t outsz)
{
	const struct wf_allow *r = root_entry(p);
	char *real = r ? realpath(abs, NULL) : NULL;
	size_t n = r && r->host ? strlen(r->host) : 0;
	if (real && n > 1 && !strncmp(real, r->host, n) && (real[n] == '/' || !real[n])) {
		snprintf(out, outsz, "%s", real[n] ? real + n : "/");
		free(real);
		return 0;
	}
	free(real);
	if (strlen(abs) >= outsz)
		return -ENAMETOOLONG;
	strcpy(out, abs);
	return 0;
}

int wf_vm_allow_at(struct wf_vm *vm, const char *host, const char *guest, bool write,
		   struct wf_err *e)
{
	char abs[PATH_MAX], where[PATH_MAX];
	int rc = host_abs(host, abs, sizeof(abs));
	if (rc)
		return wf_fail(e, rc, "cannot allow %s: %s", host, dir_reason(rc));
	const char *shown = strcmp(abs, host) ? abs : NULL; /* name both when they differ */
	if (guest && guest[0] != '/')
		return wf_fail(e, -EINVAL, "cannot allow %s at %s: the guest path must be absolute",
			       host, guest);
	if (!guest && (rc = default_guest(&vm->proc, abs, where, sizeof(where))))
		return wf_fail(e, rc, "cannot allow %s: %s", host, dir_reason(rc));
	rc = wf_proc_allow_at(&vm->proc, abs, guest ? guest : where, write);
	if (rc == -EEXIST)
		return wf_fail(e, rc, "cannot allow %s at /: the guest's / is the --sysroot, which "
				  "stays read-only", host);
	if (rc)
		return wf_fail(e, rc, "cannot allow %s%s%s%s: %s", host, shown ? " (" : "",
			       shown ? shown : "", shown ? ")" : "", dir_reason(rc));
	return 0;
}

int wf_vm_allow(struct wf_vm *vm, const char *dir, bool write, struct wf_err *e)
{
	return wf_vm_allow_at(vm, dir, NULL, write, e);
}

int wf_vm_set_root(struct wf_vm *vm, const char *dir, struct wf_err *e)
{
	char abs[PATH_MAX];
	int rc = host_abs(dir, abs, sizeof(abs));
	if (!rc)
		rc = wf_proc_set_root(&vm->proc, abs);
	if (rc)
		return wf_fail(e, rc, "cannot use %s as the guest's root: %s", dir,
			       rc == -EEXIST ? "a root or \"/\" is already allowed" :
					       dir_reason(rc));
	return 0;
}

int wf_vm_set_cwd(struct wf_vm *vm, const char *dir, struct wf_err *e)
{
	struct wf_proc *p = &vm->proc;
	if (dir) {
		int rc = dir[0] == '/' ? wf_fs_chdir(p, dir) : -EINVAL;
		if (rc == -EINVAL)
			return wf_fail(e, rc, "cannot use %s as the guest's working directory: it "
					  "must be an absolute guest path", dir);
		if (rc == -ENOENT)
			return wf_fail(e, rc, "cannot use %s as the guest's working directory: the "
					  "guest sees no such directory (outside its root and "
					  "allowed directories?)", dir);
		if (rc)
			return wf_fail(e, rc, "cannot use %s as the guest's working directory: %s",
				       dir, dir_reason(rc));
		return 0;
	}
	/* The host's cwd where the guest sees it, else "/" (which always stays valid). */
	char cwd[PATH_MAX], guest[PATH_MAX];
	if (getcwd(cwd, sizeof(cwd)) && !wf_proc_guest_path(p, cwd, guest, sizeof(guest)) &&
	    !wf_fs_chdir(p, guest))
		return 0;
	strcpy(p->cwd, "/");
	return 0;
}
