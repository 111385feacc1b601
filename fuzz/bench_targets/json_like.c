// SPDX-License-Identifier: Apache-2.0
/* json_like.c: a libFuzzer target doing real work per input (fuzz/bench): a JSON validator
 * with string escapes, numbers, nesting up to a depth limit and per-type statistics. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_DEPTH 64

struct parser {
	const uint8_t *p, *end;
	unsigned depth;
	unsigned counts[8]; /* object, array, string, number, true, false, null, escapes */
	uint32_t hash;
};

static int parse_value(struct parser *ps);

static void skip_ws(struct parser *ps)
{
	while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r'))
		ps->p++;
}

static int hexval(uint8_t c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
		return (c | 0x20) - 'a' + 10;
	return -1;
}

static int parse_string(struct parser *ps)
{
	if (ps->p >= ps->end || *ps->p != '"')
		return -1;
	ps->p++;
	while (ps->p < ps->end) {
		uint8_t c = *ps->p++;
		if (c == '"') {
			ps->counts[2]++;
			return 0;
		}
		if (c < 0x20)
			return -1;
		ps->hash = ps->hash * 31 + c;
		if (c != '\\')
			continue;
		if (ps->p >= ps->end)
			return -1;
		ps->counts[7]++;
		c = *ps->p++;
		if (c == 'u') {
			if (ps->end - ps->p < 4)
				return -1;
			for (int i = 0; i < 4; i++)
				if (hexval(*ps->p++) < 0)
					return -1;
		} else if (!strchr("\"\\/bfnrt", c) || !c) {
			return -1;
		}
	}
	return -1;
}

static int digits(struct parser *ps)
{
	const uint8_t *s = ps->p;
	while (ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9')
		ps->hash = ps->hash * 10 + (*ps->p++ - '0');
	return ps->p > s ? 0 : -1;
}

static int parse_number(struct parser *ps)
{
	if (ps->p < ps->end && *ps->p == '-')
		ps->p++;
	if (ps->p < ps->end && *ps->p == '0')
		ps->p++;
	else if (digits(ps))
		return -1;
	if (ps->p < ps->end && *ps->p == '.') {
		ps->p++;
		if (digits(ps))
			return -1;
	}
	if (ps->p < ps->end && (*ps->p | 0x20) == 'e') {
		ps->p++;
		if (ps->p < ps->end && (*ps->p == '+' || *ps->p == '-'))
			ps->p++;
		if (digits(ps))
			return -1;
	}
	ps->counts[3]++;
	return 0;
}

static int parse_word(struct parser *ps, const char *w, int kind)
{
	size_t n = strlen(w);
	if ((size_t)(ps->end - ps->p) < n || memcmp(ps->p, w, n))
		return -1;
	ps->p += n;
	ps->counts[kind]++;
	return 0;
}

static int parse_container(struct parser *ps, uint8_t close)
{
	if (++ps->depth > MAX_DEPTH)
		return -1;
	ps->p++;
	skip_ws(ps);
	if (ps->p < ps->end && *ps->p == close) {
		ps->p++;
		ps->depth--;
		return 0;
	}
	for (;;) {
		if (close == '}') {
			skip_ws(ps);
			if (parse_string(ps))
				return -1;
			skip_ws(ps);
			if (ps->p >= ps->end || *ps->p++ != ':')
				return -1;
		}
		if (parse_value(ps))
			return -1;
		skip_ws(ps);
		if (ps->p >= ps->end)
			return -1;
		uint8_t c = *ps->p++;
		if (c == close)
			break;
		if (c != ',')
			return -1;
	}
	ps->depth--;
	ps->counts[close == '}' ? 0 : 1]++;
	return 0;
}

static int parse_value(struct parser *ps)
{
	skip_ws(ps);
	if (ps->p >= ps->end)
		return -1;
	switch (*ps->p) {
	case '{': return parse_container(ps, '}');
	case '[': return parse_container(ps, ']');
	case '"': return parse_string(ps);
	case 't': return parse_word(ps, "true", 4);
	case 'f': return parse_word(ps, "false", 5);
	case 'n': return parse_word(ps, "null", 6);
	default: return parse_number(ps);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct parser ps = {.p = data, .end = data + size};
	if (parse_value(&ps) == 0) {
		skip_ws(&ps);
		if (ps.p != ps.end)
			return 0; /* trailing garbage */
	}
	/* Use the result so the work cannot be optimised away. */
	volatile uint32_t sink = ps.hash;
	for (int i = 0; i < 8; i++)
		sink += ps.counts[i];
	(void)sink;
	return 0;
}
