// SPDX-License-Identifier: Apache-2.0
/* symbolize.c: guest pc -> func+offset (sorted ELF symbols) and file:line (libdw line tables). */
#include "debug/symbolize.h"

#include <dwarf.h>
#include <elfutils/libdw.h>
#include <errno.h>
#include <gelf.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* How far a lookup walks back from the nearest entry below pc looking for one that contains
   it (an enclosing function, or an overlapping CU range). Keeps every lookup O(log n). */
enum { WALK_BACK = 8 };

/* Bounds for what a (possibly hostile) debug-info index may grow to. */
enum { MAX_CU_RANGES = 1 << 20, MAX_ROW_WALK = 64 };

/* One defined symbol, at its unrelocated (link-time) address. */
struct sym {
	uint64_t addr;
	uint64_t end;     /* exclusive; for size-0 functions, the next function or section end */
	const char *name; /* inside libelf's view of the image; lives as long as the Elf */
	uint8_t rank;     /* lower is preferred: binding, then function over data */
	bool sized;
};

/* One address range of one DWARF compile unit. */
struct cu_range {
	uint64_t lo, hi; /* [lo, hi), unrelocated */
	Dwarf_Die cu;
};

struct wf_symbolizer {
	Elf *elf;
	Dwarf *dw; /* NULL without (usable) DWARF */
	uint64_t bias;
	struct sym *funcs; /* by address, one per address */
	size_t nfuncs;
	struct sym *names; /* functions and data by name, preferred first among equal names */
	size_t nnames;
	struct cu_range *cus; /* by lo */
	size_t ncus;
};

static void copy_str(char *dst, size_t n, const char *src)
{
	size_t len = strnlen(src, n - 1);
	memcpy(dst, src, len);
	dst[len] = '\0';
}

static unsigned leading_underscores(const char *s)
{
	unsigned k = 0;
	while (s[k] == '_')
		k++;
	return k;
}

/* Which of several symbols at one address names a function: global, then weak, then local;
   one with a size; fewer leading underscores (memcpy over __memcpy); then by name. */
static int cmp_func(const void *pa, const void *pb)
{
	const struct sym *a = pa, *b = pb;
	if (a->addr != b->addr)
		return a->addr < b->addr ? -1 : 1;
	if (a->rank != b->rank)
		return a->rank < b->rank ? -1 : 1;
	if (a->sized != b->sized)
		return a->sized ? -1 : 1;
	unsigned ua = leading_underscores(a->name), ub = leading_underscores(b->name);
	if (ua != ub)
		return ua < ub ? -1 : 1;
	return strcmp(a->name, b->name);
}

static int cmp_name(const void *pa, const void *pb)
{
	const struct sym *a = pa, *b = pb;
	int c = strcmp(a->name, b->name);
	if (c)
		return c;
	if (a->rank != b->rank)
		return a->rank < b->rank ? -1 : 1;
	if (a->addr != b->addr)
		return a->addr < b->addr ? -1 : 1;
	return 0;
}

static int cmp_cu(const void *pa, const void *pb)
{
	const struct cu_range *a = pa, *b = pb;
	if (a->lo != b->lo)
		return a->lo < b->lo ? -1 : 1;
	if (a->hi != b->hi)
		return a->hi < b->hi ? -1 : 1;
	return 0;
}

static uint8_t bind_rank(unsigned char bind)
{
	switch (bind) {
	case STB_GLOBAL:
		return 0;
	case STB_WEAK:
		return 1;
	default:
		return 2;
	}
}

/* Every header and every section with file contents must lie inside the image. */
static int check_layout(Elf *elf, size_t size, struct wf_err *e)
{
	GElf_Ehdr eh;
	if (!gelf_getehdr(elf, &eh))
		return wf_fail(e, -ENOEXEC, "symbolizer: ELF header: %s", elf_errmsg(-1));
	if (eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_ident[EI_DATA] != ELFDATA2LSB)
		return wf_fail(e, -ENOEXEC, "symbolizer: not a little-endian ELF64 file");
	if (eh.e_machine != EM_AARCH64)
		return wf_fail(e, -ENOEXEC, "symbolizer: e_machine %u is not EM_AARCH64",
			       eh.e_machine);
	if (eh.e_type != ET_EXEC && eh.e_type != ET_DYN)
		return wf_fail(e, -ENOEXEC, "symbolizer: e_type %u is not ET_EXEC or ET_DYN",
			       eh.e_type);
	if (eh.e_phnum && (eh.e_phentsize != sizeof(Elf64_Phdr) || eh.e_phoff > size ||
			   (size - eh.e_phoff) / sizeof(Elf64_Phdr) < eh.e_phnum))
		return wf_fail(e, -ENOEXEC,
			       "symbolizer: program headers (phoff %#" PRIx64 ", phnum %u) "
			       "outside the %zu-byte image",
			       (uint64_t)eh.e_phoff, eh.e_phnum, size);

	/* libelf quietly reports no sections when the table lies outside the image, so compare
	   its count with the header's (0 there means the count is in section 0, extended). */
	size_t shnum = 0, shstrndx;
	if (eh.e_shoff == 0 && eh.e_shnum != 0)
		return wf_fail(e, -ENOEXEC, "symbolizer: e_shnum %u without section headers",
			       eh.e_shnum);
	if (eh.e_shoff != 0 && (elf_getshdrnum(elf, &shnum) != 0 || shnum == 0 ||
				(eh.e_shnum != 0 && shnum != eh.e_shnum)))
		return wf_fail(e, -ENOEXEC,
			       "symbolizer: section headers (shoff %#" PRIx64 ", shnum %u) "
			       "unreadable in the %zu-byte image",
			       (uint64_t)eh.e_shoff, eh.e_shnum, size);
	if (shnum && (eh.e_shentsize != sizeof(Elf64_Shdr) || eh.e_shoff > size ||
		      (size - eh.e_shoff) / sizeof(Elf64_Shdr) < shnum))
		return wf_fail(e, -ENOEXEC,
			       "symbolizer: section headers (shoff %#" PRIx64 ", shnum %zu) "
			       "outside the %zu-byte image",
			       (uint64_t)eh.e_shoff, shnum, size);
	if (shnum && elf_getshdrstrndx(elf, &shstrndx) != 0)
		return wf_fail(e, -ENOEXEC, "symbolizer: section name table: %s", elf_errmsg(-1));

	for (size_t i = 1; i < shnum; i++) {
		GElf_Shdr sh;
		Elf_Scn *scn = elf_getscn(elf, i);
		if (!scn || !gelf_getshdr(scn, &sh))
			return wf_fail(e, -ENOEXEC, "symbolizer: section %zu header: %s", i,
				       elf_errmsg(-1));
		if (sh.sh_type == SHT_NOBITS || sh.sh_type == SHT_NULL)
			continue;
		if (sh.sh_offset > size || size - sh.sh_offset < sh.sh_size)
			return wf_fail(e, -ENOEXEC,
				       "symbolizer: section %zu (offset %#" PRIx64
				       ", size %#" PRIx64 ") outside the %zu-byte image",
				       i, (uint64_t)sh.sh_offset, (uint64_t)sh.sh_size, size);
	}
	return 0;
}

static Elf_Scn *find_section(Elf *elf, Elf64_Word type)
{
	Elf_Scn *scn = NULL;
	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		if (gelf_getshdr(scn, &sh) && sh.sh_type == type)
			return scn;
	}
	return NULL;
}

/* [start, end) of section shndx when it is allocated and contains addr, else false. */
static bool section_bounds(Elf *elf, size_t shndx, uint64_t addr, uint64_t *end)
{
	GElf_Shdr sh;
	Elf_Scn *scn = elf_getscn(elf, shndx);
	if (!scn || !gelf_getshdr(scn, &sh) || !(sh.sh_flags & SHF_ALLOC))
		return false;
	if (addr < sh.sh_addr || addr - sh.sh_addr >= sh.sh_size)
		return false;
	*end = sh.sh_addr + sh.sh_size;
	return *end > addr; /* no wrap */
}

/* Read the symbol table (.symtab, else .dynsym) into the by-address function array and the
   by-name array. A file without symbols is fine: lookups just find nothing. */
static int load_symbols(struct wf_symbolizer *s, struct wf_err *e)
{
	Elf_Scn *scn = find_section(s->elf, SHT_SYMTAB);
	if (!scn)
		scn = find_section(s->elf, SHT_DYNSYM);
	if (!scn)
		return 0;
	GElf_Shdr sh;
	Elf_Data *data;
	if (!gelf_getshdr(scn, &sh) || !(data = elf_getdata(scn, NULL)))
		return wf_fail(e, -ENOEXEC, "symbolizer: symbol table: %s", elf_errmsg(-1));
	if (data->d_type != ELF_T_SYM)
		return wf_fail(e, -ENOEXEC, "symbolizer: symbol table has data type %d",
			       (int)data->d_type);
	size_t entsz = gelf_fsize(s->elf, ELF_T_SYM, 1, EV_CURRENT);
	size_t count = entsz ? data->d_size / entsz : 0;
	if (!count)
		return 0;
	if (count > INT_MAX) /* gelf_getsym takes an int index */
		return wf_fail(e, -ENOEXEC, "symbolizer: %zu symbols", count);

	s->funcs = calloc(count, sizeof(*s->funcs));
	s->names = calloc(count, sizeof(*s->names));
	if (!s->funcs || !s->names)
		return wf_fail(e, -ENOMEM, "symbolizer: %zu symbols: out of memory", count);

	for (size_t i = 1; i < count; i++) {
		GElf_Sym st;
		if (!gelf_getsym(data, (int)i, &st))
			break;
		unsigned char type = GELF_ST_TYPE(st.st_info);
		unsigned char bind = GELF_ST_BIND(st.st_info);
		if (st.st_shndx == SHN_UNDEF || st.st_name == 0)
			continue;
		bool func = type == STT_FUNC || type == STT_GNU_IFUNC;
		bool named = type == STT_FUNC || type == STT_OBJECT ||
			     (type == STT_NOTYPE && bind != STB_LOCAL);
		if (!func && !named)
			continue;
		if (st.st_value > UINT64_MAX - s->bias)
			continue; /* would not be a guest address once relocated */
		const char *name = elf_strptr(s->elf, sh.sh_link, st.st_name);
		if (!name || !*name)
			continue;

		struct sym y = {.addr = st.st_value, .name = name, .rank = bind_rank(bind)};
		if (func) {
			y.sized = st.st_size != 0 && st.st_value + st.st_size > st.st_value;
			y.end = y.sized ? st.st_value + st.st_size : 0;
			if (!y.sized && !section_bounds(s->elf, st.st_shndx, y.addr, &y.end))
				y.end = 0; /* fixed up below */
			s->funcs[s->nfuncs++] = y;
		}
		if (named && type != STT_GNU_IFUNC) {
			/* Functions before data of the same binding. */
			y.rank = (uint8_t)(y.rank * 2 + (type == STT_FUNC ? 0 : 1));
			s->names[s->nnames++] = y;
		}
	}

	if (s->nfuncs > 1)
		qsort(s->funcs, s->nfuncs, sizeof(*s->funcs), cmp_func);
	/* Keep the preferred symbol at each address. */
	size_t n = 0;
	for (size_t i = 0; i < s->nfuncs; i++)
		if (n == 0 || s->funcs[n - 1].addr != s->funcs[i].addr)
			s->funcs[n++] = s->funcs[i];
	s->nfuncs = n;
	/* A size-0 function (hand-written assembly without .size) runs to the next function or
	   the end of its section, whichever comes first; one instruction if neither is known. */
	for (size_t i = 0; i < n; i++) {
		struct sym *y = &s->funcs[i];
		if (y->sized)
			continue;
		uint64_t next = i + 1 < n ? s->funcs[i + 1].addr : UINT64_MAX;
		if (y->end == 0 || y->end > next)
			y->end = next;
		if (y->end == UINT64_MAX)
			y->end = y->addr <= UINT64_MAX - 4 ? y->addr + 4 : UINT64_MAX;
	}

	if (s->nnames > 1)
		qsort(s->names, s->nnames, sizeof(*s->names), cmp_name);
	return 0;
}

/* Index every compile unit's address ranges; libdw's own dwarf_addrdie needs .debug_aranges,
   which clang does not emit. Bad DWARF stops the indexing, it does not fail the open. */
static int load_cus(struct wf_symbolizer *s, struct wf_err *e)
{
	size_t cap = 0;
	Dwarf_CU *cu = NULL, *next;
	Dwarf_Half version;
	uint8_t unit_type;
	Dwarf_Die cudie;
	while (dwarf_get_units(s->dw, cu, &next, &version, &unit_type, &cudie, NULL) == 0) {
		cu = next;
		if (unit_type != DW_UT_compile && unit_type != DW_UT_partial)
			continue;
		Dwarf_Addr base, lo, hi;
		ptrdiff_t off = 0;
		while ((off = dwarf_ranges(&cudie, off, &base, &lo, &hi)) > 0) {
			if (lo >= hi)
				continue;
			if (s->ncus == MAX_CU_RANGES)
				goto done;
			if (s->ncus == cap) {
				size_t ncap = cap ? cap * 2 : 64;
				struct cu_range *r = realloc(s->cus, ncap * sizeof(*r));
				if (!r)
					return wf_fail(
					    e, -ENOMEM,
					    "symbolizer: %zu DWARF ranges: out of memory", ncap);
				s->cus = r;
				cap = ncap;
			}
			s->cus[s->ncus++] = (struct cu_range){.lo = lo, .hi = hi, .cu = cudie};
		}
	}
done:
	if (s->ncus > 1)
		qsort(s->cus, s->ncus, sizeof(*s->cus), cmp_cu);
	return 0;
}

int wf_symbolizer_open(const uint8_t *data, size_t size, uint64_t load_bias,
		       struct wf_symbolizer **out, struct wf_err *e)
{
	if (!out)
		return wf_fail(e, -EINVAL, "symbolizer: no result pointer");
	*out = NULL;
	if (!data || size == 0)
		return wf_fail(e, -EINVAL, "symbolizer: empty image");
	if (elf_version(EV_CURRENT) == EV_NONE)
		return wf_fail(e, -ENOEXEC, "symbolizer: libelf: %s", elf_errmsg(-1));

	struct wf_symbolizer *s = calloc(1, sizeof(*s));
	if (!s)
		return wf_fail(e, -ENOMEM, "symbolizer: out of memory");
	s->bias = load_bias;
	int rc;

	/* elf_memory wants a char *, but with the image mapped read-only (its mode) libelf
	   only reads it, copying whatever it must convert. */
	s->elf = elf_memory((char *)(uintptr_t)data, size);
	if (!s->elf) {
		rc = wf_fail(e, -ENOEXEC, "symbolizer: elf_memory: %s", elf_errmsg(-1));
		goto fail;
	}
	if (elf_kind(s->elf) != ELF_K_ELF) {
		rc = wf_fail(e, -ENOEXEC, "symbolizer: not an ELF file");
		goto fail;
	}
	rc = check_layout(s->elf, size, e);
	if (rc)
		goto fail;
	GElf_Ehdr eh;
	gelf_getehdr(s->elf, &eh); /* checked above */
	if (eh.e_type == ET_EXEC && load_bias != 0) {
		rc = wf_fail(e, -EINVAL,
			     "symbolizer: load bias %#" PRIx64 " for an ET_EXEC image (must be 0)",
			     load_bias);
		goto fail;
	}
	rc = load_symbols(s, e);
	if (rc)
		goto fail;

	/* No DWARF (or unreadable DWARF) is not an error: there is just no file:line. */
	s->dw = dwarf_begin_elf(s->elf, DWARF_C_READ, NULL);
	if (s->dw) {
		rc = load_cus(s, e);
		if (rc)
			goto fail;
	}
	*out = s;
	return 0;
fail:
	wf_symbolizer_close(s);
	return rc;
}

void wf_symbolizer_close(struct wf_symbolizer *s)
{
	if (!s)
		return;
	if (s->dw)
		dwarf_end(s->dw);
	if (s->elf)
		elf_end(s->elf);
	free(s->funcs);
	free(s->names);
	free(s->cus);
	free(s);
}

static const struct sym *find_func(const struct wf_symbolizer *s, uint64_t addr)
{
	size_t lo = 0, hi = s->nfuncs;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (s->funcs[mid].addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	size_t below = lo; /* funcs[0..below) start at or below addr */
	for (size_t k = 0; k < WALK_BACK && k < below; k++) {
		const struct sym *y = &s->funcs[below - 1 - k];
		if (addr < y->end)
			return y;
	}
	return NULL;
}

static const struct cu_range *find_cu(const struct wf_symbolizer *s, uint64_t addr, size_t *from)
{
	size_t lo = 0, hi = s->ncus;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (s->cus[mid].lo <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t k = *from; k < WALK_BACK && k < lo; k++) {
		const struct cu_range *r = &s->cus[lo - 1 - k];
		if (addr < r->hi) {
			*from = k + 1;
			return r;
		}
	}
	return NULL;
}

/* Fill file:line from row idx, or when that row has line 0 (compiler-generated code, which
   clang marks so) from the nearest earlier row of the same sequence that has a line. */
static bool line_from_row(Dwarf_Lines *lines, size_t idx, struct wf_frame_info *out)
{
	for (size_t k = 0; k < MAX_ROW_WALK && k <= idx; k++) {
		Dwarf_Line *l = dwarf_onesrcline(lines, idx - k);
		bool end_seq;
		int lineno;
		if (!l || dwarf_lineendsequence(l, &end_seq) != 0 || dwarf_lineno(l, &lineno) != 0)
			return false;
		if (k > 0 && end_seq)
			return false; /* walked into the previous sequence */
		if (lineno <= 0)
			continue;
		const char *file = dwarf_linesrc(l, NULL, NULL);
		if (!file || !*file)
			return false;
		copy_str(out->file, sizeof(out->file), file);
		out->line = lineno;
		out->have_line = true;
		return true;
	}
	return false;
}

/* The line-table row covering addr in cu: the last row at or below addr, unless that row ends
   its sequence (then addr lies in a gap). */
static bool find_line(Dwarf_Die *cu, uint64_t addr, struct wf_frame_info *out)
{
	Dwarf_Lines *lines;
	size_t nlines;
	if (dwarf_getsrclines(cu, &lines, &nlines) != 0 || nlines == 0)
		return false;
	size_t lo = 0, hi = nlines;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		Dwarf_Addr a;
		Dwarf_Line *l = dwarf_onesrcline(lines, mid);
		if (!l || dwarf_lineaddr(l, &a) != 0)
			return false;
		if (a <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return false;
	/* Rows at one address may hold the end of one sequence and the start of the next. */
	Dwarf_Addr at = 0;
	for (size_t k = 0; k < MAX_ROW_WALK && k < lo; k++) {
		size_t idx = lo - 1 - k;
		Dwarf_Line *l = dwarf_onesrcline(lines, idx);
		Dwarf_Addr a;
		bool end_seq;
		if (!l || dwarf_lineaddr(l, &a) != 0 || dwarf_lineendsequence(l, &end_seq) != 0)
			return false;
		if (k == 0)
			at = a;
		else if (a != at)
			return false;
		if (!end_seq)
			return line_from_row(lines, idx, out);
	}
	return false;
}

int wf_symbolize(struct wf_symbolizer *s, uint64_t pc, struct wf_frame_info *out)
{
	if (!out)
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	if (!s)
		return -EINVAL;
	if (pc < s->bias)
		return -ENOENT;
	uint64_t addr = pc - s->bias;

	const struct sym *y = find_func(s, addr);
	if (y) {
		copy_str(out->func, sizeof(out->func), y->name);
		out->func_off = addr - y->addr;
		out->func_size = y->end - y->addr;
		out->have_func = true;
	}
	/* Try each CU range containing addr (normally exactly one). */
	size_t from = 0;
	const struct cu_range *r;
	while ((r = find_cu(s, addr, &from))) {
		Dwarf_Die cu = r->cu;
		if (find_line(&cu, addr, out))
			break;
	}
	return out->have_func || out->have_line ? 0 : -ENOENT;
}

int wf_symbolize_each_line(struct wf_symbolizer *s,
			   int (*fn)(void *ctx, uint64_t pc, const char *file, int line), void *ctx)
{
	if (!s || !fn)
		return -EINVAL;
	if (!s->dw)
		return -ENOENT;
	Dwarf_CU *cu = NULL, *next;
	Dwarf_Half version;
	uint8_t unit_type;
	Dwarf_Die cudie;
	while (dwarf_get_units(s->dw, cu, &next, &version, &unit_type, &cudie, NULL) == 0) {
		cu = next;
		Dwarf_Lines *lines;
		size_t n;
		if ((unit_type != DW_UT_compile && unit_type != DW_UT_partial) ||
		    dwarf_getsrclines(&cudie, &lines, &n) != 0)
			continue;
		for (size_t i = 0; i < n; i++) {
			Dwarf_Line *l = dwarf_onesrcline(lines, i);
			Dwarf_Addr a;
			bool end_seq;
			int lineno;
			const char *file;
			if (!l || dwarf_lineaddr(l, &a) || dwarf_lineendsequence(l, &end_seq) ||
			    dwarf_lineno(l, &lineno) || end_seq || lineno <= 0 ||
			    !(file = dwarf_linesrc(l, NULL, NULL)) || !*file)
				continue;
			int rc = fn(ctx, a + s->bias, file, lineno);
			if (rc)
				return rc;
		}
	}
	return 0;
}

int wf_symbol_address(struct wf_symbolizer *s, const char *name, uint64_t *addr)
{
	if (!s || !name || !addr)
		return -EINVAL;
	/* First entry with this name: the preferred one (cmp_name sorts by rank within a name). */
	size_t lo = 0, hi = s->nnames;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(s->names[mid].name, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == s->nnames || strcmp(s->names[lo].name, name) != 0)
		return -ENOENT;
	*addr = s->names[lo].addr + s->bias; /* overflow excluded at load */
	return 0;
}

void wf_format_frame(char *buf, size_t n, unsigned idx, uint64_t pc, const struct wf_frame_info *fi)
{
	if (!buf || n == 0)
		return;
	int len;
	/* The caller's record may not be NUL-terminated: bound every string by its array. */
	if (fi && fi->have_func) {
		len = snprintf(buf, n, "#%u 0x%" PRIx64 " in %.*s+0x%" PRIx64, idx, pc,
			       (int)strnlen(fi->func, sizeof(fi->func)), fi->func, fi->func_off);
	} else {
		len = snprintf(buf, n, "#%u 0x%" PRIx64 " (<unknown>)", idx, pc);
	}
	if (len < 0) {
		buf[0] = '\0';
		return;
	}
	if (fi && fi->have_line && (size_t)len < n)
		snprintf(buf + len, n - (size_t)len, " %.*s:%d",
			 (int)strnlen(fi->file, sizeof(fi->file)), fi->file, fi->line);
}
