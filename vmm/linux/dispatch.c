// SPDX-License-Identifier: Apache-2.0
/* dispatch.c: the syscall lookup table, the dispatcher with its strace-style trace, errno names. */
#include <errno.h>
#include <stdarg.h>
#include <string.h>

#include "util.h"
#include "linux/signals.h"
#include "linux/syscall.h"

/* Longest guest string a trace shows before it cuts with `"...`. */
#define TRACE_STR_MAX  64
#define TRACE_LINE_MAX 2048

const struct wf_sys_family wf_sys_families[] = {
	{"fs", "vmm/linux/fs.c", wf_sys_fs},
	{"io", "vmm/linux/io.c", wf_sys_io},
	{"mm", "vmm/linux/mm.c", wf_sys_mm},
	{"time", "vmm/linux/time.c", wf_sys_time},
	{"process", "vmm/linux/process.c", wf_sys_process},
	{"signal", "vmm/linux/signal.c", wf_sys_signal},
	{"sigsend", "vmm/linux/sigsend.c", wf_sys_sigsend},
	{"thread", "vmm/linux/thread.c", wf_sys_thread},
	{"futex", "vmm/linux/futex.c", wf_sys_futex},
	{"exec", "vmm/linux/exec.c", wf_sys_exec},
	{"poll", "vmm/linux/poll.c", wf_sys_poll},
	{"socket", "vmm/linux/socket.c", wf_sys_socket},
	{"fdx", "vmm/linux/fdx.c", wf_sys_fdx},
	{"sched", "vmm/linux/sched.c", wf_sys_sched},
	{"fsmeta", "vmm/linux/fsmeta.c", wf_sys_fsmeta},
	{"links", "vmm/linux/links.c", wf_sys_links},
	{"unix", "vmm/linux/unix.c", wf_sys_unix},
	{"timers", "vmm/linux/timers.c", wf_sys_timers},
};
const size_t wf_sys_nfamilies = ARRAY_SIZE(wf_sys_families);

int wf_systab_add(struct wf_systab *t, const struct wf_syscall_def *defs)
{
	/* Check the whole table first, so a refused one leaves t as it was. */
	for (const struct wf_syscall_def *d = defs; d->name; d++) {
		if (d->nr < 0 || d->nr >= WF_NR_MAX || !d->fn || !d->args)
			return -EINVAL;
		if (t->by_nr[d->nr])
			return -EEXIST;
		for (const struct wf_syscall_def *e = defs; e != d; e++)
			if (e->nr == d->nr)
				return -EEXIST;
	}
	for (const struct wf_syscall_def *d = defs; d->name; d++)
		t->by_nr[d->nr] = d;
	return 0;
}

int wf_systab_init(struct wf_systab *t)
{
	memset(t, 0, sizeof(*t));
	for (size_t f = 0; f < wf_sys_nfamilies; f++) {
		int rc = wf_systab_add(t, wf_sys_families[f].defs);
		if (rc)
			return rc;
	}
	return 0;
}

/* asm-generic errno names (the same numbers on arm64 and x86_64 Linux). */
static const char *const errno_names[] = {
	[EPERM] = "EPERM", [ENOENT] = "ENOENT", [ESRCH] = "ESRCH", [EINTR] = "EINTR",
	[EIO] = "EIO", [ENXIO] = "ENXIO", [E2BIG] = "E2BIG", [ENOEXEC] = "ENOEXEC",
	[EBADF] = "EBADF", [ECHILD] = "ECHILD", [EAGAIN] = "EAGAIN", [ENOMEM] = "ENOMEM",
	[EACCES] = "EACCES", [EFAULT] = "EFAULT", [ENOTBLK] = "ENOTBLK", [EBUSY] = "EBUSY",
	[EEXIST] = "EEXIST", [EXDEV] = "EXDEV", [ENODEV] = "ENODEV", [ENOTDIR] = "ENOTDIR",
	[EISDIR] = "EISDIR", [EINVAL] = "EINVAL", [ENFILE] = "ENFILE", [EMFILE] = "EMFILE",
	[ENOTTY] = "ENOTTY", [ETXTBSY] = "ETXTBSY", [EFBIG] = "EFBIG", [ENOSPC] = "ENOSPC",
	[ESPIPE] = "ESPIPE", [EROFS] = "EROFS", [EMLINK] = "EMLINK", [EPIPE] = "EPIPE",
	[EDOM] = "EDOM", [ERANGE] = "ERANGE", [EDEADLK] = "EDEADLK",
	[ENAMETOOLONG] = "ENAMETOOLONG", [ENOLCK] = "ENOLCK", [ENOSYS] = "ENOSYS",
	[ENOTEMPTY] = "ENOTEMPTY", [ELOOP] = "ELOOP", [ENOMSG] = "ENOMSG", [EIDRM] = "EIDRM",
	[ECHRNG] = "ECHRNG", [EL2NSYNC] = "EL2NSYNC", [EL3HLT] = "EL3HLT", [EL3RST] = "EL3RST",
	[ELNRNG] = "ELNRNG", [EUNATCH] = "EUNATCH", [ENOCSI] = "ENOCSI", [EL2HLT] = "EL2HLT",
	[EBADE] = "EBADE", [EBADR] = "EBADR", [EXFULL] = "EXFULL", [ENOANO] = "ENOANO",
	[EBADRQC] = "EBADRQC", [EBADSLT] = "EBADSLT", [EBFONT] = "EBFONT", [ENOSTR] = "ENOSTR",
	[ENODATA] = "ENODATA", [ETIME] = "ETIME", [ENOSR] = "ENOSR", [ENONET] = "ENONET",
	[ENOPKG] = "ENOPKG", [EREMOTE] = "EREMOTE", [ENOLINK] = "ENOLINK", [EADV] = "EADV",
	[ESRMNT] = "ESRMNT", [ECOMM] = "ECOMM", [EPROTO] = "EPROTO", [EMULTIHOP] = "EMULTIHOP",
	[EDOTDOT] = "EDOTDOT", [EBADMSG] = "EBADMSG", [EOVERFLOW] = "EOVERFLOW",
	[ENOTUNIQ] = "ENOTUNIQ", [EBADFD] = "EBADFD", [EREMCHG] = "EREMCHG",
	[ELIBACC] = "ELIBACC", [ELIBBAD] = "ELIBBAD", [ELIBSCN] = "ELIBSCN",
	[ELIBMAX] = "ELIBMAX", [ELIBEXEC] = "ELIBEXEC", [EILSEQ] = "EILSEQ",
	[ERESTART] = "ERESTART", [ESTRPIPE] = "ESTRPIPE", [EUSERS] = "EUSERS",
	[ENOTSOCK] = "ENOTSOCK", [EDESTADDRREQ] = "EDESTADDRREQ", [EMSGSIZE] = "EMSGSIZE",
	[EPROTOTYPE] = "EPROTOTYPE", [ENOPROTOOPT] = "ENOPROTOOPT",
	[EPROTONOSUPPORT] = "EPROTONOSUPPORT", [ESOCKTNOSUPPORT] = "ESOCKTNOSUPPORT",
	[EOPNOTSUPP] = "EOPNOTSUPP", [EPFNOSUPPORT] = "EPFNOSUPPORT",
	[EAFNOSUPPORT] = "EAFNOSUPPORT", [EADDRINUSE] = "EADDRINUSE",
	[EADDRNOTAVAIL] = "EADDRNOTAVAIL", [ENETDOWN] = "ENETDOWN",
	[ENETUNREACH] = "ENETUNREACH", [ENETRESET] = "ENETRESET",
	[ECONNABORTED] = "ECONNABORTED", [ECONNRESET] = "ECONNRESET", [ENOBUFS] = "ENOBUFS",
	[EISCONN] = "EISCONN", [ENOTCONN] = "ENOTCONN", [ESHUTDOWN] = "ESHUTDOWN",
	[ETOOMANYREFS] = "ETOOMANYREFS", [ETIMEDOUT] = "ETIMEDOUT",
	[ECONNREFUSED] = "ECONNREFUSED", [EHOSTDOWN] = "EHOSTDOWN",
	[EHOSTUNREACH] = "EHOSTUNREACH", [EALREADY] = "EALREADY",
	[EINPROGRESS] = "EINPROGRESS", [ESTALE] = "ESTALE", [EUCLEAN] = "EUCLEAN",
	[ENOTNAM] = "ENOTNAM", [ENAVAIL] = "ENAVAIL", [EISNAM] = "EISNAM",
	[EREMOTEIO] = "EREMOTEIO", [EDQUOT] = "EDQUOT", [ENOMEDIUM] = "ENOMEDIUM",
	[EMEDIUMTYPE] = "EMEDIUMTYPE", [ECANCELED] = "ECANCELED", [ENOKEY] = "ENOKEY",
	[EKEYEXPIRED] = "EKEYEXPIRED", [EKEYREVOKED] = "EKEYREVOKED",
	[EKEYREJECTED] = "EKEYREJECTED", [EOWNERDEAD] = "EOWNERDEAD",
	[ENOTRECOVERABLE] = "ENOTRECOVERABLE", [ERFKILL] = "ERFKILL",
	[EHWPOISON] = "EHWPOISON",
};

const char *wf_errno_name(int err)
{
	/* Either sign: ENOENT or a syscall's -ENOENT. */
	unsigned e = err < 0 ? 0u - (unsigned)err : (unsigned)err;
	if (e == 0 || e >= ARRAY_SIZE(errno_names))
		return NULL;
	return errno_names[e];
}

/* A bounded line buffer: appends past the end are dropped, the text stays terminated. */
struct line {
	char s[TRACE_LINE_MAX];
	size_t n;
};

__attribute__((format(printf, 2, 3))) static void put(struct line *l, const char *fmt, ...)
{
	va_list ap;
	if (l->n >= sizeof(l->s) - 1)
		return;
	va_start(ap, fmt);
	int k = vsnprintf(l->s + l->n, sizeof(l->s) - l->n, fmt, ap);
	va_end(ap);
	if (k > 0)
		l->n += (size_t)k < sizeof(l->s) - l->n ? (size_t)k : sizeof(l->s) - 1 - l->n;
}

static void put_escaped(struct line *l, const uint8_t *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		uint8_t c = s[i];
		switch (c) {
		case '"':
			put(l, "\\\"");
			break;
		case '\\':
			put(l, "\\\\");
			break;
		case '\n':
			put(l, "\\n");
			break;
		case '\t':
			put(l, "\\t");
			break;
		case '\r':
			put(l, "\\r");
			break;
		default:
			if (c >= 0x20 && c < 0x7f)
				put(l, "%c", c);
			else
				put(l, "\\%03o", c);
		}
	}
}

/* A guest string, read through the accessor; one it cannot read prints as its address. */
static void put_string(struct line *l, struct wf_proc *p, wf_gaddr_t addr)
{
	if (!addr) {
		put(l, "NULL");
		return;
	}
	int64_t n = wf_mem_strnlen(&p->mem, addr, TRACE_STR_MAX + 1);
	bool cut = n == -ENAMETOOLONG;
	if (cut)
		n = TRACE_STR_MAX;
	const uint8_t *s = n >= 0 ? wf_mem_ptr(&p->mem, addr, (uint64_t)n, WF_PROT_READ) : NULL;
	if (!s) {
		put(l, "0x%llx", (unsigned long long)addr);
		return;
	}
	put(l, "\"");
	put_escaped(l, s, (size_t)n);
	put(l, cut ? "\"..." : "\"");
}

/* Guest (asm-generic) open flags, for openat's trace. */
static const struct {
	uint32_t bit;
	const char *name;
} open_flags[] = {
	{00000100, "O_CREAT"},     {00000200, "O_EXCL"},      {00000400, "O_NOCTTY"},
	{00001000, "O_TRUNC"},     {00002000, "O_APPEND"},    {00004000, "O_NONBLOCK"},
	{04010000, "O_SYNC"},      {00010000, "O_DSYNC"},     {00020000, "O_ASYNC"},
	{00040000, "O_DIRECTORY"}, {00100000, "O_NOFOLLOW"},  {00200000, "O_DIRECT"},
	{00400000, "O_LARGEFILE"}, {01000000, "O_NOATIME"},   {02000000, "O_CLOEXEC"},
	{020040000, "O_TMPFILE"},  {010000000, "O_PATH"},
};

static void put_open_flags(struct line *l, uint64_t v)
{
	static const char *const modes[4] = {"O_RDONLY", "O_WRONLY", "O_RDWR", "O_ACCMODE"};
	uint32_t f = (uint32_t)v;
	put(l, "%s", modes[f & 3]);
	f &= ~3u;
	for (size_t i = 0; i < ARRAY_SIZE(open_flags); i++)
		if ((f & open_flags[i].bit) == open_flags[i].bit) {
			put(l, "|%s", open_flags[i].name);
			f &= ~open_flags[i].bit;
		}
	if (f)
		put(l, "|%#o", f);
}

static void put_signal(struct line *l, uint64_t v)
{
	const char *name = wf_signo_name((int32_t)v);
	if (name)
		put(l, "%s", name);
	else
		put(l, "%d", (int32_t)v);
}

static void put_clock(struct line *l, uint64_t v)
{
	static const char *const names[] = {
		"CLOCK_REALTIME",  "CLOCK_MONOTONIC", "CLOCK_PROCESS_CPUTIME_ID",
		"CLOCK_THREAD_CPUTIME_ID", "CLOCK_MONOTONIC_RAW", "CLOCK_REALTIME_COARSE",
		"CLOCK_MONOTONIC_COARSE",  "CLOCK_BOOTTIME", "CLOCK_REALTIME_ALARM",
		"CLOCK_BOOTTIME_ALARM", NULL, "CLOCK_TAI",
	};
	int32_t c = (int32_t)v;
	if (c >= 0 && (size_t)c < ARRAY_SIZE(names) && names[c])
		put(l, "%s", names[c]);
	else
		put(l, "%d", c);
}

/* Arguments whose meaning the generic letters miss: decoded by name, as strace does. */
enum decode { DEC_OPEN_FLAGS, DEC_SIGNAL, DEC_CLOCK };
static const struct {
	int nr, arg;
	enum decode how;
} decoders[] = {
	{WF_NR_openat, 2, DEC_OPEN_FLAGS},
	{WF_NR_kill, 1, DEC_SIGNAL},
	{WF_NR_tkill, 1, DEC_SIGNAL},
	{WF_NR_tgkill, 2, DEC_SIGNAL},
	{WF_NR_rt_sigaction, 0, DEC_SIGNAL},
	{WF_NR_clock_gettime, 0, DEC_CLOCK},
	{WF_NR_clock_getres, 0, DEC_CLOCK},
	{WF_NR_clock_nanosleep, 0, DEC_CLOCK},
};

static bool put_decoded(struct line *l, int nr, int i, uint64_t v)
{
	for (size_t k = 0; k < ARRAY_SIZE(decoders); k++) {
		if (decoders[k].nr != nr || decoders[k].arg != i)
			continue;
		switch (decoders[k].how) {
		case DEC_OPEN_FLAGS:
			put_open_flags(l, v);
			break;
		case DEC_SIGNAL:
			put_signal(l, v);
			break;
		case DEC_CLOCK:
			put_clock(l, v);
			break;
		}
		return true;
	}
	return false;
}

static void put_arg(struct line *l, struct wf_proc *p, char kind, uint64_t v)
{
	switch (kind) {
	case 'd':
		/*
		 * An int arrives zero-extended (w registers) or sign-extended; a long (offsets)
		 * uses the upper half. Print the int unless the upper half says otherwise.
		 */
		if (v >> 32 == 0 || (uint64_t)(int64_t)(int32_t)v == v)
			put(l, "%d", (int32_t)v);
		else
			put(l, "%lld", (long long)v);
		break;
	case 'f':
		if ((int32_t)v == -100)
			put(l, "AT_FDCWD");
		else
			put(l, "%d", (int32_t)v);
		break;
	case 'u':
		put(l, "%llu", (unsigned long long)v);
		break;
	case 'o':
		put(l, "%#llo", (unsigned long long)v);
		break;
	case 'p':
		if (!v)
			put(l, "NULL");
		else
			put(l, "0x%llx", (unsigned long long)v);
		break;
	case 's':
		put_string(l, p, v);
		break;
	default: /* 'x' and anything unknown */
		put(l, "%#llx", (unsigned long long)v);
	}
}

/* "name(args" for a known syscall, "syscall_0xNR(six hex args" for an unknown one. */
static void trace_call(struct line *l, struct wf_proc *p, const struct wf_syscall_def *d,
		       uint64_t nr, const uint64_t a[6])
{
	/* Reading strings for the trace must not disturb the accessor's failure record. */
	struct wf_mem saved = p->mem;

	if (!d) {
		put(l, "syscall_%#llx(", (unsigned long long)nr);
		for (int i = 0; i < 6; i++)
			put(l, "%s%#llx", i ? ", " : "", (unsigned long long)a[i]);
	} else {
		put(l, "%s(", d->name);
		const char *args = d->args ? d->args : "";
		for (int i = 0; i < 6 && args[i]; i++) {
			if (i)
				put(l, ", ");
			if (!put_decoded(l, d->nr, i, a[i]))
				put_arg(l, p, args[i], a[i]);
		}
	}
	put(l, ")");
	p->mem.fail_file = saved.fail_file;
	p->mem.fail_line = saved.fail_line;
	p->mem.fail_addr = saved.fail_addr;
	p->mem.fail_len = saved.fail_len;
}

static void trace_result(struct line *l, const struct wf_proc *p, int64_t ret, bool ended)
{
	if (ended) {
		put(l, " = ?\n"); /* the process is gone: the call does not return */
	} else if (ret <= -WF_ERESTARTSYS && ret >= -WF_ERESTART_RESTARTBLOCK) {
		/* Kernel-internal: the return to the guest restarts the call or makes it EINTR. */
		static const char *const restart[] = {"ERESTARTSYS", "ERESTARTNOINTR",
						      "ERESTARTNOHAND", "ENOIOCTLCMD",
						      "ERESTART_RESTARTBLOCK"};
		put(l, " = ? %s (To be restarted)\n", restart[-ret - WF_ERESTARTSYS]);
	} else if (ret < 0 && ret >= -4095) {
		char buf[128];
		const char *name = wf_errno_name((int)-ret);
		const char *desc = strerror_r((int)-ret, buf, sizeof(buf));
		if (name)
			put(l, " = -1 %s (%s)\n", name, desc);
		else
			put(l, " = -1 E%d (%s)\n", (int)-ret, desc);
	} else {
		put(l, " = %lld\n", (long long)ret);
	}
	if (l->n == sizeof(l->s) - 1)
		l->s[l->n - 1] = '\n'; /* a cut line still ends its line */
	if (p->trace_out)
		fputs(l->s, p->trace_out);
}

int64_t wf_syscall(struct wf_proc *p, const struct wf_systab *t, uint64_t nr, const uint64_t a[6])
{
	const struct wf_syscall_def *d = nr < WF_NR_MAX ? t->by_nr[nr] : NULL;
	bool was_over = p->exited || p->killed_by;
	struct line l;
	int64_t ret;

	p->syscalls++;
	if (p->trace) {
		l.n = 0;
		l.s[0] = 0;
		trace_call(&l, p, d, nr, a);
	}
	if (d) {
		ret = d->fn(p, a);
	} else {
		p->unknown_syscalls++;
		ret = -ENOSYS;
	}
	if (p->trace)
		trace_result(&l, p, ret, !was_over && (p->exited || p->killed_by));
	return ret;
}
