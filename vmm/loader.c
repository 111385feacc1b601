// SPDX-License-Identifier: Apache-2.0
/* loader.c: put a static aarch64 ELF into guest memory and build the initial stack as Linux does. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"
#include "elf/elf_load.h"
#include "linux/mm.h"
#include "vm_internal.h"

#define PAGE_DOWN(x) ((x) & ~(WF_PAGE_SIZE - 1))
#define PAGE_UP(x) (((x) + WF_PAGE_SIZE - 1) & ~(WF_PAGE_SIZE - 1))
#define PIE_BASE 0x400000ull             /* where static-PIE programs are placed */
#define MAX_ARG_BYTES (2ull * 1024 * 1024)

/* auxv types (uapi linux/auxvec.h) */
enum {
	AT_NULL_ = 0, AT_PHDR_ = 3, AT_PHENT_ = 4, AT_PHNUM_ = 5, AT_PAGESZ_ = 6, AT_BASE_ = 7,
	AT_FLAGS_ = 8, AT_ENTRY_ = 9, AT_UID_ = 11, AT_EUID_ = 12, AT_GID_ = 13, AT_EGID_ = 14,
	AT_PLATFORM_ = 15, AT_HWCAP_ = 16, AT_CLKTCK_ = 17, AT_SECURE_ = 23, AT_RANDOM_ = 25,
	AT_HWCAP2_ = 26, AT_EXECFN_ = 31, AT_MINSIGSTKSZ_ = 51,
};

/* What Linux 6.1 reports as signal_minsigstksz for a vCPU without SVE/SME: the rt_sigframe
 * with fpsimd, esr and extra contexts plus the frame record, as measured natively. */
#define WF_MINSIGSTKSZ 4720

/* Read a program or interpreter: its path is the guest's (inside the --sysroot, if any). */
static int read_file(struct wf_proc *p, const char *path, uint8_t **data, size_t *size,
		     uint64_t max, struct wf_err *e)
{
	int fd = wf_proc_open_root(p, path);
	if (fd < 0)
		return wf_fail(e, fd, "cannot open %s: %s", path, strerror(-fd));
	struct stat st;
	if (fstat(fd, &st) < 0) {
		int rc = wf_fail_errno(e, "cannot stat %s", path);
		close(fd);
		return rc;
	}
	if (!S_ISREG(st.st_mode) || (uint64_t)st.st_size > max) {
		close(fd);
		return wf_fail(e, S_ISREG(st.st_mode) ? -EFBIG : -EACCES,
			       "%s: %s", path, S_ISREG(st.st_mode) ?
				       "larger than guest memory" : "not a regular file");
	}
	uint8_t *buf = malloc(st.st_size ? (size_t)st.st_size : 1);
	if (!buf) {
		close(fd);
		return wf_fail(e, -ENOMEM, "out of host memory reading %s", path);
	}
	size_t done = 0;
	while (done < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + done, (size_t)st.st_size - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			int rc = n < 0 ? wf_fail_errno(e, "cannot read %s", path) :
					 wf_fail(e, -EIO, "%s shrank while being read", path);
			free(buf);
			close(fd);
			return rc;
		}
		done += (size_t)n;
	}
	close(fd);
	*data = buf;
	*size = done;
	return 0;
}

static unsigned seg_prot(const struct wf_elf_seg *s)
{
	return s->prot;
}

/* Map every PT_LOAD (a page shared by two segments gets both protections), then copy. */
static int load_segments(struct wf_vm *vm, const uint8_t *data, const struct wf_elf_image *img,
			 uint64_t bias, uint64_t *image_end, struct wf_err *e)
{
	struct wf_proc *p = &vm->proc;
	uint64_t mapped_end = 0;
	for (unsigned i = 0; i < img->nsegs; i++) {
		const struct wf_elf_seg *s = &img->segs[i];
		uint64_t start = PAGE_DOWN(s->vaddr + bias), end = PAGE_UP(s->vaddr + bias + s->memsz);
		uint64_t low_top = p->mem.base + p->mem.size; /* the identity-mapped low window */
		if (start < p->mmap_min || end > low_top || end <= start)
			return wf_fail(e, -ENOMEM,
				       "segment %u [%#llx, %#llx) does not fit the guest's address space"
				       " [%#llx, %#llx) (try a larger --mem)",
				       i, (unsigned long long)start, (unsigned long long)end,
				       (unsigned long long)p->mmap_min, (unsigned long long)low_top);
		if (start < mapped_end) {
			/* The first page is shared with the previous segment. */
			unsigned prev = p->mem.prot[(start - p->mem.base) / WF_PAGE_SIZE];
			int rc = p->mmu->protect(p->mmu_ctx, start, WF_PAGE_SIZE, prev | seg_prot(s));
			p->mem.prot[(start - p->mem.base) / WF_PAGE_SIZE] = (uint8_t)(prev | seg_prot(s));
			if (rc)
				return wf_fail(e, rc, "cannot map segment %u", i);
			start += WF_PAGE_SIZE;
		}
		if (start < end) {
			int rc = wf_mm_map_fixed(p, start, end - start, seg_prot(s),
						 0x02 /* MAP_PRIVATE */);
			if (rc)
				return wf_fail(e, rc, "cannot map segment %u at %#llx", i,
					       (unsigned long long)start);
		}
		mapped_end = end;
	}
	for (unsigned i = 0; i < img->nsegs; i++) {
		const struct wf_elf_seg *s = &img->segs[i];
		uint8_t *dst = vm->ram + s->vaddr + bias;
		memcpy(dst, data + s->offset, s->filesz);
		memset(dst + s->filesz, 0, s->memsz - s->filesz);
	}
	*image_end = mapped_end;
	return 0;
}

/* Where guest stack address va (in the stack's window) is in host memory. */
static uint8_t *stack_host(struct wf_vm *vm, uint64_t va)
{
	return vm->ram + vm->layout.stack_ipa + (va - (WF_USER_TOP - WF_STACK_SIZE));
}

/* Builds the stack downwards from `sp` in guest memory. */
struct stack {
	struct wf_vm *vm;
	uint64_t sp, floor;
	bool overflow;
};

static uint64_t push_bytes(struct stack *st, const void *data, size_t len, size_t align)
{
	if (st->sp - st->floor < len + align) {
		st->overflow = true;
		return 0;
	}
	st->sp = (st->sp - len) & ~(uint64_t)(align - 1);
	memcpy(stack_host(st->vm, st->sp), data, len);
	return st->sp;
}

static uint64_t push_str(struct stack *st, const char *s)
{
	return push_bytes(st, s, strlen(s) + 1, 1);
}

/* Where the interpreter of a dynamic program went. */
struct interp {
	bool loaded;
	uint64_t bias, entry, lo;
};

static int build_stack(struct wf_vm *vm, const struct wf_elf_image *img, uint64_t bias,
		       const struct interp *in, const char *path, int argc, char *const argv[],
		       char *const envp[], struct wf_err *e)
{
	struct wf_proc *p = &vm->proc;
	/* The stack's window, at the top of the user range (RAM at vm->layout.stack_ipa). */
	uint64_t top = WF_USER_TOP, bottom = top - WF_STACK_SIZE;
	int rc = wf_mm_map_fixed(p, bottom, WF_STACK_SIZE, WF_PROT_READ | WF_PROT_WRITE,
				 0x02 | 0x20 | 0x100 | 0x20000 /* PRIVATE|ANON|GROWSDOWN|STACK */);
	if (rc)
		return wf_fail(e, rc, "cannot map the stack");
	p->mmap_top = p->mem.base + p->mem.size; /* mmap's arena: the low window's top down */
	if (in->loaded)
		p->mmap_top = in->lo; /* mmap and brk stay below the interpreter */

	int envc = 0;
	while (envp && envp[envc])
		envc++;
	uint64_t *argv_g = calloc((size_t)argc + 1, sizeof(uint64_t));
	uint64_t *envp_g = calloc((size_t)envc + 1, sizeof(uint64_t));
	if (!argv_g || !envp_g) {
		free(argv_g);
		free(envp_g);
		return wf_fail(e, -ENOMEM, "out of host memory building the stack");
	}
	struct stack st = {.vm = vm, .sp = top - 16, .floor = top - MAX_ARG_BYTES};
	/* Strings at the top, as execve leaves them: the file name, environment, arguments. */
	uint64_t execfn = push_str(&st, path);
	for (int i = envc - 1; i >= 0; i--)
		envp_g[i] = push_str(&st, envp[i]);
	for (int i = argc - 1; i >= 0; i--)
		argv_g[i] = push_str(&st, argv[i]);
	/* /proc/self/cmdline and environ: the strings as the kernel finds them (contiguous). */
	p->arg_start = argc ? argv_g[0] : (envc ? envp_g[0] : execfn);
	p->arg_end = envc ? envp_g[0] : execfn;
	p->env_start = p->arg_end;
	p->env_end = execfn;
	uint64_t platform = push_str(&st, "aarch64");
	uint8_t rnd[16];
	wf_proc_random(p, rnd, sizeof(rnd));
	uint64_t random = push_bytes(&st, rnd, sizeof(rnd), 16);

	uint64_t phdr = img->phdr_vaddr ? img->phdr_vaddr + bias : 0;
	const uint64_t auxv[][2] = {
		{AT_MINSIGSTKSZ_, WF_MINSIGSTKSZ},
		{AT_HWCAP_, vm->arch.hwcap},
		{AT_PAGESZ_, WF_PAGE_SIZE},
		{AT_CLKTCK_, 100},
		{AT_PHDR_, phdr},
		{AT_PHENT_, img->phentsize},
		{AT_PHNUM_, img->phnum},
		{AT_BASE_, in->bias},
		{AT_FLAGS_, 0},
		{AT_ENTRY_, img->entry + bias},
		{AT_UID_, p->uid},
		{AT_EUID_, p->uid},
		{AT_GID_, p->gid},
		{AT_EGID_, p->gid},
		{AT_SECURE_, 0},
		{AT_RANDOM_, random},
		{AT_HWCAP2_, vm->arch.hwcap2},
		{AT_EXECFN_, execfn},
		{AT_PLATFORM_, platform},
		{AT_NULL_, 0},
	};
	size_t words = 1 + (size_t)argc + 1 + (size_t)envc + 1 + sizeof(auxv) / 8;
	if (st.overflow || st.sp - st.floor < words * 8 + 16) {
		free(argv_g);
		free(envp_g);
		return wf_fail(e, -E2BIG, "arguments and environment exceed %llu KiB",
			       MAX_ARG_BYTES / 1024);
	}
	/* argc, argv[], NULL, envp[], NULL, auxv pairs; SP 16-byte aligned at argc. */
	st.sp = (st.sp - words * 8) & ~15ull;
	uint64_t *w = (uint64_t *)(void *)stack_host(vm, st.sp);
	*w++ = (uint64_t)argc;
	memcpy(w, argv_g, ((size_t)argc + 1) * 8);
	w += argc + 1;
	memcpy(w, envp_g, ((size_t)envc + 1) * 8);
	w += envc + 1;
	memcpy(w, auxv, sizeof(auxv));
	free(argv_g);
	free(envp_g);

	struct wf_abi_frame *f = vm->frame;
	memset(f->x, 0, sizeof(f->x));
	f->sp = st.sp;
	f->pc = in->loaded ? in->entry : img->entry + bias;
	f->pstate = WF_ABI_PSTATE_EL0;
	f->tpidr = 0;
	f->flags |= (1ull << WF_FRAME_F_TLBI_BIT) | (1ull << WF_FRAME_F_SET_TPIDR_BIT);
	return 0;
}

/*
 * A dynamic program: load its PT_INTERP (ld.so) as the kernel does, just below the stack's
 * guard gap, and start there; ld.so then maps the program's libraries itself through the
 * emulated openat and mmap, and applies every relocation itself (nothing is pre-relocated
 * here: DT_RELR entries, for one, must be applied exactly once). The interpreter is read from
 * the --sysroot (wf_vm_set_root), or else from the host's own path, read-only; then the
 * guest reaches the libraries through the allow-list, to which the host's library
 * directories are added (read-only) when they exist.
 */
static const char *const lib_dirs[] = {"/lib", "/lib64", "/usr/lib", "/usr/lib64"};

static int load_interp(struct wf_vm *vm, const struct wf_elf_image *prog, uint64_t prog_bias,
		       const char *path, struct interp *in, struct wf_err *e)
{
	struct wf_proc *p = &vm->proc;
	uint8_t *data;
	size_t size;
	char why[sizeof(e->msg)];
	int rc = read_file(p, prog->interp, &data, &size, vm->layout.ram_size, e);
	if (rc) {
		snprintf(why, sizeof(why), "%s", e->msg);
		return wf_fail(e, rc, "%s: its interpreter: %s", path, why);
	}
	struct wf_elf_image img;
	if ((rc = wf_elf_parse(data, size, &img, e))) {
		free(data);
		snprintf(why, sizeof(why), "%s", e->msg);
		return wf_fail(e, rc, "%s: its interpreter %s: %s", path, prog->interp, why);
	}
	if (img.type != 3 /* ET_DYN */ || img.has_interp) {
		free(data);
		return wf_fail(e, -ELIBBAD, "%s: its interpreter %s is not a shared object without "
				  "an interpreter of its own", path, prog->interp);
	}
	uint64_t align = img.max_align > WF_PAGE_SIZE ? img.max_align : WF_PAGE_SIZE;
	uint64_t span = img.hi - img.lo;
	uint64_t top = PAGE_DOWN(p->mem.base + p->mem.size); /* the low window's top */
	if (span > top) {
		free(data);
		return wf_fail(e, -ENOMEM, "%s: no room for its interpreter", path);
	}
	uint64_t lo = (top - span) / align * align;
	if (lo < prog->hi + prog_bias && prog->lo + prog_bias < lo + span) {
		free(data);
		return wf_fail(e, -ENOMEM, "%s: its image reaches where the interpreter goes "
				  "(%#llx); try a larger --mem", path, (unsigned long long)lo);
	}
	in->loaded = true;
	in->bias = lo - img.lo;
	in->lo = lo;
	in->entry = img.entry + in->bias;
	uint64_t end;
	rc = load_segments(vm, data, &img, in->bias, &end, e);
	free(data);
	if (rc)
		return rc;
	for (unsigned i = 0; i < p->nallow; i++)
		if (p->allow[i].in_root)
			return 0; /* a --sysroot: all of it is readable already */
	for (size_t i = 0; i < ARRAY_SIZE(lib_dirs); i++) {
		bool listed = false; /* already allowed by the embedder: keep its permission */
		for (unsigned k = 0; k < p->nallow; k++)
			listed |= !strcmp(p->allow[k].path, lib_dirs[i]);
		if (listed)
			continue;
		rc = wf_proc_allow(p, lib_dirs[i], false);
		if (rc && rc != -ENOENT && rc != -ENOTDIR)
			return wf_fail(e, rc, "cannot allow %s for the interpreter", lib_dirs[i]);
	}
	return 0;
}

/* /proc/self/exe: the program's absolute path as the guest sees it (inside the --sysroot a
 * path is the root's; outside one, a relative path is the host's current directory's). */
static void set_exe(struct wf_vm *vm, const char *path)
{
	struct wf_proc *p = &vm->proc;
	char cwd[4096] = "/";
	bool root = false, must_dir;
	int last_dot;
	for (unsigned i = 0; i < p->nallow; i++)
		root |= p->allow[i].in_root;
	if (path[0] != '/' && !root && !getcwd(cwd, sizeof(cwd)))
		strcpy(cwd, "/");
	if (wf_path_join(p->exe, sizeof(p->exe), cwd, path, &must_dir, &last_dot))
		p->exe[0] = 0;
}

static int load_image(struct wf_vm *vm, const char *path, int argc, char *const argv[],
		      char *const envp[], struct wf_err *e);

int wf_loader_load(struct wf_vm *vm, const char *path, int argc, char *const argv[],
		   char *const envp[], struct wf_err *e)
{
	if (vm->image.elf)
		return wf_fail(e, -EBUSY, "a program is already loaded in this VM");
	int rc = read_file(&vm->proc, path, &vm->image.elf, &vm->image.elf_size, vm->layout.ram_size, e);
	return rc ? rc : load_image(vm, path, argc, argv, envp, e);
}

int wf_loader_exec(struct wf_vm *vm, uint8_t *elf, size_t size, const char *path, int argc,
		   char *const argv[], char *const envp[], struct wf_err *e)
{
	vm->image.elf = elf;
	vm->image.elf_size = size;
	int rc = load_image(vm, path, argc, argv, envp, e);
	/* A new program starts with zero FP/SIMD registers (the frame's, in new RAM). */
	vm->frame->flags |= 1ull << WF_FRAME_F_LOAD_FP_BIT;
	return rc;
}

/* Load the program in vm->image (read from guest path `path`) and build its stack. */
static int load_image(struct wf_vm *vm, const char *path, int argc, char *const argv[],
		      char *const envp[], struct wf_err *e)
{
	int rc;
	struct wf_elf_image img;
	if ((rc = wf_elf_parse(vm->image.elf, vm->image.elf_size, &img, e)))
		return rc;
	/* A PIE moves by a multiple of its largest alignment, so p_vaddr stays congruent. */
	uint64_t align = img.max_align > WF_PAGE_SIZE ? img.max_align : WF_PAGE_SIZE;
	uint64_t bias = img.type == 3 /* ET_DYN */ ? (PIE_BASE + align - 1) / align * align : 0;
	vm->image.load_bias = bias;
	uint64_t end;
	if ((rc = load_segments(vm, vm->image.elf, &img, bias, &end, e)))
		return rc;
	struct interp in = {0};
	if (img.has_interp && (rc = load_interp(vm, &img, bias, path, &in, e)))
		return rc;
	vm->proc.brk_start = vm->proc.brk_cur = end;
	/* As exec: the task's name is the file name's last component, cut to 15 bytes. */
	const char *base = strrchr(path, '/');
	snprintf(vm->proc.comm, sizeof(vm->proc.comm), "%s", base ? base + 1 : path);
	set_exe(vm, path);
	if ((rc = build_stack(vm, &img, bias, &in, path, argc, argv, envp, e)))
		return rc;
	vm->proc.brk_max = vm->proc.mmap_top;
	return 0;
}
