// SPDX-License-Identifier: Apache-2.0
/* kvm_arm64.c: arm64 KVM hooks: IPA size, vCPU init (target, PSCI, pointer auth), ONE_REG access, the IRQ line. */
#include "../../kvm.h"

#include <errno.h>
#include <linux/kvm.h>
#include <sys/ioctl.h>

unsigned wf_kvm_arch_vm_type(int kvm_fd, unsigned *ipa_bits)
{
	int ipa = ioctl(kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_ARM_VM_IPA_SIZE);
	if (ipa <= 0) {
		/* No IPA-size capability: KVM's fixed 40-bit default. */
		*ipa_bits = 40;
		return 0;
	}
	*ipa_bits = (unsigned)ipa;
	return KVM_VM_TYPE_ARM_IPA_SIZE(ipa);
}

int wf_kvm_arch_vcpu_init(struct wf_kvm *k, struct wf_kvm_vcpu *v, struct wf_err *e)
{
	struct kvm_vcpu_init init = {0};
	if (ioctl(k->vm_fd, KVM_ARM_PREFERRED_TARGET, &init) < 0)
		return wf_fail_errno(e, "KVM_ARM_PREFERRED_TARGET");
	init.features[0] |= 1u << KVM_ARM_VCPU_PSCI_0_2;
	/* Pointer authentication only as a pair, and only when KVM offers both. */
	if (ioctl(k->kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_ARM_PTRAUTH_ADDRESS) > 0 &&
	    ioctl(k->kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_ARM_PTRAUTH_GENERIC) > 0)
		init.features[0] |= (1u << KVM_ARM_VCPU_PTRAUTH_ADDRESS) |
				    (1u << KVM_ARM_VCPU_PTRAUTH_GENERIC);
	if (ioctl(v->fd, KVM_ARM_VCPU_INIT, &init) < 0)
		return wf_fail_errno(e, "KVM_ARM_VCPU_INIT (target %u, features %#x)", init.target,
				     init.features[0]);
	return 0;
}

int wf_kvm_get_reg(struct wf_kvm_vcpu *v, uint64_t id, uint64_t *val, struct wf_err *e)
{
	struct kvm_one_reg r = {.id = id, .addr = (uintptr_t)val};
	if (ioctl(v->fd, KVM_GET_ONE_REG, &r) < 0)
		return wf_fail_errno(e, "KVM_GET_ONE_REG %#llx", (unsigned long long)id);
	return 0;
}

int wf_kvm_set_reg(struct wf_kvm_vcpu *v, uint64_t id, uint64_t val, struct wf_err *e)
{
	struct kvm_one_reg r = {.id = id, .addr = (uintptr_t)&val};
	if (ioctl(v->fd, KVM_SET_ONE_REG, &r) < 0)
		return wf_fail_errno(e, "KVM_SET_ONE_REG %#llx", (unsigned long long)id);
	return 0;
}

int wf_kvm_arch_irq(struct wf_kvm *k, unsigned index, bool level)
{
	/* KVM_ARM_IRQ_TYPE_CPU: the vCPU's own IRQ input, for a VM without a vGIC. */
	struct kvm_irq_level irq = {
		.irq = (KVM_ARM_IRQ_TYPE_CPU << KVM_ARM_IRQ_TYPE_SHIFT) |
		       ((index & KVM_ARM_IRQ_VCPU_MASK) << KVM_ARM_IRQ_VCPU_SHIFT) | KVM_ARM_IRQ_CPU_IRQ,
		.level = level,
	};
	return ioctl(k->vm_fd, KVM_IRQ_LINE, &irq) < 0 ? -errno : 0;
}
