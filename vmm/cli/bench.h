// SPDX-License-Identifier: Apache-2.0
/* bench.h: entry point of `warmfork bench`. */
#ifndef WARMFORK_BENCH_H
#define WARMFORK_BENCH_H

#include <stdint.h>
#include <stdbool.h>

int wf_bench_main(int argc, char **argv);

struct wf_err;

/* python3 -c pass start-up, whole, averaged over 3 runs: warmfork run --sysroot and chroot. */
struct wf_python_figures {
	bool have;
	double warm_ms, native_ms;
	uint64_t file_kib; /* guest memory served from host files at python3's exit (not copied) */
};

/* Measure in root (a Debian arm64 root holding /usr/bin/python3); without one (NULL or not a
 * directory) no figures and 0. -errno on a failed run. */
int wf_bench_python(const char *root, struct wf_python_figures *out, struct wf_err *e);

/* Guest processes (bench_procs.c): fork+exit+wait and fork+exec+wait per iteration, as
 * the bench guest itself times them, under warmfork and natively. */
struct wf_procs_figures {
	double fork_us, fork_native_us, exec_us, exec_native_us;
};
int wf_bench_procs(const char *guest, struct wf_procs_figures *out, struct wf_err *e);

#endif
