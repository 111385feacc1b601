// SPDX-License-Identifier: Apache-2.0
/* auxdump.c: print what a static program sees at startup: argc, argv, the environment and the
 * auxiliary vector (through getauxval and by walking the raw vector after envp).
 *
 * The output is deterministic for a given command line and environment, so it can be compared
 * byte for byte between a native run and a sandboxed one:
 * - addresses are never printed raw: AT_PHDR and AT_ENTRY print as offsets from __ehdr_start
 *   after checking they lie inside the loaded image, AT_RANDOM/AT_EXECFN/AT_PLATFORM as checks
 *   or strings;
 * - AT_HWCAP and AT_HWCAP2 print as-is (hex). A sandbox may legitimately mask feature bits, so
 *   the comparison may normalise exactly those two lines (see guests/cases/basic.cases).
 */
#include <elf.h>
#include <errno.h>
#include <link.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>
#include <unistd.h>

#ifndef AT_MINSIGSTKSZ
#define AT_MINSIGSTKSZ 51
#endif

extern const ElfW(Ehdr) __ehdr_start;
extern char _end[];
extern void _start(void);

static const char *at_name(unsigned long t)
{
	switch (t) {
	case AT_NULL: return "AT_NULL";
	case AT_IGNORE: return "AT_IGNORE";
	case AT_EXECFD: return "AT_EXECFD";
	case AT_PHDR: return "AT_PHDR";
	case AT_PHENT: return "AT_PHENT";
	case AT_PHNUM: return "AT_PHNUM";
	case AT_PAGESZ: return "AT_PAGESZ";
	case AT_BASE: return "AT_BASE";
	case AT_FLAGS: return "AT_FLAGS";
	case AT_ENTRY: return "AT_ENTRY";
	case AT_NOTELF: return "AT_NOTELF";
	case AT_UID: return "AT_UID";
	case AT_EUID: return "AT_EUID";
	case AT_GID: return "AT_GID";
	case AT_EGID: return "AT_EGID";
	case AT_PLATFORM: return "AT_PLATFORM";
	case AT_HWCAP: return "AT_HWCAP";
	case AT_CLKTCK: return "AT_CLKTCK";
	case AT_SECURE: return "AT_SECURE";
	case AT_BASE_PLATFORM: return "AT_BASE_PLATFORM";
	case AT_RANDOM: return "AT_RANDOM";
	case AT_HWCAP2: return "AT_HWCAP2";
	case 27: return "AT_RSEQ_FEATURE_SIZE";
	case 28: return "AT_RSEQ_ALIGN";
	case 29: return "AT_HWCAP3";
	case 30: return "AT_HWCAP4";
	case AT_EXECFN: return "AT_EXECFN";
	case AT_SYSINFO_EHDR: return "AT_SYSINFO_EHDR";
	case AT_MINSIGSTKSZ: return "AT_MINSIGSTKSZ";
	default: return "?";
	}
}

/* Is [p, p+len) inside the loaded image (from the ELF header to the end of .bss)? */
static int in_image(uintptr_t p, size_t len)
{
	uintptr_t lo = (uintptr_t)&__ehdr_start, hi = (uintptr_t)_end;
	return p >= lo && p <= hi && len <= hi - p;
}

/* Print an address that must lie inside the image as an offset from __ehdr_start. */
static void print_image_addr(const char *name, unsigned long v)
{
	if (in_image(v, 1))
		printf("%s=__ehdr_start+0x%lx\n", name, v - (unsigned long)(uintptr_t)&__ehdr_start);
	else
		printf("%s=outside-image\n", name);
}

static void print_str(const char *name, unsigned long v)
{
	if (!v)
		printf("%s=(null)\n", name);
	else
		printf("%s=\"%s\"\n", name, (const char *)(uintptr_t)v);
}

int main(int argc, char **argv, char **envp)
{
	int i, bad = 0;

	printf("argc=%d\n", argc);
	for (i = 0; i < argc; i++)
		printf("argv[%d]=\"%s\"\n", i, argv[i]);
	printf("argv[argc]=%s\n", argv[argc] ? "non-null" : "NULL");
	printf("envp follows argv: %s\n", envp == argv + argc + 1 ? "yes" : "no");
	for (i = 0; envp[i]; i++)
		printf("env[%d]=\"%s\"\n", i, envp[i]);
	printf("envc=%d\n", i);

	/* getauxval view. */
	unsigned long phdr = getauxval(AT_PHDR);
	print_image_addr("AT_PHDR", phdr);
	printf("AT_PHDR is e_phoff: %s\n",
	       phdr == (uintptr_t)&__ehdr_start + __ehdr_start.e_phoff ? "yes" : "no");
	printf("AT_PHENT=%lu\n", getauxval(AT_PHENT));
	printf("AT_PHNUM=%lu (e_phnum %u)\n", getauxval(AT_PHNUM), (unsigned)__ehdr_start.e_phnum);
	printf("AT_PAGESZ=%lu\n", getauxval(AT_PAGESZ));
	printf("sysconf(_SC_PAGESIZE)=%ld\n", sysconf(_SC_PAGESIZE));
	unsigned long entry = getauxval(AT_ENTRY);
	print_image_addr("AT_ENTRY", entry);
	printf("AT_ENTRY is _start: %s\n", entry == (uintptr_t)&_start ? "yes" : "no");
	printf("AT_BASE=0x%lx\n", getauxval(AT_BASE));
	printf("AT_FLAGS=0x%lx\n", getauxval(AT_FLAGS));

	unsigned long rnd = getauxval(AT_RANDOM);
	if (!rnd) {
		printf("AT_RANDOM=(null)\n");
	} else {
		/* Read all 16 bytes (a fault here is a failure too); never print them. */
		volatile const unsigned char *r = (const unsigned char *)(uintptr_t)rnd;
		unsigned acc = 0;
		for (i = 0; i < 16; i++)
			acc |= r[i];
		printf("AT_RANDOM=non-null, 16 bytes readable, %s\n",
		       acc ? "not all zero" : "ALL ZERO");
		printf("AT_RANDOM inside image: %s\n", in_image(rnd, 16) ? "yes" : "no");
	}

	printf("AT_HWCAP=0x%lx\n", getauxval(AT_HWCAP));
	printf("AT_HWCAP2=0x%lx\n", getauxval(AT_HWCAP2));
	printf("AT_CLKTCK=%lu\n", getauxval(AT_CLKTCK));
	printf("sysconf(_SC_CLK_TCK)=%ld\n", sysconf(_SC_CLK_TCK));
	printf("AT_UID=%lu getuid=%lu\n", getauxval(AT_UID), (unsigned long)getuid());
	printf("AT_EUID=%lu geteuid=%lu\n", getauxval(AT_EUID), (unsigned long)geteuid());
	printf("AT_GID=%lu getgid=%lu\n", getauxval(AT_GID), (unsigned long)getgid());
	printf("AT_EGID=%lu getegid=%lu\n", getauxval(AT_EGID), (unsigned long)getegid());
	printf("AT_SECURE=%lu\n", getauxval(AT_SECURE));
	print_str("AT_EXECFN", getauxval(AT_EXECFN));
	print_str("AT_PLATFORM", getauxval(AT_PLATFORM));
	printf("AT_MINSIGSTKSZ=%lu\n", getauxval(AT_MINSIGSTKSZ));
	printf("AT_SYSINFO_EHDR=%s\n", getauxval(AT_SYSINFO_EHDR) ? "present" : "absent");
	errno = 0;
	unsigned long missing = getauxval(12345);
	printf("getauxval(12345)=%lu errno=%s\n", missing, errno == ENOENT ? "ENOENT" : strerror(errno));

	/* Raw view: the vector right after the environment's NULL, in order. */
	char **p = envp;
	while (*p)
		p++;
	const ElfW(auxv_t) *av = (const ElfW(auxv_t) *)(p + 1);
	for (; av->a_type != AT_NULL; av++) {
		printf("auxv: %s (%lu)\n", at_name(av->a_type), (unsigned long)av->a_type);
		if (av->a_type != AT_IGNORE && getauxval(av->a_type) != av->a_un.a_val) {
			printf("auxv: %s raw value differs from getauxval\n", at_name(av->a_type));
			bad = 1;
		}
	}
	printf("auxv: AT_NULL\n");
	printf("auxv raw matches getauxval: %s\n", bad ? "no" : "yes");
	return bad;
}
