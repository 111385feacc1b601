// SPDX-License-Identifier: Apache-2.0
/* wfplugin.c: the shared library dlopen_main loads: data, a relocated string table and a counter. */
#include <stdio.h>

const char *wf_plugin_greet(int i);
extern int wf_plugin_calls;

int wf_plugin_calls;
static const char *const words[] = {"alpha", "beta", "gamma"};
static char buf[64];

const char *wf_plugin_greet(int i)
{
	wf_plugin_calls++;
	snprintf(buf, sizeof(buf), "plugin says %s (%d)", words[i % 3], wf_plugin_calls);
	return buf;
}
