// SPDX-License-Identifier: Apache-2.0
/* fuzz_cmp.h: inside the guest SDK: the comparison log shared by fuzz_cmp.c and fuzz_wrap.c. */
#ifndef WARMFORK_FUZZ_CMP_H
#define WARMFORK_FUZZ_CMP_H

#include <stddef.h>
#include <stdint.h>

#include "fuzz_abi.h"

#define PC() ((uint64_t)(uintptr_t)__builtin_return_address(0))

extern struct warmfork_cmp_log warmfork_cmp;

/* Room for a record with `extra` bytes after it, or NULL (the record is counted as dropped). */
struct warmfork_cmp_rec *warmfork_cmp_reserve(size_t extra);

#endif
