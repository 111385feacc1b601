// SPDX-License-Identifier: Apache-2.0
/* png_chunks.c: a libFuzzer target doing real work per input (fuzz/bench): a zlib PNG decoder. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#define ZLIB_CONST
#include <zlib.h>

/*
 * What a PNG fuzz target exercises in a decoder such as libpng, written out: the signature, a
 * walk over the chunks (length, type letters, CRC-32 of type and data with zlib's crc32()),
 * IHDR's dimensions and bit depth/colour type combinations, PLTE, tRNS and the ancillary
 * chunks (gAMA, cHRM, sRGB, sBIT, bKGD, hIST, pHYs, tIME, tEXt, zTXt) with their ordering
 * rules, the IDAT stream concatenated and inflated with zlib into a buffer sized from IHDR,
 * then every scanline un-filtered (None, Sub, Up, Average, Paeth; each Adam7 pass on its own)
 * and expanded to 8-bit RGBA as libpng's transforms would (palette, tRNS, 16 to 8 bits, low
 * bit depths), and IEND. A problem with the signature, IHDR, PLTE, IDAT or the image data
 * rejects the input; a bad or misplaced ancillary chunk is ignored with a warning (libpng's
 * benign errors). Deterministic, no I/O, no global state; every allocation is freed.
 *
 * Checksums are handled as libpng's own OSS-Fuzz target (libpng_read_fuzzer.cc) sets them
 * up: every chunk's CRC-32 is computed and compared, and a mismatch is counted but the data
 * used (png_set_crc_action(PNG_CRC_QUIET_USE, PNG_CRC_QUIET_USE)), and the zlib stream's
 * Adler-32 is not checked (PNG_IGNORE_ADLER32). Otherwise nearly every mutation would stop at
 * the first checksum, and the fuzzer would never reach the decoder behind it.
 */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_DIM 4096u        /* width and height */
#define MAX_RAW (1u << 20)   /* inflated image data, filter bytes included: 1 MiB */
#define MAX_TEXT (16u << 10) /* what one zTXt chunk may inflate to */
#define MAX_CHUNK 0x7fffffffu

enum { GRAY = 0, RGB = 2, PALETTE = 3, GRAY_ALPHA = 4, RGBA = 6 };

/* A chunk type as its big-endian 32-bit value: TAG('I', 'H', 'D', 'R'). */
#define TAG(a, b, c, d) \
	((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (uint32_t)(d))

/* Chunks seen so far (ordering and duplicate rules). */
enum {
	SEEN_PLTE = 1 << 0,
	SEEN_tRNS = 1 << 1,
	SEEN_gAMA = 1 << 2,
	SEEN_cHRM = 1 << 3,
	SEEN_sRGB = 1 << 4,
	SEEN_sBIT = 1 << 5,
	SEEN_bKGD = 1 << 6,
	SEEN_hIST = 1 << 7,
	SEEN_pHYs = 1 << 8,
	SEEN_tIME = 1 << 9,
	SEEN_IDAT = 1 << 10,
	SEEN_IMAGE = 1 << 11, /* the IDAT run ended and the image was decoded */
};

/* A handler's verdict: the chunk is fine, ignored with a warning, or the input is rejected. */
enum { OK = 0, IGNORED = 1, FATAL = -1 };

struct png {
	uint32_t width, height;
	uint8_t depth, color, interlace;
	unsigned channels;   /* samples per pixel */
	unsigned pixel_bits; /* bits per pixel */
	unsigned seen;
	uint8_t palette[256][4]; /* RGBA; alpha from tRNS, else 255 */
	unsigned npalette;
	uint16_t key[3]; /* tRNS colour key (grey, or RGB) */
	int has_key;
	uint8_t *idat; /* the IDAT chunks' data, concatenated */
	size_t idat_len, idat_cap;
	unsigned warnings, crc_errors, unknown, texts, bad_indexes;
	uint32_t hash; /* of the decoded pixels, text and ancillary values */
};

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static unsigned be16(const uint8_t *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

static void mix(struct png *png, uint32_t v)
{
	png->hash = (png->hash ^ v) * 16777619u;
}

/* Samples per pixel of a colour type (0: not a PNG colour type). */
static unsigned channels_of(uint8_t color)
{
	switch (color) {
	case GRAY: return 1;
	case RGB: return 3;
	case PALETTE: return 1;
	case GRAY_ALPHA: return 2;
	case RGBA: return 4;
	default: return 0;
	}
}

static int valid_depth(uint8_t color, uint8_t depth)
{
	switch (color) {
	case GRAY: return depth == 1 || depth == 2 || depth == 4 || depth == 8 || depth == 16;
	case PALETTE: return depth == 1 || depth == 2 || depth == 4 || depth == 8;
	case RGB:
	case GRAY_ALPHA:
	case RGBA: return depth == 8 || depth == 16;
	default: return 0;
	}
}

static int handle_IHDR(struct png *png, const uint8_t *d, uint32_t len)
{
	if (len != 13)
		return FATAL;
	png->width = be32(d);
	png->height = be32(d + 4);
	png->depth = d[8];
	png->color = d[9];
	png->interlace = d[12];
	if (!png->width || !png->height || png->width > MAX_DIM || png->height > MAX_DIM)
		return FATAL;
	if (!valid_depth(png->color, png->depth))
		return FATAL;
	if (d[10] != 0 || d[11] != 0 || png->interlace > 1) /* compression, filter method */
		return FATAL;
	png->channels = channels_of(png->color);
	png->pixel_bits = png->channels * png->depth;
	mix(png, png->width);
	mix(png, png->height);
	return OK;
}

static int handle_PLTE(struct png *png, const uint8_t *d, uint32_t len)
{
	if (png->seen & (SEEN_PLTE | SEEN_IDAT))
		return FATAL;
	if (png->color == GRAY || png->color == GRAY_ALPHA)
		return FATAL;
	unsigned n = len / 3;
	if (len % 3 || n == 0 || n > 256 || (png->color == PALETTE && n > 1u << png->depth))
		return png->color == PALETTE ? FATAL : IGNORED; /* a suggested palette is optional */
	for (unsigned i = 0; i < n; i++) {
		memcpy(png->palette[i], d + 3 * i, 3);
		png->palette[i][3] = 255;
		mix(png, be32(png->palette[i]));
	}
	png->npalette = n;
	return OK;
}

static int handle_tRNS(struct png *png, const uint8_t *d, uint32_t len)
{
	if (png->seen & (SEEN_tRNS | SEEN_IDAT))
		return IGNORED;
	switch (png->color) {
	case GRAY:
		if (len != 2)
			return IGNORED;
		png->key[0] = (uint16_t)be16(d);
		break;
	case RGB:
		if (len != 6)
			return IGNORED;
		for (int i = 0; i < 3; i++)
			png->key[i] = (uint16_t)be16(d + 2 * i);
		break;
	case PALETTE:
		if (!(png->seen & SEEN_PLTE) || len == 0 || len > png->npalette)
			return IGNORED;
		for (uint32_t i = 0; i < len; i++)
			png->palette[i][3] = d[i];
		mix(png, len);
		return OK;
	default: return IGNORED; /* colour types with alpha have no tRNS */
	}
	png->has_key = 1;
	mix(png, (uint32_t)png->key[0] << 16 ^ png->key[1] << 8 ^ png->key[2]);
	return OK;
}

/* Chunks that must come before PLTE and IDAT, once: gAMA, cHRM, sRGB, sBIT. */
static int early(struct png *png, unsigned flag)
{
	return !(png->seen & (flag | SEEN_PLTE | SEEN_IDAT));
}

static int handle_gAMA(struct png *png, const uint8_t *d, uint32_t len)
{
	if (!early(png, SEEN_gAMA) || len != 4)
		return IGNORED;
	uint32_t gamma = be32(d);
	if (gamma == 0 || gamma > MAX_CHUNK)
		return IGNORED;
	mix(png, gamma);
	return OK;
}

static int handle_cHRM(struct png *png, const uint8_t *d, uint32_t len)
{
	if (!early(png, SEEN_cHRM) || len != 32)
		return IGNORED;
	/* White point, red, green, blue: x, y pairs times 100000, with y > 0 and x + y <= 1, as
	 * libpng checks them. */
	for (int i = 0; i < 8; i += 2) {
		uint32_t x = be32(d + 4 * i), y = be32(d + 4 * i + 4);
		if (y == 0 || y > 100000 || x > 100000 - y)
			return IGNORED;
		mix(png, x << 16 ^ y);
	}
	return OK;
}

static int handle_sRGB(struct png *png, const uint8_t *d, uint32_t len)
{
	if (!early(png, SEEN_sRGB) || len != 1 || d[0] > 3) /* rendering intent 0..3 */
		return IGNORED;
	mix(png, d[0]);
	return OK;
}

static int handle_sBIT(struct png *png, const uint8_t *d, uint32_t len)
{
	if (!early(png, SEEN_sBIT))
		return IGNORED;
	unsigned want = png->color == PALETTE ? 3 : png->channels;
	unsigned max = png->color == PALETTE ? 8 : png->depth;
	if (len != want)
		return IGNORED;
	for (unsigned i = 0; i < want; i++) {
		if (d[i] == 0 || d[i] > max)
			return IGNORED;
		mix(png, d[i]);
	}
	return OK;
}

/* bKGD and hIST come after PLTE (when there is one) and before IDAT. */
static int handle_bKGD(struct png *png, const uint8_t *d, uint32_t len)
{
	if (png->seen & (SEEN_bKGD | SEEN_IDAT))
		return IGNORED;
	switch (png->color) {
	case PALETTE:
		if (!(png->seen & SEEN_PLTE) || len != 1 || d[0] >= png->npalette)
			return IGNORED;
		mix(png, be32(png->palette[d[0]]));
		return OK;
	case GRAY:
	case GRAY_ALPHA:
		if (len != 2 || (png->depth < 16 && be16(d) >> png->depth))
			return IGNORED;
		mix(png, be16(d));
		return OK;
	default:
		if (len != 6)
			return IGNORED;
		for (int i = 0; i < 3; i++) {
			if (png->depth < 16 && be16(d + 2 * i) >> png->depth)
				return IGNORED;
			mix(png, be16(d + 2 * i));
		}
		return OK;
	}
}

static int handle_hIST(struct png *png, const uint8_t *d, uint32_t len)
{
	if ((png->seen & (SEEN_hIST | SEEN_IDAT)) || !(png->seen & SEEN_PLTE))
		return IGNORED;
	if (len != 2 * png->npalette)
		return IGNORED;
	uint32_t total = 0;
	for (unsigned i = 0; i < png->npalette; i++)
		total += be16(d + 2 * i);
	mix(png, total);
	return OK;
}

static int handle_pHYs(struct png *png, const uint8_t *d, uint32_t len)
{
	if ((png->seen & (SEEN_pHYs | SEEN_IDAT)) || len != 9 || d[8] > 1) /* unit: none, metre */
		return IGNORED;
	uint32_t x = be32(d), y = be32(d + 4);
	if (x > MAX_CHUNK || y > MAX_CHUNK)
		return IGNORED;
	mix(png, x);
	mix(png, y);
	return OK;
}

static int handle_tIME(struct png *png, const uint8_t *d, uint32_t len)
{
	if ((png->seen & SEEN_tIME) || len != 7)
		return IGNORED;
	/* year, month 1-12, day 1-31, hour 0-23, minute 0-59, second 0-60 (leap second) */
	if (d[2] < 1 || d[2] > 12 || d[3] < 1 || d[3] > 31 || d[4] > 23 || d[5] > 59 || d[6] > 60)
		return IGNORED;
	mix(png, be16(d) * 400u + d[2] * 32u + d[3]);
	return OK;
}

/* A keyword: 1-79 Latin-1 printable characters, no leading, trailing or double spaces, then a
 * NUL. Returns its length (the NUL excluded), 0 if invalid. */
static uint32_t keyword(const uint8_t *d, uint32_t len)
{
	uint32_t n = 0;
	while (n < len && n < 80 && d[n])
		n++;
	if (n == 0 || n >= 80 || n == len)
		return 0;
	for (uint32_t i = 0; i < n; i++) {
		uint8_t c = d[i];
		if (c < 32 || (c > 126 && c < 161))
			return 0;
		if (c == ' ' && (i == 0 || i == n - 1 || d[i - 1] == ' '))
			return 0;
	}
	return n;
}

/* The text of tEXt: Latin-1, no NUL; newlines are allowed. */
static int latin1(struct png *png, const uint8_t *t, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (t[i] == 0)
			return -1;
		png->hash = png->hash * 31 + t[i];
	}
	return 0;
}

static int handle_tEXt(struct png *png, const uint8_t *d, uint32_t len)
{
	uint32_t k = keyword(d, len);
	if (!k || latin1(png, d + k + 1, len - k - 1))
		return IGNORED;
	png->texts++;
	return OK;
}

/* zTXt: keyword, NUL, compression method 0, a zlib stream of Latin-1 text (at most MAX_TEXT
 * bytes once inflated, as libpng limits decompressed chunks). */
static int handle_zTXt(struct png *png, const uint8_t *d, uint32_t len)
{
	uint32_t k = keyword(d, len);
	if (!k || k + 2 > len || d[k + 1] != 0)
		return IGNORED;
	z_stream z;
	memset(&z, 0, sizeof z);
	if (inflateInit(&z) != Z_OK)
		return IGNORED;
	z.next_in = d + k + 2;
	z.avail_in = len - k - 2;
	uint8_t buf[1024];
	int ret, verdict = IGNORED;
	do {
		z.next_out = buf;
		z.avail_out = sizeof buf;
		ret = inflate(&z, Z_NO_FLUSH);
		if (ret != Z_OK && ret != Z_STREAM_END)
			break;
		if (z.total_out > MAX_TEXT || latin1(png, buf, sizeof buf - z.avail_out))
			break;
		if (ret == Z_STREAM_END) {
			verdict = OK;
			png->texts++;
		} else if (z.avail_in == 0 && z.avail_out != 0) {
			break; /* truncated stream */
		}
	} while (ret != Z_STREAM_END);
	inflateEnd(&z);
	return verdict;
}

static int handle_IDAT(struct png *png, const uint8_t *d, uint32_t len, size_t input_size)
{
	if (png->seen & SEEN_IMAGE)
		return FATAL; /* IDAT chunks must be consecutive */
	if (png->color == PALETTE && !(png->seen & SEEN_PLTE))
		return FATAL;
	if (!png->idat) {
		/* All the IDAT data fits in the input: one allocation, never grown. */
		png->idat_cap = input_size;
		png->idat = malloc(png->idat_cap);
		if (!png->idat)
			return FATAL;
	}
	if (len > png->idat_cap - png->idat_len)
		return FATAL;
	memcpy(png->idat + png->idat_len, d, len);
	png->idat_len += len;
	return OK;
}

/* Adam7: where each pass starts and its step, in columns and rows. */
static const uint8_t a7_x0[7] = {0, 4, 0, 2, 0, 1, 0}, a7_dx[7] = {8, 8, 4, 4, 2, 2, 1};
static const uint8_t a7_y0[7] = {0, 0, 4, 0, 2, 0, 1}, a7_dy[7] = {8, 8, 8, 4, 4, 2, 2};

/* The size of pass p's reduced image (the whole image when not interlaced). */
static void pass_size(const struct png *png, int p, uint32_t *w, uint32_t *h)
{
	if (!png->interlace) {
		*w = png->width;
		*h = png->height;
		return;
	}
	*w = png->width > a7_x0[p] ? (png->width - a7_x0[p] + a7_dx[p] - 1) / a7_dx[p] : 0;
	*h = png->height > a7_y0[p] ? (png->height - a7_y0[p] + a7_dy[p] - 1) / a7_dy[p] : 0;
}

static size_t row_bytes(const struct png *png, uint32_t w)
{
	return ((size_t)w * png->pixel_bits + 7) / 8;
}

static uint8_t paeth(uint8_t a, uint8_t b, uint8_t c)
{
	int p = a + b - c;
	int pa = abs(p - a), pb = abs(p - b), pc = abs(p - c);
	if (pa <= pb && pa <= pc)
		return a;
	return pb <= pc ? b : c;
}

/* Undo one scanline's filter in place; prev is the previous unfiltered row or NULL (zeros). */
static int unfilter(uint8_t *row, const uint8_t *prev, size_t n, unsigned bpp, uint8_t type)
{
	size_t i;
	switch (type) {
	case 0: /* None */
		return 0;
	case 1: /* Sub */
		for (i = bpp; i < n; i++)
			row[i] = (uint8_t)(row[i] + row[i - bpp]);
		return 0;
	case 2: /* Up */
		if (prev)
			for (i = 0; i < n; i++)
				row[i] = (uint8_t)(row[i] + prev[i]);
		return 0;
	case 3: /* Average */
		for (i = 0; i < n; i++) {
			unsigned a = i >= bpp ? row[i - bpp] : 0, b = prev ? prev[i] : 0;
			row[i] = (uint8_t)(row[i] + ((a + b) >> 1));
		}
		return 0;
	case 4: /* Paeth */
		for (i = 0; i < n; i++) {
			uint8_t a = i >= bpp ? row[i - bpp] : 0, b = prev ? prev[i] : 0;
			uint8_t c = prev && i >= bpp ? prev[i - bpp] : 0;
			row[i] = (uint8_t)(row[i] + paeth(a, b, c));
		}
		return 0;
	default:
		return -1;
	}
}

/* Sample i of an unfiltered row, at the image's bit depth. */
static unsigned sample(const uint8_t *row, size_t i, unsigned depth)
{
	if (depth == 16)
		return be16(row + 2 * i);
	if (depth == 8)
		return row[i];
	size_t bit = i * depth;
	unsigned shift = 8 - depth - (unsigned)(bit & 7);
	return (row[bit >> 3] >> shift) & ((1u << depth) - 1);
}

/* A sample scaled to 8 bits: 16-bit ones keep their high byte, low depths are stretched. */
static uint8_t to8(unsigned v, unsigned depth)
{
	if (depth == 16)
		return (uint8_t)(v >> 8);
	if (depth == 8)
		return (uint8_t)v;
	return (uint8_t)(v * 255 / ((1u << depth) - 1));
}

/* Expand one unfiltered row of w pixels to 8-bit RGBA in out, as libpng's expand, tRNS and
 * strip-16 transforms do. */
static void expand_row(struct png *png, const uint8_t *row, uint32_t w, uint8_t *out)
{
	unsigned dep = png->depth;
	for (uint32_t x = 0; x < w; x++, out += 4) {
		unsigned v[4];
		for (unsigned c = 0; c < png->channels; c++)
			v[c] = sample(row, (size_t)x * png->channels + c, dep);
		switch (png->color) {
		case GRAY:
			out[0] = out[1] = out[2] = to8(v[0], dep);
			out[3] = png->has_key && v[0] == png->key[0] ? 0 : 255;
			break;
		case RGB:
			for (int c = 0; c < 3; c++)
				out[c] = to8(v[c], dep);
			out[3] = png->has_key && v[0] == png->key[0] && v[1] == png->key[1] &&
					 v[2] == png->key[2] ? 0 : 255;
			break;
		case PALETTE:
			if (v[0] < png->npalette) {
				memcpy(out, png->palette[v[0]], 4);
			} else { /* out of range: black, as libpng leaves it */
				out[0] = out[1] = out[2] = 0;
				out[3] = 255;
				png->bad_indexes++;
			}
			break;
		case GRAY_ALPHA:
			out[0] = out[1] = out[2] = to8(v[0], dep);
			out[3] = to8(v[1], dep);
			break;
		default:
			for (int c = 0; c < 4; c++)
				out[c] = to8(v[c], dep);
			break;
		}
	}
}

/* Inflate the concatenated IDAT data into exactly the size IHDR implies, un-filter every
 * row of every pass and expand it to RGBA. */
static int decode_image(struct png *png)
{
	int passes = png->interlace ? 7 : 1;
	uint64_t raw_size = 0;
	for (int p = 0; p < passes; p++) {
		uint32_t w, h;
		pass_size(png, p, &w, &h);
		if (w && h)
			raw_size += (uint64_t)h * (1 + row_bytes(png, w));
	}
	if (raw_size > MAX_RAW || png->idat_len > UINT32_MAX)
		return FATAL;
	uint8_t *raw = malloc(raw_size);
	uint8_t *rgba = malloc((size_t)png->width * 4);
	int verdict = FATAL;
	z_stream z;
	memset(&z, 0, sizeof z);
	if (!raw || !rgba || inflateInit(&z) != Z_OK)
		goto out;
	inflateValidate(&z, 0); /* PNG_IGNORE_ADLER32 */
	z.next_in = png->idat;
	z.avail_in = (uInt)png->idat_len;
	z.next_out = raw;
	z.avail_out = (uInt)raw_size;
	int ret = inflate(&z, Z_FINISH);
	inflateEnd(&z);
	/* Too little data is an error; so is more (the stream must end where the image does). */
	if (ret != Z_STREAM_END || z.total_out != raw_size)
		goto out;
	unsigned bpp = (png->pixel_bits + 7) / 8;
	uint8_t *row = raw;
	for (int p = 0; p < passes; p++) {
		uint32_t w, h;
		pass_size(png, p, &w, &h);
		if (!w || !h)
			continue;
		size_t n = row_bytes(png, w);
		const uint8_t *prev = NULL;
		for (uint32_t y = 0; y < h; y++) {
			if (unfilter(row + 1, prev, n, bpp, row[0]))
				goto out;
			expand_row(png, row + 1, w, rgba);
			for (uint32_t x = 0; x < w; x++)
				mix(png, be32(rgba + 4 * x));
			prev = row + 1;
			row += 1 + n;
		}
	}
	verdict = OK;
out:
	free(raw);
	free(rgba);
	return verdict;
}

/* One chunk of a known type (tag); unknown ones are skipped when ancillary. */
static int handle_chunk(struct png *png, uint32_t tag, const uint8_t *d, uint32_t len, size_t size)
{
	switch (tag) {
	case TAG('P', 'L', 'T', 'E'): return handle_PLTE(png, d, len);
	case TAG('I', 'D', 'A', 'T'): return handle_IDAT(png, d, len, size);
	case TAG('t', 'R', 'N', 'S'): return handle_tRNS(png, d, len);
	case TAG('g', 'A', 'M', 'A'): return handle_gAMA(png, d, len);
	case TAG('c', 'H', 'R', 'M'): return handle_cHRM(png, d, len);
	case TAG('s', 'R', 'G', 'B'): return handle_sRGB(png, d, len);
	case TAG('s', 'B', 'I', 'T'): return handle_sBIT(png, d, len);
	case TAG('b', 'K', 'G', 'D'): return handle_bKGD(png, d, len);
	case TAG('h', 'I', 'S', 'T'): return handle_hIST(png, d, len);
	case TAG('p', 'H', 'Y', 's'): return handle_pHYs(png, d, len);
	case TAG('t', 'I', 'M', 'E'): return handle_tIME(png, d, len);
	case TAG('t', 'E', 'X', 't'): return handle_tEXt(png, d, len);
	case TAG('z', 'T', 'X', 't'): return handle_zTXt(png, d, len);
	case TAG('I', 'H', 'D', 'R'): return FATAL; /* a second one */
	default:
		png->unknown++;
		return (tag >> 29) & 1 ? IGNORED : FATAL; /* bit 5 of the first letter: ancillary */
	}
}

/* The SEEN_ flag of a chunk type, 0 if it has none (the order of the SEEN_ bits). */
static unsigned seen_flag(uint32_t tag)
{
	static const uint32_t tags[] = {
		TAG('P', 'L', 'T', 'E'), TAG('t', 'R', 'N', 'S'), TAG('g', 'A', 'M', 'A'),
		TAG('c', 'H', 'R', 'M'), TAG('s', 'R', 'G', 'B'), TAG('s', 'B', 'I', 'T'),
		TAG('b', 'K', 'G', 'D'), TAG('h', 'I', 'S', 'T'), TAG('p', 'H', 'Y', 's'),
		TAG('t', 'I', 'M', 'E'), TAG('I', 'D', 'A', 'T')};
	for (unsigned i = 0; i < sizeof tags / sizeof tags[0]; i++)
		if (tags[i] == tag)
			return 1u << i;
	return 0;
}

/* Four ASCII letters. A chunk with the reserved bit set (lower-case third letter) is none
 * of the known types, so it is treated as unknown: skipped if ancillary, else fatal. */
static int valid_type(const uint8_t *t)
{
	for (int i = 0; i < 4; i++)
		if (!((t[i] >= 'A' && t[i] <= 'Z') || (t[i] >= 'a' && t[i] <= 'z')))
			return 0;
	return 1;
}

/* 0: a valid PNG decoded; -1: rejected. */
static int parse(struct png *png, const uint8_t *data, size_t size)
{
	static const uint8_t signature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
	if (size < 8 || memcmp(data, signature, 8))
		return -1;
	size_t pos = 8;
	int first = 1;
	for (;;) {
		if (size - pos < 12)
			return -1; /* truncated: no IEND */
		uint32_t len = be32(data + pos);
		const uint8_t *type = data + pos + 4, *d = type + 4;
		if (len > MAX_CHUNK || len > size - pos - 12 || !valid_type(type))
			return -1;
		uint32_t tag = be32(type);
		if (first && tag != TAG('I', 'H', 'D', 'R'))
			return -1;
		uint32_t crc = (uint32_t)crc32(crc32(0L, Z_NULL, 0), type, 4 + len);
		pos += 12 + (size_t)len;
		if (crc != be32(d + len))
			png->crc_errors++; /* counted, then used: see the top of the file */
		if (first) {
			if (handle_IHDR(png, d, len))
				return -1;
			first = 0;
			continue;
		}
		if ((png->seen & SEEN_IDAT) && !(png->seen & SEEN_IMAGE) && tag != TAG('I', 'D', 'A', 'T')) {
			/* The IDAT run is over: decode the image before what follows it. */
			if (decode_image(png))
				return -1;
			png->seen |= SEEN_IMAGE;
		}
		if (tag == TAG('I', 'E', 'N', 'D'))
			return (png->seen & SEEN_IMAGE) && len == 0 ? 0 : -1;
		int r = handle_chunk(png, tag, d, len, size);
		if (r == FATAL)
			return -1;
		if (r == IGNORED)
			png->warnings++;
		else
			png->seen |= seen_flag(tag);
		mix(png, tag);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct png png;
	memset(&png, 0, sizeof png);
	png.hash = 2166136261u;
	int r = parse(&png, data, size);
	free(png.idat);
	/* Use the results so the work cannot be optimised away. */
	volatile uint32_t sink = png.hash;
	sink += (uint32_t)r + png.warnings + png.crc_errors + png.unknown + png.texts +
		png.bad_indexes;
	(void)sink;
	return 0;
}
