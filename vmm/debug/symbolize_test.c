// SPDX-License-Identifier: Apache-2.0
/* symbolize_test.c: Check tests for the guest symbolizer: real aarch64 guests, hostile input. */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"
#include "debug/symbolize.h"

/* Where the static-PIE is "loaded" in the tests: nonzero and page aligned. */
static const uint64_t PIE_BIAS = 0x5500000000ull;

static const char *const MARKED[] = {"wf_symtest_alpha", "wf_symtest_beta", "main"};

/* A guest file mapped read-only, so any write by the symbolizer would fault. */
struct image {
	uint8_t *data;
	size_t size;
};

static struct image map_guest(const char *suffix)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/symtest.%s", SYMTEST_DIR, suffix);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ck_assert_msg(fd >= 0, "open %s: %s", path, strerror(errno));
	struct stat st;
	ck_assert_int_eq(fstat(fd, &st), 0);
	void *p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	ck_assert_ptr_ne(p, MAP_FAILED);
	close(fd);
	return (struct image){.data = p, .size = (size_t)st.st_size};
}

static uint8_t *copy_image(struct image im)
{
	uint8_t *c = malloc(im.size);
	ck_assert_ptr_nonnull(c);
	memcpy(c, im.data, im.size);
	return c;
}

static struct wf_symbolizer *open_guest(const char *suffix, uint64_t bias)
{
	struct image im = map_guest(suffix);
	struct wf_symbolizer *s = NULL;
	struct wf_err e = {0};
	int rc = wf_symbolizer_open(im.data, im.size, bias, &s, &e);
	ck_assert_msg(rc == 0, "open symtest.%s: %d %s", suffix, rc, e.msg);
	ck_assert_ptr_nonnull(s);
	return s; /* the mapping stays for the (forked) test's lifetime */
}

/* The lines of "MARK:<func>:begin" and "MARK:<func>:end" in symtest_guest.c. */
static void marker_lines(const char *func, int *begin, int *end)
{
	FILE *f = fopen(SYMTEST_SRC, "r");
	ck_assert_msg(f != NULL, "open %s", SYMTEST_SRC);
	char b[128], en[128], line[512];
	snprintf(b, sizeof(b), "MARK:%s:begin", func);
	snprintf(en, sizeof(en), "MARK:%s:end", func);
	*begin = *end = 0;
	for (int n = 1; fgets(line, sizeof(line), f); n++) {
		if (strstr(line, b))
			*begin = n;
		if (strstr(line, en))
			*end = n;
	}
	fclose(f);
	ck_assert_msg(*begin > 0 && *end > *begin, "markers for %s", func);
}

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');
	return s ? s + 1 : path;
}

static uint64_t address_of(struct wf_symbolizer *s, const char *name)
{
	uint64_t a = 0;
	ck_assert_msg(wf_symbol_address(s, name, &a) == 0, "no symbol %s", name);
	ck_assert_uint_ne(a, 0);
	return a;
}

/* Each marked function: found by name; its address + 8 symbolizes to it at offset 8, and with
   debug info to a line within its marked range in symtest_guest.c. */
static void check_marked(struct wf_symbolizer *s, bool debug)
{
	for (size_t i = 0; i < ARRAY_SIZE(MARKED); i++) {
		uint64_t a = address_of(s, MARKED[i]);
		struct wf_frame_info fi;
		ck_assert_int_eq(wf_symbolize(s, a + 8, &fi), 0);
		ck_assert(fi.have_func);
		ck_assert_str_eq(fi.func, MARKED[i]);
		ck_assert_uint_eq(fi.func_off, 8);
		ck_assert_int_eq(fi.have_line, debug);
		if (debug) {
			int begin, end;
			marker_lines(MARKED[i], &begin, &end);
			ck_assert_str_eq(base_name(fi.file), "symtest_guest.c");
			ck_assert_msg(fi.line >= begin && fi.line <= end,
				      "%s+8 at line %d, not %d..%d", MARKED[i], fi.line, begin,
				      end);
		} else {
			ck_assert_str_eq(fi.file, "");
			ck_assert_int_eq(fi.line, 0);
		}
		/* The entry itself is offset 0. */
		ck_assert_int_eq(wf_symbolize(s, a, &fi), 0);
		ck_assert_str_eq(fi.func, MARKED[i]);
		ck_assert_uint_eq(fi.func_off, 0);
	}
	/* alpha's last byte before beta still belongs to alpha (beta follows alpha). */
	uint64_t alpha = address_of(s, "wf_symtest_alpha"), beta = address_of(s, "wf_symtest_beta");
	if (beta > alpha) {
		struct wf_frame_info fi;
		ck_assert_int_eq(wf_symbolize(s, beta - 4, &fi), 0);
		ck_assert_str_eq(fi.func, "wf_symtest_alpha");
		ck_assert_uint_eq(fi.func_off, beta - 4 - alpha);
		/* alpha's extent reaches at least that byte, and not past beta. */
		ck_assert_uint_ge(fi.func_size, beta - 4 - alpha + 1);
		ck_assert_uint_le(fi.func_size, beta - alpha);
	}
}

START_TEST(test_gcc_debug)
{
	struct wf_symbolizer *s = open_guest("gcc", 0);
	check_marked(s, true);
	wf_symbolizer_close(s);
}
END_TEST

START_TEST(test_clang_debug)
{
	/* clang emits no .debug_aranges: CU ranges come from the CUs themselves. */
	struct wf_symbolizer *s = open_guest("clang", 0);
	check_marked(s, true);
	wf_symbolizer_close(s);
}
END_TEST

START_TEST(test_nodebug)
{
	struct wf_symbolizer *s = open_guest("nodebug.gcc", 0);
	check_marked(s, false);
	wf_symbolizer_close(s);
}
END_TEST

START_TEST(test_static_pie_bias)
{
	struct wf_symbolizer *s0 = open_guest("pie.gcc", 0);
	struct wf_symbolizer *s = open_guest("pie.gcc", PIE_BIAS);
	check_marked(s, true);
	for (size_t i = 0; i < ARRAY_SIZE(MARKED); i++)
		ck_assert_uint_eq(address_of(s, MARKED[i]), address_of(s0, MARKED[i]) + PIE_BIAS);
	/* The link-time address means nothing once the image is relocated. */
	struct wf_frame_info fi;
	uint64_t linked = address_of(s0, "wf_symtest_alpha");
	ck_assert_int_eq(wf_symbolize(s, linked + 8, &fi), -ENOENT);
	ck_assert_int_eq(wf_symbolize(s, PIE_BIAS - 4, &fi), -ENOENT);
	wf_symbolizer_close(s0);
	wf_symbolizer_close(s);
}
END_TEST

START_TEST(test_dynsym_fallback)
{
	struct wf_symbolizer *s = open_guest("dynsym.gcc", PIE_BIAS);
	check_marked(s, false);
	wf_symbolizer_close(s);
}
END_TEST

/* What the line walk saw: rows in symtest_guest.c, inside alpha's marked lines, in order. */
struct walk {
	struct wf_symbolizer *s;
	unsigned rows, in_alpha, mismatched;
	int alpha_begin, alpha_end;
	int stop_after;
};

static int walk_row(void *ctx, uint64_t pc, const char *file, int line)
{
	struct walk *w = ctx;
	w->rows++;
	if (strcmp(base_name(file), "symtest_guest.c"))
		return 0;
	/* Each row's pc symbolizes back to the same file and line. */
	struct wf_frame_info fi;
	if (wf_symbolize(w->s, pc, &fi) || !fi.have_line || fi.line != line ||
	    strcmp(fi.file, file))
		w->mismatched++;
	if (line >= w->alpha_begin && line <= w->alpha_end && !strcmp(fi.func, "wf_symtest_alpha"))
		w->in_alpha++;
	return w->stop_after && (int)w->rows == w->stop_after ? 77 : 0;
}

START_TEST(test_each_line)
{
	static const char *const kinds[] = {"gcc", "clang"};
	const char *kind = kinds[_i];
	for (int biased = 0; biased < 2; biased++) {
		struct wf_symbolizer *s =
			biased ? open_guest("pie.gcc", PIE_BIAS) : open_guest(kind, 0);
		struct walk w = {.s = s};
		marker_lines("wf_symtest_alpha", &w.alpha_begin, &w.alpha_end);
		ck_assert_int_eq(wf_symbolize_each_line(s, walk_row, &w), 0);
		ck_assert_uint_gt(w.rows, 0);
		ck_assert_uint_gt(w.in_alpha, 0);
		ck_assert_uint_eq(w.mismatched, 0);
		/* A non-zero return stops the walk and comes back. */
		struct walk stop = w;
		stop.rows = 0;
		stop.stop_after = 3;
		ck_assert_int_eq(wf_symbolize_each_line(s, walk_row, &stop), 77);
		ck_assert_uint_eq(stop.rows, 3);
		wf_symbolizer_close(s);
	}
	/* No DWARF: nothing to walk. */
	struct wf_symbolizer *s = open_guest("nodebug.gcc", 0);
	struct walk w = {.s = s};
	ck_assert_int_eq(wf_symbolize_each_line(s, walk_row, &w), -ENOENT);
	ck_assert_uint_eq(w.rows, 0);
	ck_assert_int_eq(wf_symbolize_each_line(NULL, walk_row, &w), -EINVAL);
	ck_assert_int_eq(wf_symbolize_each_line(s, NULL, &w), -EINVAL);
	wf_symbolizer_close(s);
}
END_TEST

START_TEST(test_unknown)
{
	struct wf_symbolizer *s = open_guest("gcc", 0);
	struct wf_frame_info fi, zero;
	memset(&zero, 0, sizeof(zero));
	memset(&fi, 0xa5, sizeof(fi));
	ck_assert_int_eq(wf_symbolize(s, 0, &fi), -ENOENT);
	ck_assert_int_eq(memcmp(&fi, &zero, sizeof(fi)), 0);
	memset(&fi, 0xa5, sizeof(fi));
	ck_assert_int_eq(wf_symbolize(s, UINT64_MAX, &fi), -ENOENT);
	ck_assert_int_eq(memcmp(&fi, &zero, sizeof(fi)), 0);

	uint64_t a = 1234;
	ck_assert_int_eq(wf_symbol_address(s, "wf_symtest_no_such_function", &a), -ENOENT);
	ck_assert_int_eq(wf_symbol_address(s, "", &a), -ENOENT);
	ck_assert_uint_eq(a, 1234);
	/* Data symbols resolve by name too, but never name a pc. */
	uint64_t sink = address_of(s, "wf_symtest_sink");
	if (wf_symbolize(s, sink, &fi) == 0)
		ck_assert_str_ne(fi.func, "wf_symtest_sink");

	ck_assert_int_eq(wf_symbolize(NULL, 0, &fi), -EINVAL);
	ck_assert_int_eq(wf_symbolize(s, 0, NULL), -EINVAL);
	ck_assert_int_eq(wf_symbol_address(s, NULL, &a), -EINVAL);
	ck_assert_int_eq(wf_symbol_address(s, "main", NULL), -EINVAL);
	wf_symbolizer_close(s);
	wf_symbolizer_close(NULL);
}
END_TEST

START_TEST(test_many_lookups)
{
	/* Every pc from alpha to the end of main resolves to one of the three in order; this also
	   exercises the cached line tables on repeated use. */
	struct wf_symbolizer *s = open_guest("clang", 0);
	uint64_t lo = address_of(s, "wf_symtest_alpha");
	uint64_t main_at = address_of(s, "main");
	ck_assert_uint_gt(main_at, lo);
	int last = 0;
	for (int round = 0; round < 200; round++) {
		for (uint64_t pc = lo; pc < main_at + 16; pc += 4) {
			struct wf_frame_info fi;
			ck_assert_int_eq(wf_symbolize(s, pc, &fi), 0);
			int which = -1;
			for (int i = 0; i < 3; i++)
				if (strcmp(fi.func, MARKED[i]) == 0)
					which = i;
			ck_assert_msg(which >= last, "pc %#" PRIx64 " in %s", pc, fi.func);
			ck_assert_msg(fi.have_line, "pc %#" PRIx64 " (%s+%#" PRIx64 ") has no line",
				      pc, fi.func, fi.func_off);
			last = which;
		}
		last = 0;
	}
	wf_symbolizer_close(s);
}
END_TEST

static void expect_open_error(const uint8_t *data, size_t size, uint64_t bias, int code)
{
	struct wf_symbolizer *s = (struct wf_symbolizer *)&s; /* must be cleared */
	struct wf_err e = {0};
	int rc = wf_symbolizer_open(data, size, bias, &s, &e);
	ck_assert_msg(rc == code, "size %zu: got %d (%s), want %d", size, rc, e.msg, code);
	ck_assert_ptr_null(s);
	ck_assert_int_eq(e.code, code);
	ck_assert(e.msg[0] != '\0');
}

static uint64_t xorshift(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

START_TEST(test_garbage)
{
	uint64_t r = 0x9e3779b97f4a7c15ull;
	static const size_t sizes[] = {1, 4, 16, 63, 64, 65, 4096, 65536};
	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
		uint8_t *b = malloc(sizes[i]);
		ck_assert_ptr_nonnull(b);
		for (size_t k = 0; k < sizes[i]; k++)
			b[k] = (uint8_t)xorshift(&r);
		expect_open_error(b, sizes[i], 0, -ENOEXEC);
		/* The same bytes behind a valid aarch64 ELF64 identification. */
		if (sizes[i] >= 64) {
			struct image im = map_guest("gcc");
			memcpy(b, im.data, 20);
			expect_open_error(b, sizes[i], 0, -ENOEXEC);
		}
		free(b);
	}

	struct wf_symbolizer *s = NULL;
	struct wf_err e = {0};
	ck_assert_int_eq(wf_symbolizer_open(NULL, 100, 0, &s, &e), -EINVAL);
	uint8_t one = 0;
	ck_assert_int_eq(wf_symbolizer_open(&one, 0, 0, &s, &e), -EINVAL);
	ck_assert_int_eq(wf_symbolizer_open(&one, 1, 0, NULL, &e), -EINVAL);
	ck_assert_int_eq(wf_symbolizer_open(&one, 1, 0, &s, NULL), -ENOEXEC);
}
END_TEST

START_TEST(test_truncated)
{
	static const char *const guests[] = {"gcc", "clang", "pie.gcc"};
	for (size_t g = 0; g < ARRAY_SIZE(guests); g++) {
		struct image im = map_guest(guests[g]);
		static const size_t fixed[] = {1, 4, 16, 52, 63, 64, 65, 120, 4096};
		for (size_t i = 0; i < ARRAY_SIZE(fixed); i++)
			expect_open_error(im.data, fixed[i], 0, -ENOEXEC);
		/* Anywhere in the file: section headers or contents end up outside. */
		for (size_t len = 1; len < im.size; len += 4093)
			expect_open_error(im.data, len, 0, -ENOEXEC);
		expect_open_error(im.data, im.size / 2, 0, -ENOEXEC);
		expect_open_error(im.data, im.size - 1, 0, -ENOEXEC);
	}
}
END_TEST

START_TEST(test_wrong_kind)
{
	struct image im = map_guest("gcc");
	uint8_t *c = copy_image(im);
	/* e_machine (offset 18) = EM_X86_64 */
	c[18] = 62;
	c[19] = 0;
	expect_open_error(c, im.size, 0, -ENOEXEC);
	memcpy(c, im.data, 20);
	/* e_type (offset 16) = ET_REL */
	c[16] = 1;
	expect_open_error(c, im.size, 0, -ENOEXEC);
	memcpy(c, im.data, 20);
	/* ELFCLASS32 */
	c[4] = 1;
	expect_open_error(c, im.size, 0, -ENOEXEC);
	memcpy(c, im.data, 20);
	/* An ET_EXEC image cannot be moved. */
	expect_open_error(c, im.size, PIE_BIAS, -EINVAL);
	/* The restored copy is fine; an unaligned copy too (libelf converts what it must). */
	struct wf_symbolizer *s = NULL;
	struct wf_err e = {0};
	ck_assert_int_eq(wf_symbolizer_open(c, im.size, 0, &s, &e), 0);
	wf_symbolizer_close(s);
	uint8_t *u = malloc(im.size + 1);
	ck_assert_ptr_nonnull(u);
	memcpy(u + 1, im.data, im.size);
	ck_assert_int_eq(wf_symbolizer_open(u + 1, im.size, 0, &s, &e), 0);
	check_marked(s, true);
	wf_symbolizer_close(s);
	free(u);
	free(c);
}
END_TEST

/* Flip random bytes (in the headers, the section header table, the symbol and debug sections,
   or anywhere) and use whatever opens: errors are fine, crashes are not. */
START_TEST(test_mutations)
{
	static const char *const guests[] = {"gcc", "clang"};
	uint64_t r = 0x243f6a8885a308d3ull + (uint64_t)_i;
	struct image im = map_guest(guests[_i]);
	uint8_t *c = copy_image(im);
	uint64_t shoff;
	memcpy(&shoff, im.data + 0x28, sizeof(shoff));
	ck_assert_uint_lt(shoff, im.size);
	/* The symbol table and DWARF sit after the loadable contents: the last ~30%. */
	size_t tail = im.size - im.size * 7 / 10;
	int opened = 0;
	for (int iter = 0; iter < 400; iter++) {
		int flips = 1 + (int)(xorshift(&r) % 8);
		size_t where[8];
		for (int k = 0; k < flips; k++) {
			uint64_t x = xorshift(&r);
			size_t off;
			switch (x % 4) {
			case 0:
				off = (x >> 8) % 512;
				break;
			case 1:
				off = shoff + (x >> 8) % (im.size - shoff);
				break;
			case 2:
				off = im.size - tail + (x >> 8) % tail;
				break;
			default:
				off = (x >> 8) % im.size;
				break;
			}
			where[k] = off;
			c[off] ^= (uint8_t)(1u << ((x >> 4) % 8));
		}
		struct wf_symbolizer *s = NULL;
		struct wf_err e = {0};
		int rc = wf_symbolizer_open(c, im.size, 0, &s, &e);
		if (rc == 0) {
			opened++;
			uint64_t a = 0;
			struct wf_frame_info fi;
			char line[512];
			for (size_t i = 0; i < ARRAY_SIZE(MARKED); i++) {
				if (wf_symbol_address(s, MARKED[i], &a) != 0)
					continue;
				for (uint64_t d = 0; d < 64; d += 4) {
					wf_symbolize(s, a + d, &fi);
					wf_format_frame(line, sizeof(line), 0, a + d, &fi);
				}
			}
			for (int k = 0; k < 32; k++)
				wf_symbolize(s, 0x400000 + xorshift(&r) % 0x100000, &fi);
			wf_symbolizer_close(s);
		} else {
			ck_assert_int_lt(rc, 0);
			ck_assert_int_eq(e.code, rc);
		}
		for (int k = 0; k < flips; k++)
			c[where[k]] = im.data[where[k]];
	}
	ck_assert_int_gt(opened, 0);
	free(c);
}
END_TEST

START_TEST(test_format)
{
	char buf[512];
	struct wf_frame_info fi = {
	    .have_func = true, .func_off = 0x8, .have_line = true, .line = 42};
	strcpy(fi.func, "main");
	strcpy(fi.file, "/src/guest.c");
	wf_format_frame(buf, sizeof(buf), 3, 0x400abc, &fi);
	ck_assert_str_eq(buf, "#3 0x400abc in main+0x8 /src/guest.c:42");

	fi.have_line = false;
	fi.func_off = 0;
	wf_format_frame(buf, sizeof(buf), 0, 0x1000, &fi);
	ck_assert_str_eq(buf, "#0 0x1000 in main+0x0");

	fi.have_func = false;
	fi.have_line = true;
	fi.line = 7;
	wf_format_frame(buf, sizeof(buf), 2, 0x10, &fi);
	ck_assert_str_eq(buf, "#2 0x10 (<unknown>) /src/guest.c:7");

	fi.have_line = false;
	wf_format_frame(buf, sizeof(buf), 12, UINT64_MAX, &fi);
	ck_assert_str_eq(buf, "#12 0xffffffffffffffff (<unknown>)");
	wf_format_frame(buf, sizeof(buf), 1, 0, NULL);
	ck_assert_str_eq(buf, "#1 0x0 (<unknown>)");

	/* Truncation always leaves a terminated prefix; n == 0 writes nothing. */
	fi.have_func = fi.have_line = true;
	wf_format_frame(buf, 8, 3, 0x400abc, &fi);
	ck_assert_str_eq(buf, "#3 0x40");
	char small[40];
	wf_format_frame(small, sizeof(small), 3, 0x400abc, &fi);
	ck_assert_str_eq(small, "#3 0x400abc in main+0x0 /src/guest.c:7");
	wf_format_frame(small, 30, 3, 0x400abc, &fi);
	ck_assert_str_eq(small, "#3 0x400abc in main+0x0 /src/");
	buf[0] = 'x';
	wf_format_frame(buf, 1, 3, 0x400abc, &fi);
	ck_assert_str_eq(buf, "");
	buf[0] = 'x';
	wf_format_frame(buf, 0, 3, 0x400abc, &fi);
	ck_assert_int_eq(buf[0], 'x');
	wf_format_frame(NULL, 0, 3, 0x400abc, &fi);

	/* Unterminated caller strings are bounded by their arrays. */
	memset(fi.func, 'A', sizeof(fi.func));
	memset(fi.file, 'B', sizeof(fi.file));
	wf_format_frame(buf, sizeof(buf), 0, 0x1, &fi);
	ck_assert_uint_eq(strlen(buf), strlen("#0 0x1 in +0x0 :7") + 128 + 256);
}
END_TEST

START_TEST(test_format_real_frame)
{
	struct wf_symbolizer *s = open_guest("pie.gcc", PIE_BIAS);
	uint64_t beta = address_of(s, "wf_symtest_beta");
	struct wf_frame_info fi;
	ck_assert_int_eq(wf_symbolize(s, beta + 8, &fi), 0);
	char want[512], got[512];
	snprintf(want, sizeof(want), "#1 0x%" PRIx64 " in wf_symtest_beta+0x8 %s:%d", beta + 8,
		 fi.file, fi.line);
	wf_format_frame(got, sizeof(got), 1, beta + 8, &fi);
	ck_assert_str_eq(got, want);
	ck_assert_ptr_nonnull(strstr(got, "symtest_guest.c:"));
	wf_symbolizer_close(s);
}
END_TEST

static Suite *symbolize_suite(void)
{
	Suite *s = suite_create("symbolize");
	TCase *tc = tcase_create("core");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_gcc_debug);
	tcase_add_test(tc, test_clang_debug);
	tcase_add_test(tc, test_nodebug);
	tcase_add_test(tc, test_static_pie_bias);
	tcase_add_test(tc, test_dynsym_fallback);
	tcase_add_test(tc, test_unknown);
	tcase_add_loop_test(tc, test_each_line, 0, 2);
	tcase_add_test(tc, test_many_lookups);
	tcase_add_test(tc, test_garbage);
	tcase_add_test(tc, test_truncated);
	tcase_add_test(tc, test_wrong_kind);
	tcase_add_loop_test(tc, test_mutations, 0, 2);
	tcase_add_test(tc, test_format);
	tcase_add_test(tc, test_format_real_frame);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(symbolize_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
