// SPDX-License-Identifier: Apache-2.0
/* filemap_test.c: Check tests, in the ARM64 machine: file mappings are served from the host file and survive fork and reset; shared ones write it. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"
#include "vm.h"
#include "vm_internal.h" /* the fork's and the master's RAM, to compare them */
#include "check_main.h"

#define FILE_SIZE (300 * WF_PAGE_SIZE + 1234) /* a partial last page */
#define FILE_PAGES 301
#define TAIL_PAGES 2                  /* as filemap_test_guest.c maps */

static char dir[] = "/tmp/filemap_test.XXXXXX";
static char path[256], small[256];
static uint8_t *content; /* the file's bytes, then zeros to the end of the guest's mapping */
static size_t map_len;
static struct wf_err err;

static void write_file(const char *p, size_t size)
{
	FILE *f = fopen(p, "wb");
	ck_assert_ptr_nonnull(f);
	for (size_t i = 0; i < size; i++)
		fputc((int)((i * 2654435761u) >> 13) & 0xff, f);
	ck_assert_int_eq(fclose(f), 0);
}

static void setup(void)
{
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/data", dir);
	snprintf(small, sizeof(small), "%s/small", dir);
	write_file(path, FILE_SIZE);
	write_file(small, 5000);
	map_len = FILE_PAGES * WF_PAGE_SIZE + TAIL_PAGES * WF_PAGE_SIZE;
	content = calloc(1, map_len);
	FILE *f = fopen(path, "rb");
	ck_assert_uint_eq(fread(content, 1, FILE_SIZE, f), FILE_SIZE);
	fclose(f);
}

static void teardown(void)
{
	unlink(path);
	unlink(small);
	rmdir(dir);
	free(content);
}

static uint64_t fnv(const uint8_t *b, size_t n)
{
	uint64_t h = 14695981039346656037ull;
	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 1099511628211ull;
	return h;
}

/* Host mappings of `p` in this process (/proc/self/maps lines naming it). */
static int host_maps(const char *p)
{
	FILE *f = fopen("/proc/self/maps", "r");
	ck_assert_ptr_nonnull(f);
	char line[1024];
	int n = 0;
	while (fgets(line, sizeof(line), f))
		n += strstr(line, p) != NULL;
	fclose(f);
	return n;
}

/* A master whose guest mapped `file` read-only before its ready point. */
static struct wf_vm *master_with(const char *file, bool writable_dir, char *extra)
{
	struct wf_vm *m;
	struct wf_vm_config cfg = {.mem_size = 64 << 20};
	ck_assert_msg(wf_vm_create(&cfg, &m, &err) == 0, "%s", err.msg);
	ck_assert_msg(wf_vm_allow(m, dir, writable_dir, &err) == 0, "%s", err.msg);
	char *argv[] = {FILEMAP_TEST_GUEST, (char *)file, extra, NULL};
	char *envp[] = {NULL};
	ck_assert_msg(wf_vm_load(m, FILEMAP_TEST_GUEST, extra ? 3 : 2, argv, envp, &err) == 0, "%s",
		      err.msg);
	struct wf_result r;
	wf_vm_run(m, &r);
	ck_assert_msg(r.reason == WF_STOP_READY, "reason %d: %s", r.reason, r.msg);
	ck_assert_msg(wf_vm_make_master(m, &err) == 0, "%s", err.msg);
	return m;
}

static struct wf_vm *master_for(const char *file, bool writable_dir)
{
	return master_with(file, writable_dir, NULL);
}

static struct wf_vm *fork_of(struct wf_vm *m)
{
	struct wf_vm *f;
	ck_assert_msg(wf_vm_fork(m, &f, &err) == 0, "%s", err.msg);
	return f;
}

static long call(struct wf_vm *f, const char *fn, unsigned n, uint64_t a0, uint64_t a1)
{
	uint64_t a, args[2] = {a0, a1};
	ck_assert_msg(wf_vm_symbol(f, fn, &a, &err) == 0, "%s", err.msg);
	struct wf_result r;
	wf_vm_call(f, a, args, n, 30, &r);
	ck_assert_msg(r.reason == WF_STOP_RETURN, "%s: reason %d: %s", fn, r.reason, r.msg);
	return (long)r.value;
}

static void reset(struct wf_vm *f)
{
	ck_assert_msg(wf_vm_reset(f, &err) == 0, "%s", err.msg);
}

/* The fork's view of the guest's mapping: `hash` from the guest, its pages from the host. */
static void assert_mapping(struct wf_vm *f, struct wf_vm *m, uint64_t map, uint64_t hash,
			   const uint8_t *want)
{
	ck_assert_uint_eq(hash, fnv(want, map_len));
	ck_assert_int_eq(memcmp(f->ram + map, want, map_len), 0);
	ck_assert_int_eq(memcmp(m->ram + map, content, map_len), 0); /* the master: untouched */
}

/* The guest's hash of its whole mapping, as one input. */
static uint64_t guest_hash(struct wf_vm *f, uint64_t map)
{
	reset(f);
	uint64_t h = (uint64_t)call(f, "fm_hash", 2, map, map_len);
	reset(f);
	return h;
}

static uint64_t guest_map(struct wf_vm *f)
{
	reset(f);
	uint64_t map = (uint64_t)call(f, "fm_map", 0, 0, 0);
	reset(f);
	ck_assert_uint_eq((uint64_t)call(f, "fm_len", 0, 0, 0), map_len);
	reset(f);
	return map;
}

START_TEST(test_served_from_the_file)
{
	int before = host_maps(path);
	struct wf_vm *m = master_for(path, false);
	/* The master's guest pages are the host file's pages: no copy in guest RAM. */
	ck_assert_uint_eq(wf_vm_file_pages(m), FILE_PAGES);
	ck_assert_int_gt(host_maps(path), before);
	int in_master = host_maps(path);
	struct wf_vm *f = fork_of(m);
	ck_assert_uint_eq(wf_vm_file_pages(f), FILE_PAGES);
	ck_assert_int_gt(host_maps(path), in_master);
	uint64_t map = guest_map(f);
	/* Contents, the partial last page and the zero pages past the end of the file. */
	assert_mapping(f, m, map, guest_hash(f, map), content);
	wf_vm_destroy(f);
	ck_assert_int_eq(host_maps(path), in_master);
	wf_vm_destroy(m);
	ck_assert_int_eq(host_maps(path), before);
}
END_TEST

START_TEST(test_write_then_reset)
{
	struct wf_vm *m = master_for(path, false);
	struct wf_vm *f = fork_of(m);
	uint64_t map = guest_map(f);
	uint8_t *want = malloc(map_len);
	for (int round = 0; round < 2; round++) {
		long at = round ? 299 * WF_PAGE_SIZE + 17 : 5 * WF_PAGE_SIZE + 3;
		/* mprotect(PROT_WRITE) turns that page into RAM with the file's bytes. */
		uint64_t h = (uint64_t)call(f, "fm_write", 2, (uint64_t)at, 0x77);
		ck_assert_uint_eq(wf_vm_file_pages(f), FILE_PAGES - 1);
		memcpy(want, content, map_len);
		want[at] = 0x77;
		assert_mapping(f, m, map, h, want);
		reset(f);
		ck_assert_int_eq(memcmp(f->ram + map, content, map_len), 0);
		ck_assert_uint_eq(wf_vm_file_pages(f), FILE_PAGES);
		assert_mapping(f, m, map, guest_hash(f, map), content);
	}
	free(want);
	wf_vm_destroy(f);
	wf_vm_destroy(m);
}
END_TEST

START_TEST(test_anonymous_over_it_then_reset)
{
	struct wf_vm *m = master_for(path, false);
	struct wf_vm *f = fork_of(m);
	struct wf_vm *sibling = fork_of(m);
	uint64_t map = guest_map(f);
	/* 20 pages: over the threshold where a fork's zeroing drops to the master's pages. */
	uint64_t h = (uint64_t)call(f, "fm_anon", 2, 2 * WF_PAGE_SIZE, 20);
	uint8_t *want = malloc(map_len);
	memcpy(want, content, map_len);
	memset(want + 2 * WF_PAGE_SIZE, 0, 20 * WF_PAGE_SIZE);
	assert_mapping(f, m, map, h, want);
	ck_assert_uint_eq(wf_vm_file_pages(f), FILE_PAGES - 20);
	reset(f);
	ck_assert_uint_eq(wf_vm_file_pages(f), FILE_PAGES);
	assert_mapping(f, m, map, guest_hash(f, map), content);
	assert_mapping(sibling, m, map, guest_hash(sibling, map), content);
	free(want);
	wf_vm_destroy(sibling);
	wf_vm_destroy(f);
	wf_vm_destroy(m);
}
END_TEST

START_TEST(test_fork_own_mapping_gone_after_reset)
{
	struct wf_vm *m = master_for(path, false);
	struct wf_vm *f = fork_of(m);
	int in_fork = host_maps(path);
	uint64_t off = 10 * WF_PAGE_SIZE;
	uint64_t at = (uint64_t)call(f, "fm_map_again", 1, off, 0);
	ck_assert_uint_ne(at, (uint64_t)-1);
	ck_assert_uint_eq(wf_vm_file_pages(f), 2 * FILE_PAGES - 10);
	ck_assert_int_gt(host_maps(path), in_fork);
	ck_assert_int_eq(memcmp(f->ram + at, content + off, map_len - off), 0);
	reset(f);
	ck_assert_uint_eq(wf_vm_file_pages(f), FILE_PAGES);
	ck_assert_int_eq(host_maps(path), in_fork);
	/* Where it was, the master's pages are back. */
	ck_assert_int_eq(memcmp(f->ram + at, m->ram + at, map_len - off), 0);
	uint64_t map = guest_map(f);
	assert_mapping(f, m, map, guest_hash(f, map), content);
	wf_vm_destroy(f);
	wf_vm_destroy(m);
}
END_TEST

START_TEST(test_written_before_the_ready_point)
{
	/* The master's map splits around the written page; both halves come back in forks. */
	struct wf_vm *m = master_with(path, false, "split");
	ck_assert_uint_eq(wf_vm_file_pages(m), FILE_PAGES - 1);
	struct wf_vm *f = fork_of(m);
	uint64_t map = guest_map(f);
	uint8_t *want = malloc(map_len);
	memcpy(want, content, map_len);
	want[7 * WF_PAGE_SIZE + 5] = 0x55;
	ck_assert_uint_eq(guest_hash(f, map), fnv(want, map_len));
	ck_assert_int_eq(memcmp(m->ram + map, want, map_len), 0);
	uint64_t h = (uint64_t)call(f, "fm_write", 2, 100 * WF_PAGE_SIZE, 0x66);
	want[100 * WF_PAGE_SIZE] = 0x66;
	ck_assert_uint_eq(h, fnv(want, map_len));
	reset(f);
	want[100 * WF_PAGE_SIZE] = content[100 * WF_PAGE_SIZE];
	ck_assert_uint_eq(guest_hash(f, map), fnv(want, map_len));
	ck_assert_uint_eq(wf_vm_file_pages(f), FILE_PAGES - 1);
	free(want);
	wf_vm_destroy(f);
	wf_vm_destroy(m);
}
END_TEST

START_TEST(test_copied_when_not_stable_or_small)
{
	/* Under a writable directory the guest could shrink the file under a host mapping
	 * (SIGBUS in the VMM): such files are copied. */
	struct wf_vm *m = master_for(path, true);
	ck_assert_uint_eq(wf_vm_file_pages(m), 0);
	struct wf_vm *f = fork_of(m);
	uint64_t map = guest_map(f);
	assert_mapping(f, m, map, guest_hash(f, map), content);
	wf_vm_destroy(f);
	wf_vm_destroy(m);
	/* A small file is copied: a host mapping would cost more. */
	m = master_for(small, false);
	ck_assert_uint_eq(wf_vm_file_pages(m), 0);
	wf_vm_destroy(m);
}
END_TEST

/* Byte i of the file on the host. */
static int file_byte(const char *p, long i)
{
	FILE *fp = fopen(p, "rb");
	ck_assert_ptr_nonnull(fp);
	ck_assert_int_eq(fseek(fp, i, SEEK_SET), 0);
	int c = fgetc(fp);
	fclose(fp);
	return c;
}

START_TEST(test_fork_own_shared_map_writes_the_file)
{
	struct wf_vm *m = master_for(path, true);
	struct wf_vm *f = fork_of(m);
	int before = host_maps(path);
	uint64_t at = (uint64_t)call(f, "fm_shared", 1, 0x42, 0);
	ck_assert_uint_ne(at, (uint64_t)-1);
	/* The guest's store is in the file itself, which the fork maps. */
	ck_assert_int_eq(file_byte(path, 1), 0x42);
	ck_assert_int_eq(f->ram[at + 1], 0x42);
	ck_assert_int_eq(host_maps(path), before + 1);
	/* The reset drops the fork's own map and its file; the file keeps what was written. */
	reset(f);
	ck_assert_int_eq(host_maps(path), before);
	ck_assert_int_eq(file_byte(path, 1), 0x42);
	ck_assert_int_eq(memcmp(f->ram + at, m->ram + at, WF_PAGE_SIZE), 0);
	wf_vm_destroy(f);
	wf_vm_destroy(m);
}
END_TEST

START_TEST(test_master_shared_map_becomes_a_copy)
{
	int before = host_maps(path);
	struct wf_vm *m = master_with(path, true, "shared");
	ck_assert_int_eq(file_byte(path, 1), 0x5a);
	/* The master is never written: its shared map is RAM now, and no fork reaches the file. */
	ck_assert_int_eq(host_maps(path), before);
	ck_assert_uint_eq(wf_vm_file_pages(m), 0);
	struct wf_vm *f = fork_of(m);
	call(f, "fm_poke_shared", 2, 1, 0x11);
	ck_assert_int_eq(file_byte(path, 1), 0x5a);
	reset(f);
	call(f, "fm_poke_shared", 2, 1, 0x22);
	ck_assert_int_eq(file_byte(path, 1), 0x5a);
	wf_vm_destroy(f);
	wf_vm_destroy(m);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("filemap");
	TCase *tc = tcase_create("filemap");
	tcase_set_timeout(tc, 300);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_served_from_the_file);
	tcase_add_test(tc, test_write_then_reset);
	tcase_add_test(tc, test_anonymous_over_it_then_reset);
	tcase_add_test(tc, test_fork_own_mapping_gone_after_reset);
	tcase_add_test(tc, test_written_before_the_ready_point);
	tcase_add_test(tc, test_copied_when_not_stable_or_small);
	tcase_add_test(tc, test_fork_own_shared_map_writes_the_file);
	tcase_add_test(tc, test_master_shared_map_becomes_a_copy);
	suite_add_tcase(s, tc);
	return wf_check_run(s);
}
