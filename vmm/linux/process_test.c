// SPDX-License-Identifier: Apache-2.0
/* process_test.c: Check tests for the process family: ids, uname, limits, randomness, rseq, exit. */
#include <check.h>
#include <errno.h>
#include <string.h>
#include <sys/utsname.h>

#include "linux/testproc.h"
#include "check_main.h"

#define INF     (~0ull)
#define RO_PAGE 3 /* a read-only page of guest RAM */
#define NO_PAGE 5 /* a page the guest cannot touch */
enum { BUF = 0x100, OLD = 0x200, RSEQ = 0x400 };
enum { R_STACK = 3, R_NOFILE = 7, R_AS = 9, R_CORE = 4 };

static struct tp f;

static void setup(void)
{
	tp_init_fixed(&f);
	f.prot[RO_PAGE] = WF_PROT_READ;
	f.prot[NO_PAGE] = 0;
}

static void teardown(void)
{
	tp_fini(&f);
}

static uint64_t u64_at(uint64_t off)
{
	uint64_t v;
	memcpy(&v, H(&f, off), sizeof(v));
	return v;
}

static uint32_t u32_at(uint64_t off)
{
	uint32_t v;
	memcpy(&v, H(&f, off), sizeof(v));
	return v;
}

START_TEST(test_ids)
{
	ck_assert_int_eq(SYS(&f, WF_NR_getpid), TP_PID);
	ck_assert_int_eq(SYS(&f, WF_NR_gettid), TP_PID);
	ck_assert_int_eq(SYS(&f, WF_NR_getppid), 1);
	ck_assert_int_eq(SYS(&f, WF_NR_getuid), 1000);
	ck_assert_int_eq(SYS(&f, WF_NR_geteuid), 1000);
	ck_assert_int_eq(SYS(&f, WF_NR_getgid), 100);
	ck_assert_int_eq(SYS(&f, WF_NR_getegid), 100);
	ck_assert_int_eq(SYS(&f, WF_NR_getpgid, 0), TP_PID);
	ck_assert_int_eq(SYS(&f, WF_NR_getsid, TP_PID), TP_PID);
	ck_assert_int_eq(SYS(&f, WF_NR_getsid, 999), -ESRCH);
	ck_assert_int_eq(SYS(&f, WF_NR_setsid), -EPERM);
	/* setpgid: a session leader cannot move; a negative group first; no other process. */
	ck_assert_int_eq(SYS(&f, WF_NR_setpgid, 0, 0), -EPERM);
	ck_assert_int_eq(SYS(&f, WF_NR_setpgid, TP_PID, 12345), -EPERM);
	ck_assert_int_eq(SYS(&f, WF_NR_setpgid, 0, (uint64_t)-1), -EINVAL);
	ck_assert_int_eq(SYS(&f, WF_NR_setpgid, (uint64_t)-5, 0), -EINVAL);
	ck_assert_int_eq(SYS(&f, WF_NR_setpgid, 999, 0), -ESRCH);
	ck_assert_int_eq(SYS(&f, WF_NR_getpgid, 0), TP_PID);
	ck_assert_int_eq(SYS(&f, WF_NR_sched_yield), 0);
}
END_TEST

START_TEST(test_uname)
{
	struct utsname host;
	ck_assert_int_eq(uname(&host), 0);
	memset(H(&f, BUF), 0xff, 6 * 65 + 8);
	ck_assert_int_eq(SYS(&f, WF_NR_uname, G(BUF)), 0);
	const char *u = H(&f, BUF);
	ck_assert_str_eq(u, "Linux");
	ck_assert_str_eq(u + 65, host.nodename);
	ck_assert_str_eq(u + 2 * 65, host.release);
	ck_assert_str_eq(u + 3 * 65, host.version);
	ck_assert_str_eq(u + 4 * 65, "aarch64");
	ck_assert_str_eq(u + 5 * 65, host.domainname);
	for (int i = 0; i < 6; i++)
		ck_assert_int_eq(u[i * 65 + 64], 0); /* every field terminated and zero-padded */
	ck_assert_int_eq((unsigned char)u[6 * 65], 0xff); /* nothing written past the struct */
	ck_assert_int_eq(SYS(&f, WF_NR_uname, TP_BAD), -EFAULT);
	ck_assert_int_eq(SYS(&f, WF_NR_uname, G(RO_PAGE * WF_PAGE_SIZE - 100)), -EFAULT);
}
END_TEST

static void put_rlim(uint64_t cur, uint64_t max)
{
	const uint64_t v[2] = {cur, max};
	tp_put(&f, BUF, v, sizeof(v));
}

static void get_rlim(int r, uint64_t *cur, uint64_t *max)
{
	ck_assert_int_eq(SYS(&f, WF_NR_prlimit64, 0, (uint64_t)r, 0, G(OLD)), 0);
	*cur = u64_at(OLD);
	*max = u64_at(OLD + 8);
}

START_TEST(test_prlimit_defaults)
{
	uint64_t cur, max;
	get_rlim(R_STACK, &cur, &max);
	ck_assert_uint_eq(cur, 8 << 20);
	ck_assert_uint_eq(max, INF);
	get_rlim(R_NOFILE, &cur, &max);
	ck_assert_uint_eq(cur, f.p.nfds);
	ck_assert_uint_eq(max, f.p.nfds);
	get_rlim(R_AS, &cur, &max);
	ck_assert_uint_eq(cur, INF);
	ck_assert_uint_eq(max, INF);
	get_rlim(2 /* DATA */, &cur, &max);
	ck_assert_uint_eq(cur, INF);
	get_rlim(R_CORE, &cur, &max);
	ck_assert_uint_eq(cur, 0);
	ck_assert_uint_eq(max, INF);
	/* getrlimit is prlimit64 on the caller. */
	ck_assert_int_eq(SYS(&f, WF_NR_getrlimit, R_STACK, G(OLD)), 0);
	ck_assert_uint_eq(u64_at(OLD), 8 << 20);
	ck_assert_int_eq(SYS(&f, WF_NR_getrlimit, 16, G(OLD)), -EINVAL);
	ck_assert_int_eq(SYS(&f, WF_NR_getrlimit, R_STACK, TP_BAD), -EFAULT);
}
END_TEST

START_TEST(test_prlimit_errors)
{
	ck_assert_int_eq(SYS(&f, WF_NR_prlimit64, 0, 16, 0, G(OLD)), -EINVAL);
	ck_assert_int_eq(SYS(&f, WF_NR_prlimit64, 0, (uint64_t)-1, 0, G(OLD)), -EINVAL);
	ck_assert_int_eq(SYS(&f, WF_NR_prlimit64, 999, R_STACK, 0, G(OLD)), -ESRCH);
	ck_assert_int_eq(SYS(&f, WF_NR_prlimit64, 999, 99, 0, G(OLD)), -ESRCH); /* pid first */
	ck_assert_int_eq(SYS(&f, WF_NR_prlimit64, TP_PID, R_STACK, 0, G(OLD)), 0);
	ck_assert_int_eq(SYS(&f, WF_NR_prlimit64, 0, R_STACK, 0, TP_BAD), -EFAULT);
	ck_assert_int_eq(SYS(&f, WF_NR_prlimit64, 0, R_STACK, TP_BAD, 0), -EFAULT);
	ck_assert_int_eq(SYS(&f, WF_NR_prlimit64, 0, R_STACK, 0, 0), 0); /* neither: a no-op */
	put_rlim(10, 5);
	ck_assert_int_eq(SYS(&f, WF_NR_prlimit64, 0, R_STACK, G(BUF), 0), -EINVAL);
	ck_assert_int_eq(SYS(&f, WF_NR_setrlimit, R_STACK, G(BUF)), -EINVAL);
	ck_assert_int_eq(SYS(&f, WF_NR_setrlimit, R_STACK, TP_BAD), -EFAULT);
	/* Raising a hard limit needs privilege; the fd table cannot grow even for root. */
	put_rlim(64, 4096);
	ck_assert_int_eq(SYS(&f, WF_NR_prlimit64, 0, R_NOFILE, G(BUF), 0), -EPERM);
	f.p.uid = 0;
	ck_assert_int_eq(SYS(&f, WF_NR_prlimit64, 0, R_NOFILE, G(BUF), 0), -EPERM);
}
END_TEST

START_TEST(test_prlimit_set)
{
	uint64_t cur, max;
	/* New and old in one call: old holds the values before the change. */
	put_rlim(256, 512);
	ck_assert_int_eq(SYS(&f, WF_NR_prlimit64, 0, R_NOFILE, G(BUF), G(OLD)), 0);
	ck_assert_uint_eq(u64_at(OLD), f.p.nfds);
	get_rlim(R_NOFILE, &cur, &max);
	ck_assert_uint_eq(cur, 256);
	ck_assert_uint_eq(max, 512);
	/* Lowering a hard limit is allowed, raising it back is not (uid 1000). */
	put_rlim(1 << 20, 1 << 20);
	ck_assert_int_eq(SYS(&f, WF_NR_setrlimit, R_STACK, G(BUF)), 0);
	get_rlim(R_STACK, &cur, &max);
	ck_assert_uint_eq(max, 1 << 20);
	put_rlim(1 << 20, INF);
	ck_assert_int_eq(SYS(&f, WF_NR_setrlimit, R_STACK, G(BUF)), -EPERM);
	f.p.uid = 0;
	ck_assert_int_eq(SYS(&f, WF_NR_setrlimit, R_STACK, G(BUF)), 0);
	get_rlim(R_STACK, &cur, &max);
	ck_assert_uint_eq(max, INF);
	/* Other resources keep their defaults. */
	get_rlim(R_AS, &cur, &max);
	ck_assert_uint_eq(cur, INF);
}
END_TEST

START_TEST(test_sysinfo)
{
	memset(H(&f, BUF), 0xff, 120);
	ck_assert_int_eq(SYS(&f, WF_NR_sysinfo, G(BUF)), 0);
	ck_assert_int_gt((int64_t)u64_at(BUF), 0);                      /* uptime */
	ck_assert_uint_eq(u64_at(BUF + 32), TP_FIXED_PAGES * WF_PAGE_SIZE); /* totalram */
	ck_assert_uint_eq(u64_at(BUF + 40), TP_FIXED_PAGES * WF_PAGE_SIZE); /* freeram: no vmas */
	ck_assert_uint_eq(u64_at(BUF + 64), 0);                         /* totalswap */
	uint16_t procs;
	memcpy(&procs, H(&f, BUF + 80), 2);
	ck_assert_uint_eq(procs, 1);
	ck_assert_uint_eq(u32_at(BUF + 104), 1);  /* mem_unit */
	ck_assert_uint_eq(u32_at(BUF + 108), 0);  /* _f padding */
	ck_assert_uint_eq(u64_at(BUF + 112), INF); /* 112 bytes exactly */
	ck_assert_int_eq(SYS(&f, WF_NR_sysinfo, TP_BAD), -EFAULT);
}
END_TEST

START_TEST(test_affinity)
{
	memset(H(&f, BUF), 0xee, 32);
	ck_assert_int_eq(SYS(&f, WF_NR_sched_getaffinity, 0, 128, G(BUF)), 8);
	ck_assert_uint_eq(u64_at(BUF), 1);
	ck_assert_uint_eq(u64_at(BUF + 8), 0xeeeeeeeeeeeeeeeeull);
	ck_assert_int_eq(SYS(&f, WF_NR_sched_getaffinity, TP_PID, 8, G(BUF)), 8);
	ck_assert_int_eq(SYS(&f, WF_NR_sched_getaffinity, 0, 0, G(BUF)), -EINVAL);
	ck_assert_int_eq(SYS(&f, WF_NR_sched_getaffinity, 0, 4, G(BUF)), -EINVAL);
	ck_assert_int_eq(SYS(&f, WF_NR_sched_getaffinity, 0, 12, G(BUF)), -EINVAL);
	ck_assert_int_eq(SYS(&f, WF_NR_sched_getaffinity, 999, 8, G(BUF)), -ESRCH);
	ck_assert_int_eq(SYS(&f, WF_NR_sched_getaffinity, 0, 8, TP_BAD), -EFAULT);

	uint64_t m = 3;
	tp_put(&f, BUF, &m, 8);
	ck_assert_int_eq(SYS(&f, WF_NR_sched_setaffinity, 0, 8, G(BUF)), 0);
	ck_assert_int_eq(SYS(&f, WF_NR_sched_setaffinity, 999, 8, G(BUF)), -ESRCH);
	m = 2;
	tp_put(&f, BUF, &m, 8);
	ck_assert_int_eq(SYS(&f, WF_NR_sched_setaffinity, 0, 8, G(BUF)), -EINVAL);
	ck_assert_int_eq(SYS(&f, WF_NR_sched_setaffinity, 0, 8, TP_BAD), -EFAULT);

	memset(H(&f, BUF), 0xee, 8);
	ck_assert_int_eq(SYS(&f, WF_NR_getcpu, G(BUF), G(BUF + 4), 0), 0);
	ck_assert_uint_eq(u64_at(BUF), 0);
	ck_assert_int_eq(SYS(&f, WF_NR_getcpu, TP_BAD, 0, 0), -EFAULT);
}
END_TEST

START_TEST(test_getrandom)
{
	uint8_t zero[64] = {0};
	ck_assert_int_eq(SYS(&f, WF_NR_getrandom, G(BUF), 64, 0), 64);
	ck_assert_int_ne(memcmp(H(&f, BUF), zero, 64), 0);
	ck_assert_int_eq(SYS(&f, WF_NR_getrandom, G(BUF), 16, 1 /* NONBLOCK */), 16);
	ck_assert_int_eq(SYS(&f, WF_NR_getrandom, G(BUF), 16, 2 /* RANDOM */), 16);
	ck_assert_int_eq(SYS(&f, WF_NR_getrandom, G(BUF), 16, 4 /* INSECURE */), 16);
	ck_assert_int_eq(SYS(&f, WF_NR_getrandom, G(BUF), 16, 5), 16);
	ck_assert_int_eq(SYS(&f, WF_NR_getrandom, G(BUF), 16, 6), -EINVAL);
	ck_assert_int_eq(SYS(&f, WF_NR_getrandom, G(BUF), 16, 8), -EINVAL);
	ck_assert_int_eq(SYS(&f, WF_NR_getrandom, G(BUF), 16, 0x80000000), -EINVAL);
	ck_assert_int_eq(SYS(&f, WF_NR_getrandom, 1ull << 32, 16, 0), -EFAULT);
	ck_assert_int_eq(SYS(&f, WF_NR_getrandom, TP_BAD, 0, 0), 0);
	ck_assert_int_eq(SYS(&f, WF_NR_getrandom, TP_BAD, 16, 0), -EFAULT);
	ck_assert_int_eq(SYS(&f, WF_NR_getrandom, UINT64_MAX - 4, 16, 0), -EFAULT);
	/* Running into an unwritable page returns what was filled before it. */
	ck_assert_int_eq(SYS(&f, WF_NR_getrandom, G(RO_PAGE * WF_PAGE_SIZE - 100), 1000, 0), 100);
	ck_assert_int_eq(SYS(&f, WF_NR_getrandom, G(RO_PAGE * WF_PAGE_SIZE), 10, 0), -EFAULT);
	/* Up to the end of guest RAM. */
	uint64_t start = (TP_FIXED_PAGES - 1) * WF_PAGE_SIZE;
	ck_assert_int_eq(SYS(&f, WF_NR_getrandom, G(start), 1ull << 40, 0), WF_PAGE_SIZE);
}
END_TEST

START_TEST(test_getrandom_cap)
{
	/* One call gives at most 33554431 bytes, however much room there is. */
	struct tp big;
	tp_init_fixed_sized(&big, (40ull << 20) / WF_PAGE_SIZE);
	ck_assert_int_eq(SYS(&big, WF_NR_getrandom, G(0), 40ull << 20, 0), 33554431);
	ck_assert_int_eq(SYS(&big, WF_NR_getrandom, G(1), 1ull << 62, 0), 33554431);
	tp_fini(&big);
}
END_TEST

START_TEST(test_tid_address_and_robust_list)
{
	ck_assert_int_eq(SYS(&f, WF_NR_set_tid_address, G(0x88)), TP_PID);
	ck_assert_uint_eq(f.p.clear_child_tid, G(0x88));
	ck_assert_int_eq(SYS(&f, WF_NR_set_robust_list, G(0x90), 24), 0);
	ck_assert_uint_eq(f.p.robust_list, G(0x90));
	ck_assert_int_eq(SYS(&f, WF_NR_set_robust_list, G(0x90), 23), -EINVAL);
	ck_assert_int_eq(SYS(&f, WF_NR_set_robust_list, G(0x90), 32), -EINVAL);
	ck_assert_int_eq(SYS(&f, WF_NR_get_robust_list, 0, G(BUF), G(BUF + 8)), 0);
	ck_assert_uint_eq(u64_at(BUF), G(0x90));
	ck_assert_uint_eq(u64_at(BUF + 8), 24);
	ck_assert_int_eq(SYS(&f, WF_NR_get_robust_list, 999, G(BUF), G(BUF + 8)), -ESRCH);
	ck_assert_int_eq(SYS(&f, WF_NR_get_robust_list, 0, TP_BAD, G(BUF + 8)), -EFAULT);
}
END_TEST

enum { SIG = 0x53053053 };

START_TEST(test_rseq)
{
	memset(H(&f, RSEQ), 0xff, 32);
	ck_assert_int_eq(SYS(&f, WF_NR_rseq, G(RSEQ), 32, 0, SIG), 0);
	ck_assert_uint_eq(u32_at(RSEQ), 0);     /* cpu_id_start */
	ck_assert_uint_eq(u32_at(RSEQ + 4), 0); /* cpu_id */
	ck_assert_uint_eq(u64_at(RSEQ + 8), INF); /* rseq_cs untouched */
	ck_assert_uint_eq(f.p.rseq, G(RSEQ));

	/* A second registration: same -> EBUSY, other sig -> EPERM, other area -> EINVAL. */
	ck_assert_int_eq(SYS(&f, WF_NR_rseq, G(RSEQ), 32, 0, SIG), -EBUSY);
	ck_assert_int_eq(SYS(&f, WF_NR_rseq, G(RSEQ), 32, 0, SIG + 1), -EPERM);
	ck_assert_int_eq(SYS(&f, WF_NR_rseq, G(RSEQ + 64), 32, 0, SIG), -EINVAL);
	ck_assert_int_eq(SYS(&f, WF_NR_rseq, G(RSEQ), 64, 0, SIG), -EINVAL);

	/* Unregister: flags must be exactly UNREGISTER, and addr, len and sig must match. */
	ck_assert_int_eq(SYS(&f, WF_NR_rseq, G(RSEQ), 32, 3, SIG), -EINVAL);
	ck_assert_int_eq(SYS(&f, WF_NR_rseq, G(RSEQ + 32), 32, 1, SIG), -EINVAL);
	ck_assert_int_eq(SYS(&f, WF_NR_rseq, G(RSEQ), 64, 1, SIG), -EINVAL);
	ck_assert_int_eq(SYS(&f, WF_NR_rseq, G(RSEQ), 32, 1, SIG + 1), -EPERM);
	ck_assert_int_eq(SYS(&f, WF_NR_rseq, G(RSEQ), 32, 1, SIG), 0);
	ck_assert_uint_eq(u32_at(RSEQ + 4), UINT32_MAX); /* cpu_id: uninitialized */
	ck_assert_uint_eq(f.p.rseq, 0);
	ck_assert_int_eq(SYS(&f, WF_NR_rseq, G(RSEQ), 32, 1, SIG), -EINVAL);

	/* Registration checks. */
	ck_assert_int_eq(SYS(&f, WF_NR_rseq, G(RSEQ), 32, 2, SIG), -EINVAL);
	ck_assert_int_eq(SYS(&f, WF_NR_rseq, G(RSEQ), 16, 0, SIG), -EINVAL);
	ck_assert_int_eq(SYS(&f, WF_NR_rseq, G(RSEQ + 16), 32, 0, SIG), -EINVAL);
	ck_assert_int_eq(SYS(&f, WF_NR_rseq, TP_BAD + 0x10, 32, 0, SIG), -EFAULT);
	ck_assert_int_eq(SYS(&f, WF_NR_rseq, G(RO_PAGE * WF_PAGE_SIZE), 32, 0, SIG), -EFAULT);
	ck_assert_uint_eq(f.p.rseq, 0);
	/* A longer, aligned struct is fine (AT_RSEQ_FEATURE_SIZE style). */
	ck_assert_int_eq(SYS(&f, WF_NR_rseq, G(RSEQ), 64, 0, SIG), 0);
	ck_assert_uint_eq(f.p.rseq_len, 64);
}
END_TEST

START_TEST(test_exit)
{
	ck_assert_int_eq(SYS(&f, WF_NR_exit_group, 0x1ff), 0);
	ck_assert(f.p.exited);
	ck_assert_int_eq(f.p.exit_status, 0xff);
	ck_assert_int_eq(f.p.killed_by, 0);
	struct tp g;
	tp_init_fixed(&g);
	ck_assert_int_eq(SYS(&g, WF_NR_exit, (uint64_t)-2), 0);
	ck_assert(g.p.exited);
	ck_assert_int_eq(g.p.exit_status, 254);
	tp_fini(&g);
}
END_TEST

START_TEST(test_prctl_name_and_rusage)
{
	tp_put(&f, BUF, "worker-with-a-long-name", 24);
	ck_assert_int_eq(SYS(&f, WF_NR_prctl, 15, G(BUF)), 0);
	memset(H(&f, OLD), 0xff, 32);
	ck_assert_int_eq(SYS(&f, WF_NR_prctl, 16, G(OLD)), 0);
	ck_assert_str_eq(H(&f, OLD), "worker-with-a-l");
	ck_assert_uint_eq(*(uint8_t *)H(&f, OLD + 16), 0xff); /* exactly 16 bytes */
	/* A name running into an unreadable page is fine when it ends in time. */
	tp_put(&f, NO_PAGE * WF_PAGE_SIZE - 3, "ab", 3);
	ck_assert_int_eq(SYS(&f, WF_NR_prctl, 15, G(NO_PAGE * WF_PAGE_SIZE - 3)), 0);
	ck_assert_str_eq(f.p.comm, "ab");
	tp_put(&f, NO_PAGE * WF_PAGE_SIZE - 3, "abc", 3);
	ck_assert_int_eq(SYS(&f, WF_NR_prctl, 15, G(NO_PAGE * WF_PAGE_SIZE - 3)), -EFAULT);
	ck_assert_int_eq(SYS(&f, WF_NR_prctl, 15, TP_BAD), -EFAULT);
	ck_assert_int_eq(SYS(&f, WF_NR_prctl, 16, TP_BAD), -EFAULT);
	ck_assert_str_eq(f.p.comm, "ab");
	ck_assert_int_eq(SYS(&f, WF_NR_prctl, 9999, 0), -EINVAL);

	memset(H(&f, BUF), 0xff, 152);
	ck_assert_int_eq(SYS(&f, WF_NR_getrusage, 0, G(BUF)), 0);
	ck_assert_int_ge((int64_t)u64_at(BUF), 0);
	ck_assert_int_lt((int64_t)u64_at(BUF + 8), 1000000);
	ck_assert_uint_eq(u64_at(BUF + 144), INF); /* 144 bytes exactly */
	ck_assert_int_eq(SYS(&f, WF_NR_getrusage, (uint64_t)-1, G(BUF)), 0);
	ck_assert_uint_eq(u64_at(BUF), 0); /* no children */
	ck_assert_int_eq(SYS(&f, WF_NR_getrusage, 1, G(BUF)), 0);
	ck_assert_int_eq(SYS(&f, WF_NR_getrusage, 2, G(BUF)), -EINVAL);
	ck_assert_int_eq(SYS(&f, WF_NR_getrusage, 0, TP_BAD), -EFAULT);
}
END_TEST

/* No children: wait4 and waitid check their arguments as Linux does, then say ECHILD;
 * waitid zeroes infop's fields (not the hole after si_code) whatever the outcome. */
START_TEST(test_wait_without_children)
{
	ck_assert_int_eq(SYS(&f, WF_NR_wait4, (uint64_t)-1, G(BUF), 0, 0), -ECHILD);
	ck_assert_int_eq(SYS(&f, WF_NR_wait4, 0, 0, 1 /* WNOHANG */, 0), -ECHILD);
	ck_assert_int_eq(SYS(&f, WF_NR_wait4, 1234, 0, 0x40000000 /* __WALL */, 0), -ECHILD);
	ck_assert_int_eq(SYS(&f, WF_NR_wait4, (uint64_t)-1, 0, 0x4 /* WEXITED */, 0), -EINVAL);
	ck_assert_int_eq(SYS(&f, WF_NR_wait4, 0x80000000u /* INT_MIN */, 0, 0, 0), -ESRCH);
	ck_assert_int_eq(SYS(&f, WF_NR_wait4, (uint64_t)-1, TP_BAD, 0, TP_BAD), -ECHILD);

	memset(H(&f, BUF), 0xaa, 128);
	ck_assert_int_eq(SYS(&f, WF_NR_waitid, 0 /* P_ALL */, 0, G(BUF), 4 /* WEXITED */), -ECHILD);
	ck_assert_uint_eq(u64_at(BUF), 0);
	ck_assert_uint_eq(u32_at(BUF + 8), 0);
	ck_assert_uint_eq(u32_at(BUF + 12), 0xaaaaaaaau); /* the hole is not written */
	ck_assert_uint_eq(u64_at(BUF + 16), 0);
	ck_assert_uint_eq(u32_at(BUF + 24), 0);
	ck_assert_uint_eq(u32_at(BUF + 28), 0xaaaaaaaau);
	ck_assert_int_eq(SYS(&f, WF_NR_waitid, 0, 0, 0, 1 /* WNOHANG alone */), -EINVAL);
	ck_assert_int_eq(SYS(&f, WF_NR_waitid, 0, 0, 0, 4 | 0x10 /* junk */), -EINVAL);
	ck_assert_int_eq(SYS(&f, WF_NR_waitid, 1 /* P_PID */, 0, 0, 4), -EINVAL);
	ck_assert_int_eq(SYS(&f, WF_NR_waitid, 1, 77, 0, 4), -ECHILD);
	ck_assert_int_eq(SYS(&f, WF_NR_waitid, 2 /* P_PGID */, 0, 0, 4), -ECHILD);
	ck_assert_int_eq(SYS(&f, WF_NR_waitid, 2, (uint64_t)-1, 0, 4), -EINVAL);
	ck_assert_int_eq(SYS(&f, WF_NR_waitid, 3 /* P_PIDFD */, 1, 0, 4), -EBADF); /* not a pidfd */
	ck_assert_int_eq(SYS(&f, WF_NR_waitid, 3, (uint64_t)-1, 0, 4), -EINVAL);
	ck_assert_int_eq(SYS(&f, WF_NR_waitid, 3, 999, 0, 4), -EBADF);
	ck_assert_int_eq(SYS(&f, WF_NR_waitid, 9, 0, 0, 4), -EINVAL);
	/* A bad infop wins over every other error. */
	ck_assert_int_eq(SYS(&f, WF_NR_waitid, 9, 0, TP_BAD, 4), -EFAULT);
	ck_assert_int_eq(SYS(&f, WF_NR_waitid, 0, 0, G(RO_PAGE * WF_PAGE_SIZE), 4), -EFAULT);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("process");
	TCase *tc = tcase_create("core");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_ids);
	tcase_add_test(tc, test_uname);
	tcase_add_test(tc, test_prlimit_defaults);
	tcase_add_test(tc, test_prlimit_errors);
	tcase_add_test(tc, test_prlimit_set);
	tcase_add_test(tc, test_sysinfo);
	tcase_add_test(tc, test_affinity);
	tcase_add_test(tc, test_getrandom);
	tcase_add_test(tc, test_getrandom_cap);
	tcase_add_test(tc, test_tid_address_and_robust_list);
	tcase_add_test(tc, test_rseq);
	tcase_add_test(tc, test_exit);
	tcase_add_test(tc, test_prctl_name_and_rusage);
	tcase_add_test(tc, test_wait_without_children);
	suite_add_tcase(s, tc);
	return wf_check_run(s);
}
