// SPDX-License-Identifier: Apache-2.0
/* bench_exit_arm64.c: the bare-exit benchmark's VM: EL1 code (bench_exit.S) storing to an unbacked IPA in a loop. */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include "kvm.h"
#include "regs_arm64.h"

extern const uint8_t wf_bench_exit_start[], wf_bench_exit_end[];

static double now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

/* Time KVM_RUN round trips of a bare vCPU. */
int wf_kvm_bench_exit(unsigned iters, double *us, struct wf_err *e)
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
