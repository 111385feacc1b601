// SPDX-License-Identifier: Apache-2.0
/* vm.c: the VM object: guest RAM and page tables, the vCPU, the run loop and its results. */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include <linux/kvm.h>

#include "util.h"
#include "linux/mm.h"
#include "linux/ptable.h"
#include "vm_internal.h"

#define MIB (1024ull * 1024)
#define DEFAULT_MEM (512 * MIB)
#define MIN_MEM (16 * MIB)
#define MAX_MEM (64ull * 1024 * MIB) /* well inside the 39-bit VA space */

extern const uint8_t wf_vectors_start[], wf_vectors_end[];
extern const uint8_t wf_tramp_start[], wf_tramp_end[], wf_tramp_sigreturn[];

static void default_print(void *ctx, int fd, const void *buf, size_t len)
{
	(void)ctx;
	const char *p = buf;
	while (len > 0) {
		ssize_t n = write(fd == 2 ? 2 : 1, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		p += n;
		len -= (size_t)n;
	}
}

/* Page-table attributes for EL0 pages with WF_PROT_* prot (0: unmapped). */
static unsigned pgt_attrs(unsigned prot)
{
	unsigned attrs = 0;
	if (prot) {
		attrs = WF_PGT_EL0_R;
		if (prot & WF_PROT_WRITE)
			attrs |= WF_PGT_EL0_W;
		if (prot & WF_PROT_EXEC)
			attrs |= WF_PGT_EL0_X;
	}
	return attrs;
}

/* The process's memory changes, applied to the stage-1 tables. */
static int mmu_protect(void *ctx, wf_gaddr_t addr, uint64_t len, unsigned prot)
{
	struct wf_vm *vm = ctx;
	uint64_t off;
	if (wf_mem_offset(&vm->proc.mem, addr, len, &off))
		return -EFAULT; /* mm.c maps demand-paged pages one by one (map_page) */
	/* A private file map is never written: one about to be becomes RAM with the same
	 * contents (a shared one is written in place). */
	if (prot & WF_PROT_WRITE) {
		int rc = wf_filemap_drop(vm, off, len, WF_FMAP_WRITE);
		if (rc)
			return rc;
	}
	int rc = wf_pgt_map(&vm->pgt, addr, off, len, pgt_attrs(prot), NULL);
	/* Writing the tables from here invalidates nothing: the vector stub must do a TLBI
	 * (now, and again when a fork reset puts the master's tables back). */
	vm->frame->flags |= 1ull << WF_FRAME_F_TLBI_BIT;
	vm->fork.tables_changed = true;
	return rc;
}

/* A range of the master's RAM file that holds no data (never written): it reads as zero. */
static bool master_hole(int memfd, uint64_t off, uint64_t len)
{
	off_t data = lseek(memfd, (off_t)off, SEEK_DATA);
	return (data < 0 && errno == ENXIO) || (data >= 0 && (uint64_t)data >= off + len);
}

static int mmu_zero(void *ctx, wf_gaddr_t va, uint64_t len)
{
	struct wf_vm *vm = ctx;
	uint64_t addr; /* RAM offset: mm.c zeroes demand-paged pages itself */
	if (wf_mem_offset(&vm->proc.mem, va, len, &addr))
		return -EFAULT;
	uint8_t *h = vm->ram + addr;
	int rc = wf_filemap_drop(vm, addr, len, WF_FMAP_FRESH);
	if (rc)
		return rc;
	if (len > 16 * WF_PAGE_SIZE) {
		/* A VM that owns its RAM file shared: punching a hole zeroes the range. */
		if (!vm->fork.is_fork && !vm->procs.ram_private)
			return fallocate(vm->fork.memfd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
					 (off_t)addr, (off_t)len) ? -errno : 0;
		/* Private pages drop back to the file's (a fork's master's), here zero. */
		int base = vm->fork.is_fork ? vm->fork.master->fork.memfd : vm->fork.memfd;
		if (master_hole(base, addr, len))
			return madvise(h, len, MADV_DONTNEED) ? -errno : 0;
	}
	memset(h, 0, len);
	wf_mem_mark_dirty(&vm->proc.mem, addr, len);
	return 0;
}

/* The vCPU's FP/SIMD registers into the frame page (ONE_REG), unless the frame already holds
 * the ones the stub is to load (a sigreturn or a thread switch put them there). */
static int save_fp(struct wf_vm *vm, struct wf_err *e)
{
	if (vm->frame->flags & (1ull << WF_FRAME_F_LOAD_FP_BIT))
		return 0;
	return wf_arch_save_fp(vm, e);
}

/* wf_mmu_ops.save_fp (clone copies the parent thread's registers). */
static int vm_save_fp(void *ctx)
{
	struct wf_err e = {0};
	return save_fp(ctx, &e) ? -EIO : 0;
}

static int mmu_map_file(void *ctx, wf_gaddr_t addr, uint64_t len, int fd, uint64_t off,
			bool shared)
{
	struct wf_vm *vm = ctx;
	uint64_t ram;
	/* Host file maps are laid over the identity-mapped low window only (else: a copy). */
	if (wf_mem_offset(&vm->proc.mem, addr, len, &ram) || ram != addr)
		return -EINVAL;
	return wf_filemap_add(ctx, addr, len, fd, off, shared);
}

static void mmu_unmapped(void *ctx, wf_gaddr_t addr, uint64_t len)
{
	struct wf_vm *vm = ctx;
	uint64_t ram;
	if (vm->fmap.nshared && !wf_mem_offset(&vm->proc.mem, addr, len, &ram))
		(void)wf_filemap_drop(vm, ram, len, WF_FMAP_UNMAP); /* else it stays until reused */
}

static int mmu_remap_file(void *ctx, wf_gaddr_t from, wf_gaddr_t to, uint64_t len)
{
	struct wf_vm *vm = ctx;
	uint64_t ram;
	if (wf_mem_offset(&vm->proc.mem, to, len, &ram) || ram != to)
		return -EINVAL;
	return wf_filemap_remap(vm, from, to, len);
}

/*
 * wf_mmu_ops.may_block: the run's timer signal restarts host calls (SA_RESTART: it may fire
 * after a run, in the embedder), so a host call that blocks for the guest would outlive the
 * time limit. The guest-timer wake-up (no SA_RESTART, disarmed when the run ends) is armed
 * for the limit too, unless a guest timer comes first; the call then ends with EINTR,
 * restarts after the run loop has seen the limit (the timer signal made KVM_RUN return at
 * once), and the run ends as a timeout.
 */
static void vm_may_block(void *ctx)
{
	struct wf_vm *vm = ctx;
	/* Both due at once, the kernel takes the lower-numbered signal first and its action
	 * decides whether the call restarts: the wake signal's number is below the run
	 * timer's (vm_timer.c). */
	double at = vm->proc.timer_next ? (double)vm->proc.timer_next / 1e9 : 0;
	if (vm->run_deadline && (!at || vm->run_deadline < at))
		at = vm->run_deadline;
	if (at)
		(void)wf_gtimer_set(vm, at);
}

/* Demand-paged pages (linux/mm.c chooses their RAM): the tables map them one by one. */
static wf_gaddr_t mmu_next_page(void *ctx, wf_gaddr_t va, wf_gaddr_t end, uint64_t *off)
{
	struct wf_vm *vm = ctx;
	uint64_t pte = 0;
	wf_gaddr_t at = wf_pgt_next(&vm->pgt, va, end, &pte);
	*off = wf_pte_pa(pte);
	return at;
}

static int mmu_map_page(void *ctx, wf_gaddr_t va, uint64_t off, unsigned prot)
{
	struct wf_vm *vm = ctx;
	/* A valid entry changed or removed needs a TLB flush; one made valid does not. */
	if (wf_pte_valid(wf_pgt_lookup(&vm->pgt, va)))
		vm->frame->flags |= 1ull << WF_FRAME_F_TLBI_BIT;
	vm->fork.tables_changed = true;
	return wf_pgt_map(&vm->pgt, va, off, WF_PAGE_SIZE, pgt_attrs(prot), NULL);
}

static const struct wf_mmu_ops vm_mmu = {.protect = mmu_protect, .zero = mmu_zero,
					 .map_file = mmu_map_file, .remap_file = mmu_remap_file,
					 .unmapped = mmu_unmapped, .may_block = vm_may_block, .save_fp = vm_save_fp,
					 .next_page = mmu_next_page, .map_page = mmu_map_page,
					 .fork = wf_vm_proc_fork, .exec = wf_vm_proc_exec,
					 .vfork_back = wf_vm_proc_vfork_back};

/* guest_mem's way to demand-paged pages (the VMM's own accesses touch them too). */
static int mem_page(void *ctx, wf_gaddr_t va, unsigned prot, uint64_t *off)
{
	struct wf_vm *vm = ctx;
	return wf_mm_touch(&vm->proc, va, prot, off);
}

int wf_vm_demand(struct wf_vm *vm, uint64_t va, unsigned prot)
{
	uint64_t off;
	return wf_mm_touch(&vm->proc, va, prot, &off);
}

bool wf_vm_mapped(struct wf_vm *vm, uint64_t va)
{
	return wf_mm_mapped(&vm->proc, va);
}

void wf_vm_mem_layout(struct wf_vm *vm, struct wf_mem *m)
{
	*m = (struct wf_mem){.host = vm->ram, .base = 0, .size = vm->layout.id_top, .ram = vm->layout.ram_size,
			     .win_va = WF_USER_TOP - WF_STACK_SIZE, .win_off = vm->layout.stack_ipa,
			     .win_len = WF_STACK_SIZE, .page = mem_page, .page_ctx = vm,
			     .prot = vm->prot};
}

static int map_karea(struct wf_vm *vm, struct wf_err *e)
{
	size_t vec = (size_t)(wf_vectors_end - wf_vectors_start);
	if (vec > WF_KAREA_FRAME - WF_KAREA_VECTORS)
		return wf_fail(e, -EINVAL, "exception vectors (%zu bytes) overflow their pages", vec);
	memcpy(vm->ram + vm->layout.karea_ipa + WF_KAREA_VECTORS, wf_vectors_start, vec);
	/* EL0 trampolines (signal return, vmcall return): readable and executable from EL0. */
	size_t tramp = (size_t)(wf_tramp_end - wf_tramp_start);
	if (tramp > WF_PAGE_SIZE)
		return wf_fail(e, -EINVAL, "EL0 trampolines (%zu bytes) overflow a page", tramp);
	memcpy(vm->ram + vm->layout.karea_ipa + WF_KAREA_TRAMP, wf_tramp_start, tramp);
	int rc;
	uint64_t va = vm->layout.karea, pa = vm->layout.karea_ipa;
	if ((rc = wf_pgt_map(&vm->pgt, va + WF_KAREA_VECTORS, pa + WF_KAREA_VECTORS,
			     WF_KAREA_FRAME - WF_KAREA_VECTORS, WF_PGT_EL1 | WF_PGT_EL1_X, e)) ||
	    (rc = wf_pgt_map(&vm->pgt, va + WF_KAREA_FRAME, pa + WF_KAREA_FRAME, WF_PAGE_SIZE,
			     WF_PGT_EL1 | WF_PGT_EL1_W, e)) ||
	    (rc = wf_pgt_map(&vm->pgt, va + WF_KAREA_TRAMP, pa + WF_KAREA_TRAMP, WF_PAGE_SIZE,
			     WF_PGT_EL0_R | WF_PGT_EL0_X, e)) ||
	    (rc = wf_pgt_map(&vm->pgt, WF_DOORBELL, WF_DOORBELL, WF_PAGE_SIZE,
			     WF_PGT_EL1 | WF_PGT_EL1_W | WF_PGT_DEVICE, e)))
		return rc;
	vm->frame = (struct wf_abi_frame *)(void *)(vm->ram + vm->layout.karea_ipa + WF_KAREA_FRAME);
	vm->frame->version = WF_ABI_VERSION;
	return 0;
}

int wf_vm_map_ram(struct wf_vm *vm, struct wf_err *e)
{
	int rc = wf_pgt_init(&vm->pgt, vm->ram, vm->layout.ram_size,
			     vm->layout.karea_ipa + WF_KAREA_TABLES, vm->layout.pool, e);
	return rc ? rc : map_karea(vm, e);
}

void wf_vm_empty_mm(struct wf_vm *vm)
{
	struct wf_proc *p = &vm->proc;
	p->nvmas = 0;
	p->frame_free = p->frames = 0;
	p->frame_next = vm->layout.id_top;
	p->frame_end = vm->layout.stack_ipa;
	/* Demand-paged mappings go, top-down, between the low window and the stack, 1 MiB of
	 * guard below the stack as on Linux. */
	p->dmap_min = (vm->layout.id_top + 2 * MIB - 1) & ~(2 * MIB - 1);
	p->dmap_top = WF_USER_TOP - WF_STACK_SIZE - MIB;
	p->brk_start = p->brk_cur = p->brk_max = 0;
	p->mmap_top = 0;
	p->mmap_min = 0x10000;
	p->mem_exhausted = p->prot_changed = false;
}

void wf_vm_attach_proc(struct wf_vm *vm)
{
	struct wf_proc *p = &vm->proc;
	const struct wf_vm_config *cfg = &vm->cfg;
	wf_vm_mem_layout(vm, &p->mem);
	p->mmu = &vm_mmu;
	p->mmu_ctx = vm;
	p->print = cfg->print ? cfg->print : default_print;
	p->print_ctx = cfg->print_ctx;
	p->trace = cfg->trace;
	p->trace_out = cfg->trace_out ? cfg->trace_out : stderr;
}

int wf_vm_start_kvm(struct wf_vm *vm, bool log_dirty, struct wf_err *e)
{
	int rc;
	if ((rc = wf_kvm_open(&vm->kvm, e)))
		return rc;
	vm->have_kvm = true;
	if (log_dirty) {
		vm->fork.manual_dirty = wf_kvm_manual_dirty_log(&vm->kvm) == 0;
		rc = wf_kvm_set_memory_logged(&vm->kvm, 0, 0, vm->ram, vm->layout.ram_size, e);
	} else {
		rc = wf_kvm_set_memory(&vm->kvm, 0, 0, vm->ram, vm->layout.ram_size, false, e);
	}
	if (rc || (rc = wf_kvm_vcpu_create(&vm->kvm, 0, &vm->vcpu, e)))
		return rc;
	vm->have_vcpu = true;
	return wf_arch_vcpu_setup(vm, e);
}

int wf_vm_create(const struct wf_vm_config *cfg, struct wf_vm **out, struct wf_err *e)
{
	struct wf_vm *vm = calloc(1, sizeof(*vm));
	if (!vm)
		return wf_fail(e, -ENOMEM, "out of host memory for the VM");
	vm->fork.memfd = -1;
	vm->cfg = *cfg;
	uint64_t mem = cfg->mem_size ? cfg->mem_size : DEFAULT_MEM;
	if (mem < MIN_MEM || mem > MAX_MEM) {
		free(vm);
		return wf_fail(e, -EINVAL, "guest memory %llu MiB is outside [%llu, %llu] MiB",
			       (unsigned long long)(mem / MIB), MIN_MEM / MIB, MAX_MEM / MIB);
	}
	vm->layout.ram_size = (mem + 2 * MIB - 1) & ~(2 * MIB - 1);
	int rc;
	/* RAM lives in a file so that a master can later be shared copy-on-write by forks. */
	vm->fork.memfd = memfd_create("warmfork-ram", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (vm->fork.memfd < 0 || ftruncate(vm->fork.memfd, (off_t)vm->layout.ram_size)) {
		rc = wf_fail_errno(e, "cannot create the guest RAM file (%llu MiB)",
				   (unsigned long long)(vm->layout.ram_size / MIB));
		goto fail;
	}
	vm->ram = mmap(NULL, vm->layout.ram_size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_NORESERVE,
		       vm->fork.memfd, 0);
	vm->prot = calloc(vm->layout.ram_size / WF_PAGE_SIZE, 1);
	if (vm->ram == MAP_FAILED || !vm->prot) {
		if (vm->ram == MAP_FAILED)
			vm->ram = NULL;
		rc = wf_fail(e, -ENOMEM, "cannot reserve %llu MiB of host memory for guest RAM",
			     (unsigned long long)(vm->layout.ram_size / MIB));
		goto fail;
	}

	/*
	 * RAM from the top: the VMM area (vectors, frame, trampolines, then the table pool),
	 * 64 KiB of gap, the main thread's stack (mapped at the top of the user range), the pool
	 * of pages for demand-paged mappings (a quarter of what is left), and below it the
	 * identity-mapped low window. Tables: one per 2 MiB of RAM and per 1 GiB, and one per 256 KiB of the
	 * pool, whose pages may be scattered over the address space.
	 */
	uint64_t pool = (vm->layout.ram_size / (2 * MIB) + vm->layout.ram_size / (1024 * MIB) +
			 vm->layout.ram_size / 4 / (256 * 1024) + 8) * WF_PAGE_SIZE;
	uint64_t karea_size = WF_KAREA_TABLES + pool;
	vm->layout.karea = WF_KAREA_VA;
	vm->layout.karea_ipa = vm->layout.ram_size - karea_size;
	uint64_t below = vm->layout.karea_ipa > 64 * 1024 + WF_STACK_SIZE ?
				 vm->layout.karea_ipa - 64 * 1024 - WF_STACK_SIZE : 0;
	uint64_t frames = (below / 4) & ~(WF_PAGE_SIZE - 1);
	if (below - frames < 4 * MIB) {
		rc = wf_fail(e, -EINVAL, "guest memory %llu MiB is too small for its layout",
			     (unsigned long long)(vm->layout.ram_size / MIB));
		goto fail;
	}
	vm->layout.stack_ipa = ((vm->layout.karea_ipa - 64 * 1024) & ~(WF_PAGE_SIZE - 1)) - WF_STACK_SIZE;
	vm->layout.id_top = vm->layout.stack_ipa - frames;
	vm->layout.pool = pool;
	if ((rc = wf_vm_map_ram(vm, e)))
		goto fail;

	struct wf_proc *p = &vm->proc;
	wf_vm_attach_proc(vm);
	wf_vm_empty_mm(vm);
	p->lim = cfg->limits;
	/* A fixed identity keeps runs deterministic; uid/gid are the host's, as a user expects. */
	p->pid = p->tid = 2;
	p->ppid = 1;
	p->uid = getuid();
	p->gid = getgid();
	p->user_top = WF_USER_TOP;
	p->regs = vm->frame;
	p->sigtramp = vm->layout.karea + WF_KAREA_TRAMP + (uint64_t)(wf_tramp_sigreturn - wf_tramp_start);
	if ((rc = wf_proc_init(p))) {
		rc = wf_fail(e, rc, "cannot set up the process state: %s", strerror(-rc));
		goto fail;
	}
	if ((rc = wf_systab_init(&vm->systab))) {
		rc = wf_fail(e, rc, "the syscall table is inconsistent: %s", strerror(-rc));
		goto fail;
	}

	if ((rc = wf_vm_start_kvm(vm, false, e)) || (rc = wf_arch_hwcaps(vm, e)))
		goto fail;
	*out = vm;
	return 0;
fail:
	wf_vm_destroy(vm);
	return rc;
}

void wf_vm_destroy(struct wf_vm *vm)
{
	if (!vm)
		return;
	wf_ptab_end_all(&vm->proc); /* the other processes, if it forked any */
	if (vm->have_vcpu)
		wf_kvm_vcpu_destroy(&vm->vcpu);
	if (vm->have_kvm)
		wf_kvm_close(&vm->kvm);
	wf_proc_fini(&vm->proc);
	wf_timer_fini(vm);
	wf_vm_symbolizer_close(vm);
	wf_vm_fork_fini(vm);
	wf_filemap_fini(vm);
	if (!vm->image.borrowed)
		free(vm->image.elf);
	free(vm->prot);
	if (vm->ram)
		munmap(vm->ram, vm->layout.ram_size);
	if (vm->fork.memfd >= 0)
		close(vm->fork.memfd);
	free(vm);
}

int wf_vm_load(struct wf_vm *vm, const char *path, int argc, char *const argv[],
	       char *const envp[], struct wf_err *e)
{
	return wf_loader_load(vm, path, argc, argv, envp, e);
}

struct wf_proc *wf_vm_proc(struct wf_vm *vm)
{
	return &vm->proc;
}

void wf_vm_view(struct wf_vm *vm, struct wf_vm_view *out)
{
	*out = (struct wf_vm_view){.ram = vm->ram, .ram_size = vm->layout.ram_size,
				   .frame_off = vm->layout.karea_ipa + WF_KAREA_FRAME,
				   .karea = vm->layout.karea, .dirty = vm->fork.dirty};
}

int64_t wf_vm_syscall(struct wf_vm *vm, uint64_t nr, const uint64_t a[6])
{
	vm->proc.regs = vm->frame;
	return wf_syscall(&vm->proc, &vm->systab, nr, a);
}

const struct wf_systab *wf_vm_systab(struct wf_vm *vm)
{
	return &vm->systab;
}

static void backtrace(struct wf_vm *vm, struct wf_result *r)
{
	struct wf_abi_frame *f = vm->frame;
	r->nbt = 0;
	r->bt[r->nbt++] = f->pc;
	uint64_t fp = f->x[29];
	while (r->nbt < WF_BT_MAX && fp && fp % 8 == 0) {
		uint64_t rec[2];
		if (wf_mem_read(&vm->proc.mem, rec, fp, sizeof(rec)))
			break;
		if (rec[1] == vm->proc.sigtramp) {
			/* A handler's caller is the signal trampoline: go on from the frame the
			 * signal interrupted, its pc and x29 (the report looks that pc up like a
			 * return address, so a fault on a function's first instruction is named
			 * after the function before it). */
			uint64_t pc;
			if (wf_sigframe_unwind(&vm->proc, rec[0], &pc, &fp))
				break;
			r->bt[r->nbt++] = pc;
			continue;
		}
		/* A return into the VMM area is the vmcall trampoline: the outermost frame. */
		if (!rec[1] || rec[1] >= vm->layout.karea)
			break;
		r->bt[r->nbt++] = rec[1];
		if (rec[0] <= fp) /* frames live at increasing addresses */
			break;
		fp = rec[0];
	}
}

static int finish_signal(struct wf_vm *vm, struct wf_result *r, int sig)
{
	/* Dying after an allocation failed for lack of guest memory is an out-of-memory end,
	 * as a fuzzer's rss limit would see it, not a crash of the code under test. */
	r->reason = vm->proc.mem_exhausted ? WF_STOP_OOM : WF_STOP_SIGNAL;
	r->signal = sig;
	if (!r->has_fault)
		r->pc = vm->frame->pc;
	backtrace(vm, r);
	snprintf(r->msg, sizeof(r->msg), "%skilled by %s",
		 r->reason == WF_STOP_OOM ? "out of guest memory, then " : "", wf_signal_name(sig));
	return 0;
}

__attribute__((format(printf, 2, 3))) static int vm_error(struct wf_result *r,
							 const char *fmt, ...)
{
	va_list ap;
	r->reason = WF_STOP_ERROR;
	va_start(ap, fmt);
	vsnprintf(r->msg, sizeof(r->msg), fmt, ap);
	va_end(ap);
	return 0;
}

/* A result no longer about a fault: it was handled, or the guest died of something else. */
static void forget_fault(struct wf_result *r)
{
	r->has_fault = r->has_addr = false;
	r->signal = r->si_code = 0;
	r->esr = r->addr = 0;
}

struct fp_fetch {
	struct wf_vm *vm;
	struct wf_result *r;
};

/* wf_signal_deliver's need_fp: save_fp, keeping its message for the run's result. */
static int fetch_fp(void *ctx)
{
	struct fp_fetch *c = ctx;
	struct wf_err e = {0};
	int rc = save_fp(c->vm, &e);
	if (rc)
		snprintf(c->r->msg, sizeof(c->r->msg), "%s", e.msg);
	return rc;
}

/*
 * The way back to the guest, where Linux delivers signals: after every syscall and exception.
 * fault_sig is the signal of the fault just raised (0: none), whose details r holds. Returns
 * 1 to keep running, 0 when the run has ended.
 */
static int return_to_guest(struct wf_vm *vm, struct wf_result *r, const struct wf_sysexit *sx,
			   int fault_sig)
{
	struct wf_proc *p = &vm->proc;
	/* Another process's SIGKILL; after an interrupted host call, also the end of init. */
	if (p->ptab && (sx && (sx->ret == -WF_ERESTARTSYS || sx->ret == -WF_ERESTARTNOHAND) ?
				wf_vm_procs_signals(vm) : wf_ptab_pull(p)))
		return finish_signal(vm, r, p->killed_by);
	if (!wf_signal_work(p, sx))
		return 1;
	struct fp_fetch c = {vm, r};
	if (wf_signal_deliver(p, sx, fetch_fp, &c)) {
		r->reason = WF_STOP_ERROR;
		return 0;
	}
	if (p->killed_by != fault_sig)
		forget_fault(r);
	if (p->killed_by)
		return finish_signal(vm, r, p->killed_by);
	return 1;
}

/* The next moment the run loop must look (wf_now_s() time): the run's deadline or the
 * guest's next timer expiry (linux/timers.c), whichever comes first; 0: neither. */
static double next_wake(const struct wf_vm *vm, double deadline)
{
	if (!vm->proc.timer_next)
		return deadline;
	double at = (double)vm->proc.timer_next / 1e9;
	return deadline && deadline < at ? deadline : at;
}

/* Send due timers' signals, and have the guest-timer wake this thread for what comes next
 * (the run's own timer keeps the deadline). */
static int timers_tick(struct wf_vm *vm, double deadline)
{
	if (vm->proc.timer_next) /* no clock read per run (per fuzz input) without timers */
		wf_timers_fire(&vm->proc, wf_thread_now());
	int rc = wf_gtimer_set(vm, vm->proc.timer_next ? (double)vm->proc.timer_next / 1e9 : 0);
	return rc ? rc : deadline ? wf_timer_ensure(vm, deadline) : 0;
}

/*
 * A signal for a guest that runs without exiting (a busy loop) is delivered by an interrupt:
 * the raised IRQ line makes the guest take its IRQ vector at once, whose exit delivers it as
 * any exit does (return_to_guest). The line goes down at the next exit. Without the line
 * (KVM refused it), the signal waits for the guest's next exit, as before.
 */
static void irq_line(struct wf_vm *vm, bool up)
{
	if (vm->irq_up != up && !wf_kvm_arch_irq(&vm->kvm, 0, up))
		vm->irq_up = up;
}

/*
 * The running thread gave the vCPU up in a syscall (p->resched; linux/threads.h): park it,
 * then load the next runnable thread and return to it, as from its own syscall. With none
 * runnable, wait on the host for the earliest deadline of a waiting thread; a signal to this
 * host thread (the run's timer, a fuzzer's alarm) ends that wait early: return to the run
 * loop, which checks its time limit and comes back here (p->resched is still set). With no
 * deadline at all the threads wait for each other forever, as on Linux. 1: keep running.
 */
static int schedule(struct wf_vm *vm, struct wf_result *r, struct wf_sysexit *sx,
		    double deadline)
{
	struct wf_proc *p = &vm->proc;
	if (!p->parked) {
		int rc = vm_save_fp(vm);
		if (rc)
			return vm_error(r, "cannot read the FP/SIMD registers to switch threads: %s",
					strerror(-rc));
		wf_thread_park(p, sx);
	}
	for (;;) {
		int64_t until;
		int next = wf_thread_pick(p, wf_thread_now(), &until);
		if (next >= 0) {
			wf_thread_load(p, (unsigned)next, sx);
			vm->arch.good_tpidr = vm->frame->tpidr;
			return return_to_guest(vm, r, sx, 0);
		}
		/* The timer may have fired before this sleep (it only sets immediate_exit): never
		 * sleep past the run's own deadline, and let the run loop look at it first. */
		if (vm->vcpu.run->immediate_exit)
			return 1;
		if (deadline) {
			int64_t d = (int64_t)(deadline * 1e9);
			if (!until || d < until)
				until = d;
		}
		struct timespec ts = {86400, 0};
		int flags = 0;
		if (until) {
			ts = (struct timespec){until / 1000000000, until % 1000000000};
			flags = TIMER_ABSTIME;
		}
		if (clock_nanosleep(CLOCK_MONOTONIC, flags, &ts, NULL) == EINTR)
			return 1;
		if (deadline && wf_now_s() >= deadline)
			return 1;
	}
}

/* Handle one doorbell exit. Returns 1 to keep running, 0 when the run has ended. */
static int handle_exception(struct wf_vm *vm, struct wf_result *r)
{
	struct wf_abi_frame *f = vm->frame;
	struct wf_proc *p = &vm->proc;
	struct wf_fault flt = {0};
	switch (wf_arch_exception(vm, r, &flt)) {
	case WF_EXC_SYSCALL: {
		if (f->x[8] == WF_SYS_READY && !vm->fork.is_fork) {
			f->x[0] = 0; /* what warmfork_ready() returns in every fork */
			r->reason = WF_STOP_READY;
			return 0;
		}
		if (f->x[8] == WF_SYS_VMCALL_RET && vm->in_call) {
			r->reason = WF_STOP_RETURN;
			r->value = f->x[0];
			return 0;
		}
		struct wf_sysexit sx = {.syscall = true, .orig_x0 = f->x[0]};
		/* A signal another process sent since the last look (before this process first
		 * ran, say) is taken before the syscall, which then runs again: a blocking host
		 * call must not start with a kill already waiting (its wake-up came too early). */
		if (p->ptab && wf_ptab_waiting(p))
			sx.ret = -WF_ERESTARTNOINTR;
		else
			sx.ret = f->x[8] == WF_SYS_READY ? 0 :
				 wf_syscall(p, &vm->systab, f->x[8], f->x);
		f->x[0] = (uint64_t)sx.ret;
		if (p->timer_next) {
			int trc = timers_tick(vm, vm->run_deadline);
			if (trc)
				return vm_error(r, "cannot arm the guest's timers: %s", strerror(-trc));
		}
		if (p->killed_by)
			return finish_signal(vm, r, p->killed_by);
		if (p->exited) {
			r->reason = WF_STOP_EXIT;
			r->status = p->exit_status;
			return 0;
		}
		if (p->resched)
			return schedule(vm, r, &sx, next_wake(vm, vm->run_deadline));
		return return_to_guest(vm, r, &sx, 0);
	}
	case WF_EXC_RESUME:
		return return_to_guest(vm, r, NULL, 0);
	case WF_EXC_SIGNAL:
		if (vm->fork.stop_addr && f->pc == vm->fork.stop_addr && r->signal == SIGTRAP &&
		    wf_arch_brk_hit(r->esr, WF_BRK_STOP_AT))
			return wf_vm_stop_at_hit(vm, r);
		/* A guest handler may take it; otherwise the guest dies of it as before. */
		wf_signal_fault(p, &flt);
		return return_to_guest(vm, r, NULL, flt.sig);
	case WF_EXC_INTERNAL:
	default:
		r->reason = WF_STOP_ERROR;
		return 0;
	}
}

int wf_vm_run(struct wf_vm *vm, struct wf_result *r)
{
	return wf_vm_run_for(vm, vm->cfg.timeout_s, r);
}

int wf_vm_run_for(struct wf_vm *vm, double timeout_s, struct wf_result *r)
{
	memset(r, 0, sizeof(*r));
	struct wf_err e = {0};
	if (vm->fork.is_master || !vm->have_vcpu) {
		vm_error(r, "this VM cannot run: it is a master (fork it)");
		return 0;
	}
	double deadline = timeout_s > 0 ? wf_now_s() + timeout_s : 0;
	int arc = timers_tick(vm, deadline);
	if (arc) {
		vm_error(r, "cannot arm the timeout timer: %s", strerror(-arc));
		return 0;
	}
	vm->run_deadline = deadline;
	vm->procs.in_run = true;
	vm->proc.regs = vm->frame; /* a fork's process is made without it */
	vm->arch.tpidr_repairs = 0;
	struct kvm_run *run = vm->vcpu.run;
	run->immediate_exit = 0;
	wf_timer_running(run);
	for (;;) {
		run = vm->vcpu.run; /* a guest fork gives the child a new vCPU */
		if (vm->procs.broken[0]) {
			vm_error(r, "cannot make the new process's VM: %s", vm->procs.broken);
			break;
		}
		if (deadline && wf_now_s() >= deadline) {
			r->reason = WF_STOP_TIMEOUT;
			r->pc = vm->frame->pc;
			snprintf(r->msg, sizeof(r->msg), "timeout after %.3g s", timeout_s);
			break;
		}
		if (vm->proc.stopped) {
			/* Job control: no thread runs until SIGCONT; only SIGKILL acts now (the
			 * rest wait for SIGCONT, as no stopped thread wants a signal). */
			if (wf_vm_procs_killed(vm)) {
				finish_signal(vm, r, vm->proc.killed_by);
				break;
			}
			wf_ptab_stopped_wait(&vm->proc);
			/* Continued: what came meanwhile (SIGCONT's handler) is delivered before
			 * the guest goes on. It stopped on its way back from an exit, so its
			 * registers are in the frame, as return_to_guest needs. */
			if (!vm->proc.stopped && !return_to_guest(vm, r, NULL, 0))
				break;
			continue;
		}
		if (vm->proc.resched) {
			if (wf_vm_procs_signals(vm)) { /* a sleep interrupted by another process */
				finish_signal(vm, r, vm->proc.killed_by);
				break;
			}
			/* Every thread waits (schedule() was interrupted): look again, with the
			 * timer armed for this run (the signal may have been an earlier run's). */
			int trc = timers_tick(vm, deadline);
			if (trc) {
				vm_error(r, "cannot re-arm the timeout timer: %s", strerror(-trc));
				break;
			}
			struct wf_sysexit sx = {0};
			if (!schedule(vm, r, &sx, next_wake(vm, deadline)))
				break;
			continue;
		}
		int rc = wf_kvm_vcpu_run(&vm->vcpu, &e);
		if (rc == -EINTR) {
			vm->stopped_in_stub = false; /* interrupted wherever the guest was */
			run->immediate_exit = 0;
			if (wf_vm_procs_signals(vm)) {
				finish_signal(vm, r, vm->proc.killed_by);
				break;
			}
			/* A timer armed for an earlier run may fire before this deadline. */
			int trc = timers_tick(vm, deadline && wf_now_s() < deadline ? deadline : 0);
			if (trc) {
				vm_error(r, "cannot re-arm the timeout timer: %s", strerror(-trc));
				break;
			}
			if (wf_signal_work(&vm->proc, NULL))
				irq_line(vm, true);
			continue;
		}
		if (rc == -EFAULT && vm->fmap.nshared) {
			/* KVM found no page: the guest touched a shared file map past the end of its
			 * file. Linux raises SIGBUS there; here it ends the process (no handler runs). */
			vm->stopped_in_stub = false;
			finish_signal(vm, r, WF_SIGBUS);
			break;
		}
		if (rc) {
			r->reason = WF_STOP_ERROR;
			snprintf(r->msg, sizeof(r->msg), "%s", e.msg);
			break;
		}
		if (run->exit_reason == KVM_EXIT_MMIO && run->mmio.phys_addr == WF_DOORBELL &&
		    run->mmio.is_write && run->mmio.len == 4) {
			vm->exits++;
			vm->stopped_in_stub = true;
			if (vm->irq_up)
				irq_line(vm, false); /* this exit delivers what it was raised for */
			wf_arch_note_tpidr(vm);
			if (!handle_exception(vm, r))
				break;
			continue;
		}
		if (run->exit_reason == KVM_EXIT_MMIO) {
			vm_error(r, "unexpected MMIO access at %#llx (len %u)",
				 (unsigned long long)run->mmio.phys_addr, run->mmio.len);
			break;
		}
		vm_error(r, "unexpected KVM exit reason %u (hardware reason %#llx)",
			 run->exit_reason,
			 run->exit_reason == KVM_EXIT_FAIL_ENTRY ?
				 (unsigned long long)run->fail_entry.hardware_entry_failure_reason :
				 0ULL);
		break;
	}
	wf_timer_running(NULL);
	vm->vcpu.run->immediate_exit = 0;
	irq_line(vm, false);
	(void)wf_gtimer_set(vm, 0); /* no wake-up for the guest's timers outside its runs */
	vm->procs.in_run = false;
	wf_vm_procs_end(vm, r);
	return 0;
}
