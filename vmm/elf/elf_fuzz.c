// SPDX-License-Identifier: Apache-2.0
/* elf_fuzz.c: libFuzzer target (ASan + UBSan, native): arbitrary bytes through the ELF validator and the symboliser. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "debug/symbolize.h"
#include "elf/elf_load.h"
#include "err.h"

/*
 * Everything the VMM does with a guest file before it runs: wf_elf_parse (the loader's
 * validator), wf_elf_symbol, and the crash-report symboliser (libelf symbols, libdw lines)
 * at the entry point and at addresses around every segment. The bytes are hostile; any
 * sanitizer report, crash or leak is a finding. Seeds: vmm/elf/testdata (the malformed-ELF
 * corpus) and real guests.
 */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* A private copy of exactly size bytes, so ASan sees any read past the end. */
	uint8_t *buf = malloc(size ? size : 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	struct wf_err e = {0};
	struct wf_elf_image img;
	uint64_t v;
	if (wf_elf_parse(buf, size, &img, &e) == 0) {
		(void)wf_elf_symbol(buf, size, "main", &v, &e);
		uint64_t bias = img.type == 3 /* ET_DYN */ ? 0x400000 : 0;
		struct wf_symbolizer *s = NULL;
		if (wf_symbolizer_open(buf, size, bias, &s, &e) == 0) {
			struct wf_frame_info fi;
			(void)wf_symbolize(s, img.entry + bias, &fi);
			for (unsigned i = 0; i < img.nsegs; i++) {
				(void)wf_symbolize(s, img.segs[i].vaddr + bias, &fi);
				(void)wf_symbolize(s, img.segs[i].vaddr + bias + img.segs[i].memsz / 2, &fi);
			}
			(void)wf_symbol_address(s, "main", &v);
			wf_symbolizer_close(s);
		}
	}
	free(buf);
	return 0;
}
