// SPDX-License-Identifier: Apache-2.0
/* fuzz_guest.c: a libFuzzer target that runs a libFuzzer guest program in a warm fork. */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmp.h"
#include "fuzz_abi.h"
#include "harness.h"

/*
 * How it works (see fuzz/README.md): LLVMFuzzerInitialize boots the guest (a static aarch64
 * program linked with the SDK's libwarmfork_fuzz, whose main() stops at the ready point),
 * makes it the warm master and forks it once. The guest's 8-bit counters and PC table (clang
 * -fsanitize-coverage=inline-8bit-counters,pc-table) are registered with libFuzzer as if they
 * were a module of this process: a host array of the same size, filled from guest memory
 * after every input. LLVMFuzzerTestOneInput is one reset plus one vmcall of
 * warmfork_fuzz_one(data, size), then the comparisons the guest made (its comparison log,
 * from its trace-cmp hooks and memcmp-family wrappers) are replayed into libFuzzer's own
 * hooks (cmp_libfuzzer.c), so its CMP mutations and -use_value_profile see them as for an
 * in-process target. A guest crash becomes abort() here, so libFuzzer writes
 * crash-<sha1>; a guest exit() becomes exit() here, which libFuzzer reports as "fuzz target
 * exited"; hangs are left to libFuzzer's -timeout (its SIGALRM interrupts KVM_RUN).
 *
 * This file is a libFuzzer target, i.e. a process of its own: its state is global.
 */

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* libFuzzer's runtime (libclang_rt.fuzzer) provides these two. */
void __sanitizer_cov_8bit_counters_init(uint8_t *start, uint8_t *end);
void __sanitizer_cov_pcs_init(const uintptr_t *beg, const uintptr_t *end);
/*
 * ... and calls __sanitizer_symbolize_pc, if defined, to describe PCs. The sanitizer runtime
 * that -fsanitize=fuzzer links (ubsan_standalone) defines one for host PCs; the link wraps
 * it (-Wl,--wrap=__sanitizer_symbolize_pc), so libFuzzer's calls come here, for guest PCs.
 */
void __wrap___sanitizer_symbolize_pc(void *pc, const char *fmt, char *out, size_t out_size);

/*
 * libFuzzer reports an out-of-memory input (oom-<sha1>, "SUMMARY: libFuzzer: out-of-memory",
 * its OOM exit code) from the malloc hook it installs through this sanitizer interface, when
 * one allocation reaches -malloc_limit_mb. The runtime linked here never calls that hook (it
 * has no allocator), so the link wraps the installer (-Wl,--wrap=...) to keep the hook, and a
 * guest that runs out of memory is handed to it: the same report and artifact as a native
 * target whose allocation exceeds the limit.
 */
typedef void (*wf_malloc_hook)(const volatile void *ptr, size_t size);
typedef void (*wf_free_hook)(const volatile void *ptr);
int __wrap___sanitizer_install_malloc_and_free_hooks(wf_malloc_hook m, wf_free_hook f);
int __real___sanitizer_install_malloc_and_free_hooks(wf_malloc_hook m, wf_free_hook f);

/*
 * The sanitizer runtime linked with libFuzzer prints the host stack on a crash; without
 * llvm-symbolizer (the ARM64 test machine has none) it warns on every crash. UBSAN_OPTIONS
 * still overrides this.
 */
const char *__ubsan_default_options(void);
const char *__ubsan_default_options(void)
{
	return "symbolize=0";
}

/*
 * The embedded default guest and its name (fuzz/embed_guest.S: the demo in fuzz_guest, NAME's
 * guest in each fuzz_NAME made by warmfork_add_fuzz_target()).
 */
extern const uint8_t wf_embedded_guest_start[], wf_embedded_guest_end[];
extern const char wf_embedded_guest_name[];

static struct wf_harness h = {.tool = "fuzz_guest"};
static uint8_t *ctr_host; /* the copy of the guest's counters libFuzzer sees */
static size_t nctr;       /* its size: the guest's counters, or 1 when fuzzing blind */
static wf_malloc_hook oom_hook; /* libFuzzer's malloc hook (NULL with -detect_leaks=0) */
static size_t oom_limit_mb;     /* libFuzzer's -malloc_limit_mb (0: OOMs are not reported) */

int __wrap___sanitizer_install_malloc_and_free_hooks(wf_malloc_hook m, wf_free_hook f)
{
	oom_hook = m;
	return __real___sanitizer_install_malloc_and_free_hooks(m, f);
}

/* The value of libFuzzer flag -name=VALUE (the last one wins), or NULL. */
static const char *flag(int argc, char **argv, const char *name)
{
	const char *v = NULL;
	size_t n = strlen(name);
	for (int i = 1; i < argc; i++)
		if (argv[i][0] == '-' && !strncmp(argv[i] + 1, name, n) && argv[i][1 + n] == '=')
			v = argv[i] + 2 + n;
	return v;
}

/*
 * Take -guest=PATH out of argv (libFuzzer would warn about a flag it does not know) and put it
 * in the environment, so the processes libFuzzer starts itself (-fork, -merge, -jobs,
 * -minimize_crash) run the same guest.
 */
static const char *take_guest_flag(int *argc, char ***argv)
{
	char **v = *argv;
	const char *path = NULL;
	int out = 1;
	for (int i = 1; i < *argc; i++) {
		if (!strncmp(v[i], "-guest=", 7))
			path = v[i] + 7;
		else
			v[out++] = v[i];
	}
	v[out] = NULL;
	*argc = out;
	if (path && setenv("WARMFORK_GUEST", path, 1))
		wf_harness_die(&h, "cannot set WARMFORK_GUEST=%s: %s", path, strerror(errno));
	return path ? path : getenv("WARMFORK_GUEST");
}

/*
 * Register the guest's counters and PC table with libFuzzer as one module of this process.
 * Without them (a gcc build, or clang without the coverage flags) libFuzzer would stop at
 * once ("no interesting inputs"), so fuzzing goes on blind with one counter that only says
 * "the input returned".
 */
static void setup_coverage(void)
{
	nctr = h.nctr ? h.nctr : 1;
	/* Page-aligned: libFuzzer splits counter arrays into page regions. */
	size_t maplen = (nctr + 4095) & ~(size_t)4095;
	ctr_host = mmap(NULL, maplen, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (ctr_host == MAP_FAILED)
		wf_harness_die(&h, "mmap of the counter copy: %s", strerror(errno));
	__sanitizer_cov_8bit_counters_init(ctr_host, ctr_host + nctr);
	if (!h.nctr)
		return;
	if (!h.pcs_guest) {
		fprintf(stderr,
			"==warmfork== %s: no PC table matching its %zu counters "
			"(-print_pcs and -print_coverage will show nothing)\n",
			h.name, nctr);
		return;
	}
	/* The PC table: {pc, flags} per counter, guest PCs (so -print_pcs shows guest code). */
	size_t pcs_len = nctr * 2 * sizeof(uintptr_t);
	uintptr_t *pcs = malloc(pcs_len);
	if (!pcs)
		wf_harness_die(&h, "the PC table copy: out of memory");
	wf_harness_read(&h, h.pcs_guest, pcs, pcs_len, "PC table");
	__sanitizer_cov_pcs_init(pcs, pcs + 2 * nctr);
}

/* With -print_final_stats=1, warmfork's own figure after libFuzzer's: the pages a reset
 * restored per input, on average (the cost of a reset grows with it). */
static void print_reset_stats(void)
{
	if (h.resets)
		fprintf(stderr, "stat::warmfork_reset_pages_per_input: %.1f\n",
			(double)h.reset_pages / (double)h.resets);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *path = take_guest_flag(argc, argv);
	const char *stats = flag(*argc, *argv, "print_final_stats");
	if (stats && strcmp(stats, "0"))
		atexit(print_reset_stats);

	/*
	 * libFuzzer's -timeout (default 1200 s) ends a hanging input itself, writing timeout-*:
	 * its SIGALRM interrupts KVM_RUN and the VMM's run loop re-enters. The vmcall timeout
	 * is only a backstop beyond that alarm (which fires within 1.5 * timeout + 1 s), unless
	 * WARMFORK_TIMEOUT sets it (then a hang is reported as a guest crash).
	 */
	const char *t = getenv("WARMFORK_TIMEOUT");
	if (t && *t) {
		h.call_timeout = strtod(t, NULL);
	} else {
		const char *lt = flag(*argc, *argv, "timeout");
		const char *alrm = flag(*argc, *argv, "handle_alrm");
		long secs = lt ? strtol(lt, NULL, 10) : 1200;
		if (secs > 0 && !(alrm && !strcmp(alrm, "0")))
			h.call_timeout = 2.0 * (double)secs + 2.0;
	}

	/* libFuzzer: -malloc_limit_mb defaults to -rss_limit_mb, which defaults to 2048. */
	const char *lim = flag(*argc, *argv, "malloc_limit_mb");
	if (!lim || !strtol(lim, NULL, 10))
		lim = flag(*argc, *argv, "rss_limit_mb");
	oom_limit_mb = lim ? (size_t)strtoul(lim, NULL, 10) : 2048;

	/* Comparisons for libFuzzer's TORC and value profile; those of 1 and 2 bytes only feed
	 * the value profile. */
	const char *vp = flag(*argc, *argv, "use_value_profile");
	h.cmp_flags = WARMFORK_CMP_F_ON | (vp && strcmp(vp, "0") ? WARMFORK_CMP_F_SMALL : 0);
	wf_harness_boot(&h, path, NULL, wf_embedded_guest_start,
			(size_t)(wf_embedded_guest_end - wf_embedded_guest_start),
			wf_embedded_guest_name);
	wf_harness_fork(&h);
	setup_coverage();
	fprintf(stderr, "INFO: warmfork: %s: %zu guest counters%s, vmcall timeout %.0f s\n",
		h.name, h.nctr, h.nctr ? "" : " (blind)", h.call_timeout);
	return 0;
}

/*
 * libFuzzer's stack-depth record (its runtime defines it): set to the callback's frame
 * before each input, and lowered by the target's -fsanitize-coverage=stack-depth code. This
 * host code is not instrumented, so it still holds that frame here: the guest's depth is
 * taken off it, and libFuzzer's feature is the guest's.
 */
extern __thread uintptr_t __sancov_lowest_stack __attribute__((tls_model("initial-exec")));

static void add_stack_depth(uint64_t depth)
{
	if (depth < (1u << 24) && depth < __sancov_lowest_stack)
		__sancov_lowest_stack -= (uintptr_t)depth;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct wf_result r;
	wf_harness_run(&h, data, size, &r);
	switch (r.reason) {
	case WF_STOP_RETURN:
		if (!h.nctr)
			ctr_host[0] = 1;
		else
			wf_harness_read(&h, h.ctr_guest, ctr_host, nctr, "coverage counters");
		/* The guest's comparisons, to libFuzzer's hooks (TORC, value profile), and its
		 * stack depth, to libFuzzer's own record of it (a feature). */
		wf_cmp_to_libfuzzer(&h);
		add_stack_depth(WARMFORK_FUZZ_DEPTH(r.value));
		/* -1: reject the input (libFuzzer >= 12) */
		return WARMFORK_FUZZ_RESULT(r.value) == -1 ? -1 : 0;
	case WF_STOP_EXIT:
		/* As a native target's exit(): libFuzzer's atexit hook reports "fuzz target
		 * exited". */
		wf_vm_report(h.fork, &r, stderr);
		exit(r.status);
	case WF_STOP_SIGNAL:
	case WF_STOP_TIMEOUT:
		wf_harness_report(&h, &r);
		abort(); /* libFuzzer: "deadly signal", crash-<sha1> */
	case WF_STOP_OOM:
		/* The guest's memory ran out and it died of it: libFuzzer's own OOM report,
		 * through its malloc hook, with an allocation as large as its limit. */
		wf_vm_report(h.fork, &r, stderr);
		fprintf(stderr, "==warmfork== ERROR: guest out-of-memory (its %llu MiB of RAM are "
				"exhausted)\n", (unsigned long long)(h.mem >> 20));
		if (oom_hook && oom_limit_mb)
			oom_hook(NULL, oom_limit_mb << 20); /* does not return */
		abort(); /* OOM reports are off in libFuzzer: a crash-<sha1>, as before */
	case WF_STOP_ERROR:
	case WF_STOP_READY:
		break;
	}
	wf_vm_report(h.fork, &r, stderr);
	_Exit(1); /* the VMM failed, not the guest: no artifact */
}

/* Append at most n bytes of s to out[*len .. size). */
static void put(char *out, size_t size, size_t *len, const char *s, size_t n)
{
	while (n-- && *s && *len + 1 < size)
		out[(*len)++] = *s++;
	out[*len] = 0;
}

/*
 * libFuzzer describes PCs (NEW_FUNC lines, -print_pcs, -print_coverage) through this
 * sanitizer hook; every PC it knows of is a guest PC, so describe it from the guest's ELF.
 * The formats it uses are a subset of the sanitizers': %p %F %L %f %s %l %c.
 */
void __wrap___sanitizer_symbolize_pc(void *pc, const char *fmt, char *out, size_t out_size)
{
	if (!out || !out_size)
		return;
	struct wf_symbolizer *s = wf_harness_symbolizer(&h);
	uint64_t gpc = (uint64_t)(uintptr_t)pc;
	struct wf_frame_info fi;
	memset(&fi, 0, sizeof(fi));
	/* Like the sanitizers, describe the instruction before the one libFuzzer names. */
	if (!s || wf_symbolize(s, gpc >= 4 ? gpc - 4 : gpc, &fi))
		memset(&fi, 0, sizeof(fi));
	size_t len = 0;
	char tmp[512];
	out[0] = 0;
	for (const char *f = fmt; *f; f++) {
		if (*f != '%' || !f[1]) {
			put(out, out_size, &len, f, 1);
			continue;
		}
		switch (*++f) {
		case 'p':
			snprintf(tmp, sizeof(tmp), "0x%llx", (unsigned long long)gpc);
			break;
		case 'F':
			snprintf(tmp, sizeof(tmp), "in %s", fi.have_func ? fi.func : "<unknown>");
			break;
		case 'f':
			snprintf(tmp, sizeof(tmp), "%s", fi.have_func ? fi.func : "<unknown>");
			break;
		case 'L':
			if (fi.have_line)
				snprintf(tmp, sizeof(tmp), "%s:%d", fi.file, fi.line);
			else
				snprintf(tmp, sizeof(tmp), "(%s+0x%llx)", h.name,
					 (unsigned long long)(gpc - h.load_bias));
			break;
		case 's':
			snprintf(tmp, sizeof(tmp), "%s", fi.have_line ? fi.file : "<null>");
			break;
		case 'l':
			snprintf(tmp, sizeof(tmp), "%d", fi.have_line ? fi.line : 0);
			break;
		case 'c':
			snprintf(tmp, sizeof(tmp), "0");
			break;
		default:
			snprintf(tmp, sizeof(tmp), "%%%c", *f);
			break;
		}
		put(out, out_size, &len, tmp, sizeof(tmp));
	}
}
