// SPDX-License-Identifier: Apache-2.0
/* mm.c: conformance cases for mmap, munmap, mprotect, mremap, brk and madvise (no faults). */
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysinfo.h>

#include "conf.h"

#define P CONF_PAGE
#ifndef MADV_COLLAPSE
#define MADV_COLLAPSE 25 /* Linux 6.1; newer than this glibc */
#endif

/* Do n bytes at p all equal c? */
static int all(const void *p, int c, size_t n)
{
	const unsigned char *b = p;
	for (size_t i = 0; i < n; i++)
		if (b[i] != (unsigned char)c)
			return 0;
	return 1;
}

CONF_CASE(anon, "mmap munmap")
{
	char *p = (char *)TA(mmap, 0, 3 * P, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (conf_err((long)p))
		return;
	conf_more("zero=%d", all(p, 0, 3 * P));
	memset(p, 'x', 3 * P);
	conf_fact("written back", "%d", all(p, 'x', 3 * P));
	T(munmap, p, 3 * P);
	T(munmap, p, 3 * P);
	p = (char *)TA(mmap, 0, 100, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	p[P - 1] = 1;
	conf_fact("a 100-byte mapping covers its page", "%d", p[P - 1]);
	T(munmap, p, 100);
	p = (char *)TA(mmap, 0, P, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	conf_more("zero=%d", all(p, 0, P));
	p = (char *)TA(mmap, 0, P, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	T(munmap, p, P);
	p = (char *)TA(mmap, 0, 2 * P, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE | MAP_NORESERVE | MAP_STACK, -1, 0);
	conf_more("zero=%d", all(p, 0, 2 * P));
	/* fd and offset are ignored for anonymous mappings (the offset must still be aligned). */
	TA(mmap, 0, P, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, 999, 0);
	TA(mmap, 0, P, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, P * 5);
}

CONF_CASE(mmap_errors, "mmap")
{
	TA(mmap, 0, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	TA(mmap, 0, 1ul << 60, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	TA(mmap, 0, (size_t)-1, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	TA(mmap, 0, P, PROT_READ, MAP_ANONYMOUS, -1, 0);
	TA(mmap, 0, P, PROT_READ, 0x0f | MAP_ANONYMOUS, -1, 0);
	TA(mmap, 0, P, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 100);
	TA(mmap, P * 100 + 5, P, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	TA(mmap, 0, P, PROT_READ, MAP_SHARED_VALIDATE | MAP_ANONYMOUS | 0x4000000, -1, 0);
	TA(mmap, 0, P, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | 0x4000000, -1, 0);
	TA(mmap, 0, P, PROT_READ, MAP_PRIVATE, -1, 0);
	TA(mmap, 0, P, PROT_READ, MAP_PRIVATE, 999, 0);
}

CONF_CASE(mmap_len_overflow, "mmap munmap mprotect sysinfo")
{
	/* A length that is page-aligned but reaches past the top of the address space. */
	TA(mmap, 0, (size_t)-P, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	TA(mmap, 0, (size_t)-P * 16, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	/* ... and the address space is still in order afterwards. */
	char *p = (char *)TA(mmap, 0, 4 * P, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (!conf_err((long)p)) {
		memset(p, 1, 4 * P);
		T(mprotect, p + P, P, PROT_READ);
		T(munmap, p, 4 * P);
		T(mprotect, p, P, PROT_READ);
	}
	struct sysinfo si;
	T(sysinfo, &si);
	conf_more("0 < freeram <= totalram %d", si.freeram > 0 && si.freeram <= si.totalram);
}

CONF_CASE(mmap_prot_bits, "mmap mprotect")
{
	/* mmap ignores PROT_SEM; mprotect accepts it; other unknown bits are EINVAL there. */
	long p = TA(mmap, 0, P, PROT_READ | 0x8, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	TA(mmap, 0, P, PROT_READ | 0x40, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	T(mprotect, p, P, PROT_READ | 0x8);
	T(mprotect, p, P, PROT_READ | 0x40);
	T(mprotect, p, P, PROT_READ | PROT_GROWSDOWN);
	T(mprotect, p, P, PROT_READ | PROT_GROWSUP);
	T(mprotect, p, P, PROT_GROWSDOWN | PROT_GROWSUP);
}

CONF_CASE(mmap_hugetlb, "mmap")
{
	TA(mmap, 0, 2 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB, -1, 0);
}

CONF_CASE(mmap_fixed, "mmap munmap")
{
	char *p = (char *)TA(mmap, 0, 4 * P, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	memset(p, 'a', 4 * P);
	char *q = (char *)TA(mmap, p + P, 2 * P, PROT_READ | PROT_WRITE,
			     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	conf_more("at p+P=%d", q == p + P);
	conf_fact("pages 0..3 after MAP_FIXED over 1..2", "%d%d%d%d", all(p, 'a', P),
		  all(p + P, 0, P), all(p + 2 * P, 0, P), all(p + 3 * P, 'a', P));
	TA(mmap, p, P, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	TA(mmap, p + 3 * P, 2 * P, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	T(munmap, p + 2 * P, P);
	q = (char *)TA(mmap, p + 2 * P, P, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE,
		       -1, 0);
	conf_more("at p+2P=%d", q == p + 2 * P);
	TA(mmap, p + 1, P, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	/* A non-fixed hint that is taken: the address just freed. */
	T(munmap, p, 4 * P);
	q = (char *)TA(mmap, p, P, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	conf_more("at hint=%d", q == p);
	q = (char *)TA(mmap, p + 5, P, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	conf_more("hint rounded down? %d", q == p);
}

CONF_CASE(mmap_far, "mmap munmap")
{
	/* Far-away addresses that any 48-bit (or 39-bit) user address space has. */
	char *want = (char *)(1ul << 38);
	char *q = (char *)TA(mmap, want, P, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	conf_more("at hint=%d", q == want);
	q = (char *)TA(mmap, want + 16 * P, P, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	conf_more("at addr=%d", q == want + 16 * P);
	TA(mmap, 1ul << 50, P, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
}

CONF_CASE(mmap_big, "mmap munmap")
{
	/* 256 MiB untouched: reserving address space costs nothing. */
	char *p = (char *)TA(mmap, 0, 256ul << 20, PROT_READ | PROT_WRITE,
			     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (!conf_err((long)p)) {
		p[(256ul << 20) - 1] = 1;
		conf_fact("last byte written", "%d", p[(256ul << 20) - 1]);
	}
	T(munmap, p, 256ul << 20);
}

CONF_CASE(mmap_file, "mmap openat pread64 munmap close")
{
	char buf[16];
	long fd = T(openat, AT_FDCWD, "big", O_RDONLY);
	char *p = (char *)TA(mmap, 0, 3 * P, PROT_READ, MAP_PRIVATE, fd, 0);
	conf_bytes("head", p, 10);
	char *q = (char *)TA(mmap, 0, P, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, P);
	conf_bytes("page 1", q, 10);
	memcpy(q, "PRIVATE", 7);
	T(pread64, fd, buf, 7, P);
	conf_bytes("file unchanged", buf, 7);
	/* The tail of the last page past the end of the file reads as zero. */
	struct stat st;
	SYS(fstat, fd, &st);
	conf_fact("past EOF in the last page is zero", "%d",
		  all(p + st.st_size, 0, 3 * P - (size_t)st.st_size));
	TA(mmap, 0, P, PROT_READ, MAP_PRIVATE, fd, 100 * P);
	TA(mmap, 0, P, PROT_READ, MAP_PRIVATE, fd, 7);
	T(munmap, p, 3 * P);
	T(close, fd);
	/* The mapping outlives the descriptor. */
	conf_fact("mapping after close", "%d", q[0] == 'P');
	long e = T(openat, AT_FDCWD, "empty", O_RDONLY);
	TA(mmap, 0, P, PROT_READ, MAP_PRIVATE, e, 0);
}

CONF_CASE(mmap_file_errors, "mmap openat pipe2 close")
{
	long w = T(openat, AT_FDCWD, "file", O_WRONLY);
	TA(mmap, 0, P, PROT_READ, MAP_PRIVATE, w, 0);
	long d = T(openat, AT_FDCWD, "dir", O_RDONLY);
	TA(mmap, 0, P, PROT_READ, MAP_PRIVATE, d, 0);
	long o = T(openat, AT_FDCWD, "file", O_PATH);
	TA(mmap, 0, P, PROT_READ, MAP_PRIVATE, o, 0);
	TA(mmap, 0, P, PROT_READ, MAP_PRIVATE, 999, 0);
	int p[2];
	T(pipe2, p, 0);
	TA(mmap, 0, P, PROT_READ, MAP_PRIVATE, p[0], 0);
}

CONF_CASE(mmap_shared_file, "mmap openat pread64 msync munmap close")
{
	char buf[8];
	long fd = T(openat, AT_FDCWD, "file", O_RDWR);
	char *p = (char *)TA(mmap, 0, P, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (!conf_err((long)p)) {
		memcpy(p, "HELLO", 5);
		T(msync, p, P, MS_SYNC);
		T(pread64, fd, buf, 5, 0);
		conf_bytes("file", buf, 5);
	}
	long r = T(openat, AT_FDCWD, "file", O_RDONLY);
	TA(mmap, 0, P, PROT_READ, MAP_SHARED, r, 0);
	TA(mmap, 0, P, PROT_READ | PROT_WRITE, MAP_SHARED, r, 0);
	TA(mmap, 0, P, PROT_READ | PROT_WRITE, MAP_PRIVATE, r, 0);
}

/* A shared file mapping is the file: write(2) and read(2) see its bytes and it sees theirs,
 * mremap after ftruncate keeps it the file, munmap keeps what was written. */
CONF_CASE(mmap_shared_coherence, "mmap openat pwrite64 pread64 ftruncate mremap munmap madvise")
{
	char buf[8];
	long fd = T(openat, AT_FDCWD, "shared", O_RDWR | O_CREAT | O_TRUNC, 0600);
	T(ftruncate, fd, 2 * P);
	char *m = (char *)TA(mmap, 0, 2 * P, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (conf_err((long)m))
		return;
	T(pwrite64, fd, "abc", 3, P + 1);
	conf_bytes("the map after pwrite", m + P + 1, 3);
	memcpy(m + 10, "xyz", 3);
	T(pread64, fd, buf, 3, 10);
	conf_bytes("the file after a store", buf, 3);
	T(madvise, m, 2 * P, MADV_DONTNEED);
	conf_bytes("the map after MADV_DONTNEED", m + 10, 3);
	/* Python's mmap.resize: the file grows, then the mapping (it may move). */
	T(ftruncate, fd, 4 * P);
	char *g = (char *)TA(mremap, m, 2 * P, 4 * P, MREMAP_MAYMOVE);
	if (!conf_err((long)g)) {
		conf_bytes("the moved map", g + 10, 3);
		memcpy(g + 3 * P, "end", 3);
		T(pread64, fd, buf, 3, 3 * P);
		conf_bytes("the file after a store to the grown part", buf, 3);
		T(munmap, g, 4 * P);
	}
	T(pread64, fd, buf, 3, 10);
	conf_bytes("the file after munmap", buf, 3);
	/* Two mappings of one file are one memory. */
	char *a = (char *)TA(mmap, 0, P, PROT_READ | PROT_WRITE, MAP_SHARED, fd, P);
	char *b = (char *)TA(mmap, 0, P, PROT_READ, MAP_SHARED, fd, P);
	if (!conf_err((long)a) && !conf_err((long)b)) {
		a[100] = 'Q';
		conf_fact("the other mapping sees it", "%c", b[100]);
	}
	T(close, fd);
}

/* A shared mapping of a read-only descriptor may not become writable; one past the end of
 * its file is no memory for the kernel's copies (EFAULT), and the file's tail page is. */
CONF_CASE(mmap_shared_limits, "mmap mprotect openat write ftruncate")
{
	long fd = T(openat, AT_FDCWD, "shared", O_RDWR | O_CREAT | O_TRUNC, 0600);
	T(write, fd, "data", 4);
	long r = T(openat, AT_FDCWD, "shared", O_RDONLY);
	char *m = (char *)TA(mmap, 0, 2 * P, PROT_READ, MAP_SHARED, r, 0);
	T(mprotect, m, P, PROT_READ | PROT_WRITE);
	T(mprotect, m, P, PROT_READ);
	char *w = (char *)TA(mmap, 0, 3 * P, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (conf_err((long)w))
		return;
	T(mprotect, w, P, PROT_READ);
	T(mprotect, w, P, PROT_READ | PROT_WRITE);
	long out = T(openat, AT_FDCWD, "out", O_WRONLY | O_CREAT | O_TRUNC, 0600);
	T(write, out, w + 100, 16);       /* in the file's last page, past its end: zeros */
	T(write, out, w + P + 100, 16);   /* a page past the end */
	T(ftruncate, fd, 2 * P + 1);
	T(write, out, w + P + 100, 16);   /* the file grew under it */
	conf_bytes("the grown part", w + 2 * P, 4);
	T(ftruncate, fd, 1);
	T(write, out, w + P, 16);
}

CONF_CASE(munmap, "munmap mmap mprotect")
{
	char *p = (char *)TA(mmap, 0, 3 * P, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	T(munmap, p + 1, P);
	T(munmap, p, 0);
	T(munmap, p + P, P);
	T(mprotect, p + P, P, PROT_READ);
	T(mprotect, p, 3 * P, PROT_READ);
	T(mprotect, p, P, PROT_READ);
	T(munmap, p, 3 * P);
	T(munmap, p, 100);
	T(munmap, 0, P);
	T(munmap, (void *)(1ul << 50), P);
	T(munmap, p, (size_t)-P);
}

CONF_CASE(mprotect, "mprotect mmap munmap")
{
	char *p = (char *)TA(mmap, 0, 4 * P, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	memset(p, 'm', 4 * P);
	T(mprotect, p, P, PROT_READ);
	conf_more("readable=%d", p[0] == 'm');
	T(mprotect, p + P, 10, PROT_NONE);
	T(mprotect, p + P, P, PROT_READ | PROT_WRITE);
	p[P] = 'n';
	conf_more("kept=%d", p[P + 1] == 'm');
	T(mprotect, p + 1, P, PROT_READ);
	T(mprotect, p, 0, PROT_READ);
	T(mprotect, p + 1, 0, PROT_READ);
	T(mprotect, p, 8 * P, PROT_READ);
	T(munmap, p + 2 * P, P);
	T(mprotect, p, 4 * P, PROT_READ);
	T(mprotect, p + 2 * P, P, PROT_READ);
	T(mprotect, p, (size_t)-P, PROT_READ);
	T(mprotect, (void *)(1ul << 50), P, PROT_READ);
	T(mprotect, p, P, PROT_READ | PROT_WRITE | PROT_EXEC);
}

CONF_CASE(mprotect_exec, "mmap mprotect")
{
	/* mov w0, #42; ret */
	static const unsigned code[] = {0x52800540, 0xd65f03c0};
	char *p = (char *)TA(mmap, 0, P, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	memcpy(p, code, sizeof code);
	T(mprotect, p, P, PROT_READ | PROT_EXEC);
	__builtin___clear_cache(p, p + sizeof code);
	int (*fn)(void) = (int (*)(void))(void *)p;
	conf_fact("call", "%d", fn());
	T(mprotect, p, P, PROT_READ | PROT_WRITE);
	((unsigned *)(void *)p)[0] = 0x52800100; /* mov w0, #8 */
	T(mprotect, p, P, PROT_EXEC);
	__builtin___clear_cache(p, p + sizeof code);
	conf_fact("call after rewrite", "%d", fn());
}

CONF_CASE(mremap, "mremap mmap munmap")
{
	char *p = (char *)TA(mmap, 0, 2 * P, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	memset(p, 'r', 2 * P);
	char *q = (char *)TA(mremap, p, 2 * P, 64 * P, MREMAP_MAYMOVE);
	conf_more("kept=%d zero tail=%d", all(q, 'r', 2 * P), all(q + 2 * P, 0, 62 * P));
	char *s = (char *)TA(mremap, q, 64 * P, P, 0);
	conf_more("in place=%d", s == q);
	T(munmap, q + P, 63 * P);
	/* Block growth in place with a mapping right after it. */
	char *blk = (char *)TA(mmap, q + P, P, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	conf_more("at q+P=%d", blk == q + P);
	TA(mremap, q, P, 2 * P, 0);
	char *t = (char *)TA(mremap, q, P, 2 * P, MREMAP_MAYMOVE);
	conf_more("moved=%d kept=%d", t != q, all(t, 'r', P));
	char *dst = (char *)TA(mmap, 0, 8 * P, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *u = (char *)TA(mremap, t, 2 * P, 2 * P, MREMAP_MAYMOVE | MREMAP_FIXED, dst + 4 * P);
	conf_more("at dst=%d kept=%d", u == dst + 4 * P, all(u, 'r', P));
	TA(mremap, u, P, P, MREMAP_MAYMOVE | MREMAP_FIXED, u + P / 2);
	TA(mremap, u, 2 * P, 2 * P, MREMAP_MAYMOVE | MREMAP_FIXED, u + P);
	TA(mremap, u, P, 2 * P, MREMAP_FIXED, dst);
	TA(mremap, u, P, 2 * P, 0x10);
	TA(mremap, u + 1, P, 2 * P, MREMAP_MAYMOVE);
	TA(mremap, u, P, 0, MREMAP_MAYMOVE);
	TA(mremap, t, P, 2 * P, MREMAP_MAYMOVE);
	TA(mremap, (void *)(1ul << 50), P, 2 * P, MREMAP_MAYMOVE);
	/* One call may not span two mappings. */
	char *two = (char *)TA(mmap, 0, 2 * P, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	T(mprotect, two + P, P, PROT_READ);
	TA(mremap, two, 2 * P, 4 * P, MREMAP_MAYMOVE);
}

CONF_CASE(mremap_zero_old, "mremap mmap")
{
	/* old_size 0 asks for a second mapping of shared pages; private ones cannot. */
	char *p = (char *)TA(mmap, 0, P, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	TA(mremap, p, 0, P, MREMAP_MAYMOVE);
	char *s = (char *)TA(mmap, 0, P, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	char *d = (char *)TA(mremap, s, 0, P, MREMAP_MAYMOVE);
	if (!conf_err((long)d)) {
		s[0] = 'S';
		conf_more("shared=%d", d[0] == 'S');
	}
}

CONF_CASE(mremap_dontunmap, "mremap mmap")
{
	char *p = (char *)TA(mmap, 0, 2 * P, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	memset(p, 'd', 2 * P);
	char *q = (char *)TA(mremap, p, 2 * P, 2 * P, MREMAP_MAYMOVE | MREMAP_DONTUNMAP);
	if (!conf_err((long)q))
		conf_more("moved=%d kept=%d old zero=%d", q != p, all(q, 'd', 2 * P), all(p, 0, 2 * P));
	TA(mremap, p, 2 * P, 4 * P, MREMAP_MAYMOVE | MREMAP_DONTUNMAP);
	TA(mremap, p, 2 * P, 2 * P, MREMAP_DONTUNMAP);
}

CONF_CASE(brk, "brk")
{
	char *b0 = (char *)TA(brk, 0);
	char *b1 = (char *)TA(brk, b0 + 10000);
	conf_more("delta=%ld", (long)(b1 - b0));
	if (b1 == b0 + 10000) {
		memset(b0, 'b', 10000);
		conf_fact("heap written", "%d", all(b0, 'b', 10000));
	}
	char *b2 = (char *)TA(brk, b0 + 3);
	conf_more("delta=%ld", (long)(b2 - b0));
	b2 = (char *)TA(brk, b0 + 10000);
	conf_more("delta=%ld", (long)(b2 - b0));
	/* Shrinking and growing again gives fresh zero pages past the page that was kept. */
	char *z = (char *)(((unsigned long)(b0 + 3) + P - 1) & ~(P - 1));
	conf_fact("regrown pages are zero", "%d", all(z, 0, (size_t)(b0 + 10000 - z)));
	b2 = (char *)TA(brk, b0);
	conf_more("delta=%ld", (long)(b2 - b0));
	b2 = (char *)TA(brk, 1);
	conf_more("delta=%ld", (long)(b2 - b0));
	b2 = (char *)TA(brk, b0 + (1ul << 45));
	conf_more("delta=%ld", (long)(b2 - b0));
	b2 = (char *)TA(brk, 0);
	conf_more("delta=%ld", (long)(b2 - b0));
}

CONF_CASE(madvise, "madvise mmap munmap")
{
	char *p = (char *)TA(mmap, 0, 4 * P, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	memset(p, 'z', 4 * P);
	T(madvise, p, P, MADV_DONTNEED);
	conf_more("zeroed=%d next kept=%d", all(p, 0, P), all(p + P, 'z', P));
	T(madvise, p, 4 * P, MADV_NORMAL);
	T(madvise, p, 4 * P, MADV_RANDOM);
	T(madvise, p, 4 * P, MADV_SEQUENTIAL);
	T(madvise, p, 4 * P, MADV_WILLNEED);
	T(madvise, p, 4 * P, MADV_DONTFORK);
	T(madvise, p, 4 * P, MADV_DOFORK);
	T(madvise, p, 4 * P, MADV_DONTDUMP);
	T(madvise, p, 4 * P, MADV_DODUMP);
	T(madvise, p + P, P, MADV_FREE);
	T(madvise, p, 4 * P, MADV_COLD);
	T(madvise, p, 4 * P, MADV_PAGEOUT);
	T(madvise, p, 4 * P, 999);
	T(madvise, p, 4 * P, -1);
	T(madvise, p + 1, P, MADV_NORMAL);
	T(madvise, p, 0, MADV_NORMAL);
	T(madvise, p, 5, MADV_DONTNEED);
	T(munmap, p + 2 * P, P);
	T(madvise, p, 4 * P, MADV_NORMAL);
	T(madvise, p, 4 * P, MADV_DONTNEED);
	T(madvise, p + 2 * P, P, MADV_WILLNEED);
	T(madvise, (void *)(1ul << 50), P, MADV_NORMAL);
}

CONF_CASE(madvise_special, "madvise mmap")
{
	char *p = (char *)TA(mmap, 0, P, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	T(madvise, p, P, MADV_REMOVE);
	T(madvise, p, P, MADV_MERGEABLE);
	T(madvise, p, P, MADV_HUGEPAGE);
	T(madvise, p, P, MADV_WIPEONFORK);
	T(madvise, p, P, MADV_KEEPONFORK);
	T(madvise, p, P, MADV_COLLAPSE);
}

CONF_CASE(madvise_file, "madvise mmap openat")
{
	/* On a private file mapping, DONTNEED drops the copy: the file shows through again. */
	long fd = T(openat, AT_FDCWD, "file", O_RDONLY);
	char *f = (char *)TA(mmap, 0, P, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	memcpy(f, "CHANGED", 7);
	T(madvise, f, P, MADV_DONTNEED);
	conf_bytes("after", f, 12);
}
