// SPDX-License-Identifier: Apache-2.0
/* syscall_fuzz_kvm.c: libFuzzer target in the ARM64 machine: fuzzer-chosen syscalls into the handlers of a real fork, reset after every input and checked against its master. */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "syscall_fuzz_input.h"
#include "vm.h"

/*
 * The variant of syscall_fuzz (fuzz/syscall_fuzz.c) that runs against a real fork: a master
 * booted from fork_test_guest, one fork, and for each input the syscalls go through the real
 * dispatcher on the fork's process, with its page tables, file maps, dirty tracking and
 * allowed directory (a scratch directory, read-write). Pointers aim at the user range, the
 * end of its mappings, the VMM's EL1-only pages at the top of RAM, the program's read-only
 * text, past RAM and wrapping values. Before the next input the fork is reset, and checked:
 *   - every page the input wrote (the VMM's dirty bitmap) equals the master's again;
 *   - the mappings, brk and open fds are the master's;
 *   - every CHECK_EVERY inputs, all of guest RAM equals the master's and a vmcall into the
 *     guest returns what it should.
 * Any difference, or a VMM error, is a finding: abort(). ASan and UBSan watch the
 * rest. Left out, besides syscall_fuzz_input.h's list: nothing (exit, signals to itself and
 * rt_sigreturn just end the input, as no guest code runs).
 */
int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK_EVERY 64

static struct wf_vm *master, *fork_vm;
static struct wf_vm_view fv, mv; /* their RAM, the fork's dirty bitmap */
static int nrs[WF_NR_MAX];
static unsigned nnrs;
static uint8_t seen[WF_NR_MAX];
static char scratch[] = "/tmp/syscall_fuzz_kvm.XXXXXX";
static uint64_t bad[8], extra[2];
static struct sf_space space;
static uint64_t *dirty_copy, words, inputs, add_fn;
static unsigned base_nvmas, base_fds;
static uint64_t base_brk;
static bool ran; /* an input ran since the last reset */

static void discard(void *ctx, int fd, const void *buf, size_t len)
{
	(void)ctx, (void)fd, (void)buf, (void)len;
}

static void report(void)
{
	unsigned n = 0;
	for (int nr = 0; nr < WF_NR_MAX; nr++)
		n += seen[nr];
	fprintf(stderr, "INFO: syscall_fuzz_kvm: %u distinct syscalls ran\n", n);
	rmdir(scratch); /* only if the inputs left it empty */
}

static _Noreturn void die(const char *what, const char *msg)
{
	fprintf(stderr, "==syscall_fuzz_kvm== %s: %s\n", what, msg);
	abort(); /* libFuzzer: a crash, with the input saved */
}

static unsigned open_fds(const struct wf_proc *p)
{
	unsigned n = 0;
	for (unsigned i = 0; i < p->nfds; i++)
		n += p->fds[i].kind != WF_FD_FREE;
	return n;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	int fd = open("/dev/null", O_RDONLY); /* the guest's fd 0: empty, not a terminal */
	if (fd > 0) {
		dup2(fd, 0);
		close(fd);
	}
	if (!mkdtemp(scratch))
		die("set-up", "mkdtemp");
	atexit(report);
	struct wf_err e = {0};
	struct wf_vm_config cfg = {.mem_size = 64 << 20, .print = discard};
	char *gargv[] = {SYSCALL_FUZZ_GUEST, NULL}, *genvp[] = {NULL};
	struct wf_result r;
	if (wf_vm_create(&cfg, &master, &e) || wf_vm_allow(master, scratch, true, &e) ||
	    wf_vm_load(master, SYSCALL_FUZZ_GUEST, 1, gargv, genvp, &e))
		die("set-up", e.msg);
	wf_vm_run(master, &r);
	if (r.reason != WF_STOP_READY)
		die("set-up", "the guest did not reach its ready point");
	if (wf_vm_make_master(master, &e) || wf_vm_symbol(master, "wf_add", &add_fn, &e) ||
	    wf_vm_fork(master, &fork_vm, &e))
		die("set-up", e.msg);
	struct wf_proc *p = wf_vm_proc(fork_vm);
	wf_vm_view(fork_vm, &fv);
	wf_vm_view(master, &mv);
	nnrs = sf_numbers(wf_vm_systab(fork_vm), nrs);
	words = (fv.ram_size / WF_PAGE_SIZE + 63) / 64;
	if (!(dirty_copy = calloc(words, 8)))
		die("set-up", "out of memory");
	base_nvmas = p->nvmas;
	base_brk = p->brk_cur;
	base_fds = open_fds(p);
	/* The program's text (read-only), the stack's end, the VMM's pages, past RAM. */
	uint64_t ram = fv.ram_size;
	bad[0] = 0, bad[1] = 0x10, bad[2] = ram, bad[3] = ram - 8, bad[4] = p->user_top;
	bad[5] = 1ull << 47, bad[6] = ~0ull, bad[7] = ~0ull - 7;
	space = (struct sf_space){.lo = p->mmap_min, .size = p->user_top - p->mmap_min,
				  .end = p->vmas[p->nvmas - 1].end, .noaccess = fv.karea,
				  .rdonly = p->vmas[0].start, .bad = bad, .nbad = 8,
				  .extra = extra, .nextra = 2};
	fprintf(stderr, "INFO: syscall_fuzz_kvm: %u emulated syscalls in play, %u mappings\n",
		nnrs, base_nvmas);
	return 0;
}

/* One page of guest RAM, fork against master. The frame page's flags are the reset's own
 * request to the stub (load FP/TLS; the master's asks for a TLB flush too): not compared. */
static bool page_equal(uint64_t off)
{
	const uint8_t *f = fv.ram + off, *m = mv.ram + off;
	if (off != fv.frame_off)
		return !memcmp(f, m, WF_PAGE_SIZE);
	struct wf_abi_frame a, b;
	memcpy(&a, f, sizeof(a));
	memcpy(&b, m, sizeof(b));
	a.flags = b.flags = 0;
	return !memcmp(&a, &b, sizeof(a)) &&
	       !memcmp(f + sizeof(a), m + sizeof(a), WF_PAGE_SIZE - sizeof(a));
}

/* After a reset: the fork is its master again, or this is a finding. */
static void check_reset(void)
{
	struct wf_proc *p = wf_vm_proc(fork_vm);
	for (uint64_t w = 0; w < words; w++)
		for (uint64_t bits = dirty_copy[w]; bits; bits &= bits - 1) {
			uint64_t off = (w * 64 + (uint64_t)__builtin_ctzll(bits)) * WF_PAGE_SIZE;
			if (!page_equal(off)) {
				fprintf(stderr, "page %#llx\n", (unsigned long long)off);
				die("reset leak", "a page the input wrote differs from the master's");
			}
		}
	if (p->nvmas != base_nvmas || p->brk_cur != base_brk || open_fds(p) != base_fds)
		die("reset leak", "mappings, brk or fds differ from the master's");
	if (++inputs % CHECK_EVERY)
		return;
	for (uint64_t off = 0; off < fv.ram_size; off += WF_PAGE_SIZE)
		if (!page_equal(off)) {
			fprintf(stderr, "page %#llx\n", (unsigned long long)off);
			die("reset leak", "guest RAM differs from the master's");
		}
	uint64_t args[2] = {40, 2};
	struct wf_result r;
	wf_vm_call(fork_vm, add_fn, args, 2, 10, &r);
	if (r.reason != WF_STOP_RETURN || r.value != 42)
		die("reset leak", r.msg[0] ? r.msg : "wf_add(40, 2) did not return 42");
	struct wf_err e = {0};
	if (wf_vm_reset(fork_vm, &e))
		die("reset", e.msg);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct wf_err e = {0};
	struct wf_proc *p = wf_vm_proc(fork_vm);
	if (ran) {
		memcpy(dirty_copy, fv.dirty, words * 8);
		if (wf_vm_reset(fork_vm, &e))
			die("reset", e.msg);
		check_reset();
	}
	ran = true;
	/* Paths the calls may name: the allowed directory and a file in it. */
	char file[sizeof(scratch) + 2];
	snprintf(file, sizeof(file), "%s/f", scratch);
	if (wf_vm_push(fork_vm, scratch, sizeof(scratch), &extra[0], &e) ||
	    wf_vm_push(fork_vm, file, sizeof(file), &extra[1], &e))
		die("push", e.msg);
	struct sf_cursor c = {data, data + size};
	for (int i = 0; i < SF_MAX_CALLS && c.p < c.end && !p->exited && !p->killed_by; i++) {
		int nr = nrs[sf_take(&c, 2) % nnrs];
		uint64_t a[6];
		for (int k = 0; k < 6; k++)
			a[k] = sf_arg(&c, &space);
		if (sf_may_block(nr, a))
			continue;
		(void)wf_vm_syscall(fork_vm, (uint64_t)nr, a);
		seen[nr] = 1;
	}
	return 0;
}
