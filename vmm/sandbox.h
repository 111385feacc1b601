// SPDX-License-Identifier: Apache-2.0
/* sandbox.h: the seccomp filter the VMM process puts on itself once its set-up is done. */
#ifndef WARMFORK_SANDBOX_H
#define WARMFORK_SANDBOX_H

#include <stdbool.h>

#include "err.h"

/*
 * Allow from now on, in every thread of this process and in its children, only the host
 * system calls a running VMM needs: KVM ioctls, memory management without new executable
 * memory, I/O and file operations on descriptors and beneath directory fds (the allow-list's
 * openat2), time, signals, futexes, thread creation (not fork), and exit. Anything else
 * fails with EPERM and does not run (clone3: ENOSYS, so that libc falls back to clone).
 * It cannot be undone. 0, or an error in e.
 */
int wf_sandbox_enter(struct wf_err *e);

/* Whether the environment asks for no filter: WARMFORK_SECCOMP=0 (fuzz_guest, afl_guest). */
bool wf_sandbox_disabled_by_env(void);

#endif
