/* vm_internal.h: the VM object and the architecture hooks the generic VM code calls. */
#ifndef WARMFORK_VM_INTERNAL_H
#define WARMFORK_VM_INTERNAL_H

#include <time.h>

#include "abi.h"
#include "kvm.h"
#include "linux/syscall.h"
#include "pgtable.h"
#include "vm.h"

struct wf_symbolizer;

struct wf_vm {
	struct wf_vm_config cfg;
	struct wf_kvm kvm;
	struct wf_kvm_vcpu vcpu;
	bool have_kvm, have_vcpu;

	uint8_t *ram;             /* host mapping of guest RAM, IPA 0 .. ram_size */
	uint64_t ram_size;
	uint8_t *prot;            /* per-page WF_PROT_* (the accessor's view) */
	uint64_t karea;           /* guest address of the VMM's pages (top of RAM) */
	struct wf_pgt pgt;
	struct wf_abi_frame *frame;

	struct wf_proc proc;
	struct wf_systab systab;

	uint8_t *elf;             /* the program file, kept for symbolisation */
	size_t elf_size;
	uint64_t load_bias;
	struct wf_symbolizer *sym;

	uint64_t hwcap, hwcap2;
	bool pauth;
	uint64_t exits;
};

/* Architecture hooks (vmm/arch/<arch>/cpu_<arch>.c). */
int wf_arch_vcpu_setup(struct wf_vm *vm, struct wf_err *e);
int wf_arch_hwcaps(struct wf_vm *vm, struct wf_err *e);

/* Classify the exception saved in the frame: syscall, harmless (resume) or fatal signal. */
enum wf_exc { WF_EXC_SYSCALL, WF_EXC_RESUME, WF_EXC_SIGNAL, WF_EXC_INTERNAL };
enum wf_exc wf_arch_exception(struct wf_vm *vm, struct wf_result *r);

/* Drop the crash symboliser, if one was opened (vmm/report.c). */
void wf_vm_symbolizer_close(struct wf_vm *vm);

/* Set up the initial stack and registers for the loaded program (vmm/loader.c). */
int wf_loader_load(struct wf_vm *vm, const char *path, int argc, char *const argv[],
		   char *const envp[], struct wf_err *e);

#endif
