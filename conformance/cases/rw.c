// SPDX-License-Identifier: Apache-2.0
/* rw.c: conformance cases for read/write, positioned and vectored I/O, lseek, truncate, sync. */
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include "conf.h"

/* read(fd, buf, n) (n <= 64) and show what came. */
static long rd(long fd, size_t n)
{
	char buf[64];
	n = n < sizeof buf ? n : sizeof buf;
	long r = conf_reportf(CONF_INT, SYS(read, fd, buf, n), "read(%ld, buf, %zu)", fd, n);
	if (r > 0)
		conf_bytes("data", buf, (size_t)r);
	return r;
}

static void size_of(long fd)
{
	struct stat st;
	if (!conf_err(conf_reportf(CONF_INT, SYS(fstat, fd, &st), "fstat(%ld, &st)", fd)))
		conf_more("size=%lld", (long long)st.st_size);
}

CONF_CASE(read_basic, "read openat close")
{
	long fd = T(openat, AT_FDCWD, "file", O_RDONLY);
	rd(fd, 5);
	rd(fd, 0);
	rd(fd, 64);
	rd(fd, 64);
	T(close, fd);
	fd = T(openat, AT_FDCWD, "empty", O_RDONLY);
	rd(fd, 8);
	T(close, fd);
}

CONF_CASE(read_errors, "read openat close")
{
	char buf[8];
	long w = T(openat, AT_FDCWD, "file", O_WRONLY);
	long d = T(openat, AT_FDCWD, "dir", O_RDONLY | O_DIRECTORY);
	T(read, w, buf, sizeof buf);
	T(read, d, buf, sizeof buf);
	T(read, d, buf, 0);
	T(read, 999, buf, sizeof buf);
	T(read, -1, buf, sizeof buf);
	T(read, 999, buf, 0);
	T(close, w);
	T(read, w, buf, sizeof buf);
	T(close, d);
}

CONF_CASE(read_efault, "read openat close")
{
	long fd = T(openat, AT_FDCWD, "big", O_RDONLY);
	T(read, fd, NULL, 8);
	T(read, fd, CONF_BADPTR, 8);
	T(read, fd, NULL, 0);
	/* A buffer that ends in a hole: the kernel copies what fits, then stops short. */
	char *p = conf_before_hole(100);
	T(read, fd, p, 200);
	T(read, fd, p + 100, 10);
	/* Read-only memory cannot be read into. */
	long ro = TA(mmap, 0, CONF_PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	T(read, fd, ro, 8);
	T(lseek, fd, 0, SEEK_CUR);
	T(close, fd);
}

CONF_CASE(read_huge_count, "read openat lseek close")
{
	char buf[16];
	long fd = T(openat, AT_FDCWD, "file", O_RDONLY);
	/* A count far past the buffer (and past MAX_RW_COUNT) is checked against the buffer. */
	T(read, fd, buf, (size_t)-1);
	T(read, fd, buf, 0x7ffff000ul + 1);
	T(read, fd, buf, 1ul << 40);
	T(lseek, fd, 0, SEEK_CUR);
	T(close, fd);
}

CONF_CASE(write_basic, "write openat read lseek fstat close")
{
	long fd = T(openat, AT_FDCWD, "new", O_RDWR | O_CREAT, 0644);
	T(write, fd, "hello", 5);
	T(write, fd, "", 0);
	T(write, fd, NULL, 0);
	size_of(fd);
	T(lseek, fd, 0, SEEK_SET);
	rd(fd, 64);
	T(close, fd);
	fd = T(openat, AT_FDCWD, "file", O_WRONLY | O_APPEND);
	T(write, fd, "++", 2);
	T(lseek, fd, 0, SEEK_CUR);
	T(lseek, fd, 0, SEEK_SET);
	T(write, fd, "--", 2);
	T(lseek, fd, 0, SEEK_CUR);
	T(close, fd);
	fd = T(openat, AT_FDCWD, "file", O_RDONLY);
	rd(fd, 64);
	T(close, fd);
}

CONF_CASE(write_errors, "write openat close")
{
	long r = T(openat, AT_FDCWD, "file", O_RDONLY);
	long d = T(openat, AT_FDCWD, "dir", O_RDONLY | O_DIRECTORY);
	long w = T(openat, AT_FDCWD, "new", O_WRONLY | O_CREAT, 0644);
	T(write, r, "x", 1);
	T(write, d, "x", 1);
	T(write, 999, "x", 1);
	T(write, w, NULL, 1);
	T(write, w, CONF_BADPTR, 4);
	/* A source that ends in a hole: a short write of what could be read. */
	char *p = conf_before_hole(10);
	memcpy(p, "0123456789", 10);
	T(write, w, p, 4096);
	T(write, w, p + 10, 1);
	T(write, w, "x", (size_t)-1);
	T(close, r);
	T(close, d);
	T(close, w);
}

CONF_CASE(pread_pwrite, "pread64 pwrite64 openat lseek close")
{
	char buf[16];
	long fd = T(openat, AT_FDCWD, "file", O_RDWR);
	long n = T(pread64, fd, buf, 5, 6);
	if (n > 0)
		conf_bytes("data", buf, (size_t)n);
	T(lseek, fd, 0, SEEK_CUR);
	T(pread64, fd, buf, 5, 100);
	T(pread64, fd, buf, 5, -1);
	T(pread64, fd, buf, 0, 0);
	T(pread64, fd, NULL, 5, 0);
	T(pwrite64, fd, "HELLO", 5, 0);
	T(pwrite64, fd, "!", 1, 20);
	T(pwrite64, fd, "x", 1, -5);
	T(lseek, fd, 0, SEEK_CUR);
	n = T(pread64, fd, buf, sizeof buf, 0);
	if (n > 0)
		conf_bytes("data", buf, (size_t)n);
	T(close, fd);
	int p[2];
	T(pipe2, p, 0);
	T(pread64, p[0], buf, 1, 0);
	T(pwrite64, p[1], "x", 1, 0);
	long d = T(openat, AT_FDCWD, "dir", O_RDONLY);
	T(pread64, d, buf, 1, 0);
	T(pread64, 999, buf, 1, 0);
	long w = T(openat, AT_FDCWD, "file", O_WRONLY);
	T(pread64, w, buf, 1, 0);
}

CONF_CASE(pwrite_append, "pwrite64 openat pread64 close")
{
	char buf[32];
	/* On Linux, pwrite to an O_APPEND file appends whatever the offset says. */
	long fd = T(openat, AT_FDCWD, "file", O_RDWR | O_APPEND);
	T(pwrite64, fd, "AB", 2, 0);
	long n = T(pread64, fd, buf, sizeof buf, 0);
	if (n > 0)
		conf_bytes("data", buf, (size_t)n);
	T(close, fd);
}

CONF_CASE(readv_writev, "readv writev openat lseek close")
{
	char a[4], b[8], c[64];
	long fd = T(openat, AT_FDCWD, "new", O_RDWR | O_CREAT, 0644);
	struct iovec wv[] = {{"one ", 4}, {"", 0}, {"two ", 4}, {"three", 5}};
	T(writev, fd, wv, 4);
	T(lseek, fd, 0, SEEK_SET);
	struct iovec rv[] = {{a, sizeof a}, {b, sizeof b}, {c, sizeof c}};
	long n = T(readv, fd, rv, 3);
	if (n > 0) {
		conf_bytes("a", a, sizeof a);
		conf_bytes("b", b, sizeof b);
		conf_bytes("c", c, (size_t)n - sizeof a - sizeof b);
	}
	T(readv, fd, rv, 3);
	T(readv, fd, rv, 0);
	T(writev, fd, wv, 0);
	T(close, fd);
}

CONF_CASE(preadv_pwritev, "preadv pwritev preadv2 pwritev2 openat lseek pipe2 close")
{
	char a[4] = "", b[8] = "";
	long fd = T(openat, AT_FDCWD, "new", O_RDWR | O_CREAT, 0644);
	struct iovec wv[] = {{"0123", 4}, {"456789", 6}};
	T(pwritev, fd, wv, 2, 3);
	T(lseek, fd, 0, SEEK_CUR);
	struct iovec rv[] = {{a, sizeof a}, {b, sizeof b}};
	T(preadv, fd, rv, 2, 2);
	conf_bytes("a", a, sizeof a);
	conf_bytes("b", b, sizeof b);
	T(preadv, fd, rv, 2, -1);
	T(pwritev2, fd, wv, 1, -1, 0, 0);
	T(lseek, fd, 0, SEEK_CUR);
	T(preadv2, fd, rv, 2, 0, 0, RWF_HIPRI);
	conf_bytes("a", a, sizeof a);
	T(preadv2, fd, rv, 2, -2, 0, 0);
	T(preadv2, fd, rv, 2, 0, 0, 0x1000);
	T(preadv, fd, CONF_BADPTR, 2, 0);
	T(preadv, 999, rv, 2, 0);
	int p[2];
	conf_must(SYS(pipe2, p, 0), "pipe2");
	T(pwritev, p[1], wv, 1, 0);
	T(pwritev2, p[1], wv, 1, -1, 0, 0);
	T(preadv2, p[0], rv, 1, -1, 0, 0);
	conf_bytes("a", a, sizeof a);
	T(preadv, p[0], rv, 1, 0);
	T(close, fd);
}

CONF_CASE(readv_errors, "readv writev openat close")
{
	char a[8];
	static struct iovec many[1025];
	long fd = T(openat, AT_FDCWD, "file", O_RDWR);
	struct iovec ok[] = {{a, sizeof a}};
	for (int i = 0; i < 1025; i++)
		many[i] = (struct iovec){a + i % 8, 1};
	T(readv, fd, many, 1025);
	T(readv, fd, many, 1024);
	T(lseek, fd, 0, SEEK_SET);
	T(readv, fd, ok, -1);
	T(readv, fd, NULL, 1);
	T(readv, fd, CONF_BADPTR, 1);
	struct iovec neg[] = {{a, 4}, {a, (size_t)-1}};
	T(readv, fd, neg, 2);
	T(writev, fd, neg, 2);
	struct iovec bad[] = {{a, 4}, {CONF_BADPTR, 4}};
	long n = T(readv, fd, bad, 2);
	if (n > 0)
		conf_bytes("data", a, (size_t)n);
	struct iovec firstbad[] = {{CONF_BADPTR, 4}, {a, 4}};
	T(readv, fd, firstbad, 2);
	T(writev, fd, firstbad, 2);
	struct iovec zero[] = {{CONF_BADPTR, 0}, {NULL, 0}};
	T(readv, fd, zero, 2);
	T(readv, 999, ok, 1);
	T(readv, 999, ok, 1025);
	long r = T(openat, AT_FDCWD, "file", O_RDONLY);
	T(writev, r, ok, 1);
	T(close, r);
	T(close, fd);
}

CONF_CASE(lseek, "lseek openat read write close")
{
	long fd = T(openat, AT_FDCWD, "file", O_RDWR);
	T(lseek, fd, 6, SEEK_SET);
	rd(fd, 5);
	T(lseek, fd, -3, SEEK_CUR);
	T(lseek, fd, -1, SEEK_END);
	rd(fd, 8);
	T(lseek, fd, -100, SEEK_CUR);
	T(lseek, fd, -1, SEEK_SET);
	T(lseek, fd, 0, 5);
	T(lseek, fd, 0, -1);
	T(lseek, fd, 0x7fffffffffffffff, SEEK_SET);
	T(lseek, fd, 1, SEEK_CUR);
	T(lseek, fd, 0, SEEK_END);
	T(lseek, 999, 0, SEEK_SET);
	T(close, fd);
	long d = T(openat, AT_FDCWD, "dir", O_RDONLY);
	T(lseek, d, 0, SEEK_END);
	T(lseek, d, 0, SEEK_SET);
	T(close, d);
}

CONF_CASE(lseek_holes, "lseek openat write fstat close")
{
	long fd = T(openat, AT_FDCWD, "sparse", O_RDWR | O_CREAT, 0644);
	T(lseek, fd, 65536, SEEK_SET);
	T(write, fd, "end", 3);
	size_of(fd);
	T(lseek, fd, 0, SEEK_DATA);
	T(lseek, fd, 0, SEEK_HOLE);
	T(lseek, fd, 65538, SEEK_HOLE);
	T(lseek, fd, 65539, SEEK_DATA);
	T(lseek, fd, 100000, SEEK_HOLE);
	T(close, fd);
	fd = T(openat, AT_FDCWD, "empty", O_RDONLY);
	T(lseek, fd, 0, SEEK_DATA);
	T(lseek, fd, 0, SEEK_HOLE);
	T(close, fd);
}

CONF_CASE(ftruncate, "ftruncate openat fstat read close")
{
	long fd = T(openat, AT_FDCWD, "file", O_RDWR);
	T(ftruncate, fd, 5);
	size_of(fd);
	rd(fd, 64);
	T(ftruncate, fd, 10000);
	size_of(fd);
	T(ftruncate, fd, 0);
	size_of(fd);
	T(ftruncate, fd, -1);
	T(close, fd);
	long r = T(openat, AT_FDCWD, "big", O_RDONLY);
	T(ftruncate, r, 0);
	T(close, r);
	long d = T(openat, AT_FDCWD, "dir", O_RDONLY);
	T(ftruncate, d, 0);
	T(close, d);
	T(ftruncate, 999, 0);
	int p[2];
	T(pipe2, p, 0);
	T(ftruncate, p[1], 0);
	long a = T(openat, AT_FDCWD, "big", O_WRONLY | O_APPEND);
	T(ftruncate, a, 3);
	T(close, a);
}

CONF_CASE(fsync, "fsync fdatasync openat pipe2 close")
{
	long fd = T(openat, AT_FDCWD, "file", O_RDWR);
	T(fsync, fd);
	T(fdatasync, fd);
	T(close, fd);
	fd = T(openat, AT_FDCWD, "file", O_RDONLY);
	T(fsync, fd);
	T(close, fd);
	long d = T(openat, AT_FDCWD, "dir", O_RDONLY);
	T(fsync, d);
	T(fdatasync, d);
	T(close, d);
	int p[2];
	T(pipe2, p, 0);
	T(fsync, p[0]);
	T(fdatasync, p[1]);
	T(fsync, 999);
	T(fdatasync, -1);
}
