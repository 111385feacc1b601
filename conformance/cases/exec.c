// SPDX-License-Identifier: Apache-2.0
/* exec.c: conformance cases for execve/execveat: errors, argv/envp, #! scripts, what a new program keeps. */
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "conf.h"

/*
 * The program execs itself ($CONF_BIN/conf_exec.gcc, which the runner lets the sandbox
 * read) as a helper: when its first argument is "helper" a constructor prints what the new
 * program got (argv, the T_* environment, fd flags, signal dispositions, mask, pid) with raw
 * writes and leaves before main. Paths print with $BIN and $WORK in place of the two
 * directories. The parent forks, the child execs, the parent waits, so lines keep order.
 */

static void out(const char *s)
{
	SYS(write, 1, s, strlen(s));
}

static void show_path(const char *label, const char *s)
{
	const char *bin = getenv("T_BIN"), *work = getenv("T_WORK");
	char line[4200];
	size_t nb = bin ? strlen(bin) : 0, nw = work ? strlen(work) : 0;
	if (nb && !strncmp(s, bin, nb))
		snprintf(line, sizeof(line), "%s=$BIN%s\n", label, s + nb);
	else if (nw && !strncmp(s, work, nw))
		snprintf(line, sizeof(line), "%s=$WORK%s\n", label, s + nw);
	else
		snprintf(line, sizeof(line), "%s=%s\n", label, s);
	out(line);
}

__attribute__((constructor)) static void helper(int argc, char **argv, char **envp)
{
	int at = 0;
	while (at < argc && strcmp(argv[at], "helper"))
		at++;
	if (at == argc)
		return;
	char line[256];
	snprintf(line, sizeof(line), "helper: argc %d, \"helper\" at %d\n", argc, at);
	out(line);
	for (int i = 0; i < argc; i++) {
		snprintf(line, sizeof(line), "  argv[%d]", i);
		show_path(line, argv[i]);
	}
	for (char **e = envp; *e; e++)
		if (!strncmp(*e, "T_", 2) && strncmp(*e, "T_BIN=", 6) && strncmp(*e, "T_WORK=", 7) &&
		    strncmp(*e, "T_PID=", 6))
			show_path("  env", *e);
	for (int fd = 3; fd < 8; fd++) {
		snprintf(line, sizeof(line), "  fd %d: F_GETFD %ld\n", fd, SYS(fcntl, fd, F_GETFD));
		out(line);
	}
	struct sigaction sa;
	sigaction(SIGUSR1, NULL, &sa);
	int usr1 = sa.sa_handler == SIG_DFL;
	sigaction(SIGUSR2, NULL, &sa);
	int usr2 = sa.sa_handler == SIG_IGN;
	sigset_t m;
	sigprocmask(SIG_SETMASK, NULL, &m);
	const char *pid = getenv("T_PID");
	snprintf(line, sizeof(line), "  USR1 default %d, USR2 ignored %d, TERM blocked %d, pid kept %d\n",
		 usr1, usr2, sigismember(&m, SIGTERM), pid && atol(pid) == SYS0(getpid));
	out(line);
	SYS(exit_group, 0);
}

/* A file with contents text and mode (less the umask). */
static void make_file(const char *name, const char *text, int mode)
{
	long fd = SYS(openat, AT_FDCWD, name, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	conf_must(fd < 0 ? fd : 0, name);
	if (fd >= 0) {
		SYS(write, fd, text, strlen(text));
		SYS(close, fd);
	}
}

static char self[4096];

static const char *self_path(void)
{
	const char *bin = getenv("CONF_BIN");
	snprintf(self, sizeof(self), "%s/conf_exec.gcc", bin ? bin : ".");
	return self;
}

/* Fork; the child execs path with argv and the T_* environment; the parent reaps it. */
static void run(const char *path, char *const argv[], int exec_at)
{
	conf_flush();
	long child = SYS(clone, SIGCHLD, 0, 0, 0, 0);
	if (child == 0) {
		static char bin[4200], work[4200], pidv[64];
		snprintf(bin, sizeof(bin), "T_BIN=%s", getenv("CONF_BIN") ? getenv("CONF_BIN") : "");
		char cwd[4096];
		snprintf(work, sizeof(work), "T_WORK=%s", getcwd(cwd, sizeof(cwd)) ? cwd : "");
		snprintf(pidv, sizeof(pidv), "T_PID=%ld", SYS0(getpid));
		char *envp[] = {bin, work, pidv, "T_X=one two", NULL};
		long r = exec_at ? SYS(execveat, AT_FDCWD, path, argv, envp, 0) :
				   SYS(execve, path, argv, envp);
		SYS(exit_group, 100 + (int)-r);
	}
	int status = 0;
	SYS(wait4, child, &status, 0, NULL);
	conf_fact("child", "exit %d", WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status));
}

CONF_CASE(errors, "execve execveat")
{
	char *argv[] = {"x", NULL}, *envp[] = {NULL};
	make_file("plain", "no interpreter here\n", 0755);
	make_file("noexec", "#!/bin/sh\n", 0644);
	T(execve, "missing", argv, envp);
	T(execve, ".", argv, envp);
	T(execve, "noexec", argv, envp);
	T(execve, "plain", argv, envp);
	T(execve, "", argv, envp);
	T(execve, CONF_BADPTR, argv, envp);
	T(execve, "plain", CONF_BADPTR, envp);
	T(execve, "missing", argv, CONF_BADPTR);
	T(execveat, AT_FDCWD, "plain", argv, envp, 0x8);
	T(execveat, 999, "plain", argv, envp, 0);
	T(execveat, 999, "", argv, envp, AT_EMPTY_PATH);
}

CONF_CASE(argv_env, "execve")
{
	char *argv[] = {"first", "helper", "with space", "", NULL};
	run(self_path(), argv, 0);
	char *only[] = {"helper", NULL};
	run(self_path(), only, 1);
}

CONF_CASE(script, "execve")
{
	char text[4200];
	snprintf(text, sizeof(text), "#!  %s   helper  \nnot read\n", self_path());
	make_file("script", text, 0755);
	char *argv[] = {"name0", "arg1", NULL};
	run("./script", argv, 0);
	snprintf(text, sizeof(text), "#!%s\n", "./script");
	make_file("nested", text, 0755);
	run("nested", argv, 0);
}

static void on_usr1(int sig)
{
	(void)sig;
}

CONF_CASE(kept_and_lost, "execve fcntl rt_sigaction rt_sigprocmask")
{
	int keep = conf_open("plain2", O_RDONLY | O_CREAT);
	int lose = conf_open("plain2", O_RDONLY | O_CLOEXEC);
	conf_fact("fds", "keep %d lose %d", keep, lose);
	signal(SIGUSR1, on_usr1);
	signal(SIGUSR2, SIG_IGN);
	sigset_t m;
	sigemptyset(&m);
	sigaddset(&m, SIGTERM);
	sigprocmask(SIG_BLOCK, &m, NULL);
	char *argv[] = {"kept", "helper", NULL};
	run(self_path(), argv, 0);
	sigprocmask(SIG_UNBLOCK, &m, NULL);
	signal(SIGUSR1, SIG_DFL);
	signal(SIGUSR2, SIG_DFL);
}

static volatile int vfork_wrote;

/* posix_spawn's exec errors come back through memory the child shares with its parent (a
 * CLONE_VM vfork), and so does what a vfork child writes before it execs or exits. */
CONF_CASE(spawn, "clone execve wait4")
{
	char *argv[] = {"x", NULL}, *envp[] = {NULL};
	make_file("noexec3", "#!/bin/sh\n", 0644);
	pid_t pid = 0;
	conf_fact("posix_spawn missing", "%d", posix_spawn(&pid, "missing", NULL, NULL, argv, envp));
	conf_fact("posix_spawn not executable", "%d",
		  posix_spawn(&pid, "noexec3", NULL, NULL, argv, envp));
	int status = 0;
	T(wait4, -1, &status, WNOHANG, NULL); /* posix_spawn reaped the failed children */
	char *hargv[] = {"spawned", "helper", NULL};
	conf_flush();
	int r = posix_spawn(&pid, self_path(), NULL, NULL, hargv, envp);
	long w = SYS(wait4, pid, &status, 0, NULL);
	conf_fact("posix_spawn helper", "%d, waited same %d, exit %d", r, w == pid,
		  WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	vfork_wrote = 0;
	conf_flush();
	pid_t c = vfork();
	if (c == 0) {
		vfork_wrote = 42;
		_exit(3);
	}
	w = SYS(wait4, c, &status, 0, NULL);
	conf_fact("vfork", "waited same %d, exit %d, the parent sees the child's write: %d",
		  w == c, WIFEXITED(status) ? WEXITSTATUS(status) : -1, vfork_wrote);
}
