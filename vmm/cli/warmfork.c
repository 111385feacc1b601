// SPDX-License-Identifier: Apache-2.0
/* warmfork.c: the warmfork command line: `warmfork run PROGRAM [ARGS...]` and friends. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"
#include "bench.h"
#include "sandbox.h"
#include "vm.h"

extern char **environ;

static void usage(FILE *out)
{
	fprintf(out,
		"usage: warmfork run [OPTIONS] [--] PROGRAM [ARGS...]\n"
		"       warmfork call [OPTIONS] [--stop-at SYMBOL] [--] PROGRAM FUNCTION [ARGS...]\n"
		"       warmfork bench [--json] [--iterations N]\n"
		"  Run an aarch64 Linux program (static or dynamic) at EL0 under KVM, with its syscalls emulated.\n"
		"  --mem SIZE         guest memory (bytes, or with K/M/G suffix; default 512M)\n"
		"  --timeout SECONDS  wall-clock limit; the guest is stopped and reported as timeout\n"
		"  --allow-read HOST[:GUEST]\n"
		"                     let the guest read files beneath host directory HOST, seen at\n"
		"                     guest path GUEST as through a bind mount (repeatable). GUEST is\n"
		"                     by default HOST's own path, or its path inside the --sysroot when\n"
		"                     it lies there. A relative HOST is taken from the current directory\n"
		"  --allow-write HOST[:GUEST]\n"
		"                     the same, and let the guest write there too\n"
		"  --sysroot DIR      DIR is the guest's / (read-only), as chroot DIR PROGRAM: the program,\n"
		"                     its ld.so and libraries and every guest path resolve inside DIR\n"
		"  --cwd DIR          the guest's working directory (a guest path). Default: the current\n"
		"                     directory when the guest sees it (allowed, or in the --sysroot),\n"
		"                     else /\n"
		"  --max-output SIZE  bytes the guest may write to stdout+stderr (default unlimited)\n"
		"  --max-fds N        size of the guest's fd table (default 1024)\n"
		"  --max-maps N       number of memory mappings the guest may hold (default 65530)\n"
		"  --max-threads N    threads the guest may have at once (default 256; more: EAGAIN)\n"
		"  --max-procs N      processes the guest may have at once, itself included (default\n"
		"                     256; fork past it: EAGAIN)\n"
		"  --trace            print every syscall, strace-style, on stderr\n"
		"  --no-seccomp       do not restrict warmfork's own system calls once the guest is\n"
		"                     loaded (by default a seccomp filter allows only what it needs)\n"
		"call: run PROGRAM to its ready point, fork, call FUNCTION with up to 8 arguments\n"
		"  (integers, or strings passed as pointers) and print what it returns.\n"
		"exit status: the guest's own; 128+N when killed by signal N; 124 on timeout;\n"
		"125 on a VMM error; 126 when the program cannot be loaded; 2 on bad usage.\n");
}

static int parse_size(const char *s, uint64_t *out)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno || end == s || s[0] == '-')
		return -1;
	unsigned shift = 0;
	switch (*end) {
	case 'k': case 'K': shift = 10; end++; break;
	case 'm': case 'M': shift = 20; end++; break;
	case 'g': case 'G': shift = 30; end++; break;
	default: break;
	}
	if (*end || (shift && v > (UINT64_MAX >> shift)))
		return -1;
	*out = (uint64_t)v << shift;
	return 0;
}

__attribute__((format(printf, 1, 2))) static int bad_usage(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "warmfork: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	usage(stderr);
	return 2;
}

struct options {
	struct wf_vm_config cfg;
	const char *allow[64];       /* HOST */
	const char *allow_guest[64]; /* GUEST, or NULL */
	bool allow_w[64];
	unsigned nallow;
	const char *stop_at;
	const char *sysroot;
	const char *cwd;
	bool no_seccomp;
};

/* HOST[:GUEST]: GUEST is what follows the last ":/" (a guest path is absolute). The
 * argument is split in place (argv's strings are ours to change). */
static void add_allow(struct options *o, char *arg, bool write)
{
	unsigned k = o->nallow++;
	char *colon = NULL;
	for (char *c = arg; (c = strstr(c, ":/")); c++)
		colon = c;
	o->allow_w[k] = write;
	o->allow[k] = arg;
	o->allow_guest[k] = NULL;
	if (colon && colon > arg) {
		*colon = 0;
		o->allow_guest[k] = colon + 1;
	}
}

/* From here on, only the host system calls a running VMM needs (vmm/sandbox.h). */
static int sandbox(const struct options *o)
{
	struct wf_err e = {0};
	if (o->no_seccomp || !wf_sandbox_enter(&e))
		return 0;
	fprintf(stderr, "warmfork: %s (--no-seccomp runs without it)\n", e.msg);
	return 125;
}

/* Parse the options shared by run and call; returns the index of PROGRAM, or -1 - status. */
static int parse_options(int argc, char **argv, struct options *o, bool call)
{
	struct wf_vm_config *cfg = &o->cfg;
	int i = 0;
	for (; i < argc && argv[i][0] == '-'; i++) {
		const char *opt = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(opt, "--")) {
			i++;
			break;
		} else if (!strcmp(opt, "--trace")) {
			cfg->trace = true;
		} else if (!strcmp(opt, "--no-seccomp")) {
			o->no_seccomp = true;
		} else if (!strcmp(opt, "-h") || !strcmp(opt, "--help")) {
			usage(stdout);
			return -1;
		} else if (!v) {
			return -1 - bad_usage("%s needs a value", opt);
		} else if (!strcmp(opt, "--mem")) {
			if (parse_size(v, &cfg->mem_size))
				return -1 - bad_usage("bad --mem size: %s", v);
			i++;
		} else if (!strcmp(opt, "--timeout")) {
			char *end;
			cfg->timeout_s = strtod(v, &end);
			if (*end || end == v || !(cfg->timeout_s > 0))
				return -1 - bad_usage("bad --timeout: %s", v);
			i++;
		} else if (!strcmp(opt, "--max-output")) {
			if (parse_size(v, &cfg->limits.max_output))
				return -1 - bad_usage("bad --max-output: %s", v);
			i++;
		} else if (!strcmp(opt, "--max-fds")) {
			uint64_t n;
			if (parse_size(v, &n) || n < 3 || n > 65536)
				return -1 - bad_usage("bad --max-fds (3..65536): %s", v);
			cfg->limits.max_fds = (unsigned)n;
			i++;
		} else if (!strcmp(opt, "--max-maps")) {
			uint64_t n;
			if (parse_size(v, &n) || n < 16 || n > 1000000)
				return -1 - bad_usage("bad --max-maps (16..1000000): %s", v);
			cfg->limits.max_vmas = (unsigned)n;
			i++;
		} else if (!strcmp(opt, "--max-threads")) {
			uint64_t n;
			if (parse_size(v, &n) || n < 1 || n > 65536)
				return -1 - bad_usage("bad --max-threads (1..65536): %s", v);
			cfg->limits.max_threads = (unsigned)n;
			i++;
		} else if (!strcmp(opt, "--max-procs")) {
			uint64_t n;
			if (parse_size(v, &n) || n < 1 || n > 65536)
				return -1 - bad_usage("bad --max-procs (1..65536): %s", v);
			cfg->limits.max_procs = (unsigned)n;
			i++;
		} else if (!strcmp(opt, "--sysroot")) {
			if (o->sysroot)
				return -1 - bad_usage("%s", "--sysroot given twice");
			o->sysroot = v;
			i++;
		} else if (!strcmp(opt, "--cwd")) {
			o->cwd = v;
			i++;
		} else if (call && !strcmp(opt, "--stop-at")) {
			o->stop_at = v;
			i++;
		} else if (!strcmp(opt, "--allow-read") || !strcmp(opt, "--allow-write")) {
			if (o->nallow == ARRAY_SIZE(o->allow))
				return -1 - bad_usage("too many allow-list entries (max 64): %s", v);
			add_allow(o, argv[i + 1], opt[8] == 'w');
			i++;
		} else {
			return -1 - bad_usage("unknown option %s", opt);
		}
	}
	if (i >= argc)
		return -1 - bad_usage("%s", "no program given");
	return i;
}

/* Create the VM, apply the allow-list, load PROGRAM; returns 0 or the CLI exit status. */
static int setup_vm(struct options *o, int argc, char **argv, struct wf_vm **out)
{
	struct wf_err e = {0};
	struct wf_vm *vm;
	if (wf_vm_create(&o->cfg, &vm, &e)) {
		fprintf(stderr, "warmfork: cannot create the VM: %s\n", e.msg);
		return 125;
	}
	if (o->sysroot && wf_vm_set_root(vm, o->sysroot, &e)) {
		fprintf(stderr, "warmfork: %s\n", e.msg);
		wf_vm_destroy(vm);
		return 2;
	}
	for (unsigned k = 0; k < o->nallow; k++) {
		if (wf_vm_allow_at(vm, o->allow[k], o->allow_guest[k], o->allow_w[k], &e)) {
			fprintf(stderr, "warmfork: %s\n", e.msg);
			wf_vm_destroy(vm);
			return 2;
		}
	}
	if (wf_vm_set_cwd(vm, o->cwd, &e)) {
		fprintf(stderr, "warmfork: %s\n", e.msg);
		wf_vm_destroy(vm);
		return 2;
	}
	if (wf_vm_load(vm, argv[0], argc, argv, environ, &e)) {
		fprintf(stderr, "warmfork: %s\n", e.msg);
		wf_vm_destroy(vm);
		return e.code == -ENOENT ? 127 : 126;
	}
	*out = vm;
	return 0;
}

/* The CLI exit status for a result, printing the report for anything but a clean end. */
static int result_status(struct wf_vm *vm, const struct wf_result *r)
{
	switch (r->reason) {
	case WF_STOP_EXIT:
		return r->status;
	case WF_STOP_SIGNAL:
	case WF_STOP_OOM:
		wf_vm_report(vm, r, stderr);
		return 128 + r->signal;
	case WF_STOP_TIMEOUT:
		wf_vm_report(vm, r, stderr);
		return 124;
	default:
		wf_vm_report(vm, r, stderr);
		return 125;
	}
}

static int cmd_run(int argc, char **argv)
{
	struct options o = {0};
	int i = parse_options(argc, argv, &o, false);
	if (i < 0)
		return -1 - i;
	struct wf_vm *vm;
	int status = setup_vm(&o, argc - i, argv + i, &vm);
	if (status)
		return status;
	if ((status = sandbox(&o))) {
		wf_vm_destroy(vm);
		return status;
	}
	struct wf_result r;
	/* A guest built with the SDK stops at its ready point; a plain run just goes on. */
	do
		wf_vm_run(vm, &r);
	while (r.reason == WF_STOP_READY);
	fflush(stdout);
	if (o.cfg.trace && wf_vm_tpidr_heals(vm))
		fprintf(stderr, "warmfork: TPIDR_EL0 was put back %llu times\n",
			(unsigned long long)wf_vm_tpidr_heals(vm));
	if (o.cfg.trace)
		fprintf(stderr, "warmfork: %llu KiB of guest memory served from host files\n",
			(unsigned long long)wf_vm_file_pages(vm) * 4);
	status = result_status(vm, &r);
	wf_vm_destroy(vm);
	return status;
}

/* warmfork call PROGRAM SYMBOL [ARGS...]: run to the ready point, fork, call, print x0. */
static int cmd_call(int argc, char **argv)
{
	struct options o = {0};
	int i = parse_options(argc, argv, &o, true);
	if (i < 0)
		return -1 - i;
	if (argc - i < 2)
		return bad_usage("%s", "call needs PROGRAM and SYMBOL");
	if (argc - i - 2 > 8)
		return bad_usage("%s", "at most 8 arguments");
	struct wf_vm *vm, *fork = NULL;
	int status = setup_vm(&o, 1, argv + i, &vm);
	if (status)
		return status;
	struct wf_err e = {0};
	struct wf_result r;
	uint64_t fn, args[8];
	unsigned nargs = 0;
	if (o.stop_at && wf_vm_stop_at(vm, o.stop_at, &e))
		goto vmm_error;
	wf_vm_run(vm, &r);
	if (r.reason != WF_STOP_READY) {
		fprintf(stderr, "warmfork: %s did not reach its ready point (warmfork_ready() from "
				"the guest SDK, or --stop-at SYMBOL)\n", argv[i]);
		status = r.reason == WF_STOP_EXIT ? 125 : result_status(vm, &r);
		goto out;
	}
	if (wf_vm_make_master(vm, &e) || wf_vm_symbol(vm, argv[i + 1], &fn, &e) ||
	    wf_vm_fork(vm, &fork, &e))
		goto vmm_error;
	if ((status = sandbox(&o)))
		goto out;
	for (int k = i + 2; k < argc; k++) {
		char *end;
		errno = 0;
		long long v = strtoll(argv[k], &end, 0);
		if (!*end && end != argv[k] && !errno) {
			args[nargs++] = (uint64_t)v;
		} else if (wf_vm_push(fork, argv[k], strlen(argv[k]) + 1, &args[nargs++], &e)) {
			goto vmm_error;
		}
	}
	wf_vm_call(fork, fn, args, nargs, o.cfg.timeout_s, &r);
	fflush(stdout);
	if (r.reason == WF_STOP_RETURN) {
		printf("%lld (%#llx)\n", (long long)r.value, (unsigned long long)r.value);
		status = 0;
	} else {
		status = result_status(fork, &r);
	}
	goto out;
vmm_error:
	fprintf(stderr, "warmfork: %s\n", e.msg);
	status = 125;
out:
	wf_vm_destroy(fork);
	wf_vm_destroy(vm);
	return status;
}
int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "run"))
		return cmd_run(argc - 2, argv + 2);
	if (!strcmp(argv[1], "call"))
		return cmd_call(argc - 2, argv + 2);
	if (!strcmp(argv[1], "bench"))
		return wf_bench_main(argc - 2, argv + 2);
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	fprintf(stderr, "warmfork: unknown command %s\n", argv[1]);
	usage(stderr);
	return 2;
}
