// SPDX-License-Identifier: Apache-2.0
/* symbolize.h: guest pc -> function+offset and file:line (libelf + libdw), for crash backtraces. */
#ifndef WARMFORK_SYMBOLIZE_H
#define WARMFORK_SYMBOLIZE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"

/*
 * A symbolizer for one guest executable (an aarch64 ELF64 image in memory). Opening it checks
 * the ELF structure (every header and section lies inside the image), sorts the function
 * symbols for binary search, and indexes the DWARF compile units by address range. Lookups
 * are binary searches; the only work after open is libdw reading a compile unit's line table
 * the first time a pc in it is looked up. The image is never written.
 *
 * Corrupt or hostile images give an error at open, never a crash; corrupt or missing DWARF
 * only means no file:line. One symbolizer must not be used by two threads at once (libdw
 * fills its caches lazily); separate symbolizers are independent.
 */
struct wf_symbolizer;

/*
 * Build a symbolizer from the ELF image data[0..size). data must stay valid and unchanged
 * while the symbolizer lives. load_bias is where the ELF was placed: 0 for ET_EXEC (anything
 * else is -EINVAL), the base for a static-PIE (ET_DYN). Returns 0, -EINVAL (bad arguments),
 * -ENOEXEC (not a valid aarch64 ELF64 executable) or -ENOMEM, with e filled on failure.
 */
int wf_symbolizer_open(const uint8_t *data, size_t size, uint64_t load_bias,
		       struct wf_symbolizer **out, struct wf_err *e);
/* Free the symbolizer (NULL is fine). */
void wf_symbolizer_close(struct wf_symbolizer *s);

struct wf_frame_info {
	/* The nearest STT_FUNC (or STT_GNU_IFUNC) symbol containing pc, from .symtab, or from
	   .dynsym when there is no .symtab. func is truncated to fit. */
	bool have_func;
	char func[128];
	uint64_t func_off;
	uint64_t func_size; /* its extent: pc - func_off + func_size is the function's end */
	/* From the DWARF line table when the guest has debug info; file is the path as recorded
	   (usually absolute), truncated to fit. Code the compiler marks as line 0 gets the
	   nearest earlier line of its sequence. */
	bool have_line;
	char file[256];
	int line;
};

/*
 * Describe the guest (relocated) address pc. Returns 0 when a function or a line is known,
 * -ENOENT when nothing is (info zeroed), -EINVAL for NULL arguments. pc is used as given: for
 * a return address the caller passes pc - 4.
 */
int wf_symbolize(struct wf_symbolizer *s, uint64_t pc, struct wf_frame_info *out);

/*
 * Call fn for every row of every compile unit's line table that names a source line (line
 * > 0, not the end of a sequence): its guest (relocated) address, the file as recorded and
 * the line. Rows come in line-table order; fn returning non-zero stops the walk with that
 * value. Returns 0, fn's value, -ENOENT without DWARF, or -EINVAL for NULL arguments.
 */
int wf_symbolize_each_line(struct wf_symbolizer *s,
			   int (*fn)(void *ctx, uint64_t pc, const char *file, int line), void *ctx);

/*
 * The guest (relocated) address of a defined function or data symbol called name. When
 * several symbols share the name, a global wins over a weak over a local one, and a function
 * over data. STT_GNU_IFUNC symbols (memcpy in static glibc) are not found: their address is
 * the resolver, not a function to call. Returns 0, -ENOENT, or -EINVAL for NULL arguments.
 */
int wf_symbol_address(struct wf_symbolizer *s, const char *name, uint64_t *addr);

/*
 * One sanitizer-style frame line, always NUL-terminated (when n > 0), no newline:
 *   "#N 0xPC in func+0xOFF file:line"   function and line known
 *   "#N 0xPC in func+0xOFF"             function only
 *   "#N 0xPC (<unknown>) file:line"     line only
 *   "#N 0xPC (<unknown>)"               nothing known, or fi == NULL
 * PC and OFF are lowercase hex without leading zeros.
 */
void wf_format_frame(char *buf, size_t n, unsigned idx, uint64_t pc,
		     const struct wf_frame_info *fi);

#endif
