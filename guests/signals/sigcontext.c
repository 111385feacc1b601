// SPDX-License-Identifier: Apache-2.0
/* sigcontext.c: what a handler sees in its ucontext and what rt_sigreturn does with edits to it.
 *
 *   sigcontext regs       every general register saved as it was; the handler's edits to x10,
 *                         x19 and pc are what the interrupted code continues with; the frame
 *                         record below the interrupted sp
 *   sigcontext fp         q0-q31, FPSR and FPCR survive a handler that clobbers them all; an
 *                         edit to the saved v5 and FPCR is honoured
 *   sigcontext restorer   SA_RESTORER (raw rt_sigaction): the handler returns through it
 *   sigcontext unwind     backtrace() from a handler reaches the interrupted function
 *   sigcontext badframe   a corrupted fpsimd record: rt_sigreturn raises SIGSEGV at the frame
 *   sigcontext badpstate  a handler asks for EL1: rt_sigreturn raises SIGSEGV
 *   sigcontext rawreturn  rt_sigreturn without a signal frame                          -> 139
 */
#define _GNU_SOURCE
#include <execinfo.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>

#define FPSIMD_MAGIC_ 0x46508001u

/* The fpsimd_context record of <asm/sigcontext.h>. */
struct fpsimd_rec {
	uint32_t magic, size, fpsr, fpcr;
	uint8_t vregs[32][16];
};

/*
 * ctx_gprs(out): x1-x8 and x10-x28 get the pattern 0x0101010101010101 * n, then a udf; the
 * handler skips it; every register is then stored to out[n] (x9 holds out).
 */
__asm__(".text\n"
	".p2align 2\n"
	".global ctx_gprs\n.type ctx_gprs, %function\nctx_gprs:\n"
	"\tstp x29, x30, [sp, #-96]!\n\tmov x29, sp\n"
	"\tstp x19, x20, [sp, #16]\n\tstp x21, x22, [sp, #32]\n\tstp x23, x24, [sp, #48]\n"
	"\tstp x25, x26, [sp, #64]\n\tstp x27, x28, [sp, #80]\n"
	"\tmov x9, x0\n\tldr x0, =0x0101010101010101\n"
	"\t.irp n,1,2,3,4,5,6,7,8,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28\n"
	"\tmov x17, #\\n\n\tmul x\\n, x0, x17\n"
	"\t.endr\n"
	"\tmov x0, x9\n"
	".global ctx_gprs_udf\nctx_gprs_udf:\n\tudf #0\n"
	"\t.irp n,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28\n"
	"\tstr x\\n, [x9, #(\\n * 8)]\n"
	"\t.endr\n"
	"\tldp x19, x20, [sp, #16]\n\tldp x21, x22, [sp, #32]\n\tldp x23, x24, [sp, #48]\n"
	"\tldp x25, x26, [sp, #64]\n\tldp x27, x28, [sp, #80]\n"
	"\tldp x29, x30, [sp], #96\n\tret\n"
	".ltorg\n"
	/* ctx_fp(in, out, fpcr): q0-q31 from in[], FPCR, FPSR.QC set; udf; then q0-q31 to
	 * out[], FPCR to out[32], FPSR to out[33] (d8-d15 preserved for the caller). */
	".global ctx_fp\n.type ctx_fp, %function\nctx_fp:\n"
	"\tstp d8, d9, [sp, #-64]!\n\tstp d10, d11, [sp, #16]\n"
	"\tstp d12, d13, [sp, #32]\n\tstp d14, d15, [sp, #48]\n"
	"\tmrs x9, fpcr\n\tmsr fpcr, x2\n"
	"\tmov x10, #(1 << 27)\n\tmsr fpsr, x10\n"
"\tldp q0, q1, [x0], #32\n"
	"\tldp q2, q3, [x0], #32\n"
	"\tldp q4, q5, [x0], #32\n"
	"\tldp q6, q7, [x0], #32\n"
	"\tldp q8, q9, [x0], #32\n"
	"\tldp q10, q11, [x0], #32\n"
	"\tldp q12, q13, [x0], #32\n"
	"\tldp q14, q15, [x0], #32\n"
	"\tldp q16, q17, [x0], #32\n"
	"\tldp q18, q19, [x0], #32\n"
	"\tldp q20, q21, [x0], #32\n"
	"\tldp q22, q23, [x0], #32\n"
	"\tldp q24, q25, [x0], #32\n"
	"\tldp q26, q27, [x0], #32\n"
	"\tldp q28, q29, [x0], #32\n"
	"\tldp q30, q31, [x0], #32\n"
		".global ctx_fp_udf\nctx_fp_udf:\n\tudf #0\n"
	"\tmrs x11, fpcr\n\tmrs x12, fpsr\n\tmsr fpcr, x9\n"
"\tstp q0, q1, [x1], #32\n"
	"\tstp q2, q3, [x1], #32\n"
	"\tstp q4, q5, [x1], #32\n"
	"\tstp q6, q7, [x1], #32\n"
	"\tstp q8, q9, [x1], #32\n"
	"\tstp q10, q11, [x1], #32\n"
	"\tstp q12, q13, [x1], #32\n"
	"\tstp q14, q15, [x1], #32\n"
	"\tstp q16, q17, [x1], #32\n"
	"\tstp q18, q19, [x1], #32\n"
	"\tstp q20, q21, [x1], #32\n"
	"\tstp q22, q23, [x1], #32\n"
	"\tstp q24, q25, [x1], #32\n"
	"\tstp q26, q27, [x1], #32\n"
	"\tstp q28, q29, [x1], #32\n"
	"\tstp q30, q31, [x1], #32\n"
		"\tstp x11, x12, [x1]\n"
	"\tldp d10, d11, [sp, #16]\n\tldp d12, d13, [sp, #32]\n"
	"\tldp d14, d15, [sp, #48]\n\tldp d8, d9, [sp], #64\n\tret\n"
	/* The restorer for SA_RESTORER: what glibc would use if it had none of its own. */
	".global ctx_restorer\n.type ctx_restorer, %function\nctx_restorer:\n"
	"\tmov x8, #139\n\tsvc #0\n");
void ctx_gprs(uint64_t out[31]);
void ctx_fp(const uint8_t in[32][16], uint64_t out[66], uint64_t fpcr);
void ctx_restorer(void);
extern const char ctx_gprs_udf[], ctx_fp_udf[];

static uint64_t pattern(int n)
{
	return 0x0101010101010101ull * (uint64_t)n;
}

static sigjmp_buf jb;
static volatile uintptr_t sp_seen; /* the sp the first handler's frame saved */

/* The handler for the regs mode: check what was saved, edit x10, x19 and pc. */
static void on_ill_regs(int sig, siginfo_t *si, void *ucv)
{
	(void)sig;
	ucontext_t *uc = ucv;
	mcontext_t *mc = &uc->uc_mcontext;
	int same = 1;
	for (int n = 1; n <= 28; n++)
		if (n != 9 && n != 17 && mc->regs[n] != pattern(n))
			same = 0;
	printf("x1-x28 saved as set: %d; pc at the udf: %d; x0 is x9: %d\n", same,
	       (int)(mc->pc == (uintptr_t)ctx_gprs_udf), (int)(mc->regs[0] == mc->regs[9]));
	/* The frame record {x29, x30} just below the interrupted sp; x29 at entry points at
	 * it, and the frame (siginfo first) ends right below it. */
	const uint64_t *rec = *(uint64_t *const *)__builtin_frame_address(0);
	printf("frame record: at sp-16 %d, holds x29 %d and x30 %d, frame ends there %d\n",
	       (int)((uintptr_t)rec == mc->sp - 16), (int)(rec[0] == mc->regs[29]),
	       (int)(rec[1] == mc->regs[30]), (int)((uintptr_t)si + 4688 == (uintptr_t)rec));
	printf("uc_flags %lu uc_link %p\n", uc->uc_flags, (void *)uc->uc_link);
	mc->regs[10] = 0xabc;
	mc->regs[19] = 0xdef;
	mc->pc += 4;
}

static void regs(void)
{
	struct sigaction sa = {.sa_sigaction = on_ill_regs, .sa_flags = SA_SIGINFO};
	sigemptyset(&sa.sa_mask);
	sigaction(SIGILL, &sa, NULL);
	uint64_t out[31] = {0};
	ctx_gprs(out);
	for (int n = 1; n <= 28; n++) {
		if (n == 9 || n == 17)
			continue;
		if (out[n] != pattern(n))
			printf("x%d after return: %#lx\n", n, (unsigned long)out[n]);
	}
	printf("the other registers as set: done\n");
}

static uint8_t fp_in[32][16];
static volatile int fp_edit; /* the handler edits v5 and FPCR in the saved record */

static void on_ill_fp(int sig, siginfo_t *si, void *ucv)
{
	(void)sig, (void)si;
	ucontext_t *uc = ucv;
	struct fpsimd_rec *fp = (struct fpsimd_rec *)(void *)uc->uc_mcontext.__reserved;
	printf("fpsimd_context first: %d, size %u, v0-v31 saved as set: %d, FPSR.QC %u, "
	       "FPCR.RMode %u\n",
	       (int)(fp->magic == FPSIMD_MAGIC_), fp->size,
	       (int)!memcmp(fp->vregs, fp_in, sizeof(fp_in)), (fp->fpsr >> 27) & 1,
	       (fp->fpcr >> 22) & 3);
	/* Clobber every FP/SIMD register and FPCR/FPSR here. */
	volatile double d = 1.0;
	for (int i = 0; i < 10; i++)
		d = d * 3.5 + 0.25;
	__asm__ volatile(
			 "movi v0.16b, #0x5a\n\tmovi v1.16b, #0x5a\n\t"
			 "movi v2.16b, #0x5a\n\tmovi v3.16b, #0x5a\n\t"
			 "movi v4.16b, #0x5a\n\tmovi v5.16b, #0x5a\n\t"
			 "movi v6.16b, #0x5a\n\tmovi v7.16b, #0x5a\n\t"
			 "movi v8.16b, #0x5a\n\tmovi v9.16b, #0x5a\n\t"
			 "movi v10.16b, #0x5a\n\tmovi v11.16b, #0x5a\n\t"
			 "movi v12.16b, #0x5a\n\tmovi v13.16b, #0x5a\n\t"
			 "movi v14.16b, #0x5a\n\tmovi v15.16b, #0x5a\n\t"
			 "movi v16.16b, #0x5a\n\tmovi v17.16b, #0x5a\n\t"
			 "movi v18.16b, #0x5a\n\tmovi v19.16b, #0x5a\n\t"
			 "movi v20.16b, #0x5a\n\tmovi v21.16b, #0x5a\n\t"
			 "movi v22.16b, #0x5a\n\tmovi v23.16b, #0x5a\n\t"
			 "movi v24.16b, #0x5a\n\tmovi v25.16b, #0x5a\n\t"
			 "movi v26.16b, #0x5a\n\tmovi v27.16b, #0x5a\n\t"
			 "movi v28.16b, #0x5a\n\tmovi v29.16b, #0x5a\n\t"
			 "movi v30.16b, #0x5a\n\tmovi v31.16b, #0x5a\n\t"
			 "msr fpsr, xzr\n\tmsr fpcr, xzr\n" ::
				 : "v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8", "v9",
				   "v10", "v11", "v12", "v13", "v14", "v15", "v16", "v17", "v18",
				   "v19", "v20", "v21", "v22", "v23", "v24", "v25", "v26", "v27",
				   "v28", "v29", "v30", "v31");
	if (fp_edit) {
		memset(&fp->vregs[5], 0x77, 16);
		fp->fpcr = (fp->fpcr & ~(3u << 22)) | (2u << 22); /* round towards minus infinity */
	}
	uc->uc_mcontext.pc += 4;
}

static void fp(void)
{
	struct sigaction sa = {.sa_sigaction = on_ill_fp, .sa_flags = SA_SIGINFO};
	sigemptyset(&sa.sa_mask);
	sigaction(SIGILL, &sa, NULL);
	for (int r = 0; r < 32; r++)
		for (int b = 0; b < 16; b++)
			fp_in[r][b] = (uint8_t)(r * 16 + b + 1);
	for (fp_edit = 0; fp_edit < 2; fp_edit++) {
		uint64_t out[66] = {0};
		ctx_fp(fp_in, out, 1ull << 22 /* round towards plus infinity */);
		const uint8_t(*v)[16] = (const uint8_t(*)[16])(void *)out;
		printf("%s: ", fp_edit ? "edited in the frame" : "as saved");
		for (int r = 0; r < 32; r++)
			if (memcmp(v[r], fp_in[r], 16))
				printf("v%d differs (byte 0 %#x) ", r, v[r][0]);
		printf("FPCR.RMode %u FPSR.QC %u\n", (unsigned)(out[64] >> 22) & 3,
		       (unsigned)(out[65] >> 27) & 1);
	}
}

static void on_usr1_restorer(int sig)
{
	printf("handler for %d returns to the restorer: %d\n", sig,
	       (int)(__builtin_return_address(0) == (void *)ctx_restorer));
}

static void restorer(void)
{
	/* The kernel's struct sigaction on arm64: handler, flags, restorer, mask. */
	struct {
		void (*handler)(int);
		unsigned long flags;
		void (*restorer)(void);
		uint64_t mask;
	} ksa = {on_usr1_restorer, 0x04000000 /* SA_RESTORER */, ctx_restorer, 0};
	long rc = syscall(SYS_rt_sigaction, SIGUSR1, &ksa, NULL, 8);
	printf("rt_sigaction with SA_RESTORER: %ld\n", rc);
	raise(SIGUSR1);
	printf("back\n");
}

static void *frames[64];
static volatile int nframes;

static void on_segv_unwind(int sig)
{
	(void)sig;
	nframes = backtrace(frames, 64);
	siglongjmp(jb, 1);
}

__attribute__((noinline)) static int unwind_victim(volatile int *p)
{
	int v = *p; /* faults: the handler unwinds from here */
	__asm__ volatile("" ::: "memory");
	return v + 1;
}

__attribute__((noinline)) static void unwind(void)
{
	signal(SIGSEGV, on_segv_unwind);
	if (!sigsetjmp(jb, 1))
		unwind_victim((volatile int *)16);
	int found = 0;
	for (int i = 0; i < nframes; i++) {
		uintptr_t a = (uintptr_t)frames[i];
		if (a >= (uintptr_t)unwind_victim && a < (uintptr_t)unwind_victim + 64)
			found = 1;
	}
	printf("backtrace from the handler reaches the faulting function: %d\n", found);
}

static void on_segv_report(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;
	/* rt_sigreturn had restored sp before it found the frame bad: si_addr is that sp. */
	printf("%s si_code %d at the restored sp %d, fault_address %#lx\n", strsignal(sig),
	       si->si_code, (int)((uintptr_t)si->si_addr == sp_seen),
	       (unsigned long)uc->uc_mcontext.fault_address);
	siglongjmp(jb, 1);
}

static void on_usr1_corrupt(int sig, siginfo_t *si, void *ucv)
{
	(void)sig;
	ucontext_t *uc = ucv;
	(void)si;
	sp_seen = uc->uc_mcontext.sp;
	if (fp_edit)
		uc->uc_mcontext.pstate = 0x5; /* EL1h */
	else
		((struct fpsimd_rec *)(void *)uc->uc_mcontext.__reserved)->magic = 0;
}

static void badframe(int pstate)
{
	struct sigaction sa = {.sa_sigaction = on_usr1_corrupt, .sa_flags = SA_SIGINFO};
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
	sa.sa_sigaction = on_segv_report;
	sigaction(SIGSEGV, &sa, NULL);
	fp_edit = pstate;
	if (!sigsetjmp(jb, 1)) {
		raise(SIGUSR1);
		printf("not reached\n");
	}
	printf("recovered\n");
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	const char *m = argc > 1 ? argv[1] : "";
	if (!strcmp(m, "regs"))
		regs();
	else if (!strcmp(m, "fp"))
		fp();
	else if (!strcmp(m, "restorer"))
		restorer();
	else if (!strcmp(m, "unwind"))
		unwind();
	else if (!strcmp(m, "badframe"))
		badframe(0);
	else if (!strcmp(m, "badpstate"))
		badframe(1);
	else if (!strcmp(m, "rawreturn")) {
		printf("rt_sigreturn from main\n");
		fflush(stdout);
		syscall(SYS_rt_sigreturn);
		printf("not reached\n");
	} else {
		fprintf(stderr, "usage: sigcontext regs|fp|restorer|unwind|badframe|badpstate|"
				"rawreturn\n");
		return 64;
	}
	return 0;
}
