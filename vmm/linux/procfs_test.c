// SPDX-License-Identifier: Apache-2.0
/* procfs_test.c: Check tests for the guest's /proc/self and /proc/PID: maps in the kernel's format, cmdline, environ, exe, stat, status, comm. */
#include <check.h>
#include <fcntl.h>

#include "linux/ptable.h"
#include "linux/testproc.h"
#include "check_main.h"

enum { AT_CWD = -100, O_RD = 0, O_WR = 1 };

static struct tp *t;

static void setup(void)
{
	t = tp_new(0, 0);
	ck_assert_ptr_nonnull(t);
	t->p.pid = 4242;
}

static void teardown(void)
{
	tp_delete(t);
}

/* The whole file at guest path `path`, read through openat/read, into out (NUL-ended). */
static int64_t slurp(const char *path, char *out, size_t cap)
{
	int64_t fd = TP_CALL(t, WF_NR_openat, AT_CWD, tp_str(t, path), O_RD, 0);
	if (fd < 0)
		return fd;
	wf_gaddr_t buf = tp_alloc(t, cap);
	size_t n = 0;
	int64_t r;
	while ((r = TP_CALL(t, WF_NR_read, fd, buf + n, cap - 1 - n)) > 0)
		n += (size_t)r;
	ck_assert_int_ge(r, 0);
	memcpy(out, tp_host(t, buf), n);
	out[n] = 0;
	ck_assert_int_eq(TP_CALL(t, WF_NR_close, fd), 0);
	return (int64_t)n;
}

static void add_vma(wf_gaddr_t start, wf_gaddr_t end, unsigned prot, int flags)
{
	struct wf_proc *p = &t->p;
	p->vmas = realloc(p->vmas, (p->nvmas + 1) * sizeof(*p->vmas));
	ck_assert_ptr_nonnull(p->vmas);
	p->vmas[p->nvmas++] = (struct wf_vma){.start = start, .end = end, .prot = prot, .flags = flags};
	p->cap_vmas = p->nvmas;
}

START_TEST(test_maps)
{
	add_vma(0x400000, 0x401000, WF_PROT_READ | WF_PROT_EXEC, 0x02);
	add_vma(0x410000, 0x413000, WF_PROT_READ | WF_PROT_WRITE, 0x22);
	add_vma(0x7ffe0000, 0x7fff0000, WF_PROT_READ | WF_PROT_WRITE, 0x20122);
	add_vma(0x7fff1000, 0x7fff2000, 0, 0x01);
	t->p.brk_start = 0x410000;
	t->p.brk_cur = 0x412000;
	char text[4096];
	ck_assert_int_gt(slurp("/proc/self/maps", text, sizeof(text)), 0);
	/* show_map_vma's layout: the name (if any) starts at column 73. */
	const char *want =
		"00400000-00401000 r-xp 00000000 00:00 0 \n"
		"00410000-00413000 rw-p 00000000 00:00 0                                  [heap]\n"
		"7ffe0000-7fff0000 rw-p 00000000 00:00 0                                  [stack]\n"
		"7fff1000-7fff2000 ---s 00000000 00:00 0 \n";
	ck_assert_str_eq(text, want);
	/* The same through our own pid; nobody else's. */
	char again[4096];
	ck_assert_int_gt(slurp("/proc/4242/maps", again, sizeof(again)), 0);
	ck_assert_str_eq(again, want);
	ck_assert_int_eq(slurp("/proc/1/maps", again, sizeof(again)), -ENOENT);
	ck_assert_int_eq(slurp("/proc/self/../self/maps", again, sizeof(again)), (int64_t)strlen(want));
}
END_TEST

START_TEST(test_cmdline_environ)
{
	const char strings[] = "prog\0-x\0A=1\0B=two";
	wf_gaddr_t at = tp_bytes(t, strings, sizeof(strings));
	t->p.arg_start = at;
	t->p.arg_end = at + 8;
	t->p.env_start = at + 8;
	t->p.env_end = at + sizeof(strings);
	char text[256];
	ck_assert_int_eq(slurp("/proc/self/cmdline", text, sizeof(text)), 8);
	ck_assert_int_eq(memcmp(text, "prog\0-x\0", 8), 0);
	ck_assert_int_eq(slurp("/proc/self/environ", text, sizeof(text)), 10);
	ck_assert_int_eq(memcmp(text, "A=1\0B=two\0", 10), 0);
	/* The guest changed its argv in place: cmdline follows, as the kernel's does. */
	memcpy(tp_host(t, at), "PROG", 4);
	ck_assert_int_eq(slurp("/proc/self/cmdline", text, sizeof(text)), 8);
	ck_assert_int_eq(memcmp(text, "PROG", 4), 0);
	/* Strings no longer in guest memory read as empty. */
	t->p.arg_start = 0x10;
	t->p.arg_end = 0x20;
	ck_assert_int_eq(slurp("/proc/self/cmdline", text, sizeof(text)), 0);
}
END_TEST

START_TEST(test_exe_and_errors)
{
	strcpy(t->p.exe, "/usr/bin/prog");
	wf_gaddr_t buf = tp_alloc(t, 64);
	ck_assert_int_eq(TP_CALL(t, WF_NR_readlinkat, AT_CWD, tp_str(t, "/proc/self/exe"), buf, 64),
			 13);
	ck_assert_int_eq(memcmp(tp_host(t, buf), "/usr/bin/prog", 13), 0);
	ck_assert_int_eq(TP_CALL(t, WF_NR_readlinkat, AT_CWD, tp_str(t, "/proc/self/exe"), buf, 4), 4);
	ck_assert_int_eq(TP_CALL(t, WF_NR_readlinkat, AT_CWD, tp_str(t, "/proc/self/maps"), buf, 64),
			 -EINVAL);
	ck_assert_int_eq(TP_CALL(t, WF_NR_readlinkat, AT_CWD, tp_str(t, "/proc/self/nope"), buf, 64),
			 -ENOENT);
	ck_assert_int_eq(TP_CALL(t, WF_NR_readlinkat, AT_CWD, tp_str(t, "/proc/7/exe"), buf, 64),
			 -ENOENT);
	/* No writes; no directories; nothing else. */
	ck_assert_int_eq(TP_CALL(t, WF_NR_openat, AT_CWD, tp_str(t, "/proc/self/maps"), O_WR, 0),
			 -EACCES);
	char text[64];
	ck_assert_int_eq(slurp("/proc", text, sizeof(text)), -ENOENT);
	ck_assert_int_eq(slurp("/proc/self", text, sizeof(text)), -ENOENT);
	ck_assert_int_eq(slurp("/proc/self/nope", text, sizeof(text)), -ENOENT);
	ck_assert_int_eq(slurp("/proc/self/exe", text, sizeof(text)), -EACCES);
	ck_assert_int_eq(slurp("/process/self/maps", text, sizeof(text)), -ENOENT);
	/* A relative path through a cwd of /proc/self is the same file. */
	strcpy(t->p.cwd, "/proc/self");
	ck_assert_int_ge(slurp("maps", text, sizeof(text)), 0);
}
END_TEST

START_TEST(test_stat_status_and_others)
{
	strcpy(t->p.comm, "prog");
	t->p.ppid = 1;
	char text[1024];
	ck_assert_int_gt(slurp("/proc/self/stat", text, sizeof(text)), 0);
	text[strcspn(text, "\n")] = 0;
	ck_assert_int_eq(strncmp(text, "4242 (prog) R 1 4242 4242 0 -1 ", 31), 0);
	int fields = 0;
	for (char *tok = strtok(text, " "); tok; tok = strtok(NULL, " "))
		fields++;
	ck_assert_int_eq(fields, 52);
	ck_assert_int_gt(slurp("/proc/4242/status", text, sizeof(text)), 0);
	ck_assert_ptr_nonnull(strstr(text, "Name:\tprog\n"));
	ck_assert_ptr_nonnull(strstr(text, "State:\tR (running)\nTgid:\t4242\n"));
	ck_assert_ptr_nonnull(strstr(text, "PPid:\t1\n"));
	ck_assert_int_eq(slurp("/proc/self/comm", text, sizeof(text)), 5);
	ck_assert_str_eq(text, "prog\n");

	/* Another process of the sandbox: what the table holds of it. */
	const char line[] = "prog\0-c\0";
	wf_gaddr_t at = tp_bytes(t, line, sizeof(line) - 1);
	t->p.arg_start = at;
	t->p.arg_end = at + sizeof(line) - 1;
	ck_assert_int_eq(wf_ptab_create(&t->p, 4), 0);
	int slot = wf_ptab_add_child(&t->p, 17);
	ck_assert_int_ge(slot, 0);
	int32_t child = t->p.ptab->t[slot].pid;
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)child);
	ck_assert_int_gt(slurp(path, text, sizeof(text)), 0);
	char want[64];
	snprintf(want, sizeof(want), "%d (prog) S 4242 4242 4242 ", (int)child);
	ck_assert_int_eq(strncmp(text, want, strlen(want)), 0);
	snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)child);
	ck_assert_int_eq(slurp(path, text, sizeof(text)), 8);
	ck_assert_int_eq(memcmp(text, "prog\0-c\0", 8), 0);
	t->p.ptab->t[slot].stopped = 1;
	snprintf(path, sizeof(path), "/proc/%d/status", (int)child);
	ck_assert_int_gt(slurp(path, text, sizeof(text)), 0);
	ck_assert_ptr_nonnull(strstr(text, "State:\tT (stopped)\n"));
	t->p.ptab->t[slot].state = WF_PT_ZOMBIE;
	ck_assert_int_gt(slurp(path, text, sizeof(text)), 0);
	ck_assert_ptr_nonnull(strstr(text, "State:\tZ (zombie)\n"));
	snprintf(path, sizeof(path), "/proc/%d/maps", (int)child);
	ck_assert_int_eq(slurp(path, text, sizeof(text)), -EACCES);
	ck_assert_int_eq(slurp("/proc/99999/stat", text, sizeof(text)), -ENOENT);
	ck_assert_int_eq(slurp("/proc/04242/stat", text, sizeof(text)), -ENOENT);
	wf_ptab_drop(&t->p, slot);
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)child);
	ck_assert_int_eq(slurp(path, text, sizeof(text)), -ENOENT);
	wf_ptab_end_all(&t->p);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("procfs");
	TCase *tc = tcase_create("procfs");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_maps);
	tcase_add_test(tc, test_cmdline_environ);
	tcase_add_test(tc, test_exe_and_errors);
	tcase_add_test(tc, test_stat_status_and_others);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return wf_check_run(suite());
}
