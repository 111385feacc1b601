// SPDX-License-Identifier: Apache-2.0
/* sched.c: conformance cases for priorities, scheduling policy, times, getres*id, getgroups, personality, sync, memory locks. */
#include <sched.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/resource.h>
#include <sys/times.h>
#include <time.h>

#include "conf.h"

CONF_CASE(priority, "getpriority setpriority")
{
	T(getpriority, PRIO_PROCESS, 0);
	T(setpriority, PRIO_PROCESS, 0, 5);
	T(getpriority, PRIO_PROCESS, 0);
	T(setpriority, PRIO_PROCESS, 0, 100);
	T(getpriority, PRIO_PROCESS, 0);
	long user = TN(getpriority, PRIO_USER, 0); /* the best of all the user's processes */
	conf_fact("user>=process", "%d", user >= SYS(getpriority, PRIO_PROCESS, 0));
	T(getpriority, PRIO_PGRP, 0);
	conf_fact("own group by id", "%d",
		  SYS(getpriority, PRIO_PGRP, SYS(getpgid, 0)) == SYS(getpriority, PRIO_PROCESS, 0));
	T(getpriority, 7, 0);
	T(setpriority, 7, 0, 0);
	T(getpriority, PRIO_PROCESS, 0x3ffffff0);
	T(setpriority, PRIO_PROCESS, 0x3ffffff0, 1);
}

CONF_CASE(scheduler, "sched_getscheduler sched_setscheduler sched_getparam sched_setparam")
{
	T(sched_getscheduler, 0);
	struct sched_param sp = {-1};
	T(sched_getparam, 0, &sp);
	conf_more("priority=%d", sp.sched_priority);
	sp.sched_priority = 0;
	T(sched_setscheduler, 0, SCHED_BATCH, &sp);
	T(sched_getscheduler, 0);
	T(sched_setparam, 0, &sp);
	sp.sched_priority = 3;
	T(sched_setparam, 0, &sp);
	T(sched_setscheduler, 0, SCHED_OTHER, &sp);
	sp.sched_priority = 0;
	T(sched_setscheduler, 0, SCHED_OTHER | SCHED_RESET_ON_FORK, &sp);
	T(sched_getscheduler, 0);
	T(sched_setscheduler, 0, 4, &sp);
	T(sched_setscheduler, 0, -1, &sp);
	T(sched_setscheduler, 0, SCHED_OTHER, NULL);
	T(sched_setscheduler, 0, SCHED_OTHER, CONF_BADPTR);
	T(sched_setscheduler, -1, SCHED_OTHER, &sp);
	T(sched_getscheduler, -1);
	T(sched_getscheduler, 0x3ffffff0);
	T(sched_getparam, 0, NULL);
	T(sched_getparam, 0, CONF_BADPTR);
	T(sched_getparam, 0x3ffffff0, &sp);
}

/* struct sched_attr as the kernel has it (linux/sched/types.h; not in this libc). */
struct k_sched_attr {
	unsigned size, policy;
	unsigned long long flags;
	int nice;
	unsigned priority;
	unsigned long long runtime, deadline, period;
};

static void show_attr(const struct k_sched_attr *k)
{
	conf_more("size=%u policy=%u flags=%llu nice=%d priority=%u", k->size, k->policy, k->flags,
		  k->nice, k->priority);
}

CONF_CASE(sched_attr, "sched_setattr sched_getattr")
{
	struct k_sched_attr k;
	unsigned char big[80];
	memset(&k, 0xff, sizeof(k));
	T(sched_getattr, 0, &k, sizeof(k), 0);
	show_attr(&k);
	memset(&k, 0, sizeof(k));
	k.size = sizeof(k);
	k.policy = SCHED_BATCH;
	k.nice = 5;
	T(sched_setattr, 0, &k, 0);
	memset(&k, 0, sizeof(k));
	T(sched_getattr, 0, &k, sizeof(k), 0);
	show_attr(&k);
	/* Keep the policy, change the nice value; reset-on-fork. */
	memset(&k, 0, sizeof(k));
	k.flags = 8 /* SCHED_FLAG_KEEP_POLICY */;
	k.nice = 7;
	T(sched_setattr, 0, &k, 0);
	k.size = 0;
	k.policy = SCHED_OTHER;
	k.flags = 1 /* SCHED_FLAG_RESET_ON_FORK */;
	k.nice = 40; /* clamped to 19 */
	T(sched_setattr, 0, &k, 0);
	T(sched_getattr, 0, &k, sizeof(k), 0);
	show_attr(&k);
	T(sched_getscheduler, 0);
	/* The checks. */
	memset(&k, 0, sizeof(k));
	k.size = sizeof(k);
	k.policy = SCHED_FIFO; /* priority 0 */
	T(sched_setattr, 0, &k, 0);
	k.policy = 4;
	T(sched_setattr, 0, &k, 0);
	k.policy = SCHED_OTHER;
	k.flags = 0x100;
	T(sched_setattr, 0, &k, 0);
	k.flags = 0;
	T(sched_setattr, 0, &k, 1);
	T(sched_setattr, -1, &k, 0);
	T(sched_setattr, 0, NULL, 0);
	T(sched_setattr, 0, CONF_BADPTR, 0);
	k.size = 20;
	T(sched_setattr, 0, &k, 0);
	conf_more("size written back: %u", k.size);
	memset(big, 0, sizeof(big));
	big[0] = sizeof(big);
	big[70] = 1;
	T(sched_setattr, 0, big, 0);
	big[70] = 0;
	T(sched_setattr, 0, big, 0);
	T(sched_getattr, 0, &k, 47, 0);
	T(sched_getattr, 0, &k, 8192, 0);
	T(sched_getattr, 0, &k, sizeof(k), 1);
	T(sched_getattr, 0, NULL, sizeof(k), 0);
	T(sched_getattr, 0, CONF_BADPTR, sizeof(k), 0);
	T(sched_getattr, 0x3ffffff0, &k, sizeof(k), 0);
}

CONF_CASE(priority_range, "sched_get_priority_max sched_get_priority_min sched_rr_get_interval")
{
	static const int pol[] = {SCHED_OTHER, SCHED_FIFO, SCHED_RR, SCHED_BATCH, SCHED_IDLE, 6, 4, -1};
	for (unsigned i = 0; i < sizeof pol / sizeof pol[0]; i++) {
		conf_reportf(CONF_INT, SYS(sched_get_priority_max, pol[i]), "sched_get_priority_max(%d)",
			     pol[i]);
		conf_reportf(CONF_INT, SYS(sched_get_priority_min, pol[i]), "sched_get_priority_min(%d)",
			     pol[i]);
	}
	struct timespec ts = {-1, -1};
	T(sched_rr_get_interval, 0, &ts);
	conf_more("sec=%lld nsec<1s: %d", (long long)ts.tv_sec, ts.tv_nsec >= 0 && ts.tv_nsec < 1000000000);
	T(sched_rr_get_interval, 0, CONF_BADPTR);
	T(sched_rr_get_interval, -1, &ts);
}

CONF_CASE(times, "times")
{
	struct tms t;
	TN(times, &t);
	/* A helper process the case library reaped may have used a tick or two under load. */
	conf_more("children under 1 s: %d", t.tms_cutime + t.tms_cstime < 100);
	TN(times, NULL);
	T(times, CONF_BADPTR);
}

CONF_CASE(identity_more, "getresuid getresgid getgroups getuid getgid")
{
	unsigned r = 9, e = 9, s = 9;
	long uid = T0(getuid), gid = T0(getgid);
	T(getresuid, &r, &e, &s);
	conf_fact("all uid", "%d", r == uid && e == uid && s == uid);
	T(getresgid, &r, &e, &s);
	conf_fact("all gid", "%d", r == gid && e == gid && s == gid);
	T(getresuid, &r, CONF_BADPTR, &s);
	long n = TN(getgroups, 0, NULL);
	unsigned groups[64];
	conf_fact("count again", "%d", SYS(getgroups, 64, groups) == n);
	T(getgroups, -1, groups);
}

/* Setting the ids a process already has (as root natively: changing them would succeed
 * there and is EPERM in the sandbox, so no case changes them). */
CONF_CASE(identity_set, "setuid setgid setreuid setregid setresuid setresgid setfsuid setfsgid setgroups")
{
	long uid = SYS0(getuid), gid = SYS0(getgid);
	T(setuid, uid);
	T(setgid, gid);
	T(setuid, -1);
	T(setreuid, -1, -1);
	T(setreuid, uid, uid);
	T(setregid, gid, -1);
	T(setresuid, -1, uid, -1);
	T(setresgid, gid, gid, gid);
	conf_fact("setfsuid gives the uid", "%d", SYS(setfsuid, -1) == uid);
	conf_fact("setfsgid gives the gid", "%d", SYS(setfsgid, gid) == gid);
	unsigned groups[64];
	long n = SYS(getgroups, 64, groups);
	conf_fact("setgroups of getgroups", "%ld", n < 0 ? n : SYS(setgroups, n, groups));
	T(setgroups, -1, groups);
	T(setgroups, 1, CONF_BADPTR);
}

/* Changing the ids (the run is root natively): the sandbox's identity is fixed. */
CONF_CASE(identity_change, "setuid setgroups")
{
	unsigned none[1] = {0};
	T(setgroups, 0, none);
	T(setuid, 12345);
	T0(getuid);
}

CONF_CASE(personality_sync, "personality sync syncfs")
{
	TX(personality, 0xffffffff);
	TX(personality, PER_LINUX | ADDR_NO_RANDOMIZE);
	TX(personality, 0xffffffff);
	TX(personality, PER_LINUX);
	T0(sync);
	long fd = conf_open("file", 0);
	T(syncfs, fd);
	T(syncfs, 999);
}

CONF_CASE(mlock, "mlock munlock mlock2 mlockall munlockall munmap")
{
	char *p = conf_pages(2);
	T(mlock, p, CONF_PAGE);
	T(munlock, p, CONF_PAGE);
	T(mlock, p + 10, 100);
	T(munlock, p + 10, 100);
	T(mlock2, p, CONF_PAGE, MLOCK_ONFAULT);
	T(mlock2, p, CONF_PAGE, 2);
	T(munlock, p, CONF_PAGE);
	char *gap = conf_pages(2);
	conf_must(SYS(munmap, gap + CONF_PAGE, CONF_PAGE), "munmap");
	T(mlock, gap, 2 * CONF_PAGE);
	T(mlockall, MCL_CURRENT);
	T0(munlockall);
	T(mlockall, 0);
	T(mlockall, MCL_ONFAULT);
	T(mlockall, 64);
}

CONF_CASE(msync_mincore, "msync mincore munmap")
{
	char *p = conf_pages(2);
	p[0] = 1;
	unsigned char vec[2] = {9, 9};
	T(mincore, p, CONF_PAGE, vec);
	conf_more("resident=%d", vec[0] & 1);
	T(mincore, p + 1, CONF_PAGE, vec);
	char *gap = conf_pages(2);
	conf_must(SYS(munmap, gap + CONF_PAGE, CONF_PAGE), "munmap");
	T(mincore, gap, 2 * CONF_PAGE, vec);
	T(msync, p, CONF_PAGE, MS_ASYNC);
	T(msync, p, CONF_PAGE, MS_SYNC);
	T(msync, p, CONF_PAGE, MS_SYNC | MS_ASYNC);
	T(msync, p, CONF_PAGE, 8);
	T(msync, p + 1, CONF_PAGE, MS_ASYNC);
	T(msync, gap, 2 * CONF_PAGE, MS_ASYNC);
	T(msync, p, 0, MS_ASYNC);
}
