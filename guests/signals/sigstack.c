// SPDX-License-Identifier: Apache-2.0
/* sigstack.c: sigaltstack: which stack handlers run on, what they see, the limits and overflows.
 *
 *   sigstack use        SA_ONSTACK handlers run on the alternate stack (SS_ONSTACK reported,
 *                       changes refused with EPERM); others on the normal stack; uc_stack
 *   sigstack limits     EINVAL, ENOMEM under MINSIGSTKSZ, SS_DISABLE, what sigaltstack reports
 *   sigstack autodisarm SS_AUTODISARM: off inside the handler, back after it
 *   sigstack overflow   nested handlers overflow an alternate stack with a guard page    -> 139
 *   sigstack recursion  a stack overflow caught by a SIGSEGV handler on the alternate stack
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

#define ALT_SIZE 65536
#ifndef SS_AUTODISARM
#define SS_AUTODISARM (1u << 31) /* <linux/signal.h>; glibc does not define it */
#endif

static char *alt;   /* the alternate stack */
static volatile sig_atomic_t depth;

static const char *flags(int f)
{
	static char s[64];
	snprintf(s, sizeof(s), "%s%s%s%s", f & SS_ONSTACK ? "SS_ONSTACK " : "",
		 f & SS_DISABLE ? "SS_DISABLE " : "",
		 (unsigned)f & SS_AUTODISARM ? "SS_AUTODISARM " : "",
		 (unsigned)f & ~(SS_ONSTACK | SS_DISABLE | SS_AUTODISARM) ? "other " : "");
	size_t n = strlen(s);
	if (!n)
		return "0";
	s[n - 1] = 0;
	return s;
}

/* What sigaltstack(NULL, &old) says now, with the base relative to alt. */
static void query(const char *what)
{
	stack_t cur;
	int rc = sigaltstack(NULL, &cur);
	printf("%s: rc %d, ss_sp %s%#lx, ss_size %zu, ss_flags %s\n", what, rc,
	       cur.ss_sp ? "alt+" : "", (unsigned long)(cur.ss_sp ? (char *)cur.ss_sp - alt : 0),
	       cur.ss_size, flags(cur.ss_flags));
}

static int set(void *sp, size_t size, int f)
{
	stack_t ss = {.ss_sp = sp, .ss_size = size, .ss_flags = f};
	errno = 0;
	return sigaltstack(&ss, NULL) ? -errno : 0;
}

static int on_alt(const void *p)
{
	return (const char *)p >= alt && (const char *)p < alt + ALT_SIZE;
}

static void on_usr(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;
	int local;
	(void)si;
	printf("handler for %s: on the alternate stack %d, frame on it %d, interrupted sp on it "
	       "%d\n",
	       sigabbrev_np(sig), on_alt(&local), on_alt(uc), on_alt((void *)uc->uc_mcontext.sp));
	printf("  uc_stack: ss_sp %s ss_size %zu ss_flags %s\n",
	       uc->uc_stack.ss_sp == alt ? "alt" : uc->uc_stack.ss_sp ? "?" : "NULL",
	       uc->uc_stack.ss_size, flags(uc->uc_stack.ss_flags));
	query("  sigaltstack in the handler");
	printf("  changing it here: %s\n", strerror(-set(alt, ALT_SIZE / 2, 0)));
	if (sig == SIGUSR1 && depth++ == 0) {
		printf("  a nested SIGUSR2 (SA_ONSTACK) from here:\n");
		raise(SIGUSR2);
	}
}

static void handle(int sig, int fl)
{
	struct sigaction sa = {.sa_sigaction = on_usr, .sa_flags = SA_SIGINFO | fl};
	sigemptyset(&sa.sa_mask);
	sigaction(sig, &sa, NULL);
}

static void use(void)
{
	query("at start");
	printf("set: %d\n", set(alt, ALT_SIZE, 0));
	query("after setting it");
	handle(SIGUSR1, SA_ONSTACK);
	handle(SIGUSR2, SA_ONSTACK);
	handle(SIGHUP, 0);
	raise(SIGUSR1);
	raise(SIGHUP);
	query("after the handlers");
}

static void limits(void)
{
	/* arm64's MINSIGSTKSZ (glibc's macro may be a sysconf call with _GNU_SOURCE). */
	printf("MINSIGSTKSZ - 1: %s\n", strerror(-set(alt, 5120 - 1, 0)));
	printf("MINSIGSTKSZ: %s\n", strerror(-set(alt, 5120, 0)));
	query("now");
	printf("flags 4: %s\n", strerror(-set(alt, ALT_SIZE, 4)));
	printf("SS_ONSTACK|SS_DISABLE: %s\n",
	       strerror(-set(alt, ALT_SIZE, SS_ONSTACK | SS_DISABLE)));
	printf("SS_ONSTACK as flags: %s\n", strerror(-set(alt, ALT_SIZE, SS_ONSTACK)));
	query("now");
	printf("SS_DISABLE (size 0, sp anything): %s\n", strerror(-set((void *)1, 0, SS_DISABLE)));
	query("now");
	printf("a bad pointer: %d\n", sigaltstack((const stack_t *)16, NULL) ? -errno : 0);
}

static void on_disarm(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;
	(void)sig, (void)si;
	int local;
	printf("handler: on the alternate stack %d; uc_stack ss_flags %s\n", on_alt(&local),
	       flags(uc->uc_stack.ss_flags));
	query("  sigaltstack in the handler");
	printf("  setting another one here: %s\n", strerror(-set(alt, ALT_SIZE / 2, 0)));
	query("  now");
}

static void autodisarm(void)
{
	printf("set: %d\n", set(alt, ALT_SIZE, (int)SS_AUTODISARM));
	query("after setting it");
	struct sigaction sa = {.sa_sigaction = on_disarm, .sa_flags = SA_SIGINFO | SA_ONSTACK};
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
	raise(SIGUSR1);
	query("after the handler (rt_sigreturn put the saved one back)");
}

static void on_deep(int sig)
{
	char line[64];
	int n = snprintf(line, sizeof(line), "depth %d\n", ++depth);
	write(1, line, (size_t)n);
	raise(sig);
}

static void overflow(void)
{
	/* Two pages of alternate stack above a PROT_NONE guard page. */
	char *m = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	mprotect(m, 4096, PROT_NONE);
	printf("set: %d\n", set(m + 4096, 8192, 0));
	fflush(stdout);
	struct sigaction sa = {.sa_handler = on_deep, .sa_flags = SA_ONSTACK | SA_NODEFER};
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
	raise(SIGUSR1);
	printf("not reached\n");
}

static void on_segv(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	int local;
	char line[128];
	int n = snprintf(line, sizeof(line),
			 "caught %s si_code %d on the alternate stack %d after deep recursion %d\n",
			 sigabbrev_np(sig), si->si_code, on_alt(&local), depth > 100);
	write(1, line, (size_t)n);
	_exit(3);
}

__attribute__((noinline)) static int recurse(int n)
{
	volatile char pad[1024];
	if (n < 0) /* never: keeps compilers from calling the recursion infinite */
		return 0;
	pad[0] = (char)n;
	depth = n;
	return recurse(n + 1) + pad[0];
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	const char *m = argc > 1 ? argv[1] : "";
	alt = malloc(ALT_SIZE);
	if (!strcmp(m, "use")) {
		use();
	} else if (!strcmp(m, "limits")) {
		limits();
	} else if (!strcmp(m, "autodisarm")) {
		autodisarm();
	} else if (!strcmp(m, "overflow")) {
		overflow();
	} else if (!strcmp(m, "recursion")) {
		printf("set: %d\n", set(alt, ALT_SIZE, 0));
		fflush(stdout);
		struct sigaction sa = {.sa_sigaction = on_segv,
				       .sa_flags = SA_SIGINFO | SA_ONSTACK};
		sigemptyset(&sa.sa_mask);
		sigaction(SIGSEGV, &sa, NULL);
		return recurse(1);
	} else {
		fprintf(stderr, "usage: sigstack use|limits|autodisarm|overflow|recursion\n");
		return 64;
	}
	return 0;
}
