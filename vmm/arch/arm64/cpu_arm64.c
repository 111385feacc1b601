// SPDX-License-Identifier: Apache-2.0
/* cpu_arm64.c: arm64 vCPU system registers, hwcaps from the vCPU's ID registers, ESR decoding. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <sys/ioctl.h>

#include "util.h"
#include "regs_arm64.h"
#include "vm_internal.h"

extern const uint8_t wf_vectors_start[], wf_vectors_end[], wf_vectors_resume[];

/* SCTLR_EL1: MMU and caches on, stack alignment checks, EL0 cache/counter access, and WFI/WFE
 * from EL0 trapped to EL1 (so they reach the host instead of blocking the vCPU). RES1 bits
 * of ARMv8.0 included. */
#define SCTLR_M      (1ull << 0)
#define SCTLR_C      (1ull << 2)
#define SCTLR_SA     (1ull << 3)
#define SCTLR_SA0    (1ull << 4)
#define SCTLR_EOS    (1ull << 11)
#define SCTLR_I      (1ull << 12)
#define SCTLR_ENDB   (1ull << 13)
#define SCTLR_DZE    (1ull << 14)
#define SCTLR_UCT    (1ull << 15)
#define SCTLR_TSCXT  (1ull << 20)
#define SCTLR_EIS    (1ull << 22)
#define SCTLR_SPAN   (1ull << 23)
#define SCTLR_UCI    (1ull << 26)
#define SCTLR_ENDA   (1ull << 27)
#define SCTLR_NTLSMD (1ull << 28)
#define SCTLR_LSMAOE (1ull << 29)
#define SCTLR_ENIB   (1ull << 30)
#define SCTLR_ENIA   (1ull << 31)

/* TCR_EL1: 39-bit VA in TTBR0 (4 KiB granule, write-back, inner shareable), TTBR1 walks off,
 * 40-bit PA, top byte ignored for EL0 addresses as on Linux. */
#define TCR_T0SZ(n)  ((uint64_t)(n))
#define TCR_IRGN0_WB (1ull << 8)
#define TCR_ORGN0_WB (1ull << 10)
#define TCR_SH0_IS   (3ull << 12)
#define TCR_EPD1     (1ull << 23)
#define TCR_IPS_40   (2ull << 32)
#define TCR_TBI0     (1ull << 37)

#define MAIR_VALUE   (0xffull << (8 * WF_MAIR_NORMAL) | 0x00ull << (8 * WF_MAIR_DEVICE))
#define CPACR_FPEN   (3ull << 20)
#define CNTKCTL_EL0VCTEN (1ull << 1)
#define REG_CNTKCTL_EL1 WF_SYSREG(3, 0, 14, 1, 0)

int wf_arch_vcpu_setup(struct wf_vm *vm, struct wf_err *e)
{
	/* wf_kvm_arch_vcpu_init asked for pointer auth exactly when both capabilities exist. */
	vm->arch.pauth = ioctl(vm->kvm.kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_ARM_PTRAUTH_ADDRESS) > 0 &&
		    ioctl(vm->kvm.kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_ARM_PTRAUTH_GENERIC) > 0;
	uint64_t sctlr = SCTLR_M | SCTLR_C | SCTLR_SA | SCTLR_SA0 | SCTLR_EOS | SCTLR_I |
			 SCTLR_DZE | SCTLR_UCT | SCTLR_TSCXT | SCTLR_EIS | SCTLR_SPAN | SCTLR_UCI |
			 SCTLR_NTLSMD | SCTLR_LSMAOE;
	if (vm->arch.pauth)
		sctlr |= SCTLR_ENIA | SCTLR_ENIB | SCTLR_ENDA | SCTLR_ENDB;
	const struct {
		uint64_t id, val;
	} regs[] = {
		{WF_REG_MAIR_EL1, MAIR_VALUE},
		{WF_REG_TCR_EL1, TCR_T0SZ(64 - WF_VA_BITS) | TCR_IRGN0_WB | TCR_ORGN0_WB |
					 TCR_SH0_IS | TCR_EPD1 | TCR_IPS_40 | TCR_TBI0},
		{WF_REG_TTBR0_EL1, vm->pgt.root_pa},
		{WF_REG_CPACR_EL1, CPACR_FPEN},
		{REG_CNTKCTL_EL1, CNTKCTL_EL0VCTEN},
		{WF_REG_VBAR_EL1, vm->layout.karea + WF_KAREA_VECTORS},
		{WF_REG_SP_EL1, vm->layout.karea + WF_KAREA_FRAME},
		{WF_REG_SCTLR_EL1, sctlr},
		{WF_REG_PC, vm->layout.karea + WF_KAREA_VECTORS +
				    (uint64_t)(wf_vectors_resume - wf_vectors_start)},
		{WF_REG_PSTATE, WF_PSTATE_EL1h | WF_PSTATE_DAIF},
	};
	for (size_t i = 0; i < ARRAY_SIZE(regs); i++) {
		int rc = wf_kvm_set_reg(&vm->vcpu, regs[i].id, regs[i].val, e);
		if (rc)
			return rc;
	}
	return 0;
}

/* A fault: r for the crash report, flt for the guest (Linux's siginfo and fault record). */
static enum wf_exc raise_fault(struct wf_result *r, struct wf_fault *flt, struct wf_fault f,
			       bool has_addr)
{
	*flt = f;
	r->signal = f.sig;
	r->si_code = f.code;
	r->has_addr = has_addr;
	r->addr = has_addr ? f.addr : 0;
	return WF_EXC_SIGNAL;
}

/* A fault that records fault_address and the ESR for the signal frame (0: none). */
static enum wf_exc recorded(struct wf_result *r, struct wf_fault *flt, int sig, int code,
			    uint64_t addr, uint64_t fault_address, uint64_t esr)
{
	struct wf_fault f = {.sig = sig, .code = code, .addr = addr, .set_fault = true,
			     .fault_address = fault_address, .fault_code = esr};
	return raise_fault(r, flt, f, true);
}

/* A fault that leaves the thread's fault record as it was. */
static enum wf_exc unrecorded(struct wf_result *r, struct wf_fault *flt, int sig, int code,
			      uint64_t addr)
{
	return raise_fault(r, flt, (struct wf_fault){.sig = sig, .code = code, .addr = addr}, true);
}

/* An EL0 address without its top byte (TBI0 is on, as in Linux's untagged_addr). */
static uint64_t untagged(uint64_t addr)
{
	return (uint64_t)((int64_t)(addr << 8) >> 8);
}

/*
 * Nested KVM in the emulated test machine now and then hands EL0 the *host* thread's
 * TPIDR_EL0 (docs/architecture.md): the guest then faults on its first thread-local access,
 * at an address next to this host thread's own thread pointer, which no guest address can
 * be near (guest memory is below 2^39). Such a data abort is repaired instead of raised:
 * TPIDR_EL0 gets the guest's own value back (the one seen at the last exit), so does every
 * register computed from the host's, and the instruction runs again; it is counted in the
 * frame's tpidr_heals. At most 16 times per run, so a guest cannot loop on it.
 */
#define NEAR_TP (1ull << 20)

static bool near_host_tp(uint64_t v, uint64_t tp)
{
	return v - tp + NEAR_TP < 2 * NEAR_TP;
}

void wf_arch_note_tpidr(struct wf_vm *vm)
{
	uint64_t tp = (uint64_t)(uintptr_t)__builtin_thread_pointer();
	if (!near_host_tp(vm->frame->tpidr, tp))
		vm->arch.good_tpidr = vm->frame->tpidr;
}

static bool repair_tpidr(struct wf_vm *vm, uint64_t addr)
{
	struct wf_abi_frame *f = vm->frame;
	uint64_t tp = (uint64_t)(uintptr_t)__builtin_thread_pointer();
	if (!near_host_tp(addr, tp) || !vm->arch.good_tpidr || vm->arch.tpidr_repairs >= 16)
		return false;
	for (int i = 0; i < 31; i++)
		if (near_host_tp(f->x[i], tp))
			f->x[i] = vm->arch.good_tpidr + (f->x[i] - tp);
	f->tpidr = vm->arch.good_tpidr;
	f->flags |= 1ull << WF_FRAME_F_SET_TPIDR_BIT;
	f->tpidr_heals++;
	vm->arch.tpidr_repairs++;
	return true;
}

/*
 * What Linux reports for each exception class (arch/arm64/mm/fault.c, kernel/traps.c): memory
 * aborts record the address and ESR (set_thread_esr) and are SEGV_MAPERR outside every
 * mapping, SEGV_ACCERR inside one; SP/PC alignment faults record the ESR but no address
 * (arm64_notify_die); undefined instructions record neither; BRK leaves both as they were.
 */
enum wf_exc wf_arch_exception(struct wf_vm *vm, struct wf_result *r, struct wf_fault *flt)
{
	struct wf_abi_frame *f = vm->frame;
	uint64_t esr = f->esr;
	unsigned ec = wf_esr_ec(esr);
	r->has_fault = true;
	r->pc = f->pc;
	r->esr = esr;

	switch (f->vector) {
	case WF_VEC_EL0_SYNC:
		break;
	case WF_VEC_EL0_IRQ:
	case WF_VEC_EL0_FIQ:
		return WF_EXC_RESUME; /* the VMM raised the IRQ line for a signal: the return delivers it */
	default:
		snprintf(r->msg, sizeof(r->msg),
			 "VMM exception vector %llu taken (ESR %#llx, ELR %#llx, FAR %#llx)",
			 (unsigned long long)f->vector, (unsigned long long)esr,
			 (unsigned long long)f->pc, (unsigned long long)f->far);
		return WF_EXC_INTERNAL;
	}

	switch (ec) {
	case EC_SVC64:
		r->has_fault = false;
		return WF_EXC_SYSCALL;
	case EC_WFX:
		/* A trapped WFI/WFE: nothing to wait for in a sandbox; step over it. */
		f->pc += 4;
		r->has_fault = false;
		return WF_EXC_RESUME;
	case EC_IABT_LOW:
	case EC_DABT_LOW: {
		uint64_t addr = untagged(f->far);
		if (ec == EC_DABT_LOW && repair_tpidr(vm, addr)) {
			r->has_fault = false;
			return WF_EXC_RESUME;
		}
		if (wf_esr_fsc(esr) == WF_FSC_ALIGNMENT)
			return recorded(r, flt, WF_SIGBUS, WF_BUS_ADRALN, addr, addr, esr);
		/* A translation fault may be a demand-paged page's first touch: it gets its RAM
		 * and the access runs again. */
		if (wf_esr_translation_fault(esr)) {
			unsigned prot = ec == EC_IABT_LOW  ? WF_PROT_EXEC :
					wf_esr_wnr(esr) ? WF_PROT_WRITE : WF_PROT_READ;
			int rc = wf_vm_demand(vm, addr, prot);
			if (!rc) {
				r->has_fault = false;
				return WF_EXC_RESUME;
			}
			if (rc == -ENOMEM) /* out of RAM for it: as Linux, SIGBUS */
				return recorded(r, flt, WF_SIGBUS, WF_BUS_ADRERR, addr, addr, esr);
		}
		int code = wf_vm_mapped(vm, addr) ? WF_SEGV_ACCERR : WF_SEGV_MAPERR;
		return recorded(r, flt, WF_SIGSEGV, code, addr, addr, esr);
	}
	case EC_PC_ALIGN:
		return recorded(r, flt, WF_SIGBUS, WF_BUS_ADRALN, f->far, 0, esr);
	case EC_SP_ALIGN:
		return recorded(r, flt, WF_SIGBUS, WF_BUS_ADRALN, f->sp, 0, esr);
	case EC_BRK64:
		return unrecorded(r, flt, WF_SIGTRAP, WF_TRAP_BRKPT, f->pc);
	case EC_BREAKPT_LOW:
	case EC_WATCHPT_LOW:
		return unrecorded(r, flt, WF_SIGTRAP, WF_TRAP_HWBKPT, f->far);
	case EC_SOFTSTP_LOW:
		return unrecorded(r, flt, WF_SIGTRAP, WF_TRAP_TRACE, f->pc);
	case EC_FP_EXC64:
		return unrecorded(r, flt, WF_SIGFPE, WF_FPE_FLTINV, f->pc);
	case EC_FPAC:
		return recorded(r, flt, WF_SIGILL, WF_ILL_ILLOPN, f->pc, 0, esr);
	case EC_SERROR:
		return raise_fault(r, flt, (struct wf_fault){.sig = WF_SIGBUS}, false);
	case EC_UNKNOWN:
	case EC_SYSREG:
	case EC_SVE:
	case EC_ILL_STATE:
	default:
		/* Undefined instructions, trapped system-register accesses and anything else. */
		return recorded(r, flt, WF_SIGILL, WF_ILL_ILLOPC, f->pc, 0, 0);
	}
}

/* FP/SIMD registers as ONE_REG ids: V0..V31 are 128-bit core registers, FPSR/FPCR 32-bit. */
#define REG_V(n)                                                                                   \
	(KVM_REG_ARM64 | KVM_REG_SIZE_U128 | KVM_REG_ARM_CORE |                                    \
	 (offsetof(struct kvm_regs, fp_regs.vregs[n]) / sizeof(__u32)))
#define REG_FP32(field)                                                                            \
	(KVM_REG_ARM64 | KVM_REG_SIZE_U32 | KVM_REG_ARM_CORE |                                     \
	 (offsetof(struct kvm_regs, fp_regs.field) / sizeof(__u32)))

int wf_arch_save_fp(struct wf_vm *vm, struct wf_err *e)
{
	struct wf_abi_frame *f = vm->frame;
	for (int i = 0; i < 32; i++) {
		struct kvm_one_reg r = {.id = REG_V(i), .addr = (uintptr_t)f->v[i]};
		if (ioctl(vm->vcpu.fd, KVM_GET_ONE_REG, &r) < 0)
			return wf_fail_errno(e, "KVM_GET_ONE_REG v%d", i);
	}
	uint32_t fpsr = 0, fpcr = 0;
	struct kvm_one_reg rs = {.id = REG_FP32(fpsr), .addr = (uintptr_t)&fpsr};
	struct kvm_one_reg rc = {.id = REG_FP32(fpcr), .addr = (uintptr_t)&fpcr};
	if (ioctl(vm->vcpu.fd, KVM_GET_ONE_REG, &rs) < 0 ||
	    ioctl(vm->vcpu.fd, KVM_GET_ONE_REG, &rc) < 0)
		return wf_fail_errno(e, "KVM_GET_ONE_REG fpsr/fpcr");
	f->fpsr = fpsr;
	f->fpcr = fpcr;
	return 0;
}

int wf_arch_enter_stub(struct wf_vm *vm, struct wf_err *e)
{
	int rc;
	if ((rc = wf_kvm_set_reg(&vm->vcpu, WF_REG_PC,
				 vm->layout.karea + WF_KAREA_VECTORS +
					 (uint64_t)(wf_vectors_resume - wf_vectors_start),
				 e)) ||
	    (rc = wf_kvm_set_reg(&vm->vcpu, WF_REG_PSTATE, WF_PSTATE_EL1h | WF_PSTATE_DAIF, e)))
		return rc;
	return 0;
}

uint32_t wf_arch_brk_insn(unsigned imm)
{
	return 0xd4200000u | ((imm & 0xffffu) << 5);
}

bool wf_arch_brk_hit(uint64_t esr, unsigned imm)
{
	return wf_esr_ec(esr) == EC_BRK64 && wf_esr_brk_imm(esr) == (imm & 0xffffu);
}
