// SPDX-License-Identifier: Apache-2.0
/* poll.c: ppoll and pselect6 over the guest's descriptors, answered by the host's ppoll on their host fds. */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "linux/signals.h"
#include "linux/syscall.h"
#include "linux/threads.h"

/* Guest struct pollfd and struct timespec (the host's have the same layout on arm64). */
struct g_pollfd {
	int32_t fd;
	int16_t events, revents;
};

struct g_timespec {
	int64_t sec, nsec;
};

#define G_POLLOUT 0x4
#define G_POLLNVAL 0x20
#define G_POLL_MAX 4096 /* the guest's fds are at most this many (WF_MAX_FDS_DEFAULT and up) */

/* Write to guest addr what is left of timeout ts, the wait having started at t0 (Linux
 * updates ppoll's and pselect6's timeout so). */
static void time_left(struct wf_proc *p, uint64_t addr, const struct g_timespec *ts,
		      const struct timespec *t0)
{
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	int64_t left = (ts->sec * 1000000000 + ts->nsec) -
		       ((t1.tv_sec - t0->tv_sec) * 1000000000 + (t1.tv_nsec - t0->tv_nsec));
	if (left < 0)
		left = 0;
	struct g_timespec rem = {left / 1000000000, left % 1000000000};
	(void)wf_mem_write(&p->mem, addr, &rem, sizeof(rem));
}

/*
 * With other guest threads alive a wait must not block the host thread they run on
 * (threads.h): poll without waiting, and if nothing is ready, sleep in the scheduler and
 * make the call again, its timeout (if any) shortened by that sleep, as Linux shortens it
 * when a call restarts. A timeout shorter than one sleep is waited on the host.
 */
static bool cooperate(const struct wf_proc *p, bool has_tmo, const struct g_timespec *ts)
{
	return wf_thread_others(p) && !(has_tmo && ts->sec == 0 && ts->nsec <= WF_THREAD_RETRY_NS);
}

static int64_t wait_again(struct wf_proc *p, uint64_t tmo_addr, const struct g_timespec *ts)
{
	if (tmo_addr) {
		int64_t left = ts->sec * 1000000000 + ts->nsec - WF_THREAD_RETRY_NS;
		struct g_timespec rem = {left / 1000000000, left % 1000000000};
		(void)wf_mem_write(&p->mem, tmo_addr, &rem, sizeof(rem)); /* read-only: as given */
	}
	return wf_thread_retry(p, -WF_ERESTARTNOHAND);
}

/*
 * ppoll(fds, nfds, tmo, sigmask, sigsetsize). Output descriptors (the embedder's printer)
 * are always writable; closed or unknown ones say POLLNVAL. The wait is the host's, so a
 * wake-up from another guest process ends it and the call restarts (ERESTARTNOHAND). The
 * time left goes back to *tmo, as Linux does. With other guest threads about, the wait is
 * the scheduler's (cooperate).
 */
static int64_t sys_ppoll(struct wf_proc *p, const uint64_t a[6])
{
	uint32_t n = (uint32_t)a[1];
	if (n > wf_fd_limit(p) || n > G_POLL_MAX)
		return -EINVAL;
	struct g_timespec ts = {0};
	bool has_tmo = a[2] != 0;
	if (has_tmo) {
		if (wf_mem_read(&p->mem, &ts, a[2], sizeof(ts)))
			return -EFAULT;
		if (ts.sec < 0 || ts.nsec < 0 || ts.nsec >= 1000000000)
			return -EINVAL;
	}
	if (a[3] && a[4] != 8)
		return -EINVAL;
	struct g_pollfd *g = calloc(n ? n : 1, sizeof(*g));
	struct pollfd *h = calloc(n ? n : 1, sizeof(*h));
	int64_t rc = -ENOMEM;
	if (!g || !h)
		goto out;
	rc = -EFAULT;
	if (n && wf_mem_read(&p->mem, g, a[0], (uint64_t)n * sizeof(*g)))
		goto out;
	wf_signalfd_sync(p);
	int ready = 0;
	for (uint32_t i = 0; i < n; i++) {
		h[i] = (struct pollfd){.fd = -1, .events = g[i].events};
		g[i].revents = 0;
		if (g[i].fd < 0)
			continue;
		struct wf_fd *f = wf_fd_get(p, g[i].fd);
		if (!f)
			g[i].revents = G_POLLNVAL;
		else if (f->kind == WF_FD_OUTPUT)
			g[i].revents = g[i].events & G_POLLOUT;
		else
			h[i].fd = f->host_fd;
		ready += g[i].revents != 0;
	}
	struct timespec t0, host_ts = {ts.sec, ts.nsec};
	clock_gettime(CLOCK_MONOTONIC, &t0);
	bool coop = !ready && cooperate(p, has_tmo, &ts);
	bool sig = !ready && !coop && wf_proc_signalled(p);
	int r = ppoll(h, n, ready || coop || sig ? &(struct timespec){0, 0} : has_tmo ? &host_ts : NULL,
		      NULL);
	if ((r < 0 && errno == EINTR) || (sig && r == 0)) {
		rc = -WF_ERESTARTNOHAND;
		goto out;
	}
	if (r < 0) {
		rc = -errno;
		goto out;
	}
	if (coop && r == 0) {
		rc = wait_again(p, a[2], &ts);
		goto out;
	}
	ready = 0;
	for (uint32_t i = 0; i < n; i++) {
		if (h[i].fd >= 0)
			g[i].revents = h[i].revents;
		ready += g[i].revents != 0;
	}
	rc = -EFAULT;
	if (n && wf_mem_write(&p->mem, a[0], g, (uint64_t)n * sizeof(*g)))
		goto out;
	if (has_tmo)
		time_left(p, a[2], &ts, &t0);
	rc = ready;
out:
	free(g);
	free(h);
	return rc;
}

/*
 * pselect6(n, in, out, ex, tmo, sigmask-and-size): the sets become one host ppoll (host
 * fds may be past FD_SETSIZE), and its answers bits again as Linux's select sees them:
 * readable on POLLIN/HUP/ERR, writable on POLLOUT/ERR, exceptional on POLLPRI. A set
 * naming a closed fd is EBADF. The time left goes back to *tmo.
 */
static int64_t sys_pselect6(struct wf_proc *p, const uint64_t a[6])
{
	int32_t n = (int32_t)a[0];
	if (n < 0)
		return -EINVAL;
	if ((uint32_t)n > wf_fd_limit(p))
		n = (int32_t)wf_fd_limit(p); /* Linux: at most the fd table's size */
	if (n > G_POLL_MAX)
		n = G_POLL_MAX;
	size_t words = ((size_t)n + 63) / 64;
	uint64_t sets[3][G_POLL_MAX / 64] = {{0}};
	for (int k = 0; k < 3; k++)
		if (a[1 + k] && words && wf_mem_read(&p->mem, sets[k], a[1 + k], words * 8))
			return -EFAULT;
	struct g_timespec ts = {0};
	if (a[4]) {
		if (wf_mem_read(&p->mem, &ts, a[4], sizeof(ts)))
			return -EFAULT;
		if (ts.sec < 0 || ts.nsec < 0 || ts.nsec >= 1000000000)
			return -EINVAL;
	}
	struct pollfd *h = calloc((size_t)n + 1, sizeof(*h));
	int *gfd = calloc((size_t)n + 1, sizeof(*gfd));
	int64_t rc = -ENOMEM;
	unsigned m = 0;
	if (!h || !gfd)
		goto out;
	for (int32_t fd = 0; fd < n; fd++) {
		short ev = 0;
		uint64_t bit = 1ull << (fd % 64);
		ev |= (sets[0][fd / 64] & bit) ? POLLIN : 0;
		ev |= (sets[1][fd / 64] & bit) ? POLLOUT : 0;
		ev |= (sets[2][fd / 64] & bit) ? POLLPRI : 0;
		if (!ev)
			continue;
		struct wf_fd *f = wf_fd_get(p, fd);
		if (!f) {
			rc = -EBADF;
			goto out;
		}
		h[m] = (struct pollfd){.fd = f->kind == WF_FD_OUTPUT ? -1 : f->host_fd, .events = ev};
		if (f->kind == WF_FD_OUTPUT)
			h[m].revents = ev & POLLOUT; /* the printer is always writable */
		gfd[m++] = fd;
	}
	wf_signalfd_sync(p);
	bool early = false;
	for (unsigned i = 0; i < m; i++)
		early |= h[i].revents != 0;
	struct timespec t0, host_ts = {ts.sec, ts.nsec};
	clock_gettime(CLOCK_MONOTONIC, &t0);
	bool coop = !early && cooperate(p, a[4] != 0, &ts);
	bool sig = !early && !coop && wf_proc_signalled(p);
	int r = ppoll(h, m, early || coop || sig ? &(struct timespec){0, 0} : a[4] ? &host_ts : NULL,
		      NULL);
	if ((r < 0 && errno == EINTR) || (sig && r == 0)) {
		rc = -WF_ERESTARTNOHAND;
		goto out;
	}
	if (r < 0) {
		rc = -errno;
		goto out;
	}
	if (coop && r == 0) {
		rc = wait_again(p, a[4], &ts);
		goto out;
	}
	memset(sets, 0, sizeof(sets));
	int ready = 0;
	for (unsigned i = 0; i < m; i++) {
		if (h[i].fd < 0)
			h[i].revents = h[i].events & POLLOUT; /* the printer (ppoll cleared it) */
		short re = h[i].revents, ev = h[i].events;
		uint64_t bit = 1ull << (gfd[i] % 64);
		bool rd = (ev & POLLIN) && (re & (POLLIN | POLLHUP | POLLERR));
		bool wr = (ev & POLLOUT) && (re & (POLLOUT | POLLERR));
		bool ex = (ev & POLLPRI) && (re & POLLPRI);
		sets[0][gfd[i] / 64] |= rd ? bit : 0;
		sets[1][gfd[i] / 64] |= wr ? bit : 0;
		sets[2][gfd[i] / 64] |= ex ? bit : 0;
		ready += rd + wr + ex;
	}
	rc = -EFAULT;
	for (int k = 0; k < 3; k++)
		if (a[1 + k] && words && wf_mem_write(&p->mem, a[1 + k], sets[k], words * 8))
			goto out;
	if (a[4])
		time_left(p, a[4], &ts, &t0);
	rc = ready;
out:
	free(h);
	free(gfd);
	return rc;
}

const struct wf_syscall_def wf_sys_poll[] = {
	{WF_NR_ppoll, "ppoll", sys_ppoll, "pupxu"},
	{WF_NR_pselect6, "pselect6", sys_pselect6, "dppppp"},
	{0},
};
