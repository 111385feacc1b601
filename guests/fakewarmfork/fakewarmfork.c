// SPDX-License-Identifier: Apache-2.0
/* fakewarmfork.c: a stand-in for the warmfork CLI, to test guests/compare.sh without a VMM.
 *
 *   fakewarmfork run [--mem SIZE] [--timeout SEC] [--allow-read DIR] [--allow-write DIR]
 *                    [--trace] [--] PROG [ARGS...]
 *
 * Runs PROG natively with exactly the argv (argv[0] = PROG as given), environment and stdio
 * the CLI promises its guest. Options are accepted and ignored: allow-lists are NOT enforced,
 * so compare.sh's warmfork-only cases fail under it. Like the CLI, a guest killed by a signal
 * gets a one-line report naming the signal on stderr and the exit status 128+signal; a normal
 * exit passes the status through. (A shell script cannot do this: the shell would reorder the
 * environment and add PWD and SHLVL to it.)
 */
#define _GNU_SOURCE /* sigabbrev_np */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

int main(int argc, char **argv)
{
	int i = 2;
	if (argc < 3 || strcmp(argv[1], "run") != 0)
		goto usage;
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		}
		if (strcmp(argv[i], "--trace") == 0)
			continue;
		if ((strcmp(argv[i], "--mem") == 0 || strcmp(argv[i], "--timeout") == 0 ||
		     strcmp(argv[i], "--allow-read") == 0 || strcmp(argv[i], "--allow-write") == 0) &&
		    i + 1 < argc) {
			i++;
			continue;
		}
		fprintf(stderr, "fakewarmfork: unknown option %s\n", argv[i]);
		return 2;
	}
	if (i >= argc)
		goto usage;

	pid_t pid = fork();
	if (pid < 0) {
		perror("fakewarmfork: fork");
		return 125;
	}
	if (pid == 0) {
		execve(argv[i], argv + i, environ);
		fprintf(stderr, "fakewarmfork: %s: %s\n", argv[i], strerror(errno));
		_exit(127);
	}
	int st;
	while (waitpid(pid, &st, 0) < 0) {
		perror("fakewarmfork: waitpid");
		return 125;
	}
	if (WIFSIGNALED(st)) {
		int sig = WTERMSIG(st);
		fprintf(stderr, "fakewarmfork: guest killed by SIG%s\n", sigabbrev_np(sig));
		return 128 + sig;
	}
	return WEXITSTATUS(st);
usage:
	fprintf(stderr, "usage: fakewarmfork run [OPTIONS] [--] PROG [ARGS...]\n");
	return 2;
}
