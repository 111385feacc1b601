// SPDX-License-Identifier: Apache-2.0
/* fork.c: warm master, copy-on-write forks, reset by dirty pages, and vmcalls into a fork. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "util.h"
#include "elf/elf_load.h"
#include "linux/ptable.h"
#include "proc_snap.h"
#include "debug/symbolize.h"
#include "vm_internal.h"


extern const uint8_t wf_tramp_start[], wf_tramp_vmcall_ret[];

static uint64_t bitmap_words(const struct wf_vm *vm)
{
	return (vm->layout.ram_size / WF_PAGE_SIZE + 63) / 64;
}

int wf_vm_symbol(struct wf_vm *vm, const char *name, uint64_t *addr, struct wf_err *e)
{
	if (!vm->image.elf)
		return wf_fail(e, -EINVAL, "no program is loaded");
	uint64_t v;
	int rc = wf_elf_symbol(vm->image.elf, vm->image.elf_size, name, &v, e);
	if (rc)
		return rc == -ENOENT ? wf_fail(e, rc, "no symbol %s in the guest", name) : rc;
	*addr = v + vm->image.load_bias;
	return 0;
}

/* Plant a BRK at a function: reaching it is the ready point (for guests without the SDK). */
int wf_vm_stop_at(struct wf_vm *vm, const char *symbol, struct wf_err *e)
{
	uint64_t addr;
	int rc = wf_vm_symbol(vm, symbol, &addr, e);
	if (rc)
		return rc;
	uint32_t brk = wf_arch_brk_insn(WF_BRK_STOP_AT);
	if (addr % 4 || wf_mem_read(&vm->proc.mem, &vm->fork.stop_insn, addr, 4))
		return wf_fail(e, -EFAULT, "%s (%#llx) is not code in guest memory", symbol,
			       (unsigned long long)addr);
	/* Code served from a host file is never written: make that page RAM first. */
	if ((rc = wf_filemap_drop(vm, addr & ~(uint64_t)(WF_PAGE_SIZE - 1), WF_PAGE_SIZE, WF_FMAP_KEEP)))
		return wf_fail(e, rc, "cannot copy the page of %s: %s", symbol, strerror(-rc));
	memcpy(vm->ram + addr, &brk, 4);
	vm->fork.stop_addr = addr;
	vm->frame->flags |= 1ull << WF_FRAME_F_TLBI_BIT; /* also invalidates the I-cache */
	return 0;
}

int wf_vm_stop_at_hit(struct wf_vm *vm, struct wf_result *r)
{
	/* Put the instruction back: the master (and so every fork) resumes on it. */
	memcpy(vm->ram + vm->fork.stop_addr, &vm->fork.stop_insn, 4);
	vm->fork.stop_addr = 0;
	vm->frame->flags |= 1ull << WF_FRAME_F_TLBI_BIT;
	memset(r, 0, sizeof(*r));
	r->reason = WF_STOP_READY;
	return 0;
}

int wf_vm_make_master(struct wf_vm *vm, struct wf_err *e)
{
	if (vm->fork.is_master || vm->fork.is_fork || !vm->have_vcpu)
		return wf_fail(e, -EINVAL, "only a VM stopped at its ready point can become a master");
	if (vm->proc.ptab || vm->procs.ram_private)
		return wf_fail(e, -EINVAL, "a VM that forked processes cannot become a master");
	int rc = wf_arch_save_fp(vm, e);
	if (rc)
		return rc;
	if ((rc = wf_filemap_unshare(vm)))
		return wf_fail(e, rc, "cannot copy the shared file maps: %s", strerror(-rc));
	/* The EL0 trampolines (vmcall return) were mapped when the VM was created. */
	vm->frame->flags |= (1ull << WF_FRAME_F_TLBI_BIT) | (1ull << WF_FRAME_F_SET_TPIDR_BIT) |
			    (1ull << WF_FRAME_F_LOAD_FP_BIT);
	if ((rc = wf_proc_snap_take(&vm->proc, &vm->fork.snap, e)))
		return rc;
	/* From here the master is never written: its VM goes, its view becomes read-only, and
	 * the file is sealed against new writable shared mappings and writes (FUTURE_WRITE:
	 * F_SEAL_WRITE would wait for page references KVM may still hold). */
	wf_kvm_vcpu_destroy(&vm->vcpu);
	wf_kvm_close(&vm->kvm);
	vm->have_vcpu = vm->have_kvm = false;
	vm->fork.is_master = true;
	if (mmap(vm->ram, vm->layout.ram_size, PROT_READ, MAP_SHARED | MAP_FIXED, vm->fork.memfd, 0) ==
	    MAP_FAILED)
		return wf_fail_errno(e, "cannot make the master's memory read-only");
	if ((rc = wf_filemap_master(vm)))
		return wf_fail(e, rc, "cannot map the master's files again: %s", strerror(-rc));
	if (fcntl(vm->fork.memfd, F_ADD_SEALS, F_SEAL_FUTURE_WRITE | F_SEAL_GROW | F_SEAL_SHRINK | F_SEAL_SEAL))
		return wf_fail_errno(e, "cannot seal the master's memory");
	return 0;
}

int wf_vm_fork(struct wf_vm *m, struct wf_vm **out, struct wf_err *e)
{
	if (!m->fork.is_master)
		return wf_fail(e, -EINVAL, "wf_vm_fork needs a master (wf_vm_make_master)");
	struct wf_vm *vm = calloc(1, sizeof(*vm));
	if (!vm)
		return wf_fail(e, -ENOMEM, "out of host memory for a fork");
	int rc;
	vm->fork.memfd = -1;
	vm->cfg = m->cfg;
	vm->fork.is_fork = true;
	vm->fork.master = m;
	/* The blocks a fork shares with its master, whole: the RAM layout, the CPU features,
	 * the program image (borrowed; the symbolizer is opened per VM). */
	vm->layout = m->layout;
	vm->arch = m->arch;
	vm->image = m->image;
	vm->image.borrowed = true;
	vm->image.sym = NULL;
	/* Copy-on-write by the host kernel: a private mapping of the master's sealed file. */
	vm->ram = mmap(NULL, vm->layout.ram_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_NORESERVE,
		       m->fork.memfd, 0);
	if (vm->ram == MAP_FAILED) {
		vm->ram = NULL;
		rc = wf_fail_errno(e, "cannot map the master's memory copy-on-write");
		goto fail;
	}
	if ((rc = wf_filemap_fork(vm))) {
		rc = wf_fail(e, rc, "cannot map the master's files in a fork: %s", strerror(-rc));
		goto fail;
	}
	vm->prot = malloc(vm->layout.ram_size / WF_PAGE_SIZE);
	vm->fork.dirty = calloc(bitmap_words(vm), 8);
	vm->fork.kvm_dirty = calloc(bitmap_words(vm), 8);
	vm->fork.hot = calloc(bitmap_words(vm), 8);
	vm->fork.seen = calloc(bitmap_words(vm), 8);
	vm->fork.reprotect = calloc(bitmap_words(vm), 8);
	if (!vm->prot || !vm->fork.dirty || !vm->fork.kvm_dirty || !vm->fork.hot || !vm->fork.seen || !vm->fork.reprotect) {
		rc = wf_fail(e, -ENOMEM, "out of host memory for a fork's bitmaps");
		goto fail;
	}
	memcpy(vm->prot, m->prot, vm->layout.ram_size / WF_PAGE_SIZE);
	vm->pgt = m->pgt;
	vm->pgt.ram = vm->ram;
	vm->pgt.dirty = vm->fork.dirty;
	vm->frame = (struct wf_abi_frame *)(void *)(vm->ram + vm->layout.karea_ipa + WF_KAREA_FRAME);

	struct wf_proc *p = &vm->proc;
	wf_vm_attach_proc(vm);
	p->mem.dirty = vm->fork.dirty;
	if ((rc = wf_proc_fork(p, m->fork.snap, e)))
		goto fail;
	p->prot_changed = false;
	vm->systab = m->systab;

	/* The same KVM set-up as a new VM, with guest RAM's writes logged for resets. */
	if ((rc = wf_vm_start_kvm(vm, true, e)))
		goto fail;
	vm->stopped_in_stub = true;
	vm->call_sp = vm->frame->sp;
	vm->arch.good_tpidr = vm->frame->tpidr;
	*out = vm;
	return 0;
fail:
	wf_vm_destroy(vm);
	return rc;
}

void wf_vm_fork_fini(struct wf_vm *vm)
{
	if (vm->fork.snap)
		wf_proc_snap_free(vm->fork.snap);
	vm->fork.snap = NULL;
	free(vm->fork.dirty);
	free(vm->fork.kvm_dirty);
	free(vm->fork.hot);
	free(vm->fork.seen);
	free(vm->fork.reprotect);
	vm->fork.dirty = vm->fork.kvm_dirty = vm->fork.hot = vm->fork.seen = vm->fork.reprotect = NULL;
}

/*
 * Hot pages. KVM's dirty log costs a stage-2 write fault (a trip into the hypervisor) on the
 * first guest write to each page after every reset. With manual protection, a page written
 * at two resets in a row is left writable instead: its log bit stays set, so it is restored
 * on every reset like a dirty page, at the cost of a page copy instead of a fault. At most
 * HOT_MAX pages are hot, and every HOT_RESETS resets they are all write-protected again, so
 * the set follows what the guest writes now and a reset stays proportional to it.
 */
#define HOT_MAX    64u
#define HOT_RESETS 64u

/* Choose what KVM write-protects again after this reset: vm->fork.reprotect; true if any. */
static bool plan_reprotect(struct wf_vm *vm, uint64_t words)
{
	bool any = false;
	bool age_out = ++vm->fork.hot_resets >= HOT_RESETS;
	for (uint64_t w = 0; w < words; w++) {
		uint64_t cold = vm->fork.kvm_dirty[w] & ~vm->fork.hot[w];
		uint64_t promote = cold & vm->fork.seen[w];
		while (promote && vm->fork.nhot < HOT_MAX) {
			uint64_t bit = promote & -promote;
			promote &= promote - 1;
			vm->fork.hot[w] |= bit;
			vm->fork.nhot++;
		}
		cold &= ~vm->fork.hot[w];
		vm->fork.seen[w] = cold;
		vm->fork.reprotect[w] = cold;
		if (age_out) {
			vm->fork.reprotect[w] |= vm->fork.hot[w];
			vm->fork.hot[w] = 0;
		}
		any |= vm->fork.reprotect[w] != 0;
	}
	if (age_out)
		vm->fork.nhot = vm->fork.hot_resets = 0;
	return any;
}

int wf_vm_reset(struct wf_vm *vm, struct wf_err *e)
{
	if (!vm->fork.is_fork)
		return wf_fail(e, -EINVAL, "only a fork can be reset");
	const struct wf_vm *m = vm->fork.master;
	/* The input's processes go first (killed, reaped; the snapshot has no table). */
	wf_ptab_end_all(&vm->proc);
	int rc = wf_kvm_get_dirty_log(&vm->kvm, 0, vm->fork.kvm_dirty, e);
	if (rc)
		return rc;
	/* The master's file maps first: what the fork changed there is marked dirty. */
	if ((rc = wf_filemap_reset(vm)))
		return wf_fail(e, rc, "cannot restore the master's file maps: %s", strerror(-rc));
	/* Pages the guest wrote (KVM's log, hot pages included) or the host wrote (syscalls,
	 * page tables) go back to the master's contents; nothing else is touched. A restored
	 * executable page may be cached as instructions: the stub's TLBI also does the IC. */
	uint64_t restored = 0, words = bitmap_words(vm);
	bool code = false;
	for (uint64_t w = 0; w < words; w++) {
		uint64_t bits = vm->fork.dirty[w] | vm->fork.kvm_dirty[w];
		if (!bits)
			continue;
		vm->fork.dirty[w] = 0;
		while (bits) {
			uint64_t page = w * 64 + (uint64_t)__builtin_ctzll(bits);
			bits &= bits - 1;
			memcpy(vm->ram + page * WF_PAGE_SIZE, m->ram + page * WF_PAGE_SIZE, WF_PAGE_SIZE);
			code |= (m->prot[page] & WF_PROT_EXEC) != 0;
			restored++;
		}
	}
	if (vm->fork.manual_dirty && plan_reprotect(vm, words) &&
	    (rc = wf_kvm_clear_dirty_log(&vm->kvm, 0, vm->layout.ram_size / WF_PAGE_SIZE, vm->fork.reprotect, e)))
		return rc;
	/* The frame page: the stub and the run loop write it on every exit. */
	memcpy(vm->frame, m->frame, WF_PAGE_SIZE);
	vm->fork.reset_pages = restored;
	bool prot_changed = vm->proc.prot_changed;
	vm->pgt.pool_used = m->pgt.pool_used;
	if ((rc = wf_proc_reset(&vm->proc, m->fork.snap, e)))
		return rc;
	if (prot_changed)
		memcpy(vm->prot, m->prot, vm->layout.ram_size / WF_PAGE_SIZE);
	vm->proc.prot_changed = false; /* the snapshot's value says nothing about this fork */
	/* The master's frame asks for a TLBI (for a fork's first run); after that, only
	 * changed tables or restored code need one: it is a costly broadcast. */
	vm->frame->flags = (1ull << WF_FRAME_F_SET_TPIDR_BIT) | (1ull << WF_FRAME_F_LOAD_FP_BIT);
	if (vm->fork.tables_changed || prot_changed || code)
		vm->frame->flags |= 1ull << WF_FRAME_F_TLBI_BIT;
	vm->fork.tables_changed = false;
	if (!vm->stopped_in_stub) {
		/* A timeout left the vCPU in the guest: send it to the stub's resume path. */
		if ((rc = wf_arch_enter_stub(vm, e)))
			return rc;
		vm->stopped_in_stub = true;
	}
	vm->in_call = false;
	vm->call_sp = vm->frame->sp;
	vm->arch.good_tpidr = vm->frame->tpidr;
	return 0;
}

uint64_t wf_vm_reset_pages(const struct wf_vm *vm)
{
	return vm->fork.reset_pages;
}

uint64_t wf_vm_tpidr_heals(const struct wf_vm *vm)
{
	return vm->frame ? vm->frame->tpidr_heals : 0;
}

int wf_vm_push(struct wf_vm *vm, const void *buf, size_t len, uint64_t *gaddr, struct wf_err *e)
{
	uint64_t sp = vm->call_sp;
	if (len > sp || sp - len < 4096)
		return wf_fail(e, -ENOMEM, "%zu bytes do not fit on the guest stack", len);
	uint64_t at = (sp - len) & ~15ull;
	if (wf_mem_write(&vm->proc.mem, at, buf, len))
		return wf_fail(e, -ENOMEM, "%zu bytes do not fit on the guest stack", len);
	vm->call_sp = at;
	*gaddr = at;
	return 0;
}

int wf_vm_call(struct wf_vm *vm, uint64_t fn, const uint64_t *args, unsigned nargs,
	       double timeout_s, struct wf_result *r)
{
	memset(r, 0, sizeof(*r));
	if (!vm->fork.is_fork || nargs > 8 || vm->in_call) {
		r->reason = WF_STOP_ERROR;
		snprintf(r->msg, sizeof(r->msg), "%s",
			 !vm->fork.is_fork ? "vmcalls run in forks" :
			 nargs > 8    ? "at most 8 arguments" :
					"reset the fork before the next call");
		return 0;
	}
	struct wf_abi_frame *f = vm->frame;
	for (unsigned i = 0; i < 8; i++)
		f->x[i] = i < nargs ? args[i] : 0;
	f->x[29] = 0; /* the call is the outermost frame of any backtrace */
	f->x[30] = vm->layout.karea + WF_KAREA_TRAMP +
		   (uint64_t)(wf_tramp_vmcall_ret - wf_tramp_start);
	f->sp = vm->call_sp & ~15ull;
	f->pc = fn;
	f->pstate = WF_ABI_PSTATE_EL0;
	vm->in_call = true;
	wf_vm_run_for(vm, timeout_s, r);
	return 0;
}
