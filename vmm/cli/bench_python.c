// SPDX-License-Identifier: Apache-2.0
/* bench_python.c: `warmfork bench`'s python3 start-up figures, in warmfork and natively (chroot), in one run. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"
#include "vm.h"

#define PYTHON "/usr/bin/python3"
#define RUNS 3

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static char *py_argv[] = {"python3", "-c", "pass", NULL};
static char *py_envp[] = {NULL};

/* python3 -c pass under warmfork run --sysroot root, whole (VM creation to exit), in ms. */
static int warm_once(const char *root, double *ms, uint64_t *file_kib, struct wf_err *e)
{
	double t0 = now_ms();
	struct wf_vm_config cfg = {.mem_size = 256ull << 20, .timeout_s = 120};
	struct wf_vm *vm;
	int rc = wf_vm_create(&cfg, &vm, e);
	if (rc)
		return rc;
	if (!(rc = wf_vm_set_root(vm, root, e)) &&
	    !(rc = wf_vm_load(vm, PYTHON, 3, py_argv, py_envp, e))) {
		struct wf_result r;
		wf_vm_run(vm, &r);
		if (r.reason != WF_STOP_EXIT || r.status != 0)
			rc = wf_fail(e, -EIO, "python3 under warmfork did not exit 0: %s", r.msg);
		*file_kib = wf_vm_file_pages(vm) * 4;
	}
	wf_vm_destroy(vm);
	*ms = now_ms() - t0;
	return rc;
}

/* The same natively: fork, chroot(root), exec, wait (needs root, as chroot does). */
static int native_once(const char *root, double *ms, struct wf_err *e)
{
	double t0 = now_ms();
	pid_t pid = fork();
	if (pid < 0)
		return wf_fail(e, -errno, "fork: %s", strerror(errno));
	if (pid == 0) {
		if (chroot(root) || chdir("/"))
			_exit(126);
		execve(PYTHON, py_argv, py_envp);
		_exit(127);
	}
	int st;
	if (waitpid(pid, &st, 0) != pid)
		return wf_fail(e, -errno, "waitpid: %s", strerror(errno));
	*ms = now_ms() - t0;
	if (!WIFEXITED(st) || WEXITSTATUS(st))
		return wf_fail(e, -EIO, "native python3 in %s: status 0x%x (chroot needs root)",
			       root, st);
	return 0;
}

int wf_bench_python(const char *root, struct wf_python_figures *out, struct wf_err *e)
{
	struct stat st;
	memset(out, 0, sizeof(*out));
	if (!root || stat(root, &st) || !S_ISDIR(st.st_mode))
		return 0; /* no root: no figures */
	double ms;
	/* One run of each first, unmeasured: the files into the page cache. */
	int rc = warm_once(root, &ms, &out->file_kib, e);
	if (!rc)
		rc = native_once(root, &ms, e);
	for (int i = 0; !rc && i < RUNS; i++) {
		if (!(rc = warm_once(root, &ms, &out->file_kib, e)))
			out->warm_ms += ms / RUNS;
		if (!rc && !(rc = native_once(root, &ms, e)))
			out->native_ms += ms / RUNS;
	}
	out->have = rc == 0;
	return rc;
}
