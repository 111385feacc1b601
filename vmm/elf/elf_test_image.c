// SPDX-License-Identifier: Apache-2.0
/* elf_test_image.c: test images for elf_load_test, written and patched only through libelf. */
#include <check.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "elf/elf_test_image.h"

/* main: ret; _start: mov x0, #7; mov x8, #93; svc #0 (exit(7)) */
static const uint32_t text[TEXT_SIZE / 4] = {0xd65f03c0, 0xd28000e0, 0xd2800ba8, 0xd4000001};
static const char strtab[] = "\0main\0_start\0counter";
static const char shstr[] = "\0.interp\0.text\0.data\0.symtab\0.strtab\0.shstrtab";

static void add_scn(Elf *elf, const char *name, uint32_t type, uint64_t flags, uint64_t off,
		    uint64_t addr, const void *buf, size_t size, Elf_Type dtype, uint32_t link)
{
	Elf_Scn *scn = elf_newscn(elf);
	ck_assert_ptr_nonnull(scn);
	Elf_Data *d = elf_newdata(scn);
	ck_assert_ptr_nonnull(d);
	d->d_buf = (void *)buf;
	d->d_size = size;
	d->d_type = dtype;
	d->d_align = dtype == ELF_T_SYM ? 8 : 1;
	GElf_Shdr sh;
	ck_assert_ptr_nonnull(gelf_getshdr(scn, &sh));
	sh.sh_name = (uint32_t)(strstr(shstr + 1, name) - shstr);
	sh.sh_type = type;
	sh.sh_flags = flags;
	sh.sh_addr = addr;
	sh.sh_offset = off;
	sh.sh_size = size;
	sh.sh_link = link;
	sh.sh_info = type == SHT_SYMTAB ? 1 : 0;
	sh.sh_addralign = d->d_align;
	sh.sh_entsize = type == SHT_SYMTAB ? elf64_fsize(ELF_T_SYM, 1, EV_CURRENT) : 0;
	ck_assert(gelf_update_shdr(scn, &sh));
}

static GElf_Phdr phdr(uint32_t type, uint32_t flags, uint64_t off, uint64_t va, uint64_t filesz,
		      uint64_t memsz, uint64_t align)
{
	return (GElf_Phdr){.p_type = type,
			   .p_flags = flags,
			   .p_offset = off,
			   .p_vaddr = va,
			   .p_paddr = va,
			   .p_filesz = filesz,
			   .p_memsz = memsz,
			   .p_align = align};
}

void img_build(struct img *im, enum base b, unsigned extra_loads)
{
	ck_assert(elf_version(EV_CURRENT) != EV_NONE);
	uint64_t base = b == B_EXEC ? EXEC_BASE : 0;
	GElf_Phdr ph[40];
	unsigned n = 0, phent = (unsigned)elf64_fsize(ELF_T_PHDR, 1, EV_CURRENT);
	unsigned nph = 5 + (b == B_DYN) + extra_loads;
	ph[n++] = phdr(PT_PHDR, PF_R, OFF_PHDRS, base + OFF_PHDRS, nph * phent, nph * phent, 8);
	ph[n++] = phdr(PT_LOAD, PF_R | PF_X, 0, base, OFF_TEXT + sizeof(text),
		       OFF_TEXT + sizeof(text), 0x1000);
	ph[n++] = phdr(PT_LOAD, PF_R | PF_W, OFF_DATA, base + VA_DATA, 0x20, 0x1000, 0x1000);
	ph[n++] = phdr(PT_TLS, PF_R, OFF_DATA, base + VA_DATA, 0x10, 0x40, 16);
	ph[n++] = phdr(PT_GNU_STACK, PF_R | PF_W, 0, 0, 0, 0, 16);
	if (b == B_DYN)
		ph[n++] = phdr(PT_INTERP, PF_R, OFF_INTERP, base + OFF_INTERP, sizeof(INTERP),
			       sizeof(INTERP), 1);
	for (unsigned k = 0; k < extra_loads; k++)
		ph[n++] = phdr(PT_LOAD, PF_R, 0, base + 0x3000 + k * 0x1000, 0, 0x10, 0x1000);
	ck_assert_uint_eq(n, nph);
	ck_assert_uint_le(OFF_PHDRS + nph * phent, OFF_INTERP);

	Elf64_Sym syms[4] = {{0}};
	syms[1] = (Elf64_Sym){.st_name = 1,
			      .st_info = ELF64_ST_INFO(STB_GLOBAL, STT_FUNC),
			      .st_shndx = 2,
			      .st_value = base + OFF_TEXT,
			      .st_size = 4};
	syms[2] = (Elf64_Sym){.st_name = 6,
			      .st_info = ELF64_ST_INFO(STB_GLOBAL, STT_FUNC),
			      .st_shndx = 2,
			      .st_value = base + ENTRY_OFF,
			      .st_size = 12};
	syms[3] = (Elf64_Sym){.st_name = 13,
			      .st_info = ELF64_ST_INFO(STB_GLOBAL, STT_OBJECT),
			      .st_shndx = 3,
			      .st_value = base + VA_DATA + 0x10,
			      .st_size = 8};
	static const uint8_t data[0x20] = {1, 2, 3, 4};

	int fd = memfd_create("elf_load_test", 0);
	ck_assert_int_ge(fd, 0);
	Elf *elf = elf_begin(fd, ELF_C_WRITE, NULL);
	ck_assert_ptr_nonnull(elf);
	elf_flagelf(elf, ELF_C_SET, ELF_F_LAYOUT);
	ck_assert_ptr_nonnull(gelf_newehdr(elf, ELFCLASS64));
	ck_assert_ptr_nonnull(gelf_newphdr(elf, nph));
	add_scn(elf, ".interp", SHT_PROGBITS, SHF_ALLOC, OFF_INTERP, base + OFF_INTERP, INTERP,
		sizeof(INTERP), ELF_T_BYTE, 0);
	add_scn(elf, ".text", SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR, OFF_TEXT, base + OFF_TEXT,
		text, sizeof(text), ELF_T_BYTE, 0);
	add_scn(elf, ".data", SHT_PROGBITS, SHF_ALLOC | SHF_WRITE, OFF_DATA, base + VA_DATA, data,
		sizeof(data), ELF_T_BYTE, 0);
	add_scn(elf, ".symtab", SHT_SYMTAB, 0, OFF_SYMTAB, 0, syms, sizeof(syms), ELF_T_SYM, 5);
	add_scn(elf, ".strtab", SHT_STRTAB, 0, OFF_STRTAB, 0, strtab, sizeof(strtab), ELF_T_BYTE,
		0);
	add_scn(elf, ".shstrtab", SHT_STRTAB, 0, OFF_SHSTR, 0, shstr, sizeof(shstr), ELF_T_BYTE, 0);
	GElf_Ehdr eh;
	ck_assert_ptr_nonnull(gelf_getehdr(elf, &eh));
	eh.e_ident[EI_DATA] = ELFDATA2LSB;
	eh.e_type = b == B_EXEC ? ET_EXEC : ET_DYN;
	eh.e_machine = EM_AARCH64;
	eh.e_version = EV_CURRENT;
	eh.e_entry = base + ENTRY_OFF;
	eh.e_phoff = OFF_PHDRS;
	eh.e_shoff = OFF_SHDRS;
	eh.e_shstrndx = 6;
	ck_assert(gelf_update_ehdr(elf, &eh));
	for (unsigned i = 0; i < nph; i++)
		ck_assert(gelf_update_phdr(elf, (int)i, &ph[i]));
	off_t len = elf_update(elf, ELF_C_WRITE);
	ck_assert_msg(len > 0 && len <= MAX_IMG, "elf_update: %s", elf_errmsg(-1));
	elf_end(elf);
	im->size = (size_t)len;
	im->base = base;
	ck_assert_int_eq(pread(fd, im->buf, im->size, 0), len);
	close(fd);
}

/* Read-modify-write of the headers, at the offsets libelf reports. */
static void get_ehdr(struct img *im, GElf_Ehdr *eh)
{
	Elf *elf = elf_memory((char *)im->buf, im->size);
	ck_assert_ptr_nonnull(elf);
	ck_assert_ptr_nonnull(gelf_getehdr(elf, eh));
	elf_end(elf);
}

void img_put(struct img *im, uint64_t off, Elf_Type t, void *mem)
{
	size_t n = elf64_fsize(t, 1, EV_CURRENT);
	ck_assert_uint_le(off + n, im->size);
	Elf_Data src = {.d_buf = mem, .d_type = t, .d_size = n, .d_version = EV_CURRENT};
	Elf_Data dst = {.d_buf = im->buf + off, .d_size = n, .d_version = EV_CURRENT};
	ck_assert_ptr_nonnull(elf64_xlatetof(&dst, &src, ELFDATA2LSB));
}

static void put_ehdr(struct img *im, GElf_Ehdr *eh)
{
	img_put(im, 0, ELF_T_EHDR, eh);
}

static void get_phdr(struct img *im, int i, GElf_Phdr *ph)
{
	Elf *elf = elf_memory((char *)im->buf, im->size);
	ck_assert_ptr_nonnull(elf);
	ck_assert_ptr_nonnull(gelf_getphdr(elf, i, ph));
	elf_end(elf);
}

static void put_phdr(struct img *im, int i, GElf_Phdr *ph)
{
	GElf_Ehdr eh;
	get_ehdr(im, &eh);
	img_put(im, eh.e_phoff + (uint64_t)i * eh.e_phentsize, ELF_T_PHDR, ph);
}

static void set_sh0_info(struct img *im, uint32_t info)
{
	Elf *elf = elf_memory((char *)im->buf, im->size);
	ck_assert_ptr_nonnull(elf);
	GElf_Ehdr eh;
	GElf_Shdr sh;
	ck_assert_ptr_nonnull(gelf_getehdr(elf, &eh));
	ck_assert_ptr_nonnull(gelf_getshdr(elf_getscn(elf, 0), &sh));
	elf_end(elf);
	sh.sh_info = info;
	img_put(im, eh.e_shoff, ELF_T_SHDR, &sh);
}

static void set_ehdr(struct img *im, enum field f, uint64_t v)
{
	GElf_Ehdr eh;
	get_ehdr(im, &eh);
	if (f == E_TYPE)
		eh.e_type = (uint16_t)v;
	else if (f == E_MACHINE)
		eh.e_machine = (uint16_t)v;
	else if (f == E_VERSION)
		eh.e_version = (uint32_t)v;
	else if (f == E_ENTRY)
		eh.e_entry = v;
	else if (f == E_PHOFF)
		eh.e_phoff = v;
	else if (f == E_PHENTSIZE)
		eh.e_phentsize = (uint16_t)v;
	else if (f == E_PHNUM)
		eh.e_phnum = (uint16_t)v;
	else
		eh.e_shoff = v;
	put_ehdr(im, &eh);
}

static void set_phdr(struct img *im, enum field f, int i, uint64_t v)
{
	GElf_Phdr ph;
	get_phdr(im, i, &ph);
	if (f == P_TYPE)
		ph.p_type = (uint32_t)v;
	else if (f == P_FLAGS)
		ph.p_flags = (uint32_t)v;
	else if (f == P_OFFSET)
		ph.p_offset = v;
	else if (f == P_VADDR)
		ph.p_vaddr = v;
	else if (f == P_FILESZ)
		ph.p_filesz = v;
	else if (f == P_MEMSZ)
		ph.p_memsz = v;
	else
		ph.p_align = v;
	put_phdr(im, i, &ph);
}

void img_set(struct img *im, enum field f, int i, uint64_t v)
{
	static const int ident_at[] = {EI_MAG0, EI_CLASS, EI_DATA, EI_VERSION};
	if (f == F_NONE)
		return;
	if (f == F_SIZE)
		im->size = v;
	else if (f == F_SH0_INFO)
		set_sh0_info(im, (uint32_t)v);
	else if (f <= F_IVERSION)
		im->buf[ident_at[f - F_IDENT0]] = (uint8_t)v;
	else if (f < P_TYPE)
		set_ehdr(im, f, v);
	else
		set_phdr(im, f, i, v);
}
