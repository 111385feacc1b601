// SPDX-License-Identifier: Apache-2.0
/* conf.c: the conformance helper library: raw syscalls, transcript lines, case registry, main. */
#include "conf.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

/* The transcript goes to a private duplicate of stdout, so cases may close or reuse fd 1. */
enum { OUT_FD = 200 };

const char *conf_work = ".";
static size_t work_len;
static int line_open; /* a line was started and has no newline yet */

long conf_raw(long nr, long a, long b, long c, long d, long e, long f)
{
	register long x8 __asm__("x8") = nr;
	register long x0 __asm__("x0") = a;
	register long x1 __asm__("x1") = b;
	register long x2 __asm__("x2") = c;
	register long x3 __asm__("x3") = d;
	register long x4 __asm__("x4") = e;
	register long x5 __asm__("x5") = f;
	__asm__ volatile("svc #0"
			 : "+r"(x0)
			 : "r"(x8), "r"(x1), "r"(x2), "r"(x3), "r"(x4), "r"(x5)
			 : "memory", "cc");
	return x0;
}

/* Write all of buf to the transcript (raw writes; a failure ends the program). */
static void out(const char *buf, size_t n)
{
	while (n > 0) {
		long w = conf_raw(__NR_write, OUT_FD, (long)buf, (long)n, 0, 0, 0);
		if (w <= 0)
			conf_raw(__NR_exit_group, 3, 0, 0, 0, 0, 0);
		buf += w;
		n -= (size_t)w;
	}
}

static void outf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void outf(const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	out(buf, (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
}

void conf_flush(void)
{
	if (line_open)
		out("\n", 1);
	line_open = 0;
}

#define E(x) {x, #x}
static const struct {
	int nr;
	const char *name;
} errnames[] = {
	E(EPERM), E(ENOENT), E(ESRCH), E(EINTR), E(EIO), E(ENXIO), E(E2BIG), E(ENOEXEC),
	E(EBADF), E(ECHILD), E(EAGAIN), E(ENOMEM), E(EACCES), E(EFAULT), E(ENOTBLK), E(EBUSY),
	E(EEXIST), E(EXDEV), E(ENODEV), E(ENOTDIR), E(EISDIR), E(EINVAL), E(ENFILE), E(EMFILE),
	E(ENOTTY), E(ETXTBSY), E(EFBIG), E(ENOSPC), E(ESPIPE), E(EROFS), E(EMLINK), E(EPIPE),
	E(EDOM), E(ERANGE), E(EDEADLK), E(ENAMETOOLONG), E(ENOLCK), E(ENOSYS), E(ENOTEMPTY),
	E(ELOOP), E(ENOMSG), E(EIDRM), E(ENOSTR), E(ENODATA), E(ETIME), E(ENOSR), E(EREMOTE),
	E(ENOLINK), E(EPROTO), E(EBADMSG), E(EOVERFLOW), E(EBADFD), E(EILSEQ), E(EUSERS),
	E(ENOTSOCK), E(EDESTADDRREQ), E(EMSGSIZE), E(EPROTOTYPE), E(ENOPROTOOPT),
	E(EPROTONOSUPPORT), E(EOPNOTSUPP), E(EAFNOSUPPORT), E(EADDRINUSE), E(EADDRNOTAVAIL),
	E(ENETDOWN), E(ENETUNREACH), E(ECONNABORTED), E(ECONNRESET), E(ENOBUFS), E(EISCONN),
	E(ENOTCONN), E(ETIMEDOUT), E(ECONNREFUSED), E(EALREADY), E(EINPROGRESS), E(ESTALE),
	E(EDQUOT), E(ECANCELED), E(EOWNERDEAD), E(ENOTRECOVERABLE), E(ERFKILL), E(EHWPOISON),
	{512, "ERESTARTSYS"}, {513, "ERESTARTNOINTR"}, {514, "ERESTARTNOHAND"},
	{515, "ENOIOCTLCMD"}, {516, "ERESTART_RESTARTBLOCK"}, {524, "ENOTSUPP"},
};
#undef E

const char *conf_errname(long e)
{
	static char other[24];
	for (size_t i = 0; i < sizeof(errnames) / sizeof(errnames[0]); i++)
		if (errnames[i].nr == e)
			return errnames[i].name;
	snprintf(other, sizeof(other), "E%ld", e);
	return other;
}

long conf_report(enum conf_show show, const char *call, long raw)
{
	conf_flush();
	out(call, strlen(call));
	line_open = 1;
	if (conf_err(raw)) {
		outf(" = -1 errno=%s", conf_errname(-raw));
		return raw;
	}
	switch (show) {
	case CONF_INT: outf(" = %ld", raw); break;
	case CONF_HEX: outf(" = %#lx", (unsigned long)raw); break;
	case CONF_OCT: outf(" = %#lo", (unsigned long)raw); break;
	case CONF_ADDR:
		if ((unsigned long)raw % CONF_PAGE)
			outf(" = <addr+%#lx>", (unsigned long)raw % CONF_PAGE);
		else
			outf(" = <addr>");
		break;
	case CONF_ANY:
		outf(raw >= 0 ? " = <n>" : " = %ld", raw);
		break;
	}
	out(" errno=0", 8);
	return raw;
}

long conf_reportf(enum conf_show show, long raw, const char *fmt, ...)
{
	char call[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(call, sizeof(call), fmt, ap);
	va_end(ap);
	return conf_report(show, call, raw);
}

void conf_more(const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	out(" | ", 3);
	out(buf, (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
	line_open = 1;
}

/* Escaped bytes, C style, at most 200 of them (no quotes). */
static void out_escaped(const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n && i < 200; i++) {
		unsigned char c = p[i];
		if (c == '"' || c == '\\')
			outf("\\%c", c);
		else if (c == '\n')
			out("\\n", 2);
		else if (c >= 0x20 && c < 0x7f)
			out((const char *)&c, 1);
		else
			outf("\\x%02x", c);
	}
	if (n > 200)
		out("...", 3);
}

void conf_bytes(const char *what, const void *buf, size_t n)
{
	outf(" | %s=\"", what);
	out_escaped(buf, n);
	out("\"", 1);
	line_open = 1;
}

void conf_path(const char *what, const char *path)
{
	outf(" | %s=\"", what);
	if (work_len && !strncmp(path, conf_work, work_len) &&
	    (path[work_len] == '/' || !path[work_len])) {
		out("$WORK", 5);
		path += work_len;
	}
	out_escaped((const unsigned char *)path, strlen(path));
	out("\"", 1);
	line_open = 1;
}

void conf_fact(const char *what, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	conf_flush();
	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	outf("%s = %s errno=-", what, n < 0 ? "?" : buf);
	line_open = 1;
}

void conf_must(long raw, const char *what)
{
	if (conf_err(raw)) {
		conf_flush();
		outf("setup: %s = -1 errno=%s\n", what, conf_errname(-raw));
		conf_raw(__NR_exit_group, 4, 0, 0, 0, 0, 0);
	}
}

void *conf_pages(size_t npages)
{
	long p = SYS(mmap, 0, npages * CONF_PAGE, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	conf_must(p, "mmap anonymous pages");
	return (void *)p;
}

void *conf_before_hole(size_t n)
{
	/* PROT_NONE rather than unmapped, so that no later mmap can fill the hole. */
	size_t np = (n + CONF_PAGE - 1) / CONF_PAGE + 1;
	char *p = conf_pages(np);
	conf_must(SYS(mprotect, p + (np - 1) * CONF_PAGE, CONF_PAGE, PROT_NONE), "mprotect the hole");
	return p + (np - 1) * CONF_PAGE - n;
}

int conf_open(const char *path, int flags)
{
	long fd = SYS(openat, AT_FDCWD, path, flags, 0644);
	conf_must(fd, path);
	return (int)fd;
}

void conf_write_file(const char *path, const char *text)
{
	long fd = SYS(openat, AT_FDCWD, path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	conf_must(fd, path);
	conf_must(SYS(write, fd, text, strlen(text)), "write the file");
	conf_must(SYS(close, fd), "close the file");
}

extern const struct conf_case __start_conf_cases[], __stop_conf_cases[];

static void err_line(const char *msg, const char *arg)
{
	conf_raw(__NR_write, 2, (long)"conf: ", 6, 0, 0, 0);
	conf_raw(__NR_write, 2, (long)msg, (long)strlen(msg), 0, 0, 0);
	conf_raw(__NR_write, 2, (long)arg, (long)strlen(arg), 0, 0, 0);
	conf_raw(__NR_write, 2, (long)"\n", 1, 0, 0, 0);
}

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "--list")) {
		for (const struct conf_case *c = __start_conf_cases; c < __stop_conf_cases; c++) {
			char line[1024];
			int n = snprintf(line, sizeof(line), "%s %s\n", c->name, c->syscalls);
			conf_raw(__NR_write, 1, (long)line, n, 0, 0, 0);
		}
		return 0;
	}
	if (argc != 2) {
		err_line("usage: PROGRAM CASE | PROGRAM --list", "");
		return 2;
	}
	const struct conf_case *c = __start_conf_cases;
	while (c < __stop_conf_cases && strcmp(c->name, argv[1]))
		c++;
	if (c == __stop_conf_cases) {
		err_line("no such case: ", argv[1]);
		return 2;
	}
	if (conf_err(SYS(dup3, 1, OUT_FD, O_CLOEXEC))) {
		err_line("cannot duplicate stdout", "");
		return 2;
	}
	const char *w = getenv("CONF_WORK");
	if (w && *w) {
		if (conf_err(SYS(chdir, w))) {
			err_line("cannot enter the work directory ", w);
			return 2;
		}
		conf_work = w;
		work_len = strlen(w);
	}
	c->fn();
	conf_flush();
	return 0;
}
