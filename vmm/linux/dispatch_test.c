// SPDX-License-Identifier: Apache-2.0
/* dispatch_test.c: Check tests for the syscall table, the dispatcher, its trace and errno names. */
#include <check.h>
#include <errno.h>
#include <string.h>

#include "util.h"
#include "linux/testproc.h"
#include "linux/signals.h"
#include "check_main.h"

START_TEST(test_table_covers_families)
{
	struct wf_systab t;
	ck_assert_int_eq(wf_systab_init(&t), 0);
	ck_assert_uint_eq(wf_sys_nfamilies, 18);
	size_t n = 0;
	for (size_t f = 0; f < wf_sys_nfamilies; f++) {
		ck_assert_ptr_nonnull(strstr(wf_sys_families[f].file, wf_sys_families[f].name));
		for (const struct wf_syscall_def *d = wf_sys_families[f].defs; d->name; d++, n++) {
			ck_assert_int_ge(d->nr, 0);
			ck_assert_int_lt(d->nr, WF_NR_MAX);
			/* Every entry is reachable: no number is claimed by two entries. */
			ck_assert_msg(t.by_nr[d->nr] == d, "%s (%d) shadowed by %s", d->name, d->nr,
				      t.by_nr[d->nr] ? t.by_nr[d->nr]->name : "nothing");
			ck_assert_ptr_nonnull(d->args);
		}
	}
	size_t used = 0;
	for (size_t nr = 0; nr < WF_NR_MAX; nr++)
		used += t.by_nr[nr] != NULL;
	ck_assert_uint_eq(used, n); /* nothing registered from outside the families */
	ck_assert_str_eq(t.by_nr[WF_NR_getpid]->name, "getpid");
	ck_assert_str_eq(t.by_nr[WF_NR_clock_gettime]->name, "clock_gettime");
	ck_assert_str_eq(t.by_nr[WF_NR_rt_sigaction]->name, "rt_sigaction");
	ck_assert_str_eq(t.by_nr[WF_NR_futex]->name, "futex");
	ck_assert_str_eq(t.by_nr[WF_NR_clone]->name, "clone");
	ck_assert_ptr_null(t.by_nr[0x1c3]);
}
END_TEST

static int64_t sys_dummy(struct wf_proc *p, const uint64_t a[6])
{
	(void)p, (void)a;
	return 0;
}

/* Registration refuses a taken number or a bad entry and then leaves the table as it was. */
START_TEST(test_registration_refuses_duplicates)
{
	struct wf_systab t;
	ck_assert_int_eq(wf_systab_init(&t), 0);
	struct wf_systab before = t;
	const struct wf_syscall_def taken[] = {
		{0x1c3, "free_one", sys_dummy, ""},
		{WF_NR_futex, "second_futex", sys_dummy, ""},
		{0},
	};
	ck_assert_int_eq(wf_systab_add(&t, taken), -EEXIST);
	ck_assert_mem_eq(&t, &before, sizeof(t)); /* not even the free number went in */

	const struct wf_syscall_def twice[] = {
		{0x1c3, "a", sys_dummy, ""}, {0x1c3, "b", sys_dummy, ""}, {0}};
	ck_assert_int_eq(wf_systab_add(&t, twice), -EEXIST);
	const struct wf_syscall_def out_of_range[] = {{WF_NR_MAX, "big", sys_dummy, ""}, {0}};
	ck_assert_int_eq(wf_systab_add(&t, out_of_range), -EINVAL);
	const struct wf_syscall_def negative[] = {{-1, "neg", sys_dummy, ""}, {0}};
	ck_assert_int_eq(wf_systab_add(&t, negative), -EINVAL);
	const struct wf_syscall_def no_fn[] = {{0x1c3, "nofn", NULL, ""}, {0}};
	ck_assert_int_eq(wf_systab_add(&t, no_fn), -EINVAL);
	const struct wf_syscall_def no_args[] = {{0x1c3, "noargs", sys_dummy, NULL}, {0}};
	ck_assert_int_eq(wf_systab_add(&t, no_args), -EINVAL);
	ck_assert_mem_eq(&t, &before, sizeof(t));

	const struct wf_syscall_def fresh[] = {{0x1c3, "fresh", sys_dummy, ""}, {0}};
	ck_assert_int_eq(wf_systab_add(&t, fresh), 0);
	ck_assert_ptr_eq(t.by_nr[0x1c3], &fresh[0]);
	/* Registering a whole family again is refused: every number is taken. */
	ck_assert_int_eq(wf_systab_add(&t, wf_sys_thread), -EEXIST);
}
END_TEST

START_TEST(test_dispatch_and_counts)
{
	struct tp f;
	tp_init_fixed(&f);
	ck_assert_int_eq(SYS(&f, WF_NR_getpid), TP_PID);
	ck_assert_int_eq(SYS(&f, 0x1c3, 1, 2), -ENOSYS);
	ck_assert_int_eq(SYS(&f, WF_NR_MAX), -ENOSYS);
	ck_assert_int_eq(SYS(&f, UINT64_MAX), -ENOSYS);
	ck_assert_int_eq(SYS(&f, 1ull << 32 | WF_NR_getpid), -ENOSYS); /* no truncation */
	ck_assert_uint_eq(f.p.syscalls, 5);
	ck_assert_uint_eq(f.p.unknown_syscalls, 4);
	ck_assert_ptr_null(f.p.trace_out); /* no trace asked: nothing written anywhere */
	tp_fini(&f);
}
END_TEST

static int64_t fake_enoent(struct wf_proc *p, const uint64_t a[6])
{
	(void)p;
	(void)a;
	return -ENOENT;
}

static int64_t fake_twelve(struct wf_proc *p, const uint64_t a[6])
{
	(void)p;
	(void)a;
	return 12;
}

static const struct wf_syscall_def fake_openat = {WF_NR_openat, "openat", fake_enoent, "fsdo"};
static const struct wf_syscall_def fake_read = {WF_NR_read, "read", fake_twelve, "dpu"};

START_TEST(test_trace_lines)
{
	struct tp f;
	tp_init_fixed(&f);
	tp_trace(&f);
	f.tab.by_nr[WF_NR_openat] = &fake_openat;
	f.tab.by_nr[WF_NR_read] = &fake_read;
	tp_put(&f, 0x100, "/etc/passwd", 12);

	ck_assert_int_eq(SYS(&f, WF_NR_openat, (uint64_t)-100, G(0x100), 0, 0), -ENOENT);
	ck_assert_int_eq(SYS(&f, WF_NR_read, 3, 0x4a0000, 4096), 12);
	ck_assert_int_eq(SYS(&f, WF_NR_getpid), TP_PID);
	ck_assert_int_eq(SYS(&f, 0x1c3, 1, 2), -ENOSYS);
	ck_assert_int_eq(SYS(&f, WF_NR_openat, 5, G(0x100), 01 | 0100 | 01000 | 02000000 | 0100000000,
			     0644), -ENOENT);
	ck_assert_int_eq(SYS(&f, WF_NR_kill, 1, WF_SIGTERM), -ESRCH);
	ck_assert_int_eq(SYS(&f, WF_NR_clock_gettime, 1, G(0x200)), 0);
	f.tab.by_nr[WF_NR_read] = &fake_read;
	ck_assert_int_eq(SYS(&f, WF_NR_read, 0xffffffff, 0, 5ull << 30), 12);
	ck_assert_int_eq(SYS(&f, WF_NR_read, (uint64_t)-2, 0, 0), 12);
	ck_assert_int_eq(SYS(&f, WF_NR_read, 5ull << 30, 0, 0), 12);
	ck_assert_str_eq(tp_trace_text(&f),
			 "openat(AT_FDCWD, \"/etc/passwd\", O_RDONLY, 0) = -1 ENOENT (No such file "
			 "or directory)\n"
			 "read(3, 0x4a0000, 4096) = 12\n"
			 "getpid() = 4242\n"
			 "syscall_0x1c3(0x1, 0x2, 0, 0, 0, 0) = -1 ENOSYS (Function not "
			 "implemented)\n"
			 "openat(5, \"/etc/passwd\", O_WRONLY|O_CREAT|O_TRUNC|O_CLOEXEC|0100000000, "
			 "0644) = -1 ENOENT (No such file or directory)\n"
			 "kill(1, SIGTERM) = -1 ESRCH (No such process)\n"
			 "clock_gettime(CLOCK_MONOTONIC, 0x400200) = 0\n"
			 "read(-1, NULL, 5368709120) = 12\n"
			 "read(-2, NULL, 0) = 12\n"
			 "read(5368709120, NULL, 0) = 12\n");
	tp_fini(&f);
}
END_TEST

START_TEST(test_trace_strings)
{
	struct tp f;
	tp_init_fixed(&f);
	tp_trace(&f);
	f.tab.by_nr[WF_NR_openat] = &fake_openat;
	const char esc[] = "a\"b\\c\n\t\001\377";
	tp_put(&f, 0x100, esc, sizeof(esc));
	char exact[65], longer[101];
	memset(exact, 'x', 64);
	exact[64] = 0;
	memset(longer, 'y', 100);
	longer[100] = 0;
	tp_put(&f, 0x200, exact, sizeof(exact));
	tp_put(&f, 0x300, longer, sizeof(longer));
	/* A string running into a page the guest cannot read, and one ending just before it. */
	f.prot[2] = 0;
	tp_put(&f, 2 * WF_PAGE_SIZE - 3, "abc", 3);
	tp_put(&f, WF_PAGE_SIZE - 3, "ok", 3);

	f.p.mem.fail_line = 0;
	SYS(&f, WF_NR_openat, (uint64_t)-100, G(0x100));
	SYS(&f, WF_NR_openat, (uint64_t)-100, G(0x200));
	SYS(&f, WF_NR_openat, (uint64_t)-100, G(0x300));
	SYS(&f, WF_NR_openat, (uint64_t)-100, TP_BAD);
	SYS(&f, WF_NR_openat, (uint64_t)-100, G(2 * WF_PAGE_SIZE - 3));
	SYS(&f, WF_NR_openat, (uint64_t)-100, G(WF_PAGE_SIZE - 3));
	SYS(&f, WF_NR_openat, (uint64_t)-100, 0);
	/* Tracing's own reads leave the accessor's failure record alone. */
	ck_assert_int_eq(f.p.mem.fail_line, 0);

	char want[2048];
	snprintf(want, sizeof(want),
		 "openat(AT_FDCWD, \"a\\\"b\\\\c\\n\\t\\001\\377\", O_RDONLY, 0) = -1 ENOENT "
		 "(No such file or directory)\n"
		 "openat(AT_FDCWD, \"%s\", O_RDONLY, 0) = -1 ENOENT (No such file or directory)\n"
		 "openat(AT_FDCWD, \"%.64s\"..., O_RDONLY, 0) = -1 ENOENT (No such file or "
		 "directory)\n"
		 "openat(AT_FDCWD, 0x10, O_RDONLY, 0) = -1 ENOENT (No such file or directory)\n"
		 "openat(AT_FDCWD, 0x401ffd, O_RDONLY, 0) = -1 ENOENT (No such file or "
		 "directory)\n"
		 "openat(AT_FDCWD, \"ok\", O_RDONLY, 0) = -1 ENOENT (No such file or directory)\n"
		 "openat(AT_FDCWD, NULL, O_RDONLY, 0) = -1 ENOENT (No such file or directory)\n",
		 exact, longer);
	ck_assert_str_eq(tp_trace_text(&f), want);
	tp_fini(&f);
}
END_TEST

START_TEST(test_trace_process_end)
{
	struct tp f;
	tp_init_fixed(&f);
	tp_trace(&f);
	ck_assert_int_eq(SYS(&f, WF_NR_exit_group, 3), 0);
	ck_assert(f.p.exited);
	ck_assert_str_eq(tp_trace_text(&f), "exit_group(3) = ?\n");
	tp_fini(&f);

	tp_init_fixed(&f);
	tp_trace(&f);
	/* The signal acts on the way back to the guest, as strace shows it. */
	ck_assert_int_eq(SYS(&f, WF_NR_kill, TP_PID, WF_SIGTERM), 0);
	tp_return(&f);
	ck_assert_int_eq(f.p.killed_by, WF_SIGTERM);
	ck_assert_str_eq(tp_trace_text(&f),
			 "kill(4242, SIGTERM) = 0\n"
			 "--- SIGTERM {si_signo=SIGTERM, si_code=SI_USER, si_pid=4242, "
			 "si_uid=1000} ---\n"
			 "+++ killed by SIGTERM +++\n");
	tp_fini(&f);

	/* A handler's delivery, and a syscall to be restarted. */
	struct wf_abi_frame regs;
	tp_init_fixed(&f);
	tp_regs(&f, &regs, 0xf000);
	tp_trace(&f);
	struct wf_sigaction sa = {.handler = 0x401000};
	memcpy(H(&f, 0x100), &sa, sizeof(sa));
	ck_assert_int_eq(SYS(&f, WF_NR_rt_sigaction, WF_SIGUSR1, G(0x100), 0, 8), 0);
	ck_assert_int_eq(SYSR(&f, WF_NR_tgkill, TP_PID, TP_PID, WF_SIGUSR1), 0);
	ck_assert_int_eq(SYSR(&f, WF_NR_tkill, TP_PID, WF_SIGUSR1), 0); /* blocked: pending */
	ck_assert_int_eq(SYSR(&f, WF_NR_rt_sigsuspend, G(0x200), 8), -WF_ERESTARTNOHAND);
	ck_assert_str_eq(tp_trace_text(&f),
			 "rt_sigaction(SIGUSR1, 0x400100, NULL, 8) = 0\n"
			 "tgkill(4242, 4242, SIGUSR1) = 0\n"
			 "--- SIGUSR1 {si_signo=SIGUSR1, si_code=SI_TKILL, si_pid=4242, "
			 "si_uid=1000} ---\n"
			 "tkill(4242, SIGUSR1) = 0\n"
			 "rt_sigsuspend(0x400200, 8) = ? ERESTARTNOHAND (To be restarted)\n"
			 "--- SIGUSR1 {si_signo=SIGUSR1, si_code=SI_TKILL, si_pid=4242, "
			 "si_uid=1000} ---\n");
	tp_fini(&f);
}
END_TEST

START_TEST(test_errno_names)
{
	ck_assert_str_eq(wf_errno_name(ENOENT), "ENOENT");
	ck_assert_str_eq(wf_errno_name(-EINVAL), "EINVAL");
	ck_assert_str_eq(wf_errno_name(ENOSYS), "ENOSYS");
	ck_assert_str_eq(wf_errno_name(EHWPOISON), "EHWPOISON");
	ck_assert_str_eq(wf_errno_name(EOPNOTSUPP), "EOPNOTSUPP");
	ck_assert_ptr_null(wf_errno_name(0));
	ck_assert_ptr_null(wf_errno_name(41)); /* a hole in the numbering */
	ck_assert_ptr_null(wf_errno_name(4096));
	ck_assert_ptr_null(wf_errno_name(-2147483647 - 1));
#if defined(__GLIBC__) && (__GLIBC__ > 2 || __GLIBC_MINOR__ >= 32)
	/* The host's C library agrees on every name (both are asm-generic Linux errno values). */
	for (int e = 1; e <= EHWPOISON; e++) {
		const char *ours = wf_errno_name(e), *libc = strerrorname_np(e);
		if (!ours || !libc)
			continue;
		if (e == EDEADLOCK || e == EWOULDBLOCK || e == ENOTSUP)
			continue; /* aliases: the C library may pick the other spelling */
		ck_assert_msg(!strcmp(ours, libc), "errno %d: %s vs %s", e, ours, libc);
	}
#endif
}
END_TEST

int main(void)
{
	Suite *s = suite_create("dispatch");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_table_covers_families);
	tcase_add_test(tc, test_registration_refuses_duplicates);
	tcase_add_test(tc, test_dispatch_and_counts);
	tcase_add_test(tc, test_trace_lines);
	tcase_add_test(tc, test_trace_strings);
	tcase_add_test(tc, test_trace_process_end);
	tcase_add_test(tc, test_errno_names);
	suite_add_tcase(s, tc);
	return wf_check_run(s);
}
