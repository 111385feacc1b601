// SPDX-License-Identifier: Apache-2.0
/* err.h: error reporting for the VMM library: negative errno plus a message naming the cause. */
#ifndef WARMFORK_ERR_H
#define WARMFORK_ERR_H

#include <stddef.h>

/* A caller-owned error record; the library never prints or exits on its own. */
struct wf_err {
	int code;       /* negative errno, 0 when nothing failed */
	char msg[256];  /* human-readable cause, names the ioctl / phdr / value at fault */
};

/* Record an error and return its (negative) code, so callers can `return wf_fail(...)`. */
int wf_fail(struct wf_err *e, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Like wf_fail, appending strerror(-code). For failed system calls: wf_fail_errno(e, "KVM_RUN"). */
int wf_fail_errno(struct wf_err *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
