// SPDX-License-Identifier: Apache-2.0
/* sigfault.c: synchronous faults delivered to handlers, with Linux's siginfo and ucontext.
 *
 *   sigfault faults      every catchable fault in turn, each handler printing its siginfo,
 *                        sigcontext and __reserved records, then fixing the context up
 *   sigfault longjmp     siglongjmp out of SIGSEGV handlers (mask restored: it works again)
 *   sigfault nested      a fault inside the handler for the same signal          -> 139
 *   sigfault blocked     a fault while its signal is blocked (handler installed) -> 139
 *   sigfault ignored     a fault while its signal is ignored                     -> 139
 *   sigfault nomask      longjmp that keeps the handler's mask, then a fault     -> 139
 *   sigfault ill|bus|trap   the same faults without handlers                  -> 132|135|133
 *
 * Addresses print relative to a known buffer or function, ESRs as their class and bits that
 * do not depend on the page-table layout, so the output is the same natively and in a VMM.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

/* Faulting instructions at known addresses: each is the first instruction of its function. */
__asm__(".text\n"
	".p2align 2\n"
	".global fx_load\n.type fx_load, %function\nfx_load:\n\tldr x0, [x0]\n\tret\n"
	".global fx_store\n.type fx_store, %function\nfx_store:\n\tstr x1, [x0]\n\tret\n"
	".global fx_ldxr\n.type fx_ldxr, %function\nfx_ldxr:\n\tldxr x0, [x0]\n\tret\n"
	".global fx_udf\n.type fx_udf, %function\nfx_udf:\n\tudf #0\n\tret\n"
	".global fx_brk\n.type fx_brk, %function\nfx_brk:\n\tbrk #0x3e8\n\tret\n"
	".global fx_jump\n.type fx_jump, %function\nfx_jump:\n\tbr x0\n");
uint64_t fx_load(const void *p);
void fx_store(void *p, uint64_t v);
uint64_t fx_ldxr(const void *p);
uint64_t fx_udf(uint64_t v);
uint64_t fx_brk(uint64_t v);
void fx_jump(uintptr_t target);

/* Record magics of uc_mcontext.__reserved (<asm/sigcontext.h>). */
#define FPSIMD_MAGIC_ 0x46508001u
#define ESR_MAGIC_    0x45535201u

static char *buf; /* two pages: [0] read-write (later read-only or none), [1] unmapped */
static sigjmp_buf jb;
static jmp_buf jb_nomask;

/* How a handler leaves: skip the faulting instruction, return from the faulting call,
 * skip it with x0 = 42, or jump out. */
enum fix { FIX_SKIP, FIX_RET, FIX_SETX0, FIX_LONGJMP, FIX_LONGJMP_NOMASK, FIX_FAULT };
static volatile enum fix fix;

static const struct {
	const char *name;
	uintptr_t addr;
} places[] = {
	{"fx_load", (uintptr_t)fx_load}, {"fx_store", (uintptr_t)fx_store},
	{"fx_ldxr", (uintptr_t)fx_ldxr}, {"fx_udf", (uintptr_t)fx_udf},
	{"fx_brk", (uintptr_t)fx_brk},   {"fx_jump", (uintptr_t)fx_jump},
};

/* An address as "buf+OFF", "fx_load+OFF", "0x..." below 64 KiB, or "elsewhere". */
static const char *where(uintptr_t a)
{
	static char s[4][64];
	static int k;
	char *o = s[k++ % 4];
	if (buf && a >= (uintptr_t)buf && a < (uintptr_t)buf + 8192) {
		snprintf(o, 64, "buf+%#lx", (unsigned long)(a - (uintptr_t)buf));
		return o;
	}
	for (size_t i = 0; i < sizeof(places) / sizeof(places[0]); i++) {
		if (a >= places[i].addr && a < places[i].addr + 8) { /* each is 8 bytes */
			snprintf(o, 64, "%s+%lu", places[i].name,
				 (unsigned long)(a - places[i].addr));
			return o;
		}
	}
	if (a < 0x10000) {
		snprintf(o, 64, "%#lx", (unsigned long)a);
		return o;
	}
	return "elsewhere";
}

/* The records in uc_mcontext.__reserved, walked as a debugger would. */
static void show_records(const ucontext_t *uc)
{
	const unsigned char *r = (const unsigned char *)uc->uc_mcontext.__reserved;
	size_t off = 0;
	while (off + 8 <= sizeof(uc->uc_mcontext.__reserved)) {
		uint32_t magic, size;
		memcpy(&magic, r + off, 4);
		memcpy(&size, r + off + 4, 4);
		if (magic == 0 && size == 0) {
			printf("    end at +%zu\n", off);
			return;
		}
		if (magic == FPSIMD_MAGIC_) {
			printf("    fpsimd_context at +%zu size %u\n", off, size);
		} else if (magic == ESR_MAGIC_) {
			uint64_t esr;
			memcpy(&esr, r + off + 8, 8);
			unsigned ec = (unsigned)(esr >> 26), fsc = (unsigned)esr & 0x3f;
			const char *kind = fsc == 0x21		? "alignment" :
					   (fsc & 0x3c) == 0x04 ? "translation" :
					   (fsc & 0x3c) == 0x0c ? "permission" :
								  "other";
			printf("    esr_context at +%zu size %u: EC %#x", off, size, ec);
			if (ec == 0x24 || ec == 0x20) /* data or instruction abort */
				printf(" WnR %u %s fault", (unsigned)(esr >> 6) & 1, kind);
			printf("\n");
		} else {
			printf("    record %#x at +%zu size %u\n", magic, off, size);
		}
		if (size < 8)
			return;
		off += size;
	}
}

static void on_fault(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;
	mcontext_t *mc = &uc->uc_mcontext;
	if (si->si_code <= 0) /* sent, not a fault: si_pid and si_uid instead of si_addr */
		printf("  %s: si_signo %d si_errno %d si_code %d from us %d\n", strsignal(sig),
		       si->si_signo, si->si_errno, si->si_code,
		       (int)(si->si_pid == getpid() && si->si_uid == getuid()));
	else
		printf("  %s: si_signo %d si_errno %d si_code %d si_addr %s\n", strsignal(sig),
		       si->si_signo, si->si_errno, si->si_code, where((uintptr_t)si->si_addr));
	printf("    pc %s fault_address %s sp aligned %d, frame above the handler's sp %d\n",
	       where(mc->pc), where(mc->fault_address), (int)(mc->sp % 16 == 0),
	       (int)((uintptr_t)uc > (uintptr_t)&uc && (uintptr_t)si < (uintptr_t)uc));
	show_records(uc);
	if (si->si_code <= 0)
		return;
	switch (fix) {
	case FIX_SKIP:
		mc->pc += 4;
		break;
	case FIX_RET:
		mc->pc = mc->regs[30];
		break;
	case FIX_SETX0:
		mc->regs[0] = 42;
		mc->pc += 4;
		break;
	case FIX_LONGJMP:
		siglongjmp(jb, sig);
	case FIX_LONGJMP_NOMASK:
		_longjmp(jb_nomask, sig);
	case FIX_FAULT:
		printf("  faulting again inside the handler\n");
		fflush(stdout);
		fx_store(NULL, 1);
		printf("  still alive?\n");
		break;
	}
}

static void handle(int sig)
{
	struct sigaction sa = {.sa_sigaction = on_fault, .sa_flags = SA_SIGINFO};
	sigemptyset(&sa.sa_mask);
	if (sigaction(sig, &sa, NULL))
		perror("sigaction");
}

static void section(const char *s)
{
	printf("%s\n", s);
	fflush(stdout);
}

static void faults(void)
{
	for (int s = 1; s < 32; s++)
		if (s != SIGKILL && s != SIGSTOP)
			handle(s);
	section("first a plain signal: no fault recorded yet");
	fix = FIX_SKIP;
	raise(SIGUSR1); /* a handler that returns normally: its pc +4 is not applied */

	section("read from an unmapped page: SEGV_MAPERR, the handler skips the load");
	uint64_t v = fx_load(buf + 4096 + 8);
	printf("  returned %s\n", where(v));
	section("write to an unmapped page: SEGV_MAPERR");
	fx_store(buf + 4096, 1);
	section("a signal sent after a fault: the fault's record stays in later frames");
	raise(SIGUSR2);

	section("write to a read-only page: SEGV_ACCERR");
	buf[16] = 1; /* populated before it turns read-only */
	mprotect(buf, 4096, PROT_READ);
	fx_store(buf + 16, 1);
	section("read from a PROT_NONE page: SEGV_ACCERR; the handler sets x0 = 42");
	mprotect(buf, 4096, PROT_NONE);
	fix = FIX_SETX0;
	printf("  returned %lu\n", (unsigned long)fx_load(buf + 24));
	mprotect(buf, 4096, PROT_READ | PROT_WRITE);

	section("execute a data page: SEGV_ACCERR at the target; back to the caller");
	fix = FIX_RET;
	memset(buf, 0, 64);
	((void (*)(void))(uintptr_t)buf)();
	section("execute an unmapped page: SEGV_MAPERR");
	((void (*)(void))(uintptr_t)(buf + 4096))();

	section("exclusive load from a misaligned address: SIGBUS BUS_ADRALN; x0 = 42");
	fix = FIX_SETX0;
	printf("  returned %lu\n", (unsigned long)fx_ldxr(buf + 3));
	section("branch to a misaligned pc: SIGBUS BUS_ADRALN at the target");
	fix = FIX_RET;
	fx_jump((uintptr_t)fx_udf + 2);
	section("undefined instruction: SIGILL ILL_ILLOPC; no fault record after it");
	fix = FIX_SKIP;
	printf("  returned %lu\n", (unsigned long)fx_udf(5));
	section("brk: SIGTRAP TRAP_BRKPT; leaves the fault record as it was");
	printf("  returned %lu\n", (unsigned long)fx_brk(6));
	section("and a plain signal again");
	kill(getpid(), SIGUSR1);
	section("done");
}

static int blocked(int sig)
{
	sigset_t cur;
	sigprocmask(SIG_BLOCK, NULL, &cur);
	return sigismember(&cur, sig);
}

static void longjmps(void)
{
	handle(SIGSEGV);
	fix = FIX_LONGJMP;
	for (int i = 0; i < 3; i++) {
		int sig = sigsetjmp(jb, 1);
		if (sig) {
			printf("back from the handler by siglongjmp (%s), SIGSEGV blocked: %d\n",
			       strsignal(sig), blocked(SIGSEGV));
			continue;
		}
		section(i == 0 ? "null write" : i == 1 ? "unmapped read" : "wild write");
		if (i == 0)
			fx_store(NULL, 1);
		else if (i == 1)
			fx_load(buf + 4096);
		else
			fx_store((void *)(uintptr_t)0xdead0000000ull, 1);
		printf("not reached\n");
	}
	section("done");
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	const char *m = argc > 1 ? argv[1] : "faults";
	buf = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (buf == MAP_FAILED || munmap(buf + 4096, 4096))
		return 2;
	buf[0] = 1;
	if (!strcmp(m, "faults")) {
		faults();
	} else if (!strcmp(m, "longjmp")) {
		longjmps();
	} else if (!strcmp(m, "nested")) {
		handle(SIGSEGV);
		fix = FIX_FAULT;
		section("a fault, and another in its handler");
		fx_store(buf + 4096, 1);
	} else if (!strcmp(m, "blocked")) {
		handle(SIGSEGV);
		sigset_t s;
		sigemptyset(&s);
		sigaddset(&s, SIGSEGV);
		sigprocmask(SIG_BLOCK, &s, NULL);
		section("a fault with SIGSEGV blocked: the handler is not run");
		fx_store(buf + 4096, 1);
	} else if (!strcmp(m, "ignored")) {
		signal(SIGSEGV, SIG_IGN);
		section("a fault with SIGSEGV ignored: it kills anyway");
		fx_store(buf + 4096, 1);
	} else if (!strcmp(m, "nomask")) {
		handle(SIGSEGV);
		fix = FIX_LONGJMP_NOMASK;
		if (!_setjmp(jb_nomask)) {
			section("a fault, left by longjmp: SIGSEGV stays blocked");
			fx_store(NULL, 1);
		}
		printf("SIGSEGV blocked: %d; a second fault\n", blocked(SIGSEGV));
		fflush(stdout);
		fx_store(NULL, 1);
	} else if (!strcmp(m, "ill")) {
		section("udf");
		fx_udf(0);
	} else if (!strcmp(m, "bus")) {
		section("ldxr misaligned");
		fx_ldxr(buf + 1);
	} else if (!strcmp(m, "trap")) {
		section("brk");
		fx_brk(0);
	} else {
		fprintf(stderr, "usage: sigfault faults|longjmp|nested|blocked|ignored|nomask|"
				"ill|bus|trap\n");
		return 64;
	}
	printf("still alive\n");
	return 0;
}
