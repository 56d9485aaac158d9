/* SPDX-License-Identifier: GPL-2.0 */
/*
 * disasm.h - parse the text printed by crash's `dis` (gdb's format) into
 * an array of instructions.  Architecture neutral: operands are kept as
 * text; arch_*.c interprets them.
 */
#ifndef OC_DISASM_H
#define OC_DISASM_H

#include <stddef.h>
#include <stdint.h>

#define OC_MNEM_MAX	16
#define OC_OPS_MAX	4
#define OC_OP_MAX	32

struct oc_insn {
	uint64_t addr;
	long off;			/* offset from the function start */
	const char *func;		/* symbol in <sym+off>, NULL if none */
	char mnemonic[OC_MNEM_MAX];	/* lower case, prefixes removed */
	char ops[OC_OPS_MAX][OC_OP_MAX];/* top-level comma split, trimmed */
	int nops;
	int truncated;			/* an operand or mnemonic was cut */
	int has_target;			/* last operand is a bare address */
	uint64_t branch_target;
	const char *target_func;	/* from `<sym+off>` after it, or NULL */
	long target_off;		/* valid if target_func != NULL */
	const char *src_file;		/* from a preceding `file: line` line */
	int src_line;			/* 0 if unknown */
};

struct oc_disasm {
	struct oc_insn *insns;
	size_t n;
	size_t cap;
	size_t n_bad;			/* non-empty lines not understood */
	size_t n_src;			/* `file: line` lines seen */
	/* interned strings (function and file names), owned */
	char **strs;
	size_t nstrs;
	size_t capstrs;
};

void oc_disasm_init(struct oc_disasm *d);
/*
 * Parse @len bytes of @text (need not be NUL terminated) and append the
 * instructions to @d.  Returns 0, or -1 on allocation failure.
 */
int oc_disasm_parse(struct oc_disasm *d, const char *text, size_t len);
void oc_disasm_free(struct oc_disasm *d);

/* Index of the instruction at offset @off, or -1. */
long oc_disasm_find_off(const struct oc_disasm *d, long off);
/* Index of the instruction at address @addr, or -1. */
long oc_disasm_find_addr(const struct oc_disasm *d, uint64_t addr);

/*
 * Parse `<sym+off>` / `<sym+0xoff>` / `<sym>` / `<+off>` (the text between
 * the angle brackets, without them).  @sym receives the name ("" for the
 * `<+off>` form).  Returns 0 or -1.
 */
int oc_parse_symoff(const char *s, size_t len, char *sym, size_t symsz,
		    long *off);

#endif /* OC_DISASM_H */
