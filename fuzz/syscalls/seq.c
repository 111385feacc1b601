// SPDX-License-Identifier: Apache-2.0
/* seq.c: decode and run a short syscall sequence; the same code runs natively and as a guest. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* strerrorname_np, getrandom flags (the guest build does not define it) */
#endif
#include "seq.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#define NFDS  8
#define NMAPS 4
#define BUF   8192

struct ctx {
	const char *scratch;
	int fds[NFDS]; /* fds returned by earlier calls, round robin; -1: none */
	unsigned nfd;
	uintptr_t map[NMAPS];
	size_t map_len[NMAPS];
	unsigned nmap;
	char path[512], path2[512];
	uint8_t buf[BUF];
};

/* Raw system calls, so results are the kernel ABI's (-errno), not glibc's. */
static int64_t sc(long nr, long a, long b, long c, long d, long e)
{
	long r = syscall(nr, a, b, c, d, e, 0L); /* 0: mmap's offset, the only sixth argument */
	return r == -1 ? -(int64_t)errno : (int64_t)r;
}

static uint64_t fnv(const void *p, size_t n, uint64_t h)
{
	const uint8_t *b = p;
	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 1099511628211ull;
	return h;
}
#define FNV0 14695981039346656037ull

static const char *const names[] = {"a", "b", "d", "d/x", "nodir/x", "", ".", "l"};
#define NNAMES (sizeof(names) / sizeof(names[0]))

/* Path k (one name more than the table: a component longer than NAME_MAX). */
static const char *path(struct ctx *c, char *out, unsigned k)
{
	k %= NNAMES + 1;
	if (k == NNAMES) {
		size_t n = (size_t)snprintf(out, 512, "%s/", c->scratch);
		memset(out + n, 'n', 300);
		out[n + 300] = 0;
	} else {
		snprintf(out, 512, "%s/%s", c->scratch, names[k]);
	}
	return out;
}

/* An fd operand: one of the earlier results, or a closed/invalid number. */
static long fd(const struct ctx *c, uint8_t k)
{
	switch (k % 12) {
	case 8: return -1;
	case 9: return 999;
	case 10: return 5;
	case 11: return 0x7fffffff;
	default: return c->fds[k % NFDS];
	}
}

static void keep_fd(struct ctx *c, int64_t r)
{
	if (r >= 0)
		c->fds[c->nfd++ % NFDS] = (int)r;
}

static const size_t sizes[] = {0, 1, 7, 64, 4096, 5000, BUF};
static size_t size(uint8_t k)
{
	return sizes[k % (sizeof(sizes) / sizeof(sizes[0]))];
}

static const int64_t offs[] = {0, 1, 100, 4096, 8191, -1, 1ll << 40, -4096};
static int64_t off(uint16_t k)
{
	return offs[k % (sizeof(offs) / sizeof(offs[0]))];
}

/* A buffer operand: good, NULL, or an address that is never mapped (low memory). */
static void *buf(struct ctx *c, uint8_t k)
{
	switch (k % 6) {
	case 4: return NULL;
	case 5: return (void *)16;
	default: return c->buf;
	}
}

static const int open_flags[] = {O_CREAT, O_EXCL, O_TRUNC, O_APPEND, O_DIRECTORY, O_CLOEXEC,
				 O_NOFOLLOW};

/* Not in the grammar: symlinkat and linkat, which warmfork does not emulate (ENOSYS, see
 * docs/syscalls.md): a link made by the guest could lead a later path outside its allow-list. */
enum op {
	OP_OPENAT, OP_CLOSE, OP_READ, OP_WRITE, OP_PREAD, OP_PWRITE, OP_LSEEK, OP_DUP, OP_DUP3,
	OP_FCNTL, OP_PIPE2, OP_FSTAT, OP_FSTATAT, OP_MKDIRAT, OP_UNLINKAT, OP_FTRUNCATE,
	OP_GETDENTS, OP_MMAP, OP_MUNMAP, OP_MPROTECT, OP_GETRANDOM, OP_READLINKAT, OP_FACCESSAT,
	OP_RENAMEAT, OP_READV, OP_WRITEV, OP_COUNT
};

static const char *const op_names[OP_COUNT] = {
	"openat", "close", "read", "write", "pread64", "pwrite64", "lseek", "dup", "dup3",
	"fcntl", "pipe2", "fstat", "newfstatat", "mkdirat", "unlinkat", "ftruncate",
	"getdents64", "mmap", "munmap", "mprotect", "getrandom", "readlinkat", "faccessat",
	"renameat", "readv", "writev"};

static uint64_t stat_digest(const struct stat *st)
{
	/* Type and permission bits, size, links: not inode numbers, devices or times. */
	uint64_t v[3] = {st->st_mode, (uint64_t)st->st_size, st->st_nlink};
	return fnv(v, sizeof(v), FNV0);
}

static int64_t run_one(struct ctx *c, const uint8_t *r, uint64_t *dg)
{
	uint8_t a = r[1], b = r[2], k = r[3];
	uint16_t d = (uint16_t)(r[4] | r[5] << 8), e = (uint16_t)(r[6] | r[7] << 8);
	int64_t ret;
	struct stat st;
	switch (r[0] % OP_COUNT) {
	case OP_OPENAT: {
		int fl = (b & 3) == 3 ? O_RDWR | O_WRONLY : b & 3; /* 3: an invalid access mode */
		for (unsigned i = 0; i < 7; i++)
			if (b & (4u << i))
				fl |= open_flags[i];
		ret = sc(SYS_openat, AT_FDCWD, (long)path(c, c->path, a), fl | O_NONBLOCK,
			 k & 1 ? 0600 : 0755, 0);
		keep_fd(c, ret);
		return ret;
	}
	case OP_CLOSE:
		return sc(SYS_close, fd(c, a), 0, 0, 0, 0);
	case OP_READ:
	case OP_PREAD: {
		size_t n = size(b);
		void *p = buf(c, k);
		ret = r[0] % OP_COUNT == OP_READ ? sc(SYS_read, fd(c, a), (long)p, (long)n, 0, 0) :
						  sc(SYS_pread64, fd(c, a), (long)p, (long)n, off(d), 0);
		if (ret > 0 && p == c->buf)
			*dg = fnv(c->buf, (size_t)ret, FNV0);
		return ret;
	}
	case OP_WRITE:
	case OP_PWRITE: {
		size_t n = size(b);
		memset(c->buf, (int)e, BUF);
		void *p = buf(c, k);
		return r[0] % OP_COUNT == OP_WRITE ? sc(SYS_write, fd(c, a), (long)p, (long)n, 0, 0) :
						     sc(SYS_pwrite64, fd(c, a), (long)p, (long)n, off(d), 0);
	}
	case OP_LSEEK:
		return sc(SYS_lseek, fd(c, a), off(d), k % 6, 0, 0); /* 3, 4: DATA, HOLE; 5: bad */
	case OP_DUP:
		ret = sc(SYS_dup, fd(c, a), 0, 0, 0, 0);
		keep_fd(c, ret);
		return ret;
	case OP_DUP3:
		ret = sc(SYS_dup3, fd(c, a), 3 + b % 8, k % 3 == 2 ? 1 : (k % 3) * O_CLOEXEC, 0, 0);
		keep_fd(c, ret);
		return ret;
	case OP_FCNTL: {
		static const int cmds[] = {F_GETFD, F_SETFD, F_GETFL, F_SETFL, F_DUPFD,
					   F_DUPFD_CLOEXEC, 999};
		int cmd = cmds[b % 7];
		long arg = cmd == F_SETFL ? (long)(d | O_NONBLOCK) : (long)(d % 64);
		ret = sc(SYS_fcntl, fd(c, a), cmd, arg, 0, 0);
		if (cmd == F_DUPFD || cmd == F_DUPFD_CLOEXEC)
			keep_fd(c, ret);
		return ret;
	}
	case OP_PIPE2: {
		int p[2] = {-1, -1};
		static const int fl[] = {0, O_CLOEXEC, O_DIRECT, 1};
		ret = sc(SYS_pipe2, b % 5 == 4 ? 16 : (long)p, fl[b % 4] | O_NONBLOCK, 0, 0, 0);
		if (ret == 0) {
			keep_fd(c, p[0]);
			keep_fd(c, p[1]);
			*dg = (uint64_t)p[0] | (uint64_t)p[1] << 16;
		}
		return ret;
	}
	case OP_FSTAT:
		ret = sc(SYS_fstat, fd(c, a), k % 6 == 5 ? 16 : (long)&st, 0, 0, 0);
		if (ret == 0 && k % 6 != 5)
			*dg = stat_digest(&st);
		return ret;
	case OP_FSTATAT: {
		static const int fl[] = {0, AT_SYMLINK_NOFOLLOW, AT_EMPTY_PATH, 0x8000000};
		ret = sc(SYS_newfstatat, AT_FDCWD, (long)path(c, c->path, a), (long)&st, fl[b % 4],
			 0);
		if (ret == 0)
			*dg = stat_digest(&st);
		return ret;
	}
	case OP_MKDIRAT:
		return sc(SYS_mkdirat, AT_FDCWD, (long)path(c, c->path, a), b & 1 ? 0700 : 0500, 0, 0);
	case OP_UNLINKAT:
		return sc(SYS_unlinkat, AT_FDCWD, (long)path(c, c->path, a),
			  b % 3 == 2 ? 1 : (b % 3) * AT_REMOVEDIR, 0, 0);
	case OP_FTRUNCATE:
		return sc(SYS_ftruncate, fd(c, a), off(d), 0, 0, 0);
	case OP_GETDENTS: {
		static const size_t lens[] = {0, 16, 64, BUF};
		ret = sc(SYS_getdents64, fd(c, a), (long)buf(c, k), (long)lens[b % 4], 0, 0);
		if (ret > 0 && buf(c, k) == c->buf) {
			/* Names and types in order: not inode numbers or cookies. */
			uint64_t h = FNV0;
			for (int64_t at = 0; at + 19 < ret;) {
				uint16_t reclen;
				memcpy(&reclen, c->buf + at + 16, 2);
				h = fnv(c->buf + at + 18, 1 + strnlen((char *)c->buf + at + 19,
								 (size_t)(ret - at - 19)), h);
				if (!reclen)
					break;
				at += reclen;
			}
			*dg = h;
		}
		return ret;
	}
	case OP_MMAP: {
		static const size_t lens[] = {0, 4096, 12345, 1 << 20, (size_t)1 << 46};
		static const int prots[] = {PROT_READ, PROT_READ | PROT_WRITE, PROT_NONE, 0x40};
		static const int fl[] = {MAP_PRIVATE | MAP_ANONYMOUS, MAP_SHARED | MAP_ANONYMOUS,
					 MAP_PRIVATE, MAP_ANONYMOUS};
		size_t len = lens[a % 5];
		ret = sc(SYS_mmap, 0, (long)len, prots[b % 4], fl[k % 4], -1);
		if (ret < 0 && ret > -4096)
			return ret;
		c->map[c->nmap % NMAPS] = (uintptr_t)ret;
		c->map_len[c->nmap++ % NMAPS] = len;
		return 0; /* an address: only success is compared */
	}
	case OP_MUNMAP:
	case OP_MPROTECT: {
		uintptr_t at = c->map[a % NMAPS];
		size_t len = b & 1 ? c->map_len[a % NMAPS] : 4096;
		if (b & 2)
			at += 100; /* unaligned */
		if (r[0] % OP_COUNT == OP_MUNMAP)
			return sc(SYS_munmap, (long)at, (long)len, 0, 0, 0);
		static const int prots[] = {PROT_READ, PROT_READ | PROT_WRITE, PROT_NONE, 0x40};
		return sc(SYS_mprotect, (long)at, (long)len, prots[k % 4], 0, 0);
	}
	case OP_GETRANDOM: {
		static const unsigned fl[] = {0, GRND_NONBLOCK, GRND_RANDOM, 0x40};
		return sc(SYS_getrandom, (long)buf(c, k), (long)size(a), fl[b % 4], 0, 0);
	}
	case OP_READLINKAT: {
		static const size_t lens[] = {0, 1, 4, 256};
		ret = sc(SYS_readlinkat, AT_FDCWD, (long)path(c, c->path, a), (long)buf(c, k),
			 (long)lens[b % 4], 0);
		if (ret > 0 && buf(c, k) == c->buf)
			*dg = fnv(c->buf, (size_t)ret, FNV0);
		return ret;
	}
	case OP_FACCESSAT:
		return sc(SYS_faccessat, AT_FDCWD, (long)path(c, c->path, a), b % 9, 0, 0);
	case OP_RENAMEAT:
		return sc(SYS_renameat, AT_FDCWD, (long)path(c, c->path, a), AT_FDCWD,
			  (long)path(c, c->path2, b), 0);
	case OP_READV:
	case OP_WRITEV: {
		struct iovec iov[2] = {{c->buf, size(b)}, {buf(c, k), 16}};
		static const int cnt[] = {0, 1, 2, 1025, -1};
		long v = (r[0] % OP_COUNT == OP_READV) ? SYS_readv : SYS_writev;
		ret = sc(v, fd(c, a), (long)iov, cnt[d % 5], 0, 0);
		if (ret > 0 && v == SYS_readv)
			*dg = fnv(c->buf, (size_t)ret < size(b) ? (size_t)ret : size(b), FNV0);
		return ret;
	}
	}
	return -ENOSYS;
}

unsigned seq_run(const uint8_t *data, size_t n, const char *scratch, struct seq_result *out)
{
	static struct ctx c; /* one sequence at a time per process (a child, or a guest) */
	memset(&c, 0, sizeof(c));
	memset(out, 0, sizeof(*out));
	c.scratch = scratch;
	for (unsigned i = 0; i < NFDS; i++)
		c.fds[i] = -1;
	unsigned i = 0;
	for (; i < SEQ_MAX_OPS && (i + 1) * SEQ_REC <= n; i++)
		out->ret[i] = run_one(&c, data + i * SEQ_REC, &out->digest[i]);
	out->nops = i;
	return i;
}

const char *seq_op_name(const uint8_t *rec)
{
	return op_names[rec[0] % OP_COUNT];
}

void seq_print(FILE *f, const uint8_t *data, size_t n, const struct seq_result *native,
	       const struct seq_result *guest)
{
	for (unsigned i = 0; i < SEQ_MAX_OPS && (i + 1) * SEQ_REC <= n; i++) {
		const uint8_t *r = data + i * SEQ_REC;
		fprintf(f, "  %2u %-11s a=%u b=%u k=%u d=%u e=%u", i, op_names[r[0] % OP_COUNT],
			r[1], r[2], r[3], r[4] | r[5] << 8, r[6] | r[7] << 8);
		for (int s = 0; s < 2; s++) {
			const struct seq_result *x = s ? guest : native;
			if (!x)
				continue;
			int64_t v = x->ret[i];
			const char *en = v < 0 && v > -4096 ? strerrorname_np((int)-v) : NULL;
			if (en)
				fprintf(f, "  %s=-%s", s ? "warmfork" : "native", en);
			else
				fprintf(f, "  %s=%lld", s ? "warmfork" : "native", (long long)v);
			if (x->digest[i])
				fprintf(f, "/%016llx", (unsigned long long)x->digest[i]);
		}
		bool differs = native && guest && (native->ret[i] != guest->ret[i] ||
						   native->digest[i] != guest->digest[i]);
		fprintf(f, "%s\n", differs ? "   <== differs" : "");
	}
}
