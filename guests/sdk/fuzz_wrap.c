// SPDX-License-Identifier: Apache-2.0
/* fuzz_wrap.c: the guest SDK's memcmp-family wrappers (linked with --wrap): they record operands for the host. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "fuzz_cmp.h"

/*
 * warmfork-cc compiles targets with -fno-builtin for these functions and links them with
 * -Wl,--wrap=memcmp and the rest, as -fsanitize=fuzzer does with libFuzzer's interceptors:
 * the target's own calls come here, call the real function and log both operands (at most
 * WARMFORK_CMP_WORD bytes each) with the result, for the host's fuzzer (its memcmp-family
 * weak hooks: TORCW and MMT in libFuzzer, cmplog routines in AFL++). libc's own calls are
 * not wrapped.
 */

/* A memcmp-style record: up to WARMFORK_CMP_WORD bytes of each operand. */
static void put_bytes(uint8_t kind, uint64_t pc, const void *s1, size_t n1, const void *s2,
		      size_t n2, uint64_t len, int result)
{
	if (!(warmfork_cmp.flags & WARMFORK_CMP_F_ON))
		return;
	if (n1 > WARMFORK_CMP_WORD)
		n1 = WARMFORK_CMP_WORD;
	if (n2 > WARMFORK_CMP_WORD)
		n2 = WARMFORK_CMP_WORD;
	struct warmfork_cmp_rec *r = warmfork_cmp_reserve(n1 + n2);
	if (!r)
		return;
	*r = (struct warmfork_cmp_rec){.kind = kind, .n1 = (uint8_t)n1, .n2 = (uint8_t)n2,
				       .result = result, .pc = pc, .a = len};
	uint8_t *d = (uint8_t *)(r + 1);
	memcpy(d, s1, n1);
	memcpy(d + n1, s2, n2);
}

/* A string's length, at most max (strnlen is not wrapped: libc's own is used). */
static size_t slen(const char *s, size_t max)
{
	size_t n = 0;
	while (n < max && s[n])
		n++;
	return n;
}

int __real_memcmp(const void *a, const void *b, size_t n);
int __real_bcmp(const void *a, const void *b, size_t n);
int __real_strncmp(const char *a, const char *b, size_t n);
int __real_strcmp(const char *a, const char *b);
int __real_strncasecmp(const char *a, const char *b, size_t n);
int __real_strcasecmp(const char *a, const char *b);
char *__real_strstr(const char *h, const char *n);
char *__real_strcasestr(const char *h, const char *n);
void *__real_memmem(const void *h, size_t hl, const void *n, size_t nl);
int __wrap_memcmp(const void *a, const void *b, size_t n);
int __wrap_bcmp(const void *a, const void *b, size_t n);
int __wrap_strncmp(const char *a, const char *b, size_t n);
int __wrap_strcmp(const char *a, const char *b);
int __wrap_strncasecmp(const char *a, const char *b, size_t n);
int __wrap_strcasecmp(const char *a, const char *b);
char *__wrap_strstr(const char *h, const char *n);
char *__wrap_strcasestr(const char *h, const char *n);
void *__wrap_memmem(const void *h, size_t hl, const void *n, size_t nl);

int __wrap_memcmp(const void *a, const void *b, size_t n)
{
	int r = __real_memcmp(a, b, n);
	put_bytes(WARMFORK_CMP_MEMCMP, PC(), a, n, b, n, n, r);
	return r;
}

/* bcmp's result is only zero or not: libFuzzer's interceptor reports it as a memcmp. */
int __wrap_bcmp(const void *a, const void *b, size_t n)
{
	int r = __real_bcmp(a, b, n);
	put_bytes(WARMFORK_CMP_MEMCMP, PC(), a, n, b, n, n, r);
	return r;
}

int __wrap_strncmp(const char *a, const char *b, size_t n)
{
	int r = __real_strncmp(a, b, n);
	size_t m = n < WARMFORK_CMP_WORD ? n : WARMFORK_CMP_WORD;
	put_bytes(WARMFORK_CMP_STRNCMP, PC(), a, slen(a, m), b, slen(b, m), n, r);
	return r;
}

int __wrap_strcmp(const char *a, const char *b)
{
	int r = __real_strcmp(a, b);
	put_bytes(WARMFORK_CMP_STRCMP, PC(), a, slen(a, WARMFORK_CMP_WORD), b,
		  slen(b, WARMFORK_CMP_WORD), 0, r);
	return r;
}

int __wrap_strncasecmp(const char *a, const char *b, size_t n)
{
	int r = __real_strncasecmp(a, b, n);
	size_t m = n < WARMFORK_CMP_WORD ? n : WARMFORK_CMP_WORD;
	put_bytes(WARMFORK_CMP_STRNCASECMP, PC(), a, slen(a, m), b, slen(b, m), n, r);
	return r;
}

int __wrap_strcasecmp(const char *a, const char *b)
{
	int r = __real_strcasecmp(a, b);
	put_bytes(WARMFORK_CMP_STRCASECMP, PC(), a, slen(a, WARMFORK_CMP_WORD), b,
		  slen(b, WARMFORK_CMP_WORD), 0, r);
	return r;
}

char *__wrap_strstr(const char *h, const char *n)
{
	char *r = __real_strstr(h, n);
	put_bytes(WARMFORK_CMP_STRSTR, PC(), h, 0, n, slen(n, WARMFORK_CMP_WORD), 0, r != NULL);
	return r;
}

char *__wrap_strcasestr(const char *h, const char *n)
{
	char *r = __real_strcasestr(h, n);
	put_bytes(WARMFORK_CMP_STRCASESTR, PC(), h, 0, n, slen(n, WARMFORK_CMP_WORD), 0,
		  r != NULL);
	return r;
}

void *__wrap_memmem(const void *h, size_t hl, const void *n, size_t nl)
{
	void *r = __real_memmem(h, hl, n, nl);
	put_bytes(WARMFORK_CMP_MEMMEM, PC(), h, 0, n, nl, hl, r != NULL);
	return r;
}
