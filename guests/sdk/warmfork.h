// SPDX-License-Identifier: Apache-2.0
/* warmfork.h: the warmfork guest SDK: tell the VMM that the guest's initialisation is done. */
#ifndef WARMFORK_GUEST_H
#define WARMFORK_GUEST_H

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Mark the ready point. Under warmfork the VM stops here and becomes the warm master; every
 * fork resumes from this call, which then returns 0. On plain Linux it does nothing and
 * returns -1 (the call is an unknown syscall there, ENOSYS), so the same binary runs natively.
 */
int warmfork_ready(void);

#ifdef __cplusplus
}
#endif

#endif
