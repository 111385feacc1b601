/* guest_mem.c: overflow-safe translation of guest ranges to host pointers, with page checks. */
#include "guest_mem.h"

#include <errno.h>
#include <string.h>

static void *fail(struct wf_mem *m, wf_gaddr_t addr, uint64_t len, const char *file, int line)
{
	m->fail_file = file;
	m->fail_line = line;
	m->fail_addr = addr;
	m->fail_len = len;
	return NULL;
}

void *wf_mem_ptr_at(struct wf_mem *m, wf_gaddr_t addr, uint64_t len, unsigned prot,
		    const char *file, int line)
{
	uint64_t end, off;
	if (addr < m->base || __builtin_add_overflow(addr, len, &end) ||
	    end - m->base > m->size)
		return fail(m, addr, len, file, line);
	off = addr - m->base;
	if (m->prot && len > 0) {
		uint64_t first = off / WF_PAGE_SIZE, last = (off + len - 1) / WF_PAGE_SIZE;
		for (uint64_t p = first; p <= last; p++)
			if ((m->prot[p] & prot) != prot)
				return fail(m, addr, len, file, line);
	}
	/* The caller may write through the pointer: a fork reset must restore these pages. */
	if ((prot & WF_PROT_WRITE) && m->dirty && len > 0)
		wf_dirty_mark(m->dirty, off / WF_PAGE_SIZE,
			      (off + len - 1) / WF_PAGE_SIZE - off / WF_PAGE_SIZE + 1);
	return m->host + off;
}

void wf_mem_mark_dirty(struct wf_mem *m, wf_gaddr_t addr, uint64_t len)
{
	if (!m->dirty || !len || addr < m->base || addr - m->base >= m->size)
		return;
	uint64_t off = addr - m->base, last = off + len - 1;
	if (last >= m->size || last < off)
		last = m->size - 1;
	wf_dirty_mark(m->dirty, off / WF_PAGE_SIZE, last / WF_PAGE_SIZE - off / WF_PAGE_SIZE + 1);
}

int wf_mem_read_at(struct wf_mem *m, void *dst, wf_gaddr_t addr, uint64_t len, const char *file,
		   int line)
{
	const void *p = wf_mem_ptr_at(m, addr, len, WF_PROT_READ, file, line);
	if (!p)
		return -EFAULT;
	memcpy(dst, p, len);
	return 0;
}

int wf_mem_write_at(struct wf_mem *m, wf_gaddr_t addr, const void *src, uint64_t len,
		    const char *file, int line)
{
	void *p = wf_mem_ptr_at(m, addr, len, WF_PROT_WRITE, file, line);
	if (!p)
		return -EFAULT;
	memcpy(p, src, len);
	return 0;
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
