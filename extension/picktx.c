// SPDX-License-Identifier: GPL-2.0
/*
 * picktx.c - find the CPUs interrupted inside netdev_pick_tx (exception
 * frames on every stack via crash's `bt -E`, and the register dumps of the
 * kernel log), disassemble netdev_pick_tx from the dump's own vmlinux and
 * let core/loopfind derive which registers hold hash and qcount.
 */
#include "picktx.h"
#include "../core/arch.h"
#include "../core/disasm.h"
#include "../core/exframe.h"

#include <stdlib.h>
#include <string.h>

#define FUNC "netdev_pick_tx"

static void decode(struct oc_picktx *p, const struct oc_arch *a, const struct oc_disasm *d,
		   struct oc_spin *s)
{
	uint64_t v;
	int i;

	/* an absolute PC is matched against dis addresses; a log's sym+off
	 * against dis offsets (which may differ from gdb's own by the
	 * ftrace NOPs on arm64, so the address is preferred) */
	s->pc_off = s->pc ? (long)(s->pc - p->func_addr) : (long)s->rd.pc_off;
	if (s->pc)
		oc_loop_find_addr(a, d->insns, d->n, s->pc, &s->loop);
	else
		oc_loop_find(a, d->insns, d->n, s->pc_off, &s->loop);
	snprintf(s->src_file, sizeof(s->src_file), "%s", s->loop.src_file ? s->loop.src_file : "");
	s->loop.src_file = NULL;	/* points into d, which is freed */
	s->qcount_matches_dev = -1;
	if (!s->loop.found)
		return;
	s->hash_valid = !oc_regdump_get(&s->rd, s->loop.hash_reg, &s->hash);
	s->qcount_valid = !oc_regdump_get(&s->rd, s->loop.qcount_reg, &s->qcount);
	s->qoffset_valid = s->loop.qoffset_reg[0] &&
			   !oc_regdump_get(&s->rd, s->loop.qoffset_reg, &s->qoffset);
	/* the device: the first saved copy of argument 0 that is a net_device */
	for (i = 0; i < s->loop.ndev_regs; i++) {
		if (oc_regdump_get(&s->rd, s->loop.dev_regs[i], &v) || !oc_netdev_plausible(v))
			continue;
		snprintf(s->dev_reg, sizeof(s->dev_reg), "%s", s->loop.dev_regs[i]);
		s->dev_ok = !oc_netdev_read(v, &s->nd);
		s->nd.via = OC_VIA_REGS;
		break;
	}
	if (!s->dev_ok)
		snprintf(s->note, sizeof(s->note), "no register among the %d copies of dev holds a net_device",
			 s->loop.ndev_regs);
	else if (s->qcount_valid && s->nd.real_num_tx >= 0)
		s->qcount_matches_dev = (long)(uint32_t)s->qcount == s->nd.real_num_tx;
}

/* crash and the oops give offsets from the kallsyms symbol; gdb names
 * addresses from DWARF's low_pc, which on arm64 skips the two ftrace
 * patchable NOPs.  Ask gdb for its offset of one spinning PC. */
static void gdb_offset_delta(struct oc_picktx *p)
{
	char cmd[64], *out = NULL, *at;
	int k;

	for (k = 0; k < p->nspins && !p->spins[k].pc; k++)
		;
	if (k == p->nspins)
		return;
	/* x/i names the address the way gdb's disassembly and line tables do */
	snprintf(cmd, sizeof(cmd), "x/i 0x%lx", (unsigned long)p->spins[k].pc);
	if (!oc_gdb(cmd, &out) && out && (at = strstr(out, "<" FUNC "+")))
		p->gdb_off_delta = p->spins[k].pc_off - strtol(at + strlen("<" FUNC "+"), NULL, 0);
	else if (out && strstr(out, "<" FUNC ">"))
		p->gdb_off_delta = p->spins[k].pc_off;
	free(out);
}

static int add_spin(struct oc_picktx *p, const struct oc_arch *a, const char *source,
		    int cpu, uint64_t frame, const struct oc_regdump *rd)
{
	struct oc_spin *s;
	uint64_t pc = 0;
	int i;

	/* the same CPU already found from a better source */
	for (i = 0; i < p->nspins; i++)
		if (cpu >= 0 && p->spins[i].cpu == cpu)
			return 0;
	if (p->nspins >= OC_MAX_SPINS)
		return -1;
	s = &p->spins[p->nspins++];
	memset(s, 0, sizeof(*s));
	s->cpu = cpu;
	s->panic_cpu = cpu >= 0 && cpu == oc_panic_cpu();
	snprintf(s->source, sizeof(s->source), "%s", source);
	s->frame_addr = frame;
	s->rd = *rd;
	if (!oc_regdump_get(rd, a->pc_reg, &pc))
		s->pc = pc >= p->func_addr && pc < p->func_addr + 0x100000 ? pc : 0;
	return 0;
}

static int picktx_find(struct oc_picktx *p);

/* A crash session looks at one dump: the result (bt -E, log and dis
 * parsing, the slowest part of ovscrash) is computed once and reused by
 * netdev, picktx and triage. */
int oc_picktx_find(struct oc_picktx *p)
{
	static struct oc_picktx *cache;

	if (!cache) {
		struct oc_picktx *c = malloc(sizeof(*c));

		if (!c)
			return picktx_find(p);
		picktx_find(c);
		cache = c;
	}
	memcpy(p, cache, sizeof(*p));
	return p->nspins;
}

/* spins from the exception frames in FUNC that crash command @cmd prints */
static void frame_spins(struct oc_picktx *p, const struct oc_arch *a, const char *cmd)
{
	struct oc_exframe_list fl = { 0 };
	char source[48], *out = NULL;
	size_t i;

	snprintf(source, sizeof(source), "exception frame (%s)", cmd);
	if (!oc_run(cmd, &out) && out && oc_exframe_parse(a, out, strlen(out), &fl) > 0)
		for (i = 0; i < fl.n; i++)
			if (fl.v[i].rd.have_pc_sym && !strcmp(fl.v[i].rd.pc_sym, FUNC))
				add_spin(p, a, source, fl.v[i].cpu, fl.v[i].frame_addr, &fl.v[i].rd);
	free(out);
	oc_exframe_list_free(&fl);
}

static int picktx_find(struct oc_picktx *p)
{
	const struct oc_arch *a = oc_arch_by_name(oc_machine());
	struct oc_regdump_list rl = { 0 };
	struct oc_disasm d;
	char *out = NULL;
	const char *log;
	size_t i;
	int k;

	memset(p, 0, sizeof(*p));
	p->func = FUNC;
	if (!a) {
		snprintf(p->status, sizeof(p->status), "architecture %s not supported", oc_machine());
		return -1;
	}
	if (!(p->func_addr = oc_sym_value(FUNC))) {
		snprintf(p->status, sizeof(p->status), "symbol %s not in this kernel", FUNC);
		return -1;
	}
	oc_disasm_init(&d);
	if (oc_run("dis -lx " FUNC, &out) || !out ||
	    oc_disasm_parse(&d, out, strlen(out)) < 0 || d.n == 0) {
		snprintf(p->status, sizeof(p->status), "cannot disassemble %s", FUNC);
		free(out);
		oc_disasm_free(&d);
		return -1;
	}
	free(out);
	p->ninsns = (int)d.n;
	p->func_len = d.insns[d.n - 1].off + 1;

	/* 1. exception frames on every stack of every CPU; none there: each
	 * CPU's active task's own stack (arm64 5.10 runs softirqs on the task
	 * stack, which bt -E does not search) */
	frame_spins(p, a, "bt -E");
	if (!p->nspins)
		frame_spins(p, a, "bt -a -e");
	/* 2. register dumps in the kernel log (soft lockup reports) */
	if ((log = oc_log_text()) && oc_regdump_parse(log, strlen(log), &rl) >= 0) {
		p->log_dumps = (int)rl.n;
		for (i = 0; i < rl.n; i++)
			if (rl.v[i].have_pc_sym && !strcmp(rl.v[i].pc_sym, FUNC))
				add_spin(p, a, "kernel log", rl.v[i].cpu_nr, 0, &rl.v[i]);
	}
	for (k = 0; k < p->nspins; k++)
		decode(p, a, &d, &p->spins[k]);
	gdb_offset_delta(p);
	if (!p->nspins)
		snprintf(p->status, sizeof(p->status),
			 "no CPU was interrupted in %s (no exception frame, %d log register dumps)",
			 FUNC, p->log_dumps);
	oc_regdump_list_free(&rl);
	oc_disasm_free(&d);
	return p->nspins;
}
