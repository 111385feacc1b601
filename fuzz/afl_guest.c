// SPDX-License-Identifier: Apache-2.0
/* afl_guest.c: an AFL++ persistent-mode target that runs a libFuzzer-style guest in a warm fork. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "afl_macros.h" /* __AFL_INIT, __AFL_LOOP, __AFL_FUZZ_*: generated from afl-cc */
#include "cmp.h"
#include "fuzz_abi.h"
#include "harness.h"

/*
 * How it works (see fuzz/README.md). AFL++'s own runtime (afl-compiler-rt.o, linked here)
 * is the fork server; this file only uses its documented entry points, as afl-cc's macros
 * spell them.
 *
 * 1. A constructor boots the guest to its ready point and makes it the warm master, then
 *    registers one trace-pc-guard per guest counter with the runtime, exactly as the
 *    constructor AFL++'s instrumentation emits for a module does, and at the same priority
 *    (2): before the runtime sizes and maps the coverage map (priority 3). So the map is as
 *    large as the guest's coverage, afl-fuzz learns that size from the fork server and
 *    AFL_DUMP_MAP_SIZE prints it. This host code itself is not instrumented.
 * 2. main() calls __AFL_INIT (deferred fork server): each child afl-fuzz starts inherits the
 *    booted master. The master has no KVM VM (wf_vm_make_master dropped it); a child makes
 *    its own fork of it (a VM of the child's own) at its first input.
 * 3. __AFL_LOOP runs one input per iteration from shared memory (__AFL_FUZZ_TESTCASE_BUF /
 *    LEN): one reset plus one vmcall, then the guest's counters are copied into AFL++'s map
 *    at their guards' slots. Outside afl-fuzz the same macros read one input from stdin.
 *
 * 4. When afl-fuzz runs this binary as its cmplog binary too (afl-fuzz -c 0), the guest's
 *    comparisons (its comparison log) go to AFL++'s cmplog hooks after each input
 *    (cmp_afl.c), so the input-to-state stage sees them as in a cmplog build.
 *
 * A guest crash prints the same report as fuzz_guest, then this process dies of the guest's
 * signal (SIGABRT for others), which afl-fuzz records as a crash. Hangs are afl-fuzz -t's:
 * no VMM limit applies unless WARMFORK_TIMEOUT=SEC sets one (then a hang is a crash).
 *
 * This file is a fuzzing target, i.e. a process of its own: its state is global.
 */

__AFL_FUZZ_INIT();

/* AFL++'s runtime (afl-compiler-rt.o). */
void __sanitizer_cov_trace_pc_guard_init(uint32_t *start, uint32_t *stop);
extern uint8_t *__afl_area_ptr; /* the coverage map of this run */
extern uint32_t __afl_map_size; /* its size in bytes */

/* The embedded default guest (fuzz/embed_guest.S). */
extern const uint8_t wf_embedded_guest_start[], wf_embedded_guest_end[];
extern const char wf_embedded_guest_name[];

/* Inputs per child before afl-fuzz starts a new one (a reset keeps the guest clean). */
#define LOOP_COUNT 100000u

static struct wf_harness h = {.tool = "afl_guest"};
static uint32_t *guards; /* one per guest counter (one when the guest has no coverage) */
static size_t nguards;
static bool contiguous;  /* guards[i] == guards[0] + i: the counters copy in one read */
static uint8_t *counters; /* scratch for the other case */

static void usage(FILE *f, const char *argv0)
{
	fprintf(f,
		"usage: %s [GUEST] < INPUT\n"
		"  An AFL++ persistent-mode target: runs GUEST (default: the embedded %s guest;\n"
		"  env WARMFORK_GUEST) in a warm fork, one input per reset + vmcall.\n"
		"  afl-fuzz -i IN -o OUT -- %s [GUEST]   fuzz (shared memory, persistent)\n"
		"  %s [GUEST] < FILE                      run one input, e.g. a saved crash\n"
		"  env WARMFORK_TIMEOUT=SEC: end an input after SEC seconds as a crash\n",
		argv0, wf_embedded_guest_name, argv0, argv0);
}

/* Register the guest's counters with AFL++'s runtime as one instrumented module. */
static void register_guards(void)
{
	nguards = h.nctr ? h.nctr : 1;
	guards = calloc(nguards, sizeof(*guards));
	counters = malloc(nguards);
	if (!guards || !counters)
		wf_harness_die(&h, "out of memory for %zu coverage guards", nguards);
	__sanitizer_cov_trace_pc_guard_init(guards, guards + nguards);
	contiguous = true;
	for (size_t i = 1; i < nguards; i++)
		if (guards[i] != guards[0] + i)
			contiguous = false; /* AFL_INST_RATIO below 100 */
}

/*
 * Priority 2, as AFL++'s instrumentation registers its guards: before the runtime maps the
 * coverage map (priority 3). glibc passes main's arguments to constructors.
 */
#if defined(__has_warning) && __has_warning("-Wprio-ctor-dtor") /* newer clang */
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wprio-ctor-dtor"
#define WF_PRIO_PRAGMA 1
#endif
__attribute__((constructor(2))) static void boot(int argc, char **argv)
{
	const char *argv0 = argc > 0 && argv && argv[0] ? argv[0] : "afl_guest";
	const char *path = getenv("WARMFORK_GUEST");
	if (argc > 1 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		usage(stdout, argv0);
		exit(0);
	}
	if (argc > 2 || (argc == 2 && argv[1][0] == '-')) {
		usage(stderr, argv0);
		wf_harness_die(&h, "unexpected argument %s (the input comes on stdin or from "
				   "afl-fuzz's shared memory)", argv[argc > 2 ? 2 : 1]);
	}
	if (argc == 2)
		path = argv[1];
	if (path && !*path)
		path = NULL;

	const char *t = getenv("WARMFORK_TIMEOUT");
	if (t && *t) {
		char *end;
		h.call_timeout = strtod(t, &end);
		if (*end || !(h.call_timeout >= 0))
			wf_harness_die(&h, "WARMFORK_TIMEOUT=%s is not a number of seconds", t);
	}
	/* Only the process afl-fuzz runs as its cmplog binary (the one it gives the cmplog
	 * map) has the guest log comparisons, all of them; the others do not pay for it. */
	if (getenv("__AFL_CMPLOG_SHM_ID"))
		h.cmp_flags = WARMFORK_CMP_F_ON | WARMFORK_CMP_F_SMALL;
	wf_harness_boot(&h, path, NULL, wf_embedded_guest_start,
			(size_t)(wf_embedded_guest_end - wf_embedded_guest_start),
			wf_embedded_guest_name);
	register_guards();
	if (!getenv("AFL_QUIET"))
		fprintf(stderr, "INFO: warmfork: %s: %zu guest counters%s\n", h.name, h.nctr,
			h.nctr ? "" : " (blind)");
}
#ifdef WF_PRIO_PRAGMA
#pragma clang diagnostic pop
#endif

/* The guest's coverage of this input into AFL++'s map, at its guards' slots. */
static void put_coverage(void)
{
	uint8_t *map = __afl_area_ptr;
	size_t size = __afl_map_size;
	if (!h.nctr) {
		if (guards[0] < size)
			map[guards[0]] = 1; /* blind: "the input returned" */
		return;
	}
	if (contiguous && guards[0] + h.nctr <= size) {
		wf_harness_read(&h, h.ctr_guest, map + guards[0], h.nctr, "coverage counters");
		return;
	}
	wf_harness_read(&h, h.ctr_guest, counters, h.nctr, "coverage counters");
	for (size_t i = 0; i < h.nctr; i++)
		if (counters[i] && guards[i] < size)
			map[guards[i]] = (uint8_t)(map[guards[i]] + counters[i]);
}

/* Die of the guest's fatal signal (what afl-fuzz records as a crash), or SIGABRT. */
static _Noreturn void die_like(int sig)
{
	switch (sig) {
	case SIGSEGV:
	case SIGBUS:
	case SIGILL:
	case SIGFPE:
	case SIGTRAP:
	case SIGSYS:
		signal(sig, SIG_DFL);
		sigset_t set;
		sigemptyset(&set);
		sigaddset(&set, sig);
		sigprocmask(SIG_UNBLOCK, &set, NULL);
		raise(sig);
		break;
	default:
		break;
	}
	abort();
}

static void one_input(const uint8_t *data, size_t size)
{
	if (!h.fork)
		wf_harness_fork(&h); /* in the fork server's child: a VM of this process */
	struct wf_result r;
	wf_harness_run(&h, data, size, &r);
	switch (r.reason) {
	case WF_STOP_RETURN:
		put_coverage();
		wf_cmp_to_afl(&h); /* afl-fuzz -c: this process is the cmplog binary */
		return;
	case WF_STOP_EXIT:
		/* As a native target's exit(). */
		wf_vm_report(h.fork, &r, stderr);
		exit(r.status);
	case WF_STOP_SIGNAL:
		wf_harness_report(&h, &r);
		die_like(r.signal);
	case WF_STOP_TIMEOUT:
		wf_harness_report(&h, &r);
		abort();
	case WF_STOP_OOM:
		wf_vm_report(h.fork, &r, stderr);
		fprintf(stderr, "==warmfork== ERROR: guest out-of-memory (its %llu MiB of RAM are "
				"exhausted)\n", (unsigned long long)(h.mem >> 20));
		abort();
	case WF_STOP_ERROR:
	case WF_STOP_READY:
		break;
	}
	wf_vm_report(h.fork, &r, stderr);
	_Exit(1); /* the VMM failed, not the guest */
}

int main(void)
{
	__AFL_INIT();
	const uint8_t *buf = __AFL_FUZZ_TESTCASE_BUF;
	while (__AFL_LOOP(LOOP_COUNT)) {
		size_t len = __AFL_FUZZ_TESTCASE_LEN;
		one_input(buf, len);
	}
	return 0;
}
