// SPDX-License-Identifier: Apache-2.0
/* dlopen_main.c: a dynamically linked program that loads a plugin library with dlopen and calls into it. */
#include <dlfcn.h>
#include <stdio.h>

int main(int argc, char **argv)
{
	const char *lib = argc > 1 ? argv[1] : "/opt/warmfork/libwfplugin.so";
	void *h = dlopen(lib, RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		printf("dlopen failed: %s\n", dlerror());
		return 3;
	}
	const char *(*greet)(int) = (const char *(*)(int))dlsym(h, "wf_plugin_greet");
	int *counter = (int *)dlsym(h, "wf_plugin_calls");
	if (!greet || !counter) {
		printf("dlsym failed: %s\n", dlerror());
		return 4;
	}
	for (int i = 0; i < 3; i++)
		printf("%s\n", greet(i));
	printf("calls: %d\n", *counter);
	void *missing = dlopen("/opt/warmfork/libmissing.so", RTLD_NOW);
	printf("missing library: %s\n", missing ? "loaded?" : "not found");
	return dlclose(h) == 0 ? 0 : 5;
}
