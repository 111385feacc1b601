// SPDX-License-Identifier: Apache-2.0
/* filemap.c: guest file mappings served straight from the host file (no copy), and kept right across fork and reset. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "util.h"
#include "vm_internal.h"


/*
 * A file map is a range of guest RAM whose host pages are a MAP_PRIVATE mapping of a host
 * file laid over the RAM mapping (MAP_FIXED), so the guest reads the page cache itself and
 * KVM's stage 2 follows the change through its MMU notifier. Only ranges the guest cannot
 * write are mapped this way: giving a range write access (mprotect), or writing it from the
 * host, first turns it back into RAM with the same contents ("materialise"), and giving it
 * fresh pages (mmap over it, MADV_DONTNEED) turns it back without them ("drop"). So a file
 * map is never written, and its pages always equal the file.
 *
 * The master keeps its file maps (with an fd each, to lay them again). A fork starts with
 * the master's and may drop some or add its own; a reset lays the master's again and drops
 * the fork's own, before dirty pages are copied back.
 */

/* Put RAM back under [addr, addr+len): the VM's own file, or in a fork the master's
 * copy-on-write (marked dirty: the reset copies the master's view back). */
static int back_with_ram(struct wf_vm *vm, wf_gaddr_t addr, uint64_t len)
{
	int memfd = vm->fork.is_fork ? vm->fork.master->fork.memfd : vm->fork.memfd;
	int share = vm->fork.is_fork || vm->procs.ram_private ? MAP_PRIVATE : MAP_SHARED;
	if (mmap(vm->ram + addr, len, PROT_READ | PROT_WRITE, share | MAP_FIXED | MAP_NORESERVE,
		 memfd, (off_t)addr) == MAP_FAILED)
		return -errno;
	if (vm->fork.is_fork)
		wf_mem_mark_dirty(&vm->proc.mem, addr, len);
	return 0;
}

static int lay(uint8_t *ram, const struct wf_filemap *m, int prot)
{
	return mmap(ram + m->start, m->len, prot, MAP_PRIVATE | MAP_FIXED, m->fd,
		    (off_t)m->off) == MAP_FAILED ? -errno : 0;
}

static int grow(struct wf_vm *vm)
{
	if (vm->fmap.n < vm->fmap.cap)
		return 0;
	unsigned cap = vm->fmap.cap ? vm->fmap.cap * 2 : 16;
	struct wf_filemap *n = realloc(vm->fmap.list, cap * sizeof(*n));
	if (!n)
		return -ENOMEM;
	vm->fmap.list = n;
	vm->fmap.cap = cap;
	return 0;
}

int wf_filemap_add(struct wf_vm *vm, wf_gaddr_t addr, uint64_t len, int fd, uint64_t off)
{
	if (vm->fork.is_master || vm->fmap.n >= WF_FILEMAP_MAX || grow(vm))
		return -ENOMEM;
	/* Only the master needs the file again (to lay it in each fork); a fork's own maps
	 * are dropped at its reset. */
	int own = -1;
	if (!vm->fork.is_fork && (own = fcntl(fd, F_DUPFD_CLOEXEC, 3)) < 0)
		return -errno;
	struct wf_filemap m = {.start = addr, .len = len, .off = off, .fd = own, .is_fork_own =
			       vm->fork.is_fork};
	int rc = wf_filemap_drop(vm, addr, len, false);
	if (!rc)
		rc = lay(vm->ram, &(struct wf_filemap){.start = addr, .len = len, .off = off,
						       .fd = fd}, PROT_READ | PROT_WRITE);
	if (rc) {
		if (own >= 0)
			close(own);
		return rc;
	}
	vm->fmap.list[vm->fmap.n++] = m;
	vm->fmap.pages += len / WF_PAGE_SIZE;
	vm->fmap.changed = true;
	return 0;
}

/* Remove [start, end) from map i, keeping what lies outside it; a split puts the tail in a
 * new entry, whose room (and, outside forks, fd) the caller reserved: it cannot fail. */
static void cut(struct wf_vm *vm, unsigned i, wf_gaddr_t start, wf_gaddr_t end, int tail_fd)
{
	struct wf_filemap *m = &vm->fmap.list[i];
	wf_gaddr_t mend = m->start + m->len;
	if (start > m->start && end < mend) {
		struct wf_filemap tail = *m;
		tail.start = end;
		tail.len = mend - end;
		tail.off = m->off + (end - m->start);
		if (!vm->fork.is_fork)
			tail.fd = tail_fd;
		vm->fmap.list[vm->fmap.n++] = tail;
		m->len = start - m->start;
	} else if (start > m->start) {
		m->len = start - m->start;
	} else if (end < mend) {
		m->off += end - m->start;
		m->start = end;
		m->len = mend - end;
	} else {
		if (m->fd >= 0 && !vm->fork.is_fork) /* a fork's fds are its master's */
			close(m->fd);
		vm->fmap.list[i] = vm->fmap.list[--vm->fmap.n];
	}
}

int wf_filemap_drop(struct wf_vm *vm, wf_gaddr_t addr, uint64_t len, bool keep)
{
	wf_gaddr_t end = addr + len;
	for (unsigned i = 0; i < vm->fmap.n;) {
		struct wf_filemap *m = &vm->fmap.list[i];
		wf_gaddr_t s = m->start > addr ? m->start : addr;
		wf_gaddr_t t = m->start + m->len < end ? m->start + m->len : end;
		if (s >= t) {
			i++;
			continue;
		}
		if (vm->fork.is_master)
			return -EPERM; /* the master is never written */
		/* A cut inside the map splits it: reserve the new entry before changing anything. */
		int tail_fd = -1;
		if (s > m->start && t < m->start + m->len) {
			if (grow(vm))
				return -ENOMEM;
			m = &vm->fmap.list[i];
			if (!vm->fork.is_fork && (tail_fd = fcntl(m->fd, F_DUPFD_CLOEXEC, 3)) < 0)
				return -errno;
		}
		/* Keep the contents (the range becomes writable): copy them out and back. */
		uint8_t *save = NULL;
		if (keep) {
			if (!(save = malloc(t - s))) {
				if (tail_fd >= 0)
					close(tail_fd);
				return -ENOMEM;
			}
			memcpy(save, vm->ram + s, t - s);
		}
		int rc = back_with_ram(vm, s, t - s);
		if (!rc && save) {
			memcpy(vm->ram + s, save, t - s);
			wf_mem_mark_dirty(&vm->proc.mem, s, t - s);
		}
		free(save);
		if (rc) {
			if (tail_fd >= 0)
				close(tail_fd);
			return rc;
		}
		unsigned before = vm->fmap.n;
		cut(vm, i, s, t, tail_fd);
		vm->fmap.pages -= (t - s) / WF_PAGE_SIZE;
		vm->fmap.changed = true;
		/* Entry i was cut in place (look at it again) or replaced by the last one. */
		if (vm->fmap.n >= before)
			i++;
	}
	return 0;
}

/* wf_vm_make_master just remapped RAM read-only: lay the file maps over it again. */
int wf_filemap_master(struct wf_vm *vm)
{
	for (unsigned i = 0; i < vm->fmap.n; i++) {
		int rc = lay(vm->ram, &vm->fmap.list[i], PROT_READ);
		if (rc)
			return rc;
	}
	return 0;
}

int wf_filemap_relay(struct wf_vm *vm)
{
	for (unsigned i = 0; i < vm->fmap.n; i++) {
		int rc = lay(vm->ram, &vm->fmap.list[i], PROT_READ | PROT_WRITE);
		if (rc)
			return rc;
	}
	return 0;
}

/* Lay the master's file maps in fork (at its creation and at a reset that needs it). */
static int lay_master_maps(struct wf_vm *vm)
{
	const struct wf_vm *m = vm->fork.master;
	if (m->fmap.n > vm->fmap.cap) {
		struct wf_filemap *n = realloc(vm->fmap.list, m->fmap.n * sizeof(*n));
		if (!n)
			return -ENOMEM;
		vm->fmap.list = n;
		vm->fmap.cap = m->fmap.n;
	}
	for (unsigned i = 0; i < m->fmap.n; i++) {
		int rc = lay(vm->ram, &m->fmap.list[i], PROT_READ | PROT_WRITE);
		if (rc)
			return rc;
		vm->fmap.list[i] = m->fmap.list[i]; /* the fd stays the master's */
	}
	vm->fmap.n = m->fmap.n;
	vm->fmap.pages = m->fmap.pages;
	vm->fmap.changed = false;
	return 0;
}

int wf_filemap_fork(struct wf_vm *vm)
{
	return lay_master_maps(vm);
}

/*
 * Before a fork's dirty pages are copied back: if its file maps changed, drop its own (RAM
 * again, marked dirty) and lay the master's again. Pages of the master's maps that were
 * dropped in this fork were marked dirty then; copying the master's view over them is right.
 */
int wf_filemap_reset(struct wf_vm *vm)
{
	if (!vm->fmap.changed)
		return 0;
	for (unsigned i = 0; i < vm->fmap.n; i++) {
		const struct wf_filemap *m = &vm->fmap.list[i];
		if (m->is_fork_own) {
			int rc = back_with_ram(vm, m->start, m->len);
			if (rc)
				return rc;
		}
	}
	return lay_master_maps(vm);
}

void wf_filemap_fini(struct wf_vm *vm)
{
	for (unsigned i = 0; i < vm->fmap.n; i++)
		if (vm->fmap.list[i].fd >= 0 && !vm->fork.is_fork)
			close(vm->fmap.list[i].fd);
	free(vm->fmap.list);
	vm->fmap.list = NULL;
	vm->fmap.n = vm->fmap.cap = 0;
}

uint64_t wf_vm_file_pages(const struct wf_vm *vm)
{
	return vm->fmap.pages;
}
