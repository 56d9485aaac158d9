/* SPDX-License-Identifier: GPL-2.0 */
/*
 * arch.h - the only place where instruction and register-dump syntax of a
 * given architecture is interpreted.  Implementations: arch_x86_64.c
 * (AT&T syntax, as gdb prints it) and arch_arm64.c.
 */
#ifndef OC_ARCH_H
#define OC_ARCH_H

#include <stddef.h>

#include "disasm.h"

#define OC_REGNAME_MAX	16

struct oc_regdump;

enum oc_insn_kind {
	OC_K_OTHER = 0,
	OC_K_CMP,	/* register/register or register/immediate compare */
	OC_K_SUB,	/* integer subtraction */
	OC_K_BRANCH,	/* unconditional jump (direct or indirect) */
	OC_K_CBRANCH,	/* conditional jump */
	OC_K_RET,	/* return: no successor */
	OC_K_MOV,	/* plain move */
	OC_K_CALL,	/* call: falls through */
};

struct oc_arch {
	const char *name;	/* "x86_64" or "arm64" */
	/*
	 * Canonical 64-bit name of a register operand (eax/ax/al/%rax ->
	 * "rax", r12d -> "r12", w2/x2 -> "x2").  Returns 0, or -1 if @in is
	 * not a register.
	 */
	int (*reg_canon)(const char *in, char *out, size_t n);
	enum oc_insn_kind (*classify)(const struct oc_insn *in);
	/*
	 * dst = minuend - subtrahend, all registers (canonical names, each
	 * buffer OC_REGNAME_MAX).  Returns 0, or -1 if not a register-only
	 * subtraction.
	 */
	int (*sub_regs)(const struct oc_insn *in, char *dst, char *minuend,
			char *subtrahend);
	/* flags from a - b; returns 0, or -1 if not register/register */
	int (*cmp_regs)(const struct oc_insn *in, char *a, char *b);
	/* dst = src, both registers; returns 0 or -1 */
	int (*mov_regs)(const struct oc_insn *in, char *dst, char *src);
	/* register written by @in (first one if several); 0 or -1 */
	int (*dst_reg)(const struct oc_insn *in, char *dst);
	/* 1 if the canonical register survives calls */
	int (*is_callee_saved)(const char *canon);
	const char *arg_reg[2];	/* first two C arguments, canonical */
	const char *pc_reg;	/* canonical name of the program counter */
	/*
	 * Register dumps in a kernel log (prefixes already removed).
	 * regdump_start: 1 if @line opens a dump (the pc/RIP line); fills
	 * the pc (and lr) fields of the zeroed @rd.
	 * regdump_line: 1 if @line belongs to the open dump @rd (register
	 * values are added with oc_regdump_set()), 0 if it ends the dump.
	 */
	int (*regdump_start)(const char *line, struct oc_regdump *rd);
	int (*regdump_line)(const char *line, struct oc_regdump *rd);
};

extern const struct oc_arch oc_arch_x86_64;
extern const struct oc_arch oc_arch_arm64;

/* "x86_64"/"x86-64"/"amd64"/"X86_64", "arm64"/"aarch64"/"ARM64"; or NULL */
const struct oc_arch *oc_arch_by_name(const char *name);
/* NULL-terminated list of all architectures */
extern const struct oc_arch *const oc_arches[];

const char *oc_insn_kind_name(enum oc_insn_kind k);

#endif /* OC_ARCH_H */
