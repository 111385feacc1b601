// SPDX-License-Identifier: Apache-2.0
/* random.c: conformance cases for getrandom: flags, sizes, bad buffers, and the bytes' spread. */
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/random.h>

#include "conf.h"

/* Random bytes are never printed: only counts and properties. */

CONF_CASE(getrandom_flags, "getrandom")
{
	char buf[32];
	T(getrandom, buf, sizeof buf, 0);
	T(getrandom, buf, sizeof buf, GRND_NONBLOCK);
	T(getrandom, buf, sizeof buf, GRND_RANDOM);
	T(getrandom, buf, sizeof buf, GRND_RANDOM | GRND_NONBLOCK);
	T(getrandom, buf, sizeof buf, GRND_INSECURE);
	T(getrandom, buf, sizeof buf, GRND_INSECURE | GRND_NONBLOCK);
	T(getrandom, buf, sizeof buf, GRND_INSECURE | GRND_RANDOM);
	T(getrandom, buf, sizeof buf, 0x8);
	T(getrandom, buf, sizeof buf, -1);
	T(getrandom, buf, 0, 0x8);
}

CONF_CASE(getrandom_sizes, "getrandom mmap")
{
	char small[8];
	T(getrandom, small, 0, 0);
	T(getrandom, NULL, 0, 0);
	T(getrandom, small, 1, 0);
	char *big = (char *)TA(mmap, 0, 1 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
			       -1, 0);
	T(getrandom, big + 4095, 4098, 0);
	T(getrandom, big, 1 << 20, 0);
	T(getrandom, big, 1 << 20, GRND_RANDOM);
	/* Up to a hole: the bytes before it, then stop (whatever the length asked). */
	char *h = conf_before_hole(100);
	T(getrandom, h, 4096, 0);
	T(getrandom, h, (size_t)-1, 0);
	T(getrandom, h + 100, 1, 0);
}

CONF_CASE(getrandom_efault, "getrandom mmap")
{
	T(getrandom, NULL, 16, 0);
	T(getrandom, CONF_BADPTR, 16, 0);
	long ro = TA(mmap, 0, CONF_PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	T(getrandom, ro, 16, 0);
	T(getrandom, NULL, 16, 0x8);
}

CONF_CASE(getrandom_spread, "getrandom")
{
	static unsigned char a[64], b[64], big[65536];
	T(getrandom, a, sizeof a, 0);
	T(getrandom, b, sizeof b, 0);
	conf_more("two reads differ %d", memcmp(a, b, sizeof a) != 0);
	T(getrandom, big, sizeof big, 0);
	unsigned count[256] = {0};
	for (size_t i = 0; i < sizeof big; i++)
		count[big[i]]++;
	unsigned min = ~0u, max = 0;
	for (int i = 0; i < 256; i++) {
		min = count[i] < min ? count[i] : min;
		max = count[i] > max ? count[i] : max;
	}
	/* 64 KiB of uniform bytes: each value ~256 times; [150, 400] is a very loose band. */
	conf_more("every byte value 150..400 times %d", min >= 150 && max <= 400);
	const unsigned char *r = (const unsigned char *)getauxval(AT_RANDOM);
	int nz = 0;
	for (int i = 0; r && i < 16; i++)
		nz += r[i] != 0;
	conf_fact("AT_RANDOM present, not all zero", "%d %d", r != NULL, nz > 0);
}
