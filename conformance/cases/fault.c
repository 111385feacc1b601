// SPDX-License-Identifier: Apache-2.0
/* fault.c: conformance cases that end in a memory fault: the termination signal is compared. */
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>

#include "conf.h"

/*
 * Each case sets up memory, prints what it is about to do, and touches it. With the default
 * action the process dies of the signal (SIGSEGV, SIGBUS); the runner compares that
 * termination (exit status 128+N) besides the transcript. The last line ("survived") is only
 * printed if the access did not fault. Handled signals (siginfo, si_code, si_addr) belong to
 * the signal cases, which come with signal delivery.
 */

#define P CONF_PAGE

static void touch_read(const volatile char *p, const char *what)
{
	conf_fact("read", "%s", what);
	conf_flush();
	char c = *(volatile char *)conf_launder(p);
	conf_fact("survived", "%d", c);
}

static void touch_write(volatile char *p, const char *what)
{
	conf_fact("write", "%s", what);
	conf_flush();
	*(volatile char *)conf_launder(p) = 1;
	conf_fact("survived", "1");
}

static char *anon(size_t n, int prot)
{
	return (char *)TA(mmap, 0, n, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
}

CONF_CASE(segv_prot_none, "mmap")
{
	touch_read(anon(P, PROT_NONE), "PROT_NONE page");
}

CONF_CASE(segv_write_readonly, "mmap")
{
	touch_write(anon(P, PROT_READ), "PROT_READ page");
}

CONF_CASE(segv_mprotect_none, "mmap mprotect")
{
	char *p = anon(2 * P, PROT_READ | PROT_WRITE);
	p[P] = 'x';
	T(mprotect, p + P, P, PROT_NONE);
	touch_read(p, "the page before (still readable)");
	touch_read(p + P, "PROT_NONE after mprotect");
}

CONF_CASE(segv_mprotect_readonly, "mmap mprotect")
{
	char *p = anon(P, PROT_READ | PROT_WRITE);
	p[0] = 'x';
	T(mprotect, p, P, PROT_READ);
	touch_read(p, "now read-only");
	touch_write(p, "now read-only");
}

CONF_CASE(segv_munmapped, "mmap munmap")
{
	char *p = anon(3 * P, PROT_READ | PROT_WRITE);
	T(munmap, p + P, P);
	touch_read(p + 2 * P, "the page after the hole");
	touch_read(p + P, "the unmapped middle page");
}

CONF_CASE(segv_null, "")
{
	touch_read((char *)16, "address 16");
}

CONF_CASE(segv_exec_noexec, "mmap")
{
	/* ret */
	static const unsigned code[] = {0xd65f03c0};
	char *p = anon(P, PROT_READ | PROT_WRITE);
	memcpy(p, code, sizeof code);
	__builtin___clear_cache(p, p + sizeof code);
	conf_fact("call", "code in a PROT_READ|PROT_WRITE page");
	conf_flush();
	((void (*)(void))(void *)p)();
	conf_fact("survived", "1");
}

CONF_CASE(segv_write_file_readonly, "mmap openat")
{
	long fd = T(openat, AT_FDCWD, "file", O_RDONLY);
	char *p = (char *)TA(mmap, 0, P, PROT_READ, MAP_PRIVATE, fd, 0);
	touch_read(p, "a PROT_READ file mapping");
	touch_write(p, "a PROT_READ file mapping");
}

CONF_CASE(sigbus_past_eof, "mmap openat")
{
	/* A file mapping's pages wholly past the end of the file raise SIGBUS. */
	long fd = T(openat, AT_FDCWD, "file", O_RDONLY);
	char *p = (char *)TA(mmap, 0, 2 * P, PROT_READ, MAP_PRIVATE, fd, 0);
	touch_read(p + 100, "past EOF, first page");
	touch_read(p + P, "second page, wholly past EOF");
}

CONF_CASE(segv_brk_shrunk, "brk")
{
	char *b0 = (char *)TA(brk, 0);
	char *top = (char *)(((unsigned long)b0 + 3 * P) & ~(P - 1));
	TA(brk, top + P);
	top[0] = 1;
	TA(brk, top);
	touch_read(top - 1, "below the new break");
	touch_read(top, "the page given back");
}

CONF_CASE(segv_mremap_old, "mmap mprotect mremap")
{
	/* The second page, made a mapping of its own, keeps the first from growing in place. */
	char *p = anon(2 * P, PROT_READ | PROT_WRITE);
	T(mprotect, p + P, P, PROT_READ);
	char *q = (char *)TA(mremap, p, P, 4 * P, MREMAP_MAYMOVE);
	conf_more("moved=%d", q != p);
	touch_read(q + 3 * P, "the grown mapping's end");
	touch_read(p, "the old address");
}

CONF_CASE(segv_guard_below_stack, "")
{
	/* Far below the stack pointer, well past any guard gap: nothing is mapped there. */
	volatile char here = 0;
	touch_read((char *)conf_launder(&here) - (64ul << 20), "64 MiB below the stack");
}
