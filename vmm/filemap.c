// SPDX-License-Identifier: Apache-2.0
/* filemap.c: guest file mappings served straight from the host file (no copy), and kept right across fork and reset. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
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
 *
 * A guest MAP_SHARED mapping of a regular file is a shared map: laid MAP_SHARED, the guest
 * (and the VMM for it) writes the page cache, so read(2), write(2) and other processes see
 * the same bytes, as on Linux. Making it writable keeps it in place; a guest fork keeps it
 * shared (its host fork does, and relay lays it shared again). Each keeps an fd of its own
 * (mremap lays the file again). A VM becoming a master turns its shared maps into RAM first:
 * the master is never written, and its forks each see a private copy. Pages past the end of
 * the file raise SIGBUS on Linux: the accessor refuses them (wf_mem.check, -EFAULT), and KVM
 * fails the run with EFAULT when the guest touches one (vm.c: the guest dies of SIGBUS).
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
	/* A shared map of a file open read-only is laid read-only (the guest's page tables
	 * agree: mprotect cannot make it writable). */
	if (m->shared && (fcntl(m->fd, F_GETFL) & O_ACCMODE) != O_RDWR)
		prot &= ~PROT_WRITE;
	return mmap(ram + m->start, m->len, prot, (m->shared ? MAP_SHARED : MAP_PRIVATE) | MAP_FIXED,
		    m->fd, (off_t)m->off) == MAP_FAILED ? -errno : 0;
}

/* Whether m's fd is this VM's to close: a fork's copies of its master's maps use the master's. */
static bool owns_fd(const struct wf_vm *vm, const struct wf_filemap *m)
{
	return m->fd >= 0 && (!vm->fork.is_fork || m->is_fork_own);
}

/* The accessor's check (wf_mem.check) while shared maps exist: RAM [off, off+len) reaches no
 * page of a shared map past the end of its file (touching it would be SIGBUS in the VMM). */
static int shared_in_file(void *ctx, uint64_t off, uint64_t len)
{
	const struct wf_vm *vm = ctx;
	for (unsigned i = 0; len && i < vm->fmap.n; i++) {
		const struct wf_filemap *m = &vm->fmap.list[i];
		if (!m->shared || off >= m->start + m->len || off + len <= m->start)
			continue;
		uint64_t last = (off + len < m->start + m->len ? off + len : m->start + m->len) - 1;
		struct stat st;
		if (fstat(m->fd, &st))
			return -EFAULT;
		uint64_t page = (last - m->start) / WF_PAGE_SIZE * WF_PAGE_SIZE + m->off;
		if ((uint64_t)st.st_size <= page)
			return -EFAULT;
	}
	return 0;
}

static void count_shared(struct wf_vm *vm, int delta)
{
	vm->fmap.nshared += (unsigned)delta;
	vm->proc.mem.check = vm->fmap.nshared ? shared_in_file : NULL;
	vm->proc.mem.check_ctx = vm;
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

int wf_filemap_add(struct wf_vm *vm, wf_gaddr_t addr, uint64_t len, int fd, uint64_t off,
		   bool shared)
{
	if (vm->fork.is_master || vm->fmap.n >= WF_FILEMAP_MAX || grow(vm))
		return -ENOMEM;
	/* Only the master needs the file again (to lay it in each fork); a fork's own maps
	 * are dropped at its reset, unless shared (mremap lays them again). */
	int own = -1;
	if ((!vm->fork.is_fork || shared) && (own = fcntl(fd, F_DUPFD_CLOEXEC, 3)) < 0)
		return -errno;
	struct wf_filemap m = {.start = addr, .len = len, .off = off, .fd = own, .is_fork_own =
			       vm->fork.is_fork, .shared = shared};
	int rc = wf_filemap_drop(vm, addr, len, WF_FMAP_FRESH);
	if (!rc)
		rc = lay(vm->ram, &(struct wf_filemap){.start = addr, .len = len, .off = off,
						       .fd = fd, .shared = shared},
			 PROT_READ | PROT_WRITE);
	if (rc) {
		if (own >= 0)
			close(own);
		return rc;
	}
	vm->fmap.list[vm->fmap.n++] = m;
	vm->fmap.pages += len / WF_PAGE_SIZE;
	vm->fmap.changed = true;
	if (shared)
		count_shared(vm, 1);
	return 0;
}

int wf_filemap_remap(struct wf_vm *vm, wf_gaddr_t from, wf_gaddr_t to, uint64_t len)
{
	for (unsigned i = 0; i < vm->fmap.n; i++) {
		const struct wf_filemap *m = &vm->fmap.list[i];
		if (!m->shared || from < m->start || from >= m->start + m->len)
			continue;
		/* The new map takes a copy of the fd: the old one may be dropped meanwhile. */
		int fd = fcntl(m->fd, F_DUPFD_CLOEXEC, 3);
		if (fd < 0)
			return -errno;
		int rc = wf_filemap_add(vm, to, len, fd, m->off + (from - m->start), true);
		close(fd);
		return rc;
	}
	return -ENOENT;
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
		if (owns_fd(vm, m))
			tail.fd = tail_fd;
		if (tail.shared)
			count_shared(vm, 1);
		vm->fmap.list[vm->fmap.n++] = tail;
		m->len = start - m->start;
	} else if (start > m->start) {
		m->len = start - m->start;
	} else if (end < mend) {
		m->off += end - m->start;
		m->start = end;
		m->len = mend - end;
	} else {
		if (owns_fd(vm, m))
			close(m->fd);
		if (m->shared)
			count_shared(vm, -1);
		vm->fmap.list[i] = vm->fmap.list[--vm->fmap.n];
	}
}

int wf_filemap_drop(struct wf_vm *vm, wf_gaddr_t addr, uint64_t len, enum wf_fmap_drop how)
{
	wf_gaddr_t end = addr + len;
	for (unsigned i = 0; i < vm->fmap.n;) {
		struct wf_filemap *m = &vm->fmap.list[i];
		wf_gaddr_t s = m->start > addr ? m->start : addr;
		wf_gaddr_t t = m->start + m->len < end ? m->start + m->len : end;
		if (s >= t || (how == WF_FMAP_WRITE && m->shared) || (how == WF_FMAP_UNMAP && !m->shared)) {
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
			if (owns_fd(vm, m) && (tail_fd = fcntl(m->fd, F_DUPFD_CLOEXEC, 3)) < 0)
				return -errno;
		}
		/* Keep the contents (the range becomes writable): copy them out and back. */
		uint8_t *save = NULL;
		if (how == WF_FMAP_KEEP || how == WF_FMAP_WRITE) {
			if (!(save = malloc(t - s))) {
				if (tail_fd >= 0)
					close(tail_fd);
				return -ENOMEM;
			}
			/* A shared map's pages past the end of its file would be SIGBUS here. */
			ssize_t got = m->shared ? pread(m->fd, save, t - s, (off_t)(m->off + (s - m->start)))
						: (memcpy(save, vm->ram + s, t - s), (ssize_t)(t - s));
			if (got < 0)
				got = 0;
			memset(save + got, 0, t - s - (uint64_t)got);
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

int wf_filemap_unshare(struct wf_vm *vm)
{
	for (unsigned i = 0; i < vm->fmap.n;) {
		const struct wf_filemap *m = &vm->fmap.list[i];
		if (!m->shared) {
			i++;
			continue;
		}
		int rc = wf_filemap_drop(vm, m->start, m->len, WF_FMAP_KEEP); /* entry i goes */
		if (rc)
			return rc;
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
			if (owns_fd(vm, m))
				close(m->fd);
			vm->fmap.list[i].fd = -1;
		}
	}
	if (vm->fmap.nshared)
		count_shared(vm, -(int)vm->fmap.nshared);
	return lay_master_maps(vm);
}

void wf_filemap_fini(struct wf_vm *vm)
{
	for (unsigned i = 0; i < vm->fmap.n; i++)
		if (owns_fd(vm, &vm->fmap.list[i]))
			close(vm->fmap.list[i].fd);
	if (vm->fmap.nshared)
		count_shared(vm, -(int)vm->fmap.nshared);
	free(vm->fmap.list);
	vm->fmap.list = NULL;
	vm->fmap.n = vm->fmap.cap = 0;
}

uint64_t wf_vm_file_pages(const struct wf_vm *vm)
{
	return vm->fmap.pages;
}
