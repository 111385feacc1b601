// SPDX-License-Identifier: Apache-2.0
/* filemap_test_guest.c: guest for filemap_test: maps a file read-only (and shared), then lets the test read, write and remap it. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "warmfork.h"

#define TAIL_PAGES 2 /* mapped past the end of the file: they read as zero */

static int fd = -1;
static uint8_t *map;   /* the file mapped at start-up (before the ready point) */
static size_t map_len; /* the file's size rounded up to pages, plus TAIL_PAGES */

static size_t page_up(size_t n)
{
	return (n + 4095) & ~(size_t)4095;
}

/* FNV-1a over len bytes at addr. */
long fm_hash(long addr, long len);
long fm_hash(long addr, long len)
{
	const uint8_t *b = (const uint8_t *)addr;
	uint64_t h = 14695981039346656037ull;
	for (long i = 0; i < len; i++)
		h = (h ^ b[i]) * 1099511628211ull;
	return (long)h;
}

long fm_map(void);
long fm_map(void)
{
	return (long)map;
}

long fm_len(void);
long fm_len(void)
{
	return (long)map_len;
}

/* Make the page holding byte i writable and write v there: the mapping's hash after. */
long fm_write(long i, long v);
long fm_write(long i, long v)
{
	uint8_t *page = map + (i & ~4095l);
	if (mprotect(page, 4096, PROT_READ | PROT_WRITE))
		return -1;
	map[i] = (uint8_t)v;
	return fm_hash((long)map, (long)map_len);
}

/* Fresh anonymous pages over n pages at byte i (page aligned): the mapping's hash after. */
long fm_anon(long i, long n);
long fm_anon(long i, long n)
{
	uint8_t *p = mmap(map + i, (size_t)n * 4096, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	return p == MAP_FAILED ? -1 : fm_hash((long)map, (long)map_len);
}

/* Map the file again, read-only, somewhere new: its address (or -1). */
long fm_map_again(long off);
long fm_map_again(long off)
{
	uint8_t *p = mmap(NULL, map_len - (size_t)off, PROT_READ, MAP_PRIVATE, fd, off);
	return p == MAP_FAILED ? -1 : (long)p;
}

static const char *file_path;
static uint8_t *shared; /* the file's first page mapped MAP_SHARED (fm_shared) */

/* Map the file's first page shared and writable, and store v at byte 1: its address. */
long fm_shared(long v);
long fm_shared(long v)
{
	int w = open(file_path, O_RDWR);
	if (w < 0)
		return -1;
	shared = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, w, 0);
	close(w);
	if (shared == MAP_FAILED)
		return -1;
	shared[1] = (uint8_t)v;
	return (long)shared;
}

/* Store v at byte i of the shared page mapped earlier. */
long fm_poke_shared(long i, long v);
long fm_poke_shared(long i, long v)
{
	shared[i] = (uint8_t)v;
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2 || (fd = open(argv[1], O_RDONLY)) < 0)
		return 2;
	struct stat st;
	if (fstat(fd, &st))
		return 3;
	map_len = page_up((size_t)st.st_size) + TAIL_PAGES * 4096;
	map = mmap(NULL, map_len, PROT_READ, MAP_PRIVATE, fd, 0);
	if (map == MAP_FAILED)
		return 4;
	file_path = argv[1];
	/* "split": write one page in the middle before the ready point (the master's map splits);
	 * "shared": map the first page shared and write it. */
	if (argc > 2 && !strcmp(argv[2], "split") && fm_write(7 * 4096 + 5, 0x55) == -1)
		return 5;
	if (argc > 2 && !strcmp(argv[2], "shared") && fm_shared(0x5a) == -1)
		return 6;
	warmfork_ready();
	return 0;
}
