// SPDX-License-Identifier: Apache-2.0
/* afl_stdin_main.c: main() for a bench target in AFL++'s classic fork-server mode: one input from stdin per process. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

/*
 * The comparison fuzz/bench makes for afl_guest: the same libFuzzer-style target source,
 * built natively with -fsanitize-coverage=trace-pc-guard and linked with AFL++'s runtime,
 * which starts its fork server before main() (no persistent loop, no deferred start, no
 * shared-memory input): afl-fuzz forks one process per input and passes it on stdin.
 */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_INPUT (1u << 20)

int main(void)
{
	static uint8_t buf[MAX_INPUT];
	size_t len = 0;
	ssize_t n;
	while (len < sizeof(buf) && (n = read(0, buf + len, sizeof(buf) - len)) > 0)
		len += (size_t)n;
	LLVMFuzzerTestOneInput(buf, len);
	return 0;
}
