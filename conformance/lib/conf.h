// SPDX-License-Identifier: Apache-2.0
/* conf.h: the conformance cases' helper library: raw syscalls, CHECK-style transcript lines, cases. */
#ifndef WARMFORK_CONF_H
#define WARMFORK_CONF_H

#include <stddef.h>
#include <stdint.h>
#include <sys/syscall.h>

/*
 * A conformance program is a set of cases; `PROG CASE` runs one, `PROG --list` prints
 * "CASE SYSCALL..." for each. A case prints a transcript on stdout, one line per call:
 *
 *     openat(AT_FDCWD, "missing", O_RDONLY) = -1 errno=ENOENT
 *     read(fd, buf, 5) = 5 errno=0 | data="hello"
 *
 * The call is the case's own source text (so lines are stable), the result is the raw
 * kernel return value (-1 and the errno name for an error, as libc would show it), and what
 * follows "|" are facts about the result that the case chose to show. Nothing that varies
 * from run to run may appear: addresses, pids, inode numbers, times and random bytes are
 * shown as <addr>, <pid>, ... or as relations ("same", "nondecreasing"). Paths beneath the
 * work directory print as $WORK/....
 *
 * Syscalls are made with `svc #0` directly (conf_raw), never through glibc wrappers, so the
 * transcript shows the kernel ABI: EFAULT for bad pointers, raw flags, raw structs.
 */

/*
 * CONF_CASE(name, "syscall syscall ...") { body }
 * Defines a case. The string names every syscall the case exercises, with the names of the
 * arm64 syscall table (asm-generic/unistd.h: fstatat, not newfstatat). It is machine-read:
 * the build joins it with the VMM's syscall table into docs/syscalls.md, so keep the macro
 * call on one line, starting the line.
 */
struct conf_case {
	const char *name;
	void (*fn)(void);
	const char *syscalls;
};

#define CONF_CASE(name, syscalls)                                                                  \
	static void conf_case_##name(void);                                                        \
	static const struct conf_case conf_reg_##name                                              \
		__attribute__((used, section("conf_cases"), aligned(8))) = {#name, conf_case_##name, \
									  syscalls};                 \
	static void conf_case_##name(void)

/* The raw syscall: returns what the kernel put in x0 (-4095..-1 is -errno). */
long conf_raw(long nr, long a, long b, long c, long d, long e, long f);

#define CONF_A6(...) CONF_A6_(__VA_ARGS__, 0, 0, 0, 0, 0, 0, 0)
#define CONF_A6_(a, b, c, d, e, f, ...)                                                            \
	(long)(a), (long)(b), (long)(c), (long)(d), (long)(e), (long)(f)

/* SYS(name, args...): a raw syscall by its <sys/syscall.h> name; SYS0 for no arguments. */
#define SYS(name, ...) conf_raw(__NR_##name, CONF_A6(__VA_ARGS__))
#define SYS0(name)     conf_raw(__NR_##name, 0, 0, 0, 0, 0, 0)

/* How a transcript line shows a successful result. Errors always show as -1 errno=NAME. */
enum conf_show {
	CONF_INT,  /* the value, in decimal */
	CONF_HEX,  /* the value, in hex (flags) */
	CONF_OCT,  /* the value, in octal (modes) */
	CONF_ADDR, /* <addr> (page-aligned) or <addr+OFF> (not): mmap, brk, mremap */
	CONF_ANY,  /* <n> for any value >= 0: pids, counts that vary */
};

/* Print one transcript line for `call` and its raw result; returns raw. */
long conf_report(enum conf_show show, const char *call, long raw);
/* The same with the call text formatted (for helpers: "read(3, buf, 5)"). */
long conf_reportf(enum conf_show show, long raw, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * The checks: make the call and print its line. T shows the result in decimal, TX in hex,
 * TO in octal, TA as an address, TN hides a non-negative value. The *0 forms take no
 * arguments. All return the raw result, so a case can go on with it. The call is shown as
 * written in the source (macros unexpanded), so transcripts read like the case.
 */
#define T(name, ...)  conf_report(CONF_INT, #name "(" #__VA_ARGS__ ")", SYS(name, __VA_ARGS__))
#define TX(name, ...) conf_report(CONF_HEX, #name "(" #__VA_ARGS__ ")", SYS(name, __VA_ARGS__))
#define TO(name, ...) conf_report(CONF_OCT, #name "(" #__VA_ARGS__ ")", SYS(name, __VA_ARGS__))
#define TA(name, ...) conf_report(CONF_ADDR, #name "(" #__VA_ARGS__ ")", SYS(name, __VA_ARGS__))
#define TN(name, ...) conf_report(CONF_ANY, #name "(" #__VA_ARGS__ ")", SYS(name, __VA_ARGS__))
#define T0(name)      conf_report(CONF_INT, #name "()", SYS0(name))
#define TN0(name)     conf_report(CONF_ANY, #name "()", SYS0(name))

/* Append " | fact" to the current line (printf format). */
void conf_more(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Append " | what=" and buf[0..n) as an escaped, quoted string. */
void conf_bytes(const char *what, const void *buf, size_t n);
/* Append " | what=" and a path, with the work directory shown as $WORK. */
void conf_path(const char *what, const char *path);
/*
 * A line for something that is not a single call (a loop of calls, a memory access):
 * "what = value errno=-" plus facts appended with conf_more.
 */
void conf_fact(const char *what, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* End the current line now (before something that may kill the process). */
void conf_flush(void);
/* The errno name of e (positive), e.g. "ENOENT"; "E<n>" for unknown ones. */
const char *conf_errname(long e);
/* Is raw an error return? */
static inline int conf_err(long raw)
{
	return raw < 0 && raw >= -4095;
}

/* p, hidden from the optimiser (for deliberate wild accesses). */
static inline void *conf_launder(const volatile void *p)
{
	void *q = (void *)(unsigned long)p;
	__asm__ volatile("" : "+r"(q));
	return q;
}

/* The work directory (the case runs with it as cwd; $CONF_WORK, or "." natively without it). */
extern const char *conf_work;
/* Page size. */
#define CONF_PAGE 4096ul

/* Anonymous private read-write pages (raw mmap; aborts the case with a line on failure). */
void *conf_pages(size_t npages);
/*
 * A buffer of n bytes ending exactly at an inaccessible (PROT_NONE) page: buf + n faults.
 * For "partially valid buffer" checks.
 */
void *conf_before_hole(size_t n);
/* An address that is never mapped (for EFAULT checks). */
#define CONF_BADPTR ((void *)8)
/* Open a file of the fixture for reading (raw openat; -1 printed as a line if it fails). */
int conf_open(const char *path, int flags);
/* Write a small file (create/truncate) in the work directory. */
void conf_write_file(const char *path, const char *text);
/* Set a flag by nonzero status, without a transcript line (setup that must not fail). */
void conf_must(long raw, const char *what);

#endif
