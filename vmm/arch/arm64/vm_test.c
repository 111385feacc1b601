// SPDX-License-Identifier: Apache-2.0
/* vm_test.c: Check tests, run in the ARM64 machine: the VM runs a guest to structured results. */
#include <check.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "vm.h"
#include "check_main.h"

struct capture {
	char out[4096], err[4096];
	size_t nout, nerr;
};

static void capture(void *ctx, int fd, const void *buf, size_t len)
{
	struct capture *c = ctx;
	char *dst = fd == 1 ? c->out : c->err;
	size_t *n = fd == 1 ? &c->nout : &c->nerr;
	size_t room = sizeof(c->out) - 1 - *n;
	if (len > room)
		len = room;
	memcpy(dst + *n, buf, len);
	*n += len;
	dst[*n] = 0;
}

static struct capture cap;
static const char *last_a1, *last_a2; /* arguments of the last run() */

/* Run the test guest with up to two arguments; timeout in seconds (0: none). */
static struct wf_result run(double timeout, const char *a1, const char *a2)
{
	memset(&cap, 0, sizeof(cap));
	last_a1 = a1;
	last_a2 = a2;
	struct wf_vm_config cfg = {.print = capture, .print_ctx = &cap, .timeout_s = timeout,
				   .mem_size = 64 << 20};
	struct wf_err e = {0};
	struct wf_vm *vm;
	ck_assert_msg(wf_vm_create(&cfg, &vm, &e) == 0, "create: %s", e.msg);
	char *argv[] = {VM_TEST_GUEST, (char *)a1, (char *)a2, NULL};
	int argc = a2 ? 3 : a1 ? 2 : 1;
	char *envp[] = {"WARMFORK_TEST=1", NULL};
	ck_assert_msg(wf_vm_load(vm, VM_TEST_GUEST, argc, argv, envp, &e) == 0, "load: %s", e.msg);
	struct wf_result r;
	ck_assert_int_eq(wf_vm_run(vm, &r), 0);
	wf_vm_destroy(vm);
	return r;
}

static unsigned ec(const struct wf_result *r)
{
	return (unsigned)(r->esr >> 26) & 0x3f;
}

/* The signal the same guest dies of natively on this machine (0 if it exits). */
static int native_signal(const char *a1, const char *a2)
{
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);
		dup2(null, 1);
		dup2(null, 2);
		execl(VM_TEST_GUEST, VM_TEST_GUEST, a1, a2, (char *)NULL);
		_exit(127);
	}
	int st;
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	return WIFSIGNALED(st) ? WTERMSIG(st) : 0;
}

/* Dies of `sig` under warmfork, and of the same signal natively. */
static void expect_signal(const struct wf_result *r, int sig)
{
	ck_assert_msg(r->reason == WF_STOP_SIGNAL, "reason %d (%s)", r->reason, r->msg);
	ck_assert_int_eq(r->signal, native_signal(last_a1, last_a2));
	ck_assert_int_eq(r->signal, sig);
	ck_assert_uint_ge(r->nbt, 1);
	ck_assert_uint_eq(r->bt[0], r->pc);
}

START_TEST(test_exit_status)
{
	struct wf_result r = run(0, "exit", "7");
	ck_assert_int_eq(r.reason, WF_STOP_EXIT);
	ck_assert_int_eq(r.status, 7);
}
END_TEST

START_TEST(test_output_through_printer)
{
	struct wf_result r = run(0, "print", "hi");
	ck_assert_int_eq(r.reason, WF_STOP_EXIT);
	ck_assert_int_eq(r.status, 0);
	ck_assert_str_eq(cap.out, "out hi\n");
	ck_assert_str_eq(cap.err, "err\n");
}
END_TEST

START_TEST(test_null_read)
{
	struct wf_result r = run(0, "read", "0");
	expect_signal(&r, SIGSEGV);
	ck_assert(r.has_addr);
	ck_assert_uint_eq(r.addr, 0);
	ck_assert_int_eq(r.si_code, 1 /* SEGV_MAPERR */);
	ck_assert_uint_eq(ec(&r), 0x24);
}
END_TEST

START_TEST(test_wild_write)
{
	struct wf_result r = run(0, "write", "0xdead0000000");
	expect_signal(&r, SIGSEGV);
	ck_assert_uint_eq(r.addr, 0xdead0000000ull);
	ck_assert_uint_eq(ec(&r), 0x24);
	ck_assert(r.esr & (1u << 6)); /* WnR: it was a write */
}
END_TEST

START_TEST(test_readonly_write)
{
	struct wf_result r = run(0, "ro-write", NULL);
	expect_signal(&r, SIGSEGV);
	ck_assert_uint_eq(r.addr, strtoull(cap.out, NULL, 16));
	ck_assert_int_eq(r.si_code, 2 /* SEGV_ACCERR */);
}
END_TEST

START_TEST(test_exec_data)
{
	struct wf_result r = run(0, "exec-data", NULL);
	expect_signal(&r, SIGSEGV);
	ck_assert_uint_eq(ec(&r), 0x20);
	ck_assert_uint_eq(r.addr, r.pc);
	ck_assert_int_eq(r.si_code, 2 /* SEGV_ACCERR: mapped, not executable */);
}
END_TEST

START_TEST(test_undefined_instruction)
{
	struct wf_result r = run(0, "udf", NULL);
	expect_signal(&r, SIGILL);
	ck_assert_uint_eq(ec(&r), 0x00);
	ck_assert_uint_eq(r.addr, r.pc);
}
END_TEST

START_TEST(test_brk)
{
	struct wf_result r = run(0, "brk", NULL);
	expect_signal(&r, SIGTRAP);
	ck_assert_uint_eq(ec(&r), 0x3c);
	ck_assert_uint_eq(r.esr & 0xffff, 7);
}
END_TEST

START_TEST(test_system_register)
{
	struct wf_result r = run(0, "mrs", NULL);
	expect_signal(&r, SIGILL);
}
END_TEST

START_TEST(test_wfx_is_stepped_over)
{
	struct wf_result r = run(0, "wfi", NULL);
	ck_assert_int_eq(r.reason, WF_STOP_EXIT);
	ck_assert_int_eq(r.status, 42);
}
END_TEST

START_TEST(test_misaligned_sp)
{
	/* Hardware raises an SP alignment fault (SIGBUS); QEMU's TCG does not check SP
	 * alignment, so there the program runs on and crashes later. Either way warmfork must
	 * end the same way as the program does natively on this machine. */
	struct wf_result r = run(0, "misaligned-sp", NULL);
	int sig = native_signal("misaligned-sp", NULL);
	expect_signal(&r, sig);
	if (sig == SIGBUS)
		ck_assert_uint_eq(ec(&r), 0x26);
}
END_TEST

START_TEST(test_misaligned_pc)
{
	struct wf_result r = run(0, "misaligned-pc", NULL);
	expect_signal(&r, SIGBUS);
	ck_assert_uint_eq(ec(&r), 0x22);
}
END_TEST

START_TEST(test_spin_times_out)
{
	struct wf_result r = run(1.0, "spin", NULL);
	ck_assert_int_eq(r.reason, WF_STOP_TIMEOUT);
	r = run(1.0, "spin-syscall", NULL);
	ck_assert_int_eq(r.reason, WF_STOP_TIMEOUT);
}
END_TEST

START_TEST(test_sleep_times_out)
{
	struct wf_result r = run(0.5, "sleep", "30000000");
	ck_assert_int_eq(r.reason, WF_STOP_TIMEOUT);
}
END_TEST

START_TEST(test_abort)
{
	struct wf_result r = run(0, "abort", NULL);
	expect_signal(&r, SIGABRT);
	ck_assert(!r.has_fault);
}
END_TEST

START_TEST(test_tls_works)
{
	struct wf_result r = run(0, "tpidr", NULL);
	ck_assert_int_eq(r.reason, WF_STOP_EXIT);
	ck_assert_str_eq(cap.out, "1\n");
}
END_TEST

START_TEST(test_load_errors)
{
	struct wf_vm_config cfg = {.mem_size = 64 << 20};
	struct wf_err e = {0};
	struct wf_vm *vm;
	ck_assert_int_eq(wf_vm_create(&cfg, &vm, &e), 0);
	char *argv[] = {"/nonexistent", NULL};
	ck_assert_int_lt(wf_vm_load(vm, "/nonexistent", 1, argv, argv + 1, &e), 0);
	ck_assert_ptr_nonnull(strstr(e.msg, "/nonexistent"));
	/* A directory and a non-ELF file are refused with reasons, not crashes. */
	ck_assert_int_lt(wf_vm_load(vm, "/", 1, argv, argv + 1, &e), 0);
	ck_assert_int_lt(wf_vm_load(vm, "/proc/self/status", 1, argv, argv + 1, &e), 0);
	wf_vm_destroy(vm);
	cfg.mem_size = 1;
	ck_assert_int_lt(wf_vm_create(&cfg, &vm, &e), 0);
	ck_assert_ptr_nonnull(strstr(e.msg, "guest memory"));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("vm");
	TCase *tc = tcase_create("run");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_exit_status);
	tcase_add_test(tc, test_output_through_printer);
	tcase_add_test(tc, test_null_read);
	tcase_add_test(tc, test_wild_write);
	tcase_add_test(tc, test_readonly_write);
	tcase_add_test(tc, test_exec_data);
	tcase_add_test(tc, test_undefined_instruction);
	tcase_add_test(tc, test_brk);
	tcase_add_test(tc, test_system_register);
	tcase_add_test(tc, test_wfx_is_stepped_over);
	tcase_add_test(tc, test_misaligned_sp);
	tcase_add_test(tc, test_misaligned_pc);
	tcase_add_test(tc, test_spin_times_out);
	tcase_add_test(tc, test_sleep_times_out);
	tcase_add_test(tc, test_abort);
	tcase_add_test(tc, test_tls_works);
	tcase_add_test(tc, test_load_errors);
	suite_add_tcase(s, tc);
	return wf_check_run(s);
}
