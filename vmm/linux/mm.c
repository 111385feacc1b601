// SPDX-License-Identifier: Apache-2.0
/* mm.c: the memory syscall family: brk, mmap, munmap, mprotect, mremap, madvise over guest VMAs. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"
#include "linux/mm.h"
#include "linux/vma.h"
#include "linux/syscall.h"


#define PAGE_UP(x) (((x) + WF_PAGE_SIZE - 1) & ~(WF_PAGE_SIZE - 1))

static bool page_up(uint64_t len, uint64_t *out)
{
	if (len > UINT64_MAX - (WF_PAGE_SIZE - 1))
		return false;
	*out = PAGE_UP(len);
	return true;
}

/*
 * Guest addresses are either in one of p->mem's RAM windows (the low part of the address
 * space, and the stack's window high in it), where a page is always the same RAM page, or
 * demand-paged: a page there gets RAM (a frame, from the pool the VM set aside: frame_*)
 * when it is first touched, by the guest (wf_mm_fault) or the host (wf_mm_touch), and gives
 * it back when unmapped. Mappings that reserve much and touch little (a sanitizer's shadow)
 * so cost only what they touch.
 */

/* Whether cur lies in a RAM window; *next: where that stops being so (at most end). */
static bool in_window(const struct wf_proc *p, wf_gaddr_t cur, wf_gaddr_t end, wf_gaddr_t *next)
{
	const struct wf_mem *m = &p->mem;
	const wf_gaddr_t b[4] = {m->base, m->base + m->size, m->win_va, m->win_va + m->win_len};
	bool win = (cur >= b[0] && cur < b[1]) || (m->win_len && cur >= b[2] && cur < b[3]);
	*next = end;
	for (int i = 0; i < 4; i++)
		if (b[i] > cur && b[i] < *next)
			*next = b[i];
	return win;
}

/* A free RAM page for a demand-paged page, zeroed; -ENOMEM when the pool is used up. */
static int frame_get(struct wf_proc *p, uint64_t *off)
{
	uint64_t f;
	uint8_t *page;
	if (p->frame_free) {
		f = p->frame_free;
		/* A free page holds the offset of the next one. */
		if (!(page = wf_mem_ram(&p->mem, f, WF_PAGE_SIZE, false)))
			return -EFAULT;
		memcpy(&p->frame_free, page, sizeof(f));
	} else if (p->frame_next < p->frame_end) {
		f = p->frame_next;
		p->frame_next += WF_PAGE_SIZE;
	} else {
		p->mem_exhausted = true;
		return -ENOMEM;
	}
	/* Written from the host (marked dirty): a reset restores it. */
	if (!(page = wf_mem_ram(&p->mem, f, WF_PAGE_SIZE, true)))
		return -EFAULT;
	memset(page, 0, WF_PAGE_SIZE);
	p->frames++;
	*off = f;
	return 0;
}

static void frame_put(struct wf_proc *p, uint64_t f)
{
	uint8_t *page = wf_mem_ram(&p->mem, f, WF_PAGE_SIZE, true);
	if (!page)
		return; /* not a page of RAM: never pooled */
	memcpy(page, &p->frame_free, sizeof(p->frame_free));
	p->frame_free = f;
	p->frames--;
}

/* The pages of demand-paged [start, end) that have RAM: to prot, or (0) unmapped and freed. */
static int sparse_prot(struct wf_proc *p, wf_gaddr_t start, wf_gaddr_t end, unsigned prot)
{
	if (!p->mmu->next_page)
		return 0; /* nothing can be mapped there */
	uint64_t off;
	for (wf_gaddr_t va = p->mmu->next_page(p->mmu_ctx, start, end, &off); va < end;
	     va = p->mmu->next_page(p->mmu_ctx, va + WF_PAGE_SIZE, end, &off)) {
		int rc = p->mmu->map_page(p->mmu_ctx, va, off, prot);
		if (rc)
			return rc;
		if (!prot)
			frame_put(p, off);
	}
	return 0;
}

/* Update the accessor's view and the CPU's page tables together. */
static int set_prot(struct wf_proc *p, wf_gaddr_t addr, uint64_t len, unsigned prot)
{
	p->prot_changed = true;
	wf_gaddr_t end = addr + len, next;
	for (wf_gaddr_t cur = addr; cur < end; cur = next) {
		int rc;
		if (in_window(p, cur, end, &next)) {
			uint64_t off;
			if (p->mem.prot && !wf_mem_offset(&p->mem, cur, next - cur, &off))
				memset(p->mem.prot + off / WF_PAGE_SIZE, (int)prot, (next - cur) / WF_PAGE_SIZE);
			rc = p->mmu->protect(p->mmu_ctx, cur, next - cur, prot);
		} else {
			rc = sparse_prot(p, cur, next, prot);
		}
		if (rc)
			return rc;
	}
	return 0;
}

/* Fresh zero pages for [addr, addr+len): demand-paged pages just lose their RAM. */
static int zero(struct wf_proc *p, wf_gaddr_t addr, uint64_t len)
{
	wf_gaddr_t end = addr + len, next;
	for (wf_gaddr_t cur = addr; cur < end; cur = next) {
		int rc = in_window(p, cur, end, &next) ?
				 p->mmu->zero(p->mmu_ctx, cur, next - cur) :
				 sparse_prot(p, cur, next, 0);
		if (rc)
			return rc;
	}
	return 0;
}

int wf_mm_map_fixed(struct wf_proc *p, wf_gaddr_t start, uint64_t len, unsigned prot, int flags)
{
	wf_gaddr_t end = start + len;
	int rc = wf_vma_carve(p, start, end, -1);
	if (rc)
		return rc;
	/* Joining a neighbour takes no new slot, so it works at the mapping limit too. */
	struct wf_vma v = {.start = start, .end = end, .prot = prot, .flags = flags};
	unsigned i = wf_vma_find(p, start);
	if (i > 0 && wf_vma_mergeable(&p->vmas[i - 1], &v)) {
		p->vmas[i - 1].end = end;
		wf_vma_merge(p, i, i);
	} else if (i < p->nvmas && wf_vma_mergeable(&v, &p->vmas[i])) {
		p->vmas[i].start = start;
	} else {
		rc = wf_vma_insert_at(p, i, v);
	}
	if (rc) {
		/* The old mappings there are gone (as a failed MAP_FIXED may leave them on
		 * Linux): their pages go too, so the page tables agree with the VMA list. */
		set_prot(p, start, len, 0);
		return rc;
	}
	rc = zero(p, start, len);
	return rc ? rc : set_prot(p, start, len, prot);
}

/* Inside the user range, and in RAM windows unless demand paging is there. */
static bool in_user_range(const struct wf_proc *p, wf_gaddr_t start, uint64_t len)
{
	wf_gaddr_t end, next;
	if (__builtin_add_overflow(start, len, &end) || start < p->mmap_min || end > p->user_top)
		return false;
	if (p->mmu->next_page)
		return true;
	for (wf_gaddr_t cur = start; cur < end; cur = next)
		if (!in_window(p, cur, end, &next))
			return false;
	return true;
}

/* The whole of [start, start+len) is in one RAM window (not demand-paged). */
static bool all_window(const struct wf_proc *p, wf_gaddr_t start, uint64_t len)
{
	uint64_t off;
	return !wf_mem_offset(&p->mem, start, len, &off);
}

int wf_mm_touch(struct wf_proc *p, wf_gaddr_t va, unsigned prot, uint64_t *off)
{
	wf_gaddr_t page = va & ~(WF_PAGE_SIZE - 1), next;
	if (!p->mmu->next_page || page > UINT64_MAX - WF_PAGE_SIZE || in_window(p, page, page + WF_PAGE_SIZE, &next))
		return -EFAULT;
	unsigned i = wf_vma_find(p, page);
	if (i >= p->nvmas || p->vmas[i].start > page || (p->vmas[i].prot & prot) != prot ||
	    !p->vmas[i].prot)
		return -EFAULT;
	if (p->mmu->next_page(p->mmu_ctx, page, page + WF_PAGE_SIZE, off) == page)
		return 0;
	int rc = frame_get(p, off);
	if (rc)
		return rc;
	if ((rc = p->mmu->map_page(p->mmu_ctx, page, *off, p->vmas[i].prot)))
		frame_put(p, *off);
	return rc;
}

/*
 * Whether a file's pages can be served to the guest straight from the host file: a regular
 * file the guest can neither write nor shrink. A host file mapping raises SIGBUS (in the
 * VMM, or KVM's -EFAULT) at pages past a truncated end, so the file must not be reachable
 * for writing: not opened under --allow-write, and on no filesystem that has a writable
 * allowed directory (a hard link or a bind mount could reach it from there).
 */
static bool file_is_stable(const struct wf_proc *p, const struct wf_fd *f, const struct stat *st)
{
	if (f->writable || !S_ISREG(st->st_mode))
		return false;
	for (unsigned i = 0; i < p->nallow; i++) {
		struct stat d;
		if (p->allow[i].write && (fstat(p->allow[i].dirfd, &d) || d.st_dev == st->st_dev))
			return false;
	}
	return true;
}

/* Mappings below this are copied: a host mapping costs more than a small copy. */
#define FILE_MAP_MIN (16 * WF_PAGE_SIZE)

/*
 * Fill a fresh private file mapping [start, start+len) from file offset off. Past the end of
 * the file it stays zero. A large one the guest cannot write (PROT_WRITE) from a stable file
 * is served from the host file itself (vmm/filemap.c); otherwise the file is copied in.
 */
static int map_file(struct wf_proc *p, struct wf_fd *f, wf_gaddr_t start, uint64_t len,
		    unsigned prot, uint64_t off, bool shared)
{
	/* A shared mapping is the file itself, its pages past the end too (SIGBUS, as Linux):
	 * no copy can stand in for it. */
	if (shared)
		return p->mmu->map_file ? p->mmu->map_file(p->mmu_ctx, start, len, f->host_fd, off, true)
					: -ENODEV;
	struct stat st;
	if (fstat(f->host_fd, &st))
		return -errno;
	uint64_t in_file = (uint64_t)st.st_size > off ? (uint64_t)st.st_size - off : 0;
	if (in_file > len)
		in_file = len;
	uint64_t pages = PAGE_UP(in_file);
	if (!(prot & WF_PROT_WRITE) && pages >= FILE_MAP_MIN && p->mmu->map_file &&
	    file_is_stable(p, f, &st) &&
	    p->mmu->map_file(p->mmu_ctx, start, pages, f->host_fd, off, false) == 0)
		return 0;
	uint64_t at;
	if (wf_mem_offset(&p->mem, start, len, &at))
		return -ENOMEM; /* file mappings live in RAM windows, never demand-paged */
	/* The VMM fills the fresh mapping whatever its protection (prot 0 asks for none). */
	uint8_t *dst = wf_mem_ptr(&p->mem, start, len, 0);
	if (!dst)
		return -EFAULT;
	uint64_t done = 0;
	while (done < len) {
		ssize_t n = pread(f->host_fd, dst + done, len - done, (off_t)(off + done));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			break;
		done += (uint64_t)n;
	}
	/* Written from the host: a fork reset must put these pages back. */
	wf_mem_mark_dirty(&p->mem, start, done);
	return 0;
}

static int64_t do_mmap(struct wf_proc *p, wf_gaddr_t addr, uint64_t len, unsigned prot,
		       int flags, int64_t fd, uint64_t off)
{
	/* Linux's order (found by fuzz_syscalls): the offset (arm64's sys_mmap), the fd
	 * (ksys_mmap_pgoff), the length, then the mapping type (do_mmap). */
	int type = flags & G_MAP_TYPE;
	if (off % WF_PAGE_SIZE)
		return -EINVAL;
	struct wf_fd *f = NULL;
	if (!(flags & G_MAP_ANONYMOUS)) {
		f = wf_fd_get(p, fd);
		if (!f || f->kind != WF_FD_HOST)
			return -EBADF;
	}
	if (flags & G_MAP_HUGETLB)
		return -EINVAL;
	if (!len)
		return -EINVAL;
	if (!page_up(len, &len))
		return -ENOMEM;
	if (len > p->user_top)
		return -ENOMEM; /* more than the address space: not a lack of memory */
	if (type != G_MAP_SHARED && type != G_MAP_PRIVATE && type != G_MAP_SHARED_VALIDATE)
		return -EINVAL;
	/* mmap, unlike mprotect, ignores PROT bits it does not know (found by fuzz_syscalls). */
	prot &= G_PROT_MASK;
	flags &= ~G_VMA_NOMAYWRITE;
	if (f) {
		if (f->is_dir)
			return -ENODEV;
		/* Linux's do_mmap: a shared writable mapping needs a descriptor open for writing,
		 * any mapping one open for reading. */
		if (type != G_MAP_PRIVATE && (prot & WF_PROT_WRITE) && (f->flags & 3) != 2 /* O_RDWR */)
			return -EACCES;
		if ((f->flags & 3) == 1 /* O_WRONLY */)
			return -EACCES;
		/* Pipes and sockets have no mmap operation; shared mappings are emulated for
		 * regular files only (a device's would need its own sharing across forks). */
		struct stat st;
		if (fstat(f->host_fd, &st))
			return -errno;
		if (S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode) ||
		    (type != G_MAP_PRIVATE && !S_ISREG(st.st_mode)))
			return -ENODEV;
		if (type != G_MAP_PRIVATE && (f->flags & 3) != 2)
			flags |= G_VMA_NOMAYWRITE;
	}

	wf_gaddr_t start;
	if (flags & (G_MAP_FIXED | G_MAP_FIXED_NOREPLACE)) {
		if (addr % WF_PAGE_SIZE)
			return -EINVAL;
		if (!in_user_range(p, addr, len))
			return addr < p->mmap_min ? -EPERM : -ENOMEM;
		if ((flags & G_MAP_FIXED_NOREPLACE) && !(flags & G_MAP_FIXED) &&
		    !wf_range_free(p, addr, addr + len))
			return -EEXIST;
		start = addr;
	} else {
		addr &= ~(WF_PAGE_SIZE - 1);
		if (addr && in_user_range(p, addr, len) && wf_range_free(p, addr, addr + len) &&
		    (!f || all_window(p, addr, len)))
			start = addr;
		else if (!(start = wf_find_gap(p, len, !f && (flags & G_MAP_NORESERVE))))
			return (p->mem_exhausted = true), -ENOMEM;
		else if (f && !all_window(p, start, len))
			return (p->mem_exhausted = true), -ENOMEM; /* files: the low window only */
	}
	int rc = wf_mm_map_fixed(p, start, len, prot, flags);
	if (rc)
		return rc;
	if (f && (rc = map_file(p, f, start, len, prot, off, type != G_MAP_PRIVATE))) {
		wf_mm_unmap(p, start, len);
		return rc;
	}
	return (int64_t)start;
}

int wf_mm_unmap(struct wf_proc *p, wf_gaddr_t start, uint64_t len)
{
	int rc = wf_vma_carve(p, start, start + len, -1);
	if (!rc && p->mmu->unmapped)
		p->mmu->unmapped(p->mmu_ctx, start, len);
	return rc ? rc : set_prot(p, start, len, 0);
}

static int64_t sys_mmap(struct wf_proc *p, const uint64_t a[6])
{
	return do_mmap(p, a[0], a[1], (unsigned)a[2], (int)a[3], (int64_t)(int32_t)a[4], a[5]);
}

/* arm64 Linux's TASK_SIZE with 48-bit virtual addresses: where its munmap says EINVAL. */
#define G_TASK_SIZE (1ull << 48)

static int64_t sys_munmap(struct wf_proc *p, const uint64_t a[6])
{
	uint64_t start = a[0], len, end;
	if (start % WF_PAGE_SIZE || !a[1] || !page_up(a[1], &len) ||
	    __builtin_add_overflow(start, len, &end) || end > G_TASK_SIZE) {
		/* Linux: misaligned or empty is EINVAL; a range past arm64's 48-bit user space
		 * too. Below mmap_min_addr and above the guest's user_top nothing is mapped: 0
		 * (found by fuzz_syscalls). */
		return -EINVAL;
	}
	if (end > p->user_top)
		end = p->user_top;
	if (end <= p->mmap_min || end <= start)
		return 0;
	if (start < p->mmap_min)
		start = p->mmap_min;
	return wf_mm_unmap(p, start, end - start);
}

static int64_t sys_mprotect(struct wf_proc *p, const uint64_t a[6])
{
	uint64_t start = a[0], len;
	unsigned prot = (unsigned)a[2];
	/* Linux's order (found by fuzz_syscalls): alignment, an empty range (0), wrap-around,
	 * then the PROT bits (arm64 also knows PROT_SEM, ignored). */
	if (start % WF_PAGE_SIZE)
		return -EINVAL;
	if (!a[1])
		return 0;
	if (!page_up(a[1], &len))
		return -ENOMEM;
	if (prot & ~(G_PROT_MASK | 0x8u /* PROT_SEM */ | 0x01000000u /* PROT_GROWSDOWN */ |
		     0x02000000u))
		return -EINVAL;
	prot &= G_PROT_MASK;
	if (!in_user_range(p, start, len) || !wf_range_mapped(p, start, start + len))
		return -ENOMEM;
	if (prot & WF_PROT_WRITE)
		for (unsigned i = wf_vma_find(p, start); i < p->nvmas && p->vmas[i].start < start + len; i++)
			if (p->vmas[i].flags & G_VMA_NOMAYWRITE)
				return -EACCES;
	int rc = wf_vma_carve(p, start, start + len, (int)prot);
	return rc ? rc : set_prot(p, start, len, prot);
}

/* A MAP_SHARED mapping of a file (its pages are the file's, kept when moved or advised). */
static bool shared_file(const struct wf_vma *v)
{
	return (v->flags & G_MAP_TYPE) != G_MAP_PRIVATE && !(v->flags & G_MAP_ANONYMOUS);
}

static int64_t sys_brk(struct wf_proc *p, const uint64_t a[6])
{
	wf_gaddr_t want = a[0];
	if (want < p->brk_start || want > p->brk_max)
		return (int64_t)p->brk_cur;
	wf_gaddr_t old_end = PAGE_UP(p->brk_cur), new_end = PAGE_UP(want);
	if (new_end > old_end) {
		if (!wf_range_free(p, old_end, new_end) ||
		    wf_mm_map_fixed(p, old_end, new_end - old_end, WF_PROT_READ | WF_PROT_WRITE,
				    G_MAP_PRIVATE | G_MAP_ANONYMOUS)) {
			p->mem_exhausted = true; /* the heap ran into a mapping */
			return (int64_t)p->brk_cur;
		}
	} else if (new_end < old_end) {
		wf_mm_unmap(p, new_end, old_end - new_end);
	}
	p->brk_cur = want;
	return (int64_t)want;
}

/* Lay the file of the shared mapping at `from` over [to, to+len) (its offset at from). */
static int remap_shared(struct wf_proc *p, wf_gaddr_t from, wf_gaddr_t to, uint64_t len)
{
	int rc = p->mmu->remap_file ? p->mmu->remap_file(p->mmu_ctx, from, to, len) : -ENOENT;
	return rc == -ENOENT ? -EFAULT : rc;
}

static int64_t sys_mremap(struct wf_proc *p, const uint64_t a[6])
{
	wf_gaddr_t old = a[0], target = a[4];
	uint64_t old_len, new_len;
	int flags = (int)a[3];
	if (old % WF_PAGE_SIZE || flags & ~(G_MREMAP_MAYMOVE | G_MREMAP_FIXED | G_MREMAP_DONTUNMAP))
		return -EINVAL;
	if ((flags & G_MREMAP_FIXED) && !(flags & G_MREMAP_MAYMOVE))
		return -EINVAL;
	if (flags & G_MREMAP_DONTUNMAP)
		return -EINVAL; /* not emulated; documented */
	if (!page_up(a[1], &old_len) || !page_up(a[2], &new_len) || !new_len)
		return -EINVAL;
	if (!old_len || !in_user_range(p, old, old_len) || !wf_range_mapped(p, old, old + old_len))
		return -EFAULT;
	unsigned i = wf_vma_find(p, old);
	struct wf_vma v = p->vmas[i];
	if (old + old_len > v.end)
		return -EFAULT; /* must lie within one mapping */

	if (!(flags & G_MREMAP_FIXED)) {
		if (new_len <= old_len) {
			if (new_len < old_len)
				wf_mm_unmap(p, old + new_len, old_len - new_len);
			return (int64_t)old;
		}
		/* Grow in place when the pages after it are free (a shared file mapping: in the
		 * RAM window its file is laid in). */
		if (in_user_range(p, old, new_len) &&
		    wf_range_free(p, old + old_len, old + new_len) &&
		    (!shared_file(&v) || all_window(p, old, new_len))) {
			int rc = wf_mm_map_fixed(p, old + old_len, new_len - old_len, v.prot,
						 v.flags);
			if (!rc && shared_file(&v))
				rc = remap_shared(p, old, old, new_len);
			if (rc)
				wf_mm_unmap(p, old + old_len, new_len - old_len);
			return rc ? rc : (int64_t)old;
		}
		if (!(flags & G_MREMAP_MAYMOVE))
			return -ENOMEM;
		if (!(target = wf_find_gap_in(p, new_len, p->mmap_min, p->mmap_top)) ||
		    (shared_file(&v) && !all_window(p, target, new_len)))
			return (p->mem_exhausted = true), -ENOMEM;
	} else {
		if (target % WF_PAGE_SIZE || !in_user_range(p, target, new_len))
			return -EINVAL;
		if (target < old + old_len && old < target + new_len)
			return -EINVAL; /* overlapping source and destination */
	}
	uint64_t moved = old_len < new_len ? old_len : new_len, from, to;
	if (wf_mem_offset(&p->mem, old, moved, &from) ||
	    wf_mem_offset(&p->mem, target, moved, &to))
		return -ENOMEM; /* demand-paged pages are not moved (documented) */
	/* Both lie in a RAM window: the VMM copies whatever their protection (prot 0). */
	uint8_t *src = wf_mem_ptr(&p->mem, old, moved, 0), *dst = wf_mem_ptr(&p->mem, target, moved, 0);
	if (!src || !dst)
		return -EFAULT;
	int rc = wf_mm_map_fixed(p, target, new_len, v.prot, v.flags);
	if (rc)
		return rc;
	if (shared_file(&v)) {
		/* The file moves, not a copy of it. */
		if ((rc = remap_shared(p, old, target, new_len))) {
			wf_mm_unmap(p, target, new_len);
			return rc;
		}
	} else {
		memcpy(dst, src, moved);
		wf_mem_mark_dirty(&p->mem, target, moved); /* a host write: the fork reset must know */
	}
	wf_mm_unmap(p, old, old_len);
	return (int64_t)target;
}

static int64_t sys_madvise(struct wf_proc *p, const uint64_t a[6])
{
	uint64_t start = a[0], len;
	int advice = (int)a[2];
	if (start % WF_PAGE_SIZE || !page_up(a[1], &len))
		return -EINVAL;
	switch (advice) {
	case 0: case 1: case 2: case 3: case 4:       /* NORMAL RANDOM SEQUENTIAL WILLNEED DONTNEED */
	case 8: case 9: case 10: case 11: case 12:    /* FREE REMOVE DONTFORK DOFORK MERGEABLE */
	case 13: case 14: case 15: case 16: case 17:  /* UNMERGEABLE HUGEPAGE NOHUGEPAGE DONTDUMP DODUMP */
	case 18: case 19: case 20: case 21:           /* WIPEONFORK KEEPONFORK COLD PAGEOUT */
		break;
	default:
		return -EINVAL;
	}
	if (!len)
		return 0;
	if (!in_user_range(p, start, len) || !wf_range_mapped(p, start, start + len))
		return -ENOMEM;
	if (advice == 4 /* MADV_DONTNEED */) {
		/* Private pages read back as zero afterwards, as Linux's anonymous ones; those of
		 * a shared file mapping are the file's, and stay. */
		wf_gaddr_t end = start + len;
		for (unsigned i = wf_vma_find(p, start); i < p->nvmas && p->vmas[i].start < end; i++) {
			const struct wf_vma *v = &p->vmas[i];
			wf_gaddr_t s = v->start > start ? v->start : start, e = v->end < end ? v->end : end;
			int rc = shared_file(v) ? 0 : zero(p, s, e - s);
			if (rc)
				return rc;
		}
	}
	return 0;
}

/* The range a lock, msync or mincore names: start rounded down to its page (aligned: EINVAL
 * unless `align_down`), the length up; 0 and [*s, *e), or -EINVAL/-ENOMEM as Linux. */
static int lock_range(struct wf_proc *p, uint64_t start, uint64_t len, bool align_down,
		      wf_gaddr_t *s, wf_gaddr_t *e)
{
	if (!align_down && start % WF_PAGE_SIZE)
		return -EINVAL;
	uint64_t off = start % WF_PAGE_SIZE, n;
	if (len > UINT64_MAX - off || !page_up(len + off, &n))
		return -ENOMEM;
	*s = start - off;
	*e = *s + n;
	if (n && (!in_user_range(p, *s, n) || !wf_range_mapped(p, *s, *e)))
		return -ENOMEM;
	return 0;
}

/*
 * mlock family: guest memory is the VM's RAM, never swapped by the guest's kernel (there is
 * none), so locking succeeds on mapped memory and changes nothing else.
 */
static int64_t sys_mlock(struct wf_proc *p, const uint64_t a[6])
{
	wf_gaddr_t s, e;
	return lock_range(p, a[0], a[1], true, &s, &e);
}

static int64_t sys_mlock2(struct wf_proc *p, const uint64_t a[6])
{
	if (a[2] & ~1ull) /* MLOCK_ONFAULT */
		return -EINVAL;
	return sys_mlock(p, a);
}

static int64_t sys_mlockall(struct wf_proc *p, const uint64_t a[6])
{
	(void)p;
	uint64_t flags = a[0]; /* MCL_CURRENT 1, MCL_FUTURE 2, MCL_ONFAULT 4 */
	if (!flags || flags & ~7ull || flags == 4)
		return -EINVAL;
	return 0;
}

static int64_t sys_munlockall(struct wf_proc *p, const uint64_t a[6])
{
	(void)p, (void)a;
	return 0;
}

/* msync: a shared file mapping is the host's page cache itself, so read(2) sees its writes
 * at once; writing back to the disk is the host's (as after write(2)). */
static int64_t sys_msync(struct wf_proc *p, const uint64_t a[6])
{
	uint64_t flags = a[2]; /* MS_ASYNC 1, MS_INVALIDATE 2, MS_SYNC 4 */
	if (flags & ~7ull || ((flags & 1) && (flags & 4)))
		return -EINVAL;
	wf_gaddr_t s, e;
	return lock_range(p, a[0], a[1], false, &s, &e);
}

/* mincore: every mapped guest page is in RAM (the VM's), so each one is resident. */
static int64_t sys_mincore(struct wf_proc *p, const uint64_t a[6])
{
	wf_gaddr_t s, e;
	if (a[0] % WF_PAGE_SIZE)
		return -EINVAL;
	uint64_t n;
	if (!page_up(a[1], &n) || !in_user_range(p, a[0], n))
		return -ENOMEM;
	int rc = lock_range(p, a[0], a[1], false, &s, &e);
	if (rc)
		return rc;
	uint8_t ones[256];
	memset(ones, 1, sizeof(ones));
	for (uint64_t i = 0, pages = (e - s) / WF_PAGE_SIZE; i < pages; i += sizeof(ones)) {
		uint64_t k = pages - i < sizeof(ones) ? pages - i : sizeof(ones);
		if (wf_mem_write(&p->mem, a[2] + i, ones, k))
			return -EFAULT;
	}
	return 0;
}

const struct wf_syscall_def wf_sys_mm[] = {
	{WF_NR_brk, "brk", sys_brk, "p"},
	{WF_NR_mmap, "mmap", sys_mmap, "pxxxdx"},
	{WF_NR_munmap, "munmap", sys_munmap, "px"},
	{WF_NR_mprotect, "mprotect", sys_mprotect, "pxx"},
	{WF_NR_mremap, "mremap", sys_mremap, "pxxxp"},
	{WF_NR_madvise, "madvise", sys_madvise, "pxd"},
	{WF_NR_mlock, "mlock", sys_mlock, "px"},
	{WF_NR_munlock, "munlock", sys_mlock, "px"},
	{WF_NR_mlock2, "mlock2", sys_mlock2, "pxx"},
	{WF_NR_mlockall, "mlockall", sys_mlockall, "x"},
	{WF_NR_munlockall, "munlockall", sys_munlockall, ""},
	{WF_NR_msync, "msync", sys_msync, "pxx"},
	{WF_NR_mincore, "mincore", sys_mincore, "pxp"},
	{0},
};
