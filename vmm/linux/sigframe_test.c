// SPDX-License-Identifier: Apache-2.0
/* sigframe_test.c: Check tests for the arm64 signal frame: layout, and rt_sigreturn's checks. */
#include <check.h>
#include <errno.h>
#include <string.h>

#include "linux/testproc.h"
#include "linux/signals.h"
#include "check_main.h"

#define BIT(s) (1ull << ((s) - 1))

/* The frame as arm64 Linux lays it out (offsets from its base, which is the siginfo). */
enum {
	F_SIZE = 4688,
	F_UC = 128,
	F_STACK = F_UC + 16,
	F_SIGMASK = F_UC + 40,
	F_MC = F_UC + 176,
	F_FAULT = F_MC,
	F_REGS = F_MC + 8,
	F_SP = F_MC + 256,
	F_PC = F_MC + 264,
	F_PSTATE = F_MC + 272,
	F_RESERVED = F_MC + 288,
	F_ESR = F_RESERVED + 528,
};

enum { SA = 0x100, STACK = 0xf008 /* deliberately not 16-byte aligned */, HANDLER = 0x401000 };

static struct tp f;
static struct wf_abi_frame regs;

static void setup(void)
{
	tp_init_fixed(&f);
	tp_regs(&f, &regs, STACK);
	for (int i = 0; i < 31; i++)
		regs.x[i] = 0x1000 + (uint64_t)i;
	regs.pstate = 0x60000000; /* Z and C set, EL0t */
	regs.fpsr = 0x8000000;
	regs.fpcr = 0x400000;
	for (int r = 0; r < 32; r++)
		memset(regs.v[r], r + 1, 16);
}

static void teardown(void)
{
	tp_fini(&f);
}

static uint64_t u64(uint64_t gaddr)
{
	uint64_t v;
	memcpy(&v, H(&f, gaddr - TP_FIXED_BASE), 8);
	return v;
}

static uint32_t u32(uint64_t gaddr)
{
	uint32_t v;
	memcpy(&v, H(&f, gaddr - TP_FIXED_BASE), 4);
	return v;
}

static void put64(uint64_t gaddr, uint64_t v)
{
	memcpy(H(&f, gaddr - TP_FIXED_BASE), &v, 8);
}

/* Install an action for sig and send it to the thread; the way back delivers it. */
static void deliver(int sig, uint64_t flags, uint64_t restorer)
{
	struct wf_sigaction sa = {.handler = HANDLER, .flags = flags, .restorer = restorer};
	tp_put(&f, SA, &sa, sizeof(sa));
	ck_assert_int_eq(SYS(&f, WF_NR_rt_sigaction, (uint64_t)sig, G(SA), 0, 8), 0);
	struct wf_siginfo si = {.signo = sig, .code = -6, .pid = TP_PID, .uid = 1000};
	ck_assert_int_eq(wf_signal_queue(&f.p, &si, true), 0);
	tp_return(&f);
}

/* What the trampoline does when the handler returns: sp back at the frame, rt_sigreturn. */
static int64_t sigreturn(uint64_t frame)
{
	regs.sp = frame;
	return SYSR(&f, WF_NR_rt_sigreturn);
}

START_TEST(test_layout)
{
	f.p.sigthr.blocked = BIT(WF_SIGHUP);
	deliver(WF_SIGUSR1, WF_SA_SIGINFO, 0);
	uint64_t record = (G(STACK) - 16) & ~15ull, frame = record - F_SIZE;
	/* The handler's registers (setup_return). */
	ck_assert_uint_eq(regs.sp, frame);
	ck_assert_uint_eq(regs.pc, HANDLER);
	ck_assert_uint_eq(regs.x[0], WF_SIGUSR1);
	ck_assert_uint_eq(regs.x[1], frame);
	ck_assert_uint_eq(regs.x[2], frame + F_UC);
	ck_assert_uint_eq(regs.x[29], record);
	ck_assert_uint_eq(regs.x[30], f.p.sigtramp);
	ck_assert_uint_eq(regs.pstate, 0x60000000);
	/* The frame record: the interrupted x29 and x30. */
	ck_assert_uint_eq(u64(record), 0x1000 + 29);
	ck_assert_uint_eq(u64(record + 8), 0x1000 + 30);
	/* siginfo. */
	ck_assert_uint_eq(u32(frame), WF_SIGUSR1);
	ck_assert_uint_eq(u32(frame + 4), 0);
	ck_assert_int_eq((int32_t)u32(frame + 8), -6);
	ck_assert_uint_eq(u32(frame + 16), TP_PID);
	ck_assert_uint_eq(u32(frame + 20), 1000);
	ck_assert_uint_eq(u64(frame + 24), 0);
	/* ucontext: flags, link, the (disabled) altstack, the mask before delivery. */
	ck_assert_uint_eq(u64(frame + F_UC), 0);
	ck_assert_uint_eq(u64(frame + F_UC + 8), 0);
	ck_assert_uint_eq(u64(frame + F_STACK), 0);
	ck_assert_uint_eq(u32(frame + F_STACK + 8), 2 /* SS_DISABLE */);
	ck_assert_uint_eq(u64(frame + F_STACK + 16), 0);
	ck_assert_uint_eq(u64(frame + F_SIGMASK), BIT(WF_SIGHUP));
	/* sigcontext. */
	ck_assert_uint_eq(u64(frame + F_FAULT), 0);
	for (int i = 0; i < 31; i++)
		ck_assert_uint_eq(u64(frame + F_REGS + 8 * (uint64_t)i), 0x1000 + (uint64_t)i);
	ck_assert_uint_eq(u64(frame + F_SP), G(STACK));
	ck_assert_uint_eq(u64(frame + F_PC), G(0x100));
	ck_assert_uint_eq(u64(frame + F_PSTATE), 0x60000000);
	/* __reserved: the fpsimd_context, then the terminator (no fault: no esr_context). */
	ck_assert_uint_eq(u32(frame + F_RESERVED), 0x46508001);
	ck_assert_uint_eq(u32(frame + F_RESERVED + 4), 528);
	ck_assert_uint_eq(u32(frame + F_RESERVED + 8), 0x8000000);
	ck_assert_uint_eq(u32(frame + F_RESERVED + 12), 0x400000);
	ck_assert_mem_eq(H(&f, frame + F_RESERVED + 16 - TP_FIXED_BASE), regs.v, 512);
	ck_assert_uint_eq(u64(frame + F_ESR), 0);
	/* The handler runs with the signal blocked too. */
	ck_assert_uint_eq(f.p.sigthr.blocked, BIT(WF_SIGHUP) | BIT(WF_SIGUSR1));
}
END_TEST

START_TEST(test_fault_record)
{
	/* A fault records its address and ESR: fault_address and an esr_context record. */
	struct wf_sigaction sa = {.handler = HANDLER, .flags = WF_SA_SIGINFO};
	tp_put(&f, SA, &sa, sizeof(sa));
	ck_assert_int_eq(SYS(&f, WF_NR_rt_sigaction, WF_SIGSEGV, G(SA), 0, 8), 0);
	struct wf_fault flt = {.sig = WF_SIGSEGV,
			       .code = WF_SEGV_ACCERR,
			       .addr = 0x123458,
			       .set_fault = true,
			       .fault_address = 0x123458,
			       .fault_code = 0x9200004f};
	wf_signal_fault(&f.p, &flt);
	tp_return(&f);
	uint64_t frame = regs.sp;
	ck_assert_int_eq((int32_t)u32(frame + 8), WF_SEGV_ACCERR);
	ck_assert_uint_eq(u64(frame + 16), 0x123458); /* si_addr */
	ck_assert_uint_eq(u64(frame + F_FAULT), 0x123458);
	ck_assert_uint_eq(u32(frame + F_ESR), 0x45535201);
	ck_assert_uint_eq(u32(frame + F_ESR + 4), 16);
	ck_assert_uint_eq(u64(frame + F_ESR + 8), 0x9200004f);
	ck_assert_uint_eq(u64(frame + F_ESR + 16), 0); /* the terminator */
	/* Linux leaves the record in place: a later signal's frame shows it too. */
	f.p.sigthr.blocked = 0;
	deliver(WF_SIGUSR1, 0, 0);
	ck_assert_uint_eq(u64(regs.sp + F_FAULT), 0x123458);
	ck_assert_uint_eq(u64(regs.sp + F_ESR + 8), 0x9200004f);
	/* Without SA_SIGINFO: no siginfo written, x1 and x2 untouched. */
	ck_assert_uint_eq(u32(regs.sp), 0);
	ck_assert_uint_eq(regs.x[1], frame);
}
END_TEST

START_TEST(test_restorer_and_bti)
{
	f.p.sig_bti = true;
	regs.pstate = 0x60000000 | (1ull << 25) | (1ull << 10); /* TCO and BTYPE=J */
	deliver(WF_SIGUSR2, WF_SA_RESTORER, 0x402000);
	ck_assert_uint_eq(regs.x[30], 0x402000);
	ck_assert_uint_eq(regs.x[1], 0x1001); /* no SA_SIGINFO */
	ck_assert_uint_eq(regs.pstate, 0x60000000 | (2ull << 10)); /* BTYPE=C, TCO clear */
}
END_TEST

START_TEST(test_onstack)
{
	/* SA_ONSTACK: the frame goes at the top of the alternate stack; once on it, below sp. */
	struct wf_sigthread *t = &f.p.sigthr;
	t->ss_sp = G(0x4000);
	t->ss_size = 0x3000;
	t->ss_flags = 0;
	deliver(WF_SIGUSR1, WF_SA_ONSTACK | WF_SA_NODEFER, 0);
	uint64_t first = regs.sp;
	ck_assert_uint_eq(first, G(0x7000) - 16 - F_SIZE);
	ck_assert_uint_eq(u64(first + F_STACK), G(0x4000));
	ck_assert_uint_eq(u64(first + F_STACK + 16), 0x3000);
	regs.sp -= 64; /* the handler's own stack use */
	deliver(WF_SIGUSR1, WF_SA_ONSTACK | WF_SA_NODEFER, 0);
	ck_assert_uint_eq(regs.sp, first - 64 - 16 - F_SIZE);
	/* A third runs off the altstack's base (0x3000 bytes hold two), here into a guard
	 * page: SIGSEGV, fatal by default. */
	regs.sp -= 64;
	f.p.mem.prot[0x3000 / WF_PAGE_SIZE] = 0;
	deliver(WF_SIGUSR1, WF_SA_ONSTACK | WF_SA_NODEFER, 0);
	ck_assert_int_eq(f.p.killed_by, WF_SIGSEGV);
}
END_TEST

START_TEST(test_autodisarm)
{
	struct wf_sigthread *t = &f.p.sigthr;
	t->ss_sp = G(0x4000);
	t->ss_size = 0x3000;
	t->ss_flags = (int32_t)WF_SS_AUTODISARM;
	deliver(WF_SIGUSR1, WF_SA_ONSTACK, 0);
	uint64_t frame = regs.sp;
	ck_assert_uint_eq(frame, G(0x7000) - 16 - F_SIZE);
	ck_assert_uint_eq(u32(frame + F_STACK + 8), WF_SS_AUTODISARM);
	ck_assert_uint_eq(t->ss_size, 0); /* off while the handler runs */
	ck_assert_int_eq(t->ss_flags, WF_SS_DISABLE);
	ck_assert_int_eq(sigreturn(frame), 0x1000);
	ck_assert_uint_eq(t->ss_sp, G(0x4000)); /* rt_sigreturn put it back */
	ck_assert_uint_eq(t->ss_size, 0x3000);
	ck_assert_int_eq(t->ss_flags, (int32_t)WF_SS_AUTODISARM);
}
END_TEST

START_TEST(test_sigreturn_roundtrip)
{
	f.p.sigthr.blocked = BIT(WF_SIGHUP);
	deliver(WF_SIGUSR1, WF_SA_SIGINFO, 0);
	uint64_t frame = regs.sp;
	/* The handler edits its context: pc, x0, x19, v5, FPCR, the mask; and clobbers the live
	 * registers, which must not matter. */
	put64(frame + F_PC, 0x405000);
	put64(frame + F_REGS, 77);
	put64(frame + F_REGS + 19 * 8, 0xdef);
	memset(H(&f, frame + F_RESERVED + 16 + 5 * 16 - TP_FIXED_BASE), 0x77, 16);
	uint32_t fpcr = 0x800000;
	memcpy(H(&f, frame + F_RESERVED + 12 - TP_FIXED_BASE), &fpcr, 4);
	put64(frame + F_SIGMASK, BIT(WF_SIGTERM) | BIT(WF_SIGKILL));
	memset(regs.x, 0xee, sizeof(regs.x));
	memset(regs.v, 0xee, sizeof(regs.v));
	regs.flags = 0;
	ck_assert_int_eq(sigreturn(frame), 77); /* rt_sigreturn returns the restored x0 */
	ck_assert_uint_eq(regs.x[0], 77);
	ck_assert_uint_eq(regs.pc, 0x405000);
	ck_assert_uint_eq(regs.sp, G(STACK));
	ck_assert_uint_eq(regs.x[19], 0xdef);
	ck_assert_uint_eq(regs.x[29], 0x1000 + 29);
	ck_assert_uint_eq(regs.x[30], 0x1000 + 30);
	ck_assert_uint_eq(regs.pstate, 0x60000000);
	ck_assert_uint_eq(regs.v[5][0], 0x77);
	ck_assert_uint_eq(regs.v[6][0], 7);
	ck_assert_uint_eq(regs.fpcr, 0x800000);
	ck_assert_uint_eq(regs.fpsr, 0x8000000);
	ck_assert(regs.flags & (1ull << WF_FRAME_F_LOAD_FP_BIT)); /* the stub loads them */
	ck_assert_uint_eq(f.p.sigthr.blocked, BIT(WF_SIGTERM)); /* SIGKILL dropped */
	ck_assert_int_eq(f.p.killed_by, 0);
	ck_assert_uint_eq(f.p.sigthr.pending.set, 0);
}
END_TEST

/* Deliver, let corrupt() damage the frame, return: rt_sigreturn must raise SIGSEGV. */
static void expect_bad(void (*corrupt)(uint64_t frame), int code)
{
	deliver(WF_SIGUSR1, WF_SA_SIGINFO, 0);
	uint64_t frame = regs.sp;
	corrupt(frame);
	struct wf_sigaction sa = {.handler = 0x406000, .flags = WF_SA_SIGINFO};
	tp_put(&f, SA, &sa, sizeof(sa));
	ck_assert_int_eq(SYS(&f, WF_NR_rt_sigaction, WF_SIGSEGV, G(SA), 0, 8), 0);
	ck_assert_int_eq(sigreturn(frame), 0);
	/* The SIGSEGV handler runs: si_addr is the sp rt_sigreturn had when it gave up. */
	ck_assert_uint_eq(regs.pc, 0x406000);
	ck_assert_int_eq((int32_t)u32(regs.x[1] + 8), code);
	ck_assert_uint_eq(f.p.sigthr.fault_code, 0);
}

static void bad_magic(uint64_t frame)
{
	put64(frame + F_RESERVED, 0);
}

static void bad_fpsimd_size(uint64_t frame)
{
	memcpy(H(&f, frame + F_RESERVED + 4 - TP_FIXED_BASE), &(uint32_t){544}, 4);
}

static void bad_record(uint64_t frame)
{
	/* An unknown record (SVE: this CPU has none) after the fpsimd one. */
	memcpy(H(&f, frame + F_ESR - TP_FIXED_BASE), (uint32_t[2]){0x53564501, 16}, 8);
}

static void bad_pstate(uint64_t frame)
{
	put64(frame + F_PSTATE, 0x60000005); /* EL1h */
}

static void bad_daif(uint64_t frame)
{
	put64(frame + F_PSTATE, 0x80 /* I */);
}

static void good_esr(uint64_t frame)
{
	/* An esr_context record is accepted (and ignored); then the terminator. */
	memcpy(H(&f, frame + F_ESR - TP_FIXED_BASE), (uint32_t[2]){0x45535201, 16}, 8);
	put64(frame + F_ESR + 16, 0);
}

START_TEST(test_sigreturn_bad_frames)
{
	expect_bad(bad_magic, WF_SEGV_MAPERR); /* no VMAs in the fake: sp is "unmapped" */
	ck_assert_uint_eq(u64(regs.sp + F_PSTATE), 0x60000000);
}
END_TEST

START_TEST(test_sigreturn_bad_size)
{
	expect_bad(bad_fpsimd_size, WF_SEGV_MAPERR);
}
END_TEST

START_TEST(test_sigreturn_bad_record)
{
	expect_bad(bad_record, WF_SEGV_MAPERR);
}
END_TEST

START_TEST(test_sigreturn_bad_pstate)
{
	expect_bad(bad_pstate, WF_SEGV_MAPERR);
	/* What the SIGSEGV frame saved: the bad PSTATE forced to EL0t, NZCV kept. */
	ck_assert_uint_eq(u64(regs.sp + F_PSTATE), 0x60000000);
}
END_TEST

START_TEST(test_sigreturn_bad_daif)
{
	expect_bad(bad_daif, WF_SEGV_MAPERR);
	ck_assert_uint_eq(u64(regs.sp + F_PSTATE), 0);
}
END_TEST

START_TEST(test_sigreturn_esr_ignored)
{
	deliver(WF_SIGUSR1, 0, 0);
	uint64_t frame = regs.sp;
	good_esr(frame);
	ck_assert_int_eq(sigreturn(frame), 0x1000);
	ck_assert_int_eq(f.p.killed_by, 0);
	ck_assert_uint_eq(regs.pc, G(0x100));
}
END_TEST

START_TEST(test_sigreturn_misaligned_or_unreadable)
{
	/* A misaligned sp is no frame; nor is one outside guest memory. SIGSEGV's default
	 * action then ends the process. */
	ck_assert_int_eq(sigreturn(G(0x8008)), 0);
	ck_assert_int_eq(f.p.killed_by, WF_SIGSEGV);
	tp_fini(&f);
	setup();
	ck_assert_int_eq(sigreturn(TP_FIXED_BASE + 16 * WF_PAGE_SIZE - 64), 0);
	ck_assert_int_eq(f.p.killed_by, WF_SIGSEGV);
}
END_TEST

START_TEST(test_frame_does_not_fit)
{
	/* Not enough stack below sp: SIGSEGV instead (force_sigsegv). A SIGSEGV handler gets
	 * it if its own frame fits (on the alternate stack here)... */
	regs.sp = G(0x1000);
	struct wf_sigaction sa = {.handler = 0x406000, .flags = WF_SA_SIGINFO | WF_SA_ONSTACK};
	tp_put(&f, SA, &sa, sizeof(sa));
	ck_assert_int_eq(SYS(&f, WF_NR_rt_sigaction, WF_SIGSEGV, G(SA), 0, 8), 0);
	f.p.sigthr.ss_sp = G(0x6000);
	f.p.sigthr.ss_size = 0x2000;
	f.p.sigthr.ss_flags = 0;
	deliver(WF_SIGUSR1, 0, 0);
	ck_assert_int_eq(f.p.killed_by, 0);
	ck_assert_uint_eq(regs.pc, 0x406000);
	ck_assert_int_eq((int32_t)u32(regs.x[1] + 8), WF_SI_KERNEL);
	/* ...but a SIGSEGV whose own frame does not fit is fatal. */
	tp_fini(&f);
	setup();
	regs.sp = G(0x1000);
	sa.flags = WF_SA_SIGINFO;
	tp_put(&f, SA, &sa, sizeof(sa));
	ck_assert_int_eq(SYS(&f, WF_NR_rt_sigaction, WF_SIGSEGV, G(SA), 0, 8), 0);
	deliver(WF_SIGUSR1, 0, 0);
	ck_assert_int_eq(f.p.killed_by, WF_SIGSEGV);
	ck_assert_uint_eq(f.p.sigact[WF_SIGSEGV].handler, WF_SIG_DFL);
}
END_TEST

START_TEST(test_unwind)
{
	deliver(WF_SIGUSR1, 0, 0);
	uint64_t pc, fp;
	ck_assert_int_eq(wf_sigframe_unwind(&f.p, regs.x[29], &pc, &fp), 0);
	ck_assert_uint_eq(pc, G(0x100));
	ck_assert_uint_eq(fp, 0x1000 + 29);
	ck_assert_int_eq(wf_sigframe_unwind(&f.p, regs.x[29] + 8, &pc, &fp), -EFAULT);
	ck_assert_int_eq(wf_sigframe_unwind(&f.p, 16, &pc, &fp), -EFAULT);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("sigframe");
	TCase *tc = tcase_create("core");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_layout);
	tcase_add_test(tc, test_fault_record);
	tcase_add_test(tc, test_restorer_and_bti);
	tcase_add_test(tc, test_onstack);
	tcase_add_test(tc, test_autodisarm);
	tcase_add_test(tc, test_sigreturn_roundtrip);
	tcase_add_test(tc, test_sigreturn_bad_frames);
	tcase_add_test(tc, test_sigreturn_bad_size);
	tcase_add_test(tc, test_sigreturn_bad_record);
	tcase_add_test(tc, test_sigreturn_bad_pstate);
	tcase_add_test(tc, test_sigreturn_bad_daif);
	tcase_add_test(tc, test_sigreturn_esr_ignored);
	tcase_add_test(tc, test_sigreturn_misaligned_or_unreadable);
	tcase_add_test(tc, test_frame_does_not_fit);
	tcase_add_test(tc, test_unwind);
	suite_add_tcase(s, tc);
	return wf_check_run(s);
}
