// SPDX-License-Identifier: Apache-2.0
/* cover_cfg.c: a guest function's control-flow graph (capstone), and what ran in it from its coverage points. */
#include "cover_cfg.h"

#include <capstone/capstone.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define NONE SIZE_MAX

struct block {
	uint64_t start, end;
	size_t *succ, nsucc;  /* direct successors */
	size_t *pred, npred;  /* direct predecessors */
	bool indirect;        /* ends in an indirect jump: may reach any block */
	size_t point;         /* the coverage point at its start, or NONE */
	size_t idom;          /* immediate dominator (NONE: the entry, or unreachable) */
};

struct wf_cfg {
	struct block *b;
	size_t n;
};

/* How an instruction leaves its block. */
enum flow { FLOW_NEXT, FLOW_CALL, FLOW_COND, FLOW_JUMP, FLOW_INDIRECT, FLOW_EXIT };

struct insn {
	uint64_t addr;
	enum flow flow;
	uint64_t target; /* FLOW_COND, FLOW_JUMP: the direct target */
};

static enum flow classify(const cs_insn *in, uint64_t *target)
{
	const cs_arm64 *d = &in->detail->arm64;
	bool imm = d->op_count > 0 && d->operands[d->op_count - 1].type == ARM64_OP_IMM;
	*target = imm ? (uint64_t)d->operands[d->op_count - 1].imm : 0;
	switch (in->id) {
	case ARM64_INS_B:
		if (!imm)
			return FLOW_EXIT;
		return d->cc != ARM64_CC_INVALID && d->cc != ARM64_CC_AL ? FLOW_COND : FLOW_JUMP;
	case ARM64_INS_CBZ:
	case ARM64_INS_CBNZ:
	case ARM64_INS_TBZ:
	case ARM64_INS_TBNZ:
		return imm ? FLOW_COND : FLOW_EXIT;
	case ARM64_INS_BL:
	case ARM64_INS_BLR:
		return FLOW_CALL;
	case ARM64_INS_BR:
		return FLOW_INDIRECT;
	case ARM64_INS_RET:
	case ARM64_INS_ERET:
	case ARM64_INS_BRK:
	case ARM64_INS_HLT:
		return FLOW_EXIT;
	default:
		return FLOW_NEXT;
	}
}

/* Decode the function; an undecodable word is an exit. */
static int decode(const uint8_t *code, uint64_t addr, size_t size, struct insn **out, size_t *n)
{
	csh h;
	if (cs_open(CS_ARCH_ARM64, CS_MODE_ARM, &h) != CS_ERR_OK)
		return -EINVAL;
	cs_option(h, CS_OPT_DETAIL, CS_OPT_ON);
	cs_insn *in = cs_malloc(h);
	struct insn *v = calloc(size / 4 + 1, sizeof(*v));
	if (!in || !v) {
		free(v);
		if (in)
			cs_free(in, 1);
		cs_close(&h);
		return -ENOMEM;
	}
	size_t k = 0;
	while (size >= 4) {
		const uint8_t *p = code;
		size_t left = size;
		uint64_t a = addr;
		if (cs_disasm_iter(h, &p, &left, &a, in))
			v[k].flow = classify(in, &v[k].target);
		else
			v[k].flow = FLOW_EXIT;
		v[k++].addr = addr;
		code += 4, size -= 4, addr += 4;
	}
	cs_free(in, 1);
	cs_close(&h);
	*out = v;
	*n = k;
	return 0;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return (x > y) - (x < y);
}

size_t wf_cfg_find(const struct wf_cfg *g, uint64_t pc)
{
	size_t lo = 0, hi = g->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (g->b[mid].start <= pc)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo && pc < g->b[lo - 1].end ? lo - 1 : NONE;
}

static int add_edge(struct wf_cfg *g, size_t from, size_t to)
{
	struct block *f = &g->b[from], *t = &g->b[to];
	for (size_t i = 0; i < f->nsucc; i++)
		if (f->succ[i] == to)
			return 0;
	size_t *s = realloc(f->succ, (f->nsucc + 1) * sizeof(*s));
	if (!s)
		return -ENOMEM;
	f->succ = s;
	f->succ[f->nsucc++] = to;
	size_t *p = realloc(t->pred, (t->npred + 1) * sizeof(*p));
	if (!p)
		return -ENOMEM;
	t->pred = p;
	t->pred[t->npred++] = from;
	return 0;
}

/* Leaders: the entry, the points, direct targets inside, what follows a jump or exit. */
static int split(struct wf_cfg *g, const struct insn *v, size_t n, uint64_t lo, uint64_t hi,
		 const uint64_t *points, size_t npoints)
{
	uint64_t *lead = malloc((2 * n + npoints + 1) * sizeof(*lead));
	if (!lead)
		return -ENOMEM;
	size_t nl = 0;
	lead[nl++] = lo;
	memcpy(lead + nl, points, npoints * sizeof(*lead));
	nl += npoints;
	for (size_t i = 0; i < n; i++) {
		if ((v[i].flow == FLOW_COND || v[i].flow == FLOW_JUMP) && v[i].target >= lo &&
		    v[i].target < hi && v[i].target % 4 == 0)
			lead[nl++] = v[i].target;
		if (v[i].flow != FLOW_NEXT && v[i].flow != FLOW_CALL && i + 1 < n)
			lead[nl++] = v[i + 1].addr;
	}
	qsort(lead, nl, sizeof(*lead), cmp_u64);
	g->b = calloc(nl, sizeof(*g->b));
	if (!g->b) {
		free(lead);
		return -ENOMEM;
	}
	for (size_t i = 0; i < nl; i++) {
		if (g->n && g->b[g->n - 1].start == lead[i])
			continue;
		g->b[g->n++] = (struct block){.start = lead[i], .point = NONE, .idom = NONE};
	}
	for (size_t i = 0; i < g->n; i++)
		g->b[i].end = i + 1 < g->n ? g->b[i + 1].start : hi;
	free(lead);
	return 0;
}

/* Edges, from each block's last instruction. */
static int link(struct wf_cfg *g, const struct insn *v, uint64_t lo)
{
	for (size_t i = 0; i < g->n; i++) {
		const struct insn *last = &v[(g->b[i].end - lo) / 4 - 1];
		size_t t = last->flow == FLOW_COND || last->flow == FLOW_JUMP ?
				   wf_cfg_find(g, last->target) : NONE;
		int rc = 0;
		if (t != NONE && g->b[t].start == last->target)
			rc = add_edge(g, i, t);
		if (!rc && i + 1 < g->n &&
		    (last->flow == FLOW_NEXT || last->flow == FLOW_CALL || last->flow == FLOW_COND))
			rc = add_edge(g, i, i + 1);
		if (rc)
			return rc;
		g->b[i].indirect = last->flow == FLOW_INDIRECT;
	}
	return 0;
}

/* a's successors, an indirect jump counting as reaching every block. */
static size_t succ_count(const struct wf_cfg *g, size_t a)
{
	return g->b[a].indirect ? g->n : g->b[a].nsucc;
}

static size_t succ_at(const struct wf_cfg *g, size_t a, size_t k)
{
	return g->b[a].indirect ? k : g->b[a].succ[k];
}

/* Reverse postorder from the entry (iterative DFS); returns how many blocks it reached. */
static size_t rpo(const struct wf_cfg *g, size_t *order, size_t *pos)
{
	size_t *stack = malloc(g->n * sizeof(*stack)), *next = calloc(g->n, sizeof(*next));
	bool *seen = calloc(g->n, sizeof(*seen));
	size_t sp = 0, k = g->n;
	if (!stack || !next || !seen) {
		free(stack), free(next), free(seen);
		return 0;
	}
	stack[sp++] = 0;
	seen[0] = true;
	while (sp) {
		size_t a = stack[sp - 1];
		if (next[a] < succ_count(g, a)) {
			size_t s = succ_at(g, a, next[a]++);
			if (!seen[s]) {
				seen[s] = true;
				stack[sp++] = s;
			}
		} else {
			order[--k] = a;
			sp--;
		}
	}
	size_t reached = g->n - k;
	memmove(order, order + k, reached * sizeof(*order));
	for (size_t i = 0; i < g->n; i++)
		pos[i] = NONE;
	for (size_t i = 0; i < reached; i++)
		pos[order[i]] = i;
	free(stack), free(next), free(seen);
	return reached;
}

/* Immediate dominators (Cooper, Harvey and Kennedy's iteration over reverse postorder). */
static int dominators(struct wf_cfg *g)
{
	size_t *order = malloc(g->n * sizeof(*order)), *pos = malloc(g->n * sizeof(*pos));
	if (!order || !pos) {
		free(order), free(pos);
		return -ENOMEM;
	}
	size_t reached = rpo(g, order, pos);
	if (!reached) {
		free(order), free(pos);
		return -ENOMEM;
	}
	/* A block's predecessors: the blocks that list it, and every indirect-jump block. */
	size_t *ind = malloc(g->n * sizeof(*ind)), nind = 0;
	if (!ind) {
		free(order), free(pos);
		return -ENOMEM;
	}
	for (size_t i = 0; i < g->n; i++)
		if (g->b[i].indirect)
			ind[nind++] = i;
	g->b[0].idom = 0;
	for (bool changed = true; changed;) {
		changed = false;
		for (size_t r = 1; r < reached; r++) {
			size_t b = order[r], nd = NONE;
			for (size_t k = 0; k < g->b[b].npred + nind; k++) {
				size_t p = k < g->b[b].npred ? g->b[b].pred[k] : ind[k - g->b[b].npred];
				if (pos[p] == NONE || g->b[p].idom == NONE)
					continue;
				if (nd == NONE) {
					nd = p;
					continue;
				}
				size_t x = p, y = nd;
				while (x != y) {
					while (pos[x] > pos[y])
						x = g->b[x].idom;
					while (pos[y] > pos[x])
						y = g->b[y].idom;
				}
				nd = x;
			}
			if (nd != NONE && g->b[b].idom != nd) {
				g->b[b].idom = nd;
				changed = true;
			}
		}
	}
	g->b[0].idom = NONE;
	free(order), free(pos), free(ind);
	return 0;
}

int wf_cfg_build(const uint8_t *code, uint64_t addr, size_t size, const uint64_t *points,
		 size_t npoints, struct wf_cfg **out)
{
	if (!code || !out || size < 4 || addr % 4 || (npoints && !points))
		return -EINVAL;
	size -= size % 4;
	for (size_t i = 0; i < npoints; i++)
		if (points[i] < addr || points[i] - addr >= size || points[i] % 4)
			return -EINVAL;
	struct insn *v;
	size_t n;
	int rc = decode(code, addr, size, &v, &n);
	if (rc)
		return rc;
	struct wf_cfg *g = calloc(1, sizeof(*g));
	if (!g) {
		free(v);
		return -ENOMEM;
	}
	if (!(rc = split(g, v, n, addr, addr + size, points, npoints)) &&
	    !(rc = link(g, v, addr)))
		rc = dominators(g);
	free(v);
	if (rc) {
		wf_cfg_free(g);
		return rc;
	}
	for (size_t i = 0; i < npoints; i++)
		g->b[wf_cfg_find(g, points[i])].point = i;
	*out = g;
	return 0;
}

void wf_cfg_free(struct wf_cfg *g)
{
	if (!g)
		return;
	for (size_t i = 0; i < g->n; i++) {
		free(g->b[i].succ);
		free(g->b[i].pred);
	}
	free(g->b);
	free(g);
}

size_t wf_cfg_nblocks(const struct wf_cfg *g)
{
	return g->n;
}

void wf_cfg_block(const struct wf_cfg *g, size_t i, uint64_t *start, uint64_t *end)
{
	*start = g->b[i].start;
	*end = g->b[i].end;
}

/* An uncounted block's own rule: a join runs when a predecessor did; a block whose single
 * predecessor leads only to it runs when that one did. */
static bool runs_after(const struct wf_cfg *g, size_t b, const bool *ran)
{
	const struct block *x = &g->b[b];
	if (x->npred >= 2) {
		for (size_t k = 0; k < x->npred; k++)
			if (ran[x->pred[k]])
				return true;
		return false;
	}
	return x->npred == 1 && ran[x->pred[0]] && g->b[x->pred[0]].nsucc == 1 &&
	       !g->b[x->pred[0]].indirect;
}

void wf_cfg_ran(const struct wf_cfg *g, const bool *hit, bool *ran)
{
	for (size_t i = 0; i < g->n; i++)
		ran[i] = g->b[i].point != NONE && hit[g->b[i].point];
	for (bool changed = true; changed;) {
		changed = false;
		for (size_t i = 0; i < g->n; i++) {
			if (!ran[i] && g->b[i].point == NONE && runs_after(g, i, ran))
				ran[i] = changed = true;
			if (!ran[i])
				continue;
			/* Up to the nearest counted dominator: its own counter is the truth. */
			for (size_t d = g->b[i].idom; d != NONE && !ran[d] && g->b[d].point == NONE;
			     d = g->b[d].idom)
				ran[d] = changed = true;
		}
	}
}
