// SPDX-License-Identifier: Apache-2.0
/* syscall_fuzz_input.h: how syscall_fuzz and syscall_fuzz_kvm read an input: syscall numbers and hostile arguments. */
#ifndef WARMFORK_SYSCALL_FUZZ_INPUT_H
#define WARMFORK_SYSCALL_FUZZ_INPUT_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "util.h"
#include "linux/syscall.h"

/*
 * An input is a short program: up to SF_MAX_CALLS syscalls, each a number picked from the
 * ones in play and six arguments, each of one kind: a small or raw integer, a pointer into
 * guest memory, one just before the end of a mapping, one into a page with no access or a
 * read-only page, an address outside RAM or the user range, or a length-like value.
 */
#define SF_MAX_CALLS 8

/* Left out: calls that can block the host thread on their own (reads of empty pipes, sleeps,
 * waits; an eventfd, whose write blocks when its counter is full), need the VM's scheduler (clone) or would replace the native side (execve,
 * execveat). A hang there would be Linux's behaviour too. */
static const char *const sf_denied[] = {
	"read", "readv", "pread64", "preadv", "preadv2", "ppoll", "pselect6", "nanosleep",
	"clock_nanosleep", "futex", "rt_sigsuspend", "rt_sigtimedwait", "wait4", "waitid",
	"epoll_pwait", "epoll_pwait2", "eventfd2", "execve", "execveat", "clone", "clone3", "pipe2", "socketpair", "socket",
	"accept", "accept4", "connect", "recvfrom", "recvmsg", "sendto", "sendmsg", "flock",
};

/* The syscall numbers in play: the emulated ones not denied, into nrs; their count. */
static inline unsigned sf_numbers(const struct wf_systab *tab, int nrs[WF_NR_MAX])
{
	unsigned n = 0;
	for (int nr = 0; nr < WF_NR_MAX; nr++) {
		const struct wf_syscall_def *d = tab->by_nr[nr];
		bool ok = d != NULL;
		for (size_t i = 0; ok && i < ARRAY_SIZE(sf_denied); i++)
			ok = strcmp(d->name, sf_denied[i]) != 0;
		if (ok)
			nrs[n++] = nr;
	}
	return n;
}

/* A call in play that could still block on its own: fcntl's waiting lock commands (an OFD
 * lock conflicts with one the same process holds through another description). */
static inline bool sf_may_block(int nr, const uint64_t a[6])
{
	int cmd = (int)a[1];
	return nr == WF_NR_fcntl && (cmd == 7 /* F_SETLKW */ || cmd == 38 /* F_OFD_SETLKW */);
}

struct sf_cursor {
	const uint8_t *p, *end;
};

static inline uint64_t sf_take(struct sf_cursor *c, unsigned n)
{
	uint64_t v = 0;
	for (unsigned i = 0; i < n && c->p < c->end; i++)
		v |= (uint64_t)*c->p++ << (8 * i);
	return v;
}

/* Where pointer arguments aim, in the address space under test. */
struct sf_space {
	uint64_t lo, size;        /* memory the guest can use: [lo, lo + size) */
	uint64_t end;             /* an end of mapped memory (pointers just before it) */
	uint64_t noaccess, rdonly; /* a page with no access, a read-only page */
	const uint64_t *bad;      /* addresses outside RAM or the user range */
	unsigned nbad;
	const uint64_t *extra;    /* valid pointers of interest (paths, buffers), or NULL */
	unsigned nextra;
};

static inline uint64_t sf_arg(struct sf_cursor *c, const struct sf_space *s)
{
	switch (sf_take(c, 1) % 10) {
	case 0:
		return (uint64_t)(int64_t)(int8_t)sf_take(c, 1); /* small, maybe negative */
	case 1:
		return sf_take(c, 4);
	case 2:
		return sf_take(c, 8);
	case 3:
		return s->lo + sf_take(c, 4) % s->size; /* anywhere */
	case 4:
		return s->end - 1 - sf_take(c, 1); /* just before the end of a mapping */
	case 5:
		return s->noaccess + sf_take(c, 2) % 4096;
	case 6:
		return s->rdonly + sf_take(c, 2) % 4096;
	case 7:
		return s->bad[sf_take(c, 1) % s->nbad];
	case 8:
		if (s->nextra)
			return s->extra[sf_take(c, 1) % s->nextra];
		/* fall through */
	default: {
		unsigned b = sf_take(c, 1) % 66;
		return b == 65 ? ~0ull : b == 64 ? 0 : 1ull << b; /* length-like */
	}
	}
}

#endif
