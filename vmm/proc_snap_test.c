// SPDX-License-Identifier: Apache-2.0
/* proc_snap_test.c: Check tests for process snapshots: fork, reset, independence, no leaks. */
#include <check.h>
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>

#include "proc_snap.h"
#include "linux/signals.h"
#include "linux/testproc.h"
#include "check_main.h"

/* Guest (arm64) constants, as a guest program passes them. */
enum {
	GO_RD = 0,
	GO_WR = 1,
	GO_RW = 2,
	GO_CREAT = 0100,
	GO_APPEND = 02000,
	GO_NONBLOCK = 04000,
	GO_DIRECTORY = 040000,
	GO_LARGEFILE = 0400000,
	GO_CLOEXEC = 02000000,
	GO_PATH = 010000000,
	G_F_GETFD = 1,
	G_F_SETFD = 2,
	G_F_GETFL = 3,
	G_F_SETFL = 4,
	G_SEEK_SET = 0,
	G_SEEK_CUR = 1,
	G_SIG_BLOCK = 0,
	G_SIG_SETMASK = 2,
	G_SIGUSR1 = 10,
	G_SIGUSR2 = 12,
	G_SS_DISABLE = 2,
	G_PROT_RW = 3,
	G_MAP_PRIVATE_ANON = 0x22,
	G_PR_SET_NAME = 15,
};
#define AT_CWD ((uint64_t)-100)
#define BIT(s) (1ull << ((s) - 1))

/* The fake process's layout: test data from the bottom, then the heap, then the mmap arena. */
#define BRK_START (TP_BASE + 0xc0000)
#define MMAP_MIN  (TP_BASE + 0xd0000)

struct g_stack {
	uint64_t sp;
	int32_t flags;
	uint32_t pad;
	uint64_t size;
};

/* A process of the test: a struct tp plus the dispatcher and what a memory reset restores. */
struct tproc {
	struct tp t;
	struct wf_systab tab;
	wf_gaddr_t next0; /* the bump allocator at fork time (guest memory is "reset" with it) */
};

/* The master, its snapshot and what the snapshot should look like from inside a fork. */
static struct tproc *m;
static struct wf_proc_snap *snap;
static struct {
	char cwd[4096];
	struct wf_sigaction usr1;
	uint64_t sigmask, brk, output_bytes, syscalls;
	int64_t dirpos;
	wf_gaddr_t mapping;
	struct wf_vma vmas[16];
	unsigned nvmas;
	unsigned umask;
} want;

static int64_t call6(struct tproc *tp, int nr, const uint64_t a[6])
{
	return wf_syscall(&tp->t.p, &tp->tab, (uint64_t)nr, a);
}
#define CALL(tp, nr, ...) call6((tp), (nr), (const uint64_t[6]){__VA_ARGS__})

static wf_gaddr_t gstr(struct tproc *tp, const char *s)
{
	wf_gaddr_t a = tp_str(&tp->t, s);
	ck_assert_uint_ne(a, 0);
	return a;
}

static wf_gaddr_t gpath(struct tproc *tp, const char *rel)
{
	wf_gaddr_t a = tp_path(&tp->t, rel);
	ck_assert_uint_ne(a, 0);
	return a;
}

static wf_gaddr_t gbuf(struct tproc *tp, uint64_t len)
{
	wf_gaddr_t a = tp_alloc(&tp->t, len);
	ck_assert_uint_ne(a, 0);
	return a;
}

static void *host(struct tproc *tp, wf_gaddr_t a)
{
	return tp_host(&tp->t, a);
}

static void write_file(const char *dir, const char *rel, const char *text)
{
	char path[4200];
	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
}

static int count_host_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	int n = 0;
	ck_assert_ptr_nonnull(d);
	while (readdir(d))
		n++;
	closedir(d);
	return n;
}

/*
 * The master at its "ready point": fd 3 reads data at offset 5, fd 4 is a directory part-way
 * through, 5/6 a pipe, 7 an append-only log (cloexec), 8 a dup of 3, 9 a deleted file at
 * offset 2, 10 an O_PATH fd; cwd is sub/, umask 077, a SIGUSR1 handler, SIGUSR2 blocked, brk grown, one mmap.
 */
static void setup(void)
{
	m = calloc(1, sizeof(*m));
	ck_assert_ptr_nonnull(m);
	ck_assert_int_eq(tp_init(&m->t, 0, 0), 0);
	wf_systab_init(&m->tab);
	struct wf_proc *p = &m->t.p;
	p->brk_start = p->brk_cur = BRK_START;
	p->brk_max = MMAP_MIN;
	p->mmap_min = MMAP_MIN;
	p->mmap_top = p->user_top = TP_BASE + TP_SIZE;

	const char *dir = m->t.dir;
	char sub[4200];
	snprintf(sub, sizeof(sub), "%s/sub", dir);
	write_file(dir, "data", "0123456789abcdefghij");
	write_file(dir, "gone", "ABCDEFGH");
	ck_assert_int_eq(mkdir(sub, 0755), 0);
	write_file(sub, "a", "a");
	write_file(sub, "b", "b");
	write_file(sub, "c", "c");

	wf_gaddr_t buf = gbuf(m, 4096);
	ck_assert_int_eq(CALL(m, WF_NR_openat, AT_CWD, gpath(m, "data"), GO_RD), 3);
	ck_assert_int_eq(CALL(m, WF_NR_read, 3, buf, 5), 5);
	ck_assert_int_eq(CALL(m, WF_NR_openat, AT_CWD, gpath(m, "sub"), GO_RD | GO_DIRECTORY), 4);
	ck_assert_int_gt(CALL(m, WF_NR_getdents64, 4, buf, 32), 0); /* one entry */
	want.dirpos = CALL(m, WF_NR_lseek, 4, 0, G_SEEK_CUR);
	ck_assert_int_gt(want.dirpos, 0);
	ck_assert_int_eq(CALL(m, WF_NR_pipe2, buf, 0), 0);
	ck_assert_int_eq(((int32_t *)host(m, buf))[0], 5);
	ck_assert_int_eq(CALL(m, WF_NR_openat, AT_CWD, gpath(m, "log"),
			      GO_WR | GO_CREAT | GO_APPEND | GO_CLOEXEC, 0644),
			 7);
	ck_assert_int_eq(CALL(m, WF_NR_dup, 3), 8);
	ck_assert_int_eq(CALL(m, WF_NR_openat, AT_CWD, gpath(m, "gone"), GO_RW), 9);
	ck_assert_int_eq(CALL(m, WF_NR_lseek, 9, 2, G_SEEK_SET), 2);
	char gone[4200];
	snprintf(gone, sizeof(gone), "%s/gone", dir);
	ck_assert_int_eq(unlink(gone), 0);
	ck_assert_int_eq(CALL(m, WF_NR_openat, AT_CWD, gpath(m, "data"), GO_PATH), 10);
	ck_assert_int_eq(CALL(m, WF_NR_chdir, gpath(m, "sub")), 0);
	CALL(m, WF_NR_umask, 077);

	struct wf_sigaction sa = {.handler = 0x1234, .flags = 0x10000004, .mask = BIT(G_SIGUSR2)};
	wf_gaddr_t gsa = tp_bytes(&m->t, &sa, sizeof(sa));
	ck_assert_int_eq(CALL(m, WF_NR_rt_sigaction, G_SIGUSR1, gsa, 0, 8), 0);
	uint64_t set = BIT(G_SIGUSR2);
	wf_gaddr_t gset = tp_bytes(&m->t, &set, sizeof(set));
	ck_assert_int_eq(CALL(m, WF_NR_rt_sigprocmask, G_SIG_BLOCK, gset, 0, 8), 0);
	ck_assert_int_eq(CALL(m, WF_NR_brk, BRK_START + 0x3000), BRK_START + 0x3000);
	want.mapping = (wf_gaddr_t)CALL(m, WF_NR_mmap, 0, 2 * WF_PAGE_SIZE, G_PROT_RW,
					G_MAP_PRIVATE_ANON, (uint64_t)-1, 0);
	ck_assert_uint_ge(want.mapping, MMAP_MIN);
	ck_assert_int_eq(CALL(m, WF_NR_write, 1, gstr(m, "hello"), 5), 5);

	strcpy(want.cwd, p->cwd);
	ck_assert_str_eq(want.cwd + strlen(want.cwd) - 4, "/sub");
	want.usr1 = p->sigact[G_SIGUSR1];
	want.sigmask = p->sigthr.blocked;
	want.brk = p->brk_cur;
	want.output_bytes = p->output_bytes;
	want.umask = p->umask;
	ck_assert_uint_le(p->nvmas, 16);
	ck_assert_uint_ge(p->nvmas, 2);
	memcpy(want.vmas, p->vmas, p->nvmas * sizeof(*p->vmas));
	want.nvmas = p->nvmas;
	want.syscalls = p->syscalls;

	struct wf_err e = {0};
	ck_assert_msg(wf_proc_snap_take(p, &snap, &e) == 0, "snap_take: %s", e.msg);
	/* The master never runs again; its own fds may go: the snapshot owns what it holds. */
	wf_proc_fini(p);
}

static void teardown(void)
{
	wf_proc_snap_free(snap);
	tp_fini(&m->t);
	free(m);
}

/* A fork: guest memory is a copy of the master's (what the VMM's copy-on-write gives). */
static struct tproc *fork_proc(void)
{
	struct tproc *f = calloc(1, sizeof(*f));
	ck_assert_ptr_nonnull(f);
	f->t.ram = malloc(TP_SIZE);
	f->t.prot = malloc(TP_PAGES);
	ck_assert_ptr_nonnull(f->t.ram);
	ck_assert_ptr_nonnull(f->t.prot);
	memcpy(f->t.ram, m->t.ram, TP_SIZE);
	memcpy(f->t.prot, m->t.prot, TP_PAGES);
	f->t.next = f->next0 = m->t.next;
	strcpy(f->t.dir, m->t.dir);
	f->t.p.mem = (struct wf_mem){
		.host = f->t.ram, .base = TP_BASE, .size = TP_SIZE, .prot = f->t.prot};
	f->t.p.mmu = &tp_mmu;
	f->t.p.mmu_ctx = &f->t;
	f->t.p.print = tp_print;
	f->t.p.print_ctx = &f->t;
	wf_systab_init(&f->tab);
	struct wf_err e = {0};
	ck_assert_msg(wf_proc_fork(&f->t.p, snap, &e) == 0, "wf_proc_fork: %s", e.msg);
	return f;
}

static void fork_free(struct tproc *f)
{
	wf_proc_fini(&f->t.p);
	free(f->t.ram);
	free(f->t.prot);
	free(f);
}

/* wf_proc_reset, plus the part the VMM does elsewhere: guest memory back to the master's. */
static void reset(struct tproc *f)
{
	struct wf_err e = {0};
	ck_assert_msg(wf_proc_reset(&f->t.p, snap, &e) == 0, "wf_proc_reset: %s", e.msg);
	memcpy(f->t.ram, m->t.ram, TP_SIZE);
	memcpy(f->t.prot, m->t.prot, TP_PAGES);
	f->t.next = f->next0;
}

static void rng_bytes(struct tproc *f, uint8_t out[32])
{
	wf_gaddr_t b = gbuf(f, 32);
	ck_assert_int_eq(CALL(f, WF_NR_getrandom, b, 32, 0), 32);
	memcpy(out, host(f, b), 32);
}

/* Everything the snapshot says, checked from inside fork f through the syscalls. */
static void check_like_snapshot(struct tproc *f)
{
	struct wf_proc *p = &f->t.p;
	ck_assert_int_eq(CALL(f, WF_NR_lseek, 3, 0, G_SEEK_CUR), 5);
	ck_assert_int_eq(CALL(f, WF_NR_lseek, 8, 0, G_SEEK_CUR), 5);
	ck_assert_int_eq(CALL(f, WF_NR_fcntl, 3, G_F_GETFL), GO_RD | GO_LARGEFILE);
	ck_assert_int_eq(CALL(f, WF_NR_fcntl, 3, G_F_GETFD), 0);
	ck_assert_int_eq(CALL(f, WF_NR_fcntl, 8, G_F_GETFD), 0);
	ck_assert_int_eq(CALL(f, WF_NR_lseek, 4, 0, G_SEEK_CUR), want.dirpos);
	ck_assert_int_eq(CALL(f, WF_NR_fcntl, 4, G_F_GETFL), GO_RD | GO_DIRECTORY | GO_LARGEFILE);
	ck_assert_int_eq(CALL(f, WF_NR_fcntl, 5, G_F_GETFL), GO_RD);
	ck_assert_int_eq(CALL(f, WF_NR_fcntl, 6, G_F_GETFL), GO_WR);
	ck_assert_int_eq(CALL(f, WF_NR_fcntl, 5, G_F_GETFD), 0);
	ck_assert_int_eq(CALL(f, WF_NR_fcntl, 7, G_F_GETFL), GO_WR | GO_APPEND | GO_LARGEFILE);
	ck_assert_int_eq(CALL(f, WF_NR_fcntl, 7, G_F_GETFD), 1);
	ck_assert_int_eq(CALL(f, WF_NR_lseek, 9, 0, G_SEEK_CUR), 2);
	ck_assert_int_eq(CALL(f, WF_NR_fcntl, 9, G_F_GETFL), GO_RW | GO_LARGEFILE);
	ck_assert_int_eq(CALL(f, WF_NR_fcntl, 10, G_F_GETFL), GO_PATH);
	for (int fd = 11; fd < 64; fd++)
		ck_assert_int_eq(CALL(f, WF_NR_fcntl, (uint64_t)fd, G_F_GETFD), -EBADF);
	ck_assert_int_eq(p->fds[0].kind, WF_FD_STDIN);
	ck_assert_int_eq(p->fds[0].host_fd, 0);
	ck_assert_int_eq(p->fds[1].chan, 1);
	ck_assert_int_eq(p->fds[1].kind, WF_FD_OUTPUT);
	ck_assert_int_eq(p->fds[2].kind, WF_FD_OUTPUT);
	ck_assert_int_eq(p->fds[2].chan, 2);
	ck_assert_str_eq(p->fds[3].path, p->fds[8].path);

	wf_gaddr_t b = gbuf(f, 4096);
	ck_assert_int_eq(CALL(f, WF_NR_getcwd, b, 4096), (int64_t)strlen(want.cwd) + 1);
	ck_assert_str_eq(host(f, b), want.cwd);
	ck_assert_int_eq(CALL(f, WF_NR_rt_sigaction, G_SIGUSR1, 0, b, 8), 0);
	ck_assert_mem_eq(host(f, b), &want.usr1, sizeof(want.usr1));
	ck_assert_int_eq(CALL(f, WF_NR_rt_sigaction, G_SIGUSR2, 0, b, 8), 0);
	ck_assert_uint_eq(((struct wf_sigaction *)host(f, b))->handler, 0);
	ck_assert_int_eq(CALL(f, WF_NR_rt_sigprocmask, G_SIG_BLOCK, 0, b, 8), 0);
	ck_assert_uint_eq(*(uint64_t *)host(f, b), want.sigmask);
	ck_assert_int_eq(CALL(f, WF_NR_sigaltstack, 0, b), 0);
	struct g_stack *ss = host(f, b);
	ck_assert_int_eq(ss->flags, G_SS_DISABLE);
	ck_assert_uint_eq(ss->sp, 0);
	ck_assert_uint_eq(ss->size, 0);
	ck_assert_int_eq(CALL(f, WF_NR_rt_sigpending, b, 8), 0);
	ck_assert_uint_eq(*(uint64_t *)host(f, b), 0);
	ck_assert_uint_eq(p->sigshared.set | p->sigthr.pending.set, 0);
	ck_assert_uint_eq(p->sigthr.fault_code | p->sigthr.fault_address, 0);
	ck_assert(!p->sigthr.restore_mask);
	ck_assert_int_eq(CALL(f, WF_NR_brk, 0), (int64_t)want.brk);
	ck_assert_uint_eq(p->nvmas, want.nvmas);
	ck_assert_mem_eq(p->vmas, want.vmas, want.nvmas * sizeof(*p->vmas));
	ck_assert_uint_eq(p->mmap_min, MMAP_MIN);
	ck_assert_uint_eq(p->mmap_top, TP_BASE + TP_SIZE);
	ck_assert_uint_eq(p->user_top, TP_BASE + TP_SIZE);
	ck_assert_uint_eq(p->umask, want.umask);
	ck_assert_uint_eq(p->output_bytes, want.output_bytes);
	ck_assert_str_eq(p->comm, "");
	ck_assert(!p->exited);
	ck_assert_int_eq(p->exit_status, 0);
	ck_assert_int_eq(p->killed_by, 0);
	ck_assert(p->allow_borrowed);
}

/* One fuzz input's worth of damage to fork f. */
static void mutate(struct tproc *f)
{
	wf_gaddr_t b = gbuf(f, 4096);
	ck_assert_int_eq(CALL(f, WF_NR_read, 3, b, 4), 4);
	ck_assert_mem_eq(host(f, b), "5678", 4);
	ck_assert_int_eq(CALL(f, WF_NR_lseek, 8, 0, G_SEEK_CUR), 9); /* a dup: one description */
	ck_assert_int_eq(CALL(f, WF_NR_openat, AT_CWD, gpath(f, "data"), GO_RD), 11);
	ck_assert_int_eq(CALL(f, WF_NR_openat, AT_CWD, gpath(f, "log"), GO_WR), 12);
	ck_assert_int_eq(CALL(f, WF_NR_close, 3), 0);
	ck_assert_int_eq(CALL(f, WF_NR_dup3, 12, 3, GO_CLOEXEC), 3);
	ck_assert_int_eq(CALL(f, WF_NR_close, 8), 0);
	ck_assert_int_gt(CALL(f, WF_NR_getdents64, 4, b, 4096), 0);
	ck_assert_int_eq(CALL(f, WF_NR_getdents64, 4, b, 4096), 0);
	ck_assert_int_eq(CALL(f, WF_NR_fcntl, 5, G_F_SETFL, GO_NONBLOCK), 0);
	ck_assert_int_eq(CALL(f, WF_NR_fcntl, 7, G_F_SETFD, 0), 0);
	ck_assert_int_eq(CALL(f, WF_NR_fcntl, 7, G_F_SETFL, 0), 0);
	ck_assert_int_eq(CALL(f, WF_NR_write, 6, gstr(f, "zz"), 2), 2);
	ck_assert_int_eq(CALL(f, WF_NR_read, 5, b, 2), 2);
	ck_assert_int_eq(CALL(f, WF_NR_read, 9, b, 3), 3);
	ck_assert_mem_eq(host(f, b), "CDE", 3);
	ck_assert_int_eq(CALL(f, WF_NR_openat, AT_CWD, gpath(f, ""), GO_RD | GO_DIRECTORY), 8);
	ck_assert_int_eq(CALL(f, WF_NR_pipe2, b, 0), 0);
	ck_assert_int_eq(((int32_t *)host(f, b))[0], 13);
	ck_assert_int_eq(CALL(f, WF_NR_close, 10), 0);
	ck_assert_int_eq(CALL(f, WF_NR_chdir, gpath(f, "")), 0);
	CALL(f, WF_NR_umask, 0);

	struct wf_sigaction sa = {.handler = 0x5678};
	ck_assert_int_eq(CALL(f, WF_NR_rt_sigaction, G_SIGUSR1, tp_bytes(&f->t, &sa, sizeof(sa)), 0,
			      8),
			 0);
	sa.handler = 1; /* SIG_IGN */
	ck_assert_int_eq(CALL(f, WF_NR_rt_sigaction, G_SIGUSR2, tp_bytes(&f->t, &sa, sizeof(sa)), 0,
			      8),
			 0);
	uint64_t set = BIT(3);
	ck_assert_int_eq(CALL(f, WF_NR_rt_sigprocmask, G_SIG_SETMASK,
			      tp_bytes(&f->t, &set, sizeof(set)), 0, 8),
			 0);
	struct g_stack ss = {.sp = 0x20000, .size = 0x4000};
	ck_assert_int_eq(CALL(f, WF_NR_sigaltstack, tp_bytes(&f->t, &ss, sizeof(ss)), 0), 0);
	/* Signals left pending (blocked, on the process and on the thread) and a fault record. */
	ck_assert_int_eq(CALL(f, WF_NR_kill, 0, 3), 0);
	struct wf_siginfo si = {.signo = 3, .code = -6 /* SI_TKILL */};
	ck_assert_int_eq(wf_signal_queue(&f->t.p, &si, true), 0);
	ck_assert_uint_ne(f->t.p.sigshared.set & f->t.p.sigthr.pending.set, 0);
	f->t.p.sigthr.fault_address = 0x1234;
	f->t.p.sigthr.fault_code = 0x92000047;
	ck_assert_int_eq(CALL(f, WF_NR_brk, BRK_START + 0x8000), BRK_START + 0x8000);
	int64_t a = CALL(f, WF_NR_mmap, 0, 3 * WF_PAGE_SIZE, G_PROT_RW, G_MAP_PRIVATE_ANON,
			 (uint64_t)-1, 0);
	ck_assert_int_gt(a, 0);
	ck_assert_int_eq(CALL(f, WF_NR_munmap, want.mapping, 2 * WF_PAGE_SIZE), 0);
	ck_assert_int_eq(CALL(f, WF_NR_getrandom, b, 64, 0), 64);
	ck_assert_int_eq(CALL(f, WF_NR_prctl, G_PR_SET_NAME, gstr(f, "forky")), 0);
	ck_assert_int_eq(CALL(f, WF_NR_write, 1, gstr(f, "more"), 4), 4);
	ck_assert_int_eq(CALL(f, WF_NR_close, 2), 0);
	ck_assert_int_eq(CALL(f, WF_NR_dup3, 11, 0, 0), 0);
	ck_assert_int_eq(CALL(f, WF_NR_dup3, 7, 1, 0), 1);
	ck_assert_int_eq(CALL(f, WF_NR_exit_group, 7), 0);
	ck_assert(f->t.p.exited);
	f->t.p.killed_by = 9;
}

START_TEST(test_fork_is_the_snapshot)
{
	struct tproc *f = fork_proc();
	check_like_snapshot(f);
	wf_gaddr_t b = gbuf(f, 64);
	ck_assert_int_eq(CALL(f, WF_NR_read, 3, b, 5), 5);
	ck_assert_mem_eq(host(f, b), "56789", 5);
	ck_assert_int_eq(CALL(f, WF_NR_read, 9, b, 6), 6); /* a deleted file reopens too */
	ck_assert_mem_eq(host(f, b), "CDEFGH", 6);
	ck_assert_int_eq(wf_proc_allow(&f->t.p, "/tmp", false), -EPERM);
	fork_free(f);
}
END_TEST

START_TEST(test_reset_restores_everything)
{
	struct tproc *f = fork_proc();
	uint8_t rng0[32], rng[32];
	rng_bytes(f, rng0);
	wf_gaddr_t b = gbuf(f, 4096);
	int64_t n0 = CALL(f, WF_NR_getdents64, 4, b, 4096);
	ck_assert_int_gt(n0, 0);
	uint8_t dents0[4096];
	memcpy(dents0, host(f, b), (size_t)n0);
	reset(f);
	check_like_snapshot(f);

	mutate(f);
	/* The master's files did not move: a second fork reads from offset 5 too. */
	struct tproc *g = fork_proc();
	b = gbuf(g, 64);
	ck_assert_int_eq(CALL(g, WF_NR_read, 3, b, 5), 5);
	ck_assert_mem_eq(host(g, b), "56789", 5);
	fork_free(g);

	reset(f);
	check_like_snapshot(f);
	rng_bytes(f, rng);
	ck_assert_mem_eq(rng, rng0, sizeof(rng));
	/* The directory stream is where the master left it: the same entries come back. */
	b = gbuf(f, 4096);
	ck_assert_int_eq(CALL(f, WF_NR_getdents64, 4, b, 4096), n0);
	ck_assert_mem_eq(host(f, b), dents0, (size_t)n0);
	/* The pipe's status flags are the snapshot's again (shared: restored at reset). */
	reset(f);
	check_like_snapshot(f);
	rng_bytes(f, rng);
	ck_assert_mem_eq(rng, rng0, sizeof(rng));

	/* Do it again, to be sure a reset fork resets as well as a fresh one. */
	reset(f);
	mutate(f);
	reset(f);
	check_like_snapshot(f);
	b = gbuf(f, 64);
	ck_assert_int_eq(CALL(f, WF_NR_read, 8, b, 5), 5);
	ck_assert_mem_eq(host(f, b), "56789", 5);
	ck_assert_int_eq(CALL(f, WF_NR_lseek, 3, 0, G_SEEK_CUR), 10);
	fork_free(f);
}
END_TEST

START_TEST(test_forks_are_independent)
{
	struct tproc *f = fork_proc(), *g = fork_proc();
	wf_gaddr_t b = gbuf(f, 64);
	ck_assert_int_eq(CALL(f, WF_NR_read, 3, b, 5), 5);
	ck_assert_int_eq(CALL(f, WF_NR_lseek, 9, 0, G_SEEK_SET), 0);
	ck_assert_int_eq(CALL(f, WF_NR_fcntl, 7, G_F_SETFL, 0), 0);
	ck_assert_int_eq(CALL(f, WF_NR_fcntl, 3, G_F_SETFD, 1), 0);
	ck_assert_int_eq(CALL(f, WF_NR_lseek, 4, 0, G_SEEK_SET), 0);
	ck_assert_int_eq(CALL(f, WF_NR_close, 8), 0);
	ck_assert_int_eq(CALL(f, WF_NR_chdir, gpath(f, "")), 0);
	ck_assert_int_eq(CALL(f, WF_NR_exit_group, 1), 0);
	check_like_snapshot(g);
	b = gbuf(g, 64);
	ck_assert_int_eq(CALL(g, WF_NR_read, 8, b, 5), 5);
	ck_assert_mem_eq(host(g, b), "56789", 5);
	/* and back the other way */
	ck_assert_int_eq(CALL(f, WF_NR_lseek, 3, 0, G_SEEK_CUR), 10);
	reset(f);
	reset(g);
	check_like_snapshot(f);
	check_like_snapshot(g);
	fork_free(f);
	/* A finished fork leaves the snapshot's borrowed allow-list alone. */
	ck_assert_int_eq(CALL(g, WF_NR_openat, AT_CWD, gpath(g, "data"), GO_RD), 11);
	fork_free(g);
	struct tproc *h = fork_proc();
	ck_assert_int_eq(CALL(h, WF_NR_openat, AT_CWD, gpath(h, "data"), GO_RD), 11);
	fork_free(h);
}
END_TEST

START_TEST(test_reset_leaks_nothing)
{
	struct tproc *f = fork_proc();
	mutate(f);
	reset(f);
	int before = count_host_fds();
	for (int i = 0; i < 1000; i++) {
		mutate(f);
		reset(f);
	}
	ck_assert_int_eq(count_host_fds(), before);
	check_like_snapshot(f);
	struct wf_proc_fork_stats st;
	wf_proc_fork_stats(&f->t.p, &st);
	ck_assert_uint_eq(st.resets, 1001);
	ck_assert_uint_gt(st.fds_restored, 1001 * 5);
	int with_fork = count_host_fds();
	fork_free(f);
	ck_assert_int_lt(count_host_fds(), with_fork);
}
END_TEST

START_TEST(test_reset_looks_only_at_touched_fds)
{
	struct tproc *f = fork_proc();
	reset(f);
	ck_assert_uint_eq(f->t.p.nfd_touched, 0);
	wf_gaddr_t b = gbuf(f, 64);
	ck_assert_int_eq(CALL(f, WF_NR_read, 3, b, 2), 2);
	ck_assert_int_eq(CALL(f, WF_NR_getpid), f->t.p.pid);
	ck_assert_uint_eq(f->t.p.nfd_touched, 1);
	ck_assert_uint_eq(f->t.p.fd_touched_list[0], 3);
	/* dup3 onto a free slot reaches it too */
	ck_assert_int_eq(CALL(f, WF_NR_dup3, 3, 40, 0), 40);
	ck_assert_uint_eq(f->t.p.nfd_touched, 2);
	ck_assert_uint_eq(f->t.p.fd_touched_list[1], 40);
	reset(f);
	ck_assert_uint_eq(f->t.p.nfd_touched, 0);
	check_like_snapshot(f);
	struct wf_proc_fork_stats st;
	wf_proc_fork_stats(&f->t.p, &st);
	ck_assert_uint_eq(st.fds_restored, 1); /* fd 40 closed; fd 3 only repositioned */
	fork_free(f);
}
END_TEST

START_TEST(test_counters)
{
	struct tproc *f = fork_proc();
	ck_assert_uint_eq(f->t.p.syscalls, want.syscalls);
	CALL(f, WF_NR_getpid);
	CALL(f, WF_NR_getpid);
	CALL(f, 4000); /* unknown */
	ck_assert_uint_eq(f->t.p.syscalls, want.syscalls + 3);
	reset(f);
	ck_assert_uint_eq(f->t.p.syscalls, want.syscalls);
	CALL(f, WF_NR_getpid);
	reset(f);
	struct wf_proc_fork_stats st;
	wf_proc_fork_stats(&f->t.p, &st);
	ck_assert_uint_eq(st.resets, 2);
	ck_assert_uint_eq(st.syscalls, 4);
	ck_assert_uint_eq(st.unknown_syscalls, 1);
	fork_free(f);
}
END_TEST

START_TEST(test_take_refuses_an_ended_process)
{
	struct tproc *x = calloc(1, sizeof(*x));
	ck_assert_ptr_nonnull(x);
	ck_assert_int_eq(tp_init(&x->t, 0, 0), 0);
	x->t.p.exited = true;
	struct wf_proc_snap *s = (struct wf_proc_snap *)1;
	struct wf_err e = {0};
	ck_assert_int_eq(wf_proc_snap_take(&x->t.p, &s, &e), -EINVAL);
	ck_assert_ptr_null(s);
	ck_assert_int_eq(e.code, -EINVAL);
	tp_fini(&x->t);
	free(x);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("proc_snap");
	TCase *tc = tcase_create("proc_snap");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_fork_is_the_snapshot);
	tcase_add_test(tc, test_reset_restores_everything);
	tcase_add_test(tc, test_forks_are_independent);
	tcase_add_test(tc, test_reset_leaks_nothing);
	tcase_add_test(tc, test_reset_looks_only_at_touched_fds);
	tcase_add_test(tc, test_counters);
	tcase_add_test(tc, test_take_refuses_an_ended_process);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return wf_check_run(suite());
}
