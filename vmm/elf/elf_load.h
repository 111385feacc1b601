// SPDX-License-Identifier: Apache-2.0
/* elf_load.h: validate and describe an untrusted aarch64 Linux ELF executable (via libelf). */
#ifndef WARMFORK_ELF_LOAD_H
#define WARMFORK_ELF_LOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"

#define WF_ELF_MAX_SEGS   16           /* PT_LOAD segments accepted */
#define WF_ELF_MAX_PHNUM  64           /* program headers accepted (so never PN_XNUM) */
#define WF_ELF_VA_LIMIT   (1ull << 48) /* every unrelocated vaddr range ends at or below this */
#define WF_ELF_MAX_ALIGN  (1ull << 30) /* largest PT_LOAD p_align accepted */
#define WF_ELF_INTERP_MAX 256          /* PT_INTERP size limit, including the NUL */

/*
 * One non-empty PT_LOAD, as found in the file. [vaddr, vaddr+memsz) is exact (not page
 * rounded); bytes [offset, offset+filesz) of the file go to vaddr, the rest is zero-filled.
 * Segments are disjoint and sorted by vaddr, but two of them may share a 4 KiB page: the
 * loader decides how to merge their protections.
 */
struct wf_elf_seg {
	uint64_t vaddr, memsz, filesz, offset;
	unsigned prot; /* WF_PROT_* from guest_mem.h */
	unsigned phdr; /* index of its program header, for messages */
};

struct wf_elf_image {
	int type;       /* ET_EXEC or ET_DYN */
	uint64_t entry; /* e_entry, unrelocated; inside an executable segment, 4-byte aligned */
	uint64_t phdr_vaddr; /* unrelocated address of the program headers in memory (PT_PHDR, or
				the PT_LOAD that covers e_phoff) for AT_PHDR; 0 if not mapped */
	uint16_t phnum, phentsize;
	uint64_t lo, hi;    /* lowest vaddr rounded down / highest vaddr+memsz rounded up to
			       4 KiB, over the PT_LOADs */
	uint64_t max_align; /* largest PT_LOAD p_align, at least 4096: an ET_DYN load bias must
			       be a multiple of it */
	struct wf_elf_seg segs[WF_ELF_MAX_SEGS];
	unsigned nsegs;
	bool has_interp;
	char
	    interp[WF_ELF_INTERP_MAX]; /* PT_INTERP path: NUL-terminated, non-empty, no inner NUL */
	bool exec_stack;               /* PT_GNU_STACK has PF_X (absent: no, as on arm64) */
	bool has_tls;
	uint64_t tls_vaddr, tls_filesz, tls_memsz, tls_align; /* PT_TLS; init image inside a
								  PT_LOAD */
};

/*
 * Validate and describe the ELF in data[0..size). Does not keep pointers into data and never
 * writes to it. Returns 0, -ENOEXEC for anything that is not a valid aarch64 Linux executable
 * (the message names the field, phdr index and value at fault) or -EINVAL for bad arguments.
 */
int wf_elf_parse(const uint8_t *data, size_t size, struct wf_elf_image *img, struct wf_err *e);

/*
 * Look up a defined symbol by name in .symtab (or, without one, .dynsym); the value is
 * unrelocated. Returns 0, -ENOENT (no such symbol, or no symbol table) or -EINVAL (not a
 * 64-bit ELF, or a malformed symbol table).
 */
int wf_elf_symbol(const uint8_t *data, size_t size, const char *name, uint64_t *value,
		  struct wf_err *e);

#endif
