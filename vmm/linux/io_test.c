// SPDX-License-Identifier: Apache-2.0
/* io_test.c: Check tests for the io family: read/write, vectors, seeks, fds, pipes, ioctl. */
#include <check.h>

#include "linux/testproc.h"
#include "check_main.h"

/* Guest (arm64) constants, as a guest program passes them. */
enum {
	O_RD = 0,
	O_WR = 1,
	O_RW = 2,
	GO_CREAT = 0100,
	GO_TRUNC = 01000,
	GO_APPEND = 02000,
	GO_NONBLOCK = 04000,
	GO_LARGEFILE = 0400000,
	GO_CLOEXEC = 02000000,
	AT_CWD = -100,
	F_DUPFD_ = 0,
	F_GETFD_ = 1,
	F_SETFD_ = 2,
	F_GETFL_ = 3,
	F_SETFL_ = 4,
	F_DUPFD_CLOEXEC_ = 1030,
};

static struct tp *t;

static void setup_with(unsigned max_fds, uint64_t max_output)
{
	t = tp_new(max_fds, max_output);
	ck_assert_ptr_nonnull(t);
}

static void setup(void)
{
	setup_with(0, 0);
}

static void teardown(void)
{
	tp_delete(t);
}

static int64_t gopen(const char *rel, int flags)
{
	return TP_CALL(t, WF_NR_openat, AT_CWD, tp_path(t, rel), flags, 0644);
}

static int64_t gwrite(int64_t fd, const char *s)
{
	return TP_CALL(t, WF_NR_write, fd, tp_str(t, s), strlen(s));
}

/* Read up to n bytes into a fresh guest buffer; returns the buffer's host view in *out. */
static int64_t gread(int64_t fd, size_t n, char **out)
{
	wf_gaddr_t b = tp_alloc(t, n + 1);
	int64_t r = TP_CALL(t, WF_NR_read, fd, b, n);
	*out = tp_host(t, b);
	return r;
}

START_TEST(test_stdout_printer)
{
	ck_assert_int_eq(gwrite(1, "hi "), 3);
	ck_assert_int_eq(gwrite(2, "err"), 3);
	ck_assert_int_eq(gwrite(1, "there"), 5);
	ck_assert_str_eq(t->out[0], "hi there");
	ck_assert_str_eq(t->out[1], "err");
	ck_assert_uint_eq(t->p.output_bytes, 11);
	/* Zero bytes from a bad pointer: nothing happens. */
	ck_assert_int_eq(TP_CALL(t, WF_NR_write, 1, 0x5, 0), 0);
	ck_assert_int_eq(TP_CALL(t, WF_NR_write, 1, 0x5, 1), -EFAULT);
	char *s;
	ck_assert_int_eq(gread(1, 4, &s), -EBADF);
	ck_assert_int_eq(gwrite(0, "x"), -EBADF);
	ck_assert_int_eq(TP_CALL(t, WF_NR_lseek, 1, 0, 0), -ESPIPE);
	ck_assert_int_eq(TP_CALL(t, WF_NR_pwrite64, 1, tp_str(t, "x"), 1, 0), -ESPIPE);
	ck_assert_int_eq(TP_CALL(t, WF_NR_fcntl, 1, F_GETFL_, 0), O_WR);
}
END_TEST

START_TEST(test_output_limit)
{
	teardown();
	setup_with(0, 10);
	ck_assert_int_eq(gwrite(1, "12345678"), 8);
	ck_assert_int_eq(gwrite(2, "abcde"), 2);
	ck_assert_int_eq(gwrite(1, "z"), -EFBIG);
	ck_assert_int_eq(gwrite(1, ""), 0);
	ck_assert_str_eq(t->out[0], "12345678");
	ck_assert_str_eq(t->out[1], "ab");
	ck_assert_uint_eq(t->p.output_bytes, 10);
}
END_TEST

START_TEST(test_ebadf)
{
	wf_gaddr_t b = tp_alloc(t, 16);
	ck_assert_int_eq(TP_CALL(t, WF_NR_read, 99, b, 1), -EBADF);
	ck_assert_int_eq(TP_CALL(t, WF_NR_read, -1, b, 1), -EBADF);
	ck_assert_int_eq(TP_CALL(t, WF_NR_read, 5, b, 0), -EBADF);
	ck_assert_int_eq(TP_CALL(t, WF_NR_write, 5, b, 1), -EBADF);
	ck_assert_int_eq(TP_CALL(t, WF_NR_readv, 5, b, 1), -EBADF);
	ck_assert_int_eq(TP_CALL(t, WF_NR_pread64, 5, b, 1, 0), -EBADF);
	ck_assert_int_eq(TP_CALL(t, WF_NR_close, 42), -EBADF);
	ck_assert_int_eq(TP_CALL(t, WF_NR_close, 1u << 31), -EBADF);
	ck_assert_int_eq(TP_CALL(t, WF_NR_lseek, 77, 0, 0), -EBADF);
	ck_assert_int_eq(TP_CALL(t, WF_NR_dup, 77), -EBADF);
	ck_assert_int_eq(TP_CALL(t, WF_NR_dup3, 77, 78, 0), -EBADF);
	ck_assert_int_eq(TP_CALL(t, WF_NR_fcntl, 77, F_GETFD_, 0), -EBADF);
	ck_assert_int_eq(TP_CALL(t, WF_NR_ioctl, 77, 0x5401, b), -EBADF);
	ck_assert_int_eq(TP_CALL(t, WF_NR_close, 2), 0);
	ck_assert_int_eq(gwrite(2, "x"), -EBADF);
	ck_assert_int_eq(TP_CALL(t, WF_NR_close, 2), -EBADF);
}
END_TEST

START_TEST(test_emfile)
{
	teardown();
	setup_with(8, 0);
	for (int i = 3; i < 8; i++)
		ck_assert_int_eq(gopen("f", O_RW | GO_CREAT), i);
	ck_assert_int_eq(gopen("f", O_RD), -EMFILE);
	ck_assert_int_eq(TP_CALL(t, WF_NR_dup, 3), -EMFILE);
	ck_assert_int_eq(TP_CALL(t, WF_NR_dup3, 3, 8, 0), -EBADF);
	ck_assert_int_eq(TP_CALL(t, WF_NR_fcntl, 3, F_DUPFD_, 8), -EINVAL);
	ck_assert_int_eq(TP_CALL(t, WF_NR_close, 7), 0);
	wf_gaddr_t fds = tp_alloc(t, 8);
	ck_assert_int_eq(TP_CALL(t, WF_NR_pipe2, fds, 0), -EMFILE);
	/* The failed pipe2 left fd 7 free. */
	ck_assert_int_eq(TP_CALL(t, WF_NR_dup, 3), 7);
}
END_TEST

START_TEST(test_seek_pread_pwrite)
{
	char *s;
	int64_t fd = gopen("f", O_RW | GO_CREAT | GO_TRUNC);
	ck_assert_int_eq(fd, 3);
	ck_assert_int_eq(gwrite(fd, "0123456789"), 10);
	ck_assert_int_eq(TP_CALL(t, WF_NR_lseek, fd, 2, 0), 2);
	ck_assert_int_eq(gread(fd, 3, &s), 3);
	ck_assert_mem_eq(s, "234", 3);
	ck_assert_int_eq(TP_CALL(t, WF_NR_lseek, fd, 1, 1), 6);
	ck_assert_int_eq(TP_CALL(t, WF_NR_lseek, fd, -4, 2), 6);
	ck_assert_int_eq(TP_CALL(t, WF_NR_lseek, fd, 0, 5), -EINVAL);
	ck_assert_int_eq(TP_CALL(t, WF_NR_lseek, fd, -20, 0), -EINVAL);
	ck_assert_int_eq(TP_CALL(t, WF_NR_lseek, fd, 0, 3), 0); /* SEEK_DATA */
	ck_assert_int_eq(TP_CALL(t, WF_NR_lseek, fd, 0, 4), 10); /* SEEK_HOLE */
	ck_assert_int_eq(TP_CALL(t, WF_NR_lseek, fd, 6, 0), 6);

	wf_gaddr_t b = tp_alloc(t, 16);
	ck_assert_int_eq(TP_CALL(t, WF_NR_pread64, fd, b, 16, 5), 5);
	ck_assert_mem_eq(tp_host(t, b), "56789", 5);
	ck_assert_int_eq(TP_CALL(t, WF_NR_pwrite64, fd, tp_str(t, "AB"), 2, 0), 2);
	ck_assert_int_eq(TP_CALL(t, WF_NR_pread64, fd, b, 3, 0), 3);
	ck_assert_mem_eq(tp_host(t, b), "AB2", 3);
	ck_assert_int_eq(TP_CALL(t, WF_NR_pread64, fd, b, 3, -1), -EINVAL);
	/* The position did not move. */
	ck_assert_int_eq(TP_CALL(t, WF_NR_lseek, fd, 0, 1), 6);
	ck_assert_int_eq(TP_CALL(t, WF_NR_pread64, fd, b, 3, 100), 0);

	/* O_APPEND writes at the end whatever the position. */
	int64_t afd = gopen("f", O_WR | GO_APPEND);
	ck_assert_int_eq(gwrite(afd, "!"), 1);
	ck_assert_int_eq(TP_CALL(t, WF_NR_lseek, fd, 0, 2), 11);
	ck_assert_int_eq(TP_CALL(t, WF_NR_fcntl, afd, F_GETFL_, 0), O_WR | GO_APPEND | GO_LARGEFILE);
	/* A directory reads as EISDIR even for zero bytes. */
	int64_t dfd = gopen("", O_RD);
	ck_assert_int_eq(TP_CALL(t, WF_NR_read, dfd, b, 0), -EISDIR);
}
END_TEST

START_TEST(test_readv_writev)
{
	int64_t fd = gopen("v", O_RW | GO_CREAT | GO_TRUNC);
	wf_gaddr_t iov = tp_alloc(t, 16 * 4);
	uint64_t *v = tp_host(t, iov);
	v[0] = tp_str(t, "abc"), v[1] = 3;
	v[2] = 0x7, v[3] = 0; /* empty segment: the pointer is not looked at */
	v[4] = tp_str(t, "defg"), v[5] = 4;
	ck_assert_int_eq(TP_CALL(t, WF_NR_writev, fd, iov, 3), 7);
	ck_assert_int_eq(TP_CALL(t, WF_NR_writev, 1, iov, 3), 7);
	ck_assert_str_eq(t->out[0], "abcdefg");

	ck_assert_int_eq(TP_CALL(t, WF_NR_lseek, fd, 0, 0), 0);
	wf_gaddr_t b1 = tp_alloc(t, 2), b2 = tp_alloc(t, 16);
	v[0] = b1, v[1] = 2, v[2] = b2, v[3] = 16;
	ck_assert_int_eq(TP_CALL(t, WF_NR_readv, fd, iov, 2), 7);
	ck_assert_mem_eq(tp_host(t, b1), "ab", 2);
	ck_assert_mem_eq(tp_host(t, b2), "cdefg", 5);

	ck_assert_int_eq(TP_CALL(t, WF_NR_readv, fd, iov, 0), 0);
	ck_assert_int_eq(TP_CALL(t, WF_NR_readv, fd, iov, 1025), -EINVAL);
	ck_assert_int_eq(TP_CALL(t, WF_NR_readv, fd, iov, -1), -EINVAL);
	ck_assert_int_eq(TP_CALL(t, WF_NR_readv, fd, 0x20, 1), -EFAULT);
	v[1] = 1ull << 63; /* a negative length */
	ck_assert_int_eq(TP_CALL(t, WF_NR_readv, fd, iov, 2), -EINVAL);
	v[0] = 0x40, v[1] = 8; /* the first segment faults: nothing moved */
	ck_assert_int_eq(TP_CALL(t, WF_NR_writev, fd, iov, 2), -EFAULT);
	ck_assert_int_eq(TP_CALL(t, WF_NR_writev, 0, iov, 2), -EBADF);
	/* An empty vector: 0, but only on an fd open the right way, and the vector is not read
	 * (found by fuzz_syscalls). */
	ck_assert_int_eq(TP_CALL(t, WF_NR_writev, fd, 0x20, 0), 0);
	ck_assert_int_eq(TP_CALL(t, WF_NR_writev, 0, 0x20, 0), -EBADF);
	/* 1024 segments are fine. */
	wf_gaddr_t big = tp_alloc(t, 16 * 1024);
	uint64_t *bv = tp_host(t, big);
	wf_gaddr_t x = tp_str(t, "x");
	for (int i = 0; i < 1024; i++)
		bv[2 * i] = x, bv[2 * i + 1] = 1;
	ck_assert_int_eq(TP_CALL(t, WF_NR_writev, fd, big, 1024), 1024);
}
END_TEST

START_TEST(test_efault_and_partial)
{
	int64_t fd = gopen("f", O_RW | GO_CREAT | GO_TRUNC);
	ck_assert_int_eq(gwrite(fd, "0123456789"), 10);
	ck_assert_int_eq(TP_CALL(t, WF_NR_lseek, fd, 0, 0), 0);
	wf_gaddr_t pg = tp_alloc_pages(t, 3);
	tp_protect(t, pg + WF_PAGE_SIZE, WF_PAGE_SIZE, WF_PROT_READ);
	tp_protect(t, pg + 2 * WF_PAGE_SIZE, WF_PAGE_SIZE, 0);
	ck_assert_int_eq(TP_CALL(t, WF_NR_read, fd, pg + WF_PAGE_SIZE, 4), -EFAULT);
	ck_assert_int_eq(TP_CALL(t, WF_NR_read, fd, pg + 2 * WF_PAGE_SIZE, 4), -EFAULT);
	ck_assert_int_eq(TP_CALL(t, WF_NR_read, fd, 0xffffffffffff0000ull, 4), -EFAULT);
	ck_assert_int_eq(TP_CALL(t, WF_NR_write, fd, pg + 2 * WF_PAGE_SIZE, 4), -EFAULT);
	ck_assert_int_eq(TP_CALL(t, WF_NR_read, fd, 0x10, 0), 0);
	/* Reading into a buffer whose tail is read-only: a short read up to the fault. */
	ck_assert_int_eq(TP_CALL(t, WF_NR_read, fd, pg + WF_PAGE_SIZE - 3, 8), 3);
	ck_assert_mem_eq(tp_host(t, pg + WF_PAGE_SIZE - 3), "012", 3);
	/* Writing from a read-only page is fine. */
	memcpy(tp_host(t, pg + WF_PAGE_SIZE), "RO", 2);
	ck_assert_int_eq(TP_CALL(t, WF_NR_write, 1, pg + WF_PAGE_SIZE, 2), 2);
	ck_assert_str_eq(t->out[0], "RO");
	/* A count past the end of the address space is EFAULT (access_ok); a huge one within
	 * it moves the accessible part. */
	ck_assert_int_eq(TP_CALL(t, WF_NR_write, 1, pg + WF_PAGE_SIZE, UINT64_MAX), -EFAULT);
	ck_assert_int_eq(TP_CALL(t, WF_NR_write, 1, pg + WF_PAGE_SIZE, 1ull << 40), WF_PAGE_SIZE);
}
END_TEST

START_TEST(test_dup_fcntl)
{
	char *s;
	int64_t fd = gopen("f", O_RW | GO_CREAT | GO_TRUNC);
	ck_assert_int_eq(fd, 3);
	ck_assert_int_eq(gwrite(fd, "abcdef"), 6);
	int64_t d = TP_CALL(t, WF_NR_dup, fd);
	ck_assert_int_eq(d, 4);
	/* A dup shares the file position. */
	ck_assert_int_eq(TP_CALL(t, WF_NR_lseek, d, 1, 0), 1);
	ck_assert_int_eq(gread(fd, 2, &s), 2);
	ck_assert_mem_eq(s, "bc", 2);

	ck_assert_int_eq(TP_CALL(t, WF_NR_dup3, fd, fd, 0), -EINVAL);
	ck_assert_int_eq(TP_CALL(t, WF_NR_dup3, fd, 10, 1), -EINVAL);
	ck_assert_int_eq(TP_CALL(t, WF_NR_dup3, fd, 10, GO_CLOEXEC), 10);
	ck_assert_int_eq(TP_CALL(t, WF_NR_fcntl, 10, F_GETFD_, 0), 1);
	ck_assert_int_eq(TP_CALL(t, WF_NR_fcntl, fd, F_GETFD_, 0), 0);
	ck_assert_int_eq(TP_CALL(t, WF_NR_fcntl, 10, F_SETFD_, 0), 0);
	ck_assert_int_eq(TP_CALL(t, WF_NR_fcntl, 10, F_GETFD_, 0), 0);
	/* dup3 onto an open fd replaces it; onto stdout too. */
	ck_assert_int_eq(TP_CALL(t, WF_NR_dup3, d, 10, 0), 10);
	ck_assert_int_eq(TP_CALL(t, WF_NR_dup3, fd, 1, 0), 1);
	ck_assert_int_eq(gwrite(1, "Z"), 1);
	ck_assert_uint_eq(t->outlen[0], 0);
	ck_assert_int_eq(TP_CALL(t, WF_NR_dup3, 2, 1, 0), 1);
	ck_assert_int_eq(gwrite(1, "out"), 3);
	ck_assert_str_eq(t->out[1], "out");

	ck_assert_int_eq(TP_CALL(t, WF_NR_fcntl, fd, F_DUPFD_, 20), 20);
	ck_assert_int_eq(TP_CALL(t, WF_NR_fcntl, fd, F_DUPFD_, 20), 21);
	ck_assert_int_eq(TP_CALL(t, WF_NR_fcntl, fd, F_DUPFD_CLOEXEC_, 0), 5);
	ck_assert_int_eq(TP_CALL(t, WF_NR_fcntl, 5, F_GETFD_, 0), 1);
	ck_assert_int_eq(TP_CALL(t, WF_NR_fcntl, fd, F_DUPFD_, 5000), -EINVAL);

	ck_assert_int_eq(TP_CALL(t, WF_NR_fcntl, fd, F_GETFL_, 0), O_RW | GO_LARGEFILE);
	ck_assert_int_eq(TP_CALL(t, WF_NR_fcntl, fd, F_SETFL_, GO_APPEND | GO_NONBLOCK), 0);
	ck_assert_int_eq(TP_CALL(t, WF_NR_fcntl, fd, F_GETFL_, 0),
			 O_RW | GO_LARGEFILE | GO_APPEND | GO_NONBLOCK);
	/* Status flags belong to the open file: the dup sees them. */
	ck_assert_int_eq(TP_CALL(t, WF_NR_fcntl, d, F_GETFL_, 0),
			 O_RW | GO_LARGEFILE | GO_APPEND | GO_NONBLOCK);
	ck_assert_int_eq(TP_CALL(t, WF_NR_fcntl, fd, 9999, 0), -EINVAL);
	/* Locks read their struct flock first: a NULL one is EFAULT (Linux's order). */
	ck_assert_int_eq(TP_CALL(t, WF_NR_fcntl, fd, 5 /* F_GETLK */, 0), -EFAULT);
	ck_assert_int_eq(TP_CALL(t, WF_NR_fcntl, fd, 1024 /* F_SETLEASE */, 0), -EINVAL);
}
END_TEST

START_TEST(test_pipe2)
{
	wf_gaddr_t fds = tp_alloc(t, 8);
	ck_assert_int_eq(TP_CALL(t, WF_NR_pipe2, fds, 0), 0);
	int32_t *f = tp_host(t, fds);
	ck_assert_int_eq(f[0], 3);
	ck_assert_int_eq(f[1], 4);
	ck_assert_int_eq(gwrite(f[1], "ping"), 4);
	wf_gaddr_t n = tp_alloc(t, 4);
	ck_assert_int_eq(TP_CALL(t, WF_NR_ioctl, f[0], 0x541b, n), 0); /* FIONREAD */
	ck_assert_int_eq(*(int32_t *)tp_host(t, n), 4);
	char *s;
	ck_assert_int_eq(gread(f[0], 16, &s), 4);
	ck_assert_mem_eq(s, "ping", 4);
	ck_assert_int_eq(gread(f[1], 4, &s), -EBADF);
	ck_assert_int_eq(gwrite(f[0], "x"), -EBADF);
	ck_assert_int_eq(TP_CALL(t, WF_NR_lseek, f[0], 0, 1), -ESPIPE);
	ck_assert_int_eq(TP_CALL(t, WF_NR_pread64, f[0], n, 1, 0), -ESPIPE);
	ck_assert_int_eq(TP_CALL(t, WF_NR_fcntl, f[0], F_GETFL_, 0), O_RD);
	ck_assert_int_eq(TP_CALL(t, WF_NR_fcntl, f[1], F_GETFL_, 0), O_WR);

	ck_assert_int_eq(TP_CALL(t, WF_NR_pipe2, fds, GO_NONBLOCK | GO_CLOEXEC), 0);
	ck_assert_int_eq(f[0], 5);
	ck_assert_int_eq(gread(5, 4, &s), -EAGAIN);
	ck_assert_int_eq(TP_CALL(t, WF_NR_fcntl, 5, F_GETFD_, 0), 1);
	ck_assert_int_eq(TP_CALL(t, WF_NR_fcntl, 5, F_GETFL_, 0), O_RD | GO_NONBLOCK);
	/* Closing the write end gives EOF. */
	ck_assert_int_eq(TP_CALL(t, WF_NR_close, 6), 0);
	ck_assert_int_eq(gread(5, 4, &s), 0);
	/* Writing with the read end closed: EPIPE and a SIGPIPE for the guest, and the host
	 * process (this test) is not killed by its own SIGPIPE. */
	ck_assert_int_eq(TP_CALL(t, WF_NR_pipe2, fds, 0), 0);
	ck_assert_int_eq(TP_CALL(t, WF_NR_close, f[0]), 0);
	ck_assert_int_eq(t->p.sigshared.set & (1ull << (13 - 1)), 0);
	ck_assert_int_eq(gwrite(f[1], "x"), -EPIPE);
	ck_assert_uint_ne(t->p.sigshared.set & (1ull << (13 - 1)), 0);
	ck_assert_int_eq(TP_CALL(t, WF_NR_close, f[1]), 0);

	ck_assert_int_eq(TP_CALL(t, WF_NR_pipe2, fds, GO_APPEND), -EINVAL);
	ck_assert_int_eq(TP_CALL(t, WF_NR_pipe2, 0x30, 0), -EFAULT);
	wf_gaddr_t ro = tp_alloc_pages(t, 1);
	tp_protect(t, ro, WF_PAGE_SIZE, WF_PROT_READ);
	ck_assert_int_eq(TP_CALL(t, WF_NR_pipe2, ro, 0), -EFAULT);
	/* Both ends were released: the next fd is 6 again. */
	ck_assert_int_eq(TP_CALL(t, WF_NR_dup, 3), 6);
}
END_TEST

START_TEST(test_ioctl)
{
	wf_gaddr_t b = tp_alloc(t, 64);
	int64_t fd = gopen("f", O_RW | GO_CREAT);
	ck_assert_int_eq(TP_CALL(t, WF_NR_ioctl, 1, 0x5401, b), -ENOTTY); /* TCGETS */
	ck_assert_int_eq(TP_CALL(t, WF_NR_ioctl, 0, 0x5413, b), -ENOTTY); /* TIOCGWINSZ */
	ck_assert_int_eq(TP_CALL(t, WF_NR_ioctl, fd, 0x5401, b), -ENOTTY);
	ck_assert_int_eq(TP_CALL(t, WF_NR_ioctl, fd, 0x12345678, b), -ENOTTY);
	ck_assert_int_eq(TP_CALL(t, WF_NR_ioctl, fd, 0x5451, 0), 0); /* FIOCLEX */
	ck_assert_int_eq(TP_CALL(t, WF_NR_fcntl, fd, F_GETFD_, 0), 1);
	ck_assert_int_eq(TP_CALL(t, WF_NR_ioctl, fd, 0x5450, 0), 0); /* FIONCLEX */
	ck_assert_int_eq(TP_CALL(t, WF_NR_fcntl, fd, F_GETFD_, 0), 0);
	*(int32_t *)tp_host(t, b) = 1;
	ck_assert_int_eq(TP_CALL(t, WF_NR_ioctl, fd, 0x5421, b), 0); /* FIONBIO */
	ck_assert_int_eq(TP_CALL(t, WF_NR_fcntl, fd, F_GETFL_, 0) & GO_NONBLOCK, GO_NONBLOCK);
	ck_assert_int_eq(TP_CALL(t, WF_NR_ioctl, fd, 0x541b, 0x8), -EFAULT);
}
END_TEST

START_TEST(test_proc_helpers)
{
	/* The deterministic generator repeats from the same seed and differs between seeds. */
	struct wf_proc a = {.deterministic = true, .rng = {1, 2, 3, 4}};
	struct wf_proc b = {.deterministic = true, .rng = {1, 2, 3, 4}};
	ck_assert_int_eq(wf_proc_init(&a), 0);
	ck_assert_int_eq(wf_proc_init(&b), 0);
	uint8_t x[37], y[37];
	wf_proc_random(&a, x, sizeof(x));
	wf_proc_random(&b, y, sizeof(y));
	ck_assert_mem_eq(x, y, sizeof(x));
	wf_proc_random(&b, y, sizeof(y));
	ck_assert_int_ne(memcmp(x, y, sizeof(x)), 0);
	ck_assert_str_eq(a.cwd, "/");
	ck_assert_uint_eq(a.nfds, WF_MAX_FDS_DEFAULT);

	wf_proc_kill(&a, 9);
	wf_proc_kill(&a, 11);
	ck_assert_int_eq(a.killed_by, 9);
	b.exited = true;
	wf_proc_kill(&b, 9);
	ck_assert_int_eq(b.killed_by, 0);
	ck_assert_int_eq(wf_proc_allow(&a, "relative", false), -EINVAL);
	ck_assert_int_eq(wf_proc_allow(&a, "/nonexistent-wf-dir", false), -ENOENT);
	wf_proc_fini(&a);
	wf_proc_fini(&b);

	char buf[8];
	wf_gaddr_t s = tp_str(t, "hello");
	ck_assert_int_eq(wf_proc_strdup(&t->p, s, buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "hello");
	ck_assert_int_eq(wf_proc_strdup(&t->p, s, buf, 5), -ENAMETOOLONG);
	ck_assert_int_eq(wf_proc_strdup(&t->p, 0x4, buf, 5), -EFAULT);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("io");
	TCase *tc = tcase_create("io");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_stdout_printer);
	tcase_add_test(tc, test_output_limit);
	tcase_add_test(tc, test_ebadf);
	tcase_add_test(tc, test_emfile);
	tcase_add_test(tc, test_seek_pread_pwrite);
	tcase_add_test(tc, test_readv_writev);
	tcase_add_test(tc, test_efault_and_partial);
	tcase_add_test(tc, test_dup_fcntl);
	tcase_add_test(tc, test_pipe2);
	tcase_add_test(tc, test_ioctl);
	tcase_add_test(tc, test_proc_helpers);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return wf_check_run(suite());
}
