// SPDX-License-Identifier: Apache-2.0
/* harness.c: boot a fuzzing guest to a warm master, run one input per reset + vmcall, describe its crashes. */
#include "util.h"
#include "harness.h"
#include "abi.h"
#include "elf/elf_load.h"
#include "fuzz_abi.h"
#include "sandbox.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_COUNTERS (64ull << 20)

void wf_harness_die(const struct wf_harness *h, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "==warmfork== %s: ", h->tool);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	_Exit(1);
}

/* Read a whole file (the guest image, kept for symbolising PCs). */
static uint8_t *slurp(const struct wf_harness *h, const char *path, size_t *size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		wf_harness_die(h, "cannot open the guest %s: %s", path, strerror(errno));
	struct stat st;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || st.st_size <= 0)
		wf_harness_die(h, "cannot read the guest %s: not a non-empty file", path);
	uint8_t *buf = malloc((size_t)st.st_size);
	if (!buf)
		wf_harness_die(h, "cannot read the guest %s: out of memory", path);
	size_t got = 0;
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + got, (size_t)st.st_size - got);
		if (n <= 0)
			wf_harness_die(h, "cannot read the guest %s: %s", path,
				       n ? strerror(errno) : "short read");
		got += (size_t)n;
	}
	close(fd);
	*size = got;
	return buf;
}

/* wf_vm_load wants a path: the embedded guest goes into a memfd. */
static const char *memfd_path(const struct wf_harness *h, const uint8_t *bytes, size_t n,
			      const char *name, char *path, size_t path_size)
{
	int fd = memfd_create(name, MFD_CLOEXEC);
	if (fd < 0)
		wf_harness_die(h, "memfd_create: %s", strerror(errno));
	for (size_t off = 0; off < n;) {
		ssize_t w = write(fd, bytes + off, n - off);
		if (w <= 0)
			wf_harness_die(h, "writing the embedded guest: %s", strerror(errno));
		off += (size_t)w;
	}
	snprintf(path, path_size, "/proc/self/fd/%d", fd);
	return path;
}

void wf_harness_read(struct wf_harness *h, uint64_t addr, void *dst, size_t len,
		     const char *what)
{
	struct wf_vm *vm = h->fork ? h->fork : h->master;
	if (wf_mem_read(&wf_vm_proc(vm)->mem, dst, addr, len))
		wf_harness_die(h, "cannot read the guest's %s: address outside guest memory", what);
}

/* Where the guest's counters and PC table are (nctr stays 0 without coverage). */
static void find_coverage(struct wf_harness *h)
{
	struct warmfork_cov cov = {0};
	struct wf_err e = {0};
	uint64_t at;
	if (wf_vm_symbol(h->master, "warmfork_cov", &at, &e) == 0)
		wf_harness_read(h, at, &cov, sizeof(cov), "warmfork_cov");
	if (cov.magic != WARMFORK_COV_MAGIC || cov.ctr_end <= cov.ctr_start) {
		fprintf(stderr,
			"==warmfork== no coverage in %s: fuzzing blind (build the guest "
			"with clang -fsanitize-coverage=inline-8bit-counters,pc-table)\n",
			h->name);
		return;
	}
	if (cov.ctr_end - cov.ctr_start > MAX_COUNTERS)
		wf_harness_die(h, "%s: too many coverage counters", h->name);
	h->ctr_guest = cov.ctr_start;
	h->nctr = (size_t)(cov.ctr_end - cov.ctr_start);
	/* The PC table: {pc, flags} per counter. */
	if (cov.pcs_end > cov.pcs_start &&
	    cov.pcs_end - cov.pcs_start == (uint64_t)h->nctr * 2 * sizeof(uint64_t))
		h->pcs_guest = cov.pcs_start;
}

/* Where the guest's comparison log is (cmp_guest stays 0 without one), and what it is to
 * log (h->cmp_flags, written into the master before it is frozen: every fork inherits it). */
static void find_cmp_log(struct wf_harness *h)
{
	struct wf_err e = {0};
	uint64_t at, magic = 0;
	const char *off = getenv("WARMFORK_CMP");
	if ((off && !strcmp(off, "0")) || !h->cmp_flags ||
	    wf_vm_symbol(h->master, "warmfork_cmp", &at, &e))
		return;
	wf_harness_read(h, at, &magic, sizeof(magic), "warmfork_cmp");
	if (magic != WARMFORK_CMP_MAGIC)
		return;
	uint32_t flags = h->cmp_flags;
	if (wf_mem_write(&wf_vm_proc(h->master)->mem, at + offsetof(struct warmfork_cmp_log, flags),
			 &flags, sizeof(flags)))
		wf_harness_die(h, "cannot write the guest's comparison log flags");
	h->cmp_buf = malloc(WARMFORK_CMP_BYTES);
	if (!h->cmp_buf)
		wf_harness_die(h, "out of memory for the comparison log");
	h->cmp_guest = at;
}

unsigned wf_harness_cmp_each(struct wf_harness *h, wf_cmp_fn fn, void *ctx)
{
	struct warmfork_cmp_log head;
	size_t off = offsetof(struct warmfork_cmp_log, data);
	if (!h->cmp_guest)
		return 0;
	wf_harness_read(h, h->cmp_guest, &head, off, "comparison log");
	uint32_t used = head.used < WARMFORK_CMP_BYTES ? head.used : WARMFORK_CMP_BYTES;
	wf_harness_read(h, h->cmp_guest + off, h->cmp_buf, used, "comparison log");
	/* The guest wrote these records: each is checked before use, the first bad one ends
	 * the walk. */
	unsigned n = 0;
	for (uint32_t at = 0; used - at >= sizeof(struct warmfork_cmp_rec);) {
		struct warmfork_cmp_rec r;
		memcpy(&r, h->cmp_buf + at, sizeof(r));
		size_t len = (sizeof(r) + r.n1 + r.n2 + 7) & ~(size_t)7;
		if (r.kind < WARMFORK_CMP_INT || r.kind > WARMFORK_CMP_MEMMEM ||
		    r.n1 > WARMFORK_CMP_WORD || r.n2 > WARMFORK_CMP_WORD || len > used - at)
			break;
		fn(ctx, &r, h->cmp_buf + at + sizeof(r));
		at += (uint32_t)len;
		n++;
	}
	return n;
}

/* The guest's fd 1 and 2 go to ours; the latest stderr is also kept (h->err). */
static void harness_print(void *ctx, int fd, const void *buf, size_t len)
{
	struct wf_harness *h = ctx;
	const char *p = buf;
	for (size_t done = 0; done < len;) {
		ssize_t n = write(fd == 2 ? 2 : 1, p + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		done += (size_t)n;
	}
	if (fd != 2)
		return;
	if (len >= WF_HARNESS_ERR) {
		memcpy(h->err, p + len - WF_HARNESS_ERR, WF_HARNESS_ERR);
		h->err_len = WF_HARNESS_ERR;
		return;
	}
	if (h->err_len + len > WF_HARNESS_ERR) {
		size_t drop = h->err_len + len - WF_HARNESS_ERR;
		memmove(h->err, h->err + drop, h->err_len - drop);
		h->err_len -= drop;
	}
	memcpy(h->err + h->err_len, p, len);
	h->err_len += len;
}

void wf_harness_boot(struct wf_harness *h, const char *path, const char *argv0,
		     const uint8_t *embedded, size_t embedded_size, const char *embedded_name)
{
	static char name[160], mpath[64];
	if (path) {
		h->name = path;
		h->elf = slurp(h, path, &h->elf_size);
	} else {
		snprintf(name, sizeof(name), "the embedded %s guest", embedded_name);
		h->name = name;
		h->elf = (uint8_t *)(uintptr_t)embedded;
		h->elf_size = embedded_size;
		path = memfd_path(h, embedded, embedded_size, embedded_name, mpath, sizeof(mpath));
		if (!argv0)
			argv0 = embedded_name;
	}
	if (!argv0)
		argv0 = path;

	struct wf_err e = {0};
	uint64_t asan;
	struct wf_err ee = {0};
	h->mem = wf_elf_symbol(h->elf, h->elf_size, "__asan_init", &asan, &ee) == 0 ?
			 WF_HARNESS_MEM_ASAN : WF_HARNESS_MEM;
	h->err = malloc(WF_HARNESS_ERR);
	if (!h->err)
		wf_harness_die(h, "out of memory");
	struct wf_vm_config cfg = {.mem_size = h->mem, .timeout_s = WF_HARNESS_INIT_S,
				   .print = harness_print, .print_ctx = h};
	if (wf_vm_create(&cfg, &h->master, &e))
		wf_harness_die(h, "cannot create the VM: %s", e.msg);
	char *gargv[] = {(char *)(uintptr_t)argv0, NULL};
	char *genvp[] = {NULL};
	if (wf_vm_load(h->master, path, 1, gargv, genvp, &e))
		wf_harness_die(h, "cannot load %s: %s", h->name, e.msg);
	struct wf_result r;
	wf_vm_run(h->master, &r);
	if (r.reason != WF_STOP_READY) {
		wf_vm_report(h->master, &r, stderr);
		wf_harness_die(h, "%s did not reach its ready point (is it linked with "
				  "libwarmfork_fuzz?)", h->name);
	}
	if (wf_vm_symbol(h->master, "warmfork_fuzz_one", &h->fuzz_one, &e))
		wf_harness_die(h, "%s has no warmfork_fuzz_one (link it with libwarmfork_fuzz)",
			       h->name);
	find_cmp_log(h);
	if (wf_vm_make_master(h->master, &e))
		wf_harness_die(h, "cannot make the warm master: %s", e.msg);
	find_coverage(h);
}

void wf_harness_fork(struct wf_harness *h)
{
	struct wf_err e = {0};
	if (wf_vm_fork(h->master, &h->fork, &e))
		wf_harness_die(h, "cannot fork the warm master: %s", e.msg);
	h->dirty = false;
}

void wf_harness_run(struct wf_harness *h, const uint8_t *data, size_t size,
		    struct wf_result *r)
{
	struct wf_err e = {0};
	if (!h->sandboxed) {
		h->sandboxed = true;
		if (!wf_sandbox_disabled_by_env() && wf_sandbox_enter(&e))
			wf_harness_die(h, "%s (WARMFORK_SECCOMP=0 runs without it)", e.msg);
	}
	if (h->dirty) {
		if (wf_vm_reset(h->fork, &e))
			wf_harness_die(h, "VMM error: reset: %s", e.msg);
		h->resets++;
		h->reset_pages += wf_vm_reset_pages(h->fork);
	}
	h->dirty = true;
	h->err_len = 0;
	uint64_t args[2] = {0, size};
	if (wf_vm_push(h->fork, data, size, &args[0], &e))
		wf_harness_die(h, "cannot pass a %zu-byte input: %s", size, e.msg);
	wf_vm_call(h->fork, h->fuzz_one, args, 2, h->call_timeout, r);
}

struct wf_symbolizer *wf_harness_symbolizer(struct wf_harness *h)
{
	if (h->sym_tried || !h->elf)
		return h->sym;
	struct wf_err e = {0};
	uint64_t linked, at;
	h->sym_tried = true;
	if (wf_symbolizer_open(h->elf, h->elf_size, 0, &h->sym, &e)) {
		h->sym = NULL;
		return NULL;
	}
	if (wf_symbol_address(h->sym, "warmfork_fuzz_one", &linked) == 0 &&
	    wf_vm_symbol(h->master, "warmfork_fuzz_one", &at, &e) == 0 && at != linked) {
		h->load_bias = at - linked; /* a static-PIE guest */
		wf_symbolizer_close(h->sym);
		if (wf_symbolizer_open(h->elf, h->elf_size, h->load_bias, &h->sym, &e))
			h->sym = NULL;
	}
	return h->sym;
}

/* A function of a sanitizer's runtime (compiler-rt's, linked into a sanitized guest). */
static bool sanitizer_runtime(const char *f)
{
	static const char *const prefixes[] = {
		"_ZN11__sanitizer", "_ZN7__ubsan", "_ZN6__asan", "_ZN6__lsan", "_ZN14__interception",
		"__sanitizer_", "__ubsan_", "__asan_", "__interceptor_", "__lsan_",
	};
	for (size_t i = 0; i < ARRAY_SIZE(prefixes); i++)
		if (!strncmp(f, prefixes[i], strlen(prefixes[i])))
			return true;
	return false;
}

/*
 * The first stack of the last sanitizer report in the guest's stderr: the "    #N 0xPC ..."
 * lines after its "ERROR: ...Sanitizer" or "runtime error:" line. Returns how many PCs.
 */
static const char *last_of(const char *buf, size_t len, const char *needle, const char *found)
{
	size_t n = strlen(needle);
	for (const char *c = buf; (c = memmem(c, len - (size_t)(c - buf), needle, n)); c++)
		if (!found || c > found)
			found = c;
	return found;
}

static unsigned sanitizer_stack(const struct wf_harness *h, uint64_t *pcs, unsigned max)
{
	const char *buf = h->err, *end = h->err + h->err_len, *start = NULL;
	static const char *const marks[] = {"ERROR: AddressSanitizer", "runtime error: ",
					    "ERROR: UndefinedBehaviorSanitizer"};
	for (size_t k = 0; k < ARRAY_SIZE(marks); k++)
		start = last_of(buf, h->err_len, marks[k], start);
	unsigned n = 0;
	bool in_stack = false;
	for (const char *line = start; line && line < end && n < max;) {
		const char *nl = memchr(line, '\n', (size_t)(end - line));
		const char *eol = nl ? nl : end;
		const char *c = line;
		while (c < eol && *c == ' ')
			c++;
		unsigned idx;
		unsigned long long pc;
		char tmp[64];
		size_t l = (size_t)(eol - c) < sizeof(tmp) - 1 ? (size_t)(eol - c) : sizeof(tmp) - 1;
		memcpy(tmp, c, l);
		tmp[l] = 0;
		/* Past the user range is the VMM's vmcall trampoline: the outermost frame. */
		if (sscanf(tmp, "#%u 0x%llx", &idx, &pc) == 2 && idx == n && pc < WF_USER_TOP) {
			pcs[n++] = pc;
			in_stack = true;
		} else if (in_stack) {
			break; /* the first stack ends */
		}
		line = nl ? nl + 1 : end;
	}
	return n;
}

void wf_harness_report(struct wf_harness *h, const struct wf_result *r)
{
	wf_vm_report(h->fork, r, stderr);
	struct wf_symbolizer *s = wf_harness_symbolizer(h);
	uint64_t pcs[WF_BT_MAX];
	unsigned n = s ? sanitizer_stack(h, pcs, WF_BT_MAX) : 0;
	if (n) {
		/* A sanitizer's stack holds return addresses: describe their calls. */
		char line[512];
		char funcs[3][128];
		fprintf(stderr, "==warmfork== the sanitizer's stack above, symbolised:\n");
		for (unsigned i = 0; i < n; i++) {
			struct wf_frame_info fi;
			if (wf_symbolize(s, pcs[i] >= 4 ? pcs[i] - 4 : pcs[i], &fi))
				memset(&fi, 0, sizeof(fi));
			wf_format_frame(line, sizeof(line), i, pcs[i], &fi);
			fprintf(stderr, "    %s\n", line);
			if (i < 3 && fi.have_func)
				snprintf(funcs[i], sizeof(funcs[i]), "%s", fi.func);
			else if (i < 3)
				snprintf(funcs[i], sizeof(funcs[i]), "0x%llx",
					 (unsigned long long)pcs[i]);
		}
		fprintf(stderr, "DEDUP_TOKEN: ");
		for (unsigned i = 0; i < n && i < 3; i++)
			fprintf(stderr, "%s%s", i ? "--" : "", funcs[i]);
		fprintf(stderr, "\n");
		return;
	}
	/* The sanitizers' crash signature: libFuzzer's -minimize_crash compares it between
	 * runs so as to keep minimising the same bug. A sanitizer's report ends in its runtime
	 * (then in libc's abort): its signature starts at the frame that called the runtime, as
	 * the sanitizer's own stack trace does. */
	if (!s || !r->nbt)
		return;
	struct wf_frame_info fi[WF_BT_MAX];
	unsigned first = 0;
	for (unsigned i = 0; i < r->nbt; i++) {
		/* Return addresses point after the call: describe the call itself. */
		uint64_t pc = i && r->bt[i] >= 4 ? r->bt[i] - 4 : r->bt[i];
		if (wf_symbolize(s, pc, &fi[i]) || !fi[i].have_func)
			snprintf(fi[i].func, sizeof(fi[i].func), "0x%llx",
				 (unsigned long long)r->bt[i]);
		else if (sanitizer_runtime(fi[i].func))
			first = i + 1;
	}
	if (first >= r->nbt)
		first = 0;
	fprintf(stderr, "DEDUP_TOKEN: ");
	for (unsigned i = first; i < r->nbt && i < first + 3; i++)
		fprintf(stderr, "%s%s", i > first ? "--" : "", fi[i].func);
	fprintf(stderr, "\n");
}
