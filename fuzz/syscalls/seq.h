// SPDX-License-Identifier: Apache-2.0
/* seq.h: the differential syscall fuzzer's grammar: bytes to a short, safe syscall sequence. */
#ifndef WARMFORK_SYSCALL_SEQ_H
#define WARMFORK_SYSCALL_SEQ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/*
 * An input is a list of 8-byte records, one syscall each: opcode, then arguments that select
 * from small tables (paths inside a scratch directory, sizes, offsets, flags with valid and
 * invalid bits, good and bad buffers, fds of earlier results). Nothing reaches outside the
 * scratch directory, nothing blocks (pipes are non-blocking), nothing forks or execs, and no
 * address or time is compared: only results, errno values and digests of returned data.
 */
#define SEQ_MAX_OPS 16
#define SEQ_REC     8

struct seq_result {
	uint32_t nops;
	int32_t pad;
	int64_t ret[SEQ_MAX_OPS];     /* the raw result: >= 0, or -errno */
	uint64_t digest[SEQ_MAX_OPS]; /* what the call returned besides ret (data, stat fields) */
};

/*
 * Run the sequence encoded in data[0..n) with every path below `scratch` (an existing, empty
 * directory), and record each call's outcome. Used natively (in a child process) and in the
 * guest (guests/syscalls: the same file, built for the sandbox). Returns the number of ops.
 */
unsigned seq_run(const uint8_t *data, size_t n, const char *scratch, struct seq_result *out);

/* The name of the call a record makes ("openat"). */
const char *seq_op_name(const uint8_t *rec);

/* Print the sequence readably, one call per line, with both sides' results where given. */
void seq_print(FILE *f, const uint8_t *data, size_t n, const struct seq_result *native,
	       const struct seq_result *guest);

#endif
