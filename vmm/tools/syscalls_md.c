// SPDX-License-Identifier: Apache-2.0
/* syscalls_md.c: print docs/syscalls.md: every arm64 syscall, its emulation status and its cases. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "linux/syscall.h"
#include "sysnames.h"

/*
 * usage: syscalls_md [-o OUT] [--expected FILE] [--results FILE] [--python MODULES EXPECTED]
 *                    [CASE_SOURCE.c...]
 *
 * Joins three things into the table:
 * - the VMM's own syscall tables (emulated or not);
 * - the conformance cases: every line of conformance/cases/NAME.c that starts with
 *   `CONF_CASE(case, "syscall syscall ...")` declares case NAME.case and what it exercises;
 * - conformance/expected-differences ("ID SYSCALLS REASON"): an emulated syscall blamed by an
 *   entry is "partial";
 * - the last results file of conformance/run ("ID STATUS"), if it exists: cases that did not
 *   pass there are marked. When every case passed, the output does not depend on it.
 * Unknown syscall names, and entries naming no case, are errors (exit 1): the table must not
 * drift from the sources.
 */

enum { MAX_CASES = 1024, MAX_ENTRIES = 256, MAX_NAME = 96, NSYS = ARRAY_SIZE(wf_sysnames) };

struct conf_case {
	char id[MAX_NAME];
	unsigned char uses[NSYS]; /* by syscall number: 2 the case's subject, 1 also used */
	const char *result;       /* status in the results file, or NULL */
	int entry;                /* index of its expected-differences entry, or -1 */
};

struct entry {
	char id[MAX_NAME];
	char *reason;
	unsigned char blames[NSYS];
};

static struct conf_case cases[MAX_CASES];
static unsigned ncases;
static struct entry entries[MAX_ENTRIES];
static unsigned nentries;
static int errors;

static const char *family_of(int nr)
{
	for (size_t f = 0; f < wf_sys_nfamilies; f++)
		for (const struct wf_syscall_def *d = wf_sys_families[f].defs; d->name; d++)
			if (d->nr == nr)
				return wf_sys_families[f].name;
	return NULL;
}

static int sysnr(const char *name)
{
	for (size_t nr = 0; nr < NSYS; nr++)
		if (wf_sysnames[nr] && !strcmp(wf_sysnames[nr], name))
			return (int)nr;
	return -1;
}

static void error(const char *file, unsigned line, const char *msg, const char *arg)
{
	fprintf(stderr, "syscalls_md: %s:%u: %s%s\n", file, line, msg, arg);
	errors++;
}

/* Mark every syscall named in list (separated by any of seps) in used[]: the first with 2. */
static void mark(char *list, const char *seps, unsigned char *used, const char *file, unsigned line)
{
	unsigned char v = 2;
	for (char *s = strtok(list, seps); s; s = strtok(NULL, seps)) {
		int nr = sysnr(s);
		if (nr < 0)
			error(file, line, "not an arm64 syscall name: ", s);
		else if (!used[nr])
			used[nr] = v;
		v = 1;
	}
}

static struct conf_case *find_case(const char *id)
{
	for (unsigned i = 0; i < ncases; i++)
		if (!strcmp(cases[i].id, id))
			return &cases[i];
	return NULL;
}

/* The CONF_CASE lines of one case program's source. */
static void read_source(const char *path)
{
	FILE *f = fopen(path, "r");
	char line[1024], prog[32];
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	unsigned n = 0;
	if (!f) {
		error(path, 0, "cannot open: ", strerror(errno));
		return;
	}
	snprintf(prog, sizeof(prog), "%.*s", (int)strcspn(base, "."), base);
	while (fgets(line, sizeof(line), f)) {
		char name[48], list[512];
		n++;
		if (strncmp(line, "CONF_CASE(", 10))
			continue;
		list[0] = 0;
		if (sscanf(line + 10, "%47[a-z0-9_], \"%511[a-z0-9_ ]\")", name, list) < 1 ||
		    !strstr(line, "\")")) {
			error(path, n, "cannot parse: ", line);
			continue;
		}
		if (ncases == MAX_CASES) {
			error(path, n, "too many cases", "");
			break;
		}
		struct conf_case *c = &cases[ncases++];
		snprintf(c->id, sizeof(c->id), "%s.%s", prog, name);
		c->entry = -1;
		mark(list, " ", c->uses, path, n);
	}
	fclose(f);
}

/* expected-differences: "ID SYSCALLS REASON", '#' comments. */
static void read_expected(const char *path)
{
	FILE *f = fopen(path, "r");
	char line[2048];
	unsigned n = 0;
	if (!f) {
		error(path, 0, "cannot open: ", strerror(errno));
		return;
	}
	while (fgets(line, sizeof(line), f)) {
		char id[MAX_NAME], sys[512];
		int off = 0;
		n++;
		line[strcspn(line, "\n")] = 0;
		if (line[strspn(line, " \t")] == '#' || !line[strspn(line, " \t")])
			continue;
		if (sscanf(line, "%95s %511s %n", id, sys, &off) < 2 || !off || !line[off]) {
			error(path, n, "needs ID SYSCALLS REASON: ", line);
			continue;
		}
		if (nentries == MAX_ENTRIES) {
			error(path, n, "too many entries", "");
			break;
		}
		struct entry *e = &entries[nentries];
		struct conf_case *c = find_case(id);
		snprintf(e->id, sizeof(e->id), "%s", id);
		e->reason = strdup(line + off);
		if (strcmp(sys, "-"))
			mark(sys, ",", e->blames, path, n);
		if (!c)
			error(path, n, "names no case: ", id);
		else
			c->entry = (int)nentries;
		nentries++;
	}
	fclose(f);
}

/* The results file of the last run, if there is one. */
static void read_results(const char *path)
{
	FILE *f = fopen(path, "r");
	char line[512];
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char id[MAX_NAME], st[32];
		if (line[0] == '#' || sscanf(line, "%95s %31s", id, st) != 2)
			continue;
		struct conf_case *c = find_case(id);
		if (c && strcmp(st, "pass") && strcmp(st, "expected"))
			c->result = strdup(st);
	}
	fclose(f);
}

static int exercised(size_t nr)
{
	for (unsigned i = 0; i < ncases; i++)
		if (cases[i].uses[nr])
			return 1;
	return 0;
}

static int partial(size_t nr)
{
	for (unsigned i = 0; i < nentries; i++)
		if (entries[i].blames[nr])
			return 1;
	return 0;
}

static const char *status_of(size_t nr)
{
	if (!family_of((int)nr))
		return "unsupported (ENOSYS)";
	if (partial(nr))
		return "partial";
	return exercised(nr) ? "supported" : "supported (no case yet)";
}

/*
 * The cases that exercise syscall nr: those that did not pass in the last run first, then
 * those whose CONF_CASE line names it first (its subject), then the others; at most
 * MAX_SHOWN in all.
 */
enum { MAX_SHOWN = 8 };
static void print_cases(FILE *out, size_t nr)
{
	unsigned shown = 0, total = 0;
	for (int pass = 0; pass < 3; pass++) {
		for (unsigned i = 0; i < ncases; i++) {
			const struct conf_case *c = &cases[i];
			int rank = c->result ? 0 : c->uses[nr] == 2 ? 1 : 2;
			if (!c->uses[nr] || rank != pass)
				continue;
			total++;
			if (shown == MAX_SHOWN)
				continue;
			fprintf(out, "%s%s", shown ? ", " : "", c->id);
			if (c->result)
				fprintf(out, " ✗ %s", c->result);
			shown++;
		}
	}
	if (total > shown)
		fprintf(out, " and %u more", total - shown);
}

static void print_table(FILE *out)
{
	unsigned yes = 0, no = 0, part = 0, untested = 0, tested = 0, failing = 0;
	for (size_t nr = 0; nr < NSYS; nr++) {
		if (!wf_sysnames[nr])
			continue;
		family_of((int)nr) ? yes++ : no++;
		part += family_of((int)nr) && partial(nr);
		untested += family_of((int)nr) && !exercised(nr);
		tested += exercised(nr);
	}
	for (unsigned i = 0; i < ncases; i++)
		failing += cases[i].result != NULL;
	fprintf(out,
		"# Syscalls\n\n"
		"Generated by the build (`vmm/tools/syscalls_md.c`) from the VMM's own syscall tables,\n"
		"the arm64 syscall list in `asm-generic/unistd.h`, the conformance cases'\n"
		"`CONF_CASE` lines (`conformance/cases/*.c`), `conformance/expected-differences` and\n"
		"the last results of `conformance/run`, if any. Do not edit by hand.\n\n"
		"%u of %u arm64 syscalls are emulated: %u supported, %u partial (a conformance case\n"
		"shows a known difference from Linux); %u of the supported ones have no conformance\n"
		"case yet. Every other number returns `-ENOSYS` and is counted. The conformance suite\n"
		"(`docs/conformance.md`) has %u cases exercising %u syscalls, with %u expected\n"
		"differences; each one's reason is listed at the end.\n\n",
		yes, yes + no, yes - part, part, untested, ncases, tested, nentries);
	if (failing)
		fprintf(out, "**In the last run, %u cases did not pass** (marked ✗ with their status).\n\n",
			failing);
	fprintf(out, "| nr | name | status | family | cases | known differences |\n"
		     "|---:|---|---|---|---|---|\n");
	for (size_t nr = 0; nr < NSYS; nr++) {
		if (!wf_sysnames[nr])
			continue;
		const char *fam = family_of((int)nr);
		fprintf(out, "| %zu | %s | %s | %s | ", nr, wf_sysnames[nr], status_of(nr),
			fam ? fam : "");
		print_cases(out, nr);
		fprintf(out, " | ");
		const char *sep = "";
		for (unsigned i = 0; i < nentries; i++) {
			if (entries[i].blames[nr]) {
				fprintf(out, "%s%s", sep, entries[i].id);
				sep = ", ";
			}
		}
		fprintf(out, " |\n");
	}
	fprintf(out, "\nFamilies:");
	for (size_t f = 0; f < wf_sys_nfamilies; f++)
		fprintf(out, " `%s` (%s)%s", wf_sys_families[f].name, wf_sys_families[f].file,
			f + 1 < wf_sys_nfamilies ? "," : ".\n");
	if (nentries) {
		fprintf(out, "\n## Known differences\n\n"
			     "From `conformance/expected-differences`; \"BUG:\" marks a VMM bug.\n\n");
		for (unsigned i = 0; i < nentries; i++)
			fprintf(out, "- `%s`: %s\n", entries[i].id, entries[i].reason);
	}
}

/*
 * The CPython regression tests (conformance/python): how many modules its list names, and
 * its expected differences ("PATTERN REASON"), copied under their own heading.
 */
static void print_python(FILE *out, const char *modules, const char *expected)
{
	char line[2048];
	unsigned nmod = 0;
	FILE *f = fopen(modules, "r");
	if (!f) {
		fprintf(stderr, "syscalls_md: cannot read %s: %s\n", modules, strerror(errno));
		errors++;
		return;
	}
	while (fgets(line, sizeof(line), f)) {
		const char *l = line + strspn(line, " \t");
		nmod += *l && *l != '#' && *l != '\n';
	}
	fclose(f);
	fprintf(out, "\n## CPython's regression tests\n\n"
		     "`conformance/python/run` runs %u modules of CPython 3.11's own test suite natively\n"
		     "and under `warmfork run --sysroot` and compares them test by test\n"
		     "(`docs/conformance.md`). The native passes the sandbox does not keep, from\n"
		     "`conformance/python/expected-differences` (\"FLAKY:\" marks timing under emulation):\n\n",
		nmod);
	if (!(f = fopen(expected, "r"))) {
		fprintf(stderr, "syscalls_md: cannot read %s: %s\n", expected, strerror(errno));
		errors++;
		return;
	}
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = 0;
		char *l = line + strspn(line, " \t");
		if (!*l || *l == '#')
			continue;
		size_t n = strcspn(l, " \t");
		char *reason = l + n + strspn(l + n, " \t");
		l[n] = 0;
		fprintf(out, "- `%s`: %s\n", l, reason);
	}
	fclose(f);
}

int main(int argc, char **argv)
{
	const char *out_path = NULL, *expected = NULL, *results = NULL;
	const char *py_modules = NULL, *py_expected = NULL;
	int i = 1;
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "-o") && i + 1 < argc) {
			out_path = argv[++i];
		} else if (!strcmp(argv[i], "--expected") && i + 1 < argc) {
			expected = argv[++i];
		} else if (!strcmp(argv[i], "--results") && i + 1 < argc) {
			results = argv[++i];
		} else if (!strcmp(argv[i], "--python") && i + 2 < argc) {
			py_modules = argv[++i];
			py_expected = argv[++i];
		} else {
			fprintf(stderr, "usage: syscalls_md [-o OUT] [--expected FILE] [--results FILE] "
					"[--python MODULES EXPECTED] [CASE_SOURCE.c...]\n");
			return 2;
		}
	}
	for (; i < argc; i++)
		read_source(argv[i]);
	if (expected)
		read_expected(expected);
	if (results)
		read_results(results);
	if (errors)
		return 1;
	FILE *out = out_path ? fopen(out_path, "w") : stdout;
	if (!out) {
		fprintf(stderr, "syscalls_md: cannot write %s: %s\n", out_path, strerror(errno));
		return 1;
	}
	print_table(out);
	if (py_modules)
		print_python(out, py_modules, py_expected);
	if (errors) {
		if (out != stdout)
			fclose(out);
		return 1;
	}
	if (out != stdout && fclose(out)) {
		fprintf(stderr, "syscalls_md: cannot write %s: %s\n", out_path, strerror(errno));
		return 1;
	}
	return 0;
}
