// SPDX-License-Identifier: Apache-2.0
/* vm_procs.c: guest processes: fork copies the VM into a new host process, execve replaces its program. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "elf/elf_load.h"
#include "linux/ptable.h"
#include "linux/signals.h"
#include "vm_internal.h"

/*
 * A VM whose RAM is its own file mapped shared (a plain VM) would share every later write
 * with the child. Mapping the same file privately in place freezes the file: parent and
 * child then each see it plus their own copy-on-write pages, and so do later forks (a host
 * fork copies private mappings). KVM follows the new mapping (its memory slot is by host
 * address), and the file maps are laid again over it.
 */
static int ram_private(struct wf_vm *vm)
{
	if (vm->fork.is_fork || vm->procs.ram_private)
		return 0;
	if (mmap(vm->ram, vm->layout.ram_size, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_FIXED | MAP_NORESERVE, vm->fork.memfd, 0) == MAP_FAILED)
		return -errno;
	vm->procs.ram_private = true;
	return wf_filemap_relay(vm);
}

/* The child's own VM: the parent's KVM handles work only in the host process that made
 * them, so the child makes new ones over its (copied) RAM and resumes from the frame. */
static void child_vm(struct wf_vm *vm, pid_t parent, bool share_vm)
{
	struct wf_err e = {0};
	/* The sandbox ends with its first process however that ends (an embedder's exit
	 * too): the host signals this process when its host parent dies, and the handler
	 * ends it if its parent is then not the sandbox's init (the subreaper). A parent
	 * already gone before the request sends nothing: look once by hand. */
	pid_t init = vm->proc.ptab->t[0].host;
	wf_wake_watch(init, parent);
	prctl(PR_SET_PDEATHSIG, WF_WAKE_SIGNAL, 0, 0, 0);
	if (wf_wake_orphaned())
		_exit(128 + SIGKILL);
	vm->procs.child = true;
	vm->timer.created = vm->gtimer.created = false; /* POSIX timers are not inherited */
	wf_timers_forget(&vm->proc, false); /* nor are the guest's (fork(2)) */
	vm->irq_up = false;
	wf_timer_running(NULL);    /* the signal handlers must not touch the old vCPU */
	if (vm->have_vcpu)
		wf_kvm_vcpu_destroy(&vm->vcpu);
	if (vm->have_kvm)
		wf_kvm_close(&vm->kvm);
	vm->have_vcpu = vm->have_kvm = false;
	/* A CLONE_VM vfork child logs what it writes, for its parent (vm_vfork.c). */
	int rc = wf_vm_start_kvm(vm, share_vm, &e);
	if (!rc && (rc = wf_vfork_child(vm, share_vm)))
		wf_fail(&e, rc, "out of host memory for a vfork child's dirty pages");
	if (rc) {
		snprintf(vm->procs.broken, sizeof(vm->procs.broken), "%s", e.msg);
		return;
	}
	/* The stub loads everything from the frame on the new vCPU's first entry. */
	vm->frame->flags |= (1ull << WF_FRAME_F_TLBI_BIT) | (1ull << WF_FRAME_F_SET_TPIDR_BIT) |
			    (1ull << WF_FRAME_F_LOAD_FP_BIT);
	vm->stopped_in_stub = true;
	wf_timer_running(vm->vcpu.run);
}

int wf_vm_proc_fork(void *ctx, bool share_vm)
{
	struct wf_vm *vm = ctx;
	/* Outside a run (a harness calling syscalls directly) the child would return into the
	 * embedder: there are no processes then. */
	if (!vm->procs.in_run || vm->fork.is_master)
		return -ENOSYS;
	int rc = vm->proc.mmu->save_fp(vm);
	if (rc)
		return rc;
	if ((rc = ram_private(vm)))
		return rc;
	if (share_vm && (rc = wf_vfork_open(vm)))
		return rc;
	wf_wake_install(WF_WAKE_SIGNAL);
	fflush(NULL); /* buffered host output must not be written twice */
	pid_t self = getpid();
	pid_t pid = fork();
	if (pid < 0) {
		rc = -errno;
		wf_vm_proc_vfork_back(vm); /* closes the file */
		return rc;
	}
	if (pid == 0)
		child_vm(vm, self, share_vm);
	return pid;
}

int wf_vm_wipe(struct wf_vm *vm, struct wf_err *e)
{
	int fd = memfd_create("warmfork-ram", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (fd < 0 || ftruncate(fd, (off_t)vm->layout.ram_size)) {
		if (fd >= 0)
			close(fd);
		return wf_fail_errno(e, "cannot create a new guest RAM file");
	}
	if (mmap(vm->ram, vm->layout.ram_size, PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_FIXED | MAP_NORESERVE, fd, 0) == MAP_FAILED) {
		close(fd);
		return wf_fail_errno(e, "cannot map a new guest RAM file");
	}
	/* From here the VM is a plain one: its own file, no master, no file maps. */
	wf_filemap_fini(vm);
	if (vm->fork.memfd >= 0)
		close(vm->fork.memfd);
	vm->fork.memfd = fd;
	wf_vm_fork_fini(vm);
	vm->fork.is_fork = false;
	vm->fork.master = NULL;
	vm->procs.ram_private = false;
	wf_vm_symbolizer_close(vm);
	if (!vm->image.borrowed)
		free(vm->image.elf);
	memset(&vm->image, 0, sizeof(vm->image));
	memset(vm->prot, 0, vm->layout.ram_size / WF_PAGE_SIZE);
	int rc = wf_vm_map_ram(vm, e);
	if (rc)
		return rc;
	wf_vm_attach_proc(vm);
	wf_vm_empty_mm(vm);
	vm->proc.regs = vm->frame;
	return 0;
}

/* The whole file at fd (at most max bytes) into a new buffer: 0 or -errno. */
static int slurp(int fd, uint64_t max, uint8_t **out, size_t *size)
{
	struct stat st;
	if (fstat(fd, &st))
		return -errno;
	if ((uint64_t)st.st_size > max)
		return -ENOMEM;
	uint8_t *buf = malloc(st.st_size ? (size_t)st.st_size : 1);
	if (!buf)
		return -ENOMEM;
	size_t done = 0;
	while (done < (size_t)st.st_size) {
		ssize_t n = pread(fd, buf + done, (size_t)st.st_size - done, (off_t)done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			free(buf);
			return n < 0 ? -errno : -EIO;
		}
		done += (size_t)n;
	}
	*out = buf;
	*size = done;
	return 0;
}

int wf_vm_proc_exec(void *ctx, int fd, const char *path, char *const argv[], char *const envp[])
{
	struct wf_vm *vm = ctx;
	struct wf_err e = {0};
	/* A fuzzer's fork must stay the program its master is; its children may exec. */
	if (!vm->procs.in_run || vm->fork.is_master || (vm->fork.is_fork && !vm->procs.child))
		return -ENOSYS;
	uint8_t *elf;
	size_t size;
	int rc = slurp(fd, vm->layout.ram_size, &elf, &size);
	if (rc)
		return rc;
	struct wf_elf_image img;
	if (wf_elf_parse(elf, size, &img, &e)) {
		free(elf);
		return -ENOEXEC; /* not an aarch64 program this loader takes */
	}
	int argc = 0;
	while (argv[argc])
		argc++;
	/* The point of no return: from here a failure kills the process, as in Linux. A
	 * vfork child's parent takes its writes now, before its memory goes. */
	wf_vfork_send(vm);
	if ((rc = wf_vm_wipe(vm, &e))) {
		free(elf);
	} else {
		rc = wf_loader_exec(vm, elf, size, path, argc, argv, envp, &e);
	}
	if (rc) {
		fprintf(stderr, "warmfork: execve %s: %s\n", path, e.msg);
		return WF_SIGKILL;
	}
	vm->arch.good_tpidr = 0;
	return 0;
}

/* The wait status of a run's end; -1 when the run has not ended the process. */
static int end_status(const struct wf_vm *vm, const struct wf_result *r)
{
	switch (r->reason) {
	case WF_STOP_EXIT:
		return (r->status & 0xff) << 8;
	case WF_STOP_SIGNAL:
	case WF_STOP_OOM:
		return r->signal & 0x7f;
	case WF_STOP_READY:
		return -1;
	case WF_STOP_RETURN: /* a child returning from a vmcall has nowhere to go: exit(0) */
		return vm->procs.child ? 0 : -1;
	default:
		return SIGKILL; /* a timeout, or the VMM could not go on */
	}
}

void wf_vm_procs_end(struct wf_vm *vm, const struct wf_result *r)
{
	int ws = end_status(vm, r);
	if (ws < 0 || !vm->proc.ptab)
		return;
	if (!vm->procs.child) {
		wf_ptab_end_all(&vm->proc); /* init: the sandbox ends with it */
		return;
	}
	if (r->reason == WF_STOP_ERROR)
		fprintf(stderr, "warmfork: process %d: %s\n", (int)vm->proc.pid, r->msg);
	fflush(NULL);
	wf_vfork_send(vm); /* a vfork child's last writes (posix_spawn's exec error) */
	wf_ptab_exit(&vm->proc, ws);
	_exit(0);
}

/* Is init gone? Its host parent is init, the process that forked it (its guest parent,
 * which may be ending right now), or init again once that one ended (the subreaper); any
 * other host parent means init ended first (the wake-up handler's test). */
static bool init_gone(struct wf_vm *vm)
{
	return vm->procs.child && wf_wake_orphaned();
}

bool wf_vm_procs_killed(struct wf_vm *vm)
{
	struct wf_proc *p = &vm->proc;
	if (!p->ptab)
		return false;
	if (wf_ptab_pull(p))
		return true;
	if (init_gone(vm)) {
		wf_proc_kill(p, WF_SIGKILL);
		return true;
	}
	return false;
}

bool wf_vm_procs_signals(struct wf_vm *vm)
{
	struct wf_proc *p = &vm->proc;
	if (!p->ptab)
		return false;
	if (wf_vm_procs_killed(vm))
		return true;
	/* A running guest takes other signals at its next exit; one that would kill it with
	 * its default action kills it now (a busy loop must still die of SIGTERM). */
	uint64_t pend = (p->sigshared.set | p->sigthr.pending.set) & ~p->sigthr.blocked;
	for (int sig = 1; sig <= WF_NSIG; sig++) {
		if (!(pend & WF_SIGBIT(sig)) || p->sigact[sig].handler != WF_SIG_DFL)
			continue;
		int act = wf_signal_default_action(sig);
		if (act == WF_SIGDFL_TERM || act == WF_SIGDFL_CORE) {
			wf_proc_kill(p, sig);
			return true;
		}
	}
	return false;
}
