// SPDX-License-Identifier: Apache-2.0
/* bench.c: `warmfork bench`: VMM cost figures, each also as a ratio to a bare VM exit. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"
#include "kvm.h"
#include "vm.h"

static double now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static void discard(void *ctx, int fd, const void *buf, size_t len)
{
	(void)ctx, (void)fd, (void)buf, (void)len;
}

/* Create a VM, load the bench guest, run it to exit; time the whole thing. */
static int run_guest(const char *guest, double *us, struct wf_err *e)
{
	double t0 = now_us();
	struct wf_vm_config cfg = {.print = discard, .mem_size = 64ull << 20};
	struct wf_vm *vm;
	int rc = wf_vm_create(&cfg, &vm, e);
	if (rc)
		return rc;
	char *argv[] = {(char *)guest, NULL};
	char *envp[] = {NULL};
	if (!(rc = wf_vm_load(vm, guest, 1, argv, envp, e))) {
		struct wf_result r;
		wf_vm_run(vm, &r);
		if (r.reason != WF_STOP_EXIT || r.status != 0)
			rc = wf_fail(e, -EIO, "bench guest did not exit cleanly: %s", r.msg);
	}
	wf_vm_destroy(vm);
	*us = now_us() - t0;
	return rc;
}

/* Resident set size of this process in KiB. */
static long rss_kib(void)
{
	long pages = 0, rss = 0;
	FILE *f = fopen("/proc/self/statm", "r");
	if (f) {
		if (fscanf(f, "%ld %ld", &pages, &rss) != 2)
			rss = 0;
		fclose(f);
	}
	return rss * (sysconf(_SC_PAGESIZE) / 1024);
}

struct fork_figures {
	double fork_us, reset_us[3], vmcall_us, syscall_us;
	long rss_kib;
};

static int call_fn(struct wf_vm *f, uint64_t fn, uint64_t arg, struct wf_err *e)
{
	struct wf_result r;
	wf_vm_call(f, fn, &arg, 1, 10, &r);
	if (r.reason != WF_STOP_RETURN)
		return wf_fail(e, -EIO, "bench vmcall failed: %s", r.msg);
	return 0;
}

/* Master at the fork guest's ready point; forks, resets after N dirty pages, vmcalls. */
static int bench_forks(const char *guest, unsigned iters, struct fork_figures *out,
		       struct wf_err *e)
{
	struct wf_vm_config cfg = {.print = discard, .mem_size = 64ull << 20};
	struct wf_vm *m, *f = NULL;
	int rc = wf_vm_create(&cfg, &m, e);
	if (rc)
		return rc;
	char *argv[] = {(char *)guest, NULL};
	char *envp[] = {NULL};
	struct wf_result r;
	uint64_t dirty_fn, empty_fn, getpids_fn;
	if ((rc = wf_vm_load(m, guest, 1, argv, envp, e)))
		goto out;
	wf_vm_run(m, &r);
	if (r.reason != WF_STOP_READY) {
		rc = wf_fail(e, -EIO, "fork bench guest did not reach its ready point: %s", r.msg);
		goto out;
	}
	if ((rc = wf_vm_make_master(m, e)) || (rc = wf_vm_symbol(m, "wf_dirty", &dirty_fn, e)) ||
	    (rc = wf_vm_symbol(m, "wf_empty", &empty_fn, e)) ||
	    (rc = wf_vm_symbol(m, "wf_getpids", &getpids_fn, e)))
		goto out;

	enum { NFORK = 8 };
	struct wf_vm *forks[NFORK] = {0};
	long rss0 = rss_kib();
	double t0 = now_us();
	for (int i = 0; i < NFORK && !rc; i++)
		rc = wf_vm_fork(m, &forks[i], e);
	out->fork_us = (now_us() - t0) / NFORK;
	out->rss_kib = (rss_kib() - rss0) / NFORK;
	for (int i = 0; i < NFORK; i++)
		wf_vm_destroy(forks[i]);
	if (rc || (rc = wf_vm_fork(m, &f, e)))
		goto out;

	static const uint64_t dirty[3] = {1, 16, 256};
	for (int k = 0; k < 3 && !rc; k++) {
		double total = 0;
		for (unsigned i = 0; i < iters && !rc; i++) {
			if ((rc = call_fn(f, dirty_fn, dirty[k], e)))
				break;
			double t = now_us();
			rc = wf_vm_reset(f, e);
			total += now_us() - t;
		}
		out->reset_us[k] = total / iters;
	}
	t0 = now_us();
	for (unsigned i = 0; i < iters && !rc; i++)
		if (!(rc = call_fn(f, empty_fn, 0, e)))
			rc = wf_vm_reset(f, e);
	out->vmcall_us = (now_us() - t0) / iters;
	/* A syscall: a call making GETPIDS of them, less the empty call, inside one warm fork
	 * (timing whole VM runs instead let VM creation's noise swamp it). */
	enum { GETPIDS = 64 };
	t0 = now_us();
	for (unsigned i = 0; i < iters && !rc; i++)
		if (!(rc = call_fn(f, getpids_fn, GETPIDS, e)))
			rc = wf_vm_reset(f, e);
	out->syscall_us = ((now_us() - t0) / iters - out->vmcall_us) / GETPIDS;
out:
	wf_vm_destroy(f);
	wf_vm_destroy(m);
	return rc;
}

int wf_bench_main(int argc, char **argv)
{
	bool json = false;
	const char *guest = WARMFORK_BENCH_GUEST;
	const char *sysroot = WARMFORK_BENCH_SYSROOT[0] ? WARMFORK_BENCH_SYSROOT : NULL;
	unsigned iters = 2000;
	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--json"))
			json = true;
		else if (!strcmp(argv[i], "--guest") && i + 1 < argc)
			guest = argv[++i];
		else if (!strcmp(argv[i], "--sysroot") && i + 1 < argc)
			sysroot = argv[++i];
		else if (!strcmp(argv[i], "--iterations") && i + 1 < argc &&
			 (iters = (unsigned)strtoul(argv[++i], NULL, 10)) >= 100)
			;
		else {
			fprintf(stderr, "usage: warmfork bench [--json] [--iterations N>=100] [--guest PATH] "
					"[--sysroot DIR]\n");
			return 2;
		}
	}
	struct wf_err e = {0};
	double exit_us, create_us = 0;
	int rc = wf_kvm_bench_exit(iters, &exit_us, &e);
	for (int i = 0; !rc && i < 3; i++) {
		double t;
		rc = run_guest(guest, &t, &e);
		create_us += t / 3;
	}
	struct fork_figures ff = {0};
	unsigned fork_iters = iters / 4 ? iters / 4 : 1;
	if (!rc)
		rc = bench_forks(WARMFORK_FORK_GUEST, fork_iters, &ff, &e);
	struct wf_procs_figures pf = {0};
	if (!rc)
		rc = wf_bench_procs(WARMFORK_PROCS_GUEST, &pf, &e);
	struct wf_python_figures py = {0};
	if (!rc)
		rc = wf_bench_python(sysroot, &py, &e);
	if (rc) {
		fprintf(stderr, "warmfork bench: %s\n", e.msg);
		return 1;
	}
	double sys_us = ff.syscall_us;
	if (json) {
		printf("{\"exit_roundtrip_us\": %.2f, \"syscall_roundtrip_us\": %.2f, "
		       "\"syscall_ratio\": %.3f, \"vm_create_us\": %.0f, \"vm_create_ratio\": %.1f, "
		       "\"fork_us\": %.1f, \"reset_1_us\": %.2f, \"reset_16_us\": %.2f, "
		       "\"reset_256_us\": %.2f, \"vmcall_us\": %.2f, \"fork_ratio\": %.2f, "
		       "\"reset_1_ratio\": %.3f, \"reset_16_ratio\": %.3f, \"reset_256_ratio\": %.3f, "
		       "\"vmcall_ratio\": %.3f, \"fork_rss_kib\": %ld, \"iterations\": %u, ",
		       exit_us, sys_us, sys_us / exit_us, create_us, create_us / exit_us, ff.fork_us,
		       ff.reset_us[0], ff.reset_us[1], ff.reset_us[2], ff.vmcall_us,
		       ff.fork_us / exit_us, ff.reset_us[0] / exit_us, ff.reset_us[1] / exit_us,
		       ff.reset_us[2] / exit_us, ff.vmcall_us / exit_us, ff.rss_kib, iters);
		printf("\"guest_fork_us\": %.1f, \"native_fork_us\": %.1f, \"guest_fork_ratio\": %.2f, "
		       "\"guest_fork_exec_wait_us\": %.1f, \"native_fork_exec_wait_us\": %.1f, "
		       "\"guest_fork_exec_wait_ratio\": %.2f, ",
		       pf.fork_us, pf.fork_native_us, pf.fork_us / pf.fork_native_us, pf.exec_us,
		       pf.exec_native_us, pf.exec_us / pf.exec_native_us);
		if (py.have)
			printf("\"python_startup_ms\": %.1f, \"python_startup_native_ms\": %.1f, "
			       "\"python_startup_ratio\": %.3f, \"python_file_mapped_kib\": %llu}\n",
			       py.warm_ms, py.native_ms, py.warm_ms / py.native_ms,
			       (unsigned long long)py.file_kib);
		else
			printf("\"python_startup_ms\": null, \"python_startup_native_ms\": null}\n");
	} else {
		printf("bare VM exit round trip   %10.2f us\n", exit_us);
		printf("getpid syscall round trip %10.2f us  (%.3f exits)\n", sys_us,
		       sys_us / exit_us);
		printf("VM create+load+run hello  %10.0f us  (%.1f exits)\n", create_us,
		       create_us / exit_us);
		printf("fork                      %10.1f us  (%.2f exits), %ld KiB RSS each\n",
		       ff.fork_us, ff.fork_us / exit_us, ff.rss_kib);
		printf("reset after 1/16/256 dirty pages %.2f / %.2f / %.2f us (%.3f / %.3f / %.3f exits)\n",
		       ff.reset_us[0], ff.reset_us[1], ff.reset_us[2], ff.reset_us[0] / exit_us,
		       ff.reset_us[1] / exit_us, ff.reset_us[2] / exit_us);
		printf("vmcall (empty) + reset    %10.2f us  (%.3f exits)\n", ff.vmcall_us,
		       ff.vmcall_us / exit_us);
		printf("guest fork+exit+wait      %10.1f us  (natively %.1f us: %.2fx)\n", pf.fork_us,
		       pf.fork_native_us, pf.fork_us / pf.fork_native_us);
		printf("guest fork+exec+wait      %10.1f us  (natively %.1f us: %.2fx)\n", pf.exec_us,
		       pf.exec_native_us, pf.exec_us / pf.exec_native_us);
		if (py.have)
			printf("python3 -c pass start-up  %10.1f ms  (natively %.1f ms: %.3fx), "
			       "%llu KiB served from files\n", py.warm_ms, py.native_ms,
			       py.warm_ms / py.native_ms, (unsigned long long)py.file_kib);
		else
			printf("python3 -c pass start-up  (no --sysroot with /usr/bin/python3)\n");
	}
	return 0;
}
