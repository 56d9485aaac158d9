// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_dis - crash's `dis` text (core/disasm.c) and the loop finder run
 * on what it parsed (core/loopfind.c), for both architectures, with the
 * PC at PCS_TRIED instructions spread over the function.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "arch.h"
#include "disasm.h"
#include "loopfind.h"

/* loop finds per input and arch: each is a graph build over every
 * instruction, the cost of an input */
#define PCS_TRIED	2

static void loops(const struct oc_arch *a, const struct oc_disasm *d)
{
	char regs[OC_LOOP_MAX_CAND][OC_REGNAME_MAX];
	struct oc_loop loop;
	size_t i, step = d->n / PCS_TRIED + 1;

	for (i = 0; i < d->n; i += step) {
		memset(&loop, 0, sizeof(loop));
		oc_loop_find(a, d->insns, d->n, d->insns[i].off, &loop);
		memset(&loop, 0, sizeof(loop));
		oc_loop_find_sub(a, d->insns, d->n, d->insns[i].off, &loop);
	}
	/* a PC given as an address; then one that is no instruction's */
	memset(&loop, 0, sizeof(loop));
	if (d->n)
		oc_loop_find_addr(a, d->insns, d->n, d->insns[d->n - 1].addr,
				  &loop);
	memset(&loop, 0, sizeof(loop));
	oc_loop_find(a, d->insns, d->n, -1, &loop);
	oc_prologue_arg_copies(a, d->insns, d->n, 0, regs, OC_LOOP_MAX_CAND);
	oc_prologue_arg_copies(a, d->insns, d->n, 1, regs, OC_LOOP_MAX_CAND);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct oc_disasm d;
	char sym[64];
	long off;
	size_t i;

	oc_disasm_init(&d);
	if (oc_disasm_parse(&d, (const char *)data, size) == 0) {
		for (i = 0; i < d.n; i++) {
			const struct oc_insn *in = &d.insns[i];

			oc_arch_x86_64.classify(in);
			oc_arch_arm64.classify(in);
		}
		if (d.n) {
			oc_disasm_find_off(&d, d.insns[d.n - 1].off);
			oc_disasm_find_addr(&d, d.insns[0].addr);
		}
		loops(&oc_arch_x86_64, &d);
		loops(&oc_arch_arm64, &d);
	}
	oc_disasm_free(&d);
	/* the whole input as the text inside `<...>` */
	oc_parse_symoff((const char *)data, size, sym, sizeof(sym), &off);
	return 0;
}
