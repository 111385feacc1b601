// SPDX-License-Identifier: Apache-2.0
/* mallocstress.c: exercise glibc malloc (and so brk, mmap, munmap, mremap) with a deterministic
 * workload and print a checksum of everything it observed.
 *
 * - many sizes from 1 byte to 1 MiB, each block stamped with a pattern derived from its id and
 *   verified before it is freed (a corrupted or lost page shows as "corrupt" lines);
 * - large blocks (> 128 KiB, the mmap threshold pinned with mallopt so glibc really uses mmap);
 * - realloc growth chains (grow step by step up to 2 MiB, checking the preserved prefix) and
 *   shrinking;
 * - calloc zeroing checks (also after the same memory was dirtied and freed);
 * - frees in mixed order (random, LIFO, FIFO).
 * The output never depends on addresses: same binary, same output, native or sandboxed.
 * Exit status 0 when every check passed, 1 otherwise.
 */
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NSLOTS 512
#define MIB (1024 * 1024)

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;
static uint64_t rng(void) /* xorshift64* */
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dULL;
}

static uint64_t sum = 0xcbf29ce484222325ULL; /* FNV-1a over the observations */
static void mix(uint64_t v)
{
	for (int i = 0; i < 8; i++) {
		sum ^= (v >> (8 * i)) & 0xff;
		sum *= 0x100000001b3ULL;
	}
}

static int failures;
static void fail(const char *what, unsigned long id, size_t size)
{
	if (failures++ < 20)
		printf("FAIL: %s (block %lu, size %zu)\n", what, id, size);
}

struct slot {
	unsigned char *p;
	size_t size;
	unsigned long id;
};
static struct slot slots[NSLOTS];

static unsigned char pat(unsigned long id, size_t i)
{
	return (unsigned char)(id * 131 + i * 7 + (i >> 9));
}

/* Which bytes carry the pattern: all of the first 64 KiB and every 512th byte after that
 * (plus a block's last byte), so large blocks stay cheap to fill under emulation while every
 * page is touched. The rule depends on the position only, never on the block size. */
static void fill(unsigned char *p, size_t n, unsigned long id)
{
	for (size_t i = 0; i < n; i += i < 65536 ? 1 : 512)
		p[i] = pat(id, i);
	if (n)
		p[n - 1] = pat(id, n - 1);
}

static int check(const unsigned char *p, size_t n, unsigned long id)
{
	uint64_t h = 0;
	for (size_t i = 0; i < n; i += i < 65536 ? 1 : 512) {
		if (p[i] != pat(id, i))
			return 0;
		h += p[i];
	}
	if (n && p[n - 1] != pat(id, n - 1))
		return 0;
	mix(h);
	return 1;
}

static size_t pick_size(void)
{
	uint64_t r = rng();
	switch (r % 8) {
	case 0: return 1 + (r >> 8) % 16;                  /* tiny */
	case 1: case 2: return 1 + (r >> 8) % 256;         /* small (tcache/fastbins) */
	case 3: case 4: return 1 + (r >> 8) % 4096;        /* medium */
	case 5: return 4096 + (r >> 8) % 65536;            /* large, brk heap */
	case 6: return 1 + (r >> 8) % (128 * 1024);        /* up to the mmap threshold */
	default:
		if ((r >> 40) % 4 == 0)
			return 128 * 1024 + 1 + (r >> 8) % (MIB - 128 * 1024); /* mmap-served */
		return 1 + (r >> 8) % 1024;
	}
}

static void release(struct slot *s)
{
	if (!s->p)
		return;
	if (!check(s->p, s->size, s->id))
		fail("corrupt before free", s->id, s->size);
	free(s->p);
	s->p = NULL;
}

static int all_zero(const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return 0;
	return 1;
}

int main(void)
{
	unsigned long next_id = 1, allocs = 0, large = 0;
	size_t maxsize = 0;

	if (mallopt(M_MMAP_THRESHOLD, 128 * 1024) != 1)
		fail("mallopt(M_MMAP_THRESHOLD)", 0, 0);

	/* Phase 1: random allocate/free over a table of slots. */
	for (int round = 0; round < 20000; round++) {
		struct slot *s = &slots[rng() % NSLOTS];
		release(s);
		if (s->p == NULL && (rng() & 3) != 0) {
			size_t n = pick_size();
			s->p = malloc(n);
			if (!s->p) {
				fail("malloc returned NULL", next_id, n);
				continue;
			}
			s->size = n;
			s->id = next_id++;
			fill(s->p, n, s->id);
			allocs++;
			if (n > 128 * 1024)
				large++;
			if (n > maxsize)
				maxsize = n;
		}
	}
	/* Free the rest in mixed order: odd slots forward, even slots backward. */
	for (int i = 1; i < NSLOTS; i += 2)
		release(&slots[i]);
	for (int i = NSLOTS - 2; i >= 0; i -= 2)
		release(&slots[i]);
	printf("phase 1: %lu allocations (%lu over 128 KiB), largest %zu bytes\n", allocs, large,
	       maxsize);

	/* Phase 2: every power-of-two size and its neighbours, 1 .. 1 MiB, LIFO and FIFO frees. */
	unsigned char *blk[64];
	size_t bsz[64];
	int nb = 0;
	for (size_t n = 1; n <= MIB; n *= 2) {
		for (int d = -1; d <= 1; d++) {
			size_t sz = n + d;
			if (sz == 0 || sz > MIB || nb == 64)
				continue;
			blk[nb] = malloc(sz);
			if (!blk[nb]) {
				fail("malloc returned NULL", 0, sz);
				continue;
			}
			bsz[nb] = sz;
			fill(blk[nb], sz, 1000000 + nb);
			nb++;
		}
	}
	for (int i = 0; i < nb; i++)
		if (!check(blk[i], bsz[i], 1000000 + i))
			fail("power-of-two block corrupt", i, bsz[i]);
	for (int i = nb - 1; i >= nb / 2; i--)
		free(blk[i]);
	for (int i = 0; i < nb / 2; i++)
		free(blk[i]);
	printf("phase 2: %d power-of-two blocks\n", nb);

	/* Phase 3: realloc growth chains (from 1 byte to 2 MiB) and a shrink back. */
	for (int chain = 0; chain < 4; chain++) {
		unsigned long id = 2000000 + chain;
		size_t n = 1;
		unsigned char *p = malloc(n);
		if (!p) {
			fail("malloc returned NULL", id, n);
			continue;
		}
		fill(p, n, id);
		int steps = 0;
		while (n < 2 * MIB) {
			size_t m = n + n / (chain + 1) + 1 + rng() % 97;
			unsigned char *q = realloc(p, m);
			if (!q) {
				fail("realloc returned NULL", id, m);
				break;
			}
			p = q;
			/* The old contents survive: check the prefix with the old size's pattern. */
			if (!check(p, n, id))
				fail("realloc lost data", id, n);
			fill(p, m, id);
			n = m;
			steps++;
		}
		while (n > 16) {
			size_t m = n / 3;
			p[m - 1] = pat(id, m - 1); /* the new last byte */
			unsigned char *q = realloc(p, m);
			if (!q) {
				fail("realloc (shrink) returned NULL", id, m);
				break;
			}
			p = q;
			n = m;
			if (!check(p, n, id))
				fail("realloc shrink lost data", id, n);
		}
		free(p);
		printf("phase 3: chain %d grew in %d steps\n", chain, steps);
	}

	/* Phase 4: calloc returns zeroed memory, including recycled memory and mmap blocks. */
	int zeroed = 0;
	for (int i = 0; i < 200; i++) {
		size_t n = i < 190 ? 1 + rng() % 8192 : 128 * 1024 + rng() % MIB;
		unsigned char *d = malloc(n);
		if (d) {
			memset(d, 0xa5, n);
			free(d);
		}
		size_t cnt = 1 + rng() % 7;
		unsigned char *z = calloc(cnt, n);
		if (!z) {
			fail("calloc returned NULL", i, cnt * n);
			continue;
		}
		if (all_zero(z, cnt * n))
			zeroed++;
		else
			fail("calloc memory not zero", i, cnt * n);
		mix(cnt * n);
		free(z);
	}
	/* volatile: hide the sizes from -Walloc-size-larger-than, and keep clang from assuming the
	 * allocations succeed and eliding them. */
	volatile size_t half = SIZE_MAX / 2, huge_size = SIZE_MAX - 4096;
	void *volatile ovf = calloc(half, 4);
	printf("phase 4: %d calloc blocks zeroed, overflowing calloc %s\n", zeroed,
	       ovf ? "SUCCEEDED" : "returned NULL");
	if (ovf)
		fail("overflowing calloc succeeded", 0, 0);

	/* Phase 5: a malloc too big for any address space fails cleanly. */
	void *volatile huge = malloc(huge_size);
	printf("phase 5: malloc(SIZE_MAX - 4096) %s\n", huge ? "SUCCEEDED" : "returned NULL");
	if (huge)
		fail("impossible malloc succeeded", 0, 0);

	mix(allocs);
	mix(large);
	mix(maxsize);
	printf("checksum=%016llx\n", (unsigned long long)sum);
	printf("%s: %d failures\n", failures ? "FAIL" : "PASS", failures);
	return failures != 0;
}
