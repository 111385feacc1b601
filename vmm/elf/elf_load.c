// SPDX-License-Identifier: Apache-2.0
/* elf_load.c: hostile-input validation of aarch64 Linux ELF executables, read through libelf. */
#include "elf/elf_load.h"
#include "guest_mem.h"

#include <errno.h>
#include <gelf.h>
#include <inttypes.h>
#include <limits.h>
#include <string.h>

#define X "0x%" PRIx64

struct ctx {
	Elf *elf;
	size_t size; /* bytes in the file */
	GElf_Ehdr eh;
	size_t phnum;
	uint64_t tab_size;     /* phnum * e_phentsize */
	int phdr_idx, tls_idx; /* PT_PHDR / PT_TLS header index, or -1 */
	uint64_t phdr_memsz;
	struct wf_err *e;
};

static bool is_pow2(uint64_t v)
{
	return v && !(v & (v - 1));
}

/*
 * Open data with libelf. elf_memory() takes a non-const pointer, but reading (it opens the
 * image as ELF_C_READ_MMAP_PRIVATE) never writes to it; the tests parse read-only mappings.
 */
static Elf *open_mem(const uint8_t *data, size_t size, int code, struct wf_err *e)
{
	if (elf_version(EV_CURRENT) == EV_NONE) {
		wf_fail(e, code, "libelf: elf_version: %s", elf_errmsg(-1));
		return NULL;
	}
	Elf *elf = elf_memory((char *)(uintptr_t)data, size);
	if (!elf)
		wf_fail(e, code, "libelf: elf_memory: %s", elf_errmsg(-1));
	return elf;
}

/*
 * e_ident. libelf classifies files whose identification is not one it can read as
 * ELF_K_NONE without saying why, so the identification bytes are examined to name the reason.
 */
static int check_ident(struct ctx *c, const uint8_t *data)
{
	const uint8_t *id = data;
	size_t n = c->size;
	if (elf_kind(c->elf) == ELF_K_ELF) {
		id = (const uint8_t *)elf_getident(c->elf, &n);
		if (!id)
			return wf_fail(c->e, -ENOEXEC, "libelf: elf_getident: %s", elf_errmsg(-1));
	}
	if (n < SELFMAG || memcmp(id, ELFMAG, SELFMAG))
		return wf_fail(c->e, -ENOEXEC, "not an ELF file (bad magic)");
	if (n < EI_NIDENT)
		return wf_fail(c->e, -ENOEXEC, "file of %zu bytes is too short for e_ident", n);
	if (id[EI_CLASS] != ELFCLASS64)
		return wf_fail(c->e, -ENOEXEC, "EI_CLASS %u is not ELFCLASS64 (%u)", id[EI_CLASS],
			       ELFCLASS64);
	if (id[EI_DATA] != ELFDATA2LSB)
		return wf_fail(c->e, -ENOEXEC, "EI_DATA %u is not ELFDATA2LSB (%u)", id[EI_DATA],
			       ELFDATA2LSB);
	if (id[EI_VERSION] != EV_CURRENT)
		return wf_fail(c->e, -ENOEXEC, "EI_VERSION %u is not EV_CURRENT (%u)",
			       id[EI_VERSION], EV_CURRENT);
	if (elf_kind(c->elf) != ELF_K_ELF)
		return wf_fail(c->e, -ENOEXEC, "libelf does not accept the file as ELF: %s",
			       elf_errmsg(-1));
	return 0;
}

/* The ELF header and the location of the program header table. */
static int check_ehdr(struct ctx *c)
{
	GElf_Ehdr *eh = &c->eh;
	if (!gelf_getehdr(c->elf, eh))
		return wf_fail(c->e, -ENOEXEC, "libelf: gelf_getehdr: %s", elf_errmsg(-1));
	switch (eh->e_type) {
	case ET_EXEC:
	case ET_DYN:
		break;
	case ET_REL:
		return wf_fail(c->e, -ENOEXEC, "ET_REL object files cannot run");
	case ET_CORE:
		return wf_fail(c->e, -ENOEXEC, "ET_CORE core dumps cannot run");
	default:
		return wf_fail(c->e, -ENOEXEC, "e_type %u is not ET_EXEC (%u) or ET_DYN (%u)",
			       eh->e_type, ET_EXEC, ET_DYN);
	}
	if (eh->e_machine != EM_AARCH64)
		return wf_fail(c->e, -ENOEXEC, "e_machine %u is not EM_AARCH64 (%u)", eh->e_machine,
			       EM_AARCH64);
	if (eh->e_version != EV_CURRENT)
		return wf_fail(c->e, -ENOEXEC, "e_version %u is not EV_CURRENT (%u)", eh->e_version,
			       EV_CURRENT);
	if (eh->e_phentsize != sizeof(Elf64_Phdr))
		return wf_fail(c->e, -ENOEXEC, "e_phentsize %u is not sizeof(Elf64_Phdr) (%zu)",
			       eh->e_phentsize, sizeof(Elf64_Phdr));

	c->phnum = eh->e_phnum;
	if (eh->e_phnum == PN_XNUM) {
		/* The real count is in section header 0's sh_info; it must need the escape. */
		GElf_Shdr sh0;
		Elf_Scn *scn = eh->e_shoff ? elf_getscn(c->elf, 0) : NULL;
		if (!scn || !gelf_getshdr(scn, &sh0))
			return wf_fail(c->e, -ENOEXEC,
				       "e_phnum is PN_XNUM but section header 0 is unreadable: %s",
				       eh->e_shoff ? elf_errmsg(-1) : "e_shoff is 0");
		if (sh0.sh_info < PN_XNUM)
			return wf_fail(c->e, -ENOEXEC,
				       "e_phnum is PN_XNUM but section 0's sh_info %u is below it",
				       sh0.sh_info);
		return wf_fail(c->e, -ENOEXEC, "e_phnum %u (PN_XNUM) exceeds the limit of %d",
			       sh0.sh_info, WF_ELF_MAX_PHNUM);
	}
	if (c->phnum == 0)
		return wf_fail(c->e, -ENOEXEC, "no program headers (e_phnum 0)");
	if (c->phnum > WF_ELF_MAX_PHNUM)
		return wf_fail(c->e, -ENOEXEC, "e_phnum %zu exceeds the limit of %d", c->phnum,
			       WF_ELF_MAX_PHNUM);
	if (eh->e_phoff == 0)
		return wf_fail(c->e, -ENOEXEC, "e_phoff is 0 (no program header table)");
	c->tab_size = c->phnum * sizeof(Elf64_Phdr);
	uint64_t end;
	if (__builtin_add_overflow(eh->e_phoff, c->tab_size, &end) || end > c->size)
		return wf_fail(c->e, -ENOEXEC,
			       "program header table at e_phoff " X " (" X
			       " bytes) extends past the end of the file (%zu bytes)",
			       eh->e_phoff, c->tab_size, c->size);
	return 0;
}

/* [off, off+len) lies in the file. */
static int check_file_range(struct ctx *c, size_t i, const char *what, uint64_t off, uint64_t len)
{
	uint64_t end;
	if (__builtin_add_overflow(off, len, &end) || end > c->size)
		return wf_fail(c->e, -ENOEXEC,
			       "phdr %zu: %s p_offset " X " + p_filesz " X
			       " extends past the end of the file (%zu bytes)",
			       i, what, off, len, c->size);
	return 0;
}

/* [vaddr, vaddr+memsz) neither wraps nor ends above WF_ELF_VA_LIMIT, and filesz <= memsz. */
static int check_mem_range(struct ctx *c, size_t i, const char *what, const GElf_Phdr *ph)
{
	uint64_t end;
	if (ph->p_filesz > ph->p_memsz)
		return wf_fail(c->e, -ENOEXEC, "phdr %zu: %s p_filesz " X " > p_memsz " X, i, what,
			       ph->p_filesz, ph->p_memsz);
	if (__builtin_add_overflow(ph->p_vaddr, ph->p_memsz, &end))
		return wf_fail(c->e, -ENOEXEC,
			       "phdr %zu: %s p_vaddr " X " + p_memsz " X " overflows", i, what,
			       ph->p_vaddr, ph->p_memsz);
	if (end > WF_ELF_VA_LIMIT)
		return wf_fail(c->e, -ENOEXEC, "phdr %zu: %s [" X ", " X ") ends above 2^48", i,
			       what, ph->p_vaddr, end);
	return 0;
}

static int add_load(struct ctx *c, size_t i, const GElf_Phdr *ph, struct wf_elf_image *img)
{
	uint64_t align = ph->p_align;
	if (align > 1) {
		if (!is_pow2(align))
			return wf_fail(c->e, -ENOEXEC,
				       "phdr %zu: p_align " X " is not a power of two", i, align);
		if (align < WF_PAGE_SIZE)
			return wf_fail(c->e, -ENOEXEC,
				       "phdr %zu: p_align " X " is below the 4 KiB page size", i,
				       align);
		if (align > WF_ELF_MAX_ALIGN)
			return wf_fail(c->e, -ENOEXEC, "phdr %zu: p_align " X " exceeds 1 GiB", i,
				       align);
		if ((ph->p_vaddr - ph->p_offset) & (align - 1))
			return wf_fail(c->e, -ENOEXEC,
				       "phdr %zu: p_vaddr " X " and p_offset " X
				       " differ modulo p_align " X,
				       i, ph->p_vaddr, ph->p_offset, align);
		if (align > img->max_align)
			img->max_align = align;
	}
	int err = check_file_range(c, i, "PT_LOAD", ph->p_offset, ph->p_filesz);
	if (!err)
		err = check_mem_range(c, i, "PT_LOAD", ph);
	if (err)
		return err;
	if ((ph->p_flags & (PF_W | PF_X)) == (PF_W | PF_X))
		return wf_fail(c->e, -ENOEXEC,
			       "phdr %zu: PT_LOAD is both writable and executable (p_flags 0x%x)",
			       i, (unsigned)ph->p_flags);
	if (ph->p_memsz == 0)
		return 0; /* maps nothing: ignored, as Linux does */

	if (img->nsegs) {
		const struct wf_elf_seg *prev = &img->segs[img->nsegs - 1];
		if (ph->p_vaddr < prev->vaddr)
			return wf_fail(c->e, -ENOEXEC,
				       "phdr %zu: PT_LOAD p_vaddr " X " is below phdr %u's " X
				       " (PT_LOADs must ascend)",
				       i, ph->p_vaddr, prev->phdr, prev->vaddr);
		if (ph->p_vaddr < prev->vaddr + prev->memsz)
			return wf_fail(c->e, -ENOEXEC,
				       "phdr %zu: PT_LOAD [" X ", " X ") overlaps phdr %u [" X
				       ", " X ")",
				       i, ph->p_vaddr, ph->p_vaddr + ph->p_memsz, prev->phdr,
				       prev->vaddr, prev->vaddr + prev->memsz);
	}
	if (img->nsegs == WF_ELF_MAX_SEGS)
		return wf_fail(c->e, -ENOEXEC, "phdr %zu: more than %d non-empty PT_LOAD segments",
			       i, WF_ELF_MAX_SEGS);
	struct wf_elf_seg *s = &img->segs[img->nsegs++];
	s->vaddr = ph->p_vaddr;
	s->memsz = ph->p_memsz;
	s->filesz = ph->p_filesz;
	s->offset = ph->p_offset;
	s->phdr = (unsigned)i;
	s->prot = 0;
	if (ph->p_flags & PF_R)
		s->prot |= WF_PROT_READ;
	if (ph->p_flags & PF_W)
		s->prot |= WF_PROT_WRITE;
	if (ph->p_flags & PF_X)
		s->prot |= WF_PROT_EXEC;
	return 0;
}

static int add_interp(struct ctx *c, size_t i, const GElf_Phdr *ph, struct wf_elf_image *img)
{
	if (img->has_interp)
		return wf_fail(c->e, -ENOEXEC, "phdr %zu: second PT_INTERP", i);
	int err = check_file_range(c, i, "PT_INTERP", ph->p_offset, ph->p_filesz);
	if (err)
		return err;
	if (ph->p_filesz < 2)
		return wf_fail(c->e, -ENOEXEC,
			       "phdr %zu: PT_INTERP p_filesz %" PRIu64 " is too small for a path",
			       i, ph->p_filesz);
	if (ph->p_filesz > WF_ELF_INTERP_MAX)
		return wf_fail(c->e, -ENOEXEC,
			       "phdr %zu: PT_INTERP p_filesz %" PRIu64 " exceeds %d bytes", i,
			       ph->p_filesz, WF_ELF_INTERP_MAX);
	size_t n = (size_t)ph->p_filesz;
	Elf_Data *d = elf_getdata_rawchunk(c->elf, (int64_t)ph->p_offset, n, ELF_T_BYTE);
	if (!d || !d->d_buf || d->d_size != n)
		return wf_fail(c->e, -ENOEXEC, "phdr %zu: libelf: elf_getdata_rawchunk: %s", i,
			       elf_errmsg(-1));
	const char *p = d->d_buf;
	if (p[n - 1] != '\0')
		return wf_fail(c->e, -ENOEXEC, "phdr %zu: PT_INTERP path is not NUL-terminated", i);
	size_t len = strnlen(p, n);
	if (len != n - 1)
		return wf_fail(c->e, -ENOEXEC,
			       "phdr %zu: PT_INTERP path has a NUL at byte %zu of %zu", i, len, n);
	memcpy(img->interp, p, n);
	img->has_interp = true;
	return 0;
}

static int add_tls(struct ctx *c, size_t i, const GElf_Phdr *ph, struct wf_elf_image *img)
{
	if (img->has_tls)
		return wf_fail(c->e, -ENOEXEC, "phdr %zu: second PT_TLS", i);
	int err = check_file_range(c, i, "PT_TLS", ph->p_offset, ph->p_filesz);
	if (!err)
		err = check_mem_range(c, i, "PT_TLS", ph);
	if (err)
		return err;
	if (ph->p_align > 1 && (!is_pow2(ph->p_align) || ph->p_align > WF_ELF_MAX_ALIGN))
		return wf_fail(c->e, -ENOEXEC,
			       "phdr %zu: PT_TLS p_align " X " is not a power of two up to 1 GiB",
			       i, ph->p_align);
	img->has_tls = true;
	img->tls_vaddr = ph->p_vaddr;
	img->tls_filesz = ph->p_filesz;
	img->tls_memsz = ph->p_memsz;
	img->tls_align = ph->p_align;
	c->tls_idx = (int)i;
	return 0;
}

static int add_phdr(struct ctx *c, size_t i, const GElf_Phdr *ph, struct wf_elf_image *img)
{
	if (c->phdr_idx >= 0)
		return wf_fail(c->e, -ENOEXEC, "phdr %zu: second PT_PHDR", i);
	int err = check_mem_range(c, i, "PT_PHDR", ph);
	if (err)
		return err;
	if (ph->p_memsz < c->tab_size)
		return wf_fail(c->e, -ENOEXEC,
			       "phdr %zu: PT_PHDR p_memsz " X " is smaller than the table (" X ")",
			       i, ph->p_memsz, c->tab_size);
	c->phdr_idx = (int)i;
	img->phdr_vaddr = ph->p_vaddr;
	return 0;
}

/* The PT_LOAD whose [vaddr, vaddr+memsz) contains [va, va+len), or NULL. */
static const struct wf_elf_seg *seg_at(const struct wf_elf_image *img, uint64_t va, uint64_t len)
{
	for (unsigned k = 0; k < img->nsegs; k++) {
		const struct wf_elf_seg *s = &img->segs[k];
		if (va >= s->vaddr && va - s->vaddr <= s->memsz &&
		    len <= s->memsz - (va - s->vaddr))
			return s;
	}
	return NULL;
}

/* Checks that need every program header: entry, PT_TLS and PT_PHDR placement, AT_PHDR. */
static int check_image(struct ctx *c, struct wf_elf_image *img)
{
	if (!img->nsegs)
		return wf_fail(c->e, -ENOEXEC, "no loadable segment (PT_LOAD with p_memsz > 0)");
	const struct wf_elf_seg *first = &img->segs[0], *last = &img->segs[img->nsegs - 1];
	img->lo = first->vaddr & ~(WF_PAGE_SIZE - 1);
	img->hi = (last->vaddr + last->memsz + WF_PAGE_SIZE - 1) & ~(WF_PAGE_SIZE - 1);

	const struct wf_elf_seg *s = seg_at(img, img->entry, 1);
	if (!s)
		return wf_fail(c->e, -ENOEXEC, "e_entry " X " is not inside any PT_LOAD",
			       img->entry);
	if (!(s->prot & WF_PROT_EXEC))
		return wf_fail(c->e, -ENOEXEC,
			       "e_entry " X " is in phdr %u, which is not executable", img->entry,
			       s->phdr);
	if (img->entry & 3)
		return wf_fail(c->e, -ENOEXEC, "e_entry " X " is not 4-byte aligned", img->entry);

	if (img->has_tls && !seg_at(img, img->tls_vaddr, img->tls_filesz))
		return wf_fail(c->e, -ENOEXEC,
			       "phdr %d: PT_TLS image [" X ", +" X ") is not inside any PT_LOAD",
			       c->tls_idx, img->tls_vaddr, img->tls_filesz);
	if (c->phdr_idx >= 0) {
		if (!seg_at(img, img->phdr_vaddr, c->tab_size))
			return wf_fail(c->e, -ENOEXEC,
				       "phdr %d: PT_PHDR [" X ", +" X ") is not inside any PT_LOAD",
				       c->phdr_idx, img->phdr_vaddr, c->tab_size);
		return 0;
	}
	/* No PT_PHDR: the table is mapped if a PT_LOAD's file bytes cover it. */
	for (unsigned k = 0; k < img->nsegs; k++) {
		s = &img->segs[k];
		uint64_t off = c->eh.e_phoff;
		if (off >= s->offset && off - s->offset <= s->filesz &&
		    c->tab_size <= s->filesz - (off - s->offset)) {
			img->phdr_vaddr = s->vaddr + (off - s->offset);
			break;
		}
	}
	return 0;
}

int wf_elf_parse(const uint8_t *data, size_t size, struct wf_elf_image *img, struct wf_err *e)
{
	if (!data || !img)
		return wf_fail(e, -EINVAL, "wf_elf_parse: NULL %s", data ? "image" : "data");
	memset(img, 0, sizeof(*img));
	struct ctx c = {.size = size, .phdr_idx = -1, .tls_idx = -1, .e = e};
	c.elf = open_mem(data, size, -ENOEXEC, e);
	if (!c.elf)
		return -ENOEXEC;
	int err = check_ident(&c, data);
	if (!err)
		err = check_ehdr(&c);
	if (err)
		goto out;
	img->type = c.eh.e_type;
	img->entry = c.eh.e_entry;
	img->phnum = (uint16_t)c.phnum;
	img->phentsize = c.eh.e_phentsize;
	img->max_align = WF_PAGE_SIZE;

	for (size_t i = 0; i < c.phnum && !err; i++) {
		GElf_Phdr ph;
		if (!gelf_getphdr(c.elf, (int)i, &ph)) {
			err = wf_fail(e, -ENOEXEC, "phdr %zu: libelf: gelf_getphdr: %s", i,
				      elf_errmsg(-1));
			break;
		}
		switch (ph.p_type) {
		case PT_LOAD:
			err = add_load(&c, i, &ph, img);
			break;
		case PT_INTERP:
			err = add_interp(&c, i, &ph, img);
			break;
		case PT_TLS:
			err = add_tls(&c, i, &ph, img);
			break;
		case PT_PHDR:
			err = add_phdr(&c, i, &ph, img);
			break;
		case PT_GNU_STACK:
			img->exec_stack = ph.p_flags & PF_X;
			break;
		default:
			break;
		}
	}
	if (!err)
		err = check_image(&c, img);
out:
	elf_end(c.elf);
	return err;
}

/* Search one symbol table section for a defined symbol called name. */
static int find_in(Elf *elf, Elf_Scn *scn, const char *name, uint64_t *value, struct wf_err *e)
{
	size_t ndx = elf_ndxscn(scn);
	GElf_Shdr sh;
	if (!gelf_getshdr(scn, &sh))
		return wf_fail(e, -EINVAL, "section %zu: libelf: gelf_getshdr: %s", ndx,
			       elf_errmsg(-1));
	size_t entsize = gelf_fsize(elf, ELF_T_SYM, 1, EV_CURRENT);
	if (sh.sh_entsize != entsize)
		return wf_fail(e, -EINVAL, "section %zu: symbol sh_entsize %" PRIu64 " is not %zu",
			       ndx, sh.sh_entsize, entsize);
	Elf_Data *d = elf_getdata(scn, NULL);
	if (!d)
		return wf_fail(e, -EINVAL, "section %zu: libelf: elf_getdata: %s", ndx,
			       elf_errmsg(-1));
	size_t n = d->d_size / entsize;
	if (n > INT_MAX)
		return wf_fail(e, -EINVAL, "section %zu: %zu symbols is too many", ndx, n);
	for (size_t i = 1; i < n; i++) {
		GElf_Sym sym;
		if (!gelf_getsym(d, (int)i, &sym))
			return wf_fail(e, -EINVAL, "section %zu: symbol %zu: libelf: %s", ndx, i,
				       elf_errmsg(-1));
		if (sym.st_shndx == SHN_UNDEF || sym.st_name == 0)
			continue;
		const char *s = elf_strptr(elf, sh.sh_link, sym.st_name);
		if (!s)
			return wf_fail(e, -EINVAL, "section %zu: symbol %zu: bad st_name: %s", ndx,
				       i, elf_errmsg(-1));
		if (!strcmp(s, name)) {
			*value = sym.st_value;
			return 0;
		}
	}
	return -ENOENT;
}

int wf_elf_symbol(const uint8_t *data, size_t size, const char *name, uint64_t *value,
		  struct wf_err *e)
{
	if (!data || !name || !value)
		return wf_fail(e, -EINVAL, "wf_elf_symbol: NULL argument");
	Elf *elf = open_mem(data, size, -EINVAL, e);
	if (!elf)
		return -EINVAL;
	int err = 0;
	if (elf_kind(elf) != ELF_K_ELF || gelf_getclass(elf) != ELFCLASS64) {
		err = wf_fail(e, -EINVAL, "not a 64-bit ELF file");
		goto out;
	}
	/* .symtab first (it has local and static symbols), then .dynsym. */
	Elf_Scn *tabs[2] = {NULL, NULL};
	Elf_Scn *scn = NULL;
	(void)elf_errno();
	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		if (!gelf_getshdr(scn, &sh))
			break;
		if (sh.sh_type == SHT_SYMTAB && !tabs[0])
			tabs[0] = scn;
		else if (sh.sh_type == SHT_DYNSYM && !tabs[1])
			tabs[1] = scn;
	}
	if (elf_errno()) {
		err = wf_fail(e, -EINVAL, "libelf: reading section headers: %s", elf_errmsg(-1));
		goto out;
	}
	err = -ENOENT;
	for (int k = 0; k < 2 && err == -ENOENT; k++)
		if (tabs[k])
			err = find_in(elf, tabs[k], name, value, e);
	if (err == -ENOENT)
		err = wf_fail(e, -ENOENT, "symbol \"%.64s\" not found%s", name,
			      tabs[0] || tabs[1] ? "" : " (no .symtab or .dynsym)");
out:
	elf_end(elf);
	return err;
}
