// SPDX-License-Identifier: Apache-2.0
/* guest.c: the sandboxed side of the differential syscall fuzzer: seq_run behind a vmcall. */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "seq.h"
#include "warmfork.h"

static char scratch[256];

/* Called by fuzz_syscalls in a warm fork, once per input: the same code as its native side. */
long wf_seq(const uint8_t *data, size_t n, struct seq_result *out);
long wf_seq(const uint8_t *data, size_t n, struct seq_result *out)
{
	return seq_run(data, n, scratch, out);
}

/* usage: syscall_seq.guest SCRATCH_DIR [INPUT...]  (natively: runs and prints each input) */
int main(int argc, char **argv)
{
	if (argc < 2 || strlen(argv[1]) >= sizeof(scratch)) {
		fprintf(stderr, "usage: %s SCRATCH_DIR\n", argv[0]);
		return 2;
	}
	strcpy(scratch, argv[1]);
	signal(SIGPIPE, SIG_IGN); /* as the native side: writes to a closed pipe give EPIPE */
	warmfork_ready();
	for (int i = 2; i < argc; i++) {
		static uint8_t in[SEQ_MAX_OPS * SEQ_REC];
		FILE *f = fopen(argv[i], "rb");
		size_t n = f ? fread(in, 1, sizeof(in), f) : 0;
		if (f)
			fclose(f);
		struct seq_result r;
		seq_run(in, n, scratch, &r);
		printf("%s:\n", argv[i]);
		seq_print(stdout, in, n, &r, NULL);
	}
	return 0;
}
