// SPDX-License-Identifier: Apache-2.0
/* cover.c: warmfork_cover, runs a corpus through a fuzz guest and writes its line coverage as an lcov tracefile. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cover_cfg.h"
#include "harness.h"

/*
 * usage: warmfork_cover [-guest=PATH] -o LCOV_FILE INPUT...
 *
 * Every INPUT (a file, or a directory whose regular files are taken in name order) is one
 * reset plus one vmcall of the guest's LLVMFuzzerTestOneInput, as under fuzz_guest. After
 * each input the guest's 8-bit counters say which coverage points ran. Each instrumented
 * function's control-flow graph (cover_cfg.c) extends that to the blocks SanitizerCoverage
 * leaves uncounted, and the guest's DWARF line table (libdw, through the symbolizer) maps
 * blocks to source lines. A line's count is the number of inputs that ran any of its code; a
 * function's, the number that entered it. Code outside instrumented functions (libc, the SDK)
 * is left out. The result is an lcov tracefile (TN/SF/FN/FNDA/FNF/FNH/DA/LF/LH) for genhtml,
 * and a summary per file and in total on stdout.
 *
 * This program is a process of its own: its state is global.
 */

extern const uint8_t wf_embedded_guest_start[], wf_embedded_guest_end[];
extern const char wf_embedded_guest_name[];

static struct wf_harness h = {.tool = "warmfork_cover", .call_timeout = 60};

/* One source line, with the inputs that ran it. */
struct line {
	const char *file; /* interned */
	int line;
	uint64_t count;
	unsigned stamp; /* the last input that counted it */
};

/* One instrumented function. */
struct fn {
	uint64_t start, end;
	char name[128];
	const char *file; /* of its entry (NULL: not described) */
	int line;
	struct wf_cfg *g;
	size_t *pt, npt;      /* its points: counter indices, in wf_cfg_build's order */
	size_t entry;         /* the entry point's counter, or SIZE_MAX */
	size_t *first, *ids;  /* block b's lines: ids[first[b] .. first[b + 1]) */
	bool *hit, *ran;      /* per input */
	uint64_t count;
};

static struct fn *fns;
static size_t nfns;
static struct line *lines;
static size_t nlines;
static char **files;
static size_t nfiles;
static unsigned input_no;

static void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);
	if (!p)
		wf_harness_die(&h, "out of memory");
	return p;
}

static const char *intern(const char *f)
{
	for (size_t i = 0; i < nfiles; i++)
		if (!strcmp(files[i], f))
			return files[i];
	char **n = realloc(files, (nfiles + 1) * sizeof(*n));
	char *copy = strdup(f);
	if (!n || !copy)
		wf_harness_die(&h, "out of memory");
	files = n;
	return files[nfiles++] = copy;
}

static int cmp_u64_idx(const void *a, const void *b, void *ctx)
{
	const uint64_t *key = ctx;
	uint64_t x = key[*(const size_t *)a], y = key[*(const size_t *)b];
	return (x > y) - (x < y);
}

/* The instrumented functions: the PC table's points grouped by the function holding them
 * (its symbol), each with its control-flow graph. */
static void load_functions(struct wf_symbolizer *s)
{
	size_t n = h.nctr;
	uint64_t *pcs = xcalloc(2 * n, sizeof(uint64_t)), *fstart = xcalloc(n, sizeof(uint64_t));
	uint64_t *fend = xcalloc(n, sizeof(uint64_t));
	size_t *order = xcalloc(n, sizeof(size_t));
	wf_harness_read(&h, h.pcs_guest, pcs, 2 * n * sizeof(uint64_t), "PC table");
	for (size_t i = 0; i < n; i++) {
		struct wf_frame_info fi;
		order[i] = i;
		if (!wf_symbolize(s, pcs[2 * i], &fi) && fi.have_func) {
			fstart[i] = pcs[2 * i] - fi.func_off;
			fend[i] = fstart[i] + fi.func_size;
		}
	}
	qsort_r(order, n, sizeof(*order), cmp_u64_idx, fstart);
	fns = xcalloc(n, sizeof(*fns));
	for (size_t i = 0; i < n;) {
		size_t j = i;
		while (j < n && fstart[order[j]] == fstart[order[i]])
			j++;
		uint64_t start = fstart[order[i]], end = fend[order[i]];
		if (!start || end <= start || end - start > (64u << 20)) {
			i = j; /* a point outside any known function: not reported */
			continue;
		}
		struct fn *f = &fns[nfns++];
		f->start = start, f->end = end, f->npt = j - i, f->entry = SIZE_MAX;
		f->pt = xcalloc(f->npt, sizeof(size_t));
		uint64_t *at = xcalloc(f->npt, sizeof(uint64_t));
		for (size_t k = 0; k < f->npt; k++) {
			f->pt[k] = order[i + k];
			at[k] = pcs[2 * f->pt[k]];
			if ((pcs[2 * f->pt[k] + 1] & 1) && at[k] == start)
				f->entry = f->pt[k];
		}
		uint8_t *code = xcalloc(end - start, 1);
		wf_harness_read(&h, start, code, end - start, "code");
		int rc = wf_cfg_build(code, start, end - start, at, f->npt, &f->g);
		if (rc)
			wf_harness_die(&h, "cannot decode the function at %#llx: %s",
				       (unsigned long long)start, strerror(-rc));
		struct wf_frame_info fi;
		if (!wf_symbolize(s, start, &fi) && fi.have_line) {
			f->file = intern(fi.file);
			f->line = fi.line;
			snprintf(f->name, sizeof(f->name), "%s", fi.func);
		}
		f->hit = xcalloc(f->npt, sizeof(bool));
		f->ran = xcalloc(wf_cfg_nblocks(f->g), sizeof(bool));
		free(code), free(at);
		i = j;
	}
	free(pcs), free(fstart), free(fend), free(order);
}

/* Line-table rows inside instrumented functions: (function, block, file, line). */
struct row {
	size_t fn, block, id;
	const char *file;
	int line;
};
static struct row *rows;
static size_t nrows, cap_rows;

static int add_row(void *ctx, uint64_t pc, const char *file, int line)
{
	(void)ctx;
	size_t lo = 0, hi = nfns;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (fns[mid].start <= pc)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo || pc >= fns[lo - 1].end)
		return 0;
	size_t b = wf_cfg_find(fns[lo - 1].g, pc);
	if (b == SIZE_MAX)
		return 0;
	if (nrows == cap_rows) {
		cap_rows = cap_rows ? 2 * cap_rows : 1024;
		struct row *r = realloc(rows, cap_rows * sizeof(*r));
		if (!r)
			wf_harness_die(&h, "out of memory");
		rows = r;
	}
	rows[nrows++] = (struct row){.fn = lo - 1, .block = b, .file = intern(file), .line = line};
	return 0;
}

static int cmp_row_line(const void *a, const void *b)
{
	const struct row *x = a, *y = b;
	int c = strcmp(x->file, y->file);
	return c ? c : (x->line > y->line) - (x->line < y->line);
}

static int cmp_row_block(const void *a, const void *b)
{
	const struct row *x = a, *y = b;
	if (x->fn != y->fn)
		return x->fn < y->fn ? -1 : 1;
	if (x->block != y->block)
		return x->block < y->block ? -1 : 1;
	return (x->id > y->id) - (x->id < y->id);
}

/* Number the lines (by file, then line) and give every block the list of its lines. */
static void index_lines(void)
{
	qsort(rows, nrows, sizeof(*rows), cmp_row_line);
	lines = xcalloc(nrows, sizeof(*lines));
	for (size_t i = 0; i < nrows; i++) {
		if (!nlines || lines[nlines - 1].file != rows[i].file ||
		    lines[nlines - 1].line != rows[i].line)
			lines[nlines++] = (struct line){.file = rows[i].file, .line = rows[i].line};
		rows[i].id = nlines - 1;
	}
	qsort(rows, nrows, sizeof(*rows), cmp_row_block);
	size_t r = 0;
	for (size_t k = 0; k < nfns; k++) {
		struct fn *f = &fns[k];
		size_t nb = wf_cfg_nblocks(f->g), n = 0, mine = 0;
		while (r + mine < nrows && rows[r + mine].fn == k)
			mine++;
		f->first = xcalloc(nb + 1, sizeof(size_t));
		f->ids = xcalloc(mine, sizeof(size_t));
		for (size_t b = 0; b < nb; b++) {
			f->first[b] = n;
			for (; r < nrows && rows[r].fn == k && rows[r].block == b; r++)
				if (n == f->first[b] || f->ids[n - 1] != rows[r].id)
					f->ids[n++] = rows[r].id;
		}
		f->first[nb] = n;
	}
}

/* One input's counters: count the functions entered and the lines run. */
static void account(const uint8_t *ctr)
{
	input_no++;
	for (size_t k = 0; k < nfns; k++) {
		struct fn *f = &fns[k];
		bool any = false;
		for (size_t i = 0; i < f->npt; i++)
			any |= f->hit[i] = ctr[f->pt[i]] != 0;
		if (!any)
			continue;
		f->count += f->entry != SIZE_MAX && ctr[f->entry];
		wf_cfg_ran(f->g, f->hit, f->ran);
		for (size_t b = 0; b < wf_cfg_nblocks(f->g); b++) {
			if (!f->ran[b])
				continue;
			for (size_t i = f->first[b]; i < f->first[b + 1]; i++) {
				struct line *l = &lines[f->ids[i]];
				if (l->stamp != input_no) {
					l->stamp = input_no;
					l->count++;
				}
			}
		}
	}
}

/* Read one input file into *buf (grown as needed); -1 if it cannot be read. */
static ssize_t read_input(const char *path, uint8_t **buf, size_t *cap)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	size_t n = 0;
	for (;;) {
		if (n == *cap) {
			size_t ncap = *cap ? *cap * 2 : 4096;
			uint8_t *nb = realloc(*buf, ncap);
			if (!nb)
				wf_harness_die(&h, "out of memory reading %s", path);
			*buf = nb;
			*cap = ncap;
		}
		ssize_t r = read(fd, *buf + n, *cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			close(fd);
			return -1;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	return (ssize_t)n;
}

struct tally {
	unsigned inputs, crashed, exited;
	uint8_t *ctr, *buf;
	size_t cap;
};

static void run_one(struct tally *t, const char *path)
{
	ssize_t n = read_input(path, &t->buf, &t->cap);
	if (n < 0) {
		fprintf(stderr, "warmfork_cover: skipping %s: %s\n", path, strerror(errno));
		return;
	}
	struct wf_result r;
	wf_harness_run(&h, t->buf, (size_t)n, &r);
	switch (r.reason) {
	case WF_STOP_RETURN:
		break;
	case WF_STOP_EXIT:
		t->exited++;
		break;
	case WF_STOP_SIGNAL:
	case WF_STOP_TIMEOUT:
	case WF_STOP_OOM:
		t->crashed++;
		fprintf(stderr, "warmfork_cover: %s crashes the guest (its coverage up to the "
				"crash is counted)\n", path);
		break;
	default:
		wf_vm_report(h.fork, &r, stderr);
		wf_harness_die(&h, "VMM error on %s", path);
	}
	t->inputs++;
	wf_harness_read(&h, h.ctr_guest, t->ctr, h.nctr, "coverage counters");
	account(t->ctr);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A directory's regular files in name order (libFuzzer takes corpus directories flat). */
static void run_dir(struct tally *t, const char *dir, DIR *d)
{
	char **names = NULL;
	size_t n = 0;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		char **nn = realloc(names, (n + 1) * sizeof(*nn));
		if (!nn || asprintf(&nn[n], "%s/%s", dir, de->d_name) < 0)
			wf_harness_die(&h, "out of memory listing %s", dir);
		names = nn;
		n++;
	}
	closedir(d);
	qsort(names, n, sizeof(*names), cmp_str);
	for (size_t i = 0; i < n; i++) {
		struct stat st;
		if (!stat(names[i], &st) && S_ISREG(st.st_mode))
			run_one(t, names[i]);
		free(names[i]);
	}
	free(names);
}

static void pct(char *out, size_t n, unsigned hit, unsigned all)
{
	if (all)
		snprintf(out, n, "%u/%u (%.1f%%)", hit, all, 100.0 * hit / all);
	else
		snprintf(out, n, "0/0");
}

/* The lcov tracefile, one record per source file (lines[] is sorted by file), and the
 * summary on stdout. */
static void write_lcov(FILE *out)
{
	unsigned tl = 0, tlh = 0, tf = 0, tfh = 0;
	char a[64], b[64];
	fprintf(out, "TN:\n");
	for (size_t i = 0; i < nlines;) {
		const char *file = lines[i].file;
		unsigned lf = 0, lh = 0, ff = 0, fh = 0;
		fprintf(out, "SF:%s\n", file);
		for (size_t k = 0; k < nfns; k++) {
			const struct fn *f = &fns[k];
			if (f->file != file || f->entry == SIZE_MAX)
				continue;
			fprintf(out, "FN:%d,%s\nFNDA:%llu,%s\n", f->line, f->name,
				(unsigned long long)f->count, f->name);
			ff++;
			fh += f->count != 0;
		}
		fprintf(out, "FNF:%u\nFNH:%u\n", ff, fh);
		for (; i < nlines && lines[i].file == file; i++) {
			fprintf(out, "DA:%d,%llu\n", lines[i].line,
				(unsigned long long)lines[i].count);
			lf++;
			lh += lines[i].count != 0;
		}
		fprintf(out, "LF:%u\nLH:%u\nend_of_record\n", lf, lh);
		pct(a, sizeof(a), lh, lf);
		pct(b, sizeof(b), fh, ff);
		printf("coverage: %s: lines %s, functions %s\n", file, a, b);
		tl += lf, tlh += lh, tf += ff, tfh += fh;
	}
	pct(a, sizeof(a), tlh, tl);
	pct(b, sizeof(b), tfh, tf);
	printf("coverage: total: lines %s, functions %s\n", a, b);
}

static void usage_die(const char *why)
{
	fprintf(stderr, "warmfork_cover: %s\nusage: warmfork_cover [-guest=PATH] -o LCOV_FILE "
			"INPUT...\n  INPUT: a file, or a directory of inputs (a corpus)\n", why);
	exit(2);
}

int main(int argc, char **argv)
{
	const char *guest = NULL, *out_path = NULL;
	int first = 1;
	for (; first < argc && argv[first][0] == '-'; first++) {
		if (!strncmp(argv[first], "-guest=", 7))
			guest = argv[first] + 7;
		else if (!strcmp(argv[first], "-o") && first + 1 < argc)
			out_path = argv[++first];
		else
			usage_die("unknown or incomplete option");
	}
	if (!out_path)
		usage_die("no -o LCOV_FILE");
	if (first >= argc)
		usage_die("no inputs");
	FILE *out = fopen(out_path, "w");
	if (!out) {
		fprintf(stderr, "warmfork_cover: cannot write %s: %s\n", out_path, strerror(errno));
		return 1;
	}
	wf_harness_boot(&h, guest, NULL, wf_embedded_guest_start,
			(size_t)(wf_embedded_guest_end - wf_embedded_guest_start),
			wf_embedded_guest_name);
	if (!h.nctr || !h.pcs_guest)
		wf_harness_die(&h, "%s has no coverage counters and PC table (build it with "
				   "warmfork-cc)", h.name);
	struct wf_symbolizer *s = wf_harness_symbolizer(&h);
	if (!s)
		wf_harness_die(&h, "cannot read the symbols of %s", h.name);
	load_functions(s);
	int rc = wf_symbolize_each_line(s, add_row, NULL);
	if (rc)
		wf_harness_die(&h, "%s: no DWARF line table (build it with -g): %s", h.name,
			       strerror(-rc));
	index_lines();

	wf_harness_fork(&h);
	struct tally t = {.ctr = xcalloc(h.nctr, 1)};
	for (int i = first; i < argc; i++) {
		struct stat st;
		DIR *d;
		if (stat(argv[i], &st))
			wf_harness_die(&h, "cannot read %s: %s", argv[i], strerror(errno));
		if (S_ISDIR(st.st_mode) && (d = opendir(argv[i])))
			run_dir(&t, argv[i], d);
		else
			run_one(&t, argv[i]);
	}
	printf("coverage: %u inputs (%u crashed, %u exited), %zu points in %zu functions\n",
	       t.inputs, t.crashed, t.exited, h.nctr, nfns);
	write_lcov(out);
	if (fclose(out)) {
		fprintf(stderr, "warmfork_cover: cannot write %s: %s\n", out_path, strerror(errno));
		return 1;
	}
	return 0;
}
