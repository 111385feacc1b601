// SPDX-License-Identifier: Apache-2.0
/* sigframe.c: the arm64 rt_sigframe Linux builds for a handler, rt_sigreturn, sigaltstack rules. */
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "linux/signals.h"
#include "linux/syscall.h"

/*
 * The frame is laid out as arm64 Linux lays it out (arch/arm64/kernel/signal.c and the uapi
 * <asm/sigcontext.h>, <asm/ucontext.h>), so handlers that read or edit their ucontext, glibc's
 * unwinder and siglongjmp all work: siginfo, then a ucontext whose uc_mcontext holds the
 * fault address, x0-x30, sp, pc and pstate and, in __reserved, an fpsimd_context record, an
 * esr_context record when the thread's last fault left an ESR, and a null terminator. Below
 * the interrupted sp sits a frame record {x29, x30} that x29 points at, as for a call.
 * Fields Linux does not write are left as they were, as Linux leaves them.
 */

#define FPSIMD_MAGIC 0x46508001u
#define ESR_MAGIC    0x45535201u
#define EXTRA_MAGIC  0x45585401u
#define SVE_MAGIC    0x53564501u
#define ZA_MAGIC     0x54366345u

#define SIGFRAME_MAXSZ (256u * 1024) /* the kernel's sanity limit for extra_context */

/* PSTATE bits that matter to a handler's entry and to rt_sigreturn's checks. */
#define PSR_MODE_MASK  0x0full
#define PSR_MODE32     0x10ull
#define PSR_DAIF       (0xfull << 6)
#define PSR_BTYPE_MASK (3ull << 10)
#define PSR_BTYPE_C    (2ull << 10)
#define PSR_TCO        (1ull << 25)
#define PSR_NZCV       (0xfull << 28)
/* SPSR_EL1_AARCH64_RES0_BITS: what rt_sigreturn clears before it checks the rest. */
#define PSR_RES0                                                                                   \
	(0xffffffff00000000ull | (3ull << 26) | (3ull << 22) | (0xffull << 13) | (1ull << 5))

struct g_ctx {
	uint32_t magic, size;
};

struct g_fpsimd_context {
	struct g_ctx head;
	uint32_t fpsr, fpcr;
	uint8_t vregs[32][16];
};

struct g_esr_context {
	struct g_ctx head;
	uint64_t esr;
};

struct g_extra_context {
	struct g_ctx head;
	uint64_t datap;
	uint32_t size;
	uint32_t reserved[3];
};

struct g_sigcontext {
	uint64_t fault_address;
	uint64_t regs[31];
	uint64_t sp, pc, pstate;
	uint64_t pad;                 /* __reserved is 16-byte aligned */
	uint8_t reserved[4096];
};

struct g_ucontext {
	uint64_t flags, link;
	uint64_t ss_sp;               /* uc_stack */
	int32_t ss_flags;
	uint32_t ss_pad;
	uint64_t ss_size;
	uint64_t sigmask;
	uint8_t unused[1024 / 8 - 8]; /* glibc's 1024-bit sigset_t */
	uint64_t pad;                 /* uc_mcontext is 16-byte aligned */
	struct g_sigcontext mc;
};

struct g_rt_sigframe {
	uint8_t info[128];
	struct g_ucontext uc;
};

_Static_assert(sizeof(struct g_fpsimd_context) == 528, "fpsimd_context");
_Static_assert(sizeof(struct g_esr_context) == 16, "esr_context");
_Static_assert(sizeof(struct g_extra_context) == 32, "extra_context");
_Static_assert(offsetof(struct g_sigcontext, reserved) == 288, "sigcontext.__reserved");
_Static_assert(offsetof(struct g_ucontext, sigmask) == 40, "ucontext.uc_sigmask");
_Static_assert(offsetof(struct g_ucontext, mc) == 176, "ucontext.uc_mcontext");
_Static_assert(sizeof(struct g_rt_sigframe) == 4688, "rt_sigframe");

#define OFF_UC       offsetof(struct g_rt_sigframe, uc)
#define OFF_STACK    (OFF_UC + offsetof(struct g_ucontext, ss_sp))
#define OFF_SIGMASK  (OFF_UC + offsetof(struct g_ucontext, sigmask))
#define OFF_MC       (OFF_UC + offsetof(struct g_ucontext, mc))
#define OFF_RESERVED (OFF_MC + offsetof(struct g_sigcontext, reserved))
#define RESERVED_LEN sizeof(((struct g_sigcontext *)0)->reserved)
#define FRAME_SIZE   sizeof(struct g_rt_sigframe) /* already a multiple of 16 */

/* Records in __reserved: fpsimd first, then esr when there is one, then the terminator. */
#define OFF_FPSIMD OFF_RESERVED
#define OFF_ESR    (OFF_FPSIMD + sizeof(struct g_fpsimd_context))

/* Guest memory at base + off through the checked accessor; 0 or -EFAULT. */
static int put(struct wf_proc *p, uint64_t base, uint64_t off, const void *src, uint64_t len)
{
	uint64_t at;
	if (__builtin_add_overflow(base, off, &at))
		return -EFAULT;
	return wf_mem_write(&p->mem, at, src, len);
}

static int get(struct wf_proc *p, uint64_t base, uint64_t off, void *dst, uint64_t len)
{
	uint64_t at;
	if (__builtin_add_overflow(base, off, &at))
		return -EFAULT;
	return wf_mem_read(&p->mem, dst, at, len);
}

/* The altstack. */

static bool on_sig_stack(const struct wf_sigthread *t, uint64_t sp)
{
	/* With SS_AUTODISARM the stack is off while in use: never "on" it (on_sig_stack). */
	if ((uint32_t)t->ss_flags & WF_SS_AUTODISARM)
		return false;
	return sp > t->ss_sp && sp - t->ss_sp <= t->ss_size;
}

int wf_sigaltstack_flags(const struct wf_proc *p, uint64_t sp)
{
	const struct wf_sigthread *t = &p->sigthr;
	if (!t->ss_size)
		return WF_SS_DISABLE;
	return on_sig_stack(t, sp) ? WF_SS_ONSTACK : 0;
}

int wf_sigaltstack_set(struct wf_proc *p, uint64_t ss_sp, int32_t ss_flags, uint64_t ss_size,
		       uint64_t sp)
{
	struct wf_sigthread *t = &p->sigthr;
	if (on_sig_stack(t, sp))
		return -EPERM;
	uint32_t mode = (uint32_t)ss_flags & ~WF_SS_AUTODISARM;
	if (mode != WF_SS_DISABLE && mode != WF_SS_ONSTACK && mode != 0)
		return -EINVAL;
	if (t->ss_sp == ss_sp && t->ss_size == ss_size && t->ss_flags == ss_flags)
		return 0;
	if (mode == WF_SS_DISABLE) {
		ss_sp = ss_size = 0;
	} else if (ss_size < WF_SS_MINSIZE) {
		return -ENOMEM;
	}
	t->ss_sp = ss_sp;
	t->ss_size = ss_size;
	t->ss_flags = ss_flags; /* as given, SS_ONSTACK and SS_AUTODISARM included */
	return 0;
}

/* The frame. */

void wf_siginfo_encode(uint8_t out[128], const struct wf_siginfo *i)
{
	int32_t err = 0;
	memset(out, 0, 128);
	memcpy(out + 0, &i->signo, 4);
	memcpy(out + 4, &err, 4);
	memcpy(out + 8, &i->code, 4);
	if (i->code == WF_SI_USER || i->code == WF_SI_TKILL) {
		memcpy(out + 16, &i->pid, 4);
		memcpy(out + 20, &i->uid, 4);
	} else if (i->signo == WF_SIGCHLD && i->code > 0 && i->code < WF_SI_KERNEL) {
		memcpy(out + 16, &i->pid, 4); /* CLD_*: si_pid, si_uid, si_status */
		memcpy(out + 20, &i->uid, 4);
		memcpy(out + 24, &i->status, 4);
	} else if (i->code == WF_SI_TIMER) {
		memcpy(out + 16, &i->timerid, 4);
		memcpy(out + 20, &i->overrun, 4);
		memcpy(out + 24, &i->value, 8);
	} else if (i->code > 0 && i->code < WF_SI_KERNEL) {
		memcpy(out + 16, &i->addr, 8); /* a fault's si_addr */
	} else if (i->code < 0) {
		memcpy(out + 16, &i->pid, 4); /* rt_sigqueueinfo's: SI_QUEUE's si_pid, si_uid, */
		memcpy(out + 20, &i->uid, 4); /* si_value, or another layout's bytes as sent */
		memcpy(out + 24, &i->addr, 8);
	}
}

void wf_signalfd_encode(uint8_t out[128], const struct wf_siginfo *i)
{
	/* signalfd_copyinfo: ssi_signo 0, errno 4, code 8, pid 12, uid 16, tid 24, overrun
	 * 32, status 40, int 44, ptr 48, addr 72. */
	memset(out, 0, 128);
	memcpy(out + 0, &i->signo, 4);
	memcpy(out + 8, &i->code, 4);
	if (i->code == WF_SI_TIMER) {
		memcpy(out + 24, &i->timerid, 4);
		memcpy(out + 32, &i->overrun, 4);
		memcpy(out + 44, &i->value, 4);
		memcpy(out + 48, &i->value, 8);
	} else if (i->code > 0 && i->code < WF_SI_KERNEL && i->signo != WF_SIGCHLD) {
		memcpy(out + 72, &i->addr, 8);
	} else {
		memcpy(out + 12, &i->pid, 4);
		memcpy(out + 16, &i->uid, 4);
		if (i->signo == WF_SIGCHLD && i->code > 0)
			memcpy(out + 40, &i->status, 4);
		else if (i->code < 0 && i->code != WF_SI_TKILL) { /* SI_QUEUE's si_value */
			memcpy(out + 44, &i->addr, 4);
			memcpy(out + 48, &i->addr, 8);
		}
	}
}

void wf_siginfo_decode(const uint8_t in[48], int sig, struct wf_siginfo *i)
{
	memset(i, 0, sizeof(*i));
	i->signo = sig; /* the kernel's __copy_siginfo_from_user sets it */
	memcpy(&i->code, in + 8, 4);
	if (i->code == WF_SI_TIMER) {
		memcpy(&i->timerid, in + 16, 4);
		memcpy(&i->overrun, in + 20, 4);
		memcpy(&i->value, in + 24, 8);
	} else if (i->code > 0 && i->code < WF_SI_KERNEL && sig != WF_SIGCHLD) {
		memcpy(&i->addr, in + 16, 8);
	} else {
		memcpy(&i->pid, in + 16, 4);
		memcpy(&i->uid, in + 20, 4);
		memcpy(&i->addr, in + 24, 8); /* si_status of CLD_* codes shares it */
	}
}

int wf_sigframe_setup(struct wf_proc *p, int sig, const struct wf_sigaction *ka,
		      const struct wf_siginfo *info, uint64_t oldmask)
{
	struct wf_abi_frame *r = p->regs;
	const struct wf_sigthread *t = &p->sigthr;
	if (!r)
		return -EFAULT;

	/* get_sigframe: the frame record, then the frame, below sp or the altstack's top. */
	uint64_t top = r->sp;
	if ((ka->flags & WF_SA_ONSTACK) && wf_sigaltstack_flags(p, r->sp) == 0)
		top = t->ss_sp + t->ss_size;
	uint64_t record = (top - 16) & ~15ull;
	uint64_t frame = record - FRAME_SIZE;
	if (top < 16 + FRAME_SIZE || frame > top ||
	    !wf_mem_ptr(&p->mem, frame, top - frame, WF_PROT_WRITE))
		return -EFAULT;

	/* setup_rt_frame: uc_flags, uc_link, uc_stack, then setup_sigframe's registers. */
	const uint64_t zero2[2] = {0, 0};
	const uint64_t rec[2] = {r->x[29], r->x[30]};
	struct {
		uint64_t sp;
		int32_t flags;
		uint32_t pad;
		uint64_t size;
	} stack = {.sp = t->ss_sp, .flags = t->ss_flags, .size = t->ss_size};
	uint64_t mc[35];
	mc[0] = t->fault_address;
	memcpy(&mc[1], r->x, sizeof(r->x));
	mc[32] = r->sp;
	mc[33] = r->pc;
	mc[34] = r->pstate;
	struct g_fpsimd_context fp = {.head = {FPSIMD_MAGIC, sizeof(fp)},
				      .fpsr = (uint32_t)r->fpsr,
				      .fpcr = (uint32_t)r->fpcr};
	memcpy(fp.vregs, r->v, sizeof(fp.vregs));
	struct g_esr_context esr = {.head = {ESR_MAGIC, sizeof(esr)}, .esr = t->fault_code};
	uint64_t end = t->fault_code ? OFF_ESR + sizeof(esr) : OFF_ESR;
	int err = put(p, frame, OFF_UC, zero2, sizeof(zero2)) |
		  put(p, frame, OFF_STACK, &stack, 24) | put(p, record, 0, rec, sizeof(rec)) |
		  put(p, frame, OFF_MC, mc, sizeof(mc)) |
		  put(p, frame, OFF_SIGMASK, &oldmask, sizeof(oldmask)) |
		  put(p, frame, OFF_FPSIMD, &fp, sizeof(fp)) |
		  (t->fault_code ? put(p, frame, OFF_ESR, &esr, sizeof(esr)) : 0) |
		  put(p, frame, end, zero2, 8);
	if (err)
		return -EFAULT;

	/* setup_return: the handler's registers. */
	r->x[0] = (uint64_t)sig;
	r->sp = frame;
	r->x[29] = record;
	r->pc = ka->handler;
	r->pstate &= ~(PSR_BTYPE_MASK | PSR_TCO);
	if (p->sig_bti)
		r->pstate |= PSR_BTYPE_C; /* delivery is an indirect call, as BLR would set it */
	r->x[30] = (ka->flags & WF_SA_RESTORER) ? ka->restorer : p->sigtramp;
	if (ka->flags & WF_SA_SIGINFO) {
		uint8_t si[128];
		wf_siginfo_encode(si, info);
		if (put(p, frame, 0, si, sizeof(si)))
			return -EFAULT;
		r->x[1] = frame;
		r->x[2] = frame + OFF_UC;
	}
	return 0;
}

/* valid_user_regs: an AArch64 EL0t PSTATE with D, A, I and F clear, else forced to one. */
static bool valid_pstate(uint64_t *pstate)
{
	*pstate &= ~PSR_RES0;
	if ((*pstate & PSR_MODE_MASK) == 0 && !(*pstate & PSR_MODE32) && !(*pstate & PSR_DAIF))
		return true;
	*pstate &= PSR_NZCV;
	return false;
}

/*
 * parse_user_sigframe: walk the records in __reserved (and an extra_context's area) as the
 * kernel does; *fpsimd is the guest address of the fpsimd_context. 0, -EINVAL or -EFAULT.
 */
static int parse_records(struct wf_proc *p, uint64_t frame, uint64_t *fpsimd)
{
	uint64_t base = frame + OFF_RESERVED, offset = 0, limit = RESERVED_LEN;
	bool have_extra = false;
	*fpsimd = 0;
	for (;;) {
		struct g_ctx head;
		if (limit - offset < sizeof(head) || offset % 16)
			return -EINVAL;
		if (get(p, base, offset, &head, sizeof(head)))
			return -EFAULT;
		if (limit - offset < head.size)
			return -EINVAL;
		switch (head.magic) {
		case 0:
			return head.size ? -EINVAL : 0;
		case FPSIMD_MAGIC:
			if (*fpsimd || head.size < sizeof(struct g_fpsimd_context))
				return -EINVAL;
			*fpsimd = base + offset;
			break;
		case ESR_MAGIC:
			break; /* ignored on return */
		case EXTRA_MAGIC: {
			struct g_extra_context x;
			struct g_ctx term;
			if (have_extra || head.size < sizeof(x))
				return -EINVAL;
			if (get(p, base, offset, &x, sizeof(x)))
				return -EFAULT;
			/* The terminator right after it in __reserved, then its data just past. */
			uint64_t userp = base + offset + head.size;
			if (limit - offset - head.size < 16)
				return -EINVAL;
			if (get(p, userp, 0, &term, sizeof(term)))
				return -EFAULT;
			if (term.magic || term.size)
				return -EINVAL;
			userp += 16;
			have_extra = true;
			if (x.datap % 16 || x.size % 16 || x.datap != userp ||
			    frame + SIGFRAME_MAXSZ < userp ||
			    x.size > frame + SIGFRAME_MAXSZ - userp)
				return -EINVAL;
			base = x.datap;
			offset = 0;
			limit = x.size;
			continue;
		}
		default:
			/* SVE_MAGIC and ZA_MAGIC included: this CPU has neither SVE nor SME. */
			return -EINVAL;
		}
		if (head.size < sizeof(head) || limit - offset < head.size)
			return -EINVAL;
		offset += head.size;
	}
}

int wf_sigframe_restore(struct wf_proc *p)
{
	struct wf_abi_frame *r = p->regs;
	struct wf_sigthread *t = &p->sigthr;
	uint64_t frame = r->sp, mask, mc[34], fpsimd;

	/* The frame was placed 16-byte aligned: anything else is not one. */
	if (frame % 16)
		return -EINVAL;
	if (get(p, frame, OFF_SIGMASK, &mask, sizeof(mask)))
		return -EFAULT;
	t->blocked = mask & ~WF_SIG_UNBLOCKABLE;
	if (get(p, frame, OFF_MC + 8, mc, sizeof(mc)))
		return -EFAULT;
	memcpy(r->x, mc, sizeof(r->x));
	r->sp = mc[31];
	r->pc = mc[32];
	r->pstate = mc[33];
	if (!valid_pstate(&r->pstate))
		return -EINVAL;
	int rc = parse_records(p, frame, &fpsimd);
	if (rc)
		return rc;
	if (!fpsimd)
		return -EINVAL;

	/* restore_fpsimd_context: the record must be exactly an fpsimd_context. */
	struct g_fpsimd_context fp;
	if (get(p, fpsimd, 0, &fp, sizeof(fp)))
		return -EFAULT;
	if (fp.head.magic != FPSIMD_MAGIC || fp.head.size != sizeof(fp))
		return -EINVAL;
	memcpy(r->v, fp.vregs, sizeof(r->v));
	r->fpsr = fp.fpsr;
	r->fpcr = fp.fpcr;
	r->flags |= 1ull << WF_FRAME_F_LOAD_FP_BIT; /* the stub loads them on the way out */

	/* restore_altstack: errors other than a fault are ignored, as in Linux. */
	struct {
		uint64_t sp;
		int32_t flags;
		uint32_t pad;
		uint64_t size;
	} ss;
	if (get(p, frame, OFF_STACK, &ss, sizeof(ss)))
		return -EFAULT;
	(void)wf_sigaltstack_set(p, ss.sp, ss.flags, ss.size, r->sp);
	return 0;
}

int wf_sigframe_unwind(struct wf_proc *p, uint64_t record, uint64_t *pc, uint64_t *fp)
{
	uint64_t x29, at;
	if (record % 16 || record < FRAME_SIZE)
		return -EFAULT;
	at = record - FRAME_SIZE + OFF_MC + 8;
	if (get(p, at, 29 * 8, &x29, sizeof(x29)) || get(p, at, 32 * 8, pc, sizeof(*pc)))
		return -EFAULT;
	*fp = x29;
	return 0;
}
