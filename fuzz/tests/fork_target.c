// SPDX-License-Identifier: Apache-2.0
/* fork_target.c: a libFuzzer target that forks for each input; its bug needs the child's answer. */
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The child checksums the input and sends it back through a pipe; "LEAK" inputs leave a
 * child blocked forever (the reset must end it), "BOOM" with the right checksum aborts. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int fds[2];
	if (pipe(fds))
		abort();
	pid_t pid = fork();
	if (pid < 0)
		abort();
	if (pid == 0) {
		uint32_t sum = 0;
		for (size_t i = 0; i < size; i++)
			sum = sum * 31 + data[i];
		if (size >= 4 && !memcmp(data, "LEAK", 4))
			for (;;)
				pause(); /* until killed: by the reset */
		write(fds[1], &sum, sizeof(sum));
		_exit(size % 7);
	}
	close(fds[1]);
	if (size >= 4 && !memcmp(data, "LEAK", 4)) {
		close(fds[0]);
		return 0; /* no wait: the child is still there when the input ends */
	}
	uint32_t sum = 0;
	if (read(fds[0], &sum, sizeof(sum)) != sizeof(sum))
		abort();
	close(fds[0]);
	int status = 0;
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != size % 7)
		abort();
	if (size == 4 && !memcmp(data, "BOOM", 4) && sum == 2044651u)
		raise(SIGSEGV); /* 2044651: the child's checksum of "BOOM" */
	return 0;
}
