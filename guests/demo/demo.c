// SPDX-License-Identifier: Apache-2.0
/* demo.c: a libFuzzer target with a planted bug: a record parser that coverage can walk into. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define F_TRUNC 0x02

/*
 * Input format (little endian):
 *   "WFZ!"  magic, 4 bytes
 *   flags   1 byte: bit 0 "checksummed" (ignored), bit 1 TRUNC; the high 4 bits must be 0
 *   then records until the input ends: type (1 byte), len (2 bytes), payload (len bytes)
 *     'N' name    copied into an 8-byte field and NUL-terminated; with TRUNC the payload
 *                 may be shorter than len (a truncated name)
 *     'V' values  summed as bytes
 *     'E' end     stops parsing
 *
 * The planted bug: the TRUNC path terminates the name at name[len], trusting len, so a
 * length of 8 or more writes past the field. To crash deterministically instead of corrupting the
 * stack silently, the stray store is modelled as landing in unmapped memory: it goes to
 * address `len` (below the program image, which starts at 64 KiB and is never mapped).
 * Reaching it takes the magic byte by byte, the TRUNC flag, a name record and a long length:
 * a few coverage steps, each one new coverage, but hopeless for blind mutation.
 */

struct record_state {
	char name[8];
	unsigned sum;
	unsigned records;
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

__attribute__((noinline)) static int parse_name(struct record_state *st, unsigned flags,
						const uint8_t *p, size_t len, size_t avail)
{
	if (!(flags & F_TRUNC)) {
		if (len > avail || len >= sizeof(st->name))
			return -1;
		memcpy(st->name, p, len);
		st->name[len] = 0;
		return 0;
	}
	size_t n = len < avail ? len : avail;
	if (n >= sizeof(st->name))
		n = sizeof(st->name) - 1;
	memcpy(st->name, p, n);
	if (len >= sizeof(st->name)) {
		/* The bug: st->name[len] = 0, modelled as a store to unmapped memory. */
		*(volatile uint8_t *)(uintptr_t)len = 0;
		return -1;
	}
	st->name[len] = 0;
	return 0;
}

__attribute__((noinline)) static int parse(const uint8_t *data, size_t size)
{
	if (size < 5)
		return -1;
	/* Byte by byte, as a hand-written parser would: each match is new coverage. */
	if (data[0] != 'W')
		return -1;
	if (data[1] != 'F')
		return -1;
	if (data[2] != 'Z')
		return -1;
	if (data[3] != '!')
		return -1;
	unsigned flags = data[4];
	if (flags & 0xf0)
		return -1;
	struct record_state st;
	memset(&st, 0, sizeof(st));
	size_t off = 5;
	while (off + 3 <= size) {
		uint8_t type = data[off];
		size_t len = data[off + 1] | (size_t)data[off + 2] << 8;
		off += 3;
		const uint8_t *p = data + off;
		size_t avail = size - off;
		st.records++;
		switch (type) {
		case 'N':
			if (parse_name(&st, flags, p, len, avail))
				return -1;
			break;
		case 'V':
			if (len > avail)
				return -1;
			for (size_t i = 0; i < len; i++)
				st.sum += p[i];
			break;
		case 'E':
			return (int)st.records;
		default:
			return -1;
		}
		off += len < avail ? len : avail;
	}
	return (int)st.records;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	parse(data, size);
	return 0;
}
