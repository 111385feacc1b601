// SPDX-License-Identifier: Apache-2.0
/* kvm.c: hypervisor-generic KVM plumbing shared by every architecture. */
#include "kvm.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

int wf_kvm_open(struct wf_kvm *k, struct wf_err *e)
{
	k->vm_fd = -1;
	k->kvm_fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (k->kvm_fd < 0)
		return wf_fail_errno(e, "open /dev/kvm");
	int api = ioctl(k->kvm_fd, KVM_GET_API_VERSION, 0);
	if (api != KVM_API_VERSION) {
		wf_kvm_close(k);
		return wf_fail(e, -ENOTSUP, "KVM_GET_API_VERSION: got %d, want %d", api,
			       KVM_API_VERSION);
	}
	int sz = ioctl(k->kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (sz <= 0) {
		int rc = wf_fail_errno(e, "KVM_GET_VCPU_MMAP_SIZE");
		wf_kvm_close(k);
		return rc;
	}
	k->run_size = (size_t)sz;
	unsigned type = wf_kvm_arch_vm_type(k->kvm_fd, &k->ipa_bits);
	do {
		k->vm_fd = ioctl(k->kvm_fd, KVM_CREATE_VM, type);
	} while (k->vm_fd < 0 && errno == EINTR);
	if (k->vm_fd < 0) {
		int rc = wf_fail_errno(e, "KVM_CREATE_VM (type %#x)", type);
		wf_kvm_close(k);
		return rc;
	}
	return 0;
}

void wf_kvm_close(struct wf_kvm *k)
{
	if (k->vm_fd >= 0)
		close(k->vm_fd);
	if (k->kvm_fd >= 0)
		close(k->kvm_fd);
	k->vm_fd = k->kvm_fd = -1;
}

static int set_memory(struct wf_kvm *k, uint32_t slot, uint64_t gpa, void *host, uint64_t size,
		      uint32_t flags, struct wf_err *e)
{
	struct kvm_userspace_memory_region r = {
		.slot = slot,
		.flags = flags,
		.guest_phys_addr = gpa,
		.memory_size = size,
		.userspace_addr = (uintptr_t)host,
	};
	if (ioctl(k->vm_fd, KVM_SET_USER_MEMORY_REGION, &r) < 0)
		return wf_fail_errno(e, "KVM_SET_USER_MEMORY_REGION (slot %u, gpa %#llx, size %#llx)",
				     slot, (unsigned long long)gpa, (unsigned long long)size);
	return 0;
}

int wf_kvm_set_memory(struct wf_kvm *k, uint32_t slot, uint64_t gpa, void *host, uint64_t size,
		      bool readonly, struct wf_err *e)
{
	return set_memory(k, slot, gpa, host, size, readonly ? KVM_MEM_READONLY : 0, e);
}

int wf_kvm_set_memory_logged(struct wf_kvm *k, uint32_t slot, uint64_t gpa, void *host,
			     uint64_t size, struct wf_err *e)
{
	return set_memory(k, slot, gpa, host, size, KVM_MEM_LOG_DIRTY_PAGES, e);
}

int wf_kvm_get_dirty_log(struct wf_kvm *k, uint32_t slot, uint64_t *bitmap, struct wf_err *e)
{
	struct kvm_dirty_log log = {.slot = slot, .dirty_bitmap = bitmap};
	if (ioctl(k->vm_fd, KVM_GET_DIRTY_LOG, &log) < 0)
		return wf_fail_errno(e, "KVM_GET_DIRTY_LOG (slot %u)", slot);
	return 0;
}

int wf_kvm_manual_dirty_log(struct wf_kvm *k)
{
	struct kvm_enable_cap cap = {.cap = KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2,
				     .args = {KVM_DIRTY_LOG_MANUAL_PROTECT_ENABLE}};
	if (ioctl(k->vm_fd, KVM_CHECK_EXTENSION, KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2) <= 0)
		return -ENOTSUP;
	return ioctl(k->vm_fd, KVM_ENABLE_CAP, &cap) < 0 ? -errno : 0;
}

int wf_kvm_clear_dirty_log(struct wf_kvm *k, uint32_t slot, uint64_t npages, uint64_t *bitmap,
			   struct wf_err *e)
{
	struct kvm_clear_dirty_log log = {.slot = slot, .num_pages = (uint32_t)npages,
					  .dirty_bitmap = bitmap};
	if (npages > UINT32_MAX)
		return wf_fail(e, -EINVAL, "KVM_CLEAR_DIRTY_LOG: %llu pages",
			       (unsigned long long)npages);
	if (ioctl(k->vm_fd, KVM_CLEAR_DIRTY_LOG, &log) < 0)
		return wf_fail_errno(e, "KVM_CLEAR_DIRTY_LOG (slot %u)", slot);
	return 0;
}

int wf_kvm_vcpu_create(struct wf_kvm *k, unsigned id, struct wf_kvm_vcpu *v, struct wf_err *e)
{
	v->run = NULL;
	v->fd = ioctl(k->vm_fd, KVM_CREATE_VCPU, id);
	if (v->fd < 0)
		return wf_fail_errno(e, "KVM_CREATE_VCPU %u", id);
	v->run_size = k->run_size;
	void *run = mmap(NULL, v->run_size, PROT_READ | PROT_WRITE, MAP_SHARED, v->fd, 0);
	if (run == MAP_FAILED) {
		int rc = wf_fail_errno(e, "mmap of the vCPU run area");
		close(v->fd);
		v->fd = -1;
		return rc;
	}
	v->run = run;
	return wf_kvm_arch_vcpu_init(k, v, e);
}

void wf_kvm_vcpu_destroy(struct wf_kvm_vcpu *v)
{
	if (v->run)
		munmap(v->run, v->run_size);
	if (v->fd >= 0)
		close(v->fd);
	v->run = NULL;
	v->fd = -1;
}

int wf_kvm_vcpu_run(struct wf_kvm_vcpu *v, struct wf_err *e)
{
	if (ioctl(v->fd, KVM_RUN, 0) < 0) {
		if (errno == EINTR)
			return -EINTR;
		return wf_fail_errno(e, "KVM_RUN");
	}
	return 0;
}
