// SPDX-License-Identifier: GPL-2.0
/*
 * loopfind.c - locate the `hash -= qcount` loop around an interrupted PC.
 *
 * The instructions become a graph (fall-through edges unless the
 * instruction is an unconditional branch or a return; direct branch
 * targets resolved to offsets inside the function).  The loop containing
 * the PC is the set of instructions both reachable from the PC and
 * reaching it (its strongly connected component), found with two
 * breadth-first searches: no recursion, O(instructions).  In it we look
 * for `sub` with destination == minuend (the hash), a `cmp` of the same
 * two registers and a conditional branch leaving the loop.  When several
 * pairs qualify (a loop nested in a larger one), the pair on the shortest
 * cycle through the PC wins.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "loopfind.h"
#include "strutil.h"

struct graph {
	const struct oc_arch *a;
	const struct oc_insn *insns;
	size_t *order;		/* position -> index into insns, by offset */
	size_t m;
	int *succ;		/* 2 per position, -1 none, -2 leaves */
	int *dist_f;		/* from the PC, -1 unreachable */
	int *dist_b;		/* to the PC */
	int *queue;
	int *pred_start, *pred;	/* reverse edges, CSR */
	int pc;			/* position of the PC */
	long c_pc;		/* shortest cycle through the PC */
};

static const struct oc_insn *at(const struct graph *g, int pos)
{
	return &g->insns[g->order[pos]];
}

static int cmp_off(const void *x, const void *y, void *ctx)
{
	const struct oc_insn *insns = ctx;
	size_t a = *(const size_t *)x, b = *(const size_t *)y;

	if (insns[a].off != insns[b].off)
		return insns[a].off < insns[b].off ? -1 : 1;
	return a < b ? -1 : a > b;
}

/* Bottom-up merge sort of indices by offset (stable, no qsort_r). */
static void sort_idx(size_t *v, size_t *tmp, size_t n,
		     const struct oc_insn *insns)
{
	size_t w, i;

	for (w = 1; w < n; w *= 2) {
		for (i = 0; i < n; i += 2 * w) {
			size_t lo = i, mid = i + w < n ? i + w : n;
			size_t hi = i + 2 * w < n ? i + 2 * w : n;
			size_t l = lo, r = mid, k = lo;

			while (l < mid && r < hi)
				tmp[k++] = cmp_off(&v[l], &v[r],
						   (void *)insns) <= 0 ?
					   v[l++] : v[r++];
			while (l < mid)
				tmp[k++] = v[l++];
			while (r < hi)
				tmp[k++] = v[r++];
		}
		memcpy(v, tmp, n * sizeof(*v));
	}
}

/* Indices sorted by offset, duplicates of an offset dropped. */
static size_t *sorted_order(const struct oc_insn *insns, size_t n,
			    size_t *m)
{
	size_t *v = malloc((n ? n : 1) * sizeof(*v));
	size_t *tmp = malloc((n ? n : 1) * sizeof(*tmp));
	size_t i, k = 0;

	if (!v || !tmp) {
		free(v);
		free(tmp);
		return NULL;
	}
	for (i = 0; i < n; i++)
		v[i] = i;
	sort_idx(v, tmp, n, insns);
	for (i = 0; i < n; i++)
		if (!k || insns[v[k - 1]].off != insns[v[i]].off)
			v[k++] = v[i];
	free(tmp);
	*m = k;
	return v;
}

static int find_pos(const struct graph *g, long off)
{
	size_t lo = 0, hi = g->m;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		long o = at(g, (int)mid)->off;

		if (o == off)
			return (int)mid;
		if (o < off)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

static int is_trace_call(const struct oc_insn *in)
{
	return in->target_func && (strstr(in->target_func, "fentry") ||
				   strstr(in->target_func, "mcount"));
}

static int set_has(char set[][OC_REGNAME_MAX], int n, const char *r)
{
	int i;

	for (i = 0; i < n; i++)
		if (!strcmp(set[i], r))
			return i;
	return -1;
}

static int prologue_copies(const struct oc_arch *a,
			   const struct oc_insn *insns, const size_t *order,
			   size_t m, int argno, char out[][OC_REGNAME_MAX],
			   int max)
{
	char tracked[8][OC_REGNAME_MAX];
	int nt = 1, nout = 0;
	size_t k;

	oc_strlcpy(tracked[0], a->arg_reg[argno], OC_REGNAME_MAX);
	for (k = 0; k < m && k < 64 && nt > 0; k++) {
		const struct oc_insn *in = &insns[order[k]];
		enum oc_insn_kind kind = a->classify(in);
		char dst[OC_REGNAME_MAX], src[OC_REGNAME_MAX];
		int i;

		if (kind == OC_K_RET || kind == OC_K_BRANCH)
			break;
		if (kind == OC_K_CALL) {
			if (is_trace_call(in))
				continue;
			for (i = 0; i < nt; i++) {
				if (!a->is_callee_saved(tracked[i])) {
					memcpy(tracked[i], tracked[--nt],
					       OC_REGNAME_MAX);
					i--;
				}
			}
			continue;
		}
		if (a->mov_regs(in, dst, src) == 0 &&
		    set_has(tracked, nt, src) >= 0) {
			if (set_has(tracked, nt, dst) < 0 && nt < 8)
				memcpy(tracked[nt++], dst, OC_REGNAME_MAX);
			if (a->is_callee_saved(dst) &&
			    set_has(out, nout, dst) < 0 && nout < max)
				memcpy(out[nout++], dst, OC_REGNAME_MAX);
			continue;
		}
		if (a->dst_reg(in, dst) == 0) {
			i = set_has(tracked, nt, dst);
			if (i >= 0)
				memcpy(tracked[i], tracked[--nt],
				       OC_REGNAME_MAX);
		}
	}
	return nout;
}

int oc_prologue_arg_copies(const struct oc_arch *arch,
			   const struct oc_insn *insns, size_t n, int argno,
			   char out[][OC_REGNAME_MAX], int max)
{
	size_t m, *order;
	int r;

	if (argno < 0 || argno > 1 || n > OC_LOOP_MAX_INSNS)
		return 0;
	order = sorted_order(insns, n, &m);
	if (!order)
		return 0;
	r = prologue_copies(arch, insns, order, m, argno, out, max);
	free(order);
	return r;
}

/*
 * Offset of a direct branch target inside the function, or LONG_MIN.
 * The absolute target address is preferred: the `<sym+off>` gdb prints
 * after it counts from DWARF's low_pc, which on arm64 skips the ftrace
 * NOPs (8 lower than crash's own labels), and crash rewrites only some of
 * them; the instruction's own address and crash's offset give the start.
 */
static long target_off(const struct oc_insn *in)
{
	if (!in->has_target)
		return LONG_MIN;
	if (in->addr && in->branch_target)
		return (long)(in->branch_target - (in->addr - (uint64_t)in->off));
	if (in->target_func && in->func)
		return strcmp(in->target_func, in->func) ? LONG_MIN :
		       in->target_off;
	if (in->target_func && !in->func)
		return in->target_off;
	return (long)(in->branch_target - (in->addr - (uint64_t)in->off));
}

static void build_edges(struct graph *g)
{
	size_t i;

	for (i = 0; i < g->m; i++) {
		const struct oc_insn *in = at(g, (int)i);
		enum oc_insn_kind k = g->a->classify(in);
		int *s = &g->succ[2 * i];

		s[0] = -1;
		s[1] = -1;
		if (k != OC_K_BRANCH && k != OC_K_RET)
			s[0] = i + 1 < g->m ? (int)i + 1 : -2;
		if (k == OC_K_BRANCH || k == OC_K_CBRANCH) {
			long t = target_off(in);
			int p = t == LONG_MIN ? -1 : find_pos(g, t);

			/* unresolved direct target: leaves the function */
			s[1] = p >= 0 ? p : (in->has_target ? -2 : -1);
		}
	}
}

static int build_preds(struct graph *g)
{
	size_t i, total = 0;
	int j;

	g->pred_start = calloc(g->m + 1, sizeof(int));
	if (!g->pred_start)
		return -1;
	for (i = 0; i < 2 * g->m; i++)
		if (g->succ[i] >= 0) {
			g->pred_start[g->succ[i] + 1]++;
			total++;
		}
	for (i = 0; i < g->m; i++)
		g->pred_start[i + 1] += g->pred_start[i];
	g->pred = malloc((total ? total : 1) * sizeof(int));
	if (!g->pred)
		return -1;
	{
		int *fill = calloc(g->m, sizeof(int));

		if (!fill)
			return -1;
		for (i = 0; i < g->m; i++) {
			for (j = 0; j < 2; j++) {
				int s = g->succ[2 * i + (size_t)j];

				if (s >= 0)
					g->pred[g->pred_start[s] +
						fill[s]++] = (int)i;
			}
		}
		free(fill);
	}
	return 0;
}

static void bfs(struct graph *g, int start, int *dist, int forward)
{
	size_t head = 0, tail = 0, i;

	for (i = 0; i < g->m; i++)
		dist[i] = -1;
	dist[start] = 0;
	g->queue[tail++] = start;
	while (head < tail) {
		int u = g->queue[head++];
		int j, lo, hi;

		if (forward) {
			lo = 0;
			hi = 2;
		} else {
			lo = g->pred_start[u];
			hi = g->pred_start[u + 1];
		}
		for (j = lo; j < hi; j++) {
			int v = forward ? g->succ[2 * u + j] : g->pred[j];

			if (v >= 0 && dist[v] < 0) {
				dist[v] = dist[u] + 1;
				g->queue[tail++] = v;
			}
		}
	}
}

static int in_scc(const struct graph *g, int p)
{
	return p >= 0 && g->dist_f[p] >= 0 && g->dist_b[p] >= 0;
}

/*
 * Length of the shortest closed walk through the PC and @v: the PC's own
 * shortest cycle (g->c_pc) when @v is the PC.
 */
static long cyc_of(const struct graph *g, int v)
{
	if (v == g->pc)
		return g->c_pc;
	return (long)g->dist_f[v] + g->dist_b[v];
}

static long labs_l(long v)
{
	return v < 0 ? -v : v;
}

/*
 * A conditional branch on a shortest cycle through the PC (length @cyc)
 * with an edge that leaves the component or only comes back the long way
 * (the inner loop's exit inside an outer loop).  The first one at/after
 * @cmp_off wins, else the nearest before it.
 */
static int find_exit(const struct graph *g, long cmp_off, long cyc)
{
	int best = -1;
	long best_d = LONG_MAX;
	size_t i;

	for (i = 0; i < g->m; i++) {
		const struct oc_insn *in = at(g, (int)i);
		int j, leaves = 0;
		long d;

		if (!in_scc(g, (int)i) || cyc_of(g, (int)i) > cyc ||
		    g->a->classify(in) != OC_K_CBRANCH)
			continue;
		for (j = 0; j < 2; j++) {
			int s = g->succ[2 * i + (size_t)j];

			if (s == -2 || (s >= 0 && !in_scc(g, s)) ||
			    (s >= 0 && (long)g->dist_f[i] + 1 +
			     g->dist_b[s] > cyc))
				leaves = 1;
		}
		if (!leaves)
			continue;
		d = in->off >= cmp_off ? in->off - cmp_off :
		    (LONG_MAX / 2) + (cmp_off - in->off);
		if (d < best_d) {
			best_d = d;
			best = (int)i;
		}
	}
	return best;
}

/*
 * Length of the shortest cycle through @pos (LONG_MAX if none), from
 * @dist (distances from @pos) or a fresh search; -1 if out of memory.
 */
static long shortest_cycle(struct graph *g, int pos, const int *dist)
{
	int *own = NULL;
	long best = LONG_MAX;
	int j;

	if (!dist) {
		own = malloc(g->m * sizeof(int));
		if (!own)
			return -1;
		bfs(g, pos, own, 1);
		dist = own;
	}
	for (j = g->pred_start[pos]; j < g->pred_start[pos + 1]; j++) {
		int p = g->pred[j];

		if (dist[p] >= 0 && dist[p] + 1L < best)
			best = dist[p] + 1L;
	}
	free(own);
	return best;
}

/* Offsets and size of the tight loop: nodes on cycles of length <= cyc. */
static void tight_range(const struct graph *g, long cyc, struct oc_loop *lp)
{
	size_t i;

	lp->loop_start_off = lp->loop_end_off = -1;
	lp->loop_insns = 0;
	for (i = 0; i < g->m; i++) {
		long o = at(g, (int)i)->off;

		if (!in_scc(g, (int)i) || cyc_of(g, (int)i) > cyc)
			continue;
		if (lp->loop_start_off < 0 || o < lp->loop_start_off)
			lp->loop_start_off = o;
		if (o > lp->loop_end_off)
			lp->loop_end_off = o;
		lp->loop_insns++;
	}
}

static void free_graph(struct graph *g)
{
	free(g->order);
	free(g->succ);
	free(g->dist_f);
	free(g->dist_b);
	free(g->queue);
	free(g->pred_start);
	free(g->pred);
}

static void find_qoffset(const struct graph *g, struct oc_loop *lp)
{
	long best_d = LONG_MAX;
	size_t i, j;

	for (i = 0; i < g->m; i++) {
		const struct oc_insn *in = at(g, (int)i);
		char d[OC_REGNAME_MAX], mi[OC_REGNAME_MAX], s[OC_REGNAME_MAX];
		long dist = LONG_MAX;

		if (in_scc(g, (int)i) || g->a->sub_regs(in, d, mi, s) < 0)
			continue;
		if (strcmp(d, lp->hash_reg) || strcmp(mi, lp->hash_reg) ||
		    !strcmp(s, lp->hash_reg) || !strcmp(s, lp->qcount_reg))
			continue;
		for (j = 0; j < g->m; j++) {
			long dd;

			if (!in_scc(g, (int)j))
				continue;
			dd = labs_l(at(g, (int)j)->off - in->off);
			if (dd < dist)
				dist = dd;
		}
		if (dist < best_d) {
			best_d = dist;
			oc_strlcpy(lp->qoffset_reg, s, sizeof(lp->qoffset_reg));
			lp->qoffset_off = in->off;
		}
	}
}

int oc_loop_find(const struct oc_arch *a, const struct oc_insn *insns,
		 size_t n, long pc_off, struct oc_loop *lp)
{
	struct graph g;
	int pc, i, j, in_loop = 0, best_sub = -1, best_cmp = -1, ex;
	long best_score = LONG_MAX, best_tie = LONG_MAX, cyc, c_sub;
	int ret = 1;

	memset(lp, 0, sizeof(*lp));
	memset(&g, 0, sizeof(g));
	lp->pc_off = pc_off;
	lp->qoffset_off = lp->sub_off = lp->cmp_off = lp->exit_off = -1;
	lp->loop_start_off = lp->loop_end_off = -1;
	if (!a || !insns || !n) {
		snprintf(lp->why, sizeof(lp->why), "no instructions");
		return 1;
	}
	if (n > OC_LOOP_MAX_INSNS) {
		snprintf(lp->why, sizeof(lp->why),
			 "function has %zu instructions (limit %d)", n,
			 OC_LOOP_MAX_INSNS);
		return 1;
	}
	g.a = a;
	g.insns = insns;
	g.order = sorted_order(insns, n, &g.m);
	g.succ = malloc(2 * n * sizeof(int));
	g.dist_f = malloc(n * sizeof(int));
	g.dist_b = malloc(n * sizeof(int));
	g.queue = malloc(n * sizeof(int));
	if (!g.order || !g.succ || !g.dist_f || !g.dist_b || !g.queue)
		goto nomem;
	pc = find_pos(&g, pc_off);
	if (pc < 0) {
		snprintf(lp->why, sizeof(lp->why),
			 "PC +0x%lx is not an instruction in the disassembly",
			 pc_off);
		goto out;
	}
	build_edges(&g);
	if (build_preds(&g) < 0)
		goto nomem;
	bfs(&g, pc, g.dist_f, 1);
	bfs(&g, pc, g.dist_b, 0);
	g.pc = pc;
	g.c_pc = shortest_cycle(&g, pc, g.dist_f);
	if (g.c_pc < LONG_MAX)
		in_loop = 1;
	if (!in_loop) {
		snprintf(lp->why, sizeof(lp->why),
			 "PC +0x%lx is not inside a loop", pc_off);
		goto out;
	}
	for (i = 0; i < (int)g.m; i++) {
		long o = at(&g, i)->off;

		if (!in_scc(&g, i))
			continue;
		if (lp->loop_start_off < 0 || o < lp->loop_start_off)
			lp->loop_start_off = o;
		if (o > lp->loop_end_off)
			lp->loop_end_off = o;
		lp->scc_insns++;
	}

	/* sub hash, hash, qcount + cmp of hash and qcount, both in the loop */
	for (i = 0; i < (int)g.m; i++) {
		char d[OC_REGNAME_MAX], mi[OC_REGNAME_MAX], s[OC_REGNAME_MAX];
		long cyc_s;

		if (!in_scc(&g, i) || a->sub_regs(at(&g, i), d, mi, s) < 0 ||
		    strcmp(d, mi) || !strcmp(d, s))
			continue;
		cyc_s = cyc_of(&g, i);
		for (j = 0; j < (int)g.m; j++) {
			char x[OC_REGNAME_MAX], y[OC_REGNAME_MAX];
			long score, tie;

			if (!in_scc(&g, j) ||
			    a->cmp_regs(at(&g, j), x, y) < 0)
				continue;
			if (!((!strcmp(x, d) && !strcmp(y, s)) ||
			      (!strcmp(x, s) && !strcmp(y, d))))
				continue;
			score = cyc_s + cyc_of(&g, j);
			tie = labs_l(at(&g, i)->off - pc_off);
			if (score < best_score ||
			    (score == best_score && tie < best_tie)) {
				best_score = score;
				best_tie = tie;
				best_sub = i;
				best_cmp = j;
				oc_strlcpy(lp->hash_reg, d,
					   sizeof(lp->hash_reg));
				oc_strlcpy(lp->qcount_reg, s,
					   sizeof(lp->qcount_reg));
			}
		}
	}
	if (best_sub < 0) {
		lp->hash_reg[0] = lp->qcount_reg[0] = '\0';
		snprintf(lp->why, sizeof(lp->why),
			 "loop at +0x%lx..+0x%lx has no sub/cmp pair",
			 lp->loop_start_off, lp->loop_end_off);
		goto out;
	}
	lp->sub_off = at(&g, best_sub)->off;
	lp->cmp_off = at(&g, best_cmp)->off;
	lp->src_file = at(&g, best_sub)->src_file;
	lp->src_line = at(&g, best_sub)->src_line;
	cyc = cyc_of(&g, best_sub);
	c_sub = shortest_cycle(&g, best_sub, NULL);
	if (c_sub < 0)
		goto nomem;
	if (cyc > c_sub) {
		tight_range(&g, c_sub, lp);
		snprintf(lp->why, sizeof(lp->why),
			 "PC +0x%lx is in a loop around the sub/cmp loop "
			 "at +0x%lx, not in it", pc_off, lp->sub_off);
		lp->hash_reg[0] = lp->qcount_reg[0] = '\0';
		goto out;
	}
	tight_range(&g, cyc, lp);
	ex = find_exit(&g, lp->cmp_off, cyc);
	if (ex < 0) {
		snprintf(lp->why, sizeof(lp->why),
			 "loop at +0x%lx..+0x%lx has no conditional exit",
			 lp->loop_start_off, lp->loop_end_off);
		lp->hash_reg[0] = lp->qcount_reg[0] = '\0';
		goto out;
	}
	lp->exit_off = at(&g, ex)->off;
	find_qoffset(&g, lp);
	lp->ndev_regs = prologue_copies(a, insns, g.order, g.m, 0,
					lp->dev_regs, OC_LOOP_MAX_CAND);
	lp->nskb_regs = prologue_copies(a, insns, g.order, g.m, 1,
					lp->skb_regs, OC_LOOP_MAX_CAND);
	lp->found = 1;
	ret = 0;
out:
	free_graph(&g);
	return ret;
nomem:
	snprintf(lp->why, sizeof(lp->why), "out of memory");
	free_graph(&g);
	return -1;
}

int oc_loop_find_addr(const struct oc_arch *arch,
		      const struct oc_insn *insns, size_t n, uint64_t pc,
		      struct oc_loop *loop)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (insns[i].addr == pc)
			return oc_loop_find(arch, insns, n, insns[i].off, loop);
	memset(loop, 0, sizeof(*loop));
	loop->qoffset_off = loop->sub_off = loop->cmp_off = -1;
	loop->exit_off = loop->loop_start_off = loop->loop_end_off = -1;
	snprintf(loop->why, sizeof(loop->why),
		 "PC 0x%llx is not an instruction in the disassembly",
		 (unsigned long long)pc);
	return 1;
}

/* The subtraction oc_loop_find_sub() decodes from, or -1 (position). */
static int sub_near_pc(const struct oc_arch *a, const struct oc_insn *insns,
		       const size_t *order, size_t m, int pc)
{
	char d[OC_REGNAME_MAX], mi[OC_REGNAME_MAX], s[OC_REGNAME_MAX];
	char x[OC_REGNAME_MAX], y[OC_REGNAME_MAX];
	const int near[3] = { pc, pc - 1, pc + 1 };
	size_t i;
	int k;

	for (k = 0; k < 3; k++) {
		int p = near[k];

		if (p < 0 || (size_t)p >= m ||
		    a->sub_regs(&insns[order[p]], d, mi, s) < 0 ||
		    strcmp(d, mi) || !strcmp(d, s))
			continue;
		return p;
	}
	if (a->cmp_regs(&insns[order[pc]], x, y) < 0)
		return -1;
	for (i = 0; i < m; i++) {
		if (a->sub_regs(&insns[order[i]], d, mi, s) < 0 ||
		    strcmp(d, mi) || !strcmp(d, s))
			continue;
		if ((!strcmp(x, d) && !strcmp(y, s)) ||
		    (!strcmp(x, s) && !strcmp(y, d)))
			return (int)i;
	}
	return -1;
}

int oc_loop_find_sub(const struct oc_arch *a, const struct oc_insn *insns,
		     size_t n, long pc_off, struct oc_loop *lp)
{
	char d[OC_REGNAME_MAX], mi[OC_REGNAME_MAX], s[OC_REGNAME_MAX];
	const struct oc_insn *sub;
	size_t m, *order, i;
	long best_d = LONG_MAX;
	int pc = -1, p;

	memset(lp, 0, sizeof(*lp));
	lp->pc_off = pc_off;
	lp->qoffset_off = lp->sub_off = lp->cmp_off = lp->exit_off = -1;
	lp->loop_start_off = lp->loop_end_off = -1;
	if (!a || !insns || !n || n > OC_LOOP_MAX_INSNS) {
		snprintf(lp->why, sizeof(lp->why), "no usable instructions");
		return 1;
	}
	order = sorted_order(insns, n, &m);
	if (!order) {
		snprintf(lp->why, sizeof(lp->why), "out of memory");
		return -1;
	}
	for (i = 0; i < m; i++)
		if (insns[order[i]].off == pc_off)
			pc = (int)i;
	if (pc < 0) {
		snprintf(lp->why, sizeof(lp->why),
			 "PC +0x%lx is not an instruction in the excerpt",
			 pc_off);
		free(order);
		return 1;
	}
	p = sub_near_pc(a, insns, order, m, pc);
	if (p < 0) {
		snprintf(lp->why, sizeof(lp->why),
			 "no register subtraction at or next to PC +0x%lx",
			 pc_off);
		free(order);
		return 1;
	}
	sub = &insns[order[p]];
	a->sub_regs(sub, d, mi, s);
	oc_strlcpy(lp->hash_reg, d, sizeof(lp->hash_reg));
	oc_strlcpy(lp->qcount_reg, s, sizeof(lp->qcount_reg));
	lp->sub_off = sub->off;
	lp->src_file = sub->src_file;
	lp->src_line = sub->src_line;
	/* the other subtraction from the hash: hash -= qoffset */
	for (i = 0; i < m; i++) {
		const struct oc_insn *in = &insns[order[i]];
		char d2[OC_REGNAME_MAX], m2[OC_REGNAME_MAX], s2[OC_REGNAME_MAX];

		if ((int)i == p || a->sub_regs(in, d2, m2, s2) < 0 ||
		    strcmp(d2, d) || strcmp(m2, d) || !strcmp(s2, d) ||
		    !strcmp(s2, s) || labs_l(in->off - sub->off) >= best_d)
			continue;
		best_d = labs_l(in->off - sub->off);
		oc_strlcpy(lp->qoffset_reg, s2, sizeof(lp->qoffset_reg));
		lp->qoffset_off = in->off;
	}
	if (insns[order[0]].off == 0) {
		lp->ndev_regs = prologue_copies(a, insns, order, m, 0,
						lp->dev_regs,
						OC_LOOP_MAX_CAND);
		lp->nskb_regs = prologue_copies(a, insns, order, m, 1,
						lp->skb_regs,
						OC_LOOP_MAX_CAND);
	}
	snprintf(lp->why, sizeof(lp->why),
		 "loop not verified: registers from the subtraction at "
		 "+0x%lx only", lp->sub_off);
	lp->found = 1;
	free(order);
	return 0;
}
