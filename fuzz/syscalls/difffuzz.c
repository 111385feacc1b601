// SPDX-License-Identifier: Apache-2.0
/* difffuzz.c: the differential syscall fuzzer: each input runs natively and in warmfork. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util.h"
#include "seq.h"
#include "vm.h"

/*
 * fuzz_syscalls (a libFuzzer binary, run in the ARM64 machine): an input is a short syscall
 * sequence (seq.h). It runs natively in a forked child (all fds but 0-2 closed, so fd numbers
 * start alike) and inside a warm fork of guests/syscall_seq (the same seq.c), each side in its
 * own empty scratch directory, and every result, errno and data digest must agree. A
 * divergence is printed call by call and abort()ed, so libFuzzer keeps it as crash-<sha1>.
 * Coverage is the VMM's syscall layer (vmm/linux, compiled into this binary with libFuzzer's
 * coverage flags), so inputs that reach new emulation code are kept.
 *
 * This file is a libFuzzer target, i.e. a process of its own: its state is global.
 */

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct wf_vm *master, *fork_vm;
static uint64_t seq_fn;
static bool dirty;
static char base[64], dir_native[80], dir_guest[80];
static struct seq_result *shared; /* the native child's results */

/* Known differences (fuzz/syscalls/expected-differences): "CALL NATIVE WARMFORK  reason". */
#define MAX_EXPECTED 64
static struct expected {
	char call[24];
	int64_t native, guest;
} expected[MAX_EXPECTED];
static unsigned nexpected;

static void die(const char *what, const char *why)
{
	fprintf(stderr, "==warmfork== fuzz_syscalls: %s%s%s\n", what, why ? ": " : "", why ? why : "");
	_Exit(1);
}

/* Empty a scratch directory (depth-first; the sequences make at most two levels). */
static void empty_dir(int dfd)
{
	DIR *d = fdopendir(dup(dfd));
	if (!d)
		die("cannot list a scratch directory", strerror(errno));
	for (struct dirent *de; (de = readdir(d)) != NULL;) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (unlinkat(dfd, de->d_name, 0) == 0)
			continue;
		int sub = openat(dfd, de->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (sub >= 0) {
			fchmod(sub, 0700); /* a sequence may have made it read-only */
			empty_dir(sub);
			close(sub);
		}
		if (unlinkat(dfd, de->d_name, AT_REMOVEDIR))
			die("cannot clean a scratch directory", strerror(errno));
	}
	closedir(d);
}

static void clean(const char *dir)
{
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0 && errno == ENOENT && mkdir(dir, 0700) == 0) /* a sequence removed it */
		dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		die("cannot open a scratch directory", strerror(errno));
	empty_dir(dfd);
	close(dfd);
}

static void remove_scratch(void)
{
	clean(base);
	rmdir(base);
}

/* A result as written in the file: a number, or -ENAME. */
static bool parse_result(const char *s, int64_t *v)
{
	if (s[0] == '-' && s[1] == 'E') {
		for (int e = 1; e < 4096; e++) {
			const char *n = strerrorname_np(e);
			if (n && !strcmp(n, s + 1)) {
				*v = -e;
				return true;
			}
		}
		return false;
	}
	char *end;
	*v = strtoll(s, &end, 0);
	return *s && !*end;
}

static void load_expected(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f)
		die(path, strerror(errno));
	char line[512];
	for (unsigned no = 1; fgets(line, sizeof(line), f); no++) {
		char call[24], a[32], b[32];
		if (line[0] == '#' || line[0] == '\n')
			continue;
		struct expected *x = &expected[nexpected];
		if (nexpected == MAX_EXPECTED || sscanf(line, "%23s %31s %31s", call, a, b) != 3 ||
		    !parse_result(a, &x->native) || !parse_result(b, &x->guest)) {
			fprintf(stderr, "%s:%u: expected CALL NATIVE WARMFORK REASON\n", path, no);
			die("bad expected-differences file", NULL);
		}
		snprintf(x->call, sizeof(x->call), "%s", call);
		nexpected++;
	}
	fclose(f);
}

enum diff { SAME, EXPECTED, DIFFERS };

/* Does op i differ, and if so, is it a listed expected difference? */
static enum diff compare(const uint8_t *data, const struct seq_result *n,
			 const struct seq_result *g, unsigned i)
{
	if (n->ret[i] == g->ret[i] && n->digest[i] == g->digest[i])
		return SAME;
	for (unsigned k = 0; k < nexpected; k++)
		if (expected[k].native == n->ret[i] && expected[k].guest == g->ret[i] &&
		    !strcmp(expected[k].call, seq_op_name(data + i * SEQ_REC)))
			return EXPECTED;
	return DIFFERS;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	const char *xd = getenv("WARMFORK_SYSCALL_EXPECTED");
	load_expected(xd && *xd ? xd : WF_SYSCALL_EXPECTED);
	const char *guest = getenv("WARMFORK_SYSCALL_GUEST");
	if (!guest || !*guest)
		guest = WF_SYSCALL_GUEST;
	/* Both scratch paths have the same length, so no result depends on which is which. */
	snprintf(base, sizeof(base), "/tmp/wf-syscalls-XXXXXX");
	if (!mkdtemp(base))
		die("mkdtemp", strerror(errno));
	snprintf(dir_native, sizeof(dir_native), "%s/n", base);
	snprintf(dir_guest, sizeof(dir_guest), "%s/g", base);
	if (mkdir(dir_native, 0700) || mkdir(dir_guest, 0700))
		die("mkdir", strerror(errno));
	atexit(remove_scratch);
	shared = mmap(NULL, sizeof(*shared), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
		      -1, 0);
	if (shared == MAP_FAILED)
		die("mmap", strerror(errno));

	struct wf_err e = {0};
	struct wf_vm_config cfg = {.mem_size = 64ull << 20, .timeout_s = 60};
	if (wf_vm_create(&cfg, &master, &e) || wf_vm_allow(master, dir_guest, true, &e))
		die("cannot create the VM", e.msg);
	char *gargv[] = {(char *)guest, dir_guest, NULL};
	char *genvp[] = {NULL};
	if (wf_vm_load(master, guest, 2, gargv, genvp, &e))
		die(guest, e.msg);
	struct wf_result r;
	wf_vm_run(master, &r);
	if (r.reason != WF_STOP_READY) {
		wf_vm_report(master, &r, stderr);
		die(guest, "did not reach its ready point");
	}
	if (wf_vm_symbol(master, "wf_seq", &seq_fn, &e) || wf_vm_make_master(master, &e) ||
	    wf_vm_fork(master, &fork_vm, &e))
		die("cannot make the warm fork", e.msg);
	fprintf(stderr, "INFO: fuzz_syscalls: %s against native Linux, scratch %s, %u expected "
			"differences\n", guest, base, nexpected);
	return 0;
}

/* The sequence natively, in a child with only fds 0-2 open; false if the child died. */
static bool run_native(const uint8_t *data, size_t n)
{
	memset(shared, 0, sizeof(*shared));
	pid_t pid = fork();
	if (pid < 0)
		die("fork", strerror(errno));
	if (pid == 0) {
		/* Not libFuzzer's handlers here: a hang or fault of this child is reported by
		 * the parent. SIGPIPE is ignored on both sides (EPIPE is compared instead). */
		static const int sigs[] = {SIGALRM, SIGSEGV, SIGBUS, SIGILL, SIGABRT, SIGFPE};
		for (unsigned i = 0; i < ARRAY_SIZE(sigs); i++)
			signal(sigs[i], SIG_DFL);
		signal(SIGPIPE, SIG_IGN);
		syscall(SYS_close_range, 3, ~0u, 0);
		alarm(10);
		seq_run(data, n, dir_native, shared);
		_exit(0);
	}
	int st;
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	return WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

static void run_guest(const uint8_t *data, size_t n, struct seq_result *out)
{
	struct wf_err e = {0};
	if (dirty && wf_vm_reset(fork_vm, &e))
		die("reset", e.msg);
	dirty = true;
	uint64_t args[3] = {0, n, 0};
	memset(out, 0, sizeof(*out));
	if (wf_vm_push(fork_vm, out, sizeof(*out), &args[2], &e) ||
	    wf_vm_push(fork_vm, data, n, &args[0], &e))
		die("cannot pass the input", e.msg);
	struct wf_result r;
	wf_vm_call(fork_vm, seq_fn, args, 3, 10, &r);
	if (r.reason != WF_STOP_RETURN) {
		fprintf(stderr, "==warmfork== syscall divergence: the guest did not return\n");
		wf_vm_report(fork_vm, &r, stderr);
		seq_print(stderr, data, n, shared, NULL);
		abort();
	}
	if (wf_mem_read(&wf_vm_proc(fork_vm)->mem, out, args[2], sizeof(*out)))
		die("cannot read the guest's results", NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t n = size < SEQ_MAX_OPS * SEQ_REC ? size : SEQ_MAX_OPS * SEQ_REC;
	n -= n % SEQ_REC;
	if (!n)
		return 0;
	clean(dir_native);
	clean(dir_guest);
	if (!run_native(data, n)) {
		/* The grammar must never hurt the native side: a harness bug, not a VMM one. */
		seq_print(stderr, data, n, NULL, NULL);
		die("the native side of this sequence died", NULL);
	}
	struct seq_result g;
	run_guest(data, n, &g);
	/* An expected difference where one side succeeded (a mapping or a rename one side has
	 * and the other not) leaves the two processes in different states: later results are
	 * not comparable, so the comparison ends there. */
	unsigned common = g.nops < shared->nops ? g.nops : shared->nops;
	enum diff d = SAME;
	bool diverged = false;
	for (unsigned i = 0; d != DIFFERS && !diverged && i < common; i++) {
		d = compare(data, shared, &g, i);
		diverged = d == EXPECTED && (shared->ret[i] >= 0 || g.ret[i] >= 0);
	}
	if (d != DIFFERS && (diverged || g.nops == shared->nops))
		return 0;
	fprintf(stderr, "==warmfork== syscall divergence between native Linux and warmfork:\n");
	seq_print(stderr, data, n, shared, &g);
	abort();
}
