// SPDX-License-Identifier: Apache-2.0
/* bench_procs_guest.c: guest for `warmfork bench`'s process figures: fork+exit+wait and fork+exec+wait loops, timed by itself. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

/* bench_procs_guest fork N | exec N | exit: prints the microseconds per iteration. The same
 * binary runs natively and in warmfork, so the two figures compare like with like. */
int main(int argc, char **argv)
{
	if (argc < 2 || !strcmp(argv[1], "exit"))
		return 0;
	int n = argc > 2 ? atoi(argv[2]) : 10;
	bool exec = !strcmp(argv[1], "exec");
	char *child_argv[] = {argv[0], "exit", NULL};
	char *envp[] = {NULL};
	double t0 = now_us();
	for (int i = 0; i < n; i++) {
		pid_t pid = fork();
		if (pid < 0)
			return 2;
		if (pid == 0) {
			if (exec)
				execve(argv[0], child_argv, envp);
			_exit(exec ? 127 : 0);
		}
		int st;
		if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st))
			return 3;
	}
	printf("%.1f\n", (now_us() - t0) / n);
	return 0;
}
