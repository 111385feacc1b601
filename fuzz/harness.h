// SPDX-License-Identifier: Apache-2.0
/* harness.h: what fuzz_guest and afl_guest share: a guest booted to a warm master, one input per reset + vmcall. */
#ifndef WARMFORK_FUZZ_HARNESS_H
#define WARMFORK_FUZZ_HARNESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "debug/symbolize.h"
#include "vm.h"

/* Guest RAM of a fuzzing guest (more with ASan: its shadow, quarantine and allocator), and
 * the wall-clock limit of its initialisation. */
#define WF_HARNESS_MEM      (64ull << 20)
#define WF_HARNESS_MEM_ASAN (512ull << 20)
#define WF_HARNESS_INIT_S   60.0
#define WF_HARNESS_ERR      (64u << 10)

/*
 * One guest under a fuzzer. Both hosts are processes of their own with one harness each;
 * the VMM library itself keeps no global state.
 */
struct wf_harness {
	const char *tool;    /* "fuzz_guest", "afl_guest": the prefix of fatal messages */
	const char *name;    /* how the guest is named in messages */
	double call_timeout; /* wall-clock limit of one input, seconds (0: none) */

	uint8_t *elf; /* the guest image, for symbolising guest PCs */
	size_t elf_size;
	uint64_t mem; /* its RAM: WF_HARNESS_MEM, or WF_HARNESS_MEM_ASAN for an ASan build */
	struct wf_vm *master, *fork;
	uint64_t fuzz_one; /* guest address of warmfork_fuzz_one */
	bool dirty;        /* the fork ran an input since its last reset */
	uint64_t resets, reset_pages; /* resets done, and the pages they restored */
	bool sandboxed;    /* the seccomp filter is on (from the first input) */

	/* Coverage, from the guest's warmfork_cov (guests/sdk/fuzz_main.c). nctr == 0: the
	 * guest has no coverage (built by gcc, or without the coverage flags). */
	uint64_t ctr_guest; /* guest address of the inline 8-bit counters */
	size_t nctr;
	uint64_t pcs_guest; /* guest address of the PC table matching them (0: none) */

	/* The comparison log (warmfork_cmp, guests/sdk/fuzz_abi.h): 0 when the guest has
	 * none (built without the SDK's comparison hooks), or WARMFORK_CMP=0 turns it off. */
	uint32_t cmp_flags; /* WARMFORK_CMP_F_* the tool wants logged (set before boot) */
	uint64_t cmp_guest;
	uint8_t *cmp_buf; /* the fork's log, read after an input */

	/* The guest's stderr since the input began (its last WF_HARNESS_ERR bytes), for a
	 * sanitizer's stack in a crash report. */
	char *err;
	size_t err_len;

	struct wf_symbolizer *sym;
	bool sym_tried;
	uint64_t load_bias; /* of a static-PIE guest */
};

/* Print "==warmfork== TOOL: <message>" and leave with status 1 (no fuzzer artifact). */
_Noreturn void wf_harness_die(const struct wf_harness *h, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * Boot the guest at `path` (NULL: the embedded default guest, named `embedded_name`) to its
 * ready point and make it the warm master; find warmfork_fuzz_one and the coverage. `argv0`
 * is the guest's argv[0] (NULL: the path). Dies with a message on any failure.
 */
void wf_harness_boot(struct wf_harness *h, const char *path, const char *argv0,
		     const uint8_t *embedded, size_t embedded_size, const char *embedded_name);

/* Fork the master (KVM VM and vCPU of this process). Dies on failure. */
void wf_harness_fork(struct wf_harness *h);

/* One input: reset the fork if an input ran since the last reset, pass the bytes, vmcall
 * warmfork_fuzz_one(data, size). Dies on a VMM failure (not the guest's). The first input
 * puts the process under the VMM's seccomp filter (vmm/sandbox.h) unless WARMFORK_SECCOMP=0:
 * only processes that run inputs get it, never a -fork/-jobs/-merge parent or AFL++'s fork
 * server, which start processes. */
void wf_harness_run(struct wf_harness *h, const uint8_t *data, size_t size,
		    struct wf_result *r);

/* Copy guest memory (of the fork, else of the master) to dst; dies when out of range. */
void wf_harness_read(struct wf_harness *h, uint64_t addr, void *dst, size_t len,
		     const char *what);

/*
 * The comparisons the last input made (the guest's comparison log), each checked, in order:
 * fn(ctx, record, its operand bytes). Returns how many were passed. A record the guest
 * corrupted ends the walk.
 */
struct warmfork_cmp_rec;
typedef void (*wf_cmp_fn)(void *ctx, const struct warmfork_cmp_rec *r, const uint8_t *bytes);
unsigned wf_harness_cmp_each(struct wf_harness *h, wf_cmp_fn fn, void *ctx);

/* The guest's symboliser (opened on first use), or NULL. */
struct wf_symbolizer *wf_harness_symbolizer(struct wf_harness *h);

/*
 * A guest crash: the VMM's report (signal, PC, registers, guest backtrace) and the
 * sanitizers' DEDUP_TOKEN line (the top three guest functions), on stderr. When the guest
 * printed a sanitizer's report, its stack (which the guest cannot symbolise) is shown again,
 * symbolised, and the token is made of its frames, as a sanitizer's own would be.
 */
void wf_harness_report(struct wf_harness *h, const struct wf_result *r);

#endif
