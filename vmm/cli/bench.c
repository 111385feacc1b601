/* bench.c: `warmfork bench`: VMM cost figures, each also as a ratio to a bare VM exit. */
#include <errno.h>
#include <linux/kvm.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include "bench.h"
#include "kvm.h"
#include "regs_arm64.h"
#include "vm.h"

extern const uint8_t wf_bench_exit_start[], wf_bench_exit_end[];

static double now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

/* A bare VM: EL1 code storing to an unbacked IPA in a loop; time KVM_RUN round trips. */
static int bench_exit(unsigned iters, double *us, struct wf_err *e)
{
	enum { GPA = 0x40000000, SIZE = 0x10000, MMIO = 0x10000000 };
	struct wf_kvm k;
	struct wf_kvm_vcpu v = {.fd = -1};
	int rc = wf_kvm_open(&k, e);
	if (rc)
		return rc;
	uint8_t *ram = mmap(NULL, SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (ram == MAP_FAILED) {
		wf_kvm_close(&k);
		return wf_fail(e, -ENOMEM, "mmap");
	}
	memcpy(ram, wf_bench_exit_start, (size_t)(wf_bench_exit_end - wf_bench_exit_start));
	if (!(rc = wf_kvm_set_memory(&k, 0, GPA, ram, SIZE, false, e)) &&
	    !(rc = wf_kvm_vcpu_create(&k, 0, &v, e)) &&
	    !(rc = wf_kvm_set_reg(&v, WF_REG_PC, GPA, e)) &&
	    !(rc = wf_kvm_set_reg(&v, WF_REG_X(2), MMIO, e)) &&
	    !(rc = wf_kvm_set_reg(&v, WF_REG_PSTATE, WF_PSTATE_EL1h | WF_PSTATE_DAIF, e))) {
		double t0 = 0;
		for (unsigned i = 0; i <= iters && !rc; i++) {
			if (i == 1)
				t0 = now_us(); /* the first run pays for vCPU warm-up */
			rc = wf_kvm_vcpu_run(&v, e);
			if (!rc && v.run->exit_reason != KVM_EXIT_MMIO)
				rc = wf_fail(e, -EIO, "unexpected exit %u", v.run->exit_reason);
		}
		*us = (now_us() - t0) / iters;
	}
	if (v.fd >= 0)
		wf_kvm_vcpu_destroy(&v);
	wf_kvm_close(&k);
	munmap(ram, SIZE);
	return rc;
}

static void discard(void *ctx, int fd, const void *buf, size_t len)
{
	(void)ctx, (void)fd, (void)buf, (void)len;
}

/* Create a VM, load the bench guest with argv, run it to exit; time the whole thing. */
static int run_guest(const char *guest, const char *arg, double *us, struct wf_err *e)
{
	double t0 = now_us();
	struct wf_vm_config cfg = {.print = discard, .mem_size = 64ull << 20};
	struct wf_vm *vm;
	int rc = wf_vm_create(&cfg, &vm, e);
	if (rc)
		return rc;
	char *argv[] = {(char *)guest, (char *)arg, NULL};
	char *envp[] = {NULL};
	if (!(rc = wf_vm_load(vm, guest, arg ? 2 : 1, argv, envp, e))) {
		struct wf_result r;
		wf_vm_run(vm, &r);
		if (r.reason != WF_STOP_EXIT || r.status != 0)
			rc = wf_fail(e, -EIO, "bench guest did not exit cleanly: %s", r.msg);
	}
	wf_vm_destroy(vm);
	*us = now_us() - t0;
	return rc;
}

int wf_bench_main(int argc, char **argv)
{
	bool json = false;
	const char *guest = WARMFORK_BENCH_GUEST;
	unsigned iters = 2000;
	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--json"))
			json = true;
		else if (!strcmp(argv[i], "--guest") && i + 1 < argc)
			guest = argv[++i];
		else if (!strcmp(argv[i], "--iterations") && i + 1 < argc &&
			 (iters = (unsigned)strtoul(argv[++i], NULL, 10)) > 0)
			;
		else {
			fprintf(stderr, "usage: warmfork bench [--json] [--iterations N] [--guest PATH]\n");
			return 2;
		}
	}
	struct wf_err e = {0};
	double exit_us, create_us = 0, base_us, loop_us;
	char n[32];
	snprintf(n, sizeof(n), "%u", iters);
	int rc = bench_exit(iters, &exit_us, &e);
	for (int i = 0; !rc && i < 3; i++) {
		double t;
		rc = run_guest(guest, NULL, &t, &e);
		create_us += t / 3;
	}
	if (!rc)
		rc = run_guest(guest, "0", &base_us, &e);
	if (!rc)
		rc = run_guest(guest, n, &loop_us, &e);
	if (rc) {
		fprintf(stderr, "warmfork bench: %s\n", e.msg);
		return 1;
	}
	double sys_us = (loop_us - base_us) / iters;
	if (json) {
		printf("{\"exit_roundtrip_us\": %.2f, \"syscall_roundtrip_us\": %.2f, "
		       "\"syscall_ratio\": %.3f, \"vm_create_us\": %.0f, \"vm_create_ratio\": %.1f, "
		       "\"iterations\": %u}\n",
		       exit_us, sys_us, sys_us / exit_us, create_us, create_us / exit_us, iters);
	} else {
		printf("bare VM exit round trip   %10.2f us\n", exit_us);
		printf("getpid syscall round trip %10.2f us  (%.3f exits)\n", sys_us,
		       sys_us / exit_us);
		printf("VM create+load+run hello  %10.0f us  (%.1f exits)\n", create_us,
		       create_us / exit_us);
	}
	return 0;
}
