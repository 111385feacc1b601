/* warmfork.c: the warmfork command line: `warmfork run PROGRAM [ARGS...]` and friends. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"
#include "vm.h"

extern char **environ;

static void usage(FILE *out)
{
	fprintf(out,
		"usage: warmfork run [OPTIONS] [--] PROGRAM [ARGS...]\n"
		"       warmfork bench [--json] [--iterations N]\n"
		"  Run a static aarch64 Linux program at EL0 under KVM, with its syscalls emulated.\n"
		"  --mem SIZE         guest memory (bytes, or with K/M/G suffix; default 512M)\n"
		"  --timeout SECONDS  wall-clock limit; the guest is stopped and reported as timeout\n"
		"  --allow-read DIR   let the guest read files beneath DIR (repeatable)\n"
		"  --allow-write DIR  let the guest read and write files beneath DIR (repeatable)\n"
		"  --max-output SIZE  bytes the guest may write to stdout+stderr (default unlimited)\n"
		"  --max-fds N        size of the guest's fd table (default 1024)\n"
		"  --max-maps N       number of memory mappings the guest may hold (default 65530)\n"
		"  --trace            print every syscall, strace-style, on stderr\n"
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

static int bad_usage(const char *fmt, const char *arg)
{
	fprintf(stderr, "warmfork: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\n");
	usage(stderr);
	return 2;
}

static int cmd_run(int argc, char **argv)
{
	struct wf_vm_config cfg = {0};
	const char *allow[64];
	bool allow_w[64];
	unsigned nallow = 0;
	int i = 0;
	for (; i < argc && argv[i][0] == '-'; i++) {
		const char *o = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(o, "--")) {
			i++;
			break;
		} else if (!strcmp(o, "--trace")) {
			cfg.trace = true;
		} else if (!strcmp(o, "-h") || !strcmp(o, "--help")) {
			usage(stdout);
			return 0;
		} else if (!v) {
			return bad_usage("%s needs a value", o);
		} else if (!strcmp(o, "--mem")) {
			if (parse_size(v, &cfg.mem_size))
				return bad_usage("bad --mem size: %s", v);
			i++;
		} else if (!strcmp(o, "--timeout")) {
			char *end;
			cfg.timeout_s = strtod(v, &end);
			if (*end || end == v || !(cfg.timeout_s > 0))
				return bad_usage("bad --timeout: %s", v);
			i++;
		} else if (!strcmp(o, "--max-output")) {
			if (parse_size(v, &cfg.limits.max_output))
				return bad_usage("bad --max-output: %s", v);
			i++;
		} else if (!strcmp(o, "--max-fds")) {
			uint64_t n;
			if (parse_size(v, &n) || n < 3 || n > 65536)
				return bad_usage("bad --max-fds (3..65536): %s", v);
			cfg.limits.max_fds = (unsigned)n;
			i++;
		} else if (!strcmp(o, "--max-maps")) {
			uint64_t n;
			if (parse_size(v, &n) || n < 16 || n > 1000000)
				return bad_usage("bad --max-maps (16..1000000): %s", v);
			cfg.limits.max_vmas = (unsigned)n;
			i++;
		} else if (!strcmp(o, "--allow-read") || !strcmp(o, "--allow-write")) {
			if (nallow == sizeof(allow) / sizeof(allow[0]))
				return bad_usage("too many allow-list entries (max 64): %s", v);
			allow_w[nallow] = o[8] == 'w';
			allow[nallow++] = v;
			i++;
		} else {
			return bad_usage("unknown option %s", o);
		}
	}
	if (i >= argc)
		return bad_usage("%s", "no program given");

	struct wf_err e = {0};
	struct wf_vm *vm;
	if (wf_vm_create(&cfg, &vm, &e)) {
		fprintf(stderr, "warmfork: cannot create the VM: %s\n", e.msg);
		return 125;
	}
	for (unsigned k = 0; k < nallow; k++) {
		if (wf_vm_allow(vm, allow[k], allow_w[k], &e)) {
			fprintf(stderr, "warmfork: %s\n", e.msg);
			wf_vm_destroy(vm);
			return 2;
		}
	}
	if (wf_vm_load(vm, argv[i], argc - i, argv + i, environ, &e)) {
		fprintf(stderr, "warmfork: %s\n", e.msg);
		wf_vm_destroy(vm);
		return e.code == -ENOENT ? 127 : 126;
	}
	struct wf_result r;
	/* A guest built with the SDK stops at its ready point; a plain run just goes on. */
	do
		wf_vm_run(vm, &r);
	while (r.reason == WF_STOP_READY);
	fflush(stdout);
	int status;
	switch (r.reason) {
	case WF_STOP_EXIT:
		status = r.status;
		break;
	case WF_STOP_SIGNAL:
		wf_vm_report(vm, &r, stderr);
		status = 128 + r.signal;
		break;
	case WF_STOP_TIMEOUT:
		wf_vm_report(vm, &r, stderr);
		status = 124;
		break;
	default:
		wf_vm_report(vm, &r, stderr);
		status = 125;
		break;
	}
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
