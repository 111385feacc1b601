// SPDX-License-Identifier: Apache-2.0
/* proc.c: conformance cases for ids, uname, limits, sysinfo, rusage, affinity, prctl, rseq, wait. */
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>
#include <sys/wait.h>

#include "conf.h"

CONF_CASE(ids, "getpid getppid gettid getuid geteuid getgid getegid set_tid_address")
{
	long pid = TN0(getpid);
	long tid = TN0(gettid);
	conf_more("tid==pid %d", tid == pid);
	long ppid = TN0(getppid);
	conf_more("ppid!=pid %d ppid>0 %d", ppid != pid, ppid > 0);
	long uid = T0(getuid);
	long euid = T0(geteuid);
	long gid = T0(getgid);
	long egid = T0(getegid);
	conf_fact("euid==uid egid==gid", "%d %d", euid == uid, egid == gid);
	int dummy;
	long r = TN(set_tid_address, &dummy);
	conf_more("==tid %d", r == tid);
	r = TN(set_tid_address, NULL);
	conf_more("==tid %d", r == tid);
}

CONF_CASE(session, "getpgid getsid setsid getpid")
{
	/* The runner starts every program natively as a session leader (setsid), the way the
	 * sandbox presents it: its own process group and session. */
	long pid = SYS0(getpid);
	long pg = TN(getpgid, 0);
	conf_more("==pid %d", pg == pid);
	pg = TN(getpgid, pid);
	conf_more("==pid %d", pg == pid);
	long sid = TN(getsid, 0);
	conf_more("==pid %d", sid == pid);
	T(getpgid, 0x7ffffff0);
	T(getpgid, -1);
	T(getsid, 0x7ffffff0);
	T0(setsid);
}

CONF_CASE(setpgid, "setpgid getpgid")
{
	/* A session leader cannot change its process group; a negative group is checked first;
	 * a pid that is not this process or a child of it is ESRCH. */
	long pid = SYS0(getpid);
	T(setpgid, 0, 0);
	T(setpgid, pid, pid);
	T(setpgid, 0, 0x7ffffff0);
	T(setpgid, 0, -1);
	T(setpgid, -5, 0);
	T(setpgid, 0x7ffffff0, 0);
	long pg = TN(getpgid, 0);
	conf_more("==pid %d", pg == pid);
}

CONF_CASE(uname, "uname")
{
	struct utsname u;
	memset(&u, 'x', sizeof u);
	if (!conf_err(T(uname, &u))) {
		conf_more("sysname=%s machine=%s", u.sysname, u.machine);
		conf_more("release=%s", u.release);
		conf_more("version=%s", u.version);
		conf_more("nodename=%s domainname=%s", u.nodename, u.domainname);
	}
	T(uname, NULL);
	T(uname, CONF_BADPTR);
	T(uname, conf_before_hole(100));
}

static const char *const rnames[] = {"CPU", "FSIZE", "DATA", "STACK", "CORE", "RSS", "NPROC",
				      "NOFILE", "MEMLOCK", "AS", "LOCKS", "SIGPENDING",
				      "MSGQUEUE", "NICE", "RTPRIO", "RTTIME"};

static void lim(unsigned long v)
{
	if (v == RLIM_INFINITY)
		conf_more("inf");
	else
		conf_more("%lu", v);
}

CONF_CASE(prlimit_get, "prlimit64 getrlimit")
{
	/* Only the limits that a sandbox can mirror meaningfully; see prlimit_env for the rest. */
	static const int r[] = {RLIMIT_CPU, RLIMIT_FSIZE, RLIMIT_DATA, RLIMIT_CORE, RLIMIT_AS,
				RLIMIT_LOCKS, RLIMIT_RSS, RLIMIT_RTTIME};
	for (size_t i = 0; i < sizeof r / sizeof r[0]; i++) {
		struct rlimit old;
		if (!conf_err(T(prlimit64, 0, r[i], NULL, &old))) {
			conf_more("%s", rnames[r[i]]);
			lim(old.rlim_cur);
			lim(old.rlim_max);
		}
	}
	struct rlimit g;
	if (!conf_err(T(getrlimit, RLIMIT_FSIZE, &g)))
		lim(g.rlim_cur);
}

CONF_CASE(prlimit_env, "prlimit64")
{
	/* Limits a process inherits from whoever started it. */
	static const int r[] = {RLIMIT_STACK, RLIMIT_NPROC, RLIMIT_NOFILE, RLIMIT_MEMLOCK,
				RLIMIT_SIGPENDING, RLIMIT_MSGQUEUE, RLIMIT_NICE, RLIMIT_RTPRIO};
	for (size_t i = 0; i < sizeof r / sizeof r[0]; i++) {
		struct rlimit old;
		if (!conf_err(T(prlimit64, 0, r[i], NULL, &old))) {
			conf_more("%s", rnames[r[i]]);
			lim(old.rlim_cur);
			lim(old.rlim_max);
		}
	}
}

CONF_CASE(prlimit_set, "prlimit64 setrlimit getrlimit")
{
	struct rlimit n = {1 << 20, 2 << 20}, o;
	T(prlimit64, 0, RLIMIT_FSIZE, &n, NULL);
	if (!conf_err(T(prlimit64, 0, RLIMIT_FSIZE, NULL, &o))) {
		lim(o.rlim_cur);
		lim(o.rlim_max);
	}
	struct rlimit n2 = {4096, 2 << 20};
	if (!conf_err(T(prlimit64, 0, RLIMIT_FSIZE, &n2, &o))) {
		conf_more("old");
		lim(o.rlim_cur);
		lim(o.rlim_max);
	}
	struct rlimit bad = {3 << 20, 2 << 20};
	T(prlimit64, 0, RLIMIT_FSIZE, &bad, NULL);
	T(prlimit64, 0, 16, NULL, &o);
	T(prlimit64, 0, 9999, &n, NULL);
	T(prlimit64, 0, -1, NULL, &o);
	T(prlimit64, 0x7ffffff0, RLIMIT_FSIZE, NULL, &o);
	T(prlimit64, -1, RLIMIT_FSIZE, NULL, &o);
	T(prlimit64, 0, RLIMIT_FSIZE, CONF_BADPTR, NULL);
	T(prlimit64, 0, RLIMIT_FSIZE, NULL, CONF_BADPTR);
	T(prlimit64, 0, RLIMIT_FSIZE, NULL, NULL);
	long pid = SYS0(getpid);
	T(prlimit64, pid, RLIMIT_FSIZE, NULL, &o);
	/* The old setrlimit/getrlimit calls (arm64 has them too). */
	struct rlimit c = {0, 0};
	T(setrlimit, RLIMIT_CORE, &c);
	if (!conf_err(T(getrlimit, RLIMIT_CORE, &o))) {
		lim(o.rlim_cur);
		lim(o.rlim_max);
	}
	T(getrlimit, 99, &o);
	T(getrlimit, RLIMIT_CORE, NULL);
	T(setrlimit, RLIMIT_CORE, NULL);
	/* Raising the hard limit back is for root (the runner's user) only. */
	struct rlimit up = {RLIM_INFINITY, RLIM_INFINITY};
	T(setrlimit, RLIMIT_CORE, &up);
}

CONF_CASE(rlimit_fsize, "prlimit64 write openat")
{
	/* Past RLIMIT_FSIZE a write is short; at it, EFBIG (and SIGXFSZ, ignored here first). */
	struct rlimit n = {10, 10};
	long fd = T(openat, AT_FDCWD, "new", O_WRONLY | O_CREAT, 0644);
	T(prlimit64, 0, RLIMIT_FSIZE, &n, NULL);
	T(write, fd, "0123456", 7);
	T(write, fd, "0123456", 7);
	conf_flush();
	/* The next write raises SIGXFSZ, whose default action ends the process (with a core). */
	T(write, fd, "0123456", 7);
}

CONF_CASE(sysinfo, "sysinfo")
{
	struct sysinfo si;
	memset(&si, 0xa5, sizeof si);
	if (!conf_err(T(sysinfo, &si))) {
		conf_more("mem_unit=%u", si.mem_unit);
		conf_more("uptime>0 %d", si.uptime > 0);
		conf_more("totalram>0 %d freeram<=totalram %d", si.totalram > 0,
			  si.freeram <= si.totalram);
		conf_more("procs>=1 %d", si.procs >= 1);
		conf_more("freeswap<=totalswap %d", si.freeswap <= si.totalswap);
	}
	T(sysinfo, NULL);
	T(sysinfo, CONF_BADPTR);
}

CONF_CASE(getrusage, "getrusage")
{
	struct rusage ru, ru2;
	memset(&ru, 0xa5, sizeof ru);
	if (!conf_err(T(getrusage, RUSAGE_SELF, &ru)))
		conf_more("maxrss>0 %d utime sane %d", ru.ru_maxrss > 0,
			  ru.ru_utime.tv_usec >= 0 && ru.ru_utime.tv_usec < 1000000);
	for (volatile long i = 0; i < 3000000; i++)
		;
	if (!conf_err(T(getrusage, RUSAGE_SELF, &ru2)))
		conf_more("cpu time grew %d",
			  ru2.ru_utime.tv_sec * 1000000 + ru2.ru_utime.tv_usec +
					  ru2.ru_stime.tv_sec * 1000000 + ru2.ru_stime.tv_usec >
				  ru.ru_utime.tv_sec * 1000000 + ru.ru_utime.tv_usec +
					  ru.ru_stime.tv_sec * 1000000 + ru.ru_stime.tv_usec);
	/* The children's usage outlives exec: it is whatever the launcher's children used. */
	if (!conf_err(T(getrusage, RUSAGE_CHILDREN, &ru)))
		conf_more("utime sane %d", ru.ru_utime.tv_usec >= 0 && ru.ru_utime.tv_usec < 1000000);
	T(getrusage, RUSAGE_THREAD, &ru);
	T(getrusage, 2, &ru);
	T(getrusage, -3, &ru);
	T(getrusage, RUSAGE_SELF, NULL);
}

CONF_CASE(affinity, "sched_getaffinity sched_setaffinity sched_yield getcpu")
{
	unsigned long mask[16];
	memset(mask, 0, sizeof mask);
	long n = TN(sched_getaffinity, 0, sizeof mask, mask);
	if (n > 0)
		conf_more("cpu0=%d", (int)(mask[0] & 1));
	T(sched_getaffinity, 0, 0, mask);
	T(sched_getaffinity, 0, 7, mask);
	T(sched_getaffinity, 0, 9, mask);
	T(sched_getaffinity, 0x7ffffff0, sizeof mask, mask);
	T(sched_getaffinity, 0, sizeof mask, NULL);
	unsigned long one = 1, none = 0;
	T(sched_setaffinity, 0, sizeof one, &one);
	T(sched_setaffinity, 0, sizeof none, &none);
	T(sched_setaffinity, 0x7ffffff0, sizeof one, &one);
	T(sched_setaffinity, 0, sizeof one, NULL);
	T0(sched_yield);
	unsigned cpu = 99, node = 99;
	T(getcpu, &cpu, &node, NULL);
	conf_more("cpu=%u node=%u", cpu, node);
	T(getcpu, NULL, NULL, NULL);
	T(getcpu, CONF_BADPTR, NULL, NULL);
}

CONF_CASE(affinity_count, "sched_getaffinity")
{
	unsigned long mask[16] = {0};
	long n = T(sched_getaffinity, 0, sizeof mask, mask);
	int cpus = 0;
	for (long i = 0; i < n / 8; i++)
		cpus += __builtin_popcountl(mask[i]);
	conf_more("cpus=%d", cpus);
}

CONF_CASE(prctl_name, "prctl")
{
	char name[32];
	memset(name, 0, sizeof name);
	T(prctl, PR_SET_NAME, "conformance");
	T(prctl, PR_GET_NAME, name);
	conf_bytes("name", name, 16);
	T(prctl, PR_SET_NAME, "a-name-longer-than-sixteen-bytes");
	T(prctl, PR_GET_NAME, name);
	conf_bytes("name", name, 16);
	T(prctl, PR_SET_NAME, "");
	T(prctl, PR_GET_NAME, name);
	conf_bytes("name", name, 16);
	T(prctl, PR_SET_NAME, NULL);
	T(prctl, PR_GET_NAME, NULL);
	T(prctl, 9999, 0);
	T(prctl, -1, 0);
}

CONF_CASE(prctl_initial_name, "prctl")
{
	/* Before any PR_SET_NAME the name is the program's file name (at most 15 bytes). */
	char name[16] = {0};
	T(prctl, PR_GET_NAME, name);
	conf_bytes("name", name, strnlen(name, sizeof name));
}

CONF_CASE(prctl_other, "prctl")
{
	T(prctl, PR_GET_DUMPABLE);
	T(prctl, PR_SET_DUMPABLE, 0);
	T(prctl, PR_GET_DUMPABLE);
	T(prctl, PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0);
	T(prctl, PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
	T(prctl, PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0);
	T(prctl, PR_GET_TIMERSLACK);
	T(prctl, PR_SET_TIMERSLACK, 1000);
	T(prctl, PR_GET_TIMERSLACK);
	T(prctl, PR_SET_TIMERSLACK, 0);
	T(prctl, PR_GET_TIMERSLACK);
	T(prctl, PR_SET_PDEATHSIG, 9);
	int sig = -1;
	T(prctl, PR_GET_PDEATHSIG, &sig);
	conf_more("sig=%d", sig);
	T(prctl, PR_GET_PDEATHSIG, CONF_BADPTR);
	T(prctl, PR_SET_PDEATHSIG, 65);
	T(prctl, PR_SET_DUMPABLE, 2);
	T(prctl, PR_SET_NO_NEW_PRIVS, 0, 0, 0, 0);
	T(prctl, PR_SET_NO_NEW_PRIVS, 1, 1, 0, 0);
	T(prctl, PR_GET_NO_NEW_PRIVS, 1, 0, 0, 0);
	T(prctl, 0x7fff0000);
}

CONF_CASE(robust_list, "set_robust_list get_robust_list")
{
	void *head = (void *)1;
	size_t len = 0;
	T(get_robust_list, 0, &head, &len);
	conf_more("len=%zu head set %d", len, head != NULL);
	static long mine[3];
	T(set_robust_list, mine, 24);
	T(get_robust_list, 0, &head, &len);
	conf_more("len=%zu mine %d", len, head == (void *)mine);
	T(set_robust_list, mine, 23);
	T(set_robust_list, mine, 0);
	T(set_robust_list, NULL, 24);
	T(get_robust_list, 0, &head, &len);
	conf_more("len=%zu null %d", len, head == NULL);
	T(get_robust_list, 0x7ffffff0, &head, &len);
	T(get_robust_list, 0, NULL, &len);
	T(get_robust_list, 0, &head, NULL);
}

/* glibc registers its own struct rseq at start-up (in the thread control block). */
extern const long __rseq_offset __attribute__((weak));
extern const unsigned __rseq_size __attribute__((weak));
#define RSEQ_SIG_ARM64 0xd428bc00

CONF_CASE(rseq, "rseq")
{
	static struct {
		unsigned cpu_id_start, cpu_id;
		unsigned long long cs;
		unsigned flags;
		unsigned pad[3];
	} __attribute__((aligned(32))) mine;
	char *tp = __builtin_thread_pointer();
	void *glibc = &__rseq_size && __rseq_size ? tp + __rseq_offset : NULL;
	unsigned glen = &__rseq_size ? __rseq_size : 0;
	conf_fact("glibc registered rseq", "%d", glibc != NULL);
	conf_more("size>=32 %d", glen >= 32);
	if (glibc) {
		/* Registering again: the same area is EBUSY, another one EINVAL. */
		T(rseq, glibc, glen < 32 ? 32 : glen, 0, RSEQ_SIG_ARM64);
		T(rseq, glibc, glen < 32 ? 32 : glen, 0, 0x1234);
		T(rseq, &mine, 32, 0, RSEQ_SIG_ARM64);
		T(rseq, glibc, glen < 32 ? 32 : glen, 1, 0x1234);
		T(rseq, glibc, glen < 32 ? 32 : glen, 1, RSEQ_SIG_ARM64);
		conf_more("cpu_id=%d", (int)((unsigned *)glibc)[1]);
	}
	T(rseq, &mine, 32, 1, RSEQ_SIG_ARM64);
	T(rseq, (char *)&mine + 8, 32, 0, RSEQ_SIG_ARM64);
	T(rseq, &mine, 16, 0, RSEQ_SIG_ARM64);
	T(rseq, &mine, 32, 2, RSEQ_SIG_ARM64);
	mine.cpu_id = 12345;
	T(rseq, &mine, 32, 0, RSEQ_SIG_ARM64);
	conf_more("cpu_id set %d", mine.cpu_id != 12345);
	T(rseq, &mine, 32, 0, RSEQ_SIG_ARM64);
	T(rseq, &mine, 32, 1, RSEQ_SIG_ARM64);
	conf_more("cpu_id=%d", (int)mine.cpu_id);
	T(rseq, &mine, 32, 1, RSEQ_SIG_ARM64);
}

/* A program with no children: wait4 and waitid check their arguments, then say ECHILD;
 * waitid stores zeros into infop's fields whatever the outcome. */
CONF_CASE(wait_no_children, "wait4 waitid")
{
	int status = 0x5555;
	T(wait4, -1, &status, 0, NULL);
	T(wait4, -1, &status, WNOHANG, NULL);
	T(wait4, 0, NULL, __WALL, NULL);
	T(wait4, 4242, NULL, 0, NULL);
	T(wait4, -1, NULL, WEXITED, NULL);
	T(wait4, INT_MIN, NULL, 0, NULL);
	T(wait4, -1, CONF_BADPTR, 0, CONF_BADPTR);
	conf_more("status untouched %d", status == 0x5555);
	unsigned char info[128];
	memset(info, 0xaa, sizeof info);
	T(waitid, P_ALL, 0, info, WEXITED, NULL);
	int zeroed = 1, kept = info[12] == 0xaa && info[28] == 0xaa;
	for (int i = 0; i < 28; i++)
		if ((i < 12 || i >= 16) && info[i])
			zeroed = 0;
	conf_more("fields zeroed %d, rest kept %d", zeroed, kept);
	T(waitid, P_ALL, 0, NULL, WNOHANG, NULL);
	T(waitid, P_ALL, 0, NULL, WEXITED | 0x10, NULL);
	T(waitid, P_ALL, 0, NULL, WEXITED | WNOHANG | WNOWAIT, NULL);
	T(waitid, P_PID, 0, NULL, WEXITED, NULL);
	T(waitid, P_PID, 4242, NULL, WEXITED, NULL);
	T(waitid, P_PGID, 0, NULL, WSTOPPED, NULL);
	T(waitid, P_PGID, -1, NULL, WEXITED, NULL);
	T(waitid, 3 /* P_PIDFD */, 1, NULL, WEXITED, NULL);
	T(waitid, 3 /* P_PIDFD */, 999, NULL, WEXITED, NULL);
	T(waitid, 9, 0, NULL, WEXITED, NULL);
	T(waitid, 9, 0, CONF_BADPTR, WEXITED, NULL);
}

CONF_CASE(exit_status, "exit_group")
{
	conf_fact("exit_group", "0x1234 (the status is its low byte)");
	conf_flush();
	SYS(exit_group, 0x1234);
}

CONF_CASE(exit_thread, "exit")
{
	/* exit of the only thread ends the process with that status. */
	conf_fact("exit", "77");
	conf_flush();
	SYS(exit, 77);
}
