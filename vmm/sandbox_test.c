// SPDX-License-Identifier: Apache-2.0
/* sandbox_test.c: Check tests for the seccomp filter: what it refuses, what a running VMM still may do. */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/kvm.h>

#include "check_main.h"
#include "sandbox.h"
#include "linux/ptable.h"

/* The "Seccomp:" mode in /proc/self/status (0 none, 2 filter), read through the filter. */
static int seccomp_mode(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	if (!f)
		return -1;
	char line[256];
	int mode = -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "Seccomp: %d", &mode) == 1)
			break;
	fclose(f);
	return mode;
}

/* Run body in a child process (the filter cannot be undone); its exit status. */
static int in_child(int (*body)(void))
{
	fflush(NULL);
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0)
		_exit(body());
	int st;
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert_msg(WIFEXITED(st), "child status %#x", st);
	return WEXITSTATUS(st);
}

static int enter(void)
{
	struct wf_err e = {0};
	if (wf_sandbox_enter(&e)) {
		fprintf(stderr, "%s\n", e.msg);
		return 0;
	}
	return 1;
}

#define REFUSED(call) ((call) == -1 && errno == EPERM)

/* Each refusal has its own exit status, so a failure names the call that got through. */
static int refused_body(void)
{
	if (!enter())
		return 100;
	int sv[2];
	if (!REFUSED(socket(AF_INET, SOCK_STREAM, 0)))
		return 1; /* only AF_UNIX sockets: no network */
	if (!REFUSED(socketpair(AF_INET6, SOCK_STREAM, 0, sv)))
		return 2; /* only AF_UNIX pairs */
	if (!REFUSED(socket(AF_NETLINK, SOCK_DGRAM, 0)))
		return 14;
	char *argv[] = {"true", NULL}, *envp[] = {NULL};
	if (!REFUSED(execve("/bin/true", argv, envp)))
		return 3; /* had it run, this process would be true and exit 0 */
	if (!REFUSED(syscall(SYS_clone, CLONE_VM | SIGCHLD, 0, 0, 0, 0)))
		return 4; /* a process sharing this one's memory */
	if (!REFUSED(syscall(SYS_clone, CLONE_NEWUSER | SIGCHLD, 0, 0, 0, 0)))
		return 12; /* namespaces */
	if (!REFUSED(syscall(SYS_clone, CLONE_FILES | SIGCHLD, 0, 0, 0, 0)))
		return 13; /* a shared fd table */
	if (mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) !=
		    MAP_FAILED || errno != EPERM)
		return 5;
	void *page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (page == MAP_FAILED || !REFUSED(mprotect(page, 4096, PROT_READ | PROT_EXEC)))
		return 6;
	if (!REFUSED(ptrace(PTRACE_TRACEME, 0, NULL, NULL)))
		return 7;
	if (!REFUSED(kill(getppid(), 0)))
		return 8; /* another process */
	int p[2];
	if (pipe(p) || !REFUSED(ioctl(p[0], TIOCSTI, "x")))
		return 9; /* not a KVM or stdio ioctl (unfiltered: ENOTTY) */
	if (!REFUSED(prctl(PR_SET_NAME, "x", 0, 0, 0)))
		return 10;
	if (!REFUSED(syscall(SYS_setuid, getuid())))
		return 11;
	return 0;
}

static void *thread_fn(void *arg)
{
	*(int *)arg = 42;
	return NULL;
}

static int allowed_body(void)
{
	if (!enter())
		return 100;
	if (seccomp_mode() != 2)
		return 1;
	int p[2];
	char buf[4];
	if (pipe2(p, O_CLOEXEC) || write(p[1], "abc", 3) != 3 || read(p[0], buf, 3) != 3 ||
	    memcmp(buf, "abc", 3))
		return 2;
	void *big = malloc(8 << 20); /* mmap */
	if (!big)
		return 3;
	memset(big, 1, 8 << 20);
	free(big);
	int v = 0;
	pthread_t t;
	if (pthread_create(&t, NULL, thread_fn, &v) || pthread_join(t, NULL) || v != 42)
		return 4; /* threads: clone3 is ENOSYS, clone with CLONE_THREAD is allowed */
	DIR *d = opendir("/");
	if (!d || !readdir(d))
		return 5;
	closedir(d);
	if (kill(getpid(), 0))
		return 6;
	struct timespec ts = {0, 1000000};
	if (clock_nanosleep(CLOCK_MONOTONIC, 0, &ts, NULL))
		return 7;
	/* A guest process is a plain fork of the VMM, woken by the one signal allowed to
	 * other processes, and reaped. */
	signal(WF_WAKE_SIGNAL, SIG_IGN);
	int w[2];
	if (pipe2(w, O_CLOEXEC))
		return 9;
	pid_t child = (pid_t)syscall(SYS_clone, SIGCHLD, 0, 0, 0, 0);
	if (child == 0) {
		char c;
		close(w[1]);
		_exit(read(w[0], &c, 1) == 0 ? 3 : 4);
	}
	close(w[0]);
	int status = 0;
	if (child < 0 || kill(child, WF_WAKE_SIGNAL) || kill(child, SIGKILL) != -1 ||
	    errno != EPERM)
		return 9;
	close(w[1]);
	if (waitpid(child, &status, 0) != child || !WIFEXITED(status) || WEXITSTATUS(status) != 3)
		return 10;
	signal(WF_WAKE_SIGNAL, SIG_DFL);
	int sp[2];
	char got = 0;
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sp) || send(sp[0], "y", 1, 0) != 1 ||
	    recv(sp[1], &got, 1, 0) != 1 || got != 'y' || shutdown(sp[0], SHUT_WR))
		return 11; /* the guest's AF_UNIX socket pairs */
	struct sockaddr_un sa = {.sun_family = AF_UNIX, .sun_path = "\0warmfork-sandbox-test"};
	socklen_t salen = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 22);
	int ls = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	int cs = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (ls < 0 || cs < 0 || bind(ls, (struct sockaddr *)&sa, salen) || listen(ls, 1) ||
	    connect(cs, (struct sockaddr *)&sa, salen))
		return 12; /* and its AF_UNIX sockets with names */
	int as = accept4(ls, NULL, NULL, SOCK_CLOEXEC);
	if (as < 0 || getsockname(as, (struct sockaddr *)&sa, &salen) ||
	    getpeername(cs, (struct sockaddr *)&sa, &salen))
		return 13;
	int kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (kvm >= 0 && ioctl(kvm, KVM_GET_API_VERSION, 0) != KVM_API_VERSION)
		return 8;
	return 0;
}

static int unfiltered_body(void)
{
	/* The same refused calls work without the filter: the test above can tell. */
	int s = socket(AF_INET, SOCK_STREAM, 0);
	return seccomp_mode() == 0 && s >= 0 ? 0 : 1;
}

START_TEST(test_refused)
{
	int rc = in_child(refused_body);
	ck_assert_msg(rc == 0, "refused call %d ran (100: the filter was not installed)", rc);
}
END_TEST

START_TEST(test_allowed)
{
	int rc = in_child(allowed_body);
	ck_assert_msg(rc == 0, "allowed step %d failed", rc);
}
END_TEST

START_TEST(test_unfiltered)
{
	ck_assert_int_eq(in_child(unfiltered_body), 0);
}
END_TEST

START_TEST(test_disabled_by_env)
{
	unsetenv("WARMFORK_SECCOMP");
	ck_assert(!wf_sandbox_disabled_by_env());
	setenv("WARMFORK_SECCOMP", "1", 1);
	ck_assert(!wf_sandbox_disabled_by_env());
	setenv("WARMFORK_SECCOMP", "0", 1);
	ck_assert(wf_sandbox_disabled_by_env());
	unsetenv("WARMFORK_SECCOMP");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("sandbox");
	TCase *tc = tcase_create("sandbox");
	tcase_add_test(tc, test_refused);
	tcase_add_test(tc, test_allowed);
	tcase_add_test(tc, test_unfiltered);
	tcase_add_test(tc, test_disabled_by_env);
	suite_add_tcase(s, tc);
	return wf_check_run(s);
}
