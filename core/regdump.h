/* SPDX-License-Identifier: GPL-2.0 */
/*
 * regdump.h - register dumps (oops / soft lockup / NMI backtrace) found in
 * kernel log text, such as dmesg, crash's `log`, vmcore-dmesg or a serial
 * console capture.
 */
#ifndef OC_REGDUMP_H
#define OC_REGDUMP_H

#include <stddef.h>
#include <stdint.h>

#include "arch.h"

#define OC_RD_MAXREGS	64
#define OC_RD_SYM_MAX	128

struct oc_regdump {
	const char *arch;		/* oc_arch name that parsed it */
	size_t line_no;			/* 1-based line of the pc/RIP line */
	int have_pc_sym;
	char pc_sym[OC_RD_SYM_MAX];	/* "netdev_pick_tx" */
	unsigned long pc_off, pc_len;	/* +0x27c / 0x294 */
	char pc_mod[64];		/* "[openvswitch]" -> "openvswitch" */
	int have_lr_sym;
	char lr_sym[OC_RD_SYM_MAX];
	unsigned long lr_off, lr_len;
	int nregs;
	char names[OC_RD_MAXREGS][OC_REGNAME_MAX];	/* canonical */
	uint64_t regs[OC_RD_MAXREGS];
	int cpu_nr;			/* from the `CPU: N ...` line, or -1 */
	char cpu[128];			/* that line, "" if none */
	char trigger[256];		/* last soft lockup/BUG/... line before */
};

struct oc_regdump_list {
	struct oc_regdump *v;
	size_t n, cap;
};

/*
 * Append every register dump found in @len bytes of @text (need not be
 * NUL terminated) to @out, in order.  Returns 0, or -1 on allocation
 * failure.
 */
int oc_regdump_parse(const char *text, size_t len,
		     struct oc_regdump_list *out);
void oc_regdump_list_free(struct oc_regdump_list *l);

/*
 * Look a register up by name; the name is canonicalised with the dump's
 * architecture ("eax" finds rax, "w25" finds x25, "R08" finds r8).
 * Returns 0 and sets *val, or -1.
 */
int oc_regdump_get(const struct oc_regdump *rd, const char *name,
		   uint64_t *val);

/* Helpers for arch_*.c. */
int oc_regdump_set(struct oc_regdump *rd, const struct oc_arch *a,
		   const char *name, uint64_t val);
/*
 * `sym+0xoff/0xlen [mod]`; returns 0 or -1.  @mod may be NULL.
 */
int oc_parse_sym_off_len(const char *s, char *sym, size_t symsz,
			 unsigned long *off, unsigned long *len,
			 char *mod, size_t modsz);
/*
 * A line made only of `NAME: VALUE` pairs (`NAME :` too).  VALUE is hex,
 * `[<hex>]`, or `seg:hex` (the last part is kept), optionally followed by
 * a `(...)` group.  Every NAME must satisfy @name_ok.  Returns the number
 * of pairs stored, 0 if the line is empty or is not such a line (nothing
 * is stored then).
 */
int oc_regdump_pairs(const char *line, struct oc_regdump *rd,
		     const struct oc_arch *a,
		     int (*name_ok)(const char *name));

#endif /* OC_REGDUMP_H */
