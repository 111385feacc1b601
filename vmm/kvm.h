// SPDX-License-Identifier: Apache-2.0
/* kvm.h: the hypervisor-generic part of the VMM: /dev/kvm, VMs, memory slots, vCPU run areas. */
#ifndef WARMFORK_KVM_H
#define WARMFORK_KVM_H

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>

#include "err.h"

struct kvm_run;

struct wf_kvm {
	int kvm_fd;
	int vm_fd;
	unsigned ipa_bits;    /* guest physical address size the VM was created with */
	size_t run_size;      /* size of each vCPU's struct kvm_run mapping */
};

struct wf_kvm_vcpu {
	int fd;
	struct kvm_run *run;
	size_t run_size;
};

/* Open /dev/kvm and create a VM with the largest IPA size KVM offers. */
int wf_kvm_open(struct wf_kvm *k, struct wf_err *e);
void wf_kvm_close(struct wf_kvm *k);

/* Back guest physical [gpa, gpa+size) with host memory at `host`. */
int wf_kvm_set_memory(struct wf_kvm *k, uint32_t slot, uint64_t gpa, void *host, uint64_t size,
		      bool readonly, struct wf_err *e);

/* Back guest memory like wf_kvm_set_memory, with KVM dirty-page logging on. */
int wf_kvm_set_memory_logged(struct wf_kvm *k, uint32_t slot, uint64_t gpa, void *host,
			     uint64_t size, struct wf_err *e);

/* Fetch the slot's dirty-page bitmap. It also clears it and re-arms write protection,
 * unless manual protection is on: then only wf_kvm_clear_dirty_log does that. */
int wf_kvm_get_dirty_log(struct wf_kvm *k, uint32_t slot, uint64_t *bitmap, struct wf_err *e);

/* Turn on manual dirty-log protection (KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2), before any logged
 * slot exists. 0, or -ENOTSUP / -errno when the kernel does not offer it. */
int wf_kvm_manual_dirty_log(struct wf_kvm *k);

/* Clear the bits set in bitmap (pages [0, npages) of the slot) from its dirty log and
 * write-protect those pages again (manual protection only). */
int wf_kvm_clear_dirty_log(struct wf_kvm *k, uint32_t slot, uint64_t npages, uint64_t *bitmap,
			   struct wf_err *e);

/* Create vCPU `id` and map its run area; arch set-up is wf_kvm_arch_vcpu_init(). */
int wf_kvm_vcpu_create(struct wf_kvm *k, unsigned id, struct wf_kvm_vcpu *v, struct wf_err *e);
void wf_kvm_vcpu_destroy(struct wf_kvm_vcpu *v);

/* One KVM_RUN. Returns 0, or -EINTR when interrupted by a signal, or another -errno. */
int wf_kvm_vcpu_run(struct wf_kvm_vcpu *v, struct wf_err *e);

/* Architecture hooks (vmm/arch/<arch>/). */
unsigned wf_kvm_arch_vm_type(int kvm_fd, unsigned *ipa_bits);
int wf_kvm_arch_vcpu_init(struct wf_kvm *k, struct wf_kvm_vcpu *v, struct wf_err *e);
/* Raise or lower vCPU `index`'s IRQ line (no in-kernel interrupt controller): the guest
 * takes an IRQ exception as soon as it runs unmasked. 0 or -errno. */
int wf_kvm_arch_irq(struct wf_kvm *k, unsigned index, bool level);
int wf_kvm_get_reg(struct wf_kvm_vcpu *v, uint64_t id, uint64_t *val, struct wf_err *e);
int wf_kvm_set_reg(struct wf_kvm_vcpu *v, uint64_t id, uint64_t val, struct wf_err *e);

/* The bare-exit benchmark (arch code): a minimal vCPU whose code does nothing but exit to
 * the host (an MMIO store), run iters times; *us is one KVM_RUN round trip in microseconds. */
int wf_kvm_bench_exit(unsigned iters, double *us, struct wf_err *e);

#endif
