// SPDX-License-Identifier: Apache-2.0
/* elf_load_test.c: Check tests for the ELF validator: malformed corpus, minimal and real images. */
#include <check.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "util.h"
#include "elf/elf_load.h"
#include "elf/elf_test_image.h"
#include "guest_mem.h"

struct patch {
	enum field f;
	int phdr;
	uint64_t v;
	bool rel;
};

struct bad {
	const char *name; /* also the corpus file name: testdata/<name>.elf */
	enum base base;
	unsigned extra_loads;
	struct patch p[3];
	int code;
	const char *msg;
};

/*
 * The malformed corpus: a base image, up to three one-field patches (P: absolute value, R:
 * relative to the image base), and the error that must come back.
 */
/* clang-format off */
#define ENOX -ENOEXEC
#define P(f, i, v) {f, i, v, false}
#define R(f, i, v) {f, i, v, true}
static const struct bad bad[] = {
	{"empty", B_EXEC, 0, {P(F_SIZE, 0, 0)}, ENOX, "bad magic"},
	{"bad_magic", B_EXEC, 0, {P(F_IDENT0, 0, 0x7e)}, ENOX, "bad magic"},
	{"short_ident", B_EXEC, 0, {P(F_SIZE, 0, 10)}, ENOX, "too short for e_ident"},
	{"short_ehdr", B_EXEC, 0, {P(F_SIZE, 0, 40)}, ENOX, "libelf: elf_memory"},
	{"class32", B_EXEC, 0, {P(F_CLASS, 0, ELFCLASS32)}, ENOX, "EI_CLASS 1 is not ELFCLASS64"},
	{"class_bogus", B_EXEC, 0, {P(F_CLASS, 0, 9)}, ENOX, "EI_CLASS 9 is not ELFCLASS64"},
	{"msb", B_EXEC, 0, {P(F_DATA, 0, ELFDATA2MSB)}, ENOX, "EI_DATA 2 is not ELFDATA2LSB"},
	{"ident_version", B_EXEC, 0, {P(F_IVERSION, 0, 2)}, ENOX, "EI_VERSION 2 is not EV_CURRENT"},
	{"et_rel", B_EXEC, 0, {P(E_TYPE, 0, ET_REL)}, ENOX, "ET_REL object files cannot run"},
	{"et_core", B_EXEC, 0, {P(E_TYPE, 0, ET_CORE)}, ENOX, "ET_CORE core dumps cannot run"},
	{"et_bogus", B_EXEC, 0, {P(E_TYPE, 0, 0x1234)}, ENOX, "e_type 4660 is not ET_EXEC"},
	{"machine_x86_64", B_EXEC, 0, {P(E_MACHINE, 0, EM_X86_64)}, ENOX,
	 "e_machine 62 is not EM_AARCH64 (183)"},
	{"e_version", B_EXEC, 0, {P(E_VERSION, 0, 0)}, ENOX, "e_version 0 is not EV_CURRENT"},
	{"phentsize", B_EXEC, 0, {P(E_PHENTSIZE, 0, 32)}, ENOX,
	 "e_phentsize 32 is not sizeof(Elf64_Phdr) (56)"},
	{"phnum_0", B_EXEC, 0, {P(E_PHNUM, 0, 0)}, ENOX, "no program headers (e_phnum 0)"},
	{"phnum_65", B_EXEC, 0, {P(E_PHNUM, 0, 65)}, ENOX, "e_phnum 65 exceeds the limit of 64"},
	{"phnum_xnum_70000", B_EXEC, 0, {P(F_SH0_INFO, 0, 70000), P(E_PHNUM, 0, PN_XNUM)}, ENOX,
	 "e_phnum 70000 (PN_XNUM) exceeds the limit of 64"},
	{"phnum_xnum_small", B_EXEC, 0, {P(F_SH0_INFO, 0, 5), P(E_PHNUM, 0, PN_XNUM)}, ENOX,
	 "e_phnum is PN_XNUM but section 0's sh_info 5 is below it"},
	{"phnum_xnum_no_shdr", B_EXEC, 0, {P(E_SHOFF, 0, 0), P(E_PHNUM, 0, PN_XNUM)}, ENOX,
	 "PN_XNUM but section header 0 is unreadable: e_shoff is 0"},
	{"phoff_0", B_EXEC, 0, {P(E_PHOFF, 0, 0)}, ENOX, "e_phoff is 0"},
	{"phtab_past_eof", B_EXEC, 0, {P(E_PHNUM, 0, 60)}, ENOX,
	 "(0xd20 bytes) extends past the end of the file"},
	{"phoff_wraps", B_EXEC, 0, {P(E_PHOFF, 0, UINT64_MAX - 0x40)}, ENOX,
	 "e_phoff 0xffffffffffffffbf (0x118 bytes) extends past"},
	{"no_load", B_EXEC, 0, {P(P_TYPE, PH_TEXT, PT_NOTE), P(P_TYPE, PH_DATA, PT_NOTE)}, ENOX,
	 "no loadable segment"},
	{"empty_loads", B_EXEC, 0, {P(P_FILESZ, PH_TEXT, 0), P(P_MEMSZ, PH_TEXT, 0), P(P_TYPE, PH_DATA,
	 PT_NULL)}, ENOX, "no loadable segment"},
	{"loads_17", B_EXEC, 15, {P(F_NONE, 0, 0)}, ENOX, "phdr 19: more than 16 non-empty PT_LOAD"},
	{"load_descending", B_EXEC, 0, {R(P_VADDR, PH_DATA, -0x10000ull + VA_DATA)}, ENOX,
	 "phdr 2: PT_LOAD p_vaddr 0x3f1900 is below phdr 1's 0x400000 (PT_LOADs must ascend)"},
	{"load_overlap", B_EXEC, 0, {P(P_MEMSZ, PH_TEXT, VA_DATA + 1)}, ENOX,
	 "phdr 2: PT_LOAD [0x401900, 0x402900) overlaps phdr 1 [0x400000, 0x401901)"},
	{"align_not_pow2", B_EXEC, 0, {P(P_ALIGN, PH_DATA, 0x3000)}, ENOX,
	 "phdr 2: p_align 0x3000 is not a power of two"},
	{"align_small", B_EXEC, 0, {P(P_ALIGN, PH_TEXT, 0x100)}, ENOX,
	 "phdr 1: p_align 0x100 is below the 4 KiB page size"},
	{"align_huge", B_EXEC, 0, {P(P_ALIGN, PH_TEXT, 1ull << 40)}, ENOX,
	 "phdr 1: p_align 0x10000000000 exceeds 1 GiB"},
	{"align_incongruent", B_EXEC, 0, {R(P_VADDR, PH_DATA, VA_DATA + 4)}, ENOX,
	 "phdr 2: p_vaddr 0x401904 and p_offset 0x900 differ modulo p_align 0x1000"},
	{"load_past_eof", B_EXEC, 0, {P(P_FILESZ, PH_DATA, 0x1000)}, ENOX,
	 "phdr 2: PT_LOAD p_offset 0x900 + p_filesz 0x1000 extends past the end of the file"},
	{"load_offset_wraps", B_EXEC, 0, {P(P_OFFSET, PH_DATA, 0xfffffffffffff900)}, ENOX,
	 "phdr 2: PT_LOAD p_offset 0xfffffffffffff900 + p_filesz 0x20 extends past"},
	{"filesz_gt_memsz", B_EXEC, 0, {P(P_MEMSZ, PH_DATA, 0x10)}, ENOX,
	 "phdr 2: PT_LOAD p_filesz 0x20 > p_memsz 0x10"},
	{"vaddr_wraps", B_EXEC, 0, {P(P_VADDR, PH_DATA, 0xfffffffffffff900)}, ENOX,
	 "phdr 2: PT_LOAD p_vaddr 0xfffffffffffff900 + p_memsz 0x1000 overflows"},
	{"vaddr_above_2_48", B_EXEC, 0, {P(P_VADDR, PH_DATA, (1ull << 48) - 0x700)}, ENOX,
	 "phdr 2: PT_LOAD [0xfffffffff900, 0x1000000000900) ends above 2^48"},
	{"load_wx", B_EXEC, 0, {P(P_FLAGS, PH_TEXT, PF_R | PF_W | PF_X)}, ENOX,
	 "phdr 1: PT_LOAD is both writable and executable (p_flags 0x7)"},
	{"entry_unmapped", B_EXEC, 0, {R(E_ENTRY, 0, 0x5000)}, ENOX,
	 "e_entry 0x405000 is not inside any PT_LOAD"},
	{"entry_past_text", B_EXEC, 0, {R(E_ENTRY, 0, OFF_TEXT + TEXT_SIZE)}, ENOX,
	 "e_entry 0x400850 is not inside any PT_LOAD"},
	{"entry_not_exec", B_EXEC, 0, {R(E_ENTRY, 0, VA_DATA)}, ENOX,
	 "e_entry 0x401900 is in phdr 2, which is not executable"},
	{"entry_misaligned", B_EXEC, 0, {R(E_ENTRY, 0, ENTRY_OFF + 2)}, ENOX,
	 "e_entry 0x400846 is not 4-byte aligned"},
	{"interp_past_eof", B_DYN, 0, {P(P_OFFSET, PH_INTERP, MAX_IMG - 8)}, ENOX,
	 "phdr 5: PT_INTERP p_offset 0xff8 + p_filesz 0x1b extends past the end of the file"},
	{"interp_unterminated", B_DYN, 0, {P(P_FILESZ, PH_INTERP, sizeof(INTERP) - 1)}, ENOX,
	 "phdr 5: PT_INTERP path is not NUL-terminated"},
	{"interp_inner_nul", B_DYN, 0, {P(P_OFFSET, PH_INTERP, OFF_INTERP - 1), P(P_FILESZ, PH_INTERP,
	 sizeof(INTERP) + 1)}, ENOX, "phdr 5: PT_INTERP path has a NUL at byte 0 of 28"},
	{"interp_too_long", B_DYN, 0, {P(P_FILESZ, PH_INTERP, 300)}, ENOX,
	 "phdr 5: PT_INTERP p_filesz 300 exceeds 256 bytes"},
	{"interp_too_short", B_DYN, 0, {P(P_FILESZ, PH_INTERP, 1)}, ENOX,
	 "phdr 5: PT_INTERP p_filesz 1 is too small"},
	{"interp_twice", B_DYN, 0, {P(P_TYPE, PH_STACK, PT_INTERP), P(P_OFFSET, PH_STACK, OFF_INTERP),
	 P(P_FILESZ, PH_STACK, sizeof(INTERP))}, ENOX, "phdr 5: second PT_INTERP"},
	{"tls_unmapped", B_EXEC, 0, {R(P_VADDR, PH_TLS, 0x5000)}, ENOX,
	 "phdr 3: PT_TLS image [0x405000, +0x10) is not inside any PT_LOAD"},
	{"tls_filesz_gt_memsz", B_EXEC, 0, {P(P_FILESZ, PH_TLS, 0x80)}, ENOX,
	 "phdr 3: PT_TLS p_filesz 0x80 > p_memsz 0x40"},
	{"tls_align", B_EXEC, 0, {P(P_ALIGN, PH_TLS, 3)}, ENOX, "phdr 3: PT_TLS p_align 0x3 is not"},
	{"tls_twice", B_EXEC, 0, {P(P_TYPE, PH_STACK, PT_TLS)}, ENOX, "phdr 4: second PT_TLS"},
	{"phdr_unmapped", B_EXEC, 0, {R(P_VADDR, PH_PHDR, 0x5000)}, ENOX,
	 "phdr 0: PT_PHDR [0x405000, +0x118) is not inside any PT_LOAD"},
	{"phdr_small", B_EXEC, 0, {P(P_MEMSZ, PH_PHDR, 8), P(P_FILESZ, PH_PHDR, 8)}, ENOX,
	 "phdr 0: PT_PHDR p_memsz 0x8 is smaller than the table (0x118)"},
};
/* clang-format on */
enum { NBAD = ARRAY_SIZE(bad) };

static void make_bad(struct img *im, const struct bad *c)
{
	img_build(im, c->base, c->extra_loads);
	for (int k = 0; k < 3; k++) {
		const struct patch *p = &c->p[k];
		img_set(im, p->f, p->phdr, p->rel ? im->base + p->v : p->v);
	}
}

static void expect(const char *what, const uint8_t *data, size_t size, int code, const char *msg)
{
	struct wf_elf_image img;
	struct wf_err e = {0};
	int rc = wf_elf_parse(data, size, &img, &e);
	ck_assert_msg(rc == code && e.code == code && strstr(e.msg, msg),
		      "%s: expected %d \"%s\", got %d \"%s\"", what, code, msg, rc, e.msg);
}

START_TEST(test_malformed)
{
	struct img im;
	const struct bad *c = &bad[_i];
	make_bad(&im, c);
	expect(c->name, im.buf, im.size, c->code, c->msg);
}
END_TEST

/* The stored seed corpus (testdata/) holds the same cases and must fail the same way. */
START_TEST(test_stored_corpus)
{
	const char *dir = getenv("WF_ELF_TESTDATA");
	if (!dir)
		return;
	const char *name = _i < NBAD ? bad[_i].name : _i == NBAD ? "valid_exec" : "valid_dyn";
	char path[PATH_MAX];
	snprintf(path, sizeof(path), "%s/%s.elf", dir, name);
	FILE *f = fopen(path, "rb");
	ck_assert_msg(f, "%s missing: regenerate the corpus (see vmm/elf/README.md)", path);
	static uint8_t buf[MAX_IMG + 1];
	size_t n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	ck_assert_uint_le(n, MAX_IMG);
	if (_i < NBAD) {
		expect(path, buf, n, bad[_i].code, bad[_i].msg);
	} else {
		struct wf_elf_image img;
		struct wf_err e = {0};
		ck_assert_msg(wf_elf_parse(buf, n, &img, &e) == 0, "%s: %s", path, e.msg);
	}
}
END_TEST

/* What every accepted image must satisfy, whatever the input was. */
static void check_invariants(const struct wf_elf_image *img)
{
	ck_assert(img->type == ET_EXEC || img->type == ET_DYN);
	ck_assert_uint_ge(img->nsegs, 1);
	ck_assert_uint_le(img->nsegs, WF_ELF_MAX_SEGS);
	bool entry_ok = false;
	for (unsigned k = 0; k < img->nsegs; k++) {
		const struct wf_elf_seg *s = &img->segs[k];
		ck_assert_uint_gt(s->memsz, 0);
		ck_assert_uint_le(s->filesz, s->memsz);
		ck_assert_uint_le(s->vaddr + s->memsz, WF_ELF_VA_LIMIT);
		ck_assert((s->prot & (WF_PROT_WRITE | WF_PROT_EXEC)) !=
			  (WF_PROT_WRITE | WF_PROT_EXEC));
		if (k)
			ck_assert_uint_ge(s->vaddr,
					  img->segs[k - 1].vaddr + img->segs[k - 1].memsz);
		if (img->entry >= s->vaddr && img->entry < s->vaddr + s->memsz)
			entry_ok = s->prot & WF_PROT_EXEC;
	}
	ck_assert(entry_ok);
	ck_assert_uint_eq(img->entry & 3, 0);
	ck_assert_uint_eq(img->lo, img->segs[0].vaddr & ~(WF_PAGE_SIZE - 1));
	ck_assert_uint_ge(img->hi,
			  img->segs[img->nsegs - 1].vaddr + img->segs[img->nsegs - 1].memsz);
	ck_assert_uint_le(img->hi, WF_ELF_VA_LIMIT);
	ck_assert_uint_eq(img->hi % WF_PAGE_SIZE, 0);
	ck_assert_uint_ge(img->max_align, WF_PAGE_SIZE);
	ck_assert_uint_eq(img->phentsize, sizeof(Elf64_Phdr));
	if (img->has_interp)
		ck_assert_uint_gt(strlen(img->interp), 0);
}

static void parse_ok(const struct img *im, struct wf_elf_image *img)
{
	struct wf_err e = {0};
	int rc = wf_elf_parse(im->buf, im->size, img, &e);
	ck_assert_msg(rc == 0, "parse: %d %s", rc, e.msg);
	ck_assert_int_eq(e.code, 0);
	check_invariants(img);
}

static uint64_t sym(const uint8_t *data, size_t size, const char *name)
{
	struct wf_err e = {0};
	uint64_t v = 0;
	int rc = wf_elf_symbol(data, size, name, &v, &e);
	ck_assert_msg(rc == 0, "symbol %s: %d %s", name, rc, e.msg);
	return v;
}

START_TEST(test_valid_exec)
{
	struct img im;
	struct wf_elf_image img;
	img_build(&im, B_EXEC, 0);
	parse_ok(&im, &img);
	ck_assert_int_eq(img.type, ET_EXEC);
	ck_assert_uint_eq(img.entry, EXEC_BASE + ENTRY_OFF);
	ck_assert_uint_eq(img.phdr_vaddr, EXEC_BASE + OFF_PHDRS);
	ck_assert_uint_eq(img.phnum, 5);
	ck_assert_uint_eq(img.lo, EXEC_BASE);
	ck_assert_uint_eq(img.hi, EXEC_BASE + 0x3000);
	ck_assert_uint_eq(img.max_align, 0x1000);
	ck_assert_uint_eq(img.nsegs, 2);
	ck_assert_uint_eq(img.segs[0].vaddr, EXEC_BASE);
	ck_assert_uint_eq(img.segs[0].offset, 0);
	ck_assert_uint_eq(img.segs[0].filesz, OFF_TEXT + TEXT_SIZE);
	ck_assert_uint_eq(img.segs[0].prot, WF_PROT_READ | WF_PROT_EXEC);
	ck_assert_uint_eq(img.segs[0].phdr, PH_TEXT);
	ck_assert_uint_eq(img.segs[1].vaddr, EXEC_BASE + VA_DATA);
	ck_assert_uint_eq(img.segs[1].offset, OFF_DATA);
	ck_assert_uint_eq(img.segs[1].filesz, 0x20);
	ck_assert_uint_eq(img.segs[1].memsz, 0x1000);
	ck_assert_uint_eq(img.segs[1].prot, WF_PROT_READ | WF_PROT_WRITE);
	ck_assert(!img.has_interp);
	ck_assert(!img.exec_stack);
	ck_assert(img.has_tls);
	ck_assert_uint_eq(img.tls_vaddr, EXEC_BASE + VA_DATA);
	ck_assert_uint_eq(img.tls_filesz, 0x10);
	ck_assert_uint_eq(img.tls_memsz, 0x40);
	ck_assert_uint_eq(img.tls_align, 16);
	ck_assert_uint_eq(sym(im.buf, im.size, "main"), EXEC_BASE + OFF_TEXT);
	ck_assert_uint_eq(sym(im.buf, im.size, "_start"), img.entry);
	ck_assert_uint_eq(sym(im.buf, im.size, "counter"), EXEC_BASE + VA_DATA + 0x10);
}
END_TEST

START_TEST(test_valid_dyn)
{
	struct img im;
	struct wf_elf_image img;
	img_build(&im, B_DYN, 0);
	parse_ok(&im, &img);
	ck_assert_int_eq(img.type, ET_DYN);
	ck_assert_uint_eq(img.entry, ENTRY_OFF);
	ck_assert_uint_eq(img.phdr_vaddr, OFF_PHDRS);
	ck_assert_uint_eq(img.phnum, 6);
	ck_assert_uint_eq(img.lo, 0);
	ck_assert_uint_eq(img.hi, 0x3000);
	ck_assert(img.has_interp);
	ck_assert_str_eq(img.interp, INTERP);
	ck_assert_uint_eq(sym(im.buf, im.size, "main"), OFF_TEXT);
}
END_TEST

/* Edge cases that must be accepted. */
START_TEST(test_accepted_edges)
{
	struct img im;
	struct wf_elf_image img;

	img_build(&im, B_EXEC, 0); /* adjacent segments: [base, base+VA_DATA) then VA_DATA */
	img_set(&im, P_MEMSZ, PH_TEXT, VA_DATA);
	parse_ok(&im, &img);

	img_build(&im, B_EXEC, 14); /* exactly WF_ELF_MAX_SEGS */
	parse_ok(&im, &img);
	ck_assert_uint_eq(img.nsegs, WF_ELF_MAX_SEGS);
	ck_assert_uint_eq(img.phnum, 19);
	ck_assert_uint_eq(img.hi, EXEC_BASE + 0x3000 + 14 * 0x1000);

	img_build(&im, B_EXEC, 0); /* section headers are not needed to run */
	img_set(&im, E_SHOFF, 0, 0x100000);
	parse_ok(&im, &img);

	img_build(&im, B_EXEC, 0); /* p_align 0 and 1; executable stack; bigger alignment */
	img_set(&im, P_ALIGN, PH_TEXT, 0);
	img_set(&im, P_ALIGN, PH_DATA, 1);
	img_set(&im, P_FLAGS, PH_STACK, PF_R | PF_W | PF_X);
	parse_ok(&im, &img);
	ck_assert(img.exec_stack);
	ck_assert_uint_eq(img.max_align, 0x1000);
	img_set(&im, P_ALIGN, PH_TEXT, 0x10000);
	parse_ok(&im, &img);
	ck_assert_uint_eq(img.max_align, 0x10000);

	img_build(&im, B_EXEC, 0); /* an empty PT_LOAD is ignored */
	img_set(&im, P_TYPE, PH_STACK, PT_LOAD);
	img_set(&im, P_ALIGN, PH_STACK, 0);
	parse_ok(&im, &img);
	ck_assert_uint_eq(img.nsegs, 2);

	img_build(&im, B_EXEC, 0); /* no PT_PHDR: AT_PHDR from the PT_LOAD covering e_phoff */
	img_set(&im, P_TYPE, PH_PHDR, PT_NULL);
	parse_ok(&im, &img);
	ck_assert_uint_eq(img.phdr_vaddr, EXEC_BASE + OFF_PHDRS);
	img_set(&im, P_OFFSET, PH_TEXT, OFF_INTERP); /* ...and none: table not mapped */
	img_set(&im, P_VADDR, PH_TEXT, EXEC_BASE + OFF_INTERP);
	img_set(&im, P_FILESZ, PH_TEXT, OFF_TEXT + TEXT_SIZE - OFF_INTERP);
	img_set(&im, P_MEMSZ, PH_TEXT, OFF_TEXT + TEXT_SIZE - OFF_INTERP);
	parse_ok(&im, &img);
	ck_assert_uint_eq(img.phdr_vaddr, 0);
	ck_assert_uint_eq(img.lo, EXEC_BASE);

	img_build(&im, B_DYN, 0); /* a path of exactly 255 characters */
	img_set(&im, P_OFFSET, PH_INTERP, im.size - WF_ELF_INTERP_MAX);
	img_set(&im, P_FILESZ, PH_INTERP, WF_ELF_INTERP_MAX);
	memset(im.buf + im.size - WF_ELF_INTERP_MAX, 'a', WF_ELF_INTERP_MAX - 1);
	im.buf[im.size - 1] = 0;
	parse_ok(&im, &img);
	ck_assert_uint_eq(strlen(img.interp), WF_ELF_INTERP_MAX - 1);
}
END_TEST

START_TEST(test_bad_arguments)
{
	struct img im;
	struct wf_elf_image img;
	struct wf_err e = {0};
	uint64_t v;
	img_build(&im, B_EXEC, 0);
	ck_assert_int_eq(wf_elf_parse(NULL, 10, &img, &e), -EINVAL);
	ck_assert_int_eq(wf_elf_parse(im.buf, im.size, NULL, &e), -EINVAL);
	ck_assert_int_eq(wf_elf_parse(im.buf, 3, &img, NULL), -ENOEXEC); /* NULL wf_err is fine */
	ck_assert_int_eq(wf_elf_symbol(im.buf, im.size, NULL, &v, &e), -EINVAL);
	ck_assert_int_eq(wf_elf_symbol(im.buf, im.size, "main", NULL, &e), -EINVAL);
}
END_TEST

START_TEST(test_symbol_errors)
{
	struct img im;
	struct wf_err e = {0};
	uint64_t v = 0;
	img_build(&im, B_EXEC, 0);
	ck_assert_int_eq(wf_elf_symbol(im.buf, im.size, "missing", &v, &e), -ENOENT);
	ck_assert_ptr_nonnull(strstr(e.msg, "symbol \"missing\" not found"));
	ck_assert_int_eq(wf_elf_symbol(im.buf, 3, "main", &v, &e), -EINVAL);
	ck_assert_ptr_nonnull(strstr(e.msg, "not a 64-bit ELF file"));

	img_set(&im, E_SHOFF, 0, 0); /* no section headers at all */
	ck_assert_int_eq(wf_elf_symbol(im.buf, im.size, "main", &v, &e), -ENOENT);
	ck_assert_ptr_nonnull(strstr(e.msg, "(no .symtab or .dynsym)"));
	img_set(&im, E_SHOFF, 0, 0x100000); /* past the end: libelf sees no sections */
	ck_assert_int_eq(wf_elf_symbol(im.buf, im.size, "main", &v, &e), -ENOENT);
	ck_assert_ptr_nonnull(strstr(e.msg, "(no .symtab or .dynsym)"));

	img_build(&im, B_EXEC, 0); /* main's st_name points past .strtab */
	Elf64_Sym s = {
	    .st_name = 0x1000, .st_info = ELF64_ST_INFO(STB_GLOBAL, STT_FUNC), .st_shndx = 2};
	img_put(&im, OFF_SYMTAB + elf64_fsize(ELF_T_SYM, 1, EV_CURRENT), ELF_T_SYM, &s);
	ck_assert_int_eq(wf_elf_symbol(im.buf, im.size, "main", &v, &e), -EINVAL);
	ck_assert_ptr_nonnull(strstr(e.msg, "symbol 1: bad st_name"));

	img_build(&im, B_EXEC, 0); /* undefined symbols do not count */
	s = (Elf64_Sym){.st_name = 1, .st_info = ELF64_ST_INFO(STB_GLOBAL, STT_FUNC)};
	img_put(&im, OFF_SYMTAB + elf64_fsize(ELF_T_SYM, 1, EV_CURRENT), ELF_T_SYM, &s);
	ck_assert_int_eq(wf_elf_symbol(im.buf, im.size, "main", &v, &e), -ENOENT);
}
END_TEST

/* libelf gets a read-only mapping: neither function may write to the input. */
START_TEST(test_readonly_input)
{
	struct img im;
	struct wf_elf_image img;
	struct wf_err e = {0};
	img_build(&im, B_DYN, 0);
	uint8_t *p =
	    mmap(NULL, MAX_IMG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ck_assert_ptr_ne(p, MAP_FAILED);
	memcpy(p, im.buf, im.size);
	ck_assert_int_eq(mprotect(p, MAX_IMG, PROT_READ), 0);
	ck_assert_int_eq(wf_elf_parse(p, im.size, &img, &e), 0);
	ck_assert_uint_eq(sym(p, im.size, "main"), OFF_TEXT);
	/* Unaligned too (libelf copies what it cannot use in place). */
	ck_assert_int_eq(mprotect(p, MAX_IMG, PROT_READ | PROT_WRITE), 0);
	memmove(p + 1, p, im.size);
	ck_assert_int_eq(mprotect(p, MAX_IMG, PROT_READ), 0);
	ck_assert_int_eq(wf_elf_parse(p + 1, im.size, &img, &e), 0);
	ck_assert_uint_eq(sym(p + 1, im.size, "main"), OFF_TEXT);
	munmap(p, MAX_IMG);
}
END_TEST

/* Every single-bit flip and every truncation: a clean verdict, never a crash or a bad image. */
START_TEST(test_mutation_sweep)
{
	static struct img base, im;
	img_build(&base, _i ? B_DYN : B_EXEC, 0);
	for (size_t n = 0; n <= base.size + 8 * base.size; n++) {
		im = base;
		if (n <= base.size)
			im.size = n;
		else
			im.buf[(n - base.size - 1) / 8] ^=
			    (uint8_t)(1u << ((n - base.size - 1) % 8));
		struct wf_elf_image img;
		struct wf_err e = {0};
		uint64_t v;
		int rc = wf_elf_parse(im.buf, im.size, &img, &e);
		ck_assert_msg(rc == 0 || (rc == -ENOEXEC && e.code == rc && e.msg[0]),
			      "mutation %zu: %d \"%s\"", n, rc, e.msg);
		if (rc == 0)
			check_invariants(&img);
		rc = wf_elf_symbol(im.buf, im.size, "main", &v, &e);
		ck_assert(rc == 0 || rc == -ENOENT || rc == -EINVAL);
	}
}
END_TEST

/* Real aarch64 programs: WF_ELF_GUESTS (from CMake; must define main) and argv (any). */
enum { MAX_GUESTS = 32 };
static const char *guests[MAX_GUESTS];
static bool guest_needs_main[MAX_GUESTS];
static int nguests;

static uint8_t *slurp(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	uint8_t *buf = NULL;
	long n = fseek(f, 0, SEEK_END) ? -1 : ftell(f);
	if (n >= 0 && !fseek(f, 0, SEEK_SET) && (buf = malloc((size_t)n + 1)) &&
	    fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	*size = (size_t)n;
	return buf;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);
	return a >= b && !strcmp(s + a - b, suffix);
}

START_TEST(test_real_guest)
{
	const char *path = guests[_i];
	size_t size;
	uint8_t *data = slurp(path, &size);
	ck_assert_msg(data, "%s: cannot read it (is the 'hello' target built?)", path);
	struct wf_elf_image img;
	struct wf_err e = {0};
	ck_assert_msg(wf_elf_parse(data, size, &img, &e) == 0, "%s: %s", path, e.msg);
	check_invariants(&img);
	ck_assert_msg(img.phdr_vaddr != 0, "%s: program headers not mapped", path);
	uint64_t v;
	int rc = wf_elf_symbol(data, size, "main", &v, &e);
	if (guest_needs_main[_i] || rc == 0) {
		ck_assert_msg(rc == 0, "%s: main: %s", path, e.msg);
		bool in_exec = false;
		for (unsigned k = 0; k < img.nsegs; k++)
			if (v >= img.segs[k].vaddr && v < img.segs[k].vaddr + img.segs[k].memsz)
				in_exec = img.segs[k].prot & WF_PROT_EXEC;
		ck_assert_msg(in_exec, "%s: main at %#llx is not in an executable segment", path,
			      (unsigned long long)v);
	}
	if (ends_with(path, ".static-pie") || ends_with(path, ".dynamic"))
		ck_assert_int_eq(img.type, ET_DYN);
	if (ends_with(path, ".gcc") || ends_with(path, ".clang") || ends_with(path, ".static-pie"))
		ck_assert(!img.has_interp);
	if (ends_with(path, ".dynamic"))
		ck_assert_msg(img.has_interp && strstr(img.interp, "ld-linux-aarch64"), "%s", path);
	free(data);
}
END_TEST

/* elf_load_test --write-corpus DIR: regenerate the seed corpus (see README.md). */
static const char *corpus_dir;

START_TEST(test_write_corpus)
{
	char path[PATH_MAX];
	static struct img im;
	for (int k = 0; k < NBAD + 2; k++) {
		const char *name = k < NBAD ? bad[k].name : k == NBAD ? "valid_exec" : "valid_dyn";
		if (k < NBAD)
			make_bad(&im, &bad[k]);
		else
			img_build(&im, k == NBAD ? B_EXEC : B_DYN, 0);
		snprintf(path, sizeof(path), "%s/%s.elf", corpus_dir, name);
		FILE *f = fopen(path, "wb");
		ck_assert_msg(f, "%s: %s", path, strerror(errno));
		ck_assert_uint_eq(fwrite(im.buf, 1, im.size, f), im.size);
		ck_assert_int_eq(fclose(f), 0);
	}
}
END_TEST

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "--write-corpus"))
		corpus_dir = argv[2];
	char *list = getenv("WF_ELF_GUESTS") ? strdup(getenv("WF_ELF_GUESTS")) : NULL;
	for (char *save = NULL, *p = list ? strtok_r(list, ":", &save) : NULL;
	     p && nguests < MAX_GUESTS; p = strtok_r(NULL, ":", &save)) {
		guest_needs_main[nguests] = true;
		guests[nguests++] = p;
	}
	for (int k = 1; k < argc && !corpus_dir && nguests < MAX_GUESTS; k++)
		guests[nguests++] = argv[k];

	Suite *s = suite_create("elf_load");
	TCase *tc = tcase_create("elf_load");
	tcase_set_timeout(tc, 60);
	if (corpus_dir) {
		tcase_add_test(tc, test_write_corpus);
	} else {
		tcase_add_loop_test(tc, test_malformed, 0, NBAD);
		tcase_add_loop_test(tc, test_stored_corpus, 0, NBAD + 2);
		tcase_add_test(tc, test_valid_exec);
		tcase_add_test(tc, test_valid_dyn);
		tcase_add_test(tc, test_accepted_edges);
		tcase_add_test(tc, test_bad_arguments);
		tcase_add_test(tc, test_symbol_errors);
		tcase_add_test(tc, test_readonly_input);
		tcase_add_loop_test(tc, test_mutation_sweep, 0, 2);
		if (nguests)
			tcase_add_loop_test(tc, test_real_guest, 0, nguests);
	}
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	free(list);
	return failed ? 1 : 0;
}
