/* SPDX-License-Identifier: GPL-2.0 */
/*
 * loopfind.h - find, from the disassembly of netdev_pick_tx and the
 * interrupted PC, the registers of skb_tx_hash's
 *	while (unlikely(hash >= qcount))
 *		hash -= qcount;
 * loop that the PC is spinning in.
 */
#ifndef OC_LOOPFIND_H
#define OC_LOOPFIND_H

#include <stddef.h>

#include "arch.h"
#include "disasm.h"

#define OC_LOOP_MAX_INSNS	4096
#define OC_LOOP_MAX_CAND	4

struct oc_loop {
	int found;
	long pc_off;
	char hash_reg[OC_REGNAME_MAX];		/* canonical, e.g. "x2" */
	char qcount_reg[OC_REGNAME_MAX];	/* e.g. "x25" */
	char qoffset_reg[OC_REGNAME_MAX];	/* "" if not found */
	long qoffset_off;			/* its sub, or -1 */
	/* copies of the 1st/2nd argument in callee-saved registers */
	char dev_regs[OC_LOOP_MAX_CAND][OC_REGNAME_MAX];
	int ndev_regs;				/* dev_regs[0] preferred */
	char skb_regs[OC_LOOP_MAX_CAND][OC_REGNAME_MAX];
	int nskb_regs;
	/*
	 * The loop: instructions on a shortest cycle through the PC and the
	 * sub (for a simple loop, its whole strongly connected component;
	 * when the sub/cmp pair is not found, the component).
	 */
	long loop_start_off, loop_end_off;	/* min/max offset */
	int loop_insns;
	int scc_insns;				/* size of the component */
	long sub_off, cmp_off, exit_off;	/* exit_off: the cond. branch */
	const char *src_file;			/* of the sub; NULL if unknown */
	int src_line;
	char why[256];				/* reason when !found */
};

/*
 * @insns: the instructions of one function (any order), @pc_off: offset
 * of the interrupted instruction.  Returns 0 when the loop was found,
 * 1 when not (loop->why says why), -1 on allocation failure.
 */
int oc_loop_find(const struct oc_arch *arch, const struct oc_insn *insns,
		 size_t n, long pc_off, struct oc_loop *loop);
/* Same, with the PC given as an address. */
int oc_loop_find_addr(const struct oc_arch *arch,
		      const struct oc_insn *insns, size_t n, uint64_t pc,
		      struct oc_loop *loop);

/*
 * Fallback for a partial disassembly (a few lines around the PC pasted
 * into a ticket) in which oc_loop_find() cannot close the loop.  The
 * registers come from one register-only subtraction `sub d, d, s`: the
 * one at the PC, else the instruction just before or after it, else,
 * when the PC is a compare of two registers, a subtraction of those two
 * registers anywhere in the excerpt.  hash = d, qcount = s, sub_off and
 * src_file/src_line are the subtraction's; another `sub d, d, t` in the
 * excerpt gives the qoffset; argument copies are taken from the
 * prologue only when the excerpt starts at offset 0.  The loop itself is
 * not verified (cmp_off, exit_off and the loop range stay -1): callers
 * must report the result at lower confidence.  Returns 0 when a
 * subtraction was found, 1 when not (loop->why says why).
 */
int oc_loop_find_sub(const struct oc_arch *arch, const struct oc_insn *insns,
		     size_t n, long pc_off, struct oc_loop *loop);

/*
 * Registers holding copies of C argument @argno (0 or 1) made in the
 * function prologue, in the order the copies are made.  Returns the count.
 */
int oc_prologue_arg_copies(const struct oc_arch *arch,
			   const struct oc_insn *insns, size_t n, int argno,
			   char out[][OC_REGNAME_MAX], int max);

#endif /* OC_LOOPFIND_H */
