// SPDX-License-Identifier: Apache-2.0
/* guest_mem.c: overflow-safe translation of guest ranges to host pointers, with page checks. */
#include "guest_mem.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>

static void *fail(struct wf_mem *m, wf_gaddr_t addr, uint64_t len, const char *file, int line)
{
	m->fail_file = file;
	m->fail_line = line;
	m->fail_addr = addr;
	m->fail_len = len;
	return NULL;
}

static uint64_t ram_bytes(const struct wf_mem *m)
{
	return m->ram ? m->ram : m->size;
}

int wf_mem_offset(const struct wf_mem *m, wf_gaddr_t addr, uint64_t len, uint64_t *off)
{
	uint64_t end;
	if (__builtin_add_overflow(addr, len, &end))
		return -EFAULT;
	if (addr >= m->base && end - m->base <= m->size) {
		*off = addr - m->base;
		return 0;
	}
	if (m->win_len && addr >= m->win_va && end - m->win_va <= m->win_len &&
	    m->win_off + m->win_len <= ram_bytes(m)) {
		*off = m->win_off + (addr - m->win_va);
		return 0;
	}
	return -EFAULT;
}

/* The RAM offset of [addr, addr+len) (contiguous), checking every page allows prot. */
static int translate(struct wf_mem *m, wf_gaddr_t addr, uint64_t len, unsigned prot,
		     uint64_t *off)
{
	if (!wf_mem_offset(m, addr, len, off)) {
		if (m->prot && len > 0) {
			uint64_t first = *off / WF_PAGE_SIZE, last = (*off + len - 1) / WF_PAGE_SIZE;
			for (uint64_t p = first; p <= last; p++)
				if ((m->prot[p] & prot) != prot)
					return -EFAULT;
		}
		return 0;
	}
	uint64_t end;
	if (!m->page || !len || __builtin_add_overflow(addr, len, &end))
		return -EFAULT;
	/* Demand-paged: page by page, each RAM page right after the one before. */
	wf_gaddr_t page = addr & ~(WF_PAGE_SIZE - 1);
	uint64_t first = 0;
	for (wf_gaddr_t va = page; va < end; va += WF_PAGE_SIZE) {
		uint64_t o;
		if (m->page(m->page_ctx, va, prot, &o) || o % WF_PAGE_SIZE ||
		    o > ram_bytes(m) - WF_PAGE_SIZE || (va != page && o != first + (va - page)))
			return -EFAULT;
		if (va == page)
			first = o;
		if (va > UINT64_MAX - WF_PAGE_SIZE)
			break;
	}
	*off = first + (addr - page);
	return 0;
}

void *wf_mem_ptr_at(struct wf_mem *m, wf_gaddr_t addr, uint64_t len, unsigned prot,
		    const char *file, int line)
{
	uint64_t off;
	if (translate(m, addr, len, prot, &off) || (m->check && m->check(m->check_ctx, off, len)))
		return fail(m, addr, len, file, line);
	/* The caller may write through the pointer: a fork reset must restore these pages. */
	if ((prot & WF_PROT_WRITE) && m->dirty && len > 0)
		wf_dirty_mark(m->dirty, off / WF_PAGE_SIZE,
			      (off + len - 1) / WF_PAGE_SIZE - off / WF_PAGE_SIZE + 1);
	return m->host + off;
}

void *wf_mem_ram(struct wf_mem *m, uint64_t off, uint64_t len, bool write)
{
	uint64_t end;
	if (__builtin_add_overflow(off, len, &end) || end > ram_bytes(m))
		return NULL;
	if (write && len > 0)
		wf_dirty_mark(m->dirty, off / WF_PAGE_SIZE,
			      (end - 1) / WF_PAGE_SIZE - off / WF_PAGE_SIZE + 1);
	return m->host + off;
}

void wf_mem_mark_dirty(struct wf_mem *m, wf_gaddr_t addr, uint64_t len)
{
	uint64_t off;
	if (!m->dirty || !len)
		return;
	/* The part inside a window (callers mark what they wrote there). */
	if (wf_mem_offset(m, addr, len, &off))
		return;
	uint64_t last = off + len - 1;
	if (last >= ram_bytes(m) || last < off)
		last = ram_bytes(m) - 1;
	wf_dirty_mark(m->dirty, off / WF_PAGE_SIZE, last / WF_PAGE_SIZE - off / WF_PAGE_SIZE + 1);
}

/* Copy page by page, so demand-paged pages need not be contiguous in RAM. */
static int copy(struct wf_mem *m, void *buf, wf_gaddr_t addr, uint64_t len, bool write,
		const char *file, int line)
{
	unsigned prot = write ? WF_PROT_WRITE : WF_PROT_READ;
	void *whole = wf_mem_ptr_at(m, addr, len, prot, file, line);
	if (whole || !len) {
		if (!whole)
			return -EFAULT;
		if (write)
			memcpy(whole, buf, len);
		else
			memcpy(buf, whole, len);
		return 0;
	}
	uint64_t done = 0;
	while (done < len) {
		wf_gaddr_t cur;
		if (__builtin_add_overflow(addr, done, &cur))
			return -EFAULT;
		uint64_t chunk = WF_PAGE_SIZE - cur % WF_PAGE_SIZE;
		if (chunk > len - done)
			chunk = len - done;
		uint8_t *h = wf_mem_ptr_at(m, cur, chunk, prot, file, line);
		if (!h)
			return -EFAULT;
		if (write)
			memcpy(h, (const uint8_t *)buf + done, chunk);
		else
			memcpy((uint8_t *)buf + done, h, chunk);
		done += chunk;
	}
	return 0;
}

int wf_mem_read_at(struct wf_mem *m, void *dst, wf_gaddr_t addr, uint64_t len, const char *file,
		   int line)
{
	return copy(m, dst, addr, len, false, file, line);
}

int wf_mem_write_at(struct wf_mem *m, wf_gaddr_t addr, const void *src, uint64_t len,
		    const char *file, int line)
{
	return copy(m, (void *)(uintptr_t)src, addr, len, true, file, line);
}

int64_t wf_mem_strnlen_at(struct wf_mem *m, wf_gaddr_t addr, uint64_t max, const char *file,
			  int line)
{
	uint64_t n = 0;
	while (n < max) {
		/* Scan page by page so a string may end right before an unreadable page. */
		wf_gaddr_t cur;
		if (__builtin_add_overflow(addr, n, &cur))
			return (fail(m, addr, n, file, line), -EFAULT);
		uint64_t chunk = WF_PAGE_SIZE - (cur % WF_PAGE_SIZE);
		if (chunk > max - n)
			chunk = max - n;
		const char *p = wf_mem_ptr_at(m, cur, chunk, WF_PROT_READ, file, line);
		if (!p)
			return -EFAULT;
		const char *z = memchr(p, 0, chunk);
		if (z)
			return (int64_t)(n + (uint64_t)(z - p));
		n += chunk;
	}
	return -ENAMETOOLONG;
}
