// SPDX-License-Identifier: Apache-2.0
/* util.h: the few definitions every part of the VMM shares: array length, page size. */
#ifndef WARMFORK_UTIL_H
#define WARMFORK_UTIL_H

/* Number of elements of an array (not a pointer). */
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* The guest's page size: 4 KiB granule in stage 1, and the unit of every mapping and reset. */
#define WF_PAGE_SIZE 4096ull

#endif
