// SPDX-License-Identifier: Apache-2.0
/* err.c: fill struct wf_err records. */
#include "err.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int wf_fail(struct wf_err *e, int code, const char *fmt, ...)
{
	if (e) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
		va_end(ap);
		e->code = code;
	}
	return code;
}

int wf_fail_errno(struct wf_err *e, const char *fmt, ...)
{
	int code = errno ? -errno : -EIO;
	if (e) {
		char what[192];
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(what, sizeof(what), fmt, ap);
		va_end(ap);
		snprintf(e->msg, sizeof(e->msg), "%s: %s", what, strerror(-code));
		e->code = code;
	}
	return code;
}
