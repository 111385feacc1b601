// SPDX-License-Identifier: Apache-2.0
/* vm_vfork.c: a CLONE_VM vfork child's writes, handed back to its parent when it execs or ends. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "vm_internal.h"

/*
 * vfork and glibc's posix_spawn share the parent's address space with the child until it
 * execs or ends, and the parent sleeps meanwhile. posix_spawn relies on it: a child whose
 * exec fails stores errno in the parent's memory and exits 127, and the parent returns that
 * error. A guest child here is a copy of the VM, so the child records what it writes: the
 * guest's writes through KVM's dirty log (its memory slot is made with logging), the VMM's
 * writes for it through the guest-memory dirty bitmap. When it passes exec's point of no
 * return or ends, it writes each such page of guest RAM below the VMM's pages, with its RAM
 * offset, into a memory file the parent made before the fork; the parent, woken, copies in
 * those that are its memory: the low window and the stack, and pages of the demand-paged
 * pool it had handed out. Pages the child took from the pool itself (its own stack, say)
 * are free in the parent and stay as they are there, and so does everything the parent
 * maps differently, which it could not do while asleep. The file: a count, then records of
 * an 8-byte RAM offset and the page.
 */

static uint64_t words(const struct wf_vm *vm)
{
	return (vm->layout.ram_size / WF_PAGE_SIZE + 63) / 64;
}

int wf_vfork_open(struct wf_vm *vm)
{
	int fd = memfd_create("warmfork-vfork", MFD_CLOEXEC);
	if (fd < 0)
		return -errno;
	vm->procs.vfork_down = fd;
	vm->procs.vfork_down_open = true;
	return 0;
}

int wf_vfork_child(struct wf_vm *vm, bool share_vm)
{
	/* A child of a vfork child that has not exec'd yet: not the one its parent waits for. */
	if (vm->procs.vfork_child)
		close(vm->procs.vfork_up);
	vm->procs.vfork_child = false;
	if (!share_vm)
		return 0;
	vm->procs.vfork_up = vm->procs.vfork_down; /* the parent's file is our way up */
	vm->procs.vfork_down_open = false;
	vm->procs.vfork_child = true;
	struct wf_mem *m = &vm->proc.mem;
	/* A fuzzer's fork has a bitmap (for its resets, which a child never does): reuse it
	 * from now on; a plain VM gets one of its own. */
	if (m->dirty) {
		memset(m->dirty, 0, words(vm) * 8);
	} else {
		if (!(vm->procs.vfork_dirty = calloc(words(vm), 8)))
			return -ENOMEM;
		m->dirty = vm->procs.vfork_dirty;
	}
	return 0;
}

/* pwrite all of buf at off: 0, or -1. */
static int put(int fd, const void *buf, size_t len, off_t off)
{
	const uint8_t *b = buf;
	while (len) {
		ssize_t n = pwrite(fd, b, len, off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		b += n;
		len -= (size_t)n;
		off += n;
	}
	return 0;
}

void wf_vfork_send(struct wf_vm *vm)
{
	if (!vm->procs.vfork_child)
		return;
	vm->procs.vfork_child = false;
	struct wf_err e = {0};
	uint64_t n = words(vm), count = 0;
	uint64_t *kvm_dirty = calloc(n, 8);
	const uint64_t *host = vm->proc.mem.dirty;
	if (kvm_dirty && vm->have_kvm && !wf_kvm_get_dirty_log(&vm->kvm, 0, kvm_dirty, &e)) {
		int fd = vm->procs.vfork_up;
		off_t at = 8;
		for (uint64_t w = 0; w < n; w++) {
			uint64_t bits = kvm_dirty[w] | (host ? host[w] : 0);
			for (; bits; bits &= bits - 1) {
				uint64_t off = (w * 64 + (uint64_t)__builtin_ctzll(bits)) * WF_PAGE_SIZE;
				if (off >= vm->layout.karea_ipa)
					continue; /* the VMM's own pages: the parent's are its own */
				if (put(fd, &off, 8, at) || put(fd, vm->ram + off, WF_PAGE_SIZE, at + 8))
					goto out; /* the parent takes the count it finds */
				at += 8 + WF_PAGE_SIZE;
				count++;
			}
		}
	out:
		(void)put(fd, &count, 8, 0);
		/* From here nothing is shared: stop logging (a first write would fault on). */
		(void)wf_kvm_set_memory(&vm->kvm, 0, 0, vm->ram, vm->layout.ram_size, false, &e);
	} else {
		fprintf(stderr, "warmfork: process %d: a vfork child's writes are lost: %s\n",
			(int)vm->proc.pid, kvm_dirty ? e.msg : "out of host memory");
	}
	free(kvm_dirty);
	if (vm->proc.mem.dirty == vm->procs.vfork_dirty)
		vm->proc.mem.dirty = NULL;
	free(vm->procs.vfork_dirty);
	vm->procs.vfork_dirty = NULL;
	close(vm->procs.vfork_up);
}

/* The pool pages the parent has not handed out: its free list, as a bitmap over the pool. */
static uint64_t *free_pool(struct wf_vm *vm, uint64_t lo, uint64_t hi)
{
	struct wf_proc *p = &vm->proc;
	uint64_t pages = (hi - lo) / WF_PAGE_SIZE;
	uint64_t *bm = calloc((pages + 63) / 64, 8);
	if (!bm)
		return NULL;
	uint64_t f = p->frame_free;
	for (uint64_t steps = 0; f && steps < pages; steps++) {
		const uint8_t *page = f >= lo && f < hi ? wf_mem_ram(&p->mem, f, WF_PAGE_SIZE, false) : NULL;
		if (!page)
			break;
		uint64_t i = (f - lo) / WF_PAGE_SIZE;
		bm[i / 64] |= 1ull << (i % 64);
		memcpy(&f, page, sizeof(f)); /* a free page holds the next one's offset */
	}
	return bm;
}

void wf_vm_proc_vfork_back(void *ctx)
{
	struct wf_vm *vm = ctx;
	if (!vm->procs.vfork_down_open)
		return;
	struct wf_proc *p = &vm->proc;
	int fd = vm->procs.vfork_down;
	uint64_t count = 0, lo = vm->layout.id_top, hi = vm->layout.stack_ipa;
	uint64_t *free_bm = NULL;
	if (pread(fd, &count, 8, 0) != 8)
		count = 0; /* the child ended before it could say (SIGKILL): nothing */
	off_t at = 8;
	for (uint64_t i = 0; i < count; i++, at += 8 + WF_PAGE_SIZE) {
		uint64_t off;
		if (pread(fd, &off, 8, at) != 8 || off % WF_PAGE_SIZE || off >= vm->layout.karea_ipa)
			break;
		if (off >= lo && off < hi) { /* the pool: only pages this process uses */
			if (off >= p->frame_next)
				continue;
			if (!free_bm && !(free_bm = free_pool(vm, lo, hi)))
				break;
			uint64_t k = (off - lo) / WF_PAGE_SIZE;
			if (free_bm[k / 64] & (1ull << (k % 64)))
				continue;
		}
		uint8_t *page = wf_mem_ram(&p->mem, off, WF_PAGE_SIZE, true);
		if (!page || pread(fd, page, WF_PAGE_SIZE, at + 8) != WF_PAGE_SIZE)
			break;
	}
	free(free_bm);
	close(fd);
	vm->procs.vfork_down_open = false;
}
