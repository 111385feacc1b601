// SPDX-License-Identifier: Apache-2.0
/* report.c: crash reports for guest results: signal, registers and a symbolised backtrace. */
#include <string.h>

#include "linux/signals.h"
#include "debug/symbolize.h"
#include "vm_internal.h"

const char *wf_signal_name(int sig)
{
	const char *n = wf_signo_name(sig);
	return n ? n : "SIG?";
}

void wf_vm_symbolizer_close(struct wf_vm *vm)
{
	if (vm->image.sym)
		wf_symbolizer_close(vm->image.sym);
	vm->image.sym = NULL;
}

static void print_frames(struct wf_vm *vm, const struct wf_result *r, FILE *out)
{
	if (!vm->image.sym && vm->image.elf) {
		struct wf_err e = {0};
		if (wf_symbolizer_open(vm->image.elf, vm->image.elf_size, vm->image.load_bias, &vm->image.sym, &e))
			vm->image.sym = NULL;
	}
	for (unsigned i = 0; i < r->nbt; i++) {
		/* Return addresses point after the call; look up the call itself. */
		uint64_t pc = r->bt[i], look = i ? pc - 4 : pc;
		struct wf_frame_info fi;
		memset(&fi, 0, sizeof(fi));
		if (!vm->image.sym || wf_symbolize(vm->image.sym, look, &fi))
			memset(&fi, 0, sizeof(fi));
		if (i && fi.have_func)
			fi.func_off += 4;
		char line[512];
		wf_format_frame(line, sizeof(line), i, pc, &fi);
		fprintf(out, "    %s\n", line);
	}
}

void wf_vm_report(struct wf_vm *vm, const struct wf_result *r, FILE *out)
{
	switch (r->reason) {
	case WF_STOP_EXIT:
		fprintf(out, "==warmfork== guest exited with status %d\n", r->status);
		return;
	case WF_STOP_TIMEOUT:
		fprintf(out, "==warmfork== guest timeout: %s (pc %#llx)\n", r->msg,
			(unsigned long long)r->pc);
		return;
	case WF_STOP_ERROR:
		fprintf(out, "==warmfork== VMM error: %s\n", r->msg);
		return;
	case WF_STOP_READY:
		fprintf(out, "==warmfork== guest reached its ready point\n");
		return;
	case WF_STOP_RETURN:
		fprintf(out, "==warmfork== vmcall returned %#llx\n", (unsigned long long)r->value);
		return;
	case WF_STOP_OOM:
		fprintf(out, "==warmfork== guest out of memory: %s\n", r->msg);
		print_frames(vm, r, out);
		return;
	case WF_STOP_SIGNAL:
		break;
	}
	fprintf(out, "==warmfork== guest crashed: %s", wf_signal_name(r->signal));
	fprintf(out, " at pc %#llx", (unsigned long long)r->pc);
	if (r->has_addr)
		fprintf(out, " addr %#llx", (unsigned long long)r->addr);
	if (r->has_fault)
		fprintf(out, " (ESR %#llx, si_code %d)", (unsigned long long)r->esr, r->si_code);
	fputc('\n', out);
	print_frames(vm, r, out);
}
