// SPDX-License-Identifier: Apache-2.0
/* vm_internal.h: the VM object and the architecture hooks the generic VM code calls. */
#ifndef WARMFORK_VM_INTERNAL_H
#define WARMFORK_VM_INTERNAL_H

#include <sys/types.h>
#include <time.h>

#include "abi.h"
#include "kvm.h"
#include "linux/signals.h"
#include "linux/syscall.h"
#include "linux/threads.h"
#include "pgtable.h"
#include "vm.h"

struct wf_symbolizer;
struct kvm_run;

/* A range of guest RAM served from a host file (vmm/filemap.c). */
struct wf_filemap {
	wf_gaddr_t start;
	uint64_t len, off;  /* page aligned; off: in the file */
	int fd;             /* the master's (or a plain VM's) own fd; -1 for a fork's own map
	                     * unless it is shared (then its own) */
	bool is_fork_own;   /* made by the fork after it was forked: dropped at its reset */
	bool shared;        /* a guest MAP_SHARED mapping: laid shared, the guest writes the file */
};
#define WF_FILEMAP_MAX 256 /* per VM (each holds a host fd); past it, file mappings are copied */

/* What arch code keeps per VM (vmm/arch/<arch>/cpu_<arch>.c). */
struct wf_vm_arch {
	uint64_t hwcap, hwcap2;   /* AT_HWCAP, AT_HWCAP2 as the guest sees them */
	bool pauth;               /* pointer authentication enabled for the vCPU */
	uint64_t good_tpidr;      /* the guest's TPIDR_EL0 at the last exit */
	unsigned tpidr_repairs;   /* wild-TLS faults repaired in this run */
};

/* Where the VMM's pieces sit in guest RAM (vm.c): set at creation, the same in every fork. */
struct wf_vm_layout {
	uint64_t ram_size;
	uint64_t karea;           /* guest address of the VMM's pages (WF_KAREA_VA) */
	uint64_t karea_ipa;       /* ... and where they are in RAM (its top) */
	uint64_t stack_ipa;       /* the main thread's stack in RAM (mapped below WF_USER_TOP) */
	uint64_t id_top;          /* RAM [0, id_top) is the identity-mapped low window */
	uint64_t pool;            /* bytes of page-table pool after WF_KAREA_TABLES */
};

/* The program file (loader.c), kept for symbolisation (report.c); forks borrow the master's. */
struct wf_vm_image {
	uint8_t *elf;
	size_t elf_size;
	uint64_t load_bias;
	bool borrowed;            /* elf belongs to the master */
	struct wf_symbolizer *sym; /* opened on first use, per VM */
};

/* The run loop's timeout timer (vm_timer.c). */
struct wf_vm_timer {
	timer_t id;
	bool created;
	pid_t tid;                /* the thread it signals */
	double at;                /* when it fires (wf_now_s time), 0: not armed */
};

/* Warm master and forks (fork.c). */
struct wf_vm_fork {
	int memfd;                 /* guest RAM's backing file; owned by the master */
	bool is_master, is_fork;
	struct wf_vm *master;      /* a fork's master */
	struct wf_proc_snap *snap; /* the master's process state */
	uint64_t *dirty;           /* host writes since the last reset (forks) */
	uint64_t *kvm_dirty;       /* KVM_GET_DIRTY_LOG buffer (forks) */
	uint64_t reset_pages;
	/* With manual dirty-log protection ("hot pages"): pages left writable in stage 2 and
	 * so restored on every reset, cold pages KVM logged at the last reset, and the pages to
	 * write-protect again. */
	bool manual_dirty;
	uint64_t *hot, *seen, *reprotect;
	unsigned nhot, hot_resets;
	bool tables_changed;       /* the stage-1 tables were edited since the last reset */
	uint64_t stop_addr;        /* wf_vm_stop_at breakpoint, 0 if none */
	uint32_t stop_insn;        /* the instruction the breakpoint replaced */
};

/* Guest processes (vm_procs.c): each is a host process with its own copy of the VM. */
struct wf_vm_procs {
	bool ram_private;          /* RAM is a private (copy-on-write) mapping of the memfd */
	bool child;                /* this VM was forked by a guest fork: its run ends in _exit */
	bool in_run;               /* wf_vm_run_for is running it (a fork can only happen then) */
	char broken[200];          /* the child could not set up its VM: why (run ends) */
	/* CLONE_VM vforks (vm_vfork.c): the file a vfork child's writes come back through
	 * (down: in the parent, until it took them) and go back through (up: in the child,
	 * until it handed them over), and the child's bitmap of pages the VMM wrote for it */
	int vfork_down, vfork_up;
	bool vfork_down_open;
	bool vfork_child;          /* vfork_up is open */
	uint64_t *vfork_dirty;
};

/* Guest RAM served from host files (filemap.c). */
struct wf_vm_fmaps {
	struct wf_filemap *list;
	unsigned n, cap;
	uint64_t pages;
	unsigned nshared;          /* how many are shared (the accessor checks them then) */
	bool changed;              /* a fork's maps differ from its master's */
};

/*
 * A VM. Each block is owned by the file named at its type; vm.c owns the rest (KVM handles,
 * RAM, page tables, the process, the run and call state).
 */
struct wf_vm {
	struct wf_vm_config cfg;
	struct wf_kvm kvm;
	struct wf_kvm_vcpu vcpu;
	bool have_kvm, have_vcpu;

	uint8_t *ram;             /* host mapping of guest RAM, IPA 0 .. layout.ram_size */
	uint8_t *prot;            /* per-page WF_PROT_* (the accessor's view) */
	struct wf_vm_layout layout;
	struct wf_pgt pgt;
	struct wf_abi_frame *frame;

	struct wf_proc proc;
	struct wf_systab systab;
	struct wf_vm_image image;
	struct wf_vm_arch arch;
	struct wf_vm_timer timer;
	struct wf_vm_timer gtimer; /* the guest's own timers' next expiry (vm_timer.c) */
	struct wf_vm_fork fork;
	struct wf_vm_fmaps fmap;
	struct wf_vm_procs procs;

	/* the run and the call (vm.c) */
	uint64_t exits;
	double run_deadline;       /* wf_now_s() time the current run ends; 0: none */
	bool stopped_in_stub;      /* the vCPU's last exit was the doorbell */
	bool irq_up;               /* the vCPU's IRQ line is raised: a signal waits for the guest */
	bool in_call;              /* a vmcall is running */
	uint64_t call_sp;          /* where wf_vm_push puts the next buffer */
};

/* File maps (vmm/filemap.c). _drop turns [addr, addr+len) back into RAM, with the same
 * contents if keep (it is about to be written) or undefined ones (about to be zeroed). */
int wf_filemap_add(struct wf_vm *vm, wf_gaddr_t addr, uint64_t len, int fd, uint64_t off,
		   bool shared);
/* What wf_filemap_drop does with the file maps in its range: FRESH drops them (RAM again,
 * contents not kept), KEEP turns them into RAM with the same contents, WRITE does so with
 * private ones only (shared ones are written in place), UNMAP drops shared ones only (their
 * fds go; a private one stays until the range is used again). */
enum wf_fmap_drop { WF_FMAP_FRESH, WF_FMAP_KEEP, WF_FMAP_WRITE, WF_FMAP_UNMAP };
int wf_filemap_drop(struct wf_vm *vm, wf_gaddr_t addr, uint64_t len, enum wf_fmap_drop how);
/* Lay at [to, to+len) the file the shared map holding from shows, from from's file offset. */
int wf_filemap_remap(struct wf_vm *vm, wf_gaddr_t from, wf_gaddr_t to, uint64_t len);
/* Before a VM becomes a master: its shared maps become RAM (forks see a copy). */
int wf_filemap_unshare(struct wf_vm *vm);
int wf_filemap_master(struct wf_vm *vm);
int wf_filemap_relay(struct wf_vm *vm); /* lay a plain VM's maps again over new RAM */
int wf_filemap_fork(struct wf_vm *vm);
int wf_filemap_reset(struct wf_vm *vm);
void wf_filemap_fini(struct wf_vm *vm);

/* The timeout timer (vmm/vm_timer.c). wf_timer_running() names the run area the timer
 * signal must stop on this thread (NULL: none). */
double wf_now_s(void);
int wf_timer_ensure(struct wf_vm *vm, double deadline);
void wf_timer_running(struct kvm_run *run);
void wf_timer_fini(struct wf_vm *vm);
/* The guest's timers (linux/timers.c) wake this thread at `at` (wf_now_s time; 0: never)
 * with the wake signal, whose handler has no SA_RESTART: a blocking host call made for the
 * guest ends with EINTR, so SIGALRM interrupts a read as on Linux. 0 or -errno. */
int wf_gtimer_set(struct wf_vm *vm, double at);

/* What wf_vm_create and wf_vm_fork share (vm.c). attach_proc: the process's view of RAM and
 * its hooks (MMU, output, trace) from vm->cfg. start_kvm: KVM, the RAM slot (its writes
 * logged for a fork's resets when log_dirty), the vCPU and its registers. */
void wf_vm_attach_proc(struct wf_vm *vm);
/* execve's point of no return (vm_procs.c): new zero RAM, no mappings, no program (a plain
 * VM from now). map_ram: page tables and the VMM's pages in fresh RAM; empty_mm: the
 * process's memory as at creation, nothing mapped, every RAM frame free (vm.c). */
int wf_vm_wipe(struct wf_vm *vm, struct wf_err *e);
int wf_vm_map_ram(struct wf_vm *vm, struct wf_err *e);
void wf_vm_empty_mm(struct wf_vm *vm);
int wf_vm_start_kvm(struct wf_vm *vm, bool log_dirty, struct wf_err *e);

/* Guest processes (vmm/vm_procs.c): the MMU hooks for fork and exec; at the end of a run,
 * a child process leaves (never returns), the sandbox's init ends the others; at each
 * interruption of KVM_RUN, the signals other processes sent (true: the process dies). */
int wf_vm_proc_fork(void *ctx, bool share_vm);
/* CLONE_VM vforks (vm_vfork.c): the parent's file before the host fork; the child's dirty
 * tracking once its VM is made; the child hands its writes back (at exec's point of no
 * return, at its end); the parent takes them (the mmu hook vfork_back). */
int wf_vfork_open(struct wf_vm *vm);
int wf_vfork_child(struct wf_vm *vm, bool share_vm);
void wf_vfork_send(struct wf_vm *vm);
void wf_vm_proc_vfork_back(void *ctx);
int wf_vm_proc_exec(void *ctx, int fd, const char *path, char *const argv[], char *const envp[]);
void wf_vm_procs_end(struct wf_vm *vm, const struct wf_result *r);
bool wf_vm_procs_signals(struct wf_vm *vm);
/* Only SIGKILL or the end of init (a stopped process takes no other signal). */
bool wf_vm_procs_killed(struct wf_vm *vm);
/* The handler of the wake signal (vm_timer.c), installed once per host process: it only
 * interrupts, except in a guest child process once wf_wake_watch(init, parent) named the
 * host pids of the sandbox's init and of the process's host parent: a wake-up that finds a
 * host parent that is neither (the parent died and init had died too, so the orphan went
 * outside the sandbox: the parent-death signal) kills the process then and there, as no
 * blocking call may outlive the sandbox. */
void wf_wake_install(int sig);
void wf_wake_watch(pid_t init, pid_t parent);
/* In a watched process: its host parent is neither of the two (async-signal-safe). */
bool wf_wake_orphaned(void);

/* vmm/fork.c hooks used by the run loop and destroy. */
int wf_vm_stop_at_hit(struct wf_vm *vm, struct wf_result *r);
/* The main thread's stack: RAM at vm->layout.stack_ipa, mapped just below WF_USER_TOP. */
#define WF_STACK_SIZE (8ull << 20)
/* The process's view of guest RAM (its windows, demand paging) for vm, into m. */
void wf_vm_mem_layout(struct wf_vm *vm, struct wf_mem *m);
/* A guest access (WF_PROT_*) faulted at va: give a demand-paged page there its RAM if a
 * mapping allows the access. 0: resume the guest; -EFAULT, or -ENOMEM (out of RAM). */
int wf_vm_demand(struct wf_vm *vm, uint64_t va, unsigned prot);
/* Is a mapping at va (a fault there is an access error, SEGV_ACCERR, not SEGV_MAPERR)? Arch
 * code asks the VM, which asks the personality: arch code never calls linux/ itself. */
bool wf_vm_mapped(struct wf_vm *vm, uint64_t va);
void wf_vm_fork_fini(struct wf_vm *vm);
int wf_vm_run_for(struct wf_vm *vm, double timeout_s, struct wf_result *r);

#define WF_BRK_STOP_AT 0xf01 /* BRK immediate of the wf_vm_stop_at breakpoint */

/* Arch hooks for forks: read the vCPU's FP/SIMD state into the frame; point the vCPU at the
 * stub's resume path after it stopped outside it (a timeout). */
int wf_arch_save_fp(struct wf_vm *vm, struct wf_err *e);
int wf_arch_enter_stub(struct wf_vm *vm, struct wf_err *e);
uint32_t wf_arch_brk_insn(unsigned imm);
/* Did the exception with syndrome esr come from that BRK (immediate imm)? */
bool wf_arch_brk_hit(uint64_t esr, unsigned imm);

/* Architecture hooks (vmm/arch/<arch>/cpu_<arch>.c). */
int wf_arch_vcpu_setup(struct wf_vm *vm, struct wf_err *e);
int wf_arch_hwcaps(struct wf_vm *vm, struct wf_err *e);

/* Classify the exception saved in the frame: syscall, harmless (resume) or a fault, which
 * r describes for a report and flt in Linux's terms for the guest (WF_EXC_SIGNAL). */
enum wf_exc { WF_EXC_SYSCALL, WF_EXC_RESUME, WF_EXC_SIGNAL, WF_EXC_INTERNAL };
enum wf_exc wf_arch_exception(struct wf_vm *vm, struct wf_result *r, struct wf_fault *flt);
/* Remember the guest's TPIDR_EL0 at this exit, for repairing a wild one (cpu_arm64.c). */
void wf_arch_note_tpidr(struct wf_vm *vm);

/* Drop the crash symboliser, if one was opened (vmm/report.c). */
void wf_vm_symbolizer_close(struct wf_vm *vm);

/* Set up the initial stack and registers for the loaded program (vmm/loader.c). */
int wf_loader_load(struct wf_vm *vm, const char *path, int argc, char *const argv[],
		   char *const envp[], struct wf_err *e);
/* The same for execve: the program's file already read into elf (malloc'd; the VM owns it
 * from here, even on failure). */
int wf_loader_exec(struct wf_vm *vm, uint8_t *elf, size_t size, const char *path, int argc,
		   char *const argv[], char *const envp[], struct wf_err *e);

#endif
