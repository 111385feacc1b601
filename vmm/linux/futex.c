// SPDX-License-Identifier: Apache-2.0
/* futex.c: futex(2) for guest threads: wait, wake, the bitset variants, requeue and wake-op. */
#include <errno.h>
#include <string.h>

#include "linux/syscall.h"
#include "linux/threads.h"

/* Guest futex operations and flags (include/uapi/linux/futex.h). */
enum {
	G_FUTEX_WAIT = 0,
	G_FUTEX_WAKE = 1,
	G_FUTEX_REQUEUE = 3,
	G_FUTEX_CMP_REQUEUE = 4,
	G_FUTEX_WAKE_OP = 5,
	G_FUTEX_LOCK_PI = 6,
	G_FUTEX_WAIT_BITSET = 9,
	G_FUTEX_WAKE_BITSET = 10,
	G_FUTEX_WAIT_REQUEUE_PI = 11,
	G_FUTEX_LOCK_PI2 = 13,
	G_FUTEX_PRIVATE_FLAG = 128,
	G_FUTEX_CLOCK_REALTIME = 256,
};
#define G_BITSET_ANY 0xffffffffu
#define G_TASK_SIZE  (1ull << 48)

/*
 * A futex is named by its address and whether it is shared: as in Linux, where a private
 * futex's key is (mm, address) and a shared one on anonymous memory carries an extra bit,
 * a private wake never reaches a shared waiter. Waiters on one key are woken oldest first.
 */

/* get_futex_key: alignment, the user range and, for a shared futex, a mapped page (writable
 * for wake-op's target; a read-only anonymous page makes no shared futex either). */
static int key_check(struct wf_proc *p, uint64_t uaddr, bool shared)
{
	if (uaddr % 4)
		return -EINVAL;
	if (uaddr > G_TASK_SIZE - 4)
		return -EFAULT;
	if (shared && !wf_mem_ptr(&p->mem, uaddr, 4, WF_PROT_READ | WF_PROT_WRITE))
		return -EFAULT;
	return 0;
}

/* The slots of the threads waiting on a key, oldest first; returns how many. */
static unsigned waiters(const struct wf_proc *p, uint64_t uaddr, bool shared, uint32_t bitset,
			unsigned *out)
{
	unsigned n = 0;
	for (unsigned i = 0; i < p->nthr; i++) {
		const struct wf_thread *t = &p->thr[i];
		if (t->state != WF_THR_FUTEX || t->futex != uaddr || t->futex_shared != shared ||
		    !(t->bitset & bitset))
			continue;
		unsigned j = n++;
		while (j > 0 && p->thr[out[j - 1]].wait_seq > t->wait_seq) {
			out[j] = out[j - 1];
			j--;
		}
		out[j] = i;
	}
	return n;
}

/* Wake up to n (at least one: Linux checks the count after each wake) waiters of a key. */
static int64_t wake_key(struct wf_proc *p, uint64_t uaddr, bool shared, int n, uint32_t bitset)
{
	unsigned list[p->nthr ? p->nthr : 1];
	unsigned nw = waiters(p, uaddr, shared, bitset, list);
	int64_t woken = 0;
	for (unsigned k = 0; k < nw; k++) {
		wf_thread_wake(p, list[k], 0);
		if (++woken >= n)
			break;
	}
	return woken;
}

int64_t wf_futex_wake(struct wf_proc *p, uint64_t uaddr, bool shared, int n, uint32_t bitset)
{
	if (!bitset)
		return -EINVAL;
	int rc = key_check(p, uaddr, shared);
	return rc ? rc : wake_key(p, uaddr, shared, n, bitset);
}

static int64_t futex_wait(struct wf_proc *p, uint64_t uaddr, bool shared, uint32_t val,
			  int64_t deadline, uint32_t bitset)
{
	uint32_t cur;
	if (!bitset)
		return -EINVAL;
	int rc = key_check(p, uaddr, shared);
	if (rc)
		return rc;
	if (wf_mem_read(&p->mem, &cur, uaddr, sizeof(cur)))
		return -EFAULT;
	if (cur != val)
		return -EAGAIN;
	if (deadline && deadline <= wf_thread_now())
		return -ETIMEDOUT;
	if (wf_thread_table(p))
		return -ENOMEM;
	struct wf_thread *t = &p->thr[p->cur];
	t->futex = uaddr;
	t->futex_shared = shared;
	t->bitset = bitset;
	t->sleep_rem = 0;
	/* A signal ends an untimed wait with a restart; a timed one with EINTR after a handler. */
	return wf_thread_block(p, WF_THR_FUTEX, deadline, -ETIMEDOUT,
			       deadline ? -WF_ERESTART_RESTARTBLOCK : -WF_ERESTARTSYS);
}

/* FUTEX_REQUEUE / FUTEX_CMP_REQUEUE (cmp: compare *uaddr with cmpval first). */
static int64_t futex_requeue(struct wf_proc *p, uint64_t uaddr, bool shared, uint64_t uaddr2,
			     int nr_wake, int nr_requeue, const uint32_t *cmpval)
{
	if (nr_wake < 0 || nr_requeue < 0)
		return -EINVAL;
	int rc = key_check(p, uaddr, shared);
	if (!rc)
		rc = key_check(p, uaddr2, shared);
	if (rc)
		return rc;
	if (cmpval) {
		uint32_t cur;
		if (wf_mem_read(&p->mem, &cur, uaddr, sizeof(cur)))
			return -EFAULT;
		if (cur != *cmpval)
			return -EAGAIN;
	}
	unsigned list[p->nthr ? p->nthr : 1];
	unsigned nw = waiters(p, uaddr, shared, G_BITSET_ANY, list);
	int64_t count = 0;
	for (unsigned k = 0; k < nw; k++) {
		if (count - nr_wake >= nr_requeue)
			break;
		if (++count <= nr_wake) {
			wf_thread_wake(p, list[k], 0);
			continue;
		}
		struct wf_thread *t = &p->thr[list[k]];
		t->futex = uaddr2; /* now waits there, behind the waiters it already has */
		t->wait_seq = p->wait_seq++;
	}
	return count;
}

/* FUTEX_WAKE_OP: *uaddr2 = oldval OP oparg; wake on uaddr; if (oldval CMP cmparg) on uaddr2. */
static int64_t futex_wake_op(struct wf_proc *p, uint64_t uaddr, bool shared, uint64_t uaddr2,
			     int nr_wake, int nr_wake2, uint32_t encoded)
{
	int rc = key_check(p, uaddr, shared);
	if (!rc)
		rc = key_check(p, uaddr2, shared);
	if (rc)
		return rc;
	unsigned op = (encoded >> 28) & 7, cmp = (encoded >> 24) & 15;
	int32_t oparg = (int32_t)(encoded << 8) >> 20, cmparg = (int32_t)(encoded << 20) >> 20;
	if (encoded & 0x80000000u) /* FUTEX_OP_OPARG_SHIFT: the argument is a bit number */
		oparg = (int32_t)(1u << (oparg & 31));
	uint32_t *w = wf_mem_ptr(&p->mem, uaddr2, 4, WF_PROT_READ | WF_PROT_WRITE);
	if (!w)
		return -EFAULT;
	int32_t old;
	memcpy(&old, w, sizeof(old));
	uint32_t nv;
	switch (op) {
	case 0: nv = (uint32_t)oparg; break;                      /* SET */
	case 1: nv = (uint32_t)old + (uint32_t)oparg; break;      /* ADD */
	case 2: nv = (uint32_t)old | (uint32_t)oparg; break;      /* OR */
	case 3: nv = (uint32_t)old & ~(uint32_t)oparg; break;     /* ANDN */
	case 4: nv = (uint32_t)old ^ (uint32_t)oparg; break;      /* XOR */
	default: return -ENOSYS;
	}
	memcpy(w, &nv, sizeof(nv));
	bool hit;
	switch (cmp) {
	case 0: hit = old == cmparg; break;
	case 1: hit = old != cmparg; break;
	case 2: hit = old < cmparg; break;
	case 3: hit = old >= cmparg; break;
	case 4: hit = old <= cmparg; break;
	case 5: hit = old > cmparg; break;
	default: return -ENOSYS; /* after the store, as in Linux */
	}
	int64_t woken = wake_key(p, uaddr, shared, nr_wake, G_BITSET_ANY);
	if (hit)
		woken += wake_key(p, uaddr2, shared, nr_wake2, G_BITSET_ANY);
	return woken;
}

/* The deadline of a timed wait, as futex_init_timeout computes it; 0 or -errno. */
static int timeout_of(struct wf_proc *p, int cmd, int op, uint64_t utime, int64_t *deadline)
{
	int64_t ts[2];
	if (wf_mem_read(&p->mem, ts, utime, sizeof(ts)))
		return -EFAULT;
	if (ts[0] < 0 || ts[1] < 0 || ts[1] >= 1000000000)
		return -EINVAL;
	int64_t ns = ts[0] > INT64_MAX / 1000000000 - 1 ? INT64_MAX : ts[0] * 1000000000 + ts[1];
	int64_t now = wf_thread_now(), d;
	if (cmd == G_FUTEX_WAIT) {
		d = ns > INT64_MAX - now ? INT64_MAX : now + ns; /* relative */
	} else if (op & G_FUTEX_CLOCK_REALTIME) {
		struct timespec rt;
		clock_gettime(CLOCK_REALTIME, &rt);
		int64_t rtnow = (int64_t)rt.tv_sec * 1000000000 + rt.tv_nsec;
		int64_t left = ns - rtnow;
		d = left <= 0 ? now : (left > INT64_MAX - now ? INT64_MAX : now + left);
	} else {
		d = ns; /* absolute CLOCK_MONOTONIC */
	}
	*deadline = d ? d : 1;
	return 0;
}

static int64_t sys_futex(struct wf_proc *p, const uint64_t a[6])
{
	uint64_t uaddr = a[0], utime = a[3], uaddr2 = a[4];
	int op = (int)a[1];
	int cmd = op & ~(G_FUTEX_PRIVATE_FLAG | G_FUTEX_CLOCK_REALTIME);
	uint32_t val = (uint32_t)a[2], val3 = (uint32_t)a[5];
	bool shared = !(op & G_FUTEX_PRIVATE_FLAG);
	int64_t deadline = 0;

	if (utime && (cmd == G_FUTEX_WAIT || cmd == G_FUTEX_WAIT_BITSET || cmd == G_FUTEX_LOCK_PI ||
		      cmd == G_FUTEX_LOCK_PI2 || cmd == G_FUTEX_WAIT_REQUEUE_PI)) {
		int rc = timeout_of(p, cmd, op, utime, &deadline);
		if (rc)
			return rc;
	}
	if ((op & G_FUTEX_CLOCK_REALTIME) && cmd != G_FUTEX_WAIT_BITSET &&
	    cmd != G_FUTEX_WAIT_REQUEUE_PI && cmd != G_FUTEX_LOCK_PI2)
		return -ENOSYS;
	switch (cmd) {
	case G_FUTEX_WAIT:
		return futex_wait(p, uaddr, shared, val, deadline, G_BITSET_ANY);
	case G_FUTEX_WAIT_BITSET:
		return futex_wait(p, uaddr, shared, val, deadline, val3);
	case G_FUTEX_WAKE:
		return wf_futex_wake(p, uaddr, shared, (int)val, G_BITSET_ANY);
	case G_FUTEX_WAKE_BITSET:
		return wf_futex_wake(p, uaddr, shared, (int)val, val3);
	case G_FUTEX_REQUEUE:
		return futex_requeue(p, uaddr, shared, uaddr2, (int)val, (int)(uint32_t)utime, NULL);
	case G_FUTEX_CMP_REQUEUE:
		return futex_requeue(p, uaddr, shared, uaddr2, (int)val, (int)(uint32_t)utime, &val3);
	case G_FUTEX_WAKE_OP:
		return futex_wake_op(p, uaddr, shared, uaddr2, (int)val, (int)(uint32_t)utime, val3);
	default:
		/* FUTEX_FD (gone since 2.6.26), the priority-inheritance family: not here. */
		return -ENOSYS;
	}
}

const struct wf_syscall_def wf_sys_futex[] = {
	{WF_NR_futex, "futex", sys_futex, "pdupxx"},
	{0},
};
