// SPDX-License-Identifier: Apache-2.0
/* kvm_smoke_test.c: Check test, run in the ARM64 machine: a VM runs guest code to an MMIO exit. */
#include <check.h>
#include <linux/kvm.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/utsname.h>

#include "../../kvm.h"
#include "regs_arm64.h"
#include "check_main.h"

extern const uint8_t wf_smoke_guest_start[], wf_smoke_guest_end[];

enum { RAM_GPA = 0x40000000, RAM_SIZE = 0x10000, DOORBELL = 0x10000000 };

struct smoke {
	struct wf_kvm kvm;
	struct wf_kvm_vcpu vcpu;
	uint8_t *ram;
	struct wf_err err;
};

static void smoke_up(struct smoke *s)
{
	memset(s, 0, sizeof(*s));
	ck_assert_msg(wf_kvm_open(&s->kvm, &s->err) == 0, "%s", s->err.msg);
	ck_assert_uint_ge(s->kvm.ipa_bits, 32);
	s->ram = mmap(NULL, RAM_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ck_assert_ptr_ne(s->ram, MAP_FAILED);
	size_t n = (size_t)(wf_smoke_guest_end - wf_smoke_guest_start);
	memcpy(s->ram, wf_smoke_guest_start, n);
	ck_assert_msg(wf_kvm_set_memory(&s->kvm, 0, RAM_GPA, s->ram, RAM_SIZE, false, &s->err) == 0,
		      "%s", s->err.msg);
	ck_assert_msg(wf_kvm_vcpu_create(&s->kvm, 0, &s->vcpu, &s->err) == 0, "%s", s->err.msg);
	ck_assert(wf_kvm_set_reg(&s->vcpu, WF_REG_PC, RAM_GPA, &s->err) == 0);
	ck_assert(wf_kvm_set_reg(&s->vcpu, WF_REG_X(3), DOORBELL, &s->err) == 0);
	ck_assert(wf_kvm_set_reg(&s->vcpu, WF_REG_PSTATE, WF_PSTATE_EL1h | WF_PSTATE_DAIF,
				 &s->err) == 0);
}

static void smoke_down(struct smoke *s)
{
	wf_kvm_vcpu_destroy(&s->vcpu);
	wf_kvm_close(&s->kvm);
	munmap(s->ram, RAM_SIZE);
}

static uint64_t reg(struct smoke *s, uint64_t id)
{
	uint64_t v = 0;
	ck_assert_msg(wf_kvm_get_reg(&s->vcpu, id, &v, &s->err) == 0, "%s", s->err.msg);
	return v;
}

static uint32_t expect_mmio_write(struct smoke *s, uint64_t addr)
{
	ck_assert_msg(wf_kvm_vcpu_run(&s->vcpu, &s->err) == 0, "%s", s->err.msg);
	struct kvm_run *run = s->vcpu.run;
	ck_assert_uint_eq(run->exit_reason, KVM_EXIT_MMIO);
	ck_assert_uint_eq(run->mmio.phys_addr, addr);
	ck_assert_uint_eq(run->mmio.is_write, 1);
	ck_assert_uint_eq(run->mmio.len, 4);
	uint32_t data;
	memcpy(&data, run->mmio.data, sizeof(data));
	return data;
}

START_TEST(test_machine_is_arm64)
{
	struct utsname u;
	ck_assert_int_eq(uname(&u), 0);
	ck_assert_str_eq(u.machine, "aarch64");
	printf("kvm_smoke: running on %s %s %s with /dev/kvm\n", u.sysname, u.release, u.machine);
}
END_TEST

START_TEST(test_mmio_exit_and_registers)
{
	struct smoke s;
	smoke_up(&s);

	ck_assert_uint_eq(expect_mmio_write(&s, DOORBELL), 0xabcd1245u);
	printf("kvm_smoke: guest stored %#x to MMIO %#x; x0=%#llx pc=%#llx (IPA %u bits)\n",
	       0xabcd1245u, DOORBELL, (unsigned long long)reg(&s, WF_REG_X(0)),
	       (unsigned long long)reg(&s, WF_REG_PC), s.kvm.ipa_bits);
	ck_assert_uint_eq(reg(&s, WF_REG_X(0)), 0xabcd1234u);
	ck_assert_uint_eq(reg(&s, WF_REG_X(1)), 0xabcd1245u);
	/* The PC still points at the faulting store until KVM completes the MMIO. */
	ck_assert_uint_eq(reg(&s, WF_REG_PC), RAM_GPA + 16);

	/* Resume: the guest continues after the store and exits again. */
	ck_assert_uint_eq(expect_mmio_write(&s, DOORBELL + 4), 0xabcd1235u);
	ck_assert_uint_eq(reg(&s, WF_REG_X(0)), 0xabcd1235u);
	ck_assert_uint_eq(reg(&s, WF_REG_PC), RAM_GPA + 24);

	smoke_down(&s);
}
END_TEST

START_TEST(test_bad_register_is_an_error)
{
	struct smoke s;
	smoke_up(&s);
	uint64_t v;
	/* A made-up register id is refused, and the error names the ioctl. */
	ck_assert_int_lt(wf_kvm_get_reg(&s.vcpu, KVM_REG_ARM64 | KVM_REG_SIZE_U64 | 0xfff0000ull, &v,
					&s.err),
			 0);
	ck_assert_ptr_nonnull(strstr(s.err.msg, "KVM_GET_ONE_REG"));
	smoke_down(&s);
}
END_TEST

int main(void)
{
	Suite *su = suite_create("kvm_smoke");
	TCase *tc = tcase_create("arm64");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_machine_is_arm64);
	tcase_add_test(tc, test_mmio_exit_and_registers);
	tcase_add_test(tc, test_bad_register_is_an_error);
	suite_add_tcase(su, tc);
	return wf_check_run(su);
}
