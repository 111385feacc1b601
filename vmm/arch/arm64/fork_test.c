// SPDX-License-Identifier: Apache-2.0
/* fork_test.c: Check tests, in the ARM64 machine: warm master, forks, reset and vmcall. */
#include <check.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/kvm.h>

#include "util.h"
#include "vm.h"
#include "vm_internal.h" /* test_tpidr_healed reaches into the vCPU */
#include "check_main.h"

static struct wf_vm *master;
static struct wf_err err;
static char datafile[] = "/tmp/fork_test_data.XXXXXX";

/* A fork whose vCPU gets a bogus TPIDR_EL0 while the guest is in a write of "clobber". */
static struct wf_vm *clobber_vm;

static void quiet(void *ctx, int fd, const void *buf, size_t len)
{
	(void)ctx, (void)fd;
	if (clobber_vm && len == 7 && !memcmp(buf, "wildtls", 7)) {
		/* As if the stub had saved the host's value: EL0 runs with it until it faults. */
		clobber_vm->frame->tpidr = (uint64_t)(uintptr_t)__builtin_thread_pointer();
	}
	if (clobber_vm && len == 7 && !memcmp(buf, "clobber", 7)) {
		uint64_t bogus = 0xffff90c20780ull; /* what a host thread's TPIDR_EL0 looks like */
		struct kvm_one_reg reg = {.id = ARM64_SYS_REG(3, 3, 13, 0, 2), /* TPIDR_EL0 */
					  .addr = (uint64_t)(uintptr_t)&bogus};
		ck_assert_int_eq(ioctl(clobber_vm->vcpu.fd, KVM_SET_ONE_REG, &reg), 0);
	}
}

static void setup(void)
{
	int fd = mkstemp(datafile);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, "0123456789", 10), 10);
	close(fd);
	struct wf_vm_config cfg = {.mem_size = 64 << 20, .print = quiet};
	ck_assert_msg(wf_vm_create(&cfg, &master, &err) == 0, "%s", err.msg);
	ck_assert_msg(wf_vm_allow(master, "/tmp", false, &err) == 0, "%s", err.msg);
	char *argv[] = {FORK_TEST_GUEST, datafile, NULL};
	char *envp[] = {NULL};
	ck_assert_msg(wf_vm_load(master, FORK_TEST_GUEST, 2, argv, envp, &err) == 0, "%s", err.msg);
	struct wf_result r;
	wf_vm_run(master, &r);
	ck_assert_msg(r.reason == WF_STOP_READY, "reason %d: %s", r.reason, r.msg);
	ck_assert_msg(wf_vm_make_master(master, &err) == 0, "%s", err.msg);
}

static void teardown(void)
{
	wf_vm_destroy(master);
	unlink(datafile);
}

static struct wf_vm *fork_vm(void)
{
	struct wf_vm *f;
	ck_assert_msg(wf_vm_fork(master, &f, &err) == 0, "%s", err.msg);
	return f;
}

static uint64_t sym(const char *name)
{
	uint64_t a;
	ck_assert_msg(wf_vm_symbol(master, name, &a, &err) == 0, "%s", err.msg);
	return a;
}

/* Call fn(args) in a fork and return its x0, failing the test on anything but a return. */
static long call(struct wf_vm *f, const char *fn, unsigned n, uint64_t a0, uint64_t a1)
{
	uint64_t args[2] = {a0, a1};
	struct wf_result r;
	wf_vm_call(f, sym(fn), args, n, 10, &r);
	ck_assert_msg(r.reason == WF_STOP_RETURN, "%s: reason %d: %s", fn, r.reason, r.msg);
	return (long)r.value;
}

static void reset(struct wf_vm *f)
{
	ck_assert_msg(wf_vm_reset(f, &err) == 0, "%s", err.msg);
}

START_TEST(test_vmcall_args_and_result)
{
	struct wf_vm *f = fork_vm();
	ck_assert_int_eq(call(f, "wf_add", 2, 40, 2), 42);
	reset(f);
	ck_assert_int_eq(call(f, "wf_add", 2, (uint64_t)-5, 3), -2);
	wf_vm_destroy(f);
}
END_TEST

START_TEST(test_buffers_are_copied_in)
{
	struct wf_vm *f = fork_vm();
	uint8_t buf[3000];
	long want = 0;
	for (size_t i = 0; i < sizeof(buf); i++)
		want += buf[i] = (uint8_t)(i * 7);
	uint64_t g;
	ck_assert_int_eq(wf_vm_push(f, buf, sizeof(buf), &g, &err), 0);
	ck_assert_int_eq(call(f, "wf_sum", 2, g, sizeof(buf)), want);
	reset(f);
	ck_assert_int_eq(wf_vm_push(f, "hello, guest", 13, &g, &err), 0);
	ck_assert_int_eq(call(f, "wf_strlen", 1, g, 0), 12);
	wf_vm_destroy(f);
}
END_TEST

START_TEST(test_isolation)
{
	struct wf_vm *a = fork_vm(), *b = fork_vm();
	long initial = call(b, "wf_state", 0, 0, 0);
	reset(b);
	call(a, "wf_scribble", 0, 0, 0);
	reset(a);
	/* A sibling and the master's own memory are untouched; the reset fork reads it all back. */
	ck_assert_int_eq(call(b, "wf_state", 0, 0, 0), initial);
	ck_assert_int_eq(call(a, "wf_state", 0, 0, 0), initial);
	struct wf_vm *c = fork_vm();
	ck_assert_int_eq(call(c, "wf_state", 0, 0, 0), initial);
	wf_vm_destroy(a);
	wf_vm_destroy(b);
	wf_vm_destroy(c);
}
END_TEST

/*
 * Hostile inputs in one fork (stray stores, a crash, a timeout, new mappings, brk, many
 * dirty pages) leave the master and a sibling byte-identical, and after each reset the
 * fork's whole guest memory (below the VMM's own pages) is the master's again.
 */
START_TEST(test_bytes_identical_after_hostile_inputs)
{
	struct wf_vm *a = fork_vm(), *b = fork_vm();
	uint64_t guest_bytes = master->layout.karea_ipa; /* the VMM's pages start there in RAM */
	uint8_t *m0 = malloc(guest_bytes), *b0 = malloc(guest_bytes);
	ck_assert_ptr_nonnull(m0);
	ck_assert_ptr_nonnull(b0);
	memcpy(m0, master->ram, guest_bytes);
	memcpy(b0, b->ram, guest_bytes);
	ck_assert(memcmp(m0, b0, guest_bytes) == 0);
	static const char *const fns[] = {"wf_scribble", "wf_crash", "wf_spin", "wf_map_touch",
					  "wf_brk", "wf_dirty", "wf_handler"};
	for (size_t i = 0; i < ARRAY_SIZE(fns); i++) {
		uint64_t arg = 200; /* wf_dirty: pages */
		struct wf_result r;
		wf_vm_call(a, sym(fns[i]), &arg, 1, 0.3, &r);
		ck_assert_msg(r.reason != WF_STOP_ERROR, "%s: %s", fns[i], r.msg);
		/* Those that write guest memory did, so the check has teeth. */
		if (!strcmp(fns[i], "wf_scribble") || !strcmp(fns[i], "wf_map_touch") ||
		    !strcmp(fns[i], "wf_dirty"))
			ck_assert_msg(memcmp(a->ram, m0, guest_bytes) != 0, "%s: wrote nothing",
				      fns[i]);
		reset(a);
		ck_assert_msg(memcmp(a->ram, m0, guest_bytes) == 0, "%s: the reset fork differs",
			      fns[i]);
		ck_assert_msg(memcmp(master->ram, m0, guest_bytes) == 0, "%s: the master changed",
			      fns[i]);
		ck_assert_msg(memcmp(b->ram, b0, guest_bytes) == 0, "%s: the sibling changed",
			      fns[i]);
	}
	free(m0);
	free(b0);
	wf_vm_destroy(a);
	wf_vm_destroy(b);
}
END_TEST

START_TEST(test_determinism)
{
	struct wf_vm *f = fork_vm();
	call(f, "wf_dirty", 1, 16, 0);
	reset(f);
	uint64_t pages = wf_vm_reset_pages(f);
	ck_assert_uint_ge(pages, 16);
	for (int i = 0; i < 10000; i++) {
		ck_assert_int_eq(call(f, "wf_dirty", 1, 16, 0), 16);
		reset(f);
		ck_assert_uint_eq(wf_vm_reset_pages(f), pages);
	}
	wf_vm_destroy(f);
}
END_TEST

START_TEST(test_pages_written_every_time)
{
	/* Pages written at every input stop being write-protected ("hot", at most 64) and are
	 * restored on every reset instead; every 64 resets they are protected again. Across
	 * 400 inputs of changing sizes (1, 16 and 100 pages: more than the hot set holds),
	 * every input must still find the master's memory. */
	struct wf_vm *f = fork_vm();
	long initial = call(f, "wf_state", 0, 0, 0);
	reset(f);
	static const uint64_t sizes[] = {16, 16, 1, 100, 100, 16, 1, 1, 100, 16};
	for (int i = 0; i < 100; i++) {
		uint64_t n = sizes[i % 10];
		for (int k = 0; k < 3; k++) {
			ck_assert_int_eq(call(f, "wf_dirty", 1, n, 0), (long)n);
			reset(f);
		}
		ck_assert_msg(call(f, "wf_state", 0, 0, 0) == initial, "input %d: state differs", i);
		reset(f);
	}
	wf_vm_destroy(f);
}
END_TEST

START_TEST(test_reset_cost_follows_dirty_pages)
{
	struct wf_vm *f = fork_vm();
	uint64_t n[3];
	const long want[3] = {1, 16, 256};
	for (int i = 0; i < 3; i++) {
		call(f, "wf_dirty", 1, (uint64_t)want[i], 0);
		reset(f);
		call(f, "wf_dirty", 1, (uint64_t)want[i], 0);
		reset(f);
		n[i] = wf_vm_reset_pages(f);
		ck_assert_uint_ge(n[i], (uint64_t)want[i]);
	}
	/* The overhead (stack, frame) is the same: the difference is exactly the pages written. */
	ck_assert_uint_eq(n[1] - n[0], 15);
	ck_assert_uint_eq(n[2] - n[0], 255);
	wf_vm_destroy(f);
}
END_TEST

START_TEST(test_no_state_leaks)
{
	struct wf_vm *f = fork_vm();
	long fd = call(f, "wf_open_fd", 0, 0, 0);
	reset(f);
	ck_assert_int_eq(call(f, "wf_open_fd", 0, 0, 0), fd); /* the fd was closed by reset */
	reset(f);
	ck_assert_int_eq(call(f, "wf_read_byte", 0, 0, 0), 0);
	reset(f);
	ck_assert_int_eq(call(f, "wf_read_byte", 0, 0, 0), 0); /* file offset back to 0 */
	reset(f);
	ck_assert_int_eq(call(f, "wf_handler", 0, 0, 0), 0);
	reset(f);
	ck_assert_int_eq(call(f, "wf_handler", 0, 0, 0), 0); /* disposition back to SIG_DFL */
	reset(f);
	long brk = call(f, "wf_brk", 0, 0, 0);
	reset(f);
	ck_assert_int_eq(call(f, "wf_brk", 0, 0, 0), brk);
	reset(f);
	long map = call(f, "wf_mmap", 0, 0, 0);
	reset(f);
	ck_assert_int_eq(call(f, "wf_mmap", 0, 0, 0), map);
	reset(f);
	ck_assert_int_eq(call(f, "wf_chdir", 0, 0, 0), 1);
	reset(f);
	ck_assert_int_eq(call(f, "wf_chdir", 0, 0, 0), 1); /* cwd back */
	reset(f);
	ck_assert_int_eq(call(f, "wf_fp", 0, 0, 0), 2500);
	reset(f);
	ck_assert_int_eq(call(f, "wf_fp", 0, 0, 0), 2500); /* FP/SIMD registers back */
	reset(f);
	long tp = call(f, "wf_tpidr", 0, 0, 0);
	ck_assert_int_ne(tp, 0);
	reset(f);
	ck_assert_int_eq(call(f, "wf_tpidr", 0, 0, 0), tp); /* TPIDR_EL0 back */
	wf_vm_destroy(f);
}
END_TEST

START_TEST(test_signal_state_reset)
{
	/* Handlers run in forks (a fault caught by siglongjmp, raised signals), and a reset
	 * takes every trace of them away: dispositions, mask, pending set, altstack and the
	 * fault record the next signal frame would show. */
	struct wf_vm *f = fork_vm();
	ck_assert_int_eq(call(f, "wf_signals_state", 0, 0, 0), 0);
	reset(f);
	for (int i = 0; i < 3; i++) {
		ck_assert_int_eq(call(f, "wf_signals_dirty", 0, 0, 0), 3111);
		reset(f);
		ck_assert_int_eq(call(f, "wf_signals_state", 0, 0, 0), 0);
		reset(f);
	}
	wf_vm_destroy(f);
}
END_TEST

START_TEST(test_tpidr_healed)
{
	/* TPIDR_EL0 changed behind the guest during an exit (as nested KVM in the emulated
	 * machine has been seen to do) is put back by the stub, and counted. */
	struct wf_vm *f = fork_vm();
	clobber_vm = f;
	ck_assert_int_eq(call(f, "wf_tpidr_across_write", 0, 0, 0), 1);
	ck_assert_uint_eq(wf_vm_tpidr_heals(f), 1);
	clobber_vm = NULL;
	reset(f);
	ck_assert_int_eq(call(f, "wf_tpidr_across_write", 0, 0, 0), 1);
	ck_assert_uint_eq(wf_vm_tpidr_heals(f), 0);
	/* Past the stub: the thread-local access faults next to the host's thread pointer and
	 * is repaired, not raised (the stub counts the change, the repair once more). */
	reset(f);
	clobber_vm = f;
	ck_assert_int_eq(call(f, "wf_tls_after_write", 0, 0, 0), 1);
	ck_assert_uint_eq(wf_vm_tpidr_heals(f), 2);
	clobber_vm = NULL;
	wf_vm_destroy(f);
}
END_TEST

START_TEST(test_thread_state_reset)
{
	/* Threads left waiting by one input, a handler and used thread ids: a reset takes them
	 * all away, so the next input sees one thread and hands out the same tids again. */
	struct wf_vm *f = fork_vm();
	long clean = call(f, "wf_threads_state", 0, 0, 0);
	ck_assert_int_eq(clean % 10, 0);
	ck_assert_int_gt(clean / 10, 1);
	reset(f);
	for (int i = 0; i < 3; i++) {
		/* (Inside: two waiters, a handler, tids used by three threads.) */
		ck_assert_int_eq(call(f, "wf_threads_dirty", 0, 0, 0), 10 * (clean / 10 + 3) + 3);
		reset(f);
		ck_assert_int_eq(call(f, "wf_threads_state", 0, 0, 0), clean);
		reset(f);
	}
	wf_vm_destroy(f);
}
END_TEST

START_TEST(test_timeout_then_recover)
{
	struct wf_vm *f = fork_vm();
	struct wf_result r;
	wf_vm_call(f, sym("wf_spin"), NULL, 0, 0.5, &r);
	ck_assert_int_eq(r.reason, WF_STOP_TIMEOUT);
	reset(f);
	ck_assert_int_eq(call(f, "wf_add", 2, 1, 2), 3);
	wf_vm_destroy(f);
}
END_TEST

START_TEST(test_mapping_gone_after_reset)
{
	/* A mapping made and used by one input must fault in the next: the reset put the
	 * master's page tables back, and stale translations must not survive it, also when
	 * the same pages are written at every input (hot pages: no write-protection, so no
	 * stage-2 TLB flush from KVM, at those resets). In the emulated machine every VM exit
	 * flushes QEMU's TLB anyway, so the stub's TLBI itself matters only on hardware. */
	struct wf_vm *f = fork_vm();
	for (int i = 0; i < 3; i++) {
		uint64_t args[2] = {0, 16};
		for (int k = 0; k < 4; k++) {
			args[0] = (uint64_t)call(f, "wf_map_touch", 0, 0, 0);
			ck_assert_uint_ne(args[0], 0);
			reset(f);
		}
		struct wf_result r;
		wf_vm_call(f, sym("wf_sum"), args, 2, 10, &r);
		ck_assert_msg(r.reason == WF_STOP_SIGNAL && r.signal == SIGSEGV,
			      "reading an old input's mapping: reason %d: %s", r.reason, r.msg);
		ck_assert_uint_eq(r.addr, args[0]);
		reset(f);
	}
	wf_vm_destroy(f);
}
END_TEST

START_TEST(test_fault_then_recover)
{
	struct wf_vm *f = fork_vm();
	struct wf_result r;
	wf_vm_call(f, sym("wf_crash"), NULL, 0, 10, &r);
	ck_assert_int_eq(r.reason, WF_STOP_SIGNAL);
	ck_assert_int_eq(r.signal, SIGSEGV);
	ck_assert_uint_eq(r.addr, 16);
	reset(f);
	ck_assert_int_eq(call(f, "wf_add", 2, 1, 2), 3);
	reset(f);
	uint64_t code = 7;
	wf_vm_call(f, sym("wf_exit"), &code, 1, 10, &r);
	ck_assert_int_eq(r.reason, WF_STOP_EXIT);
	ck_assert_int_eq(r.status, 7);
	reset(f);
	ck_assert_int_eq(call(f, "wf_add", 2, 1, 2), 3);
	/* A second call without a reset is refused, not run on a dirty fork. */
	wf_vm_call(f, sym("wf_add"), &code, 1, 10, &r);
	ck_assert_int_eq(r.reason, WF_STOP_ERROR);
	wf_vm_destroy(f);
}
END_TEST

struct worker {
	struct wf_vm *vm;
	uint64_t fn;
	long base, bad;
};

static void *work(void *arg)
{
	struct worker *w = arg;
	struct wf_err e;
	for (long i = 0; i < 300; i++) {
		uint64_t args[2] = {(uint64_t)w->base, (uint64_t)i};
		struct wf_result r;
		wf_vm_call(w->vm, w->fn, args, 2, 10, &r);
		if (r.reason != WF_STOP_RETURN || (long)r.value != w->base + i)
			w->bad++;
		if (wf_vm_reset(w->vm, &e))
			w->bad++;
	}
	return NULL;
}

START_TEST(test_out_of_memory_then_recover)
{
	struct wf_vm *f = fork_vm();
	struct wf_result r;
	wf_vm_call(f, sym("wf_oom"), NULL, 0, 60, &r);
	ck_assert_msg(r.reason == WF_STOP_OOM, "reason %d: %s", r.reason, r.msg);
	ck_assert_int_eq(r.signal, SIGABRT);
	reset(f);
	ck_assert_int_eq(call(f, "wf_add", 2, 1, 2), 3);
	/* A plain crash after the reset is a crash again, not a leftover out-of-memory. */
	reset(f);
	wf_vm_call(f, sym("wf_crash"), NULL, 0, 10, &r);
	ck_assert_int_eq(r.reason, WF_STOP_SIGNAL);
	wf_vm_destroy(f);
}
END_TEST

START_TEST(test_two_forks_two_threads)
{
	struct worker w[2] = {{fork_vm(), sym("wf_add"), 1000, 0}, {fork_vm(), sym("wf_add"), 5000, 0}};
	pthread_t t[2];
	for (int i = 0; i < 2; i++)
		ck_assert_int_eq(pthread_create(&t[i], NULL, work, &w[i]), 0);
	for (int i = 0; i < 2; i++) {
		pthread_join(t[i], NULL);
		ck_assert_int_eq(w[i].bad, 0);
		wf_vm_destroy(w[i].vm);
	}
}
END_TEST

/*
 * afl_guest's shape: the master is booted, then the process forks (AFL++'s fork server) and
 * the child makes its own fork VM. The child's run timer must signal the child's thread, not
 * the thread id this process cached when its own runs armed a timer.
 */
START_TEST(test_fork_in_child_process)
{
	struct wf_vm *f = fork_vm();
	ck_assert_int_eq(call(f, "wf_add", 2, 1, 2), 3); /* arms a timer: caches this tid */
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		struct wf_vm *c;
		struct wf_result r;
		int bad = wf_vm_fork(master, &c, &err) != 0;
		if (!bad) {
			wf_vm_call(c, sym("wf_spin"), NULL, 0, 0.3, &r);
			bad |= r.reason != WF_STOP_TIMEOUT;
			bad |= wf_vm_reset(c, &err) != 0;
			uint64_t args[2] = {40, 2};
			wf_vm_call(c, sym("wf_add"), args, 2, 10, &r);
			bad |= r.reason != WF_STOP_RETURN || r.value != 42;
			if (bad)
				fprintf(stderr, "child: reason %d: %s %s\n", r.reason, r.msg, err.msg);
		}
		_exit(bad);
	}
	int status;
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child status 0x%x", status);
	/* The parent's fork still works. */
	reset(f);
	ck_assert_int_eq(call(f, "wf_add", 2, 5, 6), 11);
	wf_vm_destroy(f);
}
END_TEST

START_TEST(test_master_cannot_run)
{
	struct wf_result r;
	wf_vm_run(master, &r);
	ck_assert_int_eq(r.reason, WF_STOP_ERROR);
	/* The whole message, nothing after it (once padded with two stray numbers). */
	ck_assert_str_eq(r.msg, "this VM cannot run: it is a master (fork it)");
	ck_assert_int_lt(wf_vm_reset(master, &err), 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("fork");
	TCase *tc = tcase_create("fork");
	tcase_set_timeout(tc, 300);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_vmcall_args_and_result);
	tcase_add_test(tc, test_buffers_are_copied_in);
	tcase_add_test(tc, test_isolation);
	tcase_add_test(tc, test_bytes_identical_after_hostile_inputs);
	tcase_add_test(tc, test_determinism);
	tcase_add_test(tc, test_reset_cost_follows_dirty_pages);
	tcase_add_test(tc, test_pages_written_every_time);
	tcase_add_test(tc, test_mapping_gone_after_reset);
	tcase_add_test(tc, test_no_state_leaks);
	tcase_add_test(tc, test_signal_state_reset);
	tcase_add_test(tc, test_thread_state_reset);
	tcase_add_test(tc, test_tpidr_healed);
	tcase_add_test(tc, test_timeout_then_recover);
	tcase_add_test(tc, test_fault_then_recover);
	tcase_add_test(tc, test_out_of_memory_then_recover);
	tcase_add_test(tc, test_two_forks_two_threads);
	tcase_add_test(tc, test_master_cannot_run);
	tcase_add_test(tc, test_fork_in_child_process);
	suite_add_tcase(s, tc);
	return wf_check_run(s);
}
