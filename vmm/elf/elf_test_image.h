// SPDX-License-Identifier: Apache-2.0
/* elf_test_image.h: build small valid aarch64 ELF images with libelf and mutate them field by
 * field. */
#ifndef WARMFORK_ELF_TEST_IMAGE_H
#define WARMFORK_ELF_TEST_IMAGE_H

#include <gelf.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Test images are written by libelf (ELF_C_WRITE with ELF_F_LAYOUT, into a memfd) and then
 * mutated one field at a time: headers are read back with gelf_get*() and re-encoded in place
 * with elf64_xlatetof(), at offsets libelf reports. File layout of the base images:
 */
enum {
	OFF_PHDRS = 0x40, /* room for 35 program headers */
	OFF_INTERP = 0x800,
	OFF_TEXT = 0x840,
	OFF_DATA = 0x900, /* RW PT_LOAD and PT_TLS; vaddr base + VA_DATA */
	OFF_SYMTAB = 0x940,
	OFF_STRTAB = 0x9a0,
	OFF_SHSTR = 0x9c0,
	OFF_SHDRS = 0xa00,
	VA_DATA = 0x1900,
	MAX_IMG = 4096,
};
/* Program header indices (PH_INTERP only in the dynamic base; extra PT_LOADs follow). */
enum { PH_PHDR, PH_TEXT, PH_DATA, PH_TLS, PH_STACK, PH_INTERP };
#define EXEC_BASE 0x400000ull
#define INTERP    "/lib/ld-linux-aarch64.so.1"
#define ENTRY_OFF (OFF_TEXT + 4) /* _start; main is at OFF_TEXT */
#define TEXT_SIZE 16u            /* bytes of .text */

enum base { B_EXEC, B_DYN };

struct img {
	uint8_t buf[MAX_IMG];
	size_t size;
	uint64_t base; /* vaddr of file offset 0 */
};

/* clang-format off */
/*
 * The fields img_set() changes: F_* are raw (file size, section 0's sh_info, e_ident bytes),
 * E_* the ELF header, P_* program header i.
 */
enum field {
	F_NONE, F_SIZE, F_SH0_INFO, F_IDENT0, F_CLASS, F_DATA, F_IVERSION,
	E_TYPE, E_MACHINE, E_VERSION, E_ENTRY, E_PHOFF, E_PHENTSIZE, E_PHNUM, E_SHOFF,
	P_TYPE, P_FLAGS, P_OFFSET, P_VADDR, P_FILESZ, P_MEMSZ, P_ALIGN,
};
/* clang-format on */

/*
 * A valid executable: ET_EXEC at EXEC_BASE, or ET_DYN at 0 with PT_INTERP, followed by
 * extra_loads read-only PT_LOADs with no file bytes.
 */
void img_build(struct img *im, enum base b, unsigned extra_loads);
/* Set one field (P_* of program header i), re-encoded in place with elf64_xlatetof(). */
void img_set(struct img *im, enum field f, int i, uint64_t v);
/* Encode the memory-form structure mem of type t at file offset off. */
void img_put(struct img *im, uint64_t off, Elf_Type t, void *mem);

#endif
