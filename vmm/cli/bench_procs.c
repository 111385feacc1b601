// SPDX-License-Identifier: Apache-2.0
/* bench_procs.c: `warmfork bench`'s guest-process figures: fork+exit+wait and fork+exec+wait, in warmfork and natively, in one run. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"
#include "vm.h"

struct capture {
	char buf[64];
	size_t len;
};

static void keep(void *ctx, int fd, const void *buf, size_t len)
{
	struct capture *c = ctx;
	if (fd == 1 && c->len + len < sizeof(c->buf)) {
		memcpy(c->buf + c->len, buf, len);
		c->len += len;
	}
}

/* The guest's own figure for `guest MODE N` under warmfork run (the guest's directory
 * readable, so it can exec itself). */
static int in_warmfork(const char *guest, const char *mode, const char *n, double *us,
		       struct wf_err *e)
{
	struct capture c = {0};
	struct wf_vm_config cfg = {.print = keep, .print_ctx = &c, .mem_size = 64ull << 20,
				   .timeout_s = 300};
	struct wf_vm *vm;
	int rc = wf_vm_create(&cfg, &vm, e);
	if (rc)
		return rc;
	char dir[4096];
	snprintf(dir, sizeof(dir), "%s", guest);
	char *slash = strrchr(dir, '/');
	if (slash)
		*slash = 0;
	char *argv[] = {(char *)guest, (char *)mode, (char *)n, NULL};
	char *envp[] = {NULL};
	if (!(rc = wf_vm_allow(vm, slash ? dir : ".", false, e)) &&
	    !(rc = wf_vm_load(vm, guest, 3, argv, envp, e))) {
		struct wf_result r;
		wf_vm_run(vm, &r);
		if (r.reason != WF_STOP_EXIT || r.status != 0 || sscanf(c.buf, "%lf", us) != 1)
			rc = wf_fail(e, -EIO, "process bench guest (%s) failed under warmfork: %s, "
					      "status %d", mode, r.msg, r.status);
	}
	wf_vm_destroy(vm);
	return rc;
}

/* The same program natively, its stdout through a pipe. */
static int natively(const char *guest, const char *mode, const char *n, double *us,
		    struct wf_err *e)
{
	int fds[2];
	if (pipe(fds))
		return wf_fail(e, -errno, "pipe: %s", strerror(errno));
	pid_t pid = fork();
	if (pid < 0)
		return wf_fail(e, -errno, "fork: %s", strerror(errno));
	if (pid == 0) {
		dup2(fds[1], 1);
		char *argv[] = {(char *)guest, (char *)mode, (char *)n, NULL};
		char *envp[] = {NULL};
		execve(guest, argv, envp);
		_exit(127);
	}
	close(fds[1]);
	char buf[64] = {0};
	ssize_t got = read(fds[0], buf, sizeof(buf) - 1);
	close(fds[0]);
	int st;
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st) || got <= 0 ||
	    sscanf(buf, "%lf", us) != 1)
		return wf_fail(e, -EIO, "process bench guest (%s) failed natively: status 0x%x",
			       mode, st);
	return 0;
}

int wf_bench_procs(const char *guest, struct wf_procs_figures *out, struct wf_err *e)
{
	memset(out, 0, sizeof(*out));
	int rc;
	if ((rc = in_warmfork(guest, "fork", "20", &out->fork_us, e)) ||
	    (rc = natively(guest, "fork", "20", &out->fork_native_us, e)) ||
	    (rc = in_warmfork(guest, "exec", "10", &out->exec_us, e)) ||
	    (rc = natively(guest, "exec", "10", &out->exec_native_us, e)))
		return rc;
	return 0;
}
