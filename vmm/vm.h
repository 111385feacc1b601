// SPDX-License-Identifier: Apache-2.0
/* vm.h: the public VMM API: create a VM, load a static aarch64 ELF, run it, read the result. */
#ifndef WARMFORK_VM_H
#define WARMFORK_VM_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "err.h"
#include "proc.h"

struct wf_vm_config {
	uint64_t mem_size;         /* guest RAM in bytes; 0: 512 MiB */
	double timeout_s;          /* wall-clock limit of one wf_vm_run; 0: none */
	wf_printer_fn print;       /* guest fd 1 and 2; NULL: write to the host's 1 and 2 */
	void *print_ctx;
	bool trace;                /* strace-style line per syscall to trace_out (stderr if NULL) */
	FILE *trace_out;
	struct wf_proc_limits limits;
};

enum wf_stop {
	WF_STOP_EXIT,      /* the guest called exit/exit_group: `status` */
	WF_STOP_SIGNAL,    /* killed by `signal` (a fault, abort(), kill to self) */
	WF_STOP_TIMEOUT,   /* the wall-clock limit expired */
	WF_STOP_ERROR,     /* the VMM could not go on (`msg`); the guest is not to blame */
	WF_STOP_READY,     /* the guest reached its ready point: wf_vm_make_master() may follow */
	WF_STOP_RETURN,    /* a vmcall returned: `value` is its x0 */
	WF_STOP_OOM,       /* killed by `signal` after its memory ran out (mmap/brk failed) */
};

#define WF_BT_MAX 32

struct wf_result {
	enum wf_stop reason;
	int status;
	int signal;
	int si_code;
	bool has_fault;          /* a CPU exception caused it: pc, esr (and maybe addr) valid */
	bool has_addr;
	uint64_t pc, esr, addr;
	uint64_t value;          /* WF_STOP_RETURN: the called function's x0 */
	uint64_t bt[WF_BT_MAX];  /* frame-pointer backtrace, bt[0] = pc */
	unsigned nbt;
	char msg[256];
};

struct wf_vm;
struct wf_systab;

int wf_vm_create(const struct wf_vm_config *cfg, struct wf_vm **out, struct wf_err *e);
void wf_vm_destroy(struct wf_vm *vm);

/*
 * Host directories as the embedder names them (vm_paths.c). A relative host directory is
 * taken from the process's current directory, as bwrap and chroot do; errors say why in
 * words and name the directory.
 *
 * Make host directory dir the guest's "/", read-only, as chroot(dir) would: the program,
 * its interpreter and every guest path resolve inside it. Call it first (before the
 * allow-list entries, whose default guest paths depend on it) and before wf_vm_load.
 */
int wf_vm_set_root(struct wf_vm *vm, const char *dir, struct wf_err *e);

/*
 * Let the guest read (and with `write`, modify) files beneath host directory `host`, seen at
 * guest path `guest` as through a bind mount. guest NULL: inside the root, host's path in
 * it; otherwise host's own absolute path. wf_vm_allow(vm, dir, ...) is
 * wf_vm_allow_at(vm, dir, NULL, ...).
 */
int wf_vm_allow_at(struct wf_vm *vm, const char *host, const char *guest, bool write,
		   struct wf_err *e);
int wf_vm_allow(struct wf_vm *vm, const char *dir, bool write, struct wf_err *e);

/*
 * The guest's working directory: dir, a guest path that must be a directory the guest sees
 * (and may search). dir NULL: the host's current directory where the guest sees it (through
 * the root or an allow-list entry), else "/". Until this is called the cwd is "/".
 */
int wf_vm_set_cwd(struct wf_vm *vm, const char *dir, struct wf_err *e);

/* Load the ELF file at path as the guest program and build its initial stack. */
int wf_vm_load(struct wf_vm *vm, const char *path, int argc, char *const argv[],
	       char *const envp[], struct wf_err *e);

/* Run until the guest exits, dies, times out, or the VMM fails. Returns 0 (see r->reason). */
int wf_vm_run(struct wf_vm *vm, struct wf_result *r);

/*
 * Warm master and forks. A guest signals "initialised" by calling the guest SDK's
 * warmfork_ready() (or the embedder names a function with wf_vm_stop_at()); wf_vm_run then
 * returns WF_STOP_READY and wf_vm_make_master() freezes the VM as the master: its memory is
 * sealed read-only and it never runs again. Forks share that memory copy-on-write; each is
 * driven by one thread at a time, and any number may exist.
 */
int wf_vm_stop_at(struct wf_vm *vm, const char *symbol, struct wf_err *e);
int wf_vm_make_master(struct wf_vm *vm, struct wf_err *e);
int wf_vm_fork(struct wf_vm *master, struct wf_vm **out, struct wf_err *e);

/* Put a fork back to exactly the master's state; cost grows with the pages it dirtied. */
int wf_vm_reset(struct wf_vm *fork, struct wf_err *e);

/* Guest pages the last wf_vm_reset restored. */
uint64_t wf_vm_reset_pages(const struct wf_vm *fork);

/* Guest pages now served straight from host files (file mappings that are not copied). */
uint64_t wf_vm_file_pages(const struct wf_vm *vm);

/* Resumes that found TPIDR_EL0 changed behind the guest and put it back (docs/abi.md),
 * since the VM was loaded or the fork last reset. */
uint64_t wf_vm_tpidr_heals(const struct wf_vm *vm);

/* Guest address of a function symbol (relocated), for wf_vm_call. */
int wf_vm_symbol(struct wf_vm *vm, const char *name, uint64_t *addr, struct wf_err *e);

/* Copy host bytes onto the fork's stack for the next wf_vm_call; returns their guest address. */
int wf_vm_push(struct wf_vm *fork, const void *buf, size_t len, uint64_t *gaddr,
	       struct wf_err *e);

/*
 * Call the guest function at `fn` with up to 8 integer/pointer arguments (AAPCS64) in a
 * fork, with a wall-clock timeout (0: none). r->reason is WF_STOP_RETURN with r->value on
 * return, or a fault / exit / timeout / error as for wf_vm_run. Reset before the next call.
 */
int wf_vm_call(struct wf_vm *fork, uint64_t fn, const uint64_t *args, unsigned nargs,
	       double timeout_s, struct wf_result *r);

/* Print a crash report (reason, registers, symbolised backtrace) for a result. */
void wf_vm_report(struct wf_vm *vm, const struct wf_result *r, FILE *out);

/* The emulated process (syscall counters, fd table...), for embedders and tests. */
struct wf_proc *wf_vm_proc(struct wf_vm *vm);

/*
 * White-box views for the VMM's own fuzzers and tests (fuzz/syscall_fuzz_kvm.c checks that a
 * reset really puts every page back). Read-only; valid until the VM changes.
 */
struct wf_vm_view {
	const uint8_t *ram;        /* guest RAM, IPA 0 upwards */
	uint64_t ram_size;
	uint64_t frame_off;        /* RAM offset of the frame page (its flags are per VM) */
	uint64_t karea;            /* guest address of the VMM's own pages */
	const uint64_t *dirty;     /* a fork's pages written since its last reset (bit per page) */
};
void wf_vm_view(struct wf_vm *vm, struct wf_vm_view *out);
/* Run syscall nr on the VM's process between runs, as its guest would make it. */
int64_t wf_vm_syscall(struct wf_vm *vm, uint64_t nr, const uint64_t a[6]);
/* The VM's syscall table (which numbers are emulated). */
const struct wf_systab *wf_vm_systab(struct wf_vm *vm);

const char *wf_signal_name(int sig);

#endif
